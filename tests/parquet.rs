//! Parquet in and out against pyarrow (the `tools` venv of `.ci/install-servers`, pinned in
//! tools/servers/tools.in): files pyarrow writes (nulls, integer/float/string/bool/date/
//! timestamp/dictionary columns, several row groups, each codec it commonly writes) read as the
//! rows pyarrow itself reads from them; files mlws writes read back by pyarrow with their types
//! and values; and the binary end to end through `mlws serve`. Without the venv the tests fail
//! under CI (`CI` set) and print a SKIPPED line otherwise.
//!
//! `flat_memory_reading_a_large_file` (ignored: a measurement, not a test) writes about 200 MB
//! of Parquet and reads it, reporting peak RSS at two sizes:
//! `cargo test --release --test parquet -- --ignored --nocapture flat_memory`.

mod support;

use mlws::table::Cell;
use mlws::table::parquet::{GROUP_ROWS, Nulls, ParquetOut, parquet_as_json_lines};
use serde_json::{Value, json};
use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::sandbox::Sandbox;
use support::serve::Emulator;

/// pyarrow's Python, or `None` (after a SKIPPED line) when it is not installed; under CI a
/// missing venv fails the test.
fn pyarrow() -> Option<PathBuf> {
    let python = support::servers::servers_dir().join("tools/bin/python");
    let ok = python.exists()
        && Command::new(&python)
            .args(["-c", "import pyarrow"])
            .status()
            .is_ok_and(|s| s.success());
    if ok {
        return Some(python);
    }
    let test = std::thread::current().name().unwrap_or("?").to_string();
    let why = format!("`{}` with pyarrow is missing", python.display());
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {why} and CI is set: run .ci/install-servers");
    }
    eprintln!("SKIPPED {test}: {why} (run .ci/install-servers)");
    None
}

/// Runs a Python script in `dir`; its stdout.
fn run_python(python: &Path, dir: &Path, script: &str) -> String {
    let out = Command::new(python)
        .args(["-c", script])
        .current_dir(dir)
        .output()
        .expect("cannot run python");
    assert!(
        out.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn read_json_lines(path: &Path, nulls: Nulls) -> Vec<Value> {
    let mut text = String::new();
    parquet_as_json_lines(path, nulls)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Rows with nulls in every column but `id`, written by pyarrow with each codec in row groups
/// of 1000, and the rows as pyarrow reads them back (`to_pylist`), dates and times as ISO text
/// (instants in UTC with `Z`).
const PYARROW_WRITES: &str = r#"
import datetime as dt, json
import pyarrow as pa, pyarrow.parquet as pq
n = 2500
ids = range(n)
floats = [0.1, 1 / 3, 1e-300, 1e300, -2.5e-8, 7.0]
day0 = dt.date(2024, 5, 1)
t0 = dt.datetime(2024, 5, 1, 13, 45, 0)
t = pa.table({
    'id': pa.array(list(ids), pa.int64()),
    'small': pa.array([None if i % 7 == 0 else i - 1000 for i in ids], pa.int32()),
    'u8': pa.array([i % 256 for i in ids], pa.uint8()),
    'f': pa.array([None if i % 5 == 0 else floats[i % 6] * i for i in ids], pa.float64()),
    's': pa.array([None if i % 11 == 0 else f'row {i} "q", \u00e9\n\t\\' for i in ids]),
    'empty': pa.array(['' if i % 2 else None for i in ids], pa.string()),
    'b': pa.array([None if i % 3 == 0 else i % 2 == 0 for i in ids]),
    'cat': pa.array([['red', 'green', None, 'blue'][i % 4] for i in ids]).dictionary_encode(),
    'day': pa.array([None if i % 13 == 0 else day0 + dt.timedelta(days=i - 1200) for i in ids]),
    'at': pa.array([t0 + dt.timedelta(seconds=97 * i) for i in ids], pa.timestamp('us')),
    'at_utc': pa.array([t0.replace(tzinfo=dt.timezone.utc) + dt.timedelta(hours=i) for i in ids],
                       pa.timestamp('ms', tz='Europe/Warsaw')),
    'large': pa.array([f'L{i}' for i in ids], pa.large_string()),
})
groups = {}
for codec in ['snappy', 'zstd', 'gzip', 'lz4', 'none']:
    pq.write_table(t, f'{codec}.parquet', compression=codec, row_group_size=1000)
    groups[codec] = pq.ParquetFile(f'{codec}.parquet').num_row_groups
def iso(v):
    if isinstance(v, dt.datetime) and v.tzinfo is not None:
        return v.astimezone(dt.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    return v.isoformat()
with open('expected.jsonl', 'w') as f:
    for row in pq.read_table('snappy.parquet').to_pylist():
        f.write(json.dumps(row, default=iso) + '\n')
print(json.dumps(groups))
"#;

#[test]
fn files_pyarrow_writes_are_read_as_pyarrow_reads_them() {
    let Some(python) = pyarrow() else { return };
    let dir = tempfile::tempdir().unwrap();
    let groups: Value =
        serde_json::from_str(&run_python(&python, dir.path(), PYARROW_WRITES)).unwrap();
    let expected: Vec<Value> = std::fs::read_to_string(dir.path().join("expected.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(expected.len(), 2500);
    for codec in ["snappy", "zstd", "gzip", "lz4", "none"] {
        assert_eq!(groups[codec], json!(3), "{codec}: {groups}");
        let got = read_json_lines(&dir.path().join(format!("{codec}.parquet")), Nulls::Null);
        assert_eq!(got.len(), expected.len(), "{codec}");
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(g, e, "{codec}: row {}", i + 1);
        }
    }
    // For a classic service a null is an empty string; the rest is the same.
    let classic = read_json_lines(&dir.path().join("snappy.parquet"), Nulls::EmptyString);
    let nulls_blank = |v: &Value| -> Value {
        let mut v = v.clone();
        for cell in v.as_object_mut().unwrap().values_mut() {
            if cell.is_null() {
                *cell = json!("");
            }
        }
        v
    };
    assert!(
        classic
            .iter()
            .zip(&expected)
            .all(|(g, e)| *g == nulls_blank(e))
    );
}

fn str_cell(v: String) -> Cell<'static> {
    Cell::Str(Cow::Owned(v))
}

#[test]
fn files_mlws_writes_are_read_back_by_pyarrow_with_their_types() {
    let Some(python) = pyarrow() else { return };
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = ["label", "count", "score", "ok", "raw", "Scored Labels"]
        .map(String::from)
        .to_vec();
    let n = 2 * GROUP_ROWS + 10;
    let row = |i: usize| -> Vec<Cell<'static>> {
        vec![
            if i.is_multiple_of(9) {
                Cell::Null
            } else {
                str_cell(format!("r{i} é,\""))
            },
            if i.is_multiple_of(4) {
                Cell::Null
            } else {
                Cell::Lit(i.to_string().into())
            },
            // 0, 0.25, 0.5, ...: integers and not, a double column.
            Cell::Lit(format!("{}", i as f64 / 4.0).into()),
            if i.is_multiple_of(5) {
                Cell::Null
            } else {
                Cell::Lit((i.is_multiple_of(2)).to_string().into())
            },
            Cell::Lit(format!("[{i}]").into()),
            // A classic service's answer: numbers as strings stay strings.
            str_cell((i % 2).to_string()),
        ]
    };
    let mut out = ParquetOut::new();
    let mut bytes = Vec::new();
    for i in 0..n {
        out.push(Some(&names), &row(i), &mut bytes);
    }
    out.check().unwrap();
    bytes.extend(out.finish(Some(&names), names.len()).unwrap());
    std::fs::write(dir.path().join("out.parquet"), &bytes).unwrap();

    let read = run_python(
        &python,
        dir.path(),
        r#"
import json, pyarrow.parquet as pq
f = pq.ParquetFile('out.parquet')
t = f.read()
print(json.dumps({
    'types': {x.name: str(x.type) for x in t.schema},
    'row_groups': f.num_row_groups,
    'codec': f.metadata.row_group(0).column(0).compression,
    'rows': t.to_pylist(),
}))
"#,
    );
    let v: Value = serde_json::from_str(&read).unwrap();
    assert_eq!(
        v["types"],
        json!({"label": "string", "count": "int64", "score": "double", "ok": "bool",
            "raw": "string", "Scored Labels": "string"})
    );
    assert_eq!(v["row_groups"], json!(3));
    assert_eq!(v["codec"], json!("SNAPPY"));
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), n);
    for (i, r) in rows.iter().enumerate() {
        let want = json!({
            "label": if i.is_multiple_of(9) { Value::Null } else { json!(format!("r{i} é,\"")) },
            "count": if i.is_multiple_of(4) { Value::Null } else { json!(i) },
            "score": json!(i as f64 / 4.0),
            "ok": if i.is_multiple_of(5) { Value::Null } else { json!(i.is_multiple_of(2)) },
            "raw": json!(format!("[{i}]")),
            "Scored Labels": json!((i % 2).to_string()),
        });
        assert_eq!(r, &want, "row {}", i + 1);
    }
}

/// The MLflow emulator scores `Col2` (Feature Hashing): a Parquet input scored into a Parquet
/// output has the rows and types that the same run written as JSON has.
#[test]
fn the_binary_scores_parquet_into_parquet() {
    let Some(python) = pyarrow() else { return };
    let em = Emulator::start(&["--protocol", "mlflow"]);
    let sb = Sandbox::new();
    run_python(
        &python,
        sb.dir.path(),
        r#"
import pyarrow as pa, pyarrow.parquet as pq
n = 3000
pq.write_table(pa.table({
    'Col2': [f'this is a good day {i}' for i in range(n)],
    'n': [None if i % 3 == 0 else i for i in range(n)],
    'f': [i / 2 for i in range(n)],
}), 'in.parquet', row_group_size=700)
"#,
    );
    let score = |args: &[&str]| {
        let mut cmd = sb.cmd();
        cmd.args([
            "score",
            "--url",
            &em.url,
            "--keep",
            "Col2,n,f",
            "--batch-size",
            "250",
        ])
        .args(args);
        cmd
    };
    let json_out = score(&["-i", "in.parquet", "-f", "json"])
        .assert()
        .success();
    let want: Value = serde_json::from_slice(&json_out.get_output().stdout).unwrap();
    score(&["-i", "in.parquet", "-o", "out.parquet"])
        .assert()
        .success();
    // Parquet on stdin, to a pipe.
    let piped = score(&["--input-format", "parquet", "-f", "parquet"])
        .write_stdin(std::fs::read(sb.path("in.parquet")).unwrap())
        .assert()
        .success();
    std::fs::write(sb.path("piped.parquet"), &piped.get_output().stdout).unwrap();

    let read = run_python(
        &python,
        sb.dir.path(),
        r#"
import json, pyarrow.parquet as pq
out = {}
for name in ['out', 'piped']:
    t = pq.read_table(f'{name}.parquet')
    out[name] = {'types': {x.name: str(x.type) for x in t.schema}, 'rows': t.to_pylist()}
print(json.dumps(out))
"#,
    );
    let got: Value = serde_json::from_str(&read).unwrap();
    for name in ["out", "piped"] {
        assert_eq!(got[name]["rows"], want, "{name}");
        let types = got[name]["types"].as_object().unwrap();
        assert_eq!(types["Col2"], "string");
        assert_eq!(types["n"], "int64");
        assert_eq!(types["f"], "double");
        assert_eq!(types["Col2_HashingFeature.0"], "int64");
    }
    assert_eq!(want.as_array().unwrap().len(), 3000);
}

/// A gzip'd or zstd'd Parquet file (`.parquet.gz`, `.parquet.zst`, or on stdin) is read as the
/// plain one.
#[test]
fn a_compressed_parquet_input_is_read_as_the_plain_one() {
    let Some(python) = pyarrow() else { return };
    let sb = Sandbox::new();
    run_python(
        &python,
        sb.dir.path(),
        r#"
import gzip, pyarrow as pa, pyarrow.parquet as pq
n = 1500
pq.write_table(pa.table({
    'Col2': [f'a fine day {i}' for i in range(n)],
    'n': [None if i % 7 == 0 else i for i in range(n)],
}), 'in.parquet', row_group_size=400)
data = open('in.parquet', 'rb').read()
open('in.parquet.gz', 'wb').write(gzip.compress(data))
open('in.parquet.zst', 'wb').write(pa.compress(data, codec='zstd', asbytes=True))
"#,
    );
    let em = Emulator::start(&["--protocol", "mlflow"]);
    let score = |args: &[&str], stdin: Option<Vec<u8>>| {
        let mut cmd = sb.cmd();
        cmd.args([
            "score",
            "--url",
            &em.url,
            "--batch-size",
            "300",
            "-f",
            "csv",
        ])
        .args(args);
        if let Some(bytes) = stdin {
            cmd.write_stdin(bytes);
        }
        let out = cmd.assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let want = score(&["-i", "in.parquet"], None);
    assert_eq!(want.lines().count(), 1501);
    for name in ["in.parquet.gz", "in.parquet.zst"] {
        assert_eq!(score(&["-i", name], None), want, "{name}");
    }
    let gz = std::fs::read(sb.path("in.parquet.gz")).unwrap();
    assert_eq!(
        score(&["--input-format", "parquet"], Some(gz)),
        want,
        "gzip on stdin"
    );
}

/// A run on a Parquet input killed (SIGKILL) after its first commit goes on with `--resume`
/// from where it stopped: the output is the uninterrupted run's, and no committed row is sent
/// again.
#[test]
fn a_killed_run_on_a_parquet_input_resumes_where_it_stopped() {
    let Some(python) = pyarrow() else { return };
    let sb = Sandbox::new();
    const ROWS: u64 = 4000;
    const BATCH: u64 = 40;
    run_python(
        &python,
        sb.dir.path(),
        r#"
import pyarrow as pa, pyarrow.parquet as pq
n = 4000
pq.write_table(pa.table({
    'Col2': [None if i % 9 == 0 else f'this is a good day {i}' for i in range(n)],
    'n': list(range(n)),
}), 'in.parquet', row_group_size=900)
"#,
    );
    let quick = Emulator::start(&[]);
    sb.cmd_for(&quick)
        .args(["rrs", "execute", "-i", "in.parquet", "-o", "want.csv"])
        .assert()
        .success();
    // About 2.5 s of work (100 requests of 40-60 ms, two at a time); commits come at most
    // once a second.
    let slow = Emulator::start_logged(&["--fault-delay", "40-60"]);
    let batch = BATCH.to_string();
    let args = [
        "rrs",
        "execute",
        "-i",
        "in.parquet",
        "-o",
        "out.csv",
        "--batch-size",
        &batch,
        "--concurrency",
        "2",
    ];
    let journal = sb.path("out.csv.mlws-journal");
    let (done, sent) = support::kill_and_resume(&sb, &slow, &args, &journal);
    assert!(done > 0 && done < ROWS, "{done} rows committed");
    assert_eq!(
        std::fs::read_to_string(sb.path("out.csv")).unwrap(),
        std::fs::read_to_string(sb.path("want.csv")).unwrap()
    );
    assert_eq!(sent, (ROWS - done).div_ceil(BATCH), "{done} rows committed");
    assert!(!journal.exists() && !sb.path("out.csv.mlws-partial").exists());
}

/// A classic service gets an empty string for a null cell; the typed protocols get `null`.
#[test]
fn a_null_is_an_empty_string_for_classic_and_null_for_typed() {
    let Some(python) = pyarrow() else { return };
    let sb = Sandbox::new();
    run_python(
        &python,
        sb.dir.path(),
        "import pyarrow as pa, pyarrow.parquet as pq\n\
         pq.write_table(pa.table({'Col2': ['a b', None], 'n': [None, 2]}), 'in.parquet')",
    );
    let classic = Emulator::start(&[]);
    let dry = sb
        .cmd_for(&classic)
        .args(["rrs", "execute", "-i", "in.parquet", "--dry-run"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&dry.get_output().stdout).to_string();
    assert!(text.contains(r#""Values":[["a b",""],["",2]]"#), "{text}");
    let mlflow = Emulator::start(&["--protocol", "mlflow"]);
    let dry = sb
        .cmd()
        .args([
            "score",
            "--url",
            &mlflow.url,
            "-i",
            "in.parquet",
            "--dry-run",
        ])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&dry.get_output().stdout).to_string();
    assert!(text.contains(r#""data":[["a b",null],[null,2]]"#), "{text}");
}

/// Peak RSS (VmHWM, KiB) of this process so far.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Writes `rows` rows of four columns (about 48 bytes a row in snappy Parquet), a row group
/// of 1M rows at a time, without holding them all in Python either.
fn write_rows(python: &Path, dir: &Path, name: &str, rows: u64) {
    run_python(
        python,
        dir,
        &format!(
            r#"
import pyarrow as pa, pyarrow.parquet as pq, pyarrow.compute as pc
rows, chunk = {rows}, 1_000_000
schema = pa.schema([('id', pa.int64()), ('x', pa.float64()), ('text', pa.string()), ('ok', pa.bool_())])
with pq.ParquetWriter('{name}', schema) as w:
    for start in range(0, rows, chunk):
        ids = pa.array(range(start, min(rows, start + chunk)), pa.int64())
        x = pc.divide(pc.cast(pc.multiply(ids, 7919), pa.float64()), 13.0)
        text = pc.binary_join_element_wise(pc.cast(ids, pa.string()), pc.cast(pc.multiply(ids, 31337), pa.string()), 'review of the book number ')
        ok = pc.equal(pc.bit_wise_and(ids, 1), 0)
        w.write_table(pa.table([ids, x, text, ok], schema=schema))
"#
        ),
    );
}

/// Not a test: reads a small and a large (about 200 MB) Parquet file through
/// `parquet_as_json_lines` and prints the peak RSS after each; flat when the second is about
/// the first.
#[test]
#[ignore = "a measurement: writes about 200 MB; run alone with --ignored --nocapture"]
fn flat_memory_reading_a_large_file() {
    let Some(python) = pyarrow() else { return };
    let dir = tempfile::tempdir().unwrap();
    let sizes = [500_000u64, 8_500_000];
    for (i, &rows) in sizes.iter().enumerate() {
        let name = format!("rows-{i}.parquet");
        write_rows(&python, dir.path(), &name, rows);
        let path = dir.path().join(&name);
        let bytes = std::fs::metadata(&path).unwrap().len();
        let start = std::time::Instant::now();
        let mut reader = parquet_as_json_lines(&path, Nulls::Null).unwrap();
        let (mut buf, mut text, mut lines) = (vec![0u8; 64 * 1024], 0u64, 0u64);
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            text += n as u64;
            lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        }
        assert_eq!(lines, rows);
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{rows} rows, {:.1} MB of Parquet -> {:.1} MB of JSON in {secs:.2} s ({:.0} rows/s); peak RSS so far {:.1} MB",
            bytes as f64 / 1e6,
            text as f64 / 1e6,
            rows as f64 / secs,
            peak_rss_kib() as f64 / 1024.0
        );
    }
}
