//! The gateway's call accounting per subscription (`protocol.md` §6.3 policy semantics): a
//! sliding-window rate limit and a fixed-window quota counted from the first call, and the
//! time formats of their answers. Pure bookkeeping on `Instant`s: no HTTP.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// `CALLS/SECS`: at most `calls` calls per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallLimit {
    pub calls: u32,
    pub period: Duration,
}

impl std::str::FromStr for CallLimit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not CALLS/SECS (two whole numbers above 0, e.g. `5/60`)");
        let (calls, secs) = s.split_once('/').ok_or_else(bad)?;
        let calls: u32 = calls.trim().parse().map_err(|_| bad())?;
        let secs: u64 = secs.trim().parse().map_err(|_| bad())?;
        if calls == 0 || secs == 0 {
            return Err(bad());
        }
        Ok(CallLimit {
            calls,
            period: Duration::from_secs(secs),
        })
    }
}

/// Call history of a subscription.
#[derive(Debug, Default)]
pub struct Counters {
    /// Admitted calls within the last rate-limit period, oldest first.
    recent: VecDeque<Instant>,
    /// Start of the current quota period (from the first call) and calls admitted in it.
    quota_start: Option<Instant>,
    quota_used: u32,
}

/// Why a call was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    /// 429 with the whole seconds until a call leaves the window.
    Rate(u64),
    /// 403 with the time until the quota period ends.
    Quota(Duration),
}

impl Counters {
    /// Admits a call at `now` or says which limit refused it. Only admitted calls count.
    pub fn admit(
        &mut self,
        now: Instant,
        rate: Option<CallLimit>,
        quota: Option<CallLimit>,
    ) -> Result<(), Limited> {
        if let Some(r) = rate {
            while self
                .recent
                .front()
                .is_some_and(|t| now.duration_since(*t) >= r.period)
            {
                self.recent.pop_front();
            }
            if self.recent.len() >= r.calls as usize {
                let oldest = *self.recent.front().expect("the window is full");
                let wait = r.period.saturating_sub(now.duration_since(oldest));
                return Err(Limited::Rate(whole_seconds(wait)));
            }
        }
        if let Some(q) = quota {
            let start = match self.quota_start {
                Some(s) if now.duration_since(s) < q.period => s,
                _ => {
                    self.quota_used = 0;
                    *self.quota_start.insert(now)
                }
            };
            if self.quota_used >= q.calls {
                return Err(Limited::Quota(
                    q.period.saturating_sub(now.duration_since(start)),
                ));
            }
            self.quota_used += 1;
        }
        if rate.is_some() {
            self.recent.push_back(now);
        }
        Ok(())
    }
}

/// Seconds rounded up, at least 1: a client that waits that long is let through.
pub fn whole_seconds(d: Duration) -> u64 {
    (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
}

/// A .NET TimeSpan as APIM prints it: `hh:mm:ss`, or `d.hh:mm:ss` from one day.
pub fn timespan(d: Duration) -> String {
    let s = whole_seconds(d);
    let (days, h, m, s) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    if days > 0 {
        format!("{days}.{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(calls: u32, secs: u64) -> Option<CallLimit> {
        Some(CallLimit {
            calls,
            period: Duration::from_secs(secs),
        })
    }

    #[test]
    fn call_limits_are_parsed() {
        assert_eq!("2/60".parse::<CallLimit>().unwrap(), limit(2, 60).unwrap());
        for bad in ["2", "0/60", "2/0", "a/b", "-1/5", "2/60/1"] {
            assert!(bad.parse::<CallLimit>().is_err(), "{bad}");
        }
    }

    #[test]
    fn rate_limit_is_a_sliding_window() {
        let mut c = Counters::default();
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let r = limit(2, 10);
        assert_eq!(c.admit(at(0), r, None), Ok(()));
        assert_eq!(c.admit(at(4_000), r, None), Ok(()));
        assert_eq!(c.admit(at(5_500), r, None), Err(Limited::Rate(5)));
        // The first call leaves the window at 10 s; the refused one did not count.
        assert_eq!(c.admit(at(10_000), r, None), Ok(()));
        assert_eq!(c.admit(at(13_999), r, None), Err(Limited::Rate(1)));
        assert_eq!(c.admit(at(14_000), r, None), Ok(()));
    }

    #[test]
    fn quota_is_a_fixed_window_from_the_first_call() {
        let mut c = Counters::default();
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let q = limit(2, 100);
        assert_eq!(c.admit(at(5), None, q), Ok(()));
        assert_eq!(c.admit(at(6), None, q), Ok(()));
        assert_eq!(
            c.admit(at(50), None, q),
            Err(Limited::Quota(Duration::from_secs(55)))
        );
        assert_eq!(c.admit(at(105), None, q), Ok(()));
    }

    #[test]
    fn times_are_printed_as_apim_does() {
        assert_eq!(timespan(Duration::from_secs(25_280)), "07:01:20");
        assert_eq!(
            timespan(Duration::from_secs(20 * 86_400 + 35_935)),
            "20.09:58:55"
        );
        assert_eq!(timespan(Duration::from_millis(10)), "00:00:01");
        assert_eq!(whole_seconds(Duration::from_millis(59_001)), 60);
    }
}
