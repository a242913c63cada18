//! The Printer: stdout carries data only; everything for people (progress, warnings, retry
//! notices, verbose traces) goes to stderr. Progress bars appear only when stderr is a terminal
//! and `--quiet` is off. Every line for people passes through `mask_secrets`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Printer {
    verbosity: u8,
    quiet: bool,
    stderr_tty: bool,
}

impl Printer {
    pub fn new(verbosity: u8, quiet: bool) -> Self {
        Printer {
            verbosity,
            quiet,
            stderr_tty: std::io::stderr().is_terminal(),
        }
    }

    pub fn verbosity(&self) -> u8 {
        if self.quiet { 0 } else { self.verbosity }
    }

    /// A warning line: `mlws: warning: ...` (hidden by --quiet).
    pub fn warn(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            self.line(&format!("mlws: warning: {}", msg.as_ref()));
        }
    }

    /// A status line for people (hidden by --quiet).
    pub fn info(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            self.line(msg.as_ref());
        }
    }

    /// A note: `note: ...` (hidden by --quiet).
    pub fn note(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            self.line(&format!("note: {}", msg.as_ref()));
        }
    }

    /// A trace line shown at `-v` (level 1), `-vv` (2) or `-vvv` (3).
    pub fn debug(&self, level: u8, msg: impl AsRef<str>) {
        if self.verbosity() >= level {
            self.line(msg.as_ref());
        }
    }

    fn line(&self, msg: &str) {
        let text = crate::secret::mask_secrets(msg);
        eprintln!("{text}");
    }

    /// Whether bars and spinners are drawn.
    pub fn progress_enabled(&self) -> bool {
        self.stderr_tty && !self.quiet
    }

    /// A byte-count progress bar (hidden when not on a terminal).
    pub fn bytes_bar(&self, total: u64, what: &str) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(Some(total), self.draw_target());
        bar.set_style(
            ProgressStyle::with_template(
                "{msg:12} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .expect("the template is valid")
            .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        bar
    }

    /// A row-count progress bar; `total` may be unknown (spinner with a count).
    pub fn rows_bar(&self, total: Option<u64>, what: &str) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(total, self.draw_target());
        let template = if total.is_some() {
            "{msg} [{bar:30}] {human_pos}/{human_len} rows {per_sec} eta {eta}"
        } else {
            "{spinner} {msg} {human_pos} rows {per_sec} {elapsed}"
        };
        bar.set_style(
            ProgressStyle::with_template(template)
                .expect("the template is valid")
                .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    /// The bar of a scoring run: rows scored and a whole-number rate, and for a file input of
    /// known size the percentage of its bytes `read` (compressed bytes for a compressed file)
    /// and an ETA from them. The position is the rows scored.
    pub fn scoring_bar(&self, size: Option<u64>, read: Arc<AtomicU64>) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(None, self.draw_target());
        let template = match size {
            Some(_) => "{msg} [{read_bar}] {read_percent} {human_pos} rows {rate} eta {read_eta}",
            None => "{spinner} {msg} {human_pos} rows {rate} {elapsed}",
        };
        let total = size.unwrap_or(0).max(1);
        let fraction = {
            let read = read.clone();
            move || (read.load(Ordering::Relaxed) as f64 / total as f64).min(1.0)
        };
        let (f1, f2, f3) = (fraction.clone(), fraction.clone(), fraction);
        let style = ProgressStyle::with_template(template)
            .expect("the template is valid")
            .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let secs = s.elapsed().as_secs_f64();
                let rate = if secs > 0.0 {
                    s.pos() as f64 / secs
                } else {
                    0.0
                };
                let _ = write!(w, "{}/s", indicatif::HumanCount(rate.round() as u64));
            })
            .with_key(
                "read_bar",
                move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let done = (f1() * 30.0).round() as usize;
                    let _ = write!(w, "{}{}", "=".repeat(done), " ".repeat(30 - done));
                },
            )
            .with_key(
                "read_percent",
                move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}%", f2() * 100.0);
                },
            )
            .with_key(
                "read_eta",
                move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let f = f3();
                    let secs = s.elapsed().as_secs_f64();
                    if f <= 0.0 || secs < 1.0 {
                        let _ = write!(w, "-");
                    } else {
                        let left = Duration::from_secs_f64(secs * (1.0 - f) / f);
                        let _ = write!(w, "{}", indicatif::HumanDuration(left));
                    }
                },
            );
        bar.set_style(style);
        bar.set_message("scoring");
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    /// A spinner with a message and the elapsed time.
    pub fn spinner(&self, what: &str) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(None, self.draw_target());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .expect("the template is valid"),
        );
        bar.set_message(what.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    fn draw_target(&self) -> ProgressDrawTarget {
        if self.progress_enabled() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        }
    }
}
