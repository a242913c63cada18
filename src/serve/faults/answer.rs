//! Carries out a fault: reads the request body as the service would (so that a client still
//! writing gets the answer, not a reset), waits the delay, then answers 503 in the service
//! envelope, 429 with the gateway's rate-limit body, or hangs up through the connection's
//! control (`http.rs`). Nothing is scored or filed: a faulted call has no side effects.

use super::Fault;
use crate::serve::ServiceState;
use crate::serve::apim;
use crate::serve::errors::ServiceFailure;
use crate::serve::http::Connection;
use axum::body::Body;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// The answer to a call that `fault` replaces, after `delay`.
pub async fn answer(
    fault: Fault,
    delay: Duration,
    state: &ServiceState,
    conn: &Connection,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    // Whatever the body holds (or however it fails), it is dropped unread by the service.
    let l = &state.limits;
    let _ = crate::serve::body::read(body, headers, l, l.max_body, "").await;
    tokio::time::sleep(delay).await;
    match fault {
        Fault::Unavailable | Fault::StatusUnavailable => {
            ServiceFailure::throttled(&state.identity.service, state.max_concurrency)
                .into_response()
        }
        Fault::RateLimited => apim::rate_limit_response(state.faults.config().retry_after),
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
