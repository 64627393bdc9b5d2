//! Walks a JSON value against an IR type, the way the generated model will
//! read it: properties the type does not declare, values of the wrong type,
//! enum values the docs do not list, derived types picked by `@odata.type`,
//! each with a JSON path. The docs' example checks and `check-payload` share
//! it, so both judge a payload by the same rules.

use super::{key, qualify};
use crate::ir::{Model, Primitive, Property, QualifiedName, TypeId, TypeKind, TypeRef};
use crate::parse::placeholder::Placeholders;
use std::collections::HashMap;

/// Types by lowercased (namespace, name), as `@odata.type` names them.
pub type TypeIndex = HashMap<(String, String), TypeId>;

/// The index of every type of `model`.
pub fn type_index(model: &Model) -> TypeIndex {
    model.types.iter().map(|t| (key(&t.namespace, &t.name), t.id)).collect()
}

/// The model type a qualified name (`microsoft.graph.user`, `#microsoft.graph.user`) names.
pub fn resolve(ids: &TypeIndex, written: &str) -> Option<TypeId> {
    let (ns, name) = qualify(written, "microsoft.graph");
    ids.get(&key(&ns, &name)).copied()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitKind {
    /// A doc placeholder (`"String"`, `"Integer"`) instead of a value.
    Placeholder,
    /// A property the type does not declare.
    Unknown,
    /// A value that does not fit its declared type.
    WrongType,
    /// An enum value the docs do not list.
    EnumValue,
    /// An object whose `@odata.type` names a type derived from the declared one.
    Derived,
    /// An object whose `@odata.type` names a model type neither the declared
    /// one nor derived from it.
    OtherType,
    /// An object whose `@odata.type` names a type the docs do not document.
    UnknownType,
}

/// One finding in a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: HitKind,
    /// `$.a.b[0]`
    pub path: String,
    /// The key whose value (or which itself) is at fault, to locate it.
    pub key: String,
    /// The string value, when there is one, to locate it after the key.
    pub value: Option<String>,
    pub detail: String,
    /// The type that owns the key.
    pub owner: String,
    /// For placeholders: the property is not a plain string (a number, a
    /// boolean, an enum), so the text cannot be a real value.
    pub strong: bool,
    /// Whether the value goes into a typed field (so a wrong type fails
    /// deserialization), not into additional data or raw JSON.
    pub typed: bool,
}

pub struct Check<'a> {
    model: &'a Model,
    ids: &'a TypeIndex,
    pub hits: Vec<Hit>,
    /// JSON pointers of keys the model does not declare (kept as additional data).
    pub undocumented: Vec<String>,
    /// Whether deserialization into the generated type fails.
    pub ill_typed: bool,
    /// Whether doc placeholders (`"String"`) are recognised as such; a real
    /// payload has none.
    pub placeholders: bool,
    /// The example's string values that parse read as doc placeholders.
    placeholder_values: &'a Placeholders,
    /// Whether undeclared properties of open types are reported too (the
    /// model keeps them like any other; the docs allow them).
    pub open_types: bool,
    /// Whether the value being checked goes into a typed field (not into the
    /// additional data of a type that does not declare it).
    kept: bool,
    /// Whether the value lives inside raw JSON (a navigation property), which
    /// keeps everything.
    raw: bool,
    /// Enums a value combined listed members of with commas (`"x86,x64"`):
    /// flags enums by the docs' examples.
    pub combined: Vec<TypeId>,
    /// Whether the model's flags enums are final (a payload check): then a
    /// comma-separated value of an enum that is not a flags enum is a value
    /// the docs do not list. While lowering, such a value makes the enum one.
    pub flags_final: bool,
    /// Every type's [`Model::all_properties`], by id, when the caller made
    /// them once (the docs' examples walk tens of thousands of objects);
    /// else each object asks the model.
    properties: Option<&'a [Vec<&'a Property>]>,
}

fn last_key(path: &str) -> &str {
    let tail = path.rsplit('.').next().unwrap_or(path);
    tail.split('[').next().unwrap_or(tail)
}

/// Escapes a key for a JSON pointer (RFC 6901).
pub fn pointer_key(k: &str) -> String {
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
pub fn odata_type_of(ids: &TypeIndex, v: &serde_json::Value, page_ns: &str) -> Option<TypeId> {
    let t = v.get("@odata.type")?.as_str()?.trim_start_matches('#');
    let (ns, name) = qualify(t, page_ns);
    ids.get(&key(&ns, &name)).copied()
}

static NO_PLACEHOLDERS: Placeholders = Placeholders::new();

impl<'a> Check<'a> {
    pub fn new(model: &'a Model, ids: &'a TypeIndex) -> Self {
        Check {
            model,
            ids,
            hits: Vec::new(),
            undocumented: Vec::new(),
            ill_typed: false,
            placeholders: true,
            placeholder_values: &NO_PLACEHOLDERS,
            open_types: false,
            kept: true,
            raw: false,
            combined: Vec::new(),
            flags_final: false,
            properties: None,
        }
    }

    /// Reads properties from `table` ([`Model::all_properties`] of every
    /// type, by id) instead of asking the model at each object.
    pub fn with_properties(mut self, table: &'a [Vec<&'a Property>]) -> Self {
        self.properties = Some(table);
        self
    }

    fn properties_of(&self, id: TypeId) -> std::borrow::Cow<'a, [&'a Property]> {
        match self.properties.and_then(|t| t.get(id.0 as usize)) {
            Some(props) => std::borrow::Cow::Borrowed(props.as_slice()),
            None => std::borrow::Cow::Owned(self.model.all_properties(id)),
        }
    }

    /// Recognises the doc placeholders parse found in the value.
    pub fn with_placeholders(mut self, values: &'a Placeholders) -> Self {
        self.placeholder_values = values;
        self
    }

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
            typed: self.kept && !self.raw,
        });
    }

    /// Walks `v` as a value of `ty` found at `path` (`$…`) and JSON pointer
    /// `ptr`, collecting hits.
    pub fn value(&mut self, v: &serde_json::Value, ty: &TypeRef, path: &str, ptr: &str, depth: usize) {
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
        let placeholder = self.placeholders
            && (hint_object || matches!(v, V::String(s) if self.placeholder_values.contains_key(s) && !enum_member_ci));
        if hint_object && placeholder {
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
                    // Int64 and Decimal also as strings (OData's IEEE754Compatible).
                    Primitive::Int64 => v.is_i64() || v.as_str().is_some_and(|s| s.trim().parse::<i64>().is_ok()),
                    Primitive::Decimal => v.is_number() || v.as_str().is_some_and(|s| s.trim().parse::<f64>().is_ok()),
                    Primitive::Single | Primitive::Double => v.is_number(),
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
                if self.model.ty(*id).kind == TypeKind::Enum {
                    self.enum_value(v, ty, *id, q, path, placeholder);
                } else if v.is_object() {
                    self.object(v, *id, q, path, ptr, depth);
                } else {
                    self.wrong_type(v, ty, path, placeholder);
                }
            }
        }
    }

    /// An enum value: a string naming listed members (flags enums combine
    /// them with commas).
    fn enum_value(
        &mut self,
        v: &serde_json::Value,
        ty: &TypeRef,
        id: TypeId,
        q: &QualifiedName,
        path: &str,
        placeholder: bool,
    ) {
        let t = self.model.ty(id);
        match v.as_str() {
            None => {
                self.wrong_type(v, ty, path, false);
            }
            Some(s) if !placeholder && !t.members.is_empty() => {
                // Flags enums combine members with commas.
                let listed = |m: &str| {
                    t.members
                        .iter()
                        .any(|x| x.name == m || x.aliases.iter().any(|a| a == m))
                };
                let all_known = s.split(',').map(str::trim).all(listed);
                let combination = s.contains(',') && all_known;
                if combination {
                    self.combined.push(id);
                }
                if !all_known || (combination && self.flags_final && !t.is_flags) {
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
    }

    /// An object of the declared type `id` (or of the derived type its
    /// `@odata.type` names): each key against the type's properties.
    fn object(&mut self, v: &serde_json::Value, id: TypeId, q: &QualifiedName, path: &str, ptr: &str, depth: usize) {
        let t = self.model.ty(id);
        let Some(obj) = v.as_object() else { return };
        // A payload that names its own (derived) type is checked against it.
        let actual = odata_type_of(self.ids, v, &t.namespace)
            .filter(|d| self.model.ty(*d).kind != TypeKind::Enum)
            .unwrap_or(id);
        if let Some(named) = v.get("@odata.type").and_then(|t| t.as_str()) {
            if odata_type_of(self.ids, v, &t.namespace).is_none() {
                self.hit(HitKind::UnknownType, path, Some(named), String::new(), String::new());
            }
        }
        if actual != id {
            let a = self.model.ty(actual);
            let (kind, detail) = if self.model.ancestors(actual).contains(&id) {
                (
                    HitKind::Derived,
                    format!("`{}.{}` (derived from `{q}`)", a.namespace, a.name),
                )
            } else {
                (
                    HitKind::OtherType,
                    format!("`{}.{}` where `{q}` is declared", a.namespace, a.name),
                )
            };
            self.hit(kind, path, None, detail, String::new());
        }
        let open = self.model.ty(actual).open_type;
        let owner = self.model.ty(actual);
        let owner_name = format!("{}.{}", owner.namespace, owner.name);
        let props = self.properties_of(actual);
        // A polymorphic value keeps the fields of the payload's own type;
        // otherwise the Rust field is typed by the declared type, and
        // whatever only the payload's type has is dropped by a round trip.
        let declared = if actual != id && self.model.is_polymorphic(id) {
            props.clone()
        } else {
            self.properties_of(id)
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
                if !k.contains('@') && (!open || self.open_types) {
                    let detail = if open { "open type" } else { "" };
                    self.hit(HitKind::Unknown, &child_path, None, detail.into(), owner_name.clone());
                }
            }
        }
    }
}
