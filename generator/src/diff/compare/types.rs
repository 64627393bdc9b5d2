//! Types: added, removed, renamed, kind changed, base type changed; then
//! their properties ([`super::properties`]) or enum members
//! ([`super::members`]).

use super::{first_at, members, properties, workload, Found, GroupChanges, Options, Side, Sides};
use crate::diff::change::{Change, Class, Kind};
use crate::diff::matching;
use crate::diff::rules::Rules;
use crate::ir::{TypeDef, TypeId, TypeKind};
use std::collections::{HashMap, HashSet};

/// Old id → new id of every type pair, so that references to a renamed type
/// count as unchanged.
type Renames = HashMap<TypeId, TypeId>;

pub fn types(old: &Side, new: &Side, rules: &Rules, opts: &Options, out: &mut Vec<Change>) {
    let sides = Sides {
        old,
        new,
        rules,
        common_only: opts.common_only,
    };
    let pairs = matching::types(old.model, new.model);
    let renames: Renames = pairs
        .pairs
        .iter()
        .map(|&(i, j)| (TypeId(i as u32), TypeId(j as u32)))
        .collect();
    for &(i, j) in &pairs.pairs {
        let (a, b) = (&old.model.types[i], &new.model.types[j]);
        if opts.common_only && !matching::both_document(a, b) {
            continue;
        }
        let workload = workload(Some(&a.workload), Some(&b.workload));
        let mut group = GroupChanges::new(out, workload, b.namespace.clone());
        type_pair(&sides, &renames, a, b, &mut group);
    }
    if opts.common_only {
        return;
    }
    for &i in &pairs.removed {
        let a = &old.model.types[i];
        let mut group = GroupChanges::new(out, workload(Some(&a.workload), None), a.namespace.clone());
        group.push(Found {
            subject: &a.name,
            kind: Kind::TypeRemoved,
            class: Class::Breaking,
            old: Some(a.qualified().to_string()),
            new: None,
            old_at: first_at(&a.sources),
            new_at: None,
            reason: format!(
                "`{}` is no longer generated: code naming it stops compiling",
                old.type_path(a.id)
            ),
        });
    }
    for &j in &pairs.added {
        let b = &new.model.types[j];
        let mut group = GroupChanges::new(out, workload(None, Some(&b.workload)), b.namespace.clone());
        group.push(Found {
            subject: &b.name,
            kind: Kind::TypeAdded,
            class: Class::Additive,
            old: None,
            new: Some(b.qualified().to_string()),
            old_at: None,
            new_at: first_at(&b.sources),
            reason: format!("new item `{}`", new.type_path(b.id)),
        });
    }
}

fn is_enum(t: &TypeDef) -> bool {
    t.kind == TypeKind::Enum
}

fn kind_text(t: &TypeDef) -> String {
    format!("{:?}", t.kind).to_ascii_lowercase()
}

fn type_pair(sides: &Sides, renames: &Renames, a: &TypeDef, b: &TypeDef, group: &mut GroupChanges) {
    if a.qualified() != b.qualified() {
        renamed(sides, a, b, group);
    }
    if a.kind != b.kind {
        kind_changed(a, b, group);
        if is_enum(a) != is_enum(b) {
            return;
        }
    }
    if is_enum(a) {
        members::compare(sides, a, b, group);
        return;
    }
    if !same_base(renames, a, b) {
        base_changed(sides, a, b, group);
    }
    properties::compare(sides, a, b, group);
}

fn renamed(sides: &Sides, a: &TypeDef, b: &TypeDef, group: &mut GroupChanges) {
    let (pa, pb) = (sides.old.type_path(a.id), sides.new.type_path(b.id));
    let (class, reason) = if pa == pb {
        (
            Class::DocsOnly,
            format!("the Rust name stays `{pb}`; only the documented name changes"),
        )
    } else {
        (
            Class::Breaking,
            format!("`{pa}` is now `{pb}`: code naming the old type stops compiling"),
        )
    };
    group.push(Found {
        subject: &b.name,
        kind: Kind::TypeRenamed,
        class,
        old: Some(a.qualified().to_string()),
        new: Some(b.qualified().to_string()),
        old_at: first_at(&a.sources),
        new_at: first_at(&b.sources),
        reason,
    });
}

fn kind_changed(a: &TypeDef, b: &TypeDef, group: &mut GroupChanges) {
    let (class, reason) = if is_enum(a) != is_enum(b) {
        (
            Class::Breaking,
            "a struct becomes an enum or the reverse: code using it stops compiling",
        )
    } else {
        (
            Class::DocsOnly,
            "entity and complex types are both emitted as structs; only the doc comment changes",
        )
    };
    group.push(Found {
        subject: &b.name,
        kind: Kind::TypeKindChanged,
        class,
        old: Some(kind_text(a)),
        new: Some(kind_text(b)),
        old_at: first_at(&a.sources),
        new_at: first_at(&b.sources),
        reason: reason.to_owned(),
    });
}

fn same_base(renames: &Renames, a: &TypeDef, b: &TypeDef) -> bool {
    match (a.base_id, b.base_id) {
        (Some(x), Some(y)) => renames.get(&x) == Some(&y),
        _ => {
            a.base_type.as_ref().map(|q| q.to_string().to_ascii_lowercase())
                == b.base_type.as_ref().map(|q| q.to_string().to_ascii_lowercase())
        }
    }
}

/// Inherited properties are flattened: what matters is whether every field
/// the struct had is still there.
fn base_changed(sides: &Sides, a: &TypeDef, b: &TypeDef, group: &mut GroupChanges) {
    let (fa, fb) = (sides.old.fields(a.id), sides.new.fields(b.id));
    let lower_b: HashSet<String> = fb.keys().map(|k| k.to_ascii_lowercase()).collect();
    let mut lost: Vec<&str> = fa
        .keys()
        .filter(|k| !lower_b.contains(&k.to_ascii_lowercase()))
        .copied()
        .collect();
    lost.sort_unstable();
    let (class, reason) = if lost.is_empty() {
        (
            Class::Additive,
            "inherited properties are flattened into the struct, and every field it had is still there".to_owned(),
        )
    } else {
        (
            Class::Breaking,
            format!(
                "inherited properties are flattened into the struct; fields of `{}` are lost: {}",
                sides.old.type_path(a.id),
                lost.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ")
            ),
        )
    };
    let q = |t: &TypeDef| t.base_type.as_ref().map_or("(none)".to_owned(), |q| q.to_string());
    group.push(Found {
        subject: &b.name,
        kind: Kind::BaseTypeChanged,
        class,
        old: Some(q(a)),
        new: Some(q(b)),
        old_at: first_at(&a.sources),
        new_at: first_at(&b.sources),
        reason,
    });
}
