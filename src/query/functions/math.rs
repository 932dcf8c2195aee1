//! Numeric functions: absolute value, sign, rounding, roots, logarithms, trigonometry and the
//! constants. Integer results stay integers where openCypher says so; overflow is an error.

use super::Type::{Float, Integer, Number, String as Str};
use super::{Call, Function, Param, arg, first, param};
use crate::query::eval::{Result, overflow};
use crate::query::value::Val;

const X: &[Param] = &[param("input", Number)];

/// A float function of one number, null for null.
macro_rules! float_fn {
    ($name:literal, $ident:ident, $help:literal) => {
        Function::scalar($name, X, Float, $ident, $help)
    };
}

pub(super) const FUNCTIONS: &[Function] = &[
    Function::scalar("abs", X, Number, abs, "the absolute value"),
    Function::scalar(
        "sign",
        X,
        Integer,
        sign,
        "-1, 0 or 1 by the sign of the number",
    ),
    Function::scalar(
        "round",
        &[
            param("input", Number),
            param("precision", Integer),
            param("mode", Str),
        ],
        Float,
        round,
        "the number rounded half up, to precision decimal places",
    )
    .optional(2),
    float_fn!("ceil", ceil, "the least whole number not below"),
    float_fn!("floor", floor, "the greatest whole number not above"),
    float_fn!("sqrt", sqrt, "the square root"),
    float_fn!("exp", exp, "e raised to the number"),
    float_fn!("log", log, "the natural logarithm"),
    float_fn!("log10", log10, "the base-10 logarithm"),
    float_fn!("sin", sin, "the sine of an angle in radians"),
    float_fn!("cos", cos, "the cosine of an angle in radians"),
    float_fn!("tan", tan, "the tangent of an angle in radians"),
    float_fn!("asin", asin, "the arcsine, in radians"),
    float_fn!("acos", acos, "the arccosine, in radians"),
    float_fn!("atan", atan, "the arctangent, in radians"),
    Function::scalar(
        "atan2",
        &[param("y", Number), param("x", Number)],
        Float,
        atan2,
        "the angle of the point (x, y), in radians",
    ),
    float_fn!("degrees", degrees, "radians in degrees"),
    float_fn!("radians", radians, "degrees in radians"),
    Function::scalar("pi", &[], Float, pi, "the number pi"),
    Function::scalar("e", &[], Float, e, "the base of the natural logarithm"),
    Function::scalar(
        "rand",
        &[],
        Float,
        rand,
        "a number in [0, 1) that differs from call to call",
    )
    .volatile(),
];

fn abs(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        Val::Int(i) => Val::Int(i.checked_abs().ok_or_else(|| overflow(call.span))?),
        other => call.num(&other)?.map_or(Val::Null, |f| Val::Float(f.abs())),
    })
}

fn sign(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match first(vals) {
        Val::Int(i) => Val::Int(i.signum()),
        other => call.num(&other)?.map_or(Val::Null, |f| {
            Val::Int(if f > 0.0 {
                1
            } else if f < 0.0 {
                -1
            } else {
                0
            })
        }),
    })
}

fn round(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    let Some(x) = call.num(arg(&vals, 0))? else {
        return Ok(Val::Null);
    };
    let precision = match vals.get(1) {
        Some(v) => match call.int(v)? {
            Some(p) => p,
            None => return Ok(Val::Null),
        },
        None => 0,
    };
    Ok(if precision == 0 {
        Val::Float((x + 0.5).floor())
    } else {
        let f = 10f64.powi(precision.clamp(-300, 300) as i32);
        let y = (x.abs() * f).round() / f;
        Val::Float(if x < 0.0 { -y } else { y })
    })
}

fn float_of(call: &Call<'_>, vals: Vec<Val>, f: fn(f64) -> f64) -> Result<Val> {
    Ok(call
        .num(&first(vals))?
        .map_or(Val::Null, |x| Val::Float(f(x))))
}

/// One body per name, so that the table's row points at it directly.
macro_rules! float_bodies {
    ($($ident:ident => $f:expr),* $(,)?) => {
        $(fn $ident(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
            float_of(call, vals, $f)
        })*
    };
}

float_bodies! {
    ceil => f64::ceil,
    floor => f64::floor,
    sqrt => f64::sqrt,
    exp => f64::exp,
    log => f64::ln,
    log10 => f64::log10,
    sin => f64::sin,
    cos => f64::cos,
    tan => f64::tan,
    asin => f64::asin,
    acos => f64::acos,
    atan => f64::atan,
    degrees => f64::to_degrees,
    radians => f64::to_radians,
}

fn atan2(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    Ok(match (call.num(arg(&vals, 0))?, call.num(arg(&vals, 1))?) {
        (Some(y), Some(x)) => Val::Float(y.atan2(x)),
        _ => Val::Null,
    })
}

fn pi(_: &Call<'_>, _: Vec<Val>) -> Result<Val> {
    Ok(Val::Float(std::f64::consts::PI))
}

fn e(_: &Call<'_>, _: Vec<Val>) -> Result<Val> {
    Ok(Val::Float(std::f64::consts::E))
}

fn rand(_: &Call<'_>, _: Vec<Val>) -> Result<Val> {
    Ok(Val::Float(pseudo_random()))
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
