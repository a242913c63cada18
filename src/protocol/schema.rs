//! What a service publishes about itself (`spec/adapters.md` "describe"): the classic
//! service's and the Azure ML `swagger.json`, the v2 model metadata. MLflow and KServe v1
//! publish no input schema. A swagger document with an empty input schema (as `azmlinfsrv`
//! serves for undecorated scripts) is no schema.

use super::Kind;
use super::typing::ColType;
use anyhow::{Context, Result};
use serde_json::Value;
use url::Url;

/// One input, output or parameter.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Field {
    pub name: String,
    /// As the service names it (`string`, `number`, `FP64`, `BYTES`, ...).
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape: Option<Vec<i64>>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Schema {
    pub inputs: Vec<Field>,
    pub outputs: Vec<Field>,
    pub parameters: Vec<Field>,
}

impl Schema {
    /// The inputs' types where they map onto a column type.
    pub fn input_types(&self, kind: Kind) -> Vec<(String, ColType)> {
        self.inputs
            .iter()
            .filter_map(|f| {
                let ty = match kind {
                    Kind::V2 => super::v2::col_type(&f.ty),
                    _ => swagger_type(&f.ty),
                }?;
                Some((f.name.clone(), ty))
            })
            .collect()
    }
}

/// A swagger/JSON-schema type (`string`, `number`, `integer`, `boolean`) as a column type.
fn swagger_type(t: &str) -> Option<ColType> {
    match t.split('/').next().unwrap_or_default() {
        "string" => Some(ColType::Str),
        "integer" => Some(ColType::Int),
        "number" => Some(ColType::Float),
        "boolean" => Some(ColType::Bool),
        _ => None,
    }
}

/// Where `kind` publishes its schema, from its scoring URL (classic: the service root).
pub fn url(kind: Kind, scoring: &Url) -> Option<Url> {
    let mut u = scoring.clone();
    u.set_query(None);
    match kind {
        Kind::Classic => {
            u.path_segments_mut()
                .ok()?
                .pop_if_empty()
                .push("swagger.json");
            Some(u)
        }
        Kind::AzureMl => {
            let mut segs = u.path_segments_mut().ok()?;
            segs.pop_if_empty().pop().push("swagger.json");
            drop(segs);
            Some(u)
        }
        Kind::V2 => {
            if u.path().ends_with("/infer") {
                u.path_segments_mut().ok()?.pop();
            }
            Some(u)
        }
        Kind::Mlflow | Kind::KserveV1 => None,
    }
}

/// Reads a published schema; `None` when the document declares no inputs.
pub fn parse(kind: Kind, body: &[u8], input_name: &str) -> Result<Option<Schema>> {
    let doc: Value = serde_json::from_slice(body).context("the document is not JSON")?;
    let schema = match kind {
        Kind::V2 => Schema {
            inputs: tensors(&doc["inputs"]),
            outputs: tensors(&doc["outputs"]),
            parameters: vec![],
        },
        Kind::Classic => {
            let defs = &doc["definitions"];
            Schema {
                inputs: properties(&defs[format!("{input_name}Item")]["properties"]),
                outputs: defs
                    .as_object()
                    .and_then(|m| {
                        m.iter()
                            .find(|(k, _)| k.starts_with("output") && k.ends_with("Item"))
                    })
                    .map(|(_, v)| properties(&v["properties"]))
                    .unwrap_or_default(),
                parameters: properties(&defs["GlobalParameters"]["properties"]),
            }
        }
        Kind::AzureMl => {
            let defs = &doc["definitions"];
            let input = &defs["ServiceInput"];
            let mut data = input.clone();
            if let Some(props) = data["properties"].as_object_mut() {
                props.remove("params");
            }
            let inputs = match split_frame(input) {
                Some(fields) => fields,
                None => columns(&data),
            };
            Schema {
                parameters: input["properties"]
                    .get("params")
                    .map(|p| properties(&p["properties"]))
                    .unwrap_or_default(),
                inputs,
                outputs: columns(&defs["ServiceOutput"]),
            }
        }
        Kind::Mlflow | Kind::KserveV1 => return Ok(None),
    };
    Ok((!schema.inputs.is_empty()).then_some(schema))
}

/// The columns of an inference-schema DataFrame in split orientation
/// (`"format": "pandas.DataFrame:split"`, properties `columns`, `index`, `data`): their names
/// are in the definition's example, their type in `data`'s items when it is one scalar type.
fn split_frame(input: &Value) -> Option<Vec<Field>> {
    let (key, frame) = input["properties"].as_object()?.iter().find(|(k, v)| {
        *k != "params"
            && (v["format"].as_str().is_some_and(|f| f.ends_with(":split"))
                || (v["properties"].get("columns").is_some()
                    && v["properties"].get("data").is_some()))
    })?;
    let names = input["example"][key]["columns"].as_array()?;
    let ty = frame["properties"]["data"]["items"]["items"]["type"]
        .as_str()
        .unwrap_or("any");
    Some(
        names
            .iter()
            .filter_map(Value::as_str)
            .map(|n| Field {
                name: n.to_string(),
                ty: ty.to_string(),
                shape: None,
            })
            .collect(),
    )
}

/// `[{"name","datatype","shape"}]` of v2 metadata.
fn tensors(v: &Value) -> Vec<Field> {
    v.as_array()
        .map(|items| {
            items
                .iter()
                .map(|t| Field {
                    name: t["name"].as_str().unwrap_or_default().to_string(),
                    ty: t["datatype"].as_str().unwrap_or_default().to_string(),
                    shape: t["shape"]
                        .as_array()
                        .map(|s| s.iter().filter_map(Value::as_i64).collect()),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A JSON-schema `properties` object as fields (`type`, with `format` when given).
fn properties(v: &Value) -> Vec<Field> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(name, p)| {
                    let ty = p["type"].as_str().unwrap_or("any");
                    let ty = match p["format"].as_str() {
                        Some(f) => format!("{ty}/{f}"),
                        None => ty.to_string(),
                    };
                    Field {
                        name: name.clone(),
                        ty,
                        shape: None,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The columns of an inference-schema definition: the innermost object whose properties are
/// all scalars (`{"input_data": {"properties": {"columns", "data": {"items": {"properties":
/// {...}}}}}}` or `{"data": {"items": {"properties": {...}}}}`).
fn columns(v: &Value) -> Vec<Field> {
    let scalar = |p: &Value| {
        matches!(
            p["type"].as_str(),
            Some("string" | "number" | "integer" | "boolean")
        )
    };
    if let Some(props) = v["properties"].as_object()
        && !props.is_empty()
        && props.values().all(scalar)
    {
        return properties(&v["properties"]);
    }
    let mut found = vec![];
    if let Some(props) = v["properties"].as_object() {
        for p in props.values() {
            found = columns(p);
            if !found.is_empty() {
                return found;
            }
        }
    }
    if v.get("items").is_some() {
        found = columns(&v["items"]);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v2_metadata_and_swagger_documents_are_read() {
        let meta = json!({"name": "m", "inputs": [{"name": "f1", "datatype": "FP64", "shape": [-1]}],
            "outputs": [{"name": "predict", "datatype": "INT64", "shape": [-1, 1]}]});
        let s = parse(Kind::V2, meta.to_string().as_bytes(), "")
            .unwrap()
            .unwrap();
        assert_eq!(
            s.input_types(Kind::V2),
            [("f1".to_string(), ColType::Float)]
        );
        assert_eq!(s.outputs[0].shape, Some(vec![-1, 1]));
        let empty = json!({"name": "m", "inputs": [], "outputs": []});
        assert!(
            parse(Kind::V2, empty.to_string().as_bytes(), "")
                .unwrap()
                .is_none()
        );
        let swagger = json!({"definitions": {"ServiceInput": {"type": "object", "properties": {
            "input_data": {"type": "object", "properties": {"data": {"type": "array", "items": {
                "type": "object", "properties": {"f1": {"type": "number", "format": "double"}, "color": {"type": "string"}}}}}}}},
            "ServiceOutput": {"type": "array", "items": {"type": "integer"}}}});
        let s = parse(Kind::AzureMl, swagger.to_string().as_bytes(), "")
            .unwrap()
            .unwrap();
        assert_eq!(
            s.input_types(Kind::AzureMl),
            [
                ("f1".to_string(), ColType::Float),
                ("color".to_string(), ColType::Str)
            ]
        );
        let undecorated =
            json!({"definitions": {"ServiceInput": {"type": "object", "example": {}}}});
        assert!(
            parse(Kind::AzureMl, undecorated.to_string().as_bytes(), "")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn schema_urls_sit_beside_the_scoring_url() {
        let u = |k, s: &str| url(k, &Url::parse(s).unwrap()).map(|u| u.to_string());
        assert_eq!(
            u(Kind::AzureMl, "http://h:1/score").as_deref(),
            Some("http://h:1/swagger.json")
        );
        assert_eq!(
            u(Kind::V2, "http://h/v2/models/m/infer").as_deref(),
            Some("http://h/v2/models/m")
        );
        assert_eq!(
            u(Kind::Classic, "http://h/workspaces/w/services/s").as_deref(),
            Some("http://h/workspaces/w/services/s/swagger.json")
        );
        assert_eq!(u(Kind::Mlflow, "http://h/invocations"), None);
    }
}
