//! `mlws serve --apim-suffix`: the API Management layer's exact answers (`protocol.md` §6.3),
//! subscription keys in the header or the query, the rate limit and quota with `Retry-After`,
//! and service answers relayed unchanged.

mod support;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use support::serve::Emulator;

fn tutorial() -> String {
    json!({"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": [["This is a good day"]]}}, "GlobalParameters": {}})
        .to_string()
}

/// POSTs the tutorial row to `url` with the given subscription and API keys; returns the
/// status, headers and raw body.
async fn call(url: &str, sub_key: Option<&str>, api_key: &str) -> (StatusCode, HeaderMap, String) {
    let mut req = reqwest::Client::new()
        .post(url)
        .header("Authorization", format!("Bearer {api_key}"))
        .body(tutorial());
    if let Some(k) = sub_key {
        req = req.header("Ocp-Apim-Subscription-Key", k);
    }
    let resp = req.send().await.unwrap();
    let (s, h) = (resp.status(), resp.headers().clone());
    (s, h, resp.text().await.unwrap())
}

fn gateway_body(status: u16, message: &str) -> String {
    format!("{{ \"statusCode\": {status}, \"message\": \"{message}\" }}")
}

#[tokio::test]
async fn the_documented_row_through_the_gateway() {
    let emu = Emulator::start(&["--apim-suffix", "azureml-demo"]);
    assert!(emu.base_url.ends_with("/azureml-demo"), "{}", emu.base_url);
    let key = emu
        .subscription_key
        .clone()
        .expect("a subscription key with --apim-suffix");
    assert_eq!(key.len(), 32);
    let (s, h, body) = call(
        &emu.execute_url("api-version=2.0&details=true"),
        Some(&key),
        &emu.api_key,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(h.contains_key("x-ms-request-id"));
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["Results"]["output1"]["value"]["Values"][0],
        json!(["This is a good day", "1", "1", "2", "2", "0", "2", "0", "1"])
    );
    // The key may come as the `subscription-key` query parameter instead.
    let url = emu.execute_url(&format!("api-version=2.0&subscription-key={key}"));
    assert_eq!(call(&url, None, &emu.api_key).await.0, StatusCode::OK);
    // The service host answers directly too, without a subscription key.
    let direct = format!(
        "{}/execute?api-version=2.0",
        emu.service_root(&emu.origin())
    );
    assert_eq!(call(&direct, None, &emu.api_key).await.0, StatusCode::OK);
}

#[tokio::test]
async fn missing_or_invalid_subscription_key_is_401_with_www_authenticate() {
    let emu = Emulator::start(&["--apim-suffix", "demo", "--subscription-key", "sk1"]);
    let url = emu.execute_url("api-version=2.0");
    let challenge = format!(
        "AzureApiManagementKey realm=\"{}\",name=\"Ocp-Apim-Subscription-Key\",type=\"header\"",
        emu.base_url
    );
    let (s, h, body) = call(&url, None, &emu.api_key).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(h["www-authenticate"], challenge.as_str());
    assert_eq!(h["content-type"], "application/json");
    assert_eq!(
        body,
        gateway_body(
            401,
            "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."
        )
    );
    let (s, h, body) = call(&url, Some("sk2"), &emu.api_key).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(h["www-authenticate"], challenge.as_str());
    assert_eq!(
        body,
        gateway_body(
            401,
            "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."
        )
    );
    // With a good subscription key, the service's own 401 comes back unchanged.
    let (s, _, body) = call(&url, Some("sk1"), "wrong-api-key").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["details"][0]["code"], "ScoreRequestUnauthorized");
}

#[tokio::test]
async fn rate_limit_gives_429_with_retry_after() {
    let emu = Emulator::start(&["--apim-suffix", "demo", "--rate-limit", "2/60"]);
    let key = emu.subscription_key.clone().unwrap();
    let url = emu.execute_url("api-version=2.0");
    for _ in 0..2 {
        assert_eq!(call(&url, Some(&key), &emu.api_key).await.0, StatusCode::OK);
    }
    let (s, h, body) = call(&url, Some(&key), &emu.api_key).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(h["content-type"], "application/json");
    let secs: u64 = h["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&secs), "{secs}");
    assert_eq!(
        body,
        gateway_body(
            429,
            &format!("Rate limit is exceeded. Try again in {secs} seconds.")
        )
    );
    // The service host itself has no rate limit.
    let direct = format!(
        "{}/execute?api-version=2.0",
        emu.service_root(&emu.origin())
    );
    assert_eq!(call(&direct, None, &emu.api_key).await.0, StatusCode::OK);
}

#[tokio::test]
async fn quota_gives_403_with_retry_after() {
    let emu = Emulator::start(&["--apim-suffix", "demo", "--quota", "2/3600"]);
    let key = emu.subscription_key.clone().unwrap();
    let url = emu.execute_url("api-version=2.0");
    for _ in 0..2 {
        assert_eq!(call(&url, Some(&key), &emu.api_key).await.0, StatusCode::OK);
    }
    let (s, h, body) = call(&url, Some(&key), &emu.api_key).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let secs: u64 = h["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3590..=3600).contains(&secs), "{secs}");
    let left = format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    assert_eq!(
        body,
        gateway_body(
            403,
            &format!("Out of call volume quota. Quota will be replenished in {left}.")
        )
    );
}

#[tokio::test]
async fn paths_that_are_no_operation_get_404_resource_not_found() {
    let emu = Emulator::start(&["--apim-suffix", "demo"]);
    let key = emu.subscription_key.clone().unwrap();
    let root = emu.service_root(&emu.base_url);
    for url in [
        format!("{}/nothing", emu.base_url),
        format!("{root}/swagger.json"),
        format!("{root}/execute/extra?api-version=2.0"),
    ] {
        let (s, h, body) = call(&url, Some(&key), &emu.api_key).await;
        assert_eq!(
            (s, body.as_str()),
            (
                StatusCode::NOT_FOUND,
                gateway_body(404, "Resource not found").as_str()
            ),
            "{url}"
        );
        assert_eq!(h["content-type"], "application/json");
    }
    let resp = reqwest::Client::new()
        .get(emu.execute_url("api-version=2.0"))
        .header("Ocp-Apim-Subscription-Key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::NOT_FOUND,
        "GET is no operation of execute"
    );
}
