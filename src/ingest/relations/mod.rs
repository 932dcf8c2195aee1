//! Relation extraction: the rule engine that reads typed relations out of a resolved
//! sentence. Triggers (verbs, nouns, complements, judgements) come from the RON rules; the
//! engine knows the constructions of English news: subject-verb-object, coordination,
//! possessives, passives, appositive titles, relative clauses, "told X that ...",
//! reciprocals, and it drops negated and hypothetical statements.
//!
//! The engine is a pure function of the sentence, the article state and the rules; it must
//! never hold a word list of its own or a rule that fits one particular sentence.

use std::cell::OnceCell;
use std::sync::{Arc, LazyLock};

use smallvec::SmallVec;

use super::article::{TokKind, Token};
use super::dates::{Date, EventDays};
use super::resolve::ArticleState;
use super::rules::Relation;

mod attributes;
mod clauses;
mod mood;
mod nouns;
mod places;
mod sentence;
mod titles;
mod tree;
mod verbs;

pub use places::located_facts;
pub use sentence::SentenceCtx;
use sentence::collapse_space;
pub use titles::{TitleNames, title_facts};

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
    /// A conjunction that opens a coordinated clause (`coordinators`: "and", "but").
    pub const COORDINATOR: u32 = 1 << 19;
    /// A verb of a reception (`receptions`: "received" of "received X in Moscow").
    pub const RECEPTION: u32 = 1 << 20;
    /// Any trigger: what the sentence walk stops at.
    pub const TRIGGER: u32 = VERB | NOUN | COMPLEMENT_VERB | JUDGEMENT | RECEPTION;
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
    Reception,
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

/// The type of a standing fact as a shared string: the usual ones are allocated once for
/// the whole run rather than once per fact.
fn standing_type(rel: &str) -> Arc<str> {
    STANDING
        .iter()
        .find(|names| *names.rel_type == *rel)
        .map_or_else(|| Arc::from(rel), |names| names.rel_type.clone())
}

/// The rule a fact names: a construction of the engine, or a tree pattern's own name.
trait RuleName {
    fn of(self, rel: &Relation) -> Arc<str>;
}

impl RuleName for Construction {
    fn of(self, rel: &Relation) -> Arc<str> {
        rel.rule_names.get(self)
    }
}

impl RuleName for Arc<str> {
    fn of(self, _: &Relation) -> Arc<str> {
        self
    }
}

/// The extraction of one sentence's event relations: the sentence, and the state each rule
/// reads and writes (the article's entities, the date of the last event read, the facts read
/// so far).
pub(super) struct Extractor<'c, 's, 'a> {
    ctx: &'c SentenceCtx<'s, 'a>,
    state: &'c mut ArticleState,
    days: &'c mut EventDays,
    out: &'c mut Vec<ExFact>,
    /// The sentence's dependency tree, parsed when a rule first asks for it.
    tree: OnceCell<Option<crate::syntax::Tree<'static>>>,
}

impl Extractor<'_, '_, '_> {
    /// Emits the facts between two groups of entities. `what` builds the object phrase, which is
    /// asked for only when a fact keeps it; `rule` is the construction that read them, or a
    /// tree pattern's own rule name (which records its arcs).
    fn emit(
        &mut self,
        rel: &Relation,
        agents: &[usize],
        targets: &[usize],
        span: (usize, usize),
        what: impl FnOnce() -> Option<String>,
        rule: impl RuleName,
    ) {
        let rule = rule.of(rel);
        let (date, venue) = self.event_attributes(rel, span, agents, targets);
        let place = venue.map(|v| self.venue_entity(v));
        let Extractor {
            ctx,
            state,
            days,
            out,
            ..
        } = self;
        days.record(date, place);
        if rel.spec.proposal
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
        let mut what = if rel.spec.what && pairs.peek().is_some() {
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
                symmetric: rel.spec.symmetric,
                date,
                place,
                what,
                evidence: ctx.evidence(),
                rule: rule.clone(),
                standing: false,
            });
        }
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

/// Extracts the event relations of one sentence.
///
/// Returns the capitalised titles said of a person in the sentence ("X is now the 46th
/// President", `predicate_titles`), with the person, for the record of where entities are
/// named.
pub fn extract(
    ctx: &SentenceCtx<'_, '_>,
    state: &mut ArticleState,
    days: &mut EventDays,
    out: &mut Vec<ExFact>,
) -> TitleNames {
    days.next_sentence(ctx.dates);
    let mut ex = Extractor {
        ctx,
        state,
        days,
        out,
        tree: OnceCell::new(),
    };
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
        // A reception verb that triggers no type of its own ("received X in Moscow"); one
        // that does ("welcomed") is read where its type's trigger is.
        if classes & class::RECEPTION != 0 && !k.verbs.contains_key(tok.lower) {
            ex.reception_verb(i);
        }
        // Verbs.
        if classes & class::VERB != 0
            && let Some(list) = k.verbs.get(tok.lower)
        {
            let facts_before = ex.out.len();
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
                ex.verb(&k.relations[phrase.value], i, i + 1 + n);
                break;
            }
            // "spoke twice with X", "talked at length with X", "spoke by phone on Monday
            // with X": a verb and its preposition with a few words between, which the tree
            // joins, where the words read as they stand gave nothing.
            if ex.out.len() == facts_before
                && let Some((value, j)) = list.iter().find_map(|phrase| {
                    Some((phrase.value, ex.particle_after_gap(i, &phrase.rest)?))
                })
            {
                ex.verb(&k.relations[value], i, j);
            }
        }
        if classes & class::NOUN != 0
            && let Some(list) = k.nouns.get(tok.lower)
        {
            for &(ri, ni) in list {
                ex.noun(&k.relations[ri], ni, i);
                ex.note_place(&k.relations[ri], i);
            }
        }
        if classes & class::COMPLEMENT_VERB != 0
            && let Some(list) = k.complement_verbs.get(tok.lower)
        {
            for &(ri, ci) in list {
                ex.complement(&k.relations[ri], ci, i);
            }
        }
        if classes & class::JUDGEMENT != 0
            && let Some(list) = k.judgement_adjectives.get(tok.lower)
        {
            for &(ri, ji) in list {
                ex.judgement(&k.relations[ri], ji, i);
            }
        }
    }
    ex.predicate_titles()
}

#[cfg(test)]
mod tests;
