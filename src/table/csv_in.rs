//! CSV and TSV input (RFC 4180 with a header row): a strict, streaming reader that keeps each
//! record's raw bytes (for `--failed-rows`) and reports malformed input as `FILE:LINE:COLUMN`.
//! Rules: `""` inside a quoted field is a quote; a quoted field may span lines; text after a
//! closing quote, an unclosed quote, invalid UTF-8, a row with the wrong number of fields and
//! a duplicate column name are errors; a quote inside an unquoted field is taken literally;
//! blank lines are skipped; `\r\n`, `\n` and a lone `\r` end lines; a UTF-8 byte-order mark is dropped
//! from the first line that is not blank; a NUL byte and a UTF-16 byte-order mark are errors
//! (not text, or not UTF-8).
//!
//! Most lines need none of that: `CsvSource::plain_lines` copies those straight from the read
//! buffer into the request body, and hands any other line to the record-by-record reader; a
//! differential test keeps the two paths making the same batches, errors and remainders.

use super::encode::{Batcher, RowEncoder, body_frame, no_escapes_but_quotes, push_json_str};
use super::{Batch, BatchSource, BatchSpec, Framing, Lines, Remainder, input_error, too_big};
use anyhow::{Context, Result};
use bytes::Bytes;
use std::io::{BufRead, BufReader, Cursor, Read};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads one record at a time.
pub(super) struct CsvReader<R> {
    src: BufReader<R>,
    delim: u8,
    pub name: String,
    /// Physical lines consumed so far.
    line: u64,
    /// The current record: raw bytes, first line, decoded fields and the raw offset where
    /// each field starts. A record without quotes has its fields in `raw` (`starts[i]` to
    /// `ends[i]`); one with quotes has them decoded in `data`, split at `ends`.
    raw: Vec<u8>,
    first_line: u64,
    plain: bool,
    data: Vec<u8>,
    ends: Vec<usize>,
    starts: Vec<usize>,
    max_record: usize,
    at_start: bool,
    /// How many bytes at the start of the read buffer are known to be valid UTF-8.
    checked: usize,
    /// Bytes consumed from the input so far.
    consumed: u64,
}

impl<R: Read> CsvReader<R> {
    #[cfg(test)]
    pub fn new(src: R, name: String, delim: u8, max_record: usize) -> Self {
        Self::with_buffer(src, name, delim, max_record, 64 * 1024)
    }

    /// A reader with a read buffer of `buffer` bytes.
    pub fn with_buffer(src: R, name: String, delim: u8, max_record: usize, buffer: usize) -> Self {
        CsvReader {
            src: BufReader::with_capacity(buffer, src),
            delim,
            name,
            line: 0,
            raw: Vec::new(),
            first_line: 0,
            plain: false,
            data: Vec::new(),
            ends: Vec::new(),
            starts: Vec::new(),
            max_record,
            at_start: true,
            checked: 0,
            consumed: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Field `i` of the current record, decoded (valid UTF-8).
    pub fn field(&self, i: usize) -> &[u8] {
        if self.plain {
            return &self.raw[self.starts[i]..self.ends[i]];
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.data[start..self.ends[i]]
    }

    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The decoded fields of the current record at once: the bytes that hold them all (valid
    /// UTF-8) and where each field lies in them.
    pub fn fields(&self) -> (&[u8], impl Iterator<Item = std::ops::Range<usize>> + '_) {
        let end = self.ends.last().copied().unwrap_or(0);
        let text = if self.plain {
            &self.raw[..end]
        } else {
            &self.data[..end]
        };
        let spans = (0..self.ends.len()).map(move |i| match (self.plain, i) {
            (true, _) => self.starts[i]..self.ends[i],
            (false, 0) => 0..self.ends[0],
            (false, _) => self.ends[i - 1]..self.ends[i],
        });
        (text, spans)
    }

    pub fn lines(&self) -> Lines {
        Lines {
            first: self.first_line,
            last: self.line,
        }
    }

    /// Marks `n` bytes of the read buffer as read.
    fn consume(&mut self, n: usize) {
        self.src.consume(n);
        self.consumed += n as u64;
        self.checked = self.checked.saturating_sub(n);
    }

    /// Appends the next physical line to `raw`; 0 at the end of the input.
    fn read_line(&mut self) -> Result<usize> {
        let limit = (self.max_record + 1).saturating_sub(self.raw.len()).max(1);
        let mut n = 0;
        while n < limit {
            let buf = fill(&mut self.src, &self.name)?;
            if buf.is_empty() {
                break;
            }
            let avail = &buf[..buf.len().min(limit - n)];
            // LF, CRLF and a lone CR (old spreadsheet exports) all end a line.
            let (used, end, cr_last) = match memchr::memchr2(b'\n', b'\r', avail) {
                Some(p) if avail[p] == b'\n' => (p + 1, true, false),
                Some(p) => match avail.get(p + 1) {
                    Some(b'\n') => (p + 2, true, false),
                    Some(_) => (p + 1, true, false),
                    None => (p + 1, true, true),
                },
                None => (avail.len(), false, false),
            };
            self.raw.extend_from_slice(&avail[..used]);
            self.consume(used);
            n += used;
            if cr_last {
                // A CR at the end of the buffer: its LF, if any, is in the next one.
                if fill(&mut self.src, &self.name)?.first() == Some(&b'\n') {
                    self.raw.push(b'\n');
                    self.consume(1);
                    n += 1;
                }
            }
            if end {
                break;
            }
        }
        if n > 0 {
            self.line += 1;
        }
        if self.raw.len() > self.max_record {
            let size = self.raw.len();
            return Err(too_big(
                &self.name,
                super::encode::TooBig {
                    lines: Lines {
                        first: self.first_line.max(1),
                        last: self.line,
                    },
                    size,
                    cut: true,
                },
                self.max_record,
            ));
        }
        Ok(n)
    }

    /// Reads the next record; `false` at the end of the input.
    pub fn read_record(&mut self) -> Result<bool> {
        self.raw.clear();
        self.data.clear();
        self.ends.clear();
        self.starts.clear();
        let mut skip = 0;
        loop {
            self.first_line = self.line + 1;
            if self.read_line()? == 0 {
                return Ok(false);
            }
            // The mark is dropped from the first line that is not blank, so that the header
            // means the same in a `--failed-rows` file, which has no blank lines before it.
            if self.at_start && self.raw.starts_with(BOM) {
                skip = BOM.len();
            }
            // A last line of just `\r` is blank too, as its `\r\n` form is (both found by
            // fuzzing).
            if !matches!(&self.raw[skip..], b"\n" | b"\r\n" | b"\r" | b"") {
                break;
            }
            self.raw.clear();
            skip = 0;
        }
        if self.first_line == 1
            && (self.raw.starts_with(b"\xFF\xFE") || self.raw.starts_with(b"\xFE\xFF"))
        {
            return Err(input_error(
                &self.name,
                1,
                Some(1),
                "this is a UTF-16 file (it starts with a UTF-16 byte-order mark); mlws reads UTF-8: convert it, e.g. `iconv -f UTF-16 -t UTF-8`",
            ));
        }
        self.at_start = false;
        self.plain = memchr::memchr(b'"', &self.raw).is_none();
        if self.plain {
            self.split_plain(skip);
        } else {
            self.parse_fields(skip)?;
        }
        if let Err(e) = std::str::from_utf8(&self.raw) {
            let (line, col) = self.position(e.valid_up_to());
            return Err(input_error(
                &self.name,
                line,
                Some(col),
                "invalid UTF-8 (mlws reads UTF-8 text: convert other encodings first, e.g. with `iconv -t UTF-8`)",
            ));
        }
        // A NUL is valid UTF-8 but never text: a binary file, or UTF-16 without its mark.
        if let Some(at) = memchr::memchr(0, &self.raw) {
            let (line, col) = self.position(at);
            return Err(input_error(
                &self.name,
                line,
                Some(col),
                "a NUL byte: this is not a text file (binary data, or UTF-16?)",
            ));
        }
        Ok(true)
    }

    /// The fields of a one-line record without quotes, from `i`: split at each delimiter, up
    /// to the line break (a `\r` before it, or at the end of the input, is not part of the
    /// last field), as `parse_fields` would.
    fn split_plain(&mut self, i: usize) {
        let mut end = self.raw.len();
        if self.raw.last() == Some(&b'\n') {
            end -= 1;
        }
        let mut start = i;
        for d in memchr::memchr_iter(self.delim, &self.raw[i..end]) {
            self.starts.push(start);
            self.ends.push(i + d);
            start = i + d + 1;
        }
        if end > start && self.raw[end - 1] == b'\r' {
            end -= 1;
        }
        self.starts.push(start);
        self.ends.push(end);
    }

    fn parse_fields(&mut self, mut i: usize) -> Result<()> {
        loop {
            self.starts.push(i);
            if self.raw.get(i) == Some(&b'"') {
                i = self.quoted_field(i)?;
                match self.raw.get(i).copied() {
                    Some(c) if c == self.delim => i += 1,
                    None | Some(b'\n') => break,
                    Some(b'\r') if matches!(self.raw.get(i + 1), None | Some(b'\n')) => break,
                    Some(c) => {
                        let (line, col) = self.position(i);
                        let shown = if c.is_ascii_graphic() || c == b' ' {
                            format!("`{}`", c as char)
                        } else {
                            format!("byte 0x{c:02x}")
                        };
                        return Err(input_error(
                            &self.name,
                            line,
                            Some(col),
                            format!(
                                "unexpected {shown} after the closing quote of a field (a quote inside a quoted field is written `\"\"`)"
                            ),
                        ));
                    }
                }
            } else {
                let delim = self.delim;
                let rest = &self.raw[i..];
                let j = i + rest
                    .iter()
                    .position(|&b| b == delim || b == b'\n' || b == b'\r')
                    .unwrap_or(rest.len());
                let at_delim = self.raw.get(j) == Some(&delim);
                let end = j;
                self.data.extend_from_slice(&self.raw[i..end]);
                self.ends.push(self.data.len());
                if !at_delim {
                    return Ok(());
                }
                i = j + 1;
            }
        }
        Ok(())
    }

    /// Decodes the quoted field opening at `open`; returns the offset after its closing quote.
    fn quoted_field(&mut self, open: usize) -> Result<usize> {
        let mut i = open + 1;
        loop {
            match self.raw[i..].iter().position(|&b| b == b'"') {
                Some(k) => {
                    let j = i + k;
                    self.data.extend_from_slice(&self.raw[i..j]);
                    if self.raw.get(j + 1) == Some(&b'"') {
                        self.data.push(b'"');
                        i = j + 2;
                    } else {
                        self.ends.push(self.data.len());
                        return Ok(j + 1);
                    }
                }
                None => {
                    self.data.extend_from_slice(&self.raw[i..]);
                    i = self.raw.len();
                    if self.read_line()? == 0 {
                        let (line, col) = self.position(open);
                        return Err(input_error(
                            &self.name,
                            line,
                            Some(col),
                            "this quoted field is never closed",
                        ));
                    }
                }
            }
        }
    }

    /// Line and 1-based byte column of a raw offset of the current record.
    fn position(&self, offset: usize) -> (u64, u64) {
        let before = &self.raw[..offset.min(self.raw.len())];
        // A line break is an LF, or a CR not followed by one (as `read_line` reads them).
        let is_break = |i: usize| {
            before[i] == b'\n' || (before[i] == b'\r' && self.raw.get(i + 1) != Some(&b'\n'))
        };
        let newlines = (0..before.len()).filter(|&i| is_break(i)).count() as u64;
        let line_start = (0..before.len()).rposition(is_break).map_or(0, |p| p + 1);
        (self.first_line + newlines, (offset - line_start) as u64 + 1)
    }

    /// The bytes read from the input but not yet parsed, then the unread input.
    fn into_rest(self) -> Box<dyn Read + Send>
    where
        R: Send + 'static,
    {
        let buffered = self.src.buffer().to_vec();
        Box::new(Cursor::new(buffered).chain(self.src.into_inner()))
    }
}

/// Splits a line (without its line break) at each `delim` into `fields`, as offsets, when it
/// holds no quote, CR or NUL (the common row), in one pass eight bytes at a time; `None` when
/// it holds one of those. Else whether the line is also JSON-clean: no backslash and no C0
/// control but `delim` (its fields go into JSON strings as they are).
fn split_unquoted(line: &[u8], delim: u8, fields: &mut Vec<(usize, usize)>) -> Option<bool> {
    use super::encode::{eq_bytes, json_controls};
    fields.clear();
    let (mut start, mut odd, mut escapes) = (0, 0, 0);
    let mut word = |x: u64, base: usize, fields: &mut Vec<(usize, usize)>| {
        odd |= eq_bytes(x, b'"') | eq_bytes(x, b'\r') | eq_bytes(x, 0);
        let d = eq_bytes(x, delim);
        escapes |= eq_bytes(x, b'\\') | (json_controls(x) & !d);
        let mut d = d;
        while d != 0 {
            let at = base + (d.trailing_zeros() / 8) as usize;
            fields.push((start, at));
            start = at + 1;
            d &= d - 1;
        }
    };
    let mut chunks = line.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        word(
            u64::from_le_bytes(chunk.try_into().expect("eight bytes")),
            base,
            fields,
        );
        base += 8;
    }
    // The tail, padded with a byte that is none of those looked for.
    let rest = chunks.remainder();
    let mut last = [if delim == b'a' { b'b' } else { b'a' }; 8];
    last[..rest.len()].copy_from_slice(rest);
    word(u64::from_le_bytes(last), base, fields);
    fields.push((start, line.len()));
    (odd == 0).then_some(escapes == 0)
}

/// Splits a line (without its line break) into `fields`, as offsets, when none of them needs
/// unquoting: unquoted fields without a quote, and quoted ones without a quote inside
/// (`""`), each followed by the delimiter or the end. `false` for anything else.
fn split_plain_line(line: &[u8], delim: u8, fields: &mut Vec<(usize, usize)>) -> bool {
    fields.clear();
    if memchr::memchr(b'"', line).is_none() {
        let mut start = 0;
        for d in memchr::memchr_iter(delim, line) {
            fields.push((start, d));
            start = d + 1;
        }
        fields.push((start, line.len()));
        return true;
    }
    let mut i = 0;
    loop {
        if line.get(i) == Some(&b'"') {
            let Some(close) = memchr::memchr(b'"', &line[i + 1..]).map(|k| i + 1 + k) else {
                return false;
            };
            // A tab in a quoted TSV field is escaped in JSON.
            if delim < 0x20 && memchr::memchr(delim, &line[i + 1..close]).is_some() {
                return false;
            }
            fields.push((i + 1, close));
            i = close + 1;
            match line.get(i) {
                None => return true,
                Some(&c) if c == delim => i += 1,
                Some(_) => return false,
            }
        } else {
            let end = memchr::memchr(delim, &line[i..]).map_or(line.len(), |d| i + d);
            if memchr::memchr(b'"', &line[i..end]).is_some() {
                return false;
            }
            fields.push((i, end));
            if end == line.len() {
                return true;
            }
            i = end + 1;
        }
    }
}

/// The read buffer, filled when it is empty (at the end of the input it stays empty).
fn fill<'a, R: Read>(src: &'a mut BufReader<R>, name: &str) -> Result<&'a [u8]> {
    loop {
        match src.fill_buf() {
            Ok(_) => return Ok(src.buffer()),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read `{name}`")),
        }
    }
}

/// The whole lines at the start of the read buffer that are valid UTF-8 (ending at a line
/// break: a character boundary), for the fast paths; empty when there is none. `checked`
/// counts the buffer's bytes known to be valid: each byte is checked once, however often the
/// record path takes over.
fn whole_lines<'a, R: Read>(
    src: &'a mut BufReader<R>,
    checked: &mut usize,
    name: &str,
) -> Result<&'a [u8]> {
    let buf = fill(src, name)?;
    let Some(last) = memchr::memrchr(b'\n', buf) else {
        return Ok(&[]);
    };
    let region = &buf[..=last];
    if *checked < region.len() {
        *checked += match std::str::from_utf8(&region[*checked..]) {
            Ok(rest) => rest.len(),
            Err(e) => e.valid_up_to(),
        };
    }
    let valid = (*checked).min(region.len());
    let end = memchr::memrchr(b'\n', &region[..valid]).map_or(0, |nl| nl + 1);
    Ok(&region[..end])
}

/// Batches from a CSV or TSV input.
struct CsvSource<R> {
    rd: CsvReader<R>,
    header: Vec<String>,
    head_raw: Bytes,
    /// The line of the header row (after blank lines, if any).
    head_line: u64,
    enc: RowEncoder,
    batcher: Batcher,
    row: Vec<u8>,
    /// The current record is read but not in the batcher (reading stopped on it).
    partial: bool,
    done: bool,
    emitted: bool,
    max_body: usize,
    swagger: bool,
    /// The fields of a line on the fast path, as offsets.
    fields: Vec<(usize, usize)>,
    /// Whether plain lines take the fast path (off in tests that check it against the
    /// record-by-record path).
    fast: bool,
}

pub(super) fn open<R: Read + Send + 'static>(
    reader: R,
    name: String,
    delim: u8,
    spec: &BatchSpec,
    at: super::Start,
) -> Result<Box<dyn BatchSource>> {
    Ok(open_source_at(
        reader,
        name,
        delim,
        spec,
        64 * 1024,
        true,
        at,
    )?)
}

/// Reads the header record: the column names (each once) and its raw line (ending in `\n`).
fn read_header<R: Read>(rd: &mut CsvReader<R>) -> Result<(Vec<String>, Vec<u8>)> {
    if !rd.read_record()? {
        return Err(crate::usage!(
            "`{}` is empty: the first line must name the columns",
            rd.name
        ));
    }
    let header: Vec<String> = (0..rd.len())
        .map(|i| String::from_utf8_lossy(rd.field(i)).into_owned())
        .collect();
    // A map, not a scan of the columns before: 300,000 columns took minutes.
    let mut seen = std::collections::HashMap::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        if let Some(j) = seen.insert(name.as_str(), i) {
            let (line, col) = rd.position(rd.starts[i]);
            return Err(input_error(
                &rd.name,
                line,
                Some(col),
                format!(
                    "column `{name}` is named twice (columns {} and {})",
                    j + 1,
                    i + 1
                ),
            ));
        }
    }
    let mut head_raw = rd.raw().to_vec();
    if !head_raw.ends_with(b"\n") {
        head_raw.push(b'\n');
    }
    Ok((header, head_raw))
}

/// The error of a record with another number of fields than the header's `width`.
fn check_width<R: Read>(rd: &CsvReader<R>, width: usize) -> Result<()> {
    let n = rd.len();
    if n == width {
        return Ok(());
    }
    let at = if n > width {
        rd.starts[width]
    } else {
        rd.raw.len() - trailing_newline(&rd.raw)
    };
    let (line, col) = rd.position(at);
    Err(input_error(
        &rd.name,
        line,
        Some(col),
        format!(
            "this row has {n} field{} where the header has {width}",
            if n == 1 { "" } else { "s" },
        ),
    ))
}

/// CSV or TSV rows as cells, for the typed protocols (`typed.rs`), straight into cells
/// without a classic body in between: plain lines from the read buffer (as `plain_lines`
/// does for classic bodies), anything else by the record path of the reader.
pub(super) struct CsvRows<R> {
    rd: CsvReader<R>,
    header: Vec<String>,
    head_raw: Bytes,
    head_line: u64,
    /// A record was being read when reading stopped.
    partial: bool,
    done: bool,
    /// The fields of a line on the fast path, as offsets.
    fields: Vec<(usize, usize)>,
    /// Whether plain lines take the fast path (off in the tests that check it).
    fast: bool,
}

/// Opens CSV or TSV rows with a read buffer of `buffer` bytes (64 KiB outside tests).
pub(super) fn rows<R: Read + Send + 'static>(
    reader: R,
    name: String,
    delim: u8,
    max_record: usize,
    at: super::Start,
    (buffer, fast): (usize, bool),
) -> Result<CsvRows<R>> {
    let mut rd = CsvReader::with_buffer(reader, name, delim, max_record, buffer);
    (rd.line, rd.consumed) = (at.lines, at.bytes);
    let (header, head_raw) = read_header(&mut rd)?;
    Ok(CsvRows {
        head_line: rd.line,
        rd,
        header,
        head_raw: head_raw.into(),
        partial: false,
        done: false,
        fields: Vec::new(),
        fast,
    })
}

impl<R: Read> CsvRows<R> {
    /// The fast path: up to `max` whole lines of the read buffer that are valid UTF-8, not
    /// blank, with as many fields as the header and nothing to unquote in them (the lines
    /// `plain_lines` takes), straight into `set`. Stops before the first other line, which
    /// the record path then reads (and reports, if it is malformed) as it would have.
    fn plain_rows(&mut self, set: &mut super::RowSet, max: usize) -> Result<usize> {
        let CsvRows { rd, fields, .. } = self;
        let (delim, width) = (rd.delim, self.header.len());
        let region = whole_lines(&mut rd.src, &mut rd.checked, &rd.name)?;
        let (mut pos, mut n) = (0, 0);
        let mut rows = set.plain_lines(delim);
        while n < max
            && let Some(nl) = memchr::memchr(b'\n', &region[pos..])
        {
            let line_start = pos;
            let line = &region[pos..pos + nl];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            // A line break is a `\n` or a lone `\r`; a NUL is an error: the record path's.
            let plain = split_unquoted(line, delim, fields);
            if line.is_empty()
                || !(plain.is_some()
                    || memchr::memchr2(b'\r', 0, line).is_none()
                        && split_plain_line(line, delim, fields))
                || fields.len() != width
            {
                break;
            }
            rd.line += 1;
            let lines = Lines {
                first: rd.line,
                last: rd.line,
            };
            let spans = fields.iter().map(|&(start, end)| start..end);
            pos += nl + 1;
            rows.row(
                line_start,
                spans,
                plain,
                pos,
                lines,
                rd.consumed + pos as u64,
            );
            n += 1;
        }
        // Only the lines read are made a `str` (checked again, once): the rest of the buffer
        // may be left to the record path and come back here many times.
        rows.finish(std::str::from_utf8(&region[..pos]).expect("whole_lines checks UTF-8"));
        rd.consume(pos);
        Ok(n)
    }
}

impl<R: Read + Send + 'static> super::typed::RowRead for CsvRows<R> {
    fn columns(&self) -> &[String] {
        &self.header
    }

    fn next_rows(&mut self, set: &mut super::RowSet, max: usize) -> Result<usize> {
        if self.done {
            return Ok(0);
        }
        if self.fast {
            let n = self.plain_rows(set, max)?;
            if n > 0 {
                return Ok(n);
            }
        }
        self.partial = true;
        if !self.rd.read_record()? {
            (self.partial, self.done) = (false, true);
            return Ok(0);
        }
        check_width(&self.rd, self.header.len())?;
        let (text, fields) = self.rd.fields();
        let text = std::str::from_utf8(text).expect("read_record checks UTF-8");
        set.push_fields(text, fields);
        set.end_row(self.rd.raw(), self.rd.lines(), self.rd.consumed);
        self.partial = false;
        Ok(1)
    }

    fn failed_head(&self) -> Bytes {
        self.head_raw.clone()
    }

    fn framing(&self) -> Framing {
        Framing::Lines
    }

    fn first_line(&self) -> u64 {
        self.head_line + 1
    }

    fn into_remainder(self: Box<Self>) -> Option<Remainder> {
        if self.done {
            return None;
        }
        let pending = if self.partial {
            self.rd.raw.clone()
        } else {
            Vec::new()
        };
        Some(Remainder {
            pending,
            rest: self.rd.into_rest(),
        })
    }
}

/// `open` with a read buffer of `buffer` bytes, with the fast path or without.
#[cfg(test)]
fn open_source<R: Read + Send + 'static>(
    reader: R,
    name: String,
    delim: u8,
    spec: &BatchSpec,
    buffer: usize,
    fast: bool,
) -> Result<Box<CsvSource<R>>> {
    open_source_at(
        reader,
        name,
        delim,
        spec,
        buffer,
        fast,
        super::Start::default(),
    )
}

fn open_source_at<R: Read + Send + 'static>(
    reader: R,
    name: String,
    delim: u8,
    spec: &BatchSpec,
    buffer: usize,
    fast: bool,
    at: super::Start,
) -> Result<Box<CsvSource<R>>> {
    let mut rd = CsvReader::with_buffer(reader, name, delim, spec.max_body + 2, buffer);
    (rd.line, rd.consumed) = (at.lines, at.bytes);
    let (header, head_raw) = read_header(&mut rd)?;
    let head_line = rd.line;
    let (prefix, suffix) = body_frame(&spec.input_name, &header, spec.swagger, &spec.params);
    // Even a header-only input is sent (for the output columns): its body must fit too.
    let size = prefix.len() + suffix.len();
    if size > spec.max_body {
        let lines = rd.lines();
        return Err(too_big(
            &rd.name,
            super::encode::TooBig {
                lines,
                size,
                cut: false,
            },
            spec.max_body,
        ));
    }
    let head_raw = Bytes::from(head_raw);
    Ok(Box::new(CsvSource {
        enc: RowEncoder::new(&header, spec.swagger),
        batcher: Batcher::new(prefix, suffix, spec.max_rows, spec.max_body),
        rd,
        header,
        head_raw,
        head_line,
        row: Vec::new(),
        partial: false,
        done: false,
        emitted: false,
        max_body: spec.max_body,
        swagger: spec.swagger,
        fields: Vec::new(),
        fast,
    }))
}

impl<R: Read + Send + 'static> CsvSource<R> {
    /// The fast path, for the common row: whole lines of the read buffer that are valid UTF-8,
    /// not blank, with as many fields as the header, quoted or not but with nothing to
    /// unquote or escape in them, go from the buffer into the request body in one step (no
    /// record, no row copy). Stops with the batch a line completes, or before the first line
    /// that is not such (or does not fit in a request), which the record-by-record path then
    /// reads (and reports, if it is malformed) exactly as it would have.
    fn plain_lines(&mut self) -> Result<Option<Batch>> {
        let CsvSource {
            rd,
            enc,
            batcher,
            fields,
            ..
        } = self;
        let (delim, width) = (rd.delim, self.header.len());
        let region = whole_lines(&mut rd.src, &mut rd.checked, &rd.name)?;
        let (mut pos, mut done) = (0, None);
        while let Some(nl) = memchr::memchr(b'\n', &region[pos..]) {
            let raw = &region[pos..=pos + nl];
            let line = &raw[..nl];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty()
                || !no_escapes_but_quotes(line, delim)
                || !split_plain_line(line, delim, fields)
                || fields.len() != width
            {
                break;
            }
            let at = rd.line + 1;
            let lines = Lines {
                first: at,
                last: at,
            };
            let text: usize = fields.iter().map(|(start, end)| end - start).sum();
            let len = enc.plain_len(text, width);
            batcher.row_end(rd.consumed + (pos + nl + 1) as u64);
            // Too big even alone: an error the record path reports (nothing was added).
            let Ok(batch) =
                batcher.push_with(len, raw, lines, |body| enc.plain_row(body, line, fields))
            else {
                break;
            };
            rd.line = at;
            pos += nl + 1;
            if batch.is_some() {
                done = batch;
                break;
            }
        }
        rd.consume(pos);
        Ok(done)
    }

    fn encode_row(&mut self) -> Result<()> {
        check_width(&self.rd, self.header.len())?;
        let n = self.rd.len();
        self.enc.begin(&mut self.row);
        for i in 0..n {
            self.enc.cell(&mut self.row, i);
            push_json_str(&mut self.row, self.rd.field(i));
        }
        self.enc.end(&mut self.row);
        Ok(())
    }
}

fn trailing_newline(raw: &[u8]) -> usize {
    if raw.ends_with(b"\r\n") {
        2
    } else {
        usize::from(raw.ends_with(b"\n"))
    }
}

impl<R: Read + Send + 'static> BatchSource for CsvSource<R> {
    fn next_batch(&mut self) -> Result<Option<Batch>> {
        while !self.done {
            if self.fast
                && let Some(batch) = self.plain_lines()?
            {
                self.emitted = true;
                return Ok(Some(batch));
            }
            self.partial = true;
            if !self.rd.read_record()? {
                self.partial = false;
                self.done = true;
                let empty_ok = !self.emitted;
                return Ok(self.batcher.finish(empty_ok, self.rd.line + 1));
            }
            self.encode_row()?;
            self.batcher.row_end(self.rd.consumed);
            let pushed = self
                .batcher
                .push(&self.row, &self.rd.raw, self.rd.lines())
                .map_err(|e| too_big(&self.rd.name, e, self.max_body))?;
            self.partial = false;
            if let Some(batch) = pushed {
                self.emitted = true;
                return Ok(Some(batch));
            }
        }
        Ok(None)
    }

    fn swagger(&self) -> bool {
        self.swagger
    }

    fn failed_head(&self) -> Bytes {
        self.head_raw.clone()
    }

    fn framing(&self) -> Framing {
        Framing::Lines
    }

    fn first_line(&self) -> u64 {
        self.head_line + 1
    }

    fn into_remainder(self: Box<Self>) -> Option<Remainder> {
        if self.done {
            return None;
        }
        let mut pending = self.batcher.pending().to_vec();
        if self.partial {
            pending.extend_from_slice(&self.rd.raw);
        }
        Some(Remainder {
            pending,
            rest: self.rd.into_rest(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::tests;

    type Fields = Vec<Vec<u8>>;

    /// The fields of every record as the reader makes them, and as `parse_fields` (the path
    /// for records with quotes) would make them from the same raw bytes.
    fn both_ways(input: &[u8]) -> Vec<(Fields, Fields)> {
        let mut rd = CsvReader::new(Cursor::new(input.to_vec()), "t".into(), b',', 1 << 20);
        let mut out = vec![];
        while rd.read_record().unwrap() {
            let fields = |rd: &CsvReader<_>| (0..rd.len()).map(|i| rd.field(i).to_vec()).collect();
            let fast: Fields = fields(&rd);
            let skip = if rd.raw.starts_with(BOM) {
                BOM.len()
            } else {
                0
            };
            rd.plain = false;
            rd.data.clear();
            rd.ends.clear();
            rd.starts.clear();
            rd.parse_fields(skip).unwrap();
            out.push((fast, fields(&rd)));
        }
        out
    }

    /// What a source opened on `input` makes (`describe`), with the fast path or without.
    fn batches(
        input: &[u8],
        delim: u8,
        spec: &BatchSpec,
        buffer: usize,
        fast: bool,
        stop: Option<usize>,
    ) -> String {
        let reader = Cursor::new(input.to_vec());
        let src = open_source(reader, "t".into(), delim, spec, buffer, fast);
        tests::describe(src.map(|s| s as Box<dyn BatchSource>), stop)
    }

    #[test]
    fn the_fast_path_makes_what_the_record_path_makes() {
        let alphabet: &[&[u8]] = &[
            b"a",
            b"bc",
            b" ",
            b",",
            b"\t",
            b"\"",
            b"\"\"",
            b"\n",
            b"\n",
            b"\n",
            b"\r\n",
            b"\r",
            b"\\",
            b"\x01",
            b"\0",
            "é".as_bytes(),
            b"\xff",
            b"\xEF\xBB\xBF",
        ];
        let mut rng = fastrand::Rng::with_seed(29);
        let mut made = 0;
        for round in 0..3000 {
            let delim = [b',', b',', b'\t', b';', b'|'][rng.usize(..5)];
            let width = rng.usize(1..4);
            let header: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
            let mut input = header.join(&(delim as char).to_string()).into_bytes();
            input.push(b'\n');
            // Mostly well-formed rows (so that the fast path runs far), some odd bytes.
            for _ in 0..rng.usize(0..40) {
                for f in 0..width {
                    if f > 0 {
                        input.push(delim);
                    }
                    let quoted = rng.u8(..4) == 0;
                    if quoted {
                        input.push(b'"');
                    }
                    for _ in 0..rng.usize(0..6) {
                        let odd = rng.u8(..10) == 0;
                        let piece = if odd {
                            alphabet[rng.usize(..alphabet.len())]
                        } else {
                            alphabet[rng.usize(..3)]
                        };
                        input.extend_from_slice(piece);
                    }
                    if quoted {
                        input.push(b'"');
                    }
                }
                input.extend_from_slice(
                    [b"\r\n" as &[u8], b"\r", b"\n", b"\n", b"\n"][rng.usize(..5)],
                );
            }
            if rng.bool() {
                input.pop();
            }
            let spec = tests::random_spec(&mut rng, round);
            let buffer = rng.usize(1..80);
            let stop = rng.bool().then(|| rng.usize(0..4));
            made += tests::fast_path_agrees(&input, |fast| {
                batches(&input, delim, &spec, buffer, fast, stop)
            });
        }
        assert!(made > 5_000, "only {made} batches made");
    }

    #[test]
    fn lines_split_eight_bytes_at_a_time_as_split_plain_line_splits_them() {
        let mut rng = fastrand::Rng::with_seed(5);
        let bytes = b"ab,;\t\"\r\0 \xc3\xa9\\\n\x1f";
        for _ in 0..20_000 {
            let line: Vec<u8> = (0..rng.usize(0..40))
                .map(|_| bytes[rng.usize(..bytes.len())])
                .collect();
            let delim = [b',', b';', b'\t', b'a'][rng.usize(..4)];
            let (mut a, mut b) = (vec![], vec![]);
            let odd = line.iter().any(|c| matches!(c, b'"' | b'\r' | 0));
            let escapes = line.iter().any(|&c| c == b'\\' || c < 0x20 && c != delim);
            let want = (!odd).then_some(!escapes);
            assert_eq!(split_unquoted(&line, delim, &mut a), want, "{line:?}");
            if !odd {
                assert!(split_plain_line(&line, delim, &mut b));
                assert_eq!(a, b, "{line:?} {delim}");
            }
        }
    }

    #[test]
    fn plain_and_simply_quoted_rows_take_the_fast_path() {
        let input = "a,b\nx,y\r\n\"x,1\",\"\"\n,\"z\"\n".as_bytes().to_vec();
        let spec = BatchSpec {
            input_name: "input1".into(),
            swagger: false,
            max_rows: 3,
            max_body: 1 << 20,
            params: vec![],
            delimiter: None,
        };
        let mut src = open_source(Cursor::new(input), "t".into(), b',', &spec, 64, true).unwrap();
        let batch = src.next_batch().unwrap().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&batch.body),
            r#"{"Inputs":{"input1":{"ColumnNames":["a","b"],"Values":[["x","y"],["x,1",""],["","z"]]}},"GlobalParameters":{}}"#
        );
        // The record path read the header and nothing after it.
        assert_eq!(src.rd.raw, b"a,b\n");
        assert_eq!(batch.lines, Lines { first: 2, last: 4 });
    }

    #[test]
    fn records_without_quotes_are_split_as_the_quoting_parser_splits_them() {
        let alphabet: &[&[u8]] = &[b"a", b",", b"\r", b" ", "é".as_bytes(), b"\t", b"\r\n"];
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..300 {
            let mut input = b"\xEF\xBB\xBF".to_vec();
            for _ in 0..rng.usize(1..6) {
                for _ in 0..rng.usize(0..12) {
                    input.extend_from_slice(alphabet[rng.usize(..alphabet.len())]);
                }
                input.push(b'\n');
            }
            if rng.bool() {
                input.pop();
            }
            for (fast, slow) in both_ways(&input) {
                assert_eq!(fast, slow, "{:?}", String::from_utf8_lossy(&input));
            }
        }
    }
}
