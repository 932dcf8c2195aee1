//! The interactive shell and saved query scripts: statement splitting, result rendering,
//! meta-commands and the rustyline editor. It talks to the user and runs queries through
//! `query::execute`; it never writes the graph file except on `:save` or at the end of a
//! script that succeeded.

pub mod commands;
pub mod helper;
pub mod render;
pub mod session;
pub mod shell;
pub mod split;

pub use render::Format;
pub use session::{Flow, Session, Settings, Source};
