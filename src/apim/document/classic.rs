//! The classic API as the service documentation builds it in the publisher portal (`protocol.md`
//! §1.3, §6.1): RRS `execute` and the four BES job operations on the documentation's URL
//! templates, with `api-version`, `details` and `format` as query parameters, and the bodies of
//! §3 (tables and swagger rows), §4 (the error envelope) and §5 (jobs and blob references). The
//! input and output columns come from the service's `swagger.json` when it could be read
//! (`input1Item`, `output1Item`, as the service names them, §5.9), else a table of any columns.

use super::build::{
    Op, S, any, array, body, boolean, described, map, nullable, object, of_swagger_type, one_of,
    path_param, pref, query_param, response, sref, string, string_enum, with_example,
};
use super::{Doc, Export, origin_with};
use crate::protocol::Field;
use anyhow::{Result, bail};
use serde_json::{Value, json};

const INPUT: &str = "input1";
const OUTPUT: &str = "output1";

/// Adds the five operations; returns the backend URL, the default title and the description.
pub(super) fn add(doc: &mut Doc, e: &Export<'_>) -> Result<(String, String, String)> {
    let segs: Vec<&str> = e.url.path().trim_matches('/').split('/').collect();
    let Some(at) = segs
        .windows(4)
        .rposition(|w| matches!(w[0], "workspaces" | "subscriptions") && w[2] == "services")
    else {
        bail!(
            "`{}` is not a classic service URL (`.../workspaces/W/services/S`)",
            e.url
        );
    };
    let (root, ws, svc) = (segs[at], segs[at + 1], segs[at + 3]);
    let prefix: String = segs[..at].iter().map(|s| format!("/{s}")).collect();
    let server = origin_with(e.url, &prefix)?;
    let base = format!("/{root}/{{workspace}}/services/{{service}}");

    parameters(doc, ws, svc);
    schemas(doc, e.schema);
    let common = || vec![pref("workspace"), pref("service"), pref("api-version")];
    let error = || sref("ErrorResponse");
    let mut execute = common();
    execute.extend([pref("details"), pref("format")]);
    doc.op(
        &format!("{base}/execute"),
        "post",
        Op {
            id: "rrs-execute",
            summary: "Execute the web service (request-response)",
            params: execute,
            body: Some(body(&["application/json"], sref("ExecutionRequest"))),
            answers: vec![(
                200,
                response("The scored rows", Some(sref("ExecutionResponse"))),
            )],
            error: error(),
        }
        .build(),
    );
    doc.op(
        &format!("{base}/jobs"),
        "post",
        Op {
            id: "bes-submit",
            summary: "Submit a batch job (it stays NotStarted until started)",
            params: common(),
            body: Some(body(&["application/json"], sref("BatchExecutionRequest"))),
            answers: vec![(
                200,
                response(
                    "The job id, a JSON string",
                    Some(with_example(
                        string(),
                        json!("539d0bc2fde945b6ac986b851d0000f0"),
                    )),
                ),
            )],
            error: error(),
        }
        .build(),
    );
    let with_job = || {
        let mut p = common();
        p.insert(2, pref("jobid"));
        p
    };
    doc.op(
        &format!("{base}/jobs/{{jobid}}/start"),
        "post",
        Op {
            id: "bes-start",
            summary: "Start a submitted batch job",
            params: with_job(),
            body: None,
            answers: vec![(200, response("The job is started", None))],
            error: error(),
        }
        .build(),
    );
    doc.op(
        &format!("{base}/jobs/{{jobid}}"),
        "get",
        Op {
            id: "bes-status",
            summary: "Get the status of a batch job",
            params: with_job(),
            body: None,
            answers: vec![(
                200,
                response("The job's status", Some(sref("BatchJobStatus"))),
            )],
            error: error(),
        }
        .build(),
    );
    doc.op(
        &format!("{base}/jobs/{{jobid}}"),
        "delete",
        Op {
            id: "bes-delete",
            summary: "Delete (cancel) a batch job",
            params: with_job(),
            body: None,
            answers: vec![(200, response("The job is cancelled or removed", None))],
            error: error(),
        }
        .build(),
    );
    let description = "Azure Machine Learning Studio (classic) web service: request-response \
        scoring (`rrs-execute`) and batch execution jobs (`bes-submit`, `bes-start`, \
        `bes-status`, `bes-delete`). The service itself wants `Authorization: Bearer API_KEY`; \
        the API's policy may set it from a named value so that callers need only a \
        subscription key.";
    Ok((
        server,
        "Azure ML Studio (classic) web service".into(),
        description.into(),
    ))
}

fn parameters(doc: &mut Doc, ws: &str, svc: &str) {
    doc.parameter(
        "workspace",
        path_param("workspace", "Workspace id", Some(ws)),
    );
    doc.parameter(
        "service",
        path_param("service", "Service (endpoint) id", Some(svc)),
    );
    doc.parameter(
        "jobid",
        path_param("jobid", "Batch job id, as `bes-submit` returned it", None),
    );
    // Required: API Management makes required query parameters part of the operation's URL
    // template, as the documentation registers them (`execute?api-version={apiversion}...`).
    doc.parameter(
        "api-version",
        query_param(
            "api-version",
            "API version",
            true,
            with_example(string(), json!("2.0")),
        ),
    );
    doc.parameter(
        "details",
        query_param(
            "details",
            "`true` adds ColumnNames and ColumnTypes to the results",
            false,
            boolean(),
        ),
    );
    doc.parameter(
        "format",
        query_param(
            "format",
            "`swagger`: inputs and outputs as lists of row objects",
            false,
            string_enum(&["swagger"]),
        ),
    );
}

fn schemas(doc: &mut Doc, published: Option<&crate::protocol::Schema>) {
    doc.schema(
        "Cell",
        described(
            any(),
            "A cell: the service takes strings (as its help pages send them), numbers, booleans or null, and answers strings",
        ),
    );
    doc.schema(
        "Table",
        object(
            vec![
                ("ColumnNames", array(string())),
                ("ColumnTypes", array(string())),
                ("Values", array(array(sref("Cell")))),
            ],
            &["Values"],
        ),
    );
    let inputs = published.map(|s| s.inputs.as_slice()).unwrap_or_default();
    let outputs = published.map(|s| s.outputs.as_slice()).unwrap_or_default();
    let params = published
        .map(|s| s.parameters.as_slice())
        .unwrap_or_default();
    let row = |doc: &mut Doc, name: &str, fields: &[Field]| -> S {
        if fields.is_empty() {
            return map(sref("Cell"));
        }
        let item = format!("{name}Item");
        doc.schema(&item, row_object(fields));
        sref(&item)
    };
    let input_row = row(doc, INPUT, inputs);
    let output_row = row(doc, OUTPUT, outputs);
    let port = |row: S| one_of(vec![sref("Table"), array(row)]);
    let inputs_schema = if inputs.is_empty() {
        map(port(input_row))
    } else {
        object(vec![(INPUT, port(input_row))], &[INPUT])
    };
    let global = if params.is_empty() {
        map(sref("Cell"))
    } else {
        row_object(params)
    };
    doc.schema(
        "ExecutionRequest",
        with_example(
            object(
                vec![
                    ("Inputs", inputs_schema),
                    ("GlobalParameters", global.clone()),
                ],
                &["Inputs"],
            ),
            example_request(inputs),
        ),
    );
    doc.schema(
        "OutputTable",
        object(
            vec![("type", string()), ("value", sref("Table"))],
            &["value"],
        ),
    );
    doc.schema(
        "ExecutionResponse",
        object(
            vec![(
                "Results",
                map(one_of(vec![sref("OutputTable"), array(output_row)])),
            )],
            &["Results"],
        ),
    );
    let nullable_string = || nullable(string());
    doc.schema(
        "BlobReference",
        object(
            vec![
                ("ConnectionString", nullable_string()),
                ("RelativeLocation", nullable_string()),
                ("BaseLocation", nullable_string()),
                ("SasBlobToken", nullable_string()),
            ],
            &[],
        ),
    );
    doc.schema(
        "BatchExecutionRequest",
        object(
            vec![
                ("Input", nullable(sref("BlobReference"))),
                ("Inputs", nullable(map(sref("BlobReference")))),
                ("Outputs", nullable(map(sref("BlobReference")))),
                ("GlobalParameters", nullable(global)),
                ("AzureBatchPoolId", string()),
            ],
            &[],
        ),
    );
    doc.schema(
        "BatchJobStatus",
        object(
            vec![
                (
                    "StatusCode",
                    string_enum(&["NotStarted", "Running", "Failed", "Cancelled", "Finished"]),
                ),
                ("Results", nullable(map(sref("BlobReference")))),
                ("Details", nullable_string()),
            ],
            &["StatusCode"],
        ),
    );
    let code_message = || {
        object(
            vec![("code", string()), ("message", string())],
            &["code", "message"],
        )
    };
    doc.schema(
        "ErrorResponse",
        object(
            vec![(
                "error",
                object(
                    vec![
                        ("code", string()),
                        ("message", string()),
                        ("details", array(code_message())),
                    ],
                    &["code", "message"],
                ),
            )],
            &["error"],
        ),
    );
}

/// An object of the published fields, by their swagger types.
fn row_object(fields: &[Field]) -> S {
    object(
        fields
            .iter()
            .map(|f| (f.name.as_str(), of_swagger_type(&f.ty)))
            .collect(),
        &[],
    )
}

/// A request of one row of the published columns (placeholders as the help pages show them).
fn example_request(inputs: &[Field]) -> Value {
    if inputs.is_empty() {
        return json!({"Inputs": {INPUT: {"ColumnNames": ["Col1"], "Values": [["value"]]}}, "GlobalParameters": {}});
    }
    let names: Vec<&str> = inputs.iter().map(|f| f.name.as_str()).collect();
    let values: Vec<&str> = inputs
        .iter()
        .map(|f| match f.ty.split('/').next() {
            Some("number" | "integer") => "0",
            Some("boolean") => "false",
            _ => "value",
        })
        .collect();
    json!({"Inputs": {INPUT: {"ColumnNames": names, "Values": [values]}}, "GlobalParameters": {}})
}
