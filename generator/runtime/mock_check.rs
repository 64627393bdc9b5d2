//! Your own mock responses, checked against the model (feature `mock`).
//!
//! [`UserMocks`] holds responses you register for routes, from code
//! ([`UserMocks::respond`], typed by the operation; [`UserMocks::route`] by
//! method and path) or from a JSON file ([`UserMocks::from_file`]).
//! [`UserMocks::check`] reads each registered body as its operation's
//! `Output` and reports what does not fit, each with its origin (the file
//! and entry, or the code) and a JSON path: **unknown properties** (a
//! property the model does not declare, which a struct keeps in its
//! `additional_data`), **wrong types** (a string where the model has a
//! boolean …), and **undocumented enum values** (a value that lands in an
//! enum's catch-all). [`UserMocks::over`] puts them in front of other pairs
//! (the docs' examples, say) for a [`MockServer`](super::mock::MockServer).
//!
//! The check is generic runtime code, instantiated only for the operations
//! you register: it reads the body through `Operation::parse_response` with
//! the model's *checking* switch on (`support::checking`, per thread), under
//! which a struct writes the properties of its rest map with a marker
//! before their names and an undocumented enum value reads with a marker
//! before it; the value read and written back shows where they are. A wrong
//! type is the path of the decode error; that value is then set to `null`
//! (every property is optional) and the body read again, at most
//! [`MAX_TYPE_ERRORS`] times. What the model holds as plain JSON
//! (navigation properties, open types) is not looked into, and an
//! undeclared property whose value is `null` is not reported (the rest map
//! also keeps the explicit `null`s of declared properties). Annotations
//! (names with `@`) are never unknown properties.
//!
//! ```
//! # #[cfg(feature = "users")] {
//! use generated::operations::ListUsers;
//! use generated::runtime::mock_check::UserMocks;
//!
//! let mocks = UserMocks::new().respond(
//!     &ListUsers::call(),
//!     200,
//!     r#"{"value": [{"id": "1", "accountEnabled": "yes", "ageGroup": "teen", "shoeSize": 42}]}"#,
//! );
//! let report = mocks.check();
//! let lines: Vec<String> = report.findings.iter().map(|f| format!("{} {}", f.path, f.kind)).collect();
//! assert_eq!(lines, [
//!     "$.value[0].accountEnabled wrong type",
//!     "$.value[0].ageGroup undocumented enum value",
//!     "$.value[0].shoeSize unknown property",
//! ]);
//! # }
//! ```
//!
//! The file format (JSON): `{"responses": [{"method": "GET", "path":
//! "/users/{id}", "status": 200, "headers": {"ETag": "1"}, "body": {…},
//! "operation": "GetUser", "once": false}, …]}`. `method` and `path` are
//! required, `status` defaults to 200, `body` (any JSON) to none,
//! `operation` (a Rust operation name, `GetUser`, or the docs' title, `Get
//! user`) to the registered operation whose main request line fits the
//! path. Register the operations a file's routes use with
//! [`UserMocks::operation`]; an entry no registered operation fits is
//! reported (`unchecked`), not skipped.

use super::body::Bytes;
use super::call::{Call, Operation};
use super::error::GraphError;
use super::mock::{Exchange, Exchanges};
use super::mock_match::{fits, parse_target};
use crate::support::checking;
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::path::Path;

/// The most wrong-typed values reported for one body (each costs a read).
pub const MAX_TYPE_ERRORS: usize = 32;

/// The largest mock file read.
const MAX_FILE: u64 = 16 << 20;

/// What does not fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FindingKind {
    /// A property the model does not declare.
    UnknownProperty,
    /// A value of another JSON type than the model's (or one it cannot
    /// read: a malformed number, a non-JSON body).
    WrongType,
    /// An enum value the docs do not list.
    UndocumentedEnumValue,
    /// An error status whose body is not Graph's `{"error": {"code", "message"}}`.
    NotAGraphError,
    /// No registered operation fits the entry's route: not checked.
    Unchecked,
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FindingKind::UnknownProperty => "unknown property",
            FindingKind::WrongType => "wrong type",
            FindingKind::UndocumentedEnumValue => "undocumented enum value",
            FindingKind::NotAGraphError => "not a Graph error",
            FindingKind::Unchecked => "unchecked",
        })
    }
}

/// One thing in a registered body that does not fit the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Where the response was registered: `mocks.json: responses[2]`, or
    /// `code: ListUsers`; then its route.
    pub origin: String,
    /// JSON path in the body: `$.value[3].accountEnabled`.
    pub path: String,
    pub kind: FindingKind,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}: {}", self.origin, self.path, self.kind, self.message)
    }
}

/// Every finding of [`UserMocks::check`]; empty when everything fits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub findings: Vec<Finding>,
    /// Bodies checked.
    pub checked: usize,
}

impl CheckReport {
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }
}

impl fmt::Display for CheckReport {
    /// One line per finding, then `mock check: N responses, K findings`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        write!(
            f,
            "mock check: {} responses, {} findings",
            self.checked,
            self.findings.len()
        )
    }
}

/// An output as JSON for the check (`None`: raw bytes, nothing to check).
pub trait ModelJson {
    fn model_json(&self) -> Option<Result<Value, String>>;
}

impl<T: Serialize> ModelJson for T {
    fn model_json(&self) -> Option<Result<Value, String>> {
        Some(serde_json::to_value(self).map_err(|e| e.to_string()))
    }
}

impl ModelJson for Bytes {
    fn model_json(&self) -> Option<Result<Value, String>> {
        None
    }
}

/// How one operation's responses are checked; [`Checker::of`].
#[derive(Clone, Copy)]
pub struct Checker {
    /// The Rust name (`ListUsers`).
    pub name: &'static str,
    pub endpoint: &'static crate::support::Endpoint,
    check: CheckFn,
}

/// Reads a body (status, headers, bytes) as one operation's output.
type CheckFn = fn(u16, &[(String, String)], &[u8]) -> Vec<Found>;

/// A finding before its origin: kind, JSON path, message.
type Found = (FindingKind, String, String);

impl fmt::Debug for Checker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checker").field("name", &self.name).finish_non_exhaustive()
    }
}

impl Checker {
    /// The check of `O`'s responses.
    pub fn of<O>() -> Checker
    where
        O: Operation,
        O::Output: ModelJson,
    {
        let full = std::any::type_name::<O>();
        Checker {
            name: full.rsplit("::").next().unwrap_or(full),
            endpoint: O::ENDPOINT,
            check: check_body::<O>,
        }
    }

    /// Whether `method path` is this operation's main request line (path
    /// holes `{…}` on either side fit any segment).
    pub fn fits_route(&self, method: &str, path: &str) -> bool {
        if !self.endpoint.method.as_str().eq_ignore_ascii_case(method) {
            return false;
        }
        let template = parse_target(self.endpoint.path, true).segments;
        let path = parse_target(path, true).segments;
        template.len() == path.len()
            && template
                .iter()
                .zip(&path)
                .all(|(t, p)| fits(t, p) || (p.starts_with('{') && p.ends_with('}')))
    }

    fn named(&self, name: &str) -> bool {
        let name = name.trim();
        self.name.eq_ignore_ascii_case(name) || self.endpoint.name.eq_ignore_ascii_case(name)
    }
}

/// One registered response.
#[derive(Clone, Debug)]
struct Entry {
    origin: String,
    /// The operation an entry names (`operation` in a file).
    operation: Option<String>,
    checker: Option<Checker>,
    exchange: Exchange,
}

/// Responses you register for routes, checked against the model; see the
/// [module](self).
#[derive(Clone, Debug, Default)]
pub struct UserMocks {
    entries: Vec<Entry>,
    operations: Vec<Checker>,
}

impl UserMocks {
    pub fn new() -> UserMocks {
        UserMocks::default()
    }

    /// A response to `call`'s request (its method, path and query; the
    /// body is not matched), checked as `O`'s output.
    pub fn respond<O>(self, call: &Call<O>, status: u16, body: &str) -> UserMocks
    where
        O: Operation,
        O::Output: ModelJson,
    {
        let checker = Checker::of::<O>();
        let origin = format!("code: {}", checker.name);
        self.push(origin, None, Some(checker), call.method().as_str(), &call.target(), status, body)
    }

    /// A response to `method path` (`{…}` holes in the path fit any
    /// segment), checked as the output of the registered operation whose
    /// main request line fits ([`UserMocks::operation`]).
    pub fn route(self, method: &str, path: &str, status: u16, body: &str) -> UserMocks {
        let origin = format!("code: {} {path}", method.to_ascii_uppercase());
        self.push(origin, None, None, method, path, status, body)
    }

    /// Registers `O` for the routes of [`UserMocks::route`] and files.
    pub fn operation<O>(mut self) -> UserMocks
    where
        O: Operation,
        O::Output: ModelJson,
    {
        self.operations.push(Checker::of::<O>());
        self
    }

    /// The last response registered answers once, then the next fitting
    /// pair does (a `503` before the real answer).
    pub fn once(mut self) -> UserMocks {
        if let Some(e) = self.entries.last_mut() {
            e.exchange.once = true;
        }
        self
    }

    /// Adds a response header to the last response registered.
    pub fn header(mut self, name: &str, value: &str) -> UserMocks {
        if let Some(e) = self.entries.pop() {
            self.entries.push(Entry {
                exchange: e.exchange.clone().response_header(name, value),
                ..e
            });
        }
        self
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        mut self,
        origin: String,
        operation: Option<String>,
        checker: Option<Checker>,
        method: &str,
        path: &str,
        status: u16,
        body: &str,
    ) -> UserMocks {
        let mut exchange = Exchange::json(method, path, status, body);
        exchange.source = origin.clone();
        self.entries.push(Entry {
            origin,
            operation,
            checker,
            exchange,
        });
        self
    }

    /// The responses of a mock file (format in the [module](self)); its
    /// findings name `file`.
    pub fn from_file(self, file: impl AsRef<Path>) -> Result<UserMocks, String> {
        use std::io::Read as _;
        let file = file.as_ref();
        let name = file.display().to_string();
        let mut text = String::new();
        std::fs::File::open(file)
            .and_then(|f| f.take(MAX_FILE + 1).read_to_string(&mut text))
            .map_err(|e| format!("{name}: {e}"))?;
        if text.len() as u64 > MAX_FILE {
            return Err(format!("{name}: larger than {MAX_FILE} bytes"));
        }
        self.from_json(&name, &text)
    }

    /// [`UserMocks::from_file`] of text already read; `name` names it.
    /// Errors name the JSON path; never panics.
    pub fn from_json(mut self, name: &str, text: &str) -> Result<UserMocks, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| format!("{name}: not JSON: {e}"))?;
        let Some(list) = root.get("responses").and_then(Value::as_array) else {
            return Err(format!("{name}: $.responses: a mock file has a `responses` array"));
        };
        for (i, r) in list.iter().enumerate() {
            let at = |m: &str| format!("{name}: $.responses[{i}].{m}");
            let text = |m: &str| r.get(m).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
            let method = text("method").ok_or_else(|| format!("{}: a method (`GET`)", at("method")))?;
            let path = text("path").ok_or_else(|| format!("{}: a path (`/users/{{id}}`)", at("path")))?;
            let status = match r.get("status") {
                None => 200,
                Some(v) => v
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .filter(|s| (100..600).contains(s))
                    .ok_or_else(|| format!("{}: an HTTP status (100 to 599)", at("status")))?,
            };
            let body = match r.get("body") {
                None | Some(Value::Null) => String::new(),
                Some(v) => v.to_string(),
            };
            let operation = match r.get("operation") {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err(format!("{}: an operation name", at("operation"))),
            };
            let origin = format!("{name}: responses[{i}] ({} {path})", method.to_ascii_uppercase());
            self = self.push(origin, operation, None, method, path, status, &body);
            if let Some(Value::Object(h)) = r.get("headers") {
                for (n, v) in h {
                    let v = v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string());
                    self = self.header(n, &v);
                }
            } else if r.get("headers").is_some() {
                return Err(format!("{}: an object of header names and values", at("headers")));
            }
            if r.get("once").and_then(Value::as_bool) == Some(true) {
                self = self.once();
            }
        }
        Ok(self)
    }

    /// The number of responses registered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Each registered body read as its operation's output: what does
    /// not fit, in registration order.
    pub fn check(&self) -> CheckReport {
        let mut report = CheckReport::default();
        for e in &self.entries {
            report.checked += 1;
            let request = &e.exchange.request;
            let checker = e.checker.or_else(|| match &e.operation {
                Some(name) => self.operations.iter().find(|c| c.named(name)).copied(),
                None => self
                    .operations
                    .iter()
                    .find(|c| c.fits_route(&request.method, &request.target))
                    .copied(),
            });
            let Some(checker) = checker else {
                let message = match &e.operation {
                    Some(name) => format!("no registered operation is named `{name}` (register it with `operation::<O>()`)"),
                    None => "no registered operation has this route (register it with `operation::<O>()`, or name it in `operation`)".to_owned(),
                };
                report.findings.push(Finding {
                    origin: e.origin.clone(),
                    path: "$".to_owned(),
                    kind: FindingKind::Unchecked,
                    message,
                });
                continue;
            };
            let Some(response) = &e.exchange.response else {
                continue;
            };
            let body = response.body.as_deref().unwrap_or_default();
            for (kind, path, message) in (checker.check)(response.status, &response.headers, body.as_bytes()) {
                report.findings.push(Finding {
                    origin: e.origin.clone(),
                    path,
                    kind,
                    message,
                });
            }
        }
        report
    }

    /// The registered responses as pairs to serve, in front of `others`
    /// (so they win over them for the same request).
    pub fn over(&self, others: Exchanges) -> Exchanges {
        let mut out = Exchanges::new();
        for e in &self.entries {
            out.push(e.exchange.clone());
        }
        for x in others.iter() {
            out.push(x.clone());
        }
        out
    }
}

/// Turns the checking switch off again, even on a panic.
struct Switch(bool);

impl Drop for Switch {
    fn drop(&mut self) {
        checking::set(self.0);
    }
}

/// `O`'s output read from `body` with the checking switch on: the
/// findings, each a kind, a JSON path and a message.
fn check_body<O>(status: u16, headers: &[(String, String)], body: &[u8]) -> Vec<Found>
where
    O: Operation,
    O::Output: ModelJson,
{
    let mut out = Vec::new();
    if !(200..300).contains(&status) {
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let code = json.as_ref().and_then(|v| v["error"]["code"].as_str());
        if code.is_none() && (400..600).contains(&status) {
            out.push((
                FindingKind::NotAGraphError,
                "$.error.code".to_owned(),
                format!("a {status} answer without Graph's `{{\"error\": {{\"code\", \"message\"}}}}`"),
            ));
        }
        return out;
    }
    let mut json: Option<Value> = serde_json::from_slice(body).ok();
    let mut current = body.to_vec();
    let _switch = Switch(checking::set(true));
    for _ in 0..MAX_TYPE_ERRORS {
        let mut response = http::Response::new(current.clone());
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
        for (n, v) in headers {
            if let (Ok(n), Ok(v)) = (
                http::HeaderName::try_from(n.trim()),
                http::HeaderValue::try_from(v.trim()),
            ) {
                response.headers_mut().insert(n, v);
            }
        }
        match O::parse_response(response) {
            Ok(output) => {
                match output.model_json() {
                    Some(Ok(v)) => walk(&v, "$".to_owned(), &mut out),
                    Some(Err(e)) => out.push((FindingKind::WrongType, "$".to_owned(), e)),
                    None => {}
                }
                break;
            }
            Err(GraphError::Decode { path, message, .. }) => {
                out.push((FindingKind::WrongType, path.clone(), message));
                // Null where it failed (every property is optional), then again.
                let Some(v) = json.as_mut().and_then(|j| at_path(j, &path)) else {
                    break;
                };
                if v.is_null() || path == "$" {
                    break;
                }
                *v = Value::Null;
                current = json.as_ref().map(Value::to_string).unwrap_or_default().into_bytes();
            }
            Err(e) => {
                out.push((FindingKind::WrongType, "$".to_owned(), e.to_string()));
                break;
            }
        }
    }
    // In path order (indexes as numbers), whatever the map order.
    out.sort_by_cached_key(|(_, path, _)| sort_key(path));
    out
}

/// `$.value[3].id` with its indexes zero-padded, to sort paths.
fn sort_key(path: &str) -> String {
    let mut key = String::with_capacity(path.len() + 16);
    for (i, part) in path.split('[').enumerate() {
        if i > 0 {
            key.push('[');
            let (index, rest) = part.split_once(']').unwrap_or((part, ""));
            key.push_str(&format!("{index:0>20}]"));
            key.push_str(rest);
        } else {
            key.push_str(part);
        }
    }
    key
}

/// The value at a JSON path the runtime writes (`$.value[3].accountEnabled`).
fn at_path<'a>(root: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut rest = path.strip_prefix('$')?;
    let mut v = root;
    // Each step consumes part of the path, so this ends.
    while !rest.is_empty() {
        if let Some(tail) = rest.strip_prefix('[') {
            let (index, tail) = tail.split_once(']')?;
            v = v.get_mut(index.parse::<usize>().ok()?)?;
            rest = tail;
        } else if let Some(tail) = rest.strip_prefix('.') {
            let end = tail.find(['.', '[']).unwrap_or(tail.len());
            let (key, tail) = tail.split_at(end);
            v = v.get_mut(key)?;
            rest = tail;
        } else {
            return None;
        }
    }
    Some(v)
}

/// The markers in a value read and written back with the switch on.
fn walk(v: &Value, path: String, out: &mut Vec<Found>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match k.strip_prefix(checking::KEPT) {
                    // Kept as JSON: nothing inside is the model's.
                    Some(name) => {
                        if !x.is_null() && !name.contains('@') {
                            out.push((
                                FindingKind::UnknownProperty,
                                format!("{path}.{name}"),
                                format!("`{name}` is not a property of the model here (kept as JSON in `additional_data`)"),
                            ));
                        }
                    }
                    None => walk(x, format!("{path}.{k}"), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                walk(x, format!("{path}[{i}]"), out);
            }
        }
        Value::String(s) => {
            if let Some(value) = s.strip_prefix(checking::UNDOCUMENTED) {
                out.push((
                    FindingKind::UndocumentedEnumValue,
                    path,
                    format!("`{value}` is not among the documented values"),
                ));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
#[allow(dead_code)] // the test enum's `VALUES`
mod tests {
    use super::*;
    use crate::runtime::NoBody;
    use crate::support::{Endpoint, Flags, Method, UnknownValue};

    #[derive(Clone, Debug, PartialEq)]
    enum Arch {
        X86,
        X64,
        Undocumented(UnknownValue),
    }
    crate::support::model_enum!(Arch { X86 = "x86", X64 = "x64", } {} Undocumented);

    struct GetArchitectures;
    impl Operation for GetArchitectures {
        type Body = NoBody;
        type Output = Flags<Arch>;
        const ENDPOINT: &'static Endpoint = &Endpoint {
            name: "Get architectures",
            method: Method::Get,
            path: "/architectures",
            parameters: &[],
            request_type: None,
            response_type: None,
            success_status: Some(200),
            permissions: &[],
        };
    }

    fn findings(body: &str) -> Vec<Found> {
        let json = [("Content-Type".to_owned(), "application/json".to_owned())];
        check_body::<GetArchitectures>(200, &json, body.as_bytes())
    }

    #[test]
    fn a_flags_member_the_docs_do_not_list_is_reported_and_the_switch_is_off_after() {
        assert_eq!(findings(r#""x86, x64""#), []);
        let found = findings(r#""x86,arm64""#);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1.as_str()), (FindingKind::UndocumentedEnumValue, "$"));
        assert!(found[0].2.contains("x86,arm64"), "{found:?}");
        assert!(!checking::on(), "the switch is off again");
        // Outside the check, an undocumented value reads as itself.
        assert_eq!(Arch::from("arm64").as_str(), "arm64");
        assert_eq!(findings("3")[0].0, FindingKind::WrongType);
    }

    #[test]
    fn paths_sort_by_index_and_bad_paths_are_none() {
        let mut paths = vec!["$.value[10].a", "$.value[2].b", "$.next"];
        paths.sort_by_cached_key(|p| sort_key(p));
        assert_eq!(paths, ["$.next", "$.value[2].b", "$.value[10].a"]);
        let mut v: Value = serde_json::json!({"value": [{"a": 1}]});
        assert_eq!(at_path(&mut v, "$.value[0].a").cloned(), Some(Value::from(1)));
        for bad in ["", "value", "$.value[x]", "$.value[9]", "$.nothing", "$.value[0"] {
            assert!(at_path(&mut v, bad).is_none(), "{bad}");
        }
    }
}
