//! `skein export` and `skein import`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::GraphArg;
use crate::Error;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format: dot, svg, png, json, graphml, cypher or csv.
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
    let _ = (args, out);
    Err(Error::Usage("`skein export` is not built yet".into()))
}

pub fn run_import(args: &ImportArgs, out: &mut dyn Write) -> Result<(), Error> {
    let _ = (args, out);
    Err(Error::Usage("`skein import` is not built yet".into()))
}
