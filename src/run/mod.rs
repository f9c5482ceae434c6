//! The pipeline's entry points, one per command. Each takes a plain config
//! struct (the CLI builds it), runs the stages in order — discover → read →
//! check → model → write — deciding once what the later stages share (the
//! settings, the rule levels, the files included, the funding objective),
//! hands each stage only what it needs, and returns results the CLI turns
//! into output and an exit code.

mod check;
mod checkpoint;
mod diff;
mod feedback;
mod template;

use check::check_inputs_excluding;
pub use check::{check_inputs, check_round, RoundInputs};
pub use checkpoint::{checkpoint, CheckpointConfig, CheckpointOutcome};
pub use diff::{diff, DiffConfig, DiffOutcome};
pub use feedback::{feedback, FeedbackConfig, FeedbackOutcome};
pub use template::{template, TemplateConfig, TemplateOutcome};

use crate::check::Checked;
use crate::discover::DiscoverError;
use crate::finding::{Finding, Findings, Rule};
use crate::model::{self, FundingParams, Model};
use crate::output::OutputError;
use crate::plan::{Rollup, TeamWorkbook};
use crate::read;
use crate::settings::{Settings, SettingsError};
use crate::write::{self, PackInput, WriteOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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
    /// The funding objective is no team's metric.
    #[error(
        "the funding objective \"{objective}\" is not a metric of any team; the metrics are: {}",
        known.join(", ")
    )]
    UnknownObjective {
        objective: String,
        known: Vec<String>,
    },
    /// The funding objective does not add up across teams.
    #[error(
        "the funding objective \"{objective}\" rolls up as \"{rollup}\", not as a sum: an ROI needs an objective you can add up across teams (revenue, customers, …); choose another metric"
    )]
    ObjectiveNotSummable {
        objective: String,
        /// The roll-up as a person reads it (`mean`, `weighted by Revenue`).
        rollup: String,
    },
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

/// Paths as a message lists them.
fn shown(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

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

/// Refuses an output folder that is a file, or that is the round's own
/// folder (every command that writes a folder checks this first).
fn validate_out(inputs: &[PathBuf], out: &Path, writes: OutWrites) -> Result<(), UsageError> {
    if out.exists() && !out.is_dir() {
        return Err(UsageError::OutIsAFile(out.to_path_buf()));
    }
    let same = |p: &Path| std::fs::canonicalize(p).ok();
    if same(out).is_some() && inputs.iter().any(|i| same(i) == same(out)) {
        return Err(UsageError::OutIsTheRound(out.to_path_buf()));
    }
    refuse_others_files(out, writes)
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
    let excluded = checked.findings.errors_by_file();
    if (!excluded.is_empty() || checked.findings.has_round_errors()) && !config.allow_partial {
        return Ok(PackOutcome {
            checked,
            excluded: excluded.into_keys().collect(),
            model: None,
            written: Vec::new(),
        });
    }
    let included: Vec<&TeamWorkbook> = checked
        .round
        .workbooks()
        .filter(|wb| !excluded.contains_key(&wb.file))
        .collect();
    let given = (config.budget, config.objective.as_deref());
    let params = funding_params(given, &checked.settings, &included)?;
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
            let (old, modified) = diff::side(old, &config.round, config.accept_modified)?;
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

/// What changed from `old` (a round, or a pack folder — the output folder
/// itself before it is overwritten — as [`diff::side`] read it) to the round
/// being packed.
fn changes_since(
    old: diff::SideRead,
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
    let new = crate::diff::Side::from_model(label, model, findings.all(), included)
        .map_err(RunError::Model)?;
    Ok(crate::diff::compare(
        &old.side,
        &new,
        settings.diff.tolerance,
    ))
}

/// The funding question, decided once: the envelope and the objective from
/// the command line (`budget`, `objective`; `None` where not given) or the
/// settings, the objective resolved to a metric the included teams report
/// (refused with the list of metrics when none does).
fn funding_params(
    (budget, objective): (Option<f64>, Option<&str>),
    settings: &Settings,
    included: &[&TeamWorkbook],
) -> Result<FundingParams, UsageError> {
    let budget = budget.or(settings.funding.budget);
    let Some(objective) = objective
        .map(str::to_string)
        .or_else(|| settings.funding.objective.clone())
    else {
        return Ok(FundingParams {
            budget,
            objective: None,
        });
    };
    let known: BTreeSet<&str> = included
        .iter()
        .flat_map(|wb| wb.metrics.iter().map(|m| m.name.value.as_str()))
        .collect();
    match model::Objective::resolve(&objective, known.iter().copied()) {
        Some(resolved) => {
            // Ranked by uplift per unit of budget, so the objective must add up.
            let not_summed = included
                .iter()
                .flat_map(|wb| &wb.metrics)
                .filter(|m| crate::names::normalise(&m.name.value) == resolved.key)
                .find(|m| m.rollup != Rollup::Sum)
                .map(|m| m.rollup.describe(m.weight.as_deref()));
            if let Some(rollup) = not_summed {
                return Err(UsageError::ObjectiveNotSummable { objective, rollup });
            }
            Ok(FundingParams {
                budget,
                objective: Some(resolved),
            })
        }
        None => Err(UsageError::UnknownObjective {
            objective,
            known: known.into_iter().map(str::to_string).collect(),
        }),
    }
}
