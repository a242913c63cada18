//! Client behaviour against small scripted axum servers on 127.0.0.1:0.

use super::*;
use crate::error::{ErrorSource, ExitStatus, exit_status};
use crate::wire::{JobId, JobRequest, JobState};
use axum::body::Bytes as AxBytes;
use axum::http::{HeaderMap as AxHeaders, Method as AxMethod, StatusCode, Uri};
use axum::response::IntoResponse;
use std::collections::VecDeque;
use std::sync::Mutex;

const API_KEY: &str = "sEcReT-aPi-KeY==";
const SUB_KEY: &str = "sUbScRiPtIoN-kEy";

/// One scripted answer.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Duration,
}

fn reply(status: u16, body: &str) -> Reply {
    Reply {
        status,
        headers: vec![],
        body: body.to_string(),
        delay: Duration::ZERO,
    }
}

impl Reply {
    fn header(mut self, k: &'static str, v: impl Into<String>) -> Self {
        self.headers.push((k, v.into()));
        self
    }
    fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
}

/// What the server saw.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    uri: String,
    headers: AxHeaders,
    body: Vec<u8>,
}

#[derive(Default)]
struct Script {
    replies: Mutex<VecDeque<Reply>>,
    seen: Mutex<Vec<Seen>>,
}

async fn serve(replies: Vec<Reply>) -> (Url, Arc<Script>) {
    let script = Arc::new(Script {
        replies: Mutex::new(replies.into()),
        seen: Mutex::default(),
    });
    let s = script.clone();
    let app = axum::Router::new().fallback(
        move |method: AxMethod, uri: Uri, headers: AxHeaders, body: AxBytes| {
            let s = s.clone();
            async move {
                s.seen.lock().unwrap().push(Seen {
                    method: method.to_string(),
                    uri: uri.to_string(),
                    headers,
                    body: body.to_vec(),
                });
                let r = s
                    .replies
                    .lock()
                    .unwrap()
                    .pop_front()
                    .unwrap_or(reply(200, "{}"));
                tokio::time::sleep(r.delay).await;
                let mut resp = (StatusCode::from_u16(r.status).unwrap(), r.body).into_response();
                for (k, v) in r.headers {
                    resp.headers_mut().insert(k, v.parse().unwrap());
                }
                resp
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let root = Url::parse(&format!("http://{addr}/apim/workspaces/ws1/services/svc1")).unwrap();
    (root, script)
}

fn options(root: Url) -> ClientOptions {
    let mut o = ClientOptions::new(root);
    o.api_key = Some(Secret::new(API_KEY));
    o.subscription_key = Some(Secret::new(SUB_KEY));
    o.timeout = Duration::from_secs(5);
    o.retries = 3;
    o.trace_level = 3;
    o.backoff = Backoff {
        base: Duration::from_millis(10),
        cap: Duration::from_millis(40),
        max_throttle_waits: 100,
    };
    o
}

pub(super) type Events = Arc<Mutex<Vec<ClientEvent>>>;

/// A client that records its events, for the tests here and in `fault_tests.rs`.
pub(super) fn client(opts: ClientOptions) -> (Client, Events) {
    let events: Events = Arc::default();
    let e = events.clone();
    let c = Client::new(opts, Arc::new(move |ev| e.lock().unwrap().push(ev))).unwrap();
    (c, events)
}

fn retries(events: &Events) -> Vec<(u32, Duration)> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Retry { attempt, wait, .. } => Some((*attempt, *wait)),
            _ => None,
        })
        .collect()
}

fn api(err: &anyhow::Error) -> &ApiError {
    err.chain()
        .find_map(|c| c.downcast_ref::<ApiError>())
        .expect("an ApiError in the chain")
}

const OK_BODY: &str =
    r#"{"Results":{"output1":{"type":"table","value":{"ColumnNames":["a"],"Values":[["1"]]}}}}"#;

#[tokio::test]
async fn execute_sends_auth_headers_url_and_body() {
    let (root, script) = serve(vec![reply(200, OK_BODY)]).await;
    let (c, _) = client(options(root));
    let body = c
        .execute(Bytes::from_static(b"{\"Inputs\":{}}"), false, "scoring")
        .await
        .unwrap();
    assert_eq!(&body[..], OK_BODY.as_bytes());
    c.execute(Bytes::from_static(b"{}"), true, "scoring")
        .await
        .unwrap();
    let seen = script.seen.lock().unwrap().clone();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(
        seen[0].uri,
        "/apim/workspaces/ws1/services/svc1/execute?api-version=2.0&details=true"
    );
    assert_eq!(
        seen[1].uri,
        "/apim/workspaces/ws1/services/svc1/execute?api-version=2.0&details=true&format=swagger"
    );
    let h = &seen[0].headers;
    assert_eq!(h["authorization"], format!("Bearer {API_KEY}").as_str());
    assert_eq!(h["ocp-apim-subscription-key"], SUB_KEY);
    assert_eq!(h["content-type"], JSON_CONTENT_TYPE);
    assert_eq!(h["accept"], "application/json");
    assert!(h["user-agent"].to_str().unwrap().starts_with("mlws/"));
    assert_eq!(seen[0].body, b"{\"Inputs\":{}}");
    assert_eq!(
        c.stats(),
        ClientStats {
            requests: 2,
            retries: 0,
            throttled: 0
        }
    );
}

#[tokio::test]
async fn a_429_waits_for_retry_after_seconds_without_using_the_error_budget() {
    let throttle = reply(
        429,
        r#"{ "statusCode": 429, "message": "Rate limit is exceeded. Try again in 1 seconds." }"#,
    )
    .header("retry-after", "1");
    let (root, script) = serve(vec![throttle, reply(200, OK_BODY)]).await;
    let mut o = options(root);
    o.retries = 0;
    let (c, events) = client(o);
    let t0 = Instant::now();
    c.execute(Bytes::from_static(b"{}"), false, "scoring")
        .await
        .unwrap();
    assert!(t0.elapsed() >= Duration::from_secs(1), "{:?}", t0.elapsed());
    let r = retries(&events);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].0, 2);
    assert!(
        r[0].1 >= Duration::from_secs(1) && r[0].1 <= Duration::from_millis(1100),
        "{r:?}"
    );
    assert_eq!(script.seen.lock().unwrap().len(), 2);
    let reason = events.lock().unwrap().iter().find_map(|e| match e {
        ClientEvent::Retry { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    assert!(reason.unwrap().contains("the gateway answered 429"));
}

#[tokio::test]
async fn a_429_honours_an_http_date_retry_after() {
    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    let (root, _) = serve(vec![
        reply(429, "{}").header("retry-after", at),
        reply(200, OK_BODY),
    ])
    .await;
    let (c, events) = client(options(root));
    c.execute(Bytes::from_static(b"{}"), false, "scoring")
        .await
        .unwrap();
    let r = retries(&events);
    // The date has a one-second resolution: between 1 and 2.2 seconds are left.
    assert!(
        r[0].1 >= Duration::from_millis(900) && r[0].1 <= Duration::from_millis(2300),
        "{r:?}"
    );
}

#[tokio::test]
async fn throttling_beyond_its_own_budget_gives_the_429_exit_4() {
    let t = reply(
        429,
        r#"{"statusCode":429,"message":"Rate limit is exceeded."}"#,
    )
    .header("retry-after", "0");
    let (root, script) = serve(vec![t.clone(), t.clone(), t.clone(), t]).await;
    let mut o = options(root);
    o.backoff.max_throttle_waits = 2;
    let (c, events) = client(o);
    let err = c
        .execute(Bytes::from_static(b"{}"), false, "scoring")
        .await
        .unwrap_err();
    assert_eq!(api(&err).status, 429);
    assert_eq!(exit_status(&err), ExitStatus::Unavailable);
    assert_eq!(retries(&events).len(), 2);
    assert_eq!(script.seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_503_is_retried_with_backoff_then_reported_with_exit_4() {
    let busy = reply(
        503,
        r#"{"error":{"code":"ServiceUnavailable","message":"Service is temporarily unavailable.","details":[{"code":"RequestThrottled","message":"Request was throttled."}]}}"#,
    );
    let (root, script) = serve(vec![busy.clone(), busy.clone(), reply(200, OK_BODY)]).await;
    let (c, events) = client(options(root.clone()));
    c.execute(Bytes::from_static(b"{}"), false, "scoring")
        .await
        .unwrap();
    let r = retries(&events);
    assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [2, 3]);
    assert!(
        r[0].1 >= Duration::from_millis(5) && r[0].1 <= Duration::from_millis(10),
        "{r:?}"
    );
    assert!(
        r[1].1 >= Duration::from_millis(10) && r[1].1 <= Duration::from_millis(20),
        "{r:?}"
    );
    assert_eq!(script.seen.lock().unwrap().len(), 3);

    let (root, script) = serve(vec![busy.clone(), busy.clone(), busy]).await;
    let mut o = options(root);
    o.retries = 2;
    let (c, _) = client(o);
    let err = c
        .execute(Bytes::from_static(b"{}"), false, "scoring rows 1-2")
        .await
        .unwrap_err();
    assert_eq!(exit_status(&err), ExitStatus::Unavailable);
    let e = api(&err);
    assert_eq!(
        (e.status, e.specific_code()),
        (503, Some("RequestThrottled"))
    );
    assert_eq!(e.operation, "scoring rows 1-2");
    assert!(err.to_string().contains("after 3 tries"), "{err}");
    assert_eq!(script.seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for (status, body, exit) in [
        (
            400,
            r#"{"error":{"code":"BadArgument","message":"Invalid argument provided.","details":[]}}"#,
            ExitStatus::Usage,
        ),
        (
            401,
            r#"{"error":{"code":"Unauthorized","message":"Request is unauthorized to access resource."}}"#,
            ExitStatus::Auth,
        ),
        (
            401,
            r#"{ "statusCode": 401, "message": "Access denied due to missing subscription key." }"#,
            ExitStatus::Auth,
        ),
        (
            404,
            r#"{ "statusCode": 404, "message": "Resource not found" }"#,
            ExitStatus::Usage,
        ),
    ] {
        let (root, script) = serve(vec![reply(status, body)]).await;
        let (c, events) = client(options(root));
        let err = c
            .execute(Bytes::from_static(b"{}"), false, "scoring")
            .await
            .unwrap_err();
        assert_eq!(api(&err).status, status);
        assert_eq!(exit_status(&err), exit, "{status}");
        assert!(retries(&events).is_empty());
        assert_eq!(script.seen.lock().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_quota_403_with_retry_after_fails_fast_with_exit_4() {
    let quota = reply(403, r#"{ "statusCode": 403, "message": "Out of call volume quota. Quota will be replenished in 07:01:20." }"#)
        .header("retry-after", "25280");
    let (root, script) = serve(vec![quota]).await;
    let (c, events) = client(options(root));
    let t0 = Instant::now();
    let err = c
        .execute(Bytes::from_static(b"{}"), false, "scoring")
        .await
        .unwrap_err();
    assert!(t0.elapsed() < Duration::from_secs(2));
    let e = api(&err);
    assert_eq!((e.status, e.source), (403, ErrorSource::Gateway));
    assert_eq!(e.retry_after, Some(Duration::from_secs(25280)));
    assert_eq!(exit_status(&err), ExitStatus::Unavailable);
    assert!(retries(&events).is_empty());
    assert_eq!(script.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn repeated_request_timeouts_give_up_with_exit_7() {
    let slow = reply(200, OK_BODY).delay(Duration::from_millis(400));
    let (root, script) = serve(vec![slow.clone(), slow.clone(), slow]).await;
    let mut o = options(root);
    o.timeout = Duration::from_millis(100);
    o.retries = 2;
    let (c, events) = client(o);
    let err = c
        .execute(Bytes::from_static(b"{}"), false, "scoring")
        .await
        .unwrap_err();
    let g = err.downcast_ref::<GaveUp>().expect("GaveUp");
    assert!(g.timed_out, "{g}");
    assert!(g.message.contains("--timeout"), "{g}");
    assert_eq!(exit_status(&err), ExitStatus::TimedOut);
    assert_eq!(retries(&events).len(), 2);
    assert_eq!(script.seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn the_deadline_bounds_every_wait() {
    let busy = reply(503, "{}").header("retry-after", "30");
    let (root, _) = serve(vec![busy]).await;
    let mut o = options(root);
    o.deadline = Some(Duration::from_secs(1));
    let (c, events) = client(o);
    let t0 = Instant::now();
    let err = c
        .execute(Bytes::from_static(b"{}"), false, "scoring")
        .await
        .unwrap_err();
    assert!(t0.elapsed() < Duration::from_secs(1));
    let g = err.downcast_ref::<GaveUp>().expect("GaveUp");
    assert!(g.timed_out && g.message.contains("time limit"), "{g}");
    assert_eq!(exit_status(&err), ExitStatus::TimedOut);
    assert!(retries(&events).is_empty());
}

#[tokio::test]
async fn connect_errors_are_retried_then_give_up_with_exit_4() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let root = Url::parse(&format!("http://{addr}/workspaces/w/services/s")).unwrap();
    let (c, events) = client(options(root));
    let job = JobRequest::default();
    let err = c.submit_job(&job).await.unwrap_err();
    let g = err.downcast_ref::<GaveUp>().expect("GaveUp");
    assert!(!g.timed_out && g.message.contains("cannot connect"), "{g}");
    assert_eq!(exit_status(&err), ExitStatus::Unavailable);
    // A submit that surely never left is tried again like anything else.
    assert_eq!(retries(&events).len(), 3);
}

#[tokio::test]
async fn a_submit_is_never_sent_twice_once_it_may_have_arrived() {
    let (root, script) = serve(vec![reply(503, "{}"), reply(200, "\"job1\"")]).await;
    let (c, _) = client(options(root));
    let err = c.submit_job(&JobRequest::default()).await.unwrap_err();
    assert_eq!(api(&err).status, 503);
    assert_eq!(script.seen.lock().unwrap().len(), 1);

    let (root, script) = serve(vec![
        reply(200, "\"job1\"").delay(Duration::from_millis(400)),
    ])
    .await;
    let mut o = options(root);
    o.timeout = Duration::from_millis(100);
    let (c, events) = client(o);
    let err = c.submit_job(&JobRequest::default()).await.unwrap_err();
    let g = err.downcast_ref::<GaveUp>().expect("GaveUp");
    assert!(g.timed_out && g.message.contains("not tried again"), "{g}");
    assert!(retries(&events).is_empty());
    assert_eq!(script.seen.lock().unwrap().len(), 1);

    // A gateway 429 was refused before the service saw it: waiting and sending again is safe.
    let t = reply(
        429,
        r#"{"statusCode":429,"message":"Rate limit is exceeded."}"#,
    )
    .header("retry-after", "0");
    let (root, script) = serve(vec![t, reply(200, "\"539d0bc2fde945b6ac986b851d0000f0\"")]).await;
    let (c, _) = client(options(root));
    let id = c.submit_job(&JobRequest::default()).await.unwrap();
    assert_eq!(id.0, "539d0bc2fde945b6ac986b851d0000f0");
    let seen = script.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[1].uri,
        "/apim/workspaces/ws1/services/svc1/jobs?api-version=2.0"
    );
}

#[tokio::test]
async fn job_operations_use_their_urls_and_tolerate_work_already_done() {
    let cannot = reply(
        400,
        r#"{"error":{"code":"InvalidOperation","message":"The request is invalid in the current context.","details":[{"code":"CannotStartJob","message":"The job cannot be started because it is in Running state."}]}}"#,
    );
    let status = r#"{"StatusCode":"Finished","Results":{"output1":{"ConnectionString":null,"RelativeLocation":"c/o.csv","BaseLocation":"http://h/","SasBlobToken":"?sig=x"}},"Details":null}"#;
    let (root, script) = serve(vec![
        reply(502, ""),
        cannot,
        reply(200, status),
        reply(504, ""),
        reply(
            404,
            r#"{"error":{"code":"NotFound","message":"Resource not found."}}"#,
        ),
    ])
    .await;
    let (c, _) = client(options(root));
    let id = JobId("job1".into());
    c.start_job(&id).await.unwrap();
    let (s, raw) = c.job_status(&id).await.unwrap();
    assert_eq!(s.state, JobState::Finished);
    assert_eq!(raw["Results"]["output1"]["RelativeLocation"], "c/o.csv");
    c.delete_job(&id).await.unwrap();
    let seen = script.seen.lock().unwrap().clone();
    let calls: Vec<(String, String)> = seen
        .iter()
        .map(|s| (s.method.clone(), s.uri.clone()))
        .collect();
    let base = "/apim/workspaces/ws1/services/svc1/jobs/job1";
    assert_eq!(
        calls,
        [
            ("POST".into(), format!("{base}/start?api-version=2.0")),
            ("POST".into(), format!("{base}/start?api-version=2.0")),
            ("GET".into(), format!("{base}?api-version=2.0")),
            ("DELETE".into(), format!("{base}?api-version=2.0")),
            ("DELETE".into(), format!("{base}?api-version=2.0")),
        ]
    );
    assert!(seen[0].body.is_empty());
    assert!(seen[2].headers.get("content-type").is_none());
}

#[tokio::test]
async fn no_secret_in_any_trace_retry_or_description() {
    let job_body = r#"{"Input":{"ConnectionString":"DefaultEndpointsProtocol=http;AccountName=a;AccountKey=StOrAgEkEy==","RelativeLocation":"c/in.csv"}}"#;
    let echo =
        format!(r#"{{"error":{{"code":"X","message":"you sent {API_KEY} and {SUB_KEY}"}}}}"#);
    let (root, _) = serve(vec![
        reply(500, &echo).header("x-echo", API_KEY),
        reply(200, "\"j\""),
    ])
    .await;
    let (c, events) = client(options(root));
    c.execute(Bytes::from(job_body), false, "scoring")
        .await
        .unwrap();
    let req: JobRequest = serde_json::from_str(job_body).unwrap();
    let _ = c.submit_job(&req).await;
    let shown = c.describe_request(&Method::POST, &c.jobs_url(), job_body.as_bytes());
    let mut all = vec![shown.clone()];
    for e in events.lock().unwrap().iter() {
        match e {
            ClientEvent::Trace { line, .. } => all.push(line.clone()),
            ClientEvent::Retry { reason, .. } => all.push(reason.clone()),
        }
    }
    let levels: Vec<u8> = events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Trace { level, .. } => Some(*level),
            _ => None,
        })
        .collect();
    assert!([1, 2, 3].iter().all(|l| levels.contains(l)));
    for line in &all {
        for secret in [API_KEY, SUB_KEY, "StOrAgEkEy=="] {
            assert!(!line.contains(secret), "{secret} in {line}");
        }
    }
    assert!(shown.starts_with("POST http://"), "{shown}");
    assert!(shown.contains("/jobs?api-version=2.0\n"), "{shown}");
    assert!(shown.contains("Authorization: Bearer ***\n"), "{shown}");
    assert!(
        shown.contains("Ocp-Apim-Subscription-Key: ***\n"),
        "{shown}"
    );
    assert!(
        shown.contains("Content-Type: application/json; charset=utf-8\n"),
        "{shown}"
    );
    assert!(shown.contains("AccountKey=***"), "{shown}");
}

#[tokio::test]
async fn dry_run_sends_nothing() {
    let (root, script) = serve(vec![]).await;
    let mut o = options(root);
    o.dry_run = true;
    let (c, _) = client(o);
    assert!(
        c.execute(Bytes::from_static(b"{}"), false, "scoring")
            .await
            .is_err()
    );
    assert!(script.seen.lock().unwrap().is_empty());
}

/// A raw HTTP/1.1 server on 127.0.0.1 that answers every request `200 OK_BODY`, with
/// `Connection: close` when `close` (and then closes), else keeping the connection until it
/// has been idle for `idle` (as uvicorn's keep-alive timeout). Counts the connections.
async fn raw_server(close: bool, idle: Duration) -> (Url, Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::AtomicUsize;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let count = connections.clone();
    tokio::spawn(async move {
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = Vec::new();
                loop {
                    // The head, then the body its Content-Length gives.
                    let head_end = loop {
                        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break p + 4;
                        }
                        let mut chunk = [0u8; 4096];
                        let n = match tokio::time::timeout(idle, s.read(&mut chunk)).await {
                            Ok(Ok(n)) if n > 0 => n,
                            _ => return,
                        };
                        buf.extend_from_slice(&chunk[..n]);
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map_or(0, |v| v.trim().parse().unwrap());
                    while buf.len() < head_end + len {
                        let mut chunk = [0u8; 4096];
                        let n = s.read(&mut chunk).await.unwrap();
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    buf.drain(..head_end + len);
                    let connection = if close { "connection: close\r\n" } else { "" };
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{connection}content-length: {}\r\n\r\n{OK_BODY}",
                        OK_BODY.len()
                    );
                    s.write_all(answer.as_bytes()).await.unwrap();
                    if close {
                        return;
                    }
                }
            });
        }
    });
    let root = Url::parse(&format!("http://{addr}/workspaces/w/services/s")).unwrap();
    (root, connections)
}

#[tokio::test]
async fn plain_http_connections_are_reused_and_one_the_server_closed_is_not_a_failure() {
    let (root, connections) = raw_server(false, Duration::from_millis(50)).await;
    let (c, events) = client(options(root));
    let score = || c.execute(Bytes::from_static(b"{\"Inputs\":{}}"), false, "scoring");
    score().await.unwrap();
    score().await.unwrap();
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "the second request reuses the first's connection"
    );
    // The server closes the idle connection: the next request takes a new one, no retry.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(&score().await.unwrap()[..], OK_BODY.as_bytes());
    assert_eq!(connections.load(Ordering::SeqCst), 2);
    assert!(retries(&events).is_empty());
    assert_eq!(c.stats().requests, 3);
}

#[tokio::test]
async fn plain_http_answers_that_close_their_connection_are_not_kept() {
    let (root, connections) = raw_server(true, Duration::from_secs(5)).await;
    let (c, events) = client(options(root));
    for _ in 0..3 {
        let body = c
            .execute(Bytes::from_static(b"{}"), false, "scoring")
            .await
            .unwrap();
        assert_eq!(&body[..], OK_BODY.as_bytes());
    }
    assert_eq!(connections.load(Ordering::SeqCst), 3);
    assert!(retries(&events).is_empty());
}

#[tokio::test]
async fn a_redirect_is_followed_as_before() {
    // The lean transport hands a 3xx over to reqwest, which sends the request again and
    // follows the redirect (307 keeps the method and body).
    let moved = reply(307, "").header("location", "/elsewhere");
    let (root, script) = serve(vec![moved.clone(), moved, reply(200, OK_BODY)]).await;
    let (c, events) = client(options(root));
    let body = c
        .execute(Bytes::from_static(b"{\"Inputs\":{}}"), false, "scoring")
        .await
        .unwrap();
    assert_eq!(&body[..], OK_BODY.as_bytes());
    let seen = script.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[2].uri, "/elsewhere");
    assert_eq!(
        (seen[2].method.as_str(), &seen[2].body[..]),
        ("POST", &b"{\"Inputs\":{}}"[..])
    );
    assert!(retries(&events).is_empty());
}
