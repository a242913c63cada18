//! JSON input: either a whole request body `{"Inputs": ..., "GlobalParameters": ...}`, sent as
//! it is (`protocol.md` §3.1/§3.2; its own shape decides table or swagger format), or an
//! array of row objects read one element at a time. The columns are the keys of the first
//! row, in order; a later row may leave a key out (sent as `null`) but not add one. Cells must
//! be strings, numbers, booleans or null.
//!
//! Rows are read into serde values, except those of the common kind (`plain_row`: the
//! columns in order, strings without escapes, small integers, literals), which are copied
//! into the request body as they are; a differential test keeps both paths alike.

use super::encode::{Batcher, RowEncoder, body_frame, json_special, push_json_str};
use super::{Batch, BatchSource, BatchSpec, Framing, Lines, Remainder, input_error, too_big};
use anyhow::{Context, Result};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::io::{BufRead, BufReader, Cursor, Read};

type Input = Box<dyn Read + Send>;

/// A byte reader that knows its line and column.
struct Scanner {
    src: BufReader<Input>,
    name: String,
    line: u64,
    col: u64,
    /// Bytes consumed from the input so far.
    consumed: u64,
}

impl Scanner {
    fn peek(&mut self) -> Result<Option<u8>> {
        Ok(self.buffer()?.first().copied())
    }

    /// The read buffer, filled when empty (empty at the end of the input).
    fn buffer(&mut self) -> Result<&[u8]> {
        self.src
            .fill_buf()
            .with_context(|| format!("cannot read `{}`", self.name))
    }

    fn bump(&mut self, b: u8) {
        self.src.consume(1);
        self.consumed += 1;
        self.advance(&[b]);
    }

    fn advance(&mut self, bytes: &[u8]) {
        advance(&mut self.line, &mut self.col, bytes);
    }

    /// Skips whitespace; the next byte, not consumed.
    fn skip_ws(&mut self) -> Result<Option<u8>> {
        loop {
            match self.peek()? {
                Some(b @ (b' ' | b'\t' | b'\r' | b'\n')) => self.bump(b),
                other => return Ok(other),
            }
        }
    }

    fn error(&self, msg: impl std::fmt::Display) -> anyhow::Error {
        input_error(&self.name, self.line, Some(self.col), msg)
    }

    /// Appends the next line that is not blank to `out`, without its line break (JSON Lines);
    /// `false` at the end of the input. A line longer than `max` is an input error.
    fn scan_line(&mut self, out: &mut Vec<u8>, max: usize) -> Result<Option<(u64, u64)>> {
        loop {
            match self.peek()? {
                None => return Ok(None),
                Some(b @ (b' ' | b'\t' | b'\r' | b'\n')) => self.bump(b),
                Some(_) => break,
            }
        }
        let (line, col) = (self.line, self.col);
        loop {
            let buf = self.buffer()?;
            if buf.is_empty() {
                break;
            }
            let (n, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            out.extend_from_slice(&buf[..n]);
            self.src.consume(n);
            self.consumed += n as u64;
            let start = out.len() - n;
            advance(&mut self.line, &mut self.col, &out[start..]);
            if out.len() > max {
                return Err(too_big(
                    &self.name,
                    super::encode::TooBig {
                        lines: Lines {
                            first: line,
                            last: self.line,
                        },
                        size: out.len(),
                        cut: true,
                    },
                    max,
                ));
            }
            if done {
                break;
            }
        }
        while matches!(out.last(), Some(b'\n' | b'\r')) {
            out.pop();
        }
        if out.first() != Some(&b'{') {
            return Err(input_error(
                &self.name,
                line,
                Some(col),
                "expected a JSON object `{...}` on this line (JSON Lines: one row object per line)",
            ));
        }
        Ok(Some((line, col)))
    }

    /// Appends one `{...}` to `out` (the scanner is on its `{`), strings and nesting aware.
    fn scan_object(&mut self, out: &mut Vec<u8>, max: usize) -> Result<()> {
        let (line, col) = (self.line, self.col);
        let (mut depth, mut in_str, mut esc) = (0u32, false, false);
        loop {
            let buf = self.buffer()?;
            if buf.is_empty() {
                return Err(input_error(
                    &self.name,
                    line,
                    Some(col),
                    "this row object is never closed",
                ));
            }
            let mut end = None;
            // A backslash ended the last buffer: this one starts with the byte it escapes.
            let mut i = usize::from(std::mem::take(&mut esc));
            while i < buf.len() {
                if in_str {
                    // Strings are most of the bytes: to their next quote or backslash at once.
                    match memchr::memchr2(b'"', b'\\', &buf[i..]).map(|k| i + k) {
                        None => i = buf.len(),
                        Some(j) if buf[j] == b'"' => {
                            in_str = false;
                            i = j + 1;
                        }
                        Some(j) if j + 1 < buf.len() => i = j + 2,
                        Some(_) => {
                            esc = true;
                            i = buf.len();
                        }
                    }
                    continue;
                }
                match buf[i] {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let n = end.unwrap_or(buf.len());
            out.extend_from_slice(&buf[..n]);
            self.src.consume(n);
            self.consumed += n as u64;
            let start = out.len() - n;
            advance(&mut self.line, &mut self.col, &out[start..]);
            if end.is_some() {
                return Ok(());
            }
            if out.len() > max {
                let size = out.len();
                let lines = Lines {
                    first: line,
                    last: self.line,
                };
                return Err(too_big(
                    &self.name,
                    super::encode::TooBig {
                        lines,
                        size,
                        cut: true,
                    },
                    max,
                ));
            }
        }
    }
}

/// Moves a line and column past `bytes`.
fn advance(line: &mut u64, col: &mut u64, bytes: &[u8]) {
    match memchr::memrchr(b'\n', bytes) {
        Some(p) => {
            *line += memchr::memchr_iter(b'\n', bytes).count() as u64;
            *col = (bytes.len() - p) as u64;
        }
        None => *col += bytes.len() as u64,
    }
}

/// A serde_json error inside a text that starts at `start`, as `FILE:LINE:COL`.
fn json_error(name: &str, start: (u64, u64), e: &serde_json::Error) -> anyhow::Error {
    let (l, c) = (e.line() as u64, e.column() as u64);
    let (line, col) = if l <= 1 {
        (start.0, start.1 + c.saturating_sub(1))
    } else {
        (start.0 + l - 1, c)
    };
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    input_error(name, line, Some(col), format!("invalid JSON: {msg}"))
}

pub(super) fn open(
    reader: Input,
    name: String,
    spec: &BatchSpec,
    at: super::Start,
) -> Result<Box<dyn BatchSource>> {
    open_sized_at(reader, name, spec, 64 * 1024, true, at)
}

/// JSON Lines: one row object per line (blank lines skipped), framed as lines in a
/// `--failed-rows` file.
pub(super) fn open_lines(
    reader: Input,
    name: String,
    spec: &BatchSpec,
    at: super::Start,
) -> Result<Box<dyn BatchSource>> {
    let sc = Scanner {
        src: BufReader::with_capacity(64 * 1024, reader),
        name,
        line: 1 + at.lines,
        col: 1,
        consumed: at.bytes,
    };
    let mut rows = rows(sc, spec, true);
    rows.lines = true;
    Ok(Box::new(rows))
}

fn rows(sc: Scanner, spec: &BatchSpec, fast: bool) -> JsonRows {
    JsonRows {
        sc,
        spec: spec.clone(),
        columns: Vec::new(),
        keys: None,
        fast,
        first_row_line: 0,
        enc: None,
        batcher: None,
        elem: Vec::new(),
        row: Vec::new(),
        raw: Vec::new(),
        state: State::Start,
        partial: false,
        lines: false,
        line_at: (0, 0),
    }
}

/// `open` with a read buffer of `buffer` bytes, with the fast path for rows or without.
#[cfg(test)]
fn open_sized(
    reader: Input,
    name: String,
    spec: &BatchSpec,
    buffer: usize,
    fast: bool,
) -> Result<Box<dyn BatchSource>> {
    open_sized_at(reader, name, spec, buffer, fast, super::Start::default())
}

fn open_sized_at(
    reader: Input,
    name: String,
    spec: &BatchSpec,
    buffer: usize,
    fast: bool,
    at: super::Start,
) -> Result<Box<dyn BatchSource>> {
    let mut sc = Scanner {
        src: BufReader::with_capacity(buffer, reader),
        name,
        line: 1 + at.lines,
        col: 1,
        consumed: at.bytes,
    };
    match sc.skip_ws()? {
        None => Err(crate::usage!(
            "`{}` is empty: expected a JSON array of row objects or a request body `{{\"Inputs\": ...}}`",
            sc.name
        )),
        Some(b'{') => whole_body(sc, spec),
        Some(b'[') => {
            sc.bump(b'[');
            Ok(Box::new(rows(sc, spec, fast)))
        }
        Some(_) => {
            Err(sc.error("expected `[` (an array of row objects) or `{` (a whole request body)"))
        }
    }
}

/// A whole request body: one batch, as it came.
struct WholeBody {
    batch: Option<Batch>,
    swagger: bool,
}

fn whole_body(mut sc: Scanner, spec: &BatchSpec) -> Result<Box<dyn BatchSource>> {
    let start = (sc.line, sc.col);
    let mut body = Vec::new();
    sc.src
        .read_to_end(&mut body)
        .with_context(|| format!("cannot read `{}`", sc.name))?;
    let name = &sc.name;
    let v: Value = serde_json::from_slice(&body).map_err(|e| json_error(name, start, &e))?;
    let here = |msg: String| input_error(name, start.0, Some(start.1), msg);
    let inputs = match v.get("Inputs") {
        Some(Value::Object(inputs)) => inputs,
        Some(other) => {
            return Err(here(format!(
                "`Inputs` is {}; a request body needs an `Inputs` object of named inputs",
                crate::wire::rrs::json_kind(other)
            )));
        }
        None => return Err(here("a request body needs an `Inputs` object".into())),
    };
    let (key, input) = match (inputs.get(&spec.input_name), inputs.len()) {
        (Some(i), _) => (spec.input_name.as_str(), i),
        (None, 1) => inputs
            .iter()
            .next()
            .map(|(k, v)| (k.as_str(), v))
            .expect("one input"),
        (None, _) => {
            let names: Vec<String> = inputs.keys().map(|k| format!("`{k}`")).collect();
            return Err(here(format!(
                "the request body has no input `{}` (it has {}); choose one with `--input-name`",
                spec.input_name,
                if names.is_empty() {
                    "none".into()
                } else {
                    names.join(", ")
                }
            )));
        }
    };
    let (rows, swagger) = match input {
        Value::Array(rows) => (rows.len(), true),
        Value::Object(t) => match t.get("Values").and_then(Value::as_array) {
            Some(values) => (values.len(), false),
            None => return Err(here(format!("input `{key}` has no `Values` array"))),
        },
        _ => {
            return Err(here(format!(
                "input `{key}` is neither a table nor an array of rows"
            )));
        }
    };
    if spec.swagger && !swagger {
        return Err(here(format!(
            "`--swagger` was given but input `{key}` of the request body is a table (`ColumnNames`/`Values`), not an array of row objects"
        )));
    }
    if !spec.params.is_empty() {
        return Err(crate::usage!(
            "`--param` cannot change a whole request body given as input; put the parameters in its `GlobalParameters`"
        ));
    }
    let last = start.0 + body.iter().filter(|&&b| b == b'\n').count() as u64;
    let body = Bytes::from(body);
    Ok(Box::new(WholeBody {
        batch: Some(Batch {
            index: 0,
            lines: Lines {
                first: start.0,
                last: last.max(start.0),
            },
            rows,
            raw: body.clone(),
            body,
            typed: None,
            end: 0,
        }),
        swagger,
    }))
}

impl BatchSource for WholeBody {
    fn next_batch(&mut self) -> Result<Option<Batch>> {
        Ok(self.batch.take())
    }
    fn swagger(&self) -> bool {
        self.swagger
    }
    fn failed_head(&self) -> Bytes {
        Bytes::new()
    }
    fn framing(&self) -> Framing {
        Framing::Lines
    }
    fn into_remainder(self: Box<Self>) -> Option<Remainder> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// After `[`.
    Start,
    /// After a row object.
    AfterRow,
    /// After `]`.
    Done,
}

/// An array of row objects.
struct JsonRows {
    sc: Scanner,
    spec: BatchSpec,
    columns: Vec<String>,
    /// The columns as written in a row object (`"name"` without its quotes), when none needs
    /// escaping: what the fast path of `plain_row` matches.
    keys: Option<Vec<Vec<u8>>>,
    /// Whether rows of the common kind take the fast path (off in tests that check it
    /// against the serde path).
    fast: bool,
    first_row_line: u64,
    enc: Option<RowEncoder>,
    batcher: Option<Batcher>,
    elem: Vec<u8>,
    row: Vec<u8>,
    raw: Vec<u8>,
    state: State,
    /// A row object was being read when reading stopped.
    partial: bool,
    /// JSON Lines: a row object per line, no array around them.
    lines: bool,
    /// Where the line in `elem` starts (JSON Lines).
    line_at: (u64, u64),
}

impl JsonRows {
    /// Moves to the next row object; `false` after the closing `]` (JSON Lines: reads the
    /// next line into `elem`; `false` at the end of the input).
    fn next_object(&mut self) -> Result<bool> {
        if self.lines {
            self.elem.clear();
            let at = self.sc.scan_line(&mut self.elem, self.spec.max_body)?;
            match at {
                Some(at) => self.line_at = at,
                None => self.state = State::Done,
            }
            return Ok(at.is_some());
        }
        let after_comma = match (self.state, self.sc.skip_ws()?) {
            (State::AfterRow, Some(b',')) => {
                self.sc.bump(b',');
                true
            }
            (State::AfterRow, Some(b']')) | (State::Start, _) => false,
            (_, None) => return Err(self.sc.error("the array of rows is never closed")),
            _ => return Err(self.sc.error("expected `,` or `]` after a row object")),
        };
        match self.sc.skip_ws()? {
            Some(b'{') => return Ok(true),
            Some(b']') if !after_comma => {}
            Some(b']') => return Err(self.sc.error("expected a row object after `,`")),
            None => return Err(self.sc.error("the array of rows is never closed")),
            Some(_) => return Err(self.sc.error("expected a row object `{...}`")),
        }
        self.sc.bump(b']');
        if self.sc.skip_ws()?.is_some() {
            return Err(self.sc.error("unexpected text after the array of rows"));
        }
        self.state = State::Done;
        Ok(false)
    }

    /// Reads the row object the scanner is on and encodes it into `self.row`.
    fn read_row(&mut self) -> Result<Lines> {
        let mut start = (self.sc.line, self.sc.col);
        let lines = if self.lines {
            // `next_object` read it (and its line break).
            start = self.line_at;
            Lines {
                first: start.0,
                last: start.0,
            }
        } else {
            self.elem.clear();
            self.sc.scan_object(&mut self.elem, self.spec.max_body)?;
            Lines {
                first: start.0,
                last: self.sc.line,
            }
        };
        if let (true, Some(enc), Some(keys)) = (self.fast, &self.enc, &self.keys)
            && plain_row(&self.elem, keys, enc, &mut self.row)
        {
            return Ok(lines);
        }
        let name = &self.sc.name;
        let map: Map<String, Value> =
            serde_json::from_slice(&self.elem).map_err(|e| json_error(name, start, &e))?;
        if self.enc.is_none() {
            self.columns = map.keys().cloned().collect();
            self.first_row_line = start.0;
            let s = &self.spec;
            let (prefix, suffix) = body_frame(&s.input_name, &self.columns, s.swagger, &s.params);
            self.enc = Some(RowEncoder::new(&self.columns, s.swagger));
            self.keys = self
                .columns
                .iter()
                .map(|c| (json_special(c.as_bytes(), 0) == c.len()).then(|| c.as_bytes().to_vec()))
                .collect();
            self.batcher = Some(Batcher::new(prefix, suffix, s.max_rows, s.max_body));
        }
        let elem = &self.elem;
        let here = |key: &str, msg: String| {
            let (line, col) = key_position(elem, key, start);
            input_error(name, line, Some(col), msg)
        };
        // Counted with the row's own index (a scan of the columns per key took minutes on a
        // row of 300,000 keys); the columns are only searched for the key in an error.
        let known = self.columns.iter().filter(|c| map.contains_key(*c)).count();
        if known < map.len() {
            let columns: std::collections::HashSet<&String> = self.columns.iter().collect();
            let extra = map
                .keys()
                .find(|k| !columns.contains(k))
                .expect("a key not counted");
            return Err(here(
                extra,
                format!(
                    "this row has key `{extra}`, which the first row (line {}) does not have",
                    self.first_row_line
                ),
            ));
        }
        let enc = self.enc.as_ref().expect("set above");
        enc.begin(&mut self.row);
        for (i, col) in self.columns.iter().enumerate() {
            enc.cell(&mut self.row, i);
            match map.get(col) {
                Some(Value::String(s)) => push_json_str(&mut self.row, s.as_bytes()),
                Some(v @ (Value::Number(_) | Value::Bool(_))) => {
                    serde_json::to_writer(&mut self.row, v).expect("writing to a Vec")
                }
                None | Some(Value::Null) => self.row.extend_from_slice(b"null"),
                Some(v) => {
                    return Err(here(
                        col,
                        format!(
                            "cell `{col}` is {}; cells must be strings, numbers, booleans or null",
                            crate::wire::rrs::json_kind(v)
                        ),
                    ));
                }
            }
        }
        enc.end(&mut self.row);
        Ok(lines)
    }
}

/// Writes the row object `elem` straight into `row` when it is of the common kind, exactly as
/// the serde path would: valid UTF-8, the columns' `keys` in their order, each once, and values
/// that are strings without escapes, `true`, `false`, `null` or integers of up to 18 digits
/// (not `-0`), which serde_json writes back as they came. `false` for anything else (nothing
/// is reported: the serde path reads the row again and reports what is wrong).
fn plain_row(elem: &[u8], keys: &[Vec<u8>], enc: &RowEncoder, row: &mut Vec<u8>) -> bool {
    if std::str::from_utf8(elem).is_err() {
        return false;
    }
    let b = elem;
    let mut i = 0;
    let ws = |i: &mut usize| {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(*i) {
            *i += 1;
        }
    };
    let eat = |i: &mut usize, c: u8| {
        ws(i);
        let ok = b.get(*i) == Some(&c);
        *i += usize::from(ok);
        ok
    };
    if !eat(&mut i, b'{') {
        return false;
    }
    enc.begin(row);
    for (n, key) in keys.iter().enumerate() {
        if n > 0 && !eat(&mut i, b',') {
            return false;
        }
        if !eat(&mut i, b'"') || !b[i..].starts_with(key) {
            return false;
        }
        i += key.len();
        if b.get(i) != Some(&b'"') {
            return false;
        }
        i += 1;
        if !eat(&mut i, b':') {
            return false;
        }
        ws(&mut i);
        let start = i;
        i = match plain_value(b, i) {
            Some(end) => end,
            None => return false,
        };
        enc.cell(row, n);
        row.extend_from_slice(&b[start..i]);
    }
    if !eat(&mut i, b'}') {
        return false;
    }
    ws(&mut i);
    enc.end(row);
    i == b.len()
}

/// Where the value at `b[i..]` ends when it is one that `plain_row` takes.
fn plain_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => {
            let end = json_special(b, i + 1);
            (b.get(end) == Some(&b'"')).then_some(end + 1)
        }
        b't' => b[i..].starts_with(b"true").then_some(i + 4),
        b'f' => b[i..].starts_with(b"false").then_some(i + 5),
        b'n' => b[i..].starts_with(b"null").then_some(i + 4),
        b'-' | b'0'..=b'9' => {
            let digits_at = i + usize::from(b[i] == b'-');
            let digits = b[digits_at..]
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .count();
            let end = digits_at + digits;
            let leading_zero = b.get(digits_at) == Some(&b'0') && (digits > 1 || digits_at > i);
            let fraction = matches!(b.get(end), Some(b'.' | b'e' | b'E'));
            (digits > 0 && digits <= 18 && !leading_zero && !fraction).then_some(end)
        }
        _ => None,
    }
}

/// Where the key `key` of the row object `elem` (which starts at `start`) is written, so that
/// an error about it points at it; the object's start when it cannot be found.
fn key_position(elem: &[u8], key: &str, start: (u64, u64)) -> (u64, u64) {
    let (mut depth, mut i) = (0u32, 0usize);
    while i < elem.len() {
        match elem[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let open = i;
                i += 1;
                while i < elem.len() && elem[i] != b'"' {
                    i += if elem[i] == b'\\' { 2 } else { 1 };
                }
                let after = elem[(i + 1).min(elem.len())..]
                    .iter()
                    .find(|b| !b.is_ascii_whitespace());
                let is_key = depth == 1 && after == Some(&b':');
                if is_key
                    && serde_json::from_slice::<String>(&elem[open..=i.min(elem.len() - 1)])
                        .is_ok_and(|k| k == key)
                {
                    let before = &elem[..open];
                    let newlines = before.iter().filter(|&&b| b == b'\n').count() as u64;
                    return match before.iter().rposition(|&b| b == b'\n') {
                        Some(nl) => (start.0 + newlines, (open - nl) as u64),
                        None => (start.0, start.1 + open as u64),
                    };
                }
            }
            _ => {}
        }
        i += 1;
    }
    start
}

impl BatchSource for JsonRows {
    fn next_batch(&mut self) -> Result<Option<Batch>> {
        while self.state != State::Done {
            if !self.next_object()? {
                break;
            }
            self.partial = true;
            let lines = self.read_row()?;
            self.raw.clear();
            if self.lines {
                self.raw.extend_from_slice(&self.elem);
                self.raw.push(b'\n');
            } else {
                self.raw.extend_from_slice(b",\n");
                self.raw.extend_from_slice(&self.elem);
            }
            let batcher = self.batcher.as_mut().expect("made with the first row");
            batcher.row_end(self.sc.consumed);
            let done = batcher
                .push(&self.row, &self.raw, lines)
                .map_err(|e| too_big(&self.sc.name, e, self.spec.max_body))?;
            self.partial = false;
            self.state = State::AfterRow;
            if done.is_some() {
                return Ok(done);
            }
        }
        let next = self.sc.line + 1;
        Ok(self.batcher.as_mut().and_then(|b| b.finish(false, next)))
    }

    fn swagger(&self) -> bool {
        self.spec.swagger
    }

    fn failed_head(&self) -> Bytes {
        if self.lines {
            return Bytes::new();
        }
        Bytes::from_static(b"[")
    }

    fn framing(&self) -> Framing {
        if self.lines {
            Framing::Lines
        } else {
            Framing::JsonArray
        }
    }

    fn first_line(&self) -> u64 {
        self.first_row_line.max(self.sc.line)
    }

    fn into_remainder(self: Box<Self>) -> Option<Remainder> {
        if self.state == State::Done && !self.partial {
            return None;
        }
        let pending = self
            .batcher
            .as_ref()
            .map(|b| b.pending().to_vec())
            .unwrap_or_default();
        let mut head = Vec::new();
        if self.partial {
            head = self.elem;
        }
        head.extend_from_slice(self.sc.src.buffer());
        let rest: Input = Box::new(Cursor::new(head).chain(self.sc.src.into_inner()));
        Some(Remainder { pending, rest })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::tests;

    /// A random array of row objects: mostly rows the fast path takes, with every kind of
    /// thing it must leave to the serde path (escapes, other numbers, missing, extra and
    /// repeated keys, other key orders, nesting, invalid UTF-8, broken syntax).
    fn random_rows(rng: &mut fastrand::Rng, width: usize) -> Vec<u8> {
        const VALUES: &[&[u8]] = &[
            br#""plain text""#,
            "\"é, ü\"".as_bytes(),
            br#""with \"escapes\"""#,
            br#""tab\tin""#,
            b"\"raw\ttab\"",
            b"true",
            b"false",
            b"null",
            b"0",
            b"-0",
            b"12",
            b"-7",
            b"007",
            b"1.5",
            b"1e3",
            b"-2E-1",
            b"123456789012345678",
            b"1234567890123456789",
            b"12345678901234567890",
            b"[1]",
            br#"{"a":1}"#,
            b"tru",
            br#""""#,
            b"\"\xff\"",
        ];
        let ws = ["", "", "", " ", "\n  ", "\t"];
        let mut out = b"[".to_vec();
        for r in 0..rng.usize(0..30) {
            if r > 0 {
                out.push(b',');
            }
            out.extend_from_slice(ws[rng.usize(..ws.len())].as_bytes());
            let mut keys: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
            match rng.u8(..30) {
                0 => keys.reverse(),
                1 => drop(keys.pop()),
                2 => keys.push("extra".into()),
                3 => keys.push("c0".into()),
                4 => keys[0] = "c\\u0030".into(),
                _ => {}
            }
            out.push(b'{');
            for (k, key) in keys.iter().enumerate() {
                if k > 0 {
                    out.extend_from_slice(if rng.u8(..50) == 0 { b" " } else { b"," });
                }
                let sp = ws[rng.usize(..ws.len())];
                let value = if rng.u8(..4) == 0 {
                    VALUES[rng.usize(..VALUES.len())]
                } else {
                    VALUES[rng.usize(..3)]
                };
                out.extend_from_slice(format!("{sp}\"{key}\"{sp}:{sp}").as_bytes());
                out.extend_from_slice(value);
            }
            out.extend_from_slice(ws[rng.usize(..ws.len())].as_bytes());
            out.push(b'}');
        }
        out.extend_from_slice(b"]\n");
        if rng.u8(..10) == 0 {
            out.truncate(rng.usize(..out.len()));
        }
        out
    }

    #[test]
    fn the_fast_path_makes_what_the_serde_path_makes() {
        let mut rng = fastrand::Rng::with_seed(41);
        let mut made = 0;
        for round in 0..2000 {
            let width = rng.usize(1..4);
            let input = random_rows(&mut rng, width);
            let spec = tests::random_spec(&mut rng, round);
            let buffer = rng.usize(1..100);
            let stop = rng.bool().then(|| rng.usize(0..4));
            made += tests::fast_path_agrees(&input, |fast| {
                let reader: Input = Box::new(Cursor::new(input.clone()));
                let src = open_sized(reader, "t".into(), &spec, buffer, fast);
                tests::describe(src, stop)
            });
        }
        assert!(made > 3_000, "only {made} batches made");
    }

    #[test]
    fn common_rows_take_the_fast_path() {
        let enc = RowEncoder::new(&["a".into(), "b".into()], false);
        let keys = vec![b"a".to_vec(), b"b".to_vec()];
        let mut row = Vec::new();
        assert!(plain_row(
            br#"{"a": "x, y", "b" : -12}"#,
            &keys,
            &enc,
            &mut row
        ));
        assert_eq!(row, br#"["x, y",-12]"#);
        for other in [
            r#"{"b":1,"a":2}"#,
            r#"{"a":1}"#,
            r#"{"a":1,"b":2,"c":3}"#,
            r#"{"a":"\n","b":1}"#,
            r#"{"a":1.0,"b":1}"#,
            r#"{"a":-0,"b":1}"#,
            r#"{"a":1234567890123456789,"b":1}"#,
            r#"{"a":[1],"b":1}"#,
        ] {
            assert!(
                !plain_row(other.as_bytes(), &keys, &enc, &mut row),
                "{other}"
            );
        }
    }
}
