//! The real model servers (MLflow, Azure ML's azmlinfsrv, KServe, MLServer) that the adapter
//! tests score against, each serving the tiny scikit-learn pipeline of tools/servers/train.py
//! (`f1..f4` floats and `color`, predictions 0/1; tests/data/servers/ has rows and the model's
//! own predictions). `.ci/install-servers` puts their virtual environments and the models in
//! `$MLWS_SERVERS_DIR` (default `${XDG_CACHE_HOME:-$HOME/.cache}/mlws-servers`).
//!
//! `RealServer::start(kind, variant)` starts one on 127.0.0.1 and a free port and waits until it
//! is ready; dropping it stops its whole process tree. `RealServer::shared(kind, variant)` is
//! one server for every test of a test binary, never dropped. Either way the server runs in
//! its own process group with a small `sh` watchdog beside it that holds the read end of a
//! pipe whose write end only this test process has: when the handle drops, or the test
//! process ends in any way (even SIGKILL), the pipe closes and the watchdog sends SIGTERM to
//! the group, then SIGKILL after a grace time. So no Python server outlives `cargo test`.
//!
//! When the servers are not installed, the start functions panic under CI (`CI` set) with the
//! command to run, and otherwise print a SKIPPED line and return `None`.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The name every server gives the model (`/v2/models/model`, `/v1/models/model:predict`).
pub const MODEL: &str = "model";

/// How long a server may take to become ready (7-15 s alone; more on a busy 2-core machine).
const START_TIMEOUT: Duration = Duration::from_secs(180);

/// Seconds between SIGTERM and SIGKILL when a server is stopped. Most exit within 0.6 s of
/// SIGTERM, MLServer with its worker within 2.5 s; a SIGKILL before that leaves its
/// multiprocessing semaphores in /dev/shm.
const GRACE_SECONDS: u32 = 5;

/// Which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `mlflow.pyfunc.scoring_server` under uvicorn: `POST /invocations`.
    Mlflow,
    /// azureml-inference-server-http with tools/servers/score.py: `POST /score`.
    AzureMl,
    /// A KServe custom model server (tools/servers/kserve_server.py): v1 and v2.
    Kserve,
    /// MLServer with mlserver_sklearn.SKLearnModel: v2.
    MlServer,
}

/// Which model: the normal pipeline, or the picky one that refuses a row whose color is `bad`
/// (an exception inside predict, so the whole batch fails).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    Normal,
    Picky,
}

/// A scoring protocol of spec/adapters.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Mlflow,
    AzureMl,
    KserveV1,
    V2,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Mlflow, Kind::AzureMl, Kind::Kserve, Kind::MlServer];

    /// The protocols the server speaks, the main one first.
    pub fn protocols(self) -> &'static [Protocol] {
        match self {
            Kind::Mlflow => &[Protocol::Mlflow],
            Kind::AzureMl => &[Protocol::AzureMl],
            Kind::Kserve => &[Protocol::KserveV1, Protocol::V2],
            Kind::MlServer => &[Protocol::V2],
        }
    }

    /// Its virtual environment under the servers directory.
    fn venv(self) -> &'static str {
        match self {
            Kind::Mlflow => "mlflow",
            Kind::AzureMl => "azureml",
            Kind::Kserve => "kserve",
            Kind::MlServer => "mlserver",
        }
    }

    /// The route that answers 200 once the model is loaded.
    fn ready_path(self) -> String {
        match self {
            Kind::Mlflow => "/health".into(),
            Kind::AzureMl => "/".into(),
            Kind::Kserve | Kind::MlServer => format!("/v2/models/{MODEL}/ready"),
        }
    }
}

/// How to start a server.
#[derive(Clone, Debug)]
pub struct Options {
    /// Worker processes (uvicorn `--workers`, gunicorn `--worker_count`, kserve `--workers`,
    /// MLServer `parallel_workers`).
    pub workers: usize,
    /// Extra environment variables for the server (e.g. `MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT`).
    pub env: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            workers: 1,
            env: Vec::new(),
        }
    }
}

/// A running server; dropping it stops its whole process group.
pub struct RealServer {
    kind: Kind,
    port: u16,
    server: Child,
    watchdog: Child,
    /// The write end of the watchdog's pipe: closing it stops the server.
    lifeline: Option<ChildStdin>,
    log: PathBuf,
    started_in: Duration,
    _dir: tempfile::TempDir,
}

/// The directory `.ci/install-servers` fills (the same rule as the script).
pub fn servers_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("MLWS_SERVERS_DIR") {
        return PathBuf::from(dir);
    }
    let cache = match std::env::var_os("XDG_CACHE_HOME") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache"),
    };
    cache.join("mlws-servers")
}

/// tools/servers in this repository (the entry scripts).
pub fn tools_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/servers")
}

/// tests/data/servers: rows.csv and expected.csv.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/servers")
}

/// Why `kind` cannot be started, if it is not installed.
fn missing(kind: Kind) -> Option<String> {
    let dir = servers_dir();
    let python = dir.join(kind.venv()).join("bin/python");
    let models = dir.join("models/.mlws-stamp");
    [python, models]
        .into_iter()
        .find(|p| !p.exists())
        .map(|p| format!("`{}` is missing", p.display()))
}

impl RealServer {
    /// Starts `kind` serving `variant` with one worker. See `start_with`.
    pub fn start(kind: Kind, variant: Variant) -> Option<RealServer> {
        Self::start_with(kind, variant, Options::default())
    }

    /// Starts a server and waits until it is ready. When it is not installed: panics under CI,
    /// else prints a SKIPPED line and returns `None`. Panics (with the end of the server's
    /// log) when it does not become ready.
    pub fn start_with(kind: Kind, variant: Variant, options: Options) -> Option<RealServer> {
        if let Some(why) = missing(kind) {
            let test = std::thread::current().name().unwrap_or("?").to_string();
            if std::env::var_os("CI").is_some() {
                panic!(
                    "{test}: the {kind:?} server is not installed ({why}) and CI is set: run .ci/install-servers"
                );
            }
            eprintln!(
                "SKIPPED {test}: the {kind:?} server is not installed ({why}; run .ci/install-servers)"
            );
            return None;
        }
        match Self::try_start(kind, variant, &options) {
            Ok(server) => {
                eprintln!(
                    "{kind:?} server ({variant:?}, {} worker(s)) ready on {} in {:.1} s",
                    options.workers,
                    server.base_url(),
                    server.started_in.as_secs_f64()
                );
                Some(server)
            }
            Err(e) => panic!("{e}"),
        }
    }

    /// One server of this kind and variant (default options) for all the tests of this test
    /// binary, started by the first test that asks. It is never dropped: the watchdog stops it
    /// when the test process exits.
    pub fn shared(kind: Kind, variant: Variant) -> Option<&'static RealServer> {
        static SHARED: [OnceLock<Option<RealServer>>; 8] = [const { OnceLock::new() }; 8];
        let slot = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0) * 2
            + usize::from(variant == Variant::Picky);
        SHARED[slot]
            .get_or_init(|| Self::start(kind, variant))
            .as_ref()
    }

    fn try_start(kind: Kind, variant: Variant, options: &Options) -> Result<RealServer, String> {
        let root = servers_dir();
        let venv = root.join(kind.venv());
        let models = root.join("models");
        let dir = tempfile::tempdir().map_err(|e| format!("cannot make a temp dir: {e}"))?;
        let port = free_port()?;
        let log = dir.path().join("server.log");
        let mut cmd = command(kind, variant, &venv, &models, port, options.workers)?;
        let out =
            File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("cannot dup the log: {e}"))?;
        cmd.current_dir(dir.path())
            .envs(options.env.iter().map(|(k, v)| (k, v)))
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0);
        let started = Instant::now();
        let server = cmd
            .spawn()
            .map_err(|e| format!("cannot start the {kind:?} server: {e}"))?;
        let mut watchdog = match spawn_watchdog(server.id(), dir.path()) {
            Ok(w) => w,
            Err(e) => {
                let group = server.id().to_string();
                let _ = Command::new("sh")
                    .args(["-c", "kill -KILL -$1", "sh", &group])
                    .status();
                return Err(e);
            }
        };
        let lifeline = watchdog.stdin.take();
        let mut s = RealServer {
            kind,
            port,
            server,
            watchdog,
            lifeline,
            log,
            started_in: Duration::ZERO,
            _dir: dir,
        };
        s.wait_ready(started)?;
        s.started_in = started.elapsed();
        Ok(s)
    }

    fn wait_ready(&mut self, started: Instant) -> Result<(), String> {
        let path = self.kind.ready_path();
        loop {
            if let Ok(Some(status)) = self.server.try_wait() {
                return Err(self.failure(&format!("exited ({status}) before it was ready")));
            }
            if http_status(self.port, &path) == Some(200) {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(self.failure(&format!(
                    "did not answer 200 on `{path}` within {} s",
                    START_TIMEOUT.as_secs()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn failure(&self, what: &str) -> String {
        format!(
            "the {:?} server on port {} {what}; the end of its log ({}):\n{}",
            self.kind,
            self.port,
            self.log.display(),
            self.log_tail(40)
        )
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// How long it took to become ready.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// The id of its process group (the server's own pid).
    pub fn process_group(&self) -> u32 {
        self.server.id()
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The scoring URL of its main protocol.
    pub fn scoring_url(&self) -> String {
        self.url(self.kind.protocols()[0])
    }

    /// The scoring URL of `protocol` as a user would give it to mlws: `/invocations`, `/score`,
    /// `/v1/models/model:predict`, `/v2/models/model` (the v2 inference route adds `/infer`).
    /// Panics if the server does not speak it.
    pub fn url(&self, protocol: Protocol) -> String {
        assert!(
            self.kind.protocols().contains(&protocol),
            "the {:?} server does not speak {protocol:?}",
            self.kind
        );
        let path = match protocol {
            Protocol::Mlflow => "/invocations".to_string(),
            Protocol::AzureMl => "/score".to_string(),
            Protocol::KserveV1 => format!("/v1/models/{MODEL}:predict"),
            Protocol::V2 => format!("/v2/models/{MODEL}"),
        };
        format!("{}{path}", self.base_url())
    }

    /// The last `lines` lines of the server's output.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        // Closing the lifeline makes the watchdog stop the group (TERM, then KILL).
        drop(self.lifeline.take());
        let _ = self.server.wait();
        let _ = self.watchdog.wait();
    }
}

/// The command line of each server.
fn command(
    kind: Kind,
    variant: Variant,
    venv: &Path,
    models: &Path,
    port: u16,
    workers: usize,
) -> Result<Command, String> {
    let suffix = if variant == Variant::Picky {
        "-picky"
    } else {
        ""
    };
    let python = venv.join("bin/python");
    let tools = tools_dir();
    let port_s = port.to_string();
    let workers_s = workers.to_string();
    let cmd = match kind {
        Kind::Mlflow => {
            let mut c = Command::new(venv.join("bin/uvicorn"));
            c.args([
                "--host",
                "127.0.0.1",
                "--port",
                &port_s,
                "--workers",
                &workers_s,
            ])
            .arg("mlflow.pyfunc.scoring_server.app:app")
            .env(
                "__pyfunc_model_path__",
                models.join(format!("mlflow{suffix}")),
            );
            c
        }
        Kind::AzureMl => {
            let mut c = Command::new(python);
            c.arg(tools.join("azmlinfsrv_loopback.py"))
                .arg("--entry_script")
                .arg(tools.join("score.py"))
                .arg("--model_dir")
                .arg(models.join(format!("joblib{suffix}")))
                .args(["--port", &port_s, "--worker_count", &workers_s]);
            c
        }
        Kind::Kserve => {
            let mut c = Command::new(python);
            c.arg(tools.join("kserve_server.py"))
                .arg("--model_dir")
                .arg(models.join(format!("joblib{suffix}")))
                .args(["--model_name", MODEL, "--http_port", &port_s])
                .args(["--workers", &workers_s]);
            c
        }
        Kind::MlServer => {
            let grpc = free_port()?;
            let mut c = Command::new(venv.join("bin/mlserver"));
            c.arg("start")
                .arg(models.join(format!("mlserver{suffix}")))
                .env("MLSERVER_HTTP_PORT", &port_s)
                .env("MLSERVER_GRPC_PORT", grpc.to_string())
                .env("MLSERVER_PARALLEL_WORKERS", &workers_s);
            c
        }
    };
    let mut cmd = cmd;
    // Some servers re-exec tools from their venv (`mlflow models serve` execs uvicorn).
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![venv.join("bin")];
    paths.extend(std::env::split_paths(&path));
    if let Ok(joined) = std::env::join_paths(paths) {
        cmd.env("PATH", joined);
    }
    Ok(cmd)
}

/// `sh` that waits for EOF on its stdin (this process's lifeline), then stops the process
/// group `$1` (TERM, then KILL after the grace time) and removes the server's temp dir `$2`.
/// It runs in a group of its own so that its signals never reach itself.
const WATCHDOG: &str = r#"
read _ignored
kill -TERM -$1 2>/dev/null
i=0
while kill -0 -$1 2>/dev/null && [ $i -lt $3 ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL -$1 2>/dev/null
rm -rf "$2"
"#;

fn spawn_watchdog(group: u32, dir: &Path) -> Result<Child, String> {
    Command::new("sh")
        .arg("-c")
        .arg(WATCHDOG)
        .arg("mlws-server-watchdog")
        .arg(group.to_string())
        .arg(dir)
        .arg((GRACE_SECONDS * 10).to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start the watchdog (sh): {e}"))
}

/// A port that was free a moment ago on 127.0.0.1.
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// The status of `GET path` on 127.0.0.1:port, or `None` when nothing answers.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut stream =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// The pids whose process group is `group` (from /proc; empty where there is no /proc).
pub fn group_members(group: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // Fields after the `(comm)`: state ppid pgrp ...
            let rest = stat.rsplit_once(") ").map(|(_, r)| r).unwrap_or("");
            let fields: Vec<&str> = rest.split(' ').collect();
            fields.len() > 2 && fields[0] != "Z" && fields[2] == group.to_string()
        })
        .collect()
}
