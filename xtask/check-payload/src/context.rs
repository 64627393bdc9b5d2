//! The type an `@odata.context` URL names, read from the IR.
//!
//! `https://graph.microsoft.com/v1.0/$metadata#users/$entity` → the fragment
//! `users` → the documented `GET` operation whose path has the same segments
//! (`{…}` parameters match any key) → its response type, the element type of
//! a collection. Keys (`users('id')`, `users/{id}`) match parameters; select
//! lists (`users(id,displayName)`) are dropped; `Collection(x)`, a qualified
//! name and a type-cast last segment name the type directly. When no
//! operation matches, a naming rule: the last segment singularized
//! (`users` → `microsoft.graph.user`).
//!
//! Limits: only documented paths match (an entity set the docs never GET is
//! left to the naming rule); operations sharing a path but returning
//! different types are decided by majority, then doc order; function
//! segments (`microsoft.graph.delta()`) are skipped.

use generator::ir::{Model, TypeId, TypeKind, TypeRef};
use generator::lower::walk::{resolve, TypeIndex};

/// A segment that stands for a key.
const KEY: &str = "{}";

/// The type `context` names and how it was found.
pub fn type_of(model: &Model, ids: &TypeIndex, context: &str) -> Option<(TypeId, String)> {
    let (_, fragment) = context.split_once('#')?;
    let mut fragment = fragment.trim().trim_end_matches('/');
    let entity = fragment.ends_with("/$entity");
    for suffix in ["/$entity", "/$delta", "/$ref", "/$count"] {
        fragment = fragment.strip_suffix(suffix).unwrap_or(fragment);
    }
    if let Some(inner) = fragment.strip_prefix("Collection(").and_then(|r| r.strip_suffix(')')) {
        return structure(model, resolve(ids, inner)?).map(|id| (id, format!("`{fragment}`")));
    }
    let segments = segments(fragment);
    // A type cast last: `users/microsoft.graph.user`, or a bare qualified name.
    if let Some(last) = segments.last().filter(|s| s.contains('.') && !s.ends_with(')')) {
        if let Some(id) = resolve(ids, last).and_then(|id| structure(model, id)) {
            return Some((id, format!("the type cast `{last}`")));
        }
    }
    let segments: Vec<&str> = segments
        .iter()
        .map(String::as_str)
        .filter(|s| !(s.contains('.') && s.ends_with(')')))
        .collect();
    if let Some(found) = by_endpoint(model, &segments) {
        return Some(found);
    }
    // One entity of a set: the operation that reads one by key.
    if entity {
        let keyed: Vec<&str> = segments.iter().copied().chain([KEY]).collect();
        if let Some(found) = by_endpoint(model, &keyed) {
            return Some(found);
        }
    }
    let last = segments.iter().rev().find(|s| **s != KEY)?;
    // `microsoft.graph` first, then the other namespaces in order.
    let mut namespaces: Vec<&str> = model.types.iter().map(|t| t.namespace.as_str()).collect();
    namespaces.sort_by_key(|n| (*n != "microsoft.graph", *n));
    namespaces.dedup();
    let id = singular(last).into_iter().find_map(|n| {
        namespaces
            .iter()
            .find_map(|ns| resolve(ids, &format!("{ns}.{n}")).and_then(|id| structure(model, id)))
    })?;
    let t = model.ty(id);
    Some((id, format!("the naming rule `{last}` → `{}.{}`", t.namespace, t.name)))
}

/// Entities and complex types, not enums.
fn structure(model: &Model, id: TypeId) -> Option<TypeId> {
    (model.ty(id).kind != TypeKind::Enum).then_some(id)
}

/// Path segments with keys as [`KEY`]: `users('a')/messages` → `users`, `{}`, `messages`.
fn segments(fragment: &str) -> Vec<String> {
    let mut out = Vec::new();
    for seg in split_outside_parens(fragment) {
        match seg.split_once('(') {
            Some((name, args)) if !name.contains('.') => {
                out.push(name.to_owned());
                let args = args.trim_end_matches(')');
                // A key is quoted, numeric, a GUID or `name=value`; anything
                // else in parentheses is a select list.
                let key = args.contains('\'')
                    || args.contains('=')
                    || (!args.is_empty() && args.chars().all(|c| c.is_ascii_hexdigit() || c == '-'));
                if key {
                    out.push(KEY.to_owned());
                }
            }
            _ => out.push(seg.to_owned()),
        }
    }
    out
}

fn split_outside_parens(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '/' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// The response type of the documented GET operations at this path, the
/// type most of them agree on (doc order breaks ties). Operations whose own
/// path matches come first; alternate paths (other request lines of a page,
/// sometimes a mere `$expand` example) only when none does.
fn by_endpoint(model: &Model, segments: &[&str]) -> Option<(TypeId, String)> {
    primary_or_alternate(model, segments, false).or_else(|| primary_or_alternate(model, segments, true))
}

fn primary_or_alternate(model: &Model, segments: &[&str], alternate: bool) -> Option<(TypeId, String)> {
    let mut votes: Vec<(TypeId, usize, String)> = Vec::new();
    for e in model.endpoints.iter().filter(|e| e.method.eq_ignore_ascii_case("GET")) {
        let paths: Vec<&String> = if alternate {
            e.alternate_paths.iter().map(|l| &l.path).collect()
        } else {
            vec![&e.path]
        };
        let Some(path) = paths.into_iter().find(|p| matches(p, segments)) else {
            continue;
        };
        let Some(id) = e.response_type.as_ref().and_then(element) else {
            continue;
        };
        match votes.iter_mut().find(|(t, _, _)| *t == id) {
            Some(v) => v.1 += 1,
            None => votes.push((id, 1, format!("the operation `GET {path}`"))),
        }
    }
    let best = votes.iter().map(|v| v.1).max()?;
    votes.into_iter().find(|v| v.1 == best).map(|(id, _, how)| (id, how))
}

fn element(t: &TypeRef) -> Option<TypeId> {
    match t {
        TypeRef::Named(id, _) => Some(*id),
        TypeRef::Collection(inner) => element(inner),
        _ => None,
    }
}

/// Whether a documented path template has these segments.
fn matches(template: &str, segments: &[&str]) -> bool {
    let parts: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    parts.len() == segments.len()
        && parts.iter().zip(segments).all(|(p, s)| {
            let param = p.starts_with('{') && p.ends_with('}');
            if *s == KEY {
                param
            } else {
                // `users/48d3…/x`: a segment that is not a word is a key too.
                p.eq_ignore_ascii_case(s) || (param && !s.chars().all(|c| c.is_ascii_alphabetic()))
            }
        })
}

/// Candidate singular forms of an entity set name.
fn singular(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(stem) = name.strip_suffix("ies") {
        out.push(format!("{stem}y"));
    }
    if let Some(stem) = name.strip_suffix("es") {
        out.push(stem.to_owned());
    }
    if let Some(stem) = name.strip_suffix('s') {
        out.push(stem.to_owned());
    }
    out.push(name.to_owned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_select_lists() {
        assert_eq!(segments("users('a b')/messages"), ["users", KEY, "messages"]);
        assert_eq!(segments("users(displayName,id)"), ["users"]);
        assert_eq!(
            segments("users/48d31887-5fad-4d73-a9f5-3c356e68a038/x"),
            ["users", "48d31887-5fad-4d73-a9f5-3c356e68a038", "x"]
        );
        assert_eq!(segments("groups(id='x')/members"), ["groups", KEY, "members"]);
    }

    #[test]
    fn templates_match_keys_to_parameters() {
        assert!(matches("/users/{id}/messages", &["users", KEY, "messages"]));
        assert!(!matches("/users/{id}/messages", &["users", "messages"]));
        assert!(matches("/users", &["users"]));
        assert!(!matches("/users/{id}", &["users", "delta"]));
        assert!(matches("/users/{id}", &["users", "48d31887-5fad"]));
    }

    #[test]
    fn singulars() {
        assert!(singular("policies").contains(&"policy".to_owned()));
        assert!(singular("users").contains(&"user".to_owned()));
        assert!(singular("addresses").contains(&"address".to_owned()));
    }
}
