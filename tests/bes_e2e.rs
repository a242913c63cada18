//! `mlws bes` end to end against `mlws serve`: `bes run` on the emulator's own blob endpoint and
//! on Azurite with a several-MB input, submit/start/status/delete by id, tolerant status bodies,
//! failed, cancelled and timed-out jobs, Ctrl-C, bad connection strings, and no secret in output.

mod support;

use predicates::prelude::*;
use std::io::{BufRead, BufReader};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};
use support::azurite::Azurite;
use support::oracle::rows_and_expectation;
use support::sandbox::Sandbox;
use support::serve::Emulator;

fn with_service(sb: &Sandbox, em: &Emulator, storage: &str) -> assert_cmd::Command {
    assert_cmd::Command::from_std(std_with_service(sb, em, storage))
}

fn std_with_service(sb: &Sandbox, em: &Emulator, storage: &str) -> StdCommand {
    let mut cmd = sb.std_cmd_for(em);
    cmd.env("MLWS_STORAGE_CONNECTION_STRING", storage);
    cmd
}

/// `bes run` of `in.csv` to `out.csv`, polling fast.
const RUN_IN_CSV: [&str; 8] = [
    "bes",
    "run",
    "--input",
    "in.csv",
    "--output",
    "out.csv",
    "--poll-interval",
    "0.1",
];

/// About 10 MB of rows: more than one 8 MiB upload block, so the block list path is used.
const BIG_ROWS: u32 = 330_000;

fn run_and_compare(em: &Emulator, storage: &str) {
    let sb = Sandbox::new();
    let (input, expected) = rows_and_expectation(BIG_ROWS);
    assert!(
        input.len() > 8 << 20,
        "the input should span several upload blocks"
    );
    std::fs::write(sb.path("data.csv"), &input).unwrap();
    with_service(&sb, em, storage)
        .args([
            "bes",
            "run",
            "--input",
            "data.csv",
            "--output",
            "scored.csv",
            "--poll-interval",
            "0.2",
        ])
        .timeout(Duration::from_secs(300))
        .assert()
        .success()
        .stdout("");
    let got = std::fs::read_to_string(sb.path("scored.csv")).unwrap();
    assert_eq!(got.lines().count(), BIG_ROWS as usize + 1);
    assert!(
        got == expected,
        "the scored file differs from the local expectation"
    );
}

#[test]
fn bes_run_on_the_emulators_blob_endpoint() {
    let em = Emulator::start(&[]);
    let storage = em.storage_connection_string.clone();
    run_and_compare(&em, &storage);
}

#[test]
fn bes_run_with_azurite_as_storage() {
    let Some(azurite) = Azurite::start_or_skip("bes_run_with_azurite_as_storage") else {
        return;
    };
    let em = Emulator::start(&[]);
    run_and_compare(&em, &azurite.connection_string());
}

#[test]
fn submit_prints_only_the_id_then_start_status_delete_by_id() {
    let em = Emulator::start(&["--job-delay", "30"]);
    let sb = Sandbox::new();
    std::fs::write(sb.path("in.csv"), "Col2\nThis is a good day\n").unwrap();
    let storage = em.storage_connection_string.clone();
    let out = with_service(&sb, &em, &storage)
        .args(["bes", "submit", "--input", "in.csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8(out.stdout).unwrap();
    assert!(
        id.ends_with('\n')
            && id.trim().len() == 32
            && id.trim().chars().all(|c| c.is_ascii_hexdigit()),
        "{id:?}"
    );
    let id = id.trim();
    with_service(&sb, &em, &storage)
        .args(["bes", "status", id])
        .assert()
        .success()
        .stdout("NotStarted\n");
    with_service(&sb, &em, &storage)
        .args(["bes", "start", id])
        .assert()
        .success()
        .stdout("");
    with_service(&sb, &em, &storage)
        .args(["bes", "status", id])
        .assert()
        .success()
        .stdout("Running\n");
    with_service(&sb, &em, &storage)
        .args(["bes", "start", id])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("CannotStartJob"));
    with_service(&sb, &em, &storage)
        .args(["bes", "status", id, "-f", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"StatusCode\": \"Running\""));
    with_service(&sb, &em, &storage)
        .args(["bes", "delete", id])
        .assert()
        .success();
    with_service(&sb, &em, &storage)
        .args(["bes", "status", id])
        .assert()
        .success()
        .stdout("Cancelled\n");
    with_service(&sb, &em, &storage)
        .args(["bes", "status", "0123456789abcdef0123456789abcdef"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("404"));
}

#[test]
fn int_and_legacy_status_bodies_are_understood() {
    for style in ["int", "legacy"] {
        let em = Emulator::start(&["--bes-status-style", style]);
        let sb = Sandbox::new();
        std::fs::write(sb.path("in.csv"), "Col2\nThis is a good day\n").unwrap();
        with_service(&sb, &em, &em.storage_connection_string.clone())
            .args(RUN_IN_CSV)
            .assert()
            .success();
        let got = std::fs::read_to_string(sb.path("out.csv")).unwrap();
        assert!(
            got.ends_with("This is a good day,1,1,2,2,0,2,0,1\n"),
            "{style}: {got}"
        );
    }
}

#[test]
fn a_failing_job_exits_5_with_its_details() {
    let em = Emulator::start(&[]);
    let sb = Sandbox::new();
    std::fs::write(sb.path("in.csv"), "Text\nhello\n").unwrap();
    with_service(&sb, &em, &em.storage_connection_string.clone())
        .args(RUN_IN_CSV)
        .assert()
        .code(5)
        .stderr(predicate::str::contains("Col2"));
    assert!(!sb.path("out.csv").exists());
}

/// Starts `bes run` in the background and returns it with the job id read from stderr.
#[allow(clippy::zombie_processes, reason = "every caller waits for the child")]
fn spawn_run(
    sb: &Sandbox,
    em: &Emulator,
    extra: &[&str],
) -> (
    std::process::Child,
    String,
    BufReader<std::process::ChildStderr>,
) {
    std::fs::write(sb.path("in.csv"), "Col2\nThis is a good day\n").unwrap();
    let mut child = std_with_service(sb, em, &em.storage_connection_string.clone())
        .args(RUN_IN_CSV)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let started = Instant::now();
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "bes run ended before submitting"
        );
        if let Some(rest) = line.split("submitted job `").nth(1) {
            let id = rest.split('`').next().unwrap().to_string();
            return (child, id, err);
        }
        assert!(started.elapsed() < Duration::from_secs(60));
    }
}

fn status_of(sb: &Sandbox, em: &Emulator, id: &str) -> String {
    let out = with_service(sb, em, &em.storage_connection_string.clone())
        .args(["bes", "status", id])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn a_job_cancelled_by_someone_else_exits_6() {
    let em = Emulator::start(&["--job-delay", "30"]);
    let sb = Sandbox::new();
    let (mut child, id, _err) = spawn_run(&sb, &em, &[]);
    std::thread::sleep(Duration::from_millis(500));
    with_service(&sb, &em, &em.storage_connection_string.clone())
        .args(["bes", "delete", &id])
        .assert()
        .success();
    assert_eq!(child.wait().unwrap().code(), Some(6));
}

#[test]
fn job_timeout_exits_7_and_deletes_the_job() {
    let em = Emulator::start(&["--job-delay", "30"]);
    let sb = Sandbox::new();
    let (mut child, id, _err) = spawn_run(&sb, &em, &["--job-timeout", "1"]);
    assert_eq!(child.wait().unwrap().code(), Some(7));
    assert_eq!(status_of(&sb, &em, &id), "Cancelled");
}

fn interrupt(child: &std::process::Child) {
    let ok = StdCommand::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

#[test]
fn ctrl_c_deletes_the_job_unless_kept() {
    let em = Emulator::start(&["--job-delay", "30"]);
    let sb = Sandbox::new();
    let (mut child, id, _err) = spawn_run(&sb, &em, &[]);
    std::thread::sleep(Duration::from_millis(500));
    interrupt(&child);
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert_eq!(status_of(&sb, &em, &id), "Cancelled");

    let (mut child, id, _err) = spawn_run(&sb, &em, &["--keep-job"]);
    std::thread::sleep(Duration::from_millis(500));
    interrupt(&child);
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert_eq!(status_of(&sb, &em, &id), "Running");
}

#[test]
fn bad_connection_strings_are_usage_errors_without_the_key() {
    let em = Emulator::start(&[]);
    let sb = Sandbox::new();
    std::fs::write(sb.path("in.csv"), "Col2\nx\n").unwrap();
    for cs in [
        "AccountName=acct;AccountKey",
        "DefaultEndpointsProtocol=https;AccountKey=S3cr3tKeyValue==",
        "nonsense",
    ] {
        let out = with_service(&sb, &em, cs)
            .args(["bes", "submit", "--input", "in.csv"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{cs}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("S3cr3tKeyValue"), "{err}");
    }
}

#[test]
fn a_missing_container_is_created() {
    let em = Emulator::start(&[]);
    let sb = Sandbox::new();
    std::fs::write(sb.path("in.csv"), "Col2\nThis is a good day\n").unwrap();
    with_service(&sb, &em, &em.storage_connection_string.clone())
        .args([
            "bes",
            "run",
            "--container",
            "fresh-container",
            "--input",
            "in.csv",
            "--output",
            "out.csv",
        ])
        .args(["--poll-interval", "0.1"])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(sb.path("out.csv"))
            .unwrap()
            .contains("1,1,2,2,0,2,0,1")
    );
}

#[test]
fn no_key_or_signature_in_any_output_at_vvv() {
    let em = Emulator::start(&["--apim-suffix", "ml"]);
    let sb = Sandbox::new();
    std::fs::write(sb.path("in.csv"), "Col2\nThis is a good day\n").unwrap();
    let storage = em.storage_connection_string.clone();
    let account_key = storage
        .split("AccountKey=")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let secrets = vec![
        em.api_key.clone(),
        em.subscription_key.clone().unwrap(),
        account_key,
    ];
    for args in [
        vec![
            "-vvv",
            "bes",
            "run",
            "--input",
            "in.csv",
            "--output",
            "out.csv",
            "--poll-interval",
            "0.1",
        ],
        vec!["-vvv", "--dry-run", "bes", "submit", "--input", "in.csv"],
        vec!["-vvv", "bes", "submit", "--input", "missing.csv"],
    ] {
        let out = with_service(&sb, &em, &storage)
            .args(&args)
            .output()
            .unwrap();
        let all = support::assert_no_secret(&out, &secrets, &format!("{args:?}"));
        for sig in all.split("sig=").skip(1) {
            assert!(
                sig.starts_with("***"),
                "an unmasked SAS signature with {args:?}:\n{all}"
            );
        }
    }
    // the job's SAS signature, read from the status body, is not printed by -f json either
    let out = with_service(&sb, &em, &storage)
        .args(["bes", "submit", "--input", "in.csv"])
        .output()
        .unwrap();
    let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
    with_service(&sb, &em, &storage)
        .args(["bes", "start", &id])
        .assert()
        .success();
    let out = with_service(&sb, &em, &storage)
        .args(["-vvv", "bes", "status", &id, "--wait", "-f", "json"])
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for sig in all.split("sig=").skip(1) {
        assert!(
            sig.starts_with("***"),
            "an unmasked SAS signature in the status output:\n{all}"
        );
    }
}
