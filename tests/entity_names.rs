//! Which names a sentence holds and what each is, case by case: `tests/data/entity_names.txt`
//! lists sentences (one a line; `#` starts a comment), and `entity_names.expected` beside it
//! the mentions `skein parse` reports for each (the span, its label and the entity it
//! resolved to). `SKEIN_BLESS=1` rewrites the expected file; review the diff, since it is
//! the judgement of what is right.

mod common;

use common::Dir;

/// The mention lines `skein parse` prints for one sentence.
fn mentions(dir: &Dir, sentence: &str) -> Vec<String> {
    let out = dir.skein(&["parse", sentence]).expect_code(0).stdout();
    // Every sentence's block: a short form in a later sentence is a case too.
    let mut in_block = false;
    out.lines()
        .filter(|l| {
            if l.trim() == "mentions:" {
                in_block = true;
                return false;
            }
            in_block &= l.starts_with("    ");
            in_block
        })
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
    let dir = Dir::new();
    common::check_cases("entity_names", "entity_names", |sentence| {
        mentions(&dir, sentence)
    });
}
