//! The graph store: a property graph on petgraph with our own stable ids, the indexes that
//! queries and ingestion rely on, and atomic persistence in a versioned RON file.
//!
//! Nothing here knows about articles or queries; the rest of skein sees the graph through
//! `Graph`'s methods and never through petgraph.

pub mod adjacency;
mod binary;
pub mod columns;
pub mod files;
mod ids;
mod name;
mod persist;
mod props;
mod store;
mod symbol;
pub mod temporal;
mod value;

use std::io;
use std::path::{Path, PathBuf};

pub use binary::seal_body;
pub use name::fold_name;
pub use persist::{
    FORMAT_TAG, FORMAT_VERSION, MAX_ID, PendingSave, load, load_or_new, lock_for_writing,
    prepare_save, read_bytes, read_graph, save, write_graph, write_records,
};
pub use props::Properties;
pub use store::{
    ALIASES_KEY, Edge, EdgeId, EntityMention, Fact, FactIndex, FactProps, Graph, MergeOutcome,
    NAME_KEY, Node, NodeId, Provenance, Walk, provenance_keys,
};
pub use symbol::Symbol;
pub use temporal::{Duration, Temporal, TemporalKind};
pub use value::{
    TEMPORAL_TAG_PREFIX, Value, write_float, write_key, write_list, write_map, write_string_literal,
};

/// What can go wrong in the graph store.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("{}: the graph file does not exist (create one with `skein ingest ARTICLES -g {}`)", path.display(), path.display())]
    NotFound { path: PathBuf },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}:{line}:{column}: not a valid skein graph file: {message}; the file was left as it is", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: byte {offset}: not a valid skein graph file: {message}; the file was left as it is", path.display())]
    Corrupt {
        path: PathBuf,
        offset: usize,
        message: String,
    },
    #[error("{}:1:1: this is a {found:?} file, not a skein graph ({FORMAT_TAG:?}); the file was left as it is", path.display())]
    Foreign { path: PathBuf, found: String },
    #[error("{}:1:1: the graph file has format version {found}, newer than this skein reads ({FORMAT_VERSION}); upgrade skein", path.display())]
    Version { path: PathBuf, found: u32 },
    #[error("{}: the graph file is inconsistent: {message}; the file was left as it is", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("there is no node with id {0}")]
    NoSuchNode(NodeId),
    #[error("there is no relationship with id {0}")]
    NoSuchEdge(EdgeId),
    #[error("node {0} still has {1} relationship(s); delete them first or use DETACH DELETE")]
    NodeHasEdges(NodeId, usize),
    #[error("a fact needs both a source and a target node")]
    MissingEndpoint,
    #[error("{0} appears twice")]
    DuplicateId(String),
}

impl GraphError {
    /// Wraps an I/O error with the path it concerns; a missing file gets its own variant.
    pub fn io(path: &Path, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::NotFound {
            GraphError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            GraphError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }

    /// Whether the error is the user's to fix (bad input) rather than the system's.
    pub fn is_user_error(&self) -> bool {
        match self {
            // A pipe or a device given as the graph file, or a read-only file, is the user's
            // to fix; a failing disk is not.
            GraphError::Io { source, .. } => source.kind() == io::ErrorKind::InvalidInput,
            GraphError::NotFound { .. } => false,
            _ => true,
        }
    }
}
