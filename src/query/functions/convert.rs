//! Conversions between strings, numbers and booleans (`toInteger`, `toStringOrNull`, ...).
//! The plain forms fail on a value they cannot convert; the `OrNull` forms answer null.

use super::Type::{Any, Boolean, Float, Integer, String as Str};
use super::{Call, Function, first, param};
use crate::query::eval::{Result, to_string_val};
use crate::query::value::Val;

const INPUT: &[super::Param] = &[param("input", Any)];

pub(super) const FUNCTIONS: &[Function] = &[
    Function::scalar(
        "toString",
        INPUT,
        Str,
        to_string,
        "a number, boolean or string as a string",
    ),
    Function::scalar(
        "toStringOrNull",
        INPUT,
        Str,
        to_string_or_null,
        "like toString, but null for a value it cannot convert",
    ),
    Function::scalar(
        "toInteger",
        INPUT,
        Integer,
        to_integer,
        "a number, boolean or numeric string as an integer (floats truncate)",
    ),
    Function::scalar(
        "toIntegerOrNull",
        INPUT,
        Integer,
        to_integer_or_null,
        "like toInteger, but null for a value it cannot convert",
    ),
    Function::scalar(
        "toFloat",
        INPUT,
        Float,
        to_float,
        "a number or numeric string as a float",
    ),
    Function::scalar(
        "toFloatOrNull",
        INPUT,
        Float,
        to_float_or_null,
        "like toFloat, but null for a value it cannot convert",
    ),
    Function::scalar(
        "toBoolean",
        INPUT,
        Boolean,
        to_boolean,
        "'true', 'false', a boolean or an integer as a boolean",
    ),
    Function::scalar(
        "toBooleanOrNull",
        INPUT,
        Boolean,
        to_boolean_or_null,
        "like toBoolean, but null for a value it cannot convert",
    ),
];

/// The conversion's answer, `None` when the value's type cannot be converted at all (a
/// string that does not read as a number is null, not a failure, as openCypher says).
type Conversion = fn(Val) -> Option<Val>;

fn convert(call: &Call<'_>, vals: Vec<Val>, f: Conversion, or_null: bool, to: &str) -> Result<Val> {
    match first(vals) {
        Val::Null => Ok(Val::Null),
        v => {
            let type_name = v.type_name();
            match f(v) {
                Some(out) => Ok(out),
                None if or_null => Ok(Val::Null),
                None => Err(call.type_error(format!("{to} cannot convert {type_name}"))),
            }
        }
    }
}

fn string_of(v: Val) -> Option<Val> {
    match v {
        Val::Str(_) | Val::Int(_) | Val::Float(_) | Val::Bool(_) => {
            Some(Val::Str(to_string_val(&v)))
        }
        Val::Temporal(t) => Some(Val::Str(t.iso())),
        Val::Duration(d) => Some(Val::Str(d.iso())),
        _ => None,
    }
}

fn float_to_int(f: f64) -> Option<i64> {
    if f.is_finite() && f.abs() < 9.2e18 {
        Some(f.trunc() as i64)
    } else {
        None
    }
}

fn integer_of(v: Val) -> Option<Val> {
    Some(match v {
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
        _ => return None,
    })
}

fn float_of(v: Val) -> Option<Val> {
    Some(match v {
        Val::Int(i) => Val::Float(i as f64),
        Val::Float(f) => Val::Float(f),
        Val::Str(s) => s.trim().parse::<f64>().map_or(Val::Null, Val::Float),
        _ => return None,
    })
}

fn boolean_of(v: Val) -> Option<Val> {
    Some(match v {
        Val::Bool(b) => Val::Bool(b),
        Val::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Val::Bool(true),
            "false" => Val::Bool(false),
            _ => Val::Null,
        },
        Val::Int(i) => Val::Bool(i != 0),
        _ => return None,
    })
}

fn to_string(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    convert(call, vals, string_of, false, "toString")
}

fn to_string_or_null(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    convert(call, vals, string_of, true, "toString")
}

fn to_integer(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    convert(call, vals, integer_of, false, "toInteger")
}

fn to_integer_or_null(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    convert(call, vals, integer_of, true, "toInteger")
}

fn to_float(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    convert(call, vals, float_of, false, "toFloat")
}

fn to_float_or_null(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    convert(call, vals, float_of, true, "toFloat")
}

fn to_boolean(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    convert(call, vals, boolean_of, false, "toBoolean")
}

fn to_boolean_or_null(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    convert(call, vals, boolean_of, true, "toBoolean")
}
