//! The Plan sheet's metrics: investment no worse than flat
//! (`investment-below-flat`), a missed last-year target says why
//! (`ly-miss-why`), and the workbook's fiscal year is the round's (`fiscal-year`).

use crate::finding::{Finding, Rule};
use crate::plan::{Better, Metric, SheetKind, TeamWorkbook, Track, UnitKind};
use crate::settings::Settings;
use crate::text::{fmt_amount, fmt_percent};

/// A metric's value as its unit reads: a ratio in percent, else an amount.
fn fmt_metric(v: f64, unit_kind: UnitKind) -> String {
    match unit_kind {
        UnitKind::Ratio => fmt_percent(v),
        UnitKind::Money | UnitKind::Other => fmt_amount(v),
    }
}

/// Whether `a` is worse than `b` for a metric whose better direction is `better`.
fn worse(a: f64, b: f64, better: Better) -> bool {
    match better {
        Better::Higher => a < b,
        Better::Lower => a > b,
    }
}

/// Whether a metric is a cost: money, where lower is better.
fn is_cost(m: &Metric) -> bool {
    m.unit_kind == UnitKind::Money && m.better == Better::Lower
}

/// `investment-below-flat` and `ly-miss-why` for every metric of a workbook.
/// Costs are not judged by `investment-below-flat` unless the settings ask
/// (`[checks] investment_below_flat_on_costs`).
pub(super) fn metrics(wb: &TeamWorkbook, settings: &Settings, out: &mut Vec<Finding>) {
    let judge_costs = settings.checks.investment_below_flat_on_costs;
    // A percent typed as a whole number is an error of its own; comparing
    // its values would only repeat it.
    for m in wb.metrics.iter().filter(|m| !m.has_whole_percent()) {
        let judged = judge_costs || !is_cost(m);
        if let (Some(flat), Some(inv), true) = (&m.flat, &m.investment, judged) {
            if worse(inv.value, flat.value, m.better) {
                out.push(wb.finding_at(
                    Rule::InvestmentBelowFlat,
                    inv.pos,
                    format!(
                        "\"{}\" is worse under Investment ({}) than under Flat ({}) although {} is better",
                        m.name.value,
                        fmt_metric(inv.value, m.unit_kind),
                        fmt_metric(flat.value, m.unit_kind),
                        m.better.name()
                    ),
                ));
            }
        }
        ly_miss(wb, m, out);
    }
}

fn ly_miss(wb: &TeamWorkbook, m: &Metric, out: &mut Vec<Finding>) {
    let (Some(target), Some(actual)) = (m.track(Track::LyTarget), m.track(Track::LyActual)) else {
        return;
    };
    if !worse(actual.value, target.value, m.better) || m.why.is_some() {
        return;
    }
    let pos = wb
        .cell_pos(SheetKind::Plan, m.name.pos.row, "Why")
        .unwrap_or(actual.pos);
    out.push(wb.finding_at(
        Rule::LyMissWhy,
        pos,
        format!(
            "last year's target for \"{}\" was missed ({} actual vs {} target) and \"Why\" is empty; say why",
            m.name.value,
            fmt_metric(actual.value, m.unit_kind),
            fmt_metric(target.value, m.unit_kind)
        ),
    ));
}

/// `fiscal-year`: a workbook for another year is not part of this round.
pub(super) fn fiscal_year(wb: &TeamWorkbook, settings: &Settings, out: &mut Vec<Finding>) {
    if let (Some(round_fy), Some(fy)) = (settings.fiscal_year, &wb.fiscal_year) {
        if fy.value != round_fy {
            out.push(wb.finding_at(
                Rule::FiscalYear,
                fy.pos,
                format!(
                    "the workbook is for fiscal year {} but the round is {round_fy}",
                    fy.value
                ),
            ));
        }
    }
}
