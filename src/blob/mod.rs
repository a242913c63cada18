//! Azure Blob Storage for mlws: connection strings, where a blob is ([`BlobLocation`]: key-based
//! or SAS-based), upload of local files and streams as block blobs, download to a file or as a
//! stream, and service SAS URLs. Uploads go through the official SDK (`azure_storage_blob`) with
//! our Shared Key policy; downloads are one streaming GET on a SAS URL (the fastest path measured
//! in `dependencies.md` §3); `resume.rs` has the upload and the download that a later run can
//! finish (block ids from index and content, ranged GETs). Nothing BES-specific beyond
//! converting a `BlobReference`; knows nothing of clap, the printer or exit codes: progress goes
//! through [`Progress`] callbacks, and no error text ever holds an account key or a SAS
//! signature.

// Until the BES commands and the emulator's runner (issue 3) call it, much of the API is unused.

pub mod auth;
pub mod connstr;
pub mod resume;
pub mod transfer;

#[cfg(test)]
mod azurite_tests;

pub use connstr::ConnectionString;
pub use transfer::{
    BlobReader, Presence, download_to_file, open_read, presence, upload_file, upload_stream,
};

use crate::secret::mask_secrets;
use crate::usage;
use crate::wire::bes::BlobReference;
use anyhow::Result;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// The `x-ms-version` we send: the newest that Azurite 3.35 accepts without
/// `--skipApiVersionCheck` (`dependencies.md` §1); the SDK's default (2026-04-06) is refused.
pub const API_VERSION: &str = "2025-11-05";

/// A callback taking a number of bytes.
pub type OnBytes = Arc<dyn Fn(u64) + Send + Sync>;

/// Progress callbacks of a transfer: `total` once the size is known, `advance` with each
/// increment of bytes done (blocks complete in any order, so increments, not positions).
#[derive(Clone, Default)]
pub struct Progress {
    pub total: Option<OnBytes>,
    pub advance: Option<OnBytes>,
}

impl Progress {
    pub fn new(total: OnBytes, advance: OnBytes) -> Self {
        Progress {
            total: Some(total),
            advance: Some(advance),
        }
    }

    pub(crate) fn set_total(&self, n: u64) {
        if let Some(f) = &self.total {
            f(n);
        }
    }

    pub(crate) fn advance(&self, n: u64) {
        if let Some(f) = &self.advance {
            f(n);
        }
    }
}

/// Where a blob is: addressed through a connection string (`container` + blob name), or by a
/// URL that carries a SAS token. `Debug` shows no key and no signature.
#[derive(Clone)]
pub enum BlobLocation {
    Key {
        cs: ConnectionString,
        container: String,
        blob: String,
    },
    Sas {
        url: Url,
    },
}

impl std::fmt::Debug for BlobLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl BlobLocation {
    /// A blob of the connection string's account; `relative` is `container/path/to/blob`,
    /// a leading `/` tolerated (`protocol.md` §5.2 shows both forms).
    pub fn with_connection_string(cs: ConnectionString, relative: &str) -> Result<Self> {
        let (container, blob) = split_relative(relative)?;
        Ok(BlobLocation::Key {
            cs,
            container,
            blob,
        })
    }

    /// A SAS reference: `BaseLocation` + `RelativeLocation` + `SasBlobToken`, tolerant of a
    /// missing or doubled `/` between the parts and of a token with or without its `?`.
    pub fn from_sas_parts(base: &str, relative: &str, token: &str) -> Result<Self> {
        let mut url = Url::parse(base.trim())
            .map_err(|e| usage!("the blob base location `{base}` is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
            return Err(usage!(
                "the blob base location `{base}` is not an http(s) URL"
            ));
        }
        let (container, blob) = split_relative(relative)?;
        push_blob_path(&mut url, &container, &blob);
        let token = token.trim().trim_start_matches('?');
        if token.is_empty() {
            return Err(usage!("the SAS token of `{container}/{blob}` is empty"));
        }
        url.set_query(Some(token));
        Ok(BlobLocation::Sas { url })
    }

    /// A full blob URL with its SAS token, e.g. one printed by `sas_url`.
    pub fn from_sas_url(url: Url) -> Self {
        BlobLocation::Sas { url }
    }

    /// From a BES blob reference (`protocol.md` §5.2): the SAS form when `SasBlobToken` is set,
    /// else the key form (`ConnectionString` + `RelativeLocation`).
    pub fn from_reference(r: &BlobReference) -> Result<Self> {
        let relative = r
            .relative_location
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| usage!("the blob reference has no `RelativeLocation`"))?;
        let token = r.sas_blob_token.as_deref().filter(|s| !s.trim().is_empty());
        let base = r.base_location.as_deref().filter(|s| !s.trim().is_empty());
        match (token, base, r.connection_string.as_deref()) {
            (Some(token), Some(base), _) => Self::from_sas_parts(base, relative, token),
            (Some(_), None, _) => Err(usage!(
                "the blob reference `{relative}` has a `SasBlobToken` but no `BaseLocation`"
            )),
            (None, _, Some(cs)) if !cs.trim().is_empty() => {
                Self::with_connection_string(ConnectionString::parse(cs)?, relative)
            }
            _ => Err(usage!(
                "the blob reference `{relative}` has neither a `ConnectionString` nor a `SasBlobToken`"
            )),
        }
    }

    /// The blob's URL with no credentials (an account SAS of the connection string aside).
    pub fn url(&self) -> Url {
        match self {
            BlobLocation::Key {
                cs,
                container,
                blob,
            } => {
                let mut url = cs.blob_endpoint();
                push_blob_path(&mut url, container, blob);
                if let Some(sas) = cs.sas_token() {
                    url.set_query(Some(sas.expose()));
                }
                url
            }
            BlobLocation::Sas { url } => url.clone(),
        }
    }

    /// For messages: `container/blob` for the key form, the masked URL for the SAS form.
    pub fn describe(&self) -> String {
        match self {
            BlobLocation::Key {
                container, blob, ..
            } => format!("{container}/{blob}"),
            BlobLocation::Sas { url } => {
                let mut u = url.clone();
                u.set_query(None);
                format!("{u}?{}", mask_secrets(url.query().unwrap_or("")))
            }
        }
    }

    /// A URL the blob can be read from with no other credential: the SAS URL as is, or for the
    /// key form a fresh read-only service SAS (or the connection string's account SAS).
    pub fn read_url(&self) -> Result<Url> {
        match self {
            BlobLocation::Key {
                cs,
                container,
                blob,
            } if cs.account_key().is_some() => {
                sas_url(cs, container, blob, "r", Duration::from_secs(3600))
            }
            _ => Ok(self.url()),
        }
    }
}

/// A service SAS URL for one blob of the connection string's account, with permissions `perms`
/// (a subset of `racwd`), valid for `ttl`. Needs the account key.
pub fn sas_url(
    cs: &ConnectionString,
    container: &str,
    blob: &str,
    perms: &str,
    ttl: Duration,
) -> Result<Url> {
    let key = cs.account_key().ok_or_else(|| {
        usage!("a SAS for `{container}/{blob}` needs a connection string with an `AccountKey`")
    })?;
    let query = auth::service_sas(cs.account(), key, container, Some(blob), perms, ttl)?;
    let mut url = cs.blob_endpoint();
    push_blob_path(&mut url, container, blob);
    url.set_query(Some(&query));
    Ok(url)
}

/// The parts of a SAS reference as BES returns them in `Results` (`protocol.md` §5.5):
/// `BaseLocation` with a trailing slash, `RelativeLocation` `container/blob`, and a read-only
/// `SasBlobToken` starting with `?`.
pub fn sas_reference(
    cs: &ConnectionString,
    container: &str,
    blob: &str,
    ttl: Duration,
) -> Result<BlobReference> {
    let url = sas_url(cs, container, blob, "r", ttl)?;
    let mut base = cs.blob_endpoint().to_string();
    if !base.ends_with('/') {
        base.push('/');
    }
    Ok(BlobReference {
        connection_string: None,
        relative_location: Some(format!("{container}/{blob}")),
        base_location: Some(base),
        sas_blob_token: Some(format!("?{}", url.query().unwrap_or(""))),
    })
}

/// `container/path/to/blob` (leading `/` tolerated) -> (container, blob name).
pub fn split_relative(relative: &str) -> Result<(String, String)> {
    let trimmed = relative.trim().trim_start_matches('/');
    let (container, blob) = trimmed.split_once('/').unwrap_or((trimmed, ""));
    let blob = blob.trim_start_matches('/');
    if container.is_empty() || blob.is_empty() {
        return Err(usage!(
            "`{relative}` is not a blob location: expected `container/path/to/blob`"
        ));
    }
    // A `.` or `..` segment would be resolved away by URL parsing and address another blob
    // (a container too: found by fuzzing).
    if std::iter::once(container)
        .chain(blob.split('/'))
        .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Err(usage!(
            "`{relative}` is not a blob location: a container or blob name segment may not be empty, `.` or `..`"
        ));
    }
    // URL parsing drops tabs and line breaks, so the request would name another blob (found
    // by fuzzing).
    if trimmed.contains(['\t', '\n', '\r']) {
        return Err(usage!(
            "`{}` is not a blob location: a name may not hold a tab or a line break",
            relative.escape_debug()
        ));
    }
    Ok((container.to_string(), blob.to_string()))
}

/// Appends `/container/blob/name` to `url`'s path as segments (each one percent-encoded), so
/// a `/` in a blob name stays a path separator and the SAS and Shared Key canonical forms agree.
fn push_blob_path(url: &mut Url, container: &str, blob: &str) {
    let base = url.path().trim_end_matches('/').to_string();
    url.set_path(&base);
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().push(container);
        segments.extend(blob.split('/'));
    }
}

/// A storage error answer rendered for people: `the storage answered 404 BlobNotFound: The
/// specified blob does not exist.` (the XML `<Message>`'s first line only: the rest is a request
/// id and a time).
pub(crate) fn storage_answer(status: u16, code: Option<&str>, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let code = code
        .map(str::to_string)
        .or_else(|| xml_text(&text, "Code"))
        .unwrap_or_default();
    let message = xml_text(&text, "Message")
        .map(|m| m.lines().next().unwrap_or("").trim().to_string())
        .unwrap_or_default();
    let mut out = format!("the storage answered {status}");
    if !code.is_empty() {
        out.push_str(&format!(" {code}"));
    }
    if !message.is_empty() {
        out.push_str(&format!(": {message}"));
    }
    mask_secrets(&out)
}

/// A storage error answer as a typed error (401/403 map to exit 3), its message as
/// [`storage_answer`] writes it.
pub(crate) fn storage_error(status: u16, code: Option<&str>, body: &[u8]) -> anyhow::Error {
    anyhow::Error::new(crate::error::StorageError {
        status,
        message: storage_answer(status, code, body),
    })
}

fn xml_text(text: &str, tag: &str) -> Option<String> {
    let start = text.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = start + text[start..].find(&format!("</{tag}>"))?;
    Some(
        text[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// An SDK error as an `anyhow` error that holds no URL signature.
pub(crate) fn sdk_error(e: azure_core::Error) -> anyhow::Error {
    use azure_core::error::ErrorKind;
    match e.kind() {
        ErrorKind::HttpResponse {
            status,
            error_code,
            raw_response,
        } => {
            let body = raw_response
                .as_ref()
                .map(|r| r.body().to_vec())
                .unwrap_or_default();
            storage_error(u16::from(*status), error_code.as_deref(), &body)
        }
        _ => {
            let mut text = mask_secrets(&e.to_string());
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text.push_str(&format!(": {}", mask_secrets(&s.to_string())));
                source = s.source();
            }
            anyhow::anyhow!(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "a2V5a2V5a2V5a2V5";

    fn cs() -> ConnectionString {
        ConnectionString::parse(&format!(
            "AccountName=acct;AccountKey={KEY};BlobEndpoint=http://127.0.0.1:9/acct/"
        ))
        .unwrap()
    }

    #[test]
    fn sas_parts_join_whatever_the_slashes() {
        for (base, rel, tok) in [
            ("http://h/acct/", "/c/d/x.csv", "?sv=1&sig=S"),
            ("http://h/acct", "c/d/x.csv", "sv=1&sig=S"),
            ("http://h/acct//", "//c//d/x.csv", " ?sv=1&sig=S "),
            ("http://h/acct/", "c/d/x.csv", "?sv=1&sig=S"),
        ] {
            let loc = BlobLocation::from_sas_parts(base, rel, tok).unwrap();
            assert_eq!(
                loc.url().as_str(),
                "http://h/acct/c/d/x.csv?sv=1&sig=S",
                "{base} {rel}"
            );
            assert_eq!(loc.describe(), "http://h/acct/c/d/x.csv?sv=1&sig=***");
        }
        assert!(BlobLocation::from_sas_parts("nope", "c/x", "sig=1").is_err());
        assert!(BlobLocation::from_sas_parts("http://h/", "c/x", "?").is_err());
    }

    #[test]
    fn relative_locations_need_a_container_and_a_name() {
        assert_eq!(
            split_relative("/mlws/a/b.csv").unwrap(),
            ("mlws".into(), "a/b.csv".into())
        );
        assert!(split_relative("mlws").is_err());
        assert!(split_relative("mlws/").is_err());
        assert!(split_relative("").is_err());
        assert!(split_relative("c/a/../x.csv").is_err());
        assert!(split_relative("c/a//x.csv").is_err());
        assert!(split_relative("c/./x.csv").is_err());
    }

    #[test]
    fn references_pick_the_sas_or_the_key_form() {
        let sas = BlobReference {
            relative_location: Some("c/x.csv".into()),
            base_location: Some("http://h/acct/".into()),
            sas_blob_token: Some("?sig=S".into()),
            connection_string: None,
        };
        assert!(matches!(
            BlobLocation::from_reference(&sas).unwrap(),
            BlobLocation::Sas { .. }
        ));
        let key = BlobReference {
            connection_string: Some(cs().expose().expose().to_string()),
            relative_location: Some("/c/x y.csv".into()),
            ..BlobReference::default()
        };
        let loc = BlobLocation::from_reference(&key).unwrap();
        assert_eq!(loc.describe(), "c/x y.csv");
        assert_eq!(loc.url().as_str(), "http://127.0.0.1:9/acct/c/x%20y.csv");
        assert!(!format!("{loc:?}").contains(KEY));
        let neither = BlobReference {
            relative_location: Some("c/x.csv".into()),
            ..BlobReference::default()
        };
        assert!(BlobLocation::from_reference(&neither).is_err());
    }

    #[test]
    fn sas_reference_has_the_bes_shape() {
        let r = sas_reference(&cs(), "out", "dir/r.csv", Duration::from_secs(60)).unwrap();
        assert_eq!(r.base_location.as_deref(), Some("http://127.0.0.1:9/acct/"));
        assert_eq!(r.relative_location.as_deref(), Some("out/dir/r.csv"));
        let token = r.sas_blob_token.unwrap();
        assert!(token.starts_with("?sv=") && token.contains("sp=r") && token.contains("sig="));
        let loc = BlobLocation::from_sas_parts("http://127.0.0.1:9/acct/", "out/dir/r.csv", &token)
            .unwrap();
        let direct = sas_url(&cs(), "out", "dir/r.csv", "r", Duration::from_secs(60)).unwrap();
        assert_eq!(loc.url().path(), direct.path());
        assert_eq!(loc.url().path(), "/acct/out/dir/r.csv");
    }

    #[test]
    fn storage_answers_read_the_xml_error() {
        let body = b"<?xml version=\"1.0\"?><Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.\nRequestId:1</Message></Error>";
        assert_eq!(
            storage_answer(404, None, body),
            "the storage answered 404 BlobNotFound: The specified blob does not exist."
        );
        assert_eq!(storage_answer(503, None, b""), "the storage answered 503");
    }
}
