//! Fuzzes the CSV importer: the input is a nodes file, then (after a NUL byte, when there is
//! one) an edges file; any bytes import or fail with an error. It writes only its own two
//! scratch files in the temporary directory.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use skein::graph::Graph;

static SCRATCH: LazyLock<(PathBuf, PathBuf)> = LazyLock::new(|| {
    let dir = std::env::temp_dir();
    let id = std::process::id();
    (
        dir.join(format!("skein-fuzz-{id}-nodes.csv")),
        dir.join(format!("skein-fuzz-{id}-edges.csv")),
    )
});

fuzz_target!(
    init: {
        LazyLock::force(&SCRATCH);
    },
    |data: &[u8]| {
        let (nodes_path, edges_path) = &*SCRATCH;
        let (nodes, edges) = match data.iter().position(|&b| b == 0) {
            Some(at) => (&data[..at], Some(&data[at + 1..])),
            None => (data, None),
        };
        std::fs::write(nodes_path, nodes).expect("the scratch file is writable");
        if let Some(edges) = edges {
            std::fs::write(edges_path, edges).expect("the scratch file is writable");
        }
        let mut graph = Graph::new();
        if skein::export::import_csv(&mut graph, nodes_path, edges.map(|_| edges_path.as_path()))
            .is_ok()
        {
            graph
                .check_consistency()
                .expect("an imported graph keeps its indexes in step");
        }
    }
);
