//! The files of `score` / `rrs execute`: the input (`--record`, stdin or a file; decompressed
//! when its first bytes are gzip's or zstd's, decoded from `--encoding` or its byte-order
//! mark, its bytes counted for the progress bar; the CSV delimiter given or detected) and the
//! output (stdout, or a temporary file beside `--output` renamed over it on success, compressed
//! by its extension and encoded by `--output-encoding`).

use crate::cli::{self, ExecuteArgs};
use crate::output::Printer;
use crate::protocol::Kind;
use crate::settings::Settings;
use crate::table::stream::{self, Compression, Counting, Encoded, Sink};
use crate::table::{self, InputFormat, OutputFormat, Source};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use tempfile::TempPath;

/// An opened input.
pub(super) struct Input {
    pub source: Source,
    /// Read as the file's own bytes (not decompressed or decoded): a resume can seek in it.
    pub plain: bool,
    /// The file's size, for the progress bar's percentage.
    pub size: Option<u64>,
    /// Bytes read from the file (compressed bytes for a compressed one).
    pub read: Arc<AtomicU64>,
}

/// `--record`, stdin or a file; the format from `--input-format`, else the file extension,
/// else CSV. A Parquet input is read as JSON Lines, its nulls as `kind` takes them
/// (`parquet.rs`).
pub(super) fn open_input(args: &ExecuteArgs, printer: &Printer, kind: Kind) -> Result<Input> {
    let read = Arc::new(AtomicU64::new(0));
    if !args.record.is_empty() {
        let cells = crate::commands::parse_pairs("--record", &args.record)?;
        return Ok(Input {
            source: Source::Record(cells),
            plain: true,
            size: None,
            read,
        });
    }
    let format = input_format(args);
    if format == InputFormat::Parquet {
        return super::parquet::open_input(args, kind, read);
    }
    let (raw, name, size): (Box<dyn std::io::Read + Send>, String, Option<u64>) =
        if args.input == "-" {
            (Box::new(std::io::stdin()), "<stdin>".into(), None)
        } else {
            let file = std::fs::File::open(&args.input)
                .map_err(|e| crate::usage!("cannot open the input `{}`: {e}", args.input))?;
            let size = file.metadata().ok().map(|m| m.len());
            (Box::new(file), args.input.clone(), size)
        };
    let counted = Box::new(Counting {
        inner: raw,
        count: read.clone(),
    });
    let (reader, compressed) =
        stream::decompress(counted, &name).with_context(|| format!("cannot read `{name}`"))?;
    let encoding = match &args.encoding {
        Some(label) => Some(stream::encoding("--encoding", label)?),
        None => None,
    };
    let (reader, note, transcoded) =
        stream::decode(reader, encoding, &name).with_context(|| format!("cannot read `{name}`"))?;
    if let Some(note) = note {
        printer.note(note);
    }
    Ok(Input {
        source: Source::Reader {
            reader,
            name,
            format,
        },
        plain: compressed.is_none() && !transcoded,
        size,
        read,
    })
}

/// The field delimiter of a CSV input: `--delimiter`, else the one its header shows when it
/// holds no comma (with a note), else `None` (a comma).
pub(super) fn delimiter(
    args: &ExecuteArgs,
    input: Source,
    printer: &Printer,
) -> Result<(Source, Option<u8>)> {
    if let Some(d) = &args.delimiter {
        return Ok((input, Some(parse_delimiter("--delimiter", d)?)));
    }
    match input {
        Source::Reader {
            reader,
            name,
            format: InputFormat::Csv,
        } => {
            let (reader, found) = table::sniff_delimiter(reader)?;
            if let Some(d) = found {
                let shown = if d == b'\t' {
                    "tab".to_string()
                } else {
                    format!("`{}`", d as char)
                };
                printer.note(format!(
                    "the header of `{name}` has no comma: reading it with {shown} as the delimiter (`--delimiter` chooses another)"
                ));
            }
            let format = InputFormat::Csv;
            Ok((
                Source::Reader {
                    reader,
                    name,
                    format,
                },
                found,
            ))
        }
        other => Ok((other, None)),
    }
}

/// One ASCII character, or `tab` / `\t`; not a quote or a line break.
pub(super) fn parse_delimiter(flag: &str, s: &str) -> Result<u8> {
    let d = match s {
        "tab" | "\\t" | "\t" => b'\t',
        _ if s.len() == 1 && s.is_ascii() => s.as_bytes()[0],
        _ => {
            return Err(crate::usage!(
                "`{s}` given to `{flag}` is not one character (or `tab`)"
            ));
        }
    };
    if matches!(d, b'"' | b'\n' | b'\r') {
        return Err(crate::usage!(
            "a quote or a line break cannot be the delimiter of `{flag}`"
        ));
    }
    Ok(d)
}

/// `--input-format`, else the file extension, else CSV.
pub(super) fn input_format(args: &ExecuteArgs) -> InputFormat {
    match args.input_format {
        Some(cli::InputFormat::Csv) => InputFormat::Csv,
        Some(cli::InputFormat::Tsv) => InputFormat::Tsv,
        Some(cli::InputFormat::Json) => InputFormat::Json,
        Some(cli::InputFormat::Jsonl) => InputFormat::Jsonl,
        Some(cli::InputFormat::Parquet) => InputFormat::Parquet,
        None => InputFormat::from_path(&args.input).unwrap_or(InputFormat::Csv),
    }
}

/// `-f`, else the output file's extension, else CSV.
pub(super) fn output_format(settings: &Settings, args: &ExecuteArgs) -> OutputFormat {
    match settings.output_format {
        Some(cli::OutputFormat::Csv) => OutputFormat::Csv,
        Some(cli::OutputFormat::Tsv) => OutputFormat::Tsv,
        Some(cli::OutputFormat::Json) => OutputFormat::Json,
        Some(cli::OutputFormat::Table) => OutputFormat::Table,
        Some(cli::OutputFormat::Jsonl) => OutputFormat::Jsonl,
        Some(cli::OutputFormat::Parquet) => OutputFormat::Parquet,
        None if args.output != "-" => {
            OutputFormat::from_path(&args.output).unwrap_or(OutputFormat::Csv)
        }
        None => OutputFormat::Csv,
    }
}

/// The temporary file of an output and the path it is renamed to at the end.
pub(super) type Temp = Option<(TempPath, PathBuf)>;

/// Stdout, or a temporary file next to `--output` that is renamed over it on success (and
/// removed otherwise, so no half-written file is left); compressed as its name says (`.gz`,
/// `.zst`) and encoded by `--output-encoding`.
pub(super) fn open_output(args: &ExecuteArgs) -> Result<(Box<dyn Sink>, Temp)> {
    let (sink, temp) = open_plain_output(&args.output)?;
    Ok((encode_output(args, sink)?, temp))
}

/// The partial output of a journalled run: the file itself, or gzip members appended to it
/// when `output` ends in `.gz` (each commit ends one, so that a resume can cut the file there).
pub(super) fn journalled_output(file: std::fs::File, output: &str) -> Box<dyn Sink> {
    match Compression::from_path(output) {
        Some(Compression::Gzip) => Box::new(stream::GzMembers::new(file)),
        _ => Box::new(file),
    }
}

/// The output in `--output-encoding`, when it is given and not UTF-8.
pub(super) fn encode_output(args: &ExecuteArgs, sink: Box<dyn Sink>) -> Result<Box<dyn Sink>> {
    match &args.output_encoding {
        Some(label) => {
            let e = stream::encoding("--output-encoding", label)?;
            if e == encoding_rs::UTF_8 {
                Ok(sink)
            } else {
                Ok(Box::new(Encoded::new(sink, e)))
            }
        }
        None => Ok(sink),
    }
}

fn open_plain_output(output: &str) -> Result<(Box<dyn Sink>, Temp)> {
    if output == "-" {
        return Ok((Box::new(std::io::stdout()), None));
    }
    let path = PathBuf::from(output);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    check_dir(&dir, "--output")?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".mlws-tmp")
        .tempfile_in(&dir)
        .with_context(|| format!("cannot create a file in `{}`", dir.display()))?;
    let (file, temp) = temp.into_parts();
    // No `BufWriter`: the row writer hands over whole batches, one write each.
    let sink = stream::compress(file, Compression::from_path(output))
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok((sink, Some((temp, path))))
}

pub(super) fn check_dir(dir: &Path, flag: &str) -> Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        Ok(())
    } else {
        Err(crate::usage!(
            "the directory of `{flag}` (`{}`) does not exist",
            dir.display()
        ))
    }
}

/// The directory a file goes in (`.` for a bare name).
pub(super) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Renames the finished temporary file over `path`, readable as a normal new file would be.
pub(super) fn persist(temp: TempPath, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(0o644));
    }
    temp.persist(path)
        .map_err(|e| anyhow::Error::new(e.error))
        .with_context(|| format!("cannot write `{}`", path.display()))
}
