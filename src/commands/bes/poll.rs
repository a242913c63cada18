//! Polling a job until it reaches a final state: jittered backoff from `--poll-interval`,
//! capped at 30 s, bounded by `--job-timeout`; and the mapping of final states to outcomes.

use crate::client::Client;
use crate::error::{ExitStatus, JobEnded};
use crate::output::Printer;
use crate::usage;
use crate::wire::{JobId, JobState, JobStatus};
use anyhow::Result;
use indicatif::ProgressBar;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The longest wait between two polls.
pub const MAX_POLL_INTERVAL: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct Policy {
    pub first: Duration,
    pub cap: Duration,
    pub job_timeout: Option<Duration>,
}

impl Policy {
    pub fn new(poll_interval: f64, job_timeout: Option<f64>) -> Result<Self> {
        if !(poll_interval.is_finite() && poll_interval > 0.0 && poll_interval <= 3600.0) {
            return Err(usage!(
                "`--poll-interval` must be between 0 and 3600 seconds, not `{poll_interval}`"
            ));
        }
        let job_timeout = match job_timeout {
            Some(t) if t.is_finite() && t > 0.0 => Some(Duration::from_secs_f64(t)),
            Some(t) => {
                return Err(usage!(
                    "`--job-timeout` must be a positive number of seconds, not `{t}`"
                ));
            }
            None => None,
        };
        let first = Duration::from_secs_f64(poll_interval);
        Ok(Policy {
            first,
            cap: MAX_POLL_INTERVAL.max(first),
            job_timeout,
        })
    }

    /// The delay after `delay`: ×1.5, capped.
    pub fn next(&self, delay: Duration) -> Duration {
        delay.mul_f64(1.5).min(self.cap)
    }
}

/// Full jitter between 50 % and 100 % of `d`, so many clients do not poll in lockstep.
fn jitter(d: Duration) -> Duration {
    d.mul_f64(0.5 + fastrand::f64() * 0.5)
}

/// Polls until a final state; returns the last status and its raw body. A `--job-timeout` that
/// passes first is `JobEnded` with exit 7.
pub async fn wait(
    client: &Client,
    id: &JobId,
    policy: &Policy,
    printer: &Printer,
    spinner: Option<&ProgressBar>,
) -> Result<(JobStatus, Value)> {
    let started = Instant::now();
    let mut delay = policy.first;
    let mut last_state = None;
    loop {
        let (status, raw) = client.job_status(id).await?;
        if last_state != Some(status.state) {
            printer.debug(1, format!("job `{id}` is {}", status.state));
            last_state = Some(status.state);
        }
        if let Some(bar) = spinner {
            bar.set_message(format!("job {id}: {}", status.state));
        }
        if status.state.is_final() {
            return Ok((status, raw));
        }
        let mut sleep = jitter(delay);
        if let Some(limit) = policy.job_timeout {
            let elapsed = started.elapsed();
            if elapsed >= limit {
                return Err(timed_out(id, limit, status.state));
            }
            sleep = sleep.min(limit - elapsed);
        }
        tokio::time::sleep(sleep).await;
        delay = policy.next(delay);
    }
}

fn timed_out(id: &JobId, limit: Duration, state: JobState) -> anyhow::Error {
    anyhow::Error::new(JobEnded {
        job: id.to_string(),
        status: ExitStatus::TimedOut,
        message: format!(
            "job `{id}` did not finish within the job timeout of {} (last state {state})",
            crate::error::human(limit)
        ),
    })
}

/// `Finished` is success; `Failed` (exit 5, with the job's `Details`) and `Cancelled` (exit 6)
/// are errors.
pub fn check_final(id: &JobId, status: &JobStatus) -> Result<()> {
    let (exit, message) = match status.state {
        JobState::Finished => return Ok(()),
        JobState::Failed => (
            ExitStatus::JobFailed,
            match &status.details {
                Some(d) if !d.trim().is_empty() => format!("job `{id}` failed: {}", d.trim()),
                _ => format!("job `{id}` failed (the service gave no details)"),
            },
        ),
        JobState::Cancelled => (
            ExitStatus::JobCancelled,
            format!("job `{id}` was cancelled"),
        ),
        other => (ExitStatus::Failure, format!("job `{id}` is still {other}")),
    };
    Err(anyhow::Error::new(JobEnded {
        job: id.to_string(),
        status: exit,
        message,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = Policy::new(1.0, None).unwrap();
        let mut d = p.first;
        for _ in 0..20 {
            d = p.next(d);
        }
        assert_eq!(d, MAX_POLL_INTERVAL);
        assert!(Policy::new(0.0, None).is_err());
        assert!(Policy::new(1.0, Some(-1.0)).is_err());
        let j = jitter(Duration::from_secs(2));
        assert!(j >= Duration::from_secs(1) && j <= Duration::from_secs(2));
    }

    #[test]
    fn final_states_map_to_exit_codes() {
        let id = JobId::parse("j1").unwrap();
        let st = |state, details: Option<&str>| JobStatus {
            state,
            results: None,
            details: details.map(String::from),
        };
        assert!(check_final(&id, &st(JobState::Finished, None)).is_ok());
        let e = check_final(&id, &st(JobState::Failed, Some("Error 0018: bad"))).unwrap_err();
        assert_eq!(crate::error::exit_status(&e), ExitStatus::JobFailed);
        assert!(e.to_string().contains("Error 0018"));
        let e = check_final(&id, &st(JobState::Cancelled, None)).unwrap_err();
        assert_eq!(crate::error::exit_status(&e), ExitStatus::JobCancelled);
    }
}
