//! Pass 2: what a page says about the API, read off its sections with Graph
//! semantics, every fact with its span. Both page formats arrive here as the
//! same [`Page`], so the rules are written once.
//!
//! The fact types are here; each page section has its extractor:
//! `http_request` (the syntax, path parameters, the endpoint), `examples`,
//! `request_body`, `response`, `permissions`, `resource` (title, tables,
//! base, key) with `properties` (table rows) and `json_representation`,
//! and `enum_members`.

mod enum_members;
mod examples;
mod http_request;
mod json_representation;
pub mod permissions;
pub mod properties;
mod request_body;
mod resource;
mod response;

use super::http::RequestPath;
use super::page::{Block, Inline, Page, Section, SectionKind, Table};
use super::type_expr::{self, TypeExpr};
use crate::diagnostics::Diagnostic;
use crate::ir::{PermissionKind, PermissionStatus};
use crate::source::{FileId, SourceDb, Span};

#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PropertyFact {
    pub name: Spanned<String>,
    pub ty: Spanned<TypeExpr>,
    /// `None` when the cell is empty or says nothing (a TODO marker, "Not
    /// yet documented", a bare "Inherited from x").
    pub description: Option<String>,
    /// The description says "Read-only".
    pub read_only: bool,
    /// The description says "Nullable." (`Some(true)`) or "Not nullable"
    /// (`Some(false)`).
    pub nullable: Option<bool>,
    /// Members listed by "Possible values are: …".
    pub possible_values: Vec<String>,
    /// The description says the value may name several members ("The
    /// Windows architecture(s) …", "If selecting more than one value"): a
    /// flags enum when the type is one.
    pub multi_valued: bool,
    /// "Inherited from \[x\]": the property belongs to ancestor `x`.
    pub inherited_from: Option<String>,
    /// A `String` whose values the page documents in a `### <name> values`
    /// section of its own: a string with documented values, not an enum.
    pub values_section: bool,
    pub navigation: bool,
    /// Read from a JSON representation rather than a table: the name is
    /// certain, the type is a guess that any table row overrides.
    pub inferred: bool,
    /// The type cell's link, to resolve a link text that names no type.
    pub ty_link: Option<TypeLink>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKindHint {
    Unknown,
    Entity,
    Complex,
    Enum,
}

/// A type the page describes (a resource page, or the body of a create page).
#[derive(Clone, Debug, PartialEq)]
pub struct TypeFact {
    pub name: Spanned<String>,
    pub kind: TypeKindHint,
    pub base: Option<Spanned<String>>,
    pub description: Option<String>,
    pub properties: Vec<PropertyFact>,
    /// Enum members from a Members table, with descriptions.
    pub members: Vec<(Spanned<String>, Option<String>)>,
    /// The resource annotation says `openType`.
    pub open: bool,
    /// The type the page's `# x resource type` title names.
    pub from_title: bool,
    /// Types the page names as derived from this one (a "Derived types"
    /// section, "the derived types are \[a\] and \[b\]", "\[a\] is a subclass
    /// of this", "the base type for \[a\]"), by their link text.
    pub derived: Vec<Spanned<String>>,
    /// The key the resource annotation names (`keyProperty`).
    pub key: Option<String>,
    /// The resource annotation marks the type `abstract`.
    pub is_abstract: bool,
    /// The members table shows a flags enum: member values that are
    /// distinct powers of two reaching 4 (0 allowed), or a member
    /// description that speaks of flags ("No flags set.").
    pub flags: bool,
}

impl TypeFact {
    /// A fact naming a type, with nothing else known yet.
    fn named(name: Spanned<String>, kind: TypeKindHint) -> Self {
        TypeFact {
            name,
            kind,
            base: None,
            description: None,
            properties: Vec::new(),
            members: Vec::new(),
            open: false,
            from_title: false,
            derived: Vec::new(),
            key: None,
            is_abstract: false,
            flags: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PermissionFact {
    pub kind: PermissionKind,
    pub status: PermissionStatus,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeMention {
    pub name: String,
    /// The primitive the name spells ("a String collection", "an
    /// Edm.Int32"), else `None`: the name is a type name.
    pub primitive: Option<crate::ir::Primitive>,
    pub collection: bool,
    pub span: Span,
    /// The link whose text is the name, if the name is linked.
    pub link: Option<TypeLink>,
}

/// A link from a type cell or a type named in prose to the page of the type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeLink {
    /// The target as written (`chartpoint.md`, `../resources/user.md`).
    pub target: String,
    /// The target is a page of `microsoft.graph` rather than of the linking
    /// page's sub-namespace, by the docs' file naming: `identityset.md`
    /// against `callrecords-session.md` for `microsoft.graph.callRecords`.
    pub root_namespace_page: bool,
}

impl TypeLink {
    pub(crate) fn new(target: &str, page_namespace: &str) -> Self {
        TypeLink {
            target: target.to_owned(),
            root_namespace_page: links_to_root_page(target, page_namespace),
        }
    }
}

/// Whether `target` is a page of `microsoft.graph` rather than of the
/// sub-namespace `ns`.
fn links_to_root_page(target: &str, ns: &str) -> bool {
    if !target.ends_with(".md") || target.contains("://") {
        return false;
    }
    let stem = target.rsplit('/').next().unwrap_or(target).to_ascii_lowercase();
    let sub = ns.rsplit('.').next().unwrap_or(ns).to_ascii_lowercase();
    !stem.starts_with(&format!("{sub}-"))
}

#[derive(Clone, Debug, PartialEq)]
pub struct EndpointFact {
    /// Page title (H1), or the front matter title.
    pub title: Option<Spanned<String>>,
    pub method: String,
    pub path: RequestPath,
    pub alternate_paths: Vec<RequestPath>,
    pub span: Span,
    pub request_type: Option<TypeMention>,
    pub response_type: Option<TypeMention>,
    pub success_status: Option<Spanned<u16>>,
    pub permissions: Vec<PermissionFact>,
    pub api_versions: Vec<String>,
    /// A function or action, titled `type: name` or `name function` (an
    /// untitled page: a `:` in the path); not a relationship.
    pub operation: bool,
    /// Body, query, header and function-parameter facts (`operation.rs`).
    pub details: super::operation::OperationFacts,
    /// Example requests of this method whose path none of the request lines
    /// fits (each also a `PathMismatch` warning).
    pub example_paths: Vec<(RequestPath, Span)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExampleRole {
    Request,
    Response,
    Resource,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExampleFact {
    pub role: ExampleRole,
    /// From the annotation, or the `@odata.type` of the body.
    pub type_name: Option<String>,
    pub is_collection: bool,
    pub json: String,
    /// Whether `json` is strict JSON (read without the lenient pass); false
    /// when it was not read at all.
    pub strict: bool,
    pub value: Option<serde_json::Value>,
    /// The string values of `value` that are doc placeholders.
    pub placeholders: super::placeholder::Placeholders,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageFacts {
    pub file: Option<FileId>,
    pub namespace: String,
    pub product: Option<String>,
    pub types: Vec<TypeFact>,
    pub endpoints: Vec<EndpointFact>,
    pub examples: Vec<ExampleFact>,
    /// Status lines of example responses, with their spans.
    pub response_statuses: Vec<(u16, Span)>,
    /// Bodies of example requests.
    pub request_bodies: Vec<Span>,
    /// Request examples with their responses (`exchanges.rs`), on pages that
    /// document an endpoint.
    pub exchanges: Vec<super::exchanges::ExchangeFact>,
}

pub const DEFAULT_NAMESPACE: &str = "microsoft.graph";

/// Every fact of one page, section by section.
pub fn extract(page: &Page, db: &SourceDb, diags: &mut Vec<Diagnostic>) -> PageFacts {
    let mut facts = PageFacts {
        file: Some(page.file),
        namespace: namespace(page).unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned()),
        product: page.front_matter.as_ref().and_then(|f| f.product.clone()),
        ..PageFacts::default()
    };
    let requests = http_request::syntax(page, diags);
    http_request::check_path_parameters(page, &requests, diags);
    let example_requests = examples::read_all(page, &mut facts, diags);
    let ns = facts.namespace.clone();
    let request_type = request_body::request_type(page, &ns);
    let mut response = response::read(page, &ns);
    response::listed_by_example(&mut response, &requests, &facts.examples);
    response::check_status(&response, &facts.response_statuses, diags);
    request_body::check_no_body(page, &facts.request_bodies, diags);
    let body_types = request_body::body_types(page, &ns, request_type.as_ref(), &facts.examples, diags);
    facts.types.extend(body_types);
    facts.types.extend(resource::resource_type(page, &ns, diags));
    let values = enum_members::value_sections(page, diags);
    let enums = string_values(&mut facts.types, values);
    facts.types.extend(enums);
    let parts = http_request::EndpointParts {
        examples: example_requests,
        request_type,
        response,
    };
    let permissions = |diags: &mut Vec<Diagnostic>| permissions::read(page, db, diags);
    facts
        .endpoints
        .extend(http_request::endpoint(page, &requests, parts, permissions, diags));
    if !facts.endpoints.is_empty() {
        facts.exchanges = super::exchanges::read(page);
    }
    facts
}

/// A `### x values` section is enum `x`, unless `x` is a property of the
/// page whose type cell says `String` (or `String collection`): then the
/// section documents that string's values (`|capabilityStatus|String|… See
/// [a detailed description](#capabilitystatus-values)`), and the property
/// is marked so that no enum claims it. Returns the sections that are enums.
fn string_values(types: &mut [TypeFact], sections: Vec<TypeFact>) -> Vec<TypeFact> {
    let string = TypeExpr::Primitive(crate::ir::Primitive::String);
    sections
        .into_iter()
        .filter(|s| {
            let mut documents_a_string = false;
            for p in types.iter_mut().flat_map(|t| t.properties.iter_mut()) {
                let is_string = match &p.ty.value {
                    TypeExpr::Collection(inner) => **inner == string,
                    t => *t == string,
                };
                if p.name.value == s.name.value && is_string && !p.inferred {
                    p.values_section = true;
                    documents_a_string = true;
                }
            }
            !documents_a_string
        })
        .collect()
}

/// Words that stand where prose names a type but name none: articles and
/// determiners ("a JSON representation of that resource").
const NOT_A_TYPE_NAME: &[&str] = &[
    "json", "a", "an", "the", "one", "that", "this", "these", "those", "each", "every", "its", "their", "your", "any",
    "some",
];

/// A type named in prose ("a collection of [user](user.md) objects"), from
/// the `name` (and `coll`/`tail`) groups of a sentence's captures.
fn mention(c: &regex::Captures, p: &Inline, file: FileId, namespace: &str) -> Option<TypeMention> {
    let name = c.name("name")?.as_str();
    // "a collection of one [x] object" must not read as a type `a` in a
    // collection, nor "a JSON representation of that resource instance" as a
    // type `that`: an article or determiner names no type.
    if !type_expr::is_type_name(name) || NOT_A_TYPE_NAME.iter().any(|w| name.eq_ignore_ascii_case(w)) {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    Some(TypeMention {
        primitive: type_expr::primitive_from_doc_name(lower.strip_prefix("edm.").unwrap_or(&lower)),
        link: p
            .links
            .iter()
            .find(|l| l.text.eq_ignore_ascii_case(name))
            .map(|l| TypeLink::new(&l.target, namespace)),
        name: name.to_owned(),
        // "a collection of X objects", "a list of X items", "all X objects",
        // "an X collection".
        collection: c.name("coll").is_some_and(|m| {
            let m = m.as_str().to_ascii_lowercase();
            m.starts_with("collection") || m.starts_with("list") || m.starts_with("all ")
        }) || c
            .name("tail")
            .is_some_and(|m| m.as_str().eq_ignore_ascii_case("collection")),
        span: Span::new(file, p.span.clone()),
    })
}

pub(crate) fn namespace(page: &Page) -> Option<String> {
    page.sections.iter().take(2).flat_map(paragraphs).find_map(|p| {
        let rest = p.text.strip_prefix("Namespace:")?;
        let ns = rest.split_whitespace().next()?;
        type_expr::is_type_name(ns).then(|| ns.to_owned())
    })
}

fn sections(page: &Page, kind: SectionKind) -> impl Iterator<Item = &Section> {
    page.sections.iter().filter(move |s| s.kind == kind)
}

fn paragraphs(s: &Section) -> impl Iterator<Item = &Inline> {
    s.blocks.iter().filter_map(|b| match b {
        Block::Paragraph(p) => Some(p),
        _ => None,
    })
}

fn tables(s: &Section) -> impl Iterator<Item = &Table> {
    s.blocks.iter().filter_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> PageFacts {
        let db = crate::source::SourceDb::from_pages([("page.md", text.as_bytes().to_vec())]);
        crate::parse::page_facts(&db, FileId(0)).1
    }

    #[test]
    fn sub_namespace_pages_are_named_after_it() {
        let ns = "microsoft.graph.callRecords";
        assert!(links_to_root_page("identityset.md", ns));
        assert!(links_to_root_page("../resources/identityset.md", ns));
        assert!(!links_to_root_page("callrecords-session.md", ns));
        assert!(!links_to_root_page("https://example.com/identityset.md", ns));
    }

    #[test]
    fn inherits_sentence_gives_base() {
        let f = facts(
            "# mailSearchFolder resource type\n\nNamespace: microsoft.graph\n\nA **mailSearchFolder** is a folder. **mailSearchFolder** inherits from [mailFolder](mailfolder.md). More.\n\n## Properties\n|Property|Type|Description|\n|:--|:--|:--|\n|isSupported|Boolean|x|\n",
        );
        assert_eq!(f.types[0].base.as_ref().map(|b| b.value.as_str()), Some("mailFolder"));
    }

    #[test]
    fn a_determiner_names_no_request_type() {
        // "a JSON representation of that resource instance": no type `that`;
        // the request type is the one a later sentence names.
        let f = facts(
            "# Create widget\n\n## HTTP request\n```http\nPOST /widgets\n```\n\n## Request body\n\nProvide a JSON representation of that resource instance as well.\n\nIn the request body, supply a JSON representation of a [widget](widget.md) object.\n\n|Property|Type|Description|\n|:--|:--|:--|\n|size|Int32|x|\n",
        );
        let names: Vec<&str> = f.types.iter().map(|t| t.name.value.as_str()).collect();
        assert_eq!(names, ["widget"]);
    }

    #[test]
    fn resource_annotation_base_and_json_properties() {
        let f = facts(
            "# eventMessage resource type\n\n## Properties\n|Property|Type|Description|\n|:--|:--|:--|\n|a|String|x|\n\n## JSON representation\n<!-- {\n  \"blockType\": \"resource\",\n  \"baseType\": \"microsoft.graph.message\",\n  \"@odata.type\": \"microsoft.graph.eventMessage\"\n}-->\n```json\n{\"a\": \"String\", \"b\": \"String (timestamp)\", \"c\": {\"@odata.type\": \"microsoft.graph.x\"}, \"d\": [\"String\"], \"e\": null}\n```\n",
        );
        let t = &f.types[0];
        assert_eq!(
            t.base.as_ref().map(|b| b.value.as_str()),
            Some("microsoft.graph.message")
        );
        let names: Vec<(&str, bool)> = t
            .properties
            .iter()
            .map(|p| (p.name.value.as_str(), p.inferred))
            .collect();
        assert_eq!(names, [("a", false), ("b", true), ("c", true), ("d", true)]);
    }

    #[test]
    fn the_resource_annotation_names_a_type_whose_title_does_not() {
        let page = |title: &str| {
            format!(
                "# {title}\n\n## Properties\n|Property|Type|Description|\n|:--|:--|:--|\n|a|String|x|\n\n## JSON representation\n<!-- {{\n  \"blockType\": \"resource\",\n  \"@odata.type\": \"microsoft.graph.systemFacet\"\n}}-->\n```json\n{{\"a\": \"String\"}}\n```\n"
            )
        };
        for title in [
            "System facet",
            "Configuring the system",
            "systemFacet",
            "systemFacet resource type (facets)",
        ] {
            let f = facts(&page(title));
            let names: Vec<&str> = f.types.iter().map(|t| t.name.value.as_str()).collect();
            assert_eq!(names, ["systemFacet"], "{title}");
        }
        // Without a Properties table a prose page defines nothing.
        let f = facts("# Configuring the system\n\n<!-- {\n  \"blockType\": \"resource\",\n  \"@odata.type\": \"microsoft.graph.systemFacet\"\n}-->\n```json\n{}\n```\n");
        assert!(f.types.is_empty());
    }
}
