//! The two guards against slow clients. `ReadGuard` wraps a request body: counted from the
//! handler's first read, every window of the read timeout must bring at least
//! `MIN_BODY_RATE` bytes a second until the body ends, else the body fails with
//! [`BodyTooSlow`] (a client trickling a byte a second, or stalling after a huge
//! `Content-Length`, is cut off within one window). `WriteGuard` wraps the socket: a write or
//! flush that makes no progress for the write timeout fails, and hyper closes the connection.
//! Knows nothing of routes or of what bodies hold.

use axum::body::Bytes;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep, sleep};

/// The slowest a request body may arrive, in bytes a second, averaged over each read window.
pub const MIN_BODY_RATE: u64 = 1024;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A request body arrived slower than `MIN_BODY_RATE` over a window.
#[derive(Debug)]
pub struct BodyTooSlow {
    pub window: Duration,
    pub received: u64,
}

impl std::fmt::Display for BodyTooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the request body brought {} bytes in {} ms, under {MIN_BODY_RATE} bytes a second",
            self.received,
            self.window.as_millis()
        )
    }
}

impl std::error::Error for BodyTooSlow {}

/// Whether `err`, or an error it wraps, is a [`BodyTooSlow`].
pub fn is_too_slow(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if e.is::<BodyTooSlow>() {
            return true;
        }
        cur = e.source();
    }
    false
}

/// A request body that must keep arriving.
pub struct ReadGuard<B> {
    inner: B,
    window: Duration,
    /// Bytes each window must bring.
    quota: u64,
    /// Bytes the current window has brought.
    received: u64,
    /// The end of the current window; set at the first read.
    deadline: Option<Pin<Box<Sleep>>>,
}

impl<B> ReadGuard<B> {
    pub fn new(inner: B, window: Duration) -> Self {
        let quota = (MIN_BODY_RATE as f64 * window.as_secs_f64()).ceil() as u64;
        ReadGuard {
            inner,
            window,
            quota: quota.max(1),
            received: 0,
            deadline: None,
        }
    }

    /// At the end of a window: the next window, or the failure when this one brought too little.
    fn next_window(&mut self) -> Result<(), BodyTooSlow> {
        if self.received < self.quota {
            return Err(BodyTooSlow {
                window: self.window,
                received: self.received,
            });
        }
        self.received = 0;
        if let Some(d) = self.deadline.as_mut() {
            d.as_mut().reset(Instant::now() + self.window);
        }
        Ok(())
    }
}

impl<B> HttpBody for ReadGuard<B>
where
    B: HttpBody<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        let window = this.window;
        let deadline = this.deadline.get_or_insert_with(|| Box::pin(sleep(window)));
        // Compared by hand: a timer never polled is never marked elapsed.
        let expired = Instant::now() >= deadline.deadline();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                }
                if expired && let Err(e) = this.next_window() {
                    return Poll::Ready(Some(Err(e.into())));
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => loop {
                let d = this.deadline.as_mut().expect("set above");
                if d.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                // Polled again at once, so that the new deadline wakes this task.
                if let Err(e) = this.next_window() {
                    return Poll::Ready(Some(Err(e.into())));
                }
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A socket whose writes may not stall longer than a limit.
pub struct WriteGuard<T> {
    io: T,
    limit: Duration,
    /// When the write now pending started to wait.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<T> WriteGuard<T> {
    pub fn new(io: T, limit: Duration) -> Self {
        WriteGuard {
            io,
            limit,
            stalled: None,
        }
    }

    /// After a write-side poll: progress clears the clock; waiting runs it.
    fn watch<R>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let limit = self.limit;
        let clock = self.stalled.get_or_insert_with(|| Box::pin(sleep(limit)));
        match clock.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("the client read nothing for {} ms", limit.as_millis()),
            ))),
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WriteGuard<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WriteGuard<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.io).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.io).poll_shutdown(cx);
        self.watch(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use futures::StreamExt;
    use futures::channel::mpsc;
    use tokio::io::AsyncWriteExt;

    type Chunks = mpsc::UnboundedSender<Result<Bytes, io::Error>>;

    fn guarded(window_ms: u64) -> (Chunks, Body) {
        let (tx, rx) = mpsc::unbounded();
        let body = Body::new(ReadGuard::new(
            Body::from_stream(rx),
            Duration::from_millis(window_ms),
        ));
        (tx, body)
    }

    /// Reads `body` to its end: the bytes, or the error and when it came.
    async fn drain(body: Body) -> Result<usize, (axum::Error, std::time::Duration)> {
        let start = std::time::Instant::now();
        let mut stream = body.into_data_stream();
        let mut n = 0;
        while let Some(chunk) = stream.next().await {
            n += chunk.map_err(|e| (e, start.elapsed()))?.len();
        }
        Ok(n)
    }

    #[tokio::test]
    async fn a_stalled_body_fails_after_one_window() {
        let (tx, body) = guarded(300);
        tx.unbounded_send(Ok(Bytes::from_static(b"{\"Inputs\"")))
            .unwrap();
        let (err, after) = drain(body).await.unwrap_err();
        assert!(is_too_slow(&err), "{err}");
        assert!(err.to_string().contains("brought 9 bytes"), "{err}");
        assert!(after >= Duration::from_millis(290), "{after:?}");
        assert!(after < Duration::from_millis(1500), "{after:?}");
        drop(tx);
    }

    #[tokio::test]
    async fn a_trickled_body_fails_and_a_steady_one_passes() {
        // 300 ms windows need 308 bytes each: 1 byte every 20 ms is 15 bytes a window.
        let (tx, body) = guarded(300);
        let trickle = tokio::spawn(async move {
            for _ in 0..200 {
                if tx.unbounded_send(Ok(Bytes::from_static(b"x"))).is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        let (err, after) = drain(body).await.unwrap_err();
        assert!(
            is_too_slow(&err) && after < Duration::from_millis(1500),
            "{err} {after:?}"
        );
        trickle.abort();
        // 100 bytes every 20 ms is 1,500 bytes a window, over four windows.
        let (tx, body) = guarded(300);
        tokio::spawn(async move {
            for _ in 0..60 {
                tx.unbounded_send(Ok(Bytes::from(vec![b'x'; 100]))).unwrap();
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        assert_eq!(drain(body).await.unwrap(), 6000);
    }

    #[tokio::test]
    async fn a_whole_body_is_never_cut() {
        let (tx, body) = guarded(50);
        tx.unbounded_send(Ok(Bytes::from_static(b"ab"))).unwrap();
        drop(tx);
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(drain(body).await.unwrap(), 2);
        assert!(!is_too_slow(&io::Error::other("x")));
    }

    #[tokio::test]
    async fn a_write_nobody_reads_fails_after_the_limit() {
        let (near, mut far) = tokio::io::duplex(64);
        let mut w = WriteGuard::new(near, Duration::from_millis(200));
        let start = std::time::Instant::now();
        let err = w.write_all(&[0u8; 4096]).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(start.elapsed() >= Duration::from_millis(190));
        // A reader that keeps reading lets every write through.
        let (near, far2) = tokio::io::duplex(64);
        let reader = tokio::spawn(async move {
            let mut far2 = far2;
            let mut sink = Vec::new();
            tokio::io::AsyncReadExt::read_to_end(&mut far2, &mut sink)
                .await
                .unwrap();
            sink.len()
        });
        let mut w = WriteGuard::new(near, Duration::from_millis(200));
        w.write_all(&[1u8; 100_000]).await.unwrap();
        w.shutdown().await.unwrap();
        drop(w);
        assert_eq!(reader.await.unwrap(), 100_000);
        far.shutdown().await.unwrap();
    }
}
