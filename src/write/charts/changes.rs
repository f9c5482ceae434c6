//! What changed between two versions of the round, as a waterfall
//! (`changes-bridge`): the objective's Funded total of OLD, each team's
//! change (the largest first, the rest folded into "Others"), and the total
//! of NEW — in the notation of the other charts.

use super::data::title_with_unit;
use super::kit::canvas::{Ctx, Drawn};
use super::kit::numbers::{fmt_delta, fmt_value, Units};
use super::kit::style::{track_legend, variance_legend};
use super::kit::waterfall::{draw_waterfall, Step};
use crate::diff::{Changes, ChangesBridge};
use crate::plan::{Better, Track, UnitKind};
use plotters::prelude::DrawingBackend;

/// Teams shown as their own step; the rest are one "Others" step.
const SHOWN: usize = 8;

pub(super) struct ChangesBridgeData {
    objective: String,
    units: Units,
    better: Better,
    old_label: String,
    new_label: String,
    old_total: f64,
    new_total: f64,
    /// (team, change), the largest first.
    teams: Vec<(String, f64)>,
    /// How many teams the "Others" step holds, and their change.
    others: Option<(usize, f64)>,
}

/// The bridge's data, when both versions fund the same objective.
pub(super) fn changes_bridge_data(c: &Changes) -> Option<ChangesBridgeData> {
    let b: &ChangesBridge = c.bridge.as_ref()?;
    let units = match b.unit_kind {
        UnitKind::Money => Units::Money(b.currency.clone()),
        UnitKind::Ratio => Units::Ratio,
        UnitKind::Other => Units::Count(b.unit.clone()),
    };
    let changes: Vec<(String, f64)> = b.teams.iter().map(|(t, o, n)| (t.clone(), n - o)).collect();
    let (shown, rest) = changes.split_at(changes.len().min(SHOWN));
    // Folding one team into "Others" hides it for nothing: show it.
    let (shown, rest) = if rest.len() == 1 {
        (&changes[..], &changes[changes.len()..])
    } else {
        (shown, rest)
    };
    Some(ChangesBridgeData {
        objective: b.objective.clone(),
        units,
        better: b.better,
        old_label: version_name(&c.old),
        new_label: version_name(&c.new),
        old_total: b.old_total,
        new_total: b.new_total,
        teams: shown.to_vec(),
        others: (!rest.is_empty()).then(|| (rest.len(), rest.iter().map(|(_, d)| d).sum())),
    })
}

/// A version as the chart names it: its folder's or file's name.
fn version_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

pub(super) fn draw_changes_bridge<DB: DrawingBackend>(c: &Ctx<DB>, d: &ChangesBridgeData) -> Drawn {
    let units = &d.units;
    let title = title_with_unit(&format!("{} Funded: what changed", d.objective), units);
    let mut steps =
        vec![Step::total("Funded before", d.old_total, Track::Funded).with_sub(&d.old_label)];
    let mut level = d.old_total;
    for (team, change) in &d.teams {
        steps.push(Step::change(team, level, level + change, String::new()));
        level += change;
    }
    if let Some((n, change)) = d.others {
        let label = format!("Others ({n} teams)");
        steps.push(Step::change(&label, level, level + change, String::new()));
    }
    steps.push(Step::total("Funded after", d.new_total, Track::Funded).with_sub(&d.new_label));
    // The body first: the subtitle says whether its axis is broken.
    let broken = draw_waterfall(c, &steps, units, d.better == Better::Lower, true)?;
    let moved = d.teams.len() + d.others.map_or(0, |(n, _)| n);
    let subtitle = format!(
        "{} {} → {} {} ({}); {} changed.{}",
        d.old_label,
        fmt_value(d.old_total, units),
        d.new_label,
        fmt_value(d.new_total, units),
        fmt_delta(d.old_total, d.new_total, units),
        crate::text::plural(moved, "team"),
        if broken {
            " The axis does not start at zero."
        } else {
            ""
        }
    );
    let mut legend = track_legend(&[Track::Funded]);
    legend.extend(variance_legend());
    c.header(&title, &subtitle, &legend)?;
    c.footer(&format!(
        "Source: op1 diff — each team's Funded {} in both versions; a team added counts from 0, one withdrawn to 0. Green moves {} the favourable way ({} is better).",
        d.objective,
        d.objective,
        d.better.name()
    ))
}
