//! The Cypher export run back into an empty skein graph, statement by statement, through
//! `skein::query::execute`: the graph that comes out equals the original (up to the
//! documented `_skein_id` keys), and running the script a second time changes nothing.
//!
//! Until the query engine is merged into this branch the engine answers "not built yet";
//! the test then says so and checks only the script's form.

#[path = "interop/common.rs"]
mod common;

use common::*;
use skein::export::{self, ExportOptions, Format};
use skein::graph::{Graph, Properties};
use skein::query::{self, QueryOptions};

fn script(g: &Graph) -> String {
    let mut out = Vec::new();
    export::write_graph(g, &ExportOptions::default(), Format::Cypher, &mut out).expect("export");
    String::from_utf8(out).expect("UTF-8")
}

/// The script's statements: every line that is not a comment is one statement ending in `;`.
fn statements(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.starts_with("//") && !l.trim().is_empty())
        .map(|l| {
            l.strip_suffix(';')
                .expect("each statement ends its line with ;")
        })
        .collect()
}

fn engine_ready() -> bool {
    let mut g = Graph::new();
    match query::execute(&mut g, "RETURN 1", &QueryOptions::default()) {
        Ok(_) => true,
        Err(e) => {
            eprintln!("skipped running the script: the query engine says {e}");
            false
        }
    }
}

fn run(g: &mut Graph, text: &str) {
    for stmt in statements(text) {
        if let Err(e) = query::execute(g, stmt, &QueryOptions::default()) {
            panic!("{}", e.render("script", stmt, 0));
        }
    }
}

fn without_id_key(mut s: Shape) -> Shape {
    let strip = |p: &mut Properties| {
        p.remove(export::cypher::ID_KEY);
    };
    s.0.iter_mut().for_each(|(_, p)| strip(p));
    s.1.iter_mut().for_each(|(_, _, _, p)| strip(p));
    s
}

#[test]
fn the_script_has_one_statement_a_line() {
    for g in [seeds_graph(), hostile_graph()] {
        let text = script(&g);
        let n = statements(&text).len();
        assert_eq!(n, g.node_count() + g.edge_count(), "{text}");
        assert!(
            text.lines()
                .all(|l| l.starts_with("//") || l.ends_with(';'))
        );
    }
    let text = script(&seeds_graph());
    assert!(text.contains("MERGE (n:Person {name: 'Vladimir Putin'}) SET n += {aliases: ['Putin', 'Vladimir V. Putin']"), "{text}");
    let hostile = script(&hostile_graph());
    // Two Regions named Georgia cannot be told apart by name: they are keyed by id.
    assert!(
        hostile.contains(
            "MERGE (n:Region {_skein_id: 2}) SET n += {kind: 'country', name: 'Georgia'};"
        ),
        "{hostile}"
    );
    assert!(
        hostile.contains(r"MERGE (n:Person {name: 'O\'Brien "),
        "{hostile}"
    );
}

#[test]
fn the_script_recreates_the_graph_and_is_idempotent() {
    if !engine_ready() {
        return;
    }
    let mut hostile = hostile_graph();
    // Cypher cannot store a map as a property (see the map test below).
    hostile
        .set_node_property(skein::graph::NodeId(0), "nested", skein::graph::Value::Null)
        .expect("node 0");
    for (name, original) in [("seeds", seeds_graph()), ("hostile", hostile)] {
        let text = script(&original);
        let mut copy = Graph::new();
        run(&mut copy, &text);
        assert_eq!(
            without_id_key(shape(&copy)),
            without_id_key(shape(&original)),
            "{name}"
        );
        let once = shape(&copy);
        run(&mut copy, &text);
        assert_eq!(shape(&copy), once, "{name}: a second run changed the graph");
    }
}

#[test]
fn map_properties_become_json_text_with_a_note() {
    let text = script(&hostile_graph());
    assert!(
        text.contains("// note: Cypher stores no maps, so these properties of the next statement are JSON text: nested\nMERGE (n:Person"),
        "{text}"
    );
    assert!(
        text.contains(r#"nested: '{"inner key":[1,2],"q":"it\'s \\"x\\""}'"#),
        "{text}"
    );
    if !engine_ready() {
        return;
    }
    let mut copy = Graph::new();
    run(&mut copy, &text);
    let node = copy.nodes().next().expect("node 0");
    assert_eq!(
        node.props
            .get("nested")
            .and_then(skein::graph::Value::as_str),
        Some(r#"{"inner key":[1,2],"q":"it's \"x\""}"#)
    );
}
