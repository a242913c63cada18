//! The Feature Hashing experiment as a model behind the modern servers: one input column,
//! `Col2`, of text; one output row of 2^bits integer counts per input row. What a Python
//! model would do is mimicked where clients can see it: only strings are text (a `null`, a
//! number or a list in `Col2` makes the model raise, as `text.split()` would), an empty batch
//! is refused (`adapters.md` §0: MLflow answers 400), and the exception's last traceback line
//! is what the protocols report. The hashing itself is `experiment.rs`'s; this file only
//! feeds it cells and writes its counts in the three shapes the protocols answer with (row
//! objects, lists, flat row-major). Knows nothing of HTTP or of any protocol's envelope.

use crate::serve::experiment::{BITS_PARAM, FeatureHasher, FeatureHashing, NGRAMS_PARAM};
use crate::serve::rrs::{COLUMN, push_feature_name, push_u32};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// One cell of the `Col2` column.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    /// `null`, or a value pandas reads as missing (NaN).
    Null,
    /// Anything else, named by the Python type it would have (`int`, `float`, `bool`, `list`,
    /// `dict`).
    Other(&'static str),
}

impl<'a> Cell<'a> {
    /// The cell a JSON value makes.
    pub fn json(v: &'a Value) -> Self {
        match v {
            Value::String(s) => Cell::Text(Cow::Borrowed(s)),
            Value::Null => Cell::Null,
            Value::Bool(_) => Cell::Other("bool"),
            Value::Number(n) if n.is_f64() => Cell::Other("float"),
            Value::Number(_) => Cell::Other("int"),
            Value::Array(_) => Cell::Other("list"),
            Value::Object(_) => Cell::Other("dict"),
        }
    }
}

/// Why a batch was not scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The model raised: the last line of its traceback (`TypeError: ...`).
    Model(String),
    /// The answer would hold more cells than the emulator's limit *(emulator)*.
    TooLarge {
        rows: usize,
        columns: usize,
        limit: usize,
    },
}

impl Failure {
    /// A short message for the protocols' own envelopes.
    pub fn message(&self) -> String {
        match self {
            Failure::Model(line) => line.clone(),
            Failure::TooLarge {
                rows,
                columns,
                limit,
            } => format!(
                "Feature Hashing would produce {rows} rows x {columns} columns, over the limit of {limit} cells per request. Send fewer rows per request."
            ),
        }
    }
}

/// How the counts of a batch are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `[{"Col2_HashingFeature.0":1,...},...]`: a DataFrame as MLflow and Azure ML answer it.
    Records,
    /// `[[1,1,2,...],...]`: KServe v1 predictions.
    Lists,
    /// `1,1,2,...`, row-major, without brackets: the `data` of a v2 output.
    Flat,
}

/// Scores `cells` with `settings` and appends the counts to `out` in `shape`; the rows scored.
pub fn write(
    out: &mut Vec<u8>,
    cells: &[Cell<'_>],
    settings: FeatureHashing,
    max_cells: usize,
    shape: Shape,
) -> Result<usize, Failure> {
    let texts = texts(cells)?;
    let columns = settings.columns();
    if texts.len().saturating_mul(columns) > max_cells {
        return Err(Failure::TooLarge {
            rows: texts.len(),
            columns,
            limit: max_cells,
        });
    }
    let per_cell = if shape == Shape::Records { 26 } else { 2 };
    out.reserve(texts.len() * columns * per_cell + 2);
    let mut hasher = FeatureHasher::new(settings);
    if shape != Shape::Flat {
        out.push(b'[');
    }
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let counts = hasher.hash(text);
        match shape {
            Shape::Records => push_record(out, counts),
            Shape::Lists => {
                out.push(b'[');
                push_counts(out, counts);
                out.push(b']');
            }
            Shape::Flat => push_counts(out, counts),
        }
    }
    if shape != Shape::Flat {
        out.push(b']');
    }
    Ok(texts.len())
}

/// The texts of `cells`, or the exception a Python model would raise on them.
fn texts<'c>(cells: &'c [Cell<'_>]) -> Result<Vec<&'c str>, Failure> {
    if cells.is_empty() {
        // What scikit-learn says of an empty batch, as MLflow reports it (`adapters.md` §0).
        return Err(Failure::Model(
            "ValueError: Found array with 0 sample(s) (shape=(0, 1)) while a minimum of 1 is required."
                .into(),
        ));
    }
    cells
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            Cell::Text(t) => Ok(t.as_ref()),
            Cell::Null => Err(not_text(i, "NoneType")),
            Cell::Other(ty) => Err(not_text(i, ty)),
        })
        .collect()
}

fn not_text(row: usize, ty: &str) -> Failure {
    Failure::Model(format!(
        "TypeError: column '{COLUMN}' must hold text, but row {row} holds a '{ty}' (Feature Hashing splits text on spaces)"
    ))
}

fn push_record(out: &mut Vec<u8>, counts: &[u32]) {
    out.push(b'{');
    for (j, &c) in counts.iter().enumerate() {
        if j > 0 {
            out.push(b',');
        }
        out.push(b'"');
        push_feature_name(out, j);
        out.extend_from_slice(b"\":");
        push_u32(out, c);
    }
    out.push(b'}');
}

fn push_counts(out: &mut Vec<u8>, counts: &[u32]) {
    for (j, &c) in counts.iter().enumerate() {
        if j > 0 {
            out.push(b',');
        }
        push_u32(out, c);
    }
}

/// Why request parameters were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamFailure {
    /// `params` is not an object, or a value is not an integer (the servers' type checks).
    Type(String),
    /// An integer out of range: the model raises `ValueError` when it runs.
    Range(String),
}

/// `defaults` with the experiment's parameters (`Hashing bitsize`, `N-grams`) taken from the
/// `params` of a request; other names are ignored, as MLflow ignores parameters its model's
/// signature does not declare.
pub fn with_params(
    defaults: FeatureHashing,
    params: &Value,
) -> Result<FeatureHashing, ParamFailure> {
    let map = match params {
        Value::Null => return Ok(defaults),
        Value::Object(m) => m,
        other => {
            return Err(ParamFailure::Type(format!(
                "Parameters must be a dictionary. Got type '{}'.",
                py_type(other)
            )));
        }
    };
    let mut known = Map::new();
    for name in [BITS_PARAM, NGRAMS_PARAM] {
        match map.get(name) {
            None | Some(Value::Null) => {}
            Some(v @ Value::Number(n)) if n.is_i64() || n.is_u64() => {
                known.insert(name.to_string(), v.clone());
            }
            Some(v) => {
                return Err(ParamFailure::Type(format!(
                    "Failed to convert value `{v}` from type `{}` to `DataType.long` for param '{name}'",
                    py_type(v)
                )));
            }
        }
    }
    defaults
        .with_parameters(&known)
        .map_err(|e| ParamFailure::Range(format!("ValueError: {}", param_message(e))))
}

fn param_message(e: crate::serve::experiment::ParamError) -> String {
    use crate::serve::experiment::ParamError;
    match e {
        ParamError::Invalid(m) | ParamError::Unexpected(m) => m,
    }
}

/// The `Col2` cells of rows given as lists of cells in column order (Azure ML's `data`,
/// KServe v1's `instances`): `Col2` is the only column, so each row has one cell. Otherwise
/// the model raises as scikit-learn does on a wrong array.
pub fn rows_column(rows: &[Value]) -> Result<Vec<Cell<'_>>, Failure> {
    rows.iter()
        .map(|row| match row {
            Value::Array(cells) if cells.len() == 1 => Ok(Cell::json(&cells[0])),
            Value::Array(cells) => Err(Failure::Model(format!(
                "ValueError: X has {} features, but the model is expecting 1 features as input.",
                cells.len()
            ))),
            _ => Err(Failure::Model(
                "ValueError: Expected 2D array, got 1D array instead: reshape your data either using array.reshape(-1, 1) if your data has a single feature or array.reshape(1, -1) if it contains a single sample."
                    .into(),
            )),
        })
        .collect()
}

/// The Python type name of a JSON value.
pub fn py_type(v: &Value) -> &'static str {
    match Cell::json(v) {
        Cell::Text(_) => "str",
        Cell::Null => "NoneType",
        Cell::Other(t) => t,
    }
}

/// A string as Python's `repr` prints it: single quotes unless the text holds one and no
/// double quote.
pub fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FH: FeatureHashing = FeatureHashing { bits: 3, ngrams: 2 };

    fn text(s: &str) -> Cell<'_> {
        Cell::Text(Cow::Borrowed(s))
    }

    fn written(cells: &[Cell<'_>], shape: Shape) -> Result<String, Failure> {
        let mut out = Vec::new();
        write(&mut out, cells, FH, 1000, shape).map(|_| String::from_utf8(out).unwrap())
    }

    #[test]
    fn the_tutorial_row_in_every_shape() {
        let cells = [text("This is a good day"), text("")];
        let records: Value =
            serde_json::from_str(&written(&cells, Shape::Records).unwrap()).unwrap();
        assert_eq!(records[0]["Col2_HashingFeature.2"], 2);
        assert_eq!(records[0].as_object().unwrap().len(), 8);
        assert_eq!(records[1]["Col2_HashingFeature.7"], 0);
        assert_eq!(
            written(&cells, Shape::Lists).unwrap(),
            "[[1,1,2,2,0,2,0,1],[0,0,0,0,0,0,0,0]]"
        );
        assert_eq!(
            written(&cells, Shape::Flat).unwrap(),
            "1,1,2,2,0,2,0,1,0,0,0,0,0,0,0,0"
        );
    }

    #[test]
    fn only_text_is_hashed_and_an_empty_batch_is_refused() {
        let v = json!([null, 5, 1.5, true, ["x"], {"a": 1}]);
        let types: Vec<Cell<'_>> = v.as_array().unwrap().iter().map(Cell::json).collect();
        assert_eq!(
            types,
            [
                Cell::Null,
                Cell::Other("int"),
                Cell::Other("float"),
                Cell::Other("bool"),
                Cell::Other("list"),
                Cell::Other("dict")
            ]
        );
        let Err(Failure::Model(m)) = written(&[text("a"), Cell::Null], Shape::Lists) else {
            panic!("a null is not text")
        };
        assert!(
            m.starts_with("TypeError: ") && m.contains("row 1 holds a 'NoneType'"),
            "{m}"
        );
        let Err(Failure::Model(m)) = written(&[], Shape::Records) else {
            panic!("an empty batch")
        };
        assert!(m.contains("0 sample(s)"), "{m}");
    }

    #[test]
    fn outputs_over_the_cell_limit_are_refused_before_hashing() {
        let mut out = Vec::new();
        let big = FeatureHashing {
            bits: 10,
            ngrams: 2,
        };
        let r = write(&mut out, &[text("a")], big, 1000, Shape::Flat);
        assert_eq!(
            r,
            Err(Failure::TooLarge {
                rows: 1,
                columns: 1024,
                limit: 1000
            })
        );
        assert!(out.is_empty());
    }

    #[test]
    fn params_override_known_names_and_ignore_others() {
        let p = json!({"Hashing bitsize": 4, "N-grams": 3, "other": "x"});
        assert_eq!(
            with_params(FH, &p),
            Ok(FeatureHashing { bits: 4, ngrams: 3 })
        );
        assert_eq!(with_params(FH, &Value::Null), Ok(FH));
        assert!(matches!(
            with_params(FH, &json!({"Hashing bitsize": "4"})),
            Err(ParamFailure::Type(m)) if m.contains("from type `str`")
        ));
        assert!(matches!(
            with_params(FH, &json!([1])),
            Err(ParamFailure::Type(_))
        ));
        assert!(matches!(
            with_params(FH, &json!({"Hashing bitsize": 40})),
            Err(ParamFailure::Range(m)) if m.starts_with("ValueError: Parameter 'Hashing bitsize'")
        ));
    }

    #[test]
    fn rows_must_have_one_cell() {
        let ok = json!([["a"], ["b"]]);
        assert_eq!(rows_column(ok.as_array().unwrap()).unwrap().len(), 2);
        for bad in [json!([["a", "b"]]), json!(["a"])] {
            assert!(matches!(
                rows_column(bad.as_array().unwrap()),
                Err(Failure::Model(m)) if m.starts_with("ValueError: ")
            ));
        }
    }

    #[test]
    fn python_reprs() {
        assert_eq!(py_repr("Col2"), "'Col2'");
        assert_eq!(py_repr("it's"), "\"it's\"");
        assert_eq!(py_repr("a'\"b\n"), "'a\\'\"b\\n'");
        assert_eq!(py_type(&json!({})), "dict");
    }
}
