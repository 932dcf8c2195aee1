//! Merging an article's extraction into the graph: entities through `merge_entity` (and,
//! for names the article could not place, a lookup in the graph), relations through
//! `merge_fact`, with the node properties `kind`, `titles`, `articles` and `mentions`.
//!
//! Merging is the only stage that touches the graph; it runs in a fixed order and must
//! never add anything for a second reading of the same article.

use std::collections::{BTreeMap, BTreeSet};

use compact_str::CompactString;

use super::dates::Date;
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

fn surname(name: &str) -> Option<String> {
    let folded = crate::graph::fold_name(name);
    let mut words = folded.split(' ');
    let last = words.next_back()?;
    words.next()?;
    Some(last.to_string())
}

impl MergeState {
    /// Indexes the persons already in the graph.
    pub fn new(graph: &Graph) -> Self {
        let mut state = MergeState::default();
        for id in graph.nodes_with_label("Person") {
            if let Some(s) = graph.node(id).and_then(|n| n.name()).and_then(surname) {
                state.surnames.entry(s).or_default().insert(id);
            }
        }
        for id in graph.nodes_with_label("Organization") {
            if let Some(s) = graph.node(id).and_then(|n| n.name()).and_then(initials) {
                state.initials.entry(s).or_default().insert(id);
            }
        }
        state
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
/// else a lone surname of exactly one person. `key` is the name as `fold_name` gives it.
fn lookup(graph: &Graph, state: &MergeState, key: &str) -> Option<NodeId> {
    ENTITY_LABELS
        .iter()
        .find_map(|label| graph.first_with_name_key(label, key))
        .or_else(|| {
            if key.contains(' ') {
                return None;
            }
            let ids = state.surnames.get(key)?;
            (ids.len() == 1)
                .then(|| ids.iter().next().copied())
                .flatten()
        })
}

struct Merger<'g> {
    graph: &'g mut Graph,
    state: &'g mut MergeState,
    article: CompactString,
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
                lookup(self.graph, self.state, &crate::graph::fold_name(&ent.name)).or_else(|| {
                    let label = ent.fallback?;
                    Some(self.merge_named(label, ent, report))
                })
            }
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

    /// Adds a mention's forms to a node read before, under that node's own name.
    fn join(
        &mut self,
        id: NodeId,
        label: &str,
        ent: &ArtEntity,
        report: &mut IngestReport,
    ) -> NodeId {
        let name = self
            .graph
            .node(id)
            .and_then(|n| n.name())
            .unwrap_or_default()
            .to_string();
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
        // No node of the label holds the name (an empty key names nothing).
        let unknown = |graph: &Graph| graph.first_with_name_key(label, &key).is_none();
        // An acronym ("RDIF") joins the one organisation read before whose initials it is.
        if label == "Organization"
            && ent.name.chars().all(|c| c.is_uppercase() || c == '.')
            && unknown(self.graph)
            && let Some(ids) = self.state.initials.get(&key)
            && ids.len() == 1
            && let Some(&id) = ids.iter().next()
        {
            return self.join(id, label, ent, report);
        }
        // A lone surname ("President Macron") joins the one person of that surname read
        // before, rather than making a second node.
        if label == "Person"
            && !key.contains(' ')
            && unknown(self.graph)
            && let Some(id) = lookup(self.graph, self.state, &key)
            && self.graph.node(id).is_some_and(|n| n.has_label("Person"))
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
                    && let Some(s) = surname(name)
                {
                    self.state.surnames.entry(s).or_default().insert(id);
                }
                if node.has_label("Organization")
                    && let Some(s) = initials(name)
                {
                    self.state.initials.entry(s).or_default().insert(id);
                }
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
        nodes: vec![None; ex.entities.len()],
    };
    // Entities named in the article come first, in the order they were read; entities known
    // only through a demonym or a description appear when a relation needs them.
    for (idx, ent) in ex.entities.iter().enumerate() {
        if ent.named {
            m.node_for(idx, ent, report);
        }
    }
    for fact in &ex.facts {
        merge_fact(&mut m, ex, fact, report);
    }
    m.nodes.into_iter().map(Option::flatten).collect()
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
