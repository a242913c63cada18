//! Azure ML Studio (classic) RRS behind the seam (`protocol.md` §3): bodies are written by
//! `table`'s readers, with their fast paths (straight from the input buffer into
//! `{"Inputs":{NAME:{"ColumnNames","Values"}}}` or swagger rows), and answers are scanned by
//! `table`'s writer straight into the output (`RowWriter::write_answer`); the service chooses
//! its output columns. A batch is split (a 413, or a refusal with `--on-bad-row skip`) by
//! reading its raw input again, behind the input's header, in batches of half its rows.

use super::{Scoring, Writer};
use crate::table::{self, Batch, BatchSpec, Framing, InputFormat, Source};
use anyhow::Result;
use bytes::Bytes;
use url::Url;

pub struct Classic {
    /// `{root}/execute?api-version=V&details=true[&format=swagger]`.
    pub url: Url,
    /// The output to write (`--output-name`, default `output1`).
    pub output_name: String,
    /// How to read a batch's raw input again; `None` when it cannot be (a whole request body).
    pub resplit: Option<Resplit>,
}

/// What reading a batch's rows again takes.
pub struct Resplit {
    /// The input's header line (CSV, TSV) or `[` (JSON rows).
    pub head: Bytes,
    pub framing: Framing,
    pub format: InputFormat,
    pub spec: BatchSpec,
}

impl Resplit {
    /// The batch's rows in two batches (the first one larger when the count is odd), with
    /// the batch's index and their own input lines.
    fn halves(&self, batch: &Batch) -> Result<Option<(Batch, Batch)>> {
        if batch.rows < 2 {
            return Ok(None);
        }
        let mut input = self.head.to_vec();
        match self.framing {
            Framing::Lines => input.extend_from_slice(&batch.raw),
            Framing::JsonArray => {
                input.extend_from_slice(batch.raw.strip_prefix(b",").unwrap_or(&batch.raw));
                input.extend_from_slice(b"\n]");
            }
        }
        let spec = BatchSpec {
            max_rows: batch.rows.div_ceil(2),
            ..self.spec.clone()
        };
        let source = Source::Reader {
            reader: Box::new(std::io::Cursor::new(input)),
            name: "the batch".into(),
            format: self.format,
        };
        let mut parts = table::open(source, &spec)?;
        let (Some(mut a), Some(mut b)) = (parts.next_batch()?, parts.next_batch()?) else {
            return Ok(None);
        };
        // The lines as the input numbers them, not as the re-read batch does.
        let shift = batch.lines.first as i64 - a.lines.first as i64;
        for part in [&mut a, &mut b] {
            part.index = batch.index;
            part.lines.first = (part.lines.first as i64 + shift) as u64;
            part.lines.last = (part.lines.last as i64 + shift) as u64;
        }
        // Positions in the input: only the end of the whole is known (and is the second's).
        (a.end, b.end) = (0, batch.end);
        Ok(Some((a, b)))
    }
}

impl Scoring for Classic {
    fn url(&self) -> &Url {
        &self.url
    }

    fn content_type(&self) -> &'static str {
        crate::client::JSON_CONTENT_TYPE
    }

    fn write_answer(&self, writer: &mut Writer, answer: &[u8], batch: &Batch) -> Result<()> {
        writer.write_answer(answer, &self.output_name, batch.rows, batch.lines)
    }

    fn split(&self, batch: &Batch) -> Result<Option<(Batch, Batch)>> {
        match &self.resplit {
            Some(r) => r.halves(batch),
            None => Ok(None),
        }
    }
}
