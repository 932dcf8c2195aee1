//! Atomic file output: write beside the destination, sync, rename over it.
//!
//! A failed or interrupted export must never leave a half-written file where the user asked
//! for one, nor clobber the file that was there; the temporary files this module creates are
//! removed on every error path (a `Drop` guard, so a panic cleans up too).

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{AtomicFailure, ExportError};

/// A temporary file that is removed unless it has been renamed into place.
pub(super) struct TempFile {
    temp: PathBuf,
    dest: PathBuf,
    done: bool,
}

impl TempFile {
    /// Creates an empty temporary file beside `dest`.
    pub(super) fn create(dest: &Path) -> Result<(TempFile, File), ExportError> {
        let write_error = |source| ExportError::Write {
            path: dest.to_path_buf(),
            source,
        };
        let name = dest
            .file_name()
            .ok_or_else(|| write_error(io::Error::other("the path names no file")))?;
        if dest.is_dir() {
            return Err(write_error(io::Error::other(
                "it is a directory; give a file name",
            )));
        }
        let mut temp_name = OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}.tmp", std::process::id()));
        let temp = parent_dir(dest).join(temp_name);
        let file = File::create(&temp).map_err(write_error)?;
        Ok((
            TempFile {
                temp,
                dest: dest.to_path_buf(),
                done: false,
            },
            file,
        ))
    }

    /// Renames the temporary file over the destination.
    pub(super) fn commit(mut self) -> Result<(), ExportError> {
        fs::rename(&self.temp, &self.dest).map_err(|source| ExportError::Write {
            path: self.dest.clone(),
            source,
        })?;
        self.done = true;
        // The rename is durable once the directory entry is; some platforms cannot open a
        // directory for syncing, and the data itself is already synced.
        if let Ok(dir) = File::open(parent_dir(&self.dest)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes a temporary file beside `dest` through a buffer with `fill`, and syncs it; the
/// caller commits it. Errors name `dest`.
pub(super) fn prepare(
    dest: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), AtomicFailure>,
) -> Result<TempFile, ExportError> {
    let (temp, file) = TempFile::create(dest)?;
    let write_error = |source| ExportError::Write {
        path: dest.to_path_buf(),
        source,
    };
    let mut out = BufWriter::with_capacity(1 << 16, file);
    match fill(&mut out) {
        Ok(()) => {}
        Err(AtomicFailure::Io(e)) => return Err(write_error(e)),
        Err(AtomicFailure::Export(e)) => return Err(e),
    }
    let file = out.into_inner().map_err(|e| write_error(e.into_error()))?;
    file.sync_all().map_err(write_error)?;
    Ok(temp)
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
