//! Fuzzes the binary graph-file reader: the input is the body of a file, given a header that
//! fits it (the checksum would stop almost every input before the records otherwise); any
//! body loads as a consistent graph or fails with an error. It must never write a file.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = skein::graph::seal_body(data);
    if let Ok(graph) = skein::graph::read_bytes(&file, Path::new("fuzz.skein")) {
        graph
            .check_consistency()
            .expect("a loaded graph keeps its indexes in step");
    }
});
