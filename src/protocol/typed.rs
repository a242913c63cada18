//! The scoring of the typed protocols (MLflow, Azure ML, v2, KServe v1), one [`Wire`] each:
//! the cells of a batch are typed (`typing.rs`) and written as the protocol's body; an answer
//! is read into prediction columns (`answer.rs`), checked against the batch's row count and
//! joined with the kept input columns (`--keep`), copied verbatim. A refused batch is split
//! into halves by re-encoding its rows.

use super::typing::{Col, Typing};
use super::{Predictions, Scoring, Writer};
use crate::table::{Batch, EncodeRows, TypedRows, typed_batch};
use anyhow::{Context, Result};
use std::sync::{Arc, OnceLock};
use url::Url;

/// What a typed protocol knows: its bodies and its answers.
pub trait Wire: Send + Sync {
    fn content_type(&self) -> &'static str;
    /// Writes the body of `rows`, whose columns have `types`.
    fn encode(&self, rows: &TypedRows, types: &[Col], out: &mut Vec<u8>) -> Result<()>;
    /// Reads the predictions of an answer to `rows` rows.
    fn decode<'a>(&self, body: &'a [u8], rows: usize) -> Result<Predictions<'a>>;
}

/// Which input columns go to the output (`--keep`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keep {
    All,
    None,
    Columns(Vec<String>),
}

impl Keep {
    /// `all`, `none` or `COL[,COL...]`.
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "all" => Ok(Keep::All),
            "none" => Ok(Keep::None),
            "" => Err(crate::usage!(
                "`--keep` takes `all`, `none` or column names"
            )),
            cols => Ok(Keep::Columns(
                cols.split(',').map(|c| c.trim().to_string()).collect(),
            )),
        }
    }
}

/// A typed protocol behind the pipeline's seam.
pub struct TypedScoring {
    url: Url,
    wire: Box<dyn Wire>,
    typing: Typing,
    keep: Keep,
    /// Columns the service's schema requires, checked before the first body is sent.
    required: Vec<String>,
    checked: OnceLock<Result<(), String>>,
    /// The positions of the kept input columns (`--keep`), or why they cannot be kept;
    /// fixed by the first batch (every batch has the input's columns).
    kept: OnceLock<Result<Vec<usize>, String>>,
}

impl TypedScoring {
    /// `required`: the input columns of the service's schema (empty when none is known).
    pub fn new(
        url: Url,
        wire: Box<dyn Wire>,
        typing: Typing,
        keep: Keep,
        required: Vec<String>,
    ) -> Arc<Self> {
        Arc::new(TypedScoring {
            url,
            wire,
            typing,
            keep,
            required,
            checked: OnceLock::new(),
            kept: OnceLock::new(),
        })
    }

    /// The input's header against the service's schema: a missing input column is an input
    /// error before anything is sent.
    fn check_columns(&self, columns: &[String]) -> Result<()> {
        let checked = self.checked.get_or_init(|| {
            let missing: Vec<&String> = self
                .required
                .iter()
                .filter(|r| !columns.contains(r))
                .collect();
            match missing.as_slice() {
                [] => Ok(()),
                [one] => Err(format!(
                    "the input has no column `{one}`, which the service's schema requires (the input has {})",
                    columns.join(", ")
                )),
                many => Err(format!(
                    "the input has no columns {}, which the service's schema requires (the input has {})",
                    many.iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    columns.join(", ")
                )),
            }
        });
        checked.clone().map_err(|e| crate::usage!("{e}"))
    }

    /// Positions of the kept input columns among `columns`.
    fn kept(&self, columns: &[String]) -> Result<&[usize]> {
        let kept = self.kept.get_or_init(|| match &self.keep {
            Keep::All => Ok((0..columns.len()).collect()),
            Keep::None => Ok(vec![]),
            Keep::Columns(names) => names
                .iter()
                .map(|n| {
                    columns.iter().position(|c| c == n).ok_or_else(|| {
                        format!(
                            "`--keep` names column `{n}`, which the input does not have (it has {})",
                            columns.join(", ")
                        )
                    })
                })
                .collect(),
        });
        kept.as_deref().map_err(|e| crate::usage!("{e}"))
    }
}

impl EncodeRows for TypedScoring {
    fn encode(&self, rows: &TypedRows, out: &mut Vec<u8>) -> Result<()> {
        self.check_columns(&rows.set.columns)?;
        // A `--keep` column the input lacks is found before anything is sent.
        self.kept(&rows.set.columns)?;
        let types = self.typing.types(rows);
        self.wire.encode(rows, &types, out)
    }
}

impl Scoring for TypedScoring {
    fn url(&self) -> &Url {
        &self.url
    }

    fn content_type(&self) -> &'static str {
        self.wire.content_type()
    }

    fn write_answer(&self, writer: &mut Writer, answer: &[u8], batch: &Batch) -> Result<()> {
        let rows = batch
            .typed
            .as_ref()
            .expect("a typed protocol's batches carry their rows");
        let what = || format!("cannot use the answer to scoring input {}", batch.lines);
        let predictions = self.wire.decode(answer, rows.len()).with_context(what)?;
        let kept = self.kept(&rows.set.columns)?;
        let names = names(&rows.set.columns, kept, &predictions);
        writer
            .write_joined(names, rows, kept, &predictions)
            .with_context(what)
    }

    fn split(&self, batch: &Batch) -> Result<Option<(Batch, Batch)>> {
        let Some(rows) = batch.typed.as_ref().filter(|r| r.len() > 1) else {
            return Ok(None);
        };
        let (a, b) = rows.halves();
        Ok(Some((
            typed_batch(batch.index, a, self)?,
            typed_batch(batch.index, b, self)?,
        )))
    }
}

/// The output's columns: the kept input columns then the predictions'. A prediction named
/// like an input column gets a `_prediction` suffix.
fn names(columns: &[String], kept: &[usize], predictions: &Predictions<'_>) -> Vec<String> {
    let mut names: Vec<String> = kept.iter().map(|&i| columns[i].clone()).collect();
    for p in predictions.columns.iter().flatten() {
        if columns.contains(p) {
            names.push(format!("{p}_prediction"));
        } else {
            names.push(p.clone());
        }
    }
    names
}

/// Appends `,"params":{...}` (or the given key) when there are params.
pub fn push_params(out: &mut Vec<u8>, key: &str, params: &[(String, serde_json::Value)]) {
    if params.is_empty() {
        return;
    }
    out.extend_from_slice(format!(",\"{key}\":").as_bytes());
    push_object(out, params);
}

/// `{"k":v,...}`.
pub fn push_object(out: &mut Vec<u8>, pairs: &[(String, serde_json::Value)]) {
    let map: serde_json::Map<String, serde_json::Value> = pairs.iter().cloned().collect();
    serde_json::to_writer(&mut *out, &map).expect("writing JSON to a Vec");
}

/// `["a","b"]`: the column names as a JSON list.
pub fn push_columns(out: &mut Vec<u8>, columns: &[String]) {
    out.push(b'[');
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        crate::table::encode::push_json_str(out, c.as_bytes());
    }
    out.push(b']');
}

/// `[[r1c1,r1c2],[r2c1,...]]`: the rows as lists of typed cells.
pub fn push_rows(out: &mut Vec<u8>, rows: &TypedRows, types: &[Col]) {
    out.push(b'[');
    for (n, r) in rows.range.clone().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.push(b'[');
        for (i, (cell, ty)) in rows.set.texts(r).zip(types).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            super::typing::push_text(out, cell, *ty);
        }
        out.push(b']');
    }
    out.push(b']');
}

/// `[v1,v2,...]`: column `c` of the rows.
pub fn push_column(out: &mut Vec<u8>, rows: &TypedRows, c: usize, ty: Col) {
    out.push(b'[');
    for (n, r) in rows.range.clone().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        super::typing::push_text(out, rows.set.text_at(r, c), ty);
    }
    out.push(b']');
}

/// The predictions of an answer `{"predictions": X}` (MLflow, KServe v1, some Azure ML
/// scripts); `None` when it has no such key.
pub fn predictions(
    answer: &mut serde_json::Value,
    rows: usize,
) -> Option<Result<Predictions<'static>>> {
    let x = answer.as_object_mut()?.remove("predictions")?;
    Some(super::answer::from_json(x, rows))
}

/// The keys of an answer object, quoted, for messages: `` `a`, `b` ``.
pub fn key_list(map: &serde_json::Map<String, serde_json::Value>) -> String {
    map.keys()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses an answer body as JSON, saying so when it is not.
pub fn parse_json(body: &[u8]) -> Result<serde_json::Value> {
    serde_json::from_slice(body).map_err(|e| {
        let start = String::from_utf8_lossy(&body[..body.len().min(120)]).into_owned();
        anyhow::anyhow!("the answer is not JSON ({e}): `{start}`")
    })
}
