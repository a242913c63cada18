//! The journal of `bes run --output FILE` (`spec/cli.md` "Long runs"): `FILE.mlws-journal`, an
//! append-only text file in the shape of every mlws journal (`crate::journal`): its kind, the
//! run's identity (the input file; the service, the storage account, `--input-name`, `--param`
//! and the output, hashed), then one synced line per step, in order:
//!
//! - `upload {"blob": "container/name", "block_size": N}`: where the input goes, in blocks of N
//!   bytes;
//! - `block {"i": I, "id": "000007-1f0c…"}`: block I was staged (its id is derived from its
//!   index and content, `blob::resume::block_id`, so a re-run recomputes it and asks the
//!   storage whether it has it);
//! - `uploaded {"bytes": N, "blocks": B}`: the block list is committed;
//! - `job {"id": ID}`: the job is submitted; `started {"id": ID}`: it was started;
//! - `dropped {"id": ID, "why": "deleted"}`: the job is gone (deleted on Ctrl-C or timeout,
//!   failed, cancelled): a resumed run submits a new one on the input already uploaded;
//! - `download {"job": ID, "offset": N, "size": S, "etag": E}`: the first N bytes of the job's
//!   `output1` are synced in `FILE.mlws-partial`.
//!
//! A resumed run folds these into a [`State`]. Knows nothing of HTTP.

use crate::blob::resume::Checkpoint;
use crate::cli::RunArgs;
use crate::journal::{self, Identity, hashed};
use crate::output::Printer;
use crate::settings::Settings;
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

const MAGIC: &str = "mlws-bes-journal 1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Upload {
    pub blob: String,
    pub block_size: usize,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Block<'a> {
    pub i: usize,
    pub id: &'a str,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Uploaded {
    pub bytes: u64,
    pub blocks: usize,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dropped {
    pub id: String,
    pub why: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Download {
    pub job: String,
    #[serde(flatten)]
    pub at: Checkpoint,
}

/// Where an interrupted run stopped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub upload: Option<Upload>,
    /// Blocks the journal saw staged (the storage's block list has the last word).
    pub blocks: usize,
    pub uploaded: bool,
    /// The job to re-attach to, and whether it was started.
    pub job: Option<String>,
    pub started: bool,
    /// Why the last job was dropped, when it was.
    pub dropped: Option<Dropped>,
    /// How far the download of the job's `output1` got.
    pub download: Option<Checkpoint>,
}

impl State {
    /// The records of a journal, in order, folded; records it cannot read are skipped.
    pub fn fold(records: &[(String, String)]) -> State {
        fn parse<'a, T: Deserialize<'a>>(json: &'a str) -> Option<T> {
            serde_json::from_str(json).ok()
        }
        let mut s = State::default();
        for (kind, json) in records {
            match kind.as_str() {
                "upload" => {
                    if let Some(u) = parse::<Upload>(json) {
                        s = State {
                            upload: Some(u),
                            ..State::default()
                        };
                    }
                }
                "block" => s.blocks += usize::from(parse::<Block>(json).is_some()),
                "uploaded" => s.uploaded |= parse::<Uploaded>(json).is_some(),
                "job" => {
                    if let Some(j) = parse::<Job>(json) {
                        (s.job, s.started, s.download) = (Some(j.id), false, None);
                    }
                }
                "started" => {
                    s.started |= parse::<Job>(json).is_some_and(|j| Some(&j.id) == s.job.as_ref());
                }
                "dropped" => {
                    if let Some(d) =
                        parse::<Dropped>(json).filter(|d| Some(&d.id) == s.job.as_ref())
                    {
                        (s.job, s.started, s.download) = (None, false, None);
                        s.dropped = Some(d);
                    }
                }
                "download" => {
                    if let Some(d) =
                        parse::<Download>(json).filter(|d| Some(&d.job) == s.job.as_ref())
                    {
                        s.download = Some(d.at);
                    }
                }
                _ => {}
            }
        }
        s
    }
}

/// The journal being written: records are appended and synced one at a time, from any task.
/// Without `--output` there is none and records go nowhere.
pub struct Journal {
    file: Mutex<Option<File>>,
    /// Whether it holds anything a resumed run could use (an upload at least).
    useful: AtomicBool,
}

impl Journal {
    pub fn none() -> Arc<Journal> {
        Arc::new(Journal {
            file: Mutex::new(None),
            useful: AtomicBool::new(false),
        })
    }

    pub fn record(&self, kind: &str, value: &impl Serialize) -> Result<()> {
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(f) = file.as_mut() {
            journal::append(f, kind, value)?;
            if kind == "upload" {
                self.useful.store(true, Ordering::Relaxed);
            }
        }
        Ok(())
    }
}

/// The files of a journalled run.
#[derive(Debug, Clone)]
pub struct Paths {
    pub output: PathBuf,
    pub partial: PathBuf,
    pub journal: PathBuf,
}

/// A run's journal and where the interrupted run it continues stopped.
pub struct Resume {
    pub paths: Option<Paths>,
    pub journal: Arc<Journal>,
    pub state: State,
}

/// Opens the journal of a run with `--output FILE` (continuing the interrupted run's with
/// `--resume`, when its identity matches), or none.
pub fn prepare(settings: &Settings, args: &RunArgs, printer: &Printer) -> Result<Resume> {
    let Some(output) = &args.output else {
        if args.resume {
            return Err(crate::usage!(
                "`--resume` needs `--output FILE`: the run's progress is kept beside it"
            ));
        }
        return Ok(Resume {
            paths: None,
            journal: Journal::none(),
            state: State::default(),
        });
    };
    let paths = Paths {
        output: output.clone(),
        partial: journal::beside(output, ".mlws-partial"),
        journal: journal::beside(output, ".mlws-journal"),
    };
    let identity = identity(settings, args, output)?;
    let shown = paths.journal.display();
    let state = match (args.resume, journal::read(&paths.journal, MAGIC)?) {
        (true, None) => {
            printer.note(format!("nothing to resume (no `{shown}`): starting afresh"));
            None
        }
        (true, Some(found)) => {
            journal::check_same(&identity, &found.identity)?;
            let state = State::fold(&found.records);
            if state.upload.is_none() {
                printer.note("the interrupted run had uploaded nothing: starting afresh");
                None
            } else {
                Some(state)
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
    let (file, state) = match state {
        Some(state) => (journal::reopen(&paths.journal)?, state),
        None => {
            let _ = std::fs::remove_file(&paths.partial);
            let file = journal::create(&paths.journal, MAGIC, &identity)?;
            (file, State::default())
        }
    };
    Ok(Resume {
        journal: Arc::new(Journal {
            file: Mutex::new(Some(file)),
            useful: AtomicBool::new(state.upload.is_some()),
        }),
        paths: Some(paths),
        state,
    })
}

/// The input file and the settings that make the run what it is, as the journal keeps them.
fn identity(settings: &Settings, args: &RunArgs, output: &Path) -> Result<Identity> {
    let mut id = Identity::new();
    journal::input_identity(&args.input, &mut id)?;
    let cs = crate::blob::ConnectionString::parse(settings.require_storage()?.expose())?;
    let storage = format!("{} {}", cs.account(), cs.blob_endpoint());
    for (name, value) in [
        ("the service", settings.service_root()?.to_string()),
        ("the storage account", storage),
        ("`--input-name`", args.input_name.clone()),
        ("`--param`", args.param.join("\n")),
        ("`--output`", output.display().to_string()),
    ] {
        id.insert(name.to_string(), hashed(&value));
    }
    Ok(id)
}

impl Resume {
    /// At the end: on success the partial output becomes the output and the journal goes;
    /// after a failure the journal stays for `--resume` when it holds an upload.
    pub fn finish(&self, result: Result<()>, printer: &Printer) -> Result<()> {
        let Some(paths) = &self.paths else {
            return result;
        };
        if result.is_ok() {
            // The journal first: a crash between the two leaves a whole partial output and no
            // journal (a later run starts afresh), never a journal whose partial file is gone.
            let _ = std::fs::remove_file(&paths.journal);
            return journal::persist_partial(&paths.partial, &paths.output);
        }
        if self.journal.useful.load(Ordering::Relaxed) {
            printer.note(format!(
                "the run's progress is kept in `{}`; run the same command with `--resume` to go on",
                paths.journal.display()
            ));
        } else {
            let _ = std::fs::remove_file(&paths.journal);
            let _ = std::fs::remove_file(&paths.partial);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(kind: &str, json: &str) -> (String, String) {
        (kind.to_string(), json.to_string())
    }

    #[test]
    fn records_fold_into_where_the_run_stopped() {
        let upload = rec("upload", r#"{"blob":"c/in.csv","block_size":4}"#);
        let s = State::fold(&[
            upload.clone(),
            rec("block", r#"{"i":1,"id":"000001-00"}"#),
            rec("block", r#"{"i":0,"id":"000000-00"}"#),
        ]);
        assert_eq!((s.blocks, s.uploaded, s.job.as_deref()), (2, false, None));
        let mut records = vec![
            upload,
            rec("uploaded", r#"{"bytes":9,"blocks":3}"#),
            rec("job", r#"{"id":"j1"}"#),
            rec("started", r#"{"id":"j1"}"#),
            rec("download", r#"{"job":"j1","offset":5,"size":9,"etag":"e"}"#),
        ];
        let s = State::fold(&records);
        assert!(s.uploaded && s.started);
        assert_eq!(s.job.as_deref(), Some("j1"));
        assert_eq!(s.download.as_ref().map(|d| d.offset), Some(5));
        // A dropped job is not re-attached; a new one starts without the old download.
        records.push(rec("dropped", r#"{"id":"j1","why":"deleted"}"#));
        let s = State::fold(&records);
        assert!(s.uploaded && s.job.is_none() && s.download.is_none() && !s.started);
        assert_eq!(s.dropped.map(|d| d.why).as_deref(), Some("deleted"));
        records.push(rec("job", r#"{"id":"j2"}"#));
        records.push(rec("download", r#"{"job":"j1","offset":7,"size":9}"#));
        let s = State::fold(&records);
        assert_eq!(s.job.as_deref(), Some("j2"));
        assert!(s.download.is_none() && !s.started);
    }
}
