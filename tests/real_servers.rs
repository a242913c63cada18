//! Smoke tests of the real model servers (tests/support/servers.rs): each one answers a body of
//! the shape spec/adapters.md documents with the model's own predictions
//! (tests/data/servers/expected.csv), and its picky variant refuses a batch that holds a bad
//! row with the status the spec gives. They check the test setup, not mlws; the bodies seen
//! are recorded in tools/servers/README.md.

mod support;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use support::servers::{Kind, Options, Protocol, RealServer, Variant, data_dir, group_members};

const COLUMNS: [&str; 5] = ["f1", "f2", "f3", "f4", "color"];

/// One row of rows.csv.
struct Row {
    floats: [f64; 4],
    color: String,
}

fn rows() -> Vec<Row> {
    let mut reader = csv::Reader::from_path(data_dir().join("rows.csv")).expect("rows.csv");
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row of rows.csv");
            let f = |i: usize| r[i].parse::<f64>().expect("a float cell");
            Row {
                floats: [f(0), f(1), f(2), f(3)],
                color: r[4].to_string(),
            }
        })
        .collect()
}

/// expected.csv: the model's predict and predict_proba for rows.csv.
fn expected() -> (Vec<i64>, Vec<[f64; 2]>) {
    let mut reader = csv::Reader::from_path(data_dir().join("expected.csv")).expect("expected.csv");
    let mut predict = Vec::new();
    let mut proba = Vec::new();
    for r in reader.records() {
        let r = r.expect("a row of expected.csv");
        predict.push(r[0].parse().expect("predict"));
        proba.push([
            r[1].parse().expect("proba_0"),
            r[2].parse().expect("proba_1"),
        ]);
    }
    (predict, proba)
}

/// The rows as lists of values, in column order.
fn row_lists(rows: &[Row]) -> Value {
    rows.iter()
        .map(|r| {
            let mut v: Vec<Value> = r.floats.iter().map(|f| json!(f)).collect();
            v.push(json!(r.color));
            Value::Array(v)
        })
        .collect()
}

/// Two rows, the second with the color the picky model refuses.
fn with_bad_row() -> Vec<Row> {
    let mut rows: Vec<Row> = rows().into_iter().take(2).collect();
    rows[1].color = "bad".into();
    rows
}

/// The column of each input, as JSON values.
fn column(rows: &[Row], i: usize) -> Value {
    rows.iter()
        .map(|r| {
            if i < 4 {
                json!(r.floats[i])
            } else {
                json!(r.color)
            }
        })
        .collect()
}

/// A v2 request with one input per column and `content_type` `pd` (when `pd`).
fn v2_body(rows: &[Row], pd: bool) -> Value {
    let n = rows.len();
    let inputs: Vec<Value> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let datatype = if i < 4 { "FP64" } else { "BYTES" };
            json!({"name": name, "shape": [n], "datatype": datatype, "data": column(rows, i)})
        })
        .collect();
    let mut body = json!({"id": "smoke-1", "inputs": inputs});
    if pd {
        body["parameters"] = json!({"content_type": "pd"});
    }
    body
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
    text: String,
}

async fn post(url: &str, content_type: &str, body: String) -> Answer {
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {url}: {e}"));
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
        text,
    }
}

async fn post_json(url: &str, body: &Value) -> Answer {
    post(url, "application/json", body.to_string()).await
}

fn ints(value: &Value, what: &str) -> Vec<i64> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("{what} is not a list: {value}"))
        .iter()
        .map(|v| {
            v.as_i64()
                .unwrap_or_else(|| panic!("{what}: {v} is not an integer"))
        })
        .collect()
}

fn assert_ok(answer: &Answer, server: &RealServer) {
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "answer {}; server log:\n{}",
        answer.text,
        server.log_tail(30)
    );
}

#[tokio::test]
async fn mlflow_answers_dataframe_split_and_csv_with_the_models_predictions() {
    let Some(server) = RealServer::shared(Kind::Mlflow, Variant::Normal) else {
        return;
    };
    let (want, _) = expected();
    let body = json!({"dataframe_split": {"columns": COLUMNS, "data": row_lists(&rows())}});
    let answer = post_json(&server.url(Protocol::Mlflow), &body).await;
    assert_ok(&answer, server);
    assert_eq!(ints(&answer.body["predictions"], "predictions"), want);

    // The committed CSV as it is (`5.`, `+1.5`, `1E2` and all), as text/csv.
    let csv = std::fs::read_to_string(data_dir().join("rows.csv")).expect("rows.csv");
    let answer = post(&server.url(Protocol::Mlflow), "text/csv", csv).await;
    assert_ok(&answer, server);
    assert_eq!(ints(&answer.body["predictions"], "predictions"), want);
}

#[tokio::test]
async fn mlflow_picky_refuses_a_batch_with_a_bad_row_with_400() {
    let Some(server) = RealServer::start(Kind::Mlflow, Variant::Picky) else {
        return;
    };
    let body = json!({"dataframe_split": {"columns": COLUMNS, "data": row_lists(&with_bad_row())}});
    let answer = post_json(&server.scoring_url(), &body).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
    assert_eq!(answer.body["error_code"], "BAD_REQUEST");
    let trace = answer.body["stack_trace"].as_str().unwrap_or_default();
    assert!(
        trace
            .trim_end()
            .ends_with("ValueError: Found unknown categories ['bad'] in column 0 during transform"),
        "{trace}"
    );
}

#[tokio::test]
async fn azureml_answers_input_data_and_data_bodies_with_a_bare_list() {
    let Some(server) = RealServer::shared(Kind::AzureMl, Variant::Normal) else {
        return;
    };
    let (want, _) = expected();
    let rows = rows();
    let index: Vec<usize> = (0..rows.len()).collect();
    let body =
        json!({"input_data": {"columns": COLUMNS, "index": index, "data": row_lists(&rows)}});
    let answer = post_json(&server.url(Protocol::AzureMl), &body).await;
    assert_ok(&answer, server);
    assert_eq!(ints(&answer.body, "the answer"), want);
    assert_eq!(answer.headers["x-ms-run-function-failed"], "False");

    let body = json!({"data": row_lists(&rows)});
    let answer = post_json(&server.url(Protocol::AzureMl), &body).await;
    assert_ok(&answer, server);
    assert_eq!(ints(&answer.body, "the answer"), want);
}

#[tokio::test]
async fn azureml_picky_refuses_a_batch_with_a_bad_row_with_500() {
    let Some(server) = RealServer::start(Kind::AzureMl, Variant::Picky) else {
        return;
    };
    let rows = with_bad_row();
    let body =
        json!({"input_data": {"columns": COLUMNS, "index": [0, 1], "data": row_lists(&rows)}});
    let answer = post_json(&server.scoring_url(), &body).await;
    assert_eq!(
        answer.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        answer.text
    );
    assert_eq!(answer.headers["x-ms-run-function-failed"], "True");
    assert!(answer.body["message"].is_string(), "{}", answer.text);
}

#[tokio::test]
async fn kserve_answers_v1_rows_v1_columns_and_v2_columns() {
    let Some(server) = RealServer::shared(Kind::Kserve, Variant::Normal) else {
        return;
    };
    let (want, _) = expected();
    let rows = rows();
    let v1 = server.url(Protocol::KserveV1);

    let answer = post_json(&v1, &json!({"instances": row_lists(&rows)})).await;
    assert_ok(&answer, server);
    assert_eq!(ints(&answer.body["predictions"], "predictions"), want);

    let columns: serde_json::Map<String, Value> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, name)| (name.to_string(), column(&rows, i)))
        .collect();
    let answer = post_json(&v1, &json!({"instances": [columns]})).await;
    assert_ok(&answer, server);
    assert_eq!(ints(&answer.body["predictions"], "predictions"), want);

    let infer = format!("{}/infer", server.url(Protocol::V2));
    let answer = post_json(&infer, &v2_body(&rows, true)).await;
    assert_ok(&answer, server);
    assert_eq!(answer.body["id"], "smoke-1");
    let output = &answer.body["outputs"][0];
    assert_eq!(output["name"], "output-0");
    assert_eq!(output["shape"], json!([rows.len()]));
    assert_eq!(ints(&output["data"], "output-0"), want);
}

#[tokio::test]
async fn kserve_picky_refuses_a_batch_with_a_bad_row_with_500_and_drop_stops_its_workers() {
    let options = Options {
        workers: 2,
        ..Options::default()
    };
    let Some(server) = RealServer::start_with(Kind::Kserve, Variant::Picky, options) else {
        return;
    };
    let rows = with_bad_row();
    let answer = post_json(
        &server.url(Protocol::KserveV1),
        &json!({"instances": row_lists(&rows)}),
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        answer.text
    );
    assert!(
        answer.body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("unknown categories ['bad']"),
        "{}",
        answer.text
    );
    let infer = format!("{}/infer", server.url(Protocol::V2));
    let answer = post_json(&infer, &v2_body(&rows, true)).await;
    assert_eq!(
        answer.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        answer.text
    );

    let group = server.process_group();
    assert!(
        group_members(group).len() > 2,
        "expected a server process, its resource tracker and 2 workers"
    );
    drop(server);
    assert_eq!(group_members(group), Vec::<u32>::new(), "left running");
}

#[tokio::test]
async fn mlserver_answers_v2_columns_with_content_type_pd_and_refuses_them_without() {
    let Some(server) = RealServer::shared(Kind::MlServer, Variant::Normal) else {
        return;
    };
    let (want, want_proba) = expected();
    let rows = rows();
    let infer = format!("{}/infer", server.url(Protocol::V2));
    let mut body = v2_body(&rows, true);
    body["outputs"] = json!([{"name": "predict"}, {"name": "predict_proba"}]);
    let answer = post_json(&infer, &body).await;
    assert_ok(&answer, server);
    assert_eq!(answer.body["id"], "smoke-1");
    let outputs = &answer.body["outputs"];
    assert_eq!(outputs[0]["name"], "predict");
    assert_eq!(outputs[0]["shape"], json!([rows.len(), 1]));
    assert_eq!(ints(&outputs[0]["data"], "predict"), want);
    assert_eq!(outputs[1]["name"], "predict_proba");
    assert_eq!(outputs[1]["shape"], json!([rows.len(), 2]));
    let proba: Vec<f64> = outputs[1]["data"]
        .as_array()
        .expect("predict_proba data")
        .iter()
        .map(|v| v.as_f64().expect("a float"))
        .collect();
    for (got, want) in proba.chunks(2).zip(&want_proba) {
        assert!((got[0] - want[0]).abs() < 1e-12 && (got[1] - want[1]).abs() < 1e-12);
    }

    let answer = post_json(&infer, &v2_body(&rows, false)).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
    assert!(
        answer.body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("codec only supports a single input tensor"),
        "{}",
        answer.text
    );
}

#[tokio::test]
async fn mlserver_picky_refuses_a_batch_with_a_bad_row_with_500() {
    let Some(server) = RealServer::start(Kind::MlServer, Variant::Picky) else {
        return;
    };
    let infer = format!("{}/infer", server.url(Protocol::V2));
    let answer = post_json(&infer, &v2_body(&with_bad_row(), true)).await;
    assert_eq!(
        answer.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        answer.text
    );
    assert_eq!(
        answer.body["error"],
        "builtins.ValueError: Found unknown categories ['bad'] in column 0 during transform"
    );
}
