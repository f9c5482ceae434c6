//! The bridge of the objective metric (`bridge`): LY Actual to Funded in
//! steps, Flat, Investment and Funded.

use super::axis::{Axis, Map};
use super::canvas::{Ctx, Drawn};
use super::data::{rollup_word, round_totals, title_with_unit, MetricInfo};
use super::font::{fit, CAP_EM, EM_PER_SIZE};
use super::numbers::{fmt_change, fmt_delta, fmt_value, judge};
use super::style::{
    track_legend, variance_legend, Face, BODY_BOTTOM, BODY_TOP, FAINT, INK, LABEL, LEFT, MUTED,
    RIGHT, SMALL,
};
use crate::model::{Model, ROUND_SCOPE};
use crate::plan::Track;
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;
use polars::prelude::PolarsResult;

/// The tracks the bridge steps through; it needs a round total for each.
pub(super) const BRIDGE_TRACKS: [Track; 4] = [
    Track::LyActual,
    Track::Flat,
    Track::Investment,
    Track::Funded,
];

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
        (Track::LyActual.name(), 0.0, d.ly, Some(Track::LyActual)),
        ("Flat vs LY", d.ly, d.flat, None),
        ("Investment vs Flat", d.flat, d.investment, None),
        ("Funded vs Investment", d.investment, d.funded, None),
        (Track::Funded.name(), 0.0, d.funded, Some(Track::Funded)),
    ];
    let all = [0.0, d.ly, d.flat, d.investment, d.funded];
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = (hi - lo).max(hi.abs()).max(1e-12);
    let axis = Axis::new(
        if lo < 0.0 { lo - 0.12 * span } else { lo },
        if hi > 0.0 { hi + 0.12 * span } else { hi },
        6,
        units.clone(),
    );
    let tick_w = axis.label_width();
    let (left, right) = (LEFT + tick_w + 14.0, RIGHT);
    let (top, bottom) = (BODY_TOP + 20.0, BODY_BOTTOM - 64.0);
    let map = Map::new(&axis, bottom, top);
    c.hgrid(&axis, &map, left, right)?;
    let slot = (right - left) / steps.len() as f64;
    let w = (slot * 0.56).min(170.0);
    let zero = map.at(0.0);
    let mut previous_top: Option<(f64, f64)> = None;
    for (i, (label, from, to, track)) in steps.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let (ya, yb) = (map.at(*from), map.at(*to));
        // Connector from the previous bar's level.
        if let Some((px_end, level)) = previous_top {
            c.dashed((px_end, level), (cx - w / 2.0, level), 1.0, FAINT)?;
        }
        let (text, color) = match track {
            Some(t) => {
                c.bar(cx - w / 2.0, zero, cx + w / 2.0, yb, *t)?;
                (fmt_value(*to, units), INK)
            }
            None => {
                let change = fmt_change(to - from, units);
                let color = judge(&change, *from, *to, Some(m.lower_is_better()));
                let (y0, y1) = if (ya - yb).abs() < 3.0 {
                    let mid = (ya + yb) / 2.0;
                    (mid - 1.5, mid + 1.5)
                } else {
                    (ya, yb)
                };
                c.fill(cx - w / 2.0, y0, cx + w / 2.0, y1, color)?;
                (change, color)
            }
        };
        let up = if track.is_some() {
            *to >= 0.0
        } else {
            to >= from
        };
        let edge = if up { ya.min(yb) } else { ya.max(yb) };
        let ly = if up {
            edge - 10.0
        } else {
            edge + 10.0 + LABEL * EM_PER_SIZE * CAP_EM
        };
        c.text(
            &fit(&text, slot - 6.0, LABEL, true),
            cx,
            ly,
            Face(LABEL, true, color),
            HPos::Center,
        )?;
        // Category label, and for steps the level reached.
        c.text(
            &fit(label, slot - 6.0, LABEL, false),
            cx,
            bottom + 30.0,
            Face(LABEL, false, INK),
            HPos::Center,
        )?;
        let sub = match i {
            1 => format!("Flat {}", fmt_value(d.flat, units)),
            2 => format!("Investment {}", fmt_value(d.investment, units)),
            3 => "unfunded teams at Flat".to_string(),
            _ => String::new(),
        };
        c.text(
            &fit(&sub, slot - 6.0, SMALL, false),
            cx,
            bottom + 56.0,
            Face(SMALL, false, MUTED),
            HPos::Center,
        )?;
        previous_top = Some((cx + w / 2.0, yb));
    }
    c.hline(left, right, zero, 2.0, INK)?;
    c.footer(&format!(
        "Source: op1 pack — rollup.csv (scope {ROUND_SCOPE}). Steps are green where they move {} the favourable way ({} is better).",
        m.name,
        m.better.as_str()
    ))
}
