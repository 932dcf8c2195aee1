//! Fuzzes query execution on a small graph under a time and memory budget: any text either
//! fails with an error or runs, or is cancelled after half a second. It must never touch a file.
#![no_main]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use skein::graph::{Graph, Properties, Value};
use skein::query::{self, Limits, QueryOptions};

/// Three people, an organisation and a region, with the edge types ingestion makes.
static GRAPH: LazyLock<Graph> = LazyLock::new(|| {
    let mut g = Graph::new();
    let named = |name: &str| {
        let mut p = Properties::new();
        p.insert("name", Value::from(name));
        p
    };
    let putin = g.add_node(["Person"], named("Vladimir Putin"));
    let witkoff = g.add_node(["Person"], named("Steve Witkoff"));
    let trump = g.add_node(["Person"], named("Donald Trump"));
    let nato = g.add_node(["Organization"], named("NATO"));
    let ukraine = g.add_node(["Region"], named("Ukraine"));
    let mut dated = Properties::new();
    dated.insert("date", Value::from("2025-04-11"));
    let edges = [
        (witkoff, "MET_WITH", putin),
        (trump, "PROPOSED", ukraine),
        (putin, "REJECTED", nato),
        (nato, "BACKED", ukraine),
        (witkoff, "MET_WITH", trump),
    ];
    for (a, t, b) in edges {
        g.add_edge(a, t, b, dated.clone())
            .expect("the fixture's edges are valid");
    }
    g
});

/// The cancel flag every run shares, and when the current run started (ms since `EPOCH`).
static CANCEL: LazyLock<Arc<AtomicBool>> = LazyLock::new(|| Arc::new(AtomicBool::new(false)));
static STARTED_MS: AtomicU64 = AtomicU64::new(u64::MAX);
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

/// How long a run may take before it is cancelled: half of libFuzzer's `-timeout=1`, so that
/// a run which stops soon after its cancel is never reported as a timeout, and one which does
/// not stop is.
const BUDGET_MS: u64 = 500;

/// Cancels a run that takes longer than [`BUDGET_MS`], as Ctrl-C would.
static WATCHDOG: LazyLock<()> = LazyLock::new(|| {
    std::thread::spawn(|| {
        loop {
            std::thread::sleep(Duration::from_millis(50));
            let started = STARTED_MS.load(Ordering::SeqCst);
            let now = EPOCH.elapsed().as_millis() as u64;
            if started != u64::MAX && now.saturating_sub(started) > BUDGET_MS {
                CANCEL.store(true, Ordering::SeqCst);
            }
        }
    });
});

fuzz_target!(
    init: {
        // Builds the shared graph and starts the watchdog before the first input's budget.
        LazyLock::force(&GRAPH);
        LazyLock::force(&WATCHDOG);
    },
    |data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        LazyLock::force(&WATCHDOG);
        let mut graph = GRAPH.clone();
        let options = QueryOptions {
            cancel: Some(Arc::clone(&CANCEL)),
            limits: Limits {
                max_rows: 10_000,
                max_path_length: 8,
                max_memory: 64 << 20,
                ..Limits::default()
            },
            ..QueryOptions::default()
        };
        CANCEL.store(false, Ordering::SeqCst);
        STARTED_MS.store(EPOCH.elapsed().as_millis() as u64, Ordering::SeqCst);
        let _ = query::execute(&mut graph, text, &options);
        STARTED_MS.store(u64::MAX, Ordering::SeqCst);
    }
);
