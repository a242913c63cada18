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
    #[allow(dead_code)] // used once the rest of the crate is built
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
#[allow(dead_code)] // used once the rest of the crate is built
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Masks a secret for display: `***` whatever its length, so not even the length leaks.
pub const MASK: &str = "***";

/// Replaces the value of every `sig=` (SAS signature) query parameter in `text` with `***`.
/// Works on whole URLs, bare query strings and free text containing URLs.
pub fn mask_sas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = find_sig(rest) {
        let (head, tail) = rest.split_at(pos + 4); // include "sig="
        out.push_str(head);
        let end = tail
            .find(|c: char| c == '&' || c == '"' || c == '\'' || c.is_whitespace() || c == ';')
            .unwrap_or(tail.len());
        if end > 0 {
            out.push_str(MASK);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn find_sig(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].to_ascii_lowercase().find("sig=") {
        let at = from + i;
        if at == 0 || matches!(bytes[at - 1], b'?' | b'&' | b';' | b' ') {
            return Some(at);
        }
        from = at + 4;
    }
    None
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
            mask_sas(url),
            "http://h/c/b.csv?sv=2022-11-02&sp=r&sig=***&se=2026"
        );
        assert_eq!(mask_sas("?sig=x"), "?sig=***");
        assert_eq!(mask_sas("no signature"), "no signature");
        assert_eq!(mask_sas("a?Sig=XYZ b"), "a?Sig=*** b");
        assert_eq!(mask_sas("design=1"), "design=1");
    }
}
