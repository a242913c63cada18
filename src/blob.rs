//! Storage connection strings, upload/download, SAS URLs. Nothing BES-specific.
