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
    words.contains(&head) && (head.len() == s.len() || s.ends_with(')'))
}

pub fn build(
    diags: &mut Vec<Diagnostic>,
    db: &SourceDb,
    ids: &HashMap<Key, TypeId>,
    pages: &[PageFacts],
    model: &Model,
) -> Vec<Example> {
    let mut out = Vec::new();
    for page in pages {
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
            let is_collection = coll || ex.is_collection || value.get("value").is_some_and(|v| v.is_array());
            let mut check = Check {
                model,
                placeholders: Vec::new(),
                values: Vec::new(),
                unknown: Vec::new(),
                ill_typed: false,
            };
            if is_collection {
                if let Some(items) = value.get("value").and_then(|v| v.as_array()) {
                    for (i, item) in items.iter().enumerate() {
                        check.value(item, &base, &format!("$.value[{i}]"), &format!("/value/{i}"), 0);
                    }
                }
            } else {
                check.value(value, &base, "$", "", 0);
            }
            // A resource representation is a schema sketch: placeholders are its
            // convention there, not a defect.
            if !check.placeholders.is_empty() && ex.role != ExampleRole::Resource {
                let mut from = 0;
                // Search the page's own bytes (CRLF and all) so offsets line up.
                let raw = db.file(ex.span.file).text.get(ex.span.range.clone()).unwrap_or("");
                let spans: Vec<Span> = check
                    .values
                    .iter()
                    .filter_map(|(k, v)| locate(raw, ex.span.range.start, k, v, &mut from))
                    .map(|r| Span::new(ex.span.file, r))
                    .collect();
                let primary = spans.first().cloned().unwrap_or_else(|| ex.span.clone());
                let mut d = Diagnostic::warning(
                    Code::ExamplePlaceholder,
                    primary,
                    format!(
                        "example holds doc placeholders instead of values at {}",
                        check.placeholders.join(", ")
                    ),
                )
                .with_label(if check.ill_typed {
                    "cannot deserialize into the documented type"
                } else {
                    "placeholder values"
                })
                .with_help("replace placeholders with realistic values of the property's type");
                for s in spans.iter().skip(1) {
                    d = d.with_related(s.clone(), "placeholder");
                }
                diags.push(d);
            }
            out.push(Example {
                kind: match ex.role {
                    ExampleRole::Request => ExampleKind::Request,
                    ExampleRole::Response => ExampleKind::Response,
                    ExampleRole::Resource => ExampleKind::Resource,
                },
                type_ref: Some(base),
                is_collection,
                json: ex.json.clone(),
                placeholders: check.placeholders,
                undocumented: check.unknown,
                ill_typed: check.ill_typed,
                source: db.location(&Span::new(ex.span.file, ex.span.range.clone())),
            });
        }
    }
    out
}

struct Check<'a> {
    model: &'a Model,
    placeholders: Vec<String>,
    /// (key, placeholder text) per placeholder, to locate it in the page.
    values: Vec<(String, String)>,
    unknown: Vec<String>,
    ill_typed: bool,
}

fn last_key(path: &str) -> &str {
    let tail = path.rsplit('.').next().unwrap_or(path);
    tail.split('[').next().unwrap_or(tail)
}

/// The span of `"key": "value"`'s value in the example text, searching from
/// `from`; falls back to the whole body.
fn locate(text: &str, base: usize, key: &str, value: &str, from: &mut usize) -> Option<std::ops::Range<usize>> {
    let k = format!("\"{key}\"");
    let v = format!("\"{value}\"");
    let at = text.get(*from..)?.find(&k)? + *from;
    let vat = text.get(at..)?.find(&v)? + at;
    *from = vat + v.len();
    Some(base + vat..base + vat + v.len())
}

/// Escapes a key for a JSON pointer (RFC 6901).
fn pointer_key(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

impl Check<'_> {
    fn value(&mut self, v: &serde_json::Value, ty: &TypeRef, path: &str, ptr: &str, depth: usize) {
        use serde_json::Value as V;
        if depth > 64 || v.is_null() {
            return;
        }
        if let V::String(s) = v {
            if is_placeholder(s) {
                self.placeholders.push(path.to_owned());
                self.values.push((last_key(path).to_owned(), s.clone()));
            }
        }
        match ty {
            TypeRef::Primitive(p) => {
                let ok = match p {
                    Primitive::Untyped => true,
                    Primitive::Boolean => v.is_boolean(),
                    Primitive::Byte | Primitive::SByte | Primitive::Int16 | Primitive::Int32 | Primitive::Int64 => {
                        v.is_i64() || v.is_u64()
                    }
                    // Doubles may be written as "NaN"/"INF" strings in OData.
                    Primitive::Single | Primitive::Double | Primitive::Decimal => v.is_number() || v.is_string(),
                    _ => v.is_string(),
                };
                if !ok {
                    self.ill_typed = true;
                }
            }
            TypeRef::Collection(inner) => match v.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.value(item, inner, &format!("{path}[{i}]"), &format!("{ptr}/{i}"), depth + 1);
                    }
                }
                None => self.ill_typed = true,
            },
            TypeRef::Unresolved(_) => {}
            TypeRef::Named(id, _) => {
                let t = self.model.ty(*id);
                if t.kind == TypeKind::Enum {
                    if !v.is_string() {
                        self.ill_typed = true;
                    }
                    return;
                }
                let Some(obj) = v.as_object() else {
                    self.ill_typed = true;
                    return;
                };
                let props = self.model.all_properties(*id);
                for (k, item) in obj {
                    let child_ptr = format!("{ptr}/{}", pointer_key(k));
                    if let Some(p) = props.iter().find(|p| &p.name == k) {
                        self.value(item, &p.ty, &format!("{path}.{k}"), &child_ptr, depth + 1);
                    } else if k != "@odata.type" {
                        self.unknown.push(child_ptr);
                    }
                }
            }
        }
    }
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
    }
}
