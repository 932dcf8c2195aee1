//! Exports and imports: the graph, or a query's result, as DOT, JSON, GraphML, a Cypher
//! script or CSV files in the neo4j-admin layout, and the way back in.

/// What can go wrong while exporting or importing.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Unavailable(String),
}

impl ExportError {
    /// Whether the error is the user's to fix (bad input) rather than the system's.
    pub fn is_user_error(&self) -> bool {
        true
    }
}
