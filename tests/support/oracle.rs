//! An independent implementation of the emulator's experiment (spec/feature-hashing.md §4) for
//! bits 3 and N-grams 2, so that tests compute expected outputs locally rather than trusting
//! the code under test; and a generator of input rows with quoting, digits and non-ASCII text.

/// An independent implementation of the experiment (spec/feature-hashing.md §4), bits 3,
/// N-grams 2, to compute the expected output locally.
pub fn expected_counts(text: &str) -> [u32; 8] {
    fn murmur(d: &[u8]) -> u32 {
        let (c1, c2) = (0xcc9e_2d51u32, 0x1b87_3593u32);
        let mut h = 0u32;
        let chunks = d.chunks_exact(4);
        let tail = chunks.remainder();
        for c in chunks {
            let k = u32::from_le_bytes([c[0], c[1], c[2], c[3]])
                .wrapping_mul(c1)
                .rotate_left(15)
                .wrapping_mul(c2);
            h = (h ^ k)
                .rotate_left(13)
                .wrapping_mul(5)
                .wrapping_add(0xe654_6b64);
        }
        let mut k = 0u32;
        for (i, b) in tail.iter().enumerate() {
            k ^= (*b as u32) << (8 * i);
        }
        if !tail.is_empty() {
            h ^= k.wrapping_mul(c1).rotate_left(15).wrapping_mul(c2);
        }
        h ^= d.len() as u32;
        h ^= h >> 16;
        h = h.wrapping_mul(0x85eb_ca6b);
        h ^= h >> 13;
        h = h.wrapping_mul(0xc2b2_ae35);
        h ^ (h >> 16)
    }
    let hashes: Vec<u32> = text
        .split([' ', '\t'])
        .filter(|t| !t.is_empty())
        .map(|t| {
            let t = t.trim_matches(|c: char| (c as u32) <= 0x20);
            if t.bytes().all(|b| b.is_ascii_digit()) {
                t.bytes().fold(0u32, |v, b| {
                    v.wrapping_mul(10).wrapping_add((b - b'0') as u32)
                })
            } else {
                murmur(t.as_bytes())
            }
        })
        .collect();
    let mut out = [0u32; 8];
    for h in &hashes {
        out[(h & 7) as usize] += 1;
    }
    for w in hashes.windows(2) {
        out[(w[0].wrapping_mul(27_942_141).wrapping_add(w[1]) & 7) as usize] += 1;
    }
    out
}

/// `n` rows of `Col2` text (deterministic), as CSV with a header, and the expected scored CSV.
pub fn rows_and_expectation(n: u32) -> (String, String) {
    let words = [
        "this",
        "is",
        "a",
        "good",
        "day",
        "Book",
        "2017",
        "101",
        "great,",
        "\"quoted\"",
        "ünï",
        "x",
    ];
    let mut input = String::from("Col2\n");
    let mut expected = String::from(HEADER);
    expected.push('\n');
    let mut seed = 7u64;
    for i in 0..n {
        let mut text = format!("row{i}");
        for _ in 0..(i % 7 + 1) {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push(' ');
            text.push_str(words[(seed >> 33) as usize % words.len()]);
        }
        let cell = if text.contains(['"', ',']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.clone()
        };
        input.push_str(&cell);
        input.push('\n');
        expected.push_str(&cell);
        for c in expected_counts(&text) {
            expected.push(',');
            expected.push_str(&c.to_string());
        }
        expected.push('\n');
    }
    (input, expected)
}

/// The output header of the experiment with bits 3.
pub const HEADER: &str = "Col2,Col2_HashingFeature.0,Col2_HashingFeature.1,Col2_HashingFeature.2,\
Col2_HashingFeature.3,Col2_HashingFeature.4,Col2_HashingFeature.5,Col2_HashingFeature.6,Col2_HashingFeature.7";
