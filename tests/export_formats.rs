//! The export formats through the built binary: DOT accepted by the real Graphviz, JSON in the
//! scorer's shape, GraphML read back whole, determinism, and rendering to SVG and PNG.

#[path = "interop/common.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use quick_xml::events::Event;
use skein::graph::{Graph, Properties, Value};

/// Skips a Graphviz test outside CI when `dot` is missing; in CI (`CI` set) it must be there.
fn need_dot() -> bool {
    if have_dot() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "Graphviz `dot` is missing in CI; .ci/run installs it"
    );
    eprintln!("skipped: Graphviz `dot` is not installed (apt-get install graphviz)");
    false
}

fn graphs() -> Vec<(&'static str, Graph)> {
    vec![
        ("seeds", seeds_graph()),
        ("hostile", hostile_graph()),
        ("empty", Graph::new()),
    ]
}

#[test]
fn every_dot_output_is_accepted_by_graphviz() {
    if !need_dot() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let variants: [&[&str]; 6] = [
        &[],
        &["--cluster", "label"],
        &["--cluster", "article"],
        &["--rankdir", "TB"],
        &["--rankdir", "rl", "--no-legend"],
        &["--cluster", "label", "--rankdir", "BT"],
    ];
    for (name, graph) in graphs() {
        let file = format!("{name}.ron");
        save(&graph, dir.path(), &file);
        for extra in variants {
            let mut args = vec!["export", "-g", &file, "-f", "dot"];
            args.extend_from_slice(extra);
            let out = skein_ok(dir.path(), &args);
            if let Err(stderr) = dot_accepts(&out.stdout) {
                panic!(
                    "dot -Tsvg rejected the {name} graph exported with {extra:?}:\n{stderr}\n{}",
                    String::from_utf8_lossy(&out.stdout)
                );
            }
        }
    }
}

#[test]
fn dot_is_deterministic_and_escapes_hostile_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    save(&hostile_graph(), dir.path(), "h.ron");
    let first = skein_ok(dir.path(), &["export", "-g", "h.ron"]).stdout;
    let second = skein_ok(dir.path(), &["export", "-g", "h.ron", "-f", "DOT"]).stdout;
    assert_eq!(first, second, "the same graph must give the same bytes");
    // A graph saved and loaded again gives the same bytes too.
    let reloaded = skein::graph::load(&dir.path().join("h.ron")).expect("loads");
    save(&reloaded, dir.path(), "h2.ron");
    let third = skein_ok(dir.path(), &["export", "-g", "h2.ron"]).stdout;
    assert_eq!(first, third);

    let text = String::from_utf8(first).expect("DOT is UTF-8");
    assert!(text.contains("charset=\"UTF-8\""));
    assert!(
        text.contains(r#"label="O'Brien \"The \\Boss\"\nSecond line\nthird\n"#),
        "quotes, backslashes and line breaks escaped:\n{text}"
    );
    assert!(
        text.contains("Владимир") || text.contains("n0 ["),
        "UTF-8 kept"
    );
    assert!(
        text.contains(r#"tooltip="He said \"no\";\nthen left \\ quickly"#),
        "edge tooltip holds the evidence:\n{text}"
    );
    assert!(
        text.contains("label=\"MET_WITH\\n2025-04-11\""),
        "type and date"
    );
    assert!(
        !text.contains('\u{7}'),
        "control characters never reach DOT"
    );
    // One style statement per label class, before its nodes.
    for style in [
        "shape=ellipse",
        "shape=box, style=\"rounded,filled\"",
        "shape=hexagon",
    ] {
        assert!(text.contains(&format!("node [{style}")), "{style}");
    }
    assert!(text.contains("subgraph cluster_legend"));
}

#[test]
fn renders_svg_and_png_through_graphviz() {
    if !need_dot() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    save(&seeds_graph(), dir.path(), "g.ron");
    skein_ok(
        dir.path(),
        &["export", "-g", "g.ron", "-f", "svg", "-o", "g.svg"],
    );
    let svg = std::fs::read_to_string(dir.path().join("g.svg")).expect("svg written");
    assert!(
        svg.contains("<svg") && svg.contains("Vladimir Putin"),
        "{svg}"
    );
    skein_ok(
        dir.path(),
        &["export", "-g", "g.ron", "-f", "png", "-o", "g.png"],
    );
    let png = std::fs::read(dir.path().join("g.png")).expect("png written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let stdout = skein_ok(dir.path(), &["export", "-g", "g.ron", "-f", "svg"]).stdout;
    assert!(String::from_utf8_lossy(&stdout).contains("<svg"));
}

#[test]
fn svg_without_graphviz_says_how_to_install_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    save(&seeds_graph(), dir.path(), "g.ron");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(["export", "-g", "g.ron", "-f", "png", "-o", "g.png"])
        .current_dir(dir.path())
        .env("PATH", dir.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("apt-get install graphviz"), "{stderr}");
    assert!(stderr.contains("brew install graphviz"), "{stderr}");
    assert!(!dir.path().join("g.png").exists(), "nothing written");
}

/// The JSON values of a property map, as the export must write them.
fn plain(props: &Properties) -> serde_json::Value {
    fn conv(v: &Value) -> serde_json::Value {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::String(s) => s.as_str().into(),
            Value::Temporal(t) => t.iso().into(),
            Value::Duration(d) => d.iso().into(),
            Value::List(items) => items.iter().map(conv).collect(),
            Value::Map(m) => {
                serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), conv(v))).collect())
            }
        }
    }
    serde_json::Value::Object(
        props
            .iter()
            .map(|(k, v)| (k.to_string(), conv(v)))
            .collect(),
    )
}

#[test]
fn json_has_exactly_the_extraction_shape() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, graph) in graphs() {
        let file = format!("{name}.ron");
        save(&graph, dir.path(), &file);
        let out = skein_ok(dir.path(), &["export", "-g", &file, "-f", "json"]).stdout;
        let doc: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
        let mut want_nodes = Vec::new();
        for n in graph.nodes() {
            want_nodes.push(serde_json::json!({
                "id": n.id.0,
                "labels": n.labels.iter().map(|l| l.to_string()).collect::<Vec<_>>(),
                "properties": plain(&n.props),
            }));
        }
        let mut want_edges = Vec::new();
        for e in graph.edges() {
            want_edges.push(serde_json::json!({
                "id": e.id.0, "type": &*e.rel_type, "source": e.source.0,
                "target": e.target.0, "properties": plain(&e.props),
            }));
        }
        let want = serde_json::json!({"nodes": want_nodes, "edges": want_edges});
        assert_eq!(doc, want, "{name}");
    }
}

#[test]
fn json_export_scores_perfectly_against_the_gold_it_was_built_from() {
    if std::process::Command::new("python3")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!("skipped: python3 is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    save(&seeds_graph(), dir.path(), "g.ron");
    skein_ok(
        dir.path(),
        &["export", "-g", "g.ron", "-f", "json", "-o", "g.json"],
    );
    let scorer = repo().join("../shared/score_gold.py");
    let out = std::process::Command::new("python3")
        .arg(&scorer)
        .arg(gold_path())
        .arg(dir.path().join("g.json"))
        .arg("--json")
        .output()
        .expect("the scorer runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout.lines().last().unwrap_or_default();
    let figures: serde_json::Value = serde_json::from_str(last).expect("the scorer's JSON line");
    for key in ["entity_p", "entity_r", "rel_p", "rel_r", "attr_acc"] {
        assert_eq!(figures[key], serde_json::json!(1.0), "{key} in {last}");
    }
}

/// What a GraphML reader gets back: node id -> (labels, props), edge id -> (source, type,
/// target, props).
type Read = (
    BTreeMap<String, (Vec<String>, Properties)>,
    BTreeMap<String, (String, String, String, Properties)>,
);

/// Reads GraphML the way a generic tool would: typed keys, JSON-encoded keys marked by
/// their `<desc>`.
fn read_graphml(text: &str) -> Read {
    #[derive(Clone)]
    struct Key {
        name: String,
        kind: String,
        json: bool,
    }
    let mut keys: BTreeMap<String, Key> = BTreeMap::new();
    let mut reader = quick_xml::Reader::from_str(text);
    let mut nodes = BTreeMap::new();
    let mut edges = BTreeMap::new();
    let mut current_key: Option<String> = None;
    let mut in_desc = false;
    let mut data_key: Option<String> = None;
    let mut text_buf = String::new();
    let mut element: Option<(bool, String, String, String)> = None;
    let mut labels = String::new();
    let mut rel_type = String::new();
    let mut props = Properties::new();
    let attr = |e: &quick_xml::events::BytesStart, name: &str| -> String {
        e.attributes()
            .flatten()
            .find(|a| AsRef::<str>::as_ref(&a.key) == name)
            .map(|a| {
                a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .expect("attribute")
                    .to_string()
            })
            .unwrap_or_default()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "key" => {
                let id = attr(&e, "id");
                keys.insert(
                    id.clone(),
                    Key {
                        name: attr(&e, "attr.name"),
                        kind: attr(&e, "attr.type"),
                        json: false,
                    },
                );
                current_key = Some(id);
            }
            Event::Start(e) if e.name().as_ref() == "desc" => in_desc = true,
            Event::Start(e) if e.name().as_ref() == "node" => {
                element = Some((true, attr(&e, "id"), String::new(), String::new()));
            }
            Event::Start(e) if e.name().as_ref() == "edge" => {
                element = Some((
                    false,
                    attr(&e, "id"),
                    attr(&e, "source"),
                    attr(&e, "target"),
                ));
            }
            Event::Start(e) if e.name().as_ref() == "data" => {
                data_key = Some(attr(&e, "key"));
                text_buf.clear();
            }
            Event::Text(t) => {
                let s = t.xml10_content().to_string();
                if in_desc {
                    if let Some(k) = current_key.as_ref().and_then(|k| keys.get_mut(k)) {
                        k.json = s == skein::export::graphml::JSON_DESC;
                    }
                } else if data_key.is_some() {
                    text_buf.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = r.resolve_char_ref().expect("character reference") {
                    text_buf.push(c);
                    continue;
                }
                let name = r.xml10_content().to_string();
                let c = match name.as_str() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    other => panic!("unknown entity {other}"),
                };
                text_buf.push_str(&c);
            }
            Event::End(e) if e.name().as_ref() == "desc" => in_desc = false,
            Event::End(e) if e.name().as_ref() == "data" => {
                let key = data_key.take().unwrap_or_default();
                let value = std::mem::take(&mut text_buf);
                match key.as_str() {
                    "labels" => labels = value,
                    "type" => rel_type = value,
                    _ => {
                        let k = keys.get(&key).expect("declared key").clone();
                        let v = if k.json {
                            from_json(serde_json::from_str(&value).expect("JSON value"))
                        } else {
                            match k.kind.as_str() {
                                "long" => Value::Int(value.parse().expect("long")),
                                "double" => Value::Float(match value.as_str() {
                                    "INF" => f64::INFINITY,
                                    "-INF" => f64::NEG_INFINITY,
                                    v => v.parse().expect("double"),
                                }),
                                "boolean" => Value::Bool(value == "true"),
                                _ => Value::from(value),
                            }
                        };
                        props.insert(k.name, v);
                    }
                }
            }
            Event::End(e) if e.name().as_ref() == "node" || e.name().as_ref() == "edge" => {
                let (is_node, id, s, t) = element.take().expect("inside an element");
                let p = std::mem::take(&mut props);
                if is_node {
                    let ls = labels
                        .split(':')
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect();
                    nodes.insert(id, (ls, p));
                } else {
                    edges.insert(id, (s, std::mem::take(&mut rel_type), t, p));
                }
                labels.clear();
            }
            _ => {}
        }
    }
    (nodes, edges)
}

fn from_json(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::from(s),
        serde_json::Value::Array(a) => Value::List(a.into_iter().map(from_json).collect()),
        serde_json::Value::Object(m) => {
            Value::Map(m.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

/// XML 1.0 cannot hold most control characters; the export writes U+FFFD for them in plain
/// string keys (JSON-encoded keys keep them as `\u0007` escapes).
fn xml_safe(props: &Properties) -> Properties {
    fn fix(v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(
                s.chars()
                    .map(|c| {
                        if c < ' ' && !matches!(c, '\t' | '\n' | '\r') {
                            '\u{fffd}'
                        } else {
                            c
                        }
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    props.iter().map(|(k, v)| (k, fix(v))).collect()
}

#[test]
fn graphml_parses_back_with_every_node_edge_and_property() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, graph) in graphs() {
        let file = format!("{name}.ron");
        save(&graph, dir.path(), &file);
        let out = skein_ok(dir.path(), &["export", "-g", &file, "-f", "graphml"]).stdout;
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(text.contains("attr.type=\"long\"") || name == "empty");
        let (nodes, edges) = read_graphml(&text);
        assert_eq!(nodes.len(), graph.node_count(), "{name}");
        assert_eq!(edges.len(), graph.edge_count(), "{name}");
        for n in graph.nodes() {
            let got = &nodes[&format!("n{}", n.id)];
            let labels: Vec<String> = n.labels.iter().map(|l| l.to_string()).collect();
            assert_eq!(got.0, labels, "{name} node {}", n.id);
            assert_eq!(got.1, xml_safe(&n.props), "{name} node {}", n.id);
        }
        for e in graph.edges() {
            let got = &edges[&format!("e{}", e.id)];
            assert_eq!(got.0, format!("n{}", e.source));
            assert_eq!(got.1, &*e.rel_type);
            assert_eq!(got.2, format!("n{}", e.target));
            assert_eq!(got.3, xml_safe(&e.props), "{name} edge {}", e.id);
        }
    }
}

#[test]
fn every_format_is_deterministic() {
    let dir = tempfile::tempdir().expect("temp dir");
    save(&hostile_graph(), dir.path(), "h.ron");
    for format in ["dot", "json", "graphml", "cypher"] {
        let a = skein_ok(dir.path(), &["export", "-g", "h.ron", "-f", format]).stdout;
        let b = skein_ok(
            dir.path(),
            &["export", "-g", "h.ron", "-f", format, "-o", "x"],
        );
        assert!(b.stdout.is_empty());
        assert_eq!(
            a,
            std::fs::read(dir.path().join("x")).expect("written"),
            "{format}"
        );
    }
    skein_ok(
        dir.path(),
        &["export", "-g", "h.ron", "-f", "csv", "-o", "c1"],
    );
    skein_ok(
        dir.path(),
        &["export", "-g", "h.ron", "-f", "csv", "-o", "c2"],
    );
    for f in ["nodes.csv", "edges.csv"] {
        let read = |d: &str| std::fs::read(dir.path().join(d).join(f)).expect("csv written");
        assert_eq!(read("c1"), read("c2"), "{f}");
    }
    let _ = Path::new(".");
}
