//! Title phrases: who leads or represents which body ("Russian President X", "Kremlin
//! spokesperson X", "X's negotiator Y").

use std::sync::Arc;

use super::super::article::{TokKind, Token};
use super::super::resolve::{ArticleState, MentionKind, SentenceInfo, TitleSpan};
use super::super::rules::Knowledge;
use super::{Construction, Evidence, ExFact, collapse_space, standing_rule, standing_type};

/// Title phrases around a person: "Russian President X" (LEADS), "Kremlin spokesperson X",
/// "X's negotiator Y", "Y, a special representative of X" (REPRESENTS). Marks the body
/// mentions as consumed and records who holds which title for descriptions.
pub fn title_facts(
    tokens: &[Token<'_>],
    para: &str,
    k: &Knowledge,
    info: &mut SentenceInfo,
    state: &mut ArticleState,
    evidence: &Evidence,
    out: &mut Vec<ExFact>,
) {
    let text = |s: usize, e: usize| -> String {
        if s >= e {
            String::new()
        } else {
            collapse_space(&para[tokens[s].start..tokens[e - 1].end]).into_owned()
        }
    };
    let lower = |i: usize| tokens.get(i).map_or("", |t| t.lower);
    let (sentence_start, sentence_end) = (info.start, info.end);
    let evidence = || evidence.get(tokens, para, sentence_start, sentence_end);
    // Titles neither add nor remove mentions, nor change their kind or entity: the persons
    // can be picked as the loop goes.
    for pi in 0..info.mentions.len() {
        let m = &info.mentions[pi];
        if m.kind != MentionKind::Name || state.entities[m.ents[0]].label != Some("Person") {
            continue;
        }
        let (p_start, p_end, person) = {
            let m = &info.mentions[pi];
            (m.start, m.end, m.ents[0])
        };
        let mut pos = p_start;
        // Demonyms right before a name are descriptions of the person ("Russian American X").
        while let Some(d) = info
            .mentions
            .iter()
            .position(|m| m.end == pos && m.kind == MentionKind::Demonym)
        {
            info.mentions[d].consumed = true;
            pos = info.mentions[d].start;
        }
        let mut ext_start = pos;
        let mut bare_title = None;
        // "The Kremlin's X": a body's person acts for it.
        if pos >= 2
            && tokens[pos - 1].kind == TokKind::Possessive
            && let Some(a) = info.mentions.iter().position(|m| {
                m.end == pos - 1 && state.entities[m.ents[0]].label == Some("Organization")
            })
        {
            info.mentions[a].consumed = true;
            push_title(
                out,
                evidence,
                state,
                person,
                info.mentions[a].ents[0],
                "REPRESENTS",
                Construction::PossessiveBody,
            );
        }
        let mut pos = p_start;
        // Honorifics ("Sheikh", "Dr.") say nothing of a body: a title phrase before them and
        // a comma still describes the person ("Qatar's prime minister, Sheikh X").
        let mut hpos = p_start;
        while let Some(t) = info
            .titles
            .iter()
            .find(|t| t.end == hpos && k.title_list[t.title].relation.is_none())
        {
            hpos = t.start;
        }
        if hpos > info.start
            && tokens[hpos - 1].text == ","
            && let Some(t) = info.titles.iter().find(|t| t.end == hpos - 1).copied()
        {
            pos = hpos - 1;
            names_holder(tokens, k, info, &t, person);
        } else if hpos > info.start + 2 && tokens[hpos - 1].text == "," {
            // "the EU's special envoy for the dialogue, X": the title's brief sits between
            // it and the comma.
            if let Some(t) = info.titles.iter().find(|t| {
                t.end + 1 < hpos - 1
                    && t.end + 6 >= hpos - 1
                    && matches!(lower(t.end), "for" | "on" | "to" | "in")
                    && (t.end..hpos - 1).all(|x| {
                        tokens[x].kind == TokKind::Word
                            && (!tokens[x].cap
                                || info.mentions.iter().any(|m| m.start <= x && x < m.end))
                    })
            }) {
                pos = t.end;
            }
        }
        // "The head of the agency X, Y" and "the Emir of Qatar, Sheikh Y": a title with its
        // body after "of", then a comma and the name.
        if hpos > info.start + 2
            && tokens[hpos - 1].text == ","
            && let Some(a) = info.mentions.iter().position(|m| {
                m.end == hpos - 1 && m.kind == MentionKind::Name && m.ents[0] != person
            })
        {
            let mut of = info.mentions[a].start;
            if of > info.start && tokens[of - 1].lower == "the" {
                of -= 1;
            }
            if of > info.start
                && tokens[of - 1].lower == "of"
                && let Some(t) = info.titles.iter().find(|t| t.end == of - 1).copied()
                && let Some(rel) = title_relation(k, &t)
            {
                let a_ent = info.mentions[a].ents[0];
                info.mentions[a].consumed = true;
                record_title(
                    out,
                    evidence,
                    state,
                    tokens[t.head].lower,
                    person,
                    a_ent,
                    Some(rel),
                    Construction::TitleOfBefore,
                );
            }
        }
        while let Some(t) = info.titles.iter().find(|t| t.end == pos).copied() {
            let relation = title_relation(k, &t);
            let mut next = t.start;
            let possessive =
                t.start > info.start && tokens[t.start - 1].kind == TokKind::Possessive;
            let aff_end = if possessive { t.start - 1 } else { t.start };
            let mut aff = info.mentions.iter().position(|m| {
                m.end == aff_end
                    && m.start < aff_end
                    && !(m.kind == MentionKind::Name && m.start == p_start)
            });
            // "Trump's Middle East envoy": a region between a possessive and the title is
            // the brief, and the possessor is the one represented.
            if !possessive
                && let Some(a) = aff
                && state.entities[info.mentions[a].ents[0]].label == Some("Region")
                && info.mentions[a].start > info.start + 1
                && tokens[info.mentions[a].start - 1].kind == TokKind::Possessive
            {
                let owner_end = info.mentions[a].start - 1;
                if let Some(o) = info
                    .mentions
                    .iter()
                    .position(|m| m.end == owner_end && m.kind != MentionKind::Pronoun)
                {
                    info.mentions[a].consumed = true;
                    aff = Some(o);
                }
            }
            ext_start = ext_start.min(t.start);
            let title_text;
            if let Some(a) = aff {
                ext_start = ext_start.min(info.mentions[a].start);
                let a_ent = info.mentions[a].ents[0];
                info.mentions[a].consumed = true;
                title_text = text(info.mentions[a].start, t.end);
                next = info.mentions[a].start;
                record_title(
                    out,
                    evidence,
                    state,
                    tokens[t.head].lower,
                    person,
                    a_ent,
                    relation,
                    Construction::Title,
                );
            } else {
                title_text = text(t.start, t.end);
                bare_title = Some(t);
            }
            if !title_text.is_empty() {
                state.entities[person].titles.insert(title_text);
            }
            // "X chief and Y's negotiator Z": titles coordinated before one name.
            if next > info.start + 1 && tokens[next - 1].lower == "and" {
                pos = next - 1;
            } else {
                break;
            }
        }
        info.mentions[pi].ext_start = ext_start;
        // "Foreign Minister X of Y": a bare title before the name, the body after it.
        if let Some(t) = bare_title
            && lower(p_end) == "of"
            && let Some(a) = info.mentions.iter().position(|m| {
                (m.start == p_end + 1 || (m.start == p_end + 2 && lower(p_end + 1) == "the"))
                    && m.kind == MentionKind::Name
                    && m.ents[0] != person
            })
        {
            let a_ent = info.mentions[a].ents[0];
            info.mentions[a].consumed = true;
            record_title(
                out,
                evidence,
                state,
                tokens[t.head].lower,
                person,
                a_ent,
                title_relation(k, &t),
                Construction::TitleOf,
            );
        }
        // "X, (as) a special representative of Y" and "X, the Russian president".
        if tokens.get(p_end).is_some_and(|t| t.text == ",") {
            let mut q = p_end + 1;
            while q < info.end && matches!(tokens[q].lower, "as" | "a" | "an" | "the") {
                q += 1;
            }
            let pre_aff = info
                .mentions
                .iter()
                .position(|m| m.start == q && m.kind != MentionKind::Pronoun);
            let tstart = pre_aff.map_or(q, |a| {
                let e = info.mentions[a].end;
                if tokens.get(e).is_some_and(|t| t.kind == TokKind::Possessive) {
                    e + 1
                } else {
                    e
                }
            });
            // "X, Pakistani Prime Minister Y": a title before another person's name is theirs.
            let names_next = |t: &TitleSpan| {
                info.mentions.iter().any(|m| {
                    m.start == t.end
                        && m.kind == MentionKind::Name
                        && state.entities[m.ents[0]].label == Some("Person")
                })
            };
            if let Some(t) = info
                .titles
                .iter()
                .find(|t| t.start == tstart && !names_next(t))
                .copied()
            {
                names_holder(tokens, k, info, &t, person);
                let relation = title_relation(k, &t);
                let mut aff = pre_aff;
                if aff.is_none() && matches!(lower(t.end), "of" | "at" | "for" | "to") {
                    aff = info.mentions.iter().position(|m| {
                        m.start > t.end && m.start <= t.end + 4 && m.kind != MentionKind::Pronoun
                    });
                    // "the head of Egypt's intelligence service": the body is the possessed
                    // name, not its owner.
                    if let Some(a) = aff
                        && info.mentions[a].possessive
                    {
                        let after = info.mentions[a].end + 1;
                        if let Some(b) = info
                            .mentions
                            .iter()
                            .position(|m| m.start == after && m.kind == MentionKind::Name)
                        {
                            aff = Some(b);
                        }
                    }
                }
                if let Some(a) = aff {
                    let a_ent = info.mentions[a].ents[0];
                    if a_ent != person {
                        info.mentions[a].consumed = true;
                        record_title(
                            out,
                            evidence,
                            state,
                            tokens[t.head].lower,
                            person,
                            a_ent,
                            relation,
                            Construction::AppositiveTitle,
                        );
                    }
                }
            }
        }
    }
}

/// A capitalised title phrase set off beside a person's name ("Norton I, Emperor of the
/// United States", "Malaysia's Prime Minister, Najib Razak") names that person, as GUM and
/// readers take it: it goes on the record of where entities are named. An honorific ("Mr.",
/// a title that gives no relation) names no one by itself: "Senator Hatfield, Mr. Chief
/// Justice" addresses two people.
fn names_holder(
    tokens: &[Token<'_>],
    k: &Knowledge,
    info: &mut SentenceInfo,
    t: &TitleSpan,
    person: usize,
) {
    if tokens[t.head].cap && !tokens[t.head].all_caps() && k.title_list[t.title].relation.is_some()
    {
        info.title_names.push((t.start, t.end, person));
    }
}

/// The relation a title phrase gives its holder with the body: a subordinate title
/// ("deputy prime minister") represents the body its head would lead.
pub(super) fn title_relation<'k>(k: &'k Knowledge, t: &TitleSpan) -> Option<&'k str> {
    let relation = k.title_list[t.title].relation.as_deref();
    if t.subordinate && relation == Some("LEADS") {
        Some("REPRESENTS")
    } else {
        relation
    }
}

/// Records that `person` holds a title (its head word `head`) of `body`: later descriptions
/// ("the minister") find the person through it, a leader is remembered, and the title's
/// relation, if it gives one, becomes a standing fact.
#[allow(clippy::too_many_arguments)]
pub(super) fn record_title(
    out: &mut Vec<ExFact>,
    evidence: impl FnOnce() -> Arc<str>,
    state: &mut ArticleState,
    head: &str,
    person: usize,
    body: usize,
    relation: Option<&str>,
    rule: Construction,
) {
    state.titled.insert((body, head.to_string()), person);
    if let Some(rel) = relation {
        if rel == "LEADS" {
            state.leaders.insert(body, person);
        }
        push_title(out, evidence, state, person, body, rel, rule);
    }
}

pub(super) fn push_title(
    out: &mut Vec<ExFact>,
    evidence: impl FnOnce() -> Arc<str>,
    state: &ArticleState,
    person: usize,
    body: usize,
    rel: &str,
    rule: Construction,
) {
    // "his Middle East envoy": a region that cannot act (a sea, a continent, a part of the
    // world) is the title's brief, not a body one represents.
    if person == body
        || !state.entities[body].actor
        || state.entities[body].label == Some("Person") && rel == "LEADS"
    {
        return;
    }
    out.push(ExFact {
        source: person,
        target: body,
        rel_type: standing_type(rel),
        symmetric: false,
        date: None,
        place: None,
        what: None,
        evidence: evidence(),
        rule: standing_rule(rel, rule),
        standing: true,
    });
}
