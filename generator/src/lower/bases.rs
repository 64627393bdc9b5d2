//! Base types no page states on the type's own page: a base page's list of
//! its derived types, and the docs' root entity type for a type keyed like
//! it. Facts only: which page listed what, keys, relationships, request
//! paths.

use super::{drop_inherited_rows, Builder, Key};
use crate::ir::{Model, QualifiedName, TypeId, TypeKind};
use std::collections::{HashMap, HashSet};

/// A type whose own page states no base (no annotation `baseType`, no
/// "inherits from" sentence, no "Inherited from" rows) takes the base whose
/// page lists it among its derived types, the first such page in path order.
pub(super) fn from_derived_lists(b: &mut Builder) {
    let listed = std::mem::take(&mut b.listed_derived);
    for (derived, base) in listed {
        if derived == base.0 || !b.types.contains_key(&base.0) {
            continue;
        }
        let Some(t) = b.types.get_mut(&derived) else {
            continue;
        };
        if t.defined && !t.is_enum && t.base.is_none() && t.candidates.is_empty() {
            t.base = Some(base);
        }
    }
}

/// The docs' root entity type: the type whose resource annotation marks it
/// `abstract`, names its key (`keyProperty`) and states no base (`entity`,
/// `resources/entity.md`: key `id`). A structured type with no base by any
/// other rule, with a property of that key's name, derives from the root
/// when the docs treat it as an entity: its own resource annotation names
/// the same key and either its table lists it or an operation reads or
/// updates it (`GET`/`PATCH`/`PUT` returning it; a `keyProperty` alone is
/// not enough: complex types carry such annotations), or it is addressed as
/// an entity (a Relationships row is typed by it, or an operation returns it
/// from a request path that ends in a key, `…/{id}`). Only when exactly one
/// root has that key.
pub(super) fn root_entity(b: &mut Builder, ids: &HashMap<Key, TypeId>, model: &mut Model) {
    let mut roots: HashMap<String, Vec<Key>> = HashMap::new();
    for (k, t) in &b.types {
        if t.defined && !t.is_enum && t.is_abstract && t.base.is_none() && t.candidates.is_empty() {
            if let Some(key) = &t.key {
                roots.entry(key.clone()).or_default().push(k.clone());
            }
        }
    }
    let roots: HashMap<&String, TypeId> = roots
        .iter()
        .filter(|(_, ks)| ks.len() == 1)
        .filter_map(|(key, ks)| Some((key, *ids.get(&ks[0])?)))
        .collect();
    if roots.is_empty() {
        return;
    }
    let (addressed, read) = addressed_as_entities(model);
    let by_id: HashMap<TypeId, &Key> = ids.iter().map(|(k, id)| (*id, k)).collect();
    let mut changed = false;
    for i in 0..model.types.len() {
        let t = &model.types[i];
        if t.kind == TypeKind::Enum || t.base_type.is_some() {
            continue;
        }
        let Some(mt) = by_id.get(&t.id).and_then(|k| b.types.get(*k)) else {
            continue;
        };
        let root = roots.iter().find(|(key, root)| {
            **root != t.id
                && t.properties.iter().any(|p| p.name == ***key)
                && (mt.key.as_deref() == Some(key.as_str())
                    && (mt.props.iter().any(|p| p.name == ***key && !p.inferred) || read.contains(&t.id))
                    || addressed.contains(&t.id))
        });
        let Some((_, root)) = root else { continue };
        let r = model.ty(*root);
        let q = QualifiedName {
            namespace: r.namespace.clone(),
            name: r.name.clone(),
        };
        model.types[i].base_type = Some(q);
        changed = true;
    }
    if changed {
        model.link_bases();
        drop_inherited_rows(b, model);
    }
}

/// Types the model addresses as entities: the types of navigation
/// properties, and the response types of operations whose request path ends
/// in a key segment (`/things/{id}`); then the types a `GET`, `PATCH` or
/// `PUT` returns.
fn addressed_as_entities(model: &Model) -> (HashSet<TypeId>, HashSet<TypeId>) {
    let mut addressed = HashSet::new();
    let mut read = HashSet::new();
    for t in &model.types {
        for p in t.properties.iter().filter(|p| p.navigation) {
            addressed.extend(p.ty.named());
        }
    }
    for e in &model.endpoints {
        let returned = e.response_type.as_ref().and_then(|r| r.named());
        if e.paths().any(|p| p.ends_with('}')) {
            addressed.extend(returned);
        }
        if matches!(e.method.as_str(), "GET" | "PATCH" | "PUT") {
            read.extend(returned);
        }
    }
    (addressed, read)
}
