//! Client behaviour under the faults that `tests.rs`'s axum scripts cannot make: connections
//! closed with no answer after the request was read (a raw HTTP/1.1 server on 127.0.0.1:0), and
//! throttling seen through the gate of requests in flight.

use super::tests::{Events, client};
use super::*;
use crate::error::{ExitStatus, exit_status};
use crate::wire::JobRequest;
use std::collections::VecDeque;
use std::sync::Mutex;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

const OK_BODY: &str =
    r#"{"Results":{"output1":{"type":"table","value":{"ColumnNames":["a"],"Values":[["1"]]}}}}"#;
const BUSY: &str = r#"{"error":{"code":"ServiceUnavailable","message":"Service is temporarily unavailable.","details":[{"code":"RequestThrottled","message":"Request was throttled."}]}}"#;
const RATE: &str =
    r#"{"statusCode":429,"message":"Rate limit is exceeded. Try again in 0 seconds."}"#;

/// What the raw server does with the next request it reads.
enum Act {
    /// Closes the connection without a byte of answer.
    Drop,
    /// Answers `status` with `body` (and `Retry-After: 0` for 429 and 503).
    Answer(u16, &'static str),
}

#[derive(Default)]
struct Raw {
    acts: Mutex<VecDeque<Act>>,
    /// The request lines read, in order.
    seen: Mutex<Vec<String>>,
}

async fn raw_server(acts: Vec<Act>) -> (Url, Arc<Raw>) {
    let raw = Arc::new(Raw {
        acts: Mutex::new(acts.into()),
        seen: Mutex::default(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let r = raw.clone();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            tokio::spawn(connection(stream, r.clone()));
        }
    });
    let root = Url::parse(&format!("http://{addr}/workspaces/w/services/s")).unwrap();
    (root, raw)
}

/// Serves requests on one kept-alive connection until the client closes it or a `Drop`.
async fn connection(stream: tokio::net::TcpStream, raw: Arc<Raw>) {
    let mut stream = BufReader::new(stream);
    loop {
        let mut first = String::new();
        if stream.read_line(&mut first).await.unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0;
        loop {
            let mut line = String::new();
            stream.read_line(&mut line).await.unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        stream.read_exact(&mut body).await.unwrap();
        raw.seen.lock().unwrap().push(first.trim_end().to_string());
        let act = raw.acts.lock().unwrap().pop_front();
        let (status, text) = match act {
            Some(Act::Drop) => return,
            Some(Act::Answer(status, text)) => (status, text),
            None => (200, OK_BODY),
        };
        let retry_after = if matches!(status, 429 | 503) {
            "retry-after: 0\r\n"
        } else {
            ""
        };
        let answer = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{retry_after}content-length: {}\r\n\r\n{text}",
            text.len()
        );
        stream.get_mut().write_all(answer.as_bytes()).await.unwrap();
    }
}

fn options(root: Url) -> ClientOptions {
    let mut o = ClientOptions::new(root);
    o.api_key = Some(Secret::new("k"));
    o.timeout = Duration::from_secs(5);
    o.retries = 3;
    o.trace_level = 2;
    o.backoff = Backoff {
        base: Duration::from_millis(10),
        cap: Duration::from_millis(40),
        max_throttle_waits: 100,
    };
    o
}

fn lines(events: &Events, pick: fn(&ClientEvent) -> Option<String>) -> Vec<String> {
    events.lock().unwrap().iter().filter_map(pick).collect()
}

fn retry_reason(e: &ClientEvent) -> Option<String> {
    match e {
        ClientEvent::Retry { reason, .. } => Some(reason.clone()),
        _ => None,
    }
}

fn trace_line(e: &ClientEvent) -> Option<String> {
    match e {
        ClientEvent::Trace { line, .. } => Some(line.clone()),
        _ => None,
    }
}

#[tokio::test]
async fn a_dropped_connection_is_sent_again_for_scoring_but_never_for_a_submit() {
    let (root, raw) = raw_server(vec![Act::Drop, Act::Drop]).await;
    let (c, events) = client(options(root));
    let body = c
        .execute(Bytes::from_static(b"{}"), false, "scoring input line 2")
        .await
        .unwrap();
    assert_eq!(body, OK_BODY.as_bytes());
    assert_eq!(raw.seen.lock().unwrap().len(), 3);
    let reasons = lines(&events, retry_reason);
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].starts_with("scoring input line 2: the connection failed"),
        "{reasons:?}"
    );
    assert_eq!(
        c.stats(),
        ClientStats {
            requests: 3,
            retries: 2,
            throttled: 0
        }
    );

    // The same loss after a submit was sent: the job may exist, so it is not sent again.
    let (root, raw) = raw_server(vec![Act::Drop, Act::Answer(200, "\"job1\"")]).await;
    let (c, events) = client(options(root));
    let err = c.submit_job(&JobRequest::default()).await.unwrap_err();
    let g = err.downcast_ref::<GaveUp>().expect("GaveUp");
    assert!(
        !g.timed_out && g.message.contains("submitting") && g.message.contains("not tried again"),
        "{g}"
    );
    assert_eq!(exit_status(&err), ExitStatus::Unavailable);
    assert_eq!(raw.seen.lock().unwrap().len(), 1);
    assert!(lines(&events, retry_reason).is_empty());
}

#[tokio::test]
async fn dropped_connections_use_up_the_error_budget() {
    let (root, raw) = raw_server((0..4).map(|_| Act::Drop).collect()).await;
    let mut o = options(root);
    o.retries = 2;
    let (c, _) = client(o);
    let err = c
        .execute(Bytes::from_static(b"{}"), false, "scoring input lines 2-11")
        .await
        .unwrap_err();
    let g = err.downcast_ref::<GaveUp>().expect("GaveUp");
    assert!(
        g.message
            .starts_with("scoring input lines 2-11 failed: the connection failed")
            && g.message.ends_with("(after 3 tries)"),
        "{g}"
    );
    assert_eq!(exit_status(&err), ExitStatus::Unavailable);
    assert_eq!(raw.seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn throttling_lowers_the_gate_and_429s_do_not_use_the_error_budget() {
    let (root, raw) = raw_server(vec![
        Act::Answer(503, BUSY),
        Act::Answer(429, RATE),
        Act::Answer(429, RATE),
        Act::Drop,
    ])
    .await;
    let mut o = options(root);
    // One error retry: the 503 takes it; the 429s are waited out apart; the drop then exhausts it.
    o.retries = 1;
    let (c, events) = client(o);
    let gate = Limiter::new(8);
    let err = c
        .execute_within(gate.gate(1), Bytes::from_static(b"{}"), false, "scoring")
        .await
        .unwrap_err();
    assert!(err.downcast_ref::<GaveUp>().is_some(), "{err:#}");
    assert_eq!(raw.seen.lock().unwrap().len(), 4);
    // Each throttled try was sent after the previous cut: 8 -> 4 -> 2 -> 1. A drop is no
    // throttling sign and leaves the limit.
    assert_eq!((gate.limit(), gate.lowest(), gate.cuts()), (1, 1, 3));
    assert_eq!(
        c.stats(),
        ClientStats {
            requests: 4,
            retries: 3,
            throttled: 3
        }
    );
    let traces = lines(&events, trace_line);
    assert!(
        traces.contains(
            &"the service is throttling: requests in flight lowered from 8 to 4".to_string()
        ),
        "{traces:?}"
    );

    // Successes raise it again, one at a time, each after a run as long as the limit.
    let (root, _) = raw_server(vec![]).await;
    let (c, events) = client(options(root));
    for _ in 0..3 {
        c.execute_within(gate.gate(1), Bytes::from_static(b"{}"), false, "scoring")
            .await
            .unwrap();
    }
    assert_eq!(gate.limit(), 3);
    let traces = lines(&events, trace_line);
    assert!(
        traces.contains(&"requests in flight raised to 3".to_string()),
        "{traces:?}"
    );
}

#[tokio::test]
async fn waiting_for_a_slot_counts_against_the_deadline() {
    let (root, raw) = raw_server(vec![]).await;
    let mut o = options(root);
    o.deadline = Some(Duration::from_millis(300));
    let (c, _) = client(o);
    let gate = Limiter::new(1);
    let held = gate.acquire(0).await;
    let t0 = Instant::now();
    let err = c
        .execute_within(
            gate.gate(1),
            Bytes::from_static(b"{}"),
            false,
            "scoring line 2",
        )
        .await
        .unwrap_err();
    assert!(t0.elapsed() < Duration::from_secs(2));
    let g = err.downcast_ref::<GaveUp>().expect("GaveUp");
    assert!(
        g.timed_out
            && g.message.starts_with(
                "gave up scoring line 2 before its first try: no slot for a request came free"
            ),
        "{g}"
    );
    assert_eq!(exit_status(&err), ExitStatus::TimedOut);
    assert!(raw.seen.lock().unwrap().is_empty());
    drop(held);
}
