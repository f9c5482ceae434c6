//! The tracks chart of a metric (`<metric>-tracks`): round totals per
//! track, and values by team as grouped bars (also used by `resources`).

use super::data::{
    rollup_word, round_totals, team_values, team_weights, title_with_unit, top_rows, MetricInfo,
    Row, TOP_N,
};
use super::kit::axis::{Axis, Map};
use super::kit::canvas::{Ctx, Drawn};
use super::kit::font::{fit, middle, CAP_EM, EM_PER_SIZE};
use super::kit::numbers::{fmt_delta, fmt_value, group, judge, Units};
use super::kit::style::{
    track_legend, variance_legend, Face, AXIS, BODY_BOTTOM, BODY_TOP, HEADING, INK, LABEL, LEFT,
    MUTED, PAPER, RIGHT, SMALL,
};
use crate::model::{Model, ROUND_SCOPE};
use crate::plan::{Rollup, Track};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;
use polars::prelude::PolarsResult;

/// The tracks whose round totals are drawn as columns.
const TOTALS: [Track; 5] = [
    Track::LyActual,
    Track::Baseline,
    Track::Flat,
    Track::Investment,
    Track::Funded,
];

/// The tracks drawn per team, largest LY Actual first.
const BY_TEAM: [Track; 3] = [Track::LyActual, Track::Flat, Track::Investment];

pub(super) struct TracksData {
    metric: MetricInfo,
    /// Round total (or mean) per track; empty when the metric does not roll up.
    totals: Vec<(Track, f64)>,
    rows: Vec<Row>,
    shown: usize,
    folded: usize,
}

pub(super) fn tracks_data(model: &Model, metric: &MetricInfo) -> PolarsResult<Option<TracksData>> {
    let totals = if metric.rollup == Rollup::None {
        Vec::new()
    } else {
        let t = round_totals(model, metric);
        TOTALS
            .into_iter()
            .filter_map(|track| t.get(&track).map(|v| (track, *v)))
            .collect()
    };
    let per_team = team_values(model, &metric.key, &BY_TEAM)?;
    if per_team.is_empty() && totals.is_empty() {
        return Ok(None);
    }
    let weights = match metric.rollup {
        Rollup::Weighted => Some(team_weights(model, &metric.key, &BY_TEAM)?),
        _ => None,
    };
    let (rows, folded) = top_rows(per_team, TOP_N, metric.rollup, weights.as_ref(), "team");
    let shown = rows.iter().filter(|r| !r.muted).count();
    Ok(Some(TracksData {
        metric: metric.clone(),
        totals,
        rows,
        shown,
        folded,
    }))
}

pub(super) fn draw_tracks<DB: DrawingBackend>(c: &Ctx<DB>, d: &TracksData) -> Drawn {
    let m = &d.metric;
    let title = title_with_unit(&format!("{} by track", m.name), &m.units);
    let teams = d.shown + d.folded;
    let mut subtitle = String::new();
    let total = |t: Track| d.totals.iter().find(|x| x.0 == t).map(|x| x.1);
    if let (Some(ly), Some(funded)) = (total(Track::LyActual), total(Track::Funded)) {
        subtitle.push_str(&format!(
            "Round {}: LY Actual {} → Funded {} ({}). ",
            rollup_word(m),
            fmt_value(ly, &m.units),
            fmt_value(funded, &m.units),
            fmt_delta(ly, funded, &m.units)
        ));
    }
    if d.totals.is_empty() {
        subtitle.push_str(&format!(
            "Not totalled (roll-up \"{}\"). ",
            Rollup::None.name()
        ));
    }
    subtitle.push_str(&match (d.folded, m.rollup) {
        (0, _) if teams == 1 => "By team: the one team".to_string(),
        (0, _) => format!("By team: all {teams}, largest LY Actual first"),
        (f, Rollup::None) => format!(
            "By team: the {} largest of {} by LY Actual; the other {} not shown",
            d.shown,
            group(teams as f64, 0),
            group(f as f64, 0)
        ),
        (f, how) => format!(
            "By team: the {} largest of {} by LY Actual; the other {} as Others ({})",
            d.shown,
            group(teams as f64, 0),
            group(f as f64, 0),
            match how {
                Rollup::Mean => "their mean".to_string(),
                Rollup::Weighted => format!(
                    "their mean weighted by {}",
                    m.weight.as_deref().unwrap_or("the weighting metric")
                ),
                _ => "their sum".to_string(),
            }
        ),
    });
    subtitle.push('.');
    let mut legend = track_legend(if d.totals.is_empty() {
        &BY_TEAM
    } else {
        &TOTALS
    });
    legend.extend(variance_legend());
    c.header(&title, &subtitle, &legend)?;
    let teams_left = if d.totals.is_empty() {
        LEFT
    } else {
        let heading = format!("Round {} ({})", rollup_word(m), m.coverage());
        total_columns(
            c,
            (LEFT, BODY_TOP, 560.0, BODY_BOTTOM),
            &heading,
            &d.totals,
            &m.units,
            m.lower_is_better(),
        )?;
        640.0
    };
    let heading = if d.folded > 0 {
        format!("By team: top {} by LY Actual", d.shown)
    } else {
        "By team".to_string()
    };
    grouped_bars(
        c,
        (teams_left, BODY_TOP, RIGHT, BODY_BOTTOM),
        &heading,
        &d.rows,
        &BY_TEAM,
        &m.units,
        Bars {
            values: false,
            axis: true,
            delta: Some(("Inv. vs LY", Some(m.lower_is_better()))),
            max_row: 64.0,
            range: None,
        },
    )?;
    c.footer(&format!(
        "Source: op1 pack — rollup.csv (scope {ROUND_SCOPE}) and consolidated.csv; {}{}.",
        match &m.units {
            Units::Money(cur) => format!("money in {cur} at the round's rates; "),
            _ => String::new(),
        },
        match m.rollup {
            Rollup::Mean => "the round value is the mean of the teams".to_string(),
            Rollup::Weighted => format!(
                "the round value is the teams' mean weighted by {}",
                m.weight.as_deref().unwrap_or("the weighting metric")
            ),
            Rollup::None => "the metric does not roll up".to_string(),
            Rollup::Sum => "the round value is the sum of the teams".to_string(),
        }
    ))
}

/// Columns for the round's tracks, with value labels and Δ vs LY.
fn total_columns<DB: DrawingBackend>(
    c: &Ctx<DB>,
    (x0, y0, x1, y1): (f64, f64, f64, f64),
    heading: &str,
    bars: &[(Track, f64)],
    units: &Units,
    lower_is_better: bool,
) -> Drawn {
    panel_heading(c, heading, x0, x1, y0)?;
    let lo = bars.iter().map(|b| b.1).fold(0.0, f64::min);
    let hi = bars.iter().map(|b| b.1).fold(0.0, f64::max);
    let axis = Axis::new(lo, hi, 5, units.clone());
    let tick_w = axis.label_width();
    let (left, right) = (x0 + tick_w + 12.0, x1);
    let (top, bottom) = (y0 + 48.0, y1 - 40.0);
    // Room for the value and change labels beyond the longest bars.
    let room = 56.0;
    let map = Map::new(
        &axis,
        if lo < 0.0 { bottom - room } else { bottom },
        if hi > 0.0 { top + room } else { top },
    );
    c.hgrid(&axis, &map, left, right)?;
    let slot = (right - left) / bars.len().max(1) as f64;
    let ly = bars.iter().find(|b| b.0 == Track::LyActual).map(|b| b.1);
    let zero = map.at(0.0);
    for (i, (track, v)) in bars.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let w = (slot * 0.62).min(90.0);
        let y = map.at(*v);
        c.bar(cx - w / 2.0, zero, cx + w / 2.0, y, *track)?;
        let label = fmt_value(*v, units);
        let up = *v >= 0.0;
        let (vy, dy) = if up {
            (y - 8.0, y - 8.0 - LABEL * 1.05)
        } else {
            (y + 8.0 + LABEL * 0.7, y + 8.0 + LABEL * 1.75)
        };
        c.text(
            &fit(&label, slot - 4.0, LABEL, true),
            cx,
            vy,
            Face::bold(LABEL, INK),
            HPos::Center,
        )?;
        if let (Some(ly), false) = (ly, *track == Track::LyActual) {
            let delta = fmt_delta(ly, *v, units);
            c.text(
                &fit(&delta, slot - 4.0, SMALL, false),
                cx,
                dy,
                Face::regular(SMALL, judge(&delta, ly, *v, Some(lower_is_better))),
                HPos::Center,
            )?;
        }
        c.text(
            &fit(track.name(), slot - 2.0, SMALL, false),
            cx,
            bottom + 28.0,
            Face::regular(SMALL, INK),
            HPos::Center,
        )?;
    }
    c.hline(left, right, zero, 2.0, INK)
}

/// Options of [`grouped_bars`].
#[derive(Clone, Copy)]
pub(super) struct Bars<'a> {
    /// Write each bar's value at its end.
    pub(super) values: bool,
    /// Draw the value axis below the rows.
    pub(super) axis: bool,
    /// A right-hand column with the last track's change vs the first: its
    /// header and whether lower is better.
    /// `None` colours the change neutral.
    pub(super) delta: Option<(&'a str, Option<bool>)>,
    /// The tallest a row may be, pixels.
    pub(super) max_row: f64,
    /// The value range to draw, when panels must share one scale (so that
    /// equal values are equally long in each); `None`: the rows' own range.
    pub(super) range: Option<(f64, f64)>,
}

/// Horizontal bars, one group of tracks per row, labels on the left.
pub(super) fn grouped_bars<DB: DrawingBackend>(
    c: &Ctx<DB>,
    (x0, y0, x1, y1): (f64, f64, f64, f64),
    heading: &str,
    rows: &[Row],
    tracks: &[Track],
    units: &Units,
    opts: Bars,
) -> Drawn {
    if !heading.is_empty() {
        panel_heading(c, heading, x0, x1, y0)?;
    }
    let values = |muted: bool| -> Vec<f64> {
        rows.iter()
            .filter(|r| muted || !r.muted)
            .flat_map(|r| r.values.iter().flatten().copied())
            .collect()
    };
    let (all, named) = (values(true), values(false));
    let (all_lo, all_hi) = (
        all.iter().copied().fold(0.0, f64::min),
        all.iter().copied().fold(0.0, f64::max),
    );
    let (named_lo, named_hi) = (
        named.iter().copied().fold(0.0, f64::min),
        named.iter().copied().fold(0.0, f64::max),
    );
    // An "Others" row far beyond the named rows would flatten them: the axis
    // then follows the named rows and the Others bars are drawn broken, with
    // their values written (an IBCS scaling break).
    let outlier = |a: f64, n: f64| !named.is_empty() && n != 0.0 && a.abs() > 1.6 * n.abs();
    let hi = if outlier(all_hi, named_hi) {
        named_hi
    } else {
        all_hi
    };
    let lo = if outlier(all_lo, named_lo) {
        named_lo
    } else {
        all_lo
    };
    let (lo, hi) = opts.range.unwrap_or((lo, hi));
    let axis = if opts.values {
        // Room for the value labels at the bar ends.
        let span = (hi - lo).max(1e-12);
        Axis::new(
            if lo < 0.0 { lo - 0.2 * span } else { lo },
            if hi > 0.0 { hi + 0.2 * span } else { hi },
            5,
            units.clone(),
        )
    } else {
        Axis::new(lo, hi, 6, units.clone())
    };
    let beyond = |v: f64| v > axis.hi + 1e-9 * axis.step || v < axis.lo - 1e-9 * axis.step;
    let delta_w = if opts.delta.is_some() { 110.0 } else { 0.0 };
    let label_w = ((x1 - x0) * 0.27).clamp(120.0, 250.0);
    let (mut left, mut right) = (x0 + label_w, x1 - delta_w - 8.0);
    // Room for broken bars and their values.
    const BREAK: f64 = 104.0;
    if all.iter().any(|v| *v > 0.0 && beyond(*v)) {
        right -= BREAK;
    }
    if all.iter().any(|v| *v < 0.0 && beyond(*v)) {
        left += BREAK;
    }
    let top = if heading.is_empty() { y0 } else { y0 + 40.0 };
    let bottom = if opts.axis { y1 - 34.0 } else { y1 };
    let n = rows.len().max(1) as f64;
    let row_h = ((bottom - top) / n).min(opts.max_row);
    let rows_bottom = top + row_h * n;
    let map = Map::new(&axis, left, right);
    if opts.axis {
        c.vgrid(&axis, &map, top, rows_bottom)?;
    }
    if let Some((header, _)) = opts.delta {
        c.text(
            header,
            x1,
            top - 8.0,
            Face::regular(SMALL, MUTED),
            HPos::Right,
        )?;
    }
    let zero = map.at(0.0);
    let thick = (row_h * 0.78 / tracks.len().max(1) as f64).min(22.0);
    // Value labels as large as the bars allow (capitals no taller than a bar).
    let value_size = (((thick - 1.0) / (EM_PER_SIZE * CAP_EM)).min(SMALL) / 2.0).floor() * 2.0;
    let label_x = x0 + label_w;
    for (i, row) in rows.iter().enumerate() {
        let ry = top + row_h * i as f64;
        let cy = ry + row_h / 2.0;
        if row.muted && i > 0 {
            c.hline(x0, x1, ry, 1.0, AXIS)?;
        }
        let size = if thick * tracks.len() as f64 >= 30.0 {
            LABEL
        } else {
            SMALL
        };
        c.text(
            &fit(&row.label, label_w - 14.0, size, false),
            label_x - 10.0,
            middle(cy, size),
            Face::regular(size, if row.muted { MUTED } else { INK }),
            HPos::Right,
        )?;
        let group_h = thick * tracks.len() as f64;
        for (t, track) in tracks.iter().enumerate() {
            let Some(v) = row.values.get(t).copied().flatten() else {
                continue;
            };
            let by = cy - group_h / 2.0 + thick * t as f64;
            let broken = beyond(v);
            let x = if !broken {
                map.at(v)
            } else if v > 0.0 {
                right + 34.0
            } else {
                left - 34.0
            };
            c.bar(zero, by + 1.0, x, by + thick - 1.0, *track)?;
            if broken {
                let bx = if v > 0.0 { x - 14.0 } else { x + 14.0 };
                c.line(
                    &[(bx - 4.0, by + thick + 1.0), (bx + 4.0, by - 1.0)],
                    PAPER,
                    5,
                )?;
            }
            if (opts.values || broken) && value_size >= 10.0 {
                let (tx, align) = if v >= 0.0 {
                    (x + 6.0, HPos::Left)
                } else {
                    (x - 6.0, HPos::Right)
                };
                c.text(
                    &fmt_value(v, units),
                    tx,
                    middle(by + thick / 2.0, value_size),
                    Face {
                        size: value_size,
                        bold: broken,
                        color: INK,
                    },
                    align,
                )?;
            }
        }
        if let Some((_, lower)) = opts.delta {
            let first = row.values.first().copied().flatten();
            let last = row.values.last().copied().flatten();
            if let (Some(a), Some(b)) = (first, last) {
                let delta = fmt_delta(a, b, units);
                c.text(
                    &fit(&delta, delta_w, LABEL, false),
                    x1,
                    middle(cy, LABEL),
                    Face::regular(LABEL, judge(&delta, a, b, lower)),
                    HPos::Right,
                )?;
            }
        }
    }
    c.vline(zero, top, rows_bottom, 2.0, INK)
}
/// A panel's heading, cut to the panel's width, at its top left.
fn panel_heading<DB: DrawingBackend>(
    c: &Ctx<DB>,
    heading: &str,
    x0: f64,
    x1: f64,
    y0: f64,
) -> Drawn {
    c.text(
        &fit(heading, x1 - x0, HEADING, true),
        x0,
        y0 + 22.0,
        Face::bold(HEADING, INK),
        HPos::Left,
    )
}
