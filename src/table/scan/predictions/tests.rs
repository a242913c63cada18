//! The scanner's cells against `serde_json`'s own reading of the same text. The answers of
//! every wire against the serde path are in `protocol/scan_tests.rs`.

use super::super::json::{Number, number_text};
use super::*;
use serde_json::Value;

/// A number literal's cell text, checked against `serde_json`'s `Value::to_string`; `None`
/// when the scanner gives up.
fn both(literal: &str) -> Option<Cow<'_, str>> {
    let fast = number_text(literal);
    let slow = serde_json::from_str::<Value>(literal).map(|v| v.to_string());
    match (&fast, &slow) {
        (Some(f), Ok(s)) => assert_eq!(f, s, "{literal}"),
        (Some(f), Err(e)) => panic!("{literal}: {f} where serde_json says {e}"),
        (None, Ok(s)) => {
            let exponent = literal
                .split(['e', 'E'])
                .nth(1)
                .map_or(0, |e| e.trim_start_matches(['+', '-']).len());
            assert!(
                literal.len() > 64 || exponent > 4,
                "{literal} given up, where serde_json reads {s}"
            );
        }
        (None, Err(_)) => {}
    }
    fast
}

#[test]
fn numbers_are_written_back_as_serde_json_writes_them() {
    let borrowed = |l| matches!(both(l), Some(Cow::Borrowed(_)));
    for l in [
        "0",
        "1",
        "-3",
        "100",
        "0.8154170274669116",
        "3.756961061029962e-6",
        "0.1",
        "1.0",
        "-0.0",
        "18446744073709551615",
        "-9223372036854775808",
        "1e+20",
    ] {
        assert!(borrowed(l), "{l}");
    }
    for (l, text) in [
        ("-0", "-0.0"),
        ("1e3", "1000.0"),
        ("1E+3", "1000.0"),
        ("1.50", "1.5"),
        ("1e20", "1e+20"),
        ("2.5E-5", "0.000025"),
        ("18446744073709551616", "1.8446744073709552e+19"),
        ("-9223372036854775809", "-9.223372036854776e+18"),
        ("123456789012345678901234567890", "1.2345678901234568e+29"),
        ("1e-400", "0.0"),
        ("-1e-400", "-0.0"),
        ("4.9e-324", "5e-324"),
        ("0.30000000000000004", "0.30000000000000004"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"),
    ] {
        assert_eq!(both(l).as_deref(), Some(text), "{l}");
        assert!(!borrowed(l) || l == text, "{l}");
    }
    for l in ["1e400", "-1e309", "1.8e308", &"9".repeat(400)] {
        assert_eq!(both(l), None, "{l}");
    }
    for l in [&format!("0.{}1", "0".repeat(70)), "1e00001", "0e99999"] {
        assert_eq!(both(l), None, "{l}");
    }
}

/// A random literal of JSON's number syntax.
fn literal(rng: &mut fastrand::Rng) -> String {
    let digits = |rng: &mut fastrand::Rng, n: usize| -> String {
        (0..n).map(|_| char::from(b'0' + rng.u8(0..10))).collect()
    };
    match rng.u8(0..4) {
        // What serde_json (Python's repr alike) writes, and Rust's other forms.
        0 => {
            let f = f64::from_bits(rng.u64(..));
            if !f.is_finite() {
                return "1.0".into();
            }
            match rng.u8(0..3) {
                0 => serde_json::Number::from_f64(f).unwrap().to_string(),
                1 => format!("{f:e}"),
                _ => format!("{f:?}"),
            }
        }
        1 => {
            let scale = 10f64.powi(rng.i32(-8..8));
            (rng.f64() * scale).to_string()
        }
        _ => {
            let mut s = String::new();
            if rng.bool() {
                s.push('-');
            }
            let n = [1, 1, 2, 5, 17, 18, 19, 20, 21, 25][rng.usize(..10)];
            let int = digits(rng, n);
            match int.trim_start_matches('0') {
                "" => s.push('0'),
                rest => s.push_str(rest),
            }
            if rng.u8(0..3) == 0 {
                s.push('.');
                let n = rng.usize(1..22);
                s.push_str(&digits(rng, n));
            }
            if rng.u8(0..3) == 0 {
                s.push(if rng.bool() { 'e' } else { 'E' });
                s.push_str(["", "+", "-"][rng.usize(..3)]);
                let n = rng.usize(1..5);
                s.push_str(&digits(rng, n));
            }
            s
        }
    }
}

#[test]
fn random_numbers_are_written_back_as_serde_json_writes_them() {
    let mut rng = fastrand::Rng::with_seed(11);
    let mut read = 0;
    for _ in 0..100_000 {
        let l = literal(&mut rng);
        if both(&l).is_some() {
            read += 1;
        }
    }
    assert!(read > 85_000, "{read}");
}

#[test]
fn integers_are_read_as_serde_json_reads_them() {
    for (l, n) in [
        ("0", Some(Number::Int)),
        ("-0", Some(Number::Float(-0.0))),
        ("9223372036854775808", Some(Number::Int)),
        ("-9223372036854775808", Some(Number::Int)),
        ("18446744073709551615", Some(Number::Int)),
        (
            "18446744073709551616",
            Some(Number::Float(18446744073709551616.0)),
        ),
    ] {
        assert_eq!(Number::read(l), n, "{l}");
    }
}

#[test]
fn lists_are_read_with_their_shape() {
    let l = list(
        br#" { "a" : [1, {"b": null}] , "predictions" : [ "x" , 1.50, true, null ] } "#,
        At::Key,
        4,
    )
    .unwrap();
    assert_eq!((l.width, l.len), (None, 4));
    assert_eq!(
        l.cells,
        [
            Cell::Str("x".into()),
            Cell::Lit("1.5".into()),
            Cell::Lit("true".into()),
            Cell::Null
        ]
    );
    assert!(matches!(l.cells[0], Cell::Str(Cow::Borrowed("x"))));
    let l = list(b"[[1,2],[3,4],[5,6]]", At::KeyOrBare, 1).unwrap();
    assert_eq!((l.width, l.len, l.cells.len()), (Some(2), 3, 6));
    let l = list(b"[[],[]]", At::KeyOrBare, 1).unwrap();
    assert_eq!((l.width, l.len, l.cells.len()), (Some(0), 2, 0));
    let l = list(b"[]", At::KeyOrBare, 1).unwrap();
    assert_eq!((l.width, l.len), (None, 0));
    let t = tensors(
        br#"{"model_name":"m","outputs":[{"name":"p","datatype":"FP64","shape":[2,2],"data":[0.5,0.5,1,0]},{"name":"q","data":["a","b"]}],"parameters":{"x":[1e300]}}"#,
        2,
    )
    .unwrap();
    assert_eq!(t.len(), 2);
    assert_eq!(
        (t[0].name.as_ref(), &t[0].shape[..], t[0].data.len()),
        ("p", &[2, 2][..], 4)
    );
    assert_eq!(
        (t[1].name.as_ref(), &t[1].shape[..], t[1].data.len()),
        ("q", &[][..], 2)
    );
}

#[test]
fn anything_unusual_is_left_to_the_serde_path() {
    for body in [
        r#"[{"a": 1}]"#,
        r#"{"predictions": {"a": [1]}}"#,
        r#"[1, [2]]"#,
        r#"[[1, 2], [3]]"#,
        r#"[[1, [2]]]"#,
        r#"[[1], 2]"#,
        r#"{"predictions": [1], "predictions": [2]}"#,
        r#"{"predictions": [1e400]}"#,
        r#"{"x": 1e400, "predictions": [1]}"#,
        r#"{"x": [-1E999], "predictions": [1]}"#,
        r#"{"predictions": [01]}"#,
        r#"{"predictions": [1.]}"#,
        r#"{"predictions": [+1]}"#,
        r#"{"predictions": [.5]}"#,
        r#"{"predictions": [1,]}"#,
        r#"{"predictions": ["\ud800"]}"#,
        r#"{"predictions": [1]} x"#,
        r#"{"predictions": [1]"#,
        r#"{"result": [1]}"#,
        r#""[1]""#,
        "{\"predictions\": [\"a\tb\"]}",
        "",
    ] {
        assert!(list(body.as_bytes(), At::KeyOrBare, 1).is_none(), "{body}");
    }
    assert!(list(b"[1]", At::Key, 1).is_none());
    assert!(list(b"[\"\xff\"]", At::KeyOrBare, 1).is_none());
    for body in [
        r#"{"outputs": [{"name": "p", "data": [[1], [2]]}]}"#,
        r#"{"outputs": [{"name": "p", "data": 1}]}"#,
        r#"{"outputs": [{"name": "p", "shape": [1.0], "data": [1]}]}"#,
        r#"{"outputs": [{"name": "p", "shape": [-0], "data": [1]}]}"#,
        r#"{"outputs": [{"name": "p", "shape": [9223372036854775808], "data": [1]}]}"#,
        r#"{"outputs": [{"name": "p", "shape": null, "data": [1]}]}"#,
        r#"{"outputs": [{"name": 1, "data": [1]}]}"#,
        r#"{"outputs": [{"data": [1]}]}"#,
        r#"{"outputs": [{"name": "p"}]}"#,
        r#"{"outputs": [{"name": "p", "name": "q", "data": [1]}]}"#,
        r#"{"outputs": [], "outputs": []}"#,
        r#"{"outputs": {}}"#,
        r#"{"model_name": "m"}"#,
        r#"[]"#,
    ] {
        assert!(tensors(body.as_bytes(), 1).is_none(), "{body}");
    }
}

#[test]
fn nesting_is_given_up_where_serde_json_refuses_it() {
    // serde_json fails at the 128th container; the top object is the first.
    let deep = |n: usize| {
        format!(
            r#"{{"x":{}{},"predictions":[1]}}"#,
            "[".repeat(n),
            "]".repeat(n)
        )
    };
    for n in [126, 127] {
        let body = deep(n);
        let serde = serde_json::from_str::<Value>(&body).is_ok();
        assert_eq!(list(body.as_bytes(), At::Key, 1).is_some(), serde, "{n}");
    }
    assert!(serde_json::from_str::<Value>(&deep(126)).is_ok());
    assert!(serde_json::from_str::<Value>(&deep(127)).is_err());
    let deep = |n: usize| {
        format!(
            r#"{{"outputs":[{{"name":"p","x":{}{},"data":[1]}}]}}"#,
            "{\"a\":".repeat(n),
            "0}".repeat(n)
        )
    };
    for n in [124, 125] {
        let body = deep(n);
        let serde = serde_json::from_str::<Value>(&body).is_ok();
        assert_eq!(tensors(body.as_bytes(), 1).is_some(), serde, "{n}");
    }
}
