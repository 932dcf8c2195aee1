//! The temporal functions of Cypher (`date`, `localtime`, `time`, `localdatetime`,
//! `datetime`, `duration` and their `.truncate`, `.statement`, `.transaction`,
//! `.realtime`, `.fromepoch` and `duration.between`-style variants) and the fields of
//! temporal values: values built from maps of fields, ISO text or other temporal values.
//! The types themselves, their order and arithmetic live in `graph::temporal`, because
//! they are storable.
//!
//! The function table (`functions::temporal`) names these functions and calls `call` with
//! the `TemporalFn` a row stands for. Nothing here may panic on any argument.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::Offset;

use crate::graph::temporal::{
    BetweenUnit, NANOS_PER_SECOND, Zone, between, ordinal_date, week_date,
};
pub use crate::graph::{Duration, Temporal, TemporalKind};

use super::value::Val;

/// Why a temporal function failed: a wrong type, a wrong value, or a result out of range.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    Type(String),
    Value(String),
    Overflow,
}

type CallResult = Result<Val, CallError>;

/// Which temporal function a row of the function table runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemporalFn {
    /// `date(x)`: from a map, ISO text or another temporal value; `date()` is today.
    Construct(TemporalKind),
    /// `date.statement([zone])` and `date.transaction([zone])`: the statement's clock.
    Statement(TemporalKind),
    /// `date.realtime([zone])`: the clock as it is read.
    Realtime(TemporalKind),
    /// `date.truncate(unit, value[, fields])`.
    Truncate(TemporalKind),
    /// `datetime.fromepoch(seconds, nanoseconds)`.
    FromEpoch,
    /// `datetime.fromepochmillis(milliseconds)`.
    FromEpochMillis,
    /// `duration(x)`.
    Duration,
    /// `duration.between`, `duration.inMonths`, `duration.inDays`, `duration.inSeconds`.
    Between(BetweenUnit),
}

/// Runs the temporal function `f` (called `name` in messages) on evaluated arguments.
/// `clock` is the statement's start, which `date()` and the `.statement` and
/// `.transaction` variants read.
pub fn call(f: TemporalFn, name: &str, args: &[Val], clock: Timestamp) -> CallResult {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Val::Null);
    let clock_in = |kind: TemporalKind, at: Timestamp| match arg(0) {
        Val::Null if !args.is_empty() => Ok(Val::Null),
        Val::Null => now(kind, None, at),
        Val::Str(zone) => now(kind, Some(zone_of(&zone)?), at),
        other => Err(CallError::Type(format!(
            "{name} expects a time zone such as 'Europe/Stockholm', not {}",
            other.type_name()
        ))),
    };
    match f {
        TemporalFn::Construct(kind) if args.is_empty() => now(kind, None, clock),
        TemporalFn::Construct(kind) => construct(kind, arg(0)),
        TemporalFn::Statement(kind) => clock_in(kind, clock),
        TemporalFn::Realtime(kind) => clock_in(kind, Timestamp::now()),
        TemporalFn::Truncate(kind) => truncate(kind, arg(0), arg(1), arg(2)),
        TemporalFn::FromEpoch => from_epoch(arg(0), arg(1), 1),
        TemporalFn::FromEpochMillis => from_epoch(arg(0), Val::Int(0), 1_000_000),
        TemporalFn::Duration => duration(arg(0)),
        TemporalFn::Between(unit) => match (arg(0), arg(1)) {
            (Val::Null, _) | (_, Val::Null) => Ok(Val::Null),
            (Val::Temporal(x), Val::Temporal(y)) => between(&x, &y, unit)
                .map(Val::Duration)
                .ok_or(CallError::Overflow),
            (x, y) => Err(CallError::Type(format!(
                "{name} expects two temporal values, not {} and {}",
                x.type_name(),
                y.type_name()
            ))),
        },
    }
}

/// The current value of `kind` at `at`, in `zone` (UTC when none is given).
fn now(kind: TemporalKind, zone: Option<Zone>, at: Timestamp) -> CallResult {
    let zone = zone.unwrap_or(Zone::Fixed(Offset::UTC));
    let zoned = at.to_zoned_datetime(zone.time_zone());
    let value = match kind {
        TemporalKind::DateTime => Temporal::DateTime(Box::new(zoned)),
        TemporalKind::Time => Temporal::Time(zoned.time(), zoned.offset()),
        _ => Temporal::from_parts(kind, Some(zoned.date()), Some(zoned.time()), None)
            .ok_or(CallError::Overflow)?,
    };
    Ok(Val::Temporal(value))
}

fn zone_of(text: &str) -> Result<Zone, CallError> {
    Zone::parse(text).ok_or_else(|| {
        CallError::Value(format!(
            "{text:?} is not a time zone; give an offset such as '+01:00' or a name such as 'Europe/Stockholm'"
        ))
    })
}

/// `date(x)` and its siblings: from a map of fields, ISO text or another temporal value.
fn construct(kind: TemporalKind, arg: Val) -> CallResult {
    Ok(Val::Temporal(match arg {
        Val::Null => return Ok(Val::Null),
        Val::Map(m) => from_map(kind, &m).map_err(CallError::Value)?,
        Val::Str(s) => from_text(kind, &s).map_err(CallError::Value)?,
        Val::Temporal(t) => {
            let mut map = BTreeMap::new();
            map.insert("datetime".to_string(), Val::Temporal(t));
            from_map(kind, &map).map_err(CallError::Value)?
        }
        other => {
            return Err(CallError::Type(format!(
                "{} expects a map of fields such as {{year: 2025}} or ISO text, not {}",
                kind.function_name(),
                other.type_name()
            )));
        }
    }))
}

fn duration(arg: Val) -> CallResult {
    Ok(Val::Duration(match arg {
        Val::Null => return Ok(Val::Null),
        Val::Map(m) => duration_from_map(&m).map_err(CallError::Value)?,
        Val::Str(s) => duration_from_text(&s).map_err(CallError::Value)?,
        Val::Duration(d) => d,
        other => {
            return Err(CallError::Type(format!(
                "duration expects a map such as {{days: 2}} or ISO text such as 'P2D', not {}",
                other.type_name()
            )));
        }
    }))
}

/// `datetime.fromepoch(seconds, nanoseconds)` (`scale` 1) and
/// `datetime.fromepochmillis(milliseconds)` (`scale` 1e6), in UTC.
fn from_epoch(first: Val, nanos: Val, scale: i128) -> CallResult {
    let (amount, nanos) = match (first, nanos) {
        (Val::Null, _) | (_, Val::Null) => return Ok(Val::Null),
        (Val::Int(a), Val::Int(n)) => (a, n),
        (a, n) => {
            return Err(CallError::Type(format!(
                "datetime.fromepoch expects integers, not {} and {}",
                a.type_name(),
                n.type_name()
            )));
        }
    };
    let total = if scale == 1 {
        i128::from(amount) * i128::from(NANOS_PER_SECOND) + i128::from(nanos)
    } else {
        i128::from(amount) * scale
    };
    let at = Timestamp::from_nanosecond(total).map_err(|_| CallError::Overflow)?;
    Ok(Val::Temporal(Temporal::DateTime(Box::new(
        at.to_zoned_datetime(jiff::tz::TimeZone::UTC),
    ))))
}

/// Parses a temporal value from its ISO text, as in `date('2025-04-11')`.
pub fn from_text(kind: TemporalKind, text: &str) -> Result<Temporal, String> {
    Temporal::parse(kind, text).ok_or_else(|| {
        format!(
            "{text:?} is not a valid {}; write it in ISO 8601 form",
            kind.type_name()
        )
    })
}

/// The fields of a map argument, by lower-cased name.
struct Fields<'m> {
    map: BTreeMap<String, &'m Val>,
}

impl<'m> Fields<'m> {
    fn new(map: &'m BTreeMap<String, Val>) -> Self {
        Fields {
            map: map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
        }
    }

    fn has(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    fn int(&self, name: &str) -> Result<Option<i64>, String> {
        match self.map.get(name) {
            None => Ok(None),
            Some(Val::Int(i)) => Ok(Some(*i)),
            Some(other) => Err(format!(
                "`{name}` must be an integer, not {}",
                other.type_name()
            )),
        }
    }

    fn temporal(&self, name: &str) -> Result<Option<&'m Temporal>, String> {
        match self.map.get(name) {
            None => Ok(None),
            Some(Val::Temporal(t)) => Ok(Some(t)),
            Some(other) => Err(format!(
                "`{name}` must be a temporal value, not {}",
                other.type_name()
            )),
        }
    }
}

/// What a value is built from before its fields are applied.
#[derive(Default)]
struct Parts {
    date: Option<Date>,
    time: Option<Time>,
    zone: Option<Zone>,
}

/// Builds a temporal value from a map of fields; `Err` says what is wrong. `datetime`,
/// `date` and `time` entries give a base value whose parts the other fields replace; a
/// `timezone` converts a base that has a zone into the new zone first.
pub fn from_map(kind: TemporalKind, map: &BTreeMap<String, Val>) -> Result<Temporal, String> {
    let fields = Fields::new(map);
    let mut new_zone = match fields.map.get("timezone") {
        None => None,
        Some(Val::Str(s)) => Some(Zone::parse(s).ok_or_else(|| {
            format!("{s:?} is not a time zone; give an offset such as '+01:00' or a name such as 'Europe/Stockholm'")
        })?),
        Some(other) => {
            return Err(format!(
                "`timezone` must be a string, not {}",
                other.type_name()
            ));
        }
    };
    let mut parts = Parts::default();
    if let Some(base) = fields.temporal("datetime")? {
        let base = convert(base, new_zone.as_ref());
        parts.date = base.date();
        parts.time = base.time();
        parts.zone = base.zone();
    }
    if let Some(base) = fields.temporal("date")? {
        parts.date = Some(
            base.date()
                .ok_or_else(|| format!("a {} has no date", base.kind().type_name()))?,
        );
    }
    // A datetime's time of day moved into a new zone keeps its own zone until the date is
    // known: its offset on that date decides the instant (Neo4j builds it so).
    let mut convert_after = None;
    if let Some(base) = fields.temporal("time")? {
        let base = match base {
            Temporal::DateTime(_) if kind == TemporalKind::DateTime && new_zone.is_some() => {
                convert_after = new_zone.take();
                base.clone()
            }
            _ => convert(base, new_zone.as_ref()),
        };
        parts.time = Some(
            base.time()
                .ok_or_else(|| format!("a {} has no time", base.kind().type_name()))?,
        );
        if base.zone().is_some() {
            parts.zone = base.zone();
        }
    }
    if new_zone.is_some() {
        parts.zone = new_zone;
    }
    let built = apply_fields(kind, parts, &fields)?;
    Ok(match (convert_after, &built) {
        (Some(zone), Temporal::DateTime(_)) => convert(&built, Some(&zone)),
        _ => built,
    })
}

/// `base` seen in `zone` (the same instant), when it has a zone and one is given.
fn convert(base: &Temporal, zone: Option<&Zone>) -> Temporal {
    let Some(zone) = zone else {
        return base.clone();
    };
    match base {
        Temporal::DateTime(zdt) => {
            Temporal::DateTime(Box::new(zdt.with_time_zone(zone.time_zone())))
        }
        Temporal::Time(time, offset) => {
            let target = zone.offset_at(None);
            let shift = i64::from(target.seconds() - offset.seconds());
            let moved = time.wrapping_add(jiff::SignedDuration::from_secs(shift));
            Temporal::Time(moved, target)
        }
        other => other.clone(),
    }
}

/// Applies the date and time fields of `fields` to `parts` and builds a value of `kind`.
fn apply_fields(kind: TemporalKind, parts: Parts, fields: &Fields<'_>) -> Result<Temporal, String> {
    let date = if kind.has_date() || kind == TemporalKind::Time {
        date_fields(parts.date, fields, kind.has_date())?
    } else {
        None
    };
    let time = if kind.has_time() {
        Some(time_fields(parts.time, fields)?)
    } else {
        None
    };
    Temporal::from_parts(kind, date, time, parts.zone.as_ref())
        .ok_or_else(|| format!("a {} needs a `year`", kind.type_name()))
}

fn small<T: TryFrom<i64>>(value: i64, name: &str) -> Result<T, String> {
    T::try_from(value).map_err(|_| format!("`{name}` is out of range: {value}"))
}

/// The date `fields` describe, on top of `base` if there is one: a calendar date
/// (year, month, day), a week date (year, week, dayOfWeek), an ordinal date (year,
/// ordinalDay) or a quarter date (year, quarter, dayOfQuarter).
fn date_fields(base: Option<Date>, f: &Fields<'_>, needed: bool) -> Result<Option<Date>, String> {
    let invalid = || "the fields do not make a valid date".to_string();
    let year = f.int("year")?;
    if base.is_none() && year.is_none() {
        let any = [
            "month",
            "day",
            "week",
            "dayofweek",
            "ordinalday",
            "quarter",
            "dayofquarter",
        ]
        .iter()
        .any(|k| f.has(k));
        if any || needed {
            return Err("a date needs a `year`".into());
        }
        return Ok(None);
    }
    let date = if f.has("week") || f.has("dayofweek") {
        let iso = base.map(|d| d.iso_week_date());
        let year = match year {
            Some(y) => small(y, "year")?,
            None => iso.map_or(1970, |w| w.year()),
        };
        let week = f
            .int("week")?
            .unwrap_or(iso.map_or(1, |w| i64::from(w.week())));
        let day = f
            .int("dayofweek")?
            .unwrap_or(iso.map_or(1, |w| i64::from(w.weekday().to_monday_one_offset())));
        week_date(year, week, day).ok_or_else(invalid)?
    } else if let Some(ordinal) = f.int("ordinalday")? {
        let year = year.map_or(Ok(base.map_or(1970, |d| d.year())), |y| small(y, "year"))?;
        ordinal_date(year, ordinal).ok_or_else(invalid)?
    } else if f.has("quarter") || f.has("dayofquarter") {
        let year: i16 = year.map_or(Ok(base.map_or(1970, |d| d.year())), |y| small(y, "year"))?;
        let current = base.map_or(1, |d| (i64::from(d.month()) - 1) / 3 + 1);
        let quarter = f.int("quarter")?.unwrap_or(current);
        if !(1..=4).contains(&quarter) {
            return Err(format!("`quarter` must be 1 to 4, not {quarter}"));
        }
        let first =
            Date::new(year, small((quarter - 1) * 3 + 1, "quarter")?, 1).map_err(|_| invalid())?;
        match (f.int("dayofquarter")?, base) {
            (Some(day), _) => {
                let date = first
                    .checked_add(jiff::Span::new().try_days(day - 1).map_err(|_| invalid())?)
                    .map_err(|_| invalid())?;
                if day < 1 || (i64::from(date.month()) - 1) / 3 + 1 != quarter {
                    return Err(invalid());
                }
                date
            }
            // A new quarter keeps the month within the quarter and the day of the month.
            (None, Some(b)) => {
                let month = (quarter - 1) * 3 + (i64::from(b.month()) - 1) % 3 + 1;
                let start = Date::new(year, small(month, "quarter")?, 1).map_err(|_| invalid())?;
                let day = b.day().min(start.days_in_month());
                Date::new(year, start.month(), day).map_err(|_| invalid())?
            }
            (None, None) => first,
        }
    } else {
        let year = year.map_or(Ok(base.map_or(1970, |d| d.year())), |y| small(y, "year"))?;
        let month = f
            .int("month")?
            .unwrap_or(base.map_or(1, |d| i64::from(d.month())));
        let day = f
            .int("day")?
            .unwrap_or(base.map_or(1, |d| i64::from(d.day())));
        Date::new(year, small(month, "month")?, small(day, "day")?).map_err(|_| invalid())?
    };
    Ok(Some(date))
}

/// The time of day `fields` describe, on top of `base` if there is one. Any of
/// millisecond, microsecond and nanosecond replaces the whole fraction of the second.
fn time_fields(base: Option<Time>, f: &Fields<'_>) -> Result<Time, String> {
    let base = base.unwrap_or(Time::midnight());
    let hour = f.int("hour")?.unwrap_or(i64::from(base.hour()));
    let minute = f.int("minute")?.unwrap_or(i64::from(base.minute()));
    let second = f.int("second")?.unwrap_or(i64::from(base.second()));
    // Each of millisecond, microsecond and nanosecond replaces its own three digits of the
    // base's fraction; a larger microsecond or nanosecond alone stands for the finer rest.
    let base_nanos = i64::from(base.subsec_nanosecond());
    let (ms, us, ns) = (
        f.int("millisecond")?,
        f.int("microsecond")?,
        f.int("nanosecond")?,
    );
    let nanos = match (ms, us, ns) {
        (None, None, Some(ns)) if ns >= 1_000 => ns,
        (None, Some(us), ns) if us >= 1_000 => us * 1_000 + ns.unwrap_or(base_nanos % 1_000),
        _ => {
            let ms = ms.unwrap_or(base_nanos / 1_000_000);
            let us = us.unwrap_or(base_nanos / 1_000 % 1_000);
            let ns = ns.unwrap_or(base_nanos % 1_000);
            if !(0..1_000).contains(&ms) || !(0..1_000).contains(&us) || !(0..1_000).contains(&ns) {
                return Err("the fraction of the second is out of range".into());
            }
            ms * 1_000_000 + us * 1_000 + ns
        }
    };
    if !(0..NANOS_PER_SECOND).contains(&nanos) {
        return Err("the fraction of the second is out of range".into());
    }
    Time::new(
        small(hour, "hour")?,
        small(minute, "minute")?,
        small(second, "second")?,
        small(nanos, "nanosecond")?,
    )
    .map_err(|_| "the time of day is out of range".to_string())
}

/// `kind.truncate(unit, value, fields)`: `value` cut down to the start of its `unit`
/// (millennium, century, decade, year, weekYear, quarter, month, week, day, hour, minute,
/// second, millisecond, microsecond), as a value of `kind`, then `fields` applied on top.
/// A `timezone` field replaces the zone without moving the clock.
fn truncate(kind: TemporalKind, unit: Val, value: Val, fields: Val) -> CallResult {
    let unit = match unit {
        Val::Null => return Ok(Val::Null),
        Val::Str(s) => s,
        other => {
            return Err(CallError::Type(format!(
                "truncate expects a unit such as 'month', not {}",
                other.type_name()
            )));
        }
    };
    let value = match value {
        Val::Null => return Ok(Val::Null),
        Val::Temporal(t) => t,
        other => {
            return Err(CallError::Type(format!(
                "truncate expects a temporal value, not {}",
                other.type_name()
            )));
        }
    };
    let map = match fields {
        Val::Null => BTreeMap::new(),
        Val::Map(m) => m,
        other => {
            return Err(CallError::Type(format!(
                "truncate expects a map of fields, not {}",
                other.type_name()
            )));
        }
    };
    let bad = |msg: String| CallError::Value(msg);
    let (date, time) = truncate_parts(&unit, value.date(), value.time()).map_err(bad)?;
    if kind.has_date() && date.is_none() {
        return Err(bad(format!(
            "cannot truncate a {} to a {}",
            value.kind().type_name(),
            kind.type_name()
        )));
    }
    let f = Fields::new(&map);
    let mut parts = Parts {
        date,
        time,
        zone: value.zone(),
    };
    if let Some(Val::Str(zone)) = f.map.get("timezone") {
        parts.zone = Some(zone_of(zone)?);
    }
    let built = apply_fields(kind, parts, &f).map_err(bad)?;
    Ok(Val::Temporal(built))
}

/// The date and time of day at the start of `unit`.
fn truncate_parts(
    unit: &str,
    date: Option<Date>,
    time: Option<Time>,
) -> Result<(Option<Date>, Option<Time>), String> {
    let need_date =
        || date.ok_or_else(|| format!("a value without a date cannot be truncated to a {unit}"));
    let year_start = |d: Date, every: i16| -> Result<Date, String> {
        let year = d.year().div_euclid(every) * every;
        Date::new(year, 1, 1).map_err(|e| e.to_string())
    };
    let midnight = Some(Time::midnight());
    let cut = |t: Option<Time>, keep: u8| -> Option<Time> {
        let t = t.unwrap_or(Time::midnight());
        let nanos = t.subsec_nanosecond();
        let (minute, second, nanos) = match keep {
            0 => (0, 0, 0),
            1 => (t.minute(), 0, 0),
            2 => (t.minute(), t.second(), 0),
            3 => (t.minute(), t.second(), nanos - nanos % 1_000_000),
            _ => (t.minute(), t.second(), nanos - nanos % 1_000),
        };
        Time::new(t.hour(), minute, second, nanos).ok()
    };
    Ok(match unit {
        "millennium" => (Some(year_start(need_date()?, 1000)?), midnight),
        "century" => (Some(year_start(need_date()?, 100)?), midnight),
        "decade" => (Some(year_start(need_date()?, 10)?), midnight),
        "year" => (Some(year_start(need_date()?, 1)?), midnight),
        "weekYear" => {
            let d = need_date()?;
            let week_year = d.iso_week_date().year();
            (
                Some(week_date(week_year, 1, 1).ok_or("the week-based year is out of range")?),
                midnight,
            )
        }
        "quarter" => {
            let d = need_date()?;
            let month = (d.month() - 1) / 3 * 3 + 1;
            (
                Some(Date::new(d.year(), month, 1).map_err(|e| e.to_string())?),
                midnight,
            )
        }
        "month" => (Some(need_date()?.first_of_month()), midnight),
        "week" => {
            let d = need_date()?;
            let back = i64::from(d.weekday().to_monday_zero_offset());
            let monday = d
                .checked_sub(jiff::Span::new().days(back))
                .map_err(|e| e.to_string())?;
            (Some(monday), midnight)
        }
        "day" => (Some(need_date()?), midnight),
        "hour" => (date, cut(time, 0)),
        "minute" => (date, cut(time, 1)),
        "second" => (date, cut(time, 2)),
        "millisecond" => (date, cut(time, 3)),
        "microsecond" => (date, cut(time, 4)),
        other => return Err(format!("{other:?} is not a unit to truncate to")),
    })
}

/// Builds a duration from a map such as `{months: 1, days: 2}`. Fractions cascade down:
/// half a day is twelve hours, a fraction of a month is counted in average-month seconds.
pub fn duration_from_map(map: &BTreeMap<String, Val>) -> Result<Duration, String> {
    let (mut months, mut days, mut seconds, mut nanos) = (0.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
    let mut exact_nanos: i128 = 0;
    for (key, value) in map {
        let (n, exact) = match value {
            Val::Null => continue,
            Val::Int(i) => (*i as f64, Some(*i)),
            Val::Float(f) if f.is_finite() => (*f, None),
            other => {
                return Err(format!(
                    "`{key}` must be a number, not {}",
                    other.type_name()
                ));
            }
        };
        // Whole numbers of time units are added exactly, so that nanoseconds survive;
        // fractions of hours, minutes and seconds go through seconds, finer ones through
        // nanoseconds.
        let mut time = |nanos_per_unit: i128, in_seconds: bool| match exact {
            Some(i) => exact_nanos += i128::from(i) * nanos_per_unit,
            None if in_seconds => seconds += n * (nanos_per_unit / 1_000_000_000) as f64,
            None => nanos += n * nanos_per_unit as f64,
        };
        match key.to_ascii_lowercase().as_str() {
            "years" => months += n * 12.0,
            "quarters" => months += n * 3.0,
            "months" => months += n,
            "weeks" => days += n * 7.0,
            "days" => days += n,
            "hours" => time(3_600_000_000_000, true),
            "minutes" => time(60_000_000_000, true),
            "seconds" => time(1_000_000_000, true),
            "milliseconds" => time(1_000_000, false),
            "microseconds" => time(1_000, false),
            "nanoseconds" => time(1, false),
            other => return Err(format!("`{other}` is not a field of a duration")),
        }
    }
    let out_of_range = || "the duration is out of range".to_string();
    let fractional =
        Duration::from_fractions(months, days, seconds, nanos).ok_or_else(out_of_range)?;
    Duration::new(
        fractional.months,
        fractional.days,
        fractional.total_nanos() + exact_nanos,
    )
    .ok_or_else(out_of_range)
}

/// Parses a duration from ISO 8601 text, as in `duration('P1M2DT3H')`.
pub fn duration_from_text(text: &str) -> Result<Duration, String> {
    Duration::parse(text).ok_or_else(|| {
        format!("{text:?} is not an ISO 8601 duration; write it like 'P1Y2M3DT4H5M6S'")
    })
}

/// A field of a temporal value (`d.year`, `t.minute`, `dt.timezone`, ...), or `None` if
/// it has none.
pub fn temporal_field(t: &Temporal, key: &str) -> Option<Val> {
    let int = |v: i64| Some(Val::Int(v));
    if let Some((year, local)) = t.far_fields() {
        // Beyond jiff's years only the calendar and clock fields are known.
        let time = t.time();
        return match key {
            "year" => int(year),
            "quarter" => int(i64::from((local.month() - 1) / 3 + 1)),
            "month" => int(i64::from(local.month())),
            "day" => int(i64::from(local.day())),
            "hour" if time.is_some() => int(i64::from(local.hour())),
            "minute" if time.is_some() => int(i64::from(local.minute())),
            "second" if time.is_some() => int(i64::from(local.second())),
            _ => None,
        };
    }
    if let Some(d) = t.date() {
        let quarter_start = Date::new(d.year(), (d.month() - 1) / 3 * 3 + 1, 1).ok()?;
        match key {
            "year" => return int(i64::from(d.year())),
            "quarter" => return int(i64::from((d.month() - 1) / 3 + 1)),
            "month" => return int(i64::from(d.month())),
            "week" => return int(i64::from(d.iso_week_date().week())),
            "weekYear" => return int(i64::from(d.iso_week_date().year())),
            "day" => return int(i64::from(d.day())),
            "ordinalDay" => return int(i64::from(d.day_of_year())),
            "weekDay" | "dayOfWeek" => {
                return int(i64::from(d.weekday().to_monday_one_offset()));
            }
            "dayOfQuarter" => {
                return int(d.duration_since(quarter_start).as_secs() / 86_400 + 1);
            }
            _ => {}
        }
    }
    if let Some(time) = t.time() {
        let nanos = i64::from(time.subsec_nanosecond());
        match key {
            "hour" => return int(i64::from(time.hour())),
            "minute" => return int(i64::from(time.minute())),
            "second" => return int(i64::from(time.second())),
            "millisecond" => return int(nanos / 1_000_000),
            "microsecond" => return int(nanos / 1_000),
            "nanosecond" => return int(nanos),
            _ => {}
        }
    }
    if let Some(offset) = t.offset() {
        let text = || {
            let mut s = Temporal::Time(Time::midnight(), offset).iso();
            s.replace_range(..5, "");
            if s == "Z" { "+00:00".to_string() } else { s }
        };
        match key {
            "timezone" => {
                return Some(Val::Str(t.zone_name().map_or_else(text, str::to_string)));
            }
            "offset" => return Some(Val::Str(text())),
            "offsetMinutes" => return int(i64::from(offset.seconds() / 60)),
            "offsetSeconds" => return int(i64::from(offset.seconds())),
            _ => {}
        }
    }
    if let Temporal::DateTime(zdt) = t {
        let nanos = zdt.timestamp().as_nanosecond();
        match key {
            "epochSeconds" => return int(i64::try_from(nanos.div_euclid(1_000_000_000)).ok()?),
            "epochMillis" => return int(i64::try_from(nanos.div_euclid(1_000_000)).ok()?),
            _ => {}
        }
    }
    None
}

/// A component of a duration (`d.days`, `d.nanosecondsOfSecond`, ...), as openCypher names
/// them: whole totals per unit and the remainders within the next unit up.
pub fn duration_field(d: &Duration, key: &str) -> Option<i64> {
    let ns = d.nanos;
    Some(match key {
        "years" => d.months / 12,
        "quarters" => d.months / 3,
        "months" => d.months,
        "weeks" => d.days / 7,
        "days" => d.days,
        "hours" => d.seconds / 3600,
        "minutes" => d.seconds / 60,
        "seconds" => d.seconds,
        "milliseconds" => d.seconds.checked_mul(1_000)?.checked_add(ns / 1_000_000)?,
        "microseconds" => d.seconds.checked_mul(1_000_000)?.checked_add(ns / 1_000)?,
        "nanoseconds" => d.seconds.checked_mul(NANOS_PER_SECOND)?.checked_add(ns)?,
        "quartersOfYear" => (d.months % 12) / 3,
        "monthsOfQuarter" => d.months % 3,
        "monthsOfYear" => d.months % 12,
        "daysOfWeek" => d.days % 7,
        "minutesOfHour" => (d.seconds / 60) % 60,
        "secondsOfMinute" => d.seconds % 60,
        "millisecondsOfSecond" => ns / 1_000_000,
        "microsecondsOfSecond" => ns / 1_000,
        "nanosecondsOfSecond" => ns,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(kind: TemporalKind, fields: &[(&str, Val)]) -> Temporal {
        let map = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        from_map(kind, &map).unwrap()
    }

    #[test]
    fn times_print_in_iso_form_and_order_by_instant() {
        let d = make(
            TemporalKind::Date,
            &[
                ("year", Val::Int(1984)),
                ("month", Val::Int(10)),
                ("day", Val::Int(11)),
            ],
        );
        assert_eq!(d.iso(), "1984-10-11");
        let a = make(
            TemporalKind::Time,
            &[
                ("hour", Val::Int(12)),
                ("minute", Val::Int(35)),
                ("second", Val::Int(15)),
                ("timezone", Val::Str("+05:00".into())),
            ],
        );
        let b = make(
            TemporalKind::Time,
            &[
                ("hour", Val::Int(10)),
                ("minute", Val::Int(35)),
                ("timezone", Val::Str("-08:00".into())),
            ],
        );
        assert_eq!(a.iso(), "12:35:15+05:00");
        assert_eq!(b.iso(), "10:35-08:00");
        assert!(
            a.instant_key() < b.instant_key(),
            "07:35 UTC comes before 18:35 UTC"
        );
        assert!(from_map(TemporalKind::Date, &BTreeMap::new()).is_err());
    }

    #[test]
    fn week_quarter_and_ordinal_fields_build_dates() {
        let date = |fields: &[(&str, i64)]| {
            let owned: Vec<(&str, Val)> = fields.iter().map(|(k, v)| (*k, Val::Int(*v))).collect();
            make(TemporalKind::Date, &owned).iso()
        };
        assert_eq!(date(&[("year", 1817), ("week", 1)]), "1816-12-30");
        assert_eq!(
            date(&[("year", 1984), ("week", 10), ("dayOfWeek", 3)]),
            "1984-03-07"
        );
        assert_eq!(date(&[("year", 1984), ("ordinalDay", 202)]), "1984-07-20");
        assert_eq!(
            date(&[("year", 1984), ("quarter", 3), ("dayOfQuarter", 45)]),
            "1984-08-14"
        );
    }

    #[test]
    fn truncation_keeps_the_unit_and_applies_fields() {
        let base = Val::Temporal(Temporal::parse(TemporalKind::Date, "1984-02-01").unwrap());
        let result = |unit: &str, kind: TemporalKind, map: BTreeMap<String, Val>| match truncate(
            kind,
            Val::Str(unit.into()),
            base.clone(),
            Val::Map(map),
        )
        .unwrap()
        {
            Val::Temporal(t) => t.iso(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            result("weekYear", TemporalKind::Date, BTreeMap::new()),
            "1984-01-02"
        );
        let mut zone = BTreeMap::new();
        zone.insert("timezone".to_string(), Val::Str("Europe/Stockholm".into()));
        assert_eq!(
            result("month", TemporalKind::DateTime, zone),
            "1984-02-01T00:00+01:00[Europe/Stockholm]"
        );
        assert!(
            truncate(
                TemporalKind::Date,
                Val::Str("fortnight".into()),
                base,
                Val::Null
            )
            .is_err()
        );
    }
}
