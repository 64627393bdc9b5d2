//! An endpoint's permissions, per permission kind: the scopes only change a
//! constant's value, but a least-privileged scope that grants more than
//! before is flagged for the reviewer.

use super::endpoints::{Pair, VALUE_ONLY};
use super::{Found, GroupChanges, Sides};
use crate::diff::change::{Class, Kind};
use crate::ir::{Endpoint, Permission, PermissionKind, PermissionStatus};

pub(super) fn compare(sides: &Sides, pair: &Pair, group: &mut GroupChanges) {
    let (a, b) = (pair.a, pair.b);
    // A page whose permissions table is missing (an include not in the tree)
    // says nothing about permissions; with `common_only` that is no change.
    let undocumented = a.permissions.is_empty() || b.permissions.is_empty();
    if sides.common_only && undocumented {
        return;
    }
    for kind in [
        PermissionKind::DelegatedWork,
        PermissionKind::DelegatedPersonal,
        PermissionKind::Application,
    ] {
        let find = |x: &Endpoint| x.permissions.iter().find(|p| p.kind == kind).cloned();
        let (pa, pb) = (find(a), find(b));
        if pa == pb {
            continue;
        }
        let (ta, tb) = (permission_text(pa.as_ref()), permission_text(pb.as_ref()));
        if ta == tb {
            continue;
        }
        let flag = match (least(pa.as_ref()), least(pb.as_ref())) {
            (Some(x), Some(y)) if widened(&x, &y) => Some("least-privileged scope widened".to_owned()),
            _ => None,
        };
        let change = group.push(Found {
            subject: &format!("{} ({})", pair.subject, kind_word(kind)),
            kind: Kind::EndpointPermissionsChanged,
            class: Class::Additive,
            old: Some(ta),
            new: Some(tb),
            old_at: pair.la.clone(),
            new_at: pair.lb.clone(),
            reason: format!("{VALUE_ONLY} (`permissions`); apps may need to request other scopes"),
        });
        change.flag = flag;
    }
}

fn kind_word(k: PermissionKind) -> &'static str {
    match k {
        PermissionKind::DelegatedWork => "delegated work",
        PermissionKind::DelegatedPersonal => "delegated personal",
        PermissionKind::Application => "application",
    }
}

/// Least-privileged scopes: as the table says, or the first listed (the 2021
/// tables list scopes from least to most privileged).
fn least(p: Option<&Permission>) -> Option<Vec<String>> {
    match &p?.status {
        PermissionStatus::Scopes {
            scopes,
            least_privileged,
        } => Some(if least_privileged.is_empty() {
            scopes.iter().take(1).cloned().collect()
        } else {
            least_privileged.clone()
        }),
        _ => None,
    }
}

fn permission_text(p: Option<&Permission>) -> String {
    let Some(p) = p else { return "(not listed)".into() };
    match &p.status {
        PermissionStatus::NotSupported => "not supported".into(),
        PermissionStatus::NotDocumented => "not documented".into(),
        PermissionStatus::Scopes { scopes, .. } => {
            let l = least(Some(p)).unwrap_or_default();
            // Higher-privileged scopes as a set: 2021 tables list them by
            // privilege, today's alphabetically.
            let mut higher: Vec<&str> = scopes.iter().filter(|s| !l.contains(s)).map(String::as_str).collect();
            higher.sort_unstable();
            higher.dedup();
            let mut t = format!("least: {}", l.join(" and "));
            if !higher.is_empty() {
                t.push_str(&format!("; higher: {}", higher.join(", ")));
            }
            t
        }
    }
}

/// (resource, access level, tenant-wide) of a scope such as `User.ReadWrite.All`.
fn privilege(scope: &str) -> (String, u8, bool) {
    let l = scope.to_ascii_lowercase();
    let mut parts = l.split('.');
    let resource = parts.next().unwrap_or("").to_owned();
    let rest: Vec<&str> = parts.collect();
    let access = if rest.iter().any(|p| p.contains("manage") || p.contains("fullcontrol")) {
        3
    } else if rest
        .iter()
        .any(|p| p.contains("readwrite") || p.contains("write") || p.contains("send"))
    {
        2
    } else if rest.iter().any(|p| p.contains("readbasic")) {
        0
    } else {
        1
    };
    let all = rest.last() == Some(&"all") || resource == "directory";
    (resource, access, all)
}

/// Whether scope `x` grants at least what `y` does.
fn covers(x: &str, y: &str) -> bool {
    let (rx, ax, allx) = privilege(x);
    let (ry, ay, ally) = privilege(y);
    (rx == ry || rx == "directory") && ax >= ay && (allx || !ally)
}

/// The new least-privileged set grants strictly more than the old: it covers
/// every old scope, and the old set does not cover it.
pub fn widened(old: &[String], new: &[String]) -> bool {
    let set_covers = |xs: &[String], ys: &[String]| ys.iter().all(|y| xs.iter().any(|x| covers(x, y)));
    !old.is_empty() && set_covers(new, old) && !set_covers(old, new)
}
