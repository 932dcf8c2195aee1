//! The sentence model: a resolved sentence and the questions rules ask of it (clauses,
//! subjects, objects, coordination, negation).

use std::borrow::Cow;
use std::sync::Arc;

use smallvec::{SmallVec, smallvec};

use super::super::article::{TokKind, Token};
use super::super::dates::{AttributeWords, DateExpr};
use super::super::resolve::{ArticleState, Mention, MentionKind, SentenceInfo};
use super::super::rules::Knowledge;
use super::{Evidence, Parties, class};

/// Everything the engine needs about one sentence.
pub struct SentenceCtx<'s, 'a> {
    pub tokens: &'s [Token<'a>],
    pub para: &'a str,
    pub info: &'s SentenceInfo,
    pub dates: &'s [DateExpr],
    pub k: &'s Knowledge,
    /// The `class` bits of each token of the paragraph (`classes_of`).
    pub classes: &'s [u32],
    /// The sentence as evidence, built once when the first fact needs it.
    pub evidence: &'s Evidence,
}

impl SentenceCtx<'_, '_> {
    pub(super) fn evidence(&self) -> Arc<str> {
        self.evidence
            .get(self.tokens, self.para, self.info.start, self.info.end)
    }

    pub(super) fn text(&self, start: usize, end: usize) -> Cow<'_, str> {
        if start >= end {
            return Cow::Borrowed("");
        }
        collapse_space(&self.para[self.tokens[start].start..self.tokens[end - 1].end])
    }

    pub(super) fn lower(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.lower)
    }

    /// Whether the word at `i` (the empty word past the paragraph) is of class `c`.
    pub(super) fn is(&self, i: usize, c: u32) -> bool {
        self.classes
            .get(i)
            .copied()
            .unwrap_or_else(|| self.k.lex_of("", None).classes())
            & c
            != 0
    }

    pub(super) fn is_break(&self, i: usize) -> bool {
        self.is(i, class::BREAK)
    }

    /// Whether a word in `from..to` is of class `c`. Inside the paragraph this is the union
    /// of the class slice's bits, taken without a branch per word, which the compiler turns
    /// into vector code; past it, the word-by-word test.
    pub(super) fn any_of(&self, from: usize, to: usize, c: u32) -> bool {
        match self.classes.get(from..to) {
            Some(cs) => cs.iter().fold(0, |all, &x| all | x) & c != 0,
            None => (from..to).any(|x| self.is(x, c)),
        }
    }

    /// Where the clause holding token `i` starts: just after the last break before `i`.
    pub(super) fn clause_start(&self, i: usize) -> usize {
        self.clause_start_from(i, self.info.start)
    }

    /// `clause_start` looking back no further than `start`, which it answers when no break
    /// lies between `start` and `i`.
    pub(super) fn clause_start_from(&self, i: usize, start: usize) -> usize {
        if i <= start {
            return start;
        }
        match self.classes.get(start..i) {
            Some(cs) => cs
                .iter()
                .rposition(|&x| x & class::BREAK != 0)
                .map_or(start, |b| start + b + 1),
            None => (start + 1..=i)
                .rev()
                .find(|&j| self.is_break(j - 1))
                .unwrap_or(start),
        }
    }

    /// A mention a relation can take as a party.
    pub(super) fn party(&self, m: &Mention, state: &ArticleState) -> bool {
        // The dateline test reads the token's characters: it comes last.
        !m.consumed
            && !m.locative
            && !m.ents.is_empty()
            && m.ents.iter().all(|&e| state.entities[e].actor)
            && !self.in_dateline(m)
            && !self.seat_modifier(m, state)
    }

    /// Whether `m` is in the dateline opening the sentence ("NEW DELHI/ISLAMABAD - ",
    /// "GENEVA, May 12 - "): a place in capitals before a spaced dash, which is where the
    /// story was filed, not a party to it.
    pub(super) fn in_dateline(&self, m: &Mention) -> bool {
        if m.start > self.info.start + 6 {
            return false;
        }
        if !self.tokens[m.start].all_caps() {
            return false;
        }
        let end = (self.info.start + 10).min(self.info.end);
        (m.end..end).any(|d| {
            matches!(self.tokens[d].text, "-" | "–" | "—")
                && d > 0
                && self.tokens[d - 1].end < self.tokens[d].start
        })
    }

    /// The subject of the verb at `i`: the nearest party before it in its clause, with the
    /// parties coordinated with it ("X and Y").
    pub(super) fn subject(&self, i: usize, state: &ArticleState) -> Parties {
        // Found once here for the several readings below.
        let from = self.clause_start(i);
        if let Some(head) = self.after_relative_clause(i, from, state) {
            return head;
        }
        // "X met Y in Doha and praised Z": a verb right after "and" shares the subject of
        // the clause's first verb, the first party of the clause.
        if i > self.info.start + 1 && self.lower(i - 1) == "and" {
            let first_party = |from: usize| {
                self.info.mentions.iter().position(|m| {
                    m.start >= from
                        && m.end + 1 < i
                        && self.party(m, state)
                        && !(m.start > self.info.start && self.is(m.start - 1, class::PREPOSITION))
                })
            };
            if let Some(idx) = first_party(from) {
                return self.coordinated(idx, state, true);
            }
            // "X urged Y to respect the agreement, which ended the war in Z, and praised W",
            // "X announced it before either side did, and praised W": past a relative or
            // subordinate clause with no party, the sentence's first party.
            if from > self.info.start
                && let Some(idx) = first_party(self.info.start)
            {
                return self.coordinated(idx, state, true);
            }
        }
        let direct = self.clause_subject(i, from, state);
        if !direct.is_empty() {
            return direct;
        }
        if from == self.info.start || from == 0 {
            return direct;
        }
        let opener = self.lower(from - 1);
        // "X, who met Y": the relative pronoun stands for the name before it.
        if matches!(opener, "who" | "which") && from >= 2 {
            let before = if self.tokens[from - 2].text == "," {
                from - 2
            } else {
                from - 1
            };
            // "the M23 rebels, who": up to two lower-case nouns may follow the name.
            if let Some(idx) = self.info.mentions.iter().rposition(|m| {
                m.end <= before
                    && m.end + 2 >= before
                    && self.party(m, state)
                    && (m.end..before).all(|x| {
                        let t = &self.tokens[x];
                        t.kind == TokKind::Word
                            && !t.cap
                            && !self.is(x, class::PREPOSITION | class::DETERMINER)
                    })
            }) {
                return self.coordinated(idx, state, false);
            }
            return direct;
        }
        // "After meeting Y, X said" / "X said after meeting Y": a gerund's subject is the
        // main clause's.
        if self.lower(i).ends_with("ing") && from == i {
            let main = self.clause_subject(from - 1, self.clause_start(from - 1), state);
            if !main.is_empty() {
                return main;
            }
            if let Some(comma) = (i..self.info.end).find(|&x| self.tokens[x].text == ",")
                && let Some(idx) = self
                    .info
                    .mentions
                    .iter()
                    .position(|m| m.start == comma + 1 && self.party(m, state))
            {
                return self.coordinated(idx, state, true);
            }
        }
        direct
    }

    /// "X, who met Y last year, has threatened Z": a verb right after the comma that closes
    /// a relative clause belongs to the main clause, whose subject is the name before "who".
    /// `from` is where the clause holding `i` starts (`clause_start`).
    pub(super) fn after_relative_clause(
        &self,
        i: usize,
        from: usize,
        state: &ArticleState,
    ) -> Option<Parties> {
        if from < self.info.start + 2 || !matches!(self.lower(from - 1), "who" | "which" | "whose")
        {
            return None;
        }
        let comma = (from..i).rev().find(|&x| self.tokens[x].text == ",")?;
        let gap_ok = i - comma <= 3
            && (comma + 1..i).all(|x| {
                let t = &self.tokens[x];
                t.kind == TokKind::Word
                    && !t.cap
                    && !self.is(x, class::PREPOSITION | class::DETERMINER)
            });
        if !gap_ok || self.tokens[from - 2].text != "," {
            return None;
        }
        let before = from - 2;
        let idx = self
            .info
            .mentions
            .iter()
            .rposition(|m| m.end == before && self.party(m, state))?;
        Some(self.coordinated(idx, state, false))
    }

    /// "X, the US secretary of state, and Y", "Y, his Russian counterpart, met": the comma
    /// that closes an appositive noun phrase set off right after the mention ending at
    /// `end`. The phrase opens with a determiner or a possessive ("the", "his") and holds
    /// at most eight words, none a break or a speech verb.
    pub(super) fn appositive_close(&self, end: usize) -> Option<usize> {
        let open = end + 1;
        if open >= self.info.end
            || self.tokens[end].text != ","
            || !self.is(open, class::DETERMINER)
            || self.lower(open) == "of"
        {
            return None;
        }
        let close = (open + 1..(open + 9).min(self.info.end))
            .find(|&x| matches!(self.tokens[x].text, "," | "and" | "or"))?;
        let plain = (open..close).all(|x| {
            matches!(self.tokens[x].kind, TokKind::Word | TokKind::Possessive)
                && !self.is(x, class::BREAK | class::SPEECH_VERB)
        });
        (plain && self.tokens[close].text == ",").then_some(close)
    }

    /// The nearest party before the verb at `i` in its clause, which starts at `from`
    /// (`clause_start`).
    pub(super) fn clause_subject(&self, i: usize, from: usize, state: &ArticleState) -> Parties {
        // "X, President Y's envoy, met Z", "Israeli negotiators, led by Y, held talks" and
        // "X, visiting Paris, met Z": the subject is the name before an appositive title
        // phrase, a participle with "by" or a present participle's phrase, not a name inside
        // it. One or two nouns may follow the name ("negotiators").
        if i >= from + 3 && self.tokens[i - 1].text == "," {
            let appositive = self.info.mentions.iter().position(|m| {
                let Some(c) = (m.end..(m.end + 3).min(i)).find(|&x| self.tokens[x].text == ",")
                else {
                    return false;
                };
                m.start >= from
                    && c + 1 < i - 1
                    && (m.end..c).all(|x| {
                        let t = &self.tokens[x];
                        t.kind == TokKind::Word && !t.cap && !self.is(x, class::PREPOSITION)
                    })
                    && self.party(m, state)
                    && (c + 1..i - 1).all(|x| self.tokens[x].text != ",")
                    && (self.info.titles.iter().any(|t| t.start > c && t.end < i)
                        || (self.lower(c + 1).ends_with("ed") && self.lower(c + 2) == "by")
                        || (self.lower(c + 1).ends_with("ing") && !self.tokens[c + 1].cap))
                    || m.start >= from
                        && self.party(m, state)
                        && self.appositive_close(m.end) == Some(i - 1)
            });
            if let Some(idx) = appositive {
                return self.coordinated(idx, state, false);
            }
        }
        // "the defence ministries of both countries accused each other": a group after "of"
        // is what the subject noun belongs to, and acts through it.
        let of_group = |m: &Mention| {
            m.kind == MentionKind::Group
                && m.start > self.info.start + 1
                && self.lower(m.start - 1) == "of"
                && m.end == i
        };
        let found = self.info.mentions.iter().rposition(|m| {
            m.end <= i
                && m.start >= from
                && self.party(m, state)
                && (!(m.start > self.info.start && self.is(m.start - 1, class::PREPOSITION))
                    || of_group(m))
        });
        let Some(idx) = found else {
            return Parties::new();
        };
        self.coordinated(idx, state, false)
    }

    /// The mention at `idx` and those coordinated with it, leftwards or rightwards. A comma
    /// links a list only when the list also has "and" ("A, B and C"); "According to X, Y"
    /// is no list.
    pub(super) fn coordinated(
        &self,
        idx: usize,
        state: &ArticleState,
        rightwards: bool,
    ) -> Parties {
        let ms = &self.info.mentions;
        // A list of parties is short: kept without a heap allocation.
        let mut chain: SmallVec<[(usize, &str); 4]> = SmallVec::new();
        let mut cur = idx;
        loop {
            // "A and the B": a determiner may follow the link.
            let gap = |end: usize, start: usize| {
                end + 1 == start || (end + 2 == start && self.lower(end + 1) == "the")
            };
            // "X, the US secretary of state, and Y": the link is the "and" after the
            // appositive that follows the earlier member.
            let past_appositive = |end: usize, start: usize| {
                self.appositive_close(end)
                    .filter(|&c| self.lower(c + 1) == "and" && gap(c + 1, start))
            };
            let next = if rightwards {
                ms.iter().position(|m| {
                    m.start > ms[cur].end
                        && (gap(ms[cur].end, m.ext_start)
                            || past_appositive(ms[cur].end, m.ext_start).is_some())
                        && self.party(m, state)
                })
            } else {
                ms.iter().rposition(|m| {
                    m.end < ms[cur].ext_start
                        && (gap(m.end, ms[cur].ext_start)
                            || past_appositive(m.end, ms[cur].ext_start).is_some())
                        && self.party(m, state)
                })
            };
            let Some(n) = next else { break };
            let (before, after) = if rightwards { (cur, n) } else { (n, cur) };
            let link = match past_appositive(ms[before].end, ms[after].ext_start) {
                Some(_) if !gap(ms[before].end, ms[after].ext_start) => "and",
                _ => self.tokens[ms[before].end].text,
            };
            if !matches!(link, "and" | "," | "-" | "&") {
                break;
            }
            chain.push((n, link));
            cur = n;
        }
        if chain.is_empty() {
            // One party alone, the usual case.
            let mut ents = Parties::with_capacity(ms[idx].ents.len());
            for &e in &ms[idx].ents {
                if !ents.contains(&e) {
                    ents.push(e);
                }
            }
            return ents;
        }
        let has_and = chain.iter().any(|(_, l)| matches!(*l, "and" | "&"));
        let mut members: SmallVec<[usize; 4]> = smallvec![idx];
        for (n, link) in chain {
            if link == "," && !has_and {
                break;
            }
            members.push(n);
        }
        // "X and Pakistan's army chief, General Y", "X and Pakistani army chief Y": a
        // person the owner or the demonym qualifies is the party.
        if rightwards {
            for n in members.iter_mut().skip(1) {
                if let Some(p) = self
                    .possessed_name(*n, state, false)
                    .or_else(|| self.described_person(*n, state))
                {
                    *n = p;
                }
            }
        }
        // Parties are listed in the order the text gives them.
        members.sort_unstable();
        let mut ents = Parties::new();
        for n in members {
            for &e in &ms[n].ents {
                if !ents.contains(&e) {
                    ents.push(e);
                }
            }
        }
        ents
    }

    /// The name an object's possessive owner qualifies: with `body`, any name up to three
    /// words on ("Sudan's ruling council"); else a person's, after lower-case words (a title) and
    /// at most a comma that sets the name off ("Kosovo's Kurti", "Pakistan's army chief, General
    /// X", whose honorific is the name's title phrase).
    pub(super) fn possessed_name(
        &self,
        o: usize,
        state: &ArticleState,
        body: bool,
    ) -> Option<usize> {
        let owner = &self.info.mentions[o];
        if !owner.possessive {
            return None;
        }
        let lower_word = |x: usize| self.tokens[x].kind == TokKind::Word && !self.tokens[x].cap;
        self.info.mentions.iter().position(|p| {
            if p.start <= owner.end || p.kind != MentionKind::Name {
                return false;
            }
            if body {
                return p.start <= owner.end + 3 && (owner.end + 1..p.start).all(lower_word);
            }
            let start = p.ext_start.max(owner.end + 1);
            // The comma closes a title ("army chief,"), not a clause ("Iran's offer, X said").
            let comma = start > owner.end + 2
                && self.tokens[start - 1].text == ","
                && self.info.titles.iter().any(|t| t.end == start - 1);
            let words_end = if comma { start - 1 } else { start };
            state.entities[p.ents[0]].label == Some("Person")
                && words_end <= owner.end + 5
                && (owner.end + 1..words_end)
                    .all(|x| lower_word(x) && !self.is(x, class::PREPOSITION))
        })
    }

    /// The person a demonym at mention `o` describes, named right after it past at most
    /// two lower-case words of role ("the French citizen X", "Pakistani army chief X").
    pub(super) fn described_person(&self, o: usize, state: &ArticleState) -> Option<usize> {
        let d = &self.info.mentions[o];
        if d.kind != MentionKind::Demonym {
            return None;
        }
        self.info.mentions.iter().position(|p| {
            p.start > d.end
                && p.start <= d.end + 2
                && p.kind == MentionKind::Name
                && state.entities[p.ents[0]].label == Some("Person")
                && (d.end..p.start)
                    .all(|x| self.tokens[x].kind == TokKind::Word && !self.tokens[x].cap)
        })
    }

    /// The first party after token `j` (the object), within the clause; a comma ends the
    /// search unless a preposition follows it ("on oil, on all oil from X").
    pub(super) fn object(&self, j: usize, state: &ArticleState) -> Option<usize> {
        self.object_from(j, state, false)
    }

    /// The first party after `j`; with `after_prep`, a region right after the preposition
    /// counts even when the preposition is a locative one ("fired missiles at X").
    pub(super) fn object_from(
        &self,
        j: usize,
        state: &ArticleState,
        after_prep: bool,
    ) -> Option<usize> {
        let limit = (j + 14).min(self.info.end);
        let mut stop = limit;
        for i in j..limit {
            let t = &self.tokens[i];
            if self.is_break(i) {
                stop = i;
                break;
            }
            if t.text == "," && !self.is(i + 1, class::PREPOSITION) {
                stop = i;
                break;
            }
        }
        self.info.mentions.iter().position(|m| {
            let party = self.party(m, state)
                || (after_prep
                    && m.locative
                    && m.start <= j + 1
                    && !m.consumed
                    && m.ents.iter().all(|&e| state.entities[e].actor));
            // A name whose title phrase starts before the stop counts ("met Qatar's envoy
            // for the talks, X").
            m.start >= j
                && (m.start < stop || (m.ext_start >= j && m.ext_start < stop))
                && party
                && !(m.kind == MentionKind::Pronoun && m.possessive)
                && !self.event_modifier(m, state)
        })
    }

    /// Whether `m` is a region naming where or about what a meeting or an agreement is
    /// ("invited both sides to the Geneva talks", "the Gaza ceasefire"): a region's name
    /// right before a lower-case noun of a symmetric relation modifies it and is no party.
    /// An act's noun is named by its actor instead ("US sanctions", "Israeli strikes").
    pub(super) fn event_modifier(&self, m: &Mention, state: &ArticleState) -> bool {
        self.before_meeting_noun(m)
            && m.ents
                .iter()
                .all(|&e| state.entities[e].label == Some("Region"))
    }

    /// Whether `m` is a building or a seat of power modifying a meeting's or an agreement's
    /// noun ("Alma Varga's White House meeting with X", "a Kremlin meeting"): where the
    /// event was, not a party to it (`seat_words` of `lexicon/attributes.ron`).
    pub(super) fn seat_modifier(&self, m: &Mention, state: &ArticleState) -> bool {
        let seats = &AttributeWords::get().places.seat_words;
        self.before_meeting_noun(m)
            && m.end > m.start
            && seats.iter().any(|w| w == self.lower(m.end - 1))
            && m.ents
                .iter()
                .all(|&e| state.entities[e].label == Some("Organization"))
    }

    /// Whether name `m` comes right before a lower-case noun of a symmetric relation ("the
    /// Geneva talks"), which it modifies.
    fn before_meeting_noun(&self, m: &Mention) -> bool {
        m.kind == MentionKind::Name
            && !m.possessive
            && m.end < self.info.end
            && !self.tokens[m.end].cap
            && self.is(m.end, class::NOUN)
            && self.k.nouns.get(self.lower(m.end)).is_some_and(|list| {
                list.iter()
                    .any(|&(ri, _)| self.k.relations[ri].spec.symmetric)
            })
    }

    /// Whether a negation is among the three words before `i` in its clause. The clause's
    /// start matters only when a break is among those words: they alone are looked at,
    /// not the whole clause back to its start.
    ///
    /// A verb coordinated after "and" or "but" is out of the first verb's negation: "Kigali
    /// denies it and accuses Kinshasa of ..." accuses.
    pub(super) fn negated(&self, i: usize) -> bool {
        let near = self.info.start.max(i.saturating_sub(3));
        let mut from = self.clause_start_from(i, near);
        if let Some(link) = (from..i).rposition(|x| self.is(x, class::COORDINATOR)) {
            from += link + 1;
        }
        self.any_of(from, i, class::NEGATION)
    }

    pub(super) fn hypothetical(&self, i: usize) -> bool {
        let from = self.info.start.max(i.saturating_sub(5));
        self.any_of(from, i, class::HYPOTHETICAL)
            || self.any_of(self.info.start, i, class::CONDITIONAL)
    }

    /// The object phrase from `j` to the end of its clause, at most 20 words.
    pub(super) fn what(&self, j: usize) -> Option<String> {
        let mut end = j;
        while end < self.info.end && end < j + 20 {
            let t = &self.tokens[end];
            if t.text == "," || self.is_break(end) && !matches!(t.lower, "that") {
                break;
            }
            end += 1;
        }
        let s = self.text(j, end);
        let s = s.trim_matches(|c: char| c == '"' || c == '“' || c == '”' || c.is_whitespace());
        (!s.is_empty()).then(|| s.to_string())
    }

    /// A possessive party right before a noun at `i`, allowing a few modifiers between
    /// ("Putin's recent talks", "Witkoff's third in-person meeting").
    pub(super) fn possessor(&self, i: usize, state: &ArticleState) -> Option<usize> {
        self.info.mentions.iter().rposition(|m| {
            m.possessive
                && self.party(m, state)
                && m.end < i
                && m.end + 5 >= i
                && (m.end + 1..i).all(|x| {
                    let t = &self.tokens[x];
                    (t.kind == TokKind::Word && !t.cap && !self.is(x, class::PREPOSITION))
                        || t.text == "-"
                })
        })
    }
}

/// The text with each run of whitespace made one space and none at either end. Text read
/// from a paragraph almost always is so already, and is then borrowed as it is.
pub(super) fn collapse_space(s: &str) -> Cow<'_, str> {
    if is_collapsed(s) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(collapse_space_owned(s))
    }
}

/// Whether `s` has no whitespace but single spaces between other characters.
fn is_collapsed(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    // Whitespace other than the space is a control byte or a character of several bytes
    // whose first byte is at least 0xC2. Both passes run over the whole text without
    // branching, which the compiler turns into vector code.
    let unusual = b.iter().fold(false, |u, &c| u | !(b' '..0xC2).contains(&c));
    let doubled = b
        .iter()
        .zip(b.iter().skip(1))
        .fold(false, |d, (&x, &y)| d | ((x == b' ') & (y == b' ')));
    if doubled {
        return false;
    }
    !unusual || !s.contains(|c: char| c != ' ' && c.is_whitespace())
}

fn collapse_space_owned(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}
