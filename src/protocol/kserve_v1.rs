//! KServe v1 `POST /v1/models/M:predict` (`spec/adapters.md` §4): `{"instances": [[...], ...]}`
//! (rows, default) or `{"instances": [{"col": [...], ...}]}` (one column dict, which
//! DataFrame models take); the answer is `{"predictions": [...]}`.

use super::Predictions;
use super::answer;
use super::typed::{Wire, parse_json, predictions, push_column, push_rows};
use super::typing::Col;
use crate::table::TypedRows;
use crate::table::predictions::At;
use anyhow::{Result, bail};
use serde_json::Value;

/// KServe's data plane reads a v1 body as JSON only when `Content-Type` is exactly one of
/// `application/json`, `application/cloudevents+json`, `application/ld+json` or
/// `application/octet-stream` (kserve 0.21 `protocol/dataplane.py` `JSON_HEADERS`); with
/// `application/json; charset=utf-8` it hands the model the raw bytes, and the model fails
/// (500 "Expected 2D array, got scalar array instead: array=None."). JSON is UTF-8 anyway
/// (RFC 8259), so the parameter says nothing.
const CONTENT_TYPE: &str = "application/json";

pub struct KserveV1 {
    /// `columns` (true) or `rows`.
    columns: bool,
}

pub fn wire(format: Option<&str>, params: &[(String, Value)]) -> Result<Box<dyn Wire>> {
    if !params.is_empty() {
        return Err(crate::usage!(
            "kserve-v1 bodies have no place for `--param`"
        ));
    }
    let columns = match format.unwrap_or("rows") {
        "rows" => false,
        "columns" => true,
        other => {
            return Err(crate::usage!(
                "`{other}` is not a body format of kserve-v1 (rows, columns)"
            ));
        }
    };
    Ok(Box::new(KserveV1 { columns }))
}

impl Wire for KserveV1 {
    fn content_type(&self) -> &'static str {
        CONTENT_TYPE
    }

    fn encode(&self, rows: &TypedRows, types: &[Col], out: &mut Vec<u8>) -> Result<()> {
        out.extend_from_slice(b"{\"instances\":");
        if self.columns {
            out.extend_from_slice(b"[{");
            for (c, name) in rows.set.columns.iter().enumerate() {
                if c > 0 {
                    out.push(b',');
                }
                crate::table::encode::push_json_str(out, name.as_bytes());
                out.push(b':');
                push_column(out, rows, c, types[c]);
            }
            out.extend_from_slice(b"}]");
        } else {
            push_rows(out, rows, types);
        }
        out.push(b'}');
        Ok(())
    }

    fn decode<'a>(&self, body: &'a [u8], rows: usize) -> Result<Predictions<'a>> {
        answer::scan_list(body, At::Key, rows).map_or_else(|| decode_serde(body, rows), Ok)
    }
}

/// The predictions of an answer read with serde: every form, and every error message.
pub(super) fn decode_serde(body: &[u8], rows: usize) -> Result<Predictions<'static>> {
    match predictions(&mut parse_json(body)?, rows) {
        Some(p) => p,
        None => bail!("the answer has no `predictions`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_type_is_one_kserve_reads_as_json() {
        for format in [None, Some("rows"), Some("columns")] {
            let w = wire(format, &[]).unwrap();
            assert_eq!(w.content_type(), "application/json", "{format:?}");
        }
    }
}
