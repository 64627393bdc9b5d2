//! Running over files and printing: human lines (`file: $.path: severity[kind]:
//! message`) or JSON lines, a summary, and the exit code.

use crate::{Checked, Checker, Finding, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Exit codes, documented in the README.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Human,
    /// One JSON object per finding and line.
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "human" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            other => Err(format!("--format takes human or json, not `{other}`")),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Args {
    pub files: Vec<PathBuf>,
    /// `--type`: the qualified name every payload is checked as.
    pub type_name: Option<String>,
    pub format: Format,
    /// `--deny drift`: undeclared properties, enum values and types fail the run.
    pub deny_drift: bool,
    /// `--docs`: the docs tree to build the IR from.
    pub docs: Option<PathBuf>,
}

/// What a run prints and returns.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// Findings, for stdout.
    pub text: String,
    /// The summary line, for stderr.
    pub summary: String,
    pub code: i32,
}

/// Checks every file. Unreadable files are reported and exit 2; a `--type`
/// the docs do not define is a usage error.
pub fn run(checker: &Checker, args: &Args) -> Result<Output, String> {
    if args.files.is_empty() {
        return Err("check-payload needs at least one FILE".into());
    }
    let declared = match &args.type_name {
        Some(t) => Some(
            checker
                .type_id(t)
                .ok_or_else(|| format!("--type `{t}`: not an entity or complex type of the docs"))?,
        ),
        None => None,
    };
    let mut out = Output::default();
    let mut counts: BTreeMap<(Severity, crate::Kind), usize> = BTreeMap::new();
    let (mut objects, mut io_failed) = (0, false);
    for file in &args.files {
        let name = file.display().to_string();
        let checked = match std::fs::read_to_string(file) {
            Ok(text) => checker.check_text(&text, declared),
            Err(e) => {
                io_failed = true;
                let _ = writeln!(out.summary, "error: cannot read {name}: {e}");
                continue;
            }
        };
        let Checked { findings, objects: n } = checked;
        objects += n;
        for f in &findings {
            *counts.entry((f.severity, f.kind)).or_default() += 1;
            if f.kind == crate::Kind::InvalidJson {
                io_failed = true;
            }
            match args.format {
                Format::Human => {
                    let _ = writeln!(out.text, "{}", human(&name, f));
                }
                Format::Json => {
                    let _ = writeln!(out.text, "{}", json(&name, f));
                }
            }
        }
    }
    let total = |s: Severity| {
        counts
            .iter()
            .filter(|((x, _), _)| *x == s)
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    let (errors, warnings, infos) = (total(Severity::Error), total(Severity::Warning), total(Severity::Info));
    let drift: usize = counts.iter().filter(|((_, k), _)| k.is_drift()).map(|(_, n)| n).sum();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for ((_, k), n) in &counts {
        *by_kind.entry(k.as_str()).or_default() += n;
    }
    let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    let _ = writeln!(
        out.summary,
        "check-payload: {} files, {objects} objects; {errors} errors, {warnings} warnings, {infos} infos [{}]",
        args.files.len(),
        kinds.join(", ")
    );
    out.code = if io_failed {
        EXIT_USAGE
    } else if errors > 0 || (args.deny_drift && drift > 0) {
        EXIT_FAILED
    } else {
        EXIT_OK
    };
    Ok(out)
}

pub fn human(file: &str, f: &Finding) -> String {
    format!(
        "{file}: {}: {}[{}]: {}",
        f.path,
        f.severity.as_str(),
        f.kind.as_str(),
        f.message
    )
}

pub fn json(file: &str, f: &Finding) -> String {
    serde_json::json!({
        "file": file,
        "path": f.path,
        "severity": f.severity.as_str(),
        "kind": f.kind.as_str(),
        "message": f.message,
    })
    .to_string()
}
