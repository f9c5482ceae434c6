//! `op1 checkpoint`: the round measured against its approved plan at a
//! quarter, and its outputs written.

use super::round::check_inputs_excluding;
use super::{RunError, UsageError};
use crate::check::Checked;
use crate::model;
use crate::model::FundingParams;
use crate::plan::TeamWorkbook;
use crate::read;
use crate::write;
use std::path::PathBuf;

/// What `op1 checkpoint` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct CheckpointConfig {
    pub round: super::RoundInputs,
    pub out: PathBuf,
    /// Replace files in `out` that op1 did not write (`--force`).
    pub force: bool,
    /// The folder of the approved pack; `None`: the plan as the workbooks hold it now.
    pub plan: Option<PathBuf>,
    /// The round's quarter (1–4); `None`: the latest any team reported.
    pub as_of: Option<usize>,
    /// Use an approved pack that changed since op1 wrote it (recorded).
    pub accept_modified: bool,
    pub report: super::ReportOptions,
}

/// What `op1 checkpoint` did.
#[derive(Debug)]
pub struct CheckpointOutcome {
    /// The round as read and checked, with the checkpoint's findings.
    pub checked: Checked,
    /// `None` when the round has errors.
    pub checkpoint: Option<crate::checkpoint::Checkpoint>,
    pub written: Vec<String>,
}

/// Runs the checkpoint and says what happened: exit code 1 when it was
/// refused (the round has errors) or has errors.
///
/// # Errors
/// As [`checkpoint`].
pub fn run(config: &CheckpointConfig) -> Result<super::Said, RunError> {
    use super::Format;
    let bar = crate::progress::Bar::new(config.report.quiet);
    let outcome = checkpoint_with(config, &bar)?;
    let checked = &outcome.checked;
    let settings = checked.settings_file.as_deref();
    let mut said = super::Said {
        notes: vec![crate::report::settings_line(settings)],
        ..super::Said::default()
    };
    said.report = match config.report.format {
        Format::Json => format!(
            "{}\n",
            crate::report::written_json(
                settings,
                outcome.checkpoint.is_some(),
                &outcome.written,
                &[],
                checked.findings.all()
            )
        ),
        Format::Text => crate::report::round(checked, config.report.verbose),
    };
    let Some(cp) = &outcome.checkpoint else {
        said.notes
            .push("op1: checkpoint refused: the round has errors; fix them first".into());
        said.code = 1;
        return Ok(said);
    };
    if config.report.lists_written() {
        said.notes.push(format!("checkpoint as of Q{}", cp.quarter));
        said.written = outcome.written.iter().map(|n| config.out.join(n)).collect();
    }
    said.code = u8::from(checked.findings.has_errors(config.report.strict));
    Ok(said)
}

/// Reads and checks a round and measures it against the approved plan at a
/// quarter; writes the checkpoint's outputs into `config.out`.
///
/// # Errors
/// [`RunError`] for bad inputs, settings or plan folder, or an output that
/// cannot be written.
pub fn checkpoint(config: &CheckpointConfig) -> Result<CheckpointOutcome, RunError> {
    checkpoint_with(config, &read::Silent)
}

/// [`checkpoint`], telling `progress` as files are read.
///
/// # Errors
/// As [`checkpoint`].
pub fn checkpoint_with(
    config: &CheckpointConfig,
    progress: &dyn read::Progress,
) -> Result<CheckpointOutcome, RunError> {
    if let Some(q) = config.as_of {
        if !(1..=4).contains(&q) {
            return Err(UsageError::Quarter(q).into());
        }
    }
    let writes = (&crate::replace::CHECKPOINT, config.force);
    super::validate_out(&config.round.inputs, &config.out, writes)?;
    // The approved plan is read before the round: a wrong folder is said at once.
    let (snapshot, modified) = match &config.plan {
        Some(dir) => {
            let (snapshot, modified) = super::accepted_pack(dir, config.accept_modified)?;
            (Some(snapshot), modified)
        }
        None => (None, None),
    };
    let mut checked = check_inputs_excluding(&config.round, progress, Some(&config.out))?;
    let accepted: Vec<_> = modified.iter().map(|(_, a)| a.clone()).collect();
    checked.findings.extend(modified.map(|(f, _)| f));
    // A checkpoint measures the whole round: any error refuses it.
    if !crate::check::included(&checked.round, &checked.findings).is_whole() {
        return Ok(CheckpointOutcome {
            checked,
            checkpoint: None,
            written: Vec::new(),
        });
    }
    let included: Vec<&TeamWorkbook> = checked.round.workbooks().collect();
    let reported = included
        .iter()
        .flat_map(|wb| &wb.metrics)
        .any(|m| m.quarters.iter().any(Option::is_some));
    if !reported && config.as_of.is_none() {
        return Err(UsageError::NoActuals.into());
    }
    let params = FundingParams::decide((None, None), &checked.settings, &included)
        .map_err(UsageError::from)?;
    let approved = match &snapshot {
        Some(s) => crate::checkpoint::Approved::from_snapshot(s),
        None => model::build(&included, &checked.settings, &params)
            .and_then(|(m, _)| crate::checkpoint::Approved::from_model(&m)),
    }
    .map_err(RunError::Model)?;
    let (cp, found) = crate::checkpoint::build(
        &included,
        &checked.settings,
        &approved,
        params.objective.as_ref(),
        config.as_of,
    )
    .map_err(RunError::Model)?;
    checked.findings.extend(found);
    let _lock = crate::lock::FolderLock::acquire(&config.out)?;
    let mut written = write::checkpoint::write_checkpoint(
        &config.out,
        &cp,
        &checked.settings,
        &mut checked.findings,
    )?;
    // The approved pack read back is an input too (its manifest stands for it).
    let approved_manifest: Vec<std::path::PathBuf> = config
        .plan
        .iter()
        .map(|dir| dir.join(crate::outputs::MANIFEST_FILE))
        .filter(|p| p.is_file())
        .collect();
    written.push(super::write_manifest(
        &config.out,
        crate::manifest::Command::Checkpoint,
        &checked,
        &written,
        (&approved_manifest, &accepted),
    )?);
    Ok(CheckpointOutcome {
        checked,
        checkpoint: Some(cp),
        written,
    })
}
