//! The report as markdown (a pull-request comment: counts first, one
//! collapsible section per workload and namespace) or JSON.

use super::change::{Change, Class, Counts, Report};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Longest value shown in a markdown cell; JSON keeps everything.
const MAX_CELL: usize = 160;

pub fn json(report: &Report) -> String {
    // Plain strings, numbers and enums only.
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}

/// `old_label`/`new_label` name the two sides (`origin/main`, a folder).
pub fn markdown(report: &Report, old_label: &str, new_label: &str) -> String {
    let mut out = String::new();
    let c = report.summary;
    let _ = writeln!(out, "## API changes: {} → {}\n", cell(old_label), cell(new_label));
    if report.is_empty() {
        out.push_str("No API changes.\n");
        return out;
    }
    let _ = write!(
        out,
        "**{} breaking** · {} additive · {} docs-only",
        c.breaking, c.additive, c.docs_only
    );
    if c.flagged > 0 {
        let _ = write!(out, " · ⚠ {} flagged", c.flagged);
    }
    out.push_str("\n\n");
    let mut groups: BTreeMap<(&str, &str), Vec<&Change>> = BTreeMap::new();
    for ch in &report.changes {
        groups.entry((&ch.workload, &ch.namespace)).or_default().push(ch);
    }
    out.push_str("| workload | namespace | breaking | additive | docs-only |\n|---|---|---:|---:|---:|\n");
    for ((w, ns), list) in &groups {
        let k = Counts::of(list.iter().copied());
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            cell(w),
            cell(ns),
            k.breaking,
            k.additive,
            k.docs_only
        );
    }
    out.push('\n');
    for ((w, ns), mut list) in groups {
        list.sort_by(|a, b| (a.class, &a.subject, a.kind).cmp(&(b.class, &b.subject, b.kind)));
        let k = Counts::of(list.iter().copied());
        let mut parts = Vec::new();
        for (n, class) in [
            (k.breaking, Class::Breaking),
            (k.additive, Class::Additive),
            (k.docs_only, Class::DocsOnly),
        ] {
            if n > 0 {
                parts.push(format!("{n} {}", class.as_str()));
            }
        }
        let _ = writeln!(
            out,
            "<details><summary><b>{}</b> · <code>{}</code>: {}</summary>\n",
            html(w),
            html(ns),
            parts.join(", ")
        );
        out.push_str("| class | change | subject | old | new | why |\n|---|---|---|---|---|---|\n");
        for ch in list {
            let class = match ch.class {
                Class::Breaking => "**breaking**".to_owned(),
                c => c.as_str().to_owned(),
            };
            let flag = ch
                .flag
                .as_ref()
                .map_or(String::new(), |f| format!("⚠ **{}** ", cell(f)));
            let _ = writeln!(
                out,
                "| {class} | {} | {} | {} | {} | {flag}{} |",
                ch.kind.words(),
                code(&ch.subject),
                side(ch.old.as_deref(), ch.old_at.as_deref()),
                side(ch.new.as_deref(), ch.new_at.as_deref()),
                cell(&ch.reason)
            );
        }
        out.push_str("\n</details>\n\n");
    }
    let r = report.rules;
    let yes = |b: bool| if b { "yes" } else { "no" };
    let _ = writeln!(
        out,
        "<sub>Classified from the emitter's output: fields optional {}, structs derive Default {}, unknown fields denied {}, enums non-exhaustive {}, enum catch-all {}.</sub>",
        yes(r.fields_optional),
        yes(r.structs_default),
        yes(r.deny_unknown_fields),
        yes(r.enums_non_exhaustive),
        yes(r.enums_catch_all)
    );
    out
}

/// A value and its doc location, or a dash.
fn side(value: Option<&str>, at: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(v) = value {
        parts.push(code(v));
    }
    if let Some(a) = at {
        parts.push(cell(a));
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join("<br>")
    }
}

/// Text safe inside a table cell: one line, pipes escaped, HTML neutral, bounded.
fn cell(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = if one_line.chars().count() > MAX_CELL {
        let mut t: String = one_line.chars().take(MAX_CELL).collect();
        t.push('…');
        t
    } else {
        one_line
    };
    html(&short).replace('|', "\\|")
}

/// Escapes HTML outside code spans (inside them GitHub shows text as is).
fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    let balanced = s.matches('`').count().is_multiple_of(2);
    for c in s.chars() {
        match c {
            '`' if balanced => {
                in_code = !in_code;
                out.push(c);
            }
            '&' if !in_code => out.push_str("&amp;"),
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A code span when the text allows one; long prose stays plain.
fn code(s: &str) -> String {
    if s.contains('`') || s.chars().count() > 60 || s.contains('\n') {
        cell(s)
    } else {
        cell(&format!("`{s}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_in_their_table() {
        assert_eq!(cell("a | b\nc <d>"), "a \\| b c &lt;d&gt;");
        assert_eq!(cell("`Option<T>` & <x>"), "`Option<T>` &amp; &lt;x&gt;");
        assert_eq!(cell("odd ` <x>"), "odd ` &lt;x&gt;");
        assert_eq!(code("x`y"), "x`y");
        assert_eq!(code("Edm.String"), "`Edm.String`");
        assert!(cell(&"x".repeat(500)).ends_with('…'));
    }
}
