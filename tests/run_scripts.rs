//! `skein run` and piped `skein repl` against the built binary in a fresh temp directory:
//! results in order, error positions with a caret, exit codes, and the rule that a graph is
//! saved only when a whole writing script succeeded.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use skein::graph::{self, Graph, Properties, Value};
use tempfile::TempDir;

struct Run {
    dir: TempDir,
}

impl Run {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut g = Graph::new();
        let mut props = Properties::new();
        props.insert("name", Value::from("Vladimir Putin"));
        g.add_node(["Person"], props);
        graph::save(&g, &dir.path().join("g.ron")).expect("save fixture");
        Run { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &[u8]) {
        fs::write(self.path(name), text).expect("write script");
    }

    fn graph_bytes(&self) -> Vec<u8> {
        fs::read(self.path("g.ron")).expect("read graph")
    }

    fn skein(&self, args: &[&str], stdin: Option<&[u8]>) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_skein"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("SKEIN_GRAPH")
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn skein");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input)
                .expect("write stdin");
        } else {
            drop(child.stdin.take());
        }
        let out = child.wait_with_output().expect("wait for skein");
        eprintln!(
            "$ skein {}\n(in {})\n--- status: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            args.join(" "),
            self.dir.path().display(),
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn results_are_printed_in_turn() {
    let run = Run::new();
    run.write(
        "s.cypher",
        b"// Two results, a comment and a meta-command.\n\
          MATCH (p:Person) RETURN p.name AS name;\n\
          :format csv\n\
          RETURN 'a;b' AS text, /* ; */ 2 AS n;\n",
    );
    let out = run.skein(&["run", "s.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "+------------------+\n\
         | name             |\n\
         +------------------+\n\
         | \"Vladimir Putin\" |\n\
         +------------------+\n\
         1 row\n\
         text,n\n\
         a;b,2\n"
    );
}

#[test]
fn an_error_on_line_3_reports_line_3_with_a_caret_and_exits_1() {
    let run = Run::new();
    run.write(
        "bad.cypher",
        b"RETURN 1 AS one;\n// the next statement is broken\nMATCH (n RETURN n;\nRETURN 2 AS two;\n",
    );
    let out = run.skein(&["run", "bad.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("bad.cypher:3:"), "{err}");
    assert!(err.contains("3 | MATCH (n RETURN n;"), "{err}");
    assert!(
        err.lines()
            .any(|l| l.trim() == "^" || l.trim().starts_with('^')),
        "{err}"
    );
    assert!(
        !stdout(&out).contains("two"),
        "the script stops at its first error"
    );
}

#[test]
fn a_statement_after_another_on_the_same_line_reports_its_own_column() {
    let run = Run::new();
    run.write("col.cypher", b"RETURN 1 AS a; RETURN nope AS b;\n");
    let out = run.skein(&["run", "col.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // The second statement starts at column 16; its error is at or after that column.
    let col: usize = err
        .split("col.cypher:1:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    assert!(col >= 16, "{err}");
    assert!(
        err.contains("1 | RETURN 1 AS a; RETURN nope AS b;"),
        "{err}"
    );
}

#[test]
fn a_failed_writing_script_leaves_the_graph_file_byte_for_byte_unchanged() {
    let run = Run::new();
    let before = run.graph_bytes();
    run.write(
        "w.cypher",
        b"CREATE (:Person {name: 'Kirill Dmitriev'});\nMATCH (p:Person) SET p.checked = true;\nRETURN undefined_variable;\n",
    );
    let out = run.skein(&["run", "w.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("w.cypher:3:"), "{}", stderr(&out));
    assert_eq!(run.graph_bytes(), before);

    let out = run.skein(
        &["run", "w.cypher", "-g", "g.ron", "--continue-on-error"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("left unchanged"), "{}", stderr(&out));
    assert_eq!(run.graph_bytes(), before);
}

#[test]
fn a_writing_script_saves_once_at_the_end_unless_dry_run() {
    let run = Run::new();
    let before = run.graph_bytes();
    run.write(
        "ok.cypher",
        b"MERGE (p:Person {name: 'Kirill Dmitriev'});\nMATCH (p:Person) RETURN count(p) AS n;\n\
          :export json people.json\n",
    );
    let out = run.skein(&["run", "ok.cypher", "-g", "g.ron", "--dry-run"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("| 2 "), "{}", stdout(&out));
    assert_eq!(run.graph_bytes(), before, "--dry-run saves nothing");
    assert!(
        !run.path("people.json").exists(),
        "--dry-run writes no export either"
    );

    let out = run.skein(&["run", "ok.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_ne!(run.graph_bytes(), before);
    let g = graph::load(&run.path("g.ron")).expect("load");
    assert_eq!(g.node_count(), 2);
    assert!(
        run.path("people.json").exists(),
        "a real run writes the export"
    );
}

#[test]
fn parameters_come_from_the_command_line_and_from_meta_commands() {
    let run = Run::new();
    run.write(
        "p.cypher",
        b"MATCH (p:Person {name: $who}) RETURN p.name AS name;\n:param who 'Nobody'\nMATCH (p:Person {name: $who}) RETURN p.name AS name;\n",
    );
    let out = run.skein(
        &[
            "run",
            "p.cypher",
            "-g",
            "g.ron",
            "--param",
            "who='Vladimir Putin'",
            "--format",
            "csv",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "name\nVladimir Putin\nname\n");
}

#[test]
fn meta_command_typos_are_reported_with_their_position_and_a_suggestion() {
    let run = Run::new();
    run.write("m.cypher", b"RETURN 1 AS x;\n  :shcema\n");
    let out = run.skein(&["run", "m.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("m.cypher:2:3: unknown command :shcema; did you mean :schema?"),
        "{err}"
    );
}

#[test]
fn unfinished_scripts_and_bad_bytes_are_user_errors_with_positions() {
    let run = Run::new();
    run.write("u.cypher", b"RETURN 1 AS x;\nRETURN 'never closed;\n");
    let out = run.skein(&["run", "u.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("u.cypher:2:8:"), "{}", stderr(&out));

    run.write("nosemi.cypher", b"RETURN 1 AS x;\nRETURN 2 AS y\n");
    let out = run.skein(&["run", "nosemi.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nosemi.cypher:2:1:"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("no `;`"), "{}", stderr(&out));

    run.write("bin.cypher", b"RETURN 1;\nRETURN '\xff';\n");
    let out = run.skein(&["run", "bin.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bin.cypher:2:9:"), "{}", stderr(&out));
}

#[test]
fn a_missing_script_is_an_io_error() {
    let run = Run::new();
    let out = run.skein(&["run", "missing.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.cypher"), "{}", stderr(&out));
}

#[test]
fn piped_input_to_the_repl_runs_like_a_script() {
    let run = Run::new();
    let out = run.skein(
        &["repl", "-g", "g.ron"],
        Some(b"MATCH (p:Person)\nRETURN p.name AS name;\n:format json\nRETURN 1 AS one;\n"),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "+------------------+\n\
         | name             |\n\
         +------------------+\n\
         | \"Vladimir Putin\" |\n\
         +------------------+\n\
         1 row\n\
         {\"one\": 1}\n"
    );
    assert!(!stdout(&out).contains("skein>"), "no prompts on a pipe");

    let out = run.skein(
        &["repl", "-g", "g.ron"],
        Some(b"RETURN 1;\n\nRETURN nope;\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("<stdin>:3:"), "{}", stderr(&out));
}

#[test]
fn piped_writes_are_saved_when_everything_succeeded() {
    let run = Run::new();
    let out = run.skein(
        &["repl", "-g", "g.ron"],
        Some(b"CREATE (:Region {name: 'Russia'});\n"),
    );
    assert_eq!(out.status.code(), Some(0));
    let g = graph::load(&run.path("g.ron")).expect("load");
    assert_eq!(g.node_count(), 2);
}

#[test]
fn run_save_and_load_meta_commands_work_in_scripts() {
    let run = Run::new();
    run.write("inner.cypher", b"MERGE (:Region {name: 'Russia'});\n");
    run.write(
        "outer.cypher",
        b":run inner.cypher\n:save copy.ron\n:load copy.ron\nMATCH (n) RETURN count(n) AS n;\n",
    );
    let out = run.skein(
        &["run", "outer.cypher", "-g", "g.ron", "--format", "csv"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "n\n2\n");
    assert_eq!(
        graph::load(&run.path("copy.ron"))
            .expect("load")
            .node_count(),
        2
    );

    run.write("self.cypher", b"RETURN 1 AS one;\n:run self.cypher\n");
    let out = run.skein(&["run", "self.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("does a script run itself?"),
        "{}",
        stderr(&out)
    );
}

/// `:help functions` is printed from the engine's one table, so a function the engine runs
/// is listed with its signature, dotted names included.
#[test]
fn help_functions_lists_every_function_with_its_signature() {
    let run = Run::new();
    let out = run.skein(&["repl", "-g", "g.ron"], Some(b":help functions\n"));
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for f in skein::query::function_table() {
        assert!(
            text.contains(&f.signature()),
            "{} missing from :help functions",
            f.name
        );
    }
    assert!(text.contains("toUpper(input :: STRING) :: STRING"));
    assert!(text.contains("duration.between(from :: TEMPORAL, to :: TEMPORAL) :: DURATION"));
}

/// `:help procedures` lists the built-in procedures a `CALL` can name.
#[test]
fn help_procedures_lists_the_built_in_procedures() {
    let run = Run::new();
    let out = run.skein(&["repl", "-g", "g.ron"], Some(b":help procedures\n"));
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for name in [
        "db.labels() :: (label :: STRING)",
        "db.relationshipTypes() :: (relationshipType :: STRING)",
        "db.propertyKeys()",
        "db.schema.nodeTypeProperties()",
        "db.schema.relTypeProperties()",
        "dbms.procedures()",
    ] {
        assert!(text.contains(name), "{name} missing from :help procedures");
    }
}

/// COUNT { } and COLLECT { } see the row's variables and keep their own inside; a subquery
/// expression that writes is refused before anything runs.
#[test]
fn count_and_collect_subqueries_see_the_row_and_only_read() {
    let run = Run::new();
    run.write(
        "s.cypher",
        b":format csv\n\
          CREATE (:Person {name: 'Steve Witkoff'})-[:MET_WITH]->(:Person {name: 'Kirill Dmitriev'});\n\
          MATCH (a:Person {name: 'Steve Witkoff'}), (b:Person {name: 'Vladimir Putin'}) CREATE (a)-[:MET_WITH]->(b);\n\
          MATCH (p:Person) RETURN p.name AS who, COUNT { (p)-[:MET_WITH]-() } AS n, \
          COLLECT { MATCH (p)-[:MET_WITH]-(q) RETURN q.name ORDER BY q.name } AS met ORDER BY who;\n",
    );
    let out = run.skein(&["run", "s.cypher", "-g", "g.ron", "--dry-run"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).ends_with(
            "who,n,met\n\
             Kirill Dmitriev,1,\"[\"\"Steve Witkoff\"\"]\"\n\
             Steve Witkoff,2,\"[\"\"Kirill Dmitriev\"\", \"\"Vladimir Putin\"\"]\"\n\
             Vladimir Putin,1,\"[\"\"Steve Witkoff\"\"]\"\n"
        ),
        "{}",
        stdout(&out)
    );
    run.write(
        "w.cypher",
        b"MATCH (p:Person) WHERE EXISTS { MATCH (p) SET p.x = 1 RETURN p } RETURN p;\n",
    );
    let out = run.skein(&["run", "w.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("SET cannot be used inside EXISTS"),
        "{}",
        stderr(&out)
    );
}

/// CALL { } runs once per row: a leading WITH imports the row's variables, what it returns
/// joins the row, a unit subquery that writes passes the row on, and a returned name may not
/// shadow the row's own.
#[test]
fn call_subqueries_run_per_row_with_imports_and_writes() {
    let run = Run::new();
    run.write(
        "s.cypher",
        b":format csv\n\
          CREATE (:Person {name: 'Steve Witkoff'})-[:MET_WITH]->(:Person {name: 'Kirill Dmitriev'});\n\
          MATCH (p:Person) CALL { WITH p MATCH (p)-[r:MET_WITH]-() RETURN count(r) AS n } \
          RETURN p.name AS who, n ORDER BY who;\n\
          UNWIND [1, 2] AS x CALL { RETURN 'a' AS y UNION RETURN 'b' AS y } RETURN x, y ORDER BY x, y;\n\
          MATCH (p:Person) CALL { WITH p SET p.seen = true } RETURN count(p) AS marked;\n\
          MATCH (p:Person) WHERE p.seen RETURN count(*) AS seen;\n",
    );
    let out = run.skein(&["run", "s.cypher", "-g", "g.ron", "--dry-run"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains(
            "who,n\nKirill Dmitriev,1\nSteve Witkoff,1\nVladimir Putin,0\n\
             x,y\n1,a\n1,b\n2,a\n2,b\n\
             marked\n3\n\
             seen\n3\n"
        ),
        "{}",
        stdout(&out)
    );
    run.write(
        "w.cypher",
        b"MATCH (p:Person) CALL { WITH p RETURN p.name AS p } RETURN p;\n",
    );
    let out = run.skein(&["run", "w.cypher", "-g", "g.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("`p` is already bound"),
        "{}",
        stderr(&out)
    );
}
