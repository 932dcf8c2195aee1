//! Which facts a sentence gives, case by case: `tests/data/relation_cases.txt` lists sentences
//! (one a line; `#` starts a comment), and `relation_cases.expected` beside it the facts
//! `skein parse` reports for each, with the rule that read it (a tree pattern's rule name
//! records the arcs it followed). The cases run with the user rules of
//! `tests/data/relation_rules.ron`, which add a relation type and a tree pattern of their own,
//! as a `--rules` file would. `SKEIN_BLESS=1` rewrites the expected file; review the diff,
//! since it is the judgement of what is right.

mod common;

use common::{Dir, repo_root};

/// The fact lines `skein parse` prints for one sentence, without the evidence lines.
fn facts(dir: &Dir, rules: &str, sentence: &str) -> Vec<String> {
    let out = dir
        .skein(&["parse", "--rules", rules, sentence])
        .expect_code(0)
        .stdout();
    out.lines()
        .skip_while(|l| l.trim() != "facts:")
        .skip(1)
        .filter(|l| !l.trim_start().starts_with("from:"))
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn sentences_give_their_expected_facts() {
    let rules = repo_root().join("tests/data/relation_rules.ron");
    let rules = rules.to_str().expect("a UTF-8 path");
    let dir = Dir::new();
    common::check_cases("relation_cases", "relation_cases", |sentence| {
        facts(&dir, rules, sentence)
    });
}
