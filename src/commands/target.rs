//! Which service a command talks to: the protocol (`--protocol`, else from the URL,
//! `spec/adapters.md` "The protocol from the URL") and its URL (`--url`, or for classic the
//! service settings), and the client options for it.

use crate::protocol::{self, Kind};
use crate::settings::{Settings, parse_http_url, parse_service_url};
use anyhow::Result;
use url::Url;

/// A protocol and where it is served.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: Kind,
    /// The scoring URL; for classic, the service root `.../workspaces/W/services/S`.
    pub url: Url,
}

impl Target {
    pub fn resolve(settings: &Settings) -> Result<Self> {
        let Some(given) = settings.url.as_deref() else {
            return match settings.protocol {
                None | Some(Kind::Classic) => Ok(Target {
                    kind: Kind::Classic,
                    url: settings.service_root()?,
                }),
                Some(k) => Err(crate::usage!(
                    "`--protocol {}` needs the scoring URL: pass `--url URL`, set `MLWS_URL` or the profile's `url`",
                    k.name()
                )),
            };
        };
        let url = parse_http_url("--url", given)?;
        let kind = match settings.protocol.or_else(|| protocol::detect(&url)) {
            Some(k) => k,
            None => {
                return Err(crate::usage!(
                    "cannot tell the protocol of `{}` from its path; pass `--protocol mlflow|azureml|v2|kserve-v1|classic`",
                    crate::secret::mask_secrets(url.as_str())
                ));
            }
        };
        let url = match kind {
            Kind::Classic => parse_service_url(given)?,
            k => protocol::endpoint(k, &url)?,
        };
        Ok(Target { kind, url })
    }
}

/// The client's options for a target: the classic service's (API key required but for a dry
/// run), or a model server's (no key required; errors name the URL; a repeated 500 is the
/// model refusing the data where the protocol says so).
pub fn client_options(
    settings: &Settings,
    trace_level: u8,
    target: &Target,
) -> Result<crate::client::ClientOptions> {
    let classic = target.kind == Kind::Classic;
    if classic && !settings.dry_run {
        settings.require_credentials()?;
    }
    let tries = settings
        .timeout
        .saturating_mul(settings.retries.saturating_add(1));
    Ok(crate::client::ClientOptions {
        api_key: settings.api_key.clone(),
        subscription_key: settings.subscription_key.clone(),
        api_version: settings.api_version.clone(),
        timeout: settings.timeout,
        retries: settings.retries,
        deadline: Some(
            tries
                .saturating_add(std::time::Duration::from_secs(60))
                .max(std::time::Duration::from_secs(600)),
        ),
        dry_run: settings.dry_run,
        trace_level,
        headers: settings.headers.clone(),
        deployment: settings.deployment.clone(),
        refuses_with_500: target.kind.refuses_with_500(),
        model_server: !classic,
        token: settings
            .token_command
            .clone()
            .map(|c| std::sync::Arc::new(crate::client::TokenSource::new(c))),
        ..crate::client::ClientOptions::new(target.url.clone())
    })
}
