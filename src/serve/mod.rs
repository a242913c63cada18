//! The emulator of an Azure ML Studio (classic) web service (`spec/cli.md` "mlws serve"): the
//! experiment of the service documentation (`experiment.rs`) behind RRS (`rrs/`) and BES
//! (`bes/`), its swagger document, the service's error envelopes and checks, an optional API
//! Management layer (`apim/`), and a blob endpoint (`blobstore/`) so that batch jobs need no
//! other server. The same experiment can be served instead through the protocols of today's
//! model servers (`protocols/`: MLflow, Azure ML, v2, KServe v1; `adapters.md`). Fault
//! injection (`faults/`) and a request log (`reqlog.rs`) serve the tests of clients. `start`
//! binds, builds the router from these parts (`router.rs`, or `protocols::router`) and serves
//! it (`http/`, with its timeouts) until `Server::shutdown`. Uses `wire` and `blob`; never the
//! client, clap or the printer.

mod apim;
mod bes;
pub mod blobstore;
mod body;
mod errors;
mod experiment;
mod faults;
mod guard;
mod http;
mod protocols;
mod reqlog;
mod router;
mod rrs;
mod swagger;

pub use apim::{ApimConfig, CallLimit, Definition, Policy};
pub use bes::{BesConfig, DEFAULT_CONTAINER as BES_DEFAULT_CONTAINER, StatusStyle};
pub use experiment::FeatureHashing;
pub use faults::{Delay, FaultConfig};
pub use http::MIN_BODY_RATE;
pub use protocols::{MODEL_NAME, Protocol};
pub use reqlog::key_hash;

use crate::blob::ConnectionString;
use crate::secret::Secret;
use anyhow::{Context, Result};
use base64::Engine;
use blobstore::BlobStore;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, watch};

/// Who the emulated service is: its ids and keys.
#[derive(Debug, Clone)]
pub struct Identity {
    pub workspace: String,
    pub service: String,
    /// The endpoint's API key (`Authorization: Bearer`).
    pub api_key: Secret,
    /// The gateway's subscription key (`Ocp-Apim-Subscription-Key`), with a gateway only.
    pub subscription_key: Option<Secret>,
}

impl Identity {
    /// Given ids and keys, random ones for those not given: 32 lowercase hex ids like the real
    /// service's, an 88-character base64 API key, a 32 hex subscription key when `gateway`.
    pub fn new_or_random(
        workspace: Option<String>,
        service: Option<String>,
        api_key: Option<String>,
        subscription_key: Option<String>,
        gateway: bool,
    ) -> Result<Self> {
        let workspace = workspace.map_or_else(random_id, Ok)?;
        let service = service.map_or_else(random_id, Ok)?;
        let api_key = match api_key {
            Some(k) => k,
            None => base64::engine::general_purpose::STANDARD.encode(random_bytes::<64>()?),
        };
        let subscription_key = match (subscription_key, gateway) {
            (Some(k), _) => Some(k),
            (None, true) => Some(random_id()?),
            (None, false) => None,
        };
        Ok(Identity {
            workspace,
            service,
            api_key: Secret::new(api_key),
            subscription_key: subscription_key.map(Secret::new),
        })
    }
}

fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("cannot get random bytes from the operating system")?;
    Ok(b)
}

/// 32 lower-case hex digits from the operating system's random source.
fn random_id() -> Result<String> {
    Ok(random_bytes::<16>()?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Limits that protect the emulator from large or slow requests.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Request body limit: 4 MB, as the real service (`protocol.md` §3.6).
    pub max_body: usize,
    /// Body limit of a BES submit: a job description, not data.
    pub max_submit_body: usize,
    /// Most output cells (rows x 2^bits) one request may produce.
    pub max_cells: usize,
    /// Time to receive a whole request body (then 408).
    pub body_timeout: Duration,
    /// Time to receive a request's headers, and the idle time of a kept-alive connection.
    pub header_timeout: Duration,
    /// Every window this long, a request body must bring `MIN_BODY_RATE` bytes a second.
    pub read_timeout: Duration,
    /// How long writing an answer may make no progress (a client that reads nothing).
    pub write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: 4 * 1024 * 1024,
            max_submit_body: 1024 * 1024,
            max_cells: 50_000_000,
            body_timeout: Duration::from_secs(60),
            header_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(60),
        }
    }
}

/// The emulator's blob endpoint: one storage account.
#[derive(Debug, Clone)]
pub struct StorageConfig {
    /// 3-24 lower-case letters and digits; not `workspaces` (the service routes are there).
    pub account: String,
    /// The account key (base64).
    pub key: Secret,
    /// Where the store's private directory is made (removed when the emulator stops).
    pub dir: PathBuf,
    /// The largest blob (and request body) the store accepts.
    pub max_blob_size: u64,
}

impl StorageConfig {
    /// The account, `key` or a random 64-byte one, in `dir` or the system's temporary directory.
    pub fn new(
        account: &str,
        key: Option<String>,
        dir: Option<PathBuf>,
        max_blob_size: u64,
    ) -> Result<Self> {
        let key = match key {
            Some(k) => k,
            None => base64::engine::general_purpose::STANDARD.encode(random_bytes::<64>()?),
        };
        Ok(StorageConfig {
            account: account.to_string(),
            key: Secret::new(key),
            dir: dir.unwrap_or_else(std::env::temp_dir),
            max_blob_size,
        })
    }
}

/// Everything `start` needs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// `host:port`; port 0 picks a free one.
    pub listen: String,
    pub identity: Identity,
    /// Default "Hashing bitsize" and "N-grams" (requests may override them).
    pub experiment: FeatureHashing,
    /// Scoring calls in flight before 503 `RequestThrottled`.
    pub max_concurrency: usize,
    /// The API Management layer, when wanted.
    pub apim: Option<ApimConfig>,
    pub limits: Limits,
    pub storage: StorageConfig,
    pub bes: BesConfig,
    /// Faults to inject (none by default).
    pub faults: FaultConfig,
    /// Where to append the request log, when wanted.
    pub log: Option<PathBuf>,
    /// The protocol served: classic (RRS, BES, swagger, gateway, blobs) or another's routes.
    pub protocol: Protocol,
    /// Whether calls must bring `identity.api_key`: always for classic; for the others only
    /// when a key was given (their local servers have no auth, `adapters.md` §0).
    pub require_key: bool,
}

/// What the service's handlers share.
#[derive(Debug)]
pub struct ServiceState {
    pub identity: Identity,
    pub experiment: FeatureHashing,
    pub max_concurrency: usize,
    pub throttle: Arc<Semaphore>,
    pub limits: Limits,
    /// The batch service: job table and runner.
    pub bes: Arc<bes::Bes>,
    /// The fault generators.
    pub faults: faults::Faults,
}

/// A running emulator.
#[derive(Debug)]
pub struct Server {
    /// `http://host:port` of the listener.
    pub origin: String,
    /// Where clients point `--base-url`: the origin, plus `/{suffix}` behind the gateway.
    pub base_url: String,
    pub config: ServeConfig,
    /// The connection string of the emulator's blob endpoint (classic only).
    pub storage: Option<ConnectionString>,
    /// The batch service, to stop its jobs (classic only).
    bes: Option<Arc<bes::Bes>>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

/// Binds `config.listen` and starts serving in the background.
pub async fn start(config: ServeConfig) -> Result<Server> {
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on `{}`", config.listen))?;
    let addr = listener
        .local_addr()
        .context("cannot read the listening address")?;
    let origin = format!("http://{}", reachable(addr));
    let log = match &config.log {
        Some(path) => Some(Arc::new(reqlog::RequestLog::open(path)?)),
        None => None,
    };
    let App {
        app,
        base_url,
        storage,
        bes,
    } = match config.protocol {
        Protocol::Classic => classic(&config, &origin, reachable(addr), log)?,
        protocol => {
            let state = Arc::new(protocols::ProtocolState {
                protocol,
                experiment: config.experiment,
                max_concurrency: config.max_concurrency,
                throttle: Arc::new(Semaphore::new(config.max_concurrency)),
                limits: config.limits.clone(),
                faults: faults::Faults::new(config.faults.clone()),
                api_key: config.require_key.then(|| config.identity.api_key.clone()),
            });
            App {
                app: router::logged(protocols::router(state), log),
                base_url: origin.clone(),
                storage: None,
                bes: None,
            }
        }
    };
    let (stop, stopped) = watch::channel(false);
    let l = &config.limits;
    let timeouts = http::Timeouts {
        header: l.header_timeout,
        read: l.read_timeout,
        write: l.write_timeout,
    };
    let task = tokio::spawn(http::serve(listener, app, timeouts, stopped));
    Ok(Server {
        origin,
        base_url,
        config,
        storage,
        bes,
        stop,
        task,
    })
}

/// What `start` serves: the application, its base URL, and (classic only) the blob endpoint's
/// connection string and the batch service.
struct App {
    app: axum::Router,
    base_url: String,
    storage: Option<ConnectionString>,
    bes: Option<Arc<bes::Bes>>,
}

/// The classic service's application: service routes, gateway, blob endpoint.
fn classic(
    config: &ServeConfig,
    origin: &str,
    addr: SocketAddr,
    log: Option<Arc<reqlog::RequestLog>>,
) -> Result<App> {
    let base_url = match &config.apim {
        Some(a) => format!("{origin}/{}", a.suffix),
        None => origin.to_string(),
    };
    let s = &config.storage;
    let store = Arc::new(
        BlobStore::new(&s.account, s.key.clone(), &s.dir)
            .context("cannot set up the blob endpoint")?
            .with_max_blob_size(s.max_blob_size),
    );
    let storage = store.connection_string(addr);
    let bes = Arc::new(bes::Bes::new(config.bes.clone(), storage.clone()));
    let state = Arc::new(ServiceState {
        identity: config.identity.clone(),
        experiment: config.experiment,
        max_concurrency: config.max_concurrency,
        throttle: Arc::new(Semaphore::new(config.max_concurrency)),
        limits: config.limits.clone(),
        bes: bes.clone(),
        faults: faults::Faults::new(config.faults.clone()),
    });
    let gateway = config
        .apim
        .clone()
        .map(|a| apim::Gateway::new(a, &base_url, &config.identity))
        .transpose()
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("cannot set up the API Management layer")?;
    Ok(App {
        app: router::build(state, gateway, store, log)?,
        base_url,
        storage: Some(storage),
        bes: Some(bes),
    })
}

/// The address clients use: a wildcard bind is reached through loopback.
fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr {
        SocketAddr::V4(a) if a.ip().is_unspecified() => {
            SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, a.port()))
        }
        SocketAddr::V6(a) if a.ip().is_unspecified() => {
            SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, a.port()))
        }
        other => other,
    }
}

impl Server {
    /// The URL a client scores at (`mlws score --url`): the classic RRS `execute` operation, or
    /// the other protocol's scoring route.
    pub fn url(&self) -> String {
        match self.config.protocol.scoring_path() {
            Some(path) => format!("{}{path}", self.base_url),
            None => {
                let id = &self.config.identity;
                format!(
                    "{}/workspaces/{}/services/{}/execute?api-version=2.0",
                    self.base_url, id.workspace, id.service
                )
            }
        }
    }

    /// The one JSON line printed on start: what a client needs to call this emulator. It holds
    /// the emulator's own keys (API key, subscription key, storage account key), on purpose.
    /// The other protocols have no workspace, service or storage, and a key only when one was
    /// required.
    pub fn startup_line(&self) -> String {
        let id = &self.config.identity;
        let classic = self.config.protocol == Protocol::Classic;
        let mut line = serde_json::Map::new();
        line.insert("base_url".into(), self.base_url.clone().into());
        if classic {
            line.insert("workspace".into(), id.workspace.clone().into());
            line.insert("service".into(), id.service.clone().into());
        }
        if self.config.require_key {
            line.insert("api_key".into(), id.api_key.expose().into());
        }
        if self.config.apim.is_some()
            && let Some(k) = &id.subscription_key
        {
            line.insert("subscription_key".into(), k.expose().into());
        }
        if let Some(storage) = &self.storage {
            line.insert(
                "storage_connection_string".into(),
                storage.expose().expose().into(),
            );
        }
        line.insert("protocol".into(), self.config.protocol.name().into());
        line.insert("url".into(), self.url().into());
        serde_json::Value::Object(line).to_string()
    }

    /// Stops the batch jobs (they write no output), stops accepting connections and lets
    /// requests in progress finish (a few seconds at most).
    pub async fn shutdown(self) {
        if let Some(bes) = &self.bes {
            bes.stop_all();
        }
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_identity_looks_like_the_real_service() {
        let id = Identity::new_or_random(None, None, None, None, true).unwrap();
        for hex in [&id.workspace, &id.service] {
            assert_eq!(hex.len(), 32);
            assert!(
                hex.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
            );
        }
        let key = id.api_key.expose();
        assert_eq!(key.len(), 88);
        assert!(key.ends_with("=="));
        assert_eq!(id.subscription_key.unwrap().expose().len(), 32);
        let other = Identity::new_or_random(None, None, None, None, false).unwrap();
        assert_ne!(other.workspace, id.workspace);
        assert!(other.subscription_key.is_none());
    }

    #[test]
    fn given_ids_and_keys_are_kept() {
        let id = Identity::new_or_random(
            Some("w".into()),
            Some("s".into()),
            Some("k".into()),
            Some("sk".into()),
            false,
        )
        .unwrap();
        assert_eq!((id.workspace.as_str(), id.service.as_str()), ("w", "s"));
        assert!(id.api_key.ct_eq("k") && id.subscription_key.unwrap().ct_eq("sk"));
    }

    #[test]
    fn wildcard_binds_are_reached_through_loopback() {
        let a: SocketAddr = "0.0.0.0:80".parse().unwrap();
        assert_eq!(reachable(a).to_string(), "127.0.0.1:80");
        let b: SocketAddr = "[::]:80".parse().unwrap();
        assert_eq!(reachable(b).to_string(), "[::1]:80");
    }
}
