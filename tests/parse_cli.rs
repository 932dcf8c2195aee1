//! `skein parse`: the tree, mentions and facts it shows for a sentence, and `--eval`'s
//! scores on a hand-written fixture and, when the UD treebanks are present, on EWT test.

mod common;

use common::{Dir, repo_root};

/// The figure printed on the line that starts with `name` (`UAS  84.10%`).
fn figure(stdout: &str, name: &str) -> f64 {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|rest| rest.trim().trim_end_matches('%').parse().ok())
        .unwrap_or_else(|| panic!("no {name} figure in:\n{stdout}"))
}

#[test]
fn eval_scores_the_hand_written_fixture() {
    let fixture = repo_root().join("tests/fixtures/syntax/four-sentences.conllu.txt");
    let run = Dir::new()
        .skein(&["parse", "--eval", fixture.to_str().expect("a UTF-8 path")])
        .expect_code(0)
        .expect_stdout("4 sentences, 27 words");
    let out = run.stdout();
    // Short, plain sentences: a working model gets nearly all of them; a broken one (or
    // one whose features no longer match its weights) falls far below.
    assert!(figure(&out, "UPOS") >= 85.0, "{out}");
    assert!(figure(&out, "UAS") >= 80.0, "{out}");
    assert!(figure(&out, "LAS ") >= 75.0, "{out}");
}

#[test]
fn eval_on_ud_english_ewt_test_meets_the_floors() {
    let ud = std::env::var_os("SKEIN_UD")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/ud"));
    let test = ud.join("en_ewt-ud-test.conllu");
    if !test.exists() {
        eprintln!(
            "{} is not here (set SKEIN_UD to the UD folder): skipped",
            test.display()
        );
        return;
    }
    let run = Dir::new()
        .skein(&["parse", "--eval", test.to_str().expect("a UTF-8 path")])
        .expect_code(0);
    let out = run.stdout();
    println!("{out}");
    assert!(figure(&out, "UPOS") >= 94.5, "{out}");
    assert!(figure(&out, "UAS") >= 83.0, "{out}");
    assert!(figure(&out, "LAS ") >= 79.0, "{out}");
}

#[test]
fn a_malformed_conllu_file_is_the_users_error_with_its_line() {
    let dir = Dir::new();
    std::fs::write(
        dir.join("bad.conllu"),
        "# text = Hi.\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n2\t.\t.\n",
    )
    .expect("writes");
    dir.skein(&["parse", "--eval", "bad.conllu"])
        .expect_code(1)
        .expect_stderr("bad.conllu:3: expected 10 tab-separated columns, found 3");
}

#[test]
fn parse_needs_a_sentence_a_file_or_eval() {
    Dir::new().skein(&["parse"]).expect_code(1);
}

#[test]
fn a_sentence_shows_its_tree_mentions_and_facts() {
    let run = Dir::new()
        .skein(&[
            "parse",
            "The Russian president met Xi Jinping in Beijing. Vladimir Putin met Xi Jinping in Beijing.",
        ])
        .expect_code(0)
        .expect_stdout("sentence 1: The Russian president met Xi Jinping in Beijing .")
        .expect_stdout("facts:");
    let out = run.stdout();
    // The first sentence's table: the verb is the root, "president" its subject, Xi its
    // object and Beijing an oblique.
    let row = |word: &str| {
        out.lines()
            .find(|l| l.split_whitespace().nth(1) == Some(word))
            .unwrap_or_else(|| panic!("no row for {word} in:\n{out}"))
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("met")[5], "root", "{out}");
    assert_eq!(row("president")[4], row("met")[0], "{out}");
    assert_eq!(row("president")[5], "nsubj", "{out}");
    assert_eq!(row("Xi")[5], "obj", "{out}");
    assert_eq!(row("Beijing")[5], "obl", "{out}");
    assert!(out.contains("\"Vladimir Putin\" (name) -> Person"), "{out}");
    assert!(
        out.contains("-[MET_WITH]-> Xi Jinping  rule MET_WITH:verb"),
        "{out}"
    );
}

#[test]
fn a_file_is_read_as_an_article() {
    let dir = Dir::new();
    std::fs::write(
        dir.join("a.txt"),
        " date 2025-03-01\n\nThe minister met the envoy in Doha. She left.\n",
    )
    .expect("writes");
    dir.skein(&["parse", "--file", "a.txt"])
        .expect_code(0)
        .expect_stdout("sentence 1: The minister met the envoy in Doha .")
        .expect_stdout("sentence 2: She left .");
}
