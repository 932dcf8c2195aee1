//! The held-out corpora (other conflicts and negotiations; ordinary news) and the development
//! sets scored the same way as the seeds. Their misses (except dev2's, kept for measuring) were
//! studied by construction, and each rule added for one is
//! tested on sentences of its own (no held-out sentence or name is in any rule or list); the
//! floors below sit a little under the figures reached and guard against regressions, and the
//! figures are printed for the record (`--nocapture`).
//! The statistical baseline to beat on entities is in benches/ner_baseline.py (news entity
//! F1 0.777, held-out 0.808, with en_core_web_sm).

use std::path::PathBuf;

fn score(corpus: &str) -> Option<skein::ingest::eval::Score> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(corpus);
    let gold = std::fs::read_to_string(dir.join("gold.json")).ok()?;
    // Only the articles: the gold file beside them is no article, and reading it as one
    // would add its names as entities.
    let mut articles: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    articles.sort();
    let mut graph = skein::graph::Graph::new();
    skein::ingest::ingest_paths(&mut graph, &articles, &Default::default()).expect("ingests");
    Some(skein::ingest::eval::score(&gold, &graph).expect("scores"))
}

/// The floors a set's scores must keep; `None` where the set does not measure the figure.
struct Floors {
    entity_f1: f64,
    rel_f1: Option<f64>,
    rel_p: Option<f64>,
    attributes: Option<f64>,
    no_absent_hits: bool,
}

/// Scores the set under tests/data/`set` (skipped when it is not there), prints its figures
/// and checks them against `floors`.
fn check(set: &str, floors: Floors) {
    let Some(s) = score(set) else {
        eprintln!("tests/data/{set} is not here: skipped");
        return;
    };
    println!(
        "{set}: entities P={} R={} F1={}; relations P={} R={} F1={}; attributes {:?}; absent hits {}",
        s.entity_p,
        s.entity_r,
        s.entity_f1,
        s.rel_p,
        s.rel_r,
        s.rel_f1,
        s.attr_acc,
        s.absent_hits.len()
    );
    assert!(
        s.entity_f1 >= floors.entity_f1,
        "entity F1 regressed: {}",
        s.render()
    );
    if let Some(f) = floors.rel_f1 {
        assert!(s.rel_f1 >= f, "relation F1 regressed: {}", s.render());
    }
    if let Some(p) = floors.rel_p {
        assert!(s.rel_p >= p, "relation precision regressed: {}", s.render());
    }
    if let Some(a) = floors.attributes {
        let attr = s.attr_acc.unwrap_or(0.0);
        assert!(attr >= a, "attribute accuracy regressed: {}", s.render());
    }
    if floors.no_absent_hits {
        assert!(s.absent_hits.is_empty(), "absent hits: {}", s.render());
    }
}

#[test]
fn heldout_conflicts_and_negotiations() {
    check(
        "heldout",
        Floors {
            entity_f1: 0.93,
            rel_f1: Some(0.79),
            rel_p: None,
            attributes: Some(0.96),
            no_absent_hits: false,
        },
    );
}

#[test]
fn ordinary_news_entities() {
    check(
        "news",
        Floors {
            entity_f1: 0.89,
            rel_f1: None,
            rel_p: None,
            attributes: None,
            no_absent_hits: false,
        },
    );
}

/// The development set (tests/data/dev): short reports of 2024-2025 diplomacy, conflict,
/// politics and business, paraphrased in our own words and committed with their gold before
/// any rule was tuned on them. Its misses are studied by construction like the held-out ones.
#[test]
fn dev_reports() {
    check(
        "dev",
        Floors {
            entity_f1: 0.96,
            rel_f1: Some(0.84),
            rel_p: Some(0.92),
            attributes: None,
            no_absent_hits: true,
        },
    );
}

/// The second development set (tests/data/dev2): eight short reports of 2024-2025 events,
/// paraphrased in our own words and committed with their gold before any rule was tuned.
/// It is kept for measuring: its misses are not studied, so its figure stays an honest
/// estimate of how the rules do on news nobody tuned for (main scored relations P=0.875
/// R=0.700 F1=0.778 on it when it was written; 0.909/0.750/0.822 once answers to unaddressed
/// proposals, tree-read receptions and LEADS from "leads" were added).
#[test]
fn dev2_reports() {
    check(
        "dev2",
        Floors {
            entity_f1: 0.95,
            rel_f1: Some(0.80),
            rel_p: Some(0.89),
            attributes: None,
            no_absent_hits: true,
        },
    );
}

/// The third development set (tests/data/dev3), a study set: sixteen reports of 2025 events
/// written as wire copy (appositions, relative and participle clauses, quotes, group
/// references, passives with agents, hedged and denied events) and committed with their gold
/// before any rule was run or tuned on them. Its misses and false positives may be studied.
/// Main (with the fix for the panic its first headline found) scored relations P=0.742
/// R=0.576 F1=0.649 and entities F1=0.915 on it when it was written, with 4 absent hits.
#[test]
fn dev3_reports() {
    check(
        "dev3",
        Floors {
            entity_f1: 0.90,
            rel_f1: Some(0.63),
            rel_p: Some(0.72),
            attributes: None,
            no_absent_hits: false,
        },
    );
}
