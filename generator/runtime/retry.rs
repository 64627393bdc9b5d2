//! Throttling as Graph documents it, as a pure decision: after a response,
//! retry after some delay, or give up. No clock and no sleeping here: a
//! client passes the attempt count, the time spent so far and (to
//! [`RetryPolicy::decide_at`]) the wall-clock time, for a `Retry-After`
//! given as an HTTP date, and a random number, for the jitter of the
//! exponential backoff. [`RetryPolicy::decide`] reads both from the system.
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

use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
    /// Jitter of a computed (exponential) delay, in percent (0 to 100): the
    /// delay `d` becomes one between `d × (1 − jitter/100)` and `d`, so
    /// clients throttled together do not come back together. A
    /// `Retry-After` is never jittered.
    pub jitter_percent: u8,
}

impl Default for RetryPolicy {
    /// 4 attempts within 2 minutes, 1 s doubling without `Retry-After`
    /// (50% jitter), no single wait over 60 s; 429, 503 and 504.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(120),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            statuses: vec![429, 503, 504],
            jitter_percent: 50,
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
    /// `status` with `headers`, `elapsed` after the first attempt started,
    /// with the system clock and a random jitter: [`RetryPolicy::decide_at`]
    /// with `SystemTime::now()` and a random number.
    pub fn decide(
        &self,
        attempt: u32,
        status: http::StatusCode,
        headers: &http::HeaderMap,
        elapsed: Duration,
    ) -> Retry {
        self.decide_at(attempt, status, headers, elapsed, SystemTime::now(), random())
    }

    /// The pure decision. `Retry-After` is honoured in seconds or as an HTTP
    /// date (the wait until it, from `now`; a past date is no wait); without
    /// it the delay is `base_delay` doubled per retry, capped at
    /// `max_delay`, less up to `jitter_percent` of it (`random`'s share:
    /// 0 takes nothing off, `u64::MAX` all the jitter). Gives up on a status
    /// the policy does not retry, after `max_attempts`, when the delay would
    /// end past `max_elapsed`, and on a `Retry-After` over `max_delay`.
    pub fn decide_at(
        &self,
        attempt: u32,
        status: http::StatusCode,
        headers: &http::HeaderMap,
        elapsed: Duration,
        now: SystemTime,
        random: u64,
    ) -> Retry {
        if !self.statuses.contains(&status.as_u16()) {
            return Retry::GiveUp(GiveUp::NotRetryable);
        }
        if attempt >= self.max_attempts {
            return Retry::GiveUp(GiveUp::Attempts);
        }
        let delay = match retry_after(headers, now) {
            Some(d) if d > self.max_delay => return Retry::GiveUp(GiveUp::RetryAfterTooLong(d)),
            Some(d) => d,
            None => {
                let doublings = attempt.saturating_sub(1).min(31);
                let d = self.base_delay.saturating_mul(1u32 << doublings).min(self.max_delay);
                jittered(d, self.jitter_percent, random)
            }
        };
        if elapsed.saturating_add(delay) > self.max_elapsed {
            return Retry::GiveUp(GiveUp::Time);
        }
        Retry::After(delay)
    }
}

/// `d` less `percent`% of it times `random`'s share of `u64::MAX`; never
/// overflows, never more than `d`.
fn jittered(d: Duration, percent: u8, random: u64) -> Duration {
    let share = u128::from(random >> 32); // 0 ..= 2^32 - 1
    let nanos = d.as_nanos();
    // nanos / 100 * 100 * 2^32 stays below u128::MAX even for Duration::MAX.
    let cut = (nanos / 100 * u128::from(percent.min(100)) * share) >> 32;
    let cut = Duration::new(
        u64::try_from(cut / 1_000_000_000).unwrap_or(u64::MAX),
        (cut % 1_000_000_000) as u32,
    );
    d.saturating_sub(cut)
}

/// A random number for the jitter, from the standard library's randomly
/// keyed hasher (no dependency; jitter needs no cryptographic quality).
pub(crate) fn random() -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(SystemTime::now())
}

/// The wait a `Retry-After` header asks for, `now` being the current time:
/// delay-seconds (the form Graph sends) or an HTTP date (IMF-fixdate,
/// RFC 850 or asctime; a past date is no wait). Anything else, or no
/// header, is `None`.
pub fn retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let v = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = v.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = http_date(v)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// An HTTP date (RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`,
/// `Sunday, 06-Nov-94 08:49:37 GMT` or `Sun Nov  6 08:49:37 1994`. The day
/// name is not checked; a date before 1970 reads as the epoch.
pub fn http_date(text: &str) -> Option<SystemTime> {
    let t: Vec<&str> = text.split([' ', ',', '-']).filter(|s| !s.is_empty()).collect();
    let (day, month, year, time) = match t.as_slice() {
        [_, day, month, year, time, "GMT"] => (*day, *month, *year, *time),
        [_, month, day, time, year] => (*day, *month, *year, *time),
        _ => return None,
    };
    let number = |s: &str, max_len: usize| -> Option<u32> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let month = 1 + [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == month)? as u32;
    let year = match year.len() {
        // RFC 850's two digits: the nearest century that is not far future.
        2 => {
            let y = number(year, 2)?;
            if y < 70 {
                2000 + y
            } else {
                1900 + y
            }
        }
        4 => number(year, 4)?,
        _ => return None,
    };
    let day = number(day, 2)?;
    let mut hms = time.split(':');
    let (h, m, s) = (
        number(hms.next()?, 2)?,
        number(hms.next()?, 2)?,
        number(hms.next()?, 2)?,
    );
    if hms.next().is_some() || h > 23 || m > 59 || s > 60 || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    let secs = days * 86_400 + i64::from(h * 3600 + m * 60 + s.min(59));
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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

    /// 1994-11-06T08:49:37Z, the RFC's example date.
    fn rfc_example() -> SystemTime {
        UNIX_EPOCH + S(784_111_777)
    }

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
            jitter_percent: 0,
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
        // Garbage is no Retry-After.
        for garbage in [
            "soon",
            "-3",
            "1.5",
            "Wed, 32 Oct 2015 07:28:00 GMT",
            "Wed, 21 Oct 2015 07:28:00",
        ] {
            assert_eq!(
                p.decide(1, StatusCode::TOO_MANY_REQUESTS, &headers(Some(garbage)), S(0)),
                Retry::After(S(1)),
                "{garbage}"
            );
        }
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
    fn jitter_takes_up_to_its_share_off_a_computed_delay_only() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: S(8),
            max_delay: S(60),
            jitter_percent: 50,
            ..RetryPolicy::default()
        };
        let at = |attempt, h: &http::HeaderMap, random| {
            p.decide_at(attempt, StatusCode::TOO_MANY_REQUESTS, h, S(0), rfc_example(), random)
        };
        let none = headers(None);
        assert_eq!(at(1, &none, 0), Retry::After(S(8)), "no jitter drawn");
        assert_eq!(at(1, &none, u64::MAX / 2 + 1), Retry::After(S(6)), "half of 50%");
        assert_eq!(at(2, &none, u64::MAX / 2 + 1), Retry::After(S(12)));
        let most = match at(1, &none, u64::MAX) {
            Retry::After(d) => d,
            other => panic!("{other:?}"),
        };
        assert!(most >= S(4) && most < S(4) + Duration::from_millis(1), "{most:?}");
        // The same inputs, the same decision: a seeded source replays.
        assert_eq!(at(3, &none, 12345), at(3, &none, 12345));
        // Randomness from the system stays in the bounds.
        for _ in 0..50 {
            match p.decide(1, StatusCode::TOO_MANY_REQUESTS, &none, S(0)) {
                Retry::After(d) => assert!(d >= S(4) && d <= S(8), "{d:?}"),
                other => panic!("{other:?}"),
            }
        }
        // A Retry-After is the service's word: never jittered.
        assert_eq!(at(1, &headers(Some("8")), u64::MAX), Retry::After(S(8)));
        // Extreme durations do not overflow.
        assert_eq!(jittered(Duration::MAX, 100, 0), Duration::MAX);
        assert!(jittered(Duration::MAX, 100, u64::MAX) < Duration::MAX);
        assert_eq!(jittered(S(10), 255, u64::MAX / 2 + 1), S(5), "percent capped at 100");
    }

    #[test]
    fn retry_after_as_an_http_date() {
        let p = RetryPolicy::default();
        let now = rfc_example();
        let throttled = StatusCode::TOO_MANY_REQUESTS;
        for date in [
            "Sun, 06 Nov 1994 08:50:07 GMT",
            "Sunday, 06-Nov-94 08:50:07 GMT",
            "Sun Nov  6 08:50:07 1994",
        ] {
            assert_eq!(
                p.decide_at(1, throttled, &headers(Some(date)), S(0), now, 0),
                Retry::After(S(30)),
                "{date}"
            );
        }
        assert_eq!(
            p.decide_at(
                1,
                throttled,
                &headers(Some("Sun, 06 Nov 1994 08:00:00 GMT")),
                S(0),
                now,
                0
            ),
            Retry::After(S(0)),
            "a past date is no wait"
        );
        assert_eq!(
            p.decide_at(
                1,
                throttled,
                &headers(Some("Mon, 07 Nov 1994 08:49:37 GMT")),
                S(0),
                now,
                0
            ),
            Retry::GiveUp(GiveUp::RetryAfterTooLong(S(86_400)))
        );
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(UNIX_EPOCH));
        assert_eq!(
            http_date("Tue, 29 Feb 2000 23:59:60 GMT"),
            Some(UNIX_EPOCH + S(951_868_799)),
            "leap day, leap second"
        );
        for bad in [
            "",
            "GMT",
            "Tue, 29 Feb 2001 00:00:00 GMT",
            "Tue, 00 Feb 2001 00:00:00 GMT",
            "Tue, 01 Foo 2001 00:00:00 GMT",
            "Tue, 01 Feb 2001 24:00:00 GMT",
            "Tue, 01 Feb 2001 00:00 GMT",
            "Tue, 01 Feb 2001 00:00:00:00 GMT",
            "Tue, 01 Feb 20011 00:00:00 GMT",
            "Tue, +1 Feb 2001 00:00:00 GMT",
            "Tue, 01 Feb 2001 00:00:00 UTC",
        ] {
            assert_eq!(http_date(bad), None, "{bad}");
        }
        assert_eq!(
            http_date("Mon, 01 Jan 1900 00:00:00 GMT"),
            Some(UNIX_EPOCH),
            "before 1970"
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
