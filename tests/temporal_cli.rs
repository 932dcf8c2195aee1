//! Temporal values through the `skein` binary: a graph saved before temporal values moved
//! onto jiff still loads, reads and saves, and named time zones print as openCypher says.

mod common;

use common::{Dir, repo_root};

/// Runs `query` on the graph file `graph` in `dir` and returns the CSV output.
fn csv(dir: &Dir, graph: &str, query: &str) -> String {
    dir.skein(&["query", "-g", graph, "--format", "csv", query])
        .expect_code(0)
        .stdout()
}

/// `tests/data/graphs/temporal-v1.ron` was written by skein before jiff (its dates and
/// times were hand-written calendar code): a year printed as `-44`, a fraction as `.5`.
#[test]
fn a_graph_saved_before_jiff_still_loads_and_saves() {
    let dir = Dir::new();
    let old = repo_root().join("tests/data/graphs/temporal-v1.ron");
    std::fs::copy(&old, dir.join("g.ron")).expect("the old graph file copies");
    let out = csv(
        &dir,
        "g.ron",
        "MATCH (m:Meeting) RETURN m.on, m.ancient, m.at, m.starts, m.local, m.zoned, \
         m.lasted, m.both, m.zoned.offset, m.on.weekDay",
    );
    assert_eq!(
        out,
        "m.on,m.ancient,m.at,m.starts,m.local,m.zoned,m.lasted,m.both,m.zoned.offset,m.on.weekDay\n\
         2025-04-11,-0044-03-15,12:31:14.645876123,10:35-08:00,2025-04-11T09:30,\
         2025-04-11T09:30:15.500+02:00,P1Y2M3DT4H5M6.5S,\"[\"\"2025-03-18\"\", \"\"PT1H30M\"\"]\",+02:00,5\n"
    );
    // A change saves the graph again, now with a named zone, and it loads back.
    std::fs::write(
        dir.join("set.cypher"),
        "MATCH (m:Meeting) SET m.next = datetime('2025-10-26T02:30[Europe/Stockholm]');\n",
    )
    .expect("the script is written");
    dir.skein(&["run", "-g", "g.ron", "set.cypher"])
        .expect_code(0);
    // Saves are binary; the readable RON form is what `export -f ron` writes.
    dir.skein(&["export", "-f", "ron", "-o", "text.ron", "-g", "g.ron"])
        .expect_code(0);
    let saved = std::fs::read_to_string(dir.join("text.ron")).expect("the graph exports as RON");
    assert!(
        saved.contains(r#""ancient": {"$date": "-0044-03-15"}"#),
        "{saved}"
    );
    let out = csv(
        &dir,
        "g.ron",
        "MATCH (m:Meeting) RETURN m.next, m.next.timezone, m.on < date('2025-04-12')",
    );
    // 02:30 comes twice that night; the earlier offset is taken, as Neo4j does.
    assert_eq!(
        out,
        "m.next,m.next.timezone,m.on < date('2025-04-12')\n\
         2025-10-26T02:30+02:00[Europe/Stockholm],Europe/Stockholm,true\n"
    );
}

#[test]
fn an_unknown_time_zone_is_the_users_error_with_a_hint() {
    let dir = Dir::new();
    let old = repo_root().join("tests/data/graphs/temporal-v1.ron");
    std::fs::copy(&old, dir.join("g.ron")).expect("the old graph file copies");
    dir.skein(&[
        "query",
        "-g",
        "g.ron",
        "RETURN datetime({year: 2025, timezone: 'Europe/Atlantis'})",
    ])
    .expect_code(1)
    .expect_stderr("Europe/Stockholm");
}
