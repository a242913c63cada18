//! The checks of `mlws serve`'s flags, each turning its flags into one part of the emulator's
//! settings or a usage error that names the flag: the protocol, the blob endpoint, the batch
//! service, the timeouts, the faults, the ids and keys.

use crate::cli::{self, BesStatusStyle, ServeArgs};
use crate::serve::{
    ApimConfig, BesConfig, Delay, FaultConfig, Limits, Protocol, StatusStyle, StorageConfig,
};
use crate::usage;
use anyhow::Result;
use std::time::Duration;

/// The protocol served (the global `--protocol`, classic when absent); the flags that only the
/// classic service has are refused with another.
pub fn protocol(given: Option<cli::Protocol>, args: &ServeArgs) -> Result<Protocol> {
    let protocol = match given {
        None | Some(cli::Protocol::Classic) => return Ok(Protocol::Classic),
        Some(cli::Protocol::Mlflow) => Protocol::Mlflow,
        Some(cli::Protocol::Azureml) => Protocol::Azureml,
        Some(cli::Protocol::V2) => Protocol::V2,
        Some(cli::Protocol::KserveV1) => Protocol::KserveV1,
    };
    let name = protocol.name();
    if args.apim_suffix.is_some() {
        return Err(usage!(
            "`--apim-suffix` works only with `--protocol classic`, not `{name}`: the API Management layer fronts the classic service's operations"
        ));
    }
    if args.fault_status_503 > 0.0 {
        return Err(usage!(
            "`--fault-status-503` works only with `--protocol classic`, not `{name}`: it answers batch job status polls, which only the classic service has"
        ));
    }
    Ok(protocol)
}

/// The blob endpoint's settings; its account must not hide the service or gateway routes.
pub fn storage(args: &ServeArgs, apim: Option<&ApimConfig>) -> Result<StorageConfig> {
    let account = args.storage_account.as_str();
    let ok = (3..=24).contains(&account.len())
        && account
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !ok {
        return Err(usage!(
            "`--storage-account` must be 3-24 lower-case letters and digits; got `{account}`"
        ));
    }
    let first = apim.and_then(|a| a.suffix.split('/').next());
    if account == "workspaces" || first == Some(account) {
        return Err(usage!(
            "`--storage-account` `{account}` would hide the service routes or the API URL suffix"
        ));
    }
    let key = checked_key("--storage-key", &args.storage_key)?;
    if let Some(k) = &key {
        use base64::Engine as _;
        if base64::engine::general_purpose::STANDARD
            .decode(k)
            .map_or(true, |b| b.is_empty())
        {
            return Err(usage!("`--storage-key` must be base64"));
        }
    }
    let max = parse_size(&args.max_blob_size).map_err(|e| usage!("`--max-blob-size`: {e}"))?;
    StorageConfig::new(account, key, args.blob_dir.clone(), max)
}

/// `123`, `64K`, `512M`, `4G` (powers of 1024, `KiB`/`KB`/`k` spellings too) -> bytes, at least 1.
fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as `4G` or `1048576`"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        other => return Err(format!("unknown size unit `{other}` (use K, M, G or T)")),
    };
    let bytes = n
        .checked_mul(1u64 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))?;
    if bytes == 0 {
        return Err("the size must be at least 1 byte".into());
    }
    Ok(bytes)
}

/// The batch service's settings.
pub fn bes(args: &ServeArgs) -> Result<BesConfig> {
    if !args.job_delay.is_finite() || !(0.0..=86_400.0).contains(&args.job_delay) {
        return Err(usage!(
            "`--job-delay` must be from 0 to 86400 seconds; got `{}`",
            args.job_delay
        ));
    }
    Ok(BesConfig {
        status_style: match args.bes_status_style {
            BesStatusStyle::Default => StatusStyle::Names,
            BesStatusStyle::Int => StatusStyle::Ints,
            BesStatusStyle::Legacy => StatusStyle::Legacy,
        },
        job_delay: std::time::Duration::from_secs_f64(args.job_delay),
        ..BesConfig::default()
    })
}

/// An id given to the emulator: one URL path segment.
pub fn checked_id(flag: &str, value: &Option<String>) -> Result<Option<String>> {
    let Some(s) = value else { return Ok(None) };
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(usage!(
            "`{flag}` of the emulator must be letters, digits, `-`, `_` or `.`; got `{s}`"
        ));
    }
    Ok(Some(s.clone()))
}

/// A key given to the emulator: the key itself (not `@FILE` or `-`), fit for a header.
pub fn checked_key(flag: &str, value: &Option<String>) -> Result<Option<String>> {
    let Some(k) = value else { return Ok(None) };
    if k == "-" || k.starts_with('@') {
        return Err(usage!(
            "`{flag}` of the emulator takes the key itself, not `@FILE` or `-`"
        ));
    }
    if k.is_empty() || !k.chars().all(|c| c.is_ascii_graphic()) {
        return Err(usage!(
            "`{flag}` of the emulator must be printable ASCII without spaces"
        ));
    }
    Ok(Some(k.clone()))
}

/// The timeouts of every connection.
pub fn limits(args: &ServeArgs) -> Result<Limits> {
    Ok(Limits {
        header_timeout: seconds("--header-timeout", args.header_timeout)?,
        read_timeout: seconds("--read-timeout", args.read_timeout)?,
        write_timeout: seconds("--write-timeout", args.write_timeout)?,
        ..Limits::default()
    })
}

fn seconds(flag: &str, secs: f64) -> Result<Duration> {
    if !secs.is_finite() || !(0.001..=86_400.0).contains(&secs) {
        return Err(usage!(
            "`{flag}` must be from 0.001 to 86400 seconds; got `{secs}`"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// The faults to inject; without `--fault-seed`, a random seed (printed by the summary).
pub fn faults(args: &ServeArgs) -> Result<FaultConfig> {
    let delay = args
        .fault_delay
        .as_deref()
        .map(|d| {
            d.parse::<Delay>()
                .map_err(|e| usage!("`--fault-delay`: {e}"))
        })
        .transpose()?;
    let config = FaultConfig {
        // Not a secret: a seed only has to differ from run to run.
        seed: args.fault_seed.unwrap_or_else(|| fastrand::u64(..)),
        unavailable: args.fault_503,
        rate_limited: args.fault_429,
        dropped: args.fault_drop,
        delay,
        status_unavailable: args.fault_status_503,
        retry_after: args.fault_retry_after,
    };
    config.check().map_err(|e| usage!("{e}"))?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert_eq!(parse_size("4 GiB"), Ok(4 << 30));
        assert_eq!(parse_size("2T"), Ok(2 << 40));
        assert!(parse_size("").is_err());
        assert!(parse_size("G").is_err());
        assert!(
            parse_size("99999999999T")
                .unwrap_err()
                .contains("too large")
        );
    }
}
