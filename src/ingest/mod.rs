//! Ingestion: plain-text news articles in, entities and typed relations with their evidence
//! merged into the graph.

/// What can go wrong while ingesting.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}")]
    Unavailable(String),
}

impl IngestError {
    /// Whether the error is the user's to fix (bad input) rather than the system's.
    pub fn is_user_error(&self) -> bool {
        true
    }
}
