//! The query language: a subset of openCypher parsed with pest from `grammar/cypher.pest`,
//! planned and run on the graph store.
//!
//! The entry point is `execute`; each stage (parse, plan, run) has its own entry function and
//! none of them does I/O.

mod error;
mod result;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

pub use error::{ErrorKind, Phase, Position, QueryError, Span, position_of};
pub use result::{NodeValue, PathValue, QueryResult, QueryValue, RelValue, UpdateStats};

use crate::graph::Graph;

/// Bounds that keep one query from exhausting the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of expressions and patterns the parser accepts.
    pub max_nesting: usize,
    /// Longest path a variable-length pattern may walk.
    pub max_path_length: usize,
    /// Most rows any stage of a query may hold.
    pub max_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_nesting: 200,
            max_path_length: 64,
            max_rows: 10_000_000,
        }
    }
}

/// How to run one query.
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    /// Values of `$name` parameters.
    pub params: BTreeMap<String, QueryValue>,
    /// Set to true (by a Ctrl-C handler) to cancel the query; it then fails with `Cancelled`.
    pub cancel: Option<Arc<AtomicBool>>,
    pub limits: Limits,
}

/// Parses, plans and runs one query on the graph. A query that fails leaves the graph as it
/// was before the query started.
pub fn execute(
    graph: &mut Graph,
    text: &str,
    options: &QueryOptions,
) -> Result<QueryResult, QueryError> {
    let _ = (graph, options);
    Err(QueryError::new(
        ErrorKind::SyntaxError,
        Phase::Compile,
        "",
        "the query engine is not built yet",
    )
    .with_span(Span {
        start: 0,
        end: text.len().min(1),
    }))
}
