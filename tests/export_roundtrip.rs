//! What one export writes, skein reads back as the same values (issue 16, item 14), and what
//! the CSV layout cannot hold is refused at export with a clear message; import errors name
//! file, line and column without echoing huge fields.

mod common;

use std::fs;

use common::Dir;

const EMPTY_GRAPH: &str =
    "(format: \"skein-graph\", version: 1, next_node_id: 0, next_edge_id: 0, nodes: [], edges: [])";

fn graph_with(dir: &Dir, name: &str, create: &str) {
    fs::write(dir.join(name), EMPTY_GRAPH).unwrap();
    dir.skein(&["query", create, "-g", name]).expect_code(0);
}

fn csv_rows(dir: &Dir, query: &str, graph: &str) -> String {
    dir.skein(&["query", query, "--format", "csv", "-g", graph])
        .expect_code(0)
        .stdout()
}

#[test]
fn a_cypher_export_of_nan_and_infinity_reads_back_in_skein() {
    let dir = Dir::new();
    graph_with(
        &dir,
        "g.ron",
        "CREATE (:T {name: 'x', nan: 0.0/0.0, up: 1.0/0.0, down: -1.0/0.0, l: [1.0/0.0]})",
    );
    dir.skein(&["export", "-f", "cypher", "-o", "g.cypher", "-g", "g.ron"])
        .expect_code(0);
    let script = fs::read_to_string(dir.join("g.cypher")).unwrap();
    assert!(
        !script.contains("NaN") && !script.contains("Infinity"),
        "{script}"
    );
    fs::write(dir.join("back.ron"), EMPTY_GRAPH).unwrap();
    dir.skein(&["run", "g.cypher", "-g", "back.ron"])
        .expect_code(0);
    let rows = csv_rows(
        &dir,
        "MATCH (n:T) RETURN n.nan <> n.nan AS nan, n.up AS up, n.down AS down, n.l AS l",
        "back.ron",
    );
    assert_eq!(
        rows.lines().nth(1),
        Some("true,Infinity,-Infinity,[Infinity]"),
        "{rows}"
    );
}

#[test]
fn dates_times_and_durations_come_back_from_csv_as_temporal_values() {
    let dir = Dir::new();
    graph_with(
        &dir,
        "g.ron",
        "CREATE (n:T {name: 'x', d: date('2025-04-11'), du: duration('P1DT2H'), \
         ts: [localdatetime('2025-01-01T10:00')]}) \
         CREATE (n)-[:R {at: datetime('2025-01-01T10:00+01:00')}]->(n)",
    );
    dir.skein(&["export", "-f", "csv", "-o", "out", "-g", "g.ron"])
        .expect_code(0);
    let nodes = fs::read_to_string(dir.join("out/nodes.csv")).unwrap();
    assert!(
        nodes.starts_with(":ID,:LABEL,d:date,du:duration,name:string,ts:localdatetime[]"),
        "{nodes}"
    );
    dir.skein(&[
        "import",
        "--nodes",
        "out/nodes.csv",
        "--edges",
        "out/edges.csv",
        "-g",
        "back.ron",
    ])
    .expect_code(0);
    let rows = csv_rows(
        &dir,
        "MATCH (n)-[r]->() RETURN n.d + n.du AS later, n.ts[0].hour AS h, r.at.hour AS tz",
        "back.ron",
    );
    assert_eq!(rows.lines().nth(1), Some("2025-04-12,10,10"), "{rows}");
}

#[test]
fn an_empty_property_key_or_type_is_refused_at_csv_export() {
    let dir = Dir::new();
    graph_with(&dir, "key.ron", "CREATE (:T {``: 1})");
    dir.skein(&["export", "-f", "csv", "-o", "out", "-g", "key.ron"])
        .expect_code(1)
        .expect_stderr("node 0 has a property with an empty key");
    assert!(!dir.join("out").exists(), "nothing was written");
    graph_with(&dir, "type.ron", "CREATE (a)-[:``]->(a)");
    dir.skein(&["export", "-f", "csv", "-o", "out", "-g", "type.ron"])
        .expect_code(1)
        .expect_stderr("relationship 0 has an empty type");
}

#[test]
fn a_duplicate_csv_column_is_an_error_at_its_place() {
    let dir = Dir::new();
    fs::write(
        dir.join("nodes.csv"),
        ":ID,name:string,age:long,name:string\n1,A,3,B\n",
    )
    .unwrap();
    dir.skein(&["import", "--nodes", "nodes.csv", "-g", "g.ron"])
        .expect_code(1)
        .expect_stderr("nodes.csv:1:26: the property \"name\" has a second column here");
    assert!(!dir.join("g.ron").exists());
}

#[test]
fn an_import_error_does_not_echo_a_huge_field() {
    let dir = Dir::new();
    let huge = "x".repeat(1 << 20);
    fs::write(dir.join("nodes.csv"), format!(":ID,n:long\n1,{huge}\n")).unwrap();
    let run = dir
        .skein(&["import", "--nodes", "nodes.csv", "-g", "g.ron"])
        .expect_code(1)
        .expect_stderr("nodes.csv:2:3: ")
        .expect_stderr("(1048576 characters in all) is not an integer");
    assert!(
        run.stderr().len() < 1000,
        "{} bytes of error",
        run.stderr().len()
    );
}
