//! Helpers shared by the binary tests: a sandboxed `mlws` command (scrubbed `MLWS_*`
//! environment, a temporary config file, `NO_COLOR`), a running `mlws serve`, Azurite, a
//! logging and throttling proxy in front of a storage, and the real model servers (MLflow,
//! Azure ML, KServe, MLServer).
//! Each test binary uses a different subset of them.
#![allow(dead_code)]

pub mod azurite;
pub mod oracle;
pub mod proxy;
pub mod sandbox;
pub mod serve;
pub mod servers;

/// Stdout and stderr of a run, as one text; panics if any of `secrets` is in it.
pub fn assert_no_secret(out: &std::process::Output, secrets: &[String], what: &str) -> String {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for s in secrets {
        assert!(
            !all.contains(s.as_str()),
            "a secret leaked with {what}:\n{all}"
        );
    }
    all
}

/// Rows committed by the last whole `commit` line of a `--resume` journal (0 when none).
pub fn committed_rows(journal: &std::path::Path) -> u64 {
    let text = std::fs::read_to_string(journal).unwrap_or_default();
    text.split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .filter_map(|l| l.strip_prefix("commit "))
        .filter_map(|j| serde_json::from_str::<serde_json::Value>(j).ok())
        .next_back()
        .map_or(0, |c| {
            c["rows_out"].as_u64().unwrap() + c["refused"].as_u64().unwrap()
        })
}

/// Waits until the run `child` has committed rows to its journal `journal`, then kills it
/// (SIGKILL) and gives the rows committed, once the requests it had in flight are over.
/// Panics when the run ends first or commits nothing in 30 s.
pub fn kill_after_first_commit(child: &mut std::process::Child, journal: &std::path::Path) -> u64 {
    use std::time::{Duration, Instant};
    let deadline = Instant::now() + Duration::from_secs(30);
    while committed_rows(journal) == 0 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before its first commit"
        );
        assert!(Instant::now() < deadline, "no commit in 30 s");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    committed_rows(journal)
}

/// Runs `mlws ARGS` against `em` (its journal at `journal`), kills it once it has committed
/// rows, then runs it again with `--resume`, which must succeed saying that it resumes. Gives
/// the rows the killed run committed and the requests the resumed one sent.
pub fn kill_and_resume(
    sb: &sandbox::Sandbox,
    em: &serve::Emulator,
    args: &[&str],
    journal: &std::path::Path,
) -> (u64, u64) {
    let mut child = sb
        .std_cmd_for(em)
        .args(args)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let done = kill_after_first_commit(&mut child, journal);
    let before = em.requests().len();
    let resumed = sb
        .std_cmd_for(em)
        .args(args)
        .arg("--resume")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(resumed.status.success(), "{stderr}");
    assert!(stderr.contains("resuming after input line"), "{stderr}");
    (done, (em.requests().len() - before) as u64)
}
