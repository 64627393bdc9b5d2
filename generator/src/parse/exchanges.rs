//! Example exchanges: every request example of a page (annotated `request`,
//! or unannotated in an example section, as on rendered pages) with the
//! target as written, headers and body, paired with the response example
//! that follows it (status, headers, body, the annotation's type).

use super::http::{self, HttpMessage};
use super::page::{Block, Page, SectionKind};
use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct ExchangeFact {
    pub method: String,
    /// Path and query as written, without scheme, host and version segment.
    pub target: String,
    /// The target's path as a template (`{…}` normalised), for matching.
    pub template: String,
    pub version: Option<String>,
    /// The host of an absolute URL.
    pub host: Option<String>,
    /// The block carries a `blockType: request` annotation.
    pub annotated: bool,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// The request line.
    pub span: Span,
    pub response: Option<ResponseFact>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResponseFact {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub odata_type: Option<String>,
    pub is_collection: bool,
    /// The status line.
    pub span: Span,
}

/// The page's exchanges in page order.
pub fn read(page: &Page) -> Vec<ExchangeFact> {
    let file = page.file;
    let mut out: Vec<ExchangeFact> = Vec::new();
    for s in &page.sections {
        for b in &s.blocks {
            let Block::Code(c) = b else { continue };
            let ann = c.annotation.as_ref().map(|a| a.block_type.as_str());
            if s.kind == SectionKind::HttpRequest && ann.is_none() {
                continue; // the syntax, not an example
            }
            let lead = c.text.len() - c.text.trim_start().len();
            let first_end = c.text[lead..].find('\n').map_or(c.text.len(), |i| lead + i);
            let line_span = Span::new(file, c.span.start + lead..c.span.start + first_end);
            match http::parse_message(&c.text) {
                Some(HttpMessage::Request { method, line, body, .. }) if matches!(ann, None | Some("request")) => {
                    let written = c.text.get(line.clone()).unwrap_or("");
                    let raw = written.split_once(' ').map_or("", |(_, r)| r);
                    let (target, version) = target(raw);
                    let template = http::parse_path(&target).template;
                    let host = http::parse_path(raw.trim()).host;
                    let span = Span::new(file, c.span.start + line.start..c.span.start + line.end);
                    out.push(ExchangeFact {
                        method: method.to_ascii_uppercase(),
                        target,
                        template,
                        version,
                        host,
                        annotated: ann == Some("request"),
                        headers: headers(&c.text[line.end.min(c.text.len())..]),
                        body: body.map(|b| b.text.replace("\r\n", "\n")),
                        span,
                        response: None,
                    });
                }
                Some(HttpMessage::Response { status, body }) if matches!(ann, None | Some("response")) => {
                    let Some(last) = out.last_mut().filter(|e| e.response.is_none()) else {
                        continue;
                    };
                    let a = c.annotation.as_ref();
                    last.response = Some(ResponseFact {
                        status,
                        headers: headers(&c.text[first_end..]),
                        body: body.map(|b| b.text.replace("\r\n", "\n")),
                        odata_type: a.and_then(|a| a.odata_type.clone()),
                        is_collection: a.is_some_and(|a| a.is_collection),
                        span: line_span,
                    });
                }
                _ => {}
            }
        }
    }
    out
}

/// `https://graph.microsoft.com/v1.0/me/x?$top=1 HTTP/1.1` →
/// (`/me/x?$top=1`, `v1.0`): the target as written, minus scheme, host and
/// version segment.
pub fn target(raw: &str) -> (String, Option<String>) {
    let raw = raw.trim();
    let raw = raw.rsplit_once(" HTTP/").map_or(raw, |(p, _)| p.trim());
    let parsed = http::parse_path(raw);
    let mut rest = raw;
    for scheme in ["https://", "http://"] {
        if let Some(r) = raw.strip_prefix(scheme) {
            rest = r.find('/').map_or("", |i| &r[i..]);
        }
    }
    let mut t = rest.to_owned();
    if !t.starts_with('/') {
        t.insert(0, '/');
    }
    if let Some(v) = &parsed.api_version {
        let prefix = format!("/{v}");
        if t.starts_with(&prefix) && t[prefix.len()..].chars().next().is_none_or(|c| c == '/' || c == '?') {
            t.replace_range(..prefix.len(), "");
            if !t.starts_with('/') {
                t.insert(0, '/');
            }
        }
    }
    (t, parsed.api_version)
}

/// `Name: value` lines up to the first blank line or the body.
fn headers(after_first_line: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in after_first_line.lines().map(str::trim) {
        if line.is_empty() && !out.is_empty() {
            break;
        }
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            break;
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            break;
        }
        out.push((name.to_owned(), value.trim().to_owned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceDb};

    fn exchanges(text: &str) -> Vec<ExchangeFact> {
        let db = SourceDb::from_pages([("api/page.md", text.as_bytes().to_vec())]);
        let page = crate::parse::parse_page(FileId(0), &db.file(FileId(0)).text, &mut Vec::new());
        read(&page)
    }

    #[test]
    fn targets() {
        assert_eq!(
            target("https://graph.microsoft.com/v1.0/me/assignLicense?$select=id"),
            ("/me/assignLicense?$select=id".into(), Some("v1.0".into()))
        );
        assert_eq!(target("/beta/me HTTP/1.1"), ("/me".into(), Some("beta".into())));
        assert_eq!(target("me/events"), ("/me/events".into(), None));
        assert_eq!(
            target("https://graph.microsoft.com/v1.0"),
            ("/".into(), Some("v1.0".into()))
        );
    }

    #[test]
    fn request_and_response_pair_in_order() {
        let page = "# user: assignLicense\n\n## HTTP request\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nPOST /users/{id}/assignLicense\n```\n\n## Example\n### Request\n<!-- {\n  \"blockType\": \"request\",\n  \"name\": \"x\"\n}-->\n```http\nPOST https://graph.microsoft.com/v1.0/me/assignLicense?$select=id\nContent-type: application/json\nContent-length: 12\n\n{\"a\": 1}\n```\n### Response\n<!-- {\n  \"blockType\": \"response\",\n  \"truncated\": true,\n  \"@odata.type\": \"microsoft.graph.user\",\n  \"isCollection\": true\n} -->\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{\"value\": []}\n```\n\n<!-- { \"blockType\": \"request\" } -->\n```http\nGET https://graph.microsoft.com/v1.0/me\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 204 No Content\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 200 OK\n```\n";
        let x = exchanges(page);
        assert_eq!(x.len(), 2);
        assert_eq!(x[0].method, "POST");
        assert_eq!(x[0].target, "/me/assignLicense?$select=id");
        assert_eq!(x[0].template, "/me/assignLicense");
        assert_eq!(x[0].version.as_deref(), Some("v1.0"));
        assert_eq!(
            x[0].headers,
            [
                ("Content-type".to_owned(), "application/json".to_owned()),
                ("Content-length".to_owned(), "12".to_owned())
            ]
        );
        assert_eq!(x[0].body.as_deref(), Some("{\"a\": 1}"));
        let r = x[0].response.as_ref().unwrap();
        assert_eq!((r.status, r.is_collection), (200, true));
        assert_eq!(r.odata_type.as_deref(), Some("microsoft.graph.user"));
        assert_eq!(r.body.as_deref(), Some("{\"value\": []}"));
        assert_eq!(r.headers.len(), 1);
        // The second response after a paired request belongs to nobody.
        assert_eq!(x[1].response.as_ref().map(|r| r.status), Some(204));
        assert_eq!(x[1].body, None);
    }

    #[test]
    fn bad_blocks_do_not_panic() {
        for page in [
            "## Example\n<!-- { \"blockType\": \"request\" } -->\n```http\nGET\n```\n",
            "## Example\n```http\nHTTP/1.1 200 OK\n```\n",
            "## Example\n<!-- { \"blockType\": \"request\" } -->\n```http\nGET https://\n```\n",
            "## Example\n```http\nPOST /x\n\u{e9}: \u{e9}\n```\n",
        ] {
            let _ = exchanges(page);
        }
    }
}
