//! The checkpoint's charts, in the pack's notation (IBCS: actual solid dark,
//! plan outlined, forecast hatched; green and red for good and bad):
//! `<metric>-quarters` (plan against actual by quarter with the projection,
//! the round total and the largest teams), `status` (the grid, letters and
//! colours) and `decisions` (delivery of each funded case).

use super::data::{clean, slug, title_with_unit, Row, TOP_N};
use super::kit::axis::{Axis, Map};
use super::kit::canvas::{Ctx, Drawn};
use super::kit::font::{fit, middle};
use super::kit::numbers::{fmt_value, Units};
use super::kit::style::{
    Face, Key, BAD, BODY_BOTTOM, BODY_TOP, GOOD, INK, LABEL, LEFT, MUTED, RIGHT, SMALL,
};
use super::tracks::{grouped_bars, Bars};
use crate::checkpoint::{Call, Checkpoint, Status};
use crate::model::schema;
use crate::model::{bools, floats, strings, unit_kinds};
use crate::plan::{Track, UnitKind};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;
use plotters::style::RGBColor;
use polars::prelude::PolarsResult;

/// The notation: actual, plan and forecast as the tracks that fill alike.
const ACTUAL: Track = Track::Funded;
const PLAN: Track = Track::Flat;
const FORECAST: Track = Track::Investment;

fn legend() -> Vec<(Key, String)> {
    vec![
        (Key::Track(ACTUAL), "AC actual".to_string()),
        (Key::Track(PLAN), "PL plan".to_string()),
        (Key::Track(FORECAST), "FC projection".to_string()),
    ]
}

/// One metric's quarters, round totals in the reporting currency.
pub(super) struct QuartersData {
    /// The metric key rows are grouped by.
    key: String,
    pub(super) stem: String,
    name: String,
    units: Units,
    quarter: usize,
    /// Per quarter: plan, actual (to the checkpoint), projection (after it).
    plan: [f64; 4],
    actual: [Option<f64>; 4],
    projection: [Option<f64>; 4],
    /// The largest teams by plan to date: AC and PL to date.
    teams: Vec<Row>,
}

/// A `<metric>-quarters` chart for each metric that adds up (a sum).
pub(super) fn quarters_data(cp: &Checkpoint, reporting: &str) -> PolarsResult<Vec<QuartersData>> {
    let df = &cp.metrics;
    let (team, metric, key) = (
        strings(df, schema::TEAM)?,
        strings(df, schema::METRIC)?,
        strings(df, schema::METRIC_KEY)?,
    );
    let level = bools(df, "level")?;
    let kinds = unit_kinds(df, schema::UNIT_KIND)?;
    let unit = strings(df, schema::UNIT)?;
    let rate = floats(df, schema::RATE)?;
    let plan = floats(df, "plan_full_year")?;
    let q: Vec<Vec<Option<f64>>> = ["q1", "q2", "q3", "q4"]
        .iter()
        .map(|c| floats(df, c))
        .collect::<PolarsResult<_>>()?;
    let w: Vec<Vec<Option<f64>>> = ["w1", "w2", "w3", "w4"]
        .iter()
        .map(|c| floats(df, c))
        .collect::<PolarsResult<_>>()?;
    let (ac, pl, projection) = (
        floats(df, "ac_ytd")?,
        floats(df, "pl_ytd")?,
        floats(df, "projection")?,
    );
    let n = cp.quarter;
    let mut out: Vec<QuartersData> = Vec::new();
    // Two metrics whose names make the same stem get distinct files.
    let mut stems = crate::names::Stems::default();
    for i in 0..df.height() {
        if level[i] == Some(true) {
            continue;
        }
        let r = rate[i].unwrap_or(1.0);
        let at = match out.iter().position(|d| d.key == key[i]) {
            Some(at) => at,
            None => {
                out.push(QuartersData {
                    key: key[i].clone(),
                    stem: format!(
                        "{}{}",
                        stems.unique(&slug(&metric[i])),
                        crate::outputs::chart::QUARTERS_SUFFIX
                    ),
                    name: clean(&metric[i]),
                    units: match kinds[i] {
                        UnitKind::Money => Units::Money(reporting.to_string()),
                        UnitKind::Ratio => Units::Ratio,
                        UnitKind::Other => Units::Count(clean(&unit[i])),
                    },
                    quarter: n,
                    plan: [0.0; 4],
                    actual: [None; 4],
                    projection: [None; 4],
                    teams: Vec::new(),
                });
                out.len() - 1
            }
        };
        let d = &mut out[at];
        let full = plan[i].unwrap_or(0.0) * r;
        for k in 0..4 {
            d.plan[k] += full * w[k][i].unwrap_or(0.25);
            if k < n {
                if let Some(v) = q[k][i] {
                    *d.actual[k].get_or_insert(0.0) += v * r;
                }
            }
        }
        // What the projection leaves for the quarters after the checkpoint,
        // spread by the plan's phasing.
        if let (Some(p), Some(a)) = (projection[i], ac[i]) {
            let rest: f64 = (n..4).map(|k| w[k][i].unwrap_or(0.25)).sum();
            for (k, shares) in w.iter().enumerate().skip(n) {
                let share = if rest > 0.0 {
                    shares[i].unwrap_or(0.25) / rest
                } else {
                    0.0
                };
                *d.projection[k].get_or_insert(0.0) += (p - a) * r * share;
            }
        }
        d.teams.push(Row {
            label: clean(&team[i]),
            values: vec![ac[i].map(|v| v * r), pl[i].map(|v| v * r)],
            muted: false,
        });
    }
    for d in &mut out {
        d.teams.sort_by(|a, b| {
            let (x, y) = (a.values[1].unwrap_or(0.0), b.values[1].unwrap_or(0.0));
            y.total_cmp(&x).then(a.label.cmp(&b.label))
        });
        d.teams.truncate(TOP_N);
    }
    Ok(out)
}

pub(super) fn draw_quarters<DB: DrawingBackend>(c: &Ctx<DB>, d: &QuartersData) -> Drawn {
    let plan: f64 = d.plan.iter().sum();
    let title = title_with_unit(
        &format!("{} by quarter: actual against plan", d.name),
        &d.units,
    );
    let subtitle = format!(
        "Round total, as of Q{}: plan for the year {}; actuals to date and the projection of the rest of the year.",
        d.quarter,
        fmt_value(plan, &d.units)
    );
    c.header(&title, &subtitle, &legend())?;
    // Left: the round's quarters, plan outlined, actual solid, projection hatched.
    let (x0, x1, y0, y1) = (LEFT + 70.0, 760.0, BODY_TOP + 30.0, BODY_BOTTOM - 40.0);
    let hi = (0..4)
        .map(|k| {
            d.plan[k]
                .max(d.actual[k].unwrap_or(0.0))
                .max(d.projection[k].unwrap_or(0.0))
        })
        .fold(0.0, f64::max);
    let axis = Axis::new(0.0, hi.max(1.0), 5, d.units.clone());
    let map = Map::new(&axis, y1, y0);
    c.hgrid(&axis, &map, x0, x1)?;
    let slot = (x1 - x0) / 4.0;
    for k in 0..4 {
        let left = x0 + slot * k as f64 + slot * 0.15;
        let bar = slot * 0.33;
        c.bar(left, map.at(0.0), left + bar, map.at(d.plan[k]), PLAN)?;
        let right = left + bar + slot * 0.04;
        match (d.actual[k], d.projection[k]) {
            (Some(a), _) => c.bar(right, map.at(0.0), right + bar, map.at(a), ACTUAL)?,
            (None, Some(p)) => c.bar(right, map.at(0.0), right + bar, map.at(p), FORECAST)?,
            _ => {}
        }
        c.text(
            &format!("Q{}", k + 1),
            x0 + slot * (k as f64 + 0.5),
            y1 + 28.0,
            Face {
                size: LABEL,
                bold: k + 1 == d.quarter,
                color: INK,
            },
            HPos::Center,
        )?;
    }
    c.hline(x0, x1, map.at(0.0), 2.0, INK)?;
    // Right: the largest teams, actual against plan to date.
    grouped_bars(
        c,
        (820.0, BODY_TOP, RIGHT, BODY_BOTTOM),
        &format!("To date, the {} largest teams by plan", d.teams.len()),
        &d.teams,
        &[ACTUAL, PLAN],
        &d.units,
        Bars {
            values: false,
            axis: true,
            delta: None,
            max_row: 40.0,
            range: None,
        },
    )?;
    c.footer("Source: op1 checkpoint — checkpoint.csv; money in the reporting currency at the round's rates; the plan is the approved Funded track, phased by the settings.")
}

/// The status of every team × metric.
pub(super) struct StatusData {
    teams: Vec<String>,
    metrics: Vec<String>,
    grid: Vec<Vec<Option<Status>>>,
    /// Teams not drawn (beyond the rows the chart has room for).
    more: usize,
    quarter: usize,
}

/// The most team rows the grid draws (the worst first).
const STATUS_ROWS: usize = 24;

pub(super) fn status_data(cp: &Checkpoint) -> PolarsResult<StatusData> {
    let df = &cp.metrics;
    let (team, metric, key, status) = (
        strings(df, schema::TEAM)?,
        strings(df, schema::METRIC)?,
        strings(df, schema::METRIC_KEY)?,
        strings(df, "status")?,
    );
    let mut teams: Vec<String> = Vec::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    for i in 0..team.len() {
        if !teams.contains(&team[i]) {
            teams.push(team[i].clone());
        }
        if !keys.iter().any(|(k, _)| *k == key[i]) {
            keys.push((key[i].clone(), clean(&metric[i])));
        }
    }
    let mut grid = vec![vec![None; keys.len()]; teams.len()];
    for i in 0..team.len() {
        let (Some(r), Some(c)) = (
            teams.iter().position(|t| *t == team[i]),
            keys.iter().position(|(k, _)| *k == key[i]),
        ) else {
            continue;
        };
        grid[r][c] = Status::parse(&status[i]);
    }
    // The worst first: reds, then ambers, then by name.
    let badness = |row: &Vec<Option<Status>>| {
        let count = |s: Status| row.iter().filter(|x| **x == Some(s)).count();
        (
            count(Status::Red) + count(Status::Missed),
            count(Status::Amber),
        )
    };
    let mut order: Vec<usize> = (0..teams.len()).collect();
    order.sort_by(|&a, &b| {
        badness(&grid[b])
            .cmp(&badness(&grid[a]))
            .then(teams[a].cmp(&teams[b]))
    });
    let more = order.len().saturating_sub(STATUS_ROWS);
    order.truncate(STATUS_ROWS);
    Ok(StatusData {
        teams: order.iter().map(|&i| clean(&teams[i])).collect(),
        grid: order.iter().map(|&i| grid[i].clone()).collect(),
        metrics: keys.into_iter().map(|(_, m)| m).collect(),
        more,
        quarter: cp.quarter,
    })
}

fn status_colour(s: Status) -> RGBColor {
    let c = s.colour();
    RGBColor((c >> 16) as u8, (c >> 8) as u8, c as u8)
}

pub(super) fn draw_status<DB: DrawingBackend>(c: &Ctx<DB>, d: &StatusData) -> Drawn {
    let legend: Vec<(Key, String)> = [
        Status::Green,
        Status::Amber,
        Status::Red,
        Status::NotApplicable,
    ]
    .into_iter()
    .map(|s| {
        (
            Key::Color(status_colour(s)),
            format!("{} {}", s.letter(), s.as_str()),
        )
    })
    .collect();
    let subtitle = if d.more > 0 {
        format!(
            "Q{}: the {} teams with the most red and amber first; {} more teams not shown.",
            d.quarter,
            d.teams.len(),
            d.more
        )
    } else {
        format!("Q{}: every team, the most red and amber first. The letter says the status; the colour repeats it.", d.quarter)
    };
    c.header("Status by team and metric", &subtitle, &legend)?;
    let label_w = 250.0;
    let cols = d.metrics.len().max(1) as f64;
    let cell_w = ((RIGHT - LEFT - label_w) / cols).min(160.0);
    let rows = d.teams.len().max(1) as f64;
    let top = BODY_TOP + 36.0;
    let cell_h = ((BODY_BOTTOM - top) / rows).min(40.0);
    for (j, m) in d.metrics.iter().enumerate() {
        let x = LEFT + label_w + cell_w * (j as f64 + 0.5);
        c.text(
            &fit(m, cell_w - 6.0, SMALL, true),
            x,
            top - 12.0,
            Face::bold(SMALL, INK),
            HPos::Center,
        )?;
    }
    for (i, t) in d.teams.iter().enumerate() {
        let y = top + cell_h * i as f64;
        c.text(
            &fit(t, label_w - 12.0, LABEL, false),
            LEFT + label_w - 12.0,
            middle(y + cell_h / 2.0, LABEL),
            Face::regular(LABEL, INK),
            HPos::Right,
        )?;
        for (j, s) in d.grid[i].iter().enumerate() {
            let x = LEFT + label_w + cell_w * j as f64;
            let Some(s) = s else { continue };
            c.fill(
                x + 2.0,
                y + 2.0,
                x + cell_w - 2.0,
                y + cell_h - 2.0,
                status_colour(*s),
            )?;
            let ink = if matches!(s, Status::Amber | Status::NotApplicable) {
                INK
            } else {
                RGBColor(255, 255, 255)
            };
            c.text(
                s.letter(),
                x + cell_w / 2.0,
                middle(y + cell_h / 2.0, SMALL),
                Face::bold(SMALL, ink),
                HPos::Center,
            )?;
        }
    }
    c.footer("Source: op1 checkpoint — checkpoint.csv. Green within green_within of plan, red beyond red_beyond; met or missed at Q4.")
}

/// Each funded case's delivery and call.
pub(super) struct DecisionsData {
    rows: Vec<(String, f64, Option<f64>, Call)>,
    freed: f64,
    reporting: String,
}

pub(super) fn decisions_data(cp: &Checkpoint, reporting: &str) -> Option<DecisionsData> {
    if cp.decisions.is_empty() {
        return None;
    }
    let mut rows: Vec<(String, f64, Option<f64>, Call)> = cp
        .decisions
        .iter()
        .map(|d| (clean(&d.team), d.budget, d.delivery, d.call))
        .collect();
    rows.sort_by(|a, b| {
        b.2.unwrap_or(f64::MIN)
            .total_cmp(&a.2.unwrap_or(f64::MIN))
            .then(a.0.cmp(&b.0))
    });
    rows.truncate(TOP_N * 2);
    Some(DecisionsData {
        rows,
        freed: cp.freed_budget,
        reporting: reporting.to_string(),
    })
}

pub(super) fn draw_decisions<DB: DrawingBackend>(c: &Ctx<DB>, d: &DecisionsData) -> Drawn {
    let legend = vec![
        (Key::Color(GOOD), Call::DoubleDown.as_str().to_string()),
        (Key::Color(MUTED), Call::Keep.as_str().to_string()),
        (Key::Color(BAD), Call::CutOrFix.as_str().to_string()),
    ];
    let units = Units::Money(d.reporting.clone());
    let subtitle = format!(
        "Delivery = projected ÷ planned uplift on the objective (100% = as planned), with each case's budget. Freed by cut or fix: {}.",
        fmt_value(d.freed, &units)
    );
    c.header("Funded cases: delivery against spend", &subtitle, &legend)?;
    let label_w = 260.0;
    let (x0, x1) = (LEFT + label_w, RIGHT - 220.0);
    let hi = d
        .rows
        .iter()
        .filter_map(|r| r.2)
        .fold(1.2f64, f64::max)
        .min(3.0);
    let lo = d
        .rows
        .iter()
        .filter_map(|r| r.2)
        .fold(0.0f64, f64::min)
        .max(-1.0);
    let axis = Axis::new(lo, hi, 6, Units::Ratio);
    let map = Map::new(&axis, x0, x1);
    let top = BODY_TOP + 20.0;
    let row_h = ((BODY_BOTTOM - 40.0 - top) / d.rows.len().max(1) as f64).min(44.0);
    c.vgrid(&axis, &map, top, top + row_h * d.rows.len() as f64)?;
    c.text(
        "Budget",
        RIGHT,
        top - 8.0,
        Face::bold(SMALL, MUTED),
        HPos::Right,
    )?;
    for (i, (team, budget, delivery, call)) in d.rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        let mid = y + row_h / 2.0;
        c.text(
            &fit(team, label_w - 12.0, LABEL, false),
            x0 - 12.0,
            middle(mid, LABEL),
            Face::regular(LABEL, INK),
            HPos::Right,
        )?;
        let colour = match call {
            Call::DoubleDown => GOOD,
            Call::Keep => MUTED,
            Call::CutOrFix => BAD,
        };
        if let Some(value) = delivery {
            let v = value.clamp(lo, hi);
            c.fill(
                map.at(0.0_f64.max(lo)),
                y + row_h * 0.2,
                map.at(v),
                y + row_h * 0.8,
                colour,
            )?;
            // A bar the axis cuts off says its value, so −500% is not read
            // as the axis' −100%.
            if v != *value {
                let shown = fmt_value(*value, &Units::Ratio);
                let (said, x) = if *value > hi {
                    (format!("→ {shown}"), map.at(hi) + 8.0)
                } else {
                    (format!("← {shown}"), map.at(0.0_f64.max(lo)) + 8.0)
                };
                c.text(
                    &said,
                    x,
                    middle(mid, SMALL),
                    Face::bold(SMALL, INK),
                    HPos::Left,
                )?;
            }
        } else {
            c.text(
                "not reported",
                map.at(0.0_f64.max(lo)) + 8.0,
                middle(mid, SMALL),
                Face::regular(SMALL, MUTED),
                HPos::Left,
            )?;
        }
        c.text(
            &fmt_value(*budget, &units),
            RIGHT,
            middle(mid, SMALL),
            Face::regular(SMALL, INK),
            HPos::Right,
        )?;
    }
    let bottom = top + row_h * d.rows.len() as f64;
    c.vline(map.at(1.0), top - 4.0, bottom, 2.0, INK)?;
    c.footer("Source: op1 checkpoint — decisions.csv. Double down: delivering and the objective green; cut or fix: delivery below cut_below.")
}
