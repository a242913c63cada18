//! Helpers shared by the binary tests. Each test binary uses a different subset of them.
#![allow(dead_code)]

pub mod azurite;
