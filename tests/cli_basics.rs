//! The command-line surface: help, exit codes, and the graph file's life cycle.

mod common;

use std::fs;

use common::Dir;
use skein::graph::{self, Graph, Properties, Value};

#[test]
fn every_subcommand_has_help() {
    let dir = Dir::new();
    let commands = [
        "ingest", "query", "run", "repl", "export", "import", "eval", "stats",
    ];
    for command in commands {
        dir.skein(&[command, "--help"])
            .expect_code(0)
            .expect_stdout("Usage: skein");
    }
    dir.skein(&["--help"])
        .expect_code(0)
        .expect_stdout("ingest")
        .expect_stdout("stats");
}

#[test]
fn stats_on_a_missing_file_says_it_does_not_exist() {
    let dir = Dir::new();
    dir.skein(&["stats", "-g", "missing.ron"])
        .expect_code(2)
        .expect_stderr("missing.ron: the graph file does not exist");
    assert!(!dir.join("missing.ron").exists(), "nothing was created");
}

#[test]
fn stats_counts_labels_and_types() {
    let dir = Dir::new();
    let mut g = Graph::new();
    let mut props = Properties::new();
    props.insert("name", Value::from("Vladimir Putin"));
    let putin = g.add_node(["Person"], props);
    let russia = g.add_node(["Region"], Properties::new());
    let kremlin = g.add_node(["Organization"], Properties::new());
    g.add_edge(putin, "LEADS", russia, Properties::new())
        .unwrap();
    g.add_edge(putin, "LEADS", kremlin, Properties::new())
        .unwrap();
    graph::save(&g, &dir.join("g.ron")).unwrap();
    let run = dir.skein(&["stats", "-g", "g.ron"]).expect_code(0);
    let out = run.stdout();
    assert!(out.contains("nodes: 3"), "{out}");
    assert!(out.contains("edges: 2"), "{out}");
    let leads = out.lines().find(|l| l.trim_start().starts_with("LEADS"));
    assert_eq!(
        leads.map(|l| l.split_whitespace().collect::<Vec<_>>()),
        Some(vec!["LEADS", "2"])
    );
    assert!(out.contains("bytes"), "{out}");
}

#[test]
fn the_graph_file_comes_from_the_environment_when_not_given() {
    let dir = Dir::new();
    graph::save(&Graph::new(), &dir.join("env.ron")).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(["stats"])
        .current_dir(dir.path())
        .env("SKEIN_GRAPH", "env.ron")
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    assert!(String::from_utf8_lossy(&run.stdout).contains("env.ron"));
}

#[test]
fn a_corrupt_graph_file_is_named_with_its_position_and_left_alone() {
    let dir = Dir::new();
    let text = "(\n  format: \"skein-graph\",\n  version: 1,\n  nodes: [,\n";
    fs::write(dir.join("bad.ron"), text).unwrap();
    dir.skein(&["stats", "-g", "bad.ron"])
        .expect_code(1)
        .expect_stderr("bad.ron:4:")
        .expect_stderr("left as it is");
    assert_eq!(fs::read_to_string(dir.join("bad.ron")).unwrap(), text);

    fs::write(dir.join("foreign.ron"), "(format: \"other\", version: 3)").unwrap();
    dir.skein(&["stats", "-g", "foreign.ron"])
        .expect_code(1)
        .expect_stderr("not a skein graph");

    fs::write(dir.join("binary.ron"), [0u8, 159, 146, 150, 0xff]).unwrap();
    dir.skein(&["stats", "-g", "binary.ron"])
        .expect_code(1)
        .expect_stderr("not UTF-8");
}

#[test]
fn an_unknown_subcommand_is_a_usage_error() {
    let dir = Dir::new();
    let run = dir.skein(&["frobnicate"]);
    assert_eq!(
        run.code(),
        Some(1),
        "a bad command line is the user's error"
    );
    assert!(run.stderr().contains("unrecognized subcommand"));
}
