//! `mlws serve`: turns the flags into a `ServeConfig`, starts the emulator, prints ONE JSON line
//! on stdout (what a client needs: base URL, ids, keys) and a summary on stderr, then serves
//! until Ctrl-C or SIGTERM and stops gracefully. The global `--workspace`, `--service`,
//! `--api-key` and `--subscription-key` flags set the emulator's identity (flags only, not env
//! or profile, so a client's settings never leak into the server).

use crate::cli::{GlobalArgs, ServeArgs};
use crate::output::Printer;
use crate::serve::{self, ApimConfig, CallLimit, FeatureHashing, Identity, Limits, ServeConfig};
use crate::usage;
use anyhow::{Context, Result};
use std::io::Write;

pub async fn run(g: &GlobalArgs, args: ServeArgs, printer: &Printer) -> Result<()> {
    let config = config(g, args)?;
    let server = serve::start(config).await?;
    print_line(&server.startup_line())?;
    summary(&server, printer);
    stop_signal().await?;
    printer.info("mlws serve: stopping");
    server.shutdown().await;
    Ok(())
}

/// The emulator's settings from the flags; every problem is a usage error.
fn config(g: &GlobalArgs, args: ServeArgs) -> Result<ServeConfig> {
    if args.max_concurrency == 0 {
        return Err(usage!("`--max-concurrency` must be at least 1"));
    }
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
    let identity = Identity::new_or_random(
        checked_id("--workspace", &g.workspace)?,
        checked_id("--service", &g.service)?,
        checked_key("--api-key", &g.api_key)?,
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
        limits: Limits::default(),
    })
}

/// An id given to the emulator: one URL path segment.
fn checked_id(flag: &str, value: &Option<String>) -> Result<Option<String>> {
    let Some(s) = value else { return Ok(None) };
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(usage!(
            "`{flag}` of the emulator must be letters, digits, `-`, `_` or `.`; got `{s}`"
        ));
    }
    Ok(Some(s.clone()))
}

/// A key given to the emulator: the key itself (not `@FILE` or `-`), fit for a header.
fn checked_key(flag: &str, value: &Option<String>) -> Result<Option<String>> {
    let Some(k) = value else { return Ok(None) };
    if k == "-" || k.starts_with('@') {
        return Err(usage!(
            "`{flag}` of the emulator takes the key itself, not `@FILE` or `-`"
        ));
    }
    if k.is_empty() || !k.chars().all(|c| c.is_ascii_graphic()) {
        return Err(usage!(
            "`{flag}` of the emulator must be printable ASCII without spaces"
        ));
    }
    Ok(Some(k.clone()))
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

fn summary(server: &serve::Server, printer: &Printer) {
    let c = &server.config;
    let root = format!(
        "{}/workspaces/{}/services/{}",
        server.origin, c.identity.workspace, c.identity.service
    );
    printer.info(format!("mlws serve: listening on {}", server.origin));
    printer.info(format!("  workspace   {}", c.identity.workspace));
    printer.info(format!("  service     {}", c.identity.service));
    printer.info(format!("  RRS         POST {root}/execute?api-version=2.0"));
    printer.info(format!("  swagger     GET  {root}/swagger.json"));
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
    }
    printer.info(format!(
        "  experiment  Feature Hashing of Col2: hashing bitsize {}, N-grams {}; at most {} scoring calls at once",
        c.experiment.bits, c.experiment.ngrams, c.max_concurrency
    ));
    printer.info("  keys        in the JSON line on stdout");
    printer.info("stop with Ctrl-C");
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one.
async fn stop_signal() -> Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context("cannot watch for SIGTERM")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.context("cannot watch for Ctrl-C")?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .context("cannot watch for Ctrl-C")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

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
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!(
                crate::error::exit_status(&e),
                crate::error::ExitStatus::Usage,
                "{args:?}: {e}"
            );
        }
    }
}
