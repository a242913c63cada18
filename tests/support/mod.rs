//! Helpers shared by the binary tests: a sandboxed `mlws` command (scrubbed `MLWS_*`
//! environment, a temporary config file, `NO_COLOR`) and a running `mlws serve`. Each test
//! binary uses a different subset of them.
#![allow(dead_code)]

pub mod sandbox;
pub mod serve;
