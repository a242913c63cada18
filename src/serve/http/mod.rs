//! The HTTP/1.1 accept loop: one task per connection, `TCP_NODELAY`, and a graceful stop that
//! lets requests in progress finish. Written on hyper directly because `axum::serve` has no
//! header timeout. Three clocks keep a slow or stalled client from holding a connection (and
//! what a handler holds for it) forever: the header timeout (the whole request head, and the
//! idle time of a kept-alive connection), the body read guard (a body must keep arriving, see
//! `slow.rs`), and the write stall timeout (a client that reads nothing of its answer). Each
//! request carries a [`Connection`] through which a handler may hang up without answering
//! (fault injection). Knows nothing of routes.

mod slow;

#[cfg(test)]
pub use slow::ReadGuard;
pub use slow::{MIN_BODY_RATE, is_too_slow};

use axum::Router;
use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::Request;
use axum::http::request::Parts;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

/// How long a stop waits for requests in progress.
const GRACE: Duration = Duration::from_secs(5);

/// The clocks of every connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Time to receive a request's head; also how long a kept-alive connection may sit idle.
    pub header: Duration,
    /// The window of the body read guard: each one must bring `MIN_BODY_RATE` bytes a second.
    pub read: Duration,
    /// How long a write of the answer may make no progress.
    pub write: Duration,
}

/// A handle on the connection a request came in on, found in its extensions (and extracted
/// by handlers). Outside a served connection (a router called in-process) it is detached.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    close: Option<Arc<Notify>>,
}

impl Connection {
    /// Asks the connection to close at once, without an answer to the request in progress.
    /// False when detached.
    pub fn close_now(&self) -> bool {
        match &self.close {
            Some(n) => {
                n.notify_one();
                true
            }
            None => false,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Connection {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(parts
            .extensions
            .get::<Connection>()
            .cloned()
            .unwrap_or_default())
    }
}

/// Serves `app` on `listener` until `stop` turns true (or its sender is dropped).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    mut stop: watch::Receiver<bool>,
) {
    // Each connection task holds a receiver; `closed()` resolves when all have ended.
    let (open_tx, open_rx) = watch::channel(());
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let conn = connection(stream, app.clone(), timeouts, stop.clone());
                    let open = open_rx.clone();
                    tokio::spawn(async move {
                        conn.await;
                        drop(open);
                    });
                }
                // Out of file descriptors and the like: wait instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            () = stopped(&mut stop) => break,
        }
    }
    drop(listener);
    drop(open_rx);
    let _ = tokio::time::timeout(GRACE, open_tx.closed()).await;
}

async fn connection(
    stream: TcpStream,
    app: Router,
    timeouts: Timeouts,
    mut stop: watch::Receiver<bool>,
) {
    // Small JSON answers must not wait for Nagle's algorithm.
    let _ = stream.set_nodelay(true);
    let close = Arc::new(Notify::new());
    let handle = Connection {
        close: Some(close.clone()),
    };
    let read = timeouts.read;
    let service = app.map_request(move |req: Request<Incoming>| {
        let (mut parts, body) = req.into_parts();
        parts.extensions.insert(handle.clone());
        Request::from_parts(parts, Body::new(slow::ReadGuard::new(body, read)))
    });
    let io = TokioIo::new(slow::WriteGuard::new(stream, timeouts.write));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header);
    let conn = builder.serve_connection(io, TowerToHyperService::new(service));
    tokio::pin!(conn);
    // Returning drops `conn`, which closes the socket: after a hang-up, without an answer.
    tokio::select! {
        _ = conn.as_mut() => {}
        () = close.notified() => {}
        () = stopped(&mut stop) => {
            conn.as_mut().graceful_shutdown();
            tokio::select! {
                _ = conn.as_mut() => {}
                () = close.notified() => {}
            }
        }
    }
}

/// Resolves once a stop is asked for (or nobody can ask any more).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns must not live across an await: it is not `Send`.
    let _ = stop.wait_for(|s| *s).await.map(|_| ());
}
