//! `GET /swagger.json?version=2|3|3.1`: azmlinfsrv's swagger documents (its swagger 2.0 and
//! OpenAPI 3 templates, `service_name` "ML service", version "1.0") with the schemas that
//! inference-schema generates for a decorated `run(input_data, params)`: `ServiceInput` is
//! `{"type": "object", "properties": {ARG: schema}, "example": {ARG: sample}}`, where
//! `input_data` is a pandas DataFrame in the split orientation whose `data` cells are strings
//! (`Col2`, the one column of its sample) and `params` the experiment's two integers;
//! `ServiceOutput` the records of the hashing columns (int64). Knows nothing of scoring.

use crate::serve::experiment::{BITS_PARAM, FeatureHashing, NGRAMS_PARAM};
use crate::serve::rrs::{COLUMN, FEATURE_SUFFIX};
use serde_json::{Map, Value, json};

/// Above this many hashing columns the output schema names them by pattern, not one by one.
const MAX_LISTED_COLUMNS: usize = 1 << 12;

/// The text of the sample row (the tutorial's).
const SAMPLE: &str = "This is a good day";

/// The swagger document of `version` (`2`, `2.0`, `3`, `3.0`, `3.1`), or the 404 message.
pub fn document(version: &str, defaults: FeatureHashing) -> Result<Value, String> {
    let (input, output) = (service_input(defaults), service_output(defaults));
    match version {
        "2" | "2.0" => Ok(swagger2(input, output)),
        "3" | "3.0" => Ok(openapi3("3.0.3", input, output)),
        "3.1" => Ok(openapi3("3.1.0", input, output)),
        other => Err(format!(
            "Swagger version [{other}] is not valid. Supported versions: [2, 3, 3.1]."
        )),
    }
}

fn service_input(defaults: FeatureHashing) -> Value {
    let int64 = json!({"type": "integer", "format": "int64"});
    json!({
        "type": "object",
        "properties": {
            "input_data": {
                "type": "object",
                "required": ["columns", "index", "data"],
                "properties": {
                    "columns": {"type": "array", "items": {"type": "string"}},
                    "index": {"type": "array", "items": int64},
                    "data": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}
                },
                "format": "pandas.DataFrame:split"
            },
            "params": {
                "type": "object",
                "required": [BITS_PARAM, NGRAMS_PARAM],
                "properties": {BITS_PARAM: int64, NGRAMS_PARAM: int64}
            }
        },
        "example": {
            "input_data": {"columns": [COLUMN], "index": [0], "data": [[SAMPLE]]},
            "params": {BITS_PARAM: defaults.bits, NGRAMS_PARAM: defaults.ngrams}
        }
    })
}

fn service_output(defaults: FeatureHashing) -> Value {
    let columns = defaults.columns();
    let name = |j: usize| format!("{COLUMN}{FEATURE_SUFFIX}{j}");
    let int64 = || json!({"type": "integer", "format": "int64"});
    // The sample is hashed only for a listed width: a hasher holds 2^bits counts.
    let (items, sample) = if columns <= MAX_LISTED_COLUMNS {
        let mut hasher = crate::serve::experiment::FeatureHasher::new(defaults);
        let sample: Map<String, Value> = hasher
            .hash(SAMPLE)
            .iter()
            .enumerate()
            .map(|(j, &c)| (name(j), json!(c)))
            .collect();
        let props: Map<String, Value> = (0..columns).map(|j| (name(j), int64())).collect();
        let required: Vec<String> = (0..columns).map(name).collect();
        let items = json!({"type": "object", "required": required, "properties": props});
        (items, sample)
    } else {
        let items = json!({"type": "object", "additionalProperties": int64()});
        (items, Map::new())
    };
    json!({"type": "array", "items": items, "example": [sample], "format": "pandas.DataFrame:records"})
}

fn error_response() -> Value {
    json!({"type": "object", "properties": {"message": {"type": "string"}}})
}

const TITLE: &str = "ML service";
const DESCRIPTION: &str = "API specification for the Azure Machine Learning service ML service";
const HEALTH: &str = "Simple health check endpoint to ensure the service is up at any given point.";
const HEALTHY: &str =
    "If service is up and running, this response will be returned with the content 'Healthy'";
const RUN: &str = "Run web service's model and get the prediction output";
const PAYLOAD: &str = "The input payload for executing the real-time machine learning service.";
const OK: &str =
    "The service processed the input correctly and provided a result prediction, if applicable.";
const FAILED: &str = "The service failed to execute due to an error.";

fn swagger2(input: Value, output: Value) -> Value {
    let error = json!({"description": FAILED, "schema": {"$ref": "#/definitions/ErrorResponse"}});
    json!({
        "swagger": "2.0",
        "info": {"title": TITLE, "description": DESCRIPTION, "version": "1.0"},
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "securityDefinitions": {"Bearer": {"type": "apiKey", "name": "Authorization", "in": "header",
            "description": "For example: Bearer abc123"}},
        "paths": {
            "/": {"get": {"operationId": "ServiceHealthCheck", "description": HEALTH, "responses": {
                "200": {"description": HEALTHY, "schema": {"type": "string"},
                    "examples": {"application/json": "Healthy"}},
                "default": error}}},
            "/score": {"post": {"operationId": "RunMLService", "description": RUN,
                "security": [{"Bearer": []}],
                "parameters": [{"name": "serviceInputPayload", "in": "body", "description": PAYLOAD,
                    "schema": {"$ref": "#/definitions/ServiceInput"}}],
                "responses": {
                    "200": {"description": OK, "schema": {"$ref": "#/definitions/ServiceOutput"}},
                    "default": error}}},
            "/swagger.json": {"get": {"operationId": "GetSwaggerSpec",
                "description": "Get the Swagger specification.",
                "parameters": [{"name": "version", "in": "query", "required": false,
                    "type": "integer", "enum": [2, 3]}],
                "responses": {
                    "200": {"description": "The Swagger specification.", "schema": {"type": "string"}},
                    "default": error}}}
        },
        "definitions": {"ServiceInput": input, "ServiceOutput": output, "ErrorResponse": error_response()}
    })
}

fn openapi3(version: &str, input: Value, output: Value) -> Value {
    let content = |schema: Value| json!({"application/json": {"schema": schema}});
    let error = json!({"description": FAILED,
        "content": content(json!({"$ref": "#/components/schemas/ErrorResponse"}))});
    json!({
        "openapi": version,
        "info": {"title": TITLE, "description": DESCRIPTION, "version": "1.0"},
        "security": [{"Bearer": []}],
        "paths": {
            "/": {"get": {"operationId": "ServiceHealthCheck", "description": HEALTH, "responses": {
                "200": {"description": HEALTHY, "content": {"text/plain": {"schema":
                    {"type": "string", "example": "Healthy"}}}},
                "default": error}}},
            "/score": {"post": {"operationId": "RunMLService", "description": RUN,
                "security": [{"Bearer": []}],
                "requestBody": {"description": PAYLOAD,
                    "content": content(json!({"$ref": "#/components/schemas/ServiceInput"}))},
                "responses": {
                    "200": {"description": OK,
                        "content": content(json!({"$ref": "#/components/schemas/ServiceOutput"}))},
                    "default": error}}},
            "/swagger.json": {"get": {"operationId": "GetSwaggerSpec",
                "description": "Get the Swagger specification.",
                "parameters": [{"name": "version", "in": "query", "required": false,
                    "schema": {"type": "integer", "enum": [2, 3]}}],
                "responses": {
                    "200": {"description": "The Swagger specification.",
                        "content": {"text/plain": {"schema": {"type": "string"}}}},
                    "default": error}}}
        },
        "components": {
            "schemas": {"ServiceInput": input, "ServiceOutput": output, "ErrorResponse": error_response()},
            "securitySchemes": {"Bearer": {"type": "apiKey", "name": "Authorization", "in": "header",
                "description": "For example: Bearer abc123"}}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FH: FeatureHashing = FeatureHashing { bits: 3, ngrams: 2 };

    #[test]
    fn the_input_schema_declares_col2_as_text_in_split_form() {
        let doc = document("2", FH).unwrap();
        let input = &doc["definitions"]["ServiceInput"];
        let data = &input["properties"]["input_data"];
        assert_eq!(data["format"], "pandas.DataFrame:split");
        assert_eq!(
            data["properties"]["data"]["items"]["items"]["type"],
            "string"
        );
        assert_eq!(input["example"]["input_data"]["columns"], json!(["Col2"]));
        assert_eq!(input["example"]["params"]["Hashing bitsize"], 3);
        let output = &doc["definitions"]["ServiceOutput"];
        assert_eq!(output["items"]["required"].as_array().unwrap().len(), 8);
        assert_eq!(output["example"][0]["Col2_HashingFeature.2"], 2);
    }

    #[test]
    fn versions_2_3_and_3_1_are_served_and_others_refused() {
        assert_eq!(document("2.0", FH).unwrap()["swagger"], "2.0");
        let three = document("3", FH).unwrap();
        assert_eq!(three["openapi"], "3.0.3");
        assert!(three["components"]["schemas"]["ServiceInput"].is_object());
        assert_eq!(document("3.1", FH).unwrap()["openapi"], "3.1.0");
        assert_eq!(
            document("4", FH).unwrap_err(),
            "Swagger version [4] is not valid. Supported versions: [2, 3, 3.1]."
        );
    }

    #[test]
    fn wide_outputs_are_described_by_pattern() {
        let wide = FeatureHashing {
            bits: 31,
            ngrams: 2,
        };
        let doc = document("2", wide).unwrap();
        let output = &doc["definitions"]["ServiceOutput"];
        assert!(output["items"]["additionalProperties"].is_object());
        assert_eq!(output["example"], json!([{}]));
    }
}
