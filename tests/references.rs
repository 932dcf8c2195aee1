//! What references stand for, case by case: `tests/data/references.txt` lists short texts
//! (one a line; `#` starts a comment) holding pronouns, descriptions ("the company", "the
//! South American country") and reciprocals, and `references.expected` beside it what
//! `skein parse` reports for each: every reference with the entity it resolved to (or
//! "unresolved"), then the facts read. `SKEIN_BLESS=1` rewrites the expected file; review
//! the diff, since it is the judgement of what is right.

mod common;

use common::Dir;

/// The reference lines and the facts `skein parse` prints for one text.
fn references(dir: &Dir, text: &str) -> Vec<String> {
    let out = dir.skein(&["parse", text]).expect_code(0).stdout();
    let mut lines = Vec::new();
    let mut in_facts = false;
    for l in out.lines() {
        if l.trim() == "facts:" {
            in_facts = true;
            continue;
        }
        let t = l.trim();
        if in_facts {
            // "  A -[TYPE]-> B  rule TYPE:construction": the ends and the type are the
            // judgement; which rule found it is not.
            if l.starts_with("  ") && !l.starts_with("    ") {
                lines.push(t.split("  rule ").next().unwrap_or(t).to_string());
            }
        } else if ["(pronoun)", "(description)", "(group)"]
            .iter()
            .any(|k| t.contains(k))
        {
            // "    3-4 \"the company\" (description) -> Organization \"X\"": the token
            // numbers say nothing a reader of the file needs.
            // An unresolved reference is listed under "unresolved:" without an arrow.
            let rest = t.split_once(' ').map_or(t, |(_, rest)| rest);
            if rest.contains(" -> ") {
                lines.push(rest.to_string());
            } else {
                lines.push(format!("{rest} -> unresolved"));
            }
        }
    }
    lines
}

#[test]
fn references_resolve_to_their_expected_antecedents() {
    let dir = Dir::new();
    common::check_cases("references", "references", |text| references(&dir, text));
}
