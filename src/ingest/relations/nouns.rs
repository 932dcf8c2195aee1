//! Noun triggers: "held talks with X", "X's attacks on Y", "the meeting between X and Y".

use super::super::article::TokKind;
use super::super::resolve::MentionKind;
use super::super::rules::Relation;
use super::verbs::reciprocal_at;
use super::{Construction, Extractor, Parties, SentenceCtx, class, pairwise};

/// Whether the noun's partner preposition is followed by "each other" ("fired missiles at
/// each other's bases").
pub(super) fn partner_reciprocal(
    ctx: &SentenceCtx<'_, '_>,
    trig: &super::super::rules::NounTrigger,
    from: usize,
) -> bool {
    let limit = (from + 4).min(ctx.info.end);
    (from..limit)
        .find(|&x| {
            ctx.is(x, class::PARTNER_PREP) && trig.partner_preps.iter().any(|p| p == ctx.lower(x))
        })
        .is_some_and(|x| reciprocal_at(ctx, x + 1))
}

impl Extractor<'_, '_, '_> {
    /// The parties of a noun trigger that opens a prepositional phrase of its clause: "X said
    /// in a call with Y" (the clause's subject before it) and "In a phone call on Monday, X
    /// and Y discussed ..." (the subject after the opening phrase's comma).
    fn adverbial_noun_subject(&self, i: usize) -> Option<Parties> {
        let ctx = self.ctx;
        // Back over the determiner and a modifier or two ("in a brief call").
        let mut p = i.checked_sub(1)?;
        while p > ctx.info.start && p + 4 > i && {
            let t = &ctx.tokens[p];
            ctx.is(p, class::DETERMINER)
                || (t.kind == TokKind::Word && !t.cap && !ctx.is(p, class::PREPOSITION))
        } {
            p -= 1;
        }
        if p == i || !ctx.is(p, class::LOCATIVE_PREP) {
            return None;
        }
        if p == ctx.info.start {
            let comma = (i..(i + 8).min(ctx.info.end)).find(|&x| ctx.tokens[x].text == ",")?;
            let m = ctx.info.mentions.iter().position(|m| {
                m.ext_start.min(m.start) == comma + 1 && ctx.party(m, &*self.state)
            })?;
            return Some(ctx.coordinated(m, &*self.state, true));
        }
        let subject = ctx.subject(p, &*self.state);
        (!subject.is_empty()).then_some(subject)
    }

    /// "strikes on nine sites in X": the place an attack's targets are in, read after the
    /// noun's partner preposition at `x` over a few lower-case words, for a relation whose
    /// places can be attacked.
    fn targets_place(&self, rel: &Relation, x: usize) -> Option<usize> {
        let ctx = self.ctx;
        if !rel.spec.place_object {
            return None;
        }
        let y = (x + 2..(x + 7).min(ctx.info.end)).find(|&y| ctx.is(y, class::LOCATIVE_PREP))?;
        let plain = (x + 1..y).all(|z| {
            let t = &ctx.tokens[z];
            !t.cap && t.kind != TokKind::Possessive && t.text != "," && !ctx.is_break(z)
        });
        if !plain {
            return None;
        }
        ctx.info.mentions.iter().position(|m| {
            m.start == y + 1
                && m.kind == MentionKind::Name
                && !m.consumed
                && m.ents
                    .iter()
                    .all(|&e| self.state.entities[e].label == Some("Region"))
        })
    }

    /// Whether the tree reads token `x` as an auxiliary of another verb ("*had* proposed").
    fn auxiliary(&self, x: usize) -> bool {
        self.tree_at(x)
            .is_some_and(|(tree, v)| tree.is(v, "aux") || tree.is(v, "aux:pass"))
    }

    pub(super) fn noun(&mut self, rel: &Relation, ni: usize, i: usize) {
        let ctx = self.ctx;
        let trig = &rel.spec.nouns[ni];
        // The light verb before the noun ("held talks", "put tariffs"), over a few modifiers,
        // a name among them ("reimpose United Nations sanctions").
        let name_before = ctx
            .info
            .mentions
            .iter()
            .find(|m| m.end == i && m.kind == MentionKind::Name)
            .map_or(i, |m| m.start);
        let mut lv = None;
        let mut x = i;
        // "held more than five hours of talks": a measure of the noun widens the reach.
        let mut reach = 5;
        while x > ctx.info.start && x + reach > i {
            x -= 1;
            let w = ctx.lower(x);
            if w == "of" && reach == 5 {
                reach += 4;
            }
            if ctx.is(x, class::RECEIVED) {
                return;
            }
            // The class bit first: few words are a light verb of any noun.
            if ctx.is(x, class::LIGHT_VERB) && trig.light_verbs.iter().any(|v| v == w) {
                // "had proposed a meeting": an auxiliary of another verb, which takes the
                // noun, is no light verb of it.
                if !self.auxiliary(x) {
                    lv = Some(x);
                }
                break;
            }
            let t = &ctx.tokens[x];
            if (t.kind != TokKind::Word || t.cap) && x < name_before {
                break;
            }
        }
        let anchor = lv.unwrap_or(i);
        if ctx.negated(anchor)
            || self.denied(anchor)
            || (!rel.spec.hypothetical_ok && self.hypothetical(anchor))
            || self.directed(anchor)
            || self.undone(i)
        {
            return;
        }
        let mut agents = Parties::new();
        let mut partner_from = i + 1;
        // "they could reimpose United Nations sanctions on X": the light verb's subject
        // acts, not a body the noun is named after, even where the subject is a word no
        // party was read from.
        if let Some(p) = ctx.possessor(i, &*self.state) {
            agents = Parties::from_slice(&ctx.info.mentions[p].ents);
        } else if let Some(v) = lv {
            agents = ctx.subject(v, &*self.state);
        } else if let Some(m) = ctx.info.mentions.iter().rposition(|m| {
            m.end == i
                && ctx.party(m, &*self.state)
                && matches!(m.kind, MentionKind::Name | MentionKind::Demonym)
        }) {
            // "Israeli strikes on X", "Russia-Ukraine talks": the party right before the noun.
            agents = ctx.coordinated(m, &*self.state, false);
        } else if let Some(parties) = self.adverbial_noun_subject(i) {
            agents = parties;
        } else if let Some((v, parties)) = self.relative_light_verb(rel, &trig.light_verbs, i) {
            // "a meeting X held with Y", "the truce, which X and Y signed": a relative
            // clause on the noun.
            agents = parties;
            partner_from = v + 1;
        } else if let Some(parties) = self.event_phrase_agents(rel, i) {
            // "X, speaking after talks with Y, said": the event of the predicate's subject.
            agents = parties;
        }
        // "strikes by X on Y": the agent after "by".
        if agents.is_empty()
            && ctx.lower(i + 1) == "by"
            && let Some(m) = ctx.object(i + 2, &*self.state)
            && ctx.info.mentions[m].start == i + 2
        {
            agents = ctx.coordinated(m, &*self.state, true);
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
        // "the talks in Riyadh between A and B": a place may come between.
        let between = if ctx.is(i + 1, class::LOCATIVE_PREP) {
            ctx.info
                .mentions
                .iter()
                .find(|m| m.start == i + 2 && m.locative)
                .map_or(i + 1, |m| m.end)
        } else {
            i + 1
        };
        if trig.between && ctx.lower(between) == "between" && !governed {
            if let Some(o) = ctx.object(between + 1, &*self.state) {
                let group = ctx.coordinated(o, &*self.state, true);
                if group.len() >= 2 {
                    for (a, b) in pairwise(&group) {
                        self.emit(
                            rel,
                            &[a],
                            &[b],
                            (anchor, i + 1),
                            || None,
                            Construction::NounBetween,
                        );
                    }
                } else if !agents.is_empty() {
                    self.emit(
                        rel,
                        &agents,
                        &group,
                        (anchor, i + 1),
                        || None,
                        Construction::NounBetween,
                    );
                }
            }
            return;
        }
        if agents.is_empty() {
            return;
        }
        let partner = if trig.partner_preps.is_empty() {
            ctx.object(partner_from, &*self.state)
        } else {
            let limit = (partner_from + 4).min(ctx.info.end);
            (partner_from..limit)
                .find(|&x| {
                    ctx.is(x, class::PARTNER_PREP)
                        && trig.partner_preps.iter().any(|p| p == ctx.lower(x))
                })
                .and_then(|x| {
                    ctx.object_from(x + 1, &*self.state, true)
                        .or_else(|| self.targets_place(rel, x))
                })
        };
        match partner {
            Some(o) => {
                let targets = ctx.coordinated(o, &*self.state, true);
                let what = || ctx.what(i);
                self.emit(
                    rel,
                    &agents,
                    &targets,
                    (anchor, i + 1),
                    what,
                    Construction::Noun,
                );
            }
            None if (rel.spec.reciprocal || partner_reciprocal(ctx, trig, partner_from))
                && agents.len() >= 2 =>
            {
                // "X and Y traded accusations", "both sides fired missiles at each other's
                // bases": both ways.
                for (a, b) in pairwise(&agents) {
                    self.emit(
                        rel,
                        &[a],
                        &[b],
                        (anchor, i + 1),
                        || None,
                        Construction::NounReciprocal,
                    );
                    self.emit(
                        rel,
                        &[b],
                        &[a],
                        (anchor, i + 1),
                        || None,
                        Construction::NounReciprocal,
                    );
                }
            }
            None if rel.spec.coordination && agents.len() >= 2 => {
                for (a, b) in pairwise(&agents) {
                    self.emit(
                        rel,
                        &[a],
                        &[b],
                        (anchor, i + 1),
                        || ctx.what(i),
                        Construction::NounCoordination,
                    );
                }
            }
            None => {}
        }
    }
}
