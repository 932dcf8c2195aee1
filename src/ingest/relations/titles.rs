//! Title phrases: who leads or represents which body ("Russian President X", "Kremlin
//! spokesperson X", "X's negotiator Y").

use std::sync::Arc;

use smallvec::SmallVec;

use super::super::article::{TokKind, Token};
use super::super::resolve::{ArticleState, Mention, MentionKind, SentenceInfo, TitleSpan};
use super::super::rules::Knowledge;
use super::{
    Construction, Evidence, ExFact, Extractor, collapse_space, standing_rule, standing_type,
};

/// Title phrases that name a person (their first and last token and the person's entity),
/// for the record of where entities are named.
pub type TitleNames = SmallVec<[(usize, usize, usize); 1]>;

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
                names_holder(tokens, k, info, &t, person);
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
        // "Norton I, Emperor of the United States": a regnal number closes the name.
        let p_end = if regnal_number(tokens, p_end) && lower(p_end + 1) == "," {
            p_end + 1
        } else {
            p_end
        };
        if tokens.get(p_end).is_some_and(|t| t.text == ",") {
            let mut q = p_end + 1;
            // "Karen Bass, Madam Chair": an honorific of address opens the title too.
            while q < info.end
                && (matches!(tokens[q].lower, "as" | "a" | "an" | "the")
                    || k.address_honorifics.contains(tokens[q].lower))
            {
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

/// Whether the word at `i` is a regnal number in Roman numerals ("I", "IV", "XII").
fn regnal_number(tokens: &[Token<'_>], i: usize) -> bool {
    tokens.get(i).is_some_and(|t| {
        !t.text.is_empty() && t.text.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
    })
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

impl Extractor<'_, '_, '_> {
    /// Titles said of a person rather than before their name, as the tree reads them: the
    /// predicate of a copula ("X is now the 46th President of Y"), the complement of a verb
    /// ("X became Speaker", "was elected president", "proclaimed himself Emperor") and a
    /// title after a role marker ("served as Governor", "her years as Chair"), said of the
    /// verb's object when a person is its object, else of its subject, or of the noun's
    /// owner. The title becomes the person's, of the body named after "of" or just before
    /// it, so that later descriptions ("the President") find them; a negated one is none,
    /// and one hoped for or to come ("will be sworn in as President") names the person
    /// without being theirs yet. Returns the capitalised ones, which name the person as GUM
    /// and readers take them.
    pub(super) fn predicate_titles(&mut self) -> TitleNames {
        let mut named = TitleNames::new();
        let info = self.ctx.info;
        let tokens = self.ctx.tokens;
        let k = self.ctx.k;
        let person = |state: &ArticleState, m: &Mention| {
            matches!(
                m.kind,
                MentionKind::Name | MentionKind::Pronoun | MentionKind::Description
            ) && m.ents.len() == 1
                && state.entities[m.ents[0]].label == Some("Person")
        };
        let person_at = |state: &ArticleState, at: usize| {
            info.mentions
                .iter()
                .find(|m| m.start <= at && at < m.end && person(state, m))
                .map(|m| m.ents[0])
        };
        if info.titles.is_empty() || !info.mentions.iter().any(|m| person(self.state, m)) {
            return named;
        }
        let lower = |i: usize| tokens.get(i).map_or("", |x| x.lower);
        for t in &info.titles {
            // A title before a name, or one standing for a person already, is not said of one.
            let taken = info.mentions.iter().any(|m| {
                m.ext_start <= t.start && t.end <= m.start || m.start <= t.start && t.end <= m.end
            });
            if taken {
                continue;
            }
            let Some((tree, w)) = self.tree_at(t.head) else {
                break;
            };
            let Some((v, holders)) =
                predicate_of(tree, w, |c| k.role_markers.contains(lower(info.start + c)))
            else {
                continue;
            };
            // "was a great leader": a title in lower case after an indefinite determiner
            // describes the person; it is no office ("is the president", "became Speaker").
            if !tokens[t.head].cap
                && tree
                    .children_with(w, "det")
                    .any(|d| !k.title_determiners.contains(lower(info.start + d)))
            {
                continue;
            }
            // "is not the president": none; "will be sworn in as President": the title names
            // the person, but is not yet theirs.
            if self.tree_blocked(tree, v, true) {
                continue;
            }
            let held = !self.tree_blocked(tree, v, false);
            let Some(person) = holders
                .into_iter()
                .flatten()
                .find_map(|c| person_at(self.state, info.start + c))
            else {
                continue;
            };
            // "President of the United States", "the Russian president": its body.
            let of = if lower(t.end) == "of" {
                t.end + 1
            } else {
                usize::MAX
            };
            let body = info
                .mentions
                .iter()
                .find(|m| {
                    m.kind != MentionKind::Pronoun
                        && m.ents.len() == 1
                        && m.ents[0] != person
                        && (m.start == of
                            || m.start == of.saturating_add(1) && lower(of) == "the"
                            || m.end == t.start && m.kind != MentionKind::Description)
                })
                .map(|m| m.ents[0]);
            if held {
                let head = tokens[t.head].lower.to_string();
                let title =
                    collapse_space(&self.ctx.para[tokens[t.start].start..tokens[t.end - 1].end])
                        .into_owned();
                self.state.entities[person].titles.insert(title);
                if let Some(b) = body {
                    self.state.titled.insert((b, head), person);
                }
            }
            if tokens[t.head].cap && !tokens[t.head].all_caps() {
                named.push((t.start, t.end, person));
            }
        }
        named
    }
}

/// The predicate a title noun at tree word `w` is said in and the words it may be said of,
/// the likelier first: a copula's subject; the object, then the subject, of the verb a
/// complement or a phrase opened by a role marker (`marker`) hangs on; the owner of the
/// noun such a phrase hangs on ("his years as Governor").
fn predicate_of(
    tree: &crate::syntax::Tree<'_>,
    w: usize,
    marker: impl Fn(usize) -> bool,
) -> Option<(usize, [Option<usize>; 2])> {
    if tree.children_with(w, "cop").next().is_some() {
        return Some((w, [tree.children_with(w, "nsubj").next(), None]));
    }
    let v = tree.head(w)?;
    let role = (tree.is(w, "obl") || tree.is(w, "advcl") || tree.is(w, "nmod"))
        && tree
            .children(w)
            .any(|c| (tree.is(c, "case") || tree.is(c, "mark")) && marker(c));
    if !(tree.is(w, "xcomp") || role) {
        return None;
    }
    if tree.is_noun(v) {
        return Some((v, [tree.children_with(v, "nmod:poss").next(), None]));
    }
    Some((v, [tree.object(v), tree.children_with(v, "nsubj").next()]))
}
