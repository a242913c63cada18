//! A Parquet file read as JSON text, one row object per line, record batch by record batch
//! (the type mapping is in `mod.rs`). Only one batch of rows and its text are held at once.

use super::cells::{Bad, Cells, supported};
use super::{BATCH_BYTES, BATCH_ROWS, Nulls};
use crate::error::UsageError;
use crate::table::encode::push_json_str;
use anyhow::Result;
use arrow_array::RecordBatch;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::file::metadata::ParquetMetaData;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The rows of a Parquet file as JSON text (`impl Read`).
pub struct ParquetJson {
    name: String,
    batches: ParquetRecordBatchReader,
    columns: Vec<String>,
    /// `"name":` of each column, JSON-encoded once.
    keys: Vec<Vec<u8>>,
    nulls: Nulls,
    /// The rows of the file, from its footer.
    total: u64,
    /// Rows turned into text so far.
    rows: u64,
    /// The cells of the current batch, column by column.
    cells: Vec<Cells>,
    /// Text not yet read, from `pos`.
    buf: Vec<u8>,
    pos: usize,
    done: bool,
    /// Where to count progress: the file's size times the share of its rows read.
    progress: Option<(Arc<AtomicU64>, u64)>,
}

impl ParquetJson {
    /// Reads the footer of `file` (named `name` in messages) and checks its columns' types.
    /// A file that is not Parquet, or that has a column mlws cannot send, is a usage error.
    pub fn new(file: File, name: String, nulls: Nulls) -> Result<Self> {
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| crate::usage!("`{name}` is not a Parquet file: {}", one_line(&e)))?;
        let schema = builder.schema().clone();
        for field in schema.fields() {
            if !supported(field.data_type()) {
                return Err(crate::usage!(
                    "`{name}`: column `{}` is of type {}, which mlws cannot send: a cell must be a string, a number, a boolean or null",
                    field.name(),
                    field.data_type()
                ));
            }
        }
        let total = builder.metadata().file_metadata().num_rows().max(0) as u64;
        let rows = batch_rows(builder.metadata());
        let batches = builder.with_batch_size(rows).build().map_err(|e| {
            crate::usage!("cannot read the Parquet file `{name}`: {}", one_line(&e))
        })?;
        let columns: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let keys = columns
            .iter()
            .map(|c| {
                let mut k = Vec::with_capacity(c.len() + 3);
                push_json_str(&mut k, c.as_bytes());
                k.push(b':');
                k
            })
            .collect();
        Ok(ParquetJson {
            name,
            batches,
            cells: columns.iter().map(|_| Cells::default()).collect(),
            columns,
            keys,
            nulls,
            total,
            rows: 0,
            buf: Vec::new(),
            pos: 0,
            done: false,
            progress: None,
        })
    }

    /// The column names, in schema order (the keys of every row object).
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The rows of the whole file (from its footer): for a progress bar.
    pub fn total_rows(&self) -> u64 {
        self.total
    }

    /// Rows turned into text so far.
    pub fn rows_read(&self) -> u64 {
        self.rows
    }

    /// Keeps `read` at the bytes of a file of `size` bytes that the rows read so far stand
    /// for (its size times their share of its rows): a progress bar's position.
    pub fn count_progress(&mut self, read: Arc<AtomicU64>, size: u64) {
        self.progress = Some((read, size));
    }

    /// Puts the next batch's text in `buf` (nothing at the end); false after the end.
    fn refill(&mut self) -> io::Result<bool> {
        self.buf.clear();
        self.pos = 0;
        if self.done {
            return Ok(false);
        }
        match self.batches.next() {
            Some(Ok(batch)) => {
                self.encode(&batch)?;
                if let Some((read, size)) = &self.progress {
                    let share = self.rows as f64 / self.total.max(1) as f64;
                    read.store((*size as f64 * share.min(1.0)) as u64, Ordering::Relaxed);
                }
            }
            Some(Err(e)) => {
                self.done = true;
                return Err(fault(format!(
                    "{}: after row {}: cannot read the Parquet rows: {}",
                    self.name,
                    self.rows,
                    one_line(&e)
                )));
            }
            None => self.done = true,
        }
        Ok(true)
    }

    /// Appends the rows of `batch` to `buf`, one object per line.
    fn encode(&mut self, batch: &RecordBatch) -> io::Result<()> {
        let null: &[u8] = match self.nulls {
            Nulls::Null => b"null",
            Nulls::EmptyString => b"\"\"",
        };
        for (j, cells) in self.cells.iter_mut().enumerate() {
            cells.clear();
            if let Err(Bad { row, what }) = cells.push_column(batch.column(j).as_ref(), null) {
                self.done = true;
                return Err(fault(format!(
                    "{}: row {}, column `{}`: {what}",
                    self.name,
                    self.rows + row as u64 + 1,
                    self.columns[j]
                )));
            }
        }
        let width: usize = self.cells.iter().map(Cells::text_len).sum::<usize>()
            + self.keys.iter().map(Vec::len).sum::<usize>() * batch.num_rows();
        self.buf.reserve(width + 4 * batch.num_rows());
        for i in 0..batch.num_rows() {
            self.buf.push(b'{');
            for (j, cells) in self.cells.iter().enumerate() {
                if j > 0 {
                    self.buf.push(b',');
                }
                self.buf.extend_from_slice(&self.keys[j]);
                self.buf.extend_from_slice(cells.get(i));
            }
            self.buf.extend_from_slice(b"}\n");
            self.rows += 1;
        }
        Ok(())
    }
}

impl Read for ParquetJson {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.buf.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Rows per record batch: [`BATCH_ROWS`], fewer when the file's rows are wide, so that a
/// batch holds about [`BATCH_BYTES`]. Row width is from the column chunks' sizes: the bytes of
/// their strings when the writer recorded them, else their uncompressed pages (which count a
/// dictionary's strings once: a file of few, long, repeated strings reads in larger batches).
pub(super) fn batch_rows(meta: &ParquetMetaData) -> usize {
    let (mut bytes, mut rows) = (0i64, 0i64);
    for group in meta.row_groups() {
        rows += group.num_rows().max(0);
        for c in group.columns() {
            let strings = c.unencoded_byte_array_data_bytes().unwrap_or(0);
            bytes += strings.max(c.uncompressed_size()).max(0);
        }
    }
    if rows == 0 || bytes == 0 {
        return BATCH_ROWS;
    }
    let per_row = (bytes / rows).max(1) as usize;
    (BATCH_BYTES / per_row).clamp(1, BATCH_ROWS)
}

/// An input error met while reading, as an `io::Error` (what a reader can return) that keeps
/// the `UsageError` in its source chain: exit 2, and the message is the headline.
fn fault(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, Fault(UsageError::new(message)))
}

#[derive(Debug)]
struct Fault(UsageError);

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot turn the Parquet rows into JSON rows")
    }
}

impl std::error::Error for Fault {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// An error's text on one line (parquet's messages may hold line breaks).
fn one_line(e: &dyn fmt::Display) -> String {
    e.to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
