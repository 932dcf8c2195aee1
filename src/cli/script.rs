//! `skein run` (saved scripts) and `skein repl` (the interactive shell, or a script read from
//! a pipe). Both load the graph, hand statements to a `repl::Session`, and save at most once.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::GraphArg;
use super::query::{OutputFormat, parse_params};
use crate::Error;
use crate::graph::files::FileStamp;
use crate::graph::{self, Graph};
use crate::repl::render::{Format, human_duration};
use crate::repl::{Flow, Session, Settings, shell};

const RUN_HELP: &str = "\
Exit status:
  0  every statement and meta-command succeeded
  1  a statement or meta-command failed (query error, bad script, bad argument);
     the graph file is left unchanged
  2  an I/O error (a script or the graph file could not be read or written)

A script that changes the graph (CREATE, MERGE, SET, DELETE, REMOVE) saves it once, at the
end, only when every statement succeeded; --dry-run saves nothing.";

#[derive(Debug, Args)]
#[command(after_help = RUN_HELP)]
pub struct RunArgs {
    /// Script files; statements end with `;`, meta-commands stand on their own lines.
    #[arg(required = true, value_name = "SCRIPT")]
    pub scripts: Vec<PathBuf>,
    /// A query parameter, `name=value`; the value is a Cypher literal.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// How to print results.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Go on with the next statement after an error (the exit code still reports it).
    #[arg(long)]
    pub continue_on_error: bool,
    /// Run everything but save nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Most memory one list, string or map built by a query may take, e.g. 512MiB or 4GiB.
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = crate::query::budget::parse_size)]
    pub max_memory: usize,
    #[command(flatten)]
    pub graph: GraphArg,
}

const REPL_HELP: &str = "\
At the prompt, statements end with `;` and may span lines; :help lists the meta-commands.
Tab completes keywords, labels, types, properties, variables and (inside quotes) entity names.
Ctrl-C drops the input or cancels a running query; Ctrl-D leaves. History is kept in
$XDG_DATA_HOME/skein/history (the platform's data directory elsewhere).

The graph changes in memory; :save writes it. When standard input is not a terminal, the
statements are run like a `skein run` script: no prompts, the first error stops with exit
status 1, and changes are saved at the end only when everything succeeded.";

#[derive(Debug, Args)]
#[command(after_help = REPL_HELP)]
pub struct ReplArgs {
    /// Articles or directories to ingest before the prompt.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Most memory one list, string or map built by a query may take, e.g. 512MiB or 4GiB.
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = crate::query::budget::parse_size)]
    pub max_memory: usize,
    #[command(flatten)]
    pub graph: GraphArg,
}

pub fn run_scripts(args: &RunArgs, out: &mut dyn Write) -> Result<(), Error> {
    let params = parse_params(&args.params)?;
    // A script may change the graph and is saved at its end: it holds the write lock from
    // the read to the save, unless it saves nothing.
    let _lock = if args.dry_run {
        None
    } else {
        Some(args.graph.lock()?)
    };
    let graph = args.graph.load_or_new()?;
    let settings = Settings {
        format: Format::from(args.format),
        dry_run: args.dry_run,
        continue_on_error: args.continue_on_error,
        max_memory: args.max_memory,
        ..Settings::default()
    };
    let mut session = Session::new(graph, args.graph.graph.clone(), settings);
    session.params = params;
    for script in &args.scripts {
        let flow = match session.run_script_file(script, out) {
            Err(e) if args.continue_on_error && !matches!(e, Error::Io { .. }) => {
                // A script that cannot be split still counts as one failure.
                session.failures += 1;
                let _ = out.flush();
                eprintln!("error: {}", e.render());
                Flow::Continue
            }
            other => other?,
        };
        if flow == Flow::Quit {
            break;
        }
    }
    out.flush().map_err(|e| Error::io("stdout", e))?;
    if let Some(message) = session.finish_script()? {
        eprintln!("{message}");
    }
    super::discard_at_exit(session);
    Ok(())
}

pub fn run_repl(args: &ReplArgs, out: &mut dyn Write) -> Result<(), Error> {
    let started = Instant::now();
    let interactive = io::stdin().is_terminal();
    // The REPL holds no lock while it runs: its file is stamped before the read, so that
    // `:save` notices a save by another writer since then (`Session::save_to`).
    let stamp = FileStamp::of(&args.graph.graph);
    let (graph, existed) = graph::load_or_new(&args.graph.graph)?;
    let settings = Settings {
        interactive,
        timing: interactive,
        max_memory: args.max_memory,
        ..Settings::default()
    };
    let mut session = Session::new(graph, args.graph.graph.clone(), settings);
    session.file_stamp = stamp;
    let mut banner = format!(
        "skein {} - an openCypher shell over who met, proposed, rejected or backed whom\n",
        env!("CARGO_PKG_VERSION")
    );
    banner.push_str(&if existed {
        format!("graph: {}\n", args.graph.graph.display())
    } else {
        format!(
            "graph: {} (new; :save writes it)\n",
            args.graph.graph.display()
        )
    });
    if !args.paths.is_empty() {
        let summary = session.ingest(&args.paths)?;
        let line = format!("ingested: {summary}\n");
        if interactive {
            banner.push_str(&line);
        } else {
            eprint!("{line}");
        }
    }
    if !interactive {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        shell::piped(&mut session, &mut input, out)?;
        out.flush().map_err(|e| Error::io("stdout", e))?;
        if let Some(message) = session.finish_script()? {
            eprintln!("{message}");
        }
        return Ok(());
    }
    banner.push_str(&contents(&session.graph));
    banner.push_str(&format!(
        "ready in {}. End statements with ';'. :help for help, :schema for the graph's \
         vocabulary, Tab completes, Ctrl-D leaves.\n",
        human_duration(started.elapsed())
    ));
    if session.graph.type_count("MET_WITH") > 0 {
        banner.push_str(
            "try:  MATCH (a:Person)-[r:MET_WITH]->(b) RETURN a.name, b.name, r.date, r.place;\n",
        );
    } else if session.graph.node_count() == 0 {
        banner.push_str(
            "the graph is empty: :ingest PATH reads articles, :load FILE opens a graph\n",
        );
    }
    shell::interactive(&mut session, &banner, out)
}

/// "40 nodes (Organization 10, Person 12, Region 18), 31 relationships (...)".
fn contents(graph: &Graph) -> String {
    let join = |parts: Vec<String>| {
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    };
    let labels = graph.labels().map(|(l, n)| format!("{l} {n}")).collect();
    let types = graph.rel_types().map(|(t, n)| format!("{t} {n}")).collect();
    format!(
        "{} nodes{}, {} relationships{}\n",
        graph.node_count(),
        join(labels),
        graph.edge_count(),
        join(types)
    )
}
