//! RRS: `POST /workspaces/{ws}/services/{svc}/execute` (`protocol.md` §3). After the common
//! checks (`guard.rs`) the call's fault is decided (`faults/`: a faulted call is answered
//! without being scored); then it takes a concurrency permit (503 `RequestThrottled` when none
//! is left), reads the body under the 4 MB limit, waits the injected delay, and scores: parse
//! `input1`, apply `GlobalParameters`, hash `Col2`, write the response bytes. Large batches are
//! scored on the blocking pool.

mod cells;
mod parse;
mod write;

use super::ServiceState;
use super::errors::{ServiceFailure, json_response};
use super::experiment::{FeatureHashing, ParamError};
use super::faults;
use super::guard::{CallOptions, check_call};
use super::http::Connection;
use super::reqlog::Note;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use std::sync::Arc;
use std::time::Duration;

pub use parse::{COLUMN, INPUT_NAME};
/// The RRS response body for some texts, to compare other outputs with.
#[cfg(test)]
pub use write::response as response_for;
pub use write::{FEATURE_SUFFIX, OUTPUT_NAME, push_feature_name, push_u32};

/// Bodies up to this size are scored on the request's task; larger ones on the blocking pool.
const INLINE_BODY_BYTES: usize = 64 * 1024;

/// The RRS routes of the service.
pub fn routes() -> Router<Arc<ServiceState>> {
    Router::new().route("/workspaces/{ws}/services/{svc}/execute", post(execute))
}

async fn execute(
    State(state): State<Arc<ServiceState>>,
    Path((ws, svc)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    note: Note,
    conn: Connection,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let opts = match check_call(&state.identity, &ws, &svc, &headers, query.as_deref()) {
        Ok(opts) => opts,
        Err(failure) => return failure.into_response(),
    };
    // Decided for every call that passed the checks, so that a seed repeats its faults.
    let decision = state.faults.rrs();
    note.decision(&decision);
    if let Some(fault) = decision.fault {
        return faults::answer(fault, decision.delay, &state, &conn, &headers, body).await;
    }
    match run(&state, opts, decision.delay, &headers, body).await {
        Ok((bytes, span)) => {
            note.rows(span.rows);
            note.row_span(&span.first, &span.last);
            json_response(StatusCode::OK, bytes)
        }
        Err(failure) => failure.into_response(),
    }
}

/// The rows of a scored request, for the request log: how many, and a hash of the first and
/// last row's text (so that a test can tell which rows were scored, and how often).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub rows: usize,
    pub first: String,
    pub last: String,
}

impl Span {
    fn of<T: AsRef<str>>(texts: &[T]) -> Self {
        let hash = |t: Option<&T>| {
            t.map(|t| super::reqlog::short_hash(t.as_ref().as_bytes()))
                .unwrap_or_default()
        };
        Span {
            rows: texts.len(),
            first: hash(texts.first()),
            last: hash(texts.last()),
        }
    }
}

/// Takes a slot, reads the body, waits `delay`, scores: the response bytes and the rows scored.
async fn run(
    state: &ServiceState,
    opts: CallOptions,
    delay: Duration,
    headers: &HeaderMap,
    body: Body,
) -> Result<(Vec<u8>, Span), ServiceFailure> {
    // Held until the response is built: "in flight" covers reading, waiting, scoring, writing.
    let _permit =
        state.throttle.clone().try_acquire_owned().map_err(|_| {
            ServiceFailure::throttled(&state.identity.service, state.max_concurrency)
        })?;
    let limits = &state.limits;
    let hint = "Send fewer rows per request.";
    let bytes = super::body::read(body, headers, limits, limits.max_body, hint).await?;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let (defaults, max_cells) = (state.experiment, state.limits.max_cells);
    if bytes.len() <= INLINE_BODY_BYTES {
        return score(&bytes, opts, defaults, max_cells);
    }
    tokio::task::spawn_blocking(move || score(&bytes, opts, defaults, max_cells))
        .await
        .map_err(|e| ServiceFailure::internal(&format!("scoring stopped: {e}")))?
}

/// Scores one request body: the response bytes and the rows scored, or the service's error.
pub fn score(
    body: &[u8],
    opts: CallOptions,
    defaults: FeatureHashing,
    max_cells: usize,
) -> Result<(Vec<u8>, Span), ServiceFailure> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ServiceFailure::body_invalid("The request body is empty."));
    }
    let req = parse::parse(body, opts.swagger)
        .map_err(|e| ServiceFailure::body_invalid(&capitalized(&e.to_string())))?;
    if !req.other_inputs.is_empty() {
        return Err(ServiceFailure::invalid_input_names(&req.other_inputs));
    }
    let texts = req
        .input
        .ok_or_else(ServiceFailure::missing_input)?
        .map_err(|e| ServiceFailure::input_parse(&e))?;
    let settings = match &req.parameters {
        Some(p) => defaults.with_parameters(p).map_err(|e| match e {
            ParamError::Unexpected(name) => ServiceFailure::unexpected_parameter(&name),
            ParamError::Invalid(msg) => ServiceFailure::parameter_invalid(msg),
        })?,
        None => defaults,
    };
    // Guard memory before allocating: every row has 2^bits cells, and `details` adds the
    // names and types of all columns.
    let columns = settings.columns();
    let header_rows = if opts.details && !opts.swagger { 2 } else { 0 };
    let cells = (texts.len() + header_rows).saturating_mul(columns);
    if cells > max_cells {
        return Err(ServiceFailure::output_too_large(
            texts.len(),
            columns + 1,
            max_cells,
        ));
    }
    Ok((write::response(&texts, settings, opts), Span::of(&texts)))
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const FH: FeatureHashing = FeatureHashing { bits: 3, ngrams: 2 };
    const MAX: usize = 50_000_000;

    fn ok(body: &str, details: bool, swagger: bool) -> Value {
        let (b, span) = score(body.as_bytes(), CallOptions { details, swagger }, FH, MAX).unwrap();
        assert_eq!(span.rows, 1);
        assert_eq!(span.first, span.last);
        serde_json::from_slice(&b).unwrap()
    }

    fn fail(body: &str) -> ServiceFailure {
        score(body.as_bytes(), CallOptions::default(), FH, MAX).unwrap_err()
    }

    const TUTORIAL: &str = r#"{"Inputs":{"input1":{"ColumnNames":["Col2"],"Values":[["This is a good day"]]}},"GlobalParameters":{}}"#;

    #[test]
    fn the_documented_row_scores_as_in_the_tutorial() {
        let v = ok(TUTORIAL, true, false);
        let value = &v["Results"]["output1"]["value"];
        assert_eq!(value["ColumnNames"][8], "Col2_HashingFeature.7");
        assert_eq!(
            value["Values"][0],
            serde_json::json!(["This is a good day", "1", "1", "2", "2", "0", "2", "0", "1"])
        );
    }

    #[test]
    fn global_parameters_change_the_columns() {
        let body = r#"{"Inputs":{"input1":[{"Col2":"This is a good day"}]},"GlobalParameters":{"Hashing bitsize":"4","N-grams":3}}"#;
        let v = ok(body, false, true);
        let row = v["Results"]["output1"][0].as_object().unwrap();
        assert_eq!(row.len(), 17);
        // Vector 2 of vectors/feature_hashing.json.
        let counts: Vec<&str> = row.values().skip(1).map(|c| c.as_str().unwrap()).collect();
        assert_eq!(
            counts,
            [
                "2", "1", "2", "0", "0", "0", "0", "0", "0", "0", "1", "2", "1", "2", "0", "1"
            ]
        );
    }

    #[test]
    fn errors_carry_the_documented_codes() {
        assert_eq!(fail("").code, "RequestBodyInvalid");
        assert_eq!(fail("{not json").code, "RequestBodyInvalid");
        assert_eq!(fail(r#"{"Inputs":{}}"#).code, "MissingRequestInput");
        assert_eq!(
            fail(r#"{"GlobalParameters":{}}"#).code,
            "MissingRequestInput"
        );
        assert_eq!(
            fail(r#"{"Inputs":{"input2":{"ColumnNames":[],"Values":[]}}}"#).code,
            "InvalidInputNames"
        );
        let f = fail(r#"{"Inputs":{"input1":{"ColumnNames":["Col1"],"Values":[["x"]]}}}"#);
        assert_eq!((f.class, f.code), ("BadUserArgument", "InputParseError"));
        assert!(f.message.contains("'Col2' is missing"), "{}", f.message);
        let p = |params: &str| {
            fail(&TUTORIAL.replace(
                r#""GlobalParameters":{}"#,
                &format!(r#""GlobalParameters":{params}"#),
            ))
        };
        assert_eq!(p(r#"{"Bits":3}"#).code, "UnexpectedParameter");
        assert_eq!(p(r#"{"Hashing bitsize":32}"#).code, "UserParameterInvalid");
        assert_eq!(p(r#"{"N-grams":"-1"}"#).code, "UserParameterInvalid");
    }

    #[test]
    fn huge_outputs_are_refused_before_allocating() {
        let body = TUTORIAL.replace(
            r#""GlobalParameters":{}"#,
            r#""GlobalParameters":{"Hashing bitsize":31}"#,
        );
        let f = score(body.as_bytes(), CallOptions::default(), FH, MAX).unwrap_err();
        assert_eq!((f.status.as_u16(), f.code), (400, "OutputTooLarge"));
        // Zero rows need no cells, unless `details` lists 2^31 column names.
        let empty = r#"{"Inputs":{"input1":{"ColumnNames":["Col2"],"Values":[]}},"GlobalParameters":{"Hashing bitsize":31}}"#;
        assert!(score(empty.as_bytes(), CallOptions::default(), FH, MAX).is_ok());
        let details = CallOptions {
            details: true,
            swagger: false,
        };
        assert!(score(empty.as_bytes(), details, FH, MAX).is_err());
    }
}
