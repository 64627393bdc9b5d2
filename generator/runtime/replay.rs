//! The typed replay (features `mock` and `reqwest`): a documented example
//! pair sent through its typed operation. The generated test
//! `tests/replay.rs` rebuilds every example request as a typed [`Call`]
//! (constructor, the example's path values, typed query setters, the body
//! read from the example's JSON into the operation's body type) and hands it
//! to [`Replay::pair`], which
//!
//! 1. adds the example's request headers and sends the call through the
//!    reqwest [`Client`] to a [`MockServer`] of the docs on 127.0.0.1;
//! 2. checks that the request is exactly the documented one: the method, the
//!    target (percent-decoded, case and order included) and the body (JSON
//!    by value), and that the server matched that very example (its
//!    `x-mock-example` answer header; the request names the example so that
//!    the same request documented twice is answered by its own page);
//! 3. parses the answer with [`Operation::parse_response`] into the typed
//!    output, serializes it back to JSON and compares it with the documented
//!    body: **every documented member survives with an equal value** (JSON
//!    by value, `1` = `1.0`, explicit `null`s included), and nothing is added
//!    (the rule of the round-trip tests). Raw outputs ([`Bytes`]) must give
//!    back the documented bytes; `()` the documented absence of a body.
//!
//! A pair that cannot pass for a reason the page gives is a doc defect with
//! a code ([`Outcome::DocDefect`]); anything else is a failure of the
//! generated code. [`Replay::finish`] gives the [`Report`] and its summary
//! line, `replay: N pairs, P passed, D doc defects, F failed`.

use super::batch::{Batch, BatchError, MAX_BATCH_ITEMS};
use super::body::{Bytes, NoBody, Patch};
use super::call::{BaseUrl, Call, Operation};
use super::client::{Client, StaticToken};
use super::error::{BuildError, GraphError};
use super::mock::{Exchange, Exchanges, FaultReport, Faults, MockServer, EXAMPLE_HEADER};
use super::mock_match::json_diff;
use super::retry::RetryPolicy;
use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use serde::Serialize;
use crate::support::Endpoint;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// How one pair fared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// The docs are at fault: a short code and what is wrong.
    DocDefect(&'static str, String),
    /// The generated code is at fault.
    Failed(String),
}

/// The most time a whole replay may take; pairs after it fail unsent.
pub const REPLAY_LIMIT: Duration = Duration::from_secs(600);
/// The most time one request may take.
pub const REQUEST_LIMIT: Duration = Duration::from_secs(20);

/// The most time one `$batch` may take, its throttled items' retries
/// included.
pub const BATCH_LIMIT: Duration = Duration::from_secs(120);

/// The environment variable that asks for batch mode (`cargo xtask replay
/// --batch` sets it to `1`).
pub const BATCH_VAR: &str = "GRAPH_REPLAY_BATCH";

/// Statuses whose responses carry no body.
const NO_BODY_STATUSES: [u16; 3] = [204, 205, 304];

/// Request headers the transport or the body decides, never copied from an
/// example.
const TRANSPORT_HEADERS: [&str; 5] = ["content-length", "host", "authorization", "transfer-encoding", "connection"];

/// A request body read from an example's body text (`None`: the example
/// sends none).
pub trait FromExample: Sized {
    fn from_example(body: Option<&str>) -> Result<Self, String>;
}

fn blank(body: Option<&str>) -> bool {
    body.is_none_or(|b| b.trim().is_empty())
}

impl FromExample for NoBody {
    /// A body the operation does not send would be lost: an error.
    fn from_example(body: Option<&str>) -> Result<Self, String> {
        if blank(body) {
            Ok(NoBody)
        } else {
            Err("the operation sends no body, the example sends one".to_owned())
        }
    }
}

impl FromExample for Bytes {
    fn from_example(body: Option<&str>) -> Result<Self, String> {
        Ok(Bytes {
            data: body.unwrap_or_default().as_bytes().to_vec(),
            content_type: None,
        })
    }
}

impl<T: DeserializeOwned> FromExample for Patch<T> {
    fn from_example(body: Option<&str>) -> Result<Self, String> {
        <T as FromExample>::from_example(body).map(Patch::new)
    }
}

impl<T: DeserializeOwned> FromExample for T {
    /// The example's JSON (none reads as `null`).
    fn from_example(body: Option<&str>) -> Result<Self, String> {
        let text = body.filter(|b| !b.trim().is_empty()).unwrap_or("null");
        let json: Value = serde_json::from_str(text).map_err(|e| format!("the example body is not JSON: {e}"))?;
        serde_json::from_value(json).map_err(|e| format!("the example body does not read as the body type: {e}"))
    }
}

/// A typed output serialized back, to compare with the documented body.
pub trait Echo {
    fn echo(&self) -> Echoed;
}

/// What [`Echo::echo`] gives.
#[derive(Clone, Debug, PartialEq)]
pub enum Echoed {
    Json(Value),
    Bytes(Vec<u8>),
    /// The output does not serialize (a generator failure).
    Error(String),
}

impl<T: Serialize> Echo for T {
    fn echo(&self) -> Echoed {
        serde_json::to_value(self).map_or_else(|e| Echoed::Error(e.to_string()), Echoed::Json)
    }
}

impl Echo for Bytes {
    fn echo(&self) -> Echoed {
        Echoed::Bytes(self.data.clone())
    }
}

/// One example pair as the typed code reads it.
pub struct Example<'a> {
    exchange: &'a Exchange,
}

impl Example<'_> {
    /// The example's request body as the operation's body type.
    pub fn body<B: FromExample>(&self) -> Result<B, String> {
        B::from_example(self.exchange.request.body.as_deref())
    }

    /// The pair.
    pub fn exchange(&self) -> &Exchange {
        self.exchange
    }
}

/// A replay in progress: the server, the client, and the outcomes so far.
pub struct Replay {
    server: MockServer,
    client: Client,
    runtime: tokio::runtime::Runtime,
    exchanges: Vec<Exchange>,
    by_source: HashMap<String, usize>,
    outcomes: Vec<Option<Outcome>>,
    /// Pairs whose request or response example the generator found at odds
    /// with the operation (placeholders, values of the wrong type, another
    /// type): code and why.
    expected: HashMap<String, Vec<(&'static str, String)>>,
    started: Instant,
    /// Batch mode: the batch being filled and what was sent.
    batching: Option<Batching>,
}

/// The checks of one pair's answer, whatever its operation.
type Check = fn(&Replay, usize, http::Response<Vec<u8>>) -> Outcome;

/// A pair waiting in the batch being filled.
struct Queued {
    /// The pair.
    at: usize,
    /// Its item's id.
    id: String,
    check: Check,
}

/// Batch mode's state.
#[derive(Default)]
struct Batching {
    batch: Batch,
    queued: Vec<Queued>,
    /// `$batch` requests sent (their retries aside) and the items in them.
    sent: usize,
    items: usize,
    /// Pairs sent alone, and why.
    alone: Vec<(String, String)>,
}

/// What batch mode came to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchReport {
    /// `$batch` requests sent, their throttled items' retries aside.
    pub batches: usize,
    /// Pairs sent as batch items.
    pub items: usize,
    /// Pairs whose request the batch format cannot carry faithfully, sent
    /// alone: source and why.
    pub alone: Vec<(String, String)>,
}

impl BatchReport {
    /// `batch: B requests of up to 20 items carried I pairs; A sent alone`.
    pub fn line(&self) -> String {
        format!(
            "batch: {} $batch requests of up to {MAX_BATCH_ITEMS} items carried {} pairs; {} sent alone (the batch format cannot carry them as they are)",
            self.batches,
            self.items,
            self.alone.len()
        )
    }
}

/// Why the pair cannot go as a batch item exactly as it goes alone, if it
/// cannot: a URL that is not relative to the base (a batch item's URL is);
/// a JSON-typed request body that is not JSON (a batch carries JSON content
/// as JSON, anything else base64, so the server would read a JSON string);
/// a documented response body that is not JSON under a JSON or no content
/// type (it comes back as a base64 JSON string, not the bytes).
fn unbatchable(x: &Exchange, call: &dyn BuiltCall, request: &http::Request<Vec<u8>>) -> Option<String> {
    let target = call.target();
    if target.starts_with("http://") || target.starts_with("https://") {
        return Some(format!("an absolute URL `{target}`"));
    }
    let json_type = |ct: Option<&str>| ct.is_none_or(|c| c.to_ascii_lowercase().contains("json"));
    let content_type = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let body = request.body();
    if !body.is_empty() && json_type(content_type) && serde_json::from_slice::<Value>(body).is_err() {
        return Some("a request body that is not JSON under a JSON content type".to_owned());
    }
    let documented = x.response.as_ref()?;
    let text = documented.body.as_deref().unwrap_or_default();
    let response_type = documented
        .headers
        .iter()
        .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim());
    if !blank(Some(text)) && json_type(response_type) && serde_json::from_str::<Value>(text).is_err() {
        return Some("a documented response body that is not JSON under a JSON or no content type".to_owned());
    }
    None
}

/// A built call as the replay uses it, whatever its operation: the steps
/// that need the operation's type sit behind one vtable per operation, so
/// that little is compiled once per pair.
trait BuiltCall {
    fn add_header(&mut self, name: &str, value: &str);
    fn target(&self) -> String;
    fn to_request(&self, base: &BaseUrl) -> Result<http::Request<Vec<u8>>, BuildError>;
    /// Adds the call to `batch`: its item's id.
    fn add_to(&self, batch: &mut Batch) -> Result<String, BatchError>;
}

impl<O: Operation> BuiltCall for Call<O> {
    fn add_header(&mut self, name: &str, value: &str) {
        self.headers.set(name.to_owned(), value.to_owned());
    }

    fn target(&self) -> String {
        Call::target(self)
    }

    fn to_request(&self, base: &BaseUrl) -> Result<http::Request<Vec<u8>>, BuildError> {
        Call::to_request(self, base)
    }

    fn add_to(&self, batch: &mut Batch) -> Result<String, BatchError> {
        batch.add(self).map(|key| key.id().to_owned())
    }
}

impl std::fmt::Debug for Replay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replay")
            .field("server", &self.server)
            .field("pairs", &self.exchanges.len())
            .finish_non_exhaustive()
    }
}

impl Replay {
    /// A server of `exchanges` on an ephemeral port of 127.0.0.1 (answers
    /// byte for byte as documented) and a client to it, without retries;
    /// with the faults the environment asks for ([`Faults::from_env`], set
    /// by `cargo xtask replay --faults R --seed S`), the server injects them
    /// and the client retries by the default [`RetryPolicy`].
    /// In batch mode ([`BATCH_VAR`] set to `1`: `cargo xtask replay
    /// --batch`), the pairs go as items of `$batch` requests
    /// ([`Replay::batched`]).
    pub fn start(exchanges: Exchanges) -> Result<Replay, String> {
        let replay = Replay::start_with(exchanges, Faults::from_env()?)?;
        Ok(match std::env::var(BATCH_VAR).as_deref() {
            Ok("1") => replay.batched(),
            Ok("") | Ok("0") | Err(_) => replay,
            Ok(other) => return Err(format!("{BATCH_VAR}={other}: 1 or 0")),
        })
    }

    /// Batch mode: each pair's call goes as an item of a `$batch` request
    /// of up to 20 ([`Batch`], sent by [`Client::send_batch`], which
    /// retries throttled items), and each item's answer gets the same
    /// checks as a pair sent alone. Pairs the batch format cannot carry as
    /// they are go alone (see [`BatchReport`]).
    pub fn batched(mut self) -> Replay {
        self.batching = Some(Batching::default());
        self
    }

    /// [`Replay::start`] with these faults (`None`: none, and no retries).
    pub fn start_with(exchanges: Exchanges, faults: Option<Faults>) -> Result<Replay, String> {
        let started = Instant::now();
        let retry = if faults.is_some() {
            RetryPolicy::default()
        } else {
            RetryPolicy::none()
        };
        let server =
            MockServer::start_with(exchanges.clone(), 0, false, faults).map_err(|e| format!("cannot start: {e}"))?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_LIMIT)
            .build()
            .map_err(|e| e.to_string())?;
        let client = Client::builder(StaticToken::new("replay"))
            .base_url(server.base_url())
            .http_client(http)
            .retry(retry)
            .build()
            .map_err(|e| e.to_string())?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let exchanges: Vec<Exchange> = exchanges.iter().cloned().collect();
        let by_source = exchanges
            .iter()
            .enumerate()
            .map(|(i, x)| (x.source.clone(), i))
            .collect();
        let outcomes = vec![None; exchanges.len()];
        Ok(Replay {
            server,
            client,
            runtime,
            exchanges,
            by_source,
            outcomes,
            expected: HashMap::new(),
            started,
            batching: None,
        })
    }

    /// Records `outcome` for the pair at `source` (the first one stays).
    fn record(&mut self, source: &str, outcome: Outcome) {
        match self.by_source.get(source) {
            Some(&i) => {
                self.outcomes[i].get_or_insert(outcome);
            }
            None => {
                // A typed pair the server does not carry: the crate and its
                // exchanges disagree.
                self.exchanges.push(Exchange {
                    source: source.to_owned(),
                    ..Exchange::default()
                });
                self.outcomes
                    .push(Some(Outcome::Failed("no such example pair in the server's set".to_owned())));
            }
        }
    }

    /// A pair no typed call rebuilds, for a reason the docs give.
    pub fn defect(&mut self, source: &str, code: &'static str, why: &str) {
        self.record(source, Outcome::DocDefect(code, why.to_owned()));
    }

    /// The generator found the pair's request (`code` ending in
    /// `-request`) or response example at odds with the operation: if the
    /// typed code cannot read that side, it is this doc defect (else a
    /// failure).
    pub fn expect_defect(&mut self, source: &str, code: &'static str, why: &str) {
        self.expected
            .entry(source.to_owned())
            .or_default()
            .push((code, why.to_owned()));
    }

    /// Replays the pair at `source` with the call `build` makes from it:
    /// alone, or (in batch mode) as an item of the next `$batch`, checked
    /// when that batch is answered. This is the code compiled once per
    /// pair (its closure is a type of its own), so it only builds the
    /// call; the rest goes through `BuiltCall` and `Replay::check`'s
    /// function pointer.
    pub fn pair<O, F>(&mut self, source: &str, build: F)
    where
        O: Operation,
        O::Output: Echo,
        F: FnOnce(&Example<'_>) -> Result<Call<O>, String>,
    {
        let Some(i) = self.pending(source) else {
            return;
        };
        let built = build(&Example {
            exchange: &self.exchanges[i],
        })
        .map(|call| Box::new(call) as Box<dyn BuiltCall + '_>);
        self.replay_built(i, built, Replay::check::<O>);
    }

    /// The index of the pair at `source` if it is to be replayed now; else
    /// its outcome is recorded (unknown, or not replayable) or already
    /// known (batch mode: the first outcome of a pair counts, as in plain
    /// mode).
    fn pending(&mut self, source: &str) -> Option<usize> {
        let Some(&i) = self.by_source.get(source) else {
            // `record` names the missing pair.
            self.record(source, Outcome::Failed(String::new()));
            return None;
        };
        if let Some(b) = &self.batching {
            if self.outcomes[i].is_some() || b.queued.iter().any(|q| q.at == i) {
                return None;
            }
        }
        if let Some(outcome) = self.not_replayable(&self.exchanges[i]) {
            self.record(source, outcome);
            return None;
        }
        Some(i)
    }

    /// Sends the pair's built call alone or queues it in the batch, and
    /// records the outcome when it is known.
    fn replay_built<'c>(&mut self, i: usize, built: Result<Box<dyn BuiltCall + 'c>, String>, check: Check) {
        let source = self.exchanges[i].source.clone();
        let prepared = built
            .map_err(|e| self.not_built(&self.exchanges[i], e))
            .and_then(|mut call| self.prepare(i, call.as_mut()).map(|request| (call, request)));
        let (call, request) = match prepared {
            Ok(prepared) => prepared,
            Err(outcome) => return self.record(&source, outcome),
        };
        if self.batching.is_some() {
            match unbatchable(&self.exchanges[i], call.as_ref(), &request) {
                Some(why) => {
                    if let Some(b) = &mut self.batching {
                        b.alone.push((source.clone(), why));
                    }
                }
                None => return self.enqueue(i, call, check),
            }
        }
        let outcome = self.send_alone(i, request, check);
        self.record(&source, outcome);
    }

    /// Everything before sending, the same in both modes: the example's
    /// request headers added to the built call, and its request, checked
    /// to be exactly the documented one.
    fn prepare(&self, i: usize, call: &mut dyn BuiltCall) -> Result<http::Request<Vec<u8>>, Outcome> {
        let x = &self.exchanges[i];
        for (name, value) in example_headers(x) {
            call.add_header(name, value);
        }
        let request = call
            .to_request(&self.server.base_url())
            .map_err(|e| Outcome::Failed(format!("the call does not become a request: {e}")))?;
        same_request(x, &call.target(), &request)?;
        Ok(request)
    }

    /// The outcome of a pair that is not sent at all: no documented
    /// response, a body where HTTP sends none, or no time left. Not generic:
    /// what depends on the operation is kept out of the code compiled once
    /// per pair.
    fn not_replayable(&self, x: &Exchange) -> Option<Outcome> {
        let Some(documented) = &x.response else {
            return Some(Outcome::DocDefect("no-response", "the page gives no response after this request".into()));
        };
        if NO_BODY_STATUSES.contains(&documented.status) && !blank(documented.body.as_deref()) {
            return Some(Outcome::DocDefect(
                "body-without-content",
                format!(
                    "a {} response documented with a body, which HTTP does not send",
                    documented.status
                ),
            ));
        }
        if self.started.elapsed() > REPLAY_LIMIT {
            return Some(Outcome::Failed("the replay ran out of time".into()));
        }
        None
    }

    /// The outcome of a pair whose typed call does not build (`e`).
    fn not_built(&self, x: &Exchange, e: String) -> Outcome {
        if e.contains("is not JSON") {
            return Outcome::DocDefect("request-not-json", e);
        }
        if blank(x.request.body.as_deref()) {
            return Outcome::DocDefect(
                "missing-request-body",
                format!("the example sends no body, the operation needs one: {e}"),
            );
        }
        self.expected_or(x, true, format!("the typed call does not build: {e}"))
    }

    /// Sends the pair's request alone (naming its example) and checks the
    /// answer with `check` (its operation's [`Replay::check`]).
    fn send_alone(&self, i: usize, mut request: http::Request<Vec<u8>>, check: Check) -> Outcome {
        if let Ok(v) = http::HeaderValue::try_from(self.exchanges[i].source.as_str()) {
            request.headers_mut().insert(EXAMPLE_HEADER, v);
        }
        let sent = self
            .runtime
            .block_on(async { tokio::time::timeout(REQUEST_LIMIT, self.client.execute(request)).await });
        match sent {
            Ok(Ok(response)) => check(self, i, response),
            Ok(Err(e)) => Outcome::Failed(format!("no answer: {e}")),
            Err(_) => Outcome::Failed(format!("no answer within {REQUEST_LIMIT:?}")),
        }
    }

    /// Adds the pair's call (naming its example) to the batch being filled;
    /// a full batch is sent.
    fn enqueue(&mut self, i: usize, mut call: Box<dyn BuiltCall + '_>, check: Check) {
        call.add_header(EXAMPLE_HEADER, &self.exchanges[i].source);
        if self.batching.as_ref().is_some_and(|b| b.batch.len() >= MAX_BATCH_ITEMS) {
            self.flush();
        }
        let Some(b) = &mut self.batching else {
            return;
        };
        match call.add_to(&mut b.batch) {
            Ok(id) => b.queued.push(Queued { at: i, id, check }),
            Err(e) => {
                let source = self.exchanges[i].source.clone();
                self.record(&source, Outcome::Failed(format!("the call does not go into a batch: {e}")));
            }
        }
        if self.batching.as_ref().is_some_and(|b| b.batch.len() >= MAX_BATCH_ITEMS) {
            self.flush();
        }
    }

    /// Sends the batch being filled through [`Client::send_batch`] (its
    /// throttled items retried by the policy) and checks each item's answer
    /// as a pair's answer alone.
    fn flush(&mut self) {
        let Some(b) = &mut self.batching else {
            return;
        };
        if b.batch.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut b.batch);
        let queued = std::mem::take(&mut b.queued);
        b.sent += 1;
        b.items += queued.len();
        let limit = BATCH_LIMIT;
        let sent = self
            .runtime
            .block_on(async { tokio::time::timeout(limit, self.client.send_batch(&batch)).await });
        for q in queued {
            let outcome = match &sent {
                Ok(Ok(answers)) => match answers.get(&q.id) {
                    Some(item) => (q.check)(self, q.at, item.to_response()),
                    None => Outcome::Failed(format!("the batch answer has no item `{}`", q.id)),
                },
                Ok(Err(e)) => Outcome::Failed(format!("the batch got no answer: {e}")),
                Err(_) => Outcome::Failed(format!("the batch got no answer within {limit:?}")),
            };
            let source = self.exchanges[q.at].source.clone();
            self.record(&source, outcome);
        }
    }

    /// The checks of an answer, the same in both modes: the pair's example
    /// answered it (so the server saw the documented method, decoded target
    /// and body), with its status; the typed output parses and
    /// re-serializes to the documented body.
    fn check<O>(&self, i: usize, response: http::Response<Vec<u8>>) -> Outcome
    where
        O: Operation,
        O::Output: Echo,
    {
        self.check_with(i, response, O::ENDPOINT, parse_and_echo::<O>)
    }

    /// [`Replay::check`] without the operation's type: its endpoint facts
    /// and its `parse_response` (output echoed), so that this long body is
    /// compiled once, not once per operation.
    fn check_with(
        &self,
        i: usize,
        response: http::Response<Vec<u8>>,
        endpoint: &Endpoint,
        parse: fn(http::Response<Vec<u8>>) -> Result<Echoed, GraphError>,
    ) -> Outcome {
        let x = &self.exchanges[i];
        let Some(documented) = &x.response else {
            return Outcome::DocDefect("no-response", "the page gives no response after this request".into());
        };
        let answered_by = response.headers().get(EXAMPLE_HEADER).and_then(|v| v.to_str().ok());
        if answered_by != Some(x.source.as_str()) {
            let why = serde_json::from_slice::<Value>(response.body())
                .ok()
                .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
                .unwrap_or_else(|| String::from_utf8_lossy(response.body()).into_owned());
            return Outcome::Failed(match answered_by {
                Some(other) => format!("answered by {other}, not by this example"),
                None => format!("{}: {why}", response.status()),
            });
        }
        if response.status().as_u16() != documented.status {
            return Outcome::Failed(format!("status {} instead of {}", response.status(), documented.status));
        }
        let status = documented.status;
        let location = response.headers().get(http::header::LOCATION).cloned();
        let doc_body = documented.body.as_deref().unwrap_or_default();
        let doc_json = serde_json::from_str::<Value>(doc_body);
        // The page's own success status, when the example shows another.
        let mismatch = endpoint
            .success_status
            .filter(|s| (200..300).contains(&status) && *s != status)
            .map(|s| format!("the page says {s}, its example {status}"));
        let defect = |fallback: Outcome| match &mismatch {
            Some(m) => Outcome::DocDefect("status-mismatch", m.clone()),
            None => fallback,
        };
        let parsed = parse(response);
        if (300..400).contains(&status) {
            // A redirect (a download's `Location`): no typed output; the
            // client follows it off Graph.
            return match (parsed, location) {
                (Err(_), Some(_)) => Outcome::Passed,
                (Err(_), None) => Outcome::DocDefect("redirect-without-location", format!("a {status} without `Location`")),
                (Ok(_), _) => Outcome::Failed(format!("a {status} parsed as a typed output")),
            };
        }
        let output = match parsed {
            Ok(o) => o,
            // A documented error: the typed result is that error.
            Err(e) if !(200..300).contains(&status) => {
                let code = doc_json.as_ref().ok().and_then(|v| v["error"]["code"].as_str());
                return if e.status().as_u16() == status && e.code() == code {
                    Outcome::Passed
                } else {
                    Outcome::Failed(format!("the documented error reads as another: {e}"))
                };
            }
            Err(e) if !blank(Some(doc_body)) && doc_json.is_err() => {
                return Outcome::DocDefect("response-not-json", format!("the documented body is not JSON: {e}"))
            }
            Err(e) if blank(Some(doc_body)) => {
                let ty = endpoint.response_type.unwrap_or("a body");
                return defect(Outcome::DocDefect(
                    "response-without-body",
                    format!("the page's response is {ty}, its example has no body: {e}"),
                ));
            }
            Err(e) => {
                let why = format!("the typed output does not parse: {e}");
                return defect(self.expected_or(x, false, why));
            }
        };
        if !(200..300).contains(&status) {
            return Outcome::Failed(format!("a documented {status} parsed as a typed output"));
        }
        match (output, doc_json) {
            (Echoed::Error(e), _) => Outcome::Failed(format!("the typed output does not serialize: {e}")),
            (Echoed::Bytes(b), _) if b == doc_body.as_bytes() => Outcome::Passed,
            (Echoed::Bytes(_), _) => Outcome::Failed("the bytes differ from the documented body".into()),
            (Echoed::Json(Value::Null), _) if blank(Some(doc_body)) => Outcome::Passed,
            (Echoed::Json(got), Ok(want)) => {
                // OData wraps a primitive result: `{"value": …}`.
                let want = match (&got, &want) {
                    (Value::Object(_), _) => want,
                    (_, Value::Object(m)) if m.contains_key("value") => m["value"].clone(),
                    _ => want,
                };
                match json_diff("$", &want, &got) {
                    None => Outcome::Passed,
                    Some(d) if d.starts_with("$.value: the request has [], the example nothing") => {
                        defect(Outcome::DocDefect(
                            "collection-mismatch",
                            "the page says a collection, its example gives one item".into(),
                        ))
                    }
                    Some(d) => {
                        let why = format!(
                            "the typed output re-serializes differently: {}",
                            d.replace("the request", "the typed output")
                        );
                        defect(self.expected_or(x, false, why))
                    }
                }
            }
            (Echoed::Json(_), Err(e)) => {
                Outcome::DocDefect("response-not-json", format!("the documented body is not JSON: {e}"))
            }
        }
    }

    /// The doc defect the generator expected on this side of the pair (the
    /// request or the response), or a JSON string where the type needs a
    /// boolean or a number (the page's own table says which), else a
    /// failure.
    fn expected_or(&self, x: &Exchange, request: bool, why: String) -> Outcome {
        let listed = self.expected.get(&x.source).into_iter().flatten();
        if let Some((code, listed)) = listed.into_iter().find(|(c, _)| c.ends_with("-request") == request) {
            return Outcome::DocDefect(code, format!("{listed}; {why}"));
        }
        let scalar = ["expected a boolean", "expected f64", "expected i32", "expected i64", "expected u"];
        if why.contains("invalid type: string") && scalar.iter().any(|s| why.contains(s)) {
            return Outcome::DocDefect("string-for-scalar", why);
        }
        Outcome::Failed(why)
    }

    /// The report: every pair's outcome, in the server's order. Pairs no
    /// code replayed (their workload's feature is off) are counted apart.
    pub fn finish(mut self) -> Report {
        self.flush();
        let batch = self.batching.take().map(|b| BatchReport {
            batches: b.sent,
            items: b.items,
            alone: b.alone,
        });
        let mut outcomes = Vec::with_capacity(self.exchanges.len());
        let mut skipped = 0;
        for (x, o) in self.exchanges.iter().zip(self.outcomes) {
            match o {
                Some(o) => outcomes.push((x.source.clone(), o)),
                None => skipped += 1,
            }
        }
        Report {
            outcomes,
            skipped,
            wall: self.started.elapsed(),
            faults: self.server.fault_report(),
            batch,
        }
    }
}

/// The example's request headers the call carries: all but the transport's
/// own, and only valid ones.
fn example_headers(x: &Exchange) -> impl Iterator<Item = (&str, &str)> {
    x.request.headers.iter().filter_map(|(name, value)| {
        let (name, value) = (name.trim(), value.trim());
        (!TRANSPORT_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h))
            && http::HeaderName::try_from(name).is_ok()
            && http::HeaderValue::try_from(value).is_ok())
        .then_some((name, value))
    })
}

/// [`Operation::parse_response`] of `O`, its output echoed: the one step
/// of the check that depends on the operation.
fn parse_and_echo<O>(response: http::Response<Vec<u8>>) -> Result<Echoed, GraphError>
where
    O: Operation,
    O::Output: Echo,
{
    O::parse_response(response).map(|o| o.echo())
}

/// Whether `request` (its target as the call writes it: `written`) is
/// exactly the example's request: method, decoded target, and body (JSON by
/// value, else the text). A body the operation does not send, or a
/// reference body without its `@odata.id`, is the page's fault.
fn same_request(x: &Exchange, written: &str, request: &http::Request<Vec<u8>>) -> Result<(), Outcome> {
    if !x.request.method.eq_ignore_ascii_case(request.method().as_str()) {
        return Err(Outcome::Failed(format!(
            "method {} instead of the documented {}",
            request.method(),
            x.request.method
        )));
    }
    let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    if decode(written) != decode(x.request.target.trim()) {
        return Err(Outcome::Failed(format!(
            "the call writes `{written}`, the docs `{}`",
            x.request.target
        )));
    }
    let want = x.request.body.as_deref().unwrap_or_default();
    let got = String::from_utf8_lossy(request.body());
    if got.trim().is_empty() && !want.trim().is_empty() {
        return Err(Outcome::DocDefect(
            "unexpected-request-body",
            format!("the example sends a body, the page documents none for this {}", x.request.method),
        ));
    }
    match (serde_json::from_str::<Value>(want), serde_json::from_str::<Value>(&got)) {
        (Ok(w), Ok(g)) => match json_diff("$", &w, &g) {
            None => Ok(()),
            Some(_) if g.get("@odata.id").is_some() && w.get("@odata.id").is_none() => Err(Outcome::DocDefect(
                "reference-without-id",
                "a reference body without `@odata.id`".into(),
            )),
            Some(d) => Err(Outcome::Failed(format!(
                "the typed body differs from the documented one: {d}"
            ))),
        },
        _ if want.trim() == got.trim() => Ok(()),
        _ => Err(Outcome::Failed(
            "the typed body differs from the documented one: the text differs".into(),
        )),
    }
}

/// Every pair's outcome.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub outcomes: Vec<(String, Outcome)>,
    /// Pairs not replayed: their workload's feature is off.
    pub skipped: usize,
    pub wall: Duration,
    /// What the injected faults came to, if the server injected any.
    pub faults: Option<FaultReport>,
    /// What batch mode came to, in batch mode.
    pub batch: Option<BatchReport>,
}

impl Report {
    pub fn pairs(&self) -> usize {
        self.outcomes.len()
    }

    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|(_, o)| *o == Outcome::Passed).count()
    }

    pub fn defects(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::DocDefect(..)))
            .count()
    }

    pub fn failed(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
            .count()
    }

    /// Doc defects by code, most frequent first.
    pub fn defect_codes(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for (_, o) in &self.outcomes {
            if let Outcome::DocDefect(code, _) = o {
                match counts.iter_mut().find(|(c, _)| c == code) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((code, 1)),
                }
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        counts
    }

    /// `replay: N pairs, P passed, D doc defects, F failed` (and the pairs
    /// not compiled in, if any).
    pub fn summary(&self) -> String {
        let mut line = format!(
            "replay: {} pairs, {} passed, {} doc defects, {} failed",
            self.pairs(),
            self.passed(),
            self.defects(),
            self.failed()
        );
        if self.skipped > 0 {
            let _ = write!(line, " ({} more not replayed: their features are off)", self.skipped);
        }
        line
    }

    /// One line per defect and failure (`page:line:col: …`), the defects by
    /// code, the faults line (`faults: injected K, retried K, waited as
    /// told K, lost 0`) if faults were injected, then the summary line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (source, o) in &self.outcomes {
            match o {
                Outcome::Passed => {}
                Outcome::DocDefect(code, why) => {
                    let _ = writeln!(out, "{source}: doc defect[{code}]: {why}");
                }
                Outcome::Failed(why) => {
                    let _ = writeln!(out, "{source}: failed: {why}");
                }
            }
        }
        let codes: Vec<String> = self.defect_codes().iter().map(|(c, n)| format!("{c}: {n}")).collect();
        let _ = writeln!(
            out,
            "doc defects by code: {}; replay wall time {:.1} s",
            if codes.is_empty() { "none".to_owned() } else { codes.join(", ") },
            self.wall.as_secs_f64()
        );
        if let Some(b) = &self.batch {
            for (source, why) in &b.alone {
                let _ = writeln!(out, "{source}: sent alone: {why}");
            }
            let _ = writeln!(out, "{}", b.line());
        }
        if let Some(f) = &self.faults {
            let _ = writeln!(out, "{}", f.line());
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }
}
