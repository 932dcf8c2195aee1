//! Runs every saved script in `examples/` with `skein run` against the graph built from
//! `seeds/`, and compares its output (and any file it writes) with a golden file in
//! `tests/golden/examples/`. `SKEIN_BLESS=1` rewrites the golden files; review the diff.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn skein(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(args)
        .current_dir(dir)
        .env_remove("SKEIN_GRAPH")
        .output()
        .expect("run skein");
    if !out.status.success() {
        eprintln!(
            "$ skein {}\n(in {})\n--- status: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            args.join(" "),
            dir.display(),
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

/// The seeds graph, built once per test into `dir/seeds.ron`.
fn seeds_graph(dir: &Path) -> PathBuf {
    let seeds = repo().join("seeds");
    let path = dir.join("seeds.ron");
    let out = skein(
        dir,
        &[
            "ingest",
            seeds.to_str().expect("UTF-8 path"),
            "-g",
            path.to_str().expect("UTF-8 path"),
        ],
    );
    assert!(out.status.success(), "ingesting seeds/ failed");
    path
}

fn examples() -> Vec<PathBuf> {
    let mut scripts: Vec<PathBuf> = fs::read_dir(repo().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    scripts.sort();
    scripts
}

/// What a script printed, then every file it wrote, in name order.
fn transcript(dir: &Path, stdout: &[u8]) -> String {
    let mut out = String::from_utf8_lossy(stdout).into_owned();
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("read temp dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "g.ron"))
        .collect();
    files.sort();
    for file in files {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        out.push_str(&format!("--- file {name} ---\n"));
        out.push_str(&fs::read_to_string(&file).unwrap_or_else(|e| format!("<{e}>\n")));
    }
    out
}

#[test]
fn every_example_matches_its_golden_output() {
    let work = tempfile::tempdir().expect("temp dir");
    let graph = seeds_graph(work.path());
    let bless = std::env::var_os("SKEIN_BLESS").is_some();
    let golden_dir = repo().join("tests/golden/examples");
    let scripts = examples();
    assert!(scripts.len() >= 7, "examples/ lost some scripts");
    let mut mismatches = Vec::new();
    for script in &scripts {
        let stem = script.file_stem().unwrap_or_default().to_string_lossy();
        // Each script gets its own copy of the graph and directory, so that a curating script
        // cannot change what the others see and written files are attributed correctly.
        let dir = tempfile::tempdir().expect("temp dir");
        fs::copy(&graph, dir.path().join("g.ron")).expect("copy graph");
        let out = skein(
            dir.path(),
            &["run", script.to_str().expect("UTF-8 path"), "-g", "g.ron"],
        );
        assert!(out.status.success(), "{} failed", script.display());
        let got = transcript(dir.path(), &out.stdout);
        let golden = golden_dir.join(format!("{stem}.out"));
        if bless {
            fs::create_dir_all(&golden_dir).expect("golden dir");
            fs::write(&golden, &got).expect("write golden");
            continue;
        }
        let want = fs::read_to_string(&golden).unwrap_or_else(|_| {
            panic!(
                "no golden file {}; run SKEIN_BLESS=1 cargo test --test run_examples",
                golden.display()
            )
        });
        if got != want {
            eprintln!("=== {stem}: expected\n{want}\n=== got\n{got}");
            mismatches.push(stem.into_owned());
        }
    }
    assert!(mismatches.is_empty(), "output changed for {mismatches:?}");
}

#[test]
fn all_examples_run_in_one_go() {
    let work = tempfile::tempdir().expect("temp dir");
    let graph = seeds_graph(work.path());
    fs::copy(&graph, work.path().join("g.ron")).expect("copy graph");
    let mut args: Vec<String> = vec!["run".into()];
    args.extend(examples().iter().map(|p| p.display().to_string()));
    args.extend(["-g".into(), "g.ron".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = skein(work.path(), &args);
    assert!(out.status.success());
    assert!(work.path().join("meeting_network.dot").exists());
}

#[test]
fn all_examples_pass_from_a_clean_clone_without_a_graph_file() {
    let work = tempfile::tempdir().expect("temp dir");
    let mut args: Vec<String> = vec!["run".into()];
    args.extend(examples().iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = skein(work.path(), &args);
    assert!(out.status.success());
    // The curating script wrote, so the new graph was saved at the end.
    assert!(work.path().join("skein.ron").exists());
}
