//! Members of an enum on both sides: added, removed, renamed (wire value),
//! description changed, reordered. Classes follow the emitted enum's shape
//! (`#[non_exhaustive]`, catch-all variant, derived `Ord`) from the rules.

use super::{at, first_at, same_text, Found, GroupChanges, Sides};
use crate::diff::change::{Class, Kind};
use crate::diff::matching;
use crate::ir::{EnumMember, TypeDef};

/// An enum on both sides with its Rust names: variants by member index, the
/// new side's catch-all variant, and the enum's path on each side.
struct Enums<'a> {
    a: &'a TypeDef,
    b: &'a TypeDef,
    va: &'a [String],
    vb: &'a [String],
    catch_all: &'a str,
    pa: String,
    pb: String,
}

pub(super) fn compare(sides: &Sides, a: &TypeDef, b: &TypeDef, group: &mut GroupChanges) {
    let names_a: Vec<&str> = a.members.iter().map(|m| m.name.as_str()).collect();
    let names_b: Vec<&str> = b.members.iter().map(|m| m.name.as_str()).collect();
    let pairs = matching::by_name(&names_a, &names_b);
    let enums = Enums {
        a,
        b,
        va: &sides.old.names.variants[a.id.0 as usize],
        vb: &sides.new.names.variants[b.id.0 as usize],
        catch_all: &sides.new.names.catch_all[b.id.0 as usize],
        pa: sides.old.type_path(a.id),
        pb: sides.new.type_path(b.id),
    };
    for &i in &pairs.removed {
        removed(sides, &enums, i, group);
    }
    for &j in &pairs.added {
        added(sides, &enums, j, group);
    }
    for &(i, j) in &pairs.pairs {
        paired(sides, &enums, (i, j), group);
    }
    reordered(sides, &enums, &pairs.pairs, group);
}

fn removed(sides: &Sides, enums: &Enums, i: usize, group: &mut GroupChanges) {
    let (a, b) = (enums.a, enums.b);
    let m = &a.members[i];
    if !sides.comparable(Some(&m.source), None) {
        return;
    }
    let fallback = if sides.rules.enums_catch_all {
        format!(
            "the value still deserializes, into `{}`",
            sides.old.names.catch_all[a.id.0 as usize]
        )
    } else {
        "the value no longer deserializes".into()
    };
    group.push(Found {
        subject: &format!("{}.{}", b.name, m.name),
        kind: Kind::MemberRemoved,
        class: Class::Breaking,
        old: Some(m.name.clone()),
        new: None,
        old_at: Some(at(&m.source)),
        new_at: None,
        reason: format!(
            "`{}::{}` no longer exists: code naming it stops compiling; {fallback}",
            enums.pa, enums.va[i]
        ),
    });
}

fn added(sides: &Sides, enums: &Enums, j: usize, group: &mut GroupChanges) {
    let m = &enums.b.members[j];
    if !sides.comparable(None, Some(&m.source)) {
        return;
    }
    let (pb, vb) = (&enums.pb, &enums.vb[j]);
    let (class, reason) = if sides.rules.enums_non_exhaustive && sides.rules.enums_catch_all {
        (
            Class::Additive,
            format!(
                "new variant `{pb}::{vb}`: the enum is `#[non_exhaustive]` (matches already have a wildcard arm), and the value used to deserialize into `{}`",
                enums.catch_all
            ),
        )
    } else {
        (
            Class::Breaking,
            format!("new variant `{pb}::{vb}`: exhaustive matches stop compiling"),
        )
    };
    group.push(Found {
        subject: &format!("{}.{}", enums.b.name, m.name),
        kind: Kind::MemberAdded,
        class,
        old: None,
        new: Some(m.name.clone()),
        old_at: None,
        new_at: Some(at(&m.source)),
        reason,
    });
}

fn paired(sides: &Sides, enums: &Enums, (i, j): (usize, usize), group: &mut GroupChanges) {
    let (m, n) = (&enums.a.members[i], &enums.b.members[j]);
    let s = format!("{}.{}", enums.b.name, n.name);
    if !sides.comparable(Some(&m.source), Some(&n.source)) {
        return;
    }
    if m.name != n.name {
        renamed(enums, (i, m), (j, n), &s, group);
    }
    if !same_text(&m.description, &n.description) {
        group.push(Found {
            subject: &s,
            kind: Kind::MemberDescriptionChanged,
            class: Class::DocsOnly,
            old: m.description.clone(),
            new: n.description.clone(),
            old_at: Some(at(&m.source)),
            new_at: Some(at(&n.source)),
            reason: "the variant's doc comment changes".into(),
        });
    }
}

/// The wire value changed: the naming authority decides whether the variant
/// changes with it.
fn renamed(
    enums: &Enums,
    (i, m): (usize, &EnumMember),
    (j, n): (usize, &EnumMember),
    s: &str,
    group: &mut GroupChanges,
) {
    let (pa, pb, va, vb) = (&enums.pa, &enums.pb, &enums.va[i], &enums.vb[j]);
    let (class, reason) = if va == vb {
        (
            Class::Additive,
            format!(
                "the variant stays `{pb}::{vb}`; only its wire value changes (the old spelling now reads as `{}`)",
                enums.catch_all
            ),
        )
    } else {
        (
            Class::Breaking,
            format!("`{pa}::{va}` is now `{pb}::{vb}`: code naming it stops compiling"),
        )
    };
    group.push(Found {
        subject: s,
        kind: Kind::MemberRenamed,
        class,
        old: Some(m.name.clone()),
        new: Some(n.name.clone()),
        old_at: Some(at(&m.source)),
        new_at: Some(at(&n.source)),
        reason,
    });
}

/// Relative order of the members both sides have.
fn reordered(sides: &Sides, enums: &Enums, pairs: &[(usize, usize)], group: &mut GroupChanges) {
    let (a, b) = (enums.a, enums.b);
    let mut by_old = pairs.to_vec();
    by_old.sort_unstable();
    let mut by_new = pairs.to_vec();
    by_new.sort_unstable_by_key(|&(_, j)| j);
    let pages_known = by_old
        .iter()
        .all(|&(i, j)| sides.comparable(Some(&a.members[i].source), Some(&b.members[j].source)));
    // Member order is the union over every page that lists them, so a
    // sample of pages cannot reproduce it: not compared with `common_only`.
    if by_old == by_new || !pages_known || sides.common_only {
        return;
    }
    let list = |v: &[(usize, usize)], old_side: bool| -> String {
        v.iter()
            .map(|&(i, j)| {
                if old_side {
                    a.members[i].name.as_str()
                } else {
                    b.members[j].name.as_str()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ord = if sides.rules.enums_ord {
        "`VALUES` and the derived `Ord` follow the new order"
    } else {
        "`VALUES` follows the new order"
    };
    group.push(Found {
        subject: &b.name,
        kind: Kind::MembersReordered,
        class: Class::Additive,
        old: Some(list(&by_old, true)),
        new: Some(list(&by_new, false)),
        old_at: first_at(&a.sources),
        new_at: first_at(&b.sources),
        reason: format!("variants keep their names, so code compiles; {ord}"),
    });
}
