//! Exports and imports: the graph, or a query's result, as DOT, JSON, GraphML, a Cypher
//! script or CSV files in the neo4j-admin layout, and the CSV layout back in.
//!
//! Every writer streams: it walks the graph in id order and writes each element as it goes,
//! never holding the whole output in memory, and iterates properties in key order so that the
//! same graph always gives the same bytes. Writing to a file is atomic: the output goes to a
//! temporary file beside the destination, is synced, then renamed over it; on any error the
//! temporary file is removed and the destination is left as it was. Nothing here reads the
//! user's terminal or changes the graph it exports.
//!
//! # Entry points
//! - [`export_graph`] writes the whole graph, [`export_result`] what a query returned (the
//!   nodes, relationships and paths found anywhere in its rows; with
//!   [`ExportOptions::induced`] also the edges between the returned nodes).
//! - [`Destination`] is where the output goes: `Destination::Stdout`, or
//!   `Destination::Path(path)`, a file, or a directory for [`Format::Csv`] (which writes
//!   `nodes.csv` and `edges.csv` into it). [`write_graph`], [`write_result`] and
//!   [`write_scope`] write a single-stream format (every one but csv) to any `Write` instead,
//!   which is what the REPL's `:export` and `skein export` without `-o` use.
//! - [`import_csv`] reads the CSV layout back into a graph, adding to what it holds.
//!
//! Measured on a graph of one million edges (`cargo bench --bench export`, to a sink, on the
//! project's 2-core machine): json 1.4 s, cypher 2.6 s, graphml 2.2 s, csv 1.9 s, dot 1.7 s.
//!
//! # Formats and their conventions
//! - `dot`: Graphviz, one style per label with a legend, see [`dot`]. `svg` and `png` are the
//!   DOT rendered by the `dot` program when it is installed.
//! - `json`: the shape EXTRACTION.md fixes, `{"nodes": [{"id", "labels", "properties"}],
//!   "edges": [{"id", "type", "source", "target", "properties"}]}`. JSON has no NaN or
//!   infinity, so such floats are written as `null`.
//! - `graphml`: typed `<key>`s, see [`graphml`] for lists and mixed types.
//! - `cypher`: a script of `MERGE` statements, one a line, runnable twice; see [`cypher`].
//! - `csv`: the neo4j-admin import layout; see [`csv`] for headers, quoting and arrays.
//! - `ron`: the readable text form of skein's own graph file (saves write the compact binary
//!   form); `-g FILE.ron` opens it like any graph file, and its next save makes it binary.

mod atomic;
pub mod csv;
pub mod cypher;
pub mod dot;
pub mod graphml;
mod import;
pub mod json;
mod render;
mod schema;
mod scope;

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;
use std::str::FromStr;

pub use import::{ImportStats, import_csv};
pub use scope::Scope;

use crate::graph::Graph;
use crate::query::QueryResult;

/// What can go wrong while exporting or importing.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A tool the export needs is missing (Graphviz for svg and png).
    #[error("{0}")]
    Unavailable(String),
    /// A request that cannot be carried out as given.
    #[error("{0}")]
    Usage(String),
    /// Writing the output failed; the destination was left as it was.
    #[error("cannot write {}: {source}; nothing was written there{hint}", path.display(), hint = write_hint(source))]
    Write { path: PathBuf, source: io::Error },
    /// Writing to standard output failed.
    #[error("cannot write to standard output: {0}")]
    Stdout(io::Error),
    /// Graphviz ran but failed.
    #[error("Graphviz `dot` failed: {0}")]
    Render(String),
    /// An import file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    /// An import file is malformed at a place it names.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Malformed {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

fn write_hint(err: &io::Error) -> &'static str {
    match err.kind() {
        io::ErrorKind::PermissionDenied => " (choose a directory you can write to with -o)",
        io::ErrorKind::NotFound => " (the directory does not exist; create it first)",
        io::ErrorKind::StorageFull => " (the disk is full; free some space or write elsewhere)",
        io::ErrorKind::FileTooLarge => {
            " (the file would pass a size limit; free some space or write elsewhere)"
        }
        _ => "",
    }
}

impl ExportError {
    /// Whether the error is the user's to fix (bad input) rather than the system's.
    pub fn is_user_error(&self) -> bool {
        match self {
            // A pipe, a device or a read-only file where a file was wanted is the user's to
            // fix; a failing disk is not.
            ExportError::Read { source, .. } | ExportError::Write { source, .. } => {
                source.kind() == io::ErrorKind::InvalidInput
            }
            ExportError::Stdout(_) | ExportError::Render(_) => false,
            _ => true,
        }
    }

    /// Whether the error is a closed pipe on standard output, a normal end for `| head`.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, ExportError::Stdout(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Dot,
    Svg,
    Png,
    Json,
    Graphml,
    Cypher,
    Csv,
    Ron,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Dot,
        Format::Svg,
        Format::Png,
        Format::Json,
        Format::Graphml,
        Format::Cypher,
        Format::Csv,
        Format::Ron,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Json => "json",
            Format::Graphml => "graphml",
            Format::Cypher => "cypher",
            Format::Csv => "csv",
            Format::Ron => "ron",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == lower || (lower == "gv" && *f == Format::Dot))
            .ok_or_else(|| {
                ExportError::Usage(format!(
                    "unknown export format {s:?}; use one of dot, svg, png, json, graphml, cypher, csv, ron"
                ))
            })
    }
}

/// The direction Graphviz lays the graph out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rankdir {
    /// Top to bottom.
    Tb,
    /// Left to right, which suits wide labels and is the default.
    #[default]
    Lr,
    Bt,
    Rl,
}

impl Rankdir {
    pub fn as_str(self) -> &'static str {
        match self {
            Rankdir::Tb => "TB",
            Rankdir::Lr => "LR",
            Rankdir::Bt => "BT",
            Rankdir::Rl => "RL",
        }
    }
}

impl FromStr for Rankdir {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "TB" => Ok(Rankdir::Tb),
            "LR" => Ok(Rankdir::Lr),
            "BT" => Ok(Rankdir::Bt),
            "RL" => Ok(Rankdir::Rl),
            _ => Err(ExportError::Usage(format!(
                "unknown layout direction {s:?}; use TB, LR, BT or RL"
            ))),
        }
    }
}

/// How DOT groups nodes into boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cluster {
    /// No grouping.
    #[default]
    None,
    /// One box per label (Person, Organization, Region, other).
    Label,
    /// One box per article: the first article a node was read in.
    Article,
}

impl FromStr for Cluster {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Cluster::None),
            "label" => Ok(Cluster::Label),
            "article" => Ok(Cluster::Article),
            _ => Err(ExportError::Usage(format!(
                "unknown clustering {s:?}; use none, label or article"
            ))),
        }
    }
}

/// How to export; `Default` gives what `skein export` does without options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// DOT layout direction.
    pub rankdir: Rankdir,
    /// DOT grouping of nodes.
    pub cluster: Cluster,
    /// DOT legend of node and edge styles.
    pub legend: bool,
    /// For a query's result: also export the edges between the returned nodes.
    pub induced: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            rankdir: Rankdir::default(),
            cluster: Cluster::default(),
            legend: true,
            induced: false,
        }
    }
}

/// Where an export goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Standard output (not for csv, which writes two files).
    Stdout,
    /// A file, replaced atomically; for csv, a directory that receives `nodes.csv` and
    /// `edges.csv` (created when missing).
    Path(PathBuf),
}

/// Writes the whole graph.
pub fn export_graph(
    graph: &Graph,
    options: &ExportOptions,
    format: Format,
    dest: &Destination,
) -> Result<(), ExportError> {
    export_scope(&Scope::all(graph), options, format, dest)
}

/// Writes what a query returned: its nodes, relationships and paths, wherever they sit in the
/// rows (lists and maps included). Relationships bring their end nodes along.
pub fn export_result(
    graph: &Graph,
    result: &QueryResult,
    options: &ExportOptions,
    format: Format,
    dest: &Destination,
) -> Result<(), ExportError> {
    let scope = Scope::from_result(graph, result, options.induced);
    export_scope(&scope, options, format, dest)
}

/// Writes the whole graph in a single-stream format to `out` (every format but csv).
pub fn write_graph(
    graph: &Graph,
    options: &ExportOptions,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    write_stream(&Scope::all(graph), options, format, out)
}

/// Writes a query's result in a single-stream format to `out` (every format but csv).
pub fn write_result(
    graph: &Graph,
    result: &QueryResult,
    options: &ExportOptions,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let scope = Scope::from_result(graph, result, options.induced);
    write_stream(&scope, options, format, out)
}

/// Writes a scope to a destination.
pub fn export_scope(
    scope: &Scope<'_>,
    options: &ExportOptions,
    format: Format,
    dest: &Destination,
) -> Result<(), ExportError> {
    match (format, dest) {
        (Format::Csv, Destination::Stdout) => Err(ExportError::Usage(
            "csv writes two files (nodes.csv and edges.csv): give a directory with -o DIR".into(),
        )),
        (Format::Csv, Destination::Path(dir)) => csv::write_dir(scope, dir),
        (_, Destination::Stdout) => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            write_stream(scope, options, format, &mut out)?;
            out.flush().map_err(ExportError::Stdout)
        }
        (_, Destination::Path(path)) => {
            if format == Format::Svg || format == Format::Png {
                // Fail before creating anything when Graphviz is missing.
                render::check_available(format)?;
            }
            atomic::write_file(path, |out| write_stream_io(scope, options, format, out))
        }
    }
}

/// An error inside an atomic write: an I/O error (reported against the destination) or an
/// export error that already says what went wrong.
enum AtomicFailure {
    Io(io::Error),
    Export(ExportError),
}

impl From<io::Error> for AtomicFailure {
    fn from(e: io::Error) -> Self {
        AtomicFailure::Io(e)
    }
}

impl From<ExportError> for AtomicFailure {
    fn from(e: ExportError) -> Self {
        AtomicFailure::Export(e)
    }
}

/// Writes a scope in a single-stream format (every format but csv) to `out`; I/O errors are
/// reported as standard output's.
pub fn write_scope(
    scope: &Scope<'_>,
    options: &ExportOptions,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    write_stream(scope, options, format, out)
}

fn write_stream(
    scope: &Scope<'_>,
    options: &ExportOptions,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    match write_stream_io(scope, options, format, out) {
        Ok(()) => Ok(()),
        Err(AtomicFailure::Io(e)) => Err(ExportError::Stdout(e)),
        Err(AtomicFailure::Export(e)) => Err(e),
    }
}

fn write_stream_io(
    scope: &Scope<'_>,
    options: &ExportOptions,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), AtomicFailure> {
    match format {
        Format::Dot => dot::write(scope, options, out)?,
        Format::Json => json::write(scope, out)?,
        Format::Graphml => graphml::write(scope, out)?,
        Format::Cypher => cypher::write(scope, out)?,
        Format::Ron => {
            let graph = scope.graph();
            crate::graph::write_records(
                &mut *out,
                (graph.next_node_id(), graph.next_edge_id()),
                (scope.nodes(), scope.node_count()),
                (scope.edges(), scope.edge_count()),
            )
            .map_err(|e| match e {
                ron::Error::Io(message) => AtomicFailure::Io(io::Error::other(message)),
                other => AtomicFailure::Io(io::Error::other(other.to_string())),
            })?
        }
        Format::Svg | Format::Png => render::render(scope, options, format, out)?,
        Format::Csv => {
            return Err(AtomicFailure::Export(ExportError::Usage(
                "csv writes a directory, not a single stream".into(),
            )));
        }
    }
    out.flush()?;
    Ok(())
}

/// The path shown for a destination in messages.
pub fn describe(dest: &Destination) -> String {
    match dest {
        Destination::Stdout => "standard output".into(),
        Destination::Path(p) => p.display().to_string(),
    }
}
