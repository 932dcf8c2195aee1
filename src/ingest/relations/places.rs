//! Places: one region inside another (LOCATED_IN), and the places a rule may take as a target.

use super::super::article::TokKind;
use super::super::resolve::{ArticleState, Mention, MentionKind};
use super::{Construction, ExFact, SentenceCtx, standing_rule, standing_type};

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
        let rank = |r: &super::super::lexicon::Region| match r.kind {
            super::super::lexicon::RegionKind::City => 0,
            super::super::lexicon::RegionKind::Province
            | super::super::lexicon::RegionKind::Other => 1,
            super::super::lexicon::RegionKind::Country => 2,
            _ => 3,
        };
        if rank(c) >= rank(p) || rank(p) == 3 {
            return false;
        }
        match c.parent.as_deref() {
            Some(name) => gaz.by_name.get(&super::super::lexicon::fold_key(name)) == Some(&parent),
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
        let ranked = matches!(c.kind, super::super::lexicon::RegionKind::City)
            && matches!(
                p.kind,
                super::super::lexicon::RegionKind::Province
                    | super::super::lexicon::RegionKind::Other
            );
        ranked
            && c.parent.is_some()
            && c.parent.as_deref().map(super::super::lexicon::fold_key)
                == p.parent.as_deref().map(super::super::lexicon::fold_key)
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

/// Whether the words after ", the" in "X, the largest city in (eastern) Y" describe a place
/// inside the next name: a few words holding a place noun and ending in "of" or "in", perhaps
/// with a compass adjective after it.
pub(super) fn appositive_place(rest: &[&str]) -> bool {
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

/// The place right after a verb ("X", "the town of X"), whether or not it can act.
pub(super) fn place_target(
    ctx: &SentenceCtx<'_, '_>,
    j: usize,
    state: &ArticleState,
) -> Option<usize> {
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
