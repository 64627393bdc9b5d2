//! `cargo xtask <command>`: the project's command line. See the README.

use lexopt::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{CodegenArgs, EXIT_FAILED, EXIT_OK, EXIT_USAGE};

const USAGE: &str = "\
usage: cargo xtask codegen [--docs DIR] [--out DIR] [--emit-ir FILE] [--check] [--color]
                           [--diagnostics human|json|sarif] [--deny warnings] [--metadata FILE]
                           [--no-cache]

  --docs DIR       pages to read, recursively (.md and .txt); default docs-input/graph-v1.0/
  --out DIR        where to write the crate (Cargo.toml, src/, tests/); default generated/
  --emit-ir FILE   also write the IR as JSON
  --check          write nothing; exit 1 if the output folder differs from a fresh run
  --color          color diagnostics
  --diagnostics F  human (default, stderr), json (one object per line) or sarif (SARIF 2.1.0), on stdout
  --deny warnings  exit 1 when there are warnings, as for errors
  --metadata FILE  also report where the docs and a CSDL metadata file disagree (GD0026)
  --no-cache       emit and format every item (default: reuse the last run's files when the IR
                   and plan are unchanged, else format only items whose tokens changed; cached
                   under the cargo target folder)

       cargo xtask diff OLD NEW | --base REV [NEW]  [--format markdown|json] [--deny breaking] [--common-only]
       cargo xtask check-payload [--type NAME] [--format human|json] [--deny drift] [--docs DIR] FILE...
       cargo xtask mock-server [--docs DIR | --ir FILE] [--port N] [--no-rewrite]
       cargo xtask replay [--batch] [--faults RATE [--seed S] [--retry-after SECONDS]] | --untyped [--docs DIR | --ir FILE]
       cargo xtask dump PAGE
       cargo xtask op-coverage [--docs DIR]
       cargo xtask sample-diagnostics [--docs DIR] [--n 30] [--seed 1]
       cargo xtask metadata-diff [--docs DIR] [--metadata FILE] [--enforce | --min P,T,M[,B]]

  diff             what changed in the API between two docs trees and what breaks for Rust users.
                   OLD/NEW: a docs folder or an IR JSON file (--emit-ir); --base REV: OLD is the docs
                   input at that git revision, NEW defaults to the current docs input.
                   --format markdown (default, a PR comment) or json; --deny breaking exits 1 on
                   breaking changes; --common-only leaves out types and endpoints only one side has
  check-payload    JSON payloads (an entity, or a page of entities under `value`) through the generated model and
                   against the docs: losses and wrong-typed values (errors), undeclared properties, enum
                   values and types (drift, kept), derived types, each with a JSON path. Type: --type, else
                   @odata.type, else @odata.context. --format human or json (one object per finding);
                   --deny drift exits 1 on drift too. Exit 0 ok, 1 errors, 2 usage/unreadable/not JSON
  mock-server      the docs' request/response example pairs served on 127.0.0.1 (an ephemeral port unless
                   --port), from the committed crate, a docs folder or an IR file; unmatched requests
                   get a Graph-shaped 404/400 naming the closest example and why it differs
  replay           every example pair of the committed crate through its typed operation and the client
                   to that server (the generated test tests/replay.rs): the request must be the
                   documented one, the typed response must re-serialize to the documented body; prints
                   doc defects and failures, then `replay: N pairs, P passed, D doc defects, F failed`;
                   exit 1 when F > 0. --faults RATE (0 to 1): the server answers that share of the
                   requests 429/503/504 with `Retry-After: SECONDS` (default 0), drawn from seed S
                   (default 0), the client retries; prints `faults: injected K, retried K, waited as
                   told K, lost 0` before the summary; exit 1 unless every fault was retried in time.
                   --batch: the pairs go as items of $batch requests of up to 20 (the same checks
                   per item; pairs the batch format cannot carry go alone, listed); with --faults
                   the items are throttled one by one and the client retries only those
                   --untyped: each pair sent as the docs write it, no typed code
  sample-diagnostics  N diagnostics drawn at random across codes, for review
  dump             print one page's page model and facts (debugging)
  op-coverage      operations whose page documents a response/request body, and how many have a type;
                   annotated example requests, and how many typed calls rebuild (checked by
                   generated/tests/requests.rs); each miss with page:line
  metadata-diff    compare the IR with a CSDL file (default ../shared/graph-metadata/v1.0.csdl.xml);
                   (properties, their types, enum members, base types, flags enums);
                   --enforce exits 1 below the fidelity targets (97.5% / 98.85% / 97.75% / 95%, and
                   any invented base type); --min P,T,M[,B] exits 1 below these percentages instead
                   (CI's regression floor; with B, also on an invented base type)

diff exit codes: 0 success, 1 breaking changes with --deny breaking, 2 usage or I/O failure
exit codes: 0 success, 1 errors in the docs (or warnings with --deny warnings) or stale output
(--check), 2 usage or I/O failure";

// The generator allocates many small strings and token trees from two
// threads; glibc's malloc spent a quarter of the run (perf), mimalloc far less.
// Built with `no_thp` (Cargo.toml): mimalloc otherwise asks for transparent
// huge pages, and every first touch of its arena zeroed (and, on a busy
// machine, compacted) 2 MB at a time: 0.1–0.6 s of system time and 240 MB
// peak for a warm `codegen --check`, against 0.1 s and 180 MB without.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let mut parser = lexopt::Parser::from_env();
    let cmd = match parser.next().map_err(err)? {
        Some(Value(v)) => v.string().map_err(err)?,
        Some(Long("help")) | Some(Short('h')) | None => return Ok(help()),
        Some(other) => return Err(unexpected(other)),
    };
    match cmd.as_str() {
        "codegen" => codegen(&mut parser),
        "diff" => diff(&mut parser),
        "check-payload" => check_payload(&mut parser),
        "mock-server" => run_package(&mut parser, "mock-server", &["serve"]),
        "replay" => replay(&mut parser),
        "dump" => dump(&mut parser),
        "op-coverage" => op_coverage(&mut parser),
        "sample-diagnostics" => sample_diagnostics(&mut parser),
        "metadata-diff" => metadata_diff(&mut parser),
        other => Err(format!("unknown command `{other}`\n{USAGE}")),
    }
}

fn err(e: lexopt::Error) -> String {
    e.to_string()
}

fn unexpected(arg: lexopt::Arg) -> String {
    format!("{}\n{USAGE}", arg.unexpected())
}

fn help() -> i32 {
    println!("{USAGE}");
    EXIT_OK
}

/// The value of the option just read, as a string.
fn string(parser: &mut lexopt::Parser) -> Result<String, String> {
    parser.value().map_err(err)?.string().map_err(err)
}

/// The value of the option just read, as a path.
fn path(parser: &mut lexopt::Parser) -> Result<PathBuf, String> {
    Ok(PathBuf::from(parser.value().map_err(err)?))
}

fn codegen(parser: &mut lexopt::Parser) -> Result<i32, String> {
    let mut args = CodegenArgs {
        format_cache: Some(xtask::format_cache_file()),
        ..CodegenArgs::default()
    };
    while let Some(arg) = parser.next().map_err(err)? {
        match arg {
            Long("no-cache") => args.format_cache = None,
            Long("docs") => args.docs = path(parser)?,
            Long("out") => args.out = path(parser)?,
            Long("emit-ir") => args.emit_ir = Some(path(parser)?),
            Long("check") => args.check = true,
            Long("metadata") => args.metadata = Some(path(parser)?),
            Long("color") => args.color = true,
            Long("diagnostics") => args.diagnostics = string(parser)?.parse()?,
            Long("deny") => match string(parser)?.as_str() {
                "warnings" => args.deny_warnings = true,
                other => return Err(format!("--deny takes `warnings`, not `{other}`")),
            },
            Long("help") | Short('h') => return Ok(help()),
            other => return Err(unexpected(other)),
        }
    }
    let report = xtask::codegen(&args)?;
    if let Some(m) = &report.machine {
        print!("{m}");
    }
    eprint!("{}", report.text);
    Ok(if report.failed(&args) { EXIT_FAILED } else { EXIT_OK })
}

fn diff(parser: &mut lexopt::Parser) -> Result<i32, String> {
    let mut args = xtask::diff::DiffArgs::default();
    let mut paths = Vec::new();
    while let Some(arg) = parser.next().map_err(err)? {
        match arg {
            Value(v) => paths.push(PathBuf::from(v)),
            Long("base") => args.base = Some(string(parser)?),
            Long("format") => args.format = string(parser)?.parse()?,
            Long("deny") => match string(parser)?.as_str() {
                "breaking" => args.deny_breaking = true,
                other => return Err(format!("--deny takes `breaking`, not `{other}`")),
            },
            Long("common-only") => args.common_only = true,
            Long("help") | Short('h') => return Ok(help()),
            other => return Err(unexpected(other)),
        }
    }
    if paths.len() > 2 {
        return Err(format!("diff takes at most two paths\n{USAGE}"));
    }
    let mut paths = paths.into_iter();
    args.old = paths.next();
    args.new = paths.next();
    let out = xtask::diff::run(&args)?;
    print!("{}", out.text);
    let c = out.report.summary;
    eprintln!(
        "diff: {} breaking, {} additive, {} docs-only",
        c.breaking, c.additive, c.docs_only
    );
    Ok(if out.failed { EXIT_FAILED } else { EXIT_OK })
}

/// A separate crate: it links the generated crate, which this binary must
/// not (it regenerates it). Arguments and exit code pass through.
/// `cargo xtask replay`: runs the generated crate's test `tests/replay.rs`
/// in the workspace's test build (the features `cargo test --workspace`
/// unifies: `full`, `mock`, `reqwest`, so nothing is compiled again after
/// it), then prints the report the test wrote. `--untyped` runs the
/// untyped replay of `mock-server` instead.
fn replay(parser: &mut lexopt::Parser) -> Result<i32, String> {
    let rest: Vec<std::ffi::OsString> = parser.raw_args().map_err(err)?.collect();
    if rest.first().is_some_and(|a| a == "--untyped") {
        let args: Vec<std::ffi::OsString> = rest[1..].to_vec();
        return run_package_with(&["replay"], "mock-server", args);
    }
    // `--faults R [--seed S] [--retry-after SECONDS]`, passed to the test
    // through the environment (`runtime::mock::Faults::from_env`).
    let mut env: Vec<(&str, String)> = Vec::new();
    let mut args = rest.iter().map(|a| a.to_string_lossy().into_owned());
    let mut batch = false;
    while let Some(flag) = args.next() {
        if flag == "--batch" {
            batch = true;
            continue;
        }
        let var = match flag.as_str() {
            "--faults" => "GRAPH_REPLAY_FAULTS",
            "--seed" => "GRAPH_REPLAY_SEED",
            "--retry-after" => "GRAPH_REPLAY_RETRY_AFTER",
            other => {
                return Err(format!(
                    "`{other}`: replay takes `--batch`, `--faults`, `--seed`, `--retry-after` or `--untyped`\n{USAGE}"
                ))
            }
        };
        let value = args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let valid = match var {
            "GRAPH_REPLAY_FAULTS" => value.parse::<f64>().is_ok_and(|r| (0.0..=1.0).contains(&r)),
            _ => value.parse::<u64>().is_ok(),
        };
        if !valid {
            return Err(format!("{flag} {value}: not a valid value\n{USAGE}"));
        }
        env.push((var, value));
    }
    let faulty = env.iter().any(|(v, _)| *v == "GRAPH_REPLAY_FAULTS");
    if !env.is_empty() && !faulty {
        return Err(format!("--seed and --retry-after need --faults\n{USAGE}"));
    }
    if batch {
        env.push(("GRAPH_REPLAY_BATCH", "1".to_owned()));
    }
    let root = xtask::project_root();
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), Into::into);
    std::fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    let report = target.join("replay-report.txt");
    let _ = std::fs::remove_file(&report);
    let status = std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .arg("test")
        .arg("-q")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(["--workspace", "--test", "replay", "--", "--test-threads=1"])
        .env("GRAPH_REPLAY_REPORT", &report)
        .env_remove("GRAPH_REPLAY_FAULTS")
        .env_remove("GRAPH_REPLAY_SEED")
        .env_remove("GRAPH_REPLAY_RETRY_AFTER")
        .env_remove("GRAPH_REPLAY_BATCH")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(std::io::stderr())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = match std::fs::read_to_string(&report) {
        Ok(text) => text,
        Err(_) => return Err("the replay test wrote no report (see above)".into()),
    };
    print!("{text}");
    // Every injected fault retried, after the wait it was told.
    let faults_ok = !faulty || text.lines().any(faults_all_retried);
    Ok(if status.success() && faults_ok { 0 } else { 1 })
}

/// Whether `line` is `faults: injected K, retried K, waited as told K, lost
/// 0` with the same K thrice.
fn faults_all_retried(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("faults: injected ") else {
        return false;
    };
    let numbers: Vec<&str> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    matches!(numbers.as_slice(), [k, r, w, "0"] if k == r && r == w)
}

/// Runs workspace package `package` (a crate that links `generated`, which
/// xtask must not) with `args` and the rest of the command line, passing
/// its exit code through.
fn run_package(parser: &mut lexopt::Parser, package: &str, args: &[&str]) -> Result<i32, String> {
    let rest: Vec<std::ffi::OsString> = parser.raw_args().map_err(err)?.collect();
    run_package_with(args, package, rest)
}

fn run_package_with(args: &[&str], package: &str, rest: Vec<std::ffi::OsString>) -> Result<i32, String> {
    forward(cargo_run(package, args, rest))
}

/// `$CARGO run -q --manifest-path <workspace>/Cargo.toml -p PACKAGE -- ARGS REST`.
fn cargo_run(package: &str, args: &[&str], rest: Vec<std::ffi::OsString>) -> std::process::Command {
    let manifest = xtask::project_root().join("Cargo.toml");
    let mut cmd = std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.arg("run")
        .arg("-q")
        .arg("--manifest-path")
        .arg(&manifest)
        .args(["-p", package, "--"])
        .args(args)
        .args(rest);
    cmd
}

/// Runs `cmd`, passing its exit code through.
fn forward(mut cmd: std::process::Command) -> Result<i32, String> {
    let status = cmd.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(status.code().unwrap_or(EXIT_USAGE))
}

/// `cargo xtask check-payload`: `cargo run -p check-payload` (its binary's
/// own test, `xtask/check-payload/tests/cli.rs`, runs that command line).
fn check_payload(parser: &mut lexopt::Parser) -> Result<i32, String> {
    let rest: Vec<std::ffi::OsString> = parser.raw_args().map_err(err)?.collect();
    run_package_with(&[], "check-payload", rest)
}

/// Debugging aid: the page model (pass 1) and facts (pass 2) of one page.
fn dump(parser: &mut lexopt::Parser) -> Result<i32, String> {
    let path = match parser.next().map_err(err)? {
        Some(Value(v)) => PathBuf::from(v),
        _ => return Err(format!("dump needs a page path\n{USAGE}")),
    };
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let db = generator::source::SourceDb::from_pages([(path.display().to_string(), bytes)]);
    for (id, _) in db.iter() {
        let (page, facts, diags) = generator::parse::page_facts(&db, id);
        println!("{page:#?}\n{facts:#?}");
        for d in &diags {
            eprintln!("{}", generator::diagnostics::render(&db, d, false));
        }
    }
    Ok(EXIT_OK)
}

fn sample_diagnostics(parser: &mut lexopt::Parser) -> Result<i32, String> {
    let mut docs = CodegenArgs::default().docs;
    let (mut n, mut seed) = (30usize, 1u64);
    while let Some(arg) = parser.next().map_err(err)? {
        match arg {
            Long("docs") => docs = path(parser)?,
            Long("n") => n = parser.value().map_err(err)?.parse().map_err(|e| format!("--n: {e}"))?,
            Long("seed") => {
                seed = parser
                    .value()
                    .map_err(err)?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            other => return Err(unexpected(other)),
        }
    }
    print!("{}", xtask::sample_diagnostics(&docs, n, seed)?);
    Ok(EXIT_OK)
}

/// Issue 16's body-type figures; misses listed with page:line.
fn op_coverage(parser: &mut lexopt::Parser) -> Result<i32, String> {
    let mut docs = CodegenArgs::default().docs;
    while let Some(arg) = parser.next().map_err(err)? {
        match arg {
            Long("docs") => docs = path(parser)?,
            other => return Err(unexpected(other)),
        }
    }
    let (_, loaded) = xtask::docs_model(&docs)?;
    let text = format!(
        "{}{}",
        generator::lower::operations::coverage(&loaded.model),
        generator::requests::summary(&loaded.model)
    );
    // A closed pipe (`| head`) ends the output, not the process.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
    Ok(EXIT_OK)
}

fn metadata_diff(parser: &mut lexopt::Parser) -> Result<i32, String> {
    let mut docs = CodegenArgs::default().docs;
    let mut metadata = xtask::project_root().join("../shared/graph-metadata/v1.0.csdl.xml");
    let mut floor: Option<generator::metadata::Floor> = None;
    while let Some(arg) = parser.next().map_err(err)? {
        match arg {
            Long("docs") => docs = path(parser)?,
            Long("metadata") => metadata = path(parser)?,
            Long("enforce") => floor = Some(generator::metadata::TARGETS),
            Long("min") => floor = Some(generator::metadata::Floor::parse(&string(parser)?)?),
            other => return Err(unexpected(other)),
        }
    }
    let f = xtask::metadata_diff(&docs, &metadata)?;
    print!("{}", f.summary(std::env::var_os("METADATA_DIFF_ALL").is_some()));
    let Some(floor) = floor else {
        return Ok(EXIT_OK);
    };
    let ok = f.meets(&floor);
    if !ok {
        eprintln!("metadata-diff: below the floor {floor}");
    }
    Ok(if ok { EXIT_OK } else { EXIT_FAILED })
}

#[cfg(test)]
mod tests {
    use super::{cargo_run, faults_all_retried, forward};

    /// `cargo xtask check-payload ARGS` is `cargo run -p check-payload -- ARGS`
    /// in this workspace; the binary itself is tested by
    /// `xtask/check-payload/tests/cli.rs` (running it here again would build
    /// the generated crate a second time, with other features).
    #[test]
    fn check_payload_is_cargo_run_of_its_package() {
        let rest = ["--format", "human", "user-wrong-type.json"].map(std::ffi::OsString::from);
        let cmd = cargo_run("check-payload", &[], rest.to_vec());
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        assert_eq!(cmd.get_program(), cargo);
        let manifest = xtask::project_root().join("Cargo.toml");
        let args: Vec<String> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(
            args,
            [
                "run",
                "-q",
                "--manifest-path",
                &manifest.display().to_string(),
                "-p",
                "check-payload",
                "--",
                "--format",
                "human",
                "user-wrong-type.json",
            ]
        );
    }

    /// The exit code of the command run is xtask's.
    #[test]
    fn exit_codes_pass_through() {
        for code in [0, 1, 2] {
            let mut cmd = std::process::Command::new("sh");
            cmd.args(["-c", &format!("exit {code}")]);
            assert_eq!(forward(cmd), Ok(code));
        }
    }

    #[test]
    fn the_faults_line_is_read() {
        assert!(faults_all_retried(
            "faults: injected 3, retried 3, waited as told 3, lost 0"
        ));
        assert!(!faults_all_retried(
            "faults: injected 3, retried 2, waited as told 2, lost 1"
        ));
        assert!(!faults_all_retried(
            "faults: injected 3, retried 3, waited as told 2, lost 0"
        ));
        assert!(!faults_all_retried(
            "replay: 3 pairs, 3 passed, 0 doc defects, 0 failed"
        ));
    }
}
