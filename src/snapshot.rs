//! An earlier pack folder read back — what a later run compares against
//! (the approved plan of a checkpoint, a side of a diff): the long table
//! with every plan value and its source cell, the resources, the funding
//! decisions, the findings and the registers. A folder
//! that is not a pack, or a pack of another format, is refused with a clear
//! message, never misread. The pack's marker ([`PackRecord`]) says which
//! format it is. (A run verifies the folder against its manifest before it
//! reads it: `run::accepted_pack`.)

use crate::model::schema;
use crate::outputs::{PACK_FORMAT, PACK_MARKER};
use polars::prelude::*;
use polars_io::prelude::{CsvReadOptions, ParquetReader, SerReader};
use std::path::{Path, PathBuf};

/// What a pack records about itself in its marker file (`.op1-pack`), one
/// `name value` line each: the op1 that wrote it, the pack format, and the
/// round's decisions a later comparison needs — the reporting currency, the
/// objective and the funding envelope.
#[derive(Clone, Debug, PartialEq)]
pub struct PackRecord {
    /// `op1 0.1.0`.
    pub written_by: String,
    pub currency: String,
    pub objective: Option<String>,
    /// The incremental envelope, reporting currency.
    pub envelope: Option<f64>,
    /// The folder the packed workbooks came from (their common folder), so
    /// that a comparison names the round rather than the pack's folder.
    pub round: Option<String>,
}

impl PackRecord {
    /// The marker's text, in this op1's format.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "written by {}\nformat {PACK_FORMAT}\ncurrency {}\n",
            self.written_by, self.currency
        );
        if let Some(o) = &self.objective {
            // One line: a name never carries a line break into the record.
            text.push_str(&format!("objective {}\n", o.replace(['\n', '\r'], " ")));
        }
        if let Some(e) = self.envelope {
            text.push_str(&format!("envelope {e}\n"));
        }
        if let Some(r) = &self.round {
            text.push_str(&format!("round {}\n", r.replace(['\n', '\r'], " ")));
        }
        text
    }

    /// Reads a marker's text.
    ///
    /// # Errors
    /// [`SnapshotError::Format`] when it records another format than this
    /// op1's (or none: packs before formats were recorded).
    fn parse(dir: &Path, text: &str) -> Result<PackRecord, SnapshotError> {
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
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
        Ok(PackRecord {
            written_by,
            currency: field("currency").unwrap_or_default(),
            objective: field("objective").filter(|o| !o.is_empty()),
            envelope: field("envelope").and_then(|e| e.parse().ok()),
            round: field("round").filter(|r| !r.is_empty()),
        })
    }
}

/// An earlier pack's tables.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The folder it was read from.
    pub dir: PathBuf,
    /// What the pack recorded about itself.
    pub record: PackRecord,
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
    #[error("{}: is not a folder op1 pack wrote (it has no {PACK_MARKER}); give the output folder of an op1 pack", .0.display())]
    NotAPack(PathBuf),
    #[error("{}: was written by {written_by} in pack format {found}, which this op1 does not read (it reads format {PACK_FORMAT}); pack that round again with this op1", .dir.display())]
    Format {
        dir: PathBuf,
        written_by: String,
        found: String,
    },
    #[error("{}: has changed since op1 wrote it ({first}), so it is not the plan that was approved; pack that round again, or give --accept-modified to use it as it is (`op1 verify {}` lists every change)", .dir.display(), .dir.display())]
    Modified { dir: PathBuf, first: String },
    #[error("{}: is missing from the pack folder; pack that round again", .0.display())]
    Missing(PathBuf),
    #[error("{}: cannot be read as op1 wrote it: {source}", .path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: PolarsError,
    },
}

impl Snapshot {
    /// What the pack in `dir` records about itself: whether it is a pack,
    /// and of this op1's format.
    ///
    /// # Errors
    /// [`SnapshotError`] when `dir` is not a pack folder of this format.
    pub fn record(dir: &Path) -> Result<PackRecord, SnapshotError> {
        let marker = std::fs::read_to_string(dir.join(PACK_MARKER))
            .map_err(|_| SnapshotError::NotAPack(dir.to_path_buf()))?;
        PackRecord::parse(dir, &marker)
    }

    /// Reads the pack in `dir`.
    ///
    /// # Errors
    /// [`SnapshotError`] when `dir` is not a pack folder of this format, or a
    /// table is missing or unreadable.
    pub fn read(dir: &Path) -> Result<Snapshot, SnapshotError> {
        let record = Snapshot::record(dir)?;
        Ok(Snapshot {
            dir: dir.to_path_buf(),
            record,
            long: table(dir, crate::outputs::LONG_PARQUET)?,
            resources: table(dir, crate::outputs::RESOURCES_CSV)?,
            funding: table(dir, crate::outputs::FUNDING_CSV)?,
            findings: table(dir, crate::outputs::FINDINGS_CSV)?,
            registers: table(dir, crate::outputs::REGISTERS_CSV)?,
        })
    }
}

/// The columns of the pack's CSVs that hold text (names, sources, messages).
const TEXT_COLUMNS: [&str; 17] = [
    schema::TEAM,
    schema::ORG,
    schema::RESOURCE,
    schema::RESOURCE_KEY,
    schema::UNIT,
    "source_ly",
    "source_flat",
    "source_investment",
    schema::WHY,
    "severity",
    "rule",
    "file",
    "sheet",
    "cell",
    "message",
    "register",
    "text",
];

/// Every text of a CSV op1 wrote, as the team typed it: the formula guard
/// (`'` before `=`, `+`, `-`, `@`) taken off, so `@Home` reads back `@Home`.
fn unguard(mut df: DataFrame) -> PolarsResult<DataFrame> {
    let names: Vec<PlSmallStr> = df
        .columns()
        .iter()
        .filter(|c| c.dtype() == &DataType::String)
        .map(|c| c.name().clone())
        .collect();
    for name in names {
        let plain: StringChunked = df
            .column(&name)?
            .str()?
            .iter()
            .map(|v| v.map(crate::text::formula_unsafe))
            .collect();
        df.with_column(plain.with_name(name).into_column())?;
    }
    Ok(df)
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
        let header = std::fs::read_to_string(&path)
            .map_err(|e| unreadable(e.into()))?
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches('\u{feff}')
            .to_string();
        // A team named `101` or `0101` is text: the text columns are never
        // inferred as numbers.
        let text: Schema = header
            .split(',')
            .filter(|c| TEXT_COLUMNS.contains(c))
            .map(|c| Field::new(c.into(), DataType::String))
            .collect();
        CsvReadOptions::default()
            .with_has_header(true)
            .with_schema_overwrite(Some(std::sync::Arc::new(text)))
            .try_into_reader_with_file_path(Some(path.clone()))
            .and_then(|r| r.finish())
            .and_then(unguard)
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
