//! `mlws rrs execute` end to end against a small fake scoring service started in this test
//! process (axum on 127.0.0.1:0): its output is the input column `Col2` and `Col2_len`, the
//! length of the text, so that every answer can be checked locally. The sandbox scrubs `MLWS_*`
//! variables and uses an empty config file.

mod support;

use support::sandbox::ServiceSandbox as Sandbox;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const KEY: &str = "tEsT-kEy-0123456789==";

/// A scripted failure: status, body, `Retry-After`.
type Failure = (u16, String, Option<String>);

#[derive(Default)]
struct Fake {
    requests: AtomicUsize,
    /// Request number (1-based) -> (status, body, Retry-After) to answer instead of scoring.
    fail: Mutex<HashMap<usize, Failure>>,
    /// Every `Col2` value received, in arrival order.
    received: Mutex<Vec<String>>,
    max_delay_ms: u64,
    /// Answer one row fewer than asked.
    drop_a_row: bool,
    /// Answer 413 to a batch of more rows than this.
    max_rows: Option<usize>,
    /// Answer 400 to a batch holding a row with this text.
    refuse: Option<&'static str>,
}

async fn execute(
    State(fake): State<Arc<Fake>>,
    Path((_ws, _svc)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let n = fake.requests.fetch_add(1, Ordering::SeqCst) + 1;
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {KEY}"))
    {
        let e = json!({"error":{"code":"Unauthorized","message":"Request is unauthorized to access resource.","details":[{"code":"ScoreRequestUnauthorized","message":"Invalid credentials provided."}]}});
        return (StatusCode::UNAUTHORIZED, Json(e)).into_response();
    }
    if let Some((status, text, retry_after)) = fake.fail.lock().unwrap().get(&n).cloned() {
        let mut r = (StatusCode::from_u16(status).unwrap(), text).into_response();
        if let Some(ra) = retry_after {
            r.headers_mut().insert("retry-after", ra.parse().unwrap());
        }
        return r;
    }
    if fake.max_delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fastrand::u64(0..fake.max_delay_ms))).await;
    }
    let swagger = q.get("format").map(String::as_str) == Some("swagger");
    let input = &body["Inputs"]["input1"];
    let texts: Vec<String> = if swagger {
        input
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["Col2"].as_str().unwrap().to_string())
            .collect()
    } else {
        let names = input["ColumnNames"].as_array().unwrap();
        let at = names.iter().position(|c| c == "Col2").unwrap();
        input["Values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[at].as_str().unwrap().to_string())
            .collect()
    };
    if fake.max_rows.is_some_and(|m| texts.len() > m) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "Request Entity Too Large").into_response();
    }
    if let Some(bad) = fake.refuse
        && texts.iter().any(|t| t == bad)
    {
        let e = json!({"error":{"code":"BadArgument","message":"Invalid argument provided.","details":[{"code":"InputParseError","message":"Parsing of input vector failed."}]}});
        return (StatusCode::BAD_REQUEST, Json(e)).into_response();
    }
    fake.received.lock().unwrap().extend(texts.iter().cloned());
    let keep = if fake.drop_a_row {
        texts.len().saturating_sub(1)
    } else {
        texts.len()
    };
    let rows = texts[..keep]
        .iter()
        .map(|t| (t.clone(), t.chars().count().to_string()));
    let output = if swagger {
        json!(
            rows.map(|(t, n)| json!({"Col2": t, "Col2_len": n}))
                .collect::<Vec<_>>()
        )
    } else {
        json!({"type": "table", "value": {"ColumnNames": ["Col2", "Col2_len"], "ColumnTypes": ["String", "Int32"],
            "Values": rows.map(|(t, n)| json!([t, n])).collect::<Vec<_>>()}})
    };
    Json(json!({"Results": {"output1": output}})).into_response()
}

fn start(fake: Fake) -> (String, Arc<Fake>) {
    let fake = Arc::new(fake);
    let app = axum::Router::new()
        .route(
            "/workspaces/{ws}/services/{svc}/execute",
            axum::routing::post(execute),
        )
        .with_state(fake.clone());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (format!("http://{}", rx.recv().unwrap()), fake)
}

fn csv_of(texts: &[String]) -> String {
    let mut s = "Col2\n".to_string();
    for t in texts {
        s.push_str(t);
        s.push('\n');
    }
    s
}

fn expected(texts: &[String]) -> String {
    let mut s = "Col2,Col2_len\n".to_string();
    for t in texts {
        s.push_str(&format!("{t},{}\n", t.chars().count()));
    }
    s
}

fn texts(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("row {i} {}", "é".repeat(i % 7)))
        .collect()
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn twenty_thousand_rows_come_back_in_input_order_under_concurrency() {
    let (base, fake) = start(Fake {
        max_delay_ms: 15,
        ..Fake::default()
    });
    let sb = Sandbox::new(&base, KEY);
    let rows = texts(20_500);
    let out = sb
        .cmd(&["--batch-size", "250", "--concurrency", "8", "-v"])
        .write_stdin(csv_of(&rows))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stdout_of(&out) == expected(&rows),
        "output differs from the expectation"
    );
    assert_eq!(fake.requests.load(Ordering::SeqCst), 82);
    assert!(
        stderr_of(&out).contains("20500 rows in, 20500 rows out, 82 requests, 0 retries"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_record_scores_one_row_and_json_and_table_outputs_work() {
    let (base, _) = start(Fake::default());
    let sb = Sandbox::new(&base, KEY);
    let out = sb
        .cmd(&["--record", "Col2=This is a good day"])
        .output()
        .unwrap();
    assert_eq!(stdout_of(&out), "Col2,Col2_len\nThis is a good day,18\n");
    let out = sb
        .cmd(&["--record", "Col2=a, b", "-f", "json", "--swagger"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, json!([{"Col2": "a, b", "Col2_len": "4"}]));
    std::fs::write(sb.path("in.json"), r#"[{"Col2": "x"}, {"Col2": "yy"}]"#).unwrap();
    let out = sb
        .cmd(&["--input", "in.json", "-f", "table"])
        .output()
        .unwrap();
    assert_eq!(
        stdout_of(&out),
        "Col2  Col2_len\nx     1\nyy    2\n",
        "{}",
        stderr_of(&out)
    );
    // A header-only input asks the service for the output columns with zero rows.
    let out = sb.cmd(&[]).write_stdin("Col2\n").output().unwrap();
    assert_eq!(stdout_of(&out), "Col2,Col2_len\n", "{}", stderr_of(&out));
    // Formats follow the file extensions.
    std::fs::write(sb.path("in.tsv"), "x\tCol2\n1\ta b\n").unwrap();
    let out = sb.cmd(&["-i", "in.tsv", "-o", "out.tsv"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        std::fs::read_to_string(sb.path("out.tsv")).unwrap(),
        "Col2\tCol2_len\na b\t3\n"
    );
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let (base, fake) = start(Fake::default());
    let sb = Sandbox::new(&base, KEY);
    let rows = texts(95);
    std::fs::write(sb.path("in.csv"), csv_of(&rows)).unwrap();
    let out = sb
        .cmd(&["-i", "in.csv", "-o", "out.csv", "--batch-size", "10"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        std::fs::read_to_string(sb.path("out.csv")).unwrap(),
        expected(&rows)
    );
    assert!(out.stdout.is_empty());

    // The 4th request is refused: rows 31-40 (lines 32-41) and everything after are unscored.
    let before = fake.requests.load(Ordering::SeqCst);
    let refuse = r#"{"error":{"code":"Unauthorized","message":"Request is unauthorized to access resource.","details":[]}}"#;
    fake.fail
        .lock()
        .unwrap()
        .insert(before + 4, (401, refuse.into(), None));
    let out = sb
        .cmd(&[
            "-i",
            "in.csv",
            "-o",
            "again.csv",
            "--batch-size",
            "10",
            "--concurrency",
            "1",
            "--failed-rows",
            "failed.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains(
            "scoring stopped: input lines from 32 on were not scored; they are in `failed.csv`"
        ),
        "{err}"
    );
    assert!(
        err.contains("scoring input lines 32-41 failed: the service answered 401 Unauthorized"),
        "{err}"
    );
    assert!(err.contains("hint: check the API key"), "{err}");
    assert!(!sb.path("again.csv").exists());
    let leftovers: Vec<_> = std::fs::read_dir(sb.inner.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().contains("tmp")),
        "{leftovers:?}"
    );
    assert_eq!(
        std::fs::read_to_string(sb.path("failed.csv")).unwrap(),
        csv_of(&rows[30..])
    );
}

#[test]
fn a_malformed_row_is_reported_before_its_batch_is_sent() {
    let (base, fake) = start(Fake::default());
    let sb = Sandbox::new(&base, KEY);
    let mut input = csv_of(&texts(55));
    input.push_str("\"unclosed\n");
    input.push_str(&csv_of(&texts(10))[5..]);
    let out = sb
        .cmd(&["--batch-size", "10", "--concurrency", "2"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("<stdin>:57:1: this quoted field is never closed"),
        "{err}"
    );
    assert!(
        err.contains("input lines from 52 on were not scored"),
        "{err}"
    );
    let received = fake.received.lock().unwrap().clone();
    assert_eq!(received.len(), 50, "rows of the malformed batch were sent");
    assert_eq!(stdout_of(&out), expected(&texts(50)));
}

#[test]
fn retries_are_one_warning_line_each_and_throttling_exhausted_is_exit_4() {
    let (base, fake) = start(Fake::default());
    let sb = Sandbox::new(&base, KEY);
    let busy = r#"{"error":{"code":"ServiceUnavailable","message":"Service is temporarily unavailable.","details":[{"code":"RequestThrottled","message":"Request was throttled."}]}}"#;
    fake.fail
        .lock()
        .unwrap()
        .insert(1, (503, busy.into(), Some("0".into())));
    let out = sb.cmd(&["--record", "Col2=x"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with(
            "mlws: warning: scoring input line 1: the service answered 503 RequestThrottled"
        ),
        "{err}"
    );
    assert!(
        lines[1].starts_with("mlws: 1 rows in, 1 rows out, 2 requests, 1 retries, 1 throttled, ")
            && lines[1].ends_with("s elapsed, concurrency 4 (lowest 2)"),
        "{err}"
    );

    for n in 3..=4 {
        fake.fail
            .lock()
            .unwrap()
            .insert(n, (503, busy.into(), Some("0".into())));
    }
    let out = Sandbox::new(&base, KEY)
        .cmd(&["--record", "Col2=x", "--retries", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out)
            .contains("hint: the endpoint kept throttling even with fewer requests in flight"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_wrong_row_count_from_the_service_fails_the_command() {
    let (base, _) = start(Fake {
        drop_a_row: true,
        ..Fake::default()
    });
    let out = Sandbox::new(&base, KEY)
        .cmd(&[])
        .write_stdin("Col2\na\nb\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("the service answered 1 rows for input lines 2-3, which hold 2"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn dry_run_prints_the_requests_masked_and_sends_nothing() {
    let (base, fake) = start(Fake::default());
    let sb = Sandbox::new(&base, KEY);
    let out = sb
        .cmd(&[
            "--dry-run",
            "--batch-size",
            "2",
            "--param",
            "N-grams=3",
            "--subscription-key",
            "sUb-KeY",
        ])
        .write_stdin("Col2\na\nb\nc\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert_eq!(text.matches("POST ").count(), 2, "{text}");
    assert!(
        text.starts_with(&format!(
            "POST {base}/workspaces/ws/services/svc/execute?api-version=2.0&details=true\n"
        )),
        "{text}"
    );
    assert!(
        text.contains("Authorization: Bearer ***\n")
            && text.contains("Ocp-Apim-Subscription-Key: ***\n"),
        "{text}"
    );
    assert!(text.contains(r#"{"Inputs":{"input1":{"ColumnNames":["Col2"],"Values":[["a"],["b"]]}},"GlobalParameters":{"N-grams":"3"}}"#), "{text}");
    assert!(!text.contains(KEY) && !text.contains("sUb-KeY"));
    assert_eq!(fake.requests.load(Ordering::SeqCst), 0);
}

#[test]
fn no_secret_appears_at_vvv() {
    let (base, fake) = start(Fake::default());
    fake.fail
        .lock()
        .unwrap()
        .insert(1, (500, format!("echo {KEY}"), Some("0".into())));
    let out = Sandbox::new(&base, KEY)
        .cmd(&[
            "-vvv",
            "--record",
            "Col2=x",
            "--subscription-key",
            "sUb-KeY",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("> POST ")
            && err.contains("> Authorization: Bearer ***")
            && err.contains("< {\"Results\""),
        "{err}"
    );
    assert!(!err.contains(KEY) && !err.contains("sUb-KeY"), "{err}");
}

#[test]
fn a_closed_stdout_is_success() {
    let (base, _) = start(Fake::default());
    let sb = Sandbox::new(&base, KEY);
    std::fs::write(sb.path("in.csv"), csv_of(&texts(5000))).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("mlws");
    let script = format!(
        "set -o pipefail; '{}' --base-url {base} --workspace ws --service svc --api-key {KEY} rrs execute -i in.csv --batch-size 100 | head -n 3",
        bin.display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .env("MLWS_CONFIG", sb.path("config.toml"))
        .current_dir(sb.inner.dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out).lines().count(), 3);
    // Nothing on stderr but the summary: the closed pipe is no error.
    let err = stderr_of(&out);
    assert!(
        err.lines().count() == 1 && err.starts_with("mlws: ") && err.contains(" rows out, "),
        "{err}"
    );
}

#[test]
fn missing_settings_and_bad_flags_are_usage_errors() {
    let (base, _) = start(Fake::default());
    let sb = Sandbox::new(&base, KEY);
    let mut c = sb.inner.cmd();
    let out = c
        .args([
            "--base-url",
            &base,
            "--workspace",
            "ws",
            "--service",
            "svc",
            "rrs",
            "execute",
            "--record",
            "Col2=x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("no API key"),
        "{}",
        stderr_of(&out)
    );
    let out = sb
        .cmd(&["--param", "a=1", "--param", "a=2", "--record", "Col2=x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = sb.cmd(&["-i", "missing.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("cannot open the input `missing.csv`"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_413_splits_a_classic_batch_until_it_is_taken() {
    let (base, fake) = start(Fake {
        max_rows: Some(3),
        ..Fake::default()
    });
    let sb = Sandbox::new(&base, KEY);
    let rows = texts(100);
    for format in ["csv", "json"] {
        let input = if format == "csv" {
            csv_of(&rows)
        } else {
            let objs: Vec<Value> = rows.iter().map(|t| json!({"Col2": t})).collect();
            serde_json::to_string_pretty(&objs).unwrap()
        };
        let out = sb
            .cmd(&["--batch-size", "25", "--input-format", format])
            .write_stdin(input)
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}: {}", stderr_of(&out));
        assert!(
            stdout_of(&out) == expected(&rows),
            "{format}: output differs"
        );
    }
    assert_eq!(
        fake.received.lock().unwrap().len(),
        200,
        "every row scored once"
    );
}

#[test]
fn refused_classic_rows_are_isolated_with_their_lines() {
    let (base, _fake) = start(Fake {
        refuse: Some("bad"),
        ..Fake::default()
    });
    let sb = Sandbox::new(&base, KEY);
    let mut rows = texts(30);
    rows[4] = "bad".into();
    rows[21] = "bad".into();
    let failed = sb.path("failed.csv");
    let out = sb
        .cmd(&["--batch-size", "10", "--on-bad-row", "skip"])
        .args(["--failed-rows", failed.to_str().unwrap()])
        .write_stdin(csv_of(&rows))
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    let good: Vec<String> = rows.iter().filter(|t| *t != "bad").cloned().collect();
    assert!(stdout_of(&out) == expected(&good), "output differs");
    assert_eq!(
        std::fs::read_to_string(&failed).unwrap(),
        "Col2\nbad\nbad\n"
    );
    assert!(
        err.contains("<stdin>:6: refused:") && err.contains("<stdin>:23: refused:"),
        "{err}"
    );
    assert!(err.contains("2 rows refused"), "{err}");
}
