//! Writes the RRS response body as JSON bytes directly (no `serde_json::Value` tree): `output1`
//! with `Col2` then `Col2_HashingFeature.0 .. .(2^bits-1)`, cells as strings (`protocol.md`
//! §3.3), `ColumnNames`/`ColumnTypes` only with `details=true` (§3.4), or row objects with
//! `format=swagger` (§3.5). Knows nothing of HTTP.

use super::parse::COLUMN;
use crate::serve::experiment::{FeatureHasher, FeatureHashing};
use crate::serve::guard::CallOptions;
use std::borrow::Cow;

/// The experiment's web-service output.
pub const OUTPUT_NAME: &str = "output1";
/// Suffix of the hashing columns' names: `Col2_HashingFeature.<j>`.
pub const FEATURE_SUFFIX: &str = "_HashingFeature.";

/// The whole response body for `texts` hashed with `settings`.
pub fn response(texts: &[Cow<'_, str>], settings: FeatureHashing, opts: CallOptions) -> Vec<u8> {
    let columns = settings.columns();
    let text_bytes: usize = texts.iter().map(|t| t.len() + 4).sum();
    let per_cell = if opts.swagger { 32 } else { 4 };
    let mut out = Vec::with_capacity(64 + text_bytes + texts.len() * columns * per_cell);
    out.extend_from_slice(b"{\"Results\":{\"");
    out.extend_from_slice(OUTPUT_NAME.as_bytes());
    out.extend_from_slice(b"\":");
    // No hasher (and no 2^bits buffer) for an empty table.
    let mut hasher = (!texts.is_empty()).then(|| FeatureHasher::new(settings));
    if opts.swagger {
        write_row_objects(&mut out, texts, hasher.as_mut());
    } else {
        write_table(&mut out, texts, columns, opts.details, hasher.as_mut());
    }
    out.extend_from_slice(b"}}");
    out
}

fn write_table(
    out: &mut Vec<u8>,
    texts: &[Cow<'_, str>],
    columns: usize,
    details: bool,
    mut hasher: Option<&mut FeatureHasher>,
) {
    out.extend_from_slice(b"{\"type\":\"table\",\"value\":{");
    if details {
        out.extend_from_slice(b"\"ColumnNames\":[\"");
        out.extend_from_slice(COLUMN.as_bytes());
        out.push(b'"');
        for j in 0..columns {
            out.extend_from_slice(b",\"");
            push_feature_name(out, j);
            out.push(b'"');
        }
        out.extend_from_slice(b"],\"ColumnTypes\":[\"String\"");
        for _ in 0..columns {
            out.extend_from_slice(b",\"Int32\"");
        }
        out.extend_from_slice(b"],");
    }
    out.extend_from_slice(b"\"Values\":[");
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_json_str(out, text);
        let counts = hasher.as_mut().map_or(&[][..], |h| h.hash(text));
        for &c in counts {
            out.extend_from_slice(b",\"");
            push_u32(out, c);
            out.push(b'"');
        }
        out.push(b']');
    }
    out.extend_from_slice(b"]}}");
}

fn write_row_objects(
    out: &mut Vec<u8>,
    texts: &[Cow<'_, str>],
    mut hasher: Option<&mut FeatureHasher>,
) {
    out.push(b'[');
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"");
        out.extend_from_slice(COLUMN.as_bytes());
        out.extend_from_slice(b"\":");
        push_json_str(out, text);
        let counts = hasher.as_mut().map_or(&[][..], |h| h.hash(text));
        for (j, &c) in counts.iter().enumerate() {
            out.extend_from_slice(b",\"");
            push_feature_name(out, j);
            out.extend_from_slice(b"\":\"");
            push_u32(out, c);
            out.push(b'"');
        }
        out.push(b'}');
    }
    out.push(b']');
}

/// `Col2_HashingFeature.<j>` (no quotes; the name needs no escaping).
pub fn push_feature_name(out: &mut Vec<u8>, j: usize) {
    out.extend_from_slice(COLUMN.as_bytes());
    out.extend_from_slice(FEATURE_SUFFIX.as_bytes());
    push_u32(out, u32::try_from(j).expect("at most 2^31 columns"));
}

/// A JSON string literal with serde_json's escaping.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(&mut *out, s).expect("writing a string to a Vec cannot fail");
}

/// Decimal digits of `n`, without allocating.
pub fn push_u32(out: &mut Vec<u8>, mut n: u32) {
    if n < 10 {
        out.push(b'0' + n as u8);
        return;
    }
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    while n > 0 {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&buf[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const FH: FeatureHashing = FeatureHashing { bits: 3, ngrams: 2 };

    fn render(texts: &[&str], details: bool, swagger: bool) -> Value {
        let texts: Vec<Cow<str>> = texts.iter().map(|t| Cow::Borrowed(*t)).collect();
        let body = response(&texts, FH, CallOptions { details, swagger });
        serde_json::from_slice(&body).unwrap()
    }

    #[test]
    fn table_with_details_names_and_types_every_column() {
        let v = render(&["This is a good day"], true, false);
        let names: Vec<String> = (0..8).map(|j| format!("Col2_HashingFeature.{j}")).collect();
        let mut want_names = vec!["Col2".to_string()];
        want_names.extend(names);
        let mut want_types = vec!["String"];
        want_types.extend(["Int32"; 8]);
        assert_eq!(
            v,
            json!({"Results":{"output1":{"type":"table","value":{
                "ColumnNames": want_names, "ColumnTypes": want_types,
                "Values":[["This is a good day","1","1","2","2","0","2","0","1"]]}}}})
        );
    }

    #[test]
    fn table_without_details_has_values_only() {
        let v = render(&["a \"quoted\"\n text", ""], false, false);
        assert_eq!(
            v["Results"]["output1"]["value"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["Values"]
        );
        assert_eq!(
            v["Results"]["output1"]["value"]["Values"][0][0],
            "a \"quoted\"\n text"
        );
        assert_eq!(
            v["Results"]["output1"]["value"]["Values"][1],
            json!(["", "0", "0", "0", "0", "0", "0", "0", "0"])
        );
        assert_eq!(
            render(&[], false, false),
            json!({"Results":{"output1":{"type":"table","value":{"Values":[]}}}})
        );
    }

    #[test]
    fn swagger_rows_keep_column_order() {
        let v = render(&["This is a good day"], true, false);
        let s = render(&["This is a good day"], false, true);
        let row = s["Results"]["output1"][0].as_object().unwrap();
        let keys: Vec<&String> = row.keys().collect();
        assert_eq!(
            keys,
            v["Results"]["output1"]["value"]["ColumnNames"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap())
                .collect::<Vec<_>>()
        );
        assert_eq!(row["Col2_HashingFeature.2"], "2");
        assert_eq!(render(&[], false, true), json!({"Results":{"output1":[]}}));
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0u32, 7, 10, 99, 1234, u32::MAX] {
            let mut out = Vec::new();
            push_u32(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }
}
