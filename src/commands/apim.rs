//! `mlws apim export` (`spec/cli.md` "API Management as code"): reads what the service publishes
//! about itself (classic: its `swagger.json`, one GET without a key, as the R client does,
//! `protocol.md` §5.9; Azure ML: its swagger; v2: the model metadata) when it can, writes the
//! OpenAPI 3.0 document of its API (`apim::document`) to `--output`, and with `--policy` the
//! API's policy XML (`apim::policy`). Files are written to a temporary file and renamed.

use super::target::Target;
use crate::apim::policy::{self, Limit};
use crate::apim::{Export, document};
use crate::cli::ApimExportArgs;
use crate::output::Printer;
use crate::protocol::{Schema, schema};
use crate::settings::Settings;
use crate::usage;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

pub async fn export(settings: &Settings, args: ApimExportArgs, printer: &Printer) -> Result<()> {
    let rate_limit = limit("--rate-limit", args.rate_limit.as_deref())?;
    let quota = limit("--quota", args.quota.as_deref())?;
    if let Some(l) = rate_limit
        && l.secs > policy::MAX_RATE_PERIOD_SECS
    {
        return Err(usage!(
            "`--rate-limit`: API Management's rate-limit window is at most {} seconds, not {}; use `--quota` for longer periods",
            policy::MAX_RATE_PERIOD_SECS,
            l.secs
        ));
    }
    let target = Target::resolve(settings)?;
    let published = read_schema(settings, &target, printer).await;
    let doc = document(&Export {
        kind: target.kind,
        url: &target.url,
        title: args.title.as_deref(),
        schema: published.as_ref(),
        deployment: settings.deployment.as_deref(),
    })?;
    let mut text = serde_json::to_string_pretty(&doc).context("cannot write the document")?;
    text.push('\n');
    if args.output == "-" {
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(e).context("cannot write the document to stdout");
            }
            _ => {}
        }
    } else {
        write_atomically(Path::new(&args.output), &text)?;
    }
    if let Some(path) = &args.policy {
        write_atomically(path, &policy::xml(rate_limit, quota))?;
        printer.info(format!(
            "policy written to `{}`: create the named value `{}` (a secret: the service's API key) before applying it",
            path.display(),
            policy::NAMED_VALUE
        ));
    }
    Ok(())
}

/// `CALLS/SECS`, with the emulator's syntax and checks.
fn limit(flag: &str, v: Option<&str>) -> Result<Option<Limit>> {
    v.map(|s| {
        let l: crate::serve::CallLimit = s.parse().map_err(|e| usage!("`{flag}`: {e}"))?;
        Ok(Limit {
            calls: l.calls,
            secs: l.period.as_secs(),
        })
    })
    .transpose()
}

/// The service's published schema, or `None` with a note saying what the document falls back
/// to. One GET, no retries and no key needed: a document without the columns is still useful.
async fn read_schema(settings: &Settings, target: &Target, printer: &Printer) -> Option<Schema> {
    let url = schema::url(target.kind, &target.url)?;
    let shown = crate::secret::mask_secrets(url.as_str());
    let fallback = if target.kind == crate::protocol::Kind::Classic {
        "the document describes tables of any columns"
    } else {
        "the document describes the protocol's bodies without the model's columns"
    };
    let mut one_get = settings.clone();
    one_get.dry_run = true;
    let read = async {
        let client = super::make_client_with_bar(&one_get, printer, None, target)?;
        let body = client
            .get_document(&url, "reading the service's schema")
            .await?;
        schema::parse(target.kind, &body, "input1")
    };
    match read.await {
        Ok(Some(s)) => Some(s),
        Ok(None) => {
            printer.note(format!("`{shown}` declares no inputs: {fallback}"));
            None
        }
        Err(e) => {
            printer.note(format!("cannot read `{shown}` ({e:#}): {fallback}"));
            None
        }
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(usage!(
            "the directory of `{}` does not exist",
            path.display()
        ));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".mlws-apim.")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in `{}`", dir.display()))?;
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .map_err(|e| anyhow::Error::new(e.error))
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(())
}
