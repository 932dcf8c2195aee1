//! The time the tagger and the parser take, summed over threads, for the split of ingestion
//! time (`skein ingest --timings`). Off unless asked for: `Model::parse` then pays one relaxed
//! atomic load a sentence. It must never change a decision.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

static ON: AtomicBool = AtomicBool::new(false);
static TAGGING_NANOS: AtomicU64 = AtomicU64::new(0);
static PARSING_NANOS: AtomicU64 = AtomicU64::new(0);
static SENTENCES: AtomicU64 = AtomicU64::new(0);
static WORDS: AtomicU64 = AtomicU64::new(0);

/// Starts (or stops) counting.
pub fn enable(on: bool) {
    ON.store(on, Ordering::Relaxed);
}

/// Whether counting is on.
#[inline]
pub fn is_on() -> bool {
    ON.load(Ordering::Relaxed)
}

/// What was counted since the last `take`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub tagging: Duration,
    pub parsing: Duration,
    pub sentences: u64,
    pub words: u64,
}

/// The totals so far; the counters start again from zero.
pub fn take() -> Totals {
    let nanos = |c: &AtomicU64| Duration::from_nanos(c.swap(0, Ordering::Relaxed));
    Totals {
        tagging: nanos(&TAGGING_NANOS),
        parsing: nanos(&PARSING_NANOS),
        sentences: SENTENCES.swap(0, Ordering::Relaxed),
        words: WORDS.swap(0, Ordering::Relaxed),
    }
}

/// Counts one sentence of `words` words, tagged in `tagging` and parsed in `parsing`.
pub(super) fn record(tagging: Duration, parsing: Duration, words: usize) {
    let nanos = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    TAGGING_NANOS.fetch_add(nanos(tagging), Ordering::Relaxed);
    PARSING_NANOS.fetch_add(nanos(parsing), Ordering::Relaxed);
    SENTENCES.fetch_add(1, Ordering::Relaxed);
    WORDS.fetch_add(words as u64, Ordering::Relaxed);
}
