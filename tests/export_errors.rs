//! Export failures: bad paths, a full disk, bad arguments. Each gives a clear error and leaves
//! no partial file behind, and an existing destination untouched.

#[path = "interop/common.rs"]
mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Files in `dir` other than the ones named, e.g. a temporary file left behind.
fn leftovers(dir: &Path, expected: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !expected.contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

#[test]
fn a_missing_directory_is_named_with_a_hint() {
    let dir = tempfile::tempdir().expect("temp dir");
    save(&seeds_graph(), dir.path(), "g.ron");
    let out = skein(
        dir.path(),
        &["export", "-g", "g.ron", "-o", "no/such/dir/g.dot"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write no/such/dir/g.dot"),
        "{stderr}"
    );
    assert!(stderr.contains("the directory does not exist"), "{stderr}");
    assert_eq!(leftovers(dir.path(), &["g.ron"]), Vec::<String>::new());
}

#[test]
fn an_output_path_under_a_file_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    save(&seeds_graph(), dir.path(), "g.ron");
    for format in ["json", "csv"] {
        let out = skein(
            dir.path(),
            &["export", "-g", "g.ron", "-f", format, "-o", "g.ron/x"],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {stderr}");
        assert!(stderr.contains("g.ron/x"), "{stderr}");
    }
    assert_eq!(leftovers(dir.path(), &["g.ron"]), Vec::<String>::new());
}

#[test]
fn a_read_only_directory_gives_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    save(&seeds_graph(), dir.path(), "g.ron");
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    std::fs::write(locked.join("g.json"), "old").expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root ignores permission bits; the check below then only holds where they apply.
    let enforced = std::fs::File::create(locked.join("probe")).is_err();
    if enforced {
        let out = skein(
            dir.path(),
            &["export", "-g", "g.ron", "-f", "json", "-o", "locked/g.json"],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("Permission denied"), "{stderr}");
        assert!(
            stderr.contains("choose a directory you can write to"),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(locked.join("g.json")).expect("kept"),
            "old"
        );
        assert_eq!(leftovers(&locked, &["g.json"]), Vec::<String>::new());
    } else {
        eprintln!(
            "note: running as root, permission bits are not enforced; read-only case skipped"
        );
    }
    // Writable again, so that the temp dir can be removed.
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
}

#[test]
fn dev_full_gives_a_disk_full_error() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full here");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    save(&seeds_graph(), dir.path(), "g.ron");
    for format in ["dot", "json", "graphml", "cypher"] {
        let out = skein(
            dir.path(),
            &["export", "-g", "g.ron", "-f", format, "-o", "/dev/full"],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {stderr}");
        assert!(stderr.contains("cannot write /dev/full"), "{stderr}");
        assert!(stderr.contains("No space left on device"), "{stderr}");
        assert!(stderr.contains("the disk is full"), "{stderr}");
    }
    assert!(
        std::fs::metadata("/dev/full").is_ok_and(|m| !m.is_file()),
        "the device is never replaced by a file"
    );
}

/// Runs the binary with a file-size limit, the way a disk that fills up mid-write behaves:
/// writes past the limit fail (EFBIG) instead of killing the process.
fn skein_with_size_limit(dir: &Path, kib: u32, args: &[&str]) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_skein");
    let script = format!("trap '' XFSZ; ulimit -f {kib}; exec \"$0\" \"$@\"");
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(bin)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("sh runs")
}

#[test]
fn a_disk_that_fills_up_mid_write_leaves_no_partial_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    save(&seeds_graph(), dir.path(), "g.ron");
    std::fs::write(dir.path().join("out.json"), "old contents").expect("write");
    std::fs::create_dir(dir.path().join("csv")).expect("mkdir");
    std::fs::write(dir.path().join("csv/nodes.csv"), "old nodes").expect("write");
    for (format, dest) in [
        ("json", "out.json"),
        ("graphml", "out.json"),
        ("csv", "csv"),
    ] {
        let out = skein_with_size_limit(
            dir.path(),
            4,
            &["export", "-g", "g.ron", "-f", format, "-o", dest],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {stderr}");
        assert!(stderr.contains("nothing was written there"), "{stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.json")).expect("kept"),
        "old contents"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("csv/nodes.csv")).expect("kept"),
        "old nodes"
    );
    assert_eq!(
        leftovers(dir.path(), &["g.ron", "out.json", "csv"]),
        Vec::<String>::new()
    );
    assert_eq!(
        leftovers(&dir.path().join("csv"), &["nodes.csv"]),
        Vec::<String>::new()
    );
}

#[test]
fn bad_arguments_are_user_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    save(&seeds_graph(), dir.path(), "g.ron");
    let cases: [(&[&str], &str); 5] = [
        (
            &["-f", "xml"],
            "unknown export format \"xml\"; use one of dot, svg, png, json",
        ),
        (&["-f", "csv"], "csv writes two files"),
        (&["--rankdir", "up"], "unknown layout direction \"up\""),
        (&["--cluster", "type"], "unknown clustering \"type\""),
        (&["--induced"], "--induced only applies with --query"),
    ];
    for (extra, want) in cases {
        let mut args = vec!["export", "-g", "g.ron"];
        args.extend_from_slice(extra);
        let out = skein(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {stderr}");
        assert!(stderr.contains(want), "{extra:?}: {stderr}");
    }
    let out = skein(dir.path(), &["export", "-g", "missing.ron"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.ron"));
}
