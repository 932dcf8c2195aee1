//! `skein run` and `skein repl`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::GraphArg;
use super::query::OutputFormat;
use crate::Error;

#[derive(Debug, Args)]
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
    #[command(flatten)]
    pub graph: GraphArg,
}

#[derive(Debug, Args)]
pub struct ReplArgs {
    /// Articles or directories to ingest before the prompt.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub graph: GraphArg,
}

pub fn run_scripts(args: &RunArgs, out: &mut dyn Write) -> Result<(), Error> {
    let _ = (args, out);
    Err(Error::Usage("`skein run` is not built yet".into()))
}

pub fn run_repl(args: &ReplArgs, out: &mut dyn Write) -> Result<(), Error> {
    let _ = (args, out);
    Err(Error::Usage("`skein repl` is not built yet".into()))
}
