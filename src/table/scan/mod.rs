//! The fast path of reading a scoring answer: a hand-written scanner for the table form
//! (`protocol.md` §3.3), the one `rrs execute` meets at millions of cells a second. It reads
//! the body once and hands each cell, borrowed from the body (only strings with escapes are
//! copied), to a [`Cells`] sink: the flat [`Output`] here, or the CSV writer of `output.rs`
//! straight away. It takes strings, `null`, `true` and `false` as cells and validates whatever
//! it skips as strictly as `serde_json` does.
//!
//! It gives up (`None`) on anything unusual: swagger rows, number or nested cells, a repeated
//! key that matters, `ColumnNames` after `Values`, a missing output, malformed JSON. The answer
//! is then read by the serde path of `response.rs` (whatever the sink got is thrown away), so
//! both paths agree on every answer and every error message comes from one place.

mod json;
pub mod predictions;

use super::encode::json_special;
use super::response::{Cell, Output};
use json::Scan;
use std::borrow::Cow;

/// Where the cells of an answer go, in order.
pub(super) trait Cells<'a> {
    /// `Values` starts; `columns` are the `ColumnNames` sent before it, if any.
    fn start(&mut self, columns: Option<&[String]>);
    /// A string cell without escapes, as it is in the body: it holds no quote, backslash or
    /// control character (line breaks and tabs included).
    fn text(&mut self, text: Plain<'a>);
    /// Any other cell.
    fn cell(&mut self, cell: Cell<'a>);
    fn row_end(&mut self);
    /// Takes a whole row at `body[at..]` (just after its `[`) at once when the sink has a
    /// faster way for its kind of row; returns where the row ends (after its `]`), or `None`,
    /// having taken nothing, for the cell-by-cell path.
    fn row(&mut self, _body: &'a [u8], _at: usize) -> Option<usize> {
        None
    }
}

/// A string cell without escapes: `body[start..end]`, between two quotes of a body that is
/// valid UTF-8 (so it is valid UTF-8 too).
#[derive(Clone, Copy)]
pub(super) struct Plain<'a> {
    body: &'a str,
    start: usize,
    end: usize,
}

impl<'a> Plain<'a> {
    pub(super) fn bytes(self) -> &'a [u8] {
        &self.body.as_bytes()[self.start..self.end]
    }

    pub(super) fn text(self) -> &'a str {
        self.body
            .get(self.start..self.end)
            .expect("a plain string lies between two ASCII quotes")
    }
}

/// Where the run of plain string bytes from `start` (just after a quote) ends: at a quote, a
/// backslash or a control byte (or the end of the body). A one-character string (most cells
/// are small counts) is found without the eight-byte loop.
#[inline]
pub(super) fn plain_end(b: &[u8], start: usize) -> usize {
    match b.get(start..start + 2) {
        Some(&[c, b'"']) if c >= 0x20 && c != b'"' && c != b'\\' => start + 1,
        _ => json_special(b, start),
    }
}

/// Output `name` of a table-form answer: its cells go to `sink`, its column names (when sent)
/// are returned.
pub(super) fn table<'a>(
    body: &'a [u8],
    name: &str,
    sink: &mut impl Cells<'a>,
) -> Option<Option<Vec<String>>> {
    let mut s = Scan::new(body)?;
    let mut found = None;
    s.object(|s, key| {
        if key == "Results" {
            if found.is_some() {
                return None;
            }
            found = Some(s.results(name, sink)?);
            Some(())
        } else {
            s.skip()
        }
    })?;
    s.end()?;
    found
}

/// Output `name` of a table-form answer as a flat [`Output`]; `rows_hint` sizes its buffers.
pub(super) fn output<'a>(body: &'a [u8], name: &str, rows_hint: usize) -> Option<Output<'a>> {
    let mut flat = Flat {
        cells: Vec::new(),
        ends: Vec::new(),
        rows_hint: rows_hint.min(1 << 20),
    };
    let columns = table(body, name, &mut flat)?;
    Some(Output::from_flat(columns, flat.cells, flat.ends))
}

struct Flat<'a> {
    cells: Vec<Cell<'a>>,
    ends: Vec<usize>,
    rows_hint: usize,
}

impl<'a> Cells<'a> for Flat<'a> {
    fn start(&mut self, columns: Option<&[String]>) {
        let width = columns.map_or(1, <[String]>::len);
        self.cells = Vec::with_capacity(self.rows_hint.saturating_mul(width));
        self.ends = Vec::with_capacity(self.rows_hint);
    }
    fn text(&mut self, text: Plain<'a>) {
        self.cells.push(Cell::Str(Cow::Borrowed(text.text())));
    }
    fn cell(&mut self, cell: Cell<'a>) {
        self.cells.push(cell);
    }
    fn row_end(&mut self) {
        self.ends.push(self.cells.len());
    }
}

impl<'a> Scan<'a> {
    /// `Results`: the wanted output (the first one of that name), the others skipped.
    fn results(&mut self, name: &str, sink: &mut impl Cells<'a>) -> Option<Option<Vec<String>>> {
        let mut wanted = None;
        self.object(|s, key| {
            if key == name && wanted.is_none() {
                wanted = Some(s.output(sink)?);
                Some(())
            } else {
                s.skip()
            }
        })?;
        wanted
    }

    /// `{"type": ..., "value": {...}}`.
    fn output(&mut self, sink: &mut impl Cells<'a>) -> Option<Option<Vec<String>>> {
        let mut value = None;
        self.object(|s, key| match key.as_ref() {
            "value" if value.is_none() => {
                value = Some(s.table_value(sink)?);
                Some(())
            }
            "value" => None,
            _ => s.skip(),
        })?;
        value
    }

    /// `{"ColumnNames": [...], "ColumnTypes": [...], "Values": [[...], ...]}`.
    fn table_value(&mut self, sink: &mut impl Cells<'a>) -> Option<Option<Vec<String>>> {
        let mut columns: Option<Vec<String>> = None;
        let mut values = false;
        self.object(|s, key| match key.as_ref() {
            "ColumnNames" if columns.is_none() && !values => {
                let mut names = Vec::new();
                s.array(|s| {
                    names.push(s.string()?.into_owned());
                    Some(())
                })?;
                columns = Some(names);
                Some(())
            }
            "Values" if !values => {
                values = true;
                sink.start(columns.as_deref());
                s.values(sink)
            }
            "ColumnNames" | "Values" => None,
            _ => s.skip(),
        })?;
        values.then_some(columns)
    }

    /// `Values`: rows of cells. The hot loop of the scanner, written out by hand.
    fn values(&mut self, sink: &mut impl Cells<'a>) -> Option<()> {
        self.eat(b'[')?;
        if self.next_is(b']') {
            return Some(());
        }
        loop {
            self.eat(b'[')?;
            if let Some(end) = sink.row(self.b, self.i) {
                self.i = end;
                if !self.next_is(b',') {
                    return self.eat(b']');
                }
                continue;
            }
            if !self.next_is(b']') {
                loop {
                    self.cell(sink)?;
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            break;
                        }
                        _ if self.next_is(b',') => {}
                        _ => {
                            self.eat(b']')?;
                            break;
                        }
                    }
                }
            }
            sink.row_end();
            if !self.next_is(b',') {
                return self.eat(b']');
            }
        }
    }

    /// One cell, to `sink`.
    fn cell(&mut self, sink: &mut impl Cells<'a>) -> Option<()> {
        let cell = match self.peek()? {
            b'"' => {
                let start = self.i + 1;
                let end = plain_end(self.b, start);
                if self.b.get(end) == Some(&b'"') {
                    self.i = end + 1;
                    sink.text(Plain {
                        body: self.text,
                        start,
                        end,
                    });
                    return Some(());
                }
                Cell::Str(self.string()?)
            }
            b'n' => self.word(b"null").map(|()| Cell::Null)?,
            b't' => self
                .word(b"true")
                .map(|()| Cell::Lit(Cow::Borrowed("true")))?,
            b'f' => self
                .word(b"false")
                .map(|()| Cell::Lit(Cow::Borrowed("false")))?,
            _ => return None,
        };
        sink.cell(cell);
        Some(())
    }
}

#[cfg(test)]
mod tests;
