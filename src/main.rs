//! mlws: a command-line client for Azure ML Studio (classic) web services, and their emulator.
//!
//! Dependency direction (nothing points back up):
//! `main` -> `cli` (clap only) -> `commands/*` -> `settings`, `client`, `blob`, `table`, `output`
//! -> `wire` (protocol types). `serve/*` (the emulator) uses `wire` and `blob` but never the
//! client. `client`, `blob` and `table` know nothing of clap, the printer or exit codes; only
//! `error.rs` maps errors to exit codes.

mod blob;
mod cli;
mod client;
mod commands;
mod config;
mod env;
mod error;
mod output;
mod secret;
mod serve;
mod settings;
mod table;
mod wire;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                error::ExitStatus::Usage.code()
            } else {
                0
            });
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mlws: error: cannot start the async runtime: {e}");
            return ExitCode::from(error::ExitStatus::Failure.code());
        }
    };
    let quiet = cli.global.quiet;
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let (status, text) = error::report(&err);
            if !(quiet && status == error::ExitStatus::Interrupted) {
                eprint!("{text}");
            }
            ExitCode::from(status.code())
        }
    }
}
