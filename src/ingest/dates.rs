//! Calendar dates and the date expressions of news text ("on April 11", "on Thursday",
//! "that same day"), resolved against the article's date.
//!
//! Resolution never guesses a day the text does not give: "last month" or "in March" leave
//! the event undated (the article date applies), and nothing here reads a clock. The words
//! are data (`lexicon/attributes.ron`, read once into [`AttributeWords`]); this module holds none.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use super::IngestError;
use super::article::{TokKind, Token};
use super::relations::class;
use crate::graph::temporal;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

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

    /// 0 for Monday ... 6 for Sunday, from jiff's calendar.
    pub fn weekday(self) -> i64 {
        let civil = i16::try_from(self.year).ok().and_then(|y| {
            jiff::civil::Date::new(
                y,
                i8::try_from(self.month).ok()?,
                i8::try_from(self.day).ok()?,
            )
            .ok()
        });
        civil.map_or(0, |d| i64::from(d.weekday().to_monday_zero_offset()))
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
    /// The place this sentence gives talks it names without a fact ("after two days of
    /// talks in Geneva"), for the sentence after when no event of this one has a place.
    mentioned_place: Option<usize>,
}

impl EventDays {
    /// Moves on to the next sentence, whose date expressions are `dates`.
    pub fn next_sentence(&mut self, dates: &[DateExpr]) {
        self.previous = self.current;
        self.previous_place = self.current_place.take().or(self.mentioned_place.take());
        self.mentioned_place = None;
        self.current = dates
            .iter()
            .find(|d| !d.statement && d.relative.is_none())
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

    /// Records the place of talks this sentence names ("talks in Geneva").
    pub fn mention_place(&mut self, place: usize) {
        self.mentioned_place.get_or_insert(place);
    }

    /// The day expression `d` names: its own, or for one told from the last dated event
    /// ("that same day", "a week later") that day moved by its distance.
    pub fn day_of(&self, d: &DateExpr) -> Option<Date> {
        match d.relative {
            Some(n) => self.last.map(|l| l.add_days(n)),
            None => d.date,
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
    /// A day told by its distance from the last dated event, in days: 0 for "that same
    /// day", 7 for "a week later", -1 for "the day before".
    pub relative: Option<i64>,
}

/// The words of an event's date and place, from `lexicon/attributes.ron` (whose comments
/// say what each list does).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeWords {
    pub dates: DateWords,
    pub places: PlaceWords,
}

/// The words of a venue phrase (read by `relations::attributes`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceWords {
    /// "of", which completes a venue phrase ("on the island of X").
    pub links: Vec<String>,
    /// Prepositions that open a venue phrase only when a name completes it ("on").
    pub phrase_preps: Vec<String>,
    /// Prepositions of a phrase about something else ("talks on the conflict in X").
    pub topic_preps: Vec<String>,
    /// The words of a visit, noun or verb ("a visit to X", "visiting X").
    pub visit_words: Vec<String>,
    /// Prepositions of where a traveller came from ("from").
    pub origin_preps: Vec<String>,
    /// Nouns that name a country's capital after its demonym ("the Qatari capital").
    pub capital_nouns: Vec<String>,
    /// Closing words of a building's or a seat's name ("White House", "Kremlin"), which is
    /// the venue when it modifies the event's noun ("a White House meeting").
    pub seat_words: Vec<String>,
    /// Each country's capital, by their names in the regions lexicon.
    pub capitals: BTreeMap<String, String>,
}

/// The words of date expressions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateWords {
    months: Vec<Vec<String>>,
    weekdays: Vec<String>,
    ordinal_suffixes: Vec<String>,
    days: BTreeMap<String, i64>,
    day_prepositions: Vec<String>,
    next: Vec<String>,
    last: Vec<String>,
    future: Vec<String>,
    same: Vec<String>,
    same_day_openers: Vec<String>,
    units: BTreeMap<String, i64>,
    counts: BTreeMap<String, i64>,
    later: Vec<String>,
    later_at_end: Vec<String>,
    earlier: Vec<String>,
    earlier_at_end: Vec<String>,
    ago: Vec<String>,
    following: Vec<String>,
    preceding: Vec<String>,
    periods: Vec<String>,
    period_openers: Vec<String>,
}

const WORDS_RON: &str = include_str!("lexicon/attributes.ron");
const WORDS_FILE: &str = "src/ingest/lexicon/attributes.ron";

impl AttributeWords {
    /// The built-in words, read on first use. Loading the rules asks for them first
    /// (`Knowledge::with_rules`), so a broken file stops ingestion there with its line and
    /// column.
    pub fn builtin() -> Result<&'static AttributeWords, IngestError> {
        static WORDS: OnceLock<Result<AttributeWords, IngestError>> = OnceLock::new();
        WORDS
            .get_or_init(|| {
                let words: AttributeWords = super::lexicon::parse_ron(WORDS_RON, WORDS_FILE)?;
                words.dates.check()?;
                Ok(words)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The built-in words, or none when the file cannot be read (which `builtin` reports
    /// before any text is read).
    pub fn get() -> &'static AttributeWords {
        static EMPTY: AttributeWords = AttributeWords {
            places: PlaceWords {
                links: Vec::new(),
                phrase_preps: Vec::new(),
                topic_preps: Vec::new(),
                visit_words: Vec::new(),
                origin_preps: Vec::new(),
                capital_nouns: Vec::new(),
                seat_words: Vec::new(),
                capitals: BTreeMap::new(),
            },
            dates: DateWords {
                months: Vec::new(),
                weekdays: Vec::new(),
                ordinal_suffixes: Vec::new(),
                days: BTreeMap::new(),
                day_prepositions: Vec::new(),
                next: Vec::new(),
                last: Vec::new(),
                future: Vec::new(),
                same: Vec::new(),
                same_day_openers: Vec::new(),
                units: BTreeMap::new(),
                counts: BTreeMap::new(),
                later: Vec::new(),
                later_at_end: Vec::new(),
                earlier: Vec::new(),
                earlier_at_end: Vec::new(),
                ago: Vec::new(),
                following: Vec::new(),
                preceding: Vec::new(),
                periods: Vec::new(),
                period_openers: Vec::new(),
            },
        };
        AttributeWords::builtin().unwrap_or(&EMPTY)
    }
}

impl DateWords {
    fn get() -> &'static DateWords {
        &AttributeWords::get().dates
    }

    /// The calendar's shape: twelve months and seven weekdays.
    fn check(&self) -> Result<(), IngestError> {
        if self.months.len() != 12 || self.months.iter().any(Vec::is_empty) {
            return Err(self.fault("`months` lists the twelve months, each with its name"));
        }
        if self.weekdays.len() != 7 {
            return Err(self.fault("`weekdays` lists the seven weekdays from Monday"));
        }
        Ok(())
    }

    fn fault(&self, message: &str) -> IngestError {
        IngestError::Rules {
            file: WORDS_FILE.to_string(),
            line: 1,
            column: 1,
            message: message.to_string(),
        }
    }
}

fn among(list: &[String], word: &str) -> bool {
    list.iter().any(|w| w == word)
}

/// Every word that can open a date expression, as `find_dates` compares it (a month name
/// may also end in periods: "Jan."): months, weekdays, days named by their distance from
/// the article's date, "same", and the units and periods a distance or a period ends in
/// ("a week later", "last month"), which `find_dates` reads back from.
pub fn opening_words() -> impl Iterator<Item = &'static str> {
    let w = DateWords::get();
    w.months
        .iter()
        .flatten()
        .chain(&w.weekdays)
        .chain(w.days.keys())
        .chain(&w.same)
        .chain(w.units.keys())
        .chain(&w.periods)
        .map(String::as_str)
}

/// A month's number (1 for January) from its name or abbreviation ("jan", "jan.").
pub(super) fn month_of(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    let n = DateWords::get()
        .months
        .iter()
        .position(|names| names.iter().any(|m| m == word))?;
    u32::try_from(n + 1).ok()
}

/// A weekday's number (0 for Monday) from its name or abbreviation ("wednesday", "wed.").
pub(super) fn weekday_of(word: &str) -> Option<usize> {
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    DateWords::get()
        .weekdays
        .iter()
        .position(|d| *d == word || (word.len() <= 4 && d.starts_with(word)))
}

fn day_number(word: &str) -> Option<u32> {
    let digits = DateWords::get()
        .ordinal_suffixes
        .iter()
        .find_map(|s| word.strip_suffix(s.as_str()))
        .unwrap_or(word);
    let n: u32 = digits.parse().ok()?;
    (1..=31).contains(&n).then_some(n)
}

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
/// before when that would put the day well after the article; in the future tense
/// (`ahead`: "will meet on January 5" written in December) the first such day on or after
/// the article's date.
fn place_in_year(month: u32, day: u32, article: Date, ahead: bool) -> Option<Date> {
    let this = Date::new(article.year, month, day)?;
    if ahead {
        return if this < article {
            Date::new(article.year + 1, month, day)
        } else {
            Some(this)
        };
    }
    if this.to_days() - article.to_days() > 31 {
        Date::new(article.year - 1, month, day)
    } else {
        Some(this)
    }
}

/// What a date expression found at a word says: where it ends, the day it names, and its
/// distance from the last dated event when it is told by one.
struct Found {
    start: usize,
    end: usize,
    date: Option<Date>,
    relative: Option<i64>,
}

/// A distance or a period ending in the unit or period word at `i`: "a week later", "two
/// days earlier", "the day before", "the next day" (from the last dated event), "two days
/// ago" (from the article's date), or "last week", "earlier this month" (no day).
fn distance_at(
    tokens: &[Token<'_>],
    i: usize,
    w: &DateWords,
    article: Option<Date>,
) -> Option<Found> {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower);
    let before = |n: usize| i.checked_sub(n).map_or("", word);
    let unit = w.units.get(tokens[i].lower).copied();
    if let Some(unit) = unit {
        let after = word(i + 1);
        // "a week later", "two days earlier"; "after" and "before" only end a phrase.
        let ends = tokens.get(i + 2).is_none_or(|t| t.kind == TokKind::Punct);
        let sign = if among(&w.later, after) || (ends && among(&w.later_at_end, after)) {
            Some(1)
        } else if among(&w.earlier, after) || (ends && among(&w.earlier_at_end, after)) {
            Some(-1)
        } else {
            None
        };
        let count = || {
            w.counts.get(before(1)).copied().or_else(|| {
                before(1)
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=60).contains(n))
            })
        };
        // "two days ago": that far before the article's date.
        if among(&w.ago, after)
            && i > 0
            && let Some(n) = count()
        {
            return Some(Found {
                start: i - 1,
                end: i + 2,
                date: article.map(|a| a.add_days(-n * unit)),
                relative: None,
            });
        }
        if let Some(sign) = sign
            && i > 0
        {
            let count = count();
            let determiner = tokens[i - 1].lex.classes() & class::DETERMINER != 0;
            // "the day before": a unit with a determiner is one of it.
            if let Some(n) = count.or((unit == 1 && determiner).then_some(1)) {
                return Some(Found {
                    start: i - 1,
                    end: i + 2,
                    date: None,
                    relative: Some(sign * n * unit),
                });
            }
        }
        if unit == 1 && i > 0 {
            let step = if among(&w.following, before(1)) {
                Some(1)
            } else if among(&w.preceding, before(1)) {
                Some(-1)
            } else {
                None
            };
            if let Some(step) = step {
                return Some(Found {
                    start: i - 1,
                    end: i + 1,
                    date: None,
                    relative: Some(step),
                });
            }
        }
    }
    let period = unit.is_some() || among(&w.periods, tokens[i].lower);
    if period && i > 0 && among(&w.period_openers, before(1)) {
        let mut start = i - 1;
        let opens_period = |word: &str| {
            [&w.earlier, &w.earlier_at_end, &w.later, &w.later_at_end]
                .iter()
                .any(|list| among(list, word))
        };
        if start > 0 && opens_period(before(2)) {
            start -= 1;
        }
        return Some(Found {
            start,
            end: i + 1,
            date: None,
            relative: None,
        });
    }
    None
}

/// Finds the date expressions of one sentence (`tokens` is the sentence's tokens).
pub fn find_dates(
    tokens: &[Token<'_>],
    article: Option<Date>,
    is_speech: impl Fn(&str) -> bool,
) -> Vec<DateExpr> {
    let words = DateWords::get();
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
        let before = |n: usize| i.checked_sub(n).map_or("", |x| tokens[x].lower);
        // A future auxiliary a few words before: "will meet on Friday", "will sign it on
        // May 15".
        let future = || (2..=6).any(|n| among(&words.future, before(n)));
        let at = |end: usize, date: Option<Date>| Found {
            start: i,
            end,
            date,
            relative: None,
        };
        let found = if tokens[i].cap
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
                    (None, Some(a)) => place_in_year(month, day, a, future()),
                    (None, None) => None,
                };
                Some(at(end, date))
            } else if i > 0
                && let Some(day) = day_number(tokens[i - 1].lower)
            {
                let date = article.and_then(|a| place_in_year(month, day, a, future()));
                Some(at(i + 1, date))
            } else {
                // A month alone names no day.
                Some(at(i + 1, None))
            }
        } else if let Some(wd) = words.weekdays.iter().position(|d| d == w) {
            let (next, last) = (among(&words.next, before(1)), among(&words.last, before(1)));
            let ahead = !last && future();
            let date = article.map(|a| weekday_near(a, wd as i64, ahead, next, last));
            Some(at(i + 1, date))
        } else if let Some(&n) = words.days.get(w) {
            Some(at(i + 1, article.map(|a| a.add_days(n))))
        } else if among(&words.same, w)
            && tokens
                .get(i + 1)
                .is_some_and(|t| words.units.get(t.lower) == Some(&1))
            && among(&words.same_day_openers, before(1))
        {
            Some(Found {
                start: i - 1,
                end: i + 2,
                date: None,
                relative: Some(0),
            })
        } else {
            distance_at(tokens, i, words, article)
        };
        let Some(f) = found else {
            i += 1;
            continue;
        };
        let mut start = f.start;
        if f.relative.is_none()
            && start > 0
            && among(&words.day_prepositions, tokens[start - 1].lower)
        {
            start -= 1;
        }
        let statement = start > 0 && is_speech(tokens[start - 1].lower);
        out.push(DateExpr {
            start,
            end: f.end,
            date: f.date,
            statement,
            relative: f.relative,
        });
        i = f.end.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::article::tokenize_for_test;

    #[test]
    fn the_date_words_load_and_name_months() {
        let words = AttributeWords::builtin().expect("lexicon/attributes.ron loads");
        for (n, names) in words.dates.months.iter().enumerate() {
            let month = Some(n as u32 + 1);
            for name in names {
                assert_eq!(month_of(name), month, "{name}");
                assert_eq!(month_of(&format!("{name}.")), month, "{name}.");
            }
        }
        assert_eq!(month_of("sept."), Some(9));
        assert_eq!(month_of(""), None);
        assert_eq!(month_of("monday"), None);
        assert_eq!(weekday_of("wed."), Some(2));
        assert_eq!(weekday_of("thu"), Some(3));
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

    /// The distance in days from the last dated event of each expression told by one.
    fn distances_of(text: &str) -> Vec<Option<i64>> {
        let (toks, _) = tokenize_for_test(text);
        find_dates(&toks, Date::parse("2025-04-11"), |_| false)
            .into_iter()
            .map(|d| d.relative)
            .collect()
    }

    #[test]
    fn distances_count_from_the_last_dated_event() {
        assert_eq!(distances_of("A week later, they met again."), [Some(7)]);
        assert_eq!(distances_of("They had met two days earlier."), [Some(-2)]);
        assert_eq!(distances_of("They had met the day before."), [Some(-1)]);
        assert_eq!(distances_of("They met again the next day."), [Some(1)]);
        assert_eq!(distances_of("They met on that same day."), [Some(0)]);
        // "after" followed by words says what the distance is from: no day of ours.
        assert_eq!(
            distances_of("It came two weeks after gunmen killed 26 people."),
            Vec::<Option<i64>>::new()
        );
        // A period names no day, but it is a date expression all the same.
        assert_eq!(distances_of("They met last week."), [None]);
        // "ago" counts from the article's date: a day of its own.
        assert_eq!(distances_of("They met two days ago."), [None]);
        assert_eq!(
            dates_of("They met a week ago in Rome.", "2025-04-11"),
            [(Some("2025-04-04".into()), false)]
        );
        assert_eq!(
            dates_of("They met earlier this month in Rome.", "2025-04-11"),
            [(None, false)]
        );
        let last = EventDays {
            last: Date::parse("2025-04-08"),
            ..EventDays::default()
        };
        let (toks, _) = tokenize_for_test("A week later, they met again.");
        let found = find_dates(&toks, Date::parse("2025-04-20"), |_| false);
        assert_eq!(
            last.day_of(&found[0]).map(|d| d.to_string()),
            Some("2025-04-15".into())
        );
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
            dates_of("They will sign it on January 5 in Rome.", "2025-12-20"),
            [(Some("2026-01-05".into()), false)]
        );
        assert_eq!(
            dates_of("They will meet Rubio tomorrow.", "2025-04-09"),
            [(Some("2025-04-10".into()), false)]
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
