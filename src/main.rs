//! mlws: a command-line client for Azure ML Studio (classic) web services, and their emulator.
//! Parse -> runtime -> `commands::run` -> report -> exit code; everything else is in the library
//! (`lib.rs`, which documents the dependency direction).

use clap::Parser;
use mlws::{cli, commands, error};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0); usage errors go to stderr (exit 2)
            // as `mlws: error: ...` like every other error.
            if !e.use_stderr() {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            eprint!("{}", error::render_clap(&e));
            return ExitCode::from(error::ExitStatus::Usage.code());
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
