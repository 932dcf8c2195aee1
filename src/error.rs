//! The one error type the command line sees: each stage's error, plus usage and I/O errors,
//! with the exit code a shell script can rely on.

use std::io;

use crate::export::ExportError;
use crate::graph::GraphError;
use crate::ingest::IngestError;
use crate::query::QueryError;
use crate::syntax::SyntaxError;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for an error in what the user gave: a bad query, bad input, a bad argument.
pub const EXIT_USER: u8 = 1;
/// Exit code for an I/O or internal error.
pub const EXIT_SYSTEM: u8 = 2;

/// A query error with the text it points into.
#[derive(Debug)]
pub struct QueryFailure {
    /// What the text is called in the message: `query`, or a script's file name.
    pub source_name: String,
    pub text: String,
    /// Lines before `text` in its file, so that positions are the file's.
    pub line_offset: usize,
    pub error: QueryError,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// A query error, with the text it points into so that it can be shown with a caret.
    #[error("{}", .0.error)]
    Query(Box<QueryFailure>),
    /// A bad argument or an impossible request.
    #[error("{0}")]
    Usage(String),
    #[error("{what}: {source}")]
    Io { what: String, source: io::Error },
}

impl Error {
    pub fn io(what: impl Into<String>, source: io::Error) -> Self {
        Error::Io {
            what: what.into(),
            source,
        }
    }

    /// A query error raised by a one-line query given on the command line.
    pub fn query(text: &str, error: QueryError) -> Self {
        Error::Query(Box::new(QueryFailure {
            source_name: "query".into(),
            text: text.into(),
            line_offset: 0,
            error,
        }))
    }

    /// The exit code: 1 for the user's errors, 2 for the system's.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Graph(e) if !e.is_user_error() => EXIT_SYSTEM,
            Error::Ingest(e) if !e.is_user_error() => EXIT_SYSTEM,
            Error::Export(e) if !e.is_user_error() => EXIT_SYSTEM,
            Error::Syntax(SyntaxError::Model(_)) => EXIT_SYSTEM,
            // A pipe, a device or a file that is not UTF-8 given as input is the user's to fix
            // (files::read_regular refuses the first with InvalidInput); a failing disk is not.
            Error::Io { source, .. }
                if matches!(
                    source.kind(),
                    io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData
                ) =>
            {
                EXIT_USER
            }
            Error::Io { .. } => EXIT_SYSTEM,
            _ => EXIT_USER,
        }
    }

    /// Whether the error is a closed pipe on output, which ends a command normally
    /// (`skein query ... | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }

    /// The message as the user sees it, with the faulty line and a caret where there is one.
    pub fn render(&self) -> String {
        match self {
            Error::Query(q) => q.error.render(&q.source_name, &q.text, q.line_offset),
            other => other.to_string(),
        }
    }
}
