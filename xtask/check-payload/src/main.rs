//! `check-payload` (run by `cargo xtask check-payload`): see the README.

use check_payload::report::{self, Args, EXIT_OK, EXIT_USAGE};
use check_payload::Checker;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask check-payload [--type NAME] [--format human|json] [--deny drift] [--docs DIR] FILE...

  FILE             a JSON payload: one entity, or a collection page {\"value\": [...]}
  --type NAME      check every payload as this type (microsoft.graph.user); default: each
                   entity's @odata.type, else the payload's @odata.context
  --format F       human (default): `file: $.path: severity[kind]: message`; json: one object
                   per finding and line ({file, path, severity, kind, message}). Summary on stderr.
  --deny drift     exit 1 on drift from the docs too (undeclared properties, enum values, types)
  --docs DIR       docs tree to read the IR from; default docs-input/graph-v1.0/

exit codes: 0 no errors, 1 errors (loss, wrong type, no type) or drift under --deny drift,
2 usage error, unreadable file or a file that is not JSON";

fn main() -> ExitCode {
    let code = match run() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    };
    ExitCode::from(code as u8)
}

fn run() -> Result<i32, String> {
    use lexopt::prelude::*;
    let mut args = Args::default();
    let mut parser = lexopt::Parser::from_env();
    let text = |v: Result<std::ffi::OsString, lexopt::Error>| -> Result<String, String> {
        v.map_err(|e| e.to_string())?
            .into_string()
            .map_err(|v| format!("not UTF-8: {v:?}"))
    };
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Value(v) => args.files.push(PathBuf::from(v)),
            Long("type") => args.type_name = Some(text(parser.value())?),
            Long("format") => args.format = text(parser.value())?.parse()?,
            Long("docs") => args.docs = Some(PathBuf::from(text(parser.value())?)),
            Long("deny") => match text(parser.value())?.as_str() {
                "drift" => args.deny_drift = true,
                other => return Err(format!("--deny takes `drift`, not `{other}`")),
            },
            Long("help") | Short('h') => {
                println!("{USAGE}");
                return Ok(EXIT_OK);
            }
            other => return Err(format!("{}\n{USAGE}", other.unexpected())),
        }
    }
    if args.files.is_empty() {
        return Err(format!("check-payload needs at least one FILE\n{USAGE}"));
    }
    let docs = args
        .docs
        .clone()
        .unwrap_or_else(|| xtask::project_root().join(xtask::DEFAULT_DOCS));
    let checker = Checker::from_docs(&docs)?;
    let out = report::run(&checker, &args)?;
    print!("{}", out.text);
    eprint!("{}", out.summary);
    Ok(out.code)
}
