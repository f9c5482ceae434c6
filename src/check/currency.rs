//! Money without an exchange rate (`fx-missing`): every currency a workbook
//! uses must convert to the reporting currency.

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
