//! Scoring who-is-who against annotated text: reads CoNLL-U files whose MISC column carries
//! entity annotation with identities (UD English-GUM's `Entity=` field, Wikipedia titles),
//! ingests each document as one article into a fresh graph, and scores which node each named
//! person, organisation and place mention became with B-cubed precision, recall and F1.
//!
//! It only reads the files it is given and builds its own graph; it never writes a file and
//! never changes how articles are ingested.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::merge::{self, MergeState};
use super::rules::Knowledge;
use super::{IngestError, IngestOptions, IngestReport, extract_article};
use crate::graph::{Graph, NodeId};

/// The entity types scored: GUM's names for persons, organisations and places.
const SCORED_TYPES: [&str; 3] = ["person", "organization", "place"];

/// One document of a CoNLL-U file: its paragraphs as text, and its gold named mentions.
#[derive(Debug, Default)]
struct Document {
    id: String,
    genre: String,
    paragraphs: Vec<String>,
    mentions: Vec<GoldMention>,
}

/// A gold mention: the paragraph and bytes of its own proper-noun words (those not inside
/// a mention nested in it), and its identity.
#[derive(Debug, Clone)]
struct GoldMention {
    para: usize,
    start: usize,
    end: usize,
    identity: String,
}

/// A token as read: where it is in its paragraph, and whether it is a proper noun.
#[derive(Debug, Clone, Copy)]
struct Tok {
    para: usize,
    start: usize,
    end: usize,
    propn: bool,
}

/// A gold mention closed: first and last token, type and identity.
type Span = (usize, usize, String, Option<String>);

/// An entity annotation open or closed on a token.
#[derive(Debug)]
struct OpenEntity {
    eid: String,
    etype: String,
    identity: Option<String>,
    first: usize,
}

/// The figures of one group of mentions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdentityFigures {
    pub group: String,
    pub mentions: usize,
    pub found: usize,
    pub gold_entities: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// F1 over the mentions skein named at all: identity alone, without recognition.
    pub found_f1: f64,
}

/// The figures per genre (news first), then over all documents.
#[derive(Debug, Clone, Default)]
pub struct IdentityScore {
    pub groups: Vec<IdentityFigures>,
    /// What went wrong, one line each, genre by genre: gold mentions that became no node,
    /// gold entities spread over several nodes, and nodes holding several gold entities.
    pub mistakes: Vec<String>,
}

/// One scored gold mention: its genre, document, words and identity, and its node.
struct Row {
    genre: String,
    doc: String,
    text: String,
    identity: String,
    node: Option<NodeId>,
}

impl IdentityScore {
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<14} {:>8} {:>6} {:>9} {:>9} {:>9} {:>9} {:>11}",
            "genre", "mentions", "found", "entities", "B3 P", "B3 R", "B3 F1", "found F1"
        );
        for g in &self.groups {
            let _ = writeln!(
                out,
                "{:<14} {:>8} {:>6} {:>9} {:>9.4} {:>9.4} {:>9.4} {:>11.4}",
                g.group,
                g.mentions,
                g.found,
                g.gold_entities,
                g.precision,
                g.recall,
                g.f1,
                g.found_f1
            );
        }
        out
    }
}

/// The value of one `Key=value` item of a MISC column.
fn misc<'a>(misc: &'a str, key: &str) -> Option<&'a str> {
    misc.split('|')
        .find_map(|item| item.strip_prefix(key)?.strip_prefix('='))
}

/// Reads the documents of a CoNLL-U file.
fn read_documents(file: &str, text: &str) -> Result<Vec<Document>, IngestError> {
    let bad = |line: usize, message: &str| IngestError::Gold {
        file: format!("{file}:{line}"),
        message: message.to_string(),
    };
    let mut docs: Vec<Document> = Vec::new();
    let mut toks: Vec<Tok> = Vec::new();
    let mut open: Vec<OpenEntity> = Vec::new();
    // Mentions closed, as (first token, last token, type, identity).
    let mut spans: Vec<Span> = Vec::new();
    let mut new_par = true;
    let mut space_before = false;
    // The last token of a multiword range, that range's spacing, and where its next word
    // starts in the text.
    let mut range_end: Option<(usize, bool, usize)> = None;
    fn finish(doc: &mut Document, toks: &mut Vec<Tok>, spans: &mut Vec<Span>) {
        let spans_now = std::mem::take(spans);
        for (i, (first, last, etype, identity)) in spans_now.iter().enumerate() {
            let Some(identity) = identity else { continue };
            if !SCORED_TYPES.contains(&etype.as_str()) {
                continue;
            }
            // Its own words: not inside another mention strictly nested in it.
            let own: Vec<&Tok> = (*first..=*last)
                .filter(|&t| {
                    !spans_now.iter().enumerate().any(|(j, (f, l, _, _))| {
                        j != i
                            && f >= first
                            && l <= last
                            && (f, l) != (first, last)
                            && (*f..=*l).contains(&t)
                    })
                })
                .filter_map(|t| toks.get(t))
                .filter(|t| t.propn)
                .collect();
            let (Some(a), Some(b)) = (own.first(), own.last()) else {
                continue;
            };
            if a.para != b.para {
                continue;
            }
            doc.mentions.push(GoldMention {
                para: a.para,
                start: a.start,
                end: b.end,
                identity: identity.clone(),
            });
        }
        toks.clear();
    }
    let mut doc = Document::default();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim();
            if let Some(id) = comment.strip_prefix("newdoc id =") {
                if !doc.id.is_empty() {
                    finish(&mut doc, &mut toks, &mut spans);
                    docs.push(std::mem::take(&mut doc));
                }
                doc.id = id.trim().to_string();
                doc.genre = doc.id.split('_').nth(1).unwrap_or("other").to_string();
                open.clear();
                new_par = true;
            } else if comment.starts_with("newpar") {
                new_par = true;
            }
            continue;
        }
        if line.trim().is_empty() {
            // A sentence ends: the next one goes on in the same paragraph, after a space.
            space_before = true;
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(bad(line_no, "a token line needs 10 tab-separated columns"));
        }
        if cols[0].contains('.') {
            continue;
        }
        if new_par || doc.paragraphs.is_empty() {
            doc.paragraphs.push(String::new());
            new_par = false;
            space_before = false;
        }
        let para = doc.paragraphs.len() - 1;
        let Some(text) = doc.paragraphs.last_mut() else {
            continue;
        };
        if let Some((a, b)) = cols[0].split_once('-') {
            // A multiword token: its form is the text, its words share its place.
            let (Ok(_), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) else {
                return Err(bad(line_no, "a bad token range"));
            };
            if space_before && !text.is_empty() {
                text.push(' ');
            }
            let from = text.len();
            text.push_str(cols[1]);
            space_before = misc(cols[9], "SpaceAfter") != Some("No");
            range_end = Some((b, space_before, from));
            continue;
        }
        let Ok(id) = cols[0].parse::<usize>() else {
            return Err(bad(line_no, "a token id must be a number"));
        };
        let (start, end) = match range_end {
            Some((last, after, cursor)) => {
                // The words of a multiword token share its text: each takes its own form's
                // bytes where they are written there, else the rest.
                let end = text.len();
                let start = cursor.min(end);
                let word_end = if text[start..].starts_with(cols[1]) && id < last {
                    start + cols[1].len()
                } else {
                    end
                };
                if id >= last {
                    range_end = None;
                    space_before = after;
                } else {
                    range_end = Some((last, after, word_end));
                }
                (start, word_end)
            }
            None => {
                if space_before && !text.is_empty() {
                    text.push(' ');
                }
                let start = text.len();
                text.push_str(cols[1]);
                space_before = misc(cols[9], "SpaceAfter") != Some("No");
                (start, text.len())
            }
        };
        let index = toks.len();
        toks.push(Tok {
            para,
            start,
            end,
            propn: cols[3] == "PROPN",
        });
        if let Some(entity) = misc(cols[9], "Entity") {
            parse_entity_field(entity, index, &mut open, &mut spans);
        }
    }
    if !doc.id.is_empty() || !toks.is_empty() {
        finish(&mut doc, &mut toks, &mut spans);
        docs.push(doc);
    }
    Ok(docs)
}

/// Reads one `Entity=` value: openings `(eid-type-...-identity`, closings `eid)`, and
/// mentions of one token `(eid-...)`, in the order written.
fn parse_entity_field(
    field: &str,
    token: usize,
    open: &mut Vec<OpenEntity>,
    spans: &mut Vec<Span>,
) {
    let mut rest = field;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('(') {
            let stop = after.find(['(', ')']).unwrap_or(after.len());
            let body = &after[..stop];
            // GRP-etype-infstat-salience-centering-minspan-link-identity; an identity may
            // itself hold hyphens, so it is the rest after the seventh.
            let parts: Vec<&str> = body.splitn(8, '-').collect();
            let entity = OpenEntity {
                eid: parts.first().copied().unwrap_or("").to_string(),
                etype: parts.get(1).copied().unwrap_or("").to_string(),
                identity: parts.get(7).map(|s| s.to_string()),
                first: token,
            };
            rest = &after[stop..];
            if let Some(after_close) = rest.strip_prefix(')') {
                spans.push((token, token, entity.etype, entity.identity));
                rest = after_close;
            } else {
                open.push(entity);
            }
        } else {
            let stop = rest.find(')').unwrap_or(rest.len());
            let eid = &rest[..stop];
            if let Some(pos) = open.iter().rposition(|o| o.eid == eid) {
                let o = open.remove(pos);
                spans.push((o.first, token, o.etype, o.identity));
            }
            rest = rest.get(stop + 1..).unwrap_or("");
        }
    }
}

/// B-cubed precision and recall over mentions, given each mention's gold and system
/// cluster ids.
fn b_cubed(gold: &[usize], system: &[usize]) -> (f64, f64) {
    if gold.is_empty() {
        return (0.0, 0.0);
    }
    let mut gold_size: BTreeMap<usize, usize> = BTreeMap::new();
    let mut sys_size: BTreeMap<usize, usize> = BTreeMap::new();
    let mut both: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (&g, &s) in gold.iter().zip(system) {
        *gold_size.entry(g).or_default() += 1;
        *sys_size.entry(s).or_default() += 1;
        *both.entry((g, s)).or_default() += 1;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for (&g, &s) in gold.iter().zip(system) {
        let common = both[&(g, s)] as f64;
        p += common / sys_size[&s] as f64;
        r += common / gold_size[&g] as f64;
    }
    let n = gold.len() as f64;
    (p / n, r / n)
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Ingests the documents of the CoNLL-U files (`(name, text)`) into a fresh graph, one
/// article each, and scores the clustering of their named mentions.
pub fn score(
    files: &[(String, String)],
    options: &IngestOptions,
) -> Result<IdentityScore, IngestError> {
    let k = Knowledge::load(&options.rules)?;
    let mut docs = Vec::new();
    for (name, text) in files {
        docs.extend(read_documents(name, text)?);
    }
    let mut graph = Graph::new();
    let mut ms = MergeState::new(&graph, k.identity.clone());
    let mut report = IngestReport::default();
    // Per gold mention: its genre, gold identity and the node it became (if any).
    let mut rows: Vec<Row> = Vec::new();
    for doc in &docs {
        let text = doc.paragraphs.join("\n\n");
        let ex =
            extract_article(&doc.id, text.as_bytes(), None, &k).map_err(|e| IngestError::Io {
                path: doc.id.clone(),
                message: e.to_string(),
            })?;
        let nodes = merge::merge(&mut graph, &mut ms, &ex, &mut report);
        ms.flush(&mut graph);
        for g in &doc.mentions {
            // The system mention in the same paragraph overlapping the gold words most.
            let best = ex
                .names
                .iter()
                .filter(|m| m.para as usize == g.para)
                .map(|m| {
                    let overlap = (m.end as usize)
                        .min(g.end)
                        .saturating_sub((m.start as usize).max(g.start));
                    (overlap, m)
                })
                .filter(|(o, _)| *o > 0)
                // The most overlap, then the tightest mention (a name inside an
                // organisation's name before the organisation), then the first.
                .max_by_key(|(o, m)| {
                    (
                        *o,
                        std::cmp::Reverse(m.end - m.start),
                        std::cmp::Reverse(m.start),
                    )
                })
                .and_then(|(_, m)| nodes.get(m.entity as usize).copied().flatten());
            let text = doc
                .paragraphs
                .get(g.para)
                .and_then(|p| p.get(g.start..g.end))
                .unwrap_or("")
                .to_string();
            rows.push(Row {
                genre: doc.genre.clone(),
                doc: doc.id.clone(),
                text,
                identity: g.identity.clone(),
                node: best,
            });
        }
    }
    let mut genres: Vec<String> = rows.iter().map(|r| r.genre.clone()).collect();
    genres.sort();
    genres.dedup();
    // News first, the rest in order, then all.
    genres.sort_by_key(|g| g != "news");
    let mut groups = Vec::new();
    for group in genres.iter().map(Some).chain([None]) {
        let chosen: Vec<&Row> = rows
            .iter()
            .filter(|r| group.is_none_or(|g| &r.genre == g))
            .collect();
        let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
        let gold: Vec<usize> = chosen
            .iter()
            .map(|r| {
                let n = ids.len();
                *ids.entry(r.identity.as_str()).or_insert(n)
            })
            .collect();
        // A mention that became no node is a cluster of its own.
        let mut node_ids: BTreeMap<NodeId, usize> = BTreeMap::new();
        let system: Vec<usize> = chosen
            .iter()
            .enumerate()
            .map(|(i, r)| match r.node {
                Some(node) => {
                    let n = node_ids.len();
                    *node_ids.entry(node).or_insert(n)
                }
                None => usize::MAX / 2 + i,
            })
            .collect();
        let (p, r) = b_cubed(&gold, &system);
        let (found_gold, found_system): (Vec<usize>, Vec<usize>) = gold
            .iter()
            .zip(&system)
            .zip(&chosen)
            .filter(|(_, r)| r.node.is_some())
            .map(|((g, s), _)| (*g, *s))
            .unzip();
        let (fp, fr) = b_cubed(&found_gold, &found_system);
        groups.push(IdentityFigures {
            group: group.map_or_else(|| "all".to_string(), |g| g.clone()),
            mentions: chosen.len(),
            found: chosen.iter().filter(|r| r.node.is_some()).count(),
            gold_entities: ids.len(),
            precision: p,
            recall: r,
            f1: f1(p, r),
            found_f1: f1(fp, fr),
        });
    }
    let mistakes = genres
        .iter()
        .flat_map(|genre| mistakes(&graph, rows.iter().filter(|r| &r.genre == genre)))
        .collect();
    Ok(IdentityScore { groups, mistakes })
}

/// The mistakes of one genre's rows, as lines: missed mentions, split entities, merged ones.
fn mistakes<'a>(graph: &Graph, rows: impl Iterator<Item = &'a Row>) -> Vec<String> {
    let rows: Vec<&Row> = rows.collect();
    let name = |id: NodeId| {
        graph
            .node(id)
            .and_then(|n| n.name())
            .unwrap_or("?")
            .to_string()
    };
    let mut out = Vec::new();
    let mut by_gold: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    let mut by_node: BTreeMap<NodeId, BTreeMap<&str, usize>> = BTreeMap::new();
    for r in &rows {
        match r.node {
            None => out.push(format!(
                "{} missed: {:?} ({}) in {}",
                r.genre, r.text, r.identity, r.doc
            )),
            Some(id) => {
                *by_gold
                    .entry(&r.identity)
                    .or_default()
                    .entry(format!("#{} {}", id.0, name(id)))
                    .or_default() += 1;
                *by_node
                    .entry(id)
                    .or_default()
                    .entry(&r.identity)
                    .or_default() += 1;
            }
        }
    }
    let list = |m: Vec<String>| m.join(", ");
    // Each gold entity's share of the lost recall: the sum over its mentions of the part of
    // the entity not in the mention's node (a missed mention keeps only itself).
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        *sizes.entry(&r.identity).or_default() += 1;
    }
    let mut losses: Vec<(f64, &str)> = sizes
        .iter()
        .map(|(gold, &size)| {
            let found = by_gold.get(gold);
            let in_nodes: usize = found.map_or(0, |n| n.values().map(|c| c * c).sum());
            let missed = size - found.map_or(0, |n| n.values().sum::<usize>());
            let kept = (in_nodes + missed) as f64 / size as f64;
            (size as f64 - kept, *gold)
        })
        .filter(|(loss, _)| *loss > 0.0)
        .collect();
    losses.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    for (loss, gold) in losses.iter().take(40) {
        out.push(format!(
            "{} recall lost: {loss:.1} of {} mentions of {gold}",
            rows[0].genre, sizes[gold]
        ));
    }
    for (gold, nodes) in &by_gold {
        if nodes.len() > 1 {
            let parts = nodes.iter().map(|(n, c)| format!("{n} x{c}")).collect();
            out.push(format!(
                "{} split: {gold} over {}",
                rows[0].genre,
                list(parts)
            ));
        }
    }
    for (id, golds) in &by_node {
        if golds.len() > 1 {
            let parts = golds.iter().map(|(g, c)| format!("{g} x{c}")).collect();
            out.push(format!(
                "{} merged: #{} {} holds {}",
                rows[0].genre,
                id.0,
                name(*id),
                list(parts)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b_cubed_of_a_perfect_and_of_an_all_in_one_clustering() {
        let gold = [0, 0, 1, 2];
        assert_eq!(b_cubed(&gold, &[5, 5, 6, 7]), (1.0, 1.0));
        let (p, r) = b_cubed(&gold, &[1, 1, 1, 1]);
        assert!((p - (0.5 + 0.5 + 0.25 + 0.25) / 4.0).abs() < 1e-9);
        assert_eq!(r, 1.0);
    }

    #[test]
    fn entity_fields_open_close_and_nest_with_identities() {
        let mut open = Vec::new();
        let mut spans = Vec::new();
        parse_entity_field(
            "(1-person-new-sssss-cf1-1,2-coref-Jean-Paul_Sartre",
            0,
            &mut open,
            &mut spans,
        );
        parse_entity_field(
            "(2-place-new-nnnnn-cf7-3-coref-Paris)1)",
            1,
            &mut open,
            &mut spans,
        );
        assert_eq!(
            spans,
            vec![
                (1, 1, "place".to_string(), Some("Paris".to_string())),
                (
                    0,
                    1,
                    "person".to_string(),
                    Some("Jean-Paul_Sartre".to_string())
                ),
            ]
        );
        assert!(open.is_empty());
    }

    #[test]
    fn a_named_mention_is_scored_by_its_own_proper_nouns() {
        let text = "# newdoc id = GUM_news_test\n# newpar\n\
1\tMayor\tmayor\tNOUN\t_\t_\t0\troot\t_\tEntity=(1-person-new-s-c-1-coref-Jane_Doe\n\
2\tJane\tJane\tPROPN\t_\t_\t1\tflat\t_\t_\n\
3\tDoe\tDoe\tPROPN\t_\t_\t1\tflat\t_\tEntity=1)\n\
4\tof\tof\tADP\t_\t_\t1\tcase\t_\t_\n\
5\tParis\tParis\tPROPN\t_\t_\t1\tnmod\t_\tEntity=(2-place-new-s-c-1-coref-Paris)|SpaceAfter=No\n\
6\t.\t.\tPUNCT\t_\t_\t1\tpunct\t_\t_\n";
        let docs = read_documents("t.conllu", text).expect("reads");
        assert_eq!(docs[0].paragraphs, ["Mayor Jane Doe of Paris."]);
        let m: Vec<(usize, usize, &str)> = docs[0]
            .mentions
            .iter()
            .map(|m| (m.start, m.end, m.identity.as_str()))
            .collect();
        assert_eq!(m, [(6, 14, "Jane_Doe"), (18, 23, "Paris")]);
    }

    /// One document of CoNLL-U from sentences of (form, upos, entity field) words.
    fn conllu(doc: &str, sentences: &[&[(&str, &str, &str)]]) -> String {
        let mut out = format!("# newdoc id = {doc}\n# newpar\n");
        for words in sentences {
            for (n, (form, upos, entity)) in words.iter().enumerate() {
                let misc = if entity.is_empty() {
                    "_".to_string()
                } else {
                    format!("Entity={entity}")
                };
                out.push_str(&format!(
                    "{}\t{form}\t{form}\t{upos}\t_\t_\t0\tdep\t_\t{misc}\n",
                    n + 1
                ));
            }
            out.push('\n');
        }
        out
    }

    /// Scores one document and asserts that each of its `mentions` gold mentions was found
    /// and clustered as the gold clusters them.
    fn assert_scored_perfectly(doc: &str, sentences: &[&[(&str, &str, &str)]], mentions: usize) {
        let text = conllu(doc, sentences);
        let files = [("t.conllu".to_string(), text)];
        let score = score(&files, &IngestOptions::default()).expect("scores");
        let group = &score.groups[0];
        assert_eq!(
            (group.mentions, group.found),
            (mentions, mentions),
            "{score:?}"
        );
        assert_eq!((group.precision, group.recall), (1.0, 1.0), "{score:?}");
    }

    #[test]
    fn a_title_standing_for_a_name_is_scored_as_a_named_mention() {
        let first: &[(&str, &str, &str)] = &[
            ("US", "PROPN", "(2-place-new-s-c-1-coref-United_States)"),
            (
                "President",
                "PROPN",
                "(1-person-new-s-c-1-coref-Donald_Trump",
            ),
            ("Donald", "PROPN", ""),
            ("Trump", "PROPN", "1)"),
            ("visited", "VERB", ""),
            ("Ohio", "PROPN", "(3-place-new-s-c-1-coref-Ohio)"),
            (".", "PUNCT", ""),
        ];
        let second: &[(&str, &str, &str)] = &[
            ("The", "DET", "(1-person-giv-s-c-1-coref-Donald_Trump"),
            ("President", "PROPN", "1)"),
            ("said", "VERB", ""),
            ("he", "PRON", ""),
            ("would", "AUX", ""),
            ("return", "VERB", ""),
            (".", "PUNCT", ""),
        ];
        assert_scored_perfectly("GUM_news_title", &[first, second], 4);
    }

    #[test]
    fn a_title_set_off_beside_a_name_is_scored_as_that_persons_mention() {
        let words: &[(&str, &str, &str)] = &[
            ("Jane", "PROPN", "(1-person-new-s-c-1-coref-Jane_Doe"),
            ("Doe", "PROPN", "1)"),
            (",", "PUNCT", ""),
            ("Mayor", "PROPN", "(1-person-giv-s-c-1-coref-Jane_Doe"),
            ("of", "ADP", ""),
            ("Paris", "PROPN", "(2-place-new-s-c-1-coref-Paris)1)"),
            (",", "PUNCT", ""),
            ("spoke", "VERB", ""),
            (".", "PUNCT", ""),
        ];
        assert_scored_perfectly("GUM_news_mayor", &[words], 3);
    }

    #[test]
    fn a_title_of_address_said_before_its_holder_is_named_is_the_holder() {
        let first: &[(&str, &str, &str)] = &[
            ("Thank", "VERB", ""),
            ("you", "PRON", ""),
            (",", "PUNCT", ""),
            ("Mr.", "PROPN", "(1-person-acc-s-c-1-coref-Jon_Brand"),
            ("Chair", "PROPN", "1)"),
            (".", "PUNCT", ""),
        ];
        let second: &[(&str, &str, &str)] = &[
            ("Chair", "PROPN", "(1-person-giv-s-c-1-coref-Jon_Brand"),
            ("Jon", "PROPN", ""),
            ("Brand", "PROPN", "1)"),
            ("opened", "VERB", ""),
            ("the", "DET", ""),
            ("hearing", "NOUN", ""),
            (".", "PUNCT", ""),
        ];
        assert_scored_perfectly("GUM_speech_chair", &[first, second], 2);
    }

    #[test]
    fn a_title_said_of_a_person_is_that_persons_mention() {
        let words: &[(&str, &str, &str)] = &[
            ("Jane", "PROPN", "(1-person-new-s-c-1-coref-Jane_Doe"),
            ("Doe", "PROPN", "1)"),
            ("is", "AUX", ""),
            ("now", "ADV", ""),
            ("the", "DET", "(1-person-giv-s-c-1-coref-Jane_Doe"),
            ("Mayor", "PROPN", ""),
            ("of", "ADP", ""),
            ("Paris", "PROPN", "(2-place-new-s-c-1-coref-Paris)1)"),
            (".", "PUNCT", ""),
        ];
        assert_scored_perfectly("GUM_news_mayor", &[words], 3);
    }

    #[test]
    fn a_place_inside_an_institutions_name_is_the_place_not_the_institution() {
        let place: &[(&str, &str, &str)] = &[
            ("Michigan", "PROPN", "(1-place-new-s-c-1-coref-Michigan)"),
            ("is", "AUX", ""),
            ("cold", "ADJ", ""),
            (".", "PUNCT", ""),
        ];
        let institution: &[(&str, &str, &str)] = &[
            ("Jane", "PROPN", "(1-person-new-s-c-1-coref-Jane_Doe"),
            ("Doe", "PROPN", "1)"),
            ("studied", "VERB", ""),
            ("at", "ADP", ""),
            (
                "the",
                "DET",
                "(2-organization-new-s-c-1-coref-University_of_Michigan",
            ),
            ("University", "PROPN", ""),
            ("of", "ADP", ""),
            ("Michigan", "PROPN", "(3-place-new-s-c-1-coref-Michigan)2)"),
            (".", "PUNCT", ""),
        ];
        let text = conllu("GUM_bio_state", &[place]) + &conllu("GUM_bio_school", &[institution]);
        let files = [("t.conllu".to_string(), text)];
        let score = score(&files, &IngestOptions::default()).expect("scores");
        let all = score.groups.last().expect("all");
        assert_eq!((all.mentions, all.found), (4, 4), "{score:?}");
        assert_eq!((all.precision, all.recall), (1.0, 1.0), "{score:?}");
    }
}
