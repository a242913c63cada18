//! BES (`protocol.md` §5) under `/workspaces/{ws}/services/{svc}/`: `POST jobs` (submit),
//! `POST jobs/{id}/start`, `GET jobs/{id}` (status) and `DELETE jobs/{id}` (cancel), each after
//! the service's common checks (`guard.rs`: 404, 401, `api-version`) and the injected delay
//! (and, for status polls, 503 faults: `faults/`). Submit checks the body (at most 1 MB,
//! `validate.rs`) and files a NotStarted job in the bounded table (`jobs.rs`); start hands it to
//! the runner (`runner.rs`), which executes the experiment over blobs (`transform.rs`,
//! `write.rs`). A DELETE cancels a job that has not ended; an ended job stays as it is, results
//! included (the real service's behaviour is undocumented, §5.6). Knows nothing of the gateway or the blob store's
//! insides: it reaches storage, its own included, through the blob module.

mod jobs;
mod runner;
#[cfg(test)]
mod tests;
mod transform;
mod validate;
mod write;

pub use jobs::StatusStyle;
pub use runner::DEFAULT_CONTAINER;

use super::ServiceState;
use super::errors::{ServiceFailure, json_response};
use super::faults::{self, BesCall};
use super::guard::check_call;
use super::http::Connection;
use super::reqlog::Note;
use crate::blob::ConnectionString;
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jobs::{JobTable, StartRefused};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Semaphore;

/// The batch service's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BesConfig {
    /// How status bodies are written (`--bes-status-style`).
    pub status_style: StatusStyle,
    /// How long a started job stays Running before it does its work (`--job-delay`).
    pub job_delay: Duration,
    /// Jobs doing their work at once; more started jobs wait, Running.
    pub max_running: usize,
    /// Jobs the table keeps.
    pub max_jobs: usize,
}

impl Default for BesConfig {
    fn default() -> Self {
        BesConfig {
            status_style: StatusStyle::default(),
            job_delay: Duration::ZERO,
            max_running: 4,
            max_jobs: 10_000,
        }
    }
}

/// The batch service: its jobs, its runner slots, and the storage for default outputs.
#[derive(Debug)]
pub struct Bes {
    config: BesConfig,
    table: Mutex<JobTable>,
    slots: Semaphore,
    /// The emulator's own blob store, where outputs go when a job has no override.
    storage: ConnectionString,
}

impl Bes {
    pub fn new(config: BesConfig, storage: ConnectionString) -> Self {
        Bes {
            table: Mutex::new(JobTable::new(config.max_jobs)),
            slots: Semaphore::new(config.max_running.max(1)),
            storage,
            config,
        }
    }

    fn table(&self) -> MutexGuard<'_, JobTable> {
        // Nothing panics while holding the lock; if it did, the table is still consistent.
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Tells every running job to stop, without writing output (the emulator is stopping).
    pub fn stop_all(&self) {
        self.table().stop_all();
        self.slots.close();
    }
}

/// The BES routes of the service.
pub fn routes() -> Router<Arc<ServiceState>> {
    Router::new()
        .route("/workspaces/{ws}/services/{svc}/jobs", post(submit))
        .route(
            "/workspaces/{ws}/services/{svc}/jobs/{id}/start",
            post(start),
        )
        .route(
            "/workspaces/{ws}/services/{svc}/jobs/{id}",
            get(status).delete(delete),
        )
}

fn answer(result: Result<Response, ServiceFailure>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

fn json(value: &impl serde::Serialize) -> Response {
    json_response(
        StatusCode::OK,
        serde_json::to_vec(value).expect("a JSON value serializes"),
    )
}

/// The ids in a BES path (`id` for the calls on one job).
#[derive(Debug, serde::Deserialize)]
struct Ids {
    ws: String,
    svc: String,
    id: Option<String>,
}

/// What every BES call brings besides its body: path ids, query, headers, log note, connection.
struct Call {
    ids: Ids,
    query: Option<String>,
    headers: HeaderMap,
    note: Note,
    conn: Connection,
}

impl FromRequestParts<Arc<ServiceState>> for Call {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<ServiceState>,
    ) -> Result<Self, Response> {
        let Path(ids) = Path::<Ids>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let note = parts.extensions.get::<Note>().cloned().unwrap_or_default();
        if let Some(id) = &ids.id {
            note.job(id);
        }
        Ok(Call {
            ids,
            query: parts.uri.query().map(str::to_string),
            headers: parts.headers.clone(),
            note,
            conn: parts
                .extensions
                .get::<Connection>()
                .cloned()
                .unwrap_or_default(),
        })
    }
}

impl Call {
    fn id(&self) -> &str {
        self.ids.id.as_deref().unwrap_or_default()
    }

    /// The common checks, then the call's fault and delay: the body back when the call goes on,
    /// else the answer (a failed check, or the fault put in its place).
    async fn admit(
        &self,
        state: &ServiceState,
        kind: BesCall,
        body: Body,
    ) -> Result<Body, Response> {
        let Ids { ws, svc, .. } = &self.ids;
        check_call(
            &state.identity,
            ws,
            svc,
            &self.headers,
            self.query.as_deref(),
        )
        .map_err(IntoResponse::into_response)?;
        let d = state.faults.bes(kind);
        self.note.decision(&d);
        if let Some(fault) = d.fault {
            return Err(
                faults::answer(fault, d.delay, state, &self.conn, &self.headers, body).await,
            );
        }
        if !d.delay.is_zero() {
            tokio::time::sleep(d.delay).await;
        }
        Ok(body)
    }
}

/// `POST jobs`: 200 with the new job's id as a JSON string.
async fn submit(State(state): State<Arc<ServiceState>>, call: Call, body: Body) -> Response {
    let body = match call.admit(&state, BesCall::Submit, body).await {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    answer(
        async {
            let (l, hint) = (
                &state.limits,
                "A job names its input blobs; it does not carry them.",
            );
            let bytes = super::body::read(body, &call.headers, l, l.max_submit_body, hint).await?;
            let spec = validate::submission(&bytes, state.experiment)?;
            let id = super::random_id().map_err(|e| ServiceFailure::internal(&format!("{e:#}")))?;
            state
                .bes
                .table()
                .submit(&id, spec)
                .map_err(|_| ServiceFailure::no_more_jobs(state.bes.config.max_jobs))?;
            call.note.job(&id);
            Ok(json(&id))
        }
        .await,
    )
}

/// `POST jobs/{id}/start`: 200 with no body; the body of the request is ignored.
async fn start(State(state): State<Arc<ServiceState>>, call: Call, body: Body) -> Response {
    if let Err(answer) = call.admit(&state, BesCall::Start, body).await {
        return answer;
    }
    let id = call.id();
    answer((|| {
        let started = state.bes.table().start(id).map_err(|e| match e {
            StartRefused::NotFound => ServiceFailure::job_not_found(id),
            StartRefused::InState(s) => ServiceFailure::cannot_start_job(s.name()),
        })?;
        runner::spawn(state.bes.clone(), id.to_ascii_lowercase(), started);
        Ok(StatusCode::OK.into_response())
    })())
}

/// `GET jobs/{id}`: the status body in the configured style.
async fn status(State(state): State<Arc<ServiceState>>, call: Call, body: Body) -> Response {
    if let Err(answer) = call.admit(&state, BesCall::Status, body).await {
        return answer;
    }
    let id = call.id();
    answer((|| {
        let status = state
            .bes
            .table()
            .status(id)
            .ok_or_else(|| ServiceFailure::job_not_found(id))?;
        Ok(json(&status.body(state.bes.config.status_style)))
    })())
}

/// `DELETE jobs/{id}`: 200 with no body; cancels the job unless it has ended.
async fn delete(State(state): State<Arc<ServiceState>>, call: Call, body: Body) -> Response {
    if let Err(answer) = call.admit(&state, BesCall::Delete, body).await {
        return answer;
    }
    let id = call.id();
    answer((|| {
        state
            .bes
            .table()
            .cancel(id)
            .ok_or_else(|| ServiceFailure::job_not_found(id))?;
        Ok(StatusCode::OK.into_response())
    })())
}
