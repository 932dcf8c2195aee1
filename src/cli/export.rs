//! `skein export` and `skein import`: argument handling around `skein::export`, which does
//! the work. Export never saves the graph, even when its query changes it.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::GraphArg;
use crate::Error;
use crate::export::{
    self, Cluster, Destination, ExportOptions, Format, Rankdir, Scope, export_scope,
};
use crate::query::{self, QueryOptions};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format: dot, svg, png, json, graphml, cypher, csv or ron (the graph file as text).
    #[arg(long, short = 'f', value_name = "FORMAT", default_value = "dot")]
    pub format: String,
    /// Export only what this query returns.
    #[arg(short = 'q', long = "query", value_name = "QUERY")]
    pub query: Option<String>,
    /// With --query: also export the edges between the returned nodes.
    #[arg(long)]
    pub induced: bool,
    /// Where to write (a directory for csv); stdout without it.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// DOT layout direction: LR (left to right), TB, RL or BT.
    #[arg(long, value_name = "DIR", default_value = "LR")]
    pub rankdir: String,
    /// DOT grouping of nodes into boxes: none, label or article.
    #[arg(long, value_name = "BY", default_value = "none")]
    pub cluster: String,
    /// DOT: leave out the legend.
    #[arg(long)]
    pub no_legend: bool,
    #[command(flatten)]
    pub graph: GraphArg,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Nodes CSV (`:ID`, `:LABEL`, property columns).
    #[arg(long, value_name = "FILE")]
    pub nodes: PathBuf,
    /// Edges CSV (`:START_ID`, `:END_ID`, `:TYPE`, property columns).
    #[arg(long, value_name = "FILE")]
    pub edges: Option<PathBuf>,
    #[command(flatten)]
    pub graph: GraphArg,
}

pub fn run_export(args: &ExportArgs, out: &mut dyn Write) -> Result<(), Error> {
    let format: Format = args.format.parse()?;
    let options = ExportOptions {
        rankdir: args.rankdir.parse::<Rankdir>()?,
        cluster: args.cluster.parse::<Cluster>()?,
        legend: !args.no_legend,
        induced: args.induced,
    };
    if args.induced && args.query.is_none() {
        return Err(Error::Usage(
            "--induced only applies with --query (-q); without it the whole graph is exported"
                .into(),
        ));
    }
    let mut graph = args.graph.load()?;
    // The query may change the graph in memory (CREATE, SET); export never saves it.
    let result = match &args.query {
        Some(text) => Some(
            query::execute(&mut graph, text, &QueryOptions::default())
                .map_err(|e| Error::query(text, e))?,
        ),
        None => None,
    };
    let scope = match &result {
        Some(result) => Scope::from_result(&graph, result, options.induced),
        None => Scope::all(&graph),
    };
    let dest = match &args.output {
        Some(path) => Destination::Path(path.clone()),
        None => Destination::Stdout,
    };
    match &dest {
        Destination::Stdout => {
            if format == Format::Csv {
                export_scope(&scope, &options, format, &dest)?;
            } else {
                // Standard output is line-buffered; a large export wants big writes.
                let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
                let written = export::write_scope(&scope, &options, format, &mut buffered)
                    .and_then(|()| buffered.flush().map_err(export::ExportError::Stdout));
                match written {
                    Err(e) if e.is_broken_pipe() => return Ok(()),
                    other => other?,
                }
            }
        }
        Destination::Path(path) => {
            export_scope(&scope, &options, format, &dest)?;
            eprintln!(
                "wrote {} nodes and {} relationships as {format} to {}",
                scope.node_count(),
                scope.edge_count(),
                path.display()
            );
        }
    }
    Ok(())
}

pub fn run_import(args: &ImportArgs, out: &mut dyn Write) -> Result<(), Error> {
    let _lock = args.graph.lock()?;
    let mut graph = args.graph.load_or_new()?;
    let stats = export::import_csv(&mut graph, &args.nodes, args.edges.as_deref())?;
    args.graph.save(&graph)?;
    writeln!(
        out,
        "imported {} nodes and {} relationships into {}",
        stats.nodes,
        stats.edges,
        args.graph.graph.display()
    )
    .map_err(|e| Error::io("stdout", e))
}
