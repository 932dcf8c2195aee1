//! Temporal functions (`date`, `datetime.truncate`, `date.statement`, `duration.between`,
//! ...): the table rows and one-line bodies that hand the work to `query::temporal`, where
//! values are built from Cypher arguments (the values and calendar rules are the store's,
//! `graph::temporal`).

use super::Type::{Any, Duration, Integer, Map, String as Str, Temporal};
use super::{Call, Function, Param, param};
use crate::graph::temporal::{BetweenUnit, TemporalKind};
use crate::query::eval::{Result, overflow};
use crate::query::temporal::{CallError, TemporalFn, call as run_temporal};
use crate::query::value::Val;

const INPUT: &[Param] = &[param("input", Any)];
const ZONE: &[Param] = &[param("timezone", Str)];
const TRUNCATE: &[Param] = &[
    param("unit", Str),
    param("input", Temporal),
    param("fields", Map),
];
const EPOCH: &[Param] = &[param("seconds", Integer), param("nanoseconds", Integer)];
const MILLIS: &[Param] = &[param("milliseconds", Integer)];
const TWO: &[Param] = &[param("from", Temporal), param("to", Temporal)];

pub(super) const FUNCTIONS: &[Function] = &[
    Function::scalar(
        "date",
        INPUT,
        Temporal,
        date,
        "a date from ISO text, a map of fields or another temporal value; now without one",
    )
    .optional(1),
    Function::scalar(
        "date.statement",
        ZONE,
        Temporal,
        date_statement,
        "a date when the statement started, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "date.transaction",
        ZONE,
        Temporal,
        date_transaction,
        "a date when the transaction (here: the statement) started, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "date.realtime",
        ZONE,
        Temporal,
        date_realtime,
        "a date as the clock reads now, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "date.truncate",
        TRUNCATE,
        Temporal,
        date_truncate,
        "a date at the start of a unit ('year', 'month', 'week', 'hour', ...) of a value, with fields replaced",
    )
    .optional(1),
    Function::scalar(
        "localtime",
        INPUT,
        Temporal,
        localtime,
        "a time of day without zone from ISO text, a map of fields or another temporal value; now without one",
    )
    .optional(1),
    Function::scalar(
        "localtime.statement",
        ZONE,
        Temporal,
        localtime_statement,
        "a time of day without zone when the statement started, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "localtime.transaction",
        ZONE,
        Temporal,
        localtime_transaction,
        "a time of day without zone when the transaction (here: the statement) started, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "localtime.realtime",
        ZONE,
        Temporal,
        localtime_realtime,
        "a time of day without zone as the clock reads now, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "localtime.truncate",
        TRUNCATE,
        Temporal,
        localtime_truncate,
        "a time of day without zone at the start of a unit ('year', 'month', 'week', 'hour', ...) of a value, with fields replaced",
    )
    .optional(1),
    Function::scalar(
        "time",
        INPUT,
        Temporal,
        time,
        "a time of day with an offset from ISO text, a map of fields or another temporal value; now without one",
    )
    .optional(1),
    Function::scalar(
        "time.statement",
        ZONE,
        Temporal,
        time_statement,
        "a time of day with an offset when the statement started, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "time.transaction",
        ZONE,
        Temporal,
        time_transaction,
        "a time of day with an offset when the transaction (here: the statement) started, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "time.realtime",
        ZONE,
        Temporal,
        time_realtime,
        "a time of day with an offset as the clock reads now, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "time.truncate",
        TRUNCATE,
        Temporal,
        time_truncate,
        "a time of day with an offset at the start of a unit ('year', 'month', 'week', 'hour', ...) of a value, with fields replaced",
    )
    .optional(1),
    Function::scalar(
        "localdatetime",
        INPUT,
        Temporal,
        localdatetime,
        "a date and time without zone from ISO text, a map of fields or another temporal value; now without one",
    )
    .optional(1),
    Function::scalar(
        "localdatetime.statement",
        ZONE,
        Temporal,
        localdatetime_statement,
        "a date and time without zone when the statement started, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "localdatetime.transaction",
        ZONE,
        Temporal,
        localdatetime_transaction,
        "a date and time without zone when the transaction (here: the statement) started, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "localdatetime.realtime",
        ZONE,
        Temporal,
        localdatetime_realtime,
        "a date and time without zone as the clock reads now, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "localdatetime.truncate",
        TRUNCATE,
        Temporal,
        localdatetime_truncate,
        "a date and time without zone at the start of a unit ('year', 'month', 'week', 'hour', ...) of a value, with fields replaced",
    )
    .optional(1),
    Function::scalar(
        "datetime",
        INPUT,
        Temporal,
        datetime,
        "a date and time with a zone from ISO text, a map of fields or another temporal value; now without one",
    )
    .optional(1),
    Function::scalar(
        "datetime.statement",
        ZONE,
        Temporal,
        datetime_statement,
        "a date and time with a zone when the statement started, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "datetime.transaction",
        ZONE,
        Temporal,
        datetime_transaction,
        "a date and time with a zone when the transaction (here: the statement) started, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "datetime.realtime",
        ZONE,
        Temporal,
        datetime_realtime,
        "a date and time with a zone as the clock reads now, in UTC or the zone given",
    )
    .optional(1),
    Function::scalar(
        "datetime.truncate",
        TRUNCATE,
        Temporal,
        datetime_truncate,
        "a date and time with a zone at the start of a unit ('year', 'month', 'week', 'hour', ...) of a value, with fields replaced",
    )
    .optional(1),
    Function::scalar(
        "datetime.fromEpoch",
        EPOCH,
        Temporal,
        datetime_from_epoch,
        "the UTC datetime a number of seconds and nanoseconds after 1970-01-01",
    ),
    Function::scalar(
        "datetime.fromEpochMillis",
        MILLIS,
        Temporal,
        datetime_from_epoch_millis,
        "the UTC datetime a number of milliseconds after 1970-01-01",
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
        "the duration from one temporal value to another: months, days, then time",
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

/// Runs the temporal function `f` for a call, turning its errors into query errors.
fn run(call: &Call<'_>, vals: Vec<Val>, f: TemporalFn) -> Result<Val> {
    run_temporal(f, call.name, &vals, call.ctx.clock).map_err(|e| match e {
        CallError::Type(msg) => call.type_error(msg),
        CallError::Value(msg) => call.argument_error("InvalidArgumentValue", msg),
        CallError::Overflow => overflow(call.span),
    })
}

/// One body per row, each naming the `TemporalFn` it runs.
macro_rules! bodies {
    ($($body:ident => $f:expr,)*) => {
        $(
            fn $body(call: &Call<'_>, vals: Vec<Val>) -> Result<Val> {
                run(call, vals, $f)
            }
        )*
    };
}

bodies! {
    date => TemporalFn::Construct(TemporalKind::Date),
    date_statement => TemporalFn::Statement(TemporalKind::Date),
    date_transaction => TemporalFn::Statement(TemporalKind::Date),
    date_realtime => TemporalFn::Realtime(TemporalKind::Date),
    date_truncate => TemporalFn::Truncate(TemporalKind::Date),
    localtime => TemporalFn::Construct(TemporalKind::LocalTime),
    localtime_statement => TemporalFn::Statement(TemporalKind::LocalTime),
    localtime_transaction => TemporalFn::Statement(TemporalKind::LocalTime),
    localtime_realtime => TemporalFn::Realtime(TemporalKind::LocalTime),
    localtime_truncate => TemporalFn::Truncate(TemporalKind::LocalTime),
    time => TemporalFn::Construct(TemporalKind::Time),
    time_statement => TemporalFn::Statement(TemporalKind::Time),
    time_transaction => TemporalFn::Statement(TemporalKind::Time),
    time_realtime => TemporalFn::Realtime(TemporalKind::Time),
    time_truncate => TemporalFn::Truncate(TemporalKind::Time),
    localdatetime => TemporalFn::Construct(TemporalKind::LocalDateTime),
    localdatetime_statement => TemporalFn::Statement(TemporalKind::LocalDateTime),
    localdatetime_transaction => TemporalFn::Statement(TemporalKind::LocalDateTime),
    localdatetime_realtime => TemporalFn::Realtime(TemporalKind::LocalDateTime),
    localdatetime_truncate => TemporalFn::Truncate(TemporalKind::LocalDateTime),
    datetime => TemporalFn::Construct(TemporalKind::DateTime),
    datetime_statement => TemporalFn::Statement(TemporalKind::DateTime),
    datetime_transaction => TemporalFn::Statement(TemporalKind::DateTime),
    datetime_realtime => TemporalFn::Realtime(TemporalKind::DateTime),
    datetime_truncate => TemporalFn::Truncate(TemporalKind::DateTime),
    datetime_from_epoch => TemporalFn::FromEpoch,
    datetime_from_epoch_millis => TemporalFn::FromEpochMillis,
    duration => TemporalFn::Duration,
    duration_between => TemporalFn::Between(BetweenUnit::All),
    duration_in_months => TemporalFn::Between(BetweenUnit::Months),
    duration_in_days => TemporalFn::Between(BetweenUnit::Days),
    duration_in_seconds => TemporalFn::Between(BetweenUnit::Seconds),
}
