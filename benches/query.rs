//! Query speed on generated news graphs: 100k nodes and 1M edges with a Zipf-like degree
//! skew, and one ten times smaller, built with the `Graph` API and a fixed-seed generator.
//!
//! Benchmarks: lookup by name, 1-hop expansion, 2-hop count, `*1..3` count, an aggregation
//! over every edge of one type, shortest paths (one, all of them, a directed one), the distinct forms of the 2-hop and `*1..3`
//! counts (breadth-first search, first edge per node), triangles (intersection of sorted
//! neighbour lists), and the adjacency snapshot's build time and bytes per edge; the name lookup and the 1-hop expansion
//! run on both graphs and their small/full time ratio is printed (near 1 when the indexes are
//! used). A query the engine cannot run yet is reported and skipped, never measured, and a
//! first run that takes too long is cancelled. This bench must never write files outside
//! criterion's own target folder.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use skein::graph::{Graph, NodeId, Properties, Value, Walk};
use skein::query::{self, QueryOptions, QueryValue};

/// A small, fast, deterministic generator (splitmix64); the graphs must be the same on
/// every run so that figures compare across commits.
struct SplitMix(u64);

impl SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Nodes of one label, drawn with probability falling as a power of their (shuffled) rank,
/// so that a few nodes are hubs, as Putin or NATO are in news graphs.
struct ZipfPool {
    ids: Vec<NodeId>,
    cumulative: Vec<f64>,
}

impl ZipfPool {
    fn new(mut ids: Vec<NodeId>, exponent: f64, rng: &mut SplitMix) -> Self {
        for i in (1..ids.len()).rev() {
            let j = rng.below(i + 1);
            ids.swap(i, j);
        }
        let mut total = 0.0;
        let cumulative = (0..ids.len())
            .map(|rank| {
                total += 1.0 / ((rank + 1) as f64).powf(exponent);
                total
            })
            .collect();
        ZipfPool { ids, cumulative }
    }

    fn draw(&self, rng: &mut SplitMix) -> NodeId {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.ids[i.min(self.ids.len() - 1)]
    }
}

const PERSON: usize = 0;
const ORGANIZATION: usize = 1;
const REGION: usize = 2;
const LABELS: [&str; 3] = ["Person", "Organization", "Region"];

/// The relationship types of EXTRACTION.md with a weight (how common) and the labels their
/// sources and targets are drawn from.
const REL_TYPES: [(&str, u32, &[usize], &[usize]); 14] = [
    ("MET_WITH", 20, &[PERSON], &[PERSON]),
    (
        "PROPOSED",
        5,
        &[PERSON, ORGANIZATION],
        &[PERSON, ORGANIZATION, REGION],
    ),
    (
        "REJECTED",
        5,
        &[PERSON, ORGANIZATION],
        &[PERSON, ORGANIZATION, REGION],
    ),
    (
        "SUPPORTED",
        8,
        &[PERSON, ORGANIZATION, REGION],
        &[PERSON, ORGANIZATION, REGION],
    ),
    (
        "CRITICIZED",
        10,
        &[PERSON, ORGANIZATION, REGION],
        &[PERSON, ORGANIZATION, REGION],
    ),
    (
        "PRAISED",
        4,
        &[PERSON, ORGANIZATION],
        &[PERSON, ORGANIZATION, REGION],
    ),
    (
        "ACCUSED",
        6,
        &[PERSON, ORGANIZATION, REGION],
        &[PERSON, ORGANIZATION, REGION],
    ),
    (
        "THREATENED",
        4,
        &[PERSON, ORGANIZATION, REGION],
        &[PERSON, ORGANIZATION, REGION],
    ),
    (
        "ATTACKED",
        6,
        &[ORGANIZATION, REGION],
        &[ORGANIZATION, REGION],
    ),
    (
        "RELEASED",
        2,
        &[PERSON, ORGANIZATION],
        &[PERSON, ORGANIZATION],
    ),
    (
        "AGREED_WITH",
        5,
        &[PERSON, ORGANIZATION, REGION],
        &[PERSON, ORGANIZATION, REGION],
    ),
    ("LEADS", 10, &[PERSON], &[ORGANIZATION, REGION]),
    ("REPRESENTS", 10, &[PERSON], &[ORGANIZATION, REGION]),
    ("LOCATED_IN", 5, &[REGION, ORGANIZATION], &[REGION]),
];

const FIRST: [&str; 16] = [
    "Anna", "Boris", "Chen", "Dmitry", "Elena", "Fatima", "Gustav", "Hana", "Ivan", "Julia",
    "Karim", "Lena", "Marco", "Nadia", "Oleg", "Priya",
];
const LAST: [&str; 16] = [
    "Novak", "Ivanova", "Smith", "Garcia", "Kowalski", "Tanaka", "Okafor", "Rossi", "Meyer",
    "Haddad", "Silva", "Petrov", "Larsen", "Khan", "Dubois", "Yilmaz",
];
const ORG_KINDS: [&str; 8] = [
    "Ministry",
    "Council",
    "Party",
    "Agency",
    "Bank",
    "Institute",
    "Alliance",
    "News",
];
const REGION_KINDS: [&str; 6] = ["Oblast", "Province", "City", "Republic", "Sea", "District"];

/// A generated graph with the names the benchmarks start from.
struct Fixture {
    graph: Graph,
    /// A person with an out-degree near `TYPICAL_DEGREE`, the same in both graph sizes so
    /// that the expansion does the same work in both.
    typical: String,
    /// A second typical person, the far end of the shortest path.
    other: String,
    n_nodes: usize,
    n_edges: usize,
}

const TYPICAL_DEGREE: usize = 25;

fn name_of(label: usize, i: usize) -> String {
    match label {
        PERSON => format!("{} {} {i}", FIRST[i % 16], LAST[(i / 16) % 16]),
        ORGANIZATION => format!("{} {} {i}", LAST[i % 16], ORG_KINDS[(i / 16) % 8]),
        _ => format!("{} {} {i}", FIRST[i % 16], REGION_KINDS[(i / 16) % 6]),
    }
}

fn build(n_nodes: usize, n_edges: usize, seed: u64) -> Fixture {
    let mut rng = SplitMix(seed);
    let mut graph = Graph::new();
    // 60% people, 25% organizations, 15% regions, as in the seed articles' gold graph.
    let shares = [0.60, 0.25, 0.15];
    let mut by_label: [Vec<NodeId>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for i in 0..n_nodes {
        let x = (i as f64 + 0.5) / n_nodes as f64;
        let label = if x < shares[0] {
            PERSON
        } else if x < shares[0] + shares[1] {
            ORGANIZATION
        } else {
            REGION
        };
        let mut props = Properties::new();
        props.insert("name", Value::from(name_of(label, i)));
        let id = graph.add_node([LABELS[label]], props);
        by_label[label].push(id);
    }
    // Sources and targets get their own shuffles: a node's popularity as a subject and as an
    // object are drawn apart. With one shuffle for both, hubs feed hubs and a 3-hop walk
    // from an ordinary node visits hundreds of millions of paths.
    let source_pools: Vec<ZipfPool> = by_label
        .iter()
        .map(|ids| ZipfPool::new(ids.clone(), 0.9, &mut rng))
        .collect();
    let target_pools: Vec<ZipfPool> = by_label
        .into_iter()
        .map(|ids| ZipfPool::new(ids, 0.9, &mut rng))
        .collect();
    let total_weight: u32 = REL_TYPES.iter().map(|t| t.1).sum();
    let mut made = 0;
    while made < n_edges {
        let mut pick = (rng.next_u64() % u64::from(total_weight)) as u32;
        let Some(&(rel_type, _, sources, targets)) = REL_TYPES.iter().find(|t| {
            if pick < t.1 {
                true
            } else {
                pick -= t.1;
                false
            }
        }) else {
            continue;
        };
        let source = source_pools[sources[rng.below(sources.len())]].draw(&mut rng);
        let target = target_pools[targets[rng.below(targets.len())]].draw(&mut rng);
        if source == target {
            continue;
        }
        if graph
            .add_edge(source, rel_type, target, Properties::new())
            .is_ok()
        {
            made += 1;
        }
    }
    // The two people whose out-degree is nearest the typical one, lowest id first.
    let mut people: Vec<(usize, NodeId)> = graph
        .nodes_with_label("Person")
        .map(|id| {
            let d = graph.degree(id, Walk::Outgoing);
            (d.abs_diff(TYPICAL_DEGREE), id)
        })
        .collect();
    people.sort();
    let name = |id: NodeId| {
        graph
            .node(id)
            .and_then(|n| n.name())
            .unwrap_or_default()
            .to_string()
    };
    let typical = people.first().map(|p| name(p.1)).unwrap_or_default();
    let other = people.get(1).map(|p| name(p.1)).unwrap_or_default();
    Fixture {
        graph,
        typical,
        other,
        n_nodes,
        n_edges,
    }
}

/// The queries measured, with the parameters they take from the fixture.
const LOOKUP: &str = "MATCH (p:Person {name: $name}) RETURN p.name";
const ONE_HOP: &str = "MATCH (p:Person {name: $name})-[r]->(x) RETURN type(r), x.name";
const TWO_HOP: &str = "MATCH (p:Person {name: $name})-->()-->(y) RETURN count(y)";
const VAR_LENGTH: &str = "MATCH (p:Person {name: $name})-[*1..3]->(y) RETURN count(y)";
const AGGREGATION: &str = "MATCH (a)-[:CRITICIZED]->(b) RETURN b.name AS name, count(*) AS n \
                           ORDER BY n DESC, name LIMIT 10";
const TWO_HOP_DISTINCT: &str = "MATCH (p:Person {name: $name})-->()-->(y) RETURN count(DISTINCT y)";
const VAR_LENGTH_DISTINCT: &str =
    "MATCH (p:Person {name: $name})-[*1..3]->(y) RETURN count(DISTINCT y)";
const TRIANGLES: &str = "MATCH (a:Person)-[:MET_WITH]->(b:Person)-[:MET_WITH]->(c:Person)-[:MET_WITH]->(a) \
                         RETURN count(*)";
/// A count grouped by the node bound before the last expand: the expand's edges are counted
/// (CountEdges), the groups keyed on node ids and the names read once per group.
const GROUPED_COUNT: &str = "MATCH (a:Person)-[:MET_WITH]->(b:Person) \
                             RETURN a.name AS name, count(*) AS n ORDER BY n DESC, name LIMIT 10";
const SHORTEST: &str = "MATCH p = shortestPath((a:Person {name: $name})-[*..8]-(b:Person {name: $other})) \
                        RETURN length(p)";
const ALL_SHORTEST: &str = "MATCH p = allShortestPaths((a:Person {name: $name})-[*..8]-(b:Person {name: $other})) \
                            RETURN count(p)";
const SHORTEST_DIRECTED: &str = "MATCH p = shortestPath((a:Person {name: $name})-[*..8]->(b:Person {name: $other})) \
                                 RETURN length(p)";

fn options(fixture: &Fixture) -> QueryOptions {
    let mut params = BTreeMap::new();
    params.insert(
        "name".to_string(),
        QueryValue::String(fixture.typical.clone()),
    );
    params.insert(
        "other".to_string(),
        QueryValue::String(fixture.other.clone()),
    );
    QueryOptions {
        params,
        ..QueryOptions::default()
    }
}

/// Longest a first, trial run may take before it is cancelled.
const TRIAL_LIMIT: Duration = Duration::from_secs(60);
/// A query slower than this once is reported with its single time instead of sampled.
const SAMPLE_LIMIT: Duration = Duration::from_secs(5);

/// Runs a query once under a watchdog; says what it returned and how long it took, or why
/// the engine cannot run it. Returns the time when it ran.
fn trial(fixture: &mut Fixture, name: &str, text: &str) -> Option<Duration> {
    let cancel = Arc::new(AtomicBool::new(false));
    let mut opts = options(fixture);
    opts.cancel = Some(Arc::clone(&cancel));
    let (done, wait) = mpsc::channel::<()>();
    let watchdog = thread::spawn(move || {
        if wait.recv_timeout(TRIAL_LIMIT).is_err() {
            cancel.store(true, Ordering::Relaxed);
        }
    });
    let started = Instant::now();
    let outcome = query::execute(&mut fixture.graph, text, &opts);
    let took = started.elapsed();
    // The watchdog ends on this message, or on its own once the limit has passed.
    let _ = done.send(());
    let _ = watchdog.join();
    match outcome {
        Ok(result) => {
            let first = result
                .rows
                .first()
                .map(|r| {
                    r.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            println!(
                "{name}: {} rows (first: {first}) in {took:.1?} on a first run",
                result.rows.len()
            );
            Some(took)
        }
        Err(e) => {
            println!("{name}: skipped, the engine cannot run it (after {took:.1?}): {e}");
            None
        }
    }
}

/// Median time of one call, over `rounds` rounds of `batch` calls, for the printed ratios
/// (criterion's own figures are in its report).
fn median_time(mut f: impl FnMut(), rounds: usize, batch: u32) -> Duration {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch {
                f();
            }
            start.elapsed() / batch
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn print_ratio(what: &str, small: Duration, full: Duration) {
    let ratio = full.as_secs_f64() / small.as_secs_f64().max(1e-12);
    println!(
        "ratio {what}: small graph {small:?}, full graph {full:?}, full/small = {ratio:.2} \
         (1.0 means the cost does not grow with the graph; the graph is 10x larger)"
    );
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    let started = Instant::now();
    let mut small = build(10_000, 100_000, 7);
    let mut full = build(100_000, 1_000_000, 7);
    println!(
        "built graphs of {}/{} and {}/{} nodes/edges in {:.1?}; start nodes `{}` (out-degree {}) and `{}`",
        small.n_nodes,
        small.n_edges,
        full.n_nodes,
        full.n_edges,
        started.elapsed(),
        full.typical,
        full.graph
            .find_by_name(Some("Person"), &full.typical)
            .first()
            .map_or(0, |&id| full.graph.degree(id, Walk::Outgoing)),
        full.other,
    );
    let hub = full
        .graph
        .nodes()
        .map(|n| full.graph.degree(n.id, Walk::Both))
        .max()
        .unwrap_or(0);
    println!("largest degree in the full graph: {hub}");

    // The read-side adjacency the operators walk: its build time (paid once after a change)
    // and its size per edge.
    for fixture in [&small, &full] {
        let started = Instant::now();
        let adj = skein::graph::adjacency::Adjacency::build(&fixture.graph);
        println!(
            "adjacency of {} edges: built in {:.1?}, {:.1} bytes per edge",
            fixture.n_edges,
            started.elapsed(),
            adj.bytes() as f64 / fixture.n_edges.max(1) as f64
        );
    }

    // The store's own indexes, measured without the query engine: the floor for the queries.
    {
        let mut group = criterion.benchmark_group("store");
        for fixture in [&small, &full] {
            let size = format!("{}k", fixture.n_nodes / 1000);
            group.bench_with_input(BenchmarkId::new("find_by_name", &size), fixture, |b, f| {
                b.iter(|| black_box(f.graph.find_by_name(Some("Person"), black_box(&f.typical))))
            });
            group.bench_with_input(BenchmarkId::new("edges_at", &size), fixture, |b, f| {
                let id = f.graph.find_by_name(Some("Person"), &f.typical)[0];
                b.iter(|| black_box(f.graph.edges_at(black_box(id), Walk::Outgoing).len()))
            });
        }
        group.finish();
    }
    let store_ratio = |f: &Fixture| {
        median_time(
            || {
                black_box(f.graph.find_by_name(Some("Person"), black_box(&f.typical)));
            },
            31,
            2000,
        )
    };
    print_ratio(
        "store find_by_name",
        store_ratio(&small),
        store_ratio(&full),
    );

    let queries = [
        ("lookup_by_name", LOOKUP, true),
        ("one_hop", ONE_HOP, true),
        ("two_hop_count", TWO_HOP, false),
        ("var_length_1_3_count", VAR_LENGTH, false),
        ("aggregation_criticized", AGGREGATION, false),
        ("shortest_path", SHORTEST, false),
        ("all_shortest_paths", ALL_SHORTEST, false),
        ("shortest_path_directed", SHORTEST_DIRECTED, false),
        ("two_hop_distinct_count", TWO_HOP_DISTINCT, false),
        ("var_length_1_3_distinct_count", VAR_LENGTH_DISTINCT, false),
        ("triangles", TRIANGLES, false),
        ("grouped_count_top10", GROUPED_COUNT, false),
    ];
    for (name, text, both_sizes) in queries {
        let sizes: Vec<&mut Fixture> = if both_sizes {
            vec![&mut small, &mut full]
        } else {
            vec![&mut full]
        };
        let mut group = criterion.benchmark_group("query");
        let mut timings = Vec::new();
        for fixture in sizes {
            let size = format!("{}k", fixture.n_nodes / 1000);
            let Some(took) = trial(fixture, &format!("{name}/{size}"), text) else {
                continue;
            };
            if took > SAMPLE_LIMIT {
                println!("{name}/{size}: too slow to sample; one run took {took:.1?}");
                continue;
            }
            let opts = options(fixture);
            group.bench_function(BenchmarkId::new(name, &size), |b| {
                b.iter(|| black_box(query::execute(&mut fixture.graph, text, &opts).is_ok()))
            });
            if both_sizes {
                timings.push(median_time(
                    || {
                        black_box(query::execute(&mut fixture.graph, text, &opts).is_ok());
                    },
                    21,
                    50,
                ));
            }
        }
        group.finish();
        if let [small_time, full_time] = timings.as_slice() {
            print_ratio(name, *small_time, *full_time);
        }
    }
    criterion.final_summary();
}
