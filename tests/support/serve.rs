//! `Emulator`: runs `mlws serve --listen 127.0.0.1:0 ARGS...` as a child process, reads its
//! start-up JSON line, and kills it when dropped. The child gets a scrubbed environment (no
//! `MLWS_*` variables, `NO_COLOR`) so the developer's settings cannot leak in.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long the emulator may take to print its start-up line.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `mlws serve`.
pub struct Emulator {
    /// Where clients point `--base-url` (with the gateway suffix when `--apim-suffix` is given).
    pub base_url: String,
    pub workspace: String,
    pub service: String,
    pub api_key: String,
    /// Set only with `--apim-suffix`.
    pub subscription_key: Option<String>,
    /// The whole start-up line, for fields added later (`storage_connection_string`).
    pub info: Value,
    pub child: Child,
    /// Kept open so the emulator never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

impl Emulator {
    /// Starts the emulator with `extra_args` after `serve --listen 127.0.0.1:0`, and waits
    /// for its start-up line. Panics (with the emulator's stderr) if it does not start.
    pub fn start(extra_args: &[&str]) -> Emulator {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mlws"));
        cmd.args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra_args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("NO_COLOR", "1");
        for (name, _) in std::env::vars_os() {
            let n = name.to_string_lossy();
            if n.starts_with("MLWS_") || n == "AZURE_STORAGE_CONNECTION_STRING" {
                cmd.env_remove(&name);
            }
        }
        let mut child = cmd.spawn().expect("cannot run the mlws binary");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut line = String::new();
            let n = stdout.read_line(&mut line);
            let _ = tx.send((n.map(|_| line), ()));
            stdout
        });
        let line = match rx.recv_timeout(START_TIMEOUT) {
            Ok((Ok(line), ())) if !line.trim().is_empty() => line,
            other => {
                let _ = child.kill();
                let _ = child.wait();
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                panic!("mlws serve {extra_args:?} did not start ({other:?}); stderr:\n{err}");
            }
        };
        let stdout = reader
            .join()
            .expect("the reader thread ends after one line");
        let info: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("the start-up line is not JSON ({e}): {line}"));
        let text = |k: &str| {
            info[k]
                .as_str()
                .unwrap_or_else(|| panic!("no `{k}` in the start-up line: {line}"))
                .to_string()
        };
        Emulator {
            base_url: text("base_url"),
            workspace: text("workspace"),
            service: text("service"),
            api_key: text("api_key"),
            subscription_key: info["subscription_key"].as_str().map(str::to_string),
            info,
            child,
            _stdout: stdout,
        }
    }

    /// `http://host:port`, without the gateway suffix: the service host itself.
    pub fn origin(&self) -> String {
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        match self.base_url[after_scheme..].find('/') {
            Some(i) => self.base_url[..after_scheme + i].to_string(),
            None => self.base_url.clone(),
        }
    }

    /// `{base}/workspaces/{ws}/services/{svc}` for `base` = `base_url` or `origin()`.
    pub fn service_root(&self, base: &str) -> String {
        format!(
            "{base}/workspaces/{}/services/{}",
            self.workspace, self.service
        )
    }

    /// The RRS URL through `base_url` with `query` (e.g. `api-version=2.0&details=true`).
    pub fn execute_url(&self, query: &str) -> String {
        format!("{}/execute?{query}", self.service_root(&self.base_url))
    }

    /// The emulator's stderr so far, after stopping it (for failure messages).
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        err
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
