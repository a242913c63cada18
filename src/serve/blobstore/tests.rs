//! The blob store against the client module (`crate::blob`) and the official SDK, plus raw
//! requests for what the client never sends: ranges, bad signatures, traversal attempts.

use super::*;
use crate::blob::auth::{SasFields, sas_time, sign};
use crate::blob::{
    BlobLocation, Progress, download_to_file, open_read, sas_url, upload_file, upload_stream,
};
use std::time::SystemTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

struct Served {
    addr: SocketAddr,
    store: Arc<BlobStore>,
    _dir: tempfile::TempDir,
}

impl Served {
    fn cs(&self) -> ConnectionString {
        self.store.connection_string(self.addr)
    }

    fn loc(&self, relative: &str) -> BlobLocation {
        BlobLocation::with_connection_string(self.cs(), relative).unwrap()
    }

    fn url(&self, path_and_query: &str) -> String {
        format!("http://{}/acct/{path_and_query}", self.addr)
    }
}

async fn serve() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(BlobStore::new("acct", Secret::new(KEY), dir.path()).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(store.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Served {
        addr,
        store,
        _dir: dir,
    }
}

fn data(len: usize) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(7);
    (0..len).map(|_| rng.alphanumeric() as u8).collect()
}

async fn put(s: &Served, relative: &str, bytes: &[u8]) {
    upload_stream(&s.loc(relative), bytes, &Progress::default())
        .await
        .unwrap();
}

async fn code_of(r: reqwest::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let body = r.text().await.unwrap();
    let code = body
        .split("<Code>")
        .nth(1)
        .and_then(|b| b.split("</Code>").next())
        .unwrap_or("")
        .to_string();
    (status, code)
}

#[tokio::test]
async fn multi_block_upload_then_download_by_sas_by_key_and_as_a_stream() {
    let s = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let bytes = data(20 * 1024 * 1024 + 5);
    let src = dir.path().join("in.csv");
    std::fs::write(&src, &bytes).unwrap();
    let loc = s.loc("new-container/dir/in put.csv");
    assert_eq!(
        upload_file(&src, &loc, &Progress::default()).await.unwrap(),
        bytes.len() as u64
    );

    let url = sas_url(
        &s.cs(),
        "new-container",
        "dir/in put.csv",
        "r",
        Duration::from_secs(60),
    )
    .unwrap();
    let out = dir.path().join("by-sas.csv");
    download_to_file(&BlobLocation::from_sas_url(url), &out, &Progress::default())
        .await
        .unwrap();
    assert!(std::fs::read(&out).unwrap() == bytes);

    let out = dir.path().join("by-key.csv");
    download_to_file(&loc, &out, &Progress::default())
        .await
        .unwrap();
    assert!(std::fs::read(&out).unwrap() == bytes);

    let mut reader = open_read(&loc).await.unwrap();
    assert_eq!(reader.size(), Some(bytes.len() as u64));
    let mut back = Vec::new();
    reader.read_to_end(&mut back).await.unwrap();
    assert!(back == bytes);

    // The BES result shape: a read-only SAS reference that the client can follow.
    let r = s
        .store
        .read_sas(
            s.addr,
            "new-container",
            "dir/in put.csv",
            Duration::from_secs(60),
        )
        .unwrap();
    assert!(r.base_location.as_deref().unwrap().ends_with("/acct/"));
    let loc = BlobLocation::from_reference(&r).unwrap();
    let out = dir.path().join("by-ref.csv");
    download_to_file(&loc, &out, &Progress::default())
        .await
        .unwrap();
    assert!(std::fs::read(&out).unwrap() == bytes);
}

#[tokio::test]
async fn the_sdk_downloads_in_parallel_ranges_and_empty_blobs_work() {
    use azure_storage_blob::{BlobClient, BlobClientOptions, models::BlobClientDownloadOptions};
    use futures::StreamExt;
    let s = serve().await;
    let bytes = data(3 * 1024 * 1024 + 17);
    put(&s, "c01/big.csv", &bytes).await;
    put(&s, "c01/empty.csv", b"").await;
    for (name, want) in [("big.csv", &bytes[..]), ("empty.csv", &b""[..])] {
        let url = sas_url(&s.cs(), "c01", name, "r", Duration::from_secs(60)).unwrap();
        let options = BlobClientOptions {
            version: crate::blob::API_VERSION.into(),
            ..Default::default()
        };
        let client = BlobClient::new(url, None, Some(options)).unwrap();
        let download = BlobClientDownloadOptions {
            parallel: std::num::NonZero::new(4),
            partition_size: std::num::NonZero::new(1 << 20),
            ..Default::default()
        };
        let mut res = client.download(Some(download)).await.unwrap();
        let mut got = Vec::new();
        while let Some(chunk) = res.body.next().await {
            got.extend_from_slice(&chunk.unwrap());
        }
        assert!(got == want, "{name}");
    }
}

#[tokio::test]
async fn ranges_heads_and_deletes_follow_the_rest_api() {
    let s = serve().await;
    let bytes = data(1000);
    put(&s, "c01/r.csv", &bytes).await;
    let url = sas_url(&s.cs(), "c01", "r.csv", "rd", Duration::from_secs(60)).unwrap();
    let http = reqwest::Client::new();
    let r = http
        .get(url.as_str())
        .header("x-ms-range", "bytes=5-9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(r.headers()["content-range"], "bytes 5-9/1000");
    assert!(r.headers().contains_key("x-ms-request-id") && r.headers().contains_key("etag"));
    assert_eq!(r.bytes().await.unwrap(), &bytes[5..10]);
    let r = http
        .get(url.as_str())
        .header("range", "bytes=990-")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-range"], "bytes 990-999/1000");
    assert_eq!(r.bytes().await.unwrap(), &bytes[990..]);
    let r = http
        .get(url.as_str())
        .header("x-ms-range", "bytes=1000-")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-range"], "bytes */1000");
    assert_eq!(code_of(r).await, (416, "InvalidRange".into()));
    let r = http.head(url.as_str()).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-length"], "1000");
    assert_eq!(r.headers()["content-type"], "text/csv");
    assert_eq!(r.headers()["x-ms-blob-type"], "BlockBlob");
    assert!(r.headers().contains_key("last-modified"));
    assert_eq!(
        http.delete(url.as_str()).send().await.unwrap().status(),
        202
    );
    assert_eq!(
        code_of(http.get(url.as_str()).send().await.unwrap()).await,
        (404, "BlobNotFound".into())
    );
    let missing = sas_url(
        &s.cs(),
        "nocontainer",
        "x.csv",
        "r",
        Duration::from_secs(60),
    )
    .unwrap();
    assert_eq!(
        code_of(http.get(missing.as_str()).send().await.unwrap()).await,
        (404, "ContainerNotFound".into())
    );
}

#[tokio::test]
async fn a_wrong_key_is_refused_without_leaking_it() {
    let s = serve().await;
    let wrong = "d3Jvbmcga2V5IHdyb25nIGtleSB3cm9uZyBrZXk=";
    let cs = ConnectionString::with_key("acct", Secret::new(wrong), s.store.blob_endpoint(s.addr))
        .unwrap();
    let loc = BlobLocation::with_connection_string(cs, "c01/x.csv").unwrap();
    let e = format!(
        "{:#}",
        upload_stream(&loc, &b"a\n"[..], &Progress::default())
            .await
            .unwrap_err()
    );
    assert!(
        e.contains("403 AuthenticationFailed") && !e.contains(wrong),
        "{e}"
    );
    let dir = tempfile::tempdir().unwrap();
    let e = format!(
        "{:#}",
        download_to_file(&loc, &dir.path().join("o"), &Progress::default())
            .await
            .unwrap_err()
    );
    assert!(
        e.contains("403 AuthenticationFailed") && !e.contains("sig="),
        "{e}"
    );
    // No credentials at all.
    let r = reqwest::get(s.url("c01/x.csv")).await.unwrap();
    assert_eq!(code_of(r).await, (403, "AuthenticationFailed".into()));
}

/// A SAS for `c01/x.csv` with chosen fields, correctly signed.
fn signed_sas(s: &Served, perms: &str, start: &str, expiry: SystemTime) -> String {
    let fields = SasFields {
        permissions: perms.into(),
        start: start.into(),
        expiry: sas_time(expiry).unwrap(),
        resource: "b".into(),
        version: "2022-11-02".into(),
        ..SasFields::default()
    };
    let sig = sign(
        &Secret::new(KEY),
        &fields.string_to_sign("/blob/acct/c01/x.csv"),
    )
    .unwrap();
    s.url(&format!("c01/x.csv?{}", fields.to_query(&sig)))
}

#[tokio::test]
async fn sas_tokens_are_checked_for_signature_time_resource_and_permission() {
    let s = serve().await;
    put(&s, "c01/x.csv", b"a\n1\n").await;
    put(&s, "c01/y.csv", b"b\n").await;
    let later = SystemTime::now() + Duration::from_secs(600);
    let get = |u: String| async move { code_of(reqwest::get(u).await.unwrap()).await };
    assert_eq!(get(signed_sas(&s, "r", "", later)).await.0, 200);
    let expired = signed_sas(&s, "r", "", SystemTime::now() - Duration::from_secs(1));
    assert_eq!(get(expired).await, (403, "AuthenticationFailed".into()));
    let future_start = sas_time(later).unwrap();
    let not_yet = signed_sas(&s, "r", &future_start, later + Duration::from_secs(600));
    assert_eq!(get(not_yet).await, (403, "AuthenticationFailed".into()));
    let tampered = signed_sas(&s, "r", "", later).replace("sig=", "sig=A");
    assert_eq!(get(tampered).await, (403, "AuthenticationFailed".into()));
    // The same token on another blob, and a widened permission, break the signature.
    let other = signed_sas(&s, "r", "", later).replace("x.csv", "y.csv");
    assert_eq!(get(other).await, (403, "AuthenticationFailed".into()));
    let widened = signed_sas(&s, "r", "", later).replace("sp=r", "sp=rw");
    assert_eq!(get(widened).await, (403, "AuthenticationFailed".into()));
    // A valid read-only token cannot write or delete.
    let read_only = signed_sas(&s, "r", "", later);
    let http = reqwest::Client::new();
    let r = http
        .put(&read_only)
        .header("x-ms-blob-type", "BlockBlob")
        .body("z")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (403, "AuthorizationPermissionMismatch".into())
    );
    let r = http.delete(&read_only).send().await.unwrap();
    assert_eq!(
        code_of(r).await,
        (403, "AuthorizationPermissionMismatch".into())
    );
    let writer = signed_sas(&s, "cw", "", later);
    let r = http
        .put(&writer)
        .header("x-ms-blob-type", "BlockBlob")
        .body("z")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

/// Sends `path` byte for byte (no client-side URL normalisation) and returns the status line.
async fn raw_get(addr: SocketAddr, path: &str) -> String {
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    tcp.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    tcp.read_to_string(&mut out).await.unwrap();
    out.lines().next().unwrap_or("").to_string()
}

#[tokio::test]
async fn traversal_and_bad_names_are_refused() {
    let s = serve().await;
    put(&s, "c01/x.csv", b"a\n").await;
    for path in [
        "/acct/c01/../c01/x.csv",
        "/acct/c01/a/%2E%2E/x.csv",
        "/acct/c01/a%2F..%2F..%2Fetc%2Fpasswd",
        "/acct/c01//x.csv",
        "/acct/c01/a%5Cb",
        "/acct/C01/x.csv",
        "/acct/../../etc/passwd",
    ] {
        let status = raw_get(s.addr, path).await;
        assert!(
            status.contains(" 400 ") || status.contains(" 404 "),
            "{path}: {status}"
        );
        assert!(!status.contains(" 200 "), "{path}: {status}");
    }
    assert!(BlobLocation::with_connection_string(s.cs(), "c01/a/../x.csv").is_err());
}

#[test]
fn block_lists_parse_in_order_with_their_kinds() {
    use super::store::ListKind;
    let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Latest>QQ==</Latest>\
               <Committed>Qg==</Committed><Uncommitted>Qw&#x3D;&#x3D;</Uncommitted></BlockList>";
    let list = http::parse_block_list(xml).unwrap();
    assert_eq!(
        list,
        vec![
            (ListKind::Latest, "QQ==".to_string()),
            (ListKind::Committed, "Qg==".to_string()),
            (ListKind::Uncommitted, "Qw==".to_string()),
        ]
    );
    assert!(http::parse_block_list("<Nope/>").is_err());
    assert!(http::parse_block_list("<BlockList><Latest>QQ==</BlockList>").is_err());
}

#[tokio::test]
async fn block_lists_commit_staged_and_committed_blocks_and_unknown_ids_fail() {
    use super::store::{Conditions, ListKind, Store};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    store.create_container("c01").unwrap();
    let write = |text: &'static str| store.write_body(axum::body::Body::from(text), 100);
    store
        .put_block("c01", "b", "QQ==", write("aa").await.unwrap())
        .unwrap();
    store
        .put_block("c01", "b", "Qg==", write("bb").await.unwrap())
        .unwrap();
    assert_eq!(
        store
            .put_block("c01", "b", "QUFB", write("x").await.unwrap())
            .unwrap_err()
            .code,
        "InvalidBlobOrBlock"
    );
    let none = Conditions::default();
    let list = [
        (ListKind::Latest, "Qg==".to_string()),
        (ListKind::Uncommitted, "QQ==".to_string()),
    ];
    let meta = store
        .put_block_list("c01", "b", &list, "text/csv".into(), &none)
        .unwrap();
    assert_eq!(meta.size, 4);
    drop(meta); // a reader's snapshot keeps the files alive
    // Re-commit from the committed list, dropping a block; unknown ids are refused.
    let list = [(ListKind::Committed, "QQ==".to_string())];
    assert_eq!(
        store
            .put_block_list("c01", "b", &list, "text/csv".into(), &none)
            .unwrap()
            .size,
        2
    );
    let list = [(ListKind::Uncommitted, "Qg==".to_string())];
    assert_eq!(
        store
            .put_block_list("c01", "b", &list, "text/csv".into(), &none)
            .unwrap_err()
            .code,
        "InvalidBlockList"
    );
    // Conditions: If-None-Match: * refuses to overwrite; a stale If-Match is not met.
    let new_only = Conditions {
        if_none_match: Some("*".into()),
        ..Conditions::default()
    };
    let err = store
        .put_blob(
            "c01",
            "b",
            write("z").await.unwrap(),
            "text/csv".into(),
            &new_only,
        )
        .unwrap_err();
    assert_eq!(err.code, "BlobAlreadyExists");
    let stale = Conditions {
        if_match: Some("\"0x1\"".into()),
        ..Conditions::default()
    };
    let err = store
        .put_blob(
            "c01",
            "b",
            write("z").await.unwrap(),
            "text/csv".into(),
            &stale,
        )
        .unwrap_err();
    assert_eq!(err.code, "ConditionNotMet");
    assert!(
        store
            .write_body(axum::body::Body::from(vec![0u8; 101]), 100)
            .await
            .is_err()
    );
    // Deleting the blob removes its files; only the store's own directory stays.
    store.delete_blob("c01", "b", &none).unwrap();
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn block_lists_answer_and_interrupted_transfers_finish() {
    let s = serve().await;
    let http = reqwest::Client::new();
    let url = sas_url(&s.cs(), "c01", "b.csv", "r", Duration::from_secs(60)).unwrap();
    let list = |kind: &str| {
        let mut u = url.clone();
        u.query_pairs_mut()
            .append_pair("comp", "blocklist")
            .append_pair("blocklisttype", kind);
        http.get(u.as_str()).send()
    };
    put(&s, "c01/other.csv", b"x").await; // the container
    assert_eq!(
        code_of(list("all").await.unwrap()).await,
        (404, "BlobNotFound".into())
    );
    s.store
        .store
        .put_block("c01", "b.csv", "QQ==", {
            s.store
                .store
                .write_body(axum::body::Body::from("aa"), 10)
                .await
                .unwrap()
        })
        .unwrap();
    let r = list("uncommitted").await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/xml");
    let body = r.text().await.unwrap();
    assert!(
        body.ends_with("<BlockList><UncommittedBlocks><Block><Name>QQ==</Name><Size>2</Size></Block></UncommittedBlocks></BlockList>"),
        "{body}"
    );
    assert_eq!(code_of(list("nonsense").await.unwrap()).await.0, 400);
    let dir = tempfile::tempdir().unwrap();
    crate::blob::resume::interrupted_transfers_finish(&s.loc("c01/resumed.csv"), dir.path()).await;
}

/// Peak resident memory of this process (`VmHWM`), in MiB.
/// A large file through client and store (both in this process) keeps memory flat: blocks are
/// staged from bounded buffers, stored as files and streamed back. `--ignored`: it moves 512 MiB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "moves 512 MiB; run with --ignored"]
async fn a_large_blob_moves_in_bounded_memory() {
    let s = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let line: Vec<u8> = data(1023).into_iter().chain([b'\n']).collect();
    let loc = s.loc("big/big.csv");
    crate::blob::transfer::measured_round_trip(dir.path(), &loc, &line, 512 * 1024, "512 MiB")
        .await;
}
