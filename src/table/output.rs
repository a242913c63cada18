//! Writes answer rows, batch after batch, as CSV or TSV (a header row, fields quoted only when
//! needed), a JSON array of row objects (streamed) or an aligned table for people (buffered to
//! size its columns). The first answer fixes the columns; a later answer with other columns,
//! or with a row count that differs from the rows sent, is an error.
//!
//! When the service sends no `ColumnNames` (`protocol.md` §3.4), no names are made up: CSV and
//! TSV get no header row, JSON gets one array of cells per row, the table no header line.

use super::encode::push_json_str;
use super::response::{Cell, Output};
use super::{Lines, OutputFormat};
use anyhow::{Result, bail};
use std::io::Write;

/// Appends a CSV/TSV field, quoted when it holds the delimiter, a quote or a line break.
fn push_csv_field(out: &mut Vec<u8>, s: &[u8], delim: u8) {
    if !s
        .iter()
        .any(|&b| b == delim || b == b'"' || b == b'\n' || b == b'\r')
    {
        out.extend_from_slice(s);
        return;
    }
    out.push(b'"');
    for &b in s {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Appends a CSV/TSV record and its `\n`. A record of one empty field is written `""`: a
/// blank line would be skipped when the file is read back (found by fuzzing).
pub(super) fn push_csv_record<'a>(
    out: &mut Vec<u8>,
    fields: impl ExactSizeIterator<Item = &'a [u8]>,
    delim: u8,
) {
    let (one, start) = (fields.len() == 1, out.len());
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(delim);
        }
        push_csv_field(out, f, delim);
    }
    if one && out.len() == start {
        out.extend_from_slice(b"\"\"");
    }
    out.push(b'\n');
}

fn cell_text<'c>(c: &'c Cell<'_>) -> &'c str {
    match c {
        Cell::Str(s) => s,
        Cell::Lit(s) => s,
        Cell::Null => "",
    }
}

pub struct RowWriter<W: Write> {
    format: OutputFormat,
    out: W,
    /// Set by the first answer: `Some(None)` when it had no column names.
    columns: Option<Option<Vec<String>>>,
    width: usize,
    rows: u64,
    buf: Vec<u8>,
    /// `--output-format table` rows, kept until `finish`.
    table: Vec<Vec<String>>,
}

impl<W: Write> RowWriter<W> {
    pub fn new(format: OutputFormat, out: W) -> Self {
        RowWriter {
            format,
            out,
            columns: None,
            width: 0,
            rows: 0,
            buf: Vec::with_capacity(64 * 1024),
            table: Vec::new(),
        }
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Writes the rows of one answer, which must hold `expected` rows (the rows of `lines`).
    pub fn write(&mut self, output: &Output<'_>, expected: usize, lines: Lines) -> Result<()> {
        if output.rows.len() != expected {
            bail!(
                "the service answered {} rows for input {lines}, which hold {expected}; every input row must give one output row",
                output.rows.len()
            );
        }
        self.check_columns(output, lines)?;
        self.buf.clear();
        for row in &output.rows {
            if row.len() != self.width {
                bail!(
                    "the service answered a row of {} cells for input {lines} where the output has {} columns",
                    row.len(),
                    self.width
                );
            }
            self.push_row(row);
        }
        self.rows += output.rows.len() as u64;
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(())
    }

    /// Fixes the columns on the first answer (writing the header), checks them on later ones.
    fn check_columns(&mut self, output: &Output<'_>, lines: Lines) -> Result<()> {
        match &self.columns {
            None => {
                let width = match (&output.columns, output.rows.first()) {
                    (Some(c), _) => c.len(),
                    (None, Some(r)) => r.len(),
                    (None, None) => return Ok(()),
                };
                self.width = width;
                self.columns = Some(output.columns.clone());
                self.write_header()?;
            }
            Some(Some(known)) => {
                if let Some(now) = &output.columns
                    && now != known
                {
                    bail!(
                        "the service answered columns {} for input {lines}, unlike its first answer ({})",
                        now.join(","),
                        known.join(",")
                    );
                }
            }
            Some(None) => {}
        }
        Ok(())
    }

    fn write_header(&mut self) -> Result<()> {
        let Some(Some(cols)) = &self.columns else {
            if self.format == OutputFormat::Json {
                self.out.write_all(b"[")?;
            }
            return Ok(());
        };
        let mut line = Vec::new();
        match self.format {
            OutputFormat::Csv | OutputFormat::Tsv => {
                let d = self.delim();
                push_csv_record(&mut line, cols.iter().map(|c| c.as_bytes()), d);
            }
            OutputFormat::Json => line.push(b'['),
            OutputFormat::Table => self.table.push(cols.clone()),
        }
        self.out.write_all(&line)?;
        Ok(())
    }

    fn delim(&self) -> u8 {
        if self.format == OutputFormat::Tsv {
            b'\t'
        } else {
            b','
        }
    }

    fn push_row(&mut self, row: &[Cell<'_>]) {
        match self.format {
            OutputFormat::Csv | OutputFormat::Tsv => {
                let d = self.delim();
                push_csv_record(
                    &mut self.buf,
                    row.iter().map(|c| cell_text(c).as_bytes()),
                    d,
                );
            }
            OutputFormat::Json => {
                self.buf
                    .extend_from_slice(if self.rows == 0 && self.buf.is_empty() {
                        b"\n"
                    } else {
                        b",\n"
                    });
                let names = match &self.columns {
                    Some(Some(c)) => Some(c),
                    _ => None,
                };
                self.buf.push(if names.is_some() { b'{' } else { b'[' });
                for (i, c) in row.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(b',');
                    }
                    if let Some(names) = names {
                        push_json_str(&mut self.buf, names[i].as_bytes());
                        self.buf.push(b':');
                    }
                    match c {
                        Cell::Str(s) => push_json_str(&mut self.buf, s.as_bytes()),
                        Cell::Lit(s) => self.buf.extend_from_slice(s.as_bytes()),
                        Cell::Null => self.buf.extend_from_slice(b"null"),
                    }
                }
                self.buf.push(if names.is_some() { b'}' } else { b']' });
            }
            OutputFormat::Table => self
                .table
                .push(row.iter().map(|c| cell_text(c).to_string()).collect()),
        }
    }

    /// Ends the output (closes the JSON array, prints the table) and flushes it.
    pub fn finish(mut self) -> std::io::Result<W> {
        match self.format {
            OutputFormat::Json if self.columns.is_none() => self.out.write_all(b"[]\n")?,
            OutputFormat::Json if self.rows == 0 => self.out.write_all(b"]\n")?,
            OutputFormat::Json => self.out.write_all(b"\n]\n")?,
            OutputFormat::Table => {
                let text = render_table(&self.table);
                self.out.write_all(text.as_bytes())?;
            }
            _ => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Columns padded to their widest cell (in characters), two spaces apart; line breaks and
/// tabs inside cells shown as spaces.
fn render_table(rows: &[Vec<String>]) -> String {
    let clean = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| clean(c)).collect())
        .collect();
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; ncols];
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(c);
            line.extend(std::iter::repeat_n(' ', widths[i] - c.chars().count()));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
