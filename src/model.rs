//! The scenario model, in Polars: the long table (team × metric × track, in
//! team currency and reporting currency, with the source cell of every
//! value), variances, roll-ups by org, resources, the funded portfolio under
//! the budget envelope, and the 10× ambition gap.
//!
//! Turning the typed workbooks into the first frames is a plain loop (it is
//! extraction, not modelling); everything after that is Polars expressions.

use crate::finding::{Finding, Rule};
use crate::plan::{TeamWorkbook, Track, UnitKind};
use crate::read::parse::normalise;
use crate::settings::Settings;
use polars::prelude::*;
use std::collections::BTreeMap;

/// The tracks read from workbooks, in output order (`Funded` is modelled).
const READ_TRACKS: [Track; 5] = [
    Track::LyTarget,
    Track::LyActual,
    Track::Baseline,
    Track::Flat,
    Track::Investment,
];

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

/// How a blank Baseline's source begins: the LY Actual cell it was taken from follows.
pub const BLANK_BASELINE: &str = "blank; equals LY Actual at ";

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
    let raw = raw_metrics(workbooks, settings)?.lazy().with_column(
        when(col("unit_kind").eq(lit("money")))
            // Rounded to a millionth of a unit: removes float noise from the
            // conversion (777599.9999999995) without changing any cent.
            .then((col("value") * col("rate")).round(6, RoundMode::HalfToEven))
            .otherwise(col("value"))
            .alias("value_reporting"),
    );
    let resources = resources(workbooks, settings)?;
    let funding = funding(raw.clone(), resources.clone().lazy(), params, &mut findings)?;
    let funded_rows = raw
        .clone()
        .filter(
            col("track")
                .eq(lit("Flat"))
                .or(col("track").eq(lit("Investment"))),
        )
        .join(
            funding.clone().lazy().select([col("team"), col("funded")]),
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Left),
        )
        .filter(
            col("track")
                .eq(lit("Investment"))
                .and(col("funded").fill_null(lit(false)))
                .or(col("track")
                    .eq(lit("Flat"))
                    .and(col("funded").fill_null(lit(false)).not())),
        )
        .drop(cols(["funded"]))
        .with_columns([
            lit(Track::Funded.name()).alias("track"),
            lit(Track::Funded as u32)
                .cast(DataType::UInt32)
                .alias("track_order"),
        ]);
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

/// Pivots the long table to one row per team × metric, tracks as columns.
fn wide(long: LazyFrame, reporting: &str) -> PolarsResult<DataFrame> {
    // The canonical name of a metric: its spelling in the first team, by name.
    let canonical = long
        .clone()
        .sort(["team"], SortMultipleOptions::default())
        .group_by([col("metric_key")])
        .agg([
            col("metric").first().alias("metric_name"),
            col("metric_order").min().alias("round_order"),
        ]);
    let mut aggs = vec![
        col("org").first(),
        col("unit").first(),
        col("unit_kind").first(),
        col("better").first(),
        col("rollup").first(),
        col("currency").first(),
        col("rate").first(),
        col("metric_order").first(),
        col("ly_hit").first(),
    ];
    for track in Track::ALL {
        let this = col("track").eq(lit(track.name()));
        aggs.push(
            col("value_reporting")
                .filter(this.clone())
                .first()
                .alias(track.name()),
        );
        aggs.push(
            col("value")
                .filter(this.clone())
                .first()
                .alias(format!("{} (team currency)", track.name())),
        );
        aggs.push(
            col("source")
                .filter(this)
                .first()
                .alias(format!("source {}", track.name())),
        );
    }
    long.group_by([col("team"), col("metric_key")])
        .agg(aggs)
        .join(
            canonical,
            [col("metric_key")],
            [col("metric_key")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("unit_kind").eq(lit("money")))
                .then(lit(reporting))
                .otherwise(col("unit"))
                .alias("unit"),
        )
        .sort_by_exprs(
            [col("team"), col("metric_order")],
            SortMultipleOptions::default(),
        )
        .collect()
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

fn raw_metrics(workbooks: &[&TeamWorkbook], settings: &Settings) -> PolarsResult<DataFrame> {
    use rayon::prelude::*;
    // One workbook's rows at a time, on every core, then joined in order.
    let parts: Vec<RawColumns> = workbooks
        .par_iter()
        .map(|wb| raw_rows(wb, settings))
        .collect();
    let mut c = RawColumns::default();
    for part in parts {
        c.append(part);
    }
    df!(
        "team" => c.team, "org" => c.org, "metric" => c.metric, "metric_key" => c.metric_key,
        "metric_order" => c.metric_order, "unit" => c.unit, "unit_kind" => c.unit_kind,
        "better" => c.better, "rollup" => c.rollup, "track" => c.track, "track_order" => c.track_order,
        "value" => c.value, "currency" => c.currency, "rate" => c.rate, "source" => c.source,
    )
}

/// The long-table rows of one workbook: a row per metric × track read.
fn raw_rows<'a>(wb: &'a TeamWorkbook, settings: &Settings) -> RawColumns<'a> {
    let mut c = RawColumns::default();
    let org = team_org(wb);
    for (order, m) in wb.metrics.iter().enumerate() {
        let currency = (m.unit_kind == UnitKind::Money).then_some(m.unit.value.as_str());
        let rate = currency.and_then(|cur| settings.rate(cur));
        let key = normalise(&m.name.value);
        for track in READ_TRACKS {
            let (value, source) = match (track, m.track(track)) {
                (_, Some(v)) => (v.value, wb.source(v.pos)),
                (Track::Baseline, None) => match &m.ly_actual {
                    Some(ly) => (ly.value, format!("{BLANK_BASELINE}{}", wb.source(ly.pos))),
                    None => continue,
                },
                _ => continue,
            };
            c.team.push(wb.name());
            c.org.push(org.clone());
            c.metric.push(&m.name.value);
            c.metric_key.push(key.clone());
            c.metric_order.push(order as u32);
            c.unit.push(&m.unit.value);
            c.unit_kind.push(m.unit_kind.as_str());
            c.better.push(m.better.as_str());
            c.rollup.push(m.rollup.as_str());
            c.track.push(track.name());
            c.track_order.push(track as u32);
            c.value.push(value);
            c.currency.push(currency);
            c.rate.push(rate);
            c.source.push(source);
        }
    }
    c
}

/// The long table's columns as they are gathered, borrowing the workbooks' text.
#[derive(Default)]
struct RawColumns<'a> {
    team: Vec<&'a str>,
    org: Vec<String>,
    metric: Vec<&'a str>,
    metric_key: Vec<String>,
    metric_order: Vec<u32>,
    unit: Vec<&'a str>,
    unit_kind: Vec<&'static str>,
    better: Vec<&'static str>,
    rollup: Vec<&'static str>,
    track: Vec<&'static str>,
    track_order: Vec<u32>,
    value: Vec<f64>,
    currency: Vec<Option<&'a str>>,
    rate: Vec<Option<f64>>,
    source: Vec<String>,
}

impl<'a> RawColumns<'a> {
    fn append(&mut self, mut other: RawColumns<'a>) {
        self.team.append(&mut other.team);
        self.org.append(&mut other.org);
        self.metric.append(&mut other.metric);
        self.metric_key.append(&mut other.metric_key);
        self.metric_order.append(&mut other.metric_order);
        self.unit.append(&mut other.unit);
        self.unit_kind.append(&mut other.unit_kind);
        self.better.append(&mut other.better);
        self.rollup.append(&mut other.rollup);
        self.track.append(&mut other.track);
        self.track_order.append(&mut other.track_order);
        self.value.append(&mut other.value);
        self.currency.append(&mut other.currency);
        self.rate.append(&mut other.rate);
        self.source.append(&mut other.source);
    }
}

/// Rounds to a millionth: conversion without float noise.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Whether a resource is counted in heads rather than money.
fn is_headcount(name: &str) -> bool {
    matches!(
        normalise(name).as_str(),
        "headcount" | "heads" | "fte" | "ftes" | "people"
    )
}

fn resources(workbooks: &[&TeamWorkbook], settings: &Settings) -> PolarsResult<DataFrame> {
    let (mut team, mut org, mut resource, mut key, mut unit, mut order) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut ly, mut flat, mut inv, mut ly_src, mut flat_src, mut inv_src) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for wb in workbooks {
        let currency = team_currency(wb, settings);
        for (i, r) in wb.resources.iter().enumerate() {
            let heads = is_headcount(&r.name.value);
            let rate = if heads {
                Some(1.0)
            } else {
                settings.rate(currency)
            };
            let conv = |v: &Option<crate::plan::Val<f64>>| {
                v.as_ref()
                    .and_then(|v| rate.map(|rate| round6(v.value * rate)))
            };
            let src = |v: &Option<crate::plan::Val<f64>>| v.as_ref().map(|v| wb.source(v.pos));
            team.push(wb.name().to_string());
            org.push(team_org(wb));
            resource.push(r.name.value.clone());
            key.push(normalise(&r.name.value));
            unit.push(if heads {
                "heads".to_string()
            } else {
                settings.reporting_currency.clone()
            });
            order.push(i as u32);
            ly.push(conv(&r.ly));
            flat.push(conv(&r.flat));
            inv.push(conv(&r.investment));
            ly_src.push(src(&r.ly));
            flat_src.push(src(&r.flat));
            inv_src.push(src(&r.investment));
        }
    }
    df!(
        "team" => team, "org" => org, "resource" => resource, "resource_key" => key, "unit" => unit,
        "resource_order" => order, "LY" => ly, "Flat" => flat, "Investment" => inv,
        "source_ly" => ly_src, "source_flat" => flat_src, "source_investment" => inv_src,
    )?
    .lazy()
    .with_columns([
        (col("Investment") - col("Flat")).alias("incremental"),
        (col("Flat") - col("LY")).alias("flat_vs_ly"),
    ])
    .sort_by_exprs(
        [col("team"), col("resource_order")],
        SortMultipleOptions::default(),
    )
    .collect()
}

/// Δ vs LY Actual (absolute and %), Δ vs Baseline, favourable, LY hit.
fn variances(long: LazyFrame) -> LazyFrame {
    let per_metric = |track: Track, alias: &str| {
        long.clone()
            .filter(col("track").eq(lit(track.name())))
            .select([
                col("team"),
                col("metric_key"),
                col("value_reporting").alias(alias),
            ])
    };
    let keys = [col("team"), col("metric_key")];
    let direction = when(col("better").eq(lit("lower")))
        .then(lit(-1.0))
        .otherwise(lit(1.0));
    long.clone()
        .join(
            per_metric(Track::LyActual, "ly_actual"),
            keys.clone(),
            keys.clone(),
            JoinArgs::new(JoinType::Left),
        )
        .join(
            per_metric(Track::Baseline, "baseline"),
            keys.clone(),
            keys.clone(),
            JoinArgs::new(JoinType::Left),
        )
        .join(
            per_metric(Track::LyTarget, "ly_target"),
            keys.clone(),
            keys,
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            (col("value_reporting") - col("ly_actual")).alias("delta_vs_ly"),
            when(col("ly_actual").neq(lit(0.0)))
                .then((col("value_reporting") - col("ly_actual")) / col("ly_actual").abs())
                .otherwise(lit(Null {}))
                .alias("delta_vs_ly_pct"),
            (col("value_reporting") - col("baseline")).alias("delta_vs_baseline"),
            ((col("value_reporting") - col("ly_actual")) * direction.clone())
                .gt_eq(lit(0.0))
                .alias("favourable"),
            ((col("ly_actual") - col("ly_target")) * direction)
                .gt_eq(lit(0.0))
                .alias("ly_hit"),
        ])
        .drop(cols(["ly_actual", "baseline", "ly_target"]))
}

/// Metrics whose teams disagree on unit kind, direction or roll-up are not
/// rolled up; each gets a finding naming the teams on each side.
fn metric_conflicts(long: &DataFrame, findings: &mut Vec<Finding>) -> PolarsResult<Vec<String>> {
    let conflicts = long
        .clone()
        .lazy()
        .group_by([col("metric_key")])
        .agg([
            col("metric").first(),
            col("unit_kind").n_unique().alias("kinds"),
            col("better").n_unique().alias("betters"),
            col("rollup").n_unique().alias("rollups"),
        ])
        .filter(
            col("kinds")
                .gt(lit(1))
                .or(col("betters").gt(lit(1)))
                .or(col("rollups").gt(lit(1))),
        )
        .sort(["metric_key"], SortMultipleOptions::default())
        .collect()?;
    let keys: Vec<String> = strings(&conflicts, "metric_key")?;
    let names = strings(&conflicts, "metric")?;
    for (key, name) in keys.iter().zip(names) {
        let detail = long
            .clone()
            .lazy()
            .filter(
                col("metric_key")
                    .eq(lit(key.as_str()))
                    .and(col("track").eq(lit("LY Actual"))),
            )
            .select([col("team"), col("unit_kind"), col("better"), col("rollup")])
            .sort(["team"], SortMultipleOptions::default())
            .collect()?;
        let (teams, kinds, betters, rollups) = (
            strings(&detail, "team")?,
            strings(&detail, "unit_kind")?,
            strings(&detail, "better")?,
            strings(&detail, "rollup")?,
        );
        let described: Vec<String> = (0..teams.len())
            .map(|i| {
                format!(
                    "{}: {} / {} / {}",
                    teams[i], kinds[i], betters[i], rollups[i]
                )
            })
            .collect();
        findings.push(
            Finding::new(
                Rule::MetricConflict,
                format!("teams disagree on metric \"{name}\" (unit kind / better / rollup): {}; it is not rolled up", described.join("; ")),
            ),
        );
    }
    Ok(keys)
}

/// Reads a string column into owned strings (nulls as empty).
pub fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|s| s.unwrap_or("").to_string())
        .collect())
}

/// Reads a float column (nulls as `None`).
pub fn floats(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df
        .column(name)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .collect())
}

/// Reads a boolean column (nulls as `None`).
pub fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<bool>>> {
    Ok(df.column(name)?.bool()?.iter().collect())
}

fn rollup(
    long: LazyFrame,
    workbooks: &[&TeamWorkbook],
    conflicts: &[String],
    settings: &Settings,
) -> PolarsResult<DataFrame> {
    // Every level of every team's org path: Consumer/Payments → Consumer, Consumer/Payments.
    let (mut teams, mut scopes) = (Vec::new(), Vec::new());
    for wb in workbooks {
        teams.push(wb.name().to_string());
        scopes.push("All".to_string());
        let org = team_org(wb);
        let parts: Vec<&str> = org.split('/').collect();
        for n in 1..=parts.len() {
            teams.push(wb.name().to_string());
            scopes.push(parts[..n].join("/"));
        }
    }
    let scope_map = df!("team" => teams, "scope" => scopes)?.lazy();
    let conflicted =
        df!("metric_key" => conflicts.to_vec(), "conflict" => vec![true; conflicts.len()])?.lazy();
    let reporting = settings.reporting_currency.as_str();
    long.join(
        conflicted,
        [col("metric_key")],
        [col("metric_key")],
        JoinArgs::new(JoinType::Left),
    )
    .filter(
        col("conflict")
            .is_null()
            .and(col("rollup").neq(lit("none"))),
    )
    .with_column(
        when(col("unit_kind").eq(lit("money")))
            .then(lit(reporting))
            .otherwise(col("unit"))
            .alias("unit"),
    )
    .join(
        scope_map,
        [col("team")],
        [col("team")],
        JoinArgs::new(JoinType::Inner),
    )
    .group_by([
        col("scope"),
        col("metric_key"),
        col("track"),
        col("track_order"),
    ])
    .agg([
        col("metric").first(),
        col("unit").first(),
        col("rollup").first(),
        col("value_reporting").sum().alias("sum"),
        col("value_reporting").mean().alias("mean"),
        col("team").n_unique().alias("teams"),
        col("metric_order").min().alias("metric_order"),
    ])
    .with_column(
        when(col("rollup").eq(lit("mean")))
            .then(col("mean"))
            .otherwise(col("sum"))
            .alias("value"),
    )
    .with_column(
        when(col("scope").eq(lit("All")))
            .then(lit(0))
            .otherwise(lit(1))
            .alias("scope_order"),
    )
    .sort_by_exprs(
        [
            col("scope_order"),
            col("scope"),
            col("metric_order"),
            col("metric_key"),
            col("track_order"),
        ],
        SortMultipleOptions::default(),
    )
    .select([
        col("scope"),
        col("metric"),
        col("unit"),
        col("rollup"),
        col("track"),
        col("value"),
        col("teams"),
    ])
    .collect()
}

/// Ranks the investment cases and funds them greedily within the envelope.
fn funding(
    long: LazyFrame,
    resources: LazyFrame,
    params: &FundingParams,
    findings: &mut Vec<Finding>,
) -> PolarsResult<DataFrame> {
    let resource_delta = |key: &str, alias: &str| {
        resources
            .clone()
            .filter(col("resource_key").eq(lit(key)))
            .group_by([col("team")])
            .agg([(col("Investment").sum() - col("Flat").sum()).alias(alias)])
    };
    let objective_key = params
        .objective
        .as_deref()
        .map(normalise)
        .unwrap_or_default();
    let uplift = long
        .clone()
        .filter(col("metric_key").eq(lit(objective_key.as_str())))
        .group_by([col("team")])
        .agg([
            col("value_reporting")
                .filter(col("track").eq(lit("Flat")))
                .sum()
                .alias("objective_flat"),
            col("value_reporting")
                .filter(col("track").eq(lit("Investment")))
                .sum()
                .alias("objective_investment"),
            col("better").first(),
        ])
        .with_column(
            ((col("objective_investment") - col("objective_flat"))
                * when(col("better").eq(lit("lower")))
                    .then(lit(-1.0))
                    .otherwise(lit(1.0)))
            .alias("uplift"),
        )
        .select([col("team"), col("uplift")]);
    let teams = long.group_by([col("team")]).agg([col("org").first()]);
    let ranked = teams
        .join(
            resource_delta("budget", "incremental_budget"),
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            resource_delta("headcount", "incremental_headcount"),
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            uplift,
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("incremental_budget").gt(lit(0.0)))
                .then(col("uplift") / col("incremental_budget"))
                .otherwise(lit(Null {}))
                .alias("roi"),
        )
        .sort_by_exprs(
            [col("roi"), col("team")],
            SortMultipleOptions::default()
                .with_order_descending_multi([true, false])
                .with_nulls_last(true),
        )
        .collect()?;
    let (funded, reasons) = allocate(&ranked, params)?;
    for (team, reason) in strings(&ranked, "team")?.iter().zip(&reasons) {
        if reason.starts_with("no incremental budget")
            || reason.starts_with("the team has no objective")
        {
            findings.push(
                Finding::new(
                    Rule::FundingCase,
                    format!("{team} is not a funding case: {reason}"),
                )
                .team(team.clone()),
            );
        }
    }
    let n = ranked.height() as u32;
    let mut out = ranked;
    out.with_column(Column::new("funded".into(), funded))?;
    out.with_column(Column::new("reason".into(), reasons))?;
    out.with_column(Column::new("rank".into(), (1..=n).collect::<Vec<u32>>()))?;
    out.lazy()
        .with_column(
            when(col("funded"))
                .then(col("incremental_budget"))
                .otherwise(lit(0.0))
                .cum_sum(false)
                .alias("funded_spend"),
        )
        .with_column(
            col("incremental_budget")
                .fill_null(lit(0.0))
                .cum_sum(false)
                .alias("cumulative_budget"),
        )
        .select([
            col("rank"),
            col("team"),
            col("org"),
            col("incremental_budget"),
            col("incremental_headcount"),
            col("uplift"),
            col("roi"),
            col("cumulative_budget"),
            col("funded"),
            col("funded_spend").alias("cumulative_funded"),
            col("reason"),
            col("funded_spend"),
        ])
        .collect()
}

/// The greedy walk down the ranking: each case is funded if it still fits
/// what is left of the envelope, else skipped. It is inherently sequential
/// (each decision depends on the ones before), so it is a loop over the
/// ranked frame's columns rather than an expression.
fn allocate(ranked: &DataFrame, params: &FundingParams) -> PolarsResult<(Vec<bool>, Vec<String>)> {
    let budgets = floats(ranked, "incremental_budget")?;
    let uplifts = floats(ranked, "uplift")?;
    let mut left = params.budget.unwrap_or(0.0);
    let mut funded = Vec::with_capacity(budgets.len());
    let mut reasons = Vec::with_capacity(budgets.len());
    for (budget, uplift) in budgets.iter().zip(&uplifts) {
        let (ok, reason) = match (budget, uplift) {
            (None, _) => (false, "no incremental budget (no Budget row)".to_string()),
            (Some(b), _) if *b <= 0.0 => (
                false,
                "no incremental budget: Investment asks for no more budget than Flat".to_string(),
            ),
            (_, None) if params.objective.is_none() => (
                false,
                "no objective set ([funding] objective or --objective)".to_string(),
            ),
            (_, None) => (
                false,
                format!(
                    "the team has no objective metric \"{}\"",
                    params.objective.as_deref().unwrap_or("")
                ),
            ),
            (_, Some(u)) if *u <= 0.0 => (false, "no uplift on the objective".to_string()),
            _ if params.budget.is_none() => (
                false,
                "no envelope set ([funding] budget or --budget)".to_string(),
            ),
            (Some(b), Some(_)) if *b <= left + 1e-6 => {
                left -= b;
                (true, "funded".to_string())
            }
            _ => (false, "does not fit the remaining envelope".to_string()),
        };
        funded.push(ok);
        reasons.push(reason);
    }
    Ok((funded, reasons))
}

fn ambition(long: LazyFrame, settings: &Settings) -> PolarsResult<DataFrame> {
    let needed = needed_yearly_multiple(settings);
    let reporting = settings.reporting_currency.as_str();
    long.with_column(
        when(col("unit_kind").eq(lit("money")))
            .then(lit(reporting))
            .otherwise(col("unit"))
            .alias("unit"),
    )
    .filter(
        col("better").eq(lit("higher")).and(
            col("unit_kind")
                .eq(lit("money"))
                .or(col("unit_kind").eq(lit("other"))),
        ),
    )
    .group_by([col("team"), col("org"), col("metric_key")])
    .agg([
        col("metric").first(),
        col("unit").first(),
        col("metric_order").first(),
        col("value_reporting")
            .filter(col("track").eq(lit("LY Actual")))
            .first()
            .alias("ly_actual"),
        col("value_reporting")
            .filter(col("track").eq(lit("Investment")))
            .first()
            .alias("investment"),
    ])
    .with_column(
        when(col("ly_actual").gt(lit(0.0)))
            .then(col("investment") / col("ly_actual"))
            .otherwise(lit(Null {}))
            .alias("implied_multiple"),
    )
    .with_columns([
        lit(needed).alias("needed_multiple"),
        (lit(needed) - col("implied_multiple")).alias("gap"),
    ])
    .sort_by_exprs(
        [col("team"), col("metric_order")],
        SortMultipleOptions::default(),
    )
    .select([
        col("team"),
        col("org"),
        col("metric"),
        col("unit"),
        col("ly_actual"),
        col("investment"),
        col("implied_multiple"),
        col("needed_multiple"),
        col("gap"),
    ])
    .collect()
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
