//! Writing an output file safely — to a temporary file beside it, renamed into
//! place only when complete, so a failed or killed run never leaves a
//! half-written file or clobbers an earlier good one — and the error an
//! output fails with, naming the file. Every writer uses this module.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an output file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The file or its folder could not be written.
    #[error("{}: cannot write: {}", path.display(), plain_cause(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A workbook could not be built or saved.
    #[error("{}: cannot write the workbook: {source}", path.display())]
    Xlsx {
        path: PathBuf,
        source: rust_xlsxwriter::XlsxError,
    },
    /// Another op1 holds the folder's lock.
    #[error("another op1 is writing to {}; wait for it to finish", dir.display())]
    Busy { dir: PathBuf },
    /// A table could not be assembled or serialised.
    #[error("{}: cannot write the table: {source}", path.display())]
    Table {
        path: PathBuf,
        source: polars::prelude::PolarsError,
    },
}

/// An I/O error as a person reads it: a full disk and a file-size limit
/// are said in words, with the system's own message after.
pub fn plain_cause(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::StorageFull => format!("no space left on the device ({e})"),
        ErrorKind::FileTooLarge => format!("the file size limit was reached ({e})"),
        ErrorKind::QuotaExceeded => format!("the disk quota is used up ({e})"),
        ErrorKind::PermissionDenied => format!("permission denied ({e})"),
        _ => e.to_string(),
    }
}

/// A panic inside a writer that panics instead of returning an I/O error
/// (rust_xlsxwriter's streaming sheets: `Couldn't write to xml file: Os {
/// code: 28, kind: StorageFull, … }`) as the I/O error it stands for.
pub fn panic_as_io(panic: &crate::contain::Panicked) -> std::io::Error {
    use std::io::ErrorKind;
    let m = &panic.message;
    let kind = if m.contains("StorageFull") || m.contains("No space left") {
        ErrorKind::StorageFull
    } else if m.contains("FileTooLarge") || m.contains("File too large") {
        ErrorKind::FileTooLarge
    } else if m.contains("QuotaExceeded") {
        ErrorKind::QuotaExceeded
    } else {
        ErrorKind::Other
    };
    let text = match kind {
        ErrorKind::StorageFull => "No space left on device".to_string(),
        ErrorKind::FileTooLarge => "File too large".to_string(),
        ErrorKind::QuotaExceeded => "Disk quota exceeded".to_string(),
        _ => format!("the writer stopped: {panic}"),
    };
    std::io::Error::new(kind, text)
}

impl OutputError {
    /// A workbook writer's error for `path`; an I/O error inside it (a full
    /// disk) is said as one, not as a workbook problem.
    pub fn xlsx(path: &Path, source: rust_xlsxwriter::XlsxError) -> OutputError {
        match source {
            rust_xlsxwriter::XlsxError::IoError(source) => OutputError::Io {
                path: path.to_path_buf(),
                source,
            },
            source => OutputError::Xlsx {
                path: path.to_path_buf(),
                source,
            },
        }
    }

    /// A table writer's error for `path`; an I/O error inside it (a full
    /// disk) is said as one, not as a table problem.
    pub fn table(path: &Path, source: polars::prelude::PolarsError) -> OutputError {
        match source {
            polars::prelude::PolarsError::IO { error, .. } => OutputError::Io {
                path: path.to_path_buf(),
                source: match error.raw_os_error() {
                    Some(code) => std::io::Error::from_raw_os_error(code),
                    None => std::io::Error::new(error.kind(), error.to_string()),
                },
            },
            source => OutputError::Table {
                path: path.to_path_buf(),
                source,
            },
        }
    }

    /// A writer that panicked while writing `path` (contained), as the I/O
    /// error it stands for.
    pub fn panicked(path: &Path, panic: &crate::contain::Panicked) -> OutputError {
        OutputError::Io {
            path: path.to_path_buf(),
            source: panic_as_io(panic),
        }
    }

    /// The file that could not be written.
    pub fn path(&self) -> &Path {
        match self {
            OutputError::Io { path, .. }
            | OutputError::Xlsx { path, .. }
            | OutputError::Table { path, .. }
            | OutputError::Busy { dir: path } => path,
        }
    }
}

/// Writes `bytes` to `path` atomically (temporary file + rename).
///
/// # Errors
/// [`OutputError::Io`] when the folder is not writable or the rename fails.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    atomic_write_with(path, |w| w.write_all(bytes)).map_err(|source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes `path` atomically with what `write` writes to a buffered temporary
/// file, so a large output need not be held in memory first.
///
/// # Errors
/// The error `write` returns, or the I/O error when the folder is not
/// writable or the rename fails.
pub fn atomic_write_with<E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<(), E>,
) -> Result<(), E> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(crate::outputs::TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| folder_error(dir, &e))?;
    let _live = Live::register(tmp.path());
    let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file());
    write(&mut out)?;
    out.flush()?;
    drop(out);
    // Temporary files are private (0600); outputs are for sharing.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    // Recorded before it is in place: an interrupt between the two leaves
    // a record of a file that is op1's either way.
    record_in_journal(path)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The output folder a run holds the lock of: every file written under it
/// is recorded in its journal ([`crate::outputs::JOURNAL_FILE`], one path
/// relative to the folder a line) until the manifest lists them.
static JOURNAL: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// From now on, every file written under `dir` is recorded in its journal
/// (`None`: no longer). Called by the folder's lock as it is taken and let go.
pub fn journal_in(dir: Option<&Path>) {
    let mut current = JOURNAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *current = dir.map(Path::to_path_buf);
}

/// Appends `path`, relative to the journal's folder, to its journal.
fn record_in_journal(path: &Path) -> std::io::Result<()> {
    let dir = JOURNAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(dir) = dir.as_ref() else {
        return Ok(());
    };
    let Ok(relative) = path.strip_prefix(dir) else {
        return Ok(());
    };
    let line = relative.to_string_lossy().replace('\\', "/");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(crate::outputs::JOURNAL_FILE))?;
    writeln!(file, "{line}")
}

/// What the journal in `dir` records: the files a run interrupted before
/// its manifest had put in place (none when there is no journal).
pub fn journaled(dir: &Path) -> Vec<String> {
    let journal = dir.join(crate::outputs::JOURNAL_FILE);
    match crate::regular::read_capped(&journal, 16 << 20) {
        Ok(bytes) => String::from_utf8_lossy(&bytes)
            .lines()
            .map(str::to_string)
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Removes `dir`'s journal: its manifest, just written, lists every output.
pub fn close_journal(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(crate::outputs::JOURNAL_FILE));
}

/// The temporary files being written now, for [`remove_temporaries_and_exit`].
static LIVE: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// A temporary file listed in [`LIVE`] while it is written; unlisted when
/// dropped (renamed into place, or removed with its error).
struct Live(std::path::PathBuf);

impl Live {
    fn register(path: &Path) -> Live {
        live().push(path.to_path_buf());
        Live(path.to_path_buf())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        live().retain(|p| p != &self.0);
    }
}

fn live() -> std::sync::MutexGuard<'static, Vec<std::path::PathBuf>> {
    // A panic while the list was held leaves it as it was: still usable.
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every temporary file being written now and exits with `code`:
/// what an interrupted run (Ctrl-C) does, so that it leaves no `.op1-*.tmp`
/// behind. Every output already renamed into place stays whole.
/// The list stays locked until the process exits, so that no new temporary
/// is listed after it ran (one created in that instant is swept by the
/// next run into the folder, as after a crash).
pub fn remove_temporaries_and_exit(code: i32) -> ! {
    let mut list = live();
    for path in list.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    std::process::exit(code)
}

/// Ctrl-C (or a termination signal) mid-run: whatever is half-written is
/// removed and the run ends with 130, as shells report an interrupt.
pub fn clean_up_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        eprintln!(
            "op1: interrupted; every file already written is whole, nothing half-written is left"
        );
        remove_temporaries_and_exit(130)
    });
}

/// Why no file can be made in `dir`, in the user's terms: the temporary
/// file's own name means nothing to them.
fn folder_error(dir: &Path, e: &std::io::Error) -> std::io::Error {
    let why = if !dir.is_dir() {
        format!("the folder {} does not exist", dir.display())
    } else {
        format!("cannot create a file in {} ({})", dir.display(), e.kind())
    };
    std::io::Error::new(e.kind(), why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.bin");
        atomic_write(&path, b"one").unwrap();
        atomic_write(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_full_disk_inside_a_table_writer_is_said_as_one() {
        let inner = std::io::Error::from_raw_os_error(27); // EFBIG
        let err = OutputError::table(Path::new("t.csv"), inner.into());
        assert!(matches!(err, OutputError::Io { .. }), "{err:?}");
        assert!(
            err.to_string().contains("the file size limit was reached"),
            "{err}"
        );
        let other = polars::prelude::polars_err!(ComputeError: "bad frame");
        assert!(matches!(
            OutputError::table(Path::new("t.csv"), other),
            OutputError::Table { .. }
        ));
    }

    #[test]
    fn a_folder_that_does_not_exist_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.bin");
        let err = atomic_write(&path, b"x").unwrap_err();
        assert_eq!(err.path(), path);
        assert!(err.to_string().contains("does not exist"), "{err}");
        assert!(!err.to_string().contains(".op1-"), "{err}");
        assert!(std::error::Error::source(&err).is_some());
    }
}
