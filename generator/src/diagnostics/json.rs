//! Diagnostics as JSON lines: one object per diagnostic, for scripts and CI.

use super::{page_uri, resolve, Diagnostic};
use crate::source::SourceDb;
use serde_json::json;

/// One JSON object per line; page paths start with `base` ([`page_uri`]).
pub fn lines(db: &SourceDb, base: &str, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let r = resolve(db, d);
        let v = json!({
            "code": r.code.as_str(),
            "severity": r.severity,
            "path": page_uri(base, &r.location.path),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::source::{FileId, Span};

    #[test]
    fn json_has_located_objects() {
        let db = SourceDb::from_pages([("a.md", b"line one\nline two\n".to_vec())]);
        let d = Diagnostic::warning(Code::Conflict, Span::new(FileId(0), 9..13), "bad").with_help("fix it");
        let out = lines(&db, "docs", &[d]);
        let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        assert_eq!(v["path"], "docs/a.md");
        assert_eq!(
            (v["line"].as_u64(), v["column"].as_u64(), v["endColumn"].as_u64()),
            (Some(2), Some(1), Some(5))
        );
        assert_eq!(v["code"], "GD0009-conflict");
    }
}
