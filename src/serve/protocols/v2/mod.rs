//! The Open Inference Protocol, "v2" (`adapters.md` §3), answered as MLServer answers it:
//! server metadata and health (`GET /v2`, `/v2/health/live|ready`), the model's metadata
//! and readiness (`GET /v2/models/feature-hashing[/versions/1][/ready]`) and inference
//! (`POST .../infer`). The model takes one input per column (`Col2`, `BYTES`, shape `[n]`)
//! with the request-level `"parameters": {"content_type": "pd"}`, or one `BYTES` tensor of
//! shape `[n]` or `[n, 1]`; without `pd`, several inputs are MLServer's 400 "np codec only
//! supports a single input tensor". Its one output, `hashing`, is `INT64 [n, 2^bits]`, flat
//! and row-major. Errors: 422 `{"detail": [...]}` for a malformed request (`request.rs`),
//! 400 `{"error"}` for what the codecs refuse, 404 for another model or version, 500 for an
//! exception inside the model (a null cell, no `Col2` column).

mod request;

use super::model::{self, Cell, Failure, Shape};
use super::{
    Call, MODEL_NAME, MODEL_VERSION, Model, ProtocolState, Scored, error_field, fastapi_detail,
    json,
};
use crate::serve::http::Connection;
use crate::serve::reqlog::Note;
use crate::serve::rrs::COLUMN;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use request::{InferRequest, Input};
use serde_json::{Value, json};
use std::sync::Arc;

/// The name of the model's only output.
pub const OUTPUT: &str = "hashing";

/// The message MLServer's default codec gives for several inputs without `pd`.
const NP_SINGLE_INPUT: &str = "np codec only supports a single input tensor";

pub fn routes() -> Router<Arc<ProtocolState>> {
    Router::new()
        .route("/v2", get(server_metadata))
        .route(
            "/v2/health/live",
            get(|| async { ok(json!({"live": true})) }),
        )
        .route(
            "/v2/health/ready",
            get(|| async { ok(json!({"ready": true})) }),
        )
        .route("/v2/models/{name}", get(metadata))
        .route(
            "/v2/models/{name}/versions/{version}",
            get(metadata_version),
        )
        .route("/v2/models/{name}/ready", get(ready))
        .route(
            "/v2/models/{name}/versions/{version}/ready",
            get(ready_version),
        )
        .route("/v2/models/{name}/infer", post(infer))
        .route(
            "/v2/models/{name}/versions/{version}/infer",
            post(infer_version),
        )
        .fallback(|| async { fastapi_detail(StatusCode::NOT_FOUND) })
        .method_not_allowed_fallback(|| async { fastapi_detail(StatusCode::METHOD_NOT_ALLOWED) })
}

fn ok(v: Value) -> Response {
    json(StatusCode::OK, v.to_string().into_bytes())
}

async fn server_metadata() -> Response {
    ok(json!({"name": "mlws", "version": env!("CARGO_PKG_VERSION"), "extensions": []}))
}

/// Unless `name` (and `version`, when given) are the model's, the 404 as MLServer words it.
fn find(name: &str, version: Option<&str>) -> Option<Response> {
    let message = match version {
        _ if name != MODEL_NAME => format!("Model {name} not found"),
        Some(v) if v != MODEL_VERSION => format!("Model {name} with version {v} not found"),
        _ => return None,
    };
    Some(error_field(StatusCode::NOT_FOUND, &message))
}

/// The model's metadata: `Col2` (`BYTES`, a string column of a `pd` request) in, `hashing`
/// (`INT64 [-1, 2^bits]`) out.
pub fn metadata_body(bits: u32) -> Value {
    json!({
        "name": MODEL_NAME,
        "versions": [MODEL_VERSION],
        "platform": "mlws-feature-hashing",
        "inputs": [{"name": COLUMN, "datatype": "BYTES", "shape": [-1],
            "parameters": {"content_type": "str"}}],
        "outputs": [{"name": OUTPUT, "datatype": "INT64", "shape": [-1, 1u64 << bits]}],
        "parameters": {"content_type": "pd"}
    })
}

async fn metadata(state: State<Arc<ProtocolState>>, Path(name): Path<String>) -> Response {
    metadata_of(&state, &name, None)
}

async fn metadata_version(
    state: State<Arc<ProtocolState>>,
    Path((name, version)): Path<(String, String)>,
) -> Response {
    metadata_of(&state, &name, Some(&version))
}

fn metadata_of(state: &ProtocolState, name: &str, version: Option<&str>) -> Response {
    find(name, version).unwrap_or_else(|| ok(metadata_body(state.experiment.bits)))
}

async fn ready(Path(name): Path<String>) -> Response {
    find(&name, None).unwrap_or_else(|| ok(json!({"name": MODEL_NAME, "ready": true})))
}

async fn ready_version(Path((name, version)): Path<(String, String)>) -> Response {
    find(&name, Some(&version)).unwrap_or_else(|| ok(json!({"name": MODEL_NAME, "ready": true})))
}

async fn infer(
    state: State<Arc<ProtocolState>>,
    Path(name): Path<String>,
    note: Note,
    conn: Connection,
    req: Request,
) -> Response {
    infer_of(state, name, None, note, conn, req).await
}

async fn infer_version(
    state: State<Arc<ProtocolState>>,
    Path((name, version)): Path<(String, String)>,
    note: Note,
    conn: Connection,
    req: Request,
) -> Response {
    infer_of(state, name, Some(version), note, conn, req).await
}

async fn infer_of(
    State(state): State<Arc<ProtocolState>>,
    name: String,
    version: Option<String>,
    note: Note,
    conn: Connection,
    req: Request,
) -> Response {
    if let Some(resp) = find(&name, version.as_deref()) {
        return resp;
    }
    let (parts, body) = req.into_parts();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let call = Call {
        note,
        conn,
        headers: parts.headers,
        body,
    };
    super::score(&state, call, move |body, m| {
        score(body, content_type.as_deref(), m)
    })
    .await
}

/// Scores one `infer` body sent with `content_type`.
pub fn score(body: &[u8], content_type: Option<&str>, m: Model) -> Scored {
    let unprocessable = |detail: Value| {
        let resp = json(
            StatusCode::UNPROCESSABLE_ENTITY,
            detail.to_string().into_bytes(),
        );
        (resp, None)
    };
    let v = match request::body_value(body, content_type) {
        Ok(v) => v,
        Err(detail) => return unprocessable(detail),
    };
    let req = match request::parse(&v) {
        Ok(r) => r,
        Err(detail) => return unprocessable(detail),
    };
    match answer(&req, m) {
        Ok((bytes, rows)) => (json(StatusCode::OK, bytes), Some(rows)),
        Err(Refusal::Codec(msg)) => (error_field(StatusCode::BAD_REQUEST, &msg), None),
        Err(Refusal::Failed(Failure::Model(line))) => {
            (error_field(StatusCode::INTERNAL_SERVER_ERROR, &line), None)
        }
        Err(Refusal::Failed(f)) => (
            error_field(StatusCode::PAYLOAD_TOO_LARGE, &f.message()),
            None,
        ),
    }
}

/// Why a well-formed request was not scored.
enum Refusal {
    /// What MLServer's codecs or output checks refuse (400).
    Codec(String),
    Failed(Failure),
}

impl From<Failure> for Refusal {
    fn from(f: Failure) -> Self {
        Refusal::Failed(f)
    }
}

/// The answer's bytes and the rows scored.
fn answer(req: &InferRequest<'_>, m: Model) -> Result<(Vec<u8>, usize), Refusal> {
    for input in &req.inputs {
        check_size(input)?;
    }
    let cells = if req.content_type == Some("pd") {
        columns(&req.inputs)?
    } else {
        let [input] = &req.inputs[..] else {
            return Err(Refusal::Codec(NP_SINGLE_INPUT.into()));
        };
        tensor(input)?
    };
    if let Some(names) = &req.outputs
        && let Some(bad) = names.iter().find(|n| **n != OUTPUT)
    {
        return Err(Refusal::Codec(format!(
            "Output `{bad}` is not an output of model {MODEL_NAME}; its only output is `{OUTPUT}`"
        )));
    }
    let mut data = Vec::new();
    let rows = model::write(&mut data, &cells, m.defaults, m.max_cells, Shape::Flat)?;
    let id = req
        .id
        .map_or_else(crate::serve::router::request_id, str::to_string);
    let head = json!({"model_name": MODEL_NAME, "model_version": MODEL_VERSION, "id": id,
        "parameters": {}});
    let mut out = head.to_string().into_bytes();
    out.pop();
    let shape = json!([rows, m.defaults.columns()]);
    out.extend_from_slice(
        format!(",\"outputs\":[{{\"name\":\"{OUTPUT}\",\"shape\":{shape},\"datatype\":\"INT64\",\"data\":[")
            .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(b"]}]}");
    Ok((out, rows))
}

/// The elements must fill the shape, as numpy's reshape requires.
fn check_size(input: &Input<'_>) -> Result<(), Refusal> {
    let size = input.shape.iter().try_fold(
        1i64,
        |acc, &d| if d < 0 { None } else { acc.checked_mul(d) },
    );
    if size != Some(input.data.len() as i64) {
        let dims: Vec<String> = input.shape.iter().map(i64::to_string).collect();
        let tuple = match &dims[..] {
            [one] => format!("({one},)"),
            _ => format!("({})", dims.join(", ")),
        };
        return Err(Refusal::Codec(format!(
            "cannot reshape array of size {} into shape {tuple}",
            input.data.len()
        )));
    }
    Ok(())
}

/// The rows an input holds: its first dimension; each row is one element, or a list.
fn column<'a>(input: &Input<'a>) -> Vec<Cell<'a>> {
    let width: i64 = input.shape.iter().skip(1).product();
    if input.shape.len() <= 1 || width == 1 {
        input.data.iter().map(|v| Cell::json(v)).collect()
    } else {
        let rows = input.shape.first().copied().unwrap_or(0).max(0) as usize;
        vec![Cell::Other("list"); rows]
    }
}

/// A `pd` request: one input per column, `Col2` among them, all as long.
fn columns<'a>(inputs: &[Input<'a>]) -> Result<Vec<Cell<'a>>, Refusal> {
    let rows: Vec<usize> = inputs.iter().map(|i| column(i).len()).collect();
    if rows.windows(2).any(|w| w[0] != w[1]) {
        return Err(
            Failure::Model("ValueError: All arrays must be of the same length".into()).into(),
        );
    }
    let col2 = inputs.iter().find(|i| i.name == COLUMN).ok_or_else(|| {
        Failure::Model(format!(
            "KeyError: \"None of [Index(['{COLUMN}'], dtype='object')] are in the [columns]\""
        ))
    })?;
    Ok(column(col2))
}

/// A single tensor: `Col2` by position, whatever its name; `[n]` or `[n, 1]`.
fn tensor<'a>(input: &Input<'a>) -> Result<Vec<Cell<'a>>, Refusal> {
    match input.shape[..] {
        [_] | [_, 1] => Ok(input.data.iter().map(|v| Cell::json(v)).collect()),
        [_, k] => Err(Failure::Model(format!(
            "ValueError: X has {k} features, but the model is expecting 1 features as input."
        ))
        .into()),
        _ => Err(Failure::Model(format!(
            "ValueError: Found array with dim {}. Estimator expected <= 2.",
            input.shape.len()
        ))
        .into()),
    }
}

#[cfg(test)]
mod tests;
