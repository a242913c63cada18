//! `Proxy`: a TCP proxy in front of a storage endpoint (the emulator's blob endpoint or
//! Azurite), for the tests of `bes run --resume`. It logs every HTTP request that passes (method,
//! target, range header, body length): a request log for Azurite too. And it slows the requests
//! that match a rule (`PUT` bodies, or `GET` answers, of blobs whose path holds a text) to a
//! rate per connection, which opens time windows to kill a client in, whatever the storage.
//! Shared Key and SAS signatures cover the path, not the host, so a connection string pointed
//! at the proxy (`Proxy::start`) still signs right.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request seen going to the storage.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    /// `x-ms-range` or `Range`.
    pub range: Option<String>,
    pub content_length: u64,
}

impl Seen {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }
}

/// Slows `method` requests whose path holds `path_contains`: a `PUT`'s body, a `GET`'s answer.
#[derive(Debug, Clone)]
pub struct Rule {
    pub method: &'static str,
    pub path_contains: String,
    pub bytes_per_sec: u64,
}

struct Shared {
    upstream: String,
    rules: Mutex<Vec<Rule>>,
    log: Mutex<Vec<Seen>>,
    /// When bytes last moved, in milliseconds from `start`.
    moved: AtomicU64,
    start: Instant,
}

impl Shared {
    fn moved(&self) {
        let now = self.start.elapsed().as_millis() as u64;
        self.moved.store(now, Ordering::SeqCst);
    }

    fn rate(&self, method: &str, target: &str) -> u64 {
        let path = target.split('?').next().unwrap_or("");
        self.rules
            .lock()
            .unwrap()
            .iter()
            .find(|r| r.method == method && path.contains(&r.path_contains))
            .map_or(0, |r| r.bytes_per_sec)
    }
}

pub struct Proxy {
    shared: Arc<Shared>,
}

impl Proxy {
    /// A proxy in front of the `BlobEndpoint` of `cs`, and `cs` pointed at the proxy.
    pub fn start(cs: &str) -> (Proxy, String) {
        let endpoint = cs
            .split(';')
            .find_map(|p| p.trim().strip_prefix("BlobEndpoint="))
            .expect("a connection string with a BlobEndpoint");
        let host_port = endpoint
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let (proxy, port) = Proxy::listen(&host_port);
        let proxied = cs.replace(
            &format!("http://{host_port}/"),
            &format!("http://127.0.0.1:{port}/"),
        );
        (proxy, proxied)
    }

    /// A proxy that passes every connection on to `upstream` (`host:port`), and its address as
    /// `http://127.0.0.1:PORT`: as an HTTP proxy for clients, it logs the absolute-form targets
    /// they send (`http://host/path`), which the upstream server takes as well.
    pub fn forward(upstream: &str) -> (Proxy, String) {
        let (proxy, port) = Proxy::listen(upstream);
        (proxy, format!("http://127.0.0.1:{port}"))
    }

    fn listen(upstream: &str) -> (Proxy, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            upstream: upstream.to_string(),
            rules: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
            moved: AtomicU64::new(0),
            start: Instant::now(),
        });
        let s = shared.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().map_while(Result::ok) {
                let s = s.clone();
                std::thread::spawn(move || connection(client, &s));
            }
        });
        (Proxy { shared }, port)
    }

    pub fn set_rules(&self, rules: Vec<Rule>) {
        *self.shared.rules.lock().unwrap() = rules;
    }

    /// Every request seen so far, oldest first.
    pub fn requests(&self) -> Vec<Seen> {
        self.shared.log.lock().unwrap().clone()
    }

    /// Waits until no byte has moved for half a second (the requests of a killed client
    /// have ended: kept-alive connections may stay open, idle).
    pub fn wait_quiet(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let moved = self.shared.moved.load(Ordering::SeqCst);
            if self.shared.start.elapsed().as_millis() as u64 > moved + 500 {
                return;
            }
            assert!(Instant::now() < deadline, "the proxy never fell quiet");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn connection(client: TcpStream, shared: &Arc<Shared>) {
    let Ok(server) = TcpStream::connect(&shared.upstream) else {
        return;
    };
    let answer_rate = Arc::new(AtomicU64::new(0));
    let (c, s, rate, sh) = (
        client.try_clone().unwrap(),
        server.try_clone().unwrap(),
        answer_rate.clone(),
        shared.clone(),
    );
    let answers = std::thread::spawn(move || copy(s, c, &rate, &sh));
    requests(
        client.try_clone().unwrap(),
        server.try_clone().unwrap(),
        shared,
        &answer_rate,
    );
    // Either side gone: the connection ends both ways.
    let _ = client.shutdown(Shutdown::Both);
    let _ = server.shutdown(Shutdown::Both);
    let _ = answers.join();
    let _ = client.shutdown(Shutdown::Both);
    let _ = server.shutdown(Shutdown::Both);
}

/// Answers, as they come, at the rate of the request they answer.
fn copy(mut from: TcpStream, mut to: TcpStream, rate: &AtomicU64, shared: &Shared) {
    let mut buf = vec![0u8; 16 << 10];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        shared.moved();
        if send(&mut to, &buf[..n], rate.load(Ordering::SeqCst), shared).is_err() {
            break;
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}

/// Writes `bytes`, at most `rate` bytes a second (0: at once).
fn send(to: &mut TcpStream, bytes: &[u8], rate: u64, shared: &Shared) -> std::io::Result<()> {
    for chunk in bytes.chunks(16 << 10) {
        to.write_all(chunk)?;
        shared.moved();
        if rate > 0 {
            std::thread::sleep(Duration::from_secs_f64(chunk.len() as f64 / rate as f64));
        }
    }
    Ok(())
}

/// Requests, one after another (HTTP/1.1 with `Content-Length` bodies): each logged, its body
/// passed on at its rule's rate, its answer's rate set.
fn requests(mut from: TcpStream, mut to: TcpStream, shared: &Shared, answer_rate: &AtomicU64) {
    let mut pending: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 16 << 10];
    loop {
        let head_end = loop {
            if let Some(i) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match from.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    shared.moved();
                    pending.extend_from_slice(&buf[..n]);
                }
            }
        };
        let head: Vec<u8> = pending.drain(..head_end).collect();
        let text = String::from_utf8_lossy(&head).to_string();
        let mut lines = text.split("\r\n");
        let mut first = lines.next().unwrap_or("").split(' ');
        let (method, target) = (
            first.next().unwrap_or("").to_string(),
            first.next().unwrap_or("").to_string(),
        );
        let header = |name: &str| {
            text.split("\r\n").skip(1).find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().to_string())
            })
        };
        let length: u64 = header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let chunked = header("transfer-encoding").is_some_and(|v| v.contains("chunked"));
        shared.log.lock().unwrap().push(Seen {
            method: method.clone(),
            target: target.clone(),
            range: header("x-ms-range").or_else(|| header("range")),
            content_length: length,
        });
        let rate = shared.rate(&method, &target);
        answer_rate.store(if method == "GET" { rate } else { 0 }, Ordering::SeqCst);
        if to.write_all(&head).is_err() {
            return;
        }
        if chunked {
            // Not parsed: the rest of the connection passes as it is.
            let _ = to.write_all(&pending);
            let _ = std::io::copy(&mut from, &mut to);
            return;
        }
        let mut left = length;
        let take = (left as usize).min(pending.len());
        let body_rate = if method == "GET" { 0 } else { rate };
        if send(&mut to, &pending[..take], body_rate, shared).is_err() {
            return;
        }
        pending.drain(..take);
        left -= take as u64;
        while left > 0 {
            let want = (left as usize).min(buf.len());
            let n = match from.read(&mut buf[..want]) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            shared.moved();
            if send(&mut to, &buf[..n], body_rate, shared).is_err() {
                return;
            }
            left -= n as u64;
        }
    }
}
