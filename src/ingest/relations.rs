//! Relation extraction: the rule engine that reads typed relations out of a resolved
//! sentence. Triggers (verbs, nouns, complements, judgements) come from the RON rules; the
//! engine knows the constructions of English news: subject-verb-object, coordination,
//! possessives, passives, appositive titles, relative clauses, "told X that ...",
//! reciprocals, and it drops negated and hypothetical statements.
//!
//! The engine is a pure function of the sentence, the article state and the rules; it must
//! never hold a word list of its own or a rule that fits one particular sentence.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::{Arc, LazyLock};

use smallvec::{SmallVec, smallvec};

use super::article::{TokKind, Token};
use super::dates::{Date, DateExpr};
use super::resolve::{ArticleState, Mention, MentionKind, SentenceInfo, TitleSpan};
use super::rules::{Knowledge, Relation};

/// The word lists of the rules that extraction asks about, one bit per list, so that each
/// token of a paragraph is looked up once rather than once per list per question.
pub mod class {
    /// A clause break word (`clause_breaks`) or closing punctuation (`;` `:` `.` `!` `?`).
    pub const BREAK: u32 = 1;
    pub const PREPOSITION: u32 = 1 << 1;
    pub const DETERMINER: u32 = 1 << 2;
    pub const NEGATION: u32 = 1 << 3;
    pub const HYPOTHETICAL: u32 = 1 << 4;
    pub const CONDITIONAL: u32 = 1 << 5;
    pub const AUXILIARY: u32 = 1 << 6;
    pub const RECEIVED: u32 = 1 << 7;
    pub const PROPOSAL_NOUN: u32 = 1 << 8;
    pub const LOCATIVE_PREP: u32 = 1 << 9;
    pub const SPEECH_VERB: u32 = 1 << 10;
    /// The first word of a reciprocal ("each" of "each other").
    pub const RECIPROCAL: u32 = 1 << 11;
    /// The first word of a verb trigger.
    pub const VERB: u32 = 1 << 12;
    pub const NOUN: u32 = 1 << 13;
    pub const COMPLEMENT_VERB: u32 = 1 << 14;
    pub const JUDGEMENT: u32 = 1 << 15;
    /// A word that may open a date expression (`dates::opening_words`).
    pub const DATE: u32 = 1 << 16;
    /// A light verb of some noun trigger ("held" of "held talks").
    pub const LIGHT_VERB: u32 = 1 << 17;
    /// A partner preposition of some noun trigger ("with" of "talks with").
    pub const PARTNER_PREP: u32 = 1 << 18;
    /// Any trigger: what the sentence walk stops at.
    pub const TRIGGER: u32 = VERB | NOUN | COMPLEMENT_VERB | JUDGEMENT;
}

/// The classes of each token of a paragraph, by token index: the [`class`] bits its
/// lexicon lookup found ([`Token::lex`], where closing punctuation is a break and a month
/// written with a period ("Jan.") a date word), kept apart so that scans over a sentence
/// read four bytes per token. `out` is cleared first: a list kept from paragraph to
/// paragraph.
pub fn classes_of(tokens: &[Token<'_>], out: &mut Vec<u32>) {
    out.clear();
    out.extend(tokens.iter().map(|t| t.lex.classes()));
}

/// A sentence's text as the evidence of its facts: built (whitespace collapsed) when the
/// first fact needs it, then shared by every fact of the sentence.
#[derive(Debug, Default)]
pub struct Evidence(OnceCell<Arc<str>>);

impl Evidence {
    pub fn get(&self, tokens: &[Token<'_>], para: &str, start: usize, end: usize) -> Arc<str> {
        self.0
            .get_or_init(|| {
                if start >= end {
                    return Arc::from("");
                }
                Arc::from(collapse_space(&para[tokens[start].start..tokens[end - 1].end]).as_ref())
            })
            .clone()
    }
}

/// The entities on one side of a relation: almost always one or two, kept without a heap
/// allocation.
type Parties = SmallVec<[usize; 4]>;

/// A relation read from an article, between entities of the article.
#[derive(Debug, Clone, PartialEq)]
pub struct ExFact {
    pub source: usize,
    pub target: usize,
    pub rel_type: Arc<str>,
    pub symmetric: bool,
    /// The event's day when the text gives one.
    pub date: Option<Date>,
    /// The entity where it happened.
    pub place: Option<usize>,
    pub what: Option<String>,
    /// The sentence, shared by the facts read from it.
    pub evidence: Arc<str>,
    pub rule: Arc<str>,
    /// A standing fact (a title, a region's country): the same edge whatever the date.
    pub standing: bool,
}

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
    fn evidence(&self) -> Arc<str> {
        self.evidence
            .get(self.tokens, self.para, self.info.start, self.info.end)
    }

    fn text(&self, start: usize, end: usize) -> Cow<'_, str> {
        if start >= end {
            return Cow::Borrowed("");
        }
        collapse_space(&self.para[self.tokens[start].start..self.tokens[end - 1].end])
    }

    fn lower(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.lower)
    }

    /// Whether the word at `i` (the empty word past the paragraph) is of class `c`.
    fn is(&self, i: usize, c: u32) -> bool {
        self.classes
            .get(i)
            .copied()
            .unwrap_or_else(|| self.k.lex_of("", None).classes())
            & c
            != 0
    }

    fn is_break(&self, i: usize) -> bool {
        self.is(i, class::BREAK)
    }

    /// Whether a word in `from..to` is of class `c`. Inside the paragraph this is the union
    /// of the class slice's bits, taken without a branch per word, which the compiler turns
    /// into vector code; past it, the word-by-word test.
    fn any_of(&self, from: usize, to: usize, c: u32) -> bool {
        match self.classes.get(from..to) {
            Some(cs) => cs.iter().fold(0, |all, &x| all | x) & c != 0,
            None => (from..to).any(|x| self.is(x, c)),
        }
    }

    /// Where the clause holding token `i` starts: just after the last break before `i`.
    fn clause_start(&self, i: usize) -> usize {
        self.clause_start_from(i, self.info.start)
    }

    /// `clause_start` looking back no further than `start`, which it answers when no break
    /// lies between `start` and `i`.
    fn clause_start_from(&self, i: usize, start: usize) -> usize {
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
    fn party(&self, m: &Mention, state: &ArticleState) -> bool {
        // The dateline test reads the token's characters: it comes last.
        !m.consumed
            && !m.locative
            && !m.ents.is_empty()
            && m.ents.iter().all(|&e| state.entities[e].actor)
            && !self.in_dateline(m)
    }

    /// Whether `m` is in the dateline opening the sentence ("NEW DELHI/ISLAMABAD - ",
    /// "GENEVA, May 12 - "): a place in capitals before a spaced dash, which is where the
    /// story was filed, not a party to it.
    fn in_dateline(&self, m: &Mention) -> bool {
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
    fn subject(&self, i: usize, state: &ArticleState) -> Parties {
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
    fn after_relative_clause(
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

    /// The nearest party before the verb at `i` in its clause, which starts at `from`
    /// (`clause_start`).
    fn clause_subject(&self, i: usize, from: usize, state: &ArticleState) -> Parties {
        // "X, President Y's envoy, met Z" and "Israeli negotiators, led by Y, held talks":
        // the subject is the name before an appositive title phrase or a participle with
        // "by", not a name inside it. One or two nouns may follow the name ("negotiators").
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
                        || (self.lower(c + 1).ends_with("ed") && self.lower(c + 2) == "by"))
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
    fn coordinated(&self, idx: usize, state: &ArticleState, rightwards: bool) -> Parties {
        let ms = &self.info.mentions;
        // A list of parties is short: kept without a heap allocation.
        let mut chain: SmallVec<[(usize, &str); 4]> = SmallVec::new();
        let mut cur = idx;
        loop {
            // "A and the B": a determiner may follow the link.
            let gap = |end: usize, start: usize| {
                end + 1 == start || (end + 2 == start && self.lower(end + 1) == "the")
            };
            let next = if rightwards {
                ms.iter().position(|m| {
                    m.start > ms[cur].end && gap(ms[cur].end, m.ext_start) && self.party(m, state)
                })
            } else {
                ms.iter().rposition(|m| {
                    m.end < ms[cur].ext_start
                        && gap(m.end, ms[cur].ext_start)
                        && self.party(m, state)
                })
            };
            let Some(n) = next else { break };
            let joint = if rightwards { ms[cur].end } else { ms[n].end };
            let link = self.tokens[joint].text;
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

    /// The first party after token `j` (the object), within the clause; a comma ends the
    /// search unless a preposition follows it ("on oil, on all oil from X").
    fn object(&self, j: usize, state: &ArticleState) -> Option<usize> {
        self.object_from(j, state, false)
    }

    /// The first party after `j`; with `after_prep`, a region right after the preposition
    /// counts even when the preposition is a locative one ("fired missiles at X").
    fn object_from(&self, j: usize, state: &ArticleState, after_prep: bool) -> Option<usize> {
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
        })
    }

    /// Whether a negation is among the three words before `i` in its clause. The clause's
    /// start matters only when a break is among those words: they alone are looked at,
    /// not the whole clause back to its start.
    fn negated(&self, i: usize) -> bool {
        let near = self.info.start.max(i.saturating_sub(3));
        let from = self.clause_start_from(i, near);
        self.any_of(from, i, class::NEGATION)
    }

    fn hypothetical(&self, i: usize) -> bool {
        let from = self.info.start.max(i.saturating_sub(5));
        self.any_of(from, i, class::HYPOTHETICAL)
            || self.any_of(self.info.start, i, class::CONDITIONAL)
    }

    /// The event date for a trigger at `i..j`: a date expression after it in its clause, or
    /// one opening the sentence.
    fn event_date(&self, i: usize, j: usize, last: Option<Date>) -> Option<Date> {
        let after = self.dates.iter().find(|d| {
            d.start >= j
                && d.start <= j + 10
                && !d.statement
                && !(j..d.start).any(|x| self.is_break(x) || self.tokens[x].text == ",")
        });
        let opening = self.dates.iter().find(|d| {
            d.end <= i
                && !d.statement
                && (self.info.start..d.start).all(|x| self.tokens[x].kind == TokKind::Word)
                && d.start <= self.info.start + 2
        });
        let d = after.or(opening)?;
        if d.same_day { last } else { d.date }
    }

    /// Where the event happened: a place ("in X") in the trigger's clause.
    fn place(&self, i: usize, j: usize, state: &ArticleState) -> Option<usize> {
        let from = self.clause_start(i);
        let mut to = self.info.end;
        for x in j..self.info.end {
            if self.is_break(x) {
                to = x;
                break;
            }
        }
        let to = to.min(j + 16);
        self.info
            .mentions
            .iter()
            .filter(|m| m.locative && m.kind == super::resolve::MentionKind::Name)
            .filter(|m| (m.start >= j && m.start < to) || (m.start >= from && m.end <= i))
            .find(|m| {
                state.entities[m.ents[0]].label == Some("Region") && state.entities[m.ents[0]].actor
            })
            .map(|m| m.ents[0])
    }

    /// The object phrase from `j` to the end of its clause, at most 20 words.
    fn what(&self, j: usize) -> Option<String> {
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
    fn possessor(&self, i: usize, state: &ArticleState) -> Option<usize> {
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
fn collapse_space(s: &str) -> Cow<'_, str> {
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

/// The constructions that read facts: the second half of a rule name ("TYPE:construction"),
/// written in kebab case ("verb-last-proposal").
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
enum Construction {
    Passive,
    Reciprocal,
    Verb,
    VerbLastProposal,
    VerbPlace,
    Coordination,
    RelativeClause,
    NounBetween,
    Noun,
    NounReciprocal,
    NounCoordination,
    ToldThat,
    Judgement,
    PossessiveBody,
    TitleOfBefore,
    Title,
    TitleOf,
    AppositiveTitle,
    DemonymOf,
    Apposition,
    Possessive,
    AppositivePlace,
}

impl Construction {
    fn name(self) -> &'static str {
        self.into()
    }
}

/// The rule names of one relation type, one per construction, built once: a fact shares its
/// rule name where it would allocate one.
#[derive(Debug, Clone)]
pub struct RuleNames {
    rel_type: Arc<str>,
    /// By construction, in the order of the enum.
    names: Vec<Arc<str>>,
}

impl RuleNames {
    pub fn new(rel_type: &str) -> RuleNames {
        use strum::VariantArray;
        RuleNames {
            rel_type: Arc::from(rel_type),
            names: Construction::VARIANTS
                .iter()
                .map(|c| Arc::from(format!("{rel_type}:{}", c.name())))
                .collect(),
        }
    }

    /// The name of the rule that read a fact by construction `c`.
    fn get(&self, c: Construction) -> Arc<str> {
        // `VARIANTS` lists every construction in the order of the enum, so the name is there.
        match self.names.get(c as usize) {
            Some(name) => name.clone(),
            None => Arc::from(format!("{}:{}", self.rel_type, c.name())),
        }
    }
}

/// The standing types that titles and places give, with their rule names built once.
static STANDING: LazyLock<[RuleNames; 3]> =
    LazyLock::new(|| ["LEADS", "REPRESENTS", "LOCATED_IN"].map(RuleNames::new));

/// The rule name of a standing fact of type `rel` read by construction `c`: shared for the
/// usual types.
fn standing_rule(rel: &str, c: Construction) -> Arc<str> {
    match STANDING.iter().find(|names| *names.rel_type == *rel) {
        Some(names) => names.get(c),
        None => Arc::from(format!("{rel}:{}", c.name())),
    }
}

/// Emits the facts between two groups of entities. `what` builds the object phrase, which is
/// asked for only when a fact keeps it.
#[allow(clippy::too_many_arguments)]
fn emit(
    out: &mut Vec<ExFact>,
    ctx: &SentenceCtx<'_, '_>,
    rel: &Relation,
    agents: &[usize],
    targets: &[usize],
    span: (usize, usize),
    what: impl FnOnce() -> Option<String>,
    rule: Construction,
    state: &mut ArticleState,
    last_date: &mut Option<Date>,
) {
    let date = ctx.event_date(span.0, span.1, *last_date);
    if date.is_some() {
        *last_date = date;
    }
    // A party of the relation is not also where it happened ("fired rockets at X").
    let place = ctx
        .place(span.0, span.1, state)
        .filter(|p| !agents.contains(p) && !targets.contains(p));
    if &*rel.rel_type == "PROPOSED"
        && let Some(&a) = agents.first()
    {
        state.last_proposer = Some(a);
    }
    let mut pairs = agents
        .iter()
        .flat_map(|&a| targets.iter().map(move |&t| (a, t)))
        .filter(|(a, t)| a != t)
        .peekable();
    // The object phrase is built only for a relation that keeps it and a fact to keep it.
    let mut what = if rel.what && pairs.peek().is_some() {
        what()
    } else {
        None
    };
    while let Some((a, t)) = pairs.next() {
        // The last fact takes the object phrase itself; only the others copy it.
        let what = if pairs.peek().is_some() {
            what.clone()
        } else {
            what.take()
        };
        out.push(ExFact {
            source: a,
            target: t,
            rel_type: rel.rel_type.clone(),
            symmetric: rel.symmetric,
            date,
            place,
            what,
            evidence: ctx.evidence(),
            rule: rel.rule_names.get(rule),
            standing: false,
        });
    }
}

fn pairwise(group: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (n, &a) in group.iter().enumerate() {
        for &b in &group[n + 1..] {
            out.push((a, b));
        }
    }
    out
}

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
            && info.titles.iter().any(|t| t.end == hpos - 1)
        {
            pos = hpos - 1;
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

/// The relation a title phrase gives its holder with the body: a subordinate title
/// ("deputy prime minister") represents the body its head would lead.
fn title_relation<'k>(k: &'k Knowledge, t: &TitleSpan) -> Option<&'k str> {
    let relation = k.title_list[t.title].relation.as_deref();
    if t.subordinate && relation == Some("LEADS") {
        Some("REPRESENTS")
    } else {
        relation
    }
}

/// The type of a standing fact as a shared string: the usual ones are allocated once for
/// the whole run rather than once per fact.
fn standing_type(rel: &str) -> Arc<str> {
    STANDING
        .iter()
        .find(|names| *names.rel_type == *rel)
        .map_or_else(|| Arc::from(rel), |names| names.rel_type.clone())
}

/// Records that `person` holds a title (its head word `head`) of `body`: later descriptions
/// ("the minister") find the person through it, a leader is remembered, and the title's
/// relation, if it gives one, becomes a standing fact.
#[allow(clippy::too_many_arguments)]
fn record_title(
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

fn push_title(
    out: &mut Vec<ExFact>,
    evidence: impl FnOnce() -> Arc<str>,
    state: &ArticleState,
    person: usize,
    body: usize,
    rel: &str,
    rule: Construction,
) {
    if person == body || state.entities[body].label == Some("Person") && rel == "LEADS" {
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

/// LOCATED_IN where the text places one region in another: "Doha, Qatar", "Kherson in
/// Ukraine", "Ukraine's Kherson region", "the Ukrainian city of Kherson". The gazetteer must
/// not contradict it.
pub fn located_facts(ctx: &SentenceCtx<'_, '_>, state: &ArticleState, out: &mut Vec<ExFact>) {
    let k = ctx.k;
    let gaz = &k.gazetteer;
    let region_of = |m: &Mention| -> Option<usize> {
        (m.kind == MentionKind::Name || m.kind == MentionKind::Demonym)
            .then(|| state.entities[m.ents[0]].region)
            .flatten()
    };
    // Whether the gazetteer allows `child` inside `parent`.
    let fits = |child: usize, parent: usize| -> bool {
        if child == parent {
            return false;
        }
        let c = &gaz.regions[child];
        let p = &gaz.regions[parent];
        let rank = |r: &super::lexicon::Region| match r.kind {
            super::lexicon::RegionKind::City => 0,
            super::lexicon::RegionKind::Province | super::lexicon::RegionKind::Other => 1,
            super::lexicon::RegionKind::Country => 2,
            _ => 3,
        };
        if rank(c) >= rank(p) || rank(p) == 3 {
            return false;
        }
        match c.parent.as_deref() {
            Some(name) => gaz.by_name.get(&super::lexicon::fold_key(name)) == Some(&parent),
            None => true,
        }
    };
    // Where the text says so outright ("X, the capital of Y"), a child whose recorded parent
    // is the country around `parent` fits too: the gazetteer keeps only one level.
    let fits_said = |child: usize, parent: usize| -> bool {
        if fits(child, parent) {
            return true;
        }
        let c = &gaz.regions[child];
        let p = &gaz.regions[parent];
        let ranked = matches!(c.kind, super::lexicon::RegionKind::City)
            && matches!(
                p.kind,
                super::lexicon::RegionKind::Province | super::lexicon::RegionKind::Other
            );
        ranked
            && c.parent.is_some()
            && c.parent.as_deref().map(super::lexicon::fold_key)
                == p.parent.as_deref().map(super::lexicon::fold_key)
    };
    let ms = &ctx.info.mentions;
    let mut push = |child: usize, parent: usize, rule: Construction| {
        out.push(ExFact {
            source: child,
            target: parent,
            rel_type: standing_type("LOCATED_IN"),
            symmetric: false,
            date: None,
            place: None,
            what: None,
            evidence: ctx.evidence(),
            rule: standing_rule("LOCATED_IN", rule),
            standing: true,
        });
    };
    for (n, a) in ms.iter().enumerate() {
        let Some(ra) = region_of(a) else { continue };
        if a.kind == MentionKind::Demonym {
            // "the Ukrainian city of Kherson"
            let noun = ctx.lower(a.end);
            if matches!(
                noun,
                "city"
                    | "town"
                    | "village"
                    | "region"
                    | "province"
                    | "oblast"
                    | "state"
                    | "port"
                    | "capital"
            ) && ctx.lower(a.end + 1) == "of"
                && let Some(b) = ms
                    .iter()
                    .find(|m| m.start == a.end + 2 && m.kind == MentionKind::Name)
                && let Some(rb) = region_of(b)
                && fits(rb, ra)
            {
                push(b.ents[0], a.ents[0], Construction::DemonymOf);
            }
            continue;
        }
        let Some(b) = ms.get(n + 1) else { continue };
        if b.kind != MentionKind::Name {
            continue;
        }
        let Some(rb) = region_of(b) else { continue };
        let between: Vec<&str> = (a.end..b.start).map(|x| ctx.lower(x)).collect();
        match between.as_slice() {
            [","] | ["in"] | ["in", "the"] | ["of"] if fits(ra, rb) => {
                push(a.ents[0], b.ents[0], Construction::Apposition)
            }
            ["'s"] | ["’s"] if fits(rb, ra) => {
                push(b.ents[0], a.ents[0], Construction::Possessive)
            }
            // "X, the capital of Y", "X, the largest city in eastern Y".
            [",", "the", rest @ ..] if fits_said(ra, rb) && appositive_place(rest) => {
                push(a.ents[0], b.ents[0], Construction::AppositivePlace)
            }
            _ => {}
        }
    }
}

/// Whether a reciprocal ("each other") starts within two tokens of `j`.
fn reciprocal_at(ctx: &SentenceCtx<'_, '_>, j: usize) -> bool {
    (j..(j + 3).min(ctx.info.end)).any(|x| {
        ctx.is(x, class::RECIPROCAL)
            && ctx.k.reciprocals.get(ctx.lower(x)).is_some_and(|list| {
                list.iter().any(|ph| {
                    ph.rest
                        .iter()
                        .enumerate()
                        .all(|(n, w)| ctx.lower(x + 1 + n) == w)
                })
            })
    })
}

/// The author of the proposal a relative clause hangs on: "X's calls for ..., a proposal
/// Y supported" gives X.
fn proposal_author(
    ctx: &SentenceCtx<'_, '_>,
    before: usize,
    state: &ArticleState,
) -> Option<usize> {
    if before == 0 || !ctx.is(before - 1, class::PROPOSAL_NOUN) {
        return None;
    }
    ctx.info
        .mentions
        .iter()
        .rev()
        .filter(|m| m.possessive && m.end < before - 1 && ctx.party(m, state))
        .filter(|m| (m.end + 1..(m.end + 4).min(before)).any(|x| ctx.is(x, class::PROPOSAL_NOUN)))
        .map(|m| m.ents[0])
        .next()
}

/// Extracts the event relations of one sentence.
pub fn extract(
    ctx: &SentenceCtx<'_, '_>,
    state: &mut ArticleState,
    last_date: &mut Option<Date>,
    out: &mut Vec<ExFact>,
) {
    let k = ctx.k;
    let (start, end) = (ctx.info.start, ctx.info.end);
    // Most words trigger nothing: their classes say so without a lookup per list, in a scan
    // of the class slice alone.
    let sentence = ctx
        .classes
        .get(start..end.min(ctx.classes.len()))
        .unwrap_or_default();
    let mut next = 0;
    while let Some(found) = sentence
        .get(next..)
        .and_then(|rest| rest.iter().position(|&c| c & class::TRIGGER != 0))
    {
        let offset = next + found;
        next = offset + 1;
        let classes = sentence[offset];
        let i = start + offset;
        let tok = &ctx.tokens[i];
        if tok.kind != TokKind::Word {
            continue;
        }
        // Verbs.
        if classes & class::VERB != 0
            && let Some(list) = k.verbs.get(tok.lower)
        {
            for phrase in list {
                let n = phrase.rest.len();
                if i + 1 + n > end
                    || !phrase
                        .rest
                        .iter()
                        .enumerate()
                        .all(|(x, w)| ctx.lower(i + 1 + x) == w)
                {
                    continue;
                }
                verb(
                    ctx,
                    state,
                    &k.relations[phrase.value],
                    i,
                    i + 1 + n,
                    out,
                    last_date,
                );
                break;
            }
        }
        if classes & class::NOUN != 0
            && let Some(list) = k.nouns.get(tok.lower)
        {
            for &(ri, ni) in list {
                noun(ctx, state, &k.relations[ri], ni, i, out, last_date);
            }
        }
        if classes & class::COMPLEMENT_VERB != 0
            && let Some(list) = k.complement_verbs.get(tok.lower)
        {
            for &(ri, ci) in list {
                complement(ctx, state, &k.relations[ri], ci, i, out, last_date);
            }
        }
        if classes & class::JUDGEMENT != 0
            && let Some(list) = k.judgement_adjectives.get(tok.lower)
        {
            for &(ri, ji) in list {
                judgement(ctx, state, &k.relations[ri], ji, i, out, last_date);
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
/// Whether the words after ", the" in "X, the largest city in (eastern) Y" describe a place
/// inside the next name: a few words holding a place noun and ending in "of" or "in", perhaps
/// with a compass adjective after it.
fn appositive_place(rest: &[&str]) -> bool {
    const PLACE_NOUNS: [&str; 12] = [
        "capital", "city", "town", "village", "region", "province", "state", "port", "district",
        "county", "area", "hub",
    ];
    const COMPASS: [&str; 8] = [
        "northern", "southern", "eastern", "western", "north", "south", "east", "west",
    ];
    let rest = match rest {
        [head @ .., last] if COMPASS.contains(last) => head,
        _ => rest,
    };
    rest.len() <= 5
        && matches!(rest.last(), Some(&"of") | Some(&"in"))
        && rest.iter().any(|w| PLACE_NOUNS.contains(w))
        && rest
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphabetic() || c == '-'))
}

/// Whether the noun's partner preposition is followed by "each other" ("fired missiles at
/// each other's bases").
fn partner_reciprocal(
    ctx: &SentenceCtx<'_, '_>,
    trig: &super::rules::NounTrigger,
    from: usize,
) -> bool {
    let limit = (from + 4).min(ctx.info.end);
    (from..limit)
        .find(|&x| {
            ctx.is(x, class::PARTNER_PREP) && trig.partner_preps.iter().any(|p| p == ctx.lower(x))
        })
        .is_some_and(|x| reciprocal_at(ctx, x + 1))
}

/// The place right after a verb ("X", "the town of X"), whether or not it can act.
fn place_target(ctx: &SentenceCtx<'_, '_>, j: usize, state: &ArticleState) -> Option<usize> {
    let mut at = j;
    if ctx.lower(at) == "the" {
        at += 1;
        if at + 1 < ctx.info.end
            && !ctx.tokens[at].cap
            && ctx.tokens[at].kind == TokKind::Word
            && ctx.lower(at + 1) == "of"
        {
            at += 2;
        }
    }
    ctx.info
        .mentions
        .iter()
        .find(|m| {
            m.start == at
                && m.kind == MentionKind::Name
                && !m.consumed
                && m.ents
                    .iter()
                    .all(|&e| state.entities[e].label == Some("Region"))
        })
        .and_then(|m| m.ents.first().copied())
}

fn verb(
    ctx: &SentenceCtx<'_, '_>,
    state: &mut ArticleState,
    rel: &Relation,
    i: usize,
    j: usize,
    out: &mut Vec<ExFact>,
    last_date: &mut Option<Date>,
) {
    let single = j == i + 1;
    let word = ctx.lower(i);
    // After a determiner or a possessive the word is a noun ("the attacks", "X's calls for"),
    // not a verb.
    if i > ctx.info.start
        && (ctx.is(i - 1, class::DETERMINER) || ctx.tokens[i - 1].kind == TokKind::Possessive)
    {
        return;
    }
    // Passive: "was rejected by X".
    let aux_before = ctx.any_of(i.saturating_sub(2).max(ctx.info.start), i, class::AUXILIARY);
    let passive = (aux_before && (word.ends_with("ed") || ctx.lower(j) == "by"))
        || (word.ends_with("ed") && ctx.lower(j) == "by");
    if matches!(ctx.lower(j), "upon") {
        return;
    }
    if ctx.negated(i) || (!rel.hypothetical_ok && ctx.hypothetical(i)) {
        return;
    }
    if passive {
        if ctx.lower(j) != "by" {
            return;
        }
        let Some(a) = ctx.object(j + 1, state) else {
            return;
        };
        let agents = ctx.coordinated(a, state, true);
        let targets = ctx.subject(i, state);
        emit(
            out,
            ctx,
            rel,
            &agents,
            &targets,
            (i, j),
            || None,
            Construction::Passive,
            state,
            last_date,
        );
        return;
    }
    let agents = ctx.subject(i, state);
    if agents.is_empty() {
        return;
    }
    // A plural-looking form ("attacks", "talks") is a verb only right after its subject.
    if single && word.ends_with('s') && !word.ends_with("ss") {
        // A relative pronoun stands for the subject ("X, who also heads Y").
        let mut at = i;
        if at > ctx.info.start + 1 && matches!(ctx.lower(at - 1), "also" | "now" | "still") {
            at -= 1;
        }
        let relative = at > ctx.info.start && matches!(ctx.lower(at - 1), "who" | "which");
        let adjacent = relative
            || ctx
                .info
                .mentions
                .iter()
                .any(|m| m.end == at && m.ents.iter().any(|e| agents.contains(e)));
        if !adjacent {
            return;
        }
    }
    if rel.reciprocal && reciprocal_at(ctx, j) {
        if agents.len() >= 2 {
            for (a, b) in pairwise(&agents) {
                emit(
                    out,
                    ctx,
                    rel,
                    &[a],
                    &[b],
                    (i, j),
                    || None,
                    Construction::Reciprocal,
                    state,
                    last_date,
                );
                emit(
                    out,
                    ctx,
                    rel,
                    &[b],
                    &[a],
                    (i, j),
                    || None,
                    Construction::Reciprocal,
                    state,
                    last_date,
                );
            }
        }
        return;
    }
    // "met for several hours at X", "agreed on Thursday to": a preposition right after the
    // verb means it has no direct object; what follows is circumstance.
    let direct = if ctx.is(j, class::PREPOSITION) && ctx.lower(j) != "by" {
        None
    } else if &*rel.rel_type == "PROPOSED" && ctx.lower(j) == "that" {
        // "demanded that Armenia amend its constitution": the one asked opens the clause.
        let at = if ctx.lower(j + 1) == "the" {
            j + 2
        } else {
            j + 1
        };
        ctx.info
            .mentions
            .iter()
            .position(|m| m.start == at && ctx.party(m, state) && !m.possessive)
    } else {
        ctx.object(j, state)
    };
    if let Some(mut o) = direct {
        // "freed the French citizen X": a demonym describing the person named after it.
        if ctx.info.mentions[o].kind == MentionKind::Demonym
            && let Some(p) = ctx.info.mentions.iter().position(|p| {
                p.start > ctx.info.mentions[o].end
                    && p.start <= ctx.info.mentions[o].end + 2
                    && p.kind == MentionKind::Name
                    && state.entities[p.ents[0]].label == Some("Person")
                    && (ctx.info.mentions[o].end..p.start)
                        .all(|x| ctx.tokens[x].kind == TokKind::Word && !ctx.tokens[x].cap)
            })
        {
            o = p;
        }
        // "repatriated six North Korean fishermen": the people freed are not their country.
        if &*rel.rel_type == "RELEASED" && ctx.info.mentions[o].kind == MentionKind::Demonym {
            return;
        }
        // "heads Sudan's ruling council": one leads the body, not its owner.
        if &*rel.rel_type == "LEADS"
            && ctx.info.mentions[o].possessive
            && let Some(p) = ctx.info.mentions.iter().position(|p| {
                let owner = &ctx.info.mentions[o];
                p.start > owner.end
                    && p.start <= owner.end + 3
                    && p.kind == MentionKind::Name
                    && (owner.end + 1..p.start)
                        .all(|x| ctx.tokens[x].kind == TokKind::Word && !ctx.tokens[x].cap)
            })
        {
            o = p;
        }
        let m = &ctx.info.mentions[o];
        let mut targets = ctx.coordinated(o, state, true);
        // "met a Hamas delegation led by X": the one met is the delegation's leader.
        if matches!(
            ctx.lower(m.end),
            "delegation" | "team" | "negotiators" | "envoys"
        ) && matches!(ctx.lower(m.end + 1), "led" | "headed")
            && ctx.lower(m.end + 2) == "by"
            && let Some(leader) = ctx.info.mentions.iter().find(|l| {
                l.start == m.end + 3
                    && l.kind == MentionKind::Name
                    && state.entities[l.ents[0]].label == Some("Person")
            })
        {
            targets = smallvec![leader.ents[0]];
        }
        let what_from = if m.possessive { m.end + 1 } else { j };
        let what = || ctx.what(what_from);
        emit(
            out,
            ctx,
            rel,
            &agents,
            &targets,
            (i, j),
            what,
            Construction::Verb,
            state,
            last_date,
        );
        return;
    }
    // "Y has rejected the demand": a definite proposal noun points at the last proposal read.
    if matches!(&*rel.rel_type, "REJECTED" | "SUPPORTED")
        && ctx.lower(j) == "the"
        && ctx.is(j + 1, class::PROPOSAL_NOUN)
        && let Some(author) = state.last_proposer
        && !agents.contains(&author)
    {
        emit(
            out,
            ctx,
            rel,
            &agents,
            &[author],
            (i, j),
            || None,
            Construction::VerbLastProposal,
            state,
            last_date,
        );
        return;
    }
    // "seized Nagorno-Karabakh", "struck the town of X": a place that cannot act can still be
    // attacked.
    if &*rel.rel_type == "ATTACKED"
        && let Some(target) = place_target(ctx, j, state)
    {
        emit(
            out,
            ctx,
            rel,
            &agents,
            &[target],
            (i, j),
            || None,
            Construction::VerbPlace,
            state,
            last_date,
        );
        return;
    }
    if rel.coordination && agents.len() >= 2 {
        for (a, b) in pairwise(&agents) {
            emit(
                out,
                ctx,
                rel,
                &[a],
                &[b],
                (i, j),
                || ctx.what(j),
                Construction::Coordination,
                state,
                last_date,
            );
        }
        return;
    }
    if rel.relative {
        // "a proposal Kyiv supported": the subject sits right after a proposal noun.
        if let Some(sub) = ctx
            .info
            .mentions
            .iter()
            .rfind(|m| m.end <= i && m.ents.iter().any(|e| agents.contains(e)))
            && let Some(author) = proposal_author(ctx, sub.start, state)
        {
            let what = || Some(ctx.text(sub.start - 1, sub.start).into_owned());
            emit(
                out,
                ctx,
                rel,
                &agents,
                &[author],
                (i, j),
                what,
                Construction::RelativeClause,
                state,
                last_date,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn noun(
    ctx: &SentenceCtx<'_, '_>,
    state: &mut ArticleState,
    rel: &Relation,
    ni: usize,
    i: usize,
    out: &mut Vec<ExFact>,
    last_date: &mut Option<Date>,
) {
    let trig = &rel.nouns[ni];
    // The light verb before the noun ("held talks", "put tariffs"), over a few modifiers.
    let mut lv = None;
    let mut x = i;
    while x > ctx.info.start && x + 5 > i {
        x -= 1;
        let w = ctx.lower(x);
        if ctx.is(x, class::RECEIVED) {
            return;
        }
        // The class bit first: few words are a light verb of any noun.
        if ctx.is(x, class::LIGHT_VERB) && trig.light_verbs.iter().any(|v| v == w) {
            lv = Some(x);
            break;
        }
        let t = &ctx.tokens[x];
        if t.kind != TokKind::Word || t.cap {
            break;
        }
    }
    let anchor = lv.unwrap_or(i);
    if ctx.negated(anchor) || (!rel.hypothetical_ok && ctx.hypothetical(anchor)) {
        return;
    }
    let mut agents = Parties::new();
    let mut partner_from = i + 1;
    if let Some(p) = ctx.possessor(i, state) {
        agents = Parties::from_slice(&ctx.info.mentions[p].ents);
    } else if let Some(m) = ctx.info.mentions.iter().rposition(|m| {
        m.end == i
            && ctx.party(m, state)
            && matches!(m.kind, MentionKind::Name | MentionKind::Demonym)
    }) {
        // "Israeli strikes on X", "Russia-Ukraine talks": the party right before the noun.
        agents = ctx.coordinated(m, state, false);
    } else if let Some(v) = lv {
        agents = ctx.subject(v, state);
    } else if let Some(m) = ctx.info.mentions.iter().position(|m| m.start == i + 1)
        && ctx.party(&ctx.info.mentions[m], state)
        && ctx.is(ctx.info.mentions[m].end, class::LIGHT_VERB)
        && trig
            .light_verbs
            .iter()
            .any(|v| v == ctx.lower(ctx.info.mentions[m].end))
    {
        // "a meeting X held with Y": a relative clause on the noun.
        agents = ctx.coordinated(m, state, false);
        partner_from = ctx.info.mentions[m].end + 1;
    }
    // "strikes by X on Y": the agent after "by".
    if agents.is_empty()
        && ctx.lower(i + 1) == "by"
        && let Some(m) = ctx.object(i + 2, state)
        && ctx.info.mentions[m].start == i + 2
    {
        agents = ctx.coordinated(m, state, true);
        partner_from = ctx.info.mentions[m].end;
    }
    // "talks between A and B"; not when the noun is itself the object of a preposition
    // ("calls for a ceasefire between", "the possibility of a meeting between").
    let governed = agents.is_empty()
        && ctx.any_of(
            i.saturating_sub(3).max(ctx.info.start),
            i,
            class::PREPOSITION,
        );
    if trig.between && ctx.lower(i + 1) == "between" && !governed {
        if let Some(o) = ctx.object(i + 2, state) {
            let group = ctx.coordinated(o, state, true);
            if group.len() >= 2 {
                for (a, b) in pairwise(&group) {
                    emit(
                        out,
                        ctx,
                        rel,
                        &[a],
                        &[b],
                        (anchor, i + 1),
                        || None,
                        Construction::NounBetween,
                        state,
                        last_date,
                    );
                }
            } else if !agents.is_empty() {
                emit(
                    out,
                    ctx,
                    rel,
                    &agents,
                    &group,
                    (anchor, i + 1),
                    || None,
                    Construction::NounBetween,
                    state,
                    last_date,
                );
            }
        }
        return;
    }
    if agents.is_empty() {
        return;
    }
    let partner = if trig.partner_preps.is_empty() {
        ctx.object(partner_from, state)
    } else {
        let limit = (partner_from + 4).min(ctx.info.end);
        (partner_from..limit)
            .find(|&x| {
                ctx.is(x, class::PARTNER_PREP)
                    && trig.partner_preps.iter().any(|p| p == ctx.lower(x))
            })
            .and_then(|x| ctx.object_from(x + 1, state, true))
    };
    match partner {
        Some(o) => {
            let targets = ctx.coordinated(o, state, true);
            let what = || ctx.what(i);
            emit(
                out,
                ctx,
                rel,
                &agents,
                &targets,
                (anchor, i + 1),
                what,
                Construction::Noun,
                state,
                last_date,
            );
        }
        None if (rel.reciprocal || partner_reciprocal(ctx, trig, partner_from))
            && agents.len() >= 2 =>
        {
            // "X and Y traded accusations", "both sides fired missiles at each other's
            // bases": both ways.
            for (a, b) in pairwise(&agents) {
                emit(
                    out,
                    ctx,
                    rel,
                    &[a],
                    &[b],
                    (anchor, i + 1),
                    || None,
                    Construction::NounReciprocal,
                    state,
                    last_date,
                );
                emit(
                    out,
                    ctx,
                    rel,
                    &[b],
                    &[a],
                    (anchor, i + 1),
                    || None,
                    Construction::NounReciprocal,
                    state,
                    last_date,
                );
            }
        }
        None if rel.coordination && agents.len() >= 2 => {
            for (a, b) in pairwise(&agents) {
                emit(
                    out,
                    ctx,
                    rel,
                    &[a],
                    &[b],
                    (anchor, i + 1),
                    || ctx.what(i),
                    Construction::NounCoordination,
                    state,
                    last_date,
                );
            }
        }
        None => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn complement(
    ctx: &SentenceCtx<'_, '_>,
    state: &mut ArticleState,
    rel: &Relation,
    ci: usize,
    i: usize,
    out: &mut Vec<ExFact>,
    last_date: &mut Option<Date>,
) {
    let c = &rel.complements[ci];
    let Some(m) = ctx.info.mentions.iter().position(|m| m.start == i + 1) else {
        return;
    };
    if !ctx.party(&ctx.info.mentions[m], state) {
        return;
    }
    let after = ctx.info.mentions[m].end;
    if !c.opener.iter().any(|o| o == ctx.lower(after)) {
        return;
    }
    // The advice must be in the that-clause itself, not in a clause hung on it ("told X that
    // the group had accepted a proposal, under which hostages would be freed").
    let clause_end = (after + 1..ctx.info.end)
        .find(|&x| matches!(ctx.lower(x), "which" | "whom" | "whose" | "who" | ";"))
        .unwrap_or(ctx.info.end);
    let rest: Vec<&str> = (after + 1..clause_end).map(|x| ctx.lower(x)).collect();
    let joined = rest.join(" ");
    let cue = c.cues.iter().any(|cue| {
        joined.match_indices(cue.as_str()).any(|(p, _)| {
            (p == 0 || joined.as_bytes()[p - 1] == b' ')
                && joined
                    .as_bytes()
                    .get(p + cue.len())
                    .is_none_or(|b| *b == b' ')
        })
    });
    if !cue || ctx.negated(i) || ctx.hypothetical(i) {
        return;
    }
    let agents = ctx.subject(i, state);
    let targets = Parties::from_slice(&ctx.info.mentions[m].ents);
    let what = || ctx.what(after + 1);
    emit(
        out,
        ctx,
        rel,
        &agents,
        &targets,
        (i, after),
        what,
        Construction::ToldThat,
        state,
        last_date,
    );
}

#[allow(clippy::too_many_arguments)]
fn judgement(
    ctx: &SentenceCtx<'_, '_>,
    state: &mut ArticleState,
    rel: &Relation,
    ji: usize,
    i: usize,
    out: &mut Vec<ExFact>,
    last_date: &mut Option<Date>,
) {
    let jt = &rel.judgements[ji];
    let mut n = i + 1;
    while n < ctx.info.end && ctx.tokens[n].kind == TokKind::Punct {
        n += 1;
    }
    if !jt.nouns.iter().any(|w| w == ctx.lower(n)) {
        return;
    }
    if ctx.negated(i) {
        return;
    }
    let Some(v) = (ctx.info.start..i)
        .rev()
        .find(|&x| jt.verbs.iter().any(|w| w == ctx.lower(x)))
    else {
        return;
    };
    let Some(target) = ctx
        .info
        .mentions
        .iter()
        .rfind(|m| m.start > v && m.end <= i && ctx.party(m, state))
    else {
        return;
    };
    let agents = ctx.subject(v, state);
    let targets = Parties::from_slice(&target.ents);
    emit(
        out,
        ctx,
        rel,
        &agents,
        &targets,
        (v, i),
        || None,
        Construction::Judgement,
        state,
        last_date,
    );
}

#[cfg(test)]
mod tests {
    use crate::ingest::extract_article;
    use crate::ingest::rules::test_knowledge;

    #[test]
    fn rule_names_keep_their_construction_names() {
        use super::{Construction, RuleNames, standing_rule};
        use strum::VariantArray;
        // The names graphs already hold: a renamed variant must not change them.
        let names: Vec<&str> = Construction::VARIANTS.iter().map(|c| c.name()).collect();
        assert_eq!(
            names,
            [
                "passive",
                "reciprocal",
                "verb",
                "verb-last-proposal",
                "verb-place",
                "coordination",
                "relative-clause",
                "noun-between",
                "noun",
                "noun-reciprocal",
                "noun-coordination",
                "told-that",
                "judgement",
                "possessive-body",
                "title-of-before",
                "title",
                "title-of",
                "appositive-title",
                "demonym-of",
                "apposition",
                "possessive",
                "appositive-place",
            ]
        );
        let met = RuleNames::new("MET_WITH");
        for (n, c) in Construction::VARIANTS.iter().enumerate() {
            assert_eq!(*c as usize, n, "{}", c.name());
            assert_eq!(*met.get(*c), format!("MET_WITH:{}", c.name()));
        }
        assert_eq!(&*standing_rule("LEADS", Construction::Title), "LEADS:title");
        assert_eq!(&*standing_rule("OTHER", Construction::Title), "OTHER:title");
        assert_eq!(&*super::standing_type("REPRESENTS"), "REPRESENTS");
    }

    /// Extracts an article dated 2025-04-11 (a Friday) and lists its event and title
    /// relations as "Source -TYPE-> Target [date] @place".
    /// Fails unless some extracted fact starts with `prefix` ("A -TYPE-> B").
    #[track_caller]
    fn assert_fact(facts: &[String], prefix: &str) {
        assert!(
            facts.iter().any(|f| f.starts_with(prefix)),
            "no fact {prefix:?} in {facts:?}"
        );
    }

    /// Fails if any extracted fact starts with `prefix`.
    #[track_caller]
    fn assert_no_fact(facts: &[String], prefix: &str) {
        assert!(
            !facts.iter().any(|f| f.starts_with(prefix)),
            "unexpected fact {prefix:?} in {facts:?}"
        );
    }

    fn check(text: &str) -> Vec<String> {
        let k = test_knowledge();
        let text = format!(" date 2025-04-11\n\n{text}");
        let ex = extract_article("t", text.as_bytes(), None, &k).expect("reads");
        ex.facts
            .iter()
            .filter(|f| &*f.rel_type != "LOCATED_IN")
            .map(|f| {
                let mut s = format!(
                    "{} -{}-> {}",
                    ex.entities[f.source].name, f.rel_type, ex.entities[f.target].name
                );
                if let Some(d) = f.date {
                    s.push_str(&format!(" [{d}]"));
                }
                if let Some(p) = f.place {
                    s.push_str(&format!(" @{}", ex.entities[p].name));
                }
                s
            })
            .collect()
    }

    #[test]
    fn coordination_with_date_and_place() {
        assert_eq!(
            check("Emmanuel Macron and Olaf Scholz held talks in Berlin on Tuesday."),
            ["Emmanuel Macron -MET_WITH-> Olaf Scholz [2025-04-08] @Berlin"]
        );
    }

    #[test]
    fn possessive_nouns_and_passives() {
        assert_eq!(
            check("Maria Lopez's meeting with John Carter in Geneva was brief."),
            ["Maria Lopez -MET_WITH-> John Carter @Geneva"]
        );
        assert_eq!(
            check("The French proposal was rejected by Germany on March 3."),
            ["Germany -REJECTED-> France [2025-03-03]"]
        );
    }

    #[test]
    fn region_before_a_title_is_the_brief() {
        let facts = check("Prime Minister Anna Levi's Europe envoy, Paul Brandt, spoke.");
        assert!(
            facts.contains(&"Paul Brandt -REPRESENTS-> Anna Levi".to_string()),
            "{facts:?}"
        );
        assert!(!facts.iter().any(|f| f.contains("Europe")), "{facts:?}");
    }

    #[test]
    fn a_lone_surname_that_names_a_town_is_the_person() {
        let facts = check("John Washington met Anna Levi in Doha. Later Washington praised Levi.");
        assert!(
            facts.contains(&"John Washington -PRAISED-> Anna Levi".to_string()),
            "{facts:?}"
        );
    }

    #[test]
    fn a_lone_first_word_is_the_one_person_of_that_name() {
        let facts = check(
            "Anna Levi met John Thani on Monday. Later Levi met President Yonas Haile. Yonas praised Anna.",
        );
        assert_fact(&facts, "Yonas Haile -PRAISED-> Anna Levi");
    }

    #[test]
    fn the_subject_is_the_name_before_an_appositive() {
        let facts = check("Paul Brandt, President Anna Levi's adviser, praised John Thani.");
        assert!(
            facts.contains(&"Paul Brandt -PRAISED-> John Thani".to_string()),
            "{facts:?}"
        );
        assert_no_fact(&facts, "Anna Levi -PRAISED");
    }

    #[test]
    fn places_are_attacked_and_relative_clauses_skip_a_noun() {
        let facts = check("Russia seized the town of Donetsk Oblast on Monday.");
        assert_fact(&facts, "Russia -ATTACKED-> Donetsk Oblast");
        let facts = check("The talks exclude the Russian forces, who attacked Ukraine.");
        assert_fact(&facts, "Russia -ATTACKED-> Ukraine");
    }

    #[test]
    fn the_verb_after_a_relative_clause_belongs_to_its_head() {
        let facts = check("Anna Levi, who visited France last year, has criticised Germany.");
        assert_fact(&facts, "Anna Levi -CRITICIZED-> Germany");
        assert_no_fact(&facts, "France -CRITICIZED");
    }

    #[test]
    fn appositive_places_are_located_in_the_next_name() {
        assert!(super::appositive_place(&[
            "largest", "city", "in", "eastern"
        ]));
        assert!(super::appositive_place(&["capital", "of"]));
        assert!(!super::appositive_place(&["talks", "with"]));
        let k = test_knowledge();
        let text = " date 2025-04-11\n\nShelling hit Moscow, the capital of Russia, on Monday.";
        let ex = extract_article("t", text.as_bytes(), None, &k).expect("reads");
        assert!(
            ex.facts.iter().any(|f| &*f.rel_type == "LOCATED_IN"
                && ex.entities[f.source].name == "Moscow"
                && ex.entities[f.target].name == "Russia"),
            "{:?}",
            ex.facts
        );
    }

    #[test]
    fn a_team_is_called_by_its_plural_alone() {
        let k = test_knowledge();
        let text =
            " date 2025-04-11\n\nThe Berlin Falcons beat Paris. The Falcons praised Anna Levi.";
        let ex = extract_article("t", text.as_bytes(), None, &k).expect("reads");
        let orgs: Vec<&str> = ex.entities.iter().map(|e| e.name.as_str()).collect();
        assert!(!orgs.contains(&"Falcons"), "{orgs:?}");
        assert!(orgs.contains(&"Berlin Falcons"), "{orgs:?}");
    }

    #[test]
    fn datelines_and_listed_titles_make_no_party() {
        let facts = check("MOSCOW/KYIV - Russia and Ukraine accused each other of shelling.");
        assert!(
            !facts
                .iter()
                .any(|f| f.contains("Moscow") || f.contains("Kyiv")),
            "{facts:?}"
        );
        assert_fact(&facts, "Russia -ACCUSED-> Ukraine");
        let facts = check(
            "He spoke with French Minister Anna Levi, Qatari Prime Minister John Thani and others.",
        );
        assert_no_fact(&facts, "Anna Levi -LEADS");
    }

    #[test]
    fn coordinated_verbs_and_participle_appositives_keep_the_subject() {
        let facts = check("Anna Levi met John Thani in Doha and praised Qatar.");
        assert_fact(&facts, "Anna Levi -PRAISED-> Qatar");
        assert_no_fact(&facts, "John Thani -PRAISED");
        let facts = check("Russian negotiators, led by John Thani, held talks with Ukraine.");
        assert_fact(&facts, "Russia -MET_WITH-> Ukraine");
    }

    #[test]
    fn delegations_led_by_and_titles_with_a_brief() {
        let facts = check("Anna Levi met a Qatari delegation led by John Thani on Monday.");
        assert_fact(&facts, "Anna Levi -MET_WITH-> John Thani");
        let facts =
            check("Anna Levi met Qatar's special envoy for the talks, John Thani, on Monday.");
        assert_fact(&facts, "John Thani -REPRESENTS-> Qatar");
        assert_fact(&facts, "Anna Levi -MET_WITH-> John Thani");
    }

    #[test]
    fn circumstances_after_the_verb_and_demonym_descriptions() {
        let facts = check("Anna Levi and John Thani met for two hours at the airport in Qatar.");
        assert_fact(&facts, "Anna Levi -MET_WITH-> John Thani");
        assert!(
            !facts.iter().any(|f| f.contains("-MET_WITH-> Qatar")),
            "{facts:?}"
        );
        let facts = check("Iran freed the French citizen John Thani last month.");
        assert_fact(&facts, "Iran -RELEASED-> John Thani");
        assert_no_fact(&facts, "Iran -RELEASED-> France");
    }

    #[test]
    fn a_verb_after_and_skips_a_relative_clause_without_parties() {
        let facts = check(
            "Anna Levi urged calm over the deal, which ended the war last year, and praised John Thani.",
        );
        assert_fact(&facts, "Anna Levi -PRAISED-> John Thani");
    }

    #[test]
    fn a_title_with_a_named_brief_before_the_comma() {
        let facts =
            check("Anna Levi met the Qatari special envoy for Ukraine, John Thani, on Monday.");
        assert_fact(&facts, "John Thani -REPRESENTS-> Qatar");
        assert_fact(&facts, "Anna Levi -MET_WITH-> John Thani");
        let facts = check(
            "Anna Levi said that the army was absent from the talks, and rejected Qatar's plan.",
        );
        assert_fact(&facts, "Anna Levi -REJECTED-> Qatar");
    }

    #[test]
    fn heading_a_body_is_leading_it() {
        let facts = check("Anna Levi, who also heads Qatar's ruling Grain Board, spoke.");
        assert_fact(&facts, "Anna Levi -LEADS-> Grain Board");
        assert_no_fact(&facts, "Anna Levi -LEADS-> Qatar");
    }

    #[test]
    fn a_demand_that_names_the_one_asked() {
        let facts = check("Russia has repeatedly demanded that Ukraine withdraw its troops.");
        assert_fact(&facts, "Russia -PROPOSED-> Ukraine");
        let facts = check("Russia said that Ukraine attacked Germany.");
        assert!(!facts.iter().any(|f| f.contains("PROPOSED")), "{facts:?}");
    }

    #[test]
    fn rejecting_the_demand_points_at_its_author() {
        let facts = check(
            "Russia has repeatedly demanded that Ukraine withdraw. Anna Levi has rejected the demand as interference.",
        );
        assert_fact(&facts, "Anna Levi -REJECTED-> Russia");
    }

    #[test]
    fn a_sentence_initial_pronoun_continues_the_previous_subject() {
        let facts = check(
            "Anna Levi praised John Thani and Maria Sadeghi for their work. She accused Russia of lying.",
        );
        assert_fact(&facts, "Anna Levi -ACCUSED-> Russia");
    }

    #[test]
    fn an_ambassador_to_a_country_represents_the_sender() {
        let facts = check("The French ambassador to Qatar, Anna Levi, spoke on Friday.");
        assert_fact(&facts, "Anna Levi -REPRESENTS-> France");
    }

    #[test]
    fn weapons_fired_at_each_other_go_both_ways() {
        let facts =
            check("Russia and Ukraine fired missiles at each other's air bases on Saturday.");
        assert_fact(&facts, "Russia -ATTACKED-> Ukraine");
        assert_fact(&facts, "Ukraine -ATTACKED-> Russia");
    }

    #[test]
    fn bodies_of_both_countries_act_for_them() {
        let facts = check(
            "Russia and Ukraine met in Geneva. The defence ministries of both countries accused each other of shelling.",
        );
        assert_fact(&facts, "Russia -ACCUSED-> Ukraine");
        assert_fact(&facts, "Ukraine -ACCUSED-> Russia");
    }

    #[test]
    fn a_verb_after_and_skips_a_subordinate_clause_without_parties() {
        let facts =
            check("Anna Levi announced the deal before anyone else did, and praised John Thani.");
        assert_fact(&facts, "Anna Levi -PRAISED-> John Thani");
    }

    #[test]
    fn advice_must_be_in_the_that_clause() {
        let facts = check(
            "Anna Levi told John Thani that Qatar had accepted a plan under which prisoners would be freed.",
        );
        assert!(!facts.iter().any(|f| f.contains("PROPOSED")), "{facts:?}");
        let facts = check("Anna Levi told John Thani that Qatar should accept the plan.");
        assert_fact(&facts, "Anna Levi -PROPOSED-> John Thani");
    }

    #[test]
    fn freeing_unnamed_people_of_a_country_frees_no_country() {
        let facts = check("Russia repatriated six Ukrainian fishermen this month.");
        assert!(!facts.iter().any(|f| f.contains("RELEASED")), "{facts:?}");
    }

    #[test]
    fn titles_with_honorifics_and_bodies_after_of() {
        let facts = check("Qatar's prime minister, Sheikh Omar Thani, spoke.");
        assert!(
            facts.contains(&"Omar Thani -LEADS-> Qatar".to_string()),
            "{facts:?}"
        );
        let facts = check("The head of the Grain Board, Anna Levi, spoke.");
        assert!(
            facts.contains(&"Anna Levi -LEADS-> Grain Board".to_string()),
            "{facts:?}"
        );
        let facts = check("Ella Stone, the head of Germany's Grain Board, spoke.");
        assert!(
            facts.contains(&"Ella Stone -LEADS-> Grain Board".to_string()),
            "{facts:?}"
        );
        assert!(!facts.iter().any(|f| f.contains("Germany")), "{facts:?}");
    }

    #[test]
    fn appositive_titles_lead_or_represent() {
        assert_eq!(
            check("Israeli Prime Minister Anna Levi met Qatari Foreign Minister John Thani."),
            [
                "Anna Levi -LEADS-> Israel",
                "John Thani -REPRESENTS-> Qatar",
                "Anna Levi -MET_WITH-> John Thani"
            ]
        );
        assert_eq!(
            check("Iran's chief negotiator, Maria Sadeghi, spoke."),
            ["Maria Sadeghi -REPRESENTS-> Iran"]
        );
    }

    #[test]
    fn relative_clause_points_at_the_proposal_author() {
        assert_eq!(
            check("Germany backed France's call for new elections, a plan Israel supported."),
            ["Germany -SUPPORTED-> France", "Israel -SUPPORTED-> France"]
        );
    }

    #[test]
    fn told_that_is_a_proposal_only_with_advice() {
        assert_eq!(
            check("Anna Weber told John Smith that a truce would be the best way forward."),
            ["Anna Weber -PROPOSED-> John Smith"]
        );
        assert!(check("Anna Weber told John Smith that the weather was fine.").is_empty());
    }

    #[test]
    fn negated_and_hypothetical_statements_make_no_edge() {
        assert!(check("Emmanuel Macron did not meet Olaf Scholz.").is_empty());
        assert!(check("Emmanuel Macron may propose a summit to Olaf Scholz.").is_empty());
        assert!(check("They discussed the possibility of a future meeting between Emmanuel Macron and Olaf Scholz.").is_empty());
        assert!(check("If Germany attacks France, the alliance will respond.").is_empty());
    }

    #[test]
    fn reciprocals_and_demonym_actors() {
        assert_eq!(
            check("Israel and Iran traded blame, and both sides accused each other of escalation."),
            ["Israel -ACCUSED-> Iran", "Iran -ACCUSED-> Israel"]
        );
        assert_eq!(
            check("Russian forces attacked Ukrainian towns overnight."),
            ["Russia -ATTACKED-> Ukraine"]
        );
    }

    #[test]
    fn descriptions_and_quote_speakers_resolve() {
        assert_eq!(
            check(
                "French President Emmanuel Macron arrived. Olaf Scholz praised the French president."
            ),
            [
                "Emmanuel Macron -LEADS-> France",
                "Olaf Scholz -PRAISED-> Emmanuel Macron"
            ]
        );
        assert_eq!(
            check("Olaf Scholz told reporters: \"I will impose sanctions on Iran.\""),
            ["Olaf Scholz -THREATENED-> Iran"]
        );
    }

    #[test]
    fn agents_after_by_and_before_the_noun() {
        assert_eq!(
            check("Strikes by Israel on Iran continued. Iranian missiles hit targets."),
            ["Israel -ATTACKED-> Iran"]
        );
        assert_eq!(
            check("Germany fired rockets at France."),
            ["Germany -ATTACKED-> France"]
        );
    }

    #[test]
    fn title_before_name_and_body_after() {
        assert_eq!(
            check(
                "Foreign Minister Anna Weber of Germany met John Smith, an adviser to Emmanuel Macron."
            ),
            [
                "Anna Weber -REPRESENTS-> Germany",
                "John Smith -REPRESENTS-> Emmanuel Macron",
                "Anna Weber -MET_WITH-> John Smith"
            ]
        );
    }

    #[test]
    fn dates_resolve_against_the_article() {
        assert_eq!(
            check(
                "Germany released John Brown on Thursday. That same day, France freed Anna Kerr."
            ),
            [
                "Germany -RELEASED-> John Brown [2025-04-10]",
                "France -RELEASED-> Anna Kerr [2025-04-10]"
            ]
        );
    }
}
