//! The findings of a checkpoint: quarters not reported by the round's
//! quarter (`actuals-missing`), a forecast far from both projections
//! (`forecast-outlier`), green to red in one quarter (`status-jump`), a plan
//! cell changed since approval (`plan-changed`), quarters typed as
//! year-to-date totals (`quarters-cumulative`), over-commitment
//! (`overcommitted`), owners of a shared goal who disagree on its status
//! (`s2-status-mismatch`) and goals past due (`goal-overdue`).

use super::status::Status;
use crate::finding::{Finding, Rule};
use crate::model::schema;
use crate::model::{floats, strings};
use crate::names::normalise;
use crate::plan::{SheetKind, TeamWorkbook, Track, QUARTERS};
use crate::text::fmt_amount;
use polars::prelude::*;
use std::collections::BTreeMap;

/// `actuals-missing`: a quarter up to the round's quarter `n` left blank.
pub(super) fn missing_actuals(wb: &TeamWorkbook, n: usize, out: &mut Vec<Finding>) {
    for m in &wb.metrics {
        let Some(i) = m.quarters[..n].iter().position(Option::is_none) else {
            continue;
        };
        let cell = wb.cell_pos(SheetKind::Plan, m.name.pos.row, QUARTERS[i]);
        let message = format!(
            "\"{}\" has no {} actual and the round is at Q{n}; fill in {}",
            m.name.value, QUARTERS[i], QUARTERS[i]
        );
        out.push(match cell {
            Some(pos) => wb.finding_at(Rule::ActualsMissing, pos, message),
            None => wb.finding_on(
                Rule::ActualsMissing,
                SheetKind::Plan,
                format!("{message} (the Plan sheet has no {} column)", QUARTERS[i]),
            ),
        });
    }
}

/// Per row of the metrics frame: the team and metric, for findings.
fn rows(df: &DataFrame) -> PolarsResult<(Vec<String>, Vec<String>)> {
    Ok((strings(df, schema::TEAM)?, strings(df, schema::METRIC)?))
}

/// `forecast-outlier`: a Forecast outside the range of the two projections
/// by more than `red_beyond` of the plan.
pub(super) fn forecast_outliers(
    df: &DataFrame,
    red_beyond: f64,
    workbooks: &BTreeMap<&str, &TeamWorkbook>,
    out: &mut Vec<Finding>,
) -> PolarsResult<()> {
    let (team, metric) = rows(df)?;
    let (fc, lin, pace, plan) = (
        floats(df, "forecast")?,
        floats(df, "fc_linear")?,
        floats(df, "fc_pace")?,
        floats(df, "plan_full_year")?,
    );
    for i in 0..df.height() {
        let (Some(f), Some(l), Some(p), Some(pl)) = (fc[i], lin[i], pace[i], plan[i]) else {
            continue;
        };
        let (lo, hi) = (l.min(p), l.max(p));
        let beyond = (lo - f).max(f - hi);
        if beyond > red_beyond * pl.abs() {
            let Some(wb) = workbooks.get(team[i].as_str()) else {
                continue;
            };
            let m = wb.metrics.iter().find(|m| m.name.value == metric[i]);
            let message = format!(
                "the Forecast for \"{}\" is {} but the actuals project {} (linear) to {} (paced to plan): say why in Commentary, or revise it",
                metric[i],
                fmt_amount(f),
                fmt_amount(l),
                fmt_amount(p)
            );
            out.push(match m.and_then(|m| m.forecast.as_ref()) {
                Some(v) => wb.finding_at(Rule::ForecastOutlier, v.pos, message),
                None => wb.finding_on(Rule::ForecastOutlier, SheetKind::Plan, message),
            });
        }
    }
    Ok(())
}

/// How close the latest quarter must be to the plan to date, and how far
/// above it the quarters' total, for quarters to look year-to-date.
const NEAR_PLAN_TO_DATE: f64 = 0.25;
const TOTAL_ABOVE_PLAN_TO_DATE: f64 = 1.4;

/// `quarters-cumulative`: a summed metric whose quarters (two or more up to
/// `n`) never fall, the latest within [`NEAR_PLAN_TO_DATE`] of the plan to
/// date and their total well above it — what year-to-date figures typed
/// into quarter columns look like (Q1 250, Q2 520, Q3 760 against a plan of
/// 1,000: the quarters say 1,530 to date).
pub(super) fn cumulative_quarters(
    df: &DataFrame,
    n: usize,
    workbooks: &BTreeMap<&str, &TeamWorkbook>,
    out: &mut Vec<Finding>,
) -> PolarsResult<()> {
    if n < 2 {
        return Ok(());
    }
    let (team, metric) = rows(df)?;
    let rollup = strings(df, schema::ROLLUP_HOW)?;
    let pl_ytd = floats(df, "pl_ytd")?;
    let q = super::metrics::Q
        .iter()
        .map(|c| floats(df, c))
        .collect::<PolarsResult<Vec<_>>>()?;
    for i in 0..df.height() {
        let Some(plan) = pl_ytd[i].filter(|p| *p > 0.0) else {
            continue;
        };
        let Some(quarters) = (0..n).map(|k| q[k][i]).collect::<Option<Vec<f64>>>() else {
            continue;
        };
        let latest = quarters[n - 1];
        let total: f64 = quarters.iter().sum();
        let rising = quarters.windows(2).all(|w| w[1] >= w[0]);
        let looks = rollup[i] == crate::plan::Rollup::Sum.name()
            && rising
            && (latest - plan).abs() <= NEAR_PLAN_TO_DATE * plan
            && total >= TOTAL_ABOVE_PLAN_TO_DATE * plan;
        let Some(wb) = workbooks.get(team[i].as_str()).filter(|_| looks) else {
            continue;
        };
        let message = format!(
            "\"{}\": Q1–Q{n} rise every quarter ({}) and Q{n} ({}) is close to the plan to date ({}), so they look like year-to-date totals; a quarter's column holds that quarter's amount alone (Q{n} = {} − {} = {} if these are totals)",
            metric[i],
            quarters.iter().map(|v| fmt_amount(*v)).collect::<Vec<_>>().join(", "),
            fmt_amount(latest),
            fmt_amount(plan),
            fmt_amount(latest),
            fmt_amount(quarters[n - 2]),
            fmt_amount(latest - quarters[n - 2]),
        );
        let m = wb.metrics.iter().find(|m| m.name.value == metric[i]);
        out.push(match m.and_then(|m| m.quarters[n - 1].as_ref()) {
            Some(v) => wb.finding_at(Rule::QuartersCumulative, v.pos, message),
            None => wb.finding_on(Rule::QuartersCumulative, SheetKind::Plan, message),
        });
    }
    Ok(())
}

/// `status-jump`: green at the previous quarter (by the paced projection
/// then) and red now — the escalation skipped amber.
pub(super) fn status_jumps(
    df: &DataFrame,
    before: &[Status],
    now: &[Status],
    workbooks: &BTreeMap<&str, &TeamWorkbook>,
    out: &mut Vec<Finding>,
) -> PolarsResult<()> {
    let (team, metric) = rows(df)?;
    for i in 0..df.height() {
        if before.get(i) == Some(&Status::Green) && now.get(i) == Some(&Status::Red) {
            if let Some(wb) = workbooks.get(team[i].as_str()) {
                out.push(wb.finding_on(
                    Rule::StatusJump,
                    SheetKind::Plan,
                    format!(
                        "\"{}\" went from green last quarter to red now without an amber warning in between; say in Commentary what changed",
                        metric[i]
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// `plan-changed`: a plan cell whose value differs from the approved pack's.
pub(super) fn plan_changes(
    approved: &DataFrame,
    workbooks: &[&TeamWorkbook],
    out: &mut Vec<Finding>,
) -> PolarsResult<()> {
    let (team, key, track, value) = (
        strings(approved, schema::TEAM)?,
        strings(approved, schema::METRIC_KEY)?,
        crate::model::tracks(approved, schema::TRACK)?,
        floats(approved, schema::VALUE)?,
    );
    let source = strings(approved, "source").unwrap_or_default();
    let mut old: BTreeMap<(&str, &str, Track), (Option<f64>, &str)> = BTreeMap::new();
    for i in 0..team.len() {
        let at = source.get(i).map_or("", String::as_str);
        old.insert((&team[i], &key[i], track[i]), (value[i], at));
    }
    for wb in workbooks {
        for m in &wb.metrics {
            let k = normalise(&m.name.value);
            for t in [
                Track::LyTarget,
                Track::LyActual,
                Track::Baseline,
                Track::Flat,
                Track::Investment,
            ] {
                let Some(new) = m.track(t) else {
                    continue;
                };
                let Some((Some(was), _)) = old.get(&(wb.name(), k.as_str(), t)) else {
                    continue;
                };
                if (new.value - was).abs() > 1e-9 * was.abs().max(1.0) {
                    out.push(wb.finding_at(
                        Rule::PlanChanged,
                        new.pos,
                        format!(
                            "\"{}\" {} was {} when the plan was approved and is {} now; the checkpoint measures against the approved {}",
                            m.name.value,
                            t.name(),
                            fmt_amount(*was),
                            fmt_amount(new.value),
                            fmt_amount(*was)
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// `overcommitted`: heads above the approved headcount, or spend paced
/// above the approved budget.
pub(super) fn overcommitted(
    resources: &DataFrame,
    workbooks: &BTreeMap<&str, &TeamWorkbook>,
    out: &mut Vec<Finding>,
) -> PolarsResult<()> {
    let (team, resource) = (
        strings(resources, schema::TEAM)?,
        strings(resources, schema::RESOURCE)?,
    );
    let (actual, projection, approved) = (
        floats(resources, "actual")?,
        floats(resources, "projection")?,
        floats(resources, "approved")?,
    );
    let over = crate::model::bools(resources, "overcommitted")?;
    let heads = crate::model::bools(resources, "heads")?;
    for i in 0..resources.height() {
        if over[i] != Some(true) {
            continue;
        }
        let Some(wb) = workbooks.get(team[i].as_str()) else {
            continue;
        };
        let message = if heads[i] == Some(true) {
            format!(
                "{} is {} at the quarter's end, above the approved {}",
                resource[i],
                fmt_amount(actual[i].unwrap_or(0.0)),
                fmt_amount(approved[i].unwrap_or(0.0))
            )
        } else {
            format!(
                "{} spent to date paces to {} for the year, above the approved {}",
                resource[i],
                fmt_amount(projection[i].unwrap_or(0.0)),
                fmt_amount(approved[i].unwrap_or(0.0))
            )
        };
        out.push(wb.finding_on(Rule::Overcommitted, SheetKind::Resources, message));
    }
    Ok(())
}

/// `s2-status-mismatch` and `goal-overdue` for the shared goals; returns
/// each goal as its owners report it.
pub(super) fn goals(
    workbooks: &[&TeamWorkbook],
    quarter_end: Option<chrono::NaiveDate>,
    out: &mut Vec<Finding>,
) -> Vec<super::GoalCheck> {
    let mut checks = Vec::new();
    let mut by_id: BTreeMap<&str, Vec<(&TeamWorkbook, &crate::plan::Goal)>> = BTreeMap::new();
    for wb in workbooks {
        for g in &wb.goals {
            by_id.entry(g.id.value.as_str()).or_default().push((wb, g));
        }
    }
    for (id, listed) in &by_id {
        let statuses: Vec<_> = listed
            .iter()
            .filter_map(|(wb, g)| Some((wb.name(), g.status.as_ref()?)))
            .collect();
        if let [(a, sa), (b, sb), ..] = statuses.as_slice() {
            if sa.value != sb.value {
                for (wb, g) in listed {
                    let Some(s) = &g.status else { continue };
                    let other = if wb.name() == *a { (b, sb) } else { (a, sa) };
                    out.push(wb.finding_at(
                        Rule::S2StatusMismatch,
                        s.pos,
                        format!(
                            "shared goal {id} is \"{}\" here but \"{}\" in {}; the owners must agree",
                            s.value, other.1.value, other.0
                        ),
                    ));
                }
            }
        }
        let first = listed[0].1;
        let text = |v: &Option<crate::plan::Val<String>>| v.as_ref().map(|v| v.value.clone());
        let mut check = super::GoalCheck {
            id: id.to_string(),
            goal: text(&first.goal).unwrap_or_default(),
            due: text(&first.due),
            owners: listed
                .iter()
                .map(|(wb, g)| {
                    (
                        wb.name().to_string(),
                        g.status.as_ref().map(|s| s.value),
                        text(&g.status_note),
                    )
                })
                .collect(),
            overdue: false,
            mismatch: statuses.windows(2).any(|w| w[0].1.value != w[1].1.value),
        };
        let Some(end) = quarter_end else {
            checks.push(check);
            continue;
        };
        for (wb, g) in listed {
            let due = g
                .due
                .as_ref()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d.value.trim(), "%Y-%m-%d").ok());
            let closed = g.status.as_ref().is_some_and(|s| s.value.is_closed());
            if let (Some(due), false) = (due, closed) {
                if due < end {
                    check.overdue = true;
                    let pos = g.due.as_ref().map_or(g.id.pos, |d| d.pos);
                    out.push(wb.finding_at(
                        Rule::GoalOverdue,
                        pos,
                        format!(
                            "shared goal {id} was due {due} and is {}; mark it delivered or cut, or agree a new date with its other owner",
                            g.status.as_ref().map_or("without a status".to_string(), |s| format!("\"{}\"", s.value))
                        ),
                    ));
                }
            }
        }
        checks.push(check);
    }
    checks
}
