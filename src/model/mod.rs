//! The scenario model, in Polars: the long table (team × metric × track, in
//! team currency and reporting currency, with the source cell of every
//! value), variances, roll-ups by org, resources, the funded portfolio under
//! the budget envelope, and the 10× ambition gap.
//!
//! Turning the typed workbooks into the first frames is a plain loop (it is
//! extraction, not modelling); everything after that is Polars expressions.
//!
//! One file per stage: `long` (the long table and the Funded rows),
//! `variances`, `rollup` (and metric conflicts), `funding`, `ambition`,
//! `resources`, `wide`; `frame` reads columns back into Rust. This file
//! holds the model's types, [`build`] (the order of the stages) and the
//! per-team helpers the stages share.

mod ambition;
mod frame;
mod funding;
mod long;
mod resources;
mod rollup;
mod variances;
mod wide;

pub use frame::{bools, floats, strings};
pub use long::BLANK_BASELINE;

use crate::finding::{Finding, Rule};
use crate::plan::{TeamWorkbook, UnitKind};
use crate::settings::Settings;
use ambition::ambition;
use funding::funding;
use polars::prelude::*;
use resources::{is_headcount, resources};
use rollup::{metric_conflicts, rollup};
use std::collections::BTreeMap;
use variances::variances;
use wide::wide;

/// The funding question: how much there is to invest and what cases are ranked by.
#[derive(Clone, Debug, Default)]
pub struct FundingParams {
    /// The incremental investment envelope, reporting currency. `None`: no envelope, nothing funded.
    pub budget: Option<f64>,
    /// The metric that investment cases are ranked by.
    pub objective: Option<String>,
}

impl FundingParams {
    /// The settings' `[funding]`, overridden by command-line values where given.
    pub fn from_settings(
        settings: &Settings,
        budget: Option<f64>,
        objective: Option<String>,
    ) -> FundingParams {
        FundingParams {
            budget: budget.or(settings.funding.budget),
            objective: objective.or_else(|| settings.funding.objective.clone()),
        }
    }
}

/// Everything the model computes.
#[derive(Clone, Debug)]
pub struct Model {
    /// One row per team × metric × track, with variances.
    pub long: DataFrame,
    /// Totals per scope (`All` and every org level) × metric × track.
    pub rollup: DataFrame,
    /// The ranked investment cases.
    pub funding: DataFrame,
    /// Headcount, budget and other resources per team, by track.
    pub resources: DataFrame,
    /// The 10× gap per team and metric.
    pub ambition: DataFrame,
    /// One row per team × metric with the tracks as columns (reporting
    /// currency) and the source cell of each; metric names are the round's
    /// canonical spelling so that teams' rows total together.
    pub wide: DataFrame,
    /// Metrics not rolled up because teams disagree on them (canonical keys).
    pub conflicts: Vec<String>,
    pub findings: Vec<Finding>,
    pub params: FundingParams,
    /// Funded spend, reporting currency.
    pub spend: f64,
    pub reporting_currency: String,
}

/// The growth a year the ambition needs: `multiple^(1/years)`.
pub fn needed_yearly_multiple(settings: &Settings) -> f64 {
    settings
        .ambition
        .multiple
        .powf(1.0 / settings.ambition.years)
}

/// Builds the model from the workbooks that are fit to use.
///
/// # Errors
/// A [`PolarsError`] only on an internal inconsistency; bad inputs are findings.
pub fn build(
    workbooks: &[&TeamWorkbook],
    settings: &Settings,
    params: &FundingParams,
) -> PolarsResult<Model> {
    let reporting = settings.reporting_currency.as_str();
    let mut findings = Vec::new();
    let raw = long::raw_long(workbooks, settings)?;
    let resources = resources(workbooks, settings)?;
    let funding = funding(raw.clone(), resources.clone().lazy(), params, &mut findings)?;
    let funded_rows = long::funded_rows(raw.clone(), &funding);
    let long = concat([raw, funded_rows], UnionArgs::default())?;
    let long = variances(long).sort_by_exprs(
        [col("team"), col("metric_order"), col("track_order")],
        SortMultipleOptions::default(),
    );
    let long = long.collect()?;
    let conflicts = metric_conflicts(&long, &mut findings)?;
    let rollup = rollup(long.clone().lazy(), workbooks, &conflicts, settings)?;
    let ambition = ambition(long.clone().lazy(), settings)?;
    let spend = funding
        .column("funded_spend")
        .ok()
        .and_then(|c| c.as_materialized_series().max::<f64>().ok().flatten())
        .unwrap_or(0.0);
    let wide = wide(long.clone().lazy(), reporting)?;
    let long = long.drop_many(["metric_order", "rate"]);
    Ok(Model {
        long,
        rollup,
        wide,
        conflicts,
        funding: funding.drop_many(["funded_spend"]),
        resources,
        ambition,
        findings,
        params: params.clone(),
        spend,
        reporting_currency: settings.reporting_currency.clone(),
    })
}

/// The currency a workbook's money is in.
pub fn team_currency<'a>(wb: &'a TeamWorkbook, settings: &'a Settings) -> &'a str {
    wb.currency
        .as_ref()
        .map(|c| c.value.as_str())
        .unwrap_or(&settings.reporting_currency)
}

/// The org a team rolls up under.
pub fn team_org(wb: &TeamWorkbook) -> String {
    wb.org
        .as_ref()
        .map(|o| o.value.clone())
        .filter(|o| !o.is_empty())
        .unwrap_or_else(|| "Unassigned".to_string())
}

/// The per-team money currencies that have no exchange rate, as findings.
pub fn missing_rates(wb: &TeamWorkbook, settings: &Settings) -> Vec<Finding> {
    let mut missing: BTreeMap<String, crate::plan::Pos> = BTreeMap::new();
    for m in wb.metrics.iter().filter(|m| m.unit_kind == UnitKind::Money) {
        if settings.rate(&m.unit.value).is_none() {
            missing.entry(m.unit.value.clone()).or_insert(m.unit.pos);
        }
    }
    let currency = team_currency(wb, settings);
    if settings.rate(currency).is_none()
        && wb.resources.iter().any(|r| !is_headcount(&r.name.value))
    {
        let pos = wb.currency.as_ref().map(|c| c.pos).unwrap_or(wb.team.pos);
        missing.entry(currency.to_string()).or_insert(pos);
    }
    missing
        .into_iter()
        .map(|(cur, pos)| {
            wb.finding_at(
                Rule::FxMissing,
                pos,
                format!(
                    "money in {cur} but the settings have no exchange rate for {cur} to {}; add `{cur} = …` under [fx]",
                    settings.reporting_currency
                ),
            )
        })
        .collect()
}
