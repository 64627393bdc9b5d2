//! Endpoints: added, removed, renamed, method, path, path parameters,
//! alternate paths, request and response types, success status; their
//! permissions are compared in [`super::permissions`]. An endpoint is emitted
//! as an `Endpoint` constant and a `…_path` function, so most changes only
//! change a constant's value.

use super::{first_at, permissions, tidy, workload, Found, GroupChanges, Options, Side, Sides};
use crate::diff::change::{Change, Class, Kind};
use crate::diff::matching::{self, normalize_path};
use crate::diff::rules::Rules;
use crate::ir::{Endpoint, TypeKind, TypeRef};
use crate::rust::naming::EndpointNames;

/// The namespace endpoint changes are grouped under.
const NAMESPACE: &str = "endpoints";

pub(super) const VALUE_ONLY: &str = "only a field value of the `Endpoint` constant changes; code compiles";

fn endpoint_subject(e: &Endpoint) -> String {
    format!("{} {}", e.method, e.path)
}

pub fn endpoints(old: &Side, new: &Side, rules: &Rules, opts: &Options, out: &mut Vec<Change>) {
    let sides = Sides {
        old,
        new,
        rules,
        common_only: opts.common_only,
    };
    let pairs = matching::endpoints(old.model, new.model);
    for &(i, j) in &pairs.pairs {
        let (a, b) = (&old.model.endpoints[i], &new.model.endpoints[j]);
        let workload = workload(Some(&a.workload), Some(&b.workload));
        let mut group = GroupChanges::new(out, workload, NAMESPACE.into());
        let pair = Pair {
            a,
            b,
            na: &old.names.endpoints[i],
            nb: &new.names.endpoints[j],
            subject: endpoint_subject(b),
            la: first_at(&a.sources),
            lb: first_at(&b.sources),
        };
        endpoint_pair(&sides, &pair, &mut group);
    }
    if opts.common_only {
        return;
    }
    for &i in &pairs.removed {
        let (a, n) = (&old.model.endpoints[i], &old.names.endpoints[i]);
        let mut group = GroupChanges::new(out, workload(Some(&a.workload), None), NAMESPACE.into());
        group.push(Found {
            subject: &endpoint_subject(a),
            kind: Kind::EndpointRemoved,
            class: Class::Breaking,
            old: Some(a.name.clone()),
            new: None,
            old_at: first_at(&a.sources),
            new_at: None,
            reason: format!(
                "`endpoints::{}` and `endpoints::{}` are gone: code using them stops compiling",
                n.constant, n.path_fn
            ),
        });
    }
    for &j in &pairs.added {
        let (b, n) = (&new.model.endpoints[j], &new.names.endpoints[j]);
        let mut group = GroupChanges::new(out, workload(None, Some(&b.workload)), NAMESPACE.into());
        group.push(Found {
            subject: &endpoint_subject(b),
            kind: Kind::EndpointAdded,
            class: Class::Additive,
            old: None,
            new: Some(b.name.clone()),
            old_at: None,
            new_at: first_at(&b.sources),
            reason: format!("new items `endpoints::{}` and `endpoints::{}`", n.constant, n.path_fn),
        });
    }
}

/// An endpoint on both sides, with its Rust names, subject (as on the new
/// side) and doc locations.
pub(super) struct Pair<'a> {
    pub a: &'a Endpoint,
    pub b: &'a Endpoint,
    pub na: &'a EndpointNames,
    pub nb: &'a EndpointNames,
    pub subject: String,
    pub la: Option<String>,
    pub lb: Option<String>,
}

impl Pair<'_> {
    /// A change of this endpoint whose values are `old` and `new`.
    fn found(&self, kind: Kind, class: Class, values: (String, String), reason: String) -> Found<'_> {
        Found {
            subject: &self.subject,
            kind,
            class,
            old: Some(values.0),
            new: Some(values.1),
            old_at: self.la.clone(),
            new_at: self.lb.clone(),
            reason,
        }
    }
}

fn endpoint_pair(sides: &Sides, pair: &Pair, group: &mut GroupChanges) {
    let (a, b) = (pair.a, pair.b);
    if !sides.comparable(a.sources.first(), b.sources.first()) {
        return;
    }
    if a.name != b.name {
        renamed(pair, group);
    }
    if a.method != b.method {
        group.push(pair.found(
            Kind::EndpointMethodChanged,
            Class::Additive,
            (a.method.clone(), b.method.clone()),
            format!("{VALUE_ONLY} (`method`)"),
        ));
    }
    if a.path != b.path {
        let reason = if normalize_path(&a.path) == normalize_path(&b.path) {
            format!("only parameter names change; {VALUE_ONLY} (`path`)")
        } else {
            format!("`{}` fills the new template; {VALUE_ONLY} (`path`)", pair.nb.path_fn)
        };
        group.push(pair.found(
            Kind::EndpointPathChanged,
            Class::Additive,
            (a.path.clone(), b.path.clone()),
            reason,
        ));
    }
    if a.parameters != b.parameters {
        parameters_changed(pair, group);
    }
    alternate_paths(pair, group);
    bodies(sides, pair, group);
    if a.success_status != b.success_status {
        let t = |s: Option<u16>| s.map_or("(none)".to_owned(), |s| s.to_string());
        group.push(pair.found(
            Kind::EndpointStatusChanged,
            Class::Additive,
            (t(a.success_status), t(b.success_status)),
            format!("{VALUE_ONLY} (`success_status`)"),
        ));
    }
    permissions::compare(sides, pair, group);
}

fn renamed(pair: &Pair, group: &mut GroupChanges) {
    let (na, nb) = (pair.na, pair.nb);
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
    group.push(pair.found(
        Kind::EndpointRenamed,
        class,
        (pair.a.name.clone(), pair.b.name.clone()),
        reason,
    ));
}

/// The path function takes one `&str` per IR parameter, in order.
fn parameters_changed(pair: &Pair, group: &mut GroupChanges) {
    let (na, nb) = (pair.na, pair.nb);
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
    group.push(pair.found(
        Kind::EndpointParametersChanged,
        class,
        (pair.a.parameters.join(", "), pair.b.parameters.join(", ")),
        reason,
    ));
}

/// Alternate paths, compared with parameter names ignored.
fn alternate_paths(pair: &Pair, group: &mut GroupChanges) {
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
    let (alt_a, alt_b) = (alt(pair.a), alt(pair.b));
    let doc_only = "alternate paths appear only in the constant's doc comment";
    for (n, p) in &alt_a {
        if !alt_b.iter().any(|(m, _)| m == n) {
            group.push(Found {
                subject: &pair.subject,
                kind: Kind::EndpointAlternatePathRemoved,
                class: Class::DocsOnly,
                old: Some(p.clone()),
                new: None,
                old_at: pair.la.clone(),
                new_at: pair.lb.clone(),
                reason: doc_only.into(),
            });
        }
    }
    for (n, p) in &alt_b {
        if !alt_a.iter().any(|(m, _)| m == n) {
            group.push(Found {
                subject: &pair.subject,
                kind: Kind::EndpointAlternatePathAdded,
                class: Class::DocsOnly,
                old: None,
                new: Some(p.clone()),
                old_at: pair.la.clone(),
                new_at: pair.lb.clone(),
                reason: doc_only.into(),
            });
        }
    }
}

/// Request and response body types.
fn bodies(sides: &Sides, pair: &Pair, group: &mut GroupChanges) {
    let (a, b) = (pair.a, pair.b);
    for (kind, x, y) in [
        (Kind::EndpointRequestTypeChanged, &a.request_type, &b.request_type),
        (Kind::EndpointResponseTypeChanged, &a.response_type, &b.response_type),
    ] {
        let text = |t: &Option<TypeRef>| t.as_ref().map_or("(none)".to_owned(), TypeRef::csdl);
        if text(x) != text(y) {
            let (class, reason) = body_change(sides, x.as_ref(), y.as_ref());
            group.push(pair.found(kind, class, (text(x), text(y)), reason));
        }
    }
}

/// The Rust shape a body deserializes into.
#[derive(PartialEq, Debug)]
enum Shape {
    Struct,
    Enum,
    Scalar(String),
    Open,
    None,
}

fn shape_of(s: &Side, t: &TypeRef) -> Shape {
    match t {
        TypeRef::Named(id, _) if s.model.ty(*id).kind == TypeKind::Enum => Shape::Enum,
        TypeRef::Named(..) => Shape::Struct,
        TypeRef::Primitive(p) => Shape::Scalar(tidy(&crate::emit::primitive_text(*p))),
        TypeRef::Unresolved(_) => Shape::Open,
        TypeRef::Collection(inner) => shape_of(s, inner),
    }
}

/// (a collection, the shape of one value).
fn body_shape(s: &Side, t: Option<&TypeRef>) -> (bool, Shape) {
    match t {
        None => (false, Shape::None),
        Some(TypeRef::Collection(inner)) => (true, shape_of(s, inner)),
        Some(t) => (false, shape_of(s, t)),
    }
}

/// A request or response body type changed: the constant holds type names as
/// strings, so code compiles; what matters is whether a body read as the
/// old Rust type still deserializes.
fn body_change(sides: &Sides, x: Option<&TypeRef>, y: Option<&TypeRef>) -> (Class, String) {
    let (ca, sa) = body_shape(sides.old, x);
    let (cb, sb) = body_shape(sides.new, y);
    let structs_tolerant = sides.rules.fields_optional && !sides.rules.deny_unknown_fields;
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
