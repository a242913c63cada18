//! The emulated experiment: Studio (classic) "Feature Hashing" of one text column, reproduced
//! exactly as Vowpal Wabbit hashes text (`spec/feature-hashing.md` §4), plus the experiment's two
//! web-service parameters ("Hashing bitsize", "N-grams") and their validation. Pure computation:
//! knows nothing of HTTP, JSON bodies or the server.

use serde_json::{Map, Value};

/// Name of the web-service parameter that sets the number of bits.
pub const BITS_PARAM: &str = "Hashing bitsize";
/// Name of the web-service parameter that sets the longest n-gram.
pub const NGRAMS_PARAM: &str = "N-grams";
/// Allowed "Hashing bitsize" values (module reference, §2).
pub const BITS_RANGE: std::ops::RangeInclusive<u32> = 1..=31;
/// Allowed "N-grams" values (module reference, §2).
pub const NGRAMS_RANGE: std::ops::RangeInclusive<u32> = 0..=10;

/// VW's `quadratic_constant`: an n-gram hash is `h1 * C + h2` (mod 2^32), left to right.
const NGRAM_C: u32 = 27_942_141;

/// The settings of one Feature Hashing run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureHashing {
    pub bits: u32,
    pub ngrams: u32,
}

/// Why `GlobalParameters` were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamError {
    /// A name the experiment does not have (names are case-sensitive).
    Unexpected(String),
    /// A known name with a value out of range or not an integer.
    Invalid(String),
}

impl FeatureHashing {
    /// Output columns per text column: 2^bits.
    pub fn columns(self) -> usize {
        1usize << self.bits
    }

    /// These defaults overridden by the request's `GlobalParameters` (strings or numbers).
    /// A `null` value keeps the default.
    pub fn with_parameters(self, params: &Map<String, Value>) -> Result<Self, ParamError> {
        let mut out = self;
        for (name, value) in params {
            let (slot, range) = match name.as_str() {
                BITS_PARAM => (&mut out.bits, BITS_RANGE),
                NGRAMS_PARAM => (&mut out.ngrams, NGRAMS_RANGE),
                _ => return Err(ParamError::Unexpected(name.clone())),
            };
            if let Some(v) = parse_integer(value) {
                if v < 0 || v > i64::from(*range.end()) || !range.contains(&(v as u32)) {
                    return Err(ParamError::Invalid(format!(
                        "Parameter '{name}' must be an integer from {} to {}; got {v}.",
                        range.start(),
                        range.end()
                    )));
                }
                *slot = v as u32;
            } else if !value.is_null() {
                return Err(ParamError::Invalid(format!(
                    "Parameter '{name}' must be an integer from {} to {}; got {value}.",
                    range.start(),
                    range.end()
                )));
            }
        }
        Ok(out)
    }
}

/// An integer given as a JSON number or a string holding one ("3", " 3 ").
fn parse_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Hashes texts into bucket counts, reusing its buffers: after the first rows, hashing a row
/// allocates nothing.
#[derive(Debug, Clone)]
pub struct FeatureHasher {
    mask: u32,
    ngrams: usize,
    /// Unigram hashes of the current row.
    hashes: Vec<u32>,
    /// Bucket counts of the current row, 2^bits long.
    counts: Vec<u32>,
}

impl FeatureHasher {
    pub fn new(settings: FeatureHashing) -> Self {
        FeatureHasher {
            mask: ((1u64 << settings.bits) - 1) as u32,
            // N-grams 0 behaves like 1 (unigrams only), as in the designer's `max(ngrams, 1)`.
            ngrams: settings.ngrams.max(1) as usize,
            hashes: Vec::new(),
            counts: vec![0; settings.columns()],
        }
    }

    /// The bucket counts of `text`: element j counts the unigrams and n-grams whose hash masked
    /// to the bitsize is j. The slice is valid until the next call.
    pub fn hash(&mut self, text: &str) -> &[u32] {
        self.counts.fill(0);
        self.hashes.clear();
        // VW's text format splits features on spaces and tabs; empty pieces are dropped.
        for token in text.as_bytes().split(|&b| b == b' ' || b == b'\t') {
            if !token.is_empty() {
                self.hashes.push(vw_hashstring(token, 0));
            }
        }
        let (mask, n, hashes) = (self.mask, self.ngrams, &self.hashes);
        for (i, &first) in hashes.iter().enumerate() {
            self.counts[(first & mask) as usize] += 1;
            // The n-grams starting at token i, by Horner's rule: each extends the previous one.
            let mut x = first;
            for &next in hashes.iter().skip(i + 1).take(n - 1) {
                x = x.wrapping_mul(NGRAM_C).wrapping_add(next);
                self.counts[(x & mask) as usize] += 1;
            }
        }
        &self.counts
    }
}

/// VW's `hashstring`: trims bytes <= 0x20 at both ends; an all-digit token (or an empty one)
/// hashes to its decimal value plus the seed (mod 2^32), anything else to MurmurHash3.
pub fn vw_hashstring(token: &[u8], seed: u32) -> u32 {
    let start = token.iter().position(|&b| b > 0x20).unwrap_or(token.len());
    let end = token
        .iter()
        .rposition(|&b| b > 0x20)
        .map_or(start, |i| i + 1);
    let t = &token[start..end];
    if t.iter().all(u8::is_ascii_digit) {
        t.iter()
            .fold(0u32, |v, &b| {
                v.wrapping_mul(10).wrapping_add(u32::from(b - b'0'))
            })
            .wrapping_add(seed)
    } else {
        murmur3_x86_32(t, seed)
    }
}

/// The standard MurmurHash3_x86_32: little-endian 4-byte blocks, unsigned tail, `fmix32`.
pub fn murmur3_x86_32(data: &[u8], seed: u32) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let mix = |k: u32| k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    let mut h = seed;
    let mut blocks = data.chunks_exact(4);
    for b in &mut blocks {
        h ^= mix(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let k = tail
            .iter()
            .rev()
            .fold(0u32, |k, &b| (k << 8) | u32::from(b));
        h ^= mix(k);
    }
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const VECTORS: &str = include_str!("../../tests/data/feature_hashing.json");

    fn fh(bits: u32, ngrams: u32) -> FeatureHashing {
        FeatureHashing { bits, ngrams }
    }

    #[test]
    fn matches_vowpal_wabbit_on_every_shared_vector() {
        let doc: Value = serde_json::from_str(VECTORS).unwrap();
        let cases = doc["cases"].as_array().unwrap();
        assert!(cases.len() >= 9, "the vector file lost cases");
        for case in cases {
            let text = case["text"].as_str().unwrap();
            let bits = case["bits"].as_u64().unwrap() as u32;
            let ngrams = case["ngrams"].as_u64().unwrap() as u32;
            let want: Vec<u32> = serde_json::from_value(case["output"].clone()).unwrap();
            let mut hasher = FeatureHasher::new(fh(bits, ngrams));
            assert_eq!(
                hasher.hash(text),
                want,
                "{text:?} bits {bits} N-grams {ngrams}"
            );
        }
    }

    #[test]
    fn tutorial_row_gives_the_documented_counts() {
        let mut hasher = FeatureHasher::new(fh(3, 2));
        assert_eq!(hasher.hash("This is a good day"), [1, 1, 2, 2, 0, 2, 0, 1]);
        // Buffers are reused: a second row is counted from zero.
        assert_eq!(hasher.hash(""), [0; 8]);
        assert_eq!(hasher.hash("This is a good day"), [1, 1, 2, 2, 0, 2, 0, 1]);
    }

    #[test]
    fn full_32_bit_hashes_match_the_spec() {
        // spec/feature-hashing.md §6, row 2 unigrams and row 7 (digits hash to their value).
        let row2: Vec<u32> = "This is a good day"
            .split(' ')
            .map(|t| vw_hashstring(t.as_bytes(), 0))
            .collect();
        assert_eq!(
            row2,
            [2997037087, 2021799277, 1009084850, 115441729, 3774761357]
        );
        let bigram = |a: u32, b: u32| a.wrapping_mul(NGRAM_C).wrapping_add(b);
        assert_eq!(bigram(row2[0], row2[1]), 1774321680);
        assert_eq!(
            bigram(bigram(row2[0], row2[1]), row2[2]),
            2474981762,
            "trigram by Horner"
        );
        assert_eq!(vw_hashstring(b"101", 0), 101);
        assert_eq!(vw_hashstring(b"2017", 0), 2017);
        assert_eq!(vw_hashstring(b"Room", 0), 3440701822);
        assert_eq!(vw_hashstring(b"\r2017\n", 0), 2017, "edges <= 0x20 trimmed");
    }

    #[test]
    fn murmur3_matches_reference_values() {
        // Published MurmurHash3_x86_32 test values.
        assert_eq!(murmur3_x86_32(b"", 0), 0);
        assert_eq!(murmur3_x86_32(b"", 1), 0x514e_28b7);
        assert_eq!(murmur3_x86_32(b"\xff\xff\xff\xff", 0), 0x7629_3b50);
        assert_eq!(murmur3_x86_32(b"\x21\x43\x65\x87", 0), 0xf55b_516b);
        assert_eq!(murmur3_x86_32(b"\x21\x43\x65", 0), 0x7e4a_8634);
        assert_eq!(murmur3_x86_32(b"\x21\x43", 0), 0xa0f7_b07a);
        assert_eq!(murmur3_x86_32(b"\x21", 0), 0x7266_1cf4);
        assert_eq!(murmur3_x86_32(b"Hello, world!", 1234), 0xfaf6_cdb3);
    }

    #[test]
    fn zero_ngrams_is_unigrams_only_and_no_constant_is_counted() {
        let mut zero = FeatureHasher::new(fh(3, 0));
        let mut one = FeatureHasher::new(fh(3, 1));
        let z = zero.hash("This is a good day").to_vec();
        assert_eq!(z, one.hash("This is a good day"));
        assert_eq!(z.iter().sum::<u32>(), 5, "five unigrams, no constant");
        // Runs of spaces and tabs collapse; 3 tokens give 3 + 2 + 1 features at N-grams 3.
        let mut three = FeatureHasher::new(fh(2, 3));
        assert_eq!(three.hash(" a\t\tb  c ").iter().sum::<u32>(), 6);
    }

    #[test]
    fn parameters_override_defaults_as_strings_or_numbers() {
        let d = fh(3, 2);
        let p = json!({"Hashing bitsize": "5", "N-grams": 0});
        assert_eq!(d.with_parameters(p.as_object().unwrap()), Ok(fh(5, 0)));
        let p = json!({"Hashing bitsize": null});
        assert_eq!(d.with_parameters(p.as_object().unwrap()), Ok(d));
        let p = json!({});
        assert_eq!(d.with_parameters(p.as_object().unwrap()), Ok(d));
    }

    #[test]
    fn parameters_out_of_range_or_unknown_are_refused() {
        let d = fh(3, 2);
        for bad in [
            json!({"Hashing bitsize": 0}),
            json!({"Hashing bitsize": "32"}),
            json!({"Hashing bitsize": -1}),
            json!({"Hashing bitsize": 3.5}),
            json!({"N-grams": 11}),
            json!({"N-grams": "two"}),
            json!({"N-grams": true}),
            json!({"Hashing bitsize": 99999999999i64}),
        ] {
            let r = d.with_parameters(bad.as_object().unwrap());
            assert!(matches!(r, Err(ParamError::Invalid(_))), "{bad}: {r:?}");
        }
        let r = d.with_parameters(json!({"hashing bitsize": 3}).as_object().unwrap());
        assert_eq!(r, Err(ParamError::Unexpected("hashing bitsize".into())));
    }

    /// Throughput of the hashing itself. Measure with
    /// `cargo test --release hashing_throughput -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn hashing_throughput() {
        let texts = [
            "This is a good day",
            "I loved this book",
            "The quick brown fox jumps over the lazy dog",
            "Room 101 costs 2017 dollars",
        ];
        let rows = 4_000_000;
        let mut hasher = FeatureHasher::new(fh(3, 2));
        let mut sink = 0u64;
        let start = std::time::Instant::now();
        for i in 0..rows {
            sink += u64::from(hasher.hash(texts[i % texts.len()])[i % 8]);
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "feature hashing: {rows} rows in {secs:.3} s = {:.2} M rows/s (checksum {sink})",
            rows as f64 / secs / 1e6
        );
    }
}
