//! The executor: runs a plan's steps over rows on the graph, applies writes, aggregates,
//! sorts, and materialises the result.
//!
//! It changes the graph only through `Graph`'s methods and only for write steps; `execute`
//! in `mod.rs` restores the graph when a query fails, so a step may fail halfway.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use smallvec::SmallVec;

use super::ast::*;
use super::budget::{result_row_bytes, row_bytes};
use super::error::{ErrorKind, QueryError, Span};
use super::eval::{Ctx, Env, Result, eval, runtime, truth};
use super::join::JoinPlan;
use super::matcher::{Matcher, too_many_rows};
use super::planner::{Agg, AggFunc, Op, Plan, ProjPlan, Step};
use super::result::{NodeValue, PathValue, QueryResult, QueryValue, RelValue, UpdateStats};
use super::undo::Change;
use super::usage::needs_of;
use super::value::{GroupKey, PathRef, Val, order_cmp};
use crate::graph::columns::{Column, MISSING, Owner};
use crate::graph::{Graph, NodeId, Properties, Value};

type Row = Vec<Val>;

/// A projection's output rows, each with its ORDER BY keys and, when the projection does
/// not aggregate, the index of the input row it came from.
type Produced = Vec<(Row, Vec<Val>, Option<usize>)>;

/// Runs a plan; on error the graph may be partly changed (the caller restores it).
pub fn run(plan: &Plan, graph: &mut Graph, ctx: &Ctx<'_>) -> Result<QueryResult> {
    run_with(plan, graph, ctx, None)
}

/// What PROFILE reports for one step: its rows out and the time it took.
#[derive(Debug, Clone)]
pub struct StepProfile {
    pub part: usize,
    pub step: usize,
    pub rows: usize,
    pub time: std::time::Duration,
}

/// `run`, also measuring every step.
pub fn run_profiled(
    plan: &Plan,
    graph: &mut Graph,
    ctx: &Ctx<'_>,
) -> Result<(QueryResult, Vec<StepProfile>)> {
    let mut prof = Vec::new();
    let r = run_with(plan, graph, ctx, Some(&mut prof))?;
    Ok((r, prof))
}

fn run_with(
    plan: &Plan,
    graph: &mut Graph,
    ctx: &Ctx<'_>,
    mut prof: Option<&mut Vec<StepProfile>>,
) -> Result<QueryResult> {
    let mut stats = UpdateStats::default();
    let mut all_rows: Vec<Row> = Vec::new();
    let distinct_union = plan.union_all.first().is_some_and(|all| !all);
    for (pn, part) in plan.parts.iter().enumerate() {
        let mut rows: Vec<Row> = vec![Vec::new()];
        // What `rows` holds by the memory budget: what the step that made them charged.
        let mut held_rows = 0;
        let mut names: Vec<String> = Vec::new();
        let mut returned = false;
        let mut i = 0;
        while i < part.steps.len() {
            ctx.check_cancel()?;
            let step = &part.steps[i];
            let next = part.steps.get(i + 1);
            let mark = ctx.held.used();
            // A MATCH feeding an aggregation streams its rows into the groups.
            if let (
                Op::Match {
                    optional: false, ..
                },
                Some(next_step),
            ) = (&step.op, next)
                && let Op::Project(p) = &next_step.op
                && p.aggregates()
            {
                let t0 = std::time::Instant::now();
                rows = match_into_aggregate(step, next_step, p, &names, rows, graph, ctx)?;
                held_rows = hand_over(ctx, mark, held_rows);
                if let Some(prof) = prof.as_deref_mut() {
                    prof.push(StepProfile {
                        part: pn,
                        step: i + 1,
                        rows: rows.len(),
                        time: t0.elapsed(),
                    });
                }
                names.clone_from(&next_step.out);
                returned = p.is_return;
                i += 2;
                continue;
            }
            let t0 = std::time::Instant::now();
            rows = if let Op::Match { .. } = &step.op {
                match_step(step, next, &names, rows, graph, ctx)?
            } else {
                run_step(step, &names, rows, graph, ctx, &mut stats)?
            };
            held_rows = hand_over(ctx, mark, held_rows);
            if let Some(prof) = prof.as_deref_mut() {
                prof.push(StepProfile {
                    part: pn,
                    step: i,
                    rows: rows.len(),
                    time: t0.elapsed(),
                });
            }
            names.clone_from(&step.out);
            if let Op::Project(p) = &step.op {
                returned = p.is_return;
            }
            i += 1;
        }
        if returned {
            all_rows.extend(rows);
        }
    }
    if distinct_union {
        let mut seen = BTreeSet::new();
        all_rows.retain(|r| seen.insert(GroupKey(r.clone())));
    }
    let mut rows = Vec::with_capacity(all_rows.len());
    let mut tally = ctx.held.tally(Span { start: 0, end: 0 });
    for r in &all_rows {
        let row: Vec<QueryValue> = r.iter().map(|v| materialise(v, graph)).collect();
        tally.add(result_row_bytes(&row))?;
        rows.push(row);
    }
    tally.finish()?;
    Ok(QueryResult {
        columns: plan.columns.clone(),
        rows,
        stats,
    })
}

/// After a step: the rows it made hold what it charged since `mark`, and the rows it
/// consumed (which held `consumed`) are gone. Returns what the new rows hold.
fn hand_over(ctx: &Ctx<'_>, mark: usize, consumed: usize) -> usize {
    let made = ctx.held.used().saturating_sub(mark);
    ctx.held.release(consumed);
    made
}

fn run_step(
    step: &Step,
    in_names: &[String],
    rows: Vec<Row>,
    graph: &mut Graph,
    ctx: &Ctx<'_>,
    stats: &mut UpdateStats,
) -> Result<Vec<Row>> {
    let max = ctx.limits.max_rows;
    match &step.op {
        Op::Match { .. } | Op::Unwind { .. } | Op::Project(_) | Op::Call(_) => {
            run_read_step(step, in_names, rows, graph, ctx, None)
        }
        Op::CallSubquery {
            plan,
            imports,
            names,
            returns,
        } => {
            let mut out = Vec::new();
            for row in rows {
                ctx.check_cancel()?;
                let start: Row = imports.iter().map(|&i| row[i].clone()).collect();
                let inner = run_call_subquery(plan, names, start, graph, ctx, stats)?;
                if *returns {
                    for r in inner {
                        let mut full = row.clone();
                        full.extend(r);
                        out.push(full);
                        if out.len() > max {
                            return Err(too_many_rows(max, step.span));
                        }
                    }
                } else {
                    out.push(row);
                }
            }
            Ok(out)
        }
        Op::Create { parts } => {
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                ctx.check_cancel()?;
                let mut r = row;
                let n_in = r.len();
                r.resize(step.out.len(), Val::Null);
                let mut bound = vec![true; n_in];
                bound.resize(step.out.len(), false);
                for part in parts {
                    create_part(part, &step.out, &mut r, &mut bound, graph, ctx, stats)?;
                }
                out.push(r);
            }
            Ok(out)
        }
        Op::Merge {
            part,
            start,
            on_match,
            on_create,
        } => {
            let mut out = Vec::new();
            for row in rows {
                ctx.check_cancel()?;
                merge_props_not_null(part, in_names, &row, graph, ctx)?;
                let found = {
                    let g: &Graph = graph;
                    let starts = [start.clone()];
                    let mut m = Matcher::new(
                        g,
                        ctx,
                        std::slice::from_ref(part),
                        &starts,
                        &step.out,
                        &row,
                        None,
                        None,
                    );
                    m.run()?;
                    m.results
                };
                if found.is_empty() {
                    let mut r = row;
                    let n_in = r.len();
                    r.resize(step.out.len(), Val::Null);
                    let mut bound = vec![true; n_in];
                    bound.resize(step.out.len(), false);
                    create_part(part, &step.out, &mut r, &mut bound, graph, ctx, stats)?;
                    for item in on_create {
                        set_item(item, &step.out, &r, graph, ctx, stats)?;
                    }
                    out.push(r);
                } else {
                    for r in found {
                        for item in on_match {
                            set_item(item, &step.out, &r, graph, ctx, stats)?;
                        }
                        out.push(r);
                    }
                }
                if out.len() > max {
                    return Err(too_many_rows(max, step.span));
                }
            }
            Ok(out)
        }
        Op::Set { items } => {
            for row in &rows {
                for item in items {
                    set_item(item, in_names, row, graph, ctx, stats)?;
                }
            }
            Ok(rows)
        }
        Op::Remove { items } => {
            for row in &rows {
                for item in items {
                    remove_item(item, in_names, row, graph, ctx, stats)?;
                }
            }
            Ok(rows)
        }
        Op::Delete { detach, exprs } => {
            let mut nodes: BTreeSet<NodeId> = BTreeSet::new();
            let mut rels = BTreeSet::new();
            {
                let g: &Graph = graph;
                for row in &rows {
                    for e in exprs {
                        let v = eval(e, &Env::new(in_names, row), g, ctx)?;
                        collect_deletes(&v, &mut nodes, &mut rels, e.span)?;
                    }
                }
            }
            for id in rels {
                if !graph.contains_edge(id) {
                    continue;
                }
                if let Ok(edge) = graph.remove_edge(id) {
                    ctx.undo.record(Change::EdgeDeleted(edge));
                    stats.relationships_deleted += 1;
                }
            }
            for id in nodes {
                if !graph.contains_node(id) {
                    continue;
                }
                let degree = graph.degree(id, crate::graph::Walk::Both);
                if degree > 0 && !detach {
                    return Err(runtime(
                        ErrorKind::ConstraintVerificationFailed,
                        "DeleteConnectedNode",
                        step.span,
                        format!("node {id} still has {degree} relationship(s)"),
                    )
                    .with_hint("delete its relationships first, or use DETACH DELETE"));
                }
                let (node, edges) = graph.detach_remove_node(id).map_err(|e| {
                    runtime(ErrorKind::EntityNotFound, "", step.span, e.to_string())
                })?;
                stats.relationships_deleted += edges.len();
                // Edges go back after their node, so they are recorded before it.
                for edge in edges {
                    ctx.undo.record(Change::EdgeDeleted(edge));
                }
                ctx.undo.record(Change::NodeDeleted(node));
                stats.nodes_deleted += 1;
            }
            Ok(rows)
        }
    }
}

/// MERGE cannot match or create a property that is null.
/// Runs a step that only reads the graph: MATCH, UNWIND, a projection or a procedure call.
/// Runs one reading step. `cap` is how many rows the caller needs at most (`EXISTS { }`
/// needs one): a MATCH stops once it has found that many.
fn run_read_step(
    step: &Step,
    in_names: &[String],
    rows: Vec<Row>,
    graph: &Graph,
    ctx: &Ctx<'_>,
    cap: Option<usize>,
) -> Result<Vec<Row>> {
    let max = ctx.limits.max_rows;
    match &step.op {
        Op::Match {
            optional,
            parts,
            starts,
            filter,
        } => {
            let g: &Graph = graph;
            let mut out = Vec::new();
            for row in rows {
                ctx.check_cancel()?;
                if cap.is_some_and(|c| out.len() >= c) {
                    break;
                }
                let mut m = Matcher::new(
                    g,
                    ctx,
                    parts,
                    starts,
                    &step.out,
                    &row,
                    filter.as_ref(),
                    None,
                );
                if let Some(c) = cap {
                    m = m.stop_after(c - out.len());
                }
                m.run()?;
                if m.results.is_empty() && *optional {
                    let mut r = row;
                    r.resize(step.out.len(), Val::Null);
                    out.push(r);
                } else {
                    let mut tally = ctx.held.tally(step.span);
                    for r in &m.results {
                        tally.add(row_bytes(r))?;
                    }
                    tally.finish()?;
                    out.append(&mut m.results);
                }
                if out.len() > max {
                    return Err(too_many_rows(max, step.span));
                }
            }
            Ok(out)
        }
        Op::Unwind { expr } => {
            let g: &Graph = graph;
            let mut out = Vec::new();
            for row in rows {
                let v = eval(expr, &Env::new(in_names, &row), g, ctx)?;
                let items = match v {
                    Val::Null => Vec::new(),
                    Val::List(items) => items.into_vec(),
                    other => vec![other],
                };
                // The list is held while its rows are made.
                let list = super::budget::list_bytes(items.capacity());
                ctx.held.charge(list, step.span)?;
                let mut tally = ctx.held.tally(step.span);
                for item in items {
                    // Exactly as long as it needs: a clone pushed onto would take four slots.
                    let mut r = Vec::with_capacity(row.len() + 1);
                    r.extend_from_slice(&row);
                    r.push(item);
                    tally.add(row_bytes(&r))?;
                    out.push(r);
                    if out.len() > max {
                        return Err(too_many_rows(max, step.span));
                    }
                }
                tally.finish()?;
                ctx.held.release(list);
            }
            Ok(out)
        }
        Op::Project(p) => project(p, in_names, &step.out, rows, graph, ctx),
        Op::Call(c) => super::functions::run_call(c, in_names, &step.out, rows, graph, ctx),
        _ => Err(runtime(
            ErrorKind::SyntaxError,
            "InvalidClauseComposition",
            step.span,
            "a subquery inside an expression cannot change the graph",
        )),
    }
}

/// Runs the plan of a `CALL { }` for one row, writes included, from the imported values in
/// `start`; the rows its parts return (empty for a unit subquery).
fn run_call_subquery(
    plan: &Plan,
    start_names: &[String],
    start: Row,
    graph: &mut Graph,
    ctx: &Ctx<'_>,
    stats: &mut UpdateStats,
) -> Result<Vec<Row>> {
    let mark = ctx.held.used();
    let mut all_rows = Vec::new();
    for part in &plan.parts {
        let mut rows = vec![start.clone()];
        let mut names: Vec<String> = start_names.to_vec();
        let mut returned = false;
        for step in &part.steps {
            rows = run_step(step, &names, rows, graph, ctx, stats)?;
            names.clone_from(&step.out);
            returned = matches!(&step.op, Op::Project(p) if p.is_return);
        }
        if returned {
            all_rows.extend(rows);
        }
    }
    if plan.union_all.first().is_some_and(|all| !all) {
        let mut seen = BTreeSet::new();
        all_rows.retain(|r| seen.insert(GroupKey(r.clone())));
    }
    // What the subquery held is gone; the rows it returns are the caller's to charge.
    ctx.held.release_to(mark);
    Ok(all_rows)
}

/// Runs a subquery's plan for one row of the enclosing query (`names` and `row` are the
/// variables it imports), reading the graph only; the rows it ends with, whether or not it
/// returns them, since `EXISTS { MATCH ... }` has no RETURN. With `need`, the caller reads
/// only whether there are that many rows (`EXISTS` needs one), so a MATCH that ends a part
/// stops once it has found them.
pub fn run_subquery(
    plan: &Plan,
    names: &[String],
    row: Row,
    graph: &Graph,
    ctx: &Ctx<'_>,
    need: Option<usize>,
) -> Result<Vec<Row>> {
    let mark = ctx.held.used();
    let mut all_rows = Vec::new();
    for part in &plan.parts {
        if need.is_some_and(|n| all_rows.len() >= n) {
            break;
        }
        let mut rows = vec![row.clone()];
        let mut in_names: Vec<String> = names.to_vec();
        for (i, step) in part.steps.iter().enumerate() {
            ctx.check_cancel()?;
            let last = i + 1 == part.steps.len();
            let cap = need.filter(|_| last);
            rows = run_read_step(step, &in_names, rows, graph, ctx, cap)?;
            in_names.clone_from(&step.out);
            if rows.is_empty() {
                break;
            }
        }
        all_rows.extend(rows);
    }
    if plan.union_all.first().is_some_and(|all| !all) {
        let mut seen = BTreeSet::new();
        all_rows.retain(|r| seen.insert(GroupKey(r.clone())));
    }
    // What the subquery held is gone; the rows it returns are the caller's to charge.
    ctx.held.release_to(mark);
    Ok(all_rows)
}

fn merge_props_not_null(
    part: &PatternPart,
    names: &[String],
    row: &Row,
    g: &Graph,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let props = part
        .nodes
        .iter()
        .filter_map(|n| n.props.as_ref())
        .chain(part.rels.iter().filter_map(|r| r.props.as_ref()));
    for p in props {
        if let ExprKind::Map(entries) = &p.kind {
            for (key, e) in entries {
                if eval(e, &Env::new(names, row), g, ctx)?.is_null() {
                    return Err(runtime(
                        ErrorKind::SemanticError,
                        "MergeReadOwnWrites",
                        e.span,
                        format!("MERGE cannot use a null value for the property `{key}`"),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn collect_deletes(
    v: &Val,
    nodes: &mut BTreeSet<NodeId>,
    rels: &mut BTreeSet<crate::graph::EdgeId>,
    span: Span,
) -> Result<()> {
    match v {
        Val::Null => {}
        Val::Node(id) => {
            nodes.insert(*id);
        }
        Val::Rel(id) => {
            rels.insert(*id);
        }
        Val::Path(p) => {
            nodes.extend(&p.nodes);
            rels.extend(&p.rels);
        }
        Val::List(items) => {
            for item in items {
                collect_deletes(item, nodes, rels, span)?;
            }
        }
        other => {
            return Err(runtime(
                ErrorKind::TypeError,
                "InvalidArgumentType",
                span,
                format!(
                    "DELETE takes nodes, relationships or paths, not {}",
                    other.type_name()
                ),
            ));
        }
    }
    Ok(())
}

/// A map value as storable properties; graph elements cannot be stored.
fn to_properties(v: Val, span: Span) -> Result<Properties> {
    let Val::Map(m) = v else {
        if v.is_null() {
            return Ok(Properties::new());
        }
        return Err(runtime(
            ErrorKind::TypeError,
            "InvalidPropertyType",
            span,
            format!("properties must be a map, not {}", v.type_name()),
        ));
    };
    let mut props = Properties::new();
    for (k, x) in m {
        props.insert(k, storable(&x, span)?);
    }
    Ok(props)
}

fn storable(v: &Val, span: Span) -> Result<Value> {
    let value = v.to_value().map_err(|t| {
        runtime(
            ErrorKind::TypeError,
            "InvalidPropertyType",
            span,
            format!("a {t} cannot be stored as a property"),
        )
    })?;
    match &value {
        Value::Map(_) => Err(runtime(
            ErrorKind::TypeError,
            "InvalidPropertyType",
            span,
            "a map cannot be stored as a property; store its entries instead",
        )),
        Value::List(items)
            if items
                .iter()
                .any(|i| matches!(i, Value::List(_) | Value::Map(_))) =>
        {
            Err(runtime(
                ErrorKind::TypeError,
                "InvalidPropertyType",
                span,
                "a property list may only hold simple values",
            ))
        }
        _ => Ok(value),
    }
}

#[allow(clippy::too_many_arguments)]
fn create_part(
    part: &PatternPart,
    names: &[String],
    row: &mut Row,
    bound: &mut [bool],
    graph: &mut Graph,
    ctx: &Ctx<'_>,
    stats: &mut UpdateStats,
) -> Result<()> {
    let slot = |name: &str| names.iter().position(|n| n == name);
    let mut ids = Vec::with_capacity(part.nodes.len());
    for np in &part.nodes {
        let s = np.var.as_ref().and_then(|v| slot(&v.name));
        if let Some(s) = s
            && bound[s]
        {
            match &row[s] {
                Val::Node(id) => {
                    ids.push(*id);
                    continue;
                }
                other => {
                    return Err(runtime(
                        ErrorKind::SemanticError,
                        "CreateOnNull",
                        np.span,
                        format!("cannot create a pattern on {}", other.type_name()),
                    ));
                }
            }
        }
        let props = match &np.props {
            Some(p) => to_properties(eval(p, &Env::new(names, row), graph, ctx)?, p.span)?,
            None => Properties::new(),
        };
        let n_props = props.values().filter(|v| !v.is_null()).count();
        let id = graph.add_node(np.labels.iter().map(String::as_str), props);
        ctx.undo.record(Change::NodeCreated(id));
        stats.nodes_created += 1;
        stats.properties_set += n_props;
        let mut labels: Vec<&String> = np.labels.iter().collect();
        labels.dedup();
        stats.labels_added += labels.len();
        if let Some(s) = s {
            row[s] = Val::Node(id);
            bound[s] = true;
        }
        ids.push(id);
    }
    let mut path = PathRef {
        nodes: ids.first().copied().into_iter().collect(),
        rels: Vec::new(),
    };
    for (i, rp) in part.rels.iter().enumerate() {
        let (a, b) = (ids[i], ids[i + 1]);
        let (src, dst) = if rp.direction == Direction::Left {
            (b, a)
        } else {
            (a, b)
        };
        let props = match &rp.props {
            Some(p) => to_properties(eval(p, &Env::new(names, row), graph, ctx)?, p.span)?,
            None => Properties::new(),
        };
        let n_props = props.values().filter(|v| !v.is_null()).count();
        let rel_type = rp.types.first().map_or("", String::as_str);
        let id = graph
            .add_edge(src, rel_type, dst, props)
            .map_err(|e| runtime(ErrorKind::EntityNotFound, "", rp.span, e.to_string()))?;
        ctx.undo.record(Change::EdgeCreated(id));
        stats.relationships_created += 1;
        stats.properties_set += n_props;
        if let Some(s) = rp.var.as_ref().and_then(|v| slot(&v.name)) {
            row[s] = Val::Rel(id);
            bound[s] = true;
        }
        path.rels.push(id);
        path.nodes.push(b);
    }
    if let Some(s) = part.var.as_ref().and_then(|v| slot(&v.name)) {
        row[s] = Val::Path(path);
        bound[s] = true;
    }
    Ok(())
}

fn set_item(
    item: &SetItem,
    names: &[String],
    row: &Row,
    graph: &mut Graph,
    ctx: &Ctx<'_>,
    stats: &mut UpdateStats,
) -> Result<()> {
    let env = Env::new(names, row);
    match item {
        SetItem::Property { target, value } => {
            let ExprKind::Property(base, key) = &target.kind else {
                return Ok(());
            };
            let b = eval(base, &env, graph, ctx)?;
            let v = eval(value, &env, graph, ctx)?;
            let v = storable(&v, value.span)?;
            set_prop(&b, key, v, graph, ctx, target.span, stats)
        }
        SetItem::Replace { var, value } | SetItem::Merge { var, value } => {
            let b = env.get(&var.name).cloned().unwrap_or(Val::Null);
            let v = eval(value, &env, graph, ctx)?;
            let map = match v {
                Val::Node(id) => graph.node(id).map(|n| n.props.clone()).unwrap_or_default(),
                Val::Rel(id) => graph.edge(id).map(|r| r.props.clone()).unwrap_or_default(),
                other => to_properties(other, value.span)?,
            };
            let replace = matches!(item, SetItem::Replace { .. });
            if replace {
                let old: Vec<String> = match &b {
                    Val::Node(id) => graph
                        .node(*id)
                        .map(|n| n.props.keys().map(str::to_string).collect()),
                    Val::Rel(id) => graph
                        .edge(*id)
                        .map(|r| r.props.keys().map(str::to_string).collect()),
                    _ => None,
                }
                .unwrap_or_default();
                for k in old {
                    if !map.contains_key(&k) {
                        set_prop(&b, &k, Value::Null, graph, ctx, var.span, stats)?;
                    }
                }
            }
            for (k, v) in map {
                set_prop(&b, &k, v, graph, ctx, var.span, stats)?;
            }
            Ok(())
        }
        SetItem::Labels { var, labels } => {
            match env.get(&var.name) {
                Some(Val::Node(id)) => {
                    for l in labels {
                        if graph.add_label(*id, l).unwrap_or(false) {
                            ctx.undo.record(Change::LabelAdded {
                                id: *id,
                                label: l.clone(),
                            });
                            stats.labels_added += 1;
                        }
                    }
                }
                Some(Val::Null) | None => {}
                Some(other) => {
                    return Err(runtime(
                        ErrorKind::TypeError,
                        "InvalidArgumentType",
                        var.span,
                        format!(
                            "labels can only be set on a node, not {}",
                            other.type_name()
                        ),
                    ));
                }
            }
            Ok(())
        }
    }
}

fn set_prop(
    target: &Val,
    key: &str,
    v: Value,
    graph: &mut Graph,
    ctx: &Ctx<'_>,
    span: Span,
    stats: &mut UpdateStats,
) -> Result<()> {
    let r = match target {
        Val::Null => return Ok(()),
        Val::Node(id) => graph
            .set_node_property(*id, key, v)
            .map(|old| Change::NodeProperty {
                id: *id,
                key: key.to_string(),
                old,
            }),
        Val::Rel(id) => graph
            .set_edge_property(*id, key, v)
            .map(|old| Change::EdgeProperty {
                id: *id,
                key: key.to_string(),
                old,
            }),
        other => {
            return Err(runtime(
                ErrorKind::TypeError,
                "InvalidArgumentType",
                span,
                format!(
                    "properties can only be set on nodes and relationships, not {}",
                    other.type_name()
                ),
            ));
        }
    };
    let change = r.map_err(|e| {
        runtime(
            ErrorKind::EntityNotFound,
            "DeletedEntityAccess",
            span,
            e.to_string(),
        )
    })?;
    ctx.undo.record(change);
    stats.properties_set += 1;
    Ok(())
}

fn remove_item(
    item: &RemoveItem,
    names: &[String],
    row: &Row,
    graph: &mut Graph,
    ctx: &Ctx<'_>,
    stats: &mut UpdateStats,
) -> Result<()> {
    let env = Env::new(names, row);
    match item {
        RemoveItem::Property(e) => {
            let ExprKind::Property(base, key) = &e.kind else {
                return Ok(());
            };
            let b = eval(base, &env, graph, ctx)?;
            let had = match &b {
                Val::Node(id) => graph.node(*id).is_some_and(|n| n.props.contains_key(key)),
                Val::Rel(id) => graph.edge(*id).is_some_and(|r| r.props.contains_key(key)),
                _ => false,
            };
            if had {
                set_prop(&b, key, Value::Null, graph, ctx, e.span, stats)?;
            }
            Ok(())
        }
        RemoveItem::Labels { var, labels } => {
            if let Some(Val::Node(id)) = env.get(&var.name) {
                for l in labels {
                    let position = graph
                        .node(*id)
                        .and_then(|n| n.labels.iter().position(|x| &**x == l.as_str()));
                    if graph.remove_label(*id, l).unwrap_or(false) {
                        ctx.undo.record(Change::LabelRemoved {
                            id: *id,
                            label: l.clone(),
                            position: position.unwrap_or(usize::MAX),
                        });
                        stats.labels_removed += 1;
                    }
                }
            }
            Ok(())
        }
    }
}

// ------------------------------------------------------------------ projection

enum Acc {
    Count(i64),
    Collect(Vec<Val>),
    Sum {
        int: i64,
        float: f64,
        is_float: bool,
    },
    Avg {
        sum: f64,
        n: u64,
    },
    Extreme(Option<Val>),
    Numbers(Vec<f64>, f64),
}

struct AggState {
    acc: Acc,
    seen: Option<Seen>,
}

/// The values a DISTINCT aggregate has taken. Nodes and relationships, what most distinct
/// counts count, are kept by id (ids are compact: a bit per id); other values in order (a
/// node never equals a value of another kind, so the sets never hold one value twice).
#[derive(Default)]
struct Seen {
    nodes: IdSet,
    rels: IdSet,
    other: BTreeSet<GroupKey>,
}

impl Seen {
    /// Whether `v` is new.
    fn insert(&mut self, v: &Val) -> bool {
        match v {
            Val::Node(id) => self.nodes.insert(id.0),
            Val::Rel(id) => self.rels.insert(id.0),
            _ => self.other.insert(GroupKey(vec![v.clone()])),
        }
    }
}

/// A set of ids: a bitmap grown to the largest id below `IdSet::BITS_UP_TO` (the store
/// numbers nodes and relationships from 0, so that is every id of a graph of fewer than
/// 2^26 of them, in at most 8 MiB), a hash set for larger ones.
#[derive(Default)]
struct IdSet {
    words: Vec<u64>,
    large: HashSet<u64, foldhash::fast::RandomState>,
}

impl IdSet {
    const BITS_UP_TO: u64 = 1 << 26;

    /// Whether `id` is new.
    fn insert(&mut self, id: u64) -> bool {
        if id >= Self::BITS_UP_TO {
            return self.large.insert(id);
        }
        let (w, bit) = ((id / 64) as usize, 1u64 << (id % 64));
        if w >= self.words.len() {
            self.words.resize((w + 1).next_power_of_two(), 0);
        }
        let new = self.words[w] & bit == 0;
        self.words[w] |= bit;
        new
    }
}

impl AggState {
    fn new(agg: &Agg) -> Self {
        let acc = match agg.func {
            AggFunc::Count | AggFunc::CountStar => Acc::Count(0),
            AggFunc::Collect => Acc::Collect(Vec::new()),
            AggFunc::Sum => Acc::Sum {
                int: 0,
                float: 0.0,
                is_float: false,
            },
            AggFunc::Avg => Acc::Avg { sum: 0.0, n: 0 },
            AggFunc::Min | AggFunc::Max => Acc::Extreme(None),
            AggFunc::PercentileCont
            | AggFunc::PercentileDisc
            | AggFunc::StDev
            | AggFunc::StDevP => Acc::Numbers(Vec::new(), 0.0),
        };
        AggState {
            acc,
            seen: agg.distinct.then(Seen::default),
        }
    }

    /// Adds a row; a count adds `weight` (the rows it stands for), other aggregates take
    /// one row at a time.
    fn feed(
        &mut self,
        agg: &Agg,
        env: &Env<'_>,
        weight: u64,
        g: &Graph,
        ctx: &Ctx<'_>,
    ) -> Result<()> {
        let weight = i64::try_from(weight).unwrap_or(i64::MAX);
        if agg.func == AggFunc::CountStar {
            if let Acc::Count(n) = &mut self.acc {
                *n = n.saturating_add(weight);
            }
            return Ok(());
        }
        let Some(arg) = agg.args.first() else {
            return Ok(());
        };
        let v = eval(arg, env, g, ctx)?;
        if v.is_null() {
            return Ok(());
        }
        if let Some(seen) = &mut self.seen {
            if !seen.insert(&v) {
                return Ok(());
            }
            ctx.held
                .charge(row_bytes(std::slice::from_ref(&v)), agg.span)?;
        }
        let not_number = |v: &Val| {
            runtime(
                ErrorKind::TypeError,
                "InvalidArgumentType",
                agg.span,
                format!("this aggregate needs numbers, not {}", v.type_name()),
            )
        };
        match &mut self.acc {
            // A distinct count counts the value once, however many rows carry it.
            Acc::Count(n) if self.seen.is_some() => *n += 1,
            Acc::Count(n) => *n = n.saturating_add(weight),
            Acc::Collect(items) => {
                ctx.held.charge(
                    super::budget::list_bytes(1) + super::budget::held_bytes(&v),
                    agg.span,
                )?;
                items.push(v);
            }
            Acc::Sum {
                int,
                float,
                is_float,
            } => match v {
                Val::Int(i) => {
                    *int = int.checked_add(i).ok_or_else(|| {
                        runtime(
                            ErrorKind::ArgumentError,
                            "IntegerOverflow",
                            agg.span,
                            "sum overflowed",
                        )
                    })?;
                    *float += i as f64;
                }
                Val::Float(f) => {
                    *is_float = true;
                    *float += f;
                }
                other => return Err(not_number(&other)),
            },
            Acc::Avg { sum, n } => match v {
                Val::Int(i) => {
                    *sum += i as f64;
                    *n += 1;
                }
                Val::Float(f) => {
                    *sum += f;
                    *n += 1;
                }
                other => return Err(not_number(&other)),
            },
            Acc::Extreme(best) => {
                let better = match best {
                    None => true,
                    Some(b) => {
                        let o = order_cmp(&v, b);
                        if agg.func == AggFunc::Min {
                            o == std::cmp::Ordering::Less
                        } else {
                            o == std::cmp::Ordering::Greater
                        }
                    }
                };
                if better {
                    *best = Some(v);
                }
            }
            Acc::Numbers(xs, p) => {
                ctx.held.charge(std::mem::size_of::<f64>(), agg.span)?;
                match v {
                    Val::Int(i) => xs.push(i as f64),
                    Val::Float(f) => xs.push(f),
                    other => return Err(not_number(&other)),
                }
                if let Some(pe) = agg.args.get(1) {
                    match eval(pe, env, g, ctx)? {
                        Val::Int(i) => *p = i as f64,
                        Val::Float(f) => *p = f,
                        other => return Err(not_number(&other)),
                    }
                    if !(0.0..=1.0).contains(p) {
                        return Err(runtime(
                            ErrorKind::ArgumentError,
                            "NumberOutOfRange",
                            pe.span,
                            "a percentile must be between 0.0 and 1.0",
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(self, func: AggFunc) -> Val {
        match self.acc {
            Acc::Count(n) => Val::Int(n),
            Acc::Collect(items) => Val::List(items.into()),
            Acc::Sum {
                int,
                float,
                is_float,
            } => {
                if is_float {
                    Val::Float(float)
                } else {
                    Val::Int(int)
                }
            }
            Acc::Avg { sum, n } => {
                if n == 0 {
                    Val::Null
                } else {
                    Val::Float(sum / n as f64)
                }
            }
            Acc::Extreme(v) => v.unwrap_or(Val::Null),
            Acc::Numbers(mut xs, p) => {
                if xs.is_empty() {
                    return match func {
                        AggFunc::StDev | AggFunc::StDevP => Val::Float(0.0),
                        _ => Val::Null,
                    };
                }
                xs.sort_by(|a, b| a.total_cmp(b));
                let n = xs.len();
                match func {
                    AggFunc::PercentileDisc => {
                        let idx = ((p * n as f64).ceil() as usize)
                            .saturating_sub(1)
                            .min(n - 1);
                        Val::Float(xs[idx])
                    }
                    AggFunc::PercentileCont => {
                        let pos = p * (n - 1) as f64;
                        let lo = pos.floor() as usize;
                        let hi = pos.ceil() as usize;
                        let frac = pos - lo as f64;
                        Val::Float(xs[lo] + (xs[hi.min(n - 1)] - xs[lo]) * frac)
                    }
                    _ => {
                        let mean = xs.iter().sum::<f64>() / n as f64;
                        let ss: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
                        let denom = if func == AggFunc::StDev {
                            if n < 2 {
                                return Val::Float(0.0);
                            }
                            (n - 1) as f64
                        } else {
                            n as f64
                        };
                        Val::Float((ss / denom).sqrt())
                    }
                }
            }
        }
    }
}

fn contains_agg_ref(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::AggRef(_)) || e.children().into_iter().any(contains_agg_ref)
}

/// A non-negative integer for SKIP or LIMIT.
fn count_arg(e: &Expr, g: &Graph, ctx: &Ctx<'_>, what: &str) -> Result<usize> {
    let v = eval(e, &Env::new(&[], &[]), g, ctx)?;
    match v {
        Val::Int(i) if i >= 0 => Ok(i as usize),
        Val::Int(_) => Err(QueryError::new(
            ErrorKind::SyntaxError,
            super::error::Phase::Runtime,
            "NegativeIntegerArgument",
            format!("{what} needs a number that is not negative"),
        )
        .with_span(e.span)),
        other => Err(QueryError::new(
            ErrorKind::SyntaxError,
            super::error::Phase::Runtime,
            "InvalidArgumentType",
            format!("{what} needs an integer, not {}", other.type_name()),
        )
        .with_span(e.span)),
    }
}

/// Groups rows and feeds their aggregates as they arrive, so that a MATCH followed by an
/// aggregation never holds all its rows.
struct Grouper<'p> {
    p: &'p ProjPlan,
    /// Whether there are grouping keys (without, every row falls in one group).
    grouping: bool,
    key_items: Vec<bool>,
    index: BTreeMap<GroupKey, usize>,
    /// The groups whose keys are plain (`plain_hash`), by that hash; the other groups are in
    /// `index`. A plain key never equals one that is not, so a key is looked up in one only.
    hashed: HashMap<u64, SmallVec<[usize; 1]>, foldhash::fast::RandomState>,
    hasher: foldhash::fast::RandomState,
    groups: Vec<(Row, Row, Vec<AggState>)>,
    fed: usize,
    /// Groups by element ids while the rows allow it (see `IdGroups`).
    by_ids: Option<IdGroups>,
}

/// Hash aggregation keyed on element ids. When every grouping key is a variable or a
/// property of one and every aggregate is a non-distinct count, rows are grouped by the
/// ids those variables hold, with no key evaluated and nothing allocated per row; the keys
/// are read once per group at the end, as codes from the store's property columns where
/// they are plain values, and groups whose keys are equal (two nodes of one name) merge,
/// exactly as grouping by value does. A row whose variable holds
/// something else than a node, a relationship or null hands the groups over to the general
/// grouping.
struct IdGroups {
    slots: Vec<usize>,
    /// The grouping keys in output order: the kept slots, then the key items.
    keys: Vec<KeySource>,
    counts: Vec<CountArg>,
    index: HashMap<SmallVec<[IdKey; 2]>, usize, foldhash::fast::RandomState>,
    /// The groups' first rows, one after the other, `width` values each.
    reps: Vec<Val>,
    width: usize,
    /// The groups' counts, one after the other, `counts.len()` each.
    totals: Vec<i64>,
    key: SmallVec<[IdKey; 2]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum IdKey {
    Null,
    Node(u64),
    Rel(u64),
}

/// Where a grouping key of `IdGroups` comes from: the element a row slot holds, or a
/// property of it.
enum KeySource {
    Slot(usize),
    Property(usize, String),
}

/// A grouping key of `IdGroups::finish_plain` as a code: two keys are equal exactly when
/// their codes are. Null is `(0, 0)`, a node `(1, id)`, a relationship `(2, id)`, a
/// property value `(3, its code in the key's column)`.
type KeyCode = (u8, u64);

/// The property columns `finish_plain` reads its keys from, one per key (built by the
/// store on first use, shared with the WHERE that filters on the key).
struct KeyColumns(Vec<Option<(Owner, Arc<Column>)>>);

impl KeyColumns {
    /// The code of key `k` (from `source`) in the row `rep`; `None` when the key is not a
    /// plain value (a float, a list, a map or a temporal value: equal ones do not share a
    /// code), has no column, or belongs to an element that was deleted.
    fn code(&mut self, k: usize, source: &KeySource, rep: &[Val], g: &Graph) -> Option<KeyCode> {
        let (slot, prop) = match source {
            KeySource::Slot(s) => (*s, None),
            KeySource::Property(s, prop) => (*s, Some(prop)),
        };
        let (owner, id) = match (&rep[slot], prop) {
            (Val::Null, _) => return Some((0, 0)),
            (Val::Node(id), None) => return Some((1, id.0)),
            (Val::Rel(id), None) => return Some((2, id.0)),
            (Val::Node(id), Some(_)) => (Owner::Node, id.0),
            (Val::Rel(id), Some(_)) => (Owner::Edge, id.0),
            _ => return None,
        };
        if self.0[k].is_none() {
            self.0[k] = Some((owner, g.column(owner, prop?)?));
        }
        let (built_for, column) = self.0[k].as_ref()?;
        if *built_for != owner {
            return None;
        }
        let code = column.code(id);
        if code == MISSING {
            // No value, or no element: the general grouping reports a deleted one.
            let exists = match owner {
                Owner::Node => g.node(NodeId(id)).is_some(),
                Owner::Edge => g.edge(crate::graph::EdgeId(id)).is_some(),
            };
            return exists.then_some((0, 0));
        }
        match column.value(code) {
            Value::Null => Some((0, 0)),
            Value::Bool(_) | Value::Int(_) | Value::String(_) => Some((3, u64::from(code))),
            _ => None,
        }
    }

    /// The ORDER BY order of two values of key `k`, as `order_cmp` gives for their values;
    /// two strings are compared where the column holds them, with nothing copied.
    fn cmp(&self, k: usize, a: KeyCode, b: KeyCode) -> std::cmp::Ordering {
        if a == b {
            return std::cmp::Ordering::Equal;
        }
        if let ((3, x), (3, y)) = (a, b)
            && let Some((_, column)) = &self.0[k]
            && let (Value::String(x), Value::String(y)) =
                (column.value(x as u32), column.value(y as u32))
        {
            return x.as_str().cmp(y.as_str());
        }
        order_cmp(&self.value(k, a), &self.value(k, b))
    }

    /// The value `eval` gives for key `k` of code `code`.
    fn value(&self, k: usize, code: KeyCode) -> Val {
        match code {
            (1, id) => Val::Node(NodeId(id)),
            (2, id) => Val::Rel(crate::graph::EdgeId(id)),
            (3, c) => match &self.0[k] {
                Some((_, column)) => Val::from_value(column.value(c as u32)),
                None => Val::Null,
            },
            _ => Val::Null,
        }
    }
}

/// What a count counts: rows, rows where a slot is not null, or rows where an expression
/// is not null.
enum CountArg {
    Star,
    Slot(usize),
    Expr(usize),
}

impl IdGroups {
    fn new(p: &ProjPlan, key_items: &[bool], in_names: &[String]) -> Option<Self> {
        let slot_of = |e: &Expr| match &e.kind {
            ExprKind::Var(name) => in_names.iter().rposition(|n| n == name),
            _ => None,
        };
        let mut slots: Vec<usize> = p.keep.clone();
        let mut keys: Vec<KeySource> = p.keep.iter().map(|&s| KeySource::Slot(s)).collect();
        for ((_, e), is_key) in p.items.iter().zip(key_items) {
            if !is_key {
                continue;
            }
            let source = match &e.kind {
                ExprKind::Property(base, prop) => KeySource::Property(slot_of(base)?, prop.clone()),
                _ => KeySource::Slot(slot_of(e)?),
            };
            let (KeySource::Slot(s) | KeySource::Property(s, _)) = source;
            if !slots.contains(&s) {
                slots.push(s);
            }
            keys.push(source);
        }
        let counts = p
            .aggs
            .iter()
            .enumerate()
            .map(|(i, a)| match (a.func, a.distinct, a.args.first()) {
                (AggFunc::CountStar, _, _) => Some(CountArg::Star),
                (AggFunc::Count, false, Some(e)) => {
                    Some(slot_of(e).map_or(CountArg::Expr(i), CountArg::Slot))
                }
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(IdGroups {
            slots,
            keys,
            counts,
            index: HashMap::default(),
            reps: Vec::new(),
            width: 0,
            totals: Vec::new(),
            key: SmallVec::new(),
        })
    }

    fn len(&self) -> usize {
        self.index.len()
    }

    /// The first row of group `gi`.
    fn rep(&self, gi: usize) -> &[Val] {
        &self.reps[gi * self.width..(gi + 1) * self.width]
    }

    /// The counts of group `gi`.
    fn totals(&self, gi: usize) -> &[i64] {
        let n = self.counts.len();
        &self.totals[gi * n..(gi + 1) * n]
    }

    /// Adds a row standing for `weight` rows; false when a grouping variable holds a value
    /// that is not an element id (nothing is added then).
    fn feed(
        &mut self,
        p: &ProjPlan,
        in_names: &[String],
        row: &[Val],
        weight: u64,
        g: &Graph,
        ctx: &Ctx<'_>,
    ) -> Result<bool> {
        self.key.clear();
        for &s in &self.slots {
            self.key.push(match &row[s] {
                Val::Null => IdKey::Null,
                Val::Node(id) => IdKey::Node(id.0),
                Val::Rel(id) => IdKey::Rel(id.0),
                _ => return Ok(false),
            });
        }
        // One probe finds the group or the place for a new one.
        let next = self.index.len();
        let gi = match self.index.entry(self.key.clone()) {
            Entry::Occupied(found) => *found.get(),
            Entry::Vacant(place) => {
                let gi = next;
                if gi >= ctx.limits.max_rows {
                    return Err(too_many_rows(
                        ctx.limits.max_rows,
                        Span { start: 0, end: 0 },
                    ));
                }
                ctx.held.charge(
                    row_bytes(row) + std::mem::size_of_val(self.key.as_slice()) * 2,
                    Span { start: 0, end: 0 },
                )?;
                // Every row of a step has the step's width.
                self.width = row.len();
                self.reps.extend_from_slice(row);
                self.totals
                    .extend(std::iter::repeat_n(0, self.counts.len()));
                place.insert(gi);
                gi
            }
        };
        let add = i64::try_from(weight).unwrap_or(i64::MAX);
        let base = gi * self.counts.len();
        for (i, c) in self.counts.iter().enumerate() {
            let counted = match c {
                CountArg::Star => true,
                CountArg::Slot(s) => !row[*s].is_null(),
                CountArg::Expr(a) => {
                    let arg = &p.aggs[*a].args[0];
                    !eval(arg, &Env::new(in_names, row), g, ctx)?.is_null()
                }
            };
            if counted {
                let n = &mut self.totals[base + i];
                *n = n.saturating_add(add);
            }
        }
        Ok(true)
    }

    /// The output rows, when every group's keys are plain values: each group's keys are
    /// read as codes from the property columns, groups of equal codes merge (in the order of
    /// their first rows) and only the merged groups' keys are copied out. `None` when a key
    /// is not plain or has no column (the caller then groups by evaluated keys).
    #[allow(clippy::too_many_arguments)]
    fn finish_plain(
        &self,
        p: &ProjPlan,
        key_items: &[bool],
        in_names: &[String],
        out_names: &[String],
        g: &Graph,
        ctx: &Ctx<'_>,
    ) -> Result<Option<Produced>> {
        let n_counts = self.counts.len();
        let n_keys = self.keys.len();
        let mut columns = KeyColumns(self.keys.iter().map(|_| None).collect());
        let mut index: HashMap<SmallVec<[KeyCode; 2]>, usize, foldhash::fast::RandomState> =
            HashMap::with_capacity_and_hasher(self.len(), Default::default());
        // Per merged group: its first group and its counts.
        let mut firsts: Vec<usize> = Vec::new();
        let mut totals: Vec<i64> = Vec::new();
        // Per merged group, its keys (`self.keys.len()` each).
        let mut merged_keys: Vec<KeyCode> = Vec::new();
        let mut key: SmallVec<[KeyCode; 2]> = SmallVec::new();
        for gi in 0..self.len() {
            if gi % 4096 == 4095 {
                ctx.check_cancel()?;
            }
            key.clear();
            for (k, source) in self.keys.iter().enumerate() {
                match columns.code(k, source, self.rep(gi), g) {
                    Some(code) => key.push(code),
                    None => return Ok(None),
                }
            }
            let m = *index.entry(key.clone()).or_insert_with(|| {
                firsts.push(gi);
                merged_keys.extend_from_slice(&key);
                totals.extend(std::iter::repeat_n(0, n_counts));
                firsts.len() - 1
            });
            for (t, n) in totals[m * n_counts..].iter_mut().zip(self.totals(gi)) {
                *t = t.saturating_add(*n);
            }
        }
        drop(index);
        let order_cols = order_columns(p, out_names);
        let merged = Merged {
            len: firsts.len(),
            keys: &merged_keys,
            n_keys,
            totals: &totals,
            n_counts,
        };
        let picked = match top_groups(p, key_items, &order_cols, &merged, &columns, g, ctx)? {
            Some(picked) => picked,
            None => (0..firsts.len()).collect(),
        };
        let mut tally = ctx.held.tally(Span { start: 0, end: 0 });
        let mut produced = Vec::with_capacity(picked.len());
        let mut aggs: Vec<Val> = Vec::with_capacity(n_counts);
        for m in picked {
            let rep = self.rep(firsts[m]);
            aggs.clear();
            aggs.extend(
                totals[m * n_counts..(m + 1) * n_counts]
                    .iter()
                    .map(|&n| Val::Int(n)),
            );
            let inner = Env {
                names: in_names,
                vals: rep,
                parent: None,
                aggs: &aggs,
            };
            let mut keys = merged_keys[m * n_keys..(m + 1) * n_keys].iter().enumerate();
            let mut next_key = || keys.next().map_or(Val::Null, |(k, &c)| columns.value(k, c));
            let mut out: Row = Vec::with_capacity(out_names.len());
            for _ in &p.keep {
                out.push(next_key());
            }
            for ((_, e), is_key) in p.items.iter().zip(key_items) {
                if *is_key {
                    out.push(next_key());
                } else {
                    out.push(eval(e, &inner, g, ctx)?);
                }
            }
            let sort = sort_keys(p, &order_cols, out_names, &out, &inner, g, ctx)?;
            tally.add(row_bytes(&out) + row_bytes(&sort))?;
            produced.push((out, sort, None));
        }
        tally.finish()?;
        Ok(Some(produced))
    }
}

/// The merged groups of `IdGroups::finish_plain`: their key codes (`n_keys` each) and
/// counts (`n_counts` each), in the order of their first rows.
struct Merged<'a> {
    len: usize,
    keys: &'a [KeyCode],
    n_keys: usize,
    totals: &'a [i64],
    n_counts: usize,
}

/// What an ORDER BY key of grouped rows reads: a grouping key or a count.
#[derive(Clone, Copy)]
enum SortBy {
    Key(usize),
    Count(usize),
}

/// What `top_groups` compares the groups by: each ORDER BY key as a grouping key or a
/// count, with its descending flag. `None` when the projection has no ORDER BY with a LIMIT,
/// is DISTINCT, or orders by anything else than an output column that is a grouping key or
/// a count.
fn top_sort(
    p: &ProjPlan,
    key_items: &[bool],
    order_cols: &[Option<usize>],
) -> Option<Vec<(SortBy, bool)>> {
    if p.limit.is_none() || p.order.is_empty() || p.distinct {
        return None;
    }
    // Output columns: the kept slots (keys), then the items (keys in turn, or aggregates).
    let mut by: Vec<(SortBy, bool)> = Vec::with_capacity(p.order.len());
    for (col, (_, desc)) in order_cols.iter().zip(&p.order) {
        let c = (*col)?;
        let source = match c.checked_sub(p.keep.len()) {
            None => SortBy::Key(c),
            Some(j) if key_items.get(j) == Some(&true) => {
                SortBy::Key(p.keep.len() + key_items[..j].iter().filter(|k| **k).count())
            }
            Some(j) => match p.items.get(j).map(|(_, e)| &e.kind) {
                Some(ExprKind::AggRef(i)) if *i < p.aggs.len() => SortBy::Count(*i),
                _ => return None,
            },
        };
        by.push((source, *desc));
    }
    Some(by)
}

/// The merged groups (indices into `merged`) that ORDER BY ... LIMIT keeps, in order, when
/// every ORDER BY key is an output column that is a grouping key or a count: a top-k
/// selection compares the groups by their codes and counts, so that only the groups kept
/// have their keys copied out and their rows made. Ties keep the order of the groups' first
/// rows, as the stable sort of `sort_rows` does. `None` when the projection has no such
/// ORDER BY and LIMIT, or keeps every group.
fn top_groups(
    p: &ProjPlan,
    key_items: &[bool],
    order_cols: &[Option<usize>],
    merged: &Merged<'_>,
    columns: &KeyColumns,
    g: &Graph,
    ctx: &Ctx<'_>,
) -> Result<Option<Vec<usize>>> {
    let (Some(limit), Some(by)) = (&p.limit, top_sort(p, key_items, order_cols)) else {
        return Ok(None);
    };
    let skip = match &p.skip {
        Some(e) => count_arg(e, g, ctx, "SKIP")?,
        None => 0,
    };
    let keep = skip.saturating_add(count_arg(limit, g, ctx, "LIMIT")?);
    let n = merged.len;
    if keep >= n {
        return Ok(None);
    }
    let cmp = |&a: &usize, &b: &usize| {
        for &(source, desc) in &by {
            let o = match source {
                SortBy::Count(i) => merged.totals[a * merged.n_counts + i]
                    .cmp(&merged.totals[b * merged.n_counts + i]),
                SortBy::Key(k) => columns.cmp(
                    k,
                    merged.keys[a * merged.n_keys + k],
                    merged.keys[b * merged.n_keys + k],
                ),
            };
            let o = if desc { o.reverse() } else { o };
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        a.cmp(&b)
    };
    let mut order: Vec<usize> = (0..n).collect();
    if keep > 0 {
        order.select_nth_unstable_by(keep - 1, cmp);
    }
    order.truncate(keep);
    order.sort_unstable_by(cmp);
    Ok(Some(order))
}

impl<'p> Grouper<'p> {
    fn new(p: &'p ProjPlan, in_names: &[String]) -> Self {
        let key_items: Vec<bool> = p.items.iter().map(|(_, e)| !contains_agg_ref(e)).collect();
        // The reference (in tests) groups by evaluated keys only.
        let by_ids = IdGroups::new(p, &key_items, in_names).filter(|_| !reference_only());
        Grouper {
            p,
            grouping: !p.keep.is_empty() || key_items.contains(&true),
            key_items,
            index: BTreeMap::new(),
            hashed: HashMap::default(),
            hasher: foldhash::fast::RandomState::default(),
            groups: Vec::new(),
            fed: 0,
            by_ids,
        }
    }

    /// Adds a row that stands for `weight` equal rows.
    fn feed(
        &mut self,
        in_names: &[String],
        row: &[Val],
        weight: u64,
        g: &Graph,
        ctx: &Ctx<'_>,
    ) -> Result<()> {
        self.fed += 1;
        if self.fed.is_multiple_of(4096) {
            ctx.check_cancel()?;
        }
        if let Some(ids) = &mut self.by_ids {
            if ids.feed(self.p, in_names, row, weight, g, ctx)? {
                return Ok(());
            }
            self.leave_ids(in_names, g, ctx)?;
        }
        let p = self.p;
        let env = Env::new(in_names, row);
        // Without grouping keys every row falls in the one group the first row makes.
        let gi = if self.groups.len() == 1 && !self.grouping {
            0
        } else {
            self.group_of(&env, row, ctx, g)?
        };
        for (agg, state) in p.aggs.iter().zip(self.groups[gi].2.iter_mut()) {
            if weight == 1 || matches!(agg.func, AggFunc::Count | AggFunc::CountStar) {
                state.feed(agg, &env, weight, g, ctx)?;
            } else {
                for _ in 0..weight {
                    state.feed(agg, &env, 1, g, ctx)?;
                }
            }
        }
        Ok(())
    }

    /// The group of the row in `env` by its evaluated keys, made when new.
    fn group_of(&mut self, env: &Env<'_>, row: &[Val], ctx: &Ctx<'_>, g: &Graph) -> Result<usize> {
        let key = self.key_of(env, row, ctx, g)?;
        self.find_or_make(key, Cow::Borrowed(row), ctx)
    }

    /// The evaluated grouping key of the row in `env`.
    fn key_of(&self, env: &Env<'_>, row: &[Val], ctx: &Ctx<'_>, g: &Graph) -> Result<Row> {
        let p = self.p;
        let n_keys = self.key_items.iter().filter(|k| **k).count();
        let mut key: Row = Vec::with_capacity(p.keep.len() + n_keys);
        key.extend(p.keep.iter().map(|&i| row[i].clone()));
        for ((_, e), is_key) in p.items.iter().zip(&self.key_items) {
            if *is_key {
                key.push(eval(e, env, g, ctx)?);
            }
        }
        Ok(key)
    }

    /// The group of `key`, made when new with the representative row `rep`: a borrowed row
    /// is copied and charged, an owned one (charged when it was kept) moves in.
    fn find_or_make(&mut self, key: Row, rep: Cow<'_, [Val]>, ctx: &Ctx<'_>) -> Result<usize> {
        let p = self.p;
        let hash = plain_hash(&self.hasher, &key);
        let gk = GroupKey(key);
        let found = match hash {
            Some(h) => self.hashed.get(&h).and_then(|gis| {
                gis.iter()
                    .copied()
                    .find(|&gi| GroupKey::slices_equal(&self.groups[gi].0, &gk.0))
            }),
            None => self.index.get(&gk).copied(),
        };
        if let Some(i) = found {
            return Ok(i);
        }
        if self.groups.len() >= ctx.limits.max_rows {
            return Err(too_many_rows(
                ctx.limits.max_rows,
                Span { start: 0, end: 0 },
            ));
        }
        ctx.held.charge(
            2 * row_bytes(&gk.0)
                + match &rep {
                    Cow::Borrowed(row) => row_bytes(row),
                    Cow::Owned(_) => 0,
                }
                + p.aggs.len() * std::mem::size_of::<AggState>(),
            Span { start: 0, end: 0 },
        )?;
        let gi = self.groups.len();
        let states = p.aggs.iter().map(AggState::new).collect();
        match hash {
            Some(h) => {
                self.hashed.entry(h).or_default().push(gi);
                self.groups.push((gk.0, rep.into_owned(), states));
            }
            None => {
                self.groups.push((gk.0.clone(), rep.into_owned(), states));
                self.index.insert(gk, gi);
            }
        }
        Ok(gi)
    }

    /// Evaluates the keys of the groups made by id, once per group, and merges them into the
    /// general groups (in the order they were made, which is the order of their first rows).
    fn leave_ids(&mut self, in_names: &[String], g: &Graph, ctx: &Ctx<'_>) -> Result<()> {
        let Some(ids) = self.by_ids.take() else {
            return Ok(());
        };
        for gi in 0..ids.len() {
            // The group's first row was charged when it was kept; its copy moves into the
            // group.
            let rep = ids.rep(gi).to_vec();
            let key = self.key_of(&Env::new(in_names, &rep), &rep, ctx, g)?;
            let merged = self.find_or_make(key, Cow::Owned(rep), ctx)?;
            for (state, &n) in self.groups[merged].2.iter_mut().zip(ids.totals(gi)) {
                if let Acc::Count(c) = &mut state.acc {
                    *c = c.saturating_add(n);
                }
            }
        }
        Ok(())
    }

    fn finish(
        mut self,
        in_names: &[String],
        out_names: &[String],
        g: &Graph,
        ctx: &Ctx<'_>,
    ) -> Result<Produced> {
        let p = self.p;
        if self.grouping
            && let Some(ids) = &self.by_ids
            && let Some(produced) =
                ids.finish_plain(p, &self.key_items, in_names, out_names, g, ctx)?
        {
            return Ok(produced);
        }
        self.leave_ids(in_names, g, ctx)?;
        if self.groups.is_empty() && !self.grouping {
            self.groups.push((
                Vec::new(),
                vec![Val::Null; in_names.len()],
                p.aggs.iter().map(AggState::new).collect(),
            ));
        }
        let order_cols = order_columns(p, out_names);
        let mut produced = Vec::with_capacity(self.groups.len());
        for (key, rep, states) in self.groups {
            let aggs: Vec<Val> = states
                .into_iter()
                .zip(&p.aggs)
                .map(|(s, a)| s.finish(a.func))
                .collect();
            let inner = Env {
                names: in_names,
                vals: &rep,
                parent: None,
                aggs: &aggs,
            };
            let mut keys = key.into_iter();
            let mut out: Row = Vec::with_capacity(out_names.len());
            for _ in &p.keep {
                out.push(keys.next().unwrap_or(Val::Null));
            }
            for ((_, e), is_key) in p.items.iter().zip(&self.key_items) {
                if *is_key {
                    out.push(keys.next().unwrap_or(Val::Null));
                } else {
                    out.push(eval(e, &inner, g, ctx)?);
                }
            }
            let sort = sort_keys(p, &order_cols, out_names, &out, &inner, g, ctx)?;
            produced.push((out, sort, None));
        }
        Ok(produced)
    }
}

/// A hash of a grouping key whose values are all null, booleans, integers, strings, nodes
/// or relationships, the values for which grouping's equality is plain equality; `None` for
/// a key holding any other value (floats, lists, maps, temporal values, paths).
fn plain_hash(state: &foldhash::fast::RandomState, key: &[Val]) -> Option<u64> {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut h = state.build_hasher();
    for v in key {
        match v {
            Val::Null => 0u8.hash(&mut h),
            Val::Bool(b) => (1u8, b).hash(&mut h),
            Val::Int(i) => (2u8, i).hash(&mut h),
            Val::Str(s) => (3u8, s.as_str()).hash(&mut h),
            Val::Node(id) => (4u8, id.0).hash(&mut h),
            Val::Rel(id) => (5u8, id.0).hash(&mut h),
            _ => return None,
        }
    }
    Some(h.finish())
}

/// A MATCH whose rows go straight into the aggregation of the projection after it.
#[allow(clippy::too_many_arguments)]
fn match_into_aggregate(
    step: &Step,
    proj_step: &Step,
    p: &ProjPlan,
    in_names: &[String],
    rows: Vec<Row>,
    g: &Graph,
    ctx: &Ctx<'_>,
) -> Result<Vec<Row>> {
    let mark = ctx.held.used();
    let mut grouper = Grouper::new(p, &step.out);
    stream_match(
        step,
        Some(proj_step),
        in_names.len(),
        &rows,
        g,
        ctx,
        None,
        &mut |r, weight| {
            grouper.feed(&step.out, r, weight, g, ctx)?;
            Ok(true)
        },
    )?;
    let produced = grouper.finish(&step.out, &proj_step.out, g, ctx)?;
    let out = finish_projection(p, &step.out, &proj_step.out, produced, &[], g, ctx)?;
    recharge(ctx, mark, &out, proj_step.span)?;
    Ok(out)
}

/// Once a projection has its rows, what it held on the way (groups, sort keys, rows that
/// DISTINCT, SKIP, LIMIT or WHERE dropped) is replaced by what its rows hold.
fn recharge(ctx: &Ctx<'_>, mark: usize, rows: &[Row], span: Span) -> Result<()> {
    ctx.held.release_to(mark);
    let mut tally = ctx.held.tally(span);
    for r in rows {
        tally.add(row_bytes(r))?;
    }
    tally.finish()
}

/// A MATCH step: its rows, all of them or (before a LIMIT without ORDER BY) only as many as
/// the projection after it keeps, so that LIMIT stops the matching.
fn match_step(
    step: &Step,
    next: Option<&Step>,
    in_names: &[String],
    rows: Vec<Row>,
    g: &Graph,
    ctx: &Ctx<'_>,
) -> Result<Vec<Row>> {
    let max = ctx.limits.max_rows;
    let cap = match next.map(|s| &s.op) {
        Some(Op::Project(p))
            if !p.aggregates() && !p.distinct && p.order.is_empty() && p.limit.is_some() =>
        {
            let skip = p
                .skip
                .as_ref()
                .map_or(Ok(0), |e| count_arg(e, g, ctx, "SKIP"));
            let limit = p.limit.as_ref().map(|e| count_arg(e, g, ctx, "LIMIT"));
            match (skip, limit) {
                (Ok(s), Some(Ok(l))) => Some(s.saturating_add(l)),
                _ => None,
            }
        }
        _ => None,
    };
    let mut out: Vec<Row> = Vec::new();
    if cap == Some(0) {
        return Ok(out);
    }
    let mut tally = ctx.held.tally(step.span);
    stream_match(
        step,
        next,
        in_names.len(),
        &rows,
        g,
        ctx,
        cap,
        &mut |r, weight| {
            for _ in 0..weight {
                if out.len() >= max {
                    return Err(too_many_rows(max, step.span));
                }
                tally.add(row_bytes(r))?;
                out.push(r.to_vec());
                if cap.is_some_and(|c| out.len() >= c) {
                    return Ok(false);
                }
            }
            Ok(true)
        },
    )?;
    tally.finish()?;
    Ok(out)
}

/// Runs a MATCH over its input rows, sending each row to `sink` with the number of rows it
/// stands for (which returns false to stop): through the pattern-join operator when it covers
/// the pattern (tuned to what `next`, the step the rows go to, reads of them), else through
/// the backtracking matcher. OPTIONAL MATCH sends a row of nulls for an input row without
/// match.
#[allow(clippy::too_many_arguments)]
fn stream_match(
    step: &Step,
    next: Option<&Step>,
    n_in: usize,
    rows: &[Row],
    g: &Graph,
    ctx: &Ctx<'_>,
    cap: Option<usize>,
    sink: &mut dyn FnMut(&[Val], u64) -> Result<bool>,
) -> Result<()> {
    let Op::Match {
        optional,
        parts,
        starts,
        filter,
    } = &step.op
    else {
        return Ok(());
    };
    let join = JoinPlan::compile(
        parts,
        starts,
        &step.out,
        n_in,
        filter.as_ref(),
        ctx.limits.max_path_length,
        &needs_of(next, &step.out),
    );
    let join = join
        .filter(|_| !reference_only())
        .map(|j| match ctx.operator_profiles {
            Some(_) => j.profiled(),
            None => j,
        });
    let adj = join.as_ref().map(|_| g.adjacency());
    if join.is_none() {
        super::shortest::take_stats();
    }
    for row in rows {
        ctx.check_cancel()?;
        let mut produced = false;
        let mut go = true;
        if let (Some(j), Some(adj)) = (&join, &adj) {
            let mut inner = |r: &[Val], weight: u64| {
                produced = true;
                sink(r, weight)
            };
            go = j.run(g, adj, ctx, row, &mut inner)?;
        } else {
            if cap.is_none() && !*optional && !reference_only() {
                // Without a row cap the matcher streams into the sink, holding no rows.
                let mut inner = |r: &[Val]| sink(r, 1).map(|_| ());
                let mut m =
                    Matcher::new(g, ctx, parts, starts, &step.out, row, filter.as_ref(), None)
                        .with_sink(&mut inner);
                m.run()?;
                continue;
            }
            let mut m = Matcher::new(g, ctx, parts, starts, &step.out, row, filter.as_ref(), None);
            if let Some(c) = cap {
                m = m.stop_after(c);
            }
            m.run()?;
            for r in std::mem::take(&mut m.results) {
                produced = true;
                if !sink(&r, 1)? {
                    go = false;
                    break;
                }
            }
        }
        if !produced && *optional && go {
            let mut r = row.clone();
            r.resize(step.out.len(), Val::Null);
            go = sink(&r, 1)?;
        }
        if !go {
            break;
        }
    }
    if let (Some(j), Some(profiles)) = (&join, &ctx.operator_profiles) {
        profiles.borrow_mut().push((step.span, j.describe()));
    }
    if let (None, Some(profiles)) = (&join, &ctx.operator_profiles) {
        let bound = &step.out[..n_in.min(step.out.len())];
        let text = super::shortest::describe(parts, bound, Some(super::shortest::take_stats()));
        profiles
            .borrow_mut()
            .push((step.span, format!("{BACKTRACKING}{text}")));
    }
    Ok(())
}

/// Set by the property test to run every MATCH through the backtracking matcher. A static,
/// not a thread-local: queries run on a thread of their own (`with_deep_stack`). Another test
/// running meanwhile only gets the reference matcher's (equal) answers.
#[cfg(test)]
pub static REFERENCE_ONLY: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Whether MATCH must use the backtracking matcher (the reference), in tests only.
fn reference_only() -> bool {
    #[cfg(test)]
    {
        REFERENCE_ONLY.load(std::sync::atomic::Ordering::SeqCst)
    }
    #[cfg(not(test))]
    {
        false
    }
}

const BACKTRACKING: &str = "    BacktrackingMatch (shortest path or bound relationship)\n";

/// The physical operators of every MATCH of a plan, for EXPLAIN: the pattern-join's steps,
/// or the backtracking matcher where the join does not cover the pattern. After a PROFILE
/// run, `measured` holds the operators of each MATCH that ran, with their figures.
pub fn describe_operators(
    plan: &Plan,
    limits: &super::Limits,
    measured: &[(super::error::Span, String)],
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for part in &plan.parts {
        let mut names: Vec<String> = Vec::new();
        for (i, step) in part.steps.iter().enumerate() {
            if let Op::Match {
                parts,
                starts,
                filter,
                ..
            } = &step.op
            {
                let next = part.steps.get(i + 1);
                let needs = needs_of(next, &step.out);
                let _ = writeln!(out, "{:>2}. operators:", i + 1);
                if let Some((_, text)) = measured.iter().find(|(span, _)| *span == step.span) {
                    out.push_str(text);
                } else {
                    match JoinPlan::compile(
                        parts,
                        starts,
                        &step.out,
                        names.len(),
                        filter.as_ref(),
                        limits.max_path_length,
                        &needs,
                    ) {
                        Some(j) => out.push_str(&j.describe()),
                        None => {
                            out.push_str(BACKTRACKING);
                            out.push_str(&super::shortest::describe(parts, &names, None));
                        }
                    }
                }
                if let Some(text) = describe_id_grouping(step, next) {
                    out.push_str(&text);
                }
            }
            names.clone_from(&step.out);
        }
    }
    out
}

/// The line naming the grouping by element ids (`IdGroups`), when a MATCH streams into an
/// aggregation that takes it.
fn describe_id_grouping(step: &Step, next: Option<&Step>) -> Option<String> {
    use std::fmt::Write as _;
    let (
        Op::Match {
            optional: false, ..
        },
        Some(Op::Project(p)),
    ) = (&step.op, next.map(|s| &s.op))
    else {
        return None;
    };
    if !p.aggregates() {
        return None;
    }
    let key_items: Vec<bool> = p.items.iter().map(|(_, e)| !contains_agg_ref(e)).collect();
    IdGroups::new(p, &key_items, &step.out)?;
    let keys: Vec<String> = p
        .items
        .iter()
        .zip(&key_items)
        .filter(|(_, is_key)| **is_key)
        .map(|((_, e), _)| e.to_string())
        .collect();
    let mut text = format!(
        "    CountById [{}] (counted per element id; each group's keys read once, equal keys merged)\n",
        keys.join(", ")
    );
    let out_names = next.map_or(&step.out, |s| &s.out);
    if let Some(limit) = &p.limit
        && top_sort(p, &key_items, &order_columns(p, out_names)).is_some()
    {
        let k = match &p.skip {
            Some(skip) => format!("{skip} + {limit}"),
            None => limit.to_string(),
        };
        let order: Vec<String> = (p.order.iter())
            .map(|(e, desc)| format!("{e} {}", if *desc { "DESC" } else { "ASC" }))
            .collect();
        let _ = writeln!(
            text,
            "    Top {k} [{}] (the first {k} groups by key codes and counts, when the keys are plain values; only their rows are made)",
            order.join(", ")
        );
    }
    Some(text)
}

fn project(
    p: &ProjPlan,
    in_names: &[String],
    out_names: &[String],
    rows: Vec<Row>,
    g: &Graph,
    ctx: &Ctx<'_>,
) -> Result<Vec<Row>> {
    // Each output row with its sort keys and, when not aggregating, the input row it came
    // from (the WHERE of a WITH may still read the variables before it).
    let mut produced: Produced = Vec::new();
    let mark = ctx.held.used();
    let span = Span { start: 0, end: 0 };
    if p.aggregates() {
        let mut grouper = Grouper::new(p, in_names);
        for row in &rows {
            grouper.feed(in_names, row, 1, g, ctx)?;
        }
        produced = grouper.finish(in_names, out_names, g, ctx)?;
    } else {
        let mut tally = ctx.held.tally(span);
        let order_cols = order_columns(p, out_names);
        for (n, row) in rows.iter().enumerate() {
            if n % 4096 == 0 {
                ctx.check_cancel()?;
            }
            let env = Env::new(in_names, row);
            let mut out: Row = Vec::with_capacity(out_names.len());
            out.extend(p.keep.iter().map(|&i| row[i].clone()));
            for (_, e) in &p.items {
                out.push(eval(e, &env, g, ctx)?);
            }
            let sort = sort_keys(p, &order_cols, out_names, &out, &env, g, ctx)?;
            tally.add(row_bytes(&out) + row_bytes(&sort))?;
            produced.push((out, sort, Some(n)));
        }
        tally.finish()?;
    }
    let n_produced = produced.len();
    let out = finish_projection(p, in_names, out_names, produced, &rows, g, ctx)?;
    // Rows kept as they were made are charged already (measuring again walks their lists).
    if p.aggregates() || out.len() < n_produced {
        recharge(ctx, mark, &out, span)?;
    }
    Ok(out)
}

/// DISTINCT, ORDER BY, SKIP, LIMIT and the WHERE of a WITH, on projected rows.
fn finish_projection(
    p: &ProjPlan,
    in_names: &[String],
    out_names: &[String],
    mut produced: Produced,
    rows: &[Row],
    g: &Graph,
    ctx: &Ctx<'_>,
) -> Result<Vec<Row>> {
    if p.distinct {
        // The set of rows seen holds a copy of each row kept, at most all of them.
        let copies = produced
            .iter()
            .fold(0usize, |sum, (r, _, _)| sum.saturating_add(row_bytes(r)));
        ctx.held.charge(copies, Span { start: 0, end: 0 })?;
        let mut seen = BTreeSet::new();
        produced.retain(|(r, _, _)| seen.insert(GroupKey(r.clone())));
        ctx.held.release(copies);
    }
    let skip = match &p.skip {
        Some(e) => count_arg(e, g, ctx, "SKIP")?,
        None => 0,
    };
    let limit = match &p.limit {
        Some(e) => count_arg(e, g, ctx, "LIMIT")?,
        None => usize::MAX,
    };
    if !p.order.is_empty() {
        let order_cols = order_columns(p, out_names);
        produced = sort_rows(p, &order_cols, produced, skip.saturating_add(limit));
    }
    let kept = produced.into_iter().skip(skip).take(limit);
    let Some(f) = &p.filter else {
        return Ok(kept.map(|(r, _, _)| r).collect());
    };
    let mut out = Vec::new();
    for (r, _, from) in kept {
        let parent = from
            .and_then(|i| rows.get(i))
            .map(|row| Env::new(in_names, row));
        let env = Env {
            names: out_names,
            vals: &r,
            parent: parent.as_ref(),
            aggs: &[],
        };
        if truth(&eval(f, &env, g, ctx)?, f.span)? == Some(true) {
            out.push(r);
        }
    }
    Ok(out)
}

/// The rows in ORDER BY order (ties in the order they came), only the first `keep` of
/// them: when they are fewer than the rows, a top-k selection (linear) finds them and only
/// they are sorted.
fn sort_rows(
    p: &ProjPlan,
    order_cols: &[Option<usize>],
    produced: Produced,
    keep: usize,
) -> Produced {
    // A key that is an output column is read from the row (`sort_keys` left a null).
    let by_keys = |(a_out, a, _): &(Row, Vec<Val>, Option<usize>),
                   (b_out, b, _): &(Row, Vec<Val>, Option<usize>)| {
        for (k, (_, desc)) in p.order.iter().enumerate() {
            let (x, y) = match order_cols[k].and_then(|c| Some((a_out.get(c)?, b_out.get(c)?))) {
                Some(pair) => pair,
                None => (&a[k], &b[k]),
            };
            let o = order_cmp(x, y);
            let o = if *desc { o.reverse() } else { o };
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        std::cmp::Ordering::Equal
    };
    let mut produced = produced;
    if keep >= produced.len() || reference_only() {
        produced.sort_by(by_keys);
        return produced;
    }
    // The position breaks ties, so that the selection keeps the order a stable sort gives.
    let mut order: Vec<usize> = (0..produced.len()).collect();
    let cmp = |&i: &usize, &j: &usize| by_keys(&produced[i], &produced[j]).then(i.cmp(&j));
    if keep > 0 {
        order.select_nth_unstable_by(keep - 1, cmp);
    }
    order.truncate(keep);
    order.sort_by(cmp);
    let mut slots: Vec<Option<_>> = produced.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
}

/// For each ORDER BY item that is a plain variable naming an output column, that column:
/// its sort key is the column's value, read without evaluating the item row by row.
fn order_columns(p: &ProjPlan, out_names: &[String]) -> Vec<Option<usize>> {
    p.order
        .iter()
        .map(|(e, _)| match &e.kind {
            ExprKind::Var(name) => out_names.iter().rposition(|n| n == name),
            _ => None,
        })
        .collect()
}

/// The ORDER BY keys of one output row (`order_cols` from `order_columns`); a key that is
/// an output column is a null here (none at all when every key is), as `sort_rows` reads it
/// from the row.
fn sort_keys(
    p: &ProjPlan,
    order_cols: &[Option<usize>],
    out_names: &[String],
    out: &[Val],
    inner: &Env<'_>,
    g: &Graph,
    ctx: &Ctx<'_>,
) -> Result<Vec<Val>> {
    // Without keys, or with only output columns, `sort_rows` reads nothing here.
    if order_cols.iter().all(|c| c.is_some_and(|i| i < out.len())) {
        return Ok(Vec::new());
    }
    let env = Env {
        names: out_names,
        vals: out,
        parent: Some(inner),
        aggs: inner.aggs,
    };
    p.order
        .iter()
        .zip(order_cols)
        .map(|((e, _), col)| match col.and_then(|i| out.get(i)) {
            Some(_) => Ok(Val::Null),
            None => eval(e, &env, g, ctx),
        })
        .collect()
}

// ------------------------------------------------------------------ results

fn node_value(id: NodeId, g: &Graph) -> NodeValue {
    match g.node(id) {
        Some(n) => NodeValue {
            id,
            labels: n.labels.iter().map(|l| l.to_string()).collect(),
            props: n.props.clone(),
        },
        None => NodeValue {
            id,
            labels: Vec::new(),
            props: Properties::new(),
        },
    }
}

fn rel_value(id: crate::graph::EdgeId, g: &Graph) -> RelValue {
    match g.edge(id) {
        Some(e) => RelValue {
            id,
            rel_type: e.rel_type.to_string(),
            source: e.source,
            target: e.target,
            props: e.props.clone(),
        },
        None => RelValue {
            id,
            rel_type: String::new(),
            source: NodeId(0),
            target: NodeId(0),
            props: Properties::new(),
        },
    }
}

pub fn materialise(v: &Val, g: &Graph) -> QueryValue {
    match v {
        Val::Null => QueryValue::Null,
        Val::Bool(b) => QueryValue::Bool(*b),
        Val::Int(i) => QueryValue::Int(*i),
        Val::Float(f) => QueryValue::Float(*f),
        Val::Str(s) => QueryValue::String(s.clone()),
        // Results have no temporal type; the TCK and printers read the ISO text.
        Val::Temporal(t) => QueryValue::String(t.iso()),
        Val::Duration(d) => QueryValue::String(d.iso()),
        Val::List(items) => QueryValue::List(items.iter().map(|x| materialise(x, g)).collect()),
        Val::Map(m) => QueryValue::Map(
            m.iter()
                .map(|(k, x)| (k.clone(), materialise(x, g)))
                .collect(),
        ),
        Val::Node(id) => QueryValue::Node(node_value(*id, g)),
        Val::Rel(id) => QueryValue::Relationship(rel_value(*id, g)),
        Val::Path(p) => QueryValue::Path(PathValue {
            nodes: p.nodes.iter().map(|n| node_value(*n, g)).collect(),
            rels: p.rels.iter().map(|r| rel_value(*r, g)).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::IdSet;

    #[test]
    fn an_id_set_takes_each_id_once_below_and_above_its_bitmap() {
        let mut set = IdSet::default();
        for id in [
            0,
            63,
            64,
            5000,
            IdSet::BITS_UP_TO - 1,
            IdSet::BITS_UP_TO,
            u64::MAX,
        ] {
            assert!(set.insert(id), "{id} is new");
            assert!(!set.insert(id), "{id} is known");
        }
        assert!(set.insert(1));
        assert_eq!(set.large.len(), 2);
        assert!(set.words.len() <= (IdSet::BITS_UP_TO / 64) as usize);
    }
}
