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

#[cfg(test)]
mod scan_tests;

pub use detect::{detect, endpoint};
pub use schema::{Field, Schema};

use crate::table::{Batch, Output, RowWriter};
use anyhow::Result;
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
pub type Writer = RowWriter<Box<dyn crate::table::stream::Sink>>;

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

/// How a typed protocol's bodies are written: `--body-format`, `--param` (typed),
/// `--input-name` and `--output-name`, and the service's schema where it has one.
pub struct WireOptions<'a> {
    pub body_format: Option<&'a str>,
    pub params: Vec<(String, serde_json::Value)>,
    pub input_name: Option<String>,
    pub outputs: Vec<String>,
    pub schema: Option<&'a Schema>,
}

/// The bodies and answers of a typed protocol.
pub fn wire(kind: Kind, o: WireOptions<'_>) -> Result<Box<dyn typed::Wire>> {
    if kind != Kind::V2 && !o.outputs.is_empty() {
        return Err(crate::usage!(
            "`--output-name` asks a v2 server for outputs; {} answers what its model returns",
            kind.name()
        ));
    }
    if !matches!(kind, Kind::V2) && o.input_name.is_some() {
        return Err(crate::usage!(
            "`--input-name` names a classic input or a v2 tensor, not an input of {}",
            kind.name()
        ));
    }
    match kind {
        Kind::Mlflow => mlflow::wire(o.body_format, o.params),
        Kind::AzureMl => azureml::wire(o.body_format, o.params),
        Kind::KserveV1 => kserve_v1::wire(o.body_format, &o.params),
        Kind::V2 => {
            let name = o
                .input_name
                .or_else(|| {
                    o.schema
                        .and_then(|s| s.inputs.first())
                        .map(|f| f.name.clone())
                })
                .unwrap_or_else(|| "input-0".into());
            v2::wire(o.body_format, name, o.outputs, o.params)
        }
        Kind::Classic => unreachable!("classic bodies are written by `table`"),
    }
}

/// An answer's predictions, aligned with the rows sent: named columns, one row per input row;
/// its cells may borrow from the answer's body.
pub type Predictions<'a> = Output<'a>;
