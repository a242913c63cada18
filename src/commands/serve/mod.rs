//! `mlws serve`: turns the flags into a `ServeConfig`, starts the emulator, prints ONE JSON line
//! on stdout (what a client needs: base URL, ids, keys, storage connection string, protocol and
//! scoring URL) and a summary on stderr (`summary.rs`, with the fault seed, so a faulty run can
//! be repeated), then serves until Ctrl-C or SIGTERM and stops gracefully. The global
//! `--protocol` picks the routes (classic by default); `--workspace`, `--service`, `--api-key`
//! and `--subscription-key` set the emulator's identity (flags only, not env or profile, so a
//! client's settings never leak into the server). The flags are checked in `checks.rs`.

mod checks;
mod summary;

use crate::cli::{GlobalArgs, ServeArgs};
use crate::output::Printer;
use crate::serve::{
    self, ApimConfig, CallLimit, Definition, FeatureHashing, Identity, Policy, Protocol,
    ServeConfig,
};
use crate::usage;
use anyhow::{Context, Result};
use checks::{checked_id, checked_key};
use std::io::Write;

pub async fn run(g: &GlobalArgs, args: ServeArgs, printer: &Printer) -> Result<()> {
    let config = config(g, args)?;
    // Watching for signals before the start-up line: whoever reads it may stop us at once.
    let stop = StopSignal::watch()?;
    let server = serve::start(config).await?;
    print_line(&server.startup_line())?;
    summary::print(&server, printer);
    stop.wait().await?;
    printer.info("mlws serve: stopping");
    server.shutdown().await;
    Ok(())
}

/// The emulator's settings from the flags; every problem is a usage error.
fn config(g: &GlobalArgs, args: ServeArgs) -> Result<ServeConfig> {
    if args.max_concurrency == 0 {
        return Err(usage!("`--max-concurrency` must be at least 1"));
    }
    let protocol = checks::protocol(g.protocol, &args)?;
    let limit = |flag: &str, v: Option<String>| -> Result<Option<CallLimit>> {
        v.map(|s| s.parse().map_err(|e| usage!("`{flag}`: {e}")))
            .transpose()
    };
    let apim = args
        .apim_suffix
        .as_deref()
        .map(|s| {
            ApimConfig::new(
                s,
                limit("--rate-limit", args.rate_limit.clone())?,
                limit("--quota", args.quota.clone())?,
            )
            .map_err(|e| usage!("`--apim-suffix`: {e}"))
        })
        .transpose()?;
    let apim = apim.map(|a| apim_files(a, &args)).transpose()?;
    let storage = checks::storage(&args, apim.as_ref())?;
    let bes = checks::bes(&args)?;
    let limits = checks::limits(&args)?;
    let faults = checks::faults(&args)?;
    let api_key = checked_key("--api-key", &g.api_key)?;
    // Only the classic service always wants a key; the others' local servers have none.
    let require_key = protocol == Protocol::Classic || api_key.is_some();
    let identity = Identity::new_or_random(
        checked_id("--workspace", &g.workspace)?,
        checked_id("--service", &g.service)?,
        api_key,
        checked_key("--subscription-key", &g.subscription_key)?,
        apim.is_some(),
    )?;
    Ok(ServeConfig {
        listen: args.listen,
        identity,
        experiment: FeatureHashing {
            bits: args.bits,
            ngrams: args.ngrams,
        },
        max_concurrency: args.max_concurrency,
        apim,
        limits,
        storage,
        bes,
        faults,
        log: args.log,
        protocol,
        require_key,
    })
}

/// The gateway built from `--apim-definition` and `--apim-policy`, when given.
fn apim_files(mut apim: ApimConfig, args: &ServeArgs) -> Result<ApimConfig> {
    let read = |flag: &str, path: &std::path::Path| {
        std::fs::read(path).map_err(|e| usage!("`{flag}`: cannot read `{}`: {e}", path.display()))
    };
    if let Some(path) = &args.apim_definition {
        let definition = Definition::parse(&read("--apim-definition", path)?)
            .map_err(|e| usage!("`--apim-definition`: `{}`: {e}", path.display()))?;
        apim = apim.with_definition(definition);
    }
    if let Some(path) = &args.apim_policy {
        let bad = |e: String| usage!("`--apim-policy`: `{}`: {e}", path.display());
        let text =
            String::from_utf8(read("--apim-policy", path)?).map_err(|_| bad("not UTF-8".into()))?;
        let policy = Policy::parse(&text).map_err(bad)?;
        apim = apim.with_policy(&policy).map_err(bad)?;
    }
    Ok(apim)
}

/// The start-up line, flushed at once: scripts and tests read it to find the emulator.
fn print_line(line: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{line}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write the start-up line to stdout")
        }
        _ => Ok(()),
    }
}

/// Ctrl-C, or SIGTERM where there is one, watched from creation on.
struct StopSignal {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignal {
    fn watch() -> Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(StopSignal {
                interrupt: signal(SignalKind::interrupt()).context("cannot watch for Ctrl-C")?,
                terminate: signal(SignalKind::terminate()).context("cannot watch for SIGTERM")?,
            })
        }
        #[cfg(not(unix))]
        Ok(StopSignal {})
    }

    /// Resolves on the first of the signals.
    async fn wait(self) -> Result<()> {
        #[cfg(unix)]
        {
            let StopSignal {
                mut interrupt,
                mut terminate,
            } = self;
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        }
        #[cfg(not(unix))]
        tokio::signal::ctrl_c()
            .await
            .context("cannot watch for Ctrl-C")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use crate::serve::{BesConfig, StatusStyle};
    use clap::Parser;
    use std::time::Duration;

    fn parse(args: &[&str]) -> Result<ServeConfig> {
        let cli = Cli::try_parse_from(args).unwrap();
        let Command::Serve(s) = cli.command else {
            panic!("not serve")
        };
        config(&cli.global, s)
    }

    #[test]
    fn flags_make_the_config() {
        let c = parse(&[
            "mlws",
            "serve",
            "--workspace",
            "ws1",
            "--api-key",
            "k==",
            "--apim-suffix",
            "demo",
            "--rate-limit",
            "2/60",
            "--bits",
            "4",
        ])
        .unwrap();
        assert_eq!(c.identity.workspace, "ws1");
        assert_eq!(c.identity.service.len(), 32);
        assert!(c.identity.api_key.ct_eq("k=="));
        assert_eq!(
            c.identity.subscription_key.as_ref().unwrap().expose().len(),
            32
        );
        let a = c.apim.unwrap();
        assert_eq!(
            (a.suffix.as_str(), a.rate_limit.unwrap().calls),
            ("demo", 2)
        );
        assert_eq!(c.experiment, FeatureHashing { bits: 4, ngrams: 2 });
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        for args in [
            &["mlws", "serve", "--max-concurrency", "0"][..],
            &["mlws", "serve", "--apim-suffix", "x", "--rate-limit", "5"],
            &["mlws", "serve", "--apim-suffix", "x", "--quota", "0/10"],
            &["mlws", "serve", "--apim-suffix", "a b"],
            &["mlws", "serve", "--workspace", "a/b"],
            &["mlws", "serve", "--api-key", "@key.txt"],
            &["mlws", "serve", "--subscription-key", "has space"],
            &["mlws", "serve", "--storage-account", "workspaces"],
            &["mlws", "serve", "--storage-account", "Upper"],
            &[
                "mlws",
                "serve",
                "--apim-suffix",
                "acct1/x",
                "--storage-account",
                "acct1",
            ],
            &["mlws", "serve", "--storage-key", "not base64!"],
            &["mlws", "serve", "--max-blob-size", "0"],
            &["mlws", "serve", "--max-blob-size", "5X"],
            &["mlws", "serve", "--job-delay=-1"],
            &["mlws", "serve", "--job-delay", "NaN"],
            &["mlws", "serve", "--fault-503", "1.5"],
            &["mlws", "serve", "--fault-503", "0.6", "--fault-429", "0.5"],
            &["mlws", "serve", "--fault-drop=-0.1"],
            &["mlws", "serve", "--fault-delay", "50-5"],
            &["mlws", "serve", "--fault-delay", "soon"],
            &["mlws", "serve", "--read-timeout", "0"],
            &["mlws", "serve", "--header-timeout", "NaN"],
            &["mlws", "serve", "--write-timeout", "100000"],
            &[
                "mlws",
                "--protocol",
                "mlflow",
                "serve",
                "--apim-suffix",
                "x",
            ],
            &[
                "mlws",
                "serve",
                "--protocol",
                "v2",
                "--fault-status-503",
                "0.1",
            ],
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!(
                crate::error::exit_status(&e),
                crate::error::ExitStatus::Usage,
                "{args:?}: {e}"
            );
        }
    }

    #[test]
    fn the_global_protocol_picks_the_routes_and_whether_a_key_is_needed() {
        let c = parse(&["mlws", "serve"]).unwrap();
        assert_eq!((c.protocol, c.require_key), (Protocol::Classic, true));
        let c = parse(&["mlws", "--protocol", "classic", "serve"]).unwrap();
        assert_eq!(c.protocol, Protocol::Classic);
        for (name, protocol) in [
            ("mlflow", Protocol::Mlflow),
            ("azureml", Protocol::Azureml),
            ("v2", Protocol::V2),
            ("kserve-v1", Protocol::KserveV1),
        ] {
            let c = parse(&["mlws", "serve", "--protocol", name]).unwrap();
            assert_eq!((c.protocol, c.require_key), (protocol, false), "{name}");
        }
        let c = parse(&["mlws", "serve", "--protocol", "v2", "--api-key", "k1"]).unwrap();
        assert!(c.require_key && c.identity.api_key.ct_eq("k1"));
        let e = parse(&[
            "mlws",
            "--protocol",
            "azureml",
            "serve",
            "--apim-suffix",
            "x",
        ])
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("only with `--protocol classic`, not `azureml`"),
            "{e}"
        );
    }

    #[test]
    fn an_exported_api_and_policy_make_the_gateway() {
        use crate::apim::policy::{Limit, xml};
        let dir = tempfile::tempdir().unwrap();
        let url = url::Url::parse("http://h/workspaces/w/services/s").unwrap();
        let doc = crate::apim::document(&crate::apim::Export {
            kind: crate::protocol::Kind::Classic,
            url: &url,
            title: None,
            schema: None,
            deployment: None,
        })
        .unwrap();
        let api = dir.path().join("api.json");
        std::fs::write(&api, serde_json::to_vec(&doc).unwrap()).unwrap();
        let policy = dir.path().join("policy.xml");
        std::fs::write(&policy, xml(Some(Limit { calls: 2, secs: 60 }), None)).unwrap();
        let (api, policy) = (api.to_str().unwrap(), policy.to_str().unwrap());
        let gw = ["mlws", "serve", "--apim-suffix", "ml"];
        let with = |more: &[&str]| parse(&[&gw[..], more].concat());
        let a = with(&["--apim-definition", api, "--apim-policy", policy])
            .unwrap()
            .apim
            .unwrap();
        assert_eq!(a.definition.unwrap().operation_count(), 5);
        assert_eq!(a.rate_limit.unwrap().calls, 2);
        assert_eq!(a.set_headers.len(), 2);
        for bad in [
            &["--apim-definition", policy][..],
            &["--apim-policy", api],
            &["--apim-definition", "/no/such/api.json"],
            &["--apim-policy", policy, "--rate-limit", "1/1"],
        ] {
            let e = with(bad).unwrap_err();
            assert_eq!(
                crate::error::exit_status(&e),
                crate::error::ExitStatus::Usage,
                "{bad:?}: {e}"
            );
        }
    }

    #[test]
    fn storage_and_batch_flags_make_the_config() {
        let c = parse(&["mlws", "serve"]).unwrap();
        assert_eq!(c.storage.account, "mlwsemulator");
        assert_eq!(c.storage.key.expose().len(), 88, "a random 64-byte key");
        assert_eq!(c.storage.max_blob_size, 4 << 30);
        assert_eq!(c.storage.dir, std::env::temp_dir());
        assert_eq!(c.bes, BesConfig::default());
        let c = parse(&[
            "mlws",
            "serve",
            "--storage-account",
            "acct2",
            "--storage-key",
            "a2V5",
            "--blob-dir",
            "/var/tmp",
            "--max-blob-size",
            "512M",
            "--bes-status-style",
            "legacy",
            "--job-delay",
            "1.5",
        ])
        .unwrap();
        assert_eq!(
            (c.storage.account.as_str(), c.storage.key.expose()),
            ("acct2", "a2V5")
        );
        assert_eq!(c.storage.dir, std::path::PathBuf::from("/var/tmp"));
        assert_eq!(c.storage.max_blob_size, 512 << 20);
        assert_eq!(c.bes.status_style, StatusStyle::Legacy);
        assert_eq!(c.bes.job_delay, std::time::Duration::from_millis(1500));
    }

    #[test]
    fn fault_timeout_and_log_flags_make_the_config() {
        let c = parse(&["mlws", "serve"]).unwrap();
        assert!(!c.faults.is_active() && c.log.is_none());
        assert_eq!(c.limits.read_timeout, Duration::from_secs(30));
        let other = parse(&["mlws", "serve"]).unwrap();
        assert_ne!(c.faults.seed, other.faults.seed, "a random seed each run");
        let c = parse(&[
            "mlws",
            "serve",
            "--fault-seed",
            "42",
            "--fault-503",
            "0.1",
            "--fault-429",
            "0.05",
            "--fault-drop",
            "0.02",
            "--fault-delay",
            "10-50",
            "--fault-status-503",
            "0.3",
            "--fault-retry-after",
            "2",
            "--read-timeout",
            "1.5",
            "--header-timeout",
            "2",
            "--write-timeout",
            "3",
            "--log",
            "/tmp/x.jsonl",
        ])
        .unwrap();
        let f = &c.faults;
        assert_eq!((f.seed, f.unavailable, f.rate_limited), (42, 0.1, 0.05));
        assert_eq!(
            (f.dropped, f.status_unavailable, f.retry_after),
            (0.02, 0.3, 2)
        );
        assert_eq!(f.delay.unwrap().max, Duration::from_millis(50));
        assert_eq!(
            summary::faults_line(f),
            "seed 42: 503 10%, 429 5% (Retry-After 2 s), drop 2%, delay 10-50 ms, status 503 30%"
        );
        let l = &c.limits;
        assert_eq!(l.read_timeout, Duration::from_millis(1500));
        assert_eq!(l.header_timeout, Duration::from_secs(2));
        assert_eq!(l.write_timeout, Duration::from_secs(3));
        assert_eq!(l.max_body, 4 << 20, "the other limits keep their defaults");
        assert_eq!(c.log.unwrap(), std::path::PathBuf::from("/tmp/x.jsonl"));
    }
}
