//! `mlws bes run`: upload → submit → start → poll → download, the workflow of the Python sample
//! in the service documentation. Ctrl-C or `--job-timeout` deletes (cancels) the job unless
//! `--keep-job`; a failed job exits 5 with its `Details`, a cancelled one 6.

use super::poll::{self, Policy};
use super::{blob_path, global_parameters};
use crate::blob;
use crate::cli::RunArgs;
use crate::client::Client;
use crate::commands::make_client;
use crate::error::{ExitStatus, Interrupted, JobEnded};
use crate::output::Printer;
use crate::settings::Settings;
use crate::usage;
use crate::wire::{BlobReference, JobId, JobRequest, JobStatus};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub async fn run(settings: &Settings, args: RunArgs, printer: &Printer) -> Result<()> {
    let client = make_client(settings, printer)?;
    let policy = Policy::new(args.poll_interval, args.job_timeout)?;
    let params = global_parameters(&args.param)?;
    if !args.input.is_file() {
        return Err(usage!(
            "input file `{}` does not exist",
            args.input.display()
        ));
    }
    for dir in args
        .output
        .iter()
        .filter_map(|o| o.parent())
        .chain(args.output_dir.as_deref())
    {
        if !dir.as_os_str().is_empty() && !dir.is_dir() {
            return Err(usage!(
                "output directory `{}` does not exist",
                dir.display()
            ));
        }
    }
    let storage = settings.require_storage()?.clone();
    let input = upload_input(settings, &args.input, printer).await?;
    let output = blob_path(
        &format!(
            "{}/{}",
            settings.container,
            derived_name(&args.input, "output1")
        ),
        "--output",
    )?;
    let reference = |rel: String| BlobReference {
        connection_string: Some(storage.expose().to_string()),
        relative_location: Some(rel),
        ..Default::default()
    };
    let request = JobRequest {
        inputs: Some(BTreeMap::from([(
            args.input_name.clone(),
            reference(input),
        )])),
        outputs: Some(BTreeMap::from([("output1".to_string(), reference(output))])),
        global_parameters: params,
        ..Default::default()
    };
    if settings.dry_run {
        return super::print_dry_run(&client, &request);
    }
    let id = client.submit_job(&request).await?;
    printer.info(format!("submitted job `{id}`"));
    // From here on Ctrl-C is ours: it deletes the job (unless --keep-job) and exits 130.
    let outcome = tokio::select! {
        r = finish(&client, &id, &policy, &args, printer) => r,
        _ = tokio::signal::ctrl_c() => Err(anyhow::Error::new(Interrupted(format!("interrupted while job `{id}` was running")))),
    };
    match outcome {
        Ok(()) => Ok(()),
        Err(err) => Err(abandon(&client, &id, args.keep_job, printer, err).await),
    }
}

/// Start, wait for a final state, and download the outputs of a finished job.
async fn finish(
    client: &Client,
    id: &JobId,
    policy: &Policy,
    args: &RunArgs,
    printer: &Printer,
) -> Result<()> {
    let status = start_and_wait(client, id, policy, printer).await?;
    poll::check_final(id, &status)?;
    download_results(
        id,
        &status,
        &args.output,
        args.output_dir.as_deref(),
        printer,
    )
    .await
}

async fn start_and_wait(
    client: &Client,
    id: &JobId,
    policy: &Policy,
    printer: &Printer,
) -> Result<JobStatus> {
    client.start_job(id).await?;
    let spinner = printer.spinner(&format!("job {id}: started"));
    let result = poll::wait(client, id, policy, printer, Some(&spinner)).await;
    spinner.finish_and_clear();
    let (status, _) = result?;
    printer.info(format!("job `{id}` ended {}", status.state));
    Ok(status)
}

/// On Ctrl-C or timeout, deletes the job (unless `--keep-job`) and returns the error to report.
async fn abandon(
    client: &Client,
    id: &JobId,
    keep: bool,
    printer: &Printer,
    err: anyhow::Error,
) -> anyhow::Error {
    let leaving = err.chain().any(|c| c.is::<Interrupted>())
        || err.chain().any(|c| {
            c.downcast_ref::<JobEnded>()
                .is_some_and(|j| j.status == ExitStatus::TimedOut)
        });
    if !leaving {
        return err;
    }
    if keep {
        printer.note(format!(
            "job `{id}` was kept (--keep-job); delete it with `mlws bes delete {id}`"
        ));
        return err;
    }
    match client.delete_job(id).await {
        Ok(()) => printer.info(format!("deleted job `{id}`")),
        Err(e) => printer.warn(format!("could not delete job `{id}`: {e:#}")),
    }
    err
}

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

/// `12345678 bytes in 1.23 s, 9.6 MiB/s`: what a transfer took (the benchmark reads it).
fn rate(bytes: u64, took: std::time::Duration) -> String {
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
fn derived_name(path: &Path, suffix: &str) -> String {
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

async fn download_results(
    id: &JobId,
    status: &JobStatus,
    output: &Option<PathBuf>,
    output_dir: Option<&Path>,
    printer: &Printer,
) -> Result<()> {
    let results = status.results.clone().unwrap_or_default();
    let mut wanted: Vec<(String, PathBuf)> = Vec::new();
    if let Some(o) = output {
        wanted.push(("output1".into(), o.clone()));
    }
    if let Some(dir) = output_dir {
        for (name, r) in &results {
            let ext = r
                .relative_location
                .as_deref()
                .and_then(|l| Path::new(l).extension())
                .and_then(|e| e.to_str())
                .unwrap_or("csv");
            wanted.push((name.clone(), dir.join(format!("{name}.{ext}"))));
        }
    }
    for (name, dest) in wanted {
        let reference = results.get(&name).ok_or_else(|| {
            anyhow::anyhow!("job `{id}` finished without an output named `{name}`")
        })?;
        let location = blob::BlobLocation::from_reference(reference)?;
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
