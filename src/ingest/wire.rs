//! Wire copy as it comes: the dateline that opens a body (`JERUSALEM 1996-12-06`,
//! `WASHINGTON (Reuters) -`, `PARIS, Dec 6 (AFP) -`), bylines, headlines in capitals and
//! tables of results or prices. It says what each opening line is and how to read it; it
//! never decides who an entity is, and never drops a line that reads as prose.

use super::dates::{self, Date};

/// What a dateline says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// The place the article was filed from, as written ("JERUSALEM").
    pub place: String,
    /// The date it gives, when it gives a whole one.
    pub date: Option<Date>,
    /// A date written as `YYYY-MM-DD` that is no day of the calendar ("1996-02-30").
    pub bad_date: Option<String>,
    /// A month and day without a year ("Dec 6"), to be read against a known year.
    pub month_day: Option<(u32, u32)>,
    /// The bytes of the paragraph the dateline takes (the rest is body text).
    pub len: usize,
}

/// A word that can be part of a dateline's place: capitalised, letters and a few marks.
fn place_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '-' | ','))
}

/// A word shaped `YYYY-MM-DD`.
fn date_shaped(w: &str) -> bool {
    w.len() == 10
        && w.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// A month's number from its name or abbreviation ("Dec", "December", "Sept."), by the one
/// month table of `dates`.
fn month_of(w: &str) -> Option<u32> {
    dates::month_of(&w.to_ascii_lowercase())
}

/// Reads the dateline that opens `para`, if it has one.
pub fn dateline(para: &str) -> Option<Dateline> {
    let line = para.split('\n').next()?;
    let trimmed = line.trim_end();
    // `CITY YYYY-MM-DD` (or `CITY , Country YYYY-MM-DD`) on a line of its own.
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    if let Some((last, place)) = words.split_last()
        && date_shaped(last)
        && !place.is_empty()
        && place.len() <= 6
        && place.iter().all(|w| place_word(w) || *w == ",")
    {
        let place = place_name(place);
        let (date, bad_date) = match Date::parse(last) {
            Some(d) => (Some(d), None),
            None => (None, Some(last.to_string())),
        };
        return Some(Dateline {
            place,
            date,
            bad_date,
            month_day: None,
            len: line.len(),
        });
    }
    // `CITY[, Country][, Month D] (Agency) -` opening the body.
    let open = line.find(" (")?;
    let close = open + line[open..].find(')')?;
    let agency = &line[open + 2..close];
    if agency.is_empty()
        || agency.len() > 20
        || !agency.chars().next().is_some_and(char::is_uppercase)
        || agency.contains(' ') && agency.split(' ').count() > 2
    {
        return None;
    }
    let after = line[close + 1..].trim_start();
    let dash = ["--", "-", "\u{2014}", "\u{2013}"]
        .iter()
        .find(|d| after.starts_with(**d))?;
    let body_start = line.len() - after.len() + dash.len();
    let head: Vec<&str> = line[..open].split(',').map(str::trim).collect();
    let (place_part, rest) = head.split_first()?;
    let place_words: Vec<&str> = place_part.split_whitespace().collect();
    if place_words.is_empty() || place_words.len() > 4 || !place_words.iter().all(|w| place_word(w))
    {
        return None;
    }
    let mut month_day = None;
    for part in rest {
        let ws: Vec<&str> = part.split_whitespace().collect();
        match ws.as_slice() {
            [m, d] if month_of(m).is_some() => {
                let day: u32 = d.parse().ok()?;
                month_day = Some((month_of(m)?, day));
            }
            ws if ws.iter().all(|w| place_word(w)) && ws.len() <= 4 => {}
            _ => return None,
        }
    }
    Some(Dateline {
        place: place_name(&place_words),
        date: None,
        bad_date: None,
        month_day,
        len: body_start,
    })
}

/// A place's name from a dateline's words: the words before the first comma, in the
/// casing of a name ("JERUSALEM" becomes "Jerusalem").
fn place_name(words: &[&str]) -> String {
    let words: Vec<&str> = words
        .iter()
        .copied()
        .take_while(|w| *w != ",")
        .map(|w| w.trim_end_matches(','))
        .collect();
    let caps = words.iter().all(|w| !w.chars().any(char::is_lowercase));
    words
        .iter()
        .map(|w| if caps { title_case(w) } else { w.to_string() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word in capitals as a name is written ("AL-AIN" becomes "Al-Ain").
fn title_case(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in w.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, '-' | ' ' | '.' | '\'');
    }
    out
}

/// The date of a month and day read against a year: the year of `near` that puts it
/// closest to `near` (a dateline of "Dec 31" on an article filed on January 2 is last year).
pub fn date_near(month: u32, day: u32, near: Date) -> Option<Date> {
    [near.year - 1, near.year, near.year + 1]
        .iter()
        .filter_map(|&y| Date::new(y, month, day))
        .min_by_key(|d| (d.to_days() - near.to_days()).abs())
}

/// A date on a line of its own under a headline ("Wednesday, March 5, 1997", "5 March 1997",
/// "1997-03-05"): `Ok` with the day, or `Err` with the text when it names no day of the
/// calendar ("February 30, 1997").
pub fn date_line(para: &str) -> Option<Result<Date, String>> {
    let line = para.trim();
    if line.contains('\n') || line.len() > 40 {
        return None;
    }
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let words = match words.split_first() {
        Some((first, rest)) if dates::weekday_of(&first.to_ascii_lowercase()).is_some() => rest,
        _ => &words[..],
    };
    let number = |w: &str| w.trim_end_matches('.').parse::<u32>().ok();
    let (year, month, day) = match words {
        [d] if date_shaped(d) => {
            return Some(Date::parse(d).ok_or_else(|| d.to_string()));
        }
        [m, d, y] if month_of(m).is_some() => (number(y)?, month_of(m)?, number(d)?),
        [d, m, y] if month_of(m).is_some() => (number(y)?, month_of(m)?, number(d)?),
        _ => return None,
    };
    if !(1000..=2999).contains(&year) || !(1..=31).contains(&day) {
        return None;
    }
    Some(Date::new(year as i32, month, day).ok_or_else(|| line.to_string()))
}

/// The years of the dates a text writes in full ("March 5, 1997", "5 March 1997", "in
/// March 1997"): a month name followed, at most a day and a comma later, by a year.
pub fn written_years(text: &str) -> impl Iterator<Item = i32> + '_ {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | ';'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut years = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !w.starts_with(|c: char| c.is_ascii_uppercase()) || month_of(w).is_none() {
            continue;
        }
        let year = |w: &&str| {
            let w = w.trim_end_matches(['.', ':', '\'', '"']);
            (w.len() == 4)
                .then(|| w.parse::<i32>().ok())
                .flatten()
                .filter(|y| (1000..=2999).contains(y))
        };
        let day = |w: &&str| w.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
        let found = match (words.get(i + 1), words.get(i + 2)) {
            (Some(d), Some(y)) if day(d) => year(y),
            (Some(y), _) => year(y),
            _ => None,
        };
        years.extend(found);
    }
    years.into_iter()
}

/// Whether a paragraph is a byline ("By Jane Smith", "By Jane Smith, Reuters").
pub fn is_byline(para: &str) -> bool {
    let line = para.trim();
    if line.contains('\n') || line.len() > 80 {
        return false;
    }
    let Some(rest) = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))
    else {
        return false;
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 6
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) || *w == "and")
}

/// Whether a line is written in capitals: at least two words and nearly every letter
/// upper case.
pub fn in_capitals(line: &str) -> bool {
    // Most paragraphs are prose: a byte count settles them without splitting words.
    let (mut up, mut low) = (0usize, 0usize);
    for b in line.bytes() {
        up += usize::from(b.is_ascii_uppercase());
        low += usize::from(b.is_ascii_lowercase());
    }
    if line.is_ascii() && (low * 20 > up || up < 6) {
        return false;
    }
    let words = line
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic));
    let (mut upper, mut lower, mut n) = (0, 0, 0);
    for w in words {
        n += 1;
        for c in w.chars() {
            if c.is_uppercase() {
                upper += 1;
            } else if c.is_lowercase() {
                lower += 1;
            }
        }
    }
    n >= 2 && upper >= 6 && lower * 20 <= upper
}

/// Whether a line reads as a row of a table of results, scores or prices rather than
/// prose: several numbers, and few lower-case words around them.
pub fn score_like(line: &str) -> bool {
    // Prose has few digits: most lines are settled without splitting them into words.
    if line.bytes().filter(u8::is_ascii_digit).count() < 2 {
        return false;
    }
    let numbers = numbers(line);
    let lower = line
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase) && w.len() > 3)
        .count();
    numbers >= 2 && lower * 3 <= numbers && !line.trim_end().ends_with(['.', '?', '!'])
        || numbers >= 3 && lower == 0
}

/// How many numbers a line holds, years (1000 to 2100) left out: a date is not a score.
pub fn numbers(line: &str) -> usize {
    line.split_whitespace()
        .filter(|w| {
            let w = w.trim_matches(|c: char| matches!(c, ',' | '(' | ')' | '.' | ';' | '%'));
            let year = w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1000..=2100).contains(&y));
            !w.is_empty()
                && !year
                && w.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '/' | ':' | ','))
                && w.chars().any(|c| c.is_ascii_digit())
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_of_three_shapes() {
        let d = dateline("JERUSALEM 1996-12-06").expect("dateline");
        assert_eq!(d.place, "Jerusalem");
        assert_eq!(d.date.map(|d| d.to_string()).as_deref(), Some("1996-12-06"));
        let d = dateline("AL-AIN , United Arab Emirates 1996-12-06").expect("dateline");
        assert_eq!(d.place, "Al-Ain");
        let d = dateline("WASHINGTON (Reuters) - The talks went on.").expect("dateline");
        assert_eq!((d.place.as_str(), d.month_day), ("Washington", None));
        assert_eq!(
            &"WASHINGTON (Reuters) - The talks went on."[d.len..],
            " The talks went on."
        );
        let d = dateline("PARIS, France, Dec 6 (AFP) -- Talks began.").expect("dateline");
        assert_eq!((d.place.as_str(), d.month_day), ("Paris", Some((12, 6))));
        let d = dateline("MOSCOW 1996-02-30").expect("dateline");
        assert_eq!(d.bad_date.as_deref(), Some("1996-02-30"));
        assert!(dateline("The president (Reuters) said - no.").is_none());
        assert!(dateline("He met them on 1996-12-06").is_none());
    }

    #[test]
    fn date_lines_under_a_headline_and_years_written_in_text() {
        let day = |s: &str| date_line(s).map(|d| d.map(|d| d.to_string()));
        assert_eq!(
            day("Wednesday, March 5, 1997"),
            Some(Ok("1997-03-05".into()))
        );
        assert_eq!(day("5 March 1997"), Some(Ok("1997-03-05".into())));
        assert_eq!(day("Mar. 5, 1997"), Some(Ok("1997-03-05".into())));
        assert_eq!(day("1997-03-05"), Some(Ok("1997-03-05".into())));
        assert_eq!(
            day("Friday, February 30, 1996"),
            Some(Err("Friday, February 30, 1996".into()))
        );
        assert_eq!(day("March 5 talks"), None);
        assert_eq!(day("Harland wins 1997 vote"), None);
        let years: Vec<i32> =
            written_years("Signed on March 5, 1997 and in May 1996; 2000 jobs, may 1999.")
                .collect();
        assert_eq!(years, [1997, 1996]);
    }

    #[test]
    fn tables_bylines_and_capitals() {
        assert!(score_like("1. Ernie Els (South Africa) 66 68 70"));
        assert!(score_like("Manchester United 3 Arsenal 1"));
        assert!(!score_like(
            "Israel released 12 prisoners on Friday, officials said."
        ));
        assert!(!score_like("Wednesday, April 13, 2011"));
        assert!(is_byline("By Jane Smith"));
        assert!(!is_byline("By the end of the day talks had failed."));
        assert!(in_capitals(
            "SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT ."
        ));
        assert!(!in_capitals("Japan get lucky win"));
    }
}
