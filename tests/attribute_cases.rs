//! The date and the place each event carries, case by case: `tests/data/attribute_cases.txt`
//! lists sentences, each after the date of its article (`YYYY-MM-DD | sentence`), and
//! `attribute_cases.expected` beside it the events `skein parse` reads from the sentence with
//! their date and place (no date printed: the article's date applies). Standing facts (titles,
//! a region's country) carry neither and are left out, and so is the rule that read a fact:
//! the relation cases show rules. `SKEIN_BLESS=1` rewrites the expected file; review the diff,
//! since it is the judgement of what is right.
//!
//! A case may end in what it wants (`=> MET_WITH date 2025-04-08 place Vienna`, one want per
//! event of interest, separated by `;`; no date means the article's, no place none): the type
//! and the exact date and place one of its events must carry. The share of wants met is the
//! attribute accuracy of these cases; a want missed is written under its case in the expected
//! file (`missed: ...`), and the share may not fall under `FLOOR`.

mod common;

use common::Dir;

const STANDING: [&str; 3] = ["-[LEADS]->", "-[REPRESENTS]->", "-[LOCATED_IN]->"];

/// The least share of wants met (raise it as the reading improves, never lower it).
const FLOOR: f64 = 0.9;

/// An event line as a want reads it: "Otto Brandt -[MET_WITH]-> Alma Varga  date 2025-04-08
/// place Vienna" gives "MET_WITH date 2025-04-08 place Vienna".
fn as_want(event: &str) -> Option<String> {
    let (_, rest) = event.split_once("-[")?;
    let (kind, rest) = rest.split_once("]->")?;
    let attributes = rest.trim().split("  ").skip(1);
    let words: Vec<&str> = std::iter::once(kind)
        .chain(attributes)
        .flat_map(str::split_whitespace)
        .collect();
    Some(words.join(" "))
}

/// The events `skein parse` reads from one case, each with its date and place.
fn events(dir: &Dir, case: &str) -> Vec<String> {
    let case = case.split_once("=>").map_or(case, |(text, _)| text);
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
    let (mut met, mut wanted) = (0usize, 0usize);
    let mut missed = Vec::new();
    common::check_cases("attribute_cases", "attribute_cases", |case| {
        let mut lines = events(&dir, case);
        let got: Vec<String> = lines.iter().filter_map(|l| as_want(l)).collect();
        let wants = case.split_once("=>").map_or("", |(_, w)| w);
        for want in wants.split(';').filter(|w| !w.trim().is_empty()) {
            let want = want.split_whitespace().collect::<Vec<_>>().join(" ");
            wanted += 1;
            if got.contains(&want) {
                met += 1;
            } else {
                lines.push(format!("missed: {want}"));
                missed.push(format!("{case}\n  missed: {want}"));
            }
        }
        lines
    });
    assert!(wanted >= 40, "the cases want too little: {wanted}");
    let share = met as f64 / wanted as f64;
    eprintln!("attribute cases: {met}/{wanted} ({share:.3})");
    assert!(
        share >= FLOOR,
        "attribute cases: {met}/{wanted} ({share:.3}) under the floor {FLOOR}:\n{}",
        missed.join("\n")
    );
}
