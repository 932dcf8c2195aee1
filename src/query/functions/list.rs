//! Functions on lists (and the few that also take strings or maps): size, ends, ranges,
//! reversal, the first non-null value. They never change the graph.

use super::Type::{Any, Boolean, Integer, List};
use super::{Call, Function, arg, first, param};
use crate::query::budget;
use crate::query::error::ErrorKind;
use crate::query::eval::{Result, runtime};
use crate::query::value::Val;

pub(super) const FUNCTIONS: &[Function] = &[
    Function::scalar(
        "size",
        &[param("input", Any)],
        Integer,
        size,
        "the number of elements of a list, characters of a string or entries of a map",
    ),
    Function::scalar(
        "head",
        &[param("list", List)],
        Any,
        head,
        "the first element of a list",
    ),
    Function::scalar(
        "last",
        &[param("list", List)],
        Any,
        last,
        "the last element of a list",
    ),
    Function::scalar(
        "tail",
        &[param("list", List)],
        List,
        tail,
        "a list without its first element",
    ),
    Function::scalar(
        "isEmpty",
        &[param("input", Any)],
        Boolean,
        is_empty,
        "whether a list, string or map is empty",
    ),
    Function::scalar(
        "range",
        &[
            param("start", Integer),
            param("end", Integer),
            param("step", Integer),
        ],
        List,
        range,
        "the integers from start to end inclusive, by step",
    )
    .optional(1),
    Function::scalar(
        "reverse",
        &[param("input", Any)],
        Any,
        reverse,
        "a list or string in reverse order",
    ),
    Function::scalar(
        "coalesce",
        &[param("input", Any)],
        Any,
        coalesce,
        "the first argument that is not null",
    )
    .variadic(),
];

fn size(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        Val::List(items) => Val::Int(items.len() as i64),
        Val::Str(s) => Val::Int(s.chars().count() as i64),
        Val::Map(m) => Val::Int(m.len() as i64),
        Val::Null => Val::Null,
        other => return Err(call.expected("a list or a string", &other)),
    })
}

fn head(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        Val::List(items) => items.into_iter().next().unwrap_or(Val::Null),
        Val::Null => Val::Null,
        other => return Err(call.expected("a list", &other)),
    })
}

fn last(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        Val::List(items) => items.into_iter().next_back().unwrap_or(Val::Null),
        Val::Null => Val::Null,
        other => return Err(call.expected("a list", &other)),
    })
}

fn tail(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        Val::List(items) => Val::List(items.into_iter().skip(1).collect()),
        Val::Null => Val::Null,
        other => return Err(call.expected("a list", &other)),
    })
}

fn is_empty(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        Val::List(items) => Val::Bool(items.is_empty()),
        Val::Str(s) => Val::Bool(s.is_empty()),
        Val::Map(m) => Val::Bool(m.is_empty()),
        Val::Null => Val::Null,
        other => return Err(call.expected("a list", &other)),
    })
}

fn range(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    let int_arg = |v: &Val| match v {
        Val::Int(i) => Ok(Some(*i)),
        Val::Null => Ok(None),
        other => Err(call.argument_error(
            "InvalidArgumentType",
            format!("range expects integers, not {}", other.type_name()),
        )),
    };
    let (Some(a), Some(b)) = (int_arg(arg(&vals, 0))?, int_arg(arg(&vals, 1))?) else {
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
        return Err(call.argument_error("NumberOutOfRange", "range needs a step other than 0"));
    }
    let count = if (step > 0 && a > b) || (step < 0 && a < b) {
        0
    } else {
        ((b as i128 - a as i128) / step as i128 + 1) as u128
    };
    if count > call.ctx.limits.max_rows as u128 {
        return Err(runtime(
            ErrorKind::LimitExceeded,
            "ListTooLong",
            call.span,
            format!("range would make {count} elements, more than the row limit"),
        ));
    }
    // Charged before the list is allocated, so a range too big for the budget fails at once.
    call.ctx.check_new_value(
        budget::list_bytes(usize::try_from(count).unwrap_or(usize::MAX)),
        call.span,
    )?;
    let mut out = Vec::with_capacity(count as usize);
    let mut x = a as i128;
    for _ in 0..count {
        out.push(Val::Int(x as i64));
        x += step as i128;
    }
    Ok(Val::List(out.into()))
}

fn reverse(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        Val::List(mut items) => {
            items.reverse();
            Val::List(items)
        }
        Val::Str(s) => Val::Str(s.chars().rev().collect()),
        Val::Null => Val::Null,
        other => return Err(call.expected("a list or string", &other)),
    })
}

fn coalesce(_: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(vals.into_iter().find(|v| !v.is_null()).unwrap_or(Val::Null))
}
