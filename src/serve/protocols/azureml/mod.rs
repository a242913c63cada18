//! azmlinfsrv, the Azure ML inference server (`adapters.md` §2), running a scoring script
//! decorated with inference-schema as Azure ML's no-code MLflow deployment does: `GET /` →
//! `Healthy`; `GET|POST /score`; `GET /swagger.json` (`swagger.rs`). The script's `run()`
//! takes `input_data` (a DataFrame in the split orientation, with `index`) and optional
//! `params`; the docs' `{"data": [[...]]}` form (rows of cells, `Col2` the only column) is
//! taken too. The server's checks come first: JSON only (415), a JSON object (400), the
//! argument present (400); then anything that goes wrong inside `run()` — a missing column, a
//! null, a wrong shape, a bad parameter — is a 500 with `x-ms-run-function-failed: True` and
//! the server's generic message. Answers are bare lists of row objects; every answer carries
//! `x-request-id` and `x-ms-request-id` and echoes `x-ms-client-request-id`.

mod swagger;

use super::mlflow::split_frame;
use super::model::{self, Cell, Failure, Shape};
use super::{Call, Model, ProtocolState, Scored, json};
use crate::serve::http::Connection;
use crate::serve::reqlog::Note;
use crate::serve::rrs::COLUMN;
use axum::Router;
use axum::extract::{Query, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

/// The longest request id azmlinfsrv accepts (then 431).
const HEADER_LIMIT: usize = 100;

const RUN_FAILED: &str =
    "An unexpected error occurred in scoring script. Check the logs for more info.";

pub fn routes() -> Router<Arc<ProtocolState>> {
    Router::new()
        .route("/", get(healthy))
        .route("/score", any(score_route))
        .route("/swagger.json", get(swagger_json))
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
            )
        })
        .method_not_allowed_fallback(|| async {
            error(
                StatusCode::METHOD_NOT_ALLOWED,
                "The method is not allowed for the requested URL.",
            )
        })
}

/// `Healthy`, as Flask sends a returned string.
async fn healthy() -> Response {
    let mut resp = "Healthy".into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}

async fn swagger_json(
    State(state): State<Arc<ProtocolState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let version = query.get("version").map_or("2", String::as_str);
    match swagger::document(version, state.experiment) {
        Ok(doc) => json(StatusCode::OK, doc.to_string().into_bytes()),
        Err(message) => error(StatusCode::NOT_FOUND, &message),
    }
}

async fn score_route(
    State(state): State<Arc<ProtocolState>>,
    RawQuery(query): RawQuery,
    note: Note,
    conn: Connection,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let method = parts.method.clone();
    if method == Method::OPTIONS {
        return StatusCode::OK.into_response();
    }
    if method != Method::GET && method != Method::POST {
        return error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed");
    }
    let headers: HeaderMap = parts.headers;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let call = Call {
        note,
        conn,
        headers,
        body,
    };
    let get = method == Method::GET;
    super::score(&state, call, move |body, m| {
        let started = Instant::now();
        let args = if get {
            Ok(query_arguments(query.as_deref().unwrap_or("")))
        } else {
            post_arguments(body, content_type.as_deref())
        };
        let (mut resp, rows) = match args {
            Ok(args) => run(&args, m),
            Err((status, message)) => (error(status, &message), None),
        };
        if rows.is_some() {
            let ms = format!("{:.3}", started.elapsed().as_secs_f64() * 1000.0);
            let v = HeaderValue::from_str(&ms).expect("digits are a valid header value");
            resp.headers_mut().insert("x-ms-run-fn-exec-ms", v);
        }
        (resp, rows)
    })
    .await
}

/// The JSON object of a POST body, or the server's 415 or 400 and its message.
fn post_arguments(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Map<String, Value>, (StatusCode, String)> {
    let mime = content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let is_json =
        mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"));
    let bad = |m: &str| Err((StatusCode::BAD_REQUEST, m.to_string()));
    if !is_json {
        let msg = "Expects Content-Type to be application/json";
        return Err((StatusCode::UNSUPPORTED_MEDIA_TYPE, msg.into()));
    }
    if body.is_empty() {
        return bad("POST body is empty. Expecting a JSON dictionary.");
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => bad("POST body should be a JSON dictionary."),
        Err(e) => bad(&format!("POST body could not be decoded as JSON: {e}")),
    }
}

/// A GET's arguments: each query value read as JSON when it is JSON, else as text.
fn query_arguments(query: &str) -> Map<String, Value> {
    let mut args = Map::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        let value = serde_json::from_str(&v).unwrap_or_else(|_| Value::String(v.to_string()));
        args.insert(k.into_owned(), value);
    }
    args
}

/// The script's `run()`: `input_data` (else the docs' `data`) and `params`.
pub fn run(args: &Map<String, Value>, m: Model) -> Scored {
    let scored = if let Some(input) = args.get("input_data") {
        split_frame(input)
            .map_err(|e| Failure::Model(format!("ValueError: {e}")))
            .and_then(|frame| {
                let cells = frame.column(COLUMN).ok_or_else(|| {
                    Failure::Model(format!(
                        "KeyError: \"Model is missing inputs ['{COLUMN}'].\""
                    ))
                })?;
                score(cells, args, m)
            })
    } else if let Some(data) = args.get("data") {
        match data {
            Value::Array(rows) => model::rows_column(rows).and_then(|cells| score(&cells, args, m)),
            other => Err(Failure::Model(format!(
                "TypeError: 'data' must be a list of rows, not '{}'",
                model::py_type(other)
            ))),
        }
    } else {
        let msg = "A value is not provided for the 'input_data' parameter.";
        return (error(StatusCode::BAD_REQUEST, msg), None);
    };
    match scored {
        Ok((body, rows)) => (json(StatusCode::OK, body), Some(rows)),
        Err(Failure::Model(_)) => {
            let mut resp = error(StatusCode::INTERNAL_SERVER_ERROR, RUN_FAILED);
            resp.headers_mut()
                .insert("x-ms-run-function-failed", HeaderValue::from_static("True"));
            (resp, None)
        }
        Err(f @ Failure::TooLarge { .. }) => {
            (error(StatusCode::PAYLOAD_TOO_LARGE, &f.message()), None)
        }
    }
}

/// The answer's bytes (a bare list of row objects) and the rows scored.
fn score(
    cells: &[Cell<'_>],
    args: &Map<String, Value>,
    m: Model,
) -> Result<(Vec<u8>, usize), Failure> {
    let params = args.get("params").unwrap_or(&Value::Null);
    let settings = model::with_params(m.defaults, params).map_err(|e| match e {
        model::ParamFailure::Type(msg) => Failure::Model(format!("TypeError: {msg}")),
        model::ParamFailure::Range(line) => Failure::Model(line),
    })?;
    let mut out = Vec::new();
    let rows = model::write(&mut out, cells, settings, m.max_cells, Shape::Records)?;
    Ok((out, rows))
}

/// `{"message": ...}`, azmlinfsrv's error envelope.
pub fn error(status: StatusCode, message: &str) -> Response {
    json(
        status,
        json!({ "message": message }).to_string().into_bytes(),
    )
}

/// The request ids of every answer, as azmlinfsrv sets them: `x-request-id` (the caller's or
/// a new GUID), `x-ms-request-id` (the caller's `x-ms-request-id`, else its client request
/// id, else the request id) and `x-ms-client-request-id` when the caller sent one.
pub async fn request_ids(req: Request, next: Next) -> Response {
    let h = req.headers();
    let text = |name: &str| {
        h.get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default()
    };
    let request_id = match text("x-request-id") {
        id if id.is_empty() => crate::serve::router::request_id(),
        id => id,
    };
    let mut client = text("x-ms-client-request-id");
    let mut legacy = text("x-ms-request-id");
    if legacy.is_empty() {
        legacy = if client.is_empty() {
            request_id.clone()
        } else {
            client.clone()
        };
    } else if client.is_empty() {
        client = legacy.clone();
    }
    let mut resp = if request_id.len() > HEADER_LIMIT {
        let msg = format!("x-request-id must not exceed {HEADER_LIMIT} characters");
        error(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, &msg)
    } else if legacy.len() > HEADER_LIMIT || client.len() > HEADER_LIMIT {
        let msg = format!(
            "x-ms-request-id and x-ms-client-request-id must not exceed {HEADER_LIMIT} characters"
        );
        error(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, &msg)
    } else {
        next.run(req).await
    };
    let headers = resp.headers_mut();
    for (name, value) in [
        ("x-request-id", &request_id),
        ("x-ms-request-id", &legacy),
        ("x-ms-client-request-id", &client),
    ] {
        if !value.is_empty()
            && value.len() <= HEADER_LIMIT
            && let Ok(v) = HeaderValue::from_str(value)
        {
            headers.insert(name, v);
        }
    }
    resp
}

#[cfg(test)]
mod tests;
