//! `--resume` (`spec/cli.md` "Long runs"): a run with `--input FILE --output FILE` writes its
//! rows in order to `OUTPUT.mlws-partial` and keeps `OUTPUT.mlws-journal`, an append-only
//! text file: a first line naming the run (the input's size, modification time and a hash of
//! its first 64 KiB; the settings that change the output, hashed so that no secret lands on
//! disk), then a `commit` line at most every quarter second, each written after the partial
//! output (and the partial `--failed-rows`) were synced, and synced itself: how far the input
//! is scored (byte position and line), how many rows and output bytes are committed. A
//! resumed run truncates the partial files to the last commit, reads the input on from its
//! position, and appends; rows before the commit are never sent again. On success the
//! partial output is renamed over the output and the journal removed. A torn last line (a
//! crash while appending) is ignored.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const MAGIC: &str = "mlws-journal 1";
/// How often progress is committed (synced): the most work a crash can cost.
const COMMIT_EVERY: Duration = Duration::from_millis(250);
/// How much of the input's start is hashed to know it again.
const PREFIX: u64 = 64 * 1024;

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

/// What names a run: the input's identity and the output-changing settings, by name.
pub type Identity = BTreeMap<String, String>;

/// A value as the journal keeps it: a hash, so that a URL with a key or a secret parameter
/// never lands on disk.
pub fn hashed(value: &str) -> String {
    let h = Sha256::digest(value.as_bytes());
    h.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The identity of an input file: size, modification time, a hash of its first 64 KiB.
pub fn input_identity(path: &Path, into: &mut Identity) -> Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut prefix = Vec::new();
    File::open(path)
        .and_then(|f| f.take(PREFIX).read_to_end(&mut prefix))
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    into.insert("the input's size".into(), meta.len().to_string());
    into.insert("the input's modification time".into(), mtime.to_string());
    into.insert(
        "the input's first bytes".into(),
        hashed(&String::from_utf8_lossy(&prefix)),
    );
    Ok(())
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
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let text = String::from_utf8_lossy(&text);
    // Only whole lines: the last one may have been cut by a crash.
    let mut lines = text.split_inclusive('\n').filter(|l| l.ends_with('\n'));
    if lines.next().map(str::trim_end) != Some(MAGIC) {
        return Ok(None);
    }
    let Some(identity) = lines
        .next()
        .and_then(|l| l.strip_prefix("run "))
        .and_then(|j| serde_json::from_str::<Identity>(j).ok())
    else {
        return Ok(None);
    };
    let commit = lines
        .filter_map(|l| l.strip_prefix("commit "))
        .filter_map(|j| serde_json::from_str::<Commit>(j).ok())
        .next_back();
    Ok(Some(Found { identity, commit }))
}

/// What differs between the identity of a run and the interrupted one's, by name.
pub fn differences(now: &Identity, then: &Identity) -> Vec<String> {
    let mut keys: Vec<&String> = now.keys().chain(then.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| now.get(*k) != then.get(*k))
        .cloned()
        .collect()
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
        let mut journal = File::create(&paths.journal)
            .with_context(|| format!("cannot create `{}`", paths.journal.display()))?;
        let head = format!("{MAGIC}\nrun {}\n", serde_json::to_string(identity)?);
        journal.write_all(head.as_bytes())?;
        journal.sync_data()?;
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

    /// After a batch was written: commits when the last commit is old enough (or `force`).
    pub fn after_batch(&mut self, force: bool) -> Result<()> {
        if !force && self.last.elapsed() < COMMIT_EVERY {
            return Ok(());
        }
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

/// Opens a partial file for writing on from `len` bytes (cut there), or afresh.
pub fn open_partial(path: &Path, len: Option<u64>) -> Result<File> {
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(len.is_none())
        .open(path)
        .with_context(|| format!("cannot open `{}`", path.display()))?;
    if let Some(len) = len {
        let have = f.metadata()?.len();
        if have < len {
            anyhow::bail!(
                "`{}` is shorter ({have} bytes) than its journal says ({len}): it cannot be resumed; run again without `--resume`",
                path.display()
            );
        }
        f.set_len(len)?;
        f.seek(SeekFrom::Start(len))?;
    }
    Ok(f)
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
        c.after_batch(true).unwrap();
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
        assert_eq!(differences(&other, &id), ["--param"]);
        let f = open_partial(&paths.partial, Some(4)).unwrap();
        assert_eq!(f.metadata().unwrap().len(), 4);
        assert!(open_partial(&paths.partial, Some(100)).is_err());
        assert!(read(&dir.path().join("none")).unwrap().is_none());
    }
}
