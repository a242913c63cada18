//! The summary `mlws serve` prints on stderr once it listens: where each route is, what the
//! experiment, limits and faults are (with the seed, so that a faulty run can be repeated).

use crate::blob::ConnectionString;
use crate::output::Printer;
use crate::serve::{self, CallLimit, FaultConfig, Protocol};

/// Prints the summary of `server`.
pub fn print(server: &serve::Server, printer: &Printer) {
    let c = &server.config;
    printer.info(format!("mlws serve: listening on {}", server.origin));
    match &server.storage {
        Some(storage) if c.protocol == Protocol::Classic => {
            classic_routes(server, storage, printer)
        }
        _ => {
            printer.info(format!("  protocol    {}", c.protocol.name()));
            for (what, route) in c.protocol.routes() {
                printer.info(format!("  {what:<11} {route}"));
            }
            printer.info(format!("  url         {}", server.url()));
            printer.info(if c.require_key {
                "  auth        Authorization: Bearer <api_key> required"
            } else {
                "  auth        none (give --api-key to require one)"
            });
        }
    }
    printer.info(format!(
        "  experiment  Feature Hashing of Col2: hashing bitsize {}, N-grams {}; at most {} scoring calls at once",
        c.experiment.bits, c.experiment.ngrams, c.max_concurrency
    ));
    let l = &c.limits;
    printer.info(format!(
        "  timeouts    headers {} s; bodies at least {} bytes a second over {} s windows; stalled writes {} s",
        l.header_timeout.as_secs_f64(),
        serve::MIN_BODY_RATE,
        l.read_timeout.as_secs_f64(),
        l.write_timeout.as_secs_f64()
    ));
    if c.faults.is_active() {
        printer.info(format!("  faults      {}", faults_line(&c.faults)));
    }
    if let Some(log) = &c.log {
        printer.info(format!("  log         {} (JSON lines)", log.display()));
    }
    if c.require_key {
        printer.info("  keys        in the JSON line on stdout");
    }
    printer.info("stop with Ctrl-C");
}

/// The classic service's routes, storage and gateway.
fn classic_routes(server: &serve::Server, storage: &ConnectionString, printer: &Printer) {
    let c = &server.config;
    let root = format!(
        "{}/workspaces/{}/services/{}",
        server.origin, c.identity.workspace, c.identity.service
    );
    printer.info(format!("  workspace   {}", c.identity.workspace));
    printer.info(format!("  service     {}", c.identity.service));
    printer.info(format!("  RRS         POST {root}/execute?api-version=2.0"));
    printer.info(format!(
        "  BES         POST {root}/jobs?api-version=2.0 (then start, status, delete)"
    ));
    printer.info(format!("  swagger     GET  {root}/swagger.json"));
    printer.info(format!(
        "  storage     {} (account `{}`, blobs up to {} bytes; outputs without an override go to container `{}`)",
        storage.blob_endpoint(),
        storage.account(),
        c.storage.max_blob_size,
        serve::BES_DEFAULT_CONTAINER
    ));
    if let Some(a) = &c.apim {
        let per = |l: &Option<CallLimit>| match l {
            Some(l) => format!("{} calls per {} s", l.calls, l.period.as_secs()),
            None => "none".into(),
        };
        printer.info(format!(
            "  gateway     {} (subscription key required; rate limit {}; quota {})",
            server.base_url,
            per(&a.rate_limit),
            per(&a.quota)
        ));
        if let Some(d) = &a.definition {
            printer.info(format!(
                "  operations  {} from the API definition; any other request gets 404",
                d.operation_count()
            ));
        }
        if !a.set_headers.is_empty() {
            let headers: Vec<String> = a
                .set_headers
                .iter()
                .map(|h| format!("{} ({:?})", h.name, h.action).to_lowercase())
                .collect();
            printer.info(format!("  policy      set-header {}", headers.join(", ")));
        }
        if !a.ignored.is_empty() {
            printer.note(format!(
                "the emulator does not run these statements of the policy: {}",
                a.ignored.join(", ")
            ));
        }
    }
}

/// `seed N: 503 10%, 429 5% (Retry-After 1 s), drop 2%, delay 10-50 ms, status 503 30%`.
pub fn faults_line(f: &FaultConfig) -> String {
    let pct = |x: f64| format!("{}%", (x * 1000.0).round() / 10.0);
    let mut parts = Vec::new();
    if f.unavailable > 0.0 {
        parts.push(format!("503 {}", pct(f.unavailable)));
    }
    if f.rate_limited > 0.0 {
        parts.push(format!(
            "429 {} (Retry-After {} s)",
            pct(f.rate_limited),
            f.retry_after
        ));
    }
    if f.dropped > 0.0 {
        parts.push(format!("drop {}", pct(f.dropped)));
    }
    if let Some(d) = f.delay {
        let (min, max) = (d.min.as_millis(), d.max.as_millis());
        parts.push(if min == max {
            format!("delay {min} ms")
        } else {
            format!("delay {min}-{max} ms")
        });
    }
    if f.status_unavailable > 0.0 {
        parts.push(format!("status 503 {}", pct(f.status_unavailable)));
    }
    format!("seed {}: {}", f.seed, parts.join(", "))
}
