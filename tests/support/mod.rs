//! Helpers shared by the binary tests: a sandboxed `mlws` command (scrubbed `MLWS_*`
//! environment, a temporary config file, `NO_COLOR`), a running `mlws serve`, and Azurite.
//! Each test binary uses a different subset of them.
#![allow(dead_code)]

pub mod azurite;
pub mod oracle;
pub mod sandbox;
pub mod serve;
