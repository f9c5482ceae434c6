//! The pipeline's entry points, one file per command (as xsv's `cmd/`).
//! Each takes a plain config struct (the binary builds it from the command
//! line), runs the stages in order — discover → read → check → model →
//! write — deciding once what the later stages share (the settings, the
//! rule levels, the files included, the funding objective), hands each stage
//! only what it needs, and says what happened as a [`Said`]: notes, report,
//! files written, exit code. This file holds what several commands share.

pub mod check;
pub mod checkpoint;
pub mod diff;
mod error;
pub mod feedback;
pub mod pack;
mod round;
mod said;
pub mod template;
pub mod verify;

pub use check::CheckConfig;
pub use checkpoint::{checkpoint, CheckpointConfig, CheckpointOutcome};
pub use diff::{diff, DiffConfig, DiffOutcome};
pub use error::{RunError, UsageError};
pub use feedback::{feedback, FeedbackConfig, FeedbackOutcome};
pub use pack::{pack, pack_with, PackConfig, PackOutcome};
pub use round::{check_inputs, check_round, RoundInputs};
pub use said::{Format, ReportOptions, Said};
pub use template::{template, TemplateConfig, TemplateOutcome};
pub use verify::VerifyConfig;

use crate::check::Checked;
use crate::finding::{Finding, Rule};
use crate::model::Model;
use crate::output::OutputError;
use crate::plan::TeamWorkbook;
use crate::write::PackInput;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// An earlier pack a run reads (`checkpoint --plan`, a side of `diff`,
/// `pack --since`, `template --plan`), verified against its manifest first:
/// one that changed since op1 wrote it is refused unless `accept_modified`;
/// used as it is, it comes with its `pack-modified` finding and what the
/// run's manifest records about it.
pub(crate) fn accepted_pack(
    dir: &Path,
    accept_modified: bool,
) -> Result<(crate::snapshot::Snapshot, Option<Modified>), UsageError> {
    use crate::snapshot::{Snapshot, SnapshotError};
    // Not a pack, or one of another format: said as such, before its
    // manifest is looked at.
    Snapshot::record(dir).map_err(UsageError::Plan)?;
    let problems = crate::manifest::verify(dir).problems();
    if let (Some(first), false) = (problems.first(), accept_modified) {
        return Err(UsageError::Plan(SnapshotError::Modified {
            dir: dir.to_path_buf(),
            first: first.clone(),
        }));
    }
    let snapshot = Snapshot::read(dir).map_err(UsageError::Plan)?;
    let modified = (!problems.is_empty()).then(|| {
        let accepted = crate::manifest::Accepted {
            dir: dir.display().to_string(),
            problems,
        };
        let finding = Finding::new(
            Rule::PackModified,
            format!(
                "{} had changed since op1 wrote it and is used as it is (--accept-modified): {}",
                accepted.dir,
                accepted.problems.join("; ")
            ),
        )
        .file(&accepted.dir);
        (finding, accepted)
    });
    Ok((snapshot, modified))
}

/// An earlier pack used although it had changed: its `pack-modified`
/// finding and what the run's manifest records.
pub(crate) type Modified = (Finding, crate::manifest::Accepted);

/// Refuses an output folder that is a file, or that is the round's own
/// folder (every command that writes a folder checks this first).
fn validate_out(inputs: &[PathBuf], out: &Path, writes: OutWrites) -> Result<(), UsageError> {
    if out.exists() && !out.is_dir() {
        return Err(UsageError::OutIsAFile(out.to_path_buf()));
    }
    if inputs.iter().any(|i| same_path(i, out)) {
        return Err(UsageError::OutIsTheRound(out.to_path_buf()));
    }
    refuse_others_files(out, writes)
}

/// Whether `a` and `b` are one existing file or folder, however each is
/// written (relative, through a link): the check that op1 never writes
/// over what it reads.
fn same_path(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What a run writes into its output folder, and whether it may replace
/// files there that op1 did not write (`--force`).
type OutWrites = (&'static crate::replace::Writes, bool);

/// Refuses, before anything is written, an output folder holding files
/// named like the run's outputs that no op1 manifest there lists — the
/// user's own — unless `force`.
fn refuse_others_files(out: &Path, (writes, force): OutWrites) -> Result<(), UsageError> {
    let others = crate::replace::not_ours(out, writes);
    if others.is_empty() || force {
        return Ok(());
    }
    Err(UsageError::OutHoldsOthersFiles(out.to_path_buf(), others))
}

/// Writes `manifest.json` into `out`, last: the run's inputs (the round's
/// files, the roster, `extra_inputs`), its settings file, every output, and
/// the earlier packs it used although they had changed (`accepted`).
///
/// # Errors
/// [`OutputError`] when an output cannot be read back or the manifest written.
pub(crate) fn write_manifest(
    out: &Path,
    command: crate::manifest::Command,
    checked: &Checked,
    written: &[String],
    (extra_inputs, accepted): (&[PathBuf], &[crate::manifest::Accepted]),
) -> Result<String, OutputError> {
    use crate::manifest::{hash_file, inputs_of, Hashed, Manifest};
    let mut inputs = inputs_of(&checked.round.files);
    for path in checked
        .settings
        .roster_path()
        .into_iter()
        .chain(extra_inputs.iter().cloned())
    {
        if let Ok((sha256, bytes)) = hash_file(&path) {
            inputs.push(Hashed {
                path: path.display().to_string(),
                sha256,
                bytes,
            });
        }
    }
    let settings = checked.settings_file.as_deref();
    let mut manifest = Manifest::of_run(out, command, settings, inputs, written)?;
    manifest.accepted_modified = accepted.to_vec();
    manifest.write(out)
}

/// What the writers read of a checked round: the settings, the files, the
/// workbooks `included` in the pack, the files `excluded` from it (with their
/// error counts) and the model built from the included ones.
pub fn pack_input<'a>(
    checked: &'a Checked,
    included: &'a [&'a TeamWorkbook],
    excluded: &'a BTreeMap<String, usize>,
    model: &'a Model,
) -> PackInput<'a> {
    PackInput {
        settings: &checked.settings,
        files: &checked.round.files,
        skipped: &checked.round.skipped,
        included,
        excluded,
        model,
        since: None,
    }
}
