//! Masking for everything the client shows (traces, retry reasons, `--dry-run` requests): our
//! own keys wherever they appear, storage account keys and SAS tokens inside connection strings
//! (a BES submit body carries them, `protocol.md` §5.2), and `sig=` values in URLs.

use crate::secret::{MASK, Secret, mask_secrets};

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
