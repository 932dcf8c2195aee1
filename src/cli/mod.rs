//! The command line: one subcommand per job, each documented once here (clap derive) and
//! carried out by a `run` function in this module's files, which calls into the library.

mod explain;
mod export;
mod ingest;
mod parse;
mod query;
mod script;
mod stats;

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::Error;
use crate::graph::{self, Graph};

pub use explain::ExplainArgs;
pub use export::{ExportArgs, ImportArgs};
pub use ingest::{EvalArgs, IngestArgs};
pub use parse::ParseArgs;
pub use query::QueryArgs;
pub use script::{ReplArgs, RunArgs};
pub use stats::StatsArgs;

/// Build a knowledge graph from news articles and ask it questions in openCypher.
#[derive(Debug, Parser)]
#[command(name = "skein", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles (files, directories, or - for stdin) and merge what they say into the graph.
    Ingest(IngestArgs),
    /// Run one openCypher query and print its result.
    Query(QueryArgs),
    /// Run saved query scripts (statements end with `;`).
    Run(RunArgs),
    /// Explore the graph interactively.
    Repl(ReplArgs),
    /// Write the graph, or a query's result, as DOT, SVG, PNG, JSON, GraphML, Cypher, CSV or RON.
    Export(ExportArgs),
    /// Read nodes and edges from CSV files in the neo4j-admin import layout.
    Import(ImportArgs),
    /// Score the graph against a gold file (see EXTRACTION.md).
    Eval(EvalArgs),
    /// Print node counts per label, edge counts per type and the file's size.
    Stats(StatsArgs),
    /// Show how skein reads text: words, tags, dependency tree, entity mentions and the
    /// facts each rule drew; or score the parser against a CoNLL-U file (--eval).
    Parse(ParseArgs),
    /// Show why a node is what it is: its names, titles and articles, which rule merged each
    /// mention into it and on what evidence (split or merge with `same_entities` and
    /// `distinct_entities` in a --rules file when you disagree).
    ExplainNode(ExplainArgs),
}

/// The graph file a command reads or writes.
#[derive(Debug, Clone, Args)]
pub struct GraphArg {
    /// The graph file [default: $SKEIN_GRAPH, else skein.ron]
    #[arg(
        short = 'g',
        long = "graph",
        value_name = "FILE",
        env = "SKEIN_GRAPH",
        default_value = "skein.ron",
        hide_default_value = true,
        hide_env = true
    )]
    pub graph: PathBuf,
}

impl GraphArg {
    /// Loads the graph, which must exist.
    pub fn load(&self) -> Result<Graph, Error> {
        Ok(graph::load(&self.graph)?)
    }

    /// Loads the graph, or starts an empty one when the file does not exist yet.
    pub fn load_or_new(&self) -> Result<Graph, Error> {
        Ok(graph::load_or_new(&self.graph)?.0)
    }

    /// Saves the graph atomically.
    pub fn save(&self, graph: &Graph) -> Result<(), Error> {
        Ok(graph::save(graph, &self.graph)?)
    }

    /// Takes the right to write the graph file, waiting a bounded time for another skein
    /// that writes it. A command that changes the graph holds it from before it reads the
    /// file until after it saves, so that no other writer's update is lost between the two.
    pub fn lock(&self) -> Result<graph::files::WriteLock, Error> {
        Ok(graph::lock_for_writing(&self.graph)?)
    }
}

/// Leaves a value the command is done with to the end of the process instead of dropping it:
/// for a graph read from a file, whose millions of small maps are freed one by one and whose
/// memory the allocator then hands back to the system page by page, a cost (a tenth of a
/// second on a million edges) for nothing, as the process ends when the command returns.
fn discard_at_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Runs a parsed command line, writing results to stdout.
pub fn run(cli: Cli) -> Result<(), Error> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Ingest(args) => ingest::run_ingest(&args, &mut out),
        Command::Query(args) => query::run(&args, &mut out),
        Command::Run(args) => script::run_scripts(&args, &mut out),
        Command::Repl(args) => script::run_repl(&args, &mut out),
        Command::Export(args) => export::run_export(&args, &mut out),
        Command::Import(args) => export::run_import(&args, &mut out),
        Command::Eval(args) => ingest::run_eval(&args, &mut out),
        Command::Stats(args) => stats::run(&args, &mut out),
        Command::Parse(args) => parse::run(&args, &mut out),
        Command::ExplainNode(args) => explain::run(&args, &mut out),
    };
    result?;
    out.flush().map_err(|e| Error::io("stdout", e))
}
