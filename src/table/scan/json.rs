//! The JSON primitives of the scanners: whitespace, punctuation, strings (borrowed from the
//! body unless they hold escapes), numbers, and values skipped with their syntax checked as
//! strictly as `serde_json` checks it. Each gives up (`None`) on anything unusual.

use super::super::encode::json_special;
use std::borrow::Cow;
use std::fmt::Write as _;

/// The deepest nesting a scanner reads: `serde_json` refuses to read a body into a
/// `serde_json::Value` when its 128th nested container opens (the outermost one counted).
const MAX_DEPTH: usize = 127;

pub(super) struct Scan<'a> {
    pub(super) text: &'a str,
    pub(super) b: &'a [u8],
    pub(super) i: usize,
    /// The containers open around `i`, as far as the scanner counts them (skipped ones always).
    pub(super) depth: usize,
    /// Whether skipped numbers must be in `f64`'s range: true where `serde_json` reads the
    /// whole body into a `serde_json::Value`, which refuses `1e400`.
    pub(super) numbers_in_range: bool,
}

impl<'a> Scan<'a> {
    /// A scanner at the start of `body`, or `None` when it is not UTF-8.
    pub(super) fn new(body: &'a [u8]) -> Option<Self> {
        Some(Scan {
            text: std::str::from_utf8(body).ok()?,
            b: body,
            i: 0,
            depth: 0,
            numbers_in_range: false,
        })
    }

    /// Only whitespace is left.
    pub(super) fn end(&mut self) -> Option<()> {
        self.ws();
        (self.i == self.b.len()).then_some(())
    }

    pub(super) fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    pub(super) fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    /// Eats `c` (after whitespace) or gives up.
    pub(super) fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// Eats `c` (after whitespace) when it comes next.
    pub(super) fn next_is(&mut self, c: u8) -> bool {
        self.peek() == Some(c) && {
            self.i += 1;
            true
        }
    }

    /// An object, calling `each` with the scanner after each key and its colon.
    pub(super) fn object(
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
    pub(super) fn array(&mut self, mut each: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
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

    /// A string, borrowed from the body unless it holds escapes.
    pub(super) fn string(&mut self) -> Option<Cow<'a, str>> {
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

    pub(super) fn word(&mut self, w: &[u8]) -> Option<()> {
        self.ws();
        (self.b.get(self.i..self.i + w.len())? == w).then(|| self.i += w.len())
    }

    /// A number literal, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    pub(super) fn number(&mut self) -> Option<&'a str> {
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
        let start = self.i;
        self.i = i;
        self.text.get(start..i)
    }

    /// Skips any value, checking its syntax.
    pub(super) fn skip(&mut self) -> Option<()> {
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
            b'-' | b'0'..=b'9' => {
                let literal = self.number()?;
                if self.numbers_in_range {
                    Number::read(literal)?;
                }
                Some(())
            }
            _ => None,
        }
    }
}

/// How `serde_json` reads a number literal into a `serde_json::Value` (with the crate's
/// `float_roundtrip` feature, as `Cargo.toml` has it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Number {
    /// An integer that fits `u64` (`i64` when negative): written back as it is.
    Int,
    /// Anything else (a fraction or an exponent, `-0`, a longer integer): the nearest `f64`,
    /// written back as its shortest round-trip text (`1e3` as `1000.0`, `1E+20` as `1e+20`).
    Float(f64),
}

impl Number {
    /// The number of `literal` (valid JSON syntax), or `None` when `serde_json` refuses it
    /// (out of `f64`'s range) or when it is too unusual to be sure of: longer than 64 bytes or
    /// with an exponent of more than 4 digits.
    pub(super) fn read(literal: &str) -> Option<Number> {
        let b = literal.as_bytes();
        let (negative, digits) = match b {
            [b'-', rest @ ..] => (true, rest),
            _ => (false, b),
        };
        if digits.iter().all(u8::is_ascii_digit) {
            // Digit strings of one length compare as their numbers do.
            let fits = match (negative, digits.len()) {
                (true, 1) => digits != b"0",
                (_, 0..=18) | (false, 19) => true,
                (false, 20) => digits <= b"18446744073709551615".as_slice(),
                (true, 19) => digits <= b"9223372036854775808".as_slice(),
                _ => false,
            };
            if fits {
                return Some(Number::Int);
            }
        }
        if b.len() > 64 {
            return None;
        }
        if let Some(e) = b.iter().position(|&c| c == b'e' || c == b'E') {
            let exponent = &b[e + 1..];
            let exponent = (exponent.strip_prefix(b"+"))
                .or_else(|| exponent.strip_prefix(b"-"))
                .unwrap_or(exponent);
            if exponent.len() > 4 {
                return None;
            }
        }
        // Correctly rounded, as `serde_json`'s `float_roundtrip` parsing is.
        let f: f64 = literal.parse().ok()?;
        f.is_finite().then_some(Number::Float(f))
    }
}

/// A number literal (valid JSON syntax) as `serde_json` writes it back from a
/// `serde_json::Value`, borrowed when it is already written so (`0`, `-3`, `0.8154170274669116`,
/// most of what Python's `json.dumps` writes); `None` as [`Number::read`].
pub(super) fn number_text(literal: &str) -> Option<Cow<'_, str>> {
    let Number::Float(f) = Number::read(literal)? else {
        return Some(Cow::Borrowed(literal));
    };
    // `serde_json::Number`'s own text, whichever algorithm it formats with (`zmij` in 1.0.154,
    // whose exponents have a `+`; `ryu`'s do not).
    let mut text = Short::default();
    write!(text, "{}", serde_json::Number::from_f64(f)?).ok()?;
    let text = text.as_str();
    Some(if text == literal {
        Cow::Borrowed(literal)
    } else {
        Cow::Owned(text.to_owned())
    })
}

/// A short text written on the stack (a number's, at most 24 bytes).
#[derive(Default)]
struct Short {
    bytes: [u8; 32],
    len: usize,
}

impl Short {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).expect("written from a `str`")
    }
}

impl std::fmt::Write for Short {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.bytes
            .get_mut(self.len..end)
            .ok_or(std::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}
