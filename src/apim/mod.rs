//! API Management as code (`spec/cli.md` "API Management as code"): the OpenAPI 3.0 document of
//! a service's API as the documentation builds it by hand in the publisher portal
//! (`document/`), and the API's inbound policy (`policy.rs`: rate limit, quota, and the backend's
//! `Authorization` from a named value). Pure: no HTTP, files, clap or printer. `commands/apim.rs`
//! reads the service's schema and writes the files; the emulator's gateway (`serve/apim/`) reads
//! them back.

pub mod document;
pub mod policy;

pub use document::{Export, document};
