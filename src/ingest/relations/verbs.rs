//! Verb triggers: subject, verb, object; passives, reciprocals, coordination and the clause a
//! proposal hangs on.

use smallvec::smallvec;

use super::super::article::TokKind;
use super::super::resolve::{ArticleState, MentionKind};
use super::super::rules::{Relation, Step};
use super::places::place_target;
use super::{Construction, Extractor, SentenceCtx, class, pairwise};

/// Whether a reciprocal ("each other") starts within two tokens of `j`.
pub(super) fn reciprocal_at(ctx: &SentenceCtx<'_, '_>, j: usize) -> bool {
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
pub(super) fn proposal_author(
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

impl<'s> Extractor<'_, 's, '_> {
    /// The relation a reception verb at token `i` makes with the persons of `targets`
    /// (its object): the one whose `receptions` name the verb, where the tree hangs on the
    /// verb, or on its object, a phrase of one of the reception's prepositions after the
    /// object, saying where the person came: "welcomed Chancellor X to Downing Street",
    /// "welcomed A and B at the Elysee"; a reception of no prepositions needs no such
    /// phrase ("received X on Monday"). Not "welcomed the plan".
    fn reception(&self, i: usize, targets: &[usize]) -> Option<&'s Relation> {
        let ctx = self.ctx;
        let list = ctx.k.receptions.get(ctx.lower(i))?;
        let persons = !targets.is_empty()
            && targets
                .iter()
                .all(|&e| self.state.entities[e].label == Some("Person"));
        if !persons {
            return None;
        }
        let (tree, v) = self.tree_at(i)?;
        let start = ctx.info.start;
        // The object's words: the verb's `obj` (or, in a passive, its subject) and what
        // they coordinate.
        let mut objects: Vec<usize> = tree
            .children(v)
            .filter(|&c| tree.is(c, "obj") || tree.is(c, "nsubj:pass"))
            .collect();
        let conjuncts: Vec<usize> = objects.iter().flat_map(|&o| tree.conjuncts(o)).collect();
        objects.extend(conjuncts);
        let last_object = objects.iter().copied().filter(|&o| o > v).max();
        // The phrases that may say where: the verb's obliques after its object, and the
        // modifiers of its object or agent ("by X at the Kremlin"), which the parser
        // hangs "at the Elysee" on as often.
        let obliques: Vec<usize> = tree
            .children_with(v, "obl")
            .filter(|&c| last_object.is_none_or(|o| c > o))
            .collect();
        // A name's last word may hold them ("Volodymyr Zelensky to Downing Street").
        let holders: Vec<usize> = objects
            .iter()
            .chain(&obliques)
            .flat_map(|&o| std::iter::once(o).chain(tree.children_with(o, "flat")))
            .collect();
        let phrases = holders
            .iter()
            .flat_map(|&o| tree.children_with(o, "nmod").filter(move |&c| c > o))
            .chain(obliques.iter().copied());
        let preps: Vec<&str> = phrases
            .flat_map(|c| tree.children_with(c, "case"))
            .map(|m| ctx.lower(start + m))
            .collect();
        list.iter()
            .find(|(_, ps)| ps.is_empty() || ps.iter().any(|p| preps.contains(&p.as_str())))
            .map(|&(ri, _)| &ctx.k.relations[ri])
    }

    /// A reception verb that triggers no type of its own, at token `i`: "X received Y in
    /// Moscow", "Y was received by X at the Kremlin". The host is the source, the person
    /// received the target; nothing where the verb is negated, hoped for or asked for, its
    /// object is no person, or no phrase says where the person came when the reception
    /// asks for one.
    pub(super) fn reception_verb(&mut self, i: usize) {
        let ctx = self.ctx;
        if ctx.negated(i) || self.denied(i) || self.hypothetical(i) || self.directed(i) {
            return;
        }
        let Some((tree, v)) = self.tree_at(i) else {
            return;
        };
        if tree.upos(v) != "VERB" || self.tree_blocked(tree, v, false) {
            return;
        }
        let (host, guest) = if tree.is_passive(v) {
            (
                vec![Step::Case("obl".into(), vec!["by".into()])],
                vec![Step::Down("nsubj:pass".into())],
            )
        } else {
            (vec![], vec![Step::Down("obj".into())])
        };
        let targets = self.parties_by(tree, v, &guest, false);
        let Some(meeting) = self.reception(i, &targets) else {
            return;
        };
        let agents = if host.is_empty() {
            let agents = ctx.subject(i, &*self.state);
            if agents.is_empty() {
                self.tree_subject(meeting, i)
                    .map(|(parties, _)| parties)
                    .unwrap_or_default()
            } else {
                agents
            }
        } else {
            self.parties_by(tree, v, &host, false)
        };
        self.emit(
            meeting,
            &agents,
            &targets,
            (i, i + 1),
            || None,
            Construction::Reception,
        );
    }

    pub(super) fn verb(&mut self, rel: &Relation, i: usize, j: usize) {
        let ctx = self.ctx;
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
        // A phrasal trigger before "by" is passive too ("the plan put forward by X").
        let passive = (aux_before && (word.ends_with("ed") || ctx.lower(j) == "by"))
            || ((word.ends_with("ed") || !single) && ctx.lower(j) == "by");
        if matches!(ctx.lower(j), "upon") {
            return;
        }
        if ctx.negated(i)
            || self.denied(i)
            || (!rel.spec.hypothetical_ok && self.hypothetical(i))
            || self.directed(i)
        {
            return;
        }
        // A tree pattern that reads both sides ("the delegation was received by X").
        if let Some((agents, targets, name, passive)) = self.tree_fact(rel, i) {
            let what = || if passive { None } else { ctx.what(j) };
            self.emit(rel, &agents, &targets, (i, j), what, name);
            return;
        }
        if passive {
            if ctx.lower(j) != "by" {
                return;
            }
            // "militants backed by X", "a round hosted by X", "the plan put forward by X": a
            // participle right after a noun names what was done to the noun; where no party
            // qualifies the noun ("the Kenyan delegation hosted by X"), there is no target.
            if !aux_before {
                let lower_word = |x: usize| {
                    let t = &ctx.tokens[x];
                    t.kind == TokKind::Word
                        && !t.cap
                        && !ctx.is(x, class::DETERMINER | class::PREPOSITION | class::BREAK)
                };
                let mut noun = i;
                while noun > ctx.info.start && noun + 3 > i && lower_word(noun - 1) {
                    noun -= 1;
                }
                // "a Kenyan delegation led by X" and "Israeli negotiators, led by X" lead
                // no country: a body led is named right before the participle.
                if rel.spec.body_object
                    && !ctx.info.mentions.iter().any(|m| {
                        ctx.party(m, &*self.state)
                            && (m.end == i || (m.end + 1 == i && ctx.tokens[m.end].text == ","))
                    })
                {
                    return;
                }
                if noun < i
                    && !ctx
                        .info
                        .mentions
                        .iter()
                        .any(|m| m.end == noun && ctx.party(m, &*self.state))
                {
                    return;
                }
            }
            let Some(a) = ctx.object(j + 1, &*self.state) else {
                return;
            };
            let agents = ctx.coordinated(a, &*self.state, true);
            let targets = ctx.subject(i, &*self.state);
            self.emit(
                rel,
                &agents,
                &targets,
                (i, j),
                || None,
                Construction::Passive,
            );
            return;
        }
        let mut agents = ctx.subject(i, &*self.state);
        // Where the words before the verb hold no subject, the tree may ("X and the foreign
        // ministers of Y urged", "after meeting Z, X said").
        let mut rule = None;
        if ctx.lower(i).ends_with("ing")
            && let Some((tree_agents, name)) = self.participle_subject(rel, i)
        {
            if tree_agents != agents {
                rule = Some(name);
            }
            agents = tree_agents;
        } else if agents.is_empty()
            && let Some((tree_agents, name)) = self.tree_subject(rel, i)
        {
            agents = tree_agents;
            rule = Some(name);
        } else if let Some((tree_agents, name)) = self.conjunct_subject(rel, i, &agents) {
            agents = tree_agents;
            rule = Some(name);
        }
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
            // "Kigali denies it and accuses Kinshasa": a verb coordinated with the clause's
            // first verb, which the tree tells from a noun ("meetings and talks").
            let conjunct = at > ctx.info.start
                && ctx.lower(at - 1) == "and"
                && self.tree_at(i).is_some_and(|(t, w)| t.upos(w) == "VERB");
            // "praised the Swiss hosts": after a party, the tree tells a noun from a verb.
            if self.tree_at(i).is_some_and(|(t, w)| t.upos(w) == "NOUN") {
                return;
            }
            let adjacent = relative
                || conjunct
                || ctx
                    .info
                    .mentions
                    .iter()
                    .any(|m| m.end == at && m.ents.iter().any(|e| agents.contains(e)));
            if !adjacent {
                return;
            }
        }
        if rel.spec.reciprocal && reciprocal_at(ctx, j) {
            if agents.len() >= 2 {
                for (a, b) in pairwise(&agents) {
                    self.emit(rel, &[a], &[b], (i, j), || None, Construction::Reciprocal);
                    self.emit(rel, &[b], &[a], (i, j), || None, Construction::Reciprocal);
                }
            }
            return;
        }
        // "met for several hours at X", "agreed on Thursday to": a preposition right after the
        // verb means it has no direct object; what follows is circumstance.
        let direct = if ctx.is(j, class::PREPOSITION) && ctx.lower(j) != "by" {
            None
        } else if rel.spec.clause_object && ctx.lower(j) == "that" {
            // "demanded that Armenia amend its constitution": the one asked opens the clause.
            let at = if ctx.lower(j + 1) == "the" {
                j + 2
            } else {
                j + 1
            };
            ctx.info
                .mentions
                .iter()
                .position(|m| m.start == at && ctx.party(m, &*self.state) && !m.possessive)
        } else {
            // "praised what he called the work of X": the one who names the thing is no
            // object; the object follows the naming verb (and its "as").
            let mut from = j;
            if ctx.lower(j) == "what" && j + 2 < ctx.info.end {
                // The namer: a name, or one word ("it", "officials").
                let namer_end = ctx
                    .info
                    .mentions
                    .iter()
                    .find(|m| m.start == j + 1)
                    .map_or(j + 2, |m| m.end);
                let verb = &ctx.tokens[namer_end.min(ctx.info.end - 1)];
                if verb.kind == TokKind::Word && !verb.cap {
                    from = namer_end + 1;
                    if ctx.lower(from) == "as" {
                        from += 1;
                    }
                }
            }
            // The tree vetoes an object in another clause than the trigger's; the clause of
            // "what he called" is the object itself.
            ctx.object(from, &*self.state)
                .filter(|&o| from > j || self.tree_keeps_object(i, o) != Some(false))
        };
        if let Some(mut o) = direct {
            // "freed the French citizen X": a demonym describing the person named after it.
            if let Some(p) = ctx.described_person(o, &*self.state) {
                o = p;
            }
            // "repatriated six North Korean fishermen": the people freed are not their country.
            if rel.spec.people_object && ctx.info.mentions[o].kind == MentionKind::Demonym {
                return;
            }
            // "heads Sudan's ruling council": one leads the body, not its owner. "blamed
            // Kosovo's Kurti", "spoke with Pakistan's army chief, General X": the person the
            // owner qualifies is the party.
            let owner = o;
            if let Some(p) = ctx.possessed_name(o, &*self.state, rel.spec.body_object) {
                o = p;
            }
            // "leads the party" names the body led; "leads a delegation to X" and "leads the
            // talks with X" do not: the body (or its owner) must be the object itself.
            if rel.spec.body_object
                && [owner, o]
                    .iter()
                    .all(|&x| self.tree_direct_object(i, x) == Some(false))
            {
                return;
            }
            let m = &ctx.info.mentions[o];
            let mut targets = ctx.coordinated(o, &*self.state, true);
            // "freed the journalist X and the former Marine Y": a conjunct the role words
            // before its name kept the words from joining.
            for e in self.tree_conjuncts_of(o) {
                if !targets.contains(&e) {
                    targets.push(e);
                }
            }
            // "met a Hamas delegation led by X": the one met is the delegation's leader.
            if matches!(
                ctx.lower(m.end),
                "delegation" | "team" | "negotiators" | "envoys"
            ) && matches!(ctx.lower(m.end + 1), "led" | "headed")
                && ctx.lower(m.end + 2) == "by"
                && let Some(leader) = ctx.info.mentions.iter().find(|l| {
                    l.start == m.end + 3
                        && l.kind == MentionKind::Name
                        && self.state.entities[l.ents[0]].label == Some("Person")
                })
            {
                targets = smallvec![leader.ents[0]];
            }
            if let Some(meeting) = self.reception(i, &targets) {
                self.emit(
                    meeting,
                    &agents,
                    &targets,
                    (i, j),
                    || None,
                    Construction::Reception,
                );
                return;
            }
            // "welcomed both delegations", "welcomed the delegations of X": greeting people
            // who arrive supports no one.
            if ctx.k.receptions.contains_key(word)
                && (j..m.end).any(|x| ctx.k.guest_nouns.contains(ctx.lower(x)))
            {
                return;
            }
            let what_from = if m.possessive { m.end + 1 } else { j };
            let what = || ctx.what(what_from);
            let rule = rule.unwrap_or_else(|| rel.rule_names.get(Construction::Verb));
            self.emit(rel, &agents, &targets, (i, j), what, rule);
            return;
        }
        // "Y has rejected the demand": a definite proposal noun points at the last proposal read.
        if rel.spec.answers_proposal
            && ctx.lower(j) == "the"
            && ctx.is(j + 1, class::PROPOSAL_NOUN)
            && let Some(author) = self.state.last_proposer
            && !agents.contains(&author)
        {
            self.emit(
                rel,
                &agents,
                &[author],
                (i, j),
                || None,
                Construction::VerbLastProposal,
            );
            return;
        }
        // "seized Nagorno-Karabakh", "struck the town of X": a place that cannot act can still be
        // attacked.
        if rel.spec.place_object
            && let Some(target) = place_target(ctx, j, &*self.state)
        {
            self.emit(
                rel,
                &agents,
                &[target],
                (i, j),
                || None,
                Construction::VerbPlace,
            );
            return;
        }
        // The object the tree reads where the words right after the verb hold none in reach
        // ("threatened to bomb X": the object of the verb it controls).
        if (!ctx.is(j, class::PREPOSITION) || ctx.lower(j) == "to")
            && let Some((targets, name)) = self.tree_object(rel, i)
        {
            let what = || ctx.what(j);
            self.emit(rel, &agents, &targets, (i, j), what, name);
            return;
        }
        if rel.spec.coordination && agents.len() >= 2 {
            for (a, b) in pairwise(&agents) {
                self.emit(
                    rel,
                    &[a],
                    &[b],
                    (i, j),
                    || ctx.what(j),
                    Construction::Coordination,
                );
            }
            return;
        }
        // "X proposed a ceasefire. Y rejected the proposal": a proposal made to no one named
        // is still X's, for an answer to "the proposal" to point at.
        if rel.spec.proposal {
            self.state.last_proposer = Some(agents[0]);
        }
        if rel.spec.relative {
            // "a proposal Kyiv supported": the subject sits right after a proposal noun.
            if let Some(sub) = ctx
                .info
                .mentions
                .iter()
                .rfind(|m| m.end <= i && m.ents.iter().any(|e| agents.contains(e)))
                && let Some(author) = proposal_author(ctx, sub.start, &*self.state)
            {
                let what = || Some(ctx.text(sub.start - 1, sub.start).into_owned());
                self.emit(
                    rel,
                    &agents,
                    &[author],
                    (i, j),
                    what,
                    Construction::RelativeClause,
                );
            }
        }
    }
}
