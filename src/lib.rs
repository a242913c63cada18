//! The mlws library: everything the `mlws` binary does, as modules, so that the binary stays
//! thin and fuzz targets (`fuzz/`) can reach the parsers. Not a stable API.
//!
//! Dependency direction (nothing points back up):
//! `cli` (clap only) -> `commands/*` -> `settings`, `client`, `blob`, `table`, `output`
//! -> `wire` (protocol types). `serve/*` (the emulator) uses `wire` and `blob` but never the
//! client. `client`, `blob` and `table` know nothing of clap, the printer or exit codes; only
//! `error.rs` maps errors to exit codes.

pub mod apim;
pub mod blob;
pub mod cli;
pub mod client;
pub mod commands;
pub mod config;
pub mod env;
pub mod error;
pub mod journal;
pub mod output;
pub mod protocol;
pub mod secret;
pub mod serve;
pub mod settings;
pub mod table;
pub mod wire;
