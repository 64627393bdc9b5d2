//! Upload sessions for the mock (feature `mock`): a server on 127.0.0.1
//! whose `uploadUrl`s really accumulate ranges, so a large file upload runs
//! end to end. [`UploadServer::session`] opens a session (the JSON
//! `createUploadSession` answers: give it to a scripted
//! [`Exchange`](super::mock::Exchange) of the replay server, or straight to
//! [`Upload::from_session`](super::Upload::from_session)); then
//!
//! - `PUT /upload/{id}` with `Content-Range: bytes a-b/total` and exactly
//!   those bytes stores them: `202` with the `nextExpectedRanges` still
//!   missing, or, once every byte is in, `201` with a driveItem (`id`,
//!   `name`, `size`, `file`). A malformed or inconsistent range (another
//!   total, a body of another length, a chunk that is not the last and not
//!   a multiple of 320 KiB) is `400`; a range already received is `416`; an
//!   unknown or finished session `404`;
//! - `GET /upload/{id}` answers the session's status (`200`,
//!   `nextExpectedRanges`);
//! - `DELETE /upload/{id}` cancels it (`204`).
//!
//! [`UploadServer::fail_put`] injects a failure: the server's Nth `PUT`
//! (from 1) gets `503` with `Retry-After: 0` and stores nothing.
//! [`UploadSessions::respond`] is the same without a socket.

use super::upload::UPLOAD_CHUNK_UNIT;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The largest `PUT` body the server reads.
const MAX_PUT: usize = 64 << 20;

#[derive(Debug, Default)]
struct Session {
    name: String,
    total: Option<u64>,
    data: Vec<u8>,
    /// Received ranges, inclusive, merged and ordered.
    received: Vec<(u64, u64)>,
    done: bool,
}

impl Session {
    fn missing(&self) -> Vec<String> {
        let Some(total) = self.total else {
            return vec!["0-".to_owned()];
        };
        let mut out = Vec::new();
        let mut at = 0;
        for &(a, b) in &self.received {
            if a > at {
                out.push(format!("{at}-{}", a - 1));
            }
            at = b + 1;
        }
        if at < total {
            out.push(format!("{at}-"));
        }
        out
    }

    fn add(&mut self, start: u64, end: u64) {
        self.received.push((start, end));
        self.received.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(self.received.len());
        for &(a, b) in &self.received {
            match merged.last_mut() {
                Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        self.received = merged;
    }
}

#[derive(Debug, Default)]
struct State {
    sessions: BTreeMap<String, Session>,
    next_id: u64,
    puts: usize,
    fail_puts: HashSet<usize>,
}

/// The sessions of an [`UploadServer`], sans IO.
#[derive(Debug, Default)]
pub struct UploadSessions {
    origin: String,
    state: Mutex<State>,
}

impl UploadSessions {
    /// Sessions whose `uploadUrl`s start with `origin` (`http://127.0.0.1:PORT`).
    pub fn new(origin: impl Into<String>) -> UploadSessions {
        UploadSessions {
            origin: origin.into(),
            state: Mutex::default(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Opens a session for a file named `name`; returns what
    /// `createUploadSession` answers.
    pub fn session(&self, name: &str) -> Value {
        let mut state = self.state();
        state.next_id += 1;
        let id = format!("s{}", state.next_id);
        state.sessions.insert(
            id.clone(),
            Session {
                name: name.to_owned(),
                ..Session::default()
            },
        );
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession",
            "uploadUrl": format!("{}/upload/{id}", self.origin),
            "expirationDateTime": EXPIRES,
            "nextExpectedRanges": ["0-"],
        })
    }

    /// The server's `n`th `PUT` (from 1) fails with `503`.
    pub fn fail_put(&self, n: usize) {
        self.state().fail_puts.insert(n);
    }

    /// `PUT`s answered so far, failed ones included.
    pub fn puts(&self) -> usize {
        self.state().puts
    }

    /// The bytes of a finished upload, by its `uploadUrl`.
    pub fn uploaded(&self, upload_url: &str) -> Option<Vec<u8>> {
        let id = upload_url.rsplit('/').next()?;
        let state = self.state();
        let s = state.sessions.get(id)?;
        s.done.then(|| s.data.clone())
    }

    /// The answer to one request.
    pub fn respond(&self, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        let path = request.uri().path();
        let Some(id) = path.strip_prefix("/upload/") else {
            return error(404, "itemNotFound", &format!("no upload session at {path}"));
        };
        let mut state = self.state();
        if request.method() == http::Method::PUT {
            state.puts += 1;
            let n = state.puts;
            if state.fail_puts.remove(&n) {
                let mut r = error(503, "serviceNotAvailable", &format!("injected failure of PUT {n}"));
                r.headers_mut()
                    .insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("0"));
                return r;
            }
        }
        let Some(session) = state.sessions.get_mut(id).filter(|s| !s.done) else {
            return error(404, "itemNotFound", &format!("the upload session {id} does not exist"));
        };
        match *request.method() {
            http::Method::GET => {
                let url = format!("{}{path}", self.origin);
                let body = json!({
                    "uploadUrl": url,
                    "expirationDateTime": EXPIRES,
                    "nextExpectedRanges": session.missing(),
                });
                json_response(200, &body)
            }
            http::Method::DELETE => {
                state.sessions.remove(id);
                let mut r = http::Response::new(Vec::new());
                *r.status_mut() = http::StatusCode::NO_CONTENT;
                r
            }
            http::Method::PUT => put(session, id, request),
            _ => error(405, "invalidRequest", "an upload session takes PUT, GET and DELETE"),
        }
    }
}

fn put(session: &mut Session, id: &str, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    if request.headers().contains_key(http::header::AUTHORIZATION) {
        return error(401, "unauthenticated", "an uploadUrl takes no Authorization header");
    }
    let Some((start, end, total)) = request
        .headers()
        .get(http::header::CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(content_range)
    else {
        return error(
            400,
            "invalidRange",
            "Content-Range must be `bytes a-b/total`, a <= b < total",
        );
    };
    let body = request.body();
    if body.len() as u64 != end - start + 1 {
        return error(
            400,
            "invalidRange",
            &format!("the range has {} bytes, the body {}", end - start + 1, body.len()),
        );
    }
    if session.total.is_some_and(|t| t != total) {
        return error(400, "invalidRange", "the total size changed within the session");
    }
    if end + 1 != total && !(body.len() as u64).is_multiple_of(UPLOAD_CHUNK_UNIT) {
        return error(
            400,
            "invalidRange",
            "a range but the last must be a multiple of 320 KiB",
        );
    }
    if session.received.iter().any(|&(a, b)| start <= b && a <= end) {
        return error(416, "invalidRange", "the range overlaps bytes already received");
    }
    if session.total.is_none() {
        session.total = Some(total);
        session.data = vec![0; total as usize];
    }
    session.data[start as usize..=end as usize].copy_from_slice(body);
    session.add(start, end);
    if session.received == [(0, total - 1)] {
        session.done = true;
        let item = json!({
            "id": format!("01MOCK{}", id.to_ascii_uppercase()),
            "name": session.name,
            "size": total,
            "file": {},
        });
        return json_response(201, &item);
    }
    json_response(
        202,
        &json!({ "expirationDateTime": EXPIRES, "nextExpectedRanges": session.missing() }),
    )
}

/// `bytes a-b/total`.
fn content_range(text: &str) -> Option<(u64, u64, u64)> {
    let (range, total) = text.trim().strip_prefix("bytes ")?.split_once('/')?;
    let (a, b) = range.split_once('-')?;
    let (a, b, total) = (
        a.parse::<u64>().ok()?,
        b.parse::<u64>().ok()?,
        total.parse::<u64>().ok()?,
    );
    (a <= b && b < total && total <= MAX_PUT as u64 * 16).then_some((a, b, total))
}

const EXPIRES: &str = "2030-01-01T00:00:00Z";

fn json_response(status: u16, body: &Value) -> http::Response<Vec<u8>> {
    let mut r = http::Response::new(body.to_string().into_bytes());
    *r.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    r
}

fn error(status: u16, code: &str, message: &str) -> http::Response<Vec<u8>> {
    json_response(status, &json!({ "error": { "code": code, "message": message } }))
}

/// A running upload-session server on 127.0.0.1, on its own thread; stops
/// when dropped.
pub struct UploadServer {
    sessions: Arc<UploadSessions>,
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<std::sync::mpsc::Receiver<()>>,
}

impl std::fmt::Debug for UploadServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl UploadServer {
    /// Serves upload sessions on an ephemeral port of 127.0.0.1.
    pub fn start() -> std::io::Result<UploadServer> {
        let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let sessions = Arc::new(UploadSessions::new(format!("http://{addr}")));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let (shutdown, signal) = tokio::sync::oneshot::channel::<()>();
        let (done_tx, done) = std::sync::mpsc::channel();
        let state = sessions.clone();
        std::thread::Builder::new()
            .name(format!("graph-upload-{}", addr.port()))
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
        Ok(UploadServer {
            sessions,
            addr,
            shutdown: Some(shutdown),
            done: Some(done),
        })
    }

    /// Opens a session: see [`UploadSessions::session`].
    pub fn session(&self, name: &str) -> Value {
        self.sessions.session(name)
    }

    /// The server's `n`th `PUT` (from 1) fails with `503`.
    pub fn fail_put(&self, n: usize) {
        self.sessions.fail_put(n);
    }

    /// The sessions behind the server.
    pub fn sessions(&self) -> &UploadSessions {
        &self.sessions
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for UploadServer {
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
    axum::extract::State(sessions): axum::extract::State<Arc<UploadSessions>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let response = match axum::body::to_bytes(body, MAX_PUT).await {
        Ok(bytes) => sessions.respond(&http::Request::from_parts(parts, bytes.to_vec())),
        Err(e) => error(413, "requestTooLarge", &e.to_string()),
    };
    let (parts, body) = response.into_parts();
    axum::response::Response::from_parts(parts, axum::body::Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(range: &str, body: Vec<u8>) -> http::Request<Vec<u8>> {
        http::Request::builder()
            .method("PUT")
            .uri("/upload/s1")
            .header("content-range", range)
            .body(body)
            .unwrap()
    }

    fn ranges(r: &http::Response<Vec<u8>>) -> Value {
        serde_json::from_slice::<Value>(r.body()).unwrap()["nextExpectedRanges"].clone()
    }

    #[test]
    fn sessions_accumulate_ranges() {
        let s = UploadSessions::new("http://127.0.0.1:1");
        let session = s.session("big.bin");
        assert_eq!(session["uploadUrl"], "http://127.0.0.1:1/upload/s1");
        let unit = UPLOAD_CHUNK_UNIT as usize;
        let total = 2 * unit + 5;
        let data: Vec<u8> = (0..total).map(|i| (i % 251) as u8).collect();
        let r = s.respond(&put(
            &format!("bytes {unit}-{}/{total}", 2 * unit - 1),
            data[unit..2 * unit].to_vec(),
        ));
        assert_eq!(r.status(), 202);
        assert_eq!(ranges(&r), json!([format!("0-{}", unit - 1), format!("{}-", 2 * unit)]));
        // Overlap, wrong lengths, another total, a bad chunk size.
        assert_eq!(
            s.respond(&put(
                &format!("bytes {unit}-{}/{total}", 2 * unit - 1),
                data[unit..2 * unit].to_vec()
            ))
            .status(),
            416
        );
        assert_eq!(s.respond(&put(&format!("bytes 0-9/{total}"), vec![0; 9])).status(), 400);
        assert_eq!(s.respond(&put("bytes 0-9/20", vec![0; 10])).status(), 400);
        assert_eq!(
            s.respond(&put(&format!("bytes 0-9/{total}"), vec![0; 10])).status(),
            400
        );
        assert_eq!(s.respond(&put("bytes 9-0/20", vec![])).status(), 400);
        let status = s.respond(&http::Request::get("/upload/s1").body(Vec::new()).unwrap());
        assert_eq!(status.status(), 200);
        assert_eq!(ranges(&status), ranges(&r));
        assert_eq!(
            s.respond(&put(
                &format!("bytes {}-{}/{total}", 2 * unit, total - 1),
                data[2 * unit..].to_vec()
            ))
            .status(),
            202
        );
        let done = s.respond(&put(&format!("bytes 0-{}/{total}", unit - 1), data[..unit].to_vec()));
        assert_eq!(done.status(), 201);
        let item: Value = serde_json::from_slice(done.body()).unwrap();
        assert_eq!(item["name"], "big.bin");
        assert_eq!(item["size"], total);
        assert_eq!(s.uploaded("http://127.0.0.1:1/upload/s1").unwrap(), data);
        // Finished: the session is gone.
        assert_eq!(
            s.respond(&http::Request::get("/upload/s1").body(Vec::new()).unwrap())
                .status(),
            404
        );
        assert_eq!(
            s.respond(&http::Request::get("/upload/s9").body(Vec::new()).unwrap())
                .status(),
            404
        );
    }

    #[test]
    fn injected_failures_and_cancel() {
        let s = UploadSessions::new("http://h");
        s.session("a");
        s.fail_put(1);
        let r = s.respond(&put("bytes 0-9/10", vec![0; 10]));
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "0");
        assert_eq!(s.puts(), 1);
        let status = s.respond(&http::Request::get("/upload/s1").body(Vec::new()).unwrap());
        assert_eq!(ranges(&status), json!(["0-"]));
        let d = s.respond(&http::Request::delete("/upload/s1").body(Vec::new()).unwrap());
        assert_eq!(d.status(), 204);
        assert_eq!(s.respond(&put("bytes 0-9/10", vec![0; 10])).status(), 404);
    }
}

/// The flow end to end: the replay server answers `createUploadSession`,
/// the client uploads through the session server.
#[cfg(all(test, feature = "reqwest"))]
mod client_tests {
    use super::super::call::{Call, Operation};
    use super::super::client::{Client, Error, StaticToken};
    use super::super::mock::{Exchange, Exchanges, MockServer};
    use super::super::retry::RetryPolicy;
    use super::super::upload::{Upload, UploadError, UPLOAD_CHUNK_UNIT};
    use super::super::NoBody;
    use super::*;
    use crate::support::{Endpoint, Method};
    use std::time::Instant;

    struct CreateUploadSession;
    impl Operation for CreateUploadSession {
        type Body = NoBody;
        type Output = Value;
        const ENDPOINT: &'static Endpoint = &Endpoint {
            name: "Create upload session",
            method: Method::Post,
            path: "/me/drive/items/{itemId}/createUploadSession",
            parameters: &["itemId"],
            request_type: None,
            response_type: Some("microsoft.graph.uploadSession"),
            success_status: Some(200),
            permissions: &[],
        };
    }

    #[derive(Debug, serde::Deserialize)]
    struct DriveItem {
        id: String,
        name: String,
        size: u64,
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(60), f)
                .await
                .expect("bounded test")
        })
    }

    fn fast() -> RetryPolicy {
        RetryPolicy {
            base_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        }
    }

    #[test]
    fn a_5_mib_file_in_chunks_with_one_injected_failure() {
        let uploads = UploadServer::start().unwrap();
        let session = uploads.session("big.bin");
        let graph = MockServer::start(Exchanges::new().with(Exchange::json(
            "POST",
            "/me/drive/items/root:/big.bin:/createUploadSession",
            200,
            &session.to_string(),
        )))
        .unwrap();
        uploads.fail_put(2);
        let data: Vec<u8> = (0..5u32 << 20).map(|i| (i % 253) as u8).collect();
        let started = Instant::now();
        let client = Client::builder(StaticToken::new("t0ken"))
            .base_url(graph.base_url())
            .retry(fast())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let item: DriveItem = run(async {
            let call = Call::<CreateUploadSession>::from_parts(
                "/me/drive/items/root:/big.bin:/createUploadSession".into(),
                NoBody,
            );
            let session = client.send(&call).await.unwrap();
            // 5 MiB in four 1.25 MiB chunks.
            let upload = Upload::from_session(&session, data.len() as u64, 4 * UPLOAD_CHUNK_UNIT).unwrap();
            client.upload(upload, &data).await
        })
        .unwrap();
        assert_eq!(item.name, "big.bin");
        assert_eq!(item.size, 5 << 20);
        assert!(item.id.starts_with("01MOCK"));
        // Four chunks and the failed one again.
        assert_eq!(uploads.sessions().puts(), 5);
        let url = session["uploadUrl"].as_str().unwrap();
        assert_eq!(uploads.sessions().uploaded(url).unwrap(), data);
        assert!(started.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn a_gone_session_and_repeated_failures_stop_the_upload() {
        let uploads = UploadServer::start().unwrap();
        let session = uploads.session("a.bin");
        let client = Client::builder(StaticToken::new("t0ken"))
            .retry(fast())
            .build()
            .unwrap();
        let data = vec![1u8; 1000];
        // Cancelled: 404, a final error.
        let url = session["uploadUrl"].as_str().unwrap().to_owned();
        let cancel = http::Request::delete(url.replace(&format!("http://{}", uploads.addr()), ""))
            .body(Vec::new())
            .unwrap();
        assert_eq!(uploads.sessions().respond(&cancel).status(), 204);
        let upload = Upload::from_session(&session, 1000, UPLOAD_CHUNK_UNIT).unwrap();
        match run(client.upload::<Value>(upload, &data)) {
            Err(Error::Upload(UploadError::Graph(e))) => assert_eq!(e.status(), 404),
            other => panic!("{other:?}"),
        }
        // Every PUT fails: the failure limit ends it.
        let session = uploads.session("b.bin");
        for n in 2..10 {
            uploads.fail_put(n);
        }
        let upload = Upload::from_session(&session, 1000, UPLOAD_CHUNK_UNIT)
            .unwrap()
            .max_failures(3);
        match run(client.upload::<Value>(upload, &data)) {
            Err(Error::Upload(UploadError::Failures {
                failures: 3,
                last: Some(e),
            })) => assert_eq!(e.status(), 503),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_response_is_a_failure_too() {
        let uploads = UploadServer::start().unwrap();
        let session = uploads.session("c.bin");
        drop(uploads); // the uploadUrl no longer answers
        let client = Client::builder(StaticToken::new("t0ken"))
            .retry(fast())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let upload = Upload::from_session(&session, 10, UPLOAD_CHUNK_UNIT)
            .unwrap()
            .max_failures(2);
        match run(client.upload::<Value>(upload, &[0; 10])) {
            Err(Error::Upload(UploadError::Failures {
                failures: 2,
                last: None,
            })) => {}
            other => panic!("{other:?}"),
        }
    }
}
