//! Pass 2: what a page says about the API, read off its sections with Graph
//! semantics, every fact with its span. Both page formats arrive here as the
//! same [`Page`], so the rules are written once.

use super::http::{self, RequestPath};
use super::page::{Block, CodeBlock, Inline, Page, Section, SectionKind, Table};
use super::type_expr::{self, TypeExpr};
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{PermissionKind, PermissionStatus};
use crate::source::{FileId, Span};
use std::ops::Range;

#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PropertyFact {
    pub name: Spanned<String>,
    pub ty: Spanned<TypeExpr>,
    pub description: Option<String>,
    /// Members listed by "Possible values are: …".
    pub possible_values: Vec<String>,
    /// "Inherited from [x]": the property belongs to ancestor `x`.
    pub inherited_from: Option<String>,
    pub navigation: bool,
    /// Read from a JSON representation rather than a table: the name is
    /// certain, the type is a guess that any table row overrides.
    pub inferred: bool,
    /// Target of the type cell's link as written (`chartpoint.md`), to
    /// resolve a link text that names no type.
    pub ty_link: Option<String>,
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
    pub collection: bool,
    pub span: Span,
    /// Target of the link whose text is the name, if the name is linked.
    pub link: Option<String>,
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
    /// Body, query, header and function-parameter facts (`operation.rs`).
    pub operation: super::operation::OperationFacts,
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
    pub value: Option<serde_json::Value>,
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
    /// Request examples with their responses (`exchanges.rs`).
    pub exchanges: Vec<super::exchanges::ExchangeFact>,
}

pub const DEFAULT_NAMESPACE: &str = "microsoft.graph";

pub fn extract(page: &Page, db: &crate::source::SourceDb, diags: &mut Vec<Diagnostic>) -> PageFacts {
    let file = page.file;
    let sp = |r: Range<usize>| Span::new(file, r);
    let mut facts = PageFacts {
        file: Some(file),
        namespace: namespace(page).unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned()),
        product: page.front_matter.as_ref().and_then(|f| f.product.clone()),
        ..PageFacts::default()
    };

    // Syntax: request lines of the HTTP request section.
    let mut requests: Vec<(String, RequestPath, Range<usize>)> = Vec::new();
    for s in sections(page, SectionKind::HttpRequest) {
        for b in &s.blocks {
            match b {
                Block::Code(c) => {
                    let lines = http::request_lines(&c.text);
                    if lines.is_empty() && !c.text.trim().is_empty() {
                        diags.push(Diagnostic::warning(
                            Code::BadRequestLine,
                            sp(c.span.clone()),
                            "HTTP request block holds no request line (`METHOD /path`)",
                        ));
                    }
                    for (m, p, r) in lines {
                        requests.push((m, p, c.span.start + r.start..c.span.start + r.end));
                    }
                }
                Block::Paragraph(p) if super::text::is_request_line(&p.text) => {
                    for (m, path, _) in http::request_lines(&p.text) {
                        requests.push((m, path, p.span.clone()));
                    }
                }
                _ => {}
            }
        }
    }

    // Pages that split the syntax under their own headings ("Get the tenant's
    // root site" …): request blocks outside the example sections, on API pages.
    let is_api = page
        .front_matter
        .as_ref()
        .and_then(|f| f.doc_type.as_deref())
        .is_some_and(|d| d.to_ascii_lowercase().starts_with("api"));
    if requests.is_empty() && is_api {
        let before_examples = page.sections.iter().take_while(|s| {
            !matches!(
                s.kind,
                SectionKind::Examples | SectionKind::ExampleRequest | SectionKind::ExampleResponse
            )
        });
        // A missing "HTTP request" heading leaves the block in the section
        // before it, often Permissions.
        for s in before_examples.filter(|s| {
            matches!(
                s.kind,
                SectionKind::Other | SectionKind::Preamble | SectionKind::Permissions
            )
        }) {
            for b in &s.blocks {
                if let Block::Code(c) = b {
                    if c.annotation.as_ref().is_some_and(|a| a.block_type != "ignored") {
                        continue;
                    }
                    for (m, p, r) in http::request_lines(&c.text) {
                        requests.push((m, p, c.span.start + r.start..c.span.start + r.end));
                    }
                }
            }
        }
    }

    // Path parameters that the page's one "Path parameters" table omits (pages
    // with one table per request variant are not checked: which table goes
    // with which request is not marked up).
    let single_table = sections(page, SectionKind::PathParameters).count() == 1;
    let described: Vec<String> = sections(page, SectionKind::PathParameters)
        .filter(|_| single_table)
        .flat_map(tables)
        .flat_map(|t| t.rows.iter().filter_map(|r| r.first()))
        .map(|c| {
            c.text
                .trim()
                .trim_matches(|ch| ch == '`' || ch == '{' || ch == '}')
                .to_ascii_lowercase()
        })
        .collect();
    if !described.is_empty() {
        let mut reported: Vec<&str> = Vec::new();
        for (_, path, range) in &requests {
            for p in &path.params {
                if !described.contains(&p.to_ascii_lowercase()) && !reported.contains(&p.as_str()) {
                    reported.push(p);
                    diags.push(
                        Diagnostic::warning(
                            Code::UndescribedPathParameter,
                            sp(range.clone()),
                            format!("path parameter `{p}` is not described in the Path parameters table"),
                        )
                        .with_help("add a row for it, or use the name the table uses"),
                    );
                }
            }
        }
    }

    // Examples: annotated or recognised by their first line.
    let mut versions: Vec<String> = Vec::new();
    let mut example_requests: Vec<(String, RequestPath, Span)> = Vec::new();
    for s in &page.sections {
        for b in &s.blocks {
            let Block::Code(c) = b else { continue };
            if let Some(a) = &c.annotation {
                if a.block_type == "ignored" || a.block_type == "permissions" {
                    continue;
                }
            }
            if s.kind == SectionKind::HttpRequest && c.annotation.is_none() {
                continue;
            }
            super::examples::read(file, s, c, &mut facts, &mut versions, &mut example_requests, diags);
        }
    }

    // Request and response types from the prose.
    let request_type = sections(page, SectionKind::RequestBody)
        .flat_map(paragraphs)
        .find_map(|p| mention(&request_re().captures(&p.text)?, p, file));
    let (mut status, mut response_type) = (None, None);
    for p in sections(page, SectionKind::Response).flat_map(paragraphs) {
        if status.is_none() {
            if let Some(c) = status_re().captures(&p.text) {
                if let Ok(n) = c[1].parse::<u16>() {
                    status = Some(Spanned {
                        value: n,
                        span: sp(p.span.clone()),
                    });
                }
            }
        }
        if response_type.is_none() {
            response_type = response_re().captures(&p.text).and_then(|c| mention(&c, p, file));
        }
    }

    // The documented success status against the examples' status lines.
    if let Some(documented) = &status {
        if (200..300).contains(&documented.value) {
            for (code, span) in &facts.response_statuses {
                if (200..300).contains(code) && *code != documented.value {
                    diags.push(
                        Diagnostic::warning(
                            Code::StatusMismatch,
                            span.clone(),
                            format!(
                                "example response has status {code}, the Response section documents {}",
                                documented.value
                            ),
                        )
                        .with_related(documented.span.clone(), "documented here")
                        .with_help("make the example's status line and the Response section agree"),
                    );
                }
            }
        }
    }
    // A request example with a body where the page says to send none.
    let no_body = sections(page, SectionKind::RequestBody).flat_map(paragraphs).find(|p| {
        let l = p.text.to_ascii_lowercase();
        l.contains("not supply a request body")
            || l.contains("don't supply a request body")
            || l.contains("don\u{2019}t supply a request body")
    });
    if let (Some(p), Some(body)) = (no_body, facts.request_bodies.first()) {
        diags.push(
            Diagnostic::warning(
                Code::UnexpectedRequestBody,
                body.clone(),
                "example request has a body, but the page says to send none",
            )
            .with_related(sp(p.span.clone()), "documented without a request body")
            .with_help("drop the body from the example, or document the request body"),
        );
    }

    // Property tables of the request body describe the request type.
    let mut body_type = request_type.clone().map(|m| m.name);
    if body_type.is_none() {
        body_type = facts
            .examples
            .iter()
            .find(|e| e.role == ExampleRole::Request)
            .and_then(|e| e.type_name.clone());
    }
    for s in sections(page, SectionKind::RequestBody) {
        for t in tables(s) {
            let Some(owner) = &body_type else { continue };
            if t.column(|c| c == "property").is_none() {
                continue; // action parameters, not properties of a type
            }
            let props = property_rows(file, t, false, diags);
            if !props.is_empty() {
                let name = Spanned {
                    value: owner.clone(),
                    span: sp(t.span.clone()),
                };
                facts.types.push(TypeFact {
                    properties: props,
                    ..TypeFact::named(name, TypeKindHint::Unknown)
                });
            }
        }
    }

    // Resource pages: Properties and Relationships tables.
    let title_type = page
        .title
        .as_ref()
        .and_then(|t| resource_title_re().captures(&t.text).map(|c| (c, t)))
        .map(|(c, t)| Spanned {
            value: c[1].to_owned(),
            span: sp(t.span.clone()),
        });
    // The annotation's `@odata.type` spells the name as the API does (`list`
    // where the title says `List resource`).
    // A title that drops a prefix the API keeps (`ChartAxes resource type` for
    // `microsoft.graph.workbookChartAxes`) also yields to the annotation.
    // `System facet` is `systemFacet` too: the title's words run together.
    let compact_title: String = page
        .title
        .as_ref()
        .map(|t| t.text.split_whitespace().collect::<String>().to_ascii_lowercase())
        .unwrap_or_default();
    let title_type = title_type
        .map(|mut n| {
            let annotated = annotated_types(page).find(|short| {
                let (sl, nl) = (short.to_ascii_lowercase(), n.value.to_ascii_lowercase());
                sl == nl || sl.ends_with(&nl) || sl == compact_title
            });
            if let Some(short) = annotated {
                n.value = short.to_owned();
            }
            n
        })
        .or_else(|| annotation_only_type(page, file));
    if let Some(name) = &title_type {
        let mut properties = Vec::new();
        for s in sections(page, SectionKind::Properties) {
            for t in tables(s) {
                properties.extend(property_rows(file, t, false, diags));
            }
        }
        for s in sections(page, SectionKind::Relationships) {
            for t in tables(s) {
                properties.extend(property_rows(file, t, true, diags));
            }
        }
        let mut members = Vec::new();
        for s in sections(page, SectionKind::Members) {
            members.extend(member_rows(file, s, diags));
        }
        let resource = resource_annotation(page, &name.value);
        let mut kind = if !members.is_empty() {
            TypeKindHint::Enum
        } else {
            TypeKindHint::Unknown
        };
        if resource.is_some_and(|(a, _)| a.key_property.is_some()) {
            kind = TypeKindHint::Entity;
        }
        let base = resource
            .and_then(|(a, _)| a.base_type.clone().map(|b| (b, a.span.clone())))
            .or_else(|| inherits_sentence(page))
            .map(|(b, r)| Spanned { value: b, span: sp(r) });
        // `keyProperty` names a property even when no table lists it.
        if let Some(kp) = resource.and_then(|(a, _)| a.key_property.clone()) {
            if type_expr::is_type_name(&kp) && !properties.iter().any(|p| p.name.value == kp) {
                let span = sp(resource.map_or(0..0, |(a, _)| a.span.clone()));
                properties.insert(
                    0,
                    PropertyFact {
                        name: Spanned {
                            value: kp,
                            span: span.clone(),
                        },
                        ty: Spanned {
                            value: TypeExpr::Primitive(crate::ir::Primitive::String),
                            span,
                        },
                        description: None,
                        possible_values: Vec::new(),
                        inherited_from: None,
                        navigation: false,
                        inferred: true,
                        ty_link: None,
                    },
                );
            }
        }
        // Properties the JSON representation shows but no table lists.
        if let Some((_, code)) = resource {
            if let Ok(serde_json::Value::Object(obj)) = super::json::parse_lenient(&code.text) {
                for (k, v) in &obj {
                    if k.starts_with('@') || properties.iter().any(|p: &PropertyFact| &p.name.value == k) {
                        continue;
                    }
                    let Some(ty) = infer_type(v) else { continue };
                    let at = code
                        .text
                        .find(&format!("\"{k}\""))
                        .map_or(code.span.start, |i| code.span.start + i);
                    let span = sp(at..at + k.len() + 2);
                    properties.push(PropertyFact {
                        name: Spanned {
                            value: k.clone(),
                            span: span.clone(),
                        },
                        ty: Spanned { value: ty, span },
                        description: None,
                        possible_values: Vec::new(),
                        inherited_from: None,
                        navigation: false,
                        inferred: true,
                        ty_link: None,
                    });
                }
            }
        }
        // A titled resource page defines its type even when it lists no
        // properties (abstract bases, empty tables).
        {
            facts.types.push(TypeFact {
                base,
                properties,
                members,
                open: resource.is_some_and(|(a, _)| a.open_type),
                from_title: true,
                ..TypeFact::named(name.clone(), kind)
            });
        }
    }

    // `### x values` sections: enum members, on any page.
    for s in sections(page, SectionKind::EnumValues) {
        let Some(h) = &s.heading else { continue };
        let Some(ename) = h
            .text
            .split_whitespace()
            .next()
            .map(|w| w.trim_matches(|c| c == '`' || c == '*'))
        else {
            continue;
        };
        if !type_expr::is_type_name(ename) {
            continue;
        }
        let members = member_rows(file, s, diags);
        if !members.is_empty() {
            let name = Spanned {
                value: ename.to_owned(),
                span: sp(h.span.clone()),
            };
            facts.types.push(TypeFact {
                members,
                ..TypeFact::named(name, TypeKindHint::Enum)
            });
        }
    }

    // Endpoint: the syntax block's first request line, the others as alternates.
    if let Some((method, path, range)) = requests.first().cloned() {
        let title = page
            .title
            .as_ref()
            .map(|t| Spanned {
                value: t.text.clone(),
                span: sp(t.span.clone()),
            })
            .or_else(|| {
                let fm = page.front_matter.as_ref()?;
                Some(Spanned {
                    value: fm.title.clone()?,
                    span: sp(fm.span.clone()),
                })
            });
        for (m, p, span) in &example_requests {
            if m.eq_ignore_ascii_case(&method)
                && !requests
                    .iter()
                    .any(|(_, r, _)| http::matches_template(&r.template, &p.template))
            {
                diags.push(
                    Diagnostic::warning(
                        Code::PathMismatch,
                        span.clone(),
                        format!(
                            "example request path `{}` does not match the documented template",
                            p.template
                        ),
                    )
                    .with_related(sp(range.clone()), format!("documented as `{}`", path.template)),
                );
            }
        }
        let lines: Vec<&RequestPath> = requests.iter().map(|(_, p, _)| p).collect();
        let operation = super::operation::read(page, &method, &lines);
        facts.exchanges = super::exchanges::read(page);
        facts.endpoints.push(EndpointFact {
            operation,
            title,
            alternate_paths: requests
                .iter()
                .skip(1)
                .filter(|(m, p, _)| *m == method && p.template != path.template)
                .map(|(_, p, _)| p.clone())
                .collect(),
            method,
            path,
            span: sp(range),
            request_type,
            response_type,
            success_status: status,
            permissions: super::permissions::read(page, db, diags),
            api_versions: versions,
        });
    }
    facts
}

type Member = (Spanned<String>, Option<String>);

/// Rows of `Member | Value | Description` (or single-column `Member`) tables.
fn member_rows(file: FileId, s: &Section, diags: &mut Vec<Diagnostic>) -> Vec<Member> {
    let mut members: Vec<Member> = Vec::new();
    for t in tables(s) {
        // `Member | Value | Description`, `Member`, or today's `Value | Description`.
        let Some(mc) = t
            .column(|c| c == "member" || c == "name")
            .or_else(|| t.column(|c| c == "value").filter(|&i| i == 0))
        else {
            continue;
        };
        let dc = t.column(|c| c == "description");
        for row in &t.rows {
            let Some(cell) = row.get(mc) else { continue };
            let text = cell.text.trim().trim_matches('`');
            if type_expr::is_type_name(text) && !text.contains('.') {
                if let Some((first, _)) = members.iter().find(|(m, _)| m.value == text) {
                    diags.push(
                        Diagnostic::warning(
                            Code::Conflict,
                            Span::new(file, cell.span.clone()),
                            format!("enum member `{text}` is listed twice"),
                        )
                        .with_related(first.span.clone(), "first listed here"),
                    );
                    continue;
                }
                members.push((
                    Spanned {
                        value: text.to_owned(),
                        span: Span::new(file, cell.span.clone()),
                    },
                    dc.and_then(|d| row.get(d))
                        .map(|d| d.text.clone())
                        .filter(|d| !d.is_empty()),
                ));
            }
        }
    }
    members
}

/// Type names (unqualified) of the page's `resource` annotations.
fn annotated_types(page: &Page) -> impl Iterator<Item = &str> {
    page.sections.iter().flat_map(|s| &s.blocks).filter_map(|b| match b {
        Block::Code(c) => {
            let a = c.annotation.as_ref().filter(|a| a.block_type == "resource")?;
            let t = a.odata_type.as_deref()?;
            let short = t.rsplit('.').next().unwrap_or(t).trim_start_matches('#');
            type_expr::is_type_name(short).then_some(short)
        }
        _ => None,
    })
}

/// A resource page whose title is prose (`Configuring the invitation
/// message`) or a bare name (`insightIdentity`): with a Properties table and
/// one `resource` annotation, the annotation names the type the page defines.
fn annotation_only_type(page: &Page, file: FileId) -> Option<Spanned<String>> {
    let has_table = sections(page, SectionKind::Properties).any(|s| tables(s).next().is_some());
    let mut names = annotated_types(page);
    let (Some(name), None) = (names.next(), names.next()) else {
        return None;
    };
    let span = page.title.as_ref().map(|t| t.span.clone())?;
    has_table.then(|| Spanned {
        value: name.to_owned(),
        span: Span::new(file, span),
    })
}

/// The page's `resource` annotation and its JSON block, for the titled type
/// (an annotation naming another type belongs to that type).
fn resource_annotation<'p>(page: &'p Page, name: &str) -> Option<(&'p super::page::Annotation, &'p CodeBlock)> {
    page.sections.iter().flat_map(|s| &s.blocks).find_map(|b| match b {
        Block::Code(c) => {
            let a = c.annotation.as_ref()?;
            if a.block_type != "resource" {
                return None;
            }
            let named = a.odata_type.as_deref().map(|t| t.rsplit('.').next().unwrap_or(t));
            match named {
                Some(n) if !n.eq_ignore_ascii_case(name) => None,
                _ => Some((a, c)),
            }
        }
        _ => None,
    })
}

/// "x inherits from [y]", "is derived from [y]", "inherits the properties
/// from [y]" in the page's prose (never in a "Derived types" section).
fn inherits_sentence(page: &Page) -> Option<(String, Range<usize>)> {
    page.sections
        .iter()
        .filter(|s| match s.kind {
            SectionKind::Preamble | SectionKind::Properties => true,
            SectionKind::Other => s
                .heading
                .as_ref()
                .is_some_and(|h| !h.text.to_ascii_lowercase().contains("derived")),
            _ => false,
        })
        .flat_map(paragraphs)
        .find_map(|p| {
            let c = inherits_re().captures(&p.text)?;
            let name = c.name("name")?.as_str().trim_end_matches('.');
            type_expr::is_type_name(name).then(|| (name.to_owned(), p.span.clone()))
        })
}

/// A type guessed from a JSON representation value: doc placeholders
/// (`"String"`, `"String (timestamp)"`, `"Int32"` …), literals, typed objects
/// and arrays of those.
fn infer_type(v: &serde_json::Value) -> Option<TypeExpr> {
    use crate::ir::Primitive as P;
    use serde_json::Value as V;
    Some(match v {
        V::Bool(_) => TypeExpr::Primitive(P::Boolean),
        V::Number(n) if n.is_f64() => TypeExpr::Primitive(P::Double),
        V::Number(_) => TypeExpr::Primitive(P::Int32),
        V::String(s) => {
            if s.to_ascii_lowercase().contains("timestamp") {
                return Some(TypeExpr::Primitive(P::DateTimeOffset));
            }
            if crate::lower::examples::is_choice_list(s) {
                // SharePoint pages write `a | b` for string choices.
                return Some(TypeExpr::Primitive(P::String));
            }
            let head = s.split(" (").next().unwrap_or(s).trim();
            let head = head.strip_prefix("Edm.").unwrap_or(head);
            if !crate::lower::examples::is_placeholder(s) {
                // A literal string (SharePoint pages write `a | b` for string choices).
                return Some(TypeExpr::Primitive(P::String));
            }
            TypeExpr::Primitive(P::from_doc_name(&head.to_ascii_lowercase())?)
        }
        V::Object(o) => {
            let t = o
                .get("@odata.type")
                .or_else(|| o.get("@type"))?
                .as_str()?
                .trim_start_matches('#');
            if let Some(p) = t.strip_prefix("Edm.") {
                return Some(TypeExpr::Primitive(P::from_doc_name(&p.to_ascii_lowercase())?));
            }
            if !type_expr::is_type_name(t) {
                return None;
            }
            TypeExpr::Named(t.to_owned())
        }
        V::Array(items) => TypeExpr::Collection(Box::new(infer_type(items.first()?)?)),
        V::Null => return None,
    })
}
fn namespace(page: &Page) -> Option<String> {
    page.sections.iter().take(2).flat_map(paragraphs).find_map(|p| {
        let rest = p.text.strip_prefix("Namespace:")?;
        let ns = rest.split_whitespace().next()?;
        type_expr::is_type_name(ns).then(|| ns.to_owned())
    })
}

pub(super) fn sections(page: &Page, kind: SectionKind) -> impl Iterator<Item = &Section> {
    page.sections.iter().filter(move |s| s.kind == kind)
}

fn paragraphs(s: &Section) -> impl Iterator<Item = &Inline> {
    s.blocks.iter().filter_map(|b| match b {
        Block::Paragraph(p) => Some(p),
        _ => None,
    })
}

pub(super) fn tables(s: &Section) -> impl Iterator<Item = &Table> {
    s.blocks.iter().filter_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    })
}

regex!(
    request_re,
    r"(?i)JSON representation (?:of|for) (?:the |an? )?(?P<coll>collection of )?(?P<name>[A-Za-z_][\w.]*) (?:object|resource|entity)"
);
regex!(status_re, r"(?i)\b([1-5]\d\d) [A-Za-z][A-Za-z ]*?\s*response code");
regex!(
    response_re,
    r"(?i)response code and (?:an? |the )?(?:(?:updated|requested|created|new|restored|single|specified) )?(?P<coll>(?:collection|list) of (?:one or more |zero or more |one )?|new )?(?P<name>[A-Za-z_][\w.]*) (?P<tail>collection|objects?|resources?|entity|entities|items)\b"
);
regex!(
    resource_title_re,
    r"^(?i:the )?([A-Za-z_][\w.]*) (?i:resource type|complex type|entity type|enum type|enumeration type|resource|facet)(?:\s*\([^)]*\))?$"
);
regex!(
    possible_values_re,
    r"(?i)possible values (?:are|include|for this property are)\s*:?\s*(.+)"
);
regex!(inherited_re, r"(?i)inherited from (?:\[)?([A-Za-z_][\w.]*)");

/// Words that follow "inherited from" in prose rather than naming a type.
const NOT_A_TYPE: &[&str] = &[
    "a",
    "an",
    "the",
    "its",
    "their",
    "this",
    "that",
    "these",
    "those",
    "another",
    "any",
    "some",
    "parent",
    "parents",
    "ancestor",
    "ancestors",
    "base",
    "other",
    "one",
];
regex!(
    inherits_re,
    r"(?i)(?:inherits|inheriting|is derived|are derived|derives)(?: all)?(?: the)?(?: properties(?: and relationships)?| relationships)? from (?:the |an? )?\[?(?P<name>[A-Za-z_][\w.]*)"
);

fn mention(c: &regex::Captures, p: &Inline, file: FileId) -> Option<TypeMention> {
    let name = c.name("name")?.as_str();
    // "a collection of one [x] object" must not read as a type `a` in a collection.
    if !type_expr::is_type_name(name)
        || ["json", "a", "an", "the", "one"]
            .iter()
            .any(|w| name.eq_ignore_ascii_case(w))
    {
        return None;
    }
    Some(TypeMention {
        link: p
            .links
            .iter()
            .find(|l| l.text.eq_ignore_ascii_case(name))
            .map(|l| l.target.clone()),
        name: name.to_owned(),
        // "a collection of X objects", "a list of X items", "an X collection".
        collection: c.name("coll").is_some_and(|m| {
            let m = m.as_str().to_ascii_lowercase();
            m.starts_with("collection") || m.starts_with("list")
        }) || c
            .name("tail")
            .is_some_and(|m| m.as_str().eq_ignore_ascii_case("collection")),
        span: Span::new(file, p.span.clone()),
    })
}

/// Members from "Possible values are: `a`, `b`, and `c`." (backticks already
/// dropped by pass 1, so the markdown and rendered forms read the same).
pub fn possible_values(description: &str) -> Vec<String> {
    let Some(c) = possible_values_re().captures(description) else {
        return Vec::new();
    };
    let list = &c[1];
    // The list ends at the first sentence end after it.
    let list = list.split(". ").next().unwrap_or(list);
    let mut out = Vec::new();
    for item in list.split([',', ';']) {
        let mut w = item.trim().trim_end_matches('.').trim();
        for prefix in ["and ", "or "] {
            w = w.strip_prefix(prefix).unwrap_or(w).trim();
        }
        let w = w.trim_matches(|c| c == '`' || c == '"' || c == '\'');
        if w.is_empty() {
            continue;
        }
        if !type_expr::is_type_name(w) || w.contains('.') {
            break;
        }
        if !out.iter().any(|x| x == w) {
            out.push(w.to_owned());
        }
    }
    out
}

fn property_rows(file: FileId, t: &Table, navigation: bool, diags: &mut Vec<Diagnostic>) -> Vec<PropertyFact> {
    let sp = |r: Range<usize>| Span::new(file, r);
    let Some(nc) = t.column(|c| {
        matches!(
            c,
            "property" | "name" | "property name" | "relationship" | "relationship name"
        )
    }) else {
        return Vec::new();
    };
    let Some(tc) = t.column(|c| c == "type") else {
        return Vec::new();
    };
    let dc = t.column(|c| c.starts_with("description"));
    let mut out: Vec<PropertyFact> = Vec::new();
    for (i, row) in t.rows.iter().enumerate() {
        let written = t.raw_cells.get(i).copied().unwrap_or(row.len());
        let header = if t.raw_header_cells > 0 {
            t.raw_header_cells
        } else {
            t.header.len()
        };
        if written != header {
            let span = row.first().map_or(t.span.clone(), |c| c.span.clone());
            let help = if written > header {
                "escape `|` inside cells as `\\|` (also inside code spans), or drop the extra cell"
            } else {
                "add the missing cells"
            };
            diags.push(
                Diagnostic::warning(
                    Code::TableShape,
                    sp(span),
                    format!("table row has {written} cells, the header has {header}"),
                )
                .with_help(help),
            );
        }
        let (Some(name), Some(ty)) = (row.get(nc), row.get(tc)) else {
            continue;
        };
        let pname = name.text.trim().trim_matches('`').trim();
        // "organizer (deprecated)": a status note after the name, not part of it.
        let pname = match pname.strip_suffix(')').and_then(|p| p.rsplit_once(" (")) {
            Some((n, note)) if note.chars().all(|c| c.is_alphabetic() || c == ' ') => n.trim_end(),
            _ => pname,
        }
        .to_owned();
        if pname.is_empty() || !pname.chars().all(|c| c.is_alphanumeric() || "_@.-$".contains(c)) {
            continue;
        }
        let Some(expr) = type_expr::parse(ty) else {
            diags.push(
                Diagnostic::warning(
                    Code::UnknownTypeExpr,
                    sp(ty.span.clone()),
                    format!("cannot read `{}` as a type", ty.text),
                )
                .with_help("use an Edm primitive (`String`, `Int32` …), a type name, or `X collection`"),
            );
            continue;
        };
        let desc = dc.and_then(|d| row.get(d));
        let description = desc.map(|d| d.text.clone());
        let possible = description.as_deref().map(possible_values).unwrap_or_default();
        let inherited_from = desc.and_then(|d| {
            let c = inherited_re().captures(&d.text)?;
            // "…if it is inherited from an ancestor": prose, not a type.
            if NOT_A_TYPE.contains(&c[1].to_ascii_lowercase().as_str()) {
                return None;
            }
            // Prefer the link text over the sentence.
            d.links
                .iter()
                .find(|l| c[1].starts_with(l.text.as_str()) && !l.text.is_empty())
                .map(|l| l.text.clone())
                .or_else(|| Some(c[1].trim_end_matches('.').to_owned()))
        });
        if let Some(prev) = out.iter().find(|p| p.name.value == pname) {
            diags.push(
                Diagnostic::warning(
                    Code::Conflict,
                    sp(name.span.clone()),
                    format!("property `{pname}` is listed twice"),
                )
                .with_related(prev.name.span.clone(), "first listed here"),
            );
            continue;
        }
        out.push(PropertyFact {
            name: Spanned {
                value: pname,
                span: sp(name.span.clone()),
            },
            ty: Spanned {
                value: expr,
                span: sp(ty.span.clone()),
            },
            description: description.filter(|d| !d.is_empty()),
            possible_values: possible,
            inherited_from,
            navigation,
            inferred: false,
            ty_link: ty.links.iter().find(|l| !l.text.is_empty()).map(|l| l.target.clone()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_compile_and_match() {
        assert!(request_re().is_match("supply a JSON representation for the deviceConfigurationDeviceStatus object."));
        let c = status_re()
            .captures("returns a 201 Created response code and a x object")
            .unwrap();
        assert_eq!(&c[1], "201");
        let c = response_re()
            .captures("returns a 200 OK response code and a collection of user objects in")
            .unwrap();
        for (text, name, coll) in [
            (
                "response code and an updated user object in the response body",
                "user",
                false,
            ),
            (
                "response code and the requested offerShiftRequest objects in the response body",
                "offerShiftRequest",
                false,
            ),
            ("response code and a list of printer items", "printer", true),
            (
                "response code and a collection of one organization object in the response body",
                "organization",
                true,
            ),
            ("response code and a user collection in the response body", "user", true),
        ] {
            let c = response_re().captures(text).unwrap();
            assert_eq!(&c["name"], name, "{text}");
            let p = Inline {
                text: text.into(),
                ..Inline::default()
            };
            assert_eq!(mention(&c, &p, FileId(0)).map(|m| m.collection), Some(coll), "{text}");
        }
        assert!(response_re()
            .captures("response code and a Location header with a URI")
            .is_none());
        // Not a type `a`: "a collection of user and/or group objects".
        let text = "response code and a collection of user and/or group objects";
        let p = Inline {
            text: text.into(),
            ..Inline::default()
        };
        assert!(response_re()
            .captures(text)
            .and_then(|c| mention(&c, &p, FileId(0)))
            .is_none());
        assert_eq!(&c["name"], "user");
        assert!(resource_title_re().is_match("user resource type"));
        assert!(resource_title_re().is_match("List resource"));
        assert!(resource_title_re().is_match("schemaExtension resource type (schema extensions)"));
        assert!(!resource_title_re().is_match("Create user"));
        assert!(!resource_title_re().is_match("Get user resource"));
        assert!(inherited_re().is_match("Inherited from entity"));
        let c = inherited_re()
            .captures("Provides a reference, if it is inherited from an ancestor.")
            .unwrap();
        assert!(NOT_A_TYPE.contains(&&c[1]));
    }

    #[test]
    fn possible_values_forms() {
        assert_eq!(
            possible_values("Status. Possible values are: `a`, `b`, and `c`. More text"),
            vec!["a", "b", "c"]
        );
        assert_eq!(
            possible_values("Possible values are: unknown , notApplicable , error ."),
            vec!["unknown", "notApplicable", "error"]
        );
        assert!(possible_values("No list here.").is_empty());
    }
}

#[cfg(test)]
mod base_type_tests {
    use super::*;

    fn facts(text: &str) -> PageFacts {
        let db = crate::source::SourceDb::from_pages([("page.md", text.as_bytes().to_vec())]);
        crate::parse::page_facts(&db, FileId(0)).1
    }

    #[test]
    fn inherits_sentence_gives_base() {
        let f = facts(
            "# mailSearchFolder resource type\n\nNamespace: microsoft.graph\n\nA **mailSearchFolder** is a folder. **mailSearchFolder** inherits from [mailFolder](mailfolder.md). More.\n\n## Properties\n|Property|Type|Description|\n|:--|:--|:--|\n|isSupported|Boolean|x|\n",
        );
        assert_eq!(f.types[0].base.as_ref().map(|b| b.value.as_str()), Some("mailFolder"));
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

    #[test]
    fn request_lines_without_their_heading_are_the_syntax() {
        // Split under headings of their own, or left in the Permissions
        // section when the "HTTP request" heading is missing.
        for between in ["## Get the root site\n\n", ""] {
            let f = facts(&format!(
                "---\ndoc_type: apiPageType\n---\n# Add member\n\n## Permissions\n\n|Permission type|Permissions|\n|:--|:--|\n|Application|Chat.ReadWrite.All|\n\n{between}<!-- {{ \"blockType\": \"ignored\"}} -->\n```http\nPOST /chats/{{chat-id}}/members\n```\n\n## Examples\n\n```http\nPOST https://graph.microsoft.com/v1.0/chats/1/members\n```\n"
            ));
            let paths: Vec<&str> = f.endpoints.iter().map(|e| e.path.template.as_str()).collect();
            assert_eq!(paths, ["/chats/{chat-id}/members"], "{between:?}");
        }
    }
}
