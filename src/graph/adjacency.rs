//! The read side of the store: adjacency by (relationship type, direction) as sorted
//! neighbour arrays in compressed sparse rows, and label sets as bitmaps, over dense node
//! numbers, so that the query engine walks and intersects neighbour lists without a map
//! lookup or an allocation per step.
//!
//! It is a snapshot built from a `Graph` and never changed afterwards: the graph drops it on
//! every change of nodes, edges or labels and builds a new one when it is next asked for one.
//! It must never be written to, and never outlive a change of the graph it was built from.

use std::collections::HashMap;
use std::sync::Arc;

/// The maps of type names and labels the snapshot is built with and looked up in: foldhash
/// (seeded per process) hashes a short name several times faster than the standard SipHash,
/// and the build looks up every edge's type.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

use super::store::{EdgeId, Graph, NodeId};
use super::symbol::Symbol;

/// A node's dense number: its position among the live nodes in id order.
pub type Dense = u32;

/// Which list of a node to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Edges leaving the node; the neighbour is the target.
    Out,
    /// Edges entering the node; the neighbour is the source.
    In,
}

/// One direction's rows: for each node, its edges sorted by (type, neighbour, edge id).
#[derive(Debug, Clone, Default)]
struct Rows {
    /// Node `d`'s edges are at `offsets[d]..offsets[d + 1]`.
    offsets: Vec<u32>,
    types: Vec<u32>,
    nbrs: Vec<Dense>,
    edges: Vec<EdgeId>,
}

/// A run of one node's edges of one type, sorted by neighbour then edge id.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    pub nbrs: &'a [Dense],
    pub edges: &'a [EdgeId],
}

impl<'a> Segment<'a> {
    pub fn len(&self) -> usize {
        self.nbrs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nbrs.is_empty()
    }

    /// The edges of this segment that lead to `nbr` (a binary search, no allocation).
    pub fn edges_to(&self, nbr: Dense) -> &'a [EdgeId] {
        let lo = self.nbrs.partition_point(|&n| n < nbr);
        let hi = lo + self.nbrs[lo..].partition_point(|&n| n == nbr);
        &self.edges[lo..hi]
    }

    /// Whether some edge of this segment leads to `nbr`.
    pub fn contains(&self, nbr: Dense) -> bool {
        self.nbrs.binary_search(&nbr).is_ok()
    }
}

/// A set of dense node numbers as one bit each.
#[derive(Debug, Clone, Default)]
pub struct Bitmap {
    words: Vec<u64>,
}

impl Bitmap {
    pub fn new(bits: usize) -> Self {
        Bitmap {
            words: vec![0; bits.div_ceil(64)],
        }
    }

    pub fn get(&self, i: Dense) -> bool {
        let i = i as usize;
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    /// Sets bit `i`; returns whether it was clear before.
    pub fn insert(&mut self, i: Dense) -> bool {
        let i = i as usize;
        let Some(w) = self.words.get_mut(i / 64) else {
            return false;
        };
        let bit = 1u64 << (i % 64);
        let was = *w & bit == 0;
        *w |= bit;
        was
    }

    pub fn clear(&mut self) {
        self.words.iter_mut().for_each(|w| *w = 0);
    }

    /// The set bits in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = Dense> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros();
                w &= w - 1;
                Some((wi * 64) as Dense + b)
            })
        })
    }

    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    fn bytes(&self) -> usize {
        self.words.len() * 8
    }
}

/// Dense node numbers and node ids, both ways.
#[derive(Debug, Clone)]
enum DenseIds {
    /// Every id is its dense number (every graph just opened or built, until a deletion):
    /// nothing is stored and a lookup reads no memory.
    Identity(usize),
    /// Dense number to node id; sorted, so an id finds its number by binary search.
    Table(Vec<NodeId>),
}

impl Default for DenseIds {
    fn default() -> Self {
        DenseIds::Identity(0)
    }
}

impl DenseIds {
    fn new(ids: Vec<NodeId>) -> Self {
        if ids.iter().enumerate().all(|(d, id)| id.0 == d as u64) {
            DenseIds::Identity(ids.len())
        } else {
            DenseIds::Table(ids)
        }
    }

    fn len(&self) -> usize {
        match self {
            DenseIds::Identity(n) => *n,
            DenseIds::Table(ids) => ids.len(),
        }
    }
}

/// The adjacency snapshot of a graph.
#[derive(Debug, Clone, Default)]
pub struct Adjacency {
    ids: DenseIds,
    out: Rows,
    inc: Rows,
    /// Type number to type name, and back.
    type_names: Vec<Arc<str>>,
    type_index: FastMap<Arc<str>, u32>,
    labels: FastMap<Arc<str>, Bitmap>,
}

impl Adjacency {
    /// Builds the snapshot of `g`: two passes over the edges per direction (count, fill),
    /// then a sort of each node's row.
    pub fn build(g: &Graph) -> Self {
        let ids: Vec<NodeId> = g.nodes().map(|n| n.id).collect();
        let n = ids.len();
        // Ids to dense numbers through a table when the ids are compact (in every graph
        // skein made, they are), else by a binary search.
        let table: Option<Vec<Dense>> = ids
            .last()
            .and_then(|last| usize::try_from(last.0).ok())
            .filter(|&last| last < 4 * n + (1 << 16))
            .map(|last| {
                let mut table = vec![Dense::MAX; last + 1];
                for (d, id) in ids.iter().enumerate() {
                    table[id.0 as usize] = d as Dense;
                }
                table
            });
        let dense = |id: NodeId| match &table {
            Some(table) => usize::try_from(id.0)
                .ok()
                .and_then(|i| table.get(i))
                .copied()
                .filter(|&d| d != Dense::MAX),
            None => ids.binary_search(&id).ok().map(|d| d as Dense),
        };
        // Types are numbered in name order (the store counts them in that order), so that a
        // node's edges list in an order that does not depend on the order they were added: by
        // type name, then neighbour, then edge id. An edge's type is found by its symbol's
        // address, a number, rather than by hashing its text once per edge.
        let type_names: Vec<Arc<str>> = g.rel_types().map(|(t, _)| Arc::from(t)).collect();
        let type_index: FastMap<Arc<str>, u32> = type_names
            .iter()
            .enumerate()
            .map(|(i, t)| (Arc::clone(t), i as u32))
            .collect();
        let by_addr: FastMap<usize, u32> = type_names
            .iter()
            .enumerate()
            .map(|(i, t)| (Symbol::new(t).addr(), i as u32))
            .collect();
        // The outgoing rows from the graph's edges in the store's order (each row is sorted
        // afterwards; an edge whose end or type the snapshot does not know is left out), the
        // incoming ones from the outgoing: no list of every edge is held beside the two
        // directions while they are built.
        let out = Rows::fill(n, || {
            g.edges_unordered().filter_map(|e| {
                let ty = by_addr.get(&e.rel_type.addr()).copied()?;
                Some((dense(e.source)?, ty, dense(e.target)?, e.id))
            })
        });
        let inc = Rows::fill(n, || out.entries().map(|(s, ty, t, e)| (t, ty, s, e)));
        let mut labels: FastMap<Arc<str>, Bitmap> = FastMap::default();
        for (d, node) in g.nodes().enumerate() {
            for l in &node.labels {
                labels
                    .entry(Arc::clone(l))
                    .or_insert_with(|| Bitmap::new(n))
                    .insert(d as Dense);
            }
        }
        Adjacency {
            ids: DenseIds::new(ids),
            out,
            inc,
            type_names,
            type_index,
            labels,
        }
    }

    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// The dense number of a live node.
    pub fn dense(&self, id: NodeId) -> Option<Dense> {
        match &self.ids {
            DenseIds::Identity(n) => (id.0 < *n as u64).then_some(id.0 as Dense),
            DenseIds::Table(ids) => ids.binary_search(&id).ok().map(|d| d as Dense),
        }
    }

    pub fn id(&self, d: Dense) -> NodeId {
        match &self.ids {
            DenseIds::Identity(_) => NodeId(u64::from(d)),
            DenseIds::Table(ids) => ids[d as usize],
        }
    }

    /// The number of a relationship type that some edge has.
    pub fn type_number(&self, name: &str) -> Option<u32> {
        self.type_index.get(name).copied()
    }

    pub fn type_name(&self, t: u32) -> &str {
        self.type_names.get(t as usize).map_or("", |s| s)
    }

    pub fn type_count(&self) -> usize {
        self.type_names.len()
    }

    /// The nodes that carry `label`, or `None` when no node does.
    pub fn label(&self, label: &str) -> Option<&Bitmap> {
        self.labels.get(label)
    }

    fn rows(&self, side: Side) -> &Rows {
        match side {
            Side::Out => &self.out,
            Side::In => &self.inc,
        }
    }

    /// Node `d`'s edges of type `t` on `side`, sorted by neighbour.
    pub fn segment(&self, d: Dense, side: Side, t: u32) -> Segment<'_> {
        let rows = self.rows(side);
        let (lo, hi) = rows.range(d);
        let types = &rows.types[lo..hi];
        let a = lo + types.partition_point(|&x| x < t);
        let b = lo + types.partition_point(|&x| x <= t);
        Segment {
            nbrs: &rows.nbrs[a..b],
            edges: &rows.edges[a..b],
        }
    }

    /// Node `d`'s edges of every type on `side`, one segment per type.
    pub fn segments_all(&self, d: Dense, side: Side) -> impl Iterator<Item = Segment<'_>> + '_ {
        let rows = self.rows(side);
        let (lo, hi) = rows.range(d);
        let mut i = lo;
        std::iter::from_fn(move || {
            if i >= hi {
                return None;
            }
            let t = rows.types[i];
            let end = i + rows.types[i..hi].partition_point(|&x| x == t);
            let seg = Segment {
                nbrs: &rows.nbrs[i..end],
                edges: &rows.edges[i..end],
            };
            i = end;
            Some(seg)
        })
    }

    /// How many edges node `d` has on `side`, of every type.
    pub fn degree(&self, d: Dense, side: Side) -> usize {
        let (lo, hi) = self.rows(side).range(d);
        hi - lo
    }

    /// The bytes this snapshot holds (arrays and bitmaps, not the small maps of names).
    pub fn bytes(&self) -> usize {
        let rows = |r: &Rows| {
            r.offsets.len() * 4 + r.types.len() * 4 + r.nbrs.len() * 4 + r.edges.len() * 8
        };
        let ids = match &self.ids {
            DenseIds::Identity(_) => 0,
            DenseIds::Table(ids) => ids.len() * 8,
        };
        ids + rows(&self.out)
            + rows(&self.inc)
            + self.labels.values().map(Bitmap::bytes).sum::<usize>()
    }
}

/// An edge as a row holds it: (node whose row it goes in, type, neighbour, edge).
type Entry = (Dense, u32, Dense, EdgeId);

impl Rows {
    /// The rows of the edges that `edges` lists, each time it is called in the same order:
    /// once to count each row's length, once to fill the rows.
    fn fill<I>(n: usize, edges: impl Fn() -> I) -> Self
    where
        I: Iterator<Item = Entry>,
    {
        let mut offsets = vec![0u32; n + 1];
        for (at, ..) in edges() {
            offsets[at as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let m = offsets[n] as usize;
        let mut cursor = offsets.clone();
        // Written straight into the final arrays, then each row sorted through a scratch list
        // as long as the longest row: no second list of every edge is held while building.
        let mut rows = Rows {
            offsets,
            types: vec![0; m],
            nbrs: vec![0; m],
            edges: vec![EdgeId(0); m],
        };
        for (at, ty, nbr, e) in edges() {
            let c = &mut cursor[at as usize];
            let i = *c as usize;
            (rows.types[i], rows.nbrs[i], rows.edges[i]) = (ty, nbr, e);
            *c += 1;
        }
        let mut row: Vec<(u32, Dense, EdgeId)> = Vec::new();
        for d in 0..n {
            let (lo, hi) = (rows.offsets[d] as usize, rows.offsets[d + 1] as usize);
            row.clear();
            row.extend((lo..hi).map(|i| (rows.types[i], rows.nbrs[i], rows.edges[i])));
            if row.is_sorted() {
                continue;
            }
            row.sort_unstable();
            for (i, &(ty, nbr, e)) in (lo..hi).zip(&row) {
                (rows.types[i], rows.nbrs[i], rows.edges[i]) = (ty, nbr, e);
            }
        }
        rows
    }

    /// Every edge of the rows, node after node.
    fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        (0..self.offsets.len().saturating_sub(1)).flat_map(move |d| {
            let (lo, hi) = self.range(d as Dense);
            (lo..hi).map(move |i| (d as Dense, self.types[i], self.nbrs[i], self.edges[i]))
        })
    }

    fn range(&self, d: Dense) -> (usize, usize) {
        let d = d as usize;
        match (self.offsets.get(d), self.offsets.get(d + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Properties;

    #[test]
    fn segments_list_each_type_sorted_by_neighbour_and_follow_changes() {
        let mut g = Graph::new();
        let a = g.add_node(["A"], Properties::new());
        let b = g.add_node(["B"], Properties::new());
        let c = g.add_node(["A", "B"], Properties::new());
        let e1 = g.add_edge(a, "X", c, Properties::new()).unwrap();
        let e2 = g.add_edge(a, "X", b, Properties::new()).unwrap();
        let e3 = g.add_edge(a, "Y", b, Properties::new()).unwrap();
        let e4 = g.add_edge(a, "X", b, Properties::new()).unwrap();
        let adj = g.adjacency();
        let da = adj.dense(a).unwrap();
        let db = adj.dense(b).unwrap();
        let x = adj.type_number("X").unwrap();
        let seg = adj.segment(da, Side::Out, x);
        assert_eq!(seg.nbrs, &[db, db, adj.dense(c).unwrap()]);
        assert_eq!(seg.edges, &[e2, e4, e1]);
        assert_eq!(seg.edges_to(db), &[e2, e4]);
        assert_eq!(adj.segments_all(da, Side::Out).count(), 2);
        assert_eq!(adj.segment(db, Side::In, x).edges, &[e2, e4]);
        assert_eq!(adj.degree(db, Side::In), 3);
        let y = adj.type_number("Y").unwrap();
        assert_eq!(adj.segment(db, Side::In, y).edges, &[e3]);
        assert_eq!(adj.label("A").unwrap().iter().count(), 2);
        assert!(adj.label("B").unwrap().get(db));
        // A change drops the snapshot; the next one sees the change.
        g.remove_edge(e4).unwrap();
        g.add_label(a, "B").unwrap();
        let adj = g.adjacency();
        assert_eq!(adj.segment(da, Side::Out, x).edges, &[e2, e1]);
        assert_eq!(adj.label("B").unwrap().count(), 3);
    }

    #[test]
    fn dense_numbers_are_the_ids_until_a_deletion_leaves_a_gap() {
        let mut g = Graph::new();
        let ids: Vec<NodeId> = (0..4)
            .map(|_| g.add_node(["A"], Properties::new()))
            .collect();
        let adj = g.adjacency();
        assert!(matches!(adj.ids, DenseIds::Identity(4)));
        for &id in &ids {
            assert_eq!(adj.id(adj.dense(id).unwrap()), id);
        }
        assert_eq!(adj.dense(NodeId(4)), None);
        g.remove_node(ids[1]).unwrap();
        let adj = g.adjacency();
        assert!(matches!(adj.ids, DenseIds::Table(_)));
        assert_eq!(adj.node_count(), 3);
        assert_eq!(adj.dense(ids[1]), None);
        for id in [ids[0], ids[2], ids[3]] {
            assert_eq!(adj.id(adj.dense(id).unwrap()), id);
        }
        assert_eq!(adj.dense(ids[3]), Some(2));
    }
}
