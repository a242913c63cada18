//! Builds the emulator's router from its parts. The service routes (RRS, BES, swagger) are
//! always served at the host root, like the real service host, and every answer of theirs
//! carries `x-ms-request-id`. With a gateway, `/{suffix}/...` goes through the API Management
//! layer, which forwards to the same service routes in-process. The blob endpoint sits beside
//! them at `/{account}/...`, outside the gateway; the account may not be the first segment of
//! the service routes or of the gateway suffix. The request log, when wanted, wraps it all.

use super::ServiceState;
use super::apim::{self, Gateway};
use super::blobstore::{self, BlobStore};
use super::errors::ServiceFailure;
use super::reqlog::{self, RequestLog};
use super::{bes, rrs, swagger};
use anyhow::{Result, bail};
use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::{from_fn_with_state, map_response};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Header naming one request, for support cases (its exact name is unconfirmed, §9.10).
pub const REQUEST_ID: &str = "x-ms-request-id";

/// The first path segment of the service routes.
pub const SERVICE_ROOT: &str = "workspaces";

/// The whole application.
pub fn build(
    state: Arc<ServiceState>,
    gateway: Option<Gateway>,
    store: Arc<BlobStore>,
    log: Option<Arc<RequestLog>>,
) -> Result<Router> {
    let account = store.account().to_string();
    if account == SERVICE_ROOT {
        bail!(
            "the storage account may not be named `{SERVICE_ROOT}`: the service routes are there"
        );
    }
    let service = backend(state);
    let mut app = Router::new();
    if let Some(gw) = gateway {
        if gw.suffix().split('/').next() == Some(account.as_str()) {
            bail!(
                "the API URL suffix `{}` would hide the blob endpoint of account `{account}`",
                gw.suffix()
            );
        }
        let path = format!("/{}", gw.suffix());
        app = app.nest_service(&path, apim::router(gw, service.clone()));
    }
    let app = app.merge(blobstore::router(store)).merge(service);
    Ok(logged(app, log))
}

/// `app` wrapped in the request log, when there is one.
pub fn logged(app: Router, log: Option<Arc<RequestLog>>) -> Router {
    match log {
        Some(log) => app.layer(from_fn_with_state(log, reqlog::record)),
        None => app,
    }
}

/// The service routes, with their 404 for paths that are no operation.
pub fn backend(state: Arc<ServiceState>) -> Router {
    Router::new()
        .merge(rrs::routes())
        .merge(bes::routes())
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
pub fn request_id() -> String {
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
