//! The TOML config file on disk: `default_profile` at the top, `[profiles.NAME]` tables of
//! settings. A missing file is an empty config; an invalid one is an error naming the path.
//! Writes are atomic (temporary file + rename) with mode 0600, since the file holds keys.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Keys a profile may hold, in display order (the `spec/cli.md` table).
pub const PROFILE_KEYS: &[&str] = &[
    "base_url",
    "workspace",
    "service",
    "service_url",
    "api_key",
    "subscription_key",
    "api_version",
    "storage_connection_string",
    "container",
    "protocol",
    "url",
    "deployment",
    "token_command",
];

/// Keys whose values are secrets (masked in `config list` and `config get` without --reveal).
pub const SECRET_KEYS: &[&str] = &["api_key", "subscription_key", "storage_connection_string"];

#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub profiles: BTreeMap<String, Profile>,
}

/// One `[profiles.NAME]` table: settings by key (it reads as that map), and a `headers`
/// sub-table of extra request headers (`[profiles.NAME.headers]`, `NAME = "VALUE"`).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
#[serde(try_from = "BTreeMap<String, Entry>", into = "BTreeMap<String, Entry>")]
pub struct Profile {
    pub headers: BTreeMap<String, String>,
    pub values: BTreeMap<String, String>,
}

/// A value of a profile table as written: a string, or (`headers`) a table of strings. Read
/// by hand so that a wrong type is reported where it is, with the type it should have.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Str(String),
    Table(BTreeMap<String, String>),
}

impl serde::Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Entry::Str(v) => s.serialize_str(v),
            Entry::Table(t) => t.serialize(s),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Entry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Entry, E> {
                Ok(Entry::Str(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<Entry, A::Error> {
                serde::Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(Entry::Table)
            }
        }
        d.deserialize_any(V)
    }
}

impl TryFrom<BTreeMap<String, Entry>> for Profile {
    type Error = String;
    fn try_from(m: BTreeMap<String, Entry>) -> Result<Self, String> {
        let mut p = Profile::default();
        for (k, v) in m {
            match (k.as_str(), v) {
                ("headers", Entry::Table(t)) => p.headers = t,
                ("headers", Entry::Str(_)) => {
                    return Err("`headers` must be a table of `NAME = \"VALUE\"`".into());
                }
                (_, Entry::Str(s)) => {
                    p.values.insert(k, s);
                }
                (_, Entry::Table(_)) => return Err(format!("`{k}` must be a string, not a table")),
            }
        }
        Ok(p)
    }
}

impl From<Profile> for BTreeMap<String, Entry> {
    fn from(p: Profile) -> Self {
        let mut m: BTreeMap<String, Entry> = p
            .values
            .into_iter()
            .map(|(k, v)| (k, Entry::Str(v)))
            .collect();
        if !p.headers.is_empty() {
            m.insert("headers".into(), Entry::Table(p.headers));
        }
        m
    }
}

impl std::ops::Deref for Profile {
    type Target = BTreeMap<String, String>;
    fn deref(&self) -> &Self::Target {
        &self.values
    }
}

impl std::ops::DerefMut for Profile {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.values
    }
}

/// `dirs::config_dir()/mlws/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("mlws").join("config.toml"))
}

impl ConfigFile {
    /// Loads the file; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            // A config that is there but cannot be read (a directory, no permission, not
            // UTF-8) is a settings error like an invalid one (exit 2), in one line.
            Err(e) => {
                return Err(crate::usage!(
                    "cannot read the config file `{}`: {}",
                    path.display(),
                    io_reason(&e)
                ));
            }
        };
        let cfg: ConfigFile = toml::from_str(&text).map_err(|e| {
            let what = one_line(e.message());
            match e.span() {
                Some(span) => {
                    let (line, col) = line_col(&text, span.start);
                    crate::usage!(
                        "{}:{line}:{col}: invalid config file: {what}",
                        path.display()
                    )
                }
                None => crate::usage!("invalid config file `{}`: {what}", path.display()),
            }
        })?;
        for (name, table) in &cfg.profiles {
            if let Some(bad) = table.keys().find(|k| !PROFILE_KEYS.contains(&k.as_str())) {
                return Err(crate::usage!(
                    "invalid config file `{}`: profile `{name}` has an unknown key `{bad}`",
                    path.display()
                ));
            }
        }
        Ok(cfg)
    }

    /// Writes the file atomically with mode 0600, creating its directory.
    pub fn save(&self, path: &Path) -> Result<()> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
        let text = toml::to_string_pretty(self).context("cannot serialise the config")?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".config.toml.")
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a temporary file in `{}`", dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o600))
                .context("cannot restrict the config file's permissions")?;
        }
        tmp.write_all(text.as_bytes())
            .context("cannot write the config file")?;
        tmp.as_file()
            .sync_all()
            .context("cannot sync the config file")?;
        tmp.persist(path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write the config file `{}`", path.display()))?;
        Ok(())
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }
}

/// An I/O error as people read it: `it is a directory`, not `Is a directory (os error 21)`.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::IsADirectory => "it is a directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidData => "it is not UTF-8 text".into(),
        _ => e.to_string(),
    }
}

/// The 1-based line and byte column of a byte offset (the `FILE:LINE:COLUMN` of input errors).
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (line, before.len() - start + 1)
}

/// TOML errors span lines; a one-line message keeps `mlws: error:` to one line.
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_may_carry_a_headers_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[profiles.p]\nurl = \"http://h/invocations\"\n[profiles.p.headers]\nX-Team = \"t1\"\n",
        )
        .unwrap();
        let cfg = ConfigFile::load(&path).unwrap();
        let p = cfg.profile("p").unwrap();
        assert_eq!(
            p.get("url").map(String::as_str),
            Some("http://h/invocations")
        );
        assert_eq!(p.headers["X-Team"], "t1");
        cfg.save(&path).unwrap();
        assert_eq!(ConfigFile::load(&path).unwrap(), cfg);
    }

    #[test]
    fn missing_file_is_empty_and_save_roundtrips_with_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        assert_eq!(ConfigFile::load(&path).unwrap(), ConfigFile::default());
        let mut cfg = ConfigFile {
            default_profile: Some("p".into()),
            ..Default::default()
        };
        cfg.profiles
            .entry("p".into())
            .or_default()
            .insert("workspace".into(), "w".into());
        cfg.save(&path).unwrap();
        assert_eq!(ConfigFile::load(&path).unwrap(), cfg);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }

    #[test]
    fn an_unreadable_file_is_a_one_line_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = ConfigFile::load(dir.path()).unwrap_err();
        assert!(err.is::<crate::error::UsageError>());
        assert!(err.to_string().ends_with("it is a directory"), "{err}");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, b"workspace = \"\xff\"\n").unwrap();
        let err = ConfigFile::load(&path).unwrap_err().to_string();
        assert!(err.ends_with("it is not UTF-8 text"), "{err}");
    }

    #[test]
    fn invalid_file_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[profiles.p]\nworkspace = 3\n").unwrap();
        let err = ConfigFile::load(&path).unwrap_err().to_string();
        assert!(
            err.ends_with("config.toml:2:13: invalid config file: invalid type: integer `3`, expected a string"),
            "{err}"
        );
        std::fs::write(&path, "[profiles.p]\nwrkspace = \"x\"\n").unwrap();
        assert!(
            ConfigFile::load(&path)
                .unwrap_err()
                .to_string()
                .contains("`wrkspace`")
        );
    }
}
