//! The runner against the emulator's blob store served on 127.0.0.1:0: inputs by key and by
//! SAS, outputs to the default place or to overrides, multi-block outputs, and the ways a job
//! fails or is cancelled without leaving an output behind.

use super::jobs::{JobSpec, Results};
use super::runner::{self, DEFAULT_CONTAINER, execute};
use super::*;
use crate::blob::{BlobLocation, Progress, open_read, sas_url, upload_stream};
use crate::secret::Secret;
use crate::serve::blobstore::{self, BlobStore};
use crate::serve::experiment::FeatureHashing;
use crate::wire::bes::{BlobReference, JobState};
use std::net::SocketAddr;
use tokio::io::AsyncReadExt;
use tokio_util::sync::CancellationToken;

const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const FH: FeatureHashing = FeatureHashing { bits: 3, ngrams: 2 };

struct Served {
    addr: SocketAddr,
    bes: Arc<Bes>,
    _store: Arc<BlobStore>,
    _dir: tempfile::TempDir,
}

async fn serve(config: BesConfig) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(BlobStore::new("acct", Secret::new(KEY), dir.path()).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = blobstore::router(store.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let bes = Arc::new(Bes::new(config, store.connection_string(addr)));
    Served {
        addr,
        bes,
        _store: store,
        _dir: dir,
    }
}

impl Served {
    fn cs(&self) -> ConnectionString {
        self.bes.storage.clone()
    }

    fn key_ref(&self, relative: &str) -> BlobReference {
        BlobReference {
            connection_string: Some(self.cs().expose().expose().to_string()),
            relative_location: Some(relative.into()),
            ..BlobReference::default()
        }
    }

    fn sas_ref(&self, container: &str, blob: &str, perms: &str) -> BlobReference {
        let url = sas_url(&self.cs(), container, blob, perms, Duration::from_secs(600)).unwrap();
        BlobReference {
            connection_string: None,
            relative_location: Some(format!("/{container}/{blob}")),
            base_location: Some(format!("http://{}/acct", self.addr)),
            sas_blob_token: Some(url.query().unwrap().to_string()),
        }
    }

    async fn put(&self, relative: &str, bytes: &[u8]) {
        let loc = BlobLocation::with_connection_string(self.cs(), relative).unwrap();
        upload_stream(&loc, bytes, &Progress::default())
            .await
            .unwrap();
    }

    /// The blob's bytes, or `None` when it cannot be read (e.g. it does not exist).
    async fn get(&self, relative: &str) -> Option<Vec<u8>> {
        let loc = BlobLocation::with_connection_string(self.cs(), relative).unwrap();
        let mut reader = open_read(&loc).await.ok()?;
        let mut out = Vec::new();
        reader.read_to_end(&mut out).await.unwrap();
        Some(out)
    }
}

fn spec(input: BlobReference, output: Option<BlobReference>) -> JobSpec {
    JobSpec {
        input,
        output,
        settings: FH,
    }
}

/// The expected output of `input` (CSV in, CSV out), from the transform alone.
fn expected(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    transform::run(
        input,
        transform::Format::Csv,
        &mut out,
        transform::Format::Csv,
        FH,
        &|| false,
    )
    .unwrap();
    out
}

/// Reads `output1` of `results` the way a client does: BaseLocation + RelativeLocation + token.
async fn download(results: &Results) -> Vec<u8> {
    let r = &results["output1"];
    assert_eq!(r.connection_string, None);
    let base = r.base_location.as_deref().unwrap();
    let relative = r.relative_location.as_deref().unwrap();
    let token = r.sas_blob_token.as_deref().unwrap();
    assert!(base.ends_with('/') && !relative.starts_with('/') && token.starts_with('?'));
    let url = format!("{base}{relative}{token}");
    let resp = reqwest::get(&url).await.unwrap();
    assert_eq!(resp.status(), 200, "{}", crate::secret::mask_secrets(&url));
    resp.bytes().await.unwrap().to_vec()
}

fn rows(n: usize) -> Vec<u8> {
    let words = [
        "This",
        "is",
        "a",
        "good",
        "day",
        "Room",
        "101",
        "\"quoted\"",
    ];
    let mut s = String::from("Col1,Col2\n");
    for i in 0..n {
        let text: Vec<&str> = (0..1 + i % 7)
            .map(|j| words[(i + j) % words.len()])
            .collect();
        s.push_str(&format!(
            "{i},\"{}\"\n",
            text.join(" ").replace('"', "\"\"")
        ));
    }
    s.into_bytes()
}

#[tokio::test]
async fn a_job_writes_its_default_output_and_a_read_only_reference() {
    let s = serve(BesConfig::default()).await;
    let input = rows(500);
    s.put("inputs/in.csv", &input).await;
    let job = spec(s.key_ref("/inputs/in.csv"), None);
    let results = execute(&s.bes, "job1", &job, &CancellationToken::new())
        .await
        .unwrap();
    let r = &results["output1"];
    assert_eq!(
        r.relative_location.as_deref(),
        Some(format!("{DEFAULT_CONTAINER}/job1/output1.csv").as_str())
    );
    assert_eq!(
        r.base_location.as_deref(),
        Some(format!("http://{}/acct/", s.addr).as_str())
    );
    let token = r.sas_blob_token.as_deref().unwrap();
    assert!(
        token.contains("sp=r&") || token.ends_with("sp=r"),
        "read-only: {token}"
    );
    assert!(download(&results).await == expected(&input));
    // The token does not allow writing.
    let url = format!(
        "{}{}{token}",
        r.base_location.as_deref().unwrap(),
        r.relative_location.as_deref().unwrap()
    );
    let put = reqwest::Client::new()
        .put(&url)
        .header("x-ms-blob-type", "BlockBlob")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 403);
}

#[tokio::test]
async fn sas_inputs_and_both_kinds_of_override() {
    let s = serve(BesConfig::default()).await;
    let input = rows(50);
    s.put("inputs/in-sas.csv", &input).await;
    let by_sas = s.sas_ref("inputs", "in-sas.csv", "r");
    let out = s.key_ref("results/by-key.csv");
    let results = execute(
        &s.bes,
        "j",
        &spec(by_sas.clone(), Some(out)),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(
        results["output1"].relative_location.as_deref(),
        Some("results/by-key.csv")
    );
    assert!(download(&results).await == expected(&input));
    assert!(s.get("results/by-key.csv").await.unwrap() == expected(&input));
    // A SAS override (into the container made above: a blob SAS cannot create one): the
    // results show the caller's own parts, normalized.
    let out = s.sas_ref("results", "by-sas.csv", "rcw");
    let results = execute(
        &s.bes,
        "k",
        &spec(by_sas, Some(out.clone())),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    let r = &results["output1"];
    assert_eq!(r.relative_location.as_deref(), Some("results/by-sas.csv"));
    assert_eq!(
        r.base_location.as_deref(),
        Some(format!("http://{}/acct/", s.addr).as_str())
    );
    assert_eq!(
        r.sas_blob_token.as_deref().unwrap(),
        format!("?{}", out.sas_blob_token.unwrap())
    );
    assert!(download(&results).await == expected(&input));
}

#[tokio::test]
async fn a_large_input_becomes_a_multi_block_output() {
    let s = serve(BesConfig::default()).await;
    let input = rows(400_000);
    s.put("inputs/big.csv", &input).await;
    let want = expected(&input);
    assert!(want.len() > 8 << 20, "{} bytes: one block only", want.len());
    let results = execute(
        &s.bes,
        "big",
        &spec(s.key_ref("inputs/big.csv"), None),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert!(download(&results).await == want);
}

#[tokio::test]
async fn failures_become_details_and_leave_no_output() {
    let s = serve(BesConfig::default()).await;
    let run = |relative: &str, id: &'static str| {
        let job = spec(s.key_ref(relative), None);
        let bes = s.bes.clone();
        async move {
            execute(&bes, id, &job, &CancellationToken::new())
                .await
                .unwrap_err()
        }
    };
    let d = run("inputs/missing.csv", "a").await;
    assert!(
        d.starts_with("Error 0030: Unable to download input1 from `inputs/missing.csv`"),
        "{d}"
    );
    assert!(d.contains("404"), "{d}");
    s.put("inputs/no-col2.csv", b"Col1,Col3\n1,2\n").await;
    let d = run("inputs/no-col2.csv", "b").await;
    assert!(
        d.starts_with("Error 0001: Column `Col2` not found in input1"),
        "{d}"
    );
    assert!(
        s.get(&format!("{DEFAULT_CONTAINER}/b/output1.csv"))
            .await
            .is_none()
    );
    // A bad row far into the input, after several blocks of output were staged.
    let mut input = rows(400_000);
    input.extend_from_slice(b"1,2,3\n");
    s.put("inputs/bad-end.csv", &input).await;
    let d = run("inputs/bad-end.csv", "c").await;
    assert!(
        d.contains("line 400002: found 3 fields where the header row has 2"),
        "{d}"
    );
    assert!(
        s.get(&format!("{DEFAULT_CONTAINER}/c/output1.csv"))
            .await
            .is_none()
    );
    // The key is never in a message.
    let bad_key = BlobReference {
        connection_string: Some(format!(
            "AccountName=acct;AccountKey={};BlobEndpoint=http://{}/acct",
            "c2VjcmV0c2VjcmV0", s.addr
        )),
        relative_location: Some("inputs/no-col2.csv".into()),
        ..BlobReference::default()
    };
    let d = execute(&s.bes, "d", &spec(bad_key, None), &CancellationToken::new())
        .await
        .unwrap_err();
    assert!(d.contains("403") && !d.contains("c2VjcmV0c2VjcmV0"), "{d}");
}

#[tokio::test]
async fn a_cancelled_job_writes_nothing() {
    let s = serve(BesConfig::default()).await;
    s.put("inputs/in.csv", &rows(1000)).await;
    let cancelled = CancellationToken::new();
    cancelled.cancel();
    let job = spec(s.key_ref("inputs/in.csv"), None);
    assert!(execute(&s.bes, "x", &job, &cancelled).await.is_err());
    assert!(
        s.get(&format!("{DEFAULT_CONTAINER}/x/output1.csv"))
            .await
            .is_none()
    );
}

async fn wait_for(bes: &Bes, id: &str, state: JobState) -> jobs::Status {
    for _ in 0..400 {
        let st = bes.table().status(id).unwrap();
        if st.state == state {
            return st;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!(
        "job {id} never became {state}: {:?}",
        bes.table().status(id)
    );
}

#[tokio::test]
async fn spawned_jobs_end_in_the_table_and_a_delete_during_the_delay_cancels() {
    let s = serve(BesConfig {
        job_delay: Duration::from_millis(300),
        ..BesConfig::default()
    })
    .await;
    s.put("inputs/in.csv", &rows(10)).await;
    for id in ["done", "stopped"] {
        s.bes
            .table()
            .submit(id, spec(s.key_ref("inputs/in.csv"), None))
            .unwrap();
        let started = s.bes.table().start(id).unwrap();
        runner::spawn(s.bes.clone(), id.into(), started);
    }
    assert_eq!(s.bes.table().cancel("stopped"), Some(JobState::Cancelled));
    let done = wait_for(&s.bes, "done", JobState::Finished).await;
    assert!(download(&done.results.unwrap()).await == expected(&rows(10)));
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        s.bes.table().status("stopped").unwrap().state,
        JobState::Cancelled
    );
    assert!(
        s.get(&format!("{DEFAULT_CONTAINER}/stopped/output1.csv"))
            .await
            .is_none()
    );
    // A failing job ends Failed with its details.
    s.bes
        .table()
        .submit("bad", spec(s.key_ref("inputs/none.csv"), None))
        .unwrap();
    let started = s.bes.table().start("bad").unwrap();
    runner::spawn(s.bes.clone(), "bad".into(), started);
    let failed = wait_for(&s.bes, "bad", JobState::Failed).await;
    assert!(failed.details.unwrap().starts_with("Error 0030"));
    assert!(failed.results.is_none());
}

/// A CSV input of about `bytes` bytes, generated 1 MiB at a time (never whole in memory).
fn generated_input(bytes: u64) -> impl tokio::io::AsyncRead + Unpin + Send {
    let header = futures::stream::once(async { Ok(bytes::Bytes::from_static(b"Id,Col2\n")) });
    let chunks = futures::stream::unfold(0u64, move |row| async move {
        if row * 40 >= bytes {
            return None;
        }
        let mut chunk = String::with_capacity(1 << 20);
        let mut r = row;
        while chunk.len() < (1 << 20) - 64 {
            chunk.push_str(&format!("{r},This is a good day number {}\n", r % 9973));
            r += 1;
        }
        Some((Ok::<_, std::io::Error>(bytes::Bytes::from(chunk)), r))
    });
    tokio_util::io::StreamReader::new(Box::pin(futures::StreamExt::chain(header, chunks)))
}

/// Peak memory and throughput of one job on a large input (the store, the upload and the
/// download all in this process). Run alone:
/// `MLWS_BES_INPUT_MB=1024 cargo test --release runner_memory -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn runner_memory_stays_flat_on_a_large_input() {
    let mb: u64 = std::env::var("MLWS_BES_INPUT_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let s = serve(BesConfig::default()).await;
    let loc = BlobLocation::with_connection_string(s.cs(), "inputs/big.csv").unwrap();
    let size = upload_stream(&loc, generated_input(mb << 20), &Progress::default())
        .await
        .unwrap();
    let after_upload = crate::blob::transfer::peak_rss_mib();
    let started = std::time::Instant::now();
    let job = spec(s.key_ref("inputs/big.csv"), None);
    let results = execute(&s.bes, "big", &job, &CancellationToken::new())
        .await
        .unwrap();
    let secs = started.elapsed().as_secs_f64();
    let out = BlobLocation::from_reference(&results["output1"]).unwrap();
    let out_size = open_read(&out).await.unwrap().size().unwrap();
    let peak = crate::blob::transfer::peak_rss_mib();
    println!(
        "bes runner: {:.0} MiB in, {:.0} MiB out in {secs:.1} s ({:.1} MiB/s of input); \
         peak RSS {after_upload} MiB after the upload, {peak} MiB after the job",
        size as f64 / 1048576.0,
        out_size as f64 / 1048576.0,
        size as f64 / 1048576.0 / secs
    );
    assert!(
        peak < 400,
        "peak RSS {peak} MiB: memory grows with the input"
    );
}
