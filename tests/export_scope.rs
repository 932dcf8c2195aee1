//! `-q` exports: the subgraph of a query's result, selected from hand-made `QueryResult`s
//! (nodes, relationships, paths, values nested in lists and maps), through the library API
//! that the REPL's `:export` uses.

#[path = "interop/common.rs"]
mod common;

use std::collections::BTreeMap;

use common::*;
use skein::export::{self, Destination, ExportOptions, Format};
use skein::graph::{EdgeId, Graph, NodeId};
use skein::query::{NodeValue, PathValue, QueryResult, QueryValue, RelValue};

fn node(g: &Graph, id: u64) -> QueryValue {
    let n = g.node(NodeId(id)).expect("node");
    QueryValue::Node(NodeValue {
        id: n.id,
        labels: n.labels.iter().map(|l| l.to_string()).collect(),
        props: n.props.clone(),
    })
}

fn rel(g: &Graph, id: u64) -> QueryValue {
    let e = g.edge(EdgeId(id)).expect("edge");
    QueryValue::Relationship(rel_value(g, id, e.source, e.target))
}

fn rel_value(g: &Graph, id: u64, source: NodeId, target: NodeId) -> RelValue {
    let e = g.edge(EdgeId(id)).expect("edge");
    RelValue {
        id: e.id,
        rel_type: e.rel_type.to_string(),
        source,
        target,
        props: e.props.clone(),
    }
}

fn result(rows: Vec<Vec<QueryValue>>) -> QueryResult {
    QueryResult {
        columns: (0..rows.first().map_or(0, Vec::len))
            .map(|i| format!("c{i}"))
            .collect(),
        rows,
        ..QueryResult::default()
    }
}

/// The node and edge ids of a result's JSON export.
fn exported(g: &Graph, r: &QueryResult, induced: bool) -> (Vec<u64>, Vec<u64>) {
    let options = ExportOptions {
        induced,
        ..ExportOptions::default()
    };
    let mut out = Vec::new();
    export::write_result(g, r, &options, Format::Json, &mut out).expect("export");
    let doc: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    let ids = |key: &str| -> Vec<u64> {
        doc[key]
            .as_array()
            .expect("list")
            .iter()
            .map(|v| v["id"].as_u64().expect("id"))
            .collect()
    };
    (ids("nodes"), ids("edges"))
}

/// Ids of the edges of the seeds graph between the given nodes.
fn between(g: &Graph, nodes: &[u64]) -> Vec<u64> {
    g.edges()
        .filter(|e| nodes.contains(&e.source.0) && nodes.contains(&e.target.0))
        .map(|e| e.id.0)
        .collect()
}

#[test]
fn nodes_alone_unless_induced() {
    let g = seeds_graph();
    // Putin (0), Witkoff (1) and Trump (3) are joined by several edges.
    let r = result(vec![
        vec![node(&g, 0)],
        vec![node(&g, 3)],
        vec![node(&g, 1)],
    ]);
    let induced = between(&g, &[0, 1, 3]);
    assert!(!induced.is_empty());
    assert_eq!(exported(&g, &r, false), (vec![0, 1, 3], vec![]));
    assert_eq!(exported(&g, &r, true), (vec![0, 1, 3], induced));
}

#[test]
fn relationships_bring_their_end_nodes() {
    let g = seeds_graph();
    let e = g.edge(EdgeId(5)).expect("edge 5");
    let mut ends = vec![e.source.0, e.target.0];
    ends.sort();
    ends.dedup();
    let r = result(vec![vec![rel(&g, 5), QueryValue::Int(1)]]);
    assert_eq!(exported(&g, &r, false), (ends, vec![5]));
}

#[test]
fn paths_and_nested_values_are_searched() {
    let g = seeds_graph();
    let e0 = g.edge(EdgeId(0)).expect("edge 0");
    let path = PathValue {
        nodes: vec![
            match node(&g, e0.target.0) {
                QueryValue::Node(n) => n,
                _ => unreachable!(),
            },
            match node(&g, e0.source.0) {
                QueryValue::Node(n) => n,
                _ => unreachable!(),
            },
        ],
        rels: vec![rel_value(&g, 0, e0.source, e0.target)],
    };
    let mut map = BTreeMap::new();
    map.insert(
        "deep".to_string(),
        QueryValue::List(vec![QueryValue::Null, node(&g, 20), rel(&g, 3)]),
    );
    let r = result(vec![vec![
        QueryValue::Path(path),
        QueryValue::Map(map),
        QueryValue::String("not a node".into()),
    ]]);
    let e3 = g.edge(EdgeId(3)).expect("edge 3");
    let mut want: Vec<u64> = vec![e0.source.0, e0.target.0, 20, e3.source.0, e3.target.0];
    want.sort();
    want.dedup();
    assert_eq!(exported(&g, &r, false), (want, vec![0, 3]));
}

#[test]
fn elements_the_query_deleted_come_from_the_result() {
    let mut g = seeds_graph();
    let gone = match node(&g, 6) {
        QueryValue::Node(n) => n,
        _ => unreachable!(),
    };
    g.detach_remove_node(NodeId(6)).expect("delete");
    let r = result(vec![vec![QueryValue::Node(gone)]]);
    let mut out = Vec::new();
    export::write_result(&g, &r, &ExportOptions::default(), Format::Json, &mut out)
        .expect("export");
    let text = String::from_utf8(out).expect("UTF-8");
    assert!(text.contains("\"Joe Biden\""), "{text}");
}

#[test]
fn an_empty_result_exports_an_empty_graph_in_every_format() {
    let g = seeds_graph();
    let r = result(vec![]);
    assert_eq!(exported(&g, &r, true), (vec![], vec![]));
    let dir = tempfile::tempdir().expect("temp dir");
    for format in Format::ALL {
        if matches!(format, Format::Svg | Format::Png) && !have_dot() {
            continue;
        }
        let dest = Destination::Path(dir.path().join(format!("out-{format}")));
        export::export_result(&g, &r, &ExportOptions::default(), format, &dest)
            .unwrap_or_else(|e| panic!("{format}: {e}"));
    }
    let nodes = std::fs::read_to_string(dir.path().join("out-csv/nodes.csv")).expect("csv");
    assert_eq!(nodes, ":ID,:LABEL\n");
}

#[test]
fn formats_parse_from_their_names() {
    for format in Format::ALL {
        assert_eq!(format.as_str().parse::<Format>().ok(), Some(format));
    }
    assert_eq!("GraphML".parse::<Format>().ok(), Some(Format::Graphml));
    assert!("xml".parse::<Format>().is_err());
}

#[test]
fn query_subgraphs_in_dot_are_accepted_by_graphviz() {
    if !have_dot() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Graphviz is missing in CI"
        );
        eprintln!("skipped: Graphviz `dot` is not installed");
        return;
    }
    let g = seeds_graph();
    let h = hostile_graph();
    let cases = [
        (&g, result(vec![vec![node(&g, 0)], vec![node(&g, 3)]]), true),
        (&g, result(vec![vec![rel(&g, 5), rel(&g, 7)]]), false),
        (&h, result(vec![vec![rel(&h, 0), node(&h, 4)]]), true),
        (&h, result(vec![]), false),
    ];
    for (graph, r, induced) in cases {
        for cluster in ["none", "label", "article"] {
            let options = ExportOptions {
                induced,
                cluster: cluster.parse().expect("cluster"),
                ..ExportOptions::default()
            };
            let mut out = Vec::new();
            export::write_result(graph, &r, &options, Format::Dot, &mut out).expect("export");
            if let Err(stderr) = dot_accepts(&out) {
                panic!("{stderr}\n{}", String::from_utf8_lossy(&out));
            }
        }
    }
}
