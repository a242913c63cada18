//! KServe's v1 protocol, TF-Serving style (`adapters.md` §4), as `kserve` 0.21's model server
//! answers for a scikit-learn model: `GET /v1/models` and `/v1/models/feature-hashing` (its
//! readiness), `POST /v1/models/feature-hashing:predict`. `instances` (or `inputs`) are rows
//! as lists of cells (`[["text"], ...]`, `Col2` the only column) or column dicts
//! (`[{"Col2": [...]}]`, concatenated); a list of row objects fails as in kserve ("If using
//! all scalar values, you must pass an index"). Answers `{"predictions": [[counts], ...]}`;
//! errors `{"error": ...}`: 400 for a body that is no request, 404 for another model, 500 for
//! an exception inside the model.

use super::model::{self, Cell, Failure, Shape};
use super::{Call, MODEL_NAME, Model, ProtocolState, Scored, error_field, fastapi_detail, json};
use crate::serve::http::Connection;
use crate::serve::reqlog::Note;
use crate::serve::rrs::COLUMN;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::Arc;

pub fn routes() -> Router<Arc<ProtocolState>> {
    Router::new()
        .route("/v1/models", get(models))
        .route("/v1/models/{target}", get(model_ready).post(predict))
        .fallback(|| async { fastapi_detail(StatusCode::NOT_FOUND) })
        .method_not_allowed_fallback(|| async { fastapi_detail(StatusCode::METHOD_NOT_ALLOWED) })
}

async fn models() -> Response {
    json(
        StatusCode::OK,
        json!({ "models": [MODEL_NAME] }).to_string().into_bytes(),
    )
}

fn not_found(name: &str) -> Response {
    error_field(
        StatusCode::NOT_FOUND,
        &format!("Model with name {name} does not exist."),
    )
}

async fn model_ready(Path(name): Path<String>) -> Response {
    if name != MODEL_NAME {
        return not_found(&name);
    }
    let body = json!({"name": MODEL_NAME, "ready": true}).to_string();
    json(StatusCode::OK, body.into_bytes())
}

/// `POST /v1/models/{name}:{verb}`: the path segment holds both.
async fn predict(
    State(state): State<Arc<ProtocolState>>,
    Path(target): Path<String>,
    note: Note,
    conn: Connection,
    req: Request,
) -> Response {
    let Some((name, "predict")) = target.rsplit_once(':') else {
        return fastapi_detail(StatusCode::NOT_FOUND);
    };
    if name != MODEL_NAME {
        return not_found(name);
    }
    let (parts, body) = req.into_parts();
    let call = Call {
        note,
        conn,
        headers: parts.headers,
        body,
    };
    super::score(&state, call, score).await
}

/// Scores one `:predict` body (kserve reads it as JSON whatever its content type).
pub fn score(body: &[u8], m: Model) -> Scored {
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            let msg = format!("Unrecognized request format: {e}");
            return (error_field(StatusCode::BAD_REQUEST, &msg), None);
        }
    };
    let instances = match v.get("inputs").or_else(|| v.get("instances")) {
        Some(Value::Array(items)) => items,
        Some(_) => {
            let msg = "Expected \"instances\" to be a list";
            return (error_field(StatusCode::BAD_REQUEST, msg), None);
        }
        None => {
            let msg = "Expected \"instances\" or \"inputs\" in the request body";
            return (error_field(StatusCode::BAD_REQUEST, msg), None);
        }
    };
    let mut out = b"{\"predictions\":".to_vec();
    let scored = cells(instances)
        .and_then(|cells| model::write(&mut out, &cells, m.defaults, m.max_cells, Shape::Lists));
    match scored {
        Ok(rows) => {
            out.push(b'}');
            (json(StatusCode::OK, out), Some(rows))
        }
        Err(Failure::Model(line)) => (error_field(StatusCode::INTERNAL_SERVER_ERROR, &line), None),
        Err(f) => (
            error_field(StatusCode::PAYLOAD_TOO_LARGE, &f.message()),
            None,
        ),
    }
}

/// The `Col2` cells of `instances`: column dicts concatenated, else rows as lists.
fn cells(instances: &[Value]) -> Result<Vec<Cell<'_>>, Failure> {
    if !instances.first().is_some_and(Value::is_object) {
        return model::rows_column(instances);
    }
    let mut cells = Vec::new();
    for dict in instances {
        let Value::Object(columns) = dict else {
            return Err(Failure::Model(
                "AttributeError: 'list' object has no attribute 'items'".into(),
            ));
        };
        if columns.values().all(|v| !v.is_array()) {
            return Err(Failure::Model(
                "ValueError: If using all scalar values, you must pass an index".into(),
            ));
        }
        let lengths: Vec<usize> = columns
            .values()
            .map(|v| v.as_array().map_or(1, Vec::len))
            .collect();
        if lengths.windows(2).any(|w| w[0] != w[1]) {
            return Err(Failure::Model(
                "ValueError: All arrays must be of the same length".into(),
            ));
        }
        match columns.get(COLUMN) {
            Some(Value::Array(col)) => cells.extend(col.iter().map(Cell::json)),
            Some(scalar) => cells.push(Cell::json(scalar)),
            None => {
                return Err(Failure::Model(format!(
                    "ValueError: A given column is not a column of the dataframe: columns are missing: {{'{COLUMN}'}}"
                )));
            }
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::FeatureHashing;

    const M: Model = Model {
        defaults: FeatureHashing { bits: 3, ngrams: 2 },
        max_cells: 1000,
    };

    fn scored(body: Value) -> (u16, Value) {
        let (resp, _) = score(body.to_string().as_bytes(), M);
        let status = resp.status().as_u16();
        let bytes = futures::executor::block_on(axum::body::to_bytes(resp.into_body(), 1 << 20));
        (status, serde_json::from_slice(&bytes.unwrap()).unwrap())
    }

    #[test]
    fn rows_and_column_dicts_score_alike() {
        let want = json!({"predictions": [[1, 1, 2, 2, 0, 2, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0]]});
        let rows = json!({"instances": [["This is a good day"], [""]]});
        assert_eq!(scored(rows), (200, want.clone()));
        let dicts = json!({"instances": [{"Col2": ["This is a good day"]}, {"Col2": [""]}]});
        assert_eq!(scored(dicts), (200, want.clone()));
        let inputs = json!({"inputs": [{"Col2": ["This is a good day", ""], "x": [1, 2]}]});
        assert_eq!(scored(inputs), (200, want));
    }

    #[test]
    fn refusals_are_400_and_model_failures_500() {
        let (status, v) = scored(json!({"rows": []}));
        assert_eq!(status, 400);
        assert!(v["error"].as_str().unwrap().contains("\"instances\""));
        assert_eq!(scored(json!({"instances": "x"})).0, 400);
        let (resp, _) = score(b"{not json", M);
        assert_eq!(resp.status(), 400);
        for (body, cause) in [
            (json!({"instances": [{"Col2": "a"}]}), "must pass an index"),
            (json!({"instances": [["a", "b"]]}), "2 features"),
            (json!({"instances": [[null]]}), "NoneType"),
            (json!({"instances": []}), "0 sample(s)"),
            (json!({"instances": [{"x": ["a"]}]}), "columns are missing"),
        ] {
            let (status, v) = scored(body.clone());
            assert_eq!(status, 500, "{body}");
            assert!(v["error"].as_str().unwrap().contains(cause), "{body}: {v}");
        }
    }
}
