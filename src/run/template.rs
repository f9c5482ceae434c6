//! `op1 template`: a blank workbook for a team, or a team's workbook
//! re-issued — in the current layout, for the year's checkpoints, or for the
//! next round.

use super::{RunError, UsageError};
use crate::discover;
use crate::finding::{Finding, Findings};
use crate::model;
use crate::read;
use crate::reissue::ApprovedPlan;
use crate::settings::Settings;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What `op1 template` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct TemplateConfig {
    pub out: PathBuf,
    /// Re-issue this team workbook, filled, instead of a blank one.
    pub from: Option<PathBuf>,
    /// Replace `out` if it exists.
    pub force: bool,
    /// The round's settings: the metric dictionary, fiscal year and reporting currency.
    pub settings: Option<PathBuf>,
    /// With `from`: add the checkpoint columns and protect the plan's.
    pub checkpoint: bool,
    /// With `from`: the workbook for the next round.
    pub next_year: bool,
    /// With `next_year`: the approved pack whose Funded plan becomes LY Target.
    pub plan: Option<PathBuf>,
    /// Use a `plan` pack that changed since op1 wrote it (said as a finding).
    pub accept_modified: bool,
    pub options: crate::template::TemplateOptions,
}

/// What `op1 template` did.
#[derive(Debug)]
pub struct TemplateOutcome {
    /// The findings of reading the `from` workbook, in report order.
    pub findings: Vec<Finding>,
    /// Whether the workbook was written (not when `from` could not be read at all).
    pub written: bool,
    /// What the person re-issuing the workbook should know (next year).
    pub notes: Vec<String>,
}

/// Writes the workbook and says so, with the findings of reading the
/// `from` workbook: exit code 1 when any is an error.
///
/// # Errors
/// As [`template`].
pub fn run(config: &TemplateConfig) -> Result<super::Said, RunError> {
    let mut notes = vec![crate::report::settings_line(config.settings.as_deref())];
    let outcome = template(config)?;
    notes.extend(outcome.notes.iter().map(|note| format!("note: {note}")));
    let report = match outcome.findings.is_empty() {
        true => String::new(),
        false => crate::report::text(&outcome.findings, 1, &[], &[], false),
    };
    Ok(super::Said {
        notes,
        report,
        written: outcome
            .written
            .then(|| config.out.clone())
            .into_iter()
            .collect(),
        code: u8::from(crate::finding::has_errors(&outcome.findings, false)),
    })
}

/// Writes a blank or re-issued team workbook.
///
/// # Errors
/// [`RunError`] for a bad output name or when the file cannot be written.
pub fn template(config: &TemplateConfig) -> Result<TemplateOutcome, RunError> {
    let is_xlsx = config
        .out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Err(UsageError::TemplateNotXlsx(config.out.clone()).into());
    }
    if let Some(from) = &config.from {
        if super::same_path(from, &config.out) {
            return Err(UsageError::WouldOverwriteInput(config.out.clone()).into());
        }
    }
    if let Some(typed) = &config.options.currency {
        if !crate::currency::is_iso_code(&typed.trim().to_ascii_uppercase()) {
            return Err(UsageError::Currency {
                typed: typed.clone(),
                near: crate::currency::nearest_code(typed),
            }
            .into());
        }
    }
    if config.out.exists() && !config.force {
        return Err(UsageError::WouldOverwrite(config.out.clone()).into());
    }
    let Some(from) = &config.from else {
        let mut options = config.options.clone();
        if let Some(path) = &config.settings {
            let settings = Settings::load(path)?;
            options.fiscal_year = options.fiscal_year.or(settings.fiscal_year);
            options.reporting_currency = Some(settings.reporting_currency);
            options.dictionary = settings.dictionary;
            options.pages = Some((settings.document.pages, settings.document.words_per_page));
        }
        crate::template::write_template(&config.out, &options)?;
        return Ok(TemplateOutcome {
            findings: Vec::new(),
            written: true,
            notes: Vec::new(),
        });
    };
    let input = discover::InputFile::new(from);
    let settings = Settings::default();
    let (read, read_findings) = read::read_file(&input, &settings);
    let mut findings = Findings::new(settings.rule_levels.clone());
    findings.extend(read_findings);
    let approved = match &config.plan {
        Some(dir) => {
            let (snapshot, modified) = super::accepted_pack(dir, config.accept_modified)?;
            findings.extend(modified.map(|(f, _)| f));
            Some(snapshot)
        }
        None => None,
    };
    let mut notes = Vec::new();
    let written = match &read.workbook {
        Some(wb) if config.next_year => {
            let funded = approved
                .as_ref()
                .map(|s| approved_plan(s, wb))
                .transpose()
                .map_err(RunError::Model)?;
            let (next, said) = crate::reissue::next_year(wb, funded.as_ref());
            notes = said;
            crate::template::write_filled(&config.out, &next)?;
            true
        }
        Some(wb) => {
            crate::template::write_reissued(&config.out, wb, config.checkpoint)?;
            true
        }
        None => false,
    };
    Ok(TemplateOutcome {
        findings: findings.all().to_vec(),
        written,
        notes,
    })
}

/// A team's approved plan in an approved pack, in the team's own currency.
fn approved_plan(
    s: &crate::snapshot::Snapshot,
    wb: &crate::plan::TeamWorkbook,
) -> polars::prelude::PolarsResult<ApprovedPlan> {
    use polars::prelude::*;
    let team = wb.name();
    let of_team = |df: &DataFrame| df.clone().lazy().filter(col("team").eq(lit(team)));
    let long = s.long.clone();
    let funded = of_team(&long)
        .filter(crate::model::expr::track_is(crate::plan::Track::Funded))
        .select([col("metric_key"), col("value")])
        .collect()?;
    let metrics = pairs(&funded, "metric_key", "value")?;
    let rate = team_rate(&of_team(&long).collect()?, wb, &s.record.currency)?;
    let approved = crate::checkpoint::Approved::from_snapshot(s)?;
    let resources = of_team(&approved.resources)
        .join(
            of_team(&s.resources).select([col("resource_key"), col("unit")]),
            [col("resource_key")],
            [col("resource_key")],
            JoinArgs::new(JoinType::Left),
        )
        .collect()?;
    let keys = model::strings(&resources, "resource_key")?;
    let units = model::strings(&resources, "unit")?;
    let values = model::floats(&resources, "approved")?;
    let resources = keys
        .into_iter()
        .zip(units)
        .zip(values)
        .filter_map(|((key, unit), value)| {
            let value = value?;
            if unit == crate::model::HEADS_UNIT {
                return Some((key, value));
            }
            // Money is in the reporting currency in the pack: back to cents
            // of the team's currency.
            Some((key, (value / rate? * 100.0).round() / 100.0))
        })
        .collect();
    Ok(ApprovedPlan {
        from: s.dir.display().to_string(),
        metrics,
        resources,
    })
}

/// The rate the pack converted the team's money at: 1 for the reporting
/// currency, else read off a money value of the team (reporting ÷ own).
fn team_rate(
    long: &polars::prelude::DataFrame,
    wb: &crate::plan::TeamWorkbook,
    reporting: &str,
) -> polars::prelude::PolarsResult<Option<f64>> {
    if wb.currency_or(reporting) == reporting {
        return Ok(Some(1.0));
    }
    let own = model::floats(long, "value")?;
    let converted = model::floats(long, "value_reporting")?;
    let currency = model::strings(long, "currency")?;
    Ok(own
        .into_iter()
        .zip(converted)
        .zip(currency)
        .find_map(|((v, r), c)| {
            let (v, r) = (v?, r?);
            (c == wb.currency_or(reporting) && v != 0.0).then(|| r / v)
        }))
}

/// `key → value` of two columns, nulls dropped.
fn pairs(
    df: &polars::prelude::DataFrame,
    key: &str,
    value: &str,
) -> polars::prelude::PolarsResult<BTreeMap<String, f64>> {
    let keys = model::strings(df, key)?;
    let values = model::floats(df, value)?;
    Ok(keys
        .into_iter()
        .zip(values)
        .filter_map(|(k, v)| Some((k, v?)))
        .collect())
}
