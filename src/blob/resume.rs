//! Transfers that a later run can finish (`bes run --resume`). An upload of a file as a block
//! blob whose block ids are derived from each block's index and content ([`block_id`]), so
//! that a re-run asks the storage which blocks it already holds (Get Block List, committed and
//! uncommitted) and stages only the others. A download that appends to a partial file from an
//! offset with a ranged GET (`x-ms-range`, `If-Match` the blob's ETag, so that a blob changed
//! meanwhile is read again from the start), syncing the file at checkpoints. Knows nothing of
//! journals: the caller is told of each block staged and of each checkpoint.

use super::transfer::{
    BLOCK_SIZE, GET_TRIES, IN_FLIGHT, block_client, commit, content_type_for, ensure_container,
    get_with, http, http_error, join_one, put_whole, read_block,
};
use super::{BlobLocation, Progress, sdk_error};
use crate::error::StorageError;
use anyhow::{Context as _, Result};
use azure_core::http::{RequestContent, StatusCode};
use azure_storage_blob::BlockBlobClient;
use azure_storage_blob::models::{BlockList, BlockListType};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};
use tokio::task::JoinSet;

/// The most blocks a block blob may hold.
const MAX_BLOCKS: u64 = 50_000;

/// The block size of uploads unless told otherwise.
pub const DEFAULT_BLOCK_SIZE: usize = BLOCK_SIZE;

/// A block's id: `{index:06}-{the first 8 bytes of the SHA-256 of its content, hex}`, 23 bytes
/// for every block of a blob (the storage wants them all of one length), sent base64-encoded.
/// The same block of the same file gets the same id in every run.
pub fn block_id(index: usize, block: &[u8]) -> String {
    let digest = Sha256::digest(block);
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{index:06}-{hex}")
}

/// Told of each block staged by this run: its index and id. An error stops the upload.
pub type OnStaged = Arc<dyn Fn(usize, &str) -> Result<()> + Send + Sync>;

/// What a resumable upload did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uploaded {
    pub bytes: u64,
    pub blocks: usize,
    /// Blocks the storage already held (staged by an earlier run), not sent again.
    pub already: usize,
}

/// Uploads `path` to `loc` as a block blob of `block_size` blocks, staging only the blocks the
/// storage does not hold yet (by id and size), then committing them in order (unless the blob
/// is already committed with exactly these blocks). A file of one block or less is one Put
/// Blob. The container is created when missing.
pub async fn upload_file_resumable(
    path: &Path,
    loc: &BlobLocation,
    block_size: usize,
    on_staged: OnStaged,
    progress: &Progress,
) -> Result<Uploaded> {
    let what = format!("uploading `{}` to `{}`", path.display(), loc.describe());
    upload(path, loc, block_size, on_staged, progress)
        .await
        .context(what)
}

async fn upload(
    path: &Path,
    loc: &BlobLocation,
    block_size: usize,
    on_staged: OnStaged,
    progress: &Progress,
) -> Result<Uploaded> {
    let mut file = tokio::fs::File::open(path)
        .await
        .with_context(|| format!("cannot open `{}`", path.display()))?;
    let size = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    let blocks = size.div_ceil(block_size as u64);
    anyhow::ensure!(
        blocks <= MAX_BLOCKS,
        "`{}` would be {blocks} blocks of {block_size} bytes: a blob holds at most {MAX_BLOCKS}",
        path.display()
    );
    progress.set_total(size);
    ensure_container(loc).await?;
    let client = Arc::new(block_client(loc)?);
    let content_type = content_type_for(&loc.url());
    if size <= block_size as u64 {
        let body = read_block(&mut file, block_size).await?;
        let n = body.len() as u64;
        put_whole(&client, body, content_type).await?;
        progress.advance(n);
        return Ok(Uploaded {
            bytes: n,
            blocks: 1,
            already: 0,
        });
    }
    let held = held_blocks(&client).await?;
    let have = Arc::new(held.blocks);
    let mut ids: Vec<String> = Vec::new();
    let mut already = 0;
    let mut bytes = 0u64;
    let mut tasks: JoinSet<Result<(usize, String, bool)>> = JoinSet::new();
    let mut done = |(index, id, there): (usize, String, bool)| {
        if ids.len() <= index {
            ids.resize(index + 1, String::new());
        }
        ids[index] = id;
        already += usize::from(there);
    };
    let mut index = 0;
    loop {
        let block = read_block(&mut file, block_size).await?;
        if block.is_empty() {
            break;
        }
        let n = block.len() as u64;
        bytes += n;
        while tasks.len() >= IN_FLIGHT {
            done(join_one(&mut tasks).await?);
        }
        let (client, have) = (client.clone(), have.clone());
        let (progress, on_staged) = (progress.clone(), on_staged.clone());
        tasks.spawn(async move {
            stage_unless_held(&client, &have, index, block, &progress, &on_staged).await
        });
        index += 1;
    }
    while !tasks.is_empty() {
        done(join_one(&mut tasks).await?);
    }
    // A run cut off after its commit finds the blob whole: nothing to commit again.
    if held.committed != ids {
        let ids = ids.iter().map(|id| id.as_bytes().to_vec()).collect();
        commit(&client, ids, content_type).await?;
    }
    Ok(Uploaded {
        bytes,
        blocks: ids.len(),
        already,
    })
}

/// Hashes block `index` (off the threads that drive the transfers) and stages it unless the
/// storage holds it already; returns its index, its id and whether it was there.
async fn stage_unless_held(
    client: &BlockBlobClient,
    have: &HashMap<String, u64>,
    index: usize,
    block: Vec<u8>,
    progress: &Progress,
    on_staged: &OnStaged,
) -> Result<(usize, String, bool)> {
    let n = block.len() as u64;
    let (id, block) = tokio::task::spawn_blocking(move || (block_id(index, &block), block))
        .await
        .context("hashing a block failed")?;
    if have.get(&id) == Some(&n) {
        progress.advance(n);
        return Ok((index, id, true));
    }
    client
        .stage_block(id.as_bytes(), n, RequestContent::from(block), None)
        .await
        .map_err(sdk_error)
        .with_context(|| format!("staging block {id}"))?;
    progress.advance(n);
    on_staged(index, &id)?;
    Ok((index, id, false))
}

/// The blocks the storage holds for a blob: every id (committed or not) with its size, and the
/// committed ids in order. A blob that is not there holds none.
struct Held {
    blocks: HashMap<String, u64>,
    committed: Vec<String>,
}

async fn held_blocks(client: &BlockBlobClient) -> Result<Held> {
    let list: BlockList = match client.get_block_list(BlockListType::All, None).await {
        Ok(r) => r.into_model().map_err(sdk_error)?,
        Err(e) if e.http_status() == Some(StatusCode::NotFound) => BlockList::default(),
        Err(e) => return Err(sdk_error(e).context("asking for the blob's block list")),
    };
    let named = |blocks: Option<Vec<azure_storage_blob::models::Block>>| {
        blocks
            .unwrap_or_default()
            .into_iter()
            .filter_map(|b| {
                let id = String::from_utf8(b.name?).ok()?;
                Some((id, b.size.unwrap_or(-1).max(0) as u64))
            })
            .collect::<Vec<_>>()
    };
    let committed = named(list.committed_blocks);
    let mut blocks: HashMap<String, u64> = committed.iter().cloned().collect();
    blocks.extend(named(list.uncommitted_blocks));
    Ok(Held {
        blocks,
        committed: committed.into_iter().map(|(id, _)| id).collect(),
    })
}

/// How far a download got: bytes in the partial file, and the blob's size and ETag once known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub offset: u64,
    pub size: Option<u64>,
    pub etag: Option<String>,
}

impl Checkpoint {
    pub fn complete(&self) -> bool {
        self.size == Some(self.offset)
    }
}

/// Told of each checkpoint, after the file was synced up to it. An error stops the download.
pub type OnCheckpoint<'a> = &'a mut (dyn FnMut(&Checkpoint) -> Result<()> + Send);

/// Downloads `loc` into `file`, which holds (and is positioned after) the first `from.offset`
/// bytes of the blob: the rest comes with a ranged GET that must find the same blob (`If-Match`
/// `from.etag`); a blob changed meanwhile, or a server that ignores the range, starts the file
/// again. A body cut off part way is asked again from where it stopped. Every `every`, and at
/// the end, the file is synced and `on_checkpoint` told. Returns the blob's size.
pub async fn download_resumable(
    loc: &BlobLocation,
    file: std::fs::File,
    from: Checkpoint,
    every: Duration,
    on_checkpoint: OnCheckpoint<'_>,
    progress: &Progress,
) -> Result<u64> {
    let what = format!("downloading `{}`", loc.describe());
    let mut out = Partial {
        file: tokio::io::BufWriter::with_capacity(1 << 20, tokio::fs::File::from_std(file)),
        at: from,
    };
    download(loc, &mut out, every, on_checkpoint, progress)
        .await
        .context(what)
}

struct Partial {
    file: tokio::io::BufWriter<tokio::fs::File>,
    at: Checkpoint,
}

impl Partial {
    /// Empties the file: what it holds is not a prefix of the blob to read.
    async fn restart(&mut self) -> Result<()> {
        self.file.flush().await?;
        let f = self.file.get_mut();
        f.set_len(0).await?;
        f.seek(std::io::SeekFrom::Start(0)).await?;
        self.at = Checkpoint::default();
        Ok(())
    }

    async fn checkpoint(&mut self, on_checkpoint: OnCheckpoint<'_>) -> Result<()> {
        self.file
            .flush()
            .await
            .context("cannot write the partial file")?;
        self.file
            .get_ref()
            .sync_data()
            .await
            .context("cannot write the partial file")?;
        on_checkpoint(&self.at)
    }

    /// The GET of the rest of the blob (all of it from offset 0): ranged, on the condition that
    /// the blob is the one begun. When it is not (412), or is shorter than what we hold (416),
    /// or the range is not honoured, the file starts again (once for 412 and 416).
    async fn open(&mut self, url: &url::Url, restarted: &mut bool) -> Result<reqwest::Response> {
        let response = loop {
            let mut headers = Vec::new();
            if self.at.offset > 0 {
                headers.push(("x-ms-range", format!("bytes={}-", self.at.offset)));
                if let Some(etag) = &self.at.etag {
                    headers.push(("if-match", etag.clone()));
                }
            }
            match get_with(http(), url, &headers).await {
                Ok(r) => break r,
                Err(e) if !*restarted && matches!(storage_status(&e), Some(412 | 416)) => {
                    *restarted = true;
                    self.restart().await?;
                }
                Err(e) => return Err(e),
            }
        };
        let ranged = response.status() == reqwest::StatusCode::PARTIAL_CONTENT;
        if self.at.offset > 0 && !ranged {
            self.restart().await?;
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        self.at.etag = header("etag").or(self.at.etag.take());
        self.at.size = match ranged {
            true => header("content-range").and_then(|r| r.rsplit('/').next()?.parse().ok()),
            false => response.content_length(),
        };
        Ok(response)
    }

    /// Writes the body out, with a checkpoint every `every`; a body cut off part way is the
    /// error returned (`None`: the body ended).
    async fn take(
        &mut self,
        mut response: reqwest::Response,
        every: Duration,
        last: &mut Instant,
        on_checkpoint: OnCheckpoint<'_>,
        progress: &Progress,
    ) -> Result<Option<anyhow::Error>> {
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => return Ok(None),
                Err(e) => return Ok(Some(http_error(e))),
            };
            self.file
                .write_all(&chunk)
                .await
                .context("cannot write the partial file")?;
            self.at.offset += chunk.len() as u64;
            progress.advance(chunk.len() as u64);
            if last.elapsed() >= every {
                self.checkpoint(on_checkpoint).await?;
                *last = Instant::now();
            }
        }
    }
}

async fn download(
    loc: &BlobLocation,
    out: &mut Partial,
    every: Duration,
    on_checkpoint: OnCheckpoint<'_>,
    progress: &Progress,
) -> Result<u64> {
    if out.at.complete() {
        return Ok(out.at.offset);
    }
    let url = loc.read_url()?;
    let (mut restarted, mut reopened, mut shown) = (false, 0, false);
    let mut last = Instant::now();
    loop {
        let response = out.open(&url, &mut restarted).await?;
        if !shown {
            shown = true;
            if let Some(n) = out.at.size {
                progress.set_total(n);
            }
            progress.advance(out.at.offset);
        }
        let cut = out
            .take(response, every, &mut last, on_checkpoint, progress)
            .await?;
        let whole = out.at.size.is_none_or(|n| n == out.at.offset);
        match cut {
            None if whole => break,
            _ if reopened + 1 < GET_TRIES => reopened += 1,
            Some(e) => return Err(e),
            None => anyhow::bail!(
                "the download stopped after {} of {} bytes",
                out.at.offset,
                out.at.size.unwrap_or_default()
            ),
        }
    }
    out.at.size = Some(out.at.offset);
    out.checkpoint(on_checkpoint).await?;
    Ok(out.at.offset)
}

/// The HTTP status of a storage answer that is an error.
fn storage_status(e: &anyhow::Error) -> Option<u16> {
    e.chain()
        .find_map(|c| c.downcast_ref::<StorageError>())
        .map(|s| s.status)
}

/// For the tests against each storage (the emulator's blob endpoint, Azurite): an upload cut
/// off after three blocks is finished by a second run that stages only the blocks missing; a
/// third finds it all done; a download cut off after its first checkpoint is finished by a
/// ranged GET; a download whose blob changed meanwhile starts again.
#[cfg(test)]
pub(crate) async fn interrupted_transfers_finish(loc: &BlobLocation, dir: &Path) {
    use std::sync::Mutex;
    const BLOCK: usize = 32 << 10;
    let mut rng = fastrand::Rng::with_seed(11);
    let bytes: Vec<u8> = (0..BLOCK * 9 + 1234)
        .map(|_| rng.alphanumeric() as u8)
        .collect();
    let src = dir.join("src.csv");
    std::fs::write(&src, &bytes).unwrap();
    let staged = Arc::new(Mutex::new(Vec::new()));
    let recorder = |stop_after: usize| -> OnStaged {
        let staged = staged.clone();
        Arc::new(move |i, _| {
            let mut s = staged.lock().unwrap();
            s.push(i);
            anyhow::ensure!(s.len() < stop_after, "stopped after {stop_after} blocks");
            Ok(())
        })
    };
    let none = Progress::default();
    let err = upload_file_resumable(&src, loc, BLOCK, recorder(3), &none)
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("stopped after 3"), "{err:#}");
    // Blocks in flight when the upload stopped may have landed too: the storage says which.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let held = held_blocks(&block_client(loc).unwrap()).await.unwrap();
    assert!(held.blocks.len() >= 3 && held.committed.is_empty());
    staged.lock().unwrap().clear();
    let done = upload_file_resumable(&src, loc, BLOCK, recorder(usize::MAX), &none)
        .await
        .unwrap();
    assert_eq!((done.bytes, done.blocks), (bytes.len() as u64, 10));
    assert_eq!(done.already, held.blocks.len());
    assert_eq!(staged.lock().unwrap().len(), 10 - held.blocks.len());
    staged.lock().unwrap().clear();
    let again = upload_file_resumable(&src, loc, BLOCK, recorder(usize::MAX), &none)
        .await
        .unwrap();
    assert_eq!(again.already, 10);
    assert!(staged.lock().unwrap().is_empty());

    let part = dir.join("part.csv");
    let mut first = None;
    let mut stop = |c: &Checkpoint| {
        first = Some(c.clone());
        anyhow::bail!("stopped at {}", c.offset)
    };
    let file = crate::journal::open_partial(&part, None).unwrap();
    let from = Checkpoint::default();
    let err = download_resumable(loc, file, from, Duration::ZERO, &mut stop, &none).await;
    assert!(err.is_err());
    let first = first.unwrap();
    assert!(
        first.offset > 0 && first.offset < bytes.len() as u64,
        "{first:?}"
    );
    assert_eq!(first.size, Some(bytes.len() as u64));
    let last = Arc::new(Mutex::new(Checkpoint::default()));
    let seen = last.clone();
    let mut keep = move |c: &Checkpoint| {
        *seen.lock().unwrap() = c.clone();
        Ok(())
    };
    let file = crate::journal::open_partial(&part, Some(first.offset)).unwrap();
    let n = download_resumable(
        loc,
        file,
        first.clone(),
        Duration::from_secs(60),
        &mut keep,
        &none,
    )
    .await
    .unwrap();
    assert_eq!(n, bytes.len() as u64);
    assert!(last.lock().unwrap().complete());
    assert!(
        std::fs::read(&part).unwrap() == bytes,
        "the resumed download differs"
    );

    // The blob changes: the old checkpoint's ETag no longer matches, the download starts over.
    let changed: Vec<u8> = bytes.iter().rev().copied().collect();
    std::fs::write(&src, &changed).unwrap();
    upload_file_resumable(&src, loc, BLOCK, recorder(usize::MAX), &none)
        .await
        .unwrap();
    let file = crate::journal::open_partial(&part, Some(first.offset)).unwrap();
    download_resumable(loc, file, first, Duration::from_secs(60), &mut keep, &none)
        .await
        .unwrap();
    assert!(
        std::fs::read(&part).unwrap() == changed,
        "the changed blob was not read again"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_ids_are_one_length_and_follow_index_and_content() {
        let a = block_id(0, b"hello");
        assert_eq!(a, block_id(0, b"hello"));
        assert_ne!(a, block_id(1, b"hello"));
        assert_ne!(a, block_id(0, b"hellO"));
        assert_eq!(a.len(), 23);
        assert_eq!(block_id(49_999, &[0; 10]).len(), 23);
        // sha256("hello") = 2cf24dba5fb0a30e...
        assert_eq!(a, "000000-2cf24dba5fb0a30e");
    }
}
