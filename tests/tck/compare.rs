//! Compares what a query returned with what a TCK scenario expects: single values (nodes and
//! relationships by labels, type and properties, never by id), and whole result tables in any
//! order or in order.
//!
//! It must never call a mismatch a match: floats get only a rounding tolerance, and `1` is
//! not `1.0`.

use std::collections::BTreeMap;

use skein::graph::Properties;
use skein::query::{NodeValue, PathValue, QueryResult, QueryValue, RelValue};

use super::value::{Expected, ExpectedNode, ExpectedRel};

/// How to compare a result table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableMode {
    /// Rows must come in the listed order.
    pub ordered: bool,
    /// Lists compare as multisets (the TCK's "ignoring element order for lists").
    pub unordered_lists: bool,
}

/// Whether `got` is the value the TCK expects.
pub fn value_matches(expected: &Expected, got: &QueryValue, unordered_lists: bool) -> bool {
    match (expected, got) {
        (Expected::Null, QueryValue::Null) => true,
        (Expected::Bool(a), QueryValue::Bool(b)) => a == b,
        (Expected::Int(a), QueryValue::Int(b)) => a == b,
        (Expected::Float(a), QueryValue::Float(b)) => floats_match(*a, *b),
        (Expected::String(a), QueryValue::String(b)) => a == b,
        (Expected::List(a), QueryValue::List(b)) => lists_match(a, b, unordered_lists),
        (Expected::Map(a), QueryValue::Map(b)) => {
            a.len() == b.len()
                && a.iter().all(|(k, v)| {
                    b.get(k)
                        .is_some_and(|got| value_matches(v, got, unordered_lists))
                })
        }
        (Expected::Node(a), QueryValue::Node(b)) => node_matches(a, b),
        (Expected::Rel(a), QueryValue::Relationship(b)) => rel_matches(a, b),
        (Expected::Path { start, hops }, QueryValue::Path(path)) => path_matches(start, hops, path),
        _ => false,
    }
}

/// Floats as the TCK prints them: equal, both NaN, or equal up to rounding in the last
/// digits of a printed decimal.
fn floats_match(expected: f64, got: f64) -> bool {
    if expected.is_nan() || got.is_nan() {
        return expected.is_nan() && got.is_nan();
    }
    if expected == got {
        return true;
    }
    if expected.is_infinite() || got.is_infinite() {
        return false;
    }
    let scale = expected.abs().max(got.abs());
    (expected - got).abs() <= scale * 1e-12
}

fn lists_match(expected: &[Expected], got: &[QueryValue], unordered: bool) -> bool {
    if expected.len() != got.len() {
        return false;
    }
    if !unordered {
        return expected
            .iter()
            .zip(got)
            .all(|(e, g)| value_matches(e, g, unordered));
    }
    let edges: Vec<Vec<usize>> = expected
        .iter()
        .map(|e| {
            (0..got.len())
                .filter(|&j| value_matches(e, &got[j], unordered))
                .collect()
        })
        .collect();
    perfect_matching(&edges, got.len())
}

fn props_match(expected: &BTreeMap<String, Expected>, got: &Properties) -> bool {
    expected.len() == got.len()
        && expected.iter().all(|(k, v)| {
            got.get(k)
                .is_some_and(|g| value_matches(v, &QueryValue::from(g.clone()), false))
        })
}

fn node_matches(expected: &ExpectedNode, got: &NodeValue) -> bool {
    let mut labels: Vec<&str> = got.labels.iter().map(String::as_str).collect();
    labels.sort_unstable();
    labels.dedup();
    labels.len() == expected.labels.len()
        && labels.iter().all(|l| expected.labels.contains(*l))
        && props_match(&expected.props, &got.props)
}

fn rel_matches(expected: &ExpectedRel, got: &RelValue) -> bool {
    expected.rel_type == got.rel_type && props_match(&expected.props, &got.props)
}

fn path_matches(start: &ExpectedNode, hops: &[super::value::ExpectedHop], got: &PathValue) -> bool {
    if got.nodes.len() != hops.len() + 1 || got.rels.len() != hops.len() {
        return false;
    }
    if !node_matches(start, &got.nodes[0]) {
        return false;
    }
    hops.iter().enumerate().all(|(i, hop)| {
        let (from, to, rel) = (&got.nodes[i], &got.nodes[i + 1], &got.rels[i]);
        let direction_ok = if hop.forward {
            rel.source == from.id && rel.target == to.id
        } else {
            rel.source == to.id && rel.target == from.id
        };
        direction_ok && rel_matches(&hop.rel, rel) && node_matches(&hop.node, to)
    })
}

/// Whether every left item can be paired with a distinct right item it is linked to
/// (Kuhn's augmenting paths); `edges[i]` lists the right items left item `i` matches.
fn perfect_matching(edges: &[Vec<usize>], n_right: usize) -> bool {
    if edges.len() != n_right {
        return false;
    }
    let mut owner: Vec<Option<usize>> = vec![None; n_right];
    for left in 0..edges.len() {
        let mut seen = vec![false; n_right];
        if !augment(left, edges, &mut owner, &mut seen) {
            return false;
        }
    }
    true
}

fn augment(
    left: usize,
    edges: &[Vec<usize>],
    owner: &mut [Option<usize>],
    seen: &mut [bool],
) -> bool {
    for &right in &edges[left] {
        if seen[right] {
            continue;
        }
        seen[right] = true;
        let free = match owner[right] {
            None => true,
            Some(other) => augment(other, edges, owner, seen),
        };
        if free {
            owner[right] = Some(left);
            return true;
        }
    }
    false
}

/// Longest stretch of a value or row shown in a failure message.
const SHOW_MAX: usize = 200;

/// Cuts long text for a one-line failure message.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}...")
}

fn show_expected_row(row: &[Expected]) -> String {
    let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
    truncate(&format!("| {} |", cells.join(" | ")), SHOW_MAX)
}

fn show_row(row: &[&QueryValue]) -> String {
    let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
    truncate(&format!("| {} |", cells.join(" | ")), SHOW_MAX)
}

/// Checks a whole result table against the expected header and rows; the error says what
/// differs first (columns, row count, or the first row that has no counterpart).
pub fn compare_table(
    header: &[String],
    expected: &[Vec<Expected>],
    got: &QueryResult,
    mode: TableMode,
) -> Result<(), String> {
    // Columns are matched by name, so that a table header in another order still compares.
    let mut positions = Vec::with_capacity(header.len());
    for name in header {
        match got.columns.iter().position(|c| c == name) {
            Some(i) => positions.push(i),
            None => {
                return Err(format!(
                    "wrong columns: expected {header:?}, got {:?}",
                    got.columns
                ));
            }
        }
    }
    if got.columns.len() != header.len() {
        return Err(format!(
            "wrong columns: expected {header:?}, got {:?}",
            got.columns
        ));
    }
    let mut rows: Vec<Vec<&QueryValue>> = Vec::with_capacity(got.rows.len());
    for (i, row) in got.rows.iter().enumerate() {
        let picked: Option<Vec<&QueryValue>> = positions.iter().map(|&p| row.get(p)).collect();
        match picked {
            Some(picked) => rows.push(picked),
            None => {
                return Err(format!(
                    "row {} has {} values for {} columns",
                    i + 1,
                    row.len(),
                    got.columns.len()
                ));
            }
        }
    }
    if rows.len() != expected.len() {
        let first_extra = rows
            .get(expected.len())
            .map(|r| format!("; first extra row {}", show_row(r)))
            .unwrap_or_default();
        let first_missing = expected
            .get(rows.len())
            .map(|r| format!("; first missing row {}", show_expected_row(r)))
            .unwrap_or_default();
        return Err(format!(
            "wrong row count: expected {}, got {}{first_extra}{first_missing}",
            expected.len(),
            rows.len()
        ));
    }
    let row_matches = |e: &[Expected], g: &[&QueryValue]| {
        e.len() == g.len()
            && e.iter()
                .zip(g)
                .all(|(e, g)| value_matches(e, g, mode.unordered_lists))
    };
    if mode.ordered {
        for (i, (e, g)) in expected.iter().zip(&rows).enumerate() {
            if !row_matches(e, g) {
                return Err(format!(
                    "row {} differs: expected {}, got {}",
                    i + 1,
                    show_expected_row(e),
                    show_row(g)
                ));
            }
        }
        return Ok(());
    }
    let edges: Vec<Vec<usize>> = expected
        .iter()
        .map(|e| {
            (0..rows.len())
                .filter(|&j| row_matches(e, &rows[j]))
                .collect()
        })
        .collect();
    if let Some(i) = edges.iter().position(Vec::is_empty) {
        let shown: Vec<String> = rows.iter().take(5).map(|r| show_row(r)).collect();
        return Err(format!(
            "expected row {} not found: {}; got {}",
            i + 1,
            show_expected_row(&expected[i]),
            truncate(&shown.join(" "), 2 * SHOW_MAX)
        ));
    }
    if !perfect_matching(&edges, rows.len()) {
        return Err("rows match only with repeats: a row is missing and another doubled".into());
    }
    Ok(())
}
