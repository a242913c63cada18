//! The retry policy of the client (`style.md` "Client", `protocol.md` §3.6, §4.2, §6.3): what is
//! tried again (408, 429, 500, 502, 503, 504 and network failures), how long to wait
//! (exponential backoff with jitter, or the server's `Retry-After`), and the budgets (errors
//! use `--retries`; 429 waits have their own, larger budget). Pure decisions, no I/O.

use super::{ClientOptions, Replay};
use crate::error::{ApiError, ErrorSource};
use std::time::Duration;

/// Backoff parameters: the n-th error retry waits about `base * 2^n`, at most `cap`, with
/// jitter. `max_throttle_waits` bounds how many 429 answers are waited out per operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
    pub max_throttle_waits: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(30),
            max_throttle_waits: 100,
        }
    }
}

/// Why one try failed.
pub(super) enum Failure {
    /// The server answered with a non-2xx status.
    Status(ApiError),
    /// No complete answer: connect error, timeout, broken connection.
    Network {
        error: Net,
        timed_out: bool,
        /// Whether the request may have reached the server (anything but a connect error).
        sent: bool,
    },
}

impl Failure {
    pub(super) fn network(error: reqwest::Error) -> Self {
        let timed_out = error.is_timeout();
        let sent = !error.is_connect();
        Failure::Network {
            // The top-level reqwest message repeats the URL; the causes say what happened.
            error: Net::new(error.is_connect(), std::error::Error::source(&error)),
            timed_out,
            sent,
        }
    }

    /// Whether the answer says the service or the gateway is overloaded or rate limiting: a
    /// 429 (§6.3) or a 503 (`RequestThrottled` or the plain `ServiceUnavailable`, §4.2).
    pub(super) fn is_throttling(&self) -> bool {
        matches!(self, Failure::Status(e) if e.status == 429 || e.status == 503)
    }

    /// One line for warnings: the status and the server's message, or the network error.
    pub(super) fn describe(&self) -> String {
        match self {
            Failure::Status(e) => {
                let who = match e.source {
                    ErrorSource::Gateway => "the gateway",
                    _ => "the service",
                };
                let mut s = format!("{who} answered {}", e.status);
                if let Some(code) = e.specific_code() {
                    s.push_str(&format!(" {code}"));
                }
                // The specific message says more than the class one (§4.1).
                let message = e
                    .details
                    .first()
                    .map(|(_, m)| m.as_str())
                    .filter(|m| !m.is_empty())
                    .unwrap_or(&e.message);
                if !message.is_empty() {
                    s.push_str(&format!(" ({message})"));
                }
                s
            }
            Failure::Network {
                error, timed_out, ..
            } => network_text(error, *timed_out, Duration::ZERO),
        }
    }
}

/// A network error of either transport (reqwest, `plain.rs`): whether it happened connecting,
/// and its causes (each after ": ").
pub(super) struct Net {
    connect: bool,
    causes: String,
}

impl Net {
    /// A failure while connecting or after; `first` and each of its causes say what it was.
    pub(super) fn new(connect: bool, first: Option<&(dyn std::error::Error + 'static)>) -> Self {
        let mut causes = String::new();
        let mut cause = first;
        while let Some(c) = cause {
            causes.push_str(&format!(": {c}"));
            cause = c.source();
        }
        Net { connect, causes }
    }
}

/// A network error with its causes, e.g. "cannot connect: ... Connection refused".
pub(super) fn network_text(error: &Net, timed_out: bool, timeout: Duration) -> String {
    if timed_out {
        return if timeout.is_zero() {
            "the request timed out".to_string()
        } else {
            format!(
                "no answer within the time limit of {} per request (`--timeout`)",
                show(timeout)
            )
        };
    }
    let what = if error.connect {
        "cannot connect"
    } else {
        "the connection failed"
    };
    format!("{what}{}", error.causes)
}

/// Counters of one operation.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Tries made so far.
    pub attempt: u32,
    /// Error retries used (out of `--retries`).
    pub errors: u32,
    /// 429 answers waited out.
    pub throttled: u32,
}

pub(super) enum Decision {
    Stop,
    Wait(Duration),
}

/// Whether and how long to wait before trying again.
pub(super) fn decide(
    failure: &Failure,
    replay: Replay,
    state: &mut State,
    opts: &ClientOptions,
) -> Decision {
    let b = &opts.backoff;
    match failure {
        Failure::Status(e) if e.status == 429 => {
            // A gateway 429 means the call was refused before it reached the service (§6.3),
            // so even a job submit may be sent again.
            let unsent = e.source == ErrorSource::Gateway;
            if (replay == Replay::OnlyUnsent && !unsent) || state.throttled >= b.max_throttle_waits
            {
                return Decision::Stop;
            }
            state.throttled += 1;
            let wait = match e.retry_after {
                Some(ra) => ra + small_jitter(ra),
                None => backoff(b, state.throttled - 1),
            };
            Decision::Wait(wait)
        }
        Failure::Status(e)
            if matches!(e.status, 408 | 500 | 502 | 503 | 504)
                || e.status == 424 && e.model_status.is_none_or(|s| s >= 500) =>
        {
            // A model server's 500 is an exception in the model: tried once more, and if it
            // repeats, the model refuses the data (`spec/adapters.md` "Bad rows").
            let model_refused = e.status == 500 && opts.refuses_with_500 && state.errors >= 1;
            if replay == Replay::OnlyUnsent || state.errors >= opts.retries || model_refused {
                return Decision::Stop;
            }
            state.errors += 1;
            let wait = match e.retry_after {
                Some(ra) => ra + small_jitter(ra),
                None => backoff(b, state.errors - 1),
            };
            Decision::Wait(wait)
        }
        // 400, 401, 403 (with or without Retry-After: a quota is hours away), 404, ...
        Failure::Status(_) => Decision::Stop,
        Failure::Network { sent, .. } => {
            if (replay == Replay::OnlyUnsent && *sent) || state.errors >= opts.retries {
                return Decision::Stop;
            }
            state.errors += 1;
            Decision::Wait(backoff(b, state.errors - 1))
        }
    }
}

/// Whether a final error answer means the service refused the batch's data as bad input:
/// a 400 or 422; a model server's 500 that repeated when tried again; a 424 whose model
/// status is 4xx (`spec/adapters.md` "Bad rows").
pub(super) fn refused(e: &ApiError, tries: u32, opts: &ClientOptions) -> bool {
    match e.status {
        400 | 422 => true,
        500 => opts.refuses_with_500 && tries > 1,
        424 => e.model_status.is_some_and(|s| (400..500).contains(&s)),
        _ => false,
    }
}

/// "Equal jitter": half of the exponential step, plus a random part of the other half.
pub(super) fn backoff(b: &Backoff, n: u32) -> Duration {
    let step = b
        .base
        .saturating_mul(2u32.saturating_pow(n.min(30)))
        .min(b.cap);
    let half = step / 2;
    half + half.mul_f64(fastrand::f64())
}

/// Up to 10 % (at most 1 s) more than the server asked, so that concurrent requests told to
/// wait the same time do not all come back at the same instant.
fn small_jitter(d: Duration) -> Duration {
    (d / 10)
        .min(Duration::from_secs(1))
        .mul_f64(fastrand::f64())
}

/// `Retry-After`: delay-seconds (possibly fractional, as some servers send) or an HTTP date.
pub(super) fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = v.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A wait as people read it: `750 ms`, `1.5s`, `2m 3s`.
pub fn show(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d < Duration::from_secs(60) {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        crate::error::human(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("57", now), Some(Duration::from_secs(57)));
        assert_eq!(
            parse_retry_after(" 0.5 ", now),
            Some(Duration::from_millis(500))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(120));
        let d = parse_retry_after(&later, now).unwrap();
        assert!(
            d > Duration::from_secs(118) && d <= Duration::from_secs(120),
            "{d:?}"
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(120));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn backoff_grows_exponentially_with_jitter_and_a_cap() {
        let b = Backoff::default();
        for n in 0..12 {
            let step = (b.base * 2u32.pow(n)).min(b.cap);
            for _ in 0..50 {
                let w = backoff(&b, n);
                assert!(w >= step / 2 && w <= step, "n={n} w={w:?}");
            }
        }
        assert!(backoff(&b, u32::MAX) <= b.cap);
    }
}
