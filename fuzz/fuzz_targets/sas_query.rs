//! The blob store's side of storage authentication (`mlws::blob::auth`): a service SAS read
//! from a query string (`SasFields::from_query`, as the emulator does), its string-to-sign,
//! the Shared Key string-to-sign of a request, and SAS URLs made from `BaseLocation` +
//! `RelativeLocation` + `SasBlobToken` (`BlobLocation::from_sas_parts`) and their masking.
//!
//! The input is `QUERY\nBASE LOCATION\nRELATIVE LOCATION` (later lines optional). Besides
//! "never panics":
//! - the SAS fields written back as a query (`to_query`) read back the same;
//! - the Shared Key string-to-sign does not depend on the order of headers or query pairs;
//! - a SAS URL's description (what messages show) has every `sig` value masked, and its URL's path
//!   ends in exactly the container and blob name segments.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use common::check_url_ends_with;
use libfuzzer_sys::fuzz_target;
use mlws::blob::BlobLocation;
use mlws::blob::auth::{SasFields, SignedRequest, shared_key_string_to_sign};

fuzz_target!(|data: &[u8]| {
    let mut lines = data.splitn(3, |&b| b == b'\n');
    let query = lines.next().unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query).into_owned().collect();
    check_sas_fields(&pairs);
    check_shared_key(&pairs);
    let base = String::from_utf8_lossy(lines.next().unwrap_or(b"http://h/a/"));
    let relative = String::from_utf8_lossy(lines.next().unwrap_or(b"c/b"));
    let token = String::from_utf8_lossy(query);
    if let Ok(loc) = BlobLocation::from_sas_parts(&base, &relative, &token) {
        check_location(&loc, &relative);
    }
});

fn check_sas_fields(pairs: &[(String, String)]) {
    let Some((fields, sig)) = SasFields::from_query(pairs) else {
        assert!(pairs.iter().all(|(k, _)| k != "sig"));
        return;
    };
    let text = fields.string_to_sign("/blob/a/c/b");
    assert!(text.contains("/blob/a/c/b"));
    let query = fields.to_query(&sig);
    let again: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let (back, back_sig) = SasFields::from_query(&again).expect("a `sig` was written");
    assert_eq!(back_sig, sig);
    // `to_query` writes no response-header overrides: the client never mints them.
    let plain = SasFields {
        overrides: Default::default(),
        ..fields
    };
    assert_eq!(back, plain, "{query}");
}

fn check_shared_key(pairs: &[(String, String)]) {
    let mut headers: Vec<(String, String)> = Vec::new();
    for (k, v) in pairs {
        let k = k.to_ascii_lowercase();
        if !headers.iter().any(|(n, _)| *n == k) {
            headers.push((k, v.clone()));
        }
    }
    let req = |headers: Vec<(String, String)>, query: Vec<(String, String)>| SignedRequest {
        method: "PUT",
        headers,
        path: "/a/c/b",
        query,
    };
    let one = shared_key_string_to_sign("a", &req(headers.clone(), pairs.to_vec()));
    let mut rev_headers = headers;
    rev_headers.reverse();
    let mut rev_query = pairs.to_vec();
    rev_query.reverse();
    let two = shared_key_string_to_sign("a", &req(rev_headers, rev_query));
    assert_eq!(one, two);
}

fn check_location(loc: &BlobLocation, relative: &str) {
    let url = loc.url();
    let shown = loc.describe();
    let mut bare = url.clone();
    bare.set_query(None);
    let masked = shown
        .strip_prefix(&format!("{bare}?"))
        .expect("the URL without its query, then the masked query");
    let query = url.query().unwrap_or("");
    // Masking keeps the `&`s, so the pairs line up. Every realistic signature (base64,
    // percent-encoded) is masked whole; an odd one up to a `;` (which ends a value in a
    // connection string, so masking cannot tell).
    assert_eq!(
        masked.split('&').count(),
        query.split('&').count(),
        "{shown:?}"
    );
    for (seg, out) in query.split('&').zip(masked.split('&')) {
        if let Some((k, v)) = seg.split_once('=')
            && k.eq_ignore_ascii_case("sig")
            && !v.is_empty()
        {
            let realistic = v
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"%+/=".contains(&b));
            if realistic {
                assert_eq!(
                    out,
                    format!("{k}=***"),
                    "{shown:?} leaks a signature of {url}"
                );
            } else if !v.starts_with(';') {
                assert!(
                    out.starts_with(&format!("{k}=***")),
                    "{shown:?} leaks {url}"
                );
            }
        }
    }
    let (container, blob) = mlws::blob::split_relative(relative).expect("accepted");
    let want: Vec<&str> = std::iter::once(container.as_str())
        .chain(blob.split('/'))
        .collect();
    check_url_ends_with(&url, &want);
}
