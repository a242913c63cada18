//! The scoring of the typed protocols (MLflow, Azure ML, v2, KServe v1), one [`Wire`] each:
//! the cells of a batch are typed (`typing.rs`) and written as the protocol's body; an answer
//! is read into prediction columns (`answer.rs`), checked against the batch's row count and
//! joined with the kept input columns (`--keep`), copied verbatim. A refused batch is split
//! into halves by re-encoding its rows.

use super::typing::{Col, ColType, Typing};
use super::{Predictions, Scoring, Writer};
use crate::table::{Batch, EncodeRows, RowSet, TypedRows, typed_batch};
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
    let set = &*rows.set;
    // For each column, the end of the run of columns from it whose cells are sent as they
    // are (inferred from these very cells): in a JSON-clean comma line, such a run is copied
    // with its commas, in one piece.
    let mut run_end = vec![0; types.len()];
    let mut end = types.len();
    for (c, ty) in types.iter().enumerate().rev() {
        if !(ty.checked && ty.ty != ColType::Str) {
            end = c;
        }
        run_end[c] = end;
    }
    out.push(b'[');
    for (n, r) in rows.range.clone().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.push(b'[');
        if set.json_clean(r, b',') {
            push_clean_row(out, set, r, types, &run_end);
        } else {
            for (i, (cell, ty)) in set.texts(r).zip(types).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                super::typing::push_text(out, cell, *ty);
            }
        }
        out.push(b']');
    }
    out.push(b']');
}

/// The cells of row `r`, a JSON-clean comma line, as [`push_text`](super::typing::push_text)
/// writes them one by one: runs of cells sent as they are copied with their commas, strings
/// quoted without a look for escapes.
fn push_clean_row(out: &mut Vec<u8>, set: &RowSet, r: usize, types: &[Col], run_end: &[usize]) {
    let mut c = 0;
    while c < types.len() {
        if c > 0 {
            out.push(b',');
        }
        let cell = set.text_at(r, c);
        if cell.is_empty() {
            out.extend_from_slice(b"null");
            c += 1;
            continue;
        }
        if run_end[c] > c + 1 {
            // The run, up to its first empty cell (a `null`).
            let end = (c + 1..run_end[c])
                .find(|&k| set.text_at(r, k).is_empty())
                .unwrap_or(run_end[c]);
            let run = set.joined(r, c..end, b',').expect("a clean line is plain");
            out.extend_from_slice(run.as_bytes());
            c = end;
            continue;
        }
        match types[c].ty {
            ColType::Str => {
                out.push(b'"');
                out.extend_from_slice(cell);
                out.push(b'"');
            }
            _ => super::typing::push_text(out, cell, types[c]),
        }
        c += 1;
    }
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

#[cfg(test)]
mod tests {
    use super::super::typing::{ColType, Typing};
    use super::{Keep, TypedScoring, Wire};
    use crate::table::{InputFormat, Source};

    /// Every wire's bodies of CSV rows read on the fast path (plain lines, many at a time:
    /// JSON-clean comma lines are written by `push_clean_row`, in runs) are those of the same
    /// rows read record by record (each cell written alone by `push_text`).
    #[test]
    fn bodies_of_clean_lines_written_in_runs_are_those_written_cell_by_cell() {
        let numbers = [
            "0",
            "7",
            "-12",
            "3.25",
            "-0.5",
            "10000000000",
            "1e5",
            "01",
            "+1",
            "",
        ];
        let texts = [
            "a",
            "bc d",
            "\u{e9}t\u{e9}",
            "a\\b",
            "x\ty",
            "\u{1}",
            "true",
            "",
            "5",
        ];
        type MakeWire = fn() -> Box<dyn Wire>;
        let wires: Vec<(&str, MakeWire)> = vec![
            ("mlflow split", || {
                super::super::mlflow::wire(None, vec![]).unwrap()
            }),
            ("mlflow records", || {
                super::super::mlflow::wire(Some("records"), vec![]).unwrap()
            }),
            ("azureml", || {
                super::super::azureml::wire(None, vec![]).unwrap()
            }),
            ("azureml data", || {
                super::super::azureml::wire(Some("data"), vec![]).unwrap()
            }),
            ("kserve-v1", || {
                super::super::kserve_v1::wire(None, &[]).unwrap()
            }),
            ("v2", || {
                super::super::v2::wire(None, "input-0".into(), vec![], vec![]).unwrap()
            }),
        ];
        let mut rng = fastrand::Rng::with_seed(8);
        let (mut rows, mut clean) = (0, 0);
        for round in 0..600 {
            let width = rng.usize(1..6);
            let tsv = rng.u8(..6) == 0;
            let delim = if tsv { '\t' } else { ',' };
            // Each column mostly numbers, mostly text, or anything.
            let styles: Vec<u8> = (0..width).map(|_| rng.u8(..3)).collect();
            let header: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
            let mut input = header.join(&delim.to_string()) + "\n";
            for _ in 0..rng.usize(1..40) {
                let cells: Vec<String> = styles
                    .iter()
                    .map(|&s| {
                        let number = match s {
                            0 => rng.u8(..12) > 0,
                            1 => rng.u8(..12) == 0,
                            _ => rng.bool(),
                        };
                        let cell = if number {
                            numbers[rng.usize(..numbers.len() - 3)]
                        } else if rng.u8(..5) == 0 {
                            numbers[rng.usize(..numbers.len())]
                        } else {
                            texts[rng.usize(..texts.len())]
                        };
                        let cell = cell.replace('\t', if tsv { " " } else { "\t" });
                        if rng.u8(..15) == 0 {
                            format!("\"{cell}\"")
                        } else {
                            cell
                        }
                    })
                    .collect();
                input += &cells.join(&delim.to_string());
                input += if rng.u8(..6) == 0 { "\r\n" } else { "\n" };
            }
            // Some columns typed by `--types` (each cell checked as it is written).
            let mut overrides: Vec<(String, ColType)> = vec![];
            for c in 0..width {
                if rng.u8(..5) == 0 {
                    let ty = [ColType::Int, ColType::Float, ColType::Str, ColType::Bool];
                    overrides.push((format!("c{c}"), ty[rng.usize(..4)]));
                }
            }
            let (name, wire) = &wires[round % wires.len()];
            let max_rows = rng.usize(1..50);
            let buffer = [16, 64, 64 * 1024][rng.usize(..3)];
            let bodies = |fast: bool| {
                let scoring = TypedScoring::new(
                    url::Url::parse("http://127.0.0.1/").unwrap(),
                    wire(),
                    Typing::new(&[], &overrides),
                    Keep::All,
                    vec![],
                );
                let source = Source::Reader {
                    reader: Box::new(std::io::Cursor::new(input.clone().into_bytes())),
                    name: "in".into(),
                    format: if tsv {
                        InputFormat::Tsv
                    } else {
                        InputFormat::Csv
                    },
                };
                let mut src = crate::table::open_typed_with(
                    source,
                    max_rows,
                    1 << 20,
                    scoring,
                    Default::default(),
                    (buffer, fast),
                )
                .unwrap();
                let mut out = vec![];
                while let Some(b) = src.next_batch().unwrap() {
                    let t = b.typed.as_ref().unwrap();
                    let n = t
                        .range
                        .clone()
                        .filter(|&r| t.set.json_clean(r, b','))
                        .count();
                    out.push((String::from_utf8(b.body.to_vec()).unwrap(), t.len(), n));
                }
                out
            };
            let (fast, slow) = (bodies(true), bodies(false));
            let text =
                |b: &[(String, usize, usize)]| b.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
            assert_eq!(text(&fast), text(&slow), "round {round}, {name}: {input:?}");
            assert!(
                slow.iter().all(|b| b.2 == 0),
                "record by record, no row is clean"
            );
            rows += fast.iter().map(|b| b.1).sum::<usize>();
            clean += fast.iter().map(|b| b.2).sum::<usize>();
        }
        assert!(
            clean * 3 > rows,
            "only {clean} of {rows} rows took the fast path"
        );
    }
}
