//! `skein ingest` and `skein eval`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::GraphArg;
use crate::Error;

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Article files or directories (read recursively); `-` reads one article from stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Extra rules: entities with aliases, trigger words, new relationship types (RON).
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// The date of articles that have no ` date YYYY-MM-DD` header.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    #[command(flatten)]
    pub graph: GraphArg,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The gold file (JSON, see EXTRACTION.md).
    #[arg(value_name = "GOLD.json")]
    pub gold: PathBuf,
    /// Articles to ingest into a fresh graph and score; without them the graph file is scored.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub graph: GraphArg,
}

pub fn run_ingest(args: &IngestArgs, out: &mut dyn Write) -> Result<(), Error> {
    let _ = (args, out);
    Err(Error::Usage("`skein ingest` is not built yet".into()))
}

pub fn run_eval(args: &EvalArgs, out: &mut dyn Write) -> Result<(), Error> {
    let _ = (args, out);
    Err(Error::Usage("`skein eval` is not built yet".into()))
}
