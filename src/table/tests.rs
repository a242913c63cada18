//! Input parsing, batching, answers, writers and failed-rows files, end to end in memory.

use super::response::Cell;
use super::*;
use anyhow::Context;
use serde_json::{Value, json};

fn spec(max_rows: usize) -> BatchSpec {
    BatchSpec {
        input_name: "input1".into(),
        swagger: false,
        max_rows,
        max_body: MAX_BODY,
        params: vec![],
        delimiter: None,
    }
}

fn reader(text: &[u8], format: InputFormat) -> Source {
    Source::Reader {
        reader: Box::new(std::io::Cursor::new(text.to_vec())),
        name: "in.csv".into(),
        format,
    }
}

fn batches(text: &[u8], format: InputFormat, spec: &BatchSpec) -> Result<Vec<Batch>> {
    let mut src = open(reader(text, format), spec)?;
    let mut out = vec![];
    while let Some(b) = src.next_batch()? {
        out.push(b);
    }
    Ok(out)
}

/// Everything an opened source makes, as text to compare: its batches, the error that
/// stopped it, and what it leaves for `--failed-rows`. Reading stops after `stop` batches when
/// set (as when scoring fails part way).
pub(super) fn describe(opened: Result<Box<dyn BatchSource>>, stop: Option<usize>) -> String {
    let mut src = match opened {
        Ok(src) => src,
        Err(e) => return format!("open: {e:#}"),
    };
    let mut out = String::new();
    for _ in 0..stop.unwrap_or(usize::MAX) {
        match src.next_batch() {
            Ok(Some(b)) => {
                out += &format!(
                    "{} {:?} {} {:?} {:?}\n",
                    b.index,
                    b.lines,
                    b.rows,
                    String::from_utf8_lossy(&b.body),
                    String::from_utf8_lossy(&b.raw)
                )
            }
            Ok(None) => break,
            Err(e) => {
                out += &format!("error: {e:#}\n");
                break;
            }
        }
    }
    if let Some(mut rest) = src.into_remainder() {
        let mut tail = Vec::new();
        rest.rest.read_to_end(&mut tail).unwrap();
        out += &format!(
            "left: {:?} {:?}",
            String::from_utf8_lossy(&rest.pending),
            String::from_utf8_lossy(&tail)
        );
    }
    out
}

/// A spec for the differential tests of the input fast paths: either body format, 1 to 7 rows
/// per request and, every third round, a 200-byte body cap (rows too big, batches cut by size).
pub(super) fn random_spec(rng: &mut fastrand::Rng, round: usize) -> BatchSpec {
    BatchSpec {
        input_name: "input1".into(),
        swagger: rng.bool(),
        max_rows: rng.usize(1..8),
        max_body: if round.is_multiple_of(3) {
            200
        } else {
            1 << 20
        },
        params: vec![],
        delimiter: None,
    }
}

/// Checks that a source makes the same with its fast path (`run(true)`) as without; returns
/// how many batches (and remainders) it made, errors not counted.
pub(super) fn fast_path_agrees(input: &[u8], run: impl Fn(bool) -> String) -> usize {
    let slow = run(false);
    assert_eq!(run(true), slow, "{:?}", String::from_utf8_lossy(input));
    slow.lines().filter(|l| !l.starts_with("error")).count()
}

fn body(b: &Batch) -> Value {
    serde_json::from_slice(&b.body).unwrap()
}

fn err(text: &[u8], format: InputFormat) -> String {
    let e = batches(text, format, &spec(2)).unwrap_err();
    assert!(e.is::<crate::error::UsageError>(), "{e}");
    e.to_string()
}

fn l(first: u64, last: u64) -> Lines {
    Lines { first, last }
}

#[test]
fn csv_rows_become_string_cells_in_batches_with_line_ranges() {
    let text =
        b"\xEF\xBB\xBFCol1,Col2\r\na,\"b, \"\"quoted\"\"\"\r\n\r\nc,\"multi\nline\"\nd,e\n\ne,\n";
    let bs = batches(text, InputFormat::Csv, &spec(2)).unwrap();
    assert_eq!(
        bs.iter().map(|b| (b.rows, b.lines)).collect::<Vec<_>>(),
        [(2, l(2, 5)), (2, l(6, 8))]
    );
    let v = body(&bs[0]);
    assert_eq!(
        v["Inputs"]["input1"]["ColumnNames"],
        json!(["Col1", "Col2"])
    );
    assert_eq!(
        v["Inputs"]["input1"]["Values"],
        json!([["a", "b, \"quoted\""], ["c", "multi\nline"]])
    );
    assert_eq!(v["GlobalParameters"], json!({}));
    assert_eq!(
        body(&bs[1])["Inputs"]["input1"]["Values"],
        json!([["d", "e"], ["e", ""]])
    );
    assert_eq!(
        &bs[0].raw[..],
        b"a,\"b, \"\"quoted\"\"\"\r\nc,\"multi\nline\"\n"
    );
    assert_eq!(&bs[1].raw[..], b"d,e\ne,\n");
}

#[test]
fn tsv_swagger_and_params() {
    let mut s = spec(10);
    s.swagger = true;
    s.params = vec![("N-grams".into(), "3".into())];
    let bs = batches(b"Col2\tx\nhello world\t\"a\tb\"\n", InputFormat::Tsv, &s).unwrap();
    assert_eq!(
        body(&bs[0]),
        json!({"Inputs": {"input1": [{"Col2": "hello world", "x": "a\tb"}]}, "GlobalParameters": {"N-grams": "3"}})
    );
}

#[test]
fn a_header_only_csv_gives_one_request_of_zero_rows() {
    let src = open(reader(b"\n\"Col\n2\"\nx\n", InputFormat::Csv), &spec(10)).unwrap();
    assert_eq!(src.first_line(), 4);
    let bs = batches(b"Col2\n", InputFormat::Csv, &spec(10)).unwrap();
    assert_eq!(bs.len(), 1);
    assert_eq!(bs[0].rows, 0);
    assert_eq!(body(&bs[0])["Inputs"]["input1"]["Values"], json!([]));
}

#[test]
fn malformed_csv_is_reported_with_file_line_and_column() {
    use InputFormat::Csv;
    assert_eq!(
        err(b"", Csv),
        "`in.csv` is empty: the first line must name the columns"
    );
    assert_eq!(
        err(b"\n\n", Csv),
        "`in.csv` is empty: the first line must name the columns"
    );
    assert_eq!(
        err(b"a,b,a\n", Csv),
        "in.csv:1:5: column `a` is named twice (columns 1 and 3)"
    );
    assert_eq!(
        err(b"a,b\n1,2\n1,2,3\n", Csv),
        "in.csv:3:5: this row has 3 fields where the header has 2"
    );
    assert_eq!(
        err(b"a,b\n1,2\n1\n", Csv),
        "in.csv:3:2: this row has 1 field where the header has 2"
    );
    assert_eq!(
        err(b"a,b\n1,\"2\"x\n", Csv),
        "in.csv:2:6: unexpected `x` after the closing quote of a field (a quote inside a quoted field is written `\"\"`)"
    );
    assert_eq!(
        err(b"a,b\n1,2\n3,\"4\n5,6\n", Csv),
        "in.csv:3:3: this quoted field is never closed"
    );
    assert_eq!(
        err(b"a,b\n1,2\n3,\xff4\n", Csv),
        "in.csv:3:3: invalid UTF-8 (mlws reads UTF-8 text: convert other encodings first, e.g. with `iconv -t UTF-8`)"
    );
    assert_eq!(
        err(b"a,b\n\"x\ny\xc3\",1\n", Csv),
        "in.csv:3:2: invalid UTF-8 (mlws reads UTF-8 text: convert other encodings first, e.g. with `iconv -t UTF-8`)"
    );
    assert_eq!(
        err(b"a,b\n1,2\n3,4\x005\n", Csv),
        "in.csv:3:4: a NUL byte: this is not a text file (binary data, or UTF-16?)"
    );
    assert!(
        err(b"\xff\xfea\x00\n\x00", Csv).starts_with("in.csv:1:1: this is a UTF-16 file"),
        "a UTF-16 file is named as such"
    );
    // A bare quote inside an unquoted field is data (`5" screen`).
    let bs = batches(b"a\n5\" screen\n", Csv, &spec(2)).unwrap();
    assert_eq!(
        body(&bs[0])["Inputs"]["input1"]["Values"],
        json!([["5\" screen"]])
    );
}

#[test]
fn a_malformed_row_stops_reading_after_the_good_batches() {
    let mut src = open(reader(b"a\n1\n2\n3\n\"4\n", InputFormat::Csv), &spec(2)).unwrap();
    assert_eq!(src.next_batch().unwrap().unwrap().lines, l(2, 3));
    let e = src.next_batch().unwrap_err();
    assert_eq!(
        e.to_string(),
        "in.csv:5:1: this quoted field is never closed"
    );
    let rem = src.into_remainder().unwrap();
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut { rem.rest }, &mut rest).unwrap();
    assert_eq!([rem.pending, rest].concat(), b"3\n\"4\n");
}

#[test]
fn batches_stay_under_4_mb_and_a_row_too_big_is_an_input_error() {
    let cell = "x".repeat(100_000);
    let mut text = b"Col2\n".to_vec();
    for _ in 0..100 {
        text.extend_from_slice(cell.as_bytes());
        text.push(b'\n');
    }
    let bs = batches(&text, InputFormat::Csv, &spec(1000)).unwrap();
    assert!(bs.len() >= 3, "{}", bs.len());
    assert!(bs.iter().all(|b| b.body.len() <= MAX_BODY));
    assert!(bs[0].body.len() > MAX_BODY - 100_100);
    assert_eq!(bs.iter().map(|b| b.rows).sum::<usize>(), 100);
    assert_eq!(bs[0].lines.first, 2);
    assert_eq!(bs[1].lines.first, bs[0].lines.last + 1);
    let mut huge = b"Col2\nsmall\n".to_vec();
    huge.extend_from_slice("y".repeat(4_100_000).as_bytes());
    huge.push(b'\n');
    assert_eq!(
        err(&huge, InputFormat::Csv),
        "in.csv:3: this row cannot fit in one request: it is larger than the 4 MB the service accepts in one request, and a row cannot be split"
    );
}

#[test]
fn json_array_of_rows_keeps_types_and_first_row_columns() {
    let text = br#"[
  {"Col2": "a \"q\"", "n": 1.5, "b": true},
  {"b": false, "Col2": "z"},
  {"Col2": null}
]"#;
    let bs = batches(text, InputFormat::Json, &spec(2)).unwrap();
    assert_eq!(
        bs.iter().map(|b| (b.rows, b.lines)).collect::<Vec<_>>(),
        [(2, l(2, 3)), (1, l(4, 4))]
    );
    let v = body(&bs[0]);
    assert_eq!(
        v["Inputs"]["input1"]["ColumnNames"],
        json!(["Col2", "n", "b"])
    );
    assert_eq!(
        v["Inputs"]["input1"]["Values"],
        json!([["a \"q\"", 1.5, true], ["z", null, false]])
    );
    assert!(
        batches(b" [ ] ", InputFormat::Json, &spec(2))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn malformed_json_is_reported_with_its_position() {
    use InputFormat::Json;
    assert!(err(b"  ", Json).starts_with("`in.csv` is empty"));
    assert_eq!(
        err(b"\n  7", Json),
        "in.csv:2:3: expected `[` (an array of row objects) or `{` (a whole request body)"
    );
    assert_eq!(
        err(b"[{\"a\":1},\n {\"a\": tru}]", Json),
        "in.csv:2:11: invalid JSON: expected ident"
    );
    assert_eq!(
        err(b"[{\"a\":1} {\"a\":2}]", Json),
        "in.csv:1:10: expected `,` or `]` after a row object"
    );
    assert_eq!(
        err(b"[{\"a\":1},]", Json),
        "in.csv:1:10: expected a row object after `,`"
    );
    assert_eq!(
        err(b"[{\"a\":1},\n{\"b\":2}]", Json),
        "in.csv:2:2: this row has key `b`, which the first row (line 1) does not have"
    );
    assert_eq!(
        err(
            b"[{\"a\":1},\n{\"a\": \"b\\\"\",\n  \"b\\u0041\" : 3}]",
            Json
        ),
        "in.csv:3:3: this row has key `bA`, which the first row (line 1) does not have"
    );
    assert_eq!(
        err(b"[{\"a\":[1]}]", Json),
        "in.csv:1:3: cell `a` is an array; cells must be strings, numbers, booleans or null"
    );
    assert_eq!(
        err(b"[{\"a\":1}", Json),
        "in.csv:1:9: the array of rows is never closed"
    );
    assert_eq!(
        err(b"[{\"a\":1}] x", Json),
        "in.csv:1:11: unexpected text after the array of rows"
    );
    assert_eq!(
        err(b"[{\"a\":\"1}]", Json),
        "in.csv:1:2: this row object is never closed"
    );
}

#[test]
fn a_whole_request_body_is_sent_as_it_is() {
    let text =
        br#"{"Inputs": {"data": [{"Col2": "x"}, {"Col2": "y"}]}, "GlobalParameters": {"p": 1}}"#;
    let bs = batches(text, InputFormat::Json, &spec(1)).unwrap();
    assert_eq!((bs.len(), bs[0].rows, &bs[0].body[..]), (1, 2, &text[..]));
    let src = open(reader(text, InputFormat::Json), &spec(1)).unwrap();
    assert!(src.swagger());
    let table = br#"{"Inputs":{"input1":{"ColumnNames":["Col2"],"Values":[["x"]]},"other":{}}}"#;
    let src = open(reader(table, InputFormat::Json), &spec(1)).unwrap();
    assert!(!src.swagger());
    let mut s = spec(1);
    s.swagger = true;
    assert!(open(reader(table, InputFormat::Json), &s).is_err());
    s.swagger = false;
    s.params = vec![("p".into(), "1".into())];
    assert!(open(reader(table, InputFormat::Json), &s).is_err());
    s.params.clear();
    s.input_name = "nope".into();
    let e = open(reader(table, InputFormat::Json), &s)
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("no input `nope` (it has `input1`, `other`)"),
        "{e}"
    );
    assert!(err(b"{\"Inputs\": 3}", InputFormat::Json).contains("needs an `Inputs` object"));
}

#[test]
fn a_record_is_one_row() {
    let cells = vec![
        ("Col2".to_string(), "This is a good day".to_string()),
        ("x".into(), "a,b".into()),
    ];
    let mut src = open(Source::Record(cells), &spec(1000)).unwrap();
    let b = src.next_batch().unwrap().unwrap();
    assert_eq!(
        body(&b)["Inputs"]["input1"]["Values"],
        json!([["This is a good day", "a,b"]])
    );
    assert_eq!(
        (&b.raw[..], &src.failed_head()[..]),
        (&b"This is a good day,\"a,b\"\n"[..], &b"Col2,x\n"[..])
    );
    assert!(src.next_batch().unwrap().is_none());
    let dup = vec![("a".to_string(), "1".to_string()), ("a".into(), "2".into())];
    assert!(open(Source::Record(dup), &spec(1)).is_err());
}

const TABLE_ANSWER: &str = r#"{"Results":{"other":{"type":"table","value":{"Values":[]}},
  "output1":{"type":"table","value":{"ColumnNames":["Col2","f.0"],"ColumnTypes":["String","Int32"],
  "Values":[["a, \"b\"","1"],["line\nbreak",2],[null,true]]}}},"GlobalParameters":{}}"#;

#[test]
fn answers_are_read_in_table_and_swagger_form() {
    let out = parse_output(TABLE_ANSWER.as_bytes(), "output1", 3).unwrap();
    assert_eq!(
        out.columns,
        Some(vec!["Col2".to_string(), "f.0".to_string()])
    );
    assert_eq!(
        out.row(0),
        [Cell::Str("a, \"b\"".into()), Cell::Str("1".into())]
    );
    assert_eq!(out.row(2), [Cell::Null, Cell::Lit("true".into())]);
    let e = parse_output(TABLE_ANSWER.as_bytes(), "output9", 3)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no output `output9` (it has `other`, `output1`)"),
        "{e}"
    );
    let sw = br#"{"Results":{"output1":[{"a":"1","b":"2"},{"b":"4","a":"3"},{"a":"5"}]}}"#;
    let out = parse_output(sw, "output1", 3).unwrap();
    assert_eq!(out.columns, Some(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(out.row(1), [Cell::Str("3".into()), Cell::Str("4".into())]);
    assert_eq!(out.row(2), [Cell::Str("5".into()), Cell::Null]);
    assert!(
        parse_output(
            br#"{"Results":{"output1":[{"a":"1"},{"c":"2"}]}}"#,
            "output1",
            2
        )
        .is_err()
    );
    assert!(parse_output(b"<html>", "output1", 1).is_err());
    assert!(
        parse_output(b"{}", "output1", 1)
            .unwrap_err()
            .to_string()
            .contains("no `Results`")
    );
}

/// The answers written one after the other, through `write_answer` (the CSV fast path when
/// it applies), checked against `parse_output` + `write`: same text, same error.
fn written(format: OutputFormat, answers: &[&str], expected: usize) -> Result<String> {
    let lines = l(2, 1 + expected as u64);
    let run = |direct: bool| -> Result<String> {
        let mut w = RowWriter::new(format, Vec::new());
        for a in answers {
            if direct {
                w.write_answer(a.as_bytes(), "output1", expected, lines)?;
            } else {
                let out = parse_output(a.as_bytes(), "output1", expected)
                    .with_context(|| format!("cannot use the answer to scoring input {lines}"))?;
                w.write(&out, expected, lines)?;
            }
        }
        Ok(String::from_utf8(w.finish()?).unwrap())
    };
    let (fast, slow) = (run(true), run(false));
    match (&fast, &slow) {
        (Ok(f), Ok(s)) => assert_eq!(f, s),
        (Err(f), Err(s)) => assert_eq!(format!("{f:#}"), format!("{s:#}")),
        _ => panic!("the paths disagree: {fast:?} / {slow:?}"),
    }
    fast
}

/// As `TABLE_ANSWER`, string and null cells only (the scanner's own kind).
const STRING_ANSWER: &str = r#"{"Results":{"output1":{"type":"table","value":{"ColumnNames":["Col2","f.0"],
  "Values":[["a, \"b\"","1"],["line\nbreak","2"],[null,"x\ty"]]}}}}"#;

#[test]
fn csv_rows_go_straight_from_the_answer_as_they_would_through_an_output() {
    assert_eq!(
        written(OutputFormat::Csv, &[STRING_ANSWER, STRING_ANSWER], 3).unwrap(),
        "Col2,f.0\n\"a, \"\"b\"\"\",1\n\"line\nbreak\",2\n,x\ty\n\"a, \"\"b\"\"\",1\n\"line\nbreak\",2\n,x\ty\n"
    );
    assert_eq!(
        written(OutputFormat::Tsv, &[STRING_ANSWER], 3).unwrap(),
        "Col2\tf.0\n\"a, \"\"b\"\"\"\t1\n\"line\nbreak\"\t2\n\t\"x\ty\"\n"
    );
    let no_names = r#"{"Results":{"output1":{"value":{"Values":[["x","1"],["y","2"]]}}}}"#;
    let short = r#"{"Results":{"output1":{"value":{"Values":[["x","1"],["y"]]}}}}"#;
    let long = r#"{"Results":{"output1":{"value":{"ColumnNames":["a","b","c"],"Values":[["x","1","2"],["y","2","3"]]}}}}"#;
    let other = STRING_ANSWER.replace("\"f.0\"]", "\"f.1\"]");
    let empty = r#"{"Results":{"output1":{"value":{"Values":[]}}}}"#;
    for (answers, expected) in [
        (&[no_names, no_names][..], 2),
        (&[no_names, short][..], 2),
        (&[short][..], 2),
        (&[STRING_ANSWER, long][..], 2),
        (&[STRING_ANSWER, long][..], 3),
        (&[STRING_ANSWER, &other][..], 3),
        (&[empty, no_names][..], 2),
        (&[empty, empty][..], 0),
        (&["<html>"][..], 1),
        (
            &[r#"{"Results":{"output2":{"value":{"Values":[]}}}}"#][..],
            0,
        ),
    ] {
        for format in [OutputFormat::Csv, OutputFormat::Tsv, OutputFormat::Json] {
            let _ = written(format, answers, expected);
        }
    }
    let e = written(OutputFormat::Csv, &[no_names, short], 2).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the service answered a row of 1 cells for input lines 2-3 where the output has 2 columns"
    );
}

#[test]
fn random_answers_are_written_alike_by_both_paths() {
    let pieces = [
        "a", "1", "", ",", "\t", "\"", "\\", "\n", "é", " ", "]", "[", "\u{1}",
    ];
    let mut rng = fastrand::Rng::with_seed(5);
    let cell = |rng: &mut fastrand::Rng| -> String {
        match rng.u8(..20) {
            0 => "null".into(),
            1 => "true".into(),
            _ => {
                let text: String = (0..rng.usize(0..4))
                    .map(|_| pieces[rng.usize(..pieces.len())])
                    .collect();
                serde_json::to_string(&text).unwrap()
            }
        }
    };
    let mut ok = 0;
    for _ in 0..2000 {
        let rows = rng.usize(0..5);
        let width = rng.usize(1..4);
        let answers: Vec<String> = (0..rng.usize(1..3))
            .map(|_| {
                // Mostly compact, as services send them; some spaces between tokens.
                let sep = if rng.u8(..4) == 0 { ", " } else { "," };
                let values: Vec<String> = (0..rows)
                    .map(|_| {
                        let n = if rng.u8(..10) == 0 { rng.usize(0..4) } else { width };
                        let cells: Vec<String> = (0..n).map(|_| cell(&mut rng)).collect();
                        format!("[{}]", cells.join(sep))
                    })
                    .collect();
                let names = if rng.u8(..5) == 0 {
                    String::new()
                } else {
                    let names: Vec<String> = (0..width).map(|i| format!("\"c{i}\"")).collect();
                    format!(r#""ColumnNames":[{}],"#, names.join(","))
                };
                format!(
                    r#"{{"Results":{{"output1":{{"type":"table","value":{{{names}"Values":[{}]}}}}}}}}"#,
                    values.join(sep)
                )
            })
            .collect();
        let answers: Vec<&str> = answers.iter().map(String::as_str).collect();
        for format in [OutputFormat::Csv, OutputFormat::Tsv] {
            ok += usize::from(written(format, &answers, rows).is_ok());
        }
    }
    assert!(ok > 1000, "only {ok} answers written");
}

#[test]
fn writers_quote_escape_and_align() {
    assert_eq!(
        written(OutputFormat::Csv, &[TABLE_ANSWER, TABLE_ANSWER], 3).unwrap(),
        "Col2,f.0\n\"a, \"\"b\"\"\",1\n\"line\nbreak\",2\n,true\n\"a, \"\"b\"\"\",1\n\"line\nbreak\",2\n,true\n"
    );
    assert_eq!(
        written(OutputFormat::Tsv, &[TABLE_ANSWER], 3).unwrap(),
        "Col2\tf.0\na, \"\"b\"\"\t1\n\"line\nbreak\"\t2\n\ttrue\n"
            .replace("a, \"\"b\"\"", "\"a, \"\"b\"\"\"")
    );
    let j = written(OutputFormat::Json, &[TABLE_ANSWER], 3).unwrap();
    let v: Value = serde_json::from_str(&j).unwrap();
    assert_eq!(
        v,
        json!([{"Col2": "a, \"b\"", "f.0": "1"}, {"Col2": "line\nbreak", "f.0": 2}, {"Col2": null, "f.0": true}])
    );
    assert_eq!(
        written(OutputFormat::Table, &[TABLE_ANSWER], 3).unwrap(),
        "Col2        f.0\na, \"b\"      1\nline break  2\n            true\n"
    );
    let header_only =
        r#"{"Results":{"output1":{"type":"table","value":{"ColumnNames":["Col2"],"Values":[]}}}}"#;
    assert_eq!(
        written(OutputFormat::Csv, &[header_only], 0).unwrap(),
        "Col2\n"
    );
    assert_eq!(
        written(OutputFormat::Json, &[header_only], 0).unwrap(),
        "[]\n"
    );
}

#[test]
fn answers_without_column_names_get_no_made_up_header() {
    let a = r#"{"Results":{"output1":{"type":"table","value":{"Values":[["x","1"]]}}}}"#;
    assert_eq!(written(OutputFormat::Csv, &[a], 1).unwrap(), "x,1\n");
    let v: Value = serde_json::from_str(&written(OutputFormat::Json, &[a, a], 1).unwrap()).unwrap();
    assert_eq!(v, json!([["x", "1"], ["x", "1"]]));
}

#[test]
fn writers_refuse_answers_with_the_wrong_row_count_or_columns() {
    let e = written(OutputFormat::Csv, &[TABLE_ANSWER], 2)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "the service answered 3 rows for input lines 2-3, which hold 2; every input row must give one output row"
    );
    let other = TABLE_ANSWER.replace("\"f.0\"]", "\"f.1\"]");
    let e = written(OutputFormat::Csv, &[TABLE_ANSWER, &other], 3)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unlike its first answer"), "{e}");
}

fn failed(text: &[u8], format: InputFormat, spec: &BatchSpec, scored: usize) -> String {
    let mut src = open(reader(text, format), spec).unwrap();
    let mut raws = vec![];
    let mut n = 0;
    while n < scored + 1 {
        match src.next_batch() {
            Ok(Some(b)) => raws.push(b.raw),
            _ => break,
        }
        n += 1;
    }
    let mut f = FailedRows::new(Vec::new(), &src.failed_head(), src.framing()).unwrap();
    for r in &raws[scored.min(raws.len())..] {
        f.rows(r).unwrap();
    }
    if let Some(rem) = src.into_remainder() {
        f.remainder(rem).unwrap();
    }
    String::from_utf8(f.finish().unwrap()).unwrap()
}

#[test]
fn failed_rows_files_are_valid_inputs_of_exactly_the_unscored_rows() {
    let csv = b"a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n";
    assert_eq!(
        failed(csv, InputFormat::Csv, &spec(2), 1),
        "a,b\n5,6\n7,8\n9,10\n"
    );
    assert_eq!(
        failed(csv, InputFormat::Csv, &spec(2), 0),
        "a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n"
    );
    let json = b"[{\"a\":1},\n {\"a\":2},\n {\"a\":3},\n {\"a\":4},\n {\"a\":5}]\n";
    for scored in 0..3 {
        let text = failed(json, InputFormat::Json, &spec(2), scored);
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        let want: Vec<Value> = (scored * 2 + 1..=5).map(|a| json!({"a": a})).collect();
        assert_eq!(v, Value::Array(want), "{text}");
    }
}

/// A random CSV (quoted fields, doubled quotes, line breaks inside quotes, blank lines, CRLF)
/// or JSON array of row objects (random blanks around commas).
fn random_input(rng: &mut fastrand::Rng, json: bool) -> Vec<u8> {
    let rows = rng.usize(1..30);
    let cell = |rng: &mut fastrand::Rng| -> String {
        let words = ["a", "b c", "x,y", "q\"q", "l1\nl2", "", "ü", "7"];
        (0..rng.usize(1..3))
            .map(|_| words[rng.usize(..words.len())])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = Vec::new();
    if json {
        out.extend_from_slice(b"[");
        for i in 0..rows {
            if i > 0 {
                out.extend_from_slice([",", " ,", "\n,\n ", ",\r\n"][rng.usize(..4)].as_bytes());
            }
            let row = json!({"a": cell(rng), "b": rng.u32(..100), "c": cell(rng)});
            out.extend_from_slice(row.to_string().as_bytes());
        }
        out.extend_from_slice(b"\n]\n");
        return out;
    }
    out.extend_from_slice(b"a,b\n");
    for _ in 0..rows {
        let quote = |s: String| {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s
            }
        };
        let eol = if rng.bool() { "\n" } else { "\r\n" };
        let line = format!("{},{}{eol}", quote(cell(rng)), quote(cell(rng)));
        out.extend_from_slice(line.as_bytes());
        if rng.u8(..10) == 0 {
            out.extend_from_slice(b"\n");
        }
    }
    out
}

/// The batches as text, without their indexes (which count from 0 in each run).
fn positioned(src: Result<Box<dyn BatchSource>>) -> Vec<String> {
    let mut src = src.unwrap();
    let mut out = vec![];
    while let Some(b) = src.next_batch().unwrap() {
        out.push(format!(
            "{:?} {} {} {:?} {:?}",
            b.lines,
            b.rows,
            b.end,
            String::from_utf8_lossy(&b.body),
            String::from_utf8_lossy(&b.raw)
        ));
    }
    out
}

#[test]
fn reading_again_from_a_batch_end_gives_the_rest_of_the_batches() {
    let mut rng = fastrand::Rng::with_seed(9);
    for round in 0..400 {
        let json = round % 2 == 1;
        let format = if json {
            InputFormat::Json
        } else {
            InputFormat::Csv
        };
        let input = random_input(&mut rng, json);
        let spec = spec(rng.usize(1..4));
        let all = {
            let mut src = open(reader(&input, format), &spec).unwrap();
            let mut v = vec![];
            while let Some(b) = src.next_batch().unwrap() {
                v.push(b);
            }
            (v, src.failed_head())
        };
        let (batches, head) = all;
        let texts = positioned(open(reader(&input, format), &spec));
        for (k, b) in batches.iter().enumerate() {
            assert!(b.end as usize <= input.len());
            let rest = Box::new(std::io::Cursor::new(input[b.end as usize..].to_vec()));
            let (reader, at) = rest_of(&head, rest, format, b.end, b.lines.last);
            let source = Source::Reader {
                reader,
                name: "in.csv".into(),
                format,
            };
            let again = match open_at(source, &spec, at) {
                Ok(src) => positioned(Ok(src)),
                // Nothing after the last row: the rest is an input without rows.
                Err(_) => vec![],
            };
            let expected: Vec<String> = texts[k + 1..].to_vec();
            // A CSV rest of only blank lines is a header-only input: one batch of no rows.
            let again: Vec<String> = again.into_iter().filter(|t| !t.contains(" 0 ")).collect();
            assert_eq!(
                again,
                expected,
                "round {round}, after batch {k}, input {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}
