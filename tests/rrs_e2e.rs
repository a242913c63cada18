//! `mlws rrs execute` end to end against `mlws serve`: the documented row, API Management with a
//! subscription key, a large CSV in order against a locally computed expectation, exit codes,
//! retries on the gateway's rate limit, dry runs, and no secret in any output at -vvv.

mod support;

use predicates::prelude::*;
use support::oracle::{HEADER, rows_and_expectation};
use support::sandbox::Sandbox;
use support::serve::Emulator;

#[test]
fn documented_row_is_scored() {
    let em = Emulator::start(&[]);
    let sb = Sandbox::new();
    sb.cmd_for(&em)
        .args(["rrs", "execute"])
        .write_stdin("Col2\nThis is a good day\n")
        .assert()
        .success()
        .stdout(format!("{HEADER}\nThis is a good day,1,1,2,2,0,2,0,1\n"));
}

#[test]
fn documented_row_through_api_management() {
    let em = Emulator::start(&["--apim-suffix", "azureml-demo"]);
    assert!(em.base_url.ends_with("/azureml-demo"), "{}", em.base_url);
    let sb = Sandbox::new();
    sb.cmd_for(&em)
        .args(["rrs", "execute", "--record", "Col2=This is a good day"])
        .assert()
        .success()
        .stdout(format!("{HEADER}\nThis is a good day,1,1,2,2,0,2,0,1\n"));
    // without the key the gateway refuses: exit 3 and a hint about the subscription key
    sb.cmd_for(&em)
        .env_remove("MLWS_SUBSCRIPTION_KEY")
        .args(["rrs", "execute", "--record", "Col2=x"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(
            predicate::str::contains("missing subscription key")
                .and(predicate::str::contains("hint:")),
        );
}

#[test]
fn service_url_copied_from_a_help_page_works() {
    let em = Emulator::start(&[]);
    let sb = Sandbox::new();
    let url = format!(
        "{}/workspaces/{}/services/{}/execute?api-version=2.0&details=true",
        em.base_url, em.workspace, em.service
    );
    sb.cmd()
        .args([
            "rrs",
            "execute",
            "--service-url",
            &url,
            "--api-key",
            &em.api_key,
            "--record",
            "Col2=This is a good day",
        ])
        .assert()
        .success()
        .stdout(predicate::str::ends_with(
            "This is a good day,1,1,2,2,0,2,0,1\n",
        ));
}

#[test]
fn large_csv_round_trips_in_order() {
    let em = Emulator::start(&[]);
    let sb = Sandbox::new();
    let (input, expected) = rows_and_expectation(20_500);
    std::fs::write(sb.path("in.csv"), &input).unwrap();
    sb.cmd_for(&em)
        .args([
            "rrs",
            "execute",
            "--input",
            "in.csv",
            "--output",
            "out.csv",
            "--batch-size",
            "700",
            "--concurrency",
            "6",
        ])
        .assert()
        .success()
        .stdout("");
    let got = std::fs::read_to_string(sb.path("out.csv")).unwrap();
    assert_eq!(got.lines().count(), 20_501);
    assert!(got == expected, "output differs from the local expectation");
}

#[test]
fn exit_codes_follow_the_table() {
    let em = Emulator::start(&[]);
    let sb = Sandbox::new();
    // 2: a column the service does not know (400 InputParseError), a bad flag, no service set
    sb.cmd_for(&em)
        .args(["rrs", "execute", "--record", "Text=hello"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("InputParseError"));
    sb.cmd()
        .args(["rrs", "execute", "--record", "Col2=x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--base-url"));
    // 3: a wrong API key
    sb.cmd_for(&em)
        .env("MLWS_API_KEY", "wrong-key")
        .args(["rrs", "execute", "--record", "Col2=x"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("401").and(predicate::str::contains("hint:")));
    // 4: nothing listens (connection refused after retries)
    sb.cmd()
        .args([
            "rrs",
            "execute",
            "--record",
            "Col2=x",
            "--retries",
            "1",
            "--base-url",
            "http://127.0.0.1:9",
        ])
        .args(["--workspace", "w", "--service", "s", "--api-key", "k"])
        .assert()
        .code(4);
    // 1: the output cannot be written
    sb.cmd_for(&em)
        .args([
            "rrs",
            "execute",
            "--record",
            "Col2=x",
            "--output",
            "no/such/dir/out.csv",
        ])
        .assert()
        .code(predicate::in_iter([1, 2]));
}

#[test]
fn gateway_limits_are_retried_then_reported() {
    // 2 calls per 2 s: five one-row batches must wait on Retry-After and still all succeed
    let em = Emulator::start(&["--apim-suffix", "ml", "--rate-limit", "2/2"]);
    let sb = Sandbox::new();
    let out = sb
        .cmd_for(&em)
        .args(["rrs", "execute", "--batch-size", "1", "--concurrency", "1"])
        .write_stdin("Col2\na\nb\nc\nd\ne\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 6);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("429"),
        "a retry warning names the 429"
    );
    // a quota of 1 call: the second request gets 403 with Retry-After -> exit 4
    let em = Emulator::start(&["--apim-suffix", "ml", "--quota", "1/3600"]);
    sb.cmd_for(&em)
        .args(["rrs", "execute", "--record", "Col2=a"])
        .assert()
        .success();
    sb.cmd_for(&em)
        .args(["rrs", "execute", "--record", "Col2=a"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("quota"));
}

#[test]
fn dry_run_sends_nothing_and_masks_keys() {
    let em = Emulator::start(&["--apim-suffix", "ml", "--quota", "1/3600"]);
    let sb = Sandbox::new();
    let out = sb
        .cmd_for(&em)
        .args([
            "--dry-run",
            "rrs",
            "execute",
            "--record",
            "Col2=This is a good day",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("POST ") && stdout.contains("/execute?api-version=2.0"),
        "{stdout}"
    );
    assert!(stdout.contains("This is a good day"), "{stdout}");
    assert!(
        !stdout.contains(&em.api_key) && !stdout.contains(em.subscription_key.as_deref().unwrap())
    );
    // the quota of one call is still unused: the dry run sent nothing
    sb.cmd_for(&em)
        .args(["rrs", "execute", "--record", "Col2=a"])
        .assert()
        .success();
}

#[test]
fn no_secret_in_any_output_at_vvv() {
    let em = Emulator::start(&["--apim-suffix", "ml"]);
    let sb = Sandbox::new();
    let secrets = [em.api_key.clone(), em.subscription_key.clone().unwrap()];
    let runs: Vec<Vec<&str>> = vec![
        vec!["-vvv", "rrs", "execute", "--record", "Col2=hello"],
        vec![
            "-vvv",
            "--dry-run",
            "rrs",
            "execute",
            "--record",
            "Col2=hello",
        ],
        vec!["-vvv", "rrs", "execute", "--record", "Nope=hello"],
        vec!["-vvv", "config", "list", "--show-origin"],
    ];
    for args in runs {
        let out = sb.cmd_for(&em).args(&args).output().unwrap();
        support::assert_no_secret(&out, &secrets, &format!("{args:?}"));
    }
    // a wrong key given on the command line is not echoed back either
    let out = sb
        .cmd_for(&em)
        .args([
            "-vvv",
            "rrs",
            "execute",
            "--record",
            "Col2=x",
            "--api-key",
            "WrongKey-Sekrit-123",
        ])
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("WrongKey-Sekrit-123"), "{all}");
}
