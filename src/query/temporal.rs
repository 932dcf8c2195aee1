//! Temporal values and durations built from Cypher arguments (maps of fields or ISO text);
//! the types themselves, their order and arithmetic live in `graph::temporal`, because they
//! are storable.
//!
//! This is a subset: no named time zones, no week or ordinal dates. It must never panic on
//! any argument.

use std::collections::BTreeMap;

use crate::graph::temporal::{MAX_YEAR, NANOS_PER_SECOND, parse_offset};
pub use crate::graph::{Duration, Temporal, TemporalKind};

use super::value::Val;

/// Builds a temporal value from a map of fields; `Err` says what is wrong.
pub fn from_map(kind: TemporalKind, map: &BTreeMap<String, Val>) -> Result<Temporal, String> {
    let mut fields: BTreeMap<String, &Val> = BTreeMap::new();
    for (k, v) in map {
        fields.insert(k.to_ascii_lowercase(), v);
    }
    let int = |name: &str, default: i64| -> Result<i64, String> {
        match fields.get(name) {
            None | Some(Val::Null) => Ok(default),
            Some(Val::Int(i)) => Ok(*i),
            Some(other) => Err(format!(
                "`{name}` must be an integer, not {}",
                other.type_name()
            )),
        }
    };
    let year = int("year", i64::MIN)?;
    if kind.has_date() && year == i64::MIN {
        return Err("a date needs a `year`".into());
    }
    let date = (year, int("month", 1)?, int("day", 1)?);
    let nanos = int("millisecond", 0)?
        .saturating_mul(1_000_000)
        .saturating_add(int("microsecond", 0)?.saturating_mul(1_000))
        .saturating_add(int("nanosecond", 0)?);
    let time = (int("hour", 0)?, int("minute", 0)?, int("second", 0)?, nanos);
    let offset = match fields.get("timezone") {
        None | Some(Val::Null) => 0,
        Some(Val::Str(s)) => parse_offset(s).ok_or_else(|| {
            format!("the time zone {s:?} is not supported; give an offset such as +01:00")
        })?,
        Some(other) => {
            return Err(format!(
                "`timezone` must be a string, not {}",
                other.type_name()
            ));
        }
    };
    Temporal::from_parts(kind, date, time, offset)
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

/// Builds a duration from a map such as `{months: 1, days: 2}`. Fractions cascade down:
/// half a day is twelve hours, a fraction of a month is counted in average-month seconds.
pub fn duration_from_map(map: &BTreeMap<String, Val>) -> Result<Duration, String> {
    // Average lengths openCypher uses to cascade fractions of larger units.
    const SECONDS_PER_MONTH: f64 = 2_629_746.0;
    const SECONDS_PER_DAY: f64 = 86_400.0;
    let mut months: f64 = 0.0;
    let mut days: f64 = 0.0;
    let mut nanos: f64 = 0.0;
    for (key, value) in map {
        let n = match value {
            Val::Null => continue,
            Val::Int(i) => *i as f64,
            Val::Float(f) if f.is_finite() => *f,
            other => {
                return Err(format!(
                    "`{key}` must be a number, not {}",
                    other.type_name()
                ));
            }
        };
        let ns = NANOS_PER_SECOND as f64;
        match key.to_ascii_lowercase().as_str() {
            "years" => months += n * 12.0,
            "quarters" => months += n * 3.0,
            "months" => months += n,
            "weeks" => days += n * 7.0,
            "days" => days += n,
            "hours" => nanos += n * 3600.0 * ns,
            "minutes" => nanos += n * 60.0 * ns,
            "seconds" => nanos += n * ns,
            "milliseconds" => nanos += n * 1e6,
            "microseconds" => nanos += n * 1e3,
            "nanoseconds" => nanos += n,
            other => return Err(format!("`{other}` is not a field of a duration")),
        }
    }
    let whole_months = months.trunc();
    days += (months - whole_months) * SECONDS_PER_MONTH / SECONDS_PER_DAY;
    let whole_days = days.trunc();
    nanos += (days - whole_days) * SECONDS_PER_DAY * NANOS_PER_SECOND as f64;
    let limit = (MAX_YEAR * 12) as f64;
    if whole_months.abs() > limit || whole_days.abs() > limit * 31.0 || nanos.abs() > 1e36 {
        return Err("the duration is out of range".into());
    }
    Duration::new(
        whole_months as i64,
        whole_days as i64,
        nanos.round() as i128,
    )
    .ok_or_else(|| "the duration is out of range".to_string())
}

/// Parses a duration from ISO 8601 text, as in `duration('P1M2DT3H')`.
pub fn duration_from_text(text: &str) -> Result<Duration, String> {
    Duration::parse(text).ok_or_else(|| {
        format!("{text:?} is not an ISO 8601 duration; write it like 'P1Y2M3DT4H5M6S'")
    })
}

/// A component of a temporal value (`d.year`, `t.minute`, ...), or `None` if it has none.
pub fn temporal_field(t: &Temporal, key: &str) -> Option<i64> {
    use crate::graph::temporal::civil_from_days;
    let (year, month, day) = civil_from_days(t.days);
    let secs = t.nanos / NANOS_PER_SECOND;
    let nanos = t.nanos % NANOS_PER_SECOND;
    let date = t.kind.has_date();
    let time = t.kind.has_time();
    Some(match key {
        "year" if date => year,
        "quarter" if date => (month - 1) / 3 + 1,
        "month" if date => month,
        "day" if date => day,
        "hour" if time => secs / 3600,
        "minute" if time => (secs % 3600) / 60,
        "second" if time => secs % 60,
        "millisecond" if time => nanos / 1_000_000,
        "microsecond" if time => nanos / 1_000,
        "nanosecond" if time => nanos,
        "offsetSeconds" if t.kind.has_zone() => i64::from(t.offset),
        _ => return None,
    })
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
}
