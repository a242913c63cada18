//! The BES job table (`protocol.md` §5.1): jobs by id with their state, `Results` and `Details`,
//! and the rules of their life — NotStarted → Running → Finished/Failed/Cancelled, start only
//! from NotStarted, DELETE cancels a job that has not ended and leaves an ended one as it is.
//! The table is bounded: when it is full, the oldest ended job makes room; when no job has
//! ended, a submit is refused. Also renders the status body in the three styles the emulator
//! offers (§5.5, §5.8). Knows nothing of HTTP, blobs or the runner.

use crate::serve::experiment::FeatureHashing;
use crate::wire::bes::{BlobReference, JobState};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// What a submit asked for, checked (`validate.rs`).
#[derive(Debug, Clone, PartialEq)]
pub struct JobSpec {
    /// Where `input1` is.
    pub input: BlobReference,
    /// The override of `output1`, when given.
    pub output: Option<BlobReference>,
    /// "Hashing bitsize" and "N-grams" after the job's `GlobalParameters`.
    pub settings: FeatureHashing,
}

/// Output name -> where the output was written (read-only SAS references).
pub type Results = BTreeMap<String, BlobReference>;

/// How the status body is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusStyle {
    /// api-version 2.0 as clients see it: `StatusCode` as a name, `Results` (§5.5).
    #[default]
    Names,
    /// `StatusCode` as an int 0–4, `Results`.
    Ints,
    /// The 2015-era body: int `StatusCode` and a singular `Result` (§5.8).
    Legacy,
}

/// One job's state as a status call shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub state: JobState,
    pub results: Option<Results>,
    pub details: Option<String>,
}

impl Status {
    /// The status body: `{"StatusCode", "Results", "Details"}` in `style`. `Results` is `null`
    /// unless the job finished.
    pub fn body(&self, style: StatusStyle) -> Value {
        let code = match style {
            StatusStyle::Names => json!(self.state.name()),
            StatusStyle::Ints => json!(state_number(self.state)),
            StatusStyle::Legacy => json!(state_number(self.state)),
        };
        let mut body = Map::new();
        body.insert("StatusCode".into(), code);
        match style {
            StatusStyle::Names | StatusStyle::Ints => {
                let results = serde_json::to_value(&self.results).expect("references serialize");
                body.insert("Results".into(), results);
            }
            StatusStyle::Legacy => {
                let one = self
                    .results
                    .as_ref()
                    .and_then(|r| r.values().next().cloned());
                let result = serde_json::to_value(one).expect("a reference serializes");
                body.insert("Result".into(), result);
            }
        }
        body.insert("Details".into(), json!(self.details));
        Value::Object(body)
    }
}

/// `BatchScoreStatusCode` order: NotStarted 0 … Finished 4.
fn state_number(state: JobState) -> usize {
    JobState::ALL
        .iter()
        .position(|s| *s == state)
        .expect("every state is in ALL")
}

/// A job that was just started: what the runner needs.
#[derive(Debug, Clone)]
pub struct Started {
    pub spec: Arc<JobSpec>,
    pub cancel: CancellationToken,
}

/// Why a start was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartRefused {
    NotFound,
    /// The job is in this state, not NotStarted.
    InState(JobState),
}

/// The table has no room: every job in it is still to run or running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

#[derive(Debug)]
struct Job {
    /// Submission order, for eviction.
    seq: u64,
    spec: Arc<JobSpec>,
    state: JobState,
    results: Option<Results>,
    details: Option<String>,
    cancel: CancellationToken,
}

/// Details of a job cancelled by a DELETE.
pub const CANCELLED_DETAILS: &str = "The job was cancelled.";

/// The jobs of one service, by lower-case id.
#[derive(Debug)]
pub struct JobTable {
    jobs: HashMap<String, Job>,
    next_seq: u64,
    capacity: usize,
}

impl JobTable {
    /// A table of at most `capacity` jobs (at least 1).
    pub fn new(capacity: usize) -> Self {
        JobTable {
            jobs: HashMap::new(),
            next_seq: 0,
            capacity: capacity.max(1),
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// Adds a NotStarted job, first evicting the oldest ended job when the table is full.
    pub fn submit(&mut self, id: &str, spec: JobSpec) -> Result<(), Full> {
        if self.jobs.len() >= self.capacity {
            let oldest_ended = self
                .jobs
                .iter()
                .filter(|(_, j)| j.state.is_final())
                .min_by_key(|(_, j)| j.seq)
                .map(|(id, _)| id.clone())
                .ok_or(Full)?;
            self.jobs.remove(&oldest_ended);
        }
        self.jobs.insert(
            id.to_ascii_lowercase(),
            Job {
                seq: self.next_seq,
                spec: Arc::new(spec),
                state: JobState::NotStarted,
                results: None,
                details: None,
                cancel: CancellationToken::new(),
            },
        );
        self.next_seq += 1;
        Ok(())
    }

    /// NotStarted → Running; anything else is refused.
    pub fn start(&mut self, id: &str) -> Result<Started, StartRefused> {
        let job = self
            .jobs
            .get_mut(&id.to_ascii_lowercase())
            .ok_or(StartRefused::NotFound)?;
        if job.state != JobState::NotStarted {
            return Err(StartRefused::InState(job.state));
        }
        job.state = JobState::Running;
        Ok(Started {
            spec: job.spec.clone(),
            cancel: job.cancel.clone(),
        })
    }

    /// DELETE: a job that has not ended becomes Cancelled and its runner is told to stop; an
    /// ended job stays as it is (its results stay readable). `None` for an unknown id.
    pub fn cancel(&mut self, id: &str) -> Option<JobState> {
        let job = self.jobs.get_mut(&id.to_ascii_lowercase())?;
        if !job.state.is_final() {
            job.state = JobState::Cancelled;
            job.details = Some(CANCELLED_DETAILS.into());
            job.cancel.cancel();
        }
        Some(job.state)
    }

    pub fn status(&self, id: &str) -> Option<Status> {
        self.jobs.get(&id.to_ascii_lowercase()).map(|j| Status {
            state: j.state,
            results: j.results.clone(),
            details: j.details.clone(),
        })
    }

    /// The runner's verdict: Finished with `results`, or Failed with the details. Ignored
    /// unless the job is still Running (a DELETE may have cancelled it meanwhile).
    pub fn end(&mut self, id: &str, outcome: Result<Results, String>) {
        let Some(job) = self.jobs.get_mut(&id.to_ascii_lowercase()) else {
            return;
        };
        if job.state != JobState::Running {
            return;
        }
        match outcome {
            Ok(results) => {
                job.state = JobState::Finished;
                job.results = Some(results);
            }
            Err(details) => {
                job.state = JobState::Failed;
                job.details = Some(details);
            }
        }
    }

    /// Tells every runner to stop (the emulator is shutting down); states are left as they are.
    pub fn stop_all(&self) {
        for job in self.jobs.values() {
            job.cancel.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> JobSpec {
        JobSpec {
            input: BlobReference {
                relative_location: Some("c/in.csv".into()),
                ..BlobReference::default()
            },
            output: None,
            settings: FeatureHashing { bits: 3, ngrams: 2 },
        }
    }

    fn reference() -> BlobReference {
        BlobReference {
            connection_string: None,
            relative_location: Some("c/j/output1.csv".into()),
            base_location: Some("http://h/acct/".into()),
            sas_blob_token: Some("?sv=1&sp=r&sig=S".into()),
        }
    }

    fn state(t: &JobTable, id: &str) -> JobState {
        t.status(id).unwrap().state
    }

    #[test]
    fn a_job_runs_once_from_not_started_to_finished() {
        let mut t = JobTable::new(10);
        t.submit("ABC", spec()).unwrap();
        assert_eq!(state(&t, "abc"), JobState::NotStarted);
        let started = t.start("abc").unwrap();
        assert_eq!(*started.spec, spec());
        assert_eq!(state(&t, "ABC"), JobState::Running);
        assert_eq!(
            t.start("abc").unwrap_err(),
            StartRefused::InState(JobState::Running)
        );
        t.end("abc", Ok(Results::from([("output1".into(), reference())])));
        let s = t.status("abc").unwrap();
        assert_eq!(s.state, JobState::Finished);
        assert_eq!(s.results.unwrap()["output1"], reference());
        assert_eq!(
            t.start("abc").unwrap_err(),
            StartRefused::InState(JobState::Finished)
        );
        assert_eq!(t.start("nope").unwrap_err(), StartRefused::NotFound);
    }

    #[test]
    fn delete_cancels_only_jobs_that_have_not_ended() {
        let mut t = JobTable::new(10);
        for id in ["a", "b", "c"] {
            t.submit(id, spec()).unwrap();
        }
        assert_eq!(t.cancel("a"), Some(JobState::Cancelled));
        let b = t.start("b").unwrap();
        assert_eq!(t.cancel("b"), Some(JobState::Cancelled));
        assert!(b.cancel.is_cancelled(), "the runner is told to stop");
        // The runner's late verdict does not undo the cancel.
        t.end("b", Ok(Results::new()));
        let s = t.status("b").unwrap();
        assert_eq!(
            (s.state, s.results, s.details.as_deref()),
            (JobState::Cancelled, None, Some(CANCELLED_DETAILS))
        );
        t.start("c").unwrap();
        t.end("c", Err("Error 0001: no Col2".into()));
        assert_eq!(t.cancel("c"), Some(JobState::Failed));
        assert_eq!(
            t.status("c").unwrap().details.as_deref(),
            Some("Error 0001: no Col2")
        );
        assert_eq!(t.cancel("zzz"), None);
    }

    #[test]
    fn a_full_table_evicts_the_oldest_ended_job_or_refuses() {
        let mut t = JobTable::new(3);
        for id in ["a", "b", "c"] {
            t.submit(id, spec()).unwrap();
        }
        assert_eq!(t.submit("d", spec()), Err(Full), "nothing has ended");
        t.cancel("c");
        t.cancel("b");
        t.submit("d", spec()).unwrap();
        assert!(t.status("b").is_none(), "b is the oldest ended job");
        assert!(t.status("c").is_some() && t.status("a").is_some());
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn status_bodies_in_every_style() {
        let running = Status {
            state: JobState::Running,
            results: None,
            details: None,
        };
        assert_eq!(
            running.body(StatusStyle::Names).to_string(),
            r#"{"StatusCode":"Running","Results":null,"Details":null}"#
        );
        assert_eq!(
            running.body(StatusStyle::Ints).to_string(),
            r#"{"StatusCode":1,"Results":null,"Details":null}"#
        );
        assert_eq!(
            running.body(StatusStyle::Legacy).to_string(),
            r#"{"StatusCode":1,"Result":null,"Details":null}"#
        );
        let done = Status {
            state: JobState::Finished,
            results: Some(Results::from([("output1".into(), reference())])),
            details: None,
        };
        let names = done.body(StatusStyle::Names);
        assert_eq!(names["StatusCode"], "Finished");
        assert_eq!(
            names["Results"]["output1"],
            json!({"ConnectionString": null, "RelativeLocation": "c/j/output1.csv",
                   "BaseLocation": "http://h/acct/", "SasBlobToken": "?sv=1&sp=r&sig=S"})
        );
        let legacy = done.body(StatusStyle::Legacy);
        assert_eq!(legacy["StatusCode"], 4);
        assert_eq!(legacy["Result"], names["Results"]["output1"]);
        assert!(legacy.get("Results").is_none());
        // What the client parses back.
        let parsed: crate::wire::JobStatus = serde_json::from_value(legacy).unwrap();
        assert_eq!(parsed.results.unwrap()["output1"], reference());
        let failed = Status {
            state: JobState::Failed,
            results: None,
            details: Some("why".into()),
        };
        assert_eq!(failed.body(StatusStyle::Ints)["StatusCode"], 2);
        assert_eq!(failed.body(StatusStyle::Names)["Details"], "why");
    }
}
