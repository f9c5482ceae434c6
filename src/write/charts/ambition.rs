//! The 10× gap (`ambition-gap`): each team's one-year multiple under
//! Investment against the multiple the ambition needs.

use super::data::{clean, finite_floats, TOP_N};
use super::kit::axis::{Axis, Map};
use super::kit::canvas::{Ctx, Drawn};
use super::kit::font::{fit, middle, text_width};
use super::kit::numbers::{counted, fmt_value, group, Units};
use super::kit::style::{
    Face, Key, AXIS, BAD, BODY_BOTTOM, BODY_TOP, GOOD, INK, LABEL, LEFT, MUTED, RIGHT, SMALL,
};
use crate::model::schema;
use crate::model::{self, Model};
use crate::plan::Track;
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;
use polars::prelude::*;
use std::collections::HashMap;

pub(super) struct AmbitionData {
    metric: String,
    /// Σ Investment / Σ LY Actual over the teams shown and not shown.
    all: Option<f64>,
    rows: Vec<(String, f64)>,
    needed: f64,
    teams: usize,
    /// Teams without a positive LY Actual (no multiple).
    no_multiple: usize,
    reaching: usize,
}

/// The model's key of each metric name as teams spell it, so that names are
/// matched as the model matched them, not normalised again.
fn metric_keys(model: &Model) -> PolarsResult<HashMap<String, String>> {
    let df = model
        .long
        .clone()
        .lazy()
        .group_by([col(schema::METRIC)])
        .agg([col(schema::METRIC_KEY).first()])
        .collect()?;
    let names = model::strings(&df, schema::METRIC)?;
    let keys = model::strings(&df, schema::METRIC_KEY)?;
    Ok(names.into_iter().zip(keys).collect())
}

/// The ambition of the objective metric, or else of the first metric in the
/// reporting currency; `None` when there is neither or no multiple is needed.
pub(super) fn ambition_data(model: &Model) -> PolarsResult<Option<AmbitionData>> {
    let df = &model.ambition;
    let metrics = model::strings(df, schema::METRIC)?;
    let units = model::strings(df, schema::UNIT)?;
    let key_of = metric_keys(model)?;
    let keys: Vec<Option<&str>> = metrics
        .iter()
        .map(|m| key_of.get(m).map(String::as_str))
        .collect();
    let objective = model.params.objective.as_ref().map(|o| o.key.as_str());
    let chosen = objective.filter(|k| keys.contains(&Some(*k))).or_else(|| {
        let first = units.iter().position(|u| *u == model.reporting_currency)?;
        keys[first]
    });
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let teams = model::strings(df, schema::TEAM)?;
    let ly = finite_floats(df, schema::LY_ACTUAL)?;
    let inv = finite_floats(df, schema::INVESTMENT)?;
    let implied = finite_floats(df, schema::IMPLIED_MULTIPLE)?;
    let needed = finite_floats(df, schema::NEEDED_MULTIPLE)?;
    let mut name = String::new();
    let mut rows = Vec::new();
    let (mut sum_ly, mut sum_inv) = (0.0, 0.0);
    let mut needed_multiple = None;
    let mut no_multiple = 0;
    let mut count = 0;
    for i in (0..teams.len()).filter(|i| keys[*i] == Some(chosen)) {
        if name.is_empty() {
            name = clean(&metrics[i]);
        }
        count += 1;
        needed_multiple = needed_multiple.or(needed[i]);
        match (implied[i], ly[i], inv[i]) {
            (Some(m), Some(l), Some(v)) => {
                sum_ly += l;
                sum_inv += v;
                rows.push((clean(&teams[i]), m));
            }
            _ => no_multiple += 1,
        }
    }
    let Some(needed) = needed_multiple else {
        return Ok(None);
    };
    let reaching = rows.iter().filter(|r| r.1 >= needed).count();
    // Furthest behind first; ties by team.
    rows.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    rows.truncate(TOP_N);
    Ok(Some(AmbitionData {
        metric: name,
        all: (sum_ly > 0.0).then(|| sum_inv / sum_ly),
        rows,
        needed,
        teams: count,
        no_multiple,
        reaching,
    }))
}

pub(super) fn draw_ambition<DB: DrawingBackend>(c: &Ctx<DB>, d: &AmbitionData) -> Drawn {
    let title = format!(
        "10× gap: one-year multiple of {} under Investment vs LY Actual",
        d.metric
    );
    let shown = d.rows.len();
    let with_multiple = d.teams - d.no_multiple;
    let mut subtitle = format!(
        "Needed {} a year; {} of {} reach it. ",
        fmt_value(d.needed, &Units::Multiple),
        group(d.reaching as f64, 0),
        counted(with_multiple, "team")
    );
    if shown < with_multiple {
        subtitle.push_str(&format!("The {shown} teams furthest behind are shown."));
    } else {
        subtitle.push_str("Teams furthest behind first.");
    }
    if d.no_multiple > 0 {
        subtitle.push_str(&format!(
            " {} without a positive LY Actual not shown.",
            group(d.no_multiple as f64, 0)
        ));
    }
    let legend = vec![
        (
            Key::Track(Track::Investment),
            "Investment ÷ LY Actual".to_string(),
        ),
        (Key::Color(BAD), "gap to needed".to_string()),
        (Key::Color(GOOD), "ahead of needed".to_string()),
        (Key::Dash, "needed multiple".to_string()),
    ];
    c.header(&title, &subtitle, &legend)?;

    let mut rows: Vec<(String, f64, bool)> = Vec::new();
    if let Some(all) = d.all {
        rows.push(("All teams".to_string(), all, true));
    }
    rows.extend(d.rows.iter().map(|(t, m)| (t.clone(), *m, false)));
    let hi = rows.iter().map(|r| r.1).fold(d.needed, f64::max);
    let lo = rows.iter().map(|r| r.1).fold(0.0, f64::min);
    let axis = Axis::new(lo, hi * 1.06, 8, Units::Multiple);
    let (x0, x1) = (LEFT, RIGHT);
    let label_w = 250.0;
    let cols = 230.0;
    let (left, right) = (x0 + label_w, x1 - cols - 16.0);
    let top = BODY_TOP + 44.0;
    let bottom = BODY_BOTTOM - 36.0;
    let n = rows.len().max(1) as f64;
    let row_h = ((bottom - top) / n).min(56.0);
    let rows_bottom = top + row_h * n;
    let map = Map::new(&axis, left, right);
    c.vgrid(&axis, &map, top, rows_bottom)?;
    let (implied_x, gap_x) = (x1 - cols + 100.0, x1);
    c.text(
        "Implied",
        implied_x,
        top - 10.0,
        Face::bold(SMALL, MUTED),
        HPos::Right,
    )?;
    c.text(
        "Gap",
        gap_x,
        top - 10.0,
        Face::bold(SMALL, MUTED),
        HPos::Right,
    )?;
    let zero = map.at(0.0);
    let needed_x = map.at(d.needed);
    let thick = (row_h * 0.56).min(28.0);
    for (i, (label, multiple, total)) in rows.iter().enumerate() {
        let cy = top + row_h * (i as f64 + 0.5);
        if i == 1 && rows[0].2 {
            c.hline(x0, x1, top + row_h, 1.0, AXIS)?;
        }
        c.text(
            &fit(label, label_w - 14.0, LABEL, *total),
            left - 10.0,
            middle(cy, LABEL),
            Face {
                size: LABEL,
                bold: *total,
                color: INK,
            },
            HPos::Right,
        )?;
        let x = map.at(*multiple);
        c.bar(
            zero,
            cy - thick / 2.0,
            x,
            cy + thick / 2.0,
            Track::Investment,
        )?;
        // Implied − needed, as the Ambition sheet and ambition.csv: negative is short.
        let gap = multiple - d.needed;
        let color = if gap < 0.0 { BAD } else { GOOD };
        c.fill(
            x.min(needed_x),
            cy - thick * 0.2,
            x.max(needed_x),
            cy + thick * 0.2,
            color,
        )?;
        c.text(
            &fmt_value(*multiple, &Units::Multiple),
            implied_x,
            middle(cy, LABEL),
            Face {
                size: LABEL,
                bold: *total,
                color: INK,
            },
            HPos::Right,
        )?;
        let gap_text = if gap < 0.0 {
            format!("−{}", fmt_value(-gap, &Units::Multiple))
        } else {
            format!("+{}", fmt_value(gap, &Units::Multiple))
        };
        c.text(
            &gap_text,
            gap_x,
            middle(cy, LABEL),
            Face {
                size: LABEL,
                bold: *total,
                color,
            },
            HPos::Right,
        )?;
    }
    c.vline(zero, top, rows_bottom, 2.0, INK)?;
    c.dashed((needed_x, top - 30.0), (needed_x, rows_bottom), 2.0, INK)?;
    let label = format!("needed {}", fmt_value(d.needed, &Units::Multiple));
    let w = text_width(&label, SMALL, true);
    let (tx, align) = if needed_x + 8.0 + w <= right {
        (needed_x + 8.0, HPos::Left)
    } else {
        (needed_x - 8.0, HPos::Right)
    };
    c.text(&label, tx, top - 14.0, Face::bold(SMALL, INK), align)?;
    c.footer(&format!(
        "Source: op1 pack — ambition.csv. Implied = Investment ÷ LY Actual of {}; needed = the [ambition] multiple spread evenly over its years.",
        d.metric
    ))
}
