//! One column of a record batch as JSON cell texts (the type table of `mod.rs`).

use crate::table::encode::push_json_str;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal32Type, Decimal64Type, Decimal128Type, Decimal256Type,
    DecimalType, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    Time32MillisecondType, Time32SecondType, Time64MicrosecondType, Time64NanosecondType,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrowPrimitiveType};
use arrow_schema::{DataType, TimeUnit};
use std::fmt;
use std::io::Write;

/// Whether cells of type `t` become JSON scalars (the table of `mod.rs`).
pub(super) fn supported(t: &DataType) -> bool {
    use DataType as D;
    match t {
        D::Null
        | D::Boolean
        | D::Int8
        | D::Int16
        | D::Int32
        | D::Int64
        | D::UInt8
        | D::UInt16
        | D::UInt32
        | D::UInt64
        | D::Float16
        | D::Float32
        | D::Float64
        | D::Decimal32(..)
        | D::Decimal64(..)
        | D::Decimal128(..)
        | D::Decimal256(..)
        | D::Utf8
        | D::LargeUtf8
        | D::Utf8View
        | D::Binary
        | D::LargeBinary
        | D::BinaryView
        | D::FixedSizeBinary(_)
        | D::Date32
        | D::Date64
        | D::Timestamp(..)
        | D::Time32(_)
        | D::Time64(_) => true,
        D::Dictionary(_, value) => supported(value),
        _ => false,
    }
}

/// A cell that has no JSON value: the row (in its batch) and why.
pub(super) struct Bad {
    pub row: usize,
    pub what: String,
}

/// The JSON texts of one column's cells in a batch, one after the other.
#[derive(Default)]
pub(super) struct Cells {
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl Cells {
    /// Bytes of cell text.
    pub(super) fn text_len(&self) -> usize {
        self.text.len()
    }

    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn end(&mut self) {
        self.ends.push(self.text.len());
    }

    fn push(&mut self, text: &[u8]) {
        self.text.extend_from_slice(text);
        self.end();
    }

    fn bad(&self, what: impl Into<String>) -> Bad {
        Bad {
            row: self.len(),
            what: what.into(),
        }
    }

    /// Appends the cells of `array`; `null` is the text of a null cell.
    pub(super) fn push_column(&mut self, array: &dyn Array, null: &[u8]) -> Result<(), Bad> {
        use DataType as D;
        use TimeUnit as U;
        match array.data_type() {
            D::Null => (0..array.len()).for_each(|_| self.push(null)),
            D::Boolean => {
                let a = array.as_boolean();
                for i in 0..a.len() {
                    match (a.is_null(i), a.value(i)) {
                        (true, _) => self.push(null),
                        (false, true) => self.push(b"true"),
                        (false, false) => self.push(b"false"),
                    }
                }
            }
            D::Int8 => self.push_ints::<Int8Type>(array, null),
            D::Int16 => self.push_ints::<Int16Type>(array, null),
            D::Int32 => self.push_ints::<Int32Type>(array, null),
            D::Int64 => self.push_ints::<Int64Type>(array, null),
            D::UInt8 => self.push_ints::<UInt8Type>(array, null),
            D::UInt16 => self.push_ints::<UInt16Type>(array, null),
            D::UInt32 => self.push_ints::<UInt32Type>(array, null),
            D::UInt64 => self.push_ints::<UInt64Type>(array, null),
            D::Float16 => self.push_floats::<Float16Type>(array, null, |v| v.to_f64())?,
            D::Float32 => self.push_floats::<Float32Type>(array, null, f64::from)?,
            D::Float64 => self.push_floats::<Float64Type>(array, null, |v| v)?,
            D::Decimal32(..) => self.push_decimals::<Decimal32Type>(array, null),
            D::Decimal64(..) => self.push_decimals::<Decimal64Type>(array, null),
            D::Decimal128(..) => self.push_decimals::<Decimal128Type>(array, null),
            D::Decimal256(..) => self.push_decimals::<Decimal256Type>(array, null),
            D::Utf8 => self.push_texts(array.as_string::<i32>().iter(), null),
            D::LargeUtf8 => self.push_texts(array.as_string::<i64>().iter(), null),
            D::Utf8View => self.push_texts(array.as_string_view().iter(), null),
            D::Binary => self.push_binaries(array.as_binary::<i32>().iter(), null)?,
            D::LargeBinary => self.push_binaries(array.as_binary::<i64>().iter(), null)?,
            D::BinaryView => self.push_binaries(array.as_binary_view().iter(), null)?,
            D::FixedSizeBinary(_) => {
                self.push_binaries(array.as_fixed_size_binary().iter(), null)?
            }
            D::Date32 => self.push_stamps::<Date32Type>(array, null, |d| {
                Stamp::Date(i128::from(d) * NANOS_PER_DAY)
            })?,
            D::Date64 => self.push_stamps::<Date64Type>(array, null, |ms| {
                Stamp::Date(i128::from(ms) * 1_000_000)
            })?,
            D::Timestamp(unit, tz) => {
                let stamp = |n: i128| match tz {
                    Some(_) => Stamp::Utc(n),
                    None => Stamp::Naive(n),
                };
                match unit {
                    U::Second => self.push_stamps::<TimestampSecondType>(array, null, |v| {
                        stamp(i128::from(v) * 1_000_000_000)
                    })?,
                    U::Millisecond => {
                        self.push_stamps::<TimestampMillisecondType>(array, null, |v| {
                            stamp(i128::from(v) * 1_000_000)
                        })?
                    }
                    U::Microsecond => {
                        self.push_stamps::<TimestampMicrosecondType>(array, null, |v| {
                            stamp(i128::from(v) * 1_000)
                        })?
                    }
                    U::Nanosecond => {
                        self.push_stamps::<TimestampNanosecondType>(array, null, |v| {
                            stamp(i128::from(v))
                        })?
                    }
                }
            }
            D::Time32(U::Second) => self.push_stamps::<Time32SecondType>(array, null, |v| {
                Stamp::Time(i128::from(v) * 1_000_000_000)
            })?,
            D::Time32(_) => self.push_stamps::<Time32MillisecondType>(array, null, |v| {
                Stamp::Time(i128::from(v) * 1_000_000)
            })?,
            D::Time64(U::Microsecond) => {
                self.push_stamps::<Time64MicrosecondType>(array, null, |v| {
                    Stamp::Time(i128::from(v) * 1_000)
                })?
            }
            D::Time64(_) => self
                .push_stamps::<Time64NanosecondType>(array, null, |v| Stamp::Time(i128::from(v)))?,
            D::Dictionary(..) => self.push_dictionary(array, null)?,
            other => return Err(self.bad(format!("cells of type {other} cannot be sent"))),
        }
        Ok(())
    }

    fn push_ints<T: ArrowPrimitiveType>(&mut self, array: &dyn Array, null: &[u8])
    where
        T::Native: fmt::Display,
    {
        for v in array.as_primitive::<T>().iter() {
            match v {
                Some(v) => {
                    let _ = write!(self.text, "{v}");
                    self.end();
                }
                None => self.push(null),
            }
        }
    }

    /// A float's shortest text that reads back the same (`0.1`, `3.0`, `1e300`); NaN is a
    /// null cell, an infinity an error (JSON has neither).
    fn push_floats<T: ArrowPrimitiveType>(
        &mut self,
        array: &dyn Array,
        null: &[u8],
        to_f64: impl Fn(T::Native) -> f64,
    ) -> Result<(), Bad>
    where
        T::Native: fmt::Debug,
    {
        for v in array.as_primitive::<T>().iter() {
            let Some(v) = v else {
                self.push(null);
                continue;
            };
            let f = to_f64(v);
            if f.is_nan() {
                self.push(null);
            } else if f.is_infinite() {
                let which = if f > 0.0 { "infinity" } else { "-infinity" };
                return Err(self.bad(format!(
                    "{which} has no JSON value (make it null, or leave the row out)"
                )));
            } else {
                let _ = write!(self.text, "{v:?}");
                self.end();
            }
        }
        Ok(())
    }

    /// Decimals as JSON numbers with the column's scale (`12.30`).
    fn push_decimals<T: DecimalType>(&mut self, array: &dyn Array, null: &[u8]) {
        let a = array.as_primitive::<T>();
        for i in 0..a.len() {
            if a.is_null(i) {
                self.push(null);
            } else {
                self.push(a.value_as_string(i).as_bytes());
            }
        }
    }

    fn push_texts<'a>(&mut self, cells: impl Iterator<Item = Option<&'a str>>, null: &[u8]) {
        for v in cells {
            match v {
                Some(s) => {
                    push_json_str(&mut self.text, s.as_bytes());
                    self.end();
                }
                None => self.push(null),
            }
        }
    }

    /// Binary cells as strings when they are UTF-8 (tools that write strings without the
    /// UTF-8 annotation), an error otherwise.
    fn push_binaries<'a>(
        &mut self,
        cells: impl Iterator<Item = Option<&'a [u8]>>,
        null: &[u8],
    ) -> Result<(), Bad> {
        for v in cells {
            match v.map(std::str::from_utf8) {
                Some(Ok(s)) => {
                    push_json_str(&mut self.text, s.as_bytes());
                    self.end();
                }
                Some(Err(_)) => return Err(self.bad("the binary value is not UTF-8 text")),
                None => self.push(null),
            }
        }
        Ok(())
    }

    fn push_stamps<T: ArrowPrimitiveType>(
        &mut self,
        array: &dyn Array,
        null: &[u8],
        stamp: impl Fn(T::Native) -> Stamp,
    ) -> Result<(), Bad> {
        for v in array.as_primitive::<T>().iter() {
            let Some(v) = v else {
                self.push(null);
                continue;
            };
            let Some(text) = stamp(v).text() else {
                return Err(self.bad("the date or time is out of the range mlws can write"));
            };
            push_json_str(&mut self.text, text.as_bytes());
            self.end();
        }
        Ok(())
    }

    /// A dictionary's values are written once, then copied for each row's key.
    fn push_dictionary(&mut self, array: &dyn Array, null: &[u8]) -> Result<(), Bad> {
        let dict = array.as_any_dictionary();
        let mut values = Cells::default();
        let keys = dict.normalized_keys();
        if let Err(Bad { row, what }) = values.push_column(dict.values().as_ref(), null) {
            // Name the first row that uses the value.
            let at = (0..keys.len())
                .find(|&i| dict.keys().is_valid(i) && keys[i] == row)
                .unwrap_or(0);
            return Err(Bad {
                row: self.len() + at,
                what,
            });
        }
        for (i, &k) in keys.iter().enumerate() {
            if dict.keys().is_null(i) || k >= values.len() {
                self.push(null);
            } else {
                self.push(values.get(k));
            }
        }
        Ok(())
    }
}

const NANOS_PER_DAY: i128 = 86_400 * 1_000_000_000;

/// A date or time, in nanoseconds.
enum Stamp {
    /// Since 1970-01-01, written as the date.
    Date(i128),
    /// Since 1970-01-01T00:00:00, a wall-clock time with no zone.
    Naive(i128),
    /// Since the Unix epoch, an instant: written in UTC with `Z`.
    Utc(i128),
    /// Since midnight.
    Time(i128),
}

impl Stamp {
    /// ISO 8601 text, the fraction of a second only as long as needed; `None` out of range.
    fn text(&self) -> Option<String> {
        let utc = |n: i128| {
            jiff::Timestamp::from_nanosecond(n)
                .ok()
                .map(|t| jiff::tz::Offset::UTC.to_datetime(t))
        };
        match *self {
            Stamp::Date(n) => {
                utc(n.div_euclid(NANOS_PER_DAY) * NANOS_PER_DAY).map(|d| d.date().to_string())
            }
            Stamp::Naive(n) => utc(n).map(|d| d.to_string()),
            Stamp::Utc(n) => jiff::Timestamp::from_nanosecond(n)
                .ok()
                .map(|t| t.to_string()),
            Stamp::Time(n) if (0..NANOS_PER_DAY).contains(&n) => {
                let (s, frac) = ((n / 1_000_000_000) as i64, (n % 1_000_000_000) as i64);
                let mut t = format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
                if frac > 0 {
                    let digits = format!("{frac:09}");
                    t.push('.');
                    t.push_str(digits.trim_end_matches('0'));
                }
                Some(t)
            }
            Stamp::Time(_) => None,
        }
    }
}
