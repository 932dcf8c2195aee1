//! Scoring a graph against a gold file, by the rules of EXTRACTION.md ("How a gold file is
//! scored"), with the same figures as `../shared/score_gold.py`, and the JSON form of a graph
//! that the reference scorer reads.
//!
//! Scoring only reads the graph; it must never change it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use serde_json::{Value as Json, json};

use super::IngestError;
use crate::graph::{Graph, Value, fold_name};

const LABELS: [&str; 3] = ["Person", "Organization", "Region"];
const REL_TYPES: [&str; 14] = [
    "MET_WITH",
    "PROPOSED",
    "REJECTED",
    "SUPPORTED",
    "CRITICIZED",
    "PRAISED",
    "ACCUSED",
    "THREATENED",
    "ATTACKED",
    "RELEASED",
    "AGREED_WITH",
    "LEADS",
    "REPRESENTS",
    "LOCATED_IN",
];

fn symmetric(t: &str) -> bool {
    matches!(t, "MET_WITH" | "AGREED_WITH")
}

/// The scores and the lists behind them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    pub entity_p: f64,
    pub entity_r: f64,
    pub entity_f1: f64,
    pub rel_p: f64,
    pub rel_r: f64,
    pub rel_f1: f64,
    /// `None` when no matched gold relation carries a place or a date.
    pub attr_acc: Option<f64>,
    pub absent_hits: Vec<String>,
    pub missed_entities: Vec<String>,
    pub missed_relations: Vec<String>,
    pub false_nodes: Vec<String>,
    pub false_triples: Vec<String>,
    pub wrong_attributes: Vec<String>,
    pub warnings: Vec<String>,
    pub summary_counts: String,
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn as_list(v: Option<&Json>) -> Vec<String> {
    match v {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|i| match i {
                Json::String(s) => Some(s.clone()),
                Json::Null => None,
                other => Some(other.to_string()),
            })
            .collect(),
        Some(Json::String(s)) => vec![s.clone()],
        Some(other) => vec![other.to_string()],
    }
}

struct GoldEntity {
    idx: usize,
    name: String,
    label: String,
    optional: bool,
    keys: BTreeSet<String>,
}

struct GoldRelation {
    idx: usize,
    rel_type: String,
    sources: Vec<String>,
    targets: Vec<String>,
    optional: bool,
    place: Option<String>,
    date: Option<String>,
    why: Option<String>,
    /// Resolved gold entities per source/target name; indices past the gold entities are
    /// names the gold file does not list, which match any label.
    src: Vec<Vec<usize>>,
    tgt: Vec<Vec<usize>>,
}

impl GoldRelation {
    fn label(&self) -> String {
        format!(
            "({}) -[{}]-> ({})",
            self.sources.join("|"),
            self.rel_type,
            self.targets.join("|")
        )
    }
}

struct ScoredNode {
    id: u64,
    labels: BTreeSet<String>,
    name: String,
    keys: BTreeSet<String>,
    strong: BTreeSet<String>,
}

impl ScoredNode {
    fn matches(&self, e: &GoldEntity) -> bool {
        if e.label == "*" {
            return !self.keys.is_disjoint(&e.keys);
        }
        self.labels.contains(&e.label) && !self.keys.is_disjoint(&e.keys)
    }

    fn show(&self) -> String {
        let labels: Vec<&str> = self.labels.iter().map(String::as_str).collect();
        format!("{}:{:?} (node {})", labels.join("/"), self.name, self.id)
    }
}

fn nonempty(keys: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    keys.into_iter().filter(|k| !k.is_empty()).collect()
}

/// Scores a graph against a gold file's JSON text.
pub fn score(gold_json_text: &str, graph: &Graph) -> Result<Score, IngestError> {
    let gold: Json = serde_json::from_str(gold_json_text).map_err(|e| IngestError::Gold {
        file: "gold".into(),
        message: format!("line {}, column {}: {e}", e.line(), e.column()),
    })?;
    score_json(&gold, &export_json(graph))
}

/// Scores an export (the EXTRACTION.md JSON form) against a parsed gold file.
pub fn score_json(gold: &Json, export: &Json) -> Result<Score, IngestError> {
    let mut out = Score::default();
    let bad = |m: &str| IngestError::Gold {
        file: "gold".into(),
        message: m.to_string(),
    };
    let mut entities: Vec<GoldEntity> = Vec::new();
    for (idx, raw) in gold
        .get("entities")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let name = raw
            .get("name")
            .and_then(Json::as_str)
            .ok_or_else(|| bad(&format!("entity {idx} has no name")))?
            .to_string();
        let label = raw
            .get("label")
            .and_then(Json::as_str)
            .ok_or_else(|| bad(&format!("entity {name:?} has no label")))?
            .to_string();
        let aliases = as_list(raw.get("aliases"));
        let keys =
            nonempty(std::iter::once(fold_name(&name)).chain(aliases.iter().map(|a| fold_name(a))));
        entities.push(GoldEntity {
            idx,
            name,
            label,
            optional: raw.get("optional").and_then(Json::as_bool).unwrap_or(false),
            keys,
        });
    }
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for e in &entities {
        by_name.entry(fold_name(&e.name)).or_default().push(e.idx);
    }
    let mut pseudo: Vec<GoldEntity> = Vec::new();
    let mut read_rels =
        |key: &str, kind: &str, out: &mut Score| -> Result<Vec<GoldRelation>, IngestError> {
            let mut rels = Vec::new();
            for (idx, raw) in gold
                .get(key)
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let rel_type = raw
                    .get("type")
                    .and_then(Json::as_str)
                    .ok_or_else(|| bad(&format!("{kind} {idx} has no type")))?
                    .to_string();
                let mut r = GoldRelation {
                    idx,
                    rel_type,
                    sources: as_list(raw.get("source")),
                    targets: as_list(raw.get("target")),
                    optional: raw.get("optional").and_then(Json::as_bool).unwrap_or(false),
                    place: raw.get("place").and_then(Json::as_str).map(str::to_string),
                    date: raw.get("date").and_then(Json::as_str).map(str::to_string),
                    why: raw.get("why").and_then(Json::as_str).map(str::to_string),
                    src: Vec::new(),
                    tgt: Vec::new(),
                };
                if !REL_TYPES.contains(&r.rel_type.as_str()) {
                    out.warnings
                        .push(format!("{kind} {}: unknown type {}", r.label(), r.rel_type));
                }
                let rel_label = r.label();
                let mut resolve = |name: &str, out: &mut Score| -> Vec<usize> {
                    let key = fold_name(name);
                    if let Some(list) = by_name.get(&key) {
                        return list.clone();
                    }
                    let list: Vec<usize> = entities
                        .iter()
                        .filter(|e| e.keys.contains(&key))
                        .map(|e| e.idx)
                        .collect();
                    if !list.is_empty() {
                        return list;
                    }
                    out.warnings.push(format!(
                        "{kind} {rel_label}: name {name:?} is not a gold entity"
                    ));
                    let idx = entities.len() + pseudo.len();
                    pseudo.push(GoldEntity {
                        idx,
                        name: name.to_string(),
                        label: "*".into(),
                        optional: false,
                        keys: nonempty([key]),
                    });
                    vec![idx]
                };
                let src = r.sources.iter().map(|n| resolve(n, out)).collect();
                let tgt = r.targets.iter().map(|n| resolve(n, out)).collect();
                (r.src, r.tgt) = (src, tgt);
                rels.push(r);
            }
            Ok(rels)
        };
    let relations = read_rels("relations", "relation", &mut out)?;
    let absent = read_rels("absent", "absent", &mut out)?;
    let entity_at = |i: usize| -> &GoldEntity {
        if i < entities.len() {
            &entities[i]
        } else {
            &pseudo[i - entities.len()]
        }
    };

    // Nodes of the export.
    let nodes: Vec<ScoredNode> = export
        .get("nodes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|raw| {
            let props = raw.get("properties");
            let name = props
                .and_then(|p| p.get("name"))
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string();
            let aliases = as_list(props.and_then(|p| p.get("aliases")));
            ScoredNode {
                id: raw.get("id").and_then(Json::as_u64).unwrap_or(u64::MAX),
                labels: as_list(raw.get("labels")).into_iter().collect(),
                keys: nonempty(
                    std::iter::once(fold_name(&name)).chain(aliases.iter().map(|a| fold_name(a))),
                ),
                strong: nonempty([fold_name(&name)]),
                name,
            }
        })
        .collect();
    let node_by_id: HashMap<u64, usize> =
        nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let ent_nodes: Vec<usize> = (0..nodes.len())
        .filter(|&i| LABELS.iter().any(|l| nodes[i].labels.contains(*l)))
        .collect();

    // Entities: a maximum matching of nodes to required gold entities.
    let required: Vec<usize> = entities
        .iter()
        .filter(|e| !e.optional)
        .map(|e| e.idx)
        .collect();
    let mut cand_req: Vec<Vec<usize>> = Vec::new();
    let mut cand_opt: Vec<Vec<usize>> = Vec::new();
    for &ni in &ent_nodes {
        let n = &nodes[ni];
        let mut req: Vec<usize> = required
            .iter()
            .copied()
            .filter(|&e| n.matches(&entities[e]))
            .collect();
        req.sort_by_key(|&e| (usize::from(n.strong.is_disjoint(&entities[e].keys)), e));
        cand_req.push(req);
        cand_opt.push(
            entities
                .iter()
                .filter(|e| e.optional && n.matches(e))
                .map(|e| e.idx)
                .collect(),
        );
    }
    let mut order: Vec<usize> = (0..ent_nodes.len()).collect();
    order.sort_by_key(|&i| {
        let n = &nodes[ent_nodes[i]];
        let strong = cand_req[i]
            .iter()
            .any(|&e| !n.strong.is_disjoint(&entities[e].keys));
        (usize::from(!strong), i)
    });
    let assign = max_matching(&cand_req, &order);
    let mut tp = 0usize;
    let mut dup = 0usize;
    let mut fp = 0usize;
    for (i, &ni) in ent_nodes.iter().enumerate() {
        if assign.contains_key(&i) {
            tp += 1;
        } else if !cand_opt[i].is_empty() {
        } else if let Some(&e) = cand_req[i].first() {
            dup += 1;
            out.false_nodes.push(format!(
                "DUPLICATE {} of gold {}: {}",
                nodes[ni].show(),
                entities[e].label,
                entities[e].name
            ));
        } else {
            fp += 1;
            out.false_nodes.push(nodes[ni].show());
        }
    }
    let matched: BTreeSet<usize> = assign.values().copied().collect();
    out.missed_entities = required
        .iter()
        .filter(|e| !matched.contains(e))
        .map(|&e| format!("{}: {}", entities[e].label, entities[e].name))
        .collect();
    let denom = tp + dup + fp;
    let entity_p = if denom > 0 {
        tp as f64 / denom as f64
    } else {
        0.0
    };
    let entity_r = if required.is_empty() {
        1.0
    } else {
        matched.len() as f64 / required.len() as f64
    };

    // Relations: distinct (source, type, target) triples.
    let mut triples: BTreeMap<(u64, String, u64), Vec<&Json>> = BTreeMap::new();
    for raw in export
        .get("edges")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let t = raw.get("type").and_then(Json::as_str).unwrap_or("");
        if !REL_TYPES.contains(&t) {
            continue;
        }
        let (Some(s), Some(d)) = (
            raw.get("source").and_then(Json::as_u64),
            raw.get("target").and_then(Json::as_u64),
        ) else {
            continue;
        };
        if !node_by_id.contains_key(&s) || !node_by_id.contains_key(&d) {
            continue;
        }
        triples.entry((s, t.to_string(), d)).or_default().push(raw);
    }
    let node_matches_any = |n: &ScoredNode, lists: &[Vec<usize>]| {
        lists.iter().flatten().any(|&e| n.matches(entity_at(e)))
    };
    let rel_matches = |r: &GoldRelation, s: &ScoredNode, t: &ScoredNode, typ: &str| {
        if typ != r.rel_type {
            return false;
        }
        (node_matches_any(s, &r.src) && node_matches_any(t, &r.tgt))
            || (symmetric(typ) && node_matches_any(t, &r.src) && node_matches_any(s, &r.tgt))
    };
    let req_rels: Vec<&GoldRelation> = relations.iter().filter(|r| !r.optional).collect();
    let opt_rels: Vec<&GoldRelation> = relations.iter().filter(|r| r.optional).collect();
    let mut correct = 0usize;
    let mut absent_n = 0usize;
    let mut fp_t = 0usize;
    let mut found: BTreeMap<usize, Vec<&Json>> = BTreeMap::new();
    for ((s, typ, t), edges) in &triples {
        let sn = &nodes[node_by_id[s]];
        let tn = &nodes[node_by_id[t]];
        let show = format!("{:?} -[{typ}]-> {:?}", sn.name, tn.name);
        if let Some(a) = absent.iter().find(|a| rel_matches(a, sn, tn, typ)) {
            absent_n += 1;
            out.absent_hits.push(format!(
                "ABSENT {show}   (gold absent {}: {})",
                a.label(),
                a.why.clone().unwrap_or_default()
            ));
            continue;
        }
        let hits: Vec<&&GoldRelation> = req_rels
            .iter()
            .filter(|r| rel_matches(r, sn, tn, typ))
            .collect();
        if !hits.is_empty() {
            correct += 1;
            for r in hits {
                found
                    .entry(r.idx)
                    .or_default()
                    .extend(edges.iter().copied());
            }
            continue;
        }
        if opt_rels.iter().any(|r| rel_matches(r, sn, tn, typ)) {
            continue;
        }
        fp_t += 1;
        out.false_triples.push(show);
    }
    let rel_denom = correct + absent_n + fp_t;
    let rel_p = if rel_denom > 0 {
        correct as f64 / rel_denom as f64
    } else {
        0.0
    };
    let rel_r = if req_rels.is_empty() {
        1.0
    } else {
        found.len() as f64 / req_rels.len() as f64
    };
    out.missed_relations = req_rels
        .iter()
        .filter(|r| !found.contains_key(&r.idx))
        .map(|r| r.label())
        .collect();

    // Attributes.
    let mut attr_total = 0usize;
    let mut attr_ok = 0usize;
    for r in &req_rels {
        let Some(edges) = found.get(&r.idx) else {
            continue;
        };
        if r.place.is_none() && r.date.is_none() {
            continue;
        }
        attr_total += 1;
        let place_keys: Option<BTreeSet<String>> = r.place.as_ref().map(|p| {
            let mut keys = BTreeSet::from([fold_name(p)]);
            for e in &entities {
                if e.keys.contains(&fold_name(p)) {
                    keys.extend(e.keys.iter().cloned());
                }
            }
            keys
        });
        let good = edges.iter().any(|e| {
            let props = e.get("properties");
            let mut ok = true;
            if let Some(keys) = &place_keys {
                let vals: BTreeSet<String> = as_list(props.and_then(|p| p.get("place")))
                    .iter()
                    .map(|v| fold_name(v))
                    .collect();
                ok = !vals.is_disjoint(keys);
            }
            if ok && let Some(d) = &r.date {
                let vals: BTreeSet<String> = as_list(props.and_then(|p| p.get("date")))
                    .iter()
                    .map(|v| v.chars().take(10).collect())
                    .collect();
                ok = vals.contains(&d.chars().take(10).collect::<String>());
            }
            ok
        });
        if good {
            attr_ok += 1;
        } else {
            let got: Vec<String> = edges
                .iter()
                .map(|e| {
                    let p = e.get("properties");
                    format!(
                        "({}, {})",
                        p.and_then(|p| p.get("place"))
                            .map_or("None".into(), |v| v.to_string()),
                        p.and_then(|p| p.get("date"))
                            .map_or("None".into(), |v| v.to_string())
                    )
                })
                .collect();
            out.wrong_attributes.push(format!(
                "{}: want place={:?} date={:?}; got [{}]",
                r.label(),
                r.place,
                r.date,
                got.join(", ")
            ));
        }
    }
    out.entity_p = round4(entity_p);
    out.entity_r = round4(entity_r);
    out.entity_f1 = round4(f1(entity_p, entity_r));
    out.rel_p = round4(rel_p);
    out.rel_r = round4(rel_r);
    out.rel_f1 = round4(f1(rel_p, rel_r));
    out.attr_acc = (attr_total > 0).then(|| round4(attr_ok as f64 / attr_total as f64));
    out.summary_counts = format!(
        "entities matched {}/{} ({} nodes, {dup} duplicate, {fp} unmatched); relations found {}/{} ({correct} correct triples, {fp_t} unmatched, {absent_n} absent hits); attributes {attr_ok}/{attr_total}",
        matched.len(),
        required.len(),
        ent_nodes.len(),
        found.len(),
        req_rels.len()
    );
    Ok(out)
}

/// Kuhn's augmenting paths: node position -> gold entity, maximum cardinality.
fn max_matching(cands: &[Vec<usize>], order: &[usize]) -> HashMap<usize, usize> {
    let mut owner: HashMap<usize, usize> = HashMap::new();
    fn try_assign(
        ni: usize,
        cands: &[Vec<usize>],
        seen: &mut BTreeSet<usize>,
        owner: &mut HashMap<usize, usize>,
    ) -> bool {
        for &ei in &cands[ni] {
            if !seen.insert(ei) {
                continue;
            }
            let free = match owner.get(&ei).copied() {
                None => true,
                Some(other) => try_assign(other, cands, seen, owner),
            };
            if free {
                owner.insert(ei, ni);
                return true;
            }
        }
        false
    }
    for &ni in order {
        try_assign(ni, cands, &mut BTreeSet::new(), &mut owner);
    }
    owner.into_iter().map(|(e, n)| (n, e)).collect()
}

fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::String(s) => json!(s),
        Value::Temporal(t) => json!(t.iso()),
        Value::Duration(d) => json!(d.iso()),
        Value::List(items) => Json::Array(items.iter().map(value_json).collect()),
        Value::Map(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.to_string(), value_json(v)))
                .collect(),
        ),
    }
}

/// The graph in the JSON form of EXTRACTION.md: nodes (id, labels, properties) and edges
/// (id, type, source, target, properties), in id order.
pub fn export_json(graph: &Graph) -> Json {
    let nodes: Vec<Json> = graph
        .nodes()
        .map(|n| {
            json!({
                "id": n.id.0,
                "labels": n.labels.iter().map(|l| l.to_string()).collect::<Vec<_>>(),
                "properties": Json::Object(n.props.iter().map(|(k, v)| (k.to_string(), value_json(v))).collect()),
            })
        })
        .collect();
    let edges: Vec<Json> = graph
        .edges()
        .map(|e| {
            json!({
                "id": e.id.0,
                "type": e.rel_type.to_string(),
                "source": e.source.0,
                "target": e.target.0,
                "properties": Json::Object(e.props.iter().map(|(k, v)| (k.to_string(), value_json(v))).collect()),
            })
        })
        .collect();
    json!({"nodes": nodes, "edges": edges})
}

impl Score {
    /// The report a user reads: figures, then the lists.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "entities : P={:.4} R={:.4} F1={:.4}",
            self.entity_p, self.entity_r, self.entity_f1
        );
        let _ = writeln!(
            s,
            "relations: P={:.4} R={:.4} F1={:.4}",
            self.rel_p, self.rel_r, self.rel_f1
        );
        match self.attr_acc {
            Some(a) => {
                let _ = writeln!(s, "attributes: {a:.4}");
            }
            None => {
                let _ = writeln!(
                    s,
                    "attributes: n/a (no matched gold relation carries place or date)"
                );
            }
        }
        let _ = writeln!(s, "absent hits: {}", self.absent_hits.len());
        let _ = writeln!(s, "({})", self.summary_counts);
        let sections: [(&str, &Vec<String>); 6] = [
            ("missed gold entities", &self.missed_entities),
            ("missed gold relations", &self.missed_relations),
            ("false-positive nodes", &self.false_nodes),
            ("absent hits", &self.absent_hits),
            ("false-positive triples", &self.false_triples),
            ("wrong attributes", &self.wrong_attributes),
        ];
        for (title, items) in sections {
            let _ = writeln!(s, "\n-- {title}");
            for i in items {
                let _ = writeln!(s, "  {i}");
            }
        }
        s
    }
}
