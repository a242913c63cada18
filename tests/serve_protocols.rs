//! `mlws serve --protocol P` over raw HTTP: for MLflow, Azure ML, the Open Inference Protocol
//! (v2) and KServe v1, the shared Feature Hashing vectors scored through every body form the
//! protocol takes, then every class of error answer in that protocol's envelope
//! (`spec/adapters.md` §1–4), the optional key, the fault flags, the request log, the body
//! limit, and the start-up line.

mod support;

use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;
use support::serve::Emulator;

const VECTORS: &str = include_str!("data/feature_hashing.json");

/// An answer: status, headers, body text.
struct Reply {
    status: u16,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.text))
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no `{name}` header: {:?}", self.headers))
            .to_str()
            .unwrap()
    }
}

async fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: impl Into<reqwest::Body>,
) -> Reply {
    let mut req = reqwest::Client::new().request(method.parse().unwrap(), url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.body(body).send().await.unwrap();
    let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
    Reply {
        status,
        headers,
        text: resp.text().await.unwrap(),
    }
}

const JSON: [(&str, &str); 1] = [("content-type", "application/json")];

async fn post_json(url: &str, body: &Value) -> Reply {
    send("POST", url, &JSON, body.to_string()).await
}

async fn get(url: &str) -> Reply {
    send("GET", url, &[], "").await
}

/// A text and the counts it hashes to.
type Case = (String, Vec<u64>);

/// The vectors, grouped by (bits, N-grams).
fn vector_groups() -> BTreeMap<(u64, u64), Vec<Case>> {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let mut groups: BTreeMap<(u64, u64), Vec<Case>> = BTreeMap::new();
    for case in doc["cases"].as_array().unwrap() {
        let key = (
            case["bits"].as_u64().unwrap(),
            case["ngrams"].as_u64().unwrap(),
        );
        let want = case["output"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .collect();
        groups
            .entry(key)
            .or_default()
            .push((case["text"].as_str().unwrap().to_string(), want));
    }
    assert!(groups.len() >= 5, "the vector file lost cases");
    groups
}

/// Rows of counts from row objects keyed `Col2_HashingFeature.<j>` (MLflow, Azure ML).
fn record_rows(rows: &Value, columns: usize) -> Vec<Vec<u64>> {
    rows.as_array()
        .unwrap_or_else(|| panic!("not a list: {rows}"))
        .iter()
        .map(|row| {
            assert_eq!(row.as_object().unwrap().len(), columns, "{row}");
            (0..columns)
                .map(|j| row[format!("Col2_HashingFeature.{j}")].as_u64().unwrap())
                .collect()
        })
        .collect()
}

/// Rows of counts from lists of lists (KServe v1).
fn list_rows(rows: &Value) -> Vec<Vec<u64>> {
    serde_json::from_value(rows.clone()).unwrap_or_else(|e| panic!("{e}: {rows}"))
}

/// Rows of counts from a v2 answer's one output.
fn v2_rows(v: &Value, columns: usize) -> Vec<Vec<u64>> {
    let out = &v["outputs"][0];
    assert_eq!(
        (out["name"].as_str(), out["datatype"].as_str()),
        (Some("hashing"), Some("INT64"))
    );
    let data: Vec<u64> = serde_json::from_value(out["data"].clone()).unwrap();
    assert_eq!(out["shape"], json!([data.len() / columns, columns]));
    data.chunks(columns).map(<[u64]>::to_vec).collect()
}

/// Every body form of `protocol` for `texts`, each with how to read its answer.
async fn score_every_form(
    emu: &Emulator,
    texts: &[String],
    columns: usize,
) -> Vec<(String, Vec<Vec<u64>>)> {
    let url = &emu.url;
    let col: Vec<Value> = texts.iter().map(|t| json!(t)).collect();
    let rows: Vec<Value> = texts.iter().map(|t| json!([t])).collect();
    let mut got = Vec::new();
    let mut check = |form: &str, r: Reply, read: &dyn Fn(&Value) -> Vec<Vec<u64>>| {
        assert_eq!(r.status, 200, "{form}: {}", r.text);
        assert!(
            r.header("content-type").starts_with("application/json"),
            "{form}"
        );
        got.push((form.to_string(), read(&r.json())));
    };
    match emu.protocol.as_str() {
        "mlflow" => {
            let preds = |v: &Value| record_rows(&v["predictions"], columns);
            let split = json!({"dataframe_split": {"columns": ["id", "Col2"],
                "data": texts.iter().enumerate().map(|(i, t)| json!([i, t])).collect::<Vec<_>>()}});
            check("split", post_json(url, &split).await, &preds);
            let records: Vec<Value> = texts.iter().map(|t| json!({"Col2": t})).collect();
            let body = json!({"dataframe_records": records});
            check("records", post_json(url, &body).await, &preds);
            check(
                "inputs",
                post_json(url, &json!({"inputs": {"Col2": col}})).await,
                &preds,
            );
            check(
                "instances",
                post_json(url, &json!({"instances": col})).await,
                &preds,
            );
            let mut csv = String::from("Col2\n");
            for t in texts {
                csv.push_str(&format!("\"{}\"\n", t.replace('"', "\"\"")));
            }
            let r = send("POST", url, &[("content-type", "text/csv")], csv).await;
            check("csv", r, &preds);
        }
        "azureml" => {
            let list = |v: &Value| record_rows(v, columns);
            let index: Vec<usize> = (0..texts.len()).collect();
            let body = json!({"input_data": {"columns": ["Col2"], "index": index, "data": rows}});
            check("input_data", post_json(url, &body).await, &list);
            check("data", post_json(url, &json!({"data": rows})).await, &list);
        }
        "v2" => {
            let read = |v: &Value| v2_rows(v, columns);
            let infer = format!("{url}/infer");
            let n = texts.len();
            let pd = json!({"id": "vectors", "parameters": {"content_type": "pd"}, "inputs": [
                {"name": "Col2", "shape": [n], "datatype": "BYTES", "data": col}]});
            let r = post_json(&infer, &pd).await;
            assert_eq!(r.json()["id"], "vectors");
            check("columns", r, &read);
            let tensor = json!({"inputs": [{"name": "input-0", "shape": [n, 1], "datatype": "BYTES",
                "data": col}], "outputs": [{"name": "hashing"}]});
            check("tensor", post_json(&infer, &tensor).await, &read);
            let versioned = url.replace("/feature-hashing", "/feature-hashing/versions/1/infer");
            check("versioned", post_json(&versioned, &pd).await, &read);
        }
        "kserve-v1" => {
            let read = |v: &Value| list_rows(&v["predictions"]);
            check(
                "rows",
                post_json(url, &json!({"instances": rows})).await,
                &read,
            );
            let dicts = json!({"instances": [{"Col2": col}]});
            check("columns", post_json(url, &dicts).await, &read);
        }
        other => panic!("no forms for {other}"),
    }
    got
}

const PROTOCOLS: [&str; 4] = ["mlflow", "azureml", "v2", "kserve-v1"];

#[tokio::test]
async fn every_protocol_scores_the_shared_vectors_in_every_body_form() {
    for ((bits, ngrams), cases) in vector_groups() {
        let texts: Vec<String> = cases.iter().map(|(t, _)| t.clone()).collect();
        let want: Vec<Vec<u64>> = cases.iter().map(|(_, w)| w.clone()).collect();
        for protocol in PROTOCOLS {
            let (b, n) = (bits.to_string(), ngrams.to_string());
            let emu = Emulator::start(&["--protocol", protocol, "--bits", &b, "--ngrams", &n]);
            for (form, got) in score_every_form(&emu, &texts, 1 << bits).await {
                assert_eq!(
                    got, want,
                    "{protocol} {form}, bits {bits}, N-grams {ngrams}"
                );
            }
        }
    }
}

#[tokio::test]
async fn params_of_mlflow_and_azureml_override_the_experiment() {
    let (text, want) = vector_groups()[&(4, 3)][0].clone();
    let params = json!({"Hashing bitsize": 4, "N-grams": 3});
    let emu = Emulator::start(&["--protocol", "mlflow"]);
    let body = json!({"inputs": {"Col2": [text]}, "params": params});
    let r = post_json(&emu.url, &body).await;
    assert_eq!(
        record_rows(&r.json()["predictions"], 16),
        std::slice::from_ref(&want)
    );
    let emu = Emulator::start(&["--protocol", "azureml"]);
    let body = json!({"data": [[text]], "params": params});
    assert_eq!(
        record_rows(&post_json(&emu.url, &body).await.json(), 16),
        [want]
    );
}

#[tokio::test]
async fn the_start_up_line_names_the_protocol_and_its_scoring_url() {
    for (protocol, path) in [
        ("mlflow", "/invocations"),
        ("azureml", "/score"),
        ("v2", "/v2/models/feature-hashing"),
        ("kserve-v1", "/v1/models/feature-hashing:predict"),
    ] {
        let emu = Emulator::start(&["--protocol", protocol]);
        let keys: Vec<&String> = emu.info.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["base_url", "protocol", "url"], "{protocol}");
        assert_eq!(emu.info["protocol"], protocol);
        assert_eq!(emu.url, format!("{}{path}", emu.base_url));
        let keyed = Emulator::start(&["--protocol", protocol, "--api-key", "k-1"]);
        let keys: Vec<&String> = keyed.info.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["base_url", "api_key", "protocol", "url"]);
        assert_eq!(keyed.api_key, "k-1");
    }
    let emu = Emulator::start(&["--protocol", "classic"]);
    assert_eq!(emu.info["protocol"], "classic");
}

#[test]
fn the_gateway_is_classic_only() {
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_mlws"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--protocol",
            "v2",
            "--apim-suffix",
            "demo",
        ])
        .env("NO_COLOR", "1")
        .env_remove("MLWS_PROTOCOL")
        .assert()
        .code(2)
        .stdout("")
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`--apim-suffix` works only with `--protocol classic`, not `v2`"),
        "{err}"
    );
}

#[tokio::test]
async fn mlflow_errors_are_mlflows() {
    let emu = Emulator::start(&["--protocol", "mlflow"]);
    let base = &emu.base_url;
    for path in ["/ping", "/health"] {
        let r = get(&format!("{base}{path}")).await;
        assert_eq!((r.status, r.text.as_str()), (200, "\n"), "{path}");
    }
    assert_eq!(get(&format!("{base}/version")).await.status, 200);
    let url = &emu.url;
    let r = send("POST", url, &JSON, "{not json").await;
    assert_eq!(
        (r.status, r.json()["error_code"].as_str()),
        (400, Some("BAD_REQUEST"))
    );
    let r = post_json(url, &json!({"columns": ["Col2"], "data": [["a"]]})).await;
    assert_eq!(r.status, 400);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("exactly one of the input fields")
    );
    let r = post_json(
        url,
        &json!({"dataframe_split": {"columns": ["Col1"], "data": [["a"]]}}),
    )
    .await;
    let v = r.json();
    assert_eq!(r.status, 400);
    assert_eq!(
        (v["error_code"].as_str(), v["error_class"].as_str()),
        (
            Some("INVALID_PARAMETER_VALUE"),
            Some("SCHEMA_ENFORCEMENT_FAILED")
        )
    );
    let r = post_json(
        url,
        &json!({"dataframe_split": {"columns": ["Col2", "x"], "data": [[null, 1]]}}),
    )
    .await;
    let v = r.json();
    let r2 = post_json(url, &json!({"dataframe_records": [{"x": 1}]})).await;
    assert!(
        r2.json()["message"].as_str().unwrap().ends_with(
            "Model is missing inputs ['Col2']. Note that there were extra inputs: ['x']"
        )
    );
    assert_eq!(
        (r.status, v["error_code"].as_str()),
        (400, Some("BAD_REQUEST"))
    );
    assert!(v["stack_trace"].as_str().unwrap().contains("NoneType"));
    let r = post_json(
        url,
        &json!({"dataframe_split": {"columns": ["Col2"], "data": []}}),
    )
    .await;
    assert_eq!(r.status, 400, "an empty batch");
    let r = post_json(url, &json!({"dataframe_records": []})).await;
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .ends_with("Model is missing inputs ['Col2'].")
    );
    let r = send("POST", url, &[("content-type", "text/plain")], "Col2\na\n").await;
    assert_eq!((r.status, r.header("content-type")), (415, "text/plain"));
    assert!(
        r.text
            .starts_with("This predictor only supports the following content types")
    );
    let r = get(&format!("{base}/score")).await;
    assert_eq!((r.status, r.json()), (404, json!({"detail": "Not Found"})));
    let r = get(url).await;
    assert_eq!(
        (r.status, r.json()),
        (405, json!({"detail": "Method Not Allowed"}))
    );
}

#[tokio::test]
async fn azureml_errors_are_azmlinfsrvs() {
    let emu = Emulator::start(&["--protocol", "azureml"]);
    let base = &emu.base_url;
    let r = get(&format!("{base}/")).await;
    assert_eq!((r.status, r.text.as_str()), (200, "Healthy"));
    for version in ["", "?version=2", "?version=3"] {
        let r = get(&format!("{base}/swagger.json{version}")).await;
        assert_eq!(r.status, 200, "{version}");
        let v = r.json();
        let input = if version.ends_with('3') {
            &v["components"]["schemas"]["ServiceInput"]
        } else {
            &v["definitions"]["ServiceInput"]
        };
        assert_eq!(
            input["example"]["input_data"]["columns"],
            json!(["Col2"]),
            "{version}"
        );
        assert_eq!(
            input["properties"]["input_data"]["properties"]["data"]["items"]["items"]["type"],
            "string"
        );
    }
    let url = &emu.url;
    let sent = [
        ("content-type", "application/json"),
        ("x-ms-client-request-id", "c-42"),
        ("azureml-model-deployment", "blue"),
    ];
    let ok = send("POST", url, &sent, json!({"data": [["a"]]}).to_string()).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("x-ms-client-request-id"), "c-42");
    assert_eq!(ok.header("x-ms-request-id"), "c-42");
    assert_eq!(ok.header("x-request-id").len(), 36);
    for (body, headers, status) in [
        ("{not json".to_string(), &JSON[..], 400),
        (
            json!({"dataframe_split": {"columns": ["Col2"], "data": [["a"]]}}).to_string(),
            &JSON[..],
            400,
        ),
        (
            json!({"data": [["a"]]}).to_string(),
            &[("content-type", "text/csv")][..],
            415,
        ),
    ] {
        let r = send("POST", url, headers, body.clone()).await;
        assert_eq!(r.status, status, "{body}");
        assert!(r.json()["message"].is_string());
        assert!(r.headers.get("x-ms-run-function-failed").is_none());
        assert_eq!(r.header("x-ms-request-id").len(), 36);
    }
    for body in [
        json!({"input_data": {"columns": ["Col2"], "index": [0], "data": [[null]]}}),
        json!({"input_data": {"columns": ["Col1"], "index": [0], "data": [["a"]]}}),
    ] {
        let r = post_json(url, &body).await;
        assert_eq!(r.status, 500, "{body}");
        assert_eq!(r.header("x-ms-run-function-failed"), "True");
        assert_eq!(
            r.json(),
            json!({"message": "An unexpected error occurred in scoring script. Check the logs for more info."})
        );
    }
}

#[tokio::test]
async fn v2_answers_as_mlserver() {
    let emu = Emulator::start(&["--protocol", "v2"]);
    let base = &emu.base_url;
    for path in [
        "/v2",
        "/v2/health/live",
        "/v2/health/ready",
        "/v2/models/feature-hashing/ready",
    ] {
        assert_eq!(get(&format!("{base}{path}")).await.status, 200, "{path}");
    }
    for path in [
        "/v2/models/feature-hashing",
        "/v2/models/feature-hashing/versions/1",
    ] {
        let v = get(&format!("{base}{path}")).await.json();
        assert_eq!(v["name"], "feature-hashing");
        assert_eq!(v["versions"], json!(["1"]));
        assert!(v["platform"].is_string());
        assert_eq!(v["inputs"][0]["name"], "Col2");
        assert_eq!(v["inputs"][0]["datatype"], "BYTES");
        assert_eq!(v["inputs"][0]["shape"], json!([-1]));
        assert_eq!(
            v["outputs"],
            json!([{"name": "hashing", "datatype": "INT64", "shape": [-1, 8]}])
        );
    }
    let infer = format!("{}/infer", emu.url);
    let input = |name: &str, data: Value| json!({"name": name, "shape": [1], "datatype": "BYTES", "data": data});
    let two = json!({"inputs": [input("x", json!(["1"])), input("Col2", json!(["a"]))]});
    let r = post_json(&infer, &two).await;
    assert_eq!(
        (r.status, r.json()),
        (
            400,
            json!({"error": "np codec only supports a single input tensor"})
        )
    );
    let mut pd = two.clone();
    pd["parameters"] = json!({"content_type": "pd"});
    assert_eq!(post_json(&infer, &pd).await.status, 200);
    let mut unknown = pd.clone();
    unknown["outputs"] = json!([{"name": "predict_proba"}]);
    let r = post_json(&infer, &unknown).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].is_string());
    let r = post_json(&format!("{base}/v2/models/other/infer"), &pd).await;
    assert_eq!(
        (r.status, r.json()),
        (404, json!({"error": "Model other not found"}))
    );
    let r = post_json(
        &infer,
        &json!({"inputs": [{"name": "Col2", "datatype": "STRING"}]}),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.json()["detail"].as_array().unwrap().len() >= 3);
    let r = send("POST", &infer, &JSON, "{oops").await;
    assert_eq!(r.status, 422);
    let r = post_json(&infer, &json!({"inputs": [input("Col2", json!([null]))]})).await;
    assert_eq!(r.status, 500);
    assert!(r.json()["error"].as_str().unwrap().contains("NoneType"));
}

#[tokio::test]
async fn kserve_v1_answers_as_kserve() {
    let emu = Emulator::start(&["--protocol", "kserve-v1"]);
    let base = &emu.base_url;
    let r = get(&format!("{base}/v1/models/feature-hashing")).await;
    assert_eq!(
        (r.status, r.json()),
        (200, json!({"name": "feature-hashing", "ready": true}))
    );
    let r = get(&format!("{base}/v1/models/other")).await;
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].is_string());
    let r = post_json(
        &format!("{base}/v1/models/other:predict"),
        &json!({"instances": [["a"]]}),
    )
    .await;
    assert_eq!(r.status, 404);
    let r = send("POST", &emu.url, &JSON, "{oops").await;
    assert_eq!(r.status, 400);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("Unrecognized request format")
    );
    for body in [
        json!({"instances": [[null]]}),
        json!({"instances": [{"Col2": "a"}]}),
    ] {
        let r = post_json(&emu.url, &body).await;
        assert_eq!(r.status, 500, "{body}");
        assert!(r.json()["error"].is_string());
    }
}

/// The tutorial row in each protocol's default body.
fn tutorial(protocol: &str) -> (String, Value) {
    let text = "This is a good day";
    let body = match protocol {
        "mlflow" => json!({"dataframe_split": {"columns": ["Col2"], "data": [[text]]}}),
        "azureml" => json!({"input_data": {"columns": ["Col2"], "index": [0], "data": [[text]]}}),
        "v2" => json!({"parameters": {"content_type": "pd"},
            "inputs": [{"name": "Col2", "shape": [1], "datatype": "BYTES", "data": [text]}]}),
        _ => json!({"instances": [[text]]}),
    };
    let suffix = if protocol == "v2" { "/infer" } else { "" };
    (suffix.to_string(), body)
}

/// The message of an error answer in any protocol's envelope.
fn message(protocol: &str, v: &Value) -> String {
    let key = if matches!(protocol, "mlflow" | "azureml") {
        "message"
    } else {
        "error"
    };
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{protocol}: {v}"))
        .to_string()
}

#[tokio::test]
async fn with_a_key_every_protocol_wants_it() {
    for protocol in PROTOCOLS {
        let emu = Emulator::start(&["--protocol", protocol, "--api-key", "secret-1"]);
        let (suffix, body) = tutorial(protocol);
        let url = format!("{}{suffix}", emu.url);
        let r = post_json(&url, &body).await;
        assert_eq!(r.status, 401, "{protocol}");
        assert!(message(protocol, &r.json()).contains("Bearer"));
        let wrong = [
            ("content-type", "application/json"),
            ("authorization", "Bearer nope"),
        ];
        assert_eq!(
            send("POST", &url, &wrong, body.to_string()).await.status,
            401
        );
        let right = [
            ("content-type", "application/json"),
            ("authorization", "Bearer secret-1"),
        ];
        assert_eq!(
            send("POST", &url, &right, body.to_string()).await.status,
            200,
            "{protocol}"
        );
        let open = Emulator::start(&["--protocol", protocol]);
        assert_eq!(
            post_json(&format!("{}{suffix}", open.url), &body)
                .await
                .status,
            200
        );
    }
}

#[tokio::test]
async fn fault_flags_and_the_log_apply_to_the_scoring_route() {
    for protocol in PROTOCOLS {
        let (suffix, body) = tutorial(protocol);
        let emu = Emulator::start_logged(&["--protocol", protocol, "--fault-503", "1"]);
        let url = format!("{}{suffix}", emu.url);
        let r = post_json(&url, &body).await;
        assert_eq!(r.status, 503, "{protocol}");
        message(protocol, &r.json());
        let log = emu.requests_at_least(1);
        assert_eq!(
            (log[0]["fault"].as_str(), log[0]["rows"].as_u64()),
            (Some("503"), None)
        );
        let emu = Emulator::start(&[
            "--protocol",
            protocol,
            "--fault-429",
            "1",
            "--fault-retry-after",
            "4",
        ]);
        let r = post_json(&format!("{}{suffix}", emu.url), &body).await;
        assert_eq!(
            (r.status, r.header("retry-after")),
            (429, "4"),
            "{protocol}"
        );
        let emu = Emulator::start(&["--protocol", protocol, "--fault-drop", "1"]);
        let dropped = reqwest::Client::new()
            .post(format!("{}{suffix}", emu.url))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await;
        assert!(dropped.is_err(), "{protocol}: no answer at all");
        let emu = Emulator::start_logged(&["--protocol", protocol]);
        let mut three = body.clone();
        match protocol {
            "mlflow" => three["dataframe_split"]["data"] = json!([["a"], ["b"], ["c"]]),
            "azureml" => {
                three["input_data"] =
                    json!({"columns": ["Col2"], "index": [0, 1, 2], "data": [["a"], ["b"], ["c"]]})
            }
            "v2" => {
                three["inputs"][0] = json!({"name": "Col2", "shape": [3], "datatype": "BYTES", "data": ["a", "b", "c"]})
            }
            _ => three = json!({"instances": [["a"], ["b"], ["c"]]}),
        }
        assert_eq!(
            post_json(&format!("{}{suffix}", emu.url), &three)
                .await
                .status,
            200
        );
        let log = emu.requests_at_least(1);
        assert_eq!(log[0]["rows"], 3, "{protocol}: {log:?}");
        assert_eq!(log[0]["status"], 200);
    }
}

#[tokio::test]
async fn calls_over_max_concurrency_are_refused_and_bodies_over_4_mb_are_413() {
    for protocol in PROTOCOLS {
        let (suffix, body) = tutorial(protocol);
        let emu = Emulator::start(&[
            "--protocol",
            protocol,
            "--max-concurrency",
            "1",
            "--fault-delay",
            "700",
        ]);
        let url = format!("{}{suffix}", emu.url);
        let slow = post_json(&url, &body);
        let second = async {
            tokio::time::sleep(Duration::from_millis(250)).await;
            post_json(&url, &body).await
        };
        let (first, second) = tokio::join!(slow, second);
        assert_eq!((first.status, second.status), (200, 503), "{protocol}");
        message(protocol, &second.json());
        let big = format!("{{\"x\": \"{}\"}}", "a".repeat(5 << 20));
        let emu = Emulator::start(&["--protocol", protocol]);
        let r = send("POST", &format!("{}{suffix}", emu.url), &JSON, big).await;
        assert_eq!(r.status, 413, "{protocol}");
        assert!(message(protocol, &r.json()).contains("over the limit of 4194304 bytes"));
    }
}
