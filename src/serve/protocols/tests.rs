//! What every protocol shares, tested through the routers in-process: the optional key, the
//! concurrency limit, injected faults and the body limit, each in the protocol's envelope.
//! Also the helpers the protocols' own tests use.

use super::*;
use crate::serve::faults::FaultConfig;
use axum::http::Method;
use serde_json::{Value, json};
use tower::ServiceExt;

pub const FH: FeatureHashing = FeatureHashing { bits: 3, ngrams: 2 };

pub const MODEL: Model = Model {
    defaults: FH,
    max_cells: 1_000_000,
};

/// The state of `protocol` with the defaults, as `change` leaves it.
pub fn state(protocol: Protocol, change: impl FnOnce(&mut ProtocolState)) -> Arc<ProtocolState> {
    let mut s = ProtocolState {
        protocol,
        experiment: FH,
        max_concurrency: 20,
        throttle: Arc::new(Semaphore::new(20)),
        limits: Limits::default(),
        faults: Faults::new(FaultConfig::default()),
        api_key: None,
    };
    change(&mut s);
    Arc::new(s)
}

/// Status, headers and body text of `method path` with a JSON `body` and `headers`.
pub async fn call(
    state: Arc<ProtocolState>,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, HeaderMap, String) {
    let mut req = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Body::from(body.to_string())).unwrap();
    let resp = router(state).oneshot(req).await.unwrap();
    let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

/// The status and JSON body of a scorer's answer.
pub fn scored((resp, _): Scored) -> (u16, Value) {
    let status = resp.status().as_u16();
    let bytes = futures::executor::block_on(axum::body::to_bytes(resp.into_body(), 1 << 24));
    let bytes = bytes.unwrap();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}

/// Each protocol's scoring call for the tutorial row: path, content type, body.
fn tutorial(protocol: Protocol) -> (String, &'static str, String) {
    let text = "This is a good day";
    let (path, body) = match protocol {
        Protocol::Mlflow => (
            "/invocations".to_string(),
            json!({"dataframe_split": {"columns": ["Col2"], "data": [[text]]}}),
        ),
        Protocol::Azureml => (
            "/score".into(),
            json!({"input_data": {"columns": ["Col2"], "index": [0], "data": [[text]]}}),
        ),
        Protocol::V2 => (
            "/v2/models/feature-hashing/infer".into(),
            json!({"parameters": {"content_type": "pd"},
                "inputs": [{"name": "Col2", "shape": [1], "datatype": "BYTES", "data": [text]}]}),
        ),
        Protocol::KserveV1 => (
            "/v1/models/feature-hashing:predict".into(),
            json!({"instances": [[text]]}),
        ),
        Protocol::Classic => unreachable!(),
    };
    (path, "application/json", body.to_string())
}

const MODERN: [Protocol; 4] = [
    Protocol::Mlflow,
    Protocol::Azureml,
    Protocol::V2,
    Protocol::KserveV1,
];

/// The message of an error body in any protocol's envelope.
fn message(protocol: Protocol, body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let key = match protocol {
        Protocol::Mlflow | Protocol::Azureml => "message",
        _ => "error",
    };
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no `{key}`: {body}"))
        .to_string()
}

#[tokio::test]
async fn every_protocol_scores_the_tutorial_row() {
    for p in MODERN {
        let (path, ct, body) = tutorial(p);
        let (status, _, text) = call(
            state(p, |_| {}),
            Method::POST,
            &path,
            &[("content-type", ct)],
            &body,
        )
        .await;
        assert_eq!(status, 200, "{p:?}: {text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        let counts: Value = match p {
            Protocol::Mlflow => v["predictions"][0]
                .as_object()
                .unwrap()
                .values()
                .cloned()
                .collect(),
            Protocol::Azureml => v[0].as_object().unwrap().values().cloned().collect(),
            Protocol::V2 => v["outputs"][0]["data"].clone(),
            _ => v["predictions"][0].clone(),
        };
        assert_eq!(counts, json!([1, 1, 2, 2, 0, 2, 0, 1]), "{p:?}");
    }
}

#[tokio::test]
async fn a_key_is_required_only_when_one_was_given() {
    for p in MODERN {
        let (path, ct, body) = tutorial(p);
        let keyed = || state(p, |s| s.api_key = Some(Secret::new("k1")));
        let (status, headers, text) =
            call(keyed(), Method::POST, &path, &[("content-type", ct)], &body).await;
        assert_eq!(status, 401, "{p:?}");
        assert_eq!(headers["www-authenticate"], "Bearer");
        assert!(
            message(p, &text).contains("Authorization: Bearer"),
            "{p:?}: {text}"
        );
        let wrong = [("content-type", ct), ("authorization", "Bearer k2")];
        assert_eq!(
            call(keyed(), Method::POST, &path, &wrong, &body).await.0,
            401
        );
        let right = [("content-type", ct), ("authorization", "bearer k1")];
        assert_eq!(
            call(keyed(), Method::POST, &path, &right, &body).await.0,
            200,
            "{p:?}"
        );
    }
    let (_, headers, text) = call(
        state(Protocol::Mlflow, |s| s.api_key = Some(Secret::new("k1"))),
        Method::GET,
        "/ping",
        &[],
        "",
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["error_code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(headers["content-type"], "application/json");
    let (_, headers, _) = call(
        state(Protocol::Azureml, |s| s.api_key = Some(Secret::new("k1"))),
        Method::POST,
        "/score",
        &[("x-ms-client-request-id", "c1")],
        "",
    )
    .await;
    assert_eq!(
        headers["x-ms-client-request-id"], "c1",
        "request ids on refusals too"
    );
}

#[tokio::test]
async fn calls_over_the_concurrency_limit_are_503_in_each_envelope() {
    for p in MODERN {
        let (path, ct, body) = tutorial(p);
        let full = state(p, |s| s.throttle = Arc::new(Semaphore::new(0)));
        let (status, headers, text) =
            call(full, Method::POST, &path, &[("content-type", ct)], &body).await;
        assert_eq!(status, 503, "{p:?}");
        assert_eq!(headers["retry-after"], "1");
        assert!(
            message(p, &text).contains("at most 20 scoring requests"),
            "{text}"
        );
    }
    let (_, _, text) = call(
        state(Protocol::Mlflow, |s| {
            s.throttle = Arc::new(Semaphore::new(0))
        }),
        Method::POST,
        "/invocations",
        &[],
        "",
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["error_code"],
        "TEMPORARILY_UNAVAILABLE"
    );
}

#[tokio::test]
async fn injected_faults_answer_for_the_scoring_route_only() {
    for p in MODERN {
        let (path, ct, body) = tutorial(p);
        let faulty = |f: FaultConfig| state(p, |s| s.faults = Faults::new(f));
        let unavailable = FaultConfig {
            unavailable: 1.0,
            ..FaultConfig::default()
        };
        let (status, _, text) = call(
            faulty(unavailable.clone()),
            Method::POST,
            &path,
            &[("content-type", ct)],
            &body,
        )
        .await;
        assert_eq!(status, 503, "{p:?}");
        message(p, &text);
        let limited = FaultConfig {
            rate_limited: 1.0,
            retry_after: 7,
            ..FaultConfig::default()
        };
        let (status, headers, text) = call(
            faulty(limited),
            Method::POST,
            &path,
            &[("content-type", ct)],
            &body,
        )
        .await;
        assert_eq!(
            (status, &headers["retry-after"]),
            (429, &HeaderValue::from_static("7"))
        );
        assert!(
            text.contains("Rate limit is exceeded. Try again in 7 seconds."),
            "{text}"
        );
        // Health and metadata routes are never faulted.
        let health = match p {
            Protocol::Mlflow => "/ping",
            Protocol::Azureml => "/",
            Protocol::V2 => "/v2/health/ready",
            _ => "/v1/models/feature-hashing",
        };
        assert_eq!(
            call(faulty(unavailable), Method::GET, health, &[], "")
                .await
                .0,
            200
        );
    }
}

#[tokio::test]
async fn oversized_bodies_are_413_in_each_envelope() {
    for p in MODERN {
        let (path, ct, _) = tutorial(p);
        let small = state(p, |s| s.limits.max_body = 10);
        let body = format!("{{\"x\": \"{}\"}}", "a".repeat(100));
        let (status, _, text) =
            call(small, Method::POST, &path, &[("content-type", ct)], &body).await;
        assert_eq!(status, 413, "{p:?}");
        assert!(
            message(p, &text).contains("over the limit of 10 bytes"),
            "{text}"
        );
    }
}

#[test]
fn scoring_urls_and_names() {
    let paths: Vec<Option<String>> = [Protocol::Classic]
        .into_iter()
        .chain(MODERN)
        .map(Protocol::scoring_path)
        .collect();
    assert_eq!(
        paths,
        [
            None,
            Some("/invocations".into()),
            Some("/score".into()),
            Some("/v2/models/feature-hashing".into()),
            Some("/v1/models/feature-hashing:predict".into())
        ]
    );
    assert_eq!(Protocol::KserveV1.name(), "kserve-v1");
    assert!(MODERN.iter().all(|p| !p.routes().is_empty()));
}
