//! What an export covers: the whole graph, or the subgraph a query's result names.
//!
//! A subgraph holds the nodes and relationships found anywhere in the result's rows (inside
//! lists, maps and paths too), each relationship's two end nodes, and on request the edges
//! of the graph between the nodes it holds. It never changes the graph, and lists elements in
//! id order like the graph does, so exports stay deterministic.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::graph::{Edge, EdgeId, Graph, Node, NodeId, Symbol, Walk};
use crate::query::{NodeValue, QueryResult, QueryValue, RelValue};

/// The elements an export writes.
#[derive(Debug, Clone)]
pub enum Scope<'g> {
    /// Every node and edge of the graph.
    All(&'g Graph),
    /// Some nodes and edges, in id order.
    Sub {
        graph: &'g Graph,
        nodes: BTreeMap<NodeId, Cow<'g, Node>>,
        edges: BTreeMap<EdgeId, Cow<'g, Edge>>,
    },
}

impl<'g> Scope<'g> {
    /// The whole graph.
    pub fn all(graph: &'g Graph) -> Self {
        Scope::All(graph)
    }

    /// The subgraph a query returned. Elements still in the graph are taken from it; ones
    /// the query deleted are taken from the result's own copies, so they are not lost.
    pub fn from_result(graph: &'g Graph, result: &QueryResult, induced: bool) -> Self {
        let mut found = Found::default();
        for row in &result.rows {
            for value in row {
                found.collect(value);
            }
        }
        let mut nodes: BTreeMap<NodeId, Cow<'g, Node>> = BTreeMap::new();
        let mut edges: BTreeMap<EdgeId, Cow<'g, Edge>> = BTreeMap::new();
        for (id, value) in &found.nodes {
            nodes.insert(*id, node_from(graph, *id, value.as_ref()));
        }
        for (id, value) in &found.rels {
            let edge: Cow<'g, Edge> = match graph.edge(*id) {
                Some(e) => Cow::Borrowed(e),
                None => Cow::Owned(Edge {
                    id: value.id,
                    rel_type: Symbol::new(&value.rel_type),
                    source: value.source,
                    target: value.target,
                    props: value.props.clone(),
                }),
            };
            // An edge needs both ends in the export, or the output would point at nothing.
            for end in [edge.source, edge.target] {
                nodes
                    .entry(end)
                    .or_insert_with(|| node_from(graph, end, None));
            }
            edges.insert(*id, edge);
        }
        if induced {
            for id in nodes.keys() {
                for edge in graph.edges_at(*id, Walk::Outgoing) {
                    if nodes.contains_key(&edge.target) {
                        edges.entry(edge.id).or_insert(Cow::Borrowed(edge));
                    }
                }
            }
        }
        Scope::Sub {
            graph,
            nodes,
            edges,
        }
    }

    /// The graph the elements come from.
    pub fn graph(&self) -> &'g Graph {
        match self {
            Scope::All(g) | Scope::Sub { graph: g, .. } => g,
        }
    }

    pub fn node_count(&self) -> usize {
        match self {
            Scope::All(g) => g.node_count(),
            Scope::Sub { nodes, .. } => nodes.len(),
        }
    }

    pub fn edge_count(&self) -> usize {
        match self {
            Scope::All(g) => g.edge_count(),
            Scope::Sub { edges, .. } => edges.len(),
        }
    }

    /// The nodes, in id order.
    pub fn nodes(&self) -> Box<dyn Iterator<Item = &Node> + '_> {
        match self {
            Scope::All(g) => Box::new(g.nodes()),
            Scope::Sub { nodes, .. } => Box::new(nodes.values().map(|n| &**n)),
        }
    }

    /// The edges, in id order.
    pub fn edges(&self) -> Box<dyn Iterator<Item = &Edge> + '_> {
        match self {
            Scope::All(g) => Box::new(g.edges()),
            Scope::Sub { edges, .. } => Box::new(edges.values().map(|e| &**e)),
        }
    }

    pub fn node(&self, id: NodeId) -> Option<&Node> {
        match self {
            Scope::All(g) => g.node(id),
            Scope::Sub { nodes, .. } => nodes.get(&id).map(|n| &**n),
        }
    }

    pub fn contains_edge(&self, id: EdgeId) -> bool {
        match self {
            Scope::All(g) => g.contains_edge(id),
            Scope::Sub { edges, .. } => edges.contains_key(&id),
        }
    }

    /// The exported edges that leave `id`. Only meaningful for nodes still in the graph;
    /// a subgraph's deleted elements have no neighbours to compare with.
    pub fn edges_from(&self, id: NodeId) -> Vec<&Edge> {
        match self {
            Scope::All(g) => g.edges_at(id, Walk::Outgoing),
            Scope::Sub { edges, graph, .. } => {
                let mut out: Vec<&Edge> = graph
                    .edges_at(id, Walk::Outgoing)
                    .into_iter()
                    .filter(|e| edges.contains_key(&e.id))
                    .collect();
                // Edges the query deleted are only in the scope itself.
                out.extend(
                    edges
                        .values()
                        .filter(|e| e.source == id && !graph.contains_edge(e.id))
                        .map(|e| &**e),
                );
                out
            }
        }
    }
}

fn node_from<'g>(graph: &'g Graph, id: NodeId, value: Option<&NodeValue>) -> Cow<'g, Node> {
    match (graph.node(id), value) {
        (Some(n), _) => Cow::Borrowed(n),
        (None, Some(v)) => Cow::Owned(Node {
            id,
            labels: v.labels.iter().map(|l| Arc::from(l.as_str())).collect(),
            props: v.props.clone(),
        }),
        // A relationship whose end node is gone from both the graph and the result: keep
        // the edge's end as a bare node rather than drop the edge.
        (None, None) => Cow::Owned(Node {
            id,
            labels: Vec::new(),
            props: Default::default(),
        }),
    }
}

/// Node and relationship values found in a result, first copy of each id kept.
#[derive(Default)]
struct Found {
    nodes: BTreeMap<NodeId, Option<NodeValue>>,
    rels: BTreeMap<EdgeId, RelValue>,
}

impl Found {
    fn collect(&mut self, value: &QueryValue) {
        match value {
            QueryValue::Node(n) => self.node(n),
            QueryValue::Relationship(r) => self.rel(r),
            QueryValue::Path(p) => {
                for n in &p.nodes {
                    self.node(n);
                }
                for r in &p.rels {
                    self.rel(r);
                }
            }
            QueryValue::List(items) => {
                for item in items {
                    self.collect(item);
                }
            }
            QueryValue::Map(map) => {
                for item in map.values() {
                    self.collect(item);
                }
            }
            QueryValue::Null
            | QueryValue::Bool(_)
            | QueryValue::Int(_)
            | QueryValue::Float(_)
            | QueryValue::String(_) => {}
        }
    }

    fn node(&mut self, n: &NodeValue) {
        self.nodes.entry(n.id).or_insert_with(|| Some(n.clone()));
    }

    fn rel(&mut self, r: &RelValue) {
        self.rels.entry(r.id).or_insert_with(|| r.clone());
    }
}
