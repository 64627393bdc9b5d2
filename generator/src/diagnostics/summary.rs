//! What ends every codegen run: the table of diagnostics by code and the
//! summary line.

use super::{count, Code, Diagnostic, Severity};
use crate::Stats;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The table of diagnostics by code (errors, warnings, notes), with totals;
/// empty without diagnostics.
pub fn table(diags: &[Diagnostic]) -> String {
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

/// `codegen: 5 pages, …; 0 errors, 14 warnings, 0 notes [GD0005-example-placeholder: 6, …]`
/// and a newline.
pub fn line(stats: &Stats, diags: &[Diagnostic]) -> String {
    let (s, counts) = (stats, count(diags));
    format!(
        "codegen: {} pages, {} types, {} enums, {} endpoints, {} examples; {} errors, {} warnings, {} notes{}\n",
        s.pages,
        s.types,
        s.enums,
        s.endpoints,
        s.examples,
        counts.errors,
        counts.warnings,
        counts.notes,
        by_code(diags)
    )
}

/// ` [GD0005-example-placeholder: 3, …]`, or nothing.
fn by_code(diags: &[Diagnostic]) -> String {
    let mut m: BTreeMap<Code, usize> = BTreeMap::new();
    for d in diags.iter().filter(|d| d.severity >= Severity::Note) {
        *m.entry(d.code).or_default() += 1;
    }
    if m.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = m.iter().map(|(c, n)| format!("{}: {n}", c.as_str())).collect();
    format!(" [{}]", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    #[test]
    fn table_counts() {
        let d = Diagnostic::warning(Code::Conflict, Span::new(FileId(0), 9..13), "bad");
        let t = table(&[d]);
        assert!(t.contains("GD0009-conflict") && t.lines().last().unwrap().starts_with("total"));
    }

    #[test]
    fn line_lists_codes() {
        let d = Diagnostic::warning(Code::Conflict, Span::new(FileId(0), 0..0), "bad");
        let l = line(&Stats::default(), &[d]);
        assert!(l.ends_with("1 warnings, 0 notes [GD0009-conflict: 1]\n"), "{l}");
    }
}
