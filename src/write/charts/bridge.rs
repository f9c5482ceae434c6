//! The bridge of the objective metric (`bridge`): LY Actual to Funded in
//! steps, Flat, Investment and Funded.

use super::data::{rollup_word, round_totals, title_with_unit, MetricInfo};
use super::kit::canvas::{Ctx, Drawn};
use super::kit::numbers::{fmt_delta, fmt_value};
use super::kit::style::{track_legend, variance_legend};
use super::kit::waterfall::{draw_waterfall, Step};
use crate::model::{Model, Objective, ROUND_SCOPE};
use crate::plan::{Rollup, Track};
use plotters::prelude::DrawingBackend;
use polars::prelude::PolarsResult;

/// The tracks the bridge steps through; it needs a round total for each.
pub(super) const BRIDGE_TRACKS: [Track; 4] = [
    Track::LyActual,
    Track::Flat,
    Track::Investment,
    Track::Funded,
];

/// Why the objective cannot make a bridge (not a drawing error: there is
/// nothing to draw).
#[derive(Debug, thiserror::Error)]
pub(super) enum Unplanned {
    /// The objective metric lacks a round total for a track of the bridge.
    #[error(
        "the objective metric \"{metric}\" has no round total for {}",
        bridge_tracks()
    )]
    NoRoundTotal { metric: String },
    /// The objective metric is not rolled up (roll-up `none`, or teams
    /// disagree on it).
    #[error(
        "the objective metric \"{metric}\" is not rolled up (its roll-up is \"{}\" or teams disagree on it), so it has no round total",
        Rollup::None.name()
    )]
    NotRolledUp { metric: String },
    /// No team reports the objective metric (named as the user gave it).
    #[error("no team reports the objective metric \"{objective}\"")]
    Unreported { objective: String },
}

/// `LY Actual, Flat, Investment and Funded`: the tracks the bridge needs.
fn bridge_tracks() -> String {
    let [a, b, c, d] = BRIDGE_TRACKS.map(Track::name);
    format!("{a}, {b}, {c} and {d}")
}

/// The objective's metric, when it can make a bridge: reported by a team
/// (`reported`) and rolled up to a round total.
pub(super) fn bridge_metric<'a>(
    objective: &Objective,
    reported: Option<&'a MetricInfo>,
) -> Result<&'a MetricInfo, Unplanned> {
    match reported {
        Some(m) if !m.conflict && m.rollup != Rollup::None => Ok(m),
        Some(m) => Err(Unplanned::NotRolledUp {
            metric: m.name.clone(),
        }),
        None => Err(Unplanned::Unreported {
            objective: objective.name.clone(),
        }),
    }
}

pub(super) struct BridgeData {
    metric: MetricInfo,
    ly: f64,
    flat: f64,
    investment: f64,
    funded: f64,
}

pub(super) fn bridge_data(model: &Model, metric: &MetricInfo) -> PolarsResult<Option<BridgeData>> {
    let t = round_totals(model, metric);
    Ok(match BRIDGE_TRACKS.map(|track| t.get(&track).copied()) {
        [Some(ly), Some(flat), Some(investment), Some(funded)] => Some(BridgeData {
            metric: metric.clone(),
            ly,
            flat,
            investment,
            funded,
        }),
        _ => None,
    })
}

pub(super) fn draw_bridge<DB: DrawingBackend>(c: &Ctx<DB>, d: &BridgeData) -> Drawn {
    let m = &d.metric;
    let units = &m.units;
    let title = title_with_unit(&format!("{} bridge: LY Actual to Funded", m.name), units);
    let subtitle = format!(
        "Round {} of {}: LY Actual {} → Funded {} ({}); objective of the funding round.",
        rollup_word(m),
        m.coverage(),
        fmt_value(d.ly, units),
        fmt_value(d.funded, units),
        fmt_delta(d.ly, d.funded, units)
    );
    let mut legend = track_legend(&[Track::LyActual, Track::Funded]);
    legend.extend(variance_legend());
    c.header(&title, &subtitle, &legend)?;

    let steps = [
        Step::total(Track::LyActual.name(), d.ly, Track::LyActual),
        Step::change(
            "Flat vs LY",
            d.ly,
            d.flat,
            format!("Flat {}", fmt_value(d.flat, units)),
        ),
        Step::change(
            "Investment vs Flat",
            d.flat,
            d.investment,
            format!("Investment {}", fmt_value(d.investment, units)),
        ),
        Step::change(
            "Funded vs Investment",
            d.investment,
            d.funded,
            "unfunded teams at Flat".to_string(),
        ),
        Step::total(Track::Funded.name(), d.funded, Track::Funded),
    ];
    draw_waterfall(c, &steps, units, m.lower_is_better(), false)?;
    c.footer(&format!(
        "Source: op1 pack — rollup.csv (scope {ROUND_SCOPE}). Steps are green where they move {} the favourable way ({} is better).",
        m.name,
        m.better.name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn why_a_bridge_is_not_planned_is_said_with_the_metric() {
        let e = Unplanned::NoRoundTotal {
            metric: "Revenue".into(),
        };
        assert_eq!(
            e.to_string(),
            "the objective metric \"Revenue\" has no round total for LY Actual, Flat, Investment and Funded"
        );
        assert!(Unplanned::NotRolledUp {
            metric: "NPS".into()
        }
        .to_string()
        .contains("its roll-up is \"none\""));
    }
}
