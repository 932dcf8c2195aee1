//! Functions on strings: case, trimming, splitting, slicing by characters, replacing. They
//! count characters, not bytes, and never change the graph.

use super::Type::{Integer, List, String as Str};
use super::{Call, Function, arg, first, param};
use crate::query::eval::Result;
use crate::query::value::Val;

const ONE_STRING: &[super::Param] = &[param("input", Str)];

pub(super) const FUNCTIONS: &[Function] = &[
    Function::scalar(
        "toUpper",
        ONE_STRING,
        Str,
        to_upper,
        "the string in upper case",
    ),
    Function::scalar(
        "toLower",
        ONE_STRING,
        Str,
        to_lower,
        "the string in lower case",
    ),
    Function::scalar(
        "trim",
        ONE_STRING,
        Str,
        trim,
        "the string without leading and trailing white space",
    ),
    Function::scalar(
        "lTrim",
        ONE_STRING,
        Str,
        ltrim,
        "the string without leading white space",
    ),
    Function::scalar(
        "rTrim",
        ONE_STRING,
        Str,
        rtrim,
        "the string without trailing white space",
    ),
    Function::scalar(
        "split",
        &[param("original", Str), param("delimiter", Str)],
        List,
        split,
        "the pieces of a string between delimiters",
    ),
    Function::scalar(
        "substring",
        &[
            param("original", Str),
            param("start", Integer),
            param("length", Integer),
        ],
        Str,
        substring,
        "the characters from start (0-based), length of them or to the end",
    )
    .optional(1),
    Function::scalar(
        "left",
        &[param("original", Str), param("length", Integer)],
        Str,
        left,
        "the first characters of a string",
    ),
    Function::scalar(
        "right",
        &[param("original", Str), param("length", Integer)],
        Str,
        right,
        "the last characters of a string",
    ),
    Function::scalar(
        "replace",
        &[
            param("original", Str),
            param("search", Str),
            param("replace", Str),
        ],
        Str,
        replace,
        "the string with every occurrence of search replaced",
    ),
    Function::scalar(
        "char_length",
        ONE_STRING,
        Integer,
        char_length,
        "the number of characters in a string",
    ),
    Function::scalar(
        "character_length",
        ONE_STRING,
        Integer,
        char_length,
        "the number of characters in a string",
    ),
];

fn map_str(call: &Call<'_>, vals: Vec<Val>, f: fn(&str) -> String) -> Result<Val> {
    Ok(match call.str(&first(vals))? {
        Some(s) => Val::Str(f(s)),
        None => Val::Null,
    })
}

fn to_upper(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    map_str(call, vals, str::to_uppercase)
}

fn to_lower(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    map_str(call, vals, str::to_lowercase)
}

fn trim(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    map_str(call, vals, |s| s.trim().to_string())
}

fn ltrim(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    map_str(call, vals, |s| s.trim_start().to_string())
}

fn rtrim(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    map_str(call, vals, |s| s.trim_end().to_string())
}

fn split(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match (call.str(arg(&vals, 0))?, call.str(arg(&vals, 1))?) {
        (Some(s), Some(d)) => {
            if d.is_empty() {
                Val::List(s.chars().map(|c| Val::Str(c.to_string())).collect())
            } else {
                Val::List(s.split(d).map(|p| Val::Str(p.to_string())).collect())
            }
        }
        _ => Val::Null,
    })
}

/// The characters of `s` from `start`, `len` of them or all the rest.
fn chars_range(s: &str, start: usize, len: Option<usize>) -> String {
    let it = s.chars().skip(start);
    match len {
        Some(l) => it.take(l).collect(),
        None => it.collect(),
    }
}

fn substring(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    let Some(s) = call.str(arg(&vals, 0))? else {
        return Ok(Val::Null);
    };
    let Some(start) = call.int(arg(&vals, 1))? else {
        return Ok(Val::Null);
    };
    let len = match vals.get(2) {
        Some(v) => call.int(v)?,
        None => None,
    };
    if start < 0 || len.is_some_and(|l| l < 0) {
        return Err(call.argument_error(
            "NumberOutOfRange",
            "substring needs a non-negative start and length",
        ));
    }
    Ok(Val::Str(chars_range(
        s,
        start as usize,
        len.map(|l| l as usize),
    )))
}

fn left_or_right(call: &Call<'_>, vals: Vec<Val>, from_left: bool) -> Result<Val> {
    let Some(s) = call.str(arg(&vals, 0))? else {
        return Ok(Val::Null);
    };
    let Some(n) = call.int(arg(&vals, 1))? else {
        return Err(
            call.argument_error("NumberOutOfRange", format!("{} needs a length", call.name))
        );
    };
    if n < 0 {
        return Err(call.argument_error(
            "NumberOutOfRange",
            format!("{} needs a non-negative length", call.name),
        ));
    }
    let count = s.chars().count();
    let n = (n as usize).min(count);
    Ok(Val::Str(if from_left {
        chars_range(s, 0, Some(n))
    } else {
        chars_range(s, count - n, None)
    }))
}

fn left(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    left_or_right(call, vals, true)
}

fn right(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    left_or_right(call, vals, false)
}

fn replace(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(
        match (
            call.str(arg(&vals, 0))?,
            call.str(arg(&vals, 1))?,
            call.str(arg(&vals, 2))?,
        ) {
            (Some(s), Some(from), Some(to)) => {
                // The result's size is known before it is built: charge it first, so that
                // nested replacements that multiply a string fail at the limit.
                let hits = s.matches(from).count();
                let size =
                    (s.len() - hits * from.len()).saturating_add(hits.saturating_mul(to.len()));
                call.ctx.check_new_value(size, call.span)?;
                Val::Str(s.replace(from, to))
            }
            _ => Val::Null,
        },
    )
}

fn char_length(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match call.str(&first(vals))? {
        Some(s) => Val::Int(s.chars().count() as i64),
        None => Val::Null,
    })
}
