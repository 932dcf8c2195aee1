//! Reading a trigger's arguments from the dependency tree of its sentence (`crate::syntax`):
//! the subject of a verb, climbing from a controlled, coordinated or adverbial clause to the
//! clause it hangs on, a relative pronoun standing for the noun its clause modifies, the
//! direct object, and coordination (`conj`) on either side. The tree's reading wins where it
//! names a party: a verb's own nominal subject, the subject a participle clause takes from
//! the clause it hangs on; elsewhere the token rules read first and the tree is asked only
//! where they find no party. The sentence is parsed when a rule first asks, once.

use crate::syntax::Tree;

use super::super::resolve::MentionKind;
use super::{Extractor, Parties, class};

/// How many clauses the subject search climbs ("X agreed to try to meet Y": two).
const CLIMB: usize = 3;

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
    fn tree_at(&self, i: usize) -> Option<(&Tree<'static>, usize)> {
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
        for w in words {
            let at = start + w;
            let Some(m) = self.ctx.info.mentions.iter().find(|m| {
                m.start <= at
                    && at < m.end
                    && self.ctx.party(m, self.state)
                    && !(m.kind == MentionKind::Pronoun && m.possessive)
            }) else {
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

    /// Whether the tree marks predicate `v` as negated or, unless `hypothetical_ok`,
    /// hoped for or possible: a dependent of the negation class ("not", "never") or of the
    /// hypothetical class (a modal) on the predicate.
    fn tree_blocked(&self, tree: &Tree<'_>, v: usize, hypothetical_ok: bool) -> bool {
        let start = self.ctx.info.start;
        tree.children(v).any(|c| {
            (tree.is(c, "advmod") || tree.is(c, "aux")) && self.ctx.is(start + c, class::NEGATION)
                || (!hypothetical_ok
                    && tree.is(c, "aux")
                    && self.ctx.is(start + c, class::HYPOTHETICAL))
        })
    }

    /// The agents of the active verb at token `i` as the tree reads them: its nominal
    /// subject, or, for a clause without one, the subject of the clause it hangs on (the
    /// object of a controlling verb: "urged X to meet Y" gives X for "meet"). Empty when
    /// the verb is passive, negated or hoped for, or the subject is no party.
    pub(super) fn tree_subject(&self, i: usize, hypothetical_ok: bool) -> Parties {
        let Some((tree, mut v)) = self.tree_at(i) else {
            return Parties::new();
        };
        if tree.is_passive(v) {
            return Parties::new();
        }
        for _ in 0..CLIMB {
            if self.tree_blocked(tree, v, hypothetical_ok) {
                return Parties::new();
            }
            if let Some(s) = tree.children_with(v, "nsubj").next() {
                // "X, who met Y": the relative pronoun stands for the noun its clause
                // modifies.
                let s = match tree.head(v) {
                    Some(h) if tree.is(v, "acl:relcl") && tree.upos(s) == "PRON" => h,
                    _ => s,
                };
                return self.parties_at(tree, s);
            }
            let Some(h) = tree.head(v) else {
                break;
            };
            if tree.is(v, "xcomp")
                && let Some(o) = tree.object(h)
            {
                return self.parties_at(tree, o);
            }
            // "the delegation, seeking talks with X": a participle modifying a noun is done
            // by what the noun names.
            if tree.is(v, "acl") && !tree.is(v, "acl:relcl") && tree.xpos(v) == "VBG" {
                return self.parties_at(tree, h);
            }
            if !(tree.is(v, "xcomp") || tree.is(v, "conj") || tree.is(v, "advcl")) {
                break;
            }
            v = h;
        }
        Parties::new()
    }

    /// The agents of a participle at token `i` that opens a clause of its own without a
    /// subject ("..., accusing X of Y", "after meeting X, Y said"): the subject of the clause
    /// it hangs on, as the tree reads it. `None` when the word is no such participle or the
    /// tree finds no party there; the words before a participle often end in a party that
    /// is no subject of it ("demanded that the court annul the vote, accusing X").
    pub(super) fn participle_subject(&self, i: usize, hypothetical_ok: bool) -> Option<Parties> {
        let (tree, v) = self.tree_at(i)?;
        let participle = tree.xpos(v) == "VBG"
            && (tree.is(v, "advcl") || tree.is(v, "acl"))
            && tree.children_with(v, "nsubj").next().is_none();
        if !participle {
            return None;
        }
        let agents = self.tree_subject(i, hypothetical_ok);
        (!agents.is_empty()).then_some(agents)
    }

    /// The direct object of the verb at token `i` as the tree reads it, with the objects
    /// coordinated with it.
    pub(super) fn tree_object(&self, i: usize) -> Parties {
        let Some((tree, v)) = self.tree_at(i) else {
            return Parties::new();
        };
        match tree.object(v) {
            Some(o) => self.parties_at(tree, o),
            None => Parties::new(),
        }
    }
}
