//! `op1 diff OLD NEW`: two versions of a round — each a round (read and
//! modelled as `pack` does) or an earlier pack folder — compared.

use super::round::check_inputs_excluding;
use super::{RunError, UsageError};
use crate::diff::{compare, Changes, Version};
use crate::manifest::{hash_file, Command, Hashed, Manifest};
use crate::model;
use crate::model::FundingParams;
use crate::plan::TeamWorkbook;
use crate::read;
use crate::settings::Settings;
use std::path::{Path, PathBuf};

/// What `op1 diff` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct DiffConfig {
    pub old: PathBuf,
    pub new: PathBuf,
    pub settings: Option<PathBuf>,
    /// `--follow-links`: follow links that lead out of a round's folder.
    pub follow_links: bool,
    /// Where to write `changes.xlsx`, if anywhere.
    pub out: Option<PathBuf>,
    /// Use a pack folder that changed since op1 wrote it (recorded).
    pub accept_modified: bool,
    /// Replace files in `out` that op1 did not write (`--force`).
    pub force: bool,
    pub format: super::Format,
}

/// What changed, and the objective the text orders teams by.
#[derive(Debug)]
pub struct DiffOutcome {
    pub changes: Changes,
    pub objective: Option<String>,
    /// The files written into `out`.
    pub written: Vec<String>,
    /// A `chart-failed` finding for a chart that could not be drawn.
    pub findings: Vec<crate::finding::Finding>,
    /// The settings file each side (OLD, NEW) was read with: none for a
    /// pack folder or a round on the defaults.
    pub settings: [Option<PathBuf>; 2],
}

/// Compares the two versions and says what changed: exit code 0 when
/// nothing did, 1 when something did.
///
/// # Errors
/// As [`diff`].
pub fn run(config: &DiffConfig) -> Result<super::Said, RunError> {
    use crate::diff::report;
    let outcome = diff(config)?;
    let mut notes = vec![report::settings_line(&outcome.settings)];
    // A chart that could not be drawn is said, not hidden.
    notes.extend(
        outcome
            .findings
            .iter()
            .map(|f| format!("op1: warning[{}]: {}", f.rule.id(), f.message)),
    );
    let (report, written) = match (config.format, &config.out) {
        (super::Format::Json, _) => (
            report::json(&outcome.changes, &outcome.settings) + "\n",
            vec![],
        ),
        (super::Format::Text, out) => (
            report::text(&outcome.changes, outcome.objective.as_deref()),
            out.iter()
                .flat_map(|dir| outcome.written.iter().map(|n| dir.join(n)))
                .collect(),
        ),
    };
    Ok(super::Said {
        notes,
        report,
        written,
        code: u8::from(!outcome.changes.is_empty()),
    })
}

/// Reads both sides and compares them.
///
/// # Errors
/// [`RunError`] when a side cannot be read (a pack of another format is
/// refused), or its round cannot be modelled.
pub fn diff(config: &DiffConfig) -> Result<DiffOutcome, RunError> {
    if let Some(out) = &config.out {
        super::refuse_others_files(out, (&crate::replace::DIFF, config.force))?;
    }
    let round = |path: &PathBuf| super::RoundInputs {
        inputs: vec![path.clone()],
        settings: config.settings.clone(),
        follow_links: config.follow_links,
    };
    let (old, old_modified) =
        read_version(&config.old, &round(&config.old), config.accept_modified)?;
    let (new, new_modified) =
        read_version(&config.new, &round(&config.new), config.accept_modified)?;
    let (mut findings, accepted): (Vec<_>, Vec<_>) =
        [old_modified, new_modified].into_iter().flatten().unzip();
    // The tolerance is NEW's (the round as it stands), else OLD's, else the
    // settings given, else none.
    let tolerance = match (&new.settings, &old.settings, &config.settings) {
        (Some(s), _, _) | (None, Some(s), _) => s.diff.tolerance,
        (None, None, Some(path)) => Settings::load(path)?.diff.tolerance,
        (None, None, None) => 0.0,
    };
    let changes = compare(&old.version, &new.version, tolerance);
    let mut written = Vec::new();
    if let Some(out) = &config.out {
        let _lock = crate::lock::FolderLock::acquire(out)?;
        let (files, chart_findings) = crate::write::changes::write_changes(out, &changes)?;
        written.extend(files);
        findings.extend(chart_findings);
        let inputs = [old.inputs, new.inputs].concat();
        // The manifest records the settings file the run read: the one
        // given, else the round's (NEW's, else OLD's).
        let settings = (config.settings.as_ref())
            .or(new.settings_file.as_ref())
            .or(old.settings_file.as_ref());
        let settings = settings.map(PathBuf::as_path);
        let mut manifest = Manifest::of_run(out, Command::Diff, settings, inputs, &written)?;
        manifest.accepted_modified = accepted;
        written.push(manifest.write(out)?);
    }
    let objective = [&new.version, &old.version]
        .iter()
        .find_map(|s| s.objective.as_ref().map(|o| o.name.clone()));
    Ok(DiffOutcome {
        changes,
        objective,
        written,
        findings,
        settings: [old.settings_file, new.settings_file],
    })
}

/// One side as read.
pub(super) struct VersionRead {
    pub version: Version,
    /// A round's settings (none for a pack, which holds its own figures).
    pub settings: Option<Settings>,
    /// The settings file a round was read with (none for a pack, or a round
    /// run on the defaults).
    pub settings_file: Option<PathBuf>,
    /// The inputs the manifest records for it.
    pub inputs: Vec<Hashed>,
}

/// One side: a pack folder as it was written (verified first, see
/// [`super::accepted_pack`]), or a round modelled now (with its settings).
pub(super) fn read_version(
    path: &Path,
    round: &super::RoundInputs,
    accept_modified: bool,
) -> Result<(VersionRead, Option<super::Modified>), RunError> {
    if path.is_dir() && crate::discover::is_pack_folder(path) {
        let (snapshot, modified) = super::accepted_pack(path, accept_modified)?;
        // The pack's manifest stands for its files.
        let manifest = path.join(crate::outputs::MANIFEST_FILE);
        let inputs = hash_file(&manifest)
            .map(|(sha256, bytes)| Hashed {
                path: manifest.display().to_string(),
                sha256,
                bytes,
            })
            .into_iter()
            .collect();
        let version = Version::from_snapshot(&snapshot).map_err(RunError::Model)?;
        let read = VersionRead {
            version,
            settings: None,
            settings_file: None,
            inputs,
        };
        return Ok((read, modified));
    }
    let round = super::RoundInputs {
        inputs: vec![path.to_path_buf()],
        ..round.clone()
    };
    let checked = check_inputs_excluding(&round, &read::Silent, None)?;
    let excluded = checked.findings.errors_by_file();
    let included: Vec<&TeamWorkbook> = checked
        .round
        .workbooks()
        .filter(|wb| !excluded.contains_key(&wb.file))
        .collect();
    let params = FundingParams::decide((None, None), &checked.settings, &included)
        .map_err(UsageError::from)?;
    let (m, found) =
        model::build(&included, &checked.settings, &params).map_err(RunError::Model)?;
    let mut findings = checked.findings.all().to_vec();
    findings.extend(found);
    let left_out: Vec<&TeamWorkbook> = checked
        .round
        .workbooks()
        .filter(|wb| excluded.contains_key(&wb.file))
        .collect();
    let version = Version::from_model(path.display().to_string(), &m, &findings, &included)
        .map_err(RunError::Model)?
        .with_excluded(&left_out, &checked.settings);
    let read = VersionRead {
        version,
        inputs: crate::manifest::inputs_of(&checked.round.files),
        settings: Some(checked.settings),
        settings_file: checked.settings_file,
    };
    Ok((read, None))
}
