//! Where ingestion's time goes, stage by stage (`skein ingest --timings`, the ingest bench):
//! seconds summed over threads. Off unless asked for: a timed stage then costs one relaxed
//! atomic load. It must never change what ingestion produces.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::syntax;

/// A stage of ingestion that is timed on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// All of a file's extraction (reading, cutting, dates and the stages below).
    Extraction,
    /// Cutting paragraphs into tokens and sentences.
    Tokenising,
    /// Recognising entity spans.
    Recognition,
    /// Deciding which entity each span, pronoun or description is.
    Resolution,
    /// The relation rules, with the tagging and parsing they ask for.
    Relations,
    /// Writing extractions into the graph.
    Merging,
}

const N_STAGES: usize = 6;

static ON: AtomicBool = AtomicBool::new(false);
static NANOS: [AtomicU64; N_STAGES] = [const { AtomicU64::new(0) }; N_STAGES];

/// Starts (or stops) timing, the tagger's and parser's included.
pub fn enable(on: bool) {
    ON.store(on, Ordering::Relaxed);
    syntax::timing::enable(on);
}

/// Runs `f`, adding its time to `stage` when timing is on.
#[inline]
pub fn time<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    if !ON.load(Ordering::Relaxed) {
        return f();
    }
    let start = Instant::now();
    let out = f();
    let nanos = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
    NANOS[stage as usize].fetch_add(nanos, Ordering::Relaxed);
    out
}

/// The time of each stage since the last `take`, summed over threads.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Split {
    /// Reading files, cutting articles, headers and dates: extraction less the stages below.
    pub reading: Duration,
    pub tokenising: Duration,
    pub recognition: Duration,
    pub resolution: Duration,
    /// The relation rules, less the tagging and parsing they asked for.
    pub rules: Duration,
    pub syntax: syntax::timing::Totals,
    pub merging: Duration,
}

/// The split so far; the counters start again from zero.
pub fn take() -> Split {
    let mut d = [Duration::ZERO; N_STAGES];
    for (d, n) in d.iter_mut().zip(&NANOS) {
        *d = Duration::from_nanos(n.swap(0, Ordering::Relaxed));
    }
    let at = |s: Stage| d[s as usize];
    let syntax = syntax::timing::take();
    let relations = at(Stage::Relations);
    Split {
        reading: at(Stage::Extraction)
            .saturating_sub(at(Stage::Tokenising))
            .saturating_sub(at(Stage::Recognition))
            .saturating_sub(at(Stage::Resolution))
            .saturating_sub(relations),
        tokenising: at(Stage::Tokenising),
        recognition: at(Stage::Recognition),
        resolution: at(Stage::Resolution),
        rules: relations
            .saturating_sub(syntax.tagging)
            .saturating_sub(syntax.parsing),
        syntax,
        merging: at(Stage::Merging),
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.syntax;
        let total = self.reading
            + self.tokenising
            + self.recognition
            + self.resolution
            + self.rules
            + s.tagging
            + s.parsing
            + self.merging;
        let per_second = |d: Duration| s.words as f64 / d.as_secs_f64().max(1e-9);
        let rows = [
            ("reading, cutting, dates", self.reading, String::new()),
            ("tokenising", self.tokenising, String::new()),
            ("recognition", self.recognition, String::new()),
            ("resolution", self.resolution, String::new()),
            ("relation rules", self.rules, String::new()),
            (
                "tagging",
                s.tagging,
                format!(
                    "  ({} sentences, {:.0} words/s)",
                    s.sentences,
                    per_second(s.tagging)
                ),
            ),
            (
                "parsing",
                s.parsing,
                format!(
                    "  ({} words, {:.0} words/s)",
                    s.words,
                    per_second(s.parsing)
                ),
            ),
            ("merging", self.merging, String::new()),
        ];
        writeln!(f, "time by stage (seconds summed over threads):")?;
        for (name, d, note) in rows {
            writeln!(
                f,
                "  {name:<24} {:>8.3} s {:>5.1}%{note}",
                d.as_secs_f64(),
                100.0 * d.as_secs_f64() / total.as_secs_f64().max(1e-9)
            )?;
        }
        write!(f, "  {:<24} {:>8.3} s", "total", total.as_secs_f64())
    }
}
