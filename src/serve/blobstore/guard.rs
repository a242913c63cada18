//! Who may do what to the blob store: a Shared Key `Authorization` header or a service SAS in
//! the query, both checked with the client's own string-to-sign code (`blob::auth`) and a
//! constant-time comparison; a SAS also by expiry, start, resource (`sr`) and permissions
//! (`sp`). Anything else is 403 AuthenticationFailed.

use super::error::BlobError;
use crate::blob::auth::{SasFields, SignedRequest, shared_key_string_to_sign, sign};
use crate::secret::{Secret, ct_eq};
use axum::http::request::Parts;
use std::time::{Duration, SystemTime};

/// A Shared Key request's date may be this far from ours (Azure allows 15 minutes).
const MAX_SKEW: Duration = Duration::from_secs(15 * 60);
/// The oldest SAS version whose string-to-sign layout we check.
const MIN_SAS_VERSION: &str = "2020-12-06";

/// What an operation needs from a SAS.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Need {
    /// `r`: get blob, blob and container properties.
    Read,
    /// `w` or `c`: put blob, put block, put block list.
    Write,
    /// `d`: delete blob.
    Delete,
    /// Creating or deleting a container: Shared Key only.
    KeyOnly,
}

/// The resource a request addresses (names decoded).
pub struct Resource<'a> {
    pub container: &'a str,
    pub blob: Option<&'a str>,
}

pub fn authorize(
    account: &str,
    key: &Secret,
    parts: &Parts,
    query: &[(String, String)],
    resource: &Resource<'_>,
    need: Need,
) -> Result<(), BlobError> {
    if let Some((fields, sig)) = SasFields::from_query(query) {
        if need == Need::KeyOnly {
            return Err(BlobError::permission_mismatch());
        }
        return check_sas(account, key, &fields, &sig, resource, need);
    }
    match parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
    {
        Some(auth) => check_shared_key(account, key, parts, query, auth),
        None => Err(BlobError::auth_failed(
            "The request carries neither an Authorization header nor a SAS.",
        )),
    }
}

fn check_shared_key(
    account: &str,
    key: &Secret,
    parts: &Parts,
    query: &[(String, String)],
    auth: &str,
) -> Result<(), BlobError> {
    let Some((who, sig)) = auth
        .strip_prefix("SharedKey ")
        .and_then(|rest| rest.trim().split_once(':'))
    else {
        return Err(BlobError::auth_failed(
            "Only the SharedKey scheme is supported.",
        ));
    };
    if who != account {
        return Err(BlobError::auth_failed(
            "The account in the Authorization header is not this one.",
        ));
    }
    check_date(parts)?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in &parts.headers {
        let value = value
            .to_str()
            .map_err(|_| BlobError::auth_failed("A header is not ASCII."))?;
        match headers.iter_mut().find(|(n, _)| n == name.as_str()) {
            Some((_, v)) => {
                v.push(',');
                v.push_str(value);
            }
            None => headers.push((name.as_str().to_string(), value.to_string())),
        }
    }
    let signed = SignedRequest {
        method: parts.method.as_str(),
        headers,
        path: parts.uri.path(),
        query: query.to_vec(),
    };
    let expected =
        sign(key, &shared_key_string_to_sign(account, &signed)).map_err(BlobError::internal)?;
    if ct_eq(expected.as_bytes(), sig.as_bytes()) {
        Ok(())
    } else {
        Err(BlobError::auth_failed(
            "The MAC signature found in the HTTP request is not the same as any computed signature.",
        ))
    }
}

fn check_date(parts: &Parts) -> Result<(), BlobError> {
    let text = ["x-ms-date", "date"]
        .iter()
        .find_map(|h| parts.headers.get(*h).and_then(|v| v.to_str().ok()))
        .ok_or_else(|| BlobError::auth_failed("The request has no x-ms-date or Date header."))?;
    let when = httpdate::parse_http_date(text)
        .map_err(|_| BlobError::auth_failed("The x-ms-date header is not an HTTP date."))?;
    let now = SystemTime::now();
    let skew = now
        .duration_since(when)
        .or_else(|_| when.duration_since(now))
        .unwrap_or_default();
    if skew > MAX_SKEW {
        return Err(BlobError::auth_failed(
            "The request date is more than 15 minutes away from the server's.",
        ));
    }
    Ok(())
}

fn check_sas(
    account: &str,
    key: &Secret,
    fields: &SasFields,
    sig: &str,
    resource: &Resource<'_>,
    need: Need,
) -> Result<(), BlobError> {
    if fields.version.as_str() < MIN_SAS_VERSION {
        return Err(BlobError::auth_failed(
            "This emulator checks SAS versions 2020-12-06 and later.",
        ));
    }
    if !fields.identifier.is_empty() {
        return Err(BlobError::auth_failed(
            "Stored access policies (si) are not emulated.",
        ));
    }
    let canonical = match (fields.resource.as_str(), resource.blob) {
        ("b", Some(blob)) => format!("/blob/{account}/{}/{blob}", resource.container),
        ("c", _) => format!("/blob/{account}/{}", resource.container),
        _ => {
            return Err(BlobError::auth_failed(
                "The signed resource (sr) does not fit the request.",
            ));
        }
    };
    let expected = sign(key, &fields.string_to_sign(&canonical)).map_err(BlobError::internal)?;
    if !ct_eq(expected.as_bytes(), sig.as_bytes()) {
        return Err(BlobError::auth_failed("Signature did not match."));
    }
    check_window(fields)?;
    let has = |c: char| fields.permissions.contains(c);
    let allowed = match need {
        Need::Read => has('r'),
        Need::Write => has('w') || has('c'),
        Need::Delete => has('d'),
        Need::KeyOnly => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(BlobError::permission_mismatch())
    }
}

fn check_window(fields: &SasFields) -> Result<(), BlobError> {
    let parse = |s: &str| {
        azure_core::time::parse_rfc3339(s)
            .map(SystemTime::from)
            .map_err(|_| {
                BlobError::auth_failed("A signed time (st, se) is not an ISO 8601 UTC time.")
            })
    };
    let now = SystemTime::now();
    let expiry = parse(&fields.expiry)?;
    let started = fields.start.is_empty() || parse(&fields.start)? <= now;
    if now >= expiry || !started {
        return Err(BlobError::auth_failed(&format!(
            "Signature not valid in the specified time frame: Start [{}] - Expiry [{}] - Current [{}].",
            fields.start,
            fields.expiry,
            httpdate::fmt_http_date(now)
        )));
    }
    Ok(())
}
