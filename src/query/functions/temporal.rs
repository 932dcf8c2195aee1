//! Temporal constructors and duration arithmetic (`date`, `datetime`, `duration.between`, ...).
//! The values and calendar rules are the store's (`graph::temporal`); parsing of Cypher
//! arguments is `query::temporal`. This file only adds table rows and thin bodies.

use super::Type::{Any, Duration, Temporal};
use super::{Call, Function, Param, first, param};
use crate::graph::temporal::{BetweenUnit, TemporalKind, between};
use crate::query::eval::{Result, overflow};
use crate::query::temporal as parse;
use crate::query::value::Val;

const INPUT: &[Param] = &[param("input", Any)];
const TWO: &[Param] = &[param("from", Temporal), param("to", Temporal)];

pub(super) const FUNCTIONS: &[Function] = &[
    Function::scalar(
        "date",
        INPUT,
        Temporal,
        date,
        "a date from ISO text or a map such as {year: 2025, month: 4, day: 11}",
    ),
    Function::scalar(
        "localtime",
        INPUT,
        Temporal,
        localtime,
        "a time of day without zone from ISO text or a map",
    ),
    Function::scalar(
        "time",
        INPUT,
        Temporal,
        time,
        "a time of day with offset from ISO text or a map",
    ),
    Function::scalar(
        "localdatetime",
        INPUT,
        Temporal,
        localdatetime,
        "a date and time without zone from ISO text or a map",
    ),
    Function::scalar(
        "datetime",
        INPUT,
        Temporal,
        datetime,
        "a date and time with offset from ISO text or a map",
    ),
    Function::scalar(
        "duration",
        INPUT,
        Duration,
        duration,
        "a duration from ISO text such as 'P2D' or a map such as {days: 2}",
    ),
    Function::scalar(
        "duration.between",
        TWO,
        Duration,
        duration_between,
        "the duration from one temporal value to another",
    ),
    Function::scalar(
        "duration.inMonths",
        TWO,
        Duration,
        duration_in_months,
        "the duration between two values in whole months",
    ),
    Function::scalar(
        "duration.inDays",
        TWO,
        Duration,
        duration_in_days,
        "the duration between two values in whole days",
    ),
    Function::scalar(
        "duration.inSeconds",
        TWO,
        Duration,
        duration_in_seconds,
        "the duration between two values in seconds",
    ),
];

fn construct(call: &Call<'_>, vals: Vec<Val>, kind: TemporalKind) -> Result<Val> {
    let invalid = |msg| call.argument_error("InvalidArgumentValue", msg);
    Ok(match first(vals) {
        Val::Null => Val::Null,
        Val::Map(m) => Val::Temporal(parse::from_map(kind, &m).map_err(invalid)?),
        Val::Str(s) => Val::Temporal(parse::from_text(kind, &s).map_err(invalid)?),
        Val::Temporal(t) if t.kind == kind => Val::Temporal(t),
        other => {
            return Err(call.type_error(format!(
                "{} expects a map of fields such as {{year: 2025}} or ISO text, not {}",
                call.name,
                other.type_name()
            )));
        }
    })
}

fn date(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    construct(call, vals, TemporalKind::Date)
}

fn localtime(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    construct(call, vals, TemporalKind::LocalTime)
}

fn time(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    construct(call, vals, TemporalKind::Time)
}

fn localdatetime(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    construct(call, vals, TemporalKind::LocalDateTime)
}

fn datetime(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    construct(call, vals, TemporalKind::DateTime)
}

fn duration(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    let invalid = |msg| call.argument_error("InvalidArgumentValue", msg);
    Ok(match first(vals) {
        Val::Null => Val::Null,
        Val::Map(m) => Val::Duration(parse::duration_from_map(&m).map_err(invalid)?),
        Val::Str(s) => Val::Duration(parse::duration_from_text(&s).map_err(invalid)?),
        Val::Duration(d) => Val::Duration(d),
        other => {
            return Err(call.type_error(format!(
                "duration expects a map such as {{days: 2}} or ISO text such as 'P2D', not {}",
                other.type_name()
            )));
        }
    })
}

fn duration_of(call: &Call<'_>, vals: Vec<Val>, unit: BetweenUnit) -> Result<Val> {
    let mut it = vals.into_iter();
    let (from, to) = (it.next().unwrap_or_default(), it.next().unwrap_or_default());
    Ok(match (from, to) {
        (Val::Null, _) | (_, Val::Null) => Val::Null,
        (Val::Temporal(x), Val::Temporal(y)) => {
            Val::Duration(between(&x, &y, unit).ok_or_else(|| overflow(call.span))?)
        }
        (x, y) => {
            return Err(call.type_error(format!(
                "{} expects two temporal values, not {} and {}",
                call.name,
                x.type_name(),
                y.type_name()
            )));
        }
    })
}

fn duration_between(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    duration_of(call, vals, BetweenUnit::All)
}

fn duration_in_months(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    duration_of(call, vals, BetweenUnit::Months)
}

fn duration_in_days(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    duration_of(call, vals, BetweenUnit::Days)
}

fn duration_in_seconds(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
    duration_of(call, vals, BetweenUnit::Seconds)
}
