//! Whether an event is told as done: the dependency tree says when a trigger is hoped for,
//! planned, possible or conditional ("X hopes to meet Y", "X is expected to meet Y", "if X
//! meets Y", "the possibility of talks") or denied ("X denied that it attacked Y"). The cue
//! words are the `hypotheticals`, `conditionals` and `negations` of `rules/lexicon.ron`; this
//! module says only where in the tree a cue must stand to reach the trigger, so that a cue
//! of another predicate ("X threatened Y and met Z", "X, who will travel to Y, met Z") leaves
//! the trigger asserted; an event told as cancelled or as never having taken place is
//! undone (`undoings`, `occurrences`). It holds no word list.

use smallvec::SmallVec;

use crate::syntax::Tree;

use super::super::rules::{FastMap, Phrase};

use super::{Extractor, class};

/// How a word of the mood chain was reached from the one below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// The trigger itself.
    Trigger,
    /// A controlled clause ("hopes *to meet*"): the controller's meaning and its modals
    /// reach the clause.
    Control,
    /// A coordinated predicate ("will meet X *and sign* Y"), or a purpose infinitive
    /// ("will fly to Y *to meet* Z"): the first predicate's modals and conditions reach it,
    /// not its meaning ("threatened Y and *met* Z").
    Conjunct,
    /// A noun argument of a predicate or of another noun ("seek *talks*", "the possibility
    /// of *talks*"): the head's meaning and modals reach it.
    Argument,
    /// A complement clause ("hopes Y *signs*", "denied that it *attacked*") or an
    /// infinitive on a noun ("plans *to meet*"): the head's meaning alone, and the chain
    /// ends there.
    Governor,
    /// A subject ("*talks* are likely"): the meaning of a stative head alone, and the
    /// chain ends there. What the subject's predicate denies ("talks failed to produce a deal") does
    /// not undo the subject's event.
    Subject,
}

/// The words whose mood the tree word `v` shares, with how each was reached: `v`, then up
/// through controlled clauses, coordination and noun arguments, ending at a complement
/// clause's, a subject's or an infinitive's head.
fn mood_chain(tree: &Tree<'_>, v: usize) -> SmallVec<[(usize, Link); 8]> {
    let mut chain: SmallVec<[(usize, Link); 8]> = SmallVec::new();
    chain.push((v, Link::Trigger));
    let mut w = v;
    for _ in 0..tree.len() {
        let Some(h) = tree.head(w) else { break };
        let step = if tree.is(w, "xcomp") {
            Link::Control
        } else if tree.is(w, "conj") || purpose(tree, w) {
            Link::Conjunct
        } else if tree.is(w, "obj") || tree.is(w, "obl") || tree.is(w, "nmod") {
            Link::Argument
        } else if tree.is(w, "nsubj") {
            Link::Subject
        } else if tree.is(w, "ccomp") || tree.is(w, "acl") {
            // A relative clause modifies its noun; it says nothing of the noun's mood.
            if tree.is(w, "acl:relcl") {
                break;
            }
            Link::Governor
        } else {
            break;
        };
        chain.push((h, step));
        if matches!(step, Link::Governor | Link::Subject) {
            break;
        }
        w = h;
    }
    chain
}

/// Whether tree word `w` heads a purpose infinitive ("travel to Paris *to meet* X"): a
/// clause that shares the modals, conditions and controllers of the predicate it hangs on
/// ("plans to travel to Paris to meet X"), not that predicate's own meaning.
fn purpose(tree: &Tree<'_>, w: usize) -> bool {
    tree.is(w, "advcl") && tree.children_with(w, "mark").any(|m| tree.xpos(m) == "TO")
}

impl Extractor<'_, '_, '_> {
    /// Whether the event of the trigger at token `i` (a verb, or a noun's light verb or the
    /// noun itself) is hoped for, planned, possible or conditional. The tree decides: a
    /// modal, a condition ("if") or a hedge ("possibly", "future") on the trigger or on a
    /// predicate it is controlled by, coordinated with or an argument of; or a hoping,
    /// planning or expecting word that controls or governs it. Without a tree, the words
    /// before the trigger decide (`SentenceCtx::hypothetical`).
    pub(super) fn hypothetical(&self, i: usize) -> bool {
        let ctx = self.ctx;
        let (start, end) = (ctx.info.start, ctx.info.end);
        // A sentence without a cue word needs no tree.
        if !ctx.any_of(start, end, class::HYPOTHETICAL | class::CONDITIONAL) {
            return false;
        }
        let Some((tree, v)) = self.tree_at(i) else {
            return ctx.hypothetical(i);
        };
        let cue = |w: usize, c: u32| ctx.is(start + w, c);
        mood_chain(tree, v).iter().any(|&(w, step)| {
            // A subject's event is hedged by a predicate of state ("talks are expected",
            // "a deal is likely"), not by an act of its own ("the deal aims to", "the
            // meeting set the stage").
            let stative = step != Link::Subject || tree.xpos(w) == "VBN" || tree.upos(w) == "ADJ";
            let meaning = step != Link::Trigger
                && step != Link::Conjunct
                && stative
                && cue(w, class::HYPOTHETICAL);
            let marked = matches!(
                step,
                Link::Trigger | Link::Control | Link::Conjunct | Link::Argument
            ) && tree.children(w).any(|c| {
                (["aux", "advmod", "amod", "compound"]
                    .iter()
                    .any(|l| tree.is(c, l))
                    && cue(c, class::HYPOTHETICAL))
                    || (tree.is(c, "mark") && cue(c, class::CONDITIONAL))
            });
            meaning || marked
        })
    }

    /// Whether the event of the trigger noun at token `i` is told as undone: the noun is
    /// the subject or object of an undoing verb ("the meeting was cancelled", "called off
    /// the talks", "a summit that Kenya postponed"), or the subject of a negated verb of
    /// occurrence ("talks that never took place", "the meeting did not happen"). The words
    /// are the `undoings` and `occurrences` of `rules/lexicon.ron`.
    pub(super) fn undone(&self, i: usize) -> bool {
        let ctx = self.ctx;
        let (start, end) = (ctx.info.start, ctx.info.end);
        let at = |x: usize, map: &FastMap<String, Vec<Phrase<()>>>| {
            map.get(ctx.lower(x)).is_some_and(|list| {
                list.iter().any(|ph| {
                    ph.rest
                        .iter()
                        .enumerate()
                        .all(|(n, w)| x + 1 + n < end && ctx.lower(x + 1 + n) == w)
                })
            })
        };
        let (undoings, occurrences) = (&ctx.k.undoings, &ctx.k.occurrences);
        // A sentence without such a verb needs no tree.
        if !(start..end).any(|x| at(x, undoings) || at(x, occurrences)) {
            return false;
        }
        let Some((tree, v)) = self.tree_at(i) else {
            return false;
        };
        let negated = |h: usize| tree.children(h).any(|c| ctx.is(start + c, class::NEGATION));
        let undoes = |h: usize, subject: bool| {
            at(start + h, undoings) || (subject && at(start + h, occurrences) && negated(h))
        };
        let argument = tree.head(v).is_some_and(|h| {
            let subject = tree.is(v, "nsubj") || tree.is(v, "nsubj:pass");
            (subject || tree.is(v, "obj")) && undoes(h, tree.is(v, "nsubj"))
        });
        argument || tree.children_with(v, "acl:relcl").any(|r| undoes(r, true))
    }

    /// Whether the event of the trigger at token `i` is denied by what governs it: a
    /// negating word that controls it or takes it as its complement ("X denied that it
    /// attacked Y", "X denied attacking Y", "X refused to meet Y"). The negation on the
    /// trigger itself, and on a predicate a few words before, is `SentenceCtx::negated`'s.
    pub(super) fn denied(&self, i: usize) -> bool {
        let ctx = self.ctx;
        let start = ctx.info.start;
        if !ctx.any_of(start, i, class::NEGATION) {
            return false;
        }
        let Some((tree, v)) = self.tree_at(i) else {
            return false;
        };
        mood_chain(tree, v)
            .iter()
            .skip(1)
            .take_while(|(_, link)| matches!(link, Link::Control | Link::Governor))
            .any(|&(w, _)| ctx.is(start + w, class::NEGATION))
    }
}
