//! Storable temporal values (`date`, `localtime`, `time`, `localdatetime`, `datetime`) and
//! durations: their components, ISO 8601 text in both directions, instant order and
//! calendar arithmetic.
//!
//! Nothing here reads the graph or knows about queries; named time zones are not supported
//! (only fixed offsets), and no operation may panic on any input.

use std::cmp::Ordering;
use std::fmt;

/// Which temporal type a value has; values of different types never compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TemporalKind {
    Date,
    LocalTime,
    Time,
    LocalDateTime,
    DateTime,
}

impl TemporalKind {
    pub fn type_name(self) -> &'static str {
        match self {
            TemporalKind::Date => "DATE",
            TemporalKind::LocalTime => "LOCAL TIME",
            TemporalKind::Time => "TIME",
            TemporalKind::LocalDateTime => "LOCAL DATETIME",
            TemporalKind::DateTime => "DATETIME",
        }
    }

    /// The Cypher function that builds a value of this type, also the tag of its saved form.
    pub fn function_name(self) -> &'static str {
        match self {
            TemporalKind::Date => "date",
            TemporalKind::LocalTime => "localtime",
            TemporalKind::Time => "time",
            TemporalKind::LocalDateTime => "localdatetime",
            TemporalKind::DateTime => "datetime",
        }
    }

    pub fn from_function(name: &str) -> Option<Self> {
        Some(match name {
            "date" => TemporalKind::Date,
            "localtime" => TemporalKind::LocalTime,
            "time" => TemporalKind::Time,
            "localdatetime" => TemporalKind::LocalDateTime,
            "datetime" => TemporalKind::DateTime,
            _ => return None,
        })
    }

    pub fn has_date(self) -> bool {
        matches!(
            self,
            TemporalKind::Date | TemporalKind::LocalDateTime | TemporalKind::DateTime
        )
    }

    pub fn has_time(self) -> bool {
        self != TemporalKind::Date
    }

    pub fn has_zone(self) -> bool {
        matches!(self, TemporalKind::Time | TemporalKind::DateTime)
    }
}

pub const NANOS_PER_SECOND: i64 = 1_000_000_000;
pub const NANOS_PER_DAY: i64 = 86_400 * NANOS_PER_SECOND;
/// Years openCypher allows; keeping to them keeps every sum below far from overflow.
pub const MAX_YEAR: i64 = 999_999_999;

/// A temporal value by components. Parts its kind lacks are zero: `days` for a time,
/// `nanos` for a date, `offset` for a local value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Temporal {
    pub kind: TemporalKind,
    /// Days since 1970-01-01 (proleptic Gregorian).
    pub days: i64,
    /// Nanoseconds since midnight, local time.
    pub nanos: i64,
    /// Offset from UTC in seconds east.
    pub offset: i32,
}

/// A duration as openCypher keeps it: months, days and seconds never convert into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    pub months: i64,
    pub days: i64,
    pub seconds: i64,
    /// Always in `0..1_000_000_000`; a negative fraction borrows from `seconds`.
    pub nanos: i64,
}

/// Days from 1970-01-01 to a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

pub fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// An offset such as `+01:00`, `-0800` or `Z`, in seconds east of UTC.
pub fn parse_offset(text: &str) -> Option<i32> {
    if text == "Z" {
        return Some(0);
    }
    let sign = match text.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if !(digits.len() == 4 || digits.len() == 2) || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = if digits.len() == 4 {
        digits[2..].parse().ok()?
    } else {
        0
    };
    if hours > 18 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

fn write_offset(f: &mut impl fmt::Write, seconds: i32) -> fmt::Result {
    if seconds == 0 {
        return f.write_str("Z");
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    write!(f, "{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)?;
    if !s.is_multiple_of(60) {
        write!(f, ":{:02}", s % 60)?;
    }
    Ok(())
}

fn write_time(f: &mut impl fmt::Write, nanos_of_day: i64) -> fmt::Result {
    let secs = nanos_of_day / NANOS_PER_SECOND;
    let nanos = nanos_of_day % NANOS_PER_SECOND;
    write!(f, "{:02}:{:02}", secs / 3600, (secs % 3600) / 60)?;
    let second = secs % 60;
    if second != 0 || nanos != 0 {
        write!(f, ":{second:02}")?;
    }
    if nanos != 0 {
        let fraction = format!("{nanos:09}");
        write!(f, ".{}", fraction.trim_end_matches('0'))?;
    }
    Ok(())
}

impl Temporal {
    /// Builds a value from calendar fields, checking every range; `Err` says what is wrong.
    pub fn from_parts(
        kind: TemporalKind,
        date: (i64, i64, i64),
        time: (i64, i64, i64, i64),
        offset: i32,
    ) -> Result<Temporal, String> {
        let mut out = Temporal {
            kind,
            days: 0,
            nanos: 0,
            offset: 0,
        };
        if kind.has_date() {
            let (year, month, day) = date;
            if !(-MAX_YEAR..=MAX_YEAR).contains(&year) {
                return Err(format!("the year {year} is out of range"));
            }
            if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
                return Err(format!("{year}-{month}-{day} is not a valid date"));
            }
            out.days = days_from_civil(year, month, day);
        }
        if kind.has_time() {
            let (hour, minute, second, nanos) = time;
            if !(0..24).contains(&hour)
                || !(0..60).contains(&minute)
                || !(0..60).contains(&second)
                || !(0..NANOS_PER_SECOND).contains(&nanos)
            {
                return Err("the time of day is out of range".into());
            }
            out.nanos = (hour * 3600 + minute * 60 + second) * NANOS_PER_SECOND + nanos;
        }
        if kind.has_zone() {
            out.offset = offset;
        }
        Ok(out)
    }

    /// A key that orders values of one kind by the instant they stand for.
    pub fn instant_key(&self) -> i128 {
        i128::from(self.days) * i128::from(NANOS_PER_DAY) + i128::from(self.nanos)
            - i128::from(self.offset) * i128::from(NANOS_PER_SECOND)
    }

    /// The total order of stored values: kind, then instant, then offset (so that equal
    /// instants in different zones still sort the same way every time).
    pub fn order_cmp(&self, other: &Temporal) -> Ordering {
        self.kind
            .cmp(&other.kind)
            .then_with(|| self.instant_key().cmp(&other.instant_key()))
            .then_with(|| self.offset.cmp(&other.offset))
    }

    /// The ISO 8601 text: `1984-10-11`, `12:31:14.5+01:00`, `1984-10-11T12:00Z`.
    pub fn iso(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_iso(&mut out);
        out
    }

    fn write_iso(&self, f: &mut impl fmt::Write) -> fmt::Result {
        if self.kind.has_date() {
            let (year, month, day) = civil_from_days(self.days);
            if (0..=9999).contains(&year) {
                write!(f, "{year:04}-{month:02}-{day:02}")?;
            } else {
                write!(f, "{year:+}-{month:02}-{day:02}")?;
            }
            if self.kind.has_time() {
                f.write_char('T')?;
            }
        }
        if self.kind.has_time() {
            write_time(f, self.nanos)?;
        }
        if self.kind.has_zone() {
            write_offset(f, self.offset)?;
        }
        Ok(())
    }

    /// Parses the ISO text `iso` writes (and the common variants with seconds always
    /// present); `None` if `text` is not a value of `kind`.
    pub fn parse(kind: TemporalKind, text: &str) -> Option<Temporal> {
        let text = text.trim();
        let (date_part, rest) = if kind.has_date() {
            if kind.has_time() {
                let (d, t) = text.split_once('T')?;
                (Some(d), t)
            } else {
                (Some(text), "")
            }
        } else {
            (None, text)
        };
        let date = match date_part {
            Some(d) => parse_date(d)?,
            None => (1970, 1, 1),
        };
        let mut offset = 0;
        let mut time = (0, 0, 0, 0);
        if kind.has_time() {
            let zone_at = rest.find(['Z', '+', '-']).unwrap_or(rest.len());
            let (clock, zone) = rest.split_at(zone_at);
            time = parse_clock(clock)?;
            if kind.has_zone() {
                offset = if zone.is_empty() {
                    0
                } else {
                    parse_offset(zone)?
                };
            } else if !zone.is_empty() {
                return None;
            }
        }
        Temporal::from_parts(kind, date, time, offset).ok()
    }

    /// `self + d` (or `self - d` when `negate`): months first (clamping the day to the end
    /// of the month), then days, then the time; a date ignores the time part of `d`, a time
    /// wraps around midnight. `None` on overflow or a year out of range.
    pub fn add_duration(&self, d: &Duration, negate: bool) -> Option<Temporal> {
        let sign = if negate { -1 } else { 1 };
        let mut out = *self;
        if self.kind.has_date() {
            let (year, month, day) = civil_from_days(self.days);
            let total = (year.checked_mul(12)? + month - 1).checked_add(sign * d.months)?;
            let (year, month) = (total.div_euclid(12), total.rem_euclid(12) + 1);
            if !(-MAX_YEAR..=MAX_YEAR).contains(&year) {
                return None;
            }
            let day = day.min(days_in_month(year, month));
            out.days = days_from_civil(year, month, day).checked_add(sign * d.days)?;
        }
        if self.kind.has_time() {
            let shift = (i128::from(d.seconds) * i128::from(NANOS_PER_SECOND)
                + i128::from(d.nanos))
                * i128::from(sign);
            let total = i128::from(self.nanos) + shift;
            let day = i128::from(NANOS_PER_DAY);
            out.nanos = i64::try_from(total.rem_euclid(day)).ok()?;
            if self.kind.has_date() {
                let carry = i64::try_from(total.div_euclid(day)).ok()?;
                out.days = out.days.checked_add(carry)?;
            }
        }
        let (year, _, _) = civil_from_days(out.days);
        if !(-MAX_YEAR..=MAX_YEAR).contains(&year) {
            return None;
        }
        Some(out)
    }
}

/// The units `duration.between` and its variants measure in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BetweenUnit {
    /// Months, then days, then the rest (`duration.between`).
    All,
    Months,
    Days,
    Seconds,
}

/// The duration from `from` to `to`. Two zoned values compare as instants; otherwise local
/// clocks compare. If either lacks a date, only the times of day count (a date is midnight).
/// Whole months are counted first (a month is added while it does not pass `to`), then
/// whole days, then the rest; a later `from` gives the negated duration of the other way.
pub fn between(from: &Temporal, to: &Temporal, unit: BetweenUnit) -> Option<Duration> {
    let mut to = *to;
    if from.kind.has_zone() && to.kind.has_zone() {
        // Seen from `from`'s offset, so that the calendar fields of both line up.
        let shifted = i128::from(to.nanos)
            + i128::from(from.offset - to.offset) * i128::from(NANOS_PER_SECOND);
        let day = i128::from(NANOS_PER_DAY);
        to.nanos = i64::try_from(shifted.rem_euclid(day)).ok()?;
        to.days = to
            .days
            .checked_add(i64::try_from(shifted.div_euclid(day)).ok()?)?;
    }
    let day = i128::from(NANOS_PER_DAY);
    if !from.kind.has_date() || !to.kind.has_date() {
        if matches!(unit, BetweenUnit::Months | BetweenUnit::Days) {
            return Some(Duration::default());
        }
        let diff = i128::from(to.nanos) - i128::from(from.nanos);
        // A time keeps the offset of its own day; a date counts as midnight.
        return Duration::new(0, 0, diff);
    }
    let a = (from.days, from.nanos);
    let b = (to.days, to.nanos);
    let total = (i128::from(b.0) - i128::from(a.0)) * day + i128::from(b.1) - i128::from(a.1);
    match unit {
        BetweenUnit::Seconds => return Duration::new(0, 0, total),
        BetweenUnit::Days => {
            let days = i64::try_from(total / day).ok()?;
            return Duration::new(0, days, 0);
        }
        BetweenUnit::All | BetweenUnit::Months => {}
    }
    if a > b {
        let back = between_forward(b, a)?;
        let negated = Duration::new(-back.months, -back.days, -back.total_nanos())?;
        return Some(if unit == BetweenUnit::Months {
            Duration::new(negated.months, 0, 0)?
        } else {
            negated
        });
    }
    let d = between_forward(a, b)?;
    Some(if unit == BetweenUnit::Months {
        Duration::new(d.months, 0, 0)?
    } else {
        d
    })
}

/// `between` for `a <= b`, both as (days since the epoch, nanoseconds of the day).
fn between_forward(a: (i64, i64), b: (i64, i64)) -> Option<Duration> {
    let (ya, ma, da) = civil_from_days(a.0);
    let (yb, mb, _) = civil_from_days(b.0);
    let mut months = (yb - ya).checked_mul(12)? + (mb - ma);
    let shifted = |months: i64| -> (i64, i64) {
        let total = ya * 12 + ma - 1 + months;
        let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
        (days_from_civil(y, m, da.min(days_in_month(y, m))), a.1)
    };
    while months > 0 && shifted(months) > b {
        months -= 1;
    }
    let start = shifted(months);
    let day = i128::from(NANOS_PER_DAY);
    let rest =
        (i128::from(b.0) - i128::from(start.0)) * day + i128::from(b.1) - i128::from(start.1);
    let days = i64::try_from(rest / day).ok()?;
    Duration::new(months, days, rest % day)
}

/// A calendar date in ISO 8601's extended (`2015-07-21`, `2015-W30-2`, `2015-202`,
/// `2015-07`, `2015`) or basic (`20150721`, `2015W302`, `2015202`, `201507`) form.
fn parse_date(text: &str) -> Option<(i64, i64, i64)> {
    let (sign, body) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => (1, text),
    };
    let (year_text, rest) = if body.contains('-') {
        let (y, r) = body.split_once('-')?;
        (y, r.replace('-', ""))
    } else if sign == 1 && !text.starts_with('+') {
        // The basic form has exactly four year digits.
        (body.get(..4)?, body.get(4..)?.to_string())
    } else {
        return None;
    };
    let year = sign * parse_digits(year_text)?;
    if let Some(week) = rest.strip_prefix('W') {
        let (w, d) = match week.len() {
            2 => (parse_digits(week)?, 1),
            3 => (parse_digits(week.get(..2)?)?, parse_digits(week.get(2..)?)?),
            _ => return None,
        };
        return week_date(year, w, d);
    }
    match rest.len() {
        0 => Some((year, 1, 1)),
        2 => Some((year, parse_digits(&rest)?, 1)),
        3 => {
            let ordinal = parse_digits(&rest)?;
            let last = days_from_civil(year, 12, 31) - days_from_civil(year, 1, 1) + 1;
            if !(1..=last).contains(&ordinal) {
                return None;
            }
            Some(civil_from_days(days_from_civil(year, 1, 1) + ordinal - 1))
        }
        4 => Some((
            year,
            parse_digits(rest.get(..2)?)?,
            parse_digits(rest.get(2..)?)?,
        )),
        _ => None,
    }
}

/// The calendar date of day `day` (Monday 1) of ISO week `week` of `year`.
fn week_date(year: i64, week: i64, day: i64) -> Option<(i64, i64, i64)> {
    if !(1..=53).contains(&week) || !(1..=7).contains(&day) || year.abs() > MAX_YEAR {
        return None;
    }
    // Week 1 is the week with the year's first Thursday, so it holds 4 January; 1970-01-01
    // was a Thursday.
    let jan4 = days_from_civil(year, 1, 4);
    let monday = jan4 - (jan4 + 3).rem_euclid(7);
    let date = civil_from_days(monday + (week - 1) * 7 + day - 1);
    // Week 53 exists only in long years: its Thursday must still be in `year`.
    let thursday = civil_from_days(monday + (week - 1) * 7 + 3);
    (thursday.0 == year).then_some(date)
}

fn parse_clock(text: &str) -> Option<(i64, i64, i64, i64)> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let (hour, minute, second) = if whole.contains(':') {
        let mut parts = whole.split(':');
        let hour = parse_digits(parts.next()?)?;
        let minute = parse_digits(parts.next()?)?;
        let second = match parts.next() {
            Some(s) => parse_digits(s)?,
            None => 0,
        };
        if parts.next().is_some() {
            return None;
        }
        (hour, minute, second)
    } else {
        // The basic form: `21`, `2140`, `214032`.
        let part = |i: usize| whole.get(i..i + 2).and_then(parse_digits);
        match whole.len() {
            2 => (part(0)?, 0, 0),
            4 => (part(0)?, part(2)?, 0),
            6 => (part(0)?, part(2)?, part(4)?),
            _ => return None,
        }
    };
    if fraction.is_some() && !whole.contains(':') && whole.len() != 6 {
        return None;
    }
    let nanos = match fraction {
        Some(f) if !f.is_empty() && f.len() <= 9 => {
            parse_digits(f)? * 10_i64.pow(9 - f.len() as u32)
        }
        Some(_) => return None,
        None => 0,
    };
    Some((hour, minute, second, nanos))
}

fn parse_digits(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 18 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl fmt::Display for Temporal {
    /// Prints the ISO text; the Cypher literal form is `Value`'s business.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_iso(f)
    }
}

impl Duration {
    /// Builds a duration from a total of nanoseconds plus months and days, normalising the
    /// fraction of a second into `0..1e9`. `None` on overflow.
    pub fn new(months: i64, days: i64, total_nanos: i128) -> Option<Duration> {
        let ns = i128::from(NANOS_PER_SECOND);
        Some(Duration {
            months,
            days,
            seconds: i64::try_from(total_nanos.div_euclid(ns)).ok()?,
            nanos: i64::try_from(total_nanos.rem_euclid(ns)).ok()?,
        })
    }

    pub fn total_nanos(&self) -> i128 {
        i128::from(self.seconds) * i128::from(NANOS_PER_SECOND) + i128::from(self.nanos)
    }

    /// `self + other` (or minus), component by component; `None` on overflow.
    pub fn add(&self, other: &Duration, negate: bool) -> Option<Duration> {
        let sign = if negate { -1 } else { 1 };
        Duration::new(
            self.months.checked_add(other.months.checked_mul(sign)?)?,
            self.days.checked_add(other.days.checked_mul(sign)?)?,
            self.total_nanos() + other.total_nanos() * i128::from(sign),
        )
    }

    /// The order of stored values: months, then days, then time. openCypher leaves
    /// durations incomparable with `<`; this only makes sorting deterministic.
    pub fn order_cmp(&self, other: &Duration) -> Ordering {
        (self.months, self.days, self.seconds, self.nanos).cmp(&(
            other.months,
            other.days,
            other.seconds,
            other.nanos,
        ))
    }

    /// The ISO 8601 text, such as `P1Y2M3DT4H5M6.5S`; the zero duration is `PT0S`.
    pub fn iso(&self) -> String {
        let mut out = String::from("P");
        let (years, months) = (self.months / 12, self.months % 12);
        if years != 0 {
            out.push_str(&format!("{years}Y"));
        }
        if months != 0 {
            out.push_str(&format!("{months}M"));
        }
        if self.days != 0 {
            out.push_str(&format!("{}D", self.days));
        }
        let total = self.total_nanos();
        if total != 0 {
            out.push('T');
            let negative = total < 0;
            let abs = total.unsigned_abs();
            let ns = NANOS_PER_SECOND as u128;
            let secs = abs / ns;
            let frac = abs % ns;
            let sign = if negative { "-" } else { "" };
            let (hours, minutes, seconds) = (secs / 3600, (secs % 3600) / 60, secs % 60);
            if hours != 0 {
                out.push_str(&format!("{sign}{hours}H"));
            }
            if minutes != 0 {
                out.push_str(&format!("{sign}{minutes}M"));
            }
            if seconds != 0 || frac != 0 {
                out.push_str(&format!("{sign}{seconds}"));
                if frac != 0 {
                    let digits = format!("{frac:09}");
                    out.push('.');
                    out.push_str(digits.trim_end_matches('0'));
                }
                out.push('S');
            }
        } else if out.len() == 1 {
            out.push_str("T0S");
        }
        out
    }

    /// Parses ISO 8601 text: `P[nY][nM][nW][nD][T[nH][nM][nS]]`, with optional signs and a
    /// decimal fraction on seconds. `None` if the text is not a duration.
    pub fn parse(text: &str) -> Option<Duration> {
        let body = text.trim().strip_prefix('P')?;
        let (date, time) = match body.split_once('T') {
            Some((d, t)) if !t.is_empty() => (d, Some(t)),
            Some(_) => return None,
            None => (body, None),
        };
        if date.is_empty() && time.is_none() {
            return None;
        }
        // Average lengths openCypher uses to cascade fractions of larger units.
        const SECONDS_PER_MONTH: i128 = 2_629_746;
        const SECONDS_PER_DAY: i128 = 86_400;
        let billion = i128::from(NANOS_PER_SECOND);
        let (mut months, mut days, mut nanos) = (0_i128, 0_i128, 0_i128);
        for (number, unit) in components(date)? {
            // The number in billionths, so that a fraction such as 0.75 stays exact.
            let n = decimal_nanos(&number)?;
            let (in_months, in_days) = match unit {
                'Y' => (n.checked_mul(12)?, 0),
                'M' => (n, 0),
                'W' => (0, n.checked_mul(7)?),
                'D' => (0, n),
                _ => return None,
            };
            months += in_months / billion;
            let month_rest = (in_months % billion) * SECONDS_PER_MONTH;
            let day_nanos = in_days * SECONDS_PER_DAY + month_rest;
            days += day_nanos / (SECONDS_PER_DAY * billion);
            nanos += day_nanos % (SECONDS_PER_DAY * billion);
        }
        let months = i64::try_from(months).ok()?;
        let days = i64::try_from(days).ok()?;
        for (number, unit) in components(time.unwrap_or(""))? {
            let scale: i128 = match unit {
                'H' => 3600,
                'M' => 60,
                'S' => 1,
                _ => return None,
            };
            nanos += decimal_nanos(&number)?.checked_mul(scale)?;
        }
        Duration::new(months, days, nanos)
    }
}

/// Splits `1Y-2M3.5D` into (`"1"`, 'Y'), (`"-2"`, 'M'), (`"3.5"`, 'D').
fn components(text: &str) -> Option<Vec<(String, char)>> {
    let mut out = Vec::new();
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' || c == '-' || c == '+' {
            number.push(c);
        } else if c.is_ascii_alphabetic() && !number.is_empty() {
            out.push((std::mem::take(&mut number), c.to_ascii_uppercase()));
        } else {
            return None;
        }
    }
    number.is_empty().then_some(out)
}

/// A decimal such as `-1.25` as nanoseconds of its unit (so `1.25` seconds is 1.25e9).
fn decimal_nanos(number: &str) -> Option<i128> {
    let (negative, digits) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number.strip_prefix('+').unwrap_or(number)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty() || frac.len() > 9 {
        return None;
    }
    let int_part: i128 = if int.is_empty() {
        0
    } else {
        i128::from(parse_digits(int)?)
    };
    let frac_part: i128 = if frac.is_empty() {
        0
    } else {
        i128::from(parse_digits(frac)? * 10_i64.pow(9 - frac.len() as u32))
    };
    let value = int_part * i128::from(NANOS_PER_SECOND) + frac_part;
    Some(if negative { -value } else { value })
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_text_round_trips_for_every_kind() {
        for (kind, text) in [
            (TemporalKind::Date, "1984-10-11"),
            (TemporalKind::Date, "-0044-03-15"),
            (TemporalKind::LocalTime, "12:31:14.645876123"),
            (TemporalKind::Time, "10:35-08:00"),
            (TemporalKind::LocalDateTime, "0001-01-01T01:01:01.000000001"),
            (TemporalKind::DateTime, "1984-10-11T12:31:14.5+00:17"),
            (TemporalKind::DateTime, "2025-04-11T00:00Z"),
        ] {
            let t = Temporal::parse(kind, text).unwrap_or_else(|| panic!("{text} parses"));
            let shown = t.iso();
            let again = Temporal::parse(kind, &shown).expect("printed text parses");
            assert_eq!(again, t, "{text} -> {shown}");
        }
        assert_eq!(Temporal::parse(TemporalKind::Date, "2025-02-30"), None);
        for (basic, extended) in [
            ("20150721", "2015-07-21"),
            ("2015-W30-2", "2015-07-21"),
            ("2015W302", "2015-07-21"),
            ("2015-202", "2015-07-21"),
            ("201507", "2015-07-01"),
            ("2015", "2015-01-01"),
        ] {
            let t = Temporal::parse(TemporalKind::Date, basic).unwrap();
            assert_eq!(t.iso(), extended, "{basic}");
        }
        let t = Temporal::parse(TemporalKind::Time, "214032.142-0100").unwrap();
        assert_eq!(t.iso(), "21:40:32.142-01:00");
        // Text that is not ASCII never splits a character.
        for odd in ["2015W1é", "2015-1é", "1é:00", "é", "20é5"] {
            assert_eq!(Temporal::parse(TemporalKind::Date, odd), None, "{odd}");
            assert_eq!(Temporal::parse(TemporalKind::LocalTime, odd), None, "{odd}");
        }
        assert_eq!(Temporal::parse(TemporalKind::Date, "12:00"), None);
    }

    #[test]
    fn adding_months_clamps_to_the_end_of_the_month() {
        let d = Temporal::parse(TemporalKind::Date, "2024-01-31").unwrap();
        let month = Duration {
            months: 1,
            days: 2,
            ..Duration::default()
        };
        assert_eq!(d.add_duration(&month, false).unwrap().iso(), "2024-03-02");
        let t = Temporal::parse(TemporalKind::Time, "23:58+01:00").unwrap();
        let six = Duration::parse("PT6M").unwrap();
        assert_eq!(t.add_duration(&six, false).unwrap().iso(), "00:04+01:00");
    }

    #[test]
    fn between_counts_months_then_days_then_time() {
        let t = |kind, text| Temporal::parse(kind, text).unwrap();
        let from = t(TemporalKind::DateTime, "2014-07-21T21:40:36.143+02:00");
        let to = t(TemporalKind::Date, "2015-06-24");
        let d = between(&from, &to, BetweenUnit::All).unwrap();
        assert_eq!(d.iso(), "P11M2DT2H19M23.857S");
        let back = between(&to, &from, BetweenUnit::All).unwrap();
        assert_eq!(back.iso(), "P-11M-2DT-2H-19M-23.857S");
        let a = t(TemporalKind::Time, "14:30Z");
        let b = t(TemporalKind::Time, "16:30+01:00");
        assert_eq!(between(&a, &b, BetweenUnit::Seconds).unwrap().iso(), "PT1H");
        assert_eq!(between(&a, &b, BetweenUnit::Days).unwrap().iso(), "PT0S");
    }

    #[test]
    fn durations_print_and_parse_in_iso_form() {
        let d = Duration::parse("P1Y2M3W4DT5H6M7.25S").unwrap();
        assert_eq!(d.months, 14);
        assert_eq!(d.days, 25);
        assert_eq!(d.iso(), "P1Y2M25DT5H6M7.25S");
        assert_eq!(Duration::default().iso(), "PT0S");
        assert_eq!(
            Duration::new(0, 0, -1_500_000_000).unwrap().iso(),
            "PT-1.5S"
        );
        assert_eq!(Duration::parse("P0.75M").unwrap().iso(), "P22DT19H51M49.5S");
        assert_eq!(Duration::parse("P2.5W").unwrap().iso(), "P17DT12H");
        assert_eq!(Duration::parse("P"), None);
        assert_eq!(Duration::parse("1D"), None);
    }
}
