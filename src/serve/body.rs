//! Reads a request body under the service's limits: at most a size (4 MB for RRS, 413,
//! `protocol.md` §3.6) and within a time limit (408), arriving fast enough (408 when the
//! connection's read guard, `http/slow.rs`, cuts it off), so a slow client cannot hold a
//! scoring slot forever. An oversized
//! body is drained (up to a bound) before the 413 is sent, so that the client, still writing,
//! reads the answer instead of a reset connection. Knows nothing of what the body holds.

use super::Limits;
use super::errors::ServiceFailure;
use axum::body::Body;
use axum::http::{HeaderMap, header};
use bytes::{Bytes, BytesMut};
use futures::StreamExt;

/// An oversized body is read and dropped up to this many bytes, then the connection is left.
const DRAIN_BYTES: usize = 64 * 1024 * 1024;

/// The whole body of at most `max` bytes, or the service's 413 (with `hint`), 408 or 400.
pub async fn read(
    body: Body,
    headers: &HeaderMap,
    limits: &Limits,
    max: usize,
    hint: &str,
) -> Result<Bytes, ServiceFailure> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    match tokio::time::timeout(limits.body_timeout, collect(body, declared, max)).await {
        Err(_) => Err(ServiceFailure::body_timeout(limits.body_timeout.as_secs())),
        Ok(Err(Failed::TooLarge)) => Err(ServiceFailure::body_too_large(max, hint)),
        Ok(Err(Failed::Broken(e))) if super::http::is_too_slow(&e) => Err(
            ServiceFailure::body_too_slow(limits.read_timeout.as_millis(), super::MIN_BODY_RATE),
        ),
        Ok(Err(Failed::Broken(e))) => Err(ServiceFailure::body_invalid(&format!(
            "The request body could not be read: {e}."
        ))),
        Ok(Ok(bytes)) => Ok(bytes),
    }
}

enum Failed {
    TooLarge,
    Broken(axum::Error),
}

async fn collect(body: Body, declared: Option<usize>, max: usize) -> Result<Bytes, Failed> {
    let mut too_large = declared.is_some_and(|n| n > max);
    let mut buf = BytesMut::with_capacity(if too_large { 0 } else { declared.unwrap_or(0) });
    let mut seen = 0usize;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(Failed::Broken)?;
        seen += chunk.len();
        if seen > max && !too_large {
            too_large = true;
            buf = BytesMut::new();
        }
        if too_large {
            if seen > DRAIN_BYTES {
                break;
            }
            continue;
        }
        buf.extend_from_slice(&chunk);
    }
    if too_large {
        Err(Failed::TooLarge)
    } else {
        Ok(buf.freeze())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limits(max_body: usize, timeout_ms: u64) -> Limits {
        Limits {
            max_body,
            body_timeout: Duration::from_millis(timeout_ms),
            read_timeout: Duration::from_millis(100),
            ..Limits::default()
        }
    }

    async fn rd(body: Body, h: &HeaderMap, l: &Limits) -> Result<Bytes, ServiceFailure> {
        read(body, h, l, l.max_body, "Send less.").await
    }

    fn chunked(parts: Vec<&'static [u8]>) -> Body {
        Body::from_stream(futures::stream::iter(
            parts.into_iter().map(Ok::<_, std::io::Error>),
        ))
    }

    #[tokio::test]
    async fn bodies_up_to_the_limit_are_read_whole() {
        let b = rd(
            chunked(vec![b"ab", b"cd"]),
            &HeaderMap::new(),
            &limits(4, 1000),
        )
        .await;
        assert_eq!(b.unwrap(), "abcd");
    }

    #[tokio::test]
    async fn over_the_limit_is_413_whether_declared_or_not() {
        let f = rd(
            chunked(vec![b"ab", b"cde"]),
            &HeaderMap::new(),
            &limits(4, 1000),
        )
        .await
        .unwrap_err();
        assert_eq!(f.status.as_u16(), 413);
        assert!(
            f.message.ends_with("limit of 4 bytes. Send less."),
            "{}",
            f.message
        );
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_LENGTH, "5".parse().unwrap());
        let f = rd(Body::from("abcde"), &h, &limits(4, 1000))
            .await
            .unwrap_err();
        assert_eq!(f.status.as_u16(), 413);
    }

    #[tokio::test]
    async fn a_stalled_body_times_out_with_408() {
        let stalled =
            Body::from_stream(futures::stream::pending::<Result<Bytes, std::io::Error>>());
        let f = rd(stalled, &HeaderMap::new(), &limits(4, 50))
            .await
            .unwrap_err();
        assert_eq!((f.status.as_u16(), f.code), (408, "ScoreRequestTimeout"));
    }

    #[tokio::test]
    async fn a_body_cut_off_for_slowness_is_408() {
        let l = limits(4, 10_000);
        let stalled =
            Body::from_stream(futures::stream::pending::<Result<Bytes, std::io::Error>>());
        let guarded = Body::new(crate::serve::http::ReadGuard::new(stalled, l.read_timeout));
        let f = rd(guarded, &HeaderMap::new(), &l).await.unwrap_err();
        assert_eq!((f.status.as_u16(), f.code), (408, "ScoreRequestTimeout"));
        assert!(
            f.message
                .contains("slower than 1024 bytes per second over 100 ms"),
            "{}",
            f.message
        );
    }
}
