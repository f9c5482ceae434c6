//! `op1 feedback`: each team with findings gets its workbook back with the
//! findings on its cells and a message to send; `feedback.csv` lists every
//! team. The inputs are never modified.

use super::{check_inputs_excluding, PackConfig, RunError};
use crate::check::Checked;
use crate::finding::{Finding, Severity};
use crate::names::{file_stem, Stems};
use crate::output::{atomic_write, OutputError};
use crate::read;
use std::path::PathBuf;

/// What `op1 feedback` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct FeedbackConfig {
    pub inputs: Vec<PathBuf>,
    pub settings: Option<PathBuf>,
    pub out: PathBuf,
}

/// What `op1 feedback` did.
#[derive(Debug)]
pub struct FeedbackOutcome {
    pub checked: Checked,
    /// The files written, relative to the output folder.
    pub written: Vec<String>,
}

/// Checks a round and writes each team's feedback into `config.out`.
///
/// # Errors
/// [`RunError`] for bad inputs or settings, or an output that cannot be written.
pub fn feedback(config: &FeedbackConfig) -> Result<FeedbackOutcome, RunError> {
    let pack = PackConfig {
        inputs: config.inputs.clone(),
        settings: config.settings.clone(),
        out: config.out.clone(),
        ..PackConfig::default()
    };
    pack.validate()?;
    let checked = check_inputs_excluding(
        &config.inputs,
        config.settings.as_deref(),
        &read::Silent,
        Some(&config.out),
    )?;
    std::fs::create_dir_all(&config.out).map_err(|source| OutputError::Io {
        path: config.out.clone(),
        source,
    })?;
    let mut written = Vec::new();
    let mut csv = String::from("team,file,errors,warnings,info,feedback,message\n");
    let mut stems = Stems::default();
    for file in &checked.round.files {
        let Some(wb) = &file.workbook else { continue };
        let own: Vec<&Finding> = checked
            .findings
            .all()
            .iter()
            .filter(|f| f.file.as_deref() == Some(file.input.display.as_str()))
            .collect();
        let count = |s: Severity| own.iter().filter(|f| f.severity == s).count();
        let (errors, warnings, infos) = (
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info),
        );
        let (workbook, message) = if errors + warnings == 0 {
            ("ok".to_string(), String::new())
        } else {
            let stem = stems.unique(&file_stem(wb.name(), "team"));
            let done = crate::feedback::write_feedback(&config.out, &stem, wb, &own)?;
            written.push(done.workbook.clone());
            written.push(done.message.clone());
            (done.workbook, done.message)
        };
        csv.push_str(&format!(
            "{},{},{errors},{warnings},{infos},{workbook},{message}\n",
            csv_field(wb.name()),
            csv_field(&file.input.display)
        ));
    }
    atomic_write(&config.out.join("feedback.csv"), csv.as_bytes())?;
    written.push("feedback.csv".to_string());
    Ok(FeedbackOutcome { checked, written })
}

/// A CSV field: quoted when it holds a comma, quote or line break; a leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so that it never runs as a formula.
fn csv_field(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}
