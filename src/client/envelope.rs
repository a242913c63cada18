//! Turns a non-2xx answer into an `ApiError`: the service's `{"error":{code,message,details}}`
//! (`protocol.md` §4.1), the gateway's `{"statusCode":..,"message":..}` (§6.3), the model
//! servers' envelopes (`spec/adapters.md` "Errors": MLflow `error_code`/`message`/`stack_trace`,
//! Azure ML `message`, v2 and KServe `error`, FastAPI `detail`), or anything else (HTML from a
//! proxy, a plain-text traceback, nothing), plus `Retry-After`, the request id and an Azure ML
//! 424's model status. What is kept is the cause, not a data dump: a few hundred characters.
//! Parsing is tolerant: a field of the wrong type is skipped, never a reason to lose the status.

use super::retry::parse_retry_after;
use crate::error::{ApiError, ErrorSource};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

/// Response headers that carry a request id, in order of preference (§9.10: not identified
/// for the real service; `x-ms-request-id` is the Azure convention).
const REQUEST_ID_HEADERS: [&str; 3] = ["x-ms-request-id", "request-id", "x-request-id"];

/// Longest message kept from a non-JSON body.
const SNIPPET: usize = 200;
/// Longest cause kept from a model server's message.
const CAUSE: usize = 300;
/// The header of an Azure ML 424 that carries the model container's status.
const MODEL_STATUS_HEADER: &str = "ms-azureml-model-error-statuscode";

pub(super) fn api_error(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    operation: &str,
) -> ApiError {
    let retry_after = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
    let mut request_id = REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| headers.get(*h))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut e = ApiError {
        status,
        source: ErrorSource::Other,
        code: None,
        message: String::new(),
        details: vec![],
        retry_after,
        request_id: None,
        operation: operation.to_string(),
        model_status: headers
            .get(MODEL_STATUS_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok()),
        refused: false,
        endpoint: None,
    };
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) if map.get("error").is_some_and(Value::is_object) => {
            let err = &map["error"];
            e.source = ErrorSource::Service;
            e.code = str_field(err, "code");
            e.message = str_field(err, "message").unwrap_or_default();
            e.details = err
                .get("details")
                .and_then(Value::as_array)
                .map(|ds| {
                    ds.iter()
                        .map(|d| {
                            (
                                str_field(d, "code").unwrap_or_default(),
                                str_field(d, "message").unwrap_or_default(),
                            )
                        })
                        .filter(|(c, m)| !(c.is_empty() && m.is_empty()))
                        .collect()
                })
                .unwrap_or_default();
        }
        Ok(v @ Value::Object(_)) if v.get("error_code").is_some() => {
            // MLflow: a printout of the batch first, the cause last; an exception inside
            // predict has a generic message and its cause at the end of `stack_trace`.
            e.source = ErrorSource::Service;
            e.code = str_field(&v, "error_code");
            let message = str_field(&v, "message").unwrap_or_default();
            let trace = str_field(&v, "stack_trace");
            e.message = match (message.rfind("Error: "), trace) {
                (Some(at), _) => cut_to(&message[at + 7..], CAUSE),
                (None, Some(t)) if message.starts_with("Encountered an unexpected error") => {
                    cause(&t)
                }
                _ => cut_to(&message, CAUSE),
            };
        }
        Ok(v @ Value::Object(_)) if v.get("error").is_some_and(Value::is_string) => {
            // v2 and KServe: `{"error": "..."}`, sometimes a whole traceback.
            e.source = ErrorSource::Service;
            e.message = cause(&str_field(&v, "error").unwrap_or_default());
        }
        Ok(v @ Value::Object(_)) if v.get("detail").is_some() => {
            // FastAPI's 404/405/422: a string, or a list of `{"loc", "msg"}`.
            e.source = ErrorSource::Service;
            e.message = cut_to(&detail_text(&v["detail"]), CAUSE);
        }
        Ok(v @ Value::Object(_)) if v.get("statusCode").is_some() => {
            e.source = ErrorSource::Gateway;
            e.message = str_field(&v, "message").unwrap_or_default();
            if request_id.is_none() {
                request_id = str_field(&v, "activityId");
            }
        }
        Ok(v @ Value::Object(_)) if v.get("message").is_some() => {
            // Azure ML's `{"message": ...}`; a gateway body without `statusCode` reads alike.
            e.source = ErrorSource::Service;
            e.message = cause(&str_field(&v, "message").unwrap_or_default());
        }
        _ if memchr::memmem::find(body, TRACEBACK.as_bytes()).is_some() => {
            e.message = cause(&String::from_utf8_lossy(body));
        }
        _ => e.message = text_snippet(body),
    }
    if e.message.is_empty() && e.details.is_empty() {
        e.message = reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("")
            .to_string();
    }
    e.request_id = request_id;
    e
}

/// The first line of a Python traceback.
const TRACEBACK: &str = "Traceback (most recent call last):";

/// The cause in a model server's error text, at most `CAUSE` characters. In a Python traceback
/// it is the exception: the lines after the last indented (frame) line, which may be several
/// (scikit-learn's `Input X contains NaN.` is followed by lines of advice). Any other text is
/// kept from its start: its first line is the exception's message and the lines after it
/// explain it (`Expected 2D array, got scalar array instead:` / `array=None.` / `Reshape ...`).
fn cause(text: &str) -> String {
    let Some(at) = text.find(TRACEBACK) else {
        return cut_to(text, CAUSE);
    };
    let trace = &text[at + TRACEBACK.len()..];
    let mut start = 0;
    let mut end = 0;
    for line in trace.split_inclusive('\n') {
        end += line.len();
        if line.starts_with([' ', '\t']) {
            start = end;
        }
    }
    match trace[start..].trim() {
        "" => cut_to(text, CAUSE),
        exception => cut_to(exception, CAUSE),
    }
}

/// FastAPI's `detail`: a string, or the `msg` of each item with its `loc`.
fn detail_text(d: &Value) -> String {
    match d {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                let msg = str_field(i, "msg").unwrap_or_default();
                match i.get("loc").and_then(Value::as_array) {
                    Some(loc) => format!(
                        "{msg} at {}",
                        loc.iter()
                            .map(|l| l.as_str().map_or_else(|| l.to_string(), str::to_string))
                            .collect::<Vec<_>>()
                            .join(".")
                    ),
                    None => msg,
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// A string field, or a number shown as text; `None` when absent or empty.
fn str_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What a person should see of a non-JSON body: an HTML page's `<title>` (proxies answer
/// `<title>502 Bad Gateway</title>`), else the text with tags dropped and spaces collapsed.
fn text_snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    if let (Some(a), Some(b)) = (lower.find("<title>"), lower.find("</title>"))
        && a + 7 <= b
    {
        let title = text[a + 7..b]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !title.is_empty() {
            return cut(&title);
        }
    }
    let mut plain = String::with_capacity(text.len().min(4 * SNIPPET));
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                plain.push(' ');
            }
            _ if !in_tag => plain.push(c),
            _ => {}
        }
        if plain.len() > 4 * SNIPPET {
            break;
        }
    }
    cut(&plain.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn cut(s: &str) -> String {
    cut_to(s, SNIPPET)
}

/// `s` with its spaces collapsed, at most `max` characters (then `…`).
fn cut_to(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use std::time::Duration;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn parses_the_service_envelope_with_details_and_request_id() {
        let body = br#"{"error":{"code":"Unauthorized","message":"Request is unauthorized to access resource.",
            "details":[{"code":"ScoreRequestUnauthorized","message":"Invalid credentials provided."}]}}"#;
        let e = api_error(
            401,
            &headers(&[("x-ms-request-id", "rid-1")]),
            body,
            "scoring",
        );
        assert_eq!(e.source, ErrorSource::Service);
        assert_eq!(e.code.as_deref(), Some("Unauthorized"));
        assert_eq!(e.specific_code(), Some("ScoreRequestUnauthorized"));
        assert_eq!(e.message, "Request is unauthorized to access resource.");
        assert_eq!(e.request_id.as_deref(), Some("rid-1"));
        assert_eq!(e.operation, "scoring");
        let shown = e.to_string();
        assert!(
            shown.contains("401 Unauthorized") && shown.contains("Invalid credentials provided."),
            "{shown}"
        );
    }

    #[test]
    fn service_envelope_without_details_or_code() {
        let e = api_error(
            400,
            &HeaderMap::new(),
            br#"{"error":{"code":"InvalidWorkspaceId","message":"bad"}}"#,
            "x",
        );
        assert_eq!(
            (e.code.as_deref(), e.details.len()),
            (Some("InvalidWorkspaceId"), 0)
        );
        let e = api_error(
            500,
            &HeaderMap::new(),
            br#"{"error":{"message":"boom","details":null}}"#,
            "x",
        );
        assert_eq!(
            (e.source, e.code, e.message.as_str()),
            (ErrorSource::Service, None, "boom")
        );
    }

    #[test]
    fn parses_the_gateway_envelope_with_retry_after_and_activity_id() {
        let body = br#"{ "statusCode": 429, "message": "Rate limit is exceeded. Try again in 57 seconds." }"#;
        let e = api_error(429, &headers(&[("retry-after", "57")]), body, "scoring");
        assert_eq!(e.source, ErrorSource::Gateway);
        assert_eq!(e.retry_after, Some(Duration::from_secs(57)));
        assert!(e.message.starts_with("Rate limit is exceeded"));
        let body = br#"{ "statusCode": 500, "message": "Internal server error", "activityId": "87aeb87f" }"#;
        let e = api_error(500, &HeaderMap::new(), body, "x");
        assert_eq!(e.request_id.as_deref(), Some("87aeb87f"));
        let body = br#"{ "statusCode": 403, "message": "Out of call volume quota. Quota will be replenished in 07:01:20." }"#;
        let e = api_error(403, &headers(&[("retry-after", "25280")]), body, "x");
        assert_eq!(e.exit_status(), crate::error::ExitStatus::Unavailable);
    }

    #[test]
    fn model_server_envelopes_give_their_cause() {
        let printout = "x".repeat(5000);
        let body = serde_json::json!({"error_code": "BAD_REQUEST",
            "message": format!("Failed to enforce schema of data '{printout}' with schema 'y'. Error: Model is missing inputs ['city'].")});
        let e = api_error(400, &HeaderMap::new(), body.to_string().as_bytes(), "x");
        assert_eq!(e.code.as_deref(), Some("BAD_REQUEST"));
        assert_eq!(e.message, "Model is missing inputs ['city'].");
        let body = serde_json::json!({"error_code": "BAD_REQUEST",
            "message": "Encountered an unexpected error while evaluating the model. Verify that the serialized input Dataframe is compatible with the model for inference.",
            "stack_trace": "Traceback (most recent call last):\n  File \"x.py\", line 1\nValueError: bad row 7\n"});
        let e = api_error(400, &HeaderMap::new(), body.to_string().as_bytes(), "x");
        assert_eq!(e.message, "ValueError: bad row 7");
        let e = api_error(
            500,
            &HeaderMap::new(),
            br#"{"error": "Model m not ready"}"#,
            "x",
        );
        assert_eq!(
            (e.source, e.message.as_str()),
            (ErrorSource::Service, "Model m not ready")
        );
        let e = api_error(422, &HeaderMap::new(), br#"{"detail": [{"loc": ["body", "inputs"], "msg": "field required", "type": "missing"}]}"#, "x");
        assert_eq!(e.message, "field required at body.inputs");
        let e = api_error(404, &HeaderMap::new(), br#"{"detail": "Not Found"}"#, "x");
        assert_eq!(e.message, "Not Found");
        let e = api_error(
            424,
            &headers(&[("ms-azureml-model-error-statuscode", "400")]),
            br#"{"message": "An unexpected error occurred in scoring script."}"#,
            "x",
        );
        assert_eq!(
            (e.model_status, e.source),
            (Some(400), ErrorSource::Service)
        );
        let tb = b"Traceback (most recent call last):\n  File \"a\", line 2, in f\nTypeError: int() argument must be a string\n";
        let e = api_error(500, &HeaderMap::new(), tb, "x");
        assert_eq!(e.message, "TypeError: int() argument must be a string");
    }

    #[test]
    fn a_multi_line_cause_keeps_its_first_line() {
        // As the real servers answer a null cell (scikit-learn 1.9.1): the exception's first
        // line is the cause, the lines after it are advice.
        let advice = "LogisticRegression does not accept missing values encoded as NaN natively. For supervised learning, you might want to consider sklearn.ensemble.HistGradientBoostingClassifier and Regressor which accept missing values encoded as NaNs natively. Alternatively, it is possible to preprocess the data, for instance by using an imputer transformer in a pipeline or drop samples with missing values. See https://scikit-learn.org/stable/modules/impute.html";
        let body = serde_json::json!({"error": format!("builtins.ValueError: Input X contains NaN.\n{advice}")});
        let e = api_error(500, &HeaderMap::new(), body.to_string().as_bytes(), "x");
        assert!(
            e.message
                .starts_with("builtins.ValueError: Input X contains NaN. LogisticRegression"),
            "{}",
            e.message
        );
        assert!(e.message.chars().count() <= CAUSE + 1);
        let body = serde_json::json!({"error_code": "BAD_REQUEST",
            "message": "Encountered an unexpected error while evaluating the model. Verify that the serialized input Dataframe is compatible with the model for inference.",
            "stack_trace": format!("Traceback (most recent call last):\n  File \"s.py\", line 348, in invocations\n    raw = model.predict(data)\n          ^^^^^^^^^^^^^^^^^^^\nValueError: Input X contains NaN.\n{advice}\n")});
        let e = api_error(400, &HeaderMap::new(), body.to_string().as_bytes(), "x");
        assert!(
            e.message
                .starts_with("ValueError: Input X contains NaN. LogisticRegression"),
            "{}",
            e.message
        );
        // KServe's `{"error": str(e)}` of a three-line message.
        let body = br#"{"error":"Expected 2D array, got scalar array instead:\narray=None.\nReshape your data either using array.reshape(-1, 1) if your data has a single feature or array.reshape(1, -1) if it contains a single sample."}"#;
        let e = api_error(500, &HeaderMap::new(), body, "x");
        assert!(
            e.message
                .starts_with("Expected 2D array, got scalar array instead: array=None. Reshape"),
            "{}",
            e.message
        );
        // A chained traceback: the last exception.
        let tb = "Traceback (most recent call last):\n  File \"a\", line 1\nKeyError: 'x'\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"b\", line 2\nRuntimeError: y\n";
        let e = api_error(500, &HeaderMap::new(), tb.as_bytes(), "x");
        assert_eq!(e.message, "RuntimeError: y");
    }

    #[test]
    fn html_text_and_empty_bodies_become_short_messages() {
        let html = b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
        let e = api_error(502, &HeaderMap::new(), html, "x");
        assert_eq!(
            (e.source, e.message.as_str()),
            (ErrorSource::Other, "502 Bad Gateway")
        );
        let e = api_error(503, &HeaderMap::new(), b"<p>Service\n  down</p>", "x");
        assert_eq!(e.message, "Service down");
        let e = api_error(504, &HeaderMap::new(), b"", "x");
        assert_eq!(e.message, "Gateway Timeout");
        let long = "x".repeat(1000);
        let e = api_error(500, &HeaderMap::new(), long.as_bytes(), "x");
        assert!(e.message.chars().count() <= SNIPPET + 1);
        let e = api_error(500, &HeaderMap::new(), b"[1,2]", "x");
        assert_eq!(e.message, "[1,2]");
    }
}
