//! Ctrl-C while Graphviz renders an export (issue 16, item 11): the previous file stays as it
//! was, no temporary file is left, and skein exits non-zero instead of saving the unfinished
//! layout that an interrupted `dot` writes.

mod common;

use std::fs;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Dir;

fn dot_installed() -> bool {
    Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// A graph whose layout takes Graphviz far longer than the test waits before Ctrl-C.
fn slow_graph(dir: &Dir) {
    let n = 600;
    let mut nodes = String::from(":ID,:LABEL,name:string\n");
    for i in 0..n {
        nodes.push_str(&format!("{i},Person,Person {i}\n"));
    }
    let mut edges = String::from(":START_ID,:END_ID,:TYPE\n");
    for i in 0..4 * n {
        edges.push_str(&format!("{},{},MET_WITH\n", i % n, (i * 7919 + 13) % n));
    }
    fs::write(dir.join("nodes.csv"), nodes).unwrap();
    fs::write(dir.join("edges.csv"), edges).unwrap();
    dir.skein(&[
        "import",
        "--nodes",
        "nodes.csv",
        "--edges",
        "edges.csv",
        "-g",
        "g.ron",
    ])
    .expect_code(0);
}

#[test]
fn ctrl_c_during_an_svg_export_keeps_the_previous_file_and_fails() {
    if !dot_installed() {
        eprintln!("skipped: Graphviz's dot is not installed");
        return;
    }
    let dir = Dir::new();
    slow_graph(&dir);
    fs::write(dir.join("out.svg"), "previous picture").unwrap();
    // skein leads a process group of its own, as a shell's foreground job does, so that the
    // interrupt below reaches it the way a terminal's Ctrl-C would.
    let mut child = Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(["export", "-f", "svg", "-o", "out.svg", "-g", "g.ron"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("skein starts");
    let temp_exists = || {
        fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
    };
    let started = Instant::now();
    while !temp_exists() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the export never started writing"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // Let Graphviz get into its layout.
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the render ended before the interrupt; the graph is too small for this machine"
    );
    let group = i32::try_from(child.id()).unwrap();
    // SAFETY: kill(2) on the process group of our own child, which has not been waited for.
    unsafe { libc::kill(-group, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "exit non-zero: {stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(
        fs::read_to_string(dir.join("out.svg")).unwrap(),
        "previous picture"
    );
    assert!(!temp_exists(), "the temporary file is removed");
}
