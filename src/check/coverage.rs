//! Metrics a team does not report (`metric-missing`): a metric most of the
//! round reports, or the funding objective, missing from a team's Plan drops
//! that team out of the total without a word — a team that split `Revenue`
//! into `Revenue - Cards` and `Revenue - Wallet` left 41.7M out of the
//! round's Revenue.

use crate::finding::{Finding, Rule};
use crate::names::{closest, normalise};
use crate::plan::{SheetKind, TeamWorkbook};
use crate::settings::Settings;
use std::collections::{BTreeMap, BTreeSet};

/// `metric-missing` for each team lacking a metric of the round's dictionary
/// and, when the whole round is checked, a metric that more than half of the
/// teams report or the funding objective.
pub(super) fn missing_metrics(
    workbooks: &[&TeamWorkbook],
    settings: &Settings,
    whole_round: bool,
    out: &mut Vec<Finding>,
) {
    let dict = &settings.dictionary;
    // Metric key → (the name as the first team spells it, how many report it).
    let mut reported: BTreeMap<String, (&str, usize)> = BTreeMap::new();
    for wb in workbooks {
        let mut seen = BTreeSet::new();
        for m in &wb.metrics {
            let key = normalise(&m.name.value);
            if seen.insert(key.clone()) {
                reported.entry(key).or_insert((m.name.value.as_str(), 0)).1 += 1;
            }
        }
    }
    let objective = settings.funding.objective.as_deref().map(normalise);
    let teams = workbooks.len();
    for wb in workbooks {
        // A workbook whose Plan could not be read has its own finding.
        if !wb.columns.contains_key(&SheetKind::Plan) {
            continue;
        }
        let own: Vec<String> = wb
            .metrics
            .iter()
            .map(|m| normalise(&m.name.value))
            .collect();
        for standard in &dict.metrics {
            if !own.contains(&standard.key) {
                let name = standard.name.as_str();
                out.push(missing(
                    wb,
                    name,
                    "it is one of the round's standard metrics (the dictionary in the settings)"
                        .into(),
                ));
            }
        }
        if !whole_round {
            continue;
        }
        for (key, (name, count)) in &reported {
            let is_objective = objective.as_deref() == Some(key.as_str());
            let in_dictionary = dict.position(key).is_some();
            if own.contains(key) || in_dictionary || !(is_objective || count * 2 > teams) {
                continue;
            }
            let why = if is_objective {
                "it is the round's funding objective, so this team cannot be ranked".to_string()
            } else {
                format!(
                    "{count} of {teams} teams report it, so the round's total leaves this team out"
                )
            };
            out.push(missing(wb, name, why));
        }
    }
}

/// `metric-missing` for `name`, with why it matters and, where the team has a
/// metric of a close name (a split or renamed metric), how to fix it.
fn missing(wb: &TeamWorkbook, name: &str, why: String) -> Finding {
    let hint = closest(name, wb.metrics.iter().map(|m| m.name.value.as_str()))
        .map(|near| format!(" (if \"{near}\" is part of it, add the total as \"{name}\" too)"))
        .unwrap_or_default();
    wb.finding_on(
        Rule::MetricMissing,
        SheetKind::Plan,
        format!("the Plan has no \"{name}\": {why}; add it{hint}"),
    )
}
