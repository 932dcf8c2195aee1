//! Pattern matching: finds every way a MATCH pattern binds to the graph, by backtracking
//! from the start the planner chose, with openCypher's relationship uniqueness (no
//! relationship is bound twice within one MATCH).
//!
//! Matching only reads the graph, walks it through `Graph`'s indexed methods, and stops with
//! an error (never a hang) when paths or rows exceed the limits or the query is cancelled.

use std::collections::VecDeque;

use super::ast::{Direction, Expr, ExprKind, PatternPart, Shortest};
use super::error::{ErrorKind, Span};
use super::eval::{Ctx, Env, Result, eval, runtime, truth};
use super::join::segments_of;
use super::planner::Start;
use super::shortest;
use super::value::{PathRef, Val, equals};
use crate::graph::adjacency::{Adjacency, Dense, Side};
use crate::graph::{Edge, EdgeId, Graph, NodeId, Walk};

/// A relationship position's binding: its edges and the nodes along it, left to right.
#[derive(Debug, Clone)]
struct RelBind {
    edges: Vec<EdgeId>,
    nodes: Vec<NodeId>,
}

/// Where a streaming matcher sends each row.
pub type RowSink<'a> = dyn FnMut(&[Val]) -> Result<()> + 'a;

pub struct Matcher<'a> {
    g: &'a Graph,
    ctx: &'a Ctx<'a>,
    parts: &'a [PatternPart],
    starts: &'a [Start],
    names: &'a [String],
    parent: Option<&'a Env<'a>>,
    filter: Option<&'a Expr>,
    vals: Vec<Val>,
    bound: Vec<bool>,
    used: Vec<EdgeId>,
    part_nodes: Vec<Vec<Option<NodeId>>>,
    part_rels: Vec<Vec<Option<RelBind>>>,
    node_slots: Vec<Vec<Option<usize>>>,
    rel_slots: Vec<Vec<Option<usize>>>,
    path_slots: Vec<Option<usize>>,
    /// Stop after this many results (1 for an existence test).
    want: usize,
    pub results: Vec<Vec<Val>>,
    /// When set, rows go here instead of into `results`.
    sink: Option<&'a mut RowSink<'a>>,
    ticks: usize,
    /// Relationships walked by unbounded variable-length patterns so far.
    walked: usize,
}

impl<'a> Matcher<'a> {
    /// A matcher over rows whose variables are `names`; the first `vals.len()` are bound.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        g: &'a Graph,
        ctx: &'a Ctx<'a>,
        parts: &'a [PatternPart],
        starts: &'a [Start],
        names: &'a [String],
        input: &[Val],
        filter: Option<&'a Expr>,
        parent: Option<&'a Env<'a>>,
    ) -> Self {
        let slot = |name: &str| names.iter().position(|n| n == name);
        let mut vals = input.to_vec();
        let mut bound = vec![true; vals.len()];
        vals.resize(names.len(), Val::Null);
        bound.resize(names.len(), false);
        Matcher {
            g,
            ctx,
            parts,
            starts,
            names,
            parent,
            filter,
            vals,
            bound,
            used: Vec::new(),
            part_nodes: parts.iter().map(|p| vec![None; p.nodes.len()]).collect(),
            part_rels: parts.iter().map(|p| vec![None; p.rels.len()]).collect(),
            node_slots: parts
                .iter()
                .map(|p| {
                    p.nodes
                        .iter()
                        .map(|n| n.var.as_ref().and_then(|v| slot(&v.name)))
                        .collect()
                })
                .collect(),
            rel_slots: parts
                .iter()
                .map(|p| {
                    p.rels
                        .iter()
                        .map(|r| r.var.as_ref().and_then(|v| slot(&v.name)))
                        .collect()
                })
                .collect(),
            path_slots: parts
                .iter()
                .map(|p| p.var.as_ref().and_then(|v| slot(&v.name)))
                .collect(),
            want: usize::MAX,
            results: Vec::new(),
            sink: None,
            ticks: 0,
            walked: 0,
        }
    }

    pub fn with_sink(mut self, sink: &'a mut RowSink<'a>) -> Self {
        self.sink = Some(sink);
        self
    }

    pub fn stop_after(mut self, n: usize) -> Self {
        self.want = n;
        self
    }

    pub fn run(&mut self) -> Result<()> {
        self.run_part(0).map(|_| ())
    }

    fn done(&self) -> bool {
        self.results.len() >= self.want
    }

    fn tick(&mut self) -> Result<()> {
        self.ticks += 1;
        if self.ticks.is_multiple_of(4096) {
            self.ctx.check_cancel()?;
        }
        Ok(())
    }

    fn env(&self) -> Env<'_> {
        Env {
            names: self.names,
            vals: &self.vals,
            parent: self.parent,
            aggs: &[],
        }
    }

    fn emit(&mut self) -> Result<()> {
        if let Some(f) = self.filter {
            let v = eval(f, &self.env(), self.g, self.ctx)?;
            if truth(&v, f.span)? != Some(true) {
                return Ok(());
            }
        }
        if let Some(sink) = &mut self.sink {
            return sink(&self.vals);
        }
        if self.results.len() >= self.ctx.limits.max_rows {
            return Err(too_many_rows(self.ctx.limits.max_rows, self.parts[0].span));
        }
        self.results.push(self.vals.clone());
        Ok(())
    }

    fn run_part(&mut self, pi: usize) -> Result<()> {
        if self.done() {
            return Ok(());
        }
        if pi == self.parts.len() {
            return self.emit();
        }
        let part = &self.parts[pi];
        if part.shortest.is_some() {
            return self.shortest(pi);
        }
        match &self.starts[pi] {
            Start::RelType { rel, rel_type } => {
                let rel = *rel;
                let ids: Vec<EdgeId> = self.g.edges_of_type(rel_type).collect();
                for eid in ids {
                    self.tick()?;
                    let Some(e) = self.g.edge(eid) else { continue };
                    let dir = part.rels[rel].direction;
                    let mut orientations = Vec::with_capacity(2);
                    if dir != Direction::Left {
                        orientations.push((e.source, e.target));
                    }
                    if dir != Direction::Right && (e.source != e.target || dir == Direction::Left) {
                        orientations.push((e.target, e.source));
                    }
                    for (left, right) in orientations {
                        let Some(u1) = self.bind_node(pi, rel, left)? else {
                            continue;
                        };
                        if let Some(u2) = self.bind_node(pi, rel + 1, right)? {
                            if let Some(u3) = self.bind_rel(pi, rel, e, vec![left, right])? {
                                let steps = steps_around(part.rels.len(), rel + 1, rel);
                                self.expand(pi, &steps, 0)?;
                                self.unbind_rel(pi, rel, u3);
                            }
                            self.unbind_node(pi, rel + 1, u2);
                        }
                        self.unbind_node(pi, rel, u1);
                        if self.done() {
                            return Ok(());
                        }
                    }
                }
                Ok(())
            }
            start => {
                let k = start.node();
                let candidates = self.candidates(pi, start)?;
                let steps = steps_around(part.rels.len(), k, k);
                for id in candidates {
                    self.tick()?;
                    if let Some(u) = self.bind_node(pi, k, id)? {
                        self.expand(pi, &steps, 0)?;
                        self.unbind_node(pi, k, u);
                    }
                    if self.done() {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    fn candidates(&self, pi: usize, start: &Start) -> Result<Vec<NodeId>> {
        Ok(match start {
            Start::Bound { node } => {
                let slot = self.node_slots[pi][*node];
                match slot.map(|s| (&self.vals[s], self.bound[s])) {
                    Some((Val::Node(id), true)) => vec![*id],
                    Some((_, true)) => Vec::new(),
                    _ => match self.part_nodes[pi][*node] {
                        Some(id) => vec![id],
                        None => self.g.nodes().map(|n| n.id).collect(),
                    },
                }
            }
            Start::NameIndex { label, name, .. } => {
                let v = eval(name, &self.env(), self.g, self.ctx)?;
                match v {
                    Val::Str(s) => self.g.find_by_name(label.as_deref(), &s),
                    Val::Null => Vec::new(),
                    // A non-string name can only match by exact comparison.
                    _ => self.g.nodes().map(|n| n.id).collect(),
                }
            }
            Start::Label { label, .. } => self.g.nodes_with_label(label).collect(),
            Start::AllNodes { .. } | Start::RelType { .. } => {
                self.g.nodes().map(|n| n.id).collect()
            }
        })
    }

    /// Binds node position `i` of part `pi` to `id` if the node fits; returns what to undo.
    fn bind_node(&mut self, pi: usize, i: usize, id: NodeId) -> Result<Option<(bool, bool)>> {
        if let Some(existing) = self.part_nodes[pi][i] {
            return Ok((existing == id).then_some((false, false)));
        }
        let slot = self.node_slots[pi][i];
        let np = &self.parts[pi].nodes[i];
        // An anonymous node without labels or properties fits any node: no lookup needed.
        if slot.is_none() && np.labels.is_empty() && np.props.is_none() {
            self.part_nodes[pi][i] = Some(id);
            return Ok(Some((true, false)));
        }
        if let Some(s) = slot
            && self.bound[s]
        {
            match &self.vals[s] {
                Val::Node(b) if *b == id => {}
                _ => return Ok(None),
            }
        }
        let Some(node) = self.g.node(id) else {
            return Ok(None);
        };
        if !np.labels.iter().all(|l| node.has_label(l)) {
            return Ok(None);
        }
        if let Some(props) = &np.props
            && !self.props_match(props, &node.props)?
        {
            return Ok(None);
        }
        self.part_nodes[pi][i] = Some(id);
        let set_slot = match slot {
            Some(s) if !self.bound[s] => {
                self.vals[s] = Val::Node(id);
                self.bound[s] = true;
                true
            }
            _ => false,
        };
        Ok(Some((true, set_slot)))
    }

    fn unbind_node(&mut self, pi: usize, i: usize, undo: (bool, bool)) {
        if undo.0 {
            self.part_nodes[pi][i] = None;
        }
        if undo.1
            && let Some(s) = self.node_slots[pi][i]
        {
            self.bound[s] = false;
            self.vals[s] = Val::Null;
        }
    }

    fn props_match(&self, props: &Expr, actual: &crate::graph::Properties) -> Result<bool> {
        props_match(props, actual, &self.env(), self.g, self.ctx)
    }

    fn rel_fits(&self, pi: usize, ri: usize, e: &Edge) -> Result<bool> {
        let rp = &self.parts[pi].rels[ri];
        if !rp.types.is_empty() && !rp.types.iter().any(|t| **t == *e.rel_type) {
            return Ok(false);
        }
        if self.used.contains(&e.id) {
            return Ok(false);
        }
        if let Some(props) = &rp.props
            && !self.props_match(props, &e.props)?
        {
            return Ok(false);
        }
        Ok(true)
    }

    /// `rel_fits` for an edge whose type the caller has already checked.
    fn rel_fits_id(&self, pi: usize, ri: usize, id: EdgeId) -> Result<bool> {
        if self.used.contains(&id) {
            return Ok(false);
        }
        let rp = &self.parts[pi].rels[ri];
        if let Some(props) = &rp.props {
            let Some(e) = self.g.edge(id) else {
                return Ok(false);
            };
            return self.props_match(props, &e.props);
        }
        Ok(true)
    }

    /// Binds a single-hop relationship position; returns whether the slot was set.
    fn bind_rel(
        &mut self,
        pi: usize,
        ri: usize,
        e: &Edge,
        nodes: Vec<NodeId>,
    ) -> Result<Option<bool>> {
        if !self.rel_fits(pi, ri, e)? {
            return Ok(None);
        }
        self.bind_rel_list(pi, ri, vec![e.id], nodes, false)
    }

    fn bind_rel_list(
        &mut self,
        pi: usize,
        ri: usize,
        edges: Vec<EdgeId>,
        nodes: Vec<NodeId>,
        list: bool,
    ) -> Result<Option<bool>> {
        let value = if list {
            Val::List(edges.iter().map(|e| Val::Rel(*e)).collect())
        } else {
            Val::Rel(edges[0])
        };
        let slot = self.rel_slots[pi][ri];
        if let Some(s) = slot
            && self.bound[s]
            && equals(&self.vals[s], &value) != Some(true)
        {
            return Ok(None);
        }
        if !list {
            self.used.extend(&edges);
        }
        let set_slot = match slot {
            Some(s) if !self.bound[s] => {
                self.vals[s] = value;
                self.bound[s] = true;
                true
            }
            _ => false,
        };
        self.part_rels[pi][ri] = Some(RelBind { edges, nodes });
        Ok(Some(set_slot))
    }

    fn unbind_rel(&mut self, pi: usize, ri: usize, set_slot: bool) {
        if let Some(rb) = self.part_rels[pi][ri].take()
            && self.parts[pi].rels[ri].range.is_none()
        {
            for _ in &rb.edges {
                self.used.pop();
            }
        }
        if set_slot && let Some(s) = self.rel_slots[pi][ri] {
            self.bound[s] = false;
            self.vals[s] = Val::Null;
        }
    }

    fn walk_for(&self, pi: usize, ri: usize, forward: bool) -> Walk {
        match (self.parts[pi].rels[ri].direction, forward) {
            (Direction::Right, true) | (Direction::Left, false) => Walk::Outgoing,
            (Direction::Left, true) | (Direction::Right, false) => Walk::Incoming,
            (Direction::Both, _) => Walk::Both,
        }
    }

    fn expand(&mut self, pi: usize, steps: &[(usize, bool)], si: usize) -> Result<()> {
        if self.done() {
            return Ok(());
        }
        let Some(&(ri, forward)) = steps.get(si) else {
            return self.finish_part(pi);
        };
        let (from_i, to_i) = if forward { (ri, ri + 1) } else { (ri + 1, ri) };
        let Some(from) = self.part_nodes[pi][from_i] else {
            return Ok(());
        };
        let walk = self.walk_for(pi, ri, forward);
        let rp = &self.parts[pi].rels[ri];
        if let Some((min, max)) = rp.range {
            let min = min.unwrap_or(1) as usize;
            let limit = self.ctx.limits.max_path_length;
            let (max, unbounded) = match max {
                Some(m) if m as usize > limit => {
                    return Err(path_too_long(limit, rp.span));
                }
                Some(m) => (m as usize, false),
                None => (limit, true),
            };
            let mut edges = Vec::new();
            let mut nodes = vec![from];
            return self.var_length(
                pi,
                steps,
                si,
                (ri, to_i, forward, walk),
                (min, max, unbounded),
                &mut edges,
                &mut nodes,
            );
        }
        let g = self.g;
        for e in g.edges_at(from, walk) {
            self.tick()?;
            let other = if e.source == from { e.target } else { e.source };
            let Some(un) = self.bind_node(pi, to_i, other)? else {
                continue;
            };
            let lr = if forward {
                vec![from, other]
            } else {
                vec![other, from]
            };
            if let Some(ur) = self.bind_rel(pi, ri, e, lr)? {
                self.expand(pi, steps, si + 1)?;
                self.unbind_rel(pi, ri, ur);
            }
            self.unbind_node(pi, to_i, un);
            if self.done() {
                break;
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn var_length(
        &mut self,
        pi: usize,
        steps: &[(usize, bool)],
        si: usize,
        (ri, to_i, forward, walk): (usize, usize, bool, Walk),
        (min, max, unbounded): (usize, usize, bool),
        edges: &mut Vec<EdgeId>,
        nodes: &mut Vec<NodeId>,
    ) -> Result<()> {
        self.tick()?;
        let depth = edges.len();
        let cur = *nodes.last().unwrap_or(&NodeId(0));
        if depth >= min
            && let Some(un) = self.bind_node(pi, to_i, cur)?
        {
            let (mut e_lr, mut n_lr) = (edges.clone(), nodes.clone());
            if !forward {
                e_lr.reverse();
                n_lr.reverse();
            }
            if let Some(ur) = self.bind_rel_list(pi, ri, e_lr, n_lr, true)? {
                self.expand(pi, steps, si + 1)?;
                self.unbind_rel(pi, ri, ur);
            }
            self.unbind_node(pi, to_i, un);
        }
        if self.done() || (depth >= max && !unbounded) {
            return Ok(());
        }
        let g = self.g;
        let next: Vec<&Edge> = g.edges_at(cur, walk);
        for e in next {
            if !self.rel_fits(pi, ri, e)? || edges.contains(&e.id) {
                continue;
            }
            if depth >= max {
                if unbounded {
                    return Err(path_too_long(max, self.parts[pi].rels[ri].span));
                }
                break;
            }
            if unbounded {
                self.walked += 1;
                if self.walked > self.ctx.limits.max_walk_steps {
                    return Err(too_many_walk_steps(
                        self.ctx.limits.max_walk_steps,
                        self.parts[pi].rels[ri].span,
                    ));
                }
            }
            let other = if e.source == cur { e.target } else { e.source };
            edges.push(e.id);
            nodes.push(other);
            self.used.push(e.id);
            let r = self.var_length(
                pi,
                steps,
                si,
                (ri, to_i, forward, walk),
                (min, max, unbounded),
                edges,
                nodes,
            );
            self.used.pop();
            edges.pop();
            nodes.pop();
            r?;
            if self.done() {
                break;
            }
        }
        Ok(())
    }

    fn path_of(&self, pi: usize) -> Option<PathRef> {
        let first = self.part_nodes[pi].first().copied().flatten()?;
        let mut path = PathRef {
            nodes: vec![first],
            rels: Vec::new(),
        };
        for rb in &self.part_rels[pi] {
            let rb = rb.as_ref()?;
            path.rels.extend(&rb.edges);
            path.nodes.extend(rb.nodes.iter().skip(1));
        }
        Some(path)
    }

    fn finish_part(&mut self, pi: usize) -> Result<()> {
        let slot = self.path_slots[pi];
        if let Some(s) = slot {
            let Some(path) = self.path_of(pi) else {
                return Ok(());
            };
            self.vals[s] = Val::Path(path);
            self.bound[s] = true;
        }
        let r = self.run_part(pi + 1);
        if let Some(s) = slot {
            self.vals[s] = Val::Null;
            self.bound[s] = false;
        }
        r
    }

    /// shortestPath / allShortestPaths: breadth-first from the first node.
    fn shortest(&mut self, pi: usize) -> Result<()> {
        let part = &self.parts[pi];
        if part.nodes.len() != 2 || part.rels.len() != 1 {
            return Err(runtime(
                ErrorKind::SemanticError,
                "InvalidShortestPath",
                part.span,
                "shortestPath takes a pattern with exactly one relationship, as in (a)-[*]-(b)",
            ));
        }
        let all = part.shortest == Some(Shortest::All);
        let rp = &part.rels[0];
        let (min, max) = rp.range.unwrap_or((Some(1), Some(1)));
        let min = min.unwrap_or(1) as usize;
        let limit = self.ctx.limits.max_path_length;
        let max = match max {
            Some(m) if m as usize > limit => return Err(path_too_long(limit, rp.span)),
            Some(m) => m as usize,
            None => limit,
        };
        let walk = self.walk_for(pi, 0, true);
        let starts = self.candidates(pi, &self.starts[pi].clone())?;
        for s in starts {
            self.tick()?;
            let Some(us) = self.bind_node(pi, 0, s)? else {
                continue;
            };
            let checks = self.step_checks(pi);
            if !self.step_fits(&checks, false, Val::Node(s))? {
                self.unbind_node(pi, 0, us);
                continue;
            }
            // Distances and, for each node, the edges that reach it on a shortest path, over
            // the adjacency snapshot's dense numbers (arrays, not maps).
            let adj = self.g.adjacency();
            let Some(s_d) = adj.dense(s) else {
                self.unbind_node(pi, 0, us);
                continue;
            };
            // With known ends, the search stops after the level that reaches the last one.
            let targets: Option<Vec<Dense>> = self
                .shortest_targets(pi)?
                .map(|ts| ts.iter().filter_map(|&t| adj.dense(t)).collect());
            let sides: &[Side] = match walk {
                Walk::Outgoing => &[Side::Out],
                Walk::Incoming => &[Side::In],
                Walk::Both => &[Side::Out, Side::In],
            };
            let types: Option<Vec<u32>> = (!rp.types.is_empty()).then(|| {
                let mut ts: Vec<u32> = rp.types.iter().filter_map(|t| adj.type_number(t)).collect();
                ts.sort_unstable();
                ts.dedup();
                ts
            });
            if let Some(ts) = &targets
                && min <= 1
            {
                let spec = shortest::Spec {
                    forward: sides,
                    types: types.as_deref(),
                    min,
                    max,
                    all,
                };
                self.shortest_between(pi, &adj, s_d, ts, &spec)?;
                self.unbind_node(pi, 0, us);
                if self.done() {
                    break;
                }
                continue;
            }
            let n = adj.node_count();
            let mut depth: Vec<u32> = vec![u32::MAX; n];
            let mut preds: Vec<Vec<(Dense, EdgeId)>> = vec![Vec::new(); n];
            let mut order: Vec<Dense> = vec![s_d];
            depth[s_d as usize] = 0;
            let mut queue = VecDeque::from([s_d]);
            while let Some(cur) = queue.pop_front() {
                self.tick()?;
                let d = depth[cur as usize] as usize;
                if d >= max {
                    continue;
                }
                if let Some(ts) = &targets {
                    let mut deepest = Some(0usize);
                    for t in ts {
                        let r = depth[*t as usize];
                        deepest = match deepest {
                            Some(a) if r != u32::MAX && r as usize >= min.max(1) => {
                                Some(a.max(r as usize))
                            }
                            _ => None,
                        };
                    }
                    if deepest.is_some_and(|td| d >= td) {
                        break;
                    }
                }
                for (seg, skip_loops_at) in segments_of(&adj, cur, sides, types.as_deref()) {
                    for (&other, &eid) in seg.nbrs.iter().zip(seg.edges) {
                        if other == cur && skip_loops_at == cur {
                            continue;
                        }
                        let od = depth[other as usize];
                        if od != u32::MAX && od as usize != d + 1 {
                            continue;
                        }
                        if !self.rel_fits_id(pi, 0, eid)?
                            || !self.step_fits(&checks, true, Val::Rel(eid))?
                        {
                            continue;
                        }
                        if od == u32::MAX {
                            if !self.step_fits(&checks, false, Val::Node(adj.id(other)))? {
                                continue;
                            }
                            depth[other as usize] = (d + 1) as u32;
                            order.push(other);
                            queue.push_back(other);
                        }
                        preds[other as usize].push((cur, eid));
                    }
                }
            }
            for t_d in order {
                let t = adj.id(t_d);
                if (depth[t_d as usize] as usize) < min || (t == s && min > 0) {
                    continue;
                }
                let Some(ut) = self.bind_node(pi, 1, t)? else {
                    continue;
                };
                let mut paths = Vec::new();
                collect_paths(
                    t_d,
                    s_d,
                    &preds,
                    &mut Vec::new(),
                    &mut paths,
                    all,
                    self.ctx.limits.max_rows,
                );
                for edges_rev in paths {
                    let mut edges = edges_rev;
                    edges.reverse();
                    let mut nodes = vec![s];
                    for eid in &edges {
                        let last = *nodes.last().unwrap_or(&s);
                        let next = self
                            .g
                            .edge(*eid)
                            .map_or(last, |e| if e.source == last { e.target } else { e.source });
                        nodes.push(next);
                    }
                    let list = rp.range.is_some();
                    if let Some(ur) = self.bind_rel_list(pi, 0, edges, nodes, list)? {
                        self.finish_part(pi)?;
                        self.unbind_rel(pi, 0, ur);
                    }
                }
                self.unbind_node(pi, 1, ut);
            }
            self.unbind_node(pi, 0, us);
            if self.done() {
                break;
            }
        }
        Ok(())
    }
}

impl<'a> Matcher<'a> {
    /// The shortest paths from the bound first node (`s`) to each of the known ends `ts`, by
    /// the bidirectional search of `shortest`; binds each path in turn and matches the rest.
    fn shortest_between(
        &mut self,
        pi: usize,
        adj: &Adjacency,
        s: Dense,
        ts: &[Dense],
        spec: &shortest::Spec<'_>,
    ) -> Result<()> {
        let mut ts = ts.to_vec();
        ts.sort_unstable();
        ts.dedup();
        let ctx = self.ctx;
        let list = self.parts[pi].rels[0].range.is_some();
        for t in ts {
            let Some(ut) = self.bind_node(pi, 1, adj.id(t))? else {
                continue;
            };
            // Read with the end bound: a condition may compare a step with it.
            let checks = self.step_checks(pi);
            let mut paths: Vec<(Vec<EdgeId>, Vec<NodeId>)> = Vec::new();
            let mut ticks = 0usize;
            shortest::search(
                adj,
                (s, t),
                spec,
                &mut shortest::Checks {
                    edge: &mut |eid| {
                        Ok(self.rel_fits_id(pi, 0, eid)?
                            && self.step_fits(&checks, true, Val::Rel(eid))?)
                    },
                    node: &mut |d| self.step_fits(&checks, false, Val::Node(adj.id(d))),
                    tick: &mut || {
                        ticks += 1;
                        if ticks.is_multiple_of(4096) {
                            ctx.check_cancel()?;
                        }
                        Ok(())
                    },
                },
                ctx.limits.max_rows,
                &mut |edges, nodes| {
                    paths.push((edges.to_vec(), nodes.iter().map(|&d| adj.id(d)).collect()));
                    Ok(true)
                },
            )?;
            for (edges, nodes) in paths {
                if let Some(ur) = self.bind_rel_list(pi, 0, edges, nodes, list)? {
                    self.finish_part(pi)?;
                    self.unbind_rel(pi, 0, ur);
                }
                if self.done() {
                    break;
                }
            }
            self.unbind_node(pi, 1, ut);
            if self.done() {
                break;
            }
        }
        Ok(())
    }

    /// The conditions of the WHERE that the search for part `pi` (a shortest path) checks at
    /// each step: those on each relationship or node of its path that read nothing else but
    /// variables already bound.
    fn step_checks(&self, pi: usize) -> Vec<shortest::StepCheck<'a>> {
        let Some(p) = self.parts[pi].var.as_ref() else {
            return Vec::new();
        };
        let mut checks = shortest::step_checks(self.filter, &p.name);
        let bound = |v: &str| {
            self.names.iter().position(|n| n == v).map_or_else(
                || self.parent.is_some_and(|e| e.get(v).is_some()),
                |s| self.bound[s],
            )
        };
        checks.retain(|c| shortest::reads_only(c.pred, &c.var, &bound));
        checks
    }

    /// Whether `val` (a relationship when `on_rels`, else a node) meets every check of its kind.
    fn step_fits(
        &self,
        checks: &[shortest::StepCheck<'_>],
        on_rels: bool,
        val: Val,
    ) -> Result<bool> {
        let vals = std::slice::from_ref(&val);
        for c in checks.iter().filter(|c| c.on_rels == on_rels) {
            let outer = self.env();
            let env = Env {
                names: std::slice::from_ref(&c.var),
                vals,
                parent: Some(&outer),
                aggs: &[],
            };
            let v = eval(c.pred, &env, self.g, self.ctx)?;
            if truth(&v, c.pred.span)? != Some(!c.negated) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The possible ends of a shortest path when they are known before the search: a bound
    /// variable, or a labelled name the name index can answer.
    fn shortest_targets(&self, pi: usize) -> Result<Option<Vec<NodeId>>> {
        if let Some(slot) = self.node_slots[pi][1]
            && self.bound[slot]
        {
            return Ok(match &self.vals[slot] {
                Val::Node(id) => Some(vec![*id]),
                _ => Some(Vec::new()),
            });
        }
        let np = &self.parts[pi].nodes[1];
        let (
            Some(label),
            Some(Expr {
                kind: ExprKind::Map(entries),
                ..
            }),
        ) = (np.labels.first(), &np.props)
        else {
            return Ok(None);
        };
        let Some((_, name)) = entries.iter().find(|(k, _)| k == crate::graph::NAME_KEY) else {
            return Ok(None);
        };
        match eval(name, &self.env(), self.g, self.ctx)? {
            Val::Str(s) => Ok(Some(self.g.find_by_name(Some(label), &s))),
            _ => Ok(None),
        }
    }
}

/// Walks predecessor lists back from `t` to `s`; one path, or all of them.
fn collect_paths(
    t: Dense,
    s: Dense,
    preds: &[Vec<(Dense, EdgeId)>],
    acc: &mut Vec<EdgeId>,
    out: &mut Vec<Vec<EdgeId>>,
    all: bool,
    max: usize,
) {
    if out.len() >= max || (!all && !out.is_empty()) {
        return;
    }
    if t == s {
        out.push(acc.clone());
        return;
    }
    let Some(ps) = preds.get(t as usize) else {
        return;
    };
    // Dense numbers follow id order, so this is the order of (node id, edge id).
    let mut sorted = ps.clone();
    sorted.sort();
    for (p, e) in sorted {
        acc.push(e);
        collect_paths(p, s, preds, acc, out, all, max);
        acc.pop();
        if !all && !out.is_empty() {
            return;
        }
    }
}

/// The expansion order from a start: rightwards from node `right_from`, then leftwards
/// from node `left_from`. Each step is (relationship index, walking left to right).
fn steps_around(n_rels: usize, right_from: usize, left_from: usize) -> Vec<(usize, bool)> {
    let mut steps: Vec<(usize, bool)> = (right_from..n_rels).map(|i| (i, true)).collect();
    steps.extend((0..left_from).rev().map(|i| (i, false)));
    steps
}

pub fn too_many_rows(max: usize, span: Span) -> super::error::QueryError {
    runtime(
        ErrorKind::LimitExceeded,
        "TooManyRows",
        span,
        format!("a stage of the query produced more than {max} rows"),
    )
    .with_hint("narrow the pattern, add LIMIT, or raise the row limit")
}

/// An unbounded variable-length pattern walked more relationships than the limit allows.
pub fn too_many_walk_steps(max: usize, span: Span) -> super::error::QueryError {
    runtime(
        ErrorKind::LimitExceeded,
        "TooManyWalkSteps",
        span,
        format!("an unbounded variable-length pattern walked more than {max} relationships"),
    )
    .with_hint(
        "give an upper bound such as *..5, return DISTINCT end nodes (found without walking \
         every path), or add LIMIT",
    )
}

fn path_too_long(max: usize, span: Span) -> super::error::QueryError {
    runtime(
        ErrorKind::LimitExceeded,
        "PathTooLong",
        span,
        format!("a variable-length pattern may walk at most {max} relationships"),
    )
    .with_hint("give an upper bound such as *..10, or raise the path length limit")
}

/// Every match of a pattern inside an expression (a pattern comprehension): the variable
/// names of the rows and the rows themselves.
pub fn pattern_rows(
    part: &PatternPart,
    env: &Env<'_>,
    g: &Graph,
    ctx: &Ctx<'_>,
) -> Result<(Vec<String>, Vec<Vec<Val>>)> {
    let mut names: Vec<String> = Vec::new();
    let mut vals: Vec<Val> = Vec::new();
    let mut fresh: Vec<String> = Vec::new();
    let vars = part
        .nodes
        .iter()
        .filter_map(|n| n.var.as_ref())
        .chain(part.rels.iter().filter_map(|r| r.var.as_ref()))
        .chain(part.var.as_ref());
    for v in vars {
        if names.contains(&v.name) || fresh.contains(&v.name) {
            continue;
        }
        match env.get(&v.name) {
            Some(val) if part.var.as_ref().is_none_or(|p| p.name != v.name) => {
                names.push(v.name.clone());
                vals.push(val.clone());
            }
            _ => fresh.push(v.name.clone()),
        }
    }
    if vals.iter().any(Val::is_null) {
        return Ok((names, Vec::new()));
    }
    let start = part
        .nodes
        .iter()
        .position(|n| n.var.as_ref().is_some_and(|v| names.contains(&v.name)))
        .map_or(Start::AllNodes { node: 0 }, |node| Start::Bound { node });
    names.extend(fresh);
    let parts = std::slice::from_ref(part);
    let starts = [start];
    let mut m = Matcher::new(g, ctx, parts, &starts, &names, &vals, None, Some(env));
    m.run()?;
    let rows = std::mem::take(&mut m.results);
    Ok((names, rows))
}

/// Whether a pattern used as a predicate has at least one match, with the variables of the
/// enclosing row bound.
pub fn pattern_exists(part: &PatternPart, env: &Env<'_>, g: &Graph, ctx: &Ctx<'_>) -> Result<bool> {
    let mut names: Vec<String> = Vec::new();
    let mut vals: Vec<Val> = Vec::new();
    let vars = part
        .nodes
        .iter()
        .filter_map(|n| n.var.as_ref())
        .chain(part.rels.iter().filter_map(|r| r.var.as_ref()));
    for v in vars {
        if names.contains(&v.name) {
            continue;
        }
        if let Some(val) = env.get(&v.name) {
            names.push(v.name.clone());
            vals.push(val.clone());
        }
    }
    // A bound null endpoint can match nothing.
    if vals.iter().any(Val::is_null) {
        return Ok(false);
    }
    let start = part
        .nodes
        .iter()
        .position(|n| n.var.as_ref().is_some_and(|v| names.contains(&v.name)))
        .map_or(Start::AllNodes { node: 0 }, |node| Start::Bound { node });
    let parts = std::slice::from_ref(part);
    let starts = [start];
    let mut m = Matcher::new(g, ctx, parts, &starts, &names, &vals, None, Some(env)).stop_after(1);
    m.run()?;
    Ok(!m.results.is_empty())
}

/// Whether an element's properties hold every entry of a pattern's property map (`{name: $n}`),
/// compared as openCypher's `=`; a map that evaluates to null matches nothing but null. The
/// backtracking matcher and the join operators both test patterns with it.
pub(super) fn props_match(
    props: &Expr,
    actual: &crate::graph::Properties,
    env: &Env<'_>,
    g: &Graph,
    ctx: &Ctx<'_>,
) -> Result<bool> {
    let wanted = eval(props, env, g, ctx)?;
    let Val::Map(wanted) = wanted else {
        return Ok(wanted.is_null());
    };
    for (k, v) in &wanted {
        let have = actual.get(k).map_or(Val::Null, Val::from_value);
        if equals(&have, v) != Some(true) {
            return Ok(false);
        }
    }
    Ok(true)
}
