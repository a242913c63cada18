//! Azure ML Studio (classic) RRS behind the seam (`protocol.md` §3): bodies are written by
//! `table`'s readers, with their fast paths (straight from the input buffer into
//! `{"Inputs":{NAME:{"ColumnNames","Values"}}}` or swagger rows), and answers are scanned by
//! `table`'s writer straight into the output (`RowWriter::write_answer`); the service chooses
//! its output columns. Classic batches are not split: their rows are not kept as cells.

use super::{Scoring, Writer};
use crate::table::Batch;
use anyhow::Result;
use url::Url;

pub struct Classic {
    /// `{root}/execute?api-version=V&details=true[&format=swagger]`.
    pub url: Url,
    /// The output to write (`--output-name`, default `output1`).
    pub output_name: String,
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

    fn split(&self, _batch: &Batch) -> Result<Option<(Batch, Batch)>> {
        Ok(None)
    }
}
