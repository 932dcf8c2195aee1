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
//! - Only Neo4j syntax is used. Neo4j itself cannot store map-valued properties or lists of
//!   mixed types, which skein can; such values are written as skein reads them.
//!
//! The writer streams and never changes the graph it exports.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::scope::Scope;
use crate::graph::{Edge, Node, NodeId, Value, fold_name, write_key, write_string_literal};

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
    // Which nodes are keyed by `_skein_id`; decided once per node, then used by every edge.
    let mut by_id: HashSet<NodeId> = HashSet::new();
    let mut line = String::new();
    for node in scope.nodes() {
        line.clear();
        line.push_str("MERGE ");
        let key = key_of(scope, node);
        if matches!(key, NodeKey::Id) {
            by_id.insert(node.id);
        }
        node_pattern(&mut line, node, &key, "n");
        let mut rest = node
            .props
            .iter()
            .filter(|(k, _)| !(matches!(key, NodeKey::Name(_)) && k.as_str() == "name"))
            .map(|(k, v)| (k.as_str(), v))
            .peekable();
        if rest.peek().is_some() {
            line.push_str(" SET n += ");
            write_map(&mut line, rest);
        }
        line.push_str(";\n");
        out.write_all(line.as_bytes())?;
    }
    for edge in scope.edges() {
        line.clear();
        let (Some(source), Some(target)) = (scope.node(edge.source), scope.node(edge.target))
        else {
            continue;
        };
        line.push_str("MATCH ");
        node_pattern(&mut line, source, &known_key(source, &by_id), "a");
        line.push_str(" MATCH ");
        node_pattern(&mut line, target, &known_key(target, &by_id), "b");
        line.push_str(" MERGE (a)-[:");
        let _ = write_key(&mut line, &edge.rel_type);
        let id_value = Value::Int(edge.id.0 as i64);
        let needs_id = edge_needs_id(scope, edge);
        if !edge.props.is_empty() || needs_id {
            line.push(' ');
            let id_entry = needs_id.then_some((ID_KEY, &id_value));
            write_map(
                &mut line,
                edge.props
                    .iter()
                    .map(|(k, v)| (k.as_str(), v))
                    .chain(id_entry),
            );
        }
        line.push_str("]->(b);\n");
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// A node's key as decided when its own statement was written.
fn known_key<'a>(node: &'a Node, by_id: &HashSet<NodeId>) -> NodeKey<'a> {
    match node.name() {
        Some(name) if !by_id.contains(&node.id) => NodeKey::Name(name),
        _ => NodeKey::Id,
    }
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

/// `(n:Label {name: '...'})` or `(n:Label {_skein_id: 7})`.
fn node_pattern(line: &mut String, node: &Node, key: &NodeKey<'_>, var: &str) {
    line.push('(');
    line.push_str(var);
    for label in &node.labels {
        line.push(':');
        let _ = write_key(line, label);
    }
    match key {
        NodeKey::Name(name) => {
            line.push_str(" {name: ");
            let _ = write_string_literal(line, name);
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

/// `{key: value, ...}` with keys quoted where needed and values as Cypher literals.
fn write_map<'a>(line: &mut String, entries: impl Iterator<Item = (&'a str, &'a Value)>) {
    line.push('{');
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            line.push_str(", ");
        }
        let _ = write_key(line, k);
        let _ = write!(line, ": {v}");
    }
    line.push('}');
}
