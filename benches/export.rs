//! Export throughput on a graph of one million edges: each format written to `io::sink()`,
//! reported as time per export and MB/s. Run with `cargo bench --bench export`.

use std::hint::black_box;
use std::io::{self, Write};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use skein::export::{self, ExportOptions, Format, Scope};
use skein::graph::{Graph, NodeId, Properties, Value};

const N_NODES: u64 = 100_000;
const N_EDGES: u64 = 1_000_000;
const LABELS: [&str; 3] = ["Person", "Organization", "Region"];
const TYPES: [&str; 6] = [
    "MET_WITH",
    "PROPOSED",
    "CRITICIZED",
    "SUPPORTED",
    "LEADS",
    "LOCATED_IN",
];

/// A graph shaped like an ingested one: named entities with aliases, edges with a date, an
/// article, an evidence sentence and a mention count. Deterministic (no randomness).
fn big_graph() -> Graph {
    let mut g = Graph::new();
    for i in 0..N_NODES {
        let mut p = Properties::new();
        p.insert("name", Value::from(format!("Entity number {i}")));
        p.insert("aliases", Value::from(vec![format!("E{i}")]));
        p.insert("mentions", Value::Int((i % 17) as i64));
        g.add_node([LABELS[(i % 3) as usize]], p);
    }
    // A cheap deterministic spread of endpoints.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..N_EDGES {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let s = NodeId(x % N_NODES);
        let t = NodeId((x >> 20) % N_NODES);
        let mut p = Properties::new();
        p.insert(
            "date",
            Value::from(format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28)),
        );
        p.insert(
            "article",
            Value::from(format!("{:03}_article.txt", i % 500)),
        );
        p.insert(
            "evidence",
            Value::from(format!(
                "Entity {} met entity {} on Thursday to discuss \"the settlement\", officials said.",
                s.0, t.0
            )),
        );
        p.insert("mentions", Value::Int(1 + (i % 3) as i64));
        if g.add_edge(s, TYPES[(i % 6) as usize], t, p).is_err() {
            unreachable!("both ends exist");
        }
    }
    g
}

/// Counts bytes on their way to nowhere.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn write(g: &Graph, name: &str, out: &mut dyn Write) {
    let options = ExportOptions::default();
    let scope = Scope::all(g);
    let ok = match name {
        "csv" => export::csv::write_nodes(&scope, out)
            .and_then(|()| export::csv::write_edges(&scope, out))
            .is_ok(),
        other => {
            let format: Format = other.parse().unwrap_or(Format::Json);
            export::write_graph(g, &options, format, out).is_ok()
        }
    };
    assert!(ok, "{name} export failed");
}

fn bench(c: &mut Criterion) {
    let g = big_graph();
    let mut group = c.benchmark_group("export_1M_edges");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.warm_up_time(Duration::from_secs(1));
    // `cargo bench --bench export -- cypher` runs one format; skip the others' byte count too.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    for name in ["dot", "json", "graphml", "cypher", "csv"] {
        if filter.as_deref().is_some_and(|f| !name.contains(f)) {
            continue;
        }
        let mut counter = Counter(0);
        write(&g, name, &mut counter);
        eprintln!("{name}: {:.1} MB per export", counter.0 as f64 / 1e6);
        group.throughput(Throughput::Bytes(counter.0));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sink = io::BufWriter::new(io::sink());
                write(black_box(&g), name, &mut sink);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
