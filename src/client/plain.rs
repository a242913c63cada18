//! The transport of a run against a plain `http://` service (a model server on the same machine
//! or network, the emulator): hyper's HTTP/1.1 client connection on a tokio TCP stream, and a
//! pool of idle connections. reqwest stays the transport of everything else (TLS, a proxy from
//! the environment, other hosts, redirects). Why: a model server that closes every connection
//! (azmlinfsrv's gunicorn sends `Connection: close`) makes a connection per batch, and
//! reqwest's layers (connector service, proxy matching, retry and redirect policies, the URL
//! parsed again per answer) cost about 95 µs of CPU per request on top of hyper's own: measured
//! side by side, 400 requests of 1000 rows to azmlinfsrv: 140 against 102 ms (README, "client
//! CPU").

use super::retry::{Failure, Net};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use reqwest::header::{CONNECTION, HOST, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Version};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::net::TcpStream;
use url::{Host, Position, Url};

/// Idle connections kept for reuse (as reqwest's `pool_max_idle_per_host` of the client).
const MAX_IDLE: usize = 256;

/// Environment variables that make reqwest send plain-HTTP requests through a proxy: when one
/// is set, every request goes through reqwest.
const PROXY_VARS: [&str; 4] = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

pub(super) struct Plain {
    host: Host<String>,
    port: u16,
    /// `Host:` as reqwest sends it (the port only when it is not 80).
    host_header: HeaderValue,
    connect_timeout: Duration,
    idle: Mutex<Vec<SendRequest<Full<Bytes>>>>,
}

/// A complete answer (any status).
pub(super) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Plain {
    /// The transport of requests to `root`'s host and port, when `root` is plain HTTP without
    /// credentials and no proxy is set in the environment.
    pub(super) fn new(root: &Url, connect_timeout: Duration) -> Option<Plain> {
        Self::with_env(root, connect_timeout, |v| std::env::var_os(v))
    }

    fn with_env(
        root: &Url,
        connect_timeout: Duration,
        env: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> Option<Plain> {
        // Credentials in the URL: reqwest sends them as basic auth.
        let credentials = !root.username().is_empty() || root.password().is_some();
        if root.scheme() != "http"
            || credentials
            || PROXY_VARS
                .iter()
                .any(|v| env(v).is_some_and(|s| !s.is_empty()))
        {
            return None;
        }
        let host = root.host()?.to_owned();
        let port = root.port_or_known_default()?;
        let authority = match root.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        };
        Some(Plain {
            host,
            port,
            host_header: HeaderValue::from_str(&authority).ok()?,
            connect_timeout,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// The request target of `url` when it goes to this transport's host and port over plain
    /// HTTP (its path and query, as an HTTP/1.1 request to the origin names them); `None`:
    /// reqwest sends it.
    pub(super) fn target(&self, url: &Url) -> Option<hyper::Uri> {
        let ours = url.scheme() == "http"
            && url.port_or_known_default() == Some(self.port)
            && url.host().is_some_and(|h| h.to_owned() == self.host);
        ours.then(|| url[Position::BeforePath..Position::AfterQuery].parse().ok())
            .flatten()
    }

    /// One exchange, within `timeout` (connect, request, answer and body): on an idle
    /// connection when there is one, else on a new one. A request that an idle connection
    /// could not take (the server had closed it) goes on a new connection at once, as hyper's
    /// pooled client does.
    pub(super) async fn send(
        &self,
        method: &Method,
        target: &hyper::Uri,
        headers: &HeaderMap,
        body: Bytes,
        timeout: Duration,
    ) -> Result<Reply, Failure> {
        let sent = AtomicBool::new(false);
        let exchange = async {
            loop {
                let (mut sender, reused) = match self.checkout().await {
                    Some(s) => (s, true),
                    None => (self.connect().await?, false),
                };
                let mut req = hyper::Request::new(Full::new(body.clone()));
                *req.method_mut() = method.clone();
                *req.uri_mut() = target.clone();
                *req.headers_mut() = headers.clone();
                req.headers_mut().insert(HOST, self.host_header.clone());
                sent.store(true, Ordering::Relaxed);
                let resp = match sender.send_request(req).await {
                    Ok(resp) => resp,
                    Err(e) if reused && e.is_canceled() => continue,
                    Err(e) => return Err(lost(&e, true)),
                };
                let (parts, incoming) = resp.into_parts();
                let body = incoming
                    .collect()
                    .await
                    .map_err(|e| lost(&e, true))?
                    .to_bytes();
                if keeps_alive(parts.version, &parts.headers) {
                    self.checkin(sender);
                }
                return Ok(Reply {
                    status: parts.status,
                    headers: parts.headers,
                    body,
                });
            }
        };
        match tokio::time::timeout(timeout, exchange).await {
            Ok(r) => r,
            Err(_) => Err(Failure::Network {
                error: Net::new(!sent.load(Ordering::Relaxed), None),
                timed_out: true,
                sent: sent.load(Ordering::Relaxed),
            }),
        }
    }

    /// An idle connection ready for a request, if any.
    async fn checkout(&self) -> Option<SendRequest<Full<Bytes>>> {
        loop {
            let mut sender = self.idle.lock().expect("the pool lock").pop()?;
            if sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }

    fn checkin(&self, sender: SendRequest<Full<Bytes>>) {
        let mut idle = self.idle.lock().expect("the pool lock");
        if idle.len() < MAX_IDLE {
            idle.push(sender);
        }
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, Failure> {
        let unsent = |error: Net, timed_out: bool| Failure::Network {
            error,
            timed_out,
            sent: false,
        };
        let stream = match tokio::time::timeout(self.connect_timeout, self.open()).await {
            Err(_) => return Err(unsent(Net::new(true, None), true)),
            Ok(Err(e)) => return Err(unsent(Net::new(true, Some(&e)), false)),
            Ok(Ok(s)) => s,
        };
        // As reqwest's `tcp_nodelay(true)`: the body must not wait for the headers' ACK.
        stream
            .set_nodelay(true)
            .map_err(|e| unsent(Net::new(true, Some(&e)), false))?;
        let (sender, conn) = http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .map_err(|e| unsent(Net::new(true, Some(&e)), false))?;
        // Drives the connection until the server or the pool lets it go; its errors reach the
        // request that was on it.
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(sender)
    }

    async fn open(&self) -> std::io::Result<TcpStream> {
        match &self.host {
            Host::Ipv4(ip) => TcpStream::connect(SocketAddr::new(IpAddr::V4(*ip), self.port)).await,
            Host::Ipv6(ip) => TcpStream::connect(SocketAddr::new(IpAddr::V6(*ip), self.port)).await,
            // Each address the name resolves to, in turn.
            Host::Domain(name) => TcpStream::connect((name.as_str(), self.port)).await,
        }
    }
}

/// Whether the connection may carry another request after this answer.
fn keeps_alive(version: Version, headers: &HeaderMap) -> bool {
    let has = |token: &str| {
        headers.get_all(CONNECTION).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
        })
    };
    match version {
        Version::HTTP_11 => !has("close"),
        Version::HTTP_10 => has("keep-alive"),
        _ => false,
    }
}

fn lost(e: &hyper::Error, sent: bool) -> Failure {
    Failure::Network {
        error: Net::new(false, Some(e)),
        timed_out: e.is_timeout(),
        sent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(url: &str, env: &[(&str, &str)]) -> Option<Plain> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Plain::with_env(&Url::parse(url).unwrap(), Duration::from_secs(1), |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.into())
        })
    }

    #[test]
    fn only_plain_http_without_credentials_or_a_proxy_takes_this_transport() {
        assert!(plain("https://example.com/score", &[]).is_none());
        assert!(plain("http://user:pw@127.0.0.1:5000/score", &[]).is_none());
        assert!(
            plain(
                "http://127.0.0.1:5000/score",
                &[("http_proxy", "http://proxy:3128")]
            )
            .is_none()
        );
        assert!(
            plain(
                "http://127.0.0.1:5000/score",
                &[("ALL_PROXY", "socks5://p:1080")]
            )
            .is_none()
        );
        // An empty variable sets no proxy (as reqwest reads it).
        let p = plain("http://127.0.0.1:5000/score", &[("HTTP_PROXY", "")]).unwrap();
        assert_eq!(p.host_header, "127.0.0.1:5000");
        let serves = |p: &Plain, u: &str| p.target(&Url::parse(u).unwrap()).is_some();
        assert!(serves(&p, "http://127.0.0.1:5000/v2/models/m"));
        assert!(!serves(&p, "http://127.0.0.1:5001/score"));
        assert!(!serves(&p, "http://localhost:5000/score"));
        assert!(!serves(&p, "https://127.0.0.1:5000/score"));
        let p = plain("http://[::1]/score", &[]).unwrap();
        assert_eq!(p.host_header, "[::1]");
        assert!(serves(&p, "http://[::1]:80/x"));
    }

    #[test]
    fn the_request_target_is_the_path_and_query() {
        let u = Url::parse("http://h:1/a/b%20c?api-version=2.0&details=true#f").unwrap();
        let p = plain("http://h:1/", &[]).unwrap();
        assert_eq!(
            p.target(&u).unwrap(),
            "/a/b%20c?api-version=2.0&details=true"
        );
        let p = plain("http://h/", &[]).unwrap();
        assert_eq!(p.target(&Url::parse("http://h").unwrap()).unwrap(), "/");
    }

    #[test]
    fn connections_are_kept_unless_the_answer_closes_them() {
        let mut h = HeaderMap::new();
        assert!(keeps_alive(Version::HTTP_11, &h));
        assert!(!keeps_alive(Version::HTTP_10, &h));
        h.insert(CONNECTION, HeaderValue::from_static("Keep-Alive"));
        assert!(keeps_alive(Version::HTTP_10, &h));
        h.insert(CONNECTION, HeaderValue::from_static("upgrade, Close"));
        assert!(!keeps_alive(Version::HTTP_11, &h));
    }
}
