//! SVG and PNG: the DOT export piped through Graphviz's `dot` program.
//!
//! When `dot` is not on PATH the error says how to install it; nothing is written then. This
//! module never installs anything, never leaves the child process running, and never lets an
//! interrupted or killed `dot` count as a finished picture.

use std::io::{self, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

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

/// Set when Ctrl-C arrives while this process renders (see [`watch_interrupts`]).
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Makes Ctrl-C stop a render instead of killing skein mid-way. Graphviz's `dot` answers an
/// interrupt by writing the layout it has so far (NaN coordinates) and exiting 0, so `dot`
/// runs in a process group of its own, out of reach of the terminal's Ctrl-C; skein notes
/// the interrupt here, kills `dot` and fails, and the atomic write leaves the previous file.
/// Where a handler is installed already (the REPL's, which cancels queries), it stays, and
/// `dot` finishes its picture undisturbed.
fn watch_interrupts() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    });
}

/// Renders the scope with `dot -Tsvg` or `dot -Tpng` into `out`.
pub(super) fn render(
    scope: &Scope<'_>,
    options: &ExportOptions,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), AtomicFailure> {
    watch_interrupts();
    let mut command = Command::new("dot");
    command
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    // Out of the terminal's process group, `dot` would outlive a skein that is killed: on
    // Linux the kernel kills it when skein ends.
    #[cfg(target_os = "linux")]
    // SAFETY: the closure runs in the child between fork and exec and only calls prctl(2),
    // which is async-signal-safe and touches no memory of ours.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn().map_err(|e| {
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
    let pid = libc::pid_t::try_from(child.id()).unwrap_or(0);
    let finished = AtomicBool::new(false);
    let outcome = std::thread::scope(|s| {
        // Kills `dot` when Ctrl-C arrives, which ends the copy below and the feeder.
        s.spawn(|| {
            while !finished.load(Ordering::SeqCst) {
                if INTERRUPTED.load(Ordering::SeqCst) && pid > 0 {
                    // SAFETY: kill(2) with the pid of our own child, which has not been
                    // waited for yet, so the pid cannot belong to another process.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
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
        finished.store(true, Ordering::SeqCst);
        (copied, fed, errors)
    });
    let (copied, fed, errors) = outcome;
    if copied.is_err() {
        let _ = child.kill();
    }
    let status = child.wait();
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(ExportError::Render(
            "interrupted (Ctrl-C); the previous file, if any, was left as it is".into(),
        )
        .into());
    }
    copied?;
    let status = status.map_err(|e| ExportError::Render(e.to_string()))?;
    if let Some(signal) = status.signal() {
        return Err(ExportError::Render(format!(
            "it was killed by signal {signal} before it finished; nothing was written"
        ))
        .into());
    }
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
