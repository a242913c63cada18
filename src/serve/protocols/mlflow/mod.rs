//! MLflow's scoring server (`adapters.md` §1, as `mlflow models serve` 3.x answers): `GET
//! /ping` and `/health`, `GET /version`, `POST /invocations`. The served model has a signature
//! (`Col2`: string, required) and two parameters (`Hashing bitsize`, `N-grams`: long), so
//! requests are checked as MLflow checks them: the content type (415, text/plain), JSON with
//! exactly one format key (400 `BAD_REQUEST`), the schema (400 `INVALID_PARAMETER_VALUE` with
//! `error_class` `SCHEMA_ENFORCEMENT_FAILED`, the frame printed first and the cause last), the
//! parameters' types; an exception inside the model is 400 `BAD_REQUEST` with the traceback
//! in `stack_trace`. The answer is `{"predictions": [row objects]}`, a DataFrame.

mod frame;

pub use frame::{Frame, split as split_frame};

use super::model::{self, Failure, ParamFailure, Shape};
use super::{Call, Model, ProtocolState, Scored, fastapi_detail, json};
use crate::serve::http::Connection;
use crate::serve::reqlog::Note;
use crate::serve::rrs::COLUMN;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::sync::Arc;

/// The MLflow version `GET /version` reports: the one `adapters.md` observed.
const MLFLOW_VERSION: &str = "3.17.2";

/// The signature's input schema as MLflow prints it.
const SCHEMA: &str = "['Col2': string (required)]";

/// The request formats, as MLflow prints the set in its messages.
const FORMATS: &str = "{'dataframe_split', 'inputs', 'dataframe_records', 'instances'}";

const PROTOCOL_CHANGE: &str = "IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this error, you are likely using an outdated scoring request format. To resolve the error, either update your request format or adjust your MLflow Model's requirements file to specify an older version of MLflow (for example, change the 'mlflow' requirement specifier to 'mlflow==1.30.0'). If you are making a request using the MLflow client (e.g. via `mlflow.pyfunc.spark_udf()`), upgrade your MLflow client to a version >= 2.0 in order to use the new request format. For more information about the updated MLflow Model scoring protocol in MLflow 2.0, see https://mlflow.org/docs/latest/models.html#deploy-mlflow-models.";

/// A body echoed in an error message is cut to this many characters.
const ECHO_CHARS: usize = 1000;

pub fn routes() -> Router<Arc<ProtocolState>> {
    Router::new()
        .route("/ping", get(ping))
        .route("/health", get(ping))
        .route("/version", get(version))
        .route("/invocations", post(invocations))
        .fallback(|| async { fastapi_detail(StatusCode::NOT_FOUND) })
        .method_not_allowed_fallback(|| async { fastapi_detail(StatusCode::METHOD_NOT_ALLOWED) })
}

/// `"\n"` with a JSON content type, as MLflow answers its health checks.
async fn ping() -> Response {
    json(StatusCode::OK, b"\n".to_vec())
}

async fn version() -> Response {
    json(StatusCode::OK, MLFLOW_VERSION.as_bytes().to_vec())
}

async fn invocations(
    State(state): State<Arc<ProtocolState>>,
    note: Note,
    conn: Connection,
    req: Request,
) -> Response {
    let (parts, body): (_, Body) = req.into_parts();
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
    super::score(&state, call, move |body, m| {
        score(body, content_type.as_deref(), m)
    })
    .await
}

/// The request's body kinds.
enum Kind {
    Json,
    Csv,
}

/// Scores one `/invocations` body sent with `content_type`.
pub fn score(body: &[u8], content_type: Option<&str>, m: Model) -> Scored {
    let kind = match kind(content_type) {
        Ok(k) => k,
        Err(text) => return (plain_415(&text), None),
    };
    match kind {
        Kind::Csv => match frame::csv(body) {
            Ok(f) => answer(&f, &Value::Null, m),
            Err(e) => (csv_error(&e), None),
        },
        Kind::Json => {
            let (key, data, params) = match parse_json(body) {
                Ok(parsed) => parsed,
                Err(message) => return (bad_request(&message), None),
            };
            let framed = match key {
                "dataframe_split" => frame::split(&data),
                "dataframe_records" => frame::records(&data),
                _ => frame::tf_serving(&data),
            };
            match framed {
                Ok(f) => answer(&f, &params, m),
                Err(e) => (bad_request(&e), None),
            }
        }
    }
}

/// Checks the content type as MLflow does: `text/csv` or `application/json`, charset UTF-8,
/// no other parameters; otherwise the text of the 415.
fn kind(content_type: Option<&str>) -> Result<Kind, String> {
    let given = content_type.unwrap_or("");
    let mut parts = given.split(';').map(str::trim);
    let mime = parts.next().unwrap_or("");
    let mut unexpected = Vec::new();
    for p in parts {
        let (key, value) = p.split_once('=').unwrap_or((p, ""));
        if key == "charset" {
            if !value.trim_matches('"').eq_ignore_ascii_case("utf-8") {
                return Err("The scoring server only supports UTF-8".into());
            }
        } else {
            unexpected.push(key.to_string());
        }
    }
    if !unexpected.is_empty() {
        return Err(format!(
            "Unrecognized content type parameters: {}. {PROTOCOL_CHANGE}",
            unexpected.join(", ")
        ));
    }
    match mime {
        "application/json" => Ok(Kind::Json),
        "text/csv" => Ok(Kind::Csv),
        _ => {
            let got = content_type.unwrap_or("None");
            Err(format!(
                "This predictor only supports the following content types: Types: ['text/csv', 'application/json']. Got '{got}'."
            ))
        }
    }
}

fn plain_415(text: &str) -> Response {
    let mut resp = (StatusCode::UNSUPPORTED_MEDIA_TYPE, text.to_string()).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    resp
}

/// The format key, its data and `params` of a JSON body with exactly one format key, or the
/// message of the 400 `BAD_REQUEST`.
fn parse_json(body: &[u8]) -> Result<(&'static str, Value, Value), String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        let echo: String = String::from_utf8_lossy(body).chars().take(ECHO_CHARS).collect();
        format!(
            "Invalid input. Ensure that input is a valid JSON formatted string. Error: 'JSONDecodeError({:?})'\nInput: \n{echo}\n",
            e.to_string()
        )
    })?;
    let Value::Object(mut m) = v else {
        let got = match &v {
            Value::Array(_) => "Received a list.".to_string(),
            other => format!(
                "Received unexpected input type '<class '{}'>.",
                model::py_type(other)
            ),
        };
        return Err(format!(
            "Invalid input. The input must be a JSON dictionary with exactly one of the input fields {FORMATS}. {got}"
        ));
    };
    let keys: Vec<&'static str> = [
        "dataframe_split",
        "dataframe_records",
        "instances",
        "inputs",
    ]
    .into_iter()
    .filter(|k| m.contains_key(*k))
    .collect();
    let [key] = keys[..] else {
        let listed: Vec<String> = keys.iter().map(|k| model::py_repr(k)).collect();
        return Err(format!(
            "The input must be a JSON dictionary with exactly one of the input fields {FORMATS}. Received dictionary with input fields: [{}]. {PROTOCOL_CHANGE}",
            listed.join(", ")
        ));
    };
    let params = m.remove("params").unwrap_or(Value::Null);
    let data = m.remove(key).expect("the key was found above");
    Ok((key, data, params))
}

/// The answer to a frame: the schema, the parameters, then the model.
fn answer(frame: &Frame<'_>, params: &Value, m: Model) -> Scored {
    let Some(cells) = frame.column(COLUMN) else {
        return (schema_failure(frame), None);
    };
    let settings = match model::with_params(m.defaults, params) {
        Ok(s) => s,
        Err(ParamFailure::Type(msg)) => return (invalid_parameter(&msg), None),
        Err(ParamFailure::Range(line)) => return (predict_failure(&line), None),
    };
    let mut out = b"{\"predictions\":".to_vec();
    match model::write(&mut out, cells, settings, m.max_cells, Shape::Records) {
        Ok(rows) => {
            out.push(b'}');
            (json(StatusCode::OK, out), Some(rows))
        }
        Err(Failure::Model(line)) => (predict_failure(&line), None),
        Err(f @ Failure::TooLarge { .. }) => {
            (error(StatusCode::PAYLOAD_TOO_LARGE, &f.message()), None)
        }
    }
}

/// 400 `INVALID_PARAMETER_VALUE` / `SCHEMA_ENFORCEMENT_FAILED`: no `Col2`. The message ends
/// with the cause, after two printouts of the frame, as MLflow writes it.
fn schema_failure(frame: &Frame<'_>) -> Response {
    let data = frame.repr();
    let extra: Vec<String> = frame.labels.iter().map(|l| l.repr()).collect();
    let mut cause = format!("Model is missing inputs ['{COLUMN}'].");
    if !extra.is_empty() {
        cause.push_str(&format!(
            " Note that there were extra inputs: [{}]",
            extra.join(", ")
        ));
    }
    envelope(
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
        &format!(
            "Failed to predict data '{data}'. \nError: Failed to enforce schema of data '{data}' with schema '{SCHEMA}'. Error: {cause}"
        ),
        Some(("KAM01", "SCHEMA_ENFORCEMENT_FAILED")),
        None,
    )
}

/// 400 `BAD_REQUEST` for an exception inside the model: MLflow's generic message, the cause
/// as the last line of `stack_trace`.
fn predict_failure(line: &str) -> Response {
    let trace = format!(
        "Traceback (most recent call last):\n  File \"mlws-emulator/feature_hashing.py\", line 1, in predict\n{line}\n"
    );
    envelope(
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        "Encountered an unexpected error while evaluating the model. Verify that the serialized input Dataframe is compatible with the model for inference.",
        Some(("KAM00", "INVALID_PARAMETER_VALUE")),
        Some(&trace),
    )
}

fn csv_error(e: &str) -> Response {
    bad_request(&format!(
        "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method. Error: '{e}'"
    ))
}

fn bad_request(message: &str) -> Response {
    let class = Some(("KAM00", "INVALID_PARAMETER_VALUE"));
    envelope(StatusCode::BAD_REQUEST, "BAD_REQUEST", message, class, None)
}

fn invalid_parameter(message: &str) -> Response {
    let class = Some(("KAM00", "INVALID_PARAMETER_VALUE"));
    let code = "INVALID_PARAMETER_VALUE";
    envelope(StatusCode::BAD_REQUEST, code, message, class, None)
}

/// An error in MLflow's envelope for the emulator's own refusals (key, limits, busy), with the
/// error code Databricks uses for the status.
pub fn error(status: StatusCode, message: &str) -> Response {
    let code = match status.as_u16() {
        400 => "BAD_REQUEST",
        401 => "UNAUTHENTICATED",
        404 => "RESOURCE_DOES_NOT_EXIST",
        408 => "DEADLINE_EXCEEDED",
        413 | 429 => "REQUEST_LIMIT_EXCEEDED",
        503 => "TEMPORARILY_UNAVAILABLE",
        _ => "INTERNAL_ERROR",
    };
    envelope(status, code, message, None, None)
}

/// `{"error_code", "message", "sqlstate"?, "error_class"?, "stack_trace"?}`.
fn envelope(
    status: StatusCode,
    code: &str,
    message: &str,
    class: Option<(&str, &str)>,
    stack_trace: Option<&str>,
) -> Response {
    let mut v = json!({"error_code": code, "message": message});
    if let Some((sqlstate, error_class)) = class {
        v["sqlstate"] = sqlstate.into();
        v["error_class"] = error_class.into();
    }
    if let Some(t) = stack_trace {
        v["stack_trace"] = t.into();
    }
    json(status, v.to_string().into_bytes())
}

#[cfg(test)]
mod tests;
