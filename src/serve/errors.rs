//! The service's error answers (`protocol.md` §4): `{"error":{code,message,details:[...]}}`,
//! always with `details`, with the class and user messages of the documented error-code table.
//! Codes marked *(emulator)* are not in that table: the real service's answer is undocumented
//! there. Knows nothing of routing or of the gateway's own envelope (see `apim.rs`).

use crate::wire::ServiceError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `Content-Type` of every service answer.
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// One error answer of the service: HTTP status, class code and message, one specific detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFailure {
    pub status: StatusCode,
    pub class: &'static str,
    pub class_message: &'static str,
    pub code: &'static str,
    pub message: String,
}

impl ServiceFailure {
    fn new(
        status: StatusCode,
        (class, class_message): (&'static str, &'static str),
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ServiceFailure {
            status,
            class,
            class_message,
            code,
            message: message.into(),
        }
    }

    /// 400 `BadArgument`/`BadVersionCall`: `api-version` missing or not `2.0`.
    pub fn bad_version(given: Option<&str>) -> Self {
        let v = given.unwrap_or("(none)");
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "BadVersionCall",
            format!(
                "Invalid version parameter was passed during the API call: {v}. Check the API help page for passing the correct version and try again."
            ),
        )
    }

    /// 400 `BadArgument`/`InvalidQueryParameter`.
    pub fn invalid_query(name: &str, why: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "InvalidQueryParameter",
            format!("Invalid query parameter '{name}'. {why}"),
        )
    }

    /// 400 `BadArgument`/`RequestBodyInvalid`: empty body, bad JSON or a wrong shape.
    pub fn body_invalid(why: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "RequestBodyInvalid",
            format!("No request body provided or error in deserializing the request body. {why}"),
        )
    }

    /// 400 `BadArgument`/`MissingRequestInput`: no `Inputs` at all.
    pub fn missing_input() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "MissingRequestInput",
            "The web service expects an input, but no input was provided. Ensure valid inputs are provided based on the published input ports in the model and try again.",
        )
    }

    /// 400 `BadArgument`/`InvalidInputNames`: inputs the service does not have.
    pub fn invalid_input_names(names: &[String]) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "InvalidInputNames",
            format!(
                "Invalid service input name(s) specified in the request: {}. Please map the input data to the correct service inputs and try again.",
                names.join(", ")
            ),
        )
    }

    /// 400 `BadUserArgument`/`InputParseError`: a missing column, a row of the wrong width.
    pub fn input_parse(details: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_USER_ARGUMENT,
            "InputParseError",
            format!(
                "Parsing of input vector failed.  Verify the input vector has the correct number of columns and data types.  Additional details: {details}."
            ),
        )
    }

    /// 400 `BadUserArgument`/`UnexpectedParameter`: a `GlobalParameters` name the service lacks.
    pub fn unexpected_parameter(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_USER_ARGUMENT,
            "UnexpectedParameter",
            format!(
                "Unexpected parameter '{name}'. Verify only the required parameters expected by the web service are passed and try again."
            ),
        )
    }

    /// 400 `BadUserArgument`/`UserParameterInvalid` ("{0}"): a parameter value out of range.
    pub fn parameter_invalid(message: String) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_USER_ARGUMENT,
            "UserParameterInvalid",
            message,
        )
    }

    /// 400 `ModuleExecutionError`/`OutputTooLarge` *(emulator)*: the output would be too big.
    pub fn output_too_large(rows: usize, columns: usize, limit: usize) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            (
                "ModuleExecutionError",
                "Module execution encountered an error.",
            ),
            "OutputTooLarge",
            format!(
                "Feature Hashing would produce {rows} rows x {columns} columns, over the limit of {limit} cells per request. Lower 'Hashing bitsize' or send fewer rows per request."
            ),
        )
    }

    /// 400 `BadArgument`/`DuplicateInputInBatchCall`: a job body with both `Input` and `Inputs`.
    pub fn duplicate_input() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "DuplicateInputInBatchCall",
            "The batch request is invalid. Cannot specify both single and multiple input at the same time. Remove one of these items from the request and try again.",
        )
    }

    /// 400 `BadArgument`/`BatchJobInputsNotSpecified`: a job body without the service's inputs.
    pub fn batch_inputs_not_specified(names: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "BatchJobInputsNotSpecified",
            format!(
                "The following required input(s) were not specified with the request: {names}. Please ensure all input data is specified and try again."
            ),
        )
    }

    /// 400 `BadArgument`/`MissingInputBlobInformation`: an input blob reference that names no
    /// blob or gives no way to reach it.
    pub fn missing_input_blob() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "MissingInputBlobInformation",
            "Missing Azure storage blob information. Provide a valid connection string and relative path or URI and try again.",
        )
    }

    /// 400 `BadArgument`/`InputBlobRelativeLocationInvalid`: a `RelativeLocation` with no blob name.
    pub fn relative_location_invalid() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "InputBlobRelativeLocationInvalid",
            "No Azure storage blob name provided. Provide a valid blob name and try again.",
        )
    }

    /// 400 `BadArgument`/`InvalidBlob`: a blob reference that cannot be used (`what` names it).
    pub fn invalid_blob(what: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "InvalidBlob",
            format!(
                "Invalid blob specification for blob: {what}. Verify that connection string / relative path or SAS token specification is correct and try again."
            ),
        )
    }

    /// 400 `BadArgument`/`InvalidBlobConnectionString`; `why` never holds the key. The
    /// documented text says "in invalid"; it is kept as documented.
    pub fn invalid_connection_string(why: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "InvalidBlobConnectionString",
            format!(
                "The connection string specified for one of the input/output blobs in invalid: {why}. Please correct this and try again."
            ),
        )
    }

    /// 400 `BadArgument`/`InvalidBlobExtension`: an output blob of a format the output lacks.
    pub fn invalid_blob_extension(reference: &str, supported: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "InvalidBlobExtension",
            format!(
                "The blob reference: {reference} has an invalid or missing file extension. Supported file extensions for this output type are: \"{supported}\"."
            ),
        )
    }

    /// 400 `BadArgument`/`InvalidOutputOverrideName`: `Outputs` names an output the service lacks.
    pub fn invalid_output_name(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "InvalidOutputOverrideName",
            format!(
                "Invalid output override name: {name}. The service does not have an output node with this name. Please pass in a correct output node name to override (case sensitivity applies)."
            ),
        )
    }

    /// 400 `BadArgument`/`MissingOutputOverrideSpecification`: an output override with no blob.
    pub fn missing_output_blob(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            BAD_ARGUMENT,
            "MissingOutputOverrideSpecification",
            format!(
                "The request is missing the blob specification for output override {name}. Please specify a valid blob location with the request, or remove the output specification if no location override is desired."
            ),
        )
    }

    /// 400 `InvalidOperation`/`CannotStartJob`: a start of a job that is not `NotStarted`.
    pub fn cannot_start_job(state: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            (
                "InvalidOperation",
                "The request is invalid in the current context.",
            ),
            "CannotStartJob",
            format!("The job cannot be started because it is in {state} state."),
        )
    }

    /// 404 `NotFound`/`JobNotFound` *(emulator)*: no job of this id (undocumented, §4.2).
    pub fn job_not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            NOT_FOUND,
            "JobNotFound",
            format!("Job '{id}' not found. Verify the job Id is correct and try again."),
        )
    }

    /// 503 `ServiceUnavailable`/`NoMoreResources`: the job table is full of jobs still to run.
    pub fn no_more_jobs(max: usize) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ("ServiceUnavailable", "Service is temporarily unavailable."),
            "NoMoreResources",
            format!(
                "No resources available for request. The emulator keeps at most {max} jobs and none of them has ended."
            ),
        )
    }

    /// 401 `Unauthorized`/`ScoreRequestUnauthorized`, the exact body of `protocol.md` §2.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            (
                "Unauthorized",
                "Request is unauthorized to access resource.",
            ),
            "ScoreRequestUnauthorized",
            "Invalid credentials provided.",
        )
    }

    /// 404 `NotFound`/`WebServiceNotFound`: an unknown workspace or service id.
    pub fn service_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            NOT_FOUND,
            "WebServiceNotFound",
            "Web service not found. Verify the web service Id is correct and try again.",
        )
    }

    /// 404 `NotFound`/`ResourceNotFound` *(emulator)*: a path that is no operation.
    pub fn no_such_operation(method: &str, path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            NOT_FOUND,
            "ResourceNotFound",
            format!("No operation {method} {path} on this host."),
        )
    }

    /// 408 `RequestTimeout`/`ScoreRequestTimeout`: the body did not arrive in time.
    pub fn body_timeout(secs: u64) -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            (
                "RequestTimeout",
                "The operation could not be completed within the permitted time.",
            ),
            "ScoreRequestTimeout",
            format!(
                "Execution request timed out. The request body was not received within {secs} seconds."
            ),
        )
    }

    /// 413 `RequestEntityTooLarge`/`RequestBodyTooLarge` *(emulator)*: over `limit` bytes (4 MB
    /// for RRS, `protocol.md` §3.6; the real code is undocumented, §9); `hint` says what to do.
    pub fn body_too_large(limit: usize, hint: &str) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ("RequestEntityTooLarge", "The request body is too large."),
            "RequestBodyTooLarge",
            format!("The request body is over the limit of {limit} bytes. {hint}"),
        )
    }

    /// 408 `RequestTimeout`/`ScoreRequestTimeout` *(emulator)*: the body arrived too slowly.
    pub fn body_too_slow(window_ms: u128, min_rate: u64) -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            (
                "RequestTimeout",
                "The operation could not be completed within the permitted time.",
            ),
            "ScoreRequestTimeout",
            format!(
                "Execution request timed out. The request body arrived slower than {min_rate} bytes per second over {window_ms} ms."
            ),
        )
    }

    /// 503 `ServiceUnavailable`/`RequestThrottled`: more scoring calls in flight than allowed.
    pub fn throttled(service: &str, max: usize) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ("ServiceUnavailable", "Service is temporarily unavailable."),
            "RequestThrottled",
            format!(
                "Request was throttled for {service} endpoint. The maximum concurrency for the endpoint is {max}."
            ),
        )
    }

    /// 500 `InternalError`/`UnknownError`: the emulator itself failed.
    pub fn internal(why: &str) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ("InternalError", "Execution encountered an internal error."),
            "UnknownError",
            format!("Unknown error. {why}"),
        )
    }

    /// The wire body.
    pub fn body(&self) -> ServiceError {
        ServiceError::new(self.class, self.class_message, self.code, &self.message)
    }
}

const BAD_ARGUMENT: (&str, &str) = ("BadArgument", "Invalid argument provided.");
const BAD_USER_ARGUMENT: (&str, &str) = ("BadUserArgument", "Invalid user argument provided.");
const NOT_FOUND: (&str, &str) = ("NotFound", "Resource not found.");

impl IntoResponse for ServiceFailure {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).expect("an error envelope serializes");
        json_response(self.status, body)
    }
}

/// A response with a JSON body and the service's content type.
pub fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn unauthorized_body_is_the_documented_one() {
        let v: Value = serde_json::to_value(ServiceFailure::unauthorized().body()).unwrap();
        assert_eq!(
            v,
            json!({"error":{"code":"Unauthorized","message":"Request is unauthorized to access resource.",
                "details":[{"code":"ScoreRequestUnauthorized","message":"Invalid credentials provided."}]}})
        );
    }

    #[test]
    fn every_answer_has_details_and_json_content_type() {
        let f = ServiceFailure::throttled("svc", 20);
        assert_eq!(
            f.message,
            "Request was throttled for svc endpoint. The maximum concurrency for the endpoint is 20."
        );
        let resp = f.into_response();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(resp.headers()[header::CONTENT_TYPE], JSON_UTF8);
        let v = serde_json::to_value(ServiceFailure::bad_version(None).body()).unwrap();
        assert_eq!(v["error"]["details"][0]["code"], "BadVersionCall");
        assert_eq!(v["error"]["code"], "BadArgument");
    }
}
