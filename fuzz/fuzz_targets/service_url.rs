//! `--service-url` parsing (`mlws::settings::parse_service_url`).
//!
//! Besides "never panics": an accepted URL comes back as the service root (http or https, a
//! host, no credentials, query or fragment, a path ending in `/workspaces|subscriptions/ID/
//! services/ID`) and is a fixed point (parsing the root again gives the root); an error
//! never quotes a password given in the URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlws::settings::parse_service_url;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let root = match parse_service_url(text) {
        Ok(root) => root,
        Err(e) => {
            if let Ok(u) = url::Url::parse(text.trim())
                && let Some(pw) = u.password()
                && pw.len() >= 4
                && text.matches(pw).count() == 1
            {
                let msg = format!("{e:#}");
                assert!(!msg.contains(pw), "{msg:?} shows the password {pw:?}");
            }
            return;
        }
    };
    assert!(matches!(root.scheme(), "http" | "https"));
    assert!(root.host_str().is_some_and(|h| !h.is_empty()));
    assert!(root.username().is_empty() && root.password().is_none());
    assert!(
        root.query().is_none() && root.fragment().is_none(),
        "{root}"
    );
    let segments: Vec<&str> = root.path_segments().expect("a base URL").collect();
    assert!(segments.len() >= 4, "{root}");
    let tail = &segments[segments.len() - 4..];
    assert!(matches!(tail[0], "workspaces" | "subscriptions") && tail[2] == "services");
    assert!(segments.iter().all(|s| !s.is_empty()), "{root}");
    match parse_service_url(root.as_str()) {
        Ok(again) => assert_eq!(again, root),
        Err(e) => panic!("the root {root} of {text:?} is refused: {e:#}"),
    }
});
