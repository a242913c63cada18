//! `mlws completions SHELL`: prints the completion script generated from the clap definition.
//! The committed copies in `completions/` are checked against this output by a test.

use crate::cli::{Cli, CompletionsArgs};
use anyhow::Result;
use clap::CommandFactory;

pub fn run(args: &CompletionsArgs) -> Result<()> {
    let mut out = std::io::stdout().lock();
    write(args.shell, &mut out);
    Ok(())
}

/// Writes the script for `shell` to `out`.
pub fn write(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    clap_complete::generate(shell, &mut Cli::command(), "mlws", out);
}
