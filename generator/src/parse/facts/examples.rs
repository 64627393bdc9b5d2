//! Example blocks: request and response messages and resource
//! representations, with their bodies and the types they document.

use super::{ExampleFact, ExampleRole, PageFacts};
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::http::{self, HttpMessage, RequestPath};
use crate::parse::page::{Block, CodeBlock, Page, Section, SectionKind};
use crate::source::{FileId, Span};
use std::ops::Range;

/// What the example requests say about the endpoint.
#[derive(Default)]
pub(super) struct ExampleRequests {
    /// API versions the example requests address (`v1.0`), in page order.
    pub api_versions: Vec<String>,
    /// Method, path and span of each example request line.
    pub lines: Vec<(String, RequestPath, Span)>,
}

/// Every example block of the page, annotated or recognised by its first
/// line (not the syntax blocks of the HTTP request section).
pub(super) fn read_all(page: &Page, facts: &mut PageFacts, diags: &mut Vec<Diagnostic>) -> ExampleRequests {
    let mut sent = ExampleRequests::default();
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
            read(page.file, s, c, facts, &mut sent, diags);
        }
    }
    sent
}

/// One example block: request, response or resource representation, its
/// JSON (strict, else lenient with a diagnostic) and the type it documents.
fn read(
    file: FileId,
    section: &Section,
    c: &CodeBlock,
    facts: &mut PageFacts,
    sent: &mut ExampleRequests,
    diags: &mut Vec<Diagnostic>,
) {
    let sp = |r: Range<usize>| Span::new(file, r);
    let ann = c.annotation.as_ref();
    let (role, body) = match (c.lang.as_str(), http::parse_message(&c.text)) {
        (
            _,
            Some(HttpMessage::Request {
                method,
                path,
                line,
                body,
            }),
        ) => {
            if let Some(v) = &path.api_version {
                if !sent.api_versions.contains(v) {
                    sent.api_versions.push(v.clone());
                }
            }
            sent.lines
                .push((method, path, sp(c.span.start + line.start..c.span.start + line.end)));
            if let Some(b) = body
                .as_ref()
                .filter(|b| b.text.starts_with('{') || b.text.starts_with('['))
            {
                facts
                    .request_bodies
                    .push(sp(c.span.start + b.offset..c.span.start + b.offset + b.text.len()));
            }
            (ExampleRole::Request, body)
        }
        (_, Some(HttpMessage::Response { status, body })) => {
            let lead = c.text.len() - c.text.trim_start().len();
            let line_len = c.text[lead..].find(['\r', '\n']).unwrap_or(c.text.len() - lead);
            facts
                .response_statuses
                .push((status, sp(c.span.start + lead..c.span.start + lead + line_len)));
            (ExampleRole::Response, body)
        }
        ("json" | "javascript" | "", None) => {
            let role = match ann.map(|a| a.block_type.as_str()) {
                Some("resource") => ExampleRole::Resource,
                Some("request") => ExampleRole::Request,
                Some("response") => ExampleRole::Response,
                _ if section.kind == SectionKind::JsonRepresentation => ExampleRole::Resource,
                _ => return,
            };
            (
                role,
                Some(http::Body {
                    text: c.text.trim().to_owned(),
                    offset: c.text.len() - c.text.trim_start().len(),
                }),
            )
        }
        _ => return,
    };
    let Some(body) = body else { return };
    if !body.text.starts_with('{') && !body.text.starts_with('[') {
        return;
    }
    // As long as the text parsed: lower tells by it that an exchange's body
    // is this text (`operations::example_value`) and reuses the value.
    let span = sp(c.span.start + body.offset..c.span.start + body.offset + body.text.len());
    let (value, strict) = match crate::parse::json::parse_noting_strict(&body.text) {
        Ok((v, strict)) => {
            if !strict {
                diags.push(
                    Diagnostic::warning(
                        Code::InvalidJson,
                        span.clone(),
                        "example is not strict JSON (comments, `...` or trailing commas)",
                    )
                    .with_help("remove comments, `...` lines and trailing commas"),
                );
            }
            (Some(v), strict)
        }
        Err(e) => {
            diags.push(Diagnostic::warning(
                Code::InvalidJson,
                span.clone(),
                format!("example is not valid JSON: {e}"),
            ));
            (None, false)
        }
    };
    let body_type = value
        .as_ref()
        .and_then(|v| v.get("@odata.type"))
        .and_then(|t| t.as_str())
        .map(|t| t.trim_start_matches('#').to_owned());
    let type_name = match role {
        // The annotation names the response's type; a request's type comes from its body.
        ExampleRole::Request => body_type,
        _ => ann.and_then(|a| a.odata_type.clone()).or(body_type),
    };
    facts.examples.push(ExampleFact {
        role,
        type_name,
        is_collection: ann.is_some_and(|a| a.is_collection),
        // CRLF pages: the example text is data for tests, keep it LF-only.
        json: body.text.replace("\r\n", "\n"),
        strict,
        placeholders: value
            .as_ref()
            .map(crate::parse::placeholder::values)
            .unwrap_or_default(),
        value,
        span,
    });
}
