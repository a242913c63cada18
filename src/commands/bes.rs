//! `mlws bes submit|start|status|delete|run`.

use crate::cli::BesCommand;
use crate::output::Printer;
use crate::settings::Settings;
use anyhow::Result;

pub async fn run(_settings: &Settings, _cmd: BesCommand, _printer: &Printer) -> Result<()> {
    anyhow::bail!("`bes` is not built yet")
}
