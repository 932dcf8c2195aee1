//! Who is who, case by case: each folder of `tests/data/identity/` holds articles, and the
//! file `NAME.expected` beside it the warnings, nodes and edges that ingesting them (in path order,
//! through the built binary) must give, and a file `NAME.rules.ron` beside it, when there is
//! one, is given as `--rules`. `SKEIN_BLESS=1` rewrites the expected files; review
//! the diff, since these files are the judgement of what is right.

mod common;

use std::path::Path;

use common::{Dir, repo_root};

/// The warnings, nodes and edges of ingesting one case folder, as text. A file
/// `NAME.rules.ron` beside the folder is given as `--rules`.
fn observe(case: &Path) -> String {
    let dir = Dir::new();
    let case_arg = case.display().to_string();
    let mut args = vec!["ingest", &case_arg, "-g", "g.ron", "--no-progress"];
    let rules = case.with_extension("rules.ron");
    let rules_arg = rules.display().to_string();
    if rules.exists() {
        args.extend(["--rules", &rules_arg]);
    }
    let run = dir.skein(&args).expect_code(0);
    let mut warnings: Vec<String> = run
        .stderr()
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .map(str::to_string)
        .collect();
    warnings.sort();
    let query = |q: &str| {
        dir.skein(&["query", q, "-g", "g.ron", "--format", "csv"])
            .expect_code(0)
            .stdout()
    };
    let nodes = query(
        "MATCH (n) RETURN labels(n)[0] AS label, n.name AS name, n.aliases AS aliases, \
         n.unresolved AS unresolved ORDER BY label, name",
    );
    let edges = query(
        "MATCH (a)-[r]->(b) RETURN a.name AS source, type(r) AS type, b.name AS target, \
         r.date AS date, r.origin AS origin ORDER BY source, type, target",
    );
    format!(
        "## warnings\n{}\n## nodes\n{nodes}## edges\n{edges}",
        warnings.join("\n")
    )
}

#[test]
fn identity_cases_give_their_expected_nodes_and_edges() {
    let root = repo_root().join("tests/data/identity");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/data/identity is here")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "the identity cases are missing");
    let bless = std::env::var_os("SKEIN_BLESS").is_some();
    let mut failed = Vec::new();
    for case in &cases {
        let got = observe(case);
        // Beside the folder, not in it: a file in it would be read as an article.
        let expected_path = case.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &got).expect("write the expected file");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
            panic!(
                "no {}; run SKEIN_BLESS=1 cargo test --test identity_cases",
                expected_path.display()
            )
        });
        if got != expected {
            failed.push(format!(
                "{}:\n--- expected\n{expected}\n--- got\n{got}",
                case.display()
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
