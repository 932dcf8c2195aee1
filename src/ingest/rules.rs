//! The rules of extraction as data: the RON schema of the built-in rule files and of a
//! user's `--rules` file, and their compilation into the lookup tables the pipeline uses.
//!
//! Every word list the pipeline consults comes from here; no other module may hold a word
//! list of its own, and nothing here may name a particular person, organisation or place.

/// Hash maps for the lexicon lookups made for every token: foldhash is several times faster
/// than the default SipHash on short keys, and a fixed seed keeps runs identical.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
pub type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use super::IngestError;
use super::lexicon::{
    Gazetteer, GivenNamesFile, OrganizationsFile, RegionKind, RegionsFile, builtin_given_names,
    builtin_organizations, builtin_regions, fold_key, name_variants, parse_ron,
};
use crate::graph::files;

/// A title and the relation it implies between its holder and the body it belongs to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleRule {
    /// The title's words, lower case: "president", "special envoy".
    pub words: String,
    /// `LEADS`, `REPRESENTS`, or `None` for a title that says nothing about a body.
    #[serde(default)]
    pub relation: Option<String>,
}

/// An entity a user (or the built-in rules) names outright, with its other names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRule {
    pub name: String,
    /// `Person`, `Organization` or `Region`.
    pub label: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// For regions: `country`, `province`, `city`, `sea`, `continent` or `other`.
    #[serde(default)]
    pub kind: Option<String>,
}

/// A noun that names the event ("talks", "meeting", "tariffs"), with the verbs that make its
/// subject the actor ("held talks") and the prepositions that introduce the other party.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct NounTrigger {
    pub words: Vec<String>,
    pub light_verbs: Vec<String>,
    /// Prepositions before the other party ("talks with X"); empty: the first party after.
    pub partner_preps: Vec<String>,
    /// Whether "NOUN between A and B" names both parties.
    pub between: bool,
}

/// "told X that ... would be the best way": a verb, an addressee, and cues in what follows.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ComplementTrigger {
    pub verbs: Vec<String>,
    /// The word that opens the complement ("that").
    pub opener: Vec<String>,
    /// At least one of these must occur in the complement.
    pub cues: Vec<String>,
}

/// "X said Y was a great leader": a judging verb, a target, then an adjective and a noun.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct JudgementTrigger {
    pub verbs: Vec<String>,
    pub adjectives: Vec<String>,
    pub nouns: Vec<String>,
}

/// One step of a tree pattern's path from its trigger to a party (`rules/patterns.ron`).
/// A relation label matches itself and its subtypes (`obl` matches `obl:agent`), as in
/// `Tree::is`; a path that reaches several words takes the parties of all of them.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub enum Step {
    /// To the dependents with this relation: `Down("obj")`.
    Down(String),
    /// To the dependents with this relation whose case marker is one of these words:
    /// `Case("obl", ["by"])` (the agent of a passive), `Case("obl", ["with"])`.
    Case(String, Vec<String>),
    /// From a word that hangs on its head by this relation, to the head: `Up("xcomp")`
    /// climbs from a controlled clause to the verb that controls it.
    Up(String),
}

/// A relation rule that reads the dependency tree: anchored on a verb trigger, it names the
/// arcs to follow to the source and to the target. A side without a path is left to the
/// token rules (the nearest party before or after the trigger); a pattern with both paths
/// makes its fact where both reach a party, before the token rules are asked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreePattern {
    /// The rule name's second half ("TYPE:NAME"), kebab case.
    pub name: String,
    /// The relation types it serves; empty, every type.
    #[serde(default)]
    pub types: Vec<String>,
    /// The trigger must be passive (`Some(true)`: a passive subject or auxiliary) or not.
    #[serde(default)]
    pub passive: Option<bool>,
    /// The trigger's Penn tag must be one of these ("VBG"); empty, any.
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub source: Vec<Step>,
    #[serde(default)]
    pub target: Vec<Step>,
}

impl Step {
    /// The step as evidence shows it: `obj`, `obl[by|with]`, `^xcomp`.
    fn describe(&self) -> String {
        match self {
            Step::Down(label) => label.clone(),
            Step::Case(label, words) => format!("{label}[{}]", words.join("|")),
            Step::Up(label) => format!("^{label}"),
        }
    }
}

impl TreePattern {
    /// The rule name of the facts it reads for type `rel_type`, with the arcs it follows:
    /// "MET_WITH:passive-agent {source obl[by]; target nsubj:pass}".
    pub fn rule_name(&self, rel_type: &str) -> String {
        let path = |steps: &[Step]| {
            if steps.is_empty() {
                "words".to_string()
            } else {
                steps
                    .iter()
                    .map(Step::describe)
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        };
        format!(
            "{rel_type}:{} {{source {}; target {}}}",
            self.name,
            path(&self.source),
            path(&self.target)
        )
    }
}

/// One relationship type and the ways English news expresses it.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RelationRule {
    #[serde(rename = "type")]
    pub rel_type: String,
    /// Symmetric types match an edge in either direction (`MET_WITH`).
    pub symmetric: bool,
    /// Verb lemmas; the regular inflections are generated ("reject" -> "rejected").
    pub verbs: Vec<String>,
    /// Inflected forms taken as they are ("met", "struck", "called for").
    pub forms: Vec<String>,
    pub nouns: Vec<NounTrigger>,
    pub complements: Vec<ComplementTrigger>,
    pub judgements: Vec<JudgementTrigger>,
    /// Whether the edge keeps the object phrase as `what`.
    pub what: bool,
    /// Whether "accused each other" makes edges both ways between the sides.
    pub reciprocal: bool,
    /// Whether "a proposal X supported" points at the proposal's author.
    pub relative: bool,
    /// Whether a coordinated subject alone ("X and Y agreed") relates its members.
    pub coordination: bool,
    /// Whether conditional or future statements still count (a threat is one by nature).
    pub hypothetical_ok: bool,
    /// Whether a fact of the type is a proposal: its source is the author that a later
    /// answer ("rejected the plan", with `answers_proposal`) points at.
    pub proposal: bool,
    /// Whether the one asked may open a "that" clause after the verb ("demanded that Armenia
    /// amend its constitution" gives Armenia).
    pub clause_object: bool,
    /// Whether a definite proposal noun as object ("rejected the demand") points at the
    /// author of the last proposal read.
    pub answers_proposal: bool,
    /// Whether the object is people, so that a demonym object ("freed six North Korean
    /// fishermen") is not their country.
    pub people_object: bool,
    /// Whether the object is a body, so that a possessive before it ("heads Sudan's ruling
    /// council") gives the body named after it, not its owner, and a party inside a phrase
    /// of another object ("leads a delegation to X") is none.
    pub body_object: bool,
    /// Whether a place that cannot act can still be the object ("seized Nagorno-Karabakh",
    /// "struck the town of X").
    pub place_object: bool,
    /// Verbs of other types that are this type when a person is their object and one of
    /// the words after that object says where the person came ("welcomed X to Downing
    /// Street" is a meeting, "welcomed the plan" support).
    pub receptions: Vec<Reception>,
}

/// A compiled reception: the relation index it makes and the words after the object.
pub type ReceptionOf = (usize, Arc<[String]>);

/// A greeting verb read as a meeting where its person object arrives somewhere.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Reception {
    /// Verb lemmas, inflected like a rule's `verbs`. One that is a verb of some rule
    /// ("welcome") is read where that rule's trigger is, and makes this type instead where
    /// the reception's words are there; one of no rule ("receive") triggers this type alone.
    pub verbs: Vec<String>,
    /// The prepositions of a phrase after the person received that make it a reception:
    /// where the person arrives ("to", "at", "in"). None: a person object is enough ("X
    /// received Y on Monday").
    pub preps: Vec<String>,
}

/// What a pronoun can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Referent {
    /// A person ("he", "her").
    Person,
    /// An organisation or a country ("it", "its").
    Thing,
    /// Parties named together ("they", "their").
    Group,
}

/// A person's gender, as a pronoun or a title says it.
pub use super::identity::Gender;

/// A pronoun and what it agrees with.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PronounRule {
    /// The word, lower case: "she".
    pub word: String,
    pub refers: Referent,
    /// For a person: `Some(Female)` or `Some(Male)`; `None` when the word says neither.
    #[serde(default)]
    pub gender: Option<GenderName>,
    /// Whether the word stands before a noun as its owner ("its", "their").
    #[serde(default)]
    pub possessive: bool,
}

/// A gender as a rules file writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum GenderName {
    Female,
    Male,
}

impl From<GenderName> for Gender {
    fn from(g: GenderName) -> Self {
        match g {
            GenderName::Female => Gender::Female,
            GenderName::Male => Gender::Male,
        }
    }
}

/// A description that stands for an organisation or a region named before it ("the
/// company", "the bloc", "the South American country").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescriptionRule {
    /// The head noun, lower case: "company", "country".
    pub words: String,
    /// `Organization`, `Region` or (for `group_nouns`) `Person`.
    pub label: String,
    /// For regions: the kinds that fit (`country`, `city`, ...); empty: any that can act.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// For organisations: words one of which the organisation's name holds ("ministry" for
    /// "the ministry"); empty: any organisation.
    #[serde(default)]
    pub name_words: Vec<String>,
}

/// A rules file: every field optional, lists add to the built-in ones.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RuleSet {
    pub titles: Vec<TitleRule>,
    /// Words that may stand inside a title without changing it ("special", "foreign").
    pub title_modifiers: Vec<String>,
    /// Modifiers that turn the head of a body into someone acting for it ("deputy").
    pub subordinate_modifiers: Vec<String>,
    /// Words that end or head an organisation's name ("agency", "ministry", "news").
    pub org_cues: Vec<String>,
    /// Words that close the name of a prize, an award or an event ("Nobel Peace Prize"):
    /// such a name is no entity.
    pub event_heads: Vec<String>,
    /// Words kept out of names on their own (`not_names`) that may still open an
    /// organisation's name ("National Health Service", "Federal Reserve").
    pub org_openers: Vec<String>,
    /// Words that close a company's name after its short name ("Group" of "Rio Tinto
    /// Group", "AG" of "Siemens AG"): the words before one name the company in the same
    /// article.
    pub company_suffixes: Vec<String>,
    /// Heads of a party's name: the plural of the word before one names the party in the
    /// same article ("Conservatives" of "Conservative Party").
    pub party_heads: Vec<String>,
    /// Plurals of the words before a party's head that are not the word and an "s"
    /// ("Democratic" -> "Democrats").
    pub party_plurals: Vec<(String, String)>,
    /// Plurals naming a party by its members: a capitalised word before one names the party
    /// ("Social Democrats", "Sweden Democrats").
    pub party_members: Vec<String>,
    /// Heads of bodies whose name may close with the country or continent they serve, after
    /// a complement that names no place ("Committee on Foreign Investment in the United
    /// States", "Board of Control for Cricket in India").
    pub scope_heads: Vec<String>,
    /// Nouns whose possessive "'s" is a word of an organisation's name ("Republican People's
    /// Party", "Women's Institute").
    pub name_possessives: Vec<String>,
    /// Spellings of one word in an organisation's name that name the same organisation,
    /// each turned into the second ("Organisation" -> "Organization").
    pub spelling_variants: Vec<(String, String)>,
    /// Words that open a place's name before a capitalised word ("St Vincent", "Saint
    /// Helena").
    pub place_openers: Vec<String>,
    /// Phrases that give another name of the name before them ("X, also known as Y",
    /// "X (aka Y)"): Y is the same entity as X.
    pub alias_cues: Vec<String>,
    /// Adverbs that may stand before an alias cue ("also", "better", "formerly").
    pub alias_adverbs: Vec<String>,
    /// Points of the compass that, capitalised before a place the gazetteer names, name a
    /// part of it as a place of its own ("West Oakland", "Southern California").
    pub compass_parts: Vec<String>,
    /// Words that name a numbered road before its number ("Route 66", "I-44"): the road is
    /// no place, and a place opening its name ("US-75") is no mention of that place.
    pub road_heads: Vec<String>,
    /// Words of the names that many countries' bodies share ("House of Representatives",
    /// "Supreme Court", "the Municipality"): a name made of them alone joins a node of
    /// another article only when both articles are about the same country.
    pub generic_name_words: Vec<String>,
    /// Words after the head of an apposition that let it describe the name before it ("X,
    /// the capital of Y", "X, a town in Y", "X, the carmaker, said").
    pub description_closers: Vec<String>,
    /// Relative words and phrases of position that refer to a place: a name set off by a
    /// comma before one is a place ("Tawila, where thousands had fled", "Meyrin, on the
    /// outskirts of Geneva", "Kestrup, north of Aarhus").
    pub place_relatives: Vec<String>,
    /// Nouns for the people of a body: a name after one and "at" is a body ("analysts at
    /// Morgan Stanley").
    pub member_nouns: Vec<String>,
    /// What is held in a company: a name before one or after one and "of" or "in" is a
    /// company ("Volvex shares", "a stake in Volvex").
    pub holding_nouns: Vec<String>,
    /// Lower-case openings of surnames written with a capital inside ("mc" of "McDonald",
    /// "de" of "DeSantis"): another word with a capital inside is a brand's or a company's
    /// name ("ExxonMobil", "LinkedIn").
    pub surname_prefixes: Vec<String>,
    /// Phrases after which a capitalised name is a source, hence an organisation or person.
    pub source_cues: Vec<String>,
    /// Lower-case words after a name that make it a region ("the Catatumbo region").
    pub region_cues: Vec<String>,
    /// Capitalised words that never start a name (months, weekdays, sentence adverbs).
    pub not_names: Vec<String>,
    /// Abbreviations whose period does not end a sentence ("mr", "st", "gen").
    pub abbreviations: Vec<String>,
    pub speech_verbs: Vec<String>,
    /// Words that open a new clause: the subject of a verb is never looked for across them.
    pub clause_breaks: Vec<String>,
    pub negations: Vec<String>,
    /// Conjunctions that open a coordinated clause with a scope of its own: a negation
    /// before one does not reach the verb after it ("refused to sign but met X").
    pub coordinators: Vec<String>,
    pub hypotheticals: Vec<String>,
    /// Words that make the rest of the sentence conditional ("if", "unless").
    pub conditionals: Vec<String>,
    /// Auxiliaries that make a participle passive ("was rejected").
    pub auxiliaries: Vec<String>,
    /// Verbs that make their subject the target of a noun ("drew criticism").
    pub received: Vec<String>,
    /// Nouns of people who arrive somewhere ("delegations", "guests"): greeting them is a
    /// reception, not support of whom they come from.
    pub guest_nouns: Vec<String>,
    /// Verbs (or a verb and its next word) that undo an event named as their subject or
    /// object: "the meeting was cancelled", "called off the talks".
    pub undoings: Vec<String>,
    /// Verbs (or a verb and its next word) that tell an event happened: negated, with the
    /// event as subject, it did not ("talks that never took place").
    pub occurrences: Vec<String>,
    pub person_pronouns: Vec<String>,
    /// Pronouns for the speaker of a quotation ("I", "me").
    pub speaker_pronouns: Vec<String>,
    /// Phrases that stand for the two sides named last ("both sides").
    pub group_refs: Vec<String>,
    pub reciprocals: Vec<String>,
    /// What each pronoun agrees with; its words are recognised as pronouns.
    pub pronouns: Vec<PronounRule>,
    /// Descriptions that stand for an organisation or a region named before ("the bloc").
    pub descriptions: Vec<DescriptionRule>,
    /// The closing nouns of `group_refs` that say what the two parties are ("the two
    /// leaders": persons; "both countries": countries); a group reference whose noun is not
    /// listed ("both sides") may stand for parties of any kind.
    pub group_nouns: Vec<DescriptionRule>,
    /// Lower-case words that may stand between "the" and a description's head ("the
    /// militant group").
    pub description_modifiers: Vec<String>,
    /// Words that open a bare title standing for the person who holds it ("the President",
    /// "this President").
    pub title_determiners: Vec<String>,
    /// Honorifics of address that open a bare title standing for its holder ("Mr.
    /// President", "Madam Speaker"); the gender they say (`female_titles`, `male_titles`)
    /// must fit the holder.
    pub address_honorifics: Vec<String>,
    /// Words before a title that say it is held by the one the clause speaks of ("served
    /// as Governor", "elected as Speaker").
    pub role_markers: Vec<String>,
    /// Nouns for something proposed ("proposal", "calls", "plan").
    pub proposal_nouns: Vec<String>,
    /// Prepositions that make a place of the region after them ("in", "at").
    pub locative_preps: Vec<String>,
    /// Prepositions that make a trigger noun after them an event of the predicate the phrase
    /// hangs on ("said after talks with X", "agreed ... following a call with X").
    pub event_preps: Vec<String>,
    /// Prepositions that make a trigger noun after them the purpose of a journey, an event
    /// of the traveller's when the phrase hangs on a verb of travel (`visit_words` of
    /// lexicon/attributes.ron): "arrived in Seoul for talks with X".
    pub purpose_preps: Vec<String>,
    /// Lower-case role nouns that show the name after them is a person ("smuggler").
    pub person_roles: Vec<String>,
    /// Role nouns that a company or a group holds as well as a person ("rival", "investor"):
    /// a name after one is a person's only when it looks like one (it opens with a given
    /// name or an initial). They are person roles too.
    pub shared_roles: Vec<String>,
    /// Prepositions: a name after one is not the subject of the next verb.
    pub prepositions: Vec<String>,
    /// Determiners: a trigger word after one is a noun ("the attacks"), not a verb.
    pub determiners: Vec<String>,
    pub entities: Vec<EntityRule>,
    pub relations: Vec<RelationRule>,
    /// Relation rules that read the dependency tree (`rules/patterns.ron`), tried in order.
    pub tree_patterns: Vec<TreePattern>,
    /// Words that belong to the surname after them ("al", "van"): `rules/names.ron`.
    pub name_particles: Vec<String>,
    /// Words after a surname that tell family members apart ("Jr.").
    pub name_suffixes: Vec<String>,
    /// Honours and degrees written after a name ("FRS", "DBE"): no part of who the person
    /// is ("Daniel Bernoulli FRS" is Daniel Bernoulli).
    pub postnominals: Vec<String>,
    /// Groups of given names that are one name (nicknames, transliterations).
    pub name_variants: Vec<Vec<String>>,
    /// Spellings that read alike in given names, applied in order.
    pub transliterations: Vec<(String, String)>,
    /// Title words that say a person is a woman, or a man.
    pub female_titles: Vec<String>,
    pub male_titles: Vec<String>,
    /// Names an analyst has judged to be one entity, whatever the identity rules say: each
    /// group is merged into one node (`rules/names.ron`; usually a user's `--rules` file).
    pub same_entities: Vec<Vec<String>>,
    /// Pairs of names never merged into one node, whatever the identity rules say.
    pub distinct_entities: Vec<(String, String)>,
    /// Wire headline sections that make an article a sports report (`rules/genres.ron`).
    pub sports_sections: Vec<String>,
    /// Words of sports and of market reports: events are not read where they are thick.
    pub sports_words: Vec<String>,
    pub market_words: Vec<String>,
}

impl RuleSet {
    /// Adds another rule set's lists to this one's.
    pub fn extend(&mut self, other: RuleSet) {
        self.titles.extend(other.titles);
        self.title_modifiers.extend(other.title_modifiers);
        self.subordinate_modifiers
            .extend(other.subordinate_modifiers);
        self.org_cues.extend(other.org_cues);
        self.event_heads.extend(other.event_heads);
        self.org_openers.extend(other.org_openers);
        self.company_suffixes.extend(other.company_suffixes);
        self.party_heads.extend(other.party_heads);
        self.party_plurals.extend(other.party_plurals);
        self.party_members.extend(other.party_members);
        self.scope_heads.extend(other.scope_heads);
        self.name_possessives.extend(other.name_possessives);
        self.spelling_variants.extend(other.spelling_variants);
        self.place_openers.extend(other.place_openers);
        self.alias_cues.extend(other.alias_cues);
        self.alias_adverbs.extend(other.alias_adverbs);
        self.compass_parts.extend(other.compass_parts);
        self.road_heads.extend(other.road_heads);
        self.generic_name_words.extend(other.generic_name_words);
        self.description_closers.extend(other.description_closers);
        self.place_relatives.extend(other.place_relatives);
        self.member_nouns.extend(other.member_nouns);
        self.holding_nouns.extend(other.holding_nouns);
        self.surname_prefixes.extend(other.surname_prefixes);
        self.source_cues.extend(other.source_cues);
        self.region_cues.extend(other.region_cues);
        self.not_names.extend(other.not_names);
        self.abbreviations.extend(other.abbreviations);
        self.speech_verbs.extend(other.speech_verbs);
        self.clause_breaks.extend(other.clause_breaks);
        self.negations.extend(other.negations);
        self.coordinators.extend(other.coordinators);
        self.hypotheticals.extend(other.hypotheticals);
        self.conditionals.extend(other.conditionals);
        self.auxiliaries.extend(other.auxiliaries);
        self.received.extend(other.received);
        self.guest_nouns.extend(other.guest_nouns);
        self.undoings.extend(other.undoings);
        self.occurrences.extend(other.occurrences);
        self.person_pronouns.extend(other.person_pronouns);
        self.speaker_pronouns.extend(other.speaker_pronouns);
        self.group_refs.extend(other.group_refs);
        self.reciprocals.extend(other.reciprocals);
        self.pronouns.extend(other.pronouns);
        self.descriptions.extend(other.descriptions);
        self.group_nouns.extend(other.group_nouns);
        self.description_modifiers
            .extend(other.description_modifiers);
        self.title_determiners.extend(other.title_determiners);
        self.address_honorifics.extend(other.address_honorifics);
        self.role_markers.extend(other.role_markers);
        self.proposal_nouns.extend(other.proposal_nouns);
        self.locative_preps.extend(other.locative_preps);
        self.event_preps.extend(other.event_preps);
        self.purpose_preps.extend(other.purpose_preps);
        self.person_roles.extend(other.person_roles);
        self.shared_roles.extend(other.shared_roles);
        self.prepositions.extend(other.prepositions);
        self.determiners.extend(other.determiners);
        self.entities.extend(other.entities);
        self.name_particles.extend(other.name_particles);
        self.name_suffixes.extend(other.name_suffixes);
        self.postnominals.extend(other.postnominals);
        self.name_variants.extend(other.name_variants);
        self.transliterations.extend(other.transliterations);
        self.female_titles.extend(other.female_titles);
        self.male_titles.extend(other.male_titles);
        self.same_entities.extend(other.same_entities);
        self.distinct_entities.extend(other.distinct_entities);
        self.sports_sections.extend(other.sports_sections);
        self.sports_words.extend(other.sports_words);
        self.market_words.extend(other.market_words);
        self.tree_patterns.extend(other.tree_patterns);
        for rule in other.relations {
            // A rule for a type that exists already adds its triggers to it.
            match self
                .relations
                .iter_mut()
                .find(|r| r.rel_type == rule.rel_type)
            {
                Some(r) => {
                    r.verbs.extend(rule.verbs);
                    r.forms.extend(rule.forms);
                    r.nouns.extend(rule.nouns);
                    r.complements.extend(rule.complements);
                    r.judgements.extend(rule.judgements);
                    r.what |= rule.what;
                    r.reciprocal |= rule.reciprocal;
                    r.relative |= rule.relative;
                    r.coordination |= rule.coordination;
                    r.hypothetical_ok |= rule.hypothetical_ok;
                    r.proposal |= rule.proposal;
                    r.clause_object |= rule.clause_object;
                    r.answers_proposal |= rule.answers_proposal;
                    r.people_object |= rule.people_object;
                    r.body_object |= rule.body_object;
                    r.place_object |= rule.place_object;
                }
                None => self.relations.push(rule),
            }
        }
    }
}

const LEXICON_RON: &str = include_str!("rules/lexicon.ron");
const RELATIONS_RON: &str = include_str!("rules/relations.ron");
const PATTERNS_RON: &str = include_str!("rules/patterns.ron");
const NAMES_RON: &str = include_str!("rules/names.ron");
const GENRES_RON: &str = include_str!("rules/genres.ron");
/// Relation triggers generated from PETRARCH2's CAMEO verb dictionary
/// (`lexicon/gen/gen_petrarch.py`), in the schema of a rules file.
const TRIGGERS_RON: &str = include_str!("lexicon/triggers.ron");

/// A title as compiled: its words and the relation it implies.
#[derive(Debug, Clone)]
pub struct Title {
    pub words: Vec<String>,
    pub relation: Option<Arc<str>>,
}

/// A trigger phrase: the words after the first, and what it triggers.
#[derive(Debug, Clone)]
pub struct Phrase<T> {
    pub rest: Vec<String>,
    pub value: T,
}

/// A pronoun as compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pronoun {
    pub refers: Referent,
    pub gender: Option<Gender>,
    pub possessive: bool,
}

impl From<&PronounRule> for Pronoun {
    fn from(p: &PronounRule) -> Self {
        Pronoun {
            refers: p.refers,
            gender: p.gender.map(Gender::from),
            possessive: p.possessive,
        }
    }
}

/// A description as compiled: the label it stands for and what must fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    pub label: &'static str,
    pub kinds: Vec<RegionKind>,
    /// Folded words, one of which the organisation's folded name must hold.
    pub name_words: Vec<String>,
}

fn descriptions(rules: &[DescriptionRule]) -> FastMap<String, Vec<Description>> {
    let mut map: FastMap<String, Vec<Description>> = FastMap::default();
    for d in rules {
        let label = match d.label.as_str() {
            "Region" => "Region",
            "Person" => "Person",
            _ => "Organization",
        };
        map.entry(d.words.trim().to_lowercase())
            .or_default()
            .push(Description {
                label,
                kinds: d
                    .kinds
                    .iter()
                    .map(|k| RegionKind::from(k.clone()))
                    .collect(),
                name_words: d.name_words.iter().map(|w| fold_key(w)).collect(),
            });
    }
    map
}

/// A user-named entity as compiled.
#[derive(Debug, Clone)]
pub struct NamedEntity {
    pub label: &'static str,
    pub name: String,
    pub kind: Option<String>,
}

/// A relation type as compiled.
#[derive(Debug, Clone)]
pub struct Relation {
    pub rel_type: Arc<str>,
    /// Its rule names, one per construction.
    pub rule_names: super::relations::RuleNames,
    /// The rule as written: its triggers and the flags of its constructions.
    pub spec: RelationRule,
    /// The tree patterns that serve this type (`Knowledge::tree_patterns` indexes), in
    /// order, each with the rule name its facts carry: "TYPE:NAME {source ...; target ...}",
    /// the arcs it reads written as `Step`s are (`^xcomp` up, `obl[by]` with a case marker).
    pub patterns: Vec<(usize, Arc<str>)>,
}

/// What the lexicons say about one word: a set of bits found with one lookup when a token
/// is cut ([`Knowledge::lex_of`]), so that recognition tests a bit where it would hash the
/// word into several sets. The high 32 bits are the word's relation classes
/// ([`super::relations::class`]), read by relation extraction through [`Lex::classes`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lex(u64);

impl Lex {
    // Bits for the token's lower-case form.
    /// The first word of a title ("deputy", "president").
    pub const TITLE_START: Lex = Lex(1);
    pub const TITLE_MODIFIER: Lex = Lex(1 << 1);
    pub const SUBORDINATE_MODIFIER: Lex = Lex(1 << 2);
    pub const ORG_CUE: Lex = Lex(1 << 3);
    pub const REGION_CUE: Lex = Lex(1 << 4);
    /// The first word of a source cue ("according").
    pub const SOURCE_CUE_START: Lex = Lex(1 << 5);
    /// The first word of a group reference ("both").
    pub const GROUP_REF_START: Lex = Lex(1 << 6);
    pub const PERSON_PRONOUN: Lex = Lex(1 << 7);
    pub const SPEAKER_PRONOUN: Lex = Lex(1 << 8);
    pub const PERSON_ROLE: Lex = Lex(1 << 9);
    pub const SPEECH_VERB: Lex = Lex(1 << 10);
    /// The second word of a group reference ("two" of "the two sides").
    pub const GROUP_REF_SECOND: Lex = Lex(1 << 11);
    /// A group reference of one word.
    pub const GROUP_REF_ALONE: Lex = Lex(1 << 12);
    /// An abbreviation (`abbreviations`): the period after the word belongs to it.
    pub const ABBREVIATION: Lex = Lex(1 << 13);
    /// The head of a prize's, an award's or an event's name (`event_heads`).
    pub const EVENT_HEAD: Lex = Lex(1 << 14);
    /// The head of a description ("company" of "the company"; `descriptions`).
    pub const DESCRIPTION_HEAD: Lex = Lex(1 << 15);
    // Bits for the token's folded form.
    pub const GIVEN_NAME: Lex = Lex(1 << 16);
    pub const NOT_NAME: Lex = Lex(1 << 17);
    pub const DEMONYM: Lex = Lex(1 << 18);
    /// A particle of a name ("al", "van"; `name_particles`).
    pub const NAME_PARTICLE: Lex = Lex(1 << 19);
    // Bits for the first word of the token's folded form: whether a lexicon key made of
    // this token and the ones after it may start here.
    pub const REGION_START: Lex = Lex(1 << 24);
    pub const DEMONYM_START: Lex = Lex(1 << 25);
    pub const ENTITY_START: Lex = Lex(1 << 26);
    /// The same three for keys of two words or more: without it, only the token's own
    /// folded form can be a key starting here.
    pub const REGION_MULTI_START: Lex = Lex(1 << 27);
    pub const DEMONYM_MULTI_START: Lex = Lex(1 << 28);
    pub const ENTITY_MULTI_START: Lex = Lex(1 << 29);

    const BY_LOWER: u64 = 0xffff | (0xffff_ffff << 32);
    const BY_FOLD: u64 = 0xff << 16;
    const BY_FIRST_WORD: u64 = 0xff << 24;

    /// The bits for relation classes `classes` (of the token's lower-case form).
    const fn relation(classes: u32) -> Lex {
        Lex((classes as u64) << 32)
    }

    /// The token's relation classes ([`super::relations::class`]).
    pub fn classes(self) -> u32 {
        (self.0 >> 32) as u32
    }

    /// Whether every bit of `bits` is set.
    pub fn has(self, bits: Lex) -> bool {
        self.0 & bits.0 == bits.0
    }

    fn add(&mut self, bits: Lex) {
        self.0 |= bits.0;
    }

    fn masked(self, mask: u64) -> Lex {
        Lex(self.0 & mask)
    }
}

/// Words to their [`Lex`] bits. A word of at most 15 bytes, which is nearly every word, is
/// packed with its length into a [`ShortKey`]: hashed and compared as two numbers, stored
/// without a string of its own, in 24-byte buckets (a `u128` key would be 16-aligned and take
/// 32), so a table of several megabytes that nearly every token is looked up in stays small.
#[derive(Debug, Default)]
struct LexTable {
    short: FastMap<ShortKey, Lex>,
    long: FastMap<String, Lex>,
}

/// A word of at most 15 bytes packed into two integers: its bytes zero-padded, bytes 0..8 in
/// `lo` and 8.. in `hi`, with the length plus one in the top byte of `hi`, so that two
/// different words never share a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ShortKey {
    lo: u64,
    hi: u64,
}

impl ShortKey {
    /// The key of `word`, or `None` for a word longer than 15 bytes. The bytes are read as a
    /// few whole integers (overlapping for lengths that are not a power of two) rather than
    /// copied one by one: this runs for nearly every token.
    fn of(word: &str) -> Option<ShortKey> {
        let b = word.as_bytes();
        let n = b.len();
        let tag = (u64::try_from(n).ok().filter(|&n| n <= 15)? + 1) << 56;
        let (lo, hi) = if let Some(first) = b.first_chunk::<8>() {
            // 8 to 15 bytes: the last eight overlap the first eight; shift the overlap out.
            let last = b.last_chunk::<8>().map_or(0, |l| u64::from_le_bytes(*l));
            let rest = last.checked_shr(8 * (16 - n as u32)).unwrap_or(0);
            (u64::from_le_bytes(*first), rest)
        } else if let Some(first) = b.first_chunk::<4>() {
            // 4 to 7 bytes, the same way with four-byte halves.
            let last = b.last_chunk::<4>().map_or(0, |l| u32::from_le_bytes(*l));
            let rest = u64::from(last) >> (8 * (8 - n as u32));
            (u64::from(u32::from_le_bytes(*first)) | rest << 32, 0)
        } else {
            let lo = b.iter().rev().fold(0, |acc, &x| acc << 8 | u64::from(x));
            (lo, 0)
        };
        Some(ShortKey { lo, hi: hi | tag })
    }
}

impl LexTable {
    fn get(&self, word: &str) -> Lex {
        match ShortKey::of(word) {
            Some(key) => self.short.get(&key).copied().unwrap_or_default(),
            None => self.get_long(word),
        }
    }

    /// `get` for a word longer than a [`ShortKey`] holds: rare, and kept out of `get`, which
    /// then needs fewer registers saved on each call.
    #[cold]
    #[inline(never)]
    fn get_long(&self, word: &str) -> Lex {
        self.long.get(word).copied().unwrap_or_default()
    }

    fn add(&mut self, word: &str, bits: Lex) {
        match ShortKey::of(word) {
            Some(key) => self.short.entry(key).or_default().add(bits),
            None => match self.long.get_mut(word) {
                Some(lex) => lex.add(bits),
                None => {
                    self.long.insert(word.to_string(), bits);
                }
            },
        }
    }
}

/// Everything extraction knows, compiled into lookup tables once.
#[derive(Debug, Default)]
pub struct Knowledge {
    pub gazetteer: Gazetteer,
    pub given_names: FastSet<String>,
    pub titles: FastMap<String, Vec<Phrase<usize>>>,
    pub title_list: Vec<Title>,
    pub title_modifiers: FastSet<String>,
    pub subordinate_modifiers: FastSet<String>,
    pub org_cues: FastSet<String>,
    pub event_heads: FastSet<String>,
    pub org_openers: FastSet<String>,
    pub company_suffixes: FastSet<String>,
    pub party_heads: FastSet<String>,
    /// `party_plurals`, by the folded word before the head.
    pub party_plurals: FastMap<String, String>,
    pub party_members: FastSet<String>,
    pub scope_heads: FastSet<String>,
    pub name_possessives: FastSet<String>,
    /// `spelling_variants`, folded: each spelling to the one it is read as.
    pub spelling_variants: FastMap<String, String>,
    pub place_openers: FastSet<String>,
    /// `alias_cues`, each as its lower-case words.
    pub alias_cues: Vec<Vec<String>>,
    pub alias_adverbs: FastSet<String>,
    pub compass_parts: FastSet<String>,
    pub road_heads: FastSet<String>,
    pub description_closers: FastSet<String>,
    pub place_relatives: FastMap<String, Vec<Phrase<()>>>,
    pub member_nouns: FastSet<String>,
    pub holding_nouns: FastSet<String>,
    pub surname_prefixes: FastSet<String>,
    /// Lower-case words that sit inside a person's or an organisation's name ("al", "van"):
    /// `name_particles` of `rules/names.ron`.
    pub name_particles: FastSet<String>,
    pub region_cues: FastSet<String>,
    pub source_cues: FastMap<String, Vec<Phrase<()>>>,
    pub not_names: FastSet<String>,
    pub abbreviations: FastSet<String>,
    pub speech_verbs: FastSet<String>,
    pub clause_breaks: FastSet<String>,
    pub negations: FastSet<String>,
    pub coordinators: FastSet<String>,
    pub hypotheticals: FastSet<String>,
    pub conditionals: FastSet<String>,
    pub auxiliaries: FastSet<String>,
    pub received: FastSet<String>,
    pub guest_nouns: FastSet<String>,
    pub undoings: FastMap<String, Vec<Phrase<()>>>,
    pub occurrences: FastMap<String, Vec<Phrase<()>>>,
    pub person_pronouns: FastSet<String>,
    pub speaker_pronouns: FastSet<String>,
    pub group_refs: FastMap<String, Vec<Phrase<()>>>,
    pub reciprocals: FastMap<String, Vec<Phrase<()>>>,
    /// Pronoun to what it agrees with (the last rule for a word wins).
    pub pronouns: FastMap<String, Pronoun>,
    /// Description head to the descriptions it heads.
    pub descriptions: FastMap<String, Vec<Description>>,
    /// Closing noun of a group reference to what its parties must be.
    pub group_nouns: FastMap<String, Vec<Description>>,
    pub description_modifiers: FastSet<String>,
    pub title_determiners: FastSet<String>,
    pub address_honorifics: FastSet<String>,
    pub role_markers: FastSet<String>,
    pub proposal_nouns: FastSet<String>,
    pub locative_preps: FastSet<String>,
    pub event_preps: FastSet<String>,
    pub purpose_preps: FastSet<String>,
    pub person_roles: FastSet<String>,
    pub shared_roles: FastSet<String>,
    pub prepositions: FastSet<String>,
    pub determiners: FastSet<String>,
    /// Folded surface form to a named entity (user rules).
    pub entities: FastMap<String, usize>,
    pub entity_list: Vec<NamedEntity>,
    /// The longest entity form, in words.
    pub max_entity_words: usize,
    pub relations: Vec<Relation>,
    /// Relation rules that read the dependency tree, in the order they are tried.
    pub tree_patterns: Vec<TreePattern>,
    /// First word of a verb form to (rest of the phrase, relation index).
    pub verbs: FastMap<String, Vec<Phrase<usize>>>,
    /// Greeting verbs by inflected form, with the relation they make and the words after
    /// their object that make it ([`RelationRule::receptions`]).
    pub receptions: FastMap<String, Vec<ReceptionOf>>,
    /// Trigger noun to (relation index, noun trigger index).
    pub nouns: FastMap<String, Vec<(usize, usize)>>,
    /// Complement verb to (relation index, complement index).
    pub complement_verbs: FastMap<String, Vec<(usize, usize)>>,
    /// Judgement adjective to (relation index, judgement index).
    pub judgement_adjectives: FastMap<String, Vec<(usize, usize)>>,
    /// How person names are read for identity (`rules/names.ron`), shared with merging.
    pub identity: Arc<super::identity::IdentityRules>,
    /// Sports sections of headlines, and the words of sports and market reports.
    pub sports_sections: FastSet<String>,
    pub genre_words: FastSet<String>,
    /// Each word the lexicons above hold, lower-case or folded, to what they say about it;
    /// built from them last, read by [`Knowledge::lex_of`].
    lex: LexTable,
    /// `lex_of` for each one-character ASCII token, by its byte: punctuation needs no lookup.
    ascii_lex: Vec<Lex>,
}

fn set(words: &[String]) -> FastSet<String> {
    words.iter().map(|w| w.to_lowercase()).collect()
}

/// Pairs of words as a map from the first to the second, both folded.
fn pairs(words: &[(String, String)]) -> FastMap<String, String> {
    words
        .iter()
        .map(|(from, to)| (fold_key(from), fold_key(to)))
        .collect()
}

fn phrases<T: Clone>(words: &[String], value: T) -> FastMap<String, Vec<Phrase<T>>> {
    let mut map: FastMap<String, Vec<Phrase<T>>> = FastMap::default();
    for w in words {
        let mut parts = w.split_whitespace().map(str::to_lowercase);
        if let Some(first) = parts.next() {
            map.entry(first).or_default().push(Phrase {
                rest: parts.collect(),
                value: value.clone(),
            });
        }
    }
    map
}

/// The regular inflections of an English verb lemma: base, third person, past, gerund.
pub fn inflect(lemma: &str) -> Vec<String> {
    let lemma = lemma.to_lowercase();
    let (head, tail) = match lemma.split_once(' ') {
        Some((h, t)) => (h.to_string(), format!(" {t}")),
        None => (lemma.clone(), String::new()),
    };
    let vowel = |c: char| "aeiou".contains(c);
    let chars: Vec<char> = head.chars().collect();
    let last = chars.last().copied().unwrap_or(' ');
    let before = if chars.len() >= 2 {
        chars[chars.len() - 2]
    } else {
        ' '
    };
    let third = if head.ends_with('s')
        || head.ends_with("sh")
        || head.ends_with("ch")
        || head.ends_with('x')
        || head.ends_with('z')
    {
        format!("{head}es")
    } else if last == 'y' && !vowel(before) {
        format!("{}ies", &head[..head.len() - 1])
    } else {
        format!("{head}s")
    };
    let past = if last == 'e' {
        format!("{head}d")
    } else if last == 'y' && !vowel(before) {
        format!("{}ied", &head[..head.len() - 1])
    } else {
        format!("{head}ed")
    };
    let gerund = if last == 'e' && before != 'e' && head.len() > 2 {
        format!("{}ing", &head[..head.len() - 1])
    } else {
        format!("{head}ing")
    };
    [head.clone(), third, past, gerund]
        .into_iter()
        .map(|w| format!("{w}{tail}"))
        .collect()
}

impl Knowledge {
    /// Compiles rules and lexicons. Nothing here fails: bad files fail while parsing.
    pub fn compile(
        rules: RuleSet,
        regions: RegionsFile,
        given: GivenNamesFile,
        organizations: OrganizationsFile,
    ) -> Self {
        Self::compile_parts(
            rules,
            Gazetteer::build(regions),
            given_name_set(given),
            organizations,
        )
    }

    /// Compiles rules around a gazetteer and a given-name set built already (in parallel).
    /// The organisation gazetteer's names come first among the named entities, so that a
    /// rules file naming the same form wins.
    fn compile_parts(
        rules: RuleSet,
        gazetteer: Gazetteer,
        given_names: FastSet<String>,
        organizations: OrganizationsFile,
    ) -> Self {
        let mut k = Knowledge {
            gazetteer,
            given_names,
            title_modifiers: set(&rules.title_modifiers),
            subordinate_modifiers: set(&rules.subordinate_modifiers),
            org_cues: set(&rules.org_cues),
            event_heads: set(&rules.event_heads),
            org_openers: set(&rules.org_openers),
            company_suffixes: set(&rules.company_suffixes),
            party_heads: set(&rules.party_heads),
            party_plurals: pairs(&rules.party_plurals),
            party_members: set(&rules.party_members),
            scope_heads: set(&rules.scope_heads),
            name_possessives: set(&rules.name_possessives),
            spelling_variants: pairs(&rules.spelling_variants),
            place_openers: set(&rules.place_openers),
            alias_cues: rules
                .alias_cues
                .iter()
                .map(|c| c.split_whitespace().map(str::to_lowercase).collect())
                .collect(),
            alias_adverbs: set(&rules.alias_adverbs),
            compass_parts: set(&rules.compass_parts),
            road_heads: set(&rules.road_heads),
            description_closers: set(&rules.description_closers),
            place_relatives: phrases(&rules.place_relatives, ()),
            member_nouns: set(&rules.member_nouns),
            holding_nouns: set(&rules.holding_nouns),
            surname_prefixes: set(&rules.surname_prefixes),
            name_particles: set(&rules.name_particles),
            region_cues: set(&rules.region_cues),
            source_cues: phrases(&rules.source_cues, ()),
            not_names: rules.not_names.iter().map(|w| fold_key(w)).collect(),
            abbreviations: set(&rules.abbreviations),
            speech_verbs: set(&rules.speech_verbs),
            clause_breaks: set(&rules.clause_breaks),
            negations: set(&rules.negations),
            coordinators: set(&rules.coordinators),
            hypotheticals: set(&rules.hypotheticals),
            conditionals: set(&rules.conditionals),
            auxiliaries: set(&rules.auxiliaries),
            received: set(&rules.received),
            guest_nouns: set(&rules.guest_nouns),
            undoings: phrases(&rules.undoings, ()),
            occurrences: phrases(&rules.occurrences, ()),
            person_pronouns: set(&rules.person_pronouns),
            speaker_pronouns: set(&rules.speaker_pronouns),
            group_refs: phrases(&rules.group_refs, ()),
            reciprocals: phrases(&rules.reciprocals, ()),
            pronouns: rules
                .pronouns
                .iter()
                .map(|p| (p.word.to_lowercase(), Pronoun::from(p)))
                .collect(),
            descriptions: descriptions(&rules.descriptions),
            group_nouns: descriptions(&rules.group_nouns),
            description_modifiers: set(&rules.description_modifiers),
            title_determiners: set(&rules.title_determiners),
            address_honorifics: set(&rules.address_honorifics),
            role_markers: set(&rules.role_markers),
            proposal_nouns: set(&rules.proposal_nouns),
            locative_preps: set(&rules.locative_preps),
            event_preps: set(&rules.event_preps),
            purpose_preps: set(&rules.purpose_preps),
            person_roles: set(&rules.person_roles),
            shared_roles: set(&rules.shared_roles),
            prepositions: set(&rules.prepositions),
            determiners: set(&rules.determiners),
            identity: Arc::new(super::identity::IdentityRules::compile(&rules)),
            sports_sections: set(&rules.sports_sections),
            genre_words: rules
                .sports_words
                .iter()
                .chain(&rules.market_words)
                .map(|w| w.to_lowercase())
                .collect(),
            ..Default::default()
        };
        for (i, t) in rules.titles.iter().enumerate() {
            let words: Vec<String> = t.words.split_whitespace().map(str::to_lowercase).collect();
            if let Some(first) = words.first() {
                k.titles.entry(first.clone()).or_default().push(Phrase {
                    rest: words[1..].to_vec(),
                    value: i,
                });
            }
            k.title_list.push(Title {
                words,
                relation: t.relation.as_deref().map(Arc::from),
            });
        }
        for org in organizations.organizations {
            let idx = k.entity_list.len();
            for form in std::iter::once(&org.name).chain(&org.aliases) {
                k.max_entity_words = k.max_entity_words.max(form.split_whitespace().count());
                for key in name_variants(form) {
                    k.entities.insert(key, idx);
                }
            }
            k.entity_list.push(NamedEntity {
                label: "Organization",
                name: org.name,
                kind: None,
            });
        }
        for e in &rules.entities {
            let label = match e.label.as_str() {
                "Person" => "Person",
                "Organization" => "Organization",
                _ => "Region",
            };
            let idx = k.entity_list.len();
            k.entity_list.push(NamedEntity {
                label,
                name: e.name.clone(),
                kind: e.kind.clone(),
            });
            for form in std::iter::once(&e.name).chain(&e.aliases) {
                k.max_entity_words = k.max_entity_words.max(form.split_whitespace().count());
                for key in name_variants(form) {
                    k.entities.insert(key, idx);
                }
            }
        }
        for (ri, r) in rules.relations.iter().enumerate() {
            let mut forms: Vec<String> = r.verbs.iter().flat_map(|v| inflect(v)).collect();
            forms.extend(r.forms.iter().map(|f| f.to_lowercase()));
            forms.sort();
            forms.dedup();
            for (first, list) in phrases(&forms, ri) {
                k.verbs.entry(first).or_default().extend(list);
            }
            for reception in &r.receptions {
                let preps: Arc<[String]> =
                    reception.preps.iter().map(|p| p.to_lowercase()).collect();
                for form in reception.verbs.iter().flat_map(|v| inflect(v)) {
                    k.receptions
                        .entry(form)
                        .or_default()
                        .push((ri, preps.clone()));
                }
            }
            for (ni, n) in r.nouns.iter().enumerate() {
                for w in &n.words {
                    k.nouns.entry(w.to_lowercase()).or_default().push((ri, ni));
                }
            }
            for (ci, c) in r.complements.iter().enumerate() {
                for v in &c.verbs {
                    k.complement_verbs
                        .entry(v.to_lowercase())
                        .or_default()
                        .push((ri, ci));
                }
            }
            for (ji, j) in r.judgements.iter().enumerate() {
                for a in &j.adjectives {
                    k.judgement_adjectives
                        .entry(a.to_lowercase())
                        .or_default()
                        .push((ri, ji));
                }
            }
            k.relations.push(Relation {
                rel_type: Arc::from(r.rel_type.as_str()),
                rule_names: super::relations::RuleNames::new(&r.rel_type),
                spec: r.clone(),
                patterns: rules
                    .tree_patterns
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.types.is_empty() || p.types.contains(&r.rel_type))
                    .map(|(pi, p)| (pi, Arc::from(p.rule_name(&r.rel_type))))
                    .collect(),
            });
        }
        k.tree_patterns = rules.tree_patterns.clone();
        // Longer trigger phrases are tried first.
        for list in k.verbs.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
        }
        for list in k.titles.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
        }
        k.lex = k.lex_table();
        k.ascii_lex = (0..128u8)
            .map(|b| {
                let lower = char::from(b.to_ascii_lowercase()).to_string();
                if b.is_ascii_alphanumeric() {
                    k.lex_of(&lower, None)
                } else {
                    // Punctuation folds to nothing.
                    k.lex_of(&lower, Some(""))
                }
            })
            .collect();
        k
    }

    /// [`Knowledge::lex_of`] for a token of one ASCII character `b`.
    pub fn lex_of_ascii(&self, b: u8) -> Lex {
        self.ascii_lex
            .get(usize::from(b))
            .copied()
            .unwrap_or_default()
    }

    /// The table behind [`Knowledge::lex_of`]: every key of the word sets with its bits.
    fn lex_table(&self) -> LexTable {
        // Given names and the first words of place names are most of the keys: room for
        // them from the start saves growing a large table several times.
        let mut table = LexTable {
            short: FastMap::with_capacity_and_hasher(
                self.given_names.len() + self.gazetteer.by_form.len() / 2,
                Default::default(),
            ),
            long: FastMap::default(),
        };
        let mut mark = |keys: &mut dyn Iterator<Item = &str>, bits: Lex| {
            for key in keys {
                table.add(key, bits);
            }
        };
        fn first_word(key: &str) -> &str {
            key.split(' ').next().unwrap_or_default()
        }
        mark(
            &mut self.titles.keys().map(String::as_str),
            Lex::TITLE_START,
        );
        mark(
            &mut self.title_modifiers.iter().map(String::as_str),
            Lex::TITLE_MODIFIER,
        );
        mark(
            &mut self.subordinate_modifiers.iter().map(String::as_str),
            Lex::SUBORDINATE_MODIFIER,
        );
        mark(&mut self.org_cues.iter().map(String::as_str), Lex::ORG_CUE);
        mark(
            &mut self.event_heads.iter().map(String::as_str),
            Lex::EVENT_HEAD,
        );
        mark(
            &mut self.region_cues.iter().map(String::as_str),
            Lex::REGION_CUE,
        );
        mark(
            &mut self.source_cues.keys().map(String::as_str),
            Lex::SOURCE_CUE_START,
        );
        mark(
            &mut self.group_refs.keys().map(String::as_str),
            Lex::GROUP_REF_START,
        );
        mark(
            &mut self
                .group_refs
                .values()
                .flatten()
                .filter_map(|ph| ph.rest.first())
                .map(String::as_str),
            Lex::GROUP_REF_SECOND,
        );
        mark(
            &mut self
                .group_refs
                .iter()
                .filter(|(_, list)| list.iter().any(|ph| ph.rest.is_empty()))
                .map(|(first, _)| first.as_str()),
            Lex::GROUP_REF_ALONE,
        );
        // Every pronoun of the agreement table is recognised as one.
        mark(
            &mut self
                .person_pronouns
                .iter()
                .chain(self.pronouns.keys())
                .map(String::as_str),
            Lex::PERSON_PRONOUN,
        );
        mark(
            &mut self.descriptions.keys().map(String::as_str),
            Lex::DESCRIPTION_HEAD,
        );
        mark(
            &mut self.abbreviations.iter().map(String::as_str),
            Lex::ABBREVIATION,
        );
        mark(
            &mut self.speaker_pronouns.iter().map(String::as_str),
            Lex::SPEAKER_PRONOUN,
        );
        mark(
            &mut self
                .person_roles
                .iter()
                .chain(&self.shared_roles)
                .map(String::as_str),
            Lex::PERSON_ROLE,
        );
        mark(
            &mut self.speech_verbs.iter().map(String::as_str),
            Lex::SPEECH_VERB,
        );
        mark(
            &mut self.given_names.iter().map(String::as_str),
            Lex::GIVEN_NAME,
        );
        mark(
            &mut self.not_names.iter().map(String::as_str),
            Lex::NOT_NAME,
        );
        mark(
            &mut self.name_particles.iter().map(String::as_str),
            Lex::NAME_PARTICLE,
        );
        mark(
            &mut self.gazetteer.by_demonym.keys().map(String::as_str),
            Lex::DEMONYM,
        );
        mark(
            &mut self
                .gazetteer
                .by_form
                .keys()
                .map(String::as_str)
                .map(first_word),
            Lex::REGION_START,
        );
        mark(
            &mut self
                .gazetteer
                .by_demonym
                .keys()
                .map(String::as_str)
                .map(first_word),
            Lex::DEMONYM_START,
        );
        mark(
            &mut self.entities.keys().map(String::as_str).map(first_word),
            Lex::ENTITY_START,
        );
        fn multi_word_first(key: &str) -> Option<&str> {
            key.split_once(' ').map(|(first, _)| first)
        }
        mark(
            &mut self
                .gazetteer
                .by_form
                .keys()
                .map(String::as_str)
                .filter_map(multi_word_first),
            Lex::REGION_MULTI_START,
        );
        mark(
            &mut self
                .gazetteer
                .by_demonym
                .keys()
                .map(String::as_str)
                .filter_map(multi_word_first),
            Lex::DEMONYM_MULTI_START,
        );
        mark(
            &mut self
                .entities
                .keys()
                .map(String::as_str)
                .filter_map(multi_word_first),
            Lex::ENTITY_MULTI_START,
        );
        use super::relations::class;
        let sets: [(&FastSet<String>, u32); 12] = [
            (&self.clause_breaks, class::BREAK),
            (&self.prepositions, class::PREPOSITION),
            (&self.determiners, class::DETERMINER),
            (&self.negations, class::NEGATION),
            (&self.coordinators, class::COORDINATOR),
            (&self.hypotheticals, class::HYPOTHETICAL),
            (&self.conditionals, class::CONDITIONAL),
            (&self.auxiliaries, class::AUXILIARY),
            (&self.received, class::RECEIVED),
            (&self.proposal_nouns, class::PROPOSAL_NOUN),
            (&self.locative_preps, class::LOCATIVE_PREP),
            (&self.speech_verbs, class::SPEECH_VERB),
        ];
        for (set, c) in sets {
            mark(&mut set.iter().map(String::as_str), Lex::relation(c));
        }
        mark(
            &mut self.reciprocals.keys().map(String::as_str),
            Lex::relation(class::RECIPROCAL),
        );
        mark(
            &mut self.verbs.keys().map(String::as_str),
            Lex::relation(class::VERB),
        );
        mark(
            &mut self.nouns.keys().map(String::as_str),
            Lex::relation(class::NOUN),
        );
        mark(
            &mut self.receptions.keys().map(String::as_str),
            Lex::relation(class::RECEPTION),
        );
        mark(
            &mut self.complement_verbs.keys().map(String::as_str),
            Lex::relation(class::COMPLEMENT_VERB),
        );
        mark(
            &mut self.judgement_adjectives.keys().map(String::as_str),
            Lex::relation(class::JUDGEMENT),
        );
        mark(
            &mut super::dates::opening_words(),
            Lex::relation(class::DATE),
        );
        let nouns = || self.relations.iter().flat_map(|r| &r.spec.nouns);
        mark(
            &mut nouns().flat_map(|n| &n.light_verbs).map(String::as_str),
            Lex::relation(class::LIGHT_VERB),
        );
        mark(
            &mut nouns().flat_map(|n| &n.partner_preps).map(String::as_str),
            Lex::relation(class::PARTNER_PREP),
        );
        table
    }

    /// What the lexicons say about a token: `lower` is its lower-case form, `folded` its
    /// folded form when that differs from `lower`. Its relation classes are those of the
    /// word lists, with closing punctuation (`;` `:` `.` `!` `?`) as a break and a word
    /// that took the period after it as a date word when it is one without ("Jan.").
    ///
    /// Inlined: it runs for nearly every token, and for the usual plain word it is a single
    /// table lookup.
    #[inline]
    /// The gender a given name is borne by, where the given-name lexicon says one.
    pub fn given_gender(&self, name: &str) -> Option<Gender> {
        if name.bytes().any(|b| b.is_ascii_uppercase()) || !name.is_ascii() {
            super::lexicon::given_gender(&name.to_lowercase())
        } else {
            super::lexicon::given_gender(name)
        }
    }

    pub fn lex_of(&self, lower: &str, folded: Option<&str>) -> Lex {
        use super::relations::class;
        let get = |key: &str| self.lex.get(key);
        let Some(folded) = folded else {
            // The usual plain word: one key for all three. Being letters and digits, it is
            // neither a closing mark nor a word with a period, so the classes added below
            // for those are not its.
            return get(lower);
        };
        let mut lex = get(lower).masked(Lex::BY_LOWER);
        lex.add(get(folded).masked(Lex::BY_FOLD));
        if folded.is_empty() {
            // A key would start at the next token: say "maybe" for all of them.
            lex.add(Lex(Lex::BY_FIRST_WORD));
        } else {
            let first = folded.split(' ').next().unwrap_or_default();
            lex.add(get(first).masked(Lex::BY_FIRST_WORD));
        }
        if matches!(lower, ";" | ":" | "." | "!" | "?") {
            lex.add(Lex::relation(class::BREAK));
        } else if lower.len() > 1 && lower.ends_with('.') {
            let bare = lower.trim_end_matches('.');
            lex.add(Lex::relation(get(bare).classes() & class::DATE));
        }
        lex
    }

    /// The built-in rules and lexicons, parsed and compiled on first use.
    pub fn builtin() -> Result<Arc<Knowledge>, IngestError> {
        static BUILTIN: OnceLock<Result<Arc<Knowledge>, IngestError>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Ok(Arc::new(Self::with_rules(builtin_rules()?, &[])?)))
            .clone()
    }

    /// The built-in rules plus the user's rules files, in order.
    pub fn load(rule_files: &[std::path::PathBuf]) -> Result<Arc<Knowledge>, IngestError> {
        if rule_files.is_empty() {
            return Self::builtin();
        }
        let mut extra = Vec::new();
        for path in rule_files {
            extra.push(read_rules_file(path)?);
        }
        Ok(Arc::new(Self::with_rules(builtin_rules()?, &extra)?))
    }

    fn with_rules(mut base: RuleSet, extra: &[RuleSet]) -> Result<Knowledge, IngestError> {
        // The date words mark tokens below; a fault in their file stops loading here.
        super::dates::AttributeWords::builtin()?;
        for rules in extra {
            base.extend(rules.clone());
        }
        // The two generated lexicons are most of the start-up time and independent of each
        // other, so they are parsed and compiled side by side.
        let (gazetteer, (given, organizations)) = rayon::join(
            || builtin_regions().map(Gazetteer::build),
            || {
                (
                    builtin_given_names().map(given_name_set),
                    builtin_organizations(),
                )
            },
        );
        Ok(Knowledge::compile_parts(
            base,
            gazetteer?,
            given?,
            organizations?,
        ))
    }
}

/// The folded given names.
fn given_name_set(given: GivenNamesFile) -> FastSet<String> {
    let mut set = FastSet::with_capacity_and_hasher(given.names.len(), Default::default());
    set.extend(given.names.into_iter().map(|mut name| {
        if name.bytes().all(|b| b.is_ascii_alphanumeric()) {
            // Plain letters fold to their lower case: no new string.
            name.make_ascii_lowercase();
            name
        } else {
            fold_key(&name)
        }
    }));
    set
}

/// The built-in rule files, parsed.
pub fn builtin_rules() -> Result<RuleSet, IngestError> {
    let mut rules: RuleSet = parse_ron(LEXICON_RON, "src/ingest/rules/lexicon.ron")?;
    rules.extend(parse_ron(RELATIONS_RON, "src/ingest/rules/relations.ron")?);
    rules.extend(parse_ron(PATTERNS_RON, "src/ingest/rules/patterns.ron")?);
    rules.extend(parse_ron(NAMES_RON, "src/ingest/rules/names.ron")?);
    rules.extend(parse_ron(GENRES_RON, "src/ingest/rules/genres.ron")?);
    rules.extend(parse_ron(TRIGGERS_RON, "src/ingest/lexicon/triggers.ron")?);
    Ok(rules)
}

/// Reads and parses a user's rules file; errors name the file, line and column. Only a
/// regular file is read (a pipe or a device is refused at once, never waited on).
pub fn read_rules_file(path: &Path) -> Result<RuleSet, IngestError> {
    let path_name = path.display().to_string();
    let unreadable = |message: String| IngestError::Unreadable {
        path: path_name.clone(),
        message,
    };
    let bytes = files::read_regular(path, files::MAX_RULES_BYTES).map_err(|e| {
        if e.kind() == std::io::ErrorKind::InvalidInput {
            unreadable(e.to_string())
        } else {
            IngestError::Io {
                path: path_name.clone(),
                message: e.to_string(),
            }
        }
    })?;
    let text =
        String::from_utf8(bytes).map_err(|_| unreadable("the file is not UTF-8 text".into()))?;
    parse_rules(&text, &path_name)
}

/// Parses the text of a user's rules file, named `file` in errors, and checks what the
/// schema cannot (each entity's label).
pub fn parse_rules(text: &str, file: &str) -> Result<RuleSet, IngestError> {
    let rules: RuleSet = parse_ron(text, file)?;
    for e in &rules.entities {
        if !matches!(e.label.as_str(), "Person" | "Organization" | "Region") {
            return Err(IngestError::Rules {
                file: file.to_string(),
                line: 0,
                column: 0,
                message: format!(
                    "entity {:?} has label {:?}; use Person, Organization or Region",
                    e.name, e.label
                ),
            });
        }
    }
    Ok(rules)
}

/// The built-in rules with the test fixtures for the generated lexicons, so that unit tests
/// do not depend on the generated data.
#[cfg(test)]
pub fn test_knowledge() -> Arc<Knowledge> {
    static TEST: OnceLock<Arc<Knowledge>> = OnceLock::new();
    TEST.get_or_init(|| {
        let regions: RegionsFile = parse_ron(
            include_str!("../../tests/fixtures/regions.ron"),
            "regions.ron",
        )
        .expect("fixture parses");
        let given: GivenNamesFile = parse_ron(
            include_str!("../../tests/fixtures/given_names.ron"),
            "given_names.ron",
        )
        .expect("fixture parses");
        let organizations = OrganizationsFile {
            organizations: Vec::new(),
        };
        Arc::new(Knowledge::compile(
            builtin_rules().expect("built-in rules parse"),
            regions,
            given,
            organizations,
        ))
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_follow_english_spelling() {
        assert_eq!(
            inflect("reject"),
            ["reject", "rejects", "rejected", "rejecting"]
        );
        assert_eq!(
            inflect("criticise"),
            ["criticise", "criticises", "criticised", "criticising"]
        );
        assert_eq!(inflect("free"), ["free", "frees", "freed", "freeing"]);
        assert_eq!(
            inflect("accuse"),
            ["accuse", "accuses", "accused", "accusing"]
        );
        assert_eq!(inflect("deny"), ["deny", "denies", "denied", "denying"]);
        assert_eq!(
            inflect("call for"),
            ["call for", "calls for", "called for", "calling for"]
        );
    }

    #[test]
    fn short_keys_tell_words_apart() {
        let words = ["", "a", "a\0", "ab", "ba", "président", "fifteen-bytes!!"];
        let keys: Vec<ShortKey> = words.iter().filter_map(|w| ShortKey::of(w)).collect();
        assert_eq!(keys.len(), words.len());
        for (i, a) in keys.iter().enumerate() {
            assert!(keys[i + 1..].iter().all(|b| a != b), "{}", words[i]);
        }
        assert_eq!(ShortKey::of("sixteen-bytes!!!"), None);
        let mut table = LexTable::default();
        table.add("sixteen-bytes!!!", Lex::ORG_CUE);
        table.add("ab", Lex::ORG_CUE);
        table.add("ab", Lex::NOT_NAME);
        assert!(table.get("sixteen-bytes!!!").has(Lex::ORG_CUE));
        assert!(table.get("ab").has(Lex::ORG_CUE) && table.get("ab").has(Lex::NOT_NAME));
        assert_eq!(table.get("ba"), Lex::default());
    }

    #[test]
    fn short_keys_are_the_zero_padded_bytes_and_length() {
        let text = "abcdefghijklmnop";
        for n in 0..=15 {
            let mut bytes = [0u8; 16];
            bytes[..n].copy_from_slice(&text.as_bytes()[..n]);
            bytes[15] = n as u8 + 1;
            let packed = u128::from_le_bytes(bytes);
            let key = ShortKey::of(&text[..n]).expect("short");
            assert_eq!(
                (key.lo, key.hi),
                (packed as u64, (packed >> 64) as u64),
                "{n}"
            );
        }
    }

    #[test]
    fn lex_table_finds_every_key_after_growing() {
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
        let mut table = LexTable::default();
        for (i, w) in words.iter().enumerate() {
            table.add(w, Lex::relation(i as u32 + 1));
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(table.get(w), Lex::relation(i as u32 + 1), "{w}");
        }
        assert_eq!(table.get("w5000"), Lex::default());
        assert_eq!(table.get(""), Lex::default());
    }

    #[test]
    fn builtin_rules_parse() {
        let rules = builtin_rules().expect("built-in rules parse");
        assert!(rules.relations.iter().any(|r| r.rel_type == "MET_WITH"));
        assert!(!rules.titles.is_empty());
    }
}
