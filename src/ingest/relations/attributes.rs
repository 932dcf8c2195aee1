//! When and where an event happened: the date and the place a fact carries. The dependency
//! tree says which predicate a date or a place belongs to, so one set off by commas still
//! reaches its event ("met a delegation led by X, the group's negotiator, in Doha on
//! Tuesday") and one of another clause never does ("met X in Berlin, and Y praised Z").
//! The words around the trigger answer where the tree attaches the date or place to nothing
//! or cannot be read. A party of the relation is never its place. This module holds no word
//! list: prepositions are classes of the lexicon, the words of a venue phrase are in
//! `lexicon/attributes.ron`, and the Universal Dependencies labels and tags are asked of the
//! tree (`Tree::is_nominal_dependent`, `is_verbal`, `is_noun`).

use smallvec::SmallVec;

use crate::syntax::Tree;

use super::super::article::TokKind;
use super::super::dates::{AttributeWords, Date, DateExpr};
use super::super::resolve::{Mention, MentionKind};
use super::super::rules::Relation;
use super::{Extractor, class};

/// Words of a sentence's tree (numbered from the sentence's first token).
type Words = SmallVec<[usize; 4]>;

/// Where the tree puts a date expression or a name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attached {
    /// To one of the event's predicates.
    Here,
    /// To another predicate.
    Elsewhere,
    /// To none the tree can say.
    Unknown,
}

impl Extractor<'_, '_, '_> {
    /// The date and the place of an event whose trigger is at tokens `span`, between
    /// `agents` and `targets`.
    pub(super) fn event_attributes(
        &self,
        rel: &Relation,
        span: (usize, usize),
        agents: &[usize],
        targets: &[usize],
    ) -> (Option<Date>, Option<usize>) {
        let ctx = self.ctx;
        let not_party = |p: &usize| !agents.contains(p) && !targets.contains(p);
        let dated = ctx.dates.iter().any(|d| !d.statement);
        let placed = ctx.info.mentions.iter().any(|m| self.venue(m, false));
        // The tree is asked only when the sentence holds something to attach: a date, a
        // region after a locative preposition, or an institution after one ("in the
        // Kremlin"), which only the tree can place.
        let institution = || {
            ctx.info.mentions.iter().any(|m| {
                m.locative
                    && self.venue(m, true)
                    && m.ents
                        .first()
                        .is_some_and(|&e| self.state.entities[e].label == Some("Organization"))
            })
        };
        let tree = if dated || placed || institution() {
            self.tree_at(span.0)
        } else {
            None
        };
        let day = |d: &DateExpr| self.days.day_of(d);
        // An undated meeting or agreement right after a sentence that dated an event
        // continues it (news tells the day in the lede and the meeting after it).
        let continued = (rel.spec.symmetric && !dated)
            .then_some(self.days.previous)
            .flatten()
            .filter(|_| !self.another_time(span.0));
        let continued_place = (rel.spec.symmetric && !placed)
            .then_some(self.days.previous_place)
            .flatten()
            .filter(not_party);
        // The same event told again later in the sentence by a trigger of its own ("held
        // talks ..., meeting in Muscat on Saturday") has its date and place after it.
        let restated = self.restated(rel, span.1);
        let Some((tree, v)) = tree else {
            let date = self
                .date_near(span.0, span.1)
                .or_else(|| restated.and_then(|r| self.date_near(r, r + 1)))
                .and_then(day)
                .or(continued);
            let place = self
                .place_near(span.0, span.1)
                .or_else(|| restated.and_then(|r| self.place_near(r, r + 1)))
                .map(|m| m.ents[0])
                .filter(not_party)
                .or(continued_place);
            return (date, place);
        };
        let start = ctx.info.start;
        let trigger: Words = (span.0..span.1.max(span.0 + 1))
            .filter_map(|t| t.checked_sub(start))
            .filter(|&w| w < tree.len())
            .collect();
        let preds = predicates(tree, v, &trigger);
        // A verb coordinated with another ("travelled to X and met Y on Monday") shares the
        // other's date and place when it has none of its own.
        let host = host_predicate(tree, &preds);
        let hosts: Words = host.into_iter().collect();
        let date_where = |d: &DateExpr, preds: &[usize]| {
            self.span_head(tree, d.start, d.end)
                .map_or(Attached::Unknown, |w| attached(tree, w, preds))
        };
        let events = || ctx.dates.iter().filter(|d| !d.statement);
        // A date right after the trigger or opening the sentence is the event's whatever
        // the tree says: the parser is least sure of a date's attachment.
        // Of the expressions the tree gives the event, one that names a day before one that
        // names a period ("on Monday at this year's summit").
        let attached_to = |preds: &[usize]| {
            events()
                .filter(|d| date_where(d, preds) == Attached::Here)
                .min_by_key(|d| day(d).is_none())
        };
        let date = attached_to(&preds)
            .or_else(|| self.date_near(span.0, span.1))
            .or_else(|| self.date_hosting(tree, &preds))
            .or_else(|| attached_to(&hosts))
            .or_else(|| self.date_of_when(tree, span.0))
            .or_else(|| restated.and_then(|r| self.date_near(r, r + 1)))
            .and_then(day)
            .or(continued);
        let place_where = |m: &Mention, preds: &[usize]| {
            self.span_head(tree, m.start, m.end)
                .map_or(Attached::Unknown, |w| attached(tree, w, preds))
        };
        let place = self
            .tree_place(tree, &preds, false, not_party)
            .or_else(|| self.tree_place(tree, &hosts, true, not_party))
            .or_else(|| {
                self.place_near(span.0, span.1)
                    .filter(|m| place_where(m, &preds) == Attached::Unknown)
                    .map(|m| m.ents[0])
                    .filter(not_party)
            })
            .or_else(|| {
                restated
                    .and_then(|r| self.place_near(r, r + 1))
                    .map(|m| m.ents[0])
                    .filter(not_party)
            })
            .or(continued_place);
        (date, place)
    }

    /// Notes the place of the talks a noun trigger at `i` of a meeting or agreement names
    /// ("after two days of talks in Geneva"), whether or not it read a fact: the sentence
    /// after may continue them ("X held talks with Y on Saturday").
    pub(super) fn note_place(&mut self, rel: &Relation, i: usize) {
        let ctx = self.ctx;
        if !rel.spec.symmetric || !ctx.is(i + 1, class::LOCATIVE_PREP) {
            return;
        }
        let place = ctx.info.mentions.iter().find(|m| {
            m.start == i + 2
                && self.venue(m, false)
                && self.state.entities[m.ents[0]].label == Some("Region")
        });
        if let Some(m) = place {
            self.days.mention_place(m.ents[0]);
        }
    }

    /// Whether the event at trigger `i` is told in a perfect or modal form ("had met", "has
    /// met", "would meet"): a time other than that of the event the sentence before dated.
    fn another_time(&self, i: usize) -> bool {
        let Some((tree, v)) = self.tree_at(i) else {
            return false;
        };
        predicates(tree, v, &[v])
            .iter()
            .any(|&p| tree.is_perfect_or_modal(p))
    }

    /// A later word of the sentence that triggers the same relation with no clause break
    /// between ("Iran and the US held talks ..., meeting in Muscat on Saturday"): the same
    /// event told again, without parties of its own.
    fn restated(&self, rel: &Relation, from: usize) -> Option<usize> {
        let ctx = self.ctx;
        let spec = &rel.spec;
        // A break word may come between ("talks since the war ended, meeting ..."), closing
        // punctuation may not.
        (from..ctx.info.end)
            .take_while(|&x| !(ctx.is_break(x) && ctx.tokens[x].kind == TokKind::Punct))
            .filter(|&x| ctx.is(x, class::TRIGGER))
            .find(|&x| {
                let w = ctx.lower(x);
                spec.verbs.iter().chain(&spec.forms).any(|v| v == w)
                    || spec.nouns.iter().any(|n| n.words.iter().any(|v| v == w))
            })
    }

    /// The date of a clause that opens with a relative adverb of time right after a date
    /// expression ("The fighting began on Wednesday, when India struck ..."), by the words
    /// and tags: the tree may not see the clause (it read "struck" as a noun there).
    fn date_of_when(&self, tree: &Tree<'_>, trigger: usize) -> Option<&DateExpr> {
        let ctx = self.ctx;
        let start = ctx.info.start;
        // The relative adverb nearest before the trigger, with no punctuation between (the
        // adverb itself is a clause break word).
        let adverb = (start..trigger)
            .rev()
            .take_while(|&x| ctx.tokens[x].kind != TokKind::Punct)
            .find(|&x| x - start < tree.len() && tree.xpos(x - start) == "WRB")?;
        let mut before = adverb;
        if before > start && ctx.tokens[before - 1].text == "," {
            before -= 1;
        }
        ctx.dates.iter().find(|d| !d.statement && d.end == before)
    }

    /// A date expression after the trigger at `i..j` in its clause, or one opening the
    /// sentence, by the words alone.
    fn date_near(&self, i: usize, j: usize) -> Option<&DateExpr> {
        let ctx = self.ctx;
        let after = ctx.dates.iter().find(|d| {
            d.start >= j
                && d.start <= j + 10
                && !d.statement
                && !(j..d.start).any(|x| ctx.is_break(x) || ctx.tokens[x].text == ",")
        });
        let opening = || {
            ctx.dates.iter().find(|d| {
                d.end <= i
                    && !d.statement
                    && (ctx.info.start..d.start).all(|x| ctx.tokens[x].kind == TokKind::Word)
                    && d.start <= ctx.info.start + 2
            })
        };
        after.or_else(opening)
    }

    /// A place ("in X") in the clause of the trigger at `i..j`, by the words alone.
    fn place_near(&self, i: usize, j: usize) -> Option<&Mention> {
        let ctx = self.ctx;
        let from = ctx.clause_start(i);
        let to = (j..ctx.info.end)
            .find(|&x| ctx.is_break(x))
            .unwrap_or(ctx.info.end)
            .min(j + 16);
        ctx.info.mentions.iter().find(|m| {
            ((m.start >= j && m.start < to) || (m.start >= from && m.end <= i))
                && self.venue(m, false)
                && self.state.entities[m.ents[0]].label == Some("Region")
        })
    }

    /// The tree word of a token span that heads it (its head lies outside the span).
    fn span_head(&self, tree: &Tree<'_>, from: usize, to: usize) -> Option<usize> {
        let start = self.ctx.info.start;
        let (a, b) = (from.checked_sub(start)?, to.checked_sub(start)?);
        let b = b.min(tree.len());
        (a..b).find(|&w| tree.head(w).is_none_or(|h| h < a || h >= b))
    }

    /// A date expression that the clause of `preds` hangs on ("on Wednesday, when India
    /// struck"), or that the clause's host carries when the clause opens with a relative
    /// adverb ("began on Wednesday, when ...").
    fn date_hosting(&self, tree: &Tree<'_>, preds: &[usize]) -> Option<&DateExpr> {
        let &p = preds.first()?;
        if !(tree.is(p, "acl") || tree.is(p, "advcl")) {
            return None;
        }
        let h = tree.head(p)?;
        // A clause of the same time ("when"), not one before or after it ("after X struck").
        let timed = tree
            .children(p)
            .any(|c| tree.is(c, "advmod") && tree.xpos(c) == "WRB");
        self.ctx.dates.iter().filter(|d| !d.statement).find(|d| {
            self.span_head(tree, d.start, d.end)
                .is_some_and(|w| w == h || (timed && attached(tree, w, &[h]) == Attached::Here))
        })
    }

    /// Whether mention `m` can name where something happened: a region that can act,
    /// after a locative preposition; with `tree_checked`, any region (the tree checks its
    /// preposition), or an institution after a locative preposition ("at the White House").
    fn venue(&self, m: &Mention, tree_checked: bool) -> bool {
        if m.kind != MentionKind::Name {
            return false;
        }
        let Some(&e) = m.ents.first() else {
            return false;
        };
        let ent = &self.state.entities[e];
        match ent.label {
            Some("Region") => ent.actor && (m.locative || tree_checked),
            Some("Organization") => tree_checked && m.locative,
            _ => false,
        }
    }

    /// The place the tree attaches to one of `preds`: a name after a locative preposition
    /// ("in Doha", "at the White House"), or inside a phrase that has one ("on the island
    /// of St Vincent", "on the sidelines of the summit in Rio"). A host verb's place may
    /// follow any preposition (`travel`: "travelled to X and met Y").
    fn tree_place(
        &self,
        tree: &Tree<'_>,
        preds: &[usize],
        travel: bool,
        not_party: impl Fn(&usize) -> bool,
    ) -> Option<usize> {
        let ctx = self.ctx;
        let start = ctx.info.start;
        let case_is =
            |w: usize, c: u32| tree.children_with(w, "case").any(|k| ctx.is(start + k, c));
        let words = &AttributeWords::get().places;
        let case_among = |w: usize, list: &[String]| {
            tree.children_with(w, "case")
                .any(|k| list.iter().any(|x| x == ctx.lower(start + k)))
        };
        let own = |w: usize| {
            case_is(w, class::LOCATIVE_PREP) || (travel && case_is(w, class::PREPOSITION))
        };
        ctx.info.mentions.iter().find_map(|m| {
            if !self.venue(m, true) {
                return None;
            }
            let e = m.ents[0];
            let w = self.span_head(tree, m.start, m.end)?;
            if attached(tree, w, preds) != Attached::Here || !not_party(&e) {
                return None;
            }
            // The name's own preposition, or that of the phrase it completes through "of"
            // ("on the island of X", "on the sidelines of X").
            let mut at = w;
            let mut placed = own(at);
            while !placed
                && tree.is(at, "nmod")
                && case_among(at, &words.links)
                && let Some(h) = tree.head(at)
            {
                at = h;
                placed = own(at) || case_among(at, &words.phrase_preps);
            }
            let institution = self.state.entities[e].label == Some("Organization");
            // An institution is a venue only as the place itself ("at the Kremlin").
            (placed && (!institution || at == w)).then_some(e)
        })
    }
}

/// The predicates an event's trigger stands for: the trigger's words, and for a noun the
/// verb it is the object or subject of ("held talks", "talks broke down") and the verb of a
/// relative clause on it ("a meeting X held with Y in Washington").
fn predicates(tree: &Tree<'_>, v: usize, trigger: &[usize]) -> Words {
    let mut out: Words = trigger.iter().copied().collect();
    if !out.contains(&v) {
        out.insert(0, v);
    }
    if !tree.is_noun(v) {
        return out;
    }
    if (tree.is(v, "obj") || tree.is(v, "nsubj"))
        && let Some(h) = tree.head(v)
        && !out.contains(&h)
    {
        out.push(h);
    }
    for c in tree.children_with(v, "acl") {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The verb a coordinated predicate hangs on when it tells the same scene: it has no subject
/// of its own ("travelled" for "met" in "travelled to X and met Y"), or its subject points
/// back rather than names ("they", "the two leaders": "X and Y arrived in Z, and the two
/// leaders signed ..."); not when it names a new party ("X met Y in Berlin, and Z praised W").
fn host_predicate(tree: &Tree<'_>, preds: &[usize]) -> Option<usize> {
    let &v = preds.first()?;
    let shared = tree.is(v, "conj")
        && tree.upos(v) == "VERB"
        && tree.subject(v).is_none_or(|s| tree.refers_back(s));
    shared.then(|| tree.head(v))?
}

/// Where word `w` belongs: up its heads through nominal dependents to the first of `preds`
/// or the first verb; `Unknown` when a clause boundary or the root comes first.
fn attached(tree: &Tree<'_>, w: usize, preds: &[usize]) -> Attached {
    let mut at = w;
    for _ in 0..tree.len() {
        let Some(h) = tree.head(at) else {
            return Attached::Unknown;
        };
        if preds.contains(&h) {
            return Attached::Here;
        }
        if tree.is_verbal(h) {
            return Attached::Elsewhere;
        }
        if !tree.is_nominal_dependent(at) {
            return Attached::Unknown;
        }
        at = h;
    }
    Attached::Unknown
}
