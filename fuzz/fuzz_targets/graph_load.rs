//! Fuzzes the graph-file loader: any text loads as a consistent graph or fails with an
//! error. It must never write a file.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(graph) = skein::graph::read_graph(text, Path::new("fuzz.ron")) {
        graph.check_consistency().expect("a loaded graph keeps its indexes in step");
    }
});
