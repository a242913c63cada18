//! The blob store's HTTP face: one handler for `/{account}/{container}[/{blob...}]` that decodes
//! and checks the names, picks the operation from the method and the `restype`/`comp` query,
//! authorizes it (`guard.rs`) before reading any body, runs it on the store (`store.rs`) and
//! answers with Azure's headers (`x-ms-request-id`, `ETag`, `Last-Modified`, ...).

use super::BlobStore;
use super::error::{BlobError, block_id_len};
use super::guard::{self, Need, Resource};
use super::store::{BlobMeta, BlockListing, Conditions, ListKind, MAX_BLOCK, MAX_PUT_BLOB};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use futures::{StreamExt, TryStreamExt};
use std::sync::Arc;
use std::time::SystemTime;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// The `x-ms-version` we answer with when the request names none.
const VERSION: &str = crate::blob::API_VERSION;
/// A Put Block List body is XML of at most 50,000 ids; more than this is not one.
const MAX_LIST_BODY: u64 = 8 << 20;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    CreateContainer,
    ContainerProperties,
    DeleteContainer,
    PutBlob,
    PutBlock,
    PutBlockList,
    GetBlockList,
    GetBlob,
    BlobProperties,
    DeleteBlob,
}

impl Op {
    fn need(self) -> Need {
        match self {
            Op::CreateContainer | Op::DeleteContainer => Need::KeyOnly,
            Op::ContainerProperties | Op::GetBlob | Op::GetBlockList | Op::BlobProperties => {
                Need::Read
            }
            Op::PutBlob | Op::PutBlock | Op::PutBlockList => Need::Write,
            Op::DeleteBlob => Need::Delete,
        }
    }
}

pub async fn handle(State(store): State<Arc<BlobStore>>, req: Request) -> Response {
    let version = req
        .headers()
        .get("x-ms-version")
        .cloned()
        .unwrap_or(HeaderValue::from_static(VERSION));
    let mut response = match dispatch(&store, req).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    let h = response.headers_mut();
    h.insert("x-ms-request-id", value(&request_id()));
    h.insert("x-ms-version", version);
    h.insert("date", value(&httpdate::fmt_http_date(SystemTime::now())));
    h.insert("server", HeaderValue::from_static("mlws-blobstore"));
    response
}

async fn dispatch(store: &BlobStore, req: Request) -> Result<Response, BlobError> {
    let (parts, body) = req.into_parts();
    let (container, blob) = names(store.account(), parts.uri.path())?;
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let op = operation(&parts.method, blob.is_some(), &query)?;
    let resource = Resource {
        container: &container,
        blob: blob.as_deref(),
    };
    guard::authorize(
        store.account(),
        store.key(),
        &parts,
        &query,
        &resource,
        op.need(),
    )?;
    let s = &store.store;
    let blob = blob.unwrap_or_default();
    match op {
        Op::CreateContainer => {
            s.create_container(&container)?;
            let (etag, modified) = s.container(&container)?;
            Ok(written(StatusCode::CREATED, &etag, modified))
        }
        Op::ContainerProperties => {
            let (etag, modified) = s.container(&container)?;
            Ok(written(StatusCode::OK, &etag, modified))
        }
        Op::DeleteContainer => {
            s.delete_container(&container)?;
            Ok(StatusCode::ACCEPTED.into_response())
        }
        Op::PutBlob => put_blob(store, &parts, body, &container, &blob).await,
        Op::PutBlock => {
            let id = query_value(&query, "blockid").unwrap_or_default();
            let len = block_id_len(&id);
            if len == 0 || len > 64 {
                return Err(BlobError::invalid_query("blockid"));
            }
            s.container(&container)?;
            let extent = s.write_body(body, MAX_BLOCK.min(s.max_blob())).await?;
            s.put_block(&container, &blob, &id, extent)?;
            Ok(StatusCode::CREATED.into_response())
        }
        Op::PutBlockList => {
            let xml = read_small(body).await?;
            let list = parse_block_list(&xml)?;
            let ct = header(&parts.headers, "x-ms-blob-content-type")
                .unwrap_or_else(|| "application/octet-stream".into());
            let meta =
                s.put_block_list(&container, &blob, &list, ct, &conditions(&parts.headers))?;
            Ok(written(StatusCode::CREATED, &meta.etag, meta.modified))
        }
        Op::GetBlockList => {
            let which = query_value(&query, "blocklisttype");
            let (committed, uncommitted) = match which.as_deref() {
                None | Some("committed") => (true, false),
                Some("uncommitted") => (false, true),
                Some("all") => (true, true),
                Some(_) => return Err(BlobError::invalid_query("blocklisttype")),
            };
            let listing = s.block_list(&container, &blob)?;
            Ok(block_list_answer(&listing, committed, uncommitted))
        }
        Op::GetBlob | Op::BlobProperties => {
            let meta = s.blob(&container, &blob)?;
            read_blob(&parts, meta, op == Op::GetBlob).await
        }
        Op::DeleteBlob => {
            s.delete_blob(&container, &blob, &conditions(&parts.headers))?;
            Ok(StatusCode::ACCEPTED.into_response())
        }
    }
}

/// Put Blob: the whole body becomes the blob (block blobs only).
async fn put_blob(
    store: &BlobStore,
    parts: &Parts,
    body: Body,
    container: &str,
    blob: &str,
) -> Result<Response, BlobError> {
    let s = &store.store;
    s.container(container)?;
    let blob_type = header(&parts.headers, "x-ms-blob-type").unwrap_or_default();
    if !blob_type.eq_ignore_ascii_case("BlockBlob") {
        return Err(BlobError::new(
            400,
            "InvalidHeaderValue",
            "Only block blobs (x-ms-blob-type: BlockBlob) are emulated.",
        ));
    }
    let extent = s.write_body(body, MAX_PUT_BLOB.min(s.max_blob())).await?;
    let ct = header(&parts.headers, "x-ms-blob-content-type")
        .or_else(|| header(&parts.headers, "content-type"))
        .unwrap_or_else(|| "application/octet-stream".into());
    let meta = s.put_blob(container, blob, extent, ct, &conditions(&parts.headers))?;
    Ok(written(StatusCode::CREATED, &meta.etag, meta.modified))
}

fn operation(method: &Method, has_blob: bool, query: &[(String, String)]) -> Result<Op, BlobError> {
    let restype = query_value(query, "restype");
    let comp = query_value(query, "comp");
    let op = match (
        has_blob,
        restype.as_deref(),
        comp.as_deref(),
        method.as_str(),
    ) {
        (false, Some("container"), None, "PUT") => Op::CreateContainer,
        (false, Some("container"), None, "GET" | "HEAD") => Op::ContainerProperties,
        (false, Some("container"), None, "DELETE") => Op::DeleteContainer,
        (true, None, None, "PUT") => Op::PutBlob,
        (true, None, Some("block"), "PUT") => Op::PutBlock,
        (true, None, Some("blocklist"), "PUT") => Op::PutBlockList,
        (true, None, Some("blocklist"), "GET") => Op::GetBlockList,
        (true, None, None, "GET") => Op::GetBlob,
        (true, None, None, "HEAD") => Op::BlobProperties,
        (true, None, None, "DELETE") => Op::DeleteBlob,
        _ => return Err(BlobError::unsupported()),
    };
    Ok(op)
}

/// `/{account}/{container}[/{blob...}]` -> decoded, checked names. Blob names keep their `/`s
/// (`%2F` is the same as `/`), but no segment may be empty, `.` or `..`.
fn names(account: &str, path: &str) -> Result<(String, Option<String>), BlobError> {
    let rest = path
        .strip_prefix('/')
        .and_then(|p| p.strip_prefix(account))
        .and_then(|p| p.strip_prefix('/'))
        .ok_or_else(|| BlobError::invalid_name("the path does not start with the account"))?;
    let (raw_container, raw_blob) = match rest.split_once('/') {
        Some((c, b)) => (c, Some(b)),
        None => (rest, None),
    };
    let container = decode(raw_container)?;
    let ok = (3..=63).contains(&container.len())
        && container
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !container.starts_with('-')
        && !container.ends_with('-')
        && !container.contains("--");
    if !ok {
        return Err(BlobError::invalid_name(
            "container names are 3-63 lower-case letters, digits and single hyphens",
        ));
    }
    let blob = match raw_blob {
        None | Some("") => None,
        Some(raw) => {
            let name = decode(raw)?;
            let bad_segment = name
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..");
            if name.len() > 1024 || bad_segment || name.chars().any(|c| c.is_control() || c == '\\')
            {
                return Err(BlobError::invalid_name(
                    "blob names may not have empty, `.` or `..` segments, backslashes or control characters",
                ));
            }
            Some(name)
        }
    };
    Ok((container, blob))
}

fn decode(raw: &str) -> Result<String, BlobError> {
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| BlobError::invalid_name("the name is not UTF-8"))
}

fn query_value(query: &[(String, String)], name: &str) -> Option<String> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn conditions(headers: &HeaderMap) -> Conditions {
    Conditions {
        if_match: header(headers, "if-match"),
        if_none_match: header(headers, "if-none-match"),
    }
}

fn value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or(HeaderValue::from_static(""))
}

fn request_id() -> String {
    let r = fastrand::u128(..);
    let h = format!("{r:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// 201/200 with the resource's `ETag` and `Last-Modified`.
fn written(status: StatusCode, etag: &str, modified: SystemTime) -> Response {
    let mut r = status.into_response();
    let h = r.headers_mut();
    h.insert("etag", value(etag));
    h.insert("last-modified", value(&httpdate::fmt_http_date(modified)));
    h.insert(
        "x-ms-request-server-encrypted",
        HeaderValue::from_static("false"),
    );
    r
}

async fn read_small(body: Body) -> Result<String, BlobError> {
    let bytes = axum::body::to_bytes(body, MAX_LIST_BODY as usize)
        .await
        .map_err(|_| BlobError::too_large(MAX_LIST_BODY))?;
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        BlobError::new(
            400,
            "InvalidXmlDocument",
            "XML specified is not syntactically valid.",
        )
    })
}

/// `<BlockList><Latest>id</Latest><Committed>id</Committed>...</BlockList>`, in order.
pub fn parse_block_list(xml: &str) -> Result<Vec<(ListKind, String)>, BlobError> {
    let invalid = || {
        BlobError::new(
            400,
            "InvalidXmlDocument",
            "XML specified is not syntactically valid.",
        )
    };
    if !xml.contains("<BlockList") {
        return Err(invalid());
    }
    let mut list = Vec::new();
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').ok_or_else(invalid)? + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        let kind = match tag {
            "Latest" => ListKind::Latest,
            "Committed" => ListKind::Committed,
            "Uncommitted" => ListKind::Uncommitted,
            _ => continue,
        };
        let end = rest.find(&format!("</{tag}>")).ok_or_else(invalid)?;
        let id = rest[..end]
            .trim()
            .replace("&#x2B;", "+")
            .replace("&#x2F;", "/")
            .replace("&#x3D;", "=");
        list.push((kind, id));
        rest = &rest[end..];
    }
    Ok(list)
}

/// Get Block List's answer: `<BlockList>` with the lists asked for, and the committed blob's
/// `ETag`, `Last-Modified` and `x-ms-blob-content-length` when there is one.
fn block_list_answer(listing: &BlockListing, committed: bool, uncommitted: bool) -> Response {
    let list = |tag: &str, blocks: &[(String, u64)]| {
        let mut xml = format!("<{tag}>");
        for (id, size) in blocks {
            xml.push_str(&format!(
                "<Block><Name>{id}</Name><Size>{size}</Size></Block>"
            ));
        }
        xml.push_str(&format!("</{tag}>"));
        xml
    };
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
    if committed {
        xml.push_str(&list("CommittedBlocks", &listing.committed));
    }
    if uncommitted {
        xml.push_str(&list("UncommittedBlocks", &listing.uncommitted));
    }
    xml.push_str("</BlockList>");
    let mut r = (StatusCode::OK, xml).into_response();
    let h = r.headers_mut();
    h.insert("content-type", HeaderValue::from_static("application/xml"));
    if let Some(meta) = &listing.blob {
        h.insert("etag", value(&meta.etag));
        h.insert(
            "last-modified",
            value(&httpdate::fmt_http_date(meta.modified)),
        );
        h.insert("x-ms-blob-content-length", value(&meta.size.to_string()));
    }
    r
}

/// GET (body, ranges) or HEAD (headers only) of a committed blob.
async fn read_blob(parts: &Parts, meta: BlobMeta, with_body: bool) -> Result<Response, BlobError> {
    if let Some(m) = header(&parts.headers, "if-match")
        && m != "*"
        && m != meta.etag
    {
        return Err(BlobError::condition_not_met());
    }
    if header(&parts.headers, "if-none-match").is_some_and(|m| m == "*" || m == meta.etag) {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    let range = match (with_body, requested_range(&parts.headers)) {
        (true, Some((start, end))) => {
            if start >= meta.size {
                return Err(BlobError::invalid_range(meta.size));
            }
            Some((start, end.min(meta.size - 1)))
        }
        _ => None,
    };
    let (start, len) = match range {
        Some((s, e)) => (s, e - s + 1),
        None => (0, meta.size),
    };
    let body = if with_body {
        extent_body(&meta, start, len)
    } else {
        Body::empty()
    };
    let status = if range.is_some() {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert("content-length", value(&len.to_string()));
    h.insert("content-type", value(&meta.content_type));
    h.insert("etag", value(&meta.etag));
    h.insert(
        "last-modified",
        value(&httpdate::fmt_http_date(meta.modified)),
    );
    h.insert(
        "x-ms-creation-time",
        value(&httpdate::fmt_http_date(meta.created)),
    );
    h.insert("accept-ranges", HeaderValue::from_static("bytes"));
    h.insert("x-ms-blob-type", HeaderValue::from_static("BlockBlob"));
    h.insert("x-ms-lease-state", HeaderValue::from_static("available"));
    h.insert("x-ms-lease-status", HeaderValue::from_static("unlocked"));
    h.insert("x-ms-server-encrypted", HeaderValue::from_static("false"));
    if let Some((s, e)) = range {
        h.insert(
            "content-range",
            value(&format!("bytes {s}-{e}/{}", meta.size)),
        );
    }
    Ok(r)
}

/// `x-ms-range` (preferred) or `Range`: `bytes=START-[END]`. Anything else reads the whole blob.
fn requested_range(headers: &HeaderMap) -> Option<(u64, u64)> {
    let text = header(headers, "x-ms-range").or_else(|| header(headers, "range"))?;
    let (start, end) = text.trim().strip_prefix("bytes=")?.split_once('-')?;
    let start = start.trim().parse().ok()?;
    let end = match end.trim() {
        "" => u64::MAX,
        e => e.parse().ok()?,
    };
    (end >= start).then_some((start, end))
}

/// The bytes `start..start+len` of a blob, read from its extents' files as they stream out.
fn extent_body(meta: &BlobMeta, start: u64, len: u64) -> Body {
    let mut pieces = Vec::new();
    let (mut skip, mut left) = (start, len);
    for e in &meta.extents {
        if left == 0 {
            break;
        }
        if skip >= e.len {
            skip -= e.len;
            continue;
        }
        let n = (e.len - skip).min(left);
        pieces.push((e.file.clone(), skip, n));
        left -= n;
        skip = 0;
    }
    let stream = futures::stream::iter(pieces)
        .then(|(file, from, n)| async move {
            let mut f = tokio::fs::File::open(&file.path).await?;
            f.seek(std::io::SeekFrom::Start(from)).await?;
            // `file` (the Arc) lives as long as the piece's stream: the data stays on disk.
            let reader = tokio_util::io::ReaderStream::with_capacity(f.take(n), 256 << 10);
            Ok::<_, std::io::Error>(reader.map(move |chunk| {
                let _keep = &file;
                chunk
            }))
        })
        .try_flatten();
    Body::from_stream(stream)
}
