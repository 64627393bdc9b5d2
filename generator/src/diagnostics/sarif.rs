//! Diagnostics as a SARIF 2.1.0 log, which code-review tools turn into
//! pull-request annotations. Every code is a rule.

use super::{page_uri, resolve, Code, Diagnostic, Severity};
use crate::source::SourceDb;
use serde_json::json;
use std::fmt::Write as _;

/// The log, pretty-printed; page paths start with `base` ([`page_uri`]).
pub fn log(db: &SourceDb, base: &str, diags: &[Diagnostic]) -> String {
    let rules: Vec<_> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "shortDescription": { "text": c.description() },
            })
        })
        .collect();
    let results: Vec<_> = diags.iter().map(|d| result(db, base, d)).collect();
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

/// One diagnostic as a SARIF result.
fn result(db: &SourceDb, base: &str, d: &Diagnostic) -> serde_json::Value {
    let r = resolve(db, d);
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
                "artifactLocation": { "uri": page_uri(base, &r.location.path) },
                "region": {
                    "startLine": r.location.line,
                    "startColumn": r.location.col,
                    "endLine": r.end_line,
                    "endColumn": r.end_col.max(1),
                }
            }
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    #[test]
    fn sarif_shape() {
        let db = SourceDb::from_pages([("a.md", b"line one\nline two\n".to_vec())]);
        let d = Diagnostic::warning(Code::Conflict, Span::new(FileId(0), 9..13), "bad").with_help("fix it");
        let v: serde_json::Value = serde_json::from_str(&log(&db, ".", &[d])).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let r = &v["runs"][0]["results"][0];
        assert_eq!(r["ruleId"], "GD0009-conflict");
        assert_eq!(r["level"], "warning");
        assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "a.md");
        assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
        assert_eq!(
            v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len(),
            Code::ALL.len()
        );
    }
}
