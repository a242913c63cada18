//! The typed REST client of an ML Studio (classic) web service (`protocol.md` §1–§6): RRS
//! execute (`rrs.rs`) and the BES job operations (`bes.rs`), all going through one private
//! [`Client::send`] choke point that sets the auth headers and timeouts, parses error envelopes
//! into `ApiError` (`envelope.rs`) and applies the retry policy (`retry.rs`). Concurrent callers
//! may pass a shared [`Limiter`] (`limiter.rs`) as a [`Gate`] carrying their order (the batch
//! index; waiting tries get slots lowest order first): each try then holds one of its slots,
//! and the client tells it which tries were throttled (429, 503) and which succeeded, so that
//! the number in flight follows what the service takes. Requests to a plain `http://` service
//! go over a lean HTTP/1.1 transport (`plain.rs`), all others through reqwest. It reports
//! retries and traces through a callback and keeps no secret in any of them (`trace.rs`). It
//! knows nothing of clap, the printer, progress bars or exit codes.

mod bes;
mod envelope;
mod limiter;
mod plain;
mod retry;

/// A wait as people read it (`750 ms`, `1.5s`, `2m 3s`), for retry notices.
pub use retry::show as show_wait;
mod rrs;
mod token;
mod trace;

pub use token::TokenSource;

pub use limiter::{Change, Gate, Limiter};
pub use retry::Backoff;

use crate::error::{ApiError, GaveUp};
use crate::secret::Secret;
use anyhow::{Context, Result};
use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue,
    USER_AGENT as USER_AGENT_HEADER,
};
use retry::{Decision, Failure};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use url::Url;

const USER_AGENT: &str = concat!("mlws/", env!("CARGO_PKG_VERSION"));

/// `Content-Type` of every request body (`protocol.md` §2, as the azmlclient sends it).
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// The API Management subscription key header (`protocol.md` §6.2).
pub const SUBSCRIPTION_KEY_HEADER: &str = "Ocp-Apim-Subscription-Key";
/// The Azure ML header that pins a deployment of an online endpoint (`spec/adapters.md` §2).
pub const DEPLOYMENT_HEADER: &str = "azureml-model-deployment";

/// Everything the client needs, resolved by the command layer.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The service root `.../workspaces/W/services/S` (no query, no trailing slash).
    pub root: Url,
    pub api_key: Option<Secret>,
    pub subscription_key: Option<Secret>,
    pub api_version: String,
    /// Time limit of each request (connect + answer + body).
    pub timeout: Duration,
    /// How many times a failed request is retried (429 waits are counted apart).
    pub retries: u32,
    /// Time limit of one operation, all its tries and waits included.
    pub deadline: Option<Duration>,
    /// Build requests but never send them (`describe_request` shows them instead).
    pub dry_run: bool,
    pub backoff: Backoff,
    /// Highest `ClientEvent::Trace` level wanted (0: none); higher ones are not even built.
    pub trace_level: u8,
    /// Extra request headers (`--header`), whose values are secrets.
    pub headers: Vec<(String, Secret)>,
    /// `--deployment`: sent as `azureml-model-deployment`.
    pub deployment: Option<String>,
    /// A model server that answers an exception in the model with 500 (`spec/adapters.md`
    /// "Bad rows"): a 500 that repeats when tried once more is the model refusing the data.
    pub refuses_with_500: bool,
    /// The service is a model server (not a classic service): errors name its URL.
    pub model_server: bool,
    /// `--token-command`: bearer tokens from a command, instead of `api_key`.
    pub token: Option<Arc<TokenSource>>,
}

impl ClientOptions {
    /// Options with the defaults of the command line (timeout 100 s, 5 retries, no deadline).
    pub fn new(root: Url) -> Self {
        ClientOptions {
            root,
            api_key: None,
            subscription_key: None,
            api_version: "2.0".into(),
            timeout: Duration::from_secs(100),
            retries: 5,
            deadline: None,
            dry_run: false,
            backoff: Backoff::default(),
            trace_level: 0,
            headers: vec![],
            deployment: None,
            refuses_with_500: false,
            model_server: false,
            token: None,
        }
    }
}

/// What the client reports while it works; the command decides how to show it.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent {
    /// A request failed and will be tried again after `wait`. `attempt` is the number of the
    /// coming try (2 for the first retry); `reason` names the operation and the failure.
    Retry {
        attempt: u32,
        wait: Duration,
        reason: String,
    },
    /// A verbose trace line: level 1 requests and answers, 2 headers, 3 bodies. Secrets masked.
    Trace { level: u8, line: String },
}

/// Counters over the client's life, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// Requests put on the wire (every try counts).
    pub requests: u64,
    /// Tries that followed a failure.
    pub retries: u64,
    /// Answers that said the service or the gateway was throttling (429, 503).
    pub throttled: u64,
}

type EventSink = Arc<dyn Fn(ClientEvent) + Send + Sync>;

/// The client. Cheap to clone: one `reqwest::Client` and one lean transport (a connection pool
/// each) per run.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// The transport of plain-HTTP requests to the root's host (`plain.rs`), when it serves.
    plain: Option<plain::Plain>,
    opts: ClientOptions,
    on_event: EventSink,
    /// Our own headers, secrets included (marked sensitive), sent with every request.
    headers: HeaderMap,
    requests: AtomicU64,
    retries: AtomicU64,
    throttled: AtomicU64,
}

/// Whether a request may be sent again once it may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replay {
    /// Repeating it does no harm (scoring, status, start, delete).
    Always,
    /// Only when it surely was not acted on: connect errors, or a gateway 429 (a job submit).
    OnlyUnsent,
}

/// One logical operation handed to [`Client::send`].
struct Call<'a> {
    method: Method,
    url: Url,
    body: Option<Bytes>,
    /// Domain phrase for messages: "scoring input lines 2-1001", "submitting the job".
    what: &'a str,
    /// The body's `Content-Type` (POST only).
    content_type: &'static str,
    replay: Replay,
    /// An error that, met on a retry, means an earlier try did the work (a job already
    /// started, already deleted).
    done_if_retried: Option<fn(&ApiError) -> bool>,
    /// The gate each try must pass, shared with the other requests of a run.
    gate: Option<Gate<'a>>,
}

/// A 2xx answer.
struct Answer {
    body: Bytes,
}

impl Client {
    pub fn new(opts: ClientOptions, on_event: EventSink) -> Result<Self> {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let (Some(key), None) = (&opts.api_key, &opts.token) {
            let mut v =
                HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| {
                    crate::usage!("the API key holds characters that cannot go in an HTTP header")
                })?;
            v.set_sensitive(true);
            headers.insert(AUTHORIZATION, v);
        }
        if let Some(key) = &opts.subscription_key {
            let mut v = HeaderValue::from_str(key.expose()).map_err(|_| {
                crate::usage!(
                    "the subscription key holds characters that cannot go in an HTTP header"
                )
            })?;
            v.set_sensitive(true);
            headers.insert(HeaderName::from_static("ocp-apim-subscription-key"), v);
        }
        if let Some(d) = &opts.deployment {
            let v = HeaderValue::from_str(d).map_err(|_| {
                crate::usage!("`--deployment` holds characters that cannot go in an HTTP header")
            })?;
            headers.insert(HeaderName::from_static(DEPLOYMENT_HEADER), v);
        }
        for (name, value) in &opts.headers {
            let n = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| crate::usage!("`{name}` given to `--header` is not a header name"))?;
            let mut v = HeaderValue::from_str(value.expose()).map_err(|_| {
                crate::usage!(
                    "the value of header `{name}` holds characters that cannot go in an HTTP header"
                )
            })?;
            v.set_sensitive(true);
            headers.insert(n, v);
        }
        let connect_timeout = opts.timeout.min(Duration::from_secs(30));
        let plain = plain::Plain::new(&opts.root, connect_timeout);
        let mut http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(connect_timeout)
            .tcp_nodelay(true)
            .pool_max_idle_per_host(256);
        if opts.root.scheme() == "http" {
            // No TLS to verify (all requests go to the root): loading the system's root
            // certificates would cost milliseconds at every start, much of a short run against
            // a local service. (A redirect to https would fail verification.)
            http = http.tls_certs_only([]);
        }
        let http = http.build().context("cannot set up the HTTP client")?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                plain,
                opts,
                on_event,
                headers,
                requests: AtomicU64::new(0),
                retries: AtomicU64::new(0),
                throttled: AtomicU64::new(0),
            }),
        })
    }

    pub fn stats(&self) -> ClientStats {
        ClientStats {
            requests: self.inner.requests.load(Ordering::Relaxed),
            retries: self.inner.retries.load(Ordering::Relaxed),
            throttled: self.inner.throttled.load(Ordering::Relaxed),
        }
    }

    /// `{root}/{segments...}?api-version=V` plus `extra` query pairs.
    fn url(&self, segments: &[&str], extra: &[(&str, &str)]) -> Url {
        let mut url = self.inner.opts.root.clone();
        url.path_segments_mut()
            .expect("the service root is an http(s) URL")
            .pop_if_empty()
            .extend(segments);
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("api-version", &self.inner.opts.api_version);
            for (k, v) in extra {
                q.append_pair(k, v);
            }
        }
        url
    }

    fn emit(&self, event: ClientEvent) {
        (self.inner.on_event)(event);
    }

    /// The choke point: every request of the client goes through here, tried again as the
    /// policy of `retry.rs` says, within the per-operation deadline (which bounds every wait:
    /// for a slot of the gate, for `Retry-After`, for backoff).
    async fn send(&self, call: Call<'_>) -> Result<Answer> {
        let opts = &self.inner.opts;
        if opts.dry_run {
            anyhow::bail!("{} was not sent: this is a dry run", call.what);
        }
        let started = Instant::now();
        let deadline = opts.deadline.map(|d| started + d);
        let mut state = retry::State::default();
        let mut token_refreshed = false;
        loop {
            state.attempt += 1;
            let (outcome, generation) = self.gated_attempt(&call, deadline, &state).await?;
            let failure = match outcome {
                Ok(answer) => return Ok(answer),
                Err(f) => f,
            };
            // A 401 to a token of `--token-command`: one new token, and the call again at once.
            if let (Failure::Status(e), Some(token), Some(generation)) =
                (&failure, &opts.token, generation)
                && e.status == 401
                && !token_refreshed
            {
                token_refreshed = true;
                token.refused(generation).await;
                self.trace(1, || format!("{}: 401, fetching a new token", call.what));
                continue;
            }
            if let (Failure::Status(e), Some(done)) = (&failure, call.done_if_retried)
                && state.attempt > 1
                && done(e)
            {
                self.trace(1, || {
                    format!("{}: done by an earlier try ({})", call.what, e)
                });
                return Ok(Answer { body: Bytes::new() });
            }
            let wait = match retry::decide(&failure, call.replay, &mut state, opts) {
                Decision::Stop => return Err(self.give_up(&call, failure, &state, started)),
                Decision::Wait(wait) => wait,
            };
            if let Some(deadline) = deadline
                && Instant::now() + wait >= deadline
            {
                return Err(self.past_deadline(&call, &state, Some(wait), Some(&failure)));
            }
            self.inner.retries.fetch_add(1, Ordering::Relaxed);
            self.emit(ClientEvent::Retry {
                attempt: state.attempt + 1,
                wait,
                reason: self.scrub(&format!("{}: {}", call.what, failure.describe())),
            });
            tokio::time::sleep(wait).await;
        }
    }

    /// One try, through the gate when the call has one: waits for a slot (within the
    /// deadline), then tells the gate whether the service throttled the try.
    async fn gated_attempt(
        &self,
        call: &Call<'_>,
        deadline: Option<Instant>,
        state: &retry::State,
    ) -> Result<(Result<Answer, Failure>, Option<u64>)> {
        let permit = match (call.gate, deadline) {
            (None, _) => None,
            (Some(gate), None) => Some(gate.acquire().await),
            (Some(gate), Some(d)) => {
                let at = tokio::time::Instant::from_std(d);
                match tokio::time::timeout_at(at, gate.acquire()).await {
                    Ok(p) => Some(p),
                    Err(_) => return Err(self.past_deadline(call, state, None, None)),
                }
            }
        };
        let token = match &self.inner.opts.token {
            Some(t) => Some(t.get().await?),
            None => None,
        };
        let generation = token.as_ref().map(|(_, g)| *g);
        let outcome = self.attempt(call, deadline, token.map(|(t, _)| t)).await;
        let throttled = outcome.as_ref().is_err_and(Failure::is_throttling);
        if throttled {
            self.inner.throttled.fetch_add(1, Ordering::Relaxed);
        }
        let change = match permit {
            Some(p) if throttled => p.throttled(),
            Some(p) if outcome.is_ok() => p.succeeded(),
            _ => None,
        };
        match change {
            Some(Change::Lowered { from, to }) => self.trace(1, || {
                format!("the service is throttling: requests in flight lowered from {from} to {to}")
            }),
            Some(Change::Raised { to }) => {
                self.trace(2, || format!("requests in flight raised to {to}"))
            }
            None => {}
        }
        Ok((outcome, generation))
    }

    /// The error of an operation whose next step would pass its deadline (exit 7): the wait
    /// before the next try (after `last`), or for a slot of the gate (`last` is `None`).
    fn past_deadline(
        &self,
        call: &Call<'_>,
        state: &retry::State,
        wait: Option<Duration>,
        last: Option<&Failure>,
    ) -> anyhow::Error {
        let opts = &self.inner.opts;
        let limit = crate::error::human(opts.deadline.unwrap_or_default());
        // `state.attempt` counts the try about to be made when waiting for a slot.
        let made = state.attempt - u32::from(wait.is_none());
        let tries = match made {
            0 => " before its first try".to_string(),
            1 => " after 1 try".to_string(),
            n => format!(" after {n} tries"),
        };
        let mut message = match wait {
            Some(w) => format!(
                "gave up {}{tries}: the next one (in {}) would pass the time limit of {limit}",
                call.what,
                retry::show(w)
            ),
            None => format!(
                "gave up {}{tries}: no slot for a request came free within the time limit of {limit} (the service was throttling)",
                call.what
            ),
        };
        if let Some(f) = last {
            message.push_str(&format!("; the last failure: {}", f.describe()));
        }
        anyhow::Error::new(GaveUp {
            message: self.scrub(&message),
            timed_out: true,
        })
    }

    /// One try on the wire.
    async fn attempt(
        &self,
        call: &Call<'_>,
        deadline: Option<Instant>,
        token: Option<Secret>,
    ) -> Result<Answer, Failure> {
        let opts = &self.inner.opts;
        let mut timeout = opts.timeout;
        if let Some(d) = deadline {
            timeout = timeout.min(d.saturating_duration_since(Instant::now()));
        }
        let mut headers = self.inner.headers.clone();
        if let Some(t) = token
            && let Ok(mut v) = HeaderValue::from_str(&format!("Bearer {}", t.expose()))
        {
            v.set_sensitive(true);
            headers.insert(AUTHORIZATION, v);
        }
        let body = call.body.clone().unwrap_or_default();
        let has_body = call.method == Method::POST;
        if has_body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(call.content_type));
        }
        self.trace_request(call, &body, has_body);
        self.inner.requests.fetch_add(1, Ordering::Relaxed);
        let t0 = Instant::now();
        let mut reply = None;
        let plain = self.inner.plain.as_ref();
        if let Some((plain, target)) = plain.and_then(|p| Some((p, p.target(&call.url)?))) {
            // reqwest's client adds it; the lean transport sends what it is given.
            headers.insert(USER_AGENT_HEADER, HeaderValue::from_static(USER_AGENT));
            let r = plain
                .send(&call.method, &target, &headers, body.clone(), timeout)
                .await?;
            // A redirect is followed by reqwest, as for every other request.
            if !r.status.is_redirection() {
                reply = Some((r.status, r.headers, r.body));
            }
        }
        let (status, headers, answer) = match reply {
            Some(r) => r,
            None => {
                let mut req = self
                    .inner
                    .http
                    .request(call.method.clone(), call.url.clone())
                    .headers(headers)
                    .timeout(timeout);
                if has_body {
                    req = req.body(body);
                }
                let resp = req.send().await.map_err(Failure::network)?;
                let status = resp.status();
                let headers = resp.headers().clone();
                let answer = resp.bytes().await.map_err(Failure::network)?;
                (status, headers, answer)
            }
        };
        self.trace_answer(call, status, &headers, &answer, t0.elapsed());
        if status.is_success() {
            return Ok(Answer { body: answer });
        }
        let mut e = envelope::api_error(status.as_u16(), &headers, &answer, call.what);
        if opts.model_server {
            e.endpoint = Some(crate::secret::mask_secrets(call.url.as_str()));
        }
        Err(Failure::Status(e))
    }

    /// The error to return when the policy says stop.
    fn give_up(
        &self,
        call: &Call<'_>,
        failure: Failure,
        state: &retry::State,
        started: Instant,
    ) -> anyhow::Error {
        let tries = state.attempt;
        let failure = match failure {
            Failure::Status(mut e) => {
                e.refused = retry::refused(&e, tries, &self.inner.opts);
                Failure::Status(e)
            }
            other => other,
        };
        match failure {
            Failure::Status(e) if e.refused => anyhow::Error::new(e),
            Failure::Status(e) if tries > 1 => anyhow::Error::new(e).context(format!(
                "gave up {} after {tries} tries in {}",
                call.what,
                retry::show(started.elapsed())
            )),
            Failure::Status(e) => anyhow::Error::new(e),
            Failure::Network {
                error,
                timed_out,
                sent,
            } => {
                let why = if call.replay == Replay::OnlyUnsent && sent {
                    "; it was not tried again because the service may have received it (a second try could act twice)".to_string()
                } else if tries > 1 {
                    format!(" (after {tries} tries)")
                } else {
                    String::new()
                };
                anyhow::Error::new(GaveUp {
                    message: self.scrub(&format!(
                        "{} failed: {}{why}",
                        call.what,
                        retry::network_text(&error, timed_out, self.inner.opts.timeout)
                    )),
                    timed_out,
                })
            }
        }
    }
}

#[cfg(test)]
mod fault_tests;
#[cfg(test)]
mod tests;
