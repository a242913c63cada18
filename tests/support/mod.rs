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
