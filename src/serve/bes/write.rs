//! Writes `output1` of a batch job: a header (the column names, or ARFF's attribute list),
//! then one row per input row — the `Col2` text and its 2^bits counts — as CSV, TSV or ARFF.
//! Knows nothing of where the bytes go.

use super::transform::{Format, delimiter};
use crate::serve::experiment::FeatureHashing;
use crate::serve::rrs::{COLUMN, FEATURE_SUFFIX, OUTPUT_NAME};
use crate::table::encode::decimal;
use std::io::{self, Write};

/// `output1` being written.
pub enum Output<W: Write> {
    Table(Box<csv::Writer<W>>),
    Arff(W),
}

impl<W: Write> Output<W> {
    /// Starts the output with its header (column names, or the ARFF attribute list).
    pub fn new(out: W, format: Format, settings: FeatureHashing) -> io::Result<Self> {
        let columns = settings.columns();
        let mut name = Vec::with_capacity(32);
        let mut feature = |j: usize| {
            name.clear();
            name.extend_from_slice(COLUMN.as_bytes());
            name.extend_from_slice(FEATURE_SUFFIX.as_bytes());
            name.extend_from_slice(j.to_string().as_bytes());
            name.clone()
        };
        match format {
            Format::Csv | Format::Tsv => {
                let mut w = csv::WriterBuilder::new()
                    .delimiter(delimiter(format))
                    .buffer_capacity(64 * 1024)
                    .from_writer(out);
                w.write_field(COLUMN)?;
                for j in 0..columns {
                    w.write_field(feature(j))?;
                }
                w.write_record(std::iter::empty::<&[u8]>())?;
                Ok(Output::Table(Box::new(w)))
            }
            Format::Arff => {
                let mut w = out;
                writeln!(w, "@RELATION {OUTPUT_NAME}\n\n@ATTRIBUTE {COLUMN} STRING")?;
                for j in 0..columns {
                    w.write_all(b"@ATTRIBUTE ")?;
                    w.write_all(&feature(j))?;
                    w.write_all(b" NUMERIC\n")?;
                }
                w.write_all(b"\n@DATA\n")?;
                Ok(Output::Arff(w))
            }
        }
    }

    pub fn row(&mut self, text: &str, counts: &[u32]) -> io::Result<()> {
        let mut digits = [0u8; 20];
        match self {
            Output::Table(w) => {
                w.write_field(text)?;
                for &c in counts {
                    w.write_field(decimal(u64::from(c), &mut digits))?;
                }
                w.write_record(std::iter::empty::<&[u8]>())?;
            }
            Output::Arff(w) => {
                write_arff_string(w, text)?;
                for &c in counts {
                    w.write_all(b",")?;
                    w.write_all(decimal(u64::from(c), &mut digits))?;
                }
                w.write_all(b"\n")?;
            }
        }
        Ok(())
    }

    /// Writes out what the CSV writer still buffers.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Output::Table(mut w) => w.flush(),
            Output::Arff(_) => Ok(()),
        }
    }
}

/// An ARFF string value: always single-quoted, with Weka's backslash escapes.
fn write_arff_string<W: Write>(w: &mut W, text: &str) -> io::Result<()> {
    w.write_all(b"'")?;
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let escape: &[u8] = match b {
            b'\\' => b"\\\\",
            b'\'' => b"\\'",
            b'"' => b"\\\"",
            b'%' => b"\\%",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x1e => b"\\u001E",
            _ => continue,
        };
        w.write_all(&text.as_bytes()[start..i])?;
        w.write_all(escape)?;
        start = i + 1;
    }
    w.write_all(&text.as_bytes()[start..])?;
    w.write_all(b"'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_start_with_the_column_names() {
        let fh = FeatureHashing { bits: 1, ngrams: 1 };
        let mut out = Output::new(Vec::new(), Format::Tsv, fh).unwrap();
        out.row("a\tb", &[1, 0]).unwrap();
        let Output::Table(w) = out else {
            panic!("a table")
        };
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(
            text,
            "Col2\tCol2_HashingFeature.0\tCol2_HashingFeature.1\n\"a\tb\"\t1\t0\n"
        );
    }
}
