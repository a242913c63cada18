//! Reads an RRS request body (`protocol.md` §3.1 table format, §3.2 `format=swagger`) straight
//! into what the experiment needs: the `Col2` text of every row of `input1`, borrowed from the
//! body where JSON escapes allow. Cells of any JSON scalar type are accepted; other columns are
//! checked and dropped. Shape errors are serde errors (`RequestBodyInvalid`); a missing column or
//! a row of the wrong width is an `Err(String)` inside the result (`InputParseError`).
//! Property names match in any case, as Json.NET matches them; input and column names do not.

use super::cells::{CellSeed, ScalarSeed, StrSeed};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// The experiment's web-service input.
pub const INPUT_NAME: &str = "input1";
/// The text column it hashes.
pub const COLUMN: &str = "Col2";

/// The texts of `Col2`, one per row, or why `input1` cannot be used.
pub type Column<'a> = Result<Vec<Cow<'a, str>>, String>;

/// A parsed request body.
#[derive(Debug, Default)]
pub struct Request<'a> {
    /// `input1`, when the request has it.
    pub input: Option<Column<'a>>,
    /// Names under `Inputs` other than `input1`.
    pub other_inputs: Vec<String>,
    pub parameters: Option<Map<String, Value>>,
}

/// Parses `body`; `swagger` selects the `format=swagger` shape of `input1`.
pub fn parse(body: &[u8], swagger: bool) -> Result<Request<'_>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let req = RequestSeed { swagger }.deserialize(&mut de)?;
    de.end()?;
    Ok(req)
}

struct RequestSeed {
    swagger: bool,
}

impl<'de> DeserializeSeed<'de> for RequestSeed {
    type Value = Request<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RequestSeed {
    type Value = Request<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a request object with `Inputs`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut req = Request::default();
        while let Some(key) = map.next_key_seed(StrSeed)? {
            if key.eq_ignore_ascii_case("Inputs") {
                let inputs = map.next_value_seed(InputsSeed {
                    swagger: self.swagger,
                })?;
                req.input = inputs.0;
                req.other_inputs = inputs.1;
            } else if key.eq_ignore_ascii_case("GlobalParameters") {
                req.parameters = map.next_value()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(req)
    }
}

/// `Inputs`: `input1` and the names of any others. `null` counts as no inputs.
struct InputsSeed {
    swagger: bool,
}

impl<'de> DeserializeSeed<'de> for InputsSeed {
    type Value = (Option<Column<'de>>, Vec<String>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for InputsSeed {
    type Value = (Option<Column<'de>>, Vec<String>);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of named inputs")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((None, Vec::new()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut input, mut others) = (None, Vec::new());
        while let Some(name) = map.next_key_seed(StrSeed)? {
            if name == INPUT_NAME {
                input = Some(if self.swagger {
                    map.next_value_seed(RowsSeed)?
                } else {
                    map.next_value_seed(TableSeed)?
                });
            } else {
                others.push(name.into_owned());
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok((input, others))
    }
}

/// Which cells of a table row to keep while reading `Values`.
#[derive(Clone, Copy)]
enum Keep {
    /// `ColumnNames` not read yet: keep every cell, pick `Col2` afterwards.
    All,
    /// Keep the cell at this index only.
    Only(usize),
    /// `ColumnNames` has no `Col2`: keep nothing (the request fails anyway).
    Nothing,
}

/// `{"ColumnNames": [...], "Values": [[...], ...]}`, in either key order.
struct TableSeed;

impl<'de> DeserializeSeed<'de> for TableSeed {
    type Value = Column<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TableSeed {
    type Value = Column<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table object with `ColumnNames` and `Values`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut names: Option<Vec<Cow<'de, str>>> = None;
        let mut values: Option<(Keep, Vec<Cow<'de, str>>, Vec<u32>)> = None;
        while let Some(key) = map.next_key_seed(StrSeed)? {
            if key.eq_ignore_ascii_case("ColumnNames") {
                if names.is_some() {
                    return Err(de::Error::duplicate_field("ColumnNames"));
                }
                names = Some(map.next_value_seed(NamesSeed)?);
            } else if key.eq_ignore_ascii_case("Values") {
                if values.is_some() {
                    return Err(de::Error::duplicate_field("Values"));
                }
                let keep = match &names {
                    None => Keep::All,
                    Some(n) => n
                        .iter()
                        .position(|c| c == COLUMN)
                        .map_or(Keep::Nothing, Keep::Only),
                };
                let (cells, widths) = map.next_value_seed(ValuesSeed { keep })?;
                values = Some((keep, cells, widths));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        let names = names.ok_or_else(|| de::Error::missing_field("ColumnNames"))?;
        let (keep, cells, widths) = values.ok_or_else(|| de::Error::missing_field("Values"))?;
        Ok(pick_column(&names, keep, cells, &widths))
    }
}

/// Checks the row widths against `names` and returns the `Col2` cells.
fn pick_column<'a>(
    names: &[Cow<'a, str>],
    keep: Keep,
    cells: Vec<Cow<'a, str>>,
    widths: &[u32],
) -> Column<'a> {
    let Some(index) = names.iter().position(|c| c == COLUMN) else {
        return Err(format!(
            "column '{COLUMN}' is missing from input '{INPUT_NAME}' (its columns: {})",
            names.join(", ")
        ));
    };
    let n = names.len();
    if let Some((row, w)) = widths.iter().enumerate().find(|(_, w)| **w as usize != n) {
        return Err(format!(
            "row {} of input '{INPUT_NAME}' has {w} values but ColumnNames has {n}",
            row + 1
        ));
    }
    Ok(match keep {
        Keep::All => cells.into_iter().skip(index).step_by(n).collect(),
        Keep::Only(_) | Keep::Nothing => cells,
    })
}

/// `ColumnNames`: an array of strings.
struct NamesSeed;

impl<'de> DeserializeSeed<'de> for NamesSeed {
    type Value = Vec<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for NamesSeed {
    type Value = Vec<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of column names")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut names = Vec::new();
        while let Some(name) = seq.next_element_seed(StrSeed)? {
            names.push(name);
        }
        Ok(names)
    }
}

/// `Values`: rows of cells, stored flat with each row's width.
struct ValuesSeed {
    keep: Keep,
}

impl<'de> DeserializeSeed<'de> for ValuesSeed {
    type Value = (Vec<Cow<'de, str>>, Vec<u32>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ValuesSeed {
    type Value = (Vec<Cow<'de, str>>, Vec<u32>);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of rows")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let rows = seq.size_hint().unwrap_or(0);
        let (mut cells, mut widths) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
        while let Some(w) = seq.next_element_seed(RowSeed {
            keep: self.keep,
            cells: &mut cells,
        })? {
            widths.push(w);
        }
        Ok((cells, widths))
    }
}

/// One table row: pushes the kept cells, returns the row's width.
struct RowSeed<'c, 'de> {
    keep: Keep,
    cells: &'c mut Vec<Cow<'de, str>>,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_, 'de> {
    type Value = u32;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u32, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_, 'de> {
    type Value = u32;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row (an array of cells)")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u32, A::Error> {
        let mut width = 0usize;
        loop {
            let kept = match self.keep {
                Keep::All => true,
                Keep::Only(i) => i == width,
                Keep::Nothing => false,
            };
            if kept {
                match seq.next_element_seed(CellSeed)? {
                    Some(cell) => self.cells.push(cell),
                    None => break,
                }
            } else if seq.next_element_seed(ScalarSeed)?.is_none() {
                break;
            }
            width += 1;
        }
        u32::try_from(width).map_err(|_| de::Error::custom("a row has too many cells"))
    }
}

/// `format=swagger`: an array of row objects; `Col2` taken from each.
struct RowsSeed;

impl<'de> DeserializeSeed<'de> for RowsSeed {
    type Value = Column<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed {
    type Value = Column<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of row objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut cells = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut missing = None;
        let mut row = 0usize;
        while let Some(cell) = seq.next_element_seed(ObjectRowSeed)? {
            row += 1;
            match cell {
                Some(c) => cells.push(c),
                None => missing = missing.or(Some(row)),
            }
        }
        Ok(match missing {
            Some(r) => Err(format!(
                "column '{COLUMN}' is missing from row {r} of input '{INPUT_NAME}'"
            )),
            None => Ok(cells),
        })
    }
}

/// One swagger row object: its `Col2` cell, if any. Other cells must be scalars too.
struct ObjectRowSeed;

impl<'de> DeserializeSeed<'de> for ObjectRowSeed {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ObjectRowSeed {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row object (column name to cell)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut cell = None;
        while let Some(key) = map.next_key_seed(StrSeed)? {
            if key == COLUMN && cell.is_none() {
                cell = Some(map.next_value_seed(CellSeed)?);
            } else {
                map.next_value_seed(ScalarSeed)?;
            }
        }
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(body: &str, swagger: bool) -> Column<'_> {
        parse(body.as_bytes(), swagger).unwrap().input.unwrap()
    }

    #[test]
    fn table_format_picks_col2_in_either_key_order() {
        let a = r#"{"Inputs":{"input1":{"ColumnNames":["Col1","Col2"],"Values":[["x","a b"],[1,"c"]]}},"GlobalParameters":{}}"#;
        assert_eq!(col(a, false).unwrap(), ["a b", "c"]);
        let b = r#"{"inputs":{"input1":{"values":[[1,"a"],[true,null]],"columnNames":["Col1","Col2"]}}}"#;
        assert_eq!(col(b, false).unwrap(), ["a", ""]);
    }

    #[test]
    fn cells_of_any_scalar_type_become_text() {
        let a = r#"{"Inputs":{"input1":{"ColumnNames":["Col2"],"Values":[[12],[-3],[1.5],[true],[false],[null],["t\u00e9\"q"]]}}}"#;
        assert_eq!(
            col(a, false).unwrap(),
            ["12", "-3", "1.5", "True", "False", "", "té\"q"]
        );
        let nested = r#"{"Inputs":{"input1":{"ColumnNames":["Col2","x"],"Values":[["a",[1]]]}}}"#;
        assert!(parse(nested.as_bytes(), false).is_err());
    }

    #[test]
    fn missing_column_and_ragged_rows_are_input_errors() {
        let a = r#"{"Inputs":{"input1":{"ColumnNames":["Col1"],"Values":[["x"]]}}}"#;
        let e = col(a, false).unwrap_err();
        assert!(e.contains("'Col2' is missing"), "{e}");
        for body in [
            r#"{"Inputs":{"input1":{"ColumnNames":["Col1","Col2"],"Values":[["x","y"],["z"]]}}}"#,
            r#"{"Inputs":{"input1":{"Values":[["x","y"],["z","y","w"]],"ColumnNames":["Col1","Col2"]}}}"#,
        ] {
            let e = col(body, false).unwrap_err();
            assert!(e.contains("row 2 of input 'input1' has"), "{e}");
        }
    }

    #[test]
    fn swagger_format_reads_row_objects() {
        let a = r#"{"Inputs":{"input1":[{"Col1":"x","Col2":"a"},{"Col2":7}]},"GlobalParameters":{"N-grams":"1"}}"#;
        let req = parse(a.as_bytes(), true).unwrap();
        assert_eq!(req.input.unwrap().unwrap(), ["a", "7"]);
        assert_eq!(req.parameters.unwrap()["N-grams"], "1");
        let e = col(r#"{"Inputs":{"input1":[{"Col2":"a"},{"Col1":"b"}]}}"#, true).unwrap_err();
        assert!(e.contains("missing from row 2"), "{e}");
    }

    #[test]
    fn other_inputs_and_wrong_shapes_are_reported() {
        let req = parse(br#"{"Inputs":{"input2":[],"x":{}}}"#, true).unwrap();
        assert!(req.input.is_none());
        assert_eq!(req.other_inputs, ["input2", "x"]);
        assert!(parse(br#"{"Inputs":null}"#, false).unwrap().input.is_none());
        for bad in [
            &br#"{"Inputs":{"input1":[{"Col2":"a"}]}}"#[..],
            br#"{"Inputs":{"input1":{"Values":[]}}}"#,
            br#"{"Inputs":{"input1":{"ColumnNames":["Col2"],"Values":[{"Col2":"a"}]}}}"#,
            br#"[1,2]"#,
            br#"{"Inputs":{"input1":{"ColumnNames":["Col2"],"Values":[]}}} x"#,
            b"",
        ] {
            assert!(
                parse(bad, false).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn unescaped_text_is_borrowed_from_the_body() {
        let a = r#"{"Inputs":{"input1":{"ColumnNames":["Col2"],"Values":[["plain"]]}}}"#;
        assert!(matches!(col(a, false).unwrap()[0], Cow::Borrowed(_)));
    }
}
