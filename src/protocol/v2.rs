//! The Open Inference Protocol ("v2": KServe, MLServer, Triton; `spec/adapters.md` §3):
//! `POST /v2/models/M[/versions/V]/infer`. Mixed-type tables go as one input per column
//! (shape `[n]`, datatype from the column's type) with request-level
//! `"parameters": {"content_type": "pd"}` (default), or as one `FP64 [n,k]` tensor
//! (`--body-format tensor`). `--output-name` asks for outputs. The answer's outputs become
//! columns by their shape (`answer.rs`).

use super::Predictions;
use super::answer::{self, Tensor};
use super::typed::{Wire, parse_json, push_column, push_object};
use super::typing::{Col, ColType, push_text};
use crate::table::TypedRows;
use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::Value;

pub struct V2 {
    /// The tensor's name for `tensor` bodies; `None` for one input per column.
    tensor: Option<String>,
    outputs: Vec<String>,
    params: Vec<(String, Value)>,
}

pub fn wire(
    format: Option<&str>,
    input_name: String,
    outputs: Vec<String>,
    params: Vec<(String, Value)>,
) -> Result<Box<dyn Wire>> {
    let tensor = match format.unwrap_or("columns") {
        "columns" => None,
        "tensor" => Some(input_name),
        other => {
            return Err(crate::usage!(
                "`{other}` is not a body format of v2 (columns, tensor)"
            ));
        }
    };
    Ok(Box::new(V2 {
        tensor,
        outputs,
        params,
    }))
}

/// The v2 datatype of a column type.
pub fn datatype(ty: ColType) -> &'static str {
    match ty {
        ColType::Str => "BYTES",
        ColType::Int => "INT64",
        ColType::Float => "FP64",
        ColType::Bool => "BOOL",
    }
}

/// The column type of a v2 datatype.
pub fn col_type(datatype: &str) -> Option<ColType> {
    match datatype {
        "BYTES" | "STRING" => Some(ColType::Str),
        "BOOL" => Some(ColType::Bool),
        d if d.starts_with("INT") || d.starts_with("UINT") => Some(ColType::Int),
        d if d.starts_with("FP") || d == "BF16" => Some(ColType::Float),
        _ => None,
    }
}

impl Wire for V2 {
    fn content_type(&self) -> &'static str {
        crate::client::JSON_CONTENT_TYPE
    }

    fn encode(&self, rows: &TypedRows, types: &[Col], out: &mut Vec<u8>) -> Result<()> {
        let n = rows.len();
        let mut parameters = self.params.clone();
        if self.tensor.is_none() {
            parameters.insert(0, ("content_type".into(), Value::from("pd")));
        }
        out.extend_from_slice(b"{");
        if !parameters.is_empty() {
            out.extend_from_slice(b"\"parameters\":");
            push_object(out, &parameters);
            out.push(b',');
        }
        out.extend_from_slice(b"\"inputs\":[");
        match &self.tensor {
            None => {
                for (c, name) in rows.set.columns.iter().enumerate() {
                    if c > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(b"{\"name\":");
                    crate::table::encode::push_json_str(out, name.as_bytes());
                    out.extend_from_slice(
                        format!(
                            ",\"shape\":[{n}],\"datatype\":\"{}\",\"data\":",
                            datatype(types[c].ty)
                        )
                        .as_bytes(),
                    );
                    push_column(out, rows, c, types[c]);
                    out.push(b'}');
                }
            }
            Some(name) => {
                let k = rows.set.width();
                out.extend_from_slice(b"{\"name\":");
                crate::table::encode::push_json_str(out, name.as_bytes());
                out.extend_from_slice(
                    format!(",\"shape\":[{n},{k}],\"datatype\":\"FP64\",\"data\":[").as_bytes(),
                );
                let mut first = true;
                for r in rows.range.clone() {
                    for cell in rows.set.texts(r) {
                        if !first {
                            out.push(b',');
                        }
                        first = false;
                        push_text(out, cell, Col::of(ColType::Float));
                    }
                }
                out.extend_from_slice(b"]}");
            }
        }
        out.push(b']');
        if !self.outputs.is_empty() {
            out.extend_from_slice(b",\"outputs\":[");
            for (i, o) in self.outputs.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(b"{\"name\":");
                crate::table::encode::push_json_str(out, o.as_bytes());
                out.push(b'}');
            }
            out.push(b']');
        }
        out.push(b'}');
        Ok(())
    }

    fn decode<'a>(&self, body: &'a [u8], rows: usize) -> Result<Predictions<'a>> {
        answer::scan_tensors(body, rows).map_or_else(|| decode_serde(body, rows), Ok)
    }
}

/// The predictions of an answer read with serde: every form, and every error message.
pub(super) fn decode_serde(body: &[u8], rows: usize) -> Result<Predictions<'static>> {
    #[derive(Deserialize)]
    struct Answer {
        outputs: Vec<Output>,
    }
    #[derive(Deserialize)]
    struct Output {
        name: String,
        #[serde(default)]
        shape: Vec<i64>,
        data: Value,
    }
    let answer: Answer = serde_json::from_value(parse_json(body)?)
        .context("the answer is not a v2 inference response (`outputs`)")?;
    let tensors = answer
        .outputs
        .into_iter()
        .map(|o| Tensor {
            name: o.name,
            shape: o.shape,
            data: flatten(o.data),
        })
        .collect();
    answer::from_tensors(tensors, rows)
}

/// Row-major data, flattened if a server nested it.
fn flatten(v: Value) -> Vec<Value> {
    match v {
        Value::Array(items) if items.iter().any(Value::is_array) => {
            items.into_iter().flat_map(flatten).collect()
        }
        Value::Array(items) => items,
        other => vec![other],
    }
}
