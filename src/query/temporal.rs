//! Temporal values built from maps (`date`, `localtime`, `time`, `localdatetime`,
//! `datetime`): their ISO 8601 text and an order key, so that they compare and sort by the
//! instant they stand for.
//!
//! This is a subset: no arithmetic, no named time zones, no parsing of strings. The store has
//! no temporal type, so a temporal value stored as a property becomes its ISO text.

use std::collections::BTreeMap;

use super::value::Val;

/// Which temporal type a value has; values of different types never compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
}

/// A temporal value: its type, a key that orders values of that type by instant, and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Temporal {
    pub kind: TemporalKind,
    pub key: i128,
    pub text: String,
}

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const NANOS_PER_DAY: i128 = 86_400 * NANOS_PER_SECOND;

/// Days from 1970-01-01 to a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// An offset such as `+01:00`, `-0800` or `Z`, in seconds east of UTC.
fn parse_offset(text: &str) -> Option<i64> {
    if text == "Z" {
        return Some(0);
    }
    let (sign, rest) = match text.chars().next()? {
        '+' => (1, &text[1..]),
        '-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = digits[2..].parse().ok()?;
    if hours > 18 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

fn format_offset(seconds: i64) -> String {
    if seconds == 0 {
        return "Z".to_string();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
}

fn format_time(hour: i64, minute: i64, second: i64, nanos: i64) -> String {
    let mut out = format!("{hour:02}:{minute:02}");
    if second != 0 || nanos != 0 {
        out.push_str(&format!(":{second:02}"));
    }
    if nanos != 0 {
        let fraction = format!("{nanos:09}");
        out.push('.');
        out.push_str(fraction.trim_end_matches('0'));
    }
    out
}

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
    let has_date = matches!(
        kind,
        TemporalKind::Date | TemporalKind::LocalDateTime | TemporalKind::DateTime
    );
    let has_time = kind != TemporalKind::Date;
    let has_zone = matches!(kind, TemporalKind::Time | TemporalKind::DateTime);
    let mut text = String::new();
    let mut key: i128 = 0;
    if has_date {
        let year = int("year", i64::MIN)?;
        if year == i64::MIN {
            return Err("a date needs a `year`".into());
        }
        let month = int("month", 1)?;
        let day = int("day", 1)?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(format!("{year}-{month}-{day} is not a valid date"));
        }
        if !(-999_999_999..=999_999_999).contains(&year) {
            return Err(format!("the year {year} is out of range"));
        }
        text.push_str(&if (0..=9999).contains(&year) {
            format!("{year:04}-{month:02}-{day:02}")
        } else {
            format!("{year:+}-{month:02}-{day:02}")
        });
        key = i128::from(days_from_civil(year, month, day)) * NANOS_PER_DAY;
    }
    if has_time {
        let hour = int("hour", 0)?;
        let minute = int("minute", 0)?;
        let second = int("second", 0)?;
        let nanos = int("millisecond", 0)? * 1_000_000
            + int("microsecond", 0)? * 1_000
            + int("nanosecond", 0)?;
        if !(0..24).contains(&hour)
            || !(0..60).contains(&minute)
            || !(0..60).contains(&second)
            || !(0..1_000_000_000).contains(&nanos)
        {
            return Err("the time of day is out of range".into());
        }
        if has_date {
            text.push('T');
        }
        text.push_str(&format_time(hour, minute, second, nanos));
        key +=
            i128::from(hour * 3600 + minute * 60 + second) * NANOS_PER_SECOND + i128::from(nanos);
    }
    if has_zone {
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
        text.push_str(&format_offset(offset));
        key -= i128::from(offset) * NANOS_PER_SECOND;
    }
    Ok(Temporal { kind, key, text })
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
        assert_eq!(d.text, "1984-10-11");
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
        assert_eq!(a.text, "12:35:15+05:00");
        assert_eq!(b.text, "10:35-08:00");
        assert!(a.key < b.key, "07:35 UTC comes before 18:35 UTC");
        assert!(from_map(TemporalKind::Date, &BTreeMap::new()).is_err());
    }
}
