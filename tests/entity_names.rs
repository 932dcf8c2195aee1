//! Which names a sentence holds and what each is, case by case: `tests/data/entity_names.txt`
//! lists sentences (one a line; `#` starts a comment), and `entity_names.expected` beside it
//! the mentions `skein parse` reports for each (the span, its label and the entity it
//! resolved to). `SKEIN_BLESS=1` rewrites the expected file; review the diff, since it is
//! the judgement of what is right.

mod common;

use common::{Dir, repo_root};

/// The mention lines `skein parse` prints for one sentence.
fn mentions(dir: &Dir, sentence: &str) -> Vec<String> {
    let out = dir.skein(&["parse", sentence]).expect_code(0).stdout();
    out.lines()
        .skip_while(|l| l.trim() != "mentions:")
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(|l| {
            // "    1-3 \"Colonel Ivan Petrov\" (name) -> Person \"Ivan Petrov\"": the
            // token numbers say nothing a reader of the file needs.
            let l = l.trim();
            l.split_once(' ').map_or(l, |(_, rest)| rest).to_string()
        })
        .collect()
}

#[test]
fn sentences_give_their_expected_entities() {
    let root = repo_root().join("tests/data");
    let cases = std::fs::read_to_string(root.join("entity_names.txt"))
        .expect("tests/data/entity_names.txt is here");
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
        for m in mentions(&dir, sentence) {
            got.push_str(&format!("{m}\n"));
        }
        got.push('\n');
    }
    assert!(n >= 10, "the entity cases are missing");
    common::check_blessed(&root.join("entity_names.expected"), &got, "entity_names");
}
