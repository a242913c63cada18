//! Fault injection (issue 4): the emulator can answer a seeded fraction of RRS calls with 503
//! `RequestThrottled` (the service envelope), 429 (the gateway's rate-limit body and
//! `Retry-After`, with or without the gateway), or by closing the connection without an answer;
//! delay the answers of RRS and BES calls; and answer a fraction of BES status polls with 503.
//! Every decision comes from a seeded random generator, one per stream (RRS calls, BES calls),
//! drawing the same count of numbers for every call, so that a seed and an order of calls give
//! the same faults again. This file decides; `answer.rs` carries a decision out. Knows nothing
//! of scoring, jobs or the gateway's counters.

mod answer;

pub use answer::{Faulted, answer, carry_out};

use std::sync::Mutex;
use std::time::Duration;

/// What to inject; all fractions 0 (the default) inject nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    /// Seed of the generators.
    pub seed: u64,
    /// Fraction of RRS calls answered 503 `ServiceUnavailable`/`RequestThrottled`.
    pub unavailable: f64,
    /// Fraction of RRS calls answered 429 with the gateway's rate-limit body.
    pub rate_limited: f64,
    /// Fraction of RRS calls whose connection is closed without an answer.
    pub dropped: f64,
    /// Delay before answering an RRS or BES call.
    pub delay: Option<Delay>,
    /// Fraction of BES status polls answered 503.
    pub status_unavailable: f64,
    /// `Retry-After` seconds of the injected 429s.
    pub retry_after: u64,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            seed: 0,
            unavailable: 0.0,
            rate_limited: 0.0,
            dropped: 0.0,
            delay: None,
            status_unavailable: 0.0,
            retry_after: 1,
        }
    }
}

impl FaultConfig {
    /// Whether anything is injected at all.
    pub fn is_active(&self) -> bool {
        self.unavailable > 0.0
            || self.rate_limited > 0.0
            || self.dropped > 0.0
            || self.status_unavailable > 0.0
            || self.delay.is_some_and(|d| !d.max.is_zero())
    }

    /// Checks that every fraction is in 0..=1 and that the RRS fractions add up to at most 1;
    /// the error names the flag.
    pub fn check(&self) -> Result<(), String> {
        for (flag, f) in [
            ("--fault-503", self.unavailable),
            ("--fault-429", self.rate_limited),
            ("--fault-drop", self.dropped),
            ("--fault-status-503", self.status_unavailable),
        ] {
            if !(0.0..=1.0).contains(&f) {
                return Err(format!(
                    "`{flag}` must be a fraction from 0 to 1; got `{f}`"
                ));
            }
        }
        let sum = self.unavailable + self.rate_limited + self.dropped;
        if sum > 1.0 + 1e-9 {
            return Err(format!(
                "`--fault-503`, `--fault-429` and `--fault-drop` add up to {sum}, over 1"
            ));
        }
        Ok(())
    }
}

/// A delay: fixed (`min == max`) or uniform in `min..=max`, in whole milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delay {
    pub min: Duration,
    pub max: Duration,
}

/// The longest delay accepted: ten minutes.
const MAX_DELAY_MS: u64 = 600_000;

impl std::str::FromStr for Delay {
    type Err = String;
    /// `MS` or `MIN-MAX` (milliseconds, whole numbers, MIN <= MAX <= 600000).
    fn from_str(s: &str) -> Result<Self, String> {
        let bad =
            || format!("`{s}` is not MS or MIN-MAX (whole milliseconds, e.g. `200` or `50-500`)");
        let ms = |t: &str| t.trim().parse::<u64>().map_err(|_| bad());
        let (min, max) = match s.split_once('-') {
            Some((a, b)) => (ms(a)?, ms(b)?),
            None => (ms(s)?, ms(s)?),
        };
        if min > max {
            return Err(format!(
                "`{s}`: the smallest delay is larger than the largest"
            ));
        }
        if max > MAX_DELAY_MS {
            return Err(format!("`{s}`: delays are at most {MAX_DELAY_MS} ms"));
        }
        Ok(Delay {
            min: Duration::from_millis(min),
            max: Duration::from_millis(max),
        })
    }
}

/// A fault put in place of the normal answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 503 `ServiceUnavailable`/`RequestThrottled` to an RRS call.
    Unavailable,
    /// 429 with the gateway's rate-limit body and `Retry-After`.
    RateLimited,
    /// The connection closed without an answer.
    Dropped,
    /// 503 to a BES status poll.
    StatusUnavailable,
}

impl Fault {
    /// The name in the request log.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Unavailable => "503",
            Fault::RateLimited => "429",
            Fault::Dropped => "drop",
            Fault::StatusUnavailable => "status-503",
        }
    }
}

/// What happens to one call: a fault or none, and how long to wait before answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Decision {
    pub fault: Option<Fault>,
    pub delay: Duration,
}

/// The kinds of BES call (only status polls get faults; all get the delay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BesCall {
    Submit,
    Start,
    Status,
    Delete,
}

/// The emulator's fault generators.
#[derive(Debug)]
pub struct Faults {
    config: FaultConfig,
    rrs: Mutex<fastrand::Rng>,
    bes: Mutex<fastrand::Rng>,
}

/// Mixed into the seed of the BES stream, so that it differs from the RRS one.
const BES_STREAM: u64 = 0x9e37_79b9_7f4a_7c15;

impl Faults {
    pub fn new(config: FaultConfig) -> Self {
        Faults {
            rrs: Mutex::new(fastrand::Rng::with_seed(config.seed)),
            bes: Mutex::new(fastrand::Rng::with_seed(config.seed ^ BES_STREAM)),
            config,
        }
    }

    pub fn config(&self) -> &FaultConfig {
        &self.config
    }

    /// The fate of the next RRS call: two draws, whatever the outcome.
    pub fn rrs(&self) -> Decision {
        let (u, d) = draw(&self.rrs);
        let c = &self.config;
        let fault = if u < c.unavailable {
            Some(Fault::Unavailable)
        } else if u < c.unavailable + c.rate_limited {
            Some(Fault::RateLimited)
        } else if u < c.unavailable + c.rate_limited + c.dropped {
            Some(Fault::Dropped)
        } else {
            None
        };
        Decision {
            fault,
            delay: self.delay(d),
        }
    }

    /// The fate of the next BES call of kind `call`: two draws, whatever the outcome.
    pub fn bes(&self, call: BesCall) -> Decision {
        let (u, d) = draw(&self.bes);
        let fault = (call == BesCall::Status && u < self.config.status_unavailable)
            .then_some(Fault::StatusUnavailable);
        Decision {
            fault,
            delay: self.delay(d),
        }
    }

    /// `d` in 0..1 mapped onto the delay range, whole milliseconds.
    fn delay(&self, d: f64) -> Duration {
        let Some(delay) = self.config.delay else {
            return Duration::ZERO;
        };
        let (min, max) = (delay.min.as_millis() as u64, delay.max.as_millis() as u64);
        // `d < 1`, so the product is below `max - min + 1`: every millisecond equally likely.
        let extra = ((max - min + 1) as f64 * d) as u64;
        Duration::from_millis((min + extra).min(max))
    }
}

fn draw(rng: &Mutex<fastrand::Rng>) -> (f64, f64) {
    // Nothing panics while holding the lock; a poisoned generator is still a generator.
    let mut rng = rng.lock().unwrap_or_else(|p| p.into_inner());
    (rng.f64(), rng.f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(seed: u64) -> FaultConfig {
        FaultConfig {
            seed,
            unavailable: 0.1,
            rate_limited: 0.05,
            dropped: 0.02,
            delay: Some("10-30".parse().unwrap()),
            status_unavailable: 0.3,
            ..FaultConfig::default()
        }
    }

    fn rrs_run(seed: u64, n: usize) -> Vec<Decision> {
        let f = Faults::new(config(seed));
        (0..n).map(|_| f.rrs()).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        assert_eq!(rrs_run(42, 500), rrs_run(42, 500));
        assert_ne!(rrs_run(42, 500), rrs_run(43, 500));
        let (a, b) = (Faults::new(config(7)), Faults::new(config(7)));
        let calls = [
            BesCall::Submit,
            BesCall::Status,
            BesCall::Status,
            BesCall::Delete,
        ];
        let x: Vec<Decision> = calls.iter().cycle().take(200).map(|c| a.bes(*c)).collect();
        let y: Vec<Decision> = calls.iter().cycle().take(200).map(|c| b.bes(*c)).collect();
        assert_eq!(x, y);
    }

    #[test]
    fn bes_calls_do_not_shift_the_rrs_sequence() {
        let f = Faults::new(config(9));
        let mixed: Vec<Decision> = (0..300)
            .map(|i| {
                if i % 3 == 0 {
                    f.bes(BesCall::Status);
                }
                f.rrs()
            })
            .collect();
        assert_eq!(mixed, rrs_run(9, 300));
    }

    #[test]
    fn fractions_are_respected_over_many_calls() {
        let d = rrs_run(1, 20_000);
        let count = |k: Fault| d.iter().filter(|x| x.fault == Some(k)).count() as f64 / 20_000.0;
        assert!((count(Fault::Unavailable) - 0.10).abs() < 0.01);
        assert!((count(Fault::RateLimited) - 0.05).abs() < 0.01);
        assert!((count(Fault::Dropped) - 0.02).abs() < 0.005);
        assert!(
            d.iter()
                .all(|x| (10..=30).contains(&(x.delay.as_millis() as u64)))
        );
        assert!(d.iter().any(|x| x.delay.as_millis() == 10));
        assert!(d.iter().any(|x| x.delay.as_millis() == 30));
        let f = Faults::new(config(1));
        let polls: Vec<Decision> = (0..1000).map(|_| f.bes(BesCall::Status)).collect();
        let n = polls.iter().filter(|x| x.fault.is_some()).count();
        assert!((250..350).contains(&n), "{n}");
        assert!((0..1000).all(|_| f.bes(BesCall::Submit).fault.is_none()));
    }

    #[test]
    fn no_fault_config_injects_nothing() {
        let f = Faults::new(FaultConfig::default());
        assert!(!f.config().is_active());
        assert!((0..1000).all(|_| f.rrs() == Decision::default()));
        assert!((0..1000).all(|_| f.bes(BesCall::Status) == Decision::default()));
    }

    #[test]
    fn delays_and_fractions_are_checked() {
        let d = |s: &str| s.parse::<Delay>();
        assert_eq!(d("200").unwrap().min, Duration::from_millis(200));
        assert_eq!(d(" 5 - 50 ").unwrap().max, Duration::from_millis(50));
        for bad in ["", "x", "-5", "50-5", "1.5", "700000", "1-2-3"] {
            assert!(d(bad).is_err(), "{bad}");
        }
        assert!(config(0).check().is_ok());
        let over = FaultConfig {
            unavailable: 0.6,
            rate_limited: 0.5,
            ..FaultConfig::default()
        };
        assert!(over.check().unwrap_err().contains("over 1"));
        let negative = FaultConfig {
            status_unavailable: -0.1,
            ..FaultConfig::default()
        };
        assert!(negative.check().unwrap_err().contains("--fault-status-503"));
        let nan = FaultConfig {
            dropped: f64::NAN,
            ..FaultConfig::default()
        };
        assert!(nan.check().is_err());
    }
}
