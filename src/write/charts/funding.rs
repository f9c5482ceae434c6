//! The funding curve (`funding-curve`): cumulative uplift of the objective
//! against cumulative incremental budget, the envelope — the funded cases
//! first, in the order they were decided (ROI), then the rest in ROI order,
//! so that every funded point lies inside the envelope.

use super::data::{clean, finite_floats, title_with_unit, MetricInfo};
use super::kit::axis::{Axis, Map};
use super::kit::canvas::{Ctx, Drawn};
use super::kit::font::{fit, text_width, CAP_EM, EM_PER_SIZE};
use super::kit::numbers::{counted, fmt_change, group, short, Units};
use super::kit::placement::{box_distance, near, overlaps, segment_hits, Box4};
use super::kit::style::{
    Face, Key, BODY_BOTTOM, BODY_TOP, FAINT, INK, LABEL, LEFT, MUTED, RIGHT, SHADE, SMALL,
};
use crate::model::schema;
use crate::model::{self, Model};
use crate::settings::Method;
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;
use polars::prelude::PolarsResult;

/// Funding cases drawn as points; beyond this the curve shows funded runs.
const DENSE_CASES: usize = 60;

struct Case {
    team: String,
    budget: f64,
    uplift: f64,
    funded: bool,
}

pub(super) struct FundingData {
    objective: MetricInfo,
    currency: String,
    cases: Vec<Case>,
    envelope: Option<f64>,
    /// Teams that are no funding case (no incremental budget or no uplift figure).
    not_cases: usize,
    /// How the funded set was chosen, for the footnote.
    rule: &'static str,
}

pub(super) fn funding_data(model: &Model, objective: &MetricInfo) -> PolarsResult<FundingData> {
    let df = &model.funding;
    let teams = model::strings(df, schema::TEAM)?;
    let budgets = finite_floats(df, schema::INCREMENTAL_BUDGET)?;
    let uplifts = finite_floats(df, schema::UPLIFT)?;
    let funded = model::bools(df, schema::FUNDED)?;
    let shares = finite_floats(df, schema::FRACTION)?;
    let mut cases = Vec::new();
    let mut not_cases = 0;
    for i in 0..teams.len() {
        match (budgets[i], uplifts[i]) {
            (Some(b), Some(u)) if b > 0.0 => {
                let funded = funded[i].unwrap_or(false);
                // A share decided in the room is drawn as what it funds.
                let share = match funded {
                    true => shares[i].unwrap_or(1.0),
                    false => 1.0,
                };
                cases.push(Case {
                    team: clean(&teams[i]),
                    budget: b * share,
                    uplift: u * share,
                    funded,
                })
            }
            _ => not_cases += 1,
        }
    }
    in_decided_order(&mut cases);
    Ok(FundingData {
        objective: objective.clone(),
        currency: model.reporting_currency.clone(),
        cases,
        envelope: model.params.budget.filter(|b| b.is_finite()),
        not_cases,
        rule: match (model.params.method, model.params.decisions.is_empty()) {
            (Method::Optimal, _) => "the set with the most uplift within the envelope and every limit funded",
            (Method::Ranked, true) => "cases funded greedily in ROI order while they fit",
            (Method::Ranked, false) => "the cases decided in the room funded first, then the rest greedily in ROI order while they fit",
        },
    })
}

/// Greedy funding skips a case that does not fit and takes a later one that
/// does: drawn in rank order, that later case would sit beyond the envelope.
/// The funded run first, then the rest (stable: each keeps its ROI order).
fn in_decided_order(cases: &mut [Case]) {
    cases.sort_by_key(|c| !c.funded);
}

pub(super) fn draw_funding<DB: DrawingBackend>(c: &Ctx<DB>, d: &FundingData) -> Drawn {
    let m = &d.objective;
    let money = Units::Money(d.currency.clone());
    let title = format!(
        "Funding curve: {} uplift against incremental budget, {}",
        m.name, d.currency
    );
    let funded: Vec<&Case> = d.cases.iter().filter(|c| c.funded).collect();
    let spend: f64 = funded.iter().map(|c| c.budget).sum();
    let gain: f64 = funded.iter().map(|c| c.uplift).sum();
    let mut subtitle = format!(
        "{}: the funded first, each part by ROI. ",
        counted(d.cases.len(), "funding case")
    );
    match d.envelope {
        Some(e) => subtitle.push_str(&format!(
            "Envelope {}: {} funded for {}, {} uplift {}.",
            short(e),
            group(funded.len() as f64, 0),
            short(spend),
            m.name,
            fmt_change(gain, &m.units)
        )),
        None => subtitle.push_str("No envelope set, nothing funded."),
    }
    if d.not_cases > 0 {
        subtitle.push_str(&format!(
            " {} without incremental budget or uplift not shown.",
            counted(d.not_cases, "team")
        ));
    }
    // Beyond a few dozen cases points would merge into a smear: the curve
    // itself then shows what is funded.
    let dense = d.cases.len() > DENSE_CASES;
    let legend = if dense {
        vec![
            (Key::Line(INK), "Funded cases".to_string()),
            (Key::Line(FAINT), "Not funded".to_string()),
            (Key::Dash, "Envelope".to_string()),
        ]
    } else {
        vec![
            (Key::Point(true), "Funded".to_string()),
            (Key::Point(false), "Not funded".to_string()),
            (Key::Line(FAINT), "Cumulative uplift".to_string()),
            (Key::Dash, "Envelope".to_string()),
        ]
    };
    c.header(&title, &subtitle, &legend)?;

    // Cumulative points, from the origin.
    let mut pts = vec![(0.0, 0.0)];
    let (mut cx, mut cy) = (0.0, 0.0);
    for case in &d.cases {
        cx += case.budget;
        cy += case.uplift;
        pts.push((cx, cy));
    }
    let x_hi = pts
        .iter()
        .map(|p| p.0)
        .chain(d.envelope)
        .fold(0.0, f64::max);
    let y_lo = pts.iter().map(|p| p.1).fold(0.0, f64::min);
    let y_hi = pts.iter().map(|p| p.1).fold(0.0, f64::max);
    let x_axis = Axis::new(0.0, x_hi * 1.04, 8, money.clone());
    let y_axis = Axis::new(
        y_lo,
        y_hi + 0.08 * (y_hi - y_lo).max(1e-12),
        6,
        m.units.clone(),
    );
    let tick_w = y_axis.label_width();
    let (left, right) = (LEFT + tick_w + 14.0, RIGHT - 10.0);
    let (top, bottom) = (BODY_TOP + 40.0, BODY_BOTTOM - 70.0);
    let xm = Map::new(&x_axis, left, right);
    let ym = Map::new(&y_axis, bottom, top);
    if let Some(e) = d.envelope {
        // Beyond the envelope: shaded.
        let ex = xm.at(e);
        c.fill(ex, top, right, bottom, SHADE)?;
    }
    c.hgrid(&y_axis, &ym, left, right)?;
    c.vgrid(&x_axis, &xm, top, bottom)?;
    c.text(
        &format!(
            "Cumulative incremental budget (Investment − Flat), {}; funded cases, then the rest, by ROI",
            d.currency
        ),
        (left + right) / 2.0,
        bottom + 58.0,
        Face::regular(LABEL, INK),
        HPos::Center,
    )?;
    c.text(
        &title_with_unit(&format!("Cumulative {} uplift", m.name), &m.units),
        left,
        top - 16.0,
        Face::regular(LABEL, INK),
        HPos::Left,
    )?;
    c.hline(left, right, ym.at(0.0), 2.0, INK)?;
    c.vline(xm.at(0.0), top, bottom, 2.0, INK)?;

    // The curve, thinned to a vertex every few pixels.
    let mut line: Vec<(f64, f64)> = Vec::new();
    for (i, p) in pts.iter().enumerate() {
        let q = (xm.at(p.0), ym.at(p.1));
        let last = i + 1 == pts.len();
        match line.last() {
            Some(prev) if !last && near(*prev, q, 3.0) => {}
            _ => line.push(q),
        }
    }
    c.line(&line, FAINT, 3)?;
    if dense {
        // Funded cases drawn over the curve, run by run.
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (i, case) in d.cases.iter().enumerate() {
            let (a, b) = (pts[i], pts[i + 1]);
            let (pa, pb) = ((xm.at(a.0), ym.at(a.1)), (xm.at(b.0), ym.at(b.1)));
            if case.funded {
                if run.is_empty() {
                    run.push(pa);
                }
                let far = run.last().is_none_or(|q| !near(*q, pb, 3.0));
                let next_unfunded = d.cases.get(i + 1).is_none_or(|c| !c.funded);
                if far || next_unfunded {
                    run.push(pb);
                }
            } else if !run.is_empty() {
                c.line(&std::mem::take(&mut run), INK, 5)?;
            }
        }
        if run.len() > 1 {
            c.line(&run, INK, 5)?;
        }
    }
    // What labels must not touch: the envelope, its label, the markers, the curve.
    let mut placed: Vec<Box4> = Vec::new();
    if let Some(e) = d.envelope {
        let ex = xm.at(e);
        c.dashed((ex, top - 4.0), (ex, bottom), 2.0, INK)?;
        let label = format!("Envelope {}", short(e));
        let w = text_width(&label, LABEL, true);
        let (tx, bx) = if ex + 8.0 + w <= right {
            (ex + 8.0, ex + 8.0)
        } else {
            (ex - 8.0, ex - 8.0 - w)
        };
        let align = if tx > ex { HPos::Left } else { HPos::Right };
        c.text(&label, tx, top + 22.0, Face::bold(LABEL, INK), align)?;
        placed.push((bx - 4.0, top, bx + w + 4.0, top + 30.0));
        placed.push((ex - 3.0, top, ex + 3.0, bottom));
    }
    // Markers, at most one per few pixels of each kind.
    let mut last_drawn: [Option<(f64, f64)>; 2] = [None, None];
    let mut markers: Vec<(f64, f64)> = Vec::new();
    let mut drawn = vec![false; d.cases.len()];
    for (i, (case, p)) in d.cases.iter().zip(pts.iter().skip(1)).enumerate() {
        if dense {
            break;
        }
        let (x, y) = (xm.at(p.0), ym.at(p.1));
        let k = usize::from(case.funded);
        if let Some((lx, ly)) = last_drawn[k] {
            if (x - lx).abs() < 4.0 && (y - ly).abs() < 4.0 {
                continue;
            }
        }
        last_drawn[k] = Some((x, y));
        c.marker(x, y, case.funded)?;
        markers.push((x, y));
        placed.push((x - 8.0, y - 8.0, x + 8.0, y + 8.0));
        drawn[i] = true;
    }
    // Team names where they fit without touching anything, and nearer their
    // own point than any other.
    let h = SMALL * EM_PER_SIZE * CAP_EM;
    for (i, (case, p)) in d.cases.iter().zip(pts.iter().skip(1)).enumerate().take(60) {
        if !drawn[i] {
            continue;
        }
        let (x, y) = (xm.at(p.0), ym.at(p.1));
        let label = fit(&case.team, 220.0, SMALL, false);
        let w = text_width(&label, SMALL, false);
        let candidates = [
            (x + 12.0, y + 8.0 + h, true),
            (x + 12.0, y - 8.0, true),
            (x - 12.0, y - 8.0, false),
            (x - 12.0, y + 8.0 + h, false),
        ];
        for (tx, ty, left_aligned) in candidates {
            let bx0 = if left_aligned { tx } else { tx - w };
            let b = (bx0 - 3.0, ty - h - 3.0, bx0 + w + 3.0, ty + 5.0);
            let inside = b.0 >= left && b.2 <= right && b.1 >= top && b.3 <= bottom;
            let own = box_distance(b, (x, y));
            let clear = inside
                && placed.iter().all(|o| !overlaps(b, *o))
                && markers
                    .iter()
                    .all(|m| *m == (x, y) || box_distance(b, *m) > own + 2.0)
                && line.windows(2).all(|s| !segment_hits(b, s[0], s[1]));
            if clear {
                let align = if left_aligned {
                    HPos::Left
                } else {
                    HPos::Right
                };
                c.text(&label, tx, ty, Face::regular(SMALL, MUTED), align)?;
                placed.push(b);
                break;
            }
        }
    }
    c.footer(&format!(
        "Source: op1 pack — funding.csv. Uplift is Investment − Flat on {} ({} is better, so uplift counts the favourable way); {}.",
        m.name,
        m.better.name(),
        d.rule,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_funded_case_lies_beyond_the_envelope() {
        // By ROI: A (3) funded, B (4) does not fit an envelope of 4.5, C (1)
        // does. In rank order C would sit at 8, past the envelope.
        let case = |team: &str, budget: f64, funded: bool| Case {
            team: team.into(),
            budget,
            uplift: 1.0,
            funded,
        };
        let mut cases = vec![
            case("A", 3.0, true),
            case("B", 4.0, false),
            case("C", 1.0, true),
        ];
        in_decided_order(&mut cases);
        let order: Vec<&str> = cases.iter().map(|c| c.team.as_str()).collect();
        assert_eq!(order, ["A", "C", "B"]);
        let mut x = 0.0;
        for c in &cases {
            x += c.budget;
            assert!(!c.funded || x <= 4.5, "{} at {x}", c.team);
        }
    }
}
