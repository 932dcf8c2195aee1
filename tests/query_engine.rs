//! Library-level tests of the query engine: tables of (setup, query, expected rows or
//! expected error) run through one `check` helper.

use skein::graph::Graph;
use skein::query::{ErrorKind, QueryOptions, QueryValue, execute};

/// What a query should give: rows printed in openCypher literal notation, in order (or
/// sorted, for queries without ORDER BY), or an error kind and detail code.
enum Expect<'a> {
    Rows(&'a [&'a str]),
    Sorted(&'a [&'a str]),
    Error(ErrorKind, &'a str),
}

fn run_all(graph: &mut Graph, setup: &str) {
    for q in setup.split(";;").map(str::trim).filter(|q| !q.is_empty()) {
        if let Err(e) = execute(graph, q, &QueryOptions::default()) {
            panic!("setup query failed: {q}\n{}", e.render("setup", q, 0));
        }
    }
}

fn show_row(row: &[QueryValue]) -> String {
    row.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" | ")
}

fn check(setup: &str, query: &str, expect: Expect<'_>) {
    let mut graph = Graph::new();
    run_all(&mut graph, setup);
    let result = execute(&mut graph, query, &QueryOptions::default());
    match (expect, result) {
        (Expect::Rows(want), Ok(r)) => {
            let got: Vec<String> = r.rows.iter().map(|row| show_row(row)).collect();
            assert_eq!(got, want, "query: {query}");
        }
        (Expect::Sorted(want), Ok(r)) => {
            let mut got: Vec<String> = r.rows.iter().map(|row| show_row(row)).collect();
            got.sort();
            let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(got, want, "query: {query}");
        }
        (Expect::Error(kind, detail), Err(e)) => {
            assert_eq!((e.kind, e.detail), (kind, detail), "query: {query}: {e}");
        }
        (Expect::Error(kind, detail), Ok(r)) => {
            panic!(
                "query: {query}: expected {kind:?} {detail}, got rows {:?}",
                r.rows
            )
        }
        (_, Err(e)) => panic!("query failed: {query}\n{}", e.render("query", query, 0)),
    }
}

const PEOPLE: &str = "
CREATE (a:Person {name: 'Alice', age: 38}), (b:Person {name: 'Bob', age: 25}),
       (c:Person {name: 'Carol', age: 51}), (o:Organization {name: 'Acme'}),
       (a)-[:MET_WITH {date: '2025-01-02'}]->(b), (b)-[:MET_WITH]->(c),
       (a)-[:LEADS]->(o), (c)-[:CRITICIZED]->(o)
";

#[test]
fn reading_clauses() {
    let cases: &[(&str, &str, Expect<'_>)] = &[
        (
            PEOPLE,
            "MATCH (n:Person) RETURN n.name ORDER BY n.name",
            Expect::Rows(&["'Alice'", "'Bob'", "'Carol'"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person {name: 'Bob'}) RETURN n.age",
            Expect::Rows(&["25"]),
        ),
        (
            PEOPLE,
            "MATCH (a)-[:MET_WITH]->(b) RETURN a.name, b.name",
            Expect::Sorted(&["'Alice' | 'Bob'", "'Bob' | 'Carol'"]),
        ),
        (
            PEOPLE,
            "MATCH (a)<-[:MET_WITH]-(b) RETURN a.name, b.name",
            Expect::Sorted(&["'Bob' | 'Alice'", "'Carol' | 'Bob'"]),
        ),
        (
            PEOPLE,
            "MATCH (a {name: 'Bob'})-[:MET_WITH]-(b) RETURN b.name",
            Expect::Sorted(&["'Alice'", "'Carol'"]),
        ),
        (
            PEOPLE,
            "MATCH (a:Person)-[:MET_WITH*1..2]->(b) RETURN a.name, b.name",
            Expect::Sorted(&["'Alice' | 'Bob'", "'Alice' | 'Carol'", "'Bob' | 'Carol'"]),
        ),
        (
            PEOPLE,
            "MATCH (a)-[r:LEADS|CRITICIZED]->(o) RETURN type(r), a.name",
            Expect::Sorted(&["'CRITICIZED' | 'Carol'", "'LEADS' | 'Alice'"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person) WHERE n.age > 30 RETURN count(*) AS c",
            Expect::Rows(&["2"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person) OPTIONAL MATCH (n)-[:LEADS]->(o) RETURN n.name, o.name ORDER BY n.name",
            Expect::Rows(&["'Alice' | 'Acme'", "'Bob' | null", "'Carol' | null"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person) WITH n ORDER BY n.age DESC LIMIT 2 RETURN collect(n.name) AS names",
            Expect::Rows(&["['Carol', 'Alice']"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person) RETURN n.name SKIP 1 LIMIT 1",
            Expect::Rows(&["'Bob'"]),
        ),
        (
            PEOPLE,
            "UNWIND [3, 1, 2] AS x RETURN x ORDER BY x",
            Expect::Rows(&["1", "2", "3"]),
        ),
        (
            PEOPLE,
            "MATCH p = (:Person {name: 'Alice'})-[:MET_WITH*]->(:Person {name: 'Carol'}) RETURN length(p)",
            Expect::Rows(&["2"]),
        ),
        (
            PEOPLE,
            "MATCH (a:Person {name: 'Alice'}), (c:Person {name: 'Carol'}) MATCH p = shortestPath((a)-[*]-(c)) RETURN length(p)",
            Expect::Rows(&["2"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person) RETURN n.name AS name UNION MATCH (o:Organization) RETURN o.name AS name",
            Expect::Sorted(&["'Alice'", "'Bob'", "'Carol'", "'Acme'"]),
        ),
        (
            PEOPLE,
            "UNWIND [1, 1, 2] AS x RETURN x UNION ALL UNWIND [1] AS x RETURN x",
            Expect::Sorted(&["1", "1", "2", "1"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person) RETURN DISTINCT size(n.name) AS len ORDER BY len",
            Expect::Rows(&["3", "5"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person) RETURN n {.name, adult: n.age > 30} AS m ORDER BY n.name LIMIT 1",
            Expect::Rows(&["{adult: true, name: 'Alice'}"]),
        ),
        (
            PEOPLE,
            "MATCH (a)-[r]->(b) RETURN count(r) AS c, size(collect(DISTINCT type(r))) AS types",
            Expect::Rows(&["4 | 3"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person) WHERE (n)-[:LEADS]->() RETURN n.name",
            Expect::Rows(&["'Alice'"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person) WHERE NOT (n)-[:MET_WITH]->() RETURN n.name",
            Expect::Rows(&["'Carol'"]),
        ),
        (
            PEOPLE,
            "MATCH (n) WHERE n.name STARTS WITH 'A' RETURN n.name ORDER BY n.name",
            Expect::Rows(&["'Acme'", "'Alice'"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person) RETURN avg(n.age) AS a, min(n.age), max(n.age), sum(n.age)",
            Expect::Rows(&["38.0 | 25 | 51 | 114"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person) WITH n.age > 30 AS old, count(*) AS c RETURN old, c ORDER BY old",
            Expect::Rows(&["false | 1", "true | 2"]),
        ),
        (
            PEOPLE,
            "MATCH (a)-[r]->(b) RETURN a.name, b.name, r.date ORDER BY r.date IS NULL, a.name LIMIT 1",
            Expect::Rows(&["'Alice' | 'Bob' | '2025-01-02'"]),
        ),
    ];
    for (setup, query, expect) in cases {
        check(setup, query, clone_expect(expect));
    }
}

#[test]
fn writing_clauses() {
    let cases: &[(&str, &str, Expect<'_>)] = &[
        (
            "",
            "CREATE (n:Person {name: 'Dan'}) RETURN n",
            Expect::Rows(&["(:Person {name: 'Dan'})"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person {name: 'Bob'}) SET n.age = n.age + 1, n:Adult RETURN n.age, labels(n)",
            Expect::Rows(&["26 | ['Person', 'Adult']"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person {name: 'Bob'}) REMOVE n.age RETURN n",
            Expect::Rows(&["(:Person {name: 'Bob'})"]),
        ),
        (
            PEOPLE,
            "MERGE (n:Person {name: 'Bob'}) ON MATCH SET n.seen = true ON CREATE SET n.seen = false RETURN n.seen",
            Expect::Rows(&["true"]),
        ),
        (
            PEOPLE,
            "MERGE (n:Person {name: 'Eve'}) ON MATCH SET n.seen = true ON CREATE SET n.seen = false RETURN n.seen",
            Expect::Rows(&["false"]),
        ),
        (
            "",
            "UNWIND [1, 1, 2] AS x MERGE (n:N {v: x}) RETURN count(*) AS rows",
            Expect::Rows(&["3"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person {name: 'Alice'}) DETACH DELETE n RETURN 1 AS done",
            Expect::Rows(&["1"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person {name: 'Alice'}) DELETE n",
            Expect::Error(
                ErrorKind::ConstraintVerificationFailed,
                "DeleteConnectedNode",
            ),
        ),
        (
            PEOPLE,
            "MATCH (a {name: 'Alice'}), (c {name: 'Carol'}) CREATE (a)-[r:PRAISED {on: 'x'}]->(c) RETURN type(r), r.on",
            Expect::Rows(&["'PRAISED' | 'x'"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person {name: 'Bob'}) SET n += {age: 30, city: 'Oslo'} RETURN n.age, n.city",
            Expect::Rows(&["30 | 'Oslo'"]),
        ),
        (
            PEOPLE,
            "MATCH (n:Person {name: 'Bob'}) SET n = {name: 'Robert'} RETURN n",
            Expect::Rows(&["(:Person {name: 'Robert'})"]),
        ),
    ];
    for (setup, query, expect) in cases {
        check(setup, query, clone_expect(expect));
    }
}

#[test]
fn errors_name_kind_and_detail() {
    use ErrorKind::*;
    let cases: &[(&str, &str, Expect<'_>)] = &[
        (
            "",
            "MATCH (n) RETURN m",
            Expect::Error(SyntaxError, "UndefinedVariable"),
        ),
        (
            "",
            "MATCH (n) WHERE count(n) > 1 RETURN n",
            Expect::Error(SyntaxError, "InvalidAggregation"),
        ),
        (
            "",
            "RETURN count(count(1))",
            Expect::Error(SyntaxError, "NestedAggregation"),
        ),
        (
            "",
            "MATCH (n) RETRUN n",
            Expect::Error(SyntaxError, "UnexpectedSyntax"),
        ),
        (
            "",
            "WITH 1 + 1 RETURN 1",
            Expect::Error(SyntaxError, "NoExpressionAlias"),
        ),
        (
            "",
            "RETURN 1 AS a UNION RETURN 2 AS b",
            Expect::Error(SyntaxError, "DifferentColumnsInUnion"),
        ),
        (
            "",
            "CREATE (a)-[:T]-(b)",
            Expect::Error(SyntaxError, "RequiresDirectedRelationship"),
        ),
        (
            "",
            "RETURN 9223372036854775807 + 1",
            Expect::Error(ArgumentError, "IntegerOverflow"),
        ),
        (
            "",
            "RETURN $missing",
            Expect::Error(ParameterMissing, "MissingParameter"),
        ),
        (
            "",
            "RETURN nosuch(1)",
            Expect::Error(SyntaxError, "UnknownFunction"),
        ),
        (
            "",
            "MATCH (a)-[r]->()-[r]->() RETURN r",
            Expect::Error(SyntaxError, "RelationshipUniquenessViolation"),
        ),
        (
            "",
            "MATCH (a)-[r]->(a) MATCH (r) RETURN r",
            Expect::Error(SyntaxError, "VariableTypeConflict"),
        ),
        (
            "",
            "RETURN 'a' + true",
            Expect::Error(TypeError, "InvalidArgumentType"),
        ),
        (
            "",
            "RETURN [1][\'a\']",
            Expect::Error(TypeError, "InvalidArgumentType"),
        ),
    ];
    for (setup, query, expect) in cases {
        check(setup, query, clone_expect(expect));
    }
}

#[test]
fn a_failed_write_leaves_the_graph_unchanged() {
    let mut graph = Graph::new();
    run_all(&mut graph, PEOPLE);
    let before = graph.clone();
    let err = execute(
        &mut graph,
        "MATCH (n:Person) SET n.touched = true WITH n CREATE (:Log {of: n.name}) WITH 1 AS x RETURN 1 / 0",
        &QueryOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ArgumentError);
    assert!(
        graph == before,
        "the graph changed although the query failed"
    );
}

#[test]
fn a_failed_query_after_deletes_creates_and_sets_is_undone_exactly() {
    let mut graph = Graph::new();
    run_all(
        &mut graph,
        &format!("{PEOPLE};; MATCH (b:Person {{name: 'Bob'}}) SET b:Employee:Person:Manager"),
    );
    let before = graph.clone();
    // Deletes a node with its edges, renames (the name index), removes a property, removes
    // a label from the middle of the label list, adds one, creates a node and an edge with a
    // temporal property, then fails.
    let err = execute(
        &mut graph,
        "MATCH (a:Person {name: 'Alice'}) DETACH DELETE a \
         WITH 1 AS one MATCH (b:Person {name: 'Bob'})-[r:MET_WITH]->(c) \
         SET b.name = 'Robert', b.age = null, b:Renamed, r.date = date('2025-04-11') \
         REMOVE b:Employee \
         CREATE (b)-[:LEADS {since: date('2020-01-01')}]->(:Organization {name: 'New'}) \
         DELETE r \
         WITH b RETURN 1 / 0",
        &QueryOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ArgumentError);
    graph.check_consistency().unwrap();
    assert!(
        graph == before,
        "the graph changed although the query failed:\n{graph:?}\nbefore:\n{before:?}"
    );
    assert_eq!(
        graph.find_by_name(None, "Bob").len(),
        1,
        "Bob is found by name again"
    );
    assert!(graph.find_by_name(None, "Robert").is_empty());
}

#[test]
fn syntax_errors_point_at_the_fault_in_plain_words() {
    let text = "MATCH (n:Person)\nWHERE n.name = 'x'\nRETRUN n";
    let err = execute(&mut Graph::new(), text, &QueryOptions::default()).unwrap_err();
    let shown = err.render("query", text, 0);
    assert!(
        shown.starts_with("query:3:1: SyntaxError: expected "),
        "{shown}"
    );
    assert!(shown.contains("found 'RETRUN'"), "{shown}");
    assert!(!shown.contains("op_"), "rule names leaked: {shown}");
    assert!(shown.ends_with("3 | RETRUN n\n    ^"), "{shown}");
    let err = execute(
        &mut Graph::new(),
        "MATCH RETURN 1",
        &QueryOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "expected a pattern after MATCH, found 'RETURN'"
    );
}

#[test]
fn deep_nesting_and_long_paths_fail_cleanly() {
    let deep = format!("RETURN {}1{}", "(".repeat(10_000), ")".repeat(10_000));
    let err = execute(&mut Graph::new(), &deep, &QueryOptions::default()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::LimitExceeded);
    let nots = format!("RETURN {}true", "NOT ".repeat(10_000));
    let err = execute(&mut Graph::new(), &nots, &QueryOptions::default()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::LimitExceeded);
    // Just within the bounds, deep nesting and long chains run without exhausting the stack.
    let ok = format!("RETURN {}1{} AS x", "[".repeat(200), "]".repeat(200));
    assert!(execute(&mut Graph::new(), &ok, &QueryOptions::default()).is_ok());
    let ok = format!("RETURN {}1{} AS x", "(".repeat(200), ")".repeat(200));
    assert!(execute(&mut Graph::new(), &ok, &QueryOptions::default()).is_ok());
    let ok = format!("RETURN 1{} AS x", " + 1".repeat(1_990));
    let r = execute(&mut Graph::new(), &ok, &QueryOptions::default()).unwrap();
    assert_eq!(r.rows[0][0], QueryValue::Int(1_991));
    let chain = format!("RETURN 1{}", " + 1".repeat(5_000));
    let err = execute(&mut Graph::new(), &chain, &QueryOptions::default()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::LimitExceeded);
    let mut graph = Graph::new();
    run_all(&mut graph, "UNWIND range(1, 100) AS i CREATE (:N {i: i})");
    run_all(
        &mut graph,
        "MATCH (a:N), (b:N) WHERE b.i = a.i + 1 CREATE (a)-[:NEXT]->(b)",
    );
    let err = execute(
        &mut graph,
        "MATCH p = (:N {i: 1})-[*]->() RETURN count(p)",
        &QueryOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        (err.kind, err.detail),
        (ErrorKind::LimitExceeded, "PathTooLong")
    );
    let mut options = QueryOptions::default();
    options.limits.max_rows = 50;
    // Counting streams the rows into the aggregate, so it stays within the limit...
    let counted = execute(&mut graph, "MATCH (a:N), (b:N) RETURN count(*)", &options).unwrap();
    assert_eq!(counted.rows[0][0], QueryValue::Int(10_000));
    // ...but returning every pair would hold more rows than allowed.
    let err = execute(&mut graph, "MATCH (a:N), (b:N) RETURN a.i, b.i", &options).unwrap_err();
    assert_eq!(
        (err.kind, err.detail),
        (ErrorKind::LimitExceeded, "TooManyRows")
    );
}

#[test]
fn parse_value_reads_literals_only() {
    use skein::query::parse_value;
    assert_eq!(
        parse_value("'Vladimir Putin'").unwrap(),
        QueryValue::String("Vladimir Putin".into())
    );
    assert_eq!(parse_value("-3").unwrap(), QueryValue::Int(-3));
    assert_eq!(
        parse_value("[1, 2.5, null]").unwrap().to_string(),
        "[1, 2.5, null]"
    );
    assert_eq!(parse_value("{a: true}").unwrap().to_string(), "{a: true}");
    assert!(parse_value("n.name").is_err());
    assert!(parse_value("1 +").is_err());
}

#[test]
fn explain_shows_index_starts() {
    let plan =
        skein::query::explain("MATCH (n:Person {name: 'Putin'})-[:MET_WITH]-(m) RETURN m.name")
            .unwrap();
    assert!(plan.contains("NodeByNameIndex"), "{plan}");
    let plan = skein::query::explain("MATCH (n:Person) WHERE n.name = $who RETURN n").unwrap();
    assert!(plan.contains("NodeByNameIndex"), "{plan}");
}

#[test]
fn printing_then_parsing_is_stable() {
    // The canonical print of a query parses to a tree that prints the same way.
    let queries = [
        "MATCH (a:Person {name: 'x'})-[r:A|B*1..3]->(b), p = shortestPath((a)-[*]-(b)) WHERE a.x < b.y <= 3 AND NOT a:Foo RETURN DISTINCT a.name AS n, count(*) ORDER BY n DESC SKIP 1 LIMIT 2",
        "UNWIND [1, 2] AS x WITH x WHERE x % 2 = 0 RETURN [y IN range(0, x) WHERE y > 0 | y ^ 2] AS l, CASE WHEN x > 1 THEN 'a' ELSE 'b' END",
        "MERGE (n:N {k: $v}) ON CREATE SET n.c = 1 ON MATCH SET n += {m: 2} REMOVE n:Old DETACH DELETE n",
        "RETURN -2 ^ 2, (1 < 2) < true, any(x IN [1] WHERE x IS NOT NULL), n {.a, .*, b: 1}",
        "CALL test.proc('a', 1) YIELD out AS `o`, other WHERE o > 1 RETURN o",
        "CALL db.labels",
        "SHOW PROCEDURES",
        "MATCH (p) CALL { WITH p MATCH (p)--(q) RETURN q.name AS n UNION ALL RETURN 1 AS n } CALL { WITH p SET p.x = 1 } RETURN n",
        "MATCH (n) WHERE EXISTS { (n)-->(m) WHERE m.x = 1 } AND COUNT { MATCH (n)--() RETURN n } > 2 RETURN COLLECT { MATCH (n)-->(x) RETURN x.name UNION MATCH (x)-->(n) RETURN x.name } AS c",
    ];
    for q in queries {
        let once = skein::query::canonical(q).unwrap();
        let twice = skein::query::canonical(&once).unwrap();
        assert_eq!(once, twice, "from {q}");
    }
}

fn clone_expect<'a>(e: &Expect<'a>) -> Expect<'a> {
    match e {
        Expect::Rows(r) => Expect::Rows(r),
        Expect::Sorted(r) => Expect::Sorted(r),
        Expect::Error(k, d) => Expect::Error(*k, d),
    }
}

#[test]
fn a_cancelled_query_stops_and_changes_nothing() {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;
    let mut graph = Graph::new();
    run_all(&mut graph, PEOPLE);
    let before = graph.clone();
    let options = QueryOptions {
        cancel: Some(Arc::new(AtomicBool::new(true))),
        ..QueryOptions::default()
    };
    let err = execute(&mut graph, "MATCH (n) SET n.x = 1 RETURN n", &options).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Cancelled);
    assert!(graph == before, "a cancelled query changed the graph");
}

/// Counts that the engine takes without making a row per edge (the final edges counted, the
/// groups keyed on node ids, a top-k for ORDER BY ... LIMIT) give the rows a row per match
/// gives: parallel edges count each, two nodes of one name make one group, nulls are not
/// counted by `count(x)` but are by `count(*)`.
#[test]
fn counts_without_rows() {
    let graph = "
        CREATE (a:P {name: 'a'}), (b:P {name: 'b'}), (c:P {name: 'c'}), (x1:Q {name: 'x'}),
               (x2:Q {name: 'x'}), (y:Q {name: 'y'}),
               (a)-[:R {w: 1}]->(b), (a)-[:R {w: 2}]->(b), (b)-[:R {w: 1}]->(c),
               (c)-[:R {w: 3}]->(a), (c)-[:R {w: 1}]->(a), (c)-[:R {w: 1}]->(a),
               (a)-[:S]->(x1), (b)-[:S]->(x2), (c)-[:S]->(x2), (a)-[:S]->(y)";
    let cases: Vec<(&str, Expect<'_>)> = vec![
        (
            "MATCH (a)-[:R]->(b)-[:R]->(c)-[:R]->(a) RETURN count(*) AS n",
            Expect::Rows(&["18"]),
        ),
        (
            "MATCH (a)-[:R]->(b)-[:R]->(c)-[:R]->(a) RETURN a.name AS a, count(*) AS n",
            Expect::Sorted(&["'a' | 6", "'b' | 6", "'c' | 6"]),
        ),
        (
            "MATCH (a)-[r:R]->(b) WHERE r.w = 1 RETURN a.name AS a, count(r) AS n",
            Expect::Sorted(&["'a' | 1", "'b' | 1", "'c' | 2"]),
        ),
        (
            "MATCH (s)-[r:S]->(t) RETURN t.name AS t, count(r) AS n ORDER BY n DESC, t LIMIT 1",
            Expect::Rows(&["'x' | 3"]),
        ),
        (
            "MATCH (s)-[r:S]->(t) WITH t, count(*) AS n ORDER BY n DESC LIMIT 1 \
             RETURN t.name AS t, n",
            Expect::Rows(&["'x' | 2"]),
        ),
        (
            "MATCH (p:P) OPTIONAL MATCH (p)-[r:S]->(q:Q {name: 'y'}) \
             RETURN count(*) AS rows, count(r) AS rels, count(q) AS qs",
            Expect::Rows(&["3 | 1 | 1"]),
        ),
        (
            "MATCH (a)-[r:R]-(b) RETURN count(r) AS n",
            Expect::Rows(&["12"]),
        ),
    ];
    for (query, expect) in cases {
        check(graph, query, expect);
    }
}
