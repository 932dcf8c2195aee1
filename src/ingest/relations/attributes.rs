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
use super::super::lexicon::{RegionKind, fold_key};
use super::super::resolve::{Mention, MentionKind};
use super::super::rules::Relation;
use super::{Extractor, class};

/// Words of a sentence's tree (numbered from the sentence's first token).
type Words = SmallVec<[usize; 4]>;

/// Where an event happened: an entity of the article, or a region of the regions lexicon
/// that the text names only by what it is ("in the Qatari capital"), which becomes an
/// entity of the article when a fact keeps it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Venue {
    Entity(usize),
    Region(usize),
}

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
    ) -> (Option<Date>, Option<Venue>) {
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
        // A word of a visit may place the event through its object ("visiting Paris"), a
        // capital through its country ("in the Qatari capital").
        let place_word = || {
            let words = &AttributeWords::get().places;
            (ctx.info.start..ctx.info.end).any(|x| {
                let w = ctx.lower(x);
                words
                    .visit_words
                    .iter()
                    .chain(&words.capital_nouns)
                    .any(|v| v == w)
            })
        };
        let tree = if dated || placed || institution() || place_word() {
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
        // Not one told at a distance from it, which is another event ("... in Rome on Nov. 3.
        // Two weeks later, the two leaders signed a pact").
        let moved = ctx
            .dates
            .iter()
            .any(|d| !d.statement && d.relative.is_some_and(|n| n != 0));
        let continued_place = (rel.spec.symmetric && !placed && !moved)
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
            return (date, place.map(Venue::Entity));
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
        // The verbs of a visit or a journey the event's clause hangs on ("flew to X on
        // Monday to meet Y", "visiting X").
        let visits = self.visits(tree, &preds);
        let date = attached_to(&preds)
            .or_else(|| self.date_near(span.0, span.1))
            .or_else(|| self.date_hosting(tree, &preds))
            .or_else(|| attached_to(&hosts))
            .or_else(|| attached_to(&visits))
            .or_else(|| self.date_of_when(tree, span.0))
            .or_else(|| restated.and_then(|r| self.date_near(r, r + 1)))
            .and_then(day)
            .or(continued);
        let place_where = |m: &Mention, preds: &[usize]| {
            self.span_head(tree, m.start, m.end)
                .map_or(Attached::Unknown, |w| attached(tree, w, preds))
        };
        // A verb of reception places its guest after any preposition ("welcomed X to
        // Berlin"), as a verb of travel does.
        let received = ctx.is(span.0, class::RECEPTION);
        let place = self
            .tree_place(tree, &preds, received, not_party)
            .or_else(|| self.tree_place(tree, &hosts, true, not_party))
            .or_else(|| self.tree_place(tree, &visits, true, not_party));
        if place.is_none()
            && let Some(capital) = self.capital_place(tree, &preds, not_party)
        {
            return (date, Some(Venue::Region(capital)));
        }
        let place = place
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
        (date, place.map(Venue::Entity))
    }

    /// The article's entity of a venue; a region the text named only by what it is ("the
    /// Qatari capital") becomes one, named, so that the graph holds the place.
    pub(super) fn venue_entity(&mut self, venue: Venue) -> usize {
        match venue {
            Venue::Entity(e) => e,
            Venue::Region(idx) => {
                let e = self.state.region(idx, self.ctx.k);
                self.state.entities[e].named = true;
                e
            }
        }
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
    pub(super) fn span_head(&self, tree: &Tree<'_>, from: usize, to: usize) -> Option<usize> {
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
        let visit = |w: usize| words.visit_words.iter().any(|x| x == ctx.lower(start + w));
        // A word of a date expression ("in Oslo on Monday", the parser hanging one on the
        // other).
        let dated = |w: usize| {
            ctx.dates
                .iter()
                .any(|d| (d.start..d.end).contains(&(start + w)))
        };
        // A name after a locative preposition; after any preposition where the event is a
        // journey's (`travel`: "travelled to X and met Y") or inside a visit ("during a
        // visit to X"); the object of a verb of visit ("visiting X").
        let own = |w: usize| {
            // A name read as a modifier of the date after it ("in Vienna Wednesday", "in
            // Vienna Friday night") has its preposition on the date's phrase.
            let w = match tree.head(w) {
                Some(h)
                    if tree.is(w, "compound")
                        && (dated(h) || tree.children_with(h, "compound").any(dated)) =>
                {
                    h
                }
                _ => w,
            };
            let visited = tree.head(w).is_some_and(visit);
            // Where a traveller came from is not where the event was ("flew from X to Y").
            if case_among(w, &words.origin_preps) {
                return false;
            }
            case_is(w, class::LOCATIVE_PREP)
                || ((travel || visited) && case_is(w, class::PREPOSITION))
                || (visited && tree.is(w, "obj"))
        };
        // An institution's name anywhere: the tree checks its preposition below ("welcomed X
        // to the White House", "at a White House ceremony").
        let named_institution = |m: &Mention| {
            m.kind == MentionKind::Name
                && m.ents
                    .first()
                    .is_some_and(|&e| self.state.entities[e].label == Some("Organization"))
        };
        let candidate = |m: &Mention, loose: bool| {
            if !(self.venue(m, true) || named_institution(m)) {
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
            // The phrases between the venue and the event are about where too, not about
            // something else ("talks on the conflict in Sudan", "a day after protests in
            // Belgrade"); a phrase completed through a link is the venue's ("on the
            // sidelines of the summit in Rio").
            let mut below = at;
            while let Some(h) = tree.head(below).filter(|h| !preds.contains(h)) {
                let linked = case_among(below, &words.links) && case_among(h, &words.phrase_preps);
                if case_among(h, &words.topic_preps) && !linked && !dated(h) && !visit(h) {
                    return None;
                }
                below = h;
            }
            let ent = &self.state.entities[e];
            let institution = ent.label == Some("Organization");
            // A city modifying a venue phrase is where ("at a Geneva hotel"); a country or a
            // province there names what something is about ("at the Ukraine peace talks"),
            // and a body whose meeting it is ("at the NATO summit"). One modifying the
            // event's own noun may be its author ("United Nations sanctions").
            let modifier = loose
                && !placed
                && tree.is(w, "compound")
                && ent.kind.as_deref() == Some("city")
                && tree
                    .head(w)
                    .is_some_and(|h| !dated(h) && case_is(h, class::LOCATIVE_PREP));
            // A building or a seat is one where it modifies the event's noun or a venue
            // phrase ("a White House meeting", "at a Kremlin ceremony"); right before the
            // event's noun, whatever the parser made of the noun ("the Downing Street talks").
            let modifies = |h: usize| preds.contains(&h) || case_is(h, class::LOCATIVE_PREP);
            let seat = institution
                && !placed
                && self.names_seat(m)
                && ((tree.is(w, "compound") && tree.head(w).is_some_and(modifies))
                    || preds.iter().any(|&p| start + p == m.end));
            // An institution is a venue only as the place itself ("at the Kremlin").
            ((placed || modifier || seat) && (!institution || at == w)).then_some((e, w, m.end))
        };
        // A name the tree places before a modifier ("in the Alaskan city of Anchorage").
        let mentions = &ctx.info.mentions;
        let (e, w, end) = mentions
            .iter()
            .find_map(|m| candidate(m, false))
            .or_else(|| mentions.iter().find_map(|m| candidate(m, true)))?;
        // A venue in a city or a province is placed by it ("at the Elysee Palace in Paris",
        // "at an air base in Anchorage", "at the United Nations in New York"): the tree
        // hangs the city on the venue, or, for an institution, the words put it right after
        // it (the parser may hang "in New York" elsewhere).
        let institution = self.state.entities[e].label == Some("Organization");
        let city = ctx.info.mentions.iter().find_map(|m| {
            let c = *m.ents.first()?;
            let ent = &self.state.entities[c];
            let inner = self.span_head(tree, m.start, m.end)?;
            let on_venue = tree.head(inner) == Some(w) && case_is(inner, class::LOCATIVE_PREP);
            let after_institution =
                institution && m.start == end + 1 && ctx.is(end, class::LOCATIVE_PREP);
            (c != e
                && self.venue(m, true)
                && ent.label == Some("Region")
                && ent.kind.as_deref() != Some("country")
                && (on_venue || after_institution)
                && not_party(&c))
            .then_some(c)
        });
        Some(city.unwrap_or(e))
    }

    /// Whether mention `m` names a building or a seat of power: its last word closes such
    /// names (`seat_words`: "White House", "Kremlin").
    fn names_seat(&self, m: &Mention) -> bool {
        let last = m.end.saturating_sub(1).max(m.start);
        let w = self.ctx.lower(last);
        AttributeWords::get()
            .places
            .seat_words
            .iter()
            .any(|s| s == w)
    }

    /// The capital a venue phrase names by its country's demonym ("held talks in the Qatari
    /// capital"): the city's index in the regions lexicon, when `lexicon/attributes.ron`
    /// knows the country's capital and the country is not a party.
    fn capital_place(
        &self,
        tree: &Tree<'_>,
        preds: &[usize],
        not_party: impl Fn(&usize) -> bool,
    ) -> Option<usize> {
        let ctx = self.ctx;
        let start = ctx.info.start;
        let words = &AttributeWords::get().places;
        let gazetteer = &ctx.k.gazetteer;
        ctx.info.mentions.iter().find_map(|m| {
            let &e = m.ents.first()?;
            if m.kind != MentionKind::Demonym {
                return None;
            }
            let noun = tree.head(self.span_head(tree, m.start, m.end)?)?;
            let venue = words
                .capital_nouns
                .iter()
                .any(|c| c == ctx.lower(start + noun))
                && tree
                    .children_with(noun, "case")
                    .any(|c| ctx.is(start + c, class::LOCATIVE_PREP))
                && attached(tree, noun, preds) == Attached::Here;
            let country = self.state.entities[e].region?;
            let name = &gazetteer.regions.get(country)?.name;
            let city = words.capitals.get(name)?;
            if !venue {
                return None;
            }
            // The city of that name in that country ("Victoria" names several).
            let key = fold_key(city);
            let in_country = |i: &usize| {
                gazetteer.regions[*i].kind == RegionKind::City
                    && gazetteer.country_of(*i) == Some(country)
            };
            let idx = gazetteer.region(&key).filter(in_country).or_else(|| {
                (0..gazetteer.regions.len())
                    .filter(in_country)
                    .find(|&i| fold_key(&gazetteer.regions[i].name) == key)
            })?;
            // A party named by the capital is not its venue either.
            let party = (0..self.state.entities.len())
                .any(|x| self.state.entities[x].region == Some(idx) && !not_party(&x));
            (!party).then_some(idx)
        })
    }

    /// The verbs of a visit that an event's predicate hangs on or that hang on it, as a
    /// clause of its own ("X, visiting Paris, met Y"; "X visited Tokyo, where she met Y";
    /// "X met Y while visiting Rome"), that qualify the event's subject, or whose purpose
    /// the event is ("arrived in Seoul for talks").
    fn visits(&self, tree: &Tree<'_>, preds: &[usize]) -> Words {
        let ctx = self.ctx;
        let start = ctx.info.start;
        let words = &AttributeWords::get().places;
        let visit = |w: usize| {
            tree.is_verbal(w) && words.visit_words.iter().any(|x| x == ctx.lower(start + w))
        };
        let clause = |w: usize| {
            ["advcl", "acl", "xcomp", "conj"]
                .iter()
                .any(|r| tree.is(w, r))
        };
        let Some(&p) = preds.first() else {
            return Words::new();
        };
        let mut out = Words::new();
        if clause(p)
            && let Some(h) = tree.head(p).filter(|&h| visit(h))
        {
            out.push(h);
        }
        out.extend(tree.children(p).filter(|&c| clause(c) && visit(c)));
        // A meeting that is the journey's purpose ("arrived in Seoul on Monday for talks
        // with Y"); not one before it ("flew home after talks with Y").
        let purpose = tree
            .children_with(p, "case")
            .any(|c| ctx.k.purpose_preps.contains(ctx.lower(start + c)));
        if purpose
            && tree.is(p, "obl")
            && let Some(h) = tree.head(p).filter(|&h| visit(h))
        {
            out.push(h);
        }
        // On the subject, a participle only ("X, visiting Paris, met Y"): a relative clause
        // tells of another time ("X, who visited Paris last year, met Y").
        if let Some(subject) = tree.subject(p) {
            out.extend(
                tree.children(subject)
                    .filter(|&c| clause(c) && visit(c) && tree.xpos(c) == "VBG"),
            );
        }
        out
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
