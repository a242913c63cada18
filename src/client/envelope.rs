//! Turns a non-2xx answer into an `ApiError`: the service's `{"error":{code,message,details}}`
//! (`protocol.md` §4.1), the gateway's `{"statusCode":..,"message":..}` (§6.3), or anything
//! else (HTML from a proxy, text, nothing), plus `Retry-After` and the request id. Parsing is
//! tolerant: a field of the wrong type is skipped, never a reason to lose the status.

use super::retry::parse_retry_after;
use crate::error::{ApiError, ErrorSource};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

/// Response headers that carry a request id, in order of preference (§9.10: not identified
/// for the real service; `x-ms-request-id` is the Azure convention).
const REQUEST_ID_HEADERS: [&str; 3] = ["x-ms-request-id", "request-id", "x-request-id"];

/// Longest message kept from a non-JSON body.
const SNIPPET: usize = 200;

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
        Ok(v @ Value::Object(_)) if v.get("statusCode").is_some() || v.get("message").is_some() => {
            e.source = ErrorSource::Gateway;
            e.message = str_field(&v, "message").unwrap_or_default();
            if request_id.is_none() {
                request_id = str_field(&v, "activityId");
            }
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
    if s.chars().count() <= SNIPPET {
        return s.to_string();
    }
    let mut out: String = s.chars().take(SNIPPET).collect();
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
