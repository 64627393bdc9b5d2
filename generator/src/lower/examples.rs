//! JSON examples: the type each documents, and the doc placeholders
//! (`"String"`, `"Integer"`, `"String (timestamp)"`) they hold instead of values.

use super::{key, qualify, Key};
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{Example, ExampleKind, Model, Primitive, TypeId, TypeKind, TypeRef};
use crate::parse::facts::{ExampleRole, PageFacts};
use crate::source::{SourceDb, Span};
use std::collections::HashMap;

/// Values that stand for a type, not a value.
pub fn is_placeholder(s: &str) -> bool {
    let head = s.split(" (").next().unwrap_or(s).trim();
    let head = head.strip_prefix("Edm.").unwrap_or(head);
    let words = [
        "String",
        "string",
        "Integer",
        "integer",
        "Int16",
        "Int32",
        "Int64",
        "Boolean",
        "boolean",
        "Double",
        "Single",
        "Decimal",
        "Guid",
        "DateTimeOffset",
        "DateTime",
        "Date",
        "TimeOfDay",
        "Duration",
        "Binary",
        "Byte",
        "Stream",
        "Timestamp",
        "Number",
    ];
    if words.contains(&head) && (head.len() == s.len() || s.ends_with(')')) {
        return true;
    }
    // Type hints used as values: `microsoft.graph.x`, `Collection(microsoft.graph.x)`,
    // `@odata.type: microsoft.graph.x`.
    let t = s.trim().trim_start_matches("@odata.type:").trim();
    t.starts_with("Collection(") || (t.starts_with("microsoft.graph.") && !t.contains(' ')) || is_choice_list(t)
}

/// `incoming | outgoing`: the documented choices instead of one value.
pub fn is_choice_list(s: &str) -> bool {
    let parts: Vec<&str> = s.split(" | ").collect();
    parts.len() >= 2 && parts.iter().all(|p| !p.is_empty() && !p.contains(' '))
}

/// A bare type word (`"String"`) is weak evidence: `dataType: "String"` can be
/// a real value. Parenthesised forms, type hints and choice lists are not.
fn is_weak_placeholder(s: &str) -> bool {
    !s.contains('(') && !s.contains(" | ") && !s.starts_with("microsoft.") && !s.starts_with("@odata")
}

/// Every page's examples, checked against the model; pages run in parallel
/// and come back in page order.
pub fn build(
    diags: &mut Vec<Diagnostic>,
    db: &SourceDb,
    ids: &HashMap<Key, TypeId>,
    pages: &[PageFacts],
    model: &Model,
) -> Vec<Example> {
    use rayon::prelude::*;
    let per_page: Vec<(Vec<Example>, Vec<Diagnostic>)> = pages
        .par_iter()
        .map(|page| {
            let mut diags = Vec::new();
            let out = page_examples(&mut diags, db, ids, page, model);
            (out, diags)
        })
        .collect();
    let mut out = Vec::new();
    for (examples, d) in per_page {
        out.extend(examples);
        diags.extend(d);
    }
    out
}

fn page_examples(
    diags: &mut Vec<Diagnostic>,
    db: &SourceDb,
    ids: &HashMap<Key, TypeId>,
    page: &PageFacts,
    model: &Model,
) -> Vec<Example> {
    let mut out = Vec::new();
    {
        let endpoint = page.endpoints.first();
        for ex in &page.examples {
            let Some(value) = &ex.value else { continue };
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
                let e = endpoint?;
                let m = match ex.role {
                    ExampleRole::Request => e.request_type.as_ref()?,
                    ExampleRole::Response => e.response_type.as_ref()?,
                    ExampleRole::Resource => return None,
                };
                let (ns, name) = qualify(&m.name, &page.namespace);
                ids.get(&key(&ns, &name)).map(|id| (*id, m.collection))
            };
            let Some((id, coll)) = named.or_else(from_endpoint) else {
                continue;
            };
            let t = model.ty(id);
            if t.kind == TypeKind::Enum {
                continue;
            }
            let base = TypeRef::Named(id, t.qualified());
            // `{"value": [...]}` is a collection page, unless the type itself has
            // a `value` property (`commsNotifications`).
            let own_value = model.all_properties(id).iter().any(|p| p.name == "value");
            let is_collection =
                coll || ex.is_collection || (!own_value && value.get("value").is_some_and(|v| v.is_array()));
            // Tests parse strictly: a leniently read example is handed to them
            // as the value the generator read.
            let mut json = if crate::parse::json::is_strict(&ex.json) {
                ex.json.clone()
            } else {
                serde_json::to_string_pretty(value).unwrap_or_default()
            };
            let mut check = Check {
                model,
                ids,
                hits: Vec::new(),
                undocumented: Vec::new(),
                ill_typed: false,
                kept: true,
                raw: false,
            };
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
                    odata_type_mismatch(diags, model, ids, &page.namespace, value, id, ex);
                }
            }
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
            let tname = format!("{}.{}", t.namespace, t.name);
            // A resource representation is a schema sketch: placeholders are its
            // convention there, not a defect.
            // One bare type word in a string property, among real values, may be
            // a real value: report placeholders on stronger evidence only.
            let placeholders: Vec<&Hit> = check.hits.iter().filter(|h| h.kind == HitKind::Placeholder).collect();
            let convincing = placeholders.len() >= 2
                || placeholders
                    .iter()
                    .any(|h| h.strong || !is_weak_placeholder(h.value.as_deref().unwrap_or("")));
            if ex.role != ExampleRole::Resource && convincing {
                if let Some((primary, rest, hits)) = report(HitKind::Placeholder) {
                    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
                    let mut d = Diagnostic::warning(
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
                    for s in rest {
                        d = d.with_related(s, "placeholder");
                    }
                    diags.push(d);
                }
            }
            if let Some((primary, rest, hits)) = report(HitKind::Unknown) {
                let names: Vec<String> = hits.iter().map(|h| format!("`{}`", h.path)).collect();
                let mut d = Diagnostic::warning(
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
                for s in rest {
                    d = d.with_related(s, "not documented either");
                }
                diags.push(d);
            }
            if let Some((primary, rest, hits)) = report(HitKind::WrongType) {
                let what: Vec<String> = hits.iter().map(|h| format!("{} ({})", h.path, h.detail)).collect();
                let mut d = Diagnostic::warning(
                    Code::ExampleWrongType,
                    primary,
                    format!("example values do not fit their documented types: {}", what.join("; ")),
                )
                .with_label(hits[0].detail.clone())
                .with_help("make the value match the property's type, or fix the type in the property table");
                for s in rest {
                    d = d.with_related(s, "wrong type too");
                }
                diags.push(d);
            }
            if let Some((primary, rest, hits)) = report(HitKind::EnumValue) {
                let what: Vec<String> = hits
                    .iter()
                    .map(|h| format!("{} = `{}` ({})", h.path, h.value.as_deref().unwrap_or(""), h.detail))
                    .collect();
                let mut d = Diagnostic::warning(
                    Code::ExampleEnumValue,
                    primary,
                    format!("example uses values its enum does not list: {}", what.join("; ")),
                )
                .with_label("not a documented member")
                .with_help("use a documented member, or add the member to the enum's page");
                for s in rest {
                    d = d.with_related(s, "not a member either");
                }
                diags.push(d);
            }
            let _ = tname;
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
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HitKind {
    Placeholder,
    Unknown,
    WrongType,
    EnumValue,
}

/// One finding in an example value.
struct Hit {
    kind: HitKind,
    /// `$.a.b[0]`
    path: String,
    /// The key whose value (or which itself) is at fault, to locate it.
    key: String,
    /// The string value, when there is one, to locate it after the key.
    value: Option<String>,
    detail: String,
    /// The type that owns the key.
    owner: String,
    /// For placeholders: the property is not a plain string (a number, a
    /// boolean, an enum), so the text cannot be a real value.
    strong: bool,
}

struct Check<'a> {
    model: &'a Model,
    ids: &'a HashMap<Key, TypeId>,
    hits: Vec<Hit>,
    /// JSON pointers of keys the model does not declare (kept as additional data).
    undocumented: Vec<String>,
    ill_typed: bool,
    /// Whether the value being checked goes into a typed field (not into the
    /// additional data of a type that does not declare it).
    kept: bool,
    /// Whether the value lives inside raw JSON (a navigation property), which
    /// keeps everything.
    raw: bool,
}

fn last_key(path: &str) -> &str {
    let tail = path.rsplit('.').next().unwrap_or(path);
    tail.split('[').next().unwrap_or(tail)
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

/// Escapes a key for a JSON pointer (RFC 6901).
fn pointer_key(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(n) if n.is_f64() => "number",
        serde_json::Value::Number(_) => "integer",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// The named type an object's `@odata.type` names, if the model has it.
fn odata_type_of(ids: &HashMap<Key, TypeId>, v: &serde_json::Value, page_ns: &str) -> Option<TypeId> {
    let t = v.get("@odata.type")?.as_str()?.trim_start_matches('#');
    let (ns, name) = qualify(t, page_ns);
    ids.get(&key(&ns, &name)).copied()
}

impl Check<'_> {
    /// A value that does not fit its documented type: the example cannot
    /// deserialize, and (unless it is a placeholder, reported as such) it is
    /// a wrong-type finding.
    fn wrong_type(&mut self, v: &serde_json::Value, ty: &TypeRef, path: &str, placeholder: bool) {
        self.mark_ill_typed();
        if !placeholder {
            let detail = format!("{} where `{}` is documented", json_kind(v), ty.csdl());
            self.hit(HitKind::WrongType, path, v.as_str(), detail, String::new());
        }
    }

    /// A value the model types (not raw JSON) that cannot deserialize.
    fn mark_ill_typed(&mut self) {
        if self.kept && !self.raw {
            self.ill_typed = true;
        }
    }

    fn hit(&mut self, kind: HitKind, path: &str, value: Option<&str>, detail: String, owner: String) {
        self.hits.push(Hit {
            kind,
            path: path.to_owned(),
            key: last_key(path).to_owned(),
            value: value.map(str::to_owned),
            detail,
            owner,
            strong: false,
        });
    }

    fn value(&mut self, v: &serde_json::Value, ty: &TypeRef, path: &str, ptr: &str, depth: usize) {
        use serde_json::Value as V;
        if depth > 64 || v.is_null() {
            return;
        }
        // A type hint object (`{"@odata.type": "Edm.Binary"}`) where a value belongs.
        let hint_object = matches!(v, V::Object(o) if o.len() == 1 && o.contains_key("@odata.type"))
            && match ty {
                TypeRef::Primitive(p) => *p != Primitive::Untyped,
                TypeRef::Named(id, _) => self.model.ty(*id).kind == TypeKind::Enum,
                _ => false,
            };
        // `"String"` for an enum that has a member `string` is a case slip, not a placeholder.
        let enum_member_ci = match (v, ty) {
            (V::String(s), TypeRef::Named(id, _)) => self
                .model
                .ty(*id)
                .members
                .iter()
                .any(|m| m.name.eq_ignore_ascii_case(s)),
            _ => false,
        };
        let placeholder = hint_object || matches!(v, V::String(s) if is_placeholder(s) && !enum_member_ci);
        if hint_object {
            self.hit(HitKind::Placeholder, path, None, String::new(), String::new());
            if let Some(h) = self.hits.last_mut() {
                h.strong = true;
            }
            self.mark_ill_typed();
            return;
        }
        if let V::String(s) = v {
            if placeholder {
                self.hit(HitKind::Placeholder, path, Some(s), String::new(), String::new());
                let plain_string = matches!(ty, TypeRef::Primitive(p) if p.is_json_string());
                if let Some(h) = self.hits.last_mut() {
                    h.strong = !plain_string;
                }
            }
        }
        match ty {
            TypeRef::Primitive(p) => {
                // What the generated Rust type (and serde_json) accepts.
                let int_in = |lo: i64, hi: i64| v.as_i64().is_some_and(|n| (lo..=hi).contains(&n));
                let ok = match p {
                    Primitive::Untyped => true,
                    Primitive::Boolean => v.is_boolean(),
                    Primitive::Byte => int_in(0, u8::MAX.into()),
                    Primitive::SByte => int_in(i8::MIN.into(), i8::MAX.into()),
                    Primitive::Int16 => int_in(i16::MIN.into(), i16::MAX.into()),
                    Primitive::Int32 => int_in(i32::MIN.into(), i32::MAX.into()),
                    Primitive::Int64 => v.is_i64(),
                    Primitive::Single | Primitive::Double | Primitive::Decimal => v.is_number(),
                    _ => v.is_string(),
                };
                if !ok {
                    self.wrong_type(v, ty, path, placeholder);
                }
            }
            TypeRef::Collection(inner) => match v.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.value(item, inner, &format!("{path}[{i}]"), &format!("{ptr}/{i}"), depth + 1);
                    }
                }
                None => {
                    self.wrong_type(v, ty, path, placeholder);
                }
            },
            TypeRef::Unresolved(_) => {}
            TypeRef::Named(id, q) => {
                let t = self.model.ty(*id);
                if t.kind == TypeKind::Enum {
                    match v.as_str() {
                        None => {
                            self.wrong_type(v, ty, path, false);
                        }
                        Some(s) if !placeholder && !t.members.is_empty() => {
                            // Flags enums combine members with commas.
                            let all_known = s
                                .split(',')
                                .map(str::trim)
                                .all(|m| t.members.iter().any(|x| x.name == m));
                            if !all_known {
                                self.hit(
                                    HitKind::EnumValue,
                                    path,
                                    Some(s),
                                    format!("members of `{q}`: {}", t.members.len()),
                                    String::new(),
                                );
                            }
                        }
                        _ => {}
                    }
                    return;
                }
                let Some(obj) = v.as_object() else {
                    self.wrong_type(v, ty, path, placeholder);
                    return;
                };
                // A payload that names its own (derived) type is checked against it.
                let actual = odata_type_of(self.ids, v, &t.namespace)
                    .filter(|d| self.model.ty(*d).kind != TypeKind::Enum)
                    .unwrap_or(*id);
                let open = self.model.ty(actual).open_type;
                let owner = self.model.ty(actual);
                let owner_name = format!("{}.{}", owner.namespace, owner.name);
                let props = self.model.all_properties(actual);
                // A polymorphic value keeps the fields of the payload's own type;
                // otherwise the Rust field is typed by the declared type, and
                // whatever only the payload's type has is dropped by a round trip.
                let declared = if actual != *id && self.model.is_polymorphic(*id) {
                    props.clone()
                } else {
                    self.model.all_properties(*id)
                };
                for (k, item) in obj {
                    let child_ptr = format!("{ptr}/{}", pointer_key(k));
                    let child_path = format!("{path}.{k}");
                    let kept = declared.iter().any(|p| &p.name == k);
                    if !kept && k != "@odata.type" && self.kept && !self.raw {
                        self.undocumented.push(child_ptr.clone());
                    }
                    if let Some(p) = props.iter().find(|p| &p.name == k) {
                        // Navigation properties are raw JSON: nothing below is dropped.
                        let outer = self.kept;
                        self.kept = outer && kept;
                        let outer_raw = self.raw;
                        self.raw |= p.navigation && kept;
                        self.value(item, &p.ty, &child_path, &child_ptr, depth + 1);
                        self.kept = outer;
                        self.raw = outer_raw;
                    } else if k != "@odata.type" {
                        // `@odata.context`, `x@odata.bind` … are annotations, not
                        // properties; open types take any property.
                        if !k.contains('@') && !open {
                            self.hit(HitKind::Unknown, &child_path, None, String::new(), owner_name.clone());
                        }
                    }
                }
            }
        }
    }
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
    ex: &crate::parse::facts::ExampleFact,
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

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn placeholders() {
        assert!(is_placeholder("String"));
        assert!(is_placeholder("String (timestamp)"));
        assert!(is_placeholder("Integer"));
        assert!(!is_placeholder("Stringent"));
        assert!(!is_placeholder("User Name value"));
        assert!(is_placeholder("Collection(microsoft.graph.x)"));
        assert!(is_placeholder("@odata.type: microsoft.graph.alertStatus"));
        assert!(!is_placeholder("microsoft.graph is great"));
    }
}
