//! The emulator behind the scoring protocols of today's model servers (`spec/adapters.md`):
//! the same Feature Hashing experiment (`model.rs` over `experiment.rs`) served through
//! MLflow's routes and bodies (`mlflow/`, §1), azmlinfsrv's (`azureml/`, §2), the Open
//! Inference Protocol's (`v2/`, §3, as MLServer answers) or KServe v1's (`kserve_v1.rs`, §4),
//! each with its own error envelopes. This file holds what they share: the protocol names,
//! their state, the optional key check (the local servers have no auth, §0; with `--api-key`
//! a `Bearer` key is required) and the scoring route's pipeline, the same as classic RRS's:
//! the call's fault (`faults/`), a concurrency permit, the body under the size and time
//! limits (`body.rs`), the injected delay, scoring (on the blocking pool for large bodies),
//! and the rows scored in the request log. Knows nothing of the classic service.

mod azureml;
mod kserve_v1;
mod mlflow;
mod model;
mod v2;

use super::faults::{self, Faulted, Faults};
use super::http::Connection;
use super::reqlog::Note;
use super::{FeatureHashing, Limits};
use crate::secret::Secret;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The model's name in the routes that name one (v2, KServe v1).
pub const MODEL_NAME: &str = "feature-hashing";
/// The model's only version (v2).
pub const MODEL_VERSION: &str = "1";

/// Bodies up to this size are scored on the request's task; larger ones on the blocking pool.
const INLINE_BODY_BYTES: usize = 64 * 1024;

/// What the 413 of an oversized scoring body advises.
const BODY_HINT: &str = "Send fewer rows per request.";

/// The protocol the emulator speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    /// Azure ML Studio (classic): RRS, BES, swagger, API Management, blobs (`protocol.md`).
    #[default]
    Classic,
    Mlflow,
    Azureml,
    V2,
    KserveV1,
}

impl Protocol {
    /// The name `--protocol` takes.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Classic => "classic",
            Protocol::Mlflow => "mlflow",
            Protocol::Azureml => "azureml",
            Protocol::V2 => "v2",
            Protocol::KserveV1 => "kserve-v1",
        }
    }

    /// The path a client scores at (what `mlws score --url` takes after the origin); none for
    /// classic, whose URL names the workspace and service.
    pub fn scoring_path(self) -> Option<String> {
        match self {
            Protocol::Classic => None,
            Protocol::Mlflow => Some("/invocations".into()),
            Protocol::Azureml => Some("/score".into()),
            Protocol::V2 => Some(format!("/v2/models/{MODEL_NAME}")),
            Protocol::KserveV1 => Some(format!("/v1/models/{MODEL_NAME}:predict")),
        }
    }

    /// The routes a person may call (what, `METHOD path`), for the start-up summary.
    pub fn routes(self) -> Vec<(&'static str, String)> {
        let m = MODEL_NAME;
        match self {
            Protocol::Classic => Vec::new(),
            Protocol::Mlflow => vec![
                ("health", "GET  /ping, /health, /version".into()),
                (
                    "score",
                    "POST /invocations (application/json or text/csv)".into(),
                ),
            ],
            Protocol::Azureml => vec![
                ("health", "GET  /".into()),
                (
                    "score",
                    "POST /score (also GET with the arguments in the query)".into(),
                ),
                ("swagger", "GET  /swagger.json?version=2|3|3.1".into()),
            ],
            Protocol::V2 => vec![
                (
                    "health",
                    "GET  /v2, /v2/health/live, /v2/health/ready".into(),
                ),
                (
                    "metadata",
                    format!("GET  /v2/models/{m}[/versions/1][/ready]"),
                ),
                ("score", format!("POST /v2/models/{m}[/versions/1]/infer")),
            ],
            Protocol::KserveV1 => vec![
                ("models", format!("GET  /v1/models, /v1/models/{m}")),
                ("score", format!("POST /v1/models/{m}:predict")),
            ],
        }
    }

    /// An error answer in this protocol's envelope.
    fn error(self, status: StatusCode, message: &str) -> Response {
        match self {
            Protocol::Mlflow => mlflow::error(status, message),
            Protocol::Azureml => azureml::error(status, message),
            Protocol::V2 | Protocol::KserveV1 | Protocol::Classic => error_field(status, message),
        }
    }

    /// The 503 of a scoring call over `--max-concurrency`, or an injected one.
    fn unavailable(self, max: usize) -> Response {
        let mut resp = self.error(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!(
                "The endpoint is busy: at most {max} scoring requests are served at once. Retry later."
            ),
        );
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        resp
    }
}

/// What the protocol handlers share.
#[derive(Debug)]
pub struct ProtocolState {
    pub protocol: Protocol,
    /// "Hashing bitsize" and "N-grams" (MLflow and Azure ML requests may override them).
    pub experiment: FeatureHashing,
    pub max_concurrency: usize,
    pub throttle: Arc<Semaphore>,
    pub limits: Limits,
    pub faults: Faults,
    /// The key every call must bring as `Authorization: Bearer`, when one was given.
    pub api_key: Option<Secret>,
}

/// The whole application of `state.protocol` (not classic).
pub fn router(state: Arc<ProtocolState>) -> Router {
    let routes = match state.protocol {
        Protocol::Mlflow => mlflow::routes(),
        Protocol::Azureml => azureml::routes(),
        Protocol::V2 => v2::routes(),
        Protocol::KserveV1 => kserve_v1::routes(),
        Protocol::Classic => unreachable!("the classic service has its own router"),
    };
    let app = routes.layer(from_fn_with_state(state.clone(), require_key));
    // azmlinfsrv's request ids go on every answer, refusals included.
    let app = match state.protocol {
        Protocol::Azureml => app.layer(from_fn(azureml::request_ids)),
        _ => app,
    };
    app.with_state(state)
}

/// 401 in the protocol's envelope unless the call brings the key (when there is one).
async fn require_key(
    State(state): State<Arc<ProtocolState>>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(key) = &state.api_key
        && !super::guard::bearer_matches(key, req.headers())
    {
        let mut resp = state.protocol.error(
            StatusCode::UNAUTHORIZED,
            "Authentication failed: send the endpoint's key as `Authorization: Bearer <key>`.",
        );
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return resp;
    }
    next.run(req).await
}

/// `{"error": message}` as KServe and MLServer answer.
pub fn error_field(status: StatusCode, message: &str) -> Response {
    json(
        status,
        serde_json::json!({ "error": message })
            .to_string()
            .into_bytes(),
    )
}

/// `{"detail": "Not Found"}` or `"Method Not Allowed"`: FastAPI's answers (MLflow, MLServer
/// and KServe all run on FastAPI) to a path or method that is no route.
pub fn fastapi_detail(status: StatusCode) -> Response {
    let detail = status.canonical_reason().unwrap_or("Error");
    json(
        status,
        serde_json::json!({ "detail": detail })
            .to_string()
            .into_bytes(),
    )
}

/// A response with a JSON body and `Content-Type: application/json`.
pub fn json(status: StatusCode, body: Vec<u8>) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

/// The experiment's settings and the emulator's output limit, as the scorers get them.
#[derive(Debug, Clone, Copy)]
pub struct Model {
    pub defaults: FeatureHashing,
    pub max_cells: usize,
}

/// A scorer's answer, and the rows it scored (none when it refused the batch).
pub type Scored = (Response, Option<usize>);

/// What the scoring handlers pass on of their request.
pub struct Call {
    pub note: Note,
    pub conn: Connection,
    pub headers: HeaderMap,
    pub body: Body,
}

/// The scoring route's pipeline around `scorer`, which gets the whole body.
pub async fn score<F>(state: &ProtocolState, call: Call, scorer: F) -> Response
where
    F: FnOnce(&[u8], Model) -> Scored + Send + 'static,
{
    let Call {
        note,
        conn,
        headers,
        body,
    } = call;
    let protocol = state.protocol;
    // Decided for every call that reached the route, so that a seed repeats its faults.
    let decision = state.faults.rrs();
    note.decision(&decision);
    if let Some(fault) = decision.fault {
        let faulted = Faulted {
            fault,
            delay: decision.delay,
            limits: &state.limits,
            retry_after: state.faults.config().retry_after,
        };
        let max = state.max_concurrency;
        return faults::carry_out(faulted, &conn, &headers, body, || protocol.unavailable(max))
            .await;
    }
    // Held until the answer is built: "in flight" covers reading, waiting, scoring, writing.
    let Ok(_permit) = state.throttle.clone().try_acquire_owned() else {
        return protocol.unavailable(state.max_concurrency);
    };
    let limits = &state.limits;
    let bytes: Bytes =
        match super::body::read(body, &headers, limits, limits.max_body, BODY_HINT).await {
            Ok(b) => b,
            Err(f) => return protocol.error(f.status, &f.message),
        };
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    let model = Model {
        defaults: state.experiment,
        max_cells: limits.max_cells,
    };
    let (resp, rows) = if bytes.len() <= INLINE_BODY_BYTES {
        scorer(&bytes, model)
    } else {
        match tokio::task::spawn_blocking(move || scorer(&bytes, model)).await {
            Ok(scored) => scored,
            Err(e) => {
                let why = format!("scoring stopped: {e}");
                (
                    protocol.error(StatusCode::INTERNAL_SERVER_ERROR, &why),
                    None,
                )
            }
        }
    };
    if let Some(n) = rows {
        note.rows(n);
    }
    resp
}

#[cfg(test)]
mod tests;
