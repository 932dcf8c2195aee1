//! Merging an article's extraction into the graph: entities through `merge_entity` (and,
//! for names the article could not place, a lookup in the graph), relations through
//! `merge_fact`, with the node properties `kind`, `titles`, `articles` and `mentions`.
//!
//! Merging is the only stage that touches the graph; it runs in a fixed order and must
//! never add anything for a second reading of the same article.

use std::collections::HashMap;

use super::relations::ExFact;
use super::resolve::ArtEntity;
use super::{Extraction, IngestReport};
use crate::graph::{EntityMention, Fact, Graph, MergeOutcome, NodeId, Properties, Value};

const ENTITY_LABELS: [&str; 3] = ["Person", "Organization", "Region"];

/// Finds the node a candidate name stands for, in the graph as it is.
fn lookup(graph: &Graph, name: &str) -> Option<NodeId> {
    ENTITY_LABELS
        .iter()
        .find_map(|label| graph.find_by_name(Some(label), name).first().copied())
}

struct Merger<'g> {
    graph: &'g mut Graph,
    article: &'g str,
    nodes: HashMap<usize, Option<NodeId>>,
}

impl Merger<'_> {
    fn node_for(
        &mut self,
        idx: usize,
        ent: &ArtEntity,
        report: &mut IngestReport,
    ) -> Option<NodeId> {
        if let Some(n) = self.nodes.get(&idx) {
            return *n;
        }
        let id = match ent.label {
            None => lookup(self.graph, &ent.name).or_else(|| {
                let label = ent.fallback?;
                Some(self.merge_named(label, ent, report))
            }),
            Some(label) => Some(self.merge_named(label, ent, report)),
        };
        if let Some(id) = id {
            self.annotate(id, ent);
        }
        self.nodes.insert(idx, id);
        id
    }

    fn merge_named(&mut self, label: &str, ent: &ArtEntity, report: &mut IngestReport) -> NodeId {
        let aliases: Vec<String> = ent
            .forms
            .iter()
            .filter(|f| crate::graph::fold_name(f) != crate::graph::fold_name(&ent.name))
            .cloned()
            .collect();
        let (id, outcome) = self.graph.merge_entity(&EntityMention {
            label,
            name: &ent.name,
            aliases: &aliases,
        });
        match outcome {
            MergeOutcome::Created => report.entities_new += 1,
            _ => report.entities_merged += 1,
        }
        id
    }

    /// Adds the kind, titles, article and mention count to a node. A second reading of the
    /// same article adds nothing: mentions count only when the article is new to the node.
    fn annotate(&mut self, id: NodeId, ent: &ArtEntity) {
        let g = &mut *self.graph;
        if let Some(kind) = &ent.kind
            && g.node(id).is_some_and(|n| !n.props.contains_key("kind"))
        {
            let _ = g.set_node_property(id, "kind", Value::from(kind.as_str()));
        }
        for t in &ent.titles {
            let _ = g.add_to_node_list(id, "titles", Value::from(t.as_str()));
        }
        if g.add_to_node_list(id, "articles", Value::from(self.article))
            .unwrap_or(false)
        {
            let before = g
                .node(id)
                .and_then(|n| n.props.get("mentions"))
                .and_then(Value::as_int)
                .unwrap_or(0);
            let _ = g.set_node_property(
                id,
                "mentions",
                Value::Int(before + i64::from(ent.mentions.max(1))),
            );
        }
    }
}

/// Merges one article's extraction into the graph, counting what it did in `report`.
pub fn merge(graph: &mut Graph, ex: &Extraction, report: &mut IngestReport) {
    let mut m = Merger {
        graph,
        article: &ex.article,
        nodes: HashMap::new(),
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
}

fn merge_fact(m: &mut Merger<'_>, ex: &Extraction, fact: &ExFact, report: &mut IngestReport) {
    let (Some(source), Some(target)) = (
        m.node_for(fact.source, &ex.entities[fact.source], report),
        m.node_for(fact.target, &ex.entities[fact.target], report),
    ) else {
        return;
    };
    if source == target {
        return;
    }
    let mut props = Properties::new();
    if let Some(date) = fact.date.or(ex.date) {
        props.insert("date".into(), Value::from(date.to_string()));
    }
    if let Some(place) = fact.place
        && let Some(Some(node)) = m.nodes.get(&place)
        && let Some(name) = m.graph.node(*node).and_then(|n| n.name())
    {
        props.insert("place".into(), Value::from(name));
    }
    if let Some(what) = &fact.what {
        props.insert("what".into(), Value::from(what.as_str()));
    }
    let key_props: &[&str] = if fact.standing { &[] } else { &["date"] };
    let result = m.graph.merge_fact(&Fact {
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
    });
    match result {
        Ok((_, MergeOutcome::Created)) => report.edges_new += 1,
        Ok(_) => report.edges_merged += 1,
        Err(e) => report.warn(&ex.article, format!("could not record a relation: {e}")),
    }
}
