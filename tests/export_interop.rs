//! Interop with a real graph database: the CSV export loaded into Kùzu (embedded, from PyPI)
//! by `tests/interop/kuzu_load.py`, then counted and queried there. Outside CI the test is
//! skipped with a message when python3 or the kuzu module is missing; `.ci/run` installs
//! kuzu, so in CI (`CI` set) a missing module fails the test.

#[path = "interop/common.rs"]
mod common;

use std::process::Command;

use common::*;
use skein::graph::{Graph, Value};

/// Loads `graph`'s CSV export into a fresh Kùzu database and returns the script's report,
/// or None when the test must be skipped.
fn load_into_kuzu(graph: &Graph) -> Option<serde_json::Value> {
    let in_ci = std::env::var_os("CI").is_some();
    if Command::new("python3").arg("-V").output().is_err() {
        assert!(!in_ci, "python3 is missing in CI");
        eprintln!("skipped: python3 is not installed");
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    save(graph, dir.path(), "g.ron");
    skein_ok(
        dir.path(),
        &["export", "-g", "g.ron", "-f", "csv", "-o", "csv"],
    );
    let script = repo().join("tests/interop/kuzu_load.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir.path().join("csv"))
        .arg(dir.path().join("kuzu-db"))
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(3) {
        assert!(!in_ci, "the kuzu module is missing in CI: {stderr}");
        eprintln!("skipped: {stderr} (pip install kuzu)");
        return None;
    }
    assert!(out.status.success(), "kuzu_load.py failed:\n{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    Some(serde_json::from_str(stdout.trim()).expect("one JSON line"))
}

#[test]
fn the_seeds_graph_loads_into_kuzu_with_the_same_counts_and_answers() {
    let graph = seeds_graph();
    let Some(report) = load_into_kuzu(&graph) else {
        return;
    };
    assert_eq!(report["nodes"], graph.node_count(), "{report}");
    assert_eq!(report["edges"], graph.edge_count(), "{report}");

    // The same questions answered from skein's own graph.
    let name = |id| {
        graph
            .node(id)
            .and_then(|n| n.name())
            .unwrap_or_default()
            .to_string()
    };
    let mut leads: Vec<String> = graph
        .edges()
        .filter(|e| &*e.rel_type == "LEADS")
        .map(|e| format!("{} -> {}", name(e.source), name(e.target)))
        .collect();
    leads.sort();
    assert_eq!(report["leads"], serde_json::json!(leads));
    let dated = graph
        .edges()
        .filter(|e| {
            e.props
                .get("date")
                .and_then(Value::as_str)
                .is_some_and(|d| d >= "2025-04-11")
        })
        .count();
    assert_eq!(report["dated_after"], dated);
    assert_eq!(report["putin_met"], serde_json::json!(["Steve Witkoff"]));
    assert_eq!(
        report["putin_aliases"],
        serde_json::json!(["Putin", "Vladimir V. Putin"])
    );
}

#[test]
fn hostile_names_and_values_load_into_kuzu() {
    let graph = hostile_graph();
    let Some(report) = load_into_kuzu(&graph) else {
        return;
    };
    assert_eq!(report["nodes"], graph.node_count(), "{report}");
    assert_eq!(report["edges"], graph.edge_count(), "{report}");
}

/// Reads the GraphML export with NetworkX; None when the test must be skipped.
fn read_with_networkx(graph: &Graph) -> Option<serde_json::Value> {
    let in_ci = std::env::var_os("CI").is_some();
    if Command::new("python3").arg("-V").output().is_err() {
        assert!(!in_ci, "python3 is missing in CI");
        eprintln!("skipped: python3 is not installed");
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    save(graph, dir.path(), "g.ron");
    skein_ok(
        dir.path(),
        &["export", "-g", "g.ron", "-f", "graphml", "-o", "g.graphml"],
    );
    let out = Command::new("python3")
        .arg(repo().join("tests/interop/graphml_read.py"))
        .arg(dir.path().join("g.graphml"))
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(3) {
        assert!(!in_ci, "the networkx module is missing in CI: {stderr}");
        eprintln!("skipped: {stderr}");
        return None;
    }
    assert!(out.status.success(), "graphml_read.py failed:\n{stderr}");
    Some(serde_json::from_slice(&out.stdout).expect("one JSON line"))
}

#[test]
fn networkx_reads_the_graphml_with_typed_values() {
    for graph in [seeds_graph(), hostile_graph()] {
        let Some(report) = read_with_networkx(&graph) else {
            return;
        };
        assert_eq!(report["n_nodes"], graph.node_count());
        assert_eq!(report["n_edges"], graph.edge_count());
        for node in graph.nodes() {
            let got = &report["nodes"][format!("n{}", node.id)];
            for (key, value) in &node.props {
                let (kind, want) = match value {
                    Value::Int(i) => ("int", serde_json::json!(i)),
                    Value::Float(f) => ("float", serde_json::json!(f)),
                    Value::Bool(b) => ("bool", serde_json::json!(b)),
                    Value::String(s)
                        if !s.chars().any(|c| c.is_control() && !"\t\n\r".contains(c)) =>
                    {
                        ("str", serde_json::json!(s))
                    }
                    Value::String(_) => continue,
                    other => {
                        let text = serde_json::to_string(&skein::export::json::PlainValue(other))
                            .expect("JSON");
                        ("str", serde_json::json!(text))
                    }
                };
                assert_eq!(
                    got[key],
                    serde_json::json!([kind, want]),
                    "node {} {key}",
                    node.id
                );
            }
        }
    }
}
