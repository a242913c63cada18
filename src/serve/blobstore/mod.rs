//! The emulator's blob endpoint: the subset of the Azure Blob Storage REST protocol that the
//! client and the BES runner use (create container, put blob, put block, put and get block
//! list, get blob with ranges, blob properties, delete), path-style at
//! `http://ADDR/{account}/{container}/{blob...}`, with Azure's XML errors, checking Shared Key
//! signatures and service SAS tokens through the same code the client signs with
//! (`blob::auth`). Data lives in files of a private temporary directory (large blobs never sit
//! in memory); names never become file names. Knows nothing of BES or the rest of the emulator.

// Until `serve` mounts `router` and the BES runner mints SAS (issue 3), nothing calls in here.

mod error;
mod guard;
mod http;
mod store;
#[cfg(test)]
mod tests;

use crate::blob::ConnectionString;
use crate::secret::Secret;
use crate::wire::bes::BlobReference;
use anyhow::{Context as _, Result};
use axum::Router;
use axum::routing::any;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// One storage account's blobs.
pub struct BlobStore {
    account: String,
    key: Secret,
    store: store::Store,
    _dir: tempfile::TempDir,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobStore")
            .field("account", &self.account)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl BlobStore {
    /// A store for `account` (3-24 lower-case letters and digits) whose requests are signed with
    /// `key` (base64), keeping its data in a new temporary directory under `dir`, removed on drop.
    pub fn new(account: &str, key: Secret, dir: &Path) -> Result<Self> {
        // Validates the name and the key the way a client will read them.
        let endpoint = Url::parse("http://127.0.0.1/").expect("a static URL parses");
        ConnectionString::with_key(account, key.clone(), endpoint)?;
        std::fs::create_dir_all(dir).with_context(|| {
            format!("cannot create the blob store directory `{}`", dir.display())
        })?;
        let tmp = tempfile::Builder::new()
            .prefix("mlws-blobs-")
            .tempdir_in(dir)
            .with_context(|| format!("cannot create a directory in `{}`", dir.display()))?;
        Ok(BlobStore {
            account: account.to_string(),
            key,
            store: store::Store::new(tmp.path()),
            _dir: tmp,
        })
    }

    /// Caps the size of every blob, block and request body at `max` bytes (Azure's own limits
    /// still apply below it).
    pub fn with_max_blob_size(mut self, max: u64) -> Self {
        self.store.set_max_blob(max);
        self
    }

    pub fn account(&self) -> &str {
        &self.account
    }

    fn key(&self) -> &Secret {
        &self.key
    }

    /// The blob endpoint when served at `addr`: `http://ADDR/{account}`.
    pub fn blob_endpoint(&self, addr: SocketAddr) -> Url {
        Url::parse(&format!("http://{addr}/{}", self.account))
            .expect("an address and an account make a URL")
    }

    /// The connection string of this store served at `addr` (`BlobEndpoint=http://ADDR/{account}`).
    /// `.expose()` gives the text for the start-up line.
    pub fn connection_string(&self, addr: SocketAddr) -> ConnectionString {
        ConnectionString::with_key(&self.account, self.key.clone(), self.blob_endpoint(addr))
            .expect("the account and key were checked by BlobStore::new")
    }

    /// A read-only SAS reference to `container/blob` of this store served at `addr`, valid for
    /// `ttl`, in the shape BES returns in `Results` (`BaseLocation` with a trailing slash,
    /// `RelativeLocation`, `SasBlobToken` starting with `?`).
    pub fn read_sas(
        &self,
        addr: SocketAddr,
        container: &str,
        blob: &str,
        ttl: Duration,
    ) -> Result<BlobReference> {
        crate::blob::sas_reference(&self.connection_string(addr), container, blob, ttl)
    }
}

/// The routes of `store`: everything under `/{account}/`, to be merged into the emulator's router.
pub fn router(store: Arc<BlobStore>) -> Router {
    let path = format!("/{}/{{*rest}}", store.account());
    Router::new()
        .route(&path, any(http::handle))
        .with_state(store)
}
