//! The pipeline's entry points, one per command: they take a plain config
//! struct (the CLI builds it), run the stages in order and hand back results
//! the CLI turns into output and an exit code.

use crate::check;
use crate::discover::{self, DiscoverError};
use crate::finding::{sort_findings, Finding};
use crate::plan::Round;
use crate::read;
use crate::settings::{Settings, SettingsError};
use std::fmt;
use std::path::{Path, PathBuf};

/// Why a command could not run at all (exit code 2).
#[derive(Debug)]
pub enum RunError {
    Discover(DiscoverError),
    Settings(SettingsError),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Usage(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Discover(e) => e.fmt(f),
            RunError::Settings(e) => e.fmt(f),
            RunError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            RunError::Usage(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for RunError {}

impl From<DiscoverError> for RunError {
    fn from(e: DiscoverError) -> Self {
        RunError::Discover(e)
    }
}

impl From<SettingsError> for RunError {
    fn from(e: SettingsError) -> Self {
        RunError::Settings(e)
    }
}

/// A round read and checked.
#[derive(Debug)]
pub struct Checked {
    pub settings: Settings,
    /// The settings file used, if any.
    pub settings_file: Option<PathBuf>,
    pub round: Round,
    /// Teams expected to submit.
    pub roster: Vec<String>,
    /// Every finding: reading and checklist, severity overrides applied, in report order.
    pub findings: Vec<Finding>,
}

/// Discovers, reads and checks a round.
///
/// The settings come from `settings_path` when given, else from the
/// `op1.toml` of the first input folder holding one, else the defaults.
///
/// # Errors
/// [`RunError`] when an input does not exist or the settings are invalid.
pub fn check_inputs(inputs: &[PathBuf], settings_path: Option<&Path>) -> Result<Checked, RunError> {
    check_inputs_with(inputs, settings_path, &read::Silent)
}

/// [`check_inputs`], telling `progress` as files are read.
///
/// # Errors
/// As [`check_inputs`].
pub fn check_inputs_with(
    inputs: &[PathBuf],
    settings_path: Option<&Path>,
    progress: &dyn read::Progress,
) -> Result<Checked, RunError> {
    check_inputs_excluding(inputs, settings_path, progress, None)
}

/// [`check_inputs_with`], passing over everything under `output` (a pack
/// written inside the round's folder is not a team workbook).
fn check_inputs_excluding(
    inputs: &[PathBuf],
    settings_path: Option<&Path>,
    progress: &dyn read::Progress,
    output: Option<&Path>,
) -> Result<Checked, RunError> {
    let mut discovery = discover::discover(inputs)?;
    if let Some(out) = output {
        discovery.set_aside(out, discover::SkipReason::Output);
    }
    let settings_file = settings_path
        .map(Path::to_path_buf)
        .or_else(|| discovery.settings_file.clone())
        .or_else(|| discover::settings_above(inputs));
    let settings = match &settings_file {
        Some(path) => Settings::load(path)?,
        None => Settings::default(),
    };
    let levels = settings.rule_levels().map_err(|(key, message)| {
        RunError::Usage(format!("invalid settings: `{key}` {message}"))
    })?;
    if let Some(roster) = settings.roster_path() {
        discovery.set_aside(&roster, discover::SkipReason::Roster);
    }
    let mut clock = crate::timing::Stopwatch::start();
    let mut round = read::read_round_with(&discovery, &settings, progress);
    clock.lap("read");
    let mut findings = std::mem::take(&mut round.findings);
    let roster = match check::load_roster(&settings) {
        Ok(roster) => roster,
        Err(finding) => {
            findings.push(*finding);
            Vec::new()
        }
    };
    findings.extend(check::check_round(&round, &settings, &roster));
    let mut findings = levels.apply(findings);
    sort_findings(&mut findings);
    round.findings = findings.clone();
    clock.lap("check");
    Ok(Checked {
        settings,
        settings_file,
        round,
        roster,
        findings,
    })
}

/// What `op1 pack` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct PackConfig {
    pub inputs: Vec<PathBuf>,
    pub settings: Option<PathBuf>,
    pub out: PathBuf,
    pub budget: Option<f64>,
    pub objective: Option<String>,
    /// Leave files with errors out instead of refusing.
    pub allow_partial: bool,
    /// Draw the PNG/SVG charts.
    pub charts: bool,
}

/// What `op1 pack` did.
#[derive(Debug)]
pub struct PackOutcome {
    pub checked: Checked,
    /// Files left out because they have errors (with `allow_partial`).
    pub excluded: Vec<String>,
    /// `None` when the pack was refused because of errors.
    pub model: Option<crate::model::Model>,
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
    if let Some(b) = config.budget {
        if !b.is_finite() || b < 0.0 {
            return Err(RunError::Usage(format!(
                "--budget must be zero or more, found {b}"
            )));
        }
    }
    let mut checked = check_inputs_excluding(
        &config.inputs,
        config.settings.as_deref(),
        progress,
        Some(&config.out),
    )?;
    if checked.round.files.is_empty() {
        return Err(RunError::Usage(format!(
            "no team workbooks (xlsx, xlsm, xlsb, xls, ods) found in {}",
            config
                .inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let bad = checked.round.files_with_errors();
    let round_errors = checked
        .findings
        .iter()
        .any(|f| f.severity == crate::finding::Severity::Error && f.file.is_none());
    if (!bad.is_empty() || round_errors) && !config.allow_partial {
        return Ok(PackOutcome {
            checked,
            excluded: bad.into_iter().collect(),
            model: None,
            written: Vec::new(),
        });
    }
    let usable: Vec<&crate::plan::TeamWorkbook> = checked
        .round
        .workbooks()
        .filter(|wb| !bad.contains(&wb.file))
        .collect();
    let params = crate::model::FundingParams::from_settings(
        &checked.settings,
        config.budget,
        config.objective.clone(),
    );
    if let Some(objective) = &params.objective {
        let key = crate::read::parse::normalise(objective);
        let known: std::collections::BTreeSet<&str> = usable
            .iter()
            .flat_map(|wb| wb.metrics.iter().map(|m| m.name.value.as_str()))
            .collect();
        if !known
            .iter()
            .any(|m| crate::read::parse::normalise(m) == key)
        {
            return Err(RunError::Usage(format!(
                "the funding objective \"{objective}\" is not a metric of any team; the metrics are: {}",
                known.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let mut clock = crate::timing::Stopwatch::start();
    let model =
        crate::model::build(&usable, &checked.settings, &params).map_err(|e| RunError::Io {
            path: config.out.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
    clock.lap("model");
    let levels = checked.settings.rule_levels().unwrap_or_default();
    checked
        .findings
        .extend(levels.apply(model.findings.clone()));
    sort_findings(&mut checked.findings);
    if config.out.exists() && !config.out.is_dir() {
        return Err(RunError::Usage(format!(
            "--out {}: is a file; give a folder for the pack",
            config.out.display()
        )));
    }
    std::fs::create_dir_all(&config.out).map_err(|source| RunError::Io {
        path: config.out.clone(),
        source,
    })?;
    let mut chart_findings = Vec::new();
    let written =
        crate::write::write_outputs(&config.out, &checked, &model, config, &mut chart_findings)
            .map_err(|e| RunError::Io {
                path: config.out.clone(),
                source: std::io::Error::other(e.to_string()),
            })?;
    checked.findings.extend(levels.apply(chart_findings));
    sort_findings(&mut checked.findings);
    Ok(PackOutcome {
        checked,
        excluded: bad.into_iter().collect(),
        model: Some(model),
        written,
    })
}

/// What `op1 template` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct TemplateConfig {
    pub out: PathBuf,
    /// Re-issue this team workbook, filled, instead of a blank one.
    pub from: Option<PathBuf>,
    pub options: crate::template::TemplateOptions,
}

/// Writes a blank or re-issued team workbook. Returns the findings of reading
/// the `from` workbook (nothing is written when it cannot be read at all).
///
/// # Errors
/// [`RunError`] for a bad output name or when the file cannot be written.
pub fn template(config: &TemplateConfig) -> Result<Vec<Finding>, RunError> {
    let is_xlsx = config
        .out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Err(RunError::Usage(format!(
            "{}: the template is an .xlsx file",
            config.out.display()
        )));
    }
    let io = |e: rust_xlsxwriter::XlsxError| RunError::Io {
        path: config.out.clone(),
        source: std::io::Error::other(e.to_string()),
    };
    if let Some(from) = &config.from {
        let same = |p: &Path| std::fs::canonicalize(p).ok();
        if same(from).is_some() && same(from) == same(&config.out) {
            return Err(RunError::Usage(format!(
                "{}: --out would overwrite the input; op1 never writes its inputs",
                config.out.display()
            )));
        }
    }
    let Some(from) = &config.from else {
        crate::template::write_template(&config.out, &config.options).map_err(io)?;
        return Ok(Vec::new());
    };
    let input = discover::InputFile {
        path: from.clone(),
        display: discover::display_path(from),
        format: discover::Format::from_extension(from),
    };
    let (read, mut findings) = read::read_file(&input, &Settings::default());
    sort_findings(&mut findings);
    if let Some(wb) = &read.workbook {
        crate::template::write_filled(&config.out, wb).map_err(io)?;
    }
    Ok(findings)
}
