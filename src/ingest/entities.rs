//! Entity recognition: finds the spans of a sentence that name a region, a person, an
//! organisation, a title, a demonym, a pronoun or a group ("both sides"), from the gazetteer,
//! the lexicons of titles and organisation cues, and the shape and context of capitalised
//! words.
//!
//! Recognition looks at one sentence and the rules only; deciding which entity a span is
//! (surnames, aliases, the graph) is the resolver's job, never this module's.

use std::ops::Range;

use super::article::{TokKind, Token};
use super::lexicon::RegionKind;
use super::rules::{Knowledge, Lex};

/// What a span names, before resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// A region of the gazetteer (its index).
    Region(usize),
    /// A demonym, with the index of its country.
    Demonym(usize),
    /// An entity named in the rules (its index).
    Named(usize),
    Person,
    Org,
    /// A capitalised name that context does not classify; `fallback` is the label it takes
    /// when neither the article nor the graph knows it.
    Candidate {
        fallback: Option<&'static str>,
    },
    /// A title: `title` indexes the title list; `head` is where the title word starts
    /// (after its modifiers); `subordinate` when a modifier such as "deputy" is present.
    Title {
        title: usize,
        head: usize,
        subordinate: bool,
    },
    /// "both sides": the parties named last.
    Group,
    /// "he", "his": a person named before.
    Pronoun,
    /// "I", "my": the speaker of a quotation.
    Speaker,
}

/// A recognised span of token indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: SpanKind,
}

/// Whether a lower-case word is a particle that may sit inside a person's or an
/// organisation's name ("al", "van": `name_particles` in `rules/names.ron`).
#[inline]
fn name_particle(t: &Token<'_>) -> bool {
    t.kind == TokKind::Word && t.lex.has(Lex::NAME_PARTICLE)
}

/// Appends a token's folded form (the store's name folding, fast for ASCII).
pub fn fold_token(tok: &Token<'_>, out: &mut String) {
    if tok.plain {
        // Most words are plain letters, which fold to themselves.
        out.push_str(tok.lower);
    } else {
        fold_word(tok.text, tok.lower, out);
    }
}

/// Appends the folded form of a word: `text` and its lower-case form `lower`.
pub fn fold_word(text: &str, lower: &str, out: &mut String) {
    if text.is_ascii() && lower.bytes().all(|b| b.is_ascii_alphanumeric()) {
        out.push_str(lower);
    } else if text.is_ascii() {
        let mut space = false;
        for b in lower.bytes() {
            match b {
                b'.' | b'\'' | b'`' => {}
                b if b.is_ascii_alphanumeric() => {
                    if space && !out.is_empty() && !out.ends_with(' ') {
                        out.push(' ');
                    }
                    space = false;
                    out.push(b as char);
                }
                _ => space = true,
            }
        }
    } else {
        out.push_str(&crate::graph::fold_name(text));
    }
}

/// `f` of a token's folded form: for a plain word, `lower` itself, without a copy.
fn with_folded<R>(tok: &Token<'_>, f: impl FnOnce(&str) -> R) -> R {
    if tok.plain {
        f(tok.lower)
    } else {
        let mut s = String::with_capacity(tok.lower.len());
        fold_token(tok, &mut s);
        f(&s)
    }
}

/// Whether `tokens[p..]` is "Word and Word ... Cue" or "Word & Word": one name word joined to a
/// run that ends in an organisation cue ("Securities and Exchange Commission", "Pratt &
/// Whitney"). Returns the end of the joined run.
fn joined_organisation(
    tokens: &[Token<'_>],
    p: usize,
    limit: usize,
    k: &Knowledge,
) -> Option<usize> {
    let first = tokens.get(p).filter(|t| capitalised_word(t))?;
    let joiner = tokens.get(p + 1)?;
    if !matches!(joiner.text, "and" | "&") || p + 2 >= limit {
        return None;
    }
    let lex = first.lex;
    // "Johnson & Johnson", "Marks & Spencer": a name joined by "&" is one body, whatever its
    // words are; "and" joins a name word only to what no lexicon places ("Germany and France
    // Television" are two).
    if lex.has(Lex::NOT_NAME)
        || joiner.text == "and"
            && (lex.has(Lex::DEMONYM)
                || lex.has(Lex::GIVEN_NAME)
                || (lex.has(Lex::REGION_START)
                    && with_folded(first, |key| k.gazetteer.region(key)).is_some()))
    {
        return None;
    }
    let run_end = capitalised_run(tokens, p + 2, limit, k);
    if run_end <= p + 2 {
        return None;
    }
    if joiner.text == "&" {
        return Some(run_end);
    }
    let last = &tokens[run_end - 1];
    (run_end > p + 3 && last.lex.has(Lex::ORG_CUE)).then_some(run_end)
}

/// "Party of Labour and Justice", "Ministry for Foreign Affairs and Trade": the end of the
/// name `p..end` of an organisation carried on past "and" by a capitalised run that extends
/// what its "of" or "for" names. The run must be words no lexicon knows and hold no
/// organisation cue of its own, so "the Ministry of Defence and Hamas" or "the Ministry of
/// Health and the Red Crescent" stay two.
fn joined_complement(
    tokens: &[Token<'_>],
    p: usize,
    end: usize,
    limit: usize,
    k: &Knowledge,
) -> Option<usize> {
    if tokens.get(end).is_none_or(|t| t.text != "and") || end + 1 >= limit {
        return None;
    }
    let of = (p + 1..end).find(|&x| matches!(tokens[x].lower, "of" | "for"))?;
    // The complement after "of" holds no second cue: "Ministry of Defence and Interior
    // Ministry" joins two bodies.
    if (of + 1..end).any(|x| tokens[x].lex.has(Lex::ORG_CUE)) {
        return None;
    }
    let run_end = capitalised_run(tokens, end + 1, limit, k);
    if run_end <= end + 1 || run_end > end + 4 {
        return None;
    }
    // A given name or a title's word alone is a word of the name ("Labour and Justice");
    // two words opening with one are a person ("the Ministry of Health and John Keller",
    // "and President Keller").
    let (given, title) = if run_end == end + 2 {
        (Lex::NOT_NAME, Lex::NOT_NAME)
    } else {
        (Lex::GIVEN_NAME, Lex::TITLE_START)
    };
    let known = |t: &Token<'_>| {
        t.kind != TokKind::Word
            || !t.cap
            || t.all_caps()
            || [
                Lex::NOT_NAME,
                Lex::ORG_CUE,
                given,
                Lex::DEMONYM,
                title,
                Lex::EVENT_HEAD,
            ]
            .iter()
            .any(|&bit| t.lex.has(bit))
    };
    let named = |x: usize| {
        longest_form(tokens, x, run_end, k, true).is_some()
            || longest_form(tokens, x, run_end, k, false).is_some()
    };
    (!(end + 1..run_end).any(|x| known(&tokens[x]) || named(x))).then_some(run_end)
}

/// Whether a token can sit in a capitalised run.
fn capitalised_word(t: &Token<'_>) -> bool {
    t.kind == TokKind::Word && t.cap
}

/// Whether the hyphen at `x` joins a short capitalised syllable to a short lower-case one,
/// as in romanised Korean given names ("Jae-myung", "Jong-un"), written without spaces.
fn syllable_hyphen(tokens: &[Token<'_>], x: usize) -> bool {
    let short = |t: &Token<'_>, cap: bool| {
        t.kind == TokKind::Word
            && t.cap == cap
            && (2..=5).contains(&t.text.chars().count())
            && t.text.chars().all(char::is_alphabetic)
    };
    x > 0
        && tokens.get(x).is_some_and(|h| h.text == "-")
        && short(&tokens[x - 1], true)
        && tokens.get(x + 1).is_some_and(|n| short(n, false))
        && tokens[x - 1].end == tokens[x].start
        && tokens.get(x + 1).is_some_and(|n| n.start == tokens[x].end)
        && !name_particle(&tokens[x + 1])
}

/// Whether a capitalised "He" at `q` is a surname ("Vice Premier He Lifeng"): it follows a
/// title and a capitalised word follows it. Elsewhere "He" is the pronoun.
fn surname_he(tokens: &[Token<'_>], q: usize, end: usize, spans: &[Span]) -> bool {
    tokens[q].text == "He"
        && q + 1 < end
        && tokens.get(q + 1).is_some_and(capitalised_word)
        && spans
            .last()
            .is_some_and(|s| s.end == q && matches!(s.kind, SpanKind::Title { .. }))
}

fn is_initial(t: &Token<'_>) -> bool {
    t.kind == TokKind::Word && t.cap && t.text.len() == 2 && t.text.ends_with('.')
}

/// Longest match of the gazetteer (or, with `named`, of the rules' entities) starting at
/// `p`: the end token and the index. The first and last words must be capitalised.
#[inline]
fn longest_form(
    tokens: &[Token<'_>],
    p: usize,
    limit: usize,
    k: &Knowledge,
    named: bool,
) -> Option<(usize, usize)> {
    let max_words = if named { k.max_entity_words } else { 6 };
    // A key starts with the first word of this token's folded form: most words start none.
    let start = if named {
        Lex::ENTITY_START
    } else {
        Lex::REGION_START
    };
    // A place asked for after the last word ("to the North" closing a headline) is none.
    let first = tokens.get(p).filter(|_| p < limit)?;
    if max_words == 0 || !capitalised_word(first) || !first.lex.has(start) {
        return None;
    }
    longest_key(tokens, p, limit, k, named, max_words)
}

/// [`longest_form`] once a key may start at `p`. Kept out of line so that the reject in
/// [`longest_form`], asked of every capitalised word, inlines into its callers.
#[inline(never)]
fn longest_key(
    tokens: &[Token<'_>],
    p: usize,
    limit: usize,
    k: &Knowledge,
    named: bool,
    max_words: usize,
) -> Option<(usize, usize)> {
    let lookup = |key: &str| {
        if named {
            k.entities.get(key).copied()
        } else {
            k.gazetteer.region(key)
        }
    };
    let multi = if named {
        Lex::ENTITY_MULTI_START
    } else {
        Lex::REGION_MULTI_START
    };
    let first = tokens.get(p).filter(|_| p < limit)?;
    if !first.lex.has(multi) {
        // No key of several words starts here ("Paris"): only the word's own folded form
        // can be one, and no longer key is built word by word.
        return with_folded(first, lookup).map(|idx| (p + 1, idx));
    }
    let mut key = String::with_capacity(64);
    let mut best = None;
    let mut words = 0;
    let mut q = p;
    while q < limit && words < max_words {
        let t = &tokens[q];
        if t.kind == TokKind::Punct && (t.text == "-" || t.text == ",") && q > p {
            // "Guinea-Bissau", "Washington, D.C.": punctuation folds to a space.
            q += 1;
            continue;
        }
        if t.kind != TokKind::Word {
            break;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        fold_token(t, &mut key);
        words += 1;
        q += 1;
        if t.cap
            && let Some(idx) = lookup(&key)
        {
            best = Some((q, idx));
        }
    }
    best
}

/// The region of the gazetteer named from `p` (its end and index), the longest there is.
pub fn region_at(
    tokens: &[Token<'_>],
    p: usize,
    limit: usize,
    k: &Knowledge,
) -> Option<(usize, usize)> {
    longest_form(tokens, p, limit, k, false)
}

/// The longest demonym from `p` ("North Korean", "Ukrainian"): its end and country.
fn longest_demonym(
    tokens: &[Token<'_>],
    p: usize,
    end: usize,
    k: &Knowledge,
) -> Option<(usize, usize)> {
    let first = tokens.get(p)?;
    if !first.lex.has(Lex::DEMONYM_START) {
        return None;
    }
    if !first.lex.has(Lex::DEMONYM_MULTI_START) {
        // Only the word's own folded form can be a demonym starting here.
        if p >= end || !capitalised_word(first) {
            return None;
        }
        return with_folded(first, |key| k.gazetteer.by_demonym.get(key).copied())
            .map(|c| (p + 1, c));
    }
    let mut key = String::with_capacity(32);
    let mut best = None;
    let mut q = p;
    while q < end && q < p + 3 && capitalised_word(&tokens[q]) {
        if !key.is_empty() {
            key.push(' ');
        }
        fold_token(&tokens[q], &mut key);
        q += 1;
        if let Some(&c) = k.gazetteer.by_demonym.get(&key) {
            best = Some((q, c));
        }
    }
    best
}

/// A title at `p`, with any modifiers before its head: (end, title index, head, subordinate).
#[inline]
pub fn match_title(
    tokens: &[Token<'_>],
    p: usize,
    limit: usize,
    k: &Knowledge,
) -> Option<(usize, usize, usize, bool)> {
    // Asked of most words: a title starts with its head or a modifier, and most words are
    // neither.
    let lex = tokens.get(p)?.lex;
    if !lex.has(Lex::TITLE_START) && !lex.has(Lex::TITLE_MODIFIER) {
        return None;
    }
    title_at(tokens, p, limit, k)
}

/// [`match_title`] once the word at `p` may start a title.
#[inline(never)]
fn title_at(
    tokens: &[Token<'_>],
    p: usize,
    limit: usize,
    k: &Knowledge,
) -> Option<(usize, usize, usize, bool)> {
    let direct = |q: usize| -> Option<(usize, usize)> {
        let t = tokens.get(q).filter(|t| t.lex.has(Lex::TITLE_START))?;
        let list = k.titles.get(t.lower)?;
        list.iter().find_map(|phrase| {
            let n = phrase.rest.len();
            if q + 1 + n > limit {
                return None;
            }
            let ok = phrase
                .rest
                .iter()
                .enumerate()
                .all(|(i, w)| tokens[q + 1 + i].lower == w);
            ok.then_some((q + 1 + n, phrase.value))
        })
    };
    let mut best = direct(p).map(|(end, t)| (end, t, p, false));
    let mut q = p;
    let mut subordinate = false;
    while q < limit && q < p + 3 && tokens[q].lex.has(Lex::TITLE_MODIFIER) {
        subordinate |= tokens[q].lex.has(Lex::SUBORDINATE_MODIFIER);
        q += 1;
        if let Some((end, t)) = direct(q)
            && best.is_none_or(|(b, ..)| end > b)
        {
            best = Some((end, t, q, subordinate));
        }
    }
    let (end, title, head, sub) = best?;
    // A plural or possessive-less lower-case use ("officials", "heads") never gets here:
    // titles match whole words only.
    Some((end, title, head, sub))
}

/// The end of a phrase of `map` at `p`; `start` is the bit of the phrases' first words.
#[inline]
fn phrase_at(
    map: &super::rules::FastMap<String, Vec<super::rules::Phrase<()>>>,
    start: Lex,
    tokens: &[Token<'_>],
    p: usize,
    limit: usize,
) -> Option<usize> {
    if !tokens[p].lex.has(start) {
        return None;
    }
    phrase_end(map, tokens, p, limit)
}

/// The end of a group reference ("the two sides") starting at `p`. "The" opens several of
/// them but is nearly always followed by some other word: the next word's bits say whether
/// the phrases are worth trying.
fn group_at(tokens: &[Token<'_>], p: usize, limit: usize, k: &Knowledge) -> Option<usize> {
    let lex = tokens[p].lex;
    if !lex.has(Lex::GROUP_REF_START) {
        return None;
    }
    let goes_on = p + 1 < limit
        && tokens
            .get(p + 1)
            .is_some_and(|t| t.lex.has(Lex::GROUP_REF_SECOND));
    if !goes_on && !lex.has(Lex::GROUP_REF_ALONE) {
        return None;
    }
    phrase_end(&k.group_refs, tokens, p, limit)
}

/// [`phrase_at`] once the word at `p` may start a phrase.
#[inline(never)]
fn phrase_end(
    map: &super::rules::FastMap<String, Vec<super::rules::Phrase<()>>>,
    tokens: &[Token<'_>],
    p: usize,
    limit: usize,
) -> Option<usize> {
    let list = map.get(tokens[p].lower)?;
    list.iter().find_map(|ph| {
        let n = ph.rest.len();
        (p + 1 + n <= limit
            && ph
                .rest
                .iter()
                .enumerate()
                .all(|(i, w)| tokens[p + 1 + i].lower == w))
        .then_some(p + 1 + n)
    })
}

/// Whether a source cue ("according to", "told") ends right before `p`.
fn after_source_cue(tokens: &[Token<'_>], p: usize, start: usize, k: &Knowledge) -> bool {
    (p.saturating_sub(3).max(start)..p)
        .any(|s| phrase_at(&k.source_cues, Lex::SOURCE_CUE_START, tokens, s, p) == Some(p))
}

/// The bits of a word that may start something [`recognize`] finds in a capitalised run.
const OPENING_BITS: [Lex; 6] = [
    Lex::ENTITY_START,
    Lex::REGION_START,
    Lex::DEMONYM_START,
    Lex::TITLE_START,
    Lex::TITLE_MODIFIER,
    Lex::ORG_CUE,
];

/// Recognises the spans of one sentence into `spans`, which is cleared first: a buffer kept
/// from sentence to sentence, so that a sentence costs no allocation.
pub fn recognize(
    tokens: &[Token<'_>],
    sentence: Range<usize>,
    k: &Knowledge,
    spans: &mut Vec<Span>,
) {
    spans.clear();
    let limit = sentence.end;
    let mut i = sentence.start;
    while i < limit {
        let t = &tokens[i];
        if t.kind != TokKind::Word {
            i += 1;
            continue;
        }
        // "Route 66", "I-44", "US-75 South": a numbered road is no mention, and the place or
        // pronoun its name opens with is none either.
        if t.cap
            && let Some(end) = numbered_road(tokens, i, limit, k)
        {
            i = end;
            continue;
        }
        if let Some(end) = group_at(tokens, i, limit, k) {
            spans.push(Span {
                start: i,
                end,
                kind: SpanKind::Group,
            });
            i = end;
            continue;
        }
        if t.lex.has(Lex::PERSON_PRONOUN) && !surname_he(tokens, i, limit, spans) {
            spans.push(Span {
                start: i,
                end: i + 1,
                kind: SpanKind::Pronoun,
            });
            i += 1;
            continue;
        }
        if t.lex.has(Lex::SPEAKER_PRONOUN) && (t.text != "i") {
            spans.push(Span {
                start: i,
                end: i + 1,
                kind: SpanKind::Speaker,
            });
            i += 1;
            continue;
        }
        if t.cap {
            // A capitalised word the lexicon keeps out of names that starts no key, title or
            // organisation, alone in its run ("The", "But" opening a sentence): every test
            // below would find nothing.
            if t.lex.has(Lex::NOT_NAME)
                && !OPENING_BITS.iter().any(|&bit| t.lex.has(bit))
                && capitalised_run(tokens, i, limit, k) == i + 1
            {
                i += 1;
                continue;
            }
            // Entities the rules name win over every heuristic.
            if let Some((end, idx)) = longest_form(tokens, i, limit, k, true) {
                spans.push(Span {
                    start: i,
                    end,
                    kind: SpanKind::Named(idx),
                });
                i = end;
                continue;
            }
            if let Some(end) = joined_organisation(tokens, i, limit, k) {
                spans.push(Span {
                    start: i,
                    end,
                    kind: SpanKind::Org,
                });
                i = end;
                continue;
            }
            let run_end = capitalised_run(tokens, i, limit, k);
            // "the Nobel Peace Prize", "the Africa Cup of Nations": a name closed by the head
            // of a prize's or an event's name is neither a person nor a body.
            if event_head(tokens, i, run_end).is_some() || prize_after(tokens, i, run_end, limit, k)
            {
                // "the FIFA World Cup": an acronym opening the name is the body holding it.
                if t.all_caps()
                    && t.text.chars().count() <= 6
                    && !t.lex.has(Lex::NOT_NAME)
                    && longest_form(tokens, i, run_end, k, false).is_none()
                {
                    spans.push(Span {
                        start: i,
                        end: i + 1,
                        kind: SpanKind::Org,
                    });
                }
                i = run_end;
                continue;
            }
            if let Some((org_start, org_end)) = organisation_in_run(tokens, i, run_end, k) {
                let org_end =
                    joined_complement(tokens, org_start, org_end, limit, k).unwrap_or(org_end);
                let org_end = scope_place(tokens, org_start, org_end, limit, k).unwrap_or(org_end);
                if org_start > i {
                    classify_run(tokens, i, org_start, sentence.start, k, spans);
                }
                spans.push(Span {
                    start: org_start,
                    end: org_end,
                    kind: SpanKind::Org,
                });
                i = org_end;
                continue;
            }
            classify_run(tokens, i, run_end, sentence.start, k, spans);
            i = run_end.max(i + 1);
            continue;
        }
        if let Some((end, title, head, subordinate)) = match_title(tokens, i, limit, k) {
            spans.push(Span {
                start: i,
                end,
                kind: SpanKind::Title {
                    title,
                    head,
                    subordinate,
                },
            });
            i = end;
            continue;
        }
        i += 1;
    }
    coordinated_kinds(tokens, spans, k);
}

/// The end of a part of a place named by a point of the compass at `q` ("West Oakland",
/// "Southern California"): the compass word capitalised, not the start of a place the
/// gazetteer names whole ("North Korea", "South Africa"), and a place of the gazetteer
/// right after it.
fn compass_part(
    tokens: &[Token<'_>],
    q: usize,
    end: usize,
    region: Option<(usize, usize)>,
    k: &Knowledge,
) -> Option<usize> {
    let t = &tokens[q];
    if t.all_caps() || !k.compass_parts.contains(t.lower) || region.is_some_and(|(e, _)| e > q + 1)
    {
        return None;
    }
    longest_form(tokens, q + 1, end, k, false).map(|(e, _)| e)
}

/// The head of an event's or a prize's name in the run `p..end` ("Prize" of "Nobel Peace
/// Prize", "Cup" of "Africa Cup of Nations"), after at least one other word.
fn event_head(tokens: &[Token<'_>], p: usize, end: usize) -> Option<usize> {
    (p + 1..end).find(|&q| {
        let t = &tokens[q];
        capitalised_word(t)
            && t.lex.has(Lex::EVENT_HEAD)
            && tokens
                .get(q + 1)
                .is_none_or(|n| q + 1 >= end || matches!(n.lower, "of" | "for"))
    })
}

/// Whether the run `p..run_end` names a prize or an event by the lower-case head after it
/// ("the Budweiser Man of the Match award", "the Sakharov prize"), unless a place of the
/// gazetteer opens it ("the Iraq war" is still Iraq's) or it holds an organisation's name
/// ("the National Basketball Association championship" is the body's).
fn prize_after(
    tokens: &[Token<'_>],
    p: usize,
    run_end: usize,
    limit: usize,
    k: &Knowledge,
) -> bool {
    run_end < limit
        && tokens
            .get(run_end)
            .is_some_and(|h| h.kind == TokKind::Word && !h.cap && h.lex.has(Lex::EVENT_HEAD))
        && longest_form(tokens, p, run_end, k, false).is_none()
        && organisation_in_run(tokens, p, run_end, k).is_none()
}

/// The end of a numbered road's name starting at `p` ("Route 66", "US-75 South", "U.S.
/// Route 66", "State Highway 51"): a capitalised word of `road_heads`, after at most one
/// capitalised word opening the name, then its number, then perhaps a capitalised point of
/// the compass (the direction travelled). A head of one or two letters ("I", "US") needs
/// its number joined by a hyphen ("I-44") or set off after it ("US 169,", "US 75 and
/// Route 66"), so that "the US 2020 budget" stays the country's.
fn numbered_road(tokens: &[Token<'_>], p: usize, limit: usize, k: &Knowledge) -> Option<usize> {
    let number_near = (p + 1..(p + 4).min(limit)).any(|q| tokens[q].kind == TokKind::Number);
    if !number_near {
        return None;
    }
    let head_at = |q: usize| {
        tokens
            .get(q)
            .filter(|t| q < limit && t.cap && t.is_word() && k.road_heads.contains(t.lower))
    };
    let head = if capitalised_word(&tokens[p]) && head_at(p + 1).is_some() {
        p + 1
    } else {
        p
    };
    let h = head_at(head)?;
    let joined = |q: usize| q < limit && tokens[q].start == tokens[q - 1].end;
    let mut q = head + 1;
    let hyphen = joined(q) && tokens[q].text == "-";
    if hyphen {
        q += 1;
    }
    if q >= limit || tokens[q].kind != TokKind::Number || (hyphen && !joined(q)) {
        return None;
    }
    let end = q + 1;
    let compass = end < limit && tokens[end].cap && k.compass_parts.contains(tokens[end].lower);
    // Set off: by punctuation, a direction, or a word joining it to another road ("US 75
    // and State Highway 51").
    let set_off = end >= limit
        || compass
        || (tokens[end].kind == TokKind::Punct && !matches!(tokens[end].text, "%" | "-"))
        || (!tokens[end].cap && numbered_road(tokens, end + 1, limit, k).is_some());
    let letters = h.text.chars().filter(|c| c.is_alphabetic()).count();
    if letters <= 2 && !hyphen && !set_off {
        return None;
    }
    Some(if compass { end + 1 } else { end })
}

/// The end of the run of capitalised words (with name particles and hyphens) from `p`.
fn capitalised_run(tokens: &[Token<'_>], p: usize, limit: usize, k: &Knowledge) -> usize {
    let mut q = p;
    while q < limit {
        let t = &tokens[q];
        if capitalised_word(t) {
            // A place whose name holds lower-case words carries the run over them
            // ("Trinidad and Tobago", "St Vincent and the Grenadines").
            q = longest_form(tokens, q, limit, k, false)
                .map_or(q + 1, |(e, _)| e)
                .max(q + 1);
            continue;
        }
        // "Republican People's Party", "People's Liberation Army": the possessive of a noun
        // of `name_possessives` is a word of the name when a capitalised word follows.
        if q > p
            && t.kind == TokKind::Possessive
            && k.name_possessives.contains(tokens[q - 1].lower)
            && tokens.get(q + 1).is_some_and(capitalised_word)
            && q + 1 < limit
        {
            q += 1;
            continue;
        }
        // Most runs end on a plain lower-case word: only a particle, "of", "for" or a
        // hyphen can carry a run on.
        let particle = name_particle(t);
        let of_for = t.kind == TokKind::Word
            && (matches!(t.lower, "of" | "for") || on_after_cue(tokens, q, limit));
        if !particle && !of_for && !matches!(t.text, "-" | "'" | "\u{2019}") {
            break;
        }
        // "al-Burhan": a particle joined to the name by a hyphen.
        if q > p
            && particle
            && tokens.get(q + 1).is_some_and(|h| h.text == "-")
            && tokens.get(q + 2).is_some_and(capitalised_word)
            && q + 2 < limit
        {
            q += 3;
            continue;
        }
        let next_cap = tokens.get(q + 1).is_some_and(capitalised_word) && q + 1 < limit;
        // A hyphen joins only when written without spaces: "GENEVA - The" is a dateline.
        let joins = (t.kind == TokKind::Punct
            && t.text == "-"
            && tokens[q - 1].end == t.start
            && tokens.get(q + 1).is_some_and(|n| n.start == t.end))
            || particle
            || of_for;
        if q > p && joins && next_cap {
            q += 1;
            continue;
        }
        // "International Committee of the Red Cross", "Ministry of the Interior": "of the"
        // and "for the" join a name as "of" does.
        if q > p
            && of_for
            && tokens.get(q + 1).is_some_and(|n| n.lower == "the")
            && tokens.get(q + 2).is_some_and(capitalised_word)
            && q + 2 < limit
        {
            q += 3;
            continue;
        }
        // "Workers' Party of Korea": a plural's possessive apostrophe, written against its
        // word, joins the capitalised word after it.
        if q > p
            && t.kind == TokKind::Punct
            && matches!(t.text, "'" | "\u{2019}")
            && tokens[q - 1].end == t.start
            && tokens[q - 1].lower.ends_with('s')
            && next_cap
        {
            q += 1;
            continue;
        }
        // "Lee Jae-myung": the lower-case syllable belongs to the name of two words or more.
        if q > p + 1 && syllable_hyphen(tokens, q) && q + 1 < limit {
            q += 2;
            continue;
        }
        break;
    }
    // A run never ends on a particle or a joining word.
    q
}

/// "Commission on Human Rights", "Council on Foreign Relations": "on" at `q` carries an
/// organisation's name on after its cue when a capitalised word follows that is no date,
/// no place and no other word kept out of names ("the Council on Monday", "the Commission
/// on Iran" stay apart).
fn on_after_cue(tokens: &[Token<'_>], q: usize, limit: usize) -> bool {
    let cue_before = q > 0 && {
        let c = &tokens[q - 1];
        capitalised_word(c) && c.lex.has(Lex::ORG_CUE)
    };
    cue_before
        && q + 1 < limit
        && tokens.get(q).is_some_and(|t| t.lower == "on")
        && tokens.get(q + 1).is_some_and(|n| {
            capitalised_word(n)
                && !n.all_caps()
                && ![
                    Lex::NOT_NAME,
                    Lex::REGION_START,
                    Lex::GIVEN_NAME,
                    Lex::DEMONYM,
                ]
                .iter()
                .any(|&bit| n.lex.has(bit))
        })
}

/// The last organisation cue of the run `start..end` that closes a name (after another word)
/// or opens one (before "of", "for" or "on"), and where a title before the name of a person
/// ends the body's name ("Bank of Japan Governor Kazuo Ueda").
fn cue_in_run(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    k: &Knowledge,
) -> (Option<usize>, Option<usize>) {
    let mut last_cue = None;
    let mut words = 0;
    let mut title_cut = None;
    let mut q = start;
    while q < end {
        let t = &tokens[q];
        if t.kind == TokKind::Word {
            let is_cue = t.lex.has(Lex::ORG_CUE);
            if words > 0
                && !is_cue
                && let Some(m) = match_title(tokens, q, end, k).filter(|m| m.2 == q)
            {
                if m.0 < end {
                    let mut cut = q;
                    // "Department of Energy Secretary X": a cue is the name's, not the title's.
                    while cut > start + 1
                        && tokens[cut - 1].lex.has(Lex::TITLE_MODIFIER)
                        && !tokens[cut - 1].lex.has(Lex::ORG_CUE)
                    {
                        cut -= 1;
                    }
                    // A title that is all the complement holds ("Office of the Prime
                    // Minister Keir Starmer") is a word of the name.
                    let complement = !matches!(tokens[cut - 1].lower, "of" | "for" | "the");
                    title_cut = Some(if complement { cut } else { m.0 });
                }
                break;
            }
            // "Senate of the United States": a cue that opens a longer place's name is a
            // word of the place.
            if is_cue
                && words > 0
                && let Some((e, _)) = longest_form(tokens, q, end, k, false).filter(|r| r.0 > q + 1)
            {
                words += 1;
                q = e;
                continue;
            }
            if is_cue
                && t.cap
                && (words > 0
                    || tokens
                        .get(q + 1)
                        .is_some_and(|n| matches!(n.lower, "of" | "for"))
                    || on_after_cue(tokens, q + 1, end))
            {
                last_cue = Some(q);
            }
            words += 1;
        }
        q += 1;
    }
    (last_cue, title_cut)
}

/// An organisation inside a capitalised run: a run holding an organisation cue after
/// another name word ("NBC News", "Direct Investment Fund"), or a cue followed by "of"
/// ("Ministry of Defence"). Returns the organisation's token range.
fn organisation_in_run(
    tokens: &[Token<'_>],
    p: usize,
    end: usize,
    k: &Knowledge,
) -> Option<(usize, usize)> {
    // Most runs hold no cue at all: no need to look for where one would end.
    let is_cue = |t: &Token<'_>| t.kind == TokKind::Word && t.cap && t.lex.has(Lex::ORG_CUE);
    if !tokens.get(p..end)?.iter().any(is_cue) {
        return None;
    }
    let mut start = p;
    while start < end
        && tokens[start].lex.has(Lex::NOT_NAME)
        && !k.org_openers.contains(tokens[start].lower)
    {
        start += 1;
    }
    let (mut last_cue, mut title_cut) = cue_in_run(tokens, start, end, k);
    // "US Steel", "US Army": a place kept out of names on its own ("US", as "US$" is) opens a
    // name that is nothing without it; "the U.S. Supreme Court" leaves "Supreme Court".
    if last_cue.is_none()
        && start > p
        && longest_form(tokens, start - 1, end, k, false).is_some_and(|(e, _)| e == start)
    {
        start -= 1;
        (last_cue, title_cut) = cue_in_run(tokens, start, end, k);
    }
    let cue = last_cue?;
    // "Delegates of the Workers' Party": words before an "of" that hold no cue name no part
    // of the organisation after it.
    let first_cue = (start..=cue)
        .find(|&x| tokens[x].lex.has(Lex::ORG_CUE) && tokens[x].cap)
        .unwrap_or(cue);
    if let Some(of) = (start + 1..first_cue)
        .rev()
        .find(|&x| matches!(tokens[x].lower, "of" | "for"))
    {
        start = of + 1;
        if tokens[start].lower == "the" {
            start += 1;
        }
    }
    // "John Hopfield of Princeton University": a person named before "of" is no part of the
    // organisation.
    if tokens[start].lex.has(Lex::GIVEN_NAME)
        && let Some(of) = (start + 1..cue).find(|&x| matches!(tokens[x].lower, "of" | "at"))
    {
        start = of + 1;
    }
    // "Ministry of Foreign Affairs": the part after "of"/"for" belongs to the name, even
    // when a word of it is a cue too ("Organisation of the Petroleum Exporting Countries").
    let opens_complement = |x: usize| {
        x + 1 < end
            && tokens[x].cap
            && tokens[x].lex.has(Lex::ORG_CUE)
            && (matches!(tokens[x + 1].lower, "of" | "for") || on_after_cue(tokens, x + 1, end))
    };
    let org_end = if (start..=cue).any(opens_complement) {
        title_cut.unwrap_or(end)
    } else {
        cue + 1
    };
    Some((start, org_end))
}

/// Splits a capitalised run without an organisation cue into regions, demonyms, titles,
/// persons and candidates.
fn classify_run(
    tokens: &[Token<'_>],
    p: usize,
    end: usize,
    sentence_start: usize,
    k: &Knowledge,
    spans: &mut Vec<Span>,
) {
    let mut q = p;
    while q < end {
        let t = &tokens[q];
        if t.kind != TokKind::Word || !t.cap {
            q += 1;
            continue;
        }
        if let Some((e, idx)) = longest_form(tokens, q, end.max(q + 1), k, true) {
            spans.push(Span {
                start: q,
                end: e,
                kind: SpanKind::Named(idx),
            });
            q = e;
            continue;
        }
        if party_plural(tokens, q, end, k) {
            spans.push(Span {
                start: q,
                end: q + 2,
                kind: SpanKind::Org,
            });
            q += 2;
            continue;
        }
        // Every path below asks for the place starting here, so it is looked up once.
        let region = longest_form(tokens, q, end, k, false);
        // "West Oakland", "Southern California": a part of a place, a place of its own.
        if let Some(e) = compass_part(tokens, q, end, region, k) {
            spans.push(Span {
                start: q,
                end: e,
                kind: SpanKind::Candidate {
                    fallback: Some("Region"),
                },
            });
            q = e;
            continue;
        }
        // A given name that is also a place ("Vladimir", "Austin") starts a person's name
        // when a capitalised surname follows it.
        // A surname that is also a town ("Marco Rubio") does not stop it either, unless the
        // two words together name a place.
        let given = t.lex.has(Lex::GIVEN_NAME) || place_as_given(tokens, q, end, region, spans, k);
        // "Volker Turk": a demonym that ends the name after a given name is a surname when
        // the name is set apart from what follows (a title before it, a speech verb or
        // punctuation after it), not an adjective of the next noun ("Maria Italian wine").
        let demonym_surname = |n: &Token<'_>| {
            q + 2 == end
                && !n.all_caps()
                && longest_demonym(tokens, q + 1, end, k).is_some_and(|(e, _)| e == end)
                && (after_title(spans, q)
                    || tokens
                        .get(end)
                        .is_none_or(|a| a.kind != TokKind::Word || a.lex.has(Lex::SPEECH_VERB)))
        };
        let person_first = given
            && tokens.get(q + 1).is_some_and(|n| {
                q + 1 < end
                    && capitalised_word(n)
                    && match_title(tokens, q + 1, end, k).is_none()
                    && (!n.lex.has(Lex::DEMONYM) || demonym_surname(n))
            })
            && region.is_none_or(|(e, _)| e == q + 1);
        // "Cleveland Cavaliers": a place followed by one capitalised plural that ends the
        // run is a team or a club; after "the" even when the place is also a given name
        // ("the Cleveland Cavaliers", never "the Austin Collins").
        let team = region.is_some_and(|(e, _)| {
            e + 1 == end
                && tokens[e].kind == TokKind::Word
                && tokens[e].cap
                && tokens[e].text.len() > 3
                && tokens[e].text.ends_with('s')
                && !tokens[e].all_caps()
                && !tokens[e].lex.has(Lex::NOT_NAME)
                && !tokens[e].lex.has(Lex::DEMONYM)
                && longest_form(tokens, e, end, k, false).is_none()
        });
        let after_the = q > sentence_start && tokens[q - 1].lower == "the";
        if (!person_first || team && after_the)
            && let Some((e, idx)) = region
        {
            if team {
                spans.push(Span {
                    start: q,
                    end,
                    kind: SpanKind::Org,
                });
                q = end;
                continue;
            }
            spans.push(Span {
                start: q,
                end: e,
                kind: SpanKind::Region(idx),
            });
            q = e;
            continue;
        }
        if let Some((e, country)) = longest_demonym(tokens, q, end, k) {
            spans.push(Span {
                start: q,
                end: e,
                kind: SpanKind::Demonym(country),
            });
            q = e;
            continue;
        }
        if let Some((e, title, head, subordinate)) = match_title(tokens, q, end, k) {
            spans.push(Span {
                start: q,
                end: e,
                kind: SpanKind::Title {
                    title,
                    head,
                    subordinate,
                },
            });
            q = e;
            continue;
        }
        if t.lex.has(Lex::NOT_NAME) && !surname_he(tokens, q, end, spans) {
            q += 1;
            continue;
        }
        let next_cap = q + 1 < end && tokens.get(q + 1).is_some_and(capitalised_word);
        // "Mathematician Hermann Weyl", "Rivals Goldman Sachs": a role noun capitalised only
        // because it opens the sentence is the role before the name, no word of it.
        // "Battle of Hastings", "Treaty of Rome": the head of an event's name before "of"
        // names nothing; the place after it still does.
        let sentence_role = q == sentence_start && t.lex.has(Lex::PERSON_ROLE) && next_cap;
        let event_of = t.lex.has(Lex::EVENT_HEAD)
            && tokens
                .get(q + 1)
                .is_some_and(|n| q + 1 < end && matches!(n.lower, "of" | "for"));
        if sentence_role || event_of {
            q += 1;
            continue;
        }
        // An unknown stretch: capitalised words that are nothing of the above.
        let mut r = q + 1;
        while r < end {
            let u = &tokens[r];
            if u.kind == TokKind::Word && !u.cap {
                if !name_particle(u) && !syllable_hyphen(tokens, r - 1) {
                    break;
                }
                r += 1;
                continue;
            }
            if u.kind != TokKind::Word && u.text != "-" {
                break;
            }
            if u.kind == TokKind::Word {
                let surname_after_given =
                    r == q + 1 && (person_first || place_as_surname(tokens, q, end, spans, k));
                // "Park An-ho": a syllable of a romanised given name is no word of English.
                if r + 2 < end && syllable_hyphen(tokens, r + 1) {
                    r += 1;
                    continue;
                }
                if !is_initial(u)
                    && ((u.lex.has(Lex::DEMONYM) && !surname_after_given)
                        || u.lex.has(Lex::NOT_NAME)
                        || match_title(tokens, r, end, k).is_some()
                        || (!surname_after_given
                            && longest_form(tokens, r, end, k, false).is_some()))
                {
                    break;
                }
            }
            r += 1;
        }
        while r > q + 1
            && (tokens[r - 1].kind != TokKind::Word || !tokens[r - 1].cap)
            && !syllable_hyphen(tokens, r - 2)
        {
            r -= 1;
        }
        let kind = classify_unknown(tokens, q, r, sentence_start, spans, k);
        spans.push(Span {
            start: q,
            end: r,
            kind,
        });
        q = r;
    }
}

/// "Social Democrats", "Sweden Democrats": whether `tokens[q]` and the plural after it
/// (`party_members`) name a party. The first word is no title's, no body's ("Senate
/// Democrats"), no people's ("American Republicans") and none kept out of names ("Many
/// Democrats").
fn party_plural(tokens: &[Token<'_>], q: usize, end: usize, k: &Knowledge) -> bool {
    let (Some(first), Some(plural)) = (tokens.get(q), tokens.get(q + 1)) else {
        return false;
    };
    q + 2 <= end
        && capitalised_word(first)
        && capitalised_word(plural)
        && !first.all_caps()
        && k.party_members.contains(plural.lower)
        && ![Lex::NOT_NAME, Lex::ORG_CUE, Lex::DEMONYM, Lex::TITLE_START]
            .iter()
            .any(|&bit| first.lex.has(bit))
}

/// "Committee on Foreign Investment in the United States", "Board of Control for Cricket in
/// India": the end of the name `p..end` of a body carried on by "in" and the country or
/// continent it serves, when its head (`scope_heads`) opens a complement that names no place.
/// "The Bank of England in London", "the Ministry of Health in Kabul" and "the Council in
/// Paris" stay apart.
fn scope_place(
    tokens: &[Token<'_>],
    p: usize,
    end: usize,
    limit: usize,
    k: &Knowledge,
) -> Option<usize> {
    if tokens.get(end).is_none_or(|t| t.lower != "in") {
        return None;
    }
    let head =
        (p..end).find(|&x| capitalised_word(&tokens[x]) && tokens[x].lex.has(Lex::ORG_CUE))?;
    if !k.scope_heads.contains(tokens[head].lower)
        || tokens
            .get(head + 1)
            .is_none_or(|t| !matches!(t.lower, "of" | "for" | "on"))
        || (head + 2..end).any(|x| longest_form(tokens, x, end, k, false).is_some())
    {
        return None;
    }
    let mut at = end + 1;
    if tokens.get(at).is_some_and(|t| t.lower == "the") {
        at += 1;
    }
    if at >= limit {
        return None;
    }
    let (place_end, idx) = longest_form(tokens, at, limit, k, false)?;
    let kind = k.gazetteer.regions[idx].kind;
    // "in India's north": a place that goes on is no end of the name.
    let closes = tokens
        .get(place_end)
        .is_none_or(|t| !capitalised_word(t) && t.kind != TokKind::Possessive);
    (matches!(kind, RegionKind::Country | RegionKind::Continent) && closes).then_some(place_end)
}

/// Whether a capitalised word has a capital after a lower-case letter ("ExxonMobil",
/// "SpaceX") past an opening that is no surname's ("McDonald", "DeSantis":
/// `surname_prefixes`).
fn capital_inside(t: &Token<'_>, k: &Knowledge) -> bool {
    let mut prev_lower = false;
    for (i, c) in t.text.char_indices() {
        if c.is_uppercase() && prev_lower {
            let opening = t.text[..i].to_lowercase();
            return !k.surname_prefixes.contains(opening.as_str());
        }
        prev_lower = c.is_lowercase();
    }
    false
}

/// "Microsoft, Meta Platforms, Alphabet and Amazon": a name no context placed, listed with
/// organisations, is one; "Saada, Yemen", "Kharkiv, Sumy and Dnipro": set off by a comma
/// beside places, it is a place. A given name is left to the resolver.
fn coordinated_kinds(tokens: &[Token<'_>], spans: &mut [Span], k: &Knowledge) {
    let label = |s: &Span| match s.kind {
        SpanKind::Org => Some("Organization"),
        SpanKind::Region(_) => Some("Region"),
        SpanKind::Named(idx) => Some(k.entity_list[idx].label),
        SpanKind::Candidate { fallback } => fallback,
        _ => None,
    };
    // Whether the words between two spans join them in a list: `Some(comma)`.
    let joined = |a: &Span, b: &Span| -> Option<bool> {
        let and_or = |t: &Token<'_>| matches!(t.lower, "and" | "or");
        match tokens.get(a.end..b.start)? {
            [c] if c.text == "," => Some(true),
            [c, w] if c.text == "," && and_or(w) => Some(true),
            [w] if and_or(w) => Some(false),
            _ => None,
        }
    };
    // Twice, so that a label travels along a list of several unknown names.
    for _ in 0..2 {
        for i in 0..spans.len() {
            if spans[i].kind != (SpanKind::Candidate { fallback: None })
                || tokens[spans[i].start].lex.has(Lex::GIVEN_NAME)
            {
                continue;
            }
            let before = i.checked_sub(1).and_then(|j| {
                let comma = joined(&spans[j], &spans[i])?;
                Some((label(&spans[j])?, comma))
            });
            let after = spans.get(i + 1).and_then(|n| {
                let comma = joined(&spans[i], n)?;
                Some((label(n)?, comma))
            });
            let found = [before, after]
                .into_iter()
                .flatten()
                .find_map(|(l, comma)| {
                    (l == "Organization" || l == "Region" && comma).then_some(l)
                });
            if let Some(l) = found {
                spans[i].kind = SpanKind::Candidate { fallback: Some(l) };
            }
        }
    }
}

/// Whether a speech verb at `r` is followed by a pronoun for a thing ("said it", "said
/// that its").
fn speaks_of_itself(tokens: &[Token<'_>], r: usize, k: &Knowledge) -> bool {
    let thing = |x: usize| {
        tokens.get(x).is_some_and(|t| {
            k.pronouns
                .get(t.lower)
                .is_some_and(|p| p.refers == super::rules::Referent::Thing)
        })
    };
    if !tokens.get(r).is_some_and(|t| t.lex.has(Lex::SPEECH_VERB)) {
        return false;
    }
    // "said on Instagram that it", "said in a statement it": a short phrase opened by a
    // preposition may stand between the verb and what it says.
    let mut x = r + 1;
    if tokens
        .get(x)
        .is_some_and(|t| k.prepositions.contains(t.lower) || t.lower == "in")
    {
        let limit = (x + 5).min(tokens.len());
        x += 1;
        while x < limit && tokens[x].kind == TokKind::Word && !thing(x) && tokens[x].lower != "that"
        {
            x += 1;
        }
    }
    thing(x) || tokens.get(x).is_some_and(|t| t.lower == "that") && thing(x + 1)
}

/// "CAPE CANAVERAL, Florida - NASA's probe", "NICE, France -": a name in capitals that
/// opens a sentence, set off by a comma before capitalised words (its state or country)
/// and the dash that opens the story, is the place of a dateline.
fn dateline_place(tokens: &[Token<'_>], q: usize, r: usize, sentence_start: usize) -> bool {
    let capitals = tokens[q..r]
        .iter()
        .all(|t| t.kind != TokKind::Word || t.all_caps());
    let dash = |t: &Token<'_>| matches!(t.text, "-" | "\u{2013}" | "\u{2014}");
    q == sentence_start
        && capitals
        && tokens.get(r).is_some_and(|t| t.text == ",")
        && tokens
            .get(r + 1..)
            .and_then(|rest| rest.iter().take(5).position(dash))
            .is_some_and(|d| {
                d > 0
                    && tokens[r + 1..r + 1 + d]
                        .iter()
                        .all(|t| t.kind == TokKind::Word && t.cap || t.text == "." || t.text == ",")
            })
}

/// Whether a title ends right before `q` ("Defence Minister | Israel Ganz").
fn after_title(spans: &[Span], q: usize) -> bool {
    spans
        .last()
        .is_some_and(|s| s.end == q && matches!(s.kind, SpanKind::Title { .. }))
}

/// "Kyrie Irving, who won", "Kyrie Irving said": a capitalised word no lexicon knows
/// followed by a place of one word that ends the run is a person's name when the two are
/// set apart as a person (a title or a role before them, a speech verb, ", who" or a
/// title's apposition after them).
fn place_as_surname(
    tokens: &[Token<'_>],
    q: usize,
    end: usize,
    spans: &[Span],
    k: &Knowledge,
) -> bool {
    q + 2 == end
        && !tokens[q].all_caps()
        && !tokens[q].lex.has(Lex::NOT_NAME)
        && longest_form(tokens, q + 1, end, k, false).is_some_and(|(e, _)| e == end)
        && (after_title(spans, q)
            || q > 0 && tokens[q - 1].lex.has(Lex::PERSON_ROLE)
            || tokens.get(end).is_some_and(|a| a.lex.has(Lex::SPEECH_VERB))
            || appositive_person(tokens, q, end, spans, k))
}

/// "Defence Minister Israel Ganz", "Israel Ganz said": a place of one word that opens a
/// person's name as a given name does, when a capitalised word no lexicon knows follows it
/// and ends the run, and the two follow a title or say something.
fn place_as_given(
    tokens: &[Token<'_>],
    q: usize,
    end: usize,
    region: Option<(usize, usize)>,
    spans: &[Span],
    k: &Knowledge,
) -> bool {
    let Some(n) = tokens.get(q + 1).filter(|_| q + 2 == end) else {
        return false;
    };
    region.is_some_and(|(e, _)| e == q + 1)
        && capitalised_word(n)
        && !n.all_caps()
        && ![
            Lex::NOT_NAME,
            Lex::ORG_CUE,
            Lex::REGION_CUE,
            Lex::EVENT_HEAD,
            Lex::DEMONYM,
        ]
        .iter()
        .any(|&bit| n.lex.has(bit))
        && match_title(tokens, q + 1, end, k).is_none()
        && longest_form(tokens, q + 1, end, k, false).is_none()
        && longest_form(tokens, q + 1, end, k, true).is_none()
        && (after_title(spans, q) || tokens.get(end).is_some_and(|a| a.lex.has(Lex::SPEECH_VERB)))
}

/// Whether commas around the stretch `q..r` set a person's name apart: "the chief negotiator,
/// X Y," after a title, or "X Y, the region's president" / "X Y, who" / "X Y, 45," before a
/// description. A company before a comma ("Novo Nordisk, the drugmaker") is none of these.
fn appositive_person(
    tokens: &[Token<'_>],
    q: usize,
    r: usize,
    spans: &[Span],
    k: &Knowledge,
) -> bool {
    let after_titled_comma = q > 0
        && tokens[q - 1].text == ","
        && spans
            .last()
            .is_some_and(|s| s.end == q - 1 && matches!(s.kind, SpanKind::Title { .. }));
    if after_titled_comma {
        return true;
    }
    if tokens.get(r).is_none_or(|n| n.text != ",") {
        return false;
    }
    let Some(next) = tokens.get(r + 1) else {
        return false;
    };
    matches!(next.lower, "who" | "whose")
        || next.text.chars().all(|c| c.is_ascii_digit())
        || (r + 1..(r + 6).min(tokens.len())).any(|x| {
            tokens[x].text != ","
                && match_title(tokens, x, tokens.len(), k)
                    .is_some_and(|(_, t, ..)| k.title_list[t].relation.is_some())
        })
}

/// The label of the description (`descriptions` in `rules/lexicon.ron`: "city", "town",
/// "company", "carmaker") that the word at `x` heads, when it is written in lower case.
fn description_label(tokens: &[Token<'_>], x: usize, k: &Knowledge) -> Option<&'static str> {
    let t = tokens.get(x)?;
    if t.cap || !t.lex.has(Lex::DESCRIPTION_HEAD) {
        return None;
    }
    k.descriptions.get(t.lower)?.first().map(|d| d.label)
}

/// Whether the words before the description head at `head` open a description: back over
/// its modifiers (lower-case words, demonyms) to "the", "a" or "an", or to a demonym that
/// opens it ("German carmaker"), at most three words back.
fn description_opens(tokens: &[Token<'_>], head: usize, floor: usize) -> bool {
    let mut x = head;
    while x > floor && x + 4 > head {
        x -= 1;
        let t = &tokens[x];
        if t.kind != TokKind::Word {
            return false;
        }
        if matches!(t.lower, "the" | "a" | "an") {
            return true;
        }
        if t.cap {
            return t.lex.has(Lex::DEMONYM);
        }
    }
    false
}

/// What a description beside the unknown stretch `q..r` says it names: one before it ("the
/// town of X", "the city of X" for a place; "the carmaker X", "Japanese carmaker X" for a
/// body) or an apposition after it ("X, the capital of Y", "X, a town in Y", "X, the
/// German engineering group, said"). The apposition's head must end it or be followed by
/// a preposition or a clause, so "X, the company's chief" describes no X.
fn described_as(
    tokens: &[Token<'_>],
    q: usize,
    r: usize,
    sentence_start: usize,
    k: &Knowledge,
) -> Option<&'static str> {
    if q >= sentence_start + 2 {
        let before = if tokens[q - 1].lower == "of" {
            // "the town of X": only a place is "of" its name.
            description_label(tokens, q - 2, k)
                .filter(|&l| l == "Region")
                .map(|l| (q - 2, l))
        } else {
            description_label(tokens, q - 1, k)
                .filter(|&l| l == "Organization")
                .map(|l| (q - 1, l))
        };
        if let Some((head, label)) = before
            && description_opens(tokens, head, sentence_start)
        {
            return Some(label);
        }
    }
    if tokens.get(r).is_none_or(|t| t.text != ",")
        || tokens
            .get(r + 1)
            .is_none_or(|t| !matches!(t.lower, "the" | "a" | "an"))
    {
        return None;
    }
    let mut x = r + 2;
    while x < tokens.len() && x < r + 8 {
        let t = &tokens[x];
        // "X, the world's largest car parts supplier": a possessive among the modifiers.
        if matches!(t.lower, "'s" | "\u{2019}s") && x > r + 2 && !tokens[x - 1].cap {
            x += 1;
            continue;
        }
        // Modifiers only: a preposition ("the head of the village") or a name ends it.
        if t.kind != TokKind::Word
            || (t.cap && !t.lex.has(Lex::DEMONYM))
            || k.prepositions.contains(t.lower)
        {
            return None;
        }
        if let Some(label) = description_label(tokens, x, k) {
            let closes = tokens
                .get(x + 1)
                .is_none_or(|n| k.description_closers.contains(n.lower));
            return closes.then_some(label);
        }
        x += 1;
    }
    None
}

/// "Eli Lilly (LLY.N)", "Novo Nordisk (NOVOb.CO)", "Tesla (NASDAQ: TSLA)": a stock ticker in
/// brackets right after a name says it is a listed company: a code, a dot and an exchange's
/// letters, or an exchange in capitals, a colon and a code.
fn ticker_after(tokens: &[Token<'_>], r: usize) -> bool {
    let code = |t: &Token<'_>| {
        t.text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.')
            && t.text.chars().any(|c| c.is_ascii_uppercase())
    };
    let dotted = |t: &Token<'_>| {
        t.text.rsplit_once('.').is_some_and(|(base, exchange)| {
            !base.is_empty()
                && (1..=2).contains(&exchange.len())
                && exchange.chars().all(|c| c.is_ascii_uppercase())
                && code(t)
        })
    };
    let Some(rest) = tokens.get(r..(r + 5).min(tokens.len())) else {
        return false;
    };
    match rest {
        [open, t, close, ..] if open.text == "(" && close.text == ")" => dotted(t),
        [open, exchange, colon, t, close, ..] => {
            open.text == "("
                && close.text == ")"
                && colon.text == ":"
                && exchange.all_caps()
                && code(t)
                && t.all_caps()
        }
        _ => false,
    }
}

/// Decides what an unknown capitalised stretch is from its shape and its neighbours.
fn classify_unknown(
    tokens: &[Token<'_>],
    q: usize,
    r: usize,
    sentence_start: usize,
    spans: &[Span],
    k: &Knowledge,
) -> SpanKind {
    let words = tokens[q..r]
        .iter()
        .filter(|t| t.kind == TokKind::Word)
        .count();
    let first = &tokens[q];
    // "S. Jaishankar": an initial before a capitalised word opens a person's name as a
    // given name does.
    let given = first.lex.has(Lex::GIVEN_NAME) || (words >= 2 && is_initial(first));
    let prev = (q > sentence_start).then(|| &tokens[q - 1]);
    // "smuggler X Y" and "journalist X" are people; after a role a company holds as well
    // ("rival Airbus", "rival Luckin Coffee": `shared_roles`) only a name that opens with a
    // given name or an initial is.
    let role = prev.is_some_and(|p| {
        p.lex.has(Lex::PERSON_ROLE) && (given || !k.shared_roles.contains(p.lower))
    });
    // "the town of X", "X, the capital of Y", "the carmaker X": a description names its kind,
    // even of a name opening with a given name ("the city of Tal Afar", "the drugmaker Novo
    // Nordisk").
    // A name of several words described as a body is one ("Novo Nordisk"), and so is an
    // acronym ("the news agency AFP"); another single word stays a candidate, so that a
    // person known by that surname keeps it.
    let acronym = first.all_caps() && first.text.chars().count() <= 6;
    if let Some(label) = described_as(tokens, q, r, sentence_start, k) {
        if label == "Organization" && (words >= 2 || acronym) {
            return SpanKind::Org;
        }
        return SpanKind::Candidate {
            fallback: Some(label),
        };
    }
    // "Analysts at Morgan Stanley", "an engineer at Foxlink": people who work at a name
    // work at a body.
    // "Shares of Volvex fell", "Volvex shares fell": a name whose shares are traded is a
    // company.
    let member = q >= sentence_start + 2
        && tokens[q - 1].lower == "at"
        && k.member_nouns.contains(tokens[q - 2].lower);
    let held = q >= sentence_start + 2
        && matches!(tokens[q - 1].lower, "of" | "in")
        && k.holding_nouns.contains(tokens[q - 2].lower)
        || tokens
            .get(r)
            .is_some_and(|n| !n.cap && k.holding_nouns.contains(n.lower))
            // "Keller shares the concern", "Keller shares his view": the verb.
            && tokens.get(r + 1).is_none_or(|a| {
                !k.determiners.contains(a.lower) && !a.lex.has(Lex::PERSON_PRONOUN)
            });
    if member || held || ticker_after(tokens, r) {
        if words >= 2 || acronym {
            return SpanKind::Org;
        }
        return SpanKind::Candidate {
            fallback: Some("Organization"),
        };
    }
    // "Tawila, where thousands had fled", "Kestrup, north of Aarhus": a name a relative or
    // a position of place refers to is a place.
    if tokens.get(r).is_some_and(|n| n.text == ",")
        && r + 1 < tokens.len()
        && phrase_end(&k.place_relatives, tokens, r + 1, tokens.len()).is_some()
        && !(words >= 2 && given)
    {
        return SpanKind::Candidate {
            fallback: Some("Region"),
        };
    }
    // "ExxonMobil", "LinkedIn": a word with a capital inside names a company or a brand.
    if words == 1 && !given && capital_inside(first, k) {
        return SpanKind::Candidate {
            fallback: Some("Organization"),
        };
    }
    // "Renault said its profits fell", "Foxlink said it would": a name that speaks of
    // itself as "it" is a body. "rival Luckin Coffee", "promoter Starline Live": after a
    // role a company holds as well as a person, a name that does not open as a person's
    // does is a body too.
    let shared_role = prev.is_some_and(|p| k.shared_roles.contains(p.lower)) && !given;
    if !given && speaks_of_itself(tokens, r, k) || shared_role {
        if words >= 2 {
            return SpanKind::Org;
        }
        return SpanKind::Candidate {
            fallback: Some("Organization"),
        };
    }
    if words >= 2 {
        // Two capitalised words are a person when they start with a given name, follow a
        // title or a role ("smuggler X Y"), or say something; otherwise a company, a club
        // or a body is likelier ("Goldman Sachs", "Novo Nordisk").
        let after_title = spans.last().is_some_and(|s| {
            s.end == q && matches!(s.kind, SpanKind::Title { .. } | SpanKind::Demonym(_))
        });
        let speaks = tokens.get(r).is_some_and(|n| n.lex.has(Lex::SPEECH_VERB))
            || appositive_person(tokens, q, r, spans, k);
        // "Yau Wai-ching", "Lee Jae-myung": a surname and a given name of two romanised
        // syllables joined by a hyphen, the second in lower case, is a person's name.
        let syllables = r >= q + 4 && syllable_hyphen(tokens, r - 2);
        // "Tulsa International Airport", "George Washington Bridge": a given name opens
        // them, but the head of a place's name (`region_cues`) closes them.
        if given && tokens[r - 1].lex.has(Lex::REGION_CUE) {
            return SpanKind::Candidate {
                fallback: Some("Region"),
            };
        }
        if given || after_title || role || speaks || syllables {
            return SpanKind::Person;
        }
        // Otherwise it may be anything: a company, a club, an event, a work. It becomes an
        // organisation only with an organisation's context, below.
    }
    let after_title = spans
        .last()
        .is_some_and(|s| s.end == q && matches!(s.kind, SpanKind::Title { .. }));
    if after_title || role {
        return SpanKind::Candidate {
            fallback: Some("Person"),
        };
    }
    // "St Vincent", "Saint Helena": a saint's name is a place.
    if words >= 2 && k.place_openers.contains(first.lower) {
        return SpanKind::Candidate {
            fallback: Some("Region"),
        };
    }
    if dateline_place(tokens, q, r, sentence_start) {
        return SpanKind::Candidate {
            fallback: Some("Region"),
        };
    }
    if acronym {
        return SpanKind::Org;
    }
    if given {
        return SpanKind::Candidate { fallback: None };
    }
    let next = tokens.get(r);
    let before_title = next.is_some_and(|n| {
        !n.cap
            && match_title(tokens, r, tokens.len(), k)
                .is_some_and(|(_, title, ..)| k.title_list[title].relation.is_some())
    });
    if next.is_some_and(|n| !n.cap && n.lex.has(Lex::REGION_CUE)) {
        return SpanKind::Candidate {
            fallback: Some("Region"),
        };
    }
    let before_cue = next.is_some_and(|n| !n.cap && n.lex.has(Lex::ORG_CUE));
    let after_the = prev.is_some_and(|p| p.lower == "the");
    if before_title || before_cue || after_the || after_source_cue(tokens, q, sentence_start, k) {
        return SpanKind::Candidate {
            fallback: Some("Organization"),
        };
    }
    SpanKind::Candidate { fallback: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::article::{sentences, tokenize_for_test};
    use crate::ingest::rules::test_knowledge;

    /// Recognises the first sentence of `text` and lists "kind:text" for each span.
    fn check(text: &str) -> Vec<String> {
        let k = test_knowledge();
        let (toks, text) = tokenize_for_test(text);
        let sent = sentences(&toks).remove(0);
        let mut spans = Vec::new();
        recognize(&toks, sent, &k, &mut spans);
        spans
            .into_iter()
            .map(|s| {
                let kind = match s.kind {
                    SpanKind::Region(_) => "region",
                    SpanKind::Demonym(_) => "demonym",
                    SpanKind::Named(_) => "named",
                    SpanKind::Person => "person",
                    SpanKind::Org => "org",
                    SpanKind::Candidate { fallback: None } => "candidate",
                    SpanKind::Candidate {
                        fallback: Some("Person"),
                    } => "candidate-person",
                    SpanKind::Candidate { .. } => "candidate-org",
                    SpanKind::Title { .. } => "title",
                    SpanKind::Group => "group",
                    SpanKind::Pronoun => "pronoun",
                    SpanKind::Speaker => "speaker",
                };
                format!("{kind}:{}", &text[toks[s.start].start..toks[s.end - 1].end])
            })
            .collect()
    }

    #[test]
    fn organisation_names_with_openers_joiners_and_teams() {
        let spans =
            check("Analysts at the National Grain Board and the Office for Rail Safety agreed.");
        assert!(
            spans.contains(&"org:National Grain Board".to_string()),
            "{spans:?}"
        );
        assert!(
            spans.contains(&"org:Office for Rail Safety".to_string()),
            "{spans:?}"
        );
        let spans =
            check("Filings with the Patents and Trade Mark Commission named Smith & Brandt.");
        assert!(
            spans.contains(&"org:Patents and Trade Mark Commission".to_string()),
            "{spans:?}"
        );
        assert!(
            spans.contains(&"org:Smith & Brandt".to_string()),
            "{spans:?}"
        );
        let spans = check("The Berlin Falcons beat Paris in Geneva and Germany and France met.");
        assert!(
            spans.contains(&"org:Berlin Falcons".to_string()),
            "{spans:?}"
        );
        assert!(spans.contains(&"region:Germany".to_string()), "{spans:?}");
        assert!(spans.contains(&"region:France".to_string()), "{spans:?}");
    }

    #[test]
    fn datelines_people_of_bodies_and_companies_before_commas() {
        let spans = check("BERLIN - The Grain Board met.");
        assert!(spans.contains(&"org:Grain Board".to_string()), "{spans:?}");
        let spans = check("The prize went to John Keller of Vienna University.");
        assert!(
            spans.contains(&"org:Vienna University".to_string()),
            "{spans:?}"
        );
        assert!(
            !spans.iter().any(|s| s.starts_with("org:John")),
            "{spans:?}"
        );
        // A company before a comma is no person; a name set apart after a title is.
        let spans = check("Shares of Norvel Pharma, the drugmaker, rose.");
        assert!(
            !spans.contains(&"person:Norvel Pharma".to_string()),
            "{spans:?}"
        );
        let spans = check("The bank's chief negotiator, Tomas Rudd, spoke.");
        assert!(
            spans.contains(&"person:Tomas Rudd".to_string()),
            "{spans:?}"
        );
        let spans = check("Tomas Rudd, the bank's chief negotiator, spoke.");
        assert!(
            spans.contains(&"person:Tomas Rudd".to_string()),
            "{spans:?}"
        );
    }

    #[test]
    fn organisation_names_hold_of_the_and_plural_possessives() {
        let spans =
            check("The Grain Workers' Party of Ruritania met the Committee of the Red Lake.");
        assert!(
            spans.contains(&"org:Grain Workers' Party of Ruritania".to_string()),
            "{spans:?}"
        );
        assert!(
            spans.contains(&"org:Committee of the Red Lake".to_string()),
            "{spans:?}"
        );
        // A possessive 's is no part of the name after it.
        let spans = check("Ruritania's Grain Board met.");
        assert!(spans.contains(&"org:Grain Board".to_string()), "{spans:?}");
    }

    #[test]
    fn prizes_ranks_and_initials() {
        assert_eq!(check("She won the Ruritania Peace Prize."), ["pronoun:She"]);
        let spans = check("Colonel Tomas Rudd met them.");
        assert_eq!(
            spans,
            ["title:Colonel", "person:Tomas Rudd", "pronoun:them"]
        );
        let spans = check("They met T. Keller at noon.");
        assert_eq!(spans, ["pronoun:They", "person:T. Keller"]);
    }

    #[test]
    fn saints_names_are_places() {
        let k = test_knowledge();
        let (toks, _) = tokenize_for_test("The talks were held on St Lucian Island.");
        let sent = sentences(&toks).remove(0);
        let mut spans = Vec::new();
        recognize(&toks, sent, &k, &mut spans);
        let region = SpanKind::Candidate {
            fallback: Some("Region"),
        };
        assert!(spans.iter().any(|s| s.kind == region), "{spans:?}");
    }

    #[test]
    fn surname_he_and_korean_given_names() {
        let spans = check("Chinese Vice Premier He Yiming met Park Min-seok in Seoul.");
        assert!(spans.contains(&"person:He Yiming".to_string()), "{spans:?}");
        assert!(
            spans.iter().any(|s| s.ends_with(":Park Min-seok")),
            "{spans:?}"
        );
        // At the start of a sentence, and without a title, "He" stays the pronoun.
        let spans = check("He met Park Min-seok.");
        assert!(!spans.iter().any(|s| s.contains("He ")), "{spans:?}");
        // A hyphen before a longer lower-case word is no name syllable.
        let spans = check("Moon Seok-ho spoke in Pakistan-administered Kashmir.");
        assert!(
            spans.iter().any(|s| s.ends_with(":Moon Seok-ho")),
            "{spans:?}"
        );
        assert!(
            !spans.iter().any(|s| s.contains("administered")),
            "{spans:?}"
        );
    }

    #[test]
    fn titles_regions_and_people_in_one_run() {
        assert_eq!(
            check(
                "German Foreign Minister Anna Baerbock met French President Emmanuel Macron in Paris."
            ),
            [
                "demonym:German",
                "title:Foreign Minister",
                "person:Anna Baerbock",
                "demonym:French",
                "title:President",
                "person:Emmanuel Macron",
                "region:Paris"
            ]
        );
    }

    #[test]
    fn organisations_from_cues_acronyms_and_context() {
        assert_eq!(
            check(
                "The Qatari Investment Authority told the Bundesbank, according to Bloomberg and the news agency AFP."
            ),
            [
                "org:Qatari Investment Authority",
                "candidate-org:Bundesbank",
                "candidate-org:Bloomberg",
                "org:AFP"
            ]
        );
        assert_eq!(
            check("A Pentagon spokesperson said so."),
            ["candidate-org:Pentagon", "title:spokesperson"]
        );
    }

    #[test]
    fn aliases_initials_and_sentence_starts() {
        assert_eq!(
            check(
                "Meanwhile St. Petersburg and Saint Petersburg hosted John F. Kennedy and Smith."
            ),
            [
                "region:St. Petersburg",
                "region:Saint Petersburg",
                "person:John F. Kennedy",
                "candidate:Smith"
            ]
        );
        assert_eq!(
            check("Both sides said he was right."),
            ["group:Both sides", "pronoun:he"]
        );
    }
}
