//! The undo log of a writing query: every change the executor makes to the graph, recorded
//! with what it takes to reverse it, and replayed backwards when the query fails or is
//! cancelled.
//!
//! It must never copy the graph: its size follows the changes made, not the graph's size.

use std::cell::RefCell;

use crate::graph::{Edge, EdgeId, Graph, Node, NodeId, Value};

/// One change to the graph, holding what undoing it needs.
#[derive(Debug)]
pub enum Change {
    NodeCreated(NodeId),
    EdgeCreated(EdgeId),
    NodeDeleted(Node),
    EdgeDeleted(Edge),
    NodeProperty {
        id: NodeId,
        key: String,
        old: Option<Value>,
    },
    EdgeProperty {
        id: EdgeId,
        key: String,
        old: Option<Value>,
    },
    LabelAdded {
        id: NodeId,
        label: String,
    },
    LabelRemoved {
        id: NodeId,
        label: String,
        position: usize,
    },
}

/// The changes of one query, in the order they were made. Interior mutability lets the
/// executor record through the shared evaluation context.
#[derive(Debug, Default)]
pub struct UndoLog {
    changes: RefCell<Vec<Change>>,
}

impl UndoLog {
    pub fn record(&self, change: Change) {
        self.changes.borrow_mut().push(change);
    }

    /// Reverses every recorded change, last first, and empties the log. Each step undoes a
    /// change that was made in exactly the state the later steps restore, so none can fail;
    /// the first that does anyway is reported (the graph is then left as far as undone).
    /// The type of a relationship this query deleted, which `type(r)` may still ask for.
    pub fn deleted_edge_type(&self, id: EdgeId) -> Option<crate::graph::Symbol> {
        self.changes.borrow().iter().rev().find_map(|c| match c {
            Change::EdgeDeleted(e) if e.id == id => Some(e.rel_type),
            _ => None,
        })
    }

    pub fn rollback(&self, graph: &mut Graph) -> Result<(), String> {
        let changes = std::mem::take(&mut *self.changes.borrow_mut());
        for change in changes.into_iter().rev() {
            let undone = match change {
                Change::NodeCreated(id) => graph.remove_node(id).map(drop),
                Change::EdgeCreated(id) => graph.remove_edge(id).map(drop),
                Change::NodeDeleted(node) => graph.restore_node(node),
                Change::EdgeDeleted(edge) => graph.restore_edge(edge),
                Change::NodeProperty { id, key, old } => graph
                    .set_node_property(id, &key, old.unwrap_or(Value::Null))
                    .map(drop),
                Change::EdgeProperty { id, key, old } => graph
                    .set_edge_property(id, &key, old.unwrap_or(Value::Null))
                    .map(drop),
                Change::LabelAdded { id, label } => graph.remove_label(id, &label).map(drop),
                Change::LabelRemoved {
                    id,
                    label,
                    position,
                } => graph.restore_label(id, &label, position).map(drop),
            };
            undone.map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphError, NAME_KEY, Properties};

    fn named(name: &str) -> Properties {
        let mut props = Properties::new();
        props.insert(NAME_KEY, Value::from(name));
        props
    }

    #[test]
    fn restored_nodes_and_edges_keep_their_ids_and_the_indexes() {
        let mut g = Graph::new();
        let a = g.add_node(["Person", "Leader"], named("Alice"));
        let b = g.add_node(["Region"], named("Kyiv"));
        let e = g.add_edge(a, "LOCATED_IN", b, named("x")).unwrap();
        let before = g.clone();
        let (node, edges) = g.detach_remove_node(a).unwrap();
        assert!(g.find_by_name(None, "Alice").is_empty());
        g.restore_node(node.clone()).unwrap();
        for edge in edges {
            g.restore_edge(edge).unwrap();
        }
        g.check_consistency().unwrap();
        assert!(g == before, "the restored graph differs");
        assert_eq!(g.find_by_name(Some("Leader"), "Alice"), vec![a]);
        assert_eq!(g.edges_of_type("LOCATED_IN").collect::<Vec<_>>(), vec![e]);
        // A live id cannot be restored over, and an id never handed out cannot be restored.
        assert!(matches!(
            g.restore_node(node.clone()),
            Err(GraphError::DuplicateId(_))
        ));
        let mut unknown = node;
        unknown.id = NodeId(99);
        assert!(g.restore_node(unknown).is_err());
        g.check_consistency().unwrap();
    }

    #[test]
    fn a_restored_label_goes_back_to_its_place() {
        let mut g = Graph::new();
        let a = g.add_node(["A", "B", "C"], Properties::new());
        let before = g.clone();
        g.remove_label(a, "B").unwrap();
        assert!(g.restore_label(a, "B", 1).unwrap());
        g.check_consistency().unwrap();
        assert!(g == before, "labels are in another order");
    }

    #[test]
    fn rollback_reverses_changes_in_reverse_order() {
        let mut g = Graph::new();
        let a = g.add_node(["Person"], named("Alice"));
        let before = g.clone();
        let log = UndoLog::default();
        let old = g
            .set_node_property(a, NAME_KEY, Value::from("Alicia"))
            .unwrap();
        log.record(Change::NodeProperty {
            id: a,
            key: NAME_KEY.into(),
            old,
        });
        let b = g.add_node(["Person"], named("Bob"));
        log.record(Change::NodeCreated(b));
        let e = g.add_edge(a, "MET_WITH", b, Properties::new()).unwrap();
        log.record(Change::EdgeCreated(e));
        assert!(g.add_label(a, "Leader").unwrap());
        log.record(Change::LabelAdded {
            id: a,
            label: "Leader".into(),
        });
        log.rollback(&mut g).unwrap();
        g.check_consistency().unwrap();
        assert!(g == before, "rollback left changes behind");
        assert_eq!(g.find_by_name(None, "Alice"), vec![a]);
        // The log is empty afterwards, so a second rollback changes nothing.
        log.rollback(&mut g).unwrap();
        assert!(g == before);
    }
}
