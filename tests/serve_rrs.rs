//! `mlws serve` as a service host: the start-up line, the documented row in both body formats,
//! `GlobalParameters`, swagger.json, and every error answer of the service (`protocol.md` §2–4).

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::serve::Emulator;

const TUTORIAL_ROW: [&str; 9] = ["This is a good day", "1", "1", "2", "2", "0", "2", "0", "1"];

fn table_body(names: Value, values: Value) -> Value {
    json!({"Inputs": {"input1": {"ColumnNames": names, "Values": values}}, "GlobalParameters": {}})
}

fn tutorial() -> Value {
    table_body(json!(["Col2"]), json!([["This is a good day"]]))
}

/// POSTs `body` (JSON or raw text) with `Authorization: Bearer key` when given.
async fn post(
    url: &str,
    key: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut req = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "application/json");
    if let Some(k) = key {
        req = req.header("Authorization", format!("Bearer {k}"));
    }
    let resp = req.body(body).send().await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let text = resp.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, headers, v)
}

fn error_codes(v: &Value) -> (&str, &str) {
    (
        v["error"]["code"].as_str().unwrap(),
        v["error"]["details"][0]["code"].as_str().unwrap(),
    )
}

#[test]
fn start_up_line_has_the_documented_fields() {
    let emu = Emulator::start(&[]);
    let keys: Vec<&String> = emu.info.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "base_url",
            "workspace",
            "service",
            "api_key",
            "storage_connection_string",
            "protocol",
            "url"
        ]
    );
    assert_eq!(emu.info["protocol"], "classic");
    assert_eq!(emu.url, emu.execute_url("api-version=2.0"));
    assert!(
        emu.base_url.starts_with("http://127.0.0.1:"),
        "{}",
        emu.base_url
    );
    for id in [&emu.workspace, &emu.service] {
        assert!(
            id.len() == 32
                && id
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
            "{id}"
        );
    }
    assert_eq!(emu.api_key.len(), 88);
    assert!(emu.api_key.ends_with("=="));
    let given = Emulator::start(&["--workspace", "ws1", "--service", "svc1", "--api-key", "k1"]);
    assert_eq!(
        (
            given.workspace.as_str(),
            given.service.as_str(),
            given.api_key.as_str()
        ),
        ("ws1", "svc1", "k1")
    );
}

#[test]
fn bad_serve_flags_exit_2() {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_mlws"))
        .args(["serve", "--listen", "127.0.0.1:0", "--max-concurrency", "0"])
        .assert()
        .code(2)
        .stdout("");
}

#[tokio::test]
async fn the_documented_row_with_and_without_details() {
    let emu = Emulator::start(&[]);
    let (s, h, v) = post(
        &emu.execute_url("api-version=2.0&details=true"),
        Some(&emu.api_key),
        tutorial().to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(h["content-type"], "application/json; charset=utf-8");
    assert_eq!(h["x-ms-request-id"].len(), 36);
    let value = &v["Results"]["output1"]["value"];
    assert_eq!(v["Results"]["output1"]["type"], "table");
    let mut names = vec!["Col2".to_string()];
    names.extend((0..8).map(|j| format!("Col2_HashingFeature.{j}")));
    assert_eq!(value["ColumnNames"], json!(names));
    assert_eq!(
        value["ColumnTypes"],
        json!([
            "String", "Int32", "Int32", "Int32", "Int32", "Int32", "Int32", "Int32", "Int32"
        ])
    );
    assert_eq!(value["Values"], json!([TUTORIAL_ROW]));

    let (s, _, v) = post(
        &emu.execute_url("api-version=2.0"),
        Some(&emu.api_key),
        tutorial().to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v,
        json!({"Results": {"output1": {"type": "table", "value": {"Values": [TUTORIAL_ROW]}}}})
    );
}

#[tokio::test]
async fn swagger_format_rows_in_and_out() {
    let emu = Emulator::start(&[]);
    let body = json!({"Inputs": {"input1": [{"Col2": "This is a good day", "Other": 5}, {"Col2": null}]}, "GlobalParameters": {}});
    let (s, _, v) = post(
        &emu.execute_url("api-version=2.0&format=swagger"),
        Some(&emu.api_key),
        body.to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let rows = v["Results"]["output1"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let first: Vec<(&String, &Value)> = rows[0].as_object().unwrap().iter().collect();
    assert_eq!(
        first[0],
        (&"Col2".to_string(), &json!("This is a good day"))
    );
    assert_eq!(
        first[8],
        (&"Col2_HashingFeature.7".to_string(), &json!("1"))
    );
    let cells: Vec<&str> = first.iter().map(|(_, c)| c.as_str().unwrap()).collect();
    assert_eq!(cells, TUTORIAL_ROW);
    assert_eq!(rows[1]["Col2"], "");
}

#[tokio::test]
async fn global_parameters_and_serve_defaults_set_the_hashing() {
    let emu = Emulator::start(&["--bits", "4", "--ngrams", "3"]);
    // Vector 2 of vectors/feature_hashing.json: bits 4, N-grams 3.
    let want = json!([
        "This is a good day",
        "2",
        "1",
        "2",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "1",
        "2",
        "1",
        "2",
        "0",
        "1"
    ]);
    let (s, _, v) = post(
        &emu.execute_url("api-version=2.0"),
        Some(&emu.api_key),
        tutorial().to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["Results"]["output1"]["value"]["Values"][0], want);
    let mut body = tutorial();
    body["GlobalParameters"] = json!({"Hashing bitsize": "3", "N-grams": 2});
    let (s, _, v) = post(
        &emu.execute_url("api-version=2.0"),
        Some(&emu.api_key),
        body.to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v["Results"]["output1"]["value"]["Values"][0],
        json!(TUTORIAL_ROW)
    );
}

#[tokio::test]
async fn swagger_json_needs_no_key() {
    let emu = Emulator::start(&[]);
    let url = format!("{}/swagger.json", emu.service_root(&emu.base_url));
    let resp = reqwest::get(&url).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let doc: Value = resp.json().await.unwrap();
    assert_eq!(
        doc["definitions"]["input1Item"]["properties"]["Col2"]["type"],
        "string"
    );
    let out = doc["definitions"]["output1Item"]["properties"]
        .as_object()
        .unwrap();
    assert_eq!(out.len(), 9);
    assert_eq!(out["Col2_HashingFeature.7"]["format"], "int32");
}

#[tokio::test]
async fn bad_requests_get_400_with_the_documented_codes() {
    let emu = Emulator::start(&[]);
    let url = emu.execute_url("api-version=2.0");
    let key = Some(emu.api_key.as_str());
    let cases: Vec<(String, String, (&str, &str))> = vec![
        (url.clone(), table_body(json!(["Col1"]), json!([["x"]])).to_string(), ("BadUserArgument", "InputParseError")),
        (url.clone(), table_body(json!(["Col1", "Col2"]), json!([["x", "y"], ["z"]])).to_string(), ("BadUserArgument", "InputParseError")),
        (emu.execute_url("details=true"), tutorial().to_string(), ("BadArgument", "BadVersionCall")),
        (emu.execute_url("api-version=2.1"), tutorial().to_string(), ("BadArgument", "BadVersionCall")),
        (url.clone(), "{\"Inputs\": ".to_string(), ("BadArgument", "RequestBodyInvalid")),
        (url.clone(), json!({"Inputs": {"input1": 5}}).to_string(), ("BadArgument", "RequestBodyInvalid")),
        (url.clone(), json!({"Inputs": {"input2": {"ColumnNames": ["Col2"], "Values": [["x"]]}}}).to_string(), ("BadArgument", "InvalidInputNames")),
        (url.clone(), json!({"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": [["x"]]}}, "GlobalParameters": {"Bits": 3}}).to_string(), ("BadUserArgument", "UnexpectedParameter")),
        (url.clone(), json!({"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": [["x"]]}}, "GlobalParameters": {"N-grams": 11}}).to_string(), ("BadUserArgument", "UserParameterInvalid")),
        (url.clone(), json!({"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": [["x"]]}}, "GlobalParameters": {"Hashing bitsize": 31}}).to_string(), ("ModuleExecutionError", "OutputTooLarge")),
    ];
    for (url, body, want) in cases {
        let (s, h, v) = post(&url, key, body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert_eq!(error_codes(&v), want, "{body}: {v}");
        assert!(v["error"]["details"][0]["message"].as_str().unwrap().len() > 10);
        assert!(h.contains_key("x-ms-request-id"));
    }
    let (_, _, v) = post(
        &url,
        key,
        table_body(json!(["Col1"]), json!([["x"]])).to_string(),
    )
    .await;
    let msg = v["error"]["details"][0]["message"].as_str().unwrap();
    assert!(msg.contains("'Col2' is missing"), "{msg}");
}

#[tokio::test]
async fn wrong_or_missing_key_is_401_with_the_exact_body() {
    let emu = Emulator::start(&[]);
    let want = json!({"error": {"code": "Unauthorized", "message": "Request is unauthorized to access resource.",
        "details": [{"code": "ScoreRequestUnauthorized", "message": "Invalid credentials provided."}]}});
    let url = emu.execute_url("api-version=2.0");
    for key in [None, Some("wrong")] {
        let (s, _, v) = post(&url, key, tutorial().to_string()).await;
        assert_eq!((s, v), (StatusCode::UNAUTHORIZED, want.clone()));
    }
    // Header name and scheme in any case, as the `azureml` Python package sends them.
    let resp = reqwest::Client::new()
        .post(&url)
        .header("authorization", format!("bearer {}", emu.api_key))
        .body(tutorial().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_workspace_or_service_is_404() {
    let emu = Emulator::start(&[]);
    for root in [
        format!("{}/workspaces/nope/services/{}", emu.base_url, emu.service),
        format!(
            "{}/workspaces/{}/services/nope",
            emu.base_url, emu.workspace
        ),
    ] {
        let (s, _, v) = post(
            &format!("{root}/execute?api-version=2.0"),
            Some(&emu.api_key),
            tutorial().to_string(),
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_eq!(error_codes(&v), ("NotFound", "WebServiceNotFound"));
    }
}

#[tokio::test]
async fn bodies_over_4_mb_are_413_and_just_under_is_scored() {
    let emu = Emulator::start(&[]);
    let url = emu.execute_url("api-version=2.0");
    // 40 bytes a row: `["This is a good day, again and again"]` and a comma.
    let rows = |n: usize| {
        json!({"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": vec![["This is a good day, again and again"]; n]}}}).to_string()
    };
    let small = rows(100_000);
    assert!(small.len() < 4 * 1024 * 1024, "{}", small.len());
    let (s, _, v) = post(&url, Some(&emu.api_key), small).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v["Results"]["output1"]["value"]["Values"]
            .as_array()
            .unwrap()
            .len(),
        100_000
    );
    let big = rows(110_000);
    assert!(big.len() > 4 * 1024 * 1024, "{}", big.len());
    let (s, _, v) = post(&url, Some(&emu.api_key), big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        v["error"]["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("4194304"),
        "{v}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn more_calls_in_flight_than_allowed_get_503() {
    let emu = Emulator::start(&["--max-concurrency", "1", "--service", "svc1"]);
    let url = emu.execute_url("api-version=2.0");
    let key = emu.api_key.clone();
    // A call whose body arrives slowly holds the only slot.
    let (tx, rx) = futures::channel::mpsc::unbounded::<Result<Vec<u8>, std::io::Error>>();
    let text = tutorial().to_string();
    let (head, tail) = text.split_at(10);
    tx.unbounded_send(Ok(head.as_bytes().to_vec())).unwrap();
    let slow = {
        let (url, key) = (url.clone(), key.clone());
        tokio::spawn(async move { post(&url, Some(&key), reqwest::Body::wrap_stream(rx)).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut throttled = None;
    for _ in 0..100 {
        let (s, _, v) = post(&url, Some(&key), tutorial().to_string()).await;
        if s == StatusCode::SERVICE_UNAVAILABLE {
            throttled = Some(v);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let v = throttled.expect("no call was throttled while the slot was taken");
    assert_eq!(error_codes(&v), ("ServiceUnavailable", "RequestThrottled"));
    assert_eq!(
        v["error"]["details"][0]["message"],
        "Request was throttled for svc1 endpoint. The maximum concurrency for the endpoint is 1."
    );
    tx.unbounded_send(Ok(tail.as_bytes().to_vec())).unwrap();
    drop(tx);
    let (s, _, v) = slow.await.unwrap();
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["Results"]["output1"]["value"]["Values"][0],
        json!(TUTORIAL_ROW)
    );
    // The slot is free again.
    assert_eq!(
        post(&url, Some(&key), tutorial().to_string()).await.0,
        StatusCode::OK
    );
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_emulator_cleanly() {
    let mut emu = Emulator::start(&[]);
    let pid = emu.child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = emu.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
}
