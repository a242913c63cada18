//! API Management as code, end to end: `mlws apim export` writes a document that a real OpenAPI
//! validator (`openapi-spec-validator` from PyPI) accepts for every protocol, and `mlws serve
//! --apim-definition --apim-policy` built from that document and its policy is a gateway through
//! which `mlws rrs execute` and `mlws bes run` work with only a subscription key; an operation
//! left out of the document answers the gateway's 404; the policy's rate limit gives 429 with
//! `Retry-After`, which mlws waits out.

mod support;

use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use support::sandbox::Sandbox;
use support::serve::Emulator;

/// The pin of `.ci/install-servers` (tools/servers/tools.in).
const VALIDATOR_PIN: &str = "openapi-spec-validator==0.9.0";

/// `openapi-spec-validator` of the `tools` venv, or `None` (with a note) outside CI.
fn validator() -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let dir = env("MLWS_SERVERS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            env("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env("HOME").unwrap_or_default()).join(".cache"))
                .join("mlws-servers")
        });
    let candidates = [
        dir.join("venvs/tools/bin/openapi-spec-validator"),
        dir.join("tools/bin/openapi-spec-validator"),
    ];
    if let Some(found) = candidates.iter().find(|p| p.is_file()) {
        return Some(found.clone());
    }
    let venv = dir.join("venvs/tools");
    let how = format!(
        "run .ci/install-servers, or: uv venv {v} && uv pip install --python {v}/bin/python {VALIDATOR_PIN}",
        v = venv.display()
    );
    if env("CI").is_some_and(|v| v != "false" && v != "0") {
        panic!(
            "openapi-spec-validator is not installed under `{}`: {how}",
            dir.display()
        );
    }
    eprintln!(
        "note: skipping the OpenAPI validation: openapi-spec-validator is not installed under `{}` ({how})",
        dir.display()
    );
    None
}

/// Runs the validator on `path` as OpenAPI 3.0; panics with its output unless it passes.
fn validate(validator: &Path, path: &Path) {
    let out = std::process::Command::new(validator)
        .args(["--schema", "3.0"])
        .arg(path)
        .output()
        .expect("cannot run openapi-spec-validator");
    assert!(
        out.status.success(),
        "`{}` is not valid OpenAPI 3.0:\n{}{}",
        path.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The operationIds of a document, in order.
fn operation_ids(doc: &Value) -> Vec<String> {
    doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|op| op["operationId"].as_str().unwrap().to_string())
        .collect()
}

const CLASSIC_IDS: [&str; 5] = [
    "rrs-execute",
    "bes-submit",
    "bes-start",
    "bes-status",
    "bes-delete",
];

/// `apim export --policy policy.xml ARGS` against the emulator `em` into the sandbox; returns
/// the document's and the policy's paths.
fn export_from(sb: &Sandbox, em: &Emulator, args: &[&str]) -> (PathBuf, PathBuf) {
    let (doc, policy) = (sb.path("api.json"), sb.path("policy.xml"));
    sb.cmd_for(em)
        .args(["apim", "export", "-o", "api.json", "--policy", "policy.xml"])
        .args(args)
        .assert()
        .success()
        .stdout("");
    (doc, policy)
}

/// An emulator with a gateway at `/ml` built from the document and policy.
fn gateway(doc: &Path, policy: &Path) -> Emulator {
    Emulator::start(&[
        "--apim-suffix",
        "ml",
        "--apim-definition",
        doc.to_str().unwrap(),
        "--apim-policy",
        policy.to_str().unwrap(),
    ])
}

#[test]
fn exported_documents_validate_for_every_protocol() {
    let validator = validator();
    let sb = Sandbox::new();
    // Classic, with the columns of the live swagger.json, then with a service that cannot be
    // reached (the generic table, and a note).
    let em = Emulator::start(&[]);
    let (doc, policy) = export_from(&sb, &em, &["--title", "Feature hashing"]);
    let live = read_json(&doc);
    assert_eq!(live["openapi"], "3.0.3");
    assert_eq!(live["info"]["title"], "Feature hashing");
    assert_eq!(operation_ids(&live), CLASSIC_IDS);
    assert_eq!(live["servers"][0]["url"], em.base_url.as_str());
    assert_eq!(
        live["components"]["schemas"]["input1Item"]["properties"]["Col2"]["type"],
        "string"
    );
    assert!(
        std::fs::read_to_string(&policy)
            .unwrap()
            .contains("<value>Bearer {{ml-api-key}}</value>")
    );
    let mut files = vec![doc.clone()];
    let offline = sb.path("offline.json");
    sb.cmd()
        .args([
            "--service-url",
            "http://127.0.0.1:1/workspaces/w/services/s",
        ])
        .args(["apim", "export", "-o", offline.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the document describes tables of any columns",
        ));
    assert!(
        read_json(&offline)["components"]["schemas"]
            .get("input1Item")
            .is_none()
    );
    files.push(offline);
    // The model servers, by their URLs; stdout by default.
    for (name, url, first_id) in [
        (
            "mlflow",
            "http://127.0.0.1:1/invocations",
            "mlflow-invocations",
        ),
        ("azureml", "http://127.0.0.1:1/score", "azureml-score"),
        (
            "v2",
            "http://127.0.0.1:1/v2/models/m/versions/1",
            "v2-infer",
        ),
        (
            "kserve-v1",
            "http://127.0.0.1:1/v1/models/m:predict",
            "kserve-v1-predict",
        ),
    ] {
        let out = sb
            .cmd()
            .args(["--url", url, "apim", "export"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(operation_ids(&doc)[0], first_id, "{name}");
        let path = sb.path(&format!("{name}.json"));
        std::fs::write(&path, &out.stdout).unwrap();
        files.push(path);
    }
    if let Some(v) = validator {
        for f in &files {
            validate(&v, f);
        }
    }
}

#[test]
fn export_flags_are_checked() {
    let sb = Sandbox::new();
    let classic = [
        "--service-url",
        "http://127.0.0.1:1/workspaces/w/services/s",
    ];
    for (args, says) in [
        (
            &[
                "apim",
                "export",
                "--policy",
                "p.xml",
                "--rate-limit",
                "5/600",
            ][..],
            "at most 300 seconds",
        ),
        (
            &["apim", "export", "--policy", "p.xml", "--quota", "0/60"],
            "CALLS/SECS",
        ),
        (
            &["apim", "export", "-o", "no/such/dir/api.json"],
            "does not exist",
        ),
    ] {
        sb.cmd()
            .args(classic)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
    // A flag's limit and the policy's are one too many.
    let em = Emulator::start(&[]);
    let (doc, policy) = export_from(&sb, &em, &["--rate-limit", "5/60"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mlws"))
        .args(["serve", "--listen", "127.0.0.1:0", "--apim-suffix", "ml"])
        .args(["--rate-limit", "1/1", "--apim-definition"])
        .arg(&doc)
        .arg("--apim-policy")
        .arg(&policy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give it in one place"));
}

#[tokio::test]
async fn rrs_and_bes_through_the_exported_gateway_with_only_a_subscription_key() {
    let source = Emulator::start(&[]);
    let sb = Sandbox::new();
    let (doc, policy) = export_from(&sb, &source, &[]);
    let gw = gateway(&doc, &policy);
    let key = gw.subscription_key.clone().unwrap();
    std::fs::write(sb.path("in.csv"), "Col2\nThis is a good day\n").unwrap();
    sb.cmd_for(&gw)
        .env_remove("MLWS_API_KEY")
        .args(["rrs", "execute", "--input", "in.csv"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with(
            "This is a good day,1,1,2,2,0,2,0,1\n",
        ));
    sb.cmd_for(&gw)
        .env_remove("MLWS_API_KEY")
        .env(
            "MLWS_STORAGE_CONNECTION_STRING",
            &gw.storage_connection_string,
        )
        .args(["bes", "run", "--input", "in.csv", "--output", "out.csv"])
        .args(["--poll-interval", "0.1"])
        .assert()
        .success();
    let out = std::fs::read_to_string(sb.path("out.csv")).unwrap();
    assert!(
        out.ends_with("This is a good day,1,1,2,2,0,2,0,1\n"),
        "{out}"
    );
    // The policy put the API key in; a caller's own wrong key is overridden.
    let url = format!("{}/execute?api-version=2.0", gw.service_root(&gw.base_url));
    let body = r#"{"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": [["x"]]}}, "GlobalParameters": {}}"#;
    let resp = reqwest::Client::new()
        .post(&url)
        .header("Ocp-Apim-Subscription-Key", &key)
        .header("Authorization", "Bearer wrong")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    // Without the subscription key, the gateway's 401.
    let resp = reqwest::Client::new()
        .post(&url)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn an_operation_left_out_of_the_document_answers_404() {
    let source = Emulator::start(&[]);
    let sb = Sandbox::new();
    let (doc, policy) = export_from(&sb, &source, &[]);
    let mut api = read_json(&doc);
    let paths = api["paths"].as_object_mut().unwrap();
    let execute = paths
        .keys()
        .find(|k| k.ends_with("/execute"))
        .unwrap()
        .clone();
    paths.remove(&execute);
    std::fs::write(&doc, serde_json::to_vec_pretty(&api).unwrap()).unwrap();
    let gw = gateway(&doc, &policy);
    let key = gw.subscription_key.clone().unwrap();
    sb.cmd_for(&gw)
        .args(["rrs", "execute", "--record", "Col2=x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Resource not found"));
    let root = gw.service_root(&gw.base_url);
    let http = reqwest::Client::new();
    let resp = http
        .post(format!("{root}/execute?api-version=2.0"))
        .header("Ocp-Apim-Subscription-Key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(
        resp.text().await.unwrap(),
        r#"{ "statusCode": 404, "message": "Resource not found" }"#
    );
    // The operations kept are forwarded: an unknown job is the service's own 404 envelope.
    let resp = http
        .get(format!(
            "{root}/jobs/0123456789abcdef0123456789abcdef?api-version=2.0"
        ))
        .header("Ocp-Apim-Subscription-Key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let v: Value = resp.json().await.unwrap();
    assert!(v.get("error").is_some(), "{v}");
    // api-version is a required query parameter of the document: without it, no operation.
    let resp = http
        .get(format!("{root}/jobs/0123456789abcdef0123456789abcdef"))
        .header("Ocp-Apim-Subscription-Key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.text().await.unwrap(),
        r#"{ "statusCode": 404, "message": "Resource not found" }"#
    );
}

#[tokio::test]
async fn the_policys_rate_limit_gives_429_with_retry_after_that_mlws_waits_out() {
    let source = Emulator::start(&[]);
    let sb = Sandbox::new();
    let (doc, policy) = export_from(&sb, &source, &["--rate-limit", "2/2"]);
    let gw = gateway(&doc, &policy);
    let key = gw.subscription_key.clone().unwrap();
    let url = format!("{}/execute?api-version=2.0", gw.service_root(&gw.base_url));
    let body = r#"{"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": [["x"]]}}, "GlobalParameters": {}}"#;
    let http = reqwest::Client::new();
    let call = || {
        http.post(&url)
            .header("Ocp-Apim-Subscription-Key", &key)
            .body(body)
            .send()
    };
    assert_eq!(call().await.unwrap().status(), 200);
    assert_eq!(call().await.unwrap().status(), 200);
    let resp = call().await.unwrap();
    assert_eq!(resp.status(), 429);
    let secs: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&secs), "{secs}");
    assert_eq!(
        resp.text().await.unwrap(),
        format!(
            r#"{{ "statusCode": 429, "message": "Rate limit is exceeded. Try again in {secs} seconds." }}"#
        )
    );
    let out = sb
        .cmd_for(&gw)
        .env_remove("MLWS_API_KEY")
        .args(["rrs", "execute", "--batch-size", "1", "--concurrency", "1"])
        .write_stdin("Col2\na\nb\nc\nd\ne\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 6);
    assert!(
        stderr.contains("429"),
        "a retry warning names the 429: {stderr}"
    );
}
