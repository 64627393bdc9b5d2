//! Permissions: the Permissions section's table, inline (2017–2021 pages) or
//! pulled in with `[!INCLUDE [permissions-table](…)]` (today's pages), in both
//! the "Permissions" and the "Least privileged | Higher privileged" layouts.

use super::{sections, tables, PermissionFact};
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{PermissionKind, PermissionStatus};
use crate::parse::page::{Block, Page, SectionKind, Table};
use crate::source::{FileId, SourceDb, Span};

/// Permission tables of the page's Permissions sections, inline or pulled in
/// with `[!INCLUDE [permissions-table](../includes/permissions/x.md)]`.
fn permission_tables(page: &Page, db: &SourceDb, diags: &mut Vec<Diagnostic>) -> Vec<(FileId, Table)> {
    let mut out = Vec::new();
    let from = &db.file(page.file).path;
    for s in sections(page, SectionKind::Permissions) {
        for b in &s.blocks {
            match b {
                Block::Table(t) => out.push((page.file, t.clone())),
                // Only permission tables matter here; RBAC notes and other
                // includes in this section are deliberately not read.
                Block::Include(inc) if inc.label == "permissions-table" || inc.target.contains("/permissions/") => {
                    let found = SourceDb::resolve_relative(from, &inc.target).and_then(|p| db.find(&p));
                    let Some(id) = found else {
                        diags.push(
                            Diagnostic::warning(
                                Code::MissingInclude,
                                Span::new(page.file, inc.span.clone()),
                                format!("permissions include `{}` is not in the docs tree", inc.target),
                            )
                            .with_label("this endpoint's permissions are unknown")
                            .with_help("add the include file, or check the relative path"),
                        );
                        continue;
                    };
                    let text = &db.file(id).text;
                    let (_, body) = crate::parse::front_matter::split(id, text, diags);
                    let (_, inc_sections) = crate::parse::markdown::parse(id, text, body, diags);
                    for s in &inc_sections {
                        out.extend(tables(s).map(|t| (id, t.clone())));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Every permission row of the page: kind, scopes (least privileged first
/// where the table says so), or "not supported" / "not documented".
pub fn read(page: &Page, db: &SourceDb, diags: &mut Vec<Diagnostic>) -> Vec<PermissionFact> {
    let mut out = Vec::new();
    for (file, t) in permission_tables(page, db, diags) {
        let t = &t;
        {
            let Some(kc) = t.column(|c| c.starts_with("permission type")) else {
                continue;
            };
            let Some(pc) = t.column(|c| {
                c.starts_with("permission") && !c.starts_with("permission type") || c.starts_with("least privileged")
            }) else {
                continue;
            };
            let hc = t.column(|c| c.starts_with("higher privileged"));
            for row in &t.rows {
                let (Some(k), Some(p)) = (row.get(kc), row.get(pc)) else {
                    continue;
                };
                let lk = k.text.to_ascii_lowercase();
                let kind = if lk.contains("personal") {
                    PermissionKind::DelegatedPersonal
                } else if lk.contains("delegated") {
                    PermissionKind::DelegatedWork
                } else if lk.contains("application") {
                    PermissionKind::Application
                } else {
                    continue;
                };
                let span = Span::new(file, p.span.clone());
                let cell = p.text.trim();
                let lower = cell.to_ascii_lowercase();
                let status = if lower.contains("todo") || cell.is_empty() {
                    if lower.contains("todo") {
                        diags.push(
                            Diagnostic::warning(
                                Code::PermissionTodo,
                                span.clone(),
                                "permission is a TODO placeholder, not a scope",
                            )
                            .with_label("recorded as \"not documented\"")
                            .with_help("list the scopes, or `Not supported.`"),
                        );
                    }
                    PermissionStatus::NotDocumented
                } else if lower.starts_with("not supported") || lower.starts_with("not available") {
                    PermissionStatus::NotSupported
                } else {
                    let mut scopes = split_scopes(cell);
                    // The least-privileged cell may need several scopes together
                    // (`A and B`); all of them are the least privilege.
                    // In the one-column layout ("from least to most privileged")
                    // a first entry `A and B` is a least privilege of several
                    // scopes; a single first scope stays implicit (it is `scopes[0]`).
                    let least = if hc.is_some() {
                        scopes.clone()
                    } else {
                        let first = split_scopes(cell.split([',', ';']).next().unwrap_or(""));
                        if first.len() > 1 {
                            first
                        } else {
                            Vec::new()
                        }
                    };
                    if let Some(h) = hc.and_then(|h| row.get(h)) {
                        for s in split_scopes(&h.text) {
                            if !scopes.contains(&s) {
                                scopes.push(s);
                            }
                        }
                    }
                    PermissionStatus::Scopes {
                        scopes,
                        least_privileged: least,
                    }
                };
                out.push(PermissionFact { kind, status, span });
            }
        }
    }
    out
}

fn split_scopes(cell: &str) -> Vec<String> {
    cell.split([',', ';'])
        .flat_map(|s| s.split(" and ").flat_map(|s| s.split(" or ")))
        .map(|s| s.trim().trim_end_matches('.').trim())
        .filter(|s| !s.is_empty() && s.contains('.') && !s.contains(' ') && !s.eq_ignore_ascii_case("not supported"))
        .map(str::to_owned)
        .collect()
}
