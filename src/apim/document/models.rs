//! The APIs of the model servers (`spec/adapters.md` §1–§4): each protocol's scoring operation,
//! with the bodies it takes and answers, and its health and metadata reads, on the paths of the
//! scoring URL given (a path before the protocol's own, such as Databricks'
//! `/serving-endpoints/NAME`, is kept). Model names and versions are path parameters whose
//! example is the one in the URL.

use super::build::{
    Op, S, any, array, body, boolean, header_param, integer, map, object, one_of, path_param,
    response, sref, string, string_enum, with_example,
};
use super::{Doc, Export, origin_with};
use crate::protocol::Kind;
use anyhow::{Result, bail};
use openapiv3::ReferenceOr;
use serde_json::json;

/// Adds the protocol's operations; returns the backend URL, the default title and description.
pub(super) fn add(doc: &mut Doc, e: &Export<'_>) -> Result<(String, String, String)> {
    let segs: Vec<&str> = e.url.path().split('/').filter(|s| !s.is_empty()).collect();
    let server = origin_with(e.url, "")?;
    let (title, description) = match e.kind {
        Kind::Mlflow => mlflow(doc, &segs)?,
        Kind::AzureMl => azureml(doc, &segs, e.deployment),
        Kind::V2 => v2(doc, &segs, e.schema)?,
        Kind::KserveV1 => kserve_v1(doc, &segs)?,
        Kind::Classic => unreachable!("classic is in classic.rs"),
    };
    Ok((server, title.into(), description.into()))
}

/// `/a/b` from segments (empty for none).
fn join(segs: &[&str]) -> String {
    segs.iter().map(|s| format!("/{s}")).collect()
}

/// A read: GET with no parameters but the path's, answering JSON of `schema` (or text).
fn read(
    id: &str,
    summary: &str,
    params: Vec<ReferenceOr<openapiv3::Parameter>>,
    ok: Option<S>,
    error: S,
) -> openapiv3::Operation {
    Op {
        id,
        summary,
        params,
        body: None,
        answers: vec![(200, response("OK", ok))],
        error,
    }
    .build()
}

fn mlflow(doc: &mut Doc, segs: &[&str]) -> Result<(&'static str, &'static str)> {
    let Some((_, before)) = segs.split_last().filter(|(l, _)| **l == "invocations") else {
        bail!("an MLflow scoring URL ends in `/invocations`");
    };
    let prefix = join(before);
    let split = object(
        vec![
            ("columns", array(string())),
            ("index", array(any())),
            ("data", array(array(any()))),
        ],
        &["data"],
    );
    let params = ("params", map(any()));
    let one = |key: &'static str, s: S| object(vec![(key, s), params.clone()], &[key]);
    doc.schema(
        "MlflowRequest",
        one_of(vec![
            one("dataframe_split", split),
            one("dataframe_records", array(map(any()))),
            one("instances", any()),
            one("inputs", any()),
        ]),
    );
    doc.schema(
        "MlflowResponse",
        object(vec![("predictions", any())], &["predictions"]),
    );
    doc.schema(
        "MlflowError",
        object(
            vec![
                ("error_code", string()),
                ("message", string()),
                ("stack_trace", string()),
            ],
            &["message"],
        ),
    );
    let mut scoring = body(&["application/json"], sref("MlflowRequest"));
    scoring.content.insert(
        "text/csv".into(),
        openapiv3::MediaType {
            schema: Some(string()),
            ..Default::default()
        },
    );
    doc.op(
        &format!("{prefix}/invocations"),
        "post",
        Op {
            id: "mlflow-invocations",
            summary: "Score rows",
            params: vec![],
            body: Some(scoring),
            answers: vec![(
                200,
                response("The predictions", Some(sref("MlflowResponse"))),
            )],
            error: sref("MlflowError"),
        }
        .build(),
    );
    for (path, id, summary) in [
        ("ping", "mlflow-ping", "Health"),
        ("health", "mlflow-health", "Health"),
        ("version", "mlflow-version", "MLflow version"),
    ] {
        doc.op(
            &format!("{prefix}/{path}"),
            "get",
            read(id, summary, vec![], None, sref("MlflowError")),
        );
    }
    Ok((
        "MLflow model server",
        "An MLflow scoring server (`mlflow models serve`, Databricks Model Serving): `POST /invocations`, and its health reads.",
    ))
}

fn azureml(doc: &mut Doc, segs: &[&str], deployment: Option<&str>) -> (&'static str, &'static str) {
    let before = match segs.split_last() {
        Some((&"score", before)) => before,
        _ => segs,
    };
    let prefix = join(before);
    let params = ("params", map(any()));
    doc.schema(
        "AzureMlRequest",
        one_of(vec![
            object(
                vec![
                    (
                        "input_data",
                        object(
                            vec![
                                ("columns", array(string())),
                                ("index", array(any())),
                                ("data", array(array(any()))),
                            ],
                            &["data"],
                        ),
                    ),
                    params.clone(),
                ],
                &["input_data"],
            ),
            object(vec![("data", array(array(any()))), params], &["data"]),
        ]),
    );
    doc.schema(
        "AzureMlError",
        object(vec![("message", string())], &["message"]),
    );
    let header = header_param(
        "azureml-model-deployment",
        "The deployment to score (else the endpoint's traffic split)",
        deployment,
    );
    doc.op(
        &format!("{prefix}/score"),
        "post",
        Op {
            id: "azureml-score",
            summary: "Score rows",
            params: vec![ReferenceOr::Item(header)],
            body: Some(body(&["application/json"], sref("AzureMlRequest"))),
            answers: vec![(
                200,
                response(
                    "What the scoring script returns (a list of predictions, or an object)",
                    Some(any()),
                ),
            )],
            error: sref("AzureMlError"),
        }
        .build(),
    );
    doc.op(
        &format!("{prefix}/swagger.json"),
        "get",
        read(
            "azureml-swagger",
            "The scoring script's input and output schema",
            vec![],
            Some(map(any())),
            sref("AzureMlError"),
        ),
    );
    doc.op(
        &format!("{prefix}/"),
        "get",
        read(
            "azureml-health",
            "Health (`Healthy`)",
            vec![],
            None,
            sref("AzureMlError"),
        ),
    );
    (
        "Azure ML online endpoint",
        "An Azure ML online endpoint or `azmlinfsrv`: `POST /score`, its swagger document and health.",
    )
}

/// Where `v2/models/M[/versions/V]` starts, and the model and version.
fn v2_model<'a>(segs: &[&'a str]) -> Option<(usize, &'a str, Option<&'a str>)> {
    let at = segs
        .windows(3)
        .rposition(|w| w[0] == "v2" && w[1] == "models")?;
    let version = match &segs[at + 3..] {
        ["versions", v, ..] => Some(*v),
        _ => None,
    };
    Some((at, segs[at + 2], version))
}

fn v2(
    doc: &mut Doc,
    segs: &[&str],
    published: Option<&crate::protocol::Schema>,
) -> Result<(&'static str, &'static str)> {
    let Some((at, model, version)) = v2_model(segs) else {
        bail!("a v2 URL names its model: `.../v2/models/MODEL`");
    };
    let prefix = join(&segs[..at]);
    let datatypes = string_enum(&[
        "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16",
        "FP32", "FP64", "BYTES",
    ]);
    let params = ("parameters", map(any()));
    let tensor = |data: bool| {
        let mut props = vec![
            ("name", string()),
            ("shape", array(integer())),
            ("datatype", datatypes.clone()),
            params.clone(),
        ];
        if data {
            props.push(("data", any()));
        }
        props
    };
    doc.schema(
        "RequestInput",
        object(tensor(true), &["name", "shape", "datatype", "data"]),
    );
    doc.schema(
        "ResponseOutput",
        object(tensor(true), &["name", "shape", "datatype", "data"]),
    );
    doc.schema(
        "MetadataTensor",
        object(tensor(false), &["name", "datatype", "shape"]),
    );
    let mut request = object(
        vec![
            ("id", string()),
            params.clone(),
            ("inputs", array(sref("RequestInput"))),
            (
                "outputs",
                array(object(vec![("name", string()), params.clone()], &["name"])),
            ),
        ],
        &["inputs"],
    );
    if let Some(s) = published.filter(|s| !s.inputs.is_empty()) {
        let inputs: Vec<_> = s
            .inputs
            .iter()
            .map(|f| {
                let cell = match f.ty.as_str() {
                    "BYTES" => json!("value"),
                    "BOOL" => json!(false),
                    _ => json!(0),
                };
                json!({"name": f.name, "shape": [1], "datatype": f.ty, "data": [cell]})
            })
            .collect();
        request = with_example(request, json!({"inputs": inputs}));
    }
    doc.schema("InferenceRequest", request);
    doc.schema(
        "InferenceResponse",
        object(
            vec![
                ("model_name", string()),
                ("model_version", string()),
                ("id", string()),
                params,
                ("outputs", array(sref("ResponseOutput"))),
            ],
            &["model_name", "outputs"],
        ),
    );
    doc.schema(
        "ModelMetadata",
        object(
            vec![
                ("name", string()),
                ("versions", array(string())),
                ("platform", string()),
                ("inputs", array(sref("MetadataTensor"))),
                ("outputs", array(sref("MetadataTensor"))),
            ],
            &["name", "platform"],
        ),
    );
    doc.schema("V2Error", object(vec![("error", string())], &[]));
    let mut model_path = format!("{prefix}/v2/models/{{model_name}}");
    let mut params = vec![ReferenceOr::Item(path_param(
        "model_name",
        "The model",
        Some(model),
    ))];
    if let Some(v) = version {
        model_path.push_str("/versions/{model_version}");
        params.push(ReferenceOr::Item(path_param(
            "model_version",
            "The model's version",
            Some(v),
        )));
    }
    doc.op(
        &format!("{model_path}/infer"),
        "post",
        Op {
            id: "v2-infer",
            summary: "Score rows (one input per column, or one tensor)",
            params: params.clone(),
            body: Some(body(&["application/json"], sref("InferenceRequest"))),
            answers: vec![(
                200,
                response("The outputs", Some(sref("InferenceResponse"))),
            )],
            error: sref("V2Error"),
        }
        .build(),
    );
    doc.op(
        &model_path,
        "get",
        read(
            "v2-model-metadata",
            "The model's inputs and outputs",
            params.clone(),
            Some(sref("ModelMetadata")),
            sref("V2Error"),
        ),
    );
    doc.op(
        &format!("{model_path}/ready"),
        "get",
        read(
            "v2-model-ready",
            "Whether the model is ready",
            params,
            None,
            sref("V2Error"),
        ),
    );
    for (path, id, summary) in [
        ("live", "v2-health-live", "Whether the server is live"),
        ("ready", "v2-health-ready", "Whether the server is ready"),
    ] {
        doc.op(
            &format!("{prefix}/v2/health/{path}"),
            "get",
            read(id, summary, vec![], None, sref("V2Error")),
        );
    }
    Ok((
        "Open Inference Protocol (v2) model",
        "A model behind the Open Inference Protocol (KServe v2, MLServer, Triton): `POST .../infer`, the model's metadata and readiness, the server's health.",
    ))
}

fn kserve_v1(doc: &mut Doc, segs: &[&str]) -> Result<(&'static str, &'static str)> {
    let n = segs.len();
    let model = (n >= 3 && segs[n - 3] == "v1" && segs[n - 2] == "models")
        .then(|| segs[n - 1].strip_suffix(":predict"))
        .flatten();
    let Some(model) = model else {
        bail!("a KServe v1 scoring URL ends in `/v1/models/MODEL:predict`");
    };
    let prefix = join(&segs[..n - 3]);
    doc.schema(
        "V1Request",
        object(vec![("instances", array(any()))], &["instances"]),
    );
    doc.schema(
        "V1Response",
        object(vec![("predictions", array(any()))], &["predictions"]),
    );
    doc.schema(
        "V1ModelStatus",
        object(vec![("name", string()), ("ready", boolean())], &["name"]),
    );
    doc.schema("V1Error", object(vec![("error", string())], &[]));
    let params = || {
        vec![ReferenceOr::Item(path_param(
            "model_name",
            "The model",
            Some(model),
        ))]
    };
    doc.op(
        &format!("{prefix}/v1/models/{{model_name}}:predict"),
        "post",
        Op {
            id: "kserve-v1-predict",
            summary: "Score rows",
            params: params(),
            body: Some(body(&["application/json"], sref("V1Request"))),
            answers: vec![(200, response("The predictions", Some(sref("V1Response"))))],
            error: sref("V1Error"),
        }
        .build(),
    );
    doc.op(
        &format!("{prefix}/v1/models/{{model_name}}"),
        "get",
        read(
            "kserve-v1-model",
            "Whether the model is ready",
            params(),
            Some(sref("V1ModelStatus")),
            sref("V1Error"),
        ),
    );
    Ok((
        "KServe v1 model",
        "A model behind the KServe v1 protocol: `POST /v1/models/MODEL:predict` and the model's status.",
    ))
}
