//! `mock-server serve [--docs DIR | --ir FILE] [--port N] [--no-rewrite]`
//! `mock-server replay [--docs DIR | --ir FILE]`
//! Run through `cargo xtask mock-server …` and `cargo xtask replay …`.

use lexopt::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: mock-server serve [--docs DIR | --ir FILE] [--port N] [--no-rewrite]
       mock-server replay [--docs DIR | --ir FILE]

  serve    the docs' request/response example pairs on 127.0.0.1 (default: an ephemeral port), until
           stopped. Without --docs or --ir, the pairs the committed generated crate carries. Links to
           https://graph.microsoft.com in answers are rewritten to the server unless --no-rewrite
  replay   (untyped: `cargo xtask replay --untyped`) every pair sent as the docs write it through the client to a server of them; prints each doc
           defect and failure, then `replay: N pairs, P passed, D doc defects, F failed`; exit 1 if F > 0";

fn main() -> ExitCode {
    match run() {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<u8, String> {
    let mut parser = lexopt::Parser::from_env();
    let command = match parser.next().map_err(|e| e.to_string())? {
        Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
        Some(Long("help")) | Some(Short('h')) | None => {
            println!("{USAGE}");
            return Ok(0);
        }
        Some(other) => return Err(format!("{}\n{USAGE}", other.unexpected())),
    };
    let (mut docs, mut ir, mut port, mut rewrite) = (None::<PathBuf>, None::<PathBuf>, 0u16, true);
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("docs") => docs = Some(parser.value().map_err(|e| e.to_string())?.into()),
            Long("ir") => ir = Some(parser.value().map_err(|e| e.to_string())?.into()),
            Long("port") if command == "serve" => {
                port = parser
                    .value()
                    .map_err(|e| e.to_string())?
                    .parse()
                    .map_err(|e| format!("--port: {e}"))?
            }
            Long("no-rewrite") if command == "serve" => rewrite = false,
            other => return Err(format!("{}\n{USAGE}", other.unexpected())),
        }
    }
    let exchanges = mock_server::load(docs.as_deref(), ir.as_deref())?;
    match command.as_str() {
        "serve" => {
            let n = exchanges.len();
            let server = generated::runtime::mock::MockServer::start_on(exchanges, port, rewrite)
                .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
            println!(
                "mock-server: {n} example pairs at {} (stop with Ctrl-C)",
                server.base_url().as_str()
            );
            server.wait();
            Ok(0)
        }
        "replay" => {
            let report = mock_server::replay_untyped(&exchanges)?;
            print!("{}", report.render());
            eprintln!("replay: {:.1} s", report.wall.as_secs_f64());
            Ok(u8::from(report.failed() > 0))
        }
        other => Err(format!("unknown command `{other}`\n{USAGE}")),
    }
}
