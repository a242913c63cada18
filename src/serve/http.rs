//! The HTTP/1.1 accept loop: one task per connection, a header read timeout (which also bounds
//! how long an idle kept-alive connection stays open), `TCP_NODELAY`, and a graceful stop that
//! lets requests in progress finish. Written on hyper directly because `axum::serve` has no
//! header timeout. Knows nothing of routes.

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How long a stop waits for requests in progress.
const GRACE: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until `stop` turns true (or its sender is dropped).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    mut stop: watch::Receiver<bool>,
) {
    // Each connection task holds a receiver; `closed()` resolves when all have ended.
    let (open_tx, open_rx) = watch::channel(());
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let conn = connection(stream, app.clone(), header_timeout, stop.clone());
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
    header_timeout: Duration,
    mut stop: watch::Receiver<bool>,
) {
    // Small JSON answers must not wait for Nagle's algorithm.
    let _ = stream.set_nodelay(true);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = stopped(&mut stop) => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// Resolves once a stop is asked for (or nobody can ask any more).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns must not live across an await: it is not `Send`.
    let _ = stop.wait_for(|s| *s).await.map(|_| ());
}
