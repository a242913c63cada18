//! The OpenAPI 3.0 document of a service's API, for `az apim api import --specification-format
//! OpenApiJson` (`spec/cli.md` "API Management as code"). What every protocol shares lives here:
//! the document's frame (title, `servers` = the backend, the subscription key as two `apiKey`
//! security schemes, header and query, `protocol.md` §6.2) and the gateway's own answers
//! (401, 403, 404, 429 with `Retry-After`, §6.3). The operations are in `classic.rs` (the five
//! of the documentation) and `models.rs` (the model servers of `spec/adapters.md`). Built with
//! the `openapiv3` model, which writes OpenAPI 3.0.x (API Management imports 3.0).

mod build;
mod classic;
mod models;

use crate::protocol::{Kind, Schema};
use anyhow::{Result, bail};
use build::{S, integer, object, response, string, with_header};
use indexmap::IndexMap;
use openapiv3::{
    APIKeyLocation, Components, Info, OpenAPI, Operation, Parameter, PathItem, Paths, ReferenceOr,
    SecurityScheme, Server,
};
use url::Url;

/// The OpenAPI version written: the last of 3.0, which API Management imports.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// The subscription key's security schemes (`protocol.md` §6.2).
pub const KEY_HEADER_SCHEME: &str = "subscriptionKeyHeader";
pub const KEY_QUERY_SCHEME: &str = "subscriptionKeyQuery";

/// The gateway's own answers, referenced by every operation (`protocol.md` §6.3).
const GATEWAY_RESPONSES: &[(u16, &str)] = &[
    (401, "GatewayUnauthorized"),
    (403, "GatewayQuotaExceeded"),
    (404, "GatewayNotFound"),
    (429, "GatewayRateLimited"),
];

/// What the document is made from.
#[derive(Debug, Clone)]
pub struct Export<'a> {
    pub kind: Kind,
    /// Classic: the service root `.../workspaces/W/services/S`; others: the scoring URL.
    pub url: &'a Url,
    /// `--title`; by default one naming the protocol.
    pub title: Option<&'a str>,
    /// What the service publishes about itself, when it could be read.
    pub schema: Option<&'a Schema>,
    /// `--deployment` (Azure ML): the example of the `azureml-model-deployment` header.
    pub deployment: Option<&'a str>,
}

/// The document being built: paths in order, and the named schemas and parameters.
#[derive(Default)]
struct Doc {
    paths: IndexMap<String, PathItem>,
    schemas: IndexMap<String, S>,
    parameters: IndexMap<String, ReferenceOr<Parameter>>,
}

impl Doc {
    fn schema(&mut self, name: &str, s: S) {
        self.schemas.insert(name.to_string(), s);
    }

    fn parameter(&mut self, name: &str, p: Parameter) {
        self.parameters
            .insert(name.to_string(), ReferenceOr::Item(p));
    }

    /// Adds `op` at `path` for `method` (`get`, `post`, `delete`).
    fn op(&mut self, path: &str, method: &str, op: Operation) {
        let item = self.paths.entry(path.to_string()).or_default();
        let slot = match method {
            "get" => &mut item.get,
            "post" => &mut item.post,
            "delete" => &mut item.delete,
            other => unreachable!("no operation uses `{other}`"),
        };
        *slot = Some(op);
    }
}

/// The OpenAPI document of the API in front of `e.url`.
pub fn document(e: &Export<'_>) -> Result<OpenAPI> {
    let mut doc = Doc::default();
    let (server, title, description) = match e.kind {
        Kind::Classic => classic::add(&mut doc, e)?,
        _ => models::add(&mut doc, e)?,
    };
    gateway_parts(&mut doc);
    let security = [KEY_HEADER_SCHEME, KEY_QUERY_SCHEME]
        .iter()
        .map(|s| IndexMap::from([(s.to_string(), Vec::new())]))
        .collect();
    Ok(OpenAPI {
        openapi: OPENAPI_VERSION.to_string(),
        info: Info {
            title: e.title.map_or(title, str::to_string),
            description: Some(description),
            version: "2.0".to_string(),
            ..Info::default()
        },
        servers: vec![Server {
            url: server,
            description: Some("The backend service (the API's web service URL)".into()),
            ..Server::default()
        }],
        paths: Paths {
            paths: doc
                .paths
                .into_iter()
                .map(|(k, v)| (k, ReferenceOr::Item(v)))
                .collect(),
            ..Paths::default()
        },
        components: Some(Components {
            schemas: doc.schemas,
            parameters: doc.parameters,
            responses: gateway_responses(),
            security_schemes: security_schemes(),
            ..Components::default()
        }),
        security: Some(security),
        ..OpenAPI::default()
    })
}

/// `scheme://host[:port]` followed by `path` (no trailing slash): the backend of `servers`.
fn origin_with(url: &Url, path: &str) -> Result<String> {
    let Some(host) = url.host_str() else {
        bail!("`{url}` has no host");
    };
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!(
        "{}://{host}{port}{}",
        url.scheme(),
        path.trim_end_matches('/')
    ))
}

fn security_schemes() -> IndexMap<String, ReferenceOr<SecurityScheme>> {
    let scheme = |location, name: &str, description: &str| {
        ReferenceOr::Item(SecurityScheme::APIKey {
            location,
            name: name.to_string(),
            description: Some(description.to_string()),
            extensions: IndexMap::new(),
        })
    };
    IndexMap::from([
        (
            KEY_HEADER_SCHEME.to_string(),
            scheme(
                APIKeyLocation::Header,
                "Ocp-Apim-Subscription-Key",
                "The API Management subscription key, in a header",
            ),
        ),
        (
            KEY_QUERY_SCHEME.to_string(),
            scheme(
                APIKeyLocation::Query,
                "subscription-key",
                "The API Management subscription key, as a query parameter (read only when the header is absent)",
            ),
        ),
    ])
}

/// The gateway's error body `{ "statusCode": N, "message": "..." }`.
fn gateway_parts(doc: &mut Doc) {
    doc.schema(
        "GatewayError",
        object(
            vec![("statusCode", integer()), ("message", string())],
            &["statusCode", "message"],
        ),
    );
}

fn gateway_responses() -> IndexMap<String, ReferenceOr<openapiv3::Response>> {
    let err = || Some(build::sref("GatewayError"));
    let retry = |r| {
        with_header(
            r,
            "Retry-After",
            "Seconds to wait before calling again",
            integer(),
        )
    };
    [
        (
            "GatewayUnauthorized",
            response(
                "The gateway's: a missing or invalid subscription key (or the service's own 401)",
                err(),
            ),
        ),
        (
            "GatewayQuotaExceeded",
            retry(response("The gateway's: out of call volume quota", err())),
        ),
        (
            "GatewayNotFound",
            response("The gateway's: no operation matches the request", err()),
        ),
        (
            "GatewayRateLimited",
            retry(response("The gateway's: rate limit exceeded", err())),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), ReferenceOr::Item(v)))
    .collect()
}

#[cfg(test)]
mod tests;
