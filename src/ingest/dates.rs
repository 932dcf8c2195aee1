//! Calendar dates and the date expressions of news text ("on April 11", "on Thursday",
//! "that same day"), resolved against the article's date.
//!
//! Resolution never guesses a day the text does not give: "last month" or "in March" leave
//! the event undated (the article date applies), and nothing here reads a clock.

use std::fmt;

use super::article::Token;
use super::relations::class;
use crate::graph::temporal;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Abbreviated months; May has none.
const SHORT_MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month)
            || day == 0
            || i64::from(day) > temporal::days_in_month(i64::from(year), i64::from(month))
        {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = s[0..4].parse().ok()?;
        let month = s[5..7].parse().ok()?;
        let day = s[8..10].parse().ok()?;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        temporal::days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        )
    }

    pub fn from_days(days: i64) -> Date {
        let (year, month, day) = temporal::civil_from_days(days);
        // A month and day from the calendar always fit; the year does for any date an
        // article can hold (`add_days` moves by days, not millennia).
        Date {
            year: year as i32,
            month: month as u32,
            day: day as u32,
        }
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// 0 for Monday ... 6 for Sunday.
    pub fn weekday(self) -> i64 {
        (self.to_days() + 3).rem_euclid(7)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// What an article has told of its events so far, as a sentence reads it: the day of the
/// last dated event ("that same day" is its day), and the day and place the sentence before
/// gave an event, which an undated or unplaced meeting or agreement right after it continues
/// ("X and Y agreed on Thursday ... They met for several hours at ...").
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct EventDays {
    /// The day of the last dated event.
    pub last: Option<Date>,
    /// The event day the sentence before this one gave, if it gave one.
    pub previous: Option<Date>,
    /// The event place (an entity of the article) the sentence before gave, if it gave one.
    pub previous_place: Option<usize>,
    /// The event day and place this sentence gives.
    current: Option<Date>,
    current_place: Option<usize>,
}

impl EventDays {
    /// Moves on to the next sentence, whose date expressions are `dates`.
    pub fn next_sentence(&mut self, dates: &[DateExpr]) {
        self.previous = self.current;
        self.previous_place = self.current_place.take();
        self.current = dates
            .iter()
            .find(|d| !d.statement && !d.same_day)
            .and_then(|d| d.date);
    }

    /// Records the day and place of an event of this sentence.
    pub fn record(&mut self, day: Option<Date>, place: Option<usize>) {
        if let Some(day) = day {
            self.last = Some(day);
            self.current.get_or_insert(day);
        }
        if let Some(place) = place {
            self.current_place.get_or_insert(place);
        }
    }
}

/// A date expression found in a sentence: its tokens, the day it names if it names one,
/// and whether it dates a statement ("said on Monday") rather than an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateExpr {
    pub start: usize,
    pub end: usize,
    pub date: Option<Date>,
    pub statement: bool,
    /// "that same day": the day of the last dated event.
    pub same_day: bool,
}

/// Every word that can open a date expression, as `find_dates` compares it (a month name
/// may also end in periods: "Jan.").
pub fn opening_words() -> impl Iterator<Item = &'static str> {
    MONTHS
        .iter()
        .chain(&SHORT_MONTHS)
        .chain(&WEEKDAYS)
        .chain(&["sept", "yesterday", "today", "same"])
        .copied()
        .filter(|w| !w.is_empty())
}

pub(super) fn month_of(word: &str) -> Option<u32> {
    // One `match` on the word (the compiler switches on its length first) rather than a
    // comparison with each name of `MONTHS` and `SHORT_MONTHS` in turn.
    let month = match word.trim_end_matches('.') {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(month)
}

/// A weekday's number (0 for Monday) from its name or abbreviation ("wednesday", "wed.").
pub(super) fn weekday_of(word: &str) -> Option<usize> {
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    WEEKDAYS
        .iter()
        .position(|d| *d == word || (word.len() <= 4 && d.starts_with(word)))
}

fn day_number(word: &str) -> Option<u32> {
    let digits = word
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th");
    let n: u32 = digits.parse().ok()?;
    (1..=31).contains(&n).then_some(n)
}

/// The word that sends a weekday forward ("next Friday") and the one that sends it a week
/// back from its own day ("last Monday").
const NEXT: &str = "next";
const LAST: &str = "last";

/// The auxiliaries of the future tense: "will meet on Friday" is the Friday to come.
const FUTURE: [&str; 3] = ["will", "'ll", "shall"];

/// The weekday `wd` (0 for Monday) nearest the article's date `a` in the direction the text
/// gives: by default the last such day on or before it (news reports what happened: "met on
/// Thursday"), with `ahead` the first on or after it ("will meet on Friday"), with `next` the
/// first strictly after it ("next Friday"), with `last` the last strictly before it ("last
/// Monday").
fn weekday_near(a: Date, wd: i64, ahead: bool, next: bool, last: bool) -> Date {
    if ahead || next {
        let forward = (wd - a.weekday()).rem_euclid(7);
        return a.add_days(if next && forward == 0 { 7 } else { forward });
    }
    let back = (a.weekday() - wd).rem_euclid(7);
    a.add_days(-(if last && back == 0 { 7 } else { back }))
}

/// Chooses the year for a month and day without one: the article's year, or the year
/// before when that would put the day well after the article.
fn place_in_year(month: u32, day: u32, article: Date) -> Option<Date> {
    let this = Date::new(article.year, month, day)?;
    if this.to_days() - article.to_days() > 31 {
        Date::new(article.year - 1, month, day)
    } else {
        Some(this)
    }
}

/// Finds the date expressions of one sentence (`tokens` is the sentence's tokens).
pub fn find_dates(
    tokens: &[Token<'_>],
    article: Option<Date>,
    is_speech: impl Fn(&str) -> bool,
) -> Vec<DateExpr> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let w = tokens[i].lower;
        // The lexicon marks every opening word (`opening_words`) on the token, and a word
        // that took the period after it when it is one without ("Jan.").
        let opening = tokens[i].lex.classes() & class::DATE != 0;
        if !opening {
            i += 1;
            continue;
        }
        let mut found: Option<(usize, Option<Date>, bool)> = None;
        if tokens[i].cap
            && let Some(month) = month_of(w)
        {
            // "April 11", "April 11, 2025", "11 April"
            if let Some(day) = tokens.get(i + 1).and_then(|t| day_number(t.lower)) {
                let mut end = i + 2;
                let mut year = None;
                if tokens.get(end).is_some_and(|t| t.text == ",")
                    && let Some(y) = tokens.get(end + 1).and_then(|t| t.text.parse::<i32>().ok())
                    && (1000..3000).contains(&y)
                {
                    year = Some(y);
                    end += 2;
                } else if let Some(y) = tokens.get(end).and_then(|t| t.text.parse::<i32>().ok())
                    && (1000..3000).contains(&y)
                {
                    year = Some(y);
                    end += 1;
                }
                let date = match (year, article) {
                    (Some(y), _) => Date::new(y, month, day),
                    (None, Some(a)) => place_in_year(month, day, a),
                    (None, None) => None,
                };
                found = Some((end, date, false));
            } else if i > 0
                && let Some(day) = day_number(tokens[i - 1].lower)
                && tokens[i].cap
            {
                let date = article.and_then(|a| place_in_year(month, day, a));
                found = Some((i + 1, date, false));
            } else if tokens[i].cap {
                // A month alone names no day.
                found = Some((i + 1, None, false));
            }
        } else if let Some(wd) = WEEKDAYS.iter().position(|d| *d == w) {
            let before = |n: usize| i.checked_sub(n).map_or("", |x| tokens[x].lower);
            let (next, last) = (before(1) == NEXT, before(1) == LAST);
            let ahead = !last && (2..=6).any(|n| FUTURE.contains(&before(n)));
            let date = article.map(|a| weekday_near(a, wd as i64, ahead, next, last));
            found = Some((i + 1, date, false));
        } else if w == "yesterday" {
            found = Some((i + 1, article.map(|a| a.add_days(-1)), false));
        } else if w == "today" {
            found = Some((i + 1, article, false));
        } else if w == "same"
            && tokens.get(i + 1).is_some_and(|t| t.lower == "day")
            && i > 0
            && matches!(tokens[i - 1].lower, "that" | "the")
        {
            out.push(DateExpr {
                start: i - 1,
                end: i + 2,
                date: None,
                statement: false,
                same_day: true,
            });
            i += 2;
            continue;
        }
        if let Some((end, date, _)) = found {
            let mut start = i;
            if start > 0 && tokens[start - 1].lower == "on" {
                start -= 1;
            }
            let statement = start > 0 && is_speech(tokens[start - 1].lower);
            out.push(DateExpr {
                start,
                end,
                date,
                statement,
                same_day: false,
            });
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::article::tokenize_for_test;

    #[test]
    fn month_names_match_the_tables() {
        for (n, (long, short)) in MONTHS.iter().zip(&SHORT_MONTHS).enumerate() {
            let month = Some(n as u32 + 1);
            assert_eq!(month_of(long), month, "{long}");
            assert_eq!(month_of(&format!("{long}.")), month, "{long}.");
            if !short.is_empty() {
                assert_eq!(month_of(short), month, "{short}");
                assert_eq!(month_of(&format!("{short}.")), month, "{short}.");
            }
        }
        assert_eq!(month_of("sept."), Some(9));
        assert_eq!(month_of(""), None);
        assert_eq!(month_of("monday"), None);
    }

    #[test]
    fn day_arithmetic_round_trips() {
        let d = Date::parse("2025-04-11").expect("valid");
        assert_eq!(Date::from_days(d.to_days()), d);
        assert_eq!(d.weekday(), 4, "2025-04-11 is a Friday");
        assert_eq!(d.add_days(-1).to_string(), "2025-04-10");
        assert_eq!(Date::parse("2024-02-30"), None);
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.add_days(1).to_string()),
            Some("2024-03-01".into())
        );
    }

    fn dates_of(text: &str, article: &str) -> Vec<(Option<String>, bool)> {
        let (toks, _) = tokenize_for_test(text);
        let t = &toks;
        find_dates(t, Date::parse(article), |w| w == "said")
            .into_iter()
            .map(|d| (d.date.map(|x| x.to_string()), d.statement))
            .collect()
    }

    #[test]
    fn resolves_relative_and_absolute_days() {
        assert_eq!(
            dates_of("The ministers met on Thursday in Geneva.", "2025-04-11"),
            [(Some("2025-04-10".into()), false)]
        );
        assert_eq!(
            dates_of("She said on Friday that the deal was done.", "2025-04-11"),
            [(Some("2025-04-11".into()), true)]
        );
        assert_eq!(
            dates_of("They signed it on December 30 in Rome.", "2025-01-04"),
            [(Some("2024-12-30".into()), false)]
        );
        assert_eq!(
            dates_of("The pact of 3 March held.", "2025-01-04"),
            [(Some("2024-03-03".into()), false)]
        );
        assert_eq!(
            dates_of("Talks stalled in March.", "2025-04-11"),
            [(None, false)]
        );
        // Tense and "next" or "last" say which way a weekday lies.
        assert_eq!(
            dates_of("The ministers will meet on Friday in Geneva.", "2025-04-09"),
            [(Some("2025-04-11".into()), false)]
        );
        assert_eq!(
            dates_of("They will sign it on Tuesday.", "2025-04-09"),
            [(Some("2025-04-15".into()), false)]
        );
        assert_eq!(
            dates_of("They meet again next Wednesday.", "2025-04-09"),
            [(Some("2025-04-16".into()), false)]
        );
        assert_eq!(
            dates_of("They last met on Wednesday.", "2025-04-09"),
            [(Some("2025-04-09".into()), false)]
        );
        assert_eq!(
            dates_of("Their meeting last Wednesday went well.", "2025-04-09"),
            [(Some("2025-04-02".into()), false)]
        );
        assert_eq!(
            dates_of("The talks ended on Monday night.", "2025-04-09"),
            [(Some("2025-04-07".into()), false)]
        );
        // A month written with a period opens a date too.
        assert_eq!(
            dates_of("They met on Jan. 5 in Rome.", "2025-04-11"),
            [(Some("2025-01-05".into()), false)]
        );
        assert_eq!(
            dates_of("They met on Sept. 3 in Rome.", "2025-04-11"),
            [(Some("2024-09-03".into()), false)]
        );
    }
}
