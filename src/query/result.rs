//! What a query returns: named columns, rows of values, and counts of what it changed.
//!
//! Result values are self-contained: a node or relationship carries its id, labels or type
//! and properties as they were when the query ended, so printers and exporters need no graph.

use std::collections::BTreeMap;
use std::fmt;

use crate::graph::{
    EdgeId, NodeId, Properties, Value, write_float, write_key, write_list, write_map,
    write_string_literal,
};

/// A node as a query returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeValue {
    pub id: NodeId,
    pub labels: Vec<String>,
    pub props: Properties,
}

/// A relationship as a query returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct RelValue {
    pub id: EdgeId,
    pub rel_type: String,
    pub source: NodeId,
    pub target: NodeId,
    pub props: Properties,
}

/// A path: `nodes[i]` and `nodes[i + 1]` are joined by `rels[i]`, which may point either way.
#[derive(Debug, Clone, PartialEq)]
pub struct PathValue {
    pub nodes: Vec<NodeValue>,
    pub rels: Vec<RelValue>,
}

/// Any value a query can return.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<QueryValue>),
    Map(BTreeMap<String, QueryValue>),
    Node(NodeValue),
    Relationship(RelValue),
    Path(PathValue),
}

impl From<Value> for QueryValue {
    fn from(v: Value) -> Self {
        match v {
            Value::Null => QueryValue::Null,
            Value::Bool(b) => QueryValue::Bool(b),
            Value::Int(i) => QueryValue::Int(i),
            Value::Float(f) => QueryValue::Float(f),
            Value::String(s) => QueryValue::String(s.into_string()),
            Value::List(items) => QueryValue::List(items.into_iter().map(Into::into).collect()),
            Value::Map(map) => {
                QueryValue::Map(map.into_iter().map(|(k, v)| (k, v.into())).collect())
            }
            // Results have no temporal type; the TCK and printers read the ISO text.
            Value::Temporal(t) => QueryValue::String(t.iso()),
            Value::Duration(d) => QueryValue::String(d.iso()),
        }
    }
}

/// Counts of what a query changed; all zero for a read-only query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateStats {
    pub nodes_created: usize,
    pub nodes_deleted: usize,
    pub relationships_created: usize,
    pub relationships_deleted: usize,
    pub properties_set: usize,
    pub labels_added: usize,
    pub labels_removed: usize,
}

impl UpdateStats {
    /// Whether the query changed the graph.
    pub fn contains_updates(&self) -> bool {
        *self != UpdateStats::default()
    }
}

impl fmt::Display for UpdateStats {
    /// "2 nodes created, 1 relationship deleted"; empty when nothing changed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = [
            (self.nodes_created, "node", "created"),
            (self.nodes_deleted, "node", "deleted"),
            (self.relationships_created, "relationship", "created"),
            (self.relationships_deleted, "relationship", "deleted"),
            (self.properties_set, "property", "set"),
            (self.labels_added, "label", "added"),
            (self.labels_removed, "label", "removed"),
        ];
        let mut first = true;
        for (n, noun, verb) in parts {
            if n == 0 {
                continue;
            }
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            let noun = match (n, noun) {
                (1, noun) => noun.to_string(),
                (_, "property") => "properties".to_string(),
                (_, noun) => format!("{noun}s"),
            };
            write!(f, "{n} {noun} {verb}")?;
        }
        Ok(())
    }
}

/// A query's whole answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryResult {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<QueryValue>>,
    pub stats: UpdateStats,
}

fn write_props(f: &mut fmt::Formatter<'_>, props: &Properties) -> fmt::Result {
    if props.is_empty() {
        return Ok(());
    }
    f.write_str(" {")?;
    for (i, (k, v)) in props.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_key(f, k)?;
        write!(f, ": {v}")?;
    }
    f.write_str("}")
}

impl fmt::Display for NodeValue {
    /// `(:Person {name: 'Vladimir Putin'})`, the notation of the openCypher TCK.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for label in &self.labels {
            f.write_str(":")?;
            write_key(f, label)?;
        }
        if self.labels.is_empty() {
            let mut props = String::new();
            // Keep `({a: 1})` free of a leading space, as the TCK writes it.
            let _ = fmt::Write::write_fmt(&mut props, format_args!("{}", PropsOnly(&self.props)));
            f.write_str(props.trim_start())?;
        } else {
            write_props(f, &self.props)?;
        }
        f.write_str(")")
    }
}

struct PropsOnly<'a>(&'a Properties);

impl fmt::Display for PropsOnly<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_props(f, self.0)
    }
}

impl fmt::Display for RelValue {
    /// `[:MET_WITH {date: '2025-04-11'}]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[:")?;
        write_key(f, &self.rel_type)?;
        write_props(f, &self.props)?;
        f.write_str("]")
    }
}

impl fmt::Display for PathValue {
    /// `<(:A)-[:T]->(:B)<-[:U]-(:C)>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<")?;
        if let Some(first) = self.nodes.first() {
            write!(f, "{first}")?;
        }
        for (i, rel) in self.rels.iter().enumerate() {
            let Some(next) = self.nodes.get(i + 1) else {
                break;
            };
            let forward = rel.target == next.id;
            if forward {
                write!(f, "-{rel}->{next}")?;
            } else {
                write!(f, "<-{rel}-{next}")?;
            }
        }
        f.write_str(">")
    }
}

impl fmt::Display for QueryValue {
    /// openCypher literal notation, as the TCK writes expected results.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryValue::Null => f.write_str("null"),
            QueryValue::Bool(b) => write!(f, "{b}"),
            QueryValue::Int(i) => write!(f, "{i}"),
            QueryValue::Float(x) => write_float(f, *x),
            QueryValue::String(s) => write_string_literal(f, s),
            QueryValue::List(items) => write_list(f, items),
            QueryValue::Map(map) => write_map(f, map),
            QueryValue::Node(n) => write!(f, "{n}"),
            QueryValue::Relationship(r) => write!(f, "{r}"),
            QueryValue::Path(p) => write!(f, "{p}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: u64, label: &str, name: &str) -> NodeValue {
        let mut props = Properties::new();
        props.insert("name", Value::from(name));
        NodeValue {
            id: NodeId(id),
            labels: vec![label.into()],
            props,
        }
    }

    #[test]
    fn prints_graph_values_in_tck_notation() {
        let a = node(0, "Person", "Putin");
        let b = node(1, "Person", "Witkoff");
        let rel = RelValue {
            id: EdgeId(7),
            rel_type: "MET_WITH".into(),
            source: NodeId(1),
            target: NodeId(0),
            props: Properties::new(),
        };
        let path = PathValue {
            nodes: vec![a.clone(), b],
            rels: vec![rel],
        };
        assert_eq!(a.to_string(), "(:Person {name: 'Putin'})");
        assert_eq!(
            path.to_string(),
            "<(:Person {name: 'Putin'})<-[:MET_WITH]-(:Person {name: 'Witkoff'})>"
        );
        let bare = NodeValue {
            id: NodeId(2),
            labels: vec![],
            props: Properties::new(),
        };
        assert_eq!(bare.to_string(), "()");
    }

    #[test]
    fn stats_read_as_a_sentence() {
        let stats = UpdateStats {
            nodes_created: 2,
            properties_set: 1,
            ..UpdateStats::default()
        };
        assert_eq!(stats.to_string(), "2 nodes created, 1 property set");
        assert!(!UpdateStats::default().contains_updates());
    }
}
