//! The API's policy XML, as API Management's policy reference writes its statements
//! (`rate-limit`, `quota`, `set-header`; `protocol.md` §6.3): `<base />` first in every section
//! so the product's and the instance's policies still apply, the limits, then the backend's
//! `Authorization: Bearer` from a secret named value (so that callers need only a subscription
//! key), and the subscription key removed before the request goes to the backend (§6.2: the
//! gateway forwards it otherwise). The emulator's gateway reads it back (`serve/apim/policy.rs`).

/// The named value holding the service's API key (create it as a secret before the import).
pub const NAMED_VALUE: &str = "ml-api-key";

/// The longest rate-limit window API Management accepts (`renewal-period`, S-RL).
pub const MAX_RATE_PERIOD_SECS: u64 = 300;

/// At most `calls` calls every `secs` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub calls: u32,
    pub secs: u64,
}

/// The policy document.
pub fn xml(rate_limit: Option<Limit>, quota: Option<Limit>) -> String {
    let mut inbound = String::from("        <base />\n");
    if let Some(l) = rate_limit {
        inbound.push_str(&format!(
            "        <rate-limit calls=\"{}\" renewal-period=\"{}\" />\n",
            l.calls, l.secs
        ));
    }
    if let Some(l) = quota {
        inbound.push_str(&format!(
            "        <quota calls=\"{}\" renewal-period=\"{}\" />\n",
            l.calls, l.secs
        ));
    }
    inbound.push_str(&format!(
        "        <set-header name=\"Authorization\" exists-action=\"override\">\n            <value>Bearer {{{{{NAMED_VALUE}}}}}</value>\n        </set-header>\n"
    ));
    inbound.push_str(
        "        <set-header name=\"Ocp-Apim-Subscription-Key\" exists-action=\"delete\" />\n",
    );
    let base = |section: &str| format!("    <{section}>\n        <base />\n    </{section}>\n");
    format!(
        "<!-- API Management policy of the API, written by mlws apim export. Create the named value `{NAMED_VALUE}` (a secret: the service's API key) before applying it. -->\n<policies>\n    <inbound>\n{inbound}    </inbound>\n{}{}{}</policies>\n",
        base("backend"),
        base("outbound"),
        base("on-error"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_has_the_limits_then_the_header() {
        let x = xml(
            Some(Limit { calls: 5, secs: 60 }),
            Some(Limit {
                calls: 100,
                secs: 604_800,
            }),
        );
        let at = |s: &str| x.find(s).unwrap_or_else(|| panic!("{s} in {x}"));
        assert!(at("<base />") < at(r#"<rate-limit calls="5" renewal-period="60" />"#));
        assert!(at(r#"<rate-limit "#) < at(r#"<quota calls="100" renewal-period="604800" />"#));
        assert!(at("<quota ") < at("<value>Bearer {{ml-api-key}}</value>"));
        assert!(!xml(None, None).contains("rate-limit"));
        assert!(x.trim_end().ends_with("</policies>"));
    }
}
