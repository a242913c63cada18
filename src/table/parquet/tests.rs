use super::*;
use crate::error::{ExitStatus, exit_status, report};
use crate::table::Cell;
use arrow_array::builder::{Int32Builder, ListBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array, DictionaryArray,
    Float32Array, Float64Array, Int8Array, Int64Array, NullArray, RecordBatch, StringArray,
    Time64MicrosecondArray, TimestampMicrosecondArray, TimestampMillisecondArray, UInt64Array,
};
use arrow_schema::DataType;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::properties::WriterProperties;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::io::{Cursor, Write};
use std::sync::Arc;

/// `columns` written as a Parquet file, in row groups of at most `group` rows.
fn parquet_file(columns: Vec<(&str, ArrayRef)>, group: usize) -> tempfile::NamedTempFile {
    let batch =
        RecordBatch::try_from_iter_with_nullable(columns.into_iter().map(|(n, a)| (n, a, true)))
            .unwrap();
    let mut file = tempfile::NamedTempFile::new().unwrap();
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group))
        .build();
    let mut w = ArrowWriter::try_new(file.as_file_mut(), batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    file
}

fn json_lines(path: &Path, nulls: Nulls) -> Vec<Value> {
    let mut text = String::new();
    parquet_as_json_lines(path, nulls)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The error of reading `path` to its end.
fn read_error(path: &Path) -> anyhow::Error {
    let mut text = String::new();
    let e = parquet_as_json_lines(path, Nulls::Null)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap_err();
    anyhow::Error::new(e).context("cannot read the input")
}

#[test]
fn scalar_types_become_json_values() {
    let dict: DictionaryArray<Int32Type> =
        vec![Some("red"), None, Some("red")].into_iter().collect();
    let file = parquet_file(
        vec![
            (
                "i8",
                Arc::new(Int8Array::from(vec![Some(-8), None, Some(7)])),
            ),
            ("u64", Arc::new(UInt64Array::from(vec![u64::MAX, 0, 1]))),
            ("f32", Arc::new(Float32Array::from(vec![0.1, 3.0, 1e-7]))),
            (
                "f64",
                Arc::new(Float64Array::from(vec![f64::NAN, 1e300, -0.5])),
            ),
            (
                "dec",
                Arc::new(
                    Decimal128Array::from(vec![Some(1230), Some(-5), None])
                        .with_precision_and_scale(6, 2)
                        .unwrap(),
                ),
            ),
            (
                "flag",
                Arc::new(BooleanArray::from(vec![Some(true), Some(false), None])),
            ),
            (
                "s",
                Arc::new(StringArray::from(vec![Some("a\"b\n"), Some(""), None])),
            ),
            (
                "bin",
                Arc::new(BinaryArray::from(vec![b"x".as_ref(), b"", b"\xc3\xa9"])),
            ),
            ("day", Arc::new(Date32Array::from(vec![0, 19_844, -1]))),
            (
                "naive",
                Arc::new(TimestampMicrosecondArray::from(vec![
                    0,
                    1_714_571_100_250_000,
                    -1,
                ])),
            ),
            (
                "zoned",
                Arc::new(
                    TimestampMillisecondArray::from(vec![0, 1_714_571_100_250, 1])
                        .with_timezone("+02:00"),
                ),
            ),
            (
                "clock",
                Arc::new(Time64MicrosecondArray::from(vec![0, 49_500_250_000, 1])),
            ),
            ("cat", Arc::new(dict)),
            ("nothing", Arc::new(NullArray::new(3))),
        ],
        2,
    );
    let rows = json_lines(file.path(), Nulls::Null);
    assert_eq!(
        rows,
        vec![
            json!({"i8": -8, "u64": u64::MAX, "f32": 0.1, "f64": null, "dec": 12.30, "flag": true,
                "s": "a\"b\n", "bin": "x", "day": "1970-01-01", "naive": "1970-01-01T00:00:00",
                "zoned": "1970-01-01T00:00:00Z", "clock": "00:00:00", "cat": "red", "nothing": null}),
            json!({"i8": null, "u64": 0, "f32": 3.0, "f64": 1e300, "dec": -0.05, "flag": false,
                "s": "", "bin": "", "day": "2024-05-01", "naive": "2024-05-01T13:45:00.25",
                "zoned": "2024-05-01T13:45:00.25Z", "clock": "13:45:00.25", "cat": null,
                "nothing": null}),
            json!({"i8": 7, "u64": 1, "f32": 1e-7, "f64": -0.5, "dec": null, "flag": null,
                "s": null, "bin": "é", "day": "1969-12-31", "naive": "1969-12-31T23:59:59.999999",
                "zoned": "1970-01-01T00:00:00.001Z", "clock": "00:00:00.000001", "cat": "red",
                "nothing": null}),
        ]
    );
    // The texts as they are, not only their values.
    let mut text = String::new();
    parquet_as_json_lines(file.path(), Nulls::Null)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with(
            r#"{"i8":-8,"u64":18446744073709551615,"f32":0.1,"f64":null,"dec":12.30,"#
        ),
        "{first}"
    );
    assert!(text.contains(r#""f32":3.0,"f64":1e300,"#), "{text}");
}

#[test]
fn nulls_are_empty_strings_for_classic_services() {
    let file = parquet_file(
        vec![
            ("n", Arc::new(Int64Array::from(vec![Some(1), None]))),
            ("x", Arc::new(Float64Array::from(vec![f64::NAN, 2.5]))),
        ],
        10,
    );
    assert_eq!(
        json_lines(file.path(), Nulls::EmptyString),
        vec![json!({"n": 1, "x": ""}), json!({"n": "", "x": 2.5})]
    );
}

#[test]
fn rows_of_several_row_groups_come_in_order() {
    let n = 3 * BATCH_ROWS + 17;
    let file = parquet_file(
        vec![("i", Arc::new(Int64Array::from_iter_values(0..n as i64)))],
        1000,
    );
    let rows = json_lines(file.path(), Nulls::Null);
    assert_eq!(rows.len(), n);
    assert!(rows.iter().enumerate().all(|(i, r)| r["i"] == json!(i)));
}

#[test]
fn wide_rows_are_read_in_smaller_batches() {
    let wide: Vec<String> = (0..100)
        .map(|i| format!("{i}{}", "x".repeat(200_000)))
        .collect();
    let file = parquet_file(vec![("s", Arc::new(StringArray::from(wide.clone())))], 60);
    let meta = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(file.path()).unwrap())
        .unwrap()
        .metadata()
        .clone();
    let rows = read::batch_rows(&meta);
    assert!((20..=60).contains(&rows), "{rows}");
    let narrow = parquet_file(vec![("n", Arc::new(Int64Array::from(vec![1; 5000])))], 5000);
    let meta =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(narrow.path()).unwrap())
            .unwrap()
            .metadata()
            .clone();
    assert_eq!(read::batch_rows(&meta), BATCH_ROWS);
    let got = json_lines(file.path(), Nulls::Null);
    assert_eq!(got.len(), 100);
    assert!(
        got.iter()
            .zip(&wide)
            .all(|(r, w)| r["s"].as_str() == Some(w.as_str()))
    );
}

#[test]
fn row_n_is_on_line_n_for_the_json_lines_reader() {
    let file = parquet_file(
        vec![("a", Arc::new(StringArray::from(vec!["x", "y", "z"])))],
        2,
    );
    let mut text = String::new();
    parquet_as_json_lines(file.path(), Nulls::Null)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "{\"a\":\"x\"}\n{\"a\":\"y\"}\n{\"a\":\"z\"}\n");
    let spec = crate::table::BatchSpec {
        input_name: "input1".into(),
        swagger: false,
        max_rows: 2,
        max_body: crate::table::MAX_BODY,
        params: vec![],
        delimiter: None,
    };
    let source = crate::table::Source::Reader {
        reader: parquet_as_json_lines(file.path(), Nulls::EmptyString).unwrap(),
        name: "in.parquet".into(),
        format: crate::table::InputFormat::Parquet,
    };
    let mut src = crate::table::open(source, &spec).unwrap();
    let first = src.next_batch().unwrap().unwrap();
    assert_eq!((first.rows, first.lines.first, first.lines.last), (2, 1, 2));
    let second = src.next_batch().unwrap().unwrap();
    assert_eq!((second.rows, second.lines.first), (1, 3));
    assert!(src.next_batch().unwrap().is_none());

    let empty = parquet_file(
        vec![("a", Arc::new(StringArray::from(Vec::<&str>::new())))],
        2,
    );
    let mut text = String::new();
    parquet_as_json_lines(empty.path(), Nulls::Null)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "");
}

#[test]
fn a_file_that_is_not_parquet_is_an_input_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("in.parquet");
    std::fs::write(&csv, "a,b\n1,2\n").unwrap();
    let empty = dir.path().join("empty.parquet");
    std::fs::write(&empty, "").unwrap();
    let good = parquet_file(vec![("a", Arc::new(Int64Array::from(vec![1, 2])))], 10);
    let bytes = std::fs::read(good.path()).unwrap();
    let cut = dir.path().join("cut.parquet");
    std::fs::write(&cut, &bytes[..bytes.len() - 10]).unwrap();
    for (path, says) in [
        (&csv, "in.parquet"),
        (&empty, "empty.parquet"),
        (&cut, "cut.parquet"),
    ] {
        let e = parquet_as_json_lines(path, Nulls::Null).err().unwrap();
        let (status, text) = report(&e);
        assert_eq!(status, ExitStatus::Usage, "{text}");
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.contains(says) && text.contains("is not a Parquet file"),
            "{text}"
        );
    }
    let e = parquet_as_json_lines(&dir.path().join("gone.parquet"), Nulls::Null)
        .err()
        .unwrap();
    assert_eq!(exit_status(&e), ExitStatus::Usage);
    assert!(e.to_string().contains("cannot open the input"), "{e}");
}

#[test]
fn a_column_that_is_no_cell_is_refused_when_opened() {
    let mut list = ListBuilder::new(Int32Builder::new());
    list.values().append_value(1);
    list.append(true);
    let file = parquet_file(
        vec![
            ("id", Arc::new(Int64Array::from(vec![1]))),
            ("items", Arc::new(list.finish())),
        ],
        10,
    );
    let e = parquet_as_json_lines(file.path(), Nulls::Null)
        .err()
        .unwrap();
    assert_eq!(exit_status(&e), ExitStatus::Usage);
    assert!(
        e.to_string().contains("column `items` is of type List"),
        "{e}"
    );
}

#[test]
fn infinity_is_an_input_error_naming_the_row_and_column() {
    let n = BATCH_ROWS + 5;
    let mut x = vec![1.0; n];
    x[BATCH_ROWS + 2] = f64::NEG_INFINITY;
    let file = parquet_file(vec![("x", Arc::new(Float64Array::from(x)))], 10_000);
    let e = read_error(file.path());
    let (status, text) = report(&e);
    assert_eq!(status, ExitStatus::Usage, "{text}");
    let headline = text.lines().next().unwrap();
    let place = format!(
        "{}: row {}, column `x`: ",
        file.path().display(),
        BATCH_ROWS + 3
    );
    assert!(
        headline.starts_with(&format!("mlws: error: {place}-infinity has no JSON value")),
        "{text}"
    );
    assert!(
        text.lines().skip(1).all(|l| l.starts_with("note: ")),
        "{text}"
    );
}

#[test]
fn binary_that_is_not_utf8_is_an_input_error() {
    let file = parquet_file(
        vec![(
            "b",
            Arc::new(BinaryArray::from(vec![b"ok".as_ref(), b"\xff"])),
        )],
        10,
    );
    let text = report(&read_error(file.path())).1;
    assert!(
        text.contains("row 2, column `b`: the binary value is not UTF-8 text"),
        "{text}"
    );
}

#[test]
fn stdin_is_spooled_to_a_file_read_from_its_start() {
    let good = parquet_file(vec![("a", Arc::new(Int64Array::from(vec![5])))], 10);
    let bytes = std::fs::read(good.path()).unwrap();
    let file = spool(&mut Cursor::new(bytes), "stdin").unwrap();
    let mut text = String::new();
    ParquetJson::new(file, "<stdin>".into(), Nulls::Null)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "{\"a\":5}\n");
}

// ---- out

fn s(v: &str) -> Cell<'static> {
    Cell::Str(Cow::Owned(v.to_string()))
}

fn l(v: &str) -> Cell<'static> {
    Cell::Lit(v.to_string().into())
}

/// Rows written by `ParquetOut` under `names`, as a file.
fn written(names: Option<&[String]>, rows: &[Vec<Cell<'_>>]) -> tempfile::NamedTempFile {
    let mut out = ParquetOut::new();
    let mut bytes = Vec::new();
    for r in rows {
        out.push(names, r, &mut bytes);
        out.check().unwrap();
    }
    let width = rows.first().map_or(0, Vec::len);
    bytes.extend(out.finish(names, width).unwrap());
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&bytes).unwrap();
    file
}

fn types(path: &Path) -> Vec<(String, DataType)> {
    let b = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap()).unwrap();
    b.schema()
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone()))
        .collect()
}

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

#[test]
fn answer_columns_are_typed_where_the_answer_is() {
    let cols = names(&[
        "label", "count", "score", "ok", "mixed", "nested", "none", "numtext",
    ]);
    let rows = vec![
        vec![
            s("a"),
            l("1"),
            l("1"),
            l("true"),
            l("1"),
            l("[1]"),
            Cell::Null,
            l("2"),
        ],
        vec![
            Cell::Null,
            Cell::Null,
            l("0.25"),
            Cell::Null,
            l("true"),
            l("{}"),
            Cell::Null,
            s("x"),
        ],
        vec![
            s("c"),
            l("-3"),
            l("1e3"),
            l("false"),
            s("z"),
            Cell::Null,
            Cell::Null,
            l("4"),
        ],
    ];
    let file = written(Some(&cols), &rows);
    use DataType as D;
    assert_eq!(
        types(file.path()),
        vec![
            ("label".into(), D::Utf8),
            ("count".into(), D::Int64),
            ("score".into(), D::Float64),
            ("ok".into(), D::Boolean),
            ("mixed".into(), D::Utf8),
            ("nested".into(), D::Utf8),
            ("none".into(), D::Utf8),
            ("numtext".into(), D::Utf8),
        ]
    );
    assert_eq!(
        json_lines(file.path(), Nulls::Null),
        vec![
            json!({"label": "a", "count": 1, "score": 1.0, "ok": true, "mixed": "1", "nested": "[1]", "none": null, "numtext": "2"}),
            json!({"label": null, "count": null, "score": 0.25, "ok": null, "mixed": "true", "nested": "{}", "none": null, "numtext": "x"}),
            json!({"label": "c", "count": -3, "score": 1000.0, "ok": false, "mixed": "z", "nested": null, "none": null, "numtext": "4"}),
        ]
    );
}

#[test]
fn rows_go_out_in_row_groups_as_they_fill() {
    let cols = names(&["n"]);
    let mut out = ParquetOut::new();
    let mut bytes = Vec::new();
    for i in 0..GROUP_ROWS {
        out.push(Some(&cols), &[l(&i.to_string())], &mut bytes);
    }
    // A full group is written at once: the magic, then its pages.
    assert!(
        bytes.starts_with(b"PAR1") && bytes.len() > 1000,
        "{}",
        bytes.len()
    );
    for i in 0..GROUP_ROWS + 3 {
        // Integers in a later group of a double column are doubles.
        out.push(Some(&cols), &[l(&(GROUP_ROWS + i).to_string())], &mut bytes);
    }
    out.check().unwrap();
    bytes.extend(out.finish(Some(&cols), 1).unwrap());
    let meta = parquet::file::metadata::ParquetMetaDataReader::new()
        .parse_and_finish(&bytes::Bytes::from(bytes.clone()))
        .unwrap();
    assert_eq!(meta.num_row_groups(), 3);
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&bytes).unwrap();
    let rows = json_lines(file.path(), Nulls::Null);
    assert_eq!(rows.len(), 2 * GROUP_ROWS + 3);
    assert!(rows.iter().enumerate().all(|(i, r)| r["n"] == json!(i)));
}

#[test]
fn a_later_cell_that_does_not_fit_its_column_is_an_error_naming_the_row() {
    let cols = names(&["id", "p"]);
    let mut out = ParquetOut::new();
    let mut bytes = Vec::new();
    for i in 0..GROUP_ROWS {
        out.push(Some(&cols), &[l(&i.to_string()), l("0.5")], &mut bytes);
    }
    out.push(Some(&cols), &[l("1"), l("1")], &mut bytes);
    out.push(Some(&cols), &[l("2.5"), l("1")], &mut bytes);
    out.check().unwrap();
    let e = out.finish(Some(&cols), 2).unwrap_err().to_string();
    assert!(
        e.contains(&format!("output row {}", GROUP_ROWS + 2))
            && e.contains("column `id`, `2.5` does not fit the column's type (int64)"),
        "{e}"
    );
    // Found when a full group is written: `check` reports it, and it stays.
    let mut out = ParquetOut::new();
    out.push(Some(&cols), &[l("1"), l("true")], &mut bytes);
    for _ in 1..GROUP_ROWS {
        out.push(Some(&cols), &[l("1"), l("true")], &mut bytes);
    }
    for _ in 0..GROUP_ROWS {
        out.push(Some(&cols), &[l("1"), s("yes")], &mut bytes);
    }
    let e = out.check().unwrap_err().to_string();
    assert!(
        e.contains("column `p`, the string \"yes\" does not fit the column's type (bool)"),
        "{e}"
    );
    assert!(out.finish(Some(&cols), 2).is_err());
}

#[test]
fn answers_without_names_get_numbered_columns_and_none_an_empty_file() {
    let file = written(None, &[vec![s("a"), l("2")]]);
    assert_eq!(
        json_lines(file.path(), Nulls::Null),
        vec![json!({"column1": "a", "column2": 2})]
    );
    // Header only: the columns, no rows.
    let cols = names(&["x", "y"]);
    let file = written(Some(&cols), &[]);
    assert_eq!(types(file.path()).len(), 2);
    assert!(json_lines(file.path(), Nulls::Null).is_empty());
}
