//! Carries out a fault: reads the request body as the service would (so that a client still
//! writing gets the answer, not a reset), waits the delay, then answers 503 in the service
//! envelope, 429 with the gateway's rate-limit body, or hangs up through the connection's
//! control (`http.rs`). Nothing is scored or filed: a faulted call has no side effects. The
//! other protocols (`protocols/`) carry faults out the same way with their own 503 envelope.

use super::Fault;
use crate::serve::apim;
use crate::serve::errors::ServiceFailure;
use crate::serve::http::Connection;
use crate::serve::{Limits, ServiceState};
use axum::body::Body;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// The answer to an RRS call that `fault` replaces, after `delay`.
pub async fn answer(
    fault: Fault,
    delay: Duration,
    state: &ServiceState,
    conn: &Connection,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let unavailable = || {
        ServiceFailure::throttled(&state.identity.service, state.max_concurrency).into_response()
    };
    let faulted = Faulted {
        fault,
        delay,
        limits: &state.limits,
        retry_after: state.faults.config().retry_after,
    };
    carry_out(faulted, conn, headers, body, unavailable).await
}

/// A call replaced by a fault: which, after how long, under which body limits, and the
/// `Retry-After` of a 429.
#[derive(Debug, Clone, Copy)]
pub struct Faulted<'a> {
    pub fault: Fault,
    pub delay: Duration,
    pub limits: &'a Limits,
    pub retry_after: u64,
}

/// The answer to a faulted call: `unavailable` makes the 503 of the call's protocol; the 429
/// is the gateway's, whatever the protocol behind it (a gateway is what rate-limits).
pub async fn carry_out(
    f: Faulted<'_>,
    conn: &Connection,
    headers: &HeaderMap,
    body: Body,
    unavailable: impl FnOnce() -> Response,
) -> Response {
    let Faulted {
        fault,
        delay,
        limits,
        retry_after,
    } = f;
    // Whatever the body holds (or however it fails), it is dropped unread by the service.
    let _ = crate::serve::body::read(body, headers, limits, limits.max_body, "").await;
    tokio::time::sleep(delay).await;
    match fault {
        Fault::Unavailable | Fault::StatusUnavailable => unavailable(),
        Fault::RateLimited => apim::rate_limit_response(retry_after),
        Fault::Dropped => {
            if conn.close_now() {
                // The connection task drops this call with the connection: no answer at all.
                return std::future::pending().await;
            }
            ServiceFailure::internal("a dropped connection was asked for outside a connection")
                .into_response()
        }
    }
}
