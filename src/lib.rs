//! skein turns news articles into a knowledge graph of who met, proposed, rejected,
//! threatened or backed whom, and answers openCypher queries over it.
//!
//! Data flows from `ingest` into the `graph` store, is read by `query`, and leaves through
//! `export`; `repl` and `cli` sit on top and are the only modules that talk to a user.
//! `syntax` (tagger and dependency parser) is a leaf that reads nothing else of skein.

// Lets test code shared with the integration tests (`tests/common/random_graph.rs`) name
// the library `skein::` from inside it too.
#[cfg(test)]
extern crate self as skein;

pub mod cli;
mod error;
pub mod export;
pub mod graph;
pub mod ingest;
pub mod query;
pub mod repl;
pub mod syntax;

pub use error::{EXIT_OK, EXIT_SYSTEM, EXIT_USER, Error, QueryFailure};
