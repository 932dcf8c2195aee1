//! Random multigraphs for the query engine's property tests, shared by the library's unit
//! tests (`query::join`, which includes this file by path under `cfg(test)`) and the
//! integration tests (through `common`), so that neither ships test code in the library.
//! Paths go through `skein::`, which the library names itself too (`extern crate self`).

// Each includer uses a part.
#![allow(dead_code)]

use skein::graph::{EdgeId, Graph, NodeId, Properties, Value};

/// A small deterministic generator (64-bit LCG), so a failure reproduces from its case.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// An edge as a reference sees it: id, source, target, type, weight `w`.
pub type RefEdge = (EdgeId, NodeId, NodeId, &'static str, i64);

/// How the nodes are named.
#[derive(Clone, Copy)]
pub enum Names {
    /// `n0`, `n1`, ...: one node per name, found by the name index.
    Unique,
    /// `x`, `y` or none: names that several nodes share, for grouping by value.
    Shared,
}

/// The size and naming of a random graph.
pub struct Shape {
    /// At most this many nodes (at least 2).
    pub max_nodes: usize,
    /// At most this many edges (none at the least).
    pub max_edges: usize,
    pub names: Names,
}

/// A random graph with its nodes in the order they were made and its edges as a reference
/// reads them.
pub struct RandomGraph {
    pub graph: Graph,
    pub nodes: Vec<NodeId>,
    pub edges: Vec<RefEdge>,
}

/// A random multigraph with self-loops and parallel edges. Every node has the label `N`,
/// maybe `L1` and `L2`, a property `k` in 0..3 and maybe `f`, 1 or 1.0 (which group apart);
/// every edge has the type `T1` or `T2` and a weight `w` in 0..3.
pub fn random_graph(r: &mut Lcg, shape: &Shape) -> RandomGraph {
    let mut graph = Graph::new();
    let n = 2 + r.below(shape.max_nodes.max(2) - 1);
    let mut nodes = Vec::new();
    for i in 0..n {
        let labels: &[&str] = match r.below(4) {
            0 => &["N", "L1"],
            1 => &["N", "L2"],
            2 => &["N", "L1", "L2"],
            _ => &["N"],
        };
        let mut props = Properties::new();
        props.insert("k", Value::Int(r.below(3) as i64));
        let name = match shape.names {
            Names::Unique => Some(format!("n{i}")),
            Names::Shared => match r.below(4) {
                0 => None,
                j => Some(["x", "y", "x"][j - 1].to_string()),
            },
        };
        if let Some(name) = name {
            props.insert("name", Value::String(name.into()));
        }
        match r.below(3) {
            0 => props.insert("f", Value::Float(1.0)),
            1 => props.insert("f", Value::Int(1)),
            _ => None,
        };
        nodes.push(graph.add_node(labels.iter().copied(), props));
    }
    let mut edges = Vec::new();
    for _ in 0..r.below(shape.max_edges + 1) {
        let (a, b) = (nodes[r.below(n)], nodes[r.below(n)]);
        let w = r.below(3) as i64;
        let mut props = Properties::new();
        props.insert("w", Value::Int(w));
        let t = if r.below(3) == 0 { "T2" } else { "T1" };
        let id = graph.add_edge(a, t, b, props).expect("both ends exist");
        edges.push((id, a, b, t, w));
    }
    RandomGraph {
        graph,
        nodes,
        edges,
    }
}
