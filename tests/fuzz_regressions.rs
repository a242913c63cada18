//! Regression tests for what the fuzz targets (`fuzz/`) found, one test per finding, each
//! with the (minimized) input that failed; and the quadratic blow-ups found while writing
//! them, each with an input wide enough that the old code took minutes. The raw crashing
//! inputs are kept in `fuzz/regressions/TARGET/` for `cargo fuzz run TARGET DIR -- -runs=0`.

use mlws::blob::auth::SasFields;
use mlws::blob::{BlobLocation, ConnectionString, split_relative};
use mlws::error::UsageError;
use mlws::settings::parse_service_url;
use mlws::table::{
    self, Batch, BatchSpec, Cell, FailedRows, InputFormat, Lines, OutputFormat, RowWriter, Source,
};
use serde_json::{Value, json};
use std::io::Cursor;
use std::sync::mpsc;
use std::time::Duration;

fn spec(max_rows: usize, max_body: usize) -> BatchSpec {
    BatchSpec {
        input_name: "input1".into(),
        swagger: false,
        max_rows,
        max_body,
        params: vec![],
        delimiter: None,
    }
}

fn source(input: &[u8], format: InputFormat) -> Source {
    Source::Reader {
        reader: Box::new(Cursor::new(input.to_vec())),
        name: "in.csv".into(),
        format,
    }
}

/// All batches and the `--failed-rows` file of a run where every request failed.
fn read(
    input: &[u8],
    format: InputFormat,
    spec: &BatchSpec,
) -> anyhow::Result<(Vec<Batch>, Vec<u8>)> {
    let mut src = table::open(source(input, format), spec)?;
    let mut batches = vec![];
    while let Some(b) = src.next_batch()? {
        batches.push(b);
    }
    let mut failed = FailedRows::new(Vec::new(), &src.failed_head(), src.framing())?;
    for b in &batches {
        failed.rows(&b.raw)?;
    }
    Ok((batches, failed.finish()?))
}

fn values(b: &Batch) -> Value {
    let v: Value = serde_json::from_slice(&b.body).unwrap();
    v["Inputs"]["input1"].clone()
}

fn usage_message(e: anyhow::Error) -> String {
    assert!(
        e.downcast_ref::<UsageError>().is_some(),
        "not a usage error: {e:#}"
    );
    format!("{e:#}")
}

/// Runs `f` on another thread and fails if it takes longer than a linear algorithm could.
fn within<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(f()));
    rx.recv_timeout(Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("not done in {secs} s: quadratic again?"))
}

// input_batches: a header-only CSV was sent as one body over the size cap (the header's
// `ColumnNames` alone were bigger than `max_body`).
#[test]
fn a_header_too_big_for_one_request_is_refused() {
    let mut input = b"{".to_vec();
    input.extend(std::iter::repeat_n(0x15u8, 64));
    input.extend_from_slice(b"\"\x06\x02\"@");
    let e = read(&input, InputFormat::Csv, &spec(7, 256)).unwrap_err();
    let message = usage_message(e);
    assert!(
        message.contains("in.csv:1:") && message.contains("cannot fit in one request"),
        "{message}"
    );
    // At the real cap: a 1 MB header of control characters is 6 MB of JSON.
    let header = vec![0x01u8; 1_000_000];
    let e = read(&header, InputFormat::Csv, &spec(10, table::MAX_BODY)).unwrap_err();
    assert!(usage_message(e).contains("cannot fit in one request"));
}

// input_batches: a last line of just `\r` was a record of one empty field (a header `""`),
// while `\r\n` is a blank line; the `--failed-rows` file then did not read back.
#[test]
fn a_lone_carriage_return_line_is_blank() {
    for input in [&b"\r"[..], b"\n\r"] {
        let e = read(input, InputFormat::Csv, &spec(2, table::MAX_BODY)).unwrap_err();
        assert!(usage_message(e).contains("is empty"), "{input:?}");
    }
    let (batches, failed) = read(b"a\n1\n\r", InputFormat::Csv, &spec(2, table::MAX_BODY)).unwrap();
    assert_eq!(batches.len(), 1);
    assert_eq!(values(&batches[0])["Values"], json!([["1"]]));
    assert_eq!(failed, b"a\n1\n");
}

// input_batches: a byte-order mark on a first line after blank lines was kept as part of the
// first column's name, but dropped when the `--failed-rows` file (which has no blank lines
// before its header) was read back, so the columns changed.
#[test]
fn a_byte_order_mark_after_blank_lines_is_dropped() {
    let input = b"\n\xef\xbb\xbf\n\n@\naOx\n";
    let (batches, failed) = read(input, InputFormat::Csv, &spec(1, table::MAX_BODY)).unwrap();
    assert_eq!(values(&batches[0])["ColumnNames"], json!(["@"]));
    let (again, _) = read(&failed, InputFormat::Csv, &spec(1, table::MAX_BODY)).unwrap();
    let bodies = |v: &[Batch]| v.iter().map(|b| b.body.clone()).collect::<Vec<_>>();
    assert_eq!(bodies(&batches), bodies(&again));
}

// output_rows: a CSV/TSV record of one empty field was written as a blank line, which is
// skipped when the file is read back (the output fed to another service lost rows, or its
// header). `--record COL=` wrote its `--failed-rows` file the same way.
#[test]
fn one_empty_field_is_written_as_two_quotes() {
    let body = br#"{"Results":{"output1":{"value":{"ColumnNames":[""],"Values":[[""],["a"]]}}}}"#;
    let out = table::parse_output(body, "output1", 2).unwrap();
    for (format, input) in [
        (OutputFormat::Csv, InputFormat::Csv),
        (OutputFormat::Tsv, InputFormat::Tsv),
    ] {
        let mut w = RowWriter::new(format, Vec::new());
        w.write(&out, 2, Lines { first: 1, last: 2 }).unwrap();
        let text = w.finish().unwrap();
        assert_eq!(text, b"\"\"\n\"\"\na\n");
        let (batches, _) = read(&text, input, &spec(10, table::MAX_BODY)).unwrap();
        assert_eq!(values(&batches[0])["ColumnNames"], json!([""]));
        assert_eq!(values(&batches[0])["Values"], json!([[""], ["a"]]));
    }
    let cells = vec![("a".to_string(), String::new())];
    let mut src = table::open(Source::Record(cells), &spec(1, table::MAX_BODY)).unwrap();
    assert_eq!(src.next_batch().unwrap().unwrap().raw.as_ref(), b"\"\"\n");
    assert_eq!(src.failed_head().as_ref(), b"a\n");
}

// connection_string, sas_query: URL parsing drops tabs and line breaks, so a blob name holding
// one addressed another blob; a container `..` was resolved away the same way.
#[test]
fn blob_names_that_a_url_cannot_hold_are_refused() {
    for relative in [
        "c/a\nb",
        "c/a\tb",
        "c\r/b",
        "../x/y",
        "./x/y",
        "c/a b%\"0cD\ntrue",
    ] {
        let msg = usage_message(split_relative(relative).unwrap_err());
        assert!(msg.contains("is not a blob location"), "{msg}");
        let cs = ConnectionString::parse("UseDevelopmentStorage=true").unwrap();
        assert!(BlobLocation::with_connection_string(cs, relative).is_err());
        assert!(BlobLocation::from_sas_parts("https://a/", relative, "sig=x").is_err());
    }
    // Trailing line breaks (a value read from a file) are still trimmed.
    assert_eq!(
        split_relative("/c/dir/a b.csv\r\n").unwrap(),
        ("c".to_string(), "dir/a b.csv".to_string())
    );
}

// service_url: a URL refused for its scheme or its host was quoted with its password.
#[test]
fn a_refused_url_is_quoted_without_its_password() {
    for url in [
        "hptps://user:secretpw@host/workspaces/w/0Xrv@host/worksp",
        "https://user:secretpw@/workspaces/w/services/s",
        "ftp://secretpw@host/x?y",
    ] {
        let msg = usage_message(parse_service_url(url).unwrap_err());
        assert!(!msg.contains("secretpw"), "{msg}");
        assert!(msg.contains("***@"), "{msg}");
    }
}

// connection_string: `SharedAccessSignature=?` was taken for a SAS (an empty one), and a SAS
// with white space or another `?` after its `?` kept them; neither read back from the exposed
// text.
#[test]
fn an_empty_sas_is_no_sas() {
    let e = ConnectionString::parse("AccountName=acct1;SharedAccessSignature=?").unwrap_err();
    assert!(usage_message(e).contains("neither `AccountKey` nor `SharedAccessSignature`"));
    let cs =
        ConnectionString::parse("AccountName=acct1;SharedAccessSignature=?\x0csv=1&sig=x").unwrap();
    assert_eq!(cs.sas_token().unwrap().expose(), "sv=1&sig=x");
    let again = ConnectionString::parse(cs.expose().expose()).unwrap();
    assert_eq!(again.sas_token().unwrap().expose(), "sv=1&sig=x");
    let cs = ConnectionString::parse("AccountName=acct1;SharedAccessSignature=? ?  sig=x").unwrap();
    assert_eq!(cs.sas_token().unwrap().expose(), "sig=x");
    let e = ConnectionString::parse("AccountName=acct1;SharedAccessSignature=? ? ").unwrap_err();
    assert!(usage_message(e).contains("neither"));
    // A SAS read by the blob store still has its signature.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(b"sv=1&sig=x")
        .into_owned()
        .collect();
    assert_eq!(SasFields::from_query(&pairs).unwrap().1, "x");
}

const WIDE: usize = 300_000;
/// Room for the wide rows, whose bodies are bigger than the service takes.
const ROOMY: usize = 64_000_000;

// A CSV header of 300,000 distinct columns took minutes: each name was compared with every
// name before it.
#[test]
fn a_wide_csv_header_is_read_in_linear_time() {
    let header: Vec<String> = (0..WIDE).map(|i| format!("c{i}")).collect();
    let mut input = header.join(",").into_bytes();
    input.extend_from_slice(b"\n");
    let n = within(60, move || {
        let mut src = table::open(source(&input, InputFormat::Csv), &spec(1, ROOMY)).unwrap();
        let batch = src.next_batch().unwrap().unwrap();
        values(&batch)["ColumnNames"].as_array().unwrap().len()
    });
    assert_eq!(n, WIDE);
}

// A JSON row of 300,000 keys took minutes: each key was looked up in the list of columns.
#[test]
fn a_wide_json_row_is_read_in_linear_time() {
    let row: Vec<String> = (0..WIDE).map(|i| format!("\"c{i}\":{i}")).collect();
    let input = format!("[{{{}}},\n{{\"c1\":1,\"extra\":2}}]", row.join(","));
    let e = within(60, move || {
        let mut src =
            table::open(source(input.as_bytes(), InputFormat::Json), &spec(1, ROOMY)).unwrap();
        let first = src.next_batch().unwrap().unwrap();
        assert_eq!(
            values(&first)["ColumnNames"].as_array().unwrap().len(),
            WIDE
        );
        format!("{:#}", src.next_batch().unwrap_err())
    });
    assert!(e.contains("in.csv:2:9: this row has key `extra`"), "{e}");
}

// A swagger answer whose rows name their 300,000 columns in another order than its first row
// took minutes: each key was looked up in the list of columns.
#[test]
fn a_wide_reordered_swagger_answer_is_read_in_linear_time() {
    let row = |it: &mut dyn Iterator<Item = usize>| {
        it.map(|i| format!("\"c{i}\":\"{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    let body = format!(
        "{{\"Results\":{{\"output1\":[{{{}}},{{{}}}]}}}}",
        row(&mut (0..WIDE)),
        row(&mut (0..WIDE).rev())
    );
    let (width, last) = within(60, move || {
        let out = table::parse_output(body.as_bytes(), "output1", 2).unwrap();
        let last = match &out.rows().nth(1).unwrap()[WIDE - 1] {
            Cell::Str(s) => s.to_string(),
            other => panic!("{other:?}"),
        };
        (out.columns.unwrap().len(), last)
    });
    assert_eq!((width, last), (WIDE, (WIDE - 1).to_string()));
}

// The fast answer path (`write_answer`, the scanner) wrote a one-cell row with an empty cell as
// a blank line too, like bug 4 above: the whole pipeline is checked here, through the binary's
// library entry point for answers.
#[test]
fn the_answer_scanner_writes_one_empty_cell_as_two_quotes() {
    let body = br#"{"Results":{"output1":{"type":"table","value":{"ColumnNames":["c"],"Values":[[""],["a"]]}}}}"#;
    for format in [OutputFormat::Csv, OutputFormat::Tsv] {
        let mut w = RowWriter::new(format, Vec::new());
        w.write_answer(body, "output1", 2, Lines { first: 1, last: 2 })
            .unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(text, "c\n\"\"\na\n", "{format:?}");
    }
}
