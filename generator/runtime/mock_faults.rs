//! Fault injection for the mock (feature `mock`): a seeded, reproducible
//! share of requests answered `429`, `503` or `504` with `Retry-After`
//! instead of their example, globally or per route, and a record of when
//! each retry came back, to tell whether the client waited as told.
//!
//! The n-th fresh request (one that is no retry of an injected fault) is
//! faulted when the n-th number of a SplitMix64 stream seeded with
//! [`Faults::seed`] falls under the rate of its route, so the same seed and
//! the same request sequence inject the same faults. A request equal to an
//! injected one (method, target and body) is its retry: it is never faulted
//! again, and its arrival is recorded. A fault whose retry never came is
//! lost.
//!
//! ```
//! use generated::runtime::mock::{Exchange, Exchanges, Faults, Mock};
//!
//! let mock = Mock::new(Exchanges::new().with(Exchange::json("GET", "/me", 200, r#"{"id": "1"}"#)))
//!     .with_faults(Faults::new(0.0, 7).route("GET", "/me", 1.0).retry_after(0));
//! let get = || http::Request::get("/v1.0/me").body(Vec::new()).unwrap();
//! assert_eq!(mock.respond(&get()).status(), 429); // injected
//! assert_eq!(mock.respond(&get()).status(), 200); // its retry
//! let report = mock.fault_report().unwrap();
//! assert_eq!(report.line(), "faults: injected 1, retried 1, waited as told 1, lost 0");
//! ```

use serde_json::json;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The environment variables [`Faults::from_env`] reads (`cargo xtask
/// replay --faults R --seed S --retry-after SECONDS` sets them).
pub const FAULTS_VAR: &str = "GRAPH_REPLAY_FAULTS";
pub const SEED_VAR: &str = "GRAPH_REPLAY_SEED";
pub const RETRY_AFTER_VAR: &str = "GRAPH_REPLAY_RETRY_AFTER";

/// Marks an injected answer (`x-mock-fault: 429`).
pub const FAULT_HEADER: &str = "x-mock-fault";

/// What to inject.
#[derive(Clone, Debug, PartialEq)]
pub struct Faults {
    /// The share of fresh requests faulted (0 to 1) where no route says
    /// otherwise.
    pub rate: f64,
    pub seed: u64,
    /// The statuses injected, picked by the same stream (Graph throttles
    /// with 429, 503 and 504).
    pub statuses: Vec<u16>,
    /// The `Retry-After` sent, in whole seconds as Graph sends it.
    pub retry_after: u64,
    /// Per-route rates; the first route that fits a request wins.
    pub routes: Vec<FaultRoute>,
}

/// A rate for the requests of one method (`*`: any) whose decoded path,
/// version segment aside, starts with `path`'s segments (ASCII case aside).
#[derive(Clone, Debug, PartialEq)]
pub struct FaultRoute {
    pub method: String,
    pub path: String,
    pub rate: f64,
}

impl Faults {
    /// `rate` of the requests faulted with 429, 503 or 504 and
    /// `Retry-After: 1`.
    pub fn new(rate: f64, seed: u64) -> Faults {
        Faults {
            rate,
            seed,
            statuses: vec![429, 503, 504],
            retry_after: 1,
            routes: Vec::new(),
        }
    }

    /// The statuses to inject (none: `429`).
    pub fn statuses(mut self, statuses: &[u16]) -> Faults {
        self.statuses = statuses.to_vec();
        self
    }

    /// The `Retry-After` to send, in seconds (0: retry at once).
    pub fn retry_after(mut self, seconds: u64) -> Faults {
        self.retry_after = seconds;
        self
    }

    /// `rate` for `method` (`*`: any) requests under `path` (`/me/messages`).
    pub fn route(mut self, method: &str, path: &str, rate: f64) -> Faults {
        self.routes.push(FaultRoute {
            method: method.to_owned(),
            path: path.trim_matches('/').to_owned(),
            rate,
        });
        self
    }

    /// The faults `cargo xtask replay --faults R --seed S [--retry-after
    /// SECONDS]` asks for ([`FAULTS_VAR`], [`SEED_VAR`], [`RETRY_AFTER_VAR`];
    /// seed 0 and `Retry-After: 0` unless given); `None` without a rate.
    pub fn from_env() -> Result<Option<Faults>, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let Some(rate) = var(FAULTS_VAR) else {
            return Ok(None);
        };
        let rate: f64 = rate
            .trim()
            .parse()
            .ok()
            .filter(|r| (0.0..=1.0).contains(r))
            .ok_or_else(|| format!("{FAULTS_VAR}: `{rate}` is no rate between 0 and 1"))?;
        let number = |name: &str| -> Result<u64, String> {
            var(name).map_or(Ok(0), |v| {
                v.trim()
                    .parse()
                    .map_err(|_| format!("{name}: `{v}` is no whole number"))
            })
        };
        Ok(Some(Faults::new(rate, number(SEED_VAR)?).retry_after(number(RETRY_AFTER_VAR)?)))
    }

    /// The rate for a request: its first fitting route's, else the global.
    fn rate_for(&self, method: &str, segments: &[String]) -> f64 {
        let fits = |r: &FaultRoute| {
            (r.method == "*" || r.method.eq_ignore_ascii_case(method))
                && r.path
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .enumerate()
                    .all(|(i, s)| segments.get(i).is_some_and(|g| g.eq_ignore_ascii_case(s)))
        };
        self.routes.iter().find(|r| fits(r)).map_or(self.rate, |r| r.rate)
    }
}

/// SplitMix64: the `n`-th number of the stream seeded with `seed`.
pub fn splitmix64(seed: u64, n: u64) -> u64 {
    let mut z = seed.wrapping_add(n.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One injected fault.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultRecord {
    /// The fresh request's number (0 first).
    pub request: u64,
    pub method: String,
    /// The decoded path, version segment aside.
    pub path: String,
    pub status: u16,
    /// The wait `Retry-After` asked for.
    pub told: Duration,
    /// When the fault was answered.
    pub injected_at: Instant,
    /// When its retry arrived, if it did.
    pub retried_at: Option<Instant>,
}

impl FaultRecord {
    /// The retry arrived, and no earlier than told after the fault.
    pub fn waited_as_told(&self) -> bool {
        self.retried_at
            .is_some_and(|r| r.saturating_duration_since(self.injected_at) >= self.told)
    }
}

/// What the injection came to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultReport {
    /// Fresh requests seen.
    pub requests: u64,
    pub injected: usize,
    pub retried: usize,
    pub waited_as_told: usize,
    /// Injected faults whose retry never came.
    pub lost: usize,
}

impl FaultReport {
    pub fn from_records(requests: u64, records: &[FaultRecord]) -> FaultReport {
        let retried = records.iter().filter(|r| r.retried_at.is_some()).count();
        FaultReport {
            requests,
            injected: records.len(),
            retried,
            waited_as_told: records.iter().filter(|r| r.waited_as_told()).count(),
            lost: records.len() - retried,
        }
    }

    /// Every fault retried, each after the wait it was told.
    pub fn ok(&self) -> bool {
        self.lost == 0 && self.retried == self.injected && self.waited_as_told == self.injected
    }

    /// `faults: injected K, retried K, waited as told K, lost 0`.
    pub fn line(&self) -> String {
        format!(
            "faults: injected {}, retried {}, waited as told {}, lost {}",
            self.injected, self.retried, self.waited_as_told, self.lost
        )
    }
}

/// A request as the injector tells retries apart.
type Key = (String, String, Vec<u8>);

#[derive(Default)]
struct State {
    fresh: u64,
    pending: HashMap<Key, usize>,
    records: Vec<FaultRecord>,
}

/// [`Faults`] at work inside a [`super::mock::Mock`].
pub(crate) struct Injector {
    faults: Faults,
    state: Mutex<State>,
}

impl Injector {
    pub(crate) fn new(faults: Faults) -> Injector {
        Injector {
            faults,
            state: Mutex::new(State::default()),
        }
    }

    /// The injected answer to this request, if it is faulted; a retry of
    /// an injected fault is recorded and goes through.
    pub(crate) fn check(
        &self,
        method: &str,
        target: &str,
        segments: &[String],
        body: &[u8],
        now: Instant,
    ) -> Option<http::Response<Vec<u8>>> {
        let mut state = self.state.lock().ok()?;
        let key = (method.to_ascii_uppercase(), target.to_owned(), body.to_vec());
        if let Some(at) = state.pending.remove(&key) {
            state.records[at].retried_at = Some(now);
            return None;
        }
        let n = state.fresh;
        state.fresh += 1;
        let unit = (splitmix64(self.faults.seed, 2 * n) >> 11) as f64 / (1u64 << 53) as f64;
        if unit >= self.faults.rate_for(method, segments) {
            return None;
        }
        let statuses = &self.faults.statuses;
        let status = match statuses.len() {
            0 => 429,
            len => statuses[(splitmix64(self.faults.seed, 2 * n + 1) % len as u64) as usize],
        };
        let told = Duration::from_secs(self.faults.retry_after);
        let at = state.records.len();
        state.records.push(FaultRecord {
            request: n,
            method: key.0.clone(),
            path: segments.join("/"),
            status,
            told,
            injected_at: now,
            retried_at: None,
        });
        state.pending.insert(key, at);
        Some(throttled(status, self.faults.retry_after))
    }

    pub(crate) fn records(&self) -> Vec<FaultRecord> {
        self.state.lock().map(|s| s.records.clone()).unwrap_or_default()
    }

    pub(crate) fn report(&self) -> FaultReport {
        self.state
            .lock()
            .map(|s| FaultReport::from_records(s.fresh, &s.records))
            .unwrap_or_default()
    }
}

/// Graph's throttling answer: the status, `Retry-After` and an error body.
fn throttled(status: u16, retry_after: u64) -> http::Response<Vec<u8>> {
    let code = match status {
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "InjectedFault",
    };
    let body = json!({ "error": { "code": code, "message": "injected by the mock's fault injection; retry after the time given" } });
    http::Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::RETRY_AFTER, retry_after.to_string())
        .header(FAULT_HEADER, status.to_string())
        .body(body.to_string().into_bytes())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(injector: &Injector, requests: u64, retry: bool) -> Vec<u64> {
        let t0 = Instant::now();
        let mut faulted = Vec::new();
        for i in 0..requests {
            let target = format!("/v1.0/me/messages/{i}");
            let segments = vec!["me".to_owned(), "messages".to_owned(), i.to_string()];
            if injector.check("GET", &target, &segments, b"", t0).is_some() {
                faulted.push(i);
                if retry {
                    assert!(injector.check("GET", &target, &segments, b"", t0 + Duration::from_secs(1)).is_none());
                }
            }
        }
        faulted
    }

    #[test]
    fn the_same_seed_injects_the_same_faults_at_about_the_rate() {
        let a = run(&Injector::new(Faults::new(0.2, 7)), 5000, true);
        let b = run(&Injector::new(Faults::new(0.2, 7)), 5000, true);
        let c = run(&Injector::new(Faults::new(0.2, 8)), 5000, true);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!((900..1100).contains(&a.len()), "{}", a.len());
        // Retries do not advance the stream: without them, the same faults.
        assert_eq!(run(&Injector::new(Faults::new(0.2, 7)), 5000, false), a);
        assert!(run(&Injector::new(Faults::new(0.0, 7)), 1000, true).is_empty());
        assert_eq!(run(&Injector::new(Faults::new(1.0, 7)), 100, true).len(), 100);
    }

    #[test]
    fn routes_set_their_own_rate_and_statuses_are_all_used() {
        let faults = Faults::new(0.0, 1)
            .route("get", "/me/messages/", 1.0)
            .route("*", "me", 0.0)
            .statuses(&[429, 503, 504]);
        let injector = Injector::new(faults);
        let t0 = Instant::now();
        let seg = |p: &str| p.split('/').map(str::to_owned).collect::<Vec<_>>();
        let mut statuses = std::collections::BTreeSet::new();
        for i in 0..30 {
            let r = injector.check("GET", &format!("/me/messages/{i}"), &seg(&format!("me/Messages/{i}")), b"", t0);
            let r = r.expect("the route faults every request");
            assert_eq!(r.headers()[http::header::RETRY_AFTER], "1");
            statuses.insert(r.status().as_u16());
        }
        assert_eq!(statuses.into_iter().collect::<Vec<_>>(), [429, 503, 504]);
        assert!(injector.check("POST", "/me/messages", &seg("me/messages"), b"", t0).is_none());
        assert!(injector.check("GET", "/me/events", &seg("me/events"), b"", t0).is_none());
    }

    #[test]
    fn waits_are_measured_against_retry_after_and_missing_retries_are_lost() {
        let injector = Injector::new(Faults::new(1.0, 3).retry_after(2));
        let t0 = Instant::now();
        let seg = |p: &str| vec![p.to_owned()];
        for (i, p) in ["a", "b", "c"].iter().enumerate() {
            assert!(injector.check("GET", p, &seg(p), b"", t0 + Duration::from_secs(i as u64)).is_some());
        }
        // `a` waits 2 s, `b` only 1 s, `c` never comes back; the same path
        // with another body is another request.
        assert!(injector.check("GET", "a", &seg("a"), b"", t0 + Duration::from_secs(2)).is_none());
        assert!(injector.check("GET", "b", &seg("b"), b"", t0 + Duration::from_secs(2)).is_none());
        assert!(injector.check("GET", "c", &seg("c"), b"x", t0 + Duration::from_secs(9)).is_some());
        let report = injector.report();
        assert_eq!(
            report,
            FaultReport {
                requests: 4,
                injected: 4,
                retried: 2,
                waited_as_told: 1,
                lost: 2
            }
        );
        assert!(!report.ok());
        assert_eq!(report.line(), "faults: injected 4, retried 2, waited as told 1, lost 2");
        assert_eq!(injector.records()[1].path, "b");
    }

    #[test]
    fn an_empty_report_is_ok() {
        assert_eq!(FaultReport::default().line(), "faults: injected 0, retried 0, waited as told 0, lost 0");
        assert!(FaultReport::default().ok());
    }
}
