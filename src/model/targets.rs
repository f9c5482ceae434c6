//! Top-down targets against the bottom-up tracks (contract v3, "The
//! decision"): each `[targets."SCOPE"]` metric set beside the scope's LY
//! Actual, Flat, Investment and Funded totals from the roll-up, with the
//! gap of Funded to the target. A funded plan that misses its target by
//! more than `[checks] target_tolerance` is a `target-gap` finding; a target
//! whose scope or metric the round does not roll up is `target-unknown`.

use super::{betters, floats, strings, tracks, unit_kinds};
use crate::finding::{Finding, Rule};
use crate::model::schema;
use crate::names::{normalise, org_segments};
use crate::plan::{Better, Track, UnitKind};
use crate::settings::Settings;
use crate::text::fmt_amount;
use polars::prelude::*;

/// One target and the round's totals for its scope and metric.
#[derive(Debug)]
struct Row {
    scope: String,
    metric: String,
    target: f64,
    /// LY Actual, Flat, Investment and Funded, when rolled up.
    totals: [Option<f64>; 4],
    better: Better,
    unit_kind: UnitKind,
}

const TRACKS: [Track; 4] = [
    Track::LyActual,
    Track::Flat,
    Track::Investment,
    Track::Funded,
];

/// The targets frame ([`schema::TARGETS`]), one row per target the round
/// rolls up, by scope then metric; findings for targets missed or unknown.
pub(super) fn targets(
    rollup: &DataFrame,
    settings: &Settings,
    findings: &mut Vec<Finding>,
) -> PolarsResult<DataFrame> {
    let scopes = strings(rollup, schema::SCOPE)?;
    let keys = strings(rollup, schema::METRIC_KEY)?;
    let names = strings(rollup, schema::METRIC)?;
    let track = tracks(rollup, schema::TRACK)?;
    let values = floats(rollup, schema::VALUE)?;
    let better = betters(rollup, schema::BETTER)?;
    let unit_kinds = unit_kinds(rollup, schema::UNIT_KIND)?;
    let mut rows = Vec::new();
    for (scope, metrics) in &settings.targets {
        let in_scope: Vec<usize> = (0..scopes.len())
            .filter(|&i| org_segments(&scopes[i]) == org_segments(scope))
            .collect();
        if in_scope.is_empty() {
            let known: Vec<&str> = scopes.iter().map(String::as_str).collect();
            let hint = crate::names::closest(scope, known)
                .map(|n| format!(" (did you mean {n}?)"))
                .unwrap_or_default();
            findings.push(Finding::new(
                Rule::TargetUnknown,
                format!("[targets.\"{scope}\"] names no scope of the round{hint}: its targets are not measured; a scope is All or the start of an org path"),
            ));
            continue;
        }
        for (metric, target) in metrics {
            let of_metric: Vec<usize> = in_scope
                .iter()
                .copied()
                .filter(|&i| keys[i] == normalise(metric))
                .collect();
            let Some(&first) = of_metric.first() else {
                findings.push(Finding::new(
                    Rule::TargetUnknown,
                    format!("[targets.\"{scope}\"] {metric}: the round rolls up no metric \"{metric}\" in {scope} (not reported, or not rolled up); its target is not measured"),
                ));
                continue;
            };
            let total = |t: Track| {
                of_metric
                    .iter()
                    .find(|&&i| track[i] == t)
                    .and_then(|&i| values[i])
            };
            rows.push(Row {
                scope: scope.clone(),
                metric: names[first].clone(),
                target: *target,
                totals: TRACKS.map(total),
                better: better[first],
                unit_kind: unit_kinds[first],
            });
        }
    }
    let tolerance = settings.checks.target_tolerance;
    findings.extend(rows.iter().filter_map(|r| missed(r, tolerance)));
    frame(&rows)
}

/// The `target-gap` finding for a target the funded plan misses by more
/// than `tolerance` (a fraction of the target), the way the metric is better.
fn missed(row: &Row, tolerance: f64) -> Option<Finding> {
    let [_, flat, investment, funded] = row.totals;
    let funded = funded?;
    let slack = tolerance * row.target.abs();
    let misses = match row.better {
        Better::Higher => funded < row.target - slack,
        Better::Lower => funded > row.target + slack,
    };
    if !misses {
        return None;
    }
    let gap = funded - row.target;
    let pct = match row.target {
        0.0 => String::new(),
        t => format!(", {}%", signed_decimal(100.0 * gap / t.abs())),
    };
    let shown = |v: Option<f64>| v.map_or("—".to_string(), fmt_amount);
    Some(Finding::new(
        Rule::TargetGap,
        format!(
            "{} in {}: the funded plan reaches {} against a target of {} ({}{pct}); flat reaches {}, the whole investment track {}: fund more, or take the gap to the room",
            row.metric,
            row.scope,
            fmt_amount(funded),
            fmt_amount(row.target),
            signed(gap),
            shown(flat),
            shown(investment),
        ),
    ))
}

/// `+7.3` or `−7.3` (a minus sign, as every other negative op1 writes).
fn signed_decimal(v: f64) -> String {
    match v < 0.0 {
        true => format!("−{:.1}", -v),
        false => format!("+{v:.1}"),
    }
}

fn signed(v: f64) -> String {
    match v < 0.0 {
        true => format!("−{}", fmt_amount(-v)),
        false => format!("+{}", fmt_amount(v)),
    }
}

fn frame(rows: &[Row]) -> PolarsResult<DataFrame> {
    let total = |k: usize| rows.iter().map(|r| r.totals[k]).collect::<Vec<_>>();
    let gap: Vec<Option<f64>> = rows
        .iter()
        .map(|r| r.totals[3].map(|f| f - r.target))
        .collect();
    let gap_pct: Vec<Option<f64>> = rows
        .iter()
        .zip(&gap)
        .map(|(r, g)| g.filter(|_| r.target != 0.0).map(|g| g / r.target.abs()))
        .collect();
    df!(
        schema::SCOPE => rows.iter().map(|r| r.scope.as_str()).collect::<Vec<_>>(),
        schema::METRIC => rows.iter().map(|r| r.metric.as_str()).collect::<Vec<_>>(),
        schema::TARGET => rows.iter().map(|r| r.target).collect::<Vec<_>>(),
        schema::LY_ACTUAL => total(0),
        schema::FLAT_TOTAL => total(1),
        schema::INVESTMENT => total(2),
        schema::FUNDED => total(3),
        schema::GAP => gap,
        schema::GAP_PCT => gap_pct,
        schema::UNIT_KIND => rows.iter().map(|r| r.unit_kind.name()).collect::<Vec<_>>(),
    )
}
