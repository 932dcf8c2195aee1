//! Antecedents: which entity named before a reference (a pronoun, a description such as "the
//! company") stands for it. A reference agrees with its antecedent in label, kind, number
//! and gender where they are known; the nearest stretch of text holding an entity that
//! fits decides (the sentence so far, the sentence before, the paragraph, the article),
//! and a stretch holding two that fit as well leaves the reference unresolved.
//!
//! This module chooses among candidates the resolver hands it; it reads no tokens and never
//! guesses between two equally fitting antecedents.

use smallvec::SmallVec;

use super::identity::Gender;
use super::lexicon::RegionKind;
use super::resolve::ArtEntity;
use super::rules::{Description, Knowledge, Referent};

/// What a reference requires of its antecedent.
#[derive(Debug, Clone, Copy)]
pub enum Wanted<'k> {
    /// A person, of this gender when the word says one.
    Person(Option<Gender>),
    /// An organisation or a country ("it", "its").
    Thing,
    /// An organisation or a region of a description ("the bloc", "the country"), or a
    /// person of a group reference's noun ("the two leaders").
    Described(&'k Description),
}

impl<'k> Wanted<'k> {
    /// What a pronoun that stands for one entity requires; `None` for a group pronoun.
    pub fn of_pronoun(refers: Referent, gender: Option<Gender>) -> Option<Wanted<'k>> {
        match refers {
            Referent::Person => Some(Wanted::Person(gender)),
            Referent::Thing => Some(Wanted::Thing),
            Referent::Group => None,
        }
    }

    /// Whether `e` can be the antecedent: its label and kind fit, and its gender does not
    /// contradict the reference's (`gender_of` tells it, when the text or a name does).
    pub fn fits(
        &self,
        e: &ArtEntity,
        k: &Knowledge,
        gender_of: impl FnOnce(&ArtEntity) -> Option<Gender>,
    ) -> bool {
        match *self {
            Wanted::Person(gender) => {
                e.label == Some("Person")
                    && gender.is_none_or(|g| gender_of(e).is_none_or(|known| known == g))
            }
            Wanted::Thing => match e.label {
                Some("Organization") => true,
                Some("Region") => {
                    e.actor
                        && e.region
                            .is_some_and(|r| k.gazetteer.regions[r].kind == RegionKind::Country)
                }
                None => e.fallback == Some("Organization"),
                _ => false,
            },
            Wanted::Described(d) => match (d.label, e.label) {
                // "the two leaders": persons of any gender.
                ("Person", Some("Person")) => true,
                ("Region", Some("Region")) => {
                    e.actor
                        && e.region.is_some_and(|r| {
                            let kind = k.gazetteer.regions[r].kind;
                            d.kinds.is_empty() || d.kinds.contains(&kind)
                        })
                }
                ("Organization", Some("Organization")) => {
                    d.name_words.is_empty() || {
                        let folded = crate::graph::fold_name(&e.name);
                        folded
                            .split(' ')
                            .any(|w| d.name_words.iter().any(|n| n == w))
                    }
                }
                _ => false,
            },
        }
    }
}

/// The answer of one stretch of text: nothing fits there, exactly one entity does, or more
/// than one does (the reference stays unresolved, and no farther stretch is asked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    None,
    One(usize),
    Ambiguous,
}

/// Which of `candidates` (entities of one stretch, in any order, repeats allowed) fit.
pub fn choose(candidates: impl IntoIterator<Item = usize>, fits: impl Fn(usize) -> bool) -> Choice {
    let mut found: SmallVec<[usize; 2]> = SmallVec::new();
    for e in candidates {
        if !found.contains(&e) && fits(e) {
            found.push(e);
            if found.len() > 1 {
                return Choice::Ambiguous;
            }
        }
    }
    match found.as_slice() {
        [e] => Choice::One(*e),
        _ => Choice::None,
    }
}

/// A person's gender: the one the text showed (a pronoun resolved to them alone, or their
/// titles: "Mrs", "spokeswoman"), else their given name's.
pub fn gender_of(e: &ArtEntity, k: &Knowledge) -> Option<Gender> {
    e.gender
        .or_else(|| k.identity.gender(e.titles.iter().map(String::as_str)))
        .or_else(|| {
            let first = e.name.split_whitespace().next()?;
            // A lone surname says nothing of a gender.
            if first == e.name {
                return None;
            }
            k.given_gender(first)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_fitting_candidate_is_chosen_two_are_ambiguous() {
        assert_eq!(choose([3, 4, 3], |e| e == 3), Choice::One(3));
        assert_eq!(choose([3, 4], |_| true), Choice::Ambiguous);
        assert_eq!(choose([3, 4], |_| false), Choice::None);
        assert_eq!(choose([5, 5, 5], |_| true), Choice::One(5));
    }
}
