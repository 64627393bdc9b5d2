//! JSON examples: the type each documents, checked against the model, and
//! the doc placeholders (read by parse) they hold instead of values.

use super::walk::{odata_type_of, pointer_key, Check, Hit, HitKind};
use super::{key, qualify, Key};
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{Example, ExampleKind, Model, Property, TypeId, TypeKind, TypeRef};
use crate::parse::facts::{ExampleFact, ExampleRole, PageFacts};
use crate::parse::placeholder::Evidence;
use crate::source::{SourceDb, Span};
use std::collections::HashMap;

/// Every page's examples, checked against the model; pages run in parallel
/// and come back in page order.
pub fn build(
    diags: &mut Vec<Diagnostic>,
    db: &SourceDb,
    ids: &HashMap<Key, TypeId>,
    pages: &[PageFacts],
    model: &Model,
) -> (Vec<Example>, std::collections::BTreeSet<TypeId>) {
    use rayon::prelude::*;
    // Every type's properties, made once: the walks ask at every object.
    let properties: Vec<Vec<&Property>> = (0..model.types.len())
        .into_par_iter()
        .map(|i| model.all_properties(TypeId(i as u32)))
        .collect();
    let against = Against {
        ids,
        model,
        properties: &properties,
    };
    let per_page: Vec<(Vec<Example>, Vec<Diagnostic>, Vec<TypeId>)> = pages
        .par_iter()
        .map(|page| {
            let mut diags = Vec::new();
            let mut combined = Vec::new();
            let out = page_examples(&mut diags, &mut combined, db, against, page);
            (out, diags, combined)
        })
        .collect();
    let mut out = Vec::new();
    let mut all_combined = std::collections::BTreeSet::new();
    for (examples, d, combined) in per_page {
        out.extend(examples);
        diags.extend(d);
        all_combined.extend(combined);
    }
    (out, all_combined)
}

/// What the examples are checked against.
#[derive(Clone, Copy)]
struct Against<'a> {
    ids: &'a HashMap<Key, TypeId>,
    model: &'a Model,
    /// `model.all_properties` of every type, by id.
    properties: &'a [Vec<&'a Property>],
}

fn page_examples(
    diags: &mut Vec<Diagnostic>,
    combined: &mut Vec<TypeId>,
    db: &SourceDb,
    against: Against,
    page: &PageFacts,
) -> Vec<Example> {
    let Against { ids, model, .. } = against;
    let mut out = Vec::new();
    for ex in &page.examples {
        let Some(value) = &ex.value else { continue };
        let Some((id, coll)) = documented_type(ids, page, ex) else {
            continue;
        };
        if model.ty(id).kind == TypeKind::Enum {
            continue;
        }
        let walked = walk_example(diags, against, &page.namespace, ex, value, (id, coll));
        report_hits(diags, db, ex, &walked.check);
        combined.extend(walked.check.combined.iter().copied());
        let Walked {
            check,
            base,
            is_collection,
            json,
        } = walked;
        out.push(Example {
            kind: match ex.role {
                ExampleRole::Request => ExampleKind::Request,
                ExampleRole::Response => ExampleKind::Response,
                ExampleRole::Resource => ExampleKind::Resource,
            },
            type_ref: Some(base),
            is_collection,
            json,
            placeholders: check
                .hits
                .iter()
                .filter(|h| h.kind == HitKind::Placeholder)
                .map(|h| h.path.clone())
                .collect(),
            undocumented: check.undocumented,
            ill_typed: check.ill_typed,
            source: db.location(&Span::new(ex.span.file, ex.span.range.clone())),
        });
    }
    out
}

/// The type an example documents, and whether it is a collection of it: the
/// annotation's or body's `@odata.type`, else the endpoint's request or
/// response type.
fn documented_type(ids: &HashMap<Key, TypeId>, page: &PageFacts, ex: &ExampleFact) -> Option<(TypeId, bool)> {
    let named = ex.type_name.as_ref().and_then(|n| {
        let n = n.trim();
        let (inner, coll) = match n.strip_prefix("Collection(").and_then(|x| x.strip_suffix(')')) {
            Some(i) => (i, true),
            None => (n, false),
        };
        let (ns, name) = qualify(inner, &page.namespace);
        ids.get(&key(&ns, &name)).map(|id| (*id, coll))
    });
    let from_endpoint = || {
        let e = page.endpoints.first()?;
        let m = match ex.role {
            ExampleRole::Request => e.request_type.as_ref()?,
            ExampleRole::Response => e.response_type.as_ref()?,
            ExampleRole::Resource => return None,
        };
        let (ns, name) = qualify(&m.name, &page.namespace);
        ids.get(&key(&ns, &name)).map(|id| (*id, m.collection))
    };
    named.or_else(from_endpoint)
}

/// An example walked against its documented type.
struct Walked<'a> {
    check: Check<'a>,
    base: TypeRef,
    is_collection: bool,
    /// The example text the generated tests read.
    json: String,
}

/// Walks the example's value (each item of a collection page; the object
/// of a single-object envelope) against the documented type `id`.
fn walk_example<'a>(
    diags: &mut Vec<Diagnostic>,
    against: Against<'a>,
    page_ns: &str,
    ex: &'a ExampleFact,
    value: &serde_json::Value,
    (id, coll): (TypeId, bool),
) -> Walked<'a> {
    let Against { ids, model, properties } = against;
    let t = model.ty(id);
    let base = TypeRef::Named(id, t.qualified());
    // `{"value": [...]}` is a collection page, unless the type itself has
    // a `value` property (`commsNotifications`).
    let own_value = properties
        .get(id.0 as usize)
        .is_some_and(|ps| ps.iter().any(|p| p.name == "value"));
    let is_collection = coll || ex.is_collection || (!own_value && value.get("value").is_some_and(|v| v.is_array()));
    // Tests parse strictly: a leniently read example is handed to them
    // as the value the generator read.
    let mut json = if ex.strict {
        ex.json.clone()
    } else {
        serde_json::to_string_pretty(value).unwrap_or_default()
    };
    let mut check = Check::new(model, ids)
        .with_placeholders(&ex.placeholders)
        .with_properties(properties);
    if is_collection {
        // Top-level keys the collection wrapper does not keep.
        let wrapper = [
            "value",
            "@odata.context",
            "@odata.nextLink",
            "@odata.count",
            "@odata.deltaLink",
        ];
        for k in value.as_object().into_iter().flat_map(|o| o.keys()) {
            if !wrapper.contains(&k.as_str()) {
                check.undocumented.push(format!("/{}", pointer_key(k)));
            }
        }
        if let Some(items) = value.get("value").and_then(|v| v.as_array()) {
            for (i, item) in items.iter().enumerate() {
                check.value(item, &base, &format!("$.value[{i}]"), &format!("/value/{i}"), 0);
            }
        }
    } else if let Some(inner) = single_in_value(value) {
        // Intune pages wrap a single entity in `value`; the documented
        // response is the entity itself.
        diags.push(
            Diagnostic::warning(
                Code::ExampleTypeMismatch,
                ex.span.clone(),
                format!(
                    "response wraps one `{}.{}` in `value`; the documented response is the object itself",
                    t.namespace, t.name
                ),
            )
            .with_help("return the object at the top level, as Graph does"),
        );
        // The round-trip test then covers the object itself.
        json = serde_json::to_string_pretty(inner).unwrap_or_default();
        check.value(inner, &base, "$.value", "", 0);
    } else {
        check.value(value, &base, "$", "", 0);
        if ex.role == ExampleRole::Response {
            odata_type_mismatch(diags, model, ids, page_ns, value, id, ex);
        }
    }
    Walked {
        check,
        base,
        is_collection,
        json,
    }
}

/// One diagnostic per kind of finding in an example, at the first finding,
/// the others related.
fn report_hits(diags: &mut Vec<Diagnostic>, db: &SourceDb, ex: &ExampleFact, check: &Check) {
    // Search the page's own bytes (CRLF and all) so offsets line up.
    let raw = db.file(ex.span.file).text.get(ex.span.range.clone()).unwrap_or("");
    let report = |kind: HitKind| -> Option<(Span, Vec<Span>, Vec<&Hit>)> {
        let hits: Vec<&Hit> = check.hits.iter().filter(|h| h.kind == kind).collect();
        if hits.is_empty() {
            return None;
        }
        let mut from = 0;
        let spans: Vec<Span> = hits
            .iter()
            .filter_map(|h| locate(raw, ex.span.range.start, &h.key, h.value.as_deref(), &mut from))
            .map(|r| Span::new(ex.span.file, r))
            .collect();
        let primary = spans.first().cloned().unwrap_or_else(|| ex.span.clone());
        Some((primary, spans.into_iter().skip(1).collect(), hits))
    };
    let with_related = |mut d: Diagnostic, rest: Vec<Span>, label: &str| {
        for s in rest {
            d = d.with_related(s, label);
        }
        d
    };
    // A resource representation is a schema sketch: placeholders are its
    // convention there, not a defect.
    // One bare type word in a string property, among real values, may be
    // a real value: report placeholders on stronger evidence only.
    let placeholders: Vec<&Hit> = check.hits.iter().filter(|h| h.kind == HitKind::Placeholder).collect();
    let convincing = placeholders.len() >= 2
        || placeholders
            .iter()
            .any(|h| h.strong || h.value.as_deref().and_then(|v| ex.placeholders.get(v)) == Some(&Evidence::Strong));
    if ex.role != ExampleRole::Resource && convincing {
        if let Some((primary, rest, hits)) = report(HitKind::Placeholder) {
            let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
            let d = Diagnostic::warning(
                Code::ExamplePlaceholder,
                primary,
                format!(
                    "example holds doc placeholders instead of values at {}",
                    paths.join(", ")
                ),
            )
            .with_label(if check.ill_typed {
                "cannot deserialize into the documented type"
            } else {
                "placeholder values"
            })
            .with_help("replace placeholders with realistic values of the property's type");
            diags.push(with_related(d, rest, "placeholder"));
        }
    }
    if let Some((primary, rest, hits)) = report(HitKind::Unknown) {
        let names: Vec<String> = hits.iter().map(|h| format!("`{}`", h.path)).collect();
        let d = Diagnostic::warning(
            Code::ExampleUnknownProperty,
            primary,
            format!(
                "example sets {} which `{}` does not document",
                names.join(", "),
                hits[0].owner
            ),
        )
        .with_label("not a documented property")
        .with_help("document the property on the type's page, or fix its name in the example");
        diags.push(with_related(d, rest, "not documented either"));
    }
    if let Some((primary, rest, hits)) = report(HitKind::WrongType) {
        let what: Vec<String> = hits.iter().map(|h| format!("{} ({})", h.path, h.detail)).collect();
        let d = Diagnostic::warning(
            Code::ExampleWrongType,
            primary,
            format!("example values do not fit their documented types: {}", what.join("; ")),
        )
        .with_label(hits[0].detail.clone())
        .with_help("make the value match the property's type, or fix the type in the property table");
        diags.push(with_related(d, rest, "wrong type too"));
    }
    if let Some((primary, rest, hits)) = report(HitKind::EnumValue) {
        let what: Vec<String> = hits
            .iter()
            .map(|h| format!("{} = `{}` ({})", h.path, h.value.as_deref().unwrap_or(""), h.detail))
            .collect();
        let d = Diagnostic::warning(
            Code::ExampleEnumValue,
            primary,
            format!("example uses values its enum does not list: {}", what.join("; ")),
        )
        .with_label("not a documented member")
        .with_help("use a documented member, or add the member to the enum's page");
        diags.push(with_related(d, rest, "not a member either"));
    }
}

/// The span of `"key"` (or of its value `"value"` when given) in the example
/// text, searching from `from`.
fn locate(text: &str, base: usize, key: &str, value: Option<&str>, from: &mut usize) -> Option<std::ops::Range<usize>> {
    let k = format!("\"{key}\"");
    let at = text.get(*from..)?.find(&k)? + *from;
    let (start, len) = match value {
        Some(v) => {
            let v = serde_json::to_string(v).ok()?;
            (text.get(at..)?.find(&v)? + at, v.len())
        }
        None => (at, k.len()),
    };
    *from = start + len;
    Some(base + start..base + start + len)
}

/// `{"value": {…}}` with nothing else but annotations: a single object in an
/// envelope.
fn single_in_value(v: &serde_json::Value) -> Option<&serde_json::Value> {
    let obj = v.as_object()?;
    let inner = obj.get("value").filter(|v| v.is_object())?;
    obj.keys().all(|k| k == "value" || k.starts_with('@')).then_some(inner)
}

/// A response whose body `@odata.type` is neither the documented type nor
/// derived from it.
fn odata_type_mismatch(
    diags: &mut Vec<Diagnostic>,
    model: &Model,
    ids: &HashMap<Key, TypeId>,
    page_ns: &str,
    value: &serde_json::Value,
    documented: TypeId,
    ex: &ExampleFact,
) {
    let Some(actual) = odata_type_of(ids, value, page_ns) else {
        return;
    };
    if actual == documented || model.ancestors(actual).contains(&documented) {
        return;
    }
    let (a, d) = (model.ty(actual), model.ty(documented));
    diags.push(
        Diagnostic::warning(
            Code::ExampleTypeMismatch,
            ex.span.clone(),
            format!(
                "response body is `{}.{}` but the example is documented as `{}.{}`",
                a.namespace, a.name, d.namespace, d.name
            ),
        )
        .with_help("fix the `@odata.type` of the annotation or of the body"),
    );
}
