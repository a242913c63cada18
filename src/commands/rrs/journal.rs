//! `--resume` (`spec/cli.md` "Long runs"): a run with `--input FILE --output FILE` writes its
//! rows in order to `OUTPUT.mlws-partial` and keeps `OUTPUT.mlws-journal`, an append-only
//! text file: a first line naming the run (the input's size, modification time and a hash of
//! its first 64 KiB; the settings that change the output, hashed so that no secret lands on
//! disk), then a `commit` line at most once a second, each written after the partial
//! output (a `.gz` one's gzip member ended first) and the partial `--failed-rows` were synced,
//! and synced itself: how far the input is scored (byte position and line), how many rows and
//! output bytes are committed. A resumed run truncates the partial files to the last commit,
//! reads the input on from its position, and appends; rows before the commit are never sent
//! again. On success the partial output is renamed over the output and the journal removed. A
//! torn last line (a crash while appending) is ignored.

pub use crate::journal::{Identity, check_same, hashed, input_identity, open_partial};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const MAGIC: &str = "mlws-journal 1";
/// How often progress is committed (synced): the most work a crash can cost.
const COMMIT_EVERY: Duration = Duration::from_secs(1);

/// The paths of a journalled run.
#[derive(Debug, Clone)]
pub struct Paths {
    pub output: PathBuf,
    pub partial: PathBuf,
    pub journal: PathBuf,
    /// `--failed-rows` and its partial file.
    pub failed: Option<(PathBuf, PathBuf)>,
}

impl Paths {
    pub fn new(output: &Path, failed: Option<&Path>) -> Self {
        let with = |p: &Path, ext: &str| {
            let mut s = p.as_os_str().to_owned();
            s.push(ext);
            PathBuf::from(s)
        };
        Paths {
            output: output.to_path_buf(),
            partial: with(output, ".mlws-partial"),
            journal: with(output, ".mlws-journal"),
            failed: failed.map(|f| (f.to_path_buf(), with(f, ".mlws-partial"))),
        }
    }
}

/// One commit: how far the run got, durably.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Commit {
    /// Input bytes read up to the end of the last row written.
    pub end: u64,
    /// The last input line written.
    pub line: u64,
    pub rows_out: u64,
    pub refused: u64,
    /// Bytes of the partial output and of the partial `--failed-rows`.
    pub out: u64,
    pub failed: u64,
    /// The input's head (CSV header line, or `[`) and the output's columns and width.
    pub head: String,
    pub columns: Option<Vec<String>>,
    pub width: usize,
}

/// What an earlier run left to resume.
pub struct Found {
    pub identity: Identity,
    pub commit: Option<Commit>,
}

/// Reads a journal; `None` when there is none (or it is not one).
pub fn read(path: &Path) -> Result<Option<Found>> {
    let Some(found) = crate::journal::read(path, MAGIC)? else {
        return Ok(None);
    };
    let commit = found
        .records
        .iter()
        .filter(|(kind, _)| kind == "commit")
        .filter_map(|(_, j)| serde_json::from_str::<Commit>(j).ok())
        .next_back();
    Ok(Some(Found {
        identity: found.identity,
        commit,
    }))
}

/// Keeps the journal of a running run and commits its progress.
pub struct Committer {
    journal: File,
    partial: File,
    failed: Option<File>,
    last: Instant,
    pub commit: Commit,
}

impl Committer {
    /// A new journal for a fresh run (the partial files already created, empty).
    pub fn start(
        paths: &Paths,
        identity: &Identity,
        partial: &File,
        failed: Option<&File>,
    ) -> Result<Self> {
        let journal = crate::journal::create(&paths.journal, MAGIC, identity)?;
        Self::open(journal, partial, failed, Commit::default())
    }

    /// The journal of an interrupted run, to go on from `commit`.
    pub fn resume(
        paths: &Paths,
        partial: &File,
        failed: Option<&File>,
        commit: Commit,
    ) -> Result<Self> {
        let journal = OpenOptions::new()
            .append(true)
            .open(&paths.journal)
            .with_context(|| format!("cannot open `{}`", paths.journal.display()))?;
        Self::open(journal, partial, failed, commit)
    }

    fn open(journal: File, partial: &File, failed: Option<&File>, commit: Commit) -> Result<Self> {
        Ok(Committer {
            journal,
            partial: partial.try_clone()?,
            failed: failed.map(File::try_clone).transpose()?,
            last: Instant::now(),
            commit,
        })
    }

    /// Whether a commit is due after a batch was written: at most one a second.
    pub fn due(&self) -> bool {
        self.last.elapsed() >= COMMIT_EVERY
    }

    /// Commits what the partial files hold now (the caller first ends the output's
    /// compressed member, if any): at most once a second ([`Committer::due`]) while a run
    /// goes, and once more when it stops.
    pub fn write_commit(&mut self) -> Result<()> {
        self.last = Instant::now();
        // The data first, then the line that says it is there.
        self.partial.sync_data()?;
        self.commit.out = self.partial.stream_position()?;
        if let Some(f) = &mut self.failed {
            f.sync_data()?;
            self.commit.failed = f.stream_position()?;
        }
        let line = format!("commit {}\n", serde_json::to_string(&self.commit)?);
        self.journal.write_all(line.as_bytes())?;
        self.journal.sync_data()?;
        Ok(())
    }
}

/// Removes a run's partial files and journal (after success, or before starting afresh).
pub fn remove(paths: &Paths) {
    let _ = std::fs::remove_file(&paths.journal);
    let _ = std::fs::remove_file(&paths.partial);
    if let Some((_, p)) = &paths.failed {
        let _ = std::fs::remove_file(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_are_read_back_and_a_torn_line_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::new(&dir.path().join("out.csv"), None);
        let partial = open_partial(&paths.partial, None).unwrap();
        let mut id = Identity::new();
        id.insert("--param".into(), hashed("a=1"));
        let mut c = Committer::start(&paths, &id, &partial, None).unwrap();
        (&partial).write_all(b"a,b\n1,2\n").unwrap();
        c.commit.end = 42;
        c.commit.line = 3;
        c.write_commit().unwrap();
        let mut j = OpenOptions::new()
            .append(true)
            .open(&paths.journal)
            .unwrap();
        j.write_all(b"commit {\"end\": 99").unwrap();
        let found = read(&paths.journal).unwrap().unwrap();
        assert_eq!(found.identity, id);
        let commit = found.commit.unwrap();
        assert_eq!((commit.end, commit.line, commit.out), (42, 3, 8));
        let mut other = id.clone();
        other.insert("--param".into(), hashed("a=2"));
        assert_eq!(crate::journal::differences(&other, &id), ["--param"]);
        let f = open_partial(&paths.partial, Some(4)).unwrap();
        assert_eq!(f.metadata().unwrap().len(), 4);
        assert!(open_partial(&paths.partial, Some(100)).is_err());
        assert!(read(&dir.path().join("none")).unwrap().is_none());
    }
}
