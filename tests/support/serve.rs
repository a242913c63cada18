//! `Emulator`: runs `mlws serve --listen 127.0.0.1:0 --blob-dir TMP ARGS...` as a child
//! process, reads its start-up JSON line, and kills it (and removes TMP) when dropped. With
//! `--protocol` other than classic the line has no workspace, service or storage (those fields
//! are then empty), and a key only with `--api-key`. The
//! child gets a scrubbed environment (no `MLWS_*` variables, `NO_COLOR`) so the developer's
//! settings cannot leak in. `Emulator::start_logged` adds `--log` into that directory, and
//! `requests()` reads the log back: what a client sent, for assertions ("a dry run sent nothing").
//! `Storage`: puts, gets and lists the blocks of blobs of a storage account (the emulator's
//! blob endpoint or Azurite) with Shared Key signatures computed here, independently of mlws's
//! own signer.

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
    /// The connection string of the emulator's blob endpoint.
    pub storage_connection_string: String,
    /// The protocol served (`classic`, `mlflow`, `azureml`, `v2`, `kserve-v1`).
    pub protocol: String,
    /// The scoring URL a client passes to `mlws score --url`.
    pub url: String,
    /// The whole start-up line, for fields added later (`storage_connection_string`).
    pub info: Value,
    pub child: Child,
    /// Kept open so the emulator never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
    /// The blob endpoint's `--blob-dir`: a killed emulator cannot clean up after itself.
    dir: tempfile::TempDir,
    /// The `--log` file, when started with `start_logged`.
    log: Option<std::path::PathBuf>,
}

impl Emulator {
    /// Starts the emulator with `extra_args` after `serve --listen 127.0.0.1:0`, and waits
    /// for its start-up line. Panics (with the emulator's stderr) if it does not start.
    pub fn start(extra_args: &[&str]) -> Emulator {
        Self::launch(extra_args, false)
    }

    /// As `start`, with a request log (`--log`) that `requests()` reads.
    pub fn start_logged(extra_args: &[&str]) -> Emulator {
        Self::launch(extra_args, true)
    }

    fn launch(extra_args: &[&str], logged: bool) -> Emulator {
        let blob_dir = tempfile::tempdir().expect("cannot make a temporary directory");
        let log = logged.then(|| blob_dir.path().join("requests.jsonl"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mlws"));
        cmd.args(["serve", "--listen", "127.0.0.1:0"])
            .arg("--blob-dir")
            .arg(blob_dir.path());
        if let Some(path) = &log {
            cmd.arg("--log").arg(path);
        }
        cmd.args(extra_args)
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
        let classic = text("protocol") == "classic";
        // Fields only the classic service has; another protocol's key only with `--api-key`.
        let classic_text = |k: &str| match info[k].as_str() {
            Some(v) => v.to_string(),
            None if classic => text(k),
            None => String::new(),
        };
        Emulator {
            base_url: text("base_url"),
            workspace: classic_text("workspace"),
            service: classic_text("service"),
            api_key: classic_text("api_key"),
            subscription_key: info["subscription_key"].as_str().map(str::to_string),
            storage_connection_string: classic_text("storage_connection_string"),
            protocol: text("protocol"),
            url: text("url"),
            info,
            child,
            _stdout: stdout,
            dir: blob_dir,
            log,
        }
    }

    /// The request log's lines so far, oldest first. Panics unless started with `start_logged`.
    pub fn requests(&self) -> Vec<Value> {
        let path = self.log.as_ref().expect("started without a request log");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad log line ({e}): {l}")))
            .collect()
    }

    /// The request log once it has at least `n` lines (a dropped connection's line may come
    /// a moment after the client saw the connection close); panics after 10 s.
    pub fn requests_at_least(&self, n: usize) -> Vec<Value> {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let lines = self.requests();
            if lines.len() >= n {
                return lines;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the request log has {} lines, not {n}: {lines:?}",
                lines.len()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The raw text of the request log (to scan it for secrets).
    pub fn request_log_text(&self) -> String {
        let path = self.log.as_ref().expect("started without a request log");
        std::fs::read_to_string(path).unwrap_or_default()
    }

    /// The `--blob-dir` given to the emulator.
    pub fn blob_dir(&self) -> &std::path::Path {
        self.dir.path()
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

/// A storage account reached with Shared Key: `AccountName`, `AccountKey` and `BlobEndpoint`
/// of a connection string. Blob names are used as they are (no percent-encoding needed in tests).
pub struct Storage {
    account: String,
    key: Vec<u8>,
    /// `http://host:port/account`, no trailing slash.
    endpoint: String,
    http: reqwest::Client,
}

impl Storage {
    pub fn from_connection_string(cs: &str) -> Storage {
        use base64::Engine as _;
        let field = |name: &str| {
            cs.split(';')
                .find_map(|part| {
                    let (k, v) = part.split_once('=')?;
                    k.trim()
                        .eq_ignore_ascii_case(name)
                        .then(|| v.trim().to_string())
                })
                .unwrap_or_else(|| panic!("no `{name}` in the connection string"))
        };
        Storage {
            account: field("AccountName"),
            key: base64::engine::general_purpose::STANDARD
                .decode(field("AccountKey"))
                .unwrap(),
            endpoint: field("BlobEndpoint").trim_end_matches('/').to_string(),
            http: reqwest::Client::new(),
        }
    }

    /// Creates the container of `relative` (`container/blob`) when missing, then puts the blob.
    pub async fn put(&self, relative: &str, bytes: impl Into<Vec<u8>>) {
        let container = relative.split('/').next().unwrap();
        let r = self
            .send(
                "PUT",
                container,
                &[("restype", "container")],
                &[],
                Vec::new(),
            )
            .await;
        assert!(
            matches!(r.status().as_u16(), 201 | 409),
            "creating `{container}`: {}",
            r.status()
        );
        let headers = [
            ("x-ms-blob-type", "BlockBlob"),
            ("content-type", "text/csv"),
        ];
        let r = self
            .send("PUT", relative, &[], &headers, bytes.into())
            .await;
        let status = r.status().as_u16();
        assert_eq!(
            status,
            201,
            "putting `{relative}`: {}",
            r.text().await.unwrap()
        );
    }

    /// The status and bytes of a Get Blob.
    pub async fn get(&self, relative: &str) -> (u16, Vec<u8>) {
        let r = self.send("GET", relative, &[], &[], Vec::new()).await;
        (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
    }

    /// The ids of a blob's blocks in the list `kind` (`committed`, `uncommitted`, `all`) of Get
    /// Block List, base64 as sent; none when the blob is not there.
    pub async fn block_ids(&self, relative: &str, kind: &str) -> Vec<String> {
        let query = [("comp", "blocklist"), ("blocklisttype", kind)];
        let r = self.send("GET", relative, &query, &[], Vec::new()).await;
        let status = r.status().as_u16();
        let body = r.text().await.unwrap();
        if status == 404 {
            return Vec::new();
        }
        assert_eq!(status, 200, "listing the blocks of `{relative}`: {body}");
        body.split("<Name>")
            .skip(1)
            .filter_map(|b| b.split("</Name>").next())
            .map(str::to_string)
            .collect()
    }

    /// The status and body of a Put Blob (for size limits).
    pub async fn try_put(&self, relative: &str, bytes: Vec<u8>) -> (u16, String) {
        let headers = [("x-ms-blob-type", "BlockBlob")];
        let r = self.send("PUT", relative, &[], &headers, bytes).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// The signed head (request line and headers, through the blank line) of a Put Blob of
    /// `length` bytes, for a test that writes the body itself over a raw socket.
    pub fn put_blob_head(&self, relative: &str, length: usize) -> String {
        let url = reqwest::Url::parse(&format!("{}/{relative}", self.endpoint)).unwrap();
        let headers: Vec<(String, String)> = [
            ("x-ms-blob-type", "BlockBlob".to_string()),
            (
                "x-ms-date",
                httpdate::fmt_http_date(std::time::SystemTime::now()),
            ),
            ("x-ms-version", "2021-08-06".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let signature = self.sign("PUT", url.path(), &[], &headers, length);
        let mut head = format!(
            "PUT {} HTTP/1.1\r\nHost: {}:{}\r\nAuthorization: SharedKey {}:{signature}\r\nContent-Length: {length}\r\n",
            url.path(),
            url.host_str().unwrap(),
            url.port().unwrap(),
            self.account
        );
        for (k, v) in &headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        head
    }

    async fn send(
        &self,
        method: &str,
        relative: &str,
        query: &[(&str, &str)],
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> reqwest::Response {
        let url = reqwest::Url::parse_with_params(&format!("{}/{relative}", self.endpoint), query)
            .unwrap();
        let date = httpdate::fmt_http_date(std::time::SystemTime::now());
        let mut all: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect();
        all.push(("x-ms-date".into(), date));
        all.push(("x-ms-version".into(), "2021-08-06".into()));
        let signature = self.sign(method, url.path(), query, &all, body.len());
        let mut req = self.http.request(method.parse().unwrap(), url).header(
            "Authorization",
            format!("SharedKey {}:{signature}", self.account),
        );
        for (k, v) in &all {
            req = req.header(k, v);
        }
        req.body(body).send().await.unwrap()
    }

    /// The Shared Key signature (version 2015-02-21 and later string-to-sign).
    fn sign(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        headers: &[(String, String)],
        length: usize,
    ) -> String {
        use base64::Engine as _;
        use hmac::Mac as _;
        let h = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map_or("", |(_, v)| v.as_str())
        };
        let length = if length == 0 {
            String::new()
        } else {
            length.to_string()
        };
        let mut text = [
            method,
            "",
            "",
            &length,
            "",
            h("content-type"),
            "",
            "",
            "",
            "",
            "",
            "",
        ]
        .join("\n");
        text.push('\n');
        let mut xms: Vec<&(String, String)> = headers
            .iter()
            .filter(|(k, _)| k.starts_with("x-ms-"))
            .collect();
        xms.sort();
        for (k, v) in xms {
            text.push_str(&format!("{k}:{v}\n"));
        }
        text.push_str(&format!("/{}{path}", self.account));
        let mut q: Vec<&(&str, &str)> = query.iter().collect();
        q.sort();
        for (k, v) in q {
            text.push_str(&format!("\n{k}:{v}"));
        }
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.key).unwrap();
        mac.update(text.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    }
}
