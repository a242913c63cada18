//! `mlws serve`: starts the emulator (see `serve/`).

use crate::cli::{GlobalArgs, ServeArgs};
use crate::output::Printer;
use anyhow::Result;

pub async fn run(_g: &GlobalArgs, _args: ServeArgs, _printer: &Printer) -> Result<()> {
    anyhow::bail!("`serve` is not built yet")
}
