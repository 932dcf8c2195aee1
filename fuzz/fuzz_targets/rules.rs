//! Fuzzes a user's rules file (`--rules`): any text parses or fails with an error, and rules
//! that parse compile with the built-in ones and read a seed article without a panic. The
//! generated lexicons are replaced by the small test fixtures, so that a run stays fast.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use skein::ingest::extract_article;
use skein::ingest::lexicon::{GivenNamesFile, OrganizationsFile, RegionsFile, parse_ron};
use skein::ingest::rules::{Knowledge, RuleSet, builtin_rules, parse_rules};

static BUILTIN: LazyLock<RuleSet> =
    LazyLock::new(|| builtin_rules().expect("the built-in rules parse"));
static REGIONS: LazyLock<RegionsFile> = LazyLock::new(|| {
    parse_ron(
        include_str!("../../tests/fixtures/regions.ron"),
        "regions.ron",
    )
    .expect("the fixture parses")
});
static GIVEN: LazyLock<GivenNamesFile> = LazyLock::new(|| {
    parse_ron(
        include_str!("../../tests/fixtures/given_names.ron"),
        "given_names.ron",
    )
    .expect("the fixture parses")
});
const ARTICLE: &str = include_str!("../../seeds/000_b5815be27b7dbe10.txt");

fuzz_target!(
    init: {
        // Loads the built-in rules and the tagger and parser models once, before the first
        // input's one-second budget starts.
        let k = Knowledge::compile(
            BUILTIN.clone(),
            REGIONS.clone(),
            GIVEN.clone(),
            OrganizationsFile {
                organizations: Vec::new(),
            },
        );
        let _ = extract_article("warm-up", ARTICLE.as_bytes(), None, &k);
    },
    |data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let Ok(user) = parse_rules(text, "fuzz.ron") else {
            return;
        };
        let mut rules = BUILTIN.clone();
        rules.extend(user);
        // No organisation gazetteer: the rules file is what is fuzzed, and the full gazetteer
        // would make every run slow.
        let organizations = OrganizationsFile {
            organizations: Vec::new(),
        };
        let k = Knowledge::compile(rules, REGIONS.clone(), GIVEN.clone(), organizations);
        let _ = extract_article("fuzz", ARTICLE.as_bytes(), None, &k);
    }
);
