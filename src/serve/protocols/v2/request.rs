//! Reads an inference request of the Open Inference Protocol (`adapters.md` §3) the way
//! MLServer's FastAPI app does: JSON only for JSON content types (another type leaves the
//! bytes, which are no object), then pydantic's model check, whose failures are one 422
//! `{"detail": [...]}` listing every problem as pydantic v2 words it (`type`, `loc`, `msg`,
//! `input`). What passes is an [`InferRequest`] borrowing from the body's JSON, each
//! input's `data` flattened (nested lists are row-major too). Knows nothing of the model.

use serde_json::{Map, Value, json};

/// The datatypes of the protocol, in MLServer's order.
const DATATYPES: [&str; 13] = [
    "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16",
    "FP32", "FP64", "BYTES",
];

/// A request that passed the checks.
#[derive(Debug)]
pub struct InferRequest<'a> {
    pub id: Option<&'a str>,
    /// The request-level `parameters.content_type`.
    pub content_type: Option<&'a str>,
    pub inputs: Vec<Input<'a>>,
    /// The names of the outputs asked for, when `outputs` was given.
    pub outputs: Option<Vec<&'a str>>,
}

/// One input tensor.
#[derive(Debug)]
pub struct Input<'a> {
    pub name: &'a str,
    pub shape: Vec<i64>,
    /// The elements, row-major, nested lists flattened.
    pub data: Vec<&'a Value>,
}

/// The body as FastAPI hands it to pydantic: JSON, or the raw text under another content type.
pub fn body_value(body: &[u8], content_type: Option<&str>) -> Result<Value, Value> {
    let json_type = match content_type {
        None => true,
        Some(t) => {
            let mime = t
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            mime.strip_prefix("application/")
                .is_some_and(|sub| sub == "json" || sub.ends_with("+json"))
        }
    };
    if body.is_empty() {
        return Err(detail(vec![issue(
            "missing",
            &[],
            "Field required",
            Value::Null,
        )]));
    }
    if !json_type {
        return Ok(Value::String(String::from_utf8_lossy(body).into_owned()));
    }
    serde_json::from_slice(body).map_err(|e| {
        let at = offset(body, e.line(), e.column());
        detail(vec![json!({
            "type": "json_invalid", "loc": ["body", at], "msg": "JSON decode error",
            "input": {}, "ctx": {"error": e.to_string()}
        })])
    })
}

/// The byte offset of 1-based `line` and `column`.
fn offset(body: &[u8], line: usize, column: usize) -> usize {
    let start: usize = body
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    (start + column.saturating_sub(1)).min(body.len())
}

/// Checks `v` as MLServer's `InferenceRequest` model: the request, or the 422 body.
pub fn parse(v: &Value) -> Result<InferRequest<'_>, Value> {
    let mut issues = Vec::new();
    let Some(m) = object(v, &[], &mut issues) else {
        return Err(detail(issues));
    };
    let id = optional_str(m, "id", &mut issues);
    let mut content_type = None;
    if let Some(p) = m.get("parameters").filter(|p| !p.is_null())
        && let Some(p) = object(p, &[json!("parameters")], &mut issues)
    {
        content_type = p.get("content_type").and_then(Value::as_str);
    }
    let mut inputs = Vec::new();
    match m.get("inputs") {
        None => issues.push(issue(
            "missing",
            &[json!("inputs")],
            "Field required",
            v.clone(),
        )),
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if let Some(input) = input(item, i, &mut issues) {
                    inputs.push(input);
                }
            }
        }
        Some(other) => issues.push(list_issue(&[json!("inputs")], other)),
    }
    let outputs = match m.get("outputs") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, o)| {
                    let at = [json!("outputs"), json!(i)];
                    let o = object(o, &at, &mut issues)?;
                    required_str(o, &at, "name", &mut issues)
                })
                .collect(),
        ),
        Some(other) => {
            issues.push(list_issue(&[json!("outputs")], other));
            None
        }
    };
    if issues.is_empty() {
        Ok(InferRequest {
            id,
            content_type,
            inputs,
            outputs,
        })
    } else {
        Err(detail(issues))
    }
}

fn input<'a>(item: &'a Value, i: usize, issues: &mut Vec<Value>) -> Option<Input<'a>> {
    let at = [json!("inputs"), json!(i)];
    let o = object(item, &at, issues)?;
    let name = required_str(o, &at, "name", issues);
    let datatype = match o.get("datatype") {
        None => {
            issues.push(missing(&at, "datatype", item));
            None
        }
        Some(Value::String(t)) if DATATYPES.contains(&t.as_str()) => Some(t.as_str()),
        Some(other) => {
            let expected = enum_list();
            issues.push(json!({
                "type": "enum", "loc": loc(&at, Some("datatype")),
                "msg": format!("Input should be {expected}"), "input": other,
                "ctx": {"expected": expected}
            }));
            None
        }
    };
    let shape = match o.get("shape") {
        None => {
            issues.push(missing(&at, "shape", item));
            None
        }
        Some(Value::Array(dims)) => {
            let mut shape = Vec::with_capacity(dims.len());
            for (j, d) in dims.iter().enumerate() {
                match d.as_i64() {
                    Some(n) => shape.push(n),
                    None => {
                        let mut l = loc(&at, Some("shape"));
                        l.push(json!(j));
                        issues.push(json!({"type": "int_type", "loc": l,
                            "msg": "Input should be a valid integer", "input": d}));
                    }
                }
            }
            Some(shape)
        }
        Some(other) => {
            issues.push(list_issue(
                &[at[0].clone(), at[1].clone(), json!("shape")],
                other,
            ));
            None
        }
    };
    let data = match o.get("data") {
        None => {
            issues.push(missing(&at, "data", item));
            None
        }
        Some(d) => {
            let mut flat = Vec::new();
            flatten(d, &mut flat);
            Some(flat)
        }
    };
    // The datatype is checked, not kept: only text cells are hashed whatever it says.
    datatype?;
    Some(Input {
        name: name?,
        shape: shape?,
        data: data?,
    })
}

fn flatten<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| flatten(i, out)),
        scalar => out.push(scalar),
    }
}

fn enum_list() -> String {
    let quoted: Vec<String> = DATATYPES.iter().map(|t| format!("'{t}'")).collect();
    let (last, rest) = quoted.split_last().expect("there are datatypes");
    format!("{} or {last}", rest.join(", "))
}

fn object<'a>(
    v: &'a Value,
    at: &[Value],
    issues: &mut Vec<Value>,
) -> Option<&'a Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m),
        other => {
            issues.push(issue(
                "model_attributes_type",
                at,
                "Input should be a valid dictionary or object to extract fields from",
                other.clone(),
            ));
            None
        }
    }
}

fn optional_str<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    issues: &mut Vec<Value>,
) -> Option<&'a str> {
    match m.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            issues.push(str_issue(&[json!(key)], other));
            None
        }
    }
}

fn required_str<'a>(
    m: &'a Map<String, Value>,
    at: &[Value],
    key: &str,
    issues: &mut Vec<Value>,
) -> Option<&'a str> {
    match m.get(key) {
        Some(Value::String(s)) => Some(s),
        None => {
            issues.push(missing(at, key, &Value::Object(m.clone())));
            None
        }
        Some(other) => {
            let mut field = at.to_vec();
            field.push(json!(key));
            issues.push(str_issue(&field, other));
            None
        }
    }
}

/// `["body", ...at, key?]`.
fn loc(at: &[Value], key: Option<&str>) -> Vec<Value> {
    let mut l = vec![json!("body")];
    l.extend(at.iter().cloned());
    l.extend(key.map(|k| json!(k)));
    l
}

fn issue(kind: &str, at: &[Value], msg: &str, input: Value) -> Value {
    json!({"type": kind, "loc": loc(at, None), "msg": msg, "input": input})
}

fn missing(at: &[Value], key: &str, parent: &Value) -> Value {
    json!({"type": "missing", "loc": loc(at, Some(key)), "msg": "Field required", "input": parent})
}

fn str_issue(at: &[Value], input: &Value) -> Value {
    issue(
        "string_type",
        at,
        "Input should be a valid string",
        input.clone(),
    )
}

fn list_issue(at: &[Value], input: &Value) -> Value {
    issue(
        "list_type",
        at,
        "Input should be a valid list",
        input.clone(),
    )
}

fn detail(issues: Vec<Value>) -> Value {
    json!({ "detail": issues })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues(v: Value) -> Vec<Value> {
        parse(&v).unwrap_err()["detail"].as_array().unwrap().clone()
    }

    #[test]
    fn a_columns_request_is_read_and_flattened() {
        let v = json!({"id": "r1", "parameters": {"content_type": "pd"}, "inputs": [
            {"name": "Col2", "shape": [2, 1], "datatype": "BYTES", "data": [["a"], ["b"]]}],
            "outputs": [{"name": "hashing"}]});
        let r = parse(&v).unwrap();
        assert_eq!((r.id, r.content_type), (Some("r1"), Some("pd")));
        assert_eq!(r.inputs[0].shape, [2, 1]);
        assert_eq!(r.inputs[0].data, [&json!("a"), &json!("b")]);
        assert_eq!(r.outputs.unwrap(), ["hashing"]);
    }

    #[test]
    fn malformed_requests_list_every_problem_as_pydantic_does() {
        let i = issues(json!({"id": 5}));
        assert_eq!(i[0]["loc"], json!(["body", "id"]));
        assert_eq!(i[1]["type"], "missing");
        assert_eq!(i[1]["loc"], json!(["body", "inputs"]));
        let i = issues(json!({"inputs": [{"name": "Col2", "shape": ["x"], "datatype": "STRING"}]}));
        let locs: Vec<&Value> = i.iter().map(|x| &x["loc"]).collect();
        assert_eq!(
            locs,
            [
                &json!(["body", "inputs", 0, "datatype"]),
                &json!(["body", "inputs", 0, "shape", 0]),
                &json!(["body", "inputs", 0, "data"])
            ]
        );
        assert!(i[0]["msg"].as_str().unwrap().ends_with("'FP64' or 'BYTES'"));
        assert_eq!(issues(json!([1]))[0]["type"], "model_attributes_type");
        assert_eq!(issues(json!({"inputs": {}}))[0]["type"], "list_type");
    }

    #[test]
    fn bodies_are_json_only_under_json_types() {
        assert!(body_value(b"{}", None).is_ok());
        assert!(body_value(b"{}", Some("application/json; charset=utf-8")).is_ok());
        assert_eq!(
            body_value(b"a=1", Some("application/x-www-form-urlencoded")).unwrap(),
            "a=1"
        );
        let e = body_value(b"{\n x", Some("application/json")).unwrap_err();
        assert_eq!(e["detail"][0]["type"], "json_invalid");
        assert_eq!(e["detail"][0]["loc"][1], 3);
        assert_eq!(
            body_value(b"", None).unwrap_err()["detail"][0]["type"],
            "missing"
        );
    }
}
