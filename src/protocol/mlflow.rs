//! MLflow's scoring server `POST /invocations` (also Databricks Model Serving;
//! `spec/adapters.md` §1): `dataframe_split` (default), `dataframe_records`, or the rows as
//! `text/csv` with their header; optional `params`. The answer is `{"predictions": X}`.

use super::Predictions;
use super::answer;
use super::typed::{Wire, parse_json, predictions, push_columns, push_params, push_rows};
use super::typing::{Col, push_text};
use crate::table::TypedRows;
use crate::table::predictions::At;
use anyhow::{Result, bail};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    Split,
    Records,
    Csv,
}

pub struct Mlflow {
    body: Body,
    params: Vec<(String, Value)>,
}

pub fn wire(format: Option<&str>, params: Vec<(String, Value)>) -> Result<Box<dyn Wire>> {
    let body = match format.unwrap_or("split") {
        "split" => Body::Split,
        "records" => Body::Records,
        "csv" => Body::Csv,
        other => {
            return Err(crate::usage!(
                "`{other}` is not a body format of mlflow (split, records, csv)"
            ));
        }
    };
    if body == Body::Csv && !params.is_empty() {
        return Err(crate::usage!(
            "`--param` cannot go with `--body-format csv` (a CSV body has no place for params)"
        ));
    }
    Ok(Box::new(Mlflow { body, params }))
}

impl Wire for Mlflow {
    fn content_type(&self) -> &'static str {
        match self.body {
            Body::Csv => "text/csv",
            _ => crate::client::JSON_CONTENT_TYPE,
        }
    }

    fn encode(&self, rows: &TypedRows, types: &[Col], out: &mut Vec<u8>) -> Result<()> {
        let columns = &rows.set.columns;
        match self.body {
            Body::Split => {
                out.extend_from_slice(b"{\"dataframe_split\":{\"columns\":");
                push_columns(out, columns);
                out.extend_from_slice(b",\"data\":");
                push_rows(out, rows, types);
                out.push(b'}');
            }
            Body::Records => {
                out.extend_from_slice(b"{\"dataframe_records\":[");
                for (n, r) in rows.range.clone().enumerate() {
                    if n > 0 {
                        out.push(b',');
                    }
                    out.push(b'{');
                    for (i, cell) in rows.set.texts(r).enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        crate::table::encode::push_json_str(out, columns[i].as_bytes());
                        out.push(b':');
                        push_text(out, cell, types[i]);
                    }
                    out.push(b'}');
                }
                out.push(b']');
            }
            Body::Csv => {
                crate::table::push_csv_record(out, columns.iter().map(|c| c.as_bytes()), b',');
                for r in rows.range.clone() {
                    crate::table::push_csv_record(out, rows.set.texts(r), b',');
                }
                return Ok(());
            }
        }
        push_params(out, "params", &self.params);
        out.push(b'}');
        Ok(())
    }

    fn decode<'a>(&self, body: &'a [u8], rows: usize) -> Result<Predictions<'a>> {
        answer::scan_list(body, At::KeyOrBare, rows).map_or_else(|| decode_serde(body, rows), Ok)
    }
}

/// The predictions of an answer read with serde: every form, and every error message.
pub(super) fn decode_serde(body: &[u8], rows: usize) -> Result<Predictions<'static>> {
    let mut answer = parse_json(body)?;
    if let Some(p) = predictions(&mut answer, rows) {
        return p;
    }
    match answer {
        Value::Object(map) => bail!(
            "the answer has no `predictions` (it has {})",
            super::typed::key_list(&map)
        ),
        other => answer::from_json(other, rows),
    }
}
