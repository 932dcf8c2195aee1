//! Who a person's name can be: a name read into its parts (given names, surname with its
//! particles, suffix such as "Jr."), and whether two names can be one person (equal given
//! names, an initial of the other, a nickname or transliteration of it from the variant
//! table in `rules/names.ron`).
//!
//! It judges names only; it never looks at the graph, and it never calls two people one when
//! their given names, initials or suffixes disagree.

use super::rules::{FastMap, FastSet, RuleSet};
use crate::graph::fold_name;

/// The naming knowledge, compiled from the rules.
#[derive(Debug, Default, Clone)]
pub struct IdentityRules {
    particles: FastSet<String>,
    suffixes: FastSet<String>,
    postnominals: FastSet<String>,
    /// Folded given name to the index of its variant group.
    variants: FastMap<String, usize>,
    transliterations: Vec<(String, String)>,
    female: FastSet<String>,
    male: FastSet<String>,
    /// An analyst's judgements: folded name to its group of `same_entities`, and the groups
    /// as written.
    same: FastMap<String, usize>,
    same_groups: Vec<Vec<String>>,
    /// Folded pairs of `distinct_entities`, each in both orders.
    distinct: FastSet<(String, String)>,
    /// `generic_name_words`, folded: the words of names many countries' bodies share.
    generic: FastSet<String>,
}

/// A person's gender as the text shows it, when it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Female,
    Male,
}

/// A person's name in parts, folded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameParts {
    pub given: Vec<String>,
    /// The surname with its particles ("al assad").
    pub surname: String,
    pub suffix: Option<String>,
}

impl NameParts {
    /// Whether the name has a given name (is a full name, not a surname alone).
    pub fn is_full(&self) -> bool {
        !self.given.is_empty()
    }

    /// The surname's last word: the key under which people are indexed.
    pub fn surname_key(&self) -> &str {
        self.surname.rsplit(' ').next().unwrap_or("")
    }
}

impl IdentityRules {
    pub fn compile(rules: &RuleSet) -> Self {
        let fold_set = |words: &[String]| words.iter().map(|w| fold_name(w)).collect();
        let mut variants = FastMap::default();
        for (g, group) in rules.name_variants.iter().enumerate() {
            for name in group {
                // A name in two groups joins the first: groups never chain into one another.
                variants.entry(fold_name(name)).or_insert(g);
            }
        }
        let mut same = FastMap::default();
        for (g, group) in rules.same_entities.iter().enumerate() {
            for name in group {
                same.entry(fold_name(name)).or_insert(g);
            }
        }
        let mut distinct = FastSet::default();
        for (a, b) in &rules.distinct_entities {
            let (a, b) = (fold_name(a), fold_name(b));
            distinct.insert((b.clone(), a.clone()));
            distinct.insert((a, b));
        }
        IdentityRules {
            same,
            same_groups: rules.same_entities.clone(),
            distinct,
            particles: fold_set(&rules.name_particles),
            suffixes: fold_set(&rules.name_suffixes),
            postnominals: fold_set(&rules.postnominals),
            variants,
            transliterations: rules.transliterations.clone(),
            female: fold_set(&rules.female_titles),
            male: fold_set(&rules.male_titles),
            generic: fold_set(&rules.generic_name_words),
        }
    }

    /// Whether a folded name is made of `generic_name_words` alone ("house of
    /// representatives", "supreme court", "municipality"): a name many countries' bodies
    /// share, which says nothing of which one it is.
    pub fn is_generic(&self, key: &str) -> bool {
        !key.is_empty() && key.split(' ').all(|w| self.generic.contains(w))
    }

    /// The names the rules files say are one entity with `name` (itself included), when
    /// they say so.
    pub fn same_as(&self, name: &str) -> Option<&[String]> {
        let g = *self.same.get(&fold_name(name))?;
        self.same_groups.get(g).map(Vec::as_slice)
    }

    /// Whether the rules files keep any names apart at all.
    pub fn has_distinct(&self) -> bool {
        !self.distinct.is_empty()
    }

    /// Whether the rules files say that two names are never one entity.
    pub fn kept_apart(&self, a: &str, b: &str) -> bool {
        !self.distinct.is_empty() && self.distinct.contains(&(fold_name(a), fold_name(b)))
    }

    /// Whether the rules files keep any name of `these` apart from any of `those`.
    pub fn any_kept_apart<'a>(
        &self,
        these: impl IntoIterator<Item = &'a str> + Clone,
        those: impl IntoIterator<Item = &'a str> + Clone,
    ) -> bool {
        !self.distinct.is_empty()
            && these
                .into_iter()
                .any(|a| those.clone().into_iter().any(|b| self.kept_apart(a, b)))
    }

    /// Reads a person's name into its parts.
    pub fn parse(&self, name: &str) -> NameParts {
        let folded = fold_name(name);
        let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        // "Daniel Bernoulli FRS": honours after a name, as long as a name is left.
        while words.len() > 2 && words.last().is_some_and(|w| self.postnominals.contains(*w)) {
            words.pop();
        }
        let mut suffix = None;
        if words.len() >= 2
            && let Some(last) = words.last()
            && self.suffixes.contains(*last)
        {
            suffix = Some(last.to_string());
            words.pop();
        }
        let Some(last) = words.pop() else {
            return NameParts {
                suffix,
                ..Default::default()
            };
        };
        // Particles before the surname belong to it, but a name is never all particles.
        let mut start = words.len();
        while start > 1 && self.particles.contains(words[start - 1]) {
            start -= 1;
        }
        let mut surname: Vec<&str> = words[start..].to_vec();
        surname.push(last);
        NameParts {
            given: words[..start].iter().map(|w| w.to_string()).collect(),
            surname: surname.join(" "),
            suffix,
        }
    }

    /// The gender that a person's titles show, when they show one and only one.
    pub fn gender<'a>(&self, titles: impl IntoIterator<Item = &'a str>) -> Option<Gender> {
        let (mut female, mut male) = (false, false);
        for t in titles {
            let folded = fold_name(t);
            let words: Vec<&str> = folded.split(' ').collect();
            let has = |set: &FastSet<String>| {
                set.contains(&folded)
                    || words.iter().any(|w| set.contains(*w))
                    || words.windows(2).any(|p| set.contains(&p.join(" ")))
            };
            female |= has(&self.female);
            male |= has(&self.male);
        }
        match (female, male) {
            (true, false) => Some(Gender::Female),
            (false, true) => Some(Gender::Male),
            _ => None,
        }
    }

    /// A given name as it reads after the transliteration rules.
    fn reading(&self, name: &str) -> String {
        let mut out = name.to_string();
        for (from, to) in &self.transliterations {
            if out.contains(from.as_str()) {
                out = out.replace(from.as_str(), to);
            }
        }
        // Doubled letters read as one ("Muammar", "Muamar").
        let mut dedup = String::with_capacity(out.len());
        for c in out.chars() {
            if !dedup.ends_with(c) {
                dedup.push(c);
            }
        }
        dedup
    }

    /// Why two given names can be one person's, or `None` when they cannot.
    pub fn given_match(&self, a: &str, b: &str) -> Option<&'static str> {
        if a == b {
            return Some("same given name");
        }
        let initial = |x: &str, y: &str| x.chars().count() == 1 && y.starts_with(x);
        if initial(a, b) || initial(b, a) {
            return Some("an initial of the given name");
        }
        if let (Some(x), Some(y)) = (self.variants.get(a), self.variants.get(b))
            && x == y
        {
            return Some("given names in one variant group");
        }
        // Short names read alike too easily ("Ali", "Eli"): only longer ones are compared.
        if a.chars().count() >= 4 && b.chars().count() >= 4 && self.reading(a) == self.reading(b) {
            return Some("given names that transliterate alike");
        }
        None
    }

    /// Why two names can be one person, or `None` when they cannot: the surnames agree
    /// (with or without particles), the suffixes are equal, and the given names agree word
    /// by word as far as both go.
    pub fn same_person(&self, a: &NameParts, b: &NameParts) -> Option<&'static str> {
        let bare = |s: &str| s.rsplit(' ').next().unwrap_or("").to_string();
        if a.surname != b.surname && bare(&a.surname) != bare(&b.surname) {
            return None;
        }
        if a.suffix != b.suffix {
            return None;
        }
        let mut why = "same name";
        for (x, y) in a.given.iter().zip(&b.given) {
            let w = self.given_match(x, y)?;
            if why == "same name" && w != "same given name" {
                why = w;
            }
        }
        if a.given.is_empty() || b.given.is_empty() {
            why = "surname alone";
        }
        Some(why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::rules::builtin_rules;

    fn rules() -> IdentityRules {
        IdentityRules::compile(&builtin_rules().expect("built-in rules parse"))
    }

    #[test]
    fn particles_stay_with_the_surname_and_suffixes_are_kept_apart() {
        let r = rules();
        let p = r.parse("Hafez al-Assad");
        assert_eq!(
            (p.given.as_slice(), p.surname.as_str()),
            (&["hafez".to_string()][..], "al assad")
        );
        let p = r.parse("Martin Luther King Jr.");
        assert_eq!(p.surname, "king");
        assert_eq!(p.suffix.as_deref(), Some("jr"));
        assert_eq!(p.given, ["martin", "luther"]);
        assert!(!r.parse("Clinton").is_full());
    }

    #[test]
    fn different_given_names_are_different_people_unless_variants() {
        let r = rules();
        let same = |a: &str, b: &str| r.same_person(&r.parse(a), &r.parse(b)).is_some();
        assert!(!same("Bill Clinton", "Hillary Rodham Clinton"));
        assert!(same("Bill Clinton", "William Clinton"));
        assert!(same("Aleksander Lebed", "Alexander Lebed"));
        assert!(same("Aleksandr Lebed", "Alexander Lebed"));
        assert!(same("Hillary Rodham Clinton", "Hillary Clinton"));
        assert!(same("B. Clinton", "Bill Clinton"));
        assert!(!same("H. Clinton", "Bill Clinton"));
        assert!(!same("George H. W. Bush", "George W. Bush"));
        assert!(!same("Ken Griffey Jr.", "Ken Griffey"));
        assert!(same("Muammar Gaddafi", "Moammar Gaddafi"));
    }

    #[test]
    fn titles_give_a_gender_only_when_they_agree() {
        let r = rules();
        assert_eq!(r.gender(["Mrs"]), Some(Gender::Female));
        assert_eq!(r.gender(["First Lady"]), Some(Gender::Female));
        assert_eq!(r.gender(["U.S. President"]), None);
        assert_eq!(r.gender(["Mr", "Mrs"]), None);
    }
}
