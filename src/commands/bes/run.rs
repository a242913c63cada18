//! `mlws bes run`: upload → submit → start → poll → download, the workflow of the Python sample
//! in the service documentation. Ctrl-C or `--job-timeout` deletes (cancels) the job unless
//! `--keep-job`; a failed job exits 5 with its `Details`, a cancelled one 6. With `--output`
//! every step is journalled (`journal.rs`) and `--resume` goes on from where a run stopped:
//! the blocks not yet staged, the same job (re-attached, never submitted twice; a job that is
//! gone is replaced, on the input already uploaded), the rest of the download.

use super::journal::{self, Dropped, Job, Journal, State};
use super::poll::{self, Policy};
use super::transfer::{derived_name, download_step, upload_step};
use super::{blob_path, global_parameters};
use crate::cli::RunArgs;
use crate::client::Client;
use crate::commands::make_client;
use crate::error::{ApiError, ExitStatus, Interrupted, JobEnded};
use crate::output::Printer;
use crate::secret::Secret;
use crate::settings::Settings;
use crate::usage;
use crate::wire::{BlobReference, JobId, JobRequest, JobState, JobStatus};
use anyhow::Result;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
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
    if settings.dry_run {
        let input = super::transfer::upload_input(settings, &args.input, printer).await?;
        let request = job_request(settings, &storage, &args, input, params)?;
        return super::print_dry_run(&client, &request);
    }
    let resume = journal::prepare(settings, &args, printer)?;
    let run = Run {
        settings,
        args: &args,
        client: &client,
        policy: &policy,
        storage: &storage,
        journal: &resume.journal,
        printer,
    };
    let result = run
        .steps(&resume.state, params, resume.paths.as_ref())
        .await;
    resume.finish(result, printer)
}

/// What every step of a run needs.
struct Run<'a> {
    settings: &'a Settings,
    args: &'a RunArgs,
    client: &'a Client,
    policy: &'a Policy,
    storage: &'a Secret,
    journal: &'a Arc<Journal>,
    printer: &'a Printer,
}

impl Run<'_> {
    async fn steps(
        &self,
        state: &State,
        params: Option<Map<String, Value>>,
        paths: Option<&journal::Paths>,
    ) -> Result<()> {
        let (settings, args, printer) = (self.settings, self.args, self.printer);
        let input = upload_step(settings, args, state, self.journal, printer).await?;
        let (id, started) = self.job(state, input, params).await?;
        let status = self.watch(&id, started).await?;
        download_step(&id, &status, args, paths, state, self.journal, printer).await
    }

    /// The interrupted run's job when the service still has it (and whether it was started),
    /// else a new job on `input`.
    async fn job(
        &self,
        state: &State,
        input: String,
        params: Option<Map<String, Value>>,
    ) -> Result<(JobId, bool)> {
        if let Some(id) = &state.job {
            let id = JobId::parse(id)
                .map_err(|e| anyhow::anyhow!("the journal's job id `{id}`: {e}"))?;
            match self.client.job_status(&id).await {
                Ok((status, _)) => {
                    self.printer
                        .note(format!("re-attaching to job `{id}` ({})", status.state));
                    return Ok((id, status.state != JobState::NotStarted));
                }
                Err(e) if api_status(&e) == Some(404) => {
                    self.printer.note(format!(
                        "job `{id}` of the interrupted run is unknown to the service: submitting a new one"
                    ));
                    self.dropped(&id, "unknown to the service")?;
                }
                Err(e) => return Err(e),
            }
        } else if let Some(d) = &state.dropped {
            self.printer.note(format!(
                "job `{}` of the interrupted run was {}: submitting a new job on the input already uploaded",
                d.id, d.why
            ));
        }
        let request = job_request(self.settings, self.storage, self.args, input, params)?;
        let id = self.client.submit_job(&request).await?;
        self.journal.record("job", &Job { id: id.to_string() })?;
        self.printer.info(format!("submitted job `{id}`"));
        Ok((id, false))
    }

    /// Starts the job unless it was, waits for a final state; a job that did not finish is
    /// dropped from the journal (a resumed run submits a new one).
    async fn watch(&self, id: &JobId, started: bool) -> Result<JobStatus> {
        // From here on Ctrl-C is ours: it deletes the job (unless --keep-job) and exits 130.
        let outcome = tokio::select! {
            r = self.start_and_wait(id, started) => r,
            _ = tokio::signal::ctrl_c() => Err(anyhow::Error::new(Interrupted(format!("interrupted while job `{id}` was running")))),
        };
        let status = match outcome {
            Ok(status) => status,
            Err(err) => return Err(self.abandon(id, err).await),
        };
        if let Err(e) = poll::check_final(id, &status) {
            self.dropped(id, &status.state.to_string().to_lowercase())?;
            return Err(e);
        }
        Ok(status)
    }

    async fn start_and_wait(&self, id: &JobId, started: bool) -> Result<JobStatus> {
        if !started {
            self.client.start_job(id).await?;
            self.journal
                .record("started", &Job { id: id.to_string() })?;
        }
        let spinner = self.printer.spinner(&format!("job {id}: started"));
        let result = poll::wait(self.client, id, self.policy, self.printer, Some(&spinner)).await;
        spinner.finish_and_clear();
        let (status, _) = result?;
        self.printer
            .info(format!("job `{id}` ended {}", status.state));
        Ok(status)
    }

    /// On Ctrl-C or timeout, deletes the job (unless `--keep-job`) and returns the error to
    /// report.
    async fn abandon(&self, id: &JobId, err: anyhow::Error) -> anyhow::Error {
        let leaving = err.chain().any(|c| c.is::<Interrupted>())
            || err.chain().any(|c| {
                c.downcast_ref::<JobEnded>()
                    .is_some_and(|j| j.status == ExitStatus::TimedOut)
            });
        if !leaving {
            return err;
        }
        if self.args.keep_job {
            self.printer.note(format!(
                "job `{id}` was kept (--keep-job); delete it with `mlws bes delete {id}`"
            ));
            return err;
        }
        match self.client.delete_job(id).await {
            Ok(()) => {
                self.printer.info(format!("deleted job `{id}`"));
                if let Err(e) = self.dropped(id, "deleted") {
                    return err.context(e);
                }
            }
            Err(e) => self
                .printer
                .warn(format!("could not delete job `{id}`: {e:#}")),
        }
        err
    }

    fn dropped(&self, id: &JobId, why: &str) -> Result<()> {
        let record = Dropped {
            id: id.to_string(),
            why: why.to_string(),
        };
        self.journal.record("dropped", &record)
    }
}

/// The submit request: `input` as `--input-name`, `output1` to a new blob of the container.
fn job_request(
    settings: &Settings,
    storage: &Secret,
    args: &RunArgs,
    input: String,
    params: Option<Map<String, Value>>,
) -> Result<JobRequest> {
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
    Ok(JobRequest {
        inputs: Some(BTreeMap::from([(
            args.input_name.clone(),
            reference(input),
        )])),
        outputs: Some(BTreeMap::from([("output1".to_string(), reference(output))])),
        global_parameters: params,
        ..Default::default()
    })
}

/// The HTTP status of a service answer that is an error.
fn api_status(e: &anyhow::Error) -> Option<u16> {
    e.chain()
        .find_map(|c| c.downcast_ref::<ApiError>())
        .map(|a| a.status)
}
