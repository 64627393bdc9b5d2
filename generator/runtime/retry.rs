//! Throttling as Graph documents it, as a pure decision: after a response,
//! retry after some delay, or give up. No clock and no sleeping here; a
//! client passes the attempt count and the time spent so far.
//!
//! ```
//! use generated::runtime::{Retry, RetryPolicy};
//! use std::time::Duration;
//!
//! let policy = RetryPolicy::default();
//! let mut headers = http::HeaderMap::new();
//! headers.insert("retry-after", "7".parse().unwrap());
//! assert_eq!(
//!     policy.decide(1, http::StatusCode::TOO_MANY_REQUESTS, &headers, Duration::ZERO),
//!     Retry::After(Duration::from_secs(7)),
//! );
//! assert!(matches!(policy.decide(1, http::StatusCode::NOT_FOUND, &headers, Duration::ZERO), Retry::GiveUp(_)));
//! ```

use std::time::Duration;

/// When and how long to retry a throttled or unavailable response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (1: never retry).
    pub max_attempts: u32,
    /// Time from the first attempt after which no retry starts: a retry
    /// whose delay would end past it is not made.
    pub max_elapsed: Duration,
    /// The first delay when the response has no `Retry-After`; doubled on
    /// every further retry.
    pub base_delay: Duration,
    /// The longest delay: a computed one is capped to it, and a
    /// `Retry-After` longer than it gives up (the caller sees the error and
    /// its `retry_after`).
    pub max_delay: Duration,
    /// The statuses that are retried. Graph: 429 Too Many Requests, 503
    /// Service Unavailable, 504 Gateway Timeout.
    pub statuses: Vec<u16>,
}

impl Default for RetryPolicy {
    /// 4 attempts within 2 minutes, 1 s doubling without `Retry-After`,
    /// no single wait over 60 s; 429, 503 and 504.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(120),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            statuses: vec![429, 503, 504],
        }
    }
}

/// What to do after a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Send the request again after this delay.
    After(Duration),
    /// Return the response to the caller.
    GiveUp(GiveUp),
}

/// Why a response is not retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GiveUp {
    /// Its status is not one of the policy's (success or a final error).
    NotRetryable,
    /// `max_attempts` are used up.
    Attempts,
    /// The delay would end past `max_elapsed`.
    Time,
    /// The service asked for a wait longer than `max_delay`.
    RetryAfterTooLong(Duration),
}

impl RetryPolicy {
    /// Never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The decision after attempt number `attempt` (1 for the first) got
    /// `status` with `headers`, `elapsed` after the first attempt started.
    /// `Retry-After` in seconds is honoured; without it the delay is
    /// `base_delay` doubled per retry, capped at `max_delay`.
    pub fn decide(
        &self,
        attempt: u32,
        status: http::StatusCode,
        headers: &http::HeaderMap,
        elapsed: Duration,
    ) -> Retry {
        if !self.statuses.contains(&status.as_u16()) {
            return Retry::GiveUp(GiveUp::NotRetryable);
        }
        if attempt >= self.max_attempts {
            return Retry::GiveUp(GiveUp::Attempts);
        }
        let delay = match retry_after_seconds(headers) {
            Some(d) if d > self.max_delay => return Retry::GiveUp(GiveUp::RetryAfterTooLong(d)),
            Some(d) => d,
            None => {
                let doublings = attempt.saturating_sub(1).min(31);
                self.base_delay.saturating_mul(1u32 << doublings).min(self.max_delay)
            }
        };
        if elapsed.saturating_add(delay) > self.max_elapsed {
            return Retry::GiveUp(GiveUp::Time);
        }
        Retry::After(delay)
    }
}

/// `Retry-After` as delay-seconds (the form Graph sends); an HTTP date or
/// anything else reads as absent.
fn retry_after_seconds(headers: &http::HeaderMap) -> Option<Duration> {
    let v = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    fn headers(retry_after: Option<&str>) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        if let Some(v) = retry_after {
            h.insert(http::header::RETRY_AFTER, v.parse().unwrap());
        }
        h
    }

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn retry_after_is_honoured_for_each_retried_status() {
        let p = RetryPolicy::default();
        for status in [429, 503, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(p.decide(1, status, &headers(Some("3")), S(0)), Retry::After(S(3)));
            assert_eq!(p.decide(1, status, &headers(Some(" 0 ")), S(0)), Retry::After(S(0)));
        }
    }

    #[test]
    fn other_statuses_are_final() {
        let p = RetryPolicy::default();
        for status in [200, 201, 204, 400, 401, 403, 404, 409, 500, 502] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(
                p.decide(1, status, &headers(Some("1")), S(0)),
                Retry::GiveUp(GiveUp::NotRetryable)
            );
        }
    }

    #[test]
    fn without_retry_after_the_delay_doubles_up_to_the_cap() {
        let p = RetryPolicy {
            max_attempts: 10,
            max_elapsed: S(10_000),
            base_delay: S(1),
            max_delay: S(5),
            ..RetryPolicy::default()
        };
        let delays: Vec<Retry> = (1..=5)
            .map(|a| p.decide(a, StatusCode::SERVICE_UNAVAILABLE, &headers(None), S(0)))
            .collect();
        assert_eq!(
            delays,
            [1, 2, 4, 5, 5].map(|s| Retry::After(S(s))).to_vec(),
            "1, 2, 4, then capped"
        );
        // A date or garbage is no Retry-After.
        assert_eq!(
            p.decide(
                1,
                StatusCode::TOO_MANY_REQUESTS,
                &headers(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
                S(0)
            ),
            Retry::After(S(1))
        );
        let many = RetryPolicy {
            max_attempts: u32::MAX,
            ..p.clone()
        };
        assert_eq!(
            many.decide(40, StatusCode::TOO_MANY_REQUESTS, &headers(None), S(0)),
            Retry::After(S(5)),
            "no overflow"
        );
    }

    #[test]
    fn attempts_and_time_are_bounded() {
        let p = RetryPolicy::default();
        let throttled = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(p.decide(3, throttled, &headers(Some("1")), S(0)), Retry::After(S(1)));
        assert_eq!(
            p.decide(4, throttled, &headers(Some("1")), S(0)),
            Retry::GiveUp(GiveUp::Attempts)
        );
        assert_eq!(
            p.decide(1, throttled, &headers(Some("30")), S(100)),
            Retry::GiveUp(GiveUp::Time)
        );
        assert_eq!(
            p.decide(1, throttled, &headers(Some("20")), S(100)),
            Retry::After(S(20))
        );
        assert_eq!(
            p.decide(1, throttled, &headers(Some("3600")), S(0)),
            Retry::GiveUp(GiveUp::RetryAfterTooLong(S(3600)))
        );
        assert_eq!(
            RetryPolicy::none().decide(1, throttled, &headers(Some("1")), S(0)),
            Retry::GiveUp(GiveUp::Attempts)
        );
    }
}
