//! RRS bodies (`protocol.md` §3): the default "table" format
//! (`{"Inputs":{"input1":{"ColumnNames":[..],"Values":[[..]]}},"GlobalParameters":{}}`) and the
//! `format=swagger` one (arrays of row objects). Cells may be any JSON scalar on input (§3.1);
//! the service answers with string cells.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A request body of `POST .../execute`. `Inputs` keeps its key order as sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ExecuteRequest {
    #[serde(rename = "Inputs")]
    pub inputs: Map<String, Value>,
    #[serde(
        rename = "GlobalParameters",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub global_parameters: Option<Map<String, Value>>,
}

/// One web-service input, in either format. Parsed from `ExecuteRequest::inputs` values with
/// [`RequestInput::from_value`], so a malformed one can be reported by name.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestInput {
    Table(InputTable),
    Rows(Vec<Map<String, Value>>),
}

/// `{"ColumnNames": [...], "Values": [[...]]}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct InputTable {
    #[serde(rename = "ColumnNames")]
    pub column_names: Vec<String>,
    #[serde(rename = "Values")]
    pub values: Vec<Vec<Value>>,
}

impl RequestInput {
    /// Accepts a table object or an array of row objects; anything else is `None`.
    pub fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Array(items) => {
                let mut rows = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    match item {
                        Value::Object(m) => rows.push(m),
                        other => {
                            return Err(format!(
                                "row {i} is {} where an object was expected",
                                json_kind(&other)
                            ));
                        }
                    }
                }
                Ok(RequestInput::Rows(rows))
            }
            Value::Object(_) => serde_json::from_value::<InputTable>(v)
                .map(RequestInput::Table)
                .map_err(|e| e.to_string()),
            other => Err(format!(
                "input is {} where a table or an array of rows was expected",
                json_kind(&other)
            )),
        }
    }
}

/// The name of a JSON value's kind, for messages.
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A response body of `POST .../execute`. Unknown top-level keys are ignored (§3.3).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ExecuteResponse {
    #[serde(rename = "Results")]
    pub results: BTreeMap<String, ResponseOutput>,
}

/// One output port: `{"type":"table","value":{...}}` or, with `format=swagger`, row objects.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum ResponseOutput {
    Table {
        /// `"table"` today, `"DataTable"` in 2015 samples; ignored by the client (§9.1).
        #[serde(rename = "type", default)]
        kind: Option<String>,
        value: OutputTable,
    },
    Rows(Vec<Map<String, Value>>),
}

/// `value` of a table output. `ColumnNames`/`ColumnTypes` may be missing without `details=true`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct OutputTable {
    #[serde(
        rename = "ColumnNames",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub column_names: Option<Vec<String>>,
    #[serde(
        rename = "ColumnTypes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub column_types: Option<Vec<String>>,
    #[serde(rename = "Values")]
    pub values: Vec<Vec<Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_both_request_input_forms() {
        let t = RequestInput::from_value(json!({"ColumnNames":["Col2"],"Values":[["x"]]})).unwrap();
        assert!(matches!(t, RequestInput::Table(ref t) if t.column_names == ["Col2"]));
        let r = RequestInput::from_value(json!([{"Col2":"x"}])).unwrap();
        assert!(matches!(r, RequestInput::Rows(ref r) if r.len() == 1));
        assert!(RequestInput::from_value(json!(3)).is_err());
        assert!(
            RequestInput::from_value(json!([1]))
                .unwrap_err()
                .contains("row 0")
        );
    }

    #[test]
    fn parses_table_and_swagger_responses() {
        let body = json!({"Results":{"output1":{"type":"table","value":{
            "ColumnNames":["a"],"ColumnTypes":["String"],"Values":[["1"]]}}},"GlobalParameters":{}});
        let r: ExecuteResponse = serde_json::from_value(body).unwrap();
        assert!(
            matches!(&r.results["output1"], ResponseOutput::Table { value, .. } if value.values.len() == 1)
        );
        let body = json!({"Results":{"output1":{"value":{"Values":[["1"]]}}}});
        let r: ExecuteResponse = serde_json::from_value(body).unwrap();
        assert!(
            matches!(&r.results["output1"], ResponseOutput::Table { value, .. } if value.column_names.is_none())
        );
        let body = json!({"Results":{"output1":[{"a":"1"}]}});
        let r: ExecuteResponse = serde_json::from_value(body).unwrap();
        assert!(matches!(&r.results["output1"], ResponseOutput::Rows(rows) if rows[0]["a"] == "1"));
    }
}
