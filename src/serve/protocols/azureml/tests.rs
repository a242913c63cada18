use super::*;
use crate::serve::protocols::Protocol;
use crate::serve::protocols::tests::{call, state};
use axum::http::Method;

const JSON: [(&str, &str); 1] = [("content-type", "application/json")];

async fn score_body(body: &str, headers: &[(&str, &str)]) -> (u16, HeaderMap, Value) {
    let s = state(Protocol::Azureml, |_| {});
    let (status, h, text) = call(s, Method::POST, "/score", headers, body).await;
    let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, h, v)
}

#[tokio::test]
async fn input_data_and_data_score_to_a_bare_list_of_rows() {
    let want = json!([{"Col2_HashingFeature.0": 1, "Col2_HashingFeature.1": 1,
        "Col2_HashingFeature.2": 2, "Col2_HashingFeature.3": 2, "Col2_HashingFeature.4": 0,
        "Col2_HashingFeature.5": 2, "Col2_HashingFeature.6": 0, "Col2_HashingFeature.7": 1}]);
    for body in [
        json!({"input_data": {"columns": ["x", "Col2"], "index": [0], "data": [[1, "This is a good day"]]}}),
        json!({"input_data": {"columns": ["Col2"], "index": [0], "data": [["This is a good day"]]}, "params": {}}),
        json!({"data": [["This is a good day"]]}),
    ] {
        let (status, headers, v) = score_body(&body.to_string(), &JSON).await;
        assert_eq!((status, &v), (200, &want), "{body}");
        assert!(headers.contains_key("x-ms-run-fn-exec-ms"));
    }
    let s = state(Protocol::Azureml, |_| {});
    let query = "/score?data=%5B%5B%22This%20is%20a%20good%20day%22%5D%5D";
    let (status, _, text) = call(s, Method::GET, query, &[], "").await;
    assert_eq!(
        (status, serde_json::from_str::<Value>(&text).unwrap()),
        (200, want)
    );
}

#[tokio::test]
async fn params_change_the_experiment() {
    let body = json!({"input_data": {"columns": ["Col2"], "index": [0], "data": [["This is a good day"]]},
        "params": {"Hashing bitsize": 4}});
    let (status, _, v) = score_body(&body.to_string(), &JSON).await;
    assert_eq!(status, 200);
    assert_eq!(v[0].as_object().unwrap().len(), 16);
}

#[tokio::test]
async fn server_checks_are_400_and_415() {
    for (body, headers, status, message) in [
        (
            "{not json",
            &JSON[..],
            400,
            "POST body could not be decoded as JSON: ",
        ),
        (
            "",
            &JSON[..],
            400,
            "POST body is empty. Expecting a JSON dictionary.",
        ),
        (
            "[1]",
            &JSON[..],
            400,
            "POST body should be a JSON dictionary.",
        ),
        (
            r#"{"dataframe_split": {}}"#,
            &JSON[..],
            400,
            "A value is not provided for the 'input_data' parameter.",
        ),
        (
            "{}",
            &[("content-type", "text/plain")][..],
            415,
            "Expects Content-Type to be application/json",
        ),
        (
            "{}",
            &[][..],
            415,
            "Expects Content-Type to be application/json",
        ),
    ] {
        let (got, headers, v) = score_body(body, headers).await;
        assert_eq!(got, status, "{body}");
        assert!(
            v["message"].as_str().unwrap().starts_with(message),
            "{body}: {v}"
        );
        assert!(!headers.contains_key("x-ms-run-function-failed"));
    }
}

#[tokio::test]
async fn failures_inside_run_are_500_with_the_run_failed_header() {
    for body in [
        json!({"input_data": {"columns": ["Col1"], "index": [0], "data": [["x"]]}}),
        json!({"input_data": {"columns": ["Col2"], "index": [0, 1], "data": [["x"], [null]]}}),
        json!({"input_data": {"columns": ["Col2"], "index": [], "data": []}}),
        json!({"input_data": [{"Col2": "x"}]}),
        json!({"data": [["a", "b"]]}),
        json!({"data": "a"}),
        json!({"data": [["a"]], "params": {"N-grams": 99}}),
    ] {
        let (status, headers, v) = score_body(&body.to_string(), &JSON).await;
        assert_eq!(status, 500, "{body}");
        assert_eq!(headers["x-ms-run-function-failed"], "True");
        assert_eq!(v["message"], RUN_FAILED);
    }
}

#[tokio::test]
async fn every_answer_carries_the_request_ids() {
    let s = || state(Protocol::Azureml, |_| {});
    let (status, headers, body) = call(s(), Method::GET, "/", &[], "").await;
    assert_eq!((status, body.as_str()), (200, "Healthy"));
    let id = headers["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(headers["x-ms-request-id"], id);
    assert!(!headers.contains_key("x-ms-client-request-id"));
    let sent = [
        ("x-ms-client-request-id", "mine-1"),
        ("azureml-model-deployment", "blue"),
    ];
    let (_, headers, _) = call(s(), Method::GET, "/nowhere", &sent, "").await;
    assert_eq!(headers["x-ms-client-request-id"], "mine-1");
    assert_eq!(headers["x-ms-request-id"], "mine-1");
    let long = "x".repeat(101);
    let (status, _, _) = call(s(), Method::GET, "/", &[("x-request-id", &long)], "").await;
    assert_eq!(status, 431);
}

#[tokio::test]
async fn swagger_routes_and_other_methods() {
    let s = || state(Protocol::Azureml, |_| {});
    for (query, key) in [
        ("", "swagger"),
        ("?version=2", "swagger"),
        ("?version=3", "openapi"),
    ] {
        let (status, _, text) =
            call(s(), Method::GET, &format!("/swagger.json{query}"), &[], "").await;
        assert_eq!(status, 200);
        assert!(
            serde_json::from_str::<Value>(&text).unwrap()[key].is_string(),
            "{query}"
        );
    }
    let (status, _, text) = call(s(), Method::GET, "/swagger.json?version=9", &[], "").await;
    assert_eq!(status, 404);
    assert!(text.contains("Swagger version [9] is not valid"));
    assert_eq!(call(s(), Method::OPTIONS, "/score", &[], "").await.0, 200);
    let (status, _, text) = call(s(), Method::PUT, "/score", &[], "").await;
    assert_eq!(
        (status, text.as_str()),
        (405, r#"{"message":"Method not allowed"}"#)
    );
    let (status, _, text) = call(s(), Method::GET, "/invocations", &[], "").await;
    assert_eq!(status, 404);
    assert!(text.contains("The requested URL was not found on the server."));
}
