//! Safe file access for every layer: reading only regular files and only up to a bound,
//! replacing a file atomically (its mode kept, symlinks written through, our own stale
//! temporary files cleaned), and the lock that makes writers of one graph file take turns.
//!
//! Nothing here may block on a pipe or a device, read without a bound, leave a half-written
//! file where the user asked for one, or delete a file that is not a temporary file of ours
//! whose writer is gone.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant, SystemTime};

/// How large a graph file may be: far above any graph skein can hold in memory, so that the
/// bound only stops a file that keeps growing while it is read.
pub const MAX_GRAPH_BYTES: u64 = 64 << 30;
/// How large one CSV file for `skein import` may be.
pub const MAX_CSV_BYTES: u64 = 64 << 30;
/// How large a rules file (`--rules`) may be: far above any written by hand.
pub const MAX_RULES_BYTES: u64 = 1 << 30;
/// How large another text input may be: a gold file, a treebank, a script, an article given to
/// `skein parse --file`.
pub const MAX_TEXT_BYTES: u64 = 1 << 30;

/// The suffix of every temporary file skein writes beside a destination.
const TEMP_SUFFIX: &str = ".tmp";

/// An `InvalidInput` error with a message: what the caller shows after the path.
fn refused(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// Opens `path` for reading only if it is a regular file of at most `max_bytes` bytes, and
/// returns it with its size. A pipe, a socket, a device (`/dev/zero`) or a directory is
/// refused with a clear error instead of blocking or being read forever: the file is opened
/// without blocking and checked on the open descriptor, so a path swapped between a check
/// and the open cannot slip through.
pub fn open_regular(path: &Path, max_bytes: u64) -> io::Result<(File, u64)> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(refused("it is a directory, not a file".into()));
    }
    if !meta.is_file() {
        return Err(refused(
            "it is not a regular file (a pipe, a socket or a device); give a file, \
             or copy the data into one first"
                .into(),
        ));
    }
    if meta.len() > max_bytes {
        return Err(refused(format!(
            "it is {} bytes, more than the {} bytes skein reads from one file",
            meta.len(),
            max_bytes
        )));
    }
    Ok((file, meta.len()))
}

/// Reads a whole regular file of at most `max_bytes` bytes (see [`open_regular`]). A file
/// that grows past its size while being read is refused rather than read on.
pub fn read_regular(path: &Path, max_bytes: u64) -> io::Result<Vec<u8>> {
    let (file, len) = open_regular(path, max_bytes)?;
    let capacity = usize::try_from(len).unwrap_or(usize::MAX);
    let mut bytes = Vec::with_capacity(capacity);
    // One byte more than the size shows whether the file grew.
    file.take(len.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > len {
        return Err(refused(
            "it grew while it was read (is another program writing it?); try again".into(),
        ));
    }
    Ok(bytes)
}

/// Reads a whole regular file of at most `max_bytes` bytes as UTF-8 text (see
/// [`read_regular`]); a bad byte is an `InvalidData` error that says where it is.
pub fn read_regular_text(path: &Path, max_bytes: u64) -> io::Result<String> {
    String::from_utf8(read_regular(path, max_bytes)?).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "it is not valid UTF-8 (byte {}); convert it to UTF-8 first",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Where a save really goes: a symlink (or a chain of them) is followed to its target, so
/// that the link stays a link and the target gets the new data. A path that does not exist
/// yet is its own target.
pub fn resolve_target(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // The kernel's own limit on links followed in one lookup.
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = if link.is_absolute() {
                    link
                } else {
                    parent_dir(&current).join(link)
                };
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(refused(
        "it is a symbolic link that leads to more than 40 other links (a loop?)".into(),
    ))
}

/// The directory a path's file is in (`.` for a bare name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `.NAME` + `suffix` beside `path`: the hidden sidecar files skein keeps for a file.
fn sidecar(path: &Path, suffix: &str) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| refused("the path names no file".into()))?;
    let mut side = OsString::from(".");
    side.push(name);
    side.push(suffix);
    Ok(parent_dir(path).join(side))
}

/// Whether `candidate` is a temporary file skein made for `dest_name`: `.NAME.<pid>.tmp`.
fn is_our_temp(candidate: &OsStr, dest_name: &OsStr) -> bool {
    let (Some(candidate), Some(dest_name)) = (candidate.to_str(), dest_name.to_str()) else {
        return false;
    };
    let Some(rest) = candidate
        .strip_prefix('.')
        .and_then(|r| r.strip_prefix(dest_name))
        .and_then(|r| r.strip_prefix('.'))
        .and_then(|r| r.strip_suffix(TEMP_SUFFIX))
    else {
        return false;
    };
    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
}

/// Removes temporary files that an earlier, killed save of `dest` left behind. A writer
/// holds a lock on its temporary file for as long as it writes, and the system drops that
/// lock when the writer dies; so a temporary file whose lock can be taken, and that has not
/// changed for `min_age`, belongs to no one. Failures are ignored: cleaning is a courtesy.
pub fn clean_stale_temps(dest: &Path, min_age: Duration) {
    let Some(dest_name) = dest.file_name() else {
        return;
    };
    let Ok(entries) = fs::read_dir(parent_dir(dest)) else {
        return;
    };
    for entry in entries.flatten() {
        if !is_our_temp(&entry.file_name(), dest_name) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(&path)
        else {
            continue;
        };
        let old_enough = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age >= min_age);
        if old_enough && file.try_lock().is_ok() {
            let _ = fs::remove_file(&path);
        }
    }
}

/// What a save must know about the file it replaces.
#[derive(Debug, Clone, Copy)]
struct Existing {
    mode: u32,
    links: u64,
}

/// Refuses to replace a file the user made read-only, and returns what the replacement must
/// keep. The mode bits are checked rather than `access(2)`, because a user running as root may
/// write anything and yet has said with `chmod a-w` that the file must not change.
fn existing(target: &Path) -> io::Result<Option<Existing>> {
    match fs::metadata(target) {
        Ok(m) if m.is_dir() => Err(refused("it is a directory; give a file name".into())),
        Ok(m) if m.permissions().readonly() => Err(refused(format!(
            "it is read-only (mode {:o}); make it writable (chmod u+w) or write to \
                 another file",
            m.mode() & 0o7777
        ))),
        Ok(m) => Ok(Some(Existing {
            mode: m.mode() & 0o7777,
            links: m.nlink(),
        })),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// A file being written beside its destination; it replaces the destination only on
/// [`AtomicFile::commit`]. Dropped uncommitted (an error, a panic), it is removed and the
/// destination is left as it was; a killed process leaves it for [`clean_stale_temps`].
#[derive(Debug)]
pub struct AtomicFile {
    temp: PathBuf,
    target: PathBuf,
    file: Option<File>,
    committed: bool,
    /// How many names the replaced file had (hard links); only this one gets the new data.
    pub replaced_links: u64,
}

impl AtomicFile {
    /// Creates the temporary file for `dest`. A symlink is followed, so the link's target is
    /// what gets replaced; a read-only file is refused; the new file gets the old one's mode.
    pub fn create(dest: &Path) -> io::Result<AtomicFile> {
        let target = resolve_target(dest)?;
        let old = existing(&target)?;
        let mut temp_name = sidecar(&target, "")?.into_os_string();
        temp_name.push(format!(".{}{TEMP_SUFFIX}", std::process::id()));
        let temp = PathBuf::from(temp_name);
        // A temporary file of the same name can only be ours from an earlier save in this
        // process that was dropped without cleaning (or a reused process id): replace it.
        let _ = fs::remove_file(&temp);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(old.map_or(0o666, |o| o.mode))
            .open(&temp)?;
        let mut atomic = AtomicFile {
            temp,
            target,
            file: None,
            committed: false,
            replaced_links: old.map_or(1, |o| o.links),
        };
        // The lock marks the file as in use for `clean_stale_temps`; it lasts until commit.
        file.try_lock().map_err(|e| match e {
            TryLockError::Error(e) => e,
            TryLockError::WouldBlock => io::Error::other("the temporary file is locked"),
        })?;
        if let Some(o) = old {
            // The creation mode passes through the umask; the old file's mode must not.
            file.set_permissions(fs::Permissions::from_mode(o.mode))?;
        }
        atomic.file = Some(file);
        Ok(atomic)
    }

    /// The open temporary file to write into.
    pub fn file(&mut self) -> &mut File {
        self.file
            .as_mut()
            .expect("the file is open from create until commit")
    }

    /// The temporary file's path.
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// The file that is replaced: the destination, or a symlink's target.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Syncs the data, renames the temporary file over the target and syncs the directory.
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(file) = &self.file {
            file.sync_all()?;
        }
        fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        self.file = None;
        // The rename is durable once the directory entry is; not every file system lets a
        // directory be opened for syncing, and the data itself is already synced.
        if let Ok(dir) = File::open(parent_dir(&self.target)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// How long a writer waits for another to finish with the same graph file by default.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(30);

/// The environment variable that changes [`DEFAULT_LOCK_WAIT`] (in seconds; 0 fails at once).
pub const LOCK_WAIT_ENV: &str = "SKEIN_LOCK_WAIT";

/// The lock files this process holds, so that a command holding a graph's lock can save it
/// again through code that takes the lock itself, without waiting on itself.
static HELD: Mutex<Vec<(PathBuf, Weak<HeldLock>)>> = Mutex::new(Vec::new());

/// A locked sidecar file; dropping it removes the file while the lock is still held, then
/// releases the lock by closing it.
#[derive(Debug)]
struct HeldLock {
    file: File,
    path: PathBuf,
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        // Removed before it is unlocked: a waiter that then gets the lock on this removed
        // file sees that the path no longer leads to it and starts again (see `acquire`).
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// The right to write one graph file, held from before it is read until after it is saved,
/// so that two writers never both read the old graph and the second save drops the first's
/// changes. It is an exclusive lock on a hidden sidecar file, `.NAME.lock` beside the
/// graph's real file: the graph file itself is replaced by every save, so a lock on it
/// would not be seen by a process that opens the new one. The sidecar file is removed when
/// the lock is released; the system releases the lock when the process ends, however it
/// ends, and a file left by a killed process is simply locked again.
#[derive(Debug, Clone)]
pub struct WriteLock {
    /// `None` when the lock file cannot be created because the directory may not be
    /// written: no save can happen there either, so there is nothing to guard.
    _held: Option<Arc<HeldLock>>,
}

/// Whether `path` still leads to the open `file`: a lock taken on a sidecar file that its
/// holder removed meanwhile guards nothing.
fn still_there(file: &File, path: &Path) -> io::Result<bool> {
    let open = file.metadata()?;
    Ok(fs::symlink_metadata(path).is_ok_and(|m| m.dev() == open.dev() && m.ino() == open.ino()))
}

impl WriteLock {
    /// Takes the lock for writing `graph_path`, waiting up to `wait` for another process to
    /// release it (a message on stderr says why skein waits). Taken again in a process that
    /// holds it already, it succeeds at once.
    pub fn acquire(graph_path: &Path, wait: Duration) -> io::Result<WriteLock> {
        let target = resolve_target(graph_path)?;
        let lock_path = sidecar(&target, ".lock")?;
        let key = fs::canonicalize(parent_dir(&lock_path))
            .map(|d| d.join(lock_path.file_name().unwrap_or_default()))
            .unwrap_or_else(|_| lock_path.clone());
        let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
        held.retain(|(_, h)| h.strong_count() > 0);
        if let Some(h) = held
            .iter()
            .find(|(p, _)| *p == key)
            .and_then(|(_, h)| h.upgrade())
        {
            return Ok(WriteLock { _held: Some(h) });
        }
        let started = Instant::now();
        let mut told = false;
        let file = loop {
            let file = match OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&lock_path)
            {
                Ok(file) => file,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
                    ) =>
                {
                    return Ok(WriteLock { _held: None });
                }
                Err(e) => return Err(e),
            };
            match file.try_lock() {
                Ok(()) if still_there(&file, &lock_path)? => break file,
                // The holder removed it as it let go: open the path again.
                Ok(()) => continue,
                Err(TryLockError::Error(e)) => return Err(e),
                Err(TryLockError::WouldBlock) => {}
            }
            if started.elapsed() >= wait {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "another skein is writing this graph (it holds {}); waited {:.1} s. \
                         Try again when it has finished, or wait longer with \
                         {LOCK_WAIT_ENV}=SECONDS",
                        lock_path.display(),
                        wait.as_secs_f64()
                    ),
                ));
            }
            if !told {
                eprintln!(
                    "waiting for another skein to finish writing {} (up to {:.0} s)...",
                    graph_path.display(),
                    wait.as_secs_f64()
                );
                told = true;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let lock = Arc::new(HeldLock {
            file,
            path: lock_path,
        });
        held.push((key, Arc::downgrade(&lock)));
        Ok(WriteLock { _held: Some(lock) })
    }

    /// Takes the lock with the wait the environment sets, else [`DEFAULT_LOCK_WAIT`].
    pub fn acquire_default(graph_path: &Path) -> io::Result<WriteLock> {
        let wait = std::env::var(LOCK_WAIT_ENV)
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map_or(DEFAULT_LOCK_WAIT, Duration::from_secs_f64);
        WriteLock::acquire(graph_path, wait)
    }
}

/// What identifies one version of a file on disk: a save replaces the file, which changes
/// its inode number and its change time. Comparing stamps tells whether another process has
/// saved a graph since it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    dev: u64,
    ino: u64,
    len: u64,
    ctime: (i64, i64),
    mtime: (i64, i64),
}

impl FileStamp {
    /// The stamp of the file a path leads to, or `None` when there is none.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let m = fs::metadata(path).ok()?;
        Some(FileStamp {
            dev: m.dev(),
            ino: m.ino(),
            len: m.len(),
            ctime: (m.ctime(), m.ctime_nsec()),
            mtime: (m.mtime(), m.mtime_nsec()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_temp_names_are_recognised() {
        let name = OsStr::new("g.ron");
        assert!(is_our_temp(OsStr::new(".g.ron.123.tmp"), name));
        assert!(!is_our_temp(OsStr::new(".g.ron.tmp"), name));
        assert!(!is_our_temp(OsStr::new(".g.ron.12a.tmp"), name));
        assert!(!is_our_temp(OsStr::new("g.ron.123.tmp"), name));
        assert!(!is_our_temp(OsStr::new(".other.ron.123.tmp"), name));
    }

    #[test]
    fn a_stale_temp_file_is_cleaned_and_a_live_one_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("g.ron");
        let stale = dir.path().join(".g.ron.999999.tmp");
        fs::write(&stale, b"half").unwrap();
        let mut live = AtomicFile::create(&dest).unwrap();
        std::io::Write::write_all(live.file(), b"new").unwrap();
        clean_stale_temps(&dest, Duration::ZERO);
        assert!(!stale.exists(), "the dead writer's file is removed");
        assert!(live.temp_path().exists(), "the live writer's file is kept");
        live.commit().unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"new");
    }

    #[test]
    fn the_write_lock_is_reentrant_in_one_process_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.ron");
        let first = WriteLock::acquire(&path, Duration::ZERO).unwrap();
        let again = WriteLock::acquire(&path, Duration::ZERO).unwrap();
        let lock_path = sidecar(&path, ".lock").unwrap();
        assert!(lock_path.exists());
        drop(first);
        drop(again);
        assert!(!lock_path.exists(), "released, the sidecar file is removed");
        // Another open file description stands for another process here.
        let lock_file = File::create(&lock_path).unwrap();
        lock_file.try_lock().unwrap();
        let err = WriteLock::acquire(&path, Duration::ZERO).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
        assert!(err.to_string().contains("another skein"), "{err}");
    }

    #[test]
    fn reading_refuses_what_is_not_a_regular_file() {
        let err = read_regular(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let err = read_regular(dir.path(), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("directory"), "{err}");
        let big = dir.path().join("big");
        fs::write(&big, vec![b'x'; 100]).unwrap();
        let err = read_regular(&big, 99).unwrap_err();
        assert!(err.to_string().contains("more than the 99 bytes"), "{err}");
        assert_eq!(read_regular(&big, 100).unwrap().len(), 100);
    }
}
