//! Builds the emulator's router from its parts. The service routes (RRS, swagger; BES joins them
//! in `backend`) are always served at the host root, like the real service host, and every
//! answer of theirs carries `x-ms-request-id`. With a gateway, `/{suffix}/...` goes through the
//! API Management layer, which forwards to the same service routes in-process. A blob endpoint
//! would be merged into `build` beside them, outside the gateway.

use super::ServiceState;
use super::apim::{self, Gateway};
use super::errors::ServiceFailure;
use super::{rrs, swagger};
use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Header naming one request, for support cases (its exact name is unconfirmed, §9.10).
pub const REQUEST_ID: &str = "x-ms-request-id";

/// The whole application.
pub fn build(state: Arc<ServiceState>, gateway: Option<Gateway>) -> Router {
    let service = backend(state);
    let mut app = Router::new();
    if let Some(gw) = gateway {
        let path = format!("/{}", gw.suffix());
        app = app.nest_service(&path, apim::router(gw, service.clone()));
    }
    app.merge(service)
}

/// The service routes, with their 404 for paths that are no operation.
pub fn backend(state: Arc<ServiceState>) -> Router {
    Router::new()
        .merge(rrs::routes())
        .merge(swagger::routes())
        .fallback(no_such_operation)
        .method_not_allowed_fallback(no_such_operation)
        .layer(map_response(add_request_id))
        .with_state(state)
}

async fn no_such_operation(req: Request) -> Response {
    ServiceFailure::no_such_operation(req.method().as_str(), req.uri().path()).into_response()
}

async fn add_request_id(mut resp: Response) -> Response {
    let id = request_id();
    resp.headers_mut().insert(
        REQUEST_ID,
        HeaderValue::from_str(&id).expect("a GUID is a valid header value"),
    );
    resp
}

/// A random GUID in the usual 8-4-4-4-12 form (not a secret: fastrand is enough).
fn request_id() -> String {
    let v = fastrand::u128(..);
    let h = format!("{v:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_guids() {
        let id = request_id();
        let parts: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert_ne!(id, request_id());
    }
}
