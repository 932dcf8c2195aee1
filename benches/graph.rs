//! The graph store at the scale of a large news archive: 100k nodes and 1M edges.
//! Reports the time to insert, save and load the graph, and the resident memory per edge.
//!
//! Run with `cargo bench --bench graph`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group};
use skein::graph::{self, Graph, Properties, Value};

const N_NODES: u64 = 100_000;
const N_EDGES: u64 = 1_000_000;
const TYPES: [&str; 6] = [
    "MET_WITH",
    "PROPOSED",
    "REJECTED",
    "SUPPORTED",
    "LEADS",
    "REPRESENTS",
];

/// A deterministic generator, so that every run builds the same graph.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A skewed pick in 0..n: a few nodes get most edges, as prominent people do in news.
    fn skewed(&mut self, n: u64) -> u64 {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as u64 % n
    }
}

/// Builds the graph the way ingestion stores it: a name per node, a date and an article per
/// edge.
fn build(n_nodes: u64, n_edges: u64) -> Graph {
    let mut rng = SplitMix(42);
    let mut g = Graph::new();
    let labels = ["Person", "Organization", "Region"];
    let ids: Vec<_> = (0..n_nodes)
        .map(|i| {
            let mut props = Properties::new();
            props.insert("name", Value::from(format!("Entity {i}")));
            g.add_node([labels[(i % 3) as usize]], props)
        })
        .collect();
    for i in 0..n_edges {
        let a = ids[rng.skewed(n_nodes) as usize];
        let b = ids[(rng.next() % n_nodes) as usize];
        let mut props = Properties::new();
        props.insert(
            "date",
            Value::from(format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28)),
        );
        props.insert("article", Value::from(format!("a{}", i % 5000)));
        g.add_edge(a, TYPES[(i % 6) as usize], b, props)
            .expect("both nodes exist");
    }
    g
}

/// Resident set size of this process in bytes (Linux), or None elsewhere.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn report_memory() {
    let before = resident_bytes();
    let g = build(N_NODES, N_EDGES);
    let after = resident_bytes();
    if let (Some(before), Some(after)) = (before, after) {
        let per_edge = (after.saturating_sub(before)) as f64 / N_EDGES as f64;
        println!(
            "graph/memory: {} nodes, {} edges, {:.1} MiB resident, {per_edge:.0} bytes per edge \
             (nodes and indexes included)",
            g.node_count(),
            g.edge_count(),
            (after - before) as f64 / (1024.0 * 1024.0)
        );
    }
    black_box(g);
}

fn store(c: &mut Criterion) {
    report_memory();
    let mut group = c.benchmark_group("graph_100k_nodes_1m_edges");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("insert", |b| b.iter(|| build(N_NODES, N_EDGES)));
    let g = build(N_NODES, N_EDGES);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bench.ron");
    group.bench_function("save", |b| {
        b.iter(|| graph::save(&g, &path).expect("the save succeeds"))
    });
    graph::save(&g, &path).expect("the save succeeds");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "graph/file: {:.1} MiB for {} edges",
        size as f64 / (1024.0 * 1024.0),
        g.edge_count()
    );
    group.bench_function("load", |b| {
        b.iter(|| graph::load(&path).expect("the load succeeds"))
    });
    group.finish();
}

criterion_group!(benches, store);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
