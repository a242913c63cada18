//! A scoring answer's body -> CSV, TSV, JSON and table output (`mlws::table::parse_output`,
//! `mlws::table::RowWriter`).
//!
//! The body is parsed for output `output1`; each parsed answer is written twice (two batches,
//! as `rrs execute` does) in every output format. Besides "never panics":
//! - the JSON output is JSON: one array element per row, each an object of the columns (or an
//!   array when the answer has no column names) with the answer's cells;
//! - the CSV and TSV outputs, read back as `mlws` input, give the same column names and cells
//!   (so an output can be fed to the next service), whenever the columns can be an input
//!   header at all (known, distinct, not empty);
//! - the table has one line per row plus the header;
//! - CSV and TSV written straight from the body (`RowWriter::write_answer`, the scanner's fast
//!   path) are the same text as through `parse_output`, or refused alike.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlws::table::{
    self, BatchSpec, Cell, InputFormat, Lines, Output, OutputFormat, RowWriter, Source,
};
use serde_json::Value;
use std::io::Cursor;

fuzz_target!(|data: &[u8]| {
    let Ok(out) = table::parse_output(data, "output1", 0) else {
        return;
    };
    for format in [
        OutputFormat::Csv,
        OutputFormat::Tsv,
        OutputFormat::Json,
        OutputFormat::Table,
    ] {
        let text = write_twice(&out, format);
        if matches!(format, OutputFormat::Csv | OutputFormat::Tsv) {
            check_direct(data, &out, format, text.as_deref());
        }
        let Some(text) = text else {
            continue;
        };
        match format {
            OutputFormat::Json => check_json(&out, &text),
            OutputFormat::Table => check_table(&out, &text),
            OutputFormat::Csv => check_delimited(&out, &text, InputFormat::Csv),
            OutputFormat::Tsv => check_delimited(&out, &text, InputFormat::Tsv),
            // Not among the formats picked above.
            OutputFormat::Jsonl | OutputFormat::Parquet => {}
        }
    }
});

/// The answer written as two batches; `None` when the writer refuses it (ragged rows).
fn write_twice(out: &Output<'_>, format: OutputFormat) -> Option<Vec<u8>> {
    let n = out.len();
    let mut w = RowWriter::new(format, Vec::new());
    let first = Lines {
        first: 1,
        last: n as u64,
    };
    let second = Lines {
        first: n as u64 + 1,
        last: 2 * n as u64,
    };
    let ok = w
        .write(out, n, first)
        .and_then(|()| w.write(out, n, second));
    assert!(
        w.write(out, n + 1, second).is_err(),
        "a wrong row count is refused"
    );
    let text = w.finish().expect("writing to a Vec");
    if let Err(e) = ok {
        let ragged = out.rows().any(|r| Some(r.len()) != width(out));
        assert!(ragged, "refused a regular answer: {e:#}");
        return None;
    }
    assert_eq!(out.len(), n);
    Some(text)
}

/// The same two batches written straight from the body (`RowWriter::write_answer`, the
/// scanner's fast path for CSV and TSV): the same text, or refused alike.
fn check_direct(data: &[u8], out: &Output<'_>, format: OutputFormat, text: Option<&[u8]>) {
    let n = out.len();
    let mut w = RowWriter::new(format, Vec::new());
    let (first, second) = (
        Lines {
            first: 1,
            last: n as u64,
        },
        Lines {
            first: n as u64 + 1,
            last: 2 * n as u64,
        },
    );
    let ok = w
        .write_answer(data, "output1", n, first)
        .and_then(|()| w.write_answer(data, "output1", n, second));
    let direct = w.finish().expect("writing to a Vec");
    match (ok, text) {
        (Ok(()), Some(text)) => assert_eq!(direct, text, "the answer paths write alike"),
        (Err(_), None) => {}
        (ok, text) => panic!(
            "the answer paths disagree: straight from the body {ok:?}, through parse_output {}",
            if text.is_some() { "written" } else { "refused" }
        ),
    }
}

fn width(out: &Output<'_>) -> Option<usize> {
    match &out.columns {
        Some(c) => Some(c.len()),
        None => out.rows().next().map(<[Cell<'_>]>::len),
    }
}

fn cell_text(c: &Cell<'_>) -> String {
    match c {
        Cell::Str(s) => s.to_string(),
        Cell::Lit(s) => s.to_string(),
        Cell::Null => String::new(),
    }
}

fn json(c: &Cell<'_>) -> Value {
    match c {
        Cell::Str(s) => Value::String(s.to_string()),
        Cell::Lit(s) => serde_json::from_str(s).expect("a literal cell is JSON text"),
        Cell::Null => Value::Null,
    }
}

fn distinct(cols: &[String]) -> bool {
    let set: std::collections::HashSet<&String> = cols.iter().collect();
    set.len() == cols.len()
}

/// The key by which serde_json (with its `raw_value` feature, which a dependency turns on)
/// marks a raw value: an object whose only key it is cannot be read as a `Value`.
const RAW_VALUE_TOKEN: &[u8] = b"$serde_json::private::RawValue";

fn check_json(out: &Output<'_>, text: &[u8]) {
    if text
        .windows(RAW_VALUE_TOKEN.len())
        .any(|w| w == RAW_VALUE_TOKEN)
    {
        return;
    }
    let v: Value = match serde_json::from_slice(text) {
        Ok(v) => v,
        Err(e) => panic!(
            "JSON output is not JSON ({e}): {:?}",
            String::from_utf8_lossy(text)
        ),
    };
    let got = v.as_array().expect("a JSON array");
    assert_eq!(got.len(), 2 * out.len());
    for (row, g) in out.rows().chain(out.rows()).zip(got) {
        match &out.columns {
            Some(cols) if distinct(cols) => {
                let obj = g.as_object().expect("a row object");
                let keys: Vec<&String> = obj.keys().collect();
                assert_eq!(keys, cols.iter().collect::<Vec<_>>());
                for (c, cell) in cols.iter().zip(row) {
                    assert_eq!(obj[c], json(cell));
                }
            }
            Some(_) => assert!(g.is_object()),
            None => {
                let cells: Vec<Value> = row.iter().map(json).collect();
                assert_eq!(g.as_array().expect("a row array"), &cells);
            }
        }
    }
}

fn check_table(out: &Output<'_>, text: &[u8]) {
    let s = std::str::from_utf8(text).expect("table output is UTF-8");
    let header = usize::from(out.columns.is_some());
    assert_eq!(s.matches('\n').count(), header + 2 * out.len(), "{s:?}");
}

/// Reads the CSV/TSV output back as input and compares header and cells.
fn check_delimited(out: &Output<'_>, text: &[u8], format: InputFormat) {
    let Some(cols) = &out.columns else {
        return;
    };
    if cols.is_empty() || !distinct(cols) || cols[0].starts_with('\u{feff}') {
        return;
    }
    let spec = BatchSpec {
        input_name: "i".into(),
        swagger: false,
        max_rows: usize::MAX,
        max_body: usize::MAX / 4,
        params: vec![],
        delimiter: None,
    };
    let source = Source::Reader {
        reader: Box::new(Cursor::new(text.to_vec())),
        name: "out".into(),
        format,
    };
    let shown = || String::from_utf8_lossy(text).into_owned();
    let mut src = table::open(source, &spec).unwrap_or_else(|e| panic!("{e:#}: {:?}", shown()));
    let batch = src
        .next_batch()
        .unwrap_or_else(|e| panic!("{e:#}: {:?}", shown()))
        .expect("one batch");
    let v: Value = serde_json::from_slice(&batch.body).expect("a JSON body");
    let t = &v["Inputs"]["i"];
    let names: Vec<String> = serde_json::from_value(t["ColumnNames"].clone()).expect("names");
    assert_eq!(&names, cols, "{:?}", shown());
    let values: Vec<Vec<String>> = serde_json::from_value(t["Values"].clone()).expect("values");
    let want: Vec<Vec<String>> = out
        .rows()
        .chain(out.rows())
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert_eq!(values, want, "{:?}", shown());
}
