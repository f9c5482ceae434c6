//! An earlier pack folder read back — what a later run compares against
//! (the approved plan of a checkpoint): the long table with every plan value
//! and its source cell, the resources and the funding decisions. A folder
//! that is not a pack, or a pack of another format, is refused with a clear
//! message, never misread.

use crate::discover::{PACK_FORMAT, PACK_MARKER};
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// An earlier pack's tables.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The folder it was read from.
    pub dir: PathBuf,
    /// The op1 that wrote it (`op1 0.1.0`).
    pub written_by: String,
    /// `consolidated.parquet`: team × metric × track, team and reporting currency.
    pub long: DataFrame,
    /// `resources.csv`: team × resource with LY, Flat and Investment.
    pub resources: DataFrame,
    /// `funding.csv`: the ranked cases and whether each was funded.
    pub funding: DataFrame,
    /// `findings.csv`: every finding of the run that wrote it.
    pub findings: DataFrame,
    /// `registers.csv`: every team's assumptions, asks, risks and goals.
    pub registers: DataFrame,
}

/// Why an earlier pack folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{}: is not a folder op1 pack wrote (it has no {PACK_MARKER}); give the output folder of the approved pack", .0.display())]
    NotAPack(PathBuf),
    #[error("{}: was written by {written_by} in pack format {found}, which this op1 does not read (it reads format {PACK_FORMAT}); pack the approved round again with this op1", .dir.display())]
    Format {
        dir: PathBuf,
        written_by: String,
        found: String,
    },
    #[error("{}: is missing from the pack folder; pack the approved round again", .0.display())]
    Missing(PathBuf),
    #[error("{}: cannot be read as op1 wrote it: {source}", .path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: PolarsError,
    },
}

impl Snapshot {
    /// Reads the pack in `dir`.
    ///
    /// # Errors
    /// [`SnapshotError`] when `dir` is not a pack folder of this format, or a
    /// table is missing or unreadable.
    pub fn read(dir: &Path) -> Result<Snapshot, SnapshotError> {
        let marker = std::fs::read_to_string(dir.join(PACK_MARKER))
            .map_err(|_| SnapshotError::NotAPack(dir.to_path_buf()))?;
        let field = |name: &str| {
            marker
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_string())
        };
        let written_by = field("written by").unwrap_or_else(|| "an earlier op1".into());
        let found = field("format").unwrap_or_else(|| "0 (before formats were recorded)".into());
        if found != PACK_FORMAT.to_string() {
            return Err(SnapshotError::Format {
                dir: dir.to_path_buf(),
                written_by,
                found,
            });
        }
        Ok(Snapshot {
            dir: dir.to_path_buf(),
            written_by,
            long: table(dir, "consolidated.parquet")?,
            resources: table(dir, "resources.csv")?,
            funding: table(dir, "funding.csv")?,
            findings: table(dir, "findings.csv")?,
            registers: table(dir, "registers.csv")?,
        })
    }
}

/// One table of the pack, Parquet or CSV by its extension.
fn table(dir: &Path, name: &str) -> Result<DataFrame, SnapshotError> {
    let path = dir.join(name);
    if !path.is_file() {
        return Err(SnapshotError::Missing(path));
    }
    let unreadable = |source| SnapshotError::Unreadable {
        path: path.clone(),
        source,
    };
    let df = if name.ends_with(".parquet") {
        let file = std::fs::File::open(&path).map_err(|e| unreadable(e.into()))?;
        ParquetReader::new(file).finish()
    } else {
        CsvReadOptions::default()
            .with_has_header(true)
            .try_into_reader_with_file_path(Some(path.clone()))
            .and_then(|r| r.finish())
    }
    .map_err(unreadable)?;
    // The CSVs start with a byte-order mark (for Excel): not part of a name.
    let mut df = df;
    if let Some(first) = df.get_column_names().first().map(|n| n.to_string()) {
        if let Some(clean) = first.strip_prefix('\u{feff}') {
            df.rename(&first, clean.into()).map_err(unreadable)?;
        }
    }
    Ok(df)
}
