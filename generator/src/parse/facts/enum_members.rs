//! Enum members: the Members table of an enum's own page and the
//! `### x values` sections that other pages carry.

use super::{sections, tables, Spanned, TypeFact, TypeKindHint};
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::page::{Page, Section, SectionKind};
use crate::parse::type_expr;
use crate::source::{FileId, Span};

/// A member's name and its description.
pub type Member = (Spanned<String>, Option<String>);

/// Rows of `Member | Value | Description` (or single-column `Member`) tables.
pub(super) fn member_rows(file: FileId, s: &Section, diags: &mut Vec<Diagnostic>) -> Vec<Member> {
    let mut members: Vec<Member> = Vec::new();
    for t in tables(s) {
        // `Member | Value | Description`, `Member`, or today's `Value | Description`.
        let Some(mc) = t
            .column(|c| c == "member" || c == "name")
            .or_else(|| t.column(|c| c == "value").filter(|&i| i == 0))
        else {
            continue;
        };
        let dc = t.column(|c| c == "description");
        for row in &t.rows {
            let Some(cell) = row.get(mc) else { continue };
            let text = cell.text.trim().trim_matches('`');
            if !type_expr::is_type_name(text) || text.contains('.') {
                continue;
            }
            if let Some((first, _)) = members.iter().find(|(m, _)| m.value == text) {
                diags.push(
                    Diagnostic::warning(
                        Code::Conflict,
                        Span::new(file, cell.span.clone()),
                        format!("enum member `{text}` is listed twice"),
                    )
                    .with_related(first.span.clone(), "first listed here"),
                );
                continue;
            }
            members.push((
                Spanned {
                    value: text.to_owned(),
                    span: Span::new(file, cell.span.clone()),
                },
                dc.and_then(|d| row.get(d))
                    .map(|d| d.text.clone())
                    .filter(|d| !crate::parse::description::is_placeholder(d)),
            ));
        }
    }
    members
}

/// Whether the members tables of `s` show a flags enum: every row has an
/// integer value, the values are distinct, each 0 or a power of two, and they
/// reach 4 (three bits: 0/1/2 or 1/2 is also how counting enums start); or a
/// member's description speaks of flags ("No flags set.").
pub(super) fn flags_table(s: &Section) -> bool {
    for t in tables(s) {
        let Some(mc) = t.column(|c| c == "member" || c == "name") else {
            continue;
        };
        if let Some(dc) = t.column(|c| c == "description") {
            let says_flags = t
                .rows
                .iter()
                .filter_map(|r| r.get(dc))
                .any(|d| crate::parse::description::mentions_flags(&d.text));
            if says_flags {
                return true;
            }
        }
        let Some(vc) = t.column(|c| c == "value").filter(|&v| v != mc) else {
            continue;
        };
        let values: Option<Vec<u64>> = t
            .rows
            .iter()
            .map(|r| {
                r.get(vc)
                    .and_then(|c| c.text.trim().trim_matches('`').parse::<u64>().ok())
            })
            .collect();
        let Some(values) = values else { continue };
        let distinct = values.iter().collect::<std::collections::BTreeSet<_>>().len() == values.len();
        if values.len() >= 2
            && distinct
            && values.iter().all(|&v| v == 0 || v.is_power_of_two())
            && values.iter().any(|&v| v >= 4)
        {
            return true;
        }
    }
    false
}

/// `### x values` sections, on any page: an enum `x` with the rows' members.
pub(super) fn value_sections(page: &Page, diags: &mut Vec<Diagnostic>) -> Vec<TypeFact> {
    let mut out = Vec::new();
    for s in sections(page, SectionKind::EnumValues) {
        let Some(h) = &s.heading else { continue };
        let Some(ename) = h
            .text
            .split_whitespace()
            .next()
            .map(|w| w.trim_matches(|c| c == '`' || c == '*'))
        else {
            continue;
        };
        if !type_expr::is_type_name(ename) {
            continue;
        }
        let members = member_rows(page.file, s, diags);
        let flags = flags_table(s);
        if !members.is_empty() {
            let name = Spanned {
                value: ename.to_owned(),
                span: Span::new(page.file, h.span.clone()),
            };
            out.push(TypeFact {
                members,
                flags,
                ..TypeFact::named(name, TypeKindHint::Enum)
            });
        }
    }
    out
}
