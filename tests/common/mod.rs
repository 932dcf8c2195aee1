//! Runs the built `skein` binary in a fresh temporary directory, and on failure shows the
//! command, the directory and both output streams.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub mod random_graph;

/// A temporary working directory for one test, with helpers to run skein inside it.
pub struct Dir {
    pub root: tempfile::TempDir,
}

/// What a finished command printed, with the command line for error messages.
pub struct Run {
    pub cmd: String,
    pub dir: PathBuf,
    pub output: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    fn describe(&self) -> String {
        format!(
            "command: {}\ndirectory: {}\nexit: {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.cmd,
            self.dir.display(),
            self.code(),
            self.stdout(),
            self.stderr()
        )
    }

    /// Asserts the exit code and returns self for further checks.
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(self.code(), Some(code), "{}", self.describe());
        self
    }

    /// Asserts that stderr contains `needle`.
    pub fn expect_stderr(self, needle: &str) -> Self {
        assert!(
            self.stderr().contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.describe()
        );
        self
    }

    /// Asserts that stdout contains `needle`.
    pub fn expect_stdout(self, needle: &str) -> Self {
        assert!(
            self.stdout().contains(needle),
            "stdout lacks {needle:?}\n{}",
            self.describe()
        );
        self
    }
}

impl Dir {
    pub fn new() -> Self {
        Dir {
            root: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.root.path()
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// Runs skein with `args` in this directory, with no graph named by the environment.
    pub fn skein(&self, args: &[&str]) -> Run {
        self.skein_with_stdin(args, None)
    }

    /// Runs skein with `args`, feeding `stdin` when given.
    pub fn skein_with_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> Run {
        use std::io::Write;
        let mut command = Command::new(env!("CARGO_BIN_EXE_skein"));
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("SKEIN_GRAPH")
            .env("XDG_DATA_HOME", self.path().join(".data"))
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the skein binary starts");
        if let Some(bytes) = stdin {
            let mut pipe = child.stdin.take().expect("stdin is piped");
            // A command may exit before reading all of its input; that is not this helper's
            // failure to report.
            let _ = pipe.write_all(bytes);
        }
        let output = child.wait_with_output().expect("the skein binary runs");
        Run {
            cmd: format!("skein {}", args.join(" ")),
            dir: self.path().to_path_buf(),
            output,
        }
    }
}

/// The repository root (where Cargo.toml is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compares what a data-driven test produced with its expected file, or rewrites the file
/// when `SKEIN_BLESS` is set; `test` is the test file that runs the cases.
pub fn check_blessed(expected_path: &Path, got: &str, test: &str) {
    let name = expected_path.display();
    if std::env::var_os("SKEIN_BLESS").is_some() {
        std::fs::write(expected_path, got).expect("write the expected file");
        return;
    }
    let expected = std::fs::read_to_string(expected_path)
        .unwrap_or_else(|_| panic!("no {name}; run SKEIN_BLESS=1 cargo test --test {test}"));
    if got != expected {
        let diff: Vec<String> = expected
            .lines()
            .zip(got.lines())
            .filter(|(e, g)| e != g)
            .take(10)
            .map(|(e, g)| format!("expected: {e}\n     got: {g}"))
            .collect();
        panic!(
            "output differs from {name} (SKEIN_BLESS=1 to accept):\n{}\n--- got\n{got}",
            diff.join("\n")
        );
    }
}

/// Runs the cases of `tests/data/NAME.txt` (a text a line; blank lines and lines opening with
/// `#` are skipped) through `read`, and compares what each gives, under a `> text` line, with
/// `tests/data/NAME.expected` (see `check_blessed`); `test` is the test file that runs them.
pub fn check_cases(name: &str, test: &str, mut read: impl FnMut(&str) -> Vec<String>) {
    let root = repo_root().join("tests/data");
    let cases = std::fs::read_to_string(root.join(format!("{name}.txt")))
        .unwrap_or_else(|_| panic!("tests/data/{name}.txt is here"));
    let mut got = String::new();
    let mut n = 0;
    for line in cases.lines() {
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        n += 1;
        got.push_str(&format!("> {text}\n"));
        for l in read(text) {
            got.push_str(&format!("{l}\n"));
        }
        got.push('\n');
    }
    assert!(n >= 10, "the cases of tests/data/{name}.txt are missing");
    check_blessed(&root.join(format!("{name}.expected")), &got, test);
}
