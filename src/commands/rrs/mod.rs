//! `mlws rrs execute`: rows from stdin, a file or `--record` are scored in batches by the
//! request-response service and written in input order (`spec/cli.md` "rrs execute"). This
//! file turns the arguments into a plan (input, formats, output file, client); `pipeline.rs`
//! runs it with bounded memory. `--dry-run` prints each request instead of sending it. Every
//! run that started scoring ends with one summary line on stderr, on success or failure
//! (hidden by `--quiet`, so that a quiet run that succeeds prints nothing there).

mod io;
mod journal;
mod parquet;
mod pipeline;
mod resume;
mod typed;
mod unscored;

use super::target::Target;
use crate::cli::{self, ExecuteArgs};
use crate::client::{Client, ClientStats};
use crate::output::Printer;
use crate::protocol::classic::{Classic, Resplit};
use crate::protocol::{Kind, Scoring};
use crate::settings::Settings;
use crate::table::{self, BatchSource, BatchSpec, Framing, InputFormat, RowWriter, Source, Start};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub async fn execute(settings: &Settings, args: ExecuteArgs, printer: &Printer) -> Result<()> {
    let params = super::parse_pairs("--param", &args.param)?;
    for (i, (k, _)) in params.iter().enumerate() {
        if params[..i].iter().any(|(p, _)| p == k) {
            return Err(crate::usage!("`--param` gives `{k}` twice"));
        }
    }
    if args.on_bad_row == cli::OnBadRow::Skip && args.failed_rows.is_none() {
        return Err(crate::usage!(
            "`--on-bad-row skip` needs `--failed-rows FILE`, where the refused rows go"
        ));
    }
    let target = Target::resolve(settings)?;
    let format = io::output_format(settings, &args);
    parquet::check_output(&args, format)?;
    let io::Input {
        source: input,
        plain,
        size,
        read,
    } = io::open_input(&args, printer, target.kind)?;
    let resume = match settings.dry_run {
        true => None,
        false => resume::prepare(&args, &target, io::input_format(&args), format, printer)?,
    };
    let (input, at) = match &resume {
        Some(r) => r.input(input, plain)?,
        None => (input, Start::default()),
    };
    let (input, delimiter) = io::delimiter(&args, input, printer)?;
    let bar = printer.scoring_bar(size, read);
    let client = super::make_client_with_bar(settings, printer, Some(bar.clone()), &target)?;
    let (source, scoring): (Box<dyn BatchSource>, Arc<dyn Scoring>) = match target.kind {
        Kind::Classic => classic(&args, params, &client, input, (at, delimiter))?,
        _ => {
            typed::open(
                &target,
                &args,
                params,
                &client,
                printer,
                (input, at, delimiter),
            )
            .await?
        }
    };
    if settings.dry_run {
        bar.finish_and_clear();
        return dry_run(&client, source, scoring.as_ref());
    }
    if let Some(dir) = args.failed_rows.as_deref().and_then(Path::parent) {
        io::check_dir(dir, "--failed-rows")?;
    }
    let skip_bad_rows = args.on_bad_row == cli::OnBadRow::Skip;
    let (sink, temp, journal) = match &resume {
        Some(r) => {
            io::check_dir(&io::parent_dir(Path::new(&args.output)), "--output")?;
            let (file, journalled) = r.open(source.as_ref(), skip_bad_rows)?;
            (
                io::encode_output(&args, io::journalled_output(file, &args.output))?,
                None,
                Some(journalled),
            )
        }
        None => {
            let (sink, temp) = io::open_output(&args)?;
            (sink, temp, None)
        }
    };
    let output_delimiter = match &args.output_delimiter {
        Some(d) => Some(io::parse_delimiter("--output-delimiter", d)?),
        None => delimiter,
    };
    let mut writer = RowWriter::new(format, sink).with_delimiter(output_delimiter);
    if let Some(c) = resume.as_ref().and_then(|r| r.from.as_ref()) {
        writer.resume(c.columns.clone(), c.width, c.rows_out);
    }
    let started = Instant::now();
    let warn_printer = printer.clone();
    let warn_bar = bar.clone();
    let plan = pipeline::Plan {
        source,
        scoring,
        client: client.clone(),
        concurrency: args.concurrency as usize,
        writer,
        bar: bar.clone(),
        failed_rows: args.failed_rows.clone(),
        skip_bad_rows,
        input_name: if args.record.is_empty() {
            input_label(&args.input)
        } else {
            "--record".into()
        },
        warn: Arc::new(move |line| warn_bar.suspend(|| warn_printer.warn(line))),
        journal,
    };
    let outcome = pipeline::run(plan).await;
    bar.finish_and_clear();
    let mut result = outcome.result;
    if let (Ok(()), Some((temp, path))) = (&result, temp)
        && !outcome.broken_pipe
    {
        result = io::persist(temp, &path);
    }
    if let Some(r) = &resume {
        result = r.finish(result, printer);
    }
    // Nothing sent (an input error before the first request): the error says it all.
    let stats = client.stats();
    if stats.requests > 0 {
        // Rows written by an interrupted run that this one resumed are not this run's.
        let before = resume
            .as_ref()
            .and_then(|r| r.from.as_ref())
            .map_or(0, |c| c.rows_out);
        printer.info(summary(
            (
                outcome.rows_in,
                outcome.rows_out - before,
                outcome.rows_refused,
            ),
            stats,
            (args.concurrency as usize, outcome.lowest_concurrency),
            started.elapsed(),
        ));
    }
    result
}

/// The name of the input in messages.
fn input_label(input: &str) -> String {
    if input == "-" {
        "<stdin>".into()
    } else {
        input.to_string()
    }
}

/// The classic service: bodies written by `table` (with their fast paths), answers scanned
/// straight into the output.
fn classic(
    args: &ExecuteArgs,
    params: Vec<(String, String)>,
    client: &Client,
    input: Source,
    (at, delimiter): (Start, Option<u8>),
) -> Result<(Box<dyn BatchSource>, Arc<dyn Scoring>)> {
    for (flag, given) in [
        ("--types", !args.types.is_empty()),
        ("--body-format", args.body_format.is_some()),
        ("--keep", args.keep.is_some()),
    ] {
        if given {
            return Err(crate::usage!(
                "`{flag}` is for the typed protocols: a classic service takes strings and chooses its output columns"
            ));
        }
    }
    if args.output_name.len() > 1 {
        return Err(crate::usage!(
            "a classic service's answer is written one output at a time: give `--output-name` once"
        ));
    }
    let spec = BatchSpec {
        input_name: args.input_name.clone().unwrap_or_else(|| "input1".into()),
        swagger: args.swagger,
        max_rows: args.batch_size as usize,
        max_body: table::MAX_BODY,
        params,
        delimiter,
    };
    let format = match &input {
        Source::Reader { format, .. } => Some(*format),
        Source::Record(_) => None,
    };
    let source = table::open_at(input, &spec, at)?;
    // A whole request body (JSON input that is not an array of rows) is sent as it is.
    let resplit = match (format, source.framing()) {
        (Some(InputFormat::Json), Framing::JsonArray)
        | (Some(InputFormat::Csv | InputFormat::Tsv), _) => format.map(|format| Resplit {
            head: source.failed_head(),
            framing: source.framing(),
            format,
            spec: spec.clone(),
        }),
        _ => None,
    };
    let scoring = Arc::new(Classic {
        url: client.execute_url(source.swagger()),
        output_name: args
            .output_name
            .first()
            .cloned()
            .unwrap_or_else(|| "output1".into()),
        resplit,
    });
    Ok((source, scoring))
}

/// The line printed at the end of every run that sent a request, success or not:
/// `mlws: 20500 rows in, 20500 rows out, 82 requests, 3 retries, 2 throttled, 4.21s elapsed,
/// concurrency 8 (lowest 2)`.
fn summary(
    (rows_in, rows_out, refused): (u64, u64, u64),
    stats: ClientStats,
    (max, lowest): (usize, usize),
    elapsed: Duration,
) -> String {
    let refused = if refused > 0 {
        format!(", {refused} rows refused")
    } else {
        String::new()
    };
    format!(
        "mlws: {rows_in} rows in, {rows_out} rows out{refused}, {} requests, {} retries, {} throttled, {:.2}s elapsed, concurrency {max} (lowest {lowest})",
        stats.requests,
        stats.retries,
        stats.throttled,
        elapsed.as_secs_f64()
    )
}

/// Prints each request that would be sent and sends nothing. A closed stdout ends it quietly.
fn dry_run(client: &Client, mut source: Box<dyn BatchSource>, scoring: &dyn Scoring) -> Result<()> {
    let mut out = std::io::stdout().lock();
    while let Some(batch) = source.next_batch()? {
        let text = client.describe_with(
            &reqwest::Method::POST,
            scoring.url(),
            Some(scoring.content_type()),
            &batch.body,
        );
        match writeln!(out, "{text}").and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            other => other.context("cannot write to stdout")?,
        }
    }
    Ok(())
}
