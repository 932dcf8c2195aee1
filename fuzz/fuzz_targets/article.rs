//! Fuzzes the article reader and extractor with arbitrary bytes: they read any input without
//! panicking. It must never write a graph.
#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use skein::ingest::extract_article;
use skein::ingest::rules::Knowledge;

static KNOWLEDGE: LazyLock<Arc<Knowledge>> =
    LazyLock::new(|| Knowledge::load(&[]).expect("the built-in rules load"));

fuzz_target!(|data: &[u8]| {
    let _ = extract_article("fuzz", data, None, &KNOWLEDGE);
});
