//! How fast the shell's own work is: splitting a long script into statements and rendering
//! a large result as a table, JSON lines and CSV. Query and ingestion costs have their own
//! benches.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use skein::graph::{EdgeId, NodeId, Properties, Value};
use skein::query::{NodeValue, QueryResult, QueryValue, RelValue};
use skein::repl::render::{self, Format};
use skein::repl::split::split;

/// A script of 20,000 statements with strings, comments and meta-commands (about 2 MB).
fn long_script() -> String {
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!(
            "// statement {i}; with a semicolon in a comment\n\
             MATCH (p:Person {{name: 'Person {i}; not the end'}})-[r:MET_WITH]->(q)\n\
             /* a block ; comment */ RETURN p.name, q.name, r.date ORDER BY r.date;\n"
        ));
        if i % 100 == 0 {
            text.push_str(":format table\n");
        }
    }
    text
}

/// 10,000 rows of a node, a relationship with provenance, a string and a number.
fn large_result() -> QueryResult {
    let rows = (0..10_000u64)
        .map(|i| {
            let mut node_props = Properties::new();
            node_props.insert("name", Value::from(format!("Person number {i}")));
            node_props.insert("mentions", Value::Int(i as i64));
            let mut rel_props = Properties::new();
            rel_props.insert("date", Value::from("2025-04-11"));
            rel_props.insert(
                "evidence",
                Value::from("Witkoff and Putin concluded talks in St. Petersburg on April 11."),
            );
            vec![
                QueryValue::Node(NodeValue {
                    id: NodeId(i),
                    labels: vec!["Person".into()],
                    props: node_props,
                }),
                QueryValue::Relationship(RelValue {
                    id: EdgeId(i),
                    rel_type: "MET_WITH".into(),
                    source: NodeId(i),
                    target: NodeId(i + 1),
                    props: rel_props,
                }),
                QueryValue::String(format!("Zoë «{i}» \"quoted\"")),
                QueryValue::Float(i as f64 / 3.0),
            ]
        })
        .collect();
    QueryResult {
        columns: vec!["p".into(), "r".into(), "note".into(), "score".into()],
        rows,
        stats: Default::default(),
    }
}

fn bench(c: &mut Criterion) {
    let script = long_script();
    c.bench_function("split 20k-statement script", |b| {
        b.iter(|| split(black_box(&script)).items.len())
    });
    let result = large_result();
    for (name, format, width) in [
        ("table", Format::Table, None),
        ("table cut to 100 columns", Format::Table, Some(100)),
        ("json", Format::Json, None),
        ("csv", Format::Csv, None),
    ] {
        c.bench_function(&format!("render 10k rows as {name}"), |b| {
            b.iter(|| render::render(black_box(&result), format, width, None).len())
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
