//! Resolution: which entity each recognised span is. Full names within the article claim
//! their surnames and short forms, gazetteer aliases meet in one region, demonyms stand for
//! their country, descriptions ("the Russian leader") for the titled person, pronouns for
//! an unambiguous antecedent, "I" in a quotation for its speaker, and "both sides" for the
//! parties named last.
//!
//! Resolution sees one article (and the rules); names it cannot place are left as
//! candidates for the merge stage, which looks them up in the graph. It never guesses
//! between two equally likely antecedents.

use std::collections::BTreeSet;

use smallvec::{SmallVec, smallvec};

use super::antecedent::{Choice, Wanted, choose, gender_of};
use super::article::{TokKind, Token};
use super::entities::{Span, SpanKind, fold_token, region_at};
use super::identity::Gender;
use super::lexicon::RegionKind;
use super::relations::class;
use super::rules::{FastMap, Knowledge, Lex, Pronoun, Referent};

/// An entity of one article.
#[derive(Debug, Clone, Default)]
pub struct ArtEntity {
    /// `Person`, `Organization`, `Region`; `None` for a candidate the graph may know.
    pub label: Option<&'static str>,
    pub name: String,
    /// Every surface form read for it.
    pub forms: BTreeSet<String>,
    pub kind: Option<String>,
    pub titles: BTreeSet<String>,
    pub mentions: u32,
    /// Whether it was named (not only through a demonym or a description).
    pub named: bool,
    /// Whether it can be a party of a relation (a sea cannot).
    pub actor: bool,
    /// Its gazetteer index, for regions.
    pub region: Option<usize>,
    /// For a candidate: the label it takes when the graph does not know it.
    pub fallback: Option<&'static str>,
    /// A person's gender as a pronoun that could stand for them alone showed it.
    pub gender: Option<Gender>,
    /// How many of its named mentions follow a locative preposition ("in Fort Lee").
    pub locative: u32,
}

/// How a mention refers to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    Name,
    Demonym,
    Description,
    Pronoun,
    Speaker,
    Group,
}

/// The entities of a mention: one, or a few for a group; kept inline, without an allocation
/// per mention.
pub type Ents = SmallVec<[usize; 2]>;

/// An entity mention in a sentence: tokens, the entities it stands for (a group has several).
#[derive(Debug, Clone)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub ents: Ents,
    pub kind: MentionKind,
    /// Part of a title phrase ("Russian" in "Russian President X"): not a party itself.
    pub consumed: bool,
    /// After "in", "at": a place, not a party.
    pub locative: bool,
    /// Followed by the possessive `'s`.
    pub possessive: bool,
    /// Where the phrase around the mention starts: "French President X" starts at "French".
    /// Coordination looks there ("A and French President X").
    pub ext_start: usize,
}

impl Mention {
    /// A description ("the Russian leader", "the company") of entity `e` over tokens
    /// `start..end`: a party, owner when the possessive `'s` follows.
    fn description(tokens: &[Token<'_>], start: usize, end: usize, e: usize) -> Mention {
        Mention {
            ext_start: start,
            start,
            end,
            ents: smallvec![e],
            kind: MentionKind::Description,
            consumed: false,
            locative: false,
            possessive: tokens
                .get(end)
                .is_some_and(|x| x.kind == TokKind::Possessive),
        }
    }
}

/// A title phrase in a sentence.
#[derive(Debug, Clone, Copy)]
pub struct TitleSpan {
    pub start: usize,
    pub end: usize,
    pub title: usize,
    pub head: usize,
    pub subordinate: bool,
}

/// One sentence after resolution.
#[derive(Debug, Clone, Default)]
pub struct SentenceInfo {
    pub start: usize,
    pub end: usize,
    pub mentions: Vec<Mention>,
    /// Kept inline: most sentences hold a title or two at most.
    pub titles: SmallVec<[TitleSpan; 2]>,
    /// Spans not yet resolved: descriptions, pronouns, speakers and groups are resolved
    /// after the title phrases are known.
    pub pending: SmallVec<[Span; 2]>,
    /// Whether the sentence lies (partly) inside a quotation.
    pub quoted: bool,
    /// References that stand for no entity the resolver could choose without guessing: their
    /// tokens and kind, for `skein parse` to show.
    pub unresolved: SmallVec<[(usize, usize, MentionKind); 1]>,
    /// Capitalised title phrases set off by a comma beside a person's name ("Norton I,
    /// Emperor of the United States", "its Chair, Joyce Beatty"): their tokens and the
    /// person, for the record of where entities are named (they add no mention).
    pub title_names: SmallVec<[(usize, usize, usize); 1]>,
    /// Titles standing for a name ("Mr. President", "the Speaker") whose holder the article
    /// had not named yet: the article's end decides them (`later_holder`).
    pub later_titles: Vec<LaterTitle>,
}

/// A title standing for a name, said before any holder of it was named ("Mr. President" in
/// a speech's first sentence): its tokens (the honorific or determiner included) and what a
/// holder must fit.
#[derive(Debug, Clone)]
pub struct LaterTitle {
    pub start: usize,
    pub end: usize,
    /// The title's words, folded to lower case, which a holder's title must end with.
    wanted: SmallVec<[String; 3]>,
    /// Its head word, folded: a holder of a title of that head of a body fits.
    head: String,
    /// Whether the title is subordinate ("Vice President"): only a holder of that whole
    /// title fits.
    subordinate: bool,
    /// The gender its honorific of address says ("Madam Chair").
    gender: Option<Gender>,
}

/// What the article has learnt so far; it carries over from one piece of a long article to
/// the next.
#[derive(Debug, Default)]
pub struct ArticleState {
    pub entities: Vec<ArtEntity>,
    /// Folded name to everything the article knows under it: one table, so that a name is
    /// hashed once for all its uses (a candidate asks for a surname, an organisation and a
    /// first name in turn) and copied only when it is new.
    names: FastMap<String, Known>,
    /// Gazetteer index to entity.
    regions: FastMap<usize, usize>,
    /// Rules entity index to entity.
    named: FastMap<usize, usize>,
    /// (entity, folded title head) to the person holding that title of that entity.
    pub titled: FastMap<(usize, String), usize>,
    /// Entity to the person who leads it.
    pub leaders: FastMap<usize, usize>,
    /// The pairs and lists of parties named together so far ("Russia and Ukraine", "the
    /// two leaders"), the newest last: each with the number of the sentence that named it
    /// last and how often the article named it; only the last few are kept.
    groups: Vec<NamedTogether>,
    /// The persons of the previous sentence, for pronouns.
    pub previous_persons: Vec<usize>,
    /// The person opening the previous sentence, for a sentence-initial pronoun.
    pub previous_subject: Option<usize>,
    /// The entities the previous sentence named or referred to, for pronouns and
    /// descriptions: in entity order, once each.
    pub previous_entities: Vec<usize>,
    /// Sentences resolved so far in the article, and the number of the first of the
    /// current paragraph.
    sentence_no: u32,
    paragraph_first: u32,
    /// By entity: the number of the last sentence that mentioned it (0: none yet).
    last_seen: Vec<u32>,
    /// Who made the last proposal read, for "rejected the demand" in a later sentence.
    pub last_proposer: Option<usize>,
    /// By entity: the first word of its folded name, kept while the name stays the same.
    first_folded: Vec<Option<String>>,
    /// The folding buffer for span names, kept from sentence to sentence.
    words: FoldedWords,
}

/// Parties an article named together: the sentence that named them last and how often.
#[derive(Debug, Clone)]
struct NamedTogether {
    at: u32,
    ents: Ents,
    times: u32,
}

/// The names the table of an article has room for from the start.
const NAMES_PER_ARTICLE: usize = 48;

/// What one folded name stands for in the article.
#[derive(Debug, Default, Clone, Copy)]
struct Known {
    /// The entity of this name and label (`Person`, `Organization`, or none for a
    /// candidate).
    person: Option<usize>,
    organization: Option<usize>,
    candidate: Option<usize>,
    /// The person named in full with this surname.
    surname: Option<usize>,
    /// The person named in full whose name starts with this word, or `Some(None)` when two
    /// persons share it ("Getachew" for "Getachew Reda"; "Kim" stays ambiguous).
    first_word: Option<Option<usize>>,
    /// The organisation known by this form.
    org: Option<usize>,
}

impl Known {
    /// The entity slot of a label.
    fn label_mut(&mut self, label: Option<&'static str>) -> &mut Option<usize> {
        match label {
            Some("Person") => &mut self.person,
            Some(_) => &mut self.organization,
            None => &mut self.candidate,
        }
    }
}

fn span_text<'a>(tokens: &[Token<'a>], para: &'a str, start: usize, end: usize) -> &'a str {
    &para[tokens[start].start..tokens[end - 1].end]
}

impl ArticleState {
    /// Records parties named together in the current sentence, for group references and
    /// "they" later on.
    fn named_together(&mut self, group: Ents) {
        /// How many groups are kept: an article's references go back a few pairs at most.
        const KEPT: usize = 8;
        let same = |g: &Ents| g.len() == group.len() && g.iter().all(|e| group.contains(e));
        let times = match self.groups.iter().position(|n| same(&n.ents)) {
            Some(i) => self.groups.remove(i).times + 1,
            None => 1,
        };
        if self.groups.len() == KEPT {
            self.groups.remove(0);
        }
        self.groups.push(NamedTogether {
            at: self.sentence_no,
            ents: group,
            times,
        });
    }

    /// What the article knows under a folded name.
    fn known(&self, key: &str) -> Known {
        self.names.get(key).copied().unwrap_or_default()
    }

    /// Updates what the article knows under a folded name with `f`; the name is copied only
    /// when it is new.
    fn update<R>(&mut self, key: &str, f: impl FnOnce(&mut Known) -> R) -> R {
        if let Some(known) = self.names.get_mut(key) {
            return f(known);
        }
        let mut known = Known::default();
        let r = f(&mut known);
        self.names.insert(key.to_string(), known);
        r
    }

    fn entity(&mut self, label: Option<&'static str>, name: &str, key: &str) -> usize {
        self.entity_named(label, || name.to_string(), key)
    }

    /// `entity` for a name that is only built when the entity is new.
    fn entity_named(
        &mut self,
        label: Option<&'static str>,
        name: impl FnOnce() -> String,
        key: &str,
    ) -> usize {
        let i = self.entities.len();
        let known = self.update(key, |k| *k.label_mut(label).get_or_insert(i));
        if known != i {
            return known;
        }
        self.entities.push(ArtEntity {
            label,
            name: name(),
            actor: true,
            ..Default::default()
        });
        i
    }

    /// A new entity that no name finds: regions and the rules' entities, which their own
    /// maps (by index) find again.
    fn indexed_entity(&mut self, label: &'static str, name: &str) -> usize {
        let i = self.entities.len();
        self.entities.push(ArtEntity {
            label: Some(label),
            name: name.to_string(),
            actor: true,
            ..Default::default()
        });
        i
    }

    /// The article's entity of region `idx` of the regions lexicon, made on first use.
    pub(crate) fn region(&mut self, idx: usize, k: &Knowledge) -> usize {
        if let Some(&e) = self.regions.get(&idx) {
            return e;
        }
        let r = &k.gazetteer.regions[idx];
        let e = self.indexed_entity("Region", &r.name);
        let ent = &mut self.entities[e];
        ent.kind = Some(r.kind.as_str().to_string());
        ent.actor = r.kind.can_act();
        ent.region = Some(idx);
        self.regions.insert(idx, e);
        e
    }

    fn named_entity(&mut self, idx: usize, k: &Knowledge) -> usize {
        if let Some(&e) = self.named.get(&idx) {
            return e;
        }
        let n = &k.entity_list[idx];
        let e = self.indexed_entity(n.label, &n.name);
        self.entities[e].kind = n.kind.clone();
        self.named.insert(idx, e);
        e
    }

    /// A person named in full, merged with an earlier person of the same surname and a
    /// compatible first name ("Vladimir V. Putin" and "Vladimir Putin").
    fn person(&mut self, words: &FoldedWords, text: impl FnOnce() -> String) -> usize {
        let surname = words.last();
        let first = words.first();
        let known = self.known(surname);
        if let Some(e) = known.surname
            && (words.len() == 1 || self.first_folded(e) == first)
        {
            return e;
        }
        // With one word, its first word is its surname: `known` says both.
        if words.len() == 1
            && let Some(e) = known.first_word.flatten()
        {
            return e;
        }
        let e = self.entity_named(Some("Person"), text, &words.key);
        if words.len() >= 2 {
            // A surname read alone goes to the first person named in full with it: the
            // article's subject, not a relative named after them ("Jared Padalecki ... his
            // mother, Sherri Padalecki ... Padalecki starred").
            self.update(surname, |k| {
                k.surname.get_or_insert(e);
            });
            self.update(first, |k| match &mut k.first_word {
                Some(known) => {
                    if *known != Some(e) {
                        *known = None;
                    }
                }
                None => k.first_word = Some(Some(e)),
            });
        }
        e
    }

    /// The names that stand inside the name `start..end` of an organisation or a candidate,
    /// as (start, end, entity): a person named in full and read on their own ("Andy Warhol"
    /// in "Andy Warhol Foundation"), a place of the gazetteer ("Texas" in "University of Texas
    /// at Arlington"), or a name no list placed, read on its own at least twice ("Fort Lee" in
    /// "Fort Lee Historic Park"). Only a place makes an entity when the article never reads
    /// it alone, and that entity is not named, so merging makes no node of it.
    pub fn nested_names(
        &mut self,
        tokens: &[Token<'_>],
        start: usize,
        end: usize,
        k: &Knowledge,
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        out.clear();
        let mut q = start;
        while q < end {
            if let Some((e, idx)) = region_at(tokens, q, end, k)
                && (q, e) != (start, end)
            {
                // A place the article never reads on its own ("Michigan" in "University of
                // Michigan") is still that place, not the organisation: it gets an entity
                // that is not named, so that merging makes no node of it.
                let ent = self.region(idx, k);
                out.push((q, e, ent));
                q = e;
                continue;
            }
            // A person's name of two or three words opening the organisation's.
            if q == start {
                let mut words = std::mem::take(&mut self.words);
                let person = (start + 2..=(start + 3).min(end.saturating_sub(1)))
                    .rev()
                    .find_map(|e| {
                        let key = words.key_of(tokens, start, e);
                        self.known(key).person.map(|p| (e, p))
                    });
                self.words = words;
                if let Some((e, p)) = person
                    && self.entities[p].label == Some("Person")
                {
                    out.push((start, e, p));
                    q = e;
                    continue;
                }
                // "Fort Lee Historic Park", "Tulsa Metro": a name no list placed, read on
                // its own before, opening the longer name.
                let mut words = std::mem::take(&mut self.words);
                let named = (start + 1..end).rev().find_map(|e| {
                    let known = self.known(words.key_of(tokens, start, e));
                    known.candidate.or(known.org).map(|c| (e, c))
                });
                self.words = words;
                if let Some((e, c)) = named
                    && self.entities[c].label != Some("Person")
                    && (self.entities[c].label.is_some() || self.entities[c].mentions >= 2)
                {
                    out.push((start, e, c));
                    q = e;
                    continue;
                }
            }
            q += 1;
        }
    }

    /// The first word of the folded name of entity `e`, folded once while the name stays.
    fn first_folded(&mut self, e: usize) -> &str {
        if self.first_folded.len() <= e {
            self.first_folded.resize(e + 1, None);
        }
        let name = self.entities.get(e).map_or("", |ent| ent.name.as_str());
        self.first_folded[e].get_or_insert_with(|| {
            crate::graph::fold_name(name)
                .split(' ')
                .next()
                .map(str::to_string)
                .unwrap_or_default()
        })
    }

    /// Records that `ent` was read as `form` once more.
    fn saw(&mut self, ent: usize, form: &str, named: bool) {
        let e = &mut self.entities[ent];
        e.mentions += 1;
        e.named |= named;
        // Most mentions repeat a known form: no copy of it then.
        let new_form = !e.forms.contains(form);
        if new_form {
            e.forms.insert(form.to_string());
        }
        // A form read before was weighed against the name then (a person's forms come
        // only from named mentions), and the name only ever grows: only a new form can
        // be longer.
        if named
            && new_form
            && e.label == Some("Person")
            && form != e.name
            && form.chars().count() > e.name.chars().count()
        {
            e.name = form.to_string();
            if let Some(first) = self.first_folded.get_mut(ent) {
                *first = None;
            }
        }
    }
}

/// A name's tokens joined as written: spaces between words, none around hyphens nor before
/// an apostrophe written against its word ("Workers' Party").
fn join_tokens(tokens: &[Token<'_>]) -> String {
    let mut out = String::with_capacity(tokens.iter().map(|t| t.text.len() + 1).sum());
    for (n, t) in tokens.iter().enumerate() {
        let attached = n > 0 && t.kind == TokKind::Punct && t.start == tokens[n - 1].end;
        if n > 0 && t.text != "-" && tokens[n - 1].text != "-" && !attached {
            out.push(' ');
        }
        out.push_str(t.text);
    }
    out
}

/// The folded words of a name (tokens that fold to nothing are no words), held as one
/// string, its key, with the words joined by spaces, and where each word ends in it.
#[derive(Debug, Default)]
struct FoldedWords {
    key: String,
    ends: SmallVec<[usize; 4]>,
}

impl FoldedWords {
    /// Folds the span into this buffer, replacing what it held.
    fn fill(&mut self, tokens: &[Token<'_>], start: usize, end: usize) {
        let FoldedWords { key, ends } = self;
        key.clear();
        ends.clear();
        // Most names are one plain word, its own folded form.
        if let [t] = &tokens[start..end]
            && t.kind == TokKind::Word
            && t.plain
            && !t.lower.is_empty()
        {
            key.push_str(t.lower);
            ends.push(key.len());
            return;
        }
        for t in tokens[start..end]
            .iter()
            .filter(|t| t.kind == TokKind::Word)
        {
            let mark = key.len();
            if mark > 0 {
                key.push(' ');
            }
            let from = key.len();
            fold_token(t, key);
            if key.len() == from {
                // Nothing folded: drop the separator.
                key.truncate(mark);
            } else {
                ends.push(key.len());
            }
        }
    }

    /// The folded key of the span: for one plain word, its lower-case form itself without a
    /// copy (the buffer keeps what it held); else the buffer's, as [`FoldedWords::fill`]
    /// leaves it.
    fn key_of<'a>(&'a mut self, tokens: &'a [Token<'_>], start: usize, end: usize) -> &'a str {
        if let [t] = &tokens[start..end]
            && t.kind == TokKind::Word
            && t.plain
            && !t.lower.is_empty()
        {
            return t.lower;
        }
        self.fill(tokens, start, end);
        &self.key
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Reads each word that `spelling_variants` lists as its other spelling ("organisation"
    /// as "organization"), so that both spellings of a name give one key.
    fn respell(&mut self, k: &Knowledge) {
        if k.spelling_variants.is_empty()
            || !(0..self.len()).any(|n| k.spelling_variants.contains_key(self.word(n)))
        {
            return;
        }
        let mut key = String::with_capacity(self.key.len() + 2);
        let mut ends = SmallVec::new();
        for n in 0..self.len() {
            if n > 0 {
                key.push(' ');
            }
            let word = self.word(n);
            key.push_str(k.spelling_variants.get(word).map_or(word, String::as_str));
            ends.push(key.len());
        }
        self.key = key;
        self.ends = ends;
    }

    /// The key of the first `n` words.
    fn opening(&self, n: usize) -> &str {
        n.checked_sub(1)
            .and_then(|last| self.ends.get(last))
            .map_or("", |&end| &self.key[..end])
    }

    /// The `n`th word; "" past the last.
    fn word(&self, n: usize) -> &str {
        let start = match n.checked_sub(1) {
            None => 0,
            Some(p) => self.ends.get(p).map_or(self.key.len(), |e| e + 1),
        };
        let end = self.ends.get(n).copied().unwrap_or(start);
        self.key.get(start..end).unwrap_or("")
    }

    fn first(&self) -> &str {
        self.word(0)
    }

    fn last(&self) -> &str {
        self.len().checked_sub(1).map_or("", |n| self.word(n))
    }
}

/// The organisation of the article whose initials spell `key` ("rdif" for "Russian Direct
/// Investment Fund"), when exactly one does.
fn acronym_of(state: &ArticleState, key: &str) -> Option<usize> {
    if key.len() < 2 || key.contains(' ') {
        return None;
    }
    let mut found = None;
    let orgs = state
        .names
        .iter()
        .filter_map(|(name, known)| Some((name, known.org?)));
    for (name, e) in orgs {
        let initials: String = name
            .split(' ')
            .filter(|w| !matches!(*w, "of" | "for" | "and" | "the" | "on" | "in"))
            .filter_map(|w| w.chars().next())
            .collect();
        if initials == key && initials.len() >= 2 {
            if found.is_some_and(|f| f != e) {
                return None;
            }
            found = Some(e);
        }
    }
    found
}

/// "Christian Democrats" and "CDU": the organisation of the article whose acronym spells
/// the initials of a party named by its members (`party_members`) and of a party's head
/// (`party_heads`: "Christian Democratic Union"), when exactly one does.
fn party_acronym(state: &ArticleState, words: &FoldedWords, k: &Knowledge) -> Option<usize> {
    if words.len() != 2 || !k.party_members.contains(words.last()) {
        return None;
    }
    let initials: String = (0..2)
        .filter_map(|n| words.word(n).chars().next())
        .collect();
    let mut found = None;
    for head in &k.party_heads {
        let acronym = format!("{initials}{}", head.chars().next()?);
        if let Some(e) = state.known(&acronym).org {
            if found.is_some_and(|f| f != e) {
                return None;
            }
            found = Some(e);
        }
    }
    found
}

/// First pass over a piece of an article: entities named in full (people, organisations,
/// regions, rules entities), so that the second pass can resolve short forms, wherever in
/// the article the full form comes.
pub fn register(state: &mut ArticleState, tokens: &[Token<'_>], spans: &[Span], k: &Knowledge) {
    if state.names.capacity() == 0 {
        // An article names a few dozen things: room for them at once saves growing the
        // table step by step from a handful.
        state.names.reserve(NAMES_PER_ARTICLE);
    }
    // The state's buffer for the names, taken while the state is updated.
    let mut words = std::mem::take(&mut state.words);
    // The last name read with its entity, as (end, entity, is a person): "X, also known as
    // Y" makes Y another name of X.
    let mut last: Option<(usize, usize, bool)> = None;
    // The last such name followed by a bracket, whose names do not stand between it and an
    // alias after the bracket ("Natsu Higuchi (Higuchi Natsu), also known as ...").
    let mut bracketed: Option<(usize, usize, bool)> = None;
    for s in spans {
        let named_before = [last, bracketed]
            .into_iter()
            .flatten()
            .find(|&(end, _, _)| alias_between(tokens, end, s.start, k));
        if let Some(l) = last.take()
            && tokens.get(l.0).is_some_and(|t| t.text == "(")
        {
            bracketed = Some(l);
        }
        match s.kind {
            SpanKind::Person => {
                words.fill(tokens, s.start, s.end);
                if let Some((_, a, true)) = named_before {
                    state.update(&words.key, |known| known.person = Some(a));
                    last = Some((s.end, a, true));
                } else if words.len() >= 2 {
                    let e = state.person(&words, || join_tokens(&tokens[s.start..s.end]));
                    last = Some((s.end, e, true));
                }
            }
            SpanKind::Candidate { .. } if let Some((_, a, person)) = named_before => {
                words.fill(tokens, s.start, s.end);
                state.update(&words.key, |known| {
                    if person {
                        known.surname = Some(a);
                    } else {
                        known.org = Some(a);
                    }
                });
            }
            SpanKind::Org if let Some((_, a, false)) = named_before => {
                words.fill(tokens, s.start, s.end);
                words.respell(k);
                state.update(&words.key, |known| known.org = Some(a));
            }
            SpanKind::Org => {
                words.fill(tokens, s.start, s.end);
                words.respell(k);
                // A word in capitals that is the surname of a person named before is that
                // person ("NORTON I" after "Joshua Norton"), not an acronym.
                if s.end == s.start + 1
                    && tokens[s.start].all_caps()
                    && state.known(&words.key).surname.is_some()
                {
                    continue;
                }
                // "Social Democrats" (`party_members`): a party named by its members is the
                // short form of its full name ("Social Democratic Party") wherever the article
                // gives that, so it is resolved in the second pass.
                if words.len() == 2 && k.party_members.contains(words.last()) {
                    continue;
                }
                let e = match state.known(&words.key).org {
                    Some(e) => e,
                    None => state.entity_named(
                        Some("Organization"),
                        || join_tokens(&tokens[s.start..s.end]),
                        &words.key,
                    ),
                };
                // "Airbus Group", "NBC News": the name before a closing cue is the same
                // organisation's short name.
                // "Dallas Mavericks": a team is called by its plural alone.
                if words.len() == 2
                    && k.gazetteer.region(words.word(0)).is_some()
                    && words.word(1).ends_with('s')
                    && !k.org_cues.contains(words.word(1))
                {
                    state.update(words.word(1), |known| {
                        known.org.get_or_insert(e);
                    });
                }
                if words.len() == 2
                    && k.org_cues.contains(words.word(1))
                    && !k.gazetteer.by_demonym.contains_key(words.word(0))
                    && k.gazetteer.region(words.word(0)).is_none()
                    && !k.not_names.contains(words.word(0))
                {
                    state.update(words.word(0), |known| {
                        known.org.get_or_insert(e);
                    });
                }
                state.update(&words.key, |known| known.org = Some(e));
                bracketed_acronym(state, tokens, s.end, e);
                short_forms(state, tokens, s, &words, e, k);
                closing_word_forms(state, &words, e, k);
                last = Some((s.end, e, false));
            }
            SpanKind::Region(idx) => {
                let e = state.region(idx, k);
                last = Some((s.end, e, false));
            }
            SpanKind::Named(idx) => {
                let e = state.named_entity(idx, k);
                last = Some((s.end, e, false));
                if k.entity_list[idx].label == "Organization" {
                    bracketed_acronym(state, tokens, s.end, e);
                    // The name as written, in either spelling, and the forms its closing
                    // word gives find this organisation too.
                    words.fill(tokens, s.start, s.end);
                    words.respell(k);
                    state.update(&words.key, |known| {
                        known.org.get_or_insert(e);
                    });
                    closing_word_forms(state, &words, e, k);
                }
            }
            _ => {}
        }
    }
    // Candidates whose context makes them organisations become known forms, unless a
    // person of that surname exists.
    for s in spans {
        if let SpanKind::Candidate {
            fallback: Some("Organization"),
        } = s.kind
        {
            let key = words.key_of(tokens, s.start, s.end);
            let known = state.known(key);
            if known.surname.is_none() && known.org.is_none() {
                // The candidate's whole name ("Downing Street"), not its first word.
                let name = join_tokens(&tokens[s.start..s.end]);
                let e = state.entity(Some("Organization"), &name, key);
                state.update(key, |known| known.org = Some(e));
            }
        }
    }
    state.words = words;
}

/// Second pass: turns a sentence's spans into mentions of article entities. Spans that
/// depend on title phrases (descriptions, pronouns, groups, speakers) stay pending. The
/// mentions are pushed onto `mentions`, an empty list the caller may keep from an earlier
/// sentence so that its room is used again.
#[allow(clippy::too_many_arguments)]
pub fn resolve_names(
    state: &mut ArticleState,
    tokens: &[Token<'_>],
    classes: &[u32],
    para: &str,
    start: usize,
    end: usize,
    spans: &[Span],
    mut mentions: Vec<Mention>,
    k: &Knowledge,
) -> SentenceInfo {
    mentions.clear();
    mentions.reserve(spans.len());
    let mut info = SentenceInfo {
        start,
        end,
        mentions,
        ..Default::default()
    };
    // The state's buffer for the names, taken while the state is updated.
    let mut words = std::mem::take(&mut state.words);
    for s in spans {
        let text = span_text(tokens, para, s.start, s.end);
        let (ent, kind) = match s.kind {
            // "Rubio" after "Marco Rubio": a lone word naming a town is the person of that
            // surname read before, not the town.
            SpanKind::Region(idx)
                if let Some(e) = (s.end == s.start + 1
                    && k.gazetteer.regions[idx].kind != RegionKind::Country)
                    .then(|| state.known(words.key_of(tokens, s.start, s.end)).surname)
                    .flatten() =>
            {
                (e, MentionKind::Name)
            }
            // "Saint Jerome" after "Jerome": the saint of a name the article gave a person
            // alone is that person, not the town the gazetteer names after the saint.
            // After "in", "at": the place ("the team in St. Louis" with "Louis" named).
            SpanKind::Region(_)
                if !(s.start > start
                    && classes
                        .get(s.start - 1)
                        .is_some_and(|c| c & class::LOCATIVE_PREP != 0))
                    && let Some(e) = saint_named(state, &mut words, tokens, s, k) =>
            {
                // A saint is a person, which a lone given name did not say.
                state.entities[e].label.get_or_insert("Person");
                (e, MentionKind::Name)
            }
            SpanKind::Region(idx) => (state.region(idx, k), MentionKind::Name),
            SpanKind::Named(idx) => (state.named_entity(idx, k), MentionKind::Name),
            SpanKind::Demonym(country) => (state.region(country, k), MentionKind::Demonym),
            SpanKind::Org => {
                words.fill(tokens, s.start, s.end);
                words.respell(k);
                let key = words.key.as_str();
                let known = state.known(key);
                // "NORTON I" after "Joshua Norton" (see `register`).
                let surname = (s.end == s.start + 1 && tokens[s.start].all_caps())
                    .then_some(known.surname)
                    .flatten();
                let e = match surname
                    .or(known.org)
                    .or_else(|| party_acronym(state, &words, k))
                {
                    Some(e) => e,
                    None => match acronym_of(state, key) {
                        Some(e) => e,
                        None => match known.organization {
                            Some(e) => e,
                            None => state.entity(Some("Organization"), text, key),
                        },
                    },
                };
                (e, MentionKind::Name)
            }
            SpanKind::Person => {
                words.fill(tokens, s.start, s.end);
                (state.person(&words, || text.to_string()), MentionKind::Name)
            }
            SpanKind::Candidate { fallback } => {
                let key = words.key_of(tokens, s.start, s.end);
                // One lookup answers for the surname, the organisation, the first name and
                // the candidate itself.
                let known = state.known(key);
                let e = if let Some(e) = known.surname {
                    e
                } else if let Some(e) = known.org {
                    e
                } else if let Some(e) = known.first_word.flatten() {
                    e
                } else if fallback == Some("Person") {
                    // A person of one word, known by no surname or first name (asked
                    // above): the person of that name.
                    match known.person {
                        Some(e) => e,
                        None => state.entity(Some("Person"), text, key),
                    }
                } else {
                    let e = match known.candidate {
                        Some(e) => e,
                        None => state.entity(None, text, key),
                    };
                    state.entities[e].fallback = fallback;
                    if fallback == Some("Region") {
                        state.entities[e].kind = Some("other".into());
                    }
                    e
                };
                (e, MentionKind::Name)
            }
            SpanKind::Title {
                title,
                head,
                subordinate,
            } => {
                info.titles.push(TitleSpan {
                    start: s.start,
                    end: s.end,
                    title,
                    head,
                    subordinate,
                });
                continue;
            }
            SpanKind::Group | SpanKind::Pronoun | SpanKind::Speaker => {
                info.pending.push(*s);
                continue;
            }
        };
        let named = kind == MentionKind::Name;
        state.saw(ent, text, named);
        let possessive = tokens
            .get(s.end)
            .is_some_and(|t| t.kind == TokKind::Possessive);
        let locative_at = |x: usize| {
            classes
                .get(x)
                .is_some_and(|c| c & class::LOCATIVE_PREP != 0)
        };
        let locative = s.start > start && locative_at(s.start - 1)
            || (s.start > start + 1
                && tokens[s.start - 1].lower == "the"
                && locative_at(s.start - 2));
        if locative && named {
            state.entities[ent].locative += 1;
        }
        info.mentions.push(Mention {
            start: s.start,
            end: s.end,
            ents: smallvec![ent],
            kind,
            consumed: false,
            locative,
            possessive,
            ext_start: s.start,
        });
    }
    state.words = words;
    // "the bloc's foreign policy chief": before the title phrases are read.
    resolve_descriptions(state, tokens, &mut info, k, true);
    if !info.mentions.is_sorted_by_key(|m| (m.start, m.end)) {
        info.mentions.sort_by_key(|m| (m.start, m.end));
    }
    info
}

/// Whether the tokens `end..start` between two names give the second as another name of
/// the first: an optional bracket right after the first name ("Natsu Higuchi (樋口 奈津)"),
/// then a comma or an opening bracket, adverbs (`alias_adverbs`), an alias cue
/// (`alias_cues`: "also known as", "aka") and an optional "the".
fn alias_between(tokens: &[Token<'_>], end: usize, start: usize, k: &Knowledge) -> bool {
    if start <= end || start > tokens.len() {
        return false;
    }
    let mut q = end;
    if tokens[q].text == "(" {
        match (q + 1..start).find(|&x| matches!(tokens[x].text, "(" | ")")) {
            Some(close) if tokens[close].text == ")" => q = close + 1,
            _ => {}
        }
    }
    if q >= start || !matches!(tokens[q].text, "," | "(") {
        return false;
    }
    q += 1;
    while q < start && k.alias_adverbs.contains(tokens[q].lower) {
        q += 1;
    }
    let Some(cue) = k.alias_cues.iter().find(|cue| {
        q + cue.len() <= start
            && cue
                .iter()
                .zip(&tokens[q..])
                .all(|(w, t)| t.lower == w.as_str())
    }) else {
        return false;
    };
    q += cue.len();
    if q < start && tokens[q].lower == "the" {
        q += 1;
    }
    q == start
}

/// The person `s` names as a saint: "Saint Jerome" or "St. Jerome" when the article named a
/// person (or a candidate no context made a place) by the rest of it alone, "Jerome".
fn saint_named(
    state: &ArticleState,
    words: &mut FoldedWords,
    tokens: &[Token<'_>],
    s: &Span,
    k: &Knowledge,
) -> Option<usize> {
    if s.end < s.start + 2 || !k.place_openers.contains(tokens[s.start].lower) {
        return None;
    }
    let known = state.known(words.key_of(tokens, s.start + 1, s.end));
    known.person.or(known
        .candidate
        .filter(|&e| state.entities[e].fallback != Some("Region")))
}

/// The short forms an article gives the organisation `e` named in full by `s`, which
/// `words` holds folded: the word that opens a name of three words or more when it is a
/// name of its own, no place, people, cue, given name or word kept out of names
/// ("Copernicus" of "Copernicus Climate Change Service"), and the name before an "of" or
/// "for" complement when it ends in a cue ("Comic Corps" of "Comic Corps of Canada",
/// "Warhol Foundation" of "Warhol Foundation for the Visual Arts"). A person of that
/// surname still wins (the resolver asks for surnames first).
fn short_forms(
    state: &mut ArticleState,
    tokens: &[Token<'_>],
    s: &Span,
    words: &FoldedWords,
    e: usize,
    k: &Knowledge,
) {
    let first = &tokens[s.start];
    let opener = words.first();
    if words.len() >= 3
        && first.kind == TokKind::Word
        && first.cap
        && !first.all_caps()
        && first.lower == opener
        && !first.lex.has(Lex::GIVEN_NAME)
        && !first.lex.has(Lex::ORG_CUE)
        && !first.lex.has(Lex::NOT_NAME)
        && !k.gazetteer.by_demonym.contains_key(opener)
        && k.gazetteer.region(opener).is_none()
    {
        state.update(opener, |known| {
            known.org.get_or_insert(e);
        });
    }
    let Some(of) = (s.start + 2..s.end).find(|&x| matches!(tokens[x].lower, "of" | "for")) else {
        return;
    };
    if tokens[of - 1].lex.has(Lex::ORG_CUE) && tokens[of - 1].cap {
        let mut before = FoldedWords::default();
        before.fill(tokens, s.start, of);
        if before.len() >= 2 {
            state.update(&before.key, |known| {
                known.org.get_or_insert(e);
            });
        }
    }
}

/// The forms the closing word of the organisation `e`'s name, which `words` holds folded,
/// gives it in the same article: the words before a company's suffix ("Rio Tinto" of "Rio
/// Tinto Group", "Siemens" of "Siemens AG"), unless they name a place, a people, a given
/// name or a word kept out of names; and the plural of the word before a party's head
/// ("Conservatives" of "Conservative Party", "Social Democrats" of "Social Democratic
/// Party"), unless that word names a people ("African Union") or is a plural itself.
fn closing_word_forms(state: &mut ArticleState, words: &FoldedWords, e: usize, k: &Knowledge) {
    let n = words.len();
    if n < 2 {
        return;
    }
    let last = words.last();
    if k.company_suffixes.contains(last) {
        let before = words.opening(n - 1);
        let names_else = k.gazetteer.region(before).is_some()
            || k.gazetteer.by_demonym.contains_key(before)
            || k.given_names.contains(before)
            || k.not_names.contains(before)
            || k.org_cues.contains(before);
        if !names_else {
            let before = before.to_string();
            state.update(&before, |known| {
                known.org.get_or_insert(e);
            });
        }
    }
    let word = words.word(n - 2);
    if k.party_heads.contains(last)
        && !word.ends_with('s')
        && !k.gazetteer.by_demonym.contains_key(word)
    {
        let mut plural = words.opening(n - 2).to_string();
        if !plural.is_empty() {
            plural.push(' ');
        }
        match k.party_plurals.get(word) {
            Some(p) => plural.push_str(p),
            None => {
                plural.push_str(word);
                plural.push('s');
            }
        }
        state.update(&plural, |known| {
            known.org.get_or_insert(e);
        });
    }
}

/// "Full Name (ABC)": the acronym in brackets after an organisation's name at `end` is the
/// same organisation `e`.
fn bracketed_acronym(state: &mut ArticleState, tokens: &[Token<'_>], end: usize, e: usize) {
    if tokens.get(end).is_some_and(|t| t.text == "(")
        && tokens.get(end + 2).is_some_and(|t| t.text == ")")
        && tokens[end + 1].all_caps()
    {
        let mut acronym = String::new();
        fold_token(&tokens[end + 1], &mut acronym);
        state.update(&acronym, |known| {
            known.org.get_or_insert(e);
        });
        state.entities[e]
            .forms
            .insert(tokens[end + 1].text.to_string());
    }
}

/// Resolves the pending spans of a sentence (after title phrases are known): descriptions
/// ("the Russian leader"), pronouns, quotation speakers and groups.
pub fn resolve_references(
    state: &mut ArticleState,
    tokens: &[Token<'_>],
    info: &mut SentenceInfo,
    speaker: Option<usize>,
    k: &Knowledge,
) {
    // Sentences are numbered from 1; a paragraph's first sentence starts at its first token.
    state.sentence_no += 1;
    if info.start == 0 {
        state.paragraph_first = state.sentence_no;
    }
    // Descriptions: "the <demonym|name> <title>" with no person after the title.
    for ti in 0..info.titles.len() {
        let t = info.titles[ti];
        let holder_after = info
            .mentions
            .iter()
            .any(|m| m.start == t.end && state.entities[m.ents[0]].label == Some("Person"));
        if holder_after {
            continue;
        }
        let Some(aff) = info.mentions.iter().position(|m| m.end == t.start) else {
            bare_title(state, tokens, info, t, k);
            continue;
        };
        let aff_start = info.mentions[aff].start;
        if aff_start == 0 || !matches!(tokens[aff_start - 1].lower, "the") {
            continue;
        }
        let aff_ent = info.mentions[aff].ents[0];
        let head = tokens[t.head].lower.to_string();
        let relation = k.title_list[t.title].relation.clone();
        let person = state.titled.get(&(aff_ent, head)).copied().or_else(|| {
            (relation.as_deref() == Some("LEADS"))
                .then(|| state.leaders.get(&aff_ent).copied())
                .flatten()
        });
        if let Some(p) = person {
            info.mentions[aff].consumed = true;
            state.entities[p].mentions += 1;
            info.mentions
                .push(Mention::description(tokens, aff_start - 1, t.end, p));
        }
    }
    // Descriptions before pronouns: "the ministry said it would" has "it" follow "the
    // ministry".
    resolve_descriptions(state, tokens, info, k, false);
    for s in std::mem::take(&mut info.pending) {
        let pronoun = (s.kind == SpanKind::Pronoun).then(|| pronoun_of(tokens[s.start].lower, k));
        let ents: Ents = match s.kind {
            SpanKind::Group => resolve_group(state, tokens, info, s.start, s.end, k),
            SpanKind::Speaker => speaker.into_iter().collect(),
            SpanKind::Pronoun => match pronoun {
                // "Russia and Ukraine said they": the parties named together in this
                // sentence, else in the one before.
                // "committing their countries": an owner before a noun is no party.
                Some(Pronoun {
                    refers: Referent::Group,
                    possessive: true,
                    ..
                }) => Ents::new(),
                Some(Pronoun {
                    refers: Referent::Group,
                    ..
                }) => coordination(tokens, info, s.start, state)
                    .filter(|g| g.len() >= 2)
                    .or_else(|| group_before(info, s.start))
                    .or_else(|| {
                        state
                            .groups
                            .last()
                            .filter(|n| n.ents.len() >= 2 && n.at + 1 == state.sentence_no)
                            .map(|n| n.ents.clone())
                    })
                    .unwrap_or_default(),
                // "welcomed it", "accepted it": after a verb, "it" is mostly the thing
                // done or said (a deal, a plan), not a party; it stands for an
                // organisation or a country as a subject ("the ministry said it would").
                Some(Pronoun {
                    refers: Referent::Thing,
                    possessive: false,
                    ..
                }) if !opens_clause(tokens, info, s.start, k) => Ents::new(),
                Some(p) => resolve_pronoun(state, info, s.start, p, k)
                    .into_iter()
                    .collect(),
                None => Ents::new(),
            },
            _ => Ents::new(),
        };
        if ents.is_empty() {
            match s.kind {
                SpanKind::Pronoun => info.unresolved.push((s.start, s.end, MentionKind::Pronoun)),
                SpanKind::Group => info.unresolved.push((s.start, s.end, MentionKind::Group)),
                _ => {}
            }
            continue;
        }
        // A group reference names its pair again: "they" and "each other" further on
        // stand for it.
        if s.kind == SpanKind::Group {
            state.named_together(ents.clone());
        }
        info.mentions.push(Mention {
            ext_start: s.start,
            start: s.start,
            end: s.end,
            ents,
            kind: match s.kind {
                SpanKind::Group => MentionKind::Group,
                SpanKind::Speaker => MentionKind::Speaker,
                _ => MentionKind::Pronoun,
            },
            consumed: false,
            locative: false,
            possessive: tokens
                .get(s.end)
                .is_some_and(|x| x.kind == TokKind::Possessive)
                || pronoun.is_some_and(|p| p.possessive)
                || tokens[s.start].lower == "my",
        });
    }
    // Usually in order already: the stable sort would leave them as they are.
    if !info.mentions.is_sorted_by_key(|m| (m.start, m.end)) {
        info.mentions.sort_by_key(|m| (m.start, m.end));
    }
    if let Some(group) = coordination(tokens, info, info.end, state)
        && group.len() >= 2
    {
        state.named_together(group);
    }
    // Remember this sentence's people for the next one's pronouns, and its coordination.
    // In entity order, once each (what a set would give); the previous list's buffer is
    // reused.
    let mut persons = std::mem::take(&mut state.previous_persons);
    persons.clear();
    for m in &info.mentions {
        if m.kind == MentionKind::Name || m.kind == MentionKind::Description {
            persons.extend(
                m.ents
                    .iter()
                    .copied()
                    .filter(|&e| state.entities[e].label == Some("Person")),
            );
        }
    }
    persons.sort_unstable();
    persons.dedup();
    state.previous_persons = persons;
    // Every entity the sentence named or referred to, for the next sentence's references,
    // and when each was seen last, for descriptions farther on.
    let mut seen = std::mem::take(&mut state.previous_entities);
    seen.clear();
    for m in &info.mentions {
        if antecedent_mention(m) {
            seen.extend(m.ents.iter().copied());
        }
    }
    seen.sort_unstable();
    seen.dedup();
    if state.last_seen.len() < state.entities.len() {
        state.last_seen.resize(state.entities.len(), 0);
    }
    for &e in &seen {
        state.last_seen[e] = state.sentence_no;
    }
    state.previous_entities = seen;
    // The person opening the sentence is its subject, the likeliest "he" or "she" of the next
    // sentence when it names several people.
    state.previous_subject = info
        .mentions
        .iter()
        .find(|m| m.ext_start <= info.start + 1 && m.kind != MentionKind::Group)
        .and_then(|m| m.ents.first().copied())
        .filter(|&e| state.entities[e].label == Some("Person"));
}

/// The parties coordinated last before token `before`: "Chile and Peru", "Britain, France
/// and Germany", "Kurti and Serbian President Vucic", and "A and B's envoy, C", where the
/// owner "B" is no party but the name set off after the comma is.
fn coordination(
    tokens: &[Token<'_>],
    info: &SentenceInfo,
    before: usize,
    state: &ArticleState,
) -> Option<Ents> {
    let ms = &info.mentions;
    let party =
        |m: &Mention| !m.consumed && !m.locative && m.ents.iter().all(|&e| state.entities[e].actor);
    // The last coordination found, as indices (first party, party before "and", last
    // party): the group is built for it alone.
    let mut found = None;
    for (a, m1) in ms.iter().enumerate() {
        // The word after the first party is asked first: it is rarely "and".
        if m1.end >= before || tokens[m1.end].lower != "and" || !party(m1) {
            continue;
        }
        let Some(mut b) = ms[a + 1..]
            .iter()
            .position(|m2| {
                !m2.consumed
                    && (m2.start == m1.end + 1
                        || m2.ext_start == m1.end + 1
                        || (m2.start == m1.end + 2 && tokens[m1.end + 1].lower == "the"))
                    && m2.end <= before
            })
            .map(|b| a + 1 + b)
        else {
            continue;
        };
        if ms[b].possessive {
            // "Araghchi and Trump's envoy, Steve Witkoff": the party is the name after the
            // first comma, a few words on, of the first party's label.
            let owner_end = ms[b].end;
            let Some(c) = ms[b + 1..]
                .iter()
                .position(|m3| m3.start > owner_end)
                .map(|c| b + 1 + c)
            else {
                continue;
            };
            let m3 = &ms[c];
            let label = |m: &Mention| state.entities[m.ents[0]].label;
            let first_comma = (owner_end..m3.start).find(|&x| tokens[x].text == ",");
            if m3.end > before
                || m3.start - owner_end > 7
                || first_comma != Some(m3.start - 1)
                || label(m3) != label(m1)
            {
                continue;
            }
            b = c;
        }
        if !party(&ms[b]) {
            continue;
        }
        // "Britain, France and Germany": the parties listed with commas before "and".
        let mut first = a;
        while first > 0 {
            let m0 = &ms[first - 1];
            let next = ms[first].start;
            let listed = tokens[m0.end].text == ","
                && (m0.end + 1 == next
                    || (m0.end + 2 == next && tokens[m0.end + 1].lower == "the"));
            if listed && party(m0) {
                first -= 1;
            } else {
                break;
            }
        }
        found = Some((first, a, b));
    }
    found.map(|(first, a, b)| {
        let mut group = Ents::new();
        for m in ms[first..=a].iter().chain(std::iter::once(&ms[b])) {
            if m.kind == MentionKind::Demonym && m.consumed {
                continue;
            }
            for &e in &m.ents {
                if !group.contains(&e) {
                    group.push(e);
                }
            }
        }
        group
    })
}

/// The parties of a group reference ("the two sides") resolved before token `at` in this
/// sentence, for "they" further on.
fn group_before(info: &SentenceInfo, at: usize) -> Option<Ents> {
    info.mentions
        .iter()
        .rev()
        .find(|m| m.kind == MentionKind::Group && m.end <= at && m.ents.len() >= 2)
        .map(|m| m.ents.clone())
}

/// The two parties a group reference (`start..end`: "the two leaders", "both sides")
/// stands for. Its closing noun says what they may be (`group_nouns`: persons; countries
/// or bodies). The pair coordinated before it in the sentence, else the pair named
/// together in the sentence before or earlier in the paragraph; opening a clause, a group
/// of a noun of one kind ("the two countries signed", not "both sides") also stands for
/// the only two of its kind in the sentence so far, else in it and the one before; failing
/// those, the last pair of its kind the article named together more than once. Anything
/// else leaves it unresolved.
fn resolve_group(
    state: &ArticleState,
    tokens: &[Token<'_>],
    info: &SentenceInfo,
    start: usize,
    end: usize,
    k: &Knowledge,
) -> Ents {
    let described = k.group_nouns.get(tokens[end - 1].lower);
    let fits = |e: usize| {
        described.is_none_or(|list| {
            list.iter()
                .any(|d| Wanted::Described(d).fits(&state.entities[e], k, |_| None))
        })
    };
    let pair = |g: &Ents| g.len() == 2 && g.iter().all(|&e| fits(e));
    if let Some(g) = coordination(tokens, info, start, state).filter(pair) {
        return g;
    }
    if let Some(n) = state.groups.last()
        && (n.at + 1 >= state.sentence_no || n.at >= state.paragraph_first)
        && pair(&n.ents)
    {
        return n.ents.clone();
    }
    // A noun whose parties may be of more than one kind ("sides": countries or bodies)
    // needs a pair named together; two of them near it are no pair.
    if described.is_some_and(|list| list.len() == 1) && opens_clause(tokens, info, start, k) {
        let before = info
            .mentions
            .iter()
            .filter(|m| m.end <= start && antecedent_mention(m))
            .flat_map(|m| m.ents.iter().copied());
        let mut found = Ents::new();
        let add = |found: &mut Ents, e: usize| {
            if fits(e) && !found.contains(&e) {
                found.push(e);
            }
        };
        before.for_each(|e| add(&mut found, e));
        // The sentence before is asked only when this one holds fewer than two.
        if found.len() < 2 {
            for &e in &state.previous_entities {
                add(&mut found, e);
            }
        }
        match found.len() {
            2 => return found,
            0 | 1 => {}
            _ => return Ents::new(),
        }
    }
    // Farther back, only the pair the story is about: one named together more than once
    // ("the two sides" nine sentences after "co-hosted by A and B" is not A and B).
    state
        .groups
        .iter()
        .rev()
        .find(|n| n.times >= 2 && pair(&n.ents))
        .map(|n| n.ents.clone())
        .unwrap_or_default()
}

/// "the president", "this President" with no body named: the one person named before with
/// a title of that head (of whatever body, or none: "President Trump"), by the nearest
/// stretch of text holding one. The words that may open such a description are
/// `title_determiners`, and the honorifics of address (`address_honorifics`: "Mr.
/// President", "Madam Speaker"), whose gender the holder must not contradict. A subordinate
/// title ("the Vice President") stands for a holder of that whole title; a title that gives
/// no relation ("the Speaker") only when its capital says it stands for a name. A
/// capitalised one with no holder named before waits for the article's end
/// (`later_holder`).
fn bare_title(
    state: &mut ArticleState,
    tokens: &[Token<'_>],
    info: &mut SentenceInfo,
    t: TitleSpan,
    k: &Knowledge,
) {
    if t.start <= info.start {
        return;
    }
    let before = tokens[t.start - 1].lower;
    let address = k.address_honorifics.contains(before);
    // "the new president", "the former minister": a modifier may point away from the
    // holder named before; only the bare title, or one whose modifiers all make it
    // subordinate ("the Vice President"), is read.
    let modifiers_subordinate = tokens[t.start..t.head]
        .iter()
        .all(|w| k.subordinate_modifiers.contains(w.lower));
    if !modifiers_subordinate || !(address || k.title_determiners.contains(before)) {
        return;
    }
    // "the president of X" names its body after the title; "the president, X" its holder
    // (but "Madam Speaker, the House has acted" addresses her).
    if tokens.get(t.end).is_some_and(|x| {
        t.end < info.end && (x.lower == "of" || x.text == "," && !address || x.cap)
    }) {
        return;
    }
    if k.title_list[t.title].relation.is_none() && !tokens[t.head].cap {
        return;
    }
    let wanted: SmallVec<[String; 3]> = tokens[t.start..t.end]
        .iter()
        .map(|w| w.lower.to_string())
        .collect();
    let gender = if address {
        k.identity.gender([before])
    } else {
        None
    };
    let head = tokens[t.head].lower;
    let holders = title_holders(state, &wanted, head, t.subordinate, gender, k);
    let found = if holders.is_empty() {
        None
    } else {
        nearest(state, info, t.start - 1, |e| holders.contains(&e))
    };
    let Some(p) = found else {
        // No holder named before (one may be named later in the paragraph, whose titles
        // are read first), or two: the whole article decides ("Mr. President" opening a
        // speech). Only a title standing for a name waits.
        if tokens[t.end - 1].cap {
            info.later_titles.push(LaterTitle {
                start: t.start - 1,
                end: t.end,
                wanted,
                head: head.to_string(),
                subordinate: t.subordinate,
                gender,
            });
        } else if !holders.is_empty() {
            info.unresolved
                .push((t.start - 1, t.end, MentionKind::Description));
        }
        return;
    };
    state.entities[p].mentions += 1;
    info.mentions
        .push(Mention::description(tokens, t.start - 1, t.end, p));
}

/// The persons holding the title whose lower-case words are `wanted`: a holder of a title
/// of its `head` of a body ("President of X") or of a title ending with those words before a name
/// with no body ("President Trump"), after no subordinate modifier of its own ("Vice
/// President" holds no "President"); a subordinate title only the latter way. A `gender`
/// (of an honorific of address) leaves out a holder of the other.
fn title_holders(
    state: &ArticleState,
    wanted: &[String],
    head: &str,
    subordinate: bool,
    gender: Option<Gender>,
    k: &Knowledge,
) -> SmallVec<[usize; 4]> {
    let holds = |title: &str| {
        let words: SmallVec<[String; 4]> = title.split(' ').map(str::to_lowercase).collect();
        let Some(cut) = words.len().checked_sub(wanted.len()) else {
            return false;
        };
        words[cut..].iter().zip(wanted).all(|(a, b)| a == b)
            && (cut == 0 || !k.subordinate_modifiers.contains(&words[cut - 1]))
    };
    let mut holders: SmallVec<[usize; 4]> = SmallVec::new();
    if !subordinate {
        for ((_, h), &p) in &state.titled {
            if h == head && !holders.contains(&p) {
                holders.push(p);
            }
        }
    }
    // "President Trump ... the President", "Chair Nadler ... this Chair": a person the
    // article gave a title of that head before a name, with no body named.
    for (e, ent) in state.entities.iter().enumerate() {
        let titled = ent.label == Some("Person") && ent.titles.iter().any(|title| holds(title));
        if titled && !holders.contains(&e) {
            holders.push(e);
        }
    }
    // "Madam Chair" is no man.
    if let Some(g) = gender {
        holders.retain(|&mut e| gender_of(&state.entities[e], k).is_none_or(|h| h == g));
    }
    holders
}

/// The person a title said before any holder was named stands for, once the whole article
/// is read: the one holder of that title it named anywhere; none or two leave it standing
/// for no one. The holder counts the mention.
pub fn later_holder(state: &mut ArticleState, t: &LaterTitle, k: &Knowledge) -> Option<usize> {
    let holders = title_holders(state, &t.wanted, &t.head, t.subordinate, t.gender, k);
    let [p] = holders.as_slice() else {
        return None;
    };
    state.entities[*p].mentions += 1;
    Some(*p)
}

/// Whether a word at `at` stands where a clause opens, so that a pronoun there is its
/// subject: first in the sentence, or after a speech verb ("said it"), a word that opens a
/// clause ("that", "because"), a conjunction or a punctuation mark.
fn opens_clause(tokens: &[Token<'_>], info: &SentenceInfo, at: usize, k: &Knowledge) -> bool {
    if at <= info.start {
        return true;
    }
    let before = &tokens[at - 1];
    before.kind == TokKind::Punct
        || before.lex.has(Lex::SPEECH_VERB)
        || k.clause_breaks.contains(before.lower)
        || matches!(before.lower, "and" | "or")
}

/// What a pronoun agrees with: its entry in the table, else (a word a rules file lists only
/// as a person's pronoun) a person of either gender.
fn pronoun_of(word: &str, k: &Knowledge) -> Pronoun {
    k.pronouns.get(word).copied().unwrap_or(Pronoun {
        refers: Referent::Person,
        gender: None,
        possessive: false,
    })
}

/// Whether a mention can be the antecedent of a later reference: a name, a description or
/// a pronoun that stands for one entity as a party (not a place after "in", not the
/// affiliation inside a title phrase, not a demonym).
fn antecedent_mention(m: &Mention) -> bool {
    matches!(
        m.kind,
        MentionKind::Name | MentionKind::Description | MentionKind::Pronoun
    ) && !m.consumed
        && !m.locative
        && m.ents.len() == 1
}

/// The entity a pronoun standing for one entity refers to: the one that fits among those
/// named before it in the sentence, else among those of the sentence before; a
/// sentence-initial pronoun continues the previous sentence's subject when that sentence
/// named several that fit. Two that fit as well leave it unresolved.
fn resolve_pronoun(
    state: &mut ArticleState,
    info: &SentenceInfo,
    at: usize,
    p: Pronoun,
    k: &Knowledge,
) -> Option<usize> {
    let wanted = Wanted::of_pronoun(p.refers, p.gender)?;
    let entities = &state.entities;
    let fits = |e: usize| wanted.fits(&entities[e], k, |x| gender_of(x, k));
    let before = info
        .mentions
        .iter()
        .filter(|m| m.end <= at && antecedent_mention(m))
        .flat_map(|m| m.ents.iter().copied());
    let chosen = match choose(before, fits) {
        Choice::One(e) => Some(e),
        Choice::Ambiguous => None,
        Choice::None => match choose(state.previous_entities.iter().copied(), fits) {
            Choice::One(e) => Some(e),
            Choice::Ambiguous => state.previous_subject.filter(|&subject| {
                // "X praised Y and Z. He accused W": the sentence-initial pronoun
                // continues the previous sentence's subject.
                at == info.start && state.previous_entities.contains(&subject) && fits(subject)
            }),
            Choice::None => None,
        },
    };
    if let (Some(e), Some(g)) = (chosen, p.gender)
        && gender_of(&state.entities[e], k).is_none()
    {
        state.entities[e].gender = Some(g);
    }
    chosen
}

/// Descriptions of an organisation or a region named before: "the" (modifiers) and a head
/// of `descriptions` ("the company", "the militant group", "the South American country"),
/// not followed by "of" or a name, resolved to the one entity that fits in the nearest
/// stretch of text holding one (the sentence so far, the sentence before, the paragraph,
/// the article).
///
/// `owners_only` is the early pass, before title phrases are read: only a description that
/// owns what follows ("the bloc's foreign policy chief X", "X, the group's chief
/// negotiator"), and only to an entity the sentence named before it, so that the title
/// phrase after it can read its holder as acting for that entity.
fn resolve_descriptions(
    state: &mut ArticleState,
    tokens: &[Token<'_>],
    info: &mut SentenceInfo,
    k: &Knowledge,
    owners_only: bool,
) {
    for head in info.start..info.end {
        if !tokens[head].lex.has(Lex::DESCRIPTION_HEAD) {
            continue;
        }
        if owners_only
            && !tokens
                .get(head + 1)
                .is_some_and(|t| t.kind == TokKind::Possessive)
        {
            continue;
        }
        let Some(list) = k.descriptions.get(tokens[head].lower) else {
            continue;
        };
        // "the group of seven", "the company Boeing": the phrase goes on into a name.
        if let Some(next) = tokens.get(head + 1)
            && head + 1 < info.end
            && (next.lower == "of" || (next.cap && next.kind == TokKind::Word))
        {
            continue;
        }
        // Back over the modifiers to "the": words of `description_modifiers`, or a
        // continent's demonym ("the South American country").
        let mut from = head;
        let mut continent = None;
        while from > info.start {
            let w = &tokens[from - 1];
            if k.description_modifiers.contains(w.lower) {
                from -= 1;
            } else if let Some(mi) = info.mentions.iter().position(|m| {
                m.end == from
                    && m.kind == MentionKind::Demonym
                    && state.entities[m.ents[0]].kind.as_deref() == Some("continent")
            }) {
                from = info.mentions[mi].start;
                continent = Some(mi);
            } else {
                break;
            }
        }
        // "our Nation", "this Republic": a head capitalised inside the sentence, read as a
        // name no list placed, is the description written with a capital; it may also
        // follow a word of `title_determiners` ("our Nation"). A head that describes a
        // country ("the Nation", "the Republic") is one even when its "the" made it an
        // organisation's name before this pass: a country named before is what it stands
        // for (with none, it stays the name it was read as). Smaller places keep their
        // capital as names of their own ("the Village", "the City").
        let place_head = list
            .iter()
            .all(|d| d.label == "Region" && d.kinds == [RegionKind::Country]);
        let capital = (!owners_only && head > info.start && tokens[head].cap)
            .then(|| {
                info.mentions.iter().position(|m| {
                    (m.start, m.end) == (head, head + 1)
                        && m.kind == MentionKind::Name
                        && m.ents.first().is_some_and(|&e| {
                            let e = &state.entities[e];
                            e.label.is_none() && e.fallback.is_none()
                                || place_head
                                    && (e.label == Some("Organization")
                                        || e.fallback == Some("Organization"))
                        })
                })
            })
            .flatten();
        let opens = |w: &str| w == "the" || capital.is_some() && k.title_determiners.contains(w);
        if from == info.start || !opens(tokens[from - 1].lower) {
            continue;
        }
        let the = from - 1;
        if info.mentions.iter().enumerate().any(|(mi, m)| {
            Some(mi) != continent && Some(mi) != capital && m.start <= head && m.end > the
        }) || info.titles.iter().any(|t| t.start <= head && t.end > the)
        {
            continue;
        }
        let found = if owners_only {
            list.iter().find_map(|d| {
                let wanted = Wanted::Described(d);
                let before = info
                    .mentions
                    .iter()
                    .filter(|m| m.end <= the && antecedent_mention(m))
                    .flat_map(|m| m.ents.iter().copied());
                match choose(before, |e| wanted.fits(&state.entities[e], k, |_| None)) {
                    Choice::One(e) => Some(e),
                    _ => None,
                }
            })
        } else {
            list.iter()
                .find_map(|d| description_antecedent(state, info, the, d, k))
        };
        if owners_only && found.is_none() {
            // The later pass asks the sentences before.
            continue;
        }
        let Some(e) = found else {
            // A capitalised head that stands for nothing named stays the name it was read as.
            if capital.is_none() {
                info.unresolved
                    .push((the, head + 1, MentionKind::Description));
            }
            continue;
        };
        if let Some(mi) = continent {
            info.mentions[mi].consumed = true;
        }
        state.entities[e].mentions += 1;
        let description = Mention::description(tokens, the, head + 1, e);
        match capital {
            // The candidate loses the mention the description took.
            Some(mi) => {
                if let Some(&c) = info.mentions[mi].ents.first() {
                    let c = &mut state.entities[c];
                    c.mentions = c.mentions.saturating_sub(1);
                    if info.mentions[mi].locative {
                        c.locative = c.locative.saturating_sub(1);
                    }
                    // A name read only as this description names nothing of its own.
                    if c.mentions == 0 {
                        c.named = false;
                    }
                }
                info.mentions[mi] = description;
            }
            None => info.mentions.push(description),
        }
    }
}

/// The entity a description `d` at token `at` stands for, by the nearest stretch of text
/// that holds one that fits.
fn description_antecedent(
    state: &ArticleState,
    info: &SentenceInfo,
    at: usize,
    d: &super::rules::Description,
    k: &Knowledge,
) -> Option<usize> {
    let wanted = Wanted::Described(d);
    nearest(state, info, at, |e| {
        wanted.fits(&state.entities[e], k, |_| None)
    })
}

/// The one entity that `fits` in the nearest stretch of text before token `at` holding any
/// that does: the sentence so far, the sentence before, the paragraph, the article. A
/// stretch holding two leaves the reference unresolved.
fn nearest(
    state: &ArticleState,
    info: &SentenceInfo,
    at: usize,
    fits: impl Fn(usize) -> bool + Copy,
) -> Option<usize> {
    let before = info
        .mentions
        .iter()
        .filter(|m| m.end <= at && antecedent_mention(m))
        .flat_map(|m| m.ents.iter().copied());
    let seen_since = |first: u32| {
        state
            .last_seen
            .iter()
            .enumerate()
            .filter(move |&(_, &n)| n > 0 && n >= first)
            .map(|(e, _)| e)
    };
    let mut choice = choose(before, fits);
    if choice == Choice::None {
        choice = choose(state.previous_entities.iter().copied(), fits);
    }
    if choice == Choice::None {
        choice = choose(seen_since(state.paragraph_first), fits);
    }
    if choice == Choice::None {
        choice = choose(seen_since(1), fits);
    }
    match choice {
        Choice::One(e) => Some(e),
        _ => None,
    }
}
