//! `--record COL=VALUE ...`: one row from the command line (the portal's Test button), cells
//! sent as strings. Its raw form for `--failed-rows` is a two-line CSV.

use super::encode::{Batcher, RowEncoder, body_frame, push_json_str};
use super::output::push_csv_record;
use super::{Batch, BatchSource, BatchSpec, Framing, Lines, Remainder, too_big};
use anyhow::Result;
use bytes::Bytes;

struct RecordSource {
    batch: Option<Batch>,
    head: Bytes,
    swagger: bool,
}

pub(super) fn open(cells: Vec<(String, String)>, spec: &BatchSpec) -> Result<Box<dyn BatchSource>> {
    let columns: Vec<String> = cells.iter().map(|(k, _)| k.clone()).collect();
    for (i, c) in columns.iter().enumerate() {
        if columns[..i].contains(c) {
            return Err(crate::usage!("`--record` gives column `{c}` twice"));
        }
    }
    let enc = RowEncoder::new(&columns, spec.swagger);
    let mut row = Vec::new();
    enc.begin(&mut row);
    for (i, (_, v)) in cells.iter().enumerate() {
        enc.cell(&mut row, i);
        push_json_str(&mut row, v.as_bytes());
    }
    enc.end(&mut row);
    // One empty cell is written `""`, not as a blank line a re-run would skip.
    let csv_line = |fields: Vec<&[u8]>| {
        let mut out = Vec::new();
        push_csv_record(&mut out, fields.into_iter(), b',');
        out
    };
    let head = csv_line(columns.iter().map(|c| c.as_bytes()).collect());
    let raw = csv_line(cells.iter().map(|(_, v)| v.as_bytes()).collect());
    let (prefix, suffix) = body_frame(&spec.input_name, &columns, spec.swagger, &spec.params);
    let mut batcher = Batcher::new(prefix, suffix, 1, spec.max_body);
    let line = Lines { first: 1, last: 1 };
    let batch = batcher
        .push(&row, &raw, line)
        .map_err(|e| too_big("--record", e, spec.max_body))?;
    Ok(Box::new(RecordSource {
        batch,
        head: head.into(),
        swagger: spec.swagger,
    }))
}

impl BatchSource for RecordSource {
    fn next_batch(&mut self) -> Result<Option<Batch>> {
        Ok(self.batch.take())
    }
    fn swagger(&self) -> bool {
        self.swagger
    }
    fn failed_head(&self) -> Bytes {
        self.head.clone()
    }
    fn framing(&self) -> Framing {
        Framing::Lines
    }
    fn into_remainder(self: Box<Self>) -> Option<Remainder> {
        None
    }
}
