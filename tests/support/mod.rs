//! Helpers shared by the binary tests: a sandboxed `mlws` command (scrubbed `MLWS_*`
//! environment, a temporary config file, `NO_COLOR`).
#![allow(dead_code)]

pub mod sandbox;
