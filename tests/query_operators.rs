//! The query engine's operators as a user meets them through the `skein` binary: LIMIT that
//! stops matching early, unbounded variable-length patterns bounded on every graph, the
//! breadth-first search for distinct far ends, shortest paths against a brute-force reference
//! on random graphs, and EXPLAIN and PROFILE.

mod common;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::random_graph::{Lcg, Names, RandomGraph, RefEdge, Shape, random_graph};
use common::{Dir, repo_root};
use skein::graph::{EdgeId, Graph, NodeId};
use skein::query::{QueryOptions, QueryValue};

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

/// `EXPLAIN` and `PROFILE` written before a statement, as a Neo4j user types them, do what
/// `:explain` and `:profile` do, in the REPL and in a script, in any case.
#[test]
fn explain_and_profile_keywords_open_a_statement() {
    let run = seeds()
        .skein_with_stdin(
            &["repl", "-g", "seeds.ron"],
            Some(
                b"EXPLAIN MATCH (p:Person)-[:MET_WITH]-(q) RETURN count(DISTINCT q) AS n;\n\
                  profile\nMATCH (p:Person)-[:MET_WITH]-(q) RETURN count(DISTINCT q) AS n;\n",
            ),
        )
        .expect_code(0);
    let out = run.stdout();
    // EXPLAIN prints the plan without running it; PROFILE runs it and adds rows and time.
    let explained = out.find("NodeByLabelScan").expect(&out);
    let table = out.find("| n |").expect(&out);
    assert!(explained < table, "{out}");
    assert!(!out[..table].contains(" rows, "), "{out}");
    assert!(out[table..].contains("NodeByLabelScan"), "{out}");
    assert!(out[table..].contains(" rows, "), "{out}");
}

#[test]
fn explain_shows_edges_counted_when_only_counts_follow() {
    let plan = skein::query::explain(
        "MATCH (a:Person)-[:MET_WITH]->(b)-[:MET_WITH]->(c)-[:MET_WITH]->(a) RETURN count(*)",
    )
    .unwrap();
    assert!(plan.contains("CountEdges"), "{plan}");
    // Both ends labelled: the WHERE is tested on each counted edge.
    let plan = skein::query::explain(
        "MATCH (s:Person)-[r]->(t:Region) WHERE r.date >= '2025-04-01' RETURN count(r)",
    )
    .unwrap();
    assert!(plan.contains("tested edge by edge in CountEdges"), "{plan}");
    // The peers' Q6: the source is free, so each region's edges are counted at once.
    let plan = skein::query::explain(
        "MATCH (s)-[r]->(t:Region) WHERE r.date >= '2025-04-01' RETURN count(r)",
    )
    .unwrap();
    assert!(plan.contains("CountDegree (t:Region)"), "{plan}");
    assert!(plan.contains("counted in CountDegree"), "{plan}");
    // A relationship read after the match is enumerated.
    let plan = skein::query::explain("MATCH (a)-[r]->(b) RETURN r.w, count(*)").unwrap();
    assert!(!plan.contains("CountEdges"), "{plan}");
}

/// ORDER BY ... LIMIT over groups counted by element id picks the first k groups from their
/// key codes and counts (a Neo4j user reads it as a `Top` operator with its k); ordering by
/// anything else than a grouping key or a count, or no LIMIT, sorts every group.
#[test]
fn explain_and_profile_name_the_top_k_over_counted_groups() {
    let counted = "MATCH (s)-[r:PROPOSED]->(t) RETURN t.name AS target, count(r) AS n";
    for (tail, top) in [
        (
            " ORDER BY n DESC, target ASC LIMIT 10",
            Some("Top 10 [n DESC, target ASC]"),
        ),
        (
            " ORDER BY target SKIP 2 LIMIT 5",
            Some("Top 2 + 5 [target ASC]"),
        ),
        (" ORDER BY n DESC", None),
        (" LIMIT 10", None),
        (" ORDER BY n + 1 DESC LIMIT 10", None),
    ] {
        let q = format!("{counted}{tail}");
        let plan = skein::query::explain(&q).unwrap();
        assert!(plan.contains("CountById [t.name]"), "{q}\n{plan}");
        match top {
            Some(line) => assert!(plan.contains(line), "{q}\n{plan}"),
            None => assert!(!plan.contains("Top "), "{q}\n{plan}"),
        }
    }
    let run = seeds()
        .skein_with_stdin(
            &["repl", "-g", "seeds.ron"],
            Some(
                b"PROFILE MATCH (s)-[r:MET_WITH]->(t) RETURN t.name AS target, count(r) AS n \
                  ORDER BY n DESC, target LIMIT 3;\n",
            ),
        )
        .expect_code(0);
    let out = run.stdout();
    assert!(out.contains("Top 3 [n DESC, target ASC]"), "{out}");
    assert!(out.contains("3 rows"), "{out}");
}

/// The peers' Q5: a single relationship counted per target, whose source nothing constrains
/// or reads, is counted from the targets' neighbour lists, in either direction, for several
/// types and under a WHERE the property columns answer without the far end; a labelled or
/// read far end is not, nor a WHERE the columns cannot answer.
#[test]
fn explain_shows_a_degree_counted_when_the_far_end_is_free() {
    for q in [
        "MATCH (s)-[r:PROPOSED]->(t) RETURN t.name AS target, count(r) AS n \
         ORDER BY n DESC, target ASC LIMIT 10",
        "MATCH (t:Region)-[:MET_WITH|PRAISED]-() RETURN t, count(*)",
        "MATCH (t {name: 'x'})<-[r]-(s) RETURN count(s)",
        "MATCH (s)-[r]->(t) WHERE r.date > '2025' RETURN t.name, count(r)",
        "MATCH (s)-[r]->(t) WHERE r.date > '2025' AND t.kind = 'x' RETURN t.name, count(r)",
    ] {
        let plan = skein::query::explain(q).unwrap();
        assert!(plan.contains("CountDegree (t"), "{q}\n{plan}");
    }
    for q in [
        "MATCH (s:Person)-[r]->(t) RETURN t.name, count(r)",
        "MATCH (s)-[r]->(t) RETURN s.name, t.name, count(r)",
        "MATCH (s)-[r]->(t) WHERE s.name > 'a' RETURN t.name, count(r)",
        "MATCH (s)-[r]->(t) WHERE r.date + 'x' > '2025' RETURN t.name, count(r)",
        "MATCH (s)-[r]->(t) RETURN t.name, count(DISTINCT s)",
    ] {
        let plan = skein::query::explain(q).unwrap();
        assert!(!plan.contains("CountDegree"), "{q}\n{plan}");
    }
}

/// A random relationship pattern of a shortest path (Neo4j's minimums: 0 or 1).
struct RelSpec {
    text: String,
    dir: char,
    types: Vec<&'static str>,
    w: Option<i64>,
    min: usize,
    max: usize,
}

fn random_rel(r: &mut Lcg) -> RelSpec {
    let types: Vec<&'static str> = match r.below(4) {
        0 => vec!["T1"],
        1 => vec!["T1", "T2"],
        _ => Vec::new(),
    };
    let (range, min, max) = match r.below(8) {
        0 => ("", 1, 1),
        1 => ("*..2", 1, 2),
        2 => ("*1..3", 1, 3),
        3 => ("*0..", 0, usize::MAX),
        4 => ("*0..2", 0, 2),
        _ => ("*", 1, usize::MAX),
    };
    let w = (r.below(4) == 0).then(|| r.below(2) as i64);
    let dir = ['>', '<', '-'][r.below(3)];
    let body = format!(
        "[{}{}{}]",
        if types.is_empty() {
            String::new()
        } else {
            format!(":{}", types.join("|"))
        },
        range,
        w.map_or(String::new(), |w| format!(" {{w: {w}}}"))
    );
    let text = match dir {
        '>' => format!("-{body}->"),
        '<' => format!("<-{body}-"),
        _ => format!("-{body}-"),
    };
    RelSpec {
        text,
        dir,
        types,
        w,
        min,
        max,
    }
}

/// A condition of the WHERE on every step of the path, as the reference checks it.
#[derive(Debug, Clone, Copy)]
enum StepCond {
    None,
    /// `all(r IN relationships(p) WHERE r.w = w)`
    EveryWeight(i64),
    /// `none(n IN nodes(p) WHERE n.name = 'n<i>')`
    Avoid(usize),
}

impl StepCond {
    fn random(r: &mut Lcg, n_nodes: usize) -> Self {
        match r.below(5) {
            0 => StepCond::EveryWeight(r.below(2) as i64),
            1 => StepCond::Avoid(r.below(n_nodes)),
            _ => StepCond::None,
        }
    }

    fn text(self) -> Option<String> {
        match self {
            StepCond::None => None,
            StepCond::EveryWeight(w) => Some(format!("all(r IN relationships(p) WHERE r.w = {w})")),
            StepCond::Avoid(i) => Some(format!("none(n IN nodes(p) WHERE n.name = 'n{i}')")),
        }
    }
}

/// Every shortest trail (no relationship twice) from `a` to `b` that the pattern and the
/// condition allow, by walking every trail. A path from a node to itself is only the empty one
/// (a minimum of 0); the engine, like Neo4j, does not search for a cycle back to the start.
fn shortest_trails(
    (edges, ids): (&[RefEdge], &[NodeId]),
    rel: &RelSpec,
    cond: StepCond,
    a: NodeId,
    b: NodeId,
) -> Vec<Vec<EdgeId>> {
    let avoid = match cond {
        StepCond::Avoid(i) => Some(ids[i]),
        _ => None,
    };
    if avoid == Some(a) || avoid == Some(b) {
        return Vec::new();
    }
    if a == b {
        return if rel.min == 0 {
            vec![Vec::new()]
        } else {
            Vec::new()
        };
    }
    #[allow(clippy::too_many_arguments)]
    fn walk(
        edges: &[RefEdge],
        rel: &RelSpec,
        (cond, avoid): (StepCond, Option<NodeId>),
        limit: usize,
        cur: NodeId,
        b: NodeId,
        trail: &mut Vec<usize>,
        found: &mut Vec<Vec<EdgeId>>,
    ) {
        if cur == b && trail.len() >= rel.min {
            found.push(trail.iter().map(|&i| edges[i].0).collect());
        }
        if trail.len() >= limit {
            return;
        }
        for (i, &(_, src, dst, t, w)) in edges.iter().enumerate() {
            if trail.contains(&i)
                || (!rel.types.is_empty() && !rel.types.contains(&t))
                || rel.w.is_some_and(|want| want != w)
                || matches!(cond, StepCond::EveryWeight(want) if want != w)
            {
                continue;
            }
            let next = match rel.dir {
                '>' if src == cur => dst,
                '<' if dst == cur => src,
                '-' if src == cur => dst,
                '-' if dst == cur => src,
                _ => continue,
            };
            if avoid == Some(next) {
                continue;
            }
            trail.push(i);
            walk(edges, rel, (cond, avoid), limit, next, b, trail, found);
            trail.pop();
        }
    }
    // Deepening one step at a time: the first length with a trail is the shortest, and the
    // longer trails (billions on a multigraph) are never walked.
    let mut found = Vec::new();
    for limit in 1..=rel.max.min(edges.len()) {
        walk(
            edges,
            rel,
            (cond, avoid),
            limit,
            a,
            b,
            &mut Vec::new(),
            &mut found,
        );
        if !found.is_empty() {
            break;
        }
    }
    found.sort();
    found
}

/// The relationships of each path the query returns, after checking that each path runs
/// from `a` to `b` through the nodes its relationships join.
fn returned_paths(g: &Graph, q: &str, a: NodeId, b: NodeId) -> Vec<Vec<EdgeId>> {
    let mut g = g.clone();
    let result = skein::query::execute(&mut g, q, &QueryOptions::default())
        .unwrap_or_else(|e| panic!("{q}: {e}"));
    let mut paths: Vec<Vec<EdgeId>> = result
        .rows
        .iter()
        .map(|row| {
            let Some(QueryValue::Path(p)) = row.first() else {
                panic!("{q}: not a path: {row:?}");
            };
            assert_eq!(p.nodes.first().map(|n| n.id), Some(a), "{q}");
            assert_eq!(p.nodes.last().map(|n| n.id), Some(b), "{q}");
            for (i, rel) in p.rels.iter().enumerate() {
                let (x, y) = (p.nodes[i].id, p.nodes[i + 1].id);
                assert!(
                    (rel.source, rel.target) == (x, y) || (rel.source, rel.target) == (y, x),
                    "{q}: relationship {i} does not join its nodes"
                );
            }
            p.rels.iter().map(|r| r.id).collect()
        })
        .collect();
    paths.sort();
    paths
}

#[test]
fn shortest_paths_are_the_shortest_trails_of_a_brute_force_search_on_random_graphs() {
    let mut r = Lcg(0x5107_7e57);
    let mut found = 0;
    for case in 0..1200 {
        let shape = Shape {
            max_nodes: 9,
            max_edges: 14,
            names: Names::Unique,
        };
        let RandomGraph {
            graph: g,
            nodes: ids,
            edges,
        } = random_graph(&mut r, &shape);
        let rel = random_rel(&mut r);
        let (i, j) = (r.below(ids.len()), r.below(ids.len()));
        let (a, b) = (ids[i], ids[j]);
        let all = r.below(2) == 0;
        let func = if all {
            "allShortestPaths"
        } else {
            "shortestPath"
        };
        let cond = StepCond::random(&mut r, ids.len());
        let cond_text = cond.text();
        let wher = cond_text
            .as_ref()
            .map_or(String::new(), |c| format!(" WHERE {c}"));
        // Both ends by the name index, both bound by an earlier MATCH, or the far end left to
        // a WHERE (the one-sided search, whose answers must be the same).
        let q = match r.below(3) {
            0 => format!(
                "MATCH p = {func}((a:N {{name: 'n{i}'}}){}(b:N {{name: 'n{j}'}})){wher} RETURN p",
                rel.text
            ),
            1 => format!(
                "MATCH (a:N {{name: 'n{i}'}}), (b:N {{name: 'n{j}'}}) \
                 MATCH p = {func}((a){}(b)){wher} RETURN p",
                rel.text
            ),
            _ => format!(
                "MATCH p = {func}((a:N {{name: 'n{i}'}}){}(b)) WHERE b.name = 'n{j}'{} RETURN p",
                rel.text,
                cond_text.map_or(String::new(), |c| format!(" AND {c}"))
            ),
        };
        let want = shortest_trails((&edges, &ids), &rel, cond, a, b);
        let got = returned_paths(&g, &q, a, b);
        if all {
            assert_eq!(got, want, "case {case}: {q}\nedges: {edges:?}");
        } else {
            assert_eq!(
                got.len(),
                want.len().min(1),
                "case {case}: {q}\nedges: {edges:?}"
            );
            if let Some(p) = got.first() {
                assert!(
                    want.contains(p),
                    "case {case}: {q} gave {p:?}, not a shortest trail\nedges: {edges:?}"
                );
            }
        }
        found += usize::from(!want.is_empty());
    }
    // The cases are not all empty answers (286 of the 1,200 have a path with the shared generator's
    // seed and shape; the draw is deterministic).
    assert!(found > 250, "only {found} cases had a path");
}

#[test]
fn explain_and_profile_name_the_bidirectional_shortest_path_search() {
    let q = "MATCH p = shortestPath((a:Person {name: 'x'})-[*..6]-(b:Person {name: 'y'})) RETURN length(p)";
    let plan = skein::query::explain(q).unwrap();
    assert!(plan.contains("bidirectional breadth-first"), "{plan}");
    let plan =
        skein::query::explain("MATCH p = shortestPath((a:Person {name: 'x'})-[*]-(b)) RETURN p")
            .unwrap();
    assert!(plan.contains("breadth-first from the first node"), "{plan}");
    let run = seeds()
        .skein_with_stdin(
            &["repl", "-g", "seeds.ron"],
            Some(
                b":profile MATCH (a:Person), (b:Person) WITH a, b LIMIT 20 \
                  MATCH p = allShortestPaths((a)-[*]-(b)) RETURN count(p) AS n\n",
            ),
        )
        .expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains("bidirectional breadth-first") && out.contains("20 searches"),
        "{out}"
    );
}
