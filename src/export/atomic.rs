//! Atomic file output: write beside the destination, sync, rename over it.
//!
//! A failed or interrupted export must never leave a half-written file where the user asked
//! for one, nor clobber the file that was there; the temporary files this module creates are
//! removed on every error path (a `Drop` guard, so a panic cleans up too).

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{AtomicFailure, ExportError};
use crate::graph::files::{self, AtomicFile};

/// How old a temporary file of ours must be before an export removes it as stale: exports
/// take no lock, so a younger one may belong to another export of the same file that is
/// still starting.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// A temporary file that is removed unless it has been renamed into place.
pub(super) struct TempFile {
    file: AtomicFile,
    dest: PathBuf,
}

impl TempFile {
    /// Renames the temporary file over the destination (a symlink's target).
    pub(super) fn commit(self) -> Result<(), ExportError> {
        let dest = self.dest;
        self.file
            .commit()
            .map_err(|source| ExportError::Write { path: dest, source })
    }
}

/// Writes a temporary file beside `dest` through a buffer with `fill`; the caller commits it,
/// which syncs it first. Errors name `dest`.
pub(super) fn prepare(
    dest: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), AtomicFailure>,
) -> Result<TempFile, ExportError> {
    let write_error = |source| ExportError::Write {
        path: dest.to_path_buf(),
        source,
    };
    let mut file = AtomicFile::create(dest).map_err(write_error)?;
    files::clean_stale_temps(file.target(), STALE_AFTER);
    let mut out = BufWriter::with_capacity(1 << 16, file.file());
    match fill(&mut out) {
        Ok(()) => {}
        Err(AtomicFailure::Io(e)) => return Err(write_error(e)),
        Err(AtomicFailure::Export(e)) => return Err(e),
    }
    out.flush().map_err(write_error)?;
    drop(out);
    Ok(TempFile {
        file,
        dest: dest.to_path_buf(),
    })
}

/// Writes `dest` atomically with `fill`. A destination that exists and is not a regular file
/// (`/dev/stdout`, a named pipe, `/dev/full`) is written in place: renaming over a device
/// would replace the device itself.
pub(super) fn write_file(
    dest: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), AtomicFailure>,
) -> Result<(), ExportError> {
    let special = fs::metadata(dest).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if !special {
        return prepare(dest, fill)?.commit();
    }
    let write_error = |source| ExportError::Write {
        path: dest.to_path_buf(),
        source,
    };
    let file = fs::OpenOptions::new()
        .write(true)
        .open(dest)
        .map_err(write_error)?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    match fill(&mut out) {
        Ok(()) => {}
        Err(AtomicFailure::Io(e)) => return Err(write_error(e)),
        Err(AtomicFailure::Export(e)) => return Err(e),
    }
    out.flush().map_err(write_error)
}
