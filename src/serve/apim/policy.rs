//! Reads an API Management policy document (`mlws serve --apim-policy`, as `mlws apim export
//! --policy` writes it or a person edits it): the `inbound` section's `rate-limit` and `quota`
//! (`calls`, `renewal-period`) and its `set-header` statements (`exists-action` override, skip,
//! append, delete; `{{named value}}` references). Whitespace, comments, the XML declaration and
//! `<base />` are fine anywhere. Statements the emulator does not run (other policies, other
//! sections, a bandwidth quota) are listed in `ignored` for a note; what it cannot honour
//! faithfully (policy expressions, unknown named values, limits that are not numbers) is an
//! error naming it. No HTTP here: the gateway applies the result.

use super::CallLimit;
use crate::apim::policy::NAMED_VALUE;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::time::Duration;

/// What the emulator's gateway applies of a policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    pub rate_limit: Option<CallLimit>,
    pub quota: Option<CallLimit>,
    pub set_headers: Vec<SetHeader>,
    /// Statements read but not run, as `section/element`, for a note.
    pub ignored: Vec<String>,
}

/// `<set-header name="..." exists-action="...">` with its `<value>`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetHeader {
    pub name: String,
    pub action: ExistsAction,
    /// The values, named values not yet resolved (`Bearer {{ml-api-key}}`).
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExistsAction {
    Override,
    Skip,
    Append,
    Delete,
}

impl SetHeader {
    /// The values with each `{{name}}` replaced by `resolve(name)`.
    pub fn resolved(&self, resolve: impl Fn(&str) -> String) -> Vec<String> {
        self.values
            .iter()
            .map(|v| {
                let mut out = String::new();
                let mut rest = v.as_str();
                while let Some(start) = rest.find("{{") {
                    let Some(len) = rest[start + 2..].find("}}") else {
                        break;
                    };
                    out.push_str(&rest[..start]);
                    out.push_str(&resolve(rest[start + 2..start + 2 + len].trim()));
                    rest = &rest[start + 2 + len + 2..];
                }
                out.push_str(rest);
                out
            })
            .collect()
    }
}

/// A `set-header` ready to apply: its named values resolved.
pub type ResolvedHeader = (HeaderName, ExistsAction, Vec<HeaderValue>);

/// The headers with `{{ml-api-key}}` resolved to `api_key`; the values are sensitive.
pub fn resolve_headers(set: &[SetHeader], api_key: &str) -> Result<Vec<ResolvedHeader>, String> {
    set.iter()
        .map(|h| {
            let values = h
                .resolved(|_| api_key.to_string())
                .into_iter()
                .map(|v| {
                    let mut v = HeaderValue::from_str(&v).map_err(|_| {
                        format!(
                            "the value of the policy's header `{}` is no header value",
                            h.name
                        )
                    })?;
                    v.set_sensitive(true);
                    Ok(v)
                })
                .collect::<Result<Vec<_>, String>>()?;
            let name = HeaderName::from_bytes(h.name.as_bytes())
                .map_err(|_| format!("`{}` of the policy is no header name", h.name))?;
            Ok((name, h.action, values))
        })
        .collect()
}

/// A policy's `set-header`s, in order, on a request going to the backend.
pub fn apply_headers(headers: &mut HeaderMap, set: &[ResolvedHeader]) {
    for (name, action, values) in set {
        match action {
            ExistsAction::Skip if headers.contains_key(name) => {}
            ExistsAction::Delete => {
                headers.remove(name);
            }
            ExistsAction::Append => {
                for v in values {
                    headers.append(name.clone(), v.clone());
                }
            }
            ExistsAction::Override | ExistsAction::Skip => {
                headers.remove(name);
                for v in values {
                    headers.append(name.clone(), v.clone());
                }
            }
        }
    }
}

/// The named values a value refers to.
fn named_values(value: &str) -> Vec<&str> {
    let mut names = vec![];
    let mut rest = value;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        names.push(rest[start + 2..start + 2 + len].trim());
        rest = &rest[start + 2 + len + 2..];
    }
    names
}

impl Policy {
    /// Reads a policy document.
    pub fn parse(xml: &str) -> Result<Policy, String> {
        parse(xml)
    }
}

fn parse(xml: &str) -> Result<Policy, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    // Text is kept whole (spaces around `&amp;` matter); a value is trimmed when it ends, as
    // HTTP trims header values.
    reader.config_mut().trim_text(false);
    let mut policy = Policy::default();
    // Open elements, outermost first.
    let mut path: Vec<String> = vec![];
    // The set-header being read, and the value being read in it.
    let mut header: Option<SetHeader> = None;
    let mut value: Option<String> = None;
    let mut seen_root = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) => {
                let name = element_name(&e);
                seen_root = true;
                start(&mut policy, &path, &name, &e, &mut header, &mut value)?;
                path.push(name);
            }
            Event::Empty(e) => {
                let name = element_name(&e);
                seen_root = true;
                start(&mut policy, &path, &name, &e, &mut header, &mut value)?;
                end(&mut policy, &name, &mut header, &mut value);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                end(&mut policy, &name, &mut header, &mut value);
            }
            Event::Text(t) => {
                let text = t
                    .xml_content(XmlVersion::Implicit1_0)
                    .map_err(|e| e.to_string())?;
                text_in(&mut value, &text)?;
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                text_in(&mut value, &text)?;
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| e.to_string())?;
                let ch = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| format!("unknown entity `&{name};`"))?
                        .to_string(),
                };
                text_in(&mut value, &ch)?;
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !path.is_empty() {
        return Err(format!("`<{}>` is never closed", path.join("><")));
    }
    if !seen_root {
        return Err("no `<policies>` element: not a policy document".into());
    }
    Ok(policy)
}

fn element_name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        if a.key.local_name().as_ref() == name.as_bytes() {
            let v = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| e.to_string())?;
            return Ok(Some(v.trim().to_string()));
        }
    }
    Ok(None)
}

/// An element opens at `path`.
fn start(
    policy: &mut Policy,
    path: &[String],
    name: &str,
    e: &BytesStart<'_>,
    header: &mut Option<SetHeader>,
    value: &mut Option<String>,
) -> Result<(), String> {
    let at: Vec<&str> = path.iter().map(String::as_str).collect();
    match (at.as_slice(), name) {
        ([], "policies") | (["policies"], "inbound") | ([.., _], "base") => {}
        // backend, outbound, on-error: their statements are ignored below.
        (["policies"], _) => {}
        (["policies", "inbound"], "rate-limit") => {
            policy.rate_limit = Some(limit(e, name)?);
        }
        (["policies", "inbound"], "quota") => {
            if attribute(e, "calls")?.is_none() {
                policy.ignored.push("inbound/quota (bandwidth only)".into());
            } else {
                if attribute(e, "bandwidth")?.is_some() {
                    policy.ignored.push("inbound/quota bandwidth".into());
                }
                policy.quota = Some(limit(e, name)?);
            }
        }
        (["policies", "inbound"], "set-header") => {
            let header_name = attribute(e, "name")?
                .filter(|n| !n.is_empty())
                .ok_or("`<set-header>` has no `name`")?;
            expression_free(&header_name)?;
            let action = match attribute(e, "exists-action")?.as_deref() {
                None | Some("override") => ExistsAction::Override,
                Some("skip") => ExistsAction::Skip,
                Some("append") => ExistsAction::Append,
                Some("delete") => ExistsAction::Delete,
                Some(other) => {
                    return Err(format!(
                        "`exists-action=\"{other}\"` of `<set-header name=\"{header_name}\">` is not override, skip, append or delete"
                    ));
                }
            };
            *header = Some(SetHeader {
                name: header_name,
                action,
                values: vec![],
            });
        }
        (["policies", "inbound", "set-header"], "value") => *value = Some(String::new()),
        (["policies", "inbound", "rate-limit"], _) => {
            policy.ignored.push(format!("inbound/rate-limit/{name}"));
        }
        ([], other) => return Err(format!("the root element is `<{other}>`, not `<policies>`")),
        _ if at.len() == 2 => policy.ignored.push(format!("{}/{name}", at[1])),
        _ => {}
    }
    Ok(())
}

/// An element closes.
fn end(
    policy: &mut Policy,
    name: &str,
    header: &mut Option<SetHeader>,
    value: &mut Option<String>,
) {
    match name {
        "value" => {
            if let (Some(h), Some(v)) = (header.as_mut(), value.take()) {
                h.values.push(v.trim().to_string());
            }
        }
        "set-header" => {
            if let Some(h) = header.take() {
                policy.set_headers.push(h);
            }
        }
        _ => {}
    }
}

/// Text inside an element: kept inside a set-header's `<value>`, else ignored.
fn text_in(value: &mut Option<String>, text: &str) -> Result<(), String> {
    match value {
        Some(v) => {
            expression_free(text)?;
            for name in named_values(text) {
                if name != NAMED_VALUE {
                    return Err(format!(
                        "the named value `{name}` is unknown to the emulator (it knows `{NAMED_VALUE}`, its API key)"
                    ));
                }
            }
            v.push_str(text);
            Ok(())
        }
        // Text of statements the emulator ignores (`<origin>*</origin>` of `cors`).
        None => Ok(()),
    }
}

/// Policy expressions (`@(...)`, `@{...}`) are C# run by the gateway: not by the emulator.
fn expression_free(text: &str) -> Result<(), String> {
    if text.trim_start().starts_with("@(") || text.trim_start().starts_with("@{") {
        return Err(format!(
            "`{}` is a policy expression; the emulator runs none",
            text.trim()
        ));
    }
    Ok(())
}

/// `calls` and `renewal-period` of a rate-limit or quota.
fn limit(e: &BytesStart<'_>, name: &str) -> Result<CallLimit, String> {
    let number = |attr: &str| -> Result<u64, String> {
        let v = attribute(e, attr)?.ok_or_else(|| format!("`<{name}>` has no `{attr}`"))?;
        v.parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("`{attr}=\"{v}\"` of `<{name}>` is not a whole number above 0"))
    };
    let calls = number("calls")?;
    let secs = number("renewal-period")?;
    Ok(CallLimit {
        calls: u32::try_from(calls).map_err(|_| format!("`calls=\"{calls}\"` is too large"))?,
        period: Duration::from_secs(secs),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apim::policy::{Limit, xml};

    #[test]
    fn the_exported_policy_reads_back() {
        let p = parse(&xml(
            Some(Limit { calls: 5, secs: 60 }),
            Some(Limit {
                calls: 100,
                secs: 604_800,
            }),
        ))
        .unwrap();
        assert_eq!(p.rate_limit, Some("5/60".parse().unwrap()));
        assert_eq!(p.quota, Some("100/604800".parse().unwrap()));
        assert_eq!(
            p.set_headers[0],
            SetHeader {
                name: "Authorization".into(),
                action: ExistsAction::Override,
                values: vec!["Bearer {{ml-api-key}}".into()],
            }
        );
        assert_eq!(p.set_headers[1].action, ExistsAction::Delete);
        assert!(p.ignored.is_empty(), "{:?}", p.ignored);
        assert_eq!(
            p.set_headers[0].resolved(|n| format!("<{n}>")),
            ["Bearer <ml-api-key>"]
        );
    }

    #[test]
    fn whitespace_comments_and_other_policies_are_tolerated() {
        let p = parse(
            r#"<?xml version="1.0" encoding="utf-8"?>
            <!-- a hand-edited policy -->
            <policies>
              <inbound>
                <base/>
                <!-- limits -->
                <rate-limit
                    calls = "2"   renewal-period="10"/>
                <cors><allowed-origins><origin>*</origin></allowed-origins></cors>
                <set-header name="x-a" exists-action="append">
                  <value> one &amp; <![CDATA[two]]> </value>
                  <value>three</value>
                </set-header>
              </inbound>
              <backend><forward-request timeout="60"/></backend>
              <outbound><base /></outbound>
            </policies>"#,
        )
        .unwrap();
        assert_eq!(p.rate_limit, Some("2/10".parse().unwrap()));
        assert_eq!(p.quota, None);
        assert_eq!(p.set_headers[0].values, ["one & two", "three"]);
        assert_eq!(p.set_headers[0].action, ExistsAction::Append);
        assert_eq!(p.ignored, ["inbound/cors", "backend/forward-request"]);
    }

    #[test]
    fn headers_are_set_as_their_exists_action_says() {
        let policy = parse(
            r#"<policies><inbound>
                <set-header name="Authorization"><value>Bearer {{ml-api-key}}</value></set-header>
                <set-header name="x-skip" exists-action="skip"><value>new</value></set-header>
                <set-header name="x-add" exists-action="skip"><value>new</value></set-header>
                <set-header name="x-append" exists-action="append"><value>b</value></set-header>
                <set-header name="Ocp-Apim-Subscription-Key" exists-action="delete"/>
            </inbound></policies>"#,
        )
        .unwrap();
        let set = resolve_headers(&policy.set_headers, "KEY").unwrap();
        let mut h = HeaderMap::new();
        for (k, v) in [
            ("authorization", "Bearer caller"),
            ("x-skip", "old"),
            ("x-append", "a"),
            ("ocp-apim-subscription-key", "sk"),
        ] {
            h.insert(k, HeaderValue::from_static(v));
        }
        apply_headers(&mut h, &set);
        assert_eq!(h["authorization"], "Bearer KEY");
        assert!(h["authorization"].is_sensitive());
        assert_eq!(h["x-skip"], "old");
        assert_eq!(h["x-add"], "new");
        let appended: Vec<_> = h.get_all("x-append").iter().collect();
        assert_eq!(appended, ["a", "b"]);
        assert!(!h.contains_key("ocp-apim-subscription-key"));
    }

    #[test]
    fn what_the_emulator_cannot_honour_is_an_error() {
        for (bad, says) in [
            ("<policies><inbound>", "never closed"),
            ("<policy/>", "root element"),
            (r#"{"openapi": "3.0.3"}"#, "not a policy document"),
            (
                r#"<policies><inbound><rate-limit calls="x" renewal-period="5"/></inbound></policies>"#,
                "not a whole number",
            ),
            (
                r#"<policies><inbound><quota calls="3"/></inbound></policies>"#,
                "no `renewal-period`",
            ),
            (
                r#"<policies><inbound><set-header name="a"><value>{{other}}</value></set-header></inbound></policies>"#,
                "named value `other`",
            ),
            (
                r#"<policies><inbound><set-header name="a"><value>@(context.Request.Url)</value></set-header></inbound></policies>"#,
                "policy expression",
            ),
            (
                r#"<policies><inbound><set-header name="a" exists-action="replace"/></inbound></policies>"#,
                "exists-action",
            ),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
