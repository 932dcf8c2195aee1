//! Merging an article's extraction into the graph: entities through `merge_entity` (and,
//! for names the article could not place, a lookup in the graph), relations through
//! `merge_fact`, with the node properties `kind`, `titles`, `articles` and `mentions`.
//!
//! Merging is the only stage that touches the graph; it runs in a fixed order and must
//! never add anything for a second reading of the same article.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use std::sync::Arc;

use compact_str::CompactString;

use super::dates::Date;
use super::identity::{IdentityRules, NameParts};
use super::relations::ExFact;
use super::resolve::ArtEntity;
use super::rules::{FastMap, FastSet};
use super::{Extraction, IngestReport};
use crate::graph::{
    EntityMention, Fact, FactIndex, FactProps, Graph, MergeOutcome, Node, NodeId, Value,
};

const ENTITY_LABELS: [&str; 3] = ["Person", "Organization", "Region"];

/// What outlives one article's merge: the surname index that lets "Macron" find
/// "Emmanuel Macron" read in another article, and the list properties waiting to be
/// written (a node named in ten thousand articles gets its `articles` list written once per
/// batch, not once per article).
#[derive(Debug, Default)]
pub struct MergeState {
    surnames: FastMap<String, BTreeSet<NodeId>>,
    /// Initials of organisations' names ("rdif"), for acronyms read in later articles.
    initials: FastMap<String, BTreeSet<NodeId>>,
    /// The proper word closing organisations' names of the shape "Church of Scientology"
    /// ("scientology"), for that word read alone in later articles.
    of_tails: FastMap<String, BTreeSet<NodeId>>,
    notes: BTreeMap<NodeId, Note>,
    /// The strings each node's `titles` and `articles` hold, read from the graph the first
    /// time a batch writes to the node, so that a batch costs what it adds, not the lists'
    /// length. Only `flush` writes those lists while the state lives.
    listed: FastMap<NodeId, Listed>,
    /// The edges merged so far, found by their nodes, type and key properties.
    facts: FactIndex,
    /// Mentions merged by `Graph::merge_entity`, by name: the name's key, and each
    /// mention's label, forms and the node it went to.
    merged: FastMap<String, MergedName>,
    /// The nodes put in `surnames` and `initials` under their name as it is: a node leaves
    /// the set when `Graph::merge_entity` changes it, the only way its name changes here.
    indexed: FastSet<NodeId>,
    /// Each date written out so far, as text: a corpus names few days, each in many facts.
    dates: FastMap<Date, String>,
    /// How person names are read: which can be one person.
    identity: Arc<IdentityRules>,
    /// By person node: each full form of its name and in how many article entities it was
    /// the name, in the order first read; the most frequent is the node's name.
    votes: FastMap<NodeId, Vec<(String, u32)>>,
    /// By person node: the name last read into parts, and its parts.
    parsed: FastMap<NodeId, (String, NameParts)>,
    /// By node of a body or a place: the country of the first article about one country
    /// that named it, which an article must share for a name many countries' bodies share
    /// ("Supreme Court") to join it.
    countries: FastMap<NodeId, String>,
}

#[derive(Debug)]
struct MergedName {
    /// The name as `fold_name` gives it, kept so that a mention merged before is found
    /// again without folding its name.
    key: String,
    mentions: Vec<MergedMention>,
}

#[derive(Debug)]
struct MergedMention {
    label: &'static str,
    forms: BTreeSet<String>,
    id: NodeId,
}

/// Article ids and titles are short: as `CompactString`s they are held without an
/// allocation of their own, here and in the lists `flush` writes.
#[derive(Debug, Default)]
struct Listed {
    titles: FastSet<CompactString>,
    articles: FastSet<CompactString>,
}

impl Listed {
    /// The strings a node's lists hold, as `flush` has always compared them.
    fn of(node: &Node) -> Self {
        let strings = |key: &str| {
            node.props
                .get(key)
                .map(Value::strings)
                .unwrap_or_default()
                .into_iter()
                .map(CompactString::from)
                .collect()
        };
        Listed {
            titles: strings("titles"),
            articles: strings("articles"),
        }
    }
}

#[derive(Debug, Default)]
struct Note {
    titles: Vec<CompactString>,
    articles: Vec<(CompactString, i64)>,
}

fn initials(name: &str) -> Option<String> {
    let folded = crate::graph::fold_name(name);
    let letters: String = folded
        .split(' ')
        .filter(|w| !matches!(*w, "of" | "for" | "and" | "the" | "on" | "in"))
        .filter_map(|w| w.chars().next())
        .collect();
    (letters.chars().count() >= 2 && folded.contains(' ')).then_some(letters)
}

/// The word after "of" that closes an organisation's name of three words, folded: "Church
/// of Scientology" is called "Scientology" alone, as its own name.
fn of_tail(key: &str) -> Option<&str> {
    let mut words = key.split(' ');
    let (_, of, tail) = (words.next()?, words.next()?, words.next()?);
    (of == "of" && words.next().is_none() && !tail.is_empty()).then_some(tail)
}

/// The key a person is indexed under: the last word of the surname, suffix set aside. A
/// name of one word is indexed too, so that a surname read alone before a full name is found.
fn surname(rules: &IdentityRules, name: &str) -> Option<String> {
    let parts = rules.parse(name);
    let key = parts.surname_key();
    (!key.is_empty()).then(|| key.to_string())
}

/// The node property that keeps the country of a name many countries' bodies share
/// ("Supreme Court"): the country of the first article about one country that named it.
const COUNTRY: &str = "country";

impl MergeState {
    /// Indexes the persons already in the graph.
    pub fn new(graph: &Graph, identity: Arc<IdentityRules>) -> Self {
        let mut state = MergeState {
            identity,
            ..MergeState::default()
        };
        for id in graph.nodes_with_label("Person") {
            if let Some(s) = graph
                .node(id)
                .and_then(|n| n.name())
                .and_then(|n| surname(&state.identity, n))
            {
                state.surnames.entry(s).or_default().insert(id);
            }
        }
        for id in graph.nodes_with_label("Organization") {
            let Some(name) = graph.node(id).and_then(|n| n.name()) else {
                continue;
            };
            state.index_organisation(id, name);
        }
        for id in ENTITY_LABELS
            .iter()
            .filter(|&&label| label != "Person")
            .flat_map(|label| graph.nodes_with_label(label))
        {
            if let Some(country) = graph
                .node(id)
                .and_then(|n| n.props.get(COUNTRY))
                .and_then(Value::as_str)
            {
                state.countries.insert(id, country.to_string());
            }
        }
        state
    }

    /// Indexes an organisation under the initials and the closing proper word of its name.
    fn index_organisation(&mut self, id: NodeId, name: &str) {
        if let Some(s) = initials(name) {
            self.initials.entry(s).or_default().insert(id);
        }
        if let Some(tail) = of_tail(&crate::graph::fold_name(name)) {
            self.of_tails
                .entry(tail.to_string())
                .or_default()
                .insert(id);
        }
    }

    /// The node a mention went to when merged before, if merging it again would change
    /// nothing.
    ///
    /// After `Graph::merge_entity` put a mention on a node, that node holds a key for each of
    /// the mention's forms and a name at least as long as the mention's; during ingestion
    /// names only grow and keys are never dropped, so the same mention again finds the
    /// lowest node holding its name's key and, if that is still the same node, leaves it
    /// unchanged. Any other node gaining that key first is the only way the answer moves.
    fn merged_before(&self, graph: &Graph, label: &str, ent: &ArtEntity) -> Option<NodeId> {
        let seen = self.merged.get(ent.name.as_str())?;
        let id = seen
            .mentions
            .iter()
            .find(|m| m.label == label && m.forms == ent.forms)?
            .id;
        (graph.first_with_name_key(label, &seen.key) == Some(id)).then_some(id)
    }

    /// Remembers where a mention went; `key` is its name's key, never empty.
    fn remember(&mut self, label: &'static str, ent: &ArtEntity, key: &str, id: NodeId) {
        if !self.merged.contains_key(ent.name.as_str()) {
            let seen = MergedName {
                key: key.to_string(),
                mentions: Vec::new(),
            };
            self.merged.insert(ent.name.clone(), seen);
        }
        let Some(seen) = self.merged.get_mut(ent.name.as_str()) else {
            return;
        };
        let seen = &mut seen.mentions;
        match seen
            .iter_mut()
            .find(|m| m.label == label && m.forms == ent.forms)
        {
            Some(m) => m.id = id,
            None => seen.push(MergedMention {
                label,
                forms: ent.forms.clone(),
                id,
            }),
        }
    }

    /// Writes the pending list properties into the graph: the titles and articles new to
    /// each node, in the order they were read, and the mentions of the new articles.
    pub fn flush(&mut self, graph: &mut Graph) {
        for (id, note) in std::mem::take(&mut self.notes) {
            let Some(node) = graph.node(id) else { continue };
            let listed = self.listed.entry(id).or_insert_with(|| Listed::of(node));
            let mut mentions = node
                .props
                .get("mentions")
                .and_then(Value::as_int)
                .unwrap_or(0);
            let titles: Vec<Value> = note
                .titles
                .into_iter()
                .filter(|t| listed.titles.insert(t.clone()))
                .map(Value::String)
                .collect();
            let mut articles = Vec::new();
            for (a, m) in note.articles {
                if listed.articles.insert(a.clone()) {
                    articles.push(Value::String(a));
                    mentions += m;
                }
            }
            let _ = graph.extend_node_list(id, "titles", titles);
            if !articles.is_empty() {
                let _ = graph.extend_node_list(id, "articles", articles);
                let _ = graph.set_node_property(id, "mentions", Value::Int(mentions));
            }
        }
    }
}

/// Finds the node a candidate name stands for, in the graph as it is: by name or alias,
/// else a lone surname of exactly one person, or the closing word of exactly one
/// organisation's name ("Scientology" for "Church of Scientology"). `key` is the name as
/// `fold_name` gives it.
fn lookup(graph: &Graph, state: &MergeState, key: &str) -> Option<NodeId> {
    ENTITY_LABELS
        .iter()
        .find_map(|label| {
            let first = graph.first_with_name_key(label, key)?;
            if *label != "Person" {
                return Some(first);
            }
            // A name two people hold ("Clinton") names neither of them.
            let people = graph.find_by_name(Some(label), key);
            (people.len() == 1).then_some(first)
        })
        .or_else(|| {
            if key.contains(' ') {
                return None;
            }
            let only = |ids: &BTreeSet<NodeId>| {
                (ids.len() == 1)
                    .then(|| ids.iter().next().copied())
                    .flatten()
            };
            state
                .surnames
                .get(key)
                .and_then(only)
                .or_else(|| state.of_tails.get(key).and_then(only))
        })
}

struct Merger<'g> {
    graph: &'g mut Graph,
    state: &'g mut MergeState,
    article: CompactString,
    /// The country the article names most (`Extraction::country`).
    country: Option<String>,
    /// By entity index: the node the entity went to (`Some(None)`: none), once asked.
    nodes: Vec<Option<Option<NodeId>>>,
}

impl Merger<'_> {
    fn node_for(
        &mut self,
        idx: usize,
        ent: &ArtEntity,
        report: &mut IngestReport,
    ) -> Option<NodeId> {
        if let Some(&Some(n)) = self.nodes.get(idx) {
            return n;
        }
        let id = match ent.label {
            None => {
                let key = crate::graph::fold_name(&ent.name);
                // A name many countries' bodies share is the node of this article or of an
                // article about the same country; in an article about no one country,
                // whatever node holds the name, as any other candidate.
                let known = if self.state.identity.is_generic(&key) && self.country.is_some() {
                    ENTITY_LABELS
                        .iter()
                        .find_map(|label| self.generic_match(label, &ent.name).map(|(id, _)| id))
                } else {
                    lookup(self.graph, self.state, &key)
                };
                known.or_else(|| {
                    let label = ent.fallback?;
                    Some(if label == "Person" {
                        self.person(ent, report)
                    } else {
                        self.merge_named(label, ent, report)
                    })
                })
            }
            Some("Person") => Some(self.person(ent, report)),
            Some(label) => Some(self.merge_named(label, ent, report)),
        };
        if let Some(id) = id {
            self.annotate(id, ent);
        }
        if let Some(slot) = self.nodes.get_mut(idx) {
            *slot = Some(id);
        }
        id
    }

    /// The name of node `id` (empty when it has none).
    fn node_name(&self, id: NodeId) -> String {
        self.graph
            .node(id)
            .and_then(|n| n.name())
            .unwrap_or_default()
            .to_string()
    }

    /// [`Self::join`], with the decision written to the node's identity list: the mention
    /// joined the node's name for the reason `why`.
    fn join_explained(
        &mut self,
        id: NodeId,
        label: &str,
        ent: &ArtEntity,
        why: &str,
        report: &mut IngestReport,
    ) -> NodeId {
        let other = self.node_name(id);
        let line = format!(
            "{:?} in {}: joined {other:?}: {why}",
            ent.name, self.article
        );
        self.explain(id, line);
        self.join(id, label, ent, report)
    }

    /// Adds a mention's forms to a node read before, under that node's own name.
    fn join(
        &mut self,
        id: NodeId,
        label: &str,
        ent: &ArtEntity,
        report: &mut IngestReport,
    ) -> NodeId {
        let name = self.node_name(id);
        let aliases: Vec<String> = ent.forms.iter().cloned().collect();
        let (merged, outcome) = self.graph.merge_entity(&EntityMention {
            label,
            name: &name,
            aliases: &aliases,
        });
        if outcome != MergeOutcome::Unchanged {
            self.state.indexed.remove(&merged);
        }
        report.entities_merged += 1;
        id
    }

    /// The node of a person: a full name joins the one person read before whose name can
    /// be the same (equal or variant given names, initials that fit, the same suffix); a
    /// surname alone joins the one person of that surname whose titles and gender fit. When
    /// two fit equally the mention gets a node of its own, named by the surname and marked
    /// `unresolved` with the candidates, rather than merging two people.
    fn person(&mut self, ent: &ArtEntity, report: &mut IngestReport) -> NodeId {
        let label = "Person";
        let full_name = ent.name.contains(' ');
        if full_name && let Some(id) = self.state.merged_before(self.graph, label, ent) {
            report.entities_merged += 1;
            self.vote(id, ent);
            return id;
        }
        let rules = Arc::clone(&self.state.identity);
        let key = crate::graph::fold_name(&ent.name);
        if let Some(id) = self.judged_same(label, ent) {
            report.entities_merged += 1;
            if full_name && !key.is_empty() {
                self.state.remember(label, ent, &key, id);
            }
            self.vote(id, ent);
            return id;
        }
        let parts = rules.parse(&ent.name);
        // The persons holding this very name, as name or alias: a full name is theirs,
        // unless a rules file keeps them apart.
        let mut exact = self.graph.find_by_name(Some(label), &ent.name);
        exact.retain(|id| !self.judged_apart(*id, ent));
        if full_name && let Some(&id) = exact.first() {
            self.add_forms(id, ent);
            report.entities_merged += 1;
            self.state.remember(label, ent, &key, id);
            self.vote(id, ent);
            return id;
        }
        let mut candidates: Vec<NodeId> = self
            .state
            .surnames
            .get(parts.surname_key())
            .map(|ids| ids.iter().copied().collect())
            .unwrap_or_default();
        for id in exact {
            if !candidates.contains(&id) {
                candidates.push(id);
            }
        }
        // Each candidate with its name in parts, read once per name.
        let mut known: Vec<(NodeId, NameParts, String)> = Vec::with_capacity(candidates.len());
        for id in candidates {
            let Some(node) = self.graph.node(id) else {
                continue;
            };
            if !node.has_label(label) || self.judged_apart(id, ent) {
                continue;
            }
            let Some(name) = node.name() else { continue };
            let parts = match self.state.parsed.get(&id) {
                Some((read, parts)) if read == name => parts.clone(),
                _ => {
                    let parts = rules.parse(name);
                    self.state
                        .parsed
                        .insert(id, (name.to_string(), parts.clone()));
                    parts
                }
            };
            known.push((id, parts, name.to_string()));
        }
        let (chosen, reason) = if parts.is_full() {
            self.full_name_match(&rules, &parts, &known)
        } else {
            self.surname_match(&rules, ent, &parts, &key, &known)
        };
        let id = match chosen {
            Ok(id) => {
                self.add_forms(id, ent);
                report.entities_merged += 1;
                id
            }
            Err(unresolved) => {
                let id = self.new_person(ent, &key, &unresolved);
                report.entities_new += 1;
                id
            }
        };
        if let Some(reason) = reason {
            let line = format!("{:?} in {}: {reason}", ent.name, self.article);
            self.explain(id, line);
        }
        if full_name && !key.is_empty() {
            self.state.remember(label, ent, &key, id);
        }
        self.vote(id, ent);
        id
    }

    /// A full name's node among the known persons of its surname: `Ok(node)` to join,
    /// `Err(candidates)` for a new node; with why, when it is worth telling.
    fn full_name_match(
        &self,
        rules: &IdentityRules,
        parts: &NameParts,
        known: &[(NodeId, NameParts, String)],
    ) -> (Result<NodeId, Vec<String>>, Option<String>) {
        let fits: Vec<(&(NodeId, NameParts, String), &'static str)> = known
            .iter()
            .filter(|(_, p, _)| p.is_full())
            .filter_map(|k| Some((k, rules.same_person(parts, &k.1)?)))
            .collect();
        match fits.as_slice() {
            [((id, _, name), why)] => (Ok(*id), Some(format!("joined {name:?}: {why}"))),
            [] => {
                // A person read before by surname alone, not left unresolved, takes the full
                // name ("Macron", then "Emmanuel Macron").
                let lone: Vec<&(NodeId, NameParts, String)> = known
                    .iter()
                    .filter(|(id, p, _)| {
                        !p.is_full()
                            && p.surname == parts.surname
                            && self
                                .graph
                                .node(*id)
                                .is_some_and(|n| !n.props.contains_key("unresolved"))
                    })
                    .collect();
                match lone.as_slice() {
                    [(id, _, name)] => (
                        Ok(*id),
                        Some(format!("joined {name:?}: the surname read alone before")),
                    ),
                    _ => {
                        let others: Vec<String> = known
                            .iter()
                            .filter(|(_, p, _)| p.is_full())
                            .map(|(_, _, n)| n.clone())
                            .collect();
                        let why = (!others.is_empty()).then(|| {
                            format!("not {}: given names or suffix differ", others.join(", "))
                        });
                        (Err(Vec::new()), why)
                    }
                }
            }
            many => {
                let names: Vec<String> = many.iter().map(|((_, _, n), _)| n.clone()).collect();
                (
                    Err(Vec::new()),
                    Some(format!(
                        "a node of its own: fits {} equally",
                        names.join(" and ")
                    )),
                )
            }
        }
    }

    /// A surname alone: the one person of that surname whose titles and gender fit best.
    fn surname_match(
        &self,
        rules: &IdentityRules,
        ent: &ArtEntity,
        parts: &NameParts,
        key: &str,
        known: &[(NodeId, NameParts, String)],
    ) -> (Result<NodeId, Vec<String>>, Option<String>) {
        // The titles a node holds, and those of this batch not written to it yet.
        let titles_of = |id: NodeId| -> Vec<String> {
            let pending = self.state.notes.get(&id).map(|n| n.titles.as_slice());
            self.graph
                .node(id)
                .and_then(|n| n.props.get("titles"))
                .map(Value::strings)
                .unwrap_or_default()
                .into_iter()
                .map(str::to_string)
                .chain(pending.unwrap_or_default().iter().map(|t| t.to_string()))
                .collect()
        };
        let gender = rules.gender(ent.titles.iter().map(String::as_str));
        let words = |titles: &[String]| -> BTreeSet<String> {
            titles
                .iter()
                .flat_map(|t| {
                    crate::graph::fold_name(t)
                        .split(' ')
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let own_titles: Vec<String> = ent.titles.iter().cloned().collect();
        let own_words = words(&own_titles);
        let mut scored: Vec<(usize, NodeId, &str)> = Vec::new();
        for (id, p, name) in known {
            if !p.is_full() || p.surname_key() != parts.surname_key() {
                continue;
            }
            let theirs = titles_of(*id);
            if let (Some(g), Some(h)) = (gender, rules.gender(theirs.iter().map(String::as_str)))
                && g != h
            {
                continue;
            }
            let fit = words(&theirs).intersection(&own_words).count();
            scored.push((fit, *id, name));
        }
        scored.sort_by_key(|s| std::cmp::Reverse(s.0));
        match scored.as_slice() {
            [] => {
                // A node read before under this surname alone is this one.
                let same = self
                    .graph
                    .find_by_name(Some("Person"), key)
                    .into_iter()
                    .find(|id| {
                        self.graph
                            .node(*id)
                            .and_then(|n| n.name())
                            .is_some_and(|n| crate::graph::fold_name(n) == key)
                    });
                (same.ok_or_else(Vec::new), None)
            }
            [(_, id, _)] => (Ok(*id), None),
            [(a, id, name), (b, _, _), ..] if a > b => (
                Ok(*id),
                Some(format!("joined {name:?}: its titles fit best")),
            ),
            tied => {
                let best = tied[0].0;
                let names: Vec<String> = tied
                    .iter()
                    .filter(|t| t.0 == best)
                    .map(|t| t.2.to_string())
                    .collect();
                // The node of this unresolved surname, if there is one already.
                let same = self
                    .graph
                    .find_by_name(Some("Person"), key)
                    .into_iter()
                    .find(|id| {
                        self.graph
                            .node(*id)
                            .is_some_and(|n| n.props.contains_key("unresolved"))
                    });
                let why = format!("unresolved: fits {} equally", names.join(" and "));
                match same {
                    Some(id) => (Ok(id), Some(why)),
                    None => (Err(names), Some(why)),
                }
            }
        }
    }

    /// A new person node with the mention's name and forms, made without looking its forms
    /// up (a surname shared with another person must not join them).
    fn new_person(&mut self, ent: &ArtEntity, key: &str, unresolved: &[String]) -> NodeId {
        self.new_node("Person", ent, key, unresolved)
    }

    /// A new node of `label` with the mention's name (whose key is `key`) and forms, and the
    /// candidates it stays `unresolved` between, made without looking its forms up.
    fn new_node(
        &mut self,
        label: &'static str,
        ent: &ArtEntity,
        key: &str,
        unresolved: &[String],
    ) -> NodeId {
        let mut keys: BTreeSet<String> = BTreeSet::from([key.to_string()]);
        let aliases: Vec<Value> = ent
            .forms
            .iter()
            .filter(|f| keys.insert(crate::graph::fold_name(f)))
            .map(|f| Value::from(f.as_str()))
            .collect();
        let mut props = crate::graph::Properties::new();
        props.insert("name", Value::from(ent.name.as_str()));
        if !aliases.is_empty() {
            props.insert("aliases", Value::List(aliases));
        }
        if !unresolved.is_empty() {
            let list = unresolved.iter().map(|n| Value::from(n.as_str())).collect();
            props.insert("unresolved", Value::List(list));
        }
        self.graph.add_node([label], props)
    }

    /// The node that a rules file's `same_entities` says the mention is: one of the label
    /// holding a name of the mention's group. The mention's forms join it, and the reason
    /// is recorded.
    fn judged_same(&mut self, label: &'static str, ent: &ArtEntity) -> Option<NodeId> {
        let group = self.state.identity.same_as(&ent.name)?;
        let id = group.iter().find_map(|name| {
            self.graph
                .first_with_name_key(label, &crate::graph::fold_name(name))
        })?;
        let name = self.graph.node(id)?.name()?.to_string();
        self.add_forms(id, ent);
        let line = format!(
            "{:?} in {}: joined {name:?}: a rules file says they are one (same_entities)",
            ent.name, self.article
        );
        self.explain(id, line);
        Some(id)
    }

    /// Whether a rules file's `distinct_entities` keeps the mention off the node: one of
    /// the node's names is paired with one of the mention's.
    fn judged_apart(&self, id: NodeId, ent: &ArtEntity) -> bool {
        let rules = &self.state.identity;
        if !rules.has_distinct() {
            return false;
        }
        let Some(node) = self.graph.node(id) else {
            return false;
        };
        let aliases = node
            .props
            .get("aliases")
            .map(Value::strings)
            .unwrap_or_default();
        let theirs: Vec<&str> = node.name().into_iter().chain(aliases).collect();
        let ours: Vec<&str> = std::iter::once(ent.name.as_str())
            .chain(ent.forms.iter().map(String::as_str))
            .collect();
        rules.any_kept_apart(ours.iter().copied(), theirs.iter().copied())
    }

    /// Adds the mention's forms that the node does not hold yet to its aliases.
    fn add_forms(&mut self, id: NodeId, ent: &ArtEntity) {
        let Some(node) = self.graph.node(id) else {
            return;
        };
        let mut keys: BTreeSet<String> = node
            .props
            .get("aliases")
            .map(Value::strings)
            .unwrap_or_default()
            .into_iter()
            .chain(node.name())
            .map(crate::graph::fold_name)
            .collect();
        let new: Vec<Value> = ent
            .forms
            .iter()
            .chain(std::iter::once(&ent.name))
            .filter(|f| {
                let k = crate::graph::fold_name(f);
                !k.is_empty() && keys.insert(k)
            })
            .map(|f| Value::from(f.as_str()))
            .collect();
        if !new.is_empty() {
            let _ = self.graph.extend_node_list(id, "aliases", new);
            self.state.indexed.remove(&id);
        }
    }

    /// Counts the mention's full name for the node, and renames the node when another full
    /// form has become the most frequent (the first read wins a tie).
    fn vote(&mut self, id: NodeId, ent: &ArtEntity) {
        if !ent.name.contains(' ') {
            return;
        }
        let votes = self.state.votes.entry(id).or_default();
        match votes.iter_mut().find(|(f, _)| *f == ent.name) {
            Some((_, n)) => *n += 1,
            None => votes.push((ent.name.clone(), 1)),
        }
        let Some((best, _)) = votes
            .iter()
            .enumerate()
            .max_by_key(|(i, (_, n))| (*n, std::cmp::Reverse(*i)))
            .map(|(_, v)| v.clone())
        else {
            return;
        };
        let Some(current) = self
            .graph
            .node(id)
            .and_then(|n| n.name())
            .map(str::to_string)
        else {
            return;
        };
        if current == best {
            return;
        }
        let mut aliases: Vec<Value> = self
            .graph
            .node(id)
            .and_then(|n| n.props.get("aliases"))
            .map(Value::strings)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| *a != best)
            .map(Value::from)
            .collect();
        if !aliases.iter().any(|a| a.as_str() == Some(current.as_str())) {
            aliases.push(Value::from(current.as_str()));
        }
        let _ = self
            .graph
            .set_node_property(id, "aliases", Value::List(aliases));
        let _ = self
            .graph
            .set_node_property(id, "name", Value::from(best.as_str()));
        self.state.indexed.remove(&id);
    }

    /// Records why a node's mentions were merged (or kept apart), for `:why` and exports;
    /// a node keeps its first few reasons only, so that the list stays readable.
    fn explain(&mut self, id: NodeId, line: String) {
        const KEPT: usize = 12;
        let held = self
            .graph
            .node(id)
            .and_then(|n| n.props.get("identity"))
            .map(|v| v.strings().len())
            .unwrap_or(0);
        if held < KEPT {
            let _ = self
                .graph
                .add_to_node_list(id, "identity", Value::from(line));
        }
    }

    fn merge_named(
        &mut self,
        label: &'static str,
        ent: &ArtEntity,
        report: &mut IngestReport,
    ) -> NodeId {
        // A mention merged before that would change nothing again. (Its name's key is then
        // known, so neither an acronym nor a lone surname below could have taken it.)
        if let Some(id) = self.state.merged_before(self.graph, label, ent) {
            report.entities_merged += 1;
            return id;
        }
        let key = crate::graph::fold_name(&ent.name);
        // A name many countries' bodies share is never remembered, so never merged before.
        if label != "Person" && self.state.identity.is_generic(&key) {
            return self.generic_node(label, ent, report);
        }
        if let Some(id) = self.judged_same(label, ent) {
            report.entities_merged += 1;
            return id;
        }
        // No node of the label holds the name (an empty key names nothing).
        let unknown = |graph: &Graph| graph.first_with_name_key(label, &key).is_none();
        // An acronym ("RDIF") joins the one organisation read before whose initials it is.
        if label == "Organization"
            && ent.name.chars().all(|c| c.is_uppercase() || c == '.')
            && unknown(self.graph)
            && let Some(ids) = self.state.initials.get(&key)
            && ids.len() == 1
            && let Some(&id) = ids.iter().next()
            && !self.judged_apart(id, ent)
        {
            return self.join_explained(id, label, ent, "its initials", report);
        }
        // "Scientology" and "Church of Scientology": an organisation called by the proper
        // word closing its name joins the one organisation of that name read before, in
        // either order.
        if label == "Organization"
            && unknown(self.graph)
            && let Some((id, why)) = self.of_tail_match(&key)
            && !self.judged_apart(id, ent)
        {
            return self.join_explained(id, label, ent, why, report);
        }
        // A lone surname ("President Macron") joins the one person of that surname read
        // before, rather than making a second node.
        if label == "Person"
            && !key.contains(' ')
            && unknown(self.graph)
            && let Some(id) = lookup(self.graph, self.state, &key)
            && self.graph.node(id).is_some_and(|n| n.has_label("Person"))
            && !self.judged_apart(id, ent)
        {
            return self.join(id, label, ent, report);
        }
        let aliases: Vec<String> = ent
            .forms
            .iter()
            .filter(|f| crate::graph::fold_name(f) != key)
            .cloned()
            .collect();
        let (id, outcome) = self.graph.merge_entity(&EntityMention {
            label,
            name: &ent.name,
            aliases: &aliases,
        });
        if outcome != MergeOutcome::Unchanged {
            self.state.indexed.remove(&id);
        }
        match outcome {
            MergeOutcome::Created => report.entities_new += 1,
            _ => report.entities_merged += 1,
        }
        // Merging is idempotent once a form has a key: the same mention again finds this
        // node and changes nothing, for as long as no other node takes its name's key first.
        if !key.is_empty() {
            self.state.remember(label, ent, &key, id);
        }
        id
    }

    /// The node of a name that many countries' bodies share ("House of Representatives",
    /// "the Municipality"): the one this article read before, else the one of an article
    /// about the same country, else a new one, which remembers the article's country. An
    /// article about no one country joins no other article's node.
    fn generic_node(
        &mut self,
        label: &'static str,
        ent: &ArtEntity,
        report: &mut IngestReport,
    ) -> NodeId {
        if let Some(id) = self.judged_same(label, ent) {
            report.entities_merged += 1;
            return id;
        }
        if let Some((id, here)) = self.generic_match(label, &ent.name) {
            self.add_forms(id, ent);
            report.entities_merged += 1;
            if here {
                return id;
            }
            let line = format!(
                "{:?} in {}: joined {:?}: a name many countries' bodies share, read in another article about {}",
                ent.name,
                self.article,
                self.node_name(id),
                self.country.as_deref().unwrap_or_default()
            );
            self.explain(id, line);
            return id;
        }
        report.entities_new += 1;
        self.new_node(label, ent, &crate::graph::fold_name(&ent.name), &[])
    }

    /// The node of `label` holding a name many countries' bodies share that this article
    /// read before (`true`), else one named in an article about the same country.
    fn generic_match(&self, label: &str, name: &str) -> Option<(NodeId, bool)> {
        let ids = self.graph.find_by_name(Some(label), name);
        if let Some(&id) = ids.iter().find(|&&id| self.read_here(id)) {
            return Some((id, true));
        }
        let country = self.country.as_ref()?;
        ids.into_iter()
            .find(|id| self.state.countries.get(id) == Some(country))
            .map(|id| (id, false))
    }

    /// Whether node `id` holds a mention of this article already (written to the graph,
    /// or waiting in the batch).
    fn read_here(&self, id: NodeId) -> bool {
        let article = self.article.as_str();
        let pending = self
            .state
            .notes
            .get(&id)
            .is_some_and(|n| n.articles.iter().any(|(a, _)| a == article));
        pending
            || self.graph.node(id).is_some_and(|n| {
                n.props
                    .get("articles")
                    .is_some_and(|v| v.strings().contains(&article))
            })
    }

    /// The one organisation read before that a name of the shape "Church of Scientology"
    /// or its closing word alone ("Scientology") names, with the reason.
    fn of_tail_match(&self, key: &str) -> Option<(NodeId, &'static str)> {
        if let Some(tail) = of_tail(key) {
            let id = self.graph.first_with_name_key("Organization", tail)?;
            let alone = self
                .graph
                .node(id)?
                .name()
                .is_some_and(|n| crate::graph::fold_name(n) == tail);
            return alone.then_some((id, "its name is the word closing this one"));
        }
        if key.is_empty() || key.contains(' ') {
            return None;
        }
        let ids = self.state.of_tails.get(key)?;
        let id = *ids.iter().next().filter(|_| ids.len() == 1)?;
        Some((id, "the word closing its name"))
    }

    /// Adds the kind to a node and queues its titles, article and mention count. A second
    /// reading of the same article adds nothing: mentions count only when the article is
    /// new to the node.
    fn annotate(&mut self, id: NodeId, ent: &ArtEntity) {
        let g = &mut *self.graph;
        let mut lacks_kind = false;
        if let Some(node) = g.node(id) {
            lacks_kind = ent.kind.is_some() && !node.props.contains_key("kind");
            // The surname and initials indexes only gain entries, so a node is indexed again
            // only when its name may have changed since (indexing it again under the same
            // name adds nothing).
            if self.state.indexed.insert(id)
                && let Some(name) = node.name()
            {
                if node.has_label("Person")
                    && let Some(s) = surname(&self.state.identity, name)
                {
                    self.state.surnames.entry(s).or_default().insert(id);
                }
                if node.has_label("Organization") {
                    self.state.index_organisation(id, name);
                }
            }
        }
        // The country of the first article about one that names a body or a place: a name
        // many countries' bodies share joins it from articles about that country only.
        if ent.label != Some("Person")
            && let Some(country) = &self.country
        {
            let country = self
                .state
                .countries
                .entry(id)
                .or_insert_with(|| country.clone());
            // Such a name keeps its country in the graph, so that articles ingested into
            // it later join it as they would have in the same run (`MergeState::new`).
            let generic = g.node(id).is_some_and(|n| {
                !n.props.contains_key(COUNTRY)
                    && n.name().is_some_and(|name| {
                        self.state
                            .identity
                            .is_generic(&crate::graph::fold_name(name))
                    })
            });
            if generic {
                let _ = g.set_node_property(id, COUNTRY, Value::from(country.as_str()));
            }
        }
        if let Some(kind) = &ent.kind
            && lacks_kind
        {
            let _ = g.set_node_property(id, "kind", Value::from(kind.as_str()));
        }
        let note = self.state.notes.entry(id).or_default();
        note.titles
            .extend(ent.titles.iter().map(|t| CompactString::from(t.as_str())));
        note.articles
            .push((self.article.clone(), i64::from(ent.mentions.max(1))));
    }
}

/// Merges one article's extraction into the graph, counting what it did in `report`.
/// Returns the node each article entity went to (`None`: none, or not needed).
pub fn merge(
    graph: &mut Graph,
    state: &mut MergeState,
    ex: &Extraction,
    report: &mut IngestReport,
) -> Vec<Option<NodeId>> {
    let mut m = Merger {
        graph,
        state,
        article: CompactString::from(ex.article.as_str()),
        country: ex.country.clone(),
        nodes: vec![None; ex.entities.len()],
    };
    // Entities named in the article come first, in the order they were read; entities known
    // only through a demonym or a description appear when a relation needs them. A short
    // form of an organisation named in full in the article is that organisation.
    let (ents, short) = article_forms(&ex.entities);
    for (idx, ent) in ents.iter().enumerate() {
        if !ent.named {
            continue;
        }
        match short[idx] {
            Some((full, why)) => {
                let Some(id) = m.node_for(full, &ents[full], report) else {
                    m.node_for(idx, ent, report);
                    continue;
                };
                m.add_forms(id, ent);
                m.annotate(id, ent);
                let full_name = &ex.entities[full].name;
                let line = format!(
                    "{:?} in {}: joined {full_name:?}: {why} in the same article",
                    ent.name, m.article
                );
                m.explain(id, line);
                report.entities_merged += 1;
                if let Some(slot) = m.nodes.get_mut(idx) {
                    *slot = Some(Some(id));
                }
            }
            None => {
                m.node_for(idx, ent, report);
            }
        }
    }
    for fact in &ex.facts {
        merge_fact(&mut m, ex, fact, report);
    }
    // A place read only inside an organisation's name ("Michigan" in "University of
    // Michigan") is the node of that place when the graph holds one; it makes one only when
    // the article reads it inside names at least twice ("Pittsburgh" of the "Pittsburgh
    // Pirates", again and again), as a place the article keeps naming.
    for (idx, ent) in ex.entities.iter().enumerate() {
        if ent.named || ent.region.is_none() || !matches!(m.nodes.get(idx), Some(None)) {
            continue;
        }
        let key = crate::graph::fold_name(&ent.name);
        let mut node = m.graph.first_with_name_key("Region", &key);
        if node.is_none() && nested_readings(ex, idx) >= NESTED_PLACE_READINGS {
            let id = m.merge_named("Region", ent, report);
            m.annotate(id, ent);
            node = Some(id);
        }
        if let Some(slot) = m.nodes.get_mut(idx) {
            *slot = Some(node);
        }
    }
    m.nodes.into_iter().map(Option::flatten).collect()
}

/// How many times an article must read a place inside other names ("Pittsburgh" in
/// "Pittsburgh Pirates") before the place gets a node of its own.
const NESTED_PLACE_READINGS: usize = 2;

/// How many times the article reads entity `idx` inside the name of a body that is no place
/// ("Pittsburgh" in "Pittsburgh Pirates"; not "Delhi" in "New Delhi", whose reading inside a
/// place's name says nothing of Delhi).
fn nested_readings(ex: &Extraction, idx: usize) -> usize {
    let place = |e: usize| {
        ex.entities
            .get(e)
            .is_some_and(|e| e.label == Some("Region") || e.fallback == Some("Region"))
    };
    ex.names
        .iter()
        .filter(|n| n.entity as usize == idx)
        .filter(|n| {
            ex.names.iter().any(|c| {
                c.para == n.para
                    && c.start <= n.start
                    && c.end >= n.end
                    && (c.start, c.end) != (n.start, n.end)
                    && !place(c.entity as usize)
            })
        })
        .count()
}

/// For each entity of an article, the full name it is a short form of, and the rule.
type ShortForms = Vec<Option<(usize, &'static str)>>;

/// The article's entities as merging reads them, and for each the full name of the same
/// article that it is a short form of, with the rule: an organisation's acronym or head
/// word ([`short_forms`]), or a person's surname alone ([`surnamed_people`]), whose full
/// name is then a person's even when no given name, title or verb said so.
fn article_forms(ents: &[ArtEntity]) -> (Vec<std::borrow::Cow<'_, ArtEntity>>, ShortForms) {
    let mut short = short_forms(ents);
    let mut read: Vec<std::borrow::Cow<'_, ArtEntity>> =
        ents.iter().map(std::borrow::Cow::Borrowed).collect();
    // Both sides are candidates without a label: as a person's, the pair is read.
    for (i, full) in surnamed_people(ents).into_iter().enumerate() {
        let Some(full) = full else { continue };
        short[i] = Some((full, "its surname alone"));
        if read[full].fallback.is_none() {
            read[full].to_mut().fallback = Some("Person");
        }
    }
    for (i, full) in plural_place_names(ents).into_iter().enumerate() {
        if let Some(full) = full
            && short[i].is_none()
        {
            short[i] = Some((full, "the plural of the word that opens its name"));
        }
    }
    for (i, full) in given_names_alone(ents).into_iter().enumerate() {
        if let Some(full) = full
            && short[i].is_none()
        {
            short[i] = Some((
                full,
                "its given name alone, of the person the article is about",
            ));
        }
    }
    // A short form whose full name gets no node is merged as itself. A word of a person's
    // name read alone ("Kim" beside "Kim Jong Un" and "Kim Yo Jong") is not taken for a
    // name of its own: which person it is stays open. Unless the article names the word
    // alone far more often than all those people together ("York is ... York was" beside
    // one "York Minster"): then the word is the name and the people's names hold it.
    let mut person_words: FastMap<String, u32> = FastMap::default();
    for e in ents.iter().filter(|e| e.label == Some("Person")) {
        for word in crate::graph::fold_name(&e.name).split(' ') {
            *person_words.entry(word.to_string()).or_default() += e.mentions;
        }
    }
    for (i, e) in ents.iter().enumerate() {
        let held = person_words
            .get(&crate::graph::fold_name(&e.name))
            .is_some_and(|&people| e.mentions < NAME_OVER_PEOPLE * people.max(1));
        if let Some(label) = repeated_name(e)
            && !held
        {
            read[i].to_mut().fallback = Some(label);
        }
    }
    (read, short)
}

/// "the Chatham Islands ... the Chathams", "the Canary Islands ... the Canaries": a place
/// named by a plural head after one word is called by that word in the plural. Each entity
/// of the article named by one word (no person) that is the plural of the first word of
/// exactly one other entity's name or form of that shape gets the index of that entity.
fn plural_place_names(ents: &[ArtEntity]) -> Vec<Option<usize>> {
    let mut found = vec![None; ents.len()];
    let open = |e: &ArtEntity| e.named && e.label != Some("Person") && e.fallback != Some("Person");
    // The plurals of the opening words of names of two words whose second is a plural.
    let mut plurals: Vec<(usize, String)> = Vec::new();
    for (i, e) in ents.iter().enumerate() {
        if !open(e) {
            continue;
        }
        for form in std::iter::once(&e.name).chain(&e.forms) {
            let key = crate::graph::fold_name(form);
            let Some((first, head)) = key.split_once(' ') else {
                continue;
            };
            // "Chatham Islands", "Rocky Mountains"; not "Los Angeles" ("Loss" is no short
            // form of it).
            let plural_head = head.ends_with('s') && !head.ends_with("ss");
            if head.contains(' ') || !plural_head || first.len() < 3 || first.ends_with('s') {
                continue;
            }
            let plural = match first.strip_suffix('y') {
                Some(stem) => format!("{stem}ies"),
                None => format!("{first}s"),
            };
            if !plurals.contains(&(i, plural.clone())) {
                plurals.push((i, plural));
            }
        }
    }
    if plurals.is_empty() {
        return found;
    }
    for (i, e) in ents.iter().enumerate() {
        if !open(e) {
            continue;
        }
        let key = crate::graph::fold_name(&e.name);
        let mut fits = plurals.iter().filter(|(j, p)| *j != i && *p == key);
        if let (Some((full, _)), None) = (fits.next(), fits.next()) {
            found[i] = Some(*full);
        }
    }
    found
}

/// "Daniel Bernoulli ... his father, Johann Bernoulli ... Daniel studied medicine": a
/// candidate of one word, or a person named by one word ("George" beside "George Floyd"),
/// that opens the names of people of the article and closes none is the one of them the
/// article names most, when it names them at least three times as often as all the others
/// together: the article's subject.
fn given_names_alone(ents: &[ArtEntity]) -> Vec<Option<usize>> {
    let mut found = vec![None; ents.len()];
    let mut people: Vec<(usize, String)> = Vec::new();
    let mut alone: Vec<(usize, String)> = Vec::new();
    for (i, e) in ents.iter().enumerate() {
        if !e.named {
            continue;
        }
        let key = crate::graph::fold_name(&e.name);
        if e.label == Some("Person") && key.contains(' ') {
            let first = key.split(' ').next().unwrap_or("").to_string();
            people.push((i, first));
        } else if matches!(e.label, None | Some("Person"))
            && matches!(e.fallback, None | Some("Person"))
            && !key.contains(' ')
            && !key.is_empty()
        {
            alone.push((i, key));
        }
    }
    // A word that closes a person's name is a surname: "Floyd" is read by the surname
    // rules, never as a given name here.
    alone.retain(|(_, key)| {
        !ents.iter().any(|e| {
            e.label == Some("Person")
                && crate::graph::fold_name(&e.name)
                    .rsplit_once(' ')
                    .is_some_and(|(_, last)| last == key)
        })
    });
    for (i, key) in &alone {
        let holders: Vec<usize> = people
            .iter()
            .filter(|(_, first)| first == key)
            .map(|(j, _)| *j)
            .collect();
        let Some(&top) = holders
            .iter()
            .max_by_key(|&&j| (ents[j].mentions, Reverse(j)))
        else {
            continue;
        };
        let others: u32 = holders
            .iter()
            .filter(|&&j| j != top)
            .map(|&j| ents[j].mentions)
            .sum();
        if holders.len() == 1 || ents[top].mentions >= 3 * others {
            found[*i] = Some(top);
        }
    }
    found
}

/// How many times an article must name a candidate that no list placed before it is taken
/// for a named thing of its own.
const REPEATED_NAME: u32 = 3;

/// How many times is enough for a candidate that looks like a name by its form: several
/// capitalised words ("Chichen Itza", "Barstool Sports"), or one word read after "in" or "at"
/// ("to Acapulco"). A capital by chance is rarer there than on one word opening a sentence.
const REPEATED_NAME_BY_FORM: u32 = 2;

/// How many times as often as all the people whose names hold it an article must name a
/// word alone before the word is a name of its own.
const NAME_OVER_PEOPLE: u32 = 4;

/// "Fort Lee is a city ... Fort Lee houses ... in Fort Lee": a candidate that no list, cue
/// or context placed but that the article names again and again is a name, not a word
/// capitalised by chance. Returns the label it takes when the graph does not know it: a
/// place when it is read after "in" or "at" at least as often as not, a person when a
/// pronoun showed a gender, else a body.
fn repeated_name(e: &ArtEntity) -> Option<&'static str> {
    if !e.named || e.label.is_some() || e.fallback.is_some() {
        return None;
    }
    let letters = e.name.chars().filter(|c| c.is_alphabetic()).count();
    let words = e.name.split(' ').count();
    let phrase = words >= 2
        && !e.name.chars().any(|c| c.is_ascii_digit())
        && e.name
            .split(' ')
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    let by_form = phrase || e.locative > 0 && letters >= 2;
    let needed = if by_form {
        REPEATED_NAME_BY_FORM
    } else {
        REPEATED_NAME
    };
    if e.mentions < needed {
        return None;
    }
    Some(if 2 * e.locative >= e.mentions {
        "Region"
    } else if e.gender.is_some() {
        "Person"
    } else {
        "Organization"
    })
}

/// "Romelu Lukaku ... Lukaku": the candidates of an article named by one word that is the
/// last word of exactly one candidate's name of two capitalised words. Each gets the index
/// of that name. (A longer run opening a sentence often starts with a common noun:
/// "Outfielder Danny Kessler".) Names with a label (a known organisation, place or person) are
/// never either side here.
fn surnamed_people(ents: &[ArtEntity]) -> Vec<Option<usize>> {
    let mut found = vec![None; ents.len()];
    let open =
        |e: &ArtEntity| e.named && e.label.is_none() && matches!(e.fallback, None | Some("Person"));
    // Full names by their last word, folded once.
    let mut fulls: Vec<(usize, String)> = Vec::new();
    let mut shorts: Vec<(usize, String)> = Vec::new();
    for (i, e) in ents.iter().enumerate() {
        if !open(e) || e.name.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let key = crate::graph::fold_name(&e.name);
        let words = key.split(' ').count();
        let capitalised = e
            .name
            .split(' ')
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
        if words == 1 {
            shorts.push((i, key));
        } else if words == 2 && capitalised && e.fallback.is_none() {
            let last = key.rsplit(' ').next().unwrap_or("").to_string();
            fulls.push((i, last));
        }
    }
    for (i, key) in &shorts {
        let mut fits = fulls.iter().filter(|(_, last)| last == key);
        if let (Some((full, _)), None) = (fits.next(), fits.next()) {
            found[*i] = Some(*full);
        }
    }
    found
}

/// The organisations of an article that are named by a short form of another's full name
/// read in it: an acronym of its initials ("USI" for "University of Southern Indiana") or
/// the word that heads it ("the Church" for "Church of Scientology", "Scientology" too, and
/// "the Court" for "Supreme Court"). Each gets the index of that organisation and the rule,
/// when exactly one organisation of the article fits; people and places are never short
/// forms here (their own rules read them).
fn short_forms(ents: &[ArtEntity]) -> ShortForms {
    let body = |e: &ArtEntity| {
        e.named
            && (e.label == Some("Organization")
                || e.label.is_none()
                    && e.fallback != Some("Person")
                    && e.fallback != Some("Region"))
    };
    let mut short = vec![None; ents.len()];
    // The short forms (bodies named by one word) and the full names (bodies of several),
    // each folded once: merging is serial, so nothing is folded per pair.
    let mut shorts: Vec<(usize, String)> = Vec::new();
    let mut fulls: Vec<(usize, String)> = Vec::new();
    for (i, e) in ents.iter().enumerate() {
        if !body(e) {
            continue;
        }
        let key = crate::graph::fold_name(&e.name);
        if key.contains(' ') {
            fulls.push((i, key));
        } else if !key.is_empty() {
            shorts.push((i, key));
        }
    }
    if shorts.is_empty() || fulls.is_empty() {
        return short;
    }
    let spelt: Vec<Option<String>> = fulls
        .iter()
        .map(|(j, _)| initials(&ents[*j].name))
        .collect();
    for (i, key) in &shorts {
        let acronym = key.len() >= 2 && ents[*i].name.chars().all(|c| c.is_uppercase() || c == '.');
        let fits = |n: usize| -> Option<&'static str> {
            let full = &fulls[n].1;
            if acronym {
                return (spelt[n].as_deref() == Some(key.as_str())).then_some("its initials");
            }
            let mut words = full.split(' ');
            let heads = words.next() == Some(key.as_str()) && words.next() == Some("of")
                || full.rsplit(' ').next() == Some(key.as_str());
            heads.then_some("the word that heads its name")
        };
        let mut found = (0..fulls.len()).filter_map(|n| Some((fulls[n].0, fits(n)?)));
        if let Some(first) = found.next()
            && found.next().is_none()
        {
            short[*i] = Some(first);
        }
    }
    short
}

/// A candidate that acts in an event ("Hamas accused Israel") is a named body even when no
/// list knows it: it becomes an organisation unless the graph knows it as something else.
fn as_party(ent: &ArtEntity, standing: bool) -> std::borrow::Cow<'_, ArtEntity> {
    if ent.label.is_none() && ent.fallback.is_none() && !standing {
        let mut e = ent.clone();
        e.fallback = Some("Organization");
        std::borrow::Cow::Owned(e)
    } else {
        std::borrow::Cow::Borrowed(ent)
    }
}

fn merge_fact(m: &mut Merger<'_>, ex: &Extraction, fact: &ExFact, report: &mut IngestReport) {
    let source_ent = as_party(&ex.entities[fact.source], fact.standing);
    let target_ent = as_party(&ex.entities[fact.target], fact.standing);
    let (Some(source), Some(target)) = (
        m.node_for(fact.source, &source_ent, report),
        m.node_for(fact.target, &target_ent, report),
    ) else {
        return;
    };
    if source == target {
        return;
    }
    // The place's name is copied (inline, as names are short): the graph is about to change.
    let place: Option<CompactString> = fact
        .place
        .and_then(|place| m.nodes.get(place).copied().flatten().flatten())
        .and_then(|node| m.graph.node(node)?.name().map(CompactString::from));
    let mut props = FactProps::new();
    if let Some(date) = fact.date.or(ex.date) {
        let text = m
            .state
            .dates
            .entry(date)
            .or_insert_with(|| date.to_string());
        props.push(("date", text.as_str()));
    }
    if let Some(place) = &place {
        props.push(("place", place.as_str()));
    }
    if let Some(what) = &fact.what {
        props.push(("what", what.as_str()));
    }
    if let Some(origin) = &ex.origin {
        props.push(("origin", origin.as_str()));
    }
    let key_props: &[&str] = if fact.standing { &[] } else { &["date"] };
    let merged = Fact {
        source: Some(source),
        rel_type: &fact.rel_type,
        target: Some(target),
        symmetric: fact.symmetric,
        props,
        key_props,
        provenance: crate::graph::Provenance {
            article: &ex.article,
            evidence: &fact.evidence,
            rule: &fact.rule,
        },
    };
    let result = m.graph.merge_fact_indexed(merged, &mut m.state.facts);
    match result {
        Ok((_, MergeOutcome::Created)) => report.edges_new += 1,
        Ok(_) => report.edges_merged += 1,
        Err(e) => report.warn(&ex.article, format!("could not record a relation: {e}")),
    }
}
