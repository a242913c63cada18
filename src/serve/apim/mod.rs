//! The API Management layer (`protocol.md` §6): requests under `/{suffix}` are matched against
//! the operations of the API (§1.3, as the walkthrough registers them; template query
//! parameters optional), then the subscription key is checked (header, else `subscription-key`
//! query parameter), then the rate limit (sliding window, 429) and the call quota (fixed window
//! from the first call, 403), each with `Retry-After`. Admitted requests are forwarded in-process
//! to the service routes with the suffix stripped, and their answers relayed unchanged. The
//! gateway's own answers are the exact bodies of §6.3. Knows nothing of what operations do.
//!
//! Built from an OpenAPI document (`--apim-definition`, `definition.rs`), the gateway routes that
//! document's operations instead; with a policy (`--apim-policy`, `policy.rs`) it applies the
//! policy's limits and sets its headers on the admitted requests (`Authorization` from the named
//! value of the API key), as the real gateway does after an import.

mod definition;
mod limits;
mod policy;

pub use definition::Definition;
pub use limits::CallLimit;
pub use policy::{Policy, SetHeader};

use crate::secret::Secret;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use limits::{Counters, Limited, timespan, whole_seconds};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tower::ServiceExt;

/// Header of the subscription key (§6.2).
pub const KEY_HEADER: &str = "Ocp-Apim-Subscription-Key";
/// Query parameter of the subscription key, read only when the header is absent (§6.2).
pub const KEY_QUERY: &str = "subscription-key";

/// The gateway's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApimConfig {
    /// The API URL suffix, without surrounding slashes (e.g. `azureml-demo`).
    pub suffix: String,
    pub rate_limit: Option<CallLimit>,
    pub quota: Option<CallLimit>,
    /// The operations routed (`--apim-definition`); none: those of the documentation (§1.3).
    pub definition: Option<Arc<Definition>>,
    /// Headers set on admitted requests (the policy's `set-header`s).
    pub set_headers: Vec<SetHeader>,
    /// The policy's statements that the emulator does not run, for a note.
    pub ignored: Vec<String>,
}

impl ApimConfig {
    /// Checks and normalizes the suffix: path segments of letters, digits, `-`, `_`, `.`,
    /// not starting with `workspaces` (that is where the service routes are).
    pub fn new(
        suffix: &str,
        rate_limit: Option<CallLimit>,
        quota: Option<CallLimit>,
    ) -> Result<Self, String> {
        let suffix = suffix.trim_matches('/');
        let segment_ok = |seg: &str| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                && seg != "."
                && seg != ".."
        };
        if !suffix.split('/').all(segment_ok) {
            return Err(format!(
                "`{suffix}` is not an API URL suffix (letters, digits, `-`, `_`, `.`, `/`)"
            ));
        }
        if suffix.split('/').next() == Some("workspaces") {
            return Err(format!(
                "the API URL suffix `{suffix}` would hide the service routes under `/workspaces`"
            ));
        }
        Ok(ApimConfig {
            suffix: suffix.to_string(),
            rate_limit,
            quota,
            definition: None,
            set_headers: vec![],
            ignored: vec![],
        })
    }

    /// Routes only the operations of `definition`.
    pub fn with_definition(mut self, definition: Definition) -> Self {
        self.definition = Some(Arc::new(definition));
        self
    }

    /// Applies a policy's limits and headers; a limit given both here and by a flag is an error.
    pub fn with_policy(mut self, policy: &Policy) -> Result<Self, String> {
        for (name, flag, from_policy) in [
            ("rate-limit", &mut self.rate_limit, policy.rate_limit),
            ("quota", &mut self.quota, policy.quota),
        ] {
            if let Some(l) = from_policy {
                if flag.is_some() {
                    return Err(format!(
                        "the policy has a `{name}` and so does `--{name}`: give it in one place"
                    ));
                }
                *flag = Some(l);
            }
        }
        self.set_headers = policy.set_headers.clone();
        self.ignored = policy.ignored.clone();
        Ok(self)
    }
}

/// A configured gateway: settings, key, realm and counters.
#[derive(Debug)]
pub struct Gateway {
    config: ApimConfig,
    key: Secret,
    /// `WWW-Authenticate` value of the 401s: the realm is the API's base URL (§6.3).
    challenge: HeaderValue,
    /// Counters of the one subscription (the emulator has one subscription key).
    counters: Mutex<Counters>,
    /// The policy's headers, their named values resolved.
    set_headers: Vec<policy::ResolvedHeader>,
}

impl Gateway {
    pub fn new(config: ApimConfig, base_url: &str, id: &super::Identity) -> Result<Self, String> {
        let challenge = format!(
            "AzureApiManagementKey realm=\"{base_url}\",name=\"{KEY_HEADER}\",type=\"header\""
        );
        // The one named value is the API key (the policy's reader refuses others).
        let set_headers = policy::resolve_headers(&config.set_headers, id.api_key.expose())?;
        Ok(Gateway {
            set_headers,
            key: id.subscription_key.clone().unwrap_or_default(),
            challenge: HeaderValue::from_str(&challenge).expect("a URL is a valid header value"),
            counters: Mutex::new(Counters::default()),
            config,
        })
    }

    pub fn suffix(&self) -> &str {
        &self.config.suffix
    }
}

/// The gateway as a router to nest at `/{suffix}`; `service` gets the admitted requests.
pub fn router(gateway: Gateway, service: Router) -> Router {
    Router::new()
        .fallback(handle)
        .with_state((Arc::new(gateway), service))
}

async fn handle(State((gw, service)): State<(Arc<Gateway>, Router)>, mut req: Request) -> Response {
    let routed = match &gw.config.definition {
        Some(d) => d
            .operation(req.method(), req.uri().path(), req.uri().query())
            .is_some(),
        None => is_operation(req.method(), req.uri().path()),
    };
    if !routed {
        return refusal(StatusCode::NOT_FOUND, "Resource not found", &[]);
    }
    let challenge = [(header::WWW_AUTHENTICATE, gw.challenge.clone())];
    match subscription_key(req.headers(), req.uri().query()) {
        None => {
            return refusal(
                StatusCode::UNAUTHORIZED,
                "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
                &challenge,
            );
        }
        Some(k) if gw.key.is_empty() || !gw.key.ct_eq(&k) => {
            return refusal(
                StatusCode::UNAUTHORIZED,
                "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.",
                &challenge,
            );
        }
        Some(_) => {}
    }
    let admitted = gw
        .counters
        .lock()
        .expect("the counters lock is never poisoned: nothing panics while holding it")
        .admit(Instant::now(), gw.config.rate_limit, gw.config.quota);
    if let Err(limit) = admitted {
        return limit.into_response();
    }
    policy::apply_headers(req.headers_mut(), &gw.set_headers);
    if let Some(base) = gw
        .config
        .definition
        .as_ref()
        .map(|d| d.backend_path())
        .filter(|b| !b.is_empty())
    {
        let path_and_query = req.uri().path_and_query().map_or("/", |p| p.as_str());
        match format!("{base}{path_and_query}").parse() {
            Ok(uri) => *req.uri_mut() = uri,
            Err(_) => return refusal(StatusCode::NOT_FOUND, "Resource not found", &[]),
        }
    }
    match service.oneshot(req).await {
        Ok(resp) => resp,
        Err(never) => match never {},
    }
}

/// The operations of the API (§1.3, §6.1). Path parameters must not be empty.
fn is_operation(method: &Method, path: &str) -> bool {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let ["workspaces", ws, "services", svc, op @ ..] = segs.as_slice() else {
        return false;
    };
    if ws.is_empty() || svc.is_empty() {
        return false;
    }
    match op {
        ["execute"] | ["jobs"] => method == Method::POST,
        ["jobs", id, "start"] => method == Method::POST && !id.is_empty(),
        ["jobs", id] => (method == Method::GET || method == Method::DELETE) && !id.is_empty(),
        _ => false,
    }
}

/// The header wins; the query parameter counts only when the header is absent (§6.2).
fn subscription_key(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    if let Some(v) = headers.get(KEY_HEADER) {
        return Some(String::from_utf8_lossy(v.as_bytes()).trim().to_string())
            .filter(|k| !k.is_empty());
    }
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(name, _)| name.eq_ignore_ascii_case(KEY_QUERY))
        .map(|(_, v)| v.trim().to_string())
        .filter(|k| !k.is_empty())
}

impl IntoResponse for Limited {
    fn into_response(self) -> Response {
        match self {
            Limited::Rate(secs) => refusal(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("Rate limit is exceeded. Try again in {secs} seconds."),
                &[(header::RETRY_AFTER, HeaderValue::from(secs))],
            ),
            Limited::Quota(left) => refusal(
                StatusCode::FORBIDDEN,
                &format!(
                    "Out of call volume quota. Quota will be replenished in {}.",
                    timespan(left)
                ),
                &[(header::RETRY_AFTER, HeaderValue::from(whole_seconds(left)))],
            ),
        }
    }
}

/// The gateway's 429 with `Retry-After: secs`, for faults injected with or without a gateway.
pub fn rate_limit_response(secs: u64) -> Response {
    Limited::Rate(secs).into_response()
}

/// A gateway answer: `{ "statusCode": N, "message": "..." }` exactly as APIM spaces it (the
/// captured 429 is 84 bytes long, §6.3), `Content-Type: application/json`.
fn refusal(
    status: StatusCode,
    message: &str,
    headers: &[(header::HeaderName, HeaderValue)],
) -> Response {
    let msg = serde_json::to_string(message).expect("a string serializes");
    let body = format!(
        "{{ \"statusCode\": {}, \"message\": {msg} }}",
        status.as_u16()
    );
    let mut resp = (status, Body::from(body)).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    for (name, value) in headers {
        h.insert(name.clone(), value.clone());
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::post;

    #[test]
    fn suffixes_are_checked() {
        assert_eq!(
            ApimConfig::new("/azureml-demo/", None, None)
                .unwrap()
                .suffix,
            "azureml-demo"
        );
        assert_eq!(
            ApimConfig::new("a/b.c", None, None).unwrap().suffix,
            "a/b.c"
        );
        for bad in ["", "a b", "a//b", "workspaces", "workspaces/x", "..", "é"] {
            assert!(ApimConfig::new(bad, None, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_the_registered_operations_match() {
        let p = "/workspaces/w/services/s";
        assert!(is_operation(&Method::POST, &format!("{p}/execute")));
        assert!(is_operation(&Method::POST, &format!("{p}/jobs")));
        assert!(is_operation(&Method::POST, &format!("{p}/jobs/j1/start")));
        assert!(is_operation(&Method::GET, &format!("{p}/jobs/j1")));
        assert!(is_operation(&Method::DELETE, &format!("{p}/jobs/j1")));
        assert!(!is_operation(&Method::GET, &format!("{p}/execute")));
        assert!(!is_operation(&Method::GET, &format!("{p}/swagger.json")));
        assert!(!is_operation(&Method::POST, &format!("{p}/execute/")));
        assert!(!is_operation(
            &Method::POST,
            "/workspaces//services/s/execute"
        ));
        assert!(!is_operation(&Method::POST, "/"));
    }

    #[test]
    fn the_header_key_wins_over_the_query_key() {
        let mut h = HeaderMap::new();
        assert_eq!(
            subscription_key(&h, Some("subscription-key=q")),
            Some("q".into())
        );
        assert_eq!(subscription_key(&h, Some("api-version=2.0")), None);
        h.insert("ocp-apim-subscription-key", HeaderValue::from_static("h"));
        assert_eq!(
            subscription_key(&h, Some("subscription-key=q")),
            Some("h".into())
        );
    }

    #[test]
    fn gateway_bodies_are_exact() {
        let resp = Limited::Rate(57).into_response();
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(resp.headers()[header::RETRY_AFTER], "57");
        assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/json");
        let body =
            futures::executor::block_on(axum::body::to_bytes(resp.into_body(), 1000)).unwrap();
        assert_eq!(
            body,
            r#"{ "statusCode": 429, "message": "Rate limit is exceeded. Try again in 57 seconds." }"#
        );
        assert_eq!(body.len(), 84, "the length of the captured 429");
    }

    fn gateway(rate: Option<CallLimit>) -> Router {
        let id = crate::serve::Identity::new_or_random(None, None, None, Some("sk".into()), true)
            .unwrap();
        let gw = Gateway::new(
            ApimConfig::new("gw", rate, None).unwrap(),
            "http://h/gw",
            &id,
        )
        .unwrap();
        let service = Router::new().route(
            "/workspaces/{ws}/services/{svc}/execute",
            post(|req: Request| async move { req.uri().to_string() }),
        );
        Router::new().nest_service("/gw", router(gw, service))
    }

    async fn call(app: &Router, uri: &str, key: Option<&str>) -> (StatusCode, HeaderMap, String) {
        let mut req = Request::post(uri);
        if let Some(k) = key {
            req = req.header(KEY_HEADER, k);
        }
        let resp = app
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let (parts, body) = resp.into_parts();
        let body = axum::body::to_bytes(body, 10_000).await.unwrap();
        (
            parts.status,
            parts.headers,
            String::from_utf8(body.to_vec()).unwrap(),
        )
    }

    #[tokio::test]
    async fn admitted_calls_are_forwarded_without_the_suffix() {
        let app = gateway(None);
        let (s, _, body) = call(
            &app,
            "/gw/workspaces/w/services/s/execute?api-version=2.0",
            Some("sk"),
        )
        .await;
        assert_eq!(
            (s, body.as_str()),
            (
                StatusCode::OK,
                "/workspaces/w/services/s/execute?api-version=2.0"
            )
        );
        let (s, _, _) = call(
            &app,
            "/gw/workspaces/w/services/s/execute?subscription-key=sk",
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
    }

    #[tokio::test]
    async fn refusals_come_in_order_404_401_429() {
        let app = gateway(Some("1/60".parse().unwrap()));
        let (s, _, body) = call(&app, "/gw/nothing", None).await;
        assert_eq!(
            (s, body.as_str()),
            (
                StatusCode::NOT_FOUND,
                r#"{ "statusCode": 404, "message": "Resource not found" }"#
            )
        );
        let (s, h, body) = call(&app, "/gw/workspaces/w/services/s/execute", None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert!(body.contains("missing subscription key"), "{body}");
        assert_eq!(
            h[header::WWW_AUTHENTICATE],
            r#"AzureApiManagementKey realm="http://h/gw",name="Ocp-Apim-Subscription-Key",type="header""#
        );
        let (s, _, body) = call(&app, "/gw/workspaces/w/services/s/execute", Some("nope")).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert!(body.contains("invalid subscription key"), "{body}");
        assert_eq!(
            call(&app, "/gw/workspaces/w/services/s/execute", Some("sk"))
                .await
                .0,
            StatusCode::OK
        );
        let (s, h, _) = call(&app, "/gw/workspaces/w/services/s/execute", Some("sk")).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            h[header::RETRY_AFTER]
                .to_str()
                .unwrap()
                .parse::<u64>()
                .unwrap()
                >= 59
        );
    }
}
