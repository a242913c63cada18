//! Rows for the typed protocols (MLflow, Azure ML, v2, KServe v1): the cells of each row kept
//! as read, with its raw input and lines, so that a protocol can type and encode them, a
//! refused batch can be split down to its refused rows, and kept input columns can be copied
//! verbatim into the output. Rows are read by the same readers as classic bodies (CSV, TSV,
//! JSON rows, `--record`, with their `FILE:LINE:COLUMN` errors and `--failed-rows` framing),
//! one row per classic body, which is decoded back into cells here. Knows nothing of any
//! protocol: the body of a batch is written by an [`EncodeRows`].

use super::{Batch, BatchSource, BatchSpec, Framing, Lines, Remainder, Source};
use anyhow::{Context, Result};
use bytes::Bytes;
use serde_json::Value;
use std::ops::Range;
use std::sync::Arc;

/// One input cell, as read (borrowed from its [`RowSet`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InCell<'a> {
    /// A CSV or TSV field, a `--record` value or a JSON string.
    Text(&'a str),
    /// A JSON number or boolean of a JSON input, as serde writes it.
    Lit(&'a str),
    /// A JSON `null`, or a key a JSON row leaves out.
    Null,
}

impl<'a> InCell<'a> {
    /// The cell as text: what a kept input column shows.
    pub fn text(self) -> &'a str {
        match self {
            InCell::Text(s) | InCell::Lit(s) => s,
            InCell::Null => "",
        }
    }

    /// No value: `null`, or an empty CSV field.
    pub fn is_empty(self) -> bool {
        match self {
            InCell::Null => true,
            InCell::Text(s) => s.is_empty(),
            InCell::Lit(_) => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Lit,
    Null,
}

/// Where a cell's text lies in [`RowSet`]'s `text` (8 bytes: the cells of a batch are read
/// three times, and by two threads). A set is flushed into batches before its text reaches
/// the body limit, far below 4 GiB.
#[derive(Debug, Clone, Copy)]
struct At {
    start: u32,
    end: u32,
}

impl At {
    fn new(start: usize, end: usize) -> Self {
        let offset = |o: usize| u32::try_from(o).expect("a row set's text is under 4 GiB");
        At {
            start: offset(start),
            end: offset(end),
        }
    }

    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The rows of one batch: every cell's text in one buffer (no allocation per cell), each
/// row's raw input in another.
#[derive(Debug, Clone, Default)]
pub struct RowSet {
    pub columns: Arc<[String]>,
    text: String,
    cells: Vec<At>,
    /// The kind of each cell, when any is not [`Kind::Text`] (CSV cells all are: then empty).
    kinds: Vec<Kind>,
    /// The rows' raw input while rows are read; moved into `frozen` once the set is whole,
    /// so that each batch's raw input is a slice of it, not a copy.
    raw: Vec<u8>,
    frozen: Bytes,
    /// Where each row's raw input ends in `raw`.
    raw_ends: Vec<usize>,
    lines: Vec<Lines>,
    /// The input position after each row.
    ends: Vec<u64>,
    /// What each row's line was ([`Line`]), and the delimiter of the plain ones.
    plain: Vec<Line>,
    delim: Option<u8>,
}

impl RowSet {
    pub fn new(columns: Arc<[String]>) -> Self {
        RowSet {
            columns,
            ..RowSet::default()
        }
    }

    /// An empty set with room for as much as `like` holds.
    fn like(like: &RowSet) -> Self {
        RowSet {
            columns: like.columns.clone(),
            text: String::with_capacity(like.text.len()),
            cells: Vec::with_capacity(like.cells.len()),
            kinds: Vec::new(),
            raw: Vec::with_capacity(like.raw.len().max(like.frozen.len())),
            frozen: Bytes::new(),
            raw_ends: Vec::with_capacity(like.len()),
            lines: Vec::with_capacity(like.len()),
            ends: Vec::with_capacity(like.len()),
            plain: Vec::with_capacity(like.len()),
            delim: like.delim,
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// Cell `n` of the set (rows one after the other).
    fn get(&self, n: usize) -> InCell<'_> {
        let text = || {
            self.text
                .get(self.cells[n].range())
                .expect("cells lie between the text's characters")
        };
        match self.kinds.get(n).copied().unwrap_or(Kind::Text) {
            Kind::Text => InCell::Text(text()),
            Kind::Lit => InCell::Lit(text()),
            Kind::Null => InCell::Null,
        }
    }

    /// Row `i`'s cells, one per column (the tests' view; the protocols read
    /// [`RowSet::texts`] and [`RowSet::cell`]).
    #[cfg(test)]
    pub fn row(&self, i: usize) -> impl ExactSizeIterator<Item = InCell<'_>> + Clone + '_ {
        let w = self.width();
        (i * w..(i + 1) * w).map(|n| self.get(n))
    }

    /// The length of the text of the cells read so far.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Row `i`'s cells as bytes (valid UTF-8), empty for no value (`null` or an empty field):
    /// all that typing and writing bodies need, read faster than [`RowSet::row`].
    #[inline]
    pub fn texts(&self, i: usize) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        let w = self.width();
        let text = self.text.as_bytes();
        self.cells[i * w..(i + 1) * w]
            .iter()
            .map(move |at| &text[at.range()])
    }

    /// [`RowSet::texts`] with each cell's first eight bytes as a little-endian word (the bytes
    /// after a shorter cell's end are whatever follows it), when eight bytes follow its start
    /// in the set's text: for checks eight bytes at a time.
    #[inline]
    pub fn texts_words(
        &self,
        i: usize,
    ) -> impl ExactSizeIterator<Item = (&[u8], Option<u64>)> + '_ {
        let w = self.width();
        let text = self.text.as_bytes();
        self.cells[i * w..(i + 1) * w].iter().map(move |at| {
            let start = at.start as usize;
            let word = text
                .get(start..start + 8)
                .map(|b| u64::from_le_bytes(b.try_into().expect("eight bytes")));
            (&text[at.range()], word)
        })
    }

    /// Row `i`'s cell of column `c` as [`RowSet::texts`] gives it.
    #[inline]
    pub fn text_at(&self, i: usize, c: usize) -> &[u8] {
        &self.text.as_bytes()[self.cells[i * self.width() + c].range()]
    }

    /// Row `i`'s cell of column `c`.
    pub fn cell(&self, i: usize, c: usize) -> InCell<'_> {
        self.get(i * self.width() + c)
    }

    /// Appends a cell to the row being read.
    pub fn push_cell(&mut self, cell: InCell<'_>) {
        let (text, kind) = match cell {
            InCell::Text(s) => (s, Kind::Text),
            InCell::Lit(s) => (s, Kind::Lit),
            InCell::Null => ("", Kind::Null),
        };
        if kind != Kind::Text || !self.kinds.is_empty() {
            self.kinds.resize(self.cells.len(), Kind::Text);
            self.kinds.push(kind);
        }
        let start = self.text.len();
        self.text.push_str(text);
        self.cells.push(At::new(start, self.text.len()));
    }

    /// Appends text cells to the row being read: `fields` are ranges of `text`.
    pub fn push_fields(&mut self, text: &str, fields: impl Iterator<Item = Range<usize>>) {
        let base = self.text.len();
        self.text.push_str(text);
        let before = self.cells.len();
        self.cells
            .extend(fields.map(|f| At::new(base + f.start, base + f.end)));
        if !self.kinds.is_empty() {
            self.kinds
                .resize(self.kinds.len() + self.cells.len() - before, Kind::Text);
        }
    }

    /// Starts appending rows that are plain lines of one stretch of the input, read many at a
    /// time: [`PlainLines::row`] for each, then [`PlainLines::finish`] with the stretch, whose
    /// text and raw input are copied in one piece each (not line by line).
    pub fn plain_lines(&mut self, delim: u8) -> PlainLines<'_> {
        PlainLines {
            text_base: self.text.len(),
            raw_base: self.raw.len(),
            delim,
            set: self,
        }
    }

    /// Row `i` as a CSV line, when it was a plain line ([`PlainLines::row`]) and `delim` was
    /// its delimiter: its cells written as CSV with `delim` (none needs quotes).
    pub fn plain_line(&self, i: usize, delim: u8) -> Option<&str> {
        let w = self.width();
        self.joined(i, 0..w, delim)
    }

    /// Cells `cols` (not empty) of row `i` with `delim` between them, when the row was a plain
    /// line split at `delim`: a slice of it.
    #[inline]
    pub fn joined(&self, i: usize, cols: Range<usize>, delim: u8) -> Option<&str> {
        let w = self.width();
        if self.plain[i] < Line::Plain || self.delim != Some(delim) || cols.is_empty() {
            return None;
        }
        let (first, last) = (
            self.cells[i * w + cols.start],
            self.cells[i * w + cols.end - 1],
        );
        self.text.get(first.start as usize..last.end as usize)
    }

    /// Whether row `i` was a plain line split at `delim` none of whose cells needs escaping in
    /// a JSON string: each goes between quotes as it is, and [`RowSet::joined`] gives runs.
    #[inline]
    pub fn json_clean(&self, i: usize, delim: u8) -> bool {
        self.plain[i] == Line::Clean && self.delim == Some(delim)
    }

    /// Ends the row being read (its cells must be as many as the columns): its raw input,
    /// lines, and the input position `end` after it.
    pub fn end_row(&mut self, raw: &[u8], lines: Lines, end: u64) {
        debug_assert!(
            self.columns.is_empty() || self.cells.len() == (self.len() + 1) * self.width()
        );
        self.raw.extend_from_slice(raw);
        self.raw_ends.push(self.raw.len());
        self.plain.push(Line::Other);
        self.lines.push(lines);
        self.ends.push(end);
    }

    /// The input lines of rows `range`.
    pub fn lines(&self, range: &Range<usize>) -> Lines {
        match (self.lines.get(range.start), range.end.checked_sub(1)) {
            (Some(first), Some(last)) if range.end > range.start => Lines {
                first: first.first,
                last: self.lines[last].last,
            },
            _ => Lines { first: 1, last: 0 },
        }
    }

    /// The raw input of rows `range`, as one `--failed-rows` chunk.
    pub fn raw(&self, range: &Range<usize>) -> Bytes {
        if range.is_empty() {
            return Bytes::new();
        }
        let start = match range.start {
            0 => 0,
            i => self.raw_ends[i - 1],
        };
        let bytes = start..self.raw_ends[range.end - 1];
        if self.raw.is_empty() {
            self.frozen.slice(bytes)
        } else {
            Bytes::copy_from_slice(&self.raw[bytes])
        }
    }

    /// Ends reading rows into this set: their raw input is shared from now on.
    fn freeze(&mut self) {
        self.frozen = std::mem::take(&mut self.raw).into();
    }
}

/// Rows being appended by [`RowSet::plain_lines`]: their cells and bookkeeping first, the
/// stretch of input they were read from last (until then the set is not whole).
#[must_use = "the rows' text is only added by `finish`"]
pub struct PlainLines<'s> {
    set: &'s mut RowSet,
    text_base: usize,
    raw_base: usize,
    delim: u8,
}

impl PlainLines<'_> {
    /// A row: its line starts at `line` in the stretch; its cells are `fields` (ranges of the
    /// line). `plain`: `Some(clean)` when they split the line at each delimiter (from its
    /// start to its end, none holding a quote, a CR or a line break): written back as CSV
    /// with the same delimiter, they make the line again ([`RowSet::plain_line`]); `clean`:
    /// no byte of the line is escaped in a JSON string (no backslash, no C0 control but the
    /// delimiter), as [`RowSet::json_clean`] tells. `None` when they are not the whole line
    /// (quoted fields). Its raw input (the line and its break) ends at `raw_end` in the
    /// stretch; `lines` and `end` as for [`RowSet::end_row`].
    #[inline]
    pub fn row(
        &mut self,
        line: usize,
        fields: impl Iterator<Item = Range<usize>>,
        plain: Option<bool>,
        raw_end: usize,
        lines: Lines,
        end: u64,
    ) {
        let set = &mut *self.set;
        let base = self.text_base + line;
        set.cells
            .extend(fields.map(|f| At::new(base + f.start, base + f.end)));
        debug_assert!(set.columns.is_empty() || set.cells.len() == (set.len() + 1) * set.width());
        set.plain
            .push(match (set.delim.is_none_or(|d| d == self.delim), plain) {
                (false, _) | (_, None) => Line::Other,
                (true, Some(false)) => Line::Plain,
                (true, Some(true)) => Line::Clean,
            });
        if plain.is_some() {
            set.delim = Some(self.delim);
        }
        set.raw_ends.push(self.raw_base + raw_end);
        set.lines.push(lines);
        set.ends.push(end);
    }

    /// Adds the stretch of input the rows were read from (whole lines, from the first row's
    /// line to the last one's break): the set is whole again.
    pub fn finish(self, stretch: &str) {
        self.set.text.push_str(stretch);
        self.set.raw.extend_from_slice(stretch.as_bytes());
    }
}

/// What a row's line was, as [`PlainLines::row`] was told.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
enum Line {
    /// Not a plain line (quoted fields, JSON, a record): its cells were unquoted or decoded.
    #[default]
    Other,
    /// A plain CSV line: its cells joined by the delimiter make it again.
    Plain,
    /// A plain line none of whose bytes is escaped in a JSON string (no backslash, no C0
    /// control but the delimiter).
    Clean,
}

/// Rows `range` of a shared [`RowSet`]: what a batch of a typed protocol was made of.
#[derive(Debug, Clone)]
pub struct TypedRows {
    pub set: Arc<RowSet>,
    pub range: Range<usize>,
}

impl TypedRows {
    pub fn len(&self) -> usize {
        self.range.len()
    }

    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }

    pub fn lines(&self) -> Lines {
        self.set.lines(&self.range)
    }

    pub fn raw(&self) -> Bytes {
        self.set.raw(&self.range)
    }

    /// The input position after the last of these rows.
    pub fn end(&self) -> u64 {
        self.range
            .end
            .checked_sub(1)
            .and_then(|i| self.set.ends.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// The length of these rows' cell text (with what lies between their cells).
    pub fn text_len(&self) -> usize {
        let w = self.set.width();
        if self.range.is_empty() || w == 0 {
            return 0;
        }
        let first = self.set.cells[self.range.start * w];
        let last = self.set.cells[self.range.end * w - 1];
        (last.end - first.start) as usize
    }

    /// The first and second half (the first one larger when the count is odd).
    pub fn halves(&self) -> (TypedRows, TypedRows) {
        let mid = self.range.start + self.range.len().div_ceil(2);
        let part = |range| TypedRows {
            set: self.set.clone(),
            range,
        };
        (part(self.range.start..mid), part(mid..self.range.end))
    }
}

/// Writes the request body of some rows: the protocol's part of making a batch.
pub trait EncodeRows: Send + Sync {
    fn encode(&self, rows: &TypedRows, out: &mut Vec<u8>) -> Result<()>;
}

/// A batch of `rows`, its body written by `enc`.
pub fn typed_batch(index: u64, rows: TypedRows, enc: &dyn EncodeRows) -> Result<Batch> {
    // Room for the cells and, per cell, a separator and quotes or `null`: a body is written
    // without growing its buffer again and again (each growth copies it).
    let mut body =
        Vec::with_capacity(rows.text_len() + rows.len() * (rows.set.width() * 4 + 8) + 256);
    enc.encode(&rows, &mut body)?;
    Ok(Batch {
        index,
        lines: rows.lines(),
        rows: rows.len(),
        body: body.into(),
        raw: rows.raw(),
        end: rows.end(),
        typed: Some(rows),
    })
}

/// Rows one at a time, as cells.
pub(super) trait RowRead: Send {
    /// The columns (known once the first row, or a CSV header, is read).
    fn columns(&self) -> &[String];
    /// Appends the next rows to `set`, at least one and at most `max` (the cells of each, then
    /// [`RowSet::end_row`]); 0 at the end of the input. (The set's columns may be unset until
    /// the first row is read.)
    fn next_rows(&mut self, set: &mut RowSet, max: usize) -> Result<usize>;
    fn failed_head(&self) -> Bytes;
    fn framing(&self) -> Framing;
    fn first_line(&self) -> u64;
    fn into_remainder(self: Box<Self>) -> Option<Remainder>;
}

/// Opens an input as batches of typed rows: at most `max_rows` rows each, and bodies of at
/// most `max_body` bytes (a batch whose body is larger is cut in halves until each fits).
/// `at` as for [`super::open_at`]. CSV and TSV rows are read straight into cells (plain lines
/// from the read buffer, others record by record); JSON rows and `--record` through the
/// classic readers (`ClassicRows`), as one-row bodies decoded again; a differential test
/// keeps all alike.
pub fn open(
    source: Source,
    max_rows: usize,
    max_body: usize,
    enc: Arc<dyn EncodeRows>,
    start: (super::Start, Option<u8>),
) -> Result<Box<dyn BatchSource>> {
    open_with(source, max_rows, max_body, enc, start, (64 * 1024, true))
}

/// [`open`] with a CSV read buffer of `buffer` bytes, its fast path on or off.
pub(crate) fn open_with(
    source: Source,
    max_rows: usize,
    max_body: usize,
    enc: Arc<dyn EncodeRows>,
    (at, delimiter): (super::Start, Option<u8>),
    csv: (usize, bool),
) -> Result<Box<dyn BatchSource>> {
    // A row's limit bounds its memory; the typed body's own limit is checked per batch.
    let max_record = max_body.saturating_mul(2).saturating_add(64 * 1024);
    let name = match &source {
        Source::Reader { name, .. } => name.clone(),
        Source::Record(_) => "--record".into(),
    };
    let rows: Box<dyn RowRead> = match source {
        Source::Reader {
            reader,
            name,
            format: format @ (super::InputFormat::Csv | super::InputFormat::Tsv),
        } => {
            let delim = match (format, delimiter) {
                (super::InputFormat::Tsv, _) => b'\t',
                (_, Some(d)) => d,
                _ => b',',
            };
            Box::new(super::csv_in::rows(
                reader, name, delim, max_record, at, csv,
            )?)
        }
        other => Box::new(ClassicRows::open(other, max_record, (at, delimiter))?),
    };
    Ok(Box::new(TypedSource {
        rows,
        name,
        enc,
        max_rows: max_rows.max(1),
        max_body,
        columns: None,
        pending: RowSet::default(),
        ready: std::collections::VecDeque::new(),
        next_index: 0,
        done: false,
    }))
}

/// [`open`] through the classic readers whatever the input: the general path that the direct
/// CSV reader is checked against.
#[cfg(test)]
fn open_classic(
    source: Source,
    max_rows: usize,
    max_body: usize,
    enc: Arc<dyn EncodeRows>,
) -> Result<Box<dyn BatchSource>> {
    let name = "in".to_string();
    let max_record = max_body.saturating_mul(2).saturating_add(64 * 1024);
    Ok(Box::new(TypedSource {
        rows: Box::new(ClassicRows::open(source, max_record, Default::default())?),
        name,
        enc,
        max_rows,
        max_body,
        columns: None,
        pending: RowSet::default(),
        ready: std::collections::VecDeque::new(),
        next_index: 0,
        done: false,
    }))
}

/// Rows through the classic readers: one-row classic bodies, decoded back into cells.
struct ClassicRows {
    inner: Box<dyn BatchSource>,
    columns: Vec<String>,
}

impl ClassicRows {
    fn open(
        source: Source,
        max_record: usize,
        (at, delimiter): (super::Start, Option<u8>),
    ) -> Result<Self> {
        let one_row = BatchSpec {
            input_name: "input1".into(),
            swagger: false,
            max_rows: 1,
            max_body: max_record,
            params: vec![],
            delimiter,
        };
        Ok(ClassicRows {
            inner: super::open_at(source, &one_row, at)?,
            columns: Vec::new(),
        })
    }
}

impl RowRead for ClassicRows {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn next_rows(&mut self, set: &mut RowSet, _max: usize) -> Result<usize> {
        loop {
            let Some(one) = self.inner.next_batch()? else {
                return Ok(0);
            };
            let (columns, rows) = decode_classic(&one.body)
                .with_context(|| format!("cannot read input {}", one.lines))?;
            if self.columns.is_empty() {
                self.columns = columns;
            } else if self.columns != columns {
                return Err(crate::usage!(
                    "input {} has other columns than the rows before it",
                    one.lines
                ));
            }
            // A header-only input's batch has no row: nothing to send.
            if let Some(row) = rows.into_iter().next() {
                for cell in row {
                    set.push_cell(cell.as_in());
                }
                set.end_row(&one.raw, one.lines, one.end);
                return Ok(1);
            }
        }
    }

    fn failed_head(&self) -> Bytes {
        self.inner.failed_head()
    }

    fn framing(&self) -> Framing {
        self.inner.framing()
    }

    fn first_line(&self) -> u64 {
        self.inner.first_line()
    }

    fn into_remainder(self: Box<Self>) -> Option<Remainder> {
        self.inner.into_remainder()
    }
}

struct TypedSource {
    rows: Box<dyn RowRead>,
    /// The input's name for messages.
    name: String,
    enc: Arc<dyn EncodeRows>,
    max_rows: usize,
    max_body: usize,
    columns: Option<Arc<[String]>>,
    /// Rows read but not yet in a batch.
    pending: RowSet,
    /// Batches made but not yet returned (the halves of a body that was too large).
    ready: std::collections::VecDeque<Batch>,
    next_index: u64,
    done: bool,
}

impl TypedSource {
    /// Makes batches of the pending rows, halving any whose body is over the limit.
    fn flush(&mut self) -> Result<()> {
        let next = RowSet::like(&self.pending);
        let mut set = std::mem::replace(&mut self.pending, next);
        set.freeze();
        let set = Arc::new(set);
        let mut todo = vec![TypedRows {
            range: 0..set.len(),
            set,
        }];
        while let Some(rows) = todo.pop() {
            let batch = typed_batch(self.next_index, rows.clone(), self.enc.as_ref())?;
            if batch.body.len() > self.max_body {
                if rows.len() == 1 {
                    return Err(super::input_error(
                        &self.name,
                        rows.lines().first,
                        None,
                        format!(
                            "this row cannot fit in one request: its body is {} bytes, over the {} the requests are kept under",
                            batch.body.len(),
                            self.max_body
                        ),
                    ));
                }
                let (a, b) = rows.halves();
                todo.push(b);
                todo.push(a);
                continue;
            }
            self.next_index += 1;
            self.ready.push_back(batch);
        }
        Ok(())
    }
}

impl BatchSource for TypedSource {
    fn next_batch(&mut self) -> Result<Option<Batch>> {
        loop {
            if let Some(b) = self.ready.pop_front() {
                return Ok(Some(b));
            }
            if self.done {
                return Ok(None);
            }
            let room = self.max_rows.saturating_sub(self.pending.len()).max(1);
            if self.rows.next_rows(&mut self.pending, room)? == 0 {
                self.done = true;
                // Never an empty batch: the servers refuse them (spec/adapters.md §0).
                if !self.pending.is_empty() {
                    self.flush()?;
                }
                continue;
            };
            if self.columns.is_none() {
                let c: Arc<[String]> = self.rows.columns().to_vec().into();
                self.columns = Some(c.clone());
                self.pending.columns = c;
            }
            // A set's text (its cells, and the line breaks between plain lines) is about no
            // larger than its body: past the body limit it is cut anyway.
            if self.pending.len() >= self.max_rows || self.pending.text_len() >= self.max_body {
                self.flush()?;
            }
        }
    }

    fn swagger(&self) -> bool {
        false
    }

    fn failed_head(&self) -> Bytes {
        self.rows.failed_head()
    }

    fn framing(&self) -> Framing {
        self.rows.framing()
    }

    fn first_line(&self) -> u64 {
        self.rows.first_line()
    }

    fn into_remainder(self: Box<Self>) -> Option<Remainder> {
        let mut pending: Vec<u8> = Vec::new();
        for b in &self.ready {
            pending.extend_from_slice(&b.raw);
        }
        if !self.pending.is_empty() {
            pending.extend_from_slice(&self.pending.raw(&(0..self.pending.len())));
        }
        match self.rows.into_remainder() {
            Some(mut rem) => {
                pending.extend_from_slice(&rem.pending);
                rem.pending = pending;
                Some(rem)
            }
            None if pending.is_empty() => None,
            None => Some(Remainder {
                pending,
                rest: Box::new(std::io::empty()),
            }),
        }
    }
}

/// A cell decoded from a classic body.
enum OwnedCell {
    Text(String),
    Lit(String),
    Null,
}

impl OwnedCell {
    fn as_in(&self) -> InCell<'_> {
        match self {
            OwnedCell::Text(s) => InCell::Text(s),
            OwnedCell::Lit(s) => InCell::Lit(s),
            OwnedCell::Null => InCell::Null,
        }
    }
}

/// The columns and rows of a classic table body `{"Inputs":{NAME:{"ColumnNames","Values"}}}`
/// (or of row objects, `{"Inputs":{NAME:[{...}]}}`), as made by the readers.
fn decode_classic(body: &[u8]) -> Result<(Vec<String>, Vec<Vec<OwnedCell>>)> {
    let v: Value = serde_json::from_slice(body).context("not a table body")?;
    let input = v
        .get("Inputs")
        .and_then(Value::as_object)
        .and_then(|m| m.values().next())
        .ok_or_else(|| anyhow::anyhow!("no input table"))?;
    let cell = |v: &Value| match v {
        Value::String(s) => OwnedCell::Text(s.clone()),
        Value::Null => OwnedCell::Null,
        other => OwnedCell::Lit(other.to_string()),
    };
    if let Some(rows) = input.as_array() {
        // A whole request body of swagger rows: the columns are the first row's keys.
        let columns: Vec<String> = rows
            .first()
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        let rows = rows
            .iter()
            .map(|r| {
                columns
                    .iter()
                    .map(|c| r.get(c).map_or(OwnedCell::Null, cell))
                    .collect()
            })
            .collect();
        return Ok((columns, rows));
    }
    let columns: Vec<String> = input
        .get("ColumnNames")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|c| c.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    let rows = input
        .get("Values")
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    let r = r.as_array().map(Vec::as_slice).unwrap_or_default();
                    (0..columns.len())
                        .map(|i| r.get(i).map_or(OwnedCell::Null, cell))
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((columns, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::InputFormat;

    /// Encodes the rows as `first-line:last-line` of each, for the tests.
    struct Lines_;
    impl EncodeRows for Lines_ {
        fn encode(&self, rows: &TypedRows, out: &mut Vec<u8>) -> Result<()> {
            for i in rows.range.clone() {
                let cells: Vec<&str> = rows.set.row(i).map(InCell::text).collect();
                out.extend_from_slice(cells.join("|").as_bytes());
                out.push(b';');
            }
            Ok(())
        }
    }

    fn batches(input: &str, format: InputFormat, max_rows: usize, max_body: usize) -> Vec<Batch> {
        let source = Source::Reader {
            reader: Box::new(std::io::Cursor::new(input.as_bytes().to_vec())),
            name: "in".into(),
            format,
        };
        let mut src = open(
            source,
            max_rows,
            max_body,
            Arc::new(Lines_),
            Default::default(),
        )
        .unwrap();
        let mut out = vec![];
        while let Some(b) = src.next_batch().unwrap() {
            out.push(b);
        }
        out
    }

    #[test]
    fn csv_rows_keep_their_cells_raw_input_and_lines() {
        let got = batches("a,b\n1,x\n\"2\n3\",\n4,z\n", InputFormat::Csv, 2, 1000);
        assert_eq!(got.len(), 2);
        assert_eq!(&got[0].body[..], b"1|x;2\n3|;");
        assert_eq!(&got[0].raw[..], b"1,x\n\"2\n3\",\n");
        assert_eq!(got[0].lines, Lines { first: 2, last: 4 });
        assert_eq!(got[1].lines, Lines { first: 5, last: 5 });
        let t = got[0].typed.as_ref().unwrap();
        assert_eq!(t.set.cell(1, 1), InCell::Text(""));
        assert_eq!((got[0].index, got[1].index), (0, 1));
    }

    #[test]
    fn json_rows_keep_their_json_types() {
        let got = batches(
            r#"[{"a": 1.5, "b": "x", "c": true}, {"a": null, "b": "y"}]"#,
            InputFormat::Json,
            10,
            1000,
        );
        let t = got[0].typed.as_ref().unwrap();
        assert_eq!(
            t.set.row(0).collect::<Vec<_>>(),
            [InCell::Lit("1.5"), InCell::Text("x"), InCell::Lit("true")]
        );
        assert_eq!(t.set.cell(1, 0), InCell::Null);
        assert_eq!(t.set.cell(1, 2), InCell::Null);
    }

    #[test]
    fn bodies_over_the_limit_are_halved_and_a_header_only_input_makes_no_batch() {
        let got = batches("a\n1111\n2222\n3333\n4444\n", InputFormat::Csv, 4, 10);
        let sizes: Vec<usize> = got.iter().map(|b| b.rows).collect();
        assert_eq!(sizes, [2, 2]);
        assert_eq!(
            got.iter().map(|b| b.index).collect::<Vec<_>>(),
            [0, 1],
            "indexes in order"
        );
        assert!(batches("a,b\n", InputFormat::Csv, 4, 100).is_empty());
    }

    /// Everything a source makes, as text: batches (lines, rows, end, body, raw), the error
    /// that stopped it, and what it leaves for `--failed-rows`.
    fn describe(src: Result<Box<dyn BatchSource>>) -> String {
        let mut src = match src {
            Ok(s) => s,
            Err(e) => return format!("open: {e:#}"),
        };
        let mut out = String::new();
        loop {
            match src.next_batch() {
                Ok(Some(b)) => {
                    out += &format!(
                        "{:?} {} {} {:?} {:?}\n",
                        b.lines,
                        b.rows,
                        b.end,
                        String::from_utf8_lossy(&b.body),
                        String::from_utf8_lossy(&b.raw)
                    )
                }
                Ok(None) => break,
                Err(e) => {
                    out += &format!("error: {e:#}\n");
                    break;
                }
            }
        }
        out += &format!("head {:?} {:?}\n", src.failed_head(), src.first_line());
        if let Some(mut rem) = src.into_remainder() {
            let mut rest = Vec::new();
            std::io::Read::read_to_end(&mut rem.rest, &mut rest).unwrap();
            out += &format!(
                "rest {:?} {:?}",
                String::from_utf8_lossy(&rem.pending),
                String::from_utf8_lossy(&rest)
            );
        }
        out
    }

    #[test]
    fn csv_rows_read_directly_are_what_the_classic_readers_make() {
        let pieces: &[&[u8]] = &[
            b"a",
            b"bc",
            b" ",
            b",",
            b"\"",
            b"\"\"",
            b"\n",
            b"\n",
            b"\r\n",
            b"\r",
            b"\t",
            "\u{e9}".as_bytes(),
            b"\xff",
            b"1",
            b"2.5",
            b"",
        ];
        let mut rng = fastrand::Rng::with_seed(31);
        for round in 0..2000 {
            let width = rng.usize(1..4);
            let mut input = (0..width)
                .map(|i| format!("c{i}"))
                .collect::<Vec<_>>()
                .join(",")
                .into_bytes();
            input.push(b'\n');
            for _ in 0..rng.usize(0..25) {
                for f in 0..width {
                    if f > 0 {
                        input.push(b',');
                    }
                    let quoted = rng.u8(..4) == 0;
                    if quoted {
                        input.push(b'"');
                    }
                    for _ in 0..rng.usize(0..4) {
                        let odd = rng.u8(..8) == 0;
                        let piece = if odd {
                            pieces[rng.usize(..pieces.len())]
                        } else {
                            pieces[rng.usize(..2)]
                        };
                        input.extend_from_slice(piece);
                    }
                    if quoted {
                        input.push(b'"');
                    }
                }
                input.push(b'\n');
            }
            let max_rows = rng.usize(1..5);
            let max_body = if rng.bool() { 60 } else { 10_000 };
            let source = |input: &[u8]| Source::Reader {
                reader: Box::new(std::io::Cursor::new(input.to_vec())),
                name: "in".into(),
                format: InputFormat::Csv,
            };
            let buffer = [8, 16, 64, 64 * 1024][rng.usize(..4)];
            let direct = describe(open_with(
                source(&input),
                max_rows,
                max_body,
                Arc::new(Lines_),
                Default::default(),
                (buffer, rng.u8(..4) > 0),
            ));
            let classic = describe(open_classic(
                source(&input),
                max_rows,
                max_body,
                Arc::new(Lines_),
            ));
            assert_eq!(
                direct,
                classic,
                "round {round}: {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }

    #[test]
    fn plain_lines_are_read_many_at_a_time_and_others_one_by_one() {
        let input = "a,b\n1,x\n2,\"y\"\n3,\"z\"\"\"\n4,w\n";
        let mut rows = crate::table::csv_in::rows(
            std::io::Cursor::new(input.as_bytes().to_vec()),
            "in".into(),
            b',',
            1 << 20,
            Default::default(),
            (64 * 1024, true),
        )
        .unwrap();
        let mut set = RowSet::new(Arc::from(vec!["a".to_string(), "b".to_string()]));
        // Two plain lines at once (a quoted field without quotes inside is plain), then the
        // one with an escaped quote alone, then the rest.
        let counts: Vec<usize> =
            std::iter::from_fn(|| Some(rows.next_rows(&mut set, 10).unwrap()).filter(|&n| n > 0))
                .collect();
        assert_eq!(counts, [2, 1, 1]);
        let cells: Vec<Vec<&str>> = (0..set.len())
            .map(|r| set.row(r).map(InCell::text).collect())
            .collect();
        assert_eq!(cells, [["1", "x"], ["2", "y"], ["3", "z\""], ["4", "w"]]);
        assert_eq!(&set.raw(&(1..3))[..], b"2,\"y\"\n3,\"z\"\"\"\n");
    }

    #[test]
    fn joined_rows_written_straight_are_what_writing_the_joined_output_makes() {
        use crate::table::{Cell, Output, OutputFormat, RowWriter};
        use std::borrow::Cow;
        let pieces = [
            "a", "7", "-2.5", " ", ",", ";", "\"\"", "\t", "x y", "\u{e9}",
        ];
        let mut rng = fastrand::Rng::with_seed(17);
        for round in 0..1500 {
            let in_delim = [b',', b';', b'\t'][rng.usize(..3)];
            let width = rng.usize(1..4);
            let mut input = (0..width)
                .map(|i| format!("c{i}"))
                .collect::<Vec<_>>()
                .join(&(in_delim as char).to_string());
            input.push('\n');
            for _ in 0..rng.usize(1..12) {
                for f in 0..width {
                    if f > 0 {
                        input.push(in_delim as char);
                    }
                    let quoted = rng.u8(..5) == 0;
                    let text: String = (0..rng.usize(0..3))
                        .map(|_| pieces[rng.usize(..pieces.len())])
                        .filter(|p| quoted || !p.contains(['"', in_delim as char]))
                        .collect();
                    if quoted {
                        input.push('"');
                    }
                    input.push_str(&text);
                    if quoted {
                        input.push('"');
                    }
                }
                input.push_str(if rng.u8(..6) == 0 { "\r\n" } else { "\n" });
            }
            let format = if in_delim == b'\t' {
                InputFormat::Tsv
            } else {
                InputFormat::Csv
            };
            let source = Source::Reader {
                reader: Box::new(std::io::Cursor::new(input.clone().into_bytes())),
                name: "in".into(),
                format,
            };
            let delim = (in_delim != b'\t').then_some(in_delim);
            let mut src = open_with(
                source,
                rng.usize(1..5),
                1 << 20,
                Arc::new(Lines_),
                (Default::default(), delim),
                ([16, 64 * 1024][rng.usize(..2)], rng.bool()),
            )
            .unwrap();
            let (out_format, out_delim) = match rng.u8(..4) {
                0 => (OutputFormat::Tsv, None),
                1 => (OutputFormat::Csv, Some(b';')),
                2 => (OutputFormat::Csv, None),
                _ => (OutputFormat::Csv, delim),
            };
            let kept: Vec<usize> = match rng.u8(..3) {
                0 => (0..width).collect(),
                1 => vec![],
                _ => (0..width).rev().filter(|_| rng.bool()).collect(),
            };
            let k = rng.usize(0..3);
            let writer = || RowWriter::new(out_format, Vec::new()).with_delimiter(out_delim);
            let (mut straight, mut general) = (writer(), writer());
            while let Some(batch) = src.next_batch().unwrap() {
                let rows = batch.typed.as_ref().unwrap();
                let cells = (0..rows.len() * k)
                    .map(|i| match rng.u8(..4) {
                        0 => Cell::Null,
                        1 => Cell::Lit(Cow::Owned(i.to_string())),
                        _ => Cell::Str(Cow::Borrowed(pieces[rng.usize(..pieces.len())])),
                    })
                    .collect();
                let ends = (1..=rows.len()).map(|r| r * k).collect();
                let names = (0..k).map(|i| format!("p{i}")).collect();
                let pred = Output::from_flat(Some(names), cells, ends);
                let columns: Vec<String> = kept
                    .iter()
                    .map(|&c| rows.set.columns[c].clone())
                    .chain(pred.columns.iter().flatten().cloned())
                    .collect();
                straight
                    .write_joined(columns.clone(), rows, &kept, &pred)
                    .unwrap();
                let joined = crate::table::output::join(columns, rows, &kept, &pred);
                general.write(&joined, rows.len(), rows.lines()).unwrap();
            }
            let (a, b) = (straight.finish().unwrap(), general.finish().unwrap());
            assert_eq!(
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b),
                "round {round}: {input:?} kept {kept:?} out {out_format:?} {out_delim:?}"
            );
        }
    }

    #[test]
    fn halves_split_odd_counts_with_the_larger_first() {
        let set = Arc::new(RowSet::new(Arc::from(vec!["a".to_string()])));
        let rows = TypedRows { set, range: 3..8 };
        let (a, b) = rows.halves();
        assert_eq!((a.range, b.range), (3..6, 6..8));
    }
}
