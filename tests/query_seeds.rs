//! The questions a news analyst asks of the seeds graph, asked through `skein query` and
//! checked against what the seed articles say (see ../shared/seeds/gold.json).

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use common::{Dir, repo_root};

/// The seeds ingested once into a graph file that every test reads.
fn seeds() -> &'static Dir {
    static SEEDS: OnceLock<Dir> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = Dir::new();
        let seeds = repo_root().join("seeds");
        let seeds = seeds.to_str().expect("the repository path is UTF-8");
        dir.skein(&["ingest", seeds, "-g", "seeds.ron"])
            .expect_code(0);
        dir
    })
}

/// Runs a query on the seeds graph and returns the CSV rows under the header.
fn rows(query: &str) -> Vec<Vec<String>> {
    let run = seeds()
        .skein(&["query", "-g", "seeds.ron", "--format", "csv", query])
        .expect_code(0);
    let stdout = run.stdout();
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    reader
        .records()
        .map(|r| {
            r.expect("the CSV output parses")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect()
}

#[test]
fn everyone_who_met_putin_with_date_and_place() {
    let met = rows(
        "MATCH (p)-[r:MET_WITH]-(:Person {name: 'Vladimir Putin'}) \
         RETURN p.name AS who, r.date AS date, r.place AS place ORDER BY date, who",
    );
    assert!(
        met.contains(&vec![
            "Steve Witkoff".to_string(),
            "2025-04-11".to_string(),
            "St. Petersburg".to_string()
        ]),
        "{met:?}"
    );
    assert!(
        met.iter().all(|row| row[0] != "Donald Trump"),
        "a possible future meeting is no meeting: {met:?}"
    );
}

#[test]
fn who_rejected_whose_proposal_with_the_evidence() {
    let rejected = rows(
        "MATCH (a)-[r:REJECTED]->(b) RETURN a.name, b.name, r.what, r.evidence \
         ORDER BY a.name, b.name",
    );
    let moscow = rejected
        .iter()
        .find(|row| row[0] == "Moscow" && row[1] == "Donald Trump")
        .unwrap_or_else(|| panic!("Moscow rejected Trump's calls: {rejected:?}"));
    assert!(moscow[2].contains("full ceasefire"), "{moscow:?}");
    assert!(
        moscow[3].starts_with("The talks come as Moscow continues to reject"),
        "{moscow:?}"
    );
    assert!(
        rejected
            .iter()
            .any(|row| row[0] == "Vladimir Putin" && row[3].contains("Putin rejected")),
        "{rejected:?}"
    );
    assert!(
        rejected.iter().all(|row| row[0] != "Kyiv"),
        "Kyiv supported the proposal: {rejected:?}"
    );
}

#[test]
fn everyone_within_two_hops_of_witkoff() {
    let names = |query: &str| -> BTreeSet<String> {
        rows(query).into_iter().map(|row| row[0].clone()).collect()
    };
    let within_two = names(
        "MATCH (w:Person {name: 'Steve Witkoff'})-[*1..2]-(x) WHERE x <> w \
         RETURN DISTINCT x.name ORDER BY x.name",
    );
    for expected in [
        "Vladimir Putin",
        "Donald Trump",
        "Kirill Dmitriev",
        "Russia",
    ] {
        assert!(
            within_two.contains(expected),
            "{expected} in {within_two:?}"
        );
    }
    assert!(!within_two.contains("Steve Witkoff"));
    // The variable-length pattern finds exactly the union of the one- and two-hop patterns.
    let by_hops = names(
        "MATCH (w:Person {name: 'Steve Witkoff'})--(x) WHERE x <> w RETURN x.name AS n \
         UNION \
         MATCH (w:Person {name: 'Steve Witkoff'})--()--(x) WHERE x <> w RETURN x.name AS n",
    );
    assert_eq!(within_two, by_hops);
}

#[test]
fn the_shortest_path_between_two_people() {
    let path = rows(
        "MATCH p = shortestPath((a:Person {name: 'Sergey Lavrov'})-[*]-(b:Person {name: 'Volodymyr Zelenskyy'})) \
         RETURN [n IN nodes(p) | n.name] AS names, length(p) AS hops",
    );
    assert_eq!(path.len(), 1, "{path:?}");
    let hops: usize = path[0][1].parse().expect("a hop count");
    let names: Vec<String> = serde_json::from_str(&path[0][0]).expect("a JSON list of names");
    assert_eq!(names.len(), hops + 1);
    assert_eq!(names.first().map(String::as_str), Some("Sergey Lavrov"));
    assert_eq!(
        names.last().map(String::as_str),
        Some("Volodymyr Zelenskyy")
    );
    // No path with fewer hops exists.
    let shorter = rows(&format!(
        "MATCH (a:Person {{name: 'Sergey Lavrov'}})-[*1..{}]-(b:Person {{name: 'Volodymyr Zelenskyy'}}) \
         RETURN count(*) AS n",
        hops - 1
    ));
    assert_eq!(shorter, [["0"]]);
}

#[test]
fn meetings_per_month() {
    let per_month = rows(
        "MATCH ()-[r:MET_WITH]->() RETURN substring(r.date, 0, 7) AS month, count(*) AS meetings \
         ORDER BY month",
    );
    let total: usize = per_month
        .iter()
        .map(|row| row[1].parse::<usize>().expect("a count"))
        .sum();
    let all = rows("MATCH ()-[r:MET_WITH]->() RETURN count(r)");
    assert_eq!(all[0][0], total.to_string());
    assert!(
        per_month.iter().any(|row| row[0] == "2025-04"),
        "{per_month:?}"
    );
}

/// Meetings per month with `date.truncate`: the seeds report four meetings, all in April
/// 2025 (US and Russian officials in Turkiye on Thursday the 10th, Witkoff and Putin in
/// St. Petersburg on the 11th and their talks reported again on the 14th, Witkoff and
/// Dmitriev in Washington "earlier in April", dated by its article).
#[test]
fn meetings_per_month_with_date_truncate() {
    let per_month = rows(
        "MATCH ()-[r:MET_WITH]->() \
         RETURN date.truncate('month', date(r.date)) AS month, count(*) AS meetings \
         ORDER BY month",
    );
    assert_eq!(per_month, [["2025-04-01", "4"]]);
}

/// The days between the first meeting (the talks in Turkiye on Thursday 10 April) and the
/// latest statement (the 14 April article: Moscow rejected Trump's calls, Kyiv supported
/// them, Witkoff proposed a deal) with `duration.between`: four days.
#[test]
fn days_between_the_first_meeting_and_the_latest_statement() {
    let answer = rows(
        "MATCH ()-[m:MET_WITH]->() WITH min(date(m.date)) AS first \
         MATCH ()-[s]->() \
         WHERE type(s) IN ['PRAISED', 'CRITICIZED', 'ACCUSED', 'THREATENED', 'REJECTED', \
                           'PROPOSED', 'SUPPORTED', 'AGREED_WITH'] \
         WITH first, max(date(s.date)) AS latest \
         RETURN first, latest, duration.between(first, latest) AS between, \
                duration.inDays(first, latest).days AS days",
    );
    assert_eq!(answer, [["2025-04-10", "2025-04-14", "P4D", "4"]]);
}

#[test]
fn call_db_labels_lists_the_three_entity_labels() {
    assert_eq!(
        rows("CALL db.labels()"),
        vec![
            vec!["Organization".to_string()],
            vec!["Person".to_string()],
            vec!["Region".to_string()]
        ]
    );
}

#[test]
fn call_db_relationship_types_lists_the_types_in_use_and_only_known_ones() {
    let listed: BTreeSet<String> =
        rows("CALL db.relationshipTypes() YIELD relationshipType AS t RETURN t ORDER BY t")
            .into_iter()
            .map(|r| r[0].clone())
            .collect();
    let in_use: BTreeSet<String> = rows("MATCH ()-[r]->() RETURN DISTINCT type(r)")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(listed, in_use);
    // What the seed articles report: meetings, proposals, a rejection, leadership.
    for t in ["MET_WITH", "PROPOSED", "REJECTED", "LEADS", "REPRESENTS"] {
        assert!(listed.contains(t), "{t} missing from {listed:?}");
    }
    // Nothing outside the relationship types the seeds' gold file uses.
    let gold = std::fs::read_to_string(repo_root().join("../shared/seeds/gold.json"))
        .expect("read ../shared/seeds/gold.json");
    let gold: serde_json::Value = serde_json::from_str(&gold).expect("gold.json parses");
    let known: BTreeSet<&str> = gold["relations"]
        .as_array()
        .expect("gold relations")
        .iter()
        .filter_map(|r| r["type"].as_str())
        .collect();
    assert!(
        listed.iter().all(|t| known.contains(t.as_str())),
        "{listed:?} not within {known:?}"
    );
}

#[test]
fn exists_subquery_finds_who_met_putin() {
    assert_eq!(
        rows(
            "MATCH (p:Person) \
             WHERE EXISTS { (p)-[:MET_WITH]-(:Person {name: 'Vladimir Putin'}) } \
             RETURN p.name ORDER BY p.name"
        ),
        vec![vec!["Steve Witkoff".to_string()]]
    );
}

/// EXISTS needs one row, so an unbounded walk inside it stops at its first match instead of
/// walking every path until the walk limit fails the query; it agrees with a plain one-edge
/// EXISTS, since a node with any walk has an edge.
#[test]
fn exists_stops_an_unbounded_walk_at_its_first_match() {
    let with_walk = rows(
        "MATCH (a) WHERE EXISTS { MATCH (a)-[*]-(b) } \
         RETURN a.name ORDER BY a.name",
    );
    let with_edge = rows(
        "MATCH (a) WHERE EXISTS { MATCH (a)--() } \
         RETURN a.name ORDER BY a.name",
    );
    assert!(!with_walk.is_empty());
    assert_eq!(with_walk, with_edge);
}
