//! Moving bytes: uploads as block blobs through the SDK (Put Block, several in flight, then an
//! ordered Put Block List; one Put Blob when the data fits in a block), and downloads as one
//! streaming GET of a SAS URL, to a temporary file renamed on success or as an `AsyncRead`.
//! Memory stays bounded by `IN_FLIGHT + 1` blocks whatever the blob size.

use super::auth::SharedKeyPolicy;
use super::{API_VERSION, BlobLocation, Progress, sdk_error, storage_error};
use crate::secret::mask_secrets;
use anyhow::{Context as _, Result, anyhow};
use azure_core::http::{ClientOptions, RequestContent, StatusCode};
use azure_storage_blob::models::{
    BlockBlobClientCommitBlockListOptions, BlockBlobClientUploadOptions, BlockLookupList,
};
use azure_storage_blob::{
    BlobClient, BlobClientOptions, BlobContainerClient, BlobContainerClientOptions, BlockBlobClient,
};
use futures::TryStreamExt;
use std::num::NonZero;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadBuf};
use tokio::task::JoinSet;
use url::Url;

/// Block size of uploads: 8 MiB keeps a 1 GB file at 128 requests, far below the 50,000-block limit.
pub const BLOCK_SIZE: usize = 8 << 20;
/// Blocks staged at once (as the Python SDK's `max_concurrency=4` we compare with).
pub(super) const IN_FLIGHT: usize = 4;
/// Tries of a download's opening GET (connection errors and 5xx answers are retried).
pub(super) const GET_TRIES: u32 = 4;

/// Uploads the local file `path` to `loc` as a block blob, creating the container when it is
/// missing. `progress` gets the file size, then each block as it lands. Returns the byte count.
pub async fn upload_file(path: &Path, loc: &BlobLocation, progress: &Progress) -> Result<u64> {
    let what = format!("uploading `{}` to `{}`", path.display(), loc.describe());
    let file = tokio::fs::File::open(path)
        .await
        .with_context(|| format!("cannot open `{}`", path.display()))
        .with_context(|| what.clone())?;
    let size = file.metadata().await.map(|m| m.len()).ok();
    if let Some(size) = size {
        progress.set_total(size);
    }
    upload(loc, file, progress).await.context(what)
}

/// Uploads everything `reader` yields to `loc` as a block blob (container created when
/// missing), reading one block ahead while up to four are in flight. Returns the byte count.
pub async fn upload_stream<R>(loc: &BlobLocation, reader: R, progress: &Progress) -> Result<u64>
where
    R: AsyncRead + Unpin + Send,
{
    let what = format!("uploading to `{}`", loc.describe());
    upload(loc, reader, progress).await.context(what)
}

async fn upload<R: AsyncRead + Unpin + Send>(
    loc: &BlobLocation,
    mut reader: R,
    progress: &Progress,
) -> Result<u64> {
    ensure_container(loc).await?;
    let client = Arc::new(block_client(loc)?);
    let content_type = content_type_for(&loc.url());
    let first = read_block(&mut reader, BLOCK_SIZE).await?;
    if first.len() < BLOCK_SIZE {
        let n = first.len() as u64;
        put_whole(&client, first, content_type).await?;
        progress.advance(n);
        return Ok(n);
    }
    // Block ids must all have the same length; a random tag keeps ours apart from the
    // uncommitted blocks of another writer of the same blob.
    let tag = format!("{:08x}", fastrand::u32(..));
    let mut ids: Vec<Vec<u8>> = Vec::new();
    let mut tasks: JoinSet<Result<()>> = JoinSet::new();
    let mut total = 0u64;
    let mut block = first;
    while !block.is_empty() {
        let full = block.len() == BLOCK_SIZE;
        let id = format!("{tag}-{:06}", ids.len()).into_bytes();
        ids.push(id.clone());
        total += block.len() as u64;
        while tasks.len() >= IN_FLIGHT {
            join_one(&mut tasks).await?;
        }
        let (client, progress) = (client.clone(), progress.clone());
        tasks.spawn(async move {
            let n = block.len() as u64;
            client
                .stage_block(&id, n, RequestContent::from(block), None)
                .await
                .map_err(sdk_error)
                .with_context(|| format!("staging block {}", String::from_utf8_lossy(&id)))?;
            progress.advance(n);
            Ok(())
        });
        block = if full {
            read_block(&mut reader, BLOCK_SIZE).await?
        } else {
            Vec::new()
        };
    }
    while !tasks.is_empty() {
        join_one(&mut tasks).await?;
    }
    commit(&client, ids, content_type).await?;
    Ok(total)
}

/// One Put Blob of the whole (small) content.
pub(super) async fn put_whole(
    client: &BlockBlobClient,
    body: Vec<u8>,
    content_type: String,
) -> Result<()> {
    let options = BlockBlobClientUploadOptions {
        blob_content_type: Some(content_type),
        partition_size: NonZero::new(BLOCK_SIZE as u64),
        ..Default::default()
    };
    client
        .upload(RequestContent::from(body), Some(options))
        .await
        .map_err(sdk_error)?;
    Ok(())
}

/// Put Block List of `ids`, in order, each looked up among the staged blocks first.
pub(super) async fn commit(
    client: &BlockBlobClient,
    ids: Vec<Vec<u8>>,
    content_type: String,
) -> Result<()> {
    let list = BlockLookupList {
        latest: Some(ids),
        ..Default::default()
    };
    let options = BlockBlobClientCommitBlockListOptions {
        blob_content_type: Some(content_type),
        ..Default::default()
    };
    client
        .commit_block_list(list.try_into().map_err(sdk_error)?, Some(options))
        .await
        .map_err(sdk_error)
        .context("committing the block list")?;
    Ok(())
}

pub(super) async fn join_one<T: Default + 'static>(tasks: &mut JoinSet<Result<T>>) -> Result<T> {
    match tasks.join_next().await {
        Some(joined) => joined.map_err(|e| anyhow!("an upload task failed: {e}"))?,
        None => Ok(T::default()),
    }
}

/// Reads up to one block of `size` bytes; shorter only at the end of the input.
pub(super) async fn read_block<R: AsyncRead + Unpin>(
    reader: &mut R,
    size: usize,
) -> Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(size);
    (&mut *reader)
        .take(size as u64)
        .read_to_end(&mut buf)
        .await
        .context("cannot read the data to upload")?;
    Ok(buf)
}

/// Creates the container of a key-based location; an existing one (409) is fine. With only an
/// account SAS this is best effort (the SAS may not allow it; the upload then says why).
pub(super) async fn ensure_container(loc: &BlobLocation) -> Result<()> {
    let BlobLocation::Key { cs, container, .. } = loc else {
        return Ok(()); // a service SAS cannot create containers
    };
    let mut url = cs.blob_endpoint();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().push(container);
    }
    if let Some(sas) = cs.sas_token() {
        url.set_query(Some(sas.expose()));
    }
    let options = BlobContainerClientOptions {
        client_options: client_options(loc),
        version: API_VERSION.into(),
    };
    let client = BlobContainerClient::new(url, None, Some(options)).map_err(sdk_error)?;
    match client.create(None).await {
        Ok(_) => Ok(()),
        Err(e) if e.http_status() == Some(StatusCode::Conflict) => Ok(()),
        Err(_) if cs.account_key().is_none() => Ok(()),
        Err(e) => Err(sdk_error(e).context(format!("creating the container `{container}`"))),
    }
}

fn client_options(loc: &BlobLocation) -> ClientOptions {
    let mut options = ClientOptions::default();
    if let BlobLocation::Key { cs, .. } = loc
        && let Some(key) = cs.account_key()
    {
        options.per_try_policies.push(Arc::new(SharedKeyPolicy {
            account: cs.account().to_string(),
            key: key.clone(),
        }));
    }
    options
}

pub(super) fn block_client(loc: &BlobLocation) -> Result<BlockBlobClient> {
    let options = BlobClientOptions {
        client_options: client_options(loc),
        version: API_VERSION.into(),
    };
    let client = BlobClient::new(loc.url(), None, Some(options)).map_err(sdk_error)?;
    Ok(client.block_blob_client())
}

/// The content type recorded for an upload, from the blob name's extension.
pub(super) fn content_type_for(url: &Url) -> String {
    let name = url
        .path()
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "tsv" => "text/tab-separated-values",
        "json" => "application/json",
        "arff" | "txt" => "text/plain",
        "ilearner" | "bin" => "application/octet-stream",
        _ => "text/csv",
    }
    .to_string()
}

/// A blob being read: an `AsyncRead` over the body of one GET, with the size when the server
/// sent a `Content-Length`.
pub struct BlobReader {
    size: Option<u64>,
    inner: Pin<Box<dyn AsyncRead + Send>>,
}

impl BlobReader {
    pub fn size(&self) -> Option<u64> {
        self.size
    }
}

impl AsyncRead for BlobReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        self.inner.as_mut().poll_read(cx, buf)
    }
}

/// Opens `loc` for reading as a stream (for the emulator's job runner).
pub async fn open_read(loc: &BlobLocation) -> Result<BlobReader> {
    let what = format!("reading `{}`", loc.describe());
    let response = get(stream_http(), &loc.read_url()?).await.context(what)?;
    let size = response.content_length();
    let stream = response
        .bytes_stream()
        .map_err(|e| std::io::Error::other(http_error(e).to_string()));
    Ok(BlobReader {
        size,
        inner: Box::pin(tokio_util::io::StreamReader::new(stream)),
    })
}

/// Whether a blob is there (for a check before a batch job is submitted to read it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    Present,
    /// 404: the storage's answer, e.g. `the storage answered 404 ContainerNotFound`.
    Missing(String),
}

/// Asks for the blob's properties (one HEAD, with the credential a download would use):
/// present, missing (404), or an error for any other answer or a network failure.
pub async fn presence(loc: &BlobLocation) -> Result<Presence> {
    let what = format!("checking `{}`", loc.describe());
    let r = http()
        .head(loc.read_url()?.as_str())
        .header("x-ms-version", API_VERSION)
        .send()
        .await
        .map_err(http_error)
        .context(what.clone())?;
    match r.status().as_u16() {
        200..=299 => Ok(Presence::Present),
        404 => Ok(Presence::Missing(answer_error(r).await.to_string())),
        _ => Err(answer_error(r).await.context(what)),
    }
}

/// Downloads `loc` to `dest` through a temporary file in `dest`'s directory, renamed over
/// `dest` only when every byte arrived (no partial file on failure). Returns the byte count.
pub async fn download_to_file(loc: &BlobLocation, dest: &Path, progress: &Progress) -> Result<u64> {
    let what = format!("downloading `{}` to `{}`", loc.describe(), dest.display());
    download(loc, dest, progress).await.context(what)
}

async fn download(loc: &BlobLocation, dest: &Path, progress: &Progress) -> Result<u64> {
    let mut response = get(http(), &loc.read_url()?).await?;
    let expected = response.content_length();
    if let Some(n) = expected {
        progress.set_total(n);
    }
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".mlws-download-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in `{}`", dir.display()))?;
    let file = tokio::fs::File::from_std(tmp.reopen().context("cannot open the temporary file")?);
    let mut out = tokio::io::BufWriter::with_capacity(1 << 20, file);
    let mut done = 0u64;
    while let Some(chunk) = response.chunk().await.map_err(http_error)? {
        out.write_all(&chunk)
            .await
            .context("cannot write the temporary file")?;
        done += chunk.len() as u64;
        progress.advance(chunk.len() as u64);
    }
    out.flush()
        .await
        .context("cannot write the temporary file")?;
    drop(out);
    if let Some(n) = expected
        && n != done
    {
        anyhow::bail!("the download stopped after {done} of {n} bytes");
    }
    tmp.persist(dest)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot rename the temporary file to `{}`", dest.display()))?;
    Ok(done)
}

/// The client of downloads: a read that stalls for a minute fails the download.
pub(super) fn http() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| client(Some(Duration::from_secs(60))))
}

/// The client of `open_read`: no read timeout, because reqwest times a read from the previous
/// chunk's arrival and the reader's consumer may rightly pause longer than any fixed bound.
fn stream_http() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| client(None))
}

fn client(read_timeout: Option<Duration>) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("mlws/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(20))
        .tcp_keepalive(Duration::from_secs(30));
    if let Some(t) = read_timeout {
        builder = builder.read_timeout(t);
    }
    builder
        .build()
        .expect("a reqwest client with static settings builds")
}

/// The opening GET of a download, retried on connection errors and 5xx answers.
async fn get(client: &reqwest::Client, url: &Url) -> Result<reqwest::Response> {
    get_with(client, url, &[]).await
}

/// A GET with extra headers (a range, a condition), retried on connection errors and 5xx
/// answers; any other answer that is no success is an error (a `StorageError`).
pub(super) async fn get_with(
    client: &reqwest::Client,
    url: &Url,
    headers: &[(&str, String)],
) -> Result<reqwest::Response> {
    let mut wait = Duration::from_millis(300);
    for attempt in 1..=GET_TRIES {
        let last = attempt == GET_TRIES;
        let mut request = client.get(url.as_str()).header("x-ms-version", API_VERSION);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        match request.send().await {
            Ok(r) if r.status().is_success() => return Ok(r),
            Ok(r) if r.status().is_server_error() && !last => {}
            Ok(r) => return Err(answer_error(r).await),
            Err(e) if (e.is_connect() || e.is_timeout()) && !last => {}
            Err(e) => return Err(http_error(e)),
        }
        tokio::time::sleep(wait + Duration::from_millis(fastrand::u64(0..200))).await;
        wait *= 2;
    }
    unreachable!("the last try returns")
}

pub(super) async fn answer_error(r: reqwest::Response) -> anyhow::Error {
    let status = r.status().as_u16();
    let code = r
        .headers()
        .get("x-ms-error-code")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = r.bytes().await.unwrap_or_default();
    storage_error(status, code.as_deref(), &body[..body.len().min(64 << 10)])
}

/// A reqwest error with its causes, without the URL (it may carry a signature).
pub(super) fn http_error(e: reqwest::Error) -> anyhow::Error {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    anyhow!(mask_secrets(&text))
}

/// For the ignored measurement tests (run alone, since peak RSS is process-wide): writes
/// `count` copies of `line` to a file in `dir`, sends it to `loc` and back, prints the rates
/// and checks that peak RSS stays within 160 MiB of where it began.
#[cfg(test)]
pub(crate) async fn measured_round_trip(
    dir: &Path,
    loc: &BlobLocation,
    line: &[u8],
    count: usize,
    label: &str,
) {
    let src = dir.join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&src).unwrap());
    for _ in 0..count {
        std::io::Write::write_all(&mut f, line).unwrap();
    }
    drop(f);
    let before = peak_rss_mib();
    let t = std::time::Instant::now();
    let n = upload_file(&src, loc, &Progress::default()).await.unwrap();
    let up = t.elapsed().as_secs_f64();
    let out = dir.join("back.csv");
    let t = std::time::Instant::now();
    download_to_file(loc, &out, &Progress::default())
        .await
        .unwrap();
    let down = t.elapsed().as_secs_f64();
    let mib = n as f64 / 1048576.0;
    eprintln!(
        "{label}: upload {:.0} MiB/s, download {:.0} MiB/s, peak RSS {} MiB (before {before} MiB)",
        mib / up,
        mib / down,
        peak_rss_mib()
    );
    assert_eq!(std::fs::metadata(&out).unwrap().len(), n);
    assert!(
        peak_rss_mib() < before + 160,
        "peak RSS grew to {} MiB",
        peak_rss_mib()
    );
}

/// The process's peak resident memory (`VmHWM`), in MiB, for the memory measurements.
#[cfg(test)]
pub(crate) fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_the_extension() {
        let t = |u: &str| content_type_for(&Url::parse(u).unwrap());
        assert_eq!(t("http://h/a/c/x.CSV"), "text/csv");
        assert_eq!(t("http://h/a/c/x.tsv?sig=1"), "text/tab-separated-values");
        assert_eq!(t("http://h/a/c/model.ilearner"), "application/octet-stream");
        assert_eq!(t("http://h/a/c/noext"), "text/csv");
    }
}
