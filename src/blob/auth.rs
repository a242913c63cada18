//! Storage authentication, written once for both sides: the Shared Key string-to-sign and its
//! HMAC (the SDK's per-try policy signs with it; the emulator's blob store verifies with it),
//! and the service SAS (sv=2022-11-02 layout, `dependencies.md` Appendix A) that the client
//! mints and the blob store checks. Knows nothing of HTTP servers, BES or the command line.

use crate::secret::Secret;
use anyhow::{Context as _, Result};
use azure_core::http::{
    Context, Request,
    policies::{Policy, PolicyResult},
};
use azure_core::time::{OffsetDateTime, to_rfc3339, to_rfc7231};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The SAS version we mint; the blob store accepts this layout for every version since 2020-12-06.
pub const SAS_VERSION: &str = "2022-11-02";

/// What a Shared Key signature covers: the method, the headers (names in lower case), the path
/// exactly as sent (percent-encoded) and the decoded query pairs.
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub headers: Vec<(String, String)>,
    pub path: &'a str,
    pub query: Vec<(String, String)>,
}

impl SignedRequest<'_> {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

/// The Shared Key string-to-sign (version 2009-09-19 and later). The canonical resource is
/// `/{account}{path}`: with a path-style endpoint the account appears twice, as Azurite expects.
pub fn shared_key_string_to_sign(account: &str, req: &SignedRequest<'_>) -> String {
    let length = match req.header("content-length") {
        "0" => "", // since 2015-02-21 a zero length is signed as the empty string
        other => other,
    };
    let date = if req.header("x-ms-date").is_empty() {
        req.header("date")
    } else {
        ""
    };
    let mut s = [
        req.method,
        req.header("content-encoding"),
        req.header("content-language"),
        length,
        req.header("content-md5"),
        req.header("content-type"),
        date,
        req.header("if-modified-since"),
        req.header("if-match"),
        req.header("if-none-match"),
        req.header("if-unmodified-since"),
        req.header("range"),
    ]
    .join("\n");
    s.push('\n');
    let mut xms: Vec<(&str, &str)> = req
        .headers
        .iter()
        .filter(|(k, _)| k.starts_with("x-ms-"))
        .map(|(k, v)| (k.as_str(), v.trim()))
        .collect();
    xms.sort();
    for (k, v) in xms {
        s.push_str(&format!("{k}:{v}\n"));
    }
    s.push('/');
    s.push_str(account);
    s.push_str(req.path);
    let mut query: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (k, v) in &req.query {
        query.entry(k.to_ascii_lowercase()).or_default().push(v);
    }
    for (k, mut values) in query {
        values.sort();
        s.push_str(&format!("\n{k}:{}", values.join(",")));
    }
    s
}

/// Base64 HMAC-SHA256 of `text` under the (base64) account key.
pub fn sign(key: &Secret, text: &str) -> Result<String> {
    let key = azure_core::credentials::Secret::new(key.expose().to_string());
    azure_core::hmac::hmac_sha256(text, &key)
        .map_err(|_| anyhow::anyhow!("the storage account key is not valid base64"))
}

/// Signs every try of an SDK request with the account key (the SDK has no Shared Key
/// credential; this is the per-try-policy workaround of azure-sdk-for-rust#2975). Per try, so
/// that `x-ms-date` is fresh on retries.
#[derive(Debug)]
pub struct SharedKeyPolicy {
    pub account: String,
    pub key: Secret,
}

#[async_trait::async_trait]
impl Policy for SharedKeyPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        request.insert_header("x-ms-date", to_rfc7231(&OffsetDateTime::now_utc()));
        let mut headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_ascii_lowercase(), v.as_str().to_string()))
            .collect();
        if !headers.iter().any(|(k, _)| k == "content-length") {
            let len = request.body().len().unwrap_or(0);
            headers.push(("content-length".into(), len.to_string()));
        }
        let url = request.url().clone();
        let method = request.method().to_string();
        let signed = SignedRequest {
            method: &method,
            headers,
            path: url.path(),
            query: url
                .query_pairs()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        };
        let sig = sign(
            &self.key,
            &shared_key_string_to_sign(&self.account, &signed),
        )
        .map_err(|e| {
            azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, e.to_string())
        })?;
        request.insert_header("authorization", format!("SharedKey {}:{sig}", self.account));
        next[0].send(ctx, request, &next[1..]).await
    }
}

/// The signed fields of a service SAS, as found in (or put into) its query string.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SasFields {
    /// `sp`: permissions, a subset of `racwd` in that order.
    pub permissions: String,
    /// `st`, `se`: ISO 8601 UTC times; `st` may be empty.
    pub start: String,
    pub expiry: String,
    /// `sr`: `b` (one blob) or `c` (a whole container).
    pub resource: String,
    /// `sv`: the signed version.
    pub version: String,
    /// `si`, `sip`, `spr`: stored policy id, IP range, protocol; usually empty.
    pub identifier: String,
    pub ip: String,
    pub protocol: String,
    /// `rscc`, `rscd`, `rsce`, `rscl`, `rsct`: response header overrides; usually empty.
    pub overrides: [String; 5],
}

impl SasFields {
    const OVERRIDES: [&'static str; 5] = ["rscc", "rscd", "rsce", "rscl", "rsct"];

    /// Reads the fields from decoded query pairs; `None` when there is no `sig`.
    pub fn from_query(pairs: &[(String, String)]) -> Option<(SasFields, String)> {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let sig = pairs.iter().find(|(n, _)| n == "sig")?.1.clone();
        let fields = SasFields {
            permissions: get("sp"),
            start: get("st"),
            expiry: get("se"),
            resource: get("sr"),
            version: get("sv"),
            identifier: get("si"),
            ip: get("sip"),
            protocol: get("spr"),
            overrides: Self::OVERRIDES.map(get),
        };
        Some((fields, sig))
    }

    /// The service-SAS string-to-sign (versions 2020-12-06 and later: 16 lines, with the
    /// snapshot time and encryption scope left empty). `canonical` is `/blob/{account}/{container}`
    /// or `/blob/{account}/{container}/{blob}` with the blob name decoded.
    pub fn string_to_sign(&self, canonical: &str) -> String {
        let mut lines = vec![
            self.permissions.as_str(),
            &self.start,
            &self.expiry,
            canonical,
            &self.identifier,
            &self.ip,
            &self.protocol,
            &self.version,
            &self.resource,
            "", // signed snapshot time
            "", // signed encryption scope
        ];
        lines.extend(self.overrides.iter().map(String::as_str));
        lines.join("\n")
    }

    /// The query string (no `?`) for these fields and signature.
    pub fn to_query(&self, sig: &str) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("sv", &self.version);
        if !self.start.is_empty() {
            q.append_pair("st", &self.start);
        }
        q.append_pair("se", &self.expiry)
            .append_pair("sr", &self.resource)
            .append_pair("sp", &self.permissions);
        for (name, value) in [
            ("si", &self.identifier),
            ("sip", &self.ip),
            ("spr", &self.protocol),
        ] {
            if !value.is_empty() {
                q.append_pair(name, value);
            }
        }
        q.append_pair("sig", sig);
        q.finish()
    }
}

/// SAS permissions in canonical order (`r`ead, `a`dd, `c`reate, `w`rite, `d`elete).
pub fn canonical_permissions(perms: &str) -> Result<String> {
    if let Some(bad) = perms.chars().find(|c| !"racwd".contains(*c)) {
        anyhow::bail!("`{bad}` is not a blob SAS permission (use `r`, `a`, `c`, `w`, `d`)");
    }
    Ok("racwd".chars().filter(|c| perms.contains(*c)).collect())
}

/// An ISO 8601 UTC time with whole seconds, as SAS `se`/`st` want it.
pub fn sas_time(t: SystemTime) -> Result<String> {
    let t = OffsetDateTime::from(t)
        .replace_nanosecond(0)
        .context("cannot represent the SAS time")?;
    Ok(to_rfc3339(&t))
}

/// A service SAS query string (no `?`) for one blob (`blob = Some`) or a container, signed with
/// the account key, valid from now for `ttl`.
pub fn service_sas(
    account: &str,
    key: &Secret,
    container: &str,
    blob: Option<&str>,
    perms: &str,
    ttl: Duration,
) -> Result<String> {
    let fields = SasFields {
        permissions: canonical_permissions(perms)?,
        expiry: sas_time(SystemTime::now() + ttl)?,
        resource: if blob.is_some() { "b" } else { "c" }.into(),
        version: SAS_VERSION.into(),
        ..SasFields::default()
    };
    let canonical = match blob {
        Some(b) => format!("/blob/{account}/{container}/{b}"),
        None => format!("/blob/{account}/{container}"),
    };
    let sig = sign(key, &fields.string_to_sign(&canonical))?;
    Ok(fields.to_query(&sig))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    #[test]
    fn shared_key_string_to_sign_follows_the_rest_layout() {
        let req = SignedRequest {
            method: "PUT",
            headers: vec![
                ("content-length".into(), "0".into()),
                ("x-ms-version".into(), "2025-11-05".into()),
                ("x-ms-date".into(), "Thu, 01 Jan 2026 00:00:00 GMT".into()),
                ("date".into(), "ignored because x-ms-date is set".into()),
                ("content-type".into(), "text/csv".into()),
            ],
            path: "/devstoreaccount1/c/dir/a%20b.csv",
            query: vec![
                ("comp".into(), "block".into()),
                ("blockid".into(), "QUFB".into()),
            ],
        };
        let s = shared_key_string_to_sign("devstoreaccount1", &req);
        assert_eq!(
            s,
            "PUT\n\n\n\n\ntext/csv\n\n\n\n\n\n\n\
             x-ms-date:Thu, 01 Jan 2026 00:00:00 GMT\nx-ms-version:2025-11-05\n\
             /devstoreaccount1/devstoreaccount1/c/dir/a%20b.csv\nblockid:QUFB\ncomp:block"
        );
    }

    #[test]
    fn signatures_depend_on_the_key() {
        let a = sign(&Secret::new(KEY), "text").unwrap();
        assert_eq!(a, sign(&Secret::new(KEY), "text").unwrap());
        assert_ne!(a, sign(&Secret::new("a2V5"), "text").unwrap());
        assert!(sign(&Secret::new("not base64!"), "text").is_err());
    }

    #[test]
    fn service_sas_round_trips_through_the_query() {
        let q = service_sas(
            "acct",
            &Secret::new(KEY),
            "c",
            Some("d/x.csv"),
            "wr",
            Duration::from_secs(60),
        )
        .unwrap();
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect();
        let (fields, sig) = SasFields::from_query(&pairs).unwrap();
        assert_eq!(fields.permissions, "rw");
        assert_eq!(fields.resource, "b");
        assert_eq!(fields.version, SAS_VERSION);
        assert!(fields.expiry.ends_with('Z'), "{}", fields.expiry);
        let again = sign(
            &Secret::new(KEY),
            &fields.string_to_sign("/blob/acct/c/d/x.csv"),
        )
        .unwrap();
        assert_eq!(again, sig);
    }

    #[test]
    fn permissions_are_checked_and_ordered() {
        assert_eq!(canonical_permissions("wdr").unwrap(), "rwd");
        assert!(
            canonical_permissions("rx")
                .unwrap_err()
                .to_string()
                .contains("`x`")
        );
    }
}
