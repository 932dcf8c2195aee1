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

/// Ingests `text` as the article `a.txt` into the graph `g.ron` of a fresh folder.
fn ingest_one(text: &str) -> (Dir, common::Run) {
    let dir = Dir::new();
    std::fs::write(dir.join("a.txt"), text).expect("write");
    let run = dir.skein(&["ingest", "a.txt", "-g", "g.ron"]);
    (dir, run)
}

/// The dates and origins of the edges of a graph, as CSV rows.
fn edge_rows(dir: &Dir) -> String {
    dir.skein(&[
        "query",
        "MATCH (a)-[r]->(b) RETURN a.name, type(r), b.name, r.date, r.origin, r.place ORDER BY a.name, type(r)",
        "-g",
        "g.ron",
        "--format",
        "csv",
    ])
    .expect_code(0)
    .stdout()
}

#[test]
fn a_dateline_gives_the_date_and_origin_when_there_is_no_header() {
    let dir = Dir::new();
    std::fs::write(
        dir.join("a.txt"),
        "ISRAEL SAYS TALKS GO ON\n\nJERUSALEM 1996-12-06\n\nIsraeli Prime Minister Benjamin Netanyahu met Egyptian presidential adviser Osama el-Baz.\n",
    )
    .expect("write");
    let run = dir
        .skein(&["ingest", "a.txt", "-g", "g.ron"])
        .expect_code(0);
    assert!(!run.stderr().contains("date"), "{}", run.stderr());
    let rows = edge_rows(&dir);
    assert!(
        rows.contains("Benjamin Netanyahu,MET_WITH,Osama el-Baz,1996-12-06,Jerusalem,"),
        "the dateline's date and origin, the particle kept, no place: {rows}"
    );
}

#[test]
fn a_header_date_wins_over_the_dateline() {
    let dir = Dir::new();
    std::fs::write(
        dir.join("a.txt"),
        " date 1996-12-07\n\nWASHINGTON (Reuters) - U.S. Secretary of State Warren Christopher met Israeli Foreign Minister David Levy.\n",
    )
    .expect("write");
    dir.skein(&["ingest", "a.txt", "-g", "g.ron"])
        .expect_code(0);
    let rows = edge_rows(&dir);
    assert!(
        rows.contains("Warren Christopher,MET_WITH,David Levy,1996-12-07,Washington,"),
        "{rows}"
    );
}

#[test]
fn an_impossible_dateline_date_is_a_warning_with_file_and_line() {
    let (dir, run) = ingest_one(
        "RUSSIA - YELTSIN MEETS LEBED\n\nMOSCOW 1996-02-30\n\nRussian President Boris Yeltsin met Alexander Lebed.\n",
    );
    run.expect_code(0)
        .expect_stderr("a.txt: line 3: the dateline date 1996-02-30 is not a day");
    assert!(edge_rows(&dir).contains("Boris Yeltsin,MET_WITH,Alexander Lebed,,Moscow,"));
}

#[test]
fn an_article_in_capitals_is_a_warning_with_file_and_line_and_keeps_its_facts() {
    let (dir, run) = ingest_one(
        "RUSSIA - YELTSIN MEETS LEBED\n\nMOSCOW 1996-08-22\n\nRUSSIAN PRESIDENT BORIS YELTSIN MET ALEXANDER LEBED IN THE KREMLIN ON THURSDAY.\n",
    );
    run.expect_code(0)
        .expect_stderr("a.txt: line 1: the article is written in capitals");
    // The names the lexicons confirm, the dateline's date and origin: nothing else is lost.
    let rows = edge_rows(&dir);
    assert!(
        rows.contains("Boris Yeltsin,MET_WITH,Alexander Lebed,1996-08-22,Moscow,"),
        "{rows}"
    );
}

#[test]
fn a_sports_report_yields_no_diplomatic_relations() {
    let dir = Dir::new();
    std::fs::write(
        dir.join("a.txt"),
        "CRICKET - ENGLAND HOST PAKISTAN\n\nLONDON 1996-08-22\n\nEngland hosted Pakistan at Lord's. Wasim Akram dismissed Michael Atherton for 12 and struck out the tail.\n",
    )
    .expect("write");
    dir.skein(&["ingest", "a.txt", "-g", "g.ron"])
        .expect_code(0);
    let rows = edge_rows(&dir);
    assert_eq!(rows.lines().count(), 1, "only the header row: {rows}");
}

#[test]
fn an_article_of_tables_warns_and_yields_nothing() {
    let dir = Dir::new();
    std::fs::write(
        dir.join("a.txt"),
        "GOLF - LEADING SCORES\n\nResults\n66 Ernie Els (South Africa) 33 33\n67 Nick Price (Zimbabwe) 34 33\n68 Greg Norman (Australia) 35 33\n",
    )
    .expect("write");
    dir.skein(&["ingest", "a.txt", "-g", "g.ron"])
        .expect_code(0)
        .expect_stderr("a.txt: line 1:")
        .expect_stderr("tables of results or prices");
    let nodes = dir
        .skein(&[
            "query",
            "MATCH (n) RETURN count(n) AS n",
            "-g",
            "g.ron",
            "--format",
            "csv",
        ])
        .expect_code(0)
        .stdout();
    assert_eq!(
        nodes.trim(),
        "n\n0",
        "tables, headline and section heads yield nothing"
    );
}

#[test]
fn a_compass_word_closing_a_headline_is_read_without_a_panic() {
    // "North" asks for a place after it, beyond the last word of the text.
    let (_dir, run) = ingest_one(" date 2025-06-04\nSeoul vows to talk to the North");
    run.expect_code(0);
}
