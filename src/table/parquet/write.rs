//! Answer rows written as Parquet, a row group at a time (snappy, as pyarrow writes by default).
//!
//! Column types are "typed where the answer is", decided once from the first row group (the
//! first [`GROUP_ROWS`] rows, or fewer when their text passes [`GROUP_BYTES`]), since a Parquet
//! file has one schema:
//!
//! - only integer literals (that fit 64 bits) and nulls: `int64`;
//! - only number literals and nulls, some not integers: `double`;
//! - only `true`/`false` and nulls: `bool`;
//! - anything else (a string cell, numbers mixed with booleans or strings, nested JSON, only
//!   nulls): `string`, each cell's text (a literal's JSON text, a null a null).
//!
//! A classic service answers strings, so its columns are strings; the typed protocols' numbers
//! stay numbers. In a later row group, an integer in a `double` column is written as a double,
//! anything goes in a `string` column, and any other cell that does not fit its column's type
//! (`1.5` in an `int64` column, a string in a `double` one) is an error naming the output row
//! and the column: the file could not say what the answer said.
//!
//! Without column names in the answer, the columns are named `column1`, `column2`, …
//! (Parquet columns need names).

use crate::table::Cell;
use anyhow::{Context, Result, anyhow};
use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch, RecordBatchOptions};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::sync::Arc;

/// Most rows in one row group.
pub const GROUP_ROWS: usize = 65_536;
/// Most bytes of cell text held for one row group (its rows are written when either is passed).
pub const GROUP_BYTES: usize = 32 << 20;

/// The Parquet type of an output column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Int64,
    Double,
    Bool,
    Text,
}

impl Type {
    fn arrow(self) -> DataType {
        match self {
            Type::Int64 => DataType::Int64,
            Type::Double => DataType::Float64,
            Type::Bool => DataType::Boolean,
            Type::Text => DataType::Utf8,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Type::Int64 => "int64",
            Type::Double => "double",
            Type::Bool => "bool",
            Type::Text => "string",
        }
    }
}

/// What kind of cell: a JSON literal is an integer, another number, a boolean or other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Str,
    Int,
    Float,
    Bool,
    Other,
}

fn kind(cell: &Cell<'_>) -> Kind {
    let lit = match cell {
        Cell::Null => return Kind::Null,
        Cell::Str(_) => return Kind::Str,
        Cell::Lit(s) => s,
    };
    match lit.as_bytes().first() {
        Some(b'-' | b'0'..=b'9') if lit.parse::<i64>().is_ok() => Kind::Int,
        Some(b'-' | b'0'..=b'9') if lit.parse::<f64>().is_ok() => Kind::Float,
        _ if lit == "true" || lit == "false" => Kind::Bool,
        _ if lit == "null" => Kind::Null,
        _ => Kind::Other,
    }
}

/// One column's cells of the row group being gathered.
#[derive(Default)]
struct Column {
    text: String,
    ends: Vec<usize>,
    kinds: Vec<Kind>,
    /// Which kinds the group holds (indexed by `Kind as usize`).
    seen: [bool; 6],
}

impl Column {
    fn push(&mut self, cell: &Cell<'_>) {
        let k = kind(cell);
        match cell {
            Cell::Str(s) => self.text.push_str(s),
            Cell::Lit(s) => self.text.push_str(s),
            Cell::Null => {}
        }
        self.ends.push(self.text.len());
        self.kinds.push(k);
        self.seen[k as usize] = true;
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.kinds.clear();
        self.seen = [false; 6];
    }

    /// The type of the cells seen (the rules of the module doc).
    fn decide(&self) -> Type {
        let has = |k: Kind| self.seen[k as usize];
        let number = has(Kind::Int) || has(Kind::Float);
        if has(Kind::Str) || has(Kind::Other) || (number && has(Kind::Bool)) {
            Type::Text
        } else if has(Kind::Bool) {
            Type::Bool
        } else if has(Kind::Float) {
            Type::Double
        } else if has(Kind::Int) {
            Type::Int64
        } else {
            Type::Text
        }
    }
}

/// Rows in, Parquet bytes out. Errors (a cell that does not fit its column's type) are kept
/// and returned by [`ParquetOut::check`] or [`ParquetOut::finish`].
#[derive(Default)]
pub struct ParquetOut {
    names: Option<Vec<String>>,
    columns: Vec<Column>,
    /// Rows gathered for the next row group, and the bytes of their text.
    rows: usize,
    bytes: usize,
    /// Rows in the row groups written.
    written: u64,
    types: Vec<Type>,
    schema: Option<SchemaRef>,
    writer: Option<ArrowWriter<Vec<u8>>>,
    error: Option<anyhow::Error>,
}

impl ParquetOut {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a row under `names` (`None`: the answer named no columns); once a row group is
    /// full, appends its bytes (and, before the first, the file's magic) to `out`.
    pub fn push(&mut self, names: Option<&[String]>, row: &[Cell<'_>], out: &mut Vec<u8>) {
        if self.error.is_some() {
            return;
        }
        if self.names.is_none() {
            self.start(names, row.len());
        }
        for (column, cell) in self.columns.iter_mut().zip(row) {
            column.push(cell);
            self.bytes += match cell {
                Cell::Str(s) => s.len(),
                Cell::Lit(s) => s.len(),
                Cell::Null => 0,
            } + 8;
        }
        self.rows += 1;
        if (self.rows >= GROUP_ROWS || self.bytes >= GROUP_BYTES)
            && let Err(e) = self.write_group(out)
        {
            self.error = Some(e);
        }
    }

    /// The error met while writing, if any (then nothing more is written).
    pub fn check(&mut self) -> Result<()> {
        match self.error.take() {
            Some(e) => {
                self.error = Some(anyhow!("{e:#}"));
                Err(e)
            }
            None => Ok(()),
        }
    }

    /// Writes the last row group and the footer: the rest of the file. `names` and `width`
    /// are the output's columns when no row was pushed (a header-only answer, or none).
    pub fn finish(&mut self, names: Option<&[String]>, width: usize) -> Result<Vec<u8>> {
        self.check()?;
        if self.names.is_none() {
            self.start(names, width);
        }
        let mut out = Vec::new();
        if self.rows > 0 || self.writer.is_none() {
            self.write_group(&mut out)?;
        }
        let writer = self.writer.take().context("the Parquet writer is gone")?;
        out.extend(
            writer
                .into_inner()
                .context("cannot write the Parquet footer")?,
        );
        Ok(out)
    }

    fn start(&mut self, names: Option<&[String]>, width: usize) {
        let names = match names {
            Some(n) => n.to_vec(),
            None => (1..=width).map(|i| format!("column{i}")).collect(),
        };
        self.columns = names.iter().map(|_| Column::default()).collect();
        self.names = Some(names);
    }

    /// Writes the rows gathered as one row group (the first also decides the types and
    /// starts the file).
    fn write_group(&mut self, out: &mut Vec<u8>) -> Result<()> {
        if self.writer.is_none() {
            self.types = self.columns.iter().map(Column::decide).collect();
            let names = self.names.as_deref().unwrap_or_default();
            let fields: Vec<Field> = names
                .iter()
                .zip(&self.types)
                .map(|(n, t)| Field::new(n, t.arrow(), true))
                .collect();
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .build();
            let schema = Arc::new(Schema::new(fields));
            let writer = ArrowWriter::try_new(Vec::new(), schema.clone(), Some(props))
                .context("cannot start the Parquet output")?;
            self.schema = Some(schema);
            self.writer = Some(writer);
        }
        let arrays = (0..self.columns.len())
            .map(|j| self.array(j))
            .collect::<Result<Vec<ArrayRef>>>()?;
        let (Some(writer), Some(schema)) = (self.writer.as_mut(), &self.schema) else {
            return Err(anyhow!("the Parquet writer is gone"));
        };
        let options = RecordBatchOptions::new().with_row_count(Some(self.rows));
        let batch = RecordBatch::try_new_with_options(schema.clone(), arrays, &options)
            .context("cannot make a Parquet row group")?;
        writer
            .write(&batch)
            .and_then(|()| writer.flush())
            .context("cannot write a Parquet row group")?;
        // What the writer wrote so far goes out now; it counts the bytes itself, so taking
        // them from its buffer leaves its offsets right.
        out.append(writer.inner_mut());
        self.written += self.rows as u64;
        self.rows = 0;
        self.bytes = 0;
        self.columns.iter_mut().for_each(Column::clear);
        Ok(())
    }

    /// Column `j` of the row group as an array of its type.
    fn array(&self, j: usize) -> Result<ArrayRef> {
        let (c, ty) = (&self.columns[j], self.types[j]);
        let misfit = |i: usize| {
            let text = match c.kinds[i] {
                Kind::Str => format!("the string {:?}", c.get(i)),
                _ => format!("`{}`", c.get(i)),
            };
            let name = &self.names.as_deref().unwrap_or_default()[j];
            anyhow!(
                "cannot write output row {} as Parquet: in column `{name}`, {text} does not fit the column's type ({}), which the first rows decided; write the answers as CSV or JSON instead (`-f csv`, `-f json`)",
                self.written + i as u64 + 1,
                ty.name()
            )
        };
        let n = c.kinds.len();
        Ok(match ty {
            Type::Text => {
                let mut b = StringBuilder::with_capacity(n, c.text.len());
                for (i, k) in c.kinds.iter().enumerate() {
                    match k {
                        Kind::Null => b.append_null(),
                        _ => b.append_value(c.get(i)),
                    }
                }
                Arc::new(b.finish())
            }
            Type::Int64 => {
                let mut b = Int64Builder::with_capacity(n);
                for (i, k) in c.kinds.iter().enumerate() {
                    match k {
                        Kind::Null => b.append_null(),
                        Kind::Int => b.append_value(c.get(i).parse().map_err(|_| misfit(i))?),
                        _ => return Err(misfit(i)),
                    }
                }
                Arc::new(b.finish())
            }
            Type::Double => {
                let mut b = Float64Builder::with_capacity(n);
                for (i, k) in c.kinds.iter().enumerate() {
                    match k {
                        Kind::Null => b.append_null(),
                        Kind::Int | Kind::Float => {
                            b.append_value(c.get(i).parse().map_err(|_| misfit(i))?)
                        }
                        _ => return Err(misfit(i)),
                    }
                }
                Arc::new(b.finish())
            }
            Type::Bool => {
                let mut b = BooleanBuilder::with_capacity(n);
                for (i, k) in c.kinds.iter().enumerate() {
                    match k {
                        Kind::Null => b.append_null(),
                        Kind::Bool => b.append_value(c.get(i) == "true"),
                        _ => return Err(misfit(i)),
                    }
                }
                Arc::new(b.finish())
            }
        })
    }
}
