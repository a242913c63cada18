//! Checks shared by the blob fuzz targets (included with `#[path]`: each target is its own
//! crate root).

use percent_encoding::percent_decode_str;

/// The URL's path ends in `want` (decoded segments).
pub fn check_url_ends_with(url: &url::Url, want: &[&str]) {
    let segments: Vec<String> = url
        .path_segments()
        .expect("an http(s) URL")
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    assert!(
        segments.len() >= want.len() && segments[segments.len() - want.len()..] == *want,
        "{url} does not end in {want:?}"
    );
}
