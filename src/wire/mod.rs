//! Serde types of the wire protocol (`spec/protocol.md`), shared by the client and the emulator:
//! RRS request/response tables (§3), BES jobs and blob references (§5), and the two error
//! envelopes (§4 service, §6.3 gateway). No HTTP, no I/O: only shapes and their tolerant parsing.

pub mod bes;
pub mod error;
pub mod rrs;

pub use bes::{BlobReference, JobId, JobRequest, JobState, JobStatus};
pub use error::{ErrorDetail, GatewayError, ServiceError, ServiceErrorBody};
pub use rrs::{
    ExecuteRequest, ExecuteResponse, InputTable, OutputTable, RequestInput, ResponseOutput,
};
