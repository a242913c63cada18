//! Parquet files for `score` / `rrs execute` (`table::parquet` does the reading and writing):
//! the input opened as the JSON Lines of its rows, and the checks on a Parquet output.

use super::io::Input;
use crate::cli::ExecuteArgs;
use crate::protocol::Kind;
use crate::table::parquet::{self, Nulls, ParquetJson};
use crate::table::stream::{self, Compression};
use crate::table::{InputFormat, OutputFormat, Source};
use anyhow::{Context, Result};
use std::fs::File;
use std::io::{Read, Seek};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// A Parquet file (or stdin, copied to a temporary file first) as JSON Lines: a null cell is
/// `""` for a classic service (its cells are strings), `null` for the typed protocols. Its
/// unscored rows (`--failed-rows`) are those JSON lines. The progress bar counts rows, as a
/// share of the file's size.
pub(super) fn open_input(args: &ExecuteArgs, kind: Kind, read: Arc<AtomicU64>) -> Result<Input> {
    if let Some(path) = &args.failed_rows
        && InputFormat::from_path(&path.to_string_lossy()) == Some(InputFormat::Parquet)
    {
        return Err(crate::usage!(
            "the unscored rows of a Parquet input are written as JSON Lines: give `--failed-rows` a `.jsonl` name"
        ));
    }
    if args.encoding.is_some() {
        return Err(crate::usage!(
            "`--encoding` is for text inputs: Parquet strings are UTF-8"
        ));
    }
    let nulls = match kind {
        Kind::Classic => Nulls::EmptyString,
        _ => Nulls::Null,
    };
    let (file, name) = match args.input.as_str() {
        "-" => (parquet::spool_stdin()?, "<stdin>".to_string()),
        path => (
            std::fs::File::open(path)
                .map_err(|e| crate::usage!("cannot open the input `{path}`: {e}"))?,
            path.to_string(),
        ),
    };
    let size = file.metadata().ok().map(|m| m.len());
    let file = decompressed(file, &name)?;
    let mut json = ParquetJson::new(file, name.clone(), nulls)?;
    if let Some(size) = size {
        json.count_progress(read.clone(), size);
    }
    Ok(Input {
        source: Source::Reader {
            reader: Box::new(json),
            name,
            format: InputFormat::Jsonl,
        },
        plain: false,
        size,
        read,
    })
}

/// A gzip'd or zstd'd Parquet file (`in.parquet.gz`) decompressed into an unnamed temporary
/// file first, since a Parquet reader seeks to the footer; any other file as it is.
fn decompressed(mut file: File, name: &str) -> Result<File> {
    let mut magic = Vec::with_capacity(4);
    (&mut file)
        .take(4)
        .read_to_end(&mut magic)
        .and_then(|_| file.rewind())
        .with_context(|| format!("cannot read `{name}`"))?;
    if Compression::from_magic(&magic).is_none() {
        return Ok(file);
    }
    let (mut reader, _) = stream::decompress(Box::new(file), name)
        .with_context(|| format!("cannot read `{name}`"))?;
    parquet::spool(&mut reader, &format!("`{name}`, decompressed,"))
}

/// A Parquet output is binary: never to a terminal, never re-encoded.
pub(super) fn check_output(args: &ExecuteArgs, format: OutputFormat) -> Result<()> {
    use std::io::IsTerminal;
    if format != OutputFormat::Parquet {
        return Ok(());
    }
    if args.output == "-" && std::io::stdout().is_terminal() {
        return Err(crate::usage!(
            "Parquet output is binary and standard output is a terminal: give `--output FILE.parquet`, or redirect standard output"
        ));
    }
    if args.output_encoding.is_some() {
        return Err(crate::usage!(
            "`--output-encoding` is for text outputs: Parquet strings are UTF-8"
        ));
    }
    Ok(())
}
