//! One thin file per subcommand. `run` dispatches; each command resolves what it needs from
//! `Settings` and drives the client, blob module, table conversion and printer.

pub mod bes;
pub mod completions;
pub mod config;
pub mod rrs;
pub mod serve;

use crate::cli::{Cli, Command, RrsCommand};
use crate::output::Printer;
use crate::settings::Settings;
use anyhow::Result;

pub async fn run(cli: Cli) -> Result<()> {
    let printer = Printer::new(cli.global.verbose, cli.global.quiet);
    match cli.command {
        Command::Completions(args) => completions::run(&args),
        Command::Serve(args) => serve::run(&cli.global, args, &printer).await,
        Command::Config(cmd) => config::run(&cli.global, cmd),
        Command::Rrs(RrsCommand::Execute(args)) => {
            let settings = Settings::resolve(&cli.global)?;
            rrs::execute(&settings, args, &printer).await
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
