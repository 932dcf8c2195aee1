//! Exports of graphs that `skein ingest` made from the seed articles: the JSON export scored
//! by the reference scorer gives the same figures as `skein eval`, every DOT output of the
//! real graph and of query subgraphs is accepted by Graphviz, and `-q` exports what the query
//! returned.

#[path = "interop/common.rs"]
mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use skein::graph::{Properties, Value};

/// Ingests `articles` (paths relative to the repository) into `name` in `dir`.
fn ingest(dir: &Path, name: &str, articles: &[&str]) {
    let mut args = vec!["ingest".to_string()];
    args.extend(
        articles
            .iter()
            .map(|a| repo().join(a).display().to_string()),
    );
    args.extend(["-g".to_string(), name.to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    skein_ok(dir, &args);
}

fn have_python() -> bool {
    let ok = Command::new("python3").arg("-V").output().is_ok();
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "python3 is missing in CI");
        eprintln!("skipped: python3 is not installed");
    }
    ok
}

/// The scorer's figures for a JSON export.
fn score(export: &Path) -> serde_json::Value {
    let out = Command::new("python3")
        .arg(repo().join("../shared/score_gold.py"))
        .arg(gold_path())
        .arg(export)
        .arg("--json")
        .output()
        .expect("the scorer runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).expect("JSON line")
}

#[test]
fn json_export_scores_the_same_as_eval() {
    if !have_python() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let gold = gold_path().display().to_string();
    ingest(dir.path(), "all.ron", &["seeds"]);
    ingest(dir.path(), "one.ron", &["seeds/000_b5815be27b7dbe10.txt"]);
    // A graph with a false node and a false triple, so that precision is below 1 too.
    let mut noisy = skein::graph::load(&dir.path().join("all.ron")).expect("graph");
    let mut p = Properties::new();
    p.insert("name", Value::from("Nobody Inparticular"));
    let bogus = noisy.add_node(["Person"], p);
    let first = noisy.nodes().next().map(|n| n.id).expect("a node");
    noisy
        .add_edge(bogus, "ATTACKED", first, Properties::new())
        .expect("edge");
    save(&noisy, dir.path(), "noisy.ron");

    for graph in ["all.ron", "one.ron", "noisy.ron"] {
        let eval = skein_ok(dir.path(), &["eval", &gold, "-g", graph, "--json"]);
        let eval_text = String::from_utf8_lossy(&eval.stdout);
        let eval: serde_json::Value =
            serde_json::from_str(eval_text.lines().last().unwrap_or_default()).expect("JSON");
        let export = format!("{graph}.json");
        skein_ok(
            dir.path(),
            &["export", "-g", graph, "-f", "json", "-o", &export],
        );
        let scored = score(&dir.path().join(&export));
        for key in [
            "entity_p",
            "entity_r",
            "entity_f1",
            "rel_p",
            "rel_r",
            "rel_f1",
            "attr_acc",
            "absent_hits",
        ] {
            let (a, b) = (&eval[key], &scored[key]);
            let same = match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() < 1e-4,
                _ => a == b,
            };
            assert!(same, "{graph}: {key}: eval {a} vs scorer {b}");
        }
        if graph == "noisy.ron" {
            assert!(
                scored["entity_p"].as_f64().is_some_and(|p| p < 1.0),
                "{scored}"
            );
        }
        if graph == "one.ron" {
            assert!(
                scored["rel_r"].as_f64().is_some_and(|r| r < 1.0),
                "{scored}"
            );
        }
    }
}

#[test]
fn dot_of_the_ingested_seeds_and_of_query_subgraphs_is_accepted_by_graphviz() {
    if !have_dot() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Graphviz is missing in CI"
        );
        eprintln!("skipped: Graphviz `dot` is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    ingest(dir.path(), "g.ron", &["seeds"]);
    let queries = [
        None,
        Some("MATCH (n:Person) RETURN n"),
        Some("MATCH p = (:Person)-[:MET_WITH]-(:Person) RETURN p"),
        Some("MATCH (a)-[r]->(b:Region) WHERE r.date >= '2025-04-11' RETURN a, r, b"),
        Some("MATCH (n) WHERE n.name = 'nobody' RETURN n"),
    ];
    for query in queries {
        for extra in [
            &[][..],
            &["--cluster", "article"],
            &["--cluster", "label", "--induced"],
        ] {
            let mut args = vec!["export", "-g", "g.ron"];
            if let Some(q) = query {
                args.extend(["-q", q]);
            } else if extra.contains(&"--induced") {
                continue;
            }
            args.extend_from_slice(extra);
            let out = skein_ok(dir.path(), &args);
            if let Err(stderr) = dot_accepts(&out.stdout) {
                panic!(
                    "{args:?}: {stderr}\n{}",
                    String::from_utf8_lossy(&out.stdout)
                );
            }
        }
    }
}

/// Node and edge ids of a JSON export made with `args`.
fn exported_ids(dir: &Path, args: &[&str]) -> (Vec<u64>, Vec<u64>) {
    let out = skein_ok(dir, args);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let ids = |key: &str| {
        doc[key]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|v| v["id"].as_u64())
            .collect()
    };
    (ids("nodes"), ids("edges"))
}

#[test]
fn query_exports_hold_what_the_query_returned() {
    let dir = tempfile::tempdir().expect("temp dir");
    ingest(dir.path(), "g.ron", &["seeds"]);
    let g = skein::graph::load(&dir.path().join("g.ron")).expect("graph");
    let persons: Vec<u64> = g
        .nodes()
        .filter(|n| n.has_label("Person"))
        .map(|n| n.id.0)
        .collect();
    let base = ["export", "-g", "g.ron", "-f", "json", "-q"];

    let nodes_only = [&base[..], &["MATCH (n:Person) RETURN n"]].concat();
    assert_eq!(
        exported_ids(dir.path(), &nodes_only),
        (persons.clone(), vec![])
    );

    let induced = [&nodes_only[..], &["--induced"]].concat();
    let between: Vec<u64> = g
        .edges()
        .filter(|e| persons.contains(&e.source.0) && persons.contains(&e.target.0))
        .map(|e| e.id.0)
        .collect();
    assert!(!between.is_empty());
    assert_eq!(
        exported_ids(dir.path(), &induced),
        (persons.clone(), between)
    );

    // Relationships alone bring their end nodes.
    let rels = [&base[..], &["MATCH ()-[r:LEADS]->() RETURN r"]].concat();
    let leads: Vec<_> = g.edges().filter(|e| &*e.rel_type == "LEADS").collect();
    let mut ends: Vec<u64> = leads
        .iter()
        .flat_map(|e| [e.source.0, e.target.0])
        .collect();
    ends.sort();
    ends.dedup();
    let lead_ids: Vec<u64> = leads.iter().map(|e| e.id.0).collect();
    assert_eq!(exported_ids(dir.path(), &rels), (ends, lead_ids));

    // A query error is reported with its position, and nothing is written.
    let out = skein(
        dir.path(),
        &[
            "export",
            "-g",
            "g.ron",
            "-q",
            "MATCH (n RETURN n",
            "-o",
            "x.dot",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("query:1:"), "{stderr}");
    assert!(!dir.path().join("x.dot").exists());
}
