use super::*;
use crate::serve::protocols::tests::{MODEL, call, scored, state};
use crate::serve::protocols::{MODEL_NAME, Protocol};
use axum::http::Method;

const JSON: Option<&str> = Some("application/json");

fn post(body: Value) -> (u16, Value) {
    scored(score(body.to_string().as_bytes(), JSON, MODEL))
}

fn predictions_of(v: &Value) -> Vec<Vec<u64>> {
    v["predictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_object()
                .unwrap()
                .values()
                .map(|c| c.as_u64().unwrap())
                .collect()
        })
        .collect()
}

const TUTORIAL: [u64; 8] = [1, 1, 2, 2, 0, 2, 0, 1];

#[test]
fn every_body_format_scores_the_same_row() {
    let text = "This is a good day";
    for body in [
        json!({"dataframe_split": {"columns": ["x", "Col2"], "data": [[1, text]], "index": [7]}}),
        json!({"dataframe_records": [{"Col2": text, "x": 1}]}),
        json!({"instances": [{"Col2": text}]}),
        json!({"instances": [text]}),
        json!({"inputs": {"Col2": [text]}}),
        json!({"inputs": {"Col2": text}}),
        json!({"dataframe_split": {"columns": ["Col2"], "data": [[text]]}, "params": {}}),
    ] {
        let (status, v) = post(body.clone());
        assert_eq!(status, 200, "{body}: {v}");
        assert_eq!(predictions_of(&v), [TUTORIAL], "{body}");
        let first = v["predictions"][0].as_object().unwrap();
        assert_eq!(first.keys().next().unwrap(), "Col2_HashingFeature.0");
    }
    let csv = "x,Col2\n1,This is a good day\n2,\"a, b\"\n";
    let (status, v) = scored(score(
        csv.as_bytes(),
        Some("text/csv; charset=utf-8"),
        MODEL,
    ));
    assert_eq!(status, 200, "{v}");
    assert_eq!(predictions_of(&v).len(), 2);
}

#[test]
fn params_override_the_experiment() {
    let body = json!({"dataframe_split": {"columns": ["Col2"], "data": [["This is a good day"]]},
        "params": {"Hashing bitsize": 4, "N-grams": 3, "unknown": true}});
    let (status, v) = post(body);
    assert_eq!(status, 200);
    // Vector 3 of tests/data/feature_hashing.json.
    assert_eq!(
        predictions_of(&v),
        [[2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 2, 0, 1]]
    );
    let bad = json!({"inputs": ["a"], "params": {"Hashing bitsize": "4"}});
    let (status, v) = post(bad);
    assert_eq!(
        (status, v["error_code"].as_str()),
        (400, Some("INVALID_PARAMETER_VALUE"))
    );
    let range = json!({"inputs": ["a"], "params": {"N-grams": 11}});
    let (status, v) = post(range);
    assert_eq!(
        (status, v["error_code"].as_str()),
        (400, Some("BAD_REQUEST"))
    );
    assert!(
        v["stack_trace"]
            .as_str()
            .unwrap()
            .trim_end()
            .ends_with("got 11."),
        "{v}"
    );
}

#[test]
fn a_missing_column_is_a_schema_enforcement_failure() {
    let (status, v) = post(json!({"dataframe_split": {"columns": ["Col1"], "data": [["x"]]}}));
    assert_eq!(status, 400);
    assert_eq!(v["error_code"], "INVALID_PARAMETER_VALUE");
    assert_eq!(v["error_class"], "SCHEMA_ENFORCEMENT_FAILED");
    assert_eq!(v["sqlstate"], "KAM01");
    let m = v["message"].as_str().unwrap();
    assert!(
        m.starts_with(
            "Failed to predict data '   Col1\n0     x'. \nError: Failed to enforce schema"
        ),
        "{m}"
    );
    assert!(
        m.ends_with(
            "Model is missing inputs ['Col2']. Note that there were extra inputs: ['Col1']"
        ),
        "{m}"
    );
    let (_, v) = post(json!({"dataframe_records": []}));
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .ends_with("Model is missing inputs ['Col2']."),
        "{v}"
    );
}

#[test]
fn model_failures_are_400_with_the_cause_last_in_the_stack_trace() {
    for (body, cause) in [
        (
            json!({"dataframe_split": {"columns": ["Col2"], "data": [["a"], [null]]}}),
            "'NoneType'",
        ),
        (
            json!({"dataframe_split": {"columns": ["Col2"], "data": []}}),
            "0 sample(s)",
        ),
        (
            json!({"dataframe_records": [{"Col2": "a"}, {"x": 1}]}),
            "'NoneType'",
        ),
        (json!({"inputs": {"Col2": [5]}}), "'int'"),
    ] {
        let (status, v) = post(body.clone());
        assert_eq!(status, 400, "{body}");
        assert_eq!(v["error_code"], "BAD_REQUEST");
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .starts_with("Encountered an unexpected error")
        );
        let last = v["stack_trace"]
            .as_str()
            .unwrap()
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .to_string();
        assert!(last.contains(cause), "{body}: {last}");
    }
    let (status, v) = scored(score(b"Col2\nNA\n", Some("text/csv"), MODEL));
    assert_eq!(status, 400, "pandas reads NA as missing: {v}");
}

#[test]
fn bodies_that_are_no_request_are_bad_requests() {
    for (body, part) in [
        (
            "{not json".to_string(),
            "Ensure that input is a valid JSON formatted string",
        ),
        ("[1]".into(), "Received a list."),
        (
            "{\"data\": 1}".into(),
            "Received dictionary with input fields: [].",
        ),
        (
            json!({"instances": [], "inputs": []}).to_string(),
            "['instances', 'inputs']",
        ),
        (
            json!({"dataframe_split": {"columns": ["Col2"], "data": [["a", "b"]]}}).to_string(),
            "1 columns passed",
        ),
        (
            json!({"dataframe_split": {"columns": ["Col2"]}}).to_string(),
            "must have 'data' field",
        ),
        (
            json!({"inputs": {"Col2": ["a", "b"], "x": [1]}}).to_string(),
            "are not the same",
        ),
    ] {
        let (status, v) = scored(score(body.as_bytes(), JSON, MODEL));
        assert_eq!(
            (status, v["error_code"].as_str()),
            (400, Some("BAD_REQUEST")),
            "{body}"
        );
        assert!(v["message"].as_str().unwrap().contains(part), "{body}: {v}");
    }
    let (status, v) = scored(score(b"Col2\na,b\n", Some("text/csv"), MODEL));
    assert_eq!(status, 400);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("Failed to parse input as a Pandas DataFrame")
    );
}

#[test]
fn other_content_types_are_415_in_plain_text() {
    for (ct, part) in [
        (Some("text/plain"), "Got 'text/plain'."),
        (None, "Got 'None'."),
        (
            Some("application/json; charset=latin-1"),
            "only supports UTF-8",
        ),
        (
            Some("application/json; format=pandas-split"),
            "Unrecognized content type parameters: format.",
        ),
    ] {
        let (resp, rows) = score(b"{}", ct, MODEL);
        assert_eq!(resp.status(), 415, "{ct:?}");
        assert_eq!(resp.headers()["content-type"], "text/plain");
        assert!(rows.is_none());
        let (_, v) = scored((resp, None));
        assert!(v.as_str().unwrap().contains(part), "{ct:?}: {v}");
    }
}

#[tokio::test]
async fn health_version_and_fastapi_404s() {
    let s = || state(Protocol::Mlflow, |_| {});
    for path in ["/ping", "/health"] {
        let (status, headers, body) = call(s(), Method::GET, path, &[], "").await;
        assert_eq!((status, body.as_str()), (200, "\n"));
        assert_eq!(headers["content-type"], "application/json");
    }
    assert_eq!(
        call(s(), Method::GET, "/version", &[], "").await.2,
        MLFLOW_VERSION
    );
    let (status, _, body) = call(s(), Method::GET, "/score", &[], "").await;
    assert_eq!((status, body.as_str()), (404, r#"{"detail":"Not Found"}"#));
    let (status, _, body) = call(s(), Method::GET, "/invocations", &[], "").await;
    assert_eq!(
        (status, body.as_str()),
        (405, r#"{"detail":"Method Not Allowed"}"#)
    );
    assert_eq!(MODEL_NAME, "feature-hashing");
}
