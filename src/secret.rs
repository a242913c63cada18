//! `Secret`: a string that must never be printed (API keys, subscription keys, account keys,
//! SAS signatures). Redaction is by type: `Debug` prints `***`, there is no `Display`, and the
//! value is only reachable through [`Secret::expose`]. Knows nothing of where secrets come from.

use std::fmt;

/// A secret string. Compare with [`Secret::ct_eq`] (constant time), print never.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The raw value, for the one place that puts it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Constant-time comparison, so a server does not leak how many leading bytes matched.
    pub fn ct_eq(&self, other: &str) -> bool {
        ct_eq(self.0.as_bytes(), other.as_bytes())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

/// Constant-time byte comparison: the time depends on the lengths only, not on the contents.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Masks a secret for display: `***` whatever its length, so not even the length leaks.
pub const MASK: &str = "***";

/// Replaces the value of every SAS signature (`sig=`), every storage account key and every SAS
/// token of a connection string (`AccountKey=`, `SharedAccessSignature=`) in `text` with `***`. Works on whole URLs, bare
/// query strings, connection strings, JSON bodies and free text containing them.
pub fn mask_secrets(text: &str) -> String {
    let masked = mask_after(text, "sig=", &['?', '&', ';', ' ', '"', '\'', '\n']);
    mask_after(
        &masked,
        "accountkey=",
        &[';', ' ', '"', '\'', '\n', '{', '('],
    )
}

/// Masks the value after every case-insensitive `marker` that starts the text or follows one
/// of `before` (so `design=` is not taken for `sig=`). A value ends at `&`, `;`, a quote or
/// whitespace.
fn mask_after(text: &str, marker: &str, before: &[char]) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(i) = lower[from..].find(marker) {
        let at = from + i;
        let starts = at == 0
            || text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| before.contains(&c));
        let value_start = at + marker.len();
        if !starts {
            from = value_start;
            continue;
        }
        let len = text[value_start..]
            .find(|c: char| c == '&' || c == ';' || c == '"' || c == '\'' || c.is_whitespace())
            .unwrap_or(text.len() - value_start);
        out.push_str(&text[copied..value_start]);
        if len > 0 {
            out.push_str(MASK);
        }
        copied = value_start + len;
        from = copied;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{:?}", Some(s)), "Some(***)");
    }

    #[test]
    fn constant_time_equality() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
        assert!(!ct_eq(b"", b"a"));
        assert!(ct_eq(b"", b""));
        assert!(Secret::new("k").ct_eq("k"));
    }

    #[test]
    fn sas_signatures_are_masked() {
        let url = "http://h/c/b.csv?sv=2022-11-02&sp=r&sig=AbC%2Fd%3D&se=2026";
        assert_eq!(
            mask_secrets(url),
            "http://h/c/b.csv?sv=2022-11-02&sp=r&sig=***&se=2026"
        );
        assert_eq!(mask_secrets("?sig=x"), "?sig=***");
        assert_eq!(mask_secrets("no signature"), "no signature");
        assert_eq!(mask_secrets("a?Sig=XYZ b"), "a?Sig=*** b");
        assert_eq!(mask_secrets("design=1"), "design=1");
        let cs = "DefaultEndpointsProtocol=http;AccountName=a;AccountKey=K3y/+==;BlobEndpoint=http://h/a";
        assert_eq!(
            mask_secrets(cs),
            "DefaultEndpointsProtocol=http;AccountName=a;AccountKey=***;BlobEndpoint=http://h/a"
        );
        assert_eq!(
            mask_secrets(r#"{"ConnectionString":"AccountKey=abc"}"#),
            r#"{"ConnectionString":"AccountKey=***"}"#
        );
    }
}
