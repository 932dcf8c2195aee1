//! The in-memory property graph: nodes with labels and properties, directed typed edges,
//! and the indexes kept in step with every change.
//!
//! petgraph holds the topology; callers only ever see our own `NodeId`/`EdgeId`, which are
//! handed out once and never reused, so an id saved in a file or printed to a user keeps
//! meaning the same element after other elements are deleted. This module does no I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};

use super::GraphError;
use super::name::fold_name;
use super::props::Properties;
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
    pub rel_type: Arc<str>,
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
    pub props: Properties,
    pub key_props: &'a [&'a str],
    pub provenance: Provenance<'a>,
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

/// The property graph with its indexes.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    topology: StableDiGraph<Node, Edge>,
    /// Our ids to petgraph's indexes; ordered, so that walking all elements is in id order.
    node_index: BTreeMap<NodeId, NodeIndex>,
    edge_index: BTreeMap<EdgeId, EdgeIndex>,
    next_node_id: u64,
    next_edge_id: u64,
    /// Interned label and type strings, so that a million edges share a few allocations.
    symbols: HashSet<Arc<str>>,
    by_label: BTreeMap<Arc<str>, BTreeSet<NodeId>>,
    by_name: HashMap<(Arc<str>, String), BTreeSet<NodeId>>,
    by_type: BTreeMap<Arc<str>, BTreeSet<EdgeId>>,
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

    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.node_index.get(&id).map(|&ix| &self.topology[ix])
    }

    pub fn edge(&self, id: EdgeId) -> Option<&Edge> {
        self.edge_index.get(&id).map(|&ix| &self.topology[ix])
    }

    pub fn contains_node(&self, id: NodeId) -> bool {
        self.node_index.contains_key(&id)
    }

    pub fn contains_edge(&self, id: EdgeId) -> bool {
        self.edge_index.contains_key(&id)
    }

    /// All nodes, in id order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> + '_ {
        self.node_index.values().map(|&ix| &self.topology[ix])
    }

    /// All edges, in id order.
    pub fn edges(&self) -> impl Iterator<Item = &Edge> + '_ {
        self.edge_index.values().map(|&ix| &self.topology[ix])
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
        self.by_type
            .get(rel_type)
            .into_iter()
            .flat_map(|ids| ids.iter().copied())
    }

    /// How many edges have type `rel_type`.
    pub fn type_count(&self, rel_type: &str) -> usize {
        self.by_type.get(rel_type).map_or(0, BTreeSet::len)
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
        self.by_type
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(t, ids)| (&**t, ids.len()))
    }

    /// Every property key used on a node or an edge, sorted.
    pub fn property_keys(&self) -> BTreeSet<&str> {
        let mut keys = BTreeSet::new();
        for ix in self.node_index.values() {
            keys.extend(self.topology[*ix].props.keys().map(String::as_str));
        }
        for ix in self.edge_index.values() {
            keys.extend(self.topology[*ix].props.keys().map(String::as_str));
        }
        keys
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
                if let Some(sym) = self.symbols.get(label)
                    && let Some(ids) = self.by_name.get(&(Arc::clone(sym), key))
                {
                    found.extend(ids);
                }
            }
            None => {
                for (label, _) in self.labels() {
                    if let Some(sym) = self.symbols.get(label)
                        && let Some(ids) = self.by_name.get(&(Arc::clone(sym), key.clone()))
                    {
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
        let Some(&ix) = self.node_index.get(&id) else {
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
        props.retain(|_, v| !v.is_null());
        props.shrink_to_fit();
        let mut syms: Vec<Arc<str>> = Vec::new();
        for label in labels {
            let sym = self.intern(label);
            if !syms.contains(&sym) {
                syms.push(sym);
            }
        }
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
        self.node_index.insert(id, ix);
    }

    /// Adds a directed edge; both end nodes must exist.
    pub fn add_edge(
        &mut self,
        source: NodeId,
        rel_type: &str,
        target: NodeId,
        props: Properties,
    ) -> Result<EdgeId, GraphError> {
        let id = EdgeId(self.next_edge_id);
        self.insert_edge(id, source, rel_type, target, props)?;
        self.next_edge_id += 1;
        Ok(id)
    }

    fn insert_edge(
        &mut self,
        id: EdgeId,
        source: NodeId,
        rel_type: &str,
        target: NodeId,
        mut props: Properties,
    ) -> Result<(), GraphError> {
        let src_ix = *self
            .node_index
            .get(&source)
            .ok_or(GraphError::NoSuchNode(source))?;
        let dst_ix = *self
            .node_index
            .get(&target)
            .ok_or(GraphError::NoSuchNode(target))?;
        props.retain(|_, v| !v.is_null());
        props.shrink_to_fit();
        let sym = self.intern(rel_type);
        self.by_type.entry(Arc::clone(&sym)).or_default().insert(id);
        let edge = Edge {
            id,
            rel_type: sym,
            source,
            target,
            props,
        };
        let ix = self.topology.add_edge(src_ix, dst_ix, edge);
        self.edge_index.insert(id, ix);
        Ok(())
    }

    /// Removes an edge and returns it.
    pub fn remove_edge(&mut self, id: EdgeId) -> Result<Edge, GraphError> {
        let ix = self
            .edge_index
            .remove(&id)
            .ok_or(GraphError::NoSuchEdge(id))?;
        let edge = self
            .topology
            .remove_edge(ix)
            .ok_or(GraphError::NoSuchEdge(id))?;
        if let Some(ids) = self.by_type.get_mut(&edge.rel_type) {
            ids.remove(&id);
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
        let ix = self
            .node_index
            .remove(&id)
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
        let ix = *self.node_index.get(&id).ok_or(GraphError::NoSuchNode(id))?;
        let indexed = key == NAME_KEY || key == ALIASES_KEY;
        if indexed {
            let node = self.topology[ix].clone();
            self.index_names(&node, false);
        }
        let node = &mut self.topology[ix];
        let old = if value.is_null() {
            node.props.remove(key)
        } else {
            node.props.insert(key.to_string(), value)
        };
        if indexed {
            let node = self.topology[ix].clone();
            self.index_names(&node, true);
        }
        Ok(old)
    }

    /// Replaces all properties of a node (openCypher `SET n = {...}`).
    pub fn replace_node_properties(
        &mut self,
        id: NodeId,
        mut props: Properties,
    ) -> Result<(), GraphError> {
        let ix = *self.node_index.get(&id).ok_or(GraphError::NoSuchNode(id))?;
        props.retain(|_, v| !v.is_null());
        let old = self.topology[ix].clone();
        self.index_names(&old, false);
        self.topology[ix].props = props;
        let new = self.topology[ix].clone();
        self.index_names(&new, true);
        Ok(())
    }

    /// Sets an edge property; `Value::Null` removes it. Returns the previous value.
    pub fn set_edge_property(
        &mut self,
        id: EdgeId,
        key: &str,
        value: Value,
    ) -> Result<Option<Value>, GraphError> {
        let ix = *self.edge_index.get(&id).ok_or(GraphError::NoSuchEdge(id))?;
        let edge = &mut self.topology[ix];
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
        let ix = *self.edge_index.get(&id).ok_or(GraphError::NoSuchEdge(id))?;
        props.retain(|_, v| !v.is_null());
        self.topology[ix].props = props;
        Ok(())
    }

    /// Adds a label to a node; returns whether it was new.
    pub fn add_label(&mut self, id: NodeId, label: &str) -> Result<bool, GraphError> {
        let ix = *self.node_index.get(&id).ok_or(GraphError::NoSuchNode(id))?;
        if self.topology[ix].has_label(label) {
            return Ok(false);
        }
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
        let ix = *self.node_index.get(&id).ok_or(GraphError::NoSuchNode(id))?;
        if !self.topology[ix].has_label(label) {
            return Ok(false);
        }
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
        let mut keys: BTreeSet<String> = BTreeSet::new();
        if let Some(v) = node.props.get(NAME_KEY) {
            keys.extend(v.strings().into_iter().map(fold_name));
        }
        if let Some(v) = node.props.get(ALIASES_KEY) {
            keys.extend(v.strings().into_iter().map(fold_name));
        }
        keys.remove("");
        for label in &node.labels {
            for key in &keys {
                let slot = (Arc::clone(label), key.clone());
                if insert {
                    self.by_name.entry(slot).or_default().insert(node.id);
                } else if let Some(ids) = self.by_name.get_mut(&slot) {
                    ids.remove(&node.id);
                    if ids.is_empty() {
                        self.by_name.remove(&slot);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ merging

    /// Merges an entity: the node with the same label whose name or an alias folds like the
    /// mention's name or an alias is updated, else a node is created. The canonical name is
    /// the longest form seen; every other form is kept once (by folded key) in `aliases`.
    pub fn merge_entity(&mut self, mention: &EntityMention<'_>) -> (NodeId, MergeOutcome) {
        let forms: Vec<&str> = std::iter::once(mention.name)
            .chain(mention.aliases.iter().map(String::as_str))
            .filter(|f| !fold_name(f).is_empty())
            .collect();
        let existing = forms
            .iter()
            .find_map(|f| self.find_by_name(Some(mention.label), f).first().copied());
        let Some(id) = existing else {
            let mut props = Properties::new();
            props.insert(NAME_KEY.to_string(), Value::from(mention.name));
            let aliases = merge_forms(mention.name, &[], &forms);
            if !aliases.is_empty() {
                props.insert(ALIASES_KEY.to_string(), Value::from(aliases));
            }
            return (self.add_node([mention.label], props), MergeOutcome::Created);
        };
        let node = &self.topology[self.node_index[&id]];
        let old_name = node.name().unwrap_or_default().to_string();
        let old_aliases: Vec<String> = node
            .props
            .get(ALIASES_KEY)
            .map(|v| v.strings().into_iter().map(str::to_string).collect())
            .unwrap_or_default();
        let new_name = if mention.name.chars().count() > old_name.chars().count() {
            mention.name.to_string()
        } else {
            old_name.clone()
        };
        let mut all_forms: Vec<&str> = vec![old_name.as_str()];
        all_forms.extend(forms.iter().copied());
        let aliases = merge_forms(&new_name, &old_aliases, &all_forms);
        if new_name == old_name && aliases == old_aliases {
            return (id, MergeOutcome::Unchanged);
        }
        let mut props = node.props.clone();
        props.insert(NAME_KEY.to_string(), Value::from(new_name));
        if aliases.is_empty() {
            props.remove(ALIASES_KEY);
        } else {
            props.insert(ALIASES_KEY.to_string(), Value::from(aliases));
        }
        // The node exists: replacing its properties cannot fail.
        let _ = self.replace_node_properties(id, props);
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

    /// Merges a fact: an edge of the same type between the same nodes (either way round when
    /// symmetric) whose `key_props` are equal is updated with the new provenance and any
    /// property it lacked; otherwise a new edge is created. Reading the same sentence of the
    /// same article again changes nothing.
    pub fn merge_fact(&mut self, fact: &Fact<'_>) -> Result<(EdgeId, MergeOutcome), GraphError> {
        use provenance_keys as pk;
        let source = fact.source.ok_or(GraphError::MissingEndpoint)?;
        let target = fact.target.ok_or(GraphError::MissingEndpoint)?;
        if !self.contains_node(source) {
            return Err(GraphError::NoSuchNode(source));
        }
        if !self.contains_node(target) {
            return Err(GraphError::NoSuchNode(target));
        }
        let same_key = |e: &Edge| {
            fact.key_props
                .iter()
                .all(|k| e.props.get(*k) == fact.props.get(*k))
        };
        // Only the edges between the two nodes are candidates: walking every edge of a hub
        // node for each fact made ingestion quadratic in the hub's degree.
        let (s_ix, t_ix) = (self.node_index[&source], self.node_index[&target]);
        let forward = self.topology.edges_connecting(s_ix, t_ix);
        let backward = fact
            .symmetric
            .then(|| self.topology.edges_connecting(t_ix, s_ix))
            .into_iter()
            .flatten();
        let existing = forward
            .chain(backward)
            .map(|e| e.weight())
            .filter(|e| &*e.rel_type == fact.rel_type)
            .filter(|e| same_key(e))
            .map(|e| e.id)
            .min();
        let prov = &fact.provenance;
        let Some(eid) = existing else {
            let mut props = fact.props.clone();
            props.insert(pk::ARTICLE.into(), Value::from(prov.article));
            props.insert(pk::EVIDENCE.into(), Value::from(prov.evidence));
            props.insert(pk::RULE.into(), Value::from(prov.rule));
            props.insert(pk::ARTICLES.into(), Value::from(vec![prov.article]));
            props.insert(pk::EVIDENCES.into(), Value::from(vec![prov.evidence]));
            props.insert(pk::RULES.into(), Value::from(vec![prov.rule]));
            props.insert(pk::MENTIONS.into(), Value::Int(1));
            let id = self.add_edge(source, fact.rel_type, target, props)?;
            return Ok((id, MergeOutcome::Created));
        };
        let ix = self.edge_index[&eid];
        let edge = &mut self.topology[ix];
        let seen = |key: &str, props: &Properties| {
            props
                .get(key)
                .is_some_and(|v| v.strings().contains(&prov.evidence))
        };
        let articles_have = edge
            .props
            .get(pk::ARTICLES)
            .is_some_and(|v| v.strings().contains(&prov.article));
        if articles_have && seen(pk::EVIDENCES, &edge.props) {
            return Ok((eid, MergeOutcome::Unchanged));
        }
        for (k, v) in &fact.props {
            if !v.is_null() && !edge.props.contains_key(k) {
                edge.props.insert(k.clone(), v.clone());
            }
        }
        for (key, item) in [
            (pk::ARTICLES, prov.article),
            (pk::EVIDENCES, prov.evidence),
            (pk::RULES, prov.rule),
        ] {
            let list = edge
                .props
                .get_or_insert_with(key, || Value::List(Vec::new()));
            if let Value::List(items) = list
                && !items.iter().any(|v| v.as_str() == Some(item))
            {
                items.push(Value::from(item));
            }
        }
        let mentions = edge
            .props
            .get(pk::MENTIONS)
            .and_then(Value::as_int)
            .unwrap_or(0);
        edge.props
            .insert(pk::MENTIONS.into(), Value::Int(mentions + 1));
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
        let ix = *self.node_index.get(&id).ok_or(GraphError::NoSuchNode(id))?;
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
        for (&id, &ix) in &self.node_index {
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
            .map(|((l, k), ids)| ((&**l, k.clone()), ids.clone()))
            .collect();
        if have_name != want_name {
            return Err(format!("name index {have_name:?} != {want_name:?}"));
        }
        let mut want_type: BTreeMap<&str, BTreeSet<EdgeId>> = BTreeMap::new();
        for (&id, &ix) in &self.edge_index {
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
            .by_type
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(t, ids)| (&**t, ids.clone()))
            .collect();
        if have_type != want_type {
            return Err(format!("type index {have_type:?} != {want_type:?}"));
        }
        if self.topology.node_count() != self.node_index.len()
            || self.topology.edge_count() != self.edge_index.len()
        {
            return Err("petgraph holds elements the id maps do not".into());
        }
        let max_node = self.node_index.keys().next_back().map_or(0, |id| id.0 + 1);
        let max_edge = self.edge_index.keys().next_back().map_or(0, |id| id.0 + 1);
        if self.next_node_id < max_node || self.next_edge_id < max_edge {
            return Err("an id counter is behind an id in use".into());
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
        let mut graph = Graph::new();
        for (id, labels, props) in nodes {
            if graph.contains_node(id) {
                return Err(GraphError::DuplicateId(format!("node {id}")));
            }
            graph.insert_node(id, labels.iter().map(String::as_str), props);
            graph.next_node_id = graph.next_node_id.max(id.0 + 1);
        }
        for (id, source, rel_type, target, props) in edges {
            if graph.contains_edge(id) {
                return Err(GraphError::DuplicateId(format!("edge {id}")));
            }
            graph.insert_edge(id, source, &rel_type, target, props)?;
            graph.next_edge_id = graph.next_edge_id.max(id.0 + 1);
        }
        graph.next_node_id = graph.next_node_id.max(next_node_id);
        graph.next_edge_id = graph.next_edge_id.max(next_edge_id);
        Ok(graph)
    }
}

/// The alias list after a merge: the old aliases, then each new form, once per folded key,
/// leaving out any form that folds like the canonical name.
fn merge_forms(name: &str, old: &[String], forms: &[&str]) -> Vec<String> {
    let mut keys: BTreeSet<String> = BTreeSet::new();
    keys.insert(fold_name(name));
    let mut out = Vec::new();
    for form in old.iter().map(String::as_str).chain(forms.iter().copied()) {
        let key = fold_name(form);
        if !key.is_empty() && keys.insert(key) {
            out.push(form.to_string());
        }
    }
    out
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
        props.insert(NAME_KEY.into(), Value::from(name));
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
    fn the_same_fact_read_twice_is_one_edge_with_both_provenances() {
        let mut g = Graph::new();
        let a = g.add_node(["Person"], named("Witkoff"));
        let b = g.add_node(["Person"], named("Putin"));
        let mut props = Properties::new();
        props.insert("date".into(), Value::from("2025-04-11"));
        let fact = |props: &Properties, article, evidence, source, target| Fact {
            source: Some(source),
            rel_type: "MET_WITH",
            target: Some(target),
            symmetric: true,
            props: props.clone(),
            key_props: &["date"],
            provenance: Provenance {
                article,
                evidence,
                rule: "met",
            },
        };
        let (e1, o1) = g
            .merge_fact(&fact(&props, "a1", "Witkoff met Putin.", a, b))
            .unwrap();
        let (e2, o2) = g
            .merge_fact(&fact(&props, "a1", "Witkoff met Putin.", a, b))
            .unwrap();
        let (e3, o3) = g
            .merge_fact(&fact(&props, "a2", "Putin met Witkoff.", b, a))
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
        props.insert("date".into(), Value::from("2025-03-13"));
        let (e4, o4) = g
            .merge_fact(&fact(&props, "a3", "They met.", a, b))
            .unwrap();
        assert_eq!(o4, MergeOutcome::Created);
        assert_ne!(e4, e1);
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
