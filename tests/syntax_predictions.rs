//! The tagger's and parser's decisions, word by word, on 252 sentences of the news articles
//! in `tests/data/news` (as skein's tokeniser cuts them): `tests/data/syntax_predictions.expected`
//! holds each sentence (`> ` and its words) and, a line a word, the word, its UPOS and XPOS
//! tags, its head (0 for the root) and its label. A change meant to make the models faster
//! must leave every line as it is; a retrained model changes them, and `SKEIN_BLESS=1`
//! rewrites the file (review the diff and the `skein parse --eval` figures).

use std::fmt::Write;
use std::path::PathBuf;

fn predictions(words: &[&str]) -> String {
    let tree = skein::syntax::parse(words).expect("the embedded model loads");
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        let head = tree.head(i).map_or(0, |h| h + 1);
        let _ = writeln!(
            out,
            "{w} {} {} {head} {}",
            tree.upos(i),
            tree.xpos(i),
            tree.label(i)
        );
    }
    out
}

#[test]
fn every_tag_head_and_label_is_as_expected() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/syntax_predictions.expected");
    let expected =
        std::fs::read_to_string(&path).expect("tests/data/syntax_predictions.expected is here");
    let mut got = String::new();
    let mut n = 0;
    for line in expected.lines() {
        if let Some(sentence) = line.strip_prefix("> ") {
            let words: Vec<&str> = sentence.split(' ').collect();
            let _ = writeln!(got, "> {sentence}");
            got.push_str(&predictions(&words));
            got.push('\n');
            n += 1;
        }
    }
    assert!(n >= 200, "the sentences are missing");
    if std::env::var_os("SKEIN_BLESS").is_some() {
        std::fs::write(&path, &got).expect("write the expected file");
        return;
    }
    let want: Vec<&str> = expected.lines().collect();
    let have: Vec<&str> = got.lines().collect();
    let diff: Vec<String> = want
        .iter()
        .zip(&have)
        .filter(|(e, g)| e != g)
        .take(10)
        .map(|(e, g)| format!("expected: {e}\n     got: {g}"))
        .collect();
    assert!(
        diff.is_empty() && want.len() == have.len(),
        "predictions differ from tests/data/syntax_predictions.expected (SKEIN_BLESS=1 to accept):\n{}",
        diff.join("\n")
    );
}
