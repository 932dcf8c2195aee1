//! Graphs and helpers shared by the export and import tests: a graph shaped like the one
//! ingestion makes of the seed articles (built from the gold file with the `Graph` API), a
//! graph of hostile names and values, a structural comparison, and a runner for the binary.
//! Included with `#[path]` by each test file; it never writes outside the temp dirs it is given.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use skein::graph::{Graph, NodeId, Properties, Value};

/// The repository root, where `seeds/` and `../shared/` are found.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn gold_path() -> PathBuf {
    repo().join("../shared/seeds/gold.json")
}

fn props(entries: &[(&str, Value)]) -> Properties {
    entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// Titles and kinds as ingestion would record them, for a graph that looks real.
fn extra_props(label: &str, name: &str) -> Vec<(&'static str, Value)> {
    let title = match name {
        "Vladimir Putin" => Some("Russian President"),
        "Dmitry Peskov" => Some("Kremlin spokesperson"),
        "Steve Witkoff" => Some("U.S. Special Envoy"),
        "Donald Trump" => Some("United States President"),
        "Sergey Lavrov" => Some("Russian Foreign Minister"),
        "Kirill Dmitriev" => Some("head of the Russian Direct Investment Fund"),
        _ => None,
    };
    let kind = match name {
        "Russia" | "Ukraine" | "United States" | "Turkiye" => Some("country"),
        "St. Petersburg" | "Washington" | "Kyiv" | "Moscow" => Some("city"),
        _ if label == "Region" => Some("province"),
        _ => None,
    };
    let mut out = Vec::new();
    if let Some(t) = title {
        out.push(("titles", Value::from(vec![t])));
    }
    if let Some(k) = kind {
        out.push(("kind", Value::from(k)));
    }
    out
}

/// The seeds graph: the gold file's entities and relations as ingestion would store them.
pub fn seeds_graph() -> Graph {
    let text =
        std::fs::read_to_string(gold_path()).expect("the gold file ../shared/seeds/gold.json");
    let gold: serde_json::Value = serde_json::from_str(&text).expect("gold.json is JSON");
    let articles: Vec<&str> = gold["articles"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let mut graph = Graph::new();
    let mut ids: Vec<(String, NodeId)> = Vec::new();
    for (i, e) in gold["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let name = e["name"].as_str().unwrap_or_default();
        let label = e["label"].as_str().unwrap_or("Person");
        let aliases: Vec<&str> = e["aliases"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let article = articles
            .get(i % articles.len().max(1))
            .copied()
            .unwrap_or("a");
        let mut p = props(&[
            ("name", Value::from(name)),
            ("articles", Value::from(vec![article])),
            ("mentions", Value::Int(1 + (i as i64 % 4))),
        ]);
        if !aliases.is_empty() {
            p.insert("aliases", Value::from(aliases));
        }
        for (k, v) in extra_props(label, name) {
            p.insert(k, v);
        }
        let id = graph.add_node([label], p);
        ids.push((name.to_string(), id));
    }
    let find = |names: &serde_json::Value| -> Option<NodeId> {
        let first = names.as_array()?.first()?.as_str()?;
        ids.iter().find(|(n, _)| n == first).map(|(_, id)| *id)
    };
    for (i, r) in gold["relations"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let (Some(s), Some(t)) = (find(&r["source"]), find(&r["target"])) else {
            continue;
        };
        let article = articles
            .get(i % articles.len().max(1))
            .copied()
            .unwrap_or("a");
        let evidence = r["evidence"].as_str().unwrap_or("");
        let mut p = props(&[
            ("article", Value::from(article)),
            ("articles", Value::from(vec![article])),
            ("evidence", Value::from(evidence)),
            ("evidences", Value::from(vec![evidence])),
            ("rule", Value::from("gold")),
            ("rules", Value::from(vec!["gold"])),
            ("mentions", Value::Int(1 + (i as i64 % 3))),
        ]);
        for key in ["date", "place"] {
            if let Some(v) = r[key].as_str() {
                p.insert(key, Value::from(v));
            }
        }
        let rel_type = r["type"].as_str().unwrap_or("RELATED");
        graph.add_edge(s, rel_type, t, p).expect("both ends exist");
    }
    graph
}

/// A graph whose names and values try to break every format: quotes, backslashes, line
/// breaks, control characters, delimiters, markup, Unicode, odd keys and labels, every value
/// type, duplicate names, a nameless node, parallel edges and a self-loop.
pub fn hostile_graph() -> Graph {
    let mut g = Graph::new();
    let mut map = std::collections::BTreeMap::new();
    map.insert("inner key".to_string(), Value::from(vec![1i64, 2]));
    map.insert("q".to_string(), Value::from("it's \"x\""));
    let a = g.add_node(
        ["Person"],
        props(&[
            (
                "name",
                Value::from("O'Brien \"The \\Boss\"\nSecond line\r\nthird"),
            ),
            (
                "aliases",
                Value::from(vec!["a;b", "c,d", "e\\f", "\"q\"", "línea\nnueva"]),
            ),
            (
                "titles",
                Value::from(vec!["Président <&> du \u{0007} conseil"]),
            ),
            ("score", Value::Float(1.5)),
            ("big", Value::Int(i64::MIN)),
            ("flag", Value::Bool(true)),
            ("empty", Value::from("")),
            ("nothing", Value::List(vec![])),
            (
                "mixed",
                Value::List(vec![Value::Int(1), Value::from("one"), Value::Float(1.0)]),
            ),
            ("nested", Value::Map(map)),
            ("key with space", Value::from("tab\there")),
            ("ключ", Value::from("Владимир Путин 🇷🇺 عربي")),
        ]),
    );
    let b = g.add_node(
        ["Organization", "Media Outlet"],
        props(&[
            ("name", Value::from("}]; DROP -- {x}`y`")),
            ("score", Value::Float(-0.0)),
            ("flag", Value::Bool(false)),
            ("empty", Value::from("nonempty")),
        ]),
    );
    // Two nodes with the same name and label: names alone cannot tell them apart.
    let c = g.add_node(
        ["Region"],
        props(&[
            ("name", Value::from("Georgia")),
            ("kind", Value::from("country")),
        ]),
    );
    let d = g.add_node(
        ["Region"],
        props(&[
            ("name", Value::from("Georgia")),
            ("kind", Value::from("province")),
        ]),
    );
    // A nameless node with an odd label.
    let e = g.add_node(["Weird`Label"], props(&[("x", Value::Int(7))]));
    let f = g.add_node(Vec::<&str>::new(), Properties::new());
    let edge = |s: &str| {
        props(&[
            ("date", Value::from("2025-04-11")),
            ("evidence", Value::from(s)),
            ("evidences", Value::from(vec![s, "second; with delimiter"])),
        ])
    };
    g.add_edge(
        a,
        "MET_WITH",
        b,
        edge("He said \"no\";\nthen left \\ quickly"),
    )
    .expect("edge");
    // Parallel edges where one's properties are a subset of the other's.
    g.add_edge(
        a,
        "CRITICIZED",
        c,
        props(&[("date", Value::from("2025-04-12"))]),
    )
    .expect("edge");
    g.add_edge(
        a,
        "CRITICIZED",
        c,
        props(&[
            ("date", Value::from("2025-04-12")),
            ("place", Value::from("Tbilisi")),
        ]),
    )
    .expect("edge");
    g.add_edge(a, "CRITICIZED", c, Properties::new())
        .expect("edge");
    g.add_edge(c, "LOCATED_IN", d, Properties::new())
        .expect("edge");
    g.add_edge(d, "LOCATED_IN", c, Properties::new())
        .expect("edge");
    g.add_edge(e, "REL WITH SPACE", f, props(&[("w", Value::Float(0.1))]))
        .expect("edge");
    g.add_edge(e, "SELF", e, Properties::new()).expect("edge");
    g
}

/// A comparable form of a graph without its ids: nodes in id order as (labels, properties),
/// edges in id order as (source position, type, target position, properties).
pub type Shape = (
    Vec<(Vec<String>, Properties)>,
    Vec<(usize, String, usize, Properties)>,
);

pub fn shape(g: &Graph) -> Shape {
    let order: Vec<NodeId> = g.nodes().map(|n| n.id).collect();
    let pos = |id: NodeId| order.iter().position(|x| *x == id).unwrap_or(usize::MAX);
    let nodes = g
        .nodes()
        .map(|n| {
            (
                n.labels.iter().map(|l| l.to_string()).collect(),
                n.props.clone(),
            )
        })
        .collect();
    let edges = g
        .edges()
        .map(|e| {
            (
                pos(e.source),
                e.rel_type.to_string(),
                pos(e.target),
                e.props.clone(),
            )
        })
        .collect();
    (nodes, edges)
}

/// Runs the built binary in `dir` and returns its output.
pub fn skein(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(args)
        .current_dir(dir)
        .env_remove("SKEIN_GRAPH")
        .output()
        .expect("the skein binary runs")
}

/// Runs the binary and fails the test with both streams when it does not succeed.
pub fn skein_ok(dir: &Path, args: &[&str]) -> Output {
    let out = skein(dir, args);
    assert!(
        out.status.success(),
        "skein {args:?} failed in {}\nstdout:\n{}\nstderr:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Saves a graph as `name` in `dir`.
pub fn save(g: &Graph, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    skein::graph::save(g, &path).expect("the graph saves");
    path
}

/// Whether Graphviz's `dot` can be run.
pub fn have_dot() -> bool {
    Command::new("dot").arg("-V").output().is_ok()
}

/// Runs `dot -Tsvg` on DOT text; returns stderr on failure.
pub fn dot_accepts(dot: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let input = dot.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = feeder.join();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() && !stderr.contains("rror") {
        Ok(out.stdout)
    } else {
        Err(stderr)
    }
}
