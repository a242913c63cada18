//! Checks a BES submit body (`protocol.md` §5.3) and turns it into a [`JobSpec`], answering
//! with the documented error codes: `Input` xor `Inputs` (`DuplicateInputInBatchCall`,
//! `BatchJobInputsNotSpecified`), the input named `input1` (`InvalidInputNames`), outputs named
//! `output1` (`InvalidOutputOverrideName`) with a .csv/.tsv/.arff blob (`InvalidBlobExtension`),
//! blob references that name a blob and a way to reach it (`MissingInputBlobInformation`,
//! `InvalidBlobConnectionString`, ...), and `GlobalParameters` as in RRS. Property names match in
//! any case, as Json.NET matches them; input and output names do not. Reads no blob.

use super::jobs::JobSpec;
use crate::blob::{BlobLocation, ConnectionString, split_relative};
use crate::serve::errors::ServiceFailure;
use crate::serve::experiment::{FeatureHashing, ParamError};
use crate::serve::rrs::{INPUT_NAME, OUTPUT_NAME};
use crate::wire::bes::BlobReference;
use serde_json::{Map, Value};

/// Extensions a dataset output may have (§5.3).
pub const OUTPUT_EXTENSIONS: [&str; 3] = ["csv", "tsv", "arff"];

/// The job a submit body asks for, or the service's 400.
pub fn submission(body: &[u8], defaults: FeatureHashing) -> Result<JobSpec, ServiceFailure> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ServiceFailure::body_invalid("The request body is empty."));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ServiceFailure::body_invalid(&format!("Invalid JSON: {e}.")))?;
    let Value::Object(top) = value else {
        return Err(ServiceFailure::body_invalid(
            "The request body must be a JSON object.",
        ));
    };
    let input = input(&top)?;
    let output = output(&top)?;
    let settings = match field(&top, "GlobalParameters") {
        None | Some(Value::Null) => defaults,
        Some(Value::Object(params)) => defaults.with_parameters(params).map_err(|e| match e {
            ParamError::Unexpected(name) => ServiceFailure::unexpected_parameter(&name),
            ParamError::Invalid(msg) => ServiceFailure::parameter_invalid(msg),
        })?,
        Some(_) => {
            return Err(ServiceFailure::body_invalid(
                "'GlobalParameters' must be an object of parameter names and values.",
            ));
        }
    };
    Ok(JobSpec {
        input,
        output,
        settings,
    })
}

/// `input1` from `Input` (legacy, single) or `Inputs` (named), never both.
fn input(top: &Map<String, Value>) -> Result<BlobReference, ServiceFailure> {
    let single = field(top, "Input").filter(|v| !v.is_null());
    let named = match field(top, "Inputs") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) if m.is_empty() => None,
        Some(Value::Object(m)) => Some(m),
        Some(_) => {
            return Err(ServiceFailure::body_invalid(
                "'Inputs' must be an object of input names and blob references.",
            ));
        }
    };
    let reference = match (single, named) {
        (Some(_), Some(_)) => return Err(ServiceFailure::duplicate_input()),
        (None, None) => return Err(ServiceFailure::batch_inputs_not_specified(INPUT_NAME)),
        (Some(one), None) => one,
        (None, Some(named)) => {
            let others: Vec<String> = named
                .keys()
                .filter(|k| k.as_str() != INPUT_NAME)
                .cloned()
                .collect();
            if !others.is_empty() {
                return Err(ServiceFailure::invalid_input_names(&others));
            }
            &named[INPUT_NAME]
        }
    };
    let r =
        blob_reference(reference, INPUT_NAME)?.ok_or_else(ServiceFailure::missing_input_blob)?;
    reachable(&r, ServiceFailure::missing_input_blob)?;
    Ok(r)
}

/// The override of `output1`, when `Outputs` has one.
fn output(top: &Map<String, Value>) -> Result<Option<BlobReference>, ServiceFailure> {
    let named = match field(top, "Outputs") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(ServiceFailure::body_invalid(
                "'Outputs' must be an object of output names and blob references.",
            ));
        }
    };
    if let Some(other) = named.keys().find(|k| k.as_str() != OUTPUT_NAME) {
        return Err(ServiceFailure::invalid_output_name(other));
    }
    let Some(value) = named.get(OUTPUT_NAME) else {
        return Ok(None);
    };
    let missing = || ServiceFailure::missing_output_blob(OUTPUT_NAME);
    let r = blob_reference(value, OUTPUT_NAME)?.ok_or_else(missing)?;
    reachable(&r, missing)?;
    let relative = r.relative_location.as_deref().unwrap_or_default();
    if output_extension(relative).is_none() {
        let supported: Vec<String> = OUTPUT_EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
        return Err(ServiceFailure::invalid_blob_extension(
            relative,
            &supported.join(", "),
        ));
    }
    Ok(Some(r))
}

/// The extension of a blob name when it is one a dataset output may have (lower case).
pub fn output_extension(relative: &str) -> Option<&'static str> {
    let name = relative.rsplit('/').next().unwrap_or("");
    let (_, ext) = name.rsplit_once('.')?;
    OUTPUT_EXTENSIONS
        .iter()
        .find(|e| e.eq_ignore_ascii_case(ext))
        .copied()
}

/// A blob reference object (fields in any case, strings or null); `None` for `null`. Blank
/// strings count as missing.
fn blob_reference(v: &Value, name: &str) -> Result<Option<BlobReference>, ServiceFailure> {
    let obj = match v {
        Value::Null => return Ok(None),
        Value::Object(o) => o,
        _ => {
            return Err(ServiceFailure::body_invalid(&format!(
                "The blob reference of '{name}' must be an object."
            )));
        }
    };
    let text = |key: &str| -> Result<Option<String>, ServiceFailure> {
        match field(obj, key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
            Some(_) => Err(ServiceFailure::body_invalid(&format!(
                "'{key}' of '{name}' must be a string or null."
            ))),
        }
    };
    Ok(Some(BlobReference {
        connection_string: text("ConnectionString")?,
        relative_location: text("RelativeLocation")?,
        base_location: text("BaseLocation")?,
        sas_blob_token: text("SasBlobToken")?,
    }))
}

/// A blob is named (`RelativeLocation` = `container/blob`) and reachable: by a connection
/// string that parses, or by `BaseLocation` + `SasBlobToken`. `missing` is the error for a
/// reference that lacks a part.
fn reachable(r: &BlobReference, missing: fn() -> ServiceFailure) -> Result<(), ServiceFailure> {
    let Some(relative) = r.relative_location.as_deref() else {
        return Err(missing());
    };
    let sas = r.sas_blob_token.is_some() && r.base_location.is_some();
    match (&r.connection_string, sas) {
        (_, true) => {}
        (Some(cs), false) => {
            ConnectionString::parse(cs)
                .map_err(|e| ServiceFailure::invalid_connection_string(&format!("{e:#}")))?;
        }
        (None, false) => return Err(missing()),
    }
    let trimmed = relative.trim_start_matches('/');
    if trimmed.is_empty() || !trimmed.contains('/') || trimmed.ends_with('/') {
        return Err(ServiceFailure::relative_location_invalid());
    }
    split_relative(relative).map_err(|e| ServiceFailure::invalid_blob(&format!("{e:#}")))?;
    BlobLocation::from_reference(r).map_err(|e| ServiceFailure::invalid_blob(&format!("{e:#}")))?;
    Ok(())
}

/// A property by name in any case (the first match wins).
fn field<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FH: FeatureHashing = FeatureHashing { bits: 3, ngrams: 2 };
    const CS: &str = "DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:9/acct";

    fn key_ref(rel: &str) -> Value {
        json!({"ConnectionString": CS, "RelativeLocation": rel})
    }

    fn submit(body: Value) -> Result<JobSpec, ServiceFailure> {
        submission(body.to_string().as_bytes(), FH)
    }

    fn code(body: Value) -> &'static str {
        submit(body).unwrap_err().code
    }

    #[test]
    fn named_and_legacy_inputs_are_accepted() {
        let spec = submit(json!({"Inputs": {"input1": key_ref("/c/in.csv")},
            "Outputs": {"output1": key_ref("c/out.tsv")}, "GlobalParameters": {}}))
        .unwrap();
        assert_eq!(spec.input.relative_location.as_deref(), Some("/c/in.csv"));
        assert_eq!(
            spec.output.unwrap().relative_location.as_deref(),
            Some("c/out.tsv")
        );
        assert_eq!(spec.settings, FH);
        let spec = submit(json!({"Input": {"BaseLocation": "http://h/acct/", "RelativeLocation": "c/in.csv",
            "SasBlobToken": "?sv=1&sig=S", "ConnectionString": null}, "Outputs": null, "GlobalParameters": null}))
        .unwrap();
        assert!(spec.output.is_none());
        assert_eq!(spec.input.sas_blob_token.as_deref(), Some("?sv=1&sig=S"));
        // Json.NET matches property names in any case.
        let spec = submit(
            json!({"inputs": {"input1": {"connectionstring": CS, "relativelocation": "c/x.csv"}},
            "globalParameters": {"Hashing bitsize": "5", "N-grams": null}}),
        )
        .unwrap();
        assert_eq!(spec.settings, FeatureHashing { bits: 5, ngrams: 2 });
    }

    #[test]
    fn inputs_must_be_one_form_and_named_input1() {
        assert_eq!(
            code(json!({"Input": key_ref("c/a.csv"), "Inputs": {"input1": key_ref("c/a.csv")}})),
            "DuplicateInputInBatchCall"
        );
        assert_eq!(
            code(json!({"GlobalParameters": {}})),
            "BatchJobInputsNotSpecified"
        );
        assert_eq!(code(json!({"Inputs": {}})), "BatchJobInputsNotSpecified");
        assert_eq!(code(json!({"Input": null})), "BatchJobInputsNotSpecified");
        let f =
            submit(json!({"Inputs": {"Input1": key_ref("c/a.csv"), "input1": key_ref("c/a.csv")}}))
                .unwrap_err();
        assert_eq!(f.code, "InvalidInputNames");
        assert!(f.message.contains(": Input1."), "{}", f.message);
        let msg = submit(json!({})).unwrap_err().message;
        assert!(msg.contains("specified with the request: input1."), "{msg}");
    }

    #[test]
    fn blob_references_need_a_blob_and_a_way_to_reach_it() {
        let input = |r: Value| code(json!({"Inputs": {"input1": r}}));
        assert_eq!(
            input(json!({"ConnectionString": CS})),
            "MissingInputBlobInformation"
        );
        assert_eq!(
            input(json!({"RelativeLocation": "c/a.csv"})),
            "MissingInputBlobInformation"
        );
        assert_eq!(
            input(json!({"RelativeLocation": "c/a.csv", "SasBlobToken": "?sig=1"})),
            "MissingInputBlobInformation"
        );
        assert_eq!(input(json!(null)), "MissingInputBlobInformation");
        assert_eq!(
            input(json!({"RelativeLocation": " ", "ConnectionString": CS})),
            "MissingInputBlobInformation"
        );
        assert_eq!(
            input(key_ref("container-only")),
            "InputBlobRelativeLocationInvalid"
        );
        assert_eq!(input(key_ref("c/")), "InputBlobRelativeLocationInvalid");
        assert_eq!(input(key_ref("c/a/../b.csv")), "InvalidBlob");
        assert_eq!(
            input(
                json!({"BaseLocation": "not a url", "RelativeLocation": "c/a.csv", "SasBlobToken": "sig=1"})
            ),
            "InvalidBlob"
        );
        assert_eq!(input(json!("c/a.csv")), "RequestBodyInvalid");
        assert_eq!(
            input(json!({"RelativeLocation": 5, "ConnectionString": CS})),
            "RequestBodyInvalid"
        );
    }

    #[test]
    fn bad_connection_strings_are_named_without_the_key() {
        for cs in [
            "AccountName=acct",
            "AccountKey=c2VjcmV0;BlobEndpoint=http://h/a",
            "garbage",
            "AccountName=acct;AccountKey=not base64!",
        ] {
            let f = submit(json!({"Inputs": {"input1": {"ConnectionString": cs, "RelativeLocation": "c/a.csv"}}}))
                .unwrap_err();
            assert_eq!(f.code, "InvalidBlobConnectionString", "{cs}");
            assert!(
                !f.message.contains("c2VjcmV0") && !f.message.contains("not base64!"),
                "{}",
                f.message
            );
        }
    }

    #[test]
    fn outputs_must_be_output1_with_a_dataset_extension() {
        let with_output = |outputs: Value| {
            code(json!({"Inputs": {"input1": key_ref("c/a.csv")}, "Outputs": outputs}))
        };
        assert_eq!(
            with_output(json!({"Output1": key_ref("c/o.csv")})),
            "InvalidOutputOverrideName"
        );
        assert_eq!(
            with_output(json!({"output2": key_ref("c/o.csv")})),
            "InvalidOutputOverrideName"
        );
        assert_eq!(
            with_output(json!({"output1": null})),
            "MissingOutputOverrideSpecification"
        );
        assert_eq!(
            with_output(json!({"output1": {"RelativeLocation": "c/o.csv"}})),
            "MissingOutputOverrideSpecification"
        );
        let f = submit(json!({"Inputs": {"input1": key_ref("c/a.csv")}, "Outputs": {"output1": key_ref("c/model.ilearner")}}))
            .unwrap_err();
        assert_eq!(f.code, "InvalidBlobExtension");
        assert!(
            f.message.contains("c/model.ilearner") && f.message.contains(".csv, .tsv, .arff"),
            "{}",
            f.message
        );
        assert_eq!(
            with_output(json!({"output1": key_ref("c/noext")})),
            "InvalidBlobExtension"
        );
        assert!(submit(json!({"Inputs": {"input1": key_ref("c/a.csv")}, "Outputs": {"output1": key_ref("c/o.ARFF")}})).is_ok());
        assert!(
            submit(json!({"Inputs": {"input1": key_ref("c/a.csv")}, "Outputs": {}}))
                .unwrap()
                .output
                .is_none()
        );
    }

    #[test]
    fn bodies_and_parameters_are_checked() {
        assert_eq!(
            submission(b"  ", FH).unwrap_err().code,
            "RequestBodyInvalid"
        );
        assert_eq!(
            submission(b"{nope", FH).unwrap_err().code,
            "RequestBodyInvalid"
        );
        assert_eq!(
            submission(b"[]", FH).unwrap_err().code,
            "RequestBodyInvalid"
        );
        let with = |params: Value| {
            code(json!({"Inputs": {"input1": key_ref("c/a.csv")}, "GlobalParameters": params}))
        };
        assert_eq!(with(json!({"Bits": 3})), "UnexpectedParameter");
        assert_eq!(with(json!({"Hashing bitsize": 40})), "UserParameterInvalid");
        assert_eq!(with(json!([1])), "RequestBodyInvalid");
    }

    #[test]
    fn output_extensions_are_read_from_the_blob_name() {
        assert_eq!(output_extension("c/d.x/out.TSV"), Some("tsv"));
        assert_eq!(output_extension("c/out.csv"), Some("csv"));
        assert_eq!(output_extension("c/out.csv.gz"), None);
        assert_eq!(output_extension("c.csv/out"), None);
    }
}
