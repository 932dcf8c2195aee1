//! SVG and PNG: the DOT export piped through Graphviz's `dot` program.
//!
//! When `dot` is not on PATH the error says how to install it; nothing is written then. This
//! module never installs anything and never leaves the child process running.

use std::io::{self, Read, Write};
use std::process::{Command, Stdio};

use super::scope::Scope;
use super::{AtomicFailure, ExportError, ExportOptions, Format, dot};

/// The message for a missing Graphviz.
fn missing(format: Format) -> ExportError {
    ExportError::Unavailable(format!(
        "--format {format} needs Graphviz's `dot` program, which is not installed (or not on PATH); \
install it with `apt-get install graphviz` (Debian, Ubuntu), `brew install graphviz` (macOS) \
or from https://graphviz.org/download/, or export --format dot and render it elsewhere"
    ))
}

/// Fails with the install hint when `dot` cannot be run.
pub(super) fn check_available(format: Format) -> Result<(), ExportError> {
    match Command::new("dot")
        .arg("-V")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(_) => Ok(()),
        Err(_) => Err(missing(format)),
    }
}

/// Renders the scope with `dot -Tsvg` or `dot -Tpng` into `out`.
pub(super) fn render(
    scope: &Scope<'_>,
    options: &ExportOptions,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), AtomicFailure> {
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                missing(format)
            } else {
                ExportError::Render(format!("cannot start it: {e}"))
            }
        })?;
    let (Some(mut stdin), Some(stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(ExportError::Render("its pipes could not be opened".into()).into());
    };
    // DOT goes in on one thread while the picture comes out on this one, so that neither
    // side blocks on a full pipe; stderr is drained on a third.
    let outcome = std::thread::scope(|s| {
        let feeder = s.spawn(move || -> io::Result<()> {
            let mut buffered = io::BufWriter::new(&mut stdin);
            dot::write(scope, options, &mut buffered)?;
            buffered.flush()
        });
        let errors = s.spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        // Closing our end of dot's output at once when copying fails makes dot stop, and
        // with it the feeder, instead of both waiting on full pipes.
        let copied = {
            let mut stdout = stdout;
            io::copy(&mut stdout, out)
        };
        let fed = feeder.join();
        let errors = errors.join().unwrap_or_default();
        (copied, fed, errors)
    });
    let (copied, fed, errors) = outcome;
    if copied.is_err() {
        let _ = child.kill();
    }
    let status = child.wait();
    copied?;
    let status = status.map_err(|e| ExportError::Render(e.to_string()))?;
    if !status.success() {
        let detail = errors.trim();
        return Err(ExportError::Render(if detail.is_empty() {
            format!("it exited with {status}")
        } else {
            detail.to_string()
        })
        .into());
    }
    match fed {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(ExportError::Render(format!("writing DOT to it failed: {e}")).into()),
        Err(_) => Err(ExportError::Render("the DOT writer stopped".into()).into()),
    }
}
