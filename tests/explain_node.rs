//! `skein explain-node NAME` through the built binary: a node's names, articles and the
//! identity decisions recorded on it, and an analyst's `same_entities` and
//! `distinct_entities` in a `--rules` file changing what is merged.

mod common;

use common::{Dir, repo_root};

/// Ingests the identity case `rules_same_and_distinct`, with its rules file when `rules`.
fn ingest_case(dir: &Dir, rules: bool) {
    let case = repo_root().join("tests/data/identity/rules_same_and_distinct");
    let case_arg = case.display().to_string();
    let rules_arg = case.with_extension("rules.ron").display().to_string();
    let mut args = vec!["ingest", &case_arg, "-g", "g.ron", "--no-progress"];
    if rules {
        args.extend(["--rules", &rules_arg]);
    }
    dir.skein(&args).expect_code(0);
}

#[test]
fn a_node_merged_by_a_rules_file_says_which_rule_and_where() {
    let dir = Dir::new();
    ingest_case(&dir, true);
    let run = dir
        .skein(&["explain-node", "Walter Harland", "-g", "g.ron"])
        .expect_code(0)
        .expect_stdout("Person #")
        .expect_stdout("\"Walt Harland\"")
        .expect_stdout("a rules file says they are one (same_entities)")
        .expect_stdout("in b.txt");
    // One node answers for both names.
    assert_eq!(
        run.stdout().matches("Person #").count(),
        1,
        "{}",
        run.stdout()
    );
    // The nickname table would make Bob and Robert Kessler one; the rules keep them apart.
    let bob = dir
        .skein(&["explain-node", "Bob Kessler", "-g", "g.ron"])
        .expect_code(0);
    assert!(!bob.stdout().contains("Robert"), "{}", bob.stdout());
}

#[test]
fn without_the_rules_file_the_identity_rules_decide() {
    let dir = Dir::new();
    ingest_case(&dir, false);
    // Walt is no variant of Walter in the built-in table: two people.
    let walter = dir
        .skein(&["explain-node", "Walter Harland", "-g", "g.ron"])
        .expect_code(0);
    assert!(
        !walter.stdout().contains("Walt Harland\""),
        "{}",
        walter.stdout()
    );
    // Bob is Robert's nickname: one person, and the reason is recorded.
    dir.skein(&["explain-node", "Bob Kessler", "-g", "g.ron"])
        .expect_code(0)
        .expect_stdout("Robert Kessler")
        .expect_stdout("given names in one variant group");
}

#[test]
fn an_unknown_name_exits_1_and_suggests_near_names() {
    let dir = Dir::new();
    ingest_case(&dir, true);
    dir.skein(&["explain-node", "Kessler", "-g", "g.ron"])
        .expect_code(1)
        .expect_stderr("no node is named \"Kessler\"")
        .expect_stderr("did you mean");
    dir.skein(&["explain-node", "Nobody Atall", "-g", "g.ron"])
        .expect_code(1)
        .expect_stderr("no node is named");
}
