//! Azure Blob Storage error answers: the status, the `x-ms-error-code` header and the XML body
//! `<Error><Code>..</Code><Message>..</Message></Error>`, with the codes and messages of the REST
//! reference for the cases the blob store meets.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;

#[derive(Debug, Clone)]
pub struct BlobError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// `Content-Range: bytes */SIZE` on 416.
    pub size: Option<u64>,
}

impl BlobError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        BlobError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code,
            message: message.into(),
            size: None,
        }
    }

    pub fn container_not_found() -> Self {
        Self::new(
            404,
            "ContainerNotFound",
            "The specified container does not exist.",
        )
    }

    pub fn blob_not_found() -> Self {
        Self::new(404, "BlobNotFound", "The specified blob does not exist.")
    }

    pub fn already_exists() -> Self {
        Self::new(
            409,
            "BlobAlreadyExists",
            "The specified blob already exists.",
        )
    }

    pub fn condition_not_met() -> Self {
        Self::new(
            412,
            "ConditionNotMet",
            "The condition specified using HTTP conditional header(s) is not met.",
        )
    }

    pub fn auth_failed(why: &str) -> Self {
        Self::new(
            403,
            "AuthenticationFailed",
            format!(
                "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature. {why}"
            ),
        )
    }

    pub fn permission_mismatch() -> Self {
        Self::new(
            403,
            "AuthorizationPermissionMismatch",
            "This request is not authorized to perform this operation using this permission.",
        )
    }

    pub fn invalid_name(what: &str) -> Self {
        Self::new(
            400,
            "InvalidResourceName",
            format!("The specifed resource name contains invalid characters: {what}."),
        )
    }

    pub fn invalid_query(name: &str) -> Self {
        Self::new(
            400,
            "InvalidQueryParameterValue",
            format!(
                "Value for one of the query parameters specified in the request URI is invalid: `{name}`."
            ),
        )
    }

    pub fn unsupported() -> Self {
        Self::new(
            400,
            "UnsupportedHttpVerb",
            "The resource doesn't support the specified HTTP verb or query parameters (not emulated).",
        )
    }

    pub fn too_large(limit: u64) -> Self {
        Self::new(
            413,
            "RequestBodyTooLarge",
            format!(
                "The request body is too large and exceeds the maximum permissible limit of {limit} bytes."
            ),
        )
    }

    pub fn body_failed() -> Self {
        Self::new(
            400,
            "InvalidInput",
            "The request body could not be read to its end.",
        )
    }

    pub fn invalid_range(size: u64) -> Self {
        BlobError {
            size: Some(size),
            ..Self::new(
                416,
                "InvalidRange",
                "The range specified is invalid for the current size of the resource.",
            )
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::new(
            500,
            "InternalError",
            format!("The server encountered an internal error: {e}."),
        )
    }
}

impl IntoResponse for BlobError {
    fn into_response(self) -> Response {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{}</Code><Message>{}</Message></Error>",
            self.code,
            xml_escape(&self.message)
        );
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert("content-type", HeaderValue::from_static("application/xml"));
        headers.insert("x-ms-error-code", HeaderValue::from_static(self.code));
        if let Some(size) = self.size
            && let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}"))
        {
            headers.insert("content-range", v);
        }
        response
    }
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The decoded length of a base64 block id (ids of one blob must all have the same one).
pub fn block_id_len(id: &str) -> usize {
    base64::engine::general_purpose::STANDARD
        .decode(id)
        .map(|b| b.len())
        .unwrap_or(0)
}
