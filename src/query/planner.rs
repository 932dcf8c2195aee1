//! The semantic pass: checks variables in scope, aggregation use, clause order and static
//! types, and turns the AST into a logical plan of steps over rows. It chooses where each
//! pattern starts (bound variable, name index, label, relationship type, all nodes).
//!
//! Planning never changes the graph; it only reads counts to choose a start.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Arc;

use super::ast::*;
use super::error::{ErrorKind, Phase, QueryError, Span};
use super::functions::{self, Procedure};
use crate::graph::Graph;

type Result<T> = std::result::Result<T, QueryError>;

/// What a variable holds, as far as the planner knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    Node,
    Rel,
    RelList,
    Path,
    Any,
    /// Known not to be a graph element, from a literal or an operator's result.
    Bool,
    Number,
    Str,
    List,
    Map,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub parts: Vec<PartPlan>,
    pub union_all: Vec<bool>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct PartPlan {
    pub steps: Vec<Step>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub op: Op,
    /// The variables of a row after this step, in slot order.
    pub out: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Op {
    Match {
        optional: bool,
        parts: Vec<PatternPart>,
        starts: Vec<Start>,
        filter: Option<Expr>,
    },
    Unwind {
        expr: Expr,
    },
    Project(Box<ProjPlan>),
    Create {
        parts: Vec<PatternPart>,
    },
    Merge {
        part: PatternPart,
        start: Start,
        on_match: Vec<SetItem>,
        on_create: Vec<SetItem>,
    },
    Set {
        items: Vec<SetItem>,
    },
    Remove {
        items: Vec<RemoveItem>,
    },
    Delete {
        detach: bool,
        exprs: Vec<Expr>,
    },
    Call(Box<CallPlan>),
    /// `CALL { ... }`: the inner plan runs once per row, starting from the `imports` (slots
    /// of the row, in the inner plan's first scope order); `returns` says whether its rows
    /// are added to the row or the row passes on unchanged.
    CallSubquery {
        plan: Box<Plan>,
        imports: Vec<usize>,
        names: Vec<String>,
        returns: bool,
    },
}

/// A planned `CALL`: the procedure, one argument per parameter, which outputs are appended
/// to the row (indexes into the procedure's outputs, in slot order) and the `WHERE` after
/// `YIELD`.
#[derive(Debug, Clone)]
pub struct CallPlan {
    pub procedure: Arc<Procedure>,
    pub args: Vec<Expr>,
    pub yields: Vec<usize>,
    pub filter: Option<Expr>,
    /// The query is this call alone: a procedure without outputs then answers no rows.
    pub standalone: bool,
    pub span: Span,
}

/// A subquery expression's plan with the variables it imports (in the order of the row that
/// starts it), made once by the planner and shared by every row that evaluates it.
#[derive(Default)]
pub struct SubqueryPlan(std::sync::OnceLock<(Vec<String>, Arc<Plan>)>);

impl SubqueryPlan {
    pub fn get(&self) -> Option<&(Vec<String>, Arc<Plan>)> {
        self.0.get()
    }

    fn set(&self, names: Vec<String>, plan: Plan) {
        let _ = self.0.set((names, Arc::new(plan)));
    }
}

impl Clone for SubqueryPlan {
    fn clone(&self) -> Self {
        let copy = SubqueryPlan::default();
        if let Some(v) = self.0.get() {
            let _ = copy.0.set(v.clone());
        }
        copy
    }
}

impl std::fmt::Debug for SubqueryPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "planned"
        } else {
            "unplanned"
        })
    }
}

/// Plans the query inside `EXISTS { }`, `COUNT { }` or `COLLECT { }` for the variables
/// visible where it stands (`imported`, in row order): they are bound inside it, its own
/// variables stay inside, and it may not change the graph.
pub fn plan_subquery(
    kind: SubqueryKind,
    query: &Query,
    imported: &[(String, VarKind)],
    span: Span,
) -> Result<Plan> {
    let mut query = query.clone();
    resolve_functions(&mut query);
    for clause in query.parts.iter().flat_map(|p| &p.clauses) {
        if clause.kind.is_update() {
            return Err(syntax(
                "InvalidClauseComposition",
                clause.span,
                format!(
                    "{} cannot be used inside {} {{ }}: a subquery expression only reads",
                    clause.kind.keyword(),
                    kind.keyword()
                ),
            ));
        }
    }
    let planner = Planner {
        graph: None,
        procedures: &[],
    };
    let mut parts = Vec::new();
    for part in &query.parts {
        let scope = Scope {
            vars: imported.to_vec(),
        };
        parts.push(planner.plan_part(part, scope, true)?);
    }
    let columns = parts.first().map(|p| p.columns.clone()).unwrap_or_default();
    if kind == SubqueryKind::Collect && columns.len() != 1 {
        return Err(syntax(
            "InvalidClauseComposition",
            span,
            "COLLECT { } must end with a RETURN of exactly one column",
        ));
    }
    Ok(Plan {
        parts,
        union_all: query.union_all.clone(),
        columns,
    })
}

/// Where a pattern part starts matching.
#[derive(Debug, Clone)]
pub enum Start {
    /// The node at this position is already bound.
    Bound {
        node: usize,
    },
    /// Look the name up in the name index (exact equality is re-checked).
    NameIndex {
        node: usize,
        label: Option<String>,
        name: Expr,
    },
    Label {
        node: usize,
        label: String,
    },
    RelType {
        rel: usize,
        rel_type: String,
    },
    AllNodes {
        node: usize,
    },
}

impl Start {
    pub fn node(&self) -> usize {
        match self {
            Start::Bound { node }
            | Start::NameIndex { node, .. }
            | Start::Label { node, .. }
            | Start::AllNodes { node } => *node,
            Start::RelType { rel, .. } => *rel,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggFunc {
    Count,
    CountStar,
    Collect,
    Sum,
    Avg,
    Min,
    Max,
    PercentileCont,
    PercentileDisc,
    StDev,
    StDevP,
}

#[derive(Debug, Clone)]
pub struct Agg {
    pub func: AggFunc,
    pub distinct: bool,
    pub args: Vec<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ProjPlan {
    /// Input slots kept by `*`.
    pub keep: Vec<usize>,
    pub items: Vec<(String, Expr)>,
    pub aggs: Vec<Agg>,
    pub distinct: bool,
    pub order: Vec<(Expr, bool)>,
    pub skip: Option<Expr>,
    pub limit: Option<Expr>,
    pub filter: Option<Expr>,
    pub is_return: bool,
}

impl ProjPlan {
    pub fn aggregates(&self) -> bool {
        !self.aggs.is_empty()
    }
}

fn err(kind: ErrorKind, detail: &'static str, span: Span, msg: impl Into<String>) -> QueryError {
    QueryError::new(kind, Phase::Compile, detail, msg).with_span(span)
}

fn syntax(detail: &'static str, span: Span, msg: impl Into<String>) -> QueryError {
    err(ErrorKind::SyntaxError, detail, span, msg)
}

/// The aggregate a function name stands for, if it names one.
pub fn agg_func(name: &str) -> Option<AggFunc> {
    functions::find(name).and_then(|f| f.aggregate())
}

/// Plans a parsed query; `graph` (when given) supplies counts for choosing starts.
pub fn plan(query: &Query, graph: Option<&Graph>, procedures: &[Arc<Procedure>]) -> Result<Plan> {
    let mut query = query.clone();
    resolve_functions(&mut query);
    let query = &query;
    let mut parts = Vec::new();
    for part in &query.parts {
        parts.push(Planner { graph, procedures }.plan_single(part)?);
    }
    let columns = parts.first().map(|p| p.columns.clone()).unwrap_or_default();
    for (i, p) in parts.iter().enumerate().skip(1) {
        if p.columns != columns {
            let span = query.parts[i]
                .clauses
                .last()
                .map_or(Span { start: 0, end: 0 }, |c| c.span);
            return Err(err(
                ErrorKind::SyntaxError,
                "DifferentColumnsInUnion",
                span,
                format!(
                    "all parts of a UNION must return the same columns: [{}] and [{}]",
                    columns.join(", "),
                    p.columns.join(", ")
                ),
            ));
        }
    }
    if query.union_all.len() > 1 && query.union_all.iter().any(|&a| a != query.union_all[0]) {
        return Err(syntax(
            "InvalidClauseComposition",
            query.parts[0].clauses[0].span,
            "UNION and UNION ALL cannot be mixed in one query",
        ));
    }
    Ok(Plan {
        parts,
        union_all: query.union_all.clone(),
        columns,
    })
}

struct Planner<'g> {
    graph: Option<&'g Graph>,
    /// Procedures a `CALL` may name besides the built-in ones.
    procedures: &'g [Arc<Procedure>],
}

#[derive(Clone, Default)]
struct Scope {
    vars: Vec<(String, VarKind)>,
}

impl Scope {
    fn get(&self, name: &str) -> Option<VarKind> {
        self.vars.iter().find(|(n, _)| n == name).map(|(_, k)| *k)
    }

    fn names(&self) -> Vec<String> {
        self.vars.iter().map(|(n, _)| n.clone()).collect()
    }

    fn bind(&mut self, id: &Ident, kind: VarKind) -> Result<()> {
        match self.get(&id.name) {
            None => {
                self.vars.push((id.name.clone(), kind));
                Ok(())
            }
            Some(old) if old == kind || old == VarKind::Any || kind == VarKind::Any => Ok(()),
            Some(VarKind::List) if kind == VarKind::RelList => Ok(()),
            Some(old) => Err(syntax(
                "VariableTypeConflict",
                id.span,
                format!(
                    "`{}` is already a {}, it cannot also be a {}",
                    id.name,
                    kind_name(old),
                    kind_name(kind)
                ),
            )),
        }
    }
}

fn kind_name(k: VarKind) -> &'static str {
    match k {
        VarKind::Node => "node",
        VarKind::Rel => "relationship",
        VarKind::RelList => "list of relationships",
        VarKind::Path => "path",
        VarKind::Any => "value",
        VarKind::Bool => "boolean",
        VarKind::Number => "number",
        VarKind::Str => "string",
        VarKind::List => "list",
        VarKind::Map => "map",
    }
}

impl Planner<'_> {
    fn plan_single(&self, q: &SingleQuery) -> Result<PartPlan> {
        self.plan_part(q, Scope::default(), false)
    }

    /// Plans one single query starting from `scope`; a subquery may end without RETURN.
    fn plan_part(&self, q: &SingleQuery, mut scope: Scope, subquery: bool) -> Result<PartPlan> {
        let mut steps = Vec::new();
        let mut columns = Vec::new();
        let n = q.clauses.len();
        if let [only] = q.clauses.as_slice()
            && let ClauseKind::Call { .. } = only.kind
            && !subquery
        {
            return self.plan_standalone_call(only);
        }
        for (i, clause) in q.clauses.iter().enumerate() {
            let last = i + 1 == n;
            if let ClauseKind::Return { .. } = clause.kind
                && !last
            {
                return Err(syntax(
                    "InvalidClauseComposition",
                    q.clauses[i + 1].span,
                    "RETURN must be the last clause of a query",
                ));
            }
            if last
                && !subquery
                && !clause.kind.is_update()
                && !matches!(clause.kind, ClauseKind::Return { .. })
            {
                return Err(syntax(
                    "InvalidClauseComposition",
                    clause.span,
                    format!(
                        "a query cannot end with {}; add a RETURN clause",
                        clause.kind.keyword()
                    ),
                ));
            }
            if let ClauseKind::Match {
                optional: false, ..
            } = clause.kind
                && i > 0
                && matches!(
                    q.clauses[i - 1].kind,
                    ClauseKind::Match { optional: true, .. }
                )
            {
                // Allowed by openCypher; nothing to check.
            }
            let step = self.plan_clause(clause, &mut scope, &mut columns)?;
            steps.push(step);
        }
        Ok(PartPlan { steps, columns })
    }

    fn plan_clause(
        &self,
        clause: &Clause,
        scope: &mut Scope,
        columns: &mut Vec<String>,
    ) -> Result<Step> {
        let span = clause.span;
        let op = match &clause.kind {
            ClauseKind::Match {
                optional,
                pattern,
                filter,
            } => {
                let before = scope.clone();
                check_no_param_props(pattern)?;
                self.bind_pattern(pattern, scope, false)?;
                for part in pattern {
                    self.check_pattern_exprs(part, scope)?;
                }
                if let Some(f) = filter {
                    check_expr(f, scope, &mut Vec::new(), AggUse::Forbidden("WHERE"))?;
                    check_predicate(f, scope)?;
                }
                let starts = self.choose_starts(pattern, &before, filter.as_ref());
                Op::Match {
                    optional: *optional,
                    parts: pattern.clone(),
                    starts,
                    filter: filter.clone(),
                }
            }
            ClauseKind::Unwind { expr, var } => {
                check_expr(expr, scope, &mut Vec::new(), AggUse::Forbidden("UNWIND"))?;
                if scope.get(&var.name).is_some() {
                    return Err(syntax(
                        "VariableAlreadyBound",
                        var.span,
                        format!("`{}` is already bound", var.name),
                    ));
                }
                scope.bind(var, VarKind::Any)?;
                Op::Unwind { expr: expr.clone() }
            }
            ClauseKind::With { proj, filter } => {
                let p = self.plan_projection(proj, filter.as_ref(), scope, false)?;
                Op::Project(Box::new(p))
            }
            ClauseKind::Return { proj } => {
                let p = self.plan_projection(proj, None, scope, true)?;
                *columns = scope.names();
                Op::Project(Box::new(p))
            }
            ClauseKind::Create { pattern } => {
                self.check_create(pattern, scope, false)?;
                self.bind_pattern(pattern, scope, true)?;
                for part in pattern {
                    self.check_pattern_exprs(part, scope)?;
                }
                Op::Create {
                    parts: pattern.clone(),
                }
            }
            ClauseKind::Merge {
                part,
                on_match,
                on_create,
            } => {
                let before = scope.clone();
                self.check_create(std::slice::from_ref(part), scope, true)?;
                check_no_param_props(std::slice::from_ref(part))?;
                self.bind_pattern(std::slice::from_ref(part), scope, true)?;
                self.check_pattern_exprs(part, scope)?;
                for item in on_match.iter().chain(on_create) {
                    check_set_item(item, scope)?;
                }
                let start = self
                    .choose_starts(std::slice::from_ref(part), &before, None)
                    .pop()
                    .unwrap_or(Start::AllNodes { node: 0 });
                Op::Merge {
                    part: part.clone(),
                    start,
                    on_match: on_match.clone(),
                    on_create: on_create.clone(),
                }
            }
            ClauseKind::Set { items } => {
                for item in items {
                    check_set_item(item, scope)?;
                }
                Op::Set {
                    items: items.clone(),
                }
            }
            ClauseKind::Remove { items } => {
                for item in items {
                    match item {
                        RemoveItem::Property(e) => {
                            check_expr(e, scope, &mut Vec::new(), AggUse::Forbidden("REMOVE"))?
                        }
                        RemoveItem::Labels { var, .. } => check_var(var, scope)?,
                    }
                }
                Op::Remove {
                    items: items.clone(),
                }
            }
            ClauseKind::Delete { detach, exprs } => {
                for e in exprs {
                    check_expr(e, scope, &mut Vec::new(), AggUse::Forbidden("DELETE"))?;
                    let deletable = matches!(
                        e.kind,
                        ExprKind::Var(_)
                            | ExprKind::Property(..)
                            | ExprKind::Index(..)
                            | ExprKind::Call { .. }
                            | ExprKind::Null
                            | ExprKind::Param(_)
                            | ExprKind::Case { .. }
                    );
                    if !deletable {
                        return Err(err(
                            ErrorKind::SyntaxError,
                            "InvalidDelete",
                            e.span,
                            "DELETE takes nodes, relationships or paths",
                        ));
                    }
                }
                Op::Delete {
                    detach: *detach,
                    exprs: exprs.clone(),
                }
            }
            ClauseKind::Call { .. } => Op::Call(Box::new(self.plan_call(clause, scope, false)?)),
            ClauseKind::CallSubquery { query } => self.plan_call_subquery(query, scope, span)?,
        };
        Ok(Step {
            op,
            out: scope.names(),
            span,
        })
    }

    /// `CALL { ... }`: a leading `WITH a, b` of plain variables imports them from the row;
    /// nothing else of the row is visible inside. What the inner query returns is bound in
    /// the row and may not reuse a name the row already has.
    fn plan_call_subquery(&self, query: &Query, scope: &mut Scope, span: Span) -> Result<Op> {
        let mut import_names: Vec<String> = Vec::new();
        for part in &query.parts {
            let mut imported = Vec::new();
            if let Some(Clause {
                kind: ClauseKind::With { proj, .. },
                ..
            }) = part.clauses.first()
            {
                for item in &proj.items {
                    if let ExprKind::Var(v) = &item.expr.kind
                        && item.name() == v
                        && let Some(k) = scope.get(v)
                    {
                        imported.push((v.clone(), k));
                    }
                }
                if proj.star {
                    imported.clone_from(&scope.vars);
                }
            }
            for (n, _) in imported {
                if !import_names.contains(&n) {
                    import_names.push(n);
                }
            }
        }
        // Every part starts from the same imported row.
        let imported: Vec<(String, VarKind)> = import_names
            .iter()
            .map(|n| (n.clone(), scope.get(n).unwrap_or(VarKind::Any)))
            .collect();
        let mut plans = Vec::new();
        for part in &query.parts {
            let inner = Scope {
                vars: imported.clone(),
            };
            plans.push(self.plan_part(part, inner, true)?);
        }
        let columns = plans.first().map(|p| p.columns.clone()).unwrap_or_default();
        let returns = query.parts.iter().all(|p| {
            matches!(
                p.clauses.last().map(|c| &c.kind),
                Some(ClauseKind::Return { .. })
            )
        });
        if !returns
            && !query
                .parts
                .iter()
                .flat_map(|p| &p.clauses)
                .any(|c| c.kind.is_update())
        {
            return Err(syntax(
                "InvalidClauseComposition",
                span,
                "CALL { } must end with RETURN, unless it changes the graph",
            ));
        }
        if returns {
            for c in &columns {
                if scope.get(c).is_some() {
                    return Err(syntax(
                        "VariableAlreadyBound",
                        span,
                        format!("`{c}` is already bound; return it under another name"),
                    ));
                }
            }
            for c in &columns {
                scope.bind(
                    &Ident {
                        name: c.clone(),
                        span,
                    },
                    VarKind::Any,
                )?;
            }
        }
        let row_names = scope.names();
        let imports = import_names
            .iter()
            .filter_map(|n| row_names.iter().position(|m| m == n))
            .collect();
        Ok(Op::CallSubquery {
            plan: Box::new(Plan {
                parts: plans,
                union_all: query.union_all.clone(),
                columns,
            }),
            imports,
            names: import_names,
            returns,
        })
    }

    /// A query that is one `CALL`: it returns what the call yields (every output when it
    /// says neither `YIELD` nor `YIELD *`), and its arguments may come from parameters.
    fn plan_standalone_call(&self, clause: &Clause) -> Result<PartPlan> {
        let mut scope = Scope::default();
        let call = self.plan_call(clause, &mut scope, true)?;
        let columns = scope.names();
        let call_step = Step {
            op: Op::Call(Box::new(call)),
            out: columns.clone(),
            span: clause.span,
        };
        let items = columns
            .iter()
            .map(|c| (c.clone(), Expr::new(ExprKind::Var(c.clone()), clause.span)))
            .collect();
        let ret = Step {
            op: Op::Project(Box::new(ProjPlan {
                keep: Vec::new(),
                items,
                aggs: Vec::new(),
                distinct: false,
                order: Vec::new(),
                skip: None,
                limit: None,
                filter: None,
                is_return: true,
            })),
            out: columns.clone(),
            span: clause.span,
        };
        Ok(PartPlan {
            steps: vec![call_step, ret],
            columns,
        })
    }

    /// Resolves a `CALL`'s procedure, checks its arguments and binds what it yields.
    fn plan_call(&self, clause: &Clause, scope: &mut Scope, standalone: bool) -> Result<CallPlan> {
        let ClauseKind::Call {
            procedure,
            args,
            yields,
            filter,
        } = &clause.kind
        else {
            return Err(syntax("UnexpectedSyntax", clause.span, "expected CALL"));
        };
        let Some(proc) = functions::find_procedure(&procedure.name, self.procedures) else {
            return Err(err(
                ErrorKind::ProcedureError,
                "ProcedureNotFound",
                procedure.span,
                format!("there is no procedure called {}", procedure.name),
            )
            .with_hint("CALL dbms.procedures() lists the procedures there are"));
        };
        let args: Vec<Expr> = match args {
            Some(args) => args.clone(),
            None if proc.params.is_empty() => Vec::new(),
            None if standalone => proc
                .params
                .iter()
                .map(|(name, _)| Expr::new(ExprKind::Param(name.clone()), procedure.span))
                .collect(),
            None => {
                return Err(syntax(
                    "InvalidArgumentPassingMode",
                    procedure.span,
                    format!(
                        "{} takes arguments; inside a query write them in parentheses",
                        proc.name
                    ),
                ));
            }
        };
        if args.len() != proc.params.len() {
            return Err(syntax(
                "InvalidNumberOfArguments",
                procedure.span,
                format!(
                    "{} takes {} arguments, not {}: {}",
                    proc.name,
                    proc.params.len(),
                    args.len(),
                    proc.signature()
                ),
            ));
        }
        for (a, (name, ty)) in args.iter().zip(&proc.params) {
            check_expr(a, scope, &mut Vec::new(), AggUse::Forbidden("CALL"))?;
            let known = match static_kind(a, scope) {
                VarKind::Bool => Some("BOOLEAN"),
                VarKind::Number => Some("NUMBER"),
                VarKind::Str => Some("STRING"),
                VarKind::List => Some("LIST"),
                VarKind::Map => Some("MAP"),
                _ => None,
            };
            if matches!(a.kind, ExprKind::Null) || functions::accepts(*ty, known) {
                continue;
            }
            return Err(syntax(
                "InvalidArgumentType",
                a.span,
                format!("{} expects {name} to be {ty}", proc.name),
            ));
        }
        let items: Vec<(usize, Ident)> = match yields {
            None if standalone => all_outputs(&proc, procedure.span),
            None => Vec::new(),
            Some(Yield::All) if standalone => all_outputs(&proc, procedure.span),
            Some(Yield::All) => {
                return Err(syntax(
                    "UnexpectedSyntax",
                    clause.span,
                    "YIELD * is allowed only when the query is the CALL alone; name the outputs",
                ));
            }
            Some(Yield::Items(items)) => {
                let mut out = Vec::new();
                for item in items {
                    let Some(i) = proc
                        .outputs
                        .iter()
                        .position(|(n, _)| *n == item.output.name)
                    else {
                        return Err(syntax(
                            "UndefinedVariable",
                            item.output.span,
                            format!(
                                "{} has no output {}: {}",
                                proc.name,
                                item.output.name,
                                proc.signature()
                            ),
                        ));
                    };
                    out.push((i, item.var().clone()));
                }
                out
            }
        };
        let mut yields = Vec::new();
        for (i, var) in items {
            if scope.get(&var.name).is_some() {
                return Err(syntax(
                    "VariableAlreadyBound",
                    var.span,
                    format!("`{}` is already bound", var.name),
                ));
            }
            scope.bind(&var, VarKind::Any)?;
            yields.push(i);
        }
        if let Some(f) = filter {
            check_expr(f, scope, &mut Vec::new(), AggUse::Forbidden("WHERE"))?;
        }
        Ok(CallPlan {
            procedure: proc,
            args,
            yields,
            filter: filter.clone(),
            standalone,
            span: clause.span,
        })
    }

    fn check_create(&self, pattern: &[PatternPart], scope: &Scope, merge: bool) -> Result<()> {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for part in pattern {
            if part.shortest.is_some() {
                return Err(syntax(
                    "InvalidClauseComposition",
                    part.span,
                    "shortestPath cannot be created",
                ));
            }
            for node in &part.nodes {
                if let Some(v) = &node.var {
                    let bound = scope.get(&v.name).is_some() || seen.contains(&v.name);
                    if bound && (!node.labels.is_empty() || node.props.is_some()) {
                        return Err(syntax(
                            "VariableAlreadyBound",
                            v.span,
                            format!(
                                "`{}` is already bound; it cannot be given labels or properties here",
                                v.name
                            ),
                        ));
                    }
                    if bound && part.nodes.len() == 1 && scope.get(&v.name).is_some() {
                        return Err(syntax(
                            "VariableAlreadyBound",
                            v.span,
                            format!("`{}` is already bound", v.name),
                        ));
                    }
                    seen.insert(v.name.clone());
                }
            }
            for rel in &part.rels {
                if rel.types.len() != 1 {
                    return Err(syntax(
                        "NoSingleRelationshipType",
                        rel.span,
                        "a created relationship needs exactly one type, as in -[:TYPE]->",
                    ));
                }
                if rel.direction == Direction::Both && !merge {
                    return Err(syntax(
                        "RequiresDirectedRelationship",
                        rel.span,
                        "a created relationship needs a direction, -> or <-",
                    ));
                }
                if rel.range.is_some() {
                    return Err(syntax(
                        "CreatingVarLength",
                        rel.span,
                        "a variable-length relationship cannot be created",
                    ));
                }
                if let Some(v) = &rel.var
                    && (scope.get(&v.name).is_some() || seen.contains(&v.name))
                {
                    return Err(syntax(
                        "VariableAlreadyBound",
                        v.span,
                        format!("`{}` is already bound", v.name),
                    ));
                }
                if let Some(v) = &rel.var {
                    seen.insert(v.name.clone());
                }
            }
        }
        Ok(())
    }

    /// Adds a pattern's variables to the scope, checking kinds.
    fn bind_pattern(&self, pattern: &[PatternPart], scope: &mut Scope, create: bool) -> Result<()> {
        let mut rels_here: BTreeSet<String> = BTreeSet::new();
        for part in pattern {
            for node in &part.nodes {
                if let Some(v) = &node.var {
                    scope.bind(v, VarKind::Node)?;
                }
            }
            for rel in &part.rels {
                if let Some(v) = &rel.var {
                    let kind = if rel.range.is_some() {
                        VarKind::RelList
                    } else {
                        VarKind::Rel
                    };
                    if !create && !rels_here.insert(v.name.clone()) {
                        return Err(syntax(
                            "RelationshipUniquenessViolation",
                            v.span,
                            format!(
                                "`{}` names two relationships in one pattern; a relationship is matched once",
                                v.name
                            ),
                        ));
                    }
                    scope.bind(v, kind)?;
                }
            }
            if let Some(v) = &part.var {
                if scope.get(&v.name).is_some() {
                    return Err(syntax(
                        "VariableAlreadyBound",
                        v.span,
                        format!("`{}` is already bound", v.name),
                    ));
                }
                scope.bind(v, VarKind::Path)?;
            }
        }
        Ok(())
    }

    fn check_pattern_exprs(&self, part: &PatternPart, scope: &Scope) -> Result<()> {
        for node in &part.nodes {
            if let Some(p) = &node.props {
                check_props(p, scope)?;
            }
        }
        for rel in &part.rels {
            if let Some(p) = &rel.props {
                check_props(p, scope)?;
            }
        }
        Ok(())
    }

    /// Chooses where each part of a MATCH starts: a bound node, then a name lookup, then the
    /// rarest label or relationship type, then all nodes.
    fn choose_starts(
        &self,
        pattern: &[PatternPart],
        before: &Scope,
        filter: Option<&Expr>,
    ) -> Vec<Start> {
        let mut bound: BTreeSet<String> = before.vars.iter().map(|(n, _)| n.clone()).collect();
        let mut starts = Vec::new();
        let name_filters = filter.map(name_equalities).unwrap_or_default();
        for part in pattern {
            let start = self.choose_start(part, &bound, &name_filters);
            starts.push(start);
            for node in &part.nodes {
                if let Some(v) = &node.var {
                    bound.insert(v.name.clone());
                }
            }
            for rel in &part.rels {
                if let Some(v) = &rel.var {
                    bound.insert(v.name.clone());
                }
            }
        }
        starts
    }

    fn choose_start(
        &self,
        part: &PatternPart,
        bound: &BTreeSet<String>,
        name_filters: &[(String, Expr)],
    ) -> Start {
        // A shortest path walks from its first node.
        let candidates: Vec<usize> = if part.shortest.is_some() {
            vec![0]
        } else {
            (0..part.nodes.len()).collect()
        };
        for &i in &candidates {
            if let Some(v) = &part.nodes[i].var
                && bound.contains(&v.name)
            {
                return Start::Bound { node: i };
            }
        }
        for &i in &candidates {
            let node = &part.nodes[i];
            let mut name = None;
            if let Some(Expr {
                kind: ExprKind::Map(entries),
                ..
            }) = &node.props
            {
                name = entries
                    .iter()
                    .find(|(k, e)| k == crate::graph::NAME_KEY && is_constant(e))
                    .map(|(_, e)| e.clone());
            }
            if name.is_none()
                && let Some(v) = &node.var
            {
                name = name_filters
                    .iter()
                    .find(|(var, _)| var == &v.name)
                    .map(|(_, e)| e.clone());
            }
            // The name index only holds labelled nodes, so an unlabelled pattern scans.
            if let (Some(name), Some(label)) = (name, node.labels.first()) {
                return Start::NameIndex {
                    node: i,
                    label: Some(label.clone()),
                    name,
                };
            }
        }
        let count_label = |l: &str| self.graph.map_or(0, |g| g.label_count(l));
        let count_type = |t: &str| self.graph.map_or(usize::MAX, |g| g.type_count(t));
        let mut best: Option<(usize, Start)> = None;
        for &i in &candidates {
            for label in &part.nodes[i].labels {
                let c = count_label(label);
                if best.as_ref().is_none_or(|(bc, _)| c < *bc) {
                    best = Some((
                        c,
                        Start::Label {
                            node: i,
                            label: label.clone(),
                        },
                    ));
                }
            }
        }
        if part.shortest.is_none() {
            for (i, rel) in part.rels.iter().enumerate() {
                if rel.types.len() == 1 && rel.range.is_none() {
                    let c = count_type(&rel.types[0]);
                    if best.as_ref().is_none_or(|(bc, _)| c < *bc) {
                        best = Some((
                            c,
                            Start::RelType {
                                rel: i,
                                rel_type: rel.types[0].clone(),
                            },
                        ));
                    }
                }
            }
        }
        match best {
            Some((_, s)) => s,
            None => Start::AllNodes { node: 0 },
        }
    }

    fn plan_projection(
        &self,
        proj: &Projection,
        filter: Option<&Expr>,
        scope: &mut Scope,
        is_return: bool,
    ) -> Result<ProjPlan> {
        let clause = if is_return { "RETURN" } else { "WITH" };
        let mut keep = Vec::new();
        let mut out = Scope::default();
        if proj.star {
            if scope.vars.is_empty() && is_return {
                return Err(syntax(
                    "NoVariablesInScope",
                    proj.items
                        .first()
                        .map_or(Span { start: 0, end: 0 }, |i| i.expr.span),
                    format!("{clause} * needs at least one variable in scope"),
                ));
            }
            let mut named: Vec<(usize, &(String, VarKind))> =
                scope.vars.iter().enumerate().collect();
            named.sort_by(|a, b| a.1.0.cmp(&b.1.0));
            for (i, v) in named {
                keep.push(i);
                out.vars.push(v.clone());
            }
        }
        let mut aggs = Vec::new();
        let mut items = Vec::new();
        // The columns named so far, looked up by hash: `out.get` scans, which made 80,000
        // items take 39 s.
        let mut columns: std::collections::HashSet<String> =
            out.vars.iter().map(|v| v.0.clone()).collect();
        for item in &proj.items {
            check_expr(&item.expr, scope, &mut Vec::new(), AggUse::Allowed)?;
            check_no_bare_pattern(&item.expr)?;
            if !is_return && item.alias.is_none() && !matches!(item.expr.kind, ExprKind::Var(_)) {
                return Err(syntax(
                    "NoExpressionAlias",
                    item.expr.span,
                    "an expression in WITH needs a name: add AS name",
                ));
            }
            let name = item.name().to_string();
            if !columns.insert(name.clone()) {
                return Err(syntax(
                    "ColumnNameConflict",
                    item.alias.as_ref().map_or(item.expr.span, |a| a.span),
                    format!("the column `{name}` appears twice"),
                ));
            }
            let kind = static_kind(&item.expr, scope);
            out.vars.push((name.clone(), kind));
            let expr = extract_aggs(&item.expr, &mut aggs);
            items.push((name, expr));
        }
        // Sort keys may name output columns, repeat an item's expression, or (when not
        // aggregating or DISTINCT) use the input variables.
        let mut order = Vec::new();
        let has_aggs = !aggs.is_empty();
        for s in &proj.order {
            // Parts of a sort key that repeat a projected expression read that column, so
            // `ORDER BY me.age + count(you)` works when both were returned.
            let expr = substitute_items(&s.expr, &proj.items);
            // After aggregation or DISTINCT only the projected columns remain to sort by.
            let mut visible = out.clone();
            if !proj.distinct && !has_aggs {
                for v in &scope.vars {
                    if visible.get(&v.0).is_none() {
                        visible.vars.push(v.clone());
                    }
                }
            }
            let agg_use = if has_aggs {
                AggUse::Allowed
            } else {
                AggUse::Forbidden("ORDER BY of a projection that does not aggregate")
            };
            check_expr(&expr, &visible, &mut Vec::new(), agg_use)?;
            order.push((extract_aggs(&expr, &mut aggs), s.descending));
        }
        for (e, what) in proj
            .skip
            .iter()
            .map(|e| (e, "SKIP"))
            .chain(proj.limit.iter().map(|e| (e, "LIMIT")))
        {
            check_constant(e)?;
            check_count_literal(e, what)?;
        }
        // Variables outside aggregates in an aggregating item must be grouping keys.
        if has_aggs {
            let keys: Vec<&str> = proj
                .items
                .iter()
                .filter_map(|i| match &i.expr.kind {
                    ExprKind::Var(v) if !contains_agg(&i.expr) => Some(v.as_str()),
                    _ => None,
                })
                .collect();
            let key_props: Vec<String> = proj
                .items
                .iter()
                .filter(|i| is_property_chain(&i.expr))
                .map(|i| i.expr.to_string())
                .collect();
            let kept: Vec<&str> = if proj.star {
                scope.vars.iter().map(|(n, _)| n.as_str()).collect()
            } else {
                Vec::new()
            };
            for item in proj.items.iter().filter(|i| contains_agg(&i.expr)) {
                check_grouping_vars(&item.expr, &keys, &kept, &key_props, &mut Vec::new())?;
            }
            // An ORDER BY item with an aggregate may also name what the projection returns.
            let order_keys: Vec<&str> = keys
                .iter()
                .copied()
                .chain(proj.items.iter().map(ProjItem::name))
                .collect();
            for o in proj.order.iter().filter(|o| contains_agg(&o.expr)) {
                check_grouping_vars(&o.expr, &order_keys, &kept, &key_props, &mut Vec::new())?;
            }
        }
        if let Some(f) = filter {
            // Without aggregation the WHERE of a WITH still sees the variables before it.
            let mut visible = out.clone();
            if !has_aggs {
                for v in &scope.vars {
                    if visible.get(&v.0).is_none() {
                        visible.vars.push(v.clone());
                    }
                }
            }
            check_expr(f, &visible, &mut Vec::new(), AggUse::Forbidden("WHERE"))?;
        }
        *scope = out;
        Ok(ProjPlan {
            keep,
            items,
            aggs,
            distinct: proj.distinct,
            order,
            skip: proj.skip.clone(),
            limit: proj.limit.clone(),
            filter: filter.cloned(),
            is_return,
        })
    }
}

/// Replaces sub-expressions equal to a projected item's expression by that column.
fn substitute_items(e: &Expr, items: &[ProjItem]) -> Expr {
    if !matches!(e.kind, ExprKind::Var(_)) {
        let printed = e.to_string();
        if let Some(item) = items.iter().find(|i| i.expr.to_string() == printed) {
            return Expr::new(ExprKind::Var(item.name().to_string()), e.span);
        }
    }
    let mut out = e.clone();
    map_children(&mut out, &mut |c| *c = substitute_items(c, items));
    out
}

fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Var(_)
        | ExprKind::Pattern(_)
        | ExprKind::PatternComp { .. }
        | ExprKind::MapProj { .. } => false,
        ExprKind::Call { name, .. } if agg_func(name).is_some() => false,
        ExprKind::CountStar => false,
        ExprKind::ListComp { .. } | ExprKind::Quantifier { .. } => false,
        _ => e.children().into_iter().all(is_constant),
    }
}

fn check_constant(e: &Expr) -> Result<()> {
    if is_constant(e) {
        Ok(())
    } else {
        Err(syntax(
            "NonConstantExpression",
            e.span,
            "SKIP and LIMIT take a constant number, not one that depends on a row",
        ))
    }
}

/// `v.name = constant` conjuncts of a WHERE, for name-index starts.
fn name_equalities(e: &Expr) -> Vec<(String, Expr)> {
    let mut out = Vec::new();
    collect_name_equalities(e, &mut out);
    out
}

fn collect_name_equalities(e: &Expr, out: &mut Vec<(String, Expr)>) {
    match &e.kind {
        ExprKind::Binary(BinaryOp::And, a, b) => {
            collect_name_equalities(a, out);
            collect_name_equalities(b, out);
        }
        ExprKind::Compare(first, rest) if rest.len() == 1 && rest[0].0 == CompareOp::Eq => {
            let second = &rest[0].1;
            for (prop, value) in [(&**first, second), (second, &**first)] {
                if let ExprKind::Property(base, key) = &prop.kind
                    && key == crate::graph::NAME_KEY
                    && let ExprKind::Var(v) = &base.kind
                    && is_constant(value)
                {
                    out.push((v.clone(), value.clone()));
                }
            }
        }
        _ => {}
    }
}

fn check_var(id: &Ident, scope: &Scope) -> Result<()> {
    if scope.get(&id.name).is_none() {
        return Err(undefined(&id.name, id.span));
    }
    Ok(())
}

fn undefined(name: &str, span: Span) -> QueryError {
    syntax(
        "UndefinedVariable",
        span,
        format!("the variable `{name}` is not defined"),
    )
    .with_hint("bind it in an earlier MATCH, WITH or UNWIND, or check its spelling")
}

fn check_props(p: &Expr, scope: &Scope) -> Result<()> {
    check_expr(p, scope, &mut Vec::new(), AggUse::Forbidden("a pattern"))
}

fn check_set_item(item: &SetItem, scope: &Scope) -> Result<()> {
    let f = AggUse::Forbidden("SET");
    match item {
        SetItem::Property { target, value } => {
            check_expr(target, scope, &mut Vec::new(), f)?;
            check_no_bare_pattern(value)?;
            check_expr(value, scope, &mut Vec::new(), f)
        }
        SetItem::Replace { var, value } | SetItem::Merge { var, value } => {
            check_var(var, scope)?;
            check_expr(value, scope, &mut Vec::new(), f)
        }
        SetItem::Labels { var, .. } => check_var(var, scope),
    }
}

#[derive(Clone, Copy)]
enum AggUse {
    Allowed,
    Forbidden(&'static str),
    Nested,
}

fn contains_agg(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::CountStar => true,
        ExprKind::Call { name, .. } if agg_func(name).is_some() => true,
        _ => e.children().into_iter().any(contains_agg),
    }
}

/// Checks names, function calls and aggregate placement in an expression.
fn check_expr(e: &Expr, scope: &Scope, locals: &mut Vec<String>, agg: AggUse) -> Result<()> {
    check_static_types(e, scope, locals)?;
    match &e.kind {
        ExprKind::Var(v) if !locals.contains(v) && scope.get(v).is_none() => {
            return Err(undefined(v, e.span));
        }
        ExprKind::MapProj { var, items } => {
            if !locals.contains(var) && scope.get(var).is_none() {
                return Err(undefined(var, e.span));
            }
            for item in items {
                match item {
                    MapProjItem::Variable(v) if !locals.contains(v) && scope.get(v).is_none() => {
                        return Err(undefined(v, e.span));
                    }
                    MapProjItem::Literal(_, x) => check_expr(x, scope, locals, agg)?,
                    _ => {}
                }
            }
        }
        ExprKind::CountStar => agg_allowed(agg, e.span, "count(*)")?,
        ExprKind::Subquery {
            kind, query, plan, ..
        } => {
            let mut imported = scope.vars.clone();
            for l in locals.iter() {
                if imported.iter().all(|(n, _)| n != l) {
                    imported.push((l.clone(), VarKind::Any));
                }
            }
            let p = plan_subquery(*kind, query, &imported, e.span)?;
            plan.set(imported.into_iter().map(|(n, _)| n).collect(), p);
            return Ok(());
        }
        ExprKind::Call {
            name,
            args,
            distinct,
            ..
        } => {
            let Some(function) = functions::find(name) else {
                return Err(syntax(
                    "UnknownFunction",
                    e.span,
                    format!("there is no function called {name}"),
                ));
            };
            let (lo, hi) = function.arity();
            if function.aggregate().is_some() {
                agg_allowed(agg, e.span, name)?;
                arity(name, args.len(), lo, hi, e.span)?;
                if let Some(v) = args.iter().find_map(volatile_call) {
                    return Err(syntax(
                        "NonConstantExpression",
                        e.span,
                        format!("{name} cannot aggregate {v}(), whose value changes on every call"),
                    ));
                }
                for a in args {
                    check_expr(a, scope, locals, AggUse::Nested)?;
                }
                return Ok(());
            }
            if *distinct {
                return Err(syntax(
                    "InvalidArgumentType",
                    e.span,
                    format!("DISTINCT only applies to aggregating functions, not {name}"),
                ));
            }
            arity(name, args.len(), lo, hi, e.span)?;
            for a in args {
                check_expr(a, scope, locals, agg)?;
            }
            return Ok(());
        }
        ExprKind::ListComp {
            var,
            list,
            filter,
            map,
        } => {
            check_expr(list, scope, locals, agg)?;
            locals.push(var.clone());
            let inner = if matches!(agg, AggUse::Allowed) {
                AggUse::Forbidden("a list comprehension")
            } else {
                agg
            };
            let r = filter
                .iter()
                .chain(map.iter())
                .try_for_each(|x| check_expr(x, scope, locals, inner));
            locals.pop();
            return r;
        }
        ExprKind::Quantifier {
            var, list, filter, ..
        } => {
            check_expr(list, scope, locals, agg)?;
            // A literal list of one kind gives the variable that kind, so that a predicate
            // that cannot apply to it is caught before running.
            let inner_scope = element_scope(var, list, scope);
            let outer_local = locals.iter().position(|l| l == var);
            if let Some(i) = outer_local {
                locals.remove(i);
            }
            let r = filter.iter().try_for_each(|x| {
                check_expr(x, &inner_scope, locals, AggUse::Forbidden("a quantifier"))
            });
            if let Some(i) = outer_local {
                locals.insert(i, var.clone());
            }
            return r;
        }
        ExprKind::PatternComp { part, filter, map } => {
            for p in part
                .nodes
                .iter()
                .filter_map(|n| n.props.as_ref())
                .chain(part.rels.iter().filter_map(|r| r.props.as_ref()))
            {
                check_expr(p, scope, locals, agg)?;
            }
            let before = locals.len();
            let names = part
                .nodes
                .iter()
                .filter_map(|n| n.var.as_ref())
                .chain(part.rels.iter().filter_map(|r| r.var.as_ref()))
                .chain(part.var.as_ref());
            for v in names {
                if !locals.contains(&v.name) && scope.get(&v.name).is_none() {
                    locals.push(v.name.clone());
                }
            }
            let inner = if matches!(agg, AggUse::Allowed) {
                AggUse::Forbidden("a pattern comprehension")
            } else {
                agg
            };
            let r = filter
                .iter()
                .map(|b| &**b)
                .chain(std::iter::once(&**map))
                .try_for_each(|x| check_expr(x, scope, locals, inner));
            locals.truncate(before);
            return r;
        }
        ExprKind::Pattern(part) => {
            for node in &part.nodes {
                if let Some(v) = &node.var
                    && !locals.contains(&v.name)
                    && scope.get(&v.name).is_none()
                {
                    return Err(undefined(&v.name, v.span));
                }
            }
            for rel in &part.rels {
                if let Some(v) = &rel.var
                    && !locals.contains(&v.name)
                    && scope.get(&v.name).is_none()
                {
                    return Err(undefined(&v.name, v.span));
                }
            }
        }
        _ => {}
    }
    for c in e.children() {
        check_expr(c, scope, locals, agg)?;
    }
    Ok(())
}

fn arity(name: &str, n: usize, lo: usize, hi: usize, span: Span) -> Result<()> {
    if n < lo || n > hi {
        let wanted = if lo == hi {
            format!("{lo}")
        } else if hi == usize::MAX {
            format!("at least {lo}")
        } else {
            format!("{lo} to {hi}")
        };
        return Err(syntax(
            "InvalidNumberOfArguments",
            span,
            format!("{name} takes {wanted} argument(s), not {n}"),
        ));
    }
    Ok(())
}

fn agg_allowed(agg: AggUse, span: Span, name: &str) -> Result<()> {
    match agg {
        AggUse::Allowed => Ok(()),
        AggUse::Nested => Err(syntax(
            "NestedAggregation",
            span,
            format!("{name} cannot be used inside another aggregating function"),
        )),
        AggUse::Forbidden(place) => Err(syntax(
            "InvalidAggregation",
            span,
            format!("{name} aggregates rows and cannot be used in {place}"),
        )
        .with_hint("aggregate in a WITH clause first, then use the result")),
    }
}

/// The name of a function inside `e` whose value changes from call to call (`rand`).
fn volatile_call(e: &Expr) -> Option<&str> {
    if let ExprKind::Call { name, .. } = &e.kind
        && functions::find(name).is_some_and(|f| f.volatile)
    {
        return Some(name);
    }
    e.children().into_iter().find_map(volatile_call)
}

/// Every output of a procedure, bound under its own name.
fn all_outputs(proc: &Procedure, span: Span) -> Vec<(usize, Ident)> {
    proc.outputs
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            (
                i,
                Ident {
                    name: name.clone(),
                    span,
                },
            )
        })
        .collect()
}

/// Stores in every call the function table's row its name finds, so that running the query
/// never looks a name up; names nobody defined stay unresolved for `check_expr` to report.
fn resolve_functions(query: &mut Query) {
    for clause in query.parts.iter_mut().flat_map(|p| &mut p.clauses) {
        if let ClauseKind::CallSubquery { query } = &mut clause.kind {
            resolve_functions(query);
        }
        for e in clause.kind.exprs_mut() {
            resolve_calls(e);
        }
    }
}

fn resolve_calls(e: &mut Expr) {
    if let ExprKind::Call { name, func, .. } = &mut e.kind {
        *func = functions::lookup(name);
    }
    for c in e.children_mut() {
        resolve_calls(c);
    }
}

/// Replaces aggregate calls with `AggRef`s, collecting them.
fn extract_aggs(e: &Expr, aggs: &mut Vec<Agg>) -> Expr {
    // One copy of the tree, rewritten in place: copying again at every level cost time and
    // memory quadratic in the depth (a 1,999-term `+` chain took 3.5 s and 330 MB).
    let mut out = e.clone();
    extract_aggs_in_place(&mut out, aggs);
    out
}

fn extract_aggs_in_place(e: &mut Expr, aggs: &mut Vec<Agg>) {
    let agg = match &e.kind {
        ExprKind::CountStar => Some(Agg {
            func: AggFunc::CountStar,
            distinct: false,
            args: Vec::new(),
            span: e.span,
        }),
        ExprKind::Call {
            name,
            distinct,
            args,
            ..
        } => agg_func(name).map(|func| Agg {
            func,
            distinct: *distinct,
            args: args.clone(),
            span: e.span,
        }),
        _ => None,
    };
    if let Some(agg) = agg {
        aggs.push(agg);
        *e = Expr::new(ExprKind::AggRef(aggs.len() - 1), e.span);
        return;
    }
    map_children(e, &mut |c| extract_aggs_in_place(c, aggs));
}

/// Applies `f` to each direct sub-expression, in place.
fn map_children(e: &mut Expr, f: &mut dyn FnMut(&mut Expr)) {
    match &mut e.kind {
        ExprKind::List(items) => items.iter_mut().for_each(f),
        ExprKind::Map(entries) => entries.iter_mut().for_each(|(_, x)| f(x)),
        ExprKind::Property(x, _)
        | ExprKind::HasLabels(x, _)
        | ExprKind::Unary(_, x)
        | ExprKind::IsNull(x, _) => f(x),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            f(a);
            f(b);
        }
        ExprKind::Slice(a, b, c) => {
            f(a);
            if let Some(b) = b {
                f(b);
            }
            if let Some(c) = c {
                f(c);
            }
        }
        ExprKind::Compare(first, rest) => {
            f(first);
            rest.iter_mut().for_each(|(_, x)| f(x));
        }
        ExprKind::Case {
            operand,
            whens,
            otherwise,
        } => {
            if let Some(o) = operand {
                f(o);
            }
            for (w, t) in whens {
                f(w);
                f(t);
            }
            if let Some(o) = otherwise {
                f(o);
            }
        }
        ExprKind::Call { args, .. } => args.iter_mut().for_each(f),
        ExprKind::ListComp { list, .. } | ExprKind::Quantifier { list, .. } => f(list),
        ExprKind::MapProj { items, .. } => {
            for item in items {
                if let MapProjItem::Literal(_, x) = item {
                    f(x);
                }
            }
        }
        _ => {}
    }
}

// ------------------------------------------------------------------ printing the plan

impl Plan {
    /// The plan as text, one step per line, for `:explain` and `skein query --explain`.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                let all = self.union_all.get(i - 1).copied().unwrap_or(false);
                let _ = writeln!(
                    out,
                    "{}",
                    if all {
                        "UnionAll"
                    } else {
                        "Union (distinct rows)"
                    }
                );
            }
            for (n, step) in part.steps.iter().enumerate() {
                let _ = writeln!(out, "{:>2}. {}", n + 1, step.describe());
            }
        }
        let _ = write!(out, "columns: {}", self.columns.join(", "));
        out
    }
}

fn describe_start(part: &PatternPart, start: &Start) -> String {
    let node_text = |i: usize| {
        part.nodes
            .get(i)
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    match start {
        Start::Bound { node } => format!("start at bound node {}", node_text(*node)),
        Start::NameIndex { node, label, name } => format!(
            "NodeByNameIndex {} (label {}, name {name})",
            node_text(*node),
            label.as_deref().unwrap_or("any")
        ),
        Start::Label { node, label } => format!("NodeByLabelScan {} (:{label})", node_text(*node)),
        Start::RelType { rel, rel_type } => format!(
            "RelationshipByTypeScan {} (:{rel_type})",
            part.rels
                .get(*rel)
                .map(ToString::to_string)
                .unwrap_or_default()
        ),
        Start::AllNodes { node } => format!("AllNodesScan {}", node_text(*node)),
    }
}

impl Step {
    pub fn describe(&self) -> String {
        match &self.op {
            Op::Match {
                optional,
                parts,
                starts,
                filter,
            } => {
                let mut s = String::from(if *optional { "OptionalMatch" } else { "Match" });
                for (part, start) in parts.iter().zip(starts) {
                    let expand = if part.shortest.is_some() {
                        "ShortestPath (breadth-first)"
                    } else if part.rels.is_empty() {
                        "no expansion"
                    } else if part.rels.iter().any(|r| r.range.is_some()) {
                        "VarLengthExpand"
                    } else {
                        "Expand"
                    };
                    let _ = write!(s, " {part} [{}; {expand}]", describe_start(part, start));
                }
                if let Some(f) = filter {
                    let _ = write!(s, " Filter {f}");
                }
                s
            }
            Op::Unwind { expr } => format!(
                "Unwind {expr} AS {}",
                self.out.last().cloned().unwrap_or_default()
            ),
            Op::Project(p) => {
                let mut s = String::from(if p.is_return { "Return" } else { "With" });
                if p.aggregates() {
                    s.push_str(" Aggregate");
                }
                if p.distinct {
                    s.push_str(" Distinct");
                }
                let _ = write!(s, " [{}]", self.out.join(", "));
                if !p.order.is_empty() {
                    let keys: Vec<String> = p
                        .order
                        .iter()
                        .map(|(e, d)| format!("{e}{}", if *d { " DESC" } else { "" }))
                        .collect();
                    let _ = write!(s, " Sort [{}]", keys.join(", "));
                }
                if let Some(k) = &p.skip {
                    let _ = write!(s, " Skip {k}");
                }
                if let Some(l) = &p.limit {
                    let _ = write!(s, " Limit {l}");
                }
                if let Some(f) = &p.filter {
                    let _ = write!(s, " Filter {f}");
                }
                s
            }
            Op::Create { parts } => {
                let texts: Vec<String> = parts.iter().map(ToString::to_string).collect();
                format!("Create {}", texts.join(", "))
            }
            Op::Merge { part, start, .. } => {
                format!("Merge {part} [{}]", describe_start(part, start))
            }
            Op::Set { items } => {
                let texts: Vec<String> = items.iter().map(ToString::to_string).collect();
                format!("Set {}", texts.join(", "))
            }
            Op::Remove { items } => {
                let texts: Vec<String> = items.iter().map(ToString::to_string).collect();
                format!("Remove {}", texts.join(", "))
            }
            Op::CallSubquery { plan, .. } => {
                format!(
                    "SubqueryCall {{ {} }}",
                    plan.describe().trim().replace('\n', "; ")
                )
            }
            Op::Call(c) => {
                let args: Vec<String> = c.args.iter().map(ToString::to_string).collect();
                format!("ProcedureCall {}({})", c.procedure.name, args.join(", "))
            }
            Op::Delete { detach, exprs } => {
                let texts: Vec<String> = exprs.iter().map(ToString::to_string).collect();
                format!(
                    "{}Delete {}",
                    if *detach { "Detach" } else { "" },
                    texts.join(", ")
                )
            }
        }
    }
}

/// Patterns in MATCH and MERGE take property maps, not a parameter standing for one.
fn check_no_param_props(pattern: &[PatternPart]) -> Result<()> {
    for part in pattern {
        let props = part
            .nodes
            .iter()
            .filter_map(|n| n.props.as_ref())
            .chain(part.rels.iter().filter_map(|r| r.props.as_ref()));
        for p in props {
            if matches!(p.kind, ExprKind::Param(_)) {
                return Err(syntax(
                    "InvalidParameterUse",
                    p.span,
                    "a parameter cannot stand for the property map of a pattern to match",
                )
                .with_hint("write the properties out, as in {name: $name}"));
            }
        }
    }
    Ok(())
}

/// A literal SKIP or LIMIT must be a non-negative integer.
fn check_count_literal(e: &Expr, what: &str) -> Result<()> {
    match &e.kind {
        ExprKind::Int(i) if *i < 0 => Err(syntax(
            "NegativeIntegerArgument",
            e.span,
            format!("{what} needs a number that is not negative"),
        )),
        ExprKind::Unary(UnaryOp::Neg, inner) if matches!(inner.kind, ExprKind::Int(i) if i > 0) => {
            Err(syntax(
                "NegativeIntegerArgument",
                e.span,
                format!("{what} needs a number that is not negative"),
            ))
        }
        ExprKind::Float(_) | ExprKind::Str(_) | ExprKind::Bool(_) | ExprKind::List(_) => {
            Err(syntax(
                "InvalidArgumentType",
                e.span,
                format!("{what} needs an integer"),
            ))
        }
        _ => Ok(()),
    }
}

/// In an aggregating item, a variable outside the aggregates must be a projected key.
fn check_grouping_vars(
    e: &Expr,
    keys: &[&str],
    kept: &[&str],
    key_props: &[String],
    locals: &mut Vec<String>,
) -> Result<()> {
    if is_property_chain(e) && key_props.contains(&e.to_string()) {
        return Ok(());
    }
    match &e.kind {
        ExprKind::CountStar | ExprKind::AggRef(_) => return Ok(()),
        ExprKind::Call { name, .. } if agg_func(name).is_some() => return Ok(()),
        ExprKind::Var(v) => {
            if !locals.contains(v) && !keys.contains(&v.as_str()) && !kept.contains(&v.as_str()) {
                return Err(syntax(
                    "AmbiguousAggregationExpression",
                    e.span,
                    format!(
                        "`{v}` is used next to an aggregate but is not one of the grouping keys; return it on its own too"
                    ),
                ));
            }
            return Ok(());
        }
        ExprKind::ListComp { var, .. } | ExprKind::Quantifier { var, .. } => {
            locals.push(var.clone());
            let r = e
                .children()
                .into_iter()
                .try_for_each(|c| check_grouping_vars(c, keys, kept, key_props, locals));
            locals.pop();
            return r;
        }
        _ => {}
    }
    e.children()
        .into_iter()
        .try_for_each(|c| check_grouping_vars(c, keys, kept, key_props, locals))
}

/// `v.a.b`: a property read from a variable.
fn is_property_chain(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Property(base, _) => {
            matches!(base.kind, ExprKind::Var(_)) || is_property_chain(base)
        }
        _ => false,
    }
}

/// The scope seen inside a quantifier: `var` first, with the kind of the list's elements
/// when the list is a literal whose elements all have one known kind.
fn element_scope(var: &str, list: &Expr, scope: &Scope) -> Scope {
    let kind = match &list.kind {
        ExprKind::List(items) if !items.is_empty() => {
            let first = static_kind(&items[0], scope);
            if items.iter().all(|i| static_kind(i, scope) == first) {
                first
            } else {
                VarKind::Any
            }
        }
        _ => VarKind::Any,
    };
    let mut inner = Scope {
        vars: vec![(var.to_string(), kind)],
    };
    inner
        .vars
        .extend(scope.vars.iter().filter(|(n, _)| n != var).cloned());
    inner
}

/// What an expression is known to produce before running it.
fn static_kind(e: &Expr, scope: &Scope) -> VarKind {
    match &e.kind {
        ExprKind::Bool(_)
        | ExprKind::Compare(..)
        | ExprKind::IsNull(..)
        | ExprKind::HasLabels(..)
        | ExprKind::Quantifier { .. }
        | ExprKind::Pattern(_)
        | ExprKind::Unary(UnaryOp::Not, _) => VarKind::Bool,
        ExprKind::Binary(op, a, b) => match op {
            BinaryOp::And
            | BinaryOp::Or
            | BinaryOp::Xor
            | BinaryOp::In
            | BinaryOp::StartsWith
            | BinaryOp::EndsWith
            | BinaryOp::Contains
            | BinaryOp::Regex => VarKind::Bool,
            _ => match (static_kind(a, scope), static_kind(b, scope)) {
                (VarKind::Number, VarKind::Number) => VarKind::Number,
                _ => VarKind::Any,
            },
        },
        ExprKind::Int(_) | ExprKind::Float(_) => VarKind::Number,
        ExprKind::Subquery { kind, .. } => match kind {
            SubqueryKind::Exists => VarKind::Bool,
            SubqueryKind::Count => VarKind::Number,
            SubqueryKind::Collect => VarKind::List,
        },
        ExprKind::Unary(_, x) if static_kind(x, scope) == VarKind::Number => VarKind::Number,
        ExprKind::Str(_) => VarKind::Str,
        ExprKind::List(_) | ExprKind::ListComp { .. } | ExprKind::PatternComp { .. } => {
            VarKind::List
        }
        ExprKind::Map(_) | ExprKind::MapProj { .. } => VarKind::Map,
        ExprKind::Var(v) => scope.get(v).unwrap_or(VarKind::Any),
        _ => VarKind::Any,
    }
}

fn is_scalar_kind(k: VarKind) -> bool {
    matches!(
        k,
        VarKind::Bool | VarKind::Number | VarKind::Str | VarKind::List | VarKind::Map
    )
}

/// Type errors that can be seen without running the query: a number where a boolean must
/// be, a property of a number, `labels` of a path.
fn check_static_types(e: &Expr, scope: &Scope, locals: &[String]) -> Result<()> {
    let kind = |x: &Expr| match &x.kind {
        ExprKind::Var(v) if locals.contains(v) => VarKind::Any,
        _ => static_kind(x, scope),
    };
    let wrong = |x: &Expr, wanted: &str| {
        syntax(
            "InvalidArgumentType",
            x.span,
            format!(
                "expected {wanted} here, but this is a {}",
                kind_name(kind(x))
            ),
        )
    };
    match &e.kind {
        ExprKind::Binary(BinaryOp::And | BinaryOp::Or | BinaryOp::Xor, a, b) => {
            for x in [a, b] {
                let k = kind(x);
                if is_scalar_kind(k) && k != VarKind::Bool {
                    return Err(wrong(x, "a boolean"));
                }
            }
        }
        ExprKind::Unary(UnaryOp::Not, x) => {
            let k = kind(x);
            if is_scalar_kind(k) && k != VarKind::Bool {
                return Err(wrong(x, "a boolean"));
            }
        }
        ExprKind::Binary(
            BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod | BinaryOp::Pow,
            a,
            b,
        ) => {
            for x in [a, b] {
                let k = kind(x);
                if is_scalar_kind(k) && k != VarKind::Number {
                    return Err(wrong(x, "a number"));
                }
            }
        }
        ExprKind::Binary(BinaryOp::In, _, b) => {
            let k = kind(b);
            if is_scalar_kind(k) && k != VarKind::List {
                return Err(wrong(b, "a list"));
            }
        }
        ExprKind::Property(base, _) => {
            let k = kind(base);
            if matches!(k, VarKind::Path | VarKind::RelList) {
                return Err(wrong(base, "a node, relationship or map"));
            }
            if is_scalar_kind(k) && k != VarKind::Map {
                return Err(err(
                    ErrorKind::TypeError,
                    "InvalidArgumentType",
                    base.span,
                    format!("a {} has no properties", kind_name(k)),
                ));
            }
        }
        ExprKind::Call { name, args, .. } if args.len() == 1 => {
            if matches!(args[0].kind, ExprKind::Pattern(_)) && !name.eq_ignore_ascii_case("exists")
            {
                return Err(syntax(
                    "UnexpectedSyntax",
                    args[0].span,
                    format!(
                        "{name} cannot take a pattern; use a pattern comprehension or exists()"
                    ),
                ));
            }
            let k = kind(&args[0]);
            let bad = match name.to_ascii_lowercase().as_str() {
                "labels" => is_scalar_kind(k) || matches!(k, VarKind::Rel | VarKind::Path),
                "type" => is_scalar_kind(k) || matches!(k, VarKind::Node | VarKind::Path),
                "properties" => is_scalar_kind(k) && k != VarKind::Map,
                "length" => matches!(k, VarKind::Node | VarKind::Rel),
                "size" => matches!(k, VarKind::Path),
                _ => false,
            };
            if bad {
                return Err(syntax(
                    "InvalidArgumentType",
                    args[0].span,
                    format!("{name} cannot take a {}", kind_name(k)),
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// A WHERE must be a predicate; a node, number or string there is a mistake.
fn check_predicate(e: &Expr, scope: &Scope) -> Result<()> {
    let k = static_kind(e, scope);
    if k != VarKind::Bool && k != VarKind::Any {
        return Err(syntax(
            "InvalidArgumentType",
            e.span,
            format!("WHERE needs a predicate, but this is a {}", kind_name(k)),
        ));
    }
    Ok(())
}

/// A pattern is a predicate: it may appear in WHERE or exists(), not as a value.
pub fn check_no_bare_pattern(e: &Expr) -> Result<()> {
    match &e.kind {
        ExprKind::Pattern(_) => Err(syntax(
            "UnexpectedSyntax",
            e.span,
            "a pattern can only be used as a predicate in WHERE or exists()",
        )
        .with_hint("use a pattern comprehension, as in [(a)-->(b) | b]")),
        ExprKind::Call { name, .. } if name.eq_ignore_ascii_case("exists") => Ok(()),
        _ => e.children().into_iter().try_for_each(check_no_bare_pattern),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parser::parse_query;

    fn plan_text(text: &str) -> String {
        let q = parse_query(text, 200).unwrap();
        plan(&q, None, &[]).map_or_else(|e| format!("error: {}", e.detail), |p| p.describe())
    }

    #[test]
    fn starts_use_the_name_index_only_for_labelled_names() {
        assert!(plan_text("MATCH (n:Person {name: 'A'}) RETURN n").contains("NodeByNameIndex"));
        assert!(
            plan_text("MATCH (n:Person) WHERE n.name = $x RETURN n").contains("NodeByNameIndex")
        );
        // Unlabelled nodes are not in the name index.
        assert!(plan_text("MATCH (n {name: 'A'}) RETURN n").contains("AllNodesScan"));
        assert!(plan_text("MATCH ()-[r:T]->() RETURN count(r)").contains("RelationshipByTypeScan"));
        assert!(plan_text("MATCH (a:P) MATCH (a)-->(b) RETURN b").contains("start at bound node"));
    }

    #[test]
    fn semantic_errors_have_tck_codes() {
        assert_eq!(plan_text("RETURN x"), "error: UndefinedVariable");
        assert_eq!(
            plan_text("MATCH (n) RETURN n.a + count(*)"),
            "error: AmbiguousAggregationExpression"
        );
        assert_eq!(plan_text("RETURN NOT 1"), "error: InvalidArgumentType");
        assert_eq!(
            plan_text("WITH 1 AS n MATCH (n) RETURN n"),
            "error: VariableTypeConflict"
        );
        assert_eq!(
            plan_text("MATCH (n) RETURN n LIMIT -1"),
            "error: NegativeIntegerArgument"
        );
        assert_eq!(
            plan_text("MATCH (n) RETURN (n)-->()"),
            "error: UnexpectedSyntax"
        );
        assert_eq!(
            plan_text("RETURN 1 AS a, 2 AS a"),
            "error: ColumnNameConflict"
        );
        assert_eq!(
            plan_text("RETURN 1 AS a UNION RETURN 1 AS b"),
            "error: DifferentColumnsInUnion"
        );
    }
}
