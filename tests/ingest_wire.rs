//! `skein ingest` on text as it comes: paths that do not exist, long lines without spaces,
//! headers and datelines whose dates are no day, wire copy (datelines, agency tags, headlines
//! in capitals, tables), each through the built binary.

mod common;

use common::Dir;

#[test]
fn a_missing_article_path_exits_1_and_writes_no_graph() {
    let dir = Dir::new();
    dir.skein(&["ingest", "typo.txt", "-g", "g.ron"])
        .expect_code(1)
        .expect_stderr("typo.txt");
    assert!(!dir.join("g.ron").exists(), "no graph file may be created");
}

#[test]
fn a_long_line_of_chinese_is_not_cut_inside_a_character() {
    let dir = Dir::new();
    // Three-byte characters and no ASCII space: a cut at 64 KiB would fall inside one.
    let line: String = "中文段落".repeat(30_000);
    std::fs::write(dir.join("zh.txt"), format!(" date 2025-01-02\n\n{line}\n")).expect("write");
    let run = dir
        .skein(&["ingest", "zh.txt", "-g", "g.ron"])
        .expect_code(0);
    assert!(
        !run.stderr().contains("UTF-8"),
        "valid text is reported as bad UTF-8: {}",
        run.stderr()
    );
}

#[test]
fn an_impossible_header_date_is_named_with_its_line() {
    let dir = Dir::new();
    std::fs::write(
        dir.join("a.txt"),
        " date 2025-02-30 Talks\n\nFrench President Emmanuel Macron met Olaf Scholz in Paris.\n",
    )
    .expect("write");
    let run = dir
        .skein(&["ingest", "a.txt", "-g", "g.ron"])
        .expect_code(0)
        .expect_stderr("a.txt: line 1: the header date 2025-02-30 is not a day");
    assert!(
        !run.stderr().contains("no ` date"),
        "an invalid header is not a missing one: {}",
        run.stderr()
    );
}
