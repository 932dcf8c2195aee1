//! Reading a trigger's arguments from the dependency tree of its sentence (`crate::syntax`)
//! through the tree patterns of the rules (`rules/patterns.ron`, `TreePattern`): paths of
//! dependency arcs from the trigger to its source and target, with coordination (`conj`)
//! followed at the end of each. A pattern with both paths wins over the token rules; a
//! pattern with one fills that side where the token rules find no party, and the subject a
//! participle clause takes from the clause it hangs on wins too. The sentence is parsed when
//! a rule first asks, once. This module holds no word list and no pattern: both are data.

use std::sync::Arc;

use smallvec::{SmallVec, smallvec};

use crate::syntax::Tree;

use super::super::dates::AttributeWords;
use super::super::resolve::{Mention, MentionKind};
use super::super::rules::{Relation, Step, TreePattern};
use super::{Extractor, Parties, class};

/// Whether the tree has gone wrong around the verb trigger at word `v`: it does not read it
/// as a verb, or gives it a function word's relation ("heads" as a `cc`).
fn misread_verb(tree: &Tree<'_>, v: usize) -> bool {
    tree.upos(v) != "VERB"
        || matches!(
            tree.label(v),
            "cc" | "case" | "mark" | "det" | "aux" | "cop" | "punct"
        )
}

impl Extractor<'_, '_, '_> {
    /// The sentence's tree, parsed on first use; `None` when the model cannot be read.
    fn tree(&self) -> Option<&Tree<'static>> {
        self.tree
            .get_or_init(|| {
                let (start, end) = (self.ctx.info.start, self.ctx.info.end);
                let words: Vec<&str> = self.ctx.tokens[start..end].iter().map(|t| t.text).collect();
                crate::syntax::parse(&words).ok()
            })
            .as_ref()
    }

    /// The sentence's tree and the number in it of the word at token `i`.
    pub(super) fn tree_at(&self, i: usize) -> Option<(&Tree<'static>, usize)> {
        let tree = self.tree()?;
        let v = i
            .checked_sub(self.ctx.info.start)
            .filter(|&v| v < tree.len())?;
        Some((tree, v))
    }

    /// The entities of the party mention holding tree word `w`, and of the party mentions
    /// holding the words coordinated with it ("Iran and Qatar").
    fn parties_at(&self, tree: &Tree<'_>, w: usize) -> Parties {
        let mut out = Parties::new();
        let start = self.ctx.info.start;
        let mut words = vec![w];
        words.extend(tree.conjuncts(w));
        // The parser may hang a conjunct on a name's last word ("Ana Alvarado and Rui
        // Okafor", with "Rui" under "Alvarado").
        for f in tree.children_with(w, "flat") {
            words.extend(tree.conjuncts(f));
        }
        for w in words {
            let at = start + w;
            let party = |m: &&Mention, from: usize| {
                from <= at
                    && at < m.end
                    && self.ctx.party(m, self.state)
                    && !(m.kind == MentionKind::Pronoun && m.possessive)
            };
            // A word of the title phrase before a name stands for the name: the tree heads
            // "Secretary of State Antony Blinken" with "Secretary".
            let ms = &self.ctx.info.mentions;
            let Some(m) = ms
                .iter()
                .find(|m| party(m, m.start))
                .or_else(|| ms.iter().find(|m| party(m, m.ext_start.min(m.start))))
            else {
                continue;
            };
            for &e in &m.ents {
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// The parties the tree coordinates with party mention `idx`, where the words between
    /// hide the link: "the journalist X and the former Marine Y", "the envoy X and the
    /// veteran diplomat Y". The conjuncts of the mention's head word, or of the noun it is
    /// in apposition to, each the party it holds or its own apposition names; the
    /// mention's own entities come first.
    pub(super) fn tree_conjuncts_of(&self, idx: usize) -> Parties {
        let m = &self.ctx.info.mentions[idx];
        let mut out = Parties::from_slice(&m.ents);
        let Some(tree) = self.tree() else {
            return out;
        };
        let Some(head) = self.span_head(tree, m.start, m.end) else {
            return out;
        };
        let mut words = vec![head];
        // The parser may hang a conjunct on a name's last word.
        words.extend(tree.children_with(head, "flat"));
        if tree.is(head, "appos") {
            words.extend(tree.head(head));
        }
        for c in words.into_iter().flat_map(|w| tree.conjuncts(w)) {
            let mut parties = self.parties_at(tree, c);
            if parties.is_empty() {
                for a in tree.children_with(c, "appos") {
                    parties.extend(self.parties_at(tree, a));
                }
            }
            for e in parties {
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// Whether the tree marks predicate `v` as negated or, unless `hypothetical_ok`,
    /// hoped for or possible: a dependent of the negation class ("not", "never") or of the
    /// hypothetical class (a modal) on the predicate.
    pub(super) fn tree_blocked(&self, tree: &Tree<'_>, v: usize, hypothetical_ok: bool) -> bool {
        let start = self.ctx.info.start;
        tree.children(v).any(|c| {
            (tree.is(c, "advmod") || tree.is(c, "aux")) && self.ctx.is(start + c, class::NEGATION)
                || (!hypothetical_ok
                    && tree.is(c, "aux")
                    && self.ctx.is(start + c, class::HYPOTHETICAL))
        })
    }

    /// The words tree `steps` reach from trigger `v` (several where a step matches several
    /// dependents); none where a clause climbed to is negated or, unless `hypothetical_ok`,
    /// hoped for.
    fn follow(
        &self,
        tree: &Tree<'_>,
        v: usize,
        steps: &[Step],
        hypothetical_ok: bool,
    ) -> SmallVec<[usize; 4]> {
        let mut at: SmallVec<[usize; 4]> = smallvec![v];
        let start = self.ctx.info.start;
        for step in steps {
            let mut next = SmallVec::new();
            for &w in &at {
                match step {
                    Step::Down(label) => next.extend(tree.children_with(w, label)),
                    Step::Case(label, words) => {
                        next.extend(tree.children_with(w, label).filter(|&c| {
                            tree.children_with(c, "case")
                                .any(|m| words.iter().any(|x| x == self.ctx.lower(start + m)))
                        }))
                    }
                    Step::Up(label) => {
                        if let Some(h) = tree.head(w)
                            && tree.is(w, label)
                            && !self.tree_blocked(tree, h, hypothetical_ok)
                        {
                            next.push(h);
                        }
                    }
                }
            }
            at = next;
            if at.is_empty() {
                break;
            }
        }
        at
    }

    /// The parties tree `steps` reach from trigger `v`, with their conjuncts.
    pub(super) fn parties_by(
        &self,
        tree: &Tree<'_>,
        v: usize,
        steps: &[Step],
        hypothetical_ok: bool,
    ) -> Parties {
        let mut out = Parties::new();
        for w in self.follow(tree, v, steps, hypothetical_ok) {
            for e in self.parties_at(tree, w) {
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// Whether the sentence holds, for each `Case` step of pattern `p`, one of its case
    /// words: after the trigger at token `i` for a step taken from the trigger itself (a
    /// preposition comes before its noun, which follows the trigger in all but rare fronted
    /// phrases), anywhere for a step taken further on. A pattern that cannot apply is not
    /// worth parsing the sentence for.
    fn case_words_present(&self, p: &TreePattern, i: usize) -> bool {
        let end = self.ctx.info.end;
        let present = |from: usize, words: &[String]| {
            (from..end).any(|x| words.iter().any(|w| w == self.ctx.lower(x)))
        };
        [&p.source, &p.target].into_iter().all(|path| {
            path.iter().enumerate().all(|(n, step)| match step {
                Step::Case(_, words) if n == 0 => present(i + 1, words),
                Step::Case(_, words) => present(self.ctx.info.start, words),
                Step::Down(_) | Step::Up(_) => true,
            })
        })
    }

    /// Whether trigger `v` is the kind of word `p` anchors on (passive or not, its tag).
    fn anchors(tree: &Tree<'_>, v: usize, p: &TreePattern) -> bool {
        p.passive
            .is_none_or(|passive| tree.is_passive(v) == passive)
            && (p.tags.is_empty() || p.tags.iter().any(|t| t == tree.xpos(v)))
    }

    /// The first pattern of `rel` with both paths that reaches a party on each side from
    /// the verb at token `i`: its agents, its targets, its rule name and whether it reads a
    /// passive (whose object phrase is no `what`). `None` where the
    /// sentence holds no tree, the trigger is negated or hoped for, or no pattern applies.
    pub(super) fn tree_fact(
        &self,
        rel: &Relation,
        i: usize,
    ) -> Option<(Parties, Parties, Arc<str>, bool)> {
        // Only a sentence some paired pattern could apply to is parsed here.
        let paired = |p: &TreePattern| {
            !p.source.is_empty() && !p.target.is_empty() && self.case_words_present(p, i)
        };
        if !rel
            .patterns
            .iter()
            .any(|(pi, _)| paired(&self.ctx.k.tree_patterns[*pi]))
        {
            return None;
        }
        let (tree, v) = self.tree_at(i)?;
        if self.tree_blocked(tree, v, rel.spec.hypothetical_ok) {
            return None;
        }
        rel.patterns.iter().find_map(|(pi, name)| {
            let p = &self.ctx.k.tree_patterns[*pi];
            if !paired(p) || !Self::anchors(tree, v, p) {
                return None;
            }
            let agents = self.parties_by(tree, v, &p.source, rel.spec.hypothetical_ok);
            if agents.is_empty() {
                return None;
            }
            let targets = self.parties_by(tree, v, &p.target, rel.spec.hypothetical_ok);
            let passive = p.passive == Some(true);
            (!targets.is_empty()).then(|| (agents, targets, name.clone(), passive))
        })
    }

    /// One side of the verb at token `i` as the first pattern of `rel` with a path for that
    /// side alone reads it (`source` or `target`), with the pattern's rule name.
    fn tree_side(&self, rel: &Relation, i: usize, source: bool) -> Option<(Parties, Arc<str>)> {
        let (tree, v) = self.tree_at(i)?;
        if self.tree_blocked(tree, v, rel.spec.hypothetical_ok) {
            return None;
        }
        rel.patterns.iter().find_map(|(pi, name)| {
            let p = &self.ctx.k.tree_patterns[*pi];
            let (path, other) = if source {
                (&p.source, &p.target)
            } else {
                (&p.target, &p.source)
            };
            if path.is_empty() || !other.is_empty() || !Self::anchors(tree, v, p) {
                return None;
            }
            let parties = self.parties_by(tree, v, path, rel.spec.hypothetical_ok);
            (!parties.is_empty()).then(|| (parties, name.clone()))
        })
    }

    /// The agents of the verb at token `i` as the tree patterns of `rel` read them: its
    /// nominal subject, the noun a relative clause modifies, the object or subject of the
    /// verb that controls it, the subject of the clause a participle or coordinated verb
    /// hangs on (`rules/patterns.ron`).
    pub(super) fn tree_subject(&self, rel: &Relation, i: usize) -> Option<(Parties, Arc<str>)> {
        self.tree_side(rel, i, true)
    }

    /// The agents of a participle at token `i` that opens a clause of its own without a
    /// subject ("..., accusing X of Y", "after meeting X, Y said"): the subject of the clause
    /// it hangs on, as the tree reads it. `None` when the word is no such participle or the
    /// tree finds no party there; the words before a participle often end in a party that
    /// is no subject of it ("demanded that the court annul the vote, accusing X").
    pub(super) fn participle_subject(
        &self,
        rel: &Relation,
        i: usize,
    ) -> Option<(Parties, Arc<str>)> {
        let (tree, v) = self.tree_at(i)?;
        let participle = tree.xpos(v) == "VBG"
            && (tree.is(v, "advcl") || tree.is(v, "acl"))
            && tree.children_with(v, "nsubj").next().is_none();
        if !participle {
            return None;
        }
        self.tree_subject(rel, i)
    }

    /// Whether the tree keeps the mention at `idx` (a party the token rules took as the
    /// object of the trigger at token `i`) an argument of that trigger: climbing from the
    /// mention's head word reaches the trigger through nouns and prepositions alone. A party
    /// the climb reaches only through another predicate belongs to that predicate's clause
    /// ("rejected the criticism and accused Y", "rejected any mediation and said Y would not
    /// come"), and one the climb never reaches the trigger from is no argument of it. `None`
    /// where the sentence holds no tree or the tree does not read the trigger as a verb.
    pub(super) fn tree_keeps_object(&self, i: usize, idx: usize) -> Option<bool> {
        let (tree, v) = self.tree_at(i)?;
        if misread_verb(tree, v) {
            return None;
        }
        let start = self.ctx.info.start;
        let m = &self.ctx.info.mentions[idx];
        let (from, to) = (m.start.checked_sub(start)?, m.end.checked_sub(start)?);
        // The mention's head: its word whose head lies outside it.
        let head = (from..to.min(tree.len()))
            .find(|&w| tree.head(w).is_none_or(|h| h < from || h >= to))?;
        // A region's name that modifies a noun names no party: "agreed a truce on Red Sea
        // shipping". A demonym does ("attacked Ukrainian cities").
        if m.kind == MentionKind::Name
            && tree.is(head, "compound")
            && tree
                .head(head)
                .is_some_and(|h| h >= to && tree.upos(h) == "NOUN")
            && m.ents
                .iter()
                .all(|&e| self.state.entities[e].label == Some("Region"))
        {
            return Some(false);
        }
        // Nor has a tree that hangs the trigger below the party ("Major praised Kohl" read as
        // a noun phrase headed by "Kohl").
        let mut up = v;
        for _ in 0..tree.len() {
            match tree.head(up) {
                Some(h) if h == head => return None,
                Some(h) => up = h,
                None => break,
            }
        }
        let mut w = head;
        for _ in 0..tree.len() {
            let Some(h) = tree.head(w) else {
                return Some(false);
            };
            if h == v {
                return Some(true);
            }
            // A participle modifying a noun on the way keeps the party with that noun
            // ("criticised exercises planned by X"); an infinitive there is a clause of its
            // own ("urged the allies to avoid a split with X").
            if matches!(tree.upos(h), "VERB" | "AUX")
                && (tree.label(h) != "acl" || !matches!(tree.xpos(h), "VBN" | "VBG"))
            {
                return Some(false);
            }
            w = h;
        }
        Some(false)
    }

    /// Whether the mention at `idx` holds the direct object of the verb at token `i` (or a
    /// word coordinated with it); `None` where the sentence holds no tree.
    pub(super) fn tree_direct_object(&self, i: usize, idx: usize) -> Option<bool> {
        let (tree, v) = self.tree_at(i)?;
        if misread_verb(tree, v) {
            return None;
        }
        let start = self.ctx.info.start;
        let m = &self.ctx.info.mentions[idx];
        let objects = tree
            .children_with(v, "obj")
            .flat_map(|o| std::iter::once(o).chain(tree.conjuncts(o)));
        Some(
            objects
                .map(|o| start + o)
                .any(|o| (m.start.min(m.ext_start)..m.end).contains(&o)),
        )
    }

    /// The agents of a trigger noun at token `i` that an event preposition puts in a
    /// phrase of a predicate (`event_preps`): "X, speaking in Doha after talks with Y,
    /// said", "X agreed to delay the tariffs after a call with Y"; or that a purpose
    /// preposition (`purpose_preps`) puts in a phrase of a verb of travel: "X arrived in
    /// Seoul for talks with Y". The event is the predicate's subject's, as the tree
    /// patterns of `rel` read it from the predicate; none where the predicate is negated or
    /// hoped for.
    pub(super) fn event_phrase_agents(&self, rel: &Relation, i: usize) -> Option<Parties> {
        let k = self.ctx.k;
        let event_prep = |x: usize| {
            let w = self.ctx.lower(x);
            k.event_preps.contains(w) || k.purpose_preps.contains(w)
        };
        // Only a symmetric event (a meeting, a deal) has the subject among its parties:
        // "after attacks on Y, X said" tells nothing X did.
        let near = i.saturating_sub(4).max(self.ctx.info.start);
        if !rel.spec.symmetric || !(near..i).any(event_prep) {
            return None;
        }
        let (tree, n) = self.tree_at(i)?;
        let start = self.ctx.info.start;
        let head = tree.head(n).filter(|_| tree.is(n, "obl"))?;
        let travel = || {
            let visit_words = &AttributeWords::get().places.visit_words;
            tree.upos(head) == "VERB"
                && visit_words
                    .iter()
                    .any(|w| w == self.ctx.lower(start + head))
        };
        let by_event_prep = tree.children_with(n, "case").any(|c| {
            let w = self.ctx.lower(start + c);
            k.event_preps.contains(w) || (k.purpose_preps.contains(w) && travel())
        });
        if !by_event_prep
            || !matches!(tree.upos(head), "VERB" | "AUX")
            || self.tree_blocked(tree, head, rel.spec.hypothetical_ok)
            || self.directed(start + head)
        {
            return None;
        }
        self.tree_subject(rel, start + head)
            .map(|(parties, _)| parties)
    }

    /// A relative clause on the trigger noun at token `i` whose verb is one of the noun's
    /// light verbs: "the truce, which X and Y signed", "the missiles that X fired at Y", "a
    /// ceasefire agreement the two sides signed". The light verb's token and its subjects;
    /// none where the clause is negated or, unless `rel` allows it, hoped for. A noun that
    /// modifies another ("ceasefire" of "ceasefire agreement") reads its head's clause.
    pub(super) fn relative_light_verb(
        &self,
        rel: &Relation,
        light_verbs: &[String],
        i: usize,
    ) -> Option<(usize, Parties)> {
        let (tree, mut n) = self.tree_at(i)?;
        if tree.is(n, "compound")
            && let Some(h) = tree.head(n)
        {
            n = h;
        }
        let start = self.ctx.info.start;
        // The parser sometimes hangs a clause right after the noun on the verb the noun is
        // the object of ("praised the agreement X and Y signed"): a relative clause whose
        // words start right after the noun is the noun's too.
        let leftmost = |v: usize| {
            let mut first = v;
            let mut stack = vec![v];
            while let Some(w) = stack.pop() {
                for c in tree.children(w) {
                    first = first.min(c);
                    stack.push(c);
                }
            }
            first
        };
        let misplaced = (n + 1..tree.len()).filter(|&v| {
            tree.is(v, "acl:relcl") && tree.head(v) != Some(n) && leftmost(v) == n + 1
        });
        tree.children_with(n, "acl:relcl")
            .chain(misplaced)
            .find_map(|v| {
                let at = start + v;
                if !light_verbs.iter().any(|w| w == self.ctx.lower(at))
                    || self.tree_blocked(tree, v, rel.spec.hypothetical_ok)
                    || self.ctx.negated(at)
                    || self.denied(at)
                    || (!rel.spec.hypothetical_ok && self.hypothetical(at))
                {
                    return None;
                }
                let mut agents = Parties::new();
                for s in tree.children_with(v, "nsubj") {
                    agents.extend(self.parties_at(tree, s));
                }
                (!agents.is_empty()).then_some((at, agents))
            })
    }

    /// Whether the predicate at token `i` is what someone was urged, asked or offered to do
    /// ("X urged Y to meet Z", "X offered to release Z"): it hangs by `xcomp` on a verb of a
    /// proposing relation (`proposal` in `rules/relations.ron`), so it is asked for, not
    /// done. Only a sentence holding such a verb before `i` is parsed for it.
    pub(super) fn directed(&self, i: usize) -> bool {
        let ctx = self.ctx;
        let proposing = |x: usize| {
            ctx.is(x, class::VERB)
                && ctx.k.verbs.get(ctx.lower(x)).is_some_and(|list| {
                    list.iter()
                        .any(|ph| ctx.k.relations[ph.value].spec.proposal)
                })
        };
        if !(ctx.info.start..i).any(proposing) {
            return false;
        }
        let Some((tree, v)) = self.tree_at(i) else {
            return false;
        };
        let start = ctx.info.start;
        // Up through coordinated predicates ("urged X to meet Y and sign Z").
        let mut w = v;
        while tree.is(w, "conj")
            && let Some(h) = tree.head(w)
        {
            w = h;
        }
        // The parser reads some such infinitives as adverbial clauses ("urged the group to
        // accept the deal").
        let infinitive = tree.is(w, "xcomp")
            || (tree.is(w, "advcl")
                && tree
                    .children_with(w, "mark")
                    .any(|m| ctx.lower(start + m) == "to"));
        infinitive && tree.head(w).is_some_and(|h| proposing(start + h))
    }

    /// The subject of a verb at token `i` coordinated with an earlier predicate and without
    /// a subject of its own, where the words gave `agents` from between the two: "X
    /// threatened to attack Y and then met Z" is X's meeting, Y being the first
    /// predicate's object. `None` where the tree does not read the verb so, or the words'
    /// parties lie elsewhere.
    pub(super) fn conjunct_subject(
        &self,
        rel: &Relation,
        i: usize,
        agents: &[usize],
    ) -> Option<(Parties, Arc<str>)> {
        if agents.is_empty() {
            return None;
        }
        let (tree, v) = self.tree_at(i)?;
        if misread_verb(tree, v) || !tree.is(v, "conj") || tree.subject(v).is_some() {
            return None;
        }
        let first = tree.head(v)?;
        if !matches!(tree.upos(first), "VERB" | "AUX") {
            return None;
        }
        let start = self.ctx.info.start;
        // The mention the words took the subject from: the last of theirs before the verb.
        let between = self
            .ctx
            .info
            .mentions
            .iter()
            .rfind(|m| m.end <= i && m.ents.iter().any(|e| agents.contains(e)))
            .is_some_and(|m| m.start > start + first);
        if !between {
            return None;
        }
        self.tree_subject(rel, i)
            .filter(|(parties, _)| parties.iter().all(|e| !agents.contains(e)))
    }

    /// Where a verb phrase of one verb and one preposition ends when words stand between
    /// the two ("spoke twice with", "talked at length with", "spoke by phone on Monday
    /// with"): the token after the preposition, which the tree must hang below the verb at
    /// token `i` with no other predicate between. At most four words between, none a
    /// break, a comma or a party.
    pub(super) fn particle_after_gap(&self, i: usize, rest: &[String]) -> Option<usize> {
        let ctx = self.ctx;
        let [particle] = rest else {
            return None;
        };
        let end = ctx.info.end.min(i + 6);
        let x = (i + 2..end).find(|&x| ctx.lower(x) == particle.as_str())?;
        if !ctx.is(x, class::PREPOSITION)
            || (i + 1..x).any(|y| {
                ctx.is(y, class::BREAK)
                    || ctx.tokens[y].text == ","
                    || ctx.info.mentions.iter().any(|m| m.start <= y && y < m.end)
            })
        {
            return None;
        }
        let (tree, v) = self.tree_at(i)?;
        if misread_verb(tree, v) {
            return None;
        }
        // Up from the preposition to the verb, through the words between and the phrase's
        // noun alone: the parser hangs "with X" on "twice" or "phone" as often as on the
        // verb, but a predicate on the way owns the phrase.
        let mut w = x - ctx.info.start;
        for _ in 0..5 {
            match tree.head(w) {
                Some(h) if h == v => return Some(x + 1),
                Some(h) if !matches!(tree.upos(h), "VERB" | "AUX") => w = h,
                _ => return None,
            }
        }
        None
    }

    /// The target of the verb at token `i` as the tree patterns of `rel` read it (its direct
    /// object, with the objects coordinated with it).
    pub(super) fn tree_object(&self, rel: &Relation, i: usize) -> Option<(Parties, Arc<str>)> {
        self.tree_side(rel, i, false)
    }
}
