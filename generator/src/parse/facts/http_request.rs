//! The HTTP request section: the endpoint's syntax (request lines, also on
//! pages that set them under headings of their own), the Path parameters
//! table against it, and the endpoint fact the page's sections add up to.

use super::examples::ExampleRequests;
use super::response::ResponseProse;
use super::{sections, tables, EndpointFact, PermissionFact, Spanned, TypeMention};
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::http::{self, RequestPath};
use crate::parse::page::{Block, CodeBlock, Page, SectionKind};
use crate::source::Span;

/// A request line (`GET /users/{id}`) where the page writes it.
#[derive(Clone)]
pub(super) struct RequestLine {
    pub method: String,
    pub path: RequestPath,
    pub span: Span,
}

/// The syntax: request lines of the HTTP request section, else (on API pages
/// that split the syntax under their own headings, "Get the tenant's root
/// site" …) request blocks outside the example sections.
pub(super) fn syntax(page: &Page, diags: &mut Vec<Diagnostic>) -> Vec<RequestLine> {
    let mut requests = section_lines(page, diags);
    let is_api = page
        .front_matter
        .as_ref()
        .and_then(|f| f.doc_type.as_deref())
        .is_some_and(|d| d.to_ascii_lowercase().starts_with("api"));
    if requests.is_empty() && is_api {
        requests = unheaded_lines(page);
    }
    requests
}

/// Request lines of the HTTP request section, in code blocks or paragraphs.
fn section_lines(page: &Page, diags: &mut Vec<Diagnostic>) -> Vec<RequestLine> {
    let mut requests = Vec::new();
    for s in sections(page, SectionKind::HttpRequest) {
        for b in &s.blocks {
            match b {
                Block::Code(c) => {
                    let lines = block_lines(page, c);
                    if lines.is_empty() && !c.text.trim().is_empty() {
                        diags.push(Diagnostic::warning(
                            Code::BadRequestLine,
                            Span::new(page.file, c.span.clone()),
                            "HTTP request block holds no request line (`METHOD /path`)",
                        ));
                    }
                    requests.extend(lines);
                }
                Block::Paragraph(p) if crate::parse::text::is_request_line(&p.text) => {
                    for (method, path, _) in http::request_lines(&p.text) {
                        requests.push(RequestLine {
                            method,
                            path,
                            span: Span::new(page.file, p.span.clone()),
                        });
                    }
                }
                _ => {}
            }
        }
    }
    requests
}

/// Request blocks before the examples in sections of no syntax kind. A
/// missing "HTTP request" heading leaves the block in the section before
/// it, often Permissions.
fn unheaded_lines(page: &Page) -> Vec<RequestLine> {
    let before_examples = page.sections.iter().take_while(|s| {
        !matches!(
            s.kind,
            SectionKind::Examples | SectionKind::ExampleRequest | SectionKind::ExampleResponse
        )
    });
    let mut requests = Vec::new();
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
                requests.extend(block_lines(page, c));
            }
        }
    }
    requests
}

fn block_lines(page: &Page, c: &CodeBlock) -> Vec<RequestLine> {
    http::request_lines(&c.text)
        .into_iter()
        .map(|(method, path, r)| RequestLine {
            method,
            path,
            span: Span::new(page.file, c.span.start + r.start..c.span.start + r.end),
        })
        .collect()
}

/// Path parameters that the page's one "Path parameters" table omits (pages
/// with one table per request variant are not checked: which table goes
/// with which request is not marked up).
pub(super) fn check_path_parameters(page: &Page, requests: &[RequestLine], diags: &mut Vec<Diagnostic>) {
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
    if described.is_empty() {
        return;
    }
    let mut reported: Vec<&str> = Vec::new();
    for request in requests {
        for p in &request.path.params {
            if !described.contains(&p.to_ascii_lowercase()) && !reported.contains(&p.as_str()) {
                reported.push(p);
                diags.push(
                    Diagnostic::warning(
                        Code::UndescribedPathParameter,
                        request.span.clone(),
                        format!("path parameter `{p}` is not described in the Path parameters table"),
                    )
                    .with_help("add a row for it, or use the name the table uses"),
                );
            }
        }
    }
}

/// Functions and actions are titled `type: name` or `name function`.
fn is_operation(title: &str) -> bool {
    let t = title.trim().to_ascii_lowercase();
    t.contains(':') || t.ends_with(" function") || t.ends_with(" action")
}

/// What the page's other sections say about its endpoint.
pub(super) struct EndpointParts {
    pub examples: ExampleRequests,
    pub request_type: Option<TypeMention>,
    pub response: ResponseProse,
}

/// One endpoint per method the syntax names, in order of first appearance
/// (`PATCH` and `PUT` of one photo; `DELETE …/following/{id}` and `POST
/// …/unfollow`): its first request line, its others as alternates. Example
/// requests whose path no request line of their method matches are reported.
/// `permissions` is read only for a page that has an endpoint.
pub(super) fn endpoint(
    page: &Page,
    requests: &[RequestLine],
    parts: EndpointParts,
    permissions: impl FnOnce(&mut Vec<Diagnostic>) -> Vec<PermissionFact>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<EndpointFact> {
    let mut methods: Vec<&str> = Vec::new();
    for r in requests {
        if !methods.iter().any(|m| m.eq_ignore_ascii_case(&r.method)) {
            methods.push(&r.method);
        }
    }
    if methods.is_empty() {
        return Vec::new();
    }
    let title = title(page);
    let permissions = permissions(diags);
    methods
        .iter()
        .map(|method| {
            let lines: Vec<&RequestLine> = requests
                .iter()
                .filter(|r| r.method.eq_ignore_ascii_case(method))
                .collect();
            let unfit = check_examples(&parts.examples, &lines, diags);
            let mut e = method_endpoint(page, &lines, &title, &parts, permissions.clone());
            e.example_paths = unfit;
            e
        })
        .collect()
}

/// The page title (H1), else the front matter's.
fn title(page: &Page) -> Option<Spanned<String>> {
    let file = page.file;
    page.title
        .as_ref()
        .map(|t| Spanned {
            value: t.text.clone(),
            span: Span::new(file, t.span.clone()),
        })
        .or_else(|| {
            let fm = page.front_matter.as_ref()?;
            Some(Spanned {
                value: fm.title.clone()?,
                span: Span::new(file, fm.span.clone()),
            })
        })
}

/// Reports and returns each example request of the lines' method that none
/// of them fits.
fn check_examples(
    examples: &ExampleRequests,
    lines: &[&RequestLine],
    diags: &mut Vec<Diagnostic>,
) -> Vec<(RequestPath, Span)> {
    let first = lines[0];
    let mut unfit = Vec::new();
    for (m, p, span) in &examples.lines {
        if m.eq_ignore_ascii_case(&first.method)
            && !lines
                .iter()
                .any(|r| http::matches_template(&r.path.template, &p.template))
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
                .with_related(first.span.clone(), format!("documented as `{}`", first.path.template)),
            );
            unfit.push((p.clone(), span.clone()));
        }
    }
    unfit
}

/// The endpoint of one method's request lines (all of that method).
fn method_endpoint(
    page: &Page,
    lines: &[&RequestLine],
    title: &Option<Spanned<String>>,
    parts: &EndpointParts,
    permissions: Vec<PermissionFact>,
) -> EndpointFact {
    let first = lines[0];
    // The name lower gives the endpoint: the title, else method and path.
    let name = title.as_ref().map_or_else(
        || format!("{} {}", first.method.to_ascii_uppercase(), first.path.template),
        |t| t.value.clone(),
    );
    let paths: Vec<&RequestPath> = lines.iter().map(|r| &r.path).collect();
    let details = super::super::operation::read(page, &first.method, &paths);
    EndpointFact {
        operation: is_operation(&name),
        details,
        title: title.clone(),
        alternate_paths: lines
            .iter()
            .skip(1)
            .filter(|r| r.path.template != first.path.template)
            .map(|r| r.path.clone())
            .collect(),
        method: first.method.clone(),
        path: first.path.clone(),
        span: first.span.clone(),
        request_type: parts.request_type.clone(),
        response_type: parts.response.ty.clone(),
        success_status: parts.response.status.clone(),
        permissions,
        api_versions: parts.examples.api_versions.clone(),
        example_paths: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_operation;

    #[test]
    fn operation_titles() {
        assert!(is_operation("user: delta"));
        assert!(is_operation("getEffectivePermissions function"));
        assert!(is_operation("GET /drive/root:/{path}:/children"));
        assert!(!is_operation("List joinedTeams"));
    }
}
