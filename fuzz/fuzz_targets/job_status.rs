//! BES wire bodies from a server (`mlws::wire::bes`): the job status (`JobStatus`, its
//! `JobState` as a name, a number or a numeric string), the submit answer (`JobId::from_body`)
//! and the blob references of `Results` (`BlobLocation::from_reference`).
//!
//! Besides "never panics": a parsed status serializes to JSON that parses back equal; the
//! state parsed from any JSON value is also what its name parses to; a job id is non-empty and
//! path-safe; a blob reference's description never shows its connection string's key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlws::blob::BlobLocation;
use mlws::wire::bes::{JobId, JobState, JobStatus};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(id) = JobId::from_body(text)
    {
        assert!(!id.0.is_empty());
        assert!(
            id.0.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(JobId::parse(&id.0), Ok(id.clone()));
    }
    let Ok(v) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Ok(state) = JobState::from_value(&v) {
        assert_eq!(JobState::from_name(state.name()), Ok(state));
        assert_eq!(JobState::from_value(&Value::from(state.name())), Ok(state));
    }
    let Ok(status) = serde_json::from_value::<JobStatus>(v) else {
        return;
    };
    let json = serde_json::to_string(&status).expect("a status serializes");
    let again: JobStatus = match serde_json::from_str(&json) {
        Ok(s) => s,
        Err(e) => panic!("{json} does not parse back: {e}"),
    };
    assert_eq!(again, status, "{json}");
    for r in status.results.iter().flat_map(|m| m.values()) {
        let Ok(loc) = BlobLocation::from_reference(r) else {
            continue;
        };
        let shown = loc.describe();
        if let Some(cs) = &r.connection_string
            && let Ok(parsed) = mlws::blob::ConnectionString::parse(cs)
            && let Some(key) = parsed.account_key()
            && key.expose().len() >= 6
            && !r
                .relative_location
                .as_deref()
                .unwrap_or("")
                .contains(key.expose())
        {
            assert!(
                !shown.contains(key.expose()),
                "{shown:?} shows the account key"
            );
        }
    }
});
