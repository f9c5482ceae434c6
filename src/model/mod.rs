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
pub(crate) mod expr;
mod frame;
mod funding;
mod long;
mod order;
mod params;
mod portfolio;
pub(crate) mod publish;
mod resources;
mod rollup;
pub mod schema;
mod sources;
mod targets;
mod totals;
mod variances;
mod wide;

pub(crate) use frame::{betters, rollups, tracks, uints, unit_kinds};
pub use frame::{bools, floats, strings};
pub(crate) use long::{agrees, MILLIONTH};
pub use params::{FundingParams, Objective, ObjectiveError};
pub use portfolio::Uplift;
pub(crate) use resources::HEADS_UNIT;
pub(crate) use rollup::ROUND_SCOPE;
pub(crate) use schema::{source_col, source_row, team_currency_value, weight_of};
pub use sources::TeamSources;
pub use totals::RoundTotal;

use crate::finding::Finding;
use crate::plan::TeamWorkbook;
use crate::settings::Settings;
use ambition::ambition;
use funding::funding;
use polars::prelude::*;
use resources::resources;
use rollup::{metric_conflicts, rollup};
use variances::variances;
use wide::wide;

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
    /// The top-down targets against the round's totals (empty without `[targets]`).
    pub targets: DataFrame,
    /// One row per team × metric with the tracks as columns (reporting
    /// currency) and the source cell of each; metric names are the round's
    /// canonical spelling so that teams' rows total together.
    pub wide: DataFrame,
    /// The round's totals per rolled-up metric (the roll-up's round scope),
    /// typed, in the round's metric order.
    pub totals: Vec<RoundTotal>,
    /// Metrics not rolled up because teams disagree on them (canonical keys).
    pub conflicts: Vec<String>,
    /// Each team's file and sheets: with a table's `source_row` and
    /// `source_col`, the cell a value was read from.
    pub sources: TeamSources,
    pub params: FundingParams,
    /// The uplift the funded set buys, and what `ranked` would buy.
    pub uplift: Uplift,
    /// Funded spend, reporting currency.
    pub spend: f64,
    pub reporting_currency: String,
}

/// The growth a year the ambition needs: `multiple^(1/years)`.
pub(crate) fn needed_yearly_multiple(settings: &Settings) -> f64 {
    settings
        .ambition
        .multiple
        .powf(1.0 / settings.ambition.years)
}

/// Builds the model from the workbooks that are fit to use; returns it with
/// the findings the modelling raised (metric conflicts, teams that are not
/// funding cases).
///
/// # Errors
/// A [`PolarsError`] only on an internal inconsistency; bad inputs are findings.
pub fn build(
    workbooks: &[&TeamWorkbook],
    settings: &Settings,
    params: &FundingParams,
) -> PolarsResult<(Model, Vec<Finding>)> {
    let reporting = settings.reporting_currency.as_str();
    let mut findings = Vec::new();
    let raw = long::raw_long(workbooks, settings)?;
    let resources = resources(workbooks, settings)?;
    let (funding, uplift) = funding(raw.clone(), resources.clone().lazy(), params, &mut findings)?;
    let funded_rows = long::funded_rows(raw.clone(), &funding)?;
    let long = long::with_weights(concat([raw, funded_rows], UnionArgs::default())?);
    let long = variances(long).sort_by_exprs(
        [
            col(schema::TEAM),
            col(schema::METRIC_ORDER),
            col(schema::TRACK_ORDER),
        ],
        SortMultipleOptions::default(),
    );
    let long = long.collect()?;
    let conflicts = metric_conflicts(&long, &mut findings)?;
    let rollup = rollup(long.clone().lazy(), workbooks, &conflicts, settings)?;
    let ambition = ambition(long.clone().lazy(), settings)?;
    let totals = totals::round_totals(&rollup)?;
    let targets = targets::targets(&rollup, settings, &mut findings)?;
    let spend = funding
        .column("funded_spend")
        .ok()
        .and_then(|c| c.as_materialized_series().max::<f64>().ok().flatten())
        .unwrap_or(0.0);
    let wide = wide(long.clone().lazy(), reporting)?;
    let long = long.drop_many([schema::METRIC_ORDER, schema::RATE]);
    let model = Model {
        sources: TeamSources::of(workbooks),
        long,
        rollup,
        totals,
        wide,
        conflicts,
        funding: funding.drop_many(["funded_spend"]),
        resources,
        ambition,
        targets,
        params: params.clone(),
        uplift,
        spend,
        reporting_currency: settings.reporting_currency.clone(),
    };
    Ok((model, findings))
}
