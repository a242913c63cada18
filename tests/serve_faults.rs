//! Fault injection of `mlws serve` over HTTP, each fault kind on its own: injected 503s in the
//! service envelope, 429s with the gateway's exact body and `Retry-After` (with and without a
//! gateway), connections closed without an answer, fixed and random delays, 503s to BES status
//! polls; that a seed repeats its faults (and the random seed is printed so a run can be
//! repeated); that a faulted call is never scored; and what the request log records (never a
//! key, never a body).

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest;
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use support::serve::Emulator;

fn tutorial() -> String {
    json!({"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": [["This is a good day"]]}}, "GlobalParameters": {}}).to_string()
}

fn rows_body(n: usize) -> String {
    let rows: Vec<Value> = (0..n).map(|i| json!([format!("row {i}")])).collect();
    json!({"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": rows}}}).to_string()
}

/// One RRS call through `base_url` with the emulator's keys: status, headers, body text.
async fn execute(
    emu: &Emulator,
    body: String,
) -> reqwest::Result<(StatusCode, reqwest::header::HeaderMap, String)> {
    let mut req = reqwest::Client::new()
        .post(emu.execute_url("api-version=2.0"))
        .header("Authorization", format!("Bearer {}", emu.api_key))
        .header("Content-Type", "application/json");
    if let Some(k) = &emu.subscription_key {
        req = req.header("Ocp-Apim-Subscription-Key", k);
    }
    let resp = req.body(body).send().await?;
    let (status, headers) = (resp.status(), resp.headers().clone());
    Ok((status, headers, resp.text().await?))
}

fn sha256_prefix(key: &str) -> String {
    let d = sha2::Sha256::digest(key.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect::<String>()[..12].to_string()
}

#[tokio::test]
async fn injected_503s_are_throttled_envelopes_and_score_nothing() {
    let emu = Emulator::start_logged(&["--fault-503", "1", "--service", "svc1"]);
    let (status, headers, text) = execute(&emu, tutorial()).await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        headers["content-type"], "application/json; charset=utf-8",
        "the service's envelope"
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["error"]["code"], "ServiceUnavailable");
    assert_eq!(v["error"]["details"][0]["code"], "RequestThrottled");
    assert_eq!(
        v["error"]["details"][0]["message"],
        "Request was throttled for svc1 endpoint. The maximum concurrency for the endpoint is 20."
    );
    let log = emu.requests_at_least(1);
    assert_eq!(log[0]["status"], 503);
    assert_eq!(log[0]["fault"], "503");
    assert!(log[0]["rows"].is_null(), "a faulted call is not scored");
}

#[tokio::test]
async fn injected_429s_carry_the_gateway_body_and_retry_after() {
    const BODY: &str =
        r#"{ "statusCode": 429, "message": "Rate limit is exceeded. Try again in 1 seconds." }"#;
    for args in [
        &["--fault-429", "1"][..],
        &["--fault-429", "1", "--apim-suffix", "demo"],
    ] {
        let emu = Emulator::start_logged(args);
        let (status, headers, text) = execute(&emu, tutorial()).await.unwrap();
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{args:?}");
        assert_eq!(headers["retry-after"], "1", "{args:?}");
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(text, BODY, "{args:?}");
        let log = emu.requests_at_least(1);
        assert_eq!(
            (log[0]["status"].as_u64(), log[0]["fault"].as_str()),
            (Some(429), Some("429"))
        );
        assert!(log[0]["rows"].is_null());
    }
    let emu = Emulator::start(&["--fault-429", "1", "--fault-retry-after", "3"]);
    let (_, headers, text) = execute(&emu, tutorial()).await.unwrap();
    assert_eq!(headers["retry-after"], "3");
    assert!(text.contains("Try again in 3 seconds."), "{text}");
}

#[tokio::test]
async fn dropped_connections_get_no_answer_at_all() {
    for args in [
        &["--fault-drop", "1"][..],
        &["--fault-drop", "1", "--apim-suffix", "demo"],
    ] {
        let emu = Emulator::start_logged(args);
        let err = execute(&emu, tutorial())
            .await
            .expect_err("a dropped connection is no answer");
        assert!(err.status().is_none(), "{args:?}: {err:?}");
        assert!(!err.is_timeout(), "{args:?}: {err:?}");
        // The same over a raw socket: the whole request goes out, nothing at all comes back.
        let answer = raw_call(&emu);
        assert!(answer.is_empty(), "{args:?}: {answer}");
        let log = emu.requests_at_least(2);
        for line in &log {
            assert!(line["status"].is_null(), "{line}");
            assert_eq!(line["fault"], "drop");
            assert_eq!(
                line["bytes_in"].as_u64(),
                Some(tutorial().len() as u64),
                "read first"
            );
            assert!(line["rows"].is_null());
        }
    }
}

/// The tutorial call through `base_url` over a raw socket: all the bytes that came back.
fn raw_call(emu: &Emulator) -> String {
    let url = reqwest::Url::parse(&emu.execute_url("api-version=2.0")).unwrap();
    let addr = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let mut sock = std::net::TcpStream::connect(&addr).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let body = tutorial();
    let mut head = format!(
        "POST {}?{} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n",
        url.path(),
        url.query().unwrap(),
        emu.api_key,
    );
    if let Some(k) = &emu.subscription_key {
        head.push_str(&format!("Ocp-Apim-Subscription-Key: {k}\r\n"));
    }
    write!(
        sock,
        "{head}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = Vec::new();
    let read = sock.read_to_end(&mut answer);
    assert!(read.is_ok(), "{read:?}");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn fixed_and_random_delays_come_before_the_answer() {
    let emu = Emulator::start_logged(&["--fault-delay", "400"]);
    let t = Instant::now();
    let (status, _, _) = execute(&emu, tutorial()).await.unwrap();
    let took = t.elapsed();
    assert_eq!(status, StatusCode::OK);
    assert!(took >= Duration::from_millis(400), "{took:?}");
    assert!(took < Duration::from_millis(3000), "{took:?}");
    let log = emu.requests_at_least(1);
    assert_eq!(
        (log[0]["delay_ms"].as_u64(), log[0]["rows"].as_u64()),
        (Some(400), Some(1))
    );
    assert!(log[0]["ms"].as_u64().unwrap() >= 400);

    let emu = Emulator::start_logged(&["--fault-delay", "100-250", "--fault-seed", "5"]);
    for _ in 0..6 {
        let t = Instant::now();
        assert_eq!(execute(&emu, tutorial()).await.unwrap().0, StatusCode::OK);
        assert!(
            t.elapsed() >= Duration::from_millis(100),
            "{:?}",
            t.elapsed()
        );
    }
    let delays: Vec<u64> = emu
        .requests_at_least(6)
        .iter()
        .map(|l| l["delay_ms"].as_u64().unwrap())
        .collect();
    assert!(delays.iter().all(|d| (100..=250).contains(d)), "{delays:?}");
    assert!(delays.iter().any(|d| *d != delays[0]), "random: {delays:?}");
}

#[tokio::test]
async fn bes_status_polls_get_503_and_other_calls_do_not() {
    let emu = Emulator::start_logged(&["--fault-status-503", "1"]);
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}/{path}?api-version=2.0", emu.service_root(&emu.base_url));
    let auth = format!("Bearer {}", emu.api_key);
    let job = json!({"Inputs": {"input1": {"ConnectionString": emu.storage_connection_string, "RelativeLocation": "inputs/in.csv"}}});
    let resp = http
        .post(url("jobs"))
        .header("Authorization", &auth)
        .json(&job)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "a submit is not faulted");
    let id: String = resp.json().await.unwrap();
    for _ in 0..3 {
        let resp = http
            .get(url(&format!("jobs/{id}")))
            .header("Authorization", &auth)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        let v: Value = resp.json().await.unwrap();
        assert_eq!(
            (
                v["error"]["code"].as_str(),
                v["error"]["details"][0]["code"].as_str()
            ),
            (Some("ServiceUnavailable"), Some("RequestThrottled"))
        );
    }
    let resp = http
        .delete(url(&format!("jobs/{id}")))
        .header("Authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "a delete is not faulted");
    let log = emu.requests_at_least(5);
    let seen: Vec<Value> = log
        .iter()
        .map(|l| json!([l["method"], l["status"], l["fault"], l["job"]]))
        .collect();
    assert_eq!(
        seen,
        [
            json!(["POST", 200, null, id]),
            json!(["GET", 503, "status-503", id]),
            json!(["GET", 503, "status-503", id]),
            json!(["GET", 503, "status-503", id]),
            json!(["DELETE", 200, null, id]),
        ]
    );
}

/// The statuses of `n` calls, one after another, each with a different row.
async fn statuses(emu: &Emulator, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for i in 0..n {
        let body = json!({"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": [[format!("call {i}")]]}}}).to_string();
        out.push(match execute(emu, body).await {
            Ok((s, _, _)) => s.as_u16(),
            Err(_) => 0,
        });
    }
    out
}

#[tokio::test]
async fn a_seed_repeats_its_faults_and_the_random_seed_is_printed() {
    let faults = [
        "--fault-503",
        "0.3",
        "--fault-429",
        "0.2",
        "--fault-drop",
        "0.1",
    ];
    let first = Emulator::start(&faults);
    let a = statuses(&first, 40).await;
    let stderr = first.stop();
    let seed = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("faults      seed "))
        .and_then(|rest| rest.split(':').next())
        .unwrap_or_else(|| panic!("no seed in the summary:\n{stderr}"))
        .to_string();
    assert!(
        stderr.contains("503 30%, 429 20% (Retry-After 1 s), drop 10%"),
        "{stderr}"
    );
    let mut args = faults.to_vec();
    args.extend(["--fault-seed", &seed]);
    let again = Emulator::start(&args);
    assert_eq!(statuses(&again, 40).await, a, "seed {seed}");
    for kind in [200, 503, 429, 0] {
        assert!(a.contains(&kind), "no {kind} in {a:?}");
    }
    let other_seed = (seed.parse::<u64>().unwrap() ^ 1).to_string();
    args.truncate(faults.len());
    args.extend(["--fault-seed", &other_seed]);
    let other = Emulator::start(&args);
    assert_ne!(statuses(&other, 40).await, a);
}

#[tokio::test]
async fn only_the_answered_calls_are_scored() {
    let emu = Emulator::start_logged(&[
        "--fault-503",
        "0.3",
        "--fault-429",
        "0.2",
        "--fault-drop",
        "0.2",
        "--fault-seed",
        "11",
    ]);
    // Ten calls of 1..=10 rows, each tried until it is answered 200.
    let mut tries = 0;
    for n in 1..=10 {
        loop {
            tries += 1;
            if let Ok((StatusCode::OK, _, text)) = execute(&emu, rows_body(n)).await {
                let v: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(
                    v["Results"]["output1"]["value"]["Values"]
                        .as_array()
                        .unwrap()
                        .len(),
                    n
                );
                break;
            }
            assert!(tries < 500, "never answered");
        }
    }
    assert!(tries > 10, "the seed injected no fault");
    let log = emu.requests_at_least(tries);
    assert_eq!(log.len(), tries);
    let scored: u64 = log.iter().filter_map(|l| l["rows"].as_u64()).sum();
    assert_eq!(scored, 55, "1 + 2 + ... + 10 rows, each scored once");
    for line in &log {
        assert_eq!(line["fault"].is_null(), line["status"] == 200, "{line}");
    }
}

#[tokio::test]
async fn the_log_holds_key_hashes_never_keys() {
    let emu = Emulator::start_logged(&[
        "--apim-suffix",
        "demo",
        "--api-key",
        "dGhlLWFwaS1rZXk=",
        "--subscription-key",
        "0123456789abcdef0123456789abcdef",
    ]);
    assert_eq!(execute(&emu, tutorial()).await.unwrap().0, StatusCode::OK);
    // The subscription key in the query, as some clients send it.
    let url = format!(
        "{}&subscription-key=0123456789abcdef0123456789abcdef",
        emu.execute_url("api-version=2.0")
    );
    let resp = reqwest::Client::new()
        .post(url)
        .header("Authorization", "Bearer wrong-key")
        .body(tutorial())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    // A blob request signed with the account key.
    let storage = support::serve::Storage::from_connection_string(&emu.storage_connection_string);
    storage.put("inputs/in.csv", "Col2\nhello\n").await;
    let log = emu.requests_at_least(4);
    let text = emu.request_log_text();
    let account_key = emu
        .storage_connection_string
        .split(';')
        .find_map(|p| p.strip_prefix("AccountKey="))
        .unwrap();
    for secret in [
        "dGhlLWFwaS1rZXk=",
        "0123456789abcdef0123456789abcdef",
        "wrong-key",
        account_key,
        "This is a good day",
        "hello",
    ] {
        assert!(!text.contains(secret), "`{secret}` in the log:\n{text}");
    }
    assert_eq!(log[0]["api_key"], sha256_prefix("dGhlLWFwaS1rZXk="));
    assert_eq!(
        log[0]["subscription_key"],
        sha256_prefix("0123456789abcdef0123456789abcdef")
    );
    assert_eq!(
        log[0]["path"],
        format!(
            "/demo/workspaces/{}/services/{}/execute",
            emu.workspace, emu.service
        )
    );
    assert_eq!(log[0]["query"], "api-version=2.0");
    assert_eq!(log[0]["rows"], 1);
    assert_eq!(log[1]["status"], 401);
    assert_eq!(log[1]["api_key"], sha256_prefix("wrong-key"));
    assert_eq!(log[1]["query"], "api-version=2.0&subscription-key=***");
    assert_eq!(
        log[1]["subscription_key"],
        sha256_prefix("0123456789abcdef0123456789abcdef")
    );
    let blob = &log[log.len() - 1];
    assert_eq!(blob["method"], "PUT");
    assert_eq!(blob["status"], 201);
    assert_eq!(blob["bytes_in"], 11);
    assert!(blob["authorization"].as_str().unwrap().len() == 12 && blob["api_key"].is_null());
}
