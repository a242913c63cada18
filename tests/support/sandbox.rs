//! A sandbox for running the `mlws` binary: every variable that configures mlws is removed,
//! the config file is a fresh path in a temporary directory, and colour is off.

use super::serve::Emulator;
use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("config").join("config.toml")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `mlws` with a scrubbed environment and the sandbox's config file.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same as a `std::process::Command`, for tests that spawn and signal the process.
    pub fn std_cmd(&self) -> std::process::Command {
        scrubbed(self.dir.path(), &self.config_path())
    }

    /// `mlws` set up (through `MLWS_*` variables) to call the emulator `em`.
    pub fn cmd_for(&self, em: &Emulator) -> Command {
        Command::from_std(self.std_cmd_for(em))
    }

    /// The same as a `std::process::Command`.
    pub fn std_cmd_for(&self, em: &Emulator) -> std::process::Command {
        let mut cmd = self.std_cmd();
        point_at(&mut cmd, em);
        cmd
    }
}

/// Variables that would send the tests' loopback requests to a proxy of the machine.
const PROXY_VARS: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// `mlws` run in `dir` with every variable that configures mlws (or a proxy) removed, `config`
/// as its config file, `HOME` in `dir` and colour off.
pub fn scrubbed(dir: &Path, config: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("mlws"));
    for (name, _) in std::env::vars() {
        if name.starts_with("MLWS_")
            || name == "AZURE_STORAGE_CONNECTION_STRING"
            || PROXY_VARS.contains(&name.as_str())
        {
            cmd.env_remove(&name);
        }
    }
    cmd.env("MLWS_CONFIG", config)
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("xdg"))
        .current_dir(dir);
    cmd
}

/// Sets `cmd` (through `MLWS_*` variables) to call the emulator `em`.
pub fn point_at(cmd: &mut std::process::Command, em: &Emulator) {
    cmd.env("MLWS_BASE_URL", &em.base_url)
        .env("MLWS_WORKSPACE", &em.workspace)
        .env("MLWS_SERVICE", &em.service)
        .env("MLWS_API_KEY", &em.api_key);
    if let Some(k) = &em.subscription_key {
        cmd.env("MLWS_SUBSCRIPTION_KEY", k);
    }
}

/// A sandbox whose `cmd` runs `mlws rrs execute` against a fake service at `base` (workspace
/// `ws`, service `svc`, API key `key`), for the tests that stand in for the service.
pub struct ServiceSandbox {
    pub inner: Sandbox,
    base: String,
    key: &'static str,
}

impl ServiceSandbox {
    pub fn new(base: &str, key: &'static str) -> Self {
        ServiceSandbox {
            inner: Sandbox::new(),
            base: base.to_string(),
            key,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.inner.path(name)
    }

    /// `mlws rrs execute ARGS` against the fake service.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = self.inner.cmd();
        c.args(["--base-url", &self.base, "--workspace", "ws"])
            .args(["--service", "svc", "--api-key", self.key, "rrs", "execute"])
            .args(args);
        c
    }

    /// The names of the files in the sandbox's directory, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.inner.dir.path())
            .expect("the sandbox directory")
            .map(|e| {
                e.expect("a directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }
}
