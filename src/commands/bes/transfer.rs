//! The blob steps of `bes run` and `bes submit`: the input's upload (with `bes run`, block by
//! block, journalled, only the blocks the storage lacks), and the download of a finished job's
//! outputs (`output1` from where an interrupted run stopped, into `OUTPUT.mlws-partial`).

use super::journal::{Block, Download, Journal, Paths, State, Upload, Uploaded};
use crate::blob::{self, resume::Checkpoint};
use crate::cli::RunArgs;
use crate::error::Interrupted;
use crate::output::Printer;
use crate::settings::Settings;
use crate::wire::{JobId, JobStatus};
use anyhow::{Context, Result};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// How often a download syncs its partial file and journals how far it got.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Uploads a local input file to `{container}/{timestamp}-{name}`; returns `container/blob`.
pub async fn upload_input(settings: &Settings, path: &Path, printer: &Printer) -> Result<String> {
    let cs = blob::ConnectionString::parse(settings.require_storage()?.expose())?;
    let relative = format!("{}/{}", settings.container, derived_name(path, "input"));
    if settings.dry_run {
        printer.info(format!("would upload `{}` to `{relative}`", path.display()));
        return Ok(relative);
    }
    let location = blob::BlobLocation::with_connection_string(cs, &relative)?;
    let bar = printer.bytes_bar(0, "uploading");
    let started = std::time::Instant::now();
    // `upload_file` names the file and the blob in its errors.
    let size = blob::upload_file(path, &location, &progress(&bar)).await?;
    bar.finish_and_clear();
    printer.info(format!(
        "uploaded `{}` to `{relative}` ({})",
        path.display(),
        rate(size, started.elapsed())
    ));
    Ok(relative)
}

/// `bes run`'s upload: the blob of the interrupted run, when there is one (done, or finished
/// now by staging only the blocks the storage lacks), else a new one; each block staged and the
/// commit are journalled. Returns `container/blob`.
pub async fn upload_step(
    settings: &Settings,
    args: &RunArgs,
    state: &State,
    journal: &Arc<Journal>,
    printer: &Printer,
) -> Result<String> {
    let path = &args.input;
    let upload = match &state.upload {
        Some(u) if state.uploaded => {
            printer.note(format!("the input is already uploaded to `{}`", u.blob));
            return Ok(u.blob.clone());
        }
        Some(u) => {
            printer.note(format!(
                "resuming the upload to `{}` ({} blocks were staged)",
                u.blob, state.blocks
            ));
            u.clone()
        }
        None => {
            let u = Upload {
                blob: format!("{}/{}", settings.container, derived_name(path, "input")),
                block_size: settings
                    .block_size
                    .unwrap_or(blob::resume::DEFAULT_BLOCK_SIZE),
            };
            journal.record("upload", &u)?;
            u
        }
    };
    let cs = blob::ConnectionString::parse(settings.require_storage()?.expose())?;
    let location = blob::BlobLocation::with_connection_string(cs, &upload.blob)?;
    let bar = printer.bytes_bar(0, "uploading");
    let started = std::time::Instant::now();
    let j = journal.clone();
    let on_staged: blob::resume::OnStaged =
        Arc::new(move |i, id| j.record("block", &Block { i, id }));
    let done = blob::resume::upload_file_resumable(
        path,
        &location,
        upload.block_size,
        on_staged,
        &progress(&bar),
    )
    .await?;
    bar.finish_and_clear();
    journal.record(
        "uploaded",
        &Uploaded {
            bytes: done.bytes,
            blocks: done.blocks,
        },
    )?;
    if done.already > 0 {
        printer.note(format!(
            "{} of {} blocks were already in storage; sent {}",
            done.already,
            done.blocks,
            done.blocks - done.already
        ));
    }
    printer.info(format!(
        "uploaded `{}` to `{}` ({})",
        path.display(),
        upload.blob,
        rate(done.bytes, started.elapsed())
    ));
    Ok(upload.blob)
}

/// Downloads a finished job's outputs: `output1` to the partial file of `--output` (from where
/// the interrupted run's download stopped), every output into `--output-dir`.
pub async fn download_step(
    id: &JobId,
    status: &JobStatus,
    args: &RunArgs,
    paths: Option<&Paths>,
    state: &State,
    journal: &Journal,
    printer: &Printer,
) -> Result<()> {
    let results = status.results.clone().unwrap_or_default();
    let reference = |name: &str| {
        results
            .get(name)
            .ok_or_else(|| anyhow::anyhow!("job `{id}` finished without an output named `{name}`"))
    };
    if let Some(paths) = paths {
        let location = blob::BlobLocation::from_reference(reference("output1")?)?;
        let from = match &state.download {
            Some(d) if state.job.as_deref() == Some(id.0.as_str()) => d.clone(),
            _ => Checkpoint::default(),
        };
        download_output1(id, &location, paths, from, journal, printer).await?;
    }
    let Some(dir) = args.output_dir.as_deref() else {
        return Ok(());
    };
    for (name, r) in &results {
        let ext = r
            .relative_location
            .as_deref()
            .and_then(|l| Path::new(l).extension())
            .and_then(|e| e.to_str())
            .unwrap_or("csv");
        let dest = dir.join(format!("{name}.{ext}"));
        let location = blob::BlobLocation::from_reference(reference(name)?)?;
        let bar = printer.bytes_bar(0, "downloading");
        let started = std::time::Instant::now();
        let bytes = blob::download_to_file(&location, &dest, &progress(&bar))
            .await
            .with_context(|| {
                format!("downloading `{name}` of job `{id}` to `{}`", dest.display())
            })?;
        bar.finish_and_clear();
        printer.info(format!(
            "wrote `{name}` to `{}` ({})",
            dest.display(),
            rate(bytes, started.elapsed())
        ));
    }
    Ok(())
}

/// `output1` into the partial file, from `from` on; Ctrl-C stops it (the job, finished, is
/// kept: `--resume` goes on with the download).
async fn download_output1(
    id: &JobId,
    location: &blob::BlobLocation,
    paths: &Paths,
    from: Checkpoint,
    journal: &Journal,
    printer: &Printer,
) -> Result<()> {
    if from.offset > 0 {
        printer.note(format!(
            "resuming the download of `output1` at byte {} of {}",
            from.offset,
            from.size.unwrap_or_default()
        ));
    }
    let file =
        crate::journal::open_partial(&paths.partial, (from.offset > 0).then_some(from.offset))?;
    let job = id.to_string();
    let mut on_checkpoint = |at: &Checkpoint| {
        journal.record(
            "download",
            &Download {
                job: job.clone(),
                at: at.clone(),
            },
        )
    };
    let bar = printer.bytes_bar(0, "downloading");
    let started = std::time::Instant::now();
    let already = from.offset;
    let progress = progress(&bar);
    let download = blob::resume::download_resumable(
        location,
        file,
        from,
        CHECKPOINT_EVERY,
        &mut on_checkpoint,
        &progress,
    );
    let bytes = tokio::select! {
        r = download => r.with_context(|| format!("downloading `output1` of job `{id}` to `{}`", paths.output.display()))?,
        _ = tokio::signal::ctrl_c() => return Err(anyhow::Error::new(Interrupted(format!(
            "interrupted while downloading the output of job `{id}`"
        )))),
    };
    bar.finish_and_clear();
    printer.info(format!(
        "wrote `output1` to `{}` ({})",
        paths.output.display(),
        rate(bytes - already.min(bytes), started.elapsed())
    ));
    Ok(())
}

/// `12345678 bytes in 1.23 s, 9.6 MiB/s`: what a transfer took (the benchmark reads it).
fn rate(bytes: u64, took: Duration) -> String {
    let secs = took.as_secs_f64().max(1e-6);
    format!(
        "{bytes} bytes in {secs:.2} s, {:.1} MiB/s",
        bytes as f64 / 1_048_576.0 / secs
    )
}

/// Blob transfer callbacks that drive a progress bar.
fn progress(bar: &indicatif::ProgressBar) -> blob::Progress {
    let (total, advance) = (bar.clone(), bar.clone());
    blob::Progress::new(
        Arc::new(move |n| total.set_length(n)),
        Arc::new(move |n| advance.inc(n)),
    )
}

/// `{unix millis}-{file stem}-{suffix}.csv`: unique per run, recognisable in the container.
pub fn derived_name(path: &Path, suffix: &str) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("data");
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("{millis}-{stem}-{suffix}.csv")
}
