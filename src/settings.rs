//! Resolves flags > environment > selected profile > defaults into validated, typed `Settings`,
//! remembering where each value came from (for `config list --show-origin`). Keys given as
//! `@FILE` or `-` are read here. Knows clap's `GlobalArgs` but nothing of HTTP.

use crate::cli::{GlobalArgs, OutputFormat};
use crate::config::ConfigFile;
use crate::env;
use crate::secret::Secret;
use crate::usage;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;
use url::Url;

pub const DEFAULT_API_VERSION: &str = "2.0";
pub const DEFAULT_CONTAINER: &str = "mlws";
pub const DEFAULT_TIMEOUT_SECS: f64 = 100.0;
pub const DEFAULT_RETRIES: u32 = 5;

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Env(&'static str),
    Profile(String),
    Default,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag => f.write_str("flag"),
            Origin::Env(name) => write!(f, "env {name}"),
            Origin::Profile(p) => write!(f, "profile {p}"),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// Everything a command needs from flags, env and config.
#[derive(Debug, Clone)]
pub struct Settings {
    pub verbosity: u8,
    pub quiet: bool,
    pub dry_run: bool,
    pub timeout: Duration,
    pub retries: u32,
    pub output_format: Option<OutputFormat>,
    pub config_path: PathBuf,
    /// The selected profile (explicit, `default_profile`, or `default` when present).
    pub profile: Option<String>,
    pub base_url: Option<String>,
    pub workspace: Option<String>,
    pub service: Option<String>,
    pub service_url: Option<String>,
    pub api_key: Option<Secret>,
    pub subscription_key: Option<Secret>,
    pub api_version: String,
    pub storage_connection_string: Option<Secret>,
    pub container: String,
    /// `--protocol`; `None`: from the URL.
    pub protocol: Option<crate::protocol::Kind>,
    /// `--url`: the scoring URL of any protocol.
    pub url: Option<String>,
    /// `--header NAME: VALUE`, values secret.
    pub headers: Vec<(String, Secret)>,
    /// `--deployment`.
    pub deployment: Option<String>,
    /// `--token-command`.
    pub token_command: Option<String>,
    /// `MLWS_BLOCK_SIZE`: the block size of `bes run`'s uploads, for tests.
    pub block_size: Option<usize>,
    /// Origin of each setting by its profile key name.
    pub origins: BTreeMap<&'static str, Origin>,
}

/// Reads an environment variable; empty counts as unset.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Settings {
    /// Resolves the settings from the global flags, the environment and the config file.
    pub fn resolve(g: &GlobalArgs) -> Result<Self> {
        let (config_path, _) = Self::config_path(g)?;
        let file = ConfigFile::load(&config_path)?;
        let (profile, profile_explicit) =
            match (&g.profile, env_var(env::PROFILE), &file.default_profile) {
                (Some(p), _, _) => (Some(p.clone()), true),
                (None, Some(p), _) => (Some(p), true),
                (None, None, Some(p)) => (Some(p.clone()), true),
                (None, None, None) => (Some("default".to_string()), false),
            };
        let table = match &profile {
            Some(p) => match file.profile(p) {
                Some(t) => Some(t.clone()),
                None if profile_explicit => {
                    let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
                    return Err(usage!(
                        "unknown profile `{p}` in `{}` (profiles: {})",
                        config_path.display(),
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ));
                }
                None => None,
            },
            None => None,
        };
        let profile = if table.is_some() || profile_explicit {
            profile
        } else {
            None
        };
        let mut origins = BTreeMap::new();
        let mut pick =
            |key: &'static str, flag: &Option<String>, envs: &[&'static str]| -> Option<String> {
                if let Some(v) = flag {
                    origins.insert(key, Origin::Flag);
                    return Some(v.clone());
                }
                for name in envs {
                    if let Some(v) = env_var(name) {
                        origins.insert(key, Origin::Env(name));
                        return Some(v);
                    }
                }
                if let (Some(t), Some(p)) = (&table, &profile)
                    && let Some(v) = t.get(key)
                {
                    origins.insert(key, Origin::Profile(p.clone()));
                    return Some(v.clone());
                }
                None
            };
        let base_url = pick("base_url", &g.base_url, &[env::BASE_URL]);
        let workspace = pick("workspace", &g.workspace, &[env::WORKSPACE]);
        let service = pick("service", &g.service, &[env::SERVICE]);
        let service_url = pick("service_url", &g.service_url, &[env::SERVICE_URL]);
        let api_key = pick("api_key", &g.api_key, &[env::API_KEY]);
        let subscription_key = pick(
            "subscription_key",
            &g.subscription_key,
            &[env::SUBSCRIPTION_KEY],
        );
        let api_version = pick("api_version", &g.api_version, &[env::API_VERSION]);
        let storage = pick(
            "storage_connection_string",
            &g.storage_connection_string,
            &[
                env::STORAGE_CONNECTION_STRING,
                env::AZURE_STORAGE_CONNECTION_STRING,
            ],
        );
        let container = pick("container", &g.container, &[env::CONTAINER]);
        let protocol_flag = g
            .protocol
            .map(|p| crate::protocol::Kind::from_cli(p).name().to_string());
        let protocol = pick("protocol", &protocol_flag, &[env::PROTOCOL]);
        let url = pick("url", &g.url, &[env::URL]);
        let deployment = pick("deployment", &g.deployment, &[env::DEPLOYMENT]);
        let token_command = pick("token_command", &g.token_command, &[env::TOKEN_COMMAND]);
        for key in ["api_version", "container"] {
            origins.entry(key).or_insert(Origin::Default);
        }

        let mut stdin_used = None;
        let api_key = read_secret("api_key", api_key, &mut stdin_used)?;
        let subscription_key = read_secret("subscription_key", subscription_key, &mut stdin_used)?;
        let storage_connection_string =
            read_secret("storage_connection_string", storage, &mut stdin_used)?;

        let timeout = g.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS);
        if !(timeout.is_finite() && timeout > 0.0) {
            return Err(usage!(
                "`--timeout` must be a positive number of seconds, not `{timeout}`"
            ));
        }
        let container = container.unwrap_or_else(|| DEFAULT_CONTAINER.to_string());
        validate_container(&container)?;
        let api_version = api_version.unwrap_or_else(|| DEFAULT_API_VERSION.to_string());
        if api_version.is_empty()
            || api_version.contains(|c: char| c.is_whitespace() || c == '&' || c == '#')
        {
            return Err(usage!("`{api_version}` is not an api-version"));
        }
        let protocol = protocol.map(|p| parse_protocol(&p)).transpose()?;
        let block_size = env_var(env::BLOCK_SIZE)
            .map(|v| parse_block_size(&v))
            .transpose()?;
        let mut headers = g
            .header
            .iter()
            .map(|h| parse_header(h))
            .collect::<Result<Vec<_>>>()?;
        // The profile's `headers` table, unless a flag gives the same header.
        if let Some(t) = &table {
            for (name, value) in &t.headers {
                if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                    headers.push((name.clone(), Secret::new(value.clone())));
                }
            }
        }
        Ok(Settings {
            protocol,
            url,
            headers,
            deployment,
            token_command,
            block_size,
            verbosity: g.verbose,
            quiet: g.quiet,
            dry_run: g.dry_run,
            timeout: Duration::from_secs_f64(timeout),
            retries: g.retries.unwrap_or(DEFAULT_RETRIES),
            output_format: g.output_format,
            config_path,
            profile,
            base_url,
            workspace,
            service,
            service_url,
            api_key,
            subscription_key,
            api_version,
            storage_connection_string,
            container,
            origins,
        })
    }

    /// The config file path and where it came from.
    pub fn config_path(g: &GlobalArgs) -> Result<(PathBuf, Origin)> {
        if let Some(p) = &g.config {
            return Ok((p.clone(), Origin::Flag));
        }
        if let Some(p) = env_var(env::CONFIG) {
            return Ok((PathBuf::from(p), Origin::Env(env::CONFIG)));
        }
        let p = crate::config::default_path().ok_or_else(|| {
            usage!("no config directory on this system: pass `--config FILE` or set `MLWS_CONFIG`")
        })?;
        Ok((p, Origin::Default))
    }

    /// The service root `.../workspaces/W/services/S` (no trailing slash, no query), from
    /// `--service-url` or from base URL + workspace + service.
    pub fn service_root(&self) -> Result<Url> {
        if let Some(u) = &self.service_url {
            return parse_service_url(u);
        }
        let missing: Vec<&str> = [
            ("--base-url", &self.base_url),
            ("--workspace", &self.workspace),
            ("--service", &self.service),
        ]
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
        if !missing.is_empty() {
            return Err(usage!(
                "no service to call: set {} (or `--service-url`), as flags, `MLWS_*` variables or profile keys",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let base = parse_http_url("--base-url", self.base_url.as_deref().unwrap_or_default())?;
        let ws = self.workspace.as_deref().unwrap_or_default();
        let svc = self.service.as_deref().unwrap_or_default();
        for (name, v) in [("workspace", ws), ("service", svc)] {
            if v.is_empty()
                || !v
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(usage!(
                    "`{v}` is not a {name} id (letters, digits, `-` and `_`)"
                ));
            }
        }
        let mut root = base;
        root.set_query(None);
        root.set_fragment(None);
        let path = format!(
            "{}/workspaces/{ws}/services/{svc}",
            root.path().trim_end_matches('/')
        );
        root.set_path(&path);
        Ok(root)
    }

    /// An API key, a token command or a subscription key (an API Management gateway whose
    /// policy sets the service's `Authorization` needs only that, `spec/cli.md` "API Management
    /// as code"), or a usage error saying how to set one.
    pub fn require_credentials(&self) -> Result<()> {
        if self.token_command.is_some() || self.subscription_key.is_some() {
            return Ok(());
        }
        self.require_api_key().map(|_| ())
    }

    /// The API key, or a usage error saying how to set it.
    pub fn require_api_key(&self) -> Result<&Secret> {
        self.api_key
            .as_ref()
            .ok_or_else(|| usage!("no API key: pass `--api-key KEY` (or `@FILE`, `-`), set `MLWS_API_KEY`, or `mlws config set api_key ...`"))
    }

    /// The storage connection string, or a usage error saying how to set it.
    pub fn require_storage(&self) -> Result<&Secret> {
        self.storage_connection_string.as_ref().ok_or_else(|| {
            usage!("no storage connection string: pass `--storage-connection-string CS`, set `MLWS_STORAGE_CONNECTION_STRING` or `AZURE_STORAGE_CONNECTION_STRING`")
        })
    }
}

/// A protocol name of `MLWS_PROTOCOL` or a profile (the flag is checked by clap).
fn parse_protocol(s: &str) -> Result<crate::protocol::Kind> {
    use crate::protocol::Kind;
    [
        Kind::Classic,
        Kind::Mlflow,
        Kind::AzureMl,
        Kind::V2,
        Kind::KserveV1,
    ]
    .into_iter()
    .find(|k| k.name() == s.trim())
    .ok_or_else(|| usage!("`{s}` is not a protocol (classic, mlflow, azureml, v2, kserve-v1)"))
}

/// `NAME: VALUE` of `--header`; the value is a secret (it may be a token).
fn parse_header(h: &str) -> Result<(String, Secret)> {
    match h.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() && !name.trim().contains(' ') => {
            Ok((name.trim().to_string(), Secret::new(value.trim())))
        }
        _ => Err(usage!(
            "a value given to `--header` is not `NAME: VALUE` (the value is not shown: it may be a secret)"
        )),
    }
}

/// `@FILE` reads the file, `-` reads stdin (once), anything else is the key itself.
fn read_secret(
    key: &str,
    value: Option<String>,
    stdin_used: &mut Option<&'static str>,
) -> Result<Option<Secret>> {
    let Some(v) = value else { return Ok(None) };
    let text = if v == "-" {
        if let Some(other) = stdin_used {
            return Err(usage!(
                "both `{other}` and `{key}` are to be read from stdin; only one can be"
            ));
        }
        *stdin_used = Some(match key {
            "api_key" => "api_key",
            "subscription_key" => "subscription_key",
            _ => "storage_connection_string",
        });
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .with_context(|| format!("cannot read `{key}` from stdin"))?;
        s
    } else if let Some(path) = v.strip_prefix('@') {
        std::fs::read_to_string(path)
            .map_err(|e| usage!("cannot read `{key}` from `{path}`: {e}"))?
    } else {
        v
    };
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(usage!("`{key}` is empty"));
    }
    Ok(Some(Secret::new(text)))
}

fn validate_container(name: &str) -> Result<()> {
    // Azure container names: 3-63 chars, lowercase letters, digits and single hyphens.
    let ok = (3..=63).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    if ok || name == "$root" {
        Ok(())
    } else {
        Err(usage!(
            "`{name}` is not a container name (3-63 lowercase letters, digits and single hyphens)"
        ))
    }
}

/// `MLWS_BLOCK_SIZE`: bytes, 1024 to Azure's 4000 MiB block limit.
fn parse_block_size(v: &str) -> Result<usize> {
    match v.trim().parse::<usize>() {
        Ok(n) if (1024..=4000 << 20).contains(&n) => Ok(n),
        _ => Err(usage!(
            "`{}` is `{v}`, not a block size from 1024 to 4194304000 bytes",
            env::BLOCK_SIZE
        )),
    }
}

pub fn parse_http_url(flag: &str, s: &str) -> Result<Url> {
    let shown = without_userinfo(s);
    let url = Url::parse(s.trim())
        .map_err(|e| usage!("`{shown}` given to `{flag}` is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(usage!("`{shown}` given to `{flag}` is not an http(s) URL"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(usage!("`{shown}` given to `{flag}` has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(usage!(
            "`{flag}` must not carry credentials in the URL; use `--api-key`"
        ));
    }
    Ok(url)
}

/// `s` with any `user:password@` of its authority shown as `***@`, for messages (found by
/// fuzzing: a URL refused for its scheme was quoted with its password).
fn without_userinfo(s: &str) -> std::borrow::Cow<'_, str> {
    let Some(start) = s.find("://").map(|i| i + 3) else {
        return s.into();
    };
    let authority = s[start..]
        .find(['/', '?', '#'])
        .map_or(&s[start..], |end| &s[start..start + end]);
    match authority.rfind('@') {
        Some(at) => format!("{}***{}", &s[..start], &s[start + at..]).into(),
        None => s.into(),
    }
}

/// Accepts the service root (`.../workspaces/W/services/S`, or the ARM form
/// `.../subscriptions/X/services/S`) or any operation URL below it (`/execute?...`, `/jobs`,
/// `/jobs/ID`, `/jobs/ID/start`, `/swagger.json`) and returns the root.
pub fn parse_service_url(s: &str) -> Result<Url> {
    let mut url = parse_http_url("--service-url", s)?;
    url.set_query(None);
    url.set_fragment(None);
    let segments: Vec<String> = url
        .path_segments()
        .map(|it| it.filter(|p| !p.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    let at = segments
        .windows(4)
        .rposition(|w| (w[0] == "workspaces" || w[0] == "subscriptions") && w[2] == "services")
        .ok_or_else(|| {
            usage!("`{s}` given to `--service-url` has no `/workspaces/ID/services/ID` part; copy the request URL from the service's help page")
        })?;
    let tail: Vec<&str> = segments[at + 4..].iter().map(String::as_str).collect();
    let known = matches!(
        tail.as_slice(),
        [] | ["execute"]
            | ["jobs"]
            | ["jobs", _]
            | ["jobs", _, "start"]
            | ["swagger.json"]
            | ["score"]
    );
    if !known {
        return Err(usage!(
            "`{s}` given to `--service-url` ends in `/{}`, which is not an operation of the service",
            tail.join("/")
        ));
    }
    let root: Vec<&str> = segments[..at + 4].iter().map(String::as_str).collect();
    url.set_path(&format!("/{}", root.join("/")));
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_sizes_are_bytes_within_azures_limits() {
        assert_eq!(parse_block_size(" 262144 ").unwrap(), 262_144);
        for bad in ["1023", "4194304001", "8M", "-1", ""] {
            assert!(parse_block_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn service_url_accepts_root_and_operation_urls() {
        let root = "https://ussouthcentral.services.azureml.net/workspaces/w1/services/s1";
        for u in [
            root.to_string(),
            format!("{root}/"),
            format!("{root}/execute?api-version=2.0&details=true"),
            format!("{root}/jobs?api-version=2.0"),
            format!("{root}/jobs/abc/start?api-version=2.0"),
            format!("{root}/jobs/abc"),
            format!("{root}/swagger.json"),
        ] {
            assert_eq!(parse_service_url(&u).unwrap().as_str(), root, "{u}");
        }
        let apim = "https://demo.azure-api.net/azureml-demo/workspaces/w/services/s";
        assert_eq!(
            parse_service_url(&format!("{apim}/execute?x"))
                .unwrap()
                .as_str(),
            apim
        );
    }

    #[test]
    fn service_url_rejects_what_is_not_a_service() {
        for u in [
            "not a url",
            "ftp://h/workspaces/w/services/s",
            "https://h/foo",
            "https://h/workspaces/w/services/s/bogus",
        ] {
            assert!(parse_service_url(u).is_err(), "{u}");
        }
    }

    #[test]
    fn container_names_are_checked() {
        assert!(validate_container("mlws").is_ok());
        assert!(validate_container("My_Container").is_err());
        assert!(validate_container("a").is_err());
    }
}
