//! `mlws rrs execute` under faults, against a raw HTTP/1.1 fake scoring service started in this
//! test process on 127.0.0.1:0 (raw, so that it can close a connection after reading a request
//! without answering). Its faults are drawn from a seeded RNG in arrival order, so a run meets
//! the same sequence of faults whatever the timing, and the test can count them beforehand:
//! output must be byte-identical to a clean run, and the summary line must add up. The scoring
//! is the one of `rrs_execute.rs`: `Col2` and `Col2_len`, the length of the text.

mod support;

use support::sandbox::ServiceSandbox as Sandbox;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const KEY: &str = "fAuLt-kEy-0123456789==";
const BUSY: &str = r#"{"error":{"code":"ServiceUnavailable","message":"Service is temporarily unavailable.","details":[{"code":"RequestThrottled","message":"Request was throttled."}]}}"#;
const RATE: &str =
    r#"{ "statusCode": 429, "message": "Rate limit is exceeded. Try again in 0 seconds." }"#;

/// What the fake does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// 503 `RequestThrottled` in the service envelope, no `Retry-After`.
    Busy,
    /// 429 from the gateway with `Retry-After: 0`.
    Rate,
    /// The connection is closed once the request is read: no answer at all.
    Drop,
}

/// Fractions of requests that meet each fault, and the seed of their draw.
#[derive(Debug, Clone, Copy)]
struct Faults {
    busy: f64,
    rate: f64,
    drop: f64,
    seed: u64,
}

const CLEAN: Faults = Faults {
    busy: 0.0,
    rate: 0.0,
    drop: 0.0,
    seed: 0,
};

/// The draws, in arrival order.
struct Draw {
    rng: fastrand::Rng,
    faults: Faults,
}

impl Draw {
    fn new(faults: Faults) -> Self {
        Draw {
            rng: fastrand::Rng::with_seed(faults.seed),
            faults,
        }
    }

    fn next(&mut self) -> Fault {
        let x = self.rng.f64();
        let f = &self.faults;
        if x < f.busy {
            Fault::Busy
        } else if x < f.busy + f.rate {
            Fault::Rate
        } else if x < f.busy + f.rate + f.drop {
            Fault::Drop
        } else {
            Fault::None
        }
    }
}

struct Fake {
    draw: Mutex<Draw>,
    /// Requests holding a row with this text are always answered 503.
    poison: Option<String>,
    requests: AtomicUsize,
    /// How many of each fault were served: busy, rate, drop.
    served: Mutex<[usize; 3]>,
}

/// Starts the fake on its own thread; returns its base URL.
fn start(faults: Faults, poison: Option<String>) -> (String, Arc<Fake>) {
    let fake = Arc::new(Fake {
        draw: Mutex::new(Draw::new(faults)),
        poison,
        requests: AtomicUsize::new(0),
        served: Mutex::default(),
    });
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let f = fake.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let f = f.clone();
            std::thread::spawn(move || serve_connection(stream.unwrap(), &f));
        }
    });
    (base, fake)
}

/// One kept-alive connection: requests until the client closes it or a `Drop`.
fn serve_connection(stream: TcpStream, fake: &Fake) {
    let mut out = stream.try_clone().unwrap();
    let mut input = BufReader::new(stream);
    while let Some((target, auth, body)) = read_request(&mut input) {
        fake.requests.fetch_add(1, Ordering::SeqCst);
        let fault = fake.draw.lock().unwrap().next();
        let (status, extra, text) = match fault {
            Fault::Drop => {
                fake.served.lock().unwrap()[2] += 1;
                return;
            }
            Fault::Busy => {
                fake.served.lock().unwrap()[0] += 1;
                (503, "", BUSY.to_string())
            }
            Fault::Rate => {
                fake.served.lock().unwrap()[1] += 1;
                (429, "retry-after: 0\r\n", RATE.to_string())
            }
            Fault::None => score(fake, &target, &auth, &body),
        };
        let answer = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json; charset=utf-8\r\n{extra}content-length: {}\r\n\r\n{text}",
            text.len()
        );
        if out.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

/// The request target, the `Authorization` value and the body; `None` at the end.
fn read_request(input: &mut BufReader<TcpStream>) -> Option<(String, String, Vec<u8>)> {
    let mut first = String::new();
    if input.read_line(&mut first).ok()? == 0 {
        return None;
    }
    let target = first.split(' ').nth(1)?.to_string();
    let (mut length, mut auth) = (0, String::new());
    loop {
        let mut line = String::new();
        input.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (k, v) = line.split_once(':')?;
        if k.eq_ignore_ascii_case("content-length") {
            length = v.trim().parse().ok()?;
        } else if k.eq_ignore_ascii_case("authorization") {
            auth = v.trim().to_string();
        }
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body).ok()?;
    Some((target, auth, body))
}

/// A real answer: `(status, extra headers, body)`.
fn score(fake: &Fake, target: &str, auth: &str, body: &[u8]) -> (u16, &'static str, String) {
    assert!(
        target.starts_with("/workspaces/ws/services/svc/execute?api-version=2.0"),
        "{target}"
    );
    if auth != format!("Bearer {KEY}") {
        return (401, "", r#"{"error":{"code":"Unauthorized","message":"Request is unauthorized to access resource.","details":[]}}"#.into());
    }
    let body: Value = serde_json::from_slice(body).unwrap();
    let input = &body["Inputs"]["input1"];
    let at = input["ColumnNames"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c == "Col2")
        .unwrap();
    let texts: Vec<&str> = input["Values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[at].as_str().unwrap())
        .collect();
    if let Some(p) = &fake.poison
        && texts.contains(&p.as_str())
    {
        fake.served.lock().unwrap()[0] += 1;
        return (503, "", BUSY.to_string());
    }
    let values: Vec<Value> = texts
        .iter()
        .map(|t| json!([t, t.chars().count().to_string()]))
        .collect();
    let out = json!({"Results": {"output1": {"type": "table", "value": {
        "ColumnNames": ["Col2", "Col2_len"], "ColumnTypes": ["String", "Int32"], "Values": values}}}});
    (200, "", out.to_string())
}

/// The counts a run must meet with `batches` requests to get through, every fault retried:
/// `(requests, busy, rate, drop)`.
fn foresee(faults: Faults, batches: usize) -> (usize, usize, usize, usize) {
    let mut draw = Draw::new(faults);
    let (mut requests, mut ok, mut n) = (0, 0, [0; 3]);
    while ok < batches {
        requests += 1;
        match draw.next() {
            Fault::None => ok += 1,
            Fault::Busy => n[0] += 1,
            Fault::Rate => n[1] += 1,
            Fault::Drop => n[2] += 1,
        }
    }
    (requests, n[0], n[1], n[2])
}

/// Texts with commas, quotes and multi-byte characters, so that CSV quoting is exercised.
fn texts(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| match i % 5 {
            0 => format!("row {i}, with a comma"),
            1 => format!("row {i} \"quoted\""),
            _ => format!("row {i} {}", "é".repeat(i % 7)),
        })
        .collect()
}

fn quote(t: &str) -> String {
    if t.contains([',', '"']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.to_string()
    }
}

fn csv_of(texts: &[String]) -> String {
    let mut s = "Col2\n".to_string();
    for t in texts {
        s.push_str(&quote(t));
        s.push('\n');
    }
    s
}

fn expected(texts: &[String]) -> String {
    let mut s = "Col2,Col2_len\n".to_string();
    for t in texts {
        s.push_str(&format!("{},{}\n", quote(t), t.chars().count()));
    }
    s
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn faults_leave_the_output_byte_identical_to_a_clean_run() {
    let rows = texts(20_000);
    let input = csv_of(&rows);
    let args = ["-i", "in.csv", "--batch-size", "100", "--concurrency", "8"];

    let (base, _) = start(CLEAN, None);
    let sb = Sandbox::new(&base, KEY);
    std::fs::write(sb.path("in.csv"), &input).unwrap();
    let clean = sb.cmd(&args).output().unwrap();
    assert!(clean.status.success(), "{}", stderr_of(&clean));
    assert!(clean.stdout == expected(&rows).as_bytes(), "clean output");

    // 10 % 503, 5 % 429, 2 % dropped connections.
    let faults = Faults {
        busy: 0.10,
        rate: 0.05,
        drop: 0.02,
        seed: 20_240_517,
    };
    let (base, fake) = start(faults, None);
    let sb = Sandbox::new(&base, KEY);
    std::fs::write(sb.path("in.csv"), &input).unwrap();
    let out = sb.cmd(&args).args(["-o", "out.csv"]).output().unwrap();
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        std::fs::read(sb.path("out.csv")).unwrap() == clean.stdout,
        "the output under faults differs from the clean one"
    );
    assert_eq!(sb.files(), ["in.csv", "out.csv"]);

    let (requests, busy, rate, drop) = foresee(faults, 200);
    assert_eq!(fake.requests.load(Ordering::SeqCst), requests);
    assert_eq!(*fake.served.lock().unwrap(), [busy, rate, drop]);
    assert!(busy > 10 && rate > 5 && drop > 1, "{busy} {rate} {drop}");
    // One warning per retry, then the summary.
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), busy + rate + drop + 1, "{err}");
    let summary = format!(
        "mlws: 20000 rows in, 20000 rows out, {requests} requests, {} retries, {} throttled, ",
        busy + rate + drop,
        busy + rate
    );
    let last = lines.last().unwrap();
    assert!(last.starts_with(&summary), "{last} <> {summary}");
    // Throttling halved the requests in flight at least once.
    let lowest: usize = last
        .split("(lowest ")
        .nth(1)
        .and_then(|s| s.strip_suffix(')'))
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        last.contains("concurrency 8 (lowest ") && lowest <= 4,
        "{last}"
    );
}

#[test]
fn a_quiet_run_under_faults_prints_nothing_on_stderr() {
    let faults = Faults {
        busy: 0.10,
        rate: 0.05,
        drop: 0.02,
        seed: 7,
    };
    let (base, fake) = start(faults, None);
    let rows = texts(3_000);
    let out = Sandbox::new(&base, KEY)
        .cmd(&["-q", "--batch-size", "50"])
        .write_stdin(csv_of(&rows))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(out.stdout == expected(&rows).as_bytes());
    assert!(out.stderr.is_empty(), "{}", stderr_of(&out));
    assert!(fake.requests.load(Ordering::SeqCst) > 60);
}

#[test]
fn a_service_that_always_throttles_gives_exit_4_and_every_row_in_failed_rows() {
    let all = Faults { busy: 1.0, ..CLEAN };
    let (base, fake) = start(all, None);
    let sb = Sandbox::new(&base, KEY);
    let input = csv_of(&texts(20_000));
    std::fs::write(sb.path("in.csv"), &input).unwrap();
    let out = sb
        .cmd(&["-i", "in.csv", "-o", "out.csv", "--batch-size", "100"])
        .args(["--retries", "1", "--failed-rows", "failed.csv"])
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains(
            "mlws: error: scoring stopped: input lines from 2 on were not scored; they are in `failed.csv`"
        ),
        "{err}"
    );
    assert!(
        err.contains("gave up scoring input lines 2-101 after 2 tries"),
        "{err}"
    );
    assert!(
        err.contains("hint: the endpoint kept throttling even with fewer requests in flight"),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("mlws: ") && l.contains(" rows in, 0 rows out, ")),
        "{err}"
    );
    let requests = fake.requests.load(Ordering::SeqCst);
    assert!(
        err.contains(&format!(" rows out, {requests} requests, ")),
        "{err}"
    );
    assert!(std::fs::read_to_string(sb.path("failed.csv")).unwrap() == input);
    assert_eq!(sb.files(), ["failed.csv", "in.csv"]);
}

#[test]
fn a_batch_that_keeps_failing_splits_the_input_into_scored_and_failed_rows() {
    let rows = texts(20_000);
    // Rows 3000-3049 (lines 3002-3051) are in the 61st batch of 50, which always gets 503.
    let (base, _) = start(CLEAN, Some(rows[3017].clone()));
    let sb = Sandbox::new(&base, KEY);
    let out = sb
        .cmd(&["--batch-size", "50", "--concurrency", "6", "--retries", "1"])
        .args(["--failed-rows", "failed.csv"])
        .write_stdin(csv_of(&rows))
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("scoring stopped: input lines from 3002 on were not scored"),
        "{err}"
    );
    assert!(
        err.contains("gave up scoring input lines 3002-3051 after 2 tries"),
        "{err}"
    );
    assert!(err.contains(" rows in, 3000 rows out, "), "{err}");
    // Exactly once: what was written and what is to be run again are the input, no more.
    assert!(out.stdout == expected(&rows[..3000]).as_bytes());
    assert!(std::fs::read_to_string(sb.path("failed.csv")).unwrap() == csv_of(&rows[3000..]));
}
