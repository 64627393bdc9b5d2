//! JSON batching (`POST /$batch`), sans-IO: up to 20 calls of different
//! operations in one request, each answered on its own.
//!
//! [`Batch::add`] takes a [`Call`] of any operation and returns a typed
//! [`Key`]; [`Batch::to_request`] is the `POST {base}/$batch` request (each
//! item's URL relative to the version root, its method, headers, body, and
//! `dependsOn`); [`BatchResponse::parse`] reads the answer, whose items come
//! in any order and are matched by id; [`BatchResponse::result`] gives each
//! item's typed output or its [`GraphError`] (with the item's own status and
//! headers, `Retry-After` included). [`Batch::retry_throttled`] is the
//! batch's retry step: the items to send again, and when.
//!
//! ```
//! use generated::runtime::{Batch, BatchResponse, BaseUrl, Call, NoBody, Operation};
//! use generated::{Endpoint, Method};
//!
//! # macro_rules! op { ($name:ident, $path:literal, $out:ty) => {
//! #     struct $name;
//! #     impl Operation for $name {
//! #         type Body = NoBody;
//! #         type Output = $out;
//! #         const ENDPOINT: &'static Endpoint = &Endpoint {
//! #             name: stringify!($name), method: Method::Get, path: $path, parameters: &[],
//! #             request_type: None, response_type: None, success_status: Some(200), permissions: &[],
//! #         };
//! #     }
//! # } }
//! # op!(GetMe, "/me", serde_json::Value);
//! # op!(GetPhotoCount, "/me/photos/$count", u32);
//! // Two calls of different operations (the generated ones are built by their constructors).
//! let mut batch = Batch::new();
//! let me = batch.add(&Call::<GetMe>::from_parts("/me".into(), NoBody)).unwrap();
//! let count = batch.add_after(&Call::<GetPhotoCount>::from_parts("/me/photos/$count".into(), NoBody), &[me.id()]).unwrap();
//! let request = batch.to_request(&BaseUrl::default()).unwrap();
//! assert_eq!(request.uri(), "https://graph.microsoft.com/v1.0/$batch");
//! let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
//! assert_eq!(body["requests"][1], serde_json::json!({"id": "2", "method": "GET", "url": "/me/photos/$count", "dependsOn": ["1"]}));
//!
//! // … send it with any client; the answer's items come in any order.
//! let response = http::Response::builder().status(200).header("content-type", "application/json").body(br#"{"responses": [
//!     {"id": "2", "status": 429, "headers": {"Retry-After": "3"}, "body": {"error": {"code": "TooManyRequests", "message": "Slow down"}}},
//!     {"id": "1", "status": 200, "headers": {"Content-Type": "application/json"}, "body": {"displayName": "Adele Vance"}}
//! ]}"#.to_vec()).unwrap();
//! let answers = BatchResponse::parse(response).unwrap();
//! assert_eq!(answers.result(&me).unwrap()["displayName"], "Adele Vance");
//! let throttled = answers.result(&count).unwrap_err();
//! assert_eq!(throttled.retry_after(), Some(std::time::Duration::from_secs(3)));
//! ```

use super::body::RequestBody;
use super::call::{BaseUrl, Call, Operation};
use super::error::GraphError;
use super::query::Headers;
use super::retry::{Retry, RetryPolicy};
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, SystemTime};

/// Graph's limit of requests in one batch.
pub const MAX_BATCH_ITEMS: usize = 20;

/// Up to [`MAX_BATCH_ITEMS`] requests of any operations, sent as one
/// `POST /$batch`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    items: Vec<Item>,
}

/// One request of a batch, encoded when added.
#[derive(Clone, Debug, PartialEq)]
struct Item {
    id: String,
    method: &'static str,
    /// `call.target()`: relative to the version root, or absolute (a
    /// server link), made relative when the batch is sent.
    target: String,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

/// A call taken apart for [`Batch::add_request`]: its body encoded (or the
/// error of encoding it).
struct ItemRequest<'a> {
    method: &'static str,
    target: String,
    headers: &'a Headers,
    body: Result<Option<(Vec<u8>, &'static str)>, serde_json::Error>,
}

/// The handle of one item of a [`Batch`]: its id, and the operation whose
/// output [`BatchResponse::result`] reads.
pub struct Key<O> {
    id: String,
    operation: PhantomData<fn() -> O>,
}

impl<O> Key<O> {
    /// The item's `id` (for `dependsOn`, and [`BatchResponse::get`]).
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl<O> Clone for Key<O> {
    fn clone(&self) -> Self {
        Key {
            id: self.id.clone(),
            operation: PhantomData,
        }
    }
}

impl<O> fmt::Debug for Key<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Key").field(&self.id).finish()
    }
}

impl<O> PartialEq for Key<O> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// A batch that cannot be built or sent: caught before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BatchError {
    /// More than [`MAX_BATCH_ITEMS`] requests.
    TooMany { limit: usize },
    /// Two requests with the same id.
    DuplicateId(String),
    /// An empty id.
    EmptyId,
    /// A `dependsOn` naming no earlier request of the batch.
    UnknownDependency { id: String, depends_on: String },
    /// A request body that does not serialize.
    Body { id: String, message: String },
    /// A request URL outside the base URL (a batch item's URL is relative
    /// to it).
    Url { id: String, url: String },
    /// A batch without requests (Graph rejects it).
    Empty,
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::TooMany { limit } => write!(f, "a batch holds at most {limit} requests"),
            BatchError::DuplicateId(id) => write!(f, "the batch already has a request with id `{id}`"),
            BatchError::EmptyId => f.write_str("a batch request's id is empty"),
            BatchError::UnknownDependency { id, depends_on } => {
                write!(
                    f,
                    "request `{id}` depends on `{depends_on}`, which is no earlier request of the batch"
                )
            }
            BatchError::Body { id, message } => write!(f, "the body of request `{id}` does not serialize: {message}"),
            BatchError::Url { id, url } => write!(f, "request `{id}` goes to `{url}`, outside the base URL"),
            BatchError::Empty => f.write_str("the batch has no requests"),
        }
    }
}

impl std::error::Error for BatchError {}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Adds `call` under the lowest free numeric id (`"1"`, `"2"`, …).
    pub fn add<O: Operation>(&mut self, call: &Call<O>) -> Result<Key<O>, BatchError> {
        self.add_with(None, call, &[])
    }

    /// Adds `call` to run after the requests `after` (ids of earlier items:
    /// [`Key::id`]); if one of them fails, Graph answers this one `424
    /// Failed Dependency`.
    pub fn add_after<O: Operation>(&mut self, call: &Call<O>, after: &[&str]) -> Result<Key<O>, BatchError> {
        self.add_with(None, call, after)
    }

    /// Adds `call` with its own `id` (or the lowest free numeric one) and
    /// `dependsOn`. Errors, leaving the batch as it was: the batch is full,
    /// the id is taken or empty, a dependency is unknown, the body does not
    /// serialize.
    pub fn add_with<O: Operation>(
        &mut self,
        id: Option<&str>,
        call: &Call<O>,
        depends_on: &[&str],
    ) -> Result<Key<O>, BatchError> {
        let request = ItemRequest {
            method: call.method().as_str(),
            target: call.target(),
            headers: call.headers(),
            body: call.body().encode(),
        };
        let id = self.add_request(id, request, depends_on)?;
        Ok(Key {
            id,
            operation: PhantomData,
        })
    }

    /// [`Batch::add_with`] once the call is taken apart: not generic, so
    /// that it is compiled once, not once per operation. Returns the id.
    fn add_request(
        &mut self,
        id: Option<&str>,
        request: ItemRequest<'_>,
        depends_on: &[&str],
    ) -> Result<String, BatchError> {
        if self.items.len() >= MAX_BATCH_ITEMS {
            return Err(BatchError::TooMany { limit: MAX_BATCH_ITEMS });
        }
        let id = match id {
            Some("") => return Err(BatchError::EmptyId),
            Some(id) if self.has(id) => return Err(BatchError::DuplicateId(id.to_owned())),
            Some(id) => id.to_owned(),
            None => (1..).map(|n| n.to_string()).find(|n| !self.has(n)).unwrap_or_default(),
        };
        let mut deps = Vec::new();
        for d in depends_on {
            if !self.has(d) {
                return Err(BatchError::UnknownDependency {
                    id,
                    depends_on: (*d).to_owned(),
                });
            }
            if !deps.iter().any(|x: &String| x == d) {
                deps.push((*d).to_owned());
            }
        }
        let mut headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        let encoded = request.body.map_err(|e| BatchError::Body {
            id: id.clone(),
            message: e.to_string(),
        })?;
        let body = encoded.map(|(bytes, default_type)| {
            let content_type = match headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
                Some((_, v)) => v.clone(),
                None => {
                    headers.push(("Content-Type".to_owned(), default_type.to_owned()));
                    default_type.to_owned()
                }
            };
            // JSON goes as JSON, anything else (or JSON that is not) as base64.
            let json = is_json(&content_type)
                .then(|| serde_json::from_slice::<Value>(&bytes).ok())
                .flatten();
            json.unwrap_or_else(|| Value::String(base64_encode(&bytes)))
        });
        self.items.push(Item {
            id: id.clone(),
            method: request.method,
            target: request.target,
            headers,
            body,
            depends_on: deps,
        });
        Ok(id)
    }

    fn has(&self, id: &str) -> bool {
        self.items.iter().any(|i| i.id == id)
    }

    /// The number of requests.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The ids, in the order added.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|i| i.id.as_str())
    }

    /// The `$batch` body: `{"requests": [{"id", "method", "url", "headers",
    /// "body", "dependsOn"}, …]}`, URLs relative to `base`'s version root.
    pub fn to_json(&self, base: &BaseUrl) -> Result<Value, BatchError> {
        if self.items.is_empty() {
            return Err(BatchError::Empty);
        }
        let mut requests = Vec::with_capacity(self.items.len());
        for item in &self.items {
            let mut r = Map::new();
            r.insert("id".into(), item.id.clone().into());
            r.insert("method".into(), item.method.into());
            r.insert("url".into(), relative_url(base, &item.id, &item.target)?.into());
            if !item.headers.is_empty() {
                let headers: Map<String, Value> = item
                    .headers
                    .iter()
                    .map(|(n, v)| (n.clone(), Value::from(v.as_str())))
                    .collect();
                r.insert("headers".into(), Value::Object(headers));
            }
            if let Some(body) = &item.body {
                r.insert("body".into(), body.clone());
            }
            if !item.depends_on.is_empty() {
                r.insert("dependsOn".into(), item.depends_on.clone().into());
            }
            requests.push(Value::Object(r));
        }
        let mut root = Map::new();
        root.insert("requests".into(), Value::Array(requests));
        Ok(Value::Object(root))
    }

    /// The sans-IO request step: `POST {base}/$batch` with the JSON body.
    pub fn to_request(&self, base: &BaseUrl) -> Result<http::Request<Vec<u8>>, BatchError> {
        let body = self.to_json(base)?.to_string().into_bytes();
        let url = format!("{}/$batch", base.as_str());
        http::Request::builder()
            .method(http::Method::POST)
            .uri(&url)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::ACCEPT, "application/json")
            .body(body)
            .map_err(|_| BatchError::Url { id: String::new(), url })
    }

    /// The retry step after `responses` answered this batch on attempt
    /// number `attempt` (1 for the first), `elapsed` after the first one
    /// started: the items whose answer `policy` retries (throttled: 429,
    /// 503, 504, each by its own `Retry-After` or the backoff), plus those
    /// that failed `424` on one of them, as a new batch of the same ids
    /// (`dependsOn` kept among them), sent after the longest of their
    /// delays. `None` when nothing is retried: an item the policy gives up
    /// on keeps its answer. `now` and `random` as for
    /// [`RetryPolicy::decide_at`].
    pub fn retry_throttled(
        &self,
        responses: &BatchResponse,
        policy: &RetryPolicy,
        attempt: u32,
        elapsed: Duration,
        now: SystemTime,
        random: u64,
    ) -> Option<BatchRetry> {
        let mut again: Vec<&Item> = Vec::new();
        let mut after = Duration::ZERO;
        for item in &self.items {
            let Some(answer) = responses.get(&item.id) else {
                continue;
            };
            let retried = match policy.decide_at(attempt, answer.status, &answer.headers, elapsed, now, random) {
                Retry::After(d) => {
                    after = after.max(d);
                    true
                }
                // Dependencies come earlier, so one pass sees them first.
                Retry::GiveUp(_) => {
                    answer.status == http::StatusCode::FAILED_DEPENDENCY
                        && item.depends_on.iter().any(|d| again.iter().any(|a| &a.id == d))
                }
            };
            if retried {
                again.push(item);
            }
        }
        if !again.iter().any(|i| {
            responses
                .get(&i.id)
                .is_some_and(|a| a.status != http::StatusCode::FAILED_DEPENDENCY)
        }) {
            return None;
        }
        let ids: Vec<&str> = again.iter().map(|i| i.id.as_str()).collect();
        let items = again
            .into_iter()
            .map(|i| Item {
                depends_on: i
                    .depends_on
                    .iter()
                    .filter(|d| ids.contains(&d.as_str()))
                    .cloned()
                    .collect(),
                ..i.clone()
            })
            .collect();
        Some(BatchRetry {
            batch: Batch { items },
            after,
        })
    }
}

/// What [`Batch::retry_throttled`] decides: send `batch` after `after`.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchRetry {
    pub batch: Batch,
    pub after: Duration,
}

/// An item's URL relative to the version root: a relative target as is, an
/// absolute one (a server link) only under `base`.
fn relative_url(base: &BaseUrl, id: &str, target: &str) -> Result<String, BatchError> {
    if !(target.starts_with("https://") || target.starts_with("http://")) {
        return Ok(target.to_owned());
    }
    let rest = target
        .get(..base.as_str().len())
        .filter(|prefix| prefix.eq_ignore_ascii_case(base.as_str()))
        .map(|_| &target[base.as_str().len()..])
        .filter(|rest| rest.starts_with('/'));
    rest.map(str::to_owned).ok_or_else(|| BatchError::Url {
        id: id.to_owned(),
        url: target.to_owned(),
    })
}

fn is_json(content_type: &str) -> bool {
    content_type.to_ascii_lowercase().contains("json")
}

/// One item of a batch answer: its status, headers and body, as if it had
/// been answered alone.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemResponse {
    pub id: String,
    pub status: http::StatusCode,
    pub headers: http::HeaderMap,
    /// JSON bodies as JSON text; a base64 body (non-JSON content) decoded.
    pub body: Vec<u8>,
}

impl ItemResponse {
    /// The item as an HTTP response, for [`Operation::parse_response`].
    pub fn to_response(&self) -> http::Response<Vec<u8>> {
        let mut r = http::Response::new(self.body.clone());
        *r.status_mut() = self.status;
        *r.headers_mut() = self.headers.clone();
        r
    }
}

/// The answer to a [`Batch`]: its items by id, in the order the service
/// wrote them.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchResponse {
    status: http::StatusCode,
    items: Vec<ItemResponse>,
}

impl Default for BatchResponse {
    fn default() -> Self {
        BatchResponse {
            status: http::StatusCode::OK,
            items: Vec::new(),
        }
    }
}

impl BatchResponse {
    /// Reads a `$batch` answer. An error status is the whole batch's
    /// [`GraphError`]; a body that is not `{"responses": [{"id", "status",
    /// "headers", "body"}, …]}` is a `Decode` error naming the JSON path.
    /// Never panics.
    pub fn parse(response: http::Response<Vec<u8>>) -> Result<BatchResponse, GraphError> {
        let (parts, body) = response.into_parts();
        let status = parts.status;
        if !status.is_success() {
            return Err(GraphError::from_error_response(status, &parts.headers, &body));
        }
        let fail = |path: &str, message: &str| GraphError::decode(status, &parts.headers, &body, path, message);
        let root: Value = serde_json::from_slice(&body).map_err(|e| fail("$", &e.to_string()))?;
        let Some(responses) = root.get("responses").and_then(Value::as_array) else {
            return Err(fail("$.responses", "a batch answer has a `responses` array"));
        };
        let mut items: Vec<ItemResponse> = Vec::with_capacity(responses.len());
        for (i, r) in responses.iter().enumerate() {
            let at = |member: &str| format!("$.responses[{i}].{member}");
            let id = match r.get("id") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return Err(fail(&at("id"), "an item has a string `id`")),
            };
            let item_status = r
                .get("status")
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok())
                .and_then(|s| http::StatusCode::from_u16(s).ok())
                .ok_or_else(|| fail(&at("status"), "an item has an HTTP status"))?;
            let mut headers = http::HeaderMap::new();
            if let Some(Value::Object(h)) = r.get("headers") {
                for (name, value) in h {
                    let value = match value {
                        Value::String(s) => s.clone(),
                        Value::Number(_) | Value::Bool(_) => value.to_string(),
                        _ => continue,
                    };
                    if let (Ok(n), Ok(v)) = (
                        http::HeaderName::try_from(name.as_str()),
                        http::HeaderValue::try_from(value),
                    ) {
                        headers.append(n, v);
                    }
                }
            }
            let body = item_body(r.get("body"), &mut headers);
            // The first answer for an id counts.
            if !items.iter().any(|x| x.id == id) {
                items.push(ItemResponse {
                    id,
                    status: item_status,
                    headers,
                    body,
                });
            }
        }
        Ok(BatchResponse { status, items })
    }

    /// The answer to the item `id`.
    pub fn get(&self, id: &str) -> Option<&ItemResponse> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The items, in the service's order.
    pub fn items(&self) -> &[ItemResponse] {
        &self.items
    }

    /// The status of `key`'s item, if it was answered.
    pub fn status<O>(&self, key: &Key<O>) -> Option<http::StatusCode> {
        self.get(&key.id).map(|i| i.status)
    }

    /// `key`'s item parsed as its operation's answer: the typed output for
    /// a 2xx status, else its [`GraphError`] (with the item's `Retry-After`
    /// and `request-id`). An item the answer lacks is a `Decode` error at
    /// `$.responses`.
    pub fn result<O: Operation>(&self, key: &Key<O>) -> Result<O::Output, GraphError> {
        match self.get(&key.id) {
            Some(item) => O::parse_response(item.to_response()),
            None => Err(GraphError::Decode {
                status: self.status,
                content_type: None,
                path: "$.responses".to_owned(),
                message: format!("the batch answer has no item `{}`", key.id),
            }),
        }
    }

    /// Takes in the answers of a retry: an item answered again replaces its
    /// earlier answer.
    pub fn merge(&mut self, later: BatchResponse) {
        for item in later.items {
            match self.items.iter_mut().find(|i| i.id == item.id) {
                Some(old) => *old = item,
                None => self.items.push(item),
            }
        }
    }
}

/// An item's body as bytes: JSON as JSON text (a JSON content type added
/// when the item names none), a string under a non-JSON content type as
/// base64 (decoded; its text when it is not base64), nothing for none.
fn item_body(body: Option<&Value>, headers: &mut http::HeaderMap) -> Vec<u8> {
    let content_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    match body {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) if content_type.as_deref().is_some_and(|c| !is_json(c)) => {
            base64_decode(s).unwrap_or_else(|| s.clone().into_bytes())
        }
        Some(v) => {
            if content_type.is_none() {
                headers.insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("application/json"),
                );
            }
            v.to_string().into_bytes()
        }
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Base64, standard or URL-safe alphabet, padded or not; `None` for
/// anything else.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A lone 6-bit tail (length ≡ 1 mod 4) is not base64.
    (bits < 6).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{Bytes, NoBody};
    use crate::support::{Endpoint, Method};
    use serde_json::json;

    macro_rules! op {
        ($name:ident, $method:ident, $body:ty, $out:ty) => {
            struct $name;
            impl Operation for $name {
                type Body = $body;
                type Output = $out;
                const ENDPOINT: &'static Endpoint = &Endpoint {
                    name: stringify!($name),
                    method: Method::$method,
                    path: "/x",
                    parameters: &[],
                    request_type: None,
                    response_type: None,
                    success_status: Some(200),
                    permissions: &[],
                };
            }
        };
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct User {
        id: String,
    }

    op!(GetUser, Get, NoBody, User);
    op!(ListUsers, Get, NoBody, crate::Collection<User>);
    op!(UpdateUser, Patch, Value, ());
    op!(SetPhoto, Put, Bytes, ());

    fn get(path: &str) -> Call<GetUser> {
        Call::from_parts(path.into(), NoBody)
    }

    fn answer(json: Value) -> http::Response<Vec<u8>> {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(json.to_string().into_bytes())
            .unwrap()
    }

    #[test]
    fn items_of_different_operations_go_on_the_wire_as_graph_documents() {
        let mut batch = Batch::new();
        let user = batch.add(&get("/users/a%40b")).unwrap();
        let list = batch
            .add(
                &Call::<ListUsers>::from_parts("/users".into(), NoBody)
                    .query_param("$filter", "city eq null")
                    .header("ConsistencyLevel", "eventual"),
            )
            .unwrap();
        let patch = batch
            .add_with(
                Some("patch"),
                &Call::<UpdateUser>::from_parts("/me".into(), json!({"city": "Redmond"})),
                &[user.id(), list.id(), user.id()],
            )
            .unwrap();
        let photo = batch
            .add_after(
                &Call::<SetPhoto>::from_parts(
                    "/me/photo/$value".into(),
                    Bytes {
                        data: vec![0xff, 0xd8, 0xff],
                        content_type: None,
                    },
                )
                .header("Content-Type", "image/jpeg"),
                &[patch.id()],
            )
            .unwrap();
        assert_eq!((user.id(), list.id(), patch.id(), photo.id()), ("1", "2", "patch", "3"));
        assert_eq!(batch.ids().collect::<Vec<_>>(), ["1", "2", "patch", "3"]);
        let request = batch.to_request(&BaseUrl::default()).unwrap();
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(request.uri(), "https://graph.microsoft.com/v1.0/$batch");
        assert_eq!(request.headers()["content-type"], "application/json");
        let body: Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(
            body,
            json!({"requests": [
                {"id": "1", "method": "GET", "url": "/users/a%40b"},
                {"id": "2", "method": "GET", "url": "/users?$filter=city%20eq%20null",
                 "headers": {"ConsistencyLevel": "eventual"}},
                {"id": "patch", "method": "PATCH", "url": "/me",
                 "headers": {"Content-Type": "application/json"}, "body": {"city": "Redmond"},
                 "dependsOn": ["1", "2"]},
                {"id": "3", "method": "PUT", "url": "/me/photo/$value",
                 "headers": {"Content-Type": "image/jpeg"}, "body": "/9j/", "dependsOn": ["patch"]},
            ]})
        );
    }

    #[test]
    fn the_limit_and_duplicate_ids_are_errors_before_anything_is_sent() {
        let mut batch = Batch::new();
        for _ in 0..MAX_BATCH_ITEMS {
            batch.add(&get("/me")).unwrap();
        }
        assert_eq!(batch.add(&get("/me")), Err(BatchError::TooMany { limit: 20 }));
        assert_eq!(batch.len(), 20);

        let mut batch = Batch::new();
        batch.add_with(Some("2"), &get("/me"), &[]).unwrap();
        assert_eq!(
            batch.add_with(Some("2"), &get("/me"), &[]),
            Err(BatchError::DuplicateId("2".into()))
        );
        assert_eq!(batch.add_with(Some(""), &get("/me"), &[]), Err(BatchError::EmptyId));
        assert_eq!(
            batch.add_after(&get("/me"), &["9"]),
            Err(BatchError::UnknownDependency {
                id: "1".into(),
                depends_on: "9".into()
            })
        );
        // Automatic ids skip the ones taken.
        assert_eq!(batch.add(&get("/me")).unwrap().id(), "1");
        assert_eq!(batch.add(&get("/me")).unwrap().id(), "3");
        assert_eq!(batch.len(), 3, "failed adds leave the batch as it was");
        assert_eq!(
            Batch::new().to_request(&BaseUrl::default()).unwrap_err(),
            BatchError::Empty
        );
        assert!(BatchError::TooMany { limit: 20 }.to_string().contains("20"));
    }

    #[test]
    fn a_server_link_becomes_relative_and_a_foreign_one_is_refused() {
        let mut batch = Batch::new();
        batch
            .add(&get("https://graph.microsoft.com/v1.0/users?$skiptoken=X%27Y"))
            .unwrap();
        let body = batch.to_json(&BaseUrl::default()).unwrap();
        assert_eq!(body["requests"][0]["url"], "/users?$skiptoken=X%27Y");
        assert!(matches!(
            batch.to_json(&BaseUrl::new(BaseUrl::GLOBAL, "beta")),
            Err(BatchError::Url { .. })
        ));
        let mut foreign = Batch::new();
        foreign.add(&get("https://graph.microsoft.com.evil/v1.0/me")).unwrap();
        assert!(matches!(
            foreign.to_request(&BaseUrl::default()),
            Err(BatchError::Url { .. })
        ));
    }

    #[test]
    fn answers_in_any_order_are_matched_by_id_and_typed() {
        let mut batch = Batch::new();
        let user = batch.add(&get("/users/1")).unwrap();
        let list = batch
            .add(&Call::<ListUsers>::from_parts("/users".into(), NoBody))
            .unwrap();
        let patch = batch
            .add(&Call::<UpdateUser>::from_parts("/me".into(), json!({})))
            .unwrap();
        let photo = batch
            .add(&Call::<SetPhoto>::from_parts(
                "/me/photo/$value".into(),
                Bytes::default(),
            ))
            .unwrap();
        let missing = batch.add(&get("/users/2")).unwrap();
        let answers = BatchResponse::parse(answer(json!({"responses": [
            {"id": "3", "status": 204},
            {"id": "2", "status": 200, "body": {"value": [{"id": "a"}, {"id": "b"}], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=2"}},
            {"id": "4", "status": 403, "headers": {"Content-Type": "application/json", "request-id": "r-4"},
             "body": {"error": {"code": "Authorization_RequestDenied", "message": "no"}}},
            {"id": "1", "status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": "1"}},
            {"id": "1", "status": 500},
        ]})))
        .unwrap();
        assert_eq!(
            answers.result(&user).unwrap(),
            User { id: "1".into() },
            "the first answer for an id counts"
        );
        let page = answers.result(&list).unwrap();
        assert_eq!(page.value.len(), 2);
        assert!(page.odata_next_link.is_some());
        answers.result(&patch).unwrap();
        let denied = answers.result(&photo).unwrap_err();
        assert_eq!(denied.status(), 403);
        assert_eq!(denied.code(), Some("Authorization_RequestDenied"));
        assert!(matches!(&denied, GraphError::Service { request_id: Some(r), .. } if r == "r-4"));
        assert_eq!(answers.status(&photo), Some(http::StatusCode::FORBIDDEN));
        let absent = answers.result(&missing).unwrap_err();
        assert!(absent.to_string().contains("no item `5`"), "{absent}");
        assert_eq!(answers.items().len(), 4);
    }

    #[test]
    fn non_json_bodies_are_base64_and_bad_answers_are_errors() {
        op!(GetPhoto, Get, NoBody, Bytes);
        let mut batch = Batch::new();
        let photo = batch
            .add(&Call::<GetPhoto>::from_parts("/me/photo/$value".into(), NoBody))
            .unwrap();
        let answers = BatchResponse::parse(answer(json!({"responses": [
            {"id": "1", "status": 200, "headers": {"Content-Type": "image/jpeg"}, "body": "/9j/"},
        ]})))
        .unwrap();
        let bytes = answers.result(&photo).unwrap();
        assert_eq!(bytes.data, [0xff, 0xd8, 0xff]);
        assert_eq!(bytes.content_type.as_deref(), Some("image/jpeg"));

        // The whole batch refused, or an answer that is no batch answer.
        let refused = http::Response::builder()
            .status(400)
            .body(br#"{"error": {"code": "BadRequest", "message": "Invalid batch payload format."}}"#.to_vec())
            .unwrap();
        assert_eq!(BatchResponse::parse(refused).unwrap_err().code(), Some("BadRequest"));
        for (bad, path) in [
            ("", "$"),
            ("<html>", "$"),
            ("[]", "$.responses"),
            (r#"{"responses": {}}"#, "$.responses"),
            (r#"{"responses": [{"status": 200}]}"#, "$.responses[0].id"),
            (
                r#"{"responses": [{"id": "1", "status": 99999}]}"#,
                "$.responses[0].status",
            ),
            (
                r#"{"responses": [{"id": "1", "status": "200"}]}"#,
                "$.responses[0].status",
            ),
        ] {
            let r = http::Response::builder()
                .status(200)
                .body(bad.as_bytes().to_vec())
                .unwrap();
            match BatchResponse::parse(r) {
                Err(GraphError::Decode { path: p, .. }) => assert_eq!(p, path, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        // Odd headers and bodies are kept or dropped, never a panic.
        let odd = BatchResponse::parse(answer(json!({"responses": [
            {"id": 7, "status": 200, "headers": {"bad name": "x", "x-n": 3, "x-o": {}, "x-bad": "a\nb"}, "body": "not base64!"},
        ]})))
        .unwrap();
        let item = odd.get("7").unwrap();
        assert_eq!(item.headers.len(), 2, "{:?}", item.headers);
        assert_eq!(item.headers["x-n"], "3");
        assert_eq!(item.body, b"\"not base64!\"");
    }

    #[test]
    fn only_throttled_items_are_retried_each_after_its_own_retry_after() {
        let mut batch = Batch::new();
        let a = batch.add(&get("/users/a")).unwrap();
        let b = batch.add(&get("/users/b")).unwrap();
        let c = batch.add_after(&get("/users/c"), &[b.id()]).unwrap();
        let d = batch.add(&get("/users/d")).unwrap();
        let e = batch.add_after(&get("/users/e"), &[a.id()]).unwrap();
        let throttle = |id: &str, after: &str| {
            json!({"id": id, "status": 429, "headers": {"Retry-After": after, "Content-Type": "application/json"},
                   "body": {"error": {"code": "TooManyRequests", "message": "slow"}}})
        };
        let first = BatchResponse::parse(answer(json!({"responses": [
            {"id": "5", "status": 200, "body": {"id": "e"}},
            {"id": "3", "status": 424},
            throttle("2", "7"),
            {"id": "1", "status": 200, "body": {"id": "a"}},
            throttle("4", "2"),
        ]})))
        .unwrap();
        assert_eq!(
            first.result(&b).unwrap_err().retry_after(),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            first.result(&d).unwrap_err().retry_after(),
            Some(Duration::from_secs(2))
        );
        let policy = RetryPolicy::default();
        let now = SystemTime::UNIX_EPOCH;
        let plan = batch
            .retry_throttled(&first, &policy, 1, Duration::ZERO, now, 0)
            .unwrap();
        assert_eq!(plan.after, Duration::from_secs(7), "the longest item's wait");
        assert_eq!(
            plan.batch.ids().collect::<Vec<_>>(),
            ["2", "3", "4"],
            "throttled, and what failed on them"
        );
        let body = plan.batch.to_json(&BaseUrl::default()).unwrap();
        assert_eq!(body["requests"][1]["dependsOn"], json!(["2"]));
        assert!(body["requests"][0].get("dependsOn").is_none());

        // The retry's answers replace the earlier ones.
        let mut all = first.clone();
        all.merge(
            BatchResponse::parse(answer(json!({"responses": [
                {"id": "4", "status": 200, "body": {"id": "d"}},
                {"id": "2", "status": 200, "body": {"id": "b"}},
                {"id": "3", "status": 200, "body": {"id": "c"}},
            ]})))
            .unwrap(),
        );
        for (key, id) in [(&a, "a"), (&b, "b"), (&c, "c"), (&d, "d"), (&e, "e")] {
            assert_eq!(all.result(key).unwrap().id, id);
        }
        assert!(plan
            .batch
            .retry_throttled(&all, &policy, 2, Duration::ZERO, now, 0)
            .is_none());

        // Bounded: attempts, time, and an over-long Retry-After give up.
        assert!(batch
            .retry_throttled(&first, &policy, 4, Duration::ZERO, now, 0)
            .is_none());
        assert!(batch
            .retry_throttled(&first, &policy, 1, Duration::from_secs(119), now, 0)
            .is_none());
        let long = BatchResponse::parse(answer(
            json!({"responses": [throttle("2", "3600"), throttle("4", "1")]}),
        ))
        .unwrap();
        let plan = batch
            .retry_throttled(&long, &policy, 1, Duration::ZERO, now, 0)
            .unwrap();
        assert_eq!(plan.batch.ids().collect::<Vec<_>>(), ["4"]);
        // A 424 alone (its dependency succeeded or gave up) is not retried.
        let dependent = BatchResponse::parse(answer(json!({"responses": [{"id": "3", "status": 424}]}))).unwrap();
        assert!(batch
            .retry_throttled(&dependent, &policy, 1, Duration::ZERO, now, 0)
            .is_none());
    }

    #[test]
    fn base64_round_trips() {
        for data in [
            &b""[..],
            b"f",
            b"fo",
            b"foo",
            b"foob",
            b"fooba",
            b"foobar",
            &[0, 255, 254, 3],
        ] {
            let text = base64_encode(data);
            assert_eq!(base64_decode(&text).as_deref(), Some(data), "{text}");
            assert_eq!(base64_decode(text.trim_end_matches('=')).as_deref(), Some(data));
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_decode("-_8").as_deref(), Some(&[0xfb, 0xff][..]), "URL-safe");
        assert_eq!(base64_decode("a"), None);
        assert_eq!(base64_decode("a b"), None);
    }
}
