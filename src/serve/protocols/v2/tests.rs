use super::*;
use crate::serve::protocols::Protocol;
use crate::serve::protocols::tests::{MODEL, call, scored, state};
use axum::http::Method;

const JSON: Option<&str> = Some("application/json");

fn infer(body: Value) -> (u16, Value) {
    scored(score(body.to_string().as_bytes(), JSON, MODEL))
}

fn input(name: &str, shape: Value, data: Value) -> Value {
    json!({"name": name, "shape": shape, "datatype": "BYTES", "data": data})
}

const TUTORIAL: [u64; 8] = [1, 1, 2, 2, 0, 2, 0, 1];

#[test]
fn columns_and_single_tensors_score_alike() {
    let two = json!(["This is a good day", ""]);
    let mut want: Vec<u64> = TUTORIAL.to_vec();
    want.extend([0; 8]);
    for body in [
        json!({"id": "r-1", "parameters": {"content_type": "pd"},
            "inputs": [input("x", json!([2]), json!(["1", "2"])), input("Col2", json!([2]), two.clone())]}),
        json!({"id": "r-1", "inputs": [input("texts", json!([2]), two.clone())]}),
        json!({"id": "r-1", "inputs": [input("texts", json!([2, 1]), json!([["This is a good day"], [""]]))],
            "outputs": [{"name": "hashing"}]}),
        json!({"id": "r-1", "inputs": [input("Col2", json!([2]), two.clone())]}),
    ] {
        let (status, v) = infer(body.clone());
        assert_eq!(status, 200, "{body}: {v}");
        assert_eq!(
            v,
            json!({"model_name": "feature-hashing", "model_version": "1", "id": "r-1",
                "parameters": {}, "outputs": [{"name": "hashing", "shape": [2, 8],
                "datatype": "INT64", "data": want}]}),
            "{body}"
        );
    }
    let (_, v) = infer(json!({"inputs": [input("Col2", json!([1]), json!(["a"]))]}));
    assert_eq!(
        v["id"].as_str().unwrap().len(),
        36,
        "a new id when none is sent"
    );
}

#[test]
fn codec_refusals_are_400() {
    for (body, message) in [
        (
            json!({"inputs": [input("x", json!([1]), json!(["1"])), input("Col2", json!([1]), json!(["a"]))]}),
            "np codec only supports a single input tensor".to_string(),
        ),
        (
            json!({"inputs": [input("Col2", json!([1]), json!(["a"]))], "outputs": [{"name": "predict"}]}),
            "Output `predict` is not an output of model feature-hashing; its only output is `hashing`".into(),
        ),
        (
            json!({"inputs": [input("Col2", json!([2]), json!(["a"]))]}),
            "cannot reshape array of size 1 into shape (2,)".into(),
        ),
    ] {
        assert_eq!(infer(body.clone()), (400, json!({"error": message})), "{body}");
    }
}

#[test]
fn model_failures_are_500() {
    let pd = json!({"content_type": "pd"});
    for (body, cause) in [
        (
            json!({"parameters": pd, "inputs": [input("Col1", json!([1]), json!(["a"]))]}),
            "KeyError",
        ),
        (
            json!({"inputs": [input("Col2", json!([2]), json!(["a", null]))]}),
            "NoneType",
        ),
        (
            json!({"inputs": [input("Col2", json!([1, 2]), json!([["a", "b"]]))]}),
            "2 features",
        ),
        (
            json!({"inputs": [input("Col2", json!([0]), json!([]))]}),
            "0 sample(s)",
        ),
        (
            json!({"parameters": pd, "inputs": [input("x", json!([1]), json!(["1"])), input("Col2", json!([2]), json!(["a", "b"]))]}),
            "same length",
        ),
    ] {
        let (status, v) = infer(body.clone());
        assert_eq!(status, 500, "{body}");
        assert!(v["error"].as_str().unwrap().contains(cause), "{body}: {v}");
    }
}

#[test]
fn malformed_requests_are_422_details() {
    let (status, v) = infer(json!({"inputs": [{"name": "Col2"}]}));
    assert_eq!(status, 422);
    assert_eq!(v["detail"].as_array().unwrap().len(), 3);
    let (status, v) = scored(score(
        b"Col2=a",
        Some("application/x-www-form-urlencoded"),
        MODEL,
    ));
    assert_eq!(
        (status, v["detail"][0]["type"].as_str()),
        (422, Some("model_attributes_type"))
    );
    let (status, v) = scored(score(b"{", JSON, MODEL));
    assert_eq!(
        (status, v["detail"][0]["type"].as_str()),
        (422, Some("json_invalid"))
    );
}

#[tokio::test]
async fn metadata_health_and_unknown_models() {
    let s = || state(Protocol::V2, |_| {});
    let get = |path: &'static str| async move {
        let (status, _, text) = call(s(), Method::GET, path, &[], "").await;
        (status, serde_json::from_str::<Value>(&text).unwrap())
    };
    for path in [
        "/v2/models/feature-hashing",
        "/v2/models/feature-hashing/versions/1",
    ] {
        let (status, v) = get(path).await;
        assert_eq!(status, 200);
        assert_eq!(
            v["inputs"],
            json!([{"name": "Col2", "datatype": "BYTES", "shape": [-1],
            "parameters": {"content_type": "str"}}])
        );
        assert_eq!(
            v["outputs"],
            json!([{"name": "hashing", "datatype": "INT64", "shape": [-1, 8]}])
        );
        assert_eq!(v["versions"], json!(["1"]));
    }
    assert_eq!(get("/v2").await.0, 200);
    assert_eq!(get("/v2/health/live").await, (200, json!({"live": true})));
    assert_eq!(get("/v2/health/ready").await.0, 200);
    assert_eq!(get("/v2/models/feature-hashing/ready").await.0, 200);
    assert_eq!(
        get("/v2/models/feature-hashing/versions/1/ready").await.0,
        200
    );
    assert_eq!(
        get("/v2/models/other").await,
        (404, json!({"error": "Model other not found"}))
    );
    assert_eq!(
        get("/v2/models/feature-hashing/versions/2").await,
        (
            404,
            json!({"error": "Model feature-hashing with version 2 not found"})
        )
    );
    let (status, _, text) = call(s(), Method::POST, "/v2/models/other/infer", &[], "{}").await;
    assert_eq!(
        (status, text.as_str()),
        (404, r#"{"error":"Model other not found"}"#)
    );
    assert_eq!(
        get("/v2/nothing").await,
        (404, json!({"detail": "Not Found"}))
    );
    let (status, _, _) = call(
        s(),
        Method::GET,
        "/v2/models/feature-hashing/infer",
        &[],
        "",
    )
    .await;
    assert_eq!(status, 405);
}
