//! Why a command could not run at all (exit code 2): the run's error enum,
//! and the usage errors whose messages say what to do instead.

use crate::discover::DiscoverError;
use crate::output::OutputError;
use crate::settings::SettingsError;
use std::path::PathBuf;

/// Why a command could not run at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// An input could not be found or listed.
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    /// The settings file could not be read or is invalid.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The command was asked for something it cannot do.
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// The model could not be built: an internal inconsistency, never bad input.
    #[error("the model could not be built (an internal error; please report it): {0}")]
    Model(#[source] polars::prelude::PolarsError),
    /// An output could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// A command asked for something it cannot do; the message says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// No team workbook was found in the inputs.
    #[error("no team workbooks (xlsx, xlsm, xlsb, xls, ods) found in {}", shown(.0))]
    NoWorkbooks(Vec<PathBuf>),
    /// `--budget` is negative or not a number.
    #[error("--budget must be zero or more and below 1e15, found {0}")]
    Budget(f64),
    /// A folder argument that is not a folder.
    #[error("{}: no such folder", .0.display())]
    NoSuchFolder(PathBuf),
    /// `--out` is the round's own folder.
    #[error("--out {}: is the round's folder; give a folder of its own for the pack, e.g. {}", .0.display(), .0.join("out").display())]
    OutIsTheRound(PathBuf),
    /// `--out` is a folder of the round that holds team workbooks.
    #[error("--out {}: holds team workbooks of the round ({}); writing there would leave them out of the round: give a folder of its own", .0.display(), crate::text::quoted(.1))]
    OutHoldsWorkbooks(PathBuf, Vec<String>),
    /// `--out` holds files named like the run's outputs that op1 did not write.
    #[error("--out {}: holds files op1 did not write that this run would replace ({}): no op1 manifest there lists them; give another folder, or pass --force to replace them", .0.display(), crate::text::quoted(.1))]
    OutHoldsOthersFiles(PathBuf, Vec<String>),
    /// `--out` names a file, not a folder.
    #[error("--out {}: is a file; give a folder for the pack", .0.display())]
    OutIsAFile(PathBuf),
    /// The funding objective cannot rank the round's cases.
    #[error(transparent)]
    Objective(#[from] crate::model::ObjectiveError),
    /// `template --currency` is not an ISO-4217 code.
    #[error("--currency must be an ISO-4217 code such as USD or EUR, found \"{typed}\"{}", .near.map(|n| format!("; did you mean {n}?")).unwrap_or_default())]
    Currency {
        typed: String,
        near: Option<&'static str>,
    },
    /// A template is written as `.xlsx` only.
    #[error("{}: the template is an .xlsx file", .0.display())]
    TemplateNotXlsx(PathBuf),
    /// `template --out` names a file that exists, and `--force` was not given.
    #[error(
        "{}: exists, and may be a team's filled-in workbook; choose another name or pass --force to replace it",
        .0.display()
    )]
    WouldOverwrite(PathBuf),
    /// No team reported a quarter and no `--as-of` says which quarter it is.
    #[error("no team has reported a quarter yet (the Q1–Q4 columns of the Plan sheet); fill them in, or give --as-of to say which quarter the round is at")]
    NoActuals,
    /// `--as-of` is not a quarter.
    #[error("--as-of must be a quarter, 1 to 4 (Q1–Q4), found {0}")]
    Quarter(usize),
    /// `--plan` is not an approved pack of this format.
    #[error(transparent)]
    Plan(crate::snapshot::SnapshotError),
    /// `template --out` names the `--from` workbook.
    #[error("{}: --out would overwrite the input; op1 never writes its inputs", .0.display())]
    WouldOverwriteInput(PathBuf),
}

/// Paths as a message lists them.
fn shown(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
