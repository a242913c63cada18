//! One thin file per subcommand. `run` dispatches; each command resolves what it needs from
//! `Settings` and drives the client, blob module, table conversion and printer.

pub mod apim;
pub mod bes;
pub mod completions;
pub mod config;
pub mod describe;
pub mod rrs;
pub mod serve;
pub mod target;

use crate::cli::{ApimCommand, Cli, Command, RrsCommand};
use crate::output::Printer;
use crate::settings::Settings;
use anyhow::Result;

pub async fn run(cli: Cli) -> Result<()> {
    let printer = Printer::new(cli.global.verbose, cli.global.quiet);
    match cli.command {
        Command::Completions(args) => completions::run(&args),
        Command::Serve(args) => serve::run(&cli.global, args, &printer).await,
        Command::Config(cmd) => config::run(&cli.global, cmd),
        Command::Rrs(RrsCommand::Execute(args)) | Command::Score(args) => {
            let settings = Settings::resolve(&cli.global)?;
            rrs::execute(&settings, args, &printer).await
        }
        Command::Describe => {
            let settings = Settings::resolve(&cli.global)?;
            describe::run(&settings, &printer).await
        }
        Command::Apim(ApimCommand::Export(args)) => {
            let settings = Settings::resolve(&cli.global)?;
            apim::export(&settings, args, &printer).await
        }
        Command::Bes(cmd) => {
            let settings = Settings::resolve(&cli.global)?;
            bes::run(&settings, cmd, &printer).await
        }
    }
}

/// Splits `NAME=VALUE` pairs (from `--param` and `--record`); the name must not be empty.
pub fn parse_pairs(flag: &str, pairs: &[String]) -> Result<Vec<(String, String)>> {
    pairs
        .iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(crate::usage!("`{p}` given to `{flag}` is not NAME=VALUE")),
        })
        .collect()
}

/// A client whose retry notices are warnings and whose traces show at `-v`, `-vv`, `-vvv`.
pub fn make_client(settings: &Settings, printer: &Printer) -> Result<crate::client::Client> {
    let target = target::Target {
        kind: crate::protocol::Kind::Classic,
        url: settings.service_root()?,
    };
    make_client_with_bar(settings, printer, None, &target)
}

/// As [`make_client`], printing around a progress bar so that lines and bar do not collide.
pub fn make_client_with_bar(
    settings: &Settings,
    printer: &Printer,
    bar: Option<indicatif::ProgressBar>,
    target: &target::Target,
) -> Result<crate::client::Client> {
    use crate::client::ClientEvent;
    let opts = target::client_options(settings, printer.verbosity(), target)?;
    if let Some(note) = plain_http_note(&opts.root) {
        printer.note(note);
    }
    let p = printer.clone();
    let sink = move |event: ClientEvent| {
        let show = || match &event {
            ClientEvent::Retry {
                attempt,
                wait,
                reason,
            } => p.warn(format!(
                "{reason}; trying again in {} (try {attempt})",
                crate::client::show_wait(*wait)
            )),
            ClientEvent::Trace { level, line } => p.debug(*level, line),
        };
        match &bar {
            Some(bar) => bar.suspend(show),
            None => show(),
        }
    };
    crate::client::Client::new(opts, std::sync::Arc::new(sink))
}

/// A plain `http://` service on another machine is allowed (test gateways, proxies), but the
/// keys then cross the network unencrypted: say so. Loopback addresses are the local emulator.
fn plain_http_note(root: &url::Url) -> Option<String> {
    if root.scheme() != "http" {
        return None;
    }
    let local = match root.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost")
        }
        None => true,
    };
    (!local).then(|| {
        format!(
            "`{}` is plain http: the API key and subscription key go over the network unencrypted (use https)",
            root.host_str().unwrap_or_default()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_noted_only_off_this_machine() {
        let note = |u: &str| plain_http_note(&url::Url::parse(u).unwrap());
        assert!(note("http://ml.example.com/workspaces/w/services/s").is_some());
        assert!(note("http://10.0.0.5:8080/x").is_some());
        for local in [
            "http://127.0.0.1:8642/x",
            "http://localhost:1/x",
            "http://[::1]:1/x",
            "https://ml.example.com/x",
        ] {
            assert!(note(local).is_none(), "{local}");
        }
    }
}
