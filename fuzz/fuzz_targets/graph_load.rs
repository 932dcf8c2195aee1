//! Fuzzes the graph-file loader: any bytes load as a consistent graph or fail with an error,
//! through the same reader as `skein -g FILE` (RON text, or the binary format, whose own
//! target `graph_binary` gets past its checksum). It must never write a file.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(graph) = skein::graph::read_bytes(data, Path::new("fuzz.ron")) {
        graph
            .check_consistency()
            .expect("a loaded graph keeps its indexes in step");
    }
});
