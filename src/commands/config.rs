//! `mlws config set|get|unset|list|path`: edits the TOML config file (see `config.rs`).
//! Secrets (keys, and `sig=` values in URLs) are masked in `list`; `get` prints the stored
//! value, since that is what it is for.

use crate::cli::{ConfigCommand, GlobalArgs};
use crate::config::{ConfigFile, PROFILE_KEYS, SECRET_KEYS};
use crate::secret::mask_secrets;
use crate::settings::Settings;
use crate::usage;
use anyhow::Result;
use std::io::Write;

pub fn run(g: &GlobalArgs, cmd: ConfigCommand) -> Result<()> {
    let (path, _) = Settings::config_path(g)?;
    let mut out = std::io::stdout().lock();
    match cmd {
        ConfigCommand::Path => writeln!(out, "{}", path.display())?,
        ConfigCommand::Get { key } => {
            let file = ConfigFile::load(&path)?;
            let value = if key == "default_profile" {
                file.default_profile.clone()
            } else {
                check_key(&key)?;
                let profile = selected_profile(g, &file);
                file.profile(&profile).and_then(|t| t.get(&key)).cloned()
            };
            match value {
                Some(v) => writeln!(out, "{v}")?,
                None => return Err(usage!("`{key}` is not set in `{}`", path.display())),
            }
        }
        ConfigCommand::Set { key, value } => {
            let mut file = ConfigFile::load(&path)?;
            if key == "default_profile" {
                file.default_profile = Some(value);
            } else {
                check_key(&key)?;
                let profile = selected_profile(g, &file);
                file.profiles.entry(profile).or_default().insert(key, value);
            }
            file.save(&path)?;
        }
        ConfigCommand::Unset { key } => {
            let mut file = ConfigFile::load(&path)?;
            if key == "default_profile" {
                file.default_profile = None;
            } else {
                check_key(&key)?;
                let profile = selected_profile(g, &file);
                if let Some(t) = file.profiles.get_mut(&profile) {
                    t.remove(&key);
                    if t.is_empty() && t.headers.is_empty() {
                        file.profiles.remove(&profile);
                    }
                }
            }
            file.save(&path)?;
        }
        ConfigCommand::List { show_origin } => {
            let s = Settings::resolve(g)?;
            let values: [(&str, Option<String>); 13] = [
                // A URL copied from a portal may carry a SAS `sig=`: shown masked like a key.
                ("base_url", s.base_url.as_deref().map(mask_secrets)),
                ("workspace", s.workspace.clone()),
                ("service", s.service.clone()),
                ("service_url", s.service_url.as_deref().map(mask_secrets)),
                (
                    "api_key",
                    s.api_key.as_ref().map(|_| crate::secret::MASK.to_string()),
                ),
                (
                    "subscription_key",
                    s.subscription_key
                        .as_ref()
                        .map(|_| crate::secret::MASK.to_string()),
                ),
                ("api_version", Some(s.api_version.clone())),
                (
                    "storage_connection_string",
                    s.storage_connection_string
                        .as_ref()
                        .map(|_| crate::secret::MASK.to_string()),
                ),
                ("container", Some(s.container.clone())),
                ("protocol", s.protocol.map(|p| p.name().to_string())),
                ("url", s.url.as_deref().map(mask_secrets)),
                ("deployment", s.deployment.clone()),
                ("token_command", s.token_command.clone()),
            ];
            debug_assert!(values.iter().all(|(k, _)| PROFILE_KEYS.contains(k)));
            for (key, value) in values {
                let Some(value) = value else { continue };
                if show_origin {
                    let origin = s
                        .origins
                        .get(key)
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    writeln!(out, "{key} = {value}\t# {origin}")?;
                } else {
                    writeln!(out, "{key} = {value}")?;
                }
            }
            debug_assert!(SECRET_KEYS.iter().all(|k| PROFILE_KEYS.contains(k)));
        }
    }
    Ok(())
}

fn check_key(key: &str) -> Result<()> {
    if PROFILE_KEYS.contains(&key) {
        Ok(())
    } else {
        Err(usage!(
            "unknown config key `{key}` (keys: default_profile, {})",
            PROFILE_KEYS.join(", ")
        ))
    }
}

/// The profile `set`/`get`/`unset` act on: --profile > MLWS_PROFILE > default_profile > `default`.
fn selected_profile(g: &GlobalArgs, file: &ConfigFile) -> String {
    g.profile
        .clone()
        .or_else(|| {
            std::env::var(crate::env::PROFILE)
                .ok()
                .filter(|v| !v.is_empty())
        })
        .or_else(|| file.default_profile.clone())
        .unwrap_or_else(|| "default".to_string())
}
