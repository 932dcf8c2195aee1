//! `skein query`: one query from the command line, printed as a table, JSON lines or CSV.
//! A query that writes saves the graph atomically; a failed one leaves the file untouched.

use std::collections::BTreeMap;
use std::io::Write;

use clap::{Args, ValueEnum};

use super::GraphArg;
use crate::Error;
use crate::graph::files::FileStamp;
use crate::query::{self, QueryOptions, QueryValue, parse_value};
use crate::repl::render::{self, Format};
use crate::repl::session::terminal_width;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns with a header and a row count.
    Table,
    /// One JSON object per row.
    Json,
    /// A header line, then one line per row.
    Csv,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Table => Format::Table,
            OutputFormat::Json => Format::Json,
            OutputFormat::Csv => Format::Csv,
        }
    }
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
    /// Most memory one list, string or map built by a query may take, e.g. 512MiB or 4GiB.
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = crate::query::budget::parse_size)]
    pub max_memory: usize,
    #[command(flatten)]
    pub graph: GraphArg,
}

/// Parses `--param name=value` options; the value is a Cypher literal.
pub(crate) fn parse_params(params: &[String]) -> Result<BTreeMap<String, QueryValue>, Error> {
    let mut out = BTreeMap::new();
    for param in params {
        let Some((name, value)) = param.split_once('=') else {
            return Err(Error::Usage(format!(
                "--param {param:?}: write it as NAME=VALUE, e.g. --param \"who='Vladimir Putin'\""
            )));
        };
        let name = name.trim().trim_start_matches('$');
        let valid_name = name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !valid_name {
            return Err(Error::Usage(format!(
                "--param {param:?}: {name:?} is not a parameter name (letters, digits, _)"
            )));
        }
        let value = parse_value(value.trim()).map_err(|e| {
            Error::Usage(format!(
                "--param {param:?}: the value is not a Cypher literal ({}); quote text as \
                 'text', e.g. --param \"{name}='Vladimir Putin'\"",
                e.message
            ))
        })?;
        out.insert(name.to_string(), value);
    }
    Ok(out)
}

pub fn run(args: &QueryArgs, out: &mut dyn Write) -> Result<(), Error> {
    let params = parse_params(&args.params)?;
    let mut options = QueryOptions {
        params,
        ..QueryOptions::default()
    };
    options.limits.max_memory = args.max_memory;
    let run = || -> Result<_, Error> {
        let mut graph = args.graph.load()?;
        let result = query::execute(&mut graph, &args.query, &options)
            .map_err(|e| Error::query(&args.query, e))?;
        Ok((graph, result))
    };
    // A query that only reads takes no lock, so readers never wait. One that writes takes
    // the lock before it saves; if another writer saved the file after this one read it,
    // the query runs again on the new graph, under the lock, so that neither update is lost.
    let stamp = FileStamp::of(&args.graph.graph);
    let (mut graph, mut result) = run()?;
    let _lock = if result.stats.contains_updates() {
        let lock = args.graph.lock()?;
        if FileStamp::of(&args.graph.graph) != stamp {
            (graph, result) = run()?;
        }
        Some(lock)
    } else {
        None
    };
    let width = terminal_width();
    let text = render::render(&result, args.format.into(), width, None);
    if result.stats.contains_updates() {
        args.graph.save(&graph)?;
    }
    let written = out
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("stdout", e));
    super::discard_at_exit(graph);
    written
}
