//! The Cypher export: a script that recreates the graph in Neo4j, Memgraph or skein itself,
//! and that changes nothing when run a second time.
//!
//! Conventions:
//! - One statement a line, ending with `;`; strings are single-quoted with backslash escapes
//!   (`\'`, `\\`, `\n`, `\uXXXX`), so no statement spans two lines. Lines starting with `//`
//!   are comments.
//! - A node is merged on its labels and its `name` when no other exported node with the same
//!   name could match the same pattern: `MERGE (n:Person {name: 'Vladimir Putin'}) SET n +=
//!   {aliases: ['Putin']};`. A node without a name, or whose name pattern would also match
//!   another exported node, is merged on a `_skein_id` property holding its skein id, which the
//!   script leaves in place (removing it would make a second run create the node again).
//! - A relationship is merged between its end nodes (found by the same keys) on its type and
//!   all its properties: `MATCH (a:Person {name: 'A'}) MATCH (b:Region {name: 'B'}) MERGE
//!   (a)-[:LEADS {date: '2025-04-11'}]->(b);`. When another exported relationship of the same
//!   type between the same nodes holds all of its properties, a `_skein_id` joins the key so
//!   the two stay apart.
//! - Only Neo4j syntax is used. Cypher cannot store a map as a property (neither Neo4j nor
//!   skein's engine), though skein's store can hold one: such a value is written as its JSON
//!   text, with a `// note:` comment before the statement naming the property. Neo4j also
//!   refuses lists of mixed types, which skein's engine accepts; those are written as they are.
//!
//! The writer streams and never changes the graph it exports.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use super::json::PlainValue;
use super::scope::Scope;
use crate::graph::{Edge, EdgeId, Node, NodeId, Value, fold_name, write_key};

/// The property that keys nodes and relationships which have no unique natural key.
pub const ID_KEY: &str = "_skein_id";

/// Writes the scope as a Cypher script.
pub fn write(scope: &Scope<'_>, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "// skein export: {} nodes, {} relationships.",
        scope.node_count(),
        scope.edge_count()
    )?;
    out.write_all(
        b"// Nodes are merged on their labels and name, relationships on their end nodes, type and\n\
// properties: running this script twice changes nothing. For a large graph in Neo4j, create\n\
// an index on :Label(name) for each label first.\n",
    )?;
    // Each node's pattern after its variable (`:Person {name: 'X'})`), decided and escaped
    // once in the node pass and reused by every edge that touches the node.
    let mut patterns: HashMap<NodeId, Box<str>> = HashMap::with_capacity(scope.node_count());
    let mut line = String::new();
    let mut pattern = String::new();
    // Properties of the statement at hand that Cypher cannot store as they are.
    let mut notes: Vec<String> = Vec::new();
    for node in scope.nodes() {
        let key = key_of(scope, node);
        pattern.clear();
        node_pattern(&mut pattern, node, &key);
        line.clear();
        notes.clear();
        line.push_str("MERGE (n");
        line.push_str(&pattern);
        let mut rest = node
            .props
            .iter()
            .filter(|(k, _)| !(matches!(key, NodeKey::Name(_)) && *k == "name"))
            .peekable();
        if rest.peek().is_some() {
            line.push_str(" SET n += ");
            write_props(&mut line, rest, &mut notes);
        }
        line.push_str(";\n");
        write_notes(out, &notes)?;
        out.write_all(line.as_bytes())?;
        patterns.insert(node.id, pattern.as_str().into());
    }
    // The edges that share their (source, target, type) with another exported edge: only
    // they can need a `_skein_id`. Found by sorting, which is far cheaper than probing a map
    // of a million keys, and usually empty.
    let mut triples: Vec<(NodeId, NodeId, &str, EdgeId)> = scope
        .edges()
        .map(|e| (e.source, e.target, &*e.rel_type, e.id))
        .collect();
    triples.sort_unstable();
    let mut shared: HashSet<EdgeId> = HashSet::new();
    for pair in triples.windows(2) {
        if pair[0].0 == pair[1].0 && pair[0].1 == pair[1].1 && pair[0].2 == pair[1].2 {
            shared.insert(pair[0].3);
            shared.insert(pair[1].3);
        }
    }
    drop(triples);
    for edge in scope.edges() {
        let (Some(source), Some(target)) = (patterns.get(&edge.source), patterns.get(&edge.target))
        else {
            continue;
        };
        line.clear();
        notes.clear();
        line.push_str("MATCH (a");
        line.push_str(source);
        line.push_str(" MATCH (b");
        line.push_str(target);
        line.push_str(" MERGE (a)-[:");
        let _ = write_key(&mut line, &edge.rel_type);
        let id_value = Value::Int(edge.id.0 as i64);
        let needs_id =
            !shared.is_empty() && shared.contains(&edge.id) && edge_needs_id(scope, edge);
        if !edge.props.is_empty() || needs_id {
            line.push(' ');
            let id_entry = needs_id.then_some((ID_KEY, &id_value));
            write_props(&mut line, edge.props.iter().chain(id_entry), &mut notes);
        }
        line.push_str("]->(b);\n");
        write_notes(out, &notes)?;
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// How a node is found by the script.
enum NodeKey<'a> {
    Name(&'a str),
    Id,
}

/// A node is keyed by name unless another exported node's labels include all of its labels
/// and it has the same name: then `MERGE (:Label {name})` could bind to either.
fn key_of<'a>(scope: &Scope<'_>, node: &'a Node) -> NodeKey<'a> {
    let Some(name) = node.name() else {
        return NodeKey::Id;
    };
    if fold_name(name).is_empty() {
        // Such a name is not in the name index, so uniqueness cannot be checked cheaply.
        return NodeKey::Id;
    }
    let clash = scope
        .graph()
        .find_by_name(None, name)
        .into_iter()
        .filter(|id| *id != node.id)
        .filter_map(|id| scope.node(id))
        .any(|other| {
            other.name() == Some(name) && node.labels.iter().all(|l| other.labels.contains(l))
        });
    if clash {
        NodeKey::Id
    } else {
        NodeKey::Name(name)
    }
}

/// A node pattern after its variable: `:Label {name: '...'})` or `:Label {_skein_id: 7})`.
fn node_pattern(line: &mut String, node: &Node, key: &NodeKey<'_>) {
    for label in &node.labels {
        line.push(':');
        let _ = write_key(line, label);
    }
    match key {
        NodeKey::Name(name) => {
            line.push_str(" {name: ");
            push_string(line, name);
            line.push_str("})");
        }
        NodeKey::Id => {
            let _ = write!(line, " {{{ID_KEY}: {}}})", node_id_value(node.id));
        }
    }
}

fn node_id_value(id: NodeId) -> Value {
    Value::Int(id.0 as i64)
}

/// Whether another exported edge of the same type between the same nodes has all of this
/// edge's properties, so that merging on the properties alone could bind to it.
fn edge_needs_id(scope: &Scope<'_>, edge: &Edge) -> bool {
    scope.edges_from(edge.source).into_iter().any(|other| {
        other.id != edge.id
            && other.target == edge.target
            && other.rel_type == edge.rel_type
            && edge
                .props
                .iter()
                .all(|(k, v)| other.props.get(k) == Some(v))
    })
}

/// Whether Cypher can store a value as a property: maps cannot be, at any depth.
fn storable(value: &Value) -> bool {
    match value {
        Value::Map(_) => false,
        Value::List(items) => items.iter().all(storable),
        _ => true,
    }
}

/// A property map: like `write_map`, but a value Cypher cannot store (one holding a map) is
/// written as its JSON text, and its key is added to `notes` so that the script says so.
fn write_props<'a>(
    line: &mut String,
    entries: impl Iterator<Item = (&'a str, &'a Value)>,
    notes: &mut Vec<String>,
) {
    line.push('{');
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            line.push_str(", ");
        }
        let _ = write_key(line, k);
        line.push_str(": ");
        if storable(v) {
            push_literal(line, v);
        } else {
            let text = serde_json::to_string(&PlainValue(v)).unwrap_or_default();
            push_string(line, &text);
            notes.push(k.to_string());
        }
    }
    line.push('}');
}

/// A comment before a statement naming the properties written as JSON text.
fn write_notes(out: &mut dyn Write, notes: &[String]) -> io::Result<()> {
    if notes.is_empty() {
        return Ok(());
    }
    let mut text = String::from(
        "// note: Cypher stores no maps, so these properties of the next statement are JSON text:",
    );
    for key in notes {
        text.push(' ');
        let _ = write_key(&mut text, key);
    }
    text.push('\n');
    out.write_all(text.as_bytes())
}

/// `{key: value, ...}` with keys quoted where needed and values as Cypher literals.
fn write_map<'a>(line: &mut String, entries: impl Iterator<Item = (&'a str, &'a Value)>) {
    line.push('{');
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            line.push_str(", ");
        }
        let _ = write_key(line, k);
        line.push_str(": ");
        push_literal(line, v);
    }
    line.push('}');
}

/// Appends a value as a Cypher literal. It writes what `Value`'s `Display` writes, but copies
/// runs of plain characters at once, which makes the export of a large graph several times
/// faster than formatting character by character.
fn push_literal(line: &mut String, value: &Value) {
    match value {
        Value::String(s) => push_string(line, s),
        Value::List(items) => {
            line.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    line.push_str(", ");
                }
                push_literal(line, item);
            }
            line.push(']');
        }
        Value::Map(map) => write_map(line, map.iter().map(|(k, v)| (k.as_str(), v))),
        Value::Int(i) => {
            let _ = write!(line, "{i}");
        }
        // Cypher has no literal for NaN or the infinities; these divisions make them in both
        // skein and Neo4j, so the script reads back to the same value.
        Value::Float(x) if x.is_nan() => line.push_str("(0.0 / 0.0)"),
        Value::Float(x) if x.is_infinite() => line.push_str(if *x > 0.0 {
            "(1.0 / 0.0)"
        } else {
            "(-1.0 / 0.0)"
        }),
        other => {
            let _ = write!(line, "{other}");
        }
    }
}

/// A single-quoted string literal with the escapes `write_string_literal` uses.
fn push_string(line: &mut String, s: &str) {
    line.push('\'');
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let plain = !matches!(c, '\'' | '\\') && !c.is_control();
        if plain {
            continue;
        }
        line.push_str(&s[start..i]);
        start = i + c.len_utf8();
        match c {
            '\'' => line.push_str("\\'"),
            '\\' => line.push_str("\\\\"),
            '\n' => line.push_str("\\n"),
            '\r' => line.push_str("\\r"),
            '\t' => line.push_str("\\t"),
            c => {
                let _ = write!(line, "\\u{:04X}", c as u32);
            }
        }
    }
    line.push_str(&s[start..]);
    line.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_literals_match_the_value_display() {
        let mut map = std::collections::BTreeMap::new();
        map.insert("two words".to_string(), Value::Float(2.0));
        map.insert("q".to_string(), Value::from("it's"));
        let values = [
            Value::from("O'Brien \"x\" \\ \n\r\t \u{7} Путин 🇷🇺"),
            Value::from(""),
            Value::Int(i64::MIN),
            Value::Float(-0.0),
            Value::Float(1e300),
            Value::Bool(false),
            Value::Null,
            Value::List(vec![Value::Int(1), Value::from("a;b"), Value::List(vec![])]),
            Value::Map(map),
        ];
        for v in values {
            let mut fast = String::new();
            push_literal(&mut fast, &v);
            assert_eq!(fast, v.to_string());
        }
    }
}
