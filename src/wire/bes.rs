//! BES bodies (`protocol.md` §5): blob references (§5.2), the submit body (§5.3), the job id
//! (a JSON string, §5.3) and the status body (§5.5), parsed tolerantly: `StatusCode` as a name,
//! an int 0–4 or a numeric string; `Cancelled`/`Canceled`; `Results` or the legacy `Result`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// `AzureBlobDataReference`: key-based (`ConnectionString` + `RelativeLocation`) or SAS-based
/// (`BaseLocation` + `RelativeLocation` + `SasBlobToken`). Missing and `null` fields are the same.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct BlobReference {
    #[serde(rename = "ConnectionString", default)]
    pub connection_string: Option<String>,
    #[serde(rename = "RelativeLocation", default)]
    pub relative_location: Option<String>,
    #[serde(rename = "BaseLocation", default)]
    pub base_location: Option<String>,
    #[serde(rename = "SasBlobToken", default)]
    pub sas_blob_token: Option<String>,
}

impl fmt::Debug for BlobReference {
    // The connection string holds an account key and the token a signature: never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlobReference")
            .field(
                "connection_string",
                &self.connection_string.as_ref().map(|_| "***"),
            )
            .field("relative_location", &self.relative_location)
            .field("base_location", &self.base_location)
            .field(
                "sas_blob_token",
                &self.sas_blob_token.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

/// Body of `POST .../jobs`. `Input` (legacy, single) and `Inputs` (named) are exclusive (§5.3).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct JobRequest {
    #[serde(rename = "Input", default, skip_serializing_if = "Option::is_none")]
    pub input: Option<BlobReference>,
    #[serde(rename = "Inputs", default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<BTreeMap<String, BlobReference>>,
    #[serde(rename = "Outputs", default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<BTreeMap<String, BlobReference>>,
    #[serde(rename = "GlobalParameters", default)]
    pub global_parameters: Option<Map<String, Value>>,
}

/// A job id: the submit response is a JSON string such as `"539d0bc2fde945b6ac986b851d0000f0"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(pub String);

impl JobId {
    /// Parses a submit response body: a JSON string, or (tolerated) bare text; quotes stripped.
    pub fn from_body(body: &str) -> Result<Self, String> {
        let trimmed = body.trim();
        let id = match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::String(s)) => s,
            Ok(other) => {
                return Err(format!(
                    "the job id is {} where a string was expected",
                    crate::wire::rrs::json_kind(&other)
                ));
            }
            Err(_) => trimmed.trim_matches('"').to_string(),
        };
        Self::parse(&id)
    }

    /// Validates a job id given by a user or a server: non-empty, URL-path safe.
    pub fn parse(id: &str) -> Result<Self, String> {
        if id.is_empty() {
            return Err("the job id is empty".into());
        }
        if !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!(
                "`{id}` is not a job id (letters, digits, `-` and `_` only)"
            ));
        }
        Ok(JobId(id.to_string()))
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `BatchScoreStatusCode`, in its enum order 0..4 (§5.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobState {
    NotStarted,
    Running,
    Failed,
    Cancelled,
    Finished,
}

impl JobState {
    pub const ALL: [JobState; 5] = [
        JobState::NotStarted,
        JobState::Running,
        JobState::Failed,
        JobState::Cancelled,
        JobState::Finished,
    ];

    pub fn name(self) -> &'static str {
        match self {
            JobState::NotStarted => "NotStarted",
            JobState::Running => "Running",
            JobState::Failed => "Failed",
            JobState::Cancelled => "Cancelled",
            JobState::Finished => "Finished",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobState::Failed | JobState::Cancelled | JobState::Finished
        )
    }

    /// Accepts a name (any case, `Canceled` too), `0`–`4`, or `"0"`–`"4"`.
    pub fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::Number(n) => n
                .as_u64()
                .and_then(|i| Self::ALL.get(i as usize).copied())
                .ok_or_else(|| format!("unknown job status code `{n}`")),
            Value::String(s) => Self::from_name(s),
            other => Err(format!("unknown job status code `{other}`")),
        }
    }

    pub fn from_name(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if let Ok(i) = t.parse::<usize>() {
            return Self::ALL
                .get(i)
                .copied()
                .ok_or_else(|| format!("unknown job status code `{s}`"));
        }
        match t.to_ascii_lowercase().as_str() {
            "notstarted" => Ok(JobState::NotStarted),
            "running" => Ok(JobState::Running),
            "failed" => Ok(JobState::Failed),
            "cancelled" | "canceled" => Ok(JobState::Cancelled),
            "finished" => Ok(JobState::Finished),
            _ => Err(format!("unknown job status code `{s}`")),
        }
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for JobState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for JobState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        JobState::from_value(&v).map_err(serde::de::Error::custom)
    }
}

/// Body of `GET .../jobs/{id}`. `Results` is null until `Finished`; 2015-era services send the
/// singular `Result` (one blob reference) instead (§5.8), which is folded into `results` under
/// the name `output1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobStatus {
    #[serde(rename = "StatusCode")]
    pub state: JobState,
    #[serde(rename = "Results")]
    pub results: Option<BTreeMap<String, BlobReference>>,
    #[serde(rename = "Details")]
    pub details: Option<String>,
}

impl<'de> Deserialize<'de> for JobStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(rename = "StatusCode", alias = "Status Code")]
            state: JobState,
            #[serde(rename = "Results", default)]
            results: Option<BTreeMap<String, Option<BlobReference>>>,
            #[serde(rename = "Result", default)]
            result: Option<BlobReference>,
            #[serde(rename = "Details", default)]
            details: Option<Value>,
        }
        let raw = Raw::deserialize(d)?;
        let results = match (raw.results, raw.result) {
            (Some(map), _) => Some(
                map.into_iter()
                    .filter_map(|(k, v)| v.map(|v| (k, v)))
                    .collect(),
            ),
            (None, Some(one)) => Some(BTreeMap::from([("output1".to_string(), one)])),
            (None, None) => None,
        };
        let details = match raw.details {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => Some(other.to_string()),
        };
        Ok(JobStatus {
            state: raw.state,
            results,
            details,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn job_state_accepts_names_ints_and_numeric_strings() {
        for (v, s) in [
            (json!("NotStarted"), JobState::NotStarted),
            (json!(1), JobState::Running),
            (json!("2"), JobState::Failed),
            (json!("Canceled"), JobState::Cancelled),
            (json!("Cancelled"), JobState::Cancelled),
            (json!(4), JobState::Finished),
        ] {
            assert_eq!(JobState::from_value(&v).unwrap(), s, "{v}");
        }
        assert!(JobState::from_value(&json!(5)).unwrap_err().contains("`5`"));
        assert!(
            JobState::from_value(&json!("Paused"))
                .unwrap_err()
                .contains("`Paused`")
        );
    }

    #[test]
    fn status_accepts_legacy_and_null_fields() {
        let s: JobStatus = serde_json::from_value(json!({"StatusCode": 4, "Result": {
            "RelativeLocation": "c/o.csv", "BaseLocation": "http://h/", "SasBlobToken": "?sig=x"}}))
        .unwrap();
        assert_eq!(s.state, JobState::Finished);
        assert_eq!(
            s.results.unwrap()["output1"].relative_location.as_deref(),
            Some("c/o.csv")
        );
        let s: JobStatus = serde_json::from_value(
            json!({"StatusCode": "Running", "Results": null, "Details": null}),
        )
        .unwrap();
        assert!(s.results.is_none() && s.details.is_none());
        let s: JobStatus = serde_json::from_value(json!({"StatusCode": "Failed"})).unwrap();
        assert_eq!(s.state, JobState::Failed);
    }

    #[test]
    fn job_id_from_json_string_or_bare_text() {
        assert_eq!(JobId::from_body("\"abc123\"").unwrap().0, "abc123");
        assert_eq!(JobId::from_body("abc123\n").unwrap().0, "abc123");
        assert!(JobId::from_body("{}").is_err());
        assert!(JobId::parse("../x").is_err());
    }

    #[test]
    fn blob_reference_debug_hides_secrets() {
        let r = BlobReference {
            connection_string: Some("AccountKey=K".into()),
            sas_blob_token: Some("?sig=S".into()),
            ..Default::default()
        };
        let d = format!("{r:?}");
        assert!(!d.contains("AccountKey=K") && !d.contains("sig=S"));
    }
}
