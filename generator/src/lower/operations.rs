//! Operation facts of every page → `ir::OperationInfo` of its endpoint:
//! parameters typed like properties, request and response bodies by general
//! rules, example exchanges attached to the request line they fit. Runs after
//! the endpoints, relationships and types exist; touches no other field.
//!
//! Body rules, first that applies:
//! * response: the Response prose's type; `204` (documented status, prose or
//!   every example) → none; the response annotation (`@odata.type`,
//!   `isCollection`); the example body's `@odata.context` (a type, or a path
//!   resolved like a request path) or `@odata.type`; for a GET, the path.
//! * request: POST/PUT `…/$ref` → a reference (`{"@odata.id": url}`);
//!   "don't supply a request body" (and no body table) → none; the Request body prose's
//!   type; a non-JSON `Content-Type` → `Edm.Stream`; PATCH/PUT → the
//!   operation's own response type, else a GET's on the same path, else the
//!   path's; a table of parameters → parameters; a POST with a documented body → the
//!   element type of the collection its path addresses; the example body's
//!   `@odata.type`; any body table → parameters; GET/DELETE/HEAD → none.
//! * the path's type: a GET documented on the same path shape, else the
//!   element of the parent's collection (`…/{id}`), the property or
//!   relationship a plain segment names on the parent's type, a cast segment's
//!   type, `$value` → `Edm.Stream`.

use super::{resolve, Builder, Key, RefSite};
use crate::ir::{
    path_shape, Body, BodyKind, ExampleRequest, ExampleResponse, Exchange, Header, Model, Parameter, Primitive,
    QuerySupport, TypeId, TypeRef, TypeSource,
};
use crate::parse::exchanges::ExchangeFact;
use crate::parse::facts::PageFacts;
use crate::parse::http::segment_count;
use crate::parse::operation::ParamFact;
use crate::parse::type_expr::TypeExpr;
use crate::source::{Location, Span};
use std::collections::HashMap;

/// What the pages of one endpoint hint about its bodies.
#[derive(Clone, Default)]
struct Hints {
    body_is_parameters: bool,
    body_table: bool,
    no_request_body: bool,
    content_type: Option<String>,
    no_response_body: bool,
    response_primitive: Option<TypeRef>,
    request_example_body: bool,
    /// An example request's body is `{}`: an action without parameters.
    request_example_empty: bool,
    request_example_type: Option<TypeRef>,
    response_annotation: Option<TypeRef>,
    response_example: Option<TypeRef>,
    /// Unresolved `@odata.context` paths of example responses (shape, single).
    response_contexts: Vec<(String, bool)>,
    response_json: bool,
    statuses: Vec<u16>,
}

/// Resolves a type expression like a property's, without diagnostics (the
/// type tables of resource pages report unresolved names already).
fn quiet(
    b: &Builder,
    ids: &HashMap<Key, TypeId>,
    expr: &TypeExpr,
    span: &Span,
    link: Option<&crate::parse::facts::TypeLink>,
    ns: &str,
) -> TypeRef {
    let site = RefSite {
        page_ns: ns,
        span,
        link,
    };
    resolve(b, &mut Vec::new(), ids, expr, &None, &site)
}

/// A type name as an annotation or payload writes it (`#microsoft.graph.user`,
/// `Edm.String`), resolved; `None` for names no page defines.
fn named(b: &mut Builder, ids: &HashMap<Key, TypeId>, name: &str, span: &Span, ns: &str) -> Option<TypeRef> {
    let name = name.trim().trim_start_matches('#');
    if let Some(inner) = name.strip_prefix("Collection(").and_then(|r| r.strip_suffix(')')) {
        return named(b, ids, inner, span, ns).map(|t| TypeRef::Collection(Box::new(t)));
    }
    let lower = name.to_ascii_lowercase();
    if let Some(p) = lower
        .strip_prefix("edm.")
        .and_then(crate::parse::type_expr::primitive_from_doc_name)
    {
        return Some(TypeRef::Primitive(p));
    }
    if !crate::parse::type_expr::is_type_name(name) {
        return None;
    }
    match quiet(b, ids, &TypeExpr::Named(name.to_owned()), span, None, ns) {
        TypeRef::Unresolved(_) => None,
        t => Some(t),
    }
}

fn params(b: &mut Builder, ids: &HashMap<Key, TypeId>, facts: &[ParamFact], ns: &str, into: &mut Vec<Parameter>) {
    for p in facts {
        if into.iter().any(|q| q.name == p.name.value) {
            continue;
        }
        let ty =
            p.ty.as_ref()
                .map(|t| quiet(b, ids, &t.value, &t.span, p.ty_link.as_ref(), ns));
        into.push(Parameter {
            name: p.name.value.clone(),
            ty,
            required: p.required,
            description: p.description.clone(),
            source: b.db.location(&p.name.span),
        });
    }
}

fn is_json_media(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    l.is_empty() || l.contains("json")
}

/// `…/$metadata#users('1')/messages/$entity` → (`/users/{}/messages`, single);
/// a type (`#microsoft.graph.user`, `#Collection(…)`) → `Err(type name, collection)`.
fn context_path(context: &str) -> Option<Result<(String, bool), (String, bool)>> {
    let frag = context.split_once('#')?.1.trim();
    if let Some(inner) = frag.strip_prefix("Collection(").and_then(|r| r.strip_suffix(')')) {
        return Some(Err((inner.to_owned(), true)));
    }
    if frag.starts_with("microsoft.graph.") || frag.starts_with("Edm.") {
        let (t, single) = match frag.strip_suffix("/$entity") {
            Some(t) => (t, true),
            None => (frag, true),
        };
        return Some(Err((t.to_owned(), !single)));
    }
    let (frag, single) = match frag.strip_suffix("/$entity") {
        Some(f) => (f, true),
        None => (frag, false),
    };
    let mut path = String::new();
    let segs: Vec<&str> = frag.split('/').collect();
    for (i, seg) in segs.iter().enumerate() {
        let (name, args) = match seg.split_once('(') {
            Some((n, a)) => (n, Some(a.trim_end_matches(')'))),
            None => (*seg, None),
        };
        if name.is_empty() {
            return None;
        }
        path.push('/');
        path.push_str(name);
        match args {
            // A key (`users('1')`, `items(1)`), or on the last segment a
            // select list (`users(id,displayName)`).
            Some(a) if a.contains('\'') || a.chars().all(|c| c.is_ascii_digit()) || i + 1 < segs.len() => {
                path.push_str("/{}")
            }
            _ => {}
        }
    }
    Some(Ok((path_shape(&path), single)))
}

/// The type of what a path shape addresses (see the module docs).
fn path_type(
    model: &Model,
    gets: &HashMap<String, TypeRef>,
    casts: &HashMap<String, TypeId>,
    shape: &str,
    depth: usize,
) -> Option<TypeRef> {
    if let Some(t) = gets.get(shape) {
        return Some(t.clone());
    }
    if depth > 40 {
        return None;
    }
    let (parent, last) = shape.rsplit_once('/')?;
    if parent.is_empty() {
        return None;
    }
    let parent_type = || path_type(model, gets, casts, parent, depth + 1);
    match last {
        "{}" => match parent_type()? {
            TypeRef::Collection(t) => Some(*t),
            _ => None,
        },
        "$value" => Some(TypeRef::Primitive(Primitive::Stream)),
        l if l.starts_with('$') || l.contains(['(', ':', '{']) => None,
        l if l.contains('.') => casts.get(l).map(|id| TypeRef::Named(*id, model.ty(*id).qualified())),
        name => {
            let TypeRef::Named(id, _) = parent_type()? else {
                return None;
            };
            model
                .all_properties(id)
                .into_iter()
                .find(|p| p.name.eq_ignore_ascii_case(name))
                .map(|p| p.ty.clone())
        }
    }
}

/// A body parameter whose description says it may name several members: its
/// own enum type (an action's parameter) is a flags enum; else it is the
/// body type's property (a create or update), and that property's enum is.
fn flags_from_body_parameters(model: &mut Model, params: &[(usize, String)]) {
    let mut flagged = Vec::new();
    for (i, name) in params {
        let e = &model.endpoints[*i];
        let own = e.operation.body_parameters.iter().find(|p| &p.name == name);
        if let Some(TypeRef::Named(t, _)) = own.and_then(|p| p.ty.as_ref()) {
            if model.ty(*t).kind == crate::ir::TypeKind::Enum {
                flagged.push(*t);
                continue;
            }
        }
        let Some(TypeRef::Named(t, _)) = e.request_type.as_ref().or(e.operation.request_body.ty.as_ref()) else {
            continue;
        };
        let props = model.all_properties(*t);
        if let Some(TypeRef::Named(e, _)) = props.iter().find(|p| &p.name == name).map(|p| &p.ty) {
            flagged.push(*e);
        }
    }
    for e in flagged {
        let t = &mut model.types[e.0 as usize];
        t.is_flags |= t.kind == crate::ir::TypeKind::Enum;
    }
}

fn element(t: &TypeRef) -> Option<TypeRef> {
    match t {
        TypeRef::Collection(inner) => Some((**inner).clone()),
        _ => None,
    }
}

fn typed(ty: TypeRef, from: TypeSource) -> Body {
    Body {
        kind: BodyKind::Type,
        ty: Some(ty),
        from: Some(from),
        ..Body::default()
    }
}

/// An example request its page's operation has no request line for.
struct Orphan<'a> {
    fact: &'a ExchangeFact,
    at: Location,
    response_at: Option<Location>,
}

/// Examples that fit no request line of their own page's operation go to
/// the operation, of any page, whose request line they fit with the most
/// literal segments (a `/me/…` example of a page documenting
/// `/users/{id}/…`); those that fit none keep their GD0011 warning.
fn attach_elsewhere(model: &mut Model, orphans: &[Orphan]) {
    // Where each goes is decided first: the request lines do not change.
    let lines = lines_by_shape(model);
    let best: Vec<Option<(usize, usize)>> = orphans.iter().map(|o| best_line(&lines, o.fact)).collect();
    drop(lines);
    for (
        Orphan {
            fact: x,
            at,
            response_at,
        },
        best,
    ) in orphans.iter().zip(best)
    {
        let exchange = |line| to_ir(x, line, at, response_at.as_ref());
        match best {
            Some((i, line)) => model.endpoints[i].operation.exchanges.push(exchange(line)),
            None => model.unmatched_exchanges.push(exchange(0)),
        }
    }
}

/// The (endpoint, line) whose request line `x` fits with the most literal
/// segments, the first of equals.
fn best_line(lines: &Lines<'_>, x: &ExchangeFact) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None;
    let key = (x.method.to_ascii_uppercase(), segment_count(&x.template));
    for &(i, line, path) in lines.get(&key).into_iter().flatten() {
        if !crate::parse::http::matches_template(path, &x.template) {
            continue;
        }
        let literal = path.split('/').filter(|s| !s.contains('{')).count();
        if best.is_none_or(|(_, _, l)| literal > l) {
            best = Some((i, line, literal));
        }
    }
    best.map(|(i, line, _)| (i, line))
}

/// Request lines as [`lines_by_shape`] indexes them.
type Lines<'a> = HashMap<(String, usize), Vec<(usize, usize, &'a str)>>;

/// Every request line (endpoint index, line index, path) by upper-case
/// method and segment count, in endpoint and line order: an example fits
/// only a line of its method and as many segments.
fn lines_by_shape(model: &Model) -> Lines<'_> {
    let mut lines = Lines::new();
    for (i, e) in model.endpoints.iter().enumerate() {
        for (line, path) in e.paths().enumerate() {
            let key = (e.method.to_ascii_uppercase(), segment_count(path));
            lines.entry(key).or_default().push((i, line, path.as_str()));
        }
    }
    lines
}

pub(super) fn build(b: &mut Builder, ids: &HashMap<Key, TypeId>, pages: &[PageFacts], model: &mut Model) {
    let mut at: HashMap<Location, usize> = HashMap::new();
    for (i, e) in model.endpoints.iter().enumerate() {
        for s in &e.sources {
            at.entry(s.clone()).or_insert(i);
        }
    }
    let mut hints = vec![Hints::default(); model.endpoints.len()];
    let mut orphans: Vec<Orphan> = Vec::new();
    let mut attached: std::collections::HashSet<Location> = std::collections::HashSet::new();
    let mut multi_valued: Vec<(usize, String)> = Vec::new();
    for page in pages {
        let ns = page.namespace.as_str();
        for e in &page.endpoints {
            let Some(&i) = at.get(&b.db.location(&e.span)) else {
                continue;
            };
            let op = &e.details;
            let mut info = std::mem::take(&mut model.endpoints[i].operation);
            params(b, ids, &op.body_parameters, ns, &mut info.body_parameters);
            multi_valued.extend(
                op.body_parameters
                    .iter()
                    .filter(|p| p.multi_valued)
                    .map(|p| (i, p.name.value.clone())),
            );
            params(b, ids, &op.query_parameters, ns, &mut info.query_parameters);
            params(b, ids, &op.function_parameters, ns, &mut info.function_parameters);
            for o in &op.query_options {
                if !info.query_options.contains(o) {
                    info.query_options.push(o.clone());
                }
            }
            let rank = |q: QuerySupport| match q {
                QuerySupport::Unknown => 0,
                QuerySupport::None => 1,
                QuerySupport::Listed => 2,
                QuerySupport::General => 3,
            };
            if rank(op.query_support) > rank(info.query_support) {
                info.query_support = op.query_support;
            }
            for h in &op.request_headers {
                if !info
                    .request_headers
                    .iter()
                    .any(|x| x.name == h.name && x.value == h.value)
                {
                    info.request_headers.push(Header {
                        name: h.name.clone(),
                        value: h.value.clone(),
                        description: h.description.clone(),
                        required: h.required,
                        source: b.db.location(&h.span),
                    });
                }
            }
            let hint = &mut hints[i];
            hint.body_is_parameters |= op.body_is_parameters;
            hint.body_table |= op.body_table;
            hint.no_request_body |= op.no_request_body;
            hint.no_response_body |= op.no_response_body;
            if let (None, Some(t)) = (&hint.response_primitive, &op.response_primitive) {
                hint.response_primitive = Some(quiet(b, ids, &t.value, &t.span, None, ns));
            }
            if hint.content_type.is_none() {
                hint.content_type.clone_from(&op.content_type);
            }
            hint.request_example_body |= !page.request_bodies.is_empty();

            let mut pending = Pending {
                orphans: &mut orphans,
                attached: &mut attached,
            };
            attach_page_exchanges(
                b,
                ids,
                page,
                &model.endpoints[i],
                &mut info,
                &mut hints[i],
                &mut pending,
            );
            model.endpoints[i].operation = info;
        }
    }
    orphans.retain(|o| !attached.contains(&o.at));
    attach_elsewhere(model, &orphans);
    bodies(model, &hints);
    raw_values(model);
    flags_from_body_parameters(model, &multi_valued);
}

/// Examples of a page still to place: those its own operation has no
/// request line for, and the locations of those placed.
struct Pending<'a, 'p> {
    orphans: &'a mut Vec<Orphan<'p>>,
    attached: &'a mut std::collections::HashSet<Location>,
}

/// The page's exchanges that fit a request line of `ep`, attached to `info`
/// with what they tell about bodies recorded in `hint`; the others pending.
fn attach_page_exchanges<'p>(
    b: &mut Builder,
    ids: &HashMap<Key, TypeId>,
    page: &'p PageFacts,
    ep: &crate::ir::Endpoint,
    info: &mut crate::ir::OperationInfo,
    hint: &mut Hints,
    pending: &mut Pending<'_, 'p>,
) {
    let ns = page.namespace.as_str();
    let lines: Vec<&str> = ep.paths().map(String::as_str).collect();
    let method = ep.method.clone();
    for x in &page.exchanges {
        let fits = |l: &&str| crate::parse::http::matches_template(l, &x.template);
        let line = lines
            .iter()
            .position(fits)
            .filter(|_| x.method.eq_ignore_ascii_case(&method));
        let Some(line) = line else {
            // Another operation's example (`/me/…` on a page whose
            // syntax lists `/users/{id}/…`): attached below.
            if !pending.orphans.iter().any(|o: &Orphan| std::ptr::eq(o.fact, x)) {
                pending.orphans.push(Orphan {
                    fact: x,
                    at: b.db.location(&x.span),
                    response_at: x.response.as_ref().map(|r| b.db.location(&r.span)),
                });
            }
            continue;
        };
        pending.attached.insert(b.db.location(&x.span));
        if let Some(ct) = x
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.split(';').next().unwrap_or("").trim().to_owned())
            .filter(|v| !is_json_media(v) && v.contains('/'))
        {
            if hint.content_type.is_none() {
                hint.content_type = Some(ct);
            }
        }
        // The body read once: for whether it is `{}`, and for its type.
        let body = x.body.as_deref().and_then(|t| body_value(page, t));
        let body = body.as_deref();
        hint.request_example_empty |= body.is_some_and(is_empty_object);
        let req_json = body.filter(|_| {
            x.body
                .as_deref()
                .is_some_and(|t| t.starts_with('{') || t.starts_with('['))
        });
        if let Some(t) = req_json.and_then(|v| v.get("@odata.type")).and_then(|t| t.as_str()) {
            if hint.request_example_type.is_none() {
                hint.request_example_type = named(b, ids, t, &x.span, ns);
            }
        }
        if let Some(r) = x.response.as_ref().filter(|r| (200..300).contains(&r.status)) {
            read_response(b, ids, page, r, ns, hint);
        }
        let response_at = x.response.as_ref().map(|r| b.db.location(&r.span));
        info.exchanges
            .push(to_ir(x, line, &b.db.location(&x.span), response_at.as_ref()));
    }
}

/// The JSON value of an exchange's body `text`, `None` when it does not
/// parse: the page's example of that text as parse read it (most bodies are
/// the page's examples, parsed once), else parsed here.
fn body_value<'p>(page: &'p PageFacts, text: &str) -> Option<std::borrow::Cow<'p, serde_json::Value>> {
    match example_value(page, text) {
        Some(v) => v.map(std::borrow::Cow::Borrowed),
        None => crate::parse::json::parse_lenient(text)
            .ok()
            .map(std::borrow::Cow::Owned),
    }
}

/// What parse read from the page's example of text `text`: `Some(None)`
/// when it did not parse, `None` when no example has that text (exchanges'
/// request bodies are mostly the page's request examples, parsed once).
/// An example's span is as long as the text parse read; as long as its
/// CRLF-free `json`, that text was `json` itself: the same string, so the
/// same lenient parse.
fn example_value<'p>(page: &'p PageFacts, text: &str) -> Option<Option<&'p serde_json::Value>> {
    page.examples
        .iter()
        .find(|e| e.json == text && e.span.range.len() == text.len())
        .map(|e| e.value.as_ref())
}

/// An example exchange as the IR holds it.
fn to_ir(x: &ExchangeFact, line: usize, at: &Location, response_at: Option<&Location>) -> Exchange {
    Exchange {
        request: ExampleRequest {
            method: x.method.clone(),
            target: x.target.clone(),
            version: x.version.clone(),
            host: x.host.clone(),
            annotated: x.annotated,
            headers: x.headers.clone(),
            body: x.body.clone(),
        },
        response: x.response.as_ref().map(|r| ExampleResponse {
            status: r.status,
            headers: r.headers.clone(),
            body: r.body.clone(),
            odata_type: r.odata_type.clone(),
            is_collection: r.is_collection,
            source: response_at.cloned().unwrap_or_else(|| at.clone()),
        }),
        line,
        source: at.clone(),
    }
}

fn is_empty_object(v: &serde_json::Value) -> bool {
    v.as_object().is_some_and(|o| o.is_empty())
}

fn read_response(
    b: &mut Builder,
    ids: &HashMap<Key, TypeId>,
    page: &PageFacts,
    r: &crate::parse::exchanges::ResponseFact,
    ns: &str,
    hint: &mut Hints,
) {
    hint.statuses.push(r.status);
    if hint.response_annotation.is_none() {
        if let Some(t) = r.odata_type.as_deref().and_then(|t| named(b, ids, t, &r.span, ns)) {
            hint.response_annotation = Some(if r.is_collection {
                TypeRef::Collection(Box::new(t))
            } else {
                t
            });
        }
    }
    // A 204 has no body, whatever its example shows.
    let Some(text) = r
        .body
        .as_deref()
        .filter(|t| r.status != 204 && (t.starts_with('{') || t.starts_with('[')))
    else {
        return;
    };
    hint.response_json = true;
    // Only the first example that names a type is read (asked before the
    // body is parsed: most operations show several).
    if hint.response_example.is_some() {
        return;
    }
    let Some(v) = body_value(page, text) else {
        return;
    };
    if let Some(c) = v.get("@odata.context").and_then(|c| c.as_str()) {
        match context_path(c) {
            Some(Err((name, coll))) => {
                if let Some(t) = named(b, ids, &name, &r.span, ns) {
                    hint.response_example = Some(if coll { TypeRef::Collection(Box::new(t)) } else { t });
                    return;
                }
            }
            Some(Ok(p)) => hint.response_contexts.push(p),
            None => {}
        }
    }
    let items = v.get("value").and_then(|x| x.as_array());
    let (t, coll) = match items {
        Some(items) => (items.first().and_then(|x| x.get("@odata.type")), true),
        None => (v.get("@odata.type"), false),
    };
    if let Some(t) = t.and_then(|t| t.as_str()).and_then(|t| named(b, ids, t, &r.span, ns)) {
        hint.response_example = Some(if coll { TypeRef::Collection(Box::new(t)) } else { t });
    }
}

/// The body rules (module docs) over every endpoint.
/// A GET of a path ending in `$value` (OData's raw value) or `content`
/// (Graph's stream property) returns the raw bytes when nothing else says
/// what it returns; a PUT to one sends them.
fn raw_values(model: &mut Model) {
    for e in &mut model.endpoints {
        let last = e.path.rsplit('/').next().unwrap_or("");
        if last != "$value" && last != "content" {
            continue;
        }
        let stream = || Body {
            kind: BodyKind::Type,
            ty: Some(TypeRef::Primitive(crate::ir::Primitive::Stream)),
            from: Some(TypeSource::Path),
            ..Body::default()
        };
        let info = &mut e.operation;
        if e.method == "GET" && info.response_body.kind == BodyKind::Unknown {
            let documented = info.response_body.documented;
            info.response_body = Body { documented, ..stream() };
        }
        if e.method == "PUT" && info.request_body.kind == BodyKind::Unknown {
            let documented = info.request_body.documented;
            info.request_body = Body { documented, ..stream() };
        }
    }
}

// Long by design: the body rules, applied first to last, each a short arm;
// their order is the rule, so they stay in one place.
fn bodies(model: &mut Model, hints: &[Hints]) {
    // Pass 1: responses from the page alone.
    for (e, h) in model.endpoints.iter_mut().zip(hints) {
        let none = e.success_status == Some(204)
            || (e.response_type.is_none() && h.no_response_body && !h.response_json)
            || (!h.statuses.is_empty() && h.statuses.iter().all(|s| *s == 204));
        let documented = e.response_type.is_some() || h.response_primitive.is_some() || h.response_json;
        let mut body = if let Some(t) = e.response_type.as_ref().or(h.response_primitive.as_ref()) {
            typed(t.clone(), TypeSource::Prose)
        } else if none {
            Body {
                kind: BodyKind::None,
                ..Body::default()
            }
        } else if let Some(t) = &h.response_annotation {
            typed(t.clone(), TypeSource::Annotation)
        } else if let Some(t) = &h.response_example {
            typed(t.clone(), TypeSource::Example)
        } else {
            Body::default()
        };
        body.documented = documented;
        e.operation.response_body = body;
    }
    // The types GETs return, by path shape (main and alternate lines).
    let mut gets: HashMap<String, TypeRef> = HashMap::new();
    for e in model.endpoints.iter().filter(|e| e.method == "GET") {
        if let Some(t) = &e.operation.response_body.ty {
            for p in e.paths() {
                gets.entry(path_shape(p)).or_insert_with(|| t.clone());
            }
        }
    }
    let casts: HashMap<String, TypeId> = model
        .types
        .iter()
        .map(|t| (t.qualified().to_string().to_ascii_lowercase(), t.id))
        .collect();
    let shapes = |e: &crate::ir::Endpoint| -> Vec<String> { e.paths().map(|p| path_shape(p)).collect() };
    let walk = |model: &Model, shapes: &[String]| shapes.iter().find_map(|s| path_type(model, &gets, &casts, s, 0));
    // Pass 2: GET responses from contexts and paths, then requests.
    let mut out: Vec<(Body, Body)> = Vec::with_capacity(model.endpoints.len());
    for (e, h) in model.endpoints.iter().zip(hints) {
        let sh = shapes(e);
        let mut response = e.operation.response_body.clone();
        if response.kind == BodyKind::Unknown {
            let from_context = h.response_contexts.iter().find_map(|(shape, single)| {
                let t = path_type(model, &gets, &casts, shape, 0)?;
                Some(match (single, element(&t)) {
                    (true, Some(el)) => el,
                    _ => t,
                })
            });
            if let Some(t) = from_context {
                response = typed(t, TypeSource::Example);
            } else if e.method == "GET" {
                if let Some(t) = walk(model, &sh) {
                    response = typed(t, TypeSource::Path);
                }
            }
            response.documented = e.operation.response_body.documented;
        }
        let method = e.method.as_str();
        let write = matches!(method, "PATCH" | "PUT");
        let documented = h.body_table || h.request_example_body || e.request_type.is_some();
        let reference = matches!(method, "POST" | "PUT") && e.path.ends_with("/$ref");
        let mut request = if reference {
            Body {
                kind: BodyKind::Reference,
                ..Body::default()
            }
        } else if h.no_request_body && !h.body_table {
            Body {
                kind: BodyKind::None,
                ..Body::default()
            }
        } else if let Some(t) = &e.request_type {
            typed(t.clone(), TypeSource::Prose)
        } else if let Some(ct) = h
            .content_type
            .as_ref()
            .filter(|_| matches!(method, "POST" | "PUT" | "PATCH"))
        {
            Body {
                content_type: Some(ct.clone()),
                ..typed(TypeRef::Primitive(Primitive::Stream), TypeSource::ContentType)
            }
        } else if let Some(t) = response.ty.clone().filter(|_| write) {
            typed(t, TypeSource::Response)
        } else if let Some(t) = sh.iter().find_map(|s| gets.get(s)).filter(|_| write) {
            typed(t.clone(), TypeSource::Get)
        } else if let Some(t) = walk(model, &sh).filter(|_| write) {
            typed(t, TypeSource::Path)
        } else if h.body_is_parameters && !e.operation.body_parameters.is_empty() {
            Body {
                kind: BodyKind::Parameters,
                ..Body::default()
            }
        } else if let Some(t) = (method == "POST" && documented)
            .then(|| walk(model, &sh).as_ref().and_then(element))
            .flatten()
        {
            typed(t, TypeSource::Path)
        } else if let Some(t) = &h.request_example_type {
            typed(t.clone(), TypeSource::Example)
        } else if !e.operation.body_parameters.is_empty() || h.request_example_empty {
            Body {
                kind: BodyKind::Parameters,
                ..Body::default()
            }
        } else if matches!(method, "GET" | "DELETE" | "HEAD") && !documented {
            Body {
                kind: BodyKind::None,
                ..Body::default()
            }
        } else {
            Body::default()
        };
        request.documented = documented;
        out.push((request, response));
    }
    for (e, (request, response)) in model.endpoints.iter_mut().zip(out) {
        e.operation.request_body = request;
        e.operation.response_body = response;
    }
}

/// How many operations have typed bodies where their pages document one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub operations: usize,
    pub response_typed: usize,
    pub response_documented: usize,
    pub request_typed: usize,
    pub request_documented: usize,
    /// `(page:line, what)` of each documented body without a type, sorted.
    pub misses: Vec<(String, String)>,
}

impl Coverage {
    pub fn response_ratio(&self) -> f64 {
        self.response_typed as f64 / self.response_documented.max(1) as f64
    }
    pub fn request_ratio(&self) -> f64 {
        self.request_typed as f64 / self.request_documented.max(1) as f64
    }
}

impl std::fmt::Display for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "operations: {}; response typed {}/{} ({:.1}%); request typed {}/{} ({:.1}%)",
            self.operations,
            self.response_typed,
            self.response_documented,
            100.0 * self.response_ratio(),
            self.request_typed,
            self.request_documented,
            100.0 * self.request_ratio(),
        )?;
        for (at, what) in &self.misses {
            writeln!(f, "  {at}: {what}")?;
        }
        Ok(())
    }
}

/// The coverage figures of issue 16 over a model. A page documents a
/// response body when its Response section states a type or an example
/// response fitting the operation has a JSON body; a POST/PATCH/PUT request
/// body when its Request body section has a table or states a type, or an
/// example request has a JSON body. Typed: a response with a type; a request
/// with a type, parameters (possibly none: `{}`) or a reference.
pub fn coverage(model: &Model) -> Coverage {
    let mut c = Coverage {
        operations: model.endpoints.len(),
        ..Coverage::default()
    };
    for e in &model.endpoints {
        let at = e
            .sources
            .first()
            .map(|l| format!("{}:{}", l.path, l.line))
            .unwrap_or_default();
        let (req, resp) = (&e.operation.request_body, &e.operation.response_body);
        if resp.documented {
            c.response_documented += 1;
            if resp.ty.is_some() {
                c.response_typed += 1;
            } else {
                c.misses.push((
                    at.clone(),
                    format!("{} {}: response body without a type", e.method, e.path),
                ));
            }
        }
        if matches!(e.method.as_str(), "POST" | "PATCH" | "PUT") && req.documented {
            c.request_documented += 1;
            if matches!(req.kind, BodyKind::Type | BodyKind::Parameters | BodyKind::Reference) {
                c.request_typed += 1;
            } else {
                c.misses
                    .push((at, format!("{} {}: request body without a type", e.method, e.path)));
            }
        }
    }
    c.misses.sort();
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts() {
        assert_eq!(
            context_path("https://graph.microsoft.com/v1.0/$metadata#users('a%40b')/messages/$entity"),
            Some(Ok(("/users/{}/messages".into(), true)))
        );
        assert_eq!(
            context_path("https://graph.microsoft.com/v1.0/$metadata#users(displayName,id)"),
            Some(Ok(("/users".into(), false)))
        );
        assert_eq!(
            context_path("$metadata#Collection(microsoft.graph.user)"),
            Some(Err(("microsoft.graph.user".into(), true)))
        );
        assert_eq!(
            context_path("$metadata#microsoft.graph.user"),
            Some(Err(("microsoft.graph.user".into(), false)))
        );
        assert_eq!(context_path("no fragment"), None);
        assert_eq!(context_path("#/x"), None);
    }
}
