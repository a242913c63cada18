//! `mlws describe`: what the endpoint says about itself (`spec/adapters.md` "describe"): the
//! classic service's and the Azure ML `swagger.json`, the v2 model metadata. MLflow and
//! KServe v1 publish no schema: a note says so (exit 0). Default output is a table of inputs
//! and outputs; `-f json` prints `{"protocol", "inputs", "outputs", "parameters"}`.

use super::target::Target;
use crate::cli::OutputFormat;
use crate::output::Printer;
use crate::protocol::{Field, Schema, schema};
use crate::settings::Settings;
use anyhow::Result;
use std::io::Write;

pub async fn run(settings: &Settings, printer: &Printer) -> Result<()> {
    let target = Target::resolve(settings)?;
    let client = super::make_client_with_bar(settings, printer, None, &target)?;
    let Some(url) = schema::url(target.kind, &target.url) else {
        printer.note(format!(
            "a {} server publishes no schema of its inputs; `mlws score` types cells by inference (or `--types`)",
            target.kind.name()
        ));
        return print(settings, target.kind.name(), &Schema::default());
    };
    let body = client
        .get_document(&url, "reading the service's schema")
        .await?;
    let schema = match schema::parse(target.kind, &body, "input1")? {
        Some(s) => s,
        None => {
            printer.note(format!(
                "`{}` declares no inputs; `mlws score` types cells by inference (or `--types`)",
                crate::secret::mask_secrets(url.as_str())
            ));
            Schema::default()
        }
    };
    print(settings, target.kind.name(), &schema)
}

fn print(settings: &Settings, protocol: &str, schema: &Schema) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let written = if settings.output_format == Some(OutputFormat::Json) {
        let doc = serde_json::json!({
            "protocol": protocol,
            "inputs": schema.inputs,
            "outputs": schema.outputs,
            "parameters": schema.parameters,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)
    } else {
        out.write_all(table(schema).as_bytes())
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// `KIND  NAME  TYPE  SHAPE` rows, aligned.
fn table(schema: &Schema) -> String {
    let mut rows = vec![vec![
        "".to_string(),
        "NAME".into(),
        "TYPE".into(),
        "SHAPE".into(),
    ]];
    let mut add = |what: &str, fields: &[Field]| {
        for f in fields {
            rows.push(vec![
                what.to_string(),
                f.name.clone(),
                f.ty.clone(),
                f.shape
                    .as_ref()
                    .map(|s| format!("{s:?}"))
                    .unwrap_or_default(),
            ]);
        }
    };
    add("input", &schema.inputs);
    add("output", &schema.outputs);
    add("parameter", &schema.parameters);
    if rows.len() == 1 {
        return String::new();
    }
    let widths: Vec<usize> = (0..4)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
