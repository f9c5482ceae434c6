//! Why a file or a sheet could not be read: [`OpenError`] (the file),
//! [`SheetError`] (one sheet) and [`Damage`] (what is damaged, with the
//! parser's error, op1's own check or a contained panic as the cause). Each
//! message says what is wrong and, for a damaged file, to re-save it.

use crate::discover::Format;
use std::fmt;

/// Why a file could not be opened as a workbook.
#[derive(Debug)]
pub enum OpenError {
    Io(std::io::Error),
    /// A named pipe, device or socket named like a workbook: not read.
    NotAFile(crate::regular::NotAFile),
    Empty,
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    PartTooLarge {
        part: String,
        bytes: u64,
        limit: u64,
    },
    Encrypted,
    NotASpreadsheet {
        what: String,
    },
    Corrupt {
        format: Format,
        damage: Damage,
    },
    /// The parser stopped on damaged data (it panicked; contained).
    Damaged {
        format: Format,
        /// What could not be read: `its compound-file container`.
        part: &'static str,
        panic: crate::contain::Panicked,
    },
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Io(e) => write!(f, "cannot read the file: {e}"),
            OpenError::NotAFile(kind) => write!(f, "this is {kind}, not a file: not read; hand in the workbook itself"),
            OpenError::Empty => write!(f, "the file is empty (0 bytes)"),
            OpenError::TooLarge { bytes, limit } => write!(
                f,
                "the file is {} MiB, over the limit of {} MiB (limits.max_file_mib)",
                bytes.div_ceil(1 << 20),
                limit >> 20
            ),
            OpenError::PartTooLarge { part, bytes, limit } => write!(
                f,
                "part \"{part}\" inflates to {} MiB, over the limit of {} MiB (limits.max_part_mib); refused as a possible zip bomb",
                bytes.div_ceil(1 << 20),
                limit >> 20
            ),
            OpenError::Encrypted => write!(f, "the workbook is encrypted (password-protected); save it without a password"),
            OpenError::NotASpreadsheet { what } => write!(f, "not a spreadsheet: {what}"),
            OpenError::Corrupt {
                format,
                damage: Damage::Structure(why),
            } => write!(
                f,
                "the {format} file is damaged, or too large to read safely: {why}; open it in Excel or LibreOffice and save it again (as .xlsx)"
            ),
            OpenError::Corrupt { format, damage } => write!(f, "not a valid {format} workbook: {damage}"),
            OpenError::Damaged { format, part, panic } => write!(
                f,
                "the {format} file is damaged: {part} cannot be read (the reader stopped: {panic}); open it in Excel or LibreOffice and save it again, or ask for a fresh copy"
            ),
        }
    }
}

impl std::error::Error for OpenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OpenError::Io(e) => Some(e),
            OpenError::Corrupt { damage, .. } => Some(damage),
            OpenError::Damaged { panic, .. } => Some(panic),
            _ => None,
        }
    }
}

/// Why a sheet could not be loaded.
#[derive(Debug)]
pub enum SheetError {
    /// The sheet has data beyond the row or column limit; `cell` is the first such cell.
    TooLarge {
        cell: String,
        max_rows: u32,
        max_cols: u32,
    },
    /// The workbook's data for the sheet is damaged.
    Corrupt(Damage),
    /// The parser stopped on the sheet's damaged data (it panicked; contained).
    Damaged(crate::contain::Panicked),
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SheetError::TooLarge { cell, max_rows, max_cols } => write!(
                f,
                "data at {cell} is beyond the {max_rows} rows × {max_cols} columns op1 reads (limits.max_rows, limits.max_cols); sheet refused"
            ),
            SheetError::Corrupt(m) => write!(f, "the sheet cannot be read: {m}"),
            SheetError::Damaged(panic) => write!(
                f,
                "the sheet is damaged and cannot be read (the reader stopped: {panic}); open the file in Excel or LibreOffice and save it again"
            ),
        }
    }
}

impl std::error::Error for SheetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SheetError::Corrupt(damage) => Some(damage),
            SheetError::Damaged(panic) => Some(panic),
            SheetError::TooLarge { .. } => None,
        }
    }
}

/// What is damaged in a workbook, with the parser's error as the cause.
#[derive(Debug)]
pub enum Damage {
    /// calamine could not parse the workbook or a sheet.
    Workbook(calamine::Error),
    /// The zip container cannot be read.
    Container(zip::result::ZipError),
    /// A zip entry (by index) cannot be read.
    Entry(usize),
    /// The container's structure is inconsistent, or claims more than can
    /// be read safely (op1's own checks before calamine): why.
    Structure(String),
}

impl Damage {
    pub(super) fn workbook(e: impl Into<calamine::Error>) -> Damage {
        Damage::Workbook(e.into())
    }
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The format is already named; say what its parser found.
            Damage::Workbook(calamine::Error::Xlsx(e)) => e.fmt(f),
            Damage::Workbook(calamine::Error::Xlsb(e)) => e.fmt(f),
            Damage::Workbook(calamine::Error::Xls(e)) => e.fmt(f),
            Damage::Workbook(calamine::Error::Ods(e)) => e.fmt(f),
            Damage::Workbook(e) => e.fmt(f),
            Damage::Container(e) => write!(f, "damaged zip container ({e})"),
            Damage::Entry(i) => write!(f, "zip entry {i} is damaged"),
            Damage::Structure(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for Damage {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Damage::Workbook(e) => Some(e),
            Damage::Container(e) => Some(e),
            Damage::Entry(_) | Damage::Structure(_) => None,
        }
    }
}
