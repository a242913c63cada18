//! The secret scan (issue 4 item 5): one test runs a representative set of commands — at `-vvv`,
//! with `--dry-run`, and on error paths (RRS ok, 400, 401 of the service, 401 of the gateway,
//! BES submit/start/status/delete/run, failed jobs, a missing input blob, `config list`, bad
//! connection strings, URLs carrying `sig=` in errors) — against `mlws serve --apim-suffix x`
//! with its own blob storage and again with Azurite, and scans stdout, stderr and every file
//! the commands wrote for the API key, the subscription key, the account keys, the wrong keys
//! given on purpose, and every SAS `sig` value: those the emulator issued (read from its own
//! status answers with reqwest, not through mlws, which masks them) and those planted in the
//! inputs. Any `sig=` or `AccountKey=` shown must be followed by `***`.

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;
use support::azurite::{self, Azurite};
use support::sandbox;
use support::serve::Emulator;

/// Wrong keys given on purpose: secrets of the user like the right ones.
const WRONG_API_KEY: &str = "V3JvbmdBcGlLZXlXcm9uZ0FwaUtleVdyb25nQXBpS2V5";
const WRONG_SUBSCRIPTION_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
/// Signatures planted in inputs (percent-encoded base64, as in real SAS URLs).
const PLANTED_SIGS: [&str; 3] = [
    "UGxhbnRlZFNpZ09uZQ%2B%2FcGxhbnRlZA%3D%3D",
    "UGxhbnRlZFNpZ1R3bw%2Bx%2FeXo%3D",
    "UGxhbnRlZFNpZ1RocmVl%2Bz%2Fw%3D%3D",
];

const GOOD: &str = "Col2\nThis is a good day\nBook 2017 great\n";
const NO_COL2: &str = "Text\nhello\n";

/// What one command printed.
struct Run {
    what: String,
    stdout: String,
    stderr: String,
}

/// The sandbox of one storage target: a directory, the settings, what ran, the jobs seen.
struct Scenario<'a> {
    label: &'static str,
    em: &'a Emulator,
    storage: String,
    dir: tempfile::TempDir,
    runs: Vec<Run>,
    jobs: BTreeSet<String>,
    /// Files the test wrote (inputs, the config file), not scanned as output.
    inputs: BTreeSet<PathBuf>,
}

impl<'a> Scenario<'a> {
    fn new(label: &'static str, em: &'a Emulator, storage: String) -> Self {
        let mut s = Scenario {
            label,
            em,
            storage,
            dir: tempfile::tempdir().unwrap(),
            runs: Vec::new(),
            jobs: BTreeSet::new(),
            inputs: BTreeSet::new(),
        };
        s.write("in.csv", GOOD);
        s.write("bad.csv", NO_COL2);
        s.write("key.txt", &format!("{}\n", em.api_key));
        s
    }

    fn write(&mut self, name: &str, text: &str) {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        self.inputs.insert(path);
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `mlws ARGS` with the service and storage settings in the environment, then `env`.
    fn run(&mut self, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
        let mut std_cmd = sandbox::scrubbed(self.dir.path(), &self.path("config.toml"));
        sandbox::point_at(&mut std_cmd, self.em);
        std_cmd.env("MLWS_STORAGE_CONNECTION_STRING", &self.storage);
        let mut cmd = assert_cmd::Command::from_std(std_cmd);
        cmd.timeout(Duration::from_secs(120));
        for (k, v) in env {
            if v.is_empty() {
                cmd.env_remove(k);
            } else {
                cmd.env(k, v);
            }
        }
        let out = cmd.args(args).write_stdin(stdin).output().unwrap();
        let run = Run {
            what: format!("[{}] mlws {}", self.label, args.join(" ")),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        for line in run.stderr.lines() {
            if let Some(rest) = line.split("submitted job `").nth(1) {
                self.jobs
                    .insert(rest.split('`').next().unwrap().to_string());
            }
        }
        self.runs.push(run);
        out
    }

    /// Runs and asserts the exit code, so that the scan never passes on commands that did
    /// nothing.
    fn expect(&mut self, code: i32, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.run(args, env, "");
        let run = self.runs.last().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{}\nstdout:\n{}\nstderr:\n{}",
            run.what,
            run.stdout,
            run.stderr
        );
        run.stdout.clone()
    }

    /// Every file under the sandbox that the test did not write itself: (name, text).
    fn written_files(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut stack = vec![self.dir.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if !self.inputs.contains(&path) {
                    let bytes = std::fs::read(&path).unwrap();
                    let name = path.strip_prefix(self.dir.path()).unwrap();
                    out.push((
                        format!("[{}] file {}", self.label, name.display()),
                        String::from_utf8_lossy(&bytes).into_owned(),
                    ));
                }
            }
        }
        out
    }
}

/// The commands of the scan, for one storage target.
fn exercise(s: &mut Scenario) {
    rrs_commands(s);
    bes_commands(s);
    settings_commands(s);
}

fn rrs_commands(s: &mut Scenario) {
    s.expect(
        0,
        &["-vvv", "rrs", "execute", "-i", "in.csv", "-o", "ok.csv"],
        &[],
    );
    assert!(
        std::fs::read_to_string(s.path("ok.csv"))
            .unwrap()
            .contains("This is a good day,1,1,2,2,0,2,0,1")
    );
    let failed = [
        "-vvv",
        "rrs",
        "execute",
        "-i",
        "bad.csv",
        "-o",
        "no.csv",
        "--failed-rows",
        "failed.csv",
    ];
    s.expect(2, &failed, &[]);
    assert!(s.path("failed.csv").exists());
    let record = ["-vvv", "rrs", "execute", "--record", "Col2=x"];
    s.expect(3, &record, &[("MLWS_API_KEY", WRONG_API_KEY)]);
    let wrong_sub = [&record[..], &["--subscription-key", WRONG_SUBSCRIPTION_KEY]].concat();
    s.expect(3, &wrong_sub, &[]);
    s.expect(3, &record, &[("MLWS_SUBSCRIPTION_KEY", "")]);
    s.expect(0, &[&record[..], &["--api-key", "@key.txt"]].concat(), &[]);
    let key = s.em.api_key.clone();
    let out = s.run(&[&record[..], &["--api-key", "-"]].concat(), &[], &key);
    assert!(out.status.success());
    s.expect(
        0,
        &[
            "-vvv",
            "--dry-run",
            "rrs",
            "execute",
            "-i",
            "in.csv",
            "--swagger",
        ],
        &[],
    );
    // A `sig=` in a URL given on the command line, shown back in an error and in a trace.
    let bad_url = format!("https://h.example/foo/execute?sig={}", PLANTED_SIGS[0]);
    s.expect(
        2,
        &[&record[..], &["--service-url", &bad_url]].concat(),
        &[],
    );
    let good_url = format!(
        "{}/execute?api-version=2.0&sig={}",
        s.em.service_root(&s.em.base_url),
        PLANTED_SIGS[0]
    );
    s.expect(
        0,
        &[&record[..], &["--service-url", &good_url]].concat(),
        &[],
    );
}

fn bes_commands(s: &mut Scenario) {
    let v = "-vvv";
    let id = s.expect(0, &[v, "bes", "submit", "--input", "in.csv"], &[]);
    let id = id.trim().to_string();
    s.jobs.insert(id.clone());
    s.expect(0, &[v, "bes", "start", &id], &[]);
    let status = s.expect(0, &[v, "bes", "status", &id, "--wait", "-f", "json"], &[]);
    assert!(
        status.contains("\"Finished\"") && status.contains("sig=***"),
        "{status}"
    );
    s.expect(0, &[v, "bes", "status", &id, "-f", "json"], &[]);
    s.expect(0, &[v, "bes", "delete", &id], &[]);
    // A result written where the user says, then read back.
    let custom = [v, "bes", "submit", "--input", "in.csv"];
    let id = s.expect(
        0,
        &[&custom[..], &["--output-blob", "mlws/custom/out.csv"]].concat(),
        &[],
    );
    let id = id.trim().to_string();
    s.jobs.insert(id.clone());
    s.expect(0, &[v, "bes", "start", &id], &[]);
    s.expect(0, &["bes", "status", &id, "--wait", "-f", "json"], &[]);
    // That result, already in storage, as the input of another job (checked, not uploaded).
    let id = s.expect(
        0,
        &[v, "bes", "submit", "--input", "mlws/custom/out.csv"],
        &[],
    );
    let id = id.trim().to_string();
    s.jobs.insert(id.clone());
    s.expect(0, &[v, "bes", "start", &id], &[]);
    s.expect(0, &["bes", "status", &id, "--wait"], &[]);
    let run = [v, "bes", "run", "--poll-interval", "0.1", "--input"];
    s.expect(
        0,
        &[&run[..], &["in.csv", "--output", "run.csv"]].concat(),
        &[],
    );
    assert!(
        std::fs::read_to_string(s.path("run.csv"))
            .unwrap()
            .contains("Book 2017 great")
    );
    s.expect(
        5,
        &[&run[..], &["bad.csv", "--output", "run-bad.csv"]].concat(),
        &[],
    );
    std::fs::create_dir_all(s.path("outputs")).unwrap();
    let outputs = [&run[..], &["in.csv", "--output-dir", "outputs"]].concat();
    s.expect(0, &outputs, &[]);
    s.expect(
        0,
        &[v, "--dry-run", "bes", "submit", "--input", "in.csv"],
        &[],
    );
    s.expect(
        0,
        &[&["--dry-run"], &run[..], &["in.csv", "--output", "dry.csv"]].concat(),
        &[],
    );
    s.expect(
        2,
        &[v, "bes", "submit", "--input", "nosuchcontainer/in.csv"],
        &[],
    );
    s.expect(
        2,
        &[
            v,
            "bes",
            "status",
            "0123456789abcdef0123456789abcdef",
            "-f",
            "json",
        ],
        &[],
    );
}

fn settings_commands(s: &mut Scenario) {
    let key = account_key(&s.storage);
    let bad = [
        format!("AccountName=mlwsemulator;{key}"),
        format!("{key};AccountName=acct"),
        format!("DefaultEndpointsProtocol=gopher;AccountName=acct;AccountKey={key}"),
        // `;` forgotten before the key: it ends up inside the endpoint that the message names.
        format!("AccountName=acct;AccountKey={key};BlobEndpoint=not a url AccountKey={key}"),
        format!("AccountName=Bad_Acct;AccountKey={key}"),
        format!("AccountName=acct;AccountKey={key}*"),
    ];
    for cs in &bad {
        s.expect(
            2,
            &["-vvv", "bes", "submit", "--input", "in.csv"],
            &[("MLWS_STORAGE_CONNECTION_STRING", cs)],
        );
    }
    // An account SAS with a wrong signature: storage refuses it (403), and the request URL
    // that carried it must not be shown.
    let endpoint = field(&s.storage, "BlobEndpoint");
    let sas_cs = format!(
        "AccountName={};BlobEndpoint={endpoint};SharedAccessSignature=sv=2021-08-06&ss=b&srt=sco&sp=rwdlac&se=2099-01-01T00:00:00Z&sig={}",
        field(&s.storage, "AccountName"),
        PLANTED_SIGS[1]
    );
    let sas_env = [("MLWS_STORAGE_CONNECTION_STRING", sas_cs.as_str())];
    // The storage refuses the forged SAS (403): exit 3, like any refused credential.
    s.expect(3, &["-vvv", "bes", "submit", "--input", "in.csv"], &sas_env);
    s.expect(
        3,
        &[
            "-vvv", "bes", "run", "--input", "in.csv", "--output", "sas.csv",
        ],
        &sas_env,
    );
    let profile = format!(
        "default_profile = \"p\"\n\n[profiles.p]\napi_key = \"{}\"\nsubscription_key = \"{}\"\nstorage_connection_string = \"{}\"\nservice_url = \"{}?sig={}\"\n",
        s.em.api_key,
        s.em.subscription_key.as_deref().unwrap(),
        s.storage,
        s.em.service_root(&s.em.base_url),
        PLANTED_SIGS[2]
    );
    s.write("config.toml", &profile);
    let from_profile = [
        ("MLWS_API_KEY", ""),
        ("MLWS_SUBSCRIPTION_KEY", ""),
        ("MLWS_STORAGE_CONNECTION_STRING", ""),
    ];
    let listed = s.expect(
        0,
        &["-vvv", "config", "list", "--show-origin"],
        &from_profile,
    );
    assert!(listed.contains("api_key = ***\t# profile p"), "{listed}");
    s.expect(0, &["-vvv", "config", "list"], &[]);
    s.expect(
        0,
        &["-vvv", "rrs", "execute", "--record", "Col2=x"],
        &from_profile,
    );
    s.expect(
        0,
        &["-vvv", "--dry-run", "bes", "submit", "--input", "in.csv"],
        &from_profile,
    );
    std::fs::remove_file(s.path("config.toml")).unwrap();
}

/// A connection string's field (case-insensitive name).
fn field(cs: &str, name: &str) -> String {
    cs.split(';')
        .find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.to_string())
        })
        .unwrap_or_else(|| panic!("no `{name}` in the connection string"))
}

fn account_key(cs: &str) -> String {
    field(cs, "AccountKey")
}

/// The status body of each job, straight from the emulator (through its gateway).
fn statuses(em: &Emulator, jobs: &BTreeSet<String>) -> Vec<Value> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let http = reqwest::Client::new();
        let mut out = Vec::new();
        for id in jobs {
            let url = format!(
                "{}/jobs/{id}?api-version=2.0",
                em.service_root(&em.base_url)
            );
            let r = http
                .get(url)
                .bearer_auth(&em.api_key)
                .header(
                    "Ocp-Apim-Subscription-Key",
                    em.subscription_key.as_deref().unwrap(),
                )
                .send()
                .await
                .unwrap();
            assert!(
                r.status().is_success(),
                "status of job {id}: {}",
                r.status()
            );
            out.push(r.json::<Value>().await.unwrap());
        }
        out
    })
}

/// Every `sig=` value in the strings of a JSON value.
fn sigs_in(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            for part in s.split("sig=").skip(1) {
                let sig = part.split(['&', '"', ';', ' ']).next().unwrap_or("");
                if !sig.is_empty() {
                    out.insert(sig.to_string());
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| sigs_in(x, out)),
        Value::Object(m) => m.values().for_each(|x| sigs_in(x, out)),
        _ => {}
    }
}

/// A secret as it may be printed: as is, percent-encoded, percent-decoded, JSON-escaped.
fn variants(secret: &str) -> Vec<String> {
    let encoded = secret
        .replace('%', "%25")
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let decoded = percent_decode(secret);
    let mut out = vec![
        secret.to_string(),
        encoded,
        decoded.clone(),
        secret.replace('/', "\\/"),
        decoded.replace('/', "\\/"),
    ];
    out.sort();
    out.dedup();
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `marker` (case-insensitive) followed by something other than `***`: an unmasked value.
fn unmasked_after(text: &str, marker: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(marker) {
        let at = from + i;
        let value = &text[at + marker.len()..];
        let before = text[..at].chars().next_back();
        let is_marker = before.is_none_or(|c| !c.is_ascii_alphanumeric());
        let end = value
            .find(|c: char| matches!(c, '&' | ';' | '"' | '\'' | ',') || c.is_whitespace())
            .unwrap_or(value.len());
        if is_marker && end > 0 && !value.starts_with("***") {
            let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
            let line_end = at + text[at..].find('\n').unwrap_or(text.len() - at);
            return Some(text[line_start..line_end].to_string());
        }
        from = at + marker.len();
    }
    None
}

/// Scans `texts` for `secrets`; the list of leaks found.
fn scan(texts: &[(String, String)], secrets: &[(String, String)]) -> Vec<String> {
    let mut leaks = Vec::new();
    for (where_, text) in texts {
        for (label, secret) in secrets {
            if variants(secret).iter().any(|v| text.contains(v.as_str())) {
                leaks.push(format!("{where_}: shows the {label}"));
            }
        }
        for marker in ["sig=", "accountkey="] {
            if let Some(line) = unmasked_after(text, marker) {
                leaks.push(format!("{where_}: an unmasked `{marker}` in {line:?}"));
            }
        }
    }
    leaks
}

fn texts_of(s: &Scenario) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for r in &s.runs {
        texts.push((format!("{} (stdout)", r.what), r.stdout.clone()));
        texts.push((format!("{} (stderr)", r.what), r.stderr.clone()));
    }
    texts.extend(s.written_files());
    texts
}

/// Runs the scenario against one storage; the texts to scan and the signatures the emulator
/// issued (every finished job's `Results` hold a read SAS of its outputs).
fn scenario(
    label: &'static str,
    em: &Emulator,
    storage: String,
) -> (Vec<(String, String)>, BTreeSet<String>) {
    let mut s = Scenario::new(label, em, storage);
    exercise(&mut s);
    let mut sigs = BTreeSet::new();
    let mut finished = 0;
    for status in statuses(em, &s.jobs) {
        let mut these = BTreeSet::new();
        sigs_in(&status, &mut these);
        if status["StatusCode"] == "Finished" {
            finished += 1;
            assert!(
                !these.is_empty(),
                "[{label}] a finished job without a SAS: {status}"
            );
        }
        sigs.extend(these);
    }
    assert!(finished >= 3, "[{label}] only {finished} jobs finished");
    (texts_of(&s), sigs)
}

#[test]
fn no_secret_is_ever_printed_or_written() {
    let em = Emulator::start(&["--apim-suffix", "x"]);
    let own = em.storage_connection_string.clone();
    let mut secrets = vec![
        ("API key".to_string(), em.api_key.clone()),
        (
            "subscription key".to_string(),
            em.subscription_key.clone().unwrap(),
        ),
        ("emulator account key".to_string(), account_key(&own)),
        ("wrong API key".to_string(), WRONG_API_KEY.to_string()),
        (
            "wrong subscription key".to_string(),
            WRONG_SUBSCRIPTION_KEY.to_string(),
        ),
    ];
    for (i, sig) in PLANTED_SIGS.iter().enumerate() {
        secrets.push((format!("planted SAS signature {}", i + 1), sig.to_string()));
    }
    let (mut texts, mut sigs) = scenario("emulator storage", &em, own);
    let azurite = Azurite::start_or_skip("no_secret_is_ever_printed_or_written (Azurite part)");
    if let Some(az) = &azurite {
        secrets.push(("Azurite account key".to_string(), azurite::KEY.to_string()));
        let (t, s) = scenario("Azurite storage", &em, az.connection_string());
        texts.extend(t);
        sigs.extend(s);
    }
    for (i, sig) in sigs.iter().enumerate() {
        secrets.push((
            format!("SAS signature {} issued by the emulator", i + 1),
            sig.clone(),
        ));
    }
    assert!(
        secrets.iter().all(|(_, s)| s.len() >= 16),
        "a secret too short to scan for"
    );
    let leaks = scan(&texts, &secrets);
    assert!(
        leaks.is_empty(),
        "{} leaks in {} outputs scanned for {} secrets:\n{}",
        leaks.len(),
        texts.len(),
        secrets.len(),
        leaks.join("\n")
    );
}

#[test]
fn the_scan_finds_what_it_looks_for() {
    let secrets = vec![("key".to_string(), "c2VjcmV0K2tleS8xMjM0NQ==".to_string())];
    let leak = |text: &str| !scan(&[("t".into(), text.into())], &secrets).is_empty();
    assert!(leak("Bearer c2VjcmV0K2tleS8xMjM0NQ=="));
    assert!(leak("?k=c2VjcmV0K2tleS8xMjM0NQ%3D%3D"));
    assert!(leak("{\"k\":\"c2VjcmV0K2tleS8xMjM0NQ==\"}"));
    assert!(leak("http://h/c/b?sv=1&sig=abc%2Bdef"));
    assert!(leak("AccountName=a;AccountKey=abc;"));
    assert!(!leak("http://h/c/b?sv=1&sig=***&se=2"));
    assert!(!leak("AccountName=a;AccountKey=***;BlobEndpoint=http://h"));
    assert!(!leak("design=1 Signature check"));
    assert_eq!(percent_decode("a%2Bb%3D%"), "a+b=%");
}
