//! The scoring pipeline, with memory bounded by about `3 × concurrency + 5` batches whatever
//! the input size: a reader thread cuts the input into batches (a malformed row stops it
//! before its batch exists), a window of `2 × concurrency` batches is being scored at once
//! (`buffered` keeps their order), and a writer thread checks and writes each answer in input
//! order as it comes (up to `concurrency + 2` answers wait for it, while the window goes on).
//! How many of those batches have a request on the wire is the business of a shared
//! [`Limiter`]: the client lowers it when the service throttles and raises it as calls succeed
//! (AIMD), never above `concurrency`, and it hands free slots to the waiting batches in input
//! order (a retry before the later batches); the window is deeper so that the wire stays busy
//! while the answer at its head is late or waits for the writer. Each batch's answer is written
//! once, in order, whatever the retries; when scoring stops part way, everything from the
//! first batch not written on is unscored: a ledger keeps the raw input of every batch read
//! but not yet written, so that `unscored.rs` can name those lines and copy them to
//! `--failed-rows`. The protocol is behind [`Scoring`]: where a batch goes, how its answer is
//! written. A batch refused as too large (413), or, with `--on-bad-row skip`, as bad input,
//! is split in halves (when its protocol can) until the refused rows stand alone; their raw
//! input goes to `--failed-rows` and every other row is scored.

use crate::client::{Client, Limiter};
use crate::error::{ApiError, Interrupted};
use crate::protocol::Scoring;
use crate::table::stream::Sink;
use crate::table::{Batch, BatchSource, FailedRows, Lines, RowWriter};
use anyhow::Result;
use bytes::Bytes;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use indicatif::ProgressBar;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

pub struct Plan {
    pub source: Box<dyn BatchSource>,
    pub scoring: Arc<dyn Scoring>,
    pub client: Client,
    pub concurrency: usize,
    pub writer: RowWriter<Box<dyn Sink>>,
    pub bar: ProgressBar,
    pub failed_rows: Option<PathBuf>,
    /// `--on-bad-row skip`: isolate refused rows instead of stopping.
    pub skip_bad_rows: bool,
    /// The input's name, for the warning of each refused row.
    pub input_name: String,
    /// Prints a warning line (around the progress bar).
    pub warn: Arc<dyn Fn(String) + Send + Sync>,
    /// `--resume` bookkeeping of a run with a file input and output: the journal, and the
    /// partial `--failed-rows` that refused rows go to as they come.
    pub journal: Option<Journalled>,
}

/// What a journalled run keeps as it goes.
pub struct Journalled {
    pub committer: super::journal::Committer,
    pub failed: Option<FailedRows<std::fs::File>>,
    /// The raw input of rows refused before a resume (one chunk), for a `--failed-rows` file
    /// written after a stop.
    pub refused_before: Option<Bytes>,
}

/// How a run ended, for the summary line whatever the result.
pub struct Outcome {
    pub rows_in: u64,
    pub rows_out: u64,
    /// Stdout was closed by its reader (`| head`): a success, the rest left unscored.
    pub broken_pipe: bool,
    /// The lowest number of requests in flight that throttling brought the run down to.
    pub lowest_concurrency: usize,
    /// Rows the service refused as bad input (`--on-bad-row skip`).
    pub rows_refused: u64,
    /// `Err` names the unscored input lines (and where `--failed-rows` put them).
    pub result: Result<()>,
}

/// Raw input of batches read but not yet written, by batch index.
pub(super) type Ledger = Arc<Mutex<BTreeMap<u64, (Lines, Bytes)>>>;

/// What the reader thread has seen.
#[derive(Default)]
pub(super) struct ReadState {
    pub(super) rows_in: AtomicU64,
    /// First line after the last batch made.
    pub(super) next_line: AtomicU64,
    /// Last line of the last batch made.
    pub(super) last_line: AtomicU64,
    /// The input was read to its end.
    pub(super) eof: AtomicBool,
}

/// What became of a batch, or of a part of it: answered, or refused on its own.
enum Part {
    Scored(Batch, Bytes),
    Refused(Batch, String),
}

struct WriterEnd {
    result: Result<()>,
    rows_out: u64,
    broken_pipe: bool,
    /// The raw input of the refused rows, in input order.
    refused: Vec<Bytes>,
    rows_refused: u64,
}

pub async fn run(plan: Plan) -> Outcome {
    let ledger: Ledger = Arc::default();
    let read = Arc::new(ReadState::default());
    let limiter = Arc::new(Limiter::new(plan.concurrency));
    let (batch_tx, batch_rx) = mpsc::channel::<Result<Batch>>(1);
    let (answer_tx, answer_rx) = mpsc::channel::<(u64, Vec<Part>)>(2);
    let framing = (plan.source.failed_head(), plan.source.framing());
    let reader = spawn_reader(plan.source, batch_tx, ledger.clone(), read.clone());
    let writer = spawn_writer(
        plan.writer,
        answer_rx,
        ledger.clone(),
        Written {
            scoring: plan.scoring.clone(),
            bar: plan.bar,
            input_name: plan.input_name,
            warn: plan.warn,
            journal: plan.journal,
        },
    );
    let scorer = Scorer {
        ctx: Arc::new(Ctx {
            client: plan.client,
            limiter: limiter.clone(),
            scoring: plan.scoring,
            skip: plan.skip_bad_rows,
        }),
        concurrency: plan.concurrency,
    };
    // On a worker of the runtime (not the thread blocked on the command): the connections'
    // tasks wake it there without a hop to another thread.
    let first_error = tokio::spawn(scorer.score(batch_rx, answer_tx))
        .await
        .unwrap_or_else(|e| Some(anyhow::anyhow!("the scoring task stopped: {e}")));
    let end = writer.await.unwrap_or_else(|_| WriterEnd {
        result: Err(anyhow::anyhow!("the output writer stopped")),
        rows_out: 0,
        broken_pipe: false,
        refused: vec![],
        rows_refused: 0,
    });
    let mut outcome = Outcome {
        rows_in: read.rows_in.load(Ordering::Relaxed),
        rows_out: end.rows_out,
        broken_pipe: end.broken_pipe,
        lowest_concurrency: limiter.lowest(),
        rows_refused: end.rows_refused,
        result: Ok(()),
    };
    if end.broken_pipe {
        return outcome;
    }
    let error = match (end.result, first_error) {
        (Err(e), _) | (Ok(()), Some(e)) => e,
        (Ok(()), None) => {
            if let (Some(path), false) = (&plan.failed_rows, end.refused.is_empty()) {
                outcome.result = super::unscored::refused_only(path, framing, end.refused).await;
            }
            return outcome;
        }
    };
    let interrupted = error.is::<Interrupted>();
    let error = super::unscored::stopped(
        error,
        &ledger,
        &read,
        reader,
        framing,
        interrupted,
        (plan.failed_rows, end.refused),
    )
    .await;
    outcome.result = Err(error);
    outcome
}

/// What every batch is scored with.
struct Ctx {
    client: Client,
    limiter: Arc<Limiter>,
    scoring: Arc<dyn Scoring>,
    skip: bool,
}

/// What sends the batches.
struct Scorer {
    ctx: Arc<Ctx>,
    concurrency: usize,
}

/// Scores a batch: its answer, or, when it is refused as too large (413) or (with `skip`) as
/// bad input and its protocol can split it, the parts of its halves, down to refused rows
/// on their own. Parts come in input order.
fn score_batch(ctx: Arc<Ctx>, batch: Batch) -> BoxFuture<'static, Result<Vec<Part>>> {
    async move {
        let what = if batch.lines.is_empty() {
            "scoring the header-only input".to_string()
        } else {
            format!("scoring input {}", batch.lines)
        };
        let sent = ctx
            .client
            .score_within(
                ctx.limiter.gate(batch.index),
                ctx.scoring.url(),
                ctx.scoring.content_type(),
                batch.body.clone(),
                &what,
            )
            .await;
        let error = match sent {
            Ok(answer) => return Ok(vec![Part::Scored(batch, answer)]),
            Err(e) => e,
        };
        let api = error.downcast_ref::<ApiError>();
        let too_large = api.is_some_and(|a| a.status == 413);
        let refused = ctx.skip && api.is_some_and(|a| a.refused);
        if !(too_large || refused) {
            return Err(error);
        }
        if refused && batch.rows == 1 {
            let message = api.map(|a| a.message.clone()).unwrap_or_default();
            return Ok(vec![Part::Refused(batch, message)]);
        }
        let Some((a, b)) = ctx.scoring.split(&batch)? else {
            return Err(error);
        };
        let (a, b) = futures::join!(score_batch(ctx.clone(), a), score_batch(ctx, b));
        let mut parts = a?;
        parts.extend(b?);
        Ok(parts)
    }
    .boxed()
}

impl Scorer {
    /// Sends the batches, a window of them at once and as many on the wire as the limiter lets
    /// through, and hands the answers to the writer in input order. Returns the first error in
    /// input order (after handing on the answers before it), or Ctrl-C; returning drops the
    /// requests in flight and both channels, which stops the reader and lets the writer finish.
    async fn score(
        self,
        mut batch_rx: mpsc::Receiver<Result<Batch>>,
        answer_tx: mpsc::Sender<(u64, Vec<Part>)>,
    ) -> Option<anyhow::Error> {
        let Scorer { ctx, concurrency } = self;
        let answers = futures::stream::poll_fn(move |cx| batch_rx.poll_recv(cx))
            .map(|item| {
                let ctx = ctx.clone();
                async move {
                    let batch = item?;
                    let index = batch.index;
                    anyhow::Ok((index, score_batch(ctx, batch).await?))
                }
            })
            .buffered(window(concurrency));
        let mut answers = std::pin::pin!(answers);
        let mut interrupt = std::pin::pin!(tokio::signal::ctrl_c());
        // Answers waiting for room in the writer's queue, in order. The window is polled
        // (its requests go on, new ones start) while they wait.
        let mut done = std::collections::VecDeque::with_capacity(concurrency);
        // Set when the window ends: `Some(None)` at the end of the input.
        let mut end: Option<Option<anyhow::Error>> = None;
        loop {
            if end.is_some() && done.is_empty() {
                return end.flatten();
            }
            tokio::select! {
                item = answers.next(), if end.is_none() && done.len() < concurrency.max(1) => {
                    match item {
                        Some(Ok(answer)) => done.push_back(answer),
                        Some(Err(e)) => end = Some(Some(e)),
                        None => end = Some(None),
                    }
                }
                room = answer_tx.reserve(), if !done.is_empty() => match (room, done.pop_front()) {
                    (Ok(room), Some(answer)) => room.send(answer),
                    // The writer stopped (and says why).
                    _ => return end.flatten(),
                },
                _ = &mut interrupt => return Some(interrupted()),
            }
        }
    }
}

fn interrupted() -> anyhow::Error {
    anyhow::Error::new(Interrupted("interrupted".into()))
}

/// How many batches are being scored at once, in order: twice the requests the limiter lets on
/// the wire, so that a slow answer at the head does not leave the wire idle while the ones
/// after it are done (they wait in the window, not for it).
fn window(concurrency: usize) -> usize {
    2 * concurrency.max(1)
}

fn spawn_reader(
    mut source: Box<dyn BatchSource>,
    tx: mpsc::Sender<Result<Batch>>,
    ledger: Ledger,
    read: Arc<ReadState>,
) -> oneshot::Receiver<Box<dyn BatchSource>> {
    let (done_tx, done_rx) = oneshot::channel();
    read.next_line.store(source.first_line(), Ordering::Relaxed);
    spawn_named("mlws-reader", move || {
        loop {
            match source.next_batch() {
                Ok(Some(batch)) => {
                    // Shared, not copied: a refused batch is split (and its rows written) from it.
                    let raw = batch.raw.clone();
                    let lines = batch.lines;
                    ledger
                        .lock()
                        .expect("ledger lock")
                        .insert(batch.index, (lines, raw));
                    read.rows_in.fetch_add(batch.rows as u64, Ordering::Relaxed);
                    if !lines.is_empty() {
                        read.last_line.store(lines.last, Ordering::Relaxed);
                        read.next_line.store(lines.last + 1, Ordering::Relaxed);
                    }
                    if tx.blocking_send(Ok(batch)).is_err() {
                        break;
                    }
                }
                Ok(None) => {
                    read.eof.store(true, Ordering::Relaxed);
                    break;
                }
                Err(e) => {
                    let _ = tx.blocking_send(Err(e));
                    break;
                }
            }
        }
        let _ = done_tx.send(source);
    });
    done_rx
}

/// What the writer needs besides the output.
struct Written {
    scoring: Arc<dyn Scoring>,
    bar: ProgressBar,
    input_name: String,
    warn: Arc<dyn Fn(String) + Send + Sync>,
    journal: Option<Journalled>,
}

fn spawn_writer(
    mut writer: RowWriter<Box<dyn Sink>>,
    mut rx: mpsc::Receiver<(u64, Vec<Part>)>,
    ledger: Ledger,
    w: Written,
) -> oneshot::Receiver<WriterEnd> {
    let (done_tx, done_rx) = oneshot::channel();
    let mut w = w;
    spawn_named("mlws-writer", move || {
        let mut refused: Vec<Bytes> = Vec::new();
        if let Some(before) = w.journal.as_mut().and_then(|j| j.refused_before.take()) {
            refused.push(before);
        }
        let mut rows_refused = 0;
        let mut committed_refused = 0;
        let mut write_all = || -> Result<()> {
            while let Some((index, parts)) = rx.blocking_recv() {
                let end = parts.last().map(|p| match p {
                    Part::Scored(b, _) | Part::Refused(b, _) => (b.end, b.lines.last),
                });
                // One row refused on its own says nothing of the others.
                let all_refused =
                    parts.len() > 1 && parts.iter().all(|p| matches!(p, Part::Refused(..)));
                let mut rows = 0;
                for part in parts {
                    match part {
                        Part::Scored(batch, answer) => {
                            w.scoring.write_answer(&mut writer, &answer, &batch)?;
                            rows += batch.rows;
                        }
                        Part::Refused(batch, message) => {
                            if all_refused && rows_refused == 0 && refused.is_empty() {
                                return Err(refuses_everything(&batch, &message));
                            }
                            (w.warn)(format!(
                                "{}:{}: refused: {message}",
                                w.input_name, batch.lines.first
                            ));
                            rows_refused += batch.rows as u64;
                            if let Some(f) = w.journal.as_mut().and_then(|j| j.failed.as_mut()) {
                                f.rows(&batch.raw)?;
                            }
                            refused.push(batch.raw.clone());
                            rows += batch.rows;
                        }
                    }
                }
                ledger.lock().expect("ledger lock").remove(&index);
                w.bar.inc(rows as u64);
                if let (Some(j), Some((end, line))) = (w.journal.as_mut(), end) {
                    let c = &mut j.committer.commit;
                    (c.end, c.line, c.rows_out) = (end, line, writer.rows());
                    c.refused += rows_refused - std::mem::take(&mut committed_refused);
                    committed_refused = rows_refused;
                    // Fixed by the first answer: copied once, not at every batch.
                    if c.columns.is_none() {
                        c.columns = writer.columns().flatten().map(<[String]>::to_vec);
                        c.width = writer.width();
                    }
                    if j.committer.due() {
                        writer.out_mut().end_member()?;
                        j.committer.write_commit()?;
                    }
                }
            }
            Ok(())
        };
        let mut result = write_all();
        let broken_pipe = result.as_ref().is_err_and(is_broken_pipe);
        let rows_out = writer.rows();
        if let Some(j) = w.journal.as_mut() {
            // After a stop, what was written is committed before anything closes the output,
            // so that a `--resume` goes on from exactly there. A run that succeeded needs no
            // commit (its partial output becomes the output), nor the sync that it costs.
            if result.is_err() && writer.out_mut().end_member().is_ok() {
                let _ = j.committer.write_commit();
            }
            if result.is_ok()
                && let Some(Err(e)) = j.failed.take().map(FailedRows::finish)
            {
                result = Err(anyhow::Error::new(e).context("cannot write the refused rows"));
            }
        }
        // A journalled output that stopped stays as committed (a `--resume` cuts it there).
        let journalled_stop = w.journal.is_some() && result.is_err();
        if !broken_pipe && !journalled_stop {
            // Also after an error, so that stdout gets a well-formed (if short) document.
            match writer.finish().and_then(Sink::close) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(e) if result.is_ok() => {
                    result = Err(anyhow::Error::new(e).context("cannot write the output"))
                }
                _ => {}
            }
        }
        let _ = done_tx.send(WriterEnd {
            result,
            rows_out,
            broken_pipe,
            refused,
            rows_refused,
        });
    });
    done_rx
}

/// The first batch with refused rows had all of them refused, each on its own: not bad rows
/// but a request the service cannot take (exit 2).
fn refuses_everything(batch: &Batch, message: &str) -> anyhow::Error {
    crate::usage!(
        "the service refused every row of the first refused batch, each on its own (input {}: {message}); check `--body-format`, `--types` and the URL rather than the rows",
        batch.lines
    )
}

/// A named thread (as `std::thread::spawn`, which panics when no thread can be made).
fn spawn_named(name: &str, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .expect("cannot start a thread");
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ClientOptions;
    use crate::table::{self, BatchSpec, OutputFormat, Source};
    use axum::Json;
    use serde_json::{Value, json};
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    const ROW_BYTES: usize = 1000;

    #[derive(Default)]
    struct Counters {
        read: AtomicU64,
        in_flight: AtomicUsize,
        max_in_flight: AtomicUsize,
        max_ahead: AtomicU64,
    }

    struct CountingReader(std::io::Cursor<Vec<u8>>, Arc<Counters>);

    impl std::io::Read for CountingReader {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.read(buf)?;
            self.1.read.fetch_add(n as u64, Ordering::SeqCst);
            Ok(n)
        }
    }

    /// Collects the output and records how far reading ran ahead of writing.
    struct CheckingWriter(Arc<Mutex<Vec<u8>>>, Arc<Counters>);

    impl crate::table::stream::Sink for CheckingWriter {
        fn close(self: Box<Self>) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl std::io::Write for CheckingWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let mut out = self.0.lock().unwrap();
            out.extend_from_slice(buf);
            let written = out.iter().filter(|&&b| b == b'\n').count() as u64;
            let read = self.1.read.load(Ordering::SeqCst) / ROW_BYTES as u64;
            self.1
                .max_ahead
                .fetch_max(read.saturating_sub(written), Ordering::SeqCst);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    async fn echo(
        axum::extract::State(c): axum::extract::State<Arc<Counters>>,
        Json(body): Json<Value>,
    ) -> Json<Value> {
        let now = c.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        c.max_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(fastrand::u64(0..20))).await;
        c.in_flight.fetch_sub(1, Ordering::SeqCst);
        let values = body["Inputs"]["input1"]["Values"].clone();
        Json(json!({"Results": {"output1": {"type": "table",
            "value": {"ColumnNames": ["Col2"], "Values": values}}}}))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn answers_come_in_input_order_with_bounded_read_ahead() {
        let counters = Arc::new(Counters::default());
        let app = axum::Router::new()
            .fallback(axum::routing::post(echo))
            .with_state(counters.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        // Rows of exactly ROW_BYTES bytes, so that bytes read tell rows read.
        let rows: Vec<String> = (0..3000).map(|i| format!("{i:0>999}")).collect();
        let mut input = b"Col2\n".to_vec();
        for r in &rows {
            input.extend_from_slice(r.as_bytes());
            input.push(b'\n');
        }
        let header = 5;
        counters.read.fetch_sub(header, Ordering::SeqCst);
        let spec = BatchSpec {
            input_name: "input1".into(),
            swagger: false,
            max_rows: 10,
            max_body: table::MAX_BODY,
            params: vec![],
            delimiter: None,
        };
        let reader = CountingReader(std::io::Cursor::new(input), counters.clone());
        let source = table::open(
            Source::Reader {
                reader: Box::new(reader),
                name: "in.csv".into(),
                format: table::InputFormat::Csv,
            },
            &spec,
        )
        .unwrap();
        let root = url::Url::parse(&format!("http://{addr}/workspaces/w/services/s")).unwrap();
        let client = Client::new(ClientOptions::new(root), Arc::new(|_| {})).unwrap();
        let out = Arc::new(Mutex::new(Vec::new()));
        let sink: Box<dyn Sink> = Box::new(CheckingWriter(out.clone(), counters.clone()));
        let scoring = Arc::new(crate::protocol::classic::Classic {
            url: client.execute_url(false),
            output_name: "output1".into(),
            resplit: None,
        });
        let plan = Plan {
            source,
            scoring,
            client,
            concurrency: 4,
            writer: RowWriter::new(OutputFormat::Csv, sink),
            bar: ProgressBar::hidden(),
            failed_rows: None,
            skip_bad_rows: false,
            input_name: "in.csv".into(),
            warn: Arc::new(|_| {}),
            journal: None,
        };
        let done = run(plan).await;
        done.result.unwrap();
        assert_eq!(
            (done.rows_in, done.rows_out, done.broken_pipe),
            (3000, 3000, false)
        );
        assert_eq!(done.lowest_concurrency, 4);
        let text = String::from_utf8(out.lock().unwrap().clone()).unwrap();
        let got: Vec<&str> = text.lines().skip(1).collect();
        assert!(got == rows, "rows out of order");
        assert_eq!(counters.max_in_flight.load(Ordering::SeqCst), 4);
        // The window (8), waiting for the writer (4 + 2), being written, queued for the
        // window, held by the reader, and the 64 KiB read buffer: far below the 3000 rows an
        // unbounded reader would run ahead.
        let ahead = counters.max_ahead.load(Ordering::SeqCst);
        assert!(
            ahead <= (window(4) as u64 + 4 + 2 + 3) * 10 + 66,
            "read {ahead} rows ahead of the output"
        );
    }
}
