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

fn clone_expect<'a>(e: &Expect<'a>) -> Expect<'a> {
    match e {
        Expect::Rows(r) => Expect::Rows(r),
        Expect::Sorted(r) => Expect::Sorted(r),
        Expect::Error(k, d) => Expect::Error(*k, d),
    }
}
