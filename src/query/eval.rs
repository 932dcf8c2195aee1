//! Expression evaluation with openCypher's null semantics: three-valued logic, null
//! propagation, checked integer arithmetic, and the scalar functions.
//!
//! Evaluation only reads the graph; it never changes it and never panics on a value.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicBool;

use regex::Regex;

use super::Limits;
use super::ast::*;
use super::budget;
use super::error::{ErrorKind, Phase, QueryError, Span};
use super::matcher;
use super::value::{PathRef, Val, compare, equals};
use crate::graph::Graph;

pub type Result<T> = std::result::Result<T, QueryError>;

/// What every evaluation needs besides the row: parameters, limits, the cancel flag.
pub struct Ctx<'a> {
    pub params: BTreeMap<String, Val>,
    pub limits: Limits,
    pub cancel: Option<&'a AtomicBool>,
    /// Every change the query makes to the graph, so that a failure can reverse them.
    pub undo: super::undo::UndoLog,
    regexes: RefCell<HashMap<String, Regex>>,
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
            regexes: RefCell::new(HashMap::new()),
        }
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
/// budget, before the rest of it is built.
fn charge_element(bytes: &mut usize, item: &Val, ctx: &Ctx<'_>, span: Span) -> Result<()> {
    *bytes = bytes
        .saturating_add(budget::list_bytes(1))
        .saturating_add(budget::held_bytes(item));
    budget::check(*bytes, ctx.limits.max_memory, span)
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
            Val::List(out.into())
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
        ExprKind::Call { name, args, .. } => call(name, args, env, g, ctx, e.span)?,
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
            Val::List(out.into())
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
            Val::List(out.into())
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

fn overflow(span: Span) -> QueryError {
    runtime(
        ErrorKind::ArgumentError,
        "IntegerOverflow",
        span,
        "integer arithmetic overflowed the 64-bit range",
    )
}

fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
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
            budget::check(joined, ctx.limits.max_memory, span)?;
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
            Some(v) => Val::Int(v),
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

fn deleted(span: Span) -> QueryError {
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

fn properties_of(v: &Val, g: &Graph, span: Span) -> Result<Val> {
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

fn expect_int(v: &Val, name: &str, span: Span) -> Result<Option<i64>> {
    match v {
        Val::Null => Ok(None),
        Val::Int(i) => Ok(Some(*i)),
        other => Err(type_error(
            span,
            format!("{name} expects an integer, not {}", other.type_name()),
        )),
    }
}

fn expect_str<'v>(v: &'v Val, name: &str, span: Span) -> Result<Option<&'v str>> {
    match v {
        Val::Null => Ok(None),
        Val::Str(s) => Ok(Some(s)),
        other => Err(type_error(
            span,
            format!("{name} expects a string, not {}", other.type_name()),
        )),
    }
}

fn expect_num(v: &Val, name: &str, span: Span) -> Result<Option<f64>> {
    match v {
        Val::Null => Ok(None),
        Val::Int(i) => Ok(Some(*i as f64)),
        Val::Float(f) => Ok(Some(*f)),
        other => Err(type_error(
            span,
            format!("{name} expects a number, not {}", other.type_name()),
        )),
    }
}

fn path_of(v: &Val, name: &str, span: Span) -> Result<Option<PathRef>> {
    match v {
        Val::Null => Ok(None),
        Val::Path(p) => Ok(Some(p.clone())),
        other => Err(type_error(
            span,
            format!("{name} expects a path, not {}", other.type_name()),
        )),
    }
}

/// Characters of a string as a list of indexes, so that substring works on characters.
fn chars_range(s: &str, start: usize, len: Option<usize>) -> String {
    let it = s.chars().skip(start);
    match len {
        Some(l) => it.take(l).collect(),
        None => it.collect(),
    }
}

fn call(
    name: &str,
    args: &[Expr],
    env: &Env<'_>,
    g: &Graph,
    ctx: &Ctx<'_>,
    span: Span,
) -> Result<Val> {
    let lname = name.to_ascii_lowercase();
    if lname == "exists"
        && let Some(Expr {
            kind: ExprKind::Pattern(part),
            ..
        }) = args.first()
    {
        return Ok(Val::Bool(matcher::pattern_exists(part, env, g, ctx)?));
    }
    if super::planner::agg_func(&lname).is_some() {
        return Err(runtime(
            ErrorKind::SemanticError,
            "InvalidAggregation",
            span,
            format!("{name} cannot be used here"),
        ));
    }
    let vals = args
        .iter()
        .map(|a| eval(a, env, g, ctx))
        .collect::<Result<Vec<_>>>()?;
    let arg = |i: usize| vals.get(i).cloned().unwrap_or(Val::Null);
    let a0 = arg(0);
    let null = Val::Null;
    Ok(match lname.as_str() {
        "coalesce" => vals.into_iter().find(|v| !v.is_null()).unwrap_or(Val::Null),
        "id" => match a0 {
            Val::Node(id) => Val::Int(id.0 as i64),
            Val::Rel(id) => Val::Int(id.0 as i64),
            Val::Null => null,
            other => {
                return Err(type_error(
                    span,
                    format!(
                        "id expects a node or relationship, not {}",
                        other.type_name()
                    ),
                ));
            }
        },
        "labels" => match a0 {
            Val::Node(id) => match g.node(id) {
                Some(n) => Val::List(n.labels.iter().map(|l| Val::Str(l.to_string())).collect()),
                None => return Err(deleted(span)),
            },
            Val::Null => null,
            other => {
                return Err(type_error(
                    span,
                    format!("labels expects a node, not {}", other.type_name()),
                ));
            }
        },
        "type" => match a0 {
            Val::Rel(id) => match g.edge(id) {
                Some(r) => Val::Str(r.rel_type.to_string()),
                None => return Err(deleted(span)),
            },
            Val::Null => null,
            other => {
                return Err(type_error(
                    span,
                    format!("type expects a relationship, not {}", other.type_name()),
                ));
            }
        },
        "properties" => properties_of(&a0, g, span)?,
        "keys" => match properties_of(&a0, g, span)? {
            Val::Map(m) => Val::List(m.into_keys().map(Val::Str).collect()),
            _ => null,
        },
        "size" => match a0 {
            Val::List(items) => Val::Int(items.len() as i64),
            Val::Str(s) => Val::Int(s.chars().count() as i64),
            Val::Map(m) => Val::Int(m.len() as i64),
            Val::Null => null,
            other => {
                return Err(type_error(
                    span,
                    format!("size expects a list or a string, not {}", other.type_name()),
                ));
            }
        },
        "char_length" | "character_length" => match expect_str(&a0, name, span)? {
            Some(s) => Val::Int(s.chars().count() as i64),
            None => null,
        },
        "length" => match a0 {
            Val::Path(p) => Val::Int(p.rels.len() as i64),
            Val::Null => null,
            other => {
                return Err(type_error(
                    span,
                    format!("length expects a path, not {}", other.type_name()),
                ));
            }
        },
        "nodes" => match path_of(&a0, name, span)? {
            Some(p) => Val::List(p.nodes.into_iter().map(Val::Node).collect()),
            None => null,
        },
        "relationships" => match path_of(&a0, name, span)? {
            Some(p) => Val::List(p.rels.into_iter().map(Val::Rel).collect()),
            None => null,
        },
        "startnode" | "endnode" => match a0 {
            Val::Rel(id) => match g.edge(id) {
                Some(r) => Val::Node(if lname == "startnode" {
                    r.source
                } else {
                    r.target
                }),
                None => return Err(deleted(span)),
            },
            Val::Null => null,
            other => {
                return Err(type_error(
                    span,
                    format!("{name} expects a relationship, not {}", other.type_name()),
                ));
            }
        },
        "head" | "last" | "tail" | "isempty" => match a0 {
            Val::List(items) => match lname.as_str() {
                "head" => items.first().cloned().unwrap_or(Val::Null),
                "last" => items.last().cloned().unwrap_or(Val::Null),
                "isempty" => Val::Bool(items.is_empty()),
                _ => Val::List(items.into_iter().skip(1).collect()),
            },
            Val::Str(s) if lname == "isempty" => Val::Bool(s.is_empty()),
            Val::Map(m) if lname == "isempty" => Val::Bool(m.is_empty()),
            Val::Null => null,
            other => {
                return Err(type_error(
                    span,
                    format!("{name} expects a list, not {}", other.type_name()),
                ));
            }
        },
        "range" => {
            let int_arg = |v: &Val| match v {
                Val::Int(i) => Ok(Some(*i)),
                Val::Null => Ok(None),
                other => Err(runtime(
                    ErrorKind::ArgumentError,
                    "InvalidArgumentType",
                    span,
                    format!("range expects integers, not {}", other.type_name()),
                )),
            };
            let (Some(a), Some(b)) = (int_arg(&a0)?, int_arg(&arg(1))?) else {
                return Ok(Val::Null);
            };
            let step = match vals.get(2) {
                Some(v) => match int_arg(v)? {
                    Some(s) => s,
                    None => return Ok(Val::Null),
                },
                None => 1,
            };
            if step == 0 {
                return Err(runtime(
                    ErrorKind::ArgumentError,
                    "NumberOutOfRange",
                    span,
                    "range needs a step other than 0",
                ));
            }
            let count = if (step > 0 && a > b) || (step < 0 && a < b) {
                0
            } else {
                ((b as i128 - a as i128) / step as i128 + 1) as u128
            };
            if count > ctx.limits.max_rows as u128 {
                return Err(runtime(
                    ErrorKind::LimitExceeded,
                    "ListTooLong",
                    span,
                    format!("range would make {count} elements, more than the row limit"),
                ));
            }
            budget::check(
                budget::list_bytes(usize::try_from(count).unwrap_or(usize::MAX)),
                ctx.limits.max_memory,
                span,
            )?;
            let mut out = Vec::with_capacity(count as usize);
            let mut x = a as i128;
            for _ in 0..count {
                out.push(Val::Int(x as i64));
                x += step as i128;
            }
            Val::List(out.into())
        }
        "reverse" => match a0 {
            Val::List(mut items) => {
                items.reverse();
                Val::List(items)
            }
            Val::Str(s) => Val::Str(s.chars().rev().collect()),
            Val::Null => null,
            other => {
                return Err(type_error(
                    span,
                    format!(
                        "reverse expects a list or string, not {}",
                        other.type_name()
                    ),
                ));
            }
        },
        "toupper" | "tolower" | "trim" | "ltrim" | "rtrim" => match expect_str(&a0, name, span)? {
            Some(s) => Val::Str(match lname.as_str() {
                "toupper" => s.to_uppercase(),
                "tolower" => s.to_lowercase(),
                "trim" => s.trim().to_string(),
                "ltrim" => s.trim_start().to_string(),
                _ => s.trim_end().to_string(),
            }),
            None => null,
        },
        "split" => match (
            expect_str(&a0, name, span)?,
            expect_str(&arg(1), name, span)?,
        ) {
            (Some(s), Some(d)) => {
                if d.is_empty() {
                    Val::List(s.chars().map(|c| Val::Str(c.to_string())).collect())
                } else {
                    Val::List(s.split(d).map(|p| Val::Str(p.to_string())).collect())
                }
            }
            _ => null,
        },
        "substring" => {
            let Some(s) = expect_str(&a0, name, span)? else {
                return Ok(Val::Null);
            };
            let Some(start) = expect_int(&arg(1), name, span)? else {
                return Ok(Val::Null);
            };
            let len = match vals.get(2) {
                Some(v) => expect_int(v, name, span)?,
                None => None,
            };
            if start < 0 || len.is_some_and(|l| l < 0) {
                return Err(runtime(
                    ErrorKind::ArgumentError,
                    "NumberOutOfRange",
                    span,
                    "substring needs a non-negative start and length",
                ));
            }
            Val::Str(chars_range(s, start as usize, len.map(|l| l as usize)))
        }
        "left" | "right" => {
            let Some(s) = expect_str(&a0, name, span)? else {
                return Ok(Val::Null);
            };
            let Some(n) = expect_int(&arg(1), name, span)? else {
                return Err(runtime(
                    ErrorKind::ArgumentError,
                    "NumberOutOfRange",
                    span,
                    format!("{name} needs a length"),
                ));
            };
            if n < 0 {
                return Err(runtime(
                    ErrorKind::ArgumentError,
                    "NumberOutOfRange",
                    span,
                    format!("{name} needs a non-negative length"),
                ));
            }
            let count = s.chars().count();
            let n = (n as usize).min(count);
            Val::Str(if lname == "left" {
                chars_range(s, 0, Some(n))
            } else {
                chars_range(s, count - n, None)
            })
        }
        "replace" => match (
            expect_str(&a0, name, span)?,
            expect_str(&arg(1), name, span)?,
            expect_str(&arg(2), name, span)?,
        ) {
            (Some(s), Some(from), Some(to)) => {
                // The result's length is known before it is built: it is refused there, or
                // built at its final size (growing it by doubling would hold half as much
                // again while it copies).
                let hits = s.matches(from).count();
                let size =
                    (s.len() - hits * from.len()).saturating_add(hits.saturating_mul(to.len()));
                budget::check(size, ctx.limits.max_memory, span)?;
                let mut out = String::with_capacity(size);
                let mut last = 0;
                for (at, hit) in s.match_indices(from) {
                    out.push_str(&s[last..at]);
                    out.push_str(to);
                    last = at + hit.len();
                }
                out.push_str(&s[last..]);
                Val::Str(out)
            }
            _ => null,
        },
        "tostring" | "tostringornull" => match a0 {
            Val::Null => null,
            v @ (Val::Str(_) | Val::Int(_) | Val::Float(_) | Val::Bool(_)) => {
                Val::Str(to_string_val(&v))
            }
            _ if lname == "tostringornull" => null,
            other => {
                return Err(type_error(
                    span,
                    format!("toString cannot convert {}", other.type_name()),
                ));
            }
        },
        "tointeger" | "tointegerornull" => match a0 {
            Val::Null => null,
            Val::Int(i) => Val::Int(i),
            Val::Float(f) => float_to_int(f).map_or(Val::Null, Val::Int),
            Val::Str(s) => {
                let t = s.trim();
                match t.parse::<i64>() {
                    Ok(i) => Val::Int(i),
                    Err(_) => t
                        .parse::<f64>()
                        .ok()
                        .and_then(float_to_int)
                        .map_or(Val::Null, Val::Int),
                }
            }
            Val::Bool(b) => Val::Int(i64::from(b)),
            _ if lname == "tointegerornull" => null,
            other => {
                return Err(type_error(
                    span,
                    format!("toInteger cannot convert {}", other.type_name()),
                ));
            }
        },
        "tofloat" | "tofloatornull" => match a0 {
            Val::Null => null,
            Val::Int(i) => Val::Float(i as f64),
            Val::Float(f) => Val::Float(f),
            Val::Str(s) => s.trim().parse::<f64>().map_or(Val::Null, Val::Float),
            _ if lname == "tofloatornull" => null,
            other => {
                return Err(type_error(
                    span,
                    format!("toFloat cannot convert {}", other.type_name()),
                ));
            }
        },
        "toboolean" | "tobooleanornull" => match a0 {
            Val::Null => null,
            Val::Bool(b) => Val::Bool(b),
            Val::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Val::Bool(true),
                "false" => Val::Bool(false),
                _ => null,
            },
            Val::Int(i) => Val::Bool(i != 0),
            _ if lname == "tobooleanornull" => null,
            other => {
                return Err(type_error(
                    span,
                    format!("toBoolean cannot convert {}", other.type_name()),
                ));
            }
        },
        "exists" => Val::Bool(!a0.is_null()),
        "abs" => match a0 {
            Val::Int(i) => Val::Int(i.checked_abs().ok_or_else(|| overflow(span))?),
            other => expect_num(&other, name, span)?.map_or(Val::Null, |f| Val::Float(f.abs())),
        },
        "sign" => match a0 {
            Val::Int(i) => Val::Int(i.signum()),
            other => expect_num(&other, name, span)?.map_or(Val::Null, |f| {
                Val::Int(if f > 0.0 {
                    1
                } else if f < 0.0 {
                    -1
                } else {
                    0
                })
            }),
        },
        "round" => {
            let Some(x) = expect_num(&a0, name, span)? else {
                return Ok(Val::Null);
            };
            let precision = match vals.get(1) {
                Some(v) => match expect_int(v, name, span)? {
                    Some(p) => p,
                    None => return Ok(Val::Null),
                },
                None => 0,
            };
            if precision == 0 {
                Val::Float((x + 0.5).floor())
            } else {
                let f = 10f64.powi(precision.clamp(-300, 300) as i32);
                let y = (x.abs() * f).round() / f;
                Val::Float(if x < 0.0 { -y } else { y })
            }
        }
        "ceil" | "floor" | "sqrt" | "exp" | "log" | "log10" | "sin" | "cos" | "tan" | "asin"
        | "acos" | "atan" | "degrees" | "radians" => match expect_num(&a0, name, span)? {
            Some(x) => Val::Float(match lname.as_str() {
                "ceil" => x.ceil(),
                "floor" => x.floor(),
                "sqrt" => x.sqrt(),
                "exp" => x.exp(),
                "log" => x.ln(),
                "log10" => x.log10(),
                "sin" => x.sin(),
                "cos" => x.cos(),
                "tan" => x.tan(),
                "asin" => x.asin(),
                "acos" => x.acos(),
                "atan" => x.atan(),
                "degrees" => x.to_degrees(),
                _ => x.to_radians(),
            }),
            None => null,
        },
        "atan2" => match (
            expect_num(&a0, name, span)?,
            expect_num(&arg(1), name, span)?,
        ) {
            (Some(y), Some(x)) => Val::Float(y.atan2(x)),
            _ => null,
        },
        "date" | "localtime" | "time" | "localdatetime" | "datetime" => {
            let kind = super::temporal::TemporalKind::from_function(lname.as_str())
                .ok_or_else(|| type_error(span, "unknown temporal type"))?;
            let invalid =
                |msg| runtime(ErrorKind::ArgumentError, "InvalidArgumentValue", span, msg);
            match a0 {
                Val::Null => null,
                Val::Map(m) => Val::Temporal(super::temporal::from_map(kind, &m).map_err(invalid)?),
                Val::Str(s) => {
                    Val::Temporal(super::temporal::from_text(kind, &s).map_err(invalid)?)
                }
                Val::Temporal(t) if t.kind == kind => Val::Temporal(t),
                other => {
                    return Err(type_error(
                        span,
                        format!(
                            "{name} expects a map of fields such as {{year: 2025}} or ISO text, not {}",
                            other.type_name()
                        ),
                    ));
                }
            }
        }
        "duration.between" | "duration.inmonths" | "duration.indays" | "duration.inseconds" => {
            use crate::graph::temporal::{BetweenUnit, between};
            let unit = match lname.as_str() {
                "duration.between" => BetweenUnit::All,
                "duration.inmonths" => BetweenUnit::Months,
                "duration.indays" => BetweenUnit::Days,
                _ => BetweenUnit::Seconds,
            };
            match (a0, arg(1)) {
                (Val::Null, _) | (_, Val::Null) => null,
                (Val::Temporal(x), Val::Temporal(y)) => {
                    Val::Duration(between(&x, &y, unit).ok_or_else(|| overflow(span))?)
                }
                (x, y) => {
                    return Err(type_error(
                        span,
                        format!(
                            "{name} expects two temporal values, not {} and {}",
                            x.type_name(),
                            y.type_name()
                        ),
                    ));
                }
            }
        }
        "duration" => {
            let invalid =
                |msg| runtime(ErrorKind::ArgumentError, "InvalidArgumentValue", span, msg);
            match a0 {
                Val::Null => null,
                Val::Map(m) => {
                    Val::Duration(super::temporal::duration_from_map(&m).map_err(invalid)?)
                }
                Val::Str(s) => {
                    Val::Duration(super::temporal::duration_from_text(&s).map_err(invalid)?)
                }
                Val::Duration(d) => Val::Duration(d),
                other => {
                    return Err(type_error(
                        span,
                        format!(
                            "duration expects a map such as {{days: 2}} or ISO text such as 'P2D', not {}",
                            other.type_name()
                        ),
                    ));
                }
            }
        }
        "pi" => Val::Float(std::f64::consts::PI),
        "e" => Val::Float(std::f64::consts::E),
        "rand" => Val::Float(pseudo_random()),
        _ => {
            return Err(QueryError::new(
                ErrorKind::SyntaxError,
                Phase::Compile,
                "UnknownFunction",
                format!("there is no function called {name}"),
            )
            .with_span(span));
        }
    })
}

fn float_to_int(f: f64) -> Option<i64> {
    if f.is_finite() && f.abs() < 9.2e18 {
        Some(f.trunc() as i64)
    } else {
        None
    }
}

/// A number in [0, 1) from the clock; `rand()` needs no reproducibility or quality.
fn pseudo_random() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut x = u64::from(nanos) ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    (x >> 11) as f64 / (1u64 << 53) as f64
}
