//! The query language: a subset of openCypher parsed with pest from `grammar/cypher.pest`,
//! planned and run on the graph store.
//!
//! The entry point is `execute`; each stage (parse, plan, run) has its own entry function and
//! none of them does I/O. A failed query leaves the graph exactly as it was.
//!
//! Code map: `parser` (pest pairs to the `ast`, syntax errors in plain words), `planner`
//! (scopes, aggregation and static type checks with the TCK's error codes; chooses where each
//! pattern starts: bound node, name index, label, relationship type), `matcher` (backtracking
//! pattern search with relationship uniqueness, variable length, shortest paths), `eval`
//! (expressions with null semantics), `functions` (the one table of functions the planner
//! resolves calls against and the evaluator calls), `exec` (steps over rows, writes,
//! streaming aggregation, results), `value` (runtime values and openCypher's orders).

mod ast;
pub mod budget;
mod columns;
mod error;
mod eval;
mod exec;
mod functions;
mod join;
mod matcher;
mod parser;
mod planner;
mod result;
mod shortest;
mod temporal;
mod undo;
mod usage;
mod value;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

pub use error::{ErrorKind, Phase, Position, QueryError, Span, position_of};
pub use functions::{
    Function, Param, Procedure, Type as FunctionType, all as function_table,
    procedures as builtin_procedures,
};
pub use result::{NodeValue, PathValue, QueryResult, QueryValue, RelValue, UpdateStats};

use crate::graph::Graph;

/// Bounds that keep one query from exhausting the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of expressions and patterns the parser accepts.
    pub max_nesting: usize,
    /// Longest path a variable-length pattern may walk.
    pub max_path_length: usize,
    /// Most rows any stage of a query may hold.
    pub max_rows: usize,
    /// Most relationships an unbounded variable-length pattern (`[*]`, `[*2..]`) may walk in
    /// one MATCH, on every graph: a small graph has as many trails as a large one has edges.
    pub max_walk_steps: usize,
    /// Most bytes one list, string or map built while the query runs may take (`budget`).
    pub max_memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_nesting: 200,
            max_path_length: 64,
            max_rows: 10_000_000,
            max_walk_steps: 1_000_000,
            max_memory: budget::DEFAULT_MAX_MEMORY,
        }
    }
}

/// How to run one query.
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    /// Values of `$name` parameters.
    pub params: BTreeMap<String, QueryValue>,
    /// Set to true (by a Ctrl-C handler) to cancel the query; it then fails with `Cancelled`.
    pub cancel: Option<Arc<AtomicBool>>,
    pub limits: Limits,
    /// Procedures `CALL` may name besides the built-in ones (`Procedure::table`).
    pub procedures: Vec<Arc<Procedure>>,
}

/// Parses, plans and runs one query on the graph. A query that fails leaves the graph as it
/// was before the query started.
pub fn execute(
    graph: &mut Graph,
    text: &str,
    options: &QueryOptions,
) -> Result<QueryResult, QueryError> {
    with_deep_stack(move || execute_here(graph, text, options))
}

/// A query parsed, planned and checked against its parameters, with the context it runs in:
/// what `execute` and `profile` share, so that PROFILE runs a query exactly as it runs plain.
struct Prepared<'o> {
    plan: planner::Plan,
    writes: bool,
    ctx: eval::Ctx<'o>,
}

fn prepare<'o>(
    graph: &Graph,
    text: &str,
    options: &'o QueryOptions,
) -> Result<Prepared<'o>, QueryError> {
    let query = parse_checked(text, &options.limits)?;
    let plan = planner::plan(&query, Some(graph), &options.procedures)?;
    check_parameters(&query, &options.params)?;
    let params = options
        .params
        .iter()
        .map(|(k, v)| (k.clone(), value::Val::from_query_value(v)))
        .collect();
    let ctx = eval::Ctx::new(params, options.limits, options.cancel.as_deref());
    Ok(Prepared {
        plan,
        writes: writes(&query),
        ctx,
    })
}

impl Prepared<'_> {
    /// Writes are applied as they go and recorded in the undo log; if the query fails (or is
    /// cancelled) the log is replayed backwards, so that a failed query never leaves half its
    /// changes behind, without ever copying the graph.
    fn undo_after(&self, graph: &mut Graph, mut e: QueryError) -> QueryError {
        if self.writes
            && let Err(why) = self.ctx.undo.rollback(graph)
        {
            e.message = format!("{}; undoing its changes then failed too ({why})", e.message);
        }
        e
    }
}

fn execute_here(
    graph: &mut Graph,
    text: &str,
    options: &QueryOptions,
) -> Result<QueryResult, QueryError> {
    let prepared = prepare(graph, text, options)?;
    exec::run(&prepared.plan, graph, &prepared.ctx).map_err(|e| prepared.undo_after(graph, e))
}

/// Parses a query and prints its logical plan, one step per line.
pub fn explain(text: &str) -> Result<String, QueryError> {
    let limits = Limits::default();
    with_deep_stack(move || {
        let query = parse_checked(text, &limits)?;
        let plan = planner::plan(&query, None, &[])?;
        let ops = exec::describe_operators(&plan, &limits, &[]);
        Ok(if ops.is_empty() {
            plan.describe()
        } else {
            format!("{}\n{}", plan.describe(), ops.trim_end())
        })
    })
}

/// Runs a query (changes included) and returns its result with the plan annotated with
/// each step's rows and time, as Neo4j's PROFILE does.
pub fn profile(
    graph: &mut Graph,
    text: &str,
    options: &QueryOptions,
) -> Result<(QueryResult, String), QueryError> {
    with_deep_stack(move || {
        let mut prepared = prepare(graph, text, options)?;
        prepared.ctx.operator_profiles = Some(std::cell::RefCell::new(Vec::new()));
        let (result, steps) = exec::run_profiled(&prepared.plan, graph, &prepared.ctx)
            .map_err(|e| prepared.undo_after(graph, e))?;
        let plan = &prepared.plan;
        let mut text = String::new();
        for (pi, part) in plan.parts.iter().enumerate() {
            for (si, step) in part.steps.iter().enumerate() {
                let measured = steps.iter().find(|p| p.part == pi && p.step == si);
                let figures = match measured {
                    Some(p) => format!("{} rows, {:.3} ms", p.rows, p.time.as_secs_f64() * 1000.0),
                    None => "streamed into the next step".to_string(),
                };
                text.push_str(&format!(
                    "{:>2}. {}  [{figures}]\n",
                    si + 1,
                    step.describe()
                ));
            }
        }
        let measured = prepared
            .ctx
            .operator_profiles
            .as_ref()
            .map(|m| m.borrow().clone())
            .unwrap_or_default();
        text.push_str(exec::describe_operators(plan, &options.limits, &measured).trim_end());
        let adj = graph.adjacency();
        text.push_str(&format!(
            "\nadjacency snapshot: {:.1} MiB, {:.1} bytes per edge",
            adj.bytes() as f64 / (1024.0 * 1024.0),
            adj.bytes() as f64 / graph.edge_count().max(1) as f64
        ));
        Ok((result, text.trim_end().to_string()))
    })
}

/// Parses a query and prints it back as canonical Cypher (keywords upper case, operators
/// parenthesised); printing then parsing gives the same tree.
pub fn canonical(text: &str) -> Result<String, QueryError> {
    let limits = Limits::default();
    with_deep_stack(move || Ok(parse_checked(text, &limits)?.to_string()))
}

/// Parses a Cypher literal (`'text'`, `42`, `-1.5`, `true`, `null`, `[1, 2]`, `{a: 1}`), as
/// given to `--param name=value` and `:param`.
pub fn parse_value(text: &str) -> Result<QueryValue, QueryError> {
    let limits = Limits::default();
    with_deep_stack(move || {
        let expr = parser::parse_expression(text, limits.max_nesting)?;
        check_depth(&expr, limits.max_nesting * 10)?;
        literal_value(&expr)
    })
}

/// Every keyword of the query language, upper case, for completion in the REPL.
pub const KEYWORDS: &[&str] = &[
    "ALL",
    "ALLSHORTESTPATHS",
    "AND",
    "ANY",
    "AS",
    "ASC",
    "ASCENDING",
    "BY",
    "CALL",
    "CASE",
    "CONTAINS",
    "COUNT",
    "CREATE",
    "DELETE",
    "DESC",
    "DESCENDING",
    "DETACH",
    "DISTINCT",
    "ELSE",
    "END",
    "ENDS",
    "EXISTS",
    "EXPLAIN",
    "FALSE",
    "FUNCTIONS",
    "IN",
    "IS",
    "LIMIT",
    "MATCH",
    "MERGE",
    "NONE",
    "NOT",
    "NULL",
    "ON",
    "OPTIONAL",
    "OR",
    "ORDER",
    "PROCEDURES",
    "PROFILE",
    "REMOVE",
    "RETURN",
    "SET",
    "SHORTESTPATH",
    "SHOW",
    "SINGLE",
    "SKIP",
    "STARTS",
    "THEN",
    "TRUE",
    "UNION",
    "UNWIND",
    "WHEN",
    "WHERE",
    "WITH",
    "XOR",
    "YIELD",
];

/// Words that cannot name a variable without backquotes.
const RESERVED: &[&str] = &[
    "ALL",
    "AND",
    "AS",
    "ASC",
    "ASCENDING",
    "BY",
    "CASE",
    "CONTAINS",
    "CREATE",
    "DELETE",
    "DESC",
    "DESCENDING",
    "DETACH",
    "DISTINCT",
    "ELSE",
    "END",
    "ENDS",
    "FALSE",
    "IN",
    "IS",
    "LIMIT",
    "MATCH",
    "MERGE",
    "NOT",
    "NULL",
    "ON",
    "OPTIONAL",
    "OR",
    "ORDER",
    "REMOVE",
    "RETURN",
    "SET",
    "SKIP",
    "STARTS",
    "THEN",
    "TRUE",
    "UNION",
    "UNWIND",
    "WHEN",
    "WHERE",
    "WITH",
    "XOR",
];

pub(crate) fn is_reserved(word: &str) -> bool {
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(word))
}

/// Runs `f` on a thread with a large stack: parsing and evaluation recurse once per level of
/// nesting, and the bounds on nesting are set so that this stack always suffices.
fn with_deep_stack<T: Send>(
    f: impl FnOnce() -> Result<T, QueryError> + Send,
) -> Result<T, QueryError> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("skein-query".into())
            .stack_size(256 << 20)
            .spawn_scoped(scope, f);
        match handle {
            Ok(h) => h.join().unwrap_or_else(|_| {
                Err(QueryError::new(
                    ErrorKind::LimitExceeded,
                    Phase::Runtime,
                    "InternalError",
                    "the query engine failed unexpectedly; please report this query",
                ))
            }),
            Err(e) => Err(QueryError::new(
                ErrorKind::LimitExceeded,
                Phase::Runtime,
                "ResourceExhausted",
                format!("could not start the query: {e}"),
            )),
        }
    })
}

fn parse_checked(text: &str, limits: &Limits) -> Result<ast::Query, QueryError> {
    let query = parser::parse_query(text, limits.max_nesting)?;
    let mut result = Ok(());
    visit_exprs(&query, &mut |e| {
        if result.is_ok() {
            result = check_depth(e, limits.max_nesting * 10);
        }
    });
    result?;
    Ok(query)
}

/// Refuses expressions nested deeper than `max` (long operator chains nest too).
fn check_depth(e: &ast::Expr, max: usize) -> Result<(), QueryError> {
    fn walk(e: &ast::Expr, depth: usize, max: usize) -> Result<(), QueryError> {
        if depth > max {
            return Err(QueryError::new(
                ErrorKind::LimitExceeded,
                Phase::Compile,
                "NestingTooDeep",
                format!("the expression nests more than {max} levels deep"),
            )
            .with_span(e.span)
            .with_hint("split it into several WITH steps"));
        }
        e.children()
            .into_iter()
            .try_for_each(|c| walk(c, depth + 1, max))
    }
    walk(e, 0, max)
}

fn writes(query: &ast::Query) -> bool {
    query
        .parts
        .iter()
        .flat_map(|p| &p.clauses)
        .any(|c| c.kind.is_update())
}

fn check_parameters(
    query: &ast::Query,
    params: &BTreeMap<String, QueryValue>,
) -> Result<(), QueryError> {
    let mut missing = None;
    visit_exprs(query, &mut |e| {
        walk_params(e, &mut |name, span| {
            if missing.is_none() && !params.contains_key(name) {
                missing = Some((name.to_string(), span));
            }
        })
    });
    match missing {
        None => Ok(()),
        Some((name, span)) => Err(QueryError::new(
            ErrorKind::ParameterMissing,
            Phase::Compile,
            "MissingParameter",
            format!("the parameter ${name} has no value"),
        )
        .with_span(span)
        .with_hint(format!(
            "pass it with --param {name}=VALUE or :param {name} VALUE"
        ))),
    }
}

fn walk_params(e: &ast::Expr, f: &mut dyn FnMut(&str, Span)) {
    if let ast::ExprKind::Param(name) = &e.kind {
        f(name, e.span);
    }
    for c in e.children() {
        walk_params(c, f);
    }
}

/// Calls `f` on every top-level expression of a query.
fn visit_exprs(query: &ast::Query, f: &mut dyn FnMut(&ast::Expr)) {
    for clause in query.parts.iter().flat_map(|p| &p.clauses) {
        clause.kind.exprs().into_iter().for_each(&mut *f);
    }
}

/// The value of a literal expression; anything that needs a row or the graph is refused.
fn literal_value(e: &ast::Expr) -> Result<QueryValue, QueryError> {
    use ast::{ExprKind, UnaryOp};
    Ok(match &e.kind {
        ExprKind::Null => QueryValue::Null,
        ExprKind::Bool(b) => QueryValue::Bool(*b),
        ExprKind::Int(i) => QueryValue::Int(*i),
        ExprKind::Float(f) => QueryValue::Float(*f),
        ExprKind::Str(s) => QueryValue::String(s.clone()),
        ExprKind::List(items) => {
            QueryValue::List(items.iter().map(literal_value).collect::<Result<_, _>>()?)
        }
        ExprKind::Map(entries) => QueryValue::Map(
            entries
                .iter()
                .map(|(k, v)| Ok((k.clone(), literal_value(v)?)))
                .collect::<Result<_, QueryError>>()?,
        ),
        ExprKind::Unary(UnaryOp::Neg, inner) => match literal_value(inner)? {
            QueryValue::Int(i) => QueryValue::Int(i.checked_neg().ok_or_else(|| {
                QueryError::new(
                    ErrorKind::SyntaxError,
                    Phase::Compile,
                    "IntegerOverflow",
                    "the integer is too large",
                )
                .with_span(e.span)
            })?),
            QueryValue::Float(f) => QueryValue::Float(-f),
            _ => return Err(not_literal(e.span)),
        },
        ExprKind::Unary(UnaryOp::Pos, inner) => match literal_value(inner)? {
            v @ (QueryValue::Int(_) | QueryValue::Float(_)) => v,
            _ => return Err(not_literal(e.span)),
        },
        _ => return Err(not_literal(e.span)),
    })
}

fn not_literal(span: Span) -> QueryError {
    QueryError::new(
        ErrorKind::SyntaxError,
        Phase::Compile,
        "InvalidParameterValue",
        "a parameter value must be a literal: a string, number, boolean, null, list or map",
    )
    .with_span(span)
    .with_hint("quote text values, as in name='Vladimir Putin'")
}
