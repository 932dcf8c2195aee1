//! Shortest paths between two known nodes by bidirectional breadth-first search: one search
//! from each end over the adjacency snapshot, each level expanding the side whose frontier has
//! fewer edges to walk, until the two meet; then every shortest path (or the first one) is
//! built from the meeting nodes by walking the depths back to both ends.
//!
//! It serves `shortestPath` and `allShortestPaths` of `matcher` when both ends are bound and the
//! minimum length is 0 or 1 (Neo4j refuses other minimums); the matcher keeps its one-sided
//! search for the rest. It only reads the graph, keeps its depth arrays between searches of one
//! query thread (reset through the lists of visited nodes, so a search costs what it visits,
//! not the graph's size) and allocates nothing per step.

use std::cell::{Cell, RefCell};

use super::ast::{BinaryOp, Expr, ExprKind, PatternPart, QuantifierKind};
use super::eval::Result;
use super::join::segments_of;
use crate::graph::EdgeId;
use crate::graph::adjacency::{Adjacency, Dense, Side};

/// Marks a node not reached by one side's search.
const UNSEEN: u32 = u32::MAX;

/// Where a search sends each path: its edges and its nodes from the first end to the second;
/// it returns false to stop.
pub(super) type PathSink<'e> = dyn FnMut(&[EdgeId], &[Dense]) -> Result<bool> + 'e;

/// What a search may walk: the sides read from the first end towards the second, the
/// relationship types (none: every type) and the length bounds.
pub(super) struct Spec<'a> {
    pub forward: &'a [Side],
    pub types: Option<&'a [u32]>,
    /// 0 or 1: a path from a node to itself has length 0, any other at least 1.
    pub min: usize,
    pub max: usize,
    /// Every shortest path, or only the first one.
    pub all: bool,
}

/// The depths of each side's search, kept for the next search of the same thread.
#[derive(Default)]
struct Scratch {
    depth: [Vec<u32>; 2],
    /// Each side's visited nodes in order of discovery; a level is a range of it.
    seen: [Vec<Dense>; 2],
}

impl Scratch {
    fn reset(&mut self, n: usize) {
        for side in 0..2 {
            let depth = &mut self.depth[side];
            if depth.len() != n {
                depth.clear();
                depth.resize(n, UNSEEN);
            } else {
                for &d in &self.seen[side] {
                    depth[d as usize] = UNSEEN;
                }
            }
            self.seen[side].clear();
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    static STATS: Cell<Stats> = const { Cell::new(Stats { searches: 0, visited: 0, walked: 0, paths: 0 }) };
}

/// What the searches of a thread did since the last `take_stats`, for PROFILE.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Stats {
    pub searches: usize,
    pub visited: usize,
    pub walked: usize,
    pub paths: usize,
}

/// The figures gathered since the last call, and a fresh start.
pub(super) fn take_stats() -> Stats {
    STATS.with(|s| s.replace(Stats::default()))
}

fn reverse(sides: &[Side]) -> &'static [Side] {
    match sides {
        [Side::Out] => &[Side::In],
        [Side::In] => &[Side::Out],
        _ => &[Side::Out, Side::In],
    }
}

/// What the caller decides for the search: whether an edge may be walked (its properties,
/// relationships already bound by the pattern, the WHERE's conditions on relationships),
/// whether a node may be on the path (the WHERE's conditions on nodes), and a tick per node
/// expanded (cancellation).
pub(super) struct Checks<'c> {
    pub edge: &'c mut dyn FnMut(EdgeId) -> Result<bool>,
    pub node: &'c mut dyn FnMut(Dense) -> Result<bool>,
    pub tick: &'c mut dyn FnMut() -> Result<()>,
}

/// Finds the shortest paths from `s` to `t` and hands each to `emit` as its edges and its
/// nodes from `s` to `t`; `emit` returns false to stop. At most `max_paths` paths are made.
pub(super) fn search(
    adj: &Adjacency,
    (s, t): (Dense, Dense),
    spec: &Spec<'_>,
    checks: &mut Checks<'_>,
    max_paths: usize,
    emit: &mut PathSink<'_>,
) -> Result<()> {
    let mut stats = Stats {
        searches: 1,
        ..Stats::default()
    };
    if !(checks.node)(s)? || (s != t && !(checks.node)(t)?) {
        record(stats);
        return Ok(());
    }
    if s == t {
        // The path of length 0, where a minimum of 0 allows it; a longer path from a node
        // back to itself is never a shortest path.
        if spec.min == 0 {
            stats.paths = 1;
            emit(&[], &[s])?;
        }
        record(stats);
        return Ok(());
    }
    // Taken out, not borrowed: a property map evaluated by a check may itself search.
    let mut sc = SCRATCH.with(|c| std::mem::take(&mut *c.borrow_mut()));
    sc.reset(adj.node_count());
    let r = match meet(adj, (s, t), spec, checks, &mut sc, &mut stats) {
        Ok(meets) => build(adj, spec, &sc, meets, checks, max_paths, emit, &mut stats),
        Err(e) => Err(e),
    };
    SCRATCH.with(|c| *c.borrow_mut() = sc);
    record(stats);
    r
}

fn record(stats: Stats) {
    STATS.with(|c| {
        let mut a = c.get();
        a.searches += stats.searches;
        a.visited += stats.visited;
        a.walked += stats.walked;
        a.paths += stats.paths;
        c.set(a);
    });
}

/// The two searches, each level on the side with fewer edges to walk, until they meet: the
/// meeting nodes (none when there is no path within the length bound).
fn meet(
    adj: &Adjacency,
    (s, t): (Dense, Dense),
    spec: &Spec<'_>,
    checks: &mut Checks<'_>,
    sc: &mut Scratch,
    stats: &mut Stats,
) -> Result<Vec<Dense>> {
    // Side 0 searches from `s` along the pattern's direction, side 1 from `t` against it.
    let sides = [spec.forward, reverse(spec.forward)];
    for (side, start) in [s, t].into_iter().enumerate() {
        sc.depth[side][start as usize] = 0;
        sc.seen[side].push(start);
    }
    // Each side's current frontier, as a range of its `seen`, and its depth.
    let mut level = [(0usize, 1usize), (0, 1)];
    let mut reached = [0usize, 0];
    let mut meets: Vec<Dense> = Vec::new();
    let cost = |sc: &Scratch, side: usize, (lo, hi): (usize, usize)| -> usize {
        sc.seen[side][lo..hi]
            .iter()
            .map(|&d| sides[side].iter().map(|&x| adj.degree(d, x)).sum::<usize>())
            .sum()
    };
    let mut costs = [cost(sc, 0, level[0]), cost(sc, 1, level[1])];
    'levels: while meets.is_empty() && reached[0] + reached[1] < spec.max {
        let [c0, c1] = costs;
        if c0 == 0 || c1 == 0 {
            // One end's side has nothing left to walk: no path.
            break;
        }
        let side = usize::from(c1 < c0);
        let other = 1 - side;
        let (lo, hi) = level[side];
        let next = reached[side] as u32 + 1;
        for i in lo..hi {
            (checks.tick)()?;
            let cur = sc.seen[side][i];
            stats.visited += 1;
            for (seg, _) in segments_of(adj, cur, sides[side], spec.types) {
                for (&nb, &eid) in seg.nbrs.iter().zip(seg.edges) {
                    stats.walked += 1;
                    // A loop never lies on a shortest path between two different nodes.
                    if nb == cur
                        || sc.depth[side][nb as usize] != UNSEEN
                        || !(checks.edge)(eid)?
                        || !(checks.node)(nb)?
                    {
                        continue;
                    }
                    sc.depth[side][nb as usize] = next;
                    sc.seen[side].push(nb);
                    if sc.depth[other][nb as usize] != UNSEEN {
                        meets.push(nb);
                        if !spec.all {
                            // Any one meeting gives a shortest path.
                            break 'levels;
                        }
                    }
                }
            }
        }
        level[side] = (hi, sc.seen[side].len());
        reached[side] += 1;
        costs[side] = cost(sc, side, level[side]);
    }
    // Two different ends are at least one step apart, which every minimum (0 or 1) allows.
    Ok(meets)
}

/// Hands every shortest path (or the first) through the meeting nodes to `emit`.
#[allow(clippy::too_many_arguments)]
fn build(
    adj: &Adjacency,
    spec: &Spec<'_>,
    sc: &Scratch,
    mut meets: Vec<Dense>,
    checks: &mut Checks<'_>,
    max_paths: usize,
    emit: &mut PathSink<'_>,
    stats: &mut Stats,
) -> Result<()> {
    // Every shortest path crosses exactly one meeting node at the same number of steps from
    // `s`, so the paths through different meeting nodes differ and together they are all.
    // (Keeping only the meetings of least total depth guards that, whatever the checks say.)
    let total = |m: &Dense| sc.depth[0][*m as usize] + sc.depth[1][*m as usize];
    let least = meets.iter().map(total).min().unwrap_or(0);
    meets.retain(|m| total(m) == least);
    meets.sort_unstable();
    let mut paths = Paths {
        adj,
        types: spec.types,
        sides: [spec.forward, reverse(spec.forward)],
        depth: &sc.depth,
        meet: 0,
        edges: Vec::with_capacity(least as usize),
        nodes: Vec::with_capacity(least as usize + 1),
        produced: 0,
        wanted: if spec.all { max_paths } else { 1 },
    };
    for m in meets {
        paths.meet = m;
        if !paths.walk(m, 0, &mut *checks.edge, emit)? {
            break;
        }
    }
    stats.paths += paths.produced;
    Ok(())
}

/// Builds the paths through one meeting node: the half from `s` first (walked back from the
/// meeting node, so stored backwards), then, for each such half, every half to `t`.
struct Paths<'a> {
    adj: &'a Adjacency,
    types: Option<&'a [u32]>,
    sides: [&'a [Side]; 2],
    depth: &'a [Vec<u32>; 2],
    meet: Dense,
    edges: Vec<EdgeId>,
    nodes: Vec<Dense>,
    produced: usize,
    wanted: usize,
}

impl Paths<'_> {
    /// Walks from `cur` to the start of `side`'s search (depth 0), one level down at a time;
    /// returns false once no more paths are wanted.
    fn walk(
        &mut self,
        cur: Dense,
        side: usize,
        edge_ok: &mut dyn FnMut(EdgeId) -> Result<bool>,
        emit: &mut PathSink<'_>,
    ) -> Result<bool> {
        let d = self.depth[side][cur as usize];
        if d == 0 && side == 1 {
            self.produced += 1;
            let go = emit(&self.edges, &self.nodes)?;
            return Ok(go && self.produced < self.wanted);
        }
        if d == 0 {
            // The half from `s` is complete: put it in order, add the meeting node and walk
            // each half to `t`, then restore the backwards half for the next one.
            self.edges.reverse();
            self.nodes.reverse();
            self.nodes.push(self.meet);
            let go = self.walk(self.meet, 1, edge_ok, emit)?;
            self.nodes.pop();
            self.edges.reverse();
            self.nodes.reverse();
            return Ok(go);
        }
        // The previous level of a side is reached against that side's direction of search.
        let back = self.sides[1 - side];
        for (seg, _) in segments_of(self.adj, cur, back, self.types) {
            for (&nb, &eid) in seg.nbrs.iter().zip(seg.edges) {
                if nb == cur || self.depth[side][nb as usize] != d - 1 || !edge_ok(eid)? {
                    continue;
                }
                self.edges.push(eid);
                self.nodes.push(nb);
                let go = self.walk(nb, side, edge_ok, emit)?;
                self.edges.pop();
                self.nodes.pop();
                if !go {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }
}

/// Whether the matcher can run `part` (a shortest path) with this search: the end's node is
/// known before the search (a variable bound by an earlier clause or part, or a labelled name
/// the name index answers) and the minimum length is 0 or 1. `bound` holds the variables
/// bound before the part. It mirrors the matcher's own choice at run time.
fn both_ends_known(part: &PatternPart, bound: &[&str]) -> bool {
    let (Some(end), Some(rel)) = (part.nodes.get(1), part.rels.first()) else {
        return false;
    };
    let min = rel.range.map_or(1, |(min, _)| min.unwrap_or(1));
    let by_var = end.var.as_ref().is_some_and(|v| {
        bound.contains(&v.name.as_str())
            || part.nodes[0].var.as_ref().is_some_and(|s| s.name == v.name)
    });
    let by_name = !end.labels.is_empty()
        && matches!(&end.props, Some(Expr { kind: ExprKind::Map(entries), .. })
            if entries.iter().any(|(k, _)| k == crate::graph::NAME_KEY));
    min <= 1 && (by_var || by_name)
}

/// The operator lines of a MATCH's shortest paths for EXPLAIN, after the variables `bound`
/// before the MATCH; with `stats`, PROFILE's figures of the searches that ran.
pub(super) fn describe(parts: &[PatternPart], bound: &[String], stats: Option<Stats>) -> String {
    let mut names: Vec<&str> = bound.iter().map(String::as_str).collect();
    let mut out = String::new();
    for part in parts {
        if part.shortest.is_some() {
            let how = if both_ends_known(part, &names) {
                "ShortestPath (bidirectional breadth-first, both ends known)"
            } else {
                "ShortestPath (breadth-first from the first node)"
            };
            out.push_str(&format!("      {how} {part}\n"));
        }
        let vars = part.nodes.iter().filter_map(|n| n.var.as_ref());
        names.extend(
            vars.chain(part.rels.iter().filter_map(|r| r.var.as_ref()))
                .map(|v| v.name.as_str()),
        );
    }
    if let Some(s) = stats.filter(|s| s.searches > 0) {
        out.push_str(&format!(
            "      [bidirectional: {} searches, {} nodes expanded, {} relationships walked, {} paths]\n",
            s.searches, s.visited, s.walked, s.paths
        ));
    }
    out
}

/// A condition of a MATCH's WHERE that holds for a path exactly when it holds for each of the
/// path's relationships (or nodes), so the search can check it at each step and find the
/// shortest path among those that satisfy it, as Neo4j does:
/// `all(r IN relationships(p) WHERE r.w > 1)`, `none(n IN nodes(p) WHERE n:Closed)`.
pub(super) struct StepCheck<'a> {
    pub on_rels: bool,
    /// The quantifier's variable, bound to the relationship or node checked.
    pub var: String,
    pub pred: &'a Expr,
    /// `none(...)`: each element must make the condition false (`all`: true).
    pub negated: bool,
}

/// The conditions of `filter` (its `AND`ed terms) that the search of the path variable
/// `path_var` can check step by step. Whether a condition reads only its own variable and
/// variables bound before the search is for the caller to say (`reads_only`).
pub(super) fn step_checks<'a>(filter: Option<&'a Expr>, path_var: &str) -> Vec<StepCheck<'a>> {
    let mut terms = Vec::new();
    let mut stack: Vec<&Expr> = filter.into_iter().collect();
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Binary(BinaryOp::And, a, b) => stack.extend([&**a, &**b]),
            ExprKind::Quantifier {
                kind: kind @ (QuantifierKind::All | QuantifierKind::None),
                var,
                list,
                filter: Some(pred),
            } => {
                let ExprKind::Call { name, args, .. } = &list.kind else {
                    continue;
                };
                let on_rels = if name.eq_ignore_ascii_case("relationships") {
                    true
                } else if name.eq_ignore_ascii_case("nodes") {
                    false
                } else {
                    continue;
                };
                if matches!(args.as_slice(), [Expr { kind: ExprKind::Var(p), .. }] if p == path_var)
                {
                    terms.push(StepCheck {
                        on_rels,
                        var: var.clone(),
                        pred,
                        negated: *kind == QuantifierKind::None,
                    });
                }
            }
            _ => {}
        }
    }
    terms
}

/// Whether `e` reads no variable but `own` and those `bound` says are set, and binds none of
/// its own (a comprehension, quantifier, pattern or subquery inside is refused).
pub(super) fn reads_only(e: &Expr, own: &str, bound: &dyn Fn(&str) -> bool) -> bool {
    match &e.kind {
        ExprKind::Var(v) => v == own || bound(v),
        ExprKind::ListComp { .. }
        | ExprKind::Quantifier { .. }
        | ExprKind::Pattern(_)
        | ExprKind::PatternComp { .. }
        | ExprKind::MapProj { .. }
        | ExprKind::Subquery { .. }
        | ExprKind::AggRef(_)
        | ExprKind::CountStar => false,
        _ => e.children().into_iter().all(|c| reads_only(c, own, bound)),
    }
}
