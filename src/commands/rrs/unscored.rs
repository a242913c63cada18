//! After a run that stopped part way: which input lines were not scored (everything from the
//! first batch not written on, since output is written in input order) and, with
//! `--failed-rows`, their raw input, written as a file that is itself a valid input, so that
//! running it again scores exactly what is missing.

use super::pipeline::{Ledger, ReadState};
use crate::table::{BatchSource, FailedRows, Framing, Lines};
use anyhow::{Context, Result};
use bytes::Bytes;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use tokio::sync::oneshot;

/// The error of a run that stopped part way: which input lines were not scored and, with
/// `--failed-rows`, where their raw input went.
pub(super) async fn stopped(
    error: anyhow::Error,
    ledger: &Ledger,
    read: &ReadState,
    reader: oneshot::Receiver<Box<dyn BatchSource>>,
    (head, framing): (Bytes, Framing),
    interrupted: bool,
    // `--failed-rows`, and the raw input of the rows refused before the stop.
    (failed_rows, refused): (Option<PathBuf>, Vec<Bytes>),
) -> anyhow::Error {
    let unscored: Vec<(Lines, Bytes)> = ledger
        .lock()
        .expect("ledger lock")
        .values()
        .cloned()
        .collect();
    let first = unscored
        .iter()
        .find(|(l, _)| !l.is_empty())
        .map_or(read.next_line.load(Ordering::Relaxed), |(l, _)| l.first);
    let eof = read.eof.load(Ordering::Relaxed);
    let last = read.last_line.load(Ordering::Relaxed);
    let mut what = if eof && last >= first {
        let verb = if first == last { "was" } else { "were" };
        format!("input {} {verb} not scored", Lines { first, last })
    } else if eof {
        "no input line was left unscored".to_string()
    } else {
        format!("input lines from {first} on were not scored")
    };
    if let Some(path) = failed_rows {
        // After Ctrl-C the rest of the input is not waited for.
        let source = if interrupted { None } else { reader.await.ok() };
        // The rows refused before the stop come first: they are earlier in the input.
        let raws: Vec<Bytes> = refused
            .into_iter()
            .chain(unscored.into_iter().map(|(_, raw)| raw))
            .collect();
        let written = tokio::task::spawn_blocking({
            let path = path.clone();
            move || write_failed(&path, &head, framing, &raws, source)
        })
        .await;
        match written {
            Ok(Ok(())) => what.push_str(&format!("; they are in `{}`", path.display())),
            Ok(Err(e)) => what.push_str(&format!(
                "; writing them to `{}` failed: {e:#}",
                path.display()
            )),
            Err(e) => what.push_str(&format!(
                "; writing them to `{}` failed: {e}",
                path.display()
            )),
        }
    }
    error.context(format!("scoring stopped: {what}"))
}

/// After a run that scored every row but those the service refused (`--on-bad-row skip`):
/// writes them to the `--failed-rows` file.
pub(super) async fn refused_only(
    path: &std::path::Path,
    (head, framing): (Bytes, Framing),
    refused: Vec<Bytes>,
) -> Result<()> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || write_failed(&path, &head, framing, &refused, None))
        .await
        .context("writing the refused rows stopped")?
}

/// Writes the `--failed-rows` file (atomically): header, unscored batches, then whatever the
/// reader had not batched, and the rest of the input.
fn write_failed(
    path: &std::path::Path,
    head: &[u8],
    framing: Framing,
    raws: &[Bytes],
    source: Option<Box<dyn BatchSource>>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let (file, temp) = tempfile::Builder::new()
        .prefix(".mlws-failed-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in `{}`", dir.display()))?
        .into_parts();
    let mut out = FailedRows::new(std::io::BufWriter::new(file), head, framing)?;
    for raw in raws {
        out.rows(raw)?;
    }
    if let Some(rem) = source.and_then(|s| s.into_remainder()) {
        out.remainder(rem)?;
    }
    out.finish()?.flush()?;
    super::io::persist(temp, path)
}
