//! `mlws score` against a fake server of every typed protocol, started in this test process
//! (axum on 127.0.0.1:0): the bodies each protocol sends (typed cells, body formats, params),
//! how answers become columns, in input order under concurrency, bad rows isolated with
//! `--on-bad-row skip`, 413 splitting, the error classes and exit codes, the schema pre-flight
//! check, and that `--header` values never show. The real servers are in `real_servers.rs`.

mod support;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use support::proxy::Proxy;
use support::sandbox::Sandbox;

#[derive(Default)]
struct Fake {
    /// `/tok`: requests answered, and 401s given.
    tok_requests: std::sync::atomic::AtomicUsize,
    tok_refused: std::sync::atomic::AtomicUsize,
    /// Every scoring body received.
    bodies: Mutex<Vec<Value>>,
    /// Every raw body received (for CSV).
    raw: Mutex<Vec<String>>,
}

type S = State<Arc<Fake>>;

/// The model: the length of `text`, or a refusal when `text` is `bad`.
fn predict(text: &str) -> Option<i64> {
    (text != "bad").then_some(text.chars().count() as i64)
}

fn jitter() -> std::time::Duration {
    std::time::Duration::from_millis(fastrand::u64(0..15))
}

/// The `text` column of a `{"columns", "data"}` frame.
fn frame_texts(frame: &Value) -> Vec<String> {
    let cols = frame["columns"].as_array().unwrap();
    let at = cols.iter().position(|c| c == "text").unwrap();
    frame["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[at].as_str().unwrap_or("").to_string())
        .collect()
}

fn mlflow_error(message: &str) -> Response {
    let body = json!({"error_code": "BAD_REQUEST",
        "message": "Encountered an unexpected error while evaluating the model. Verify that the serialized input Dataframe is compatible with the model for inference.",
        "stack_trace": format!("Traceback (most recent call last):\n  File \"m.py\"\nValueError: {message}")});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

async fn invocations(State(f): S, headers: HeaderMap, body: Bytes) -> Response {
    tokio::time::sleep(jitter()).await;
    let text = String::from_utf8(body.to_vec()).unwrap();
    f.raw.lock().unwrap().push(text.clone());
    let texts: Vec<String> = if headers["content-type"] == "text/csv" {
        text.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect()
    } else {
        let v: Value = serde_json::from_str(&text).unwrap();
        f.bodies.lock().unwrap().push(v.clone());
        if let Some(recs) = v.get("dataframe_records") {
            recs.as_array()
                .unwrap()
                .iter()
                .map(|r| r["text"].as_str().unwrap().to_string())
                .collect()
        } else {
            frame_texts(&v["dataframe_split"])
        }
    };
    if texts.is_empty() {
        return mlflow_error("empty batch");
    }
    let mut out = vec![];
    for t in &texts {
        match predict(t) {
            Some(n) => out.push(json!({"len": n, "text": t})),
            None => return mlflow_error(&format!("cannot score {t:?}")),
        }
    }
    Json(json!({"predictions": out})).into_response()
}

async fn score(State(f): S, Json(v): Json<Value>) -> Response {
    tokio::time::sleep(jitter()).await;
    f.bodies.lock().unwrap().push(v.clone());
    let texts = frame_texts(&v["input_data"]);
    let mut out = vec![];
    for t in &texts {
        match predict(t) {
            Some(n) => out.push(json!(n)),
            None => {
                let mut r = (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"message": "An unexpected error occurred in scoring script. Check the logs for more info."}))).into_response();
                r.headers_mut()
                    .insert("x-ms-run-function-failed", "True".parse().unwrap());
                return r;
            }
        }
    }
    // As many scripts do: `return json.dumps(...)`.
    Json(Value::String(serde_json::to_string(&out).unwrap())).into_response()
}

async fn v2_meta() -> Json<Value> {
    Json(json!({"name": "m", "versions": [], "platform": "fake",
        "inputs": [{"name": "text", "datatype": "BYTES", "shape": [-1]}, {"name": "n", "datatype": "FP64", "shape": [-1]}],
        "outputs": [{"name": "predict", "datatype": "INT64", "shape": [-1, 1]}]}))
}

async fn v2_infer(State(f): S, Json(v): Json<Value>) -> Response {
    tokio::time::sleep(jitter()).await;
    f.bodies.lock().unwrap().push(v.clone());
    let inputs = v["inputs"].as_array().unwrap();
    let text = inputs.iter().find(|i| i["name"] == "text");
    let texts: Vec<String> = match text {
        Some(t) => t["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap_or("").to_string())
            .collect(),
        None => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "no input text"})),
            )
                .into_response();
        }
    };
    let n = texts.len();
    let mut predict_ = vec![];
    let mut proba = vec![];
    for t in &texts {
        match predict(t) {
            Some(k) => {
                predict_.push(json!(k));
                proba.extend([json!(0.25), json!(0.75)]);
            }
            None => {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(json!({"error": format!("ValueError: cannot score {t:?}")})),
                )
                    .into_response();
            }
        }
    }
    Json(
        json!({"model_name": "m", "id": "1", "parameters": {}, "outputs": [
        {"name": "predict", "shape": [n, 1], "datatype": "INT64", "data": predict_},
        {"name": "proba", "shape": [n, 2], "datatype": "FP64", "data": proba}]}),
    )
    .into_response()
}

async fn v1_predict(State(f): S, Json(v): Json<Value>) -> Response {
    f.bodies.lock().unwrap().push(v.clone());
    let rows = v["instances"].as_array().unwrap();
    let out: Vec<Value> = rows
        .iter()
        .map(|r| json!([r[0].as_str().map_or(0, |s| s.len()), 1]))
        .collect();
    Json(json!({"predictions": out})).into_response()
}

/// Answers 413 to any batch of more than two rows, else as `/invocations`.
async fn small(state: S, headers: HeaderMap, body: Bytes) -> Response {
    let v: Value = serde_json::from_slice(&body).unwrap();
    if v["dataframe_split"]["data"].as_array().unwrap().len() > 2 {
        return (StatusCode::PAYLOAD_TOO_LARGE, "Request Entity Too Large").into_response();
    }
    invocations(state, headers, body).await
}

/// Answers one prediction fewer than asked.
async fn short(Json(v): Json<Value>) -> Json<Value> {
    let n = v["dataframe_split"]["data"].as_array().unwrap().len();
    Json(json!({"predictions": vec![1; n - 1]}))
}

/// Wants `Authorization: Bearer tok`.
async fn locked(headers: HeaderMap) -> Response {
    if headers
        .get("authorization")
        .is_some_and(|v| v == "Bearer tok")
    {
        Json(json!({"predictions": [1]})).into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({"message": "Unauthorized"})),
        )
            .into_response()
    }
}

/// Takes tokens `t-EXPIRY-N` (as the test's token command prints them) until their expiry;
/// token 1 stops being taken after the 5th request (revoked).
async fn tok(State(f): S, headers: HeaderMap) -> Response {
    use std::sync::atomic::Ordering;
    let n = f.tok_requests.fetch_add(1, Ordering::SeqCst) + 1;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parts: Vec<&str> = auth.trim_start_matches("Bearer t-").split('-').collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let ok = match parts.as_slice() {
        [exp, number] => {
            let exp: f64 = exp.parse().unwrap_or(0.0);
            now < exp && !(*number == "1" && n > 5 && f.tok_refused.load(Ordering::SeqCst) == 0)
        }
        _ => false,
    };
    if !ok {
        f.tok_refused.fetch_add(1, Ordering::SeqCst);
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"message": "token expired"})),
        )
            .into_response();
    }
    Json(json!({"predictions": [1]})).into_response()
}

struct Server {
    base: String,
    fake: Arc<Fake>,
    _rt: tokio::runtime::Runtime,
}

fn server() -> Server {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let fake = Arc::new(Fake::default());
    let app = axum::Router::new()
        .route("/invocations", post(invocations))
        .route("/small/invocations", post(small))
        .route("/short/invocations", post(short))
        .route("/locked/invocations", post(locked))
        .route("/tok/invocations", post(tok))
        .route("/score", post(score))
        .route("/v2/models/m", get(v2_meta))
        .route("/v2/models/m/infer", post(v2_infer))
        .route("/v1/models/{m}", post(v1_predict))
        .with_state(fake.clone());
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        base: format!("http://{addr}"),
        fake,
        _rt: rt,
    }
}

fn rows(n: usize) -> String {
    let mut s = String::from("text,n,flag\n");
    for i in 0..n {
        s.push_str(&format!("{},{i},true\n", "x".repeat(i % 7 + 1)));
    }
    s
}

fn run(sb: &Sandbox, args: &[&str], input: &str) -> std::process::Output {
    sb.cmd()
        .arg("score")
        .args(args)
        .write_stdin(input)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn mlflow_rows_come_back_in_order_with_typed_cells() {
    let s = server();
    let sb = Sandbox::new();
    let url = format!("{}/invocations", s.base);
    let input = rows(500);
    let out = run(
        &sb,
        &["--url", &url, "--batch-size", "7", "--concurrency", "8"],
        &input,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got = text(&out.stdout);
    let mut expected = String::from("text,n,flag,len,text_prediction\n");
    for i in 0..500 {
        let t = "x".repeat(i % 7 + 1);
        expected.push_str(&format!("{t},{i},true,{},{t}\n", t.len()));
    }
    assert_eq!(got, expected);
    let first = &s.fake.bodies.lock().unwrap()[0];
    let data = &first["dataframe_split"]["data"][0];
    assert!(
        data[0].is_string() && data[1].is_i64() && data[2].is_boolean(),
        "{first}"
    );
}

#[test]
fn mlflow_body_formats_params_and_types() {
    let s = server();
    let sb = Sandbox::new();
    let url = format!("{}/invocations", s.base);
    let out = run(
        &sb,
        &[
            "--url",
            &url,
            "--body-format",
            "records",
            "--types",
            "n=string",
            "--param",
            "th=0.9",
            "--keep",
            "n",
        ],
        "text,n,flag\nab,01,true\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "n,len,text_prediction\n01,2,ab\n");
    let body = s.fake.bodies.lock().unwrap()[0].clone();
    assert_eq!(body["dataframe_records"][0]["n"], json!("01"));
    assert_eq!(body["params"]["th"], json!(0.9));
    let out = run(
        &sb,
        &["--url", &url, "--body-format", "csv", "--keep", "none"],
        "text,n\n\"a,b\",1\nxyz,2\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        s.fake.raw.lock().unwrap().last().unwrap(),
        "text,n\n\"a,b\",1\nxyz,2\n"
    );
}

#[test]
fn bad_rows_are_isolated_and_written_to_failed_rows() {
    let s = server();
    let sb = Sandbox::new();
    let failed = sb.path("failed.csv");
    let mut input = String::from("text,n\n");
    for i in 0..40 {
        input.push_str(if i % 13 == 5 { "bad" } else { "ok" });
        input.push_str(&format!(",{i}\n"));
    }
    for url in [
        format!("{}/invocations", s.base),
        format!("{}/score", s.base),
        format!("{}/v2/models/m", s.base),
    ] {
        let out = run(
            &sb,
            &[
                "--url",
                &url,
                "--batch-size",
                "8",
                "--on-bad-row",
                "skip",
                "--failed-rows",
                failed.to_str().unwrap(),
                "--retries",
                "1",
            ],
            &input,
        );
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{url}: {err}");
        let got = text(&out.stdout);
        assert_eq!(got.lines().count(), 1 + 40 - 3, "{url}: {got}");
        assert!(!got.contains("bad"), "{got}");
        assert_eq!(
            std::fs::read_to_string(&failed).unwrap(),
            "text,n\nbad,5\nbad,18\nbad,31\n",
            "{url}"
        );
        assert!(err.contains("<stdin>:7: refused:"), "{err}");
        assert!(err.contains("3 rows refused"), "{err}");
    }
    // Without skip: exit 2 with the server's cause.
    let url = format!("{}/invocations", s.base);
    let out = run(&sb, &["--url", &url], &input);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("ValueError: cannot score \"bad\""), "{err}");
    // Every row refused on its own: not bad rows but a wrong request.
    let out = run(
        &sb,
        &[
            "--url",
            &url,
            "--on-bad-row",
            "skip",
            "--failed-rows",
            failed.to_str().unwrap(),
        ],
        "text\nbad\nbad\nbad\n",
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("refused every row"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_413_splits_the_batch() {
    let s = server();
    let sb = Sandbox::new();
    let url = format!("{}/small/invocations", s.base);
    let out = run(
        &sb,
        &["--url", &url, "--protocol", "mlflow", "--batch-size", "9"],
        &rows(30),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 31);
}

#[test]
fn v2_outputs_columns_and_tensor_bodies() {
    let s = server();
    let sb = Sandbox::new();
    let url = format!("{}/v2/models/m", s.base);
    let out = run(
        &sb,
        &["--url", &url, "--output-name", "predict"],
        "text,n\nabc,2\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "text,n,predict,proba_0,proba_1\nabc,2,3,0.25,0.75\n"
    );
    let body = s.fake.bodies.lock().unwrap()[0].clone();
    assert_eq!(body["parameters"]["content_type"], "pd");
    // The metadata says `n` is FP64: sent as a number; the request asks for `predict`.
    assert_eq!(body["inputs"][1]["datatype"], "FP64");
    assert_eq!(body["outputs"][0]["name"], "predict");
    // A column the metadata requires is missing: exit 2 before anything is sent.
    let before = s.fake.bodies.lock().unwrap().len();
    let out = run(&sb, &["--url", &url], "text\nabc\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no column `n`"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(s.fake.bodies.lock().unwrap().len(), before);
    // describe reads the metadata.
    let out = sb
        .cmd()
        .args(["describe", "--url", &url, "-f", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["protocol"], "v2");
    assert_eq!(
        doc["inputs"][1],
        json!({"name": "n", "type": "FP64", "shape": [-1]})
    );
}

#[test]
fn kserve_v1_and_azureml_bodies() {
    let s = server();
    let sb = Sandbox::new();
    let url = format!("{}/v1/models/m:predict", s.base);
    let out = run(&sb, &["--url", &url], "text\nab\nabcd\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "text,prediction_0,prediction_1\nab,2,1\nabcd,4,1\n"
    );
    assert_eq!(
        s.fake.bodies.lock().unwrap()[0],
        json!({"instances": [["ab"], ["abcd"]]})
    );
    let url = format!("{}/score", s.base);
    let out = run(&sb, &["--url", &url, "-f", "json"], "text,n\nab,1.5\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got, json!([{"text": "ab", "n": "1.5", "prediction": 2}]));
    let body = s.fake.bodies.lock().unwrap().last().unwrap().clone();
    assert_eq!(body["input_data"]["index"], json!([0]));
    assert_eq!(body["input_data"]["data"], json!([["ab", 1.5]]));
}

#[test]
fn error_classes_and_exit_codes() {
    let s = server();
    let sb = Sandbox::new();
    // A prediction count that differs from the rows sent: exit 1 naming the lines.
    let url = format!("{}/short/invocations", s.base);
    let out = run(&sb, &["--url", &url], "text\na\nb\n");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("lines 2-3") && err.contains("1 predictions"),
        "{err}"
    );
    // 401: exit 3 with a hint; a bearer key gets through.
    let url = format!("{}/locked/invocations", s.base);
    let out = run(&sb, &["--url", &url], "text\na\n");
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("--api-key"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&sb, &["--url", &url, "--api-key", "tok"], "text\na\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    // 404: exit 2, the hint names the URL.
    let url = format!("{}/v2/models/nope", s.base);
    let out = run(&sb, &["--url", &url], "text\na\n");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("/v2/models/nope/infer"), "{err}");
    // A URL that names no protocol.
    let out = run(&sb, &["--url", &format!("{}/predict", s.base)], "text\na\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--protocol"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn header_values_never_show() {
    let s = server();
    let sb = Sandbox::new();
    let url = format!("{}/invocations", s.base);
    let secret = "hdr-s3cr3t-value-42";
    for extra in [&["-vvv"][..], &["--dry-run"][..]] {
        let out = sb
            .cmd()
            .args([
                "score",
                "--url",
                &url,
                "--header",
                &format!("X-Token: {secret}"),
            ])
            .args(extra)
            .write_stdin("text\nab\n")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(!all.contains(secret), "{all}");
        assert!(all.contains("X-Token: ***"), "{all}");
    }
}

/// A token command that prints `az`-style JSON of a token living `life` seconds, numbered
/// by its runs (counted in `runs`).
fn token_command(sb: &Sandbox, life: u64) -> (String, std::path::PathBuf) {
    let runs = sb.path("runs");
    let script = sb.path("token.sh");
    std::fs::write(
        &script,
        format!(
            "echo run >> {runs}\nn=$(wc -l < {runs})\nexp=$(( $(date +%s) + {life} ))\nprintf '{{\"accessToken\": \"t-%s-%s\", \"expires_on\": %s}}' $exp $n $exp\n",
            runs = runs.display()
        ),
    )
    .unwrap();
    (format!("sh {}", script.display()), runs)
}

#[test]
fn tokens_are_fetched_ahead_of_expiry_and_once_after_a_401() {
    use std::sync::atomic::Ordering;
    let s = server();
    let sb = Sandbox::new();
    let url = format!("{}/tok/invocations", s.base);
    let (cmd, runs) = token_command(&sb, 4);
    let mut input = String::from("text\n");
    for i in 0..70 {
        input.push_str(&format!("r{i}\n"));
    }
    // 70 requests of 100 ms, one at a time: 7 s, tokens of 4 s.
    let out = sb
        .cmd()
        .args([
            "score",
            "--url",
            &url,
            "--token-command",
            &cmd,
            "--batch-size",
            "1",
        ])
        .args(["--concurrency", "1", "-vvv"])
        .write_stdin(input)
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(text(&out.stdout).lines().count(), 71);
    let fetched = std::fs::read_to_string(&runs).unwrap().lines().count();
    // The revoked first token: one 401, one new token; then each ahead of its expiry.
    assert_eq!(s.fake.tok_refused.load(Ordering::SeqCst), 1, "{err}");
    assert!((3..=6).contains(&fetched), "{fetched} tokens");
    assert_eq!(s.fake.tok_requests.load(Ordering::SeqCst), 71);
    assert!(err.contains("Authorization: Bearer ***"), "{err}");
    assert!(!err.contains("t-1"), "a token shows: {err}");
    // A command that fails: exit 3 with its last stderr line.
    let out = sb
        .cmd()
        .args([
            "score",
            "--url",
            &url,
            "--token-command",
            "echo 'please run az login' >&2; exit 1",
        ])
        .write_stdin("text\na\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("please run az login"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_proxy_set_in_the_environment_carries_the_requests() {
    // mlws's own plain-HTTP transport steps aside for reqwest, which honours `http_proxy`.
    let s = server();
    let sb = Sandbox::new();
    let (proxy, proxy_url) = Proxy::forward(s.base.trim_start_matches("http://"));
    let url = format!("{}/invocations", s.base);
    let out = sb
        .cmd()
        .env("http_proxy", &proxy_url)
        .args(["score", "--url", &url, "--batch-size", "10"])
        .write_stdin(rows(30))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 31);
    let seen = proxy.requests();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(seen.iter().all(|r| r.target == url), "{seen:?}");
}
