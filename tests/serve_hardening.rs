//! `mlws serve` against misbehaving clients (issue 4, item 6): while one client trickles its
//! request head (slowloris), one declares a huge body and stalls, one sends its body at a few
//! bytes a second and one reads none of a large answer, normal RRS calls keep being answered
//! quickly, and each bad connection is closed within its timeout. Also: BES submit bodies are
//! capped, and blob names cannot leave the store's directory.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};
use support::serve::{Emulator, Storage};

/// The timeouts the emulator runs with here, in seconds.
const TIMEOUT: u64 = 2;
/// How long after its timeout a bad connection may still be open (slow CI machines).
const SLACK: Duration = Duration::from_secs(3);

fn tutorial() -> String {
    json!({"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": [["This is a good day"]]}}})
        .to_string()
}

fn addr(emu: &Emulator) -> String {
    emu.origin().trim_start_matches("http://").to_string()
}

fn execute_path(emu: &Emulator, query: &str) -> String {
    format!(
        "/workspaces/{}/services/{}/execute?{query}",
        emu.workspace, emu.service
    )
}

/// Reads until the server closes the connection: what came, and when it ended.
fn until_closed(sock: &mut TcpStream, started: Instant) -> (String, Duration) {
    sock.set_read_timeout(Some(Duration::from_secs(TIMEOUT) + SLACK * 3))
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        match sock.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            // A reset is a close too.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!(
                "the connection stayed open ({e}) after {:?}",
                started.elapsed()
            ),
        }
    }
    (
        String::from_utf8_lossy(&got).into_owned(),
        started.elapsed(),
    )
}

/// Sends a request head one byte every 300 ms and never finishes it; when it was closed.
fn slowloris(emu: &Emulator) -> thread::JoinHandle<Duration> {
    let (addr, path) = (addr(emu), execute_path(emu, "api-version=2.0"));
    thread::spawn(move || {
        let mut sock = TcpStream::connect(&addr).unwrap();
        let started = Instant::now();
        sock.write_all(format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\n").as_bytes())
            .unwrap();
        let reader = sock.try_clone().unwrap();
        let closed = thread::spawn(move || {
            let mut reader = reader;
            until_closed(&mut reader, started)
        });
        for b in b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
            if closed.is_finished() || sock.write_all(&[*b]).is_err() {
                break;
            }
            thread::sleep(Duration::from_millis(300));
        }
        let (answer, after) = closed.join().unwrap();
        assert!(!answer.contains(" 200 "), "{answer}");
        after
    })
}

/// A complete head declaring `length` body bytes, with the API key.
fn head(emu: &Emulator, length: u64) -> String {
    format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n",
        execute_path(emu, "api-version=2.0"),
        addr(emu),
        emu.api_key
    )
}

/// Declares a gigabyte of body, sends ten bytes and stalls; the answer and when it was closed.
fn huge_and_stalled(emu: &Emulator) -> thread::JoinHandle<(String, Duration)> {
    let (addr, head) = (addr(emu), head(emu, 1 << 30));
    thread::spawn(move || {
        let mut sock = TcpStream::connect(&addr).unwrap();
        let started = Instant::now();
        sock.write_all(head.as_bytes()).unwrap();
        sock.write_all(br#"{"Inputs":"#).unwrap();
        until_closed(&mut sock, started)
    })
}

/// Sends a 300-byte body at about three bytes a second; the answer and when it was closed.
fn trickled_body(emu: &Emulator) -> thread::JoinHandle<(String, Duration)> {
    let (addr, head) = (addr(emu), head(emu, 300));
    thread::spawn(move || {
        let mut sock = TcpStream::connect(&addr).unwrap();
        let started = Instant::now();
        sock.write_all(head.as_bytes()).unwrap();
        let reader = sock.try_clone().unwrap();
        let closed = thread::spawn(move || {
            let mut reader = reader;
            until_closed(&mut reader, started)
        });
        for _ in 0..300 {
            if closed.is_finished() || sock.write_all(b" ").is_err() {
                break;
            }
            thread::sleep(Duration::from_millis(300));
        }
        closed.join().unwrap()
    })
}

/// Asks for a 40 MB answer and reads none of it for a while; the bytes it could read then.
fn never_reads(emu: &Emulator) -> thread::JoinHandle<(usize, Option<usize>)> {
    let texts: Vec<Value> = (0..10_000).map(|i| json!([format!("row {i}")])).collect();
    let body = json!({"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": texts}}, "GlobalParameters": {"Hashing bitsize": 10}}).to_string();
    let (addr, head) = (addr(emu), head(emu, body.len() as u64));
    thread::spawn(move || {
        let mut sock = TcpStream::connect(&addr).unwrap();
        sock.write_all(head.as_bytes()).unwrap();
        sock.write_all(body.as_bytes()).unwrap();
        thread::sleep(Duration::from_secs(TIMEOUT) + SLACK);
        let (answer, _) = until_closed(&mut sock, Instant::now());
        let declared = answer
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .and_then(|n| n.trim().parse().ok());
        (answer.len(), declared)
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_clients_are_cut_off_while_others_are_served() {
    let t = TIMEOUT.to_string();
    let emu = Emulator::start_logged(&[
        "--header-timeout",
        &t,
        "--read-timeout",
        &t,
        "--write-timeout",
        &t,
    ]);
    let bad = (
        slowloris(&emu),
        huge_and_stalled(&emu),
        trickled_body(&emu),
        never_reads(&emu),
    );
    // Meanwhile, a well-behaved client is answered quickly, again and again.
    let http = reqwest::Client::new();
    let start = Instant::now();
    let mut calls = 0;
    while start.elapsed() < Duration::from_secs(TIMEOUT + 1) {
        let t = Instant::now();
        let resp = http
            .post(format!(
                "{}{}",
                emu.origin(),
                execute_path(&emu, "api-version=2.0")
            ))
            .header("Authorization", format!("Bearer {}", emu.api_key))
            .body(tutorial())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
        calls += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(calls >= 10, "{calls}");
    let limit = Duration::from_secs(TIMEOUT) + SLACK;
    let after = bad.0.join().unwrap();
    assert!(
        after >= Duration::from_millis(TIMEOUT * 1000 - 100) && after < limit,
        "slowloris: {after:?}"
    );
    let (answer, after) = bad.1.join().unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "huge body: {answer}");
    assert!(
        answer.contains("ScoreRequestTimeout"),
        "huge body: {answer}"
    );
    assert!(after < limit, "huge body: closed after {after:?}");
    // This client is still sending when it is cut off: its answer may be lost to a reset.
    let (answer, after) = bad.2.join().unwrap();
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "trickled body: {answer}"
    );
    assert!(after < limit, "trickled body: closed after {after:?}");
    let (read, declared) = bad.3.join().unwrap();
    let declared = declared.expect("the answer's head came");
    assert!(declared > 30_000_000, "{declared}");
    assert!(
        read < declared,
        "the whole answer waited for a client that read nothing"
    );
    // The server's side: both slow bodies were answered 408; the slowloris never made a request.
    let log = emu.requests();
    let cut: Vec<u64> = log
        .iter()
        .filter(|l| l["status"] == 408)
        .map(|l| l["bytes_in"].as_u64().unwrap())
        .collect();
    assert_eq!(cut.len(), 2, "{log:?}");
    assert!(cut.iter().all(|b| *b < 300), "{cut:?}");
    assert_eq!(log.iter().filter(|l| l["rows"] == 10_000).count(), 1);
    assert_eq!(log.iter().filter(|l| l["status"] == 200).count(), calls + 1);
    assert_eq!(log.len(), calls + 3, "{log:?}");
}

#[tokio::test]
async fn a_stalled_blob_upload_is_cut_off_and_stores_nothing() {
    let t = TIMEOUT.to_string();
    let emu = Emulator::start(&["--read-timeout", &t]);
    let storage = Storage::from_connection_string(&emu.storage_connection_string);
    storage.put("c01/other.csv", "a\n").await;
    let head = storage.put_blob_head("c01/stalled.csv", 10 << 20);
    let addr = addr(&emu);
    let (answer, after) = tokio::task::spawn_blocking(move || {
        let mut sock = TcpStream::connect(&addr).unwrap();
        let started = Instant::now();
        sock.write_all(head.as_bytes()).unwrap();
        sock.write_all(&[b'x'; 1000]).unwrap();
        until_closed(&mut sock, started)
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("InvalidInput"), "{answer}");
    assert!(
        after >= Duration::from_millis(TIMEOUT * 1000 - 100)
            && after < Duration::from_secs(TIMEOUT) + SLACK,
        "{after:?}"
    );
    assert_eq!(storage.get("c01/stalled.csv").await.0, 404);
}

#[tokio::test]
async fn bes_submit_bodies_are_capped_at_1_mb() {
    let emu = Emulator::start(&[]);
    let url = format!("{}/jobs?api-version=2.0", emu.service_root(&emu.base_url));
    let pad = "x".repeat(1024 * 1024);
    let body = json!({"Inputs": {"input1": {"ConnectionString": emu.storage_connection_string, "RelativeLocation": "c/in.csv"}}, "GlobalParameters": {"Pad": pad}});
    let resp = reqwest::Client::new()
        .post(url)
        .header("Authorization", format!("Bearer {}", emu.api_key))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let v: Value = resp.json().await.unwrap();
    assert!(
        v["error"]["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("over the limit of 1048576 bytes"),
        "{v}"
    );
}

/// Every file under `dir`, recursively.
fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[tokio::test]
async fn blob_names_never_leave_the_store() {
    let emu = Emulator::start(&[]);
    let storage = Storage::from_connection_string(&emu.storage_connection_string);
    storage.put("c01/inside.csv", "a\n").await;
    for name in [
        // `..` and `%2E%2E` as whole segments are resolved by any URL parser before they are
        // sent (the store's own test sends them raw); these reach the store as they are.
        "c01/a%2F..%2F..%2F..%2Fescape.csv",
        "c01/%2E%2E%2F%2E%2E%2Fescape.csv",
        "c01/..%5C..%5Cescape.csv",
        "c01//escape.csv",
        "c01/x%2F.%2F%2Fescape.csv",
    ] {
        let (status, body) = storage.try_put(name, b"escaped\n".to_vec()).await;
        assert_eq!(status, 400, "{name}: {body}");
    }
    let parent = emu.blob_dir().parent().unwrap().to_path_buf();
    assert!(!parent.join("escape.csv").exists());
    let stored = files(emu.blob_dir());
    assert!(!stored.is_empty());
    for f in &stored {
        let name = f.file_name().unwrap().to_string_lossy();
        assert!(
            name.ends_with(".dat") || name == "requests.jsonl",
            "blob data is kept in numbered files, never under its name: {}",
            f.display()
        );
        assert!(std::fs::read(f).unwrap() != b"escaped\n", "{}", f.display());
    }
    assert_eq!(storage.get("c01/inside.csv").await, (200, b"a\n".to_vec()));
}
