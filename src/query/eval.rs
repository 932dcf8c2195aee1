//! Expression evaluation with openCypher's null semantics: three-valued logic, null
//! propagation, checked integer arithmetic, and the scalar functions.
//!
//! Evaluation only reads the graph; it never changes it and never panics on a value.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use regex::Regex;

use super::Limits;
use super::ast::*;
use super::budget;
use super::error::{ErrorKind, Phase, QueryError, Span};
use super::functions::{self, FuncId, Imp};
use super::matcher;
use super::value::{Val, compare, equals};
use crate::graph::Graph;

pub type Result<T> = std::result::Result<T, QueryError>;

/// What every evaluation needs besides the row: parameters, limits, the cancel flag.
pub struct Ctx<'a> {
    pub params: BTreeMap<String, Val>,
    pub limits: Limits,
    pub cancel: Option<&'a AtomicBool>,
    /// Every change the query makes to the graph, so that a failure can reverse them.
    pub undo: super::undo::UndoLog,
    /// What the query's rows and collected values hold, against `limits.max_memory`.
    pub held: budget::Meter,
    regexes: RefCell<HashMap<String, Regex>>,
    /// When the statement started: what `date()`, `datetime.statement()` and their
    /// siblings read, so that every row of one statement sees the same time.
    pub clock: jiff::Timestamp,
    /// Under PROFILE: each pattern-join's operators with their rows and times, by the span
    /// of its MATCH clause, filled as the MATCH steps run.
    pub operator_profiles: Option<RefCell<Vec<(super::error::Span, String)>>>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        params: BTreeMap<String, Val>,
        limits: Limits,
        cancel: Option<&'a AtomicBool>,
    ) -> Self {
        Ctx {
            params,
            limits,
            cancel,
            undo: super::undo::UndoLog::default(),
            held: budget::Meter::new(limits.max_memory),
            regexes: RefCell::new(HashMap::new()),
            clock: jiff::Timestamp::now(),
            operator_profiles: None,
        }
    }

    /// Refuses a new value of `bytes` bytes when, with what the query holds already (its
    /// rows, collected values and the elements of lists still being built), it would go over
    /// the memory limit: so a value is refused before it is built, not after.
    pub fn check_new_value(&self, bytes: usize, span: Span) -> Result<()> {
        budget::check(
            bytes.saturating_add(self.held.used()),
            self.limits.max_memory,
            span,
        )
    }

    /// Fails with `Cancelled` once the user asked to stop.
    pub fn check_cancel(&self) -> Result<()> {
        if let Some(flag) = self.cancel
            && flag.load(std::sync::atomic::Ordering::Relaxed)
        {
            return Err(QueryError::new(
                ErrorKind::Cancelled,
                Phase::Runtime,
                "",
                "the query was cancelled",
            ));
        }
        Ok(())
    }

    fn regex(&self, pattern: &str, span: Span) -> Result<Regex> {
        if let Some(r) = self.regexes.borrow().get(pattern) {
            return Ok(r.clone());
        }
        let re = Regex::new(&format!("^(?:{pattern})$")).map_err(|e| {
            runtime(
                ErrorKind::ArgumentError,
                "InvalidArgumentValue",
                span,
                format!("invalid regular expression: {e}"),
            )
        })?;
        self.regexes
            .borrow_mut()
            .insert(pattern.to_string(), re.clone());
        Ok(re)
    }
}

/// The variables visible to an expression: a row by name, an optional enclosing scope, and
/// the aggregate values of the current group.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub names: &'a [String],
    pub vals: &'a [Val],
    pub parent: Option<&'a Env<'a>>,
    pub aggs: &'a [Val],
}

impl<'a> Env<'a> {
    pub fn new(names: &'a [String], vals: &'a [Val]) -> Self {
        Env {
            names,
            vals,
            parent: None,
            aggs: &[],
        }
    }

    pub fn get(&self, name: &str) -> Option<&'a Val> {
        if let Some(i) = self.names.iter().rposition(|n| n == name) {
            return self.vals.get(i);
        }
        self.parent.and_then(|p| p.get(name))
    }

    fn agg(&self, i: usize) -> Option<&'a Val> {
        self.aggs
            .get(i)
            .or_else(|| self.parent.and_then(|p| p.agg(i)))
    }
}

pub fn runtime(
    kind: ErrorKind,
    detail: &'static str,
    span: Span,
    msg: impl Into<String>,
) -> QueryError {
    QueryError::new(kind, Phase::Runtime, detail, msg).with_span(span)
}

fn type_error(span: Span, msg: impl Into<String>) -> QueryError {
    runtime(ErrorKind::TypeError, "InvalidArgumentType", span, msg)
}

/// The truth of a predicate: `None` for null, an error for a non-boolean.
pub fn truth(v: &Val, span: Span) -> Result<Option<bool>> {
    match v {
        Val::Null => Ok(None),
        Val::Bool(b) => Ok(Some(*b)),
        other => Err(type_error(
            span,
            format!("expected a boolean, got {}", other.type_name()),
        )),
    }
}

/// Evaluates an expression; every list, string and map it builds is held to the query's
/// memory budget (`budget`), so that no expression can take all the machine's memory.
pub fn eval(e: &Expr, env: &Env<'_>, g: &Graph, ctx: &Ctx<'_>) -> Result<Val> {
    let v = eval_unchecked(e, env, g, ctx)?;
    if matches!(v, Val::List(_) | Val::Str(_) | Val::Map(_)) {
        budget::check(budget::held_bytes(&v), ctx.limits.max_memory, e.span)?;
    }
    Ok(v)
}

/// Adds one element's bytes to a list being built and refuses the list once it is over the
/// budget, before the rest of it is built. The elements are held on the query's meter while
/// the list is built, so that a value made for the next element (`[x IN l | range(1, n)]`)
/// sees them; `finish_list` gives them back.
fn charge_element(bytes: &mut usize, item: &Val, ctx: &Ctx<'_>, span: Span) -> Result<()> {
    let added = budget::list_bytes(1).saturating_add(budget::held_bytes(item));
    *bytes = bytes.saturating_add(added);
    ctx.held.add_unchecked(added);
    ctx.check_new_value(0, span)
}

/// Ends a list whose elements `charge_element` held: the list is a value now, which `eval`
/// checks as a whole.
fn finish_list(bytes: usize, out: Vec<Val>, ctx: &Ctx<'_>) -> Val {
    ctx.held.release(bytes);
    Val::List(out.into())
}

fn eval_unchecked(e: &Expr, env: &Env<'_>, g: &Graph, ctx: &Ctx<'_>) -> Result<Val> {
    Ok(match &e.kind {
        ExprKind::Null => Val::Null,
        ExprKind::Bool(b) => Val::Bool(*b),
        ExprKind::Int(i) => Val::Int(*i),
        ExprKind::Float(f) => Val::Float(*f),
        ExprKind::Str(s) => Val::Str(s.clone()),
        ExprKind::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut bytes = 0;
            for x in items {
                let item = eval(x, env, g, ctx)?;
                charge_element(&mut bytes, &item, ctx, e.span)?;
                out.push(item);
            }
            finish_list(bytes, out, ctx)
        }
        ExprKind::Map(entries) => {
            let mut m = BTreeMap::new();
            for (k, x) in entries {
                m.insert(k.clone(), eval(x, env, g, ctx)?);
            }
            Val::Map(m)
        }
        ExprKind::Param(name) => match ctx.params.get(name) {
            Some(v) => v.clone(),
            None => {
                return Err(QueryError::new(
                    ErrorKind::ParameterMissing,
                    Phase::Compile,
                    "MissingParameter",
                    format!("the parameter ${name} has no value"),
                )
                .with_span(e.span)
                .with_hint(format!(
                    "pass it with --param {name}=VALUE or :param {name} VALUE"
                )));
            }
        },
        ExprKind::Var(name) => env.get(name).cloned().unwrap_or(Val::Null),
        ExprKind::AggRef(i) => env.agg(*i).cloned().unwrap_or(Val::Null),
        ExprKind::Property(base, key) => {
            let b = eval(base, env, g, ctx)?;
            property(&b, key, g, e.span)?
        }
        ExprKind::Index(base, idx) => {
            let b = eval(base, env, g, ctx)?;
            let i = eval(idx, env, g, ctx)?;
            index(&b, &i, g, e.span)?
        }
        ExprKind::Slice(base, from, to) => {
            let b = eval(base, env, g, ctx)?;
            let from = from.as_ref().map(|x| eval(x, env, g, ctx)).transpose()?;
            let to = to.as_ref().map(|x| eval(x, env, g, ctx)).transpose()?;
            slice(&b, from, to, e.span)?
        }
        ExprKind::HasLabels(base, labels) => match eval(base, env, g, ctx)? {
            Val::Null => Val::Null,
            Val::Node(id) => match g.node(id) {
                Some(n) => Val::Bool(labels.iter().all(|l| n.has_label(l))),
                None => Val::Null,
            },
            other => {
                return Err(type_error(
                    e.span,
                    format!(
                        "labels can only be tested on a node, not {}",
                        other.type_name()
                    ),
                ));
            }
        },
        ExprKind::Unary(op, x) => {
            let v = eval(x, env, g, ctx)?;
            match op {
                UnaryOp::Not => match truth(&v, x.span)? {
                    None => Val::Null,
                    Some(b) => Val::Bool(!b),
                },
                UnaryOp::Neg => match v {
                    Val::Null => Val::Null,
                    Val::Int(i) => Val::Int(i.checked_neg().ok_or_else(|| overflow(e.span))?),
                    Val::Float(f) => Val::Float(-f),
                    other => {
                        return Err(type_error(
                            e.span,
                            format!("cannot negate {}", other.type_name()),
                        ));
                    }
                },
                UnaryOp::Pos => match v {
                    Val::Null | Val::Int(_) | Val::Float(_) => v,
                    other => {
                        return Err(type_error(
                            e.span,
                            format!("unary + needs a number, not {}", other.type_name()),
                        ));
                    }
                },
            }
        }
        ExprKind::Binary(op, a, b) => binary(*op, a, b, env, g, ctx, e.span)?,
        ExprKind::Compare(first, rest) => {
            let mut left = eval(first, env, g, ctx)?;
            let mut result = Some(true);
            for (op, x) in rest {
                let right = eval(x, env, g, ctx)?;
                let r = compare_op(*op, &left, &right);
                result = and3(result, r);
                if result == Some(false) {
                    return Ok(Val::Bool(false));
                }
                left = right;
            }
            result.map_or(Val::Null, Val::Bool)
        }
        ExprKind::IsNull(x, negated) => {
            let v = eval(x, env, g, ctx)?;
            Val::Bool(v.is_null() != *negated)
        }
        ExprKind::Case {
            operand,
            whens,
            otherwise,
        } => {
            let subject = operand.as_ref().map(|o| eval(o, env, g, ctx)).transpose()?;
            for (w, t) in whens {
                let wv = eval(w, env, g, ctx)?;
                let hit = match &subject {
                    Some(s) => equals(s, &wv) == Some(true),
                    None => truth(&wv, w.span)? == Some(true),
                };
                if hit {
                    return eval(t, env, g, ctx);
                }
            }
            match otherwise {
                Some(o) => eval(o, env, g, ctx)?,
                None => Val::Null,
            }
        }
        ExprKind::CountStar => {
            return Err(runtime(
                ErrorKind::SemanticError,
                "InvalidAggregation",
                e.span,
                "count(*) cannot be used here",
            ));
        }
        ExprKind::Call {
            name, args, func, ..
        } => call(name, *func, args, env, g, ctx, e.span)?,
        ExprKind::ListComp {
            var,
            list,
            filter,
            map,
        } => {
            let items = match eval(list, env, g, ctx)? {
                Val::Null => return Ok(Val::Null),
                Val::List(items) => items,
                other => {
                    return Err(type_error(
                        list.span,
                        format!("expected a list, got {}", other.type_name()),
                    ));
                }
            };
            let names = [var.clone()];
            let mut out = Vec::new();
            let mut bytes = 0;
            for item in items {
                let vals = [item];
                let inner = Env {
                    names: &names,
                    vals: &vals,
                    parent: Some(env),
                    aggs: &[],
                };
                if let Some(f) = filter
                    && truth(&eval(f, &inner, g, ctx)?, f.span)? != Some(true)
                {
                    continue;
                }
                let item = match map {
                    Some(m) => eval(m, &inner, g, ctx)?,
                    None => vals.into_iter().next().unwrap_or(Val::Null),
                };
                charge_element(&mut bytes, &item, ctx, e.span)?;
                out.push(item);
            }
            finish_list(bytes, out, ctx)
        }
        ExprKind::Quantifier {
            kind,
            var,
            list,
            filter,
        } => {
            let items = match eval(list, env, g, ctx)? {
                Val::Null => return Ok(Val::Null),
                Val::List(items) => items,
                other => {
                    return Err(type_error(
                        list.span,
                        format!("expected a list, got {}", other.type_name()),
                    ));
                }
            };
            let names = [var.clone()];
            let (mut trues, mut nulls) = (0usize, 0usize);
            let n = items.len();
            for item in items {
                let vals = [item];
                let inner = Env {
                    names: &names,
                    vals: &vals,
                    parent: Some(env),
                    aggs: &[],
                };
                let t = match filter {
                    Some(f) => truth(&eval(f, &inner, g, ctx)?, f.span)?,
                    None => Some(true),
                };
                match t {
                    Some(true) => trues += 1,
                    None => nulls += 1,
                    Some(false) => {}
                }
            }
            let falses = n - trues - nulls;
            // An element that settles the answer wins; otherwise a null leaves it unknown.
            let settled = |decisive: bool, answer: bool, otherwise: bool| {
                if decisive {
                    Some(answer)
                } else if nulls > 0 {
                    None
                } else {
                    Some(otherwise)
                }
            };
            let r = match kind {
                QuantifierKind::All => settled(falses > 0, false, true),
                QuantifierKind::Any => settled(trues > 0, true, false),
                QuantifierKind::None => settled(trues > 0, false, true),
                QuantifierKind::Single => settled(trues > 1, false, trues == 1),
            };
            r.map_or(Val::Null, Val::Bool)
        }
        ExprKind::Pattern(part) => Val::Bool(matcher::pattern_exists(part, env, g, ctx)?),
        ExprKind::Subquery {
            kind, query, plan, ..
        } => subquery(*kind, query, plan, env, g, ctx, e.span)?,
        ExprKind::PatternComp { part, filter, map } => {
            let rows = matcher::pattern_rows(part, env, g, ctx)?;
            let mut out = Vec::with_capacity(rows.1.len());
            let mut bytes = 0;
            for row in &rows.1 {
                let inner = Env {
                    names: &rows.0,
                    vals: row,
                    parent: Some(env),
                    aggs: &[],
                };
                if let Some(f) = filter
                    && truth(&eval(f, &inner, g, ctx)?, f.span)? != Some(true)
                {
                    continue;
                }
                let item = eval(map, &inner, g, ctx)?;
                charge_element(&mut bytes, &item, ctx, e.span)?;
                out.push(item);
            }
            finish_list(bytes, out, ctx)
        }
        ExprKind::MapProj { var, items } => {
            let base = env.get(var).cloned().unwrap_or(Val::Null);
            if base.is_null() {
                return Ok(Val::Null);
            }
            let mut m = BTreeMap::new();
            for item in items {
                match item {
                    MapProjItem::All => {
                        if let Val::Map(all) = properties_of(&base, g, e.span)? {
                            m.extend(all);
                        }
                    }
                    MapProjItem::Property(k) => {
                        m.insert(k.clone(), property(&base, k, g, e.span)?);
                    }
                    MapProjItem::Literal(k, x) => {
                        m.insert(k.clone(), eval(x, env, g, ctx)?);
                    }
                    MapProjItem::Variable(v) => {
                        m.insert(v.clone(), env.get(v).cloned().unwrap_or(Val::Null));
                    }
                }
            }
            Val::Map(m)
        }
    })
}

pub(super) fn overflow(span: Span) -> QueryError {
    runtime(
        ErrorKind::ArgumentError,
        "IntegerOverflow",
        span,
        "integer arithmetic overflowed the 64-bit range",
    )
}

/// Three-valued AND.
pub(super) fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

pub fn compare_op(op: CompareOp, a: &Val, b: &Val) -> Option<bool> {
    match op {
        CompareOp::Eq => equals(a, b),
        CompareOp::Ne => equals(a, b).map(|x| !x),
        _ => {
            if a.is_null() || b.is_null() {
                return None;
            }
            // NaN is unordered: every ordering comparison with it is false.
            let nan = |v: &Val| matches!(v, Val::Float(f) if f.is_nan());
            if (nan(a) || nan(b))
                && matches!(a, Val::Int(_) | Val::Float(_))
                && matches!(b, Val::Int(_) | Val::Float(_))
            {
                return Some(false);
            }
            let o = compare(a, b)?;
            Some(match op {
                CompareOp::Lt => o == Ordering::Less,
                CompareOp::Gt => o == Ordering::Greater,
                CompareOp::Le => o != Ordering::Greater,
                _ => o != Ordering::Less,
            })
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn binary(
    op: BinaryOp,
    a: &Expr,
    b: &Expr,
    env: &Env<'_>,
    g: &Graph,
    ctx: &Ctx<'_>,
    span: Span,
) -> Result<Val> {
    if matches!(op, BinaryOp::And | BinaryOp::Or | BinaryOp::Xor) {
        let x = truth(&eval(a, env, g, ctx)?, a.span)?;
        // Short-circuit only where the answer is already known, but still type-check
        // the right side for literals is not needed at runtime.
        if op == BinaryOp::And && x == Some(false) {
            let y = eval(b, env, g, ctx)?;
            truth(&y, b.span)?;
            return Ok(Val::Bool(false));
        }
        if op == BinaryOp::Or && x == Some(true) {
            let y = eval(b, env, g, ctx)?;
            truth(&y, b.span)?;
            return Ok(Val::Bool(true));
        }
        let y = truth(&eval(b, env, g, ctx)?, b.span)?;
        let r = match op {
            BinaryOp::And => and3(x, y),
            BinaryOp::Or => or3(x, y),
            _ => match (x, y) {
                (Some(p), Some(q)) => Some(p != q),
                _ => None,
            },
        };
        return Ok(r.map_or(Val::Null, Val::Bool));
    }
    let x = eval(a, env, g, ctx)?;
    let y = eval(b, env, g, ctx)?;
    match op {
        BinaryOp::In => {
            let items = match y {
                Val::Null => return Ok(Val::Null),
                Val::List(items) => items,
                other => {
                    return Err(type_error(
                        b.span,
                        format!("IN needs a list on its right, not {}", other.type_name()),
                    ));
                }
            };
            let mut unknown = false;
            for item in &items {
                match equals(&x, item) {
                    Some(true) => return Ok(Val::Bool(true)),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            Ok(if unknown { Val::Null } else { Val::Bool(false) })
        }
        BinaryOp::StartsWith | BinaryOp::EndsWith | BinaryOp::Contains => match (&x, &y) {
            (Val::Str(s), Val::Str(t)) => Ok(Val::Bool(match op {
                BinaryOp::StartsWith => s.starts_with(t.as_str()),
                BinaryOp::EndsWith => s.ends_with(t.as_str()),
                _ => s.contains(t.as_str()),
            })),
            _ => Ok(Val::Null),
        },
        BinaryOp::Regex => match (&x, &y) {
            (Val::Str(s), Val::Str(p)) => Ok(Val::Bool(ctx.regex(p, b.span)?.is_match(s))),
            _ => Ok(Val::Null),
        },
        _ => {
            // A concatenation is refused before it is built when its slots or text alone are
            // over the budget (`eval` checks what the elements hold once it is built).
            let joined = match (op, &x, &y) {
                (BinaryOp::Add, Val::List(p), Val::List(q)) => {
                    budget::list_bytes(p.len() + q.len())
                }
                (BinaryOp::Add, Val::Str(p), Val::Str(q)) => p.len() + q.len(),
                _ => 0,
            };
            ctx.check_new_value(joined, span)?;
            arithmetic(op, x, y, span)
        }
    }
}

pub fn arithmetic(op: BinaryOp, x: Val, y: Val, span: Span) -> Result<Val> {
    use Val::*;
    if x.is_null() || y.is_null() {
        return Ok(Null);
    }
    let bad = |x: &Val, y: &Val| {
        type_error(
            span,
            format!(
                "cannot apply {} to {} and {}",
                op.symbol(),
                x.type_name(),
                y.type_name()
            ),
        )
    };
    Ok(match (op, x, y) {
        (BinaryOp::Add, Str(a), Str(b)) => Str(a + &b),
        (BinaryOp::Add, Str(a), b @ (Int(_) | Float(_))) => Str(a + &to_string_val(&b)),
        (BinaryOp::Add, a @ (Int(_) | Float(_)), Str(b)) => Str(to_string_val(&a) + &b),
        (BinaryOp::Add, List(a), List(b)) => {
            // One allocation of the final size: extending a shared list would copy it and
            // then grow the copy, holding up to three times the result's size at once.
            let mut out = Vec::with_capacity(a.len() + b.len());
            out.extend(a.iter().cloned());
            out.extend(b.iter().cloned());
            List(out.into())
        }
        (BinaryOp::Add, List(mut a), b) => {
            a.push(b);
            List(a)
        }
        (BinaryOp::Add, a, List(b)) => {
            let mut out = vec![a];
            out.extend(b);
            List(out.into())
        }
        (BinaryOp::Add, Temporal(t), Duration(d)) | (BinaryOp::Add, Duration(d), Temporal(t)) => {
            Temporal(t.add_duration(&d, false).ok_or_else(|| overflow(span))?)
        }
        (BinaryOp::Sub, Temporal(t), Duration(d)) => {
            Temporal(t.add_duration(&d, true).ok_or_else(|| overflow(span))?)
        }
        (op @ (BinaryOp::Add | BinaryOp::Sub), Duration(a), Duration(b)) => Duration(
            a.add(&b, op == BinaryOp::Sub)
                .ok_or_else(|| overflow(span))?,
        ),
        (BinaryOp::Mul, Duration(d), n @ (Int(_) | Float(_)))
        | (BinaryOp::Mul, n @ (Int(_) | Float(_)), Duration(d)) => {
            Duration(d.scale(num(&n)).ok_or_else(|| overflow(span))?)
        }
        (BinaryOp::Div, Duration(d), n @ (Int(_) | Float(_))) => {
            if num(&n) == 0.0 {
                return Err(runtime(
                    ErrorKind::ArgumentError,
                    "DivisionByZero",
                    span,
                    "division by zero",
                ));
            }
            Duration(d.scale(1.0 / num(&n)).ok_or_else(|| overflow(span))?)
        }
        (op, Int(a), Int(b)) => match op {
            BinaryOp::Add => Int(a.checked_add(b).ok_or_else(|| overflow(span))?),
            BinaryOp::Sub => Int(a.checked_sub(b).ok_or_else(|| overflow(span))?),
            BinaryOp::Mul => Int(a.checked_mul(b).ok_or_else(|| overflow(span))?),
            BinaryOp::Div => {
                if b == 0 {
                    return Err(runtime(
                        ErrorKind::ArgumentError,
                        "DivisionByZero",
                        span,
                        "division by zero",
                    ));
                }
                Int(a.checked_div(b).ok_or_else(|| overflow(span))?)
            }
            BinaryOp::Mod => {
                if b == 0 {
                    return Err(runtime(
                        ErrorKind::ArgumentError,
                        "DivisionByZero",
                        span,
                        "modulo by zero",
                    ));
                }
                // The remainder is always smaller than the divisor; the one case where
                // `checked_rem` fails, `i64::MIN % -1`, is 0 (as in Neo4j), not an overflow.
                Int(a.wrapping_rem(b))
            }
            BinaryOp::Pow => Float((a as f64).powf(b as f64)),
            _ => return Err(bad(&Int(a), &Int(b))),
        },
        (op, a @ (Int(_) | Float(_)), b @ (Int(_) | Float(_))) => {
            let (p, q) = (num(&a), num(&b));
            Float(match op {
                BinaryOp::Add => p + q,
                BinaryOp::Sub => p - q,
                BinaryOp::Mul => p * q,
                BinaryOp::Div => p / q,
                BinaryOp::Mod => p % q,
                BinaryOp::Pow => p.powf(q),
                _ => return Err(bad(&a, &b)),
            })
        }
        (_, a, b) => return Err(bad(&a, &b)),
    })
}

fn num(v: &Val) -> f64 {
    match v {
        Val::Int(i) => *i as f64,
        Val::Float(f) => *f,
        _ => f64::NAN,
    }
}

pub fn property(base: &Val, key: &str, g: &Graph, span: Span) -> Result<Val> {
    Ok(match base {
        Val::Null => Val::Null,
        Val::Node(id) => match g.node(*id) {
            Some(n) => n.props.get(key).map_or(Val::Null, Val::from_value),
            None => return Err(deleted(span)),
        },
        Val::Rel(id) => match g.edge(*id) {
            Some(r) => r.props.get(key).map_or(Val::Null, Val::from_value),
            None => return Err(deleted(span)),
        },
        Val::Map(m) => m.get(key).cloned().unwrap_or(Val::Null),
        Val::Temporal(t) => match super::temporal::temporal_field(t, key) {
            Some(v) => v,
            None => return Err(no_such_field(key, base, span)),
        },
        Val::Duration(d) => match super::temporal::duration_field(d, key) {
            Some(v) => Val::Int(v),
            None => return Err(no_such_field(key, base, span)),
        },
        other => {
            return Err(type_error(
                span,
                format!(
                    "cannot read property `{key}` of {}; only nodes, relationships, maps and temporal values have properties",
                    other.type_name()
                ),
            ));
        }
    })
}

fn no_such_field(key: &str, base: &Val, span: Span) -> QueryError {
    runtime(
        ErrorKind::ArgumentError,
        "InvalidArgumentValue",
        span,
        format!("a {} has no field `{key}`", base.type_name()),
    )
}

pub(super) fn deleted(span: Span) -> QueryError {
    runtime(
        ErrorKind::EntityNotFound,
        "DeletedEntityAccess",
        span,
        "this node or relationship was deleted earlier in the query",
    )
}

fn index(base: &Val, idx: &Val, g: &Graph, span: Span) -> Result<Val> {
    Ok(match (base, idx) {
        (Val::Null, _) | (_, Val::Null) => Val::Null,
        (Val::List(items), Val::Int(i)) => {
            let n = items.len() as i64;
            let i = if *i < 0 { n + i } else { *i };
            if i < 0 || i >= n {
                Val::Null
            } else {
                items[i as usize].clone()
            }
        }
        (Val::List(_), other) => {
            return Err(type_error(
                span,
                format!("a list index must be an integer, not {}", other.type_name()),
            ));
        }
        (Val::Map(_) | Val::Node(_) | Val::Rel(_), Val::Str(k)) => property(base, k, g, span)?,
        (Val::Map(_) | Val::Node(_) | Val::Rel(_), other) => {
            return Err(runtime(
                ErrorKind::TypeError,
                "MapElementAccessByNonString",
                span,
                format!("a map key must be a string, not {}", other.type_name()),
            ));
        }
        (other, _) => {
            return Err(type_error(
                span,
                format!("cannot index into {}", other.type_name()),
            ));
        }
    })
}

fn slice(base: &Val, from: Option<Val>, to: Option<Val>, span: Span) -> Result<Val> {
    let items = match base {
        Val::Null => return Ok(Val::Null),
        Val::List(items) => items,
        other => {
            return Err(type_error(
                span,
                format!("cannot slice {}", other.type_name()),
            ));
        }
    };
    let n = items.len() as i64;
    let bound = |v: Option<Val>, default: i64| -> Result<Option<i64>> {
        match v {
            None => Ok(Some(default)),
            Some(Val::Null) => Ok(None),
            Some(Val::Int(i)) => Ok(Some(if i < 0 { (n + i).max(0) } else { i.min(n) })),
            Some(other) => Err(type_error(
                span,
                format!(
                    "a slice bound must be an integer, not {}",
                    other.type_name()
                ),
            )),
        }
    };
    let (Some(a), Some(b)) = (bound(from, 0)?, bound(to, n)?) else {
        return Ok(Val::Null);
    };
    if a >= b {
        return Ok(Val::List(Vec::new().into()));
    }
    Ok(Val::List(items[a as usize..b as usize].to_vec().into()))
}

pub fn to_string_val(v: &Val) -> String {
    match v {
        Val::Str(s) => s.clone(),
        Val::Int(i) => i.to_string(),
        Val::Float(f) => {
            let mut s = String::new();
            let _ = crate::graph::write_float(&mut s, *f);
            s
        }
        Val::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

pub(super) fn properties_of(v: &Val, g: &Graph, span: Span) -> Result<Val> {
    Ok(match v {
        Val::Null => Val::Null,
        Val::Node(id) => match g.node(*id) {
            Some(n) => Val::Map(
                n.props
                    .iter()
                    .map(|(k, v)| (k.to_string(), Val::from_value(v)))
                    .collect(),
            ),
            None => return Err(deleted(span)),
        },
        Val::Rel(id) => match g.edge(*id) {
            Some(r) => Val::Map(
                r.props
                    .iter()
                    .map(|(k, v)| (k.to_string(), Val::from_value(v)))
                    .collect(),
            ),
            None => return Err(deleted(span)),
        },
        Val::Map(m) => Val::Map(m.clone()),
        other => {
            return Err(type_error(
                span,
                format!("{} has no properties", other.type_name()),
            ));
        }
    })
}

/// Runs a subquery expression for this row: with the planner's plan when every variable it
/// imports is in the row, else (an expression the planner never saw) planned here for the
/// row's variables.
fn subquery(
    kind: SubqueryKind,
    query: &Query,
    cached: &super::planner::SubqueryPlan,
    env: &Env<'_>,
    g: &Graph,
    ctx: &Ctx<'_>,
    span: Span,
) -> Result<Val> {
    let planned = cached.get().and_then(|(names, plan)| {
        let row: Option<Vec<Val>> = names.iter().map(|n| env.get(n).cloned()).collect();
        row.map(|row| (names.clone(), row, Arc::clone(plan)))
    });
    let (names, row, plan) = match planned {
        Some(p) => p,
        None => {
            let mut names: Vec<String> = Vec::new();
            let mut e = Some(env);
            while let Some(cur) = e {
                for n in cur.names {
                    if !names.contains(n) {
                        names.push(n.clone());
                    }
                }
                e = cur.parent;
            }
            let imported: Vec<(String, super::planner::VarKind)> = names
                .iter()
                .map(|n| (n.clone(), super::planner::VarKind::Any))
                .collect();
            let plan = super::planner::plan_subquery(kind, query, &imported, span)?;
            let row = names
                .iter()
                .map(|n| env.get(n).cloned().unwrap_or(Val::Null))
                .collect();
            (names, row, Arc::new(plan))
        }
    };
    // EXISTS asks only whether there is a row: the subquery may stop at its first.
    let need = (kind == SubqueryKind::Exists).then_some(1);
    let rows = super::exec::run_subquery(&plan, &names, row, g, ctx, need)?;
    Ok(match kind {
        SubqueryKind::Exists => Val::Bool(!rows.is_empty()),
        SubqueryKind::Count => Val::Int(rows.len() as i64),
        SubqueryKind::Collect => Val::List(
            rows.into_iter()
                .filter_map(|r| r.into_iter().next_back())
                .collect(),
        ),
    })
}

/// Calls a function: the table row the planner resolved, or (for an expression that was
/// never planned) the row its name finds. `exists(pattern)` is answered here, since a pattern
/// is not a value an argument list can hold.
fn call(
    name: &str,
    func: Option<FuncId>,
    args: &[Expr],
    env: &Env<'_>,
    g: &Graph,
    ctx: &Ctx<'_>,
    span: Span,
) -> Result<Val> {
    let Some(f) = func.map(functions::get).or_else(|| functions::find(name)) else {
        return Err(QueryError::new(
            ErrorKind::SyntaxError,
            Phase::Compile,
            "UnknownFunction",
            format!("there is no function called {name}"),
        )
        .with_span(span));
    };
    let body = match f.imp {
        Imp::Scalar(body) => body,
        Imp::Aggregate(_) => {
            return Err(runtime(
                ErrorKind::SemanticError,
                "InvalidAggregation",
                span,
                format!("{name} cannot be used here"),
            ));
        }
    };
    if let [
        Expr {
            kind: ExprKind::Pattern(part),
            ..
        },
    ] = args
    {
        return Ok(Val::Bool(matcher::pattern_exists(part, env, g, ctx)?));
    }
    let vals = args
        .iter()
        .map(|a| eval(a, env, g, ctx))
        .collect::<Result<Vec<_>>>()?;
    let call = functions::Call {
        name,
        span,
        graph: g,
        ctx,
    };
    body(&call, vals)
}
