//! `cargo xtask mock-server` and `cargo xtask replay`: the docs' example
//! pairs served by `generated::runtime::mock` on 127.0.0.1, and every pair
//! replayed through `generated::runtime::client` against it.
//!
//! The replay here is untyped: each example request goes out as the docs
//! write it (method, target, headers, body), and the pair passes when the
//! server answered with that example's documented status and body.

use generated::runtime::client::{Client, StaticToken};
use generated::runtime::mock::{Exchange, Exchanges, MockServer, EXAMPLE_HEADER};
use generated::runtime::RetryPolicy;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

/// The pairs to serve: from an IR file, a docs folder, or (neither) the
/// ones the committed crate carries.
pub fn load(docs: Option<&Path>, ir: Option<&Path>) -> Result<Exchanges, String> {
    if let Some(ir) = ir {
        let text = std::fs::read_to_string(ir).map_err(|e| format!("cannot read {}: {e}", ir.display()))?;
        return Exchanges::from_ir_json(&text).map_err(|e| format!("{}: not an IR file: {e}", ir.display()));
    }
    if let Some(docs) = docs {
        let (_, loaded) = xtask::docs_model(docs)?;
        return Exchanges::from_ir_json(&loaded.model.to_json()).map_err(|e| format!("the IR does not read back: {e}"));
    }
    Ok(Exchanges::documented())
}

/// How one pair fared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// The docs are at fault: a short code and what is wrong.
    DocDefect(&'static str, String),
    Failed(String),
}

/// Every pair's outcome, in order.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub outcomes: Vec<(String, Outcome)>,
    pub wall: Duration,
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

    /// `replay: N pairs, P passed, D doc defects, F failed`.
    pub fn summary(&self) -> String {
        format!(
            "replay: {} pairs, {} passed, {} doc defects, {} failed",
            self.pairs(),
            self.passed(),
            self.defects(),
            self.failed()
        )
    }

    /// One line per defect and failure (`page:line:col: …`), then the
    /// summary line.
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
        out.push_str(&self.summary());
        out.push('\n');
        out
    }
}

/// The most time the whole replay may take.
pub const REPLAY_LIMIT: Duration = Duration::from_secs(600);

/// Replays every pair of `exchanges` against a server of them, untyped.
pub fn replay_untyped(exchanges: &Exchanges) -> Result<Report, String> {
    let started = std::time::Instant::now();
    // Answers byte for byte as documented: links are not rewritten.
    let server = MockServer::start_on(exchanges.clone(), 0, false).map_err(|e| format!("cannot start: {e}"))?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .map_err(|e| e.to_string())?;
    let client = Client::builder(StaticToken::new("replay"))
        .base_url(server.base_url())
        .http_client(http)
        .retry(RetryPolicy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let all: Vec<&Exchange> = exchanges.iter().collect();
    let outcomes = rt.block_on(async {
        let mut out = Vec::with_capacity(all.len());
        for x in &all {
            let outcome = match tokio::time::timeout_at(
                tokio::time::Instant::from_std(started + REPLAY_LIMIT),
                replay_one(&client, &server, x, &all),
            )
            .await
            {
                Ok(o) => o,
                Err(_) => Outcome::Failed("the replay ran out of time".into()),
            };
            out.push((x.source.clone(), outcome));
        }
        out
    });
    Ok(Report {
        outcomes,
        wall: started.elapsed(),
    })
}

/// Encodes what a docs target writes raw (spaces, quotes, braces,
/// non-ASCII); escapes already there stay.
pub fn encode_target(target: &str) -> String {
    let bytes = target.as_bytes();
    let mut out = String::with_capacity(target.len() + 16);
    for (i, &b) in bytes.iter().enumerate() {
        let escape = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        let keep = escape || b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

const NO_BODY_STATUSES: [u16; 3] = [204, 205, 304];

async fn replay_one(client: &Client, server: &MockServer, x: &Exchange, all: &[&Exchange]) -> Outcome {
    let Some(documented) = &x.response else {
        return Outcome::DocDefect("no-response", "the page gives no response after this request".into());
    };
    let version = x.request.version.as_deref().unwrap_or("v1.0");
    let url = format!("{}/{version}{}", server.origin(), encode_target(&x.request.target));
    let Ok(method) = http::Method::from_bytes(x.request.method.to_ascii_uppercase().as_bytes()) else {
        return Outcome::DocDefect("bad-method", format!("`{}` is not an HTTP method", x.request.method));
    };
    let mut request = http::Request::builder().method(method).uri(&url);
    for (name, value) in &x.request.headers {
        let skip = [
            "content-length",
            "host",
            "authorization",
            "transfer-encoding",
            "connection",
        ]
        .iter()
        .any(|h| name.trim().eq_ignore_ascii_case(h));
        let valid =
            http::HeaderName::try_from(name.trim()).is_ok() && http::HeaderValue::try_from(value.trim()).is_ok();
        if !skip && valid {
            request = request.header(name.trim(), value.trim());
        }
    }
    let body = x.request.body.clone().unwrap_or_default().into_bytes();
    let request = match request.body(body) {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(format!("the request does not build ({url}): {e}")),
    };
    let response = match client.execute(request).await {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(format!("no answer: {e}")),
    };
    let answered_by = response
        .headers()
        .get(EXAMPLE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(answered_by) = answered_by else {
        let why = serde_json::from_slice::<serde_json::Value>(response.body())
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
            .unwrap_or_else(|| String::from_utf8_lossy(response.body()).into_owned());
        return Outcome::Failed(format!("{}: {why}", response.status()));
    };
    if answered_by != x.source {
        let other = all.iter().find(|o| o.source == answered_by);
        let same = other
            .and_then(|o| o.response.as_ref())
            .is_some_and(|r| same_response(r, documented));
        return if same {
            Outcome::Passed
        } else {
            Outcome::DocDefect(
                "duplicate-request",
                format!("the same request is documented at {answered_by} with another response, which answers it"),
            )
        };
    }
    if response.status().as_u16() != documented.status {
        return Outcome::Failed(format!("status {} instead of {}", response.status(), documented.status));
    }
    let want = documented.body.as_deref().unwrap_or_default();
    if NO_BODY_STATUSES.contains(&documented.status) {
        if !want.trim().is_empty() {
            return Outcome::DocDefect(
                "body-without-content",
                format!(
                    "a {} response documented with a body, which HTTP does not send",
                    documented.status
                ),
            );
        }
        return Outcome::Passed;
    }
    if response.body() != want.as_bytes() {
        return Outcome::Failed("the body differs from the documented one".into());
    }
    Outcome::Passed
}

fn same_response(a: &generated::runtime::mock::ExampleResponse, b: &generated::runtime::mock::ExampleResponse) -> bool {
    let text = |r: &generated::runtime::mock::ExampleResponse| r.body.as_deref().unwrap_or_default().trim().to_owned();
    a.status == b.status && text(a) == text(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_encoded_where_the_docs_write_them_raw() {
        assert_eq!(
            encode_target("/users?$filter=startswith(displayName, 'a')&$top=1"),
            "/users?$filter=startswith(displayName,%20'a')&$top=1"
        );
        assert_eq!(encode_target("/users/{id | upn}"), "/users/%7Bid%20%7C%20upn%7D");
        assert_eq!(encode_target("/chats/19%3Aabc@thread.v2"), "/chats/19%3Aabc@thread.v2");
        assert_eq!(encode_target("/x?q=100%"), "/x?q=100%25");
        assert_eq!(encode_target("/drive/root:/Café.txt"), "/drive/root:/Caf%C3%A9.txt");
        assert_eq!(encode_target("/x?$search=\"a\""), "/x?$search=%22a%22");
    }
}
