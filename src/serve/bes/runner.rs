//! Runs a started job (one tokio task each, at most `max_running` doing work at once): waits
//! `--job-delay`, reads `input1` through the blob module (key or SAS reference, Azurite or the
//! emulator's own store), streams it through the Feature Hashing transform (`transform.rs`) on
//! the blocking pool, and uploads `output1` as it is produced — to the job's override or to
//! `{DEFAULT_CONTAINER}/{job id}/output1.csv` in the emulator's own store — then reports
//! Finished with a read-only SAS reference, or Failed with `Details`. A cancel (DELETE or
//! shutdown) drops the upload before it commits, so a cancelled job writes no output. Memory
//! stays bounded: a few chunks between the transform and the upload, the upload's blocks.

use super::Bes;
use super::jobs::{JobSpec, Results, Started};
use super::transform::{self, Format, Stop};
use crate::blob::{BlobLocation, BlobReader, Progress, open_read, sas_reference, upload_stream};
use crate::serve::experiment::FeatureHashing;
use crate::serve::rrs::{INPUT_NAME, OUTPUT_NAME};
use crate::wire::bes::BlobReference;
use anyhow::Context as _;
use bytes::{Bytes, BytesMut};
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Container of outputs written without an override, in the emulator's own store.
pub const DEFAULT_CONTAINER: &str = "mlws-jobs";
/// How long the SAS tokens in `Results` stay valid.
pub const RESULTS_TTL: Duration = Duration::from_secs(24 * 3600);
/// Bytes per chunk handed from the transform to the upload.
const CHUNK: usize = 256 * 1024;
/// Chunks waiting between the transform and the upload.
const CHUNKS_IN_FLIGHT: usize = 4;
/// An input read that yields nothing for this long fails the job.
const READ_IDLE: Duration = Duration::from_secs(120);

/// Runs the job `id` in the background; its end is written to the job table, unless the job
/// was cancelled meanwhile.
pub fn spawn(bes: Arc<Bes>, id: String, job: Started) {
    tokio::spawn(async move {
        let cancel = job.cancel.clone();
        let outcome = tokio::select! {
            biased;
            () = cancel.cancelled() => return,
            outcome = run(&bes, &id, &job.spec, &cancel) => outcome,
        };
        bes.table().end(&id, outcome);
    });
}

async fn run(
    bes: &Bes,
    id: &str,
    spec: &JobSpec,
    cancel: &CancellationToken,
) -> Result<Results, String> {
    if !bes.config.job_delay.is_zero() {
        tokio::time::sleep(bes.config.job_delay).await;
    }
    let _slot = bes
        .slots
        .acquire()
        .await
        .map_err(|_| "the emulator is stopping".to_string())?;
    execute(bes, id, spec, cancel).await
}

/// Reads, hashes, writes: the job's `Results`, or its `Details`.
pub async fn execute(
    bes: &Bes,
    id: &str,
    spec: &JobSpec,
    cancel: &CancellationToken,
) -> Result<Results, String> {
    let input = BlobLocation::from_reference(&spec.input)
        .map_err(|e| format!("Error 0030: Unable to use the blob of {INPUT_NAME}: {e:#}."))?;
    let reader = open_read(&input).await.map_err(|e| {
        format!(
            "Error 0030: Unable to download {INPUT_NAME} from `{}`: {e:#}.",
            input.describe()
        )
    })?;
    let output = output_location(bes, id, spec)?;
    let formats = (
        Format::of(spec.input.relative_location.as_deref().unwrap_or("")),
        Format::of(output.url().path()),
    );
    pipeline(reader, formats, &output, spec.settings, cancel).await?;
    let reference = results_reference(&output, spec.output.as_ref()).map_err(|e| {
        format!("{OUTPUT_NAME} was written, but no read-only reference can be made: {e:#}.")
    })?;
    Ok(Results::from([(OUTPUT_NAME.to_string(), reference)]))
}

/// The override of `output1`, or the default blob in the emulator's own store.
fn output_location(bes: &Bes, id: &str, spec: &JobSpec) -> Result<BlobLocation, String> {
    match &spec.output {
        Some(r) => BlobLocation::from_reference(r),
        None => BlobLocation::with_connection_string(
            bes.storage.clone(),
            &format!("{DEFAULT_CONTAINER}/{id}/{OUTPUT_NAME}.csv"),
        ),
    }
    .map_err(|e| format!("Unable to use the blob of {OUTPUT_NAME}: {e:#}."))
}

/// Where `output1` is, as `Results` shows it (`protocol.md` §5.5): `ConnectionString` null,
/// `BaseLocation` with a trailing `/`, `RelativeLocation` without a leading one, and a SAS token
/// starting with `?` — a fresh read-only one when the account key is known, else the token the
/// job was given (a SAS override, or a connection string with only an account SAS).
fn results_reference(
    loc: &BlobLocation,
    given: Option<&BlobReference>,
) -> anyhow::Result<BlobReference> {
    let with_slash = |s: &str| format!("{}/", s.trim_end_matches('/'));
    let with_question = |s: &str| format!("?{}", s.trim_start_matches('?'));
    match loc {
        BlobLocation::Key {
            cs,
            container,
            blob,
        } => match cs.sas_token() {
            Some(sas) if cs.account_key().is_none() => Ok(BlobReference {
                connection_string: None,
                relative_location: Some(format!("{container}/{blob}")),
                base_location: Some(with_slash(cs.blob_endpoint().as_str())),
                sas_blob_token: Some(with_question(sas.expose())),
            }),
            _ => sas_reference(cs, container, blob, RESULTS_TTL),
        },
        BlobLocation::Sas { .. } => {
            let r = given.context("a SAS location comes from a reference")?;
            let part = |v: &Option<String>| v.clone().unwrap_or_default();
            Ok(BlobReference {
                connection_string: None,
                relative_location: Some(part(&r.relative_location).trim_start_matches('/').into()),
                base_location: Some(with_slash(&part(&r.base_location))),
                sas_blob_token: Some(with_question(&part(&r.sas_blob_token))),
            })
        }
    }
}

/// The transform on the blocking pool, its output streamed into the upload. An input problem
/// reaches the upload as an error, so nothing is committed.
async fn pipeline(
    reader: BlobReader,
    (input_format, output_format): (Format, Format),
    output: &BlobLocation,
    settings: FeatureHashing,
    cancel: &CancellationToken,
) -> Result<u64, String> {
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(CHUNKS_IN_FLIGHT);
    let complete = Arc::new(AtomicBool::new(false));
    let rt = Handle::current();
    let cancel = cancel.clone();
    let marker = complete.clone();
    let producer = tokio::task::spawn_blocking(move || {
        let input = BlockingRead {
            inner: reader,
            rt: rt.clone(),
            cancel: cancel.clone(),
        };
        let mut out = ChannelWrite {
            buf: BytesMut::with_capacity(CHUNK),
            tx,
            rt,
            cancel: cancel.clone(),
        };
        let stopped = || cancel.is_cancelled();
        let rows = transform::run(
            input,
            input_format,
            &mut out,
            output_format,
            settings,
            &stopped,
        )?;
        out.finish().map_err(Stop::Output)?;
        marker.store(true, Ordering::Release);
        drop(out); // closes the channel: the end of a complete output
        Ok(rows)
    });
    // The channel closing ends the upload's input only after `finish`; any other end (an
    // input problem, a cancel, a panic) is an error, so the upload never commits a part.
    let chunks = futures::stream::unfold((rx, false), move |(mut rx, ended)| {
        let complete = complete.clone();
        async move {
            if ended {
                return None;
            }
            match rx.recv().await {
                Some(item) => Some((item, (rx, false))),
                None if complete.load(Ordering::Acquire) => None,
                None => Some((
                    Err(io::Error::other("the output was not completed")),
                    (rx, true),
                )),
            }
        }
    });
    let body = tokio_util::io::StreamReader::new(Box::pin(chunks));
    let progress = Progress::default();
    let (uploaded, produced) = tokio::join!(upload_stream(output, body, &progress), producer);
    let produced = produced.map_err(|e| format!("the batch runner stopped: {e}"))?;
    let written = |e: &dyn std::fmt::Display| {
        format!(
            "Unable to write {OUTPUT_NAME} to `{}`: {e}.",
            output.describe()
        )
    };
    match (produced, uploaded) {
        (Err(Stop::Input(details)), _) => Err(details),
        (Err(Stop::Cancelled), _) => Err("The job was cancelled.".into()),
        (_, Err(e)) => Err(written(&format_args!("{e:#}"))),
        (Err(Stop::Output(e)), Ok(_)) => Err(written(&e)),
        (Ok(rows), Ok(_)) => Ok(rows),
    }
}

/// The blob being read, as blocking `Read` for the transform's thread; gives up on a cancel
/// or when no byte comes for [`READ_IDLE`].
struct BlockingRead {
    inner: BlobReader,
    rt: Handle,
    cancel: CancellationToken,
}

impl Read for BlockingRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let (inner, cancel) = (&mut self.inner, &self.cancel);
        self.rt.block_on(async {
            tokio::select! {
                biased;
                () = cancel.cancelled() => Err(io::Error::other("the job was cancelled")),
                r = tokio::time::timeout(READ_IDLE, inner.read(buf)) => r.unwrap_or_else(|_| {
                    Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("no data came for {} s", READ_IDLE.as_secs()),
                    ))
                }),
            }
        })
    }
}

/// The transform's output as chunks for the upload.
struct ChannelWrite {
    buf: BytesMut,
    tx: mpsc::Sender<io::Result<Bytes>>,
    rt: Handle,
    cancel: CancellationToken,
}

impl ChannelWrite {
    fn send(&mut self, item: io::Result<Bytes>) -> io::Result<()> {
        let (tx, cancel) = (&self.tx, &self.cancel);
        self.rt.block_on(async {
            tokio::select! {
                biased;
                () = cancel.cancelled() => Err(io::Error::other("the job was cancelled")),
                r = tx.send(item) => r.map_err(|_| io::Error::new(
                    io::ErrorKind::BrokenPipe,
                    "the upload of the output ended early",
                )),
            }
        })
    }

    fn send_buffered(&mut self) -> io::Result<()> {
        let chunk = std::mem::replace(&mut self.buf, BytesMut::with_capacity(CHUNK)).freeze();
        self.send(Ok(chunk))
    }

    /// Sends what is left. The sender stays open: the caller marks the output complete
    /// before dropping it, so the upload never sees the channel close first.
    fn finish(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.send_buffered()
    }
}

impl Write for ChannelWrite {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send_buffered()?;
        }
        Ok(data.len())
    }

    /// Chunks go when full or at the end; a flush in between would only make them smaller.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
