//! The query engine's operators as a user meets them through the `skein` binary: LIMIT that
//! stops matching early, unbounded variable-length patterns bounded on every graph, the
//! breadth-first search for distinct far ends, and EXPLAIN and PROFILE.

mod common;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{Dir, repo_root};

/// The seeds ingested once into a graph file (28 nodes): small enough that every trail of
/// `[*]` stays under the path length limit, large enough that there are billions of them.
fn seeds() -> &'static Dir {
    static SEEDS: OnceLock<Dir> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = Dir::new();
        let seeds = repo_root().join("seeds");
        let seeds = seeds.to_str().expect("the repository path is UTF-8");
        dir.skein(&["ingest", seeds, "-g", "seeds.ron"])
            .expect_code(0);
        dir
    })
}

fn timed_query(query: &str) -> (common::Run, Duration) {
    let started = Instant::now();
    let run = seeds().skein(&["query", "-g", "seeds.ron", "--format", "csv", query]);
    (run, started.elapsed())
}

#[test]
fn limit_stops_an_unbounded_walk_after_its_rows() {
    let (run, took) = timed_query("MATCH p = (a)-[*]-(b) RETURN length(p) AS n LIMIT 1");
    let run = run.expect_code(0);
    assert_eq!(run.stdout().lines().count(), 2, "{}", run.stdout());
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn an_unbounded_walk_on_a_small_graph_ends_with_the_walk_limit() {
    // The time this takes is a release build's figure (about a second); a debug build only
    // shows that the walk ends with the limit's error instead of running for hours.
    let (run, _) = timed_query("MATCH p = (a)-[*]-(b) RETURN count(p)");
    run.expect_code(1)
        .expect_stderr("walked more than")
        .expect_stderr("upper bound");
}

#[test]
fn distinct_far_ends_of_an_unbounded_walk_are_found_without_walking_every_trail() {
    let (run, took) = timed_query("MATCH (a)-[*]-(b) RETURN count(DISTINCT b) AS n");
    let run = run.expect_code(0);
    let n: usize = run
        .stdout()
        .lines()
        .nth(1)
        .unwrap_or("")
        .parse()
        .unwrap_or(0);
    // Every node with a relationship reaches itself and its neighbours.
    assert!(n > 1, "{}", run.stdout());
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn explain_names_the_operators_of_a_triangle_and_a_distinct_walk() {
    let plan = skein::query::explain(
        "MATCH (a:Person)-[:MET_WITH]->(b)-[:MET_WITH]->(c)-[:MET_WITH]->(a) RETURN count(*)",
    )
    .unwrap();
    assert!(plan.contains("ExpandIntersect (c) from"), "{plan}");
    let plan = skein::query::explain("MATCH (a {name: 'x'})-[*1..3]->(b) RETURN count(DISTINCT b)")
        .unwrap();
    assert!(plan.contains("VarLengthBreadthFirst"), "{plan}");
    let plan = skein::query::explain("MATCH (a)-[*1..3]->(b) RETURN count(b)").unwrap();
    assert!(plan.contains("VarLengthExpand"), "{plan}");
}

#[test]
fn profile_in_the_repl_prints_rows_and_time_per_step() {
    let run = seeds()
        .skein_with_stdin(
            &["repl", "-g", "seeds.ron"],
            Some(b":profile MATCH (p:Person)-[:MET_WITH]-(q) RETURN count(DISTINCT q) AS n\n"),
        )
        .expect_code(0);
    let out = run.stdout();
    assert!(out.contains(" rows, ") && out.contains(" ms]"), "{out}");
    // Each operator of the join has its own rows and time.
    assert!(
        out.lines()
            .any(|l| l.contains("NodeByLabelScan") && l.contains(" rows, ")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains("Expand") && l.contains(" rows, ")),
        "{out}"
    );
}

#[test]
fn explain_shows_edges_counted_when_only_counts_follow() {
    let plan = skein::query::explain(
        "MATCH (a:Person)-[:MET_WITH]->(b)-[:MET_WITH]->(c)-[:MET_WITH]->(a) RETURN count(*)",
    )
    .unwrap();
    assert!(plan.contains("CountEdges"), "{plan}");
    let plan = skein::query::explain(
        "MATCH (s)-[r]->(t:Region) WHERE r.date >= '2025-04-01' RETURN count(r)",
    )
    .unwrap();
    assert!(plan.contains("tested edge by edge in CountEdges"), "{plan}");
    // A relationship read after the match is enumerated.
    let plan = skein::query::explain("MATCH (a)-[r]->(b) RETURN r.w, count(*)").unwrap();
    assert!(!plan.contains("CountEdges"), "{plan}");
}
