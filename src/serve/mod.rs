//! The emulator: router, RRS, BES, API Management layer, blob store, experiment.

pub mod blobstore;
