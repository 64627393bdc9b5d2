//! `cargo xtask <command>`: the project's command line. See the README.

use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{CodegenArgs, EXIT_FAILED, EXIT_OK, EXIT_USAGE};

const USAGE: &str = "\
usage: cargo xtask codegen [--docs DIR] [--out DIR] [--emit-ir FILE] [--check] [--color]

  --docs DIR       pages to read, recursively (.md and .txt); default docs-input/
  --out DIR        where to write the crate (Cargo.toml, src/, tests/); default generated/
  --emit-ir FILE   also write the IR as JSON
  --check          write nothing; exit 1 if the output folder differs from a fresh run
  --color          color diagnostics

exit codes: 0 success, 1 errors in the docs or stale output (--check), 2 usage or I/O failure";

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
    let mut parser = lexopt::Parser::from_env();
    let cmd = match parser.next().map_err(|e| e.to_string())? {
        Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
        Some(Long("help")) | Some(Short('h')) | None => {
            println!("{USAGE}");
            return Ok(EXIT_OK);
        }
        Some(other) => return Err(format!("{}\n{USAGE}", other.unexpected())),
    };
    match cmd.as_str() {
        "codegen" => {
            let mut args = CodegenArgs::default();
            while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
                match arg {
                    Long("docs") => args.docs = PathBuf::from(parser.value().map_err(|e| e.to_string())?),
                    Long("out") => args.out = PathBuf::from(parser.value().map_err(|e| e.to_string())?),
                    Long("emit-ir") => args.emit_ir = Some(PathBuf::from(parser.value().map_err(|e| e.to_string())?)),
                    Long("check") => args.check = true,
                    Long("color") => args.color = true,
                    Long("help") | Short('h') => {
                        println!("{USAGE}");
                        return Ok(EXIT_OK);
                    }
                    other => return Err(format!("{}\n{USAGE}", other.unexpected())),
                }
            }
            let report = xtask::codegen(&args)?;
            eprint!("{}", report.text);
            if args.check && !report.changed.is_empty() || report.counts.errors > 0 {
                return Ok(EXIT_FAILED);
            }
            Ok(EXIT_OK)
        }
        other => Err(format!("unknown command `{other}`\n{USAGE}")),
    }
}
