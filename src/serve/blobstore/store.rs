//! The blob store's state: containers, committed blobs and staged blocks, held in memory as an
//! index whose data lives in files of a private temporary directory. File names are counters,
//! never derived from blob names, so no name can reach outside the directory. A blob is a list
//! of extents (its blocks' files), so committing a block list copies nothing; files are shared
//! through `Arc` and removed when the last blob, staged block or reader lets go of them.

use super::error::BlobError;
use axum::body::Body;
use futures::TryStreamExt;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;
use tokio::io::AsyncWriteExt;

/// Azure's limits: 4000 MiB per block, 5000 MiB per Put Blob, 50,000 blocks per blob.
pub const MAX_BLOCK: u64 = 4000 << 20;
pub const MAX_PUT_BLOB: u64 = 5000 << 20;
const MAX_BLOCKS: usize = 50_000;
const MAX_STAGED: usize = 100_000;

/// One data file; deleted when the last reference goes.
#[derive(Debug)]
pub struct DataFile {
    pub path: PathBuf,
}

impl Drop for DataFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[derive(Debug, Clone)]
pub struct Extent {
    pub file: Arc<DataFile>,
    pub len: u64,
}

/// A committed blob as a reader sees it (a snapshot: later writes do not change it).
#[derive(Debug, Clone)]
pub struct BlobMeta {
    pub extents: Vec<Extent>,
    pub size: u64,
    pub etag: String,
    pub modified: SystemTime,
    pub created: SystemTime,
    pub content_type: String,
}

#[derive(Debug)]
struct Blob {
    meta: BlobMeta,
    /// Committed block ids (base64, as sent), in order; empty for a blob made by Put Blob.
    blocks: Vec<(String, Extent)>,
}

#[derive(Debug)]
pub struct ContainerMeta {
    pub etag: String,
    pub modified: SystemTime,
}

#[derive(Debug)]
struct Container {
    meta: ContainerMeta,
    blobs: BTreeMap<String, Blob>,
    /// Uncommitted blocks per blob name: block id -> extent.
    staged: HashMap<String, HashMap<String, Extent>>,
}

/// A blob's block lists (Get Block List): `(id, size)`, ids base64 as sent.
#[derive(Debug)]
pub struct BlockListing {
    /// The committed blob, when there is one.
    pub blob: Option<BlobMeta>,
    pub committed: Vec<(String, u64)>,
    pub uncommitted: Vec<(String, u64)>,
}

/// Which list of a Put Block List entry to look a block up in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ListKind {
    Committed,
    Uncommitted,
    Latest,
}

/// What a write is allowed to replace (`If-Match` / `If-None-Match` on writes).
#[derive(Debug, Default)]
pub struct Conditions {
    pub if_match: Option<String>,
    pub if_none_match: Option<String>,
}

impl Conditions {
    /// Checks the conditions against the current ETag (`None`: no such blob).
    pub fn check_write(&self, current: Option<&str>) -> Result<(), BlobError> {
        if let Some(m) = &self.if_match
            && !(current.is_some() && (m == "*" || Some(m.as_str()) == current))
        {
            return Err(BlobError::condition_not_met());
        }
        match (&self.if_none_match, current) {
            (Some(m), Some(_)) if m == "*" => Err(BlobError::already_exists()),
            (Some(m), Some(etag)) if m == etag => Err(BlobError::condition_not_met()),
            _ => Ok(()),
        }
    }
}

pub struct Store {
    dir: PathBuf,
    /// The largest blob accepted (a request body, a block, a committed blob).
    max_blob: u64,
    next_file: AtomicU64,
    next_etag: AtomicU64,
    index: Mutex<HashMap<String, Container>>,
}

impl Store {
    pub fn new(dir: &Path) -> Self {
        let ticks = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64 / 100)
            .unwrap_or(0);
        Store {
            dir: dir.to_path_buf(),
            max_blob: u64::MAX,
            next_file: AtomicU64::new(0),
            next_etag: AtomicU64::new(ticks),
            index: Mutex::new(HashMap::new()),
        }
    }

    pub fn set_max_blob(&mut self, max: u64) {
        self.max_blob = max;
    }

    pub fn max_blob(&self) -> u64 {
        self.max_blob
    }

    fn index(&self) -> MutexGuard<'_, HashMap<String, Container>> {
        // A panic while holding the lock leaves plain data behind, still consistent enough.
        self.index.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn etag(&self) -> String {
        format!("\"0x{:X}\"", self.next_etag.fetch_add(1, Ordering::Relaxed))
    }

    /// Streams a request body into a new data file, refusing more than `limit` bytes.
    pub async fn write_body(&self, body: Body, limit: u64) -> Result<Extent, BlobError> {
        let n = self.next_file.fetch_add(1, Ordering::Relaxed);
        let file = Arc::new(DataFile {
            path: self.dir.join(format!("{n}.dat")),
        });
        let out = tokio::fs::File::create(&file.path)
            .await
            .map_err(BlobError::internal)?;
        let mut out = tokio::io::BufWriter::with_capacity(1 << 20, out);
        let mut stream = body.into_data_stream();
        let mut len = 0u64;
        while let Some(chunk) = stream
            .try_next()
            .await
            .map_err(|_| BlobError::body_failed())?
        {
            len += chunk.len() as u64;
            if len > limit {
                return Err(BlobError::too_large(limit));
            }
            out.write_all(&chunk).await.map_err(BlobError::internal)?;
        }
        out.flush().await.map_err(BlobError::internal)?;
        Ok(Extent { file, len })
    }

    pub fn create_container(&self, name: &str) -> Result<(), BlobError> {
        let mut index = self.index();
        if index.contains_key(name) {
            return Err(BlobError::new(
                409,
                "ContainerAlreadyExists",
                "The specified container already exists.",
            ));
        }
        let meta = ContainerMeta {
            etag: self.etag(),
            modified: SystemTime::now(),
        };
        index.insert(
            name.to_string(),
            Container {
                meta,
                blobs: BTreeMap::new(),
                staged: HashMap::new(),
            },
        );
        Ok(())
    }

    pub fn container(&self, name: &str) -> Result<(String, SystemTime), BlobError> {
        let index = self.index();
        let c = index.get(name).ok_or_else(BlobError::container_not_found)?;
        Ok((c.meta.etag.clone(), c.meta.modified))
    }

    pub fn delete_container(&self, name: &str) -> Result<(), BlobError> {
        let removed = self.index().remove(name);
        removed.map(drop).ok_or_else(BlobError::container_not_found)
    }

    /// Put Blob: `extent` becomes the whole blob; staged blocks of that name are dropped.
    pub fn put_blob(
        &self,
        container: &str,
        name: &str,
        extent: Extent,
        content_type: String,
        cond: &Conditions,
    ) -> Result<BlobMeta, BlobError> {
        let blocks = vec![(String::new(), extent)];
        self.commit(container, name, blocks, content_type, cond)
    }

    pub fn put_block(
        &self,
        container: &str,
        name: &str,
        id: &str,
        extent: Extent,
    ) -> Result<(), BlobError> {
        let mut index = self.index();
        let c = index
            .get_mut(container)
            .ok_or_else(BlobError::container_not_found)?;
        let staged = c.staged.entry(name.to_string()).or_default();
        let id_len = |s: &str| super::error::block_id_len(s);
        if let Some(other) = staged.keys().next()
            && id_len(other) != id_len(id)
        {
            return Err(BlobError::new(
                400,
                "InvalidBlobOrBlock",
                "The specified blob or block content is invalid: block ids of one blob must have the same length.",
            ));
        }
        if staged.len() >= MAX_STAGED && !staged.contains_key(id) {
            return Err(BlobError::new(
                409,
                "BlockCountExceedsLimit",
                "The uncommitted block count cannot exceed the maximum limit of 100,000 blocks.",
            ));
        }
        staged.insert(id.to_string(), extent);
        Ok(())
    }

    /// Put Block List: resolves each id in the staged or committed list, then commits.
    pub fn put_block_list(
        &self,
        container: &str,
        name: &str,
        list: &[(ListKind, String)],
        content_type: String,
        cond: &Conditions,
    ) -> Result<BlobMeta, BlobError> {
        if list.len() > MAX_BLOCKS {
            return Err(BlobError::new(
                409,
                "BlockListTooLong",
                "The block list may not contain more than 50,000 blocks.",
            ));
        }
        let blocks = {
            let index = self.index();
            let c = index
                .get(container)
                .ok_or_else(BlobError::container_not_found)?;
            let staged = c.staged.get(name);
            let committed = c.blobs.get(name).map(|b| &b.blocks);
            let find_staged = |id: &String| staged.and_then(|s| s.get(id)).cloned();
            let find_committed = |id: &String| {
                committed.and_then(|bs| bs.iter().find(|(i, _)| i == id).map(|(_, e)| e.clone()))
            };
            let mut blocks = Vec::with_capacity(list.len());
            for (kind, id) in list {
                let found = match kind {
                    ListKind::Uncommitted => find_staged(id),
                    ListKind::Committed => find_committed(id),
                    ListKind::Latest => find_staged(id).or_else(|| find_committed(id)),
                };
                let extent = found.ok_or_else(|| {
                    BlobError::new(
                        400,
                        "InvalidBlockList",
                        "The specified block list is invalid.",
                    )
                })?;
                blocks.push((id.clone(), extent));
            }
            blocks
        };
        self.commit(container, name, blocks, content_type, cond)
    }

    fn commit(
        &self,
        container: &str,
        name: &str,
        blocks: Vec<(String, Extent)>,
        content_type: String,
        cond: &Conditions,
    ) -> Result<BlobMeta, BlobError> {
        let size: u64 = blocks.iter().map(|(_, e)| e.len).sum();
        if size > self.max_blob {
            return Err(BlobError::new(
                413,
                "RequestBodyTooLarge",
                format!(
                    "The blob would be {size} bytes long, over this store's limit of {} bytes.",
                    self.max_blob
                ),
            ));
        }
        let mut index = self.index();
        let c = index
            .get_mut(container)
            .ok_or_else(BlobError::container_not_found)?;
        let existing = c.blobs.get(name);
        cond.check_write(existing.map(|b| b.meta.etag.as_str()))?;
        let now = SystemTime::now();
        let meta = BlobMeta {
            extents: blocks.iter().map(|(_, e)| e.clone()).collect(),
            size,
            etag: self.etag(),
            modified: now,
            created: existing.map_or(now, |b| b.meta.created),
            content_type,
        };
        let blocks = blocks
            .into_iter()
            .filter(|(id, _)| !id.is_empty())
            .collect();
        c.staged.remove(name); // a commit discards every uncommitted block of the blob
        c.blobs.insert(
            name.to_string(),
            Blob {
                meta: meta.clone(),
                blocks,
            },
        );
        Ok(meta)
    }

    /// Get Block List: the committed blocks in order and the staged ones (sorted by id), as
    /// `(id, size)`; 404 when the blob has neither (Azure answers a blob with only staged
    /// blocks, which is how an interrupted upload learns what it already sent).
    pub fn block_list(&self, container: &str, name: &str) -> Result<BlockListing, BlobError> {
        let index = self.index();
        let c = index
            .get(container)
            .ok_or_else(BlobError::container_not_found)?;
        let blob = c.blobs.get(name);
        let staged = c.staged.get(name).filter(|s| !s.is_empty());
        if blob.is_none() && staged.is_none() {
            return Err(BlobError::blob_not_found());
        }
        let mut uncommitted: Vec<(String, u64)> = staged
            .into_iter()
            .flatten()
            .map(|(id, e)| (id.clone(), e.len))
            .collect();
        uncommitted.sort();
        Ok(BlockListing {
            blob: blob.map(|b| b.meta.clone()),
            committed: blob
                .map(|b| b.blocks.iter().map(|(id, e)| (id.clone(), e.len)).collect())
                .unwrap_or_default(),
            uncommitted,
        })
    }

    pub fn blob(&self, container: &str, name: &str) -> Result<BlobMeta, BlobError> {
        let index = self.index();
        let c = index
            .get(container)
            .ok_or_else(BlobError::container_not_found)?;
        let b = c.blobs.get(name).ok_or_else(BlobError::blob_not_found)?;
        Ok(b.meta.clone())
    }

    pub fn delete_blob(
        &self,
        container: &str,
        name: &str,
        cond: &Conditions,
    ) -> Result<(), BlobError> {
        let removed = {
            let mut index = self.index();
            let c = index
                .get_mut(container)
                .ok_or_else(BlobError::container_not_found)?;
            let b = c.blobs.get(name).ok_or_else(BlobError::blob_not_found)?;
            cond.check_write(Some(&b.meta.etag))?;
            c.staged.remove(name);
            c.blobs.remove(name)
        };
        drop(removed); // files are removed outside the lock
        Ok(())
    }
}
