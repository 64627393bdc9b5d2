//! The intermediate schema: plain, merged data with ids, and the public
//! contract of `--emit-ir` (see the README's "IR contract").
//!
//! Every fact comes from the pages; every item carries the page locations it
//! was read from. Type references use CSDL spellings when serialised
//! (`Edm.String`, `microsoft.graph.complianceStatus`, `Collection(Edm.String)`).

mod operation;

use crate::source::Location;
pub use operation::*;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Index of a type in [`Model::types`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TypeId(pub u32);

/// Index of an endpoint in [`Model::endpoints`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EndpointId(pub u32);

/// Edm primitive types as the docs spell them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Primitive {
    String,
    Boolean,
    Byte,
    SByte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    Guid,
    DateTimeOffset,
    Date,
    TimeOfDay,
    Duration,
    Binary,
    Stream,
    /// Open JSON (`Json`, `Edm.Untyped`).
    Untyped,
}

impl Primitive {
    /// Reads a CSDL name without `Edm.` (`Int32`), the inverse of [`Primitive::csdl_name`].
    pub fn from_csdl_name(name: &str) -> Option<Primitive> {
        Primitive::ALL.iter().copied().find(|p| &p.csdl_name()[4..] == name)
    }

    pub const ALL: [Primitive; 18] = [
        Primitive::String,
        Primitive::Boolean,
        Primitive::Byte,
        Primitive::SByte,
        Primitive::Int16,
        Primitive::Int32,
        Primitive::Int64,
        Primitive::Single,
        Primitive::Double,
        Primitive::Decimal,
        Primitive::Guid,
        Primitive::DateTimeOffset,
        Primitive::Date,
        Primitive::TimeOfDay,
        Primitive::Duration,
        Primitive::Binary,
        Primitive::Stream,
        Primitive::Untyped,
    ];

    pub fn csdl_name(self) -> &'static str {
        match self {
            Primitive::String => "Edm.String",
            Primitive::Boolean => "Edm.Boolean",
            Primitive::Byte => "Edm.Byte",
            Primitive::SByte => "Edm.SByte",
            Primitive::Int16 => "Edm.Int16",
            Primitive::Int32 => "Edm.Int32",
            Primitive::Int64 => "Edm.Int64",
            Primitive::Single => "Edm.Single",
            Primitive::Double => "Edm.Double",
            Primitive::Decimal => "Edm.Decimal",
            Primitive::Guid => "Edm.Guid",
            Primitive::DateTimeOffset => "Edm.DateTimeOffset",
            Primitive::Date => "Edm.Date",
            Primitive::TimeOfDay => "Edm.TimeOfDay",
            Primitive::Duration => "Edm.Duration",
            Primitive::Binary => "Edm.Binary",
            Primitive::Stream => "Edm.Stream",
            Primitive::Untyped => "Edm.Untyped",
        }
    }

    /// Whether JSON carries this type as a string (so doc placeholders like
    /// `"String"` are well-typed, if meaningless).
    pub fn is_json_string(self) -> bool {
        !matches!(
            self,
            Primitive::Boolean
                | Primitive::Byte
                | Primitive::SByte
                | Primitive::Int16
                | Primitive::Int32
                | Primitive::Int64
                | Primitive::Single
                | Primitive::Double
                | Primitive::Decimal
                | Primitive::Untyped
        )
    }
}

/// A qualified type name: namespace plus name, e.g. `microsoft.graph` +
/// `complianceStatus`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    pub namespace: String,
    pub name: String,
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.namespace, self.name)
    }
}

impl Serialize for QualifiedName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl QualifiedName {
    /// Reads `namespace.name` (the name is after the last dot).
    pub fn parse(s: &str) -> QualifiedName {
        let (namespace, name) = s.rsplit_once('.').unwrap_or(("", s));
        QualifiedName {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }
}

impl<'de> Deserialize<'de> for QualifiedName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(QualifiedName::parse(&String::deserialize(d)?))
    }
}

/// A resolved type reference.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Primitive(Primitive),
    /// A type of the model.
    Named(TypeId, QualifiedName),
    Collection(Box<TypeRef>),
    /// A name no page defines; emitted as open JSON and reported.
    Unresolved(String),
}

impl TypeRef {
    /// The CSDL spelling.
    pub fn csdl(&self) -> String {
        match self {
            TypeRef::Primitive(p) => p.csdl_name().to_owned(),
            TypeRef::Named(_, q) => q.to_string(),
            TypeRef::Collection(t) => format!("Collection({})", t.csdl()),
            TypeRef::Unresolved(s) => s.clone(),
        }
    }

    /// A collection's item type; any other type is its own item.
    pub fn item(&self) -> &TypeRef {
        match self {
            TypeRef::Collection(inner) => inner,
            ty => ty,
        }
    }

    /// The named type at the bottom of collections, if any.
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id, _) => Some(*id),
            TypeRef::Collection(t) => t.named(),
            _ => None,
        }
    }
}

impl Serialize for TypeRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.csdl())
    }
}

impl TypeRef {
    /// Reads a CSDL spelling back; `lookup` gives the id of a model type by
    /// qualified name (names it does not know stay `Unresolved`, as written).
    pub fn parse_csdl(s: &str, lookup: &dyn Fn(&str) -> Option<TypeId>) -> TypeRef {
        if let Some(inner) = s.strip_prefix("Collection(").and_then(|r| r.strip_suffix(')')) {
            return TypeRef::Collection(Box::new(TypeRef::parse_csdl(inner, lookup)));
        }
        if let Some(p) = s.strip_prefix("Edm.").and_then(Primitive::from_csdl_name) {
            return TypeRef::Primitive(p);
        }
        match lookup(s) {
            Some(id) => TypeRef::Named(id, QualifiedName::parse(s)),
            None => TypeRef::Unresolved(s.to_owned()),
        }
    }

    /// Re-resolves named references against `lookup` (after reading JSON,
    /// where every name is first read as unresolved).
    fn relink(&mut self, lookup: &dyn Fn(&str) -> Option<TypeId>) {
        *self = TypeRef::parse_csdl(&self.csdl(), lookup);
    }
}

impl<'de> Deserialize<'de> for TypeRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Ids are not in the JSON: `Model::from_json` links names to types.
        Ok(TypeRef::parse_csdl(&String::deserialize(d)?, &|_| None))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeKind {
    /// Has a key (`id`), addressable by endpoints.
    Entity,
    Complex,
    Enum,
}

#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Property {
    /// Wire name, exactly as documented (`@odata.type` included where documented).
    pub name: String,
    #[serde(rename = "type")]
    pub ty: TypeRef,
    /// A relationship (navigation property) rather than a structural property.
    #[serde(default)]
    pub navigation: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The description says "Read-only".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// The description says "Nullable" (`Some(true)`) or "Not nullable"
    /// (`Some(false)`); `None` when it says neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nullable: Option<bool>,
    #[serde(default)]
    pub source: Location,
}

#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
pub struct EnumMember {
    /// Wire value, exactly as documented: the canonical spelling when pages
    /// spell the member in several cases (see `aliases`).
    pub name: String,
    /// Other spellings of the same member that differ from `name` only in
    /// case (`notStarted` beside `NotStarted`), in doc order. One member, one
    /// Rust variant; the spelling read is the spelling written back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub source: Location,
}

#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeDef {
    #[serde(default)]
    pub id: TypeId,
    pub name: String,
    #[serde(default)]
    pub namespace: String,
    pub kind: TypeKind,
    #[serde(default)]
    pub base_type: Option<QualifiedName>,
    /// `base_type` resolved to a type of the model (not serialised: the
    /// qualified name is the contract).
    #[serde(skip)]
    pub base_id: Option<TypeId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Own properties in doc order (inherited ones live on the base type).
    #[serde(default)]
    pub properties: Vec<Property>,
    /// Enum members in doc order (empty for structs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<EnumMember>,
    /// Set for enums the docs never name (`Enumeration` cells): the name was
    /// derived from the owning type and property.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub synthesized: bool,
    /// A flags enum: a value is a set of members, written `"a,b"` (the pages
    /// give member values that are powers of two, say so in words, or show
    /// comma-separated values in examples).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_flags: bool,
    /// An open type: instances may carry properties it does not declare.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open_type: bool,
    /// The docs' product area (`ms.prod`, or today's `ms.subservice`) of the
    /// first page defining the type; the basis of workload modules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    /// Every page location that contributed to this type.
    #[serde(default)]
    pub sources: Vec<Location>,
}

impl TypeDef {
    pub fn qualified(&self) -> QualifiedName {
        QualifiedName {
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PermissionKind {
    DelegatedWork,
    DelegatedPersonal,
    Application,
}

#[derive(Clone, Debug, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "status")]
pub enum PermissionStatus {
    /// Scopes as listed; `least_privileged`: the scopes of the "Least privileged
    /// permissions" cell (all needed together), empty where the docs do not say.
    Scopes {
        #[serde(default)]
        scopes: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        least_privileged: Vec<String>,
    },
    NotSupported,
    /// A TODO placeholder or an empty cell: the docs do not say.
    NotDocumented,
}

#[derive(Clone, Debug, PartialEq, Hash, Eq, Serialize, Deserialize)]
pub struct Permission {
    pub kind: PermissionKind,
    #[serde(flatten)]
    pub status: PermissionStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    #[serde(default)]
    pub id: EndpointId,
    /// Operation name from the page title (`Create deviceConfigurationDeviceStatus`),
    /// or derived from method and path when a page has no title.
    pub name: String,
    pub method: String,
    /// Path template without host or version: `/deviceManagement/x/{xId}/y`.
    pub path: String,
    /// Other request lines of the same operation (`/me/…` beside `/users/{userId}/…`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternate_paths: Vec<RequestLine>,
    /// The holes of `path`, in order: every hole has a distinct name.
    #[serde(default)]
    pub parameters: Vec<String>,
    /// What the docs wrote for each parameter of any request line, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path_parameters: Vec<PathParameter>,
    #[serde(default)]
    pub request_type: Option<TypeRef>,
    #[serde(default)]
    pub response_type: Option<TypeRef>,
    #[serde(default)]
    pub success_status: Option<u16>,
    #[serde(default)]
    pub permissions: Vec<Permission>,
    /// Version segments seen in example URLs (`v1.0`, `beta`, `localtest` …).
    #[serde(default)]
    pub api_versions: Vec<String>,
    /// The docs' product area (`ms.prod` / `ms.subservice`) of the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    #[serde(default)]
    pub sources: Vec<Location>,
    /// Bodies, query options, headers, function parameters, examples.
    #[serde(flatten)]
    pub operation: OperationInfo,
}

/// One request line of an operation: a path template whose holes are
/// exactly `parameters`, distinct and in order.
#[derive(Clone, Debug, Default, PartialEq, Hash, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestLine {
    pub path: String,
    pub parameters: Vec<String>,
    /// The line is written only by an example request of the page, not by
    /// its HTTP request section (`/me/ownedDevices` beside the documented
    /// `/users/{id}/ownedDevices`): a doc defect, and still a line Graph serves.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_example: bool,
}

impl<'de> Deserialize<'de> for RequestLine {
    /// IRs written before request lines were objects hold bare path strings.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Line {
                path: String,
                #[serde(default)]
                parameters: Vec<String>,
                #[serde(default, rename = "fromExample")]
                from_example: bool,
            },
            Bare(String),
        }
        Ok(match Wire::deserialize(d)? {
            Wire::Line {
                path,
                parameters,
                from_example,
            } => RequestLine {
                path,
                parameters,
                from_example,
            },
            Wire::Bare(path) => {
                let parameters = path_holes(&path).into_iter().map(|(_, h)| h.to_owned()).collect();
                RequestLine {
                    path,
                    parameters,
                    from_example: false,
                }
            }
        })
    }
}

/// Where a hole sits in a request line, which decides how a value is written.
#[derive(Clone, Copy, Debug, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HoleKind {
    /// A whole segment addressing one member (`/users/{userId}`): any text,
    /// percent-encoded.
    Key,
    /// A drive item path between `:/` and `:` (`root:/{itemPath}:`): `/`
    /// separators kept, each segment percent-encoded.
    ItemPath,
    /// A function argument (`cell(row={row})`): an OData literal.
    Argument,
    /// Part of a segment (`{name}.json`): any text, percent-encoded.
    Text,
}

/// A path parameter as the docs write it.
#[derive(Clone, Debug, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathParameter {
    pub name: String,
    pub kind: HoleKind,
    /// The hole's text on each request line that has it (`id | userPrincipalName`).
    pub written: Vec<String>,
    /// The template quotes the hole (`period='{period}'`): a string argument.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub quoted: bool,
}

/// The holes of a path template: byte range of each `{…}` and its text.
pub fn path_holes(path: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = path[at..].find('{').map(|o| at + o) {
        let Some(close) = path[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push((open..close + 1, &path[open + 1..close]));
        at = close + 1;
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExampleKind {
    Request,
    Response,
    Resource,
}

/// A JSON example from the docs, with the type it documents.
#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    pub kind: ExampleKind,
    #[serde(default)]
    pub type_ref: Option<TypeRef>,
    #[serde(default)]
    pub is_collection: bool,
    #[serde(default)]
    pub json: String,
    /// JSON paths whose values are doc placeholders (`"String"`, `"Integer"` …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<String>,
    /// JSON pointers of properties the documented type does not declare; the
    /// generated model keeps them as additional data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undocumented: Vec<String>,
    /// Whether a placeholder sits where JSON needs a non-string value, so the
    /// example cannot deserialize into the documented type.
    #[serde(default)]
    pub ill_typed: bool,
    #[serde(default)]
    pub source: Location,
}

/// The whole schema.
#[derive(Clone, Debug, Default, PartialEq, Hash, Serialize, Deserialize)]
pub struct Model {
    /// Sorted by (namespace, name); `TypeId(i)` is `types[i]`.
    #[serde(default)]
    pub types: Vec<TypeDef>,
    /// Sorted by (path, method).
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Annotated example requests that fit no operation's request line
    /// (`line` is 0 and means nothing): doc defects, listed so the figures
    /// that count examples can name them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmatched_exchanges: Vec<Exchange>,
    /// Direct derived types per `TypeId` (filled by [`Model::link_bases`]).
    #[serde(skip)]
    pub derived: Vec<Vec<TypeId>>,
}

impl Endpoint {
    /// The paths of every request line, the main one first.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.path).chain(self.alternate_paths.iter().map(|l| &l.path))
    }
}

impl Model {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0 as usize]
    }

    /// The chain of base types, nearest first; stops on unknown bases and cycles.
    pub fn ancestors(&self, id: TypeId) -> Vec<TypeId> {
        let mut out: Vec<TypeId> = Vec::new();
        let mut cur = self.ty(id).base_id;
        while let Some(b) = cur {
            if b == id || out.contains(&b) {
                break;
            }
            out.push(b);
            cur = self.ty(b).base_id;
        }
        out
    }

    /// Resolves every `base_type` to `base_id` (after types are added or
    /// reordered).
    pub fn link_bases(&mut self) {
        let index: std::collections::HashMap<(&str, &str), TypeId> = self
            .types
            .iter()
            .map(|t| ((t.namespace.as_str(), t.name.as_str()), t.id))
            .collect();
        let ids: Vec<Option<TypeId>> = self
            .types
            .iter()
            .map(|t| {
                let q = t.base_type.as_ref()?;
                index.get(&(q.namespace.as_str(), q.name.as_str())).copied()
            })
            .collect();
        self.derived = vec![Vec::new(); self.types.len()];
        for (t, b) in self.types.iter_mut().zip(ids) {
            t.base_id = b;
            if let Some(b) = b {
                if b != t.id {
                    self.derived[b.0 as usize].push(t.id);
                }
            }
        }
    }

    /// Every type derived from `id`, directly or not, in id order.
    pub fn descendants(&self, id: TypeId) -> Vec<TypeId> {
        let mut out: Vec<TypeId> = Vec::new();
        let mut stack = vec![id];
        while let Some(t) = stack.pop() {
            for d in self.derived.get(t.0 as usize).into_iter().flatten() {
                if *d != id && !out.contains(d) {
                    out.push(*d);
                    stack.push(*d);
                }
            }
        }
        out.sort();
        out
    }

    /// Whether values declared as `id` may be of a documented derived type
    /// (so the Rust side dispatches on `@odata.type`).
    pub fn is_polymorphic(&self, id: TypeId) -> bool {
        self.ty(id).kind != TypeKind::Enum && self.derived.get(id.0 as usize).is_some_and(|d| !d.is_empty())
    }

    /// Own properties plus inherited ones, base-most first.
    pub fn all_properties(&self, id: TypeId) -> Vec<&Property> {
        let mut chain = self.ancestors(id);
        chain.reverse();
        chain.push(id);
        let mut out: Vec<&Property> = Vec::new();
        // Names seen, hashed: entities have a hundred properties and more,
        // and the examples' check asks for them at every object it walks.
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for t in chain {
            for p in &self.ty(t).properties {
                if seen.insert(p.name.as_str()) {
                    out.push(p);
                }
            }
        }
        out
    }

    pub fn to_json(&self) -> String {
        // The model holds only strings, numbers and plain enums.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads IR JSON written by [`Model::to_json`] (fields missing from older
    /// or added by newer versions are defaulted or ignored). Ids are
    /// reassigned by position and type references linked by name, so the
    /// result is usable as if lowered.
    pub fn from_json(json: &str) -> Result<Model, String> {
        let mut m: Model = serde_json::from_str(json).map_err(|e| format!("not IR JSON: {e}"))?;
        for (i, t) in m.types.iter_mut().enumerate() {
            t.id = TypeId(i as u32);
        }
        for (i, e) in m.endpoints.iter_mut().enumerate() {
            e.id = EndpointId(i as u32);
        }
        let index: std::collections::HashMap<String, TypeId> =
            m.types.iter().map(|t| (t.qualified().to_string(), t.id)).collect();
        let lookup = |s: &str| index.get(s).copied();
        for t in &mut m.types {
            for p in &mut t.properties {
                p.ty.relink(&lookup);
            }
        }
        for e in &mut m.endpoints {
            for t in e.request_type.iter_mut().chain(e.response_type.iter_mut()) {
                t.relink(&lookup);
            }
            e.operation.relink(&lookup);
        }
        for x in &mut m.examples {
            if let Some(t) = &mut x.type_ref {
                t.relink(&lookup);
            }
        }
        m.link_bases();
        Ok(m)
    }
}

/// A path template with parameter names erased and case folded:
/// `/users/{id}` and `/Users/{user-id}` are one path.
pub fn path_shape(path: &str) -> String {
    let out: String = blank_holes(path).chars().flat_map(char::to_lowercase).collect();
    let trimmed = out.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.to_owned()
    }
}

/// `path` with every hole written `{}`, case kept: `/users/{id | upn}/x` →
/// `/users/{}/x`.
pub fn blank_holes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    out.push_str("{}");
                }
                depth += 1;
            }
            '}' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            c => out.push(c),
        }
    }
    out
}
