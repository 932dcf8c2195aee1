//! A real Cypher server runs what skein writes: the Cypher export of the ingested seeds and of
//! a generated graph full of awkward text is run on FalkorDB (started on 127.0.0.1 by
//! `tests/interop/falkordb_run.py`), and the counts and the analyst questions of `examples/`
//! must get the same answers there as in skein. Outside CI the test is skipped with a message
//! when python3 or the falkordb packages are missing; `.ci/run` installs them, so in CI (`CI`
//! set) a missing package fails the test.
//!
//! Where FalkorDB departs from openCypher the comparison says so: `collect()` gives no order,
//! so lists of plain values in a row are compared as sorted; rows are compared as multisets,
//! since ORDER BY leaves ties in any order. FalkorDB keeps a `\uXXXX` escape in a string
//! literal as those six characters instead of the character it names, so skein's control
//! characters (which its export writes as `\uXXXX`) are compared in that written form.
//! FalkorDB also refuses property keys with letters outside ASCII unless they are backquoted,
//! which skein's export therefore always does. FalkorDB cannot read a name with a backquote
//! in it (openCypher writes it doubled inside backquotes), so the generated graph's one such
//! label is renamed before its export goes there.

#[path = "interop/common.rs"]
mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::{Value as Json, json};

/// One question: its text and its parameters.
struct Question {
    query: String,
    params: Vec<(String, String)>,
}

/// Counts that must agree, then every reading statement of the example scripts.
fn questions() -> Vec<Question> {
    let mut out: Vec<Question> = [
        "MATCH (n) RETURN count(n) AS nodes",
        "MATCH ()-[r]->() RETURN count(r) AS relationships",
        "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n",
        "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n",
        "MATCH (n) RETURN n.name AS name, n.aliases AS aliases, n.titles AS titles",
    ]
    .into_iter()
    .map(|q| Question {
        query: q.to_string(),
        params: Vec::new(),
    })
    .collect();
    let mut files: Vec<_> = fs::read_dir(repo().join("examples"))
        .expect("examples/ is readable")
        .map(|e| e.expect("an entry of examples/").path())
        .filter(|p| p.extension().is_some_and(|x| x == "cypher"))
        .collect();
    files.sort();
    for file in files {
        out.extend(example_questions(
            &fs::read_to_string(&file).expect("read example"),
        ));
    }
    out
}

/// The statements of an example script that only read, with the `:param`s set before them;
/// comments and other meta-commands are dropped, and statements that write are left out (the
/// export already holds the graph they would change).
fn example_questions(script: &str) -> Vec<Question> {
    let mut params = Vec::new();
    let mut out = Vec::new();
    let mut text = String::new();
    for line in script.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("//") || trimmed.is_empty() {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix(":param ") {
            let (name, value) = rest.split_once(' ').expect(":param NAME VALUE");
            params.push((name.to_string(), value.trim().to_string()));
            continue;
        }
        if trimmed.starts_with(':') {
            continue;
        }
        text.push_str(trimmed);
        text.push(' ');
        if trimmed.ends_with(';') {
            let query = text.trim().trim_end_matches(';').to_string();
            text.clear();
            let upper = query.to_uppercase();
            let writes = ["MERGE ", "CREATE ", "SET ", "DELETE ", "REMOVE "]
                .iter()
                .any(|w| upper.contains(w));
            if !writes {
                out.push(Question {
                    query,
                    params: params.clone(),
                });
            }
        }
    }
    out
}

/// A value as both sides can agree on it: elements by labels or type and properties (ids
/// differ between stores), lists of plain values sorted (collect() in FalkorDB has no order).
fn normalise(v: Json, top: bool) -> Json {
    match v {
        Json::Object(mut m) if m.contains_key("properties") && m.contains_key("id") => {
            let props = normalise(m.remove("properties").unwrap_or(Json::Null), false);
            match (m.remove("labels"), m.remove("type")) {
                (Some(Json::Array(mut labels)), _) => {
                    labels.sort_by_key(|l| l.to_string());
                    json!({"labels": labels, "properties": props})
                }
                (_, Some(t)) => json!({"type": t, "properties": props}),
                _ => json!({"properties": props}),
            }
        }
        Json::Object(m) => {
            Json::Object(m.into_iter().map(|(k, x)| (k, normalise(x, top))).collect())
        }
        Json::Array(items) => {
            let mut items: Vec<Json> = items.into_iter().map(|x| normalise(x, false)).collect();
            if top && items.iter().all(|x| !x.is_object() && !x.is_array()) {
                items.sort_by_key(|x| x.to_string());
            }
            Json::Array(items)
        }
        Json::String(s) if s.chars().any(char::is_control) => Json::String(
            s.chars()
                .map(|c| {
                    if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
                        format!("\\u{:04x}", u32::from(c))
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
        ),
        other => other,
    }
}

/// Rows as a sorted list of normalised maps.
fn rows_of(rows: Vec<Json>) -> Vec<String> {
    let mut out: Vec<String> = rows
        .into_iter()
        .map(|r| normalise(r, true).to_string())
        .collect();
    out.sort();
    out
}

/// skein's answer to a question on `g.ron` in `dir`.
fn ask_skein(dir: &Path, q: &Question) -> Vec<String> {
    let mut args = vec![
        "query".to_string(),
        "-g".into(),
        "g.ron".into(),
        "--format".into(),
        "json".into(),
    ];
    for (name, value) in &q.params {
        args.push("--param".into());
        args.push(format!("{name}={value}"));
    }
    args.push(q.query.clone());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = skein_ok(dir, &args);
    let rows = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("skein prints one JSON object a line"))
        .collect();
    rows_of(rows)
}

/// Runs the export of `g.ron` in `dir` on FalkorDB and returns its answers, or None when the
/// test must be skipped.
fn ask_falkordb(dir: &Path, questions: &[Question]) -> Option<Vec<Vec<String>>> {
    let in_ci = std::env::var_os("CI").is_some();
    if Command::new("python3").arg("-V").output().is_err() {
        assert!(!in_ci, "python3 is missing in CI");
        eprintln!("skipped: python3 is not installed");
        return None;
    }
    skein_ok(
        dir,
        &["export", "-g", "g.ron", "-f", "cypher", "-o", "g.cypher"],
    );
    let payload: Vec<Json> = questions
        .iter()
        .map(|q| {
            let params: serde_json::Map<String, Json> = q
                .params
                .iter()
                .map(|(n, v)| {
                    let value = skein::query::parse_value(v).expect("a literal parameter");
                    (n.clone(), Json::String(literal_text(&value)))
                })
                .collect();
            json!({"query": q.query, "params": params})
        })
        .collect();
    fs::write(dir.join("questions.json"), Json::Array(payload).to_string()).expect("write");
    let out = Command::new("python3")
        .arg(repo().join("tests/interop/falkordb_run.py"))
        .arg(dir.join("g.cypher"))
        .arg(dir.join("questions.json"))
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(3) {
        assert!(!in_ci, "the falkordb packages are missing in CI: {stderr}");
        eprintln!("skipped: {stderr}");
        return None;
    }
    assert!(out.status.success(), "falkordb_run.py failed: {stderr}");
    let report: Json = serde_json::from_slice(&out.stdout).expect("one JSON report");
    let answers = report["answers"].as_array().expect("answers").clone();
    Some(
        answers
            .into_iter()
            .map(|a| rows_of(a.as_array().cloned().unwrap_or_default()))
            .collect(),
    )
}

/// The text of a string parameter (the examples only use strings).
fn literal_text(v: &skein::query::QueryValue) -> String {
    match v {
        skein::query::QueryValue::String(s) => s.clone(),
        other => panic!("the examples' parameters are strings, not {other:?}"),
    }
}

fn same_answers_on_falkordb(dir: &Path) {
    let questions = questions();
    assert!(
        questions.len() > 8,
        "the example scripts should give several questions"
    );
    let Some(theirs) = ask_falkordb(dir, &questions) else {
        return;
    };
    for (q, theirs) in questions.iter().zip(theirs) {
        let ours = ask_skein(dir, q);
        assert_eq!(ours, theirs, "different answers to {}", q.query);
    }
}

#[test]
fn falkordb_answers_like_skein_on_the_ingested_seeds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seeds = repo().join("seeds");
    skein_ok(
        dir.path(),
        &["ingest", seeds.to_str().expect("UTF-8 path"), "-g", "g.ron"],
    );
    same_answers_on_falkordb(dir.path());
}

#[test]
fn falkordb_answers_like_skein_on_a_generated_graph_of_awkward_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    save(&hostile_graph(), dir.path(), "g.ron");
    fs::write(
        dir.path().join("rename.cypher"),
        "MATCH (n:`Weird``Label`) REMOVE n:`Weird``Label` SET n:WeirdLabel RETURN count(n);\n",
    )
    .expect("write the renaming script");
    let out = skein_ok(dir.path(), &["run", "rename.cypher", "-g", "g.ron"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains('1'));
    same_answers_on_falkordb(dir.path());
}
