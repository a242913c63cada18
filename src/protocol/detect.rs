//! Which protocol a URL speaks (`spec/adapters.md` "The protocol from the URL"), and the
//! scoring URL of a protocol from what the user gave.

use super::Kind;
use anyhow::Result;
use url::Url;

/// The protocol of a scoring URL, when its shape says it.
pub fn detect(url: &Url) -> Option<Kind> {
    let segs: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let last = segs.last().copied().unwrap_or_default();
    if last == "invocations" {
        return Some(Kind::Mlflow);
    }
    if host.ends_with(".inference.ml.azure.com") || last == "score" {
        return Some(Kind::AzureMl);
    }
    if v2_model(&segs).is_some() {
        return Some(Kind::V2);
    }
    if segs.len() >= 3
        && segs[segs.len() - 3] == "v1"
        && segs[segs.len() - 2] == "models"
        && last.ends_with(":predict")
    {
        return Some(Kind::KserveV1);
    }
    if segs
        .windows(4)
        .any(|w| (w[0] == "workspaces" || w[0] == "subscriptions") && w[2] == "services")
    {
        return Some(Kind::Classic);
    }
    None
}

/// Where `v2/models/M[/versions/V][/infer]` starts in `segs`, and whether it ends in `infer`.
fn v2_model(segs: &[&str]) -> Option<(usize, bool)> {
    let at = segs
        .windows(3)
        .rposition(|w| w[0] == "v2" && w[1] == "models" && !w[2].is_empty())?;
    match &segs[at + 3..] {
        [] => Some((at, false)),
        ["infer"] => Some((at, true)),
        ["versions", _] => Some((at, false)),
        ["versions", _, "infer"] => Some((at, true)),
        _ => None,
    }
}

/// The scoring URL of `kind` from the URL the user gave: v2's `/infer` is added to a URL that
/// names the model; the others are used as given.
pub fn endpoint(kind: Kind, url: &Url) -> Result<Url> {
    match kind {
        Kind::V2 => {
            let segs: Vec<String> = url
                .path_segments()
                .map(|s| s.filter(|p| !p.is_empty()).map(str::to_string).collect())
                .unwrap_or_default();
            let refs: Vec<&str> = segs.iter().map(String::as_str).collect();
            let Some((_, infer)) = v2_model(&refs) else {
                return Err(crate::usage!(
                    "`{url}` is not a v2 model URL: give `.../v2/models/MODEL` (or `.../v2/models/MODEL/versions/V`)"
                ));
            };
            let mut out = url.clone();
            if !infer {
                out.path_segments_mut()
                    .map_err(|()| crate::usage!("`{url}` is not an http(s) URL"))?
                    .pop_if_empty()
                    .push("infer");
            }
            Ok(out)
        }
        _ => Ok(url.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(u: &str) -> Option<Kind> {
        detect(&Url::parse(u).unwrap())
    }

    #[test]
    fn each_protocol_is_known_by_its_url() {
        assert_eq!(
            kind("http://127.0.0.1:5000/invocations"),
            Some(Kind::Mlflow)
        );
        assert_eq!(
            kind("https://adb-1.azuredatabricks.net/serving-endpoints/m/invocations"),
            Some(Kind::Mlflow)
        );
        assert_eq!(kind("http://localhost:5001/score"), Some(Kind::AzureMl));
        assert_eq!(
            kind("https://ep.westeurope.inference.ml.azure.com/"),
            Some(Kind::AzureMl)
        );
        assert_eq!(kind("http://h/v2/models/m"), Some(Kind::V2));
        assert_eq!(
            kind("http://h/v2/models/m/versions/2/infer"),
            Some(Kind::V2)
        );
        assert_eq!(kind("http://h/v1/models/m:predict"), Some(Kind::KserveV1));
        assert_eq!(
            kind(
                "https://ussouthcentral.services.azureml.net/workspaces/w/services/s/execute?api-version=2.0"
            ),
            Some(Kind::Classic)
        );
        assert_eq!(kind("http://h/predict"), None);
        assert_eq!(kind("http://h/v2/models/m/bogus"), None);
    }

    #[test]
    fn a_v2_model_url_gets_infer() {
        let e = |u: &str| {
            endpoint(Kind::V2, &Url::parse(u).unwrap())
                .unwrap()
                .to_string()
        };
        assert_eq!(e("http://h/v2/models/m"), "http://h/v2/models/m/infer");
        assert_eq!(e("http://h/v2/models/m/"), "http://h/v2/models/m/infer");
        assert_eq!(
            e("http://h/v2/models/m/versions/3/infer"),
            "http://h/v2/models/m/versions/3/infer"
        );
        assert!(endpoint(Kind::V2, &Url::parse("http://h/x").unwrap()).is_err());
    }
}
