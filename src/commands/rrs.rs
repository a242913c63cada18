//! `mlws rrs execute`.

use crate::cli::ExecuteArgs;
use crate::output::Printer;
use crate::settings::Settings;
use anyhow::Result;

pub async fn execute(_settings: &Settings, _args: ExecuteArgs, _printer: &Printer) -> Result<()> {
    anyhow::bail!("`rrs execute` is not built yet")
}
