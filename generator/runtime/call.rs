//! [`Operation`], [`Call`] and the two sans-IO steps.

use super::body::{RequestBody, ResponseBody};
use super::error::{BuildError, GraphError};
use super::query::{Headers, Query};
use crate::support::{Endpoint, Method};

/// One documented Graph operation, as a type: what its body and its result
/// are, and the docs' facts about it. Implemented by the generated unit types
/// in [`crate::operations`]; a [`Call`] is one request of it.
pub trait Operation: Sized {
    /// The request body: a model type, a generated parameter struct,
    /// [`Patch`](super::Patch) of a model, [`Bytes`](super::Bytes), or
    /// [`NoBody`](super::NoBody).
    type Body: RequestBody;
    /// What a successful response decodes into: a model type,
    /// [`Collection`](crate::Collection) of one, `()` for no content,
    /// [`Bytes`](super::Bytes) for raw content, or `serde_json::Value` where
    /// the docs name no type.
    type Output: ResponseBody;
    /// Method, path template, success status, permissions and provenance.
    const ENDPOINT: &'static Endpoint;

    /// Parses a response to this operation: the typed result for a 2xx
    /// status, otherwise a [`GraphError`]. Never panics, whatever the bytes.
    fn parse_response(response: http::Response<Vec<u8>>) -> Result<Self::Output, GraphError> {
        let (parts, body) = response.into_parts();
        parse(parts.status, &parts.headers, &body)
    }
}

/// The sans-IO response step shared by every operation.
pub(crate) fn parse<T: ResponseBody>(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<T, GraphError> {
    if !status.is_success() {
        return Err(GraphError::from_error_response(status, headers, body));
    }
    T::decode(status, headers, body)
}

/// Where requests go: scheme, host and version root. Paths are never baked
/// with a host, so national clouds and `beta` are configuration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// The global service, v1.0: `https://graph.microsoft.com/v1.0`.
    pub const GLOBAL: &'static str = "https://graph.microsoft.com";
    /// Microsoft Graph for US Government L4.
    pub const US_GOV: &'static str = "https://graph.microsoft.us";
    /// Microsoft Graph for US Government L5 (DOD).
    pub const US_GOV_DOD: &'static str = "https://dod-graph.microsoft.us";
    /// Microsoft Graph China operated by 21Vianet.
    pub const CHINA: &'static str = "https://microsoftgraph.chinacloudapi.cn";

    /// A root from a host (`https://graph.microsoft.us`) and a version
    /// (`v1.0`, `beta`); trailing slashes are dropped.
    pub fn new(host: &str, version: &str) -> Self {
        let host = host.trim_end_matches('/');
        let version = version.trim_matches('/');
        if version.is_empty() {
            BaseUrl(host.to_owned())
        } else {
            BaseUrl(format!("{host}/{version}"))
        }
    }

    /// The root as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl::new(Self::GLOBAL, "v1.0")
    }
}

/// One request of operation `O`: its filled path, query options, extra
/// headers and body. Built by `O`'s request-line constructors; typed query
/// setters come from the option traits (`Select`, `Filter`, …) that `O`
/// implements, per its docs.
pub struct Call<O: Operation> {
    /// Path with every hole filled and percent-encoded; no host, version or
    /// query. An absolute URL when the call follows a server link.
    pub(crate) path: String,
    pub(crate) query: Query,
    pub(crate) headers: Headers,
    pub(crate) body: O::Body,
}

impl<O: Operation> Call<O> {
    #[doc(hidden)]
    /// Used by the generated constructors.
    pub fn from_parts(path: String, body: O::Body) -> Self {
        Call {
            path,
            query: Query::default(),
            headers: Headers::default(),
            body,
        }
    }

    /// The HTTP method the docs give.
    pub fn method(&self) -> Method {
        O::ENDPOINT.method
    }

    /// The filled, percent-encoded path (relative to the [`BaseUrl`]).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query options set so far.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// The headers set so far (other than `Authorization`, which the
    /// transport adds, and `Content-Type`, which the body decides).
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The request body.
    pub fn body(&self) -> &O::Body {
        &self.body
    }

    /// The request body, to change it after construction.
    pub fn body_mut(&mut self) -> &mut O::Body {
        &mut self.body
    }

    /// Escape hatch: any query parameter, encoded like the typed ones.
    pub fn query_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push(name.into(), value.into());
        self
    }

    /// Any request header (`ConsistencyLevel`, `Prefer`, `If-Match`, …);
    /// a second value for the same name replaces the first.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.set(name.into(), value.into());
        self
    }

    /// The path and query as sent, relative to the base URL (or absolute,
    /// for a server link).
    pub fn target(&self) -> String {
        let mut out = self.path.clone();
        self.query.write_to(&mut out);
        out
    }

    /// The sans-IO request step: method, URL under `base`, headers and the
    /// encoded body.
    pub fn to_request(&self, base: &BaseUrl) -> Result<http::Request<Vec<u8>>, BuildError> {
        let body = self.body.encode().map_err(BuildError::Body)?;
        build_request(base, O::ENDPOINT.method, &self.target(), &self.headers, body)
    }
}

/// [`Call::to_request`] once the body is encoded: not generic, so that it
/// is compiled once, not once per operation.
fn build_request(
    base: &BaseUrl,
    method: Method,
    target: &str,
    headers: &Headers,
    body: Option<(Vec<u8>, &'static str)>,
) -> Result<http::Request<Vec<u8>>, BuildError> {
    let url = if target.starts_with("https://") || target.starts_with("http://") {
        target.to_owned()
    } else {
        format!("{}{}", base.as_str(), target)
    };
    let mut builder = http::Request::builder().method(http_method(method)).uri(&url);
    for (name, value) in headers.iter() {
        builder = builder.header(name, value);
    }
    let body = match body {
        Some((bytes, content_type)) => {
            if !headers.contains("content-type") {
                builder = builder.header(http::header::CONTENT_TYPE, content_type);
            }
            bytes
        }
        None => Vec::new(),
    };
    builder.body(body).map_err(|e| BuildError::Http {
        url,
        message: e.to_string(),
    })
}

fn http_method(m: Method) -> http::Method {
    match m {
        Method::Get => http::Method::GET,
        Method::Post => http::Method::POST,
        Method::Put => http::Method::PUT,
        Method::Patch => http::Method::PATCH,
        Method::Delete => http::Method::DELETE,
    }
}

impl<O: Operation> Clone for Call<O>
where
    O::Body: Clone,
{
    fn clone(&self) -> Self {
        Call {
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
        }
    }
}

impl<O: Operation> std::fmt::Debug for Call<O>
where
    O::Body: std::fmt::Debug,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("operation", &O::ENDPOINT.name)
            .field("method", &O::ENDPOINT.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .finish()
    }
}

impl<O: Operation> PartialEq for Call<O>
where
    O::Body: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.query == other.query && self.headers == other.headers && self.body == other.body
    }
}
