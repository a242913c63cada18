//! Reads one output of a scoring answer without a `serde_json::Value` per cell: cells borrow
//! from the body where they can, in one flat buffer (not a `Vec` per row). The table form is
//! first tried by the hand-written scanner of `scan/`; whatever it leaves (swagger rows,
//! number cells, anything unusual or malformed) is read here with serde, which also makes
//! every error message. Table form `{"type":"table","value":{"ColumnNames","Values"}}`
//! (`protocol.md` §3.3; `type` ignored, §9.1; `ColumnNames` may be missing, §3.4) and swagger
//! form `[{"col": "cell", ...}]` (§3.5), whose columns are the keys of its first row. Other
//! outputs and unknown keys are skipped.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// One cell of an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// A JSON string (the service's cells are strings, §3.3).
    Str(Cow<'a, str>),
    /// A number, a boolean, or (unexpected) nested JSON, as JSON text.
    Lit(Cow<'a, str>),
    Null,
}

/// One output: its column names when known, and its rows (as the service sent them; the
/// writer checks that each is as long as the columns).
#[derive(Debug, Clone, PartialEq)]
pub struct Output<'a> {
    pub columns: Option<Vec<String>>,
    /// The cells of all rows, one after the other.
    cells: Vec<Cell<'a>>,
    /// Where each row ends in `cells`.
    ends: Vec<usize>,
}

impl<'a> Output<'a> {
    /// `cells` of all rows one after the other, each row ending at its item of `ends`.
    pub fn from_flat(columns: Option<Vec<String>>, cells: Vec<Cell<'a>>, ends: Vec<usize>) -> Self {
        Output {
            columns,
            cells,
            ends,
        }
    }

    pub fn from_rows(columns: Option<Vec<String>>, rows: Vec<Vec<Cell<'a>>>) -> Self {
        let mut ends = Vec::with_capacity(rows.len());
        let mut cells = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        for row in rows {
            cells.extend(row);
            ends.push(cells.len());
        }
        Output {
            columns,
            cells,
            ends,
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Row `i` (0-based).
    pub fn row(&self, i: usize) -> &[Cell<'a>] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.cells[start..self.ends[i]]
    }

    pub fn rows(&self) -> impl Iterator<Item = &[Cell<'a>]> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let row = &self.cells[start..end];
            start = end;
            row
        })
    }
}

/// Reads output `name` of an answer body that should hold `rows_hint` rows (a size hint only).
/// A missing output is a usage error (`--output-name`); any other surprise is plain.
pub fn parse_output<'a>(
    body: &'a [u8],
    name: &str,
    rows_hint: usize,
) -> anyhow::Result<Output<'a>> {
    match super::scan::output(body, name, rows_hint) {
        Some(output) => Ok(output),
        None => parse_serde(body, name),
    }
}

/// [`parse_output`] with serde only: every form, and the error messages.
pub(super) fn parse_serde<'a>(body: &'a [u8], name: &str) -> anyhow::Result<Output<'a>> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let found = Top { name }
        .deserialize(&mut de)
        .map_err(|e| anyhow::anyhow!("the answer is not a scoring result: {e}"))?;
    de.end()
        .map_err(|e| anyhow::anyhow!("the answer is not a scoring result: {e}"))?;
    let (output, names) =
        found.ok_or_else(|| anyhow::anyhow!("the answer has no `Results` object"))?;
    match output {
        Some(RawOutput::Table { columns, rows }) => Ok(Output::from_rows(columns, rows)),
        Some(RawOutput::Rows(rows)) => swagger_rows(rows).map_err(anyhow::Error::msg),
        None => Err(crate::usage!(
            "the answer has no output `{name}` (it has {}); choose one with `--output-name`",
            if names.is_empty() {
                "none".to_string()
            } else {
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )),
    }
}

/// Swagger rows to positional rows under the first row's keys.
fn swagger_rows<'a>(rows: Vec<Vec<(Cow<'a, str>, Cell<'a>)>>) -> Result<Output<'a>, String> {
    let Some(first) = rows.first() else {
        return Ok(Output::from_rows(None, vec![]));
    };
    let columns: Vec<String> = first.iter().map(|(k, _)| k.to_string()).collect();
    // Column positions by name, made for the first row whose keys are in another order (a
    // scan of the columns per key took minutes on rows of 300,000 keys).
    let mut index: Option<HashMap<String, usize>> = None;
    let mut out = Vec::with_capacity(rows.len());
    for (n, row) in rows.into_iter().enumerate() {
        let same = row.len() == columns.len() && row.iter().zip(&columns).all(|((k, _), c)| k == c);
        if same {
            out.push(row.into_iter().map(|(_, v)| v).collect());
            continue;
        }
        let index = index.get_or_insert_with(|| {
            let mut m = HashMap::with_capacity(columns.len());
            for (i, c) in columns.iter().enumerate() {
                m.entry(c.clone()).or_insert(i);
            }
            m
        });
        let mut cells = vec![Cell::Null; columns.len()];
        for (k, v) in row {
            let Some(&i) = index.get(k.as_ref()) else {
                return Err(format!(
                    "row {} of the answer has column `{k}`, which its first row has not",
                    n + 1
                ));
            };
            cells[i] = v;
        }
        out.push(cells);
    }
    Ok(Output::from_rows(Some(columns), out))
}

enum RawOutput<'a> {
    Table {
        columns: Option<Vec<String>>,
        rows: Vec<Vec<Cell<'a>>>,
    },
    Rows(Vec<Vec<(Cow<'a, str>, Cell<'a>)>>),
}

/// The top-level object: `Results` read, anything else skipped. `None` when there is no
/// `Results`; otherwise the wanted output (if present) and the names of all outputs.
struct Top<'n> {
    name: &'n str,
}

type Found<'a> = Option<(Option<RawOutput<'a>>, Vec<String>)>;

impl<'de, 'n> DeserializeSeed<'de> for Top<'n> {
    type Value = Found<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 'n> Visitor<'de> for Top<'n> {
    type Value = Found<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with `Results`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<Text<'de>>()? {
            if key.0 == "Results" {
                found = Some(map.next_value_seed(Results { name: self.name })?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

struct Results<'n> {
    name: &'n str,
}

impl<'de, 'n> DeserializeSeed<'de> for Results<'n> {
    type Value = (Option<RawOutput<'de>>, Vec<String>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 'n> Visitor<'de> for Results<'n> {
    type Value = (Option<RawOutput<'de>>, Vec<String>);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of outputs")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut wanted, mut names) = (None, Vec::new());
        while let Some(key) = map.next_key::<Text<'de>>()? {
            if key.0 == self.name && wanted.is_none() {
                wanted = Some(map.next_value::<RawOutput<'de>>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            names.push(key.0.into_owned());
        }
        Ok((wanted, names))
    }
}

impl<'de> Deserialize<'de> for RawOutput<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawOutput<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table output or an array of row objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(SwaggerRow(r)) = seq.next_element()? {
                    rows.push(r);
                }
                Ok(RawOutput::Rows(rows))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut table = None;
                while let Some(key) = map.next_key::<Text<'de>>()? {
                    match key.0.as_ref() {
                        "value" => table = Some(map.next_value::<TableValue<'de>>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let t = table.ok_or_else(|| de::Error::missing_field("value"))?;
                Ok(RawOutput::Table {
                    columns: t.columns,
                    rows: t.values,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// `value` of a table output: `ColumnNames` (optional), `Values`; anything else skipped.
struct TableValue<'a> {
    columns: Option<Vec<String>>,
    values: Vec<Vec<Cell<'a>>>,
}

impl<'de> Deserialize<'de> for TableValue<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TableValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table with `Values`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut columns, mut values) = (None, None);
                while let Some(key) = map.next_key::<Text<'de>>()? {
                    match key.0.as_ref() {
                        "ColumnNames" => columns = map.next_value::<Option<Vec<String>>>()?,
                        "Values" => values = Some(map.next_value::<Vec<Vec<Cell<'de>>>>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let values = values.ok_or_else(|| de::Error::missing_field("Values"))?;
                Ok(TableValue { columns, values })
            }
        }
        d.deserialize_map(V)
    }
}

/// A string that borrows from the body when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Cell::deserialize(d)? {
            Cell::Str(s) => Ok(Text(s)),
            _ => Err(de::Error::custom("expected a string")),
        }
    }
}

struct SwaggerRow<'a>(Vec<(Cow<'a, str>, Cell<'a>)>);

impl<'de> Deserialize<'de> for SwaggerRow<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SwaggerRow<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a row object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut row = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((Text(k), v)) = map.next_entry::<Text<'de>, Cell<'de>>()? {
                    row.push((k, v));
                }
                Ok(SwaggerRow(row))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for Cell<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a cell")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cell::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cell::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cell::Str(Cow::Owned(v)))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Cell::Lit(Cow::Owned(v.to_string())))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Cell::Lit(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Cell::Lit(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Cell::Lit(Cow::Owned(
            serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string()),
        )))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Cell::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Cell::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let v = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Cell::Lit(Cow::Owned(v.to_string())))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let v = serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Cell::Lit(Cow::Owned(v.to_string())))
    }
}
