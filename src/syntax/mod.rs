//! How skein reads a sentence's structure: a part-of-speech tagger and a labelled
//! dependency parser (Universal Dependencies), both small averaged-perceptron models trained
//! by `tools/syntax-train` and embedded in the binary. It is a leaf: it takes words and gives
//! tags and a tree, and must never depend on the rest of skein (ingestion imports it, not
//! the other way round) nor read any file at run time.
//!
//! `parse` is the entry: a sentence's words in, a [`Tree`] out, which rules query by
//! relation (`subject`, `object`, `obliques`, `children_with`).

pub mod conllu;
pub mod features;
pub mod model;
pub mod timing;
pub mod transition;

use std::sync::OnceLock;
use std::time::Instant;

pub use model::{Model, Tag};

/// What can go wrong in this module.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    #[error("{file}:{line}: {message}; fix the file and run again")]
    Conllu {
        file: String,
        line: usize,
        message: String,
    },
    #[error("the embedded syntax model cannot be read ({0}); rebuild skein from a clean checkout")]
    Model(String),
}

/// The weights the build embeds (see `tools/syntax-train/README.md`).
static WEIGHTS: &[u8] = include_bytes!("weights/en-ud.bin");

/// The embedded model, decoded on first use so that commands that never parse pay nothing.
pub fn model() -> Result<&'static Model, SyntaxError> {
    static MODEL: OnceLock<Result<Model, SyntaxError>> = OnceLock::new();
    MODEL
        .get_or_init(|| Model::decode(WEIGHTS))
        .as_ref()
        .map_err(Clone::clone)
}

/// Tags and parses one sentence's words with the embedded model.
pub fn parse(words: &[&str]) -> Result<Tree<'static>, SyntaxError> {
    Ok(model()?.parse(words))
}

/// A tagged and parsed sentence. Words are numbered from 0 in the order given; the tree
/// does not keep the words themselves, the caller has them.
#[derive(Debug, Clone)]
pub struct Tree<'m> {
    model: &'m Model,
    tags: Vec<u16>,
    /// Each word's head (`None` for the sentence's root word).
    heads: Vec<Option<usize>>,
    labels: Vec<u8>,
}

impl Model {
    /// Tags and parses one sentence's words.
    pub fn parse(&self, words: &[&str]) -> Tree<'_> {
        let timed = timing::is_on();
        let start = timed.then(Instant::now);
        // A word's atoms serve the tagger and then the parser.
        let atoms: Vec<features::WordAtoms> =
            words.iter().map(|w| features::word_atoms(w)).collect();
        let tags = self.tag(&atoms);
        let tagged = timed.then(Instant::now);
        let (heads, labels) = self.parse_tagged(&atoms, &tags);
        if let (Some(start), Some(tagged)) = (start, tagged) {
            timing::record(tagged - start, tagged.elapsed(), words.len());
        }
        Tree {
            model: self,
            tags,
            heads: heads.iter().map(|&h| (h as usize).checked_sub(1)).collect(),
            labels,
        }
    }

    /// Tags and parses every sentence of a treebank from its gold words and counts what
    /// came out right (`skein parse --eval`, and the trainer's held-out figures).
    pub fn score(&self, gold: &[conllu::GoldSentence]) -> conllu::Scores {
        let mut scores = conllu::Scores::default();
        for g in gold {
            let words: Vec<&str> = g.words.iter().map(String::as_str).collect();
            let tree = self.parse(&words);
            let n = tree.len();
            let upos: Vec<&str> = (0..n).map(|i| tree.upos(i)).collect();
            let xpos: Vec<&str> = (0..n).map(|i| tree.xpos(i)).collect();
            let heads: Vec<u32> = (0..n)
                .map(|i| tree.head(i).map_or(0, |h| h as u32 + 1))
                .collect();
            let labels: Vec<&str> = (0..n).map(|i| tree.label(i)).collect();
            scores.add(g, &upos, &xpos, &heads, &labels);
        }
        scores
    }
}

impl<'m> Tree<'m> {
    /// The number of words.
    pub fn len(&self) -> usize {
        self.tags.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    /// The universal part-of-speech tag of word `i` (`NOUN`, `VERB`, `PROPN`, ...).
    pub fn upos(&self, i: usize) -> &'m str {
        &self.model.tags[usize::from(self.tags[i])].upos
    }

    /// The Penn Treebank tag of word `i` (`NN`, `VBD`, `VBN`, ...).
    pub fn xpos(&self, i: usize) -> &'m str {
        &self.model.tags[usize::from(self.tags[i])].xpos
    }

    /// The head of word `i`, or `None` for the root word.
    pub fn head(&self, i: usize) -> Option<usize> {
        self.heads[i]
    }

    /// The relation of word `i` to its head (`nsubj`, `obl:agent`, `root`, ...).
    pub fn label(&self, i: usize) -> &'m str {
        &self.model.labels[usize::from(self.labels[i])]
    }

    /// Whether word `i`'s relation is `rel` or a subtype of it: `is(i, "nsubj")` holds for
    /// `nsubj:pass`; `is(i, "nsubj:pass")` only for that subtype.
    pub fn is(&self, i: usize, rel: &str) -> bool {
        let l = self.label(i);
        l == rel || (l.len() > rel.len() && l.starts_with(rel) && l.as_bytes()[rel.len()] == b':')
    }

    /// Whether word `i` is a nominal dependent or a part of one (UD's `nmod`, `obl`, `obj`,
    /// `iobj`, `nsubj`, `appos`, `compound`, `flat`, `conj`, with their subtypes): a word
    /// through which a name belongs to the predicate above it.
    pub fn is_nominal_dependent(&self, i: usize) -> bool {
        const NOMINAL: [&str; 9] = [
            "nmod", "obl", "obj", "iobj", "nsubj", "appos", "compound", "flat", "conj",
        ];
        NOMINAL.iter().any(|r| self.is(i, r))
    }

    /// Whether word `i` is a verb or an auxiliary (UPOS `VERB`, `AUX`).
    pub fn is_verbal(&self, i: usize) -> bool {
        matches!(self.upos(i), "VERB" | "AUX")
    }

    /// Whether word `i` is a noun, common or proper (UPOS `NOUN`, `PROPN`).
    pub fn is_noun(&self, i: usize) -> bool {
        matches!(self.upos(i), "NOUN" | "PROPN")
    }

    /// Whether word `i` points back rather than names: a pronoun or a common noun (UPOS
    /// `PRON`, `NOUN`: "they", "the two leaders").
    pub fn refers_back(&self, i: usize) -> bool {
        matches!(self.upos(i), "PRON" | "NOUN")
    }

    /// Whether predicate `i` has a modal auxiliary ("would meet": Penn `MD`) or is a
    /// participle with a tense auxiliary, the perfect ("had met": `VBN` under `aux`, not
    /// the passive's `aux:pass`).
    pub fn is_perfect_or_modal(&self, i: usize) -> bool {
        self.children(i)
            .any(|a| self.label(a) == "aux" && (self.xpos(a) == "MD" || self.xpos(i) == "VBN"))
    }

    /// The root word (the one without a head), if the sentence has words.
    pub fn root(&self) -> Option<usize> {
        self.heads.iter().position(Option::is_none)
    }

    /// The dependents of word `i`, left to right.
    pub fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(move |&k| self.heads[k] == Some(i))
    }

    /// The dependents of word `i` whose relation is `rel` or a subtype of it.
    pub fn children_with<'a>(&'a self, i: usize, rel: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.children(i).filter(move |&k| self.is(k, rel))
    }

    /// The subject of predicate `i`: a nominal or clausal subject, active or passive.
    pub fn subject(&self, i: usize) -> Option<usize> {
        self.children(i)
            .find(|&k| self.is(k, "nsubj") || self.is(k, "csubj"))
    }

    /// Whether predicate `i` is passive (it has a passive subject or auxiliary).
    pub fn is_passive(&self, i: usize) -> bool {
        self.children(i)
            .any(|k| matches!(self.label(k), "nsubj:pass" | "csubj:pass" | "aux:pass"))
    }

    /// The direct object of predicate `i`.
    pub fn object(&self, i: usize) -> Option<usize> {
        self.children_with(i, "obj").next()
    }

    /// The obliques of predicate `i`, each with its preposition or case marker if it has
    /// one ("met *in* Doha": the oblique Doha with `in`).
    pub fn obliques(&self, i: usize) -> Vec<(usize, Option<usize>)> {
        self.children_with(i, "obl")
            .map(|k| (k, self.children_with(k, "case").next()))
            .collect()
    }

    /// The words word `i` is coordinated with ("A, B and C": B and C for A).
    pub fn conjuncts(&self, i: usize) -> Vec<usize> {
        self.children_with(i, "conj").collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_loads() {
        let m = model().expect("the embedded model decodes");
        assert!(m.tags.iter().any(|t| t.upos == "PROPN"));
        assert_eq!(m.labels[usize::from(m.root)], "root");
    }

    #[test]
    fn a_passive_with_an_agent_reads_as_one() {
        // "She was elected by the council."
        let words = ["She", "was", "elected", "by", "the", "council", "."];
        let t = parse(&words).expect("parses");
        assert_eq!(t.root(), Some(2));
        assert_eq!(t.subject(2), Some(0));
        assert!(t.is_passive(2));
        assert!(t.is(5, "obl"), "council is {}", t.label(5));
        assert_eq!(t.obliques(2), vec![(5, Some(3))]);
    }

    #[test]
    fn subject_object_and_conjuncts_are_found() {
        // "Iran and Qatar rejected the proposal."
        let words = ["Iran", "and", "Qatar", "rejected", "the", "proposal", "."];
        let t = parse(&words).expect("parses");
        assert_eq!(t.subject(3), Some(0));
        assert_eq!(t.object(3), Some(5));
        assert_eq!(t.conjuncts(0), vec![2]);
        assert_eq!(t.upos(3), "VERB");
        assert_eq!(t.xpos(3), "VBD");
    }

    #[test]
    fn is_matches_a_relation_and_its_subtypes_only() {
        let words = ["She", "was", "elected", "."];
        let t = parse(&words).expect("parses");
        assert_eq!(t.label(0), "nsubj:pass");
        assert!(t.is(0, "nsubj"));
        assert!(t.is(0, "nsubj:pass"));
        assert!(!t.is(0, "nsub"));
        assert!(!t.is(0, "obj"));
    }

    #[test]
    fn an_empty_sentence_has_an_empty_tree() {
        let t = parse(&[]).expect("parses");
        assert!(t.is_empty());
        assert_eq!(t.root(), None);
    }
}
