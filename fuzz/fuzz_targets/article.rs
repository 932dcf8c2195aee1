//! Fuzzes the article reader and extractor with arbitrary bytes: they read any input without
//! panicking. It must never write a graph.
#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use skein::ingest::extract_article;
use skein::ingest::rules::Knowledge;

static KNOWLEDGE: LazyLock<Arc<Knowledge>> =
    LazyLock::new(|| Knowledge::load(&[]).expect("the built-in rules load"));

/// A seed article, read once before fuzzing so that loading the rules and the tagger and parser
/// models (seconds on a loaded machine in this instrumented build) is not charged to the first
/// input's one-second budget.
const WARM_UP: &str = include_str!("../../seeds/000_b5815be27b7dbe10.txt");

fuzz_target!(
    init: {
        let _ = extract_article("warm-up", WARM_UP.as_bytes(), None, &KNOWLEDGE);
    },
    |data: &[u8]| {
        let _ = extract_article("fuzz", data, None, &KNOWLEDGE);
    }
);
