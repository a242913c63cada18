//! CSV, TSV and JSON input -> request bodies (`mlws::table::open` and its batch sources).
//!
//! The first byte picks the format and the batch spec (swagger or table bodies, rows per
//! request, a small or the real body cap, a global parameter, and for CSV a `;` delimiter);
//! the rest is the input file (lone CRs end lines like LFs and CRLFs).
//! Besides "never panics", it checks what `rrs execute` relies on:
//! - every body is JSON with one input holding exactly `batch.rows` rows, no more than
//!   `max_rows`, and (unless the input is a whole request body, sent as it is) no bigger than
//!   `max_body`;
//! - batch indexes count up from 0 and their input lines do not overlap;
//! - the `--failed-rows` file made of every batch's raw rows is itself an input that gives
//!   the same request bodies (so re-running it scores exactly what failed);
//! - after an error, the remainder (rows read but not sent, then the unread rest) can be
//!   written to a `--failed-rows` file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlws::table::{self, Batch, BatchSpec, FailedRows, InputFormat, Source};
use serde_json::Value;
use std::io::Cursor;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, input)) = data.split_first() else {
        return;
    };
    let format = match sel % 3 {
        0 => InputFormat::Csv,
        1 => InputFormat::Tsv,
        _ => InputFormat::Json,
    };
    let spec = BatchSpec {
        input_name: "input1".into(),
        swagger: sel & 0x04 != 0,
        max_rows: 1 + usize::from((sel >> 3) & 3) * 2,
        max_body: if sel & 0x20 != 0 {
            256
        } else {
            table::MAX_BODY
        },
        params: if sel & 0x40 != 0 {
            vec![("p\"1".into(), "v\u{1}".into())]
        } else {
            vec![]
        },
        // `;` CSV (the European spreadsheet default); its `;` cells are plain text otherwise.
        delimiter: (sel & 0x80 != 0 && format == InputFormat::Csv).then_some(b';'),
    };
    let Ok((batches, head, framing)) = read_all(input, format, &spec) else {
        return;
    };
    let whole_body = head.is_empty();
    let mut last_line = 0;
    for (i, b) in batches.iter().enumerate() {
        assert_eq!(b.index, i as u64);
        assert!(b.lines.first <= b.lines.last + 1, "{:?}", b.lines);
        // JSON rows may share a line; CSV records may not.
        let shared = usize::from(format == InputFormat::Json) as u64;
        assert!(
            b.lines.first + shared > last_line || b.lines.is_empty(),
            "{:?}",
            b.lines
        );
        last_line = last_line.max(b.lines.last);
        check_body(b, &spec, whole_body);
    }
    // The failed-rows file of a run where every request failed re-reads to the same bodies.
    let mut failed = FailedRows::new(Vec::new(), &head, framing).expect("writing to a Vec");
    for b in &batches {
        failed.rows(&b.raw).expect("writing to a Vec");
    }
    let file = failed.finish().expect("writing to a Vec");
    let again = match read_all(&file, format, &spec) {
        Ok((again, _, _)) => again,
        Err(e) => panic!(
            "the failed-rows file {:?} does not re-read: {e:#}",
            String::from_utf8_lossy(&file)
        ),
    };
    let bodies = |v: &[Batch]| v.iter().map(|b| b.body.clone()).collect::<Vec<_>>();
    assert_eq!(
        bodies(&batches),
        bodies(&again),
        "failed-rows file {:?}",
        String::from_utf8_lossy(&file)
    );
});

type Read = (Vec<Batch>, Vec<u8>, table::Framing);

/// Every batch of `input`, the failed-rows head and framing; on an error, the remainder is
/// written out as `rrs execute --failed-rows` does before the error is returned.
fn read_all(input: &[u8], format: InputFormat, spec: &BatchSpec) -> anyhow::Result<Read> {
    let source = Source::Reader {
        reader: Box::new(Cursor::new(input.to_vec())),
        name: "in".into(),
        format,
    };
    let mut src = table::open(source, spec)?;
    let mut batches = Vec::new();
    loop {
        match src.next_batch() {
            Ok(Some(b)) => batches.push(b),
            Ok(None) => break,
            Err(e) => {
                let (head, framing) = (src.failed_head(), src.framing());
                let mut failed = FailedRows::new(Vec::new(), &head, framing)?;
                if let Some(rem) = src.into_remainder() {
                    failed.remainder(rem)?;
                }
                failed.finish()?;
                return Err(e);
            }
        }
        assert!(
            batches.len() <= input.len() + 1,
            "more batches than input bytes"
        );
    }
    assert!(src.swagger() == spec.swagger || src.failed_head().is_empty());
    let (head, framing) = (src.failed_head().to_vec(), src.framing());
    assert!(
        src.into_remainder().is_none(),
        "input read to its end leaves a remainder"
    );
    Ok((batches, head, framing))
}

/// The key by which serde_json (with its `raw_value` feature, which a dependency turns on)
/// marks a raw value: an object whose only key it is cannot be read as a `Value`.
const RAW_VALUE_TOKEN: &[u8] = b"$serde_json::private::RawValue";

fn check_body(b: &Batch, spec: &BatchSpec, whole_body: bool) {
    if b.body
        .windows(RAW_VALUE_TOKEN.len())
        .any(|w| w == RAW_VALUE_TOKEN)
    {
        return;
    }
    let v: Value = match serde_json::from_slice(&b.body) {
        Ok(v) => v,
        Err(e) => panic!(
            "batch {} is not JSON ({e}): {:?}",
            b.index,
            String::from_utf8_lossy(&b.body)
        ),
    };
    let inputs = v["Inputs"].as_object().expect("an `Inputs` object");
    if whole_body {
        assert_eq!(b.body, b.raw, "a whole request body is sent as it came");
        return;
    }
    assert!(
        b.body.len() <= spec.max_body,
        "body of {} bytes",
        b.body.len()
    );
    assert!(b.rows <= spec.max_rows);
    let input = &inputs["input1"];
    let rows = if spec.swagger {
        input.as_array().expect("swagger rows").len()
    } else {
        let t = input.as_object().expect("a table");
        let columns = t["ColumnNames"].as_array().expect("ColumnNames").len();
        let values = t["Values"].as_array().expect("Values");
        for row in values {
            assert_eq!(row.as_array().expect("a row").len(), columns);
        }
        values.len()
    };
    assert_eq!(rows, b.rows, "{}", String::from_utf8_lossy(&b.body));
    let params = v["GlobalParameters"].as_object().expect("GlobalParameters");
    assert_eq!(params.len(), spec.params.len());
}
