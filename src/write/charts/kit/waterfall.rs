//! A waterfall — a total, steps up and down, a total — as the bridge charts
//! draw it (`bridge`: LY Actual to Funded; `changes-bridge`: OLD's Funded
//! total to NEW's, team by team): totals as track bars from zero, steps
//! floating from the level before, green where they move the metric the
//! favourable way and red where not, each labelled with its value.

use super::axis::{Axis, Map};
use super::canvas::{Ctx, Drawn};
use super::font::{fit, CAP_EM, EM_PER_SIZE};
use super::numbers::{fmt_change, fmt_value, judge, Units};
use super::style::{
    Face, BODY_BOTTOM, BODY_TOP, FAINT, INK, LABEL, LEFT, MUTED, PAPER, RIGHT, SMALL,
};
use crate::plan::Track;
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;

/// One bar of a waterfall.
pub(in crate::write::charts) struct Step {
    /// Under the bar.
    label: String,
    /// Under the label, smaller (may be empty).
    sub: String,
    /// The level the bar starts from (0 for a total).
    from: f64,
    /// The level it reaches.
    to: f64,
    /// A total, drawn in the track's notation; `None` for a step.
    track: Option<Track>,
}

impl Step {
    /// A total: a bar from zero in the track's notation.
    pub(in crate::write::charts) fn total(label: &str, value: f64, track: Track) -> Step {
        Step {
            label: label.to_string(),
            sub: String::new(),
            from: 0.0,
            to: value,
            track: Some(track),
        }
    }

    /// The bar with a smaller line under its label.
    pub(in crate::write::charts) fn with_sub(mut self, sub: &str) -> Step {
        self.sub = sub.to_string();
        self
    }

    /// A step from one level to the next.
    pub(in crate::write::charts) fn change(label: &str, from: f64, to: f64, sub: String) -> Step {
        Step {
            label: label.to_string(),
            sub,
            from,
            to,
            track: None,
        }
    }
}

/// The axis of a waterfall: from zero, unless `may_break` and the steps are
/// small beside positive totals (all levels within the top quarter), when it
/// starts below the lowest level and the totals are drawn broken.
fn waterfall_axis(steps: &[Step], units: &Units, may_break: bool) -> (Axis, bool) {
    let levels = || {
        steps
            .iter()
            .flat_map(|s| [s.to, if s.track.is_some() { s.to } else { s.from }])
    };
    let lo = levels().fold(f64::INFINITY, f64::min);
    let hi = levels().fold(f64::NEG_INFINITY, f64::max);
    if may_break && lo > 0.0 && hi - lo < 0.25 * hi {
        let room = (hi - lo).max(hi * 0.01);
        return (
            Axis::spanning(lo - 1.5 * room, hi + 0.3 * room, 6, units.clone()),
            true,
        );
    }
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    let span = (hi - lo).max(hi.abs()).max(1e-12);
    let axis = Axis::new(
        if lo < 0.0 { lo - 0.12 * span } else { lo },
        if hi > 0.0 { hi + 0.12 * span } else { hi },
        6,
        units.clone(),
    );
    (axis, false)
}

/// Draws `steps` across the chart body, on an axis that holds every level
/// and zero — or, with `may_break`, broken below the levels when the steps
/// would otherwise be slivers on tall totals. Returns whether it broke.
pub(in crate::write::charts) fn draw_waterfall<DB: DrawingBackend>(
    c: &Ctx<DB>,
    steps: &[Step],
    units: &Units,
    lower_is_better: bool,
    may_break: bool,
) -> Result<bool, super::error::ChartError> {
    let (axis, broken) = waterfall_axis(steps, units, may_break);
    let tick_w = axis.label_width();
    let (left, right) = (LEFT + tick_w + 14.0, RIGHT);
    let (top, bottom) = (BODY_TOP + 20.0, BODY_BOTTOM - 64.0);
    let map = Map::new(&axis, bottom, top);
    c.hgrid(&axis, &map, left, right)?;
    let slot = (right - left) / steps.len().max(1) as f64;
    let w = (slot * 0.56).min(170.0);
    // Totals stand on zero, or on the axis' foot when it is broken.
    let zero = if broken { bottom } else { map.at(0.0) };
    let mut previous_top: Option<(f64, f64)> = None;
    for (i, step) in steps.iter().enumerate() {
        let (from, to) = (step.from, step.to);
        let cx = left + slot * (i as f64 + 0.5);
        let (ya, yb) = (map.at(from), map.at(to));
        // Connector from the previous bar's level.
        if let Some((px_end, level)) = previous_top {
            c.dashed((px_end, level), (cx - w / 2.0, level), 1.0, FAINT)?;
        }
        let (text, color) = match step.track {
            Some(t) => {
                c.bar(cx - w / 2.0, zero, cx + w / 2.0, yb, t)?;
                if broken {
                    break_mark(c, cx, w, bottom - 18.0)?;
                }
                (fmt_value(to, units), INK)
            }
            None => {
                let change = fmt_change(to - from, units);
                let color = judge(&change, from, to, Some(lower_is_better));
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
        let up = if step.track.is_some() {
            to >= 0.0
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
            Face::bold(LABEL, color),
            HPos::Center,
        )?;
        // Category label, and under it what the step reaches or stands for.
        c.text(
            &fit(&step.label, slot - 6.0, LABEL, false),
            cx,
            bottom + 30.0,
            Face::regular(LABEL, INK),
            HPos::Center,
        )?;
        c.text(
            &fit(&step.sub, slot - 6.0, SMALL, false),
            cx,
            bottom + 56.0,
            Face::regular(SMALL, MUTED),
            HPos::Center,
        )?;
        previous_top = Some((cx + w / 2.0, yb));
    }
    c.hline(left, right, zero, 2.0, INK)?;
    Ok(broken)
}

/// The sign of a broken bar: a white gap across it, edged by two slanted lines.
fn break_mark<DB: DrawingBackend>(c: &Ctx<DB>, cx: f64, w: f64, y: f64) -> Drawn {
    let (x0, x1) = (cx - w / 2.0 - 6.0, cx + w / 2.0 + 6.0);
    c.fill(x0, y - 4.0, x1, y + 4.0, PAPER)?;
    c.line(&[(x0, y - 1.0), (x1, y - 9.0)], INK, 2)?;
    c.line(&[(x0, y + 9.0), (x1, y + 1.0)], INK, 2)
}
