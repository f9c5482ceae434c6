//! Quarterly checkpoints of the plan of record (contract v2): actuals against
//! the approved plan, the projections, each metric's status, the resources
//! and shared goals, and the call on every funded case — cut or double down.
//!
//! One file per part: [`approved`] (the plan measured against), [`metrics`]
//! (the figures, in Polars), [`status`], [`resources`], [`decisions`],
//! [`findings`], [`totals`]. This file holds [`Checkpoint`] and [`build`], the order.

pub mod approved;
pub mod decisions;
mod findings;
mod metrics;
mod resources;
pub mod status;
mod totals;

pub use approved::{Approved, PlanSource};
pub use decisions::{Call, Candidate, Decision};
pub use status::Status;
pub use totals::CheckpointTotal;

use crate::finding::{Finding, Rule};
use crate::model::schema;
use crate::model::{floats, strings, Objective};
use crate::plan::{quarters_reported, TeamWorkbook};
use crate::settings::{Settings, StatusBasis};
use polars::prelude::*;
use std::collections::BTreeMap;

/// A checkpoint of the round.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    /// The round's quarter, 1–4.
    pub quarter: usize,
    pub source: PlanSource,
    /// One row per team × metric: the quarters, `ac_ytd`, `pl_ytd`,
    /// `delta_ytd`, `delta_ytd_pct`, `fc_linear`, `fc_pace`, `forecast`,
    /// `projection`, `gap`, `status`, `commentary`, the file and row.
    pub metrics: DataFrame,
    /// Each metric's round total, rolled up as the pack rolls it up.
    pub totals: Vec<CheckpointTotal>,
    /// One row per team × resource: approved, actual, projection, overcommitted.
    pub resources: DataFrame,
    /// Every funded case and the call on it.
    pub decisions: Vec<Decision>,
    /// The incremental budget of the cases to cut or fix.
    pub freed_budget: f64,
    /// The cases below the line in the round, by ROI, that it could fund.
    pub could_fund: Vec<Candidate>,
    /// Every shared goal as its owners report it.
    pub goals: Vec<GoalCheck>,
    /// Each team's file and the sum of every quarterly actual read from its
    /// Plan sheet: the control total the Sources sheet reconciles.
    pub sources: Vec<SourceTotal>,
    /// Teams the approved pack does not hold, measured against their own
    /// workbook's Flat plan (`no-approved-plan`).
    pub unapproved: Vec<String>,
}

/// A team's control total of the quarterly actuals as read.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceTotal {
    pub team: String,
    pub file: String,
    /// How many quarterly values were read.
    pub values: usize,
    /// Their sum, in the team's units.
    pub sum: f64,
}

/// A shared goal at the checkpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalCheck {
    pub id: String,
    pub goal: String,
    pub due: Option<String>,
    /// Each team that lists it: its status and note.
    pub owners: Vec<(String, Option<crate::plan::GoalStatus>, Option<String>)>,
    /// Past due and neither delivered nor cut.
    pub overdue: bool,
    /// The owners report different statuses.
    pub mismatch: bool,
}

/// Builds the checkpoint of `workbooks` against `approved`, as of `as_of`
/// (else the latest quarter any team reported); returns it with its findings.
///
/// # Errors
/// A [`PolarsError`] only on an internal inconsistency.
pub fn build(
    workbooks: &[&TeamWorkbook],
    settings: &Settings,
    approved: &Approved,
    objective: Option<&Objective>,
    as_of: Option<usize>,
) -> PolarsResult<(Checkpoint, Vec<Finding>)> {
    let reported = workbooks
        .iter()
        .flat_map(|wb| wb.metrics.iter().map(|m| quarters_reported(&m.quarters)))
        .max()
        .unwrap_or(0);
    let n = as_of.unwrap_or(reported).clamp(1, 4);
    let by_name: BTreeMap<&str, &TeamWorkbook> =
        workbooks.iter().map(|wb| (wb.name(), *wb)).collect();
    let mut out = Vec::new();
    if approved.source == PlanSource::Workbooks {
        out.push(Finding::new(
            Rule::PlanUnapproved,
            "no approved plan was given (--plan): the plan is the workbooks' as they are now, so a plan cell changed since approval goes unseen",
        ));
    }
    let unapproved = unapproved_teams(workbooks, approved, &mut out)?;
    let frame = metrics::frame(workbooks, settings, &approved.full_year, &unapproved)?;
    let forecast = settings.checkpoint.status_basis == StatusBasis::Forecast;
    let df = metrics::measures(frame.clone(), n, forecast)?;
    let mut df = metrics::with_weights(df).collect()?;
    let status = metrics::statuses(&df, n, settings)?;
    df.with_column(Column::new(
        "status".into(),
        status.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    ))?;
    for wb in workbooks {
        findings::missing_actuals(wb, n, &mut out);
    }
    findings::forecast_outliers(&df, settings.checkpoint.red_beyond, &by_name, &mut out)?;
    findings::cumulative_quarters(&df, n, &by_name, &mut out)?;
    if (2..4).contains(&n) {
        let before = metrics::measures(frame, n - 1, false)?.collect()?;
        let was = metrics::statuses(&before, n - 1, settings)?;
        findings::status_jumps(&df, &was, &status, &by_name, &mut out)?;
    }
    if let PlanSource::Pack(_) = approved.source {
        findings::plan_changes(&approved.plan, workbooks, &mut out)?;
    }
    let resources = resources::resources(workbooks, settings, &approved.resources, n)?;
    findings::overcommitted(&resources, &by_name, &mut out)?;
    let goals = findings::goals(workbooks, quarter_end(settings, n), &mut out);
    let sources = workbooks
        .iter()
        .map(|wb| {
            let read: Vec<f64> = wb
                .metrics
                .iter()
                .flat_map(|m| m.quarters.iter().flatten().map(|v| v.value))
                .collect();
            SourceTotal {
                team: wb.name().to_string(),
                file: wb.file.clone(),
                values: read.len(),
                sum: read.iter().sum(),
            }
        })
        .collect();
    let (decisions, could_fund, freed_budget) = calls(&df, &status, approved, objective, settings)?;
    let totals = totals::totals(&df)?;
    Ok((
        Checkpoint {
            quarter: n,
            source: approved.source.clone(),
            metrics: df,
            totals,
            resources,
            decisions,
            freed_budget,
            could_fund,
            goals,
            sources,
            unapproved,
        },
        out,
    ))
}

/// The teams of the round an approved pack does not hold (a team new since
/// approval, or one left out of the pack for errors), each a
/// `no-approved-plan` finding: they are measured against their own
/// workbook's Flat plan, never shown as on plan against nothing.
fn unapproved_teams(
    workbooks: &[&TeamWorkbook],
    approved: &Approved,
    out: &mut Vec<Finding>,
) -> PolarsResult<Vec<String>> {
    let PlanSource::Pack(dir) = &approved.source else {
        return Ok(Vec::new());
    };
    let held: std::collections::BTreeSet<String> = strings(&approved.full_year, schema::TEAM)?
        .into_iter()
        .collect();
    let mut missing = Vec::new();
    for wb in workbooks.iter().filter(|wb| !held.contains(wb.name())) {
        out.push(wb.finding_at(
            Rule::NoApprovedPlan,
            wb.team.pos,
            format!(
                "{} is not in the approved pack {}: it is measured against its own workbook's Flat plan, which no one approved; pack the round with it, or give the pack it was approved in",
                wb.name(),
                dir.display()
            ),
        ));
        missing.push(wb.name().to_string());
    }
    Ok(missing)
}

/// The last day of quarter `n` of the round's fiscal year (named by the
/// calendar year it ends in), when the settings give the year.
fn quarter_end(settings: &Settings, n: usize) -> Option<chrono::NaiveDate> {
    let fy = i32::try_from(settings.fiscal_year?).ok()?;
    let start = settings.checkpoint.fiscal_year_start_month;
    let first_year = if start == 1 { fy } else { fy - 1 };
    let first = chrono::NaiveDate::from_ymd_opt(first_year, start, 1)?;
    let next = first.checked_add_months(chrono::Months::new(3 * n as u32))?;
    next.pred_opt()
}

/// The call on every funded case, the freed budget and where it could go.
fn calls(
    df: &DataFrame,
    status: &[Status],
    approved: &Approved,
    objective: Option<&Objective>,
    settings: &Settings,
) -> PolarsResult<(Vec<Decision>, Vec<Candidate>, f64)> {
    let Some(objective) = objective else {
        return Ok((Vec::new(), Vec::new(), 0.0));
    };
    // The objective's row of each team: projection, better, status.
    let (team, key) = (strings(df, schema::TEAM)?, strings(df, schema::METRIC_KEY)?);
    let projection = floats(df, "projection")?;
    let better = crate::model::betters(df, schema::BETTER)?;
    let mut row_of: BTreeMap<&str, usize> = BTreeMap::new();
    for i in (0..df.height()).filter(|&i| key[i] == objective.key) {
        row_of.insert(&team[i], i);
    }
    // Flat and Investment of the objective, per team, from the approved plan.
    let plan = &approved.plan;
    let (pteam, pkey, ptrack, pvalue) = (
        strings(plan, schema::TEAM)?,
        strings(plan, schema::METRIC_KEY)?,
        crate::model::tracks(plan, schema::TRACK)?,
        floats(plan, schema::VALUE)?,
    );
    let mut tracks: BTreeMap<(&str, crate::plan::Track), f64> = BTreeMap::new();
    for i in (0..plan.height()).filter(|&i| pkey[i] == objective.key) {
        if let Some(v) = pvalue[i] {
            tracks.insert((&pteam[i], ptrack[i]), v);
        }
    }
    let f = &approved.funding;
    let (fteam, budget, roi, funded) = (
        strings(f, schema::TEAM)?,
        floats(f, schema::INCREMENTAL_BUDGET)?,
        floats(f, schema::ROI)?,
        crate::model::bools(f, schema::FUNDED)?,
    );
    let mut decisions = Vec::new();
    let mut below = Vec::new();
    for i in 0..f.height() {
        let t = fteam[i].as_str();
        if funded[i] != Some(true) {
            if let (Some(b), Some(r)) = (budget[i], roi[i].filter(|r| r.is_finite())) {
                below.push((t.to_string(), b, r));
            }
            continue;
        }
        let (Some(&flat), Some(&investment), Some(&row)) = (
            tracks.get(&(t, crate::plan::Track::Flat)),
            tracks.get(&(t, crate::plan::Track::Investment)),
            row_of.get(t),
        ) else {
            continue;
        };
        decisions.push(decisions::decide(
            &decisions::Case {
                team: t,
                budget: budget[i].unwrap_or(0.0),
                flat,
                investment,
                projection: projection[row],
                better: better[row],
                status: status[row],
            },
            settings.checkpoint.cut_below,
        ));
    }
    let freed: f64 = decisions
        .iter()
        .filter(|d| d.call == Call::CutOrFix)
        .map(|d| d.budget)
        .sum();
    let could_fund = decisions::where_it_could_go(freed, below);
    Ok((decisions, could_fund, freed))
}
