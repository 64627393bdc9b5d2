//! Diagnostics output for people and for CI: rustc-style text, JSON lines,
//! SARIF 2.1.0, and the summary table by code.

use generator::diagnostics::{self, Code, Diagnostic, Severity};
use generator::source::SourceDb;
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Human,
    Json,
    Sarif,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "human" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            other => Err(format!("unknown diagnostics format `{other}` (human, json, sarif)")),
        }
    }
}

/// The path of a page as CI sees it: the docs folder as given, then the page.
fn display_path(docs: &Path, page: &str) -> String {
    // Relative to the working directory (the repository root in CI) when inside it.
    let cwd = std::env::current_dir().ok();
    let docs = cwd.as_deref().and_then(|c| docs.strip_prefix(c).ok()).unwrap_or(docs);
    let base = docs.to_string_lossy().replace('\\', "/");
    let base = base.trim_end_matches('/');
    if base.is_empty() || base == "." {
        page.to_owned()
    } else {
        format!("{base}/{page}")
    }
}

/// One JSON object per line.
pub fn json_lines(db: &SourceDb, docs: &Path, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let r = diagnostics::resolve(db, d);
        let v = json!({
            "code": r.code.as_str(),
            "severity": r.severity,
            "path": display_path(docs, &r.location.path),
            "line": r.location.line,
            "column": r.location.col,
            "endLine": r.end_line,
            "endColumn": r.end_col,
            "message": r.message,
            "help": r.help,
        });
        out.push_str(&v.to_string());
        out.push('\n');
    }
    out
}

/// A SARIF 2.1.0 log, which code-review tools turn into PR annotations.
pub fn sarif(db: &SourceDb, docs: &Path, diags: &[Diagnostic]) -> String {
    let rules: Vec<_> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "shortDescription": { "text": c.description() },
            })
        })
        .collect();
    let results: Vec<_> = diags
        .iter()
        .map(|d| {
            let r = diagnostics::resolve(db, d);
            let mut text = r.message.clone();
            if let Some(h) = &r.help {
                let _ = write!(text, "\nhelp: {h}");
            }
            json!({
                "ruleId": r.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == r.code),
                "level": match r.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                },
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": display_path(docs, &r.location.path) },
                        "region": {
                            "startLine": r.location.line,
                            "startColumn": r.location.col,
                            "endLine": r.end_line,
                            "endColumn": r.end_col.max(1),
                        }
                    }
                }]
            })
        })
        .collect();
    let log = json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": { "driver": {
                "name": "graph-docs-codegen",
                "rules": rules,
            }},
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

/// The table of diagnostics by code that ends every run.
pub fn summary_table(diags: &[Diagnostic]) -> String {
    let mut by: BTreeMap<Code, [usize; 3]> = BTreeMap::new();
    for d in diags {
        let row = by.entry(d.code).or_default();
        match d.severity {
            Severity::Error => row[0] += 1,
            Severity::Warning => row[1] += 1,
            Severity::Note => row[2] += 1,
        }
    }
    if by.is_empty() {
        return String::new();
    }
    let mut out = format!("{:<34} {:>7} {:>9} {:>6}\n", "code", "errors", "warnings", "notes");
    let mut total = [0usize; 3];
    for (code, [e, w, n]) in &by {
        let _ = writeln!(out, "{:<34} {:>7} {:>9} {:>6}", code.as_str(), e, w, n);
        total[0] += e;
        total[1] += w;
        total[2] += n;
    }
    let _ = writeln!(out, "{:<34} {:>7} {:>9} {:>6}", "total", total[0], total[1], total[2]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use generator::source::{FileId, Span};

    fn sample() -> (SourceDb, Vec<Diagnostic>) {
        let db = SourceDb::from_pages([("a.md", b"line one\nline two\n".to_vec())]);
        let d = Diagnostic::warning(Code::Conflict, Span::new(FileId(0), 9..13), "bad").with_help("fix it");
        (db, vec![d])
    }

    #[test]
    fn json_has_located_objects() {
        let (db, d) = sample();
        let out = json_lines(&db, Path::new("docs"), &d);
        let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        assert_eq!(v["path"], "docs/a.md");
        assert_eq!(
            (v["line"].as_u64(), v["column"].as_u64(), v["endColumn"].as_u64()),
            (Some(2), Some(1), Some(5))
        );
        assert_eq!(v["code"], "GD0009-conflict");
    }

    #[test]
    fn sarif_shape() {
        let (db, d) = sample();
        let v: serde_json::Value = serde_json::from_str(&sarif(&db, Path::new("."), &d)).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let r = &v["runs"][0]["results"][0];
        assert_eq!(r["ruleId"], "GD0009-conflict");
        assert_eq!(r["level"], "warning");
        assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
        assert_eq!(
            v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len(),
            Code::ALL.len()
        );
    }

    #[test]
    fn table_counts() {
        let (_, d) = sample();
        let t = summary_table(&d);
        assert!(t.contains("GD0009-conflict") && t.lines().last().unwrap().starts_with("total"));
    }
}
