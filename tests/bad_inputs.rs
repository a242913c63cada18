//! The bad-input corpus (`tests/bad_inputs/`, issue 4 item 4): one folder per case with its input
//! files and a `case.toml` (format in `tests/bad_inputs/README.md`). One test starts one
//! `mlws serve --apim-suffix x`, runs every case in a sandbox of its own, and lists every case
//! that failed: wrong exit code, a message without the expected text, more than one error
//! line or `Caused by:` noise for a local error, output on stdout, or an output file left behind.
//! `BAD_INPUTS_SHOW=1 cargo test --test bad_inputs -- --nocapture` prints every case's stderr.

mod support;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::sandbox;
use support::serve::Emulator;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    args: Vec<String>,
    #[serde(default)]
    stdin: Option<String>,
    exit: i32,
    /// A substring of stderr (empty: anything).
    stderr: String,
    #[serde(default)]
    stderr_also: Option<String>,
    /// A substring of one `hint:` line.
    #[serde(default)]
    hint: Option<String>,
    /// Substrings that must not be on stderr (a secret given in the input).
    #[serde(default)]
    stderr_not: Vec<String>,
    /// `Caused by:` lines are allowed (errors of the service or the network, not local ones).
    #[serde(default)]
    chain: bool,
    /// More line prefixes allowed on stderr (progress lines of a command that got far).
    #[serde(default)]
    allow: Vec<String>,
    /// A substring of stdout; without it stdout must be empty.
    #[serde(default)]
    stdout: Option<String>,
    /// Paths (relative to the case's directory) that must not exist afterwards.
    #[serde(default = "default_absent")]
    absent: Vec<String>,
    /// Environment variables set (an empty value removes the variable).
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    output: Option<Output>,
    #[serde(default)]
    generate: Vec<Generate>,
}

fn default_absent() -> Vec<String> {
    vec!["out.csv".to_string()]
}

/// A file that must exist afterwards, with this text in it (or exactly this text).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Output {
    file: String,
    #[serde(default)]
    contains: Option<String>,
    #[serde(default)]
    equals: Option<String>,
}

/// A large input written by the runner: `head`, `repeat` `times` times, `tail`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generate {
    file: String,
    head: String,
    repeat: String,
    times: usize,
    tail: String,
}

/// Lines allowed on stderr besides the one `mlws: error:` line.
const ALWAYS_ALLOWED: &[&str] = &[
    "hint: ",
    "note: ",
    "Usage: ",
    "For more information",
    "  tip: ",
    "  [possible values: ",
];

/// Progress lines for people that may precede an error: the summary of `rrs execute` once a
/// request was sent, and the steps of `bes run` (upload, submit, end of the job).
fn is_progress(line: &str) -> bool {
    let summary =
        line.starts_with("mlws: ") && line.contains(" rows in, ") && line.contains(" requests, ");
    summary
        || line.starts_with("uploaded `")
        || line.starts_with("submitted job `")
        || (line.starts_with("job `") && line.contains("` ended "))
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

fn load_cases() -> Vec<(String, PathBuf, Case)> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(dir.join("case.toml"))
            .unwrap_or_else(|e| panic!("{name}: no case.toml: {e}"));
        let case: Case =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{name}/case.toml is invalid: {e}"));
        cases.push((name, dir, case));
    }
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

/// Copies the case's files (all but `case.toml`) into `to`, directories included.
fn copy_inputs(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, name) = (entry.path(), entry.file_name());
        if name == "case.toml" {
            continue;
        }
        let dst = to.join(&name);
        if src.is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
            copy_inputs(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

fn generate(dir: &Path, g: &Generate) {
    let file = std::fs::File::create(dir.join(&g.file)).unwrap();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.write_all(g.head.as_bytes()).unwrap();
    let chunk = g.repeat.repeat((1 << 16) / g.repeat.len().max(1) + 1);
    let per_chunk = chunk.len() / g.repeat.len();
    let mut left = g.times;
    while left > 0 {
        let n = left.min(per_chunk);
        out.write_all(&chunk.as_bytes()[..n * g.repeat.len()])
            .unwrap();
        left -= n;
    }
    out.write_all(g.tail.as_bytes()).unwrap();
    out.flush().unwrap();
}

/// Fills `{base_url}`, `{origin}`, `{workspace}`, `{service}`, `{service_root}`, `{api_key}`,
/// `{subscription_key}`, `{storage}` and `{dir}`.
fn fill(s: &str, em: &Emulator, dir: &Path) -> String {
    s.replace("{base_url}", &em.base_url)
        .replace("{origin}", &em.origin())
        .replace("{workspace}", &em.workspace)
        .replace("{service}", &em.service)
        .replace("{service_root}", &em.service_root(&em.base_url))
        .replace("{api_key}", &em.api_key)
        .replace(
            "{subscription_key}",
            em.subscription_key.as_deref().unwrap_or(""),
        )
        .replace("{storage}", &em.storage_connection_string)
        .replace("{dir}", &dir.to_string_lossy())
}

/// Runs one case; the list of what is wrong with its outcome.
fn run_case(em: &Emulator, from: &Path, case: &Case) -> Vec<String> {
    let sandbox = tempfile::tempdir().unwrap();
    let dir = sandbox.path();
    copy_inputs(from, dir);
    for g in &case.generate {
        generate(dir, g);
    }
    let mut std_cmd = sandbox::scrubbed(dir, &dir.join("config.toml"));
    sandbox::point_at(&mut std_cmd, em);
    std_cmd.env(
        "MLWS_STORAGE_CONNECTION_STRING",
        &em.storage_connection_string,
    );
    let mut cmd = assert_cmd::Command::from_std(std_cmd);
    cmd.timeout(Duration::from_secs(120));
    for (k, v) in &case.env {
        if v.is_empty() {
            cmd.env_remove(k);
        } else {
            cmd.env(k, fill(v, em, dir));
        }
    }
    cmd.args(case.args.iter().map(|a| fill(a, em, dir)));
    cmd.write_stdin(
        case.stdin
            .as_deref()
            .map(|s| fill(s, em, dir))
            .unwrap_or_default(),
    );
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if std::env::var_os("BAD_INPUTS_SHOW").is_some() {
        eprintln!(
            "--- {} (exit {:?})\n{}",
            from.display(),
            out.status.code(),
            stderr.trim_end()
        );
    }
    let mut wrong = check_streams(case, out.status.code(), &stdout, &stderr);
    wrong.extend(check_files(case, dir));
    if !wrong.is_empty() {
        wrong.push(format!(
            "stderr was:\n{}",
            indent(&stderr.chars().take(2000).collect::<String>())
        ));
        if !stdout.is_empty() {
            let shown: String = stdout.chars().take(500).collect();
            wrong.push(format!("stdout was:\n{}", indent(&shown)));
        }
    }
    wrong
}

fn check_streams(case: &Case, code: Option<i32>, stdout: &str, stderr: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    if code != Some(case.exit) {
        wrong.push(format!("exit code {code:?}, expected {}", case.exit));
    }
    for want in std::iter::once(&case.stderr).chain(&case.stderr_also) {
        if !stderr.contains(want.as_str()) {
            wrong.push(format!("stderr does not contain {want:?}"));
        }
    }
    for secret in &case.stderr_not {
        if stderr.contains(secret.as_str()) || stdout.contains(secret.as_str()) {
            wrong.push(format!("the output shows {secret:?}"));
        }
    }
    if let Some(h) = &case.hint
        && !stderr
            .lines()
            .any(|l| l.starts_with("hint: ") && l.contains(h.as_str()))
    {
        wrong.push(format!("no `hint:` line containing {h:?}"));
    }
    match &case.stdout {
        Some(want) if !stdout.contains(want.as_str()) => {
            wrong.push(format!("stdout does not contain {want:?}"));
        }
        None if !stdout.is_empty() => wrong.push("stdout is not empty".into()),
        _ => {}
    }
    if case.exit != 0 {
        wrong.extend(check_error_lines(case, stderr));
    }
    wrong
}

/// One `mlws: error:` line; the others are hints, notes, clap's usage lines, or (for errors
/// of the service) a `Caused by:` chain.
fn check_error_lines(case: &Case, stderr: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    let errors = stderr
        .lines()
        .filter(|l| l.starts_with("mlws: error: "))
        .count();
    if errors != 1 {
        wrong.push(format!("{errors} `mlws: error:` lines, expected one"));
    }
    let mut in_chain = false;
    for line in stderr.lines() {
        if line.starts_with("mlws: error: ") || line.trim().is_empty() {
            continue;
        }
        if case.chain && (line == "Caused by:" || (in_chain && line.starts_with("  "))) {
            in_chain = true;
            continue;
        }
        in_chain = false;
        let allowed = ALWAYS_ALLOWED.iter().any(|p| line.starts_with(p))
            || is_progress(line)
            || case.allow.iter().any(|p| line.starts_with(p.as_str()));
        if !allowed {
            wrong.push(format!("unexpected stderr line {line:?}"));
        }
    }
    wrong
}

fn check_files(case: &Case, dir: &Path) -> Vec<String> {
    let mut wrong = Vec::new();
    for path in &case.absent {
        if dir.join(path).exists() {
            wrong.push(format!("`{path}` exists afterwards"));
        }
    }
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.contains("mlws-tmp") || name.contains("mlws-download") {
            wrong.push(format!("a temporary file `{name}` was left behind"));
        }
    }
    if let Some(o) = &case.output {
        match std::fs::read_to_string(dir.join(&o.file)) {
            Err(e) => wrong.push(format!("cannot read `{}`: {e}", o.file)),
            Ok(text) => {
                if let Some(want) = &o.contains
                    && !text.contains(want.as_str())
                {
                    wrong.push(format!("`{}` does not contain {want:?}: {text:?}", o.file));
                }
                if let Some(want) = &o.equals
                    && &text != want
                {
                    wrong.push(format!("`{}` is {text:?}, expected {want:?}", o.file));
                }
            }
        }
    }
    wrong
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("      | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_bad_input_is_refused_clearly() {
    let cases = load_cases();
    assert!(
        cases.len() >= 40,
        "the corpus should hold at least 40 cases, it has {}",
        cases.len()
    );
    let em = Emulator::start(&["--apim-suffix", "x"]);
    let mut failures = Vec::new();
    for (name, dir, case) in &cases {
        let wrong = run_case(&em, dir, case);
        if !wrong.is_empty() {
            failures.push(format!(
                "{name} ({}):\n  - {}",
                case.about,
                wrong.join("\n  - ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
