//! The fast path of reading the typed protocols' answers (MLflow, Azure ML, KServe v1, v2;
//! `protocol/answer.rs` makes them columns), as `scan/mod.rs` is the classic protocol's: the
//! body is read once, without a `serde_json::Value`. String cells borrow from the body unless
//! they hold escapes; number cells too when they are written as `serde_json` writes a number
//! back (`Value::to_string`, which is how the serde path makes them), else they hold that text.
//! It reads a list of scalars or of equal-length lists of scalars (at `predictions`, or bare)
//! and the v2 outputs whose `data` are flat lists of scalars; it skips the rest of the body,
//! checking its syntax as strictly as `serde_json` does.
//!
//! It gives up (`None`) on anything unusual: lists of objects, dicts of lists, nested cells or
//! `data`, a repeated key that matters, numbers out of `f64`'s range, malformed JSON. The serde
//! path then reads the answer, and makes every error message: both paths agree on every answer
//! (`protocol/scan_tests.rs`).

use super::super::response::Cell;
use super::json::{Number, Scan, number_text};
use std::borrow::Cow;

/// Where an answer holds its list of predictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// `{"predictions": LIST, ...}`.
    Key,
    /// `{"predictions": LIST, ...}` or a bare `LIST`.
    KeyOrBare,
}

/// A list of predictions as read.
#[derive(Debug)]
pub struct List<'a> {
    /// `None` for a list of scalars, `Some(k)` for a list of lists of `k` scalars each.
    pub width: Option<usize>,
    /// How many items it has.
    pub len: usize,
    /// Their cells, item after item.
    pub cells: Vec<Cell<'a>>,
}

/// One v2 output as read.
#[derive(Debug)]
pub struct Tensor<'a> {
    pub name: Cow<'a, str>,
    /// Empty when the output has none.
    pub shape: Vec<i64>,
    /// Its flat row-major `data`.
    pub data: Vec<Cell<'a>>,
}

/// The list of predictions of an answer; `rows_hint` sizes its buffer.
pub fn list<'a>(body: &'a [u8], at: At, rows_hint: usize) -> Option<List<'a>> {
    let mut s = typed(body)?;
    let rows_hint = rows_hint.min(1 << 20);
    let list = if at == At::KeyOrBare && s.peek()? == b'[' {
        s.list(rows_hint)?
    } else {
        let mut found = None;
        s.depth = 1;
        s.object(|s, key| {
            if key != "predictions" {
                return s.skip();
            }
            if found.is_some() {
                return None;
            }
            found = Some(s.list(rows_hint)?);
            Some(())
        })?;
        found?
    };
    s.end()?;
    Some(list)
}

/// The outputs of a v2 answer `{"outputs": [...], ...}`; `rows_hint` sizes their buffers.
pub fn tensors(body: &[u8], rows_hint: usize) -> Option<Vec<Tensor<'_>>> {
    let mut s = typed(body)?;
    let rows_hint = rows_hint.min(1 << 20);
    let mut outputs = None;
    s.depth = 1;
    s.object(|s, key| match key.as_ref() {
        "outputs" if outputs.is_none() => {
            let mut list = Vec::new();
            s.array(|s| {
                list.push(s.tensor(rows_hint)?);
                Some(())
            })?;
            outputs = Some(list);
            Some(())
        }
        "outputs" => None,
        _ => s.skip(),
    })?;
    s.end()?;
    outputs
}

/// A scanner of an answer that `serde_json` would read whole into a `serde_json::Value`.
fn typed(body: &[u8]) -> Option<Scan<'_>> {
    let mut s = Scan::new(body)?;
    s.numbers_in_range = true;
    Some(s)
}

impl<'a> Scan<'a> {
    /// `[scalar, ...]` or `[[scalar, ...], ...]`, its lists all of one length.
    fn list(&mut self, rows_hint: usize) -> Option<List<'a>> {
        self.eat(b'[')?;
        let mut cells = Vec::new();
        if self.next_is(b']') {
            return Some(List {
                width: None,
                len: 0,
                cells,
            });
        }
        if self.peek()? != b'[' {
            cells.reserve(rows_hint);
            self.scalars(&mut cells)?;
            let len = cells.len();
            return Some(List {
                width: None,
                len,
                cells,
            });
        }
        let (mut len, mut width) = (0, None);
        loop {
            self.eat(b'[')?;
            let start = cells.len();
            if !self.next_is(b']') {
                self.scalars(&mut cells)?;
            }
            let k = cells.len() - start;
            match width {
                None => {
                    width = Some(k);
                    cells.reserve(rows_hint.saturating_sub(1).saturating_mul(k));
                }
                Some(w) if w != k => return None,
                Some(_) => {}
            }
            len += 1;
            if !self.next_is(b',') {
                self.eat(b']')?;
                return Some(List { width, len, cells });
            }
        }
    }

    /// The scalars of a list whose `[` is eaten and which is not empty, up to its `]`
    /// included. The hot loop of the scanner.
    fn scalars(&mut self, cells: &mut Vec<Cell<'a>>) -> Option<()> {
        loop {
            cells.push(self.scalar()?);
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Some(());
                }
                _ if self.next_is(b',') => {}
                _ => return self.eat(b']'),
            }
        }
    }

    /// A string, number, boolean or `null` as the serde path's cell (`answer::cell`).
    fn scalar(&mut self) -> Option<Cell<'a>> {
        Some(match self.peek()? {
            b'"' => Cell::Str(self.string()?),
            b'-' | b'0'..=b'9' => Cell::Lit(number_text(self.number()?)?),
            b't' => {
                self.word(b"true")?;
                Cell::Lit(Cow::Borrowed("true"))
            }
            b'f' => {
                self.word(b"false")?;
                Cell::Lit(Cow::Borrowed("false"))
            }
            b'n' => {
                self.word(b"null")?;
                Cell::Null
            }
            _ => return None,
        })
    }

    /// `{"name": ..., "shape": [...], "datatype": ..., "data": [...]}` (other keys skipped),
    /// an item of `outputs`.
    fn tensor(&mut self, rows_hint: usize) -> Option<Tensor<'a>> {
        let (mut name, mut shape, mut data) = (None, None, None);
        let depth = self.depth;
        self.depth = 3;
        self.object(|s, key| match key.as_ref() {
            "name" if name.is_none() => {
                name = Some(s.string()?);
                Some(())
            }
            "shape" if shape.is_none() => {
                let mut dims = Vec::new();
                s.array(|s| {
                    dims.push(s.int()?);
                    Some(())
                })?;
                shape = Some(dims);
                Some(())
            }
            "data" if data.is_none() => {
                s.eat(b'[')?;
                let mut cells = Vec::with_capacity(rows_hint);
                if !s.next_is(b']') {
                    s.scalars(&mut cells)?;
                }
                data = Some(cells);
                Some(())
            }
            "name" | "shape" | "data" => None,
            _ => s.skip(),
        })?;
        self.depth = depth;
        Some(Tensor {
            name: name?,
            shape: shape.unwrap_or_default(),
            data: data?,
        })
    }

    /// An integer that `serde_json` reads as an `i64`.
    fn int(&mut self) -> Option<i64> {
        let literal = self.number()?;
        match Number::read(literal)? {
            Number::Int => literal.parse().ok(),
            Number::Float(_) => None,
        }
    }
}

#[cfg(test)]
mod tests;
