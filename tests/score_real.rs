//! The `mlws` binary against the real model servers (tests/support/servers.rs: MLflow, Azure
//! ML's azmlinfsrv, KServe, MLServer, each serving the scikit-learn pipeline of
//! tools/servers/train.py), through every protocol and body format of spec/adapters.md: the
//! predictions are the model's own (tests/data/servers/expected.csv), every row comes back
//! once and in input order under more requests in flight than the server has workers, input
//! cells are copied verbatim (`5.` stays `5.`), prediction columns are named as the contract
//! says; each class of error exits as the contract says with the server's cause; the picky
//! model's bad rows are isolated with `--on-bad-row skip`; `describe` reads what each server
//! publishes. The bodies the servers take and answer are in tools/servers/README.md.
//!
//! Every server is shared by the tests of this binary and all eight (four kinds, the normal and
//! the picky model) are started at once by the first test (`server()`), so the suite waits for
//! the slowest start, not for their sum; each has one worker, fewer than the requests in flight.

mod support;

use std::process::Output;
use std::sync::{Once, OnceLock};
use std::time::Duration;
use support::sandbox::Sandbox;
use support::servers::{Kind, Protocol, RealServer, Variant, data_dir};

/// Rows per request and requests in flight: 200 rows make 29 batches, and 6 in flight is more
/// than the servers' one worker.
const MANY_BATCHES: [&str; 4] = ["--batch-size", "7", "--concurrency", "6"];

/// The rows (0-based) whose color the picky tests set to `bad`: two adjacent, the last.
const BAD_ROWS: [usize; 5] = [3, 17, 18, 60, 199];

/// Starts every server in the background (once, unless the run is filtered), then returns the
/// one asked for, waiting for it; `None` when the servers are not installed and `CI` is not
/// set (the support module has printed a SKIPPED line; under `CI` it panics, so the test
/// fails).
fn server(kind: Kind, variant: Variant) -> Option<&'static RealServer> {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        if filtered() {
            return;
        }
        for k in Kind::ALL {
            for v in [Variant::Normal, Variant::Picky] {
                // A start that panics here (not installed under CI) panics again in the test
                // that asks for the server: a OnceLock whose init panicked stays empty.
                let _ = std::thread::Builder::new()
                    .name(format!("start {k:?} {v:?}"))
                    .spawn(move || RealServer::shared(k, v));
            }
        }
    });
    RealServer::shared(kind, variant)
}

/// Whether the test binary was given a name filter (`cargo test --test score_real NAME`): then
/// only the servers of the tests that run are started, as they ask for them.
fn filtered() -> bool {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--test-threads" | "--skip" | "--logfile" | "--color" | "--format" | "-Z"
            | "--shuffle-seed" => {
                args.next();
            }
            _ if !a.starts_with('-') => return true,
            _ => {}
        }
    }
    false
}

/// rows.csv as written (its header and its data lines, verbatim) and expected.csv.
struct Data {
    header: String,
    lines: Vec<String>,
    predict: Vec<String>,
    proba: Vec<[f64; 2]>,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let rows = std::fs::read_to_string(data_dir().join("rows.csv")).expect("rows.csv");
        let mut lines = rows.lines().map(str::to_string);
        let header = lines.next().expect("a header");
        let lines: Vec<String> = lines.collect();
        let expected =
            std::fs::read_to_string(data_dir().join("expected.csv")).expect("expected.csv");
        let mut predict = Vec::new();
        let mut proba = Vec::new();
        for line in expected.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            predict.push(cells[0].to_string());
            proba.push([cells[1].parse().unwrap(), cells[2].parse().unwrap()]);
        }
        assert_eq!(lines.len(), 200, "rows.csv");
        assert_eq!(predict.len(), lines.len(), "expected.csv");
        Data {
            header,
            lines,
            predict,
            proba,
        }
    })
}

/// rows.csv, whole.
fn rows_csv() -> String {
    let d = data();
    format!("{}\n{}\n", d.header, d.lines.join("\n"))
}

/// rows.csv with the color of `BAD_ROWS` set to `bad`.
fn rows_with_bad() -> Vec<String> {
    data()
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if BAD_ROWS.contains(&i) {
                let (floats, _) = l.rsplit_once(',').unwrap();
                format!("{floats},bad")
            } else {
                l.clone()
            }
        })
        .collect()
}

/// What `mlws score` prints for `rows` of rows.csv: each input line verbatim, then its
/// prediction as `column`.
fn scored(column: &str, rows: impl Iterator<Item = usize>) -> String {
    let d = data();
    let mut out = format!("{},{column}\n", d.header);
    for i in rows {
        out.push_str(&format!("{},{}\n", d.lines[i], d.predict[i]));
    }
    out
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The `Caused by:` lines of the error report.
    fn caused_by(&self) -> String {
        self.stderr
            .lines()
            .skip_while(|l| *l != "Caused by:")
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn hints(&self) -> String {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("hint:"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The `mlws: warning: LINE: refused: ...` lines.
    fn refused(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("mlws: warning: <stdin>:") && l.contains(": refused: "))
            .collect()
    }
}

fn mlws(args: &[&str], input: &str) -> Run {
    let out: Output = Sandbox::new()
        .cmd()
        .args(args)
        .write_stdin(input)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("mlws runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `mlws score --url URL ARGS` with `input` on stdin.
fn score(url: &str, args: &[&str], input: &str) -> Run {
    let mut all = vec!["score", "--url", url];
    all.extend_from_slice(args);
    mlws(&all, input)
}

/// Scores rows.csv in many batches and checks the whole output: the predictions are the
/// model's own, every row once and in input order, the input lines verbatim, the prediction
/// column named `column`.
fn assert_scores_all_rows(server: &RealServer, url: &str, args: &[&str], column: &str) {
    let mut all = MANY_BATCHES.to_vec();
    all.extend_from_slice(args);
    let run = score(url, &all, &rows_csv());
    let what = format!("{url} {args:?}");
    assert_eq!(
        run.code,
        Some(0),
        "{what}: {}\nserver log:\n{}",
        run.stderr,
        server.log_tail(20)
    );
    assert_eq!(run.stdout, scored(column, 0..200), "{what}");
    assert!(
        run.stderr.contains("200 rows in, 200 rows out"),
        "{what}: {}",
        run.stderr
    );
}

/// A run that exited 2 with `cause` on its `Caused by:` lines.
fn assert_refused(run: &Run, cause: &str, what: &str) {
    assert_eq!(run.code, Some(2), "{what}: {}", run.stderr);
    assert!(
        run.caused_by().contains(cause),
        "{what}: no `{cause}` in the cause:\n{}",
        run.stderr
    );
    assert!(run.stdout.lines().count() <= 1, "{what}: {}", run.stdout);
}

/// A wrong model or route: exit 2 with a hint naming the URL posted to.
fn assert_not_found(url: &str, posted: &str, cause: &str) {
    let run = score(url, &[], &rows_csv());
    assert_refused(&run, cause, url);
    assert!(run.caused_by().contains("404"), "{url}: {}", run.stderr);
    assert!(
        run.hints().contains(&format!("`{posted}`")),
        "{url}: no hint naming `{posted}`:\n{}",
        run.stderr
    );
}

/// The first three rows without their `color` column.
fn without_color() -> String {
    let d = data();
    let cut = |l: &str| l.rsplit_once(',').unwrap().0.to_string();
    let mut s = format!("{}\n", cut(&d.header));
    for l in &d.lines[..3] {
        s.push_str(&cut(l));
        s.push('\n');
    }
    s
}

/// Two rows, the second with an empty cell (NaN for the model).
fn with_empty_cell() -> String {
    let d = data();
    format!("{}\n{}\n0.1,,0.3,0.4,red\n", d.header, d.lines[0])
}

/// With the picky model: `--on-bad-row skip` scores every good row in order, writes exactly
/// the bad rows' lines to `--failed-rows` and warns once per bad row (exit 0); the default,
/// `fail`, exits 2 with `cause`.
fn assert_bad_rows_isolated(
    server: &RealServer,
    url: &str,
    args: &[&str],
    column: &str,
    cause: &str,
) {
    let d = data();
    let lines = rows_with_bad();
    let input = format!("{}\n{}\n", d.header, lines.join("\n"));
    let sb = Sandbox::new();
    let failed = sb.path("failed.csv");
    let failed_s = failed.to_str().unwrap();
    let mut all = vec!["score", "--url", url];
    all.extend_from_slice(&MANY_BATCHES);
    all.extend_from_slice(&["--on-bad-row", "skip", "--failed-rows", failed_s]);
    all.extend_from_slice(args);
    let out = sb
        .cmd()
        .args(&all)
        .write_stdin(input.clone())
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    let what = format!("{url} {args:?} (picky)");
    assert_eq!(
        run.code,
        Some(0),
        "{what}: {}\nserver log:\n{}",
        run.stderr,
        server.log_tail(20)
    );
    let good = (0..200).filter(|i| !BAD_ROWS.contains(i));
    assert_eq!(run.stdout, scored(column, good), "{what}");
    let mut bad = format!("{}\n", d.header);
    for &i in &BAD_ROWS {
        bad.push_str(&lines[i]);
        bad.push('\n');
    }
    assert_eq!(std::fs::read_to_string(&failed).unwrap(), bad, "{what}");
    // One warning per bad row, naming its line (they come as the halves are refused, in
    // any order).
    let mut refused: Vec<usize> = run
        .refused()
        .iter()
        .map(|l| {
            assert!(l.contains(cause), "{what}: {l}");
            let n = l["mlws: warning: <stdin>:".len()..]
                .split(':')
                .next()
                .unwrap();
            n.parse().unwrap()
        })
        .collect();
    refused.sort_unstable();
    let want: Vec<usize> = BAD_ROWS.iter().map(|i| i + 2).collect();
    assert_eq!(refused, want, "{what}: {}", run.stderr);
    assert!(
        run.stderr.contains("195 rows out, 5 rows refused"),
        "{what}: {}",
        run.stderr
    );
    // Without skip: the first refused batch stops the run.
    let mut all = MANY_BATCHES.to_vec();
    all.extend_from_slice(&["--on-bad-row", "fail"]);
    all.extend_from_slice(args);
    let run = score(url, &all, &input);
    assert_refused(&run, cause, &what);
}

/// `mlws describe` (table and `-f json`): exit 0, `note` on stderr, the protocol's name, and
/// no inputs (none of these servers declares its model's inputs).
fn assert_describes(url: &str, protocol: &str, note: &str) {
    let run = mlws(&["describe", "--url", url], "");
    assert_eq!(run.code, Some(0), "{url}: {}", run.stderr);
    assert!(run.stderr.contains(note), "{url}: {}", run.stderr);
    let run = mlws(&["describe", "--url", url, "-f", "json"], "");
    assert_eq!(run.code, Some(0), "{url}: {}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["protocol"], protocol, "{url}: {doc}");
    assert_eq!(doc["inputs"], serde_json::json!([]), "{url}: {doc}");
}

#[test]
fn mlflow_scores_every_body_format_in_order() {
    let Some(s) = server(Kind::Mlflow, Variant::Normal) else {
        return;
    };
    let url = s.url(Protocol::Mlflow);
    for format in ["split", "records", "csv"] {
        assert_scores_all_rows(s, &url, &["--body-format", format], "prediction");
    }
    // `rrs execute` is the same command.
    let mut args = vec!["rrs", "execute", "--url", &url];
    args.extend_from_slice(&MANY_BATCHES);
    let run = mlws(&args, &rows_csv());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, scored("prediction", 0..200));
    // TSV in, TSV out, through a CSV body: the cells are still copied as written.
    let tsv = rows_csv().replace(',', "\t");
    let run = score(
        &url,
        &[
            "--input-format",
            "tsv",
            "-f",
            "tsv",
            "--body-format",
            "csv",
            "--keep",
            "f1,color",
        ],
        &tsv,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let d = data();
    let mut want = String::from("f1\tcolor\tprediction\n");
    for (line, p) in d.lines.iter().zip(&d.predict) {
        let cells: Vec<&str> = line.split(',').collect();
        want.push_str(&format!("{}\t{}\t{p}\n", cells[0], cells[4]));
    }
    assert_eq!(run.stdout, want);
}

#[test]
fn mlflow_refusals_exit_2_with_the_servers_cause() {
    let Some(s) = server(Kind::Mlflow, Variant::Normal) else {
        return;
    };
    let url = s.url(Protocol::Mlflow);
    // A missing column: the cause at the end of MLflow's message, not its data printout.
    let run = score(&url, &[], &without_color());
    assert_refused(&run, "Model is missing inputs ['color']", "missing column");
    assert!(run.caused_by().len() < 400, "{}", run.stderr);
    // A null cell: the exception at the end of `stack_trace`, not sklearn's advice after it.
    let run = score(&url, &[], &with_empty_cell());
    assert_refused(&run, "ValueError: Input X contains NaN.", "empty cell");
    // Another protocol's body.
    let run = score(&url, &["--protocol", "azureml"], &rows_csv());
    assert_refused(&run, "exactly one of the input fields", "an azureml body");
    assert_not_found(
        &format!("{}/nope/invocations", s.base_url()),
        &format!("{}/nope/invocations", s.base_url()),
        "Not Found",
    );
}

#[test]
fn mlflow_bad_rows_are_isolated() {
    let Some(s) = server(Kind::Mlflow, Variant::Picky) else {
        return;
    };
    let cause = "ValueError: Found unknown categories ['bad'] in column 0 during transform";
    for format in ["split", "csv"] {
        assert_bad_rows_isolated(
            s,
            &s.url(Protocol::Mlflow),
            &["--body-format", format],
            "prediction",
            cause,
        );
    }
}

#[test]
fn azureml_scores_both_body_formats_in_order() {
    let Some(s) = server(Kind::AzureMl, Variant::Normal) else {
        return;
    };
    let url = s.url(Protocol::AzureMl);
    // score.py takes both `input_data` and the docs' `{"data": [[...]]}`.
    for format in ["input-data", "data"] {
        assert_scores_all_rows(s, &url, &["--body-format", format], "prediction");
    }
}

#[test]
fn azureml_refusals_exit_2() {
    let Some(s) = server(Kind::AzureMl, Variant::Normal) else {
        return;
    };
    let url = s.url(Protocol::AzureMl);
    // azmlinfsrv answers every failure in run() with the same 500 and a message without the
    // cause (tools/servers/README.md); it repeats on a retry, so it is a refusal.
    let generic = "An unexpected error occurred in scoring script";
    let run = score(&url, &[], &without_color());
    assert_refused(&run, generic, "missing column");
    let run = score(&url, &[], &with_empty_cell());
    assert_refused(&run, generic, "empty cell");
    let run = score(&url, &["--protocol", "kserve-v1"], &rows_csv());
    assert_refused(&run, generic, "a kserve-v1 body");
    let nope = format!("{}/nope/score", s.base_url());
    assert_not_found(&nope, &nope, "was not found on the server");
}

#[test]
fn azureml_bad_rows_are_isolated() {
    let Some(s) = server(Kind::AzureMl, Variant::Picky) else {
        return;
    };
    let cause = "An unexpected error occurred in scoring script";
    assert_bad_rows_isolated(s, &s.url(Protocol::AzureMl), &[], "prediction", cause);
}

#[test]
fn v2_on_kserve_scores_columns_in_order() {
    let Some(s) = server(Kind::Kserve, Variant::Normal) else {
        return;
    };
    // KServe's one output, `output-0` of shape [n].
    assert_scores_all_rows(s, &s.url(Protocol::V2), &[], "output-0");
}

#[test]
fn kserve_v1_scores_rows_and_columns_in_order() {
    let Some(s) = server(Kind::Kserve, Variant::Normal) else {
        return;
    };
    let url = s.url(Protocol::KserveV1);
    for format in ["rows", "columns"] {
        assert_scores_all_rows(s, &url, &["--body-format", format], "prediction");
    }
}

#[test]
fn kserve_refusals_exit_2_with_the_servers_cause() {
    let Some(s) = server(Kind::Kserve, Variant::Normal) else {
        return;
    };
    let v2 = s.url(Protocol::V2);
    let v1 = s.url(Protocol::KserveV1);
    let run = score(&v2, &[], &without_color());
    assert_refused(&run, "columns are missing: {'color'}", "v2 missing column");
    let run = score(&v1, &["--body-format", "columns"], &without_color());
    assert_refused(&run, "columns are missing: {'color'}", "v1 missing column");
    let run = score(&v1, &[], &without_color());
    assert_refused(&run, "indices imply (3, 5)", "v1 rows, missing column");
    for url in [&v2, &v1] {
        let run = score(url, &[], &with_empty_cell());
        assert_refused(&run, "Input X contains NaN.", "empty cell");
    }
    // One FP64 tensor of every column: the strings of `color` do not convert.
    let run = score(&v2, &["--body-format", "tensor"], &rows_csv());
    assert_refused(&run, "could not convert string to float: 'green'", "tensor");
    // A body format kserve-v1 does not have: exit 2 before anything is sent.
    let run = score(&v1, &["--body-format", "tensor"], &rows_csv());
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("rows, columns"), "{}", run.stderr);
    let base = s.base_url();
    assert_not_found(
        &format!("{base}/v2/models/nope"),
        &format!("{base}/v2/models/nope/infer"),
        "Model with name nope does not exist.",
    );
    assert_not_found(
        &format!("{base}/v1/models/nope:predict"),
        &format!("{base}/v1/models/nope:predict"),
        "Model with name nope does not exist.",
    );
}

#[test]
fn kserve_bad_rows_are_isolated_on_v1_and_v2() {
    let Some(s) = server(Kind::Kserve, Variant::Picky) else {
        return;
    };
    let cause = "Found unknown categories ['bad'] in column 0 during transform";
    assert_bad_rows_isolated(s, &s.url(Protocol::V2), &[], "output-0", cause);
    for format in ["rows", "columns"] {
        assert_bad_rows_isolated(
            s,
            &s.url(Protocol::KserveV1),
            &["--body-format", format],
            "prediction",
            cause,
        );
    }
}

#[test]
fn v2_on_mlserver_scores_columns_and_asked_outputs_in_order() {
    let Some(s) = server(Kind::MlServer, Variant::Normal) else {
        return;
    };
    let url = s.url(Protocol::V2);
    // MLServer's `predict` of shape [n,1] is one column.
    assert_scores_all_rows(s, &url, &[], "predict");
    // `predict_proba` of shape [n,2] is two; with `predict` asked too, in answer order.
    let d = data();
    for (outputs, columns) in [
        (&["predict_proba"][..], "predict_proba_0,predict_proba_1"),
        (
            &["predict", "predict_proba"][..],
            "predict,predict_proba_0,predict_proba_1",
        ),
    ] {
        let mut args = MANY_BATCHES.to_vec();
        for o in outputs {
            args.extend_from_slice(&["--output-name", o]);
        }
        let run = score(&url, &args, &rows_csv());
        assert_eq!(run.code, Some(0), "{outputs:?}: {}", run.stderr);
        let mut lines = run.stdout.lines();
        assert_eq!(
            lines.next(),
            Some(format!("{},{columns}", d.header).as_str())
        );
        let mut n = 0;
        for (i, line) in lines.enumerate() {
            let rest = line
                .strip_prefix(&format!("{},", d.lines[i]))
                .unwrap_or_else(|| panic!("{outputs:?}: row {i} is not verbatim: {line}"));
            let cells: Vec<&str> = rest.split(',').collect();
            let proba = &cells[cells.len() - 2..];
            // The server's floats, to the last digit.
            let got: Vec<f64> = proba.iter().map(|c| c.parse().unwrap()).collect();
            assert_eq!(got, d.proba[i], "{outputs:?}: row {i}: {line}");
            if cells.len() == 3 {
                assert_eq!(cells[0], d.predict[i], "{outputs:?}: row {i}");
            }
            n += 1;
        }
        assert_eq!(n, 200, "{outputs:?}");
    }
}

#[test]
fn mlserver_refusals_exit_2_with_the_servers_cause() {
    let Some(s) = server(Kind::MlServer, Variant::Normal) else {
        return;
    };
    let url = s.url(Protocol::V2);
    let run = score(&url, &[], &without_color());
    assert_refused(
        &run,
        "builtins.ValueError: columns are missing: {'color'}",
        "missing column",
    );
    let run = score(&url, &[], &with_empty_cell());
    assert_refused(
        &run,
        "builtins.ValueError: Input X contains NaN.",
        "empty cell",
    );
    let run = score(&url, &["--body-format", "tensor"], &rows_csv());
    assert_refused(&run, "could not convert string to float: 'green'", "tensor");
    // Every row refused on its own: a wrong body, not bad rows.
    let sb = Sandbox::new();
    let failed = sb.path("failed.csv");
    let run = score(
        &url,
        &[
            "--body-format",
            "tensor",
            "--on-bad-row",
            "skip",
            "--failed-rows",
            failed.to_str().unwrap(),
        ],
        &rows_csv(),
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("refused every row"), "{}", run.stderr);
    let base = s.base_url();
    assert_not_found(
        &format!("{base}/v2/models/nope"),
        &format!("{base}/v2/models/nope/infer"),
        "Model nope not found",
    );
}

#[test]
fn mlserver_bad_rows_are_isolated() {
    let Some(s) = server(Kind::MlServer, Variant::Picky) else {
        return;
    };
    let cause =
        "builtins.ValueError: Found unknown categories ['bad'] in column 0 during transform";
    assert_bad_rows_isolated(s, &s.url(Protocol::V2), &[], "predict", cause);
}

#[test]
fn describe_says_what_each_server_publishes() {
    let servers = Kind::ALL.map(|k| server(k, Variant::Normal));
    let [Some(mlflow), Some(azureml), Some(kserve), Some(mlserver)] = servers else {
        return;
    };
    assert_describes(
        &mlflow.url(Protocol::Mlflow),
        "mlflow",
        "a mlflow server publishes no schema",
    );
    // azmlinfsrv serves a swagger.json whose input schema is empty for an undecorated script.
    assert_describes(
        &azureml.url(Protocol::AzureMl),
        "azureml",
        &format!("`{}/swagger.json` declares no inputs", azureml.base_url()),
    );
    // Both v2 servers publish model metadata with empty `inputs`.
    for s in [kserve, mlserver] {
        let url = s.url(Protocol::V2);
        assert_describes(&url, "v2", &format!("`{url}` declares no inputs"));
    }
    assert_describes(
        &kserve.url(Protocol::KserveV1),
        "kserve-v1",
        "a kserve-v1 server publishes no schema",
    );
}
