//! Side effects as the TCK counts them: the difference between snapshots of the graph taken
//! before and after a query, in nodes, relationships, label names and property entries.
//!
//! It reads the graph only through `Graph`'s public methods and never changes it.

use std::collections::{BTreeMap, BTreeSet};

use skein::graph::Graph;

/// The side-effect keys of the TCK, in the order they are reported.
pub const KEYS: [&str; 8] = [
    "+nodes",
    "-nodes",
    "+relationships",
    "-relationships",
    "+properties",
    "-properties",
    "+labels",
    "-labels",
];

/// What the TCK compares: element ids, the label names in use anywhere in the graph, and
/// every property as (element, key, printed value), so that overwriting a value counts as
/// one property removed and one set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    nodes: BTreeSet<u64>,
    rels: BTreeSet<u64>,
    labels: BTreeSet<String>,
    props: BTreeSet<(bool, u64, String, String)>,
}

pub fn snapshot(graph: &Graph) -> Snapshot {
    let mut snap = Snapshot::default();
    for node in graph.nodes() {
        snap.nodes.insert(node.id.0);
        snap.labels
            .extend(node.labels.iter().map(|l| l.to_string()));
        for (k, v) in &node.props {
            snap.props
                .insert((true, node.id.0, k.to_string(), v.to_string()));
        }
    }
    for edge in graph.edges() {
        snap.rels.insert(edge.id.0);
        for (k, v) in &edge.props {
            snap.props
                .insert((false, edge.id.0, k.to_string(), v.to_string()));
        }
    }
    snap
}

/// Counts per key (every key of `KEYS` present, zero when nothing changed).
pub type SideEffects = BTreeMap<&'static str, usize>;

pub fn diff(before: &Snapshot, after: &Snapshot) -> SideEffects {
    fn added<T: Ord>(from: &BTreeSet<T>, to: &BTreeSet<T>) -> usize {
        to.difference(from).count()
    }
    let counts = [
        added(&before.nodes, &after.nodes),
        added(&after.nodes, &before.nodes),
        added(&before.rels, &after.rels),
        added(&after.rels, &before.rels),
        added(&before.props, &after.props),
        added(&after.props, &before.props),
        added(&before.labels, &after.labels),
        added(&after.labels, &before.labels),
    ];
    KEYS.iter().copied().zip(counts).collect()
}

/// Reads the TCK's side-effects table (`| +nodes | 1 |` rows); keys not listed are zero.
pub fn parse_expected(rows: &[Vec<String>]) -> Result<SideEffects, String> {
    let mut expected: SideEffects = KEYS.iter().map(|&k| (k, 0)).collect();
    for row in rows {
        let [key, count] = row.as_slice() else {
            return Err(format!(
                "a side-effects row needs a key and a count, got {row:?}"
            ));
        };
        let Some(&key) = KEYS.iter().find(|k| **k == key.as_str()) else {
            return Err(format!("unknown side effect `{key}`"));
        };
        let count: usize = count.parse().map_err(|_| {
            format!("side effect `{key}` has a count that is not a number: `{count}`")
        })?;
        expected.insert(key, count);
    }
    Ok(expected)
}

/// `+nodes 1, -labels 2`: the non-zero counts, or `none`.
pub fn describe(effects: &SideEffects) -> String {
    let parts: Vec<String> = KEYS
        .iter()
        .filter_map(|k| {
            let n = effects.get(k).copied().unwrap_or(0);
            (n > 0).then(|| format!("{k} {n}"))
        })
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}
