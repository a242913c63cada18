use super::*;
use crate::protocol::Field;
use serde_json::Value;

fn doc(kind: Kind, url: &str, schema: Option<&Schema>) -> Value {
    let url = Url::parse(url).unwrap();
    let d = document(&Export {
        kind,
        url: &url,
        title: None,
        schema,
        deployment: Some("blue"),
    })
    .unwrap();
    serde_json::to_value(d).unwrap()
}

/// `(path, method, operationId)` of every operation, in order.
fn operations(d: &Value) -> Vec<(String, String, String)> {
    let mut ops = vec![];
    for (path, item) in d["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            ops.push((
                path.clone(),
                method.clone(),
                op["operationId"].as_str().unwrap().to_string(),
            ));
        }
    }
    ops
}

#[test]
fn classic_has_the_five_operations_of_the_documentation() {
    let d = doc(
        Kind::Classic,
        "https://ussouthcentral.services.azureml.net/workspaces/w1/services/s1",
        None,
    );
    assert_eq!(d["openapi"], "3.0.3");
    assert_eq!(
        d["servers"][0]["url"],
        "https://ussouthcentral.services.azureml.net"
    );
    let base = "/workspaces/{workspace}/services/{service}";
    let want = [
        ("/execute", "post", "rrs-execute"),
        ("/jobs", "post", "bes-submit"),
        ("/jobs/{jobid}/start", "post", "bes-start"),
        ("/jobs/{jobid}", "get", "bes-status"),
        ("/jobs/{jobid}", "delete", "bes-delete"),
    ]
    .map(|(p, m, id)| (format!("{base}{p}"), m.to_string(), id.to_string()));
    assert_eq!(operations(&d), want);
    let params = &d["components"]["parameters"];
    assert_eq!(params["api-version"]["in"], "query");
    assert_eq!(params["api-version"]["required"], true);
    assert_eq!(params["details"]["in"], "query");
    assert_eq!(params["format"]["schema"]["enum"][0], "swagger");
    assert_eq!(params["workspace"]["example"], "w1");
    let schemes = &d["components"]["securitySchemes"];
    assert_eq!(
        schemes[KEY_HEADER_SCHEME]["name"],
        "Ocp-Apim-Subscription-Key"
    );
    assert_eq!(schemes[KEY_HEADER_SCHEME]["in"], "header");
    assert_eq!(schemes[KEY_QUERY_SCHEME]["name"], "subscription-key");
    assert_eq!(schemes[KEY_QUERY_SCHEME]["in"], "query");
    let execute = &d["paths"][format!("{base}/execute")]["post"];
    assert_eq!(
        execute["responses"]["429"]["$ref"],
        "#/components/responses/GatewayRateLimited"
    );
    assert!(
        d["components"]["responses"]["GatewayRateLimited"]["headers"]
            .get("Retry-After")
            .is_some()
    );
    // Without the service's schema: tables of any columns.
    assert!(d["components"]["schemas"].get("input1Item").is_none());
}

#[test]
fn classic_columns_come_from_the_published_schema() {
    let field = |name: &str, ty: &str| Field {
        name: name.into(),
        ty: ty.into(),
        shape: None,
    };
    let schema = Schema {
        inputs: vec![field("age", "number/double"), field("name", "string")],
        outputs: vec![field("Scored Labels", "string")],
        parameters: vec![],
    };
    let d = doc(
        Kind::Classic,
        "http://127.0.0.1:8642/prefix/workspaces/w/services/s",
        Some(&schema),
    );
    assert_eq!(d["servers"][0]["url"], "http://127.0.0.1:8642/prefix");
    let s = &d["components"]["schemas"];
    assert_eq!(s["input1Item"]["properties"]["age"]["format"], "double");
    assert_eq!(
        s["ExecutionRequest"]["example"]["Inputs"]["input1"]["ColumnNames"],
        serde_json::json!(["age", "name"])
    );
    assert!(
        s["output1Item"]["properties"]
            .get("Scored Labels")
            .is_some()
    );
}

#[test]
fn model_servers_have_their_scoring_and_read_operations() {
    let ids = |kind, url| -> Vec<(String, String, String)> { operations(&doc(kind, url, None)) };
    let one = |p: &str, m: &str, id: &str| (p.to_string(), m.to_string(), id.to_string());
    assert_eq!(
        ids(
            Kind::Mlflow,
            "https://adb-1.azuredatabricks.net/serving-endpoints/m/invocations"
        ),
        [
            one(
                "/serving-endpoints/m/invocations",
                "post",
                "mlflow-invocations"
            ),
            one("/serving-endpoints/m/ping", "get", "mlflow-ping"),
            one("/serving-endpoints/m/health", "get", "mlflow-health"),
            one("/serving-endpoints/m/version", "get", "mlflow-version"),
        ]
    );
    assert_eq!(
        ids(Kind::AzureMl, "http://h:5001/score")[0],
        one("/score", "post", "azureml-score")
    );
    assert_eq!(
        ids(Kind::V2, "http://h/v2/models/m/versions/2/infer"),
        [
            one(
                "/v2/models/{model_name}/versions/{model_version}/infer",
                "post",
                "v2-infer"
            ),
            one(
                "/v2/models/{model_name}/versions/{model_version}",
                "get",
                "v2-model-metadata"
            ),
            one(
                "/v2/models/{model_name}/versions/{model_version}/ready",
                "get",
                "v2-model-ready"
            ),
            one("/v2/health/live", "get", "v2-health-live"),
            one("/v2/health/ready", "get", "v2-health-ready"),
        ]
    );
    assert_eq!(
        ids(Kind::KserveV1, "http://h:8080/v1/models/iris:predict"),
        [
            one(
                "/v1/models/{model_name}:predict",
                "post",
                "kserve-v1-predict"
            ),
            one("/v1/models/{model_name}", "get", "kserve-v1-model"),
        ]
    );
    let d = doc(Kind::AzureMl, "http://h:5001/score", None);
    let header = &d["paths"]["/score"]["post"]["parameters"][0];
    assert_eq!(
        (header["name"].as_str(), header["example"].as_str()),
        (Some("azureml-model-deployment"), Some("blue"))
    );
    assert_eq!(d["servers"][0]["url"], "http://h:5001");
}

#[test]
fn the_document_reads_back_as_openapi() {
    let d = doc(Kind::Classic, "http://h/workspaces/w/services/s", None);
    let back: OpenAPI = serde_json::from_value(d).unwrap();
    assert_eq!(back.operations().count(), 5);
}

#[test]
fn v2_metadata_gives_the_example_request() {
    let tensor = |name: &str, ty: &str| Field {
        name: name.into(),
        ty: ty.into(),
        shape: Some(vec![-1]),
    };
    let schema = Schema {
        inputs: vec![tensor("f1", "FP64"), tensor("color", "BYTES")],
        outputs: vec![],
        parameters: vec![],
    };
    let d = doc(Kind::V2, "http://h/v2/models/m", Some(&schema));
    let example = &d["components"]["schemas"]["InferenceRequest"]["example"]["inputs"];
    assert_eq!(example[0]["datatype"], "FP64");
    assert_eq!(example[1]["data"][0], "value");
}
