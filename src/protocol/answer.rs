//! Predictions to columns (`spec/adapters.md` "Output rows"): a list of scalars is one column
//! `prediction`; a list of lists of k values is `prediction_0 … prediction_{k-1}`; a list of
//! objects is one column per key (the first row's keys, in order); a dict of lists is read as
//! columns; a v2 output `NAME` of shape `[n]` or `[n,1]` is `NAME`, of `[n,k]`
//! `NAME_0 … NAME_{k-1}`. The count must be the batch's rows: a shifted answer is an error,
//! never a silent misalignment.
//!
//! Each answer is first read by the scanner of `table::predictions` (the lists of scalars and
//! of lists of scalars, and v2 outputs of flat data: cells borrowed from the body, no
//! `serde_json::Value`), then, when it gives up, parsed with serde here; the columns of both
//! are named and counted by the same code.

use super::Predictions;
use crate::table::Cell;
use crate::table::predictions::{self as scan, At};
use anyhow::{Result, bail};
use serde_json::Value;
use std::borrow::Cow;

/// A JSON value as an output cell: strings as strings, numbers and booleans as literals,
/// anything nested as its JSON text.
pub fn cell(v: Value) -> Cell<'static> {
    match v {
        Value::String(s) => Cell::Str(Cow::Owned(s)),
        Value::Null => Cell::Null,
        other => Cell::Lit(Cow::Owned(other.to_string())),
    }
}

/// Columns of `rows` predictions from a list (MLflow's `predictions`, Azure ML's bare list,
/// KServe's `predictions`) or a dict of lists.
pub fn from_json(x: Value, rows: usize) -> Result<Predictions<'static>> {
    match x {
        Value::Array(items) => from_list(items, rows),
        Value::Object(map) if map.values().all(Value::is_array) && !map.is_empty() => {
            let columns: Vec<String> = map.keys().cloned().collect();
            let mut lists: Vec<std::vec::IntoIter<Value>> = Vec::with_capacity(map.len());
            for (name, v) in map {
                let Value::Array(list) = v else {
                    unreachable!("checked above")
                };
                if list.len() != rows {
                    bail!(count_text(
                        list.len(),
                        rows,
                        &format!(" in column `{name}`")
                    ));
                }
                lists.push(list.into_iter());
            }
            let mut out = Vec::with_capacity(rows);
            for _ in 0..rows {
                out.push(
                    lists
                        .iter_mut()
                        .map(|l| cell(l.next().expect("length checked")))
                        .collect(),
                );
            }
            Ok(Predictions::from_rows(Some(columns), out))
        }
        other => bail!(
            "the answer's predictions are {}, not a list",
            crate::wire::rrs::json_kind(&other)
        ),
    }
}

fn count_text(got: usize, rows: usize, wherein: &str) -> String {
    format!("the service answered {got} predictions{wherein} for {rows} rows")
}

/// The columns of a list of `len` predictions whose items are lists of `width` values (`Some`)
/// or scalars (`None`).
fn list_columns(len: usize, width: Option<usize>) -> Vec<String> {
    match width {
        _ if len == 0 => vec![],
        Some(k) => (0..k).map(|i| format!("prediction_{i}")).collect(),
        None => vec!["prediction".into()],
    }
}

/// The predictions of an answer when the scanner reads them (a list of scalars or of lists of
/// scalars, of the right count): at `predictions`, or bare too as `at` says.
pub fn scan_list(body: &[u8], at: At, rows: usize) -> Option<Predictions<'_>> {
    let list = scan::list(body, at, rows)?;
    if list.len != rows {
        return None;
    }
    let k = list.width.unwrap_or(1);
    let ends = (1..=list.len).map(|r| r * k).collect();
    let columns = list_columns(list.len, list.width);
    Some(Predictions::from_flat(Some(columns), list.cells, ends))
}

fn from_list(items: Vec<Value>, rows: usize) -> Result<Predictions<'static>> {
    if items.len() != rows {
        bail!(count_text(items.len(), rows, ""));
    }
    let Some(first) = items.first() else {
        return Ok(Predictions::from_rows(Some(list_columns(0, None)), vec![]));
    };
    match first {
        Value::Array(a) => {
            let k = a.len();
            let columns = list_columns(rows, Some(k));
            let mut out = Vec::with_capacity(rows);
            for (n, item) in items.into_iter().enumerate() {
                match item {
                    Value::Array(a) if a.len() == k => out.push(a.into_iter().map(cell).collect()),
                    other => bail!(
                        "prediction {} is {}, unlike the first one (a list of {k} values)",
                        n + 1,
                        describe(&other)
                    ),
                }
            }
            Ok(Predictions::from_rows(Some(columns), out))
        }
        Value::Object(o) => {
            let columns: Vec<String> = o.keys().cloned().collect();
            let mut out = Vec::with_capacity(rows);
            for (n, item) in items.into_iter().enumerate() {
                let Value::Object(mut o) = item else {
                    bail!(
                        "prediction {} is {}, unlike the first one (an object)",
                        n + 1,
                        describe(&item)
                    );
                };
                if o.len() != columns.len() || !columns.iter().all(|c| o.contains_key(c)) {
                    bail!(
                        "prediction {} has keys {}, unlike the first one ({})",
                        n + 1,
                        o.keys().cloned().collect::<Vec<_>>().join(","),
                        columns.join(",")
                    );
                }
                out.push(
                    columns
                        .iter()
                        .map(|c| cell(o.remove(c).unwrap_or(Value::Null)))
                        .collect(),
                );
            }
            Ok(Predictions::from_rows(Some(columns), out))
        }
        _ => {
            let out = items.into_iter().map(|v| vec![cell(v)]).collect();
            Ok(Predictions::from_rows(Some(list_columns(rows, None)), out))
        }
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Array(a) => format!("a list of {} values", a.len()),
        other => crate::wire::rrs::json_kind(other).to_string(),
    }
}

/// One v2 output: its name, shape and flat row-major data (JSON values, or cells as the
/// scanner read them).
pub struct Tensor<D = Value> {
    pub name: String,
    pub shape: Vec<i64>,
    pub data: Vec<D>,
}

/// Columns of the outputs of a v2 answer, in answer order.
pub fn from_tensors(tensors: Vec<Tensor>, rows: usize) -> Result<Predictions<'static>> {
    tensor_columns(tensors, rows, cell)
}

/// The predictions of a v2 answer when the scanner reads them (outputs of flat data whose
/// counts are right).
pub fn scan_tensors(body: &[u8], rows: usize) -> Option<Predictions<'_>> {
    let tensors = scan::tensors(body, rows)?
        .into_iter()
        .map(|t| Tensor {
            name: t.name.into_owned(),
            shape: t.shape,
            data: t.data,
        })
        .collect();
    tensor_columns(tensors, rows, |c| c).ok()
}

/// [`from_tensors`] of any data whose items `cell` makes cells.
fn tensor_columns<'a, D>(
    tensors: Vec<Tensor<D>>,
    rows: usize,
    cell: impl Fn(D) -> Cell<'a>,
) -> Result<Predictions<'a>> {
    let mut columns = Vec::new();
    let mut parts: Vec<(usize, std::vec::IntoIter<D>)> = Vec::new();
    for t in tensors {
        let n = t.shape.first().copied().unwrap_or(t.data.len() as i64);
        if n != rows as i64 {
            bail!(count_text(
                n.max(0) as usize,
                rows,
                &format!(" in output `{}`", t.name)
            ));
        }
        // Saturating: a shape of absurd dimensions is an error below, not an overflow.
        let k = t
            .shape
            .iter()
            .skip(1)
            .fold(1i64, |k, &d| k.saturating_mul(d));
        let k = k.max(0) as usize;
        if t.data.len() != rows.saturating_mul(k) {
            bail!(
                "output `{}` has {} values where its shape {:?} says {}",
                t.name,
                t.data.len(),
                t.shape,
                rows.saturating_mul(k)
            );
        }
        if t.shape.len() <= 1 || k == 1 && t.shape.len() == 2 {
            columns.push(t.name);
        } else {
            columns.extend((0..k).map(|i| format!("{}_{i}", t.name)));
        }
        parts.push((k, t.data.into_iter()));
    }
    let mut cells = Vec::with_capacity(rows * columns.len());
    let mut ends = Vec::with_capacity(rows);
    for _ in 0..rows {
        for (k, data) in parts.iter_mut() {
            cells.extend(data.take(*k).map(&cell));
        }
        ends.push(cells.len());
    }
    Ok(Predictions::from_flat(Some(columns), cells, ends))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cols(p: &Predictions<'_>) -> Vec<String> {
        p.columns.clone().unwrap()
    }

    fn texts(p: &Predictions<'_>) -> Vec<Vec<String>> {
        p.rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Cell::Str(s) => s.to_string(),
                        Cell::Lit(s) => s.to_string(),
                        Cell::Null => "null".into(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_answer_shape_becomes_columns() {
        let p = from_json(json!([0, 1, 1]), 3).unwrap();
        assert_eq!(cols(&p), ["prediction"]);
        assert_eq!(texts(&p), [["0"], ["1"], ["1"]]);
        let p = from_json(json!([[0.7, 0.3], [0.1, 0.9]]), 2).unwrap();
        assert_eq!(cols(&p), ["prediction_0", "prediction_1"]);
        let p = from_json(
            json!([{"label": 0, "proba": 0.28}, {"proba": 0.5, "label": 1}]),
            2,
        )
        .unwrap();
        assert_eq!(cols(&p), ["label", "proba"]);
        assert_eq!(texts(&p)[1], ["1", "0.5"]);
        let p = from_json(json!({"label": ["a", "b"], "score": [1, 2]}), 2).unwrap();
        assert_eq!(cols(&p), ["label", "score"]);
        assert_eq!(texts(&p), [["a", "1"], ["b", "2"]]);
    }

    #[test]
    fn predictions_keep_every_digit_the_server_wrote() {
        // MLServer's predict_proba for rows.csv (tests/data/servers): serde_json's default
        // float parsing is off by one ulp on some of them (`…093` read as `…092`).
        let body = br#"[[3.756961061029962e-6, 0.999996243038939], [0.9989077288217093, 0.0010922711782906458], [0.18458297253308842, 0.8154170274669116]]"#;
        let p = from_json(super::super::typed::parse_json(body).unwrap(), 3).unwrap();
        assert_eq!(
            texts(&p),
            [
                ["3.756961061029962e-6", "0.999996243038939"],
                ["0.9989077288217093", "0.0010922711782906458"],
                ["0.18458297253308842", "0.8154170274669116"]
            ]
        );
    }

    #[test]
    fn a_count_that_differs_is_an_error() {
        let e = from_json(json!([0, 1]), 3).unwrap_err().to_string();
        assert!(e.contains("2 predictions") && e.contains("3 rows"), "{e}");
        assert!(from_json(json!({"a": [1], "b": [1, 2]}), 2).is_err());
        assert!(from_json(json!([[1, 2], [1]]), 2).is_err());
        assert!(from_json(json!("x"), 1).is_err());
    }

    #[test]
    fn v2_outputs_become_columns_by_shape() {
        let t = |name: &str, shape: Vec<i64>, data: Value| Tensor {
            name: name.into(),
            shape,
            data: data.as_array().unwrap().clone(),
        };
        let p = from_tensors(
            vec![
                t("predict", vec![2, 1], json!([0, 1])),
                t("proba", vec![2, 2], json!([0.9, 0.1, 0.2, 0.8])),
                t("output-0", vec![2], json!(["a", "b"])),
            ],
            2,
        )
        .unwrap();
        assert_eq!(cols(&p), ["predict", "proba_0", "proba_1", "output-0"]);
        assert_eq!(texts(&p)[1], ["1", "0.2", "0.8", "b"]);
        assert!(from_tensors(vec![t("x", vec![3], json!([1, 2, 3]))], 2).is_err());
    }
}
