//! `skein query` against the built binary: the three output formats, parameters, error
//! carets and exit codes, and saving after a write.

use std::fs;
use std::process::{Command, Output};

use skein::graph::{self, Graph, Properties, Value};
use tempfile::TempDir;

fn fixture() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut g = Graph::new();
    let node = |name: &str, aliases: &[&str]| -> Properties {
        let mut p = Properties::new();
        p.insert("name", Value::from(name));
        if !aliases.is_empty() {
            p.insert(
                "aliases",
                Value::List(aliases.iter().map(|a| Value::from(*a)).collect()),
            );
        }
        p
    };
    let putin = g.add_node(["Person"], node("Vladimir Putin", &["Putin"]));
    let witkoff = g.add_node(["Person"], node("Steve Witkoff", &[]));
    let mut met = Properties::new();
    met.insert("date", Value::from("2025-04-11"));
    g.add_edge(witkoff, "MET_WITH", putin, met).expect("edge");
    graph::save(&g, &dir.path().join("g.ron")).expect("save");
    dir
}

fn query(dir: &TempDir, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_skein"))
        .arg("query")
        .args(args)
        .args(["-g", "g.ron"])
        .current_dir(dir.path())
        .env_remove("SKEIN_GRAPH")
        .output()
        .expect("run skein");
    eprintln!(
        "$ skein query {}\n--- status: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
        args.join(" "),
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const Q: &str = "MATCH (a)-[r:MET_WITH]->(b) RETURN a.name AS who, b, r.date AS date";

#[test]
fn prints_a_table_with_nodes_in_readable_notation() {
    let dir = fixture();
    let out = query(&dir, &[Q]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "\
+-----------------+------------------------------------+--------------+
| who             | b                                  | date         |
+-----------------+------------------------------------+--------------+
| \"Steve Witkoff\" | (:Person {name: \"Vladimir Putin\"}) | \"2025-04-11\" |
+-----------------+------------------------------------+--------------+
1 row
"
    );
}

#[test]
fn prints_json_lines_and_csv() {
    let dir = fixture();
    let out = query(&dir, &[Q, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "{\"who\": \"Steve Witkoff\", \"b\": {\"id\":0,\"labels\":[\"Person\"],\"properties\":{\"aliases\":[\"Putin\"],\"name\":\"Vladimir Putin\"}}, \"date\": \"2025-04-11\"}\n"
    );
    let out = query(&dir, &[Q, "--format", "csv"]);
    assert_eq!(
        text(&out.stdout),
        "who,b,date\nSteve Witkoff,\"(:Person {aliases: [\"\"Putin\"\"], name: \"\"Vladimir Putin\"\"})\",2025-04-11\n"
    );
}

#[test]
fn takes_parameters_as_cypher_literals() {
    let dir = fixture();
    let out = query(
        &dir,
        &[
            "MATCH (p:Person) WHERE p.name IN $names RETURN p.name AS n ORDER BY n",
            "--param",
            "names=['Steve Witkoff', 'Vladimir Putin']",
            "--format",
            "csv",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "n\nSteve Witkoff\nVladimir Putin\n");

    let out = query(&dir, &["RETURN $x", "--param", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("NAME=VALUE"),
        "{}",
        text(&out.stderr)
    );
    let out = query(&dir, &["RETURN $x", "--param", "x=Putin is here"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("not a Cypher literal"));
}

#[test]
fn a_syntax_error_shows_a_caret_and_exits_1() {
    let dir = fixture();
    let out = query(&dir, &["MATCH (n RETURN n"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("query:1:"), "{err}");
    assert!(err.contains("1 | MATCH (n RETURN n"), "{err}");
    assert!(err.contains('^'), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_write_is_saved_and_a_failed_query_changes_nothing() {
    let dir = fixture();
    let path = dir.path().join("g.ron");
    let before = fs::read(&path).unwrap();
    let out = query(&dir, &["MATCH (p:Person) SET p.seen = true RETURN nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read(&path).unwrap(), before);
    let out = query(&dir, &["CREATE (:Region {name: 'Russia'})"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "0 rows; 1 node created, 1 property set, 1 label added\n"
    );
    assert_eq!(graph::load(&path).unwrap().node_count(), 3);
}

#[test]
fn a_missing_graph_file_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = query(&dir, &["RETURN 1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("skein ingest"),
        "{}",
        text(&out.stderr)
    );
}
