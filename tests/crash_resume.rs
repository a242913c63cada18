//! Crash tests of `--resume` (issue 9): `mlws rrs execute` is killed with SIGKILL at 20 seeded
//! random moments while it scores 40,000 rows through `mlws serve` with delays and injected
//! faults, and resumed each time until it exits 0. The output must be byte-identical to an
//! uninterrupted run, and the emulator's request log (which names the first row of every
//! request it scored by a hash of its text) must show that no resumed run sent a row that the
//! interrupted run had committed.

mod support;

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::Duration;
use support::oracle::rows_and_expectation;
use support::sandbox::Sandbox;
use support::serve::Emulator;

/// The emulator log's hash of a row's text.
fn short_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn twenty_kill_9s_and_resumes_give_the_uninterrupted_output() {
    const ROWS: u32 = 40_000;
    let sb = Sandbox::new();
    let (input, expected) = rows_and_expectation(ROWS);
    std::fs::write(sb.path("in.csv"), &input).unwrap();
    let index: HashMap<String, u64> = csv::Reader::from_reader(input.as_bytes())
        .records()
        .enumerate()
        .map(|(i, r)| (short_hash(&r.unwrap()[0]), i as u64))
        .collect();
    let em = Emulator::start_logged(&[
        "--fault-seed",
        "99",
        "--fault-503",
        "0.03",
        "--fault-429",
        "0.005",
        "--fault-drop",
        "0.01",
        "--fault-delay",
        "5-40",
    ]);
    let run = || {
        sb.std_cmd_for(&em)
            .args([
                "rrs", "execute", "-i", "in.csv", "-o", "out.csv", "--resume",
            ])
            .args([
                "--batch-size",
                "20",
                "--concurrency",
                "4",
                "--retries",
                "20",
                "-q",
            ])
            .stderr(std::fs::File::create(sb.path("stderr.txt")).unwrap())
            .spawn()
            .unwrap()
    };
    let journal = sb.path("out.csv.mlws-journal");
    let mut rng = fastrand::Rng::with_seed(2026);
    // (log lines before the run, rows committed before it) of each resumed run
    let mut runs: Vec<(usize, u64)> = Vec::new();
    let mut kills = 0;
    loop {
        let before = (em.requests().len(), support::committed_rows(&journal));
        let mut child = run();
        if kills == 20 {
            let status = child.wait().unwrap();
            assert!(status.success(), "the last resume failed: {status}");
            runs.push(before);
            break;
        }
        std::thread::sleep(Duration::from_millis(rng.u64(300..1800)));
        let finished = child.try_wait().unwrap();
        child.kill().unwrap_or_default();
        child.wait().unwrap();
        runs.push(before);
        if let Some(status) = finished {
            assert!(
                status.success(),
                "run {} failed: {status}: {}",
                runs.len(),
                std::fs::read_to_string(sb.path("stderr.txt")).unwrap()
            );
            break;
        }
        kills += 1;
        // The killed run's requests in flight end (and are logged) before the next run.
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(kills >= 20, "only {kills} kills before the run ended");
    let out = std::fs::read_to_string(sb.path("out.csv")).unwrap();
    if out != expected {
        let dir = std::env::temp_dir();
        std::fs::write(dir.join("crash_resume.got.csv"), &out).unwrap();
        std::fs::write(dir.join("crash_resume.expected.csv"), &expected).unwrap();
        panic!(
            "the resumed output differs from an uninterrupted run's (both in {})",
            dir.display()
        );
    }
    assert!(!journal.exists() && !sb.path("out.csv.mlws-partial").exists());
    // No resumed run sent a row its predecessor had committed.
    let log = em.requests();
    for (i, &(start, committed)) in runs.iter().enumerate() {
        let end = runs.get(i + 1).map_or(log.len(), |r| r.0);
        for line in &log[start..end] {
            if line["status"] != 200 {
                continue;
            }
            let first = index[line["first_row"].as_str().unwrap()];
            assert!(
                first >= committed,
                "run {i} sent row {first}, which was committed (rows before {committed})"
            );
        }
    }
    let scored: u64 = log
        .iter()
        .filter(|l| l["status"] == 200)
        .map(|l| l["rows"].as_u64().unwrap())
        .sum();
    assert!(scored >= u64::from(ROWS));
    // Rows sent again were in flight, or written but not yet committed, at a kill.
    eprintln!(
        "{kills} kills: {scored} rows scored by the service for {ROWS}, {} sent again",
        scored - u64::from(ROWS)
    );
}

#[test]
fn resume_refuses_stdin_and_other_settings_and_starts_afresh_when_nothing_is_left() {
    let sb = Sandbox::new();
    let (input, expected) = rows_and_expectation(3_000);
    std::fs::write(sb.path("in.csv"), &input).unwrap();
    let em = Emulator::start(&["--fault-delay", "5"]);
    let run = |extra: &[&str]| {
        sb.cmd_for(&em)
            .args(["rrs", "execute", "-i", "in.csv", "-o", "out.csv"])
            .args(extra)
            .output()
            .unwrap()
    };
    let text = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    // Standard input cannot be read again.
    let out = sb
        .cmd_for(&em)
        .args(["rrs", "execute", "--resume", "-o", "out.csv"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("standard input"), "{}", text(&out));
    // Nothing to resume: a note, and a whole run.
    let out = run(&["--resume"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("nothing to resume"), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(sb.path("out.csv")).unwrap(),
        expected
    );
    // The settings that change the output must be the interrupted run's.
    let mut child = sb
        .std_cmd_for(&em)
        .args([
            "rrs",
            "execute",
            "-i",
            "in.csv",
            "-o",
            "slow.csv",
            "--batch-size",
            "10",
        ])
        .args(["--concurrency", "1"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let j = sb.path("slow.csv.mlws-journal");
    support::kill_after_first_commit(&mut child, &j);
    let out = sb
        .cmd_for(&em)
        .args([
            "rrs",
            "execute",
            "-i",
            "in.csv",
            "-o",
            "slow.csv",
            "--resume",
            "--swagger",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("`--swagger` differs"), "{}", text(&out));
    // Without --resume an old journal is discarded, with a note.
    let out = sb
        .cmd_for(&em)
        .args(["rrs", "execute", "-i", "in.csv", "-o", "slow.csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("discarded"), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(sb.path("slow.csv")).unwrap(),
        expected
    );
    assert!(!j.exists());
}

/// A run writing `.gz` keeps its output as gzip members, one ended at each commit: killed
/// (SIGKILL) after its first commit, it resumes from there, and the file decompresses to the
/// uninterrupted output. A `.zst` output is not resumable.
#[test]
fn a_killed_run_writing_gzip_resumes_to_the_uninterrupted_output() {
    use std::io::Read;
    const ROWS: u64 = 3000;
    const BATCH: u64 = 30;
    let sb = Sandbox::new();
    let (input, expected) = rows_and_expectation(ROWS as u32);
    std::fs::write(sb.path("in.csv"), &input).unwrap();
    // About 2.5 s of work (100 requests of 40-60 ms, two at a time); commits come at most
    // once a second.
    let em = Emulator::start_logged(&["--fault-delay", "40-60"]);
    let batch = BATCH.to_string();
    let args = [
        "rrs",
        "execute",
        "-i",
        "in.csv",
        "-o",
        "out.csv.gz",
        "--batch-size",
        &batch,
        "--concurrency",
        "2",
    ];
    let journal = sb.path("out.csv.gz.mlws-journal");
    let (done, sent) = support::kill_and_resume(&sb, &em, &args, &journal);
    assert!(done > 0 && done < ROWS, "{done} rows committed");
    assert_eq!(sent, (ROWS - done).div_ceil(BATCH), "{done} rows committed");
    let gz = std::fs::read(sb.path("out.csv.gz")).unwrap();
    let mut out = String::new();
    flate2::read::MultiGzDecoder::new(&gz[..])
        .read_to_string(&mut out)
        .unwrap();
    assert!(
        out == expected,
        "the resumed output differs from an uninterrupted run's"
    );
    assert!(!journal.exists() && !sb.path("out.csv.gz.mlws-partial").exists());
    // zstd: refused, saying why.
    let zst = sb
        .cmd_for(&em)
        .args([
            "rrs",
            "execute",
            "-i",
            "in.csv",
            "-o",
            "out.csv.zst",
            "--resume",
        ])
        .output()
        .unwrap();
    assert_eq!(zst.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&zst.stderr).contains("cannot go on with a zstd output"),
        "{}",
        String::from_utf8_lossy(&zst.stderr)
    );
}
