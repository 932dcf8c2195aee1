//! Kills a process in the middle of saving a large graph and checks that the file it was
//! replacing still loads unchanged. The test re-runs its own executable as the child that
//! saves, so the kill hits a real save in a real process.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use skein::graph::{self, Graph, Properties, Value};

const CHILD_ENV: &str = "SKEIN_SAVE_INTERRUPT_CHILD";

fn main() -> ExitCode {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        child(Path::new(&path));
        return ExitCode::SUCCESS;
    }
    match parent() {
        Ok(()) => {
            println!(
                "save_interrupt: killed a save mid-way 3 times; the old graph loaded each time"
            );
            println!("1 passed, 0 failed");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("save_interrupt: {e}");
            println!("0 passed, 1 failed");
            ExitCode::FAILURE
        }
    }
}

fn big_graph(n_nodes: u64, n_edges: u64) -> Graph {
    let mut g = Graph::new();
    let ids: Vec<_> = (0..n_nodes)
        .map(|i| {
            let mut props = Properties::new();
            props.insert("name", Value::from(format!("Person number {i}")));
            g.add_node(["Person"], props)
        })
        .collect();
    for i in 0..n_edges {
        let mut props = Properties::new();
        props.insert(
            "evidence",
            Value::from(format!("Sentence {i} says that they met.")),
        );
        let a = ids[(i % n_nodes) as usize];
        let b = ids[((i * 7919) % n_nodes) as usize];
        g.add_edge(a, "MET_WITH", b, props)
            .expect("both nodes exist");
    }
    g
}

/// The child: saves a large graph over the file again and again until it is killed.
fn child(path: &Path) {
    let g = big_graph(50_000, 400_000);
    loop {
        graph::save(&g, path).expect("the child's save succeeds while it runs");
    }
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "tmp"))
                .collect()
        })
        .unwrap_or_default()
}

fn parent() -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("graph.ron");
    let old = big_graph(10, 20);
    graph::save(&old, &path).map_err(|e| e.to_string())?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // Kill at three different depths into the temporary file.
    for threshold in [64 * 1024, 1024 * 1024, 4 * 1024 * 1024] {
        let mut child = Command::new(&exe)
            .env(CHILD_ENV, &path)
            .spawn()
            .map_err(|e| format!("cannot start the child: {e}"))?;
        let started = Instant::now();
        let killed_at = loop {
            let size = temp_files(dir.path())
                .iter()
                .filter_map(|p| fs::metadata(p).ok())
                .map(|m| m.len())
                .max();
            if let Some(size) = size.filter(|&s| s >= threshold) {
                child.kill().map_err(|e| e.to_string())?;
                break size;
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("the child ended on its own: {status}"));
            }
            if started.elapsed() > Duration::from_secs(300) {
                let _ = child.kill();
                return Err("the child never got to save".into());
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        child.wait().map_err(|e| e.to_string())?;
        let loaded =
            graph::load(&path).map_err(|e| format!("after a kill at {killed_at} bytes: {e}"))?;
        if loaded != old {
            return Err(format!(
                "after a kill at {killed_at} bytes the file holds another graph"
            ));
        }
        for leftover in temp_files(dir.path()) {
            let _ = fs::remove_file(leftover);
        }
    }
    Ok(())
}
