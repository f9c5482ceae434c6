//! What a command tells the person who ran it: lines for the terminal's
//! error stream, the report for its output stream, the files it wrote, and
//! its exit code. The binary prints a [`Said`] as it is; nothing here prints.

use std::path::PathBuf;

/// How a report is written (`--format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// For a person reading a terminal.
    #[default]
    Text,
    /// For a program (one JSON value).
    Json,
}

/// The report options of the commands that read a round (`--format`,
/// `--strict`, `--verbose`, `--quiet`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ReportOptions {
    pub format: Format,
    /// Warnings count as errors for the exit code.
    pub strict: bool,
    /// Also list info findings and skipped files.
    pub verbose: bool,
    /// No progress bar and no list of files written.
    pub quiet: bool,
}

impl ReportOptions {
    /// Whether the files written are listed: in a text report, unless quiet.
    pub fn lists_written(&self) -> bool {
        !self.quiet && self.format == Format::Text
    }
}

/// What a command tells the person who ran it, in the order it is printed:
/// `notes` (each one line on stderr), `report` (stdout), then one
/// `wrote PATH` line on stderr per file in `written`.
#[derive(Debug, Default)]
pub struct Said {
    pub notes: Vec<String>,
    pub report: String,
    pub written: Vec<PathBuf>,
    /// 0 ok, 1 findings that are errors (or, for diff and verify, a difference).
    pub code: u8,
}
