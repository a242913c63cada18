//! The scanner against the serde path of `response.rs`, on every kind of answer.

use super::*;

/// The fast path's answer, checked against the serde path's.
fn both(body: &str) -> Option<Output<'_>> {
    let fast = output(body.as_bytes(), "output1", 4);
    if let Some(f) = &fast {
        let slow = super::super::response::parse_serde(body.as_bytes(), "output1").unwrap();
        assert_eq!(f, &slow, "{body}");
    }
    fast
}

#[test]
fn table_answers_are_read_as_serde_reads_them() {
    let full = r#" {"Results": {"other": {"type": "table", "value": {"Values": [[1.5e3, {"a": [null]}]]}},
        "output1": {"type": "table", "value": {"ColumnNames": ["Col2", "f.0"],
        "ColumnTypes": ["String", "Int32"], "Values": [["a, \"b\" \u00e9 \ud83d\ude00 \/\b\f\n\r\t", "1"],
        ["é 中", null], [true, false], []]}}}, "GlobalParameters": {"x": -0.5E-2, "y": [0, "s"]}} "#;
    let out = both(full).unwrap();
    assert_eq!(out.len(), 4);
    assert_eq!(
        out.row(0)[0],
        Cell::Str("a, \"b\" é 😀 /\u{8}\u{c}\n\r\t".into())
    );
    assert!(matches!(out.row(1)[0], Cell::Str(Cow::Borrowed("é 中"))));
    assert_eq!(out.row(3), []);
    let no_names = r#"{"Results":{"output1":{"type":"table","value":{"Values":[["x","1"]]}}}}"#;
    assert_eq!(both(no_names).unwrap().columns, None);
    let empty = r#"{"Results":{"output1":{"value":{"ColumnNames":[],"Values":[]}}}}"#;
    assert!(both(empty).unwrap().is_empty());
}

#[test]
fn strings_of_any_length_and_content_are_read_exactly() {
    let alphabet = [
        'a', ' ', ',', '"', '\\', '\n', '\u{1}', '\u{7f}', 'é', '😀', '/',
    ];
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..500 {
        let cells: Vec<String> = (0..3)
            .map(|_| {
                let n = rng.usize(0..40);
                (0..n)
                    .map(|_| alphabet[rng.usize(..alphabet.len())])
                    .collect()
            })
            .collect();
        let body = format!(
            r#"{{"Results":{{"output1":{{"value":{{"Values":[{}]}}}}}}}}"#,
            serde_json::to_string(&cells).unwrap()
        );
        let out = both(&body).unwrap();
        let got: Vec<&str> = out
            .row(0)
            .iter()
            .map(|c| match c {
                Cell::Str(s) => s.as_ref(),
                _ => panic!("{c:?}"),
            })
            .collect();
        assert_eq!(got, cells);
    }
}

#[test]
fn anything_unusual_is_left_to_the_serde_path() {
    for body in [
        r#"{"Results":{"output1":[{"a":"1"}]}}"#,
        r#"{"Results":{"output1":{"value":{"Values":[[1]]}}}}"#,
        r#"{"Results":{"output1":{"value":{"Values":[[["x"]]]}}}}"#,
        r#"{"Results":{"output1":{"value":{"Values":[],"ColumnNames":["a"]}}}}"#,
        r#"{"Results":{"output1":{"value":{"Values":[]},"value":{"Values":[]}}}}"#,
        r#"{"Results":{"output1":{"value":{"Values":[]}}},"Results":{}}"#,
        r#"{"Results":{"output2":{"value":{"Values":[]}}}}"#,
        r#"{"Results":{"output1":{"value":{"Values":[["a"]]}}}} x"#,
        r#"{"Results":{"output1":{"value":{"Values":[["a"],]}}}}"#,
        r#"{"Results":{"output1":{"value":{"Values":[["a\x"]]}}}}"#,
        r#"{"Results":{"output1":{"value":{"Values":[["\ud800"]]}}}}"#,
        "{\"Results\":{\"output1\":{\"value\":{\"Values\":[[\"a\tb\"]]}}}}",
        r#"{"Results":{"output1":{"value":{"Values":[]}}},"n":01}"#,
        r#"{"Results":{"output1":{"value":{"Values":[]}}},"n":1.}"#,
        r#"{"Results":{"output1":{"value":{"Values":[]}}},"n":tru}"#,
        r#"{"Results":{"output1":{"value":{"Values":[["a"]]}}"#,
        "{}",
        "",
    ] {
        assert!(both(body).is_none(), "{body}");
    }
    let deep = format!(
        r#"{{"x":{}{},"Results":{{"output1":{{"value":{{"Values":[]}}}}}}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    assert!(both(&deep).is_none());
    let bad_utf8 = b"{\"Results\":{\"output1\":{\"value\":{\"Values\":[[\"\xff\"]]}}}}";
    assert!(output(bad_utf8, "output1", 1).is_none());
}
