//! Writing request bodies as bytes, directly (no `serde_json::Value` per cell): JSON string
//! escaping, the row encoder of both body formats (`protocol.md` §3.1 table rows
//! `["a","b"]`, §3.2 swagger rows `{"Col1":"a","Col2":"b"}`), and the `Batcher` that cuts
//! rows into bodies of at most N rows and at most `max_body` bytes.

use super::{Batch, Lines};
use bytes::Bytes;

/// Bytes that must be escaped inside a JSON string: `"`, `\` and the C0 controls.
const fn escape_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
}
static NEEDS_ESCAPE: [bool; 256] = escape_table();

/// Eight bytes at once: every byte `0x01`, `0x7F`, `0x80`.
const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const LOW7: u64 = u64::from_ne_bytes([0x7F; 8]);
const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);

/// The first byte of `s` at or after `i` that must be escaped inside a JSON string (a quote,
/// a backslash or a C0 control), or `s.len()`. Eight bytes at a time (this is the hot loop of
/// both writing request bodies and reading answers).
pub fn json_special(s: &[u8], mut i: usize) -> usize {
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    // The bytes of `chunk` to escape, flagged by their high bit. The lowest flag is exact:
    // borrows only run towards higher bytes.
    let flags = |chunk: &[u8]| {
        let x = chunk.try_into().map_or(0, u64::from_le_bytes);
        zero_byte(x ^ (ONES * u64::from(b'"')))
            | zero_byte(x ^ (ONES * u64::from(b'\\')))
            | (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
    };
    let start = i;
    while let Some(chunk) = s.get(i..i + 8) {
        let found = flags(chunk);
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    if i == s.len() {
        return i;
    }
    if s.len() - start >= 8 {
        // The last eight bytes: those before `i` are known plain, so the first flagged one
        // is in the tail.
        let last = s.len() - 8;
        let found = flags(&s[last..]);
        return if found == 0 {
            s.len()
        } else {
            last + (found.trailing_zeros() / 8) as usize
        };
    }
    let rest = &s[i..];
    i + rest
        .iter()
        .position(|&b| NEEDS_ESCAPE[b as usize])
        .unwrap_or(rest.len())
}

/// The bytes of `x` equal to `c`, flagged by their high bit (exactly: no borrow between bytes).
pub(crate) fn eq_bytes(x: u64, c: u8) -> u64 {
    let y = x ^ (ONES * u64::from(c));
    !(((y & LOW7) + LOW7) | y) & HIGH
}

/// The decimal digits of `n`, written at the end of `buf` (no formatting machinery: this runs
/// once per row, or per cell).
pub fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// The C0 controls (bytes below 0x20) of `x`, flagged by their high bit (exactly).
#[inline]
pub(crate) fn json_controls(x: u64) -> u64 {
    // Adding 0x60 to a byte's low seven bits sets its high bit unless it is below 0x20.
    !(((x & LOW7) + ONES * 0x60) | x) & HIGH
}

/// Whether `s` holds no backslash and no C0 control but `delim` (a tab that splits TSV
/// fields): with quotes dealt with apart, its bytes go into a JSON string as they are. Eight
/// bytes at a time, exactly, for the fast path of reading CSV (`csv_in.rs`).
pub fn no_escapes_but_quotes(s: &[u8], delim: u8) -> bool {
    let word = |x: u64| {
        let control = json_controls(x);
        let control = if delim < 0x20 {
            control & !eq_bytes(x, delim)
        } else {
            control
        };
        control | eq_bytes(x, b'\\')
    };
    let mut chunks = s.chunks_exact(8);
    let mut found = 0;
    for chunk in &mut chunks {
        found |= word(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
    }
    let rest = chunks.remainder();
    let mut last = [b'a'; 8];
    last[..rest.len()].copy_from_slice(rest);
    found |= word(u64::from_le_bytes(last));
    found == 0
}

/// Appends `s` (valid UTF-8) as a JSON string, quotes included.
pub fn push_json_str(out: &mut Vec<u8>, s: &[u8]) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut start = 0;
    loop {
        let i = json_special(s, start);
        out.extend_from_slice(&s[start..i]);
        let Some(&b) = s.get(i) else { break };
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 0xf) as usize]);
            }
        }
        start = i + 1;
    }
    out.push(b'"');
}

/// Encodes one row of cells in the table or the swagger format.
#[derive(Debug, Clone)]
pub struct RowEncoder {
    swagger: bool,
    /// `"name":` for each column, pre-encoded (swagger rows only).
    keys: Vec<Vec<u8>>,
    /// The length of all `keys`.
    keys_len: usize,
}

impl RowEncoder {
    pub fn new(columns: &[String], swagger: bool) -> Self {
        let keys = columns
            .iter()
            .map(|c| {
                let mut k = Vec::with_capacity(c.len() + 3);
                push_json_str(&mut k, c.as_bytes());
                k.push(b':');
                k
            })
            .collect::<Vec<_>>();
        let keys_len = keys.iter().map(Vec::len).sum();
        RowEncoder {
            swagger,
            keys,
            keys_len,
        }
    }

    pub fn begin(&self, out: &mut Vec<u8>) {
        out.clear();
        out.push(if self.swagger { b'{' } else { b'[' });
    }

    /// Writes what goes before cell `i`: a comma and, for swagger rows, the key.
    pub fn cell(&self, out: &mut Vec<u8>, i: usize) {
        if i > 0 {
            out.push(b',');
        }
        if self.swagger {
            out.extend_from_slice(&self.keys[i]);
        }
    }

    pub fn end(&self, out: &mut Vec<u8>) {
        out.push(if self.swagger { b'}' } else { b']' });
    }

    /// The length of the row [`plain_row`](Self::plain_row) makes of `n` fields of `len`
    /// bytes in all.
    pub fn plain_len(&self, len: usize, n: usize) -> usize {
        len + 2 + 2 * n + n.saturating_sub(1) + if self.swagger { self.keys_len } else { 0 }
    }

    /// Appends the row of the fields `line[start..end]` for each of `fields`, when every byte
    /// of them goes into a JSON string as it is.
    pub fn plain_row(&self, out: &mut Vec<u8>, line: &[u8], fields: &[(usize, usize)]) {
        out.push(if self.swagger { b'{' } else { b'[' });
        for (i, &(start, end)) in fields.iter().enumerate() {
            self.cell(out, i);
            out.push(b'"');
            out.extend_from_slice(&line[start..end]);
            out.push(b'"');
        }
        self.end(out);
    }
}

/// `{"Inputs":{NAME:` ... `},"GlobalParameters":{...}}` around the rows of one body.
pub fn body_frame(
    input_name: &str,
    columns: &[String],
    swagger: bool,
    params: &[(String, String)],
) -> (Vec<u8>, Vec<u8>) {
    let mut prefix = b"{\"Inputs\":{".to_vec();
    push_json_str(&mut prefix, input_name.as_bytes());
    prefix.push(b':');
    let mut suffix = Vec::new();
    if swagger {
        prefix.push(b'[');
        suffix.extend_from_slice(b"]}");
    } else {
        prefix.extend_from_slice(b"{\"ColumnNames\":[");
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                prefix.push(b',');
            }
            push_json_str(&mut prefix, c.as_bytes());
        }
        prefix.extend_from_slice(b"],\"Values\":[");
        suffix.extend_from_slice(b"]}}");
    }
    suffix.extend_from_slice(b",\"GlobalParameters\":{");
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            suffix.push(b',');
        }
        push_json_str(&mut suffix, k.as_bytes());
        suffix.push(b':');
        push_json_str(&mut suffix, v.as_bytes());
    }
    suffix.extend_from_slice(b"}}");
    (prefix, suffix)
}

/// A row that cannot fit in one request even alone.
#[derive(Debug, Clone, PartialEq)]
pub struct TooBig {
    pub lines: Lines,
    pub size: usize,
    /// Reading stopped at the limit: the row goes on past `lines.last`.
    pub cut: bool,
}

/// Accumulates encoded rows into request bodies.
pub struct Batcher {
    prefix: Vec<u8>,
    suffix: Vec<u8>,
    max_rows: usize,
    max_body: usize,
    body: Vec<u8>,
    raw: Vec<u8>,
    rows: usize,
    lines: Option<Lines>,
    next_index: u64,
    /// The input position after the rows in the batch, and after the row being added.
    end: u64,
    next_end: u64,
}

impl Batcher {
    pub fn new(prefix: Vec<u8>, suffix: Vec<u8>, max_rows: usize, max_body: usize) -> Self {
        Batcher {
            body: Vec::with_capacity(prefix.len() + suffix.len() + 4096),
            prefix,
            suffix,
            max_rows: max_rows.max(1),
            max_body,
            raw: Vec::new(),
            rows: 0,
            lines: None,
            next_index: 0,
            end: 0,
            next_end: 0,
        }
    }

    /// The input position (bytes read) right after the row about to be pushed: what the
    /// batch that ends with it records as its `end`.
    pub fn row_end(&mut self, end: u64) {
        self.next_end = end;
    }

    /// Adds a row; returns the batch it completed, if any (the batch before it when the row
    /// does not fit, or the batch it filled up).
    pub fn push(&mut self, row: &[u8], raw: &[u8], lines: Lines) -> Result<Option<Batch>, TooBig> {
        self.push_with(row.len(), raw, lines, |body| body.extend_from_slice(row))
    }

    /// As [`push`](Self::push), for a row of `len` bytes that `write` appends to the body
    /// (no copy of the row made first).
    pub fn push_with(
        &mut self,
        len: usize,
        raw: &[u8],
        lines: Lines,
        write: impl FnOnce(&mut Vec<u8>),
    ) -> Result<Option<Batch>, TooBig> {
        let alone = self.prefix.len() + len + self.suffix.len();
        if alone > self.max_body {
            return Err(TooBig {
                lines,
                size: alone,
                cut: false,
            });
        }
        let mut done = None;
        if self.rows > 0 && self.body.len() + 1 + len + self.suffix.len() > self.max_body {
            done = self.take();
        }
        if self.rows == 0 {
            self.body.clear();
            self.body.extend_from_slice(&self.prefix);
            self.lines = Some(lines);
        } else {
            self.body.push(b',');
        }
        let before = self.body.len();
        write(&mut self.body);
        debug_assert_eq!(
            self.body.len() - before,
            len,
            "a row is as long as announced"
        );
        self.raw.extend_from_slice(raw);
        self.rows += 1;
        self.end = self.next_end;
        if let Some(l) = &mut self.lines {
            l.last = lines.last;
        }
        if done.is_none() && self.rows >= self.max_rows {
            done = self.take();
        }
        Ok(done)
    }

    /// The raw input of the rows added and not yet returned in a batch.
    pub fn pending(&self) -> &[u8] {
        &self.raw
    }

    /// The last, partial batch; with `empty_ok`, a batch of zero rows when none is pending
    /// (a header-only input still asks the service for its output columns).
    pub fn finish(&mut self, empty_ok: bool, next_line: u64) -> Option<Batch> {
        if self.rows == 0 && empty_ok {
            self.body.clear();
            self.body.extend_from_slice(&self.prefix);
            self.lines = Some(Lines {
                first: next_line,
                last: next_line - 1,
            });
        }
        if self.rows == 0 && !empty_ok {
            return None;
        }
        self.take()
    }

    fn take(&mut self) -> Option<Batch> {
        let lines = self.lines.take()?;
        self.body.extend_from_slice(&self.suffix);
        let body = Bytes::from(std::mem::take(&mut self.body));
        let raw = Bytes::from(std::mem::take(&mut self.raw));
        let batch = Batch {
            index: self.next_index,
            lines,
            rows: self.rows,
            body,
            raw,
            typed: None,
            end: self.end,
        };
        self.next_index += 1;
        self.rows = 0;
        // The next batch is likely about as big: room for it and a little more, so that it
        // grows without copies.
        let room = |n: usize| n + n / 8 + 256;
        self.body = Vec::with_capacity(room(batch.body.len()));
        self.raw = Vec::with_capacity(room(batch.raw.len()));
        Some(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        let mut b = [0u8; 20];
        for n in [0u64, 9, 10, 4_294_967_295, u64::MAX] {
            assert_eq!(decimal(n, &mut b), n.to_string().as_bytes());
        }
    }

    fn json(s: &str) -> String {
        let mut out = Vec::new();
        push_json_str(&mut out, s.as_bytes());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let alphabet = [
            "a", "\"", "\\", "\n", "\u{1}", "\u{1f}", " ", "é", "😀", "\u{7f}",
        ];
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..500 {
            let s: String = (0..rng.usize(0..40))
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect();
            assert_eq!(json(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
        }
        for s in [
            "",
            "plain",
            "quote \" and \\ back",
            "tab\tnl\ncr\r",
            "\u{1}\u{1f}",
            "é ü 中 😀",
            "\u{7f}",
        ] {
            assert_eq!(json(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn bodies_of_both_formats_are_valid_json() {
        let cols = vec!["Col1".to_string(), "Col \"2\"".to_string()];
        let params = vec![("Hashing bitsize".to_string(), "4".to_string())];
        for swagger in [false, true] {
            let (p, s) = body_frame("input1", &cols, swagger, &params);
            let enc = RowEncoder::new(&cols, swagger);
            let mut row = Vec::new();
            enc.begin(&mut row);
            for (i, v) in ["a", "b\"c"].iter().enumerate() {
                enc.cell(&mut row, i);
                push_json_str(&mut row, v.as_bytes());
            }
            enc.end(&mut row);
            let mut b = Batcher::new(p, s, 10, 1 << 20);
            let l = |n| Lines { first: n, last: n };
            assert!(b.push(&row, b"a,b\n", l(2)).unwrap().is_none());
            assert!(b.push(&row, b"a,b\n", l(3)).unwrap().is_none());
            let batch = b.finish(true, 4).unwrap();
            let v: serde_json::Value = serde_json::from_slice(&batch.body).unwrap();
            assert_eq!(v["GlobalParameters"]["Hashing bitsize"], "4");
            if swagger {
                assert_eq!(v["Inputs"]["input1"][1]["Col \"2\""], "b\"c");
            } else {
                assert_eq!(v["Inputs"]["input1"]["ColumnNames"][1], "Col \"2\"");
                assert_eq!(v["Inputs"]["input1"]["Values"][1][1], "b\"c");
            }
            assert_eq!(
                (batch.rows, batch.lines, &batch.raw[..]),
                (2, Lines { first: 2, last: 3 }, &b"a,b\na,b\n"[..])
            );
        }
    }

    #[test]
    fn batches_are_cut_by_rows_and_by_bytes() {
        let (p, s) = body_frame("input1", &["c".to_string()], false, &[]);
        let frame = p.len() + s.len();
        let row = br#"["xxxxxxxx"]"#;
        let l = |n| Lines { first: n, last: n };
        // Room for exactly three rows (and two commas).
        let mut b = Batcher::new(p.clone(), s.clone(), 100, frame + 3 * row.len() + 2);
        let mut sizes = vec![];
        for n in 0..7 {
            if let Some(batch) = b.push(row, b"", l(n + 2)).unwrap() {
                assert!(batch.body.len() <= frame + 3 * row.len() + 2);
                sizes.push((batch.rows, batch.lines));
            }
        }
        sizes.extend(b.finish(false, 9).map(|b| (b.rows, b.lines)));
        assert_eq!(
            sizes,
            [
                (3, Lines { first: 2, last: 4 }),
                (3, Lines { first: 5, last: 7 }),
                (1, l(8))
            ]
        );
        let mut b = Batcher::new(p.clone(), s.clone(), 2, 1 << 20);
        let got: Vec<usize> = (0..5)
            .filter_map(|n| b.push(row, b"", l(n)).unwrap())
            .map(|b| b.rows)
            .collect();
        assert_eq!(got, [2, 2]);
        assert_eq!(b.finish(true, 5).unwrap().rows, 1);
        assert!(b.finish(false, 5).is_none());
        let too_big = Batcher::new(p, s, 2, frame + 5)
            .push(row, b"", l(7))
            .unwrap_err();
        assert_eq!(
            too_big,
            TooBig {
                lines: l(7),
                size: frame + row.len(),
                cut: false,
            }
        );
    }

    #[test]
    fn a_header_only_input_gives_one_empty_batch() {
        let (p, s) = body_frame("input1", &["Col2".to_string()], false, &[]);
        let mut b = Batcher::new(p, s, 10, 1 << 20);
        let batch = b.finish(true, 2).unwrap();
        assert_eq!(batch.rows, 0);
        assert!(batch.lines.is_empty());
        let v: serde_json::Value = serde_json::from_slice(&batch.body).unwrap();
        assert_eq!(v["Inputs"]["input1"]["Values"], serde_json::json!([]));
    }
}
