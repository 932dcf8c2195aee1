//! The pattern-join operator: binds a MATCH pattern one node variable at a time over the
//! read-side adjacency (`graph::adjacency`), taking each node's candidates from the
//! intersection of the sorted neighbour lists of every relationship that ties it to nodes
//! already bound (expand, and expand-into closing a cycle, in one worst-case-optimal step),
//! walking variable-length relationships as trails, and, when the rows only feed a
//! duplicate-insensitive consumer, replacing trail enumeration by a bounded breadth-first
//! search and stopping at the first edge assignment that proves a row.
//!
//! It gives the same rows as the backtracking `Matcher` (up to order and, in the
//! duplicate-insensitive mode, multiplicity), which stays the reference: patterns this
//! operator does not cover (shortest paths, relationships bound by an earlier clause) are
//! left to it. It only reads the graph and never allocates per candidate in its inner loops.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use smallvec::SmallVec;

use super::ast::{Direction, Expr, PatternPart};
use super::columns::ColumnFilter;
use super::error::{ErrorKind, Span};
use super::eval::{Ctx, Env, Result, eval, runtime, truth};
use super::matcher::{self, too_many_walk_steps};
use super::planner::Start;
use super::value::{PathRef, Val};
use crate::graph::adjacency::{Adjacency, Bitmap, Dense, Segment, Side};
use crate::graph::columns::Owner;
use crate::graph::{EdgeId, Graph};

/// No node: the binding of a node variable not bound yet.
const NONE: Dense = Dense::MAX;

/// What the consumer of the rows needs, as the executor knows it from the next step.
#[derive(Debug, Clone, Default)]
pub struct Needs {
    /// Duplicate rows (equal on the used slots) change nothing downstream.
    pub set_semantics: bool,
    /// Which slots of the row the rest of the query reads (all of them when unknown). A
    /// variable that is only counted (`count(r)`) is not read when `counts_only`.
    pub used: Option<Vec<bool>>,
    /// The consumer only counts rows (non-distinct `count(*)` and `count(x)`) per value of
    /// the used slots: a row may stand for several equal rows, with its multiplicity.
    pub counts_only: bool,
}

impl Needs {
    fn uses(&self, slot: usize) -> bool {
        self.used
            .as_ref()
            .is_none_or(|u| u.get(slot).copied().unwrap_or(true))
    }
}

/// Where a scan takes its nodes from.
#[derive(Debug, Clone)]
enum Source {
    Bound(usize),
    /// The node the variable is bound to already (by a variable-length step): only its
    /// relationships to other bound nodes are matched.
    Current,
    Name {
        label: Option<String>,
        name: Expr,
    },
    Label(String),
    All,
}

#[derive(Debug, Clone)]
enum JStep {
    /// Binds `var`: from `source`, or (without one) from the intersection of the neighbour
    /// lists of `drivers`; every driver and loop relationship is then bound to an edge.
    Node {
        var: usize,
        source: Option<Source>,
        drivers: Vec<usize>,
        loops: Vec<usize>,
    },
    /// Walks variable-length relationship `rel` from its bound end `from`; `bfs` when only the
    /// distinct far ends matter.
    Var { rel: usize, from: usize, bfs: bool },
    /// Binds fixed-length relationships whose ends are all bound to edges between them,
    /// distinct from every other edge of the match. Node steps only choose nodes (each
    /// candidate has an edge for each of its relationships); the edges are enumerated here,
    /// once per node binding, not once per parallel edge at every level.
    Edges { rels: Vec<usize> },
    /// Counts the edges of relationship `rel` at its bound end `at` from the lengths of the
    /// node's neighbour lists, and hands on one row with that multiplicity: the pattern's
    /// only relationship, whose far end nothing constrains or reads and whose rows are only
    /// counted (`MATCH (s)-[r:T]->(t) RETURN t.name, count(r)`). No edge is visited.
    Degree { rel: usize, at: usize },
}

#[derive(Debug, Clone)]
struct NodeVar {
    slot: Option<usize>,
    name: String,
    labels: Vec<String>,
    props: Vec<Expr>,
}

#[derive(Debug, Clone)]
struct RelPos {
    left: usize,
    right: usize,
    dir: Direction,
    types: Vec<String>,
    props: Option<Expr>,
    /// (min, max, unbounded) for a variable-length relationship.
    range: Option<(usize, usize, bool)>,
    slot: Option<usize>,
    span: Span,
}

/// A compiled MATCH.
#[derive(Debug, Clone)]
pub struct JoinPlan {
    vars: Vec<NodeVar>,
    rels: Vec<RelPos>,
    steps: Vec<JStep>,
    /// Per part: its node variables and relationships, left to right, and its path slot.
    parts: Vec<(Vec<usize>, Vec<usize>, Option<usize>)>,
    filter: Option<Expr>,
    /// The filter, when property columns answer it (`query::columns`).
    columns: Option<ColumnFilter>,
    /// The row's variable names, by slot: expressions find variables by name.
    names: Vec<String>,
    n_slots: usize,
    /// The last step may stop at the first edge assignment that emits a row.
    first_success: bool,
    /// Under `first_success`, the final edge step's relationships have no properties and the
    /// WHERE reads none of them: when they join different pairs of nodes (so that their
    /// edges are disjoint) and no variable-length walk holds edges, any edge of each proves
    /// the row, and none is bound.
    edges_exist_suffice: bool,
    /// Rows differ only in the node that step `last_node` binds: skip a node already emitted
    /// for this input row.
    dedup_last: bool,
    last_node: usize,
    /// Rows differ in nothing the consumer reads: one row per input row is enough.
    one_per_input: bool,
    /// Every edge assignment is a row of its own (the consumer counts duplicates): a node
    /// step driven by several lists of one relationship (types, directions) binds that
    /// relationship's edges to the node with it, from the run of the list it took the node
    /// from, so that the edge step does not look them up again from the other end. A step
    /// driven by a single list always does so.
    pin_edges: bool,
    /// The node step that visits its driver's edges in edge id order (the order the store
    /// keeps them in) rather than by neighbour: the last one, when it has one driver whose
    /// relationship's properties are read, so that those reads walk the store forwards.
    storage_order: Option<usize>,
    /// Relationships walked by unbounded variable-length patterns, over all input rows.
    walked: std::cell::Cell<usize>,
    /// The consumer only counts rows and reads no relationship of the final edge step: that
    /// step counts the edge assignments of its nodes and hands on one row with that
    /// multiplicity (factorised count) instead of a row per assignment.
    counted_edges: bool,
    /// Under PROFILE, per step and then for the rows handed on: how many times it was
    /// entered and the time spent in it and the steps after it, over all input rows.
    profile: Option<RefCell<Vec<Entered>>>,
}

/// How often a join step was entered, and the time spent from there on (PROFILE).
#[derive(Debug, Clone, Copy, Default)]
struct Entered {
    times: u64,
    spent: Duration,
}

impl JoinPlan {
    /// Compiles a MATCH over rows whose first `n_in` slots of `names` are bound; `None` when
    /// the pattern needs the backtracking matcher.
    pub fn compile(
        parts: &[PatternPart],
        starts: &[Start],
        names: &[String],
        n_in: usize,
        filter: Option<&Expr>,
        max_path: usize,
        needs: &Needs,
    ) -> Option<JoinPlan> {
        let slot = |name: &str| names.iter().position(|n| n == name);
        let mut vars: Vec<NodeVar> = Vec::new();
        let mut rels: Vec<RelPos> = Vec::new();
        let mut layout = Vec::new();
        let mut rel_names: Vec<usize> = Vec::new();
        // A pattern of lone nodes is an index lookup or a scan: the matcher does it without
        // building the adjacency snapshot.
        if parts.iter().all(|p| p.rels.is_empty()) {
            return None;
        }
        for part in parts {
            if part.shortest.is_some() {
                return None;
            }
            let path_slot = part.var.as_ref().and_then(|v| slot(&v.name));
            if path_slot.is_some_and(|s| s < n_in) {
                return None;
            }
            let mut pvars = Vec::new();
            for np in &part.nodes {
                let s = np.var.as_ref().and_then(|v| slot(&v.name));
                let vi = match s.and_then(|s| vars.iter().position(|v| v.slot == Some(s))) {
                    Some(vi) => vi,
                    None => {
                        vars.push(NodeVar {
                            slot: s,
                            name: np.var.as_ref().map_or(String::new(), |v| v.name.clone()),
                            labels: Vec::new(),
                            props: Vec::new(),
                        });
                        vars.len() - 1
                    }
                };
                for l in &np.labels {
                    if !vars[vi].labels.contains(l) {
                        vars[vi].labels.push(l.clone());
                    }
                }
                vars[vi].props.extend(np.props.clone());
                pvars.push(vi);
            }
            let mut prels = Vec::new();
            for (ri, rp) in part.rels.iter().enumerate() {
                let s = rp.var.as_ref().and_then(|v| slot(&v.name));
                if let Some(s) = s {
                    // A relationship bound by an earlier clause, or named twice in one
                    // pattern, is left to the backtracking matcher.
                    if s < n_in || rel_names.contains(&s) || vars.iter().any(|v| v.slot == Some(s))
                    {
                        return None;
                    }
                    rel_names.push(s);
                }
                let range = match rp.range {
                    None => None,
                    Some((min, max)) => {
                        let min = min.unwrap_or(1) as usize;
                        match max {
                            Some(m) if m as usize > max_path => return None,
                            Some(m) => Some((min, m as usize, false)),
                            None => Some((min, max_path, true)),
                        }
                    }
                };
                rels.push(RelPos {
                    left: pvars[ri],
                    right: pvars[ri + 1],
                    dir: rp.direction,
                    types: rp.types.clone(),
                    props: rp.props.clone(),
                    range,
                    slot: s,
                    span: rp.span,
                });
                prels.push(rels.len() - 1);
            }
            layout.push((pvars, prels, path_slot));
        }
        if vars
            .iter()
            .any(|v| v.slot.is_some_and(|s| rel_names.contains(&s)))
        {
            return None;
        }
        let steps = order_steps(&vars, &rels, parts, starts, &layout, n_in);
        let columns = filter.and_then(|f| {
            ColumnFilter::compile(f, names, |s| {
                if vars.iter().any(|v| v.slot == Some(s)) {
                    Some(Owner::Node)
                } else if rels.iter().any(|r| r.slot == Some(s) && r.range.is_none()) {
                    Some(Owner::Edge)
                } else {
                    None
                }
            })
        });
        let mut plan = JoinPlan {
            vars,
            rels,
            steps,
            parts: layout,
            filter: filter.cloned(),
            columns,
            names: names.to_vec(),
            n_slots: names.len(),
            first_success: false,
            edges_exist_suffice: false,
            dedup_last: false,
            last_node: usize::MAX,
            one_per_input: false,
            pin_edges: false,
            storage_order: None,
            counted_edges: false,
            walked: std::cell::Cell::new(0),
            profile: None,
        };
        plan.tune(needs, n_in);
        Some(plan)
    }

    /// Turns on the duplicate-insensitive shortcuts that the consumer allows.
    fn tune(&mut self, needs: &Needs, n_in: usize) {
        if !needs.set_semantics {
            if let Some(steps) = self.degree_steps(needs, n_in) {
                self.steps = steps;
                return;
            }
            self.pin_edges = true;
            self.storage_order = self.storage_order_step(needs);
            self.counted_edges = self.counts_final_edges(needs);
            return;
        }
        let filter_uses = |name: &str| {
            self.filter
                .as_ref()
                .is_some_and(|f| super::usage::mentions(f, name))
        };
        let path_used = self
            .parts
            .iter()
            .any(|(_, _, p)| p.is_some_and(|s| needs.uses(s)));
        let new_used: Vec<usize> = (n_in..self.n_slots).filter(|&s| needs.uses(s)).collect();
        self.one_per_input = new_used.is_empty() && !path_used;
        let Some(last) = self.steps.last().cloned() else {
            return;
        };
        // The last node step: the last step, or the one before the final edge enumeration.
        let n = self.steps.len();
        let last_node = match &last {
            JStep::Edges { .. } if n >= 2 => n - 2,
            _ => n - 1,
        };
        if let JStep::Node { var, source, .. } = &self.steps[last_node] {
            let v_slot = self.vars[*var].slot;
            if !matches!(source, Some(Source::Bound(_)) | Some(Source::Current))
                && !path_used
                && new_used.iter().all(|&s| Some(s) == v_slot)
            {
                self.dedup_last = true;
                self.last_node = last_node;
            }
        }
        match last {
            JStep::Edges { rels } => {
                let rels_used = rels
                    .iter()
                    .any(|&r| self.rels[r].slot.is_some_and(|s| needs.uses(s)));
                self.first_success = !rels_used && !path_used;
                self.edges_exist_suffice = self.first_success
                    && rels.iter().all(|&r| {
                        let rp = &self.rels[r];
                        rp.props.is_none() && rp.slot.is_none_or(|s| !filter_uses(&self.names[s]))
                    });
            }
            JStep::Node { .. } | JStep::Degree { .. } => {}
            JStep::Var { rel, from, .. } => {
                let r = &self.rels[rel];
                let rel_needed = r
                    .slot
                    .is_some_and(|s| needs.uses(s) || filter_uses(&self.names[s]));
                let pi = self
                    .parts
                    .iter()
                    .position(|(_, prels, _)| prels.contains(&rel));
                let part_path = pi.and_then(|pi| self.parts[pi].2);
                let path_needed =
                    part_path.is_some_and(|s| needs.uses(s) || filter_uses(&self.names[s]));
                let far = if r.left == from { r.right } else { r.left };
                let bound_before = self.steps[..n - 1].iter().any(|st| match st {
                    JStep::Node { var, .. } => *var == far,
                    JStep::Edges { .. } | JStep::Degree { .. } => false,
                    JStep::Var {
                        rel: r2, from: f2, ..
                    } => *f2 == far || self.rels[*r2].left == far || self.rels[*r2].right == far,
                });
                if !rel_needed
                    && !path_needed
                    && !bound_before
                    && far != from
                    && r.range.is_some_and(|(min, _, _)| min <= 1)
                {
                    let n = self.steps.len();
                    self.steps[n - 1] = JStep::Var {
                        rel,
                        from,
                        bfs: true,
                    };
                    // Its path is read by nobody: it is not built.
                    if let Some(pi) = pi {
                        self.parts[pi].2 = None;
                    }
                    let v_slot = self.vars[far].slot;
                    self.dedup_last = new_used.iter().all(|&s| Some(s) == v_slot);
                    self.last_node = n - 1;
                }
            }
        }
    }

    /// The steps that count a single relationship per binding of one end from the adjacency
    /// (`JStep::Degree`), when the consumer only counts rows and the other end is free: no
    /// label, no property, not bound before, not read after the match or by the WHERE. The
    /// pattern is one fixed-length relationship between two different variables, without
    /// properties or path; a WHERE is allowed when the property columns answer it from the
    /// relationship, the counted end and the input alone. The counted end keeps the start the
    /// planner chose when that start is on it.
    fn degree_steps(&self, needs: &Needs, n_in: usize) -> Option<Vec<JStep>> {
        let [rp] = &self.rels[..] else {
            return None;
        };
        if !needs.counts_only
            || (self.filter.is_some() && (self.columns.is_none() || rp.slot.is_none()))
            || self.parts.iter().any(|(_, _, p)| p.is_some())
            || rp.range.is_some()
            || rp.props.is_some()
            || rp.left == rp.right
            || rp.slot.is_some_and(|s| needs.uses(s))
        {
            return None;
        }
        let free = |v: usize| {
            let nv = &self.vars[v];
            nv.labels.is_empty()
                && nv.props.is_empty()
                && nv.slot.is_none_or(|s| s >= n_in && !needs.uses(s))
        };
        let Some(first @ JStep::Node { var: start, .. }) = self.steps.first() else {
            return None;
        };
        let (start, other) = (*start, self.other(0, *start));
        let at = if free(other) {
            start
        } else if free(start) {
            other
        } else {
            return None;
        };
        if let Some(columns) = &self.columns {
            let at_slot = self.vars[at].slot;
            if !columns.reads_only(|s| s < n_in || Some(s) == rp.slot || Some(s) == at_slot) {
                return None;
            }
        }
        let anchor = if at == start {
            first.clone()
        } else {
            JStep::Node {
                var: at,
                source: Some(match self.vars[at].labels.first() {
                    Some(l) => Source::Label(l.clone()),
                    None => Source::All,
                }),
                drivers: Vec::new(),
                loops: Vec::new(),
            }
        };
        Some(vec![anchor, JStep::Degree { rel: 0, at }])
    }

    /// The last node step, when it has exactly one driver whose relationship the filter or the
    /// consumer reads and no node step follows it.
    fn storage_order_step(&self, needs: &Needs) -> Option<usize> {
        let si = self
            .steps
            .iter()
            .rposition(|st| !matches!(st, JStep::Edges { .. }))?;
        let JStep::Node {
            source: None,
            drivers,
            ..
        } = &self.steps[si]
        else {
            return None;
        };
        let [r] = drivers[..] else {
            return None;
        };
        let slot = self.rels[r].slot?;
        let read = needs.uses(slot)
            || self
                .filter
                .as_ref()
                .is_some_and(|f| super::usage::mentions(f, &self.names[slot]));
        read.then_some(si)
    }

    /// Whether the final edge step may count its assignments: the consumer only counts, no
    /// path is built, and no relationship of that step is read after the match (the filter
    /// may read the last one, which is then tested edge by edge).
    fn counts_final_edges(&self, needs: &Needs) -> bool {
        let Some(JStep::Edges { rels }) = self.steps.last() else {
            return false;
        };
        let filter_uses = |s: usize| {
            self.filter
                .as_ref()
                .is_some_and(|f| super::usage::mentions(f, &self.names[s]))
        };
        needs.counts_only
            && self.parts.iter().all(|(_, _, p)| p.is_none())
            && rels.iter().enumerate().all(|(k, &r)| {
                self.rels[r]
                    .slot
                    .is_none_or(|s| !needs.uses(s) && (k + 1 == rels.len() || !filter_uses(s)))
            })
    }

    /// Counts rows and measures time per operator from now on (PROFILE).
    pub fn profiled(mut self) -> Self {
        self.profile = Some(RefCell::new(vec![Entered::default(); self.steps.len() + 2]));
        self
    }

    /// The operators, one per line, for EXPLAIN; under PROFILE each with the rows it passed
    /// on and the time spent in it (not in the operators after it).
    pub fn describe(&self) -> String {
        let stats = self.profile.as_ref().map(|p| p.borrow().clone());
        let figures = |i: usize| -> String {
            let Some(st) = &stats else {
                return String::new();
            };
            let own = st[i].spent.saturating_sub(st[i + 1].spent);
            format!(
                "  [{} rows, {:.3} ms]",
                st[i + 1].times,
                own.as_secs_f64() * 1000.0
            )
        };
        let mut out = String::new();
        let var = |v: usize| {
            let nv = &self.vars[v];
            let mut s = format!("({}", nv.name);
            for l in &nv.labels {
                let _ = write!(s, ":{l}");
            }
            s.push(')');
            s
        };
        let rel = |r: usize| {
            let rp = &self.rels[r];
            let mut s = String::from("[");
            if !rp.types.is_empty() {
                let _ = write!(s, ":{}", rp.types.join("|"));
            }
            if let Some((min, max, unbounded)) = rp.range {
                if unbounded {
                    let _ = write!(s, "*{min}..");
                } else {
                    let _ = write!(s, "*{min}..{max}");
                }
            }
            s.push(']');
            s
        };
        for (si, step) in self.steps.iter().enumerate() {
            let line = match step {
                JStep::Node {
                    var: v,
                    source: Some(src),
                    ..
                } => match src {
                    Source::Bound(_) => format!("Argument {}", var(*v)),
                    Source::Current => format!("CloseCycles at {}", var(*v)),
                    Source::Name { .. } => format!("NodeByNameIndex {}", var(*v)),
                    Source::Label(l) => format!("NodeByLabelScan {} (bitmap :{l})", var(*v)),
                    Source::All => format!("AllNodesScan {}", var(*v)),
                },
                JStep::Node {
                    var: v, drivers, ..
                } if drivers.len() > 1 => format!(
                    "ExpandIntersect {} from {}",
                    var(*v),
                    drivers
                        .iter()
                        .map(|&r| {
                            let o = self.other(r, *v);
                            format!("{}{}", var(o), rel(r))
                        })
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
                JStep::Node {
                    var: v, drivers, ..
                } => {
                    let r = drivers[0];
                    format!("Expand {}{} -> {}", var(self.other(r, *v)), rel(r), var(*v))
                }
                JStep::Edges { rels } => format!(
                    "{} {}",
                    if self.counted_edges && si + 1 == self.steps.len() {
                        "CountEdges (one row per node binding, with its multiplicity)"
                    } else {
                        "Edges"
                    },
                    rels.iter().map(|&r| rel(r)).collect::<Vec<_>>().join(" ")
                ),
                JStep::Degree { rel: r, at } => format!(
                    "CountDegree {}{} {} (one row per {}, counted from its neighbour lists)",
                    var(*at),
                    rel(*r),
                    var(self.other(*r, *at)),
                    var(*at)
                ),
                JStep::Var { rel: r, from, bfs } => {
                    let far = self.other(*r, *from);
                    if *bfs {
                        format!(
                            "VarLengthBreadthFirst {}{} -> distinct {}",
                            var(*from),
                            rel(*r),
                            var(far)
                        )
                    } else {
                        format!("VarLengthExpand {}{} -> {}", var(*from), rel(*r), var(far))
                    }
                }
            };
            let _ = writeln!(out, "    {line}{}", figures(si));
        }
        let n = self.steps.len();
        if self.filter.is_some() {
            let within = if self.counted_edges {
                ", tested edge by edge in CountEdges"
            } else if self
                .steps
                .iter()
                .any(|st| matches!(st, JStep::Degree { .. }))
            {
                ", counted in CountDegree"
            } else {
                ""
            };
            let _ = writeln!(out, "    Filter (WHERE{within}){}", figures(n));
        }
        if let Some(st) = &stats {
            let _ = writeln!(
                out,
                "    (the next step, fed row by row: {:.3} ms)",
                st[n + 1].spent.as_secs_f64() * 1000.0
            );
        }
        let mut notes = Vec::new();
        if self.edges_exist_suffice {
            notes.push("an edge of each relationship proves the row, none is bound");
        } else if self.first_success {
            notes.push("first edge assignment per node");
        }
        if self.dedup_last {
            notes.push("distinct last node");
        }
        if self.one_per_input {
            notes.push("one row per input row");
        }
        if !notes.is_empty() {
            let _ = writeln!(out, "    (duplicate-insensitive: {})", notes.join(", "));
        }
        out
    }

    fn other(&self, r: usize, v: usize) -> usize {
        let rp = &self.rels[r];
        if rp.left == v { rp.right } else { rp.left }
    }

    /// Runs the pattern for one input row, sending each row to `sink` with the number of
    /// rows it stands for (1 unless the final edges are counted); the sink returns false to
    /// stop. Returns false when stopped.
    pub fn run(
        &self,
        g: &Graph,
        adj: &Adjacency,
        ctx: &Ctx<'_>,
        input: &[Val],
        sink: &mut dyn FnMut(&[Val], u64) -> Result<bool>,
    ) -> Result<bool> {
        let mut vals = input.to_vec();
        vals.resize(self.n_slots, Val::Null);
        if let Some(columns) = &self.columns {
            columns.prepare(g, ctx, &Env::new(&self.names, &vals));
        }
        let mut labels: Vec<Vec<&Bitmap>> = Vec::with_capacity(self.vars.len());
        for v in &self.vars {
            let mut bms = Vec::new();
            for l in &v.labels {
                match adj.label(l) {
                    Some(b) => bms.push(b),
                    None => return Ok(true),
                }
            }
            labels.push(bms);
        }
        let mut types: Vec<Option<SmallVec<[u32; 2]>>> = Vec::with_capacity(self.rels.len());
        for r in &self.rels {
            if r.types.is_empty() {
                types.push(None);
            } else {
                // `[:T|T]` is `[:T]`: each type is walked once.
                let mut ts: SmallVec<[u32; 2]> =
                    r.types.iter().filter_map(|t| adj.type_number(t)).collect();
                ts.sort_unstable();
                ts.dedup();
                types.push(Some(ts));
            }
        }
        let mut run = Run {
            p: self,
            g,
            adj,
            ctx,
            vals,
            nodes: vec![NONE; self.vars.len()],
            fixed: vec![EdgeId(0); self.rels.len()],
            walks: vec![(Vec::new(), Vec::new()); self.rels.len()],
            used: Vec::new(),
            labels,
            types,
            seen: if self.dedup_last {
                Some(Bitmap::new(adj.node_count()))
            } else {
                None
            },
            emitted: 0,
            stopped: false,
            ticks: 0,
            sink,
            scratch: vec![Vec::new(); self.steps.len()],
            pinned: vec![None; self.rels.len()],
            entered: self
                .profile
                .as_ref()
                .map(|_| vec![Entered::default(); self.steps.len() + 2]),
            weight: 1,
            filtered: false,
        };
        let res = run.step(0);
        if let (Some(p), Some(entered)) = (&self.profile, &run.entered) {
            let mut p = p.borrow_mut();
            for (total, e) in p.iter_mut().zip(entered) {
                total.times += e.times;
                total.spent += e.spent;
            }
            let last = p.len() - 1;
            p[last].times += run.emitted as u64;
        }
        res?;
        Ok(!run.stopped)
    }
}

/// Chooses the order in which node variables are bound.
fn order_steps(
    vars: &[NodeVar],
    rels: &[RelPos],
    parts: &[PatternPart],
    starts: &[Start],
    layout: &[(Vec<usize>, Vec<usize>, Option<usize>)],
    n_in: usize,
) -> Vec<JStep> {
    let mut bound = vec![false; vars.len()];
    let mut placed = vec![false; rels.len()];
    let mut steps = Vec::new();
    let fixed = |r: usize| rels[r].range.is_none();
    let place_node = |v: usize,
                      source: Option<Source>,
                      bound: &mut Vec<bool>,
                      placed: &mut Vec<bool>,
                      steps: &mut Vec<JStep>| {
        let mut drivers = Vec::new();
        let mut loops = Vec::new();
        for (r, rp) in rels.iter().enumerate() {
            if placed[r] || !fixed(r) {
                continue;
            }
            if rp.left == v && rp.right == v {
                loops.push(r);
                placed[r] = true;
            } else if (rp.left == v && bound[rp.right]) || (rp.right == v && bound[rp.left]) {
                drivers.push(r);
                placed[r] = true;
            }
        }
        bound[v] = true;
        steps.push(JStep::Node {
            var: v,
            source,
            drivers,
            loops,
        });
    };
    for (v, nv) in vars.iter().enumerate() {
        if let Some(s) = nv.slot.filter(|&s| s < n_in) {
            place_node(
                v,
                Some(Source::Bound(s)),
                &mut bound,
                &mut placed,
                &mut steps,
            );
        }
    }
    loop {
        // A node tied by fixed-length relationships to bound nodes: the most ties first.
        let mut best: Option<(usize, usize)> = None;
        for v in 0..vars.len() {
            if bound[v] {
                continue;
            }
            let ties = rels
                .iter()
                .enumerate()
                .filter(|&(r, rp)| {
                    !placed[r]
                        && fixed(r)
                        && ((rp.left == v && bound[rp.right]) || (rp.right == v && bound[rp.left]))
                })
                .count();
            if ties > 0 && best.is_none_or(|(_, t)| ties > t) {
                best = Some((v, ties));
            }
        }
        if let Some((v, _)) = best {
            place_node(v, None, &mut bound, &mut placed, &mut steps);
            continue;
        }
        let var_rel = |both: bool| {
            (0..rels.len()).find(|&r| {
                !placed[r] && !fixed(r) && {
                    let (l, rr) = (bound[rels[r].left], bound[rels[r].right]);
                    if both { l && rr } else { l || rr }
                }
            })
        };
        if let Some(r) = var_rel(true).or_else(|| var_rel(false)) {
            placed[r] = true;
            let from = if bound[rels[r].left] {
                rels[r].left
            } else {
                rels[r].right
            };
            let far = if from == rels[r].left {
                rels[r].right
            } else {
                rels[r].left
            };
            steps.push(JStep::Var {
                rel: r,
                from,
                bfs: false,
            });
            if !bound[far] {
                // Fixed-length relationships that the walk's far end closes are matched
                // at once, on the node the walk reached.
                let closes = rels.iter().enumerate().any(|(r2, rp)| {
                    !placed[r2]
                        && fixed(r2)
                        && (rp.left == far || rp.right == far)
                        && (bound[rp.left] || rp.left == far)
                        && (bound[rp.right] || rp.right == far)
                });
                if closes {
                    place_node(
                        far,
                        Some(Source::Current),
                        &mut bound,
                        &mut placed,
                        &mut steps,
                    );
                }
                bound[far] = true;
            }
            continue;
        }
        // A new connected piece: start where the planner chose for its part.
        let Some(pi) = layout
            .iter()
            .position(|(pv, _, _)| pv.iter().any(|&v| !bound[v]))
        else {
            break;
        };
        let (v, source) = match starts.get(pi) {
            Some(Start::NameIndex { node, label, name }) if !bound[layout[pi].0[*node]] => (
                layout[pi].0[*node],
                Source::Name {
                    label: label.clone(),
                    name: name.clone(),
                },
            ),
            Some(Start::Label { node, label }) if !bound[layout[pi].0[*node]] => {
                (layout[pi].0[*node], Source::Label(label.clone()))
            }
            _ => {
                let v = layout[pi]
                    .0
                    .iter()
                    .copied()
                    .find(|&v| !bound[v])
                    .unwrap_or(0);
                // The smallest label the node carries is the cheapest scan.
                let _ = parts;
                match vars[v].labels.first() {
                    Some(l) => (v, Source::Label(l.clone())),
                    None => (v, Source::All),
                }
            }
        };
        place_node(v, Some(source), &mut bound, &mut placed, &mut steps);
    }
    // Edges are enumerated before each walk (whose trails must avoid them) and at the end.
    let mut out = Vec::with_capacity(steps.len() + 2);
    let mut pending: Vec<usize> = Vec::new();
    for st in steps {
        match &st {
            JStep::Node { drivers, loops, .. } => {
                pending.extend(drivers);
                pending.extend(loops);
                out.push(st);
            }
            JStep::Var { .. } => {
                if !pending.is_empty() {
                    out.push(JStep::Edges {
                        rels: std::mem::take(&mut pending),
                    });
                }
                out.push(st);
            }
            JStep::Edges { .. } | JStep::Degree { .. } => out.push(st),
        }
    }
    if !pending.is_empty() {
        out.push(JStep::Edges { rels: pending });
    }
    out
}

struct Run<'a, 's> {
    p: &'a JoinPlan,
    g: &'a Graph,
    adj: &'a Adjacency,
    ctx: &'a Ctx<'a>,
    vals: Vec<Val>,
    nodes: Vec<Dense>,
    fixed: Vec<EdgeId>,
    /// A variable-length relationship's edges and nodes, left to right.
    walks: Vec<(Vec<EdgeId>, Vec<Dense>)>,
    used: Vec<EdgeId>,
    labels: Vec<Vec<&'a Bitmap>>,
    types: Vec<Option<SmallVec<[u32; 2]>>>,
    seen: Option<Bitmap>,
    emitted: usize,
    stopped: bool,
    ticks: usize,
    sink: &'s mut dyn FnMut(&[Val], u64) -> Result<bool>,
    /// Per node step, its candidates, each with the edges of its driving run when pinned.
    scratch: Vec<Vec<Candidate<'a>>>,
    /// Per relationship, the edges its node step pinned for the edge step.
    pinned: Vec<Option<&'a [EdgeId]>>,
    /// Under PROFILE, per step (then for emitting): entries and time from there on.
    entered: Option<Vec<Entered>>,
    /// How many rows the row handed on stands for (set by a counting edge step).
    weight: u64,
    /// The WHERE was tested edge by edge already (by a counting edge step).
    filtered: bool,
}

/// A node a node step may bind, with the edges of the run it came from when pinned.
type Candidate<'a> = (Dense, Option<&'a [EdgeId]>);

pub(super) type Segs<'a> = SmallVec<[(Segment<'a>, Dense); 4]>;

impl<'a> Run<'a, '_> {
    fn tick(&mut self) -> Result<()> {
        self.ticks += 1;
        if self.ticks.is_multiple_of(4096) {
            self.ctx.check_cancel()?;
        }
        Ok(())
    }

    fn halted(&self) -> bool {
        self.stopped || (self.p.one_per_input && self.emitted > 0)
    }

    /// The neighbour lists of relationship `r` seen from its bound end `from_var`; each
    /// segment carries the node whose self-loops it must skip (`NONE` for none).
    fn segments(&self, r: usize, from_var: usize) -> Segs<'a> {
        self.segments_at(r, from_var, self.nodes[from_var])
    }

    /// `segments`, with the bound end standing at node `at`.
    fn segments_at(&self, r: usize, from_var: usize, at: Dense) -> Segs<'a> {
        let rp = &self.p.rels[r];
        let from_left = rp.left == from_var;
        let sides: &[Side] = match (rp.dir, from_left) {
            (Direction::Right, true) | (Direction::Left, false) => &[Side::Out],
            (Direction::Left, true) | (Direction::Right, false) => &[Side::In],
            (Direction::Both, _) => &[Side::Out, Side::In],
        };
        segments_of(self.adj, at, sides, self.types[r].as_deref())
    }

    fn node_ok(&self, v: usize, d: Dense) -> Result<bool> {
        if !self.labels[v].iter().all(|b| b.get(d)) {
            return Ok(false);
        }
        let nv = &self.p.vars[v];
        if nv.props.is_empty() {
            return Ok(true);
        }
        let Some(node) = self.g.node(self.adj.id(d)) else {
            return Ok(false);
        };
        for props in &nv.props {
            if !self.props_match(props, &node.props)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn props_match(&self, props: &Expr, actual: &crate::graph::Properties) -> Result<bool> {
        matcher::props_match(props, actual, &self.env_names(), self.g, self.ctx)
    }

    /// Whether the row passes the WHERE: from property columns when they answer it.
    fn where_holds(&self) -> Result<bool> {
        let Some(f) = &self.p.filter else {
            return Ok(true);
        };
        if let Some(pass) = self.p.columns.as_ref().and_then(|c| c.test(&self.vals)) {
            return Ok(pass);
        }
        let v = eval(f, &self.env_names(), self.g, self.ctx)?;
        Ok(truth(&v, f.span)? == Some(true))
    }

    fn env_names(&self) -> Env<'_> {
        Env::new(&self.p.names, &self.vals)
    }

    fn edge_fits(&self, r: usize, e: EdgeId) -> Result<bool> {
        if self.used.contains(&e) {
            return Ok(false);
        }
        let rp = &self.p.rels[r];
        if let Some(props) = &rp.props {
            let Some(edge) = self.g.edge(e) else {
                return Ok(false);
            };
            if !self.props_match(props, &edge.props)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn bind_node(&mut self, v: usize, d: Dense) {
        self.nodes[v] = d;
        if let Some(s) = self.p.vars[v].slot {
            self.vals[s] = Val::Node(self.adj.id(d));
        }
    }

    fn unbind_node(&mut self, v: usize, input_bound: bool) {
        self.nodes[v] = NONE;
        if !input_bound && let Some(s) = self.p.vars[v].slot {
            self.vals[s] = Val::Null;
        }
    }

    fn step(&mut self, si: usize) -> Result<()> {
        if self.entered.is_none() {
            return self.step_unmeasured(si);
        }
        let t0 = Instant::now();
        let res = self.step_unmeasured(si);
        if let Some(e) = self.entered.as_mut().and_then(|e| e.get_mut(si)) {
            e.times += 1;
            e.spent += t0.elapsed();
        }
        res
    }

    fn step_unmeasured(&mut self, si: usize) -> Result<()> {
        if self.halted() {
            return Ok(());
        }
        let Some(step) = self.p.steps.get(si) else {
            return self.emit();
        };
        match step {
            JStep::Node {
                var,
                source,
                drivers,
                loops,
            } => self.node_step(si, *var, source.as_ref(), drivers, loops),
            JStep::Edges { rels } => self.edges_step(si, rels, 0),
            JStep::Degree { rel, at } => self.count_degree(*rel, *at),
            JStep::Var { rel, from, bfs } => {
                if *bfs {
                    self.bfs(si, *rel, *from)
                } else {
                    let r = *rel;
                    let far = self.p.other(r, *from);
                    let mut edges = Vec::new();
                    let mut nodes = vec![self.nodes[*from]];
                    let target = self.nodes[far];
                    self.trail(si, r, *from, far, target, &mut edges, &mut nodes)
                }
            }
        }
    }

    fn node_step(
        &mut self,
        si: usize,
        var: usize,
        source: Option<&Source>,
        drivers: &[usize],
        loops: &[usize],
    ) -> Result<()> {
        let last = si == self.p.last_node;
        let _ = loops;
        let mut cands = std::mem::take(&mut self.scratch[si]);
        cands.clear();
        let all_segs: SmallVec<[Segs<'a>; 3]> = drivers
            .iter()
            .map(|&r| self.segments(r, self.p.other(r, var)))
            .collect();
        let mut lead = None;
        match source {
            Some(Source::Bound(s)) => {
                if let Val::Node(id) = &self.vals[*s]
                    && let Some(d) = self.adj.dense(*id)
                {
                    cands.push((d, None));
                }
            }
            Some(Source::Name { label, name }) => {
                let v = eval(name, &self.env_names(), self.g, self.ctx)?;
                match v {
                    Val::Str(s) => cands.extend(
                        self.g
                            .find_by_name(label.as_deref(), &s)
                            .into_iter()
                            .filter_map(|id| self.adj.dense(id))
                            .map(|d| (d, None)),
                    ),
                    Val::Null => {}
                    _ => cands.extend((0..self.adj.node_count() as Dense).map(|d| (d, None))),
                }
            }
            Some(Source::Label(l)) => {
                if let Some(b) = self.adj.label(l) {
                    cands.extend(b.iter().map(|d| (d, None)));
                }
            }
            // Every node is a candidate: they are counted through, not listed.
            Some(Source::All) => {}
            Some(Source::Current) => cands.push((self.nodes[var], None)),
            None => {
                // Drive from the shortest list; probe the others.
                let li = (0..all_segs.len())
                    .min_by_key(|&i| all_segs[i].iter().map(|(s, _)| s.len()).sum::<usize>())
                    .unwrap_or(0);
                lead = Some(li);
                let segs = &all_segs[li];
                if self.p.storage_order == Some(si) {
                    for (seg, skip_loops_at) in segs {
                        for (k, &n) in seg.nbrs.iter().enumerate() {
                            if n != *skip_loops_at {
                                cands.push((n, Some(&seg.edges[k..=k])));
                            }
                        }
                    }
                    cands.sort_unstable_by_key(|(_, es)| es.map(|es| es[0]));
                } else if self.p.pin_edges || segs.len() == 1 {
                    // One candidate per run of equal neighbours, with the run's edges (one
                    // list has each neighbour in one run, so that no node comes twice). A
                    // node the last step has emitted already is no candidate.
                    let emitted = self.seen.as_ref().filter(|_| last);
                    for (seg, skip_loops_at) in segs {
                        let mut i = 0;
                        while i < seg.nbrs.len() {
                            let n = seg.nbrs[i];
                            let end = i + seg.nbrs[i..].partition_point(|&x| x == n);
                            if n != *skip_loops_at && !emitted.is_some_and(|s| s.get(n)) {
                                cands.push((n, Some(&seg.edges[i..end])));
                            }
                            i = end;
                        }
                    }
                } else {
                    for (seg, _) in segs {
                        let mut prev = NONE;
                        for &n in seg.nbrs {
                            if n != prev {
                                cands.push((n, None));
                                prev = n;
                            }
                        }
                    }
                    if segs.len() > 1 {
                        cands.sort_unstable_by_key(|&(n, _)| n);
                        cands.dedup_by_key(|&mut (n, _)| n);
                    }
                }
            }
        }
        let pinned_rel = lead.map(|li| drivers[li]);
        let mut cursors: SmallVec<[Cursor; 3]> =
            drivers.iter().map(|_| Cursor::default()).collect();
        let input_bound = matches!(source, Some(Source::Bound(_)));
        let current = matches!(source, Some(Source::Current));
        let all = matches!(source, Some(Source::All));
        let n_cands = if all {
            self.adj.node_count()
        } else {
            cands.len()
        };
        let mut result = Ok(());
        for k in 0..n_cands {
            let (c, pin) = match cands.get(k) {
                Some(&listed) if !all => listed,
                _ => (k as Dense, None),
            };
            if let Err(e) = self.tick() {
                result = Err(e);
                break;
            }
            if let Some(seen) = &self.seen
                && last
                && seen.get(c)
            {
                continue;
            }
            // Each other list is probed from where its last probe stopped; a list of one
            // segment pins the run it found for the edge step, which need not search again.
            let mut probes_ok = true;
            for (i, segs) in all_segs.iter().enumerate() {
                if Some(i) == lead {
                    continue;
                }
                let found = match segs.as_slice() {
                    [(seg, skip_loops_at)] => cursors[i].seek(seg, c).map(|run| {
                        if c != *skip_loops_at {
                            self.pinned[drivers[i]] = Some(run);
                        }
                    }),
                    _ => segs.iter().any(|(s, _)| s.contains(c)).then_some(()),
                };
                if found.is_none() {
                    probes_ok = false;
                    break;
                }
            }
            if !probes_ok {
                self.unpin_probed(drivers, lead);
                continue;
            }
            match self.node_ok(var, c) {
                Ok(true) => {}
                Ok(false) => {
                    self.unpin_probed(drivers, lead);
                    continue;
                }
                Err(e) => {
                    self.unpin_probed(drivers, lead);
                    result = Err(e);
                    break;
                }
            }
            if !current {
                self.bind_node(var, c);
            }
            if let (Some(r), Some(es)) = (pinned_rel, pin) {
                self.pinned[r] = Some(es);
            }
            let before = self.emitted;
            let r = self.step(si + 1);
            if let Some(r) = pinned_rel {
                self.pinned[r] = None;
            }
            self.unpin_probed(drivers, lead);
            if !current {
                self.unbind_node(var, input_bound);
            }
            if let Err(e) = r {
                result = Err(e);
                break;
            }
            if last
                && self.emitted > before
                && let Some(seen) = &mut self.seen
            {
                seen.insert(c);
            }
            if self.halted() {
                break;
            }
        }
        self.scratch[si] = cands;
        result
    }

    /// Forgets the runs the probes of a node step pinned (every driver but the lead).
    fn unpin_probed(&mut self, drivers: &[usize], lead: Option<usize>) {
        for (i, &r) in drivers.iter().enumerate() {
            if Some(i) != lead {
                self.pinned[r] = None;
            }
        }
    }

    /// Binds relationships `rels[k..]`, whose ends are bound, to distinct edges, then goes on.
    fn edges_step(&mut self, si: usize, rels: &[usize], k: usize) -> Result<()> {
        let Some(&r) = rels.get(k) else {
            return self.step(si + 1);
        };
        let last = si + 1 == self.p.steps.len();
        if last
            && k == 0
            && self.p.edges_exist_suffice
            && self.used.is_empty()
            && self.distinct_pairs(rels)
            && rels
                .iter()
                .all(|&r| self.runs(r).iter().any(|run| !run.is_empty()))
        {
            return self.step(si + 1);
        }
        if last && self.p.counted_edges {
            if k == 0 && self.p.filter.is_none() && self.distinct_pairs(rels) {
                return self.count_product(rels);
            }
            if k + 1 == rels.len() {
                return self.count_last(r);
            }
        }
        let runs = self.runs(r);
        for run in runs {
            for &e in run {
                if !self.edge_fits(r, e)? {
                    continue;
                }
                let before = self.emitted;
                self.fixed[r] = e;
                self.used.push(e);
                if let Some(s) = self.p.rels[r].slot {
                    self.vals[s] = Val::Rel(e);
                }
                let res = self.edges_step(si, rels, k + 1);
                self.used.pop();
                if let Some(s) = self.p.rels[r].slot {
                    self.vals[s] = Val::Null;
                }
                res?;
                if self.halted() || (last && self.p.first_success && self.emitted > before) {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// The runs of edges relationship `r` may take between its two bound ends.
    fn runs(&self, r: usize) -> SmallVec<[&'a [EdgeId]; 4]> {
        let (l, rv) = (self.p.rels[r].left, self.p.rels[r].right);
        let to = self.nodes[rv];
        match self.pinned[r] {
            Some(es) => smallvec::smallvec![es],
            None => self
                .segments(r, l)
                .into_iter()
                .filter(|&(_, skip_loops_at)| skip_loops_at != to)
                .map(|(seg, _)| seg.edges_to(to))
                .collect(),
        }
    }

    /// Whether no two of `rels` join the same two nodes: their edges are then disjoint, so
    /// that the assignments of distinct edges are all the combinations.
    fn distinct_pairs(&self, rels: &[usize]) -> bool {
        let pair = |r: usize| {
            let (a, b) = (
                self.nodes[self.p.rels[r].left],
                self.nodes[self.p.rels[r].right],
            );
            (a.min(b), a.max(b))
        };
        rels.iter()
            .enumerate()
            .all(|(i, &r)| rels[..i].iter().all(|&q| pair(q) != pair(r)))
    }

    /// Counts the assignments of `rels` (whose edges are disjoint) as the product of each
    /// one's fitting edges, and hands on one row with that multiplicity. Each relationship
    /// variable holds one of its edges, so that `count(r)` sees it bound.
    fn count_product(&mut self, rels: &[usize]) -> Result<()> {
        let mut weight = 1u64;
        for &r in rels {
            let mut n = 0u64;
            let mut first = None;
            for run in self.runs(r) {
                for &e in run {
                    if self.edge_fits(r, e)? {
                        n += 1;
                        first = first.or(Some(e));
                    }
                }
            }
            let Some(e) = first else {
                return Ok(());
            };
            weight = weight.saturating_mul(n);
            if let Some(s) = self.p.rels[r].slot {
                self.vals[s] = Val::Rel(e);
            }
        }
        self.weight = weight;
        let res = self.step(self.p.steps.len());
        self.weight = 1;
        for &r in rels {
            if let Some(s) = self.p.rels[r].slot {
                self.vals[s] = Val::Null;
            }
        }
        res
    }

    /// Counts the edges of relationship `r` at its bound end `at` (a self-loop once: an
    /// undirected pattern's incoming side skips them), binds the relationship and its far end
    /// to the first counted edge's, and hands on one row standing for every edge. Without a
    /// WHERE the counts are the segment lengths; under one that reads only the relationship,
    /// the counted end and the input (`degree_steps`), `count_passing` counts each run. A node
    /// without such an edge has no row.
    fn count_degree(&mut self, r: usize, at: usize) -> Result<()> {
        let slot = self.p.rels[r].slot;
        let mut n = 0u64;
        let mut first: Option<(EdgeId, Dense)> = None;
        for (seg, skip_loops_at) in self.segments(r, at) {
            // The lists are sorted by neighbour, so the self-loops are one run.
            let loops = if skip_loops_at == NONE {
                0..0
            } else {
                let start = seg.nbrs.partition_point(|&x| x < skip_loops_at);
                start..start + seg.edges_to(skip_loops_at).len()
            };
            for part in [0..loops.start, loops.end..seg.len()] {
                let edges = &seg.edges[part.clone()];
                if edges.is_empty() {
                    continue;
                }
                let (k, e) = self.count_passing(slot, edges)?;
                n += k;
                if first.is_none()
                    && let Some(e) = e
                    && let Some(i) = edges.iter().position(|&x| x == e)
                {
                    first = Some((e, seg.nbrs[part.start + i]));
                }
            }
        }
        let Some((e, far_node)) = first else {
            return Ok(());
        };
        let far = self.p.other(r, at);
        self.bind_node(far, far_node);
        let res = self.hand_on_count(slot, n, Some(e));
        self.unbind_node(far, false);
        res
    }

    /// How many of `edges` (a run of relationship variable `slot`) pass the WHERE, and the
    /// first that does: all of them without a WHERE, else from the property columns, or, when
    /// they cannot tell, by the WHERE on each edge. The slot is left unbound.
    fn count_passing(
        &mut self,
        slot: Option<usize>,
        edges: &[EdgeId],
    ) -> Result<(u64, Option<EdgeId>)> {
        if self.p.filter.is_none() {
            return Ok((edges.len() as u64, edges.first().copied()));
        }
        // `degree_steps` counts under a WHERE only with the relationship named.
        let Some(slot) = slot else {
            return Ok((0, None));
        };
        if let Some(counted) = (self.p.columns.as_ref())
            .and_then(|c| c.count_edges(&self.vals, slot, edges, &self.used))
        {
            return Ok(counted);
        }
        let (mut k, mut first) = (0, None);
        let mut result = Ok(());
        for &e in edges {
            if self.used.contains(&e) {
                continue;
            }
            self.vals[slot] = Val::Rel(e);
            match self.where_holds() {
                Ok(true) => {
                    k += 1;
                    first = first.or(Some(e));
                }
                Ok(false) => {}
                Err(err) => {
                    result = Err(err);
                    break;
                }
            }
        }
        self.vals[slot] = Val::Null;
        result.map(|()| (k, first))
    }

    /// Counts the fitting edges of the last relationship `r` (the filter tested on each, the
    /// other relationships bound) and hands on one row with that multiplicity.
    fn count_last(&mut self, r: usize) -> Result<()> {
        let slot = self.p.rels[r].slot;
        let mut n = 0u64;
        let mut first = None;
        let mut result = Ok(());
        let runs = self.runs(r);
        // A WHERE the property columns answer counts each run in one pass.
        if let (Some(columns), Some(s), None) = (&self.p.columns, slot, &self.p.rels[r].props) {
            let counted: Option<Vec<_>> = runs
                .iter()
                .map(|run| columns.count_edges(&self.vals, s, run, &self.used))
                .collect();
            if let Some(counted) = counted {
                for (k, e) in counted {
                    n += k;
                    first = first.or(e);
                }
                return self.hand_on_count(slot, n, first);
            }
        }
        'runs: for run in runs {
            for &e in run {
                match self.edge_fits(r, e) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(err) => {
                        result = Err(err);
                        break 'runs;
                    }
                }
                if self.p.filter.is_some() {
                    if let Some(s) = slot {
                        self.vals[s] = Val::Rel(e);
                    }
                    match self.where_holds() {
                        Ok(true) => {}
                        Ok(false) => continue,
                        Err(err) => {
                            result = Err(err);
                            break 'runs;
                        }
                    }
                }
                n += 1;
                first = first.or(Some(e));
            }
        }
        if result.is_err() {
            if let Some(s) = slot {
                self.vals[s] = Val::Null;
            }
            return result;
        }
        self.hand_on_count(slot, n, first)
    }

    /// Hands on one row standing for the `n` fitting edges counted by `count_last`, whose
    /// first is `first`, with the relationship's slot holding it.
    fn hand_on_count(&mut self, slot: Option<usize>, n: u64, first: Option<EdgeId>) -> Result<()> {
        let mut result = Ok(());
        if let Some(e) = first {
            if let Some(s) = slot {
                self.vals[s] = Val::Rel(e);
            }
            self.weight = n;
            self.filtered = true;
            result = self.step(self.p.steps.len());
            self.weight = 1;
            self.filtered = false;
        }
        if let Some(s) = slot {
            self.vals[s] = Val::Null;
        }
        result
    }

    /// Enumerates trails of a variable-length relationship (openCypher's semantics: no edge
    /// twice), depth first.
    #[allow(clippy::too_many_arguments)]
    fn trail(
        &mut self,
        si: usize,
        r: usize,
        from: usize,
        far: usize,
        target: Dense,
        edges: &mut Vec<EdgeId>,
        nodes: &mut Vec<Dense>,
    ) -> Result<()> {
        self.tick()?;
        let (min, max, unbounded) = self.p.rels[r].range.unwrap_or((1, 1, false));
        let depth = edges.len();
        let cur = *nodes.last().unwrap_or(&NONE);
        let far_was_bound = target != NONE;
        if depth >= min
            && (!far_was_bound || cur == target)
            && (far_was_bound || self.node_ok(far, cur)?)
        {
            if !far_was_bound {
                self.bind_node(far, cur);
            }
            let mut e_lr = edges.clone();
            let mut n_lr = nodes.clone();
            if self.p.rels[r].left != from {
                e_lr.reverse();
                n_lr.reverse();
            }
            if let Some(s) = self.p.rels[r].slot {
                self.vals[s] = Val::List(e_lr.iter().map(|e| Val::Rel(*e)).collect());
            }
            self.walks[r] = (e_lr, n_lr);
            let res = self.step(si + 1);
            if let Some(s) = self.p.rels[r].slot {
                self.vals[s] = Val::Null;
            }
            if !far_was_bound {
                self.unbind_node(far, false);
            }
            res?;
        }
        if self.halted() || (depth >= max && !unbounded) {
            return Ok(());
        }
        let segs = self.segments_at(r, from, cur);
        for (seg, skip_loops_at) in segs {
            for (&n, &e) in seg.nbrs.iter().zip(seg.edges) {
                if n == cur && skip_loops_at == cur {
                    continue;
                }
                if !self.edge_fits(r, e)? {
                    continue;
                }
                if depth >= max {
                    return Err(path_too_long(max, self.p.rels[r].span));
                }
                if unbounded {
                    let walked = self.p.walked.get() + 1;
                    self.p.walked.set(walked);
                    if walked > self.ctx.limits.max_walk_steps {
                        return Err(too_many_walk_steps(
                            self.ctx.limits.max_walk_steps,
                            self.p.rels[r].span,
                        ));
                    }
                }
                edges.push(e);
                nodes.push(n);
                self.used.push(e);
                let res = self.trail(si, r, from, far, target, edges, nodes);
                self.used.pop();
                edges.pop();
                nodes.pop();
                res?;
                if self.halted() {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// The distinct far ends of a variable-length relationship with `min <= 1`, by a
    /// breadth-first search bounded by `max`, avoiding the edges bound elsewhere.
    fn bfs(&mut self, si: usize, r: usize, from: usize) -> Result<()> {
        let (min, max, _) = self.p.rels[r].range.unwrap_or((1, 1, false));
        let far = self.p.other(r, from);
        let s = self.nodes[from];
        let n = self.adj.node_count();
        let mut depth: Vec<u32> = vec![u32::MAX; n];
        // For an undirected search: each node's tree edge and its first step from `s`.
        let undirected = self.p.rels[r].dir == Direction::Both;
        let mut tree_edge: Vec<EdgeId> = if undirected {
            vec![EdgeId(u64::MAX); n]
        } else {
            Vec::new()
        };
        let mut branch: Vec<Dense> = if undirected {
            vec![NONE; n]
        } else {
            Vec::new()
        };
        depth[s as usize] = 0;
        let mut frontier = vec![s];
        let mut order: Vec<Dense> = Vec::new();
        let mut d = 0u32;
        while !frontier.is_empty() && (d as usize) < max {
            let mut next = Vec::new();
            for &x in &frontier {
                self.tick()?;
                let segs = self.segments_at(r, from, x);
                for (seg, skip_loops_at) in segs {
                    for (&y, &e) in seg.nbrs.iter().zip(seg.edges) {
                        if y == x && skip_loops_at == x {
                            continue;
                        }
                        if depth[y as usize] != u32::MAX {
                            continue;
                        }
                        if !self.edge_fits(r, e)? {
                            continue;
                        }
                        depth[y as usize] = d + 1;
                        if undirected {
                            tree_edge[y as usize] = e;
                            branch[y as usize] = if x == s { y } else { branch[x as usize] };
                        }
                        next.push(y);
                        order.push(y);
                    }
                }
            }
            frontier = next;
            d += 1;
        }
        // The start is a far end when it lies on a closed trail of length 1..max (or when
        // zero hops are allowed).
        let start_too = min == 0 || {
            let mut found = false;
            let reach: Vec<Dense> = std::iter::once(s)
                .chain(order.iter().copied())
                .filter(|&x| (depth[x as usize] as usize) < max)
                .collect();
            'scan: for x in reach {
                let segs = self.segments_at(r, from, x);
                let dx = depth[x as usize] as usize;
                for (seg, skip_loops_at) in segs {
                    for (&y, &e) in seg.nbrs.iter().zip(seg.edges) {
                        if y == x && skip_loops_at == x {
                            continue;
                        }
                        if !self.edge_fits(r, e)? {
                            continue;
                        }
                        let closes = if !undirected {
                            y == s
                        } else if x == y {
                            x == s
                        } else if y == s {
                            tree_edge[x as usize] != e
                        } else if x == s {
                            // A second edge to a neighbour: a closed trail of two.
                            tree_edge[y as usize] != e && max >= 2
                        } else {
                            depth[y as usize] != u32::MAX
                                && branch[x as usize] != branch[y as usize]
                                && dx + (depth[y as usize] as usize) < max
                        };
                        if closes {
                            found = true;
                            break 'scan;
                        }
                    }
                }
            }
            found
        };
        let ends = start_too.then_some(s).into_iter().chain(
            order
                .iter()
                .copied()
                .filter(|&y| depth[y as usize] as usize >= min),
        );
        let ends: Vec<Dense> = ends.collect();
        for y in ends {
            if let Some(seen) = &self.seen
                && seen.get(y)
            {
                continue;
            }
            if !self.node_ok(far, y)? {
                continue;
            }
            self.bind_node(far, y);
            let before = self.emitted;
            let res = self.step(si + 1);
            self.unbind_node(far, false);
            res?;
            if self.emitted > before
                && let Some(seen) = &mut self.seen
            {
                seen.insert(y);
            }
            if self.halted() {
                break;
            }
        }
        Ok(())
    }

    /// Hands on the current row, standing for `weight` rows, after the WHERE (unless the
    /// edge count tested it already).
    fn emit(&mut self) -> Result<()> {
        for (pvars, prels, path_slot) in &self.p.parts {
            let Some(s) = *path_slot else { continue };
            let mut path = PathRef {
                nodes: vec![self.adj.id(self.nodes[pvars[0]])],
                rels: Vec::new(),
            };
            for (k, &r) in prels.iter().enumerate() {
                if self.p.rels[r].range.is_some() {
                    let (edges, nodes) = &self.walks[r];
                    path.rels.extend(edges);
                    path.nodes
                        .extend(nodes.iter().skip(1).map(|&d| self.adj.id(d)));
                } else {
                    path.rels.push(self.fixed[r]);
                    path.nodes.push(self.adj.id(self.nodes[pvars[k + 1]]));
                }
            }
            self.vals[s] = Val::Path(path);
        }
        if !self.filtered && !self.where_holds()? {
            return Ok(());
        }
        self.emitted += 1;
        let t0 = self.entered.is_some().then(Instant::now);
        let go = (self.sink)(&self.vals, self.weight)?;
        if let (Some(t0), Some(e)) = (t0, self.entered.as_mut().and_then(|e| e.last_mut())) {
            e.spent += t0.elapsed();
        }
        if !go {
            self.stopped = true;
        }
        Ok(())
    }
}

/// Where the probes of one sorted neighbour list stand. A node step's candidates come in
/// rising order (one list's runs), so each probe gallops forward from the last one's place:
/// probing a list of length l with s rising values costs O(s log(l/s)) and reads it front
/// to back, instead of s binary searches over all of it. A probe below the last starts over.
#[derive(Default, Clone, Copy)]
struct Cursor {
    at: usize,
    last: Dense,
}

impl Cursor {
    /// The run of edges of `seg` that lead to `nbr`, if any.
    fn seek<'a>(&mut self, seg: &Segment<'a>, nbr: Dense) -> Option<&'a [EdgeId]> {
        if nbr < self.last {
            self.at = 0;
        }
        self.last = nbr;
        let rest = &seg.nbrs[self.at.min(seg.len())..];
        // Every entry of `rest[..lo]` is below `nbr`; the steps double until one is not.
        let (mut lo, mut step) = (0, 1);
        while lo + step <= rest.len() && rest[lo + step - 1] < nbr {
            lo += step;
            step *= 2;
        }
        let hi = (lo + step).min(rest.len());
        let start = self.at + lo + rest[lo..hi].partition_point(|&x| x < nbr);
        self.at = start;
        let n = seg.nbrs[start..].partition_point(|&x| x == nbr);
        (n > 0).then(|| &seg.edges[start..start + n])
    }
}

/// The segments of node `at` on the given sides for the given types (all types for `None`);
/// on the incoming side of a two-way walk, self-loops are skipped (the outgoing side has
/// them), so that a self-loop is walked once.
pub(super) fn segments_of<'a>(
    adj: &'a Adjacency,
    at: Dense,
    sides: &[Side],
    types: Option<&[u32]>,
) -> Segs<'a> {
    let mut out: Segs<'a> = SmallVec::new();
    let both = sides.len() == 2;
    for &side in sides {
        let skip = if both && side == Side::In { at } else { NONE };
        match types {
            Some(ts) => {
                for &t in ts {
                    let seg = adj.segment(at, side, t);
                    if !seg.is_empty() {
                        out.push((seg, skip));
                    }
                }
            }
            None => out.extend(adj.segments_all(at, side).map(|s| (s, skip))),
        }
    }
    out
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

#[cfg(test)]
#[path = "../../tests/common/random_graph.rs"]
mod random_graph;

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::random_graph::{Lcg, Names, Shape};

    use crate::graph::{Graph, Properties, Value};
    use crate::query::exec::REFERENCE_ONLY;
    use crate::query::{QueryOptions, QueryValue, execute};

    fn random_graph(r: &mut Lcg) -> Graph {
        let shape = Shape {
            max_nodes: 7,
            max_edges: 10,
            names: Names::Shared,
        };
        super::random_graph::random_graph(r, &shape).graph
    }

    /// A single relationship whose rows are counted per binding of one end: the shapes that
    /// `JStep::Degree` counts from the adjacency (any direction, several types, the counted
    /// end on either side, bound by an earlier clause or labelled), and near misses it must
    /// leave to the other steps (a labelled or read far end, a property on the relationship).
    fn degree_query(r: &mut Lcg) -> String {
        let ty = r.pick(&["", ":T1", ":T1|T2", ":T2|T1|T2", ":T3"]);
        let rel = r.pick(&["r", "r", ""]);
        let props = r.pick(&["", "", "", " {w: 1}"]);
        let (l, rr) = match r.below(3) {
            0 => ("-", "->"),
            1 => ("<-", "-"),
            _ => ("-", "-"),
        };
        let a = r.pick(&["(a)", "(a)", "(a:L1)", "(a {k: 1})"]);
        let b = r.pick(&["(b)", "(b)", "()", "(b:L2)"]);
        let (first, second) = if r.below(2) == 0 { (a, b) } else { (b, a) };
        let mut text = String::new();
        if r.below(4) == 0 {
            text.push_str("MATCH (a:L1) WITH a ");
        }
        text.push_str(if r.below(6) == 0 {
            "OPTIONAL MATCH "
        } else {
            "MATCH "
        });
        text.push_str(&format!("{first}{l}[{rel}{ty}{props}]{rr}{second}"));
        // WHEREs the property columns answer at the counted end, and near misses: one that
        // reads the far end, one the columns cannot answer.
        let filter = match (rel, r.below(6)) {
            ("r", 0) => " WHERE r.w <> 1",
            ("r", 1) => " WHERE r.w >= 1 AND a.k <> 2",
            ("r", 2) if b.starts_with("(b") => " WHERE r.w = 1 AND b.k = 1",
            ("r", 3) => " WHERE r.w + 0 > 0",
            _ => "",
        };
        text.push_str(filter);
        let mut counted = vec!["*"];
        if rel.starts_with('r') {
            counted.push("r");
        }
        if b.starts_with("(b") {
            counted.push("b");
        }
        let c = r.pick(&counted);
        let ret = match r.below(11) {
            0 => format!("RETURN a.k AS k, count({c}) AS n ORDER BY n DESC, k LIMIT 2"),
            // Grouped by element id, then merged by value: shared names, ties at the limit,
            // keys that are not plain values, an aggregate inside an expression.
            5 => format!("RETURN a.name AS name, count({c}) AS n ORDER BY n DESC, name LIMIT 1"),
            6 => format!("RETURN a.f AS f, count({c}) AS n"),
            7 => format!("RETURN a.name AS name, a.k AS k, count({c}) * 2 + 1 AS n"),
            8 => {
                format!("RETURN a.name AS name, a, count({c}) AS n ORDER BY n, name, id(a) LIMIT 3")
            }
            // A top-k over the groups: keys and counts in either direction, after a SKIP.
            9 => format!(
                "RETURN a, a.name AS name, count({c}) AS n ORDER BY name DESC, n, a SKIP 1 LIMIT 2"
            ),
            10 => format!(
                "RETURN a.name AS name, count({c}) AS n, count(*) AS m \
                 ORDER BY m DESC, n, name LIMIT 2"
            ),
            1 => format!("RETURN a, count({c}) AS n"),
            2 => format!("RETURN count({c}) AS n"),
            3 => format!("RETURN a.k AS k, count({c}) AS n, count(*) AS m"),
            _ if b.starts_with("(b") => format!("RETURN a, b.k AS k, count({c}) AS n"),
            _ => format!("RETURN a.k + 1 AS k, count({c}) AS n"),
        };
        format!("{text} {ret}")
    }

    /// A random MATCH with what it returns; the flag says only the row count may be compared
    /// (LIMIT without ORDER BY may keep any rows).
    fn random_query(r: &mut Lcg) -> (String, bool) {
        if r.below(5) == 0 {
            return (degree_query(r), false);
        }
        let names = ["a", "b", "c", "d"];
        let mut vars: Vec<&str> = Vec::new();
        let mut rels: Vec<String> = Vec::new();
        let mut fixed_rels: Vec<String> = Vec::new();
        let mut text = String::new();
        let bound_first = r.below(5) == 0;
        if bound_first {
            text.push_str("MATCH (a:L1) WITH a ");
        }
        text.push_str(if r.below(7) == 0 {
            "OPTIONAL MATCH "
        } else {
            "MATCH "
        });
        let path = r.below(5) == 0;
        if path {
            text.push_str("p = ");
        }
        let hops = 1 + r.below(3);
        let node = |r: &mut Lcg, vars: &mut Vec<&str>, text: &mut String| {
            let v = if !vars.is_empty() && r.below(5) == 0 {
                vars[r.below(vars.len())]
            } else {
                let v = names[vars.len().min(3)];
                if !vars.contains(&v) {
                    vars.push(v);
                }
                v
            };
            let label = r.pick(&["", "", "", ":L1", ":L2"]);
            let props = if r.below(10) == 0 { " {k: 1}" } else { "" };
            text.push_str(&format!("({v}{label}{props})"));
        };
        node(r, &mut vars, &mut text);
        for i in 0..hops {
            let ty = r.pick(&["", "", ":T1", ":T1", ":T1|T2", ":T2|T2"]);
            let range = r.pick(&[
                "", "", "", "", "*0..2", "*1..2", "*1..3", "*2..3", "*", "*0..1", "*2", "*1..1",
            ]);
            let named = r.below(2) == 0;
            let var = if named {
                format!("r{i}")
            } else {
                String::new()
            };
            if named {
                rels.push(var.clone());
                if range.is_empty() {
                    fixed_rels.push(var.clone());
                }
            }
            let body = format!("[{var}{ty}{range}]");
            let rel = match r.below(3) {
                0 => format!("-{body}->"),
                1 => format!("<-{body}-"),
                _ => format!("-{body}-"),
            };
            text.push_str(&rel);
            node(r, &mut vars, &mut text);
        }
        // A cycle closed back to the first node (a triangle after two hops): the node steps
        // intersect two neighbour lists, probed from where the last probe stopped.
        if hops >= 2 && r.below(4) == 0 {
            let ty = r.pick(&["", ":T1", ":T1|T2"]);
            let close = r.pick(&["-[{ty}]->(a)", "<-[{ty}]-(a)", "-[{ty}]-(a)"]);
            text.push_str(&close.replace("{ty}", ty));
        }
        if r.below(5) == 0 {
            let x = vars[r.below(vars.len())];
            text.push_str(&format!(", ({x})-[:T2]->(e)"));
            vars.push("e");
        }
        let mut conditions = Vec::new();
        if r.below(6) == 0 {
            conditions.push("a.k <> 2".to_string());
        }
        if !fixed_rels.is_empty() && r.below(4) == 0 {
            let rel = &fixed_rels[r.below(fixed_rels.len())];
            conditions.push(format!("{rel}.w <> 1"));
        }
        if !conditions.is_empty() {
            text.push_str(&format!(" WHERE {}", conditions.join(" AND ")));
        }
        let last = vars[vars.len() - 1];
        let mut all: Vec<String> = vars.iter().map(|v| v.to_string()).collect();
        all.extend(rels);
        if path {
            all.push("p".into());
        }
        let counted = fixed_rels.last().map_or(last, |s| s.as_str());
        let (ret, count_only) = match r.below(11) {
            // Counts only: the final edges are counted, and grouping goes by element ids.
            7 => (format!("RETURN count({counted}) AS n"), false),
            8 => ("RETURN a.k AS k, count(*) AS n".to_string(), false),
            9 => (
                format!("RETURN {last}.k AS k, count({counted}) AS n ORDER BY n DESC, k LIMIT 2"),
                false,
            ),
            10 => (format!("RETURN {last}, count(*) AS n"), false),
            0 | 1 => (format!("RETURN {}", all.join(", ")), false),
            2 => ("RETURN count(*)".to_string(), false),
            3 => (format!("RETURN DISTINCT {last}"), false),
            4 => (format!("RETURN count(DISTINCT {last})"), false),
            5 => (format!("RETURN a, collect(DISTINCT {last}) AS l"), false),
            _ => (format!("RETURN {} LIMIT 3", all.join(", ")), true),
        };
        (format!("{text} {ret}"), count_only)
    }

    /// The rows of `q`, or `None` when an unbounded pattern reached the walk limit (kept low
    /// here so that a test case stays fast).
    fn rows(g: &Graph, q: &str, reference: bool) -> Option<Vec<String>> {
        REFERENCE_ONLY.store(reference, Ordering::SeqCst);
        let mut g = g.clone();
        let mut options = QueryOptions::default();
        options.limits.max_walk_steps = 20_000;
        let result = execute(&mut g, q, &options);
        REFERENCE_ONLY.store(false, Ordering::SeqCst);
        let result = match result {
            Err(e) if e.message.contains("walked more than") => return None,
            other => other.unwrap_or_else(|e| panic!("{q}: {e}")),
        };
        let mut rows: Vec<String> = result
            .rows
            .iter()
            .map(|row| {
                // Collected lists hold their items in the order rows arrived: sorted here.
                let cells: Vec<String> = row
                    .iter()
                    .map(|v| match v {
                        QueryValue::List(items) => {
                            let mut items: Vec<String> =
                                items.iter().map(|i| format!("{i:?}")).collect();
                            items.sort();
                            items.join(", ")
                        }
                        other => format!("{other:?}"),
                    })
                    .collect();
                cells.join(" | ")
            })
            .collect();
        rows.sort();
        Some(rows)
    }

    #[test]
    fn join_operators_give_the_backtracking_matchers_rows_on_random_graphs_and_patterns() {
        let mut r = Lcg(0x5eed);
        let mut limited = 0;
        let mut filtered_degrees = 0;
        for case in 0..1500 {
            let g = random_graph(&mut r);
            let (q, count_only) = random_query(&mut r);
            if crate::query::explain(&q).is_ok_and(|p| p.contains("counted in CountDegree")) {
                filtered_degrees += 1;
            }
            let Some(want) = rows(&g, &q, true) else {
                // The reference gave up on a dense graph; the join may not (distinct far ends).
                limited += 1;
                continue;
            };
            let got =
                rows(&g, &q, false).unwrap_or_else(|| panic!("case {case}: {q} hit the limit"));
            if count_only {
                assert_eq!(got.len(), want.len(), "case {case}: {q}");
            } else {
                assert_eq!(got, want, "case {case}: {q}");
            }
        }
        assert!(limited < 50, "{limited} cases reached the walk limit");
        assert!(
            filtered_degrees >= 20,
            "only {filtered_degrees} cases counted degrees under a WHERE"
        );
    }

    /// Counts grouped by node id merge the nodes that share a name (the answer groups by
    /// value), and a top-k keeps every group tied at the limit in name order; a key that is
    /// not a plain value (a float) takes the general grouping, where 1 and 1.0 differ.
    #[test]
    fn counts_by_node_merge_shared_names_and_keep_ties_at_the_limit() {
        let mut g = Graph::new();
        let node = |g: &mut Graph, name: Option<&str>, f: Value| {
            let mut p = Properties::new();
            if let Some(n) = name {
                p.insert("name", Value::String(n.into()));
            }
            p.insert("f", f);
            g.add_node(["N"], p)
        };
        // Two nodes named "b" (1 + 2 edges in), "a" and "c" with 3 each, one unnamed with 3.
        let b1 = node(&mut g, Some("b"), Value::Int(1));
        let b2 = node(&mut g, Some("b"), Value::Float(1.0));
        let a = node(&mut g, Some("a"), Value::Int(1));
        let c = node(&mut g, Some("c"), Value::Int(2));
        let none = node(&mut g, None, Value::Int(2));
        let s = node(&mut g, Some("s"), Value::Null);
        for (t, n) in [(b1, 1), (b2, 2), (a, 3), (c, 3), (none, 3)] {
            for _ in 0..n {
                g.add_edge(s, "T", t, Properties::new()).unwrap();
            }
        }
        let q = "MATCH (s)-[r:T]->(t) RETURN t.name AS name, count(r) AS n \
                 ORDER BY n DESC, name LIMIT 3";
        let plan = crate::query::explain(q).unwrap();
        assert!(plan.contains("CountById [t.name]"), "{plan}");
        // Nulls sort last in ascending order: the unnamed group is not among the three.
        let want = [
            "String(\"a\") | Int(3)",
            "String(\"b\") | Int(3)",
            "String(\"c\") | Int(3)",
        ];
        assert_eq!(rows(&g, q, false), Some(want.map(String::from).to_vec()));
        assert_eq!(rows(&g, q, true), rows(&g, q, false));
        for q in [
            "MATCH (s)-[r:T]->(t) RETURN t.f AS f, count(*) AS n",
            "MATCH (s)-[r:T]->(t) RETURN t.name AS name, t, count(r) + 1 AS n",
            "MATCH (s)-[r:T]-(t) RETURN t.name AS name, count(t) AS n ORDER BY n, name LIMIT 2",
        ] {
            assert_eq!(rows(&g, q, false), rows(&g, q, true), "{q}");
        }
        let floats = rows(
            &g,
            "MATCH ()-[:T]->(t) RETURN t.f AS f, count(*) AS n",
            false,
        );
        let want = ["Float(1.0) | Int(2)", "Int(1) | Int(4)", "Int(2) | Int(6)"];
        assert_eq!(floats, Some(want.map(String::from).to_vec()));
    }

    /// openCypher matches a self-loop once with a directed pattern and once with an
    /// undirected one (TCK Match2 [3] and [4]); counting from the adjacency does the same.
    #[test]
    fn a_counted_self_loop_counts_once_in_either_direction() {
        let mut g = Graph::new();
        let name = |n: &str| {
            let mut p = Properties::new();
            p.insert("name", Value::String(n.into()));
            p
        };
        let a = g.add_node(["N"], name("a"));
        let b = g.add_node(["N"], name("b"));
        let w = |w: i64| {
            let mut p = Properties::new();
            p.insert("w", Value::Int(w));
            p
        };
        g.add_edge(a, "T", a, w(1)).unwrap();
        g.add_edge(a, "T", b, w(2)).unwrap();
        g.add_edge(b, "U", a, w(1)).unwrap();
        let plan = crate::query::explain("MATCH (x)-[r:T]-(y) RETURN x.name, count(r)").unwrap();
        assert!(plan.contains("CountDegree (x)[:T] (y)"), "{plan}");
        let filtered = "MATCH (x)-[r:T]-(y) WHERE r.w = 1 RETURN x.name AS x, count(r) AS n";
        let plan = crate::query::explain(filtered).unwrap();
        assert!(plan.contains("CountDegree (x)[:T] (y)"), "{plan}");
        assert!(plan.contains("counted in CountDegree"), "{plan}");
        for (q, want) in [
            (filtered, vec!["String(\"a\") | Int(1)"]),
            (
                "MATCH (x)-[r:T]-(y) RETURN x.name AS x, count(r) AS n",
                vec!["String(\"a\") | Int(2)", "String(\"b\") | Int(1)"],
            ),
            (
                "MATCH (x)<-[r:T]-(y) RETURN x.name AS x, count(r) AS n",
                vec!["String(\"a\") | Int(1)", "String(\"b\") | Int(1)"],
            ),
            (
                "MATCH (x)-[r:T|U]->() RETURN x.name AS x, count(*) AS n",
                vec!["String(\"a\") | Int(2)", "String(\"b\") | Int(1)"],
            ),
            (
                "MATCH (x)-[r]-(y) RETURN x.name AS x, count(y) AS n",
                vec!["String(\"a\") | Int(3)", "String(\"b\") | Int(2)"],
            ),
        ] {
            assert_eq!(
                rows(&g, q, false),
                Some(want.iter().map(|s| s.to_string()).collect()),
                "{q}"
            );
            assert_eq!(rows(&g, q, true), rows(&g, q, false), "{q}");
        }
    }
}
