//! The request log (`--log FILE`): one JSON line per request, written when it is answered, or
//! when it ends without an answer (a dropped connection, a client that went away), so that
//! tests and users can see what a client sent. Keys are never written: the API key (the
//! `Bearer` token), the subscription key (header or query) and any other `Authorization` value
//! appear as the first 12 hex digits of their SHA-256; the `subscription-key` and `sig` query
//! values are masked; bodies are never written, only their sizes. Handlers add what only they
//! know (fault, rows scored, job id) through the request's [`Note`]. Knows nothing of what the
//! operations do.

use super::apim::{KEY_HEADER, KEY_QUERY};
use super::faults::Decision;
use anyhow::{Context as _, Result};
use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::convert::Infallible;
use std::io::{LineWriter, Write};
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

/// Hex digits of SHA-256 written for a key: enough to tell keys apart, useless to call with.
pub const HASH_HEX: usize = 12;

/// An open log file, appended to.
#[derive(Debug)]
pub struct RequestLog {
    out: Mutex<LineWriter<std::fs::File>>,
}

impl RequestLog {
    pub fn open(path: &Path) -> Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open the request log `{}`", path.display()))?;
        Ok(RequestLog {
            out: Mutex::new(LineWriter::new(file)),
        })
    }

    fn write(&self, line: &Value) {
        let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
        // A full disk must not take the emulator down: the line is lost, the answer is not.
        let _ = writeln!(out, "{line}");
    }
}

/// The first [`HASH_HEX`] hex digits of the SHA-256 of `bytes`.
pub fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(HASH_HEX / 2)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a handler adds to its request's line. Outside a logged request it is detached and
/// whatever is noted goes nowhere.
#[derive(Debug, Clone, Default)]
pub struct Note(Arc<NoteInner>);

#[derive(Debug, Default)]
struct NoteInner {
    bytes_in: AtomicU64,
    fields: Mutex<NoteFields>,
}

#[derive(Debug, Default)]
struct NoteFields {
    fault: Option<&'static str>,
    delay_ms: Option<u64>,
    rows: Option<usize>,
    /// Hashes of the first and last row scored (classic RRS).
    span: Option<(String, String)>,
    job: Option<String>,
}

impl Note {
    fn fields(&self) -> std::sync::MutexGuard<'_, NoteFields> {
        self.0.fields.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The fault and delay decided for the call.
    pub fn decision(&self, d: &Decision) {
        let mut f = self.fields();
        f.fault = d.fault.map(|f| f.name());
        f.delay_ms = Some(d.delay.as_millis() as u64);
    }

    /// Rows scored (RRS).
    pub fn rows(&self, n: usize) {
        self.fields().rows = Some(n);
    }

    /// Hashes of the text of the first and last row scored ([`short_hash`]).
    pub fn row_span(&self, first: &str, last: &str) {
        self.fields().span = Some((first.to_string(), last.to_string()));
    }

    /// The job the call is about (BES).
    pub fn job(&self, id: &str) {
        self.fields().job = Some(id.to_string());
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Note {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(parts.extensions.get::<Note>().cloned().unwrap_or_default())
    }
}

/// The middleware: notes the request, lets it run, writes its line.
pub async fn record(State(log): State<Arc<RequestLog>>, req: Request, next: Next) -> Response {
    let note = Note::default();
    let (line, keys) = request_fields(req.method().as_str(), req.uri(), req.headers());
    let (mut parts, body) = req.into_parts();
    parts.extensions.insert(note.clone());
    let body = Body::new(Counted {
        inner: body,
        note: note.clone(),
    });
    let mut pending = Pending {
        log,
        line: Some(line),
        keys,
        note,
        start: Instant::now(),
    };
    let resp = next.run(Request::from_parts(parts, body)).await;
    let bytes_out = resp.body().size_hint().exact().or_else(|| {
        resp.headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse().ok())
    });
    pending.finish(Some(resp.status().as_u16()), bytes_out);
    resp
}

/// A request on its way; its line is written when it is answered or dropped.
struct Pending {
    log: Arc<RequestLog>,
    line: Option<Map<String, Value>>,
    keys: Map<String, Value>,
    note: Note,
    start: Instant,
}

impl Pending {
    fn finish(&mut self, status: Option<u16>, bytes_out: Option<u64>) {
        let Some(mut line) = self.line.take() else {
            return;
        };
        let f = self.note.fields();
        let ms = self.start.elapsed().as_millis() as u64;
        let bytes_in = self.note.0.bytes_in.load(Ordering::Relaxed);
        for (k, v) in [
            ("status", json!(status)),
            ("fault", json!(f.fault)),
            ("delay_ms", json!(f.delay_ms)),
            ("ms", json!(ms)),
            ("bytes_in", json!(bytes_in)),
            ("bytes_out", json!(bytes_out)),
            ("rows", json!(f.rows)),
            ("first_row", json!(f.span.as_ref().map(|s| &s.0))),
            ("last_row", json!(f.span.as_ref().map(|s| &s.1))),
            ("job", json!(f.job)),
        ] {
            line.insert(k.into(), v);
        }
        drop(f);
        // The key hashes last, so that the line reads request, outcome, who.
        line.append(&mut self.keys);
        self.log.write(&Value::Object(line));
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Dropped before an answer: the connection was closed (a fault, or the client left).
        self.finish(None, None);
    }
}

/// `time`, `method`, `path`, `query` (secrets masked); and the key hashes.
fn request_fields(
    method: &str,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
) -> (Map<String, Value>, Map<String, Value>) {
    let mut line = Map::new();
    line.insert("time".into(), json!(now_rfc3339()));
    line.insert("method".into(), json!(method));
    line.insert("path".into(), json!(uri.path()));
    line.insert("query".into(), json!(uri.query().map(masked_query)));
    let mut keys = Map::new();
    let auth = headers
        .get(header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string());
    let bearer = auth.as_deref().and_then(|a| {
        let (scheme, key) = a.split_once(|c: char| c.is_ascii_whitespace())?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| key.trim().to_string())
    });
    let other_auth = auth.filter(|_| bearer.is_none());
    keys.insert("api_key".into(), json!(bearer.as_deref().map(key_hash)));
    keys.insert(
        "subscription_key".into(),
        json!(
            subscription_key(headers, uri.query())
                .as_deref()
                .map(key_hash)
        ),
    );
    keys.insert(
        "authorization".into(),
        json!(other_auth.as_deref().map(key_hash)),
    );
    (line, keys)
}

/// The first [`HASH_HEX`] hex digits of the SHA-256 of `key`.
pub fn key_hash(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..HASH_HEX].to_string()
}

/// The subscription key as the gateway reads it: the header, else the query parameter.
fn subscription_key(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    if let Some(v) = headers.get(KEY_HEADER) {
        return Some(String::from_utf8_lossy(v.as_bytes()).trim().to_string());
    }
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(name, _)| name.eq_ignore_ascii_case(KEY_QUERY))
        .map(|(_, v)| v.trim().to_string())
}

/// The raw query with the values of `subscription-key` and `sig` (a SAS signature) masked.
fn masked_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(n, _)| n);
            let decoded: String = url::form_urlencoded::parse(name.as_bytes())
                .map(|(n, _)| n.into_owned())
                .collect();
            if decoded.eq_ignore_ascii_case(KEY_QUERY) || decoded.eq_ignore_ascii_case("sig") {
                format!("{name}={}", crate::secret::MASK)
            } else {
                pair.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Now in RFC 3339, UTC, to the millisecond.
fn now_rfc3339() -> String {
    use azure_core::time::{OffsetDateTime, to_rfc3339};
    let now = OffsetDateTime::now_utc();
    let ms = now
        .replace_nanosecond(now.millisecond() as u32 * 1_000_000)
        .unwrap_or(now);
    to_rfc3339(&ms)
}

/// A request body that counts its bytes into the note.
struct Counted {
    inner: Body,
    note: Note,
}

impl HttpBody for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let poll = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &poll
            && let Some(data) = frame.data_ref()
        {
            self.note
                .0
                .bytes_in
                .fetch_add(data.len() as u64, Ordering::Relaxed);
        }
        poll
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::faults::Fault;
    use axum::Router;
    use axum::routing::post;
    use std::time::Duration;
    use tower::ServiceExt;

    const API_KEY: &str = "c2VjcmV0LWFwaS1rZXk=";
    const SUB_KEY: &str = "0123456789abcdef0123456789abcdef";

    async fn handler(note: Note, body: Body) -> &'static str {
        let _ = axum::body::to_bytes(body, 1000).await;
        note.decision(&Decision {
            fault: Some(Fault::Unavailable),
            delay: Duration::from_millis(7),
        });
        note.rows(3);
        note.job("job1");
        "scored"
    }

    fn app(log: Arc<RequestLog>) -> Router {
        Router::new()
            .route("/x", post(handler))
            .layer(axum::middleware::from_fn_with_state(log, record))
    }

    fn lines(path: &Path) -> Vec<Value> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[tokio::test]
    async fn lines_hold_hashes_and_sizes_never_keys_or_bodies() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let log = Arc::new(RequestLog::open(&path).unwrap());
        let req = Request::post(format!(
            "/x?api-version=2.0&subscription-key={SUB_KEY}&sig=AbC%2B&details=true"
        ))
        .header("Authorization", format!("Bearer {API_KEY}"))
        .body(Body::from("top-secret-body"))
        .unwrap();
        let resp = app(log.clone()).oneshot(req).await.unwrap();
        assert_eq!(resp.status(), 200);
        let req = Request::post("/x")
            .header("Authorization", "SharedKey acct:c2lnbmF0dXJl")
            .header(KEY_HEADER, SUB_KEY)
            .body(Body::empty())
            .unwrap();
        app(log).oneshot(req).await.unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        for secret in [
            API_KEY,
            SUB_KEY,
            "AbC%2B",
            "c2lnbmF0dXJl",
            "top-secret-body",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let l = lines(&path);
        assert_eq!(l.len(), 2);
        let keys: Vec<&str> = l[0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "time",
                "method",
                "path",
                "query",
                "status",
                "fault",
                "delay_ms",
                "ms",
                "bytes_in",
                "bytes_out",
                "rows",
                "first_row",
                "last_row",
                "job",
                "api_key",
                "subscription_key",
                "authorization"
            ]
        );
        assert_eq!(
            l[0]["query"],
            "api-version=2.0&subscription-key=***&sig=***&details=true"
        );
        assert_eq!(
            (l[0]["method"].as_str(), l[0]["path"].as_str()),
            (Some("POST"), Some("/x"))
        );
        assert_eq!(
            (l[0]["status"].as_u64(), l[0]["fault"].as_str()),
            (Some(200), Some("503"))
        );
        assert_eq!(
            (l[0]["delay_ms"].as_u64(), l[0]["rows"].as_u64()),
            (Some(7), Some(3))
        );
        assert_eq!(
            (l[0]["bytes_in"].as_u64(), l[0]["bytes_out"].as_u64()),
            (Some(15), Some(6))
        );
        assert_eq!(l[0]["job"], "job1");
        assert_eq!(l[0]["api_key"], key_hash(API_KEY));
        assert_eq!(l[0]["subscription_key"], key_hash(SUB_KEY));
        assert!(l[0]["authorization"].is_null());
        assert!(l[1]["api_key"].is_null() && l[1]["query"].is_null());
        assert_eq!(
            l[1]["authorization"],
            key_hash("SharedKey acct:c2lnbmF0dXJl")
        );
        assert_eq!(l[1]["subscription_key"], key_hash(SUB_KEY));
        let t = l[0]["time"].as_str().unwrap();
        assert!(
            azure_core::time::parse_rfc3339(t).is_ok() && t.ends_with('Z'),
            "{t}"
        );
    }

    #[tokio::test]
    async fn a_request_dropped_before_its_answer_still_gets_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let log = Arc::new(RequestLog::open(&path).unwrap());
        let never = Router::new()
            .route("/x", post(std::future::pending::<&'static str>))
            .layer(axum::middleware::from_fn_with_state(log, record));
        let call = never.oneshot(Request::post("/x").body(Body::empty()).unwrap());
        assert!(
            tokio::time::timeout(Duration::from_millis(50), call)
                .await
                .is_err()
        );
        let l = lines(&path);
        assert_eq!(l.len(), 1);
        assert!(
            l[0]["status"].is_null() && l[0]["bytes_out"].is_null(),
            "{}",
            l[0]
        );
    }

    #[test]
    fn hashes_are_sha256_prefixes() {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assert_eq!(key_hash("abc"), "ba7816bf8f01");
        assert_eq!(masked_query("a=1&Sig=x&b"), "a=1&Sig=***&b");
        assert_eq!(
            masked_query("subscription%2Dkey=k"),
            "subscription%2Dkey=***"
        );
    }
}
