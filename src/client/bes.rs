//! BES job operations (`protocol.md` §5): submit, start, status, delete. A submit is never sent
//! twice once it may have reached the service (a second job would run), so it is tried again
//! only after a connect error or a gateway 429. Start and delete are tried again, and a retry
//! that finds the work done (`CannotStartJob`, 404) counts as success.

use super::{Call, Client, Replay};
use crate::error::ApiError;
use crate::wire::{JobId, JobRequest, JobStatus};
use anyhow::{Context, Result};
use reqwest::Method;
use url::Url;

// Called by the `bes` commands.
impl Client {
    /// `{root}/jobs?api-version=V`.
    pub fn jobs_url(&self) -> Url {
        self.url(&["jobs"], &[])
    }

    /// `{root}/jobs/{id}?api-version=V`.
    pub fn job_url(&self, id: &JobId) -> Url {
        self.url(&["jobs", &id.0], &[])
    }

    /// `{root}/jobs/{id}/start?api-version=V`.
    pub fn job_start_url(&self, id: &JobId) -> Url {
        self.url(&["jobs", &id.0, "start"], &[])
    }

    /// Submits a job and returns its id (§5.3: the answer is the id as a JSON string).
    pub async fn submit_job(&self, req: &JobRequest) -> Result<JobId> {
        let body = serde_json::to_vec(req).context("cannot serialize the job request")?;
        let answer = self
            .send(Call {
                method: Method::POST,
                url: self.jobs_url(),
                body: Some(body.into()),
                what: "submitting the job",
                content_type: super::JSON_CONTENT_TYPE,
                replay: Replay::OnlyUnsent,
                done_if_retried: None,
                gate: None,
            })
            .await?;
        let text = String::from_utf8_lossy(&answer.body);
        JobId::from_body(&text).map_err(|e| {
            anyhow::anyhow!("the service's answer to the job submit is not a job id: {e}")
        })
    }

    /// Starts a submitted job (§5.4: no body).
    pub async fn start_job(&self, id: &JobId) -> Result<()> {
        let what = format!("starting job `{id}`");
        self.send(Call {
            method: Method::POST,
            url: self.job_start_url(id),
            body: None,
            what: &what,
            content_type: super::JSON_CONTENT_TYPE,
            replay: Replay::Always,
            done_if_retried: Some(already_started),
            gate: None,
        })
        .await?;
        Ok(())
    }

    /// A job's status, parsed, and the raw body (for `-f json`).
    pub async fn job_status(&self, id: &JobId) -> Result<(JobStatus, serde_json::Value)> {
        let what = format!("reading the status of job `{id}`");
        let answer = self
            .send(Call {
                method: Method::GET,
                url: self.job_url(id),
                body: None,
                what: &what,
                content_type: super::JSON_CONTENT_TYPE,
                replay: Replay::Always,
                done_if_retried: None,
                gate: None,
            })
            .await?;
        let raw: serde_json::Value = serde_json::from_slice(&answer.body)
            .with_context(|| format!("the status of job `{id}` is not JSON"))?;
        let status = serde_json::from_value::<JobStatus>(raw.clone())
            .with_context(|| format!("the status of job `{id}` is not a job status"))?;
        Ok((status, raw))
    }

    /// Deletes (cancels) a job (§5.6).
    pub async fn delete_job(&self, id: &JobId) -> Result<()> {
        let what = format!("deleting job `{id}`");
        self.send(Call {
            method: Method::DELETE,
            url: self.job_url(id),
            body: None,
            what: &what,
            content_type: super::JSON_CONTENT_TYPE,
            replay: Replay::Always,
            done_if_retried: Some(|e| e.status == 404),
            gate: None,
        })
        .await?;
        Ok(())
    }
}

/// 400 `CannotStartJob` on a retry: the earlier try started the job (§5.4).
fn already_started(e: &ApiError) -> bool {
    e.status == 400
        && (e.specific_code() == Some("CannotStartJob")
            || e.details.iter().any(|(c, _)| c == "CannotStartJob"))
}
