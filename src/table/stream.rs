//! The bytes around the rows (`spec/cli.md` "Inputs and outputs as users have them"):
//! compressed inputs decompressed on the fly (gzip, multi-member included, and zstd, known by
//! their first bytes) and outputs compressed by their extension (`.gz`, `.zst`); inputs in
//! another encoding than UTF-8 decoded as they are read (`--encoding`, a byte-order mark wins)
//! and outputs encoded (`--output-encoding`), never replacing what cannot be decoded or
//! encoded; and a count of the bytes read, for the progress bar. Every output is a [`Sink`],
//! closed explicitly, so that a compressed stream's end is written (or its error reported).

use crate::error::UsageError;
use encoding_rs::{DecoderResult, Encoding, UTF_8};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where rows are written: a `Write` that is closed at the end.
pub trait Sink: Write + Send {
    /// Ends the stream (a compressed stream's trailer) and flushes it.
    fn close(self: Box<Self>) -> io::Result<()>;

    /// Makes what was written so far whole in the file (a commit of `--resume` records the
    /// file's length next): a flush, and for [`GzMembers`] the end of the current member.
    fn end_member(&mut self) -> io::Result<()> {
        self.flush()
    }
}

/// A gzip output made of members, one ended at each [`Sink::end_member`]: the file up to the
/// end of any member is a whole gzip file (multi-member, as `gzip` itself writes when files are
/// concatenated, and as gzip readers read), so that `--resume` can cut it there and append.
pub struct GzMembers {
    file: Option<std::fs::File>,
    member: Option<flate2::write::GzEncoder<std::fs::File>>,
    /// A member was ever begun (an output with no byte still gets one, empty).
    begun: bool,
}

impl GzMembers {
    /// A gzip output appended to `file` at its position.
    pub fn new(file: std::fs::File) -> Self {
        GzMembers {
            file: Some(file),
            member: None,
            begun: false,
        }
    }

    fn member(&mut self) -> &mut flate2::write::GzEncoder<std::fs::File> {
        let file = &mut self.file;
        self.begun = true;
        self.member.get_or_insert_with(|| {
            let file = file
                .take()
                .expect("the file is held while no member is open");
            flate2::write::GzEncoder::new(file, flate2::Compression::default())
        })
    }
}

impl Write for GzMembers {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.member().write(data)
    }

    fn flush(&mut self) -> io::Result<()> {
        match (&mut self.member, &mut self.file) {
            (Some(m), _) => m.flush(),
            (None, Some(f)) => f.flush(),
            (None, None) => Ok(()),
        }
    }
}

impl Sink for GzMembers {
    fn close(mut self: Box<Self>) -> io::Result<()> {
        if !self.begun {
            self.member();
        }
        self.end_member()
    }

    fn end_member(&mut self) -> io::Result<()> {
        if let Some(m) = self.member.take() {
            self.file = Some(m.finish()?);
        }
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Sink for std::fs::File {
    fn close(mut self: Box<Self>) -> io::Result<()> {
        self.flush()
    }
}

impl Sink for io::Stdout {
    fn close(mut self: Box<Self>) -> io::Result<()> {
        self.flush()
    }
}

impl<W: Write + Send> Sink for flate2::write::GzEncoder<W> {
    fn close(self: Box<Self>) -> io::Result<()> {
        self.finish()?.flush()
    }
}

impl<W: Write + Send> Sink for zstd::stream::write::Encoder<'static, W> {
    fn close(self: Box<Self>) -> io::Result<()> {
        self.finish()?.flush()
    }
}

impl Sink for Vec<u8> {
    fn close(self: Box<Self>) -> io::Result<()> {
        Ok(())
    }
}

/// A compression of inputs and outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
}

impl Compression {
    /// By an output file's extension.
    pub fn from_path(path: &str) -> Option<Self> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".gz") {
            Some(Compression::Gzip)
        } else if lower.ends_with(".zst") {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    /// By a file's first bytes (four are enough).
    pub fn from_magic(magic: &[u8]) -> Option<Self> {
        if magic.starts_with(&[0x1f, 0x8b]) {
            Some(Compression::Gzip)
        } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// An input error raised from inside a reader: an `io::Error` of kind `InvalidData` holding a
/// [`UsageError`] (exit 2), with the message people see.
pub fn input_io_error(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, UsageError::new(message))
}

/// Decompresses an input whose first bytes are gzip's or zstd's; gives back the others as
/// they are.
pub fn decompress(
    reader: Box<dyn Read + Send>,
    name: &str,
) -> io::Result<(Box<dyn Read + Send>, Option<Compression>)> {
    let (magic, reader) = peek(reader, 4)?;
    let found = Compression::from_magic(&magic);
    let buffered = BufReader::with_capacity(64 * 1024, reader);
    let inner: Box<dyn Read + Send> = match found {
        None => return Ok((Box::new(buffered.into_inner()), None)),
        Some(Compression::Gzip) => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
        Some(Compression::Zstd) => Box::new(zstd::stream::read::Decoder::with_buffer(buffered)?),
    };
    let what = found.map_or("", Compression::name);
    Ok((
        Box::new(Decompressed {
            inner,
            name: name.to_string(),
            what,
        }),
        found,
    ))
}

/// A decompressing reader whose errors say which file is broken, as input errors.
struct Decompressed {
    inner: Box<dyn Read + Send>,
    name: String,
    what: &'static str,
}

impl Read for Decompressed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            let why = match e.kind() {
                io::ErrorKind::UnexpectedEof => {
                    "it ends before its compressed stream does (truncated?)".to_string()
                }
                _ => e.to_string(),
            };
            input_io_error(format!(
                "`{}` is not a whole {} file: {why}",
                self.name, self.what
            ))
        })
    }
}

/// The first `n` bytes of a reader (fewer at its end), and a reader that reads them again
/// and then the rest: a look at the start without a buffer that every byte is copied through.
fn peek(mut reader: Box<dyn Read + Send>, n: usize) -> io::Result<(Vec<u8>, Box<dyn Read + Send>)> {
    let mut start = Vec::with_capacity(n);
    while start.len() < n {
        let mut byte = [0u8; 8];
        let want = n - start.len();
        match reader.read(&mut byte[..want]) {
            Ok(0) => break,
            Ok(k) => start.extend_from_slice(&byte[..k]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let again = Box::new(io::Cursor::new(start.clone()).chain(reader));
    Ok((start, again))
}

/// Compresses an output as its file name says.
pub fn compress(
    file: std::fs::File,
    compression: Option<Compression>,
) -> io::Result<Box<dyn Sink>> {
    Ok(match compression {
        None => Box::new(file),
        Some(Compression::Gzip) => Box::new(flate2::write::GzEncoder::new(
            file,
            flate2::Compression::default(),
        )),
        Some(Compression::Zstd) => Box::new(zstd::stream::write::Encoder::new(file, 3)?),
    })
}

/// An encoding by its WHATWG label (`windows-1250`, `latin2`, `utf-16le`, ...).
pub fn encoding(flag: &str, label: &str) -> anyhow::Result<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        crate::usage!("`{label}` given to `{flag}` is not an encoding (WHATWG labels: utf-8, windows-1250, windows-1252, iso-8859-2, shift_jis, utf-16le, ...)")
    })
}

/// Decodes an input into UTF-8: by its byte-order mark when it has one (which wins over
/// `given`, with a note when they disagree), else by `given`; UTF-8 input is passed through
/// as it is (its own reader checks it). Returns the reader, the note, if any, and whether it
/// decodes (its bytes are then not the file's).
pub fn decode(
    reader: Box<dyn Read + Send>,
    given: Option<&'static Encoding>,
    name: &str,
) -> io::Result<(Box<dyn Read + Send>, Option<String>, bool)> {
    let (start, reader) = peek(reader, 3)?;
    let bom = Encoding::for_bom(&start).map(|(e, _)| e);
    let note = match (bom, given) {
        (Some(b), Some(g)) if b != g => Some(format!(
            "`{name}` starts with a {} byte-order mark: read as {}, not {}",
            b.name(),
            b.name(),
            g.name()
        )),
        _ => None,
    };
    let encoding = bom.or(given).unwrap_or(UTF_8);
    if encoding == UTF_8 && bom.is_none() {
        return Ok((reader, note, false));
    }
    let buffered = BufReader::with_capacity(64 * 1024, reader);
    Ok((
        Box::new(Decoding {
            inner: buffered,
            decoder: encoding.new_decoder_with_bom_removal(),
            name: name.to_string(),
            encoding,
            out: Vec::new(),
            at: 0,
            line: 1,
            col: 1,
            done: false,
        }),
        note,
        true,
    ))
}

/// A reader that decodes another encoding into UTF-8, refusing malformed bytes with the line
/// and column (in characters) where they are.
struct Decoding<R> {
    inner: BufReader<R>,
    decoder: encoding_rs::Decoder,
    name: String,
    encoding: &'static Encoding,
    out: Vec<u8>,
    at: usize,
    line: u64,
    col: u64,
    done: bool,
}

impl<R: Read> Decoding<R> {
    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.at = 0;
        while self.out.is_empty() && !self.done {
            let input = self.inner.fill_buf()?;
            let last = input.is_empty();
            let room = self
                .decoder
                .max_utf8_buffer_length_without_replacement(input.len())
                .unwrap_or(input.len() * 3 + 16)
                .max(16);
            self.out.resize(room, 0);
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(input, &mut self.out, last);
            self.out.truncate(written);
            self.advance(written);
            self.inner.consume(read);
            match result {
                DecoderResult::InputEmpty if last => self.done = true,
                DecoderResult::InputEmpty | DecoderResult::OutputFull => {}
                DecoderResult::Malformed(_, _) => {
                    return Err(input_io_error(format!(
                        "{}:{}:{}: bytes that are not {} (pass the file's `--encoding`)",
                        self.name,
                        self.line,
                        self.col,
                        self.encoding.name()
                    )));
                }
            }
        }
        Ok(())
    }

    /// Moves the line and column past the text just decoded.
    fn advance(&mut self, written: usize) {
        let start = self.out.len() - written;
        for c in String::from_utf8_lossy(&self.out[start..]).chars() {
            if c == '\n' {
                self.line += 1;
                self.col = 1;
            } else {
                self.col += 1;
            }
        }
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at == self.out.len() {
            self.fill()?;
        }
        let n = (self.out.len() - self.at).min(buf.len());
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// An output in another encoding than UTF-8: a character it cannot represent is an error
/// (exit 2) naming it.
pub struct Encoded {
    inner: Box<dyn Sink>,
    encoder: encoding_rs::Encoder,
    buf: Vec<u8>,
}

impl Encoded {
    pub fn new(inner: Box<dyn Sink>, encoding: &'static Encoding) -> Self {
        Encoded {
            inner,
            encoder: encoding.new_encoder(),
            buf: Vec::new(),
        }
    }
}

impl Write for Encoded {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // The row writer writes whole rows: `data` is always whole UTF-8.
        let text =
            std::str::from_utf8(data).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let mut rest = text;
        loop {
            self.buf.resize(rest.len() * 4 + 16, 0);
            let (result, read, written) =
                self.encoder
                    .encode_from_utf8_without_replacement(rest, &mut self.buf, false);
            self.inner.write_all(&self.buf[..written])?;
            rest = &rest[read..];
            match result {
                encoding_rs::EncoderResult::InputEmpty => return Ok(data.len()),
                encoding_rs::EncoderResult::OutputFull => {}
                encoding_rs::EncoderResult::Unmappable(c) => {
                    return Err(input_io_error(format!(
                        "`{c}` cannot be written in {} (`--output-encoding`)",
                        self.encoder.encoding().name()
                    )));
                }
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Sink for Encoded {
    fn close(self: Box<Self>) -> io::Result<()> {
        self.inner.close()
    }

    fn end_member(&mut self) -> io::Result<()> {
        // Each write is encoded and passed on whole: nothing is held here.
        self.inner.end_member()
    }
}

/// Counts the bytes read through it (the progress bar's position).
pub struct Counting<R> {
    pub inner: R,
    pub count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn gzip_members_end_where_asked_and_each_prefix_to_one_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv.gz");
        let mut sink: Box<dyn Sink> =
            Box::new(GzMembers::new(std::fs::File::create(&path).unwrap()));
        sink.write_all(b"a,b\n1,2\n").unwrap();
        sink.end_member().unwrap();
        let first = std::fs::read(&path).unwrap();
        assert_eq!(gunzip(&first), b"a,b\n1,2\n");
        // Ending a member with nothing written begins none.
        sink.end_member().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), first);
        sink.write_all(b"3,4\n").unwrap();
        sink.close().unwrap();
        let whole = std::fs::read(&path).unwrap();
        assert!(whole.starts_with(&first) && whole.len() > first.len());
        assert_eq!(gunzip(&whole), b"a,b\n1,2\n3,4\n");
        // A resumed run appends members to the file cut at the first one's end.
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.set_len(first.len() as u64).unwrap();
        let mut sink: Box<dyn Sink> = Box::new(GzMembers::new(file));
        sink.write_all(b"5,6\n").unwrap();
        sink.close().unwrap();
        assert_eq!(gunzip(&std::fs::read(&path).unwrap()), b"a,b\n1,2\n5,6\n");
        // An output with no byte is still a gzip file (of one empty member).
        let empty = dir.path().join("empty.gz");
        let sink: Box<dyn Sink> = Box::new(GzMembers::new(std::fs::File::create(&empty).unwrap()));
        sink.close().unwrap();
        let bytes = std::fs::read(&empty).unwrap();
        assert!(bytes.starts_with(&[0x1f, 0x8b]));
        assert!(gunzip(&bytes).is_empty());
    }

    fn read_all(r: &mut dyn Read) -> io::Result<Vec<u8>> {
        let mut v = vec![];
        r.read_to_end(&mut v)?;
        Ok(v)
    }

    #[test]
    fn gzip_multi_member_and_zstd_inputs_are_read_and_plain_ones_pass() {
        let mut gz = Vec::new();
        for part in ["a,b\n", "1,2\n"] {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(part.as_bytes()).unwrap();
            gz.extend(e.finish().unwrap());
        }
        let (mut r, c) = decompress(Box::new(io::Cursor::new(gz.clone())), "x.gz").unwrap();
        assert_eq!(
            (read_all(&mut r).unwrap(), c),
            (b"a,b\n1,2\n".to_vec(), Some(Compression::Gzip))
        );
        let z = zstd::encode_all(&b"a\n1\n"[..], 3).unwrap();
        let (mut r, c) = decompress(Box::new(io::Cursor::new(z)), "x.zst").unwrap();
        assert_eq!(
            (read_all(&mut r).unwrap(), c),
            (b"a\n1\n".to_vec(), Some(Compression::Zstd))
        );
        let (mut r, c) = decompress(Box::new(io::Cursor::new(b"a\n".to_vec())), "x").unwrap();
        assert_eq!((read_all(&mut r).unwrap(), c), (b"a\n".to_vec(), None));
        // Truncated: an input error naming the file.
        let cut = gz[..gz.len() - 10].to_vec();
        let (mut r, _) = decompress(Box::new(io::Cursor::new(cut)), "x.csv.gz").unwrap();
        let e = read_all(&mut r).unwrap_err();
        assert!(
            e.to_string()
                .contains("`x.csv.gz` is not a whole gzip file"),
            "{e}"
        );
        assert!(e.get_ref().unwrap().is::<UsageError>());
    }

    #[test]
    fn legacy_encodings_are_decoded_and_malformed_bytes_named() {
        let w1250 = encoding("--encoding", "windows-1250").unwrap();
        let (mut r, note, _) = decode(
            Box::new(io::Cursor::new(b"Col2\n\xb9\xe6\n".to_vec())),
            Some(w1250),
            "in",
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(read_all(&mut r).unwrap()).unwrap(),
            "Col2\nąć\n"
        );
        assert!(note.is_none());
        // A UTF-16 byte-order mark wins, with a note.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (mut r, note, _) = decode(Box::new(io::Cursor::new(utf16)), Some(w1250), "in").unwrap();
        assert_eq!(read_all(&mut r).unwrap(), b"a\n");
        assert!(note.unwrap().contains("UTF-16LE"));
        // Shift_JIS with a broken byte pair on line 2.
        let sjis = encoding("--encoding", "shift_jis").unwrap();
        let (mut r, _, _) = decode(
            Box::new(io::Cursor::new(b"a\nxy\x82\n".to_vec())),
            Some(sjis),
            "in",
        )
        .unwrap();
        let e = read_all(&mut r).unwrap_err().to_string();
        assert!(e.starts_with("in:2:3: bytes that are not Shift_JIS"), "{e}");
        assert!(encoding("--encoding", "klingon").is_err());
    }

    #[test]
    fn outputs_are_encoded_or_refused_and_compressed() {
        let w1252 = encoding("--output-encoding", "windows-1252").unwrap();
        let mut out = Encoded::new(Box::new(Vec::new()), w1252);
        out.write_all("café\n".as_bytes()).unwrap();
        let e = out.write_all("zł\n".as_bytes()).unwrap_err();
        assert!(
            e.to_string()
                .contains("`ł` cannot be written in windows-1252"),
            "{e}"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.csv.gz");
        let mut sink = compress(
            std::fs::File::create(&path).unwrap(),
            Compression::from_path("o.csv.gz"),
        )
        .unwrap();
        sink.write_all(b"a\n1\n").unwrap();
        sink.close().unwrap();
        let (mut r, _) = decompress(Box::new(std::fs::File::open(&path).unwrap()), "o").unwrap();
        assert_eq!(read_all(&mut r).unwrap(), b"a\n1\n");
    }
}
