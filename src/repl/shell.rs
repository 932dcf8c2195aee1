//! The interactive loop on rustyline (prompts, history, Ctrl-C and Ctrl-D), and the same
//! shell reading a pipe as a script. It hands every statement to the session and never
//! saves the graph unless asked (`:save`, or the end of a piped script that succeeded).

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use rustyline::Editor;
use rustyline::config::{Behavior, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;

use super::helper::{ShellHelper, Vocabulary};
use super::session::{Flow, Session, Source};
use super::split::split;
use crate::Error;
use crate::query::ErrorKind;

const PROMPT: &str = "skein> ";
/// The continuation prompt has the same width, so that statements line up.
const CONTINUATION: &str = "  ...> ";
const MAX_HISTORY: usize = 5000;

/// Where the history is kept: `$XDG_DATA_HOME/skein/history` on Linux, the platform's data
/// directory elsewhere.
pub fn history_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("skein").join("history"))
}

/// Whether an error is the user's Ctrl-C.
fn is_cancel(error: &Error) -> bool {
    matches!(error, Error::Query(q) if q.error.kind == ErrorKind::Cancelled)
}

/// Runs the interactive shell until `:quit` or Ctrl-D.
pub fn interactive(session: &mut Session, banner: &str, out: &mut dyn Write) -> Result<(), Error> {
    let config = Config::builder()
        .max_history_size(MAX_HISTORY)
        .and_then(|b| b.history_ignore_dups(true))
        .map(|b| {
            b.history_ignore_space(true)
                .auto_add_history(false)
                .completion_type(CompletionType::List)
                .behavior(Behavior::PreferTerm)
                .build()
        })
        .map_err(readline_error)?;
    let mut editor: Editor<ShellHelper, FileHistory> =
        Editor::with_config(config).map_err(readline_error)?;
    let color = std::env::var_os("NO_COLOR").is_none() && io::stdout().is_terminal();
    let mut vocab = Vocabulary::of(&session.graph);
    vocab.params = session.params.keys().cloned().collect();
    editor.set_helper(Some(ShellHelper::new(vocab, color)));

    let history = history_path();
    if let Some(path) = &history {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if path.exists()
            && let Err(e) = editor.load_history(path)
        {
            eprintln!(
                "warning: could not read the history {}: {e}",
                path.display()
            );
        }
    }

    // While a query runs the terminal is in normal mode, so Ctrl-C raises SIGINT: the handler
    // sets the query's cancel flag instead of killing the process. While a line is read,
    // rustyline keeps the terminal raw and reports Ctrl-C itself.
    let cancel = Arc::clone(&session.cancel);
    if let Err(e) = ctrlc::set_handler(move || cancel.store(true, Ordering::SeqCst)) {
        eprintln!("warning: Ctrl-C will not cancel queries: {e}");
    }

    write_out(out, banner)?;
    let mut buffer = String::new();
    let mut quit_warned = false;
    // Changes made before the prompt (the articles named on the command line) are as easy to
    // make again as to save, so leaving asks for confirmation only after changes made here.
    let edits_at_start = session.edits;
    let mut generation = session_generation(session);
    loop {
        if let Some(h) = editor.helper_mut() {
            h.pending.clone_from(&buffer);
        }
        let prompt = if buffer.is_empty() {
            PROMPT
        } else {
            CONTINUATION
        };
        match editor.readline(prompt) {
            Ok(line) => {
                let flow = if buffer.is_empty() {
                    first_line(session, &mut editor, &line, &mut buffer, out)?
                } else {
                    buffer.push_str(&line);
                    buffer.push('\n');
                    run_complete(session, &mut editor, &mut buffer, out)?
                };
                if flow == Flow::Quit {
                    if confirm_quit(session, edits_at_start, &mut quit_warned, out)? {
                        break;
                    }
                } else {
                    quit_warned = false;
                }
                let now = session_generation(session);
                if now != generation {
                    generation = now;
                    if let Some(h) = editor.helper_mut() {
                        h.vocab = Vocabulary::of(&session.graph);
                    }
                }
                if let Some(h) = editor.helper_mut() {
                    h.vocab.params = session.params.keys().cloned().collect();
                }
            }
            Err(ReadlineError::Interrupted) => {
                if buffer.is_empty() {
                    write_out(out, "(:quit or Ctrl-D leaves)\n")?;
                } else {
                    buffer.clear();
                }
            }
            Err(ReadlineError::Eof) => {
                if confirm_quit(session, edits_at_start, &mut quit_warned, out)? {
                    break;
                }
            }
            Err(e) => return Err(readline_error(e)),
        }
        // Appends this line's entry, if any: rewriting the whole file after every line made
        // a paste of many statements quadratic (and each rewrite a truncation the file
        // system flushes to disk).
        if let Some(path) = &history
            && let Err(e) = editor.append_history(path)
        {
            eprintln!(
                "warning: could not write the history {}: {e}",
                path.display()
            );
        }
    }
    Ok(())
}

/// A number that changes whenever the graph may have changed, so that completion refreshes.
fn session_generation(session: &Session) -> u64 {
    session.edits
}

/// The first line of an input: a meta-command, a bare `quit`/`exit`/`help` (which people
/// type out of habit), or the start of a statement.
fn first_line(
    session: &mut Session,
    editor: &mut Editor<ShellHelper, FileHistory>,
    line: &str,
    buffer: &mut String,
    out: &mut dyn Write,
) -> Result<Flow, Error> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Ok(Flow::Continue);
    }
    let meta = if trimmed.starts_with(':') {
        Some(trimmed.to_string())
    } else {
        match trimmed.trim_end_matches(';').to_ascii_lowercase().as_str() {
            "quit" | "exit" => Some(":quit".to_string()),
            "help" => Some(":help".to_string()),
            _ => None,
        }
    };
    if let Some(meta) = meta {
        let _ = editor.add_history_entry(trimmed);
        return match session.run_meta(&meta, out) {
            Ok(flow) => Ok(flow),
            Err(e) => report(e, out).map(|()| Flow::Continue),
        };
    }
    buffer.push_str(line);
    buffer.push('\n');
    run_complete(session, editor, buffer, out)
}

/// Runs the statements the buffer completes, keeps an unfinished tail for the next line.
fn run_complete(
    session: &mut Session,
    editor: &mut Editor<ShellHelper, FileHistory>,
    buffer: &mut String,
    out: &mut dyn Write,
) -> Result<Flow, Error> {
    let parts = split(buffer);
    if parts.items.is_empty() {
        if parts.is_complete() {
            // Only comments and blank space: nothing to run or remember.
            buffer.clear();
        }
        return Ok(Flow::Continue);
    }
    let tail_start = parts.tail_start();
    let done = &buffer[..tail_start.unwrap_or(buffer.len())];
    let _ = editor.add_history_entry(done.trim());
    let source = Source {
        name: "input",
        text: buffer,
        line_offset: 0,
    };
    let flow = match session.run_items(&source, &parts.items, out) {
        Ok(flow) => flow,
        Err(e) => {
            report(e, out)?;
            Flow::Continue
        }
    };
    *buffer = match tail_start {
        Some(at) => buffer[at..].to_string(),
        None => String::new(),
    };
    Ok(flow)
}

/// Prints an error at the prompt; a cancelled query is reported as such, not as a failure.
fn report(error: Error, out: &mut dyn Write) -> Result<(), Error> {
    if error.is_broken_pipe() {
        return Err(error);
    }
    let _ = out.flush();
    if is_cancel(&error) {
        eprintln!("Query cancelled.");
    } else {
        eprintln!("error: {}", error.render());
    }
    Ok(())
}

/// Whether to leave now: with unsaved changes, only when asked a second time.
fn confirm_quit(
    session: &Session,
    edits_at_start: u64,
    warned: &mut bool,
    out: &mut dyn Write,
) -> Result<bool, Error> {
    if !session.dirty || session.edits == edits_at_start || *warned {
        return Ok(true);
    }
    *warned = true;
    write_out(
        out,
        &format!(
            "The graph has unsaved changes: :save writes them to {}; :quit or Ctrl-D again \
             leaves without saving.\n",
            session.graph_path.display()
        ),
    )?;
    Ok(false)
}

/// Reads statements from a pipe or a file, without prompts, as `skein run` reads a script;
/// statements run as soon as they are complete, so that a pipe is answered as it is fed.
pub fn piped(
    session: &mut Session,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let name = "<stdin>";
    let mut buffer = String::new();
    // Lines of the input before `buffer`, so that errors report the input's own lines.
    let mut line_offset = 0;
    let mut line_no = 0;
    let mut bytes = Vec::new();
    loop {
        bytes.clear();
        let n = input
            .read_until(b'\n', &mut bytes)
            .map_err(|e| Error::io("stdin", e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let line = std::str::from_utf8(&bytes).map_err(|e| {
            let column = String::from_utf8_lossy(&bytes[..e.valid_up_to()])
                .chars()
                .count()
                + 1;
            Error::Usage(format!(
                "{name}:{line_no}:{column}: the input is not UTF-8 text"
            ))
        })?;
        buffer.push_str(line);
        // Only a `;` or a line starting with `:` can complete an item, so other lines need no
        // new split; this keeps a long statement linear to read.
        if !line.contains(';') && !line.trim_start().starts_with(':') {
            continue;
        }
        let parts = split(&buffer);
        if parts.items.is_empty() {
            continue;
        }
        let source = Source {
            name,
            text: &buffer,
            line_offset,
        };
        if session.run_items(&source, &parts.items, out)? == Flow::Quit {
            return Ok(());
        }
        let consumed = parts.tail_start().unwrap_or(buffer.len());
        line_offset += buffer[..consumed].matches('\n').count();
        buffer.drain(..consumed);
        out.flush().map_err(|e| Error::io("stdout", e))?;
    }
    let source_name = name.to_string();
    let parts = split(&buffer);
    let source = Source {
        name: &source_name,
        text: &buffer,
        line_offset,
    };
    if session.run_items(&source, &parts.items, out)? == Flow::Quit {
        return Ok(());
    }
    match super::session::unfinished(&source, &parts) {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<(), Error> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("stdout", e))
}

fn readline_error(e: ReadlineError) -> Error {
    match e {
        ReadlineError::Io(e) => Error::io("terminal", e),
        other => Error::io("terminal", io::Error::other(other.to_string())),
    }
}
