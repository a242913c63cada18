//! `mlws describe`: what the endpoint says about itself (`spec/adapters.md` "describe").

use crate::output::Printer;
use crate::settings::Settings;
use anyhow::Result;

pub async fn run(_settings: &Settings, _printer: &Printer) -> Result<()> {
    Err(crate::usage!("`mlws describe` is being built"))
}
