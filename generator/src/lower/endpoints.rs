//! Endpoints from every page's syntax blocks, merged per path template and
//! method.

use super::{resolve, Builder, Key, RefSite};
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{Endpoint, EndpointId, Model, Permission, PermissionStatus, RequestLine, TypeId, TypeRef};
use crate::parse::facts::{PageFacts, TypeMention};
use crate::parse::type_expr::TypeExpr;
use crate::source::Span;
use std::collections::{BTreeMap, HashMap};

fn mention_ref(
    b: &Builder,
    diags: &mut Vec<Diagnostic>,
    ids: &HashMap<Key, TypeId>,
    m: &TypeMention,
    page_ns: &str,
) -> TypeRef {
    let expr = match m.primitive {
        Some(p) => TypeExpr::Primitive(p),
        None => TypeExpr::Named(m.name.clone()),
    };
    let site = RefSite {
        page_ns,
        span: &m.span,
        link: m.link.as_ref(),
    };
    let inner = resolve(b, diags, ids, &expr, &None, &site);
    if m.collection {
        TypeRef::Collection(Box::new(inner))
    } else {
        inner
    }
}

/// One endpoint per (path template, method) over all pages: names from titles,
/// body types, statuses and permissions merged, conflicts reported. Returns,
/// per endpoint, whether the page that names it names an operation.
pub(super) fn build(b: &mut Builder, ids: &HashMap<Key, TypeId>, pages: &[PageFacts], model: &mut Model) -> Vec<bool> {
    let mut by_key: BTreeMap<(String, String), (Endpoint, bool)> = BTreeMap::new();
    let mut titled: HashMap<(String, String), bool> = HashMap::new();
    let mut by_shape: HashMap<(String, String), (String, String)> = HashMap::new();
    let mut from_examples = Vec::new();
    let mut page_workloads: HashMap<(String, String), Vec<String>> = HashMap::new();
    let resolved = resolve_mentions(b, ids, pages);
    for (page, page_resolved) in pages.iter().zip(resolved) {
        for (e, (request_type, response_type, mut mention_diags)) in page.endpoints.iter().zip(page_resolved) {
            let method = e.method.to_ascii_uppercase();
            // One operation per shape: `/organization/{id}` and
            // `/organization/{organization-id}` on two pages are the same.
            let shape = (crate::ir::path_shape(&e.path.template), method.clone());
            let k = by_shape
                .entry(shape)
                .or_insert_with(|| (e.path.template.clone(), method.clone()))
                .clone();
            b.diags.append(&mut mention_diags);
            let permissions: Vec<Permission> = e
                .permissions
                .iter()
                .map(|p| Permission {
                    kind: p.kind,
                    status: p.status.clone(),
                })
                .collect();
            let name = e
                .title
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_else(|| format!("{} {}", method, e.path.template));
            let loc = b.db.location(&e.span);
            let (ep, operation) = by_key.entry(k.clone()).or_insert_with(|| {
                let ep = Endpoint {
                    id: EndpointId(0),
                    name: name.clone(),
                    method: method.clone(),
                    path: e.path.template.clone(),
                    alternate_paths: Vec::new(),
                    parameters: e.path.params.clone(),
                    path_parameters: Vec::new(),
                    request_type: None,
                    response_type: None,
                    success_status: None,
                    permissions: Vec::new(),
                    api_versions: Vec::new(),
                    workload: page.file.and_then(|f| b.workloads.get(&f)).cloned(),
                    sources: Vec::new(),
                    operation: Default::default(),
                };
                (ep, e.operation)
            });
            if e.title.is_some() && !titled.get(&k).copied().unwrap_or(false) {
                ep.name = name;
                *operation = e.operation;
                titled.insert(k.clone(), true);
            }
            ep.sources.push(loc);
            if let Some(w) = page.file.and_then(|f| b.workloads.get(&f)) {
                page_workloads.entry(k.clone()).or_default().push(w.clone());
            }
            from_examples.extend(e.example_paths.iter().map(|(p, _)| super::example_lines::Candidate {
                key: k.clone(),
                template: p.template.clone(),
            }));
            for a in &e.alternate_paths {
                if !ep.alternate_paths.iter().any(|l| l.path == a.template) && a.template != ep.path {
                    ep.alternate_paths.push(RequestLine {
                        path: a.template.clone(),
                        parameters: a.params.clone(),
                        from_example: false,
                    });
                }
            }
            merge_opt(
                &mut b.diags,
                model,
                &mut ep.request_type,
                request_type,
                &e.span,
                "request type",
            );
            let lists = method == "GET";
            merge_response(
                &mut b.diags,
                model,
                &mut ep.response_type,
                response_type,
                &e.span,
                lists,
            );
            if let Some(s) = &e.success_status {
                match ep.success_status {
                    None => ep.success_status = Some(s.value),
                    Some(prev) if prev != s.value => b.diags.push(Diagnostic::warning(
                        Code::Conflict,
                        s.span.clone(),
                        format!(
                            "success status {} here, {} on another page for the same endpoint",
                            s.value, prev
                        ),
                    )),
                    _ => {}
                }
            }
            for p in permissions {
                match ep.permissions.iter_mut().find(|q| q.kind == p.kind) {
                    None => ep.permissions.push(p),
                    Some(q) => merge_permission(&mut q.status, p.status),
                }
            }
            for v in &e.api_versions {
                if !ep.api_versions.contains(v) {
                    ep.api_versions.push(v.clone());
                }
            }
        }
    }
    super::example_lines::adopt(&mut by_key, from_examples);
    for (k, (ep, _)) in by_key.iter_mut() {
        if let Some(w) = page_workloads.get(k).and_then(|ws| addressed_workload(model, ep, ws)) {
            ep.workload = Some(w);
        }
    }
    let mut operations = Vec::new();
    for (i, (mut e, operation)) in by_key.into_values().enumerate() {
        e.id = EndpointId(i as u32);
        e.permissions.sort_by_key(|p| p.kind);
        model.endpoints.push(e);
        operations.push(operation);
    }
    operations
}

/// An endpoint's request type, response type and the diagnostics of
/// resolving them.
type Mentions = (Option<TypeRef>, Option<TypeRef>, Vec<Diagnostic>);

/// Each endpoint's request and response type, resolved page by page in
/// parallel (reading the builder only); the sequential merge adds the
/// diagnostics where it resolved them before.
fn resolve_mentions(b: &Builder, ids: &HashMap<Key, TypeId>, pages: &[PageFacts]) -> Vec<Vec<Mentions>> {
    use rayon::prelude::*;
    pages
        .par_iter()
        .map(|page| {
            page.endpoints
                .iter()
                .map(|e| {
                    let mut diags = Vec::new();
                    let mut one = |m: &TypeMention| mention_ref(b, &mut diags, ids, m, &page.namespace);
                    let request = e.request_type.as_ref().map(&mut one);
                    let response = e.response_type.as_ref().map(&mut one);
                    (request, response, diags)
                })
                .collect()
        })
        .collect()
}

/// An endpoint several pages document lives in the workload of the type it
/// returns (or takes) when one of its pages is of that workload: `GET
/// /users/{id}` is documented by an Intune page and by the users page, and
/// belongs with `user`. `None` keeps the first page's.
fn addressed_workload(model: &Model, ep: &Endpoint, page_workloads: &[String]) -> Option<String> {
    if page_workloads.iter().all(|w| *w == page_workloads[0]) {
        return None;
    }
    let mut ty = ep.response_type.as_ref().or(ep.request_type.as_ref())?;
    while let TypeRef::Collection(inner) = ty {
        ty = inner;
    }
    let TypeRef::Named(id, _) = ty else {
        return None;
    };
    let w = model.types.get(id.0 as usize)?.workload.as_ref()?;
    page_workloads.contains(w).then(|| w.clone())
}

/// Two tables for one kind of permission (pages split "acting on self" from
/// "acting on other users", and one endpoint has several pages): any table
/// that grants scopes makes the kind supported, and the scopes add up.
fn merge_permission(into: &mut PermissionStatus, new: PermissionStatus) {
    match (&mut *into, new) {
        (PermissionStatus::NotDocumented, n)
        | (PermissionStatus::NotSupported, n @ PermissionStatus::Scopes { .. }) => *into = n,
        (
            PermissionStatus::Scopes {
                scopes,
                least_privileged,
            },
            PermissionStatus::Scopes {
                scopes: more,
                least_privileged: more_least,
            },
        ) => {
            for s in more {
                if !scopes.contains(&s) {
                    scopes.push(s);
                }
            }
            if least_privileged.is_empty() {
                *least_privileged = more_least;
            }
        }
        _ => {}
    }
}

/// The nearest type both `a` and `b` are or derive from.
fn common_ancestor(model: &Model, a: TypeId, b: TypeId) -> Option<TypeId> {
    let mut chain_a = vec![a];
    chain_a.extend(model.ancestors(a));
    let mut chain_b = vec![b];
    chain_b.extend(model.ancestors(b));
    chain_a.into_iter().find(|t| chain_b.contains(t))
}

/// The response type of a second page for the same endpoint, as
/// [`merge_opt`] does, except that for a `GET` a collection of `T` outranks
/// one `T`: a Get page whose request line leaves out the key (`GET
/// …/swapShiftsChangeRequests` where its example request ends in `/{id}`)
/// states the request line of its List page, which lists. The conflict is
/// still reported.
fn merge_response(
    diags: &mut Vec<Diagnostic>,
    model: &Model,
    slot: &mut Option<TypeRef>,
    new: Option<TypeRef>,
    span: &Span,
    lists: bool,
) {
    let one_then_many = |a: &Option<TypeRef>, b: &Option<TypeRef>| matches!((a, b), (Some(one), Some(TypeRef::Collection(inner))) if **inner == *one);
    if !lists || !(one_then_many(slot, &new) || one_then_many(&new, slot)) {
        return merge_opt(diags, model, slot, new, span, "response type");
    }
    let (Some(a), Some(n)) = (slot.as_ref(), new.as_ref()) else {
        return;
    };
    diags.push(Diagnostic::warning(
        Code::Conflict,
        span.clone(),
        format!(
            "response type `{}` here, `{}` on another page for the same endpoint; read as the collection",
            n.csdl(),
            a.csdl()
        ),
    ));
    if one_then_many(slot, &new) {
        *slot = new;
    }
}

/// Same endpoint, two pages: keep the type, or their common base type when
/// each page documents one derived type (Intune's `PATCH …/{id}` for every
/// configuration kind); unrelated types are a conflict.
fn merge_opt(
    diags: &mut Vec<Diagnostic>,
    model: &Model,
    slot: &mut Option<TypeRef>,
    new: Option<TypeRef>,
    span: &Span,
    what: &str,
) {
    let base = |a: &TypeRef, n: &TypeRef| match (a, n) {
        (TypeRef::Named(x, _), TypeRef::Named(y, _)) => common_ancestor(model, *x, *y),
        (TypeRef::Collection(x), TypeRef::Collection(y)) => match (x.as_ref(), y.as_ref()) {
            (TypeRef::Named(x, _), TypeRef::Named(y, _)) => common_ancestor(model, *x, *y),
            _ => None,
        },
        _ => None,
    };
    match (slot.as_ref(), new) {
        (None, n) => *slot = n,
        (Some(a), Some(n)) if *a != n && base(a, &n).is_some() => {
            let id = base(a, &n).unwrap_or(TypeId(0));
            let named = TypeRef::Named(id, model.ty(id).qualified());
            *slot = Some(match a {
                TypeRef::Collection(_) => TypeRef::Collection(Box::new(named)),
                _ => named,
            });
        }
        (Some(a), Some(n)) if *a != n => diags.push(Diagnostic::warning(
            Code::Conflict,
            span.clone(),
            format!(
                "{what} `{}` here, `{}` on another page for the same endpoint",
                n.csdl(),
                a.csdl()
            ),
        )),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_tables_add_up() {
        let scopes = |s: &[&str]| PermissionStatus::Scopes {
            scopes: s.iter().map(|x| x.to_string()).collect(),
            least_privileged: Vec::new(),
        };
        let mut p = PermissionStatus::NotSupported;
        merge_permission(&mut p, scopes(&["A.Read.All"]));
        assert_eq!(p, scopes(&["A.Read.All"]));
        merge_permission(&mut p, scopes(&["A.Read.All", "A.ReadWrite.All"]));
        assert_eq!(p, scopes(&["A.Read.All", "A.ReadWrite.All"]));
        merge_permission(&mut p, PermissionStatus::NotSupported);
        assert_eq!(p, scopes(&["A.Read.All", "A.ReadWrite.All"]));
        let mut p = PermissionStatus::NotDocumented;
        merge_permission(&mut p, PermissionStatus::NotSupported);
        assert_eq!(p, PermissionStatus::NotSupported);
    }
}
