//! Money without an exchange rate (`fx-missing`): every currency a workbook
//! uses must convert to the reporting currency; and money in another
//! currency than the team's (`row-currency`).

use crate::finding::{Finding, Rule};
use crate::plan::{Pos, TeamWorkbook, UnitKind};
use crate::settings::Settings;
use std::collections::BTreeMap;

/// The per-team money currencies that have no exchange rate, as findings.
pub(super) fn missing_rates(wb: &TeamWorkbook, settings: &Settings) -> Vec<Finding> {
    let mut missing: BTreeMap<String, Pos> = BTreeMap::new();
    for m in wb.metrics.iter().filter(|m| m.unit_kind == UnitKind::Money) {
        if settings.rate(&m.unit.value).is_none() {
            missing.entry(m.unit.value.clone()).or_insert(m.unit.pos);
        }
    }
    let currency = wb.currency_or(&settings.reporting_currency);
    if settings.rate(currency).is_none() && wb.resources.iter().any(|r| !r.is_headcount()) {
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

/// `row-currency`: a money metric in another currency than the Team sheet's
/// (or, where it names none, the round's). Each row converts at its own
/// rate, so the figures stay right, but a team reports in one currency and
/// a reader of the team's page would mix them.
pub(super) fn row_currencies(wb: &TeamWorkbook, settings: &Settings) -> Vec<Finding> {
    let team = wb.currency_or(&settings.reporting_currency);
    let whose = match &wb.currency {
        Some(c) => format!("the Team sheet's currency ({}) is {team}", c.pos.cell()),
        None => format!("the Team sheet names no currency, so the team's is the round's {team}"),
    };
    wb.metrics
        .iter()
        .filter(|m| m.unit_kind == UnitKind::Money && m.unit.value != team)
        .map(|m| {
            wb.finding_at(
                Rule::RowCurrency,
                m.unit.pos,
                format!(
                    "metric \"{}\" is in {} but {whose}; report the team's money in one currency (or set the Team sheet's Currency)",
                    m.name.value, m.unit.value
                ),
            )
        })
        .collect()
}
