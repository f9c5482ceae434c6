//! The round's metric dictionary applied to each team: the dictionary's unit
//! kind, direction and roll-up win over what a team typed
//! (`metric-standardised` says where they differed), and a team metric the
//! dictionary does not know is `metric-unknown`, with the nearest name.
//! (A dictionary metric a team does not report is `metric-missing`, in
//! [`super::coverage`].)

use crate::dictionary::{Dictionary, StandardMetric, StandardUnit};
use crate::finding::{Finding, Rule};
use crate::names::{closest, normalise};
use crate::plan::{Metric, Round, SheetKind, TeamWorkbook, UnitKind};
use crate::settings::Settings;
use rayon::prelude::*;

/// Makes every team's metrics follow the dictionary; returns the findings.
pub(crate) fn standardise(round: &mut Round, settings: &Settings) -> Vec<Finding> {
    let dict = &settings.dictionary;
    if dict.is_empty() {
        return Vec::new();
    }
    // Each workbook on its own, on all cores; findings in the round's order.
    let per_workbook: Vec<Vec<Finding>> = round
        .files
        .par_iter_mut()
        .filter_map(|f| f.workbook.as_mut())
        .map(|wb| standardise_workbook(wb, dict, settings))
        .collect();
    per_workbook.into_iter().flatten().collect()
}

/// Makes one team's metrics follow the dictionary; returns the findings.
fn standardise_workbook(
    wb: &mut TeamWorkbook,
    dict: &Dictionary,
    settings: &Settings,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let currency = wb.currency_or(&settings.reporting_currency).to_string();
    let mut metrics = std::mem::take(&mut wb.metrics);
    for m in &mut metrics {
        match dict.get(&m.name.value) {
            Some(standard) => follow(wb, m, standard, &currency, &mut out),
            None => out.push(unknown(wb, m, dict)),
        }
    }
    wb.metrics = metrics;
    out
}

/// A team metric the dictionary does not list.
fn unknown(wb: &TeamWorkbook, m: &Metric, dict: &Dictionary) -> Finding {
    let name = &m.name.value;
    let names = dict.metrics.iter().map(|s| s.name.as_str());
    let hint = match closest(name, names) {
        Some(near) => format!("did you mean \"{near}\"? Rename it to the round's name, or"),
        None => "rename it to one of them, or".to_string(),
    };
    let listed: Vec<&str> = dict.metrics.iter().map(|s| s.name.as_str()).collect();
    wb.finding_at(
        Rule::MetricUnknown,
        m.name.pos,
        format!(
            "\"{name}\" is not one of the round's metrics ({}: the dictionary in the settings); {hint} ask finance to add it to the dictionary",
            listed.join(", ")
        ),
    )
}

/// Gives `m` the dictionary's unit kind, direction and roll-up, with a
/// finding for each that the workbook said otherwise.
fn follow(
    wb: &TeamWorkbook,
    m: &mut Metric,
    standard: &StandardMetric,
    currency: &str,
    out: &mut Vec<Finding>,
) {
    let name = m.name.value.clone();
    let mut differs = |column: &str, typed: String, round: String| {
        let at = wb
            .cell_pos(SheetKind::Plan, m.name.pos.row, column)
            .unwrap_or(m.name.pos);
        out.push(wb.finding_at(
            Rule::MetricStandardised,
            at,
            format!(
                "\"{name}\" is read as the round's dictionary defines it: {column} {round} (this workbook says {typed}); write {round}"
            ),
        ));
    };
    let kind_differs = standard.unit.kind() != m.unit_kind;
    let other_unit_differs = matches!(&standard.unit, StandardUnit::Other(u) if m.unit_kind == UnitKind::Other && normalise(u) != normalise(&m.unit.value));
    if kind_differs || other_unit_differs {
        let round_unit = match &standard.unit {
            StandardUnit::Money => currency.to_string(),
            StandardUnit::Ratio => "%".to_string(),
            StandardUnit::Other(u) => u.clone(),
        };
        differs("Unit", quoted(&m.unit.value), quoted(&round_unit));
        m.unit.value = round_unit;
        m.unit_kind = standard.unit.kind();
    }
    if standard.better != m.better {
        differs(
            "Better",
            m.better.name().to_string(),
            standard.better.name().to_string(),
        );
        m.better = standard.better;
    }
    let same_weight = match (&standard.weight, &m.weight) {
        (Some(a), Some(b)) => normalise(a) == normalise(b),
        (None, None) => true,
        _ => false,
    };
    if standard.rollup != m.rollup || !same_weight {
        differs(
            "Rollup",
            m.rollup.describe(m.weight.as_deref()),
            standard.rollup.describe(standard.weight.as_deref()),
        );
        m.rollup = standard.rollup;
        m.weight = standard.weight.clone();
    }
}

fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}
