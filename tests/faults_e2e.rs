//! `rrs execute` against `mlws serve` injecting faults (issue 4): with 10 % 503, 5 % 429 and 2 %
//! dropped connections the output is byte-identical to a clean run; when every call fails the
//! command exits 4, names the unscored lines, writes them to `--failed-rows` and leaves no
//! `--output` file. The emulator's request log shows what was sent.

mod support;

use predicates::prelude::*;
use support::oracle::rows_and_expectation;
use support::sandbox::Sandbox;
use support::serve::Emulator;

#[test]
fn faults_do_not_change_a_single_byte_of_the_output() {
    let sb = Sandbox::new();
    let (input, expected) = rows_and_expectation(20_000);
    std::fs::write(sb.path("in.csv"), &input).unwrap();
    let em = Emulator::start_logged(&[
        "--fault-seed",
        "2026",
        "--fault-503",
        "0.10",
        "--fault-429",
        "0.05",
        "--fault-drop",
        "0.02",
    ]);
    let out = sb
        .cmd_for(&em)
        .args([
            "rrs",
            "execute",
            "-i",
            "in.csv",
            "-o",
            "out.csv",
            "--batch-size",
            "100",
            "--concurrency",
            "8",
        ])
        .args(["--retries", "10"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        std::fs::read_to_string(sb.path("out.csv")).unwrap() == expected,
        "output differs from a clean run"
    );
    // the summary and the emulator's log agree that faults happened and were retried
    assert!(stderr.contains("20000 rows in, 20000 rows out"), "{stderr}");
    let log = em.requests_at_least(200);
    let faults = |kind: &str| log.iter().filter(|l| l["fault"] == kind).count();
    let counts = [faults("503"), faults("429"), faults("drop")];
    assert!(
        counts.iter().all(|&c| c > 0),
        "faults 503/429/drop injected: {counts:?} in {} requests",
        log.len()
    );
    let scored: u64 = log
        .iter()
        .filter(|l| l["status"] == 200)
        .map(|l| l["rows"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(
        scored, 20_000,
        "every row is scored exactly once by the service"
    );
}

#[test]
fn exhausted_retries_exit_4_name_the_rows_and_leave_no_output() {
    let sb = Sandbox::new();
    let input = "Col2\na\nb\nc\n";
    std::fs::write(sb.path("in.csv"), input).unwrap();
    let em = Emulator::start(&["--fault-503", "1.0"]);
    sb.cmd_for(&em)
        .args([
            "rrs",
            "execute",
            "-i",
            "in.csv",
            "-o",
            "out.csv",
            "--failed-rows",
            "failed.csv",
            "--retries",
            "1",
        ])
        .assert()
        .code(4)
        .stderr(
            predicate::str::contains("not scored")
                .and(predicate::str::contains("RequestThrottled")),
        );
    assert!(
        !sb.path("out.csv").exists(),
        "a partial output file was left"
    );
    assert_eq!(
        std::fs::read_to_string(sb.path("failed.csv")).unwrap(),
        input
    );
    let leftovers: Vec<_> = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().contains(".tmp")),
        "{leftovers:?}"
    );
}

#[test]
fn a_dry_run_sends_nothing() {
    let sb = Sandbox::new();
    let em = Emulator::start_logged(&[]);
    sb.cmd_for(&em)
        .args(["--dry-run", "rrs", "execute", "--record", "Col2=x"])
        .assert()
        .success();
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(em.requests().is_empty(), "the emulator saw a request");
}

#[test]
fn bes_submit_is_sent_once() {
    let sb = Sandbox::new();
    let em = Emulator::start_logged(&[]);
    std::fs::write(sb.path("in.csv"), "Col2\nx\n").unwrap();
    sb.cmd_for(&em)
        .env(
            "MLWS_STORAGE_CONNECTION_STRING",
            &em.storage_connection_string,
        )
        .args(["bes", "submit", "-i", "in.csv"])
        .assert()
        .success();
    let log = em.requests_at_least(1);
    let submits = log
        .iter()
        .filter(|l| l["method"] == "POST" && l["path"].as_str().unwrap().ends_with("/jobs"))
        .count();
    assert_eq!(submits, 1, "{log:?}");
}
