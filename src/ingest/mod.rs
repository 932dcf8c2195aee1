//! Ingestion: plain-text news articles in, entities and typed relations with their evidence
//! merged into the graph.
//!
//! The stages are modules with one entry each: `article` cuts text, `entities` recognises
//! spans, `resolve` decides which entity each span is, `relations` applies the rules, `dates`
//! reads dates, and `merge` writes into the graph. Everything before `merge` is a pure
//! function of the text and the rules, so files are extracted in parallel; merging happens
//! in path order, so the graph never depends on thread scheduling.

pub mod antecedent;
pub mod article;
pub mod dates;
pub mod entities;
pub mod eval;
pub mod identity;
pub mod identity_eval;
pub mod lexicon;
pub mod merge;
pub mod relations;
pub mod resolve;
pub mod rules;
pub mod timing;
pub mod wire;

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use smallvec::SmallVec;

use crate::graph::Graph;
use article::{ParagraphReader, lower_copy, parse_header, sentences, tokenize};
use dates::Date;
use relations::{Evidence, ExFact, SentenceCtx, class};
use resolve::{ArtEntity, ArticleState, MentionKind, SentenceInfo};
use rules::Knowledge;
use timing::Stage;

/// What can go wrong while ingesting. Bad articles are warnings, not errors; these stop
/// the whole command.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IngestError {
    #[error("{file}:{line}:{column}: {message}; fix the rules file and run again")]
    Rules {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// A file given that is not one to read: a pipe, a device, too large, not UTF-8 text.
    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },
    #[error("--date {0:?} is not a date; write it as YYYY-MM-DD")]
    BadDate(String),
    #[error("{file}: {message}")]
    Gold { file: String, message: String },
    #[error("{0}")]
    Unavailable(String),
}

impl IngestError {
    /// Whether the error is the user's to fix (bad input) rather than the system's.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, IngestError::Io { .. })
    }
}

/// How to ingest.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Extra rules files (RON), added to the built-in rules in order.
    pub rules: Vec<PathBuf>,
    /// The date of articles without a header (`YYYY-MM-DD`).
    pub default_date: Option<String>,
    /// Whether to show a progress bar on standard error.
    pub progress: bool,
}

/// A problem with one input that did not stop the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestWarning {
    pub file: String,
    pub message: String,
}

impl fmt::Display for IngestWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// What an ingestion did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub articles: usize,
    pub entities_new: usize,
    pub entities_merged: usize,
    pub edges_new: usize,
    pub edges_merged: usize,
    pub warnings: Vec<IngestWarning>,
}

impl IngestReport {
    pub fn warn(&mut self, file: &str, message: impl Into<String>) {
        self.warnings.push(IngestWarning {
            file: file.to_string(),
            message: message.into(),
        });
    }

    pub fn warnings(&self) -> &[IngestWarning] {
        &self.warnings
    }

    fn absorb(&mut self, other: IngestReport) {
        self.articles += other.articles;
        self.entities_new += other.entities_new;
        self.entities_merged += other.entities_merged;
        self.edges_new += other.edges_new;
        self.edges_merged += other.edges_merged;
        self.warnings.extend(other.warnings);
    }
}

impl fmt::Display for IngestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {many}")
            }
        };
        write!(
            f,
            "{}: {} ({} new, {} merged), {} ({} new, {} merged), {}",
            plural(self.articles, "article", "articles"),
            plural(
                self.entities_new + self.entities_merged,
                "entity",
                "entities"
            ),
            self.entities_new,
            self.entities_merged,
            plural(self.edges_new + self.edges_merged, "edge", "edges"),
            self.edges_new,
            self.edges_merged,
            plural(self.warnings.len(), "warning", "warnings"),
        )
    }
}

/// What one article says, before it touches the graph.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    pub article: String,
    pub date: Option<Date>,
    pub entities: Vec<ArtEntity>,
    pub facts: Vec<ExFact>,
    pub warnings: Vec<String>,
    /// Where each entity was named: for scoring identity against annotated text, and for
    /// showing why mentions were merged.
    pub names: Vec<NameMention>,
    /// The place the article was filed from, by its dateline: a property of the article,
    /// written on its edges as `origin`, never the place of an event.
    pub origin: Option<String>,
    /// Where the article's date came from.
    pub date_source: DateSource,
    /// The country the article names most, its places counted for their country, when one
    /// leads: what tells apart the bodies of a name many countries share ("Supreme Court").
    pub country: Option<String>,
    /// The month and day of a dateline that gives no year, while no better evidence than the
    /// article's own text (or none) has given the year: a dated article of the same folder
    /// may still give it (`ingest_paths`).
    pub yearless: Option<Yearless>,
}

/// A dateline's month and day without a year ("CHICAGO, March 5 (Meridian) -"), and the
/// line it stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Yearless {
    pub month: u32,
    pub day: u32,
    pub line: u64,
}

/// Where an article's date came from, from the most reliable evidence to none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DateSource {
    /// The ` date YYYY-MM-DD` header.
    Header,
    /// A dateline with a whole date (`JERUSALEM 1996-12-06`) or a date on a line of its own
    /// under the headline (`Wednesday, March 5, 1997`).
    Text,
    /// A dateline's month and day, in the year that puts it nearest the `--date` default.
    DefaultYear,
    /// A dateline's month and day, in the year that puts it nearest the date of the nearest
    /// dated article of the same folder.
    SiblingYear,
    /// A dateline's month and day, in the year the article's own dates write most often.
    WrittenYear,
    /// The `--date` default, the article saying nothing of its date.
    Default,
    #[default]
    Unknown,
}

/// What an article's date may be read against, besides its own text.
#[derive(Debug, Clone, Copy, Default)]
struct Dating {
    /// The `--date` default: the date of an article that gives none, and the year of a
    /// dateline that gives a month and day alone.
    default: Option<Date>,
    /// The date of the nearest dated article of the same folder: the year of a dateline that
    /// gives a month and day alone, when no `--date` is given.
    sibling: Option<Date>,
}

/// One named mention (or a description headed by a capitalised title, "the President",
/// which stands for a name): the paragraph (counted from 0 over the article's non-blank
/// paragraphs), its bytes in that paragraph's text, and the article entity it became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameMention {
    pub para: u32,
    pub start: u32,
    pub end: u32,
    pub entity: u32,
}

/// What is hashed of what makes two facts of one article the same (ends, type, date and
/// sentence): the ends, the date and the sentence's length. Hashing each fact's whole
/// sentence cost more than comparing the type and text of the rare other fact that shares
/// these.
type FactKey = (usize, usize, Option<Date>, usize);

/// The amount of text processed as one piece of an article: names are resolved across a
/// piece in two passes, and only one piece is held in memory at a time.
const PIECE_BYTES: usize = 256 * 1024;

fn parse_default_date(options: &IngestOptions) -> Result<Option<Date>, IngestError> {
    match &options.default_date {
        None => Ok(None),
        Some(s) => Date::parse(s.trim())
            .map(Some)
            .ok_or_else(|| IngestError::BadDate(s.clone())),
    }
}

/// What skein read in one sentence: its words and its entity mentions, each with the
/// entities it was resolved to. `skein parse` shows it; ingestion never builds it.
#[derive(Debug, Clone)]
pub struct SentenceTrace {
    pub words: Vec<String>,
    /// The mentions, their token positions counted from the sentence's first word.
    pub mentions: Vec<resolve::Mention>,
    /// References left unresolved (tokens counted the same way, and their kind).
    pub unresolved: Vec<(usize, usize, MentionKind)>,
}

/// Extracts entities and relations from one article read from `reader`.
pub fn extract_article(
    article: &str,
    reader: impl BufRead,
    default_date: Option<Date>,
    k: &Knowledge,
) -> Result<Extraction, std::io::Error> {
    extract_article_traced(article, reader, default_date, k, None)
}

/// Extracts as `extract_article` does and, when `trace` is given, records each sentence's
/// words and resolved mentions in it.
pub fn extract_article_traced(
    article: &str,
    reader: impl BufRead,
    default_date: Option<Date>,
    k: &Knowledge,
    trace: Option<&mut Vec<SentenceTrace>>,
) -> Result<Extraction, std::io::Error> {
    let dating = Dating {
        default: default_date,
        sibling: None,
    };
    extract_dated(article, reader, dating, k, trace)
}

/// Extracts one article, its date read against `dating` where its own text falls short.
fn extract_dated(
    article: &str,
    reader: impl BufRead,
    dating: Dating,
    k: &Knowledge,
    mut trace: Option<&mut Vec<SentenceTrace>>,
) -> Result<Extraction, std::io::Error> {
    let default_date = dating.default;
    let mut pr = ParagraphReader::new(reader);
    let mut ex = Extraction {
        article: article.to_string(),
        date: default_date,
        date_source: if default_date.is_some() {
            DateSource::Default
        } else {
            DateSource::Unknown
        },
        ..Default::default()
    };
    // The years of the dates written in the text, counted while a dateline's year is
    // wanting, and whether they were weighed yet (once, before the first piece is read).
    let mut written_years: Vec<(i32, u32)> = Vec::new();
    let mut years_weighed = false;
    let mut state = ArticleState::default();
    let mut days = dates::EventDays::default();
    let mut first = true;
    let mut header = false;
    // Non-blank paragraphs read from the text, and for each paragraph kept: its number
    // among them and the bytes cut from its start (a dateline), so that a mention's place
    // refers to the text as written.
    let mut paras_read: u32 = 0;
    // The first line of the text after the header, for the genre.
    let mut headline: Option<String> = None;
    let mut para_at: Vec<(u32, u32)> = Vec::new();
    // Paragraphs read at the opening of the body, where datelines and bylines stand.
    let mut opening = 0;
    // Lines read, lines in tables, paragraphs in capitals and other paragraphs.
    let mut wire_lines = (0usize, 0usize, 0usize, 0usize);
    // The paragraphs of the piece in capitals, by index.
    let mut capitals: Vec<usize> = Vec::new();
    // The facts kept so far (indices into `ex.facts`) by their key.
    let mut seen_facts: rules::FastMap<FactKey, SmallVec<[usize; 1]>> = rules::FastMap::default();
    let mut later = Vec::new();
    loop {
        let mut paras: Vec<String> = Vec::new();
        para_at.clear();
        let mut size = 0;
        while size < PIECE_BYTES {
            let Some(mut p) = pr.next_paragraph()? else {
                break;
            };
            if first {
                first = false;
                let (line, rest) = p.split_once('\n').unwrap_or((p.as_str(), ""));
                if let Some((date, title)) = parse_header(line) {
                    header = true;
                    ex.date = Some(date);
                    ex.date_source = DateSource::Header;
                    p = after_header(title, rest);
                } else if let Some((message, title)) = article::bad_header_date(line) {
                    // A header whose date is no day is still a header: it is named as such,
                    // with its line, rather than reported as missing.
                    header = true;
                    ex.warnings
                        .push(format!("line {}: {message}", pr.para_line));
                    p = after_header(title, rest);
                }
            }
            if headline.is_none() && !p.trim().is_empty() {
                headline = p.lines().next().map(str::to_string);
            }
            let ordinal = paras_read;
            let full_len = p.len();
            if !p.trim().is_empty() {
                paras_read += 1;
            }
            if opening < 3 && !p.trim().is_empty() {
                // Bylines and date lines are furniture: they do not count among the three
                // paragraphs in which a dateline is looked for.
                match read_opening(&mut p, &mut ex, header, dating, pr.para_line) {
                    Opening::Dateline => opening = 3,
                    Opening::Byline | Opening::DateLine => continue,
                    Opening::Body => opening += 1,
                }
            }
            if ex.yearless.is_some() && !years_weighed {
                for year in wire::written_years(&p) {
                    match written_years.iter_mut().find(|(y, _)| *y == year) {
                        Some((_, n)) => *n += 1,
                        None => written_years.push((year, 1)),
                    }
                }
            }
            if !p.trim().is_empty() {
                // Rows of results, scores and prices yield nothing: a table is not prose.
                let lines = p.lines().filter(|l| !l.trim().is_empty()).count();
                let rows = p.lines().filter(|l| wire::score_like(l)).count();
                wire_lines.0 += lines;
                wire_lines.1 += rows;
                // A line alone is a table row only with three numbers or more: a line of
                // two ("Born 23 January 1928 in Paris") is more often a date than a score.
                let table = if lines == 1 {
                    rows == 1 && wire::numbers(&p) >= 3
                } else {
                    rows * 2 > lines
                };
                if table {
                    continue;
                }
                if wire::in_capitals(&p) {
                    wire_lines.2 += 1;
                    capitals.push(paras.len());
                } else {
                    wire_lines.3 += 1;
                }
            }
            size += p.len();
            if !p.trim().is_empty() {
                para_at.push((ordinal, (full_len - p.len()) as u32));
                paras.push(p);
            }
        }
        if paras.is_empty() {
            break;
        }
        if !capitals.is_empty() {
            recase_capitals(&mut paras, &capitals, k);
            capitals.clear();
        }
        if !years_weighed {
            years_weighed = true;
            if let Some(y) = ex.yearless
                && ex.date.is_none()
                && let Some(date) = date_in_written_year(y.month, y.day, &written_years)
            {
                ex.date = Some(date);
                ex.date_source = DateSource::WrittenYear;
            }
        }
        let facts = extract_piece(
            &paras,
            &para_at,
            &mut state,
            ex.date,
            &mut days,
            k,
            PieceRecords {
                names: &mut ex.names,
                later: &mut later,
                trace: trace.as_deref_mut(),
            },
        );
        seen_facts.reserve(facts.len());
        ex.facts.reserve(facts.len());
        for f in facts {
            let same = seen_facts
                .entry((f.source, f.target, f.date, f.evidence.len()))
                .or_default();
            let seen = same.iter().any(|&n| {
                let kept = &ex.facts[n];
                kept.rel_type == f.rel_type && kept.evidence == f.evidence
            });
            if !seen {
                same.push(ex.facts.len());
                ex.facts.push(f);
            }
        }
    }
    if pr.saw_nul {
        ex.warnings
            .push("contains NUL bytes; it may be a binary file, its text was read as is".into());
    }
    if let Some((line, offset)) = pr.invalid_at {
        ex.warnings.push(format!(
            "line {line}: not valid UTF-8 (first bad byte at offset {offset}); bad bytes were replaced by U+FFFD"
        ));
    }
    // Sports and market reports yield titles, not events: by the article (a sports section
    // in the headline, or a quarter of its lines in tables) and by the sentence.
    let report_genre = wire_lines.0 > 0 && wire_lines.1 * 4 >= wire_lines.0
        || headline.as_deref().is_some_and(|h| sports_headline(h, k));
    // Facts of one sentence share its text: each sentence is weighed once.
    let mut weighed: Option<(*const u8, bool)> = None;
    ex.facts.retain(|f| {
        if f.standing {
            return true;
        }
        if report_genre {
            return false;
        }
        let at = f.evidence.as_ptr();
        let thick = match weighed {
            Some((p, thick)) if p == at => thick,
            _ => {
                let thick = genre_sentence(&f.evidence, k);
                weighed = Some((at, thick));
                thick
            }
        };
        !thick
    });
    // No paragraph of prose: only tables (perhaps under a headline), or only capitals.
    if wire_lines.1 > 0 && wire_lines.3 == 0 {
        ex.warnings.push(format!(
            "line 1: its {} lines of text are tables of results or prices and headlines; nothing was read from the tables",
            wire_lines.0
        ));
    } else if wire_lines.2 >= 2 && wire_lines.3 == 0 {
        ex.warnings.push(
            "line 1: the article is written in capitals; a word was read as a name only where the lexicons confirm it"
                .to_string(),
        );
    }
    if first {
        ex.warnings.push("empty article; nothing to read".into());
    } else if !matches!(ex.date_source, DateSource::Default | DateSource::Unknown) {
        // The header, the dateline or a date line gave the date.
    } else if ex.warnings.iter().any(|w| w.contains("the dateline")) {
        // The dateline's own warning said why the date is unknown.
    } else if let Some(y) = ex.yearless {
        ex.warnings.push(format!(
            "line {}: the dateline gives month {}, day {} without a year, and neither a dated article beside it nor a date in its text gives one; its date is unknown (give the year with --date)",
            y.line, y.month, y.day
        ));
    } else if !header {
        ex.warnings.push(match default_date {
            Some(d) => format!("no ` date YYYY-MM-DD` header; using --date {d}"),
            None => "no ` date YYYY-MM-DD` header; its date is unknown (give one with --date)"
                .to_string(),
        });
    }
    // "Mr. President" in a speech's first sentence: the one holder of the title the whole
    // article names.
    for (at, t) in later {
        if let Some(p) = resolve::later_holder(&mut state, &t, k) {
            ex.names.push(NameMention {
                entity: p as u32,
                ..at
            });
        }
    }
    ex.country = leading_country(&state.entities, k);
    ex.entities = state.entities;
    Ok(ex)
}

/// The country an article names most often, counting each mention of a place of the
/// gazetteer (and each demonym) for the place's country; none when two lead together.
fn leading_country(entities: &[ArtEntity], k: &Knowledge) -> Option<String> {
    let mut counts: BTreeMap<usize, u32> = BTreeMap::new();
    for e in entities {
        if let Some(country) = e.region.and_then(|r| k.gazetteer.country_of(r)) {
            *counts.entry(country).or_default() += e.mentions.max(1);
        }
    }
    let most = *counts.values().max()?;
    let mut leaders = counts.iter().filter(|&(_, &n)| n == most);
    let (&leader, _) = leaders.next()?;
    if leaders.next().is_some() {
        return None;
    }
    k.gazetteer.regions.get(leader).map(|r| r.name.clone())
}

/// The words of a text by their bytes: letters, digits, apostrophes and hyphens.
fn word_spans(p: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in p.char_indices() {
        let in_word = c.is_alphanumeric() || c == '\'' || c == '-';
        match (in_word, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                words.push((s, at));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, p.len()));
    }
    words
}

/// Whether a headline opens with a sports section ("SOCCER - JAPAN WIN").
fn sports_headline(headline: &str, k: &Knowledge) -> bool {
    let Some((section, _)) = headline.split_once(" - ") else {
        return false;
    };
    k.sports_sections.contains(&section.trim().to_lowercase())
}

/// Whether a sentence is thick with the words of sports or market reports: three different
/// ones or more.
fn genre_sentence(sentence: &str, k: &Knowledge) -> bool {
    let mut seen: SmallVec<[&str; 3]> = SmallVec::new();
    for w in sentence.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        if w.len() < 2 || w.len() > 14 {
            continue;
        }
        // The vocabulary is lower case: most words are already, and need no copy.
        let owned;
        let lower: &str = if w.bytes().any(|b| b.is_ascii_uppercase()) || !w.is_ascii() {
            owned = w.to_lowercase();
            &owned
        } else {
            w
        };
        if let Some(known) = k.genre_words.get(lower)
            && !seen.contains(&known.as_str())
        {
            seen.push(known.as_str());
            if seen.len() >= 3 {
                return true;
            }
        }
    }
    false
}

/// What an opening paragraph of the body was.
enum Opening {
    Dateline,
    /// A date on a line of its own under the headline.
    DateLine,
    Byline,
    Body,
}

/// Reads a dateline, date line or byline at the opening of the body: a dateline gives the
/// article its origin and, when neither a header nor a date line did, its date, and is cut
/// from the paragraph; a date line gives the date when no header did; a byline and a date
/// line are skipped whole. `line` is the paragraph's first line, for warnings.
fn read_opening(
    p: &mut String,
    ex: &mut Extraction,
    header: bool,
    dating: Dating,
    line: u64,
) -> Opening {
    if wire::is_byline(p) {
        return Opening::Byline;
    }
    let own_date = header || ex.date_source == DateSource::Text;
    if let Some(day) = wire::date_line(p) {
        match day {
            Ok(date) if !own_date => {
                ex.date = Some(date);
                ex.date_source = DateSource::Text;
            }
            Ok(_) => {}
            Err(bad) => ex.warnings.push(format!(
                "line {line}: the date line {bad:?} is not a day of the calendar; its date is unknown"
            )),
        }
        return Opening::DateLine;
    }
    let Some(d) = wire::dateline(p) else {
        return Opening::Body;
    };
    if let Some(bad) = &d.bad_date {
        ex.warnings.push(format!(
            "line {line}: the dateline date {bad} is not a day of the calendar; its date is unknown"
        ));
    }
    if !own_date {
        if let Some(date) = d.date {
            ex.date = Some(date);
            ex.date_source = DateSource::Text;
        } else if let Some((month, day)) = d.month_day {
            // The year: the `--date` default's, else the nearest dated sibling's; failing
            // both, the dates written in the text may give it (`date_in_written_year`), or
            // a dated article of the same folder read later (`ingest_paths`).
            let near = [
                (dating.default, DateSource::DefaultYear),
                (dating.sibling, DateSource::SiblingYear),
            ]
            .into_iter()
            .find_map(|(near, source)| Some((wire::date_near(month, day, near?)?, source)));
            match near {
                Some((date, source)) => {
                    ex.date = Some(date);
                    ex.date_source = source;
                }
                None if (1..=12).contains(&month) && Date::new(2000, month, day).is_some() => {
                    ex.date = None;
                    ex.date_source = DateSource::Unknown;
                    ex.yearless = Some(Yearless { month, day, line });
                }
                None => ex.warnings.push(format!(
                    "line {line}: the dateline gives month {month}, day {day}, which is no day of the calendar; its date is unknown"
                )),
            }
        }
    }
    ex.origin = Some(d.place);
    let rest = p.get(d.len..).unwrap_or("").trim_start().to_string();
    *p = rest;
    Opening::Dateline
}

/// The date of a dateline's month and day in the year that the article's written dates
/// give most often (the latest of equals): the weakest evidence of its year, used when no
/// `--date` is given and no dated article stands beside it.
fn date_in_written_year(month: u32, day: u32, years: &[(i32, u32)]) -> Option<Date> {
    let (year, _) = years.iter().max_by_key(|(y, n)| (*n, *y))?;
    Date::new(*year, month, day)
}

/// Rewrites paragraphs written in capitals (headlines) in the casing of the rest of the
/// piece: a word keeps a capital only where the body writes it so, or where the gazetteer
/// knows it as a place; every other word is read in lower case. Byte lengths are kept.
fn recase_capitals(paras: &mut [String], capitals: &[usize], k: &Knowledge) {
    // The body's words by lower case: the form written capitalised inside a sentence, or
    // the lower case when it is written so.
    let mut casing: rules::FastMap<String, String> = rules::FastMap::default();
    for (i, p) in paras.iter().enumerate() {
        if capitals.contains(&i) {
            continue;
        }
        let mut after_stop = true;
        let mut word = String::new();
        let mut note = |word: &mut String, after_stop: bool| {
            if word.is_empty() {
                return;
            }
            let lower = word.to_lowercase();
            let capitalised = word.chars().next().is_some_and(char::is_uppercase)
                && word.chars().skip(1).any(char::is_lowercase);
            if lower.len() == word.len() {
                if capitalised && !after_stop {
                    casing.insert(lower, word.clone());
                } else if *word == lower {
                    casing.entry(lower).or_insert_with(|| word.clone());
                }
            }
            word.clear();
        };
        for c in p.chars() {
            if c.is_alphanumeric() || c == '\'' || c == '-' {
                word.push(c);
            } else {
                if !word.is_empty() {
                    note(&mut word, after_stop);
                    after_stop = false;
                }
                if matches!(c, '.' | '!' | '?' | '\n' | '"' | ':') {
                    after_stop = true;
                }
            }
        }
        note(&mut word, after_stop);
    }
    // Words of the paragraphs in capitals by their bytes; and the surnames that a known
    // given name confirms in any of them ("ALEXANDER LEBED" confirms "LEBED" elsewhere).
    let words_of: Vec<Vec<(usize, usize)>> = capitals
        .iter()
        .map(|&i| paras.get(i).map(|p| word_spans(p)).unwrap_or_default())
        .collect();
    let mut confirmed: rules::FastSet<String> = rules::FastSet::default();
    for (n, &i) in capitals.iter().enumerate() {
        let Some(p) = paras.get(i) else { continue };
        for pair in words_of[n].windows(2) {
            if k.given_names
                .contains(&p[pair[0].0..pair[0].1].to_lowercase())
            {
                confirmed.insert(p[pair[1].0..pair[1].1].to_lowercase());
            }
        }
    }
    for (n, &i) in capitals.iter().enumerate() {
        let Some(p) = paras.get_mut(i) else { continue };
        let words = &words_of[n];
        let title = |w: &str| -> String {
            let mut cs = w.chars();
            cs.next()
                .map(|c| {
                    c.to_uppercase()
                        .chain(cs.flat_map(char::to_lowercase))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut out = p.clone();
        let mut name_next = false;
        for &(a, b) in words {
            let word = &p[a..b];
            let lower = word.to_lowercase();
            // A given name the lexicon knows makes a name of itself and the word after it
            // ("ALEXANDER LEBED").
            let given = k.given_names.contains(&lower);
            // A word the rules know as lower-case vocabulary (a speech or trigger verb, a
            // word that never starts a name) is no name by a given name's company alone
            // ("HARLAND SAYS WILL VETO": "Harland" and "Will" are given names too).
            let lex = k.lex_of(&lower, None);
            let vocabulary = lex.has(rules::Lex::SPEECH_VERB)
                || lex.has(rules::Lex::NOT_NAME)
                || lex.classes() != 0;
            let form = match casing.get(&lower) {
                Some(f) if f.len() == word.len() => f.clone(),
                _ if (given || name_next || confirmed.contains(&lower)) && !vocabulary
                    || k.gazetteer.region(&lower).is_some()
                    || k.gazetteer.by_demonym.contains_key(&lower) =>
                {
                    title(word)
                }
                _ => lower,
            };
            name_next = given;
            if form.len() == word.len() {
                out.replace_range(a..b, &form);
            }
        }
        *p = out;
    }
}

/// Runs recognition, resolution and relation extraction over one piece of an article.
/// What a piece's extraction records beside its facts: where each name was read (for the
/// identity scorer) and, for `skein parse`, each sentence's words and mentions.
struct PieceRecords<'r> {
    names: &'r mut Vec<NameMention>,
    /// Titles standing for a name said before their holder was named, where they stand
    /// (their entity left 0): the article's end decides them.
    later: &'r mut Vec<(NameMention, resolve::LaterTitle)>,
    trace: Option<&'r mut Vec<SentenceTrace>>,
}

fn extract_piece(
    paras: &[String],
    para_at: &[(u32, u32)],
    state: &mut ArticleState,
    date: Option<Date>,
    days: &mut dates::EventDays,
    k: &Knowledge,
    records: PieceRecords<'_>,
) -> Vec<ExFact> {
    let PieceRecords {
        names,
        later,
        mut trace,
    } = records;
    let lowers: Vec<String> = paras.iter().map(|p| lower_copy(p)).collect();
    // The piece's tokens in one list, with room for all from the start, and each
    // paragraph's slice of it: one allocation per piece rather than one per paragraph.
    let mut piece_tokens = Vec::with_capacity(paras.iter().map(|p| p.len() / 5 + 1).sum());
    let mut token_ranges = Vec::with_capacity(paras.len());
    for (p, l) in paras.iter().zip(&lowers) {
        let from = piece_tokens.len();
        timing::time(Stage::Tokenising, || tokenize(p, l, k, &mut piece_tokens));
        token_ranges.push(from..piece_tokens.len());
    }
    let tokens: Vec<&[article::Token<'_>]> =
        token_ranges.into_iter().map(|r| &piece_tokens[r]).collect();
    let sents: Vec<Vec<std::ops::Range<usize>>> = timing::time(Stage::Tokenising, || {
        tokens.iter().map(|t| sentences(t)).collect()
    });
    // Every span of the piece, sentence after sentence, with each sentence's range into it
    // (in the order of `sents`): two lists per piece rather than one per sentence.
    let mut spans: Vec<entities::Span> = Vec::new();
    let mut sentence_spans: Vec<std::ops::Range<usize>> =
        Vec::with_capacity(sents.iter().map(Vec::len).sum());
    let mut found = Vec::with_capacity(16);
    for (t, ss) in tokens.iter().zip(&sents) {
        let headline = is_headline(t);
        for r in ss {
            timing::time(Stage::Recognition, || {
                entities::recognize(t, r.clone(), k, &mut found)
            });
            if headline {
                // In Title Case every word is capitalised: a name no list knows is only a
                // candidate there.
                for s in &mut found {
                    if matches!(
                        s.kind,
                        entities::SpanKind::Person
                            | entities::SpanKind::Org
                            | entities::SpanKind::Candidate { .. }
                    ) {
                        s.kind = entities::SpanKind::Candidate { fallback: None };
                    }
                }
            }
            // Recognition reads nothing of the article state: each sentence's spans are
            // registered as soon as they are found.
            timing::time(Stage::Resolution, || resolve::register(state, t, &found, k));
            let from = spans.len();
            spans.extend_from_slice(&found);
            sentence_spans.push(from..spans.len());
        }
    }
    // A fact or two per sentence (an event often gives two, and a title one more): room
    // for two from the start saves growing a list of large items, copying it, per article.
    let mut facts = Vec::with_capacity(2 * sentence_spans.len());
    let mut next_sentence = 0;
    // Lists of one paragraph, kept from paragraph to paragraph.
    let mut classes: Vec<u32> = Vec::new();
    let mut infos: Vec<SentenceInfo> = Vec::new();
    let mut evidence: Vec<Evidence> = Vec::new();
    // The mention lists of the paragraph before, emptied, for the next paragraph's
    // sentences: most sentences hold a mention, and so need no list allocated of their own.
    let mut spare_mentions: Vec<Vec<resolve::Mention>> = Vec::new();
    // The names inside an organisation's name, for the record of where entities are named.
    let mut nested: Vec<(usize, usize, usize)> = Vec::new();
    for (pi, para) in paras.iter().enumerate() {
        let toks = &tokens[pi];
        relations::classes_of(toks, &mut classes);
        let para_spans = &sentence_spans[next_sentence..next_sentence + sents[pi].len()];
        next_sentence += sents[pi].len();
        spare_mentions.extend(infos.drain(..).map(|info| info.mentions));
        infos.extend(sents[pi].iter().zip(para_spans).map(|(r, s)| {
            let s = &spans[s.clone()];
            let mentions = spare_mentions.pop().unwrap_or_default();
            timing::time(Stage::Resolution, || {
                resolve::resolve_names(state, toks, &classes, para, r.start, r.end, s, mentions, k)
            })
        }));
        evidence.clear();
        evidence.resize_with(infos.len(), Evidence::default);
        for (info, ev) in infos.iter_mut().zip(&evidence) {
            timing::time(Stage::Relations, || {
                relations::title_facts(toks, para, k, info, state, ev, &mut facts)
            });
        }
        let speaker = timing::time(Stage::Resolution, || {
            find_speaker(&infos, toks, &classes, state)
        });
        for (info, ev) in infos.iter_mut().zip(&evidence) {
            timing::time(Stage::Resolution, || {
                resolve::resolve_references(state, toks, info, speaker, k)
            });
            // Most sentences hold no word that can open a date expression.
            let has_date_word = classes
                .get(info.start..info.end)
                .is_some_and(|cs| cs.iter().any(|c| c & class::DATE != 0));
            let mut dates = if has_date_word {
                dates::find_dates(&toks[info.start..info.end], date, |w| {
                    k.speech_verbs.contains(w)
                })
            } else {
                Vec::new()
            };
            for d in &mut dates {
                d.start += info.start;
                d.end += info.start;
            }
            let ctx = SentenceCtx {
                tokens: toks,
                para,
                info,
                dates: &dates,
                k,
                classes: &classes,
                evidence: ev,
            };
            let said = timing::time(Stage::Relations, || {
                let said = relations::extract(&ctx, state, days, &mut facts);
                relations::located_facts(&ctx, state, &mut facts);
                said
            });
            info.title_names.extend(said);
            for m in &info.mentions {
                // A description headed by a capitalised title ("the President") stands for
                // a name: GUM and readers alike take it for one.
                let titled = m.kind == MentionKind::Description
                    && toks
                        .get(m.end.wrapping_sub(1))
                        .is_some_and(|t| t.text.chars().next().is_some_and(char::is_uppercase));
                if (m.kind == MentionKind::Name || titled)
                    && let [e] = m.ents.as_slice()
                    && let (Some(a), Some(b)) = (toks.get(m.start), toks.get(m.end.wrapping_sub(1)))
                {
                    let (para, shift) = para_at.get(pi).copied().unwrap_or_default();
                    names.push(NameMention {
                        para,
                        start: a.start as u32 + shift,
                        end: b.end as u32 + shift,
                        entity: *e as u32,
                    });
                    // "Andy Warhol Foundation", "Fort Lee Historic Park", "Gulf of Mexico":
                    // the names held by the name of an organisation, of a place or of a
                    // thing no list placed.
                    let body = state.entities.get(*e).is_some_and(|x| {
                        matches!(x.label, Some("Organization" | "Region"))
                            || x.label.is_none() && x.fallback != Some("Person")
                    });
                    if body && m.end >= m.start + 2 {
                        state.nested_names(toks, m.start, m.end, k, &mut nested);
                        for &(s, e, ent) in &nested {
                            names.push(NameMention {
                                para,
                                start: toks[s].start as u32 + shift,
                                end: toks[e - 1].end as u32 + shift,
                                entity: ent as u32,
                            });
                        }
                    }
                }
            }
            for t in info.later_titles.drain(..) {
                if let (Some(a), Some(b)) = (toks.get(t.start), toks.get(t.end.wrapping_sub(1))) {
                    let (para, shift) = para_at.get(pi).copied().unwrap_or_default();
                    let at = NameMention {
                        para,
                        start: a.start as u32 + shift,
                        end: b.end as u32 + shift,
                        entity: 0,
                    };
                    later.push((at, t));
                }
            }
            for &(start, end, e) in &info.title_names {
                if let (Some(a), Some(b)) = (toks.get(start), toks.get(end.wrapping_sub(1))) {
                    let (para, shift) = para_at.get(pi).copied().unwrap_or_default();
                    names.push(NameMention {
                        para,
                        start: a.start as u32 + shift,
                        end: b.end as u32 + shift,
                        entity: e as u32,
                    });
                }
            }
            if let Some(trace) = trace.as_deref_mut() {
                trace.push(SentenceTrace {
                    words: toks[info.start..info.end]
                        .iter()
                        .map(|t| t.text.to_string())
                        .collect(),
                    mentions: info
                        .mentions
                        .iter()
                        .map(|m| resolve::Mention {
                            start: m.start - info.start,
                            end: m.end - info.start,
                            ..m.clone()
                        })
                        .collect(),
                    unresolved: info
                        .unresolved
                        .iter()
                        .map(|&(a, b, kind)| (a - info.start, b - info.start, kind))
                        .collect(),
                });
            }
        }
    }
    facts
}

/// The first paragraph once its header line is taken off: the title the header line carried, if
/// any, followed by the paragraph's other lines.
fn after_header(title: &str, rest: &str) -> String {
    if rest.is_empty() {
        title.to_string()
    } else if title.is_empty() {
        rest.to_string()
    } else {
        format!("{title}\n{rest}")
    }
}

/// Whether a paragraph is a headline in Title Case: one line, no closing punctuation, and
/// most of its longer words capitalised.
fn is_headline(tokens: &[article::Token<'_>]) -> bool {
    let Some(last) = tokens.last() else {
        return false;
    };
    if matches!(last.text, "." | "!" | "?" | "”" | "\"" | ":") {
        return false;
    }
    let long: Vec<&article::Token<'_>> = tokens
        .iter()
        .filter(|t| t.is_word() && t.text.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let caps = long.iter().filter(|t| t.cap).count();
    long.len() >= 3 && caps * 10 >= long.len() * 7
}

/// The speaker of a paragraph's quotations: the person who "said", "told" or "was quoted".
fn find_speaker(
    infos: &[SentenceInfo],
    tokens: &[article::Token<'_>],
    classes: &[u32],
    state: &ArticleState,
) -> Option<usize> {
    for info in infos {
        for i in info.start..info.end.min(tokens.len()) {
            if classes.get(i).is_none_or(|c| c & class::SPEECH_VERB == 0) {
                continue;
            }
            let person = |m: &&resolve::Mention| {
                matches!(m.kind, MentionKind::Name | MentionKind::Description)
                    && state.entities[m.ents[0]].label == Some("Person")
            };
            if let Some(m) = info
                .mentions
                .iter()
                .filter(person)
                .rfind(|m| m.end <= i && m.end + 3 >= i)
            {
                return Some(m.ents[0]);
            }
            if let Some(m) = info
                .mentions
                .iter()
                .filter(person)
                .find(|m| m.start == i + 1)
            {
                return Some(m.ents[0]);
            }
        }
    }
    None
}

/// One input to read.
#[derive(Debug, Clone)]
struct Input {
    path: PathBuf,
    id: String,
}

fn article_id(path: &Path, root: Option<&Path>) -> String {
    let rel = root
        .and_then(|r| path.strip_prefix(r).ok())
        .unwrap_or_else(|| Path::new(path.file_name().map_or(path.as_os_str(), |n| n)));
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Extensions of the data files skein itself reads or writes (gold files, graphs, rules,
/// exports). A directory of articles often holds some of them too; they are not articles.
const DATA_EXTENSIONS: [&str; 9] = [
    "json", "ron", "csv", "cypher", "graphml", "dot", "svg", "png", "md",
];

/// Whether a file found in a directory is one of skein's own data files rather than an article.
fn is_data_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DATA_EXTENSIONS.iter().any(|d| e.eq_ignore_ascii_case(d)))
}

/// Lists the files under a directory, sorted, without opening them; hidden files and
/// symbolic links to directories are skipped, and so are skein's own data files (named in a
/// warning). A file named on the command line is always read.
fn walk(root: &Path, dir: &Path, out: &mut Vec<Input>, report: &mut IngestReport) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            report.warn(
                &dir.display().to_string(),
                format!("cannot read directory: {e}"),
            );
            return;
        }
    };
    // The entry's own type (not following a symlink) comes with the directory listing on
    // most file systems: no `stat` per file.
    let mut paths: Vec<(PathBuf, std::fs::FileType)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            Some((e.path(), e.file_type().ok()?))
        })
        .collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in paths {
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if kind.is_dir() {
            walk(root, &path, out, report);
        } else if is_data_file(&path) {
            report.warn(
                &path.display().to_string(),
                "a data file, not an article (name it on the command line to read it); skipped",
            );
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
            out.push(Input {
                id: article_id(&path, Some(root)),
                path,
            });
        }
    }
}

/// Reads one file into an extraction, or a warning saying why it was skipped.
fn extract_file(input: &Input, dating: Dating, k: &Knowledge) -> Result<Extraction, String> {
    let file = File::open(&input.path).map_err(|e| format!("cannot open: {e}"))?;
    // Most articles are a few kilobytes: a larger buffer costs fresh pages per file and saves
    // only read calls on the rare long one.
    let mut reader = BufReader::with_capacity(16 * 1024, file);
    let head = reader.fill_buf().map_err(|e| format!("cannot read: {e}"))?;
    if head.is_empty() {
        return Err("empty file; skipped".into());
    }
    let probe = &head[..head.len().min(8192)];
    if memchr::memchr(0, probe).is_some() {
        return Err("binary file (it contains NUL bytes); skipped".into());
    }
    extract_dated(&input.id, reader, dating, k, None).map_err(|e| format!("cannot read: {e}"))
}

/// How many files are extracted in parallel before their results are merged in order;
/// this bounds the memory held by extractions waiting to be merged.
const BATCH: usize = 64;

/// Ingests files, directories (recursively) and `-` (standard input) into the graph.
pub fn ingest_paths(
    graph: &mut Graph,
    paths: &[PathBuf],
    options: &IngestOptions,
) -> Result<IngestReport, IngestError> {
    let k = Knowledge::load(&options.rules)?;
    let date = parse_default_date(options)?;
    let mut report = IngestReport::default();
    let mut inputs: Vec<Input> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let stdin = std::io::stdin();
            let ex =
                extract_article("stdin", stdin.lock(), date, &k).map_err(|e| IngestError::Io {
                    path: "stdin".into(),
                    message: e.to_string(),
                })?;
            let mut ms = merge::MergeState::new(graph, k.identity.clone());
            finish(graph, &mut ms, ex, &mut report);
            ms.flush(graph);
            continue;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk(path, path, &mut inputs, &mut report),
            Ok(_) => inputs.push(Input {
                id: article_id(path, None),
                path: path.clone(),
            }),
            Err(e) => report.warn(&path.display().to_string(), format!("cannot read: {e}")),
        }
    }
    // The sizes are asked for only when a bar may be shown: a stat per file is not free.
    let total_bytes = || -> u64 {
        inputs
            .iter()
            .filter_map(|i| std::fs::metadata(&i.path).ok())
            .map(|m| m.len())
            .sum()
    };
    let bar = (options.progress && (inputs.len() > 50 || total_bytes() > 4 << 20)).then(|| {
        let bar = indicatif::ProgressBar::new(inputs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} ingesting [{bar:30}] {pos}/{len} files ({eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar
    });
    let mut ms = merge::MergeState::new(graph, k.identity.clone());
    let mut run = Run {
        graph,
        ms: &mut ms,
        report: &mut report,
        bar: bar.as_ref(),
        dated: Vec::new(),
        yearless: Vec::new(),
        put_aside: true,
    };
    let everything: Vec<usize> = (0..inputs.len()).collect();
    run.extract_and_merge(&inputs, &everything, &k, |_| Dating {
        default: date,
        sibling: None,
    });
    // An article whose dateline gives a month and day but no year is read again, after the
    // others, against the date of the nearest dated article of its folder (by path order,
    // the earlier of two as near); without one it keeps what its own text gave.
    let yearless = std::mem::take(&mut run.yearless);
    let mut dated: BTreeMap<Option<&Path>, Vec<(usize, Date)>> = BTreeMap::new();
    for &(i, d) in &run.dated {
        dated
            .entry(inputs[i].path.parent())
            .or_default()
            .push((i, d));
    }
    let sibling_of = |i: usize| -> Option<Date> {
        let folder = dated.get(&inputs[i].path.parent())?;
        // The folder's dated inputs are in path order: the nearest are either side of `i`.
        let at = folder.partition_point(|(j, _)| *j < i);
        let before = at.checked_sub(1).and_then(|b| folder.get(b));
        let after = folder.get(at);
        match (before, after) {
            (Some(b), Some(a)) if a.0 - i < i - b.0 => Some(a.1),
            (Some(b), _) => Some(b.1),
            (None, a) => a.map(|a| a.1),
        }
    };
    run.put_aside = false;
    run.extract_and_merge(&inputs, &yearless, &k, |i| Dating {
        default: date,
        sibling: sibling_of(i),
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(report)
}

/// One run of `ingest_paths` over its inputs: the graph, the merge state and the report it
/// writes, and what it learns of the inputs' dates.
struct Run<'a> {
    graph: &'a mut Graph,
    ms: &'a mut merge::MergeState,
    report: &'a mut IngestReport,
    bar: Option<&'a indicatif::ProgressBar>,
    /// The inputs dated by their own header, dateline or date line, by index, in order.
    dated: Vec<(usize, Date)>,
    /// The inputs whose dateline gives no year and that were not merged, by index, in order.
    yearless: Vec<usize>,
    /// Whether such an input is put aside (the first pass) or merged as it is.
    put_aside: bool,
}

impl Run<'_> {
    /// Extracts the inputs `chosen` (indices into `inputs`, in order) in parallel batches and
    /// merges them in that order, each read against the dating `dating_of` gives it. On the
    /// first pass (no sibling given), an article whose dateline lacks a year is put aside in
    /// `yearless` rather than merged, when it has no date or only its text's year.
    fn extract_and_merge(
        &mut self,
        inputs: &[Input],
        chosen: &[usize],
        k: &Knowledge,
        dating_of: impl Fn(usize) -> Dating + Sync,
    ) {
        let extract_batch = |batch: &[usize]| -> Vec<Result<Extraction, String>> {
            batch
                .par_iter()
                .map(|&i| {
                    timing::time(Stage::Extraction, || {
                        extract_file(&inputs[i], dating_of(i), k)
                    })
                })
                .collect()
        };
        let batches: Vec<&[usize]> = chosen.chunks(BATCH).collect();
        let mut ready = batches.first().map(|b| extract_batch(b));
        for (n, batch) in batches.iter().enumerate() {
            let Some(results) = ready.take() else { break };
            // Merging is single-threaded and in path order; the next batch is extracted on
            // the other cores meanwhile, so they do not wait for the merge.
            let (_, next) = rayon::join(
                || {
                    timing::time(Stage::Merging, || {
                        for (&i, result) in batch.iter().zip(results) {
                            self.take(inputs, i, result);
                        }
                        self.ms.flush(self.graph);
                    })
                },
                || batches.get(n + 1).map(|b| extract_batch(b)),
            );
            ready = next;
        }
    }

    /// Merges one input's extraction, or puts it aside to be read again with a sibling's year.
    fn take(&mut self, inputs: &[Input], i: usize, result: Result<Extraction, String>) {
        match result {
            Ok(ex) => {
                if matches!(ex.date_source, DateSource::Header | DateSource::Text)
                    && let Some(d) = ex.date
                {
                    self.dated.push((i, d));
                }
                let improvable = ex.yearless.is_some()
                    && matches!(
                        ex.date_source,
                        DateSource::Unknown | DateSource::WrittenYear
                    );
                if improvable && self.put_aside {
                    self.yearless.push(i);
                    return;
                }
                finish(self.graph, self.ms, ex, self.report);
            }
            Err(message) => self
                .report
                .warn(&inputs[i].path.display().to_string(), message),
        }
        if let Some(bar) = self.bar {
            bar.inc(1);
        }
    }
}

fn finish(
    graph: &mut Graph,
    ms: &mut merge::MergeState,
    ex: Extraction,
    report: &mut IngestReport,
) {
    let mut one = IngestReport::default();
    for w in &ex.warnings {
        one.warn(&ex.article, w.clone());
    }
    let empty = ex.entities.is_empty()
        && ex.facts.is_empty()
        && ex.warnings.iter().any(|w| w.starts_with("empty"));
    if !empty {
        one.articles = 1;
        let _nodes = merge::merge(graph, ms, &ex, &mut one);
    }
    report.absorb(one);
}

/// Ingests one article given as text.
pub fn ingest_text(
    graph: &mut Graph,
    article_id: &str,
    text: &str,
    options: &IngestOptions,
) -> Result<IngestReport, IngestError> {
    let k = Knowledge::load(&options.rules)?;
    let date = parse_default_date(options)?;
    let ex =
        extract_article(article_id, text.as_bytes(), date, &k).map_err(|e| IngestError::Io {
            path: article_id.to_string(),
            message: e.to_string(),
        })?;
    let mut report = IngestReport::default();
    let mut ms = merge::MergeState::new(graph, k.identity.clone());
    finish(graph, &mut ms, ex, &mut report);
    ms.flush(graph);
    Ok(report)
}

/// Extracts one article given as text without touching a graph: the pure stages only, for
/// benchmarks and tests.
pub fn extract_text(
    article_id: &str,
    text: &str,
    options: &IngestOptions,
) -> Result<Extraction, IngestError> {
    let k = Knowledge::load(&options.rules)?;
    let date = parse_default_date(options)?;
    extract_article(article_id, text.as_bytes(), date, &k).map_err(|e| IngestError::Io {
        path: article_id.to_string(),
        message: e.to_string(),
    })
}
