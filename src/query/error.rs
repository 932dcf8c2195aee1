//! Query errors: an openCypher error kind, the phase it was raised in, a stable detail code
//! (the TCK's names: `UndefinedVariable`, `InvalidAggregation`, ...), a plain message, and
//! the span of the query text at fault.

use std::fmt;

/// openCypher's error classes, as the TCK names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    SyntaxError,
    SemanticError,
    TypeError,
    ArgumentError,
    EntityNotFound,
    ConstraintVerificationFailed,
    ParameterMissing,
    /// A `CALL` names a procedure nobody defined.
    ProcedureError,
    /// The user cancelled the query (Ctrl-C) before it finished.
    Cancelled,
    /// A bound on nesting, path length or result size was reached.
    LimitExceeded,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::SyntaxError => "SyntaxError",
            ErrorKind::SemanticError => "SemanticError",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::ArgumentError => "ArgumentError",
            ErrorKind::EntityNotFound => "EntityNotFound",
            ErrorKind::ConstraintVerificationFailed => "ConstraintVerificationFailed",
            ErrorKind::ParameterMissing => "ParameterMissing",
            ErrorKind::ProcedureError => "ProcedureError",
            ErrorKind::Cancelled => "Cancelled",
            ErrorKind::LimitExceeded => "LimitExceeded",
        }
    }
}

/// When the error was raised: before any row was produced, or while running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Compile,
    Runtime,
}

/// A byte range of the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A 1-based line and column (in characters) of the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// An error from parsing, planning or running a query.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    pub kind: ErrorKind,
    pub phase: Phase,
    /// The TCK's detail code, e.g. `UndefinedVariable`; empty when none applies.
    pub detail: &'static str,
    pub message: String,
    pub span: Option<Span>,
    pub hint: Option<String>,
}

impl QueryError {
    pub fn new(
        kind: ErrorKind,
        phase: Phase,
        detail: &'static str,
        message: impl Into<String>,
    ) -> Self {
        QueryError {
            kind,
            phase,
            detail,
            message: message.into(),
            span: None,
            hint: None,
        }
    }

    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Where the error starts in `text`, when it has a span.
    pub fn position(&self, text: &str) -> Option<Position> {
        let span = self.span?;
        Some(position_of(text, span.start))
    }

    /// The error as a user reads it: `name:line:column: Kind: message`, the offending line,
    /// a caret under the fault, and the hint. `line_offset` shifts line numbers when the
    /// query is part of a larger file (a script).
    pub fn render(&self, name: &str, text: &str, line_offset: usize) -> String {
        let mut out = String::new();
        let Some(span) = self.span else {
            out.push_str(&format!("{name}: {}: {}", self.kind.as_str(), self.message));
            if let Some(hint) = &self.hint {
                out.push_str(&format!("\n  hint: {hint}"));
            }
            return out;
        };
        let pos = position_of(text, span.start);
        let line_text = text.lines().nth(pos.line - 1).unwrap_or("");
        out.push_str(&format!(
            "{name}:{}:{}: {}: {}\n",
            pos.line + line_offset,
            pos.column,
            self.kind.as_str(),
            self.message
        ));
        let gutter = format!("{} | ", pos.line + line_offset);
        let width = {
            let end = position_of(text, span.end.max(span.start + 1));
            if end.line == pos.line {
                (end.column - pos.column).max(1)
            } else {
                1
            }
        };
        // A long line is cut to a window around the caret, so that an error in a query
        // holding a 10 MB string does not echo the string.
        let caret_at = pos.column - 1;
        let first = caret_at.saturating_sub(SNIPPET_CONTEXT);
        let last = caret_at + width.min(SNIPPET_CONTEXT) + SNIPPET_CONTEXT;
        let cut_before = first > 0;
        let mut shown: String = line_text.chars().skip(first).take(last - first).collect();
        let cut_after = line_text.chars().nth(last).is_some();
        if cut_before {
            shown.insert_str(0, "...");
        }
        if cut_after {
            shown.push_str("...");
        }
        out.push_str(&gutter);
        out.push_str(&shown);
        out.push('\n');
        let lead = if cut_before { 3 } else { 0 };
        out.push_str(&" ".repeat(gutter.len() + lead + caret_at - first));
        out.push_str(&"^".repeat(width.min(SNIPPET_CONTEXT)));
        if let Some(hint) = &self.hint {
            out.push_str(&format!("\n  hint: {hint}"));
        }
        out
    }
}

/// How many characters of the offending line an error shows on each side of the caret.
const SNIPPET_CONTEXT: usize = 100;

/// The line and column of a byte offset; offsets past the end point just after the text.
pub fn position_of(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Position { line, column }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.message)
    }
}

impl std::error::Error for QueryError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_the_fault() {
        let text = "MATCH (n)\nRETRUN n";
        let err = QueryError::new(
            ErrorKind::SyntaxError,
            Phase::Compile,
            "",
            "expected RETURN",
        )
        .with_span(Span { start: 10, end: 16 });
        assert_eq!(
            err.render("query", text, 0),
            "query:2:1: SyntaxError: expected RETURN\n2 | RETRUN n\n    ^^^^^^"
        );
        assert_eq!(err.position(text), Some(Position { line: 2, column: 1 }));
    }

    #[test]
    fn a_long_line_is_cut_around_the_caret() {
        let text = format!("RETURN '{}' +", "x".repeat(10_000_000));
        let at = text.len() - 1;
        let err = QueryError::new(ErrorKind::SyntaxError, Phase::Compile, "", "expected more")
            .with_span(Span {
                start: at,
                end: at + 1,
            });
        let shown = err.render("query", &text, 0);
        assert!(shown.len() < 600, "{} bytes", shown.len());
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[1].starts_with("1 | ...xxx") && lines[1].ends_with("' +"));
        // The caret still sits under the `+`.
        assert_eq!(lines[2].find('^'), lines[1].rfind('+'));
    }
}
