//! `skein query`.

use std::io::Write;

use clap::{Args, ValueEnum};

use super::GraphArg;
use crate::Error;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The openCypher query.
    pub query: String,
    /// A query parameter, `name=value`; the value is a Cypher literal (`'text'`, 3, [1, 2]).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub graph: GraphArg,
}

pub fn run(args: &QueryArgs, out: &mut dyn Write) -> Result<(), Error> {
    let _ = (args, out);
    Err(Error::Usage("`skein query` is not built yet".into()))
}
