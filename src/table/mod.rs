//! Rows in, rows out, no HTTP. Reads CSV/TSV (`csv_in.rs`), JSON (`json_in.rs`) or `--record`
//! cells lazily from any `impl Read` and cuts them into request bodies of at most N rows and
//! `MAX_BODY` bytes (`encode.rs`, `protocol.md` §3.1, §3.2, §3.6), each remembering its input
//! line range and raw bytes; reads a scoring answer (`response.rs`, §3.3, §3.5) and writes its
//! rows as CSV, TSV, JSON or an aligned table (`output.rs`); writes the raw input of rows that
//! were not scored (`failed.rs`). Knows nothing of HTTP, clap, the printer or exit codes.
//!
//! Malformed input is a `UsageError` naming `FILE:LINE:COLUMN` (column in bytes, 1-based),
//! found when its batch is built, so before any request holding the row is sent.
//!
//! Parquet (`parquet/`) is read as the JSON rows of its record batches, and written from answer
//! rows in typed row groups.

mod csv_in;
pub mod encode;
mod failed;
mod json_in;
pub(crate) mod output;
pub mod parquet;
mod record;
mod response;
mod scan;
pub mod stream;
mod typed;

pub use failed::FailedRows;
pub use output::{RowWriter, push_csv_record};
pub use response::{Cell, Output, parse_output};
pub use scan::predictions;
pub use typed::{EncodeRows, InCell, RowSet, TypedRows, typed_batch};

/// Batches of typed rows (MLflow, Azure ML, v2, KServe v1): see `typed.rs`.
pub use typed::open as open_typed;
#[cfg(test)]
pub(crate) use typed::open_with as open_typed_with;

use anyhow::Result;
use bytes::Bytes;
use std::fmt;
use std::io::Read;

/// Most bytes in one request body: the service takes "4 MB or smaller" (§3.6); 4,000,000 is
/// below both readings of "MB".
pub const MAX_BODY: usize = 4_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    Csv,
    Tsv,
    Json,
    /// JSON Lines: one row object per line.
    Jsonl,
    /// Read through `parquet::ParquetJson` as JSON Lines.
    Parquet,
}

impl InputFormat {
    /// From a file name's extension (`.csv`, `.tsv`/`.tab`, `.json`, `.jsonl`/`.ndjson`,
    /// `.parquet`), any case, past a compression extension (`.csv.gz`, `.jsonl.zst`).
    pub fn from_path(path: &str) -> Option<Self> {
        let lower = path.to_ascii_lowercase();
        let stem = lower
            .strip_suffix(".gz")
            .or_else(|| lower.strip_suffix(".zst"))
            .unwrap_or(&lower);
        let ext = std::path::Path::new(stem).extension()?.to_str()?;
        match ext {
            "csv" => Some(InputFormat::Csv),
            "tsv" | "tab" => Some(InputFormat::Tsv),
            "json" => Some(InputFormat::Json),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            "parquet" => Some(InputFormat::Parquet),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Csv,
    Tsv,
    Json,
    Table,
    /// JSON Lines: one object per row and line.
    Jsonl,
    /// Parquet, in typed row groups (`parquet::ParquetOut`).
    Parquet,
}

impl OutputFormat {
    /// From a file name's extension, as [`InputFormat::from_path`].
    pub fn from_path(path: &str) -> Option<Self> {
        InputFormat::from_path(path).map(|f| match f {
            InputFormat::Csv => OutputFormat::Csv,
            InputFormat::Tsv => OutputFormat::Tsv,
            InputFormat::Json => OutputFormat::Json,
            InputFormat::Jsonl => OutputFormat::Jsonl,
            InputFormat::Parquet => OutputFormat::Parquet,
        })
    }
}

/// Input line numbers, 1-based and inclusive; `first == last + 1` when there are none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lines {
    pub first: u64,
    pub last: u64,
}

impl Lines {
    pub fn is_empty(&self) -> bool {
        self.last < self.first
    }
}

impl fmt::Display for Lines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            f.write_str("no lines (header only)")
        } else if self.first == self.last {
            write!(f, "line {}", self.first)
        } else {
            write!(f, "lines {}-{}", self.first, self.last)
        }
    }
}

/// One request's worth of rows.
#[derive(Debug, Clone)]
pub struct Batch {
    /// 0, 1, 2, ... in input order.
    pub index: u64,
    pub lines: Lines,
    pub rows: usize,
    /// The serialized request JSON.
    pub body: Bytes,
    /// The input bytes of these rows, for `--failed-rows`.
    pub raw: Bytes,
    /// The rows' cells, for the typed protocols (which split refused batches and copy input
    /// columns into the output); `None` for classic bodies.
    pub typed: Option<TypedRows>,
    /// The input position (bytes read from the input) right after these rows: where reading
    /// would start again to go on after them (`--resume`); 0 when unknown.
    pub end: u64,
}

/// How to build request bodies.
#[derive(Debug, Clone)]
pub struct BatchSpec {
    pub input_name: String,
    pub swagger: bool,
    pub max_rows: usize,
    pub max_body: usize,
    /// `GlobalParameters`, values sent as strings.
    pub params: Vec<(String, String)>,
    /// The field delimiter of CSV input (`--delimiter`, or detected); `None`: `,` (TSV: tab).
    pub delimiter: Option<u8>,
}

/// Where rows come from.
pub enum Source {
    /// A readable input and its name for messages (`in.csv`, `<stdin>`).
    Reader {
        reader: Box<dyn Read + Send>,
        name: String,
        format: InputFormat,
    },
    /// `--record COL=VALUE` cells of one row.
    Record(Vec<(String, String)>),
}

/// Batches read lazily from an input.
pub trait BatchSource: Send {
    /// The next batch; `Ok(None)` once the input is read to its end.
    fn next_batch(&mut self) -> Result<Option<Batch>>;
    /// Whether the bodies use `format=swagger` (a whole request body decides for itself).
    fn swagger(&self) -> bool;
    /// Where a `--failed-rows` file starts (the header line, `[` for JSON).
    fn failed_head(&self) -> Bytes;
    fn framing(&self) -> Framing;
    /// The input line where the rows start (after a CSV header, at a JSON array's first row).
    fn first_line(&self) -> u64 {
        1
    }
    /// What is left after the last batch returned (rows read but not batched, and the unread
    /// rest), or `None` when the input was read to its end.
    fn into_remainder(self: Box<Self>) -> Option<Remainder>;
}

/// How the raw input of unscored rows is put together in a `--failed-rows` file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// CSV and TSV lines (and a whole request body): bytes as they came.
    Lines,
    /// Elements of a JSON array: each chunk starts with `,\n`.
    JsonArray,
}

/// The input not yet batched when reading stopped.
pub struct Remainder {
    /// Raw input of rows read but not batched (a chunk as in `Batch::raw`).
    pub pending: Vec<u8>,
    /// The rest, from where reading stopped (a malformed row included).
    pub rest: Box<dyn Read + Send>,
}

/// Opens an input as a source of batches. Reads as little as it can: the JSON kind is decided
/// by its first byte, a CSV header by its first line.
pub fn open(source: Source, spec: &BatchSpec) -> Result<Box<dyn BatchSource>> {
    open_at(source, spec, Start::default())
}

/// Where an input starts in the file it comes from: the lines and bytes before its first byte.
/// An input that is the rest of a file (after a `--resume`) names its lines, and records its
/// batches' `end`, as in the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Start {
    pub lines: u64,
    pub bytes: u64,
}

/// The rest of an input from byte `end` (just after a batch's last row, which ends on line
/// `line`), made a whole input again behind its `head` (the `failed_head` of its source: the
/// CSV header line, or JSON's `[`), and where it starts in the file: what `--resume` reads.
pub fn rest_of(
    head: &[u8],
    rest: Box<dyn Read + Send>,
    format: InputFormat,
    end: u64,
    line: u64,
) -> (Box<dyn Read + Send>, Start) {
    let head_lines = head.iter().filter(|&&b| b == b'\n').count() as u64;
    let (rest, lines): (Box<dyn Read + Send>, u64) = match format {
        // After a row object come blanks, then `,` or `]`: the comma becomes a blank, so that
        // `[` + the rest is an array, and no line or column moves.
        InputFormat::Json => (Box::new(CommaBlanked::new(rest)), line.saturating_sub(1)),
        _ => (rest, line.saturating_sub(head_lines)),
    };
    let at = Start {
        lines,
        bytes: end.saturating_sub(head.len() as u64),
    };
    (
        Box::new(std::io::Cursor::new(head.to_vec()).chain(rest)),
        at,
    )
}

/// A reader that turns the first non-blank byte into a blank when it is a comma.
struct CommaBlanked<R> {
    inner: R,
    done: bool,
}

impl<R: Read> CommaBlanked<R> {
    fn new(inner: R) -> Self {
        CommaBlanked { inner, done: false }
    }
}

impl<R: Read> Read for CommaBlanked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if !self.done {
            for b in &mut buf[..n] {
                match *b {
                    b' ' | b'\t' | b'\r' | b'\n' => {}
                    b',' => {
                        *b = b' ';
                        self.done = true;
                        break;
                    }
                    _ => {
                        self.done = true;
                        break;
                    }
                }
            }
        }
        Ok(n)
    }
}

/// As [`open`], for an input that starts `at` a place of the file it comes from.
pub fn open_at(source: Source, spec: &BatchSpec, at: Start) -> Result<Box<dyn BatchSource>> {
    match source {
        Source::Record(cells) => record::open(cells, spec),
        Source::Reader {
            reader,
            name,
            format: InputFormat::Json,
        } => json_in::open(reader, name, spec, at),
        // A Parquet input comes as the JSON Lines of `parquet::ParquetJson`.
        Source::Reader {
            reader,
            name,
            format: InputFormat::Jsonl | InputFormat::Parquet,
        } => json_in::open_lines(reader, name, spec, at),
        Source::Reader {
            reader,
            name,
            format,
        } => {
            let delim = match (format, spec.delimiter) {
                (InputFormat::Tsv, _) => b'\t',
                (_, Some(d)) => d,
                _ => b',',
            };
            csv_in::open(reader, name, delim, spec, at)
        }
    }
}

/// The delimiter of a CSV whose header line holds no comma: the most frequent of `;`, tab and
/// `|` outside quotes (`None` when it has none of them: one column). Reads the first line (up to
/// 1 MiB) and gives back a reader that starts at the beginning again.
pub fn sniff_delimiter(
    mut reader: Box<dyn Read + Send>,
) -> Result<(Box<dyn Read + Send>, Option<u8>)> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while head.len() < 1 << 20 {
        match reader.read(&mut byte) {
            Ok(0) => break,
            Ok(_) => {
                head.push(byte[0]);
                if byte[0] == b'\n' || byte[0] == b'\r' {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(anyhow::Error::new(e).context("cannot read the input")),
        }
    }
    let mut counts = [(b';', 0usize), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    let mut comma = false;
    for &b in &head {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => comma = true,
            _ if !quoted => {
                if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                    c.1 += 1;
                }
            }
            _ => {}
        }
    }
    let found = if comma {
        None
    } else {
        counts
            .iter()
            .filter(|(_, n)| *n > 0)
            .max_by_key(|(_, n)| *n)
            .map(|(d, _)| *d)
    };
    Ok((Box::new(std::io::Cursor::new(head).chain(reader)), found))
}

/// `{name}:{line}:{col}: {msg}` as a usage error.
fn input_error(name: &str, line: u64, col: Option<u64>, msg: impl fmt::Display) -> anyhow::Error {
    match col {
        Some(c) => crate::usage!("{name}:{line}:{c}: {msg}"),
        None => crate::usage!("{name}:{line}: {msg}"),
    }
}

/// The error for a row that cannot fit in one request. The size is not shown: reading stops
/// once a row passes the limit (`cut`), so all that is known is that it is over it.
fn too_big(name: &str, e: encode::TooBig, max_body: usize) -> anyhow::Error {
    let limit = format!(
        "it is larger than the {:.0} MB the service accepts in one request, and a row cannot be split",
        max_body as f64 / 1_000_000.0
    );
    if name.starts_with("--") {
        return crate::usage!("the row of `{name}` cannot fit in one request: {limit}");
    }
    let what = match (e.lines.first == e.lines.last, e.cut) {
        (true, _) => "this row".to_string(),
        (false, false) => format!("this row (lines {}-{})", e.lines.first, e.lines.last),
        (false, true) => format!("this row (lines {}-{} and on)", e.lines.first, e.lines.last),
    };
    input_error(
        name,
        e.lines.first,
        None,
        format!("{what} cannot fit in one request: {limit}"),
    )
}

#[cfg(test)]
mod tests;
