//! Writes answer rows, batch after batch, as CSV or TSV (a header row, fields quoted only when
//! needed), a JSON array of row objects (streamed) or an aligned table for people (buffered to
//! size its columns). The first answer fixes the columns; a later answer with other columns,
//! or with a row count that differs from the rows sent, is an error.
//!
//! When the service sends no `ColumnNames` (`protocol.md` §3.4), no names are made up: CSV and
//! TSV get no header row, JSON gets one array of cells per row, the table no header line.
//!
//! Parquet (`-f parquet`) rows go to `parquet::ParquetOut`, which writes them in typed row
//! groups (there, columns need names: `column1`, `column2`, … when the answer gives none).

use super::encode::push_json_str;
use super::parquet::ParquetOut;
use super::response::{Cell, Output, parse_output};
use super::scan::{self, Cells, Plain};
use super::{InCell, Lines, OutputFormat, TypedRows};
use anyhow::{Context, Result, bail};
use std::borrow::Cow;
use std::io::Write;

/// Bytes that make a field need quotes: the delimiter, a quote, a line break.
const fn quote_table(delim: u8) -> [bool; 256] {
    let mut t = [false; 256];
    t[delim as usize] = true;
    t[b'"' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t
}
static QUOTE_CSV: [bool; 256] = quote_table(b',');
static QUOTE_TSV: [bool; 256] = quote_table(b'\t');
static QUOTE_SEMICOLON: [bool; 256] = quote_table(b';');
static QUOTE_PIPE: [bool; 256] = quote_table(b'|');

/// Appends a CSV/TSV field, quoted when it holds the delimiter, a quote or a line break.
pub(super) fn push_csv_field(out: &mut Vec<u8>, s: &[u8], delim: u8) {
    let other;
    let quote = match delim {
        b'\t' => &QUOTE_TSV,
        b',' => &QUOTE_CSV,
        b';' => &QUOTE_SEMICOLON,
        b'|' => &QUOTE_PIPE,
        d => {
            other = quote_table(d);
            &other
        }
    };
    // Most cells are short: branch-free for those (the early exit of `any` costs more).
    let needs = if s.len() <= 16 {
        s.iter().fold(false, |q, &b| q | quote[b as usize])
    } else {
        s.iter().any(|&b| quote[b as usize])
    };
    if !needs {
        out.extend_from_slice(s);
        return;
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut rest = s;
    while let Some(q) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=q]);
        out.push(b'"');
        rest = &rest[q + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Appends a CSV/TSV record and its `\n`. A record of one empty field is written `""`: a
/// blank line would be skipped when the file is read back (found by fuzzing).
pub fn push_csv_record<'a>(
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

/// Rows of the input's columns `kept` of `rows` followed by the predictions, as one
/// [`Output`] (kept cells borrowed as they were read).
pub fn join<'a>(
    columns: Vec<String>,
    rows: &'a TypedRows,
    kept: &[usize],
    predictions: &Output<'a>,
) -> Output<'a> {
    let width = columns.len();
    let mut cells = Vec::with_capacity(rows.len() * width);
    let mut ends = Vec::with_capacity(rows.len());
    for (r, pred) in rows.range.clone().zip(predictions.rows()) {
        cells.extend(kept.iter().map(|&c| match rows.set.cell(r, c) {
            InCell::Text(s) => Cell::Str(Cow::Borrowed(s)),
            InCell::Lit(s) => Cell::Lit(Cow::Borrowed(s)),
            InCell::Null => Cell::Null,
        }));
        cells.extend(pred.iter().cloned());
        ends.push(cells.len());
    }
    Output::from_flat(Some(columns), cells, ends)
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
    /// The CSV delimiter when not `,`.
    delimiter: Option<u8>,
    /// `-f parquet`: rows gathered into row groups.
    parquet: Option<Box<ParquetOut>>,
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
            delimiter: None,
            parquet: (format == OutputFormat::Parquet).then(Box::default),
        }
    }

    /// Rows written so far.
    /// The output, to end a compressed member at a commit ([`crate::table::stream::Sink`]).
    pub fn out_mut(&mut self) -> &mut W {
        &mut self.out
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The output's columns once the first answer fixed them: `Some(None)` when that answer
    /// named none.
    pub fn columns(&self) -> Option<Option<&[String]>> {
        self.columns.as_ref().map(|c| c.as_deref())
    }

    /// Whether writing can go on in a later run (`--resume`): every format but the aligned
    /// table, which is printed whole at the end.
    pub fn resumable(&self) -> bool {
        !matches!(self.format, OutputFormat::Table | OutputFormat::Parquet)
    }

    /// Goes on after an output that already holds `rows` rows under `columns` (its header,
    /// or JSON's `[`, written): what a `--resume` appends to.
    pub fn resume(&mut self, columns: Option<Vec<String>>, width: usize, rows: u64) {
        self.width = columns.as_ref().map_or(width, Vec::len);
        self.columns = Some(columns);
        self.rows = rows;
    }

    /// The width of the output's rows (0 before the first answer).
    pub fn width(&self) -> usize {
        self.width
    }

    /// Writes the rows of output `name` of an answer body, which must hold `expected` rows
    /// (the rows of `lines`). CSV and TSV rows go straight from the body to the output when
    /// the scanner of `scan.rs` can read it; anything else is read into an [`Output`] first.
    pub fn write_answer(
        &mut self,
        body: &[u8],
        name: &str,
        expected: usize,
        lines: Lines,
    ) -> Result<()> {
        if matches!(self.format, OutputFormat::Csv | OutputFormat::Tsv) {
            self.buf.clear();
            let row_at = self.buf.len();
            let delim = self.delim();
            let mut sink = CsvSink {
                buf: &mut self.buf,
                delim,
                want: self.columns.is_some().then_some(self.width),
                in_row: 0,
                row_at,
                rows: 0,
                first: None,
                odd: None,
            };
            if let Some(columns) = scan::table(body, name, &mut sink) {
                let (rows, first, odd) = (sink.rows, sink.first, sink.odd);
                self.check_rows(rows, expected, lines)?;
                self.check_columns(&columns, first, lines)?;
                if let Some(len) = odd {
                    return Err(self.odd_row(len, lines));
                }
                return self.flush_rows(rows);
            }
        }
        let output = parse_output(body, name, expected)
            .with_context(|| format!("cannot use the answer to scoring input {lines}"))?;
        self.write(&output, expected, lines)
    }

    /// Writes the rows of one answer, which must hold `expected` rows (the rows of `lines`).
    pub fn write(&mut self, output: &Output<'_>, expected: usize, lines: Lines) -> Result<()> {
        self.check_rows(output.len(), expected, lines)?;
        let first = (!output.is_empty()).then(|| output.row(0).len());
        self.check_columns(&output.columns, first, lines)?;
        self.buf.clear();
        for row in output.rows() {
            if row.len() != self.width {
                return Err(self.odd_row(row.len(), lines));
            }
            self.push_row(row);
        }
        self.flush_rows(output.len())
    }

    /// Writes rows of a typed protocol: the cells of the input's columns `kept` of `rows`,
    /// then the predictions (as many rows), under `columns`. CSV and TSV rows are written
    /// straight from the input's cells; a row that was a plain CSV line of the same delimiter
    /// with every column kept is copied as it was read (what writing its cells would make).
    pub fn write_joined(
        &mut self,
        columns: Vec<String>,
        rows: &TypedRows,
        kept: &[usize],
        predictions: &Output<'_>,
    ) -> Result<()> {
        let lines = rows.lines();
        if !matches!(self.format, OutputFormat::Csv | OutputFormat::Tsv) {
            let joined = join(columns, rows, kept, predictions);
            return self.write(&joined, rows.len(), lines);
        }
        self.check_rows(predictions.len(), rows.len(), lines)?;
        let width = columns.len();
        self.check_columns(&Some(columns), Some(width), lines)?;
        let delim = self.delim();
        let set = &rows.set;
        let all = kept.len() == set.width() && kept.iter().enumerate().all(|(i, &k)| i == k);
        self.buf.clear();
        for (r, pred) in rows.range.clone().zip(predictions.rows()) {
            if kept.len() + pred.len() != self.width {
                return Err(self.odd_row(kept.len() + pred.len(), lines));
            }
            let at = self.buf.len();
            match set.plain_line(r, delim).filter(|_| all) {
                Some(line) => {
                    self.buf.extend_from_slice(line.as_bytes());
                    self.buf.push(delim);
                }
                None => {
                    for &c in kept {
                        push_csv_field(&mut self.buf, set.cell(r, c).text().as_bytes(), delim);
                        self.buf.push(delim);
                    }
                }
            }
            for c in pred {
                push_csv_field(&mut self.buf, cell_text(c).as_bytes(), delim);
                self.buf.push(delim);
            }
            // Each cell was followed by a delimiter: the last one ends the record instead. A
            // record of one empty field is written `""` (as `push_csv_record` does).
            match (self.width, self.buf.len() - at) {
                (0, _) => self.buf.push(b'\n'),
                (1, 1) => {
                    self.buf.truncate(at);
                    self.buf.extend_from_slice(b"\"\"\n");
                }
                _ => *self.buf.last_mut().expect("a cell was written") = b'\n',
            }
        }
        self.flush_rows(rows.len())
    }

    fn check_rows(&self, rows: usize, expected: usize, lines: Lines) -> Result<()> {
        if rows != expected {
            bail!(
                "the service answered {rows} rows for input {lines}, which hold {expected}; every input row must give one output row"
            );
        }
        Ok(())
    }

    fn odd_row(&self, len: usize, lines: Lines) -> anyhow::Error {
        anyhow::anyhow!(
            "the service answered a row of {len} cells for input {lines} where the output has {} columns",
            self.width
        )
    }

    /// Writes the rows put in `buf`.
    fn flush_rows(&mut self, rows: usize) -> Result<()> {
        if let Some(p) = &mut self.parquet {
            p.check()?;
        }
        self.rows += rows as u64;
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(())
    }

    /// Fixes the columns on the first answer with columns or rows (writing the header), checks
    /// them on later ones. `first` is the length of the answer's first row, if any.
    fn check_columns(
        &mut self,
        columns: &Option<Vec<String>>,
        first: Option<usize>,
        lines: Lines,
    ) -> Result<()> {
        match &self.columns {
            None => {
                let width = match (columns, first) {
                    (Some(c), _) => c.len(),
                    (None, Some(len)) => len,
                    (None, None) => return Ok(()),
                };
                self.width = width;
                self.columns = Some(columns.clone());
                self.write_header()?;
            }
            Some(Some(known)) => {
                if let Some(now) = columns
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
            OutputFormat::Jsonl => {}
            OutputFormat::Table => self.table.push(cols.clone()),
            OutputFormat::Parquet => {}
        }
        self.out.write_all(&line)?;
        Ok(())
    }

    fn delim(&self) -> u8 {
        match (self.format, self.delimiter) {
            (OutputFormat::Tsv, _) => b'\t',
            (_, Some(d)) => d,
            _ => b',',
        }
    }

    /// CSV output with another delimiter than `,` (`--output-delimiter`, or the input's).
    pub fn with_delimiter(mut self, delimiter: Option<u8>) -> Self {
        self.delimiter = delimiter;
        self
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
            OutputFormat::Json | OutputFormat::Jsonl => {
                let lines = self.format == OutputFormat::Jsonl;
                if !lines {
                    self.buf
                        .extend_from_slice(if self.rows == 0 && self.buf.is_empty() {
                            b"\n"
                        } else {
                            b",\n"
                        });
                }
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
                if lines {
                    self.buf.push(b'\n');
                }
            }
            OutputFormat::Table => self
                .table
                .push(row.iter().map(|c| cell_text(c).to_string()).collect()),
            OutputFormat::Parquet => {
                let names = self.columns.as_ref().and_then(|c| c.as_deref());
                if let Some(p) = &mut self.parquet {
                    p.push(names, row, &mut self.buf);
                }
            }
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
            OutputFormat::Parquet => {
                let names = self.columns.as_ref().and_then(|c| c.as_deref());
                if let Some(p) = &mut self.parquet {
                    let rest = p.finish(names, self.width).map_err(std::io::Error::other)?;
                    self.out.write_all(&rest)?;
                }
            }
            _ => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// CSV or TSV rows written as the scanner reads them, with what the checks of
/// [`RowWriter::write_answer`] need.
struct CsvSink<'b> {
    buf: &'b mut Vec<u8>,
    delim: u8,
    /// The width the output already has, if fixed.
    want: Option<usize>,
    in_row: usize,
    /// Where the current row starts in `buf`.
    row_at: usize,
    rows: usize,
    /// The length of the first row.
    first: Option<usize>,
    /// The length of the first row not as long as the output is wide.
    odd: Option<usize>,
}

impl<'a> Cells<'a> for CsvSink<'_> {
    fn start(&mut self, columns: Option<&[String]>) {
        self.want = self.want.or(columns.map(<[String]>::len));
    }

    fn text(&mut self, text: Plain<'a>) {
        if self.in_row > 0 {
            self.buf.push(self.delim);
        }
        self.in_row += 1;
        // No quote or line break can be in it (they are escaped in JSON): only the delimiter
        // calls for quotes. Most cells are short (counts): no call for those.
        let bytes = text.bytes();
        let delim = self.delim;
        let quote = if bytes.len() <= 16 {
            // Branch-free (and no call to std's `memchr`, slow on short slices).
            bytes.iter().fold(false, |q, &b| q | (b == delim))
        } else {
            memchr::memchr(delim, bytes).is_some()
        };
        match bytes {
            _ if quote => push_csv_field(self.buf, bytes, self.delim),
            [b] => self.buf.push(*b),
            _ => self.buf.extend_from_slice(bytes),
        }
    }

    fn cell(&mut self, cell: Cell<'a>) {
        if self.in_row > 0 {
            self.buf.push(self.delim);
        }
        self.in_row += 1;
        push_csv_field(self.buf, cell_text(&cell).as_bytes(), self.delim);
    }

    /// A row of strings without escapes, written tightly: `["a","b,c","1"]` with nothing
    /// between its tokens (as services send them) gives `a,"b,c",1`. Anything else in the
    /// row (an escape, a space, `null`) leaves it to the cell-by-cell path.
    fn row(&mut self, b: &'a [u8], mut i: usize) -> Option<usize> {
        let (delim, start) = (self.delim, self.buf.len());
        let mut cells = 0;
        let end = loop {
            if b.get(i) != Some(&b'"') {
                break None;
            }
            let s = i + 1;
            let e = scan::plain_end(b, s);
            if b.get(e) != Some(&b'"') {
                break None;
            }
            if cells > 0 {
                self.buf.push(delim);
            }
            cells += 1;
            match &b[s..e] {
                &[c] if c != delim => self.buf.push(c),
                text if text.len() > 1 && memchr::memchr(delim, text).is_none() => {
                    self.buf.extend_from_slice(text)
                }
                // The delimiter calls for quotes; an empty cell may be the whole row.
                text => push_csv_field(self.buf, text, delim),
            }
            match b.get(e + 1) {
                Some(b',') => i = e + 2,
                Some(b']') => break Some(e + 2),
                _ => break None,
            }
        };
        if end.is_none() {
            self.buf.truncate(start);
            return None;
        }
        self.in_row = cells;
        self.row_end();
        end
    }

    fn row_end(&mut self) {
        // One empty cell is written `""`: a blank line would be skipped when read back.
        if self.in_row == 1 && self.buf.len() == self.row_at {
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        self.row_at = self.buf.len();
        let len = std::mem::take(&mut self.in_row);
        let want = *self.want.get_or_insert(len);
        self.first.get_or_insert(len);
        if len != want && self.odd.is_none() {
            self.odd = Some(len);
        }
        self.rows += 1;
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
