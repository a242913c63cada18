// Azurite, the Azure Storage emulator (npm `azurite`, installed by `.ci/install-azurite` into
// tools/azurite), started per test: blob service only, on 127.0.0.1 and a free port, in memory,
// killed when the handle drops. Used by the binary tests (`support::azurite`) and, through
// `include!`, by the blob module's unit tests, so this file has no inner attributes.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Azurite's well-known development account and key (from its README).
pub const ACCOUNT: &str = "devstoreaccount1";
pub const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// A running Azurite blob service; the process is killed on drop.
pub struct Azurite {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

/// Where `.ci/install-azurite` puts the launcher.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/azurite/node_modules/.bin/azurite-blob")
}

impl Azurite {
    /// Starts Azurite, or explains why it cannot.
    pub fn start() -> Result<Azurite, String> {
        let bin = binary();
        if !bin.exists() {
            return Err(format!(
                "azurite not installed at `{}` (run .ci/install-azurite)",
                bin.display()
            ));
        }
        let dir = tempfile::tempdir().map_err(|e| format!("cannot make a temp dir: {e}"))?;
        let mut child = Command::new(&bin)
            .args([
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                "0",
                "--inMemoryPersistence",
            ])
            .args([
                "--skipApiVersionCheck",
                "--loose",
                "--disableTelemetry",
                "--silent",
            ])
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start `{}`: {e}", bin.display()))?;
        let (tx, rx) = mpsc::channel();
        // Both pipes are read until EOF so that Azurite never blocks on a full pipe.
        let stdout = child.stdout.take().ok_or("no stdout pipe")?;
        let stderr = child.stderr.take().ok_or("no stderr pipe")?;
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx2.send(line);
            }
        });
        let mut seen = Vec::new();
        loop {
            match rx.recv_timeout(Duration::from_secs(30)) {
                Ok(line) => {
                    if let Some(port) = listening_port(&line) {
                        return Ok(Azurite {
                            child,
                            port,
                            _dir: dir,
                        });
                    }
                    seen.push(line);
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!(
                        "azurite did not say where it listens; it printed: {}",
                        seen.join(" | ")
                    ));
                }
            }
        }
    }

    /// Starts Azurite; when it is not installed, panics under CI (`CI` set) and otherwise
    /// prints a loud SKIPPED line and returns `None` so the test can return.
    pub fn start_or_skip(test: &str) -> Option<Azurite> {
        if !binary().exists() {
            if std::env::var_os("CI").is_some() {
                panic!("{test}: azurite is not installed and CI is set: run .ci/install-azurite");
            }
            eprintln!("SKIPPED {test}: azurite not installed (run .ci/install-azurite)");
            return None;
        }
        match Azurite::start() {
            Ok(a) => Some(a),
            Err(e) => panic!("{test}: {e}"),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT/devstoreaccount1` (path style, no trailing slash).
    pub fn blob_endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/{ACCOUNT}", self.port)
    }

    /// The connection string of the development account on this instance.
    pub fn connection_string(&self) -> String {
        format!(
            "DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={KEY};BlobEndpoint={};",
            self.blob_endpoint()
        )
    }
}

impl Drop for Azurite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port in "Azurite Blob service successfully listens on http://127.0.0.1:PORT".
fn listening_port(line: &str) -> Option<u16> {
    let rest = line.split("successfully listens on http://").nth(1)?;
    rest.trim()
        .rsplit(':')
        .next()?
        .trim_end_matches('/')
        .parse()
        .ok()
}
