//! The batch job's work as plain synchronous I/O: reads `input1` as CSV (or TSV) with a header
//! row, one record at a time, hashes the `Col2` cell of each with Feature Hashing, and writes
//! `output1` (`write.rs`) — `Col2`, then `Col2_HashingFeature.0 .. .(2^bits-1)` — as CSV, TSV or ARFF, with
//! the same cells RRS gives for the same rows. Memory stays bounded whatever the input size: one
//! record (at most [`MAX_ROW_BYTES`]) and one row of counts at a time. Problems of the input
//! come back as the job's `Details` text, with the line number. Knows nothing of blobs, async
//! code or HTTP.

use super::write::Output;
use crate::serve::experiment::{FeatureHasher, FeatureHashing};
use crate::serve::rrs::{COLUMN, INPUT_NAME};
use std::cell::Cell;
use std::io::{self, Read, Write};
use std::rc::Rc;

/// The longest input row (header included) the runner reads.
pub const MAX_ROW_BYTES: u64 = 16 << 20;
/// The largest "Hashing bitsize" a batch job runs with: 2^24 counts of a row in memory.
pub const MAX_BITS: u32 = 24;
/// Bytes the CSV reader asks its input for at a time.
const READ_BUFFER: usize = 256 * 1024;
/// Rows between two looks at the cancel flag.
const CHECK_EVERY: u64 = 256;

/// A table format, from a blob name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Tsv,
    Arff,
}

impl Format {
    /// `.tsv` is TSV, `.arff` ARFF, anything else CSV (the extension of outputs is checked at
    /// submit; inputs are read as CSV unless named `.tsv`).
    pub fn of(blob_name: &str) -> Format {
        let ext = blob_name.rsplit_once('.').map_or("", |(_, e)| e);
        if ext.eq_ignore_ascii_case("tsv") {
            Format::Tsv
        } else if ext.eq_ignore_ascii_case("arff") {
            Format::Arff
        } else {
            Format::Csv
        }
    }
}

/// Why the work stopped before the end.
#[derive(Debug)]
pub enum Stop {
    /// The input is unusable: the job's `Details`.
    Input(String),
    /// The output could not be written (the upload ended first, or a write failed).
    Output(io::Error),
    Cancelled,
}

/// Hashes every row of `input` (in `input_format`) into `output` (in `output_format`), checking
/// `cancelled` every few rows. Returns the number of data rows. Does not flush `output`.
pub fn run<R: Read, W: Write>(
    input: R,
    input_format: Format,
    output: W,
    output_format: Format,
    settings: FeatureHashing,
    cancelled: &dyn Fn() -> bool,
) -> Result<u64, Stop> {
    if input_format == Format::Arff {
        return Err(Stop::Input(format!(
            "{INPUT_NAME} must be CSV (.csv) or TSV (.tsv); ARFF input is not supported by the emulator."
        )));
    }
    if settings.bits > MAX_BITS {
        return Err(Stop::Input(format!(
            "'Hashing bitsize' {} gives 2^{} columns per row; the emulator runs batch jobs with at most {MAX_BITS}.",
            settings.bits, settings.bits
        )));
    }
    let allowed = Rc::new(Cell::new(MAX_ROW_BYTES));
    let bounded = RowBound {
        inner: input,
        consumed: 0,
        allowed: allowed.clone(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(input_format))
        .has_headers(true)
        .buffer_capacity(READ_BUFFER)
        .from_reader(bounded);
    let column = find_column(&mut reader)?;
    allowed.set(reader.position().byte() + MAX_ROW_BYTES);
    let mut out = Output::new(output, output_format, settings).map_err(Stop::Output)?;
    let mut hasher = FeatureHasher::new(settings);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    loop {
        if rows.is_multiple_of(CHECK_EVERY) && cancelled() {
            return Err(Stop::Cancelled);
        }
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(input_error(e, line)),
        }
        allowed.set(reader.position().byte() + MAX_ROW_BYTES);
        let cell = record.get(column).unwrap_or_default();
        let text = std::str::from_utf8(cell).map_err(|_| {
            let line = record.position().map_or(line, |p| p.line());
            Stop::Input(format!(
                "Error 0018: {INPUT_NAME} contains invalid data: line {line}: the `{COLUMN}` cell is not valid UTF-8."
            ))
        })?;
        out.row(text, hasher.hash(text)).map_err(Stop::Output)?;
        rows += 1;
    }
    out.finish().map_err(Stop::Output)?;
    Ok(rows)
}

pub fn delimiter(format: Format) -> u8 {
    if format == Format::Tsv { b'\t' } else { b',' }
}

/// The index of `Col2` in the header row.
fn find_column<R: Read>(reader: &mut csv::Reader<R>) -> Result<usize, Stop> {
    let headers = reader.byte_headers().map_err(|e| input_error(e, 1))?;
    if let Some(i) = headers.iter().position(|h| h == COLUMN.as_bytes()) {
        return Ok(i);
    }
    let mut names: Vec<String> = headers
        .iter()
        .take(10)
        .map(|h| format!("`{}`", String::from_utf8_lossy(h)))
        .collect();
    if headers.len() > 10 {
        names.push(format!("and {} more", headers.len() - 10));
    }
    let has = if headers.is_empty() || headers.iter().all(<[u8]>::is_empty) {
        "it has no header row".to_string()
    } else {
        format!("its columns are {}", names.join(", "))
    };
    Err(Stop::Input(format!(
        "Error 0001: Column `{COLUMN}` not found in {INPUT_NAME}: {has}. The input must be a table with a header row that has a `{COLUMN}` column."
    )))
}

/// A CSV reading error as the job's `Details`; `line` is where the record started.
fn input_error(e: csv::Error, line: u64) -> Stop {
    let prefix = format!("Error 0018: {INPUT_NAME} contains invalid data: line");
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let line = pos.as_ref().map_or(line, |p| p.line());
            Stop::Input(format!(
                "{prefix} {line}: found {len} fields where the header row has {expected_len}."
            ))
        }
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|e| e.is::<RowTooLong>()) => {
            Stop::Input(format!(
                "{prefix} {line}: a row is longer than {} MiB.",
                MAX_ROW_BYTES >> 20
            ))
        }
        csv::ErrorKind::Io(io) => Stop::Input(format!(
            "Error 0030: Unable to read {INPUT_NAME} (near line {line}): {io}."
        )),
        _ => Stop::Input(format!("{prefix} {line}: {e}.")),
    }
}

/// Refuses to read more than `allowed` bytes in total: bounds the size of one record, since
/// the caller moves `allowed` forward after each record.
struct RowBound<R> {
    inner: R,
    consumed: u64,
    allowed: Rc<Cell<u64>>,
}

#[derive(Debug)]
struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a row is too long")
    }
}

impl std::error::Error for RowTooLong {}

impl<R: Read> Read for RowBound<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.allowed.get().saturating_sub(self.consumed);
        if left == 0 && !buf.is_empty() {
            return Err(io::Error::other(RowTooLong));
        }
        let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let got = self.inner.read(&mut buf[..n])?;
        self.consumed += got as u64;
        Ok(got)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::guard::CallOptions;
    use std::borrow::Cow;

    const FH: FeatureHashing = FeatureHashing { bits: 3, ngrams: 2 };

    fn go(input: &str, in_f: Format, out_f: Format, fh: FeatureHashing) -> Result<String, Stop> {
        let mut out = Vec::new();
        run(input.as_bytes(), in_f, &mut out, out_f, fh, &|| false)?;
        Ok(String::from_utf8(out).unwrap())
    }

    fn csv(input: &str) -> Result<String, Stop> {
        go(input, Format::Csv, Format::Csv, FH)
    }

    fn details(r: Result<String, Stop>) -> String {
        match r {
            Err(Stop::Input(d)) => d,
            other => panic!("expected an input problem, got {other:?}"),
        }
    }

    /// What RRS answers for the same texts: the rows of `Values`.
    fn rrs_rows(texts: &[&str], fh: FeatureHashing) -> Vec<Vec<String>> {
        let texts: Vec<Cow<str>> = texts.iter().map(|t| Cow::Borrowed(*t)).collect();
        let body = crate::serve::rrs::response_for(&texts, fh, CallOptions::default());
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        serde_json::from_value(v["Results"]["output1"]["value"]["Values"].clone()).unwrap()
    }

    fn read_csv(text: &str, delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
        let mut r = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let headers = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows = r
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        (headers, rows)
    }

    #[test]
    fn rows_hash_exactly_as_rrs_scores_them() {
        let texts = [
            "This is a good day",
            "a, \"quoted\"\nmulti-line text",
            "",
            "Room 101 costs 2017 dollars",
            "naïve café ☕",
        ];
        let mut input = String::from("\u{feff}Col1,Col2,Col3\n");
        for (i, t) in texts.iter().enumerate() {
            input.push_str(&format!("{i},\"{}\",x\r\n", t.replace('"', "\"\"")));
        }
        let fh = FeatureHashing { bits: 4, ngrams: 3 };
        let out = go(&input, Format::Csv, Format::Csv, fh).unwrap();
        let (headers, rows) = read_csv(&out, b',');
        assert_eq!(headers.len(), 17);
        assert_eq!(headers[0], "Col2");
        assert_eq!(headers[16], "Col2_HashingFeature.15");
        assert_eq!(rows, rrs_rows(&texts, fh));
        assert!(out.starts_with("Col2,Col2_HashingFeature.0,"));
    }

    #[test]
    fn the_tutorial_row_as_a_file() {
        let out = csv("Col2\nThis is a good day\n").unwrap();
        assert_eq!(
            out,
            "Col2,Col2_HashingFeature.0,Col2_HashingFeature.1,Col2_HashingFeature.2,Col2_HashingFeature.3,\
             Col2_HashingFeature.4,Col2_HashingFeature.5,Col2_HashingFeature.6,Col2_HashingFeature.7\n\
             This is a good day,1,1,2,2,0,2,0,1\n"
        );
        let header_only = csv("Col2\n").unwrap();
        assert_eq!(header_only.lines().count(), 1);
    }

    #[test]
    fn tsv_in_and_out() {
        let out = go(
            "Col2\tCol9\nThis is a good day\t1\n",
            Format::Tsv,
            Format::Tsv,
            FH,
        )
        .unwrap();
        let (headers, rows) = read_csv(&out, b'\t');
        assert_eq!(headers[1], "Col2_HashingFeature.0");
        assert_eq!(rows, rrs_rows(&["This is a good day"], FH));
    }

    #[test]
    fn arff_output_declares_every_attribute_and_quotes_the_text() {
        let out = go(
            "Col2\nit's 100% \"fine\"\\\n",
            Format::Csv,
            Format::Arff,
            FeatureHashing { bits: 1, ngrams: 1 },
        )
        .unwrap();
        let rrs = rrs_rows(
            &["it's 100% \"fine\"\\"],
            FeatureHashing { bits: 1, ngrams: 1 },
        );
        assert_eq!(
            out,
            format!(
                "@RELATION output1\n\n@ATTRIBUTE Col2 STRING\n@ATTRIBUTE Col2_HashingFeature.0 NUMERIC\n\
                 @ATTRIBUTE Col2_HashingFeature.1 NUMERIC\n\n@DATA\n'it\\'s 100\\% \\\"fine\\\"\\\\',{},{}\n",
                rrs[0][1], rrs[0][2]
            )
        );
    }

    #[test]
    fn a_missing_col2_names_the_columns_there_are() {
        let d = details(csv("Col1,Col3\n1,2\n"));
        assert!(
            d.starts_with("Error 0001: Column `Col2` not found in input1"),
            "{d}"
        );
        assert!(d.contains("`Col1`, `Col3`"), "{d}");
        assert!(details(csv("")).contains("no header row"));
        assert!(
            details(csv("col2\nx\n")).contains("`col2`"),
            "names are case-sensitive"
        );
    }

    #[test]
    fn bad_rows_are_reported_with_their_line() {
        let d = details(csv("Col1,Col2\n1,a\n2,b\n3\n4,d\n"));
        assert!(
            d.contains("line 4: found 1 fields where the header row has 2"),
            "{d}"
        );
        // A quoted cell spanning lines moves the line count on.
        let d = details(csv("Col2,X\n\"a\nb\",1\nc,1,2\n"));
        assert!(d.contains("line 4:"), "{d}");
        let mut bad = b"Col2\nok\n".to_vec();
        bad.extend_from_slice(b"\xff\xfe\n");
        let mut out = Vec::new();
        let r = run(&bad[..], Format::Csv, &mut out, Format::Csv, FH, &|| false);
        assert!(
            details(r.map(|_| String::new()))
                .contains("line 3: the `Col2` cell is not valid UTF-8")
        );
    }

    #[test]
    fn a_row_over_the_limit_fails_in_bounded_memory() {
        struct Endless;
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                buf.fill(b'x');
                Ok(buf.len())
            }
        }
        let input = b"Col2\nshort\n".chain(Endless);
        let mut out = Vec::new();
        let r = run(input, Format::Csv, &mut out, Format::Csv, FH, &|| false);
        let d = details(r.map(|_| String::new()));
        assert!(d.contains("line 3: a row is longer than 16 MiB"), "{d}");
    }

    #[test]
    fn cancellation_and_output_failures_stop_the_work() {
        let input = "Col2\n".to_string() + &"a b c\n".repeat(1000);
        let mut out = Vec::new();
        let r = run(
            input.as_bytes(),
            Format::Csv,
            &mut out,
            Format::Csv,
            FH,
            &|| true,
        );
        assert!(matches!(r, Err(Stop::Cancelled)));
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::BrokenPipe))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let r = run(
            input.as_bytes(),
            Format::Csv,
            Broken,
            Format::Csv,
            FH,
            &|| false,
        );
        assert!(matches!(r, Err(Stop::Output(_))), "{r:?}");
    }

    #[test]
    fn unsupported_inputs_and_huge_bitsizes_are_refused() {
        assert!(details(go("Col2\n", Format::Arff, Format::Csv, FH)).contains("ARFF input"));
        let d = details(go(
            "Col2\nx\n",
            Format::Csv,
            Format::Csv,
            FeatureHashing {
                bits: 25,
                ngrams: 1,
            },
        ));
        assert!(d.contains("at most 24"), "{d}");
        assert_eq!(Format::of("c/x.TSV"), Format::Tsv);
        assert_eq!(Format::of("c/x.arff"), Format::Arff);
        assert_eq!(Format::of("c/x.txt"), Format::Csv);
    }
}
