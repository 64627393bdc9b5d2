//! Properties of a struct type on both sides: added, removed, renamed (wire
//! spelling), moved to or from a base type, and changed (type, read-only,
//! nullable, navigation, description). Inherited properties are flattened
//! into each struct, so the flattened fields are what users see.

use super::{at, same_text, Fields, Found, GroupChanges, Sides};
use crate::diff::change::{Class, Kind};
use crate::diff::matching;
use crate::ir::{Property, TypeDef, TypeRef};

/// A struct type on both sides with its flattened fields.
struct Owners<'a> {
    a: &'a TypeDef,
    b: &'a TypeDef,
    fa: Fields<'a>,
    fb: Fields<'a>,
}

pub(super) fn compare(sides: &Sides, a: &TypeDef, b: &TypeDef, group: &mut GroupChanges) {
    let owners = Owners {
        a,
        b,
        fa: sides.old.fields(a.id),
        fb: sides.new.fields(b.id),
    };
    let names_a: Vec<&str> = a.properties.iter().map(|p| p.name.as_str()).collect();
    let names_b: Vec<&str> = b.properties.iter().map(|p| p.name.as_str()).collect();
    let pairs = matching::by_name(&names_a, &names_b);
    for &i in &pairs.removed {
        removed(sides, &owners, &a.properties[i], group);
    }
    for &j in &pairs.added {
        added(sides, &owners, &b.properties[j], group);
    }
    for &(i, j) in &pairs.pairs {
        let (p, q) = (&a.properties[i], &b.properties[j]);
        let s = format!("{}.{}", b.name, q.name);
        if !sides.comparable(Some(&p.source), Some(&q.source)) {
            continue;
        }
        if p.name != q.name {
            renamed(&owners, p, q, &s, group);
        }
        property_pair(sides, (a, p), (b, q), &s, group);
    }
}

/// The field of that wire name, else its smallest case twin: a deterministic
/// choice (map order is not), so both directions pick the same property.
fn case_twin<'f>(fields: &Fields<'f>, name: &str) -> Option<&'f Property> {
    if let Some((p, _)) = fields.get(name) {
        return Some(p);
    }
    fields
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .min_by_key(|(k, _)| **k)
        .map(|(_, (p, _))| *p)
}

fn removed(sides: &Sides, owners: &Owners, p: &Property, group: &mut GroupChanges) {
    let (a, b) = (owners.a, owners.b);
    let s = format!("{}.{}", b.name, p.name);
    if !sides.comparable(Some(&p.source), None) {
        return;
    }
    if let Some(q) = case_twin(&owners.fb, &p.name) {
        if sides.comparable(None, Some(&q.source)) {
            moved(sides, (a, p), (b, q), &s, group);
        }
        return;
    }
    let field = owners.fa.get(p.name.as_str()).map_or(p.name.as_str(), |f| f.1);
    let payload = if sides.rules.deny_unknown_fields {
        "payloads that still carry it stop deserializing"
    } else {
        "payloads that still carry it deserialize (unknown fields are ignored)"
    };
    group.push(Found {
        subject: &s,
        kind: Kind::PropertyRemoved,
        class: Class::Breaking,
        old: Some(p.ty.csdl()),
        new: None,
        old_at: Some(at(&p.source)),
        new_at: None,
        reason: format!(
            "field `{field}` of `{}` is gone: code reading or setting it stops compiling; {payload}",
            sides.old.type_path(a.id)
        ),
    });
}

fn added(sides: &Sides, owners: &Owners, q: &Property, group: &mut GroupChanges) {
    let (a, b) = (owners.a, owners.b);
    let s = format!("{}.{}", b.name, q.name);
    if !sides.comparable(None, Some(&q.source)) {
        return;
    }
    if let Some(p) = case_twin(&owners.fa, &q.name) {
        if sides.comparable(Some(&p.source), None) {
            moved(sides, (a, p), (b, q), &s, group);
        }
        return;
    }
    let field = owners.fb.get(q.name.as_str()).map_or(q.name.as_str(), |f| f.1);
    let rules = sides.rules;
    let (class, reason) = if rules.fields_optional && rules.structs_default {
        (
            Class::Additive,
            format!(
                "new optional field `{field}` (`Option<{}>`): struct literals must end in `..Default::default()` (structs derive `Default`)",
                sides.new.field_type(q)
            ),
        )
    } else {
        (
            Class::Breaking,
            format!("new field `{field}`: struct literals naming every field stop compiling"),
        )
    };
    group.push(Found {
        subject: &s,
        kind: Kind::PropertyAdded,
        class,
        old: None,
        new: Some(q.ty.csdl()),
        old_at: None,
        new_at: Some(at(&q.source)),
        reason,
    });
}

/// The wire name changed (`size` → `Size`): the naming authority decides
/// whether the Rust field changes with it.
fn renamed(owners: &Owners, p: &Property, q: &Property, s: &str, group: &mut GroupChanges) {
    let fp = owners.fa.get(p.name.as_str()).map_or("", |f| f.1);
    let fq = owners.fb.get(q.name.as_str()).map_or("", |f| f.1);
    let (class, reason) = if fp == fq {
        (
            Class::Additive,
            format!("the field stays `{fq}`; only its serde wire name changes (payloads with the old spelling leave it `None`)"),
        )
    } else {
        (
            Class::Breaking,
            format!("field `{fp}` is now `{fq}`: code using the old name stops compiling"),
        )
    };
    group.push(Found {
        subject: s,
        kind: Kind::PropertyRenamed,
        class,
        old: Some(p.name.clone()),
        new: Some(q.name.clone()),
        old_at: Some(at(&p.source)),
        new_at: Some(at(&q.source)),
        reason,
    });
}

/// A property now declared on a base type, or on the type instead of its
/// base: the flattened struct is what users see.
fn moved(
    sides: &Sides,
    (_, p): (&TypeDef, &Property),
    (b, q): (&TypeDef, &Property),
    s: &str,
    group: &mut GroupChanges,
) {
    let (tp, tq) = (sides.old.field_type(p), sides.new.field_type(q));
    let (class, reason) = if tp == tq || one_side_only(sides, &p.ty, &q.ty) {
        (
            Class::DocsOnly,
            format!("inherited properties are flattened, so `{}` keeps the field (`Option<{tq}>`); only the page that declares it changes", sides.new.type_path(b.id)),
        )
    } else {
        (
            Class::Breaking,
            format!("the flattened field's type changes from `Option<{tp}>` to `Option<{tq}>`"),
        )
    };
    group.push(Found {
        subject: s,
        kind: Kind::PropertyMoved,
        class,
        old: Some(p.ty.csdl()),
        new: Some(q.ty.csdl()),
        old_at: Some(at(&p.source)),
        new_at: Some(at(&q.source)),
        reason,
    });
}

/// The same property on both sides: its type, then the facts the emitter
/// does not turn into code.
fn property_pair(
    sides: &Sides,
    (_, p): (&TypeDef, &Property),
    (_, q): (&TypeDef, &Property),
    s: &str,
    group: &mut GroupChanges,
) {
    let (tp, tq) = (sides.old.field_type(p), sides.new.field_type(q));
    // A type only one side documents resolves on that side alone; with
    // `common_only` that is not a change of this property.
    // A field type changed only by a relationship becoming structural (or the
    // reverse) is reported once, as that change, below.
    let retyped = p.ty.csdl() != q.ty.csdl() || (tp != tq && p.navigation == q.navigation);
    if !one_side_only(sides, &p.ty, &q.ty) && retyped {
        type_changed(p, q, (&tp, &tq), s, group);
    }
    let (lp, lq) = (Some(at(&p.source)), Some(at(&q.source)));
    let opt = if sides.rules.fields_optional {
        "every field is `Option<T>` either way"
    } else {
        "the emitter does not read it"
    };
    if p.read_only != q.read_only {
        group.push(Found {
            subject: s,
            kind: Kind::PropertyReadOnlyChanged,
            class: Class::DocsOnly,
            old: Some(p.read_only.to_string()),
            new: Some(q.read_only.to_string()),
            old_at: lp.clone(),
            new_at: lq.clone(),
            reason: format!("read-only is not emitted ({opt}); the server decides what it accepts"),
        });
    }
    if p.nullable != q.nullable {
        let t = |n: Option<bool>| n.map_or("unstated".to_owned(), |b| b.to_string());
        group.push(Found {
            subject: s,
            kind: Kind::PropertyNullableChanged,
            class: Class::DocsOnly,
            old: Some(t(p.nullable)),
            new: Some(t(q.nullable)),
            old_at: lp.clone(),
            new_at: lq.clone(),
            reason: format!("nullability is not emitted: {opt}, and `null` reads as `None`"),
        });
    }
    if p.navigation != q.navigation {
        navigation_changed(p, q, (&tp, &tq), s, group);
    }
    if !same_text(&p.description, &q.description) {
        group.push(Found {
            subject: s,
            kind: Kind::PropertyDescriptionChanged,
            class: Class::DocsOnly,
            old: p.description.clone(),
            new: q.description.clone(),
            old_at: lp,
            new_at: lq,
            reason: "the field's doc comment changes".into(),
        });
    }
}

/// A relationship became a structural property or the reverse.
/// Relationships are emitted as raw JSON, structural properties typed: the
/// field types as emitted (`tp`, `tq`) decide.
fn navigation_changed(p: &Property, q: &Property, (tp, tq): (&str, &str), s: &str, group: &mut GroupChanges) {
    let (class, reason) = if tp == tq {
        (
            Class::DocsOnly,
            "the field's Rust type stays the same; only the doc comment changes".to_owned(),
        )
    } else {
        (
            Class::Breaking,
            format!(
                "relationships are raw JSON and structural properties typed: `Option<{tp}>` becomes `Option<{tq}>`"
            ),
        )
    };
    group.push(Found {
        subject: s,
        kind: Kind::PropertyNavigationChanged,
        class,
        old: Some(p.navigation.to_string()),
        new: Some(q.navigation.to_string()),
        old_at: Some(at(&p.source)),
        new_at: Some(at(&q.source)),
        reason,
    });
}

/// The documented type changed; `(tp, tq)` are the Rust field types as
/// emitted on each side.
fn type_changed(p: &Property, q: &Property, (tp, tq): (&str, &str), s: &str, group: &mut GroupChanges) {
    let (class, reason) = if tp != tq {
        (
            Class::Breaking,
            format!("the field's type changes from `Option<{tp}>` to `Option<{tq}>`: code using it stops compiling"),
        )
    } else {
        (
            Class::Additive,
            format!("both map to `Option<{tq}>` in Rust; only the documented type changes"),
        )
    };
    group.push(Found {
        subject: s,
        kind: Kind::PropertyTypeChanged,
        class,
        old: Some(p.ty.csdl()),
        new: Some(q.ty.csdl()),
        old_at: Some(at(&p.source)),
        new_at: Some(at(&q.source)),
        reason,
    });
}

/// With `common_only`: the same documented type, resolved on one side only
/// (the other has no page for it), is not a change.
fn one_side_only(sides: &Sides, p: &TypeRef, q: &TypeRef) -> bool {
    // The type name without namespace: an unresolved name in a sub-namespace
    // page (`callRecords.identitySet`) is the other side's `identitySet` when
    // only that side has the page that defines it.
    let short = |t: &TypeRef| {
        let c = t.csdl().to_ascii_lowercase();
        let c = c.trim_start_matches("collection(").trim_end_matches(')').to_owned();
        c.rsplit('.').next().unwrap_or_default().to_owned()
    };
    let same_shape = matches!(p, TypeRef::Collection(_)) == matches!(q, TypeRef::Collection(_));
    sides.common_only && same_shape && short(p) == short(q) && (has_unresolved(p) || has_unresolved(q))
}

fn has_unresolved(t: &TypeRef) -> bool {
    match t {
        TypeRef::Unresolved(_) => true,
        TypeRef::Collection(i) => has_unresolved(i),
        _ => false,
    }
}
