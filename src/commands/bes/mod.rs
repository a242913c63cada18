//! `mlws bes submit|start|status|delete|run`: batch execution jobs. `run` is the whole workflow
//! of the Python sample in the service documentation (upload → submit → start → poll →
//! download), in `run.rs`, with its journal for `--resume` in `journal.rs` and its blob steps
//! in `transfer.rs`; polling with backoff is in `poll.rs`.

mod journal;
mod poll;
mod run;
mod transfer;

use crate::cli::{BesCommand, OutputFormat, StatusArgs, SubmitArgs};
use crate::client::Client;
use crate::commands::{make_client, parse_pairs};
use crate::output::Printer;
use crate::settings::Settings;
use crate::usage;
use crate::wire::{BlobReference, JobId, JobRequest, JobState};
use anyhow::{Context, Result};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

pub async fn run(settings: &Settings, cmd: BesCommand, printer: &Printer) -> Result<()> {
    match cmd {
        BesCommand::Submit(args) => submit(settings, args, printer).await,
        BesCommand::Start(args) => {
            let id = job_id(&args.job_id)?;
            let client = make_client(settings, printer)?;
            client.start_job(&id).await?;
            printer.info(format!("job `{id}` started"));
            Ok(())
        }
        BesCommand::Status(args) => status(settings, args, printer).await,
        BesCommand::Delete(args) => {
            let id = job_id(&args.job_id)?;
            let client = make_client(settings, printer)?;
            client.delete_job(&id).await?;
            printer.info(format!("job `{id}` deleted"));
            Ok(())
        }
        BesCommand::Run(args) => run::run(settings, args, printer).await,
    }
}

fn job_id(s: &str) -> Result<JobId> {
    JobId::parse(s.trim()).map_err(|e| usage!("{e}"))
}

/// `--param NAME=VALUE` pairs as `GlobalParameters` (string values, as the portal sends them).
pub fn global_parameters(params: &[String]) -> Result<Option<Map<String, Value>>> {
    let pairs = parse_pairs("--param", params)?;
    Ok(Some(
        pairs
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect(),
    ))
}

async fn submit(settings: &Settings, args: SubmitArgs, printer: &Printer) -> Result<()> {
    let client = make_client(settings, printer)?;
    let params = global_parameters(&args.param)?;
    let storage = settings.require_storage()?.clone();
    // Every flag is checked before anything is uploaded.
    let output_blob = args
        .output_blob
        .as_deref()
        .map(|o| blob_path(o, "--output-blob"))
        .transpose()?;
    let input_location = if Path::new(&args.input).is_file() {
        transfer::upload_input(settings, Path::new(&args.input), printer).await?
    } else {
        let rel = blob_path(&args.input, "--input").map_err(|_| {
            usage!(
                "input file `{}` does not exist (nor is it `container/blob` in storage)",
                args.input
            )
        })?;
        if !settings.dry_run {
            check_input_blob(&storage, &rel, printer).await?;
        }
        rel
    };
    let reference = |rel: String| BlobReference {
        connection_string: Some(storage.expose().to_string()),
        relative_location: Some(rel),
        ..Default::default()
    };
    let outputs = output_blob.map(|o| BTreeMap::from([("output1".to_string(), reference(o))]));
    let request = JobRequest {
        inputs: Some(BTreeMap::from([(
            args.input_name.clone(),
            reference(input_location),
        )])),
        outputs,
        global_parameters: params,
        ..Default::default()
    };
    if settings.dry_run {
        return print_dry_run(&client, &request);
    }
    let id = client.submit_job(&request).await?;
    writeln!(std::io::stdout().lock(), "{id}").context("cannot write the job id")?;
    Ok(())
}

/// A job whose input blob is missing can only fail once started: say so before submitting.
/// A check that cannot be made (no read permission, network) is only a warning, since the
/// service reads with credentials of its own choosing (a SAS of the connection string).
async fn check_input_blob(
    storage: &crate::secret::Secret,
    rel: &str,
    printer: &Printer,
) -> Result<()> {
    let cs = crate::blob::ConnectionString::parse(storage.expose())?;
    let account = cs.account().to_string();
    let location = crate::blob::BlobLocation::with_connection_string(cs, rel)?;
    match crate::blob::presence(&location).await {
        Ok(crate::blob::Presence::Present) => Ok(()),
        Ok(crate::blob::Presence::Missing(why)) => Err(usage!(
            "the input blob `{rel}` is not in storage account `{account}`: {why}"
        )),
        Err(e) => {
            printer.warn(format!("could not check the input blob `{rel}`: {e:#}"));
            Ok(())
        }
    }
}

/// `--dry-run`: prints the submit request that would be sent (secrets masked) to stdout.
pub fn print_dry_run(client: &Client, request: &JobRequest) -> Result<()> {
    let body = serde_json::to_vec(request).context("cannot serialize the job request")?;
    let text = client.describe_request(&reqwest::Method::POST, &client.jobs_url(), &body);
    write!(std::io::stdout().lock(), "{text}").context("cannot write the request")?;
    Ok(())
}

/// Checks a `container/blob` reference and normalises it (no leading `/`).
pub fn blob_path(s: &str, flag: &str) -> Result<String> {
    let t = s.trim().trim_start_matches('/');
    match t.split_once('/') {
        Some((c, b))
            if !c.is_empty() && !b.is_empty() && !b.split('/').any(|p| p == ".." || p == ".") =>
        {
            Ok(t.to_string())
        }
        _ => Err(usage!("`{s}` given to `{flag}` is not `container/blob`")),
    }
}

async fn status(settings: &Settings, args: StatusArgs, printer: &Printer) -> Result<()> {
    let id = job_id(&args.job_id)?;
    let client = make_client(settings, printer)?;
    let (status, raw) = if args.wait {
        let policy = poll::Policy::new(args.poll_interval, args.job_timeout)?;
        poll::wait(&client, &id, &policy, printer, None).await?
    } else {
        client.job_status(&id).await?
    };
    print_status(settings, &raw, status.state)?;
    if args.wait {
        poll::check_final(&id, &status)?;
    }
    Ok(())
}

fn print_status(settings: &Settings, raw: &Value, state: JobState) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match settings.output_format {
        Some(OutputFormat::Json) => {
            // The body is data, but its SAS signatures are secrets like any other: masked.
            let text = serde_json::to_string_pretty(raw).context("cannot write the status")?;
            writeln!(out, "{}", crate::secret::mask_secrets(&text))?;
        }
        _ => writeln!(out, "{state}")?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_paths_need_a_container_and_a_name() {
        assert_eq!(blob_path("/c/dir/b.csv", "--input").unwrap(), "c/dir/b.csv");
        assert!(blob_path("c", "--input").is_err());
        assert!(blob_path("c/", "--input").is_err());
        assert!(blob_path("c/../x", "--input").is_err());
    }
}
