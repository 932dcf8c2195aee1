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

#[test]
fn heldout_conflicts_and_negotiations() {
    let Some(s) = score("heldout") else {
        eprintln!("tests/data/heldout is not here: skipped");
        return;
    };
    println!(
        "held-out: entities P={} R={} F1={}; relations P={} R={} F1={}; attributes {:?}; absent hits {}",
        s.entity_p,
        s.entity_r,
        s.entity_f1,
        s.rel_p,
        s.rel_r,
        s.rel_f1,
        s.attr_acc,
        s.absent_hits.len()
    );
    assert!(s.entity_f1 >= 0.92, "entity F1 regressed: {}", s.render());
    assert!(s.rel_f1 >= 0.79, "relation F1 regressed: {}", s.render());
    let attr = s.attr_acc.unwrap_or(0.0);
    assert!(attr >= 0.96, "attribute accuracy regressed: {}", s.render());
}

#[test]
fn ordinary_news_entities() {
    let Some(s) = score("news") else {
        eprintln!("tests/data/news is not here: skipped");
        return;
    };
    println!(
        "news: entities P={} R={} F1={}",
        s.entity_p, s.entity_r, s.entity_f1
    );
    assert!(s.entity_f1 >= 0.87, "entity F1 regressed: {}", s.render());
}

/// The development set (tests/data/dev): short reports of 2024-2025 diplomacy, conflict,
/// politics and business, paraphrased in our own words and committed with their gold before
/// any rule was tuned on them. Its misses are studied by construction like the held-out ones.
#[test]
fn dev_reports() {
    let Some(s) = score("dev") else {
        eprintln!("tests/data/dev is not here: skipped");
        return;
    };
    println!(
        "dev: entities P={} R={} F1={}; relations P={} R={} F1={}; absent hits {}",
        s.entity_p,
        s.entity_r,
        s.entity_f1,
        s.rel_p,
        s.rel_r,
        s.rel_f1,
        s.absent_hits.len()
    );
    assert!(s.entity_f1 >= 0.92, "entity F1 regressed: {}", s.render());
    assert!(s.rel_f1 >= 0.79, "relation F1 regressed: {}", s.render());
    assert!(
        s.rel_p >= 0.87,
        "relation precision regressed: {}",
        s.render()
    );
    assert!(s.absent_hits.is_empty(), "absent hits: {}", s.render());
}

/// The second development set (tests/data/dev2): eight short reports of 2024-2025 events,
/// paraphrased in our own words and committed with their gold before any rule was tuned.
/// It is kept for measuring: its misses are not studied, so its figure stays an honest
/// estimate of how the rules do on news nobody tuned for (main scored relations P=0.875
/// R=0.700 F1=0.778 on it when it was written).
#[test]
fn dev2_reports() {
    let Some(s) = score("dev2") else {
        eprintln!("tests/data/dev2 is not here: skipped");
        return;
    };
    println!(
        "dev2: entities P={} R={} F1={}; relations P={} R={} F1={}; absent hits {}",
        s.entity_p,
        s.entity_r,
        s.entity_f1,
        s.rel_p,
        s.rel_r,
        s.rel_f1,
        s.absent_hits.len()
    );
    assert!(s.entity_f1 >= 0.95, "entity F1 regressed: {}", s.render());
    assert!(s.rel_f1 >= 0.76, "relation F1 regressed: {}", s.render());
    assert!(
        s.rel_p >= 0.85,
        "relation precision regressed: {}",
        s.render()
    );
    assert!(s.absent_hits.is_empty(), "absent hits: {}", s.render());
}
