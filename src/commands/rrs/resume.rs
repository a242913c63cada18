//! `--resume` for `score` / `rrs execute` (`spec/cli.md` "Long runs"): which runs keep a
//! journal (a file input and a file output in a format written as it goes), whether an
//! earlier run is continued (its identity must match this one's: the input file and the
//! output-changing settings), the input from where it stopped, the partial files, and what
//! becomes of them at the end. The journal itself is `journal.rs`.

use super::journal::{self, Commit, Committer, Identity, Paths, hashed};
use super::pipeline::Journalled;
use crate::cli::{self, ExecuteArgs};
use crate::commands::target::Target;
use crate::output::Printer;
use crate::table::{self, BatchSource, FailedRows, InputFormat, OutputFormat, Source, Start};
use anyhow::{Context, Result};
use bytes::Bytes;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

pub(super) struct Resume {
    pub paths: Paths,
    identity: Identity,
    /// The commit to go on from (`None`: a fresh run).
    pub from: Option<Commit>,
}

/// The journal of this run, when it keeps one: both `--input` and `--output` files, and an
/// output format written as it goes (not `table`).
pub(super) fn prepare(
    args: &ExecuteArgs,
    target: &Target,
    input_format: InputFormat,
    output_format: OutputFormat,
    printer: &Printer,
) -> Result<Option<Resume>> {
    // A gzip output is written in members, one ended at each commit; a zstd one could be in
    // frames, but some zstd readers stop after the first.
    let zstd = crate::table::stream::Compression::from_path(&args.output)
        == Some(crate::table::stream::Compression::Zstd);
    let journalled = args.record.is_empty()
        && args.input != "-"
        && args.output != "-"
        && output_format != OutputFormat::Table
        && !zstd
        // A Parquet footer closes the file. (A Parquet input is read as the JSON Lines of its
        // rows: a resume reads that text again up to where the run stopped.)
        && output_format != OutputFormat::Parquet;
    if args.resume && (args.input == "-" || !args.record.is_empty()) {
        return Err(crate::usage!(
            "`--resume` needs `--input FILE`: standard input (or `--record`) cannot be read again"
        ));
    }
    if args.resume && zstd {
        return Err(crate::usage!(
            "`--resume` cannot go on with a zstd output (some zstd readers stop after the first of the frames a resumed run would leave): write it uncompressed or `.gz`, then compress it"
        ));
    }
    if args.resume && !journalled {
        return Err(crate::usage!(
            "`--resume` needs `--output FILE` in csv, tsv, json or jsonl: only a run written to a file keeps its progress"
        ));
    }
    if !journalled {
        return Ok(None);
    }
    let paths = Paths::new(Path::new(&args.output), args.failed_rows.as_deref());
    let identity = identity(args, target, input_format, output_format)?;
    let shown = paths.journal.display();
    let from = match (args.resume, journal::read(&paths.journal)?) {
        (true, None) => {
            printer.note(format!("nothing to resume (no `{shown}`): starting afresh"));
            None
        }
        (true, Some(found)) => {
            journal::check_same(&identity, &found.identity)?;
            match found
                .commit
                .filter(|c| c.end > 0 && c.rows_out + c.refused > 0)
            {
                Some(c) => {
                    printer.note(format!(
                        "resuming after input line {}: {} rows already scored",
                        c.line,
                        c.rows_out + c.refused
                    ));
                    Some(c)
                }
                None => {
                    printer.note("the interrupted run had committed no row: starting afresh");
                    None
                }
            }
        }
        (false, Some(_)) => {
            printer.note(format!(
                "an interrupted run's progress (`{shown}`) is discarded: starting afresh (`--resume` would continue it)"
            ));
            None
        }
        (false, None) => None,
    };
    Ok(Some(Resume {
        paths,
        identity,
        from,
    }))
}

/// The input file and every setting that changes the output, as the journal keeps them.
fn identity(
    args: &ExecuteArgs,
    target: &Target,
    input_format: InputFormat,
    output_format: OutputFormat,
) -> Result<Identity> {
    let mut id = Identity::new();
    journal::input_identity(Path::new(&args.input), &mut id)?;
    let on_bad_row = match args.on_bad_row {
        cli::OnBadRow::Fail => "fail",
        cli::OnBadRow::Skip => "skip",
    };
    let settings = [
        ("the protocol", target.kind.name().to_string()),
        ("the URL", target.url.to_string()),
        ("`--param`", args.param.join("\n")),
        ("`--swagger`", args.swagger.to_string()),
        (
            "`--input-name`",
            args.input_name.clone().unwrap_or_default(),
        ),
        ("`--output-name`", args.output_name.join("\n")),
        ("`--keep`", args.keep.clone().unwrap_or_default()),
        ("`--types`", args.types.join(",")),
        (
            "`--body-format`",
            args.body_format.clone().unwrap_or_default(),
        ),
        ("`--on-bad-row`", on_bad_row.to_string()),
        ("`--delimiter`", args.delimiter.clone().unwrap_or_default()),
        (
            "`--output-delimiter`",
            args.output_delimiter.clone().unwrap_or_default(),
        ),
        ("the input format", format!("{input_format:?}")),
        ("the output format", format!("{output_format:?}")),
    ];
    for (name, value) in settings {
        id.insert(name.to_string(), hashed(&value));
    }
    if input_format == InputFormat::Parquet {
        // Where a run stopped is a place in the JSON text of the Parquet rows, which this
        // version of mlws writes: another may write it otherwise.
        id.insert(
            "the mlws version (which reads a Parquet input)".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        );
    }
    Ok(id)
}

impl Resume {
    /// The input, from where the interrupted run stopped (behind its header, so that it reads
    /// as a whole input), and where that puts it in the file; or the whole input. A `plain`
    /// input (the file's own bytes) is sought; a decompressed or decoded one is read up to
    /// there.
    pub fn input(&self, whole: Source, plain: bool) -> Result<(Source, Start)> {
        let Some(c) = &self.from else {
            return Ok((whole, Start::default()));
        };
        let Source::Reader {
            name,
            format,
            reader: mut whole,
        } = whole
        else {
            return Ok((whole, Start::default()));
        };
        let rest: Box<dyn Read + Send> = if plain {
            let mut file = File::open(&name).with_context(|| format!("cannot open `{name}`"))?;
            file.seek(SeekFrom::Start(c.end))
                .with_context(|| format!("cannot read `{name}`"))?;
            Box::new(file)
        } else {
            let skipped = std::io::copy(&mut (&mut whole).take(c.end), &mut std::io::sink())
                .with_context(|| format!("cannot read `{name}`"))?;
            if skipped < c.end {
                return Err(crate::usage!(
                    "`{name}` is shorter than the interrupted run read: it is not the same input"
                ));
            }
            whole
        };
        let (reader, at) = table::rest_of(c.head.as_bytes(), rest, format, c.end, c.line);
        Ok((
            Source::Reader {
                reader,
                name,
                format,
            },
            at,
        ))
    }

    /// Opens the partial output (cut to the last commit, or new), the partial
    /// `--failed-rows` when refused rows go there as they come, and the journal.
    pub fn open(
        &self,
        source: &dyn BatchSource,
        skip_bad_rows: bool,
    ) -> Result<(File, Journalled)> {
        let partial =
            journal::open_partial(&self.paths.partial, self.from.as_ref().map(|c| c.out))?;
        let head = source.failed_head();
        let framing = source.framing();
        let mut refused_before = None;
        let failed = match (&self.paths.failed, skip_bad_rows) {
            (Some((_, path)), true) => {
                let len = self.from.as_ref().map(|c| c.failed);
                let file = journal::open_partial(path, len)?;
                Some(match len {
                    Some(len) if len > 0 => {
                        let mut before = Vec::new();
                        File::open(path)?.take(len).read_to_end(&mut before)?;
                        let rows = before.get(head.len()..).unwrap_or_default().to_vec();
                        let wrote = !rows.is_empty();
                        if wrote {
                            refused_before = Some(Bytes::from(rows));
                        }
                        FailedRows::resume(file, framing, wrote)
                    }
                    _ => FailedRows::new(file, &head, framing)?,
                })
            }
            _ => None,
        };
        let failed_file = failed.as_ref().map(|f| f.get_ref());
        let mut committer = match &self.from {
            Some(c) => Committer::resume(&self.paths, &partial, failed_file, c.clone())?,
            None => Committer::start(&self.paths, &self.identity, &partial, failed_file)?,
        };
        committer.commit.head = String::from_utf8_lossy(&head).into_owned();
        Ok((
            partial,
            Journalled {
                committer,
                failed,
                refused_before,
            },
        ))
    }

    /// At the end: on success the partial output becomes the output and the journal goes;
    /// after a failure they stay for `--resume` (unless nothing was committed).
    pub fn finish(&self, result: Result<()>, printer: &Printer) -> Result<()> {
        if result.is_ok() {
            // The journal goes first: a crash between the two leaves a whole partial output
            // and no journal (a later run starts afresh), never an output with a journal that
            // points at a partial file no longer there.
            let _ = std::fs::remove_file(&self.paths.journal);
            let done = crate::journal::persist_partial(&self.paths.partial, &self.paths.output);
            journal::remove(&self.paths);
            return done;
        }
        let committed = journal::read(&self.paths.journal)
            .ok()
            .flatten()
            .and_then(|f| f.commit)
            .is_some_and(|c| c.rows_out + c.refused > 0);
        if committed {
            printer.note(format!(
                "the rows scored so far are kept in `{}`; run the same command with `--resume` to go on",
                self.paths.partial.display()
            ));
        } else {
            journal::remove(&self.paths);
        }
        result
    }
}
