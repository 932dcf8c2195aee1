//! `skein ingest` through the built binary: bad input is warned about by file and the rest
//! is still ingested; a second reading changes nothing; user rules extend extraction.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Run {
    out: Output,
    cmd: String,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn dump(&self) -> String {
        format!(
            "{} -> {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.cmd,
            self.out.status,
            self.stdout(),
            self.stderr()
        )
    }
    fn ok(self) -> Self {
        assert!(self.out.status.success(), "{}", self.dump());
        self
    }
}

fn skein(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the skein binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().expect("skein ends");
    Run {
        out,
        cmd: format!("skein {} (in {})", args.join(" "), dir.display()),
    }
}

const ARTICLE: &str = " date 2025-03-02 Talks in Geneva\n\nGerman Chancellor Olaf Scholz and French President Emmanuel Macron held talks in Geneva on Friday.\n\nScholz later criticised Iran.\n";

fn write(path: PathBuf, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn bad_files_are_warned_about_and_the_rest_is_ingested() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(d.join("in/good.txt"), ARTICLE.as_bytes());
    write(
        d.join("in/binary.bin"),
        b"\x7fELF\x00\x00\x01\x02 some bytes\x00",
    );
    write(d.join("in/empty.txt"), b"");
    write(
        d.join("in/gold.json"),
        br#"{"entities": [{"name": "Nobody Here"}]}"#,
    );
    write(
        d.join("in/latin1.txt"),
        b" date 2025-03-02\n\nThe mayor of Z\xfcrich met John Carter in Berlin.\n",
    );
    write(
        d.join("in/sub/noheader.txt"),
        b"Israeli Prime Minister Anna Levi met Emmanuel Macron in Paris.\n",
    );
    let run = skein(
        d,
        &["ingest", "in", "-g", "g.ron", "--date", "2025-01-01"],
        None,
    )
    .ok();
    let err = run.stderr();
    assert!(
        err.contains("binary.bin") && err.contains("binary file"),
        "{}",
        run.dump()
    );
    assert!(
        err.contains("empty.txt") && err.contains("empty"),
        "{}",
        run.dump()
    );
    assert!(
        err.contains("gold.json") && err.contains("not an article"),
        "{}",
        run.dump()
    );
    assert!(
        err.contains("latin1.txt: line 3: not valid UTF-8"),
        "{}",
        run.dump()
    );
    assert!(
        err.contains("sub/noheader.txt: no ` date YYYY-MM-DD` header; using --date 2025-01-01"),
        "{}",
        run.dump()
    );
    assert!(run.stdout().starts_with("3 articles:"), "{}", run.dump());
    let graph = skein::graph::load(&d.join("g.ron")).expect("graph saved");
    assert!(!graph.find_by_name(Some("Person"), "Olaf Scholz").is_empty());
    assert!(!graph.find_by_name(Some("Person"), "Anna Levi").is_empty());
    assert!(graph.find_by_name(None, "Nobody Here").is_empty());
}

#[test]
fn reading_an_article_twice_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(d.join("a.txt"), ARTICLE.as_bytes());
    let first = skein(d, &["ingest", "a.txt", "-g", "g.ron"], None).ok();
    assert!(first.stdout().contains("edges ("), "{}", first.dump());
    let before = std::fs::read(d.join("g.ron")).expect("graph");
    let second = skein(d, &["ingest", "a.txt", "-g", "g.ron"], None).ok();
    assert!(
        second.stdout().contains("(0 new,") && second.stdout().contains("edges (0 new"),
        "{}",
        second.dump()
    );
    let after = std::fs::read(d.join("g.ron")).expect("graph");
    assert!(before == after, "the graph changed on a second reading");
}

/// A graph's node count and its edges by node names, sorted.
fn shape(g: &skein::graph::Graph) -> (usize, Vec<String>) {
    let mut edges: Vec<String> = g
        .edges()
        .map(|e| {
            let name = |id| g.node(id).and_then(|n| n.name()).unwrap_or("?").to_string();
            format!("{} {} {}", name(e.source), e.rel_type, name(e.target))
        })
        .collect();
    edges.sort();
    (g.node_count(), edges)
}

#[test]
fn one_at_a_time_gives_the_same_graph_as_all_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(d.join("in/1.txt"), ARTICLE.as_bytes());
    write(
        d.join("in/2.txt"),
        b" date 2025-03-05\n\nMacron praised Scholz. Israel and Iran accused each other of lying.\n",
    );
    skein(d, &["ingest", "in", "-g", "all.ron"], None).ok();
    skein(d, &["ingest", "in/1.txt", "-g", "one.ron"], None).ok();
    skein(d, &["ingest", "in/2.txt", "-g", "one.ron"], None).ok();
    let all = skein::graph::load(&d.join("all.ron")).expect("graph");
    let one = skein::graph::load(&d.join("one.ron")).expect("graph");
    assert_eq!(shape(&all), shape(&one));
    assert!(
        shape(&all)
            .1
            .iter()
            .any(|e| e == "Emmanuel Macron PRAISED Olaf Scholz"),
        "{:?}",
        shape(&all)
    );
}

/// A name many countries' bodies share ("House of Representatives") joins only a node
/// named in an article about the same country; the graph keeps that country, so articles
/// ingested into it later join as they would have in the same run.
#[test]
fn a_name_many_countries_share_joins_across_runs_as_in_one() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/identity/body_name_many_countries_share");
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let files = ["a_wellington.txt", "b_washington.txt", "c_washington.txt"];
    for f in files {
        write(
            d.join("in").join(f),
            &std::fs::read(case.join(f)).expect("case"),
        );
    }
    skein(d, &["ingest", "in", "-g", "all.ron"], None).ok();
    for f in files {
        skein(d, &["ingest", &format!("in/{f}"), "-g", "one.ron"], None).ok();
    }
    let all = skein::graph::load(&d.join("all.ron")).expect("graph");
    let one = skein::graph::load(&d.join("one.ron")).expect("graph");
    assert_eq!(shape(&all), shape(&one));
    let houses = |g: &skein::graph::Graph| {
        let mut countries: Vec<String> = g
            .find_by_name(Some("Organization"), "House of Representatives")
            .into_iter()
            .filter_map(|id| g.node(id)?.props.get("country")?.as_str().map(String::from))
            .collect();
        countries.sort();
        countries
    };
    assert_eq!(houses(&one), ["New Zealand", "United States"]);
    assert_eq!(houses(&all), houses(&one));
}

#[test]
fn stdin_is_an_article() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = skein(dir.path(), &["ingest", "-", "-g", "g.ron"], Some(ARTICLE)).ok();
    assert!(run.stdout().starts_with("1 article:"), "{}", run.dump());
}

#[test]
fn a_long_line_is_read_in_bounded_pieces() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let sentence = "German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris. ";
    let mut text = String::from(" date 2025-03-02\n\n");
    while text.len() < 2_000_000 {
        text.push_str(sentence);
    }
    write(d.join("long.txt"), text.as_bytes());
    let run = skein(d, &["ingest", "long.txt", "-g", "g.ron"], None).ok();
    assert!(run.stdout().starts_with("1 article:"), "{}", run.dump());
    let graph = skein::graph::load(&d.join("g.ron")).expect("graph");
    assert_eq!(
        graph.type_count("MET_WITH"),
        1,
        "one fact read many times is one edge"
    );
}

#[test]
fn ten_thousand_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    for i in 0..10_000 {
        let text = format!(
            " date 2025-03-02\n\nGerman Chancellor Olaf Scholz met John Doe{i} in Berlin.\n"
        );
        write(
            d.join(format!("many/{:02}/{i:05}.txt", i % 100)),
            text.as_bytes(),
        );
    }
    let run = skein(d, &["ingest", "many", "-g", "g.ron"], None).ok();
    assert!(
        run.stdout().starts_with("10000 articles:"),
        "{}",
        run.dump()
    );
}

#[test]
fn user_rules_add_entities_and_relation_types() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let rules = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/rules-business.ron");
    write(
        d.join("biz.txt"),
        b" date 2025-06-01\n\nAlphabet Inc. acquired Wiz Therapeutics on Monday. Acme Bancorp CFO Jane Roe said the deal was good.\n",
    );
    skein(
        d,
        &[
            "ingest",
            "biz.txt",
            "-g",
            "g.ron",
            "--rules",
            rules.to_str().unwrap(),
        ],
        None,
    )
    .ok();
    let g = skein::graph::load(&d.join("g.ron")).expect("graph");
    let names: Vec<String> = g
        .edges()
        .map(|e| {
            let name = |id| g.node(id).and_then(|n| n.name()).unwrap_or("?").to_string();
            format!(
                "{} {} {} {:?}",
                name(e.source),
                e.rel_type,
                name(e.target),
                e.props.get("date")
            )
        })
        .collect();
    assert!(
        names.iter().any(
            |n| n.starts_with("Alphabet ACQUIRED Wiz Therapeutics") && n.contains("2025-05-26")
        ),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("Jane Roe REPRESENTS Acme Bancorp")),
        "{names:?}"
    );
}

#[test]
fn a_broken_rules_file_names_its_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(d.join("a.txt"), ARTICLE.as_bytes());
    write(
        d.join("bad.ron"),
        b"(\n  relations: [(type: \"X\", verbz: [])],\n)\n",
    );
    let run = skein(d, &["ingest", "a.txt", "--rules", "bad.ron"], None);
    assert_eq!(run.out.status.code(), Some(1), "{}", run.dump());
    assert!(run.stderr().contains("bad.ron:2:"), "{}", run.dump());
    assert!(
        !d.join("skein.ron").exists(),
        "no graph is written after an error"
    );
}
