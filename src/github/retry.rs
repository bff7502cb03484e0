//! The one retry layer for GitHub calls (octocrab's `retry` feature is off: two
//! layers would multiply the attempts): exponential backoff with full
//! jitter, a bound on attempts, and GitHub's rate-limit headers honoured.
//!
//! GitHub's rules
//! (<https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit>):
//! on 403/429 wait `Retry-After` seconds if given;
//! else if `X-RateLimit-Remaining: 0`, wait until `X-RateLimit-Reset`; else (a
//! secondary limit) wait at least a minute. A 403 without any of that is a
//! permission problem and is not retried. A wait longer than
//! [`Policy::max_rate_limit_wait`] is not slept inside a job: the error goes up and
//! the job is put back in the store for later.

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, StatusCode};

use super::Error;

/// How persistent to be. [`Policy::default`] is the per-call half of the App's
/// one retry policy (ARCHITECTURE.md, "Retries: one policy"): 3 tries, backoffs
/// of about 0.5 s and 1 s, rate-limit waits up to 90 s. A call that still fails
/// fails the job's attempt, and the worker retries the job (`--retry-delay`,
/// `--max-attempts`), so a call is sent at most 3 × max-attempts times.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    /// The first backoff; doubled per attempt, then jittered.
    pub base_delay: Duration,
    /// No single backoff sleeps longer than this.
    pub max_delay: Duration,
    /// Rate-limit waits up to this are slept; longer ones end the call.
    pub max_rate_limit_wait: Duration,
    /// Secondary rate limit without headers: GitHub says wait at least a minute.
    pub secondary_limit_wait: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_rate_limit_wait: Duration::from_secs(90),
            secondary_limit_wait: Duration::from_secs(60),
        }
    }
}

impl Policy {
    /// The sleep before attempt `attempt + 1`, after `attempt` failed attempts:
    /// uniform in [d/2, d] with d = base · 2^(attempt-1), capped ("equal jitter",
    /// so retries never bunch up at zero).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let d = exp.min(self.max_delay);
        let half = d / 2;
        half + half.mul_f64(jitter())
    }
}

/// Run `call` until it succeeds, fails for good, or attempts run out.
/// `call` gets the attempt number (1-based). `what` names the call in the retry
/// warning (e.g. `GET /repos/o/r/pulls/2`), so the log says what was tried.
pub async fn run<T, F, Fut>(policy: &Policy, what: &str, mut call: F) -> Result<T, Error>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let mut attempt = 1;
    loop {
        let err = match call(attempt).await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        if !err.is_retryable() || attempt >= policy.max_attempts {
            return Err(err);
        }
        let delay = match &err {
            Error::RateLimited { retry_after, .. } if *retry_after > policy.max_rate_limit_wait => {
                return Err(err);
            }
            // A little jitter on top, so many jobs do not wake at the same instant.
            Error::RateLimited { retry_after, .. } => {
                *retry_after + Duration::from_millis(250).mul_f64(jitter())
            }
            _ => policy.backoff(attempt),
        };
        tracing::warn!(
            call = what,
            error = %err,
            attempt,
            delay_ms = delay.as_millis() as u64,
            "GitHub call failed; retrying"
        );
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}

/// If this response is a rate limit, how long to wait. `None`: not a rate limit.
pub fn rate_limit_wait(
    policy: &Policy,
    status: StatusCode,
    headers: &HeaderMap,
    body: &str,
) -> Option<Duration> {
    if status != StatusCode::FORBIDDEN && status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(secs) = header("retry-after").and_then(|v| v.parse::<u64>().ok()) {
        return Some(Duration::from_secs(secs));
    }
    if header("x-ratelimit-remaining") == Some("0") {
        let reset = header("x-ratelimit-reset")
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        return Some(Duration::from_secs(reset.saturating_sub(now).max(1)));
    }
    if status == StatusCode::TOO_MANY_REQUESTS || body.to_ascii_lowercase().contains("rate limit") {
        return Some(policy.secondary_limit_wait);
    }
    None
}

/// A number in [0, 1) that is different on every call. Not cryptographic: it only
/// spreads retries apart. `RandomState` is seeded randomly per process and per
/// instance, so no extra dependency is needed.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn retry_after_wins() {
        let p = Policy::default();
        let h = headers(&[
            ("retry-after", "7"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1"),
        ]);
        assert_eq!(
            rate_limit_wait(&p, StatusCode::FORBIDDEN, &h, ""),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn reset_header_is_honoured() {
        let p = Policy::default();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let h = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &(now + 30).to_string()),
        ]);
        let wait = rate_limit_wait(&p, StatusCode::TOO_MANY_REQUESTS, &h, "").unwrap();
        assert!((29..=30).contains(&wait.as_secs()), "{wait:?}");
    }

    #[test]
    fn secondary_limit_waits_a_minute_and_plain_403_is_not_a_limit() {
        let p = Policy::default();
        let none = HeaderMap::new();
        let secondary = "You have exceeded a secondary rate limit";
        assert_eq!(
            rate_limit_wait(&p, StatusCode::FORBIDDEN, &none, secondary),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            rate_limit_wait(
                &p,
                StatusCode::FORBIDDEN,
                &none,
                "Resource not accessible by integration"
            ),
            None
        );
        assert_eq!(
            rate_limit_wait(&p, StatusCode::BAD_GATEWAY, &none, ""),
            None
        );
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = Policy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..Policy::default()
        };
        for attempt in 1..10 {
            let d = p.backoff(attempt);
            let full =
                (Duration::from_millis(100) * (1 << (attempt - 1))).min(Duration::from_secs(1));
            assert!(
                d >= full / 2 && d <= full,
                "attempt {attempt}: {d:?} not in [{:?}, {full:?}]",
                full / 2
            );
        }
    }

    /// The default is the policy ARCHITECTURE.md states ("tried up to **3**
    /// times", backoffs of about 0.5 s and 1 s, rate-limit waits up to 90 s):
    /// one number, in the code and the docs. See: #12.
    #[test]
    fn the_default_is_the_documented_policy() {
        let p = Policy::default();
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ARCHITECTURE.md"))
            .unwrap();
        let stated = format!(
            "each GitHub call is tried up to **{}** times",
            p.max_attempts
        );
        assert!(
            doc.contains(&stated),
            "ARCHITECTURE.md no longer says {stated:?}"
        );
        assert_eq!(
            (p.base_delay, p.max_rate_limit_wait),
            (Duration::from_millis(500), Duration::from_secs(90))
        );
    }

    #[tokio::test]
    async fn gives_up_after_max_attempts_and_not_on_permanent_errors() {
        let p = Policy {
            max_attempts: 3,
            base_delay: Duration::from_millis(1),
            ..Policy::default()
        };
        let mut calls = 0;
        let r: Result<(), Error> = run(&p, "GET /test", |_| {
            calls += 1;
            async {
                Err(Error::Transient {
                    route: "/x".into(),
                    detail: "502".into(),
                })
            }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls, 3);
        let mut calls = 0;
        let r: Result<(), Error> = run(&p, "GET /test", |_| {
            calls += 1;
            async { Err(Error::NotFound { route: "/x".into() }) }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls, 1);
    }
}
