//! The checks every service operation makes before its own work, in this order: the endpoint
//! exists (404), the API key (401, `protocol.md` §2), the `api-version` (400, §1.3), then the
//! query options it understands (`details`, `format`). RRS uses them; BES will too. Knows
//! nothing of bodies, the experiment or the gateway.

use super::Identity;
use super::errors::ServiceFailure;
use crate::secret::Secret;
use axum::http::{HeaderMap, header};

/// The only `api-version` the service accepts.
pub const API_VERSION: &str = "2.0";

/// The query options of a service call that passed the checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// `details=true`: `ColumnNames` and `ColumnTypes` in table outputs (§3.4).
    pub details: bool,
    /// `format=swagger`: rows as objects in and out (§3.2, §3.5).
    pub swagger: bool,
}

/// Runs the checks for a call to workspace `ws`, service `svc`.
pub fn check_call(
    id: &Identity,
    ws: &str,
    svc: &str,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<CallOptions, ServiceFailure> {
    check_endpoint(id, ws, svc)?;
    if !authorized(id, headers) {
        return Err(ServiceFailure::unauthorized());
    }
    parse_query(query.unwrap_or(""))
}

/// 404 unless `ws`/`svc` name this service. Ids are GUIDs, which .NET compares in any case.
pub fn check_endpoint(id: &Identity, ws: &str, svc: &str) -> Result<(), ServiceFailure> {
    if ws.eq_ignore_ascii_case(&id.workspace) && svc.eq_ignore_ascii_case(&id.service) {
        Ok(())
    } else {
        Err(ServiceFailure::service_not_found())
    }
}

fn authorized(id: &Identity, headers: &HeaderMap) -> bool {
    bearer_matches(&id.api_key, headers)
}

/// `Authorization: Bearer KEY`, header name and scheme in any case (the `azureml` Python
/// package sends `authorization: bearer ...`), the key compared in constant time.
pub fn bearer_matches(key: &Secret, headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    match value.trim().split_once(|c: char| c.is_ascii_whitespace()) {
        Some((scheme, token)) => scheme.eq_ignore_ascii_case("bearer") && key.ct_eq(token.trim()),
        None => false,
    }
}

/// Reads `api-version`, `details` and `format` (names in any case, the first of repeats wins).
/// Other parameters are ignored: a gateway forwards its `subscription-key` query parameter.
fn parse_query(query: &str) -> Result<CallOptions, ServiceFailure> {
    let mut version = None;
    let mut details = None;
    let mut format = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let slot = if name.eq_ignore_ascii_case("api-version") {
            &mut version
        } else if name.eq_ignore_ascii_case("details") {
            &mut details
        } else if name.eq_ignore_ascii_case("format") {
            &mut format
        } else {
            continue;
        };
        if slot.is_none() {
            *slot = Some(value.into_owned());
        }
    }
    if version.as_deref().map(str::trim) != Some(API_VERSION) {
        return Err(ServiceFailure::bad_version(version.as_deref()));
    }
    let details = match details.as_deref().map(str::trim) {
        None | Some("") => false,
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        Some(_) => {
            return Err(ServiceFailure::invalid_query(
                "details",
                "Expected 'true' or 'false'.",
            ));
        }
    };
    let swagger = match format.as_deref().map(str::trim) {
        None | Some("") => false,
        Some(v) if v.eq_ignore_ascii_case("swagger") => true,
        Some(_) => {
            return Err(ServiceFailure::invalid_query(
                "format",
                "The only supported format is 'swagger'.",
            ));
        }
    };
    Ok(CallOptions { details, swagger })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn id() -> Identity {
        Identity {
            workspace: "ws0".into(),
            service: "svc0".into(),
            api_key: Secret::new("k=="),
            subscription_key: None,
        }
    }

    fn auth(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(v).unwrap());
        h
    }

    fn code(r: Result<CallOptions, ServiceFailure>) -> &'static str {
        r.unwrap_err().code
    }

    #[test]
    fn checks_run_in_order_404_401_400() {
        let q = Some("api-version=2.0");
        let good = auth("Bearer k==");
        assert_eq!(
            code(check_call(&id(), "nope", "svc0", &good, q)),
            "WebServiceNotFound"
        );
        assert_eq!(
            code(check_call(&id(), "ws0", "svc0", &HeaderMap::new(), None)),
            "ScoreRequestUnauthorized"
        );
        assert_eq!(
            code(check_call(&id(), "ws0", "svc0", &good, None)),
            "BadVersionCall"
        );
        let bad = check_call(&id(), "ws0", "svc0", &good, Some("api-version=1.0")).unwrap_err();
        assert!(bad.message.contains(": 1.0."), "{}", bad.message);
        assert!(check_call(&id(), "WS0", "SVC0", &good, q).is_ok());
    }

    #[test]
    fn bearer_scheme_and_key_are_checked() {
        let q = Some("api-version=2.0");
        for ok in ["Bearer k==", "bearer k==", "BEARER   k== "] {
            assert!(
                check_call(&id(), "ws0", "svc0", &auth(ok), q).is_ok(),
                "{ok}"
            );
        }
        for bad in ["Bearer k=", "Basic k==", "k==", "Bearer", "Bearer K=="] {
            assert_eq!(
                code(check_call(&id(), "ws0", "svc0", &auth(bad), q)),
                "ScoreRequestUnauthorized",
                "{bad}"
            );
        }
    }

    #[test]
    fn query_options_are_parsed() {
        let p = |q: &str| parse_query(q);
        assert_eq!(p("api-version=2.0").unwrap(), CallOptions::default());
        let o = p("API-Version=2.0&details=TRUE&format=swagger&subscription-key=x").unwrap();
        assert!(o.details && o.swagger);
        assert!(!p("api-version=2.0&details=false").unwrap().details);
        assert_eq!(
            p("api-version=2.0&format=csv").unwrap_err().code,
            "InvalidQueryParameter"
        );
        assert_eq!(
            p("api-version=2.0&details=yes").unwrap_err().code,
            "InvalidQueryParameter"
        );
        assert_eq!(p("api-version=").unwrap_err().code, "BadVersionCall");
    }
}
