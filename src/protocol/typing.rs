//! How cells are typed for the typed protocols (`spec/adapters.md` "Cells are typed"): by the
//! service's schema when it publishes one, else per column of each batch (a column whose
//! non-empty cells are all JSON number literals is numbers, `true`/`false` columns are
//! booleans, everything else strings; an empty cell is `null`), `--types` winning over both.
//! Typing changes only what is sent; kept input cells are copied verbatim.

use crate::table::{InCell, RowSet, TypedRows, encode::push_json_str};
use anyhow::Result;
use std::collections::HashMap;

/// The type a column is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Str,
    Int,
    Float,
    Bool,
}

impl ColType {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "string" | "str" => Some(ColType::Str),
            "int" | "integer" | "long" => Some(ColType::Int),
            "float" | "double" | "number" => Some(ColType::Float),
            "bool" | "boolean" => Some(ColType::Bool),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ColType::Str => "string",
            ColType::Int => "int",
            ColType::Float => "float",
            ColType::Bool => "bool",
        }
    }
}

/// How a column is sent: its type, and whether every non-empty cell of the batch is known to
/// be written as is (the type was inferred from them: each is a JSON number, or `true` or
/// `false`), so that [`push_text`] need not check each one again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    pub ty: ColType,
    pub checked: bool,
}

impl Col {
    /// A column of type `ty` whose cells are checked as they are written.
    pub fn of(ty: ColType) -> Self {
        Col { ty, checked: false }
    }
}

/// Where each column's type comes from, before a batch is seen.
#[derive(Debug, Clone, Default)]
pub struct Typing {
    /// `--types`, then the schema's types, by column name.
    fixed: HashMap<String, ColType>,
}

impl Typing {
    /// `overrides` (from `--types`) win over `schema`.
    pub fn new(schema: &[(String, ColType)], overrides: &[(String, ColType)]) -> Self {
        let mut fixed: HashMap<String, ColType> = schema.iter().cloned().collect();
        fixed.extend(overrides.iter().cloned());
        Typing { fixed }
    }

    /// The types of the columns of `rows`: fixed ones, the others inferred from the batch
    /// (in one pass over its rows, as [`infer`] would type each column).
    pub fn types(&self, rows: &TypedRows) -> Vec<Col> {
        let set: &RowSet = &rows.set;
        let fixed: Vec<Option<ColType>> = set
            .columns
            .iter()
            .map(|name| self.fixed.get(name).copied())
            .collect();
        let mut kinds = vec![Kinds::default(); set.width()];
        if fixed.iter().any(Option::is_none) {
            for r in rows.range.clone() {
                for (k, (t, word)) in kinds.iter_mut().zip(set.texts_words(r)) {
                    k.add(t, word);
                }
            }
        }
        fixed
            .iter()
            .zip(kinds)
            .map(|(fixed, kinds)| match fixed {
                Some(ty) => Col::of(*ty),
                None => Col {
                    ty: kinds.ty(),
                    checked: true,
                },
            })
            .collect()
    }
}

/// `COL=TYPE` pairs of `--types` (commas already split by clap).
pub fn parse_types(items: &[String]) -> Result<Vec<(String, ColType)>> {
    let mut out: Vec<(String, ColType)> = Vec::new();
    for item in items.iter().filter(|i| !i.trim().is_empty()) {
        let Some((col, ty)) = item.split_once('=') else {
            return Err(crate::usage!(
                "`{item}` given to `--types` is not COL=TYPE (TYPE: string, int, float or bool)"
            ));
        };
        let ty = ColType::parse(ty).ok_or_else(|| {
            crate::usage!("`{ty}` given to `--types` for `{col}` is not string, int, float or bool")
        })?;
        let col = col.trim().to_string();
        if out.iter().any(|(c, _)| *c == col) {
            return Err(crate::usage!("`--types` gives column `{col}` twice"));
        }
        out.push((col, ty));
    }
    Ok(out)
}

/// What the non-empty cells of a column seen so far all are.
#[derive(Debug, Clone, Copy)]
struct Kinds {
    /// Bits: [`INT`], [`NUMBER`], [`BOOL`].
    all: u8,
    any: bool,
}

const INT: u8 = 1;
const NUMBER: u8 = 2;
const BOOL: u8 = 4;

impl Default for Kinds {
    fn default() -> Self {
        Kinds {
            all: INT | NUMBER | BOOL,
            any: false,
        }
    }
}

impl Kinds {
    /// Adds a cell; `word`: its first eight bytes, when known (see [`short_number`]).
    #[inline]
    fn add(&mut self, t: &[u8], word: Option<u64>) {
        if t.is_empty() || self.all == 0 {
            self.any |= !t.is_empty();
            return;
        }
        self.any = true;
        let short = word
            .filter(|_| t.len() <= 8)
            .and_then(|w| short_number(w, t.len()));
        self.all &= match short.unwrap_or_else(|| number_kind_bytes(t)) {
            Some(true) => INT | NUMBER,
            Some(false) => NUMBER,
            None if t == b"true" || t == b"false" => BOOL,
            None => 0,
        };
    }

    fn ty(self) -> ColType {
        match (self.any, self.all) {
            (false, _) => ColType::Str,
            (_, a) if a & INT != 0 => ColType::Int,
            (_, a) if a & NUMBER != 0 => ColType::Float,
            (_, a) if a & BOOL != 0 => ColType::Bool,
            _ => ColType::Str,
        }
    }
}

/// The type of a column from its cells: numbers when every non-empty cell is a JSON number
/// (integers when none has a fraction or exponent), booleans when every one is `true` or
/// `false`, else strings (also when all are empty).
pub fn infer<'a>(cells: impl Iterator<Item = InCell<'a>>) -> ColType {
    let mut kinds = Kinds::default();
    for cell in cells {
        kinds.add(cell.text().as_bytes(), None);
    }
    kinds.ty()
}

/// `Some(true)` for a JSON integer literal, `Some(false)` for another JSON number literal
/// (`01234`, `+5`, `.5`, `5.`, `NaN` are none), `None` for anything else.
pub fn number_kind(s: &str) -> Option<bool> {
    number_kind_bytes(s.as_bytes())
}

/// [`number_kind`] of a cell of `n` ≤ 8 bytes given as the little-endian word `w` of its
/// first eight bytes (what follows the cell is ignored), eight bytes at a time, for the common
/// numbers: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`. `None` when it cannot tell (an exponent, or not
/// a number at all): [`number_kind_bytes`] then decides.
#[inline]
fn short_number(w: u64, n: usize) -> Option<Option<bool>> {
    use crate::table::encode::eq_bytes;
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let len_mask = if n >= 8 { !0 } else { (1u64 << (8 * n)) - 1 };
    let w = w & len_mask;
    let byte = |i: usize| (w >> (8 * i)) as u8;
    // Digits: a high nibble of 3 and a low one of at most 9 (no carry out of a byte).
    let high3 = eq_bytes(w & (ONES * 0xF0), 0x30);
    let low_over9 = (((w & (ONES * 0x0F)) + ONES * 0x06) & (ONES * 0x10)) << 3;
    let digits = high3 & !low_over9 & HIGH & len_mask;
    let mut other = !digits & HIGH & len_mask;
    let sign = usize::from(byte(0) == b'-');
    // Without a branch: signs are as random as the data.
    other &= !((sign as u64) << 7);
    let leading_zero = byte(sign) == b'0';
    if other == 0 {
        // Digits only (after the sign): no leading zero but `0` itself.
        return Some((n > sign && !(leading_zero && n > sign + 1)).then_some(true));
    }
    if other & (other - 1) == 0 {
        let p = (other.trailing_zeros() / 8) as usize;
        if byte(p) == b'.' {
            let ok = p > sign && p + 1 < n && !(leading_zero && p != sign + 1);
            return Some(ok.then_some(false));
        }
    }
    None
}

/// [`number_kind`] of bytes. One pass (this runs on every cell of every inferred column).
#[inline]
fn number_kind_bytes(mut b: &[u8]) -> Option<bool> {
    if let [b'-', rest @ ..] = b {
        b = rest;
    }
    let digits = |b: &[u8]| b.iter().take_while(|c| c.is_ascii_digit()).count();
    let int = match b.first()? {
        b'0' => 1,
        b'1'..=b'9' => 1 + digits(&b[1..]),
        _ => return None,
    };
    let mut rest = &b[int..];
    if rest.is_empty() {
        return Some(true);
    }
    if let [b'.', frac @ ..] = rest {
        let n = digits(frac);
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    if let [b'e' | b'E', exp @ ..] = rest {
        let exp = match exp {
            [b'+' | b'-', e @ ..] => e,
            e => e,
        };
        let n = digits(exp);
        if n == 0 {
            return None;
        }
        rest = &exp[n..];
    }
    rest.is_empty().then_some(false)
}

/// Appends a cell's bytes (as [`crate::table::RowSet::texts`] gives them: valid UTF-8, empty
/// for no value) as a JSON value of type `col.ty`: `null` when empty; a number or boolean
/// when the text is one (a cell that is not, in a column typed so, goes as a string: the
/// service then says what it thinks of it).
#[inline]
pub fn push_text(out: &mut Vec<u8>, t: &[u8], col: Col) {
    if t.is_empty() {
        out.extend_from_slice(b"null");
        return;
    }
    if col.checked && col.ty != ColType::Str {
        // Inferred from these very cells: each is a JSON number (or `true`/`false`) already.
        out.extend_from_slice(t);
        return;
    }
    if col.ty == ColType::Str {
        push_json_str(out, t);
        return;
    }
    let t = std::str::from_utf8(t).expect("cells are UTF-8");
    match col.ty {
        ColType::Str => push_json_str(out, t.as_bytes()),
        ColType::Int | ColType::Float => match number_kind(t) {
            Some(_) => out.extend_from_slice(t.as_bytes()),
            None => match t.trim().parse::<f64>() {
                Ok(f) if f.is_finite() && t.trim() == t => {
                    let mut s = f.to_string();
                    if col.ty == ColType::Float && !s.contains(['.', 'e', 'E']) {
                        s.push_str(".0");
                    }
                    out.extend_from_slice(s.as_bytes())
                }
                _ => push_json_str(out, t.as_bytes()),
            },
        },
        ColType::Bool => match t.to_ascii_lowercase().as_str() {
            "true" => out.extend_from_slice(b"true"),
            "false" => out.extend_from_slice(b"false"),
            _ => push_json_str(out, t.as_bytes()),
        },
    }
}

/// A `--param` value as a JSON value, typed by the same rule as a column of one cell.
pub fn param_value(v: &str) -> serde_json::Value {
    let ty = infer(std::iter::once(InCell::Text(v)));
    let mut out = Vec::new();
    push_text(&mut out, v.as_bytes(), Col::of(ty));
    serde_json::from_slice(&out).unwrap_or_else(|_| serde_json::Value::String(v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(cells: &[&str]) -> ColType {
        infer(cells.iter().map(|c| InCell::Text(c)))
    }

    #[test]
    fn columns_are_typed_by_their_non_empty_cells() {
        assert_eq!(col(&["1", "", "-3"]), ColType::Int);
        assert_eq!(col(&["1", "2.5", "1e3"]), ColType::Float);
        assert_eq!(col(&["true", "false", ""]), ColType::Bool);
        assert_eq!(col(&["1", "x"]), ColType::Str);
        assert_eq!(col(&["", ""]), ColType::Str);
        // Not JSON numbers: they stay strings.
        for s in ["01234", "+5", ".5", "5.", "NaN", "1e", "-", "0x1"] {
            assert_eq!(col(&[s]), ColType::Str, "{s}");
        }
    }

    #[test]
    fn number_literals_are_what_json_calls_numbers() {
        let mut rng = fastrand::Rng::with_seed(3);
        let alphabet = b"0123456789-+.eEx";
        for _ in 0..50_000 {
            let s: String = (0..rng.usize(1..8))
                .map(|_| alphabet[rng.usize(..alphabet.len())] as char)
                .collect();
            let json = serde_json::from_str::<serde_json::Number>(&s);
            if json
                .as_ref()
                .is_err_and(|e| e.to_string().contains("out of range"))
            {
                continue;
            }
            let want = json.ok().map(|_| !s.contains(['.', 'e', 'E']));
            assert_eq!(number_kind(&s), want, "{s}");
        }
    }

    #[test]
    fn short_numbers_are_told_eight_bytes_at_a_time_as_byte_by_byte() {
        let mut rng = fastrand::Rng::with_seed(12);
        let alphabet = b"00123456789--..eEx ";
        for _ in 0..200_000 {
            let n = rng.usize(1..=8);
            let mut padded = [0u8; 8];
            for b in padded.iter_mut() {
                *b = alphabet[rng.usize(..alphabet.len())];
            }
            let cell = &padded[..n];
            if let Some(kind) = short_number(u64::from_le_bytes(padded), n) {
                assert_eq!(
                    kind,
                    number_kind_bytes(cell),
                    "{:?}",
                    String::from_utf8_lossy(cell)
                );
            }
        }
        // The common ones are told without the byte-by-byte check.
        for (cell, kind) in [
            ("-0.1441", Some(false)),
            ("12", Some(true)),
            ("0", Some(true)),
        ] {
            let mut padded = [b'9'; 8];
            padded[..cell.len()].copy_from_slice(cell.as_bytes());
            assert_eq!(
                short_number(u64::from_le_bytes(padded), cell.len()),
                Some(kind)
            );
        }
    }

    #[test]
    fn a_batch_is_typed_in_one_pass_as_each_column_alone() {
        use crate::table::{Lines, RowSet, TypedRows};
        use std::sync::Arc;
        let cells = [
            "", "1", "-2", "0.5", "1e3", "true", "false", "x", "01", "True",
        ];
        let mut rng = fastrand::Rng::with_seed(8);
        for _ in 0..3000 {
            let width = rng.usize(1..5);
            let columns: Arc<[String]> = (0..width).map(|c| format!("c{c}")).collect();
            let mut set = RowSet::new(columns.clone());
            let rows = rng.usize(0..8);
            for _ in 0..rows {
                for _ in 0..width {
                    let cell = match rng.u8(..8) {
                        0 => InCell::Null,
                        1 => InCell::Lit("2.5"),
                        _ => InCell::Text(cells[rng.usize(..cells.len())]),
                    };
                    set.push_cell(cell);
                }
                set.end_row(b"", Lines { first: 1, last: 1 }, 0);
            }
            let fixed = (rng.bool()).then(|| (columns[0].clone(), ColType::Bool));
            let typing = Typing::new(&[], fixed.as_slice());
            let from = rng.usize(0..=rows);
            let rows = TypedRows {
                set: Arc::new(set),
                range: from..rows,
            };
            let got = typing.types(&rows);
            for (c, got) in got.iter().enumerate() {
                let want = match &fixed {
                    Some(_) if c == 0 => Col::of(ColType::Bool),
                    _ => Col {
                        ty: infer(rows.range.clone().map(|r| rows.set.cell(r, c))),
                        checked: true,
                    },
                };
                assert_eq!(*got, want, "column {c}");
            }
        }
    }

    #[test]
    fn cells_are_written_as_their_type_says() {
        let w = |c: InCell, t| {
            let mut out = vec![];
            push_text(&mut out, c.text().as_bytes(), Col::of(t));
            String::from_utf8(out).unwrap()
        };
        let t = |s| InCell::Text(s);
        assert_eq!(w(t("142261.50"), ColType::Float), "142261.50");
        assert_eq!(w(t(""), ColType::Float), "null");
        assert_eq!(w(InCell::Null, ColType::Str), "null");
        assert_eq!(w(t("5."), ColType::Float), "5.0");
        assert_eq!(w(t("7"), ColType::Str), "\"7\"");
        assert_eq!(w(t("x\"y"), ColType::Int), "\"x\\\"y\"");
        assert_eq!(w(t("True"), ColType::Bool), "true");
        assert_eq!(w(InCell::Lit("2.5"), ColType::Str), "\"2.5\"");
    }

    #[test]
    fn types_and_params_are_parsed() {
        let got = parse_types(&["a=int".into(), "b = float".into()]).unwrap();
        assert_eq!(got[0], ("a".into(), ColType::Int));
        assert_eq!(got[1], ("b".into(), ColType::Float));
        assert!(parse_types(&["a".into()]).is_err());
        assert!(parse_types(&["a=decimal".into()]).is_err());
        assert!(parse_types(&["a=int".into(), "a=str".into()]).is_err());
        assert_eq!(param_value("0.9"), serde_json::json!(0.9));
        assert_eq!(param_value("true"), serde_json::json!(true));
        assert_eq!(param_value("abc"), serde_json::json!("abc"));
    }
}
