//! `skein export --format csv` then `skein import`: the same graph comes back, and malformed
//! files are refused with the file, line and column, leaving the graph file as it was.

#[path = "interop/common.rs"]
mod common;

use common::*;
use skein::graph::Graph;

#[test]
fn csv_export_then_import_gives_an_equal_graph() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, graph) in [
        ("seeds", seeds_graph()),
        ("hostile", hostile_graph()),
        ("empty", Graph::new()),
    ] {
        let file = format!("{name}.ron");
        save(&graph, dir.path(), &file);
        let out_dir = format!("{name}-csv");
        skein_ok(
            dir.path(),
            &["export", "-g", &file, "-f", "csv", "-o", &out_dir],
        );
        let back = format!("{name}-back.ron");
        let nodes = format!("{out_dir}/nodes.csv");
        let edges = format!("{out_dir}/edges.csv");
        let out = skein_ok(
            dir.path(),
            &["import", "--nodes", &nodes, "--edges", &edges, "-g", &back],
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.contains(&format!(
                "imported {} nodes and {} relationships",
                graph.node_count(),
                graph.edge_count()
            )),
            "{said}"
        );
        let imported = skein::graph::load(&dir.path().join(&back)).expect("imported graph");
        assert_eq!(shape(&imported), shape(&graph), "{name}");
        if name == "seeds" {
            // Ids are dense in a fresh graph, so here the graphs are equal outright.
            assert!(imported == graph);
        }
    }
}

#[test]
fn csv_headers_follow_the_neo4j_admin_layout() {
    let dir = tempfile::tempdir().expect("temp dir");
    save(&seeds_graph(), dir.path(), "g.ron");
    skein_ok(
        dir.path(),
        &["export", "-g", "g.ron", "-f", "csv", "-o", "out"],
    );
    let nodes = std::fs::read_to_string(dir.path().join("out/nodes.csv")).expect("nodes");
    let edges = std::fs::read_to_string(dir.path().join("out/edges.csv")).expect("edges");
    assert_eq!(
        nodes.lines().next(),
        Some(
            ":ID,:LABEL,aliases:string[],articles:string[],kind:string,mentions:long,name:string,titles:string[]"
        )
    );
    assert!(
        nodes.contains("\n0,Person,Putin;Vladimir V. Putin,"),
        "{nodes}"
    );
    assert!(
        edges.starts_with(":START_ID,:END_ID,:TYPE,article:string,articles:string[],date:string,evidence:string,evidences:string[],mentions:long,place:string,rule:string,rules:string[]\n"),
        "{edges}"
    );
}

/// Imports `nodes` (and `edges`) text into a fresh graph file and returns stderr, checking
/// that the command failed with exit code 1 and that no graph file was written.
fn import_fails(nodes: &str, edges: Option<&str>) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("nodes.csv"), nodes).expect("write");
    let mut args = vec!["import", "--nodes", "nodes.csv", "-g", "g.ron"];
    if let Some(edges) = edges {
        std::fs::write(dir.path().join("edges.csv"), edges).expect("write");
        args.extend(["--edges", "edges.csv"]);
    }
    let out = skein(dir.path(), &args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        !dir.path().join("g.ron").exists(),
        "no graph written on error"
    );
    stderr
}

#[test]
fn malformed_csv_names_the_file_line_and_column() {
    let cases: Vec<(&str, Option<&str>, &str)> = vec![
        (
            ":ID,name:string,mentions:long\n1,A,3\n2,B,three\n",
            None,
            "nodes.csv:3:5: \"three\" is not an integer (column `mentions:long`)",
        ),
        (
            ":ID,name:string\n1,\"unclosed\n2,B\n",
            None,
            "nodes.csv:2:3: this quoted field is never closed",
        ),
        (
            ":ID,name:string\n1,A\n2,B,extra\n",
            None,
            "nodes.csv:3:5: this row has 3 fields but the header has 2",
        ),
        (
            ":ID,name:string\n1,A\n1,B\n",
            None,
            "nodes.csv:3:1: the node id \"1\" appears twice",
        ),
        (
            "name:string\nA\n",
            None,
            "nodes.csv:1:1: the header has no :ID column",
        ),
        (
            ":ID,size:float3\n1,2\n",
            None,
            "nodes.csv:1:5: unknown type \"float3\"",
        ),
        (
            ":ID,name:string\n1,A\n2,B\n",
            Some(":START_ID,:END_ID,:TYPE,w:double\n1,2,KNOWS,0.5\n2,9,KNOWS,1\n"),
            "edges.csv:3:3: there is no node with id \"9\"",
        ),
        (
            ":ID,name:string\n1,A\n",
            Some(":START_ID,:END_ID,:TYPE,w:double\n1,1,KNOWS,x1\n"),
            "edges.csv:2:11: \"x1\" is not a number (column `w:double`)",
        ),
        (
            ":ID,name:string\n1,A\n",
            Some(":START_ID,:END_ID\n1,1\n"),
            "edges.csv:1:1: the header has no :TYPE column",
        ),
        (
            ":ID,name:string\n1,\"a\"b\n",
            None,
            "nodes.csv:2:6: unexpected text after a closing quote",
        ),
    ];
    for (nodes, edges, want) in cases {
        let stderr = import_fails(nodes, edges);
        assert!(stderr.contains(want), "want {want:?} in:\n{stderr}");
    }
}

#[test]
fn non_utf8_csv_is_refused_with_its_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("nodes.csv"), b":ID,name\n1,caf\xe9\n").expect("write");
    let out = skein(
        dir.path(),
        &["import", "--nodes", "nodes.csv", "-g", "g.ron"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nodes.csv:2:6: this is not UTF-8 text"),
        "{stderr}"
    );
}

#[test]
fn a_failed_import_leaves_the_graph_file_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = save(&seeds_graph(), dir.path(), "g.ron");
    let before = std::fs::read(&path).expect("read");
    std::fs::write(dir.path().join("n.csv"), ":ID,x:long\n1,2\n").expect("write");
    std::fs::write(dir.path().join("e.csv"), ":START_ID,:END_ID,:TYPE\n1,2,T\n").expect("write");
    let out = skein(
        dir.path(),
        &[
            "import", "--nodes", "n.csv", "--edges", "e.csv", "-g", "g.ron",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[test]
fn import_reads_what_neo4j_admin_reads() {
    // Hand-written files in the neo4j-admin style: id spaces, a named id column, an ignored
    // column, typed arrays and quoted fields.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("people.csv"),
        "personId:ID(P),:LABEL,name,born:int,nick:string[],skip:IGNORE\r\n\
         p1,Person;Actor,\"Hanks, Tom\",1956,Tommy;T,zz\r\n\
         p2,Person,\"\"\"Q\"\"\",,,\r\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("knows.csv"),
        ":START_ID(P),:END_ID(P),:TYPE,since:long\np1,p2,KNOWS,2001\n",
    )
    .expect("write");
    skein_ok(
        dir.path(),
        &[
            "import",
            "--nodes",
            "people.csv",
            "--edges",
            "knows.csv",
            "-g",
            "g.ron",
        ],
    );
    let g = skein::graph::load(&dir.path().join("g.ron")).expect("graph");
    let nodes: Vec<_> = g.nodes().collect();
    assert_eq!(nodes.len(), 2);
    assert_eq!(nodes[0].name(), Some("Hanks, Tom"));
    assert!(nodes[0].has_label("Actor"));
    assert_eq!(
        nodes[0].props.get("nick"),
        Some(&skein::graph::Value::from(vec!["Tommy", "T"]))
    );
    assert_eq!(
        nodes[0].props.get("personId"),
        Some(&skein::graph::Value::from("p1"))
    );
    assert_eq!(nodes[1].name(), Some("\"Q\""));
    assert!(
        !nodes[1].props.contains_key("born"),
        "an empty field is an absent property"
    );
    assert!(!nodes[0].props.contains_key("skip"));
    assert_eq!(g.edges().count(), 1);
}
