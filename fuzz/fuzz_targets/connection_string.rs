//! Storage connection strings and blob locations (`mlws::blob::ConnectionString::parse`,
//! `BlobLocation::with_connection_string`, `sas_url`).
//!
//! The input is `CONNECTION STRING\nCONTAINER/BLOB`. Besides "never panics":
//! - an error message never holds the `AccountKey` or `SharedAccessSignature` value;
//! - a parsed connection string's `Debug` holds neither; its exposed text parses back to the
//!   same account, key, SAS and endpoint; its endpoint has no query and no trailing `/`;
//! - a blob location's URL ends in exactly the container and the blob name's segments (so the
//!   request goes to the blob that was named), and its description holds no secret;
//! - a SAS minted for it (the key form) carries the fields and the signature that the
//!   emulator's blob store recomputes from the URL.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use common::check_url_ends_with;
use libfuzzer_sys::fuzz_target;
use mlws::blob::auth::{SasFields, sign};
use mlws::blob::{BlobLocation, ConnectionString};
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (cs_text, relative) = text.split_once('\n').unwrap_or((text, "c/b"));
    let secrets = secret_values(cs_text, text);
    let cs = match ConnectionString::parse(cs_text) {
        Ok(cs) => cs,
        Err(e) => {
            let msg = format!("{e:#}");
            for s in &secrets {
                assert!(!msg.contains(s.as_str()), "{msg:?} shows {s:?}");
            }
            return;
        }
    };
    check_parsed(&cs, &secrets);
    let Ok(loc) = BlobLocation::with_connection_string(cs.clone(), relative) else {
        return;
    };
    let (container, blob) = mlws::blob::split_relative(relative).expect("accepted above");
    let url = loc.url();
    let want: Vec<&str> = std::iter::once(container.as_str())
        .chain(blob.split('/'))
        .collect();
    check_url_ends_with(&url, &want);
    let shown = loc.describe();
    for s in &secrets {
        assert!(!shown.contains(s.as_str()), "{shown:?} shows {s:?}");
    }
    let Some(key) = cs.account_key() else {
        return;
    };
    let sas = mlws::blob::sas_url(&cs, &container, &blob, "r", Duration::from_secs(60))
        .expect("a key-based SAS");
    check_url_ends_with(&sas, &want);
    let pairs: Vec<(String, String)> = sas.query_pairs().into_owned().collect();
    let (fields, sig) = SasFields::from_query(&pairs).expect("the SAS has a `sig`");
    assert_eq!(fields.permissions, "r");
    assert_eq!(fields.resource, "b");
    let canonical = format!("/blob/{}/{container}/{blob}", cs.account());
    let expected = sign(key, &fields.string_to_sign(&canonical)).expect("a valid key");
    assert_eq!(sig, expected, "the blob store would refuse this SAS");
});

/// The values of `AccountKey` and `SharedAccessSignature` that occur once in the whole input
/// (so a message may not quote them by accident as part of another value) and that cannot be
/// a message's own words: at least 8 characters with a digit (as every real key and SAS has).
fn secret_values(cs_text: &str, text: &str) -> Vec<String> {
    cs_text
        .split(';')
        .filter_map(|part| part.split_once('='))
        .filter(|(k, _)| {
            let k = k.trim().to_ascii_lowercase();
            k == "accountkey" || k == "sharedaccesssignature"
        })
        .map(|(_, v)| v.trim().trim_start_matches('?').to_string())
        .filter(|v| {
            v.len() >= 8
                && v.bytes().any(|b| b.is_ascii_digit())
                && text.matches(v.as_str()).count() == 1
        })
        .collect()
}

fn check_parsed(cs: &ConnectionString, secrets: &[String]) {
    let endpoint = cs.blob_endpoint();
    assert!(endpoint.query().is_none());
    assert!(endpoint.path() == "/" || !endpoint.path().ends_with('/'));
    let debug = format!("{cs:?}");
    for s in secrets {
        let in_plain_view =
            cs.account().contains(s.as_str()) || endpoint.as_str().contains(s.as_str());
        assert!(
            in_plain_view || !debug.contains(s.as_str()),
            "{debug} shows {s:?}"
        );
    }
    let exposed = cs.expose();
    let again = match ConnectionString::parse(exposed.expose()) {
        Ok(c) => c,
        Err(e) => panic!(
            "the exposed text {:?} does not parse: {e:#}",
            exposed.expose()
        ),
    };
    assert_eq!(again.account(), cs.account());
    let expose = |s: Option<&mlws::secret::Secret>| s.map(|s| s.expose().to_string());
    assert_eq!(expose(again.account_key()), expose(cs.account_key()));
    assert_eq!(expose(again.sas_token()), expose(cs.sas_token()));
    assert_eq!(again.blob_endpoint(), endpoint);
}
