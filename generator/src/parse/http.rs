//! The contents of an `http` example block: a request line or a status line,
//! headers, a blank line, then a body. Request paths are split into host, API
//! version segment, path template with `{parameters}`, and query string.

use super::text::{is_request_line, is_status_line};
use std::ops::Range;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RequestPath {
    /// `/users/{id}/events`: no host, no version segment, no query.
    pub template: String,
    pub params: Vec<String>,
    pub query: Option<String>,
    pub host: Option<String>,
    /// The version segment of an absolute URL (`v1.0`, `beta`, `localtest` …),
    /// or a leading `/v1.0/`/`/beta/` of a relative one.
    pub api_version: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum HttpMessage {
    Request {
        method: String,
        path: RequestPath,
        /// Byte range of the request line inside the block text.
        line: Range<usize>,
        body: Option<Body>,
    },
    Response {
        status: u16,
        body: Option<Body>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    pub text: String,
    /// Offset of the body inside the block text.
    pub offset: usize,
}

/// Every request line of a syntax block (`GET /me` and `GET /users/{id}` …).
pub fn request_lines(block: &str) -> Vec<(String, RequestPath, Range<usize>)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in block.split_inclusive('\n') {
        let t = line.trim();
        let lead = line.len() - line.trim_start().len();
        if is_request_line(t) {
            if let Some((m, rest)) = t.split_once(' ') {
                out.push((m.to_owned(), parse_path(rest), pos + lead..pos + lead + t.len()));
            }
        }
        pos += line.len();
    }
    out
}

/// Parses one example block (request or response with optional body).
pub fn parse_message(block: &str) -> Option<HttpMessage> {
    let lead = block.len() - block.trim_start().len();
    let rest = &block[lead..];
    let first_end = rest.find('\n').unwrap_or(rest.len());
    let first = rest[..first_end].trim();
    // Headers run to the first blank line; a body may also start right after
    // the headers without one (rendered pages).
    let mut pos = lead + first_end;
    let mut body = None;
    while pos < block.len() {
        let line_end = block[pos..].find('\n').map_or(block.len(), |i| pos + i + 1);
        let line = block[pos..line_end].trim();
        if line.starts_with('{') || line.starts_with('[') || (line.is_empty() && pos > lead + first_end) {
            let b = block[pos..].trim();
            if !b.is_empty() {
                let offset = pos + (block[pos..].len() - block[pos..].trim_start().len());
                body = Some(Body {
                    text: b.to_owned(),
                    offset,
                });
            }
            break;
        }
        pos = line_end;
    }
    if is_status_line(first) {
        let status = first.split_whitespace().nth(1)?.parse().ok()?;
        return Some(HttpMessage::Response { status, body });
    }
    if is_request_line(first) {
        let (m, path) = first.split_once(' ')?;
        return Some(HttpMessage::Request {
            method: m.to_owned(),
            path: parse_path(path),
            line: lead..lead + first.len(),
            body,
        });
    }
    None
}

/// Splits a request target into its parts.
pub fn parse_path(raw: &str) -> RequestPath {
    // Drop a trailing ` HTTP/1.1`, if any.
    let raw = raw.trim();
    let raw = match raw.rsplit_once(" HTTP/") {
        Some((p, _)) => p.trim(),
        None => raw,
    };
    let (mut host, mut path) = (None, raw.to_owned());
    for scheme in ["https://", "http://"] {
        if let Some(rest) = raw.strip_prefix(scheme) {
            let (h, p) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            host = Some(h.to_owned());
            path = p.to_owned();
        }
    }
    let (path, query) = split_query(&path);
    let mut path = path.to_owned();
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    let mut api_version = None;
    let first = path[1..].split('/').next().unwrap_or("").to_owned();
    let is_version = |s: &str| {
        let l = s.to_ascii_lowercase();
        l == "beta" || (l.starts_with('v') && l[1..].chars().next().is_some_and(|c| c.is_ascii_digit()))
    };
    if (host.is_some() && !first.is_empty() && !first.contains('{') && !first.contains('(') && path[1..].contains('/'))
        || is_version(&first)
    {
        api_version = Some(first.clone());
        path = path[1 + first.len()..].to_owned();
        if path.is_empty() {
            path.push('/');
        }
    }
    let (template, params) = normalise_params(&placeholders_as_holes(&path));
    RequestPath {
        template,
        params,
        query: query.map(str::to_owned),
        host,
        api_version,
    }
}

/// The query starts at the first `?` outside braces and quotes.
fn split_query(path: &str) -> (&str, Option<&str>) {
    let mut depth = 0i32;
    for (i, c) in path.char_indices() {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' => depth -= 1,
            '?' if depth <= 0 => return (&path[..i], Some(&path[i + 1..])),
            _ => {}
        }
    }
    (path, None)
}

regex!(angled_re, r"<([A-Za-z][A-Za-z0-9_-]*)>");
regex!(
    guid_segment_re,
    r"(?i)(^|/)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(/|$)"
);

/// Placeholders written other than `{…}` become holes: `<address>` →
/// `{address}`, and a segment that is a literal GUID (an example id pasted
/// into a request line, `/education/classes/acdefc6b-…/assignments`) →
/// `{id}`, which the hole naming then names after its segment.
fn placeholders_as_holes(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.contains('<') && !path.contains('-') {
        return path.into();
    }
    let angled = angled_re().replace_all(path, "{$1}");
    let guid = guid_segment_re();
    // Twice: adjacent GUID segments share the `/` between them.
    let once = guid.replace_all(&angled, "$1{id}$2").into_owned();
    guid.replace_all(&once, "$1{id}$2").into_owned().into()
}

/// `{ id |  userPrincipalName }` → `{id | userPrincipalName}`: every form the
/// docs give stays (the hole naming reads them); the first names the
/// parameter. Collects parameter names in order.
fn normalise_params(path: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(path.len());
    let mut params = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        let forms: Vec<&str> = inner.split('|').map(str::trim).collect();
        let name = forms[0].to_owned();
        out.push('{');
        out.push_str(&forms.join(" | "));
        out.push('}');
        if !name.is_empty() && !params.contains(&name) {
            params.push(name);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    (out, params)
}

/// The number of segments [`matches_template`] compares: a template fits
/// only a path of as many.
pub fn segment_count(path: &str) -> usize {
    path.trim_end_matches('/').split('/').count()
}

/// Whether an example path fits a template: literal segments equal (ASCII
/// case-insensitively), `{param}` segments match anything non-empty.
pub fn matches_template(template: &str, path: &str) -> bool {
    // Segment by segment, stopping at the first that differs: lowering asks
    // this of every orphan example against every request line.
    let mut t = template.trim_end_matches('/').split('/');
    let mut p = path.trim_end_matches('/').split('/');
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(t), Some(p)) => {
                let fits = match t.find('{') {
                    Some(open) => p.get(..open).is_some_and(|h| h.eq_ignore_ascii_case(&t[..open])),
                    None => t.eq_ignore_ascii_case(p),
                };
                if !fits {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_other_than_braces_are_holes() {
        assert_eq!(
            parse_path("/ws/{id}/range(address='<address>')").template,
            "/ws/{id}/range(address='{address}')"
        );
        let p = parse_path("/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments/cf6005fc-9e13-44a2-a6ac-a53322006454/x");
        assert_eq!(p.template, "/education/classes/{id}/assignments/{id}/x");
        assert_eq!(
            parse_path("/users/{ id |  userPrincipalName }").template,
            "/users/{id | userPrincipalName}"
        );
        assert_eq!(parse_path("/users/{ id |  userPrincipalName }").params, vec!["id"]);
    }

    #[test]
    fn absolute_url_version_recorded() {
        let p = parse_path("https://graph.microsoft.com/localtest/deviceManagement/x/{xId}/y?$top=1");
        assert_eq!(p.template, "/deviceManagement/x/{xId}/y");
        assert_eq!(p.api_version.as_deref(), Some("localtest"));
        assert_eq!(p.host.as_deref(), Some("graph.microsoft.com"));
        assert_eq!(p.query.as_deref(), Some("$top=1"));
        assert_eq!(p.params, vec!["xId"]);
    }

    #[test]
    fn relative_and_alternate_keys() {
        let p = parse_path("/users/{id | userPrincipalName}/events/$ref");
        assert_eq!(p.template, "/users/{id | userPrincipalName}/events/$ref");
        assert_eq!(p.api_version, None);
        let p = parse_path("/beta/me");
        assert_eq!((p.template.as_str(), p.api_version.as_deref()), ("/me", Some("beta")));
        assert!(matches_template("/a/{id}/b", "/a/{aId}/b"));
        assert!(!matches_template("/a/{id}/b/$ref", "/a/123/b"));
    }

    #[test]
    fn message() {
        let m = parse_message("HTTP/1.1 201 Created\nContent-Type: application/json\n\n{\"a\":1}\n").unwrap();
        let HttpMessage::Response { status, body } = m else {
            panic!()
        };
        assert_eq!(status, 201);
        assert_eq!(body.unwrap().text, "{\"a\":1}");
        let m = parse_message("POST /x\nContent-type: application/json\n{\"a\":1}").unwrap();
        assert!(matches!(m, HttpMessage::Request { body: Some(_), .. }));
    }
}

#[cfg(test)]
mod regressions {
    #[test]
    fn non_ascii_segments_do_not_panic() {
        assert!(!super::matches_template("/ab{id}", "/é"));
        assert!(super::matches_template("/x{id}", "/xé"));
    }

    /// The segment lists compared whole, as `matches_template` once did.
    fn by_lists(template: &str, path: &str) -> bool {
        let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
        let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        t.len() == p.len()
            && t.iter().zip(&p).all(|(t, p)| {
                if t.contains('{') {
                    let prefix = &t[..t.find('{').unwrap_or(0)];
                    p.get(..prefix.len()).is_some_and(|h| h.eq_ignore_ascii_case(prefix))
                } else {
                    t.eq_ignore_ascii_case(p)
                }
            })
    }

    proptest::proptest! {
        #[test]
        fn segment_by_segment_is_the_list_comparison(t in "(/|[aAb]|é|\\{x\\}){0,10}", p in "(/|[aAb]|é|\\{x\\}){0,10}") {
            proptest::prop_assert_eq!(super::matches_template(&t, &p), by_lists(&t, &p));
            // Lowering looks a path up among the lines of its segment count.
            if super::matches_template(&t, &p) {
                proptest::prop_assert_eq!(super::segment_count(&t), super::segment_count(&p));
            }
        }
    }
}
