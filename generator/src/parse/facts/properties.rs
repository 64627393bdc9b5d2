//! Property and relationship tables (`Property | Type | Description`) of
//! resource pages and request bodies: one [`PropertyFact`] per row, with
//! what its description states (possible values, the ancestor it is
//! inherited from, read-only, nullable).

use super::{PropertyFact, Spanned, TypeLink};
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::description;
use crate::parse::page::{Inline, Table};
use crate::parse::type_expr;
use crate::source::{FileId, Span};

/// The rows of a property table; `navigation` for a Relationships table.
pub(super) fn property_rows(
    file: FileId,
    namespace: &str,
    t: &Table,
    navigation: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PropertyFact> {
    let sp = |r: std::ops::Range<usize>| Span::new(file, r);
    let Some(nc) = t.column(|c| {
        matches!(
            c,
            "property" | "name" | "property name" | "relationship" | "relationship name"
        )
    }) else {
        return Vec::new();
    };
    let Some(tc) = t.column(|c| c == "type") else {
        return Vec::new();
    };
    let dc = t.column(|c| c.starts_with("description"));
    let mut out: Vec<PropertyFact> = Vec::new();
    for (i, row) in t.rows.iter().enumerate() {
        check_row_shape(file, t, i, diags);
        let (Some(name), Some(ty)) = (row.get(nc), row.get(tc)) else {
            continue;
        };
        let Some(pname) = property_name(&name.text) else {
            continue;
        };
        let Some(expr) = type_expr::parse(ty) else {
            diags.push(
                Diagnostic::warning(
                    Code::UnknownTypeExpr,
                    sp(ty.span.clone()),
                    format!("cannot read `{}` as a type", ty.text),
                )
                .with_help("use an Edm primitive (`String`, `Int32` …), a type name, or `X collection`"),
            );
            continue;
        };
        let desc = dc.and_then(|d| row.get(d));
        let possible = desc.map(|d| possible_values(&d.text)).unwrap_or_default();
        let inherited_from = desc.and_then(inherited_from);
        let description = desc.map(|d| d.text.clone()).filter(|d| !description::is_placeholder(d));
        if let Some(prev) = out.iter().find(|p| p.name.value == pname) {
            diags.push(
                Diagnostic::warning(
                    Code::Conflict,
                    sp(name.span.clone()),
                    format!("property `{pname}` is listed twice"),
                )
                .with_related(prev.name.span.clone(), "first listed here"),
            );
            continue;
        }
        out.push(PropertyFact {
            name: Spanned {
                value: pname,
                span: sp(name.span.clone()),
            },
            ty: Spanned {
                value: expr,
                span: sp(ty.span.clone()),
            },
            read_only: description::read_only(description.as_deref()),
            nullable: description::nullable(description.as_deref()),
            multi_valued: description::multi_valued(description.as_deref()),
            description,
            possible_values: possible,
            inherited_from,
            values_section: false,
            navigation,
            inferred: false,
            ty_link: ty
                .links
                .iter()
                .find(|l| !l.text.is_empty())
                .map(|l| TypeLink::new(&l.target, namespace)),
        });
    }
    out
}

/// A row with more or fewer cells than the header (an unescaped `|`).
fn check_row_shape(file: FileId, t: &Table, i: usize, diags: &mut Vec<Diagnostic>) {
    let row = &t.rows[i];
    let written = t.raw_cells.get(i).copied().unwrap_or(row.len());
    let header = if t.raw_header_cells > 0 {
        t.raw_header_cells
    } else {
        t.header.len()
    };
    if written == header {
        return;
    }
    let span = row.first().map_or(t.span.clone(), |c| c.span.clone());
    let help = if written > header {
        "escape `|` inside cells as `\\|` (also inside code spans), or drop the extra cell"
    } else {
        "add the missing cells"
    };
    diags.push(
        Diagnostic::warning(
            Code::TableShape,
            Span::new(file, span),
            format!("table row has {written} cells, the header has {header}"),
        )
        .with_help(help),
    );
}

/// The property a name cell names; `None` for cells that name none.
fn property_name(cell: &str) -> Option<String> {
    let pname = cell.trim().trim_matches('`').trim();
    // "organizer (deprecated)": a status note after the name, not part of it.
    let pname = match pname.strip_suffix(')').and_then(|p| p.rsplit_once(" (")) {
        Some((n, note)) if note.chars().all(|c| c.is_alphabetic() || c == ' ') => n.trim_end(),
        _ => pname,
    };
    let names_one = !pname.is_empty() && pname.chars().all(|c| c.is_alphanumeric() || "_@.-$".contains(c));
    names_one.then(|| pname.to_owned())
}

/// "Inherited from [x]": the ancestor `x`, by its link text if linked.
fn inherited_from(desc: &Inline) -> Option<String> {
    if !crate::parse::prefilter::may_contain_ci(&desc.text, &["inherited from"]) {
        return None;
    }
    let c = inherited_re().captures(&desc.text)?;
    // "…if it is inherited from an ancestor": prose, not a type.
    if NOT_A_TYPE.contains(&c[1].to_ascii_lowercase().as_str()) {
        return None;
    }
    // Prefer the link text over the sentence.
    desc.links
        .iter()
        .find(|l| c[1].starts_with(l.text.as_str()) && !l.text.is_empty())
        .map(|l| l.text.clone())
        .or_else(|| Some(c[1].trim_end_matches('.').to_owned()))
}

/// Members from "Possible values are: `a`, `b`, and `c`." (backticks already
/// dropped by pass 1, so the markdown and rendered forms read the same), and
/// the same list stated in other words: "The possible value are", "The
/// supported values are", "Currently supports only two values:", "Allowed
/// (valid, accepted) values are".
pub fn possible_values(description: &str) -> Vec<String> {
    // Every match says "value": most descriptions are ruled out unread.
    if !crate::parse::prefilter::may_contain_ci(description, &["value"]) {
        return Vec::new();
    }
    let Some(c) = possible_values_re().captures(description) else {
        return Vec::new();
    };
    let list = &c[1];
    // The list ends at the first sentence end after it.
    let list = list.split(". ").next().unwrap_or(list);
    let mut out = Vec::new();
    // The last two items may be joined by a conjunction alone (`a` or `b`).
    let items = list
        .split([',', ';'])
        .flat_map(|item| item.split(" or ").flat_map(|i| i.split(" and ")));
    for item in items {
        let mut w = item.trim().trim_end_matches('.').trim();
        for prefix in ["and ", "or "] {
            w = w.strip_prefix(prefix).unwrap_or(w).trim();
        }
        let w = w.trim_matches(|c| c == '`' || c == '"' || c == '\'');
        if w.is_empty() {
            continue;
        }
        if !type_expr::is_type_name(w) || w.contains('.') {
            break;
        }
        if !out.iter().any(|x| x == w) {
            out.push(w.to_owned());
        }
    }
    out
}

regex!(
    possible_values_re,
    r"(?i)(?:possible values? (?:are|is|include|for this property are)|\bsupported values (?:are|include)|\bsupports only (?:\w+ )?values?|\b(?:allowed|valid|accepted) values (?:are|include))\s*:?\s*(.+)"
);
regex!(inherited_re, r"(?i)inherited from (?:\[)?([A-Za-z_][\w.]*)");

/// Words that follow "inherited from" in prose rather than naming a type.
const NOT_A_TYPE: &[&str] = &[
    "a",
    "an",
    "the",
    "its",
    "their",
    "this",
    "that",
    "these",
    "those",
    "another",
    "any",
    "some",
    "parent",
    "parents",
    "ancestor",
    "ancestors",
    "base",
    "other",
    "one",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inherited_from_sentences() {
        assert!(inherited_re().is_match("Inherited from entity"));
        let c = inherited_re()
            .captures("Provides a reference, if it is inherited from an ancestor.")
            .unwrap();
        assert!(NOT_A_TYPE.contains(&&c[1]));
    }

    #[test]
    fn possible_values_forms() {
        assert_eq!(
            possible_values("Status. Possible values are: `a`, `b`, and `c`. More text"),
            vec!["a", "b", "c"]
        );
        assert_eq!(
            possible_values("Possible values are: unknown , notApplicable , error ."),
            vec!["unknown", "notApplicable", "error"]
        );
        assert!(possible_values("No list here.").is_empty());
        for text in [
            "The possible value are: a, b, c.",
            "The supported values are: a, b, c.",
            "Currently supports only two values: a, b, c.",
            "Allowed values are a, b, c.",
            "Possible values are: a, b or c.",
            "Possible values are: a, b, and c.",
        ] {
            assert_eq!(possible_values(text), vec!["a", "b", "c"], "{text}");
        }
        assert_eq!(
            possible_values("Defaults to none. Currently supports only two values: none or assignIfOpen."),
            vec!["none", "assignIfOpen"]
        );
        assert_eq!(
            possible_values("Possible values are: a, b or any other text."),
            vec!["a", "b"]
        );
    }

    #[test]
    fn name_cells() {
        assert_eq!(property_name("`organizer (deprecated)`").as_deref(), Some("organizer"));
        assert_eq!(property_name("@odata.type").as_deref(), Some("@odata.type"));
        assert_eq!(property_name("two words"), None);
        assert_eq!(property_name(""), None);
    }
}
