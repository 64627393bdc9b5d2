//! The docs as a Graph mock (feature `mock`): a replay server of the
//! reference pages' request/response example pairs, on 127.0.0.1.
//!
//! A request that matches an example's method, path (percent-decoded, the
//! version segment and ASCII case aside, `{…}` placeholders of the example
//! taking any value), query (decoded pairs in any order) and body (JSON by
//! value) gets the documented status, headers and body, and an
//! `x-mock-example` header naming the example (`api/user-get.md:83:1`).
//! Anything else gets a Graph-shaped error: 404 when no example has that
//! method and path, else 400, saying which example came closest and why it
//! differs. Several examples may match one request: the one a request's
//! `x-mock-example` header names wins, then a scripted [`Exchange::once`]
//! step, then one with a documented response, then one whose request
//! headers (`Prefer`, `ConsistencyLevel`, …) the request carries, then an
//! exact path over a `{…}` placeholder, then the first.
//!
//! ```
//! use generated::runtime::mock::{Exchange, Exchanges, MockServer};
//!
//! let docs = Exchanges::documented(); // every example pair of the docs
//! assert!(docs.len() > 2000);
//! let server = MockServer::start(docs.with(Exchange::json("GET", "/me/extra", 200, r#"{"ok": true}"#))).unwrap();
//! println!("Graph mock at {}", server.base_url().as_str()); // http://127.0.0.1:PORT/v1.0
//! ```
//!
//! [`Mock::respond`] is the same server without a socket: a request in, the
//! response out.

use super::batch::MAX_BATCH_ITEMS;
use super::call::BaseUrl;
pub use super::mock_faults::{
    FaultRecord, FaultReport, FaultRoute, Faults, FAULTS_VAR, FAULT_HEADER, RETRY_AFTER_VAR, SEED_VAR,
};
use super::mock_faults::Injector;
use super::mock_match::{fit_body, fit_headers, fit_path, fit_query, parse_target, query_distance, PathFit, Target};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Graph's host as the docs write it; a running server rewrites it in
/// answers to its own address, so links lead back to the mock.
pub const GRAPH_ORIGIN: &str = "https://graph.microsoft.com";

/// The header naming the example that answered (and, on a request, the one
/// to prefer when several match).
pub const EXAMPLE_HEADER: &str = "x-mock-example";

/// One documented request/response pair (the IR's `exchanges` entries).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Exchange {
    /// The operation's title (from the endpoint the example belongs to).
    #[serde(default)]
    pub endpoint: String,
    pub request: ExampleRequest,
    /// `None` when the docs give no response after the request.
    #[serde(default)]
    pub response: Option<ExampleResponse>,
    /// Where the request is written: `api/user-get.md:83:1`.
    #[serde(default)]
    pub source: String,
    /// Answered once only: later requests go to the next matching example
    /// (scripted sequences: 429 then 200).
    #[serde(skip)]
    pub once: bool,
}

/// An example request as the docs write it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExampleRequest {
    pub method: String,
    /// Path and query as written, without host and version
    /// (`/me/messages?$select=subject`).
    pub target: String,
    /// The version segment the example used (`v1.0`, `beta`).
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: Option<String>,
}

/// An example response as the docs write it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExampleResponse {
    pub status: u16,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: Option<String>,
}

impl Exchange {
    /// A scripted pair: `method target` answered with `status` and a JSON
    /// `body` (`""` for none).
    pub fn json(method: &str, target: &str, status: u16, body: &str) -> Exchange {
        let mut headers = Vec::new();
        if !body.is_empty() {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        Exchange {
            endpoint: String::new(),
            request: ExampleRequest {
                method: method.to_owned(),
                target: target.to_owned(),
                ..ExampleRequest::default()
            },
            response: Some(ExampleResponse {
                status,
                headers,
                body: (!body.is_empty()).then(|| body.to_owned()),
            }),
            source: String::new(),
            once: false,
        }
    }

    /// The request body the example expects.
    pub fn request_body(mut self, body: &str) -> Exchange {
        self.request.body = Some(body.to_owned());
        self
    }

    /// Adds a response header (replacing one of the same name).
    pub fn response_header(mut self, name: &str, value: &str) -> Exchange {
        if let Some(r) = &mut self.response {
            r.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            r.headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// Answered once, then skipped (see [`Exchange::once`]).
    pub fn once(mut self) -> Exchange {
        self.once = true;
        self
    }
}

/// A set of example pairs to serve.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exchanges {
    items: Vec<Exchange>,
}

/// The docs' pairs, written by the generator with this crate.
const DOCUMENTED: &str = include_str!("exchanges.json");

impl Exchanges {
    /// No pairs (add scripted ones with [`Exchanges::with`]).
    pub fn new() -> Exchanges {
        Exchanges::default()
    }

    /// Every example pair of the docs this crate was generated from.
    pub fn documented() -> Exchanges {
        // The generator wrote this file with the crate; a test reads it.
        Exchanges::from_ir_json(DOCUMENTED).unwrap_or_default()
    }

    /// The pairs of an IR file (`cargo xtask codegen --emit-ir FILE`): every
    /// endpoint's `exchanges`, each named after its endpoint.
    pub fn from_ir_json(text: &str) -> Result<Exchanges, serde_json::Error> {
        #[derive(Deserialize)]
        struct Ir {
            #[serde(default)]
            endpoints: Vec<Endpoint>,
        }
        #[derive(Deserialize)]
        struct Endpoint {
            #[serde(default)]
            name: String,
            #[serde(default)]
            exchanges: Vec<Exchange>,
        }
        let ir: Ir = serde_json::from_str(text)?;
        let mut out = Exchanges::new();
        for e in ir.endpoints {
            for mut x in e.exchanges {
                x.endpoint = e.name.clone();
                out.push(x);
            }
        }
        Ok(out)
    }

    /// Adds `exchange` after the others (a scripted one without a source is
    /// named `scripted:N`).
    pub fn push(&mut self, mut exchange: Exchange) {
        if exchange.source.is_empty() {
            exchange.source = format!("scripted:{}", self.items.len() + 1);
        }
        self.items.push(exchange);
    }

    /// `self` with `exchange` added.
    pub fn with(mut self, exchange: Exchange) -> Exchanges {
        self.push(exchange);
        self
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Exchange> {
        self.items.iter()
    }
}

/// What the server saw of one request, and who answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    pub method: String,
    /// Decoded path segments, the version segment removed, joined by `/`.
    pub path: String,
    /// Decoded query pairs, names lowercased, in request order.
    pub query: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub status: u16,
    /// The source of the example that answered, if one did.
    pub example: Option<String>,
}

/// At most this many requests are remembered.
const SEEN_LIMIT: usize = 100_000;

struct Compiled {
    exchange: Exchange,
    target: Target,
    body_json: Option<Value>,
    used: AtomicBool,
}

/// The matcher and answerer, without a socket.
pub struct Mock {
    compiled: Vec<Compiled>,
    rewrite_to: Option<String>,
    seen: Mutex<Vec<Seen>>,
    faults: Option<Injector>,
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mock")
            .field("exchanges", &self.compiled.len())
            .field("rewrite_to", &self.rewrite_to)
            .finish_non_exhaustive()
    }
}

/// One example's fit to a request.
struct Fit<'a> {
    at: usize,
    c: &'a Compiled,
    method: bool,
    path: PathFit,
    query: Result<(), String>,
    /// Query names one side has and the other not.
    query_distance: usize,
    body: Result<(), String>,
}

impl Fit<'_> {
    fn full(&self) -> bool {
        self.method && !matches!(self.path, PathFit::No { .. }) && self.query.is_ok() && self.body.is_ok()
    }

    /// Closeness: path, method, query, body, then agreeing segments, then
    /// query names in common.
    fn rank(&self) -> (bool, bool, bool, bool, usize, std::cmp::Reverse<usize>) {
        let agree = match &self.path {
            PathFit::No { agree, .. } => *agree,
            _ => usize::MAX,
        };
        let path = !matches!(self.path, PathFit::No { .. });
        (
            path,
            self.method,
            self.query.is_ok(),
            self.body.is_ok(),
            agree,
            std::cmp::Reverse(self.query_distance),
        )
    }

    fn differences(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.method {
            out.push(format!(
                "method: the example is {}",
                self.c.exchange.request.method.to_ascii_uppercase()
            ));
        }
        if let PathFit::No { why, .. } = &self.path {
            out.push(why.clone());
        }
        for e in [&self.query, &self.body].into_iter().filter_map(|r| r.as_ref().err()) {
            if !e.is_empty() {
                out.push(e.clone());
            }
        }
        out
    }
}

impl Mock {
    /// A mock of `exchanges`; links in answers are left as written.
    pub fn new(exchanges: Exchanges) -> Mock {
        let compiled = exchanges
            .items
            .into_iter()
            .map(|exchange| {
                let target = parse_target(&exchange.request.target, true);
                let body_json = exchange
                    .request
                    .body
                    .as_deref()
                    .filter(|b| !b.trim().is_empty())
                    .and_then(|b| serde_json::from_str(b).ok());
                Compiled {
                    exchange,
                    target,
                    body_json,
                    used: AtomicBool::new(false),
                }
            })
            .collect();
        Mock {
            compiled,
            rewrite_to: None,
            seen: Mutex::new(Vec::new()),
            faults: None,
        }
    }

    /// Answers with `https://graph.microsoft.com` replaced by `origin`
    /// (`http://127.0.0.1:PORT`) in bodies and headers, so next links,
    /// `Location` and `@odata.id` lead back to the mock.
    pub fn rewrite_links_to(mut self, origin: impl Into<String>) -> Mock {
        self.rewrite_to = Some(origin.into().trim_end_matches('/').to_owned());
        self
    }

    /// Answers a seeded share of requests with an injected `429`, `503` or
    /// `504` and `Retry-After` instead of their example, and records when
    /// each retry arrives (see [`Faults`]).
    pub fn with_faults(mut self, faults: Faults) -> Mock {
        self.faults = Some(Injector::new(faults));
        self
    }

    /// What the fault injection came to so far (`None`: no faults).
    pub fn fault_report(&self) -> Option<FaultReport> {
        self.faults.as_ref().map(Injector::report)
    }

    /// Every injected fault so far, oldest first.
    pub fn fault_records(&self) -> Vec<FaultRecord> {
        self.faults.as_ref().map(Injector::records).unwrap_or_default()
    }

    /// The number of example pairs.
    pub fn len(&self) -> usize {
        self.compiled.len()
    }

    pub fn is_empty(&self) -> bool {
        self.compiled.is_empty()
    }

    /// The answer to `request`: the matching example's response, or a
    /// Graph-shaped 404/400 error naming the closest example. `POST
    /// /$batch` is answered item by item, each as it would be alone
    /// ([`Mock::respond_batch`]).
    pub fn respond(&self, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        let raw = request
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned());
        let target = parse_target(&raw, true);
        if request.method() == http::Method::POST && target.segments.len() == 1 && target.segments[0] == "$batch" {
            // Faults go to the items, each a request of its own.
            let response = self.respond_batch(request.body());
            self.remember("POST", &target, request.body(), &response);
            return response;
        }
        if let Some(r) = self.fault(request.method().as_str(), &raw, &target, request.body()) {
            return r;
        }
        self.respond_to(
            request.method().as_str(),
            &target,
            &request.uri().to_string(),
            request.headers(),
            request.body(),
        )
    }

    /// The injected fault answering this request, if it is faulted.
    fn fault(&self, method: &str, raw: &str, target: &Target, body: &[u8]) -> Option<http::Response<Vec<u8>>> {
        let faults = self.faults.as_ref()?;
        let r = faults.check(method, raw, &target.segments, body, std::time::Instant::now())?;
        self.remember(method, target, body, &r);
        Some(r)
    }

    /// One request, its target parsed; `shown` is how an error names it.
    fn respond_to(
        &self,
        method: &str,
        target: &Target,
        shown: &str,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> http::Response<Vec<u8>> {
        let request_json = serde_json::from_slice::<Value>(body).ok();
        let fit_rest = |f: &mut Fit| {
            f.query = fit_query(&f.c.target.query, &target.query);
            f.query_distance = query_distance(&f.c.target.query, &target.query);
            f.body = fit_body(
                f.c.exchange.request.body.as_deref(),
                f.c.body_json.as_ref(),
                body,
                request_json.as_ref(),
            );
        };
        // Query and body only where the path fits: most examples differ there.
        let mut fits: Vec<Fit> = self
            .compiled
            .iter()
            .enumerate()
            .filter(|(_, c)| !(c.exchange.once && c.used.load(Ordering::SeqCst)))
            .map(|(at, c)| {
                let mut f = Fit {
                    at,
                    c,
                    method: c.exchange.request.method.eq_ignore_ascii_case(method),
                    path: fit_path(&c.target.segments, &target.segments),
                    query: Err(String::new()),
                    query_distance: usize::MAX,
                    body: Err(String::new()),
                };
                if !matches!(f.path, PathFit::No { .. }) {
                    fit_rest(&mut f);
                }
                f
            })
            .collect();
        let preferred = headers.get(EXAMPLE_HEADER).and_then(|v| v.to_str().ok());
        let chosen = fits.iter().enumerate().filter(|(_, f)| f.full()).min_by_key(|(_, f)| {
            let x = &f.c.exchange;
            let named = preferred.is_some_and(|p| p == x.source);
            (
                !named,
                !x.once,
                x.response.is_none(),
                !fit_headers(&x.request.headers, headers),
                f.path != PathFit::Exact,
                f.at,
            )
        });
        let chosen = chosen.map(|(i, _)| i);
        if chosen.is_none() {
            // The closest example's message says everything that differs.
            if let Some(best) = fits.iter_mut().max_by_key(|f| (f.rank(), std::cmp::Reverse(f.at))) {
                if matches!(best.path, PathFit::No { .. }) {
                    fit_rest(best);
                }
            }
        }
        let response = match chosen.map(|i| &fits[i]) {
            Some(f) => {
                if f.c.exchange.once {
                    f.c.used.store(true, Ordering::SeqCst);
                }
                self.answer(&f.c.exchange)
            }
            None => self.no_match(method, shown, &fits),
        };
        self.remember(method, target, body, &response);
        response
    }

    /// The answer to a `$batch` body: each request replayed as if it came
    /// alone (method, URL relative to the version root, headers, body: JSON,
    /// or base64 under another content type), in request order; one whose
    /// `dependsOn` names a request not answered with 2xx gets `424 Failed
    /// Dependency`, as Graph answers. A body that is no batch, more than 20
    /// requests, a duplicate or empty id are a `400` for the whole batch, as
    /// Graph answers them.
    pub fn respond_batch(&self, body: &[u8]) -> http::Response<Vec<u8>> {
        let bad = |message: &str| error(http::StatusCode::BAD_REQUEST, "BadRequest", message, json!({}));
        let Ok(root) = serde_json::from_slice::<Value>(body) else {
            return bad("Invalid batch payload format: the body is not JSON.");
        };
        let Some(requests) = root.get("requests").and_then(Value::as_array) else {
            return bad("Invalid batch payload format: no `requests` array.");
        };
        if requests.len() > MAX_BATCH_ITEMS {
            return bad(&format!(
                "The batch has {} requests; the limit is {MAX_BATCH_ITEMS}.",
                requests.len()
            ));
        }
        let mut answered: Vec<(String, u16)> = Vec::new();
        let mut responses = Vec::new();
        for (i, r) in requests.iter().enumerate() {
            let text = |k: &str| {
                r.get(k)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
            };
            let (Some(id), Some(method), Some(url)) = (text("id"), text("method"), text("url")) else {
                return bad(&format!("Request {i} of the batch lacks an `id`, `method` or `url`."));
            };
            if answered.iter().any(|(a, _)| a == id) {
                return bad(&format!("The batch has two requests with id `{id}`."));
            }
            let failed = r
                .get("dependsOn")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .find(|d| !answered.iter().any(|(a, s)| a == d && (200..300).contains(s)));
            let response = match failed {
                Some(d) => error(
                    http::StatusCode::FAILED_DEPENDENCY,
                    "FailedDependency",
                    &format!("request `{d}`, which this one depends on, did not succeed"),
                    json!({}),
                ),
                None => self.batch_item(method, url, r),
            };
            answered.push((id.to_owned(), response.status().as_u16()));
            responses.push(batch_item_json(id, response));
        }
        let mut response = http::Response::new(json!({ "responses": responses }).to_string().into_bytes());
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        response
    }

    /// One item of a batch, replayed through the single-request matcher.
    fn batch_item(&self, method: &str, url: &str, item: &Value) -> http::Response<Vec<u8>> {
        let mut headers = http::HeaderMap::new();
        if let Some(Value::Object(h)) = item.get("headers") {
            for (name, value) in h {
                let value = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
                if let (Ok(n), Ok(v)) = (
                    http::HeaderName::try_from(name.as_str()),
                    http::HeaderValue::try_from(value),
                ) {
                    headers.append(n, v);
                }
            }
        }
        let json_content = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|c| c.to_ascii_lowercase().contains("json"));
        let body = match item.get("body") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) if !json_content => {
                super::batch::base64_decode(s).unwrap_or_else(|| s.clone().into_bytes())
            }
            Some(v) => v.to_string().into_bytes(),
        };
        let relative = if url.starts_with('/') {
            url.to_owned()
        } else {
            format!("/{url}")
        };
        let target = parse_target(&relative, true);
        if target.segments.first().is_some_and(|s| s == "$batch") {
            return error(
                http::StatusCode::BAD_REQUEST,
                "BadRequest",
                "a batch request cannot contain another batch",
                json!({}),
            );
        }
        let method = method.to_ascii_uppercase();
        if let Some(r) = self.fault(&method, &relative, &target, &body) {
            return r;
        }
        self.respond_to(&method, &target, &relative, &headers, &body)
    }

    /// The requests answered so far (at most 100,000), oldest first.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn remember(&self, method: &str, target: &Target, body: &[u8], response: &http::Response<Vec<u8>>) {
        if let Ok(mut seen) = self.seen.lock() {
            if seen.len() < SEEN_LIMIT {
                seen.push(Seen {
                    method: method.to_owned(),
                    path: target.segments.join("/"),
                    query: target.query.clone(),
                    body: body.to_vec(),
                    status: response.status().as_u16(),
                    example: response
                        .headers()
                        .get(EXAMPLE_HEADER)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned),
                });
            }
        }
    }

    fn rewrite(&self, text: &str) -> String {
        match &self.rewrite_to {
            Some(origin) => text.replace(GRAPH_ORIGIN, origin),
            None => text.to_owned(),
        }
    }

    /// The documented response of `x`, as it goes on the wire.
    fn answer(&self, x: &Exchange) -> http::Response<Vec<u8>> {
        let Some(r) = &x.response else {
            return error(
                http::StatusCode::NOT_IMPLEMENTED,
                "NoDocumentedResponse",
                &format!("the example at {} has no response in the docs", x.source),
                json!({ "example": x.source }),
            );
        };
        let status = http::StatusCode::from_u16(r.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = http::Response::builder().status(status);
        for (name, value) in &r.headers {
            // The docs' lengths are often wrong, and framing is the server's.
            let framing = ["content-length", "transfer-encoding", "connection"]
                .iter()
                .any(|h| name.eq_ignore_ascii_case(h));
            let name = http::HeaderName::try_from(name.trim());
            let value = http::HeaderValue::try_from(self.rewrite(value.trim()));
            if let (false, Ok(name), Ok(value)) = (framing, name, value) {
                response = response.header(name, value);
            }
        }
        if let Ok(source) = http::HeaderValue::try_from(x.source.as_str()) {
            response = response.header(EXAMPLE_HEADER, source);
        }
        let body = r.body.as_deref().map(|b| self.rewrite(b)).unwrap_or_default();
        response.body(body.into_bytes()).unwrap_or_else(|e| {
            error(
                http::StatusCode::INTERNAL_SERVER_ERROR,
                "MockBadExample",
                &format!("the example at {} does not form a response: {e}", x.source),
                json!({ "example": x.source }),
            )
        })
    }

    fn no_match(&self, method: &str, uri: &str, fits: &[Fit]) -> http::Response<Vec<u8>> {
        let request = format!("{method} {uri}");
        let Some(best) = fits.iter().max_by_key(|f| (f.rank(), std::cmp::Reverse(f.at))) else {
            return error(
                http::StatusCode::NOT_FOUND,
                "NoMatchingExample",
                &format!("no example is loaded, so nothing answers {request}"),
                json!({}),
            );
        };
        let path_ok = !matches!(best.path, PathFit::No { .. });
        let (status, code) = if path_ok && best.method {
            (http::StatusCode::BAD_REQUEST, "RequestDiffersFromExample")
        } else {
            (http::StatusCode::NOT_FOUND, "NoMatchingExample")
        };
        let differences = best.differences();
        let x = &best.c.exchange;
        let message = format!(
            "no documented example matches {request}; the closest is {} ({} {}{}): {}",
            x.source,
            x.request.method.to_ascii_uppercase(),
            x.request.target,
            if x.endpoint.is_empty() {
                String::new()
            } else {
                format!(", \"{}\"", x.endpoint)
            },
            differences.join("; ")
        );
        error(
            status,
            code,
            &message,
            json!({
                "closest": x.source,
                "closestRequest": format!("{} {}", x.request.method.to_ascii_uppercase(), x.request.target),
                "differences": differences,
            }),
        )
    }
}

/// A batch answer's item: its status, headers (no framing) and body (JSON
/// as JSON; other content as base64, as Graph sends it).
fn batch_item_json(id: &str, response: http::Response<Vec<u8>>) -> Value {
    let (parts, body) = response.into_parts();
    let mut headers = serde_json::Map::new();
    for (name, value) in &parts.headers {
        if let Ok(v) = value.to_str() {
            headers.insert(name.as_str().to_owned(), Value::from(v));
        }
    }
    let mut item = serde_json::Map::new();
    item.insert("id".into(), id.into());
    item.insert("status".into(), parts.status.as_u16().into());
    item.insert("headers".into(), Value::Object(headers));
    if !body.iter().all(u8::is_ascii_whitespace) {
        let body = serde_json::from_slice::<Value>(&body)
            .unwrap_or_else(|_| Value::String(super::batch::base64_encode(&body)));
        item.insert("body".into(), body);
    }
    Value::Object(item)
}

/// A Graph-shaped error response.
fn error(status: http::StatusCode, code: &str, message: &str, inner: Value) -> http::Response<Vec<u8>> {
    let body = json!({ "error": { "code": code, "message": message, "innerError": inner } });
    let mut response = http::Response::new(body.to_string().into_bytes());
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

/// The largest request body the server reads.
const MAX_REQUEST_BODY: usize = 32 << 20;

/// A running replay server on 127.0.0.1, on its own thread; stops when
/// dropped.
pub struct MockServer {
    addr: SocketAddr,
    mock: Arc<Mock>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<std::sync::mpsc::Receiver<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Serves `exchanges` on an ephemeral port of 127.0.0.1, links in
    /// answers rewritten to the server.
    pub fn start(exchanges: Exchanges) -> std::io::Result<MockServer> {
        MockServer::start_on(exchanges, 0, true)
    }

    /// Serves `exchanges` on `port` of 127.0.0.1 (0: an ephemeral one);
    /// `rewrite_links`: answers name the server instead of
    /// `https://graph.microsoft.com` (off: the docs' bytes exactly).
    pub fn start_on(exchanges: Exchanges, port: u16, rewrite_links: bool) -> std::io::Result<MockServer> {
        MockServer::start_with(exchanges, port, rewrite_links, None)
    }

    /// [`MockServer::start_on`] with `faults` injected ([`Mock::with_faults`]).
    pub fn start_with(
        exchanges: Exchanges,
        port: u16,
        rewrite_links: bool,
        faults: Option<Faults>,
    ) -> std::io::Result<MockServer> {
        let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let mut mock = Mock::new(exchanges);
        if rewrite_links {
            mock = mock.rewrite_links_to(format!("http://{addr}"));
        }
        if let Some(faults) = faults {
            mock = mock.with_faults(faults);
        }
        let mock = Arc::new(mock);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let (shutdown, signal) = tokio::sync::oneshot::channel::<()>();
        let (done_tx, done) = std::sync::mpsc::channel();
        let state = mock.clone();
        std::thread::Builder::new()
            .name(format!("graph-mock-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    let app = axum::Router::new().fallback(handle).with_state(state);
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async {
                            let _ = signal.await;
                        })
                        .await;
                });
                let _ = done_tx.send(());
            })?;
        Ok(MockServer {
            addr,
            mock,
            shutdown: Some(shutdown),
            done: Some(done),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/v1.0`: give it to a client.
    pub fn base_url(&self) -> BaseUrl {
        BaseUrl::new(&self.origin(), "v1.0")
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests answered so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.mock.seen()
    }

    /// What the fault injection came to so far (`None`: no faults).
    pub fn fault_report(&self) -> Option<FaultReport> {
        self.mock.fault_report()
    }

    /// The matcher the server uses.
    pub fn mock(&self) -> &Mock {
        &self.mock
    }

    /// Blocks until the server stops (it runs until the process ends).
    pub fn wait(mut self) {
        if let Some(done) = self.done.take() {
            let _ = done.recv();
        }
    }
}

impl Drop for MockServer {
    /// Stops the server; waits at most 5 s for open connections.
    fn drop(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(done) = self.done.take() {
            let _ = done.recv_timeout(Duration::from_secs(5));
        }
    }
}

async fn handle(
    axum::extract::State(mock): axum::extract::State<Arc<Mock>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let response = match axum::body::to_bytes(body, MAX_REQUEST_BODY).await {
        Ok(bytes) => mock.respond(&http::Request::from_parts(parts, bytes.to_vec())),
        Err(e) => error(
            http::StatusCode::PAYLOAD_TOO_LARGE,
            "RequestBodyUnreadable",
            &format!("the request body was not read: {e}"),
            json!({}),
        ),
    };
    response.map(axum::body::Body::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(mock: &Mock, target: &str) -> http::Response<Vec<u8>> {
        let r = http::Request::builder()
            .method("GET")
            .uri(target)
            .body(Vec::new())
            .unwrap();
        mock.respond(&r)
    }

    /// `mock`'s answer to `POST /v1.0/$batch` with `body`.
    fn post_batch(mock: &Mock, body: Value) -> http::Response<Vec<u8>> {
        let r = http::Request::builder()
            .method("POST")
            .uri("/v1.0/$batch")
            .body(body.to_string().into_bytes())
            .unwrap();
        mock.respond(&r)
    }

    fn body(r: &http::Response<Vec<u8>>) -> Value {
        serde_json::from_slice(r.body()).unwrap()
    }

    #[test]
    fn the_documented_pairs_load() {
        let docs = Exchanges::documented();
        assert!(!docs.is_empty());
        assert!(docs.iter().all(|x| !x.source.is_empty() && !x.endpoint.is_empty()));
    }

    #[test]
    fn a_match_answers_the_example_and_a_miss_names_the_closest() {
        let mock = Mock::new(
            Exchanges::new()
                .with(Exchange::json(
                    "GET",
                    "/users/{id}?$select=id,displayName",
                    200,
                    r#"{"id": "1"}"#,
                ))
                .with(Exchange::json("GET", "/me/messages", 200, r#"{"value": []}"#)),
        );
        let ok = get(&mock, "/v1.0/users/42?$select=displayName,id");
        assert_eq!(ok.status(), 200);
        assert_eq!(ok.headers()[EXAMPLE_HEADER], "scripted:1");
        assert_eq!(ok.headers()["content-type"], "application/json");

        let miss = get(&mock, "/v1.0/users/42?$select=id");
        assert_eq!(miss.status(), 400);
        let e = body(&miss);
        assert_eq!(e["error"]["code"], "RequestDiffersFromExample");
        assert_eq!(e["error"]["innerError"]["closest"], "scripted:1");
        assert!(
            e["error"]["message"].as_str().unwrap().contains("query `$select`"),
            "{e}"
        );

        let miss = get(&mock, "/v1.0/me/events");
        assert_eq!(miss.status(), 404);
        let e = body(&miss);
        assert_eq!(e["error"]["innerError"]["closest"], "scripted:2");
        assert_eq!(
            e["error"]["innerError"]["differences"][0],
            "path segment 2: the example has `messages`, the request `events`"
        );
        assert_eq!(mock.seen().len(), 3);
        assert_eq!(mock.seen()[0].example.as_deref(), Some("scripted:1"));
    }

    #[test]
    fn once_examples_script_a_sequence_and_links_are_rewritten() {
        let mock = Mock::new(
            Exchanges::new()
                .with(
                    Exchange::json("GET", "/me", 429, "")
                        .response_header("Retry-After", "1")
                        .once(),
                )
                .with(Exchange::json(
                    "GET",
                    "/me",
                    200,
                    r#"{"@odata.id": "https://graph.microsoft.com/v1.0/me"}"#,
                )),
        )
        .rewrite_links_to("http://127.0.0.1:9");
        assert_eq!(get(&mock, "/v1.0/me").status(), 429);
        let ok = get(&mock, "/v1.0/me");
        assert_eq!(ok.status(), 200);
        assert_eq!(body(&ok)["@odata.id"], "http://127.0.0.1:9/v1.0/me");
        assert_eq!(get(&mock, "/v1.0/me").status(), 200);
    }

    #[test]
    fn bodies_choose_between_examples_and_a_header_picks_among_equals() {
        let mock = Mock::new(
            Exchanges::new()
                .with(Exchange::json("POST", "/me/sendMail", 202, "").request_body(r#"{"a": 1}"#))
                .with(Exchange::json("POST", "/me/sendMail", 400, "").request_body(r#"{"a": 2}"#))
                .with(Exchange::json("POST", "/me/sendMail", 204, "").request_body(r#"{"a": 2}"#)),
        );
        let post = |b: &str, pick: Option<&str>| {
            let mut r = http::Request::builder().method("POST").uri("/v1.0/me/sendMail");
            if let Some(p) = pick {
                r = r.header(EXAMPLE_HEADER, p);
            }
            mock.respond(&r.body(b.as_bytes().to_vec()).unwrap())
        };
        assert_eq!(post(r#"{"a":1.0}"#, None).status(), 202);
        assert_eq!(post(r#"{"a":2}"#, None).status(), 400);
        assert_eq!(post(r#"{"a":2}"#, Some("scripted:3")).status(), 204);
        let miss = post(r#"{"a":3}"#, None);
        assert_eq!(miss.status(), 400);
        assert!(body(&miss)["error"]["message"].as_str().unwrap().contains("body $.a"));
    }

    #[test]
    fn a_batch_is_answered_item_by_item_as_each_alone() {
        let mock = Mock::new(
            Exchanges::new()
                .with(Exchange::json("GET", "/me", 200, r#"{"id": "me"}"#))
                .with(Exchange::json("PATCH", "/me", 204, "").request_body(r#"{"city": "Redmond"}"#))
                .with({
                    let mut x = Exchange::json("PUT", "/me/photo/$value", 200, "");
                    x.request.body = Some("binary".into());
                    if let Some(r) = &mut x.response {
                        r.headers = vec![("Content-Type".into(), "image/jpeg".into())];
                        r.body = Some("\u{1}\u{2}".into());
                    }
                    x
                }),
        );
        let batch = |body: Value| post_batch(&mock, body);
        let ok = batch(json!({"requests": [
            {"id": "a", "method": "GET", "url": "/me"},
            {"id": "b", "method": "patch", "url": "me", "dependsOn": ["a"],
             "headers": {"Content-Type": "application/json"}, "body": {"city": "Redmond"}},
            {"id": "c", "method": "GET", "url": "/me/nothing"},
            {"id": "d", "method": "GET", "url": "/me", "dependsOn": ["c"]},
            {"id": "e", "method": "PUT", "url": "/me/photo/$value", "headers": {"Content-Type": "image/jpeg"}, "body": "YmluYXJ5"},
            {"id": "f", "method": "POST", "url": "/$batch", "body": {}},
        ]}));
        assert_eq!(ok.status(), 200);
        let answers = body(&ok)["responses"].clone();
        let statuses: Vec<(&str, u64)> = answers
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].as_str().unwrap(), r["status"].as_u64().unwrap()))
            .collect();
        assert_eq!(
            statuses,
            [("a", 200), ("b", 204), ("c", 404), ("d", 424), ("e", 200), ("f", 400)]
        );
        assert_eq!(answers[0]["body"], json!({"id": "me"}));
        assert_eq!(answers[0]["headers"][EXAMPLE_HEADER], "scripted:1");
        assert!(answers[1].get("body").is_none());
        assert_eq!(answers[2]["body"]["error"]["code"], "NoMatchingExample");
        assert_eq!(answers[4]["body"], "AQI=", "non-JSON content as base64");
        let seen: Vec<String> = mock.seen().into_iter().map(|s| s.path).collect();
        assert_eq!(seen, ["me", "me", "me/nothing", "me/photo/$value", "$batch"]);

        for (bad, why) in [
            (
                json!({"requests": (0..21).map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/me"})).collect::<Vec<_>>()}),
                "limit",
            ),
            (
                json!({"requests": [{"id": "1", "method": "GET", "url": "/me"}, {"id": "1", "method": "GET", "url": "/me"}]}),
                "two requests",
            ),
            (
                json!({"requests": [{"id": "", "method": "GET", "url": "/me"}]}),
                "lacks",
            ),
            (json!({"request": []}), "no `requests`"),
        ] {
            let r = batch(bad);
            assert_eq!(r.status(), 400);
            let m = body(&r)["error"]["message"].as_str().unwrap().to_owned();
            assert!(m.contains(why), "{m}");
        }
        let r = mock.respond(
            &http::Request::builder()
                .method("POST")
                .uri("/v1.0/$batch")
                .body(b"{".to_vec())
                .unwrap(),
        );
        assert_eq!(r.status(), 400);
    }

    #[test]
    fn faults_throttle_the_items_of_a_batch_one_by_one() {
        let mock = Mock::new(
            Exchanges::new()
                .with(Exchange::json("GET", "/me", 200, r#"{"id": "me"}"#))
                .with(Exchange::json("GET", "/users/{id}", 200, r#"{"id": "u"}"#)),
        )
        .with_faults(Faults::new(0.0, 3).route("GET", "/users", 1.0).statuses(&[429]).retry_after(0));
        let batch = |body: Value| post_batch(&mock, body);
        let first = batch(json!({"requests": [
            {"id": "1", "method": "GET", "url": "/me"},
            {"id": "2", "method": "GET", "url": "/users/a"},
        ]}));
        assert_eq!(first.status(), 200, "the batch itself is never faulted");
        let items = body(&first)["responses"].clone();
        assert_eq!(items[0]["status"], 200);
        assert_eq!(items[1]["status"], 429);
        assert_eq!(items[1]["headers"]["retry-after"], "0");
        let again = batch(json!({"requests": [{"id": "2", "method": "GET", "url": "/users/a"}]}));
        assert_eq!(body(&again)["responses"][0]["status"], 200, "its retry goes through");
        assert_eq!(
            mock.fault_report().unwrap().line(),
            "faults: injected 1, retried 1, waited as told 1, lost 0"
        );
    }
}
