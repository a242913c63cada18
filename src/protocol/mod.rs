//! The seam between the scoring pipeline and the services' wire protocols (`spec/adapters.md`,
//! `style.md` "Protocols behind one seam"). The pipeline (reader, batches, limiter, retries,
//! ledger, in-order writer, `--failed-rows`) knows only [`Scoring`]; each protocol knows its
//! request (URL, content type, how a batch becomes a body), its answer (how a body becomes
//! output rows aligned with the batch), what it publishes about itself ([`Schema`]) and where
//! its schema lives. `classic` keeps the classic bodies and their fast paths (written by
//! `table`); the typed protocols share `typing.rs` (cells to JSON values) and `answer.rs`
//! (predictions to columns). Nothing here knows files, formats, concurrency, retries or exit
//! codes.

pub mod answer;
pub mod classic;
mod detect;
pub mod schema;
pub mod typed;
pub mod typing;

mod azureml;
mod kserve_v1;
mod mlflow;
mod v2;

pub use detect::{detect, endpoint};
pub use schema::{Field, Schema};

use crate::table::{Batch, Output, RowWriter};
use anyhow::Result;
use std::io::Write;
use url::Url;

/// The protocols of `--protocol`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Classic,
    Mlflow,
    AzureMl,
    V2,
    KserveV1,
}

impl Kind {
    /// The name of `--protocol` and of `describe -f json`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Classic => "classic",
            Kind::Mlflow => "mlflow",
            Kind::AzureMl => "azureml",
            Kind::V2 => "v2",
            Kind::KserveV1 => "kserve-v1",
        }
    }

    pub fn from_cli(p: crate::cli::Protocol) -> Self {
        use crate::cli::Protocol as P;
        match p {
            P::Classic => Kind::Classic,
            P::Mlflow => Kind::Mlflow,
            P::Azureml => Kind::AzureMl,
            P::V2 => Kind::V2,
            P::KserveV1 => Kind::KserveV1,
        }
    }

    /// Whether a 500 that repeats on one retry means the model refused the batch's data
    /// (these servers answer any exception in the model with 500, `spec/adapters.md` §2–§4).
    pub fn refuses_with_500(self) -> bool {
        matches!(self, Kind::AzureMl | Kind::V2 | Kind::KserveV1)
    }
}

/// The output type of the pipeline's writer.
pub type Writer = RowWriter<Box<dyn Write + Send>>;

/// What the pipeline needs of a protocol to score batches.
pub trait Scoring: Send + Sync {
    /// Where a batch is posted.
    fn url(&self) -> &Url;
    /// The `Content-Type` of the bodies.
    fn content_type(&self) -> &'static str;
    /// Checks the answer to `batch` and writes its rows, in the batch's order.
    fn write_answer(&self, writer: &mut Writer, answer: &[u8], batch: &Batch) -> Result<()>;
    /// The two halves of a batch with their bodies, for a batch refused as too large (413)
    /// or as bad input; `None` when this protocol's batches cannot be split.
    fn split(&self, batch: &Batch) -> Result<Option<(Batch, Batch)>>;
}

/// An answer's predictions, aligned with the rows sent: named columns, one row per input row.
pub type Predictions = Output<'static>;
