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
    let root = repo_root().join("tests/data");
    let cases = std::fs::read_to_string(root.join("relation_cases.txt"))
        .expect("tests/data/relation_cases.txt is here");
    let rules = root.join("relation_rules.ron");
    let rules = rules.to_str().expect("a UTF-8 path");
    let dir = Dir::new();
    let mut got = String::new();
    let mut n = 0;
    for line in cases.lines() {
        let sentence = line.trim();
        if sentence.is_empty() || sentence.starts_with('#') {
            continue;
        }
        n += 1;
        got.push_str(&format!("> {sentence}\n"));
        for f in facts(&dir, rules, sentence) {
            got.push_str(&format!("{f}\n"));
        }
        got.push('\n');
    }
    assert!(n >= 10, "the relation cases are missing");
    let expected_path = root.join("relation_cases.expected");
    if std::env::var_os("SKEIN_BLESS").is_some() {
        std::fs::write(&expected_path, &got).expect("write the expected file");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path)
        .expect("no relation_cases.expected; run SKEIN_BLESS=1 cargo test --test relation_cases");
    if got != expected {
        let diff: Vec<String> = expected
            .lines()
            .zip(got.lines())
            .filter(|(e, g)| e != g)
            .take(10)
            .map(|(e, g)| format!("expected: {e}\n     got: {g}"))
            .collect();
        panic!(
            "facts differ from tests/data/relation_cases.expected (SKEIN_BLESS=1 to accept):\n{}\n--- got\n{got}",
            diff.join("\n")
        );
    }
}
