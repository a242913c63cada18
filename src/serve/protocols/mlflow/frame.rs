//! The DataFrame an MLflow request makes (`adapters.md` §1), as pandas would build it from
//! each body format: `dataframe_split` (columns by name, any order, extra ones kept until the
//! schema drops them), `dataframe_records`, the TF-serving forms `instances` and `inputs`
//! (with a single-column signature a plain list is that column), and `text/csv` with a header
//! row (pandas' default missing-value spellings read as NaN). Only the cells' kinds are kept,
//! and the texts. A shape pandas refuses is an `Err` with its message. Also prints a frame as
//! pandas does, for MLflow's error messages. Azure ML's `input_data` is the split form too.

use crate::serve::protocols::model::{Cell, py_repr, py_type};
use crate::serve::rrs::COLUMN;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A column label: a name, or the position pandas gives a column nobody named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    Name(String),
    Position(u64),
}

impl Label {
    /// As Python prints it inside a list.
    pub fn repr(&self) -> String {
        match self {
            Label::Name(n) => py_repr(n),
            Label::Position(i) => i.to_string(),
        }
    }

    fn text(&self) -> String {
        match self {
            Label::Name(n) => n.clone(),
            Label::Position(i) => i.to_string(),
        }
    }
}

/// A DataFrame: labels and cells, column by column.
#[derive(Debug, Default)]
pub struct Frame<'a> {
    pub labels: Vec<Label>,
    pub columns: Vec<Vec<Cell<'a>>>,
    pub rows: usize,
}

impl<'a> Frame<'a> {
    /// The cells of the column named `name`.
    pub fn column(&self, name: &str) -> Option<&[Cell<'a>]> {
        let i = self
            .labels
            .iter()
            .position(|l| matches!(l, Label::Name(n) if n == name))?;
        Some(&self.columns[i])
    }

    /// Columns from labels and rows (each row as long as the labels).
    fn from_rows(labels: Vec<Label>, rows: Vec<Vec<Cell<'a>>>) -> Self {
        let mut columns: Vec<Vec<Cell<'a>>> = labels
            .iter()
            .map(|_| Vec::with_capacity(rows.len()))
            .collect();
        let n = rows.len();
        for row in rows {
            for (j, cell) in row.into_iter().enumerate() {
                columns[j].push(cell);
            }
        }
        Frame {
            labels,
            columns,
            rows: n,
        }
    }

    /// One column named `name`.
    fn single(name: &str, cells: Vec<Cell<'a>>) -> Self {
        Frame {
            labels: vec![Label::Name(name.to_string())],
            rows: cells.len(),
            columns: vec![cells],
        }
    }

    /// The frame as pandas prints it (`repr(df)`): the index, columns right-aligned, long
    /// frames cut to their first and last five rows.
    pub fn repr(&self) -> String {
        if self.labels.is_empty() {
            return format!("Empty DataFrame\nColumns: []\nIndex: [{}]", self.rows);
        }
        let cut = self.rows > 60;
        let shown: Vec<usize> = if cut {
            (0..5).chain(self.rows - 5..self.rows).collect()
        } else {
            (0..self.rows).collect()
        };
        let index_width = shown
            .last()
            .map_or(0, |i| i.to_string().len())
            .max(3 * cut as usize);
        let mut lines = vec![" ".repeat(index_width)];
        let texts: Vec<Vec<String>> = self
            .columns
            .iter()
            .map(|col| shown.iter().map(|&i| cell_text(&col[i])).collect())
            .collect();
        let mut body: Vec<String> = shown.iter().map(|i| format!("{i:<index_width$}")).collect();
        if cut {
            body.insert(5, format!("{:<index_width$}", "..."));
        }
        for (label, col) in self.labels.iter().zip(&texts) {
            let name = label.text();
            let width = col.iter().map(|t| t.chars().count()).max().unwrap_or(0);
            let width = width.max(name.chars().count()).max(3 * cut as usize);
            lines[0].push_str(&format!("  {name:>width$}"));
            let mut cells = col.iter();
            for (k, line) in body.iter_mut().enumerate() {
                let t = if cut && k == 5 {
                    "..."
                } else {
                    cells.next().map_or("", String::as_str)
                };
                line.push_str(&format!("  {t:>width$}"));
            }
        }
        lines.extend(body);
        let mut out = lines.join("\n");
        if cut {
            out.push_str(&format!(
                "\n\n[{} rows x {} columns]",
                self.rows,
                self.labels.len()
            ));
        }
        out
    }
}

/// A cell as pandas prints it (texts cut to 50 characters, as `display.max_colwidth`).
fn cell_text(c: &Cell<'_>) -> String {
    match c {
        Cell::Text(t) if t.chars().count() > 50 => {
            format!("{}...", t.chars().take(47).collect::<String>())
        }
        Cell::Text(t) => t.to_string(),
        Cell::Null => "None".into(),
        Cell::Other(ty) => format!("<{ty}>"),
    }
}

/// `{"columns": [...], "data": [[...], ...], "index"?: [...]}` (pandas `orient="split"`).
pub fn split(v: &Value) -> Result<Frame<'_>, String> {
    let Value::Object(m) = v else {
        return Err(format!(
            "Dataframe split format must be a dictionary. Got {}.",
            py_type(v)
        ));
    };
    let allowed = ["columns", "data", "index"];
    if !m.contains_key("data") || m.keys().any(|k| !allowed.contains(&k.as_str())) {
        let keys: Vec<String> = m.keys().map(|k| py_repr(k)).collect();
        return Err(format!(
            "Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got {{{}}}.",
            keys.join(", ")
        ));
    }
    let Value::Array(data) = &m["data"] else {
        return Err("DataFrame constructor not properly called!".into());
    };
    let rows: Vec<Vec<Cell<'_>>> = data
        .iter()
        .map(|row| match row {
            Value::Array(cells) => cells.iter().map(Cell::json).collect(),
            scalar => vec![Cell::json(scalar)],
        })
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let labels = match m.get("columns") {
        None | Some(Value::Null) => (0..width as u64).map(Label::Position).collect(),
        Some(Value::Array(names)) => names.iter().map(label).collect::<Vec<_>>(),
        Some(other) => {
            return Err(format!(
                "columns must be a list of labels, not {}",
                py_type(other)
            ));
        }
    };
    let named = matches!(m.get("columns"), Some(Value::Array(_)));
    let mut rows = rows;
    for row in &mut rows {
        if row.len() != labels.len() {
            if named {
                return Err(format!(
                    "{} columns passed, passed data had {} columns",
                    labels.len(),
                    row.len()
                ));
            }
            row.resize(labels.len(), Cell::Null);
        }
    }
    Ok(Frame::from_rows(labels, rows))
}

fn label(v: &Value) -> Label {
    match v {
        Value::String(s) => Label::Name(s.clone()),
        Value::Number(n) if n.as_u64().is_some() => Label::Position(n.as_u64().unwrap_or(0)),
        other => Label::Name(other.to_string()),
    }
}

/// `[{"Col2": ...}, ...]` (pandas `orient="records"`): columns in order of first appearance,
/// a key missing from a record is NaN.
pub fn records(v: &Value) -> Result<Frame<'_>, String> {
    let items = match v {
        Value::Array(items) if items.iter().all(Value::is_object) => items,
        other => {
            return Err(format!(
                "Dataframe records format must be a list of records. Got {}.",
                py_type(other)
            ));
        }
    };
    let objects: Vec<&Map<String, Value>> = items.iter().filter_map(Value::as_object).collect();
    let mut names: Vec<&str> = Vec::new();
    for o in &objects {
        for k in o.keys() {
            if !names.contains(&k.as_str()) {
                names.push(k);
            }
        }
    }
    let rows = objects
        .iter()
        .map(|o| {
            names
                .iter()
                .map(|n| o.get(*n).map_or(Cell::Null, Cell::json))
                .collect()
        })
        .collect();
    let labels = names.iter().map(|n| Label::Name(n.to_string())).collect();
    Ok(Frame::from_rows(labels, rows))
}

const TF_SERVING_DOC: &str = "Failed to parse data as TF serving input. Ensure that the input is a valid JSON-formatted string that conforms to the request body for TF serving's Predict API as documented at https://www.tensorflow.org/tfx/serving/api_rest#request_format_2";
const TF_SERVING_LENGTHS: &str = "Failed to parse data as TF serving input. The length of values for each input/column name are not the same";

/// `instances` or `inputs`: a list of records, a dict of columns, or (the signature has one
/// column) a plain list that is that column.
pub fn tf_serving(v: &Value) -> Result<Frame<'_>, String> {
    match v {
        Value::Array(items) if items.first().is_some_and(Value::is_object) => {
            if !items.iter().all(Value::is_object) {
                return Err(TF_SERVING_DOC.into());
            }
            let mut columns: Vec<(&str, Vec<Cell<'_>>)> = Vec::new();
            for item in items.iter().filter_map(Value::as_object) {
                for (k, v) in item {
                    match columns.iter_mut().find(|(n, _)| *n == k.as_str()) {
                        Some((_, cells)) => cells.push(Cell::json(v)),
                        None => columns.push((k, vec![Cell::json(v)])),
                    }
                }
            }
            named_columns(columns)
        }
        Value::Array(items) => Ok(Frame::single(
            COLUMN,
            items.iter().map(Cell::json).collect(),
        )),
        Value::Object(m) => {
            let scalars = m.values().all(|v| !v.is_array() && !v.is_object());
            let columns = m
                .iter()
                .map(|(k, v)| {
                    let cells = match v {
                        Value::Array(cells) => cells.iter().map(Cell::json).collect(),
                        _ if scalars => vec![Cell::json(v)],
                        _ => return Err(TF_SERVING_LENGTHS.to_string()),
                    };
                    Ok((k.as_str(), cells))
                })
                .collect::<Result<Vec<_>, String>>()?;
            named_columns(columns)
        }
        _ => Err(TF_SERVING_DOC.into()),
    }
}

fn named_columns<'a>(columns: Vec<(&str, Vec<Cell<'a>>)>) -> Result<Frame<'a>, String> {
    let rows = columns.first().map_or(0, |(_, c)| c.len());
    if columns.iter().any(|(_, c)| c.len() != rows) {
        return Err(TF_SERVING_LENGTHS.into());
    }
    Ok(Frame {
        labels: columns
            .iter()
            .map(|(n, _)| Label::Name(n.to_string()))
            .collect(),
        columns: columns.into_iter().map(|(_, c)| c).collect(),
        rows,
    })
}

/// pandas' default spellings of a missing value in CSV (`na_values`).
const NA_VALUES: [&str; 19] = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// CSV with a header row, as `pandas.read_csv` reads it with the signature's `str` type:
/// blank lines skipped, short rows padded with NaN, long rows refused.
pub fn csv(body: &[u8]) -> Result<Frame<'static>, String> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(body);
    let headers = reader
        .headers()
        .map_err(|e| format!("Error tokenizing data. {e}"))?
        .clone();
    if headers.is_empty() || (headers.len() == 1 && headers[0].is_empty()) {
        return Err("No columns to parse from file".into());
    }
    let labels: Vec<Label> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| match h {
            "" => Label::Name(format!("Unnamed: {i}")),
            h => Label::Name(h.to_string()),
        })
        .collect();
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("Error tokenizing data. {e}"))?;
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        if record.len() > labels.len() {
            return Err(format!(
                "Error tokenizing data. C error: Expected {} fields in line {}, saw {}\n",
                labels.len(),
                n + 2,
                record.len()
            ));
        }
        let mut row: Vec<Cell<'static>> = record
            .iter()
            .map(|t| {
                if NA_VALUES.contains(&t) {
                    Cell::Null
                } else {
                    Cell::Text(Cow::Owned(t.to_string()))
                }
            })
            .collect();
        row.resize(labels.len(), Cell::Null);
        rows.push(row);
    }
    Ok(Frame::from_rows(labels, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn texts<'a>(f: &'a Frame<'_>, name: &str) -> Vec<&'a str> {
        f.column(name)
            .unwrap()
            .iter()
            .map(|c| match c {
                Cell::Text(t) => t.as_ref(),
                _ => "<not text>",
            })
            .collect()
    }

    #[test]
    fn split_matches_columns_by_name_in_any_order() {
        let v = json!({"columns": ["x", "Col2"], "data": [[1, "a"], [2, "b"]], "index": [5, 6]});
        let f = split(&v).unwrap();
        assert_eq!((f.rows, texts(&f, "Col2")), (2, vec!["a", "b"]));
        let no_names = json!({"data": [["a"], ["b", "c"]]});
        let f = split(&no_names).unwrap();
        assert_eq!(f.labels, [Label::Position(0), Label::Position(1)]);
        assert!(f.column("Col2").is_none());
        for bad in [
            json!({"columns": ["Col2"], "data": [["a", "b"]]}),
            json!({"columns": ["Col2"]}),
            json!({"columns": ["Col2"], "data": [], "extra": 1}),
            json!([["a"]]),
        ] {
            assert!(split(&bad).is_err(), "{bad}");
        }
    }

    /// The `Col2` texts of the frame `make` builds from `v`.
    fn col2(make: fn(&Value) -> Result<Frame<'_>, String>, v: Value) -> Vec<String> {
        let f = make(&v).unwrap();
        texts(&f, "Col2").iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn records_and_tf_serving_forms() {
        let v = json!([{"Col2": "a", "x": 1}, {"x": 2}]);
        assert_eq!(records(&v).unwrap().column("Col2").unwrap()[1], Cell::Null);
        assert!(records(&json!([["a"]])).is_err());
        assert_eq!(col2(tf_serving, json!(["a", "b"])), ["a", "b"]);
        assert_eq!(
            col2(tf_serving, json!({"Col2": ["a", "b"], "x": [1, 2]})),
            ["a", "b"]
        );
        assert_eq!(col2(tf_serving, json!({"Col2": "a"})), ["a"]);
        assert_eq!(
            col2(tf_serving, json!([{"Col2": "a"}, {"Col2": "b"}])),
            ["a", "b"]
        );
        let e = tf_serving(&json!({"Col2": ["a", "b"], "x": [1]})).unwrap_err();
        assert!(e.contains("are not the same"), "{e}");
        assert!(tf_serving(&json!([{"Col2": "a"}, {"Col2": "b", "x": 1}])).is_err());
        assert!(tf_serving(&json!("a")).is_err());
    }

    #[test]
    fn csv_reads_like_pandas() {
        let f = csv(b"x,Col2\n1,\"a, b\"\n\n2,NA\n3\n").unwrap();
        assert_eq!(f.rows, 3);
        let col = f.column("Col2").unwrap();
        assert_eq!(col[0], Cell::Text("a, b".into()));
        assert_eq!((&col[1], &col[2]), (&Cell::Null, &Cell::Null));
        assert!(
            csv(b"Col2\na,b\n")
                .unwrap_err()
                .contains("Expected 1 fields in line 2, saw 2")
        );
        assert!(csv(b"").is_err());
        let f = csv(b",Col2\n0,a\n").unwrap();
        assert_eq!(f.labels[0], Label::Name("Unnamed: 0".into()));
    }

    #[test]
    fn frames_print_as_pandas_does() {
        let v = json!({"columns": ["title"], "data": [["acheter du pain"]]});
        assert_eq!(
            split(&v).unwrap().repr(),
            "             title\n0  acheter du pain"
        );
        let rows: Vec<Value> = (0..61).map(|i| json!([format!("r{i}")])).collect();
        let v = json!({"columns": ["Col1"], "data": rows});
        let r = split(&v).unwrap().repr();
        assert!(r.ends_with("\n\n[61 rows x 1 columns]"), "{r}");
        assert!(r.contains("\n...   ...\n"), "{r}");
        assert_eq!(r.lines().count(), 1 + 11 + 2);
    }
}
