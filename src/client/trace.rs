//! What the client shows, and the masking of all of it (traces, retry reasons, `--dry-run`
//! requests): our own keys wherever they appear, storage account keys and SAS tokens inside
//! connection strings (a BES submit body carries them, `protocol.md` §5.2), and `sig=` values
//! in URLs. Trace lines of a level above the one asked for are not even built.

use super::{Call, Client, ClientEvent, JSON_CONTENT_TYPE, SUBSCRIPTION_KEY_HEADER};
use crate::secret::{MASK, Secret, mask_secrets};
use reqwest::Method;
use reqwest::header::HeaderMap;
use std::time::Duration;
use url::Url;

/// Longest body shown at `-vvv`, in characters.
const BODY_SNIPPET: usize = 2000;

/// `text` with every secret masked.
pub(super) fn scrub<'a>(text: &str, keys: impl IntoIterator<Item = &'a Secret>) -> String {
    let mut out = text.to_string();
    for key in keys {
        if !key.is_empty() && out.contains(key.expose()) {
            out = out.replace(key.expose(), MASK);
        }
    }
    mask_secrets(&out)
}

/// A body for a trace line: lossy UTF-8, cut at `BODY_SNIPPET` characters.
pub(super) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(4 * BODY_SNIPPET)]);
    let count = text.chars().count();
    if count <= BODY_SNIPPET && body.len() <= 4 * BODY_SNIPPET {
        return text.into_owned();
    }
    let mut out: String = text.chars().take(BODY_SNIPPET).collect();
    out.push_str(&format!("… ({} bytes in all)", body.len()));
    out
}

/// How the client shows requests and answers: `--dry-run` descriptions and trace lines.
impl Client {
    /// A request as text, for `--dry-run`: `METHOD URL`, the headers (secrets as `***`), a
    /// blank line and the body (with storage keys and SAS signatures masked).
    pub fn describe_request(&self, method: &Method, url: &Url, body: &[u8]) -> String {
        let has_body = method != Method::GET && method != Method::DELETE;
        self.describe_with(method, url, has_body.then_some(JSON_CONTENT_TYPE), body)
    }

    /// As [`describe_request`](Self::describe_request), with the body's content type.
    pub fn describe_with(
        &self,
        method: &Method,
        url: &Url,
        content_type: Option<&str>,
        body: &[u8],
    ) -> String {
        let mut out = format!("{method} {}\n", crate::secret::mask_secrets(url.as_str()));
        for (name, value) in self.masked_headers(content_type) {
            out.push_str(&format!("{name}: {value}\n"));
        }
        out.push('\n');
        if !body.is_empty() {
            out.push_str(&self.scrub(&String::from_utf8_lossy(body)));
            out.push('\n');
        }
        out
    }

    /// Our request headers for display, secrets replaced by `***`.
    pub(super) fn masked_headers(&self, content_type: Option<&str>) -> Vec<(String, String)> {
        let o = &self.inner.opts;
        let mut h = vec![(
            "User-Agent".to_string(),
            concat!("mlws/", env!("CARGO_PKG_VERSION")).to_string(),
        )];
        if o.api_key.is_some() || o.token.is_some() {
            h.push((
                "Authorization".into(),
                format!("Bearer {}", crate::secret::MASK),
            ));
        }
        if o.subscription_key.is_some() {
            h.push((
                SUBSCRIPTION_KEY_HEADER.into(),
                crate::secret::MASK.to_string(),
            ));
        }
        if let Some(d) = &o.deployment {
            h.push((super::DEPLOYMENT_HEADER.into(), d.clone()));
        }
        for (name, _) in &o.headers {
            h.push((name.clone(), crate::secret::MASK.to_string()));
        }
        if let Some(ct) = content_type {
            h.push(("Content-Type".into(), ct.to_string()));
        }
        h.push(("Accept".into(), "application/json".to_string()));
        h
    }

    /// Masks our keys wherever they appear, storage account keys and SAS signatures.
    pub(super) fn scrub(&self, text: &str) -> String {
        let o = &self.inner.opts;
        let keys = [o.api_key.as_ref(), o.subscription_key.as_ref()];
        let tokens = o.token.as_ref().map(|t| t.seen()).unwrap_or_default();
        scrub(
            text,
            keys.into_iter()
                .flatten()
                .chain(o.headers.iter().map(|(_, v)| v))
                .chain(&tokens),
        )
    }

    pub(super) fn trace(&self, level: u8, line: impl FnOnce() -> String) {
        if level > self.inner.opts.trace_level {
            return;
        }
        (self.inner.on_event)(ClientEvent::Trace {
            level,
            line: self.scrub(&line()),
        });
    }

    pub(super) fn trace_request(&self, call: &Call<'_>, body: &[u8], has_body: bool) {
        self.trace(1, || {
            format!("> {} {} ({} bytes)", call.method, call.url, body.len())
        });
        for (name, value) in self.masked_headers(has_body.then_some(call.content_type)) {
            self.trace(2, || format!("> {name}: {value}"));
        }
        if !body.is_empty() {
            self.trace(3, || format!("> {}", snippet(body)));
        }
    }

    pub(super) fn trace_answer(
        &self,
        call: &Call<'_>,
        status: reqwest::StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        elapsed: Duration,
    ) {
        self.trace(1, || {
            format!(
                "< {status} for {} {} in {} ms ({} bytes)",
                call.method,
                call.url.path(),
                elapsed.as_millis(),
                body.len()
            )
        });
        for (name, value) in headers {
            self.trace(2, || {
                format!("< {name}: {}", String::from_utf8_lossy(value.as_bytes()))
            });
        }
        if !body.is_empty() {
            self.trace(3, || format!("< {}", snippet(body)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keys_connection_strings_and_signatures() {
        let key = Secret::new("K3y==");
        let text = r#"Bearer K3y== {"ConnectionString":"DefaultEndpointsProtocol=http;AccountName=a;AccountKey=Eby8/x==;BlobEndpoint=http://h"} http://h/c/b?sv=1&sig=abc sharedaccesssignature=sv=1&sig=zz"#;
        let s = scrub(text, [&key]);
        assert!(
            !s.contains("K3y==") && !s.contains("Eby8") && !s.contains("abc") && !s.contains("zz"),
            "{s}"
        );
        assert!(s.contains("AccountKey=***;BlobEndpoint=http://h"), "{s}");
        assert!(s.contains("AccountName=a"), "{s}");
    }

    #[test]
    fn long_bodies_are_cut() {
        let body = "é".repeat(5000);
        let s = snippet(body.as_bytes());
        assert!(
            s.ends_with("(10000 bytes in all)"),
            "{}",
            &s[s.len() - 40..]
        );
        assert_eq!(snippet(b"{}"), "{}");
    }
}
