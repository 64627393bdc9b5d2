//! Large file upload through an upload session, sans IO: see [`Upload`].

use super::error::GraphError;
use serde::de::DeserializeOwned;
use std::fmt;

/// The unit of an upload's chunk size: 320 KiB. Graph requires every range
/// but the last to be a multiple of it.
pub const UPLOAD_CHUNK_UNIT: u64 = 327_680;

/// The largest chunk: the service takes less than 60 MiB per request; this
/// is the largest multiple of [`UPLOAD_CHUNK_UNIT`] under that.
pub const MAX_UPLOAD_CHUNK: u64 = 191 * UPLOAD_CHUNK_UNIT;

/// What comes after a response.
#[derive(Debug)]
pub enum Step<T> {
    /// Send [`Upload::next_request`] (the next range, or the status `GET`
    /// of a resume).
    Continue,
    /// The upload is complete: the service's item.
    Done(T),
    /// The request failed in a way an upload survives: wait (the client
    /// follows its retry policy), then send [`Upload::next_request`], which
    /// is now the status `GET` ([`Upload::resume_request`]).
    Resume,
}

/// Why an upload stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum UploadError {
    /// The chunk size is not a non-zero multiple of [`UPLOAD_CHUNK_UNIT`]
    /// up to [`MAX_UPLOAD_CHUNK`].
    ChunkSize(u64),
    /// Nothing to upload (an empty file takes a plain `PUT …/content`).
    Empty,
    /// The session has no usable `uploadUrl`.
    NoUploadUrl,
    /// The data given to [`Upload::next_request`] is not `total` bytes long.
    DataLength { expected: u64, actual: u64 },
    /// The service's `nextExpectedRanges` are not ranges of this file.
    BadRanges(Vec<String>),
    /// A final error: the service's answer (`404`: the session is gone,
    /// start over; `409`: a name conflict on commit), or a success body
    /// that does not decode.
    Graph(GraphError),
    /// More failures in a row than the upload's limit; the last one's error
    /// (`None`: no response).
    Failures { failures: u32, last: Option<GraphError> },
    /// More requests than the upload's step limit.
    Steps(u32),
    /// The request did not form (a malformed `uploadUrl`).
    Request(String),
}

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadError::ChunkSize(n) => write!(
                f,
                "chunk size {n} is not a non-zero multiple of {UPLOAD_CHUNK_UNIT} bytes up to {MAX_UPLOAD_CHUNK}"
            ),
            UploadError::Empty => f.write_str("an upload session cannot upload an empty file"),
            UploadError::NoUploadUrl => f.write_str("the upload session has no uploadUrl"),
            UploadError::DataLength { expected, actual } => {
                write!(f, "the upload is of {expected} bytes, the data has {actual}")
            }
            UploadError::BadRanges(r) => write!(f, "nextExpectedRanges {r:?} are not ranges of the file"),
            UploadError::Graph(e) => e.fmt(f),
            UploadError::Failures { failures, last } => match last {
                Some(e) => write!(f, "the upload failed {failures} times in a row; the last: {e}"),
                None => write!(
                    f,
                    "the upload failed {failures} times in a row; the last had no response"
                ),
            },
            UploadError::Steps(n) => write!(f, "the upload did not finish within {n} requests"),
            UploadError::Request(m) => write!(f, "the upload request did not form: {m}"),
        }
    }
}

impl std::error::Error for UploadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UploadError::Graph(e) => Some(e),
            UploadError::Failures { last: Some(e), .. } => Some(e),
            _ => None,
        }
    }
}

impl From<GraphError> for UploadError {
    fn from(e: GraphError) -> Self {
        UploadError::Graph(e)
    }
}

/// What the last request was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sent {
    Nothing,
    /// A `PUT` of `start..=end`.
    Put {
        start: u64,
        end: u64,
    },
    /// The status `GET`.
    Status,
}

/// Large file upload through an upload session, sans IO: after
/// `createUploadSession` answers with an `uploadUrl`, the file goes up in
/// ranged `PUT`s (`Content-Range: bytes a-b/total`, no `Authorization`: the
/// URL is the credential), each answered `202 Accepted` with the
/// `nextExpectedRanges` still missing, the last one `200`/`201` with the
/// item. After a failure (a 5xx, a 429, a 416, no response) a `GET` of the
/// `uploadUrl` says which ranges the service still expects, and the upload
/// goes on from there.
///
/// This type is that flow as a state machine: [`Upload::next_request`]
/// gives the next request, [`Upload::on_response`] takes its answer (and
/// [`Upload::on_transport_error`] its absence) and says what comes next, a
/// [`Step`]. Any client can drive it; feature `reqwest` adds
/// `Client::upload`, which does.
///
/// ```
/// use generated::runtime::{Step, Upload, UPLOAD_CHUNK_UNIT};
///
/// // What `createUploadSession` answered.
/// let session = serde_json::json!({
///     "uploadUrl": "https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337",
///     "expirationDateTime": "2015-01-29T09:21:55.523Z",
/// });
/// let data = vec![7u8; 500_000];
/// let mut upload = Upload::from_session(&session, data.len() as u64, UPLOAD_CHUNK_UNIT).unwrap();
///
/// let first = upload.next_request(&data).unwrap();
/// assert_eq!(first.method(), http::Method::PUT);
/// assert_eq!(first.headers()["content-range"], "bytes 0-327679/500000");
/// assert!(first.headers().get("authorization").is_none());
/// let accepted = http::Response::builder()
///     .status(202)
///     .body(br#"{"nextExpectedRanges": ["327680-"]}"#.to_vec())
///     .unwrap();
/// assert!(matches!(upload.on_response::<serde_json::Value>(accepted), Ok(Step::Continue)));
///
/// let last = upload.next_request(&data).unwrap();
/// assert_eq!(last.headers()["content-range"], "bytes 327680-499999/500000");
/// let created = http::Response::builder()
///     .status(201)
///     .body(br#"{"id": "912310013A123", "name": "largefile.vhd", "size": 500000}"#.to_vec())
///     .unwrap();
/// match upload.on_response::<serde_json::Value>(created).unwrap() {
///     Step::Done(item) => assert_eq!(item["size"], 500000),
///     other => panic!("not done: {other:?}"),
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Upload {
    url: String,
    total: u64,
    chunk: u64,
    /// The ranges still missing, inclusive, in order.
    missing: Vec<(u64, u64)>,
    /// The next request is the status `GET`.
    resume: bool,
    sent: Sent,
    failures: u32,
    max_failures: u32,
    steps: u32,
    max_steps: u32,
}

impl Upload {
    /// An upload of `total` bytes to `upload_url` in chunks of `chunk`
    /// bytes (a non-zero multiple of [`UPLOAD_CHUNK_UNIT`], at most
    /// [`MAX_UPLOAD_CHUNK`]), starting at byte 0.
    pub fn new(upload_url: &str, total: u64, chunk: u64) -> Result<Upload, UploadError> {
        if chunk == 0 || !chunk.is_multiple_of(UPLOAD_CHUNK_UNIT) || chunk > MAX_UPLOAD_CHUNK {
            return Err(UploadError::ChunkSize(chunk));
        }
        if total == 0 {
            return Err(UploadError::Empty);
        }
        if upload_url.is_empty() || upload_url.parse::<http::Uri>().is_err() {
            return Err(UploadError::NoUploadUrl);
        }
        let chunks = total.div_ceil(chunk);
        let max_steps = u32::try_from(chunks.saturating_mul(2).saturating_add(32)).unwrap_or(u32::MAX);
        Ok(Upload {
            url: upload_url.to_owned(),
            total,
            chunk,
            missing: vec![(0, total - 1)],
            resume: false,
            sent: Sent::Nothing,
            failures: 0,
            max_failures: 5,
            steps: 0,
            max_steps,
        })
    }

    /// An upload into the session `createUploadSession` answered (its JSON:
    /// `uploadUrl`, and `nextExpectedRanges` if it lists them).
    pub fn from_session(session: &serde_json::Value, total: u64, chunk: u64) -> Result<Upload, UploadError> {
        let url = session
            .get("uploadUrl")
            .and_then(serde_json::Value::as_str)
            .ok_or(UploadError::NoUploadUrl)?;
        let mut upload = Upload::new(url, total, chunk)?;
        if let Some(ranges) = session.get("nextExpectedRanges") {
            upload.missing = parse_ranges(ranges, total)?.unwrap_or(upload.missing);
        }
        Ok(upload)
    }

    /// At most `n` failures in a row (default 5) before giving up.
    pub fn max_failures(mut self, n: u32) -> Upload {
        self.max_failures = n;
        self
    }

    /// At most `n` requests in all (default: twice the chunks, plus 32).
    pub fn max_steps(mut self, n: u32) -> Upload {
        self.max_steps = n;
        self
    }

    pub fn upload_url(&self) -> &str {
        &self.url
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn chunk_size(&self) -> u64 {
        self.chunk
    }

    /// The ranges the service still expects, inclusive, as last known.
    pub fn missing(&self) -> &[(u64, u64)] {
        &self.missing
    }

    /// Failures in a row so far (0 after a success).
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The next range to send, inclusive: from the start of the first
    /// missing range, at most one chunk, not past that range.
    pub fn next_range(&self) -> Option<(u64, u64)> {
        let &(start, end) = self.missing.first()?;
        Some((start, end.min(start.saturating_add(self.chunk - 1))))
    }

    /// The next request: the status `GET` after a [`Step::Resume`], else
    /// the `PUT` of [`Upload::next_range`] of `data` (the whole file).
    pub fn next_request(&mut self, data: &[u8]) -> Result<http::Request<Vec<u8>>, UploadError> {
        if data.len() as u64 != self.total {
            return Err(UploadError::DataLength {
                expected: self.total,
                actual: data.len() as u64,
            });
        }
        self.step()?;
        if self.resume {
            self.sent = Sent::Status;
            return self.status_request();
        }
        let Some((start, end)) = self.next_range() else {
            // Everything is sent but no item came: ask where things stand.
            self.sent = Sent::Status;
            return self.status_request();
        };
        self.sent = Sent::Put { start, end };
        // In bounds: `missing` holds ranges below `total`, the data's length.
        let body = data[start as usize..=end as usize].to_vec();
        http::Request::builder()
            .method(http::Method::PUT)
            .uri(&self.url)
            .header(
                http::header::CONTENT_RANGE,
                format!("bytes {start}-{end}/{}", self.total),
            )
            .header(http::header::CONTENT_LENGTH, body.len())
            .body(body)
            .map_err(|e| UploadError::Request(e.to_string()))
    }

    /// The status `GET` of the `uploadUrl` (no `Authorization`), whose
    /// `nextExpectedRanges` an upload resumes from.
    pub fn resume_request(&self) -> Result<http::Request<Vec<u8>>, UploadError> {
        http::Request::builder()
            .method(http::Method::GET)
            .uri(&self.url)
            .body(Vec::new())
            .map_err(|e| UploadError::Request(e.to_string()))
    }

    fn status_request(&self) -> Result<http::Request<Vec<u8>>, UploadError> {
        self.resume_request()
    }

    fn step(&mut self) -> Result<(), UploadError> {
        if self.steps >= self.max_steps {
            return Err(UploadError::Steps(self.max_steps));
        }
        self.steps += 1;
        Ok(())
    }

    /// The last request got no response (connection, timeout): the next
    /// request is the status `GET`, unless the failures are used up.
    pub fn on_transport_error(&mut self) -> Result<(), UploadError> {
        self.fail(None)
    }

    fn fail(&mut self, error: Option<GraphError>) -> Result<(), UploadError> {
        self.failures += 1;
        self.resume = true;
        if self.failures >= self.max_failures {
            return Err(UploadError::Failures {
                failures: self.failures,
                last: error,
            });
        }
        Ok(())
    }

    /// The answer to the last request. A `PUT`'s `202` gives the ranges
    /// still missing ([`Step::Continue`]); its `200`/`201` the item, as
    /// `T` ([`Step::Done`]); a status `GET`'s `200` the ranges to resume
    /// from. A 429, 416 or 5xx is [`Step::Resume`] (within the failure
    /// limit); any other status is a final [`UploadError::Graph`]. Never
    /// panics.
    pub fn on_response<T: DeserializeOwned>(
        &mut self,
        response: http::Response<Vec<u8>>,
    ) -> Result<Step<T>, UploadError> {
        let status = response.status();
        let (parts, body) = response.into_parts();
        let retryable = status == http::StatusCode::TOO_MANY_REQUESTS
            || status == http::StatusCode::RANGE_NOT_SATISFIABLE
            || status.is_server_error();
        if retryable {
            let error = GraphError::from_error_response(status, &parts.headers, &body);
            self.fail(Some(error))?;
            return Ok(Step::Resume);
        }
        if !status.is_success() {
            return Err(GraphError::from_error_response(status, &parts.headers, &body).into());
        }
        let decode = |path: &str, message: &str| GraphError::decode(status, &parts.headers, &body, path, message);
        match (self.sent, status.as_u16()) {
            (Sent::Put { .. }, 200 | 201) => {
                let item = serde_json::from_slice::<T>(&body).map_err(|e| decode("$", &e.to_string()))?;
                self.failures = 0;
                self.missing.clear();
                Ok(Step::Done(item))
            }
            (Sent::Put { start, end }, _) => {
                let value = json_object(&body).map_err(|m| decode("$", &m))?;
                match value.get("nextExpectedRanges") {
                    Some(ranges) => match parse_ranges(ranges, self.total)? {
                        Some(missing) => self.missing = missing,
                        None => return Err(decode("$.nextExpectedRanges", "not a list of ranges").into()),
                    },
                    // No list: the range sent is taken as received.
                    None => remove(&mut self.missing, start, end),
                }
                self.failures = 0;
                Ok(Step::Continue)
            }
            (Sent::Status, _) => {
                let value = json_object(&body).map_err(|m| decode("$", &m))?;
                let ranges = value
                    .get("nextExpectedRanges")
                    .ok_or_else(|| decode("$.nextExpectedRanges", "the session status has no nextExpectedRanges"))?;
                match parse_ranges(ranges, self.total)? {
                    Some(missing) => self.missing = missing,
                    None => return Err(decode("$.nextExpectedRanges", "not a list of ranges").into()),
                }
                // Failures count on until a range goes through.
                self.resume = false;
                Ok(Step::Continue)
            }
            (Sent::Nothing, _) => Err(decode("$", "a response before any request").into()),
        }
    }
}

fn json_object(body: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err("not a JSON object".to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

/// `nextExpectedRanges` (`["26-"]`, `["0-1023", "2048-"]`, Outlook's
/// `["4096"]`) as inclusive ranges below `total`, in order; `None` when the
/// value is not a list of strings.
pub fn parse_ranges(value: &serde_json::Value, total: u64) -> Result<Option<Vec<(u64, u64)>>, UploadError> {
    let Some(items) = value.as_array() else {
        return Ok(None);
    };
    let mut texts = Vec::with_capacity(items.len());
    for item in items {
        match item.as_str() {
            Some(t) => texts.push(t),
            None => return Ok(None),
        }
    }
    let bad = || UploadError::BadRanges(texts.iter().map(|t| (*t).to_owned()).collect());
    let mut ranges = Vec::with_capacity(texts.len());
    for text in &texts {
        let text = text.trim();
        let (start, end) = match text.split_once('-') {
            Some((s, "")) => (s.trim().parse::<u64>().map_err(|_| bad())?, total - 1),
            Some((s, e)) => (
                s.trim().parse::<u64>().map_err(|_| bad())?,
                e.trim().parse::<u64>().map_err(|_| bad())?,
            ),
            None => (text.parse::<u64>().map_err(|_| bad())?, total - 1),
        };
        // The service may name the end as `total`; anything else past it,
        // or a backwards range, is not of this file.
        let end = end.min(total - 1);
        if start > end {
            return Err(bad());
        }
        ranges.push((start, end));
    }
    ranges.sort_unstable();
    Ok(Some(ranges))
}

/// Removes `start..=end` from the ordered inclusive `ranges`.
fn remove(ranges: &mut Vec<(u64, u64)>, start: u64, end: u64) {
    let mut out = Vec::with_capacity(ranges.len() + 1);
    for &(a, b) in ranges.iter() {
        if b < start || a > end {
            out.push((a, b));
            continue;
        }
        if a < start {
            out.push((a, start - 1));
        }
        if b > end {
            out.push((end + 1, b));
        }
    }
    *ranges = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const URL: &str = "https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337";

    fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
        http::Response::builder()
            .status(status)
            .body(body.as_bytes().to_vec())
            .unwrap()
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Item {
        id: String,
        size: u64,
    }

    #[test]
    fn chunk_sizes_are_multiples_of_320_kib() {
        assert!(matches!(Upload::new(URL, 10, 0), Err(UploadError::ChunkSize(0))));
        assert!(matches!(Upload::new(URL, 10, 1000), Err(UploadError::ChunkSize(1000))));
        assert!(matches!(
            Upload::new(URL, 10, UPLOAD_CHUNK_UNIT + 1),
            Err(UploadError::ChunkSize(_))
        ));
        assert!(matches!(
            Upload::new(URL, 10, MAX_UPLOAD_CHUNK + UPLOAD_CHUNK_UNIT),
            Err(UploadError::ChunkSize(_))
        ));
        assert!(Upload::new(URL, 10, MAX_UPLOAD_CHUNK).is_ok());
        assert_eq!(
            Upload::new(URL, 10, 3 * UPLOAD_CHUNK_UNIT).unwrap().chunk_size(),
            983_040
        );
        const { assert!(MAX_UPLOAD_CHUNK < 60 << 20) };
        assert!(matches!(
            Upload::new(URL, 0, UPLOAD_CHUNK_UNIT),
            Err(UploadError::Empty)
        ));
        assert!(matches!(
            Upload::new("", 1, UPLOAD_CHUNK_UNIT),
            Err(UploadError::NoUploadUrl)
        ));
        assert!(matches!(
            Upload::from_session(&json!({"expirationDateTime": "x"}), 1, UPLOAD_CHUNK_UNIT),
            Err(UploadError::NoUploadUrl)
        ));
    }

    #[test]
    fn ranges_parse_as_graph_writes_them() {
        let r = |v: serde_json::Value| parse_ranges(&v, 4096).unwrap();
        assert_eq!(r(json!(["26-"])), Some(vec![(26, 4095)]));
        assert_eq!(r(json!(["2048-", "0-1023"])), Some(vec![(0, 1023), (2048, 4095)]));
        assert_eq!(r(json!(["12"])), Some(vec![(12, 4095)]));
        assert_eq!(r(json!(["0-4096"])), Some(vec![(0, 4095)]));
        assert_eq!(r(json!([])), Some(vec![]));
        assert_eq!(r(json!("26-")), None);
        assert_eq!(r(json!([26])), None);
        for bad in [
            json!(["x-"]),
            json!(["5-2"]),
            json!(["4096-"]),
            json!(["-"]),
            json!(["1-2-3"]),
        ] {
            assert!(
                matches!(parse_ranges(&bad, 4096), Err(UploadError::BadRanges(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn range_math_splits_by_chunk_and_missing_range() {
        let total = 2 * UPLOAD_CHUNK_UNIT + 100;
        let data = vec![1u8; total as usize];
        let mut up = Upload::new(URL, total, UPLOAD_CHUNK_UNIT).unwrap();
        let req = up.next_request(&data).unwrap();
        assert_eq!(req.uri(), URL);
        assert_eq!(req.headers()["content-range"], "bytes 0-327679/655460");
        assert_eq!(req.body().len() as u64, UPLOAD_CHUNK_UNIT);
        assert!(req.headers().get("authorization").is_none());
        // The service lists a hole and the rest: the hole first, no more
        // than it.
        let step = up
            .on_response::<Item>(response(202, r#"{"nextExpectedRanges": ["100-199", "327680-"]}"#))
            .unwrap();
        assert!(matches!(step, Step::Continue));
        let req = up.next_request(&data).unwrap();
        assert_eq!(req.headers()["content-range"], "bytes 100-199/655460");
        assert_eq!(req.body().len(), 100);
        // No list: the range sent counts as received.
        up.on_response::<Item>(response(202, "{}")).unwrap();
        assert_eq!(up.missing(), &[(327_680, total - 1)]);
        let req = up.next_request(&data).unwrap();
        assert_eq!(req.headers()["content-range"], "bytes 327680-655359/655460");
        up.on_response::<Item>(response(202, r#"{"nextExpectedRanges": ["655360-"]}"#))
            .unwrap();
        let req = up.next_request(&data).unwrap();
        assert_eq!(req.headers()["content-range"], "bytes 655360-655459/655460");
        assert_eq!(req.headers()["content-length"], "100");
        match up
            .on_response::<Item>(response(201, r#"{"id": "A1", "size": 655460}"#))
            .unwrap()
        {
            Step::Done(item) => assert_eq!(
                item,
                Item {
                    id: "A1".into(),
                    size: 655_460
                }
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_session_with_ranges_starts_there() {
        let session = json!({"uploadUrl": URL, "nextExpectedRanges": ["327680-"]});
        let mut up = Upload::from_session(&session, 400_000, UPLOAD_CHUNK_UNIT).unwrap();
        let req = up.next_request(&vec![0; 400_000]).unwrap();
        assert_eq!(req.headers()["content-range"], "bytes 327680-399999/400000");
    }

    #[test]
    fn resumes_from_the_status_after_a_failure() {
        let total = 3 * UPLOAD_CHUNK_UNIT;
        let data: Vec<u8> = (0..total).map(|i| i as u8).collect();
        let mut up = Upload::new(URL, total, UPLOAD_CHUNK_UNIT).unwrap();
        up.next_request(&data).unwrap();
        up.on_response::<Item>(response(202, r#"{"nextExpectedRanges": ["327680-"]}"#))
            .unwrap();
        up.next_request(&data).unwrap();
        let step = up
            .on_response::<Item>(response(
                503,
                r#"{"error": {"code": "serviceNotAvailable", "message": "later"}}"#,
            ))
            .unwrap();
        assert!(matches!(step, Step::Resume));
        assert_eq!(up.failures(), 1);
        let req = up.next_request(&data).unwrap();
        assert_eq!(req.method(), http::Method::GET);
        assert_eq!(req.uri(), URL);
        assert!(req.body().is_empty());
        assert_eq!(up.resume_request().unwrap().uri(), URL);
        // The failed PUT did land in part: the status says where to go on.
        let status = format!(r#"{{"uploadUrl": "{URL}", "nextExpectedRanges": ["400000-"]}}"#);
        assert!(matches!(
            up.on_response::<Item>(response(200, &status)),
            Ok(Step::Continue)
        ));
        assert_eq!(
            up.failures(),
            1,
            "only a range that goes through ends a run of failures"
        );
        let req = up.next_request(&data).unwrap();
        assert_eq!(req.method(), http::Method::PUT);
        assert_eq!(req.headers()["content-range"], "bytes 400000-727679/983040");
        assert_eq!(req.body()[..], data[400_000..727_680]);
        up.on_response::<Item>(response(202, r#"{"nextExpectedRanges": ["727680-"]}"#))
            .unwrap();
        assert_eq!(up.failures(), 0);
        up.next_request(&data).unwrap();
        // No response at all is a failure too.
        up.on_transport_error().unwrap();
        assert_eq!(up.next_request(&data).unwrap().method(), http::Method::GET);
        // A 416 (a range already received) resumes as well.
        up.on_response::<Item>(response(200, r#"{"nextExpectedRanges": ["727680-"]}"#))
            .unwrap();
        assert_eq!(up.failures(), 1);
        up.next_request(&data).unwrap();
        assert!(matches!(up.on_response::<Item>(response(416, "")), Ok(Step::Resume)));
    }

    #[test]
    fn failures_and_steps_are_bounded() {
        let data = vec![0u8; 10];
        let mut up = Upload::new(URL, 10, UPLOAD_CHUNK_UNIT).unwrap().max_failures(3);
        for _ in 0..2 {
            up.next_request(&data).unwrap();
            assert!(matches!(up.on_response::<Item>(response(500, "")), Ok(Step::Resume)));
        }
        up.next_request(&data).unwrap();
        match up.on_response::<Item>(response(503, "")) {
            Err(UploadError::Failures {
                failures: 3,
                last: Some(e),
            }) => assert_eq!(e.status(), 503),
            other => panic!("{other:?}"),
        }

        let mut up = Upload::new(URL, 10, UPLOAD_CHUNK_UNIT).unwrap().max_steps(2);
        up.next_request(&data).unwrap();
        up.on_response::<Item>(response(202, r#"{"nextExpectedRanges": ["0-"]}"#))
            .unwrap();
        up.next_request(&data).unwrap();
        assert!(matches!(up.next_request(&data), Err(UploadError::Steps(2))));
        // The default bound: twice the chunks plus 32.
        let up = Upload::new(URL, 10 * UPLOAD_CHUNK_UNIT, UPLOAD_CHUNK_UNIT).unwrap();
        assert_eq!(up.max_steps, 52);
    }

    #[test]
    fn bad_responses_are_errors_never_panics() {
        let data = vec![0u8; 10];
        let fresh = || Upload::new(URL, 10, UPLOAD_CHUNK_UNIT).unwrap();
        // A response before any request.
        assert!(matches!(
            fresh().on_response::<Item>(response(202, "{}")),
            Err(UploadError::Graph(_))
        ));
        assert!(matches!(
            fresh().next_request(&[0; 3]),
            Err(UploadError::DataLength { .. })
        ));
        let cases: [(u16, &str); 9] = [
            (404, r#"{"error": {"code": "itemNotFound", "message": "gone"}}"#),
            (409, r#"{"error": {"code": "nameAlreadyExists", "message": "taken"}}"#),
            (400, "<html>"),
            (201, "{\"id\": 5}"),
            (200, "not json"),
            (202, "[1, 2]"),
            (202, r#"{"nextExpectedRanges": "0-"}"#),
            (202, r#"{"nextExpectedRanges": ["a-b"]}"#),
            (202, r#"{"nextExpectedRanges": ["99999999999999999999999-"]}"#),
        ];
        for (status, body) in cases {
            let mut up = fresh();
            up.next_request(&data).unwrap();
            let got = up.on_response::<Item>(response(status, body));
            assert!(got.is_err(), "{status} {body}: {got:?}");
            assert!(!got.unwrap_err().to_string().is_empty());
        }
        // A status without ranges.
        let mut up = fresh();
        up.next_request(&data).unwrap();
        up.on_transport_error().unwrap();
        up.next_request(&data).unwrap();
        match up.on_response::<Item>(response(200, r#"{"uploadUrl": "x"}"#)) {
            Err(UploadError::Graph(e)) => assert_eq!(e.status(), 200),
            other => panic!("{other:?}"),
        }
        // Everything received without an item: ask the status.
        let mut up = fresh();
        up.next_request(&data).unwrap();
        up.on_response::<Item>(response(202, r#"{"nextExpectedRanges": []}"#))
            .unwrap();
        assert_eq!(up.next_request(&data).unwrap().method(), http::Method::GET);
    }
}
