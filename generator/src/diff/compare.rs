//! Walks paired items and classifies every difference. Each class comes from
//! the generated code: the Rust names from the naming authority, field types
//! from the emitter (`emit::field_type_text`), and the struct and enum
//! shapes from [`Rules`] (observed on the emitter's own output).

use super::change::{Change, Class, Kind};
use super::matching::{self, normalize_path};
use super::rules::Rules;
use crate::emit;
use crate::ir::{
    Endpoint, Model, Permission, PermissionKind, PermissionStatus, Property, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::rust::naming::{self, Names};
use crate::source::{FileId, Location, Span};
use std::collections::{HashMap, HashSet};

/// One side of the comparison with the emitter's view of it.
pub struct Side<'a> {
    pub model: &'a Model,
    pub names: Names,
    boxed: HashSet<(TypeId, TypeId)>,
    /// Every page that contributed a fact.
    pages: HashSet<&'a str>,
}

impl<'a> Side<'a> {
    pub fn new(model: &'a Model) -> Side<'a> {
        let span = Span::new(FileId(0), 0..0);
        let mut pages: HashSet<&str> = HashSet::new();
        for t in &model.types {
            pages.extend(t.sources.iter().map(|s| s.path.as_str()));
            pages.extend(t.properties.iter().map(|p| p.source.path.as_str()));
            pages.extend(t.members.iter().map(|m| m.source.path.as_str()));
        }
        for e in &model.endpoints {
            pages.extend(e.sources.iter().map(|s| s.path.as_str()));
        }
        Side {
            model,
            names: naming::assign(model, &mut Vec::new(), &|_| span.clone()),
            boxed: emit::boxed_edges(model),
            pages,
        }
    }

    /// `module::Type`, as user code names it.
    fn type_path(&self, id: TypeId) -> String {
        let t = self.model.ty(id);
        let m = self.names.modules.get(&t.namespace).map_or("?", String::as_str);
        format!("{m}::{}", self.names.types[id.0 as usize])
    }

    /// Flattened properties with their Rust field names, by wire name.
    fn fields(&self, id: TypeId) -> HashMap<&'a str, (&'a Property, &str)> {
        let names = &self.names.fields[id.0 as usize];
        self.model
            .all_properties(id)
            .into_iter()
            .zip(names)
            .map(|(p, f)| (p.name.as_str(), (p, f.as_str())))
            .collect()
    }

    /// The field's Rust type as emitted, tidied for reading.
    fn field_type(&self, owner: TypeId, p: &Property) -> String {
        tidy(&emit::field_type_text(self.model, &self.names, owner, p, &self.boxed))
    }
}

/// `:: std :: string :: String` → `String`, `crate :: graph :: User` → `graph::User`.
fn tidy(tokens: &str) -> String {
    tokens
        .replace(' ', "")
        .replace("::std::string::", "")
        .replace("::std::vec::", "")
        .replace("::std::boxed::", "")
        .replace("::serde_json::", "serde_json::")
        .replace("crate::", "")
}

fn at(l: &Location) -> String {
    format!("{}:{}", l.path, l.line)
}

fn first_at(ls: &[Location]) -> Option<String> {
    ls.first().map(at)
}

fn same_text(a: &Option<String>, b: &Option<String>) -> bool {
    let norm = |s: &Option<String>| s.as_deref().map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "));
    norm(a) == norm(b)
}

/// Builds changes of one group (workload + namespace).
struct Emit<'c> {
    out: &'c mut Vec<Change>,
    workload: String,
    namespace: String,
    /// Comparing only what both sides document: facts that one side cannot
    /// know (a type it has no page for) are not changes.
    common_only: bool,
}

impl Emit<'_> {
    /// With `common_only`, a fact read from a page the other side does not
    /// have is not comparable: that side cannot know it.
    fn comparable(&self, old: &Side, new: &Side, old_at: Option<&Location>, new_at: Option<&Location>) -> bool {
        !self.common_only
            || (old_at.is_none_or(|l| new.pages.contains(l.path.as_str()))
                && new_at.is_none_or(|l| old.pages.contains(l.path.as_str())))
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        subject: &str,
        kind: Kind,
        class: Class,
        old: Option<String>,
        new: Option<String>,
        old_at: Option<String>,
        new_at: Option<String>,
        reason: String,
    ) {
        self.out.push(Change {
            workload: self.workload.clone(),
            namespace: self.namespace.clone(),
            subject: subject.to_owned(),
            kind,
            class,
            old,
            new,
            old_at,
            new_at,
            reason,
            flag: None,
        });
    }
}

fn workload(a: Option<&Option<String>>, b: Option<&Option<String>>) -> String {
    b.and_then(|w| w.clone())
        .or_else(|| a.and_then(|w| w.clone()))
        .unwrap_or_else(|| "(no workload)".into())
}

pub struct Options {
    pub common_only: bool,
}

pub fn types(old: &Side, new: &Side, rules: &Rules, opts: &Options, out: &mut Vec<Change>) {
    let pairs = matching::types(old.model, new.model);
    // Old id → new id, so references to a renamed type count as unchanged.
    let map: HashMap<TypeId, TypeId> = pairs
        .pairs
        .iter()
        .map(|&(i, j)| (TypeId(i as u32), TypeId(j as u32)))
        .collect();
    for &(i, j) in &pairs.pairs {
        let (a, b) = (&old.model.types[i], &new.model.types[j]);
        let mut e = Emit {
            out,
            workload: workload(Some(&a.workload), Some(&b.workload)),
            namespace: b.namespace.clone(),
            common_only: opts.common_only,
        };
        if opts.common_only && !matching::both_document(a, b) {
            continue;
        }
        type_pair(old, new, rules, &map, a, b, &mut e);
    }
    if opts.common_only {
        return;
    }
    for &i in &pairs.removed {
        let a = &old.model.types[i];
        let mut e = Emit {
            out,
            workload: workload(Some(&a.workload), None),
            namespace: a.namespace.clone(),
            common_only: false,
        };
        e.push(
            &a.name,
            Kind::TypeRemoved,
            Class::Breaking,
            Some(a.qualified().to_string()),
            None,
            first_at(&a.sources),
            None,
            format!(
                "`{}` is no longer generated: code naming it stops compiling",
                old.type_path(a.id)
            ),
        );
    }
    for &j in &pairs.added {
        let b = &new.model.types[j];
        let mut e = Emit {
            out,
            workload: workload(None, Some(&b.workload)),
            namespace: b.namespace.clone(),
            common_only: false,
        };
        e.push(
            &b.name,
            Kind::TypeAdded,
            Class::Additive,
            None,
            Some(b.qualified().to_string()),
            None,
            first_at(&b.sources),
            format!("new item `{}`", new.type_path(b.id)),
        );
    }
}

fn is_enum(t: &TypeDef) -> bool {
    t.kind == TypeKind::Enum
}

fn kind_text(t: &TypeDef) -> String {
    format!("{:?}", t.kind).to_ascii_lowercase()
}

fn type_pair(
    old: &Side,
    new: &Side,
    rules: &Rules,
    map: &HashMap<TypeId, TypeId>,
    a: &TypeDef,
    b: &TypeDef,
    e: &mut Emit,
) {
    let subject = b.name.clone();
    let (at_a, at_b) = (first_at(&a.sources), first_at(&b.sources));
    if a.qualified() != b.qualified() {
        let (pa, pb) = (old.type_path(a.id), new.type_path(b.id));
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
        e.push(
            &subject,
            Kind::TypeRenamed,
            class,
            Some(a.qualified().to_string()),
            Some(b.qualified().to_string()),
            at_a.clone(),
            at_b.clone(),
            reason,
        );
    }
    if a.kind != b.kind {
        let (class, reason) = if is_enum(a) != is_enum(b) {
            (
                Class::Breaking,
                "a struct becomes an enum or the reverse: code using it stops compiling".to_owned(),
            )
        } else {
            (
                Class::DocsOnly,
                "entity and complex types are both emitted as structs; only the doc comment changes".to_owned(),
            )
        };
        e.push(
            &subject,
            Kind::TypeKindChanged,
            class,
            Some(kind_text(a)),
            Some(kind_text(b)),
            at_a.clone(),
            at_b.clone(),
            reason,
        );
        if is_enum(a) != is_enum(b) {
            return;
        }
    }
    if is_enum(a) {
        members(old, new, rules, a, b, e);
        return;
    }
    let base_same = match (a.base_id, b.base_id) {
        (Some(x), Some(y)) => map.get(&x) == Some(&y),
        _ => {
            a.base_type.as_ref().map(|q| q.to_string().to_ascii_lowercase())
                == b.base_type.as_ref().map(|q| q.to_string().to_ascii_lowercase())
        }
    };
    let (fa, fb) = (old.fields(a.id), new.fields(b.id));
    if !base_same {
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
                    old.type_path(a.id),
                    lost.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ")
                ),
            )
        };
        let q = |t: &TypeDef| t.base_type.as_ref().map_or("(none)".to_owned(), |q| q.to_string());
        e.push(
            &subject,
            Kind::BaseTypeChanged,
            class,
            Some(q(a)),
            Some(q(b)),
            at_a,
            at_b,
            reason,
        );
    }
    let names_a: Vec<&str> = a.properties.iter().map(|p| p.name.as_str()).collect();
    let names_b: Vec<&str> = b.properties.iter().map(|p| p.name.as_str()).collect();
    let pairs = matching::by_name(&names_a, &names_b);
    // Exact name first, then the smallest case twin: a deterministic choice
    // (map order is not), so both directions pick the same property.
    let lookup_ci = |f: &HashMap<&str, (&Property, &str)>, name: &str| -> Option<String> {
        if f.contains_key(name) {
            return Some(name.to_owned());
        }
        f.keys()
            .filter(|k| k.eq_ignore_ascii_case(name))
            .min()
            .map(|k| k.to_string())
    };
    for &i in &pairs.removed {
        let p = &a.properties[i];
        let s = format!("{}.{}", b.name, p.name);
        if !e.comparable(old, new, Some(&p.source), None) {
            continue;
        }
        if let Some(k) = lookup_ci(&fb, &p.name) {
            let (q, _) = fb[k.as_str()];
            if e.comparable(old, new, None, Some(&q.source)) {
                moved(old, new, a, b, p, q, &s, e);
            }
            continue;
        }
        let field = fa.get(p.name.as_str()).map_or(p.name.as_str(), |f| f.1);
        let payload = if rules.deny_unknown_fields {
            "payloads that still carry it stop deserializing"
        } else {
            "payloads that still carry it deserialize (unknown fields are ignored)"
        };
        e.push(
            &s,
            Kind::PropertyRemoved,
            Class::Breaking,
            Some(p.ty.csdl()),
            None,
            Some(at(&p.source)),
            None,
            format!(
                "field `{field}` of `{}` is gone: code reading or setting it stops compiling; {payload}",
                old.type_path(a.id)
            ),
        );
    }
    for &j in &pairs.added {
        let q = &b.properties[j];
        let s = format!("{}.{}", b.name, q.name);
        if !e.comparable(old, new, None, Some(&q.source)) {
            continue;
        }
        if let Some(k) = lookup_ci(&fa, &q.name) {
            let (p, _) = fa[k.as_str()];
            if e.comparable(old, new, Some(&p.source), None) {
                moved(old, new, a, b, p, q, &s, e);
            }
            continue;
        }
        let field = fb.get(q.name.as_str()).map_or(q.name.as_str(), |f| f.1);
        let (class, reason) = if rules.fields_optional && rules.structs_default {
            (
                Class::Additive,
                format!(
                    "new optional field `{field}` (`Option<{}>`): struct literals must end in `..Default::default()` (structs derive `Default`)",
                    new.field_type(b.id, q)
                ),
            )
        } else {
            (
                Class::Breaking,
                format!("new field `{field}`: struct literals naming every field stop compiling"),
            )
        };
        e.push(
            &s,
            Kind::PropertyAdded,
            class,
            None,
            Some(q.ty.csdl()),
            None,
            Some(at(&q.source)),
            reason,
        );
    }
    for &(i, j) in &pairs.pairs {
        let (p, q) = (&a.properties[i], &b.properties[j]);
        let s = format!("{}.{}", b.name, q.name);
        if !e.comparable(old, new, Some(&p.source), Some(&q.source)) {
            continue;
        }
        let (lp, lq) = (Some(at(&p.source)), Some(at(&q.source)));
        if p.name != q.name {
            let fp = fa.get(p.name.as_str()).map_or("", |f| f.1);
            let fq = fb.get(q.name.as_str()).map_or("", |f| f.1);
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
            e.push(
                &s,
                Kind::PropertyRenamed,
                class,
                Some(p.name.clone()),
                Some(q.name.clone()),
                lp.clone(),
                lq.clone(),
                reason,
            );
        }
        property_pair(old, new, rules, (a, p), (b, q), &s, e);
    }
}

/// A property now declared on a base type, or on the type instead of its
/// base: the flattened struct is what users see.
#[allow(clippy::too_many_arguments)]
fn moved(old: &Side, new: &Side, a: &TypeDef, b: &TypeDef, p: &Property, q: &Property, s: &str, e: &mut Emit) {
    let (tp, tq) = (old.field_type(a.id, p), new.field_type(b.id, q));
    let (class, reason) = if tp == tq || one_side_only(e, &p.ty, &q.ty) {
        (
            Class::DocsOnly,
            format!("inherited properties are flattened, so `{}` keeps the field (`Option<{tq}>`); only the page that declares it changes", new.type_path(b.id)),
        )
    } else {
        (
            Class::Breaking,
            format!("the flattened field's type changes from `Option<{tp}>` to `Option<{tq}>`"),
        )
    };
    e.push(
        s,
        Kind::PropertyMoved,
        class,
        Some(p.ty.csdl()),
        Some(q.ty.csdl()),
        Some(at(&p.source)),
        Some(at(&q.source)),
        reason,
    );
}

fn property_pair(
    old: &Side,
    new: &Side,
    rules: &Rules,
    (a, p): (&TypeDef, &Property),
    (b, q): (&TypeDef, &Property),
    s: &str,
    e: &mut Emit,
) {
    let (lp, lq) = (Some(at(&p.source)), Some(at(&q.source)));
    let (tp, tq) = (old.field_type(a.id, p), new.field_type(b.id, q));
    // A type only one side documents resolves on that side alone; with
    // `common_only` that is not a change of this property.
    // A field type changed only by a relationship becoming structural (or the
    // reverse) is reported once, as that change, below.
    let retyped = p.ty.csdl() != q.ty.csdl() || (tp != tq && p.navigation == q.navigation);
    if !one_side_only(e, &p.ty, &q.ty) && retyped {
        let (class, reason) = if tp != tq {
            (
                Class::Breaking,
                format!(
                    "the field's type changes from `Option<{tp}>` to `Option<{tq}>`: code using it stops compiling"
                ),
            )
        } else {
            (
                Class::Additive,
                format!("both map to `Option<{tq}>` in Rust; only the documented type changes"),
            )
        };
        e.push(
            s,
            Kind::PropertyTypeChanged,
            class,
            Some(p.ty.csdl()),
            Some(q.ty.csdl()),
            lp.clone(),
            lq.clone(),
            reason,
        );
    }
    let opt = if rules.fields_optional {
        "every field is `Option<T>` either way"
    } else {
        "the emitter does not read it"
    };
    if p.read_only != q.read_only {
        e.push(
            s,
            Kind::PropertyReadOnlyChanged,
            Class::DocsOnly,
            Some(p.read_only.to_string()),
            Some(q.read_only.to_string()),
            lp.clone(),
            lq.clone(),
            format!("read-only is not emitted ({opt}); the server decides what it accepts"),
        );
    }
    if p.nullable != q.nullable {
        let t = |n: Option<bool>| n.map_or("unstated".to_owned(), |b| b.to_string());
        e.push(
            s,
            Kind::PropertyNullableChanged,
            Class::DocsOnly,
            Some(t(p.nullable)),
            Some(t(q.nullable)),
            lp.clone(),
            lq.clone(),
            format!("nullability is not emitted: {opt}, and `null` reads as `None`"),
        );
    }
    if p.navigation != q.navigation {
        // Relationships are emitted as raw JSON, structural properties typed:
        // the field types as emitted decide.
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
        e.push(
            s,
            Kind::PropertyNavigationChanged,
            class,
            Some(p.navigation.to_string()),
            Some(q.navigation.to_string()),
            lp.clone(),
            lq.clone(),
            reason,
        );
    }
    if !same_text(&p.description, &q.description) {
        e.push(
            s,
            Kind::PropertyDescriptionChanged,
            Class::DocsOnly,
            p.description.clone(),
            q.description.clone(),
            lp,
            lq,
            "the field's doc comment changes".into(),
        );
    }
}

/// With `common_only`: the same documented type, resolved on one side only
/// (the other has no page for it), is not a change.
fn one_side_only(e: &Emit, p: &TypeRef, q: &TypeRef) -> bool {
    // The type name without namespace: an unresolved name in a sub-namespace
    // page (`callRecords.identitySet`) is the other side's `identitySet` when
    // only that side has the page that defines it.
    let short = |t: &TypeRef| {
        let c = t.csdl().to_ascii_lowercase();
        let c = c.trim_start_matches("collection(").trim_end_matches(')').to_owned();
        c.rsplit('.').next().unwrap_or_default().to_owned()
    };
    let same_shape = matches!(p, TypeRef::Collection(_)) == matches!(q, TypeRef::Collection(_));
    e.common_only && same_shape && short(p) == short(q) && (has_unresolved(p) || has_unresolved(q))
}

fn has_unresolved(t: &TypeRef) -> bool {
    match t {
        TypeRef::Unresolved(_) => true,
        TypeRef::Collection(i) => has_unresolved(i),
        _ => false,
    }
}

fn members(old: &Side, new: &Side, rules: &Rules, a: &TypeDef, b: &TypeDef, e: &mut Emit) {
    let names_a: Vec<&str> = a.members.iter().map(|m| m.name.as_str()).collect();
    let names_b: Vec<&str> = b.members.iter().map(|m| m.name.as_str()).collect();
    let pairs = matching::by_name(&names_a, &names_b);
    let va = &old.names.variants[a.id.0 as usize];
    let vb = &new.names.variants[b.id.0 as usize];
    let catch_all = &new.names.catch_all[b.id.0 as usize];
    let (pa, pb) = (old.type_path(a.id), new.type_path(b.id));
    for &i in &pairs.removed {
        let m = &a.members[i];
        if !e.comparable(old, new, Some(&m.source), None) {
            continue;
        }
        let fallback = if rules.enums_catch_all {
            format!(
                "the value still deserializes, into `{}`",
                old.names.catch_all[a.id.0 as usize]
            )
        } else {
            "the value no longer deserializes".into()
        };
        e.push(
            &format!("{}.{}", b.name, m.name),
            Kind::MemberRemoved,
            Class::Breaking,
            Some(m.name.clone()),
            None,
            Some(at(&m.source)),
            None,
            format!(
                "`{pa}::{}` no longer exists: code naming it stops compiling; {fallback}",
                va[i]
            ),
        );
    }
    for &j in &pairs.added {
        let m = &b.members[j];
        if !e.comparable(old, new, None, Some(&m.source)) {
            continue;
        }
        let (class, reason) = if rules.enums_non_exhaustive && rules.enums_catch_all {
            (
                Class::Additive,
                format!(
                    "new variant `{pb}::{}`: the enum is `#[non_exhaustive]` (matches already have a wildcard arm), and the value used to deserialize into `{catch_all}`",
                    vb[j]
                ),
            )
        } else {
            (
                Class::Breaking,
                format!("new variant `{pb}::{}`: exhaustive matches stop compiling", vb[j]),
            )
        };
        e.push(
            &format!("{}.{}", b.name, m.name),
            Kind::MemberAdded,
            class,
            None,
            Some(m.name.clone()),
            None,
            Some(at(&m.source)),
            reason,
        );
    }
    for &(i, j) in &pairs.pairs {
        let (m, n) = (&a.members[i], &b.members[j]);
        let s = format!("{}.{}", b.name, n.name);
        if !e.comparable(old, new, Some(&m.source), Some(&n.source)) {
            continue;
        }
        let (lm, ln) = (Some(at(&m.source)), Some(at(&n.source)));
        if m.name != n.name {
            let (class, reason) = if va[i] == vb[j] {
                (
                    Class::Additive,
                    format!("the variant stays `{pb}::{}`; only its wire value changes (the old spelling now reads as `{catch_all}`)", vb[j]),
                )
            } else {
                (
                    Class::Breaking,
                    format!(
                        "`{pa}::{}` is now `{pb}::{}`: code naming it stops compiling",
                        va[i], vb[j]
                    ),
                )
            };
            e.push(
                &s,
                Kind::MemberRenamed,
                class,
                Some(m.name.clone()),
                Some(n.name.clone()),
                lm.clone(),
                ln.clone(),
                reason,
            );
        }
        if !same_text(&m.description, &n.description) {
            e.push(
                &s,
                Kind::MemberDescriptionChanged,
                Class::DocsOnly,
                m.description.clone(),
                n.description.clone(),
                lm,
                ln,
                "the variant's doc comment changes".into(),
            );
        }
    }
    // Relative order of the members both sides have.
    let mut by_old = pairs.pairs.clone();
    by_old.sort_unstable();
    let mut by_new = pairs.pairs.clone();
    by_new.sort_unstable_by_key(|&(_, j)| j);
    let pages_known = by_old
        .iter()
        .all(|&(i, j)| e.comparable(old, new, Some(&a.members[i].source), Some(&b.members[j].source)));
    // Member order is the union over every page that lists them, so a
    // sample of pages cannot reproduce it: not compared with `common_only`.
    if by_old != by_new && pages_known && !e.common_only {
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
        let ord = if rules.enums_ord {
            "`VALUES` and the derived `Ord` follow the new order"
        } else {
            "`VALUES` follows the new order"
        };
        e.push(
            &b.name,
            Kind::MembersReordered,
            Class::Additive,
            Some(list(&by_old, true)),
            Some(list(&by_new, false)),
            first_at(&a.sources),
            first_at(&b.sources),
            format!("variants keep their names, so code compiles; {ord}"),
        );
    }
}

fn endpoint_subject(e: &Endpoint) -> String {
    format!("{} {}", e.method, e.path)
}

pub fn endpoints(old: &Side, new: &Side, rules: &Rules, opts: &Options, out: &mut Vec<Change>) {
    let pairs = matching::endpoints(old.model, new.model);
    for &(i, j) in &pairs.pairs {
        let (a, b) = (&old.model.endpoints[i], &new.model.endpoints[j]);
        let mut e = Emit {
            out,
            workload: workload(Some(&a.workload), Some(&b.workload)),
            namespace: "endpoints".into(),
            common_only: opts.common_only,
        };
        endpoint_pair(old, new, rules, (i, a), (j, b), &mut e);
    }
    if opts.common_only {
        return;
    }
    for &i in &pairs.removed {
        let a = &old.model.endpoints[i];
        let n = &old.names.endpoints[i];
        let mut e = Emit {
            out,
            workload: workload(Some(&a.workload), None),
            namespace: "endpoints".into(),
            common_only: false,
        };
        e.push(
            &endpoint_subject(a),
            Kind::EndpointRemoved,
            Class::Breaking,
            Some(a.name.clone()),
            None,
            first_at(&a.sources),
            None,
            format!(
                "`endpoints::{}` and `endpoints::{}` are gone: code using them stops compiling",
                n.constant, n.path_fn
            ),
        );
    }
    for &j in &pairs.added {
        let b = &new.model.endpoints[j];
        let n = &new.names.endpoints[j];
        let mut e = Emit {
            out,
            workload: workload(None, Some(&b.workload)),
            namespace: "endpoints".into(),
            common_only: false,
        };
        e.push(
            &endpoint_subject(b),
            Kind::EndpointAdded,
            Class::Additive,
            None,
            Some(b.name.clone()),
            None,
            first_at(&b.sources),
            format!("new items `endpoints::{}` and `endpoints::{}`", n.constant, n.path_fn),
        );
    }
}

const VALUE_ONLY: &str = "only a field value of the `Endpoint` constant changes; code compiles";

fn endpoint_pair(
    old: &Side,
    new: &Side,
    rules: &Rules,
    (i, a): (usize, &Endpoint),
    (j, b): (usize, &Endpoint),
    e: &mut Emit,
) {
    let s = endpoint_subject(b);
    if !e.comparable(old, new, a.sources.first(), b.sources.first()) {
        return;
    }
    let (la, lb) = (first_at(&a.sources), first_at(&b.sources));
    let (na, nb) = (&old.names.endpoints[i], &new.names.endpoints[j]);
    if a.name != b.name {
        let (class, reason) = if na.constant == nb.constant {
            (
                Class::Additive,
                format!("the constant stays `{}`; {VALUE_ONLY} (`name`)", nb.constant),
            )
        } else {
            (
                Class::Breaking,
                format!(
                    "`{}`/`{}` are now `{}`/`{}`: code using the old names stops compiling",
                    na.constant, na.path_fn, nb.constant, nb.path_fn
                ),
            )
        };
        e.push(
            &s,
            Kind::EndpointRenamed,
            class,
            Some(a.name.clone()),
            Some(b.name.clone()),
            la.clone(),
            lb.clone(),
            reason,
        );
    }
    if a.method != b.method {
        e.push(
            &s,
            Kind::EndpointMethodChanged,
            Class::Additive,
            Some(a.method.clone()),
            Some(b.method.clone()),
            la.clone(),
            lb.clone(),
            format!("{VALUE_ONLY} (`method`)"),
        );
    }
    if a.path != b.path {
        let reason = if normalize_path(&a.path) == normalize_path(&b.path) {
            format!("only parameter names change; {VALUE_ONLY} (`path`)")
        } else {
            format!("`{}` fills the new template; {VALUE_ONLY} (`path`)", nb.path_fn)
        };
        e.push(
            &s,
            Kind::EndpointPathChanged,
            Class::Additive,
            Some(a.path.clone()),
            Some(b.path.clone()),
            la.clone(),
            lb.clone(),
            reason,
        );
    }
    if a.parameters != b.parameters {
        // The path function takes one `&str` per IR parameter, in order.
        let (class, reason) = if na.params.len() != nb.params.len() {
            (
                Class::Breaking,
                format!(
                    "`{}` takes {} argument(s) instead of {}: calls stop compiling",
                    nb.path_fn,
                    nb.params.len(),
                    na.params.len()
                ),
            )
        } else {
            (
                Class::Additive,
                format!(
                    "`{}` takes as many positional arguments as before; only their names change",
                    nb.path_fn
                ),
            )
        };
        e.push(
            &s,
            Kind::EndpointParametersChanged,
            class,
            Some(a.parameters.join(", ")),
            Some(b.parameters.join(", ")),
            la.clone(),
            lb.clone(),
            reason,
        );
    }
    let alt = |x: &Endpoint| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = x
            .alternate_paths
            .iter()
            .map(|l| (normalize_path(&l.path), l.path.clone()))
            .collect();
        v.sort();
        v.dedup_by(|p, q| p.0 == q.0);
        v
    };
    let (alt_a, alt_b) = (alt(a), alt(b));
    let doc_only = "alternate paths appear only in the constant's doc comment";
    for (n, p) in &alt_a {
        if !alt_b.iter().any(|(m, _)| m == n) {
            e.push(
                &s,
                Kind::EndpointAlternatePathRemoved,
                Class::DocsOnly,
                Some(p.clone()),
                None,
                la.clone(),
                lb.clone(),
                doc_only.into(),
            );
        }
    }
    for (n, p) in &alt_b {
        if !alt_a.iter().any(|(m, _)| m == n) {
            e.push(
                &s,
                Kind::EndpointAlternatePathAdded,
                Class::DocsOnly,
                None,
                Some(p.clone()),
                la.clone(),
                lb.clone(),
                doc_only.into(),
            );
        }
    }
    for (kind, x, y) in [
        (Kind::EndpointRequestTypeChanged, &a.request_type, &b.request_type),
        (Kind::EndpointResponseTypeChanged, &a.response_type, &b.response_type),
    ] {
        let text = |t: &Option<TypeRef>| t.as_ref().map_or("(none)".to_owned(), TypeRef::csdl);
        if text(x) != text(y) {
            let (class, reason) = body_change(old, new, rules, x.as_ref(), y.as_ref());
            e.push(
                &s,
                kind,
                class,
                Some(text(x)),
                Some(text(y)),
                la.clone(),
                lb.clone(),
                reason,
            );
        }
    }
    if a.success_status != b.success_status {
        let t = |s: Option<u16>| s.map_or("(none)".to_owned(), |s| s.to_string());
        e.push(
            &s,
            Kind::EndpointStatusChanged,
            Class::Additive,
            Some(t(a.success_status)),
            Some(t(b.success_status)),
            la.clone(),
            lb.clone(),
            format!("{VALUE_ONLY} (`success_status`)"),
        );
    }
    // A page whose permissions table is missing (an include not in the tree)
    // says nothing about permissions; with `common_only` that is no change.
    let undocumented = a.permissions.is_empty() || b.permissions.is_empty();
    for kind in [
        PermissionKind::DelegatedWork,
        PermissionKind::DelegatedPersonal,
        PermissionKind::Application,
    ] {
        if e.common_only && undocumented {
            break;
        }
        let find = |x: &Endpoint| x.permissions.iter().find(|p| p.kind == kind).cloned();
        let (pa, pb) = (find(a), find(b));
        if pa != pb {
            let (ta, tb) = (permission_text(pa.as_ref()), permission_text(pb.as_ref()));
            if ta == tb {
                continue;
            }
            let flag = match (least(pa.as_ref()), least(pb.as_ref())) {
                (Some(x), Some(y)) if widened(&x, &y) => Some("least-privileged scope widened".to_owned()),
                _ => None,
            };
            e.push(
                &format!("{s} ({})", kind_word(kind)),
                Kind::EndpointPermissionsChanged,
                Class::Additive,
                Some(ta),
                Some(tb),
                la.clone(),
                lb.clone(),
                format!("{VALUE_ONLY} (`permissions`); apps may need to request other scopes"),
            );
            if let Some(last) = e.out.last_mut() {
                last.flag = flag;
            }
        }
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

/// A request or response body type changed: the constant holds type names as
/// strings, so code compiles; what matters is whether a body read as the
/// old Rust type still deserializes.
fn body_change(old: &Side, new: &Side, rules: &Rules, x: Option<&TypeRef>, y: Option<&TypeRef>) -> (Class, String) {
    #[derive(PartialEq, Debug)]
    enum Shape {
        Struct,
        Enum,
        Scalar(String),
        Open,
        None,
    }
    let shape = |s: &Side, t: Option<&TypeRef>| -> (bool, Shape) {
        match t {
            None => (false, Shape::None),
            Some(TypeRef::Collection(inner)) => (true, shape_of(s, inner)),
            Some(t) => (false, shape_of(s, t)),
        }
    };
    fn shape_of(s: &Side, t: &TypeRef) -> Shape {
        match t {
            TypeRef::Named(id, _) if s.model.ty(*id).kind == TypeKind::Enum => Shape::Enum,
            TypeRef::Named(..) => Shape::Struct,
            TypeRef::Primitive(p) => Shape::Scalar(tidy(&crate::emit::primitive_text(*p))),
            TypeRef::Unresolved(_) => Shape::Open,
            TypeRef::Collection(inner) => shape_of(s, inner),
        }
    }
    let (ca, sa) = shape(old, x);
    let (cb, sb) = shape(new, y);
    let structs_tolerant = rules.fields_optional && !rules.deny_unknown_fields;
    if sa == Shape::None || sb == Shape::None {
        return (
            Class::Additive,
            format!("{VALUE_ONLY}; the operation now has a body or no longer has one"),
        );
    }
    if ca != cb {
        return (
            Class::Breaking,
            "the body changes between one value and a collection: a body read as the old Rust type no longer fits"
                .into(),
        );
    }
    match (&sa, &sb) {
        (Shape::Struct, Shape::Struct) if structs_tolerant => (
            Class::Additive,
            format!("{VALUE_ONLY}; every struct field is optional and unknown fields are ignored, so a body read as the old struct still deserializes"),
        ),
        (Shape::Open, _) | (_, Shape::Open) => (Class::Additive, format!("{VALUE_ONLY}; an undocumented type is open JSON")),
        (a, b) if a == b && *a != Shape::Struct => (Class::Additive, format!("{VALUE_ONLY}; both map to the same Rust shape")),
        _ => (
            Class::Breaking,
            "the body's Rust shape changes (struct, enum or scalar): a body read as the old type no longer deserializes".into(),
        ),
    }
}
