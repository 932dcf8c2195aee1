//! Ingestion: plain-text news articles in, entities and typed relations with their evidence
//! merged into the graph.
//!
//! The stages are modules with one entry each: `article` cuts text, `entities` recognises
//! spans, `resolve` decides which entity each span is, `relations` applies the rules, `dates`
//! reads dates, and `merge` writes into the graph. Everything before `merge` is a pure
//! function of the text and the rules, so files are extracted in parallel; merging happens
//! in path order, so the graph never depends on thread scheduling.

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
}

/// One named mention: the paragraph (counted from 0 over the article's non-blank
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

/// Extracts entities and relations from one article read from `reader`.
pub fn extract_article(
    article: &str,
    reader: impl BufRead,
    default_date: Option<Date>,
    k: &Knowledge,
) -> Result<Extraction, std::io::Error> {
    let mut pr = ParagraphReader::new(reader);
    let mut ex = Extraction {
        article: article.to_string(),
        date: default_date,
        ..Default::default()
    };
    let mut state = ArticleState::default();
    let mut last_date = None;
    let mut first = true;
    let mut header = false;
    let mut paras_read = 0;
    // The facts kept so far (indices into `ex.facts`) by their key.
    let mut seen_facts: rules::FastMap<FactKey, SmallVec<[usize; 1]>> = rules::FastMap::default();
    loop {
        let mut paras: Vec<String> = Vec::new();
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
                    p = if rest.is_empty() {
                        title.to_string()
                    } else if title.is_empty() {
                        rest.to_string()
                    } else {
                        format!("{title}\n{rest}")
                    };
                } else if let Some((message, title)) = article::bad_header_date(line) {
                    // A header whose date is no day is still a header: it is named as such,
                    // with its line, rather than reported as missing.
                    header = true;
                    ex.warnings
                        .push(format!("line {}: {message}", pr.para_line));
                    p = if rest.is_empty() {
                        title.to_string()
                    } else if title.is_empty() {
                        rest.to_string()
                    } else {
                        format!("{title}\n{rest}")
                    };
                }
            }
            size += p.len();
            if !p.trim().is_empty() {
                paras.push(p);
            }
        }
        if paras.is_empty() {
            break;
        }
        let para_base = paras_read;
        paras_read += paras.len();
        let facts = extract_piece(
            &paras,
            para_base,
            &mut state,
            ex.date,
            &mut last_date,
            k,
            &mut ex.names,
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
    if first {
        ex.warnings.push("empty article; nothing to read".into());
    } else if !header {
        ex.warnings.push(match default_date {
            Some(d) => format!("no ` date YYYY-MM-DD` header; using --date {d}"),
            None => "no ` date YYYY-MM-DD` header; its date is unknown (give one with --date)"
                .to_string(),
        });
    }
    ex.entities = state.entities;
    Ok(ex)
}

/// Runs recognition, resolution and relation extraction over one piece of an article.
fn extract_piece(
    paras: &[String],
    para_base: usize,
    state: &mut ArticleState,
    date: Option<Date>,
    last_date: &mut Option<Date>,
    k: &Knowledge,
    names: &mut Vec<NameMention>,
) -> Vec<ExFact> {
    let lowers: Vec<String> = paras.iter().map(|p| lower_copy(p)).collect();
    // The piece's tokens in one list, with room for all from the start, and each
    // paragraph's slice of it: one allocation per piece rather than one per paragraph.
    let mut piece_tokens = Vec::with_capacity(paras.iter().map(|p| p.len() / 5 + 1).sum());
    let mut token_ranges = Vec::with_capacity(paras.len());
    for (p, l) in paras.iter().zip(&lowers) {
        let from = piece_tokens.len();
        tokenize(p, l, k, &mut piece_tokens);
        token_ranges.push(from..piece_tokens.len());
    }
    let tokens: Vec<&[article::Token<'_>]> =
        token_ranges.into_iter().map(|r| &piece_tokens[r]).collect();
    let sents: Vec<Vec<std::ops::Range<usize>>> = tokens.iter().map(|t| sentences(t)).collect();
    // Every span of the piece, sentence after sentence, with each sentence's range into it
    // (in the order of `sents`): two lists per piece rather than one per sentence.
    let mut spans: Vec<entities::Span> = Vec::new();
    let mut sentence_spans: Vec<std::ops::Range<usize>> =
        Vec::with_capacity(sents.iter().map(Vec::len).sum());
    let mut found = Vec::with_capacity(16);
    for (t, ss) in tokens.iter().zip(&sents) {
        let headline = is_headline(t);
        for r in ss {
            entities::recognize(t, r.clone(), k, &mut found);
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
            resolve::register(state, t, &found, k);
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
    for (pi, para) in paras.iter().enumerate() {
        let toks = &tokens[pi];
        relations::classes_of(toks, &mut classes);
        let para_spans = &sentence_spans[next_sentence..next_sentence + sents[pi].len()];
        next_sentence += sents[pi].len();
        spare_mentions.extend(infos.drain(..).map(|info| info.mentions));
        infos.extend(sents[pi].iter().zip(para_spans).map(|(r, s)| {
            let s = &spans[s.clone()];
            let mentions = spare_mentions.pop().unwrap_or_default();
            resolve::resolve_names(state, toks, &classes, para, r.start, r.end, s, mentions, k)
        }));
        evidence.clear();
        evidence.resize_with(infos.len(), Evidence::default);
        for (info, ev) in infos.iter_mut().zip(&evidence) {
            relations::title_facts(toks, para, k, info, state, ev, &mut facts);
        }
        let speaker = find_speaker(&infos, toks, &classes, state);
        for (info, ev) in infos.iter_mut().zip(&evidence) {
            resolve::resolve_references(state, toks, info, speaker, k);
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
            relations::extract(&ctx, state, last_date, &mut facts);
            relations::located_facts(&ctx, state, &mut facts);
            for m in &info.mentions {
                if m.kind == MentionKind::Name
                    && let [e] = m.ents.as_slice()
                    && let (Some(a), Some(b)) = (toks.get(m.start), toks.get(m.end.wrapping_sub(1)))
                {
                    names.push(NameMention {
                        para: (para_base + pi) as u32,
                        start: a.start as u32,
                        end: b.end as u32,
                        entity: *e as u32,
                    });
                }
            }
        }
    }
    facts
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
fn extract_file(input: &Input, date: Option<Date>, k: &Knowledge) -> Result<Extraction, String> {
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
    extract_article(&input.id, reader, date, k).map_err(|e| format!("cannot read: {e}"))
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
    let extract_batch = |batch: &[Input]| -> Vec<Result<Extraction, String>> {
        batch
            .par_iter()
            .map(|i| extract_file(i, date, &k))
            .collect()
    };
    let batches: Vec<&[Input]> = inputs.chunks(BATCH).collect();
    let mut ready = batches.first().map(|b| extract_batch(b));
    for (n, batch) in batches.iter().enumerate() {
        let Some(results) = ready.take() else { break };
        // Merging is single-threaded and in path order; the next batch is extracted on the
        // other cores meanwhile, so they do not wait for the merge.
        let (_, next) = rayon::join(
            || {
                for (input, result) in batch.iter().zip(results) {
                    match result {
                        Ok(ex) => finish(graph, &mut ms, ex, &mut report),
                        Err(message) => report.warn(&input.path.display().to_string(), message),
                    }
                    if let Some(bar) = &bar {
                        bar.inc(1);
                    }
                }
                ms.flush(graph);
            },
            || batches.get(n + 1).map(|b| extract_batch(b)),
        );
        ready = next;
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(report)
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
