//! The operations of an OpenAPI 3.0 document (`mlws serve --apim-definition`, as `mlws apim
//! export` writes it or any API's), as the gateway matches requests against them (`protocol.md`
//! §6.1): a method and a path template (`{param}` matches one non-empty segment, or a part of
//! one, as in `{model_name}:predict`), and the query parameters the document marks required,
//! which API Management makes part of the operation's URL template on import. The path of the
//! document's first server is where the operations live on the backend. No HTTP here.

use axum::http::Method;
use openapiv3::{OpenAPI, Parameter, ReferenceOr};

/// The document's operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    operations: Vec<Operation>,
    /// The path of `servers[0].url` (no trailing slash), put before a forwarded request's path.
    backend_path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Operation {
    id: String,
    method: Method,
    template: Vec<Vec<Part>>,
    required_query: Vec<String>,
}

/// A piece of a path segment template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Param,
}

impl Definition {
    /// Reads an OpenAPI 3.0 document (JSON).
    pub fn parse(json: &[u8]) -> Result<Self, String> {
        let raw: serde_json::Value =
            serde_json::from_slice(json).map_err(|e| format!("not JSON: {e}"))?;
        match raw.get("openapi").and_then(|v| v.as_str()) {
            Some(v) if v.starts_with("3.") => {}
            Some(v) => return Err(format!("OpenAPI {v} is not OpenAPI 3")),
            None => return Err("no `openapi` version: not an OpenAPI 3 document".into()),
        }
        let doc: OpenAPI =
            serde_json::from_value(raw).map_err(|e| format!("not an OpenAPI document: {e}"))?;
        let mut operations = vec![];
        for (path, item) in &doc.paths.paths {
            let ReferenceOr::Item(item) = item else {
                return Err(format!("the path item of `{path}` is a reference"));
            };
            for (method, op) in item.iter() {
                let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes())
                    .expect("OpenAPI methods are HTTP methods");
                let mut required_query = vec![];
                for p in item.parameters.iter().chain(&op.parameters) {
                    if let Parameter::Query { parameter_data, .. } = resolve(&doc, p)?
                        && parameter_data.required
                    {
                        required_query.push(parameter_data.name.clone());
                    }
                }
                operations.push(Operation {
                    id: op
                        .operation_id
                        .clone()
                        .unwrap_or_else(|| format!("{method} {path}")),
                    method,
                    template: template(path)?,
                    required_query,
                });
            }
        }
        if operations.is_empty() {
            return Err("the document has no operations".into());
        }
        let backend_path = doc
            .servers
            .first()
            .map(|s| server_path(&s.url))
            .unwrap_or_default();
        Ok(Definition {
            operations,
            backend_path,
        })
    }

    /// The id of the operation `method path?query` matches, if any.
    pub fn operation(&self, method: &Method, path: &str, query: Option<&str>) -> Option<&str> {
        let segs: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
        let given: Vec<String> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
            .map(|(k, _)| k.into_owned())
            .collect();
        self.operations
            .iter()
            .find(|op| {
                op.method == method
                    && op.template.len() == segs.len()
                    && op.template.iter().zip(&segs).all(|(t, s)| segment(t, s))
                    && op.required_query.iter().all(|q| given.contains(q))
            })
            .map(|op| op.id.as_str())
    }

    /// The path of the backend's base URL, before the operations' paths.
    pub fn backend_path(&self) -> &str {
        &self.backend_path
    }

    /// The number of operations (never 0).
    pub fn operation_count(&self) -> usize {
        self.operations.len()
    }
}

fn resolve<'a>(doc: &'a OpenAPI, p: &'a ReferenceOr<Parameter>) -> Result<&'a Parameter, String> {
    match p {
        ReferenceOr::Item(p) => Ok(p),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/parameters/")
            .and_then(|name| doc.components.as_ref()?.parameters.get(name))
            .and_then(|p| p.as_item())
            .ok_or_else(|| format!("the parameter `{reference}` is not in the document")),
    }
}

/// `/a/{b}/c{d}e` as segments of parts.
fn template(path: &str) -> Result<Vec<Vec<Part>>, String> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("the path `{path}` does not start with `/`"));
    };
    rest.split('/')
        .map(|seg| {
            let mut parts = vec![];
            let mut s = seg;
            while let Some(open) = s.find('{') {
                let close = s[open..]
                    .find('}')
                    .ok_or_else(|| format!("`{{` without `}}` in the path `{path}`"))?;
                if open > 0 {
                    parts.push(Part::Literal(s[..open].to_string()));
                }
                if parts.last() == Some(&Part::Param) {
                    return Err(format!("two parameters side by side in the path `{path}`"));
                }
                parts.push(Part::Param);
                s = &s[open + close + 1..];
            }
            if !s.is_empty() {
                parts.push(Part::Literal(s.to_string()));
            }
            Ok(parts)
        })
        .collect()
}

/// Whether a request path segment matches a segment template; a parameter takes at least one
/// character, and as few as let the rest match.
fn segment(parts: &[Part], s: &str) -> bool {
    match parts.split_first() {
        None => s.is_empty(),
        Some((Part::Literal(l), rest)) => {
            s.strip_prefix(l.as_str()).is_some_and(|s| segment(rest, s))
        }
        Some((Part::Param, rest)) => (1..=s.len())
            .filter(|i| s.is_char_boundary(*i))
            .any(|i| segment(rest, &s[i..])),
    }
}

/// The path of a server URL, absolute (`https://h/p`) or relative (`/p`), without a trailing
/// slash.
fn server_path(url: &str) -> String {
    let path = match url::Url::parse(url) {
        Ok(u) => u.path().to_string(),
        Err(_) => url.to_string(),
    };
    path.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apim::{Export, document};
    use crate::protocol::Kind;

    fn exported(kind: Kind, url: &str) -> Definition {
        let url = url::Url::parse(url).unwrap();
        let doc = document(&Export {
            kind,
            url: &url,
            title: None,
            schema: None,
            deployment: None,
        })
        .unwrap();
        Definition::parse(&serde_json::to_vec(&doc).unwrap()).unwrap()
    }

    #[test]
    fn the_classic_operations_match_with_their_required_query() {
        let d = exported(Kind::Classic, "http://h/workspaces/w/services/s");
        assert_eq!(d.operation_count(), 5);
        assert_eq!(d.backend_path(), "");
        let p = "/workspaces/w1/services/s1";
        let op = |m: Method, path: &str, q: Option<&str>| d.operation(&m, path, q);
        let v = Some("api-version=2.0&details=true");
        assert_eq!(
            op(Method::POST, &format!("{p}/execute"), v),
            Some("rrs-execute")
        );
        assert_eq!(
            op(Method::POST, &format!("{p}/jobs"), v),
            Some("bes-submit")
        );
        assert_eq!(
            op(Method::POST, &format!("{p}/jobs/j/start"), v),
            Some("bes-start")
        );
        assert_eq!(
            op(Method::GET, &format!("{p}/jobs/j"), v),
            Some("bes-status")
        );
        assert_eq!(
            op(Method::DELETE, &format!("{p}/jobs/j"), v),
            Some("bes-delete")
        );
        // api-version is required: without it no operation matches, as behind API Management.
        assert_eq!(op(Method::POST, &format!("{p}/execute"), None), None);
        assert_eq!(op(Method::GET, &format!("{p}/execute"), v), None);
        assert_eq!(op(Method::GET, &format!("{p}/swagger.json"), v), None);
        assert_eq!(op(Method::POST, "/workspaces//services/s/execute", v), None);
        assert_eq!(op(Method::POST, &format!("{p}/execute/"), v), None);
    }

    #[test]
    fn parameters_may_be_part_of_a_segment() {
        let d = exported(Kind::KserveV1, "http://h/v1/models/m:predict");
        assert_eq!(
            d.operation(&Method::POST, "/v1/models/iris:predict", None),
            Some("kserve-v1-predict")
        );
        assert_eq!(
            d.operation(&Method::POST, "/v1/models/:predict", None),
            None
        );
        assert_eq!(
            d.operation(&Method::GET, "/v1/models/iris", None),
            Some("kserve-v1-model")
        );
        let d = exported(Kind::Mlflow, "http://h/serving-endpoints/e/invocations");
        assert_eq!(
            d.operation(&Method::POST, "/serving-endpoints/e/invocations", None),
            Some("mlflow-invocations")
        );
        assert_eq!(d.operation(&Method::POST, "/invocations", None), None);
    }

    #[test]
    fn the_backend_path_comes_from_the_server() {
        let d = Definition::parse(
            br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "servers": [{"url": "https://h/base/"}],
                "paths": {"/a/{b}": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#,
        )
        .unwrap();
        assert_eq!(d.backend_path(), "/base");
        assert_eq!(d.operation(&Method::GET, "/a/x", None), Some("GET /a/{b}"));
        for bad in [
            &br#"{"swagger": "2.0"}"#[..],
            br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
            b"not json",
        ] {
            assert!(Definition::parse(bad).is_err());
        }
    }
}
