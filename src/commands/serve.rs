//! `mlws serve`: turns the flags into a `ServeConfig`, starts the emulator, prints ONE JSON line
//! on stdout (what a client needs: base URL, ids, keys, storage connection string) and a summary
//! on stderr, then serves until Ctrl-C or SIGTERM and stops gracefully. The global `--workspace`, `--service`,
//! `--api-key` and `--subscription-key` flags set the emulator's identity (flags only, not env
//! or profile, so a client's settings never leak into the server).

use crate::cli::{BesStatusStyle, GlobalArgs, ServeArgs};
use crate::output::Printer;
use crate::serve::{
    self, ApimConfig, BesConfig, CallLimit, FeatureHashing, Identity, Limits, ServeConfig,
    StatusStyle, StorageConfig,
};
use crate::usage;
use anyhow::{Context, Result};
use std::io::Write;

pub async fn run(g: &GlobalArgs, args: ServeArgs, printer: &Printer) -> Result<()> {
    let config = config(g, args)?;
    // Watching for signals before the start-up line: whoever reads it may stop us at once.
    let stop = StopSignal::watch()?;
    let server = serve::start(config).await?;
    print_line(&server.startup_line())?;
    summary(&server, printer);
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
    let storage = storage(&args, apim.as_ref())?;
    let bes = bes(&args)?;
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
        storage,
        bes,
    })
}

/// The blob endpoint's settings; its account must not hide the service or gateway routes.
fn storage(args: &ServeArgs, apim: Option<&ApimConfig>) -> Result<StorageConfig> {
    let account = args.storage_account.as_str();
    let ok = (3..=24).contains(&account.len())
        && account
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !ok {
        return Err(usage!(
            "`--storage-account` must be 3-24 lower-case letters and digits; got `{account}`"
        ));
    }
    let first = apim.and_then(|a| a.suffix.split('/').next());
    if account == "workspaces" || first == Some(account) {
        return Err(usage!(
            "`--storage-account` `{account}` would hide the service routes or the API URL suffix"
        ));
    }
    let key = checked_key("--storage-key", &args.storage_key)?;
    if let Some(k) = &key {
        use base64::Engine as _;
        if base64::engine::general_purpose::STANDARD
            .decode(k)
            .map_or(true, |b| b.is_empty())
        {
            return Err(usage!("`--storage-key` must be base64"));
        }
    }
    let max = parse_size(&args.max_blob_size).map_err(|e| usage!("`--max-blob-size`: {e}"))?;
    StorageConfig::new(account, key, args.blob_dir.clone(), max)
}

/// `123`, `64K`, `512M`, `4G` (powers of 1024, `KiB`/`KB`/`k` spellings too) -> bytes, at least 1.
fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as `4G` or `1048576`"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        other => return Err(format!("unknown size unit `{other}` (use K, M, G or T)")),
    };
    let bytes = n
        .checked_mul(1u64 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))?;
    if bytes == 0 {
        return Err("the size must be at least 1 byte".into());
    }
    Ok(bytes)
}

/// The batch service's settings.
fn bes(args: &ServeArgs) -> Result<BesConfig> {
    if !args.job_delay.is_finite() || !(0.0..=86_400.0).contains(&args.job_delay) {
        return Err(usage!(
            "`--job-delay` must be from 0 to 86400 seconds; got `{}`",
            args.job_delay
        ));
    }
    Ok(BesConfig {
        status_style: match args.bes_status_style {
            BesStatusStyle::Default => StatusStyle::Names,
            BesStatusStyle::Int => StatusStyle::Ints,
            BesStatusStyle::Legacy => StatusStyle::Legacy,
        },
        job_delay: std::time::Duration::from_secs_f64(args.job_delay),
        ..BesConfig::default()
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
    printer.info(format!(
        "  BES         POST {root}/jobs?api-version=2.0 (then start, status, delete)"
    ));
    printer.info(format!("  swagger     GET  {root}/swagger.json"));
    printer.info(format!(
        "  storage     {} (account `{}`, blobs up to {} bytes; outputs without an override go to container `{}`)",
        server.storage.blob_endpoint(),
        server.storage.account(),
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
    }
    printer.info(format!(
        "  experiment  Feature Hashing of Col2: hashing bitsize {}, N-grams {}; at most {} scoring calls at once",
        c.experiment.bits, c.experiment.ngrams, c.max_concurrency
    ));
    printer.info("  keys        in the JSON line on stdout");
    printer.info("stop with Ctrl-C");
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
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert_eq!(parse_size("4 GiB"), Ok(4 << 30));
        assert_eq!(parse_size("2T"), Ok(2 << 40));
        assert!(parse_size("").is_err());
        assert!(parse_size("G").is_err());
        assert!(
            parse_size("99999999999T")
                .unwrap_err()
                .contains("too large")
        );
    }
}
