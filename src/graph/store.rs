//! The in-memory property graph: nodes with labels and properties, directed typed edges,
//! and the indexes kept in step with every change.
//!
//! petgraph holds the topology; callers only ever see our own `NodeId`/`EdgeId`, which are
//! handed out once and never reused, so an id saved in a file or printed to a user keeps
//! meaning the same element after other elements are deleted. This module does no I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Arc, OnceLock};

use compact_str::CompactString;
use foldhash::fast::FixedState;
use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use super::GraphError;
use super::adjacency::Adjacency;
use super::columns::{Column, Columns, Owner};
use super::ids::IdMap;
use super::name::fold_name;
use super::props::{Properties, key_order};
use super::symbol::Symbol;
use super::value::Value;

/// The property that holds an entity's canonical name.
pub const NAME_KEY: &str = "name";
/// The property that holds an entity's other surface forms.
pub const ALIASES_KEY: &str = "aliases";

/// A node's id: stable for the node's whole life and never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NodeId(pub u64);

/// An edge's id: stable for the edge's whole life and never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EdgeId(pub u64);

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for EdgeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A node: its labels in the order they were given, and its properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: NodeId,
    pub labels: Vec<Arc<str>>,
    pub props: Properties,
}

impl Node {
    pub fn has_label(&self, label: &str) -> bool {
        self.labels.iter().any(|l| &**l == label)
    }

    pub fn name(&self) -> Option<&str> {
        self.props.get(NAME_KEY).and_then(Value::as_str)
    }
}

/// A directed, typed edge.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub id: EdgeId,
    pub rel_type: Symbol,
    pub source: NodeId,
    pub target: NodeId,
    pub props: Properties,
}

/// Which way to walk from a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    Outgoing,
    Incoming,
    Both,
}

/// What a merge did, so that callers can report "new" and "merged" counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeOutcome {
    Created,
    Updated,
    Unchanged,
}

/// An entity as ingestion sees it: one label, a name, and other surface forms.
#[derive(Debug, Clone, Default)]
pub struct EntityMention<'a> {
    pub label: &'a str,
    pub name: &'a str,
    pub aliases: &'a [String],
}

/// One piece of evidence behind a fact.
#[derive(Debug, Clone, Default)]
pub struct Provenance<'a> {
    pub article: &'a str,
    pub evidence: &'a str,
    pub rule: &'a str,
}

/// A fact to merge: an edge, the properties that tell it apart from another fact of the same
/// type between the same nodes (`key_props`, e.g. `date`), and where it was read.
#[derive(Debug, Clone, Default)]
pub struct Fact<'a> {
    pub source: Option<NodeId>,
    pub rel_type: &'a str,
    pub target: Option<NodeId>,
    /// Symmetric types (`MET_WITH`) match an existing edge in either direction.
    pub symmetric: bool,
    /// The fact's own properties (`date`, `place`, ...), string-valued, each key at most
    /// once. Borrowed, so that a fact merged into an edge that has them costs no copies:
    /// owned keys and values are made only for an edge created or gaining a property.
    pub props: FactProps<'a>,
    pub key_props: &'a [&'a str],
    pub provenance: Provenance<'a>,
}

/// A fact's properties: key and value pairs, in any order.
pub type FactProps<'a> = SmallVec<[(&'a str, &'a str); 3]>;

impl Fact<'_> {
    /// The value of one of the fact's properties; as with a map, a key given twice means
    /// its last value.
    fn prop(&self, key: &str) -> Option<&str> {
        self.props
            .iter()
            .rev()
            .find(|&&(k, _)| k == key)
            .map(|&(_, v)| v)
    }
}

/// Names of the provenance properties on a merged edge.
pub mod provenance_keys {
    /// The first article, sentence and rule that gave the fact (scalars, easy to query).
    pub const ARTICLE: &str = "article";
    pub const EVIDENCE: &str = "evidence";
    pub const RULE: &str = "rule";
    /// Every article, sentence and rule that gave it, in the order they were read.
    pub const ARTICLES: &str = "articles";
    pub const EVIDENCES: &str = "evidences";
    pub const RULES: &str = "rules";
    /// How many times the fact was read.
    pub const MENTIONS: &str = "mentions";
}

/// The name index: label, then folded name or alias, to the nodes holding it.
type NameIndex = HashMap<Arc<str>, HashMap<String, NameIds, FixedState>, FixedState>;

/// The nodes under one name, in id order: almost always one, kept inline.
type NameIds = SmallVec<[NodeId; 1]>;

/// The edges of each relationship type, in id order.
type TypeIndex = HashMap<Arc<str>, Vec<EdgeId>, FixedState>;

/// The property graph with its indexes.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    topology: StableDiGraph<Node, Edge>,
    /// Our ids to petgraph's indexes, walked in id order.
    node_index: IdMap,
    edge_index: IdMap,
    next_node_id: u64,
    next_edge_id: u64,
    /// Interned label and type strings, so that a million edges share a few allocations.
    /// Like `by_name`, it is only looked up, never walked in hash order, so a fast fixed
    /// hasher cannot change any output.
    symbols: HashSet<Arc<str>, FixedState>,
    by_label: BTreeMap<Arc<str>, BTreeSet<NodeId>>,
    /// By label, then by folded name: a lookup borrows both, allocating nothing.
    by_name: NameIndex,
    /// How many edges each relationship type has, kept in step with every change.
    type_counts: BTreeMap<Arc<str>, usize>,
    /// The edges of each type in id order: built when first asked for (a scan from a type,
    /// rare next to a walk from a node) and dropped with `read`, so that opening a graph does
    /// not sort a million edges into lists no query may read.
    by_type: OnceLock<TypeIndex>,
    /// The read-side adjacency snapshot, built when first asked for and dropped by every
    /// change of nodes, edges or labels (property changes do not touch it).
    read: OnceLock<Arc<Adjacency>>,
    /// The property columns built so far (`columns.rs`), dropped by every change of nodes,
    /// edges, labels or properties.
    columns: Columns,
}

impl Graph {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn node_count(&self) -> usize {
        self.node_index.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edge_index.len()
    }

    /// The id the next created node will get.
    pub fn next_node_id(&self) -> u64 {
        self.next_node_id
    }

    /// The id the next created edge will get.
    pub fn next_edge_id(&self) -> u64 {
        self.next_edge_id
    }

    fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(sym) = self.symbols.get(s) {
            return Arc::clone(sym);
        }
        let sym: Arc<str> = Arc::from(s);
        self.symbols.insert(Arc::clone(&sym));
        sym
    }

    // ------------------------------------------------------------------ reading

    /// The adjacency snapshot of the graph as it is now (built on first use after a change).
    pub fn adjacency(&self) -> Arc<Adjacency> {
        Arc::clone(self.read.get_or_init(|| Arc::new(Adjacency::build(self))))
    }

    /// Drops the adjacency snapshot and the type lists; every change of nodes, edges or
    /// labels calls it.
    fn changed(&mut self) {
        self.read.take();
        self.by_type.take();
        self.columns.clear();
    }

    /// A node whose properties are about to change. Every property setter reaches the node
    /// through here, so the property columns, built from the old values, are dropped in this
    /// one place; a change of nodes, edges or labels goes through `changed`.
    fn node_mut(&mut self, ix: NodeIndex) -> &mut Node {
        self.columns.clear();
        &mut self.topology[ix]
    }

    /// An edge whose properties are about to change (see `node_mut`).
    fn edge_mut(&mut self, ix: EdgeIndex) -> Option<&mut Edge> {
        self.columns.clear();
        self.topology.edge_weight_mut(ix)
    }

    /// The column of property `key` of every node or every edge (`owner`), by id, built on
    /// first use after a change. `None` when the ids lie too far apart for an array by id.
    pub fn column(&self, owner: Owner, key: &str) -> Option<Arc<Column>> {
        let (ids, n) = match owner {
            Owner::Node => (self.next_node_id, self.node_count()),
            Owner::Edge => (self.next_edge_id, self.edge_count()),
        };
        if !dense_ids(ids, n) {
            return None;
        }
        Some(self.columns.get_or_build(owner, key, || match owner {
            Owner::Node => {
                let nodes = self.topology.node_weights();
                Column::build(ids, nodes.filter_map(|n| Some((n.id.0, n.props.get(key)?))))
            }
            Owner::Edge => {
                let edges = self.topology.edge_weights();
                Column::build(ids, edges.filter_map(|e| Some((e.id.0, e.props.get(key)?))))
            }
        }))
    }

    /// The edges of each type, in id order (built on first use after a change).
    fn type_index(&self) -> &TypeIndex {
        self.by_type.get_or_init(|| {
            let mut index = TypeIndex::default();
            for (t, &n) in &self.type_counts {
                index.insert(Arc::clone(t), Vec::with_capacity(n));
            }
            for edge in self.edges() {
                if let Some(ids) = index.get_mut(&*edge.rel_type) {
                    ids.push(edge.id);
                }
            }
            index
        })
    }

    /// Where petgraph keeps a node.
    fn node_ix(&self, id: NodeId) -> Option<NodeIndex> {
        self.node_index
            .get(id.0)
            .map(|ix| NodeIndex::new(ix as usize))
    }

    /// Reads the slot of each of these nodes, so that the next accesses to them hit the
    /// cache: the reads depend on nothing but the ids, so the processor overlaps their misses.
    fn touch_nodes(&self, ids: impl Iterator<Item = NodeId>) {
        let mut seen = 0u64;
        for id in ids {
            if let Some(node) = self
                .node_ix(id)
                .and_then(|ix| self.topology.node_weight(ix))
            {
                seen = seen.wrapping_add(node.id.0);
            }
        }
        std::hint::black_box(seen);
    }

    /// Where petgraph keeps an edge.
    fn edge_ix(&self, id: EdgeId) -> Option<EdgeIndex> {
        self.edge_index
            .get(id.0)
            .map(|ix| EdgeIndex::new(ix as usize))
    }

    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.node_ix(id).map(|ix| &self.topology[ix])
    }

    pub fn edge(&self, id: EdgeId) -> Option<&Edge> {
        self.edge_ix(id).map(|ix| &self.topology[ix])
    }

    pub fn contains_node(&self, id: NodeId) -> bool {
        self.node_index.contains(id.0)
    }

    pub fn contains_edge(&self, id: EdgeId) -> bool {
        self.edge_index.contains(id.0)
    }

    /// All nodes, in id order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> + '_ {
        self.node_index
            .iter()
            .map(|(_, ix)| &self.topology[NodeIndex::new(ix as usize)])
    }

    /// Every edge in the order the store keeps them (not id order), for a reader that sorts
    /// what it builds anyway: it walks one array, where `edges` looks each id up.
    pub(super) fn edges_unordered(&self) -> impl Iterator<Item = &Edge> + '_ {
        self.topology.edge_weights()
    }

    /// All edges, in id order.
    pub fn edges(&self) -> impl Iterator<Item = &Edge> + '_ {
        self.edge_index
            .iter()
            .map(|(_, ix)| &self.topology[EdgeIndex::new(ix as usize)])
    }

    /// Ids of the nodes that carry `label`, in id order.
    pub fn nodes_with_label<'a>(&'a self, label: &str) -> impl Iterator<Item = NodeId> + 'a {
        self.by_label
            .get(label)
            .into_iter()
            .flat_map(|ids| ids.iter().copied())
    }

    /// How many nodes carry `label`.
    pub fn label_count(&self, label: &str) -> usize {
        self.by_label.get(label).map_or(0, BTreeSet::len)
    }

    /// Ids of the edges of type `rel_type`, in id order.
    pub fn edges_of_type<'a>(&'a self, rel_type: &str) -> impl Iterator<Item = EdgeId> + 'a {
        let ids = match self.type_counts.contains_key(rel_type) {
            true => self
                .type_index()
                .get(rel_type)
                .map_or(&[][..], Vec::as_slice),
            false => &[],
        };
        ids.iter().copied()
    }

    /// How many edges have type `rel_type`.
    pub fn type_count(&self, rel_type: &str) -> usize {
        self.type_counts.get(rel_type).copied().unwrap_or(0)
    }

    /// Every label in use with its node count, sorted by label.
    pub fn labels(&self) -> impl Iterator<Item = (&str, usize)> + '_ {
        self.by_label
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(l, ids)| (&**l, ids.len()))
    }

    /// Every relationship type in use with its edge count, sorted by type.
    pub fn rel_types(&self) -> impl Iterator<Item = (&str, usize)> + '_ {
        self.type_counts
            .iter()
            .filter(|&(_, &n)| n > 0)
            .map(|(t, &n)| (&**t, n))
    }

    /// Every property key used on a node or an edge, sorted.
    pub fn property_keys(&self) -> BTreeSet<&str> {
        let mut keys = BTreeSet::new();
        for node in self.nodes() {
            keys.extend(node.props.keys());
        }
        for edge in self.edges() {
            keys.extend(edge.props.keys());
        }
        keys
    }

    /// The lowest id among the nodes of `label` whose name or an alias folds to `key`, a key
    /// `fold_name` already gave; `find_by_name(Some(label), ..).first()` without folding again.
    pub fn first_with_name_key(&self, label: &str, key: &str) -> Option<NodeId> {
        self.by_name.get(label)?.get(key)?.first().copied()
    }

    /// Nodes whose name or an alias folds to the same key as `name`, optionally restricted to
    /// one label; in id order. Uses the name index: the cost does not grow with the graph.
    pub fn find_by_name(&self, label: Option<&str>, name: &str) -> Vec<NodeId> {
        let key = fold_name(name);
        if key.is_empty() {
            return Vec::new();
        }
        let mut found: BTreeSet<NodeId> = BTreeSet::new();
        match label {
            Some(label) => {
                if let Some(ids) = self.by_name.get(label).and_then(|m| m.get(&key)) {
                    found.extend(ids);
                }
            }
            None => {
                for (label, _) in self.labels() {
                    if let Some(ids) = self.by_name.get(label).and_then(|m| m.get(&key)) {
                        found.extend(ids);
                    }
                }
            }
        }
        found.into_iter().collect()
    }

    /// The edges at a node, in the given direction. A self-loop is reported once even when
    /// walking both ways.
    pub fn edges_at(&self, id: NodeId, walk: Walk) -> Vec<&Edge> {
        let Some(ix) = self.node_ix(id) else {
            return Vec::new();
        };
        let mut out: Vec<&Edge> = Vec::new();
        if matches!(walk, Walk::Outgoing | Walk::Both) {
            out.extend(
                self.topology
                    .edges_directed(ix, Direction::Outgoing)
                    .map(|e| e.weight()),
            );
        }
        if matches!(walk, Walk::Incoming | Walk::Both) {
            out.extend(
                self.topology
                    .edges_directed(ix, Direction::Incoming)
                    .filter(|e| !(walk == Walk::Both && e.source() == e.target()))
                    .map(|e| e.weight()),
            );
        }
        out
    }

    /// How many edges touch a node in the given direction.
    pub fn degree(&self, id: NodeId, walk: Walk) -> usize {
        self.edges_at(id, walk).len()
    }

    // ------------------------------------------------------------------ writing

    /// Makes room for `nodes` more nodes and `edges` more edges at once, for a caller about
    /// to add many (an import), so that storage grows once instead of doubling.
    pub fn reserve(&mut self, nodes: usize, edges: usize) {
        self.topology.reserve_exact_nodes(nodes);
        self.node_index.reserve(nodes);
        self.topology.reserve_exact_edges(edges);
        self.edge_index.reserve(edges);
    }

    /// Adds a node with the given labels (duplicates ignored) and properties; null
    /// properties are not stored, as openCypher requires.
    pub fn add_node<'l>(
        &mut self,
        labels: impl IntoIterator<Item = &'l str>,
        props: Properties,
    ) -> NodeId {
        let id = NodeId(self.next_node_id);
        self.next_node_id += 1;
        self.insert_node(id, labels, props);
        id
    }

    fn insert_node<'l>(
        &mut self,
        id: NodeId,
        labels: impl IntoIterator<Item = &'l str>,
        mut props: Properties,
    ) {
        self.changed();
        props.retain(|_, v| !v.is_null());
        let mut syms: Vec<Arc<str>> = Vec::new();
        for label in labels {
            let sym = self.intern(label);
            if !syms.contains(&sym) {
                syms.push(sym);
            }
        }
        // Pushing gave room for four labels; a node keeps the one or two it has.
        syms.shrink_to_fit();
        for sym in &syms {
            self.by_label.entry(Arc::clone(sym)).or_default().insert(id);
        }
        let node = Node {
            id,
            labels: syms,
            props,
        };
        self.index_names(&node, true);
        let ix = self.topology.add_node(node);
        self.node_index.insert(id.0, ix.index() as u32);
    }

    /// Adds a directed edge; both end nodes must exist.
    pub fn add_edge(
        &mut self,
        source: NodeId,
        rel_type: &str,
        target: NodeId,
        props: Properties,
    ) -> Result<EdgeId, GraphError> {
        self.add_edge_at(source, rel_type, target, props)
            .map(|(id, _)| id)
    }

    /// `add_edge`, also giving where petgraph keeps the edge.
    fn add_edge_at(
        &mut self,
        source: NodeId,
        rel_type: &str,
        target: NodeId,
        props: Properties,
    ) -> Result<(EdgeId, EdgeIndex), GraphError> {
        let id = EdgeId(self.next_edge_id);
        let ix = self.insert_edge(id, source, rel_type, target, props)?;
        self.next_edge_id += 1;
        Ok((id, ix))
    }

    fn insert_edge(
        &mut self,
        id: EdgeId,
        source: NodeId,
        rel_type: &str,
        target: NodeId,
        props: Properties,
    ) -> Result<EdgeIndex, GraphError> {
        let ix = self.place_edge(id, source, Symbol::new(rel_type), target, props)?;
        self.count_type(rel_type, 1);
        Ok(ix)
    }

    /// Adds `n` edges to the count of `rel_type`.
    fn count_type(&mut self, rel_type: &str, n: usize) {
        match self.type_counts.get_mut(rel_type) {
            Some(count) => *count += n,
            None => {
                let sym = self.intern(rel_type);
                self.type_counts.insert(sym, n);
            }
        }
    }

    /// `insert_edge` but for the count of its type, which the caller keeps.
    fn place_edge(
        &mut self,
        id: EdgeId,
        source: NodeId,
        rel_type: Symbol,
        target: NodeId,
        mut props: Properties,
    ) -> Result<EdgeIndex, GraphError> {
        // `let else` rather than `ok_or`: an error made and dropped on every call is not free.
        self.changed();
        let Some(src_ix) = self.node_ix(source) else {
            return Err(GraphError::NoSuchNode(source));
        };
        let Some(dst_ix) = self.node_ix(target) else {
            return Err(GraphError::NoSuchNode(target));
        };
        // Looked for before anything is moved: merged facts, most edges, have no nulls.
        if props.values().any(Value::is_null) {
            props.retain(|_, v| !v.is_null());
        }
        let edge = Edge {
            id,
            rel_type,
            source,
            target,
            props,
        };
        let ix = self.topology.add_edge(src_ix, dst_ix, edge);
        self.edge_index.insert(id.0, ix.index() as u32);
        Ok(ix)
    }

    /// Removes an edge and returns it.
    pub fn remove_edge(&mut self, id: EdgeId) -> Result<Edge, GraphError> {
        self.changed();
        let ix = self
            .edge_index
            .remove(id.0)
            .map(|ix| EdgeIndex::new(ix as usize))
            .ok_or(GraphError::NoSuchEdge(id))?;
        let edge = self
            .topology
            .remove_edge(ix)
            .ok_or(GraphError::NoSuchEdge(id))?;
        if let Some(n) = self.type_counts.get_mut(&*edge.rel_type) {
            *n = n.saturating_sub(1);
        }
        Ok(edge)
    }

    /// Removes a node that has no edges; a node with edges gives `NodeHasEdges`
    /// (openCypher's DELETE), see `detach_remove_node` for DETACH DELETE.
    pub fn remove_node(&mut self, id: NodeId) -> Result<Node, GraphError> {
        let degree = self.degree(id, Walk::Both);
        if !self.contains_node(id) {
            return Err(GraphError::NoSuchNode(id));
        }
        if degree > 0 {
            return Err(GraphError::NodeHasEdges(id, degree));
        }
        self.changed();
        let ix = self
            .node_index
            .remove(id.0)
            .map(|ix| NodeIndex::new(ix as usize))
            .ok_or(GraphError::NoSuchNode(id))?;
        let node = self
            .topology
            .remove_node(ix)
            .ok_or(GraphError::NoSuchNode(id))?;
        self.index_names(&node, false);
        for label in &node.labels {
            if let Some(ids) = self.by_label.get_mut(label) {
                ids.remove(&id);
            }
        }
        Ok(node)
    }

    /// Removes a node and every edge that touches it; returns the node and the edges.
    pub fn detach_remove_node(&mut self, id: NodeId) -> Result<(Node, Vec<Edge>), GraphError> {
        let edge_ids: Vec<EdgeId> = self.edges_at(id, Walk::Both).iter().map(|e| e.id).collect();
        let mut edges = Vec::with_capacity(edge_ids.len());
        for eid in edge_ids {
            edges.push(self.remove_edge(eid)?);
        }
        let node = self.remove_node(id)?;
        Ok((node, edges))
    }

    /// Sets a node property; `Value::Null` removes it. Returns the previous value.
    pub fn set_node_property(
        &mut self,
        id: NodeId,
        key: &str,
        value: Value,
    ) -> Result<Option<Value>, GraphError> {
        let ix = self.node_ix(id).ok_or(GraphError::NoSuchNode(id))?;
        let indexed = key == NAME_KEY || key == ALIASES_KEY;
        if indexed {
            let node = &self.topology[ix];
            index_names_in(&mut self.by_name, node, false);
        }
        let node = self.node_mut(ix);
        let old = if value.is_null() {
            node.props.remove(key)
        } else {
            node.props.insert(key.to_string(), value)
        };
        if indexed {
            let node = &self.topology[ix];
            index_names_in(&mut self.by_name, node, true);
        }
        Ok(old)
    }

    /// Replaces all properties of a node (openCypher `SET n = {...}`).
    pub fn replace_node_properties(
        &mut self,
        id: NodeId,
        mut props: Properties,
    ) -> Result<(), GraphError> {
        let ix = self.node_ix(id).ok_or(GraphError::NoSuchNode(id))?;
        props.retain(|_, v| !v.is_null());
        let old = &self.topology[ix];
        index_names_in(&mut self.by_name, old, false);
        self.node_mut(ix).props = props;
        let new = &self.topology[ix];
        index_names_in(&mut self.by_name, new, true);
        Ok(())
    }

    /// Sets an edge property; `Value::Null` removes it. Returns the previous value.
    pub fn set_edge_property(
        &mut self,
        id: EdgeId,
        key: &str,
        value: Value,
    ) -> Result<Option<Value>, GraphError> {
        let edge = self
            .edge_ix(id)
            .and_then(|ix| self.edge_mut(ix))
            .ok_or(GraphError::NoSuchEdge(id))?;
        Ok(if value.is_null() {
            edge.props.remove(key)
        } else {
            edge.props.insert(key.to_string(), value)
        })
    }

    /// Replaces all properties of an edge (openCypher `SET r = {...}`).
    pub fn replace_edge_properties(
        &mut self,
        id: EdgeId,
        mut props: Properties,
    ) -> Result<(), GraphError> {
        let edge = self
            .edge_ix(id)
            .and_then(|ix| self.edge_mut(ix))
            .ok_or(GraphError::NoSuchEdge(id))?;
        props.retain(|_, v| !v.is_null());
        edge.props = props;
        Ok(())
    }

    /// Adds a label to a node; returns whether it was new.
    pub fn add_label(&mut self, id: NodeId, label: &str) -> Result<bool, GraphError> {
        let ix = self.node_ix(id).ok_or(GraphError::NoSuchNode(id))?;
        if self.topology[ix].has_label(label) {
            return Ok(false);
        }
        self.changed();
        let sym = self.intern(label);
        let old = self.topology[ix].clone();
        self.index_names(&old, false);
        self.topology[ix].labels.push(Arc::clone(&sym));
        self.by_label.entry(sym).or_default().insert(id);
        let new = self.topology[ix].clone();
        self.index_names(&new, true);
        Ok(true)
    }

    /// Removes a label from a node; returns whether it was there.
    pub fn remove_label(&mut self, id: NodeId, label: &str) -> Result<bool, GraphError> {
        let ix = self.node_ix(id).ok_or(GraphError::NoSuchNode(id))?;
        if !self.topology[ix].has_label(label) {
            return Ok(false);
        }
        self.changed();
        let old = self.topology[ix].clone();
        self.index_names(&old, false);
        self.topology[ix].labels.retain(|l| &**l != label);
        if let Some(ids) = self.by_label.get_mut(label) {
            ids.remove(&id);
        }
        let new = self.topology[ix].clone();
        self.index_names(&new, true);
        Ok(true)
    }

    /// Adds or removes a node's (label, folded name) keys in the name index.
    fn index_names(&mut self, node: &Node, insert: bool) {
        index_names_in(&mut self.by_name, node, insert);
    }

    // ------------------------------------------------------------------ merging

    /// Merges an entity: the node with the same label whose name or an alias folds like the
    /// mention's name or an alias is updated, else a node is created. The canonical name is
    /// the longest form seen; every other form is kept once (by folded key) in `aliases`.
    pub fn merge_entity(&mut self, mention: &EntityMention<'_>) -> (NodeId, MergeOutcome) {
        // Each form with its key, folded once; a form without a key names nothing.
        let forms: Vec<(&str, String)> = std::iter::once(mention.name)
            .chain(mention.aliases.iter().map(String::as_str))
            .map(|f| (f, fold_name(f)))
            .filter(|(_, key)| !key.is_empty())
            .collect();
        let existing = forms
            .iter()
            .find_map(|(_, key)| self.first_with_name_key(mention.label, key));
        let Some(id) = existing else {
            // The name comes first among the forms, unless it has no key.
            let name_key = forms
                .first()
                .filter(|&&(f, _)| f == mention.name)
                .map_or("", |(_, key)| key.as_str());
            let (aliases, _) = merge_forms(name_key, forms.iter().map(|(f, k)| (*f, k.as_str())));
            let mut props = Properties::new();
            props.insert(NAME_KEY, Value::from(mention.name));
            if !aliases.is_empty() {
                props.insert(ALIASES_KEY, Value::from(aliases));
            }
            return (self.add_node([mention.label], props), MergeOutcome::Created);
        };
        let ix = self.node_ix(id).expect("the node was just found by name");
        let node = &self.topology[ix];
        let old_name = node.name().unwrap_or_default();
        let old_aliases: Vec<&str> = node
            .props
            .get(ALIASES_KEY)
            .map(Value::strings)
            .unwrap_or_default();
        let old_name_key = fold_name(old_name);
        let old_alias_keys: Vec<String> = old_aliases.iter().map(|a| fold_name(a)).collect();
        let longer = mention.name.chars().count() > old_name.chars().count();
        let (new_name, new_name_key) = if longer {
            (mention.name, fold_name(mention.name))
        } else {
            (old_name, old_name_key.clone())
        };
        let (aliases, new_keys) = merge_forms(
            &new_name_key,
            old_aliases
                .iter()
                .copied()
                .zip(old_alias_keys.iter().map(String::as_str))
                .chain([(old_name, old_name_key.as_str())])
                .chain(forms.iter().map(|(f, k)| (*f, k.as_str()))),
        );
        if new_name == old_name && aliases == old_aliases {
            return (id, MergeOutcome::Unchanged);
        }
        let (new_name, aliases) = (new_name.to_string(), owned(&aliases));
        // Only the names change, in place, and the name index only by the keys that change:
        // the node's other properties (a long `articles` list among them) are not copied.
        // The keys it is indexed under are those folded above, unless its name is not one
        // string (then `name_keys` folds each string it holds).
        let refolded: BTreeSet<String>;
        let old_keys: BTreeSet<&str> = match node.props.get(NAME_KEY) {
            None | Some(Value::String(_)) => std::iter::once(&old_name_key)
                .chain(&old_alias_keys)
                .map(String::as_str)
                .filter(|k| !k.is_empty())
                .collect(),
            Some(_) => {
                refolded = name_keys(node);
                refolded.iter().map(String::as_str).collect()
            }
        };
        let props = &mut self.node_mut(ix).props;
        props.insert(NAME_KEY, Value::from(new_name));
        if aliases.is_empty() {
            props.remove(ALIASES_KEY);
        } else {
            props.insert(ALIASES_KEY, Value::from(aliases));
        }
        let labels = &self.topology[ix].labels;
        let gone = old_keys.iter().copied().filter(|k| !new_keys.contains(k));
        index_keys(&mut self.by_name, labels, id, gone, false);
        let added = new_keys.iter().copied().filter(|k| !old_keys.contains(k));
        index_keys(&mut self.by_name, labels, id, added, true);
        (id, MergeOutcome::Updated)
    }

    /// Appends `value` to the list property `key` of a node unless it is already there.
    /// Returns whether the node changed.
    pub fn add_to_node_list(
        &mut self,
        id: NodeId,
        key: &str,
        value: Value,
    ) -> Result<bool, GraphError> {
        let node = self.node(id).ok_or(GraphError::NoSuchNode(id))?;
        let mut items = match node.props.get(key) {
            Some(Value::List(items)) => items.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        };
        if items.contains(&value) {
            return Ok(false);
        }
        items.push(value);
        self.set_node_property(id, key, Value::List(items))?;
        Ok(true)
    }

    /// Appends items to the list property `key` of a node in place: a lone value becomes the
    /// list's first item, a missing property a new list. Nothing is checked for duplicates;
    /// for lists that only grow, so that a long list is not copied to add one item.
    pub fn extend_node_list(
        &mut self,
        id: NodeId,
        key: &str,
        items: Vec<Value>,
    ) -> Result<(), GraphError> {
        let ix = self.node_ix(id).ok_or(GraphError::NoSuchNode(id))?;
        if items.is_empty() {
            return Ok(());
        }
        if key == NAME_KEY || key == ALIASES_KEY {
            // Names are indexed: they change through `set_node_property`.
            let mut list = match self.topology[ix].props.get(key) {
                Some(Value::List(old)) => old.clone(),
                Some(other) => vec![other.clone()],
                None => Vec::new(),
            };
            list.extend(items);
            self.set_node_property(id, key, Value::List(list))?;
            return Ok(());
        }
        let props = &mut self.node_mut(ix).props;
        match props.get_mut(key) {
            Some(Value::List(list)) => list.extend(items),
            Some(other) => {
                let mut list = vec![std::mem::take(other)];
                list.extend(items);
                *other = Value::List(list);
            }
            None => {
                props.insert(key.to_string(), Value::List(items));
            }
        }
        Ok(())
    }

    /// Merges a fact: an edge of the same type between the same nodes (either way round when
    /// symmetric) whose `key_props` are equal is updated with the new provenance and any
    /// property it lacked; otherwise a new edge is created. Reading the same sentence of the
    /// same article again changes nothing.
    pub fn merge_fact(&mut self, fact: &Fact<'_>) -> Result<(EdgeId, MergeOutcome), GraphError> {
        // A fresh index reads only the edges leaving the fact's nodes.
        self.merge_fact_indexed(fact.clone(), &mut FactIndex::default())
    }

    /// `merge_fact` for a run of merges: `index` remembers the edges leaving each node and the
    /// provenance each edge already lists, so a fact costs the same however many parallel
    /// edges or mentions it meets. The index must only ever be used with this
    /// graph, and no edge may be added, removed or changed other than through this method
    /// while it lives (ingestion holds one for a single run, during which it alone writes
    /// edges).
    pub fn merge_fact_indexed(
        &mut self,
        fact: Fact<'_>,
        index: &mut FactIndex,
    ) -> Result<(EdgeId, MergeOutcome), GraphError> {
        // `let else` rather than `ok_or`: the usual merge builds and drops no error value.
        let (Some(source), Some(target)) = (fact.source, fact.target) else {
            return Err(GraphError::MissingEndpoint);
        };
        // A missing node is not looked for here: no edge touches it, so none is found, and
        // making the edge fails with `NoSuchNode` for the source, else the target, as a check
        // here would.
        let (mut existing, slot) = self.find_fact(source, target, &fact, index);
        if fact.symmetric {
            let (back, _) = self.find_fact(target, source, &fact, index);
            existing = existing.into_iter().chain(back).min();
        }
        match existing {
            Some(found) => self.add_provenance(found, &fact, index),
            None => {
                // The edge made for the fact has the fact's hash in the fact's group, unless a
                // key property is one the provenance sets: the edge's value is then its own.
                let slot = (!fact.key_props.iter().any(|k| is_provenance_key(k))).then_some(slot);
                let (id, ix) = self.create_fact_edge(source, target, fact)?;
                index.add_edge(&self.topology[ix], ix, slot);
                Ok((id, MergeOutcome::Created))
            }
        }
    }

    /// The lowest edge from `source` to `target` that has the fact's type and key properties,
    /// and where an edge for the fact would go in the index.
    fn find_fact(
        &self,
        source: NodeId,
        target: NodeId,
        fact: &Fact<'_>,
        index: &mut FactIndex,
    ) -> (Option<FoundEdge>, FactSlot) {
        let same_key = |e: &Edge| {
            &*e.rel_type == fact.rel_type
                && fact
                    .key_props
                    .iter()
                    .all(|k| match (e.props.get(*k), fact.prop(k)) {
                        (None, None) => true,
                        (Some(Value::String(have)), Some(want)) => have == want,
                        _ => false,
                    })
        };
        let (at, group) = index.group(self, source, fact.key_props);
        let hash = group.hash_of_fact(target, fact);
        // The hash only narrows the search: each candidate is compared in full, in id order.
        let found = group.edges.get(&hash).and_then(|slot| {
            slot.iter()
                .copied()
                .find(|found| self.topology.edge_weight(found.ix).is_some_and(same_key))
        });
        (found, FactSlot { group: at, hash })
    }

    /// Creates the edge for a fact read for the first time, with its provenance.
    fn create_fact_edge(
        &mut self,
        source: NodeId,
        target: NodeId,
        fact: Fact<'_>,
    ) -> Result<(EdgeId, EdgeIndex), GraphError> {
        use provenance_keys as pk;
        let prov = &fact.provenance;
        // The provenance entries, in key order (a test checks it).
        let provenance = [
            (pk::ARTICLE, Value::from(prov.article)),
            (pk::ARTICLES, Value::List(vec![Value::from(prov.article)])),
            (pk::EVIDENCE, Value::from(prov.evidence)),
            (pk::EVIDENCES, Value::List(vec![Value::from(prov.evidence)])),
            (pk::MENTIONS, Value::Int(1)),
            (pk::RULE, Value::from(prov.rule)),
            (pk::RULES, Value::List(vec![Value::from(prov.rule)])),
        ];
        // The fact's own properties in key order, each key once with its last value. Keys
        // are compared as the map compares them, most by their first byte alone.
        let mut own: FactProps<'_> = SmallVec::new();
        for &(k, v) in fact.props.iter().rev() {
            if own.iter().all(|&(o, _)| key_order(o, k).is_ne()) {
                own.push((k, v));
            }
        }
        own.sort_unstable_by(|&(a, _), &(b, _)| key_order(a, b));
        // Both merged into one sorted map, built at once; a provenance key the fact also
        // gave takes the provenance value, as if each had been inserted in turn.
        let mut entries = Vec::with_capacity(own.len() + provenance.len());
        let entry = |&(k, v): &(&str, &str)| (CompactString::new(k), Value::from(v));
        let mut rest = own.as_slice();
        for (key, value) in provenance {
            while let [first, tail @ ..] = rest
                && key_order(first.0, key).is_lt()
            {
                entries.push(entry(first));
                rest = tail;
            }
            if let [first, tail @ ..] = rest
                && key_order(first.0, key).is_eq()
            {
                rest = tail;
            }
            entries.push((CompactString::new(key), value));
        }
        entries.extend(rest.iter().map(entry));
        let props = Properties::from_ordered_entries(entries);
        self.add_edge_at(source, fact.rel_type, target, props)
    }

    /// Adds a fact's provenance, and any property the edge lacked, to the edge found for it.
    /// The same article and sentence again change nothing.
    fn add_provenance(
        &mut self,
        FoundEdge { id: eid, ix }: FoundEdge,
        fact: &Fact<'_>,
        index: &mut FactIndex,
    ) -> Result<(EdgeId, MergeOutcome), GraphError> {
        use provenance_keys as pk;
        let Some(edge) = self.edge_mut(ix) else {
            return Err(GraphError::NoSuchEdge(eid));
        };
        let prov = &fact.provenance;
        // The usual edge, made by `create_fact_edge`, has its three lists and its count, and
        // every property of the fact (a property it lacks is added below).
        if let (
            false,
            [
                Some(Value::List(articles)),
                Some(Value::List(evidences)),
                Some(Value::Int(mentions)),
                Some(Value::List(rules)),
            ],
        ) = provenance_slots(&mut edge.props, &fact.props)
        {
            // Short lists are scanned; a long one gets its hashes remembered. Lists only grow
            // while the index lives, so an edge that has hashes keeps them up to date, and an
            // edge whose lists are all short has none to look up.
            let lists = [articles.as_slice(), evidences.as_slice(), rules.as_slice()];
            let mut seen = lists
                .iter()
                .any(|l| l.len() > SeenProvenance::SCAN_LIMIT)
                .then(|| {
                    index
                        .provenance
                        .entry(eid)
                        .or_insert_with(|| SeenProvenance::of_lists(lists))
                });
            if SeenProvenance::holds_in(seen.as_deref(), articles, pk::ARTICLES, prov.article)
                && SeenProvenance::holds_in(
                    seen.as_deref(),
                    evidences,
                    pk::EVIDENCES,
                    prov.evidence,
                )
            {
                return Ok((eid, MergeOutcome::Unchanged));
            }
            for (items, key, item) in [
                (articles, pk::ARTICLES, prov.article),
                (evidences, pk::EVIDENCES, prov.evidence),
                (rules, pk::RULES, prov.rule),
            ] {
                if !SeenProvenance::holds_in(seen.as_deref(), items, key, item) {
                    items.push(Value::from(item));
                    if let Some(seen) = seen.as_deref_mut() {
                        seen.insert(key, item);
                    }
                }
            }
            *mentions += 1;
            return Ok((eid, MergeOutcome::Updated));
        }
        // Any other edge: each list is looked up once for the checks that follow.
        let [articles, evidences, rules] = SeenProvenance::KEYS.map(|k| edge.props.get(k));
        // Short lists are scanned; a long one gets its hashes remembered. Lists only grow
        // while the index lives, so an edge that has hashes keeps them up to date.
        let long = [articles, evidences, rules].iter().any(|v| {
            v.and_then(Value::as_list)
                .is_some_and(|items| items.len() > SeenProvenance::SCAN_LIMIT)
        });
        if long {
            index
                .provenance
                .entry(eid)
                .or_insert_with(|| SeenProvenance::of(&edge.props));
        }
        let seen = index.provenance.get(&eid);
        if SeenProvenance::holds(seen, articles, pk::ARTICLES, prov.article)
            && SeenProvenance::holds(seen, evidences, pk::EVIDENCES, prov.evidence)
        {
            return Ok((eid, MergeOutcome::Unchanged));
        }
        if fact.props.iter().any(|(k, _)| !edge.props.contains_key(k)) {
            // A key property the edge gains moves it to another slot of the index.
            let before = index.hashes_of(edge);
            for &(k, v) in &fact.props {
                if !edge.props.contains_key(k) {
                    edge.props.insert(k.to_string(), Value::from(v));
                }
            }
            index.rehash(edge, ix, &before);
        }
        let mut seen = index.provenance.get_mut(&eid);
        for (key, item) in [
            (pk::ARTICLES, prov.article),
            (pk::EVIDENCES, prov.evidence),
            (pk::RULES, prov.rule),
        ] {
            // A list made here is empty, so it holds nothing, as the missing list did.
            let list = edge
                .props
                .get_or_insert_with(key, || Value::List(Vec::new()));
            let held = SeenProvenance::holds(seen.as_deref(), Some(list), key, item);
            // Only a list grows; a lone value set by hand is left as it is.
            if let Value::List(items) = list
                && !held
            {
                items.push(Value::from(item));
                if let Some(seen) = seen.as_deref_mut() {
                    seen.insert(key, item);
                }
            }
        }
        // Counted in place, so that the key is not allocated again for every mention.
        let mentions = edge
            .props
            .get_or_insert_with(pk::MENTIONS, || Value::Int(0));
        *mentions = Value::Int(mentions.as_int().unwrap_or(0) + 1);
        Ok((eid, MergeOutcome::Updated))
    }

    // ------------------------------------------------------------------ undoing

    /// For undo only: puts a removed node back under its old id, with its labels (in their
    /// order) and properties, updating every index. Its edges are restored separately, after
    /// it. Fails if the id is taken or was never handed out.
    pub fn restore_node(&mut self, node: Node) -> Result<(), GraphError> {
        if self.contains_node(node.id) {
            return Err(GraphError::DuplicateId(format!("node {}", node.id)));
        }
        if node.id.0 >= self.next_node_id {
            return Err(GraphError::NoSuchNode(node.id));
        }
        let labels: Vec<Arc<str>> = node.labels;
        self.insert_node(node.id, labels.iter().map(|l| &**l), node.props);
        Ok(())
    }

    /// For undo only: puts a removed edge back under its old id; both end nodes must exist.
    /// Fails if the id is taken or was never handed out.
    pub fn restore_edge(&mut self, edge: Edge) -> Result<(), GraphError> {
        if self.contains_edge(edge.id) {
            return Err(GraphError::DuplicateId(format!("relationship {}", edge.id)));
        }
        if edge.id.0 >= self.next_edge_id {
            return Err(GraphError::NoSuchEdge(edge.id));
        }
        self.insert_edge(
            edge.id,
            edge.source,
            &edge.rel_type,
            edge.target,
            edge.props,
        )
        .map(|_| ())
    }

    /// For undo only: gives a node back a label it lost, at its old place in the label list
    /// (the end if the list is now shorter), so that the node compares equal to before.
    pub fn restore_label(
        &mut self,
        id: NodeId,
        label: &str,
        position: usize,
    ) -> Result<bool, GraphError> {
        if !self.add_label(id, label)? {
            return Ok(false);
        }
        let ix = self.node_ix(id).ok_or(GraphError::NoSuchNode(id))?;
        let labels = &mut self.topology[ix].labels;
        if let Some(sym) = labels.pop() {
            labels.insert(position.min(labels.len()), sym);
        }
        Ok(true)
    }

    // ------------------------------------------------------------------ checking

    /// Checks that every index agrees with the elements: each id maps to its element, each
    /// label, name and type index lists exactly the elements that carry it, and every edge's
    /// end nodes exist. Tests and fuzzers call it after every change.
    pub fn check_consistency(&self) -> Result<(), String> {
        let mut want_label: BTreeMap<&str, BTreeSet<NodeId>> = BTreeMap::new();
        let mut want_name: BTreeMap<(&str, String), BTreeSet<NodeId>> = BTreeMap::new();
        for (id, ix) in self.node_index.iter() {
            let (id, ix) = (NodeId(id), NodeIndex::new(ix as usize));
            let node = self
                .topology
                .node_weight(ix)
                .ok_or(format!("node {id} maps to a vacant slot"))?;
            if node.id != id {
                return Err(format!("node {id} maps to node {}", node.id));
            }
            for label in &node.labels {
                want_label.entry(label).or_default().insert(id);
                for key in [NAME_KEY, ALIASES_KEY] {
                    for form in node.props.get(key).map(Value::strings).unwrap_or_default() {
                        let folded = fold_name(form);
                        if !folded.is_empty() {
                            want_name.entry((label, folded)).or_default().insert(id);
                        }
                    }
                }
            }
        }
        let have_label: BTreeMap<&str, BTreeSet<NodeId>> = self
            .by_label
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(l, ids)| (&**l, ids.clone()))
            .collect();
        if have_label != want_label {
            return Err(format!("label index {have_label:?} != {want_label:?}"));
        }
        let have_name: BTreeMap<(&str, String), BTreeSet<NodeId>> = self
            .by_name
            .iter()
            .flat_map(|(l, keys)| keys.iter().map(move |(k, ids)| ((&**l, k.clone()), ids)))
            .map(|(slot, ids)| (slot, ids.iter().copied().collect()))
            .collect();
        if have_name != want_name {
            return Err(format!("name index {have_name:?} != {want_name:?}"));
        }
        let mut want_type: BTreeMap<&str, BTreeSet<EdgeId>> = BTreeMap::new();
        for (id, ix) in self.edge_index.iter() {
            let (id, ix) = (EdgeId(id), EdgeIndex::new(ix as usize));
            let edge = self
                .topology
                .edge_weight(ix)
                .ok_or(format!("edge {id} maps to a vacant slot"))?;
            if edge.id != id {
                return Err(format!("edge {id} maps to edge {}", edge.id));
            }
            let (a, b) = self
                .topology
                .edge_endpoints(ix)
                .ok_or(format!("edge {id} has no end points"))?;
            if self.topology[a].id != edge.source || self.topology[b].id != edge.target {
                return Err(format!("edge {id} is attached to the wrong nodes"));
            }
            want_type.entry(&edge.rel_type).or_default().insert(id);
        }
        let have_type: BTreeMap<&str, BTreeSet<EdgeId>> = self
            .type_index()
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(t, ids)| (&**t, ids.iter().copied().collect()))
            .collect();
        let counted: BTreeMap<&str, usize> = self.rel_types().collect();
        let want_counts: BTreeMap<&str, usize> =
            want_type.iter().map(|(&t, ids)| (t, ids.len())).collect();
        if counted != want_counts {
            return Err(format!("type counts {counted:?} != {want_counts:?}"));
        }
        if have_type != want_type {
            return Err(format!("type index {have_type:?} != {want_type:?}"));
        }
        if self.topology.node_count() != self.node_index.len()
            || self.topology.edge_count() != self.edge_index.len()
        {
            return Err("petgraph holds elements the id maps do not".into());
        }
        let max_node = self.node_index.last().map_or(0, |id| id + 1);
        let max_edge = self.edge_index.last().map_or(0, |id| id + 1);
        if self.next_node_id < max_node || self.next_edge_id < max_edge {
            return Err("an id counter is behind an id in use".into());
        }
        self.check_columns()
    }

    /// Checks that every cached property column holds what the elements hold.
    fn check_columns(&self) -> Result<(), String> {
        // A NaN is not equal to itself, but is the same value.
        let same = |a: &Value, b: &Value| a == b || format!("{a:?}") == format!("{b:?}");
        for ((owner, key), column) in self.columns.held() {
            let ids = match owner {
                Owner::Node => self.next_node_id,
                Owner::Edge => self.next_edge_id,
            };
            for id in 0..ids {
                let props = match owner {
                    Owner::Node => self.node(NodeId(id)).map(|n| &n.props),
                    Owner::Edge => self.edge(EdgeId(id)).map(|e| &e.props),
                };
                let want = props.and_then(|p| p.get(&key)).unwrap_or(&Value::Null);
                let have = column.value(column.code(id));
                if !same(have, want) {
                    return Err(format!(
                        "the {owner:?} column of {key:?} holds {have:?} for id {id}, the element {want:?}"
                    ));
                }
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------------ loading

    /// Rebuilds a graph from saved records, keeping their ids. Used by the store's loader,
    /// which has already checked that ids are unique and edges point at saved nodes.
    pub(super) fn from_records(
        next_node_id: u64,
        next_edge_id: u64,
        nodes: Vec<(NodeId, Vec<String>, Properties)>,
        edges: Vec<(EdgeId, NodeId, String, NodeId, Properties)>,
    ) -> Result<Self, GraphError> {
        let mut loader = Loader::default();
        for (id, labels, props) in nodes {
            loader.node(id, labels.iter().map(String::as_str), props)?;
        }
        for (id, source, rel_type, target, props) in edges {
            loader.edge(id, source, Symbol::new(&rel_type), target, props)?;
        }
        Ok(loader.finish(next_node_id, next_edge_id))
    }
}

/// An edge as a file's record gives it, waiting in a batch for `Loader::edges`.
#[derive(Debug)]
pub(super) struct LoadedEdge {
    pub id: EdgeId,
    pub source: NodeId,
    pub rel_type: Symbol,
    pub target: NodeId,
    pub props: Properties,
}

/// Builds a graph from a file's records one at a time, keeping their ids: the store's bulk
/// loader, fed by a reader as it decodes, so that no list of records is held besides the
/// graph. Ids in increasing order, as every file skein writes has them, cost no lookup to be
/// known unique.
#[derive(Debug, Default)]
pub(super) struct Loader {
    graph: Graph,
    last_node: Option<NodeId>,
    last_edge: Option<EdgeId>,
    /// The edges of each type so far, by the type's address (see `Symbol::addr`): counted
    /// here at a hash of a number and added to the graph's counts once, at the end.
    type_tally: HashMap<usize, (Symbol, usize), FixedState>,
}

impl Loader {
    /// Makes room for `nodes` more nodes at once, so that storage grows once instead of
    /// doubling (and copying) twenty times on a large file.
    pub(super) fn reserve_nodes(&mut self, nodes: usize) {
        self.graph.reserve(nodes, 0);
    }

    /// Makes room for `edges` more edges at once.
    pub(super) fn reserve_edges(&mut self, edges: usize) {
        self.graph.reserve(0, edges);
    }

    pub(super) fn node<'l>(
        &mut self,
        id: NodeId,
        labels: impl IntoIterator<Item = &'l str>,
        props: Properties,
    ) -> Result<(), GraphError> {
        let after_last = self.last_node.is_none_or(|last| id > last);
        if !after_last && self.graph.contains_node(id) {
            return Err(GraphError::DuplicateId(format!("node {id}")));
        }
        self.graph.insert_node(id, labels, props);
        self.graph.next_node_id = self.graph.next_node_id.max(id.0.saturating_add(1));
        self.last_node = self.last_node.max(Some(id));
        Ok(())
    }

    pub(super) fn edge(
        &mut self,
        id: EdgeId,
        source: NodeId,
        rel_type: Symbol,
        target: NodeId,
        props: Properties,
    ) -> Result<(), GraphError> {
        let after_last = self.last_edge.is_none_or(|last| id > last);
        if !after_last && self.graph.contains_edge(id) {
            return Err(GraphError::DuplicateId(format!("edge {id}")));
        }
        self.graph.place_edge(id, source, rel_type, target, props)?;
        self.type_tally
            .entry(rel_type.addr())
            .or_insert((rel_type, 0))
            .1 += 1;
        self.graph.next_edge_id = self.graph.next_edge_id.max(id.0.saturating_add(1));
        self.last_edge = self.last_edge.max(Some(id));
        Ok(())
    }

    /// Edges given in a batch, in order, as `edge` takes them one by one; the batch is left
    /// empty. petgraph links a new edge into the lists of both its end nodes, and the end
    /// nodes of consecutive edges lie far apart in memory: their slots are read first, all
    /// together, so that the cache misses of a batch overlap instead of stalling each
    /// insertion twice in turn.
    pub(super) fn edges(&mut self, batch: &mut Vec<LoadedEdge>) -> Result<(), GraphError> {
        self.graph
            .touch_nodes(batch.iter().flat_map(|e| [e.source, e.target]));
        for e in batch.drain(..) {
            self.edge(e.id, e.source, e.rel_type, e.target, e.props)?;
        }
        Ok(())
    }

    /// The graph, with counters at least those given and above every id loaded.
    pub(super) fn finish(mut self, next_node_id: u64, next_edge_id: u64) -> Graph {
        for (rel_type, n) in self.type_tally.into_values() {
            self.graph.count_type(rel_type.as_str(), n);
        }
        self.graph.next_node_id = self.graph.next_node_id.max(next_node_id);
        self.graph.next_edge_id = self.graph.next_edge_id.max(next_edge_id);
        self.graph
    }
}

/// What `Graph::merge_fact_indexed` remembers between merges: the edges leaving each node met
/// so far, found by target, type and key properties, and the strings each merged edge's
/// provenance lists hold. Both are read from the graph the first time a node or an edge is
/// met, then kept in step by the merges themselves.
#[derive(Debug, Default)]
pub struct FactIndex {
    /// Per source node, its outgoing edges, one group for each list of key property names
    /// facts were merged with. (petgraph finds the edges between two nodes by walking all
    /// the edges of the first, so a group per pair would cost a hub's degree per pair.)
    sources: HashMap<NodeId, Vec<KeyGroup>, FixedState>,
    provenance: HashMap<EdgeId, SeenProvenance, FixedState>,
}

/// Edges leaving one node, by a hash of their target, type and the values of `keys`.
#[derive(Debug)]
struct KeyGroup {
    keys: Vec<String>,
    /// Each slot's edges are in increasing id order, so the first that matches is the lowest.
    edges: HashMap<u64, SmallVec<[FoundEdge; 1]>, FixedState>,
}

impl KeyGroup {
    /// Equal types and key values give equal hashes; unequal ones may collide, so a hit is
    /// only a candidate.
    fn hash_of(&self, target: NodeId, rel_type: &str, props: &Properties) -> u64 {
        self.hash_with(target, rel_type, |key, h| match props.get(key) {
            None => h.write_u8(0),
            Some(Value::String(s)) => {
                h.write_u8(1);
                s.hash(h);
            }
            Some(Value::Int(i)) => {
                h.write_u8(2);
                i.hash(h);
            }
            // Equal values always share a variant; telling the rest apart is left to the
            // full comparison.
            Some(_) => h.write_u8(3),
        })
    }

    /// `hash_of` for the edge a fact would make, read from the fact's borrowed strings.
    fn hash_of_fact(&self, target: NodeId, fact: &Fact<'_>) -> u64 {
        self.hash_with(target, fact.rel_type, |key, h| match fact.prop(key) {
            None => h.write_u8(0),
            Some(s) => {
                h.write_u8(1);
                s.hash(h);
            }
        })
    }

    /// The hash of a target, a type and each key's value, as `value` writes it.
    fn hash_with(
        &self,
        target: NodeId,
        rel_type: &str,
        value: impl Fn(&str, &mut <FixedState as BuildHasher>::Hasher),
    ) -> u64 {
        let mut h = FixedState::default().build_hasher();
        target.hash(&mut h);
        rel_type.hash(&mut h);
        for key in &self.keys {
            value(key, &mut h);
        }
        h.finish()
    }

    fn insert(&mut self, hash: u64, edge: FoundEdge) {
        let slot = self.edges.entry(hash).or_default();
        let at = slot.partition_point(|other| other.id < edge.id);
        if slot.get(at).is_none_or(|other| other.id != edge.id) {
            slot.insert(at, edge);
        }
    }

    fn remove(&mut self, hash: u64, id: EdgeId) {
        if let Some(slot) = self.edges.get_mut(&hash) {
            slot.retain(|other| other.id != id);
            if slot.is_empty() {
                self.edges.remove(&hash);
            }
        }
    }
}

/// Where an edge for a fact goes in a `FactIndex`: the group of its source for the fact's
/// key properties, by position (a source's groups are only ever added to), and the hash of
/// its target, type and key values there.
#[derive(Debug, Clone, Copy)]
struct FactSlot {
    group: usize,
    hash: u64,
}

/// An edge found in a `FactIndex`: its id, and where petgraph keeps it (valid while no edge
/// is removed, which the index's contract rules out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct FoundEdge {
    id: EdgeId,
    ix: EdgeIndex,
}

/// Hashes of the strings an edge's `articles`, `evidences` and `rules` hold (as
/// `Value::strings` reads them), each with its list's key. Hashes take no copy of the
/// strings; a hit is confirmed in the list itself.
#[derive(Debug, Default)]
struct SeenProvenance(HashSet<u64, FixedState>);

impl SeenProvenance {
    const KEYS: [&str; 3] = [
        provenance_keys::ARTICLES,
        provenance_keys::EVIDENCES,
        provenance_keys::RULES,
    ];

    /// Lists up to this long are scanned rather than hashed.
    const SCAN_LIMIT: usize = 16;

    fn hash(key: &str, item: &str) -> u64 {
        FixedState::default().hash_one((key, item))
    }

    fn of(props: &Properties) -> Self {
        let mut seen = SeenProvenance::default();
        for key in Self::KEYS {
            for item in props.get(key).map(Value::strings).unwrap_or_default() {
                seen.insert(key, item);
            }
        }
        seen
    }

    /// `of` for an edge whose three lists were already found, in `KEYS` order.
    fn of_lists(lists: [&[Value]; 3]) -> Self {
        let mut seen = SeenProvenance::default();
        for (key, items) in Self::KEYS.into_iter().zip(lists) {
            for item in items.iter().filter_map(Value::as_str) {
                seen.insert(key, item);
            }
        }
        seen
    }

    fn insert(&mut self, key: &str, item: &str) {
        self.0.insert(Self::hash(key, item));
    }

    /// Whether `list`, the value under `key`, holds `item`, as `Value::strings` reads it;
    /// `seen`, the hashes of a long list, rules most misses out without reading it.
    fn holds(seen: Option<&Self>, list: Option<&Value>, key: &str, item: &str) -> bool {
        match list {
            Some(Value::String(s)) => {
                seen.is_none_or(|seen| seen.0.contains(&Self::hash(key, item))) && s == item
            }
            Some(Value::List(items)) => Self::holds_in(seen, items, key, item),
            _ => false,
        }
    }

    /// `holds` for a list value's items.
    fn holds_in(seen: Option<&Self>, items: &[Value], key: &str, item: &str) -> bool {
        seen.is_none_or(|seen| seen.0.contains(&Self::hash(key, item)))
            // The latest items are the likeliest: the same article read twice in a row.
            && items.iter().rev().any(|v| v.as_str() == Some(item))
    }
}

impl FactIndex {
    /// The group of edges leaving `source` for these key properties, read from the graph the
    /// first time.
    fn group(&mut self, graph: &Graph, source: NodeId, keys: &[&str]) -> (usize, &KeyGroup) {
        let groups = self.sources.entry(source).or_default();
        let found = groups
            .iter()
            .position(|g| g.keys.iter().map(String::as_str).eq(keys.iter().copied()));
        let at = match found {
            Some(at) => at,
            None => {
                let mut group = KeyGroup {
                    keys: keys.iter().map(|k| k.to_string()).collect(),
                    edges: HashMap::default(),
                };
                if let Some(s) = graph.node_ix(source) {
                    for e in graph.topology.edges_directed(s, Direction::Outgoing) {
                        let (ix, e) = (e.id(), e.weight());
                        let hash = group.hash_of(e.target, &e.rel_type, &e.props);
                        group.insert(hash, FoundEdge { id: e.id, ix });
                    }
                }
                groups.push(group);
                groups.len() - 1
            }
        };
        (at, &groups[at])
    }

    /// Records an edge just created; `known`, if given, is its slot in one of its source's
    /// groups, whose hash is then not computed again.
    fn add_edge(&mut self, edge: &Edge, ix: EdgeIndex, known: Option<FactSlot>) {
        for (at, group) in self.groups_mut(edge).enumerate() {
            let hash = match known {
                Some(slot) if slot.group == at => slot.hash,
                _ => group.hash_of(edge.target, &edge.rel_type, &edge.props),
            };
            group.insert(hash, FoundEdge { id: edge.id, ix });
        }
    }

    /// The edge's hash in each group of its pair, to be given to `rehash` after its
    /// properties change.
    fn hashes_of(&self, edge: &Edge) -> Vec<u64> {
        self.sources
            .get(&edge.source)
            .into_iter()
            .flatten()
            .map(|g| g.hash_of(edge.target, &edge.rel_type, &edge.props))
            .collect()
    }

    fn rehash(&mut self, edge: &Edge, ix: EdgeIndex, before: &[u64]) {
        for (group, &old) in self.groups_mut(edge).zip(before) {
            let new = group.hash_of(edge.target, &edge.rel_type, &edge.props);
            if new != old {
                group.remove(old, edge.id);
                group.insert(new, FoundEdge { id: edge.id, ix });
            }
        }
    }

    fn groups_mut(&mut self, edge: &Edge) -> impl Iterator<Item = &mut KeyGroup> {
        self.sources.get_mut(&edge.source).into_iter().flatten()
    }
}

/// Whether `key` is one of the properties `create_fact_edge` sets from a fact's provenance.
fn is_provenance_key(key: &str) -> bool {
    use provenance_keys as pk;
    matches!(
        key,
        pk::ARTICLE
            | pk::ARTICLES
            | pk::EVIDENCE
            | pk::EVIDENCES
            | pk::MENTIONS
            | pk::RULE
            | pk::RULES
    )
}

/// Whether `props`, an edge's properties, lack any key of `fact_props`, and the values under
/// `articles`, `evidences`, `mentions` and `rules`, in that order: what a merge into the edge
/// reads and updates, found in one walk. Each key is matched against those four constants,
/// which compiles to a length and a word compared, and against a fact's key only where
/// length and first byte agree; a binary search for each of the keys instead compares two
/// strings at every step.
fn provenance_slots<'p>(
    props: &'p mut Properties,
    fact_props: &FactProps<'_>,
) -> (bool, [Option<&'p mut Value>; 4]) {
    use provenance_keys as pk;
    // Which of the fact's properties were found, by position; past 64 they are looked up.
    let tracked = fact_props.len().min(64);
    let mut lacking = fact_props[tracked..]
        .iter()
        .any(|(k, _)| !props.contains_key(k));
    let mut found: u64 = 0;
    let mut slots = [None, None, None, None];
    for (key, value) in props.iter_mut() {
        for (i, &(want, _)) in fact_props[..tracked].iter().enumerate() {
            if want.len() == key.len()
                && want.as_bytes().first() == key.as_bytes().first()
                && want == key
            {
                found |= 1 << i;
            }
        }
        let slot = match key {
            pk::ARTICLES => 0,
            pk::EVIDENCES => 1,
            pk::MENTIONS => 2,
            pk::RULES => 3,
            _ => continue,
        };
        slots[slot] = Some(value);
    }
    let all = u64::MAX.checked_shr(64 - tracked as u32).unwrap_or(0);
    lacking |= found != all;
    (lacking, slots)
}

/// Adds a node's name and alias keys to the name index (`insert`) or takes them out. A free
/// function over the index's fields, so that a node can be indexed where it is stored
/// rather than from a copy.
fn index_names_in(by_name: &mut NameIndex, node: &Node, insert: bool) {
    let keys = name_keys(node);
    index_keys(
        by_name,
        &node.labels,
        node.id,
        keys.iter().map(String::as_str),
        insert,
    );
}

/// The keys a node is indexed under: its name's and aliases' folded forms, but no empty one.
fn name_keys(node: &Node) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for key in [NAME_KEY, ALIASES_KEY] {
        if let Some(v) = node.props.get(key) {
            keys.extend(v.strings().into_iter().map(fold_name));
        }
    }
    keys.remove("");
    keys
}

/// Adds a node to the name index under `keys` for each of its labels (`insert`), or takes
/// it out from under them.
fn index_keys<'k>(
    by_name: &mut NameIndex,
    labels: &[Arc<str>],
    id: NodeId,
    keys: impl Iterator<Item = &'k str> + Clone,
    insert: bool,
) {
    for label in labels {
        if insert {
            let by_key = by_name.entry(Arc::clone(label)).or_default();
            for key in keys.clone() {
                match by_key.get_mut(key) {
                    Some(ids) => {
                        if let Err(at) = ids.binary_search(&id) {
                            ids.insert(at, id);
                        }
                    }
                    None => {
                        by_key.insert(key.to_string(), SmallVec::from_buf([id]));
                    }
                }
            }
        } else if let Some(by_key) = by_name.get_mut(&**label) {
            // A label left with no names keeps its (empty) map: lookups find nothing in it.
            for key in keys.clone() {
                if let Some(ids) = by_key.get_mut(key) {
                    if let Ok(at) = ids.binary_search(&id) {
                        ids.remove(at);
                    }
                    if ids.is_empty() {
                        by_key.remove(key);
                    }
                }
            }
        }
    }
}

/// The alias list after a merge, and the keys of the name and aliases: each candidate form
/// in turn (the old aliases, then the new forms), once per folded key, leaving out any form
/// that folds like the canonical name (`name_key`). Each form comes with its key.
fn merge_forms<'f, 'k>(
    name_key: &'k str,
    forms: impl Iterator<Item = (&'f str, &'k str)>,
) -> (Vec<&'f str>, BTreeSet<&'k str>) {
    let mut keys: BTreeSet<&str> = BTreeSet::from([name_key]);
    let mut out = Vec::new();
    for (form, key) in forms {
        if !key.is_empty() && keys.insert(key) {
            out.push(form);
        }
    }
    keys.remove("");
    (out, keys)
}

fn owned(forms: &[&str]) -> Vec<String> {
    forms.iter().map(|f| f.to_string()).collect()
}

/// Whether `n` live elements whose ids lie below `ids` are close enough for arrays by id
/// (property columns): at most twice as many slots as elements, and a little slack.
fn dense_ids(ids: u64, n: usize) -> bool {
    ids <= (n as u64).saturating_mul(2).saturating_add(1024)
}

/// Two graphs are equal when they have the same nodes and edges with the same ids, labels,
/// types and properties. Index state is derived, so it is not compared.
impl PartialEq for Graph {
    fn eq(&self, other: &Self) -> bool {
        self.node_count() == other.node_count()
            && self.edge_count() == other.edge_count()
            && self.nodes().zip(other.nodes()).all(|(a, b)| a == b)
            && self.edges().zip(other.edges()).all(|(a, b)| a == b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Properties {
        let mut props = Properties::new();
        props.insert(NAME_KEY, Value::from(name));
        props
    }

    #[test]
    fn ids_are_never_reused_after_deletion() {
        let mut g = Graph::new();
        let a = g.add_node(["Person"], named("A"));
        let b = g.add_node(["Person"], named("B"));
        g.remove_node(a).unwrap();
        let c = g.add_node(["Person"], named("C"));
        assert_ne!(c, a);
        assert_eq!(g.node(b).unwrap().name(), Some("B"));
        assert!(g.node(a).is_none());
        g.check_consistency().unwrap();
    }

    #[test]
    fn delete_refuses_a_node_with_edges_and_detach_removes_them() {
        let mut g = Graph::new();
        let a = g.add_node(["Person"], named("A"));
        let b = g.add_node(["Region"], named("B"));
        let e = g.add_edge(a, "LEADS", b, Properties::new()).unwrap();
        assert!(matches!(
            g.remove_node(a),
            Err(GraphError::NodeHasEdges(id, 1)) if id == a
        ));
        let (_, edges) = g.detach_remove_node(a).unwrap();
        assert_eq!(edges.len(), 1);
        assert_eq!(edges[0].id, e);
        assert_eq!(g.type_count("LEADS"), 0);
        g.check_consistency().unwrap();
    }

    #[test]
    fn name_index_follows_property_and_label_changes() {
        let mut g = Graph::new();
        let id = g.add_node(["Person"], named("Vladimir Putin"));
        assert_eq!(g.find_by_name(Some("Person"), "vladimir putin"), [id]);
        g.set_node_property(id, ALIASES_KEY, Value::from(vec!["Putin"]))
            .unwrap();
        assert_eq!(g.find_by_name(None, "PUTIN"), [id]);
        g.add_label(id, "Leader").unwrap();
        assert_eq!(g.find_by_name(Some("Leader"), "Putin"), [id]);
        g.remove_label(id, "Person").unwrap();
        assert!(g.find_by_name(Some("Person"), "Putin").is_empty());
        g.set_node_property(id, NAME_KEY, Value::Null).unwrap();
        assert!(g.find_by_name(None, "Vladimir Putin").is_empty());
        g.check_consistency().unwrap();
    }

    #[test]
    fn merging_an_entity_keeps_the_longest_name_and_every_other_form() {
        let mut g = Graph::new();
        let (a, first) = g.merge_entity(&EntityMention {
            label: "Person",
            name: "Putin",
            aliases: &[],
        });
        assert_eq!(first, MergeOutcome::Created);
        let (b, second) = g.merge_entity(&EntityMention {
            label: "Person",
            name: "Vladimir Putin",
            aliases: &["Putin".to_string()],
        });
        assert_eq!((b, second), (a, MergeOutcome::Updated));
        let node = g.node(a).unwrap();
        assert_eq!(node.name(), Some("Vladimir Putin"));
        assert_eq!(node.props[ALIASES_KEY], Value::from(vec!["Putin"]));
        let (_, third) = g.merge_entity(&EntityMention {
            label: "Person",
            name: "putin",
            aliases: &[],
        });
        assert_eq!(third, MergeOutcome::Unchanged);
        // The same name under another label is another entity.
        let (c, _) = g.merge_entity(&EntityMention {
            label: "Region",
            name: "Putin",
            aliases: &[],
        });
        assert_ne!(c, a);
        g.check_consistency().unwrap();
    }

    #[test]
    fn merging_into_a_node_named_by_hand_keeps_the_name_index_right() {
        let mut g = Graph::new();
        // A name that is a list, and no name but an alias, as a query could have set them.
        let listed: Properties = [(NAME_KEY, Value::from(vec!["Kremlin", "Red Square"]))]
            .into_iter()
            .collect();
        g.add_node(["Region"], listed);
        let unnamed: Properties = [(ALIASES_KEY, Value::from("Kyiv"))].into_iter().collect();
        g.add_node(["Region"], unnamed);
        for name in ["Moscow", "Kyiv", "Kremlin"] {
            g.merge_entity(&EntityMention {
                label: "Region",
                name,
                aliases: &["The Kremlin".to_string()],
            });
            g.check_consistency().unwrap();
        }
    }

    #[test]
    fn the_same_fact_read_twice_is_one_edge_with_both_provenances() {
        let mut g = Graph::new();
        let a = g.add_node(["Person"], named("Witkoff"));
        let b = g.add_node(["Person"], named("Putin"));
        let fact = |date: &'static str, article, evidence, source, target| Fact {
            source: Some(source),
            rel_type: "MET_WITH",
            target: Some(target),
            symmetric: true,
            props: smallvec::smallvec![("date", date)],
            key_props: &["date"],
            provenance: Provenance {
                article,
                evidence,
                rule: "met",
            },
        };
        let (e1, o1) = g
            .merge_fact(&fact("2025-04-11", "a1", "Witkoff met Putin.", a, b))
            .unwrap();
        let (e2, o2) = g
            .merge_fact(&fact("2025-04-11", "a1", "Witkoff met Putin.", a, b))
            .unwrap();
        let (e3, o3) = g
            .merge_fact(&fact("2025-04-11", "a2", "Putin met Witkoff.", b, a))
            .unwrap();
        assert_eq!(
            (o1, o2, o3),
            (
                MergeOutcome::Created,
                MergeOutcome::Unchanged,
                MergeOutcome::Updated
            )
        );
        assert!(e1 == e2 && e2 == e3);
        let edge = g.edge(e1).unwrap();
        assert_eq!(edge.props["articles"], Value::from(vec!["a1", "a2"]));
        assert_eq!(edge.props["mentions"], Value::Int(2));
        assert_eq!(edge.props["evidence"], Value::from("Witkoff met Putin."));
        // Another date is another fact.
        let (e4, o4) = g
            .merge_fact(&fact("2025-03-13", "a3", "They met.", a, b))
            .unwrap();
        assert_eq!(o4, MergeOutcome::Created);
        assert_ne!(e4, e1);
        g.check_consistency().unwrap();
    }

    #[test]
    fn a_new_edge_holds_its_properties_in_order_with_the_provenance_over_the_fact() {
        let mut g = Graph::new();
        let a = g.add_node(["Person"], named("A"));
        let b = g.add_node(["Person"], named("B"));
        let fact = Fact {
            source: Some(a),
            rel_type: "CRITICIZED",
            target: Some(b),
            props: smallvec::smallvec![
                ("what", "x"),
                ("zone", "z"),
                ("article", "not this one"),
                ("date", "2025-01-01"),
                ("date", "2025-01-02"),
            ],
            key_props: &["date"],
            provenance: Provenance {
                article: "a1",
                evidence: "A criticised B.",
                rule: "criticized",
            },
            ..Fact::default()
        };
        let (id, _) = g.merge_fact(&fact).unwrap();
        let props = &g.edge(id).unwrap().props;
        let keys: Vec<&str> = props.keys().collect();
        assert_eq!(
            keys,
            [
                "article",
                "articles",
                "date",
                "evidence",
                "evidences",
                "mentions",
                "rule",
                "rules",
                "what",
                "zone"
            ]
        );
        assert_eq!(props["article"], Value::from("a1"));
        assert_eq!(props["articles"], Value::from(vec!["a1"]));
        assert_eq!(props["date"], Value::from("2025-01-02"));
        assert_eq!(props["rules"], Value::from(vec!["criticized"]));
        assert_eq!(props["mentions"], Value::Int(1));
    }

    #[test]
    fn a_fact_with_a_missing_node_names_the_source_first() {
        let mut g = Graph::new();
        let a = g.add_node(["Person"], named("A"));
        let gone = NodeId(7);
        for symmetric in [false, true] {
            let fact = |source, target| Fact {
                source: Some(source),
                rel_type: if symmetric { "MET_WITH" } else { "CRITICIZED" },
                target: Some(target),
                symmetric,
                props: smallvec::smallvec![("date", "2025-01-01")],
                key_props: &["date"],
                ..Fact::default()
            };
            let mut index = FactIndex::default();
            for (source, target, missing) in [(gone, a, gone), (a, gone, gone), (gone, gone, gone)]
            {
                let err = g.merge_fact_indexed(fact(source, target), &mut index);
                assert!(matches!(err, Err(GraphError::NoSuchNode(id)) if id == missing));
            }
        }
        assert_eq!(g.edge_count(), 0);
        g.check_consistency().unwrap();
    }

    fn dated_fact<'a>(
        source: NodeId,
        target: NodeId,
        rel_type: &'a str,
        date: &'a str,
        article: &'a str,
    ) -> Fact<'a> {
        Fact {
            source: Some(source),
            rel_type,
            target: Some(target),
            symmetric: rel_type == "MET_WITH",
            props: smallvec::smallvec![("date", date)],
            key_props: &["date"],
            provenance: Provenance {
                article,
                evidence: "They met.",
                rule: "met",
            },
        }
    }

    #[test]
    fn a_fact_finds_its_edge_among_many_parallel_ones() {
        let mut g = Graph::new();
        let a = g.add_node(["Region"], named("France"));
        let b = g.add_node(["Region"], named("Germany"));
        let mut index = FactIndex::default();
        let dates: Vec<String> = (0..600)
            .map(|d| {
                format!(
                    "{}-{:02}-{:02}",
                    2000 + d / 336,
                    1 + d / 28 % 12,
                    1 + d % 28
                )
            })
            .collect();
        let mut ids = BTreeMap::new();
        for (n, date) in dates.iter().enumerate() {
            let rel_type = ["CRITICIZED", "MET_WITH"][n % 2];
            let fact = dated_fact(a, b, rel_type, date, "a1");
            let (id, outcome) = g.merge_fact_indexed(fact.clone(), &mut index).unwrap();
            assert_eq!(outcome, MergeOutcome::Created);
            ids.insert((rel_type, date.clone()), id);
        }
        // Another article, read the other way round: only the symmetric type matches.
        let fact = dated_fact(b, a, "MET_WITH", &dates[301], "a2");
        let (id, outcome) = g.merge_fact_indexed(fact.clone(), &mut index).unwrap();
        assert_eq!(
            (id, outcome),
            (
                ids[&("MET_WITH", dates[301].clone())],
                MergeOutcome::Updated
            )
        );
        let fact = dated_fact(b, a, "CRITICIZED", &dates[300], "a2");
        let (_, outcome) = g.merge_fact_indexed(fact.clone(), &mut index).unwrap();
        assert_eq!(outcome, MergeOutcome::Created);
        let fact = dated_fact(a, b, "CRITICIZED", &dates[300], "a2");
        let (id, outcome) = g.merge_fact_indexed(fact.clone(), &mut index).unwrap();
        assert_eq!(
            (id, outcome),
            (
                ids[&("CRITICIZED", dates[300].clone())],
                MergeOutcome::Updated
            )
        );
        // Reading it all again changes nothing, with this index or a fresh one.
        let before = g.clone();
        for (n, date) in dates.iter().enumerate() {
            let fact = dated_fact(a, b, ["CRITICIZED", "MET_WITH"][n % 2], date, "a1");
            let (_, outcome) = g.merge_fact_indexed(fact.clone(), &mut index).unwrap();
            assert_eq!(outcome, MergeOutcome::Unchanged);
            let (_, outcome) = g.merge_fact(&fact).unwrap();
            assert_eq!(outcome, MergeOutcome::Unchanged);
        }
        assert!(g == before);
        g.check_consistency().unwrap();
    }

    #[test]
    fn a_symmetric_fact_takes_the_lowest_edge_either_way_round() {
        let mut g = Graph::new();
        let a = g.add_node(["Person"], named("A"));
        let b = g.add_node(["Person"], named("B"));
        let mut date = Properties::new();
        date.insert("date", Value::from("2025-04-11"));
        let lowest = g.add_edge(b, "MET_WITH", a, date.clone()).unwrap();
        g.add_edge(a, "MET_WITH", b, date).unwrap();
        let mut index = FactIndex::default();
        let fact = dated_fact(a, b, "MET_WITH", "2025-04-11", "a1");
        assert_eq!(
            g.merge_fact_indexed(fact.clone(), &mut index).unwrap().0,
            lowest
        );
        // An edge made after the index met these nodes is found too, from either end.
        let fact = dated_fact(b, a, "MET_WITH", "2025-04-12", "a1");
        let (created, _) = g.merge_fact_indexed(fact.clone(), &mut index).unwrap();
        let fact = dated_fact(a, b, "MET_WITH", "2025-04-12", "a2");
        let (found, outcome) = g.merge_fact_indexed(fact.clone(), &mut index).unwrap();
        assert_eq!((found, outcome), (created, MergeOutcome::Updated));
        g.check_consistency().unwrap();
    }

    #[test]
    fn an_index_kept_over_many_merges_agrees_with_a_fresh_one() {
        let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
        let (mut kept, mut fresh) = (Graph::new(), Graph::new());
        let nodes: Vec<NodeId> = ["A", "B", "C", "D"]
            .iter()
            .map(|n| {
                fresh.add_node(["Person"], named(n));
                kept.add_node(["Person"], named(n))
            })
            .collect();
        let mut index = FactIndex::default();
        let texts = ["a1", "a2", "a3"];
        // Enough articles and sentences for lists long enough to be hashed.
        let many: Vec<String> = (0..40).map(|n| format!("s{n}")).collect();
        for step in 0..3000 {
            let mut props = FactProps::new();
            if rng.below(3) > 0 {
                let date = ["2025-01-01", "2025-01-02", "2025-01-03"][rng.below(3)];
                props.push(("date", date));
            }
            if rng.below(4) == 0 {
                props.push(("place", texts[rng.below(3)]));
            }
            let rel_type = ["MET_WITH", "CRITICIZED"][rng.below(2)];
            let fact = Fact {
                source: Some(nodes[rng.below(4)]),
                rel_type,
                target: Some(nodes[rng.below(4)]),
                symmetric: rel_type == "MET_WITH",
                props,
                key_props: [&["date"][..], &[]][rng.below(2)],
                provenance: Provenance {
                    article: &many[rng.below(many.len())],
                    evidence: &many[rng.below(many.len())],
                    rule: texts[rng.below(3)],
                },
            };
            let a = kept.merge_fact_indexed(fact.clone(), &mut index).unwrap();
            let b = fresh.merge_fact(&fact).unwrap();
            assert_eq!(a, b, "step {step}");
        }
        assert!(kept == fresh);
        kept.check_consistency().unwrap();
    }

    #[test]
    fn provenance_slots_find_what_a_lookup_for_each_key_finds() {
        let mut props: Properties = [
            ("articles", Value::from(vec!["a1"])),
            ("date", Value::from("2025-01-01")),
            ("mentions", Value::Int(1)),
            ("rule", Value::from("met")),
        ]
        .into_iter()
        .collect();
        let many_dates = vec![("date", "x"); 70];
        let mut many_then_zone = many_dates.clone();
        many_then_zone.push(("zone", "z"));
        let cases: [&[(&str, &str)]; 7] = [
            &[],
            &[("date", "x")],
            &[("date", "x"), ("date", "y")],
            &[("date", "x"), ("rules", "r")],
            &[("articles", "x"), ("rule", "x")],
            &many_dates,
            &many_then_zone,
        ];
        for keys in cases {
            let fact_props: FactProps<'_> = keys.iter().copied().collect();
            let want = keys.iter().any(|(k, _)| !props.contains_key(k));
            let (lacking, slots) = provenance_slots(&mut props, &fact_props);
            assert_eq!(lacking, want, "{keys:?}");
            let found = slots.map(|s| s.is_some());
            assert_eq!(found, [true, false, true, false], "{keys:?}");
        }
    }

    #[test]
    fn a_key_property_the_provenance_sets_is_indexed_by_the_edge_s_value() {
        let mut g = Graph::new();
        let a = g.add_node(["Person"], named("A"));
        let b = g.add_node(["Person"], named("B"));
        let fact = |props: FactProps<'static>| Fact {
            source: Some(a),
            rel_type: "MET_WITH",
            target: Some(b),
            props,
            key_props: &["rule"],
            provenance: Provenance {
                article: "a1",
                evidence: "A met B.",
                rule: "met",
            },
            ..Fact::default()
        };
        let mut index = FactIndex::default();
        // The edge made without a `rule` of the fact's own takes the provenance's, and a fact
        // that gives that rule finds it.
        let (made, _) = g
            .merge_fact_indexed(fact(FactProps::new()), &mut index)
            .unwrap();
        let found = g
            .merge_fact_indexed(fact(smallvec::smallvec![("rule", "met")]), &mut index)
            .unwrap();
        assert_eq!(found, (made, MergeOutcome::Unchanged));
        g.check_consistency().unwrap();
    }

    /// A small deterministic generator, so that the random walk below is the same every run.
    struct XorShift(u64);

    impl XorShift {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    #[test]
    fn indexes_stay_consistent_through_random_changes() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut g = Graph::new();
        let labels = ["Person", "Organization", "Region"];
        let names = [
            "Putin",
            "U.S.",
            "US",
            "Kremlin",
            "Kyiv",
            "the Kremlin",
            "Kiev",
        ];
        for step in 0..1500 {
            let nodes: Vec<NodeId> = g.nodes().map(|n| n.id).collect();
            let edges: Vec<EdgeId> = g.edges().map(|e| e.id).collect();
            let pick_node = |rng: &mut XorShift| nodes[rng.below(nodes.len())];
            match rng.below(10) {
                0 | 1 => {
                    let label = labels[rng.below(3)];
                    g.add_node([label], named(names[rng.below(names.len())]));
                }
                2 | 3 if !nodes.is_empty() => {
                    let (a, b) = (pick_node(&mut rng), pick_node(&mut rng));
                    g.add_edge(a, ["MET_WITH", "LEADS"][rng.below(2)], b, Properties::new())
                        .unwrap();
                }
                4 if !edges.is_empty() => {
                    g.remove_edge(edges[rng.below(edges.len())]).unwrap();
                }
                5 if !nodes.is_empty() => {
                    g.detach_remove_node(pick_node(&mut rng)).unwrap();
                }
                6 if !nodes.is_empty() => {
                    let value = Value::from(vec![names[rng.below(names.len())]]);
                    g.set_node_property(pick_node(&mut rng), ALIASES_KEY, value)
                        .unwrap();
                }
                7 if !nodes.is_empty() => {
                    let id = pick_node(&mut rng);
                    if rng.below(2) == 0 {
                        g.add_label(id, labels[rng.below(3)]).unwrap();
                    } else {
                        g.remove_label(id, labels[rng.below(3)]).unwrap();
                    }
                }
                _ => {
                    let name = names[rng.below(names.len())];
                    g.merge_entity(&EntityMention {
                        label: labels[rng.below(3)],
                        name,
                        aliases: &[],
                    });
                }
            }
            if let Err(e) = g.check_consistency() {
                panic!("inconsistent after step {step}: {e}");
            }
        }
    }
}
