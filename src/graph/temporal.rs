//! Storable temporal values (`date`, `localtime`, `time`, `localdatetime`, `datetime`) and
//! durations: ISO 8601 text in both directions as openCypher prints it, instant order,
//! calendar arithmetic and `duration.between`. The calendar, ISO weeks and the IANA time-zone
//! database are jiff's (its bundled copy of the database, so no system files are read);
//! this module only adds openCypher's rules on top.
//!
//! Nothing here reads the graph or knows about queries, and no operation may panic on any
//! input. jiff's years are -9999..=9999; a `date` or `localdatetime` beyond them
//! (openCypher allows ±999,999,999) is kept as a value of jiff's range plus whole 400-year
//! cycles, which supports printing, order and `duration.between`, and nothing else.

use std::cmp::Ordering;
use std::fmt;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Span, Timestamp, ZonedDateTime};

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

/// The number of days in `month` of `year`, 0 if either is out of range. Ingestion's dates
/// use this and the two conversions below, so that all calendar rules are jiff's.
pub fn days_in_month(year: i64, month: i64) -> i64 {
    civil_date(year, month, 1).map_or(0, |d| i64::from(d.days_in_month()))
}

/// Days from 1970-01-01 to a valid date (0 for an invalid one, which callers never pass).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    civil_date(year, month, day).map_or(0, |d| d.duration_since(EPOCH.date()).as_secs() / 86_400)
}

/// The (year, month, day) of a day count since 1970-01-01, clamped to jiff's range.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let date = Span::new()
        .try_days(days)
        .ok()
        .and_then(|span| EPOCH.date().checked_add(span).ok())
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX });
    (
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    )
}

fn civil_date(year: i64, month: i64, day: i64) -> Option<Date> {
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// A temporal value. A `datetime` keeps its time zone: a fixed offset, or an IANA zone whose
/// name it prints and whose rules decide the offset after arithmetic.
#[derive(Debug, Clone)]
pub enum Temporal {
    Date(Date),
    /// A `date` (`with_time` false, `local` at midnight) or `localdatetime` beyond jiff's
    /// years: `local`'s year plus 400 times `cycles`. The Gregorian calendar repeats every
    /// 400 years (146,097 days, a whole number of weeks).
    Far {
        cycles: i64,
        local: DateTime,
        with_time: bool,
    },
    LocalTime(Time),
    Time(Time, Offset),
    LocalDateTime(DateTime),
    /// Boxed, so that a stored value (and every `Value`) stays as small as it was before
    /// zones were kept: a zoned datetime is 40 bytes, the other variants at most 16.
    DateTime(Box<ZonedDateTime>),
}

/// A time zone as a value is given one: a fixed offset or a zone of the database.
#[derive(Debug, Clone)]
pub enum Zone {
    Fixed(Offset),
    Named(TimeZone),
}

impl Zone {
    /// `Z`, `+01:00`, `-0800`, `+02:05:59` or an IANA name such as `Europe/Stockholm`.
    pub fn parse(text: &str) -> Option<Zone> {
        if let Some(offset) = parse_offset(text) {
            return Some(Zone::Fixed(offset));
        }
        // UTC is kept as the offset Z, which is how it prints.
        if text == "UTC" {
            return Some(Zone::Fixed(Offset::UTC));
        }
        // jiff also accepts POSIX strings and offsets as names; only real names are wanted.
        if !text.contains('/') && text != "GMT" {
            return None;
        }
        TimeZone::get(text).ok().map(Zone::Named)
    }

    pub fn time_zone(&self) -> TimeZone {
        match self {
            Zone::Fixed(offset) => TimeZone::fixed(*offset),
            Zone::Named(tz) => tz.clone(),
        }
    }

    /// The offset this zone has at the local date and time `at`; a time of day without a
    /// date takes the offset the zone has now, as Neo4j does.
    pub fn offset_at(&self, at: Option<DateTime>) -> Offset {
        match self {
            Zone::Fixed(offset) => *offset,
            Zone::Named(tz) => match at.and_then(|dt| tz.to_zoned_datetime(dt).ok()) {
                Some(zdt) => zdt.offset(),
                None => tz.to_offset(Timestamp::now()),
            },
        }
    }

    /// The local date and time `dt` in this zone; a time in a gap moves forward and an
    /// ambiguous one takes the earlier offset (`preferred` first when it is one of them).
    pub fn resolve(&self, dt: DateTime, preferred: Option<Offset>) -> Option<ZonedDateTime> {
        let tz = self.time_zone();
        let ambiguous = tz.to_ambiguous_zoned_datetime(dt);
        if let Some(want) = preferred
            && ambiguous.is_ambiguous()
        {
            for candidate in [ambiguous.clone().earlier(), ambiguous.clone().later()]
                .into_iter()
                .flatten()
            {
                if candidate.offset() == want {
                    return Some(candidate);
                }
            }
        }
        ambiguous.compatible().ok()
    }
}

/// An offset such as `+01:00`, `-0800`, `-04`, `+02:05:59` or `Z`.
pub fn parse_offset(text: &str) -> Option<Offset> {
    if text == "Z" || text == "z" {
        return Some(Offset::UTC);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if !matches!(digits.len(), 2 | 4 | 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let part = |i: usize| -> i32 {
        digits
            .get(i..i + 2)
            .and_then(|d| d.parse().ok())
            .unwrap_or(0)
    };
    let (hours, minutes, seconds) = (part(0), part(2), part(4));
    if hours > 18 || minutes > 59 || seconds > 59 {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60 + seconds)).ok()
}

fn write_offset(f: &mut impl fmt::Write, offset: Offset) -> fmt::Result {
    let seconds = offset.seconds();
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

/// `HH:MM`, then seconds when they or a fraction are not zero, and the fraction in groups
/// of three digits, as Java (and so Neo4j and the TCK) prints a time.
fn write_time(f: &mut impl fmt::Write, time: Time) -> fmt::Result {
    write!(f, "{:02}:{:02}", time.hour(), time.minute())?;
    let nanos = time.subsec_nanosecond();
    if time.second() != 0 || nanos != 0 {
        write!(f, ":{:02}", time.second())?;
    }
    if nanos != 0 {
        if nanos % 1_000_000 == 0 {
            write!(f, ".{:03}", nanos / 1_000_000)?;
        } else if nanos % 1_000 == 0 {
            write!(f, ".{:06}", nanos / 1_000)?;
        } else {
            write!(f, ".{nanos:09}")?;
        }
    }
    Ok(())
}

fn write_date(f: &mut impl fmt::Write, date: Date) -> fmt::Result {
    let year = date.year();
    if (0..=9999).contains(&year) {
        write!(f, "{year:04}")?;
    } else {
        write!(f, "{year:+05}")?;
    }
    write!(f, "-{:02}-{:02}", date.month(), date.day())
}

const EPOCH: DateTime = DateTime::constant(1970, 1, 1, 0, 0, 0, 0);

impl Temporal {
    pub fn kind(&self) -> TemporalKind {
        match self {
            Temporal::Date(_) => TemporalKind::Date,
            Temporal::Far { with_time, .. } => {
                if *with_time {
                    TemporalKind::LocalDateTime
                } else {
                    TemporalKind::Date
                }
            }
            Temporal::LocalTime(_) => TemporalKind::LocalTime,
            Temporal::Time(..) => TemporalKind::Time,
            Temporal::LocalDateTime(_) => TemporalKind::LocalDateTime,
            Temporal::DateTime(_) => TemporalKind::DateTime,
        }
    }

    /// The local calendar date, if the value has one.
    pub fn date(&self) -> Option<Date> {
        match self {
            Temporal::Date(d) => Some(*d),
            Temporal::LocalDateTime(dt) => Some(dt.date()),
            Temporal::DateTime(zdt) => Some(zdt.date()),
            _ => None,
        }
    }

    /// A `date` or `localdatetime` as whole 400-year cycles plus a value of jiff's range.
    fn far_parts(&self) -> Option<(i64, DateTime)> {
        match self {
            Temporal::Date(d) => Some((0, d.to_datetime(Time::midnight()))),
            Temporal::LocalDateTime(dt) => Some((0, *dt)),
            Temporal::Far { cycles, local, .. } => Some((*cycles, *local)),
            _ => None,
        }
    }

    /// The year and the local date and time of a `date` or `localdatetime` beyond jiff's
    /// years (whose own year is then wrong), `None` for any other value.
    pub fn far_fields(&self) -> Option<(i64, DateTime)> {
        match self {
            Temporal::Far { cycles, local, .. } => {
                Some((i64::from(local.year()) + 400 * cycles, *local))
            }
            _ => None,
        }
    }

    /// The local time of day, if the value has one.
    pub fn time(&self) -> Option<Time> {
        match self {
            Temporal::LocalTime(t) | Temporal::Time(t, _) => Some(*t),
            Temporal::LocalDateTime(dt) => Some(dt.time()),
            Temporal::DateTime(zdt) => Some(zdt.time()),
            Temporal::Far {
                local,
                with_time: true,
                ..
            } => Some(local.time()),
            Temporal::Date(_) | Temporal::Far { .. } => None,
        }
    }

    pub fn offset(&self) -> Option<Offset> {
        match self {
            Temporal::Time(_, offset) => Some(*offset),
            Temporal::DateTime(zdt) => Some(zdt.offset()),
            _ => None,
        }
    }

    /// The zone the value was given: its IANA zone, else its offset.
    pub fn zone(&self) -> Option<Zone> {
        match self {
            Temporal::Time(_, offset) => Some(Zone::Fixed(*offset)),
            Temporal::DateTime(zdt) => Some(match self.zone_name() {
                Some(_) => Zone::Named(zdt.time_zone().clone()),
                None => Zone::Fixed(zdt.offset()),
            }),
            _ => None,
        }
    }

    /// The IANA name of a `datetime`'s zone, if it was given one.
    pub fn zone_name(&self) -> Option<&str> {
        match self {
            // jiff names its UTC zone, which a fixed offset of zero also is.
            Temporal::DateTime(zdt) => zdt.time_zone().iana_name().filter(|n| *n != "UTC"),
            _ => None,
        }
    }

    /// Builds a value of `kind` from its parts; a missing time is midnight, a missing zone
    /// UTC. `None` if `kind` needs a date and there is none, or the value is out of range.
    pub fn from_parts(
        kind: TemporalKind,
        date: Option<Date>,
        time: Option<Time>,
        zone: Option<&Zone>,
    ) -> Option<Temporal> {
        let time = time.unwrap_or(Time::midnight());
        let utc = Zone::Fixed(Offset::UTC);
        let zone = zone.unwrap_or(&utc);
        Some(match kind {
            TemporalKind::Date => Temporal::Date(date?),
            TemporalKind::LocalTime => Temporal::LocalTime(time),
            TemporalKind::Time => {
                Temporal::Time(time, zone.offset_at(date.map(|d| d.to_datetime(time))))
            }
            TemporalKind::LocalDateTime => Temporal::LocalDateTime(date?.to_datetime(time)),
            TemporalKind::DateTime => {
                Temporal::DateTime(Box::new(zone.resolve(date?.to_datetime(time), None)?))
            }
        })
    }

    /// A key that orders values of one kind by the instant they stand for (local values by
    /// their clock), in nanoseconds.
    pub fn instant_key(&self) -> i128 {
        let of_day = |t: Time| t.duration_since(Time::midnight()).as_nanos();
        match self {
            Temporal::Date(_) | Temporal::Far { .. } => {
                let (cycles, local) = self.far_parts().unwrap_or((0, EPOCH));
                far_key(cycles, local)
            }
            Temporal::LocalTime(t) => of_day(*t),
            Temporal::Time(t, offset) => {
                of_day(*t) - i128::from(offset.seconds()) * i128::from(NANOS_PER_SECOND)
            }
            Temporal::LocalDateTime(dt) => dt.duration_since(EPOCH).as_nanos(),
            Temporal::DateTime(zdt) => zdt.timestamp().as_nanosecond(),
        }
    }

    /// The total order of stored values: kind, then instant, then offset, then zone name (so
    /// that equal instants in different zones still sort the same way every time).
    pub fn order_cmp(&self, other: &Temporal) -> Ordering {
        self.kind()
            .cmp(&other.kind())
            .then_with(|| self.instant_key().cmp(&other.instant_key()))
            .then_with(|| {
                let offset = |t: &Temporal| t.offset().map_or(0, |o| o.seconds());
                offset(self).cmp(&offset(other))
            })
            .then_with(|| self.zone_name().cmp(&other.zone_name()))
    }

    /// The text openCypher prints: `1984-10-11`, `12:31:14.500+01:00`,
    /// `1984-10-11T12:00+01:00[Europe/Stockholm]`.
    pub fn iso(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_iso(&mut out);
        out
    }

    fn write_iso(&self, f: &mut impl fmt::Write) -> fmt::Result {
        match self {
            Temporal::Date(d) => write_date(f, *d),
            Temporal::Far {
                cycles,
                local,
                with_time,
            } => {
                write!(
                    f,
                    "{:+05}-{:02}-{:02}",
                    i64::from(local.year()) + 400 * cycles,
                    local.month(),
                    local.day()
                )?;
                if *with_time {
                    f.write_char('T')?;
                    write_time(f, local.time())?;
                }
                Ok(())
            }
            Temporal::LocalTime(t) => write_time(f, *t),
            Temporal::Time(t, offset) => {
                write_time(f, *t)?;
                write_offset(f, *offset)
            }
            Temporal::LocalDateTime(dt) => {
                write_date(f, dt.date())?;
                f.write_char('T')?;
                write_time(f, dt.time())
            }
            Temporal::DateTime(zdt) => {
                write_date(f, zdt.date())?;
                f.write_char('T')?;
                write_time(f, zdt.time())?;
                write_offset(f, zdt.offset())?;
                if let Some(name) = self.zone_name() {
                    write!(f, "[{name}]")?;
                }
                Ok(())
            }
        }
    }

    /// Parses ISO 8601 text of a value of `kind` (extended and basic forms, week and ordinal
    /// dates, an offset and or a zone name in brackets); `None` if it is not one.
    pub fn parse(kind: TemporalKind, text: &str) -> Option<Temporal> {
        let text = text.trim();
        let (text, zone_name) = match text.strip_suffix(']') {
            Some(rest) => {
                let (body, name) = rest.split_once('[')?;
                (body, Some(name))
            }
            None => (text, None),
        };
        let (date_part, rest) = if kind.has_date() {
            match text.split_once('T') {
                Some((d, t)) if kind.has_time() => (Some(d), t),
                Some(_) => return None,
                None => (Some(text), ""),
            }
        } else {
            (None, text.strip_prefix('T').unwrap_or(text))
        };
        let (cycles, date) = match date_part {
            Some(d) => {
                let (cycles, date) = parse_date(d)?;
                (cycles, Some(date))
            }
            None => (0, None),
        };
        if cycles != 0 {
            let with_time = match kind {
                TemporalKind::Date => false,
                TemporalKind::LocalDateTime => true,
                _ => return None,
            };
            let time = if rest.is_empty() {
                Time::midnight()
            } else {
                parse_clock(rest)?
            };
            return Some(Temporal::Far {
                cycles,
                local: date?.to_datetime(time),
                with_time,
            });
        }
        let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
        let (clock, offset_text) = rest.split_at(zone_at);
        let time = if clock.is_empty() {
            None
        } else {
            Some(parse_clock(clock)?)
        };
        let offset = if offset_text.is_empty() {
            None
        } else {
            Some(parse_offset(offset_text)?)
        };
        if !kind.has_zone() && (offset.is_some() || zone_name.is_some()) {
            return None;
        }
        let zone = match (zone_name, offset) {
            (Some(name), _) => Some(Zone::Named(TimeZone::get(name).ok()?)),
            (None, Some(offset)) => Some(Zone::Fixed(offset)),
            (None, None) => None,
        };
        if kind == TemporalKind::DateTime {
            let dt = date?.to_datetime(time.unwrap_or(Time::midnight()));
            let zone = zone.unwrap_or(Zone::Fixed(Offset::UTC));
            return Some(Temporal::DateTime(Box::new(zone.resolve(dt, offset)?)));
        }
        if kind.has_time() && time.is_none() && !kind.has_date() {
            return None;
        }
        Temporal::from_parts(kind, date, time, zone.as_ref())
    }

    /// `self + d` (or `self - d` when `negate`): months first (clamping the day to the end
    /// of the month), then days, then the time. A date adds the whole days of the time part;
    /// a time wraps around midnight; a datetime in a named zone adds months and days on its
    /// calendar and the time on the timeline. `None` on overflow or a year out of range.
    pub fn add_duration(&self, d: &Duration, negate: bool) -> Option<Temporal> {
        let sign: i64 = if negate { -1 } else { 1 };
        let months = Span::new().try_months(d.months.checked_mul(sign)?).ok()?;
        let days = Span::new().try_days(d.days.checked_mul(sign)?).ok()?;
        let exact = SignedDuration::new(d.seconds, i32::try_from(d.nanos).ok()?);
        let exact = if negate { exact.checked_neg()? } else { exact };
        let wrap = |t: Time| -> Option<Time> {
            let day = i128::from(NANOS_PER_DAY);
            let nanos =
                (t.duration_since(Time::midnight()).as_nanos() + exact.as_nanos()).rem_euclid(day);
            Time::midnight()
                .checked_add(SignedDuration::from_nanos(i64::try_from(nanos).ok()?))
                .ok()
        };
        Some(match self {
            Temporal::Date(date) => {
                let whole_days = Span::new().try_days(exact.as_secs() / 86_400).ok()?;
                Temporal::Date(
                    date.checked_add(months)
                        .ok()?
                        .checked_add(days)
                        .ok()?
                        .checked_add(whole_days)
                        .ok()?,
                )
            }
            Temporal::Far { .. } => return None,
            Temporal::LocalTime(t) => Temporal::LocalTime(wrap(*t)?),
            Temporal::Time(t, offset) => Temporal::Time(wrap(*t)?, *offset),
            Temporal::LocalDateTime(dt) => Temporal::LocalDateTime(
                dt.checked_add(months)
                    .ok()?
                    .checked_add(days)
                    .ok()?
                    .checked_add(exact)
                    .ok()?,
            ),
            Temporal::DateTime(zdt) => Temporal::DateTime(Box::new(
                zdt.checked_add(months)
                    .ok()?
                    .checked_add(days)
                    .ok()?
                    .checked_add(exact)
                    .ok()?,
            )),
        })
    }
}

/// Structural equality: the same kind, instant, offset and zone.
impl PartialEq for Temporal {
    fn eq(&self, other: &Self) -> bool {
        self.order_cmp(other) == Ordering::Equal
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

/// The duration from `from` to `to`. Both are placed in one time zone (`from`'s, else
/// `to`'s, else UTC; a local value is read in it); a value without a date takes the other's
/// date. Whole months are counted first (a month is added while it does not pass `to`),
/// then whole days of the calendar, then the exact time that is left; a later `from` gives
/// the negated duration of the other way. If either lacks a date only the time counts.
pub fn between(from: &Temporal, to: &Temporal, unit: BetweenUnit) -> Option<Duration> {
    if matches!(from, Temporal::Far { .. }) || matches!(to, Temporal::Far { .. }) {
        return far_between(from.far_parts()?, to.far_parts()?, unit);
    }
    let zone = from
        .zone()
        .or_else(|| to.zone())
        .unwrap_or(Zone::Fixed(Offset::UTC));
    let tz = zone.time_zone();
    let day_of =
        |t: &Temporal, other: &Temporal| t.date().or_else(|| other.date()).unwrap_or(EPOCH.date());
    let place = |t: &Temporal, other: &Temporal| -> Option<ZonedDateTime> {
        let dt = day_of(t, other).to_datetime(t.time().unwrap_or(Time::midnight()));
        match t {
            Temporal::DateTime(zdt) => Some(zdt.with_time_zone(tz.clone())),
            Temporal::Time(_, offset) => Some(
                TimeZone::fixed(*offset)
                    .to_zoned_datetime(dt)
                    .ok()?
                    .with_time_zone(tz.clone()),
            ),
            _ => zone.resolve(dt, None),
        }
    };
    let a = place(from, to)?;
    let b = place(to, from)?;
    let exact = b.timestamp().as_nanosecond() - a.timestamp().as_nanosecond();
    let dated = from.kind().has_date() && to.kind().has_date();
    if !dated || unit == BetweenUnit::Seconds {
        return if matches!(unit, BetweenUnit::Months | BetweenUnit::Days) {
            Some(Duration::default())
        } else {
            Duration::new(0, 0, exact)
        };
    }
    let (forward, negated) = if a > b {
        (between_forward(&b, &a, unit)?, true)
    } else {
        (between_forward(&a, &b, unit)?, false)
    };
    if negated {
        Duration::new(-forward.months, -forward.days, -forward.total_nanos())
    } else {
        Some(forward)
    }
}

/// Days since 1970-01-01 of `date` moved by `cycles` times 400 years.
fn day_number(cycles: i64, date: Date) -> i64 {
    cycles * 146_097 + date.duration_since(EPOCH.date()).as_secs() / 86_400
}

/// The key that orders far values: nanoseconds since 1970-01-01T00:00.
fn far_key(cycles: i64, local: DateTime) -> i128 {
    i128::from(day_number(cycles, local.date())) * i128::from(NANOS_PER_DAY)
        + local.time().duration_since(Time::midnight()).as_nanos()
}

/// The date `year`-`month`-`day` (the day clamped to the month) at `time`, as cycles and
/// a value of jiff's range.
fn far_date(year: i64, month: i64, day: i8, time: Time) -> Option<(i64, DateTime)> {
    let cycles = if (-9999..=9999).contains(&year) {
        0
    } else {
        year.div_euclid(400)
    };
    let year = i16::try_from(year - 400 * cycles).ok()?;
    let first = Date::new(year, i8::try_from(month).ok()?, 1).ok()?;
    let date = Date::new(year, first.month(), day.min(first.days_in_month())).ok()?;
    Some((cycles, date.to_datetime(time)))
}

/// `between` for two local values given as cycles and values of jiff's range, so also
/// beyond jiff's years: whole months, then whole days, then the time left.
fn far_between(a: (i64, DateTime), b: (i64, DateTime), unit: BetweenUnit) -> Option<Duration> {
    let (ka, kb) = (far_key(a.0, a.1), far_key(b.0, b.1));
    let day = i128::from(NANOS_PER_DAY);
    match unit {
        BetweenUnit::Seconds => return Duration::new(0, 0, kb - ka),
        BetweenUnit::Days => return Duration::new(0, i64::try_from((kb - ka) / day).ok()?, 0),
        BetweenUnit::All | BetweenUnit::Months => {}
    }
    if ka > kb {
        let back = far_between(b, a, unit)?;
        return Duration::new(-back.months, -back.days, -back.total_nanos());
    }
    let year = |x: (i64, DateTime)| i64::from(x.1.year()) + 400 * x.0;
    let month_index = |x: (i64, DateTime)| year(x) * 12 + i64::from(x.1.month()) - 1;
    let start = |months: i64| -> Option<(i64, DateTime)> {
        let index = month_index(a) + months;
        far_date(
            index.div_euclid(12),
            index.rem_euclid(12) + 1,
            a.1.day(),
            a.1.time(),
        )
    };
    let mut months = month_index(b) - month_index(a);
    let mut first = start(months)?;
    while months > 0 && far_key(first.0, first.1) > kb {
        months -= 1;
        first = start(months)?;
    }
    if unit == BetweenUnit::Months {
        return Duration::new(months, 0, 0);
    }
    let rest = kb - far_key(first.0, first.1);
    Duration::new(months, i64::try_from(rest / day).ok()?, rest % day)
}

/// `between` for `a <= b` in one zone.
fn between_forward(a: &ZonedDateTime, b: &ZonedDateTime, unit: BetweenUnit) -> Option<Duration> {
    let add_months =
        |n: i64| -> Option<ZonedDateTime> { a.checked_add(Span::new().try_months(n).ok()?).ok() };
    let mut months = 0;
    if unit != BetweenUnit::Days {
        months = (i64::from(b.year()) - i64::from(a.year())) * 12 + i64::from(b.month())
            - i64::from(a.month());
        while months > 0 && add_months(months)? > *b {
            months -= 1;
        }
        if unit == BetweenUnit::Months {
            return Duration::new(months, 0, 0);
        }
    }
    let start = add_months(months)?;
    let mut days = b.date().duration_since(start.date()).as_secs() / 86_400;
    let add_days =
        |n: i64| -> Option<ZonedDateTime> { start.checked_add(Span::new().try_days(n).ok()?).ok() };
    while days > 0 && add_days(days)? > *b {
        days -= 1;
    }
    if unit == BetweenUnit::Days {
        return Duration::new(0, days, 0);
    }
    let mid = add_days(days)?;
    let rest = b.timestamp().as_nanosecond() - mid.timestamp().as_nanosecond();
    Duration::new(months, days, rest)
}

/// A calendar date in ISO 8601's extended (`2015-07-21`, `2015-W30-2`, `2015-202`,
/// `2015-07`, `2015`) or basic (`20150721`, `2015W302`, `2015202`, `201507`) form.
/// A date beyond jiff's years comes back as whole 400-year cycles plus a date in 0..400.
fn parse_date(text: &str) -> Option<(i64, Date)> {
    let (sign, body) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => (1, text),
    };
    let (year_text, rest) = if body.contains('-') {
        let (y, r) = body.split_once('-')?;
        (y, r.replace('-', ""))
    } else if body.len() > 4 && body.is_char_boundary(4) && body.as_bytes()[4].is_ascii_digit()
        || body.get(4..5) == Some("W")
    {
        // The basic form has exactly four year digits.
        (body.get(..4)?, body.get(4..)?.to_string())
    } else {
        (body, String::new())
    };
    let full_year = sign * parse_digits(year_text)?;
    if full_year.abs() > 999_999_999 {
        return None;
    }
    let cycles = if (-9999..=9999).contains(&full_year) {
        0
    } else {
        full_year.div_euclid(400)
    };
    let year = i16::try_from(full_year - 400 * cycles).ok()?;
    let date = if let Some(week) = rest.strip_prefix('W') {
        let (w, d) = match week.len() {
            2 => (parse_digits(week)?, 1),
            3 => (parse_digits(week.get(..2)?)?, parse_digits(week.get(2..)?)?),
            _ => return None,
        };
        week_date(year, w, d)?
    } else {
        match rest.len() {
            0 => Date::new(year, 1, 1).ok()?,
            2 => Date::new(year, i8::try_from(parse_digits(&rest)?).ok()?, 1).ok()?,
            3 => ordinal_date(year, parse_digits(&rest)?)?,
            4 => Date::new(
                year,
                i8::try_from(parse_digits(rest.get(..2)?)?).ok()?,
                i8::try_from(parse_digits(rest.get(2..)?)?).ok()?,
            )
            .ok()?,
            _ => return None,
        }
    };
    Some((cycles, date))
}

/// Day `ordinal` (1 for 1 January) of `year`.
pub fn ordinal_date(year: i16, ordinal: i64) -> Option<Date> {
    Date::new(year, 1, 1)
        .ok()?
        .with()
        .day_of_year(i16::try_from(ordinal).ok()?)
        .build()
        .ok()
}

/// The calendar date of day `day` (Monday 1) of ISO week `week` of week-based year `year`.
pub fn week_date(year: i16, week: i64, day: i64) -> Option<Date> {
    let weekday = jiff::civil::Weekday::from_monday_one_offset(i8::try_from(day).ok()?).ok()?;
    let week = jiff::civil::ISOWeekDate::new(year, i8::try_from(week).ok()?, weekday).ok()?;
    Some(Date::from_iso_week_date(week))
}

/// `21:40:32.142`, `21:40`, `21` or the basic `214032.142`, `2140`.
fn parse_clock(text: &str) -> Option<Time> {
    let (whole, fraction) = match text.split_once(['.', ',']) {
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
        let part = |i: usize| whole.get(i..i + 2).and_then(parse_digits);
        match whole.len() {
            2 => (part(0)?, 0, 0),
            4 => (part(0)?, part(2)?, 0),
            6 => (part(0)?, part(2)?, part(4)?),
            _ => return None,
        }
    };
    let nanos = match fraction {
        Some(f) if !f.is_empty() && f.len() <= 9 => {
            parse_digits(f)? * 10_i64.pow(9 - f.len() as u32)
        }
        Some(_) => return None,
        None => 0,
    };
    Time::new(
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        i32::try_from(nanos).ok()?,
    )
    .ok()
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

/// A duration as openCypher keeps it: months, days and seconds never convert into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    pub months: i64,
    pub days: i64,
    pub seconds: i64,
    /// Always in `0..1_000_000_000`; a negative fraction borrows from `seconds`.
    pub nanos: i64,
}

/// Average lengths openCypher uses to cascade fractions of larger units.
const SECONDS_PER_MONTH: f64 = 2_629_746.0;
const SECONDS_PER_DAY: f64 = 86_400.0;

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

    /// Builds a duration from fractional months, days, seconds and nanoseconds: a fraction
    /// of a month becomes days and seconds of the average month, a fraction of a day
    /// seconds, a fraction of a second nanoseconds, and a fraction of a nanosecond is
    /// dropped (as Neo4j does).
    pub fn from_fractions(months: f64, days: f64, seconds: f64, nanos: f64) -> Option<Duration> {
        let whole_months = months.trunc();
        let days = days + (months - whole_months) * SECONDS_PER_MONTH / SECONDS_PER_DAY;
        let whole_days = days.trunc();
        let seconds = seconds + (days - whole_days) * SECONDS_PER_DAY;
        let whole_seconds = seconds.trunc();
        let nanos = (nanos + (seconds - whole_seconds) * NANOS_PER_SECOND as f64).trunc();
        let fits = |x: f64| x.is_finite() && x.abs() < 9.0e18;
        if !(fits(whole_months) && fits(whole_days) && fits(whole_seconds) && fits(nanos)) {
            return None;
        }
        Duration::new(
            whole_months as i64,
            whole_days as i64,
            i128::from(whole_seconds as i64) * i128::from(NANOS_PER_SECOND)
                + i128::from(nanos as i64),
        )
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

    /// `self * factor`, each component scaled and fractions cascading down.
    pub fn scale(&self, factor: f64) -> Option<Duration> {
        Duration::from_fractions(
            self.months as f64 * factor,
            self.days as f64 * factor,
            self.seconds as f64 * factor,
            self.nanos as f64 * factor,
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
    /// decimal fraction, or the alternative form `P2012-02-02T14:37:21.545`. `None` if the
    /// text is not a duration.
    pub fn parse(text: &str) -> Option<Duration> {
        let body = text.trim().strip_prefix('P')?;
        if let Some(d) = parse_alternative(body) {
            return Some(d);
        }
        let (date, time) = match body.split_once('T') {
            Some((d, t)) if !t.is_empty() => (d, Some(t)),
            Some(_) => return None,
            None => (body, None),
        };
        if date.is_empty() && time.is_none() {
            return None;
        }
        let billion = i128::from(NANOS_PER_SECOND);
        let month_seconds = SECONDS_PER_MONTH as i128;
        let day_seconds = SECONDS_PER_DAY as i128;
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
            let month_rest = (in_months % billion) * month_seconds;
            let day_nanos = in_days * day_seconds + month_rest;
            days += day_nanos / (day_seconds * billion);
            nanos += day_nanos % (day_seconds * billion);
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

/// The alternative form `2012-02-02T14:37:21.545` (after the `P`): years, months, days,
/// hours, minutes and seconds written like a date and time.
fn parse_alternative(body: &str) -> Option<Duration> {
    let (date, time) = body.split_once('T').unwrap_or((body, ""));
    let mut fields = date.split('-');
    let years = parse_digits(fields.next()?)?;
    let months = parse_digits(fields.next()?)?;
    let days = parse_digits(fields.next()?)?;
    if fields.next().is_some() {
        return None;
    }
    let clock = if time.is_empty() {
        Time::midnight()
    } else {
        parse_clock(time)?
    };
    Duration::new(
        years.checked_mul(12)?.checked_add(months)?,
        days,
        clock.duration_since(Time::midnight()).as_nanos(),
    )
}

/// Splits `1Y-2M3.5D` into (`"1"`, 'Y'), (`"-2"`, 'M'), (`"3.5"`, 'D').
fn components(text: &str) -> Option<Vec<(String, char)>> {
    let mut out = Vec::new();
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' || c == ',' || c == '-' || c == '+' {
            number.push(if c == ',' { '.' } else { c });
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
            (TemporalKind::DateTime, "1984-10-11T12:31:14.500+00:17"),
            (TemporalKind::DateTime, "2025-04-11T00:00Z"),
            (
                TemporalKind::DateTime,
                "2015-07-21T21:40:32.142+02:00[Europe/Stockholm]",
            ),
        ] {
            let t = Temporal::parse(kind, text).unwrap_or_else(|| panic!("{text} parses"));
            let shown = t.iso();
            assert_eq!(shown, text);
            let again = Temporal::parse(kind, &shown).expect("printed text parses");
            assert_eq!(again, t, "{text} -> {shown}");
        }
        assert!(Temporal::parse(TemporalKind::Date, "2025-02-30").is_none());
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
        for odd in [
            "2015W1é",
            "2015-1é",
            "1é:00",
            "é",
            "20é5",
            "[",
            "]",
            "x[Europe/Paris]",
        ] {
            assert!(Temporal::parse(TemporalKind::Date, odd).is_none(), "{odd}");
            assert!(
                Temporal::parse(TemporalKind::LocalTime, odd).is_none(),
                "{odd}"
            );
            assert!(
                Temporal::parse(TemporalKind::DateTime, odd).is_none(),
                "{odd}"
            );
        }
        assert!(Temporal::parse(TemporalKind::Date, "12:00").is_none());
    }

    #[test]
    fn a_named_zone_takes_the_offset_its_rules_give_that_day() {
        let t = Temporal::parse(
            TemporalKind::DateTime,
            "1818-07-21T21:40:32.142[Europe/Stockholm]",
        )
        .unwrap();
        assert_eq!(
            t.iso(),
            "1818-07-21T21:40:32.142+00:53:28[Europe/Stockholm]"
        );
        let summer =
            Temporal::parse(TemporalKind::DateTime, "2017-10-28T12:00[Europe/Stockholm]").unwrap();
        let day = Duration::parse("P1D").unwrap();
        // The day after, the clocks went back an hour: the same wall time has a new offset.
        assert_eq!(
            summer.add_duration(&day, false).unwrap().iso(),
            "2017-10-29T12:00+01:00[Europe/Stockholm]"
        );
    }

    #[test]
    fn dates_beyond_ten_thousand_years_print_order_and_measure() {
        let first = Temporal::parse(TemporalKind::Date, "-999999999-01-01").unwrap();
        let last = Temporal::parse(TemporalKind::Date, "+999999999-12-31").unwrap();
        assert_eq!(first.iso(), "-999999999-01-01");
        assert_eq!(last.iso(), "+999999999-12-31");
        assert_eq!(first.order_cmp(&last), Ordering::Less);
        let d = between(&first, &last, BetweenUnit::All).unwrap();
        assert_eq!(d.iso(), "P1999999998Y11M30D");
        let near = Temporal::parse(TemporalKind::Date, "2000-03-01").unwrap();
        let far = Temporal::parse(TemporalKind::Date, "+12000-03-01").unwrap();
        assert_eq!(
            between(&near, &far, BetweenUnit::Months).unwrap().iso(),
            "P10000Y"
        );
        assert!(Temporal::parse(TemporalKind::Date, "+1000000000-01-01").is_none());
        let t = |text| Temporal::parse(TemporalKind::LocalDateTime, text).unwrap();
        let (from, to) = (t("-999999999-01-01"), t("+999999999-12-31T23:59:59"));
        assert_eq!(to.iso(), "+999999999-12-31T23:59:59");
        let seconds = between(&from, &to, BetweenUnit::Seconds).unwrap();
        assert_eq!(seconds.iso(), "PT17531639991215H59M59S");
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
        assert_eq!(
            Duration::parse("P2012-02-02T14:37:21.545").unwrap().iso(),
            "P2012Y2M2DT14H37M21.545S"
        );
        assert_eq!(Duration::parse("P"), None);
        assert_eq!(Duration::parse("1D"), None);
    }
}
