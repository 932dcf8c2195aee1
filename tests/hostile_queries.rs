//! Queries written to freeze or exhaust skein (issue 16): each must end quickly with a clear
//! error or a result, never hang, abort or eat the machine's memory.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use skein::graph::{self, Graph};
use tempfile::TempDir;

/// What a bounded run of `skein query` did.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// An empty graph file in a fresh directory.
fn empty_graph() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    graph::save(&Graph::new(), &dir.path().join("g.ron")).expect("save");
    dir
}

/// The address space every run gets (`ulimit -v`, in KiB): a query that tries to take all
/// memory aborts under it instead of slowing the machine, and the test sees the abort.
const ADDRESS_SPACE_KIB: u64 = 2_500_000;

/// Runs `skein query TEXT` with extra arguments under `ADDRESS_SPACE_KIB`, killing it after
/// `deadline` so that a regression fails the test instead of hanging it.
fn query_within(dir: &TempDir, text: &str, extra: &[&str], deadline: Duration) -> Outcome {
    let mut args = vec!["query", text, "-g", "g.ron"];
    args.extend_from_slice(extra);
    skein_within(dir, &args, deadline)
}

/// Runs skein with `args` under `ADDRESS_SPACE_KIB`, killing it after `deadline`.
fn skein_within(dir: &TempDir, args: &[&str], deadline: Duration) -> Outcome {
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {ADDRESS_SPACE_KIB}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_skein"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("SKEIN_GRAPH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("skein starts");
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let outcome = Outcome {
        code: status.and_then(|s| s.code()),
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
        elapsed,
    };
    let shown: String = format!("{args:?}").chars().take(200).collect();
    eprintln!(
        "$ skein {shown}\n--- exit {:?} after {:?}\n--- stdout\n{}\n--- stderr\n{}",
        outcome.code,
        outcome.elapsed,
        outcome.stdout.chars().take(2000).collect::<String>(),
        outcome.stderr.chars().take(2000).collect::<String>()
    );
    assert!(
        status.is_some(),
        "skein did not finish within {deadline:?} (killed)"
    );
    outcome
}

/// Asserts that `text` is refused as a syntax error (exit 1) within the deadline.
fn refused_quickly(dir: &TempDir, text: &str) -> Outcome {
    let out = query_within(dir, text, &[], Duration::from_secs(5));
    assert_eq!(out.code, Some(1), "exit code");
    assert!(
        out.stderr.contains("SyntaxError") || out.stderr.contains("LimitExceeded"),
        "a clear error"
    );
    out
}

#[test]
fn unclosed_subscripts_do_not_make_the_parser_exponential() {
    let dir = empty_graph();
    // 22 levels took 40 s before the index and slice rules were merged.
    let out = refused_quickly(&dir, &format!("RETURN {}", "a[".repeat(40)));
    assert!(
        out.stderr.contains("SyntaxError"),
        "a syntax error, not a limit"
    );
}

#[test]
fn unclosed_node_property_lists_do_not_make_the_parser_exponential() {
    let dir = empty_graph();
    // 16 levels ran past 30 s before pattern predicates looked ahead for their arrow.
    let out = refused_quickly(&dir, &format!("MATCH {}", "(a {b: [".repeat(40)));
    assert!(
        out.stderr.contains("SyntaxError"),
        "a syntax error, not a limit"
    );
}

#[test]
fn other_unclosed_nestings_do_not_make_the_parser_exponential() {
    let dir = empty_graph();
    for shape in [
        "[x IN ",
        "all(x IN ",
        "(a {b: ",
        "{a: ",
        "CASE WHEN ",
        "[(a)-->(b) | ",
        "f(",
        "a{b: ",
        "exists((a {b: ",
        "[a[1..",
        "(",
        "[",
    ] {
        let out = refused_quickly(&dir, &format!("RETURN {}", shape.repeat(40)));
        assert!(
            out.stderr.contains("SyntaxError"),
            "{shape:?}: a syntax error, not a limit"
        );
    }
}

#[test]
fn the_forms_the_grammar_was_factored_for_still_parse() {
    let dir = empty_graph();
    let out = query_within(
        &dir,
        "WITH [1, 2, 3] AS l, 1 AS x \
         RETURN l[1] AS i, l[1..] AS a, l[..2] AS b, l[0..2] AS c, l[..] AS d, \
         [x IN l] AS comp, [x IN l, 7] AS lit, [x IN l | x * 2] AS m, \
         all(x IN l WHERE x > 0) AS q",
        &["--format", "json"],
        Duration::from_secs(20),
    );
    assert_eq!(out.code, Some(0), "the query runs");
    for needle in [
        r#""i": 2"#,
        r#""a": [2,3]"#,
        r#""b": [1,2]"#,
        r#""c": [1,2]"#,
        r#""d": [1,2,3]"#,
        r#""comp": [1,2,3]"#,
        r#""lit": [true,7]"#,
        r#""m": [2,4,6]"#,
        r#""q": true"#,
    ] {
        assert!(out.stdout.contains(needle), "stdout lacks {needle}");
    }
}

#[test]
fn the_smallest_integer_modulo_minus_one_is_zero() {
    let dir = empty_graph();
    let out = query_within(
        &dir,
        "RETURN -9223372036854775808 % -1 AS r",
        &["--format", "csv"],
        Duration::from_secs(20),
    );
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout.lines().nth(1), Some("0"));
}

#[test]
fn an_error_in_a_huge_line_shows_only_a_window_around_the_caret() {
    let dir = empty_graph();
    // A command-line argument holds at most 128 KiB on Linux.
    let text = format!("RETURN '{}' +", "x".repeat(100_000));
    let out = query_within(&dir, &text, &[], Duration::from_secs(20));
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("SyntaxError"));
    assert!(
        out.stderr.len() < 1000,
        "{} bytes of error",
        out.stderr.len()
    );
}

/// Asserts that `text` stops with the memory limit's error (exit 1, no abort).
fn refused_for_memory(dir: &TempDir, text: &str, limit: &str) {
    let out = query_within(dir, text, &["--max-memory", limit], Duration::from_secs(60));
    assert_eq!(out.code, Some(1), "exit code (134 is an abort)");
    assert!(out.stderr.contains("LimitExceeded"), "the limit's error");
    let unit_at = limit
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(limit.len());
    let (number, unit) = limit.split_at(unit_at);
    assert!(
        out.stderr
            .contains(&format!("memory limit of {number} {unit}"))
    );
    assert!(out.stderr.contains("--max-memory"), "says how to raise it");
}

#[test]
fn a_list_of_huge_lists_stops_at_the_memory_limit() {
    let dir = empty_graph();
    refused_for_memory(
        &dir,
        "RETURN size([x IN range(1,9999999) | range(1,9999999)])",
        "64MiB",
    );
    // Each element is small; the list is refused while it is built.
    refused_for_memory(
        &dir,
        "RETURN size([x IN range(1,100000) | range(1,1000)])",
        "64MiB",
    );
    refused_for_memory(
        &dir,
        "RETURN size([range(1,1000000), range(1,1000000)])",
        "64MiB",
    );
}

#[test]
fn a_statement_of_many_megabytes_is_refused_before_it_is_parsed() {
    let dir = empty_graph();
    let items: Vec<String> = (0..400_000).map(|i| format!("1 AS a{i}")).collect();
    std::fs::write(
        dir.path().join("items.cypher"),
        format!("RETURN {};\n", items.join(", ")),
    )
    .unwrap();
    let out = skein_within(
        &dir,
        &["run", "items.cypher", "-g", "g.ron"],
        Duration::from_secs(60),
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr.contains("over the 4 MiB one statement may be"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("--param"),
        "says what to do: {}",
        out.stderr
    );
}

#[test]
fn a_value_made_while_a_list_is_built_counts_what_the_list_holds_already() {
    let dir = empty_graph();
    // Two kept lists of a million integers (about 46 MiB each) and a third made only to be
    // measured: the third is refused before it is built, since the first two are held.
    refused_for_memory(
        &dir,
        "RETURN size([x IN range(1,3) | CASE WHEN x < 3 THEN range(1,1000000) \
         ELSE size(range(1,1000000)) END]) AS n",
        "128MiB",
    );
    // Under a limit that holds all three, the same list is answered.
    let out = query_within(
        &dir,
        "RETURN size([x IN range(1,3) | CASE WHEN x < 3 THEN range(1,1000000) \
         ELSE size(range(1,1000000)) END]) AS n",
        &["--max-memory", "256MiB"],
        Duration::from_secs(60),
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn nested_string_replacements_stop_at_the_memory_limit() {
    let dir = empty_graph();
    let mut text = "'aaaaaaaaaa'".to_string();
    for _ in 0..10 {
        text = format!("replace({text}, 'a', 'aaaaaaaaaa')");
    }
    refused_for_memory(&dir, &format!("RETURN {text} AS s"), "64MiB");
    // An empty pattern matches between every two characters.
    let text = format!(
        "RETURN replace('abcdefghij', '', '{}') AS s",
        "x".repeat(128)
    );
    refused_for_memory(&dir, &text, "1KiB");
}

#[test]
fn a_list_doubled_again_and_again_stops_at_the_memory_limit() {
    let dir = empty_graph();
    let mut text = "WITH range(1, 1000) AS l".to_string();
    for _ in 0..30 {
        text.push_str(" WITH l + l AS l");
    }
    refused_for_memory(&dir, &format!("{text} RETURN size(l)"), "64MiB");
}

#[test]
fn rows_share_a_list_instead_of_copying_it() {
    let dir = empty_graph();
    // Copied into each of the 1,000 rows, the list would take 48 GB.
    let out = query_within(
        &dir,
        "WITH range(1,1000000) AS l UNWIND range(1,1000) AS i RETURN count(*) AS n",
        &["--format", "csv"],
        Duration::from_secs(60),
    );
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout.lines().nth(1), Some("1000"));
}

#[test]
fn a_long_plus_chain_is_planned_without_copying_it_at_every_level() {
    let dir = empty_graph();
    // Each level copied the tree below it: 3.5 s and 330 MB in a release build before.
    let text = format!("RETURN 1{} AS n", " + 1".repeat(1998));
    let out = query_within(&dir, &text, &["--format", "csv"], Duration::from_secs(5));
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout.lines().nth(1), Some("1999"));
}

#[test]
fn many_projection_items_are_planned_in_linear_time() {
    let dir = empty_graph();
    // Each alias was compared with every earlier one: 20,000 took 25 s in a debug build.
    let items: Vec<String> = (0..20_000).map(|i| format!("{i} AS c{i}")).collect();
    std::fs::write(
        dir.path().join("wide.cypher"),
        format!("RETURN {};\n", items.join(", ")),
    )
    .expect("write the script");
    let out = skein_within(
        &dir,
        &["run", "wide.cypher", "-g", "g.ron", "--format", "csv"],
        Duration::from_secs(15),
    );
    assert_eq!(out.code, Some(0));
    assert!(out.stdout.starts_with("c0,c1,c2,"));
}

/// Rows are held to the memory budget as a whole, not only each value: the rows between
/// steps, those an ORDER BY or DISTINCT keeps and the groups of an aggregation.
#[test]
fn rows_held_between_steps_and_for_sorting_stop_at_the_memory_limit() {
    let dir = empty_graph();
    // A million small rows, each value tiny.
    refused_for_memory(
        &dir,
        "UNWIND range(1,1000) AS x UNWIND range(1,1000) AS y RETURN count(*) AS n",
        "64MiB",
    );
    refused_for_memory(
        &dir,
        "UNWIND range(1,400000) AS i RETURN i ORDER BY i DESC LIMIT 1",
        "64MiB",
    );
    refused_for_memory(
        &dir,
        "UNWIND range(1,1000) AS x UNWIND range(1,1000) AS y RETURN DISTINCT x, y",
        "64MiB",
    );
    // The same queries fit a budget that holds them.
    let out = query_within(
        &dir,
        "UNWIND range(1,1000) AS x UNWIND range(1,100) AS y RETURN count(*) AS n",
        &["--format", "csv", "--max-memory", "64MiB"],
        Duration::from_secs(60),
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout.lines().nth(1), Some("100000"));
}

/// A cartesian product of a graph's nodes sorted by name holds every combination: it stops
/// at the budget instead of taking the machine's memory.
#[test]
fn a_sorted_cartesian_product_stops_at_the_memory_limit() {
    let dir = empty_graph();
    let made = query_within(
        &dir,
        "UNWIND range(1,200) AS i CREATE (:N {name: 'node ' + toString(i)})",
        &[],
        Duration::from_secs(60),
    );
    assert_eq!(made.code, Some(0), "{}", made.stderr);
    refused_for_memory(
        &dir,
        "MATCH (a),(b),(c) RETURN a, b, c ORDER BY a.name",
        "64MiB",
    );
}
