//! The graph file and the files skein reads stay safe under concurrent writers, odd file
//! types, damaged id counters and unusual permissions and links (issue 16, items 7-10, 13).

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Dir;

/// A small graph file with one node, saved again by skein itself.
fn seeded(dir: &Dir, name: &str) {
    fs::write(dir.join(name), graph_with_counters("1", 0)).unwrap();
    dir.skein(&["query", "MATCH (n) SET n.seen = true", "-g", name])
        .expect_code(0);
}

fn node_count(dir: &Dir, name: &str) -> usize {
    let run = dir
        .skein(&[
            "query",
            "MATCH (n) RETURN count(n) AS c",
            "--format",
            "csv",
            "-g",
            name,
        ])
        .expect_code(0);
    run.stdout()
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .expect("a count")
}

#[test]
fn ten_concurrent_writers_keep_every_update_or_fail_loudly() {
    let dir = Dir::new();
    seeded(&dir, "same.ron");
    let children: Vec<_> = (0..10)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_skein"))
                .args([
                    "query",
                    &format!("CREATE (:Writer {{n: {i}}})"),
                    "-g",
                    "same.ron",
                ])
                .current_dir(dir.path())
                .env_remove("SKEIN_GRAPH")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("skein starts")
        })
        .collect();
    let mut kept = 0;
    for child in children {
        let out = child.wait_with_output().expect("skein runs");
        if out.status.success() {
            kept += 1;
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("another skein"), "a failure says why: {err}");
        }
    }
    assert_eq!(
        node_count(&dir, "same.ron"),
        1 + kept,
        "every success was kept"
    );
    assert!(kept > 0, "at least one writer succeeded");
}

#[test]
fn a_second_writer_fails_clearly_when_the_lock_is_held_past_its_wait() {
    let dir = Dir::new();
    seeded(&dir, "g.ron");
    // Another process holds the lock: a file description of our own stands for it.
    let lock = fs::File::create(dir.join(".g.ron.lock")).expect("the lock file can be made");
    lock.try_lock().expect("nobody holds it now");
    let run = Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(["query", "CREATE (:Late)", "-g", "g.ron"])
        .current_dir(dir.path())
        .env("SKEIN_LOCK_WAIT", "0.3")
        .output()
        .expect("skein runs");
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("another skein is writing this graph"), "{err}");
    drop(lock);
    assert_eq!(
        node_count(&dir, "g.ron"),
        1,
        "the failed writer changed nothing"
    );
}

fn graph_with_counters(next_node_id: &str, node_id: u64) -> String {
    format!(
        "(\n  format: \"skein-graph\",\n  version: 1,\n  next_node_id: {next_node_id},\n  \
         next_edge_id: 0,\n  nodes: [\n    (id: {node_id}, labels: [\"Person\"], props: {{\"name\": \"Vladimir Putin\"}}),\n  ],\n  edges: [],\n)\n"
    )
}

#[test]
fn a_node_id_counter_at_the_maximum_is_refused_with_its_position() {
    let dir = Dir::new();
    fs::write(
        dir.join("g.ron"),
        graph_with_counters("18446744073709551615", 0),
    )
    .unwrap();
    let before = fs::read(dir.join("g.ron")).unwrap();
    dir.skein(&["query", "CREATE (n) CREATE (m)", "-g", "g.ron"])
        .expect_code(1)
        .expect_stderr("g.ron:4:3: ")
        .expect_stderr("next_node_id is 18446744073709551615");
    assert_eq!(
        fs::read(dir.join("g.ron")).unwrap(),
        before,
        "left as it was"
    );
}

#[test]
fn a_node_id_counter_below_an_existing_id_is_refused() {
    let dir = Dir::new();
    fs::write(dir.join("g.ron"), graph_with_counters("3", 7)).unwrap();
    dir.skein(&["stats", "-g", "g.ron"])
        .expect_code(1)
        .expect_stderr("g.ron:4:3: ")
        .expect_stderr("node id 7 is in use");
}

#[test]
fn a_save_keeps_a_private_file_private() {
    let dir = Dir::new();
    seeded(&dir, "g.ron");
    fs::set_permissions(dir.join("g.ron"), fs::Permissions::from_mode(0o600)).unwrap();
    dir.skein(&["query", "CREATE (:Other)", "-g", "g.ron"])
        .expect_code(0);
    let mode = fs::metadata(dir.join("g.ron"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(node_count(&dir, "g.ron"), 2);
}

#[test]
fn a_read_only_graph_file_is_refused_and_kept() {
    let dir = Dir::new();
    seeded(&dir, "g.ron");
    fs::set_permissions(dir.join("g.ron"), fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read(dir.join("g.ron")).unwrap();
    dir.skein(&["query", "CREATE (:Other)", "-g", "g.ron"])
        .expect_code(1)
        .expect_stderr("read-only");
    assert_eq!(fs::read(dir.join("g.ron")).unwrap(), before);
}

#[test]
fn a_save_through_a_symlink_updates_the_target_and_keeps_the_link() {
    let dir = Dir::new();
    fs::create_dir(dir.join("real")).unwrap();
    seeded(&dir, "real/g.ron");
    std::os::unix::fs::symlink("real/g.ron", dir.join("link.ron")).unwrap();
    dir.skein(&["query", "CREATE (:Other)", "-g", "link.ron"])
        .expect_code(0);
    assert!(
        fs::symlink_metadata(dir.join("link.ron"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        node_count(&dir, "real/g.ron"),
        2,
        "the target got the update"
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file beside the link");
}

#[test]
fn a_save_of_a_hard_linked_graph_leaves_the_other_name_whole() {
    let dir = Dir::new();
    seeded(&dir, "g.ron");
    fs::hard_link(dir.join("g.ron"), dir.join("snapshot.ron")).unwrap();
    dir.skein(&["query", "CREATE (:Other)", "-g", "g.ron"])
        .expect_code(0);
    assert_eq!(node_count(&dir, "g.ron"), 2);
    assert_eq!(
        node_count(&dir, "snapshot.ron"),
        1,
        "the other name keeps the old graph"
    );
}

#[test]
fn a_stale_temp_file_of_a_killed_save_is_cleaned_by_the_next_save() {
    let dir = Dir::new();
    seeded(&dir, "g.ron");
    let stale = dir.join(".g.ron.4194304.tmp");
    fs::write(&stale, b"(format: \"skein-graph\", half a").unwrap();
    dir.skein(&["query", "CREATE (:Other)", "-g", "g.ron"])
        .expect_code(0);
    assert!(!stale.exists());
}

#[test]
fn ingest_of_a_missing_path_fails_and_creates_no_graph() {
    let dir = Dir::new();
    dir.skein(&["ingest", "typo.txt", "-g", "g.ron"])
        .expect_code(1)
        .expect_stderr("typo.txt: no such file or directory");
    assert!(!dir.join("g.ron").exists());
}

/// Makes a named pipe `pipe` in `dir` (nothing ever writes to it) and returns its path.
fn fifo(dir: &Dir) -> String {
    let fifo = dir.join("pipe");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    fifo.to_str().unwrap().to_string()
}

#[test]
fn a_device_or_a_fifo_is_refused_as_a_gold_file_treebank_script_or_parsed_article() {
    let dir = Dir::new();
    let fifo = &fifo(&dir);
    for input in ["/dev/zero", fifo] {
        for args in [
            vec!["eval", input, "-g", "g.ron"],
            vec!["eval", "--identity", input],
            vec!["parse", "--file", input],
            vec!["parse", "--eval", input],
            vec!["run", input, "-g", "g.ron"],
        ] {
            let out = run_bounded(&dir, &args, Duration::from_secs(10));
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("not a regular file"), "{args:?}: {err}");
        }
    }
}

/// Runs skein and fails the test if it has not ended within `limit`.
fn run_bounded(dir: &Dir, args: &[&str], limit: Duration) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(args)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("skein starts");
    let started = Instant::now();
    while child.try_wait().expect("waiting works").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("skein {args:?} did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("skein ran")
}

#[test]
fn a_device_or_a_fifo_is_refused_as_graph_or_csv_without_hanging() {
    let dir = Dir::new();
    let fifo = &fifo(&dir);
    let limit = Duration::from_secs(10);
    for args in [
        vec!["stats", "-g", "/dev/zero"],
        vec!["query", "RETURN 1", "-g", fifo],
        vec!["import", "--nodes", "/dev/zero", "-g", "g.ron"],
        vec!["import", "--nodes", fifo, "-g", "g.ron"],
    ] {
        let out = run_bounded(&dir, &args, limit);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
    assert!(!dir.join("g.ron").exists());
}

#[test]
fn a_device_or_a_fifo_is_refused_as_a_rules_file_without_hanging() {
    let dir = Dir::new();
    let fifo = &fifo(&dir);
    std::fs::write(dir.join("a.txt"), "Steve Witkoff met Vladimir Putin.\n").unwrap();
    for rules in ["/dev/zero", fifo] {
        let args = ["ingest", "a.txt", "--rules", rules, "-g", "g.ron"];
        let out = run_bounded(&dir, &args, Duration::from_secs(10));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
    assert!(!dir.join("g.ron").exists());
}

#[test]
fn a_damaged_binary_graph_file_is_refused_and_left_as_it_is() {
    let dir = Dir::new();
    seeded(&dir, "g.ron");
    let mut bytes = fs::read(dir.join("g.ron")).unwrap();
    assert!(
        bytes.starts_with(b"\x89SKEIN"),
        "saves write the binary form"
    );
    let last = bytes.len() - 1;
    bytes[last] ^= 0x20;
    fs::write(dir.join("g.ron"), &bytes).unwrap();
    dir.skein(&["query", "CREATE (:Other)", "-g", "g.ron"])
        .expect_code(1)
        .expect_stderr("g.ron: byte 24: not a valid skein graph file: the checksum does not match");
    assert_eq!(fs::read(dir.join("g.ron")).unwrap(), bytes);
}

#[test]
fn a_graph_exported_as_ron_opens_as_the_same_graph() {
    let dir = Dir::new();
    seeded(&dir, "g.ron");
    dir.skein(&["export", "-f", "ron", "-o", "text.ron", "-g", "g.ron"])
        .expect_code(0);
    let text = fs::read_to_string(dir.join("text.ron")).unwrap();
    assert!(text.contains("\"Vladimir Putin\""), "{text}");
    let rows = |g: &str| {
        dir.skein(&[
            "query",
            "MATCH (n) RETURN id(n), n.name, n.seen",
            "--format",
            "csv",
            "-g",
            g,
        ])
        .expect_code(0)
        .stdout()
    };
    assert_eq!(rows("text.ron"), rows("g.ron"));
}

/// A REPL fed by a pipe holds no lock between statements; another writer that saves the file
/// meanwhile must not lose its update to the REPL's `:save` (issue 16, item 9, for the REPL).
#[test]
fn a_repl_save_refuses_to_overwrite_a_file_another_writer_saved_since_it_was_read() {
    use std::io::{BufRead, BufReader, Write};
    let dir = Dir::new();
    seeded(&dir, "g.ron");
    let mut repl = Command::new(env!("CARGO_BIN_EXE_skein"))
        .args(["repl", "-g", "g.ron"])
        .current_dir(dir.path())
        .env_remove("SKEIN_GRAPH")
        .env("XDG_DATA_HOME", dir.join(".data"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("skein repl starts");
    let mut stdin = repl.stdin.take().expect("piped stdin");
    let mut stdout = BufReader::new(repl.stdout.take().expect("piped stdout"));
    stdin
        .write_all(b"CREATE (:Mine) RETURN 'created' AS done;\n")
        .unwrap();
    stdin.flush().unwrap();
    // The REPL has read the file once it answers.
    let mut line = String::new();
    while !line.contains("created") {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the REPL ended before answering"
        );
    }
    dir.skein(&["query", "CREATE (:Theirs)", "-g", "g.ron"])
        .expect_code(0);
    stdin.write_all(b":save g.ron\n").unwrap();
    drop(stdin);
    let out = repl.wait_with_output().expect("skein repl runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "the refused save fails: {err}");
    assert!(
        err.contains("changed on disk"),
        "the refusal says why: {err}"
    );
    assert!(
        err.contains(":save!") && err.contains(":load"),
        "and what to do: {err}"
    );
    let labels = dir
        .skein(&[
            "query",
            "MATCH (n) RETURN labels(n) AS l",
            "--format",
            "csv",
            "-g",
            "g.ron",
        ])
        .expect_code(0)
        .stdout();
    assert!(
        labels.contains("Theirs"),
        "the other writer's node is kept: {labels}"
    );
    assert!(
        !labels.contains("Mine"),
        "the refused save wrote nothing: {labels}"
    );
}

#[test]
fn stats_reports_the_memory_an_open_graph_takes() {
    let dir = Dir::new();
    seeded(&dir, "g.ron");
    dir.skein(&["stats", "-g", "g.ron", "--memory"])
        .expect_code(0)
        .expect_stdout("nodes: ")
        .expect_stdout("memory: ");
}
