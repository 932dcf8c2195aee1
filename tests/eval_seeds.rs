//! The seed articles scored against their gold graph: the thresholds the issue fixes, and
//! the same figures as the reference scorer `../shared/score_gold.py`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn gold_path() -> PathBuf {
    repo().join("../shared/seeds/gold.json")
}

/// Runs the binary in a fresh directory and returns stdout; on failure, dumps everything.
fn skein(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the skein binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "skein {args:?} in {} failed ({:?})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        dir.display(),
        out.status
    );
    stdout
}

fn figures(stdout: &str) -> serde_json::Value {
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("no JSON figures ({e}) in:\n{stdout}"))
}

#[test]
fn seeds_meet_the_thresholds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let gold = gold_path();
    let seeds = repo().join("seeds");
    let stdout = skein(
        dir.path(),
        &[
            "eval",
            gold.to_str().unwrap(),
            seeds.to_str().unwrap(),
            "--json",
        ],
    );
    let f = figures(&stdout);
    let get = |k: &str| f[k].as_f64().unwrap_or(-1.0);
    let report = format!("figures {f}\n{stdout}");
    assert!(get("entity_f1") >= 0.95, "entity F1 below 0.95: {report}");
    assert!(
        get("rel_p") >= 0.90,
        "relation precision below 0.90: {report}"
    );
    assert!(get("rel_r") >= 0.85, "relation recall below 0.85: {report}");
    assert!(
        get("attr_acc") >= 0.99,
        "attribute accuracy below 0.99: {report}"
    );
    assert_eq!(f["absent_hits"].as_u64(), Some(0), "absent hits: {report}");
}

#[test]
fn eval_matches_the_reference_scorer() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 is not installed: the comparison with score_gold.py is skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut graph = skein::graph::Graph::new();
    skein::ingest::ingest_paths(&mut graph, &[repo().join("seeds")], &Default::default())
        .expect("seeds ingest");
    let gold_text = std::fs::read_to_string(gold_path()).expect("gold file");
    let ours = skein::ingest::eval::score(&gold_text, &graph).expect("scores");
    let export = dir.path().join("export.json");
    std::fs::write(
        &export,
        skein::ingest::eval::export_json(&graph).to_string(),
    )
    .expect("write");
    let out = Command::new("python3")
        .arg(repo().join("../shared/score_gold.py"))
        .arg(gold_path())
        .arg(&export)
        .arg("--json")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let theirs = figures(&stdout);
    let pairs = [
        ("entity_p", ours.entity_p),
        ("entity_r", ours.entity_r),
        ("entity_f1", ours.entity_f1),
        ("rel_p", ours.rel_p),
        ("rel_r", ours.rel_r),
        ("rel_f1", ours.rel_f1),
    ];
    for (key, value) in pairs {
        assert_eq!(theirs[key].as_f64(), Some(value), "{key} differs\n{stdout}");
    }
    assert_eq!(
        theirs["attr_acc"].as_f64(),
        ours.attr_acc,
        "attr_acc differs\n{stdout}"
    );
    assert_eq!(
        theirs["absent_hits"].as_u64(),
        Some(ours.absent_hits.len() as u64),
        "absent hits differ\n{stdout}"
    );
}

#[test]
fn scorer_agrees_on_a_degraded_graph() {
    // A graph with mistakes on purpose (a duplicate node, a false triple, an absent hit, a
    // wrong date) must score the same in both implementations.
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 is not installed: the comparison with score_gold.py is skipped");
        return;
    }
    use skein::graph::{Graph, Properties, Value};
    let mut g = Graph::new();
    let node = |g: &mut Graph, label: &str, name: &str| {
        let mut p = Properties::new();
        p.insert("name", Value::from(name));
        g.add_node([label], p)
    };
    let putin = node(&mut g, "Person", "Putin");
    let putin2 = node(&mut g, "Person", "Vladimir V. Putin");
    let trump = node(&mut g, "Person", "Donald Trump");
    let witkoff = node(&mut g, "Person", "Steve Witkoff");
    let _stray = node(&mut g, "Organization", "Acme");
    let mut p = Properties::new();
    p.insert("date", Value::from("2025-04-12"));
    p.insert("place", Value::from("Saint Petersburg"));
    g.add_edge(putin, "MET_WITH", witkoff, p).expect("edge");
    g.add_edge(putin2, "MET_WITH", trump, Properties::new())
        .expect("edge");
    g.add_edge(trump, "PRAISED", witkoff, Properties::new())
        .expect("edge");
    let gold_text = std::fs::read_to_string(gold_path()).expect("gold file");
    let ours = skein::ingest::eval::score(&gold_text, &g).expect("scores");
    let dir = tempfile::tempdir().expect("temp dir");
    let export = dir.path().join("export.json");
    std::fs::write(&export, skein::ingest::eval::export_json(&g).to_string()).expect("write");
    let out = Command::new("python3")
        .arg(repo().join("../shared/score_gold.py"))
        .arg(gold_path())
        .arg(&export)
        .arg("--json")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let theirs = figures(&stdout);
    assert_eq!(theirs["entity_p"].as_f64(), Some(ours.entity_p), "{stdout}");
    assert_eq!(theirs["entity_r"].as_f64(), Some(ours.entity_r), "{stdout}");
    assert_eq!(theirs["rel_p"].as_f64(), Some(ours.rel_p), "{stdout}");
    assert_eq!(theirs["rel_r"].as_f64(), Some(ours.rel_r), "{stdout}");
    assert_eq!(theirs["attr_acc"].as_f64(), ours.attr_acc, "{stdout}");
    assert_eq!(ours.absent_hits.len(), 1, "{ours:?}");
}
