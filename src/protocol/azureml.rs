//! Azure ML online endpoints and `azmlinfsrv` `POST /score` (`spec/adapters.md` §2): MLflow
//! models deployed without a script take `{"input_data": {"columns","index","data"}}`
//! (default) and answer a bare list; the docs' sample script takes `{"data": [[...]]}`. Other
//! scripts answer `{"predictions": [...]}`, and many return `json.dumps(...)`, which arrives
//! as a JSON string holding JSON: all are read.

use super::Predictions;
use super::answer;
use super::typed::{Wire, parse_json, push_columns, push_params, push_rows};
use super::typing::Col;
use crate::table::TypedRows;
use crate::table::predictions::At;
use anyhow::{Result, bail};
use serde_json::Value;

pub struct AzureMl {
    /// `input-data` (true) or `data`.
    input_data: bool,
    params: Vec<(String, Value)>,
}

pub fn wire(format: Option<&str>, params: Vec<(String, Value)>) -> Result<Box<dyn Wire>> {
    let input_data = match format.unwrap_or("input-data") {
        "input-data" => true,
        "data" => false,
        other => {
            return Err(crate::usage!(
                "`{other}` is not a body format of azureml (input-data, data)"
            ));
        }
    };
    Ok(Box::new(AzureMl { input_data, params }))
}

/// Appends `i` in decimal (a row index).
fn push_index(out: &mut Vec<u8>, i: usize) {
    out.extend_from_slice(crate::table::encode::decimal(i as u64, &mut [0; 20]));
}

impl Wire for AzureMl {
    fn content_type(&self) -> &'static str {
        crate::client::JSON_CONTENT_TYPE
    }

    fn encode(&self, rows: &TypedRows, types: &[Col], out: &mut Vec<u8>) -> Result<()> {
        if self.input_data {
            out.extend_from_slice(b"{\"input_data\":{\"columns\":");
            push_columns(out, &rows.set.columns);
            out.extend_from_slice(b",\"index\":[");
            for i in 0..rows.len() {
                if i > 0 {
                    out.push(b',');
                }
                push_index(out, i);
            }
            out.extend_from_slice(b"],\"data\":");
            push_rows(out, rows, types);
            out.push(b'}');
        } else {
            out.extend_from_slice(b"{\"data\":");
            push_rows(out, rows, types);
        }
        push_params(out, "params", &self.params);
        out.push(b'}');
        Ok(())
    }

    /// The fast path reads a bare list and `{"predictions": LIST}`; the rest is serde's.
    fn decode<'a>(&self, body: &'a [u8], rows: usize) -> Result<Predictions<'a>> {
        answer::scan_list(body, At::KeyOrBare, rows).map_or_else(|| decode_serde(body, rows), Ok)
    }
}

/// The predictions of an answer read with serde: every form, and every error message.
pub(super) fn decode_serde(body: &[u8], rows: usize) -> Result<Predictions<'static>> {
    let mut v = parse_json(body)?;
    if let Value::String(s) = &v
        && let Ok(inner) = serde_json::from_str::<Value>(s)
        && (inner.is_array() || inner.is_object())
    {
        v = inner;
    }
    match v {
        Value::Object(mut map) => {
            for key in ["predictions", "result", "results", "output", "outputs"] {
                if let Some(x) = map.remove(key) {
                    return answer::from_json(x, rows);
                }
            }
            if map.values().all(Value::is_array) && !map.is_empty() {
                return answer::from_json(Value::Object(map), rows);
            }
            bail!(
                "the answer is an object without predictions (keys {})",
                super::typed::key_list(&map)
            )
        }
        other => answer::from_json(other, rows),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn indexes_are_written_in_decimal() {
        for i in [0, 7, 10, 999, 1000, 123_456_789, usize::MAX] {
            let mut out = vec![];
            super::push_index(&mut out, i);
            assert_eq!(out, i.to_string().into_bytes());
        }
    }
}
