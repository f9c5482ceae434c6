//! Opening only regular files: a named pipe, device or socket named like a
//! workbook (or a link to one) is named for what it is, never read.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// What a path is when it is not a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotAFile {
    Folder,
    NamedPipe,
    Socket,
    Device,
    Other,
}

impl fmt::Display for NotAFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NotAFile::Folder => "a folder",
            NotAFile::NamedPipe => "a named pipe (FIFO)",
            NotAFile::Socket => "a socket",
            NotAFile::Device => "a device",
            NotAFile::Other => "not a regular file",
        })
    }
}

impl NotAFile {
    /// What `file_type` is, or `None` for a regular file.
    pub fn of(file_type: &std::fs::FileType) -> Option<NotAFile> {
        if file_type.is_file() {
            return None;
        }
        if file_type.is_dir() {
            return Some(NotAFile::Folder);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return Some(NotAFile::NamedPipe);
            }
            if file_type.is_socket() {
                return Some(NotAFile::Socket);
            }
            if file_type.is_block_device() || file_type.is_char_device() {
                return Some(NotAFile::Device);
            }
        }
        Some(NotAFile::Other)
    }
}

/// Why [`open`] or [`read_capped`] did not give a file's bytes.
#[derive(Debug)]
pub enum RegularError {
    /// It could not be opened or read.
    Io(std::io::Error),
    /// It is not a regular file: it was not read.
    NotAFile(NotAFile),
    /// It holds more than the cap: `bytes` is its size as the file system
    /// gave it, or what was read before reading stopped past the cap.
    TooLarge { bytes: u64, cap: u64 },
}

impl fmt::Display for RegularError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegularError::Io(e) => write!(f, "{e}"),
            RegularError::NotAFile(kind) => write!(f, "it is {kind}, not a file: not read"),
            RegularError::TooLarge { bytes, cap } => {
                write!(f, "it is {bytes} bytes, over the limit of {cap}")
            }
        }
    }
}

impl std::error::Error for RegularError {}

impl From<std::io::Error> for RegularError {
    fn from(e: std::io::Error) -> Self {
        RegularError::Io(e)
    }
}

/// Opens `path` for reading if — once open, so that nothing can swap it in
/// between — it is a regular file. On Unix it is opened non-blocking: a
/// named pipe would otherwise hold `open` until a writer came.
///
/// # Errors
/// [`RegularError::Io`] when it cannot be opened; [`RegularError::NotAFile`]
/// for a folder, pipe, socket or device.
pub fn open(path: &Path) -> Result<File, RegularError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    match NotAFile::of(&file.metadata()?.file_type()) {
        None => Ok(file),
        Some(kind) => Err(RegularError::NotAFile(kind)),
    }
}

/// The bytes of the regular file `path`, refused past `cap` bytes (a file
/// that grows while it is read stops there too).
///
/// # Errors
/// As [`open`], and [`RegularError::TooLarge`].
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, RegularError> {
    let file = open(path)?;
    let len = file.metadata()?.len();
    if len > cap {
        return Err(RegularError::TooLarge { bytes: len, cap });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        let read = bytes.len() as u64;
        return Err(RegularError::TooLarge { bytes: read, cap });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_and_a_folder_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.xlsx");
        std::fs::write(&file, b"12345").unwrap();
        assert_eq!(read_capped(&file, 5).unwrap(), b"12345");
        assert!(matches!(
            read_capped(&file, 4),
            Err(RegularError::TooLarge { bytes: 5, cap: 4 })
        ));
        assert!(matches!(
            open(dir.path()),
            Err(RegularError::NotAFile(NotAFile::Folder))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_named_and_not_read() {
        let err = read_capped(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(
            matches!(err, RegularError::NotAFile(NotAFile::Device)),
            "{err}"
        );
    }
}
