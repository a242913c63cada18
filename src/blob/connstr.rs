//! Azure Storage connection strings (`Key=Value;...`): the account, its key or an account SAS,
//! and the blob endpoint. The SDK has no parser (`dependencies.md` §0), so this is ours. Errors
//! name the part that is missing or wrong and never echo a value (a segment may be the key).

use crate::secret::Secret;
use crate::usage;
use anyhow::Result;
use base64::Engine as _;
use std::collections::HashMap;
use std::fmt;
use url::Url;

/// Azurite's well-known development account (Azurite README), used by `UseDevelopmentStorage=true`.
pub const DEV_ACCOUNT: &str = "devstoreaccount1";
/// The development account's published key. Not a secret, but typed as one like every key.
pub const DEV_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const DEV_BLOB_ENDPOINT: &str = "http://127.0.0.1:10000/devstoreaccount1";

/// A parsed storage connection string. `Debug` redacts the key and the SAS; there is no
/// `Display`: [`ConnectionString::expose`] rebuilds the text for the one place that needs it.
#[derive(Clone)]
pub struct ConnectionString {
    account: String,
    key: Option<Secret>,
    sas: Option<Secret>,
    blob_endpoint: Url,
}

impl fmt::Debug for ConnectionString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionString")
            .field("account", &self.account)
            .field("key", &self.key)
            .field("sas", &self.sas)
            .field("blob_endpoint", &self.blob_endpoint.as_str())
            .finish()
    }
}

impl ConnectionString {
    /// Parses `DefaultEndpointsProtocol`, `AccountName`, `AccountKey`, `EndpointSuffix`,
    /// `BlobEndpoint`, `SharedAccessSignature` and `UseDevelopmentStorage=true`; keys are
    /// case-insensitive, other keys (`TableEndpoint`, ...) are ignored.
    pub fn parse(text: &str) -> Result<Self> {
        let fields = split_fields(text)?;
        let get = |k: &str| fields.get(k).map(String::as_str).filter(|v| !v.is_empty());
        let dev = match get("usedevelopmentstorage") {
            None => false,
            Some(v) if v.eq_ignore_ascii_case("true") => true,
            Some(v) if v.eq_ignore_ascii_case("false") => false,
            Some(_) => {
                return Err(usage!(
                    "`UseDevelopmentStorage` in the storage connection string must be `true` or `false`"
                ));
            }
        };
        let account = match get("accountname") {
            Some(a) => a.to_string(),
            None if dev => DEV_ACCOUNT.to_string(),
            None => {
                return Err(usage!("the storage connection string has no `AccountName`"));
            }
        };
        check_account_name(&account)?;
        let key = match get("accountkey") {
            Some(k) => Some(check_key(k)?),
            None if dev => Some(Secret::new(DEV_KEY)),
            None => None,
        };
        // `?` alone is no SAS (found by fuzzing: it was taken for one), nor is `? ?`.
        let sas = get("sharedaccesssignature")
            .map(|s| s.trim_start_matches(|c: char| c == '?' || c.is_whitespace()))
            .filter(|s| !s.is_empty())
            .map(Secret::new);
        if key.is_none() && sas.is_none() {
            return Err(usage!(
                "the storage connection string has neither `AccountKey` nor `SharedAccessSignature`"
            ));
        }
        let endpoint = match get("blobendpoint") {
            Some(e) => e.to_string(),
            None if dev => match get("developmentstorageproxyuri") {
                Some(proxy) => format!("{}:10000/{DEV_ACCOUNT}", proxy.trim_end_matches('/')),
                None => DEV_BLOB_ENDPOINT.to_string(),
            },
            None => default_endpoint(
                &account,
                get("defaultendpointsprotocol"),
                get("endpointsuffix"),
            )?,
        };
        let blob_endpoint = parse_endpoint(&endpoint)?;
        Ok(ConnectionString {
            account,
            key,
            sas,
            blob_endpoint,
        })
    }

    /// A key-based connection string, e.g. for the emulator's own blob store.
    pub fn with_key(account: &str, key: Secret, blob_endpoint: Url) -> Result<Self> {
        check_account_name(account)?;
        let key = check_key(key.expose())?;
        Ok(ConnectionString {
            account: account.to_string(),
            key: Some(key),
            sas: None,
            blob_endpoint: parse_endpoint(blob_endpoint.as_str())?,
        })
    }

    pub fn account(&self) -> &str {
        &self.account
    }

    /// The account key, when the connection string has one.
    pub fn account_key(&self) -> Option<&Secret> {
        self.key.as_ref()
    }

    /// The account SAS token (without `?`), when the connection string has one.
    pub fn sas_token(&self) -> Option<&Secret> {
        self.sas.as_ref()
    }

    /// The blob service endpoint, without a trailing slash on a path-style endpoint (the SDK
    /// would otherwise produce `//container`, `dependencies.md` gotcha 4).
    pub fn blob_endpoint(&self) -> Url {
        self.blob_endpoint.clone()
    }

    /// The connection string as text, key included: for the one place that hands it on.
    pub fn expose(&self) -> Secret {
        let mut s = format!(
            "DefaultEndpointsProtocol={};AccountName={};",
            self.blob_endpoint.scheme(),
            self.account
        );
        if let Some(key) = &self.key {
            s.push_str(&format!("AccountKey={};", key.expose()));
        }
        if let Some(sas) = &self.sas {
            s.push_str(&format!("SharedAccessSignature={};", sas.expose()));
        }
        s.push_str(&format!("BlobEndpoint={};", self.blob_endpoint));
        Secret::new(s)
    }
}

/// `k=v;k=v` -> lower-case key -> value. A value may contain `=` (base64 keys end in `==`).
fn split_fields(text: &str) -> Result<HashMap<String, String>> {
    let text = text.trim();
    if text.is_empty() {
        return Err(usage!("the storage connection string is empty"));
    }
    let mut fields = HashMap::new();
    for (i, part) in text.split(';').map(str::trim).enumerate() {
        if part.is_empty() {
            continue;
        }
        // The segment is not quoted in the message: it may be a key without its name.
        let (k, v) = part.split_once('=').ok_or_else(|| {
            usage!(
                "part {} of the storage connection string is not `Name=value`",
                i + 1
            )
        })?;
        let k = k.trim();
        if k.is_empty() {
            return Err(usage!(
                "part {} of the storage connection string has no name before `=`",
                i + 1
            ));
        }
        fields.insert(k.to_ascii_lowercase(), v.trim().to_string());
    }
    Ok(fields)
}

fn check_account_name(account: &str) -> Result<()> {
    let ok = (3..=24).contains(&account.len())
        && account
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(usage!(
            "`AccountName` `{account}` is not a storage account name (3-24 lower-case letters and digits)"
        ))
    }
}

fn check_key(key: &str) -> Result<Secret> {
    match base64::engine::general_purpose::STANDARD.decode(key) {
        Ok(bytes) if !bytes.is_empty() => Ok(Secret::new(key)),
        _ => Err(usage!(
            "`AccountKey` in the storage connection string is not valid base64"
        )),
    }
}

fn default_endpoint(account: &str, proto: Option<&str>, suffix: Option<&str>) -> Result<String> {
    let proto = proto.unwrap_or("https");
    if !proto.eq_ignore_ascii_case("https") && !proto.eq_ignore_ascii_case("http") {
        return Err(usage!(
            "`DefaultEndpointsProtocol` must be `https` or `http`, not `{proto}`"
        ));
    }
    let suffix = suffix.unwrap_or("core.windows.net").trim_matches('.');
    Ok(format!(
        "{}://{account}.blob.{suffix}",
        proto.to_ascii_lowercase()
    ))
}

fn parse_endpoint(text: &str) -> Result<Url> {
    let mut url = Url::parse(text).map_err(|e| {
        usage!("`BlobEndpoint` `{text}` in the storage connection string is not a URL: {e}")
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(usage!(
            "`BlobEndpoint` `{text}` in the storage connection string is not an http(s) URL"
        ));
    }
    if url.query().is_some() {
        return Err(usage!(
            "`BlobEndpoint` in the storage connection string must not have a query; put a SAS in `SharedAccessSignature`"
        ));
    }
    let path = url.path().trim_end_matches('/').to_string();
    url.set_path(&path);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::UsageError;

    const KEY: &str = "a2V5a2V5a2V5a2V5";

    fn err(text: &str) -> String {
        let e = ConnectionString::parse(text).unwrap_err();
        assert!(e.is::<UsageError>(), "{e:#}");
        e.to_string()
    }

    #[test]
    fn azure_form_builds_the_public_endpoint() {
        let cs = ConnectionString::parse(&format!(
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={KEY};EndpointSuffix=core.chinacloudapi.cn"
        ))
        .unwrap();
        assert_eq!(cs.account(), "acct");
        assert_eq!(cs.account_key().unwrap().expose(), KEY);
        assert_eq!(
            cs.blob_endpoint().as_str(),
            "https://acct.blob.core.chinacloudapi.cn/"
        );
    }

    #[test]
    fn keys_are_case_insensitive_and_blob_endpoint_loses_its_slash() {
        let cs = ConnectionString::parse(&format!(
            " accountname=devstoreaccount1 ; ACCOUNTKEY={KEY};blobendpoint=http://127.0.0.1:10000/devstoreaccount1/;TableEndpoint=http://x/;"
        ))
        .unwrap();
        assert_eq!(
            cs.blob_endpoint().as_str(),
            "http://127.0.0.1:10000/devstoreaccount1"
        );
    }

    #[test]
    fn development_storage_shorthand() {
        let cs = ConnectionString::parse("UseDevelopmentStorage=true").unwrap();
        assert_eq!(cs.account(), DEV_ACCOUNT);
        assert_eq!(cs.account_key().unwrap().expose(), DEV_KEY);
        assert_eq!(cs.blob_endpoint().as_str(), DEV_BLOB_ENDPOINT);
        let cs = ConnectionString::parse(
            "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://10.0.0.5",
        )
        .unwrap();
        assert_eq!(
            cs.blob_endpoint().as_str(),
            "http://10.0.0.5:10000/devstoreaccount1"
        );
    }

    #[test]
    fn sas_only_connection_string() {
        let cs = ConnectionString::parse(
            "BlobEndpoint=https://acct.blob.core.windows.net/;AccountName=acct;SharedAccessSignature=?sv=2022-11-02&sig=abc",
        )
        .unwrap();
        assert!(cs.account_key().is_none());
        assert_eq!(cs.sas_token().unwrap().expose(), "sv=2022-11-02&sig=abc");
    }

    #[test]
    fn bad_strings_name_the_part_and_never_echo_the_key() {
        assert!(err("").contains("empty"));
        assert!(err(&format!("AccountKey={KEY}")).contains("`AccountName`"));
        assert!(err("AccountName=acct").contains("`AccountKey`"));
        assert!(err("AccountName=acct;AccountKey=not base64!!").contains("not valid base64"));
        let e = err(&format!("AccountName=acct;{KEY}"));
        assert!(e.contains("part 2"), "{e}");
        assert!(!e.contains(KEY));
        assert!(err(&format!("AccountName=Bad_Name;AccountKey={KEY}")).contains("`Bad_Name`"));
        let e = err(&format!(
            "DefaultEndpointsProtocol=ftp;AccountName=acct;AccountKey={KEY}"
        ));
        assert!(e.contains("`ftp`") && !e.contains(KEY), "{e}");
        let e = err(&format!(
            "AccountName=acct;AccountKey={KEY};BlobEndpoint=nope"
        ));
        assert!(e.contains("`BlobEndpoint`") && !e.contains(KEY), "{e}");
        assert!(err("UseDevelopmentStorage=maybe").contains("`UseDevelopmentStorage`"));
    }

    #[test]
    fn debug_redacts_and_expose_round_trips() {
        let text =
            format!("AccountName=acct;AccountKey={KEY};BlobEndpoint=http://127.0.0.1:9/acct");
        let cs = ConnectionString::parse(&text).unwrap();
        let dbg = format!("{cs:?}");
        assert!(!dbg.contains(KEY) && dbg.contains("***"), "{dbg}");
        let again = ConnectionString::parse(cs.expose().expose()).unwrap();
        assert_eq!(again.account_key().unwrap().expose(), KEY);
        assert_eq!(again.blob_endpoint(), cs.blob_endpoint());
    }
}
