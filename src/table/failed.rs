//! The `--failed-rows` file: the raw input of the rows that were not scored, in input order,
//! framed so that it is itself a valid input: the CSV/TSV header line then the rows' lines as
//! they came, or a JSON array of the row objects as they came. After an error the rest of the
//! input (from the malformed row on) is copied as it is, so fixing it there and running again
//! scores exactly what is missing.

use super::{Framing, Remainder};
use std::io::{self, BufRead, BufReader, Write};

pub struct FailedRows<W: Write> {
    out: W,
    framing: Framing,
    wrote_rows: bool,
    closed: bool,
}

impl<W: Write> FailedRows<W> {
    /// Starts the file with `head` (the header line, or `[`).
    pub fn new(mut out: W, head: &[u8], framing: Framing) -> io::Result<Self> {
        out.write_all(head)?;
        Ok(FailedRows {
            out,
            framing,
            wrote_rows: false,
            closed: false,
        })
    }

    /// Goes on writing a file that already holds its head (and rows, when `wrote_rows`).
    pub fn resume(out: W, framing: Framing, wrote_rows: bool) -> Self {
        FailedRows {
            out,
            framing,
            wrote_rows,
            closed: false,
        }
    }

    /// The file written to.
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    /// The raw input of one batch (or of rows read but not batched).
    pub fn rows(&mut self, raw: &[u8]) -> io::Result<()> {
        if raw.is_empty() {
            return Ok(());
        }
        let raw = match self.framing {
            // JSON chunks start with `,\n`; the first one in the file must not.
            Framing::JsonArray if !self.wrote_rows => raw.strip_prefix(b",").unwrap_or(raw),
            _ => raw,
        };
        self.out.write_all(raw)?;
        self.wrote_rows = true;
        Ok(())
    }

    /// What was left of the input: rows read but not batched, then the unread rest.
    pub fn remainder(&mut self, rem: Remainder) -> io::Result<()> {
        self.rows(&rem.pending)?;
        let mut rest = BufReader::new(rem.rest);
        if self.framing == Framing::JsonArray {
            self.json_joint(&mut rest)?;
        }
        io::copy(&mut rest, &mut self.out)?;
        self.closed = true;
        Ok(())
    }

    /// Joins the rest of a JSON array to what was written: it may start with a `,` (dropped
    /// when no row precedes it), a `]`, or a row object (which then needs a `,`).
    fn json_joint(&mut self, rest: &mut impl BufRead) -> io::Result<()> {
        loop {
            let buf = rest.fill_buf()?;
            let Some(&b) = buf.first() else { return Ok(()) };
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => rest.consume(1),
                b',' if !self.wrote_rows => rest.consume(1),
                b',' | b']' => return Ok(()),
                _ => {
                    if self.wrote_rows {
                        self.out.write_all(b",\n")?;
                    } else {
                        self.out.write_all(b"\n")?;
                    }
                    return Ok(());
                }
            }
        }
    }

    /// Ends the file (closes a JSON array unless the copied rest did) and flushes it.
    pub fn finish(mut self) -> io::Result<W> {
        if self.framing == Framing::JsonArray && !self.closed {
            self.out.write_all(b"\n]\n")?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}
