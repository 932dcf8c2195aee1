//! Complements and judgements: "told X that ... would be the path", "called X a great leader".

use super::super::article::TokKind;
use super::super::rules::Relation;
use super::{Construction, Extractor, Parties};

impl Extractor<'_, '_, '_> {
    pub(super) fn complement(&mut self, rel: &Relation, ci: usize, i: usize) {
        let ctx = self.ctx;
        let c = &rel.spec.complements[ci];
        let Some(m) = ctx.info.mentions.iter().position(|m| m.start == i + 1) else {
            return;
        };
        if !ctx.party(&ctx.info.mentions[m], &*self.state) {
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
        if !cue || ctx.negated(i) || self.denied(i) || self.hypothetical(i) {
            return;
        }
        let agents = ctx.subject(i, &*self.state);
        let targets = Parties::from_slice(&ctx.info.mentions[m].ents);
        let what = || ctx.what(after + 1);
        self.emit(
            rel,
            &agents,
            &targets,
            (i, after),
            what,
            Construction::ToldThat,
        );
    }

    pub(super) fn judgement(&mut self, rel: &Relation, ji: usize, i: usize) {
        let ctx = self.ctx;
        let jt = &rel.spec.judgements[ji];
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
            .rfind(|m| m.start > v && m.end <= i && ctx.party(m, &*self.state))
        else {
            return;
        };
        let agents = ctx.subject(v, &*self.state);
        let targets = Parties::from_slice(&target.ents);
        self.emit(
            rel,
            &agents,
            &targets,
            (v, i),
            || None,
            Construction::Judgement,
        );
    }
}
