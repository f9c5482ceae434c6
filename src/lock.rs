//! One writer at a time per output folder. A run that writes into a folder
//! first takes `.op1-lock` there, locked by the operating system for as long
//! as the run lives — a crashed or killed run's lock goes with its process,
//! so it never stays stuck. A second run into the same folder stops at once.
//! Holding the lock, the run then removes what killed runs left: their
//! `.op1-*.tmp` files.

use crate::output::OutputError;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use crate::outputs::{CHARTS_DIR, LOCK_FILE, TEMP_PREFIX};

/// The held lock of an output folder; released when dropped (or when the
/// process ends, however it ends).
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

impl FolderLock {
    /// Creates `dir` if needed, locks it for this run and sweeps the
    /// temporary files of runs that were killed.
    ///
    /// # Errors
    /// [`OutputError::Busy`] when another op1 is writing there;
    /// [`OutputError::Io`] when the folder cannot be made or written.
    pub fn acquire(dir: &Path) -> Result<FolderLock, OutputError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| OutputError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(OutputError::Busy {
                    dir: dir.to_path_buf(),
                })
            }
            Err(TryLockError::Error(source)) => return Err(OutputError::Io { path, source }),
        }
        sweep_temporaries(dir);
        sweep_temporaries(&dir.join(CHARTS_DIR));
        crate::output::journal_in(Some(dir));
        Ok(FolderLock { _file: file })
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        crate::output::journal_in(None);
    }
}

/// Removes `.op1-*.tmp` files in `dir`: no other op1 is writing there (the
/// caller holds the lock), so they are what killed runs left.
fn sweep_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_until_the_first_is_done() {
        let tmp = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(tmp.path()).unwrap();
        let second = FolderLock::acquire(tmp.path()).unwrap_err();
        assert!(
            second.to_string().contains("another op1 is writing"),
            "{second}"
        );
        drop(first);
        assert!(FolderLock::acquire(tmp.path()).is_ok());
    }

    #[test]
    fn killed_runs_temporaries_are_swept() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("charts")).unwrap();
        for name in [".op1-abc.tmp", "charts/.op1-def.tmp", "notes.txt"] {
            std::fs::write(tmp.path().join(name), "x").unwrap();
        }
        let _lock = FolderLock::acquire(tmp.path()).unwrap();
        assert!(!tmp.path().join(".op1-abc.tmp").exists());
        assert!(!tmp.path().join("charts/.op1-def.tmp").exists());
        assert!(
            tmp.path().join("notes.txt").exists(),
            "a user's file is kept"
        );
    }
}
