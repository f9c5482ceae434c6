//! Weighted roll-ups (`weight-missing`): a metric that rolls up `weighted by
//! <Metric>` needs that metric, for every track it has, in the same team's
//! Plan — without it the team's value cannot be weighted and the round's
//! total would be wrong.

use crate::finding::{Finding, Rule};
use crate::names::{closest, normalise};
use crate::plan::{Metric, Rollup, SheetKind, TeamWorkbook, Track};

/// `weight-missing` for each weighted metric of a workbook whose weighting
/// metric is absent, is the metric itself, or lacks a track the metric has.
pub(super) fn weights(wb: &TeamWorkbook, out: &mut Vec<Finding>) {
    for m in &wb.metrics {
        let (Rollup::Weighted, Some(weight)) = (m.rollup, m.weight.as_deref()) else {
            continue;
        };
        let at = wb
            .cell_pos(SheetKind::Plan, m.name.pos.row, "Rollup")
            .unwrap_or(m.name.pos);
        let name = &m.name.value;
        let key = normalise(weight);
        if key == normalise(name) {
            out.push(wb.finding_at(
                Rule::WeightMissing,
                at,
                format!("\"{name}\" is weighted by itself; weight it by another metric (e.g. weighted by Revenue) or write mean"),
            ));
            continue;
        }
        let Some(w) = wb.metrics.iter().find(|x| normalise(&x.name.value) == key) else {
            let others = wb.metrics.iter().map(|x| x.name.value.as_str());
            let hint = closest(weight, others)
                .map(|near| format!(" (did you mean \"{near}\"?)"))
                .unwrap_or_default();
            out.push(wb.finding_at(
                Rule::WeightMissing,
                at,
                format!(
                    "\"{name}\" is weighted by \"{weight}\", but this team's Plan has no \"{weight}\"{hint}; add \"{weight}\" to the Plan or change the Rollup of \"{name}\""
                ),
            ));
            continue;
        };
        missing_tracks(wb, m, w, out);
    }
}

/// A track the weighted metric has but its weight lacks (a blank Baseline is
/// LY Actual, for both).
fn missing_tracks(wb: &TeamWorkbook, m: &Metric, w: &Metric, out: &mut Vec<Finding>) {
    let has = |x: &Metric, t: Track| {
        x.track(t).is_some() || (t == Track::Baseline && x.ly_actual.is_some())
    };
    for track in Track::READ {
        let Some(v) = m.track(track) else {
            continue;
        };
        if has(w, track) {
            continue;
        }
        out.push(wb.finding_at(
            Rule::WeightMissing,
            v.pos,
            format!(
                "\"{}\" is weighted by \"{}\", which has no {} value; fill in {} for \"{}\"",
                m.name.value,
                w.name.value,
                track.name(),
                track.name(),
                w.name.value
            ),
        ));
    }
}
