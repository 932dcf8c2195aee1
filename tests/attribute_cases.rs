//! The date and the place each event carries, case by case: `tests/data/attribute_cases.txt`
//! lists sentences, each after the date of its article (`YYYY-MM-DD | sentence`), and
//! `attribute_cases.expected` beside it the events `skein parse` reads from the sentence with
//! their date and place (no date printed: the article's date applies). Standing facts (titles,
//! a region's country) carry neither and are left out, and so is the rule that read a fact:
//! the relation cases show rules. `SKEIN_BLESS=1` rewrites the expected file; review the diff,
//! since it is the judgement of what is right.

mod common;

use common::Dir;

const STANDING: [&str; 3] = ["-[LEADS]->", "-[REPRESENTS]->", "-[LOCATED_IN]->"];

/// The events `skein parse` reads from one case, each with its date and place.
fn events(dir: &Dir, case: &str) -> Vec<String> {
    let (date, sentence) = case
        .split_once('|')
        .unwrap_or_else(|| panic!("a case reads `YYYY-MM-DD | sentence`: {case}"));
    let article = format!(" date {}\n{}\n", date.trim(), sentence.trim());
    let out = dir.skein(&["parse", &article]).expect_code(0).stdout();
    out.lines()
        .skip_while(|l| l.trim() != "facts:")
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.starts_with("from:") && !STANDING.iter().any(|s| l.contains(s)))
        .map(|l| {
            l.split("  ")
                .filter(|part| !part.starts_with("rule "))
                .collect::<Vec<_>>()
                .join("  ")
        })
        .collect()
}

#[test]
fn events_carry_their_date_and_place() {
    let dir = Dir::new();
    common::check_cases("attribute_cases", "attribute_cases", |case| {
        events(&dir, case)
    });
}
