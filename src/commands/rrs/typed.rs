//! The typed protocols' side of `score`: the service's schema (read once, before anything is
//! sent; none is fine), `--types`, `--param`, `--body-format`, `--keep`, and the batches of
//! typed rows whose bodies the protocol writes.

use crate::cli::ExecuteArgs;
use crate::client::Client;
use crate::commands::target::Target;
use crate::output::Printer;
use crate::protocol::typed::{Keep, TypedScoring};
use crate::protocol::typing::{Typing, param_value, parse_types};
use crate::protocol::{self, Kind, Schema, Scoring, WireOptions, schema};
use crate::table::{self, BatchSource, Source, Start};
use anyhow::Result;
use std::sync::Arc;

pub(super) async fn open(
    target: &Target,
    args: &ExecuteArgs,
    params: Vec<(String, String)>,
    client: &Client,
    printer: &Printer,
    (input, at, delimiter): (Source, Start, Option<u8>),
) -> Result<(Box<dyn BatchSource>, Arc<dyn Scoring>)> {
    if args.swagger {
        return Err(crate::usage!(
            "`--swagger` is a classic body format; use `--body-format` with {}",
            target.kind.name()
        ));
    }
    let overrides = parse_types(&args.types)?;
    let schema = read_schema(target, client, printer, args.input_name.as_deref()).await;
    let tensor = target.kind == Kind::V2 && args.body_format.as_deref() == Some("tensor");
    // A tensor body has one input of all columns: the schema's inputs are not columns then.
    let (schema_types, required) = match (&schema, tensor) {
        (Some(s), false) => (
            s.input_types(target.kind),
            s.inputs.iter().map(|f| f.name.clone()).collect(),
        ),
        _ => (vec![], vec![]),
    };
    let wire = protocol::wire(
        target.kind,
        WireOptions {
            body_format: args.body_format.as_deref(),
            params: params
                .into_iter()
                .map(|(k, v)| (k, param_value(&v)))
                .collect(),
            input_name: args.input_name.clone(),
            outputs: args.output_name.clone(),
            schema: schema.as_ref(),
        },
    )?;
    let keep = Keep::parse(args.keep.as_deref().unwrap_or("all"))?;
    let scoring = TypedScoring::new(
        target.url.clone(),
        wire,
        Typing::new(&schema_types, &overrides),
        keep,
        required,
    );
    let source = table::open_typed(
        input,
        args.batch_size as usize,
        table::MAX_BODY,
        scoring.clone(),
        (at, delimiter),
    )?;
    Ok((source, scoring))
}

/// The service's schema, when it publishes one and it can be read; a failure to read it is
/// shown at `-v` and scoring goes on without it (cells are then typed by inference).
pub(crate) async fn read_schema(
    target: &Target,
    client: &Client,
    printer: &Printer,
    input_name: Option<&str>,
) -> Option<Schema> {
    let url = schema::url(target.kind, &target.url)?;
    let read = async {
        let body = client
            .get_document(&url, "reading the service's schema")
            .await?;
        schema::parse(target.kind, &body, input_name.unwrap_or("input1"))
    };
    match read.await {
        Ok(schema) => schema,
        Err(e) => {
            printer.debug(1, format!("no schema: {e:#}"));
            None
        }
    }
}
