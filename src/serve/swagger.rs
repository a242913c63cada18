//! `GET /workspaces/{ws}/services/{svc}/swagger.json`, fetched without a key (`protocol.md` §2,
//! §5.9): the swagger 2.0 document of the experiment, in the shape the R client reads —
//! `paths` keyed by the operation URL (RRS `execute` and the BES job operations),
//! `definitions.ExecutionRequest.example`, `input1Item` (`Col2` string) and `output1Item`
//! (`Col2` string, then the hashing columns as int32).

use super::ServiceState;
use super::errors::json_response;
use super::experiment::{BITS_PARAM, BITS_RANGE, FeatureHashing, NGRAMS_PARAM, NGRAMS_RANGE};
use super::guard::check_endpoint;
use super::rrs::{COLUMN, FEATURE_SUFFIX, INPUT_NAME, OUTPUT_NAME};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Above this many hashing columns the output schema names them by pattern, not one by one.
const MAX_LISTED_COLUMNS: usize = 1 << 16;

pub fn routes() -> Router<Arc<ServiceState>> {
    Router::new().route("/workspaces/{ws}/services/{svc}/swagger.json", get(swagger))
}

async fn swagger(
    State(state): State<Arc<ServiceState>>,
    Path((ws, svc)): Path<(String, String)>,
) -> Response {
    let id = &state.identity;
    if let Err(failure) = check_endpoint(id, &ws, &svc) {
        return failure.into_response();
    }
    let doc = document(&id.workspace, &id.service, state.experiment);
    json_response(
        StatusCode::OK,
        serde_json::to_vec(&doc).expect("a JSON value serializes"),
    )
}

/// The swagger document of the service at `/workspaces/{ws}/services/{svc}`.
pub fn document(ws: &str, svc: &str, defaults: FeatureHashing) -> Value {
    let int = |range: std::ops::RangeInclusive<u32>, default: u32| {
        json!({"type": "integer", "format": "int32", "minimum": range.start(),
               "maximum": range.end(), "default": default})
    };
    json!({
        "swagger": "2.0",
        "info": {
            "title": "Feature Hashing (mlws emulator)",
            "description": format!("Feature Hashing of column {COLUMN}, as the experiment of the API Management walkthrough."),
            "version": "2.0"
        },
        "basePath": format!("/workspaces/{ws}/services/{svc}"),
        "schemes": ["http"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": {
            "/execute?api-version=2.0&format=swagger": {
                "post": {
                    "summary": "Execute the web service and get a response synchronously",
                    "operationId": "execute",
                    "parameters": [{
                        "name": "WebServiceInput", "in": "body", "required": true,
                        "schema": {"$ref": "#/definitions/ExecutionRequest"}
                    }],
                    "responses": {
                        "200": {"description": "OK", "schema": {"$ref": "#/definitions/ExecutionResponse"}},
                        "default": {"description": "Error", "schema": {"$ref": "#/definitions/ErrorResponse"}}
                    }
                }
            },
            "/jobs?api-version=2.0": {
                "post": {
                    "summary": "Submit a batch job (it stays NotStarted until started)",
                    "operationId": "submitJob",
                    "parameters": [{
                        "name": "BatchJobRequest", "in": "body", "required": true,
                        "schema": {"$ref": "#/definitions/BatchExecutionRequest"}
                    }],
                    "responses": {
                        "200": {"description": "The job id", "schema": {"type": "string"}},
                        "default": {"description": "Error", "schema": {"$ref": "#/definitions/ErrorResponse"}}
                    }
                }
            },
            "/jobs/{jobId}/start?api-version=2.0": {
                "post": {
                    "summary": "Start a submitted batch job",
                    "operationId": "startJob",
                    "parameters": [job_id()],
                    "responses": {"200": {"description": "OK"}}
                }
            },
            "/jobs/{jobId}?api-version=2.0": {
                "get": {
                    "summary": "Get the status of a batch job",
                    "operationId": "getJobStatus",
                    "parameters": [job_id()],
                    "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/BatchJobStatus"}}}
                },
                "delete": {
                    "summary": "Cancel a batch job",
                    "operationId": "cancelJob",
                    "parameters": [job_id()],
                    "responses": {"200": {"description": "OK"}}
                }
            }
        },
        "definitions": {
            "ExecutionRequest": {
                "type": "object",
                "properties": {
                    "Inputs": {"type": "object", "properties": {
                        INPUT_NAME: {"type": "array", "items": {"$ref": format!("#/definitions/{INPUT_NAME}Item")}}
                    }},
                    "GlobalParameters": {"$ref": "#/definitions/GlobalParameters"}
                },
                "example": {
                    "Inputs": {INPUT_NAME: [{COLUMN: "value"}]},
                    "GlobalParameters": {}
                }
            },
            format!("{INPUT_NAME}Item"): {
                "type": "object",
                "properties": {COLUMN: {"type": "string"}}
            },
            "GlobalParameters": {
                "type": "object",
                "properties": {
                    BITS_PARAM: int(BITS_RANGE, defaults.bits),
                    NGRAMS_PARAM: int(NGRAMS_RANGE, defaults.ngrams)
                }
            },
            "ExecutionResponse": {
                "type": "object",
                "properties": {"Results": {"type": "object", "properties": {
                    OUTPUT_NAME: {"type": "array", "items": {"$ref": format!("#/definitions/{OUTPUT_NAME}Item")}}
                }}}
            },
            format!("{OUTPUT_NAME}Item"): output_item(defaults.columns()),
            "AzureBlobDataReference": {
                "type": "object",
                "properties": {
                    "ConnectionString": {"type": "string"},
                    "RelativeLocation": {"type": "string"},
                    "BaseLocation": {"type": "string"},
                    "SasBlobToken": {"type": "string"}
                }
            },
            "BatchExecutionRequest": {
                "type": "object",
                "properties": {
                    "Inputs": {"type": "object", "properties": {
                        INPUT_NAME: {"$ref": "#/definitions/AzureBlobDataReference"}
                    }},
                    "Outputs": {"type": "object", "properties": {
                        OUTPUT_NAME: {"$ref": "#/definitions/AzureBlobDataReference"}
                    }},
                    "GlobalParameters": {"$ref": "#/definitions/GlobalParameters"}
                }
            },
            "BatchJobStatus": {
                "type": "object",
                "properties": {
                    "StatusCode": {"type": "string", "enum": ["NotStarted", "Running", "Failed", "Cancelled", "Finished"]},
                    "Results": {"type": "object", "properties": {
                        OUTPUT_NAME: {"$ref": "#/definitions/AzureBlobDataReference"}
                    }},
                    "Details": {"type": "string"}
                }
            },
            "ErrorResponse": {
                "type": "object",
                "properties": {"error": {"type": "object", "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "details": {"type": "array", "items": {"type": "object", "properties": {
                        "code": {"type": "string"}, "message": {"type": "string"}
                    }}}
                }}}
            }
        }
    })
}

/// The `jobId` path parameter of the BES operations.
fn job_id() -> Value {
    json!({"name": "jobId", "in": "path", "required": true, "type": "string"})
}

/// `Col2` then `Col2_HashingFeature.0 .. .(columns-1)`, for the default bitsize.
fn output_item(columns: usize) -> Value {
    let int32 = json!({"type": "integer", "format": "int32"});
    let mut props = Map::new();
    props.insert(COLUMN.into(), json!({"type": "string"}));
    if columns <= MAX_LISTED_COLUMNS {
        for j in 0..columns {
            props.insert(format!("{COLUMN}{FEATURE_SUFFIX}{j}"), int32.clone());
        }
        return json!({"type": "object", "properties": props});
    }
    json!({
        "type": "object",
        "description": format!("{COLUMN}, then {COLUMN}{FEATURE_SUFFIX}0 .. {COLUMN}{FEATURE_SUFFIX}{}", columns - 1),
        "properties": props,
        "additionalProperties": int32
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_describes_input_and_output_columns() {
        let d = document("w", "s", FeatureHashing { bits: 3, ngrams: 2 });
        assert_eq!(d["swagger"], "2.0");
        assert_eq!(
            d["definitions"]["input1Item"]["properties"]["Col2"]["type"],
            "string"
        );
        let out = d["definitions"]["output1Item"]["properties"]
            .as_object()
            .unwrap();
        let names: Vec<&String> = out.keys().collect();
        assert_eq!(names.len(), 9);
        assert_eq!(names[0], "Col2");
        assert_eq!(names[8], "Col2_HashingFeature.7");
        assert_eq!(out["Col2_HashingFeature.0"]["format"], "int32");
        assert!(
            d["paths"]
                .as_object()
                .unwrap()
                .keys()
                .any(|p| p.contains("/execute?"))
        );
        assert_eq!(
            d["definitions"]["ExecutionRequest"]["example"]["Inputs"]["input1"][0]["Col2"],
            "value"
        );
        assert_eq!(d["basePath"], "/workspaces/w/services/s");
        let jobs = &d["paths"]["/jobs/{jobId}?api-version=2.0"];
        assert_eq!(jobs["get"]["operationId"], "getJobStatus");
        assert_eq!(jobs["delete"]["operationId"], "cancelJob");
        assert_eq!(
            d["paths"]["/jobs?api-version=2.0"]["post"]["parameters"][0]["schema"]["$ref"],
            "#/definitions/BatchExecutionRequest"
        );
    }

    #[test]
    fn very_wide_outputs_are_described_by_pattern() {
        let item = output_item(1 << 20);
        assert_eq!(item["properties"].as_object().unwrap().len(), 1);
        assert_eq!(item["additionalProperties"]["format"], "int32");
    }
}
