//! Parquet in and out (`spec/cli.md` "Inputs and outputs as users have them"), with the
//! Apache `parquet` crate's arrow reader and writer, one row group at a time.
//!
//! In (`read.rs`, cells in `cells.rs`): a Parquet file becomes JSON Lines, one object per row
//! (keys: the columns in schema order), which the JSON Lines reader of `table` batches as any
//! JSON Lines input (so an error names the row as its line). The file is read in record batches of at most [`BATCH_ROWS`] rows and about
//! [`BATCH_BYTES`] of cells, never whole; Parquet on stdin is first spooled to an unnamed
//! temporary file ([`spool_stdin`]), since a Parquet footer is at the end. Types:
//!
//! | Parquet / Arrow | JSON |
//! | --- | --- |
//! | integers (8 to 64 bits, signed or not) | integer |
//! | float16/32/64 | number (shortest text that reads back the same); NaN: a null cell; ±infinity: an error naming the row and column |
//! | decimal | number with the column's scale (`12.30`) |
//! | boolean | `true` / `false` |
//! | string, large string, string view | string |
//! | binary (any) | string when it is UTF-8, else an error naming the row and column |
//! | date32/date64 | `"2024-05-01"` |
//! | timestamp without time zone | `"2024-05-01T13:45:00.25"` (local time as stored) |
//! | timestamp with a time zone | `"2024-05-01T11:45:00.25Z"` (the instant, in UTC) |
//! | time32/time64 | `"13:45:00.25"` |
//! | dictionary (pandas categoricals) | its value's JSON |
//! | null | null |
//! | lists, structs, maps, durations, intervals, … | refused when the file is opened, naming the column: a cell must be a string, a number, a boolean or null |
//!
//! A null cell is `null`, or `""` with [`Nulls::EmptyString`] (classic services take strings).
//!
//! Out (`write.rs`): [`ParquetOut`] takes the answer rows of `RowWriter` and writes them in
//! row groups of at most [`GROUP_ROWS`] rows (or [`GROUP_BYTES`] of cell text), typed where the
//! answer is; see there for the type rules.

mod cells;
mod read;
mod write;

pub use read::ParquetJson;
pub use write::{GROUP_BYTES, GROUP_ROWS, ParquetOut};

use anyhow::{Context, Result};
use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;

/// Most rows per record batch read: JSON text of at most this many rows is held at once.
pub const BATCH_ROWS: usize = 1024;
/// About the most bytes of (uncompressed) cells per record batch: files of wide rows are read
/// in batches of fewer rows.
pub const BATCH_BYTES: usize = 8 << 20;

/// How a null cell (and a float NaN) is written in the JSON of the input rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// `null`: for the typed protocols.
    Null,
    /// `""`: a classic service's cells are strings, and an empty one is its missing value.
    EmptyString,
}

/// The Parquet file at `path` as JSON Lines: one row object per line.
pub fn parquet_as_json_lines(path: &Path, nulls: Nulls) -> Result<Box<dyn Read + Send>> {
    let file = open_file(path)?;
    let json = ParquetJson::new(file, path.display().to_string(), nulls)?;
    Ok(Box::new(json))
}

fn open_file(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| crate::usage!("cannot open the input `{}`: {e}", path.display()))
}

/// Standard input copied to an unnamed temporary file (removed when closed), read from its
/// start: a Parquet reader needs to seek to the footer.
pub fn spool_stdin() -> Result<File> {
    spool(&mut std::io::stdin().lock(), "stdin")
}

/// `input` (`what` in messages) copied to an unnamed temporary file (removed when closed),
/// read from its start.
pub fn spool(input: &mut dyn Read, what: &str) -> Result<File> {
    let mut file = tempfile::tempfile()
        .with_context(|| format!("cannot create a temporary file for {what}"))?;
    std::io::copy(input, &mut file)
        .with_context(|| format!("cannot copy {what} to a temporary file"))?;
    file.rewind()
        .context("cannot read back the copy of stdin")?;
    Ok(file)
}

#[cfg(test)]
mod tests;
