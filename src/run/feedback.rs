//! `op1 feedback`: each team with findings gets its workbook back with the
//! findings on its cells and a message to send; `feedback.csv` lists every
//! team. The inputs are never modified.

use super::round::check_inputs_excluding;
use super::RunError;
use crate::check::Checked;
use crate::finding::{Finding, Tally};
use crate::names::{file_stem, Stems};
use crate::output::OutputError;
use crate::read;
use std::path::PathBuf;

/// What `op1 feedback` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct FeedbackConfig {
    pub round: super::RoundInputs,
    pub out: PathBuf,
    /// Replace files in `out` that op1 did not write (`--force`).
    pub force: bool,
    /// Do not list the files written.
    pub quiet: bool,
}

/// What `op1 feedback` did.
#[derive(Debug)]
pub struct FeedbackOutcome {
    pub checked: Checked,
    /// The files written, relative to the output folder.
    pub written: Vec<String>,
}

/// Writes the feedback and says so: the round's report and the files
/// written. Exit code 0: the findings are the teams' to answer.
///
/// # Errors
/// As [`feedback`].
pub fn run(config: &FeedbackConfig) -> Result<super::Said, RunError> {
    let outcome = feedback(config)?;
    let settings = outcome.checked.settings_file.as_deref();
    let written = match config.quiet {
        true => Vec::new(),
        false => outcome.written.iter().map(|n| config.out.join(n)).collect(),
    };
    Ok(super::Said {
        notes: vec![crate::report::settings_line(settings)],
        report: crate::report::round(&outcome.checked, false),
        written,
        code: 0,
    })
}

/// Checks a round and writes each team's feedback into `config.out`.
///
/// # Errors
/// [`RunError`] for bad inputs or settings, or an output that cannot be written.
pub fn feedback(config: &FeedbackConfig) -> Result<FeedbackOutcome, RunError> {
    let writes = (&crate::replace::FEEDBACK, config.force);
    super::validate_out(&config.round.inputs, &config.out, writes)?;
    let checked = check_inputs_excluding(&config.round, &read::Silent, Some(&config.out))?;
    let _lock = crate::lock::FolderLock::acquire(&config.out)?;
    let mut written = Vec::new();
    // feedback.csv, one row per team.
    let mut rows: Vec<(String, String, Tally, String, String)> = Vec::new();
    let mut stems = Stems::default();
    for file in &checked.round.files {
        let Some(wb) = &file.workbook else { continue };
        let own: Vec<&Finding> = checked
            .findings
            .all()
            .iter()
            .filter(|f| f.file.as_deref() == Some(file.input.display.as_str()))
            .collect();
        let tally = Tally::of(own.iter().copied());
        let (workbook, message) = if tally.errors + tally.warnings == 0 {
            ("ok".to_string(), String::new())
        } else {
            let stem = stems.unique(&file_stem(wb.name(), "team"));
            let wanted = crate::feedback::cells_to_show_as_typed(&own);
            let typed = crate::read::typed::typed_cells(
                &file.input.path,
                &wanted,
                &checked.settings.limits,
            );
            let done = crate::feedback::write_feedback(&config.out, &stem, wb, &own, &typed)?;
            written.push(done.workbook.clone());
            written.push(done.message.clone());
            (done.workbook, done.message)
        };
        rows.push((
            wb.name().to_string(),
            file.input.display.clone(),
            tally,
            workbook,
            message,
        ));
    }
    write_table(&config.out, &rows)?;
    written.push(crate::outputs::FEEDBACK_CSV.to_string());
    written.push(super::write_manifest(
        &config.out,
        crate::manifest::Command::Feedback,
        &checked,
        &written,
        (&[], &[]),
    )?);
    Ok(FeedbackOutcome { checked, written })
}

/// `feedback.csv`, written as every table of op1 is (formula-safe text).
fn write_table(
    out: &std::path::Path,
    rows: &[(String, String, Tally, String, String)],
) -> Result<(), OutputError> {
    use polars::prelude::*;
    let path = out.join(crate::outputs::FEEDBACK_CSV);
    let error = |source| OutputError::table(&path, source);
    let df = df!(
        "team" => rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        "file" => rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        "errors" => rows.iter().map(|r| r.2.errors as u32).collect::<Vec<_>>(),
        "warnings" => rows.iter().map(|r| r.2.warnings as u32).collect::<Vec<_>>(),
        "info" => rows.iter().map(|r| r.2.infos as u32).collect::<Vec<_>>(),
        "feedback" => rows.iter().map(|r| r.3.as_str()).collect::<Vec<_>>(),
        "message" => rows.iter().map(|r| r.4.as_str()).collect::<Vec<_>>(),
    )
    .map_err(error)?;
    crate::write::tables::write_csv(&df, &path).map_err(error)
}
