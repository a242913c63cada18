//! The pieces shared by the journals of `--resume` (`spec/cli.md` "Long runs"): `score` /
//! `rrs execute` (`commands/rrs/journal.rs`) and `bes run` (`commands/bes/journal.rs`). A
//! journal is an append-only text file beside the output: a first line naming its kind, a
//! `run` line with the run's identity (the input file's size, modification time and a hash of
//! its first 64 KiB; the settings that change the output, hashed so that no secret lands on
//! disk), then records, one line each (`KIND JSON`), each synced before the run goes on. A torn
//! last line (a crash while appending) is ignored. What the records mean is each command's own.

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// How much of the input's start is hashed to know it again.
const PREFIX: u64 = 64 * 1024;

/// What names a run: the input's identity and the output-changing settings, by name.
pub type Identity = BTreeMap<String, String>;

/// `path` with `ext` appended to its name: `out.csv` + `.mlws-journal`.
pub fn beside(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

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

/// What differs between the identity of a run and the interrupted one's, by name.
/// A usage error naming what differs between a run's identity and the interrupted one's, when
/// anything does.
pub fn check_same(now: &Identity, then: &Identity) -> Result<()> {
    let differ = differences(now, then);
    if differ.is_empty() {
        return Ok(());
    }
    Err(crate::usage!(
        "cannot resume: {} differ{} from the interrupted run's (run without `--resume` to start afresh)",
        differ.join(", "),
        if differ.len() == 1 { "s" } else { "" }
    ))
}

pub fn differences(now: &Identity, then: &Identity) -> Vec<String> {
    let mut keys: Vec<&String> = now.keys().chain(then.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| now.get(*k) != then.get(*k))
        .cloned()
        .collect()
}

/// A journal read back: the run's identity and its records, `(kind, json)`, in order.
pub struct Records {
    pub identity: Identity,
    pub records: Vec<(String, String)>,
}

/// Reads the journal at `path` whose first line is `magic`; `None` when there is none (or it
/// is not one of that kind). Only whole lines count: the last one may have been cut by a crash.
pub fn read(path: &Path, magic: &str) -> Result<Option<Records>> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let text = String::from_utf8_lossy(&text);
    let mut lines = text.split_inclusive('\n').filter(|l| l.ends_with('\n'));
    if lines.next().map(str::trim_end) != Some(magic) {
        return Ok(None);
    }
    let Some(identity) = lines
        .next()
        .and_then(|l| l.strip_prefix("run "))
        .and_then(|j| serde_json::from_str::<Identity>(j).ok())
    else {
        return Ok(None);
    };
    let records = lines
        .filter_map(|l| l.trim_end().split_once(' '))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Ok(Some(Records { identity, records }))
}

/// Creates a journal (replacing any) with its kind and the run's identity, synced.
pub fn create(path: &Path, magic: &str, identity: &Identity) -> Result<File> {
    let mut journal =
        File::create(path).with_context(|| format!("cannot create `{}`", path.display()))?;
    let head = format!("{magic}\nrun {}\n", serde_json::to_string(identity)?);
    journal
        .write_all(head.as_bytes())
        .and_then(|()| journal.sync_data())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(journal)
}

/// Opens an existing journal to append to it.
pub fn reopen(path: &Path) -> Result<File> {
    OpenOptions::new()
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open `{}`", path.display()))
}

/// Appends one record (`KIND JSON`) and syncs it.
pub fn append(journal: &mut File, kind: &str, value: &impl serde::Serialize) -> Result<()> {
    let line = format!("{kind} {}\n", serde_json::to_string(value)?);
    journal.write_all(line.as_bytes())?;
    journal.sync_data()?;
    Ok(())
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

/// Renames a finished partial output over `path`, readable as a normal new file would be.
pub fn persist_partial(partial: &Path, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(partial, std::fs::Permissions::from_mode(0o644));
    }
    std::fs::rename(partial, path).with_context(|| format!("cannot write `{}`", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_read_back_and_a_torn_line_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv.mlws-journal");
        let mut id = Identity::new();
        id.insert("--param".into(), hashed("a=1"));
        let mut j = create(&path, "kind 1", &id).unwrap();
        append(&mut j, "step", &serde_json::json!({"n": 1})).unwrap();
        let mut j = reopen(&path).unwrap();
        append(&mut j, "step", &serde_json::json!({"n": 2})).unwrap();
        j.write_all(b"step {\"n\": 3").unwrap();
        let found = read(&path, "kind 1").unwrap().unwrap();
        assert_eq!(found.identity, id);
        assert_eq!(
            found.records,
            [
                ("step".to_string(), "{\"n\":1}".to_string()),
                ("step".to_string(), "{\"n\":2}".to_string())
            ]
        );
        assert!(read(&path, "other 1").unwrap().is_none());
        assert!(read(&dir.path().join("none"), "kind 1").unwrap().is_none());
        let mut other = id.clone();
        other.insert("--param".into(), hashed("a=2"));
        assert_eq!(differences(&other, &id), ["--param"]);
        assert_eq!(
            beside(Path::new("d/out.csv"), ".mlws-partial"),
            Path::new("d/out.csv.mlws-partial")
        );
    }

    #[test]
    fn a_partial_file_is_cut_to_its_committed_length() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p");
        std::fs::write(&path, b"abcdefgh").unwrap();
        let f = open_partial(&path, Some(4)).unwrap();
        assert_eq!(f.metadata().unwrap().len(), 4);
        assert!(open_partial(&path, Some(100)).is_err());
        let f = open_partial(&path, None).unwrap();
        assert_eq!(f.metadata().unwrap().len(), 0);
    }
}
