//! `op1 pack`: the round read, checked and modelled, and the exec pack,
//! the tables, the charts and the document written into one folder.

use super::round::check_inputs_excluding;
use super::said::{Format, ReportOptions, Said};
use super::{diff, pack_input, validate_out, write_manifest, RoundInputs, RunError, UsageError};
use crate::check::Checked;
use crate::finding::Findings;
use crate::model::{self, FundingParams, Model};
use crate::plan::TeamWorkbook;
use crate::read;
use crate::settings::Settings;
use crate::write::{self, WriteOptions};
use std::path::PathBuf;

/// What `op1 pack` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct PackConfig {
    pub round: RoundInputs,
    pub out: PathBuf,
    /// Replace files in `out` that op1 did not write (`--force`).
    pub force: bool,
    pub budget: Option<f64>,
    pub objective: Option<String>,
    /// Leave files with errors out instead of refusing.
    pub allow_partial: bool,
    /// Draw the PNG/SVG charts.
    pub charts: bool,
    /// Compare with this earlier version (a round or a pack folder) and add
    /// what changed to the pack and the document.
    pub since: Option<PathBuf>,
    /// Use a `since` pack that changed since op1 wrote it (recorded).
    pub accept_modified: bool,
    pub report: ReportOptions,
}

impl PackConfig {
    /// Refuses, before anything is read, what no round can make right.
    fn validate(&self) -> Result<(), UsageError> {
        if let Some(b) = self.budget {
            if !b.is_finite() || !(0.0..crate::settings::ABSURD_AMOUNT).contains(&b) {
                return Err(UsageError::Budget(b));
            }
        }
        validate_out(
            &self.round.inputs,
            &self.out,
            (&crate::replace::PACK, self.force),
        )
    }
}

/// What `op1 pack` did.
#[derive(Debug)]
pub struct PackOutcome {
    /// The round as read and checked; its findings include the model's and
    /// the writers' (a chart that could not be drawn, say).
    pub checked: Checked,
    /// Files left out because they have errors (with `allow_partial`), or
    /// that made the pack be refused.
    pub excluded: Vec<String>,
    /// `None` when the pack was refused because of errors.
    pub model: Option<Model>,
    /// The files written, relative to the output folder.
    pub written: Vec<String>,
}

/// Packs the round and says what happened: exit code 1 when it was refused
/// (files with errors, without `allow_partial`) or has errors.
///
/// # Errors
/// As [`pack`].
pub fn run(config: &PackConfig) -> Result<Said, RunError> {
    let bar = crate::progress::Bar::new(config.report.quiet);
    let outcome = pack_with(config, &bar)?;
    let mut clock = crate::timing::Stopwatch::start();
    let checked = &outcome.checked;
    let packed = outcome.model.is_some();
    let settings = checked.settings_file.as_deref();
    let mut said = Said {
        notes: vec![crate::report::settings_line(settings)],
        ..Said::default()
    };
    said.report = match config.report.format {
        Format::Json => format!(
            "{}\n",
            crate::report::written_json(
                settings,
                packed,
                &outcome.written,
                &outcome.excluded,
                checked.findings.all()
            )
        ),
        Format::Text => crate::report::round(checked, config.report.verbose),
    };
    let excluded = outcome.excluded.join(", ");
    if !packed {
        said.notes.push(format!(
            "op1: pack refused: {} file(s) have errors ({excluded}); fix them or pass --allow-partial to leave them out",
            outcome.excluded.len(),
        ));
        said.code = 1;
        return Ok(said);
    }
    if !outcome.excluded.is_empty() {
        said.notes.push(format!(
            "op1: left out {} file(s) with errors: {excluded}",
            outcome.excluded.len(),
        ));
    }
    if config.report.lists_written() {
        said.written = outcome.written.iter().map(|n| config.out.join(n)).collect();
    }
    clock.lap("report");
    said.code = u8::from(checked.findings.has_errors(config.report.strict));
    // The process ends soon: freeing a large round piece by piece only
    // costs time (40 ms at 10,000 teams); the OS takes it back.
    std::mem::forget(outcome);
    Ok(said)
}

/// Reads, checks and models a round and writes its outputs into `config.out`.
///
/// # Errors
/// [`RunError`] for bad inputs or settings, or when an output cannot be written.
pub fn pack(config: &PackConfig) -> Result<PackOutcome, RunError> {
    pack_with(config, &read::Silent)
}

/// [`pack`], telling `progress` as files are read.
///
/// # Errors
/// As [`pack`].
pub fn pack_with(
    config: &PackConfig,
    progress: &dyn read::Progress,
) -> Result<PackOutcome, RunError> {
    config.validate()?;
    let mut checked = check_inputs_excluding(&config.round, progress, Some(&config.out))?;
    // Decided once: the files with errors are left out (or the pack refused).
    let included = crate::check::included(&checked.round, &checked.findings);
    if !included.is_whole() && !config.allow_partial {
        let excluded = included.excluded.into_keys().collect();
        return Ok(PackOutcome {
            checked,
            excluded,
            model: None,
            written: Vec::new(),
        });
    }
    let (included, excluded) = (included.workbooks, included.excluded);
    let given = (config.budget, config.objective.as_deref());
    let params =
        FundingParams::decide(given, &checked.settings, &included).map_err(UsageError::from)?;
    let mut clock = crate::timing::Stopwatch::start();
    let (model, model_findings) =
        model::build(&included, &checked.settings, &params).map_err(RunError::Model)?;
    clock.lap("model");
    // The writers add their findings (a chart that failed, say) to the run's.
    let mut findings = std::mem::take(&mut checked.findings);
    findings.extend(model_findings);
    // One writer at a time; what killed runs left is swept.
    let _lock = crate::lock::FolderLock::acquire(&config.out)?;
    let mut accepted = Vec::new();
    let changes = match &config.since {
        Some(old) => {
            let (old, modified) = diff::read_version(old, &config.round, config.accept_modified)?;
            if let Some((finding, pack)) = modified {
                findings.extend([finding]);
                accepted.push(pack);
            }
            Some(changes_since(
                old,
                config,
                &checked.settings,
                &model,
                &findings,
                &included,
            )?)
        }
        None => None,
    };
    let mut input = pack_input(&checked, &included, &excluded, &model);
    input.since = changes.as_ref();
    let options = WriteOptions {
        charts: config.charts,
    };
    let mut written = write::write_pack(&config.out, &input, &options, &mut findings)?;
    checked.findings = findings;
    written.push(write_manifest(
        &config.out,
        crate::manifest::Command::Pack,
        &checked,
        &written,
        (&[], &accepted),
    )?);
    Ok(PackOutcome {
        checked,
        excluded: excluded.into_keys().collect(),
        model: Some(model),
        written,
    })
}

/// What changed from `old` (a round, or a pack folder — the output folder
/// itself before it is overwritten — as [`diff::side`] read it) to the round
/// being packed.
fn changes_since(
    old: diff::VersionRead,
    config: &PackConfig,
    settings: &Settings,
    model: &Model,
    findings: &Findings,
    included: &[&TeamWorkbook],
) -> Result<crate::diff::Changes, RunError> {
    let label = config
        .round
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let new = crate::diff::Version::from_model(label, model, findings.all(), included)
        .map_err(RunError::Model)?;
    Ok(crate::diff::compare(
        &old.version,
        &new,
        settings.diff.tolerance,
    ))
}
