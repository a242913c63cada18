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

use super::encode::json_special;
use super::response::{Cell, Output};
use std::borrow::Cow;

/// Deepest nesting skipped (as `serde_json`'s own recursion limit).
const MAX_DEPTH: usize = 128;

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
    let text = std::str::from_utf8(body).ok()?;
    let mut s = Scan {
        text,
        b: body,
        i: 0,
        depth: 0,
    };
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
    s.ws();
    if s.i != s.b.len() {
        return None;
    }
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

struct Scan<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    depth: usize,
}

impl<'a> Scan<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    /// Eats `c` (after whitespace) or gives up.
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// Eats `c` (after whitespace) when it comes next.
    fn next_is(&mut self, c: u8) -> bool {
        self.peek() == Some(c) && {
            self.i += 1;
            true
        }
    }

    /// An object, calling `each` with the scanner after each key and its colon.
    fn object(
        &mut self,
        mut each: impl FnMut(&mut Self, Cow<'a, str>) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        if self.next_is(b'}') {
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            each(self, key)?;
            if !self.next_is(b',') {
                return self.eat(b'}');
            }
        }
    }

    /// An array, calling `each` with the scanner at each element.
    fn array(&mut self, mut each: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.next_is(b']') {
            return Some(());
        }
        loop {
            each(self)?;
            if !self.next_is(b',') {
                return self.eat(b']');
            }
        }
    }

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

    /// A string, borrowed from the body unless it holds escapes.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.i;
        let end = self.plain_run(start);
        match *self.b.get(end)? {
            b'"' => {
                self.i = end + 1;
                self.text.get(start..end).map(Cow::Borrowed)
            }
            b'\\' => self.escaped(start).map(Cow::Owned),
            _ => None,
        }
    }

    /// Where the run of plain string bytes from `i` ends: at a quote, a backslash or a
    /// control byte (or the end of the body).
    fn plain_run(&self, i: usize) -> usize {
        json_special(self.b, i)
    }

    /// The rest of a string that holds escapes, decoded; `start` is just after its quote.
    fn escaped(&mut self, start: usize) -> Option<String> {
        let run = self.plain_run(start);
        let mut out = String::with_capacity(run - start + 16);
        out.push_str(self.text.get(start..run)?);
        self.i = run;
        loop {
            match *self.b.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    let e = *self.b.get(self.i + 1)?;
                    self.i += 2;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode()?,
                        _ => return None,
                    });
                }
                c if c < 0x20 => return None,
                _ => {
                    let end = self.plain_run(self.i);
                    out.push_str(self.text.get(self.i..end)?);
                    self.i = end;
                }
            }
        }
    }

    /// The character of a `\uXXXX` escape (its `\u` eaten), joining a surrogate pair.
    fn unicode(&mut self) -> Option<char> {
        let hi = u32::from(self.hex4()?);
        match hi {
            0xD800..=0xDBFF => {
                if self.b.get(self.i..self.i + 2)? != b"\\u" {
                    return None;
                }
                self.i += 2;
                let lo = u32::from(self.hex4()?);
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return None;
                }
                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
            }
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(hi),
        }
    }

    fn hex4(&mut self) -> Option<u16> {
        let digits = self.b.get(self.i..self.i + 4)?;
        let mut v = 0u16;
        for &d in digits {
            v = v << 4 | (d as char).to_digit(16)? as u16;
        }
        self.i += 4;
        Some(v)
    }

    fn word(&mut self, w: &[u8]) -> Option<()> {
        self.ws();
        (self.b.get(self.i..self.i + w.len())? == w).then(|| self.i += w.len())
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Option<()> {
        self.ws();
        let b = self.b;
        let digits = |mut i: usize| {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let mut i = self.i + usize::from(b.get(self.i) == Some(&b'-'));
        i = match b.get(i)? {
            b'0' => i + 1,
            b'1'..=b'9' => digits(i + 1),
            _ => return None,
        };
        if b.get(i) == Some(&b'.') {
            let end = digits(i + 1);
            if end == i + 1 {
                return None;
            }
            i = end;
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            let end = digits(i);
            if end == i {
                return None;
            }
            i = end;
        }
        self.i = i;
        Some(())
    }

    /// Skips any value, checking its syntax.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' | b'[' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return None;
                }
                let done = if self.b[self.i] == b'{' {
                    self.object(|s, _| s.skip())
                } else {
                    self.array(Self::skip)
                };
                self.depth -= 1;
                done
            }
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
