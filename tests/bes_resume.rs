//! `bes run --resume` end to end (issue 9), on both storages (the emulator's blob endpoint and
//! Azurite), each behind a test proxy (`support::proxy`) that logs every request reaching the
//! storage and slows mlws's own upload and download, to open time windows on any machine.
//! A run is killed with SIGKILL during its upload, resumed and killed after submitting its
//! job, resumed and killed during its download (after a seeded number of blocks staged and of
//! download checkpoints), and resumed to the end. Each resume is checked
//! against what reached the services: it staged only the blocks the storage lacked (the
//! storage's own uncommitted block list says how many it had), it re-attached to the job (the
//! emulator's log shows one submit), it continued the download with one ranged GET from the
//! journal's last offset; and the output is byte-identical to an uninterrupted run's.
//! Then, on small inputs: Ctrl-C (which deletes the job) and `--resume` submits a new job on
//! the input already uploaded; a changed input or setting is exit 2 naming it; the notes.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::azurite::Azurite;
use support::oracle::rows_and_expectation;
use support::proxy::{Proxy, Rule};
use support::sandbox::Sandbox;
use support::serve::{Emulator, Storage};

/// About 12.5 MB of input (about 21 MB of output).
const ROWS: u32 = 400_000;
/// Upload blocks of 256 KiB (`MLWS_BLOCK_SIZE`): about 48 blocks.
const BLOCK: u64 = 256 << 10;
/// The slowed upload, per connection (four are in flight), and the slowed download.
const UPLOAD_RATE: u64 = 2 << 20;
const DOWNLOAD_RATE: u64 = 8 << 20;

struct Bench {
    sb: Sandbox,
    em: Emulator,
    proxy: Proxy,
    /// The storage's connection string, pointed at the proxy.
    storage: String,
    /// The storage itself, for its block lists.
    direct: Storage,
    runs: usize,
    _azurite: Option<Azurite>,
}

impl Bench {
    /// The emulator (jobs wait 2 s once started) and `real` storage behind a proxy.
    fn new(real: Option<Azurite>) -> Bench {
        let em = Emulator::start_logged(&["--job-delay", "2"]);
        let cs = real
            .as_ref()
            .map_or(em.storage_connection_string.clone(), |a| {
                a.connection_string()
            });
        let (proxy, storage) = Proxy::start(&cs);
        Bench {
            sb: Sandbox::new(),
            direct: Storage::from_connection_string(&cs),
            em,
            proxy,
            storage,
            runs: 0,
            _azurite: real,
        }
    }

    fn slow(&self, on: bool) {
        let rules = match on {
            true => vec![
                Rule {
                    method: "PUT",
                    path_contains: "-input.csv".into(),
                    bytes_per_sec: UPLOAD_RATE,
                },
                Rule {
                    method: "GET",
                    path_contains: "-output1.csv".into(),
                    bytes_per_sec: DOWNLOAD_RATE,
                },
            ],
            false => Vec::new(),
        };
        self.proxy.set_rules(rules);
    }

    /// `bes run -i in.csv -o OUTPUT EXTRA` (another `-i` may be in `extra`) in the background, its stderr to `stderr-N.txt`.
    fn spawn(&mut self, output: &str, extra: &[&str]) -> Child {
        self.runs += 1;
        let err = std::fs::File::create(self.stderr_path(self.runs)).unwrap();
        let mut cmd: Command = self.sb.std_cmd_for(&self.em);
        cmd.env("MLWS_STORAGE_CONNECTION_STRING", &self.storage)
            .env("MLWS_BLOCK_SIZE", BLOCK.to_string())
            .args(["bes", "run", "-o", output]);
        if !extra.contains(&"-i") {
            cmd.args(["-i", "in.csv"]);
        }
        cmd.args(["--poll-interval", "0.2"])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(err);
        cmd.spawn().unwrap()
    }

    fn stderr_path(&self, run: usize) -> std::path::PathBuf {
        self.sb.path(&format!("stderr-{run}.txt"))
    }

    /// The stderr of the last run.
    fn stderr(&self) -> String {
        std::fs::read_to_string(self.stderr_path(self.runs)).unwrap()
    }

    /// Kills the last run with SIGKILL as soon as its journal satisfies `when`.
    fn kill_when(&self, mut child: Child, what: &str, when: impl Fn(&[(String, Value)]) -> bool) {
        let journal = self.sb.path("out.csv.mlws-journal");
        let deadline = Instant::now() + Duration::from_secs(120);
        while !when(&records(&journal)) {
            if let Some(status) = child.try_wait().unwrap() {
                panic!(
                    "run {} ended ({status}) before {what}:\n{}",
                    self.runs,
                    self.stderr()
                );
            }
            assert!(Instant::now() < deadline, "no {what} in 120 s");
            std::thread::sleep(Duration::from_millis(2));
        }
        child.kill().unwrap();
        child.wait().unwrap();
    }

    /// Job submits the emulator has answered.
    fn submits(&self) -> usize {
        self.em
            .requests()
            .iter()
            .filter(|l| l["method"] == "POST" && l["path"].as_str().unwrap().ends_with("/jobs"))
            .count()
    }
}

/// The whole lines of a journal after its first two, as (kind, JSON).
fn records(journal: &Path) -> Vec<(String, Value)> {
    let text = std::fs::read_to_string(journal).unwrap_or_default();
    text.split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .skip(2)
        .filter_map(|l| {
            let (kind, json) = l.trim_end().split_once(' ')?;
            Some((kind.to_string(), serde_json::from_str(json).ok()?))
        })
        .collect()
}

fn count(records: &[(String, Value)], kind: &str) -> usize {
    records.iter().filter(|(k, _)| k == kind).count()
}

fn last<'a>(records: &'a [(String, Value)], kind: &str) -> Option<&'a Value> {
    records
        .iter()
        .rev()
        .find(|(k, _)| k == kind)
        .map(|(_, v)| v)
}

/// Kill points are drawn from `seed`: after how many blocks staged, after how many download
/// checkpoints.
fn kill_and_resume_at_every_step(azurite: Option<Azurite>, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let (after_blocks, after_checkpoints) = (rng.usize(4..=16), rng.usize(1..=3));
    let mut b = Bench::new(azurite);
    let (input, expected) = rows_and_expectation(ROWS);
    std::fs::write(b.sb.path("in.csv"), &input).unwrap();
    let blocks = (input.len() as u64).div_ceil(BLOCK) as usize;
    let rt = tokio::runtime::Runtime::new().unwrap();

    // An uninterrupted run, at full speed, for the output to compare with.
    let status = b.spawn("whole.csv", &[]).wait().unwrap();
    assert!(status.success(), "{}", b.stderr());
    let whole = std::fs::read(b.sb.path("whole.csv")).unwrap();
    assert!(
        whole == expected.as_bytes(),
        "the uninterrupted run's output is wrong"
    );
    let submits = b.submits();
    b.slow(true);

    // 1. Killed during the upload.
    let child = b.spawn("out.csv", &[]);
    b.kill_when(child, "blocks staged", |r| {
        count(r, "block") >= after_blocks
    });
    b.proxy.wait_quiet(); // the blocks in flight have landed, or not
    let r = records(&b.sb.path("out.csv.mlws-journal"));
    assert_eq!(count(&r, "uploaded"), 0, "the upload ended before the kill");
    let blob = last(&r, "upload").unwrap()["blob"]
        .as_str()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(b.sb.path("out.csv.mlws-journal")).unwrap();
    let account_key = b.storage.split("AccountKey=").nth(1).unwrap();
    let account_key = account_key.split(';').next().unwrap();
    for secret in [account_key, b.em.api_key.as_str()] {
        assert!(!text.contains(secret), "a key in the journal:\n{text}");
    }
    let held = rt.block_on(b.direct.block_ids(&blob, "uncommitted")).len();
    assert!(
        held >= after_blocks && held < blocks,
        "{held} of {blocks} blocks held"
    );

    // 2. Resumed: only the missing blocks are sent. Killed once the job is submitted.
    let mark = b.proxy.requests().len();
    let child = b.spawn("out.csv", &["--resume"]);
    b.kill_when(child, "a job", |r| count(r, "job") == 1);
    let staged = b.proxy.requests()[mark..]
        .iter()
        .filter(|s| s.method == "PUT" && s.path().ends_with(blob.as_str()))
        .filter(|s| s.query().contains("comp=block&") || s.query().ends_with("comp=block"))
        .count();
    assert_eq!(staged, blocks - held, "blocks sent again");
    assert!(
        b.stderr().contains(&format!(
            "{held} of {blocks} blocks were already in storage"
        )),
        "{}",
        b.stderr()
    );
    assert_eq!(b.submits(), submits + 1);

    // 3. Resumed: re-attached to the job. Killed during the download.
    let child = b.spawn("out.csv", &["--resume"]);
    b.kill_when(child, "download checkpoints", |r| {
        count(r, "download") >= after_checkpoints
            && last(r, "download").is_some_and(|d| d["offset"].as_u64() > Some(0))
    });
    assert!(b.stderr().contains("re-attaching to job"), "{}", b.stderr());
    let r = records(&b.sb.path("out.csv.mlws-journal"));
    let d = last(&r, "download").unwrap();
    let offset = d["offset"].as_u64().unwrap();
    assert!(
        offset < whole.len() as u64,
        "the download ended before the kill"
    );
    assert_eq!(d["size"].as_u64(), Some(whole.len() as u64));

    // 4. Resumed: the download goes on with one ranged GET from the last checkpoint.
    let mark = b.proxy.requests().len();
    let status = b.spawn("out.csv", &["--resume"]).wait().unwrap();
    assert!(status.success(), "{}", b.stderr());
    let gets: Vec<_> = b.proxy.requests()[mark..]
        .iter()
        .filter(|s| s.method == "GET" && s.path().contains("-output1.csv"))
        .cloned()
        .collect();
    assert_eq!(gets.len(), 1, "{gets:?}");
    assert_eq!(gets[0].range, Some(format!("bytes={offset}-")));
    assert!(
        b.stderr().contains(&format!(
            "resuming the download of `output1` at byte {offset}"
        )),
        "{}",
        b.stderr()
    );

    assert_eq!(b.submits(), submits + 1, "a second job was submitted");
    let out = std::fs::read(b.sb.path("out.csv")).unwrap();
    assert!(
        out == whole,
        "the resumed output differs from the uninterrupted run's"
    );
    assert!(!b.sb.path("out.csv.mlws-journal").exists());
    assert!(!b.sb.path("out.csv.mlws-partial").exists());
    eprintln!(
        "killed after {after_blocks} blocks ({held} of {blocks} held) and after {after_checkpoints} \
         checkpoints (download resumed at byte {offset} of {})",
        whole.len()
    );
}

#[test]
fn kill_9_during_upload_after_submit_and_during_download_on_the_emulators_storage() {
    kill_and_resume_at_every_step(None, 2026);
}

#[test]
fn kill_9_during_upload_after_submit_and_during_download_on_azurite() {
    let Some(a) = Azurite::start_or_skip("kill_9_during_upload_after_submit_and_during_download")
    else {
        return;
    };
    kill_and_resume_at_every_step(Some(a), 9);
}

/// Interrupts (SIGINT) the run once its job is started: it deletes the job and exits 130.
fn interrupt_when_started(b: &Bench, mut child: Child) {
    let journal = b.sb.path("out.csv.mlws-journal");
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(&records(&journal), "started") == 0 {
        assert!(Instant::now() < deadline, "the job was not started");
        std::thread::sleep(Duration::from_millis(5));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert_eq!(child.wait().unwrap().code(), Some(130), "{}", b.stderr());
    let r = records(&journal);
    assert_eq!(last(&r, "dropped").unwrap()["why"], "deleted");
    assert!(
        b.stderr().contains("with `--resume` to go on"),
        "{}",
        b.stderr()
    );
}

fn count_input_puts(b: &Bench) -> usize {
    b.proxy
        .requests()
        .iter()
        .filter(|s| s.method == "PUT" && s.path().ends_with("-input.csv"))
        .count()
}

#[test]
fn ctrl_c_then_resume_submits_a_new_job_on_the_uploaded_input() {
    let mut b = Bench::new(None);
    std::fs::write(b.sb.path("in.csv"), "Col2\nThis is a good day\n").unwrap();
    std::fs::write(b.sb.path("other.csv"), "Col2\nThis is a good night\n").unwrap();
    let journal = b.sb.path("out.csv.mlws-journal");
    let good_day = "This is a good day,1,1,2,2,0,2,0,1\n";
    // Nothing to resume: a note, and a run from scratch.
    let status = b.spawn("out.csv", &["--resume"]).wait().unwrap();
    assert!(status.success(), "{}", b.stderr());
    assert!(b.stderr().contains("nothing to resume"), "{}", b.stderr());

    let child = b.spawn("out.csv", &[]);
    interrupt_when_started(&b, child);
    // What makes the run differs: exit 2, naming it.
    let code = b
        .spawn("out.csv", &["--resume", "--input-name", "x"])
        .wait();
    assert_eq!(code.unwrap().code(), Some(2));
    assert!(
        b.stderr().contains("`--input-name` differs"),
        "{}",
        b.stderr()
    );
    let code = b.spawn("out.csv", &["--resume", "-i", "other.csv"]).wait();
    assert_eq!(code.unwrap().code(), Some(2));
    let err = b.stderr();
    assert!(
        err.contains("the input's size") && err.contains("differ "),
        "{err}"
    );

    // The resumed run submits a new job on the blob already there: no upload.
    let (puts, submits) = (count_input_puts(&b), b.submits());
    let status = b.spawn("out.csv", &["--resume"]).wait().unwrap();
    assert!(status.success(), "{}", b.stderr());
    assert!(
        b.stderr()
            .contains("was deleted: submitting a new job on the input already uploaded"),
        "{}",
        b.stderr()
    );
    assert_eq!(count_input_puts(&b), puts, "the input was uploaded again");
    assert_eq!(b.submits(), submits + 1);
    let out = std::fs::read_to_string(b.sb.path("out.csv")).unwrap();
    assert!(out.ends_with(good_day), "{out}");
    assert!(!journal.exists());

    // A run without `--resume` that finds an interrupted run's journal starts afresh.
    let child = b.spawn("out.csv", &[]);
    interrupt_when_started(&b, child);
    let status = b.spawn("out.csv", &[]).wait().unwrap();
    assert!(status.success(), "{}", b.stderr());
    assert!(
        b.stderr().contains("is discarded: starting afresh"),
        "{}",
        b.stderr()
    );
    assert_eq!(count_input_puts(&b), puts + 2);
    assert!(!journal.exists());
}
