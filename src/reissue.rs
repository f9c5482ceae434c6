//! Next year starts from this one: a team's workbook turned into its
//! workbook for the next round (`op1 template --from FILE --next-year`). The
//! fiscal year moves on; LY Target becomes this year's approved plan (the
//! Funded track), LY Actual this year's full-year actual (Q1–Q4 by the
//! metric's roll-up) where Q4 is reported; the plan, quarter and forecast
//! columns are emptied; the registers and the narrative are carried over for
//! the team to revise. Before Q4 is reported, last year's resources are this
//! year's approved plan (from the approved pack where one is given), never
//! the workbook's own LY column, which is two years old by then.

use crate::names::normalise;
use crate::plan::{Rollup, TeamWorkbook, Val};
use std::collections::BTreeMap;

/// The full-year actual of four reported quarters by the metric's roll-up:
/// a sum adds them; a weighted metric is Σ qᵢ·wᵢ / Σ wᵢ over the quarters of
/// its weight metric (the plain mean where those are missing or sum to 0);
/// a mean or none metric is their mean.
fn full_year(
    quarters: &crate::plan::Quarters,
    rollup: Rollup,
    weights: Option<&crate::plan::Quarters>,
) -> Option<f64> {
    let reported: Vec<f64> = quarters.iter().flatten().map(|v| v.value).collect();
    if reported.is_empty() {
        return None;
    }
    let mean = reported.iter().sum::<f64>() / reported.len() as f64;
    Some(match rollup {
        Rollup::Sum => reported.iter().sum(),
        Rollup::Weighted => {
            let pairs: Option<Vec<(f64, f64)>> = quarters
                .iter()
                .zip(weights.into_iter().flatten())
                .map(|(q, w)| Some((q.as_ref()?.value, w.as_ref()?.value)))
                .collect();
            let pairs = pairs.filter(|p| p.len() == 4).unwrap_or_default();
            let total: f64 = pairs.iter().map(|(_, w)| w).sum();
            if total == 0.0 {
                mean
            } else {
                pairs.iter().map(|(q, w)| q * w).sum::<f64>() / total
            }
        }
        Rollup::Mean | Rollup::None => mean,
    })
}

/// This year's approved plan of one team, read from the approved pack.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApprovedPlan {
    /// The pack folder, as the notes name it.
    pub from: String,
    /// The Funded value per metric key, in the team's currency.
    pub metrics: BTreeMap<String, f64>,
    /// The approved amount per resource key (Investment of a funded team,
    /// Flat of the others), in heads or the team's currency; a money
    /// resource is missing when the pack gives no rate back to it.
    pub resources: BTreeMap<String, f64>,
}

/// A team's workbook for the next round; `approved` is this year's approved
/// plan (from the approved pack), `None` when no pack was given (LY Target
/// and an unreported resource's LY are then this year's Flat plan, and a
/// note says so). Returns the workbook and notes for the person re-issuing
/// it.
pub fn next_year(
    team: &TeamWorkbook,
    approved: Option<&ApprovedPlan>,
) -> (TeamWorkbook, Vec<String>) {
    let mut wb = team.clone();
    let mut notes = Vec::new();
    if let Some(fy) = &mut wb.fiscal_year {
        fy.value += 1;
    }
    if approved.is_none() {
        notes.push("no approved pack given (--plan): LY Target is this year's Flat plan; give --plan to use the Funded plan".to_string());
    }
    // Each metric's quarters as reported, by key: a weighted metric's LY
    // Actual weights each quarter by that quarter of its weight metric.
    let quarters_of: BTreeMap<String, crate::plan::Quarters> = team
        .metrics
        .iter()
        .map(|m| (normalise(&m.name.value), m.quarters.clone()))
        .collect();
    for m in &mut wb.metrics {
        let key = normalise(&m.name.value);
        let plan = match approved {
            Some(a) => a.metrics.get(&key).copied(),
            None => m.flat.as_ref().map(|v| v.value),
        };
        let at = m.name.pos;
        m.ly_target = plan.map(|value| Val { value, pos: at });
        let q4 = m.quarters[3].is_some();
        let weights = m
            .weight
            .as_deref()
            .filter(|_| m.rollup == Rollup::Weighted)
            .and_then(|w| quarters_of.get(&normalise(w)));
        m.ly_actual = if q4 {
            full_year(&m.quarters, m.rollup, weights).map(|value| Val { value, pos: at })
        } else {
            None
        };
        m.why = (!q4).then(|| Val {
            value: "Q4 was not reported when this workbook was issued: fill in last year's actual"
                .to_string(),
            pos: at,
        });
        if !q4 {
            notes.push(format!(
                "\"{}\": Q4 not reported, so LY Actual is left blank",
                m.name.value
            ));
        }
        m.baseline = None;
        m.flat = None;
        m.investment = None;
        m.quarters = Default::default();
        m.forecast = None;
        m.commentary = None;
    }
    // Last year's resources: what was used (heads at Q4's end, money spent
    // over the four quarters) where Q4 is reported, else the approved plan.
    for r in &mut wb.resources {
        let at = r.name.pos;
        let planned = |value: f64| Some(Val { value, pos: at });
        r.ly = match &r.quarters[3] {
            Some(q4) if r.is_headcount() => planned(q4.value),
            Some(_) => planned(r.quarters.iter().flatten().map(|v| v.value).sum()),
            None => {
                let from_pack =
                    approved.and_then(|a| Some((a, *a.resources.get(&normalise(&r.name.value))?)));
                let (ly, said) = match (from_pack, approved) {
                    (Some((a, value)), _) => (
                        planned(value),
                        format!("this year's approved plan in the pack {}", a.from),
                    ),
                    (None, Some(a)) => (
                        r.flat.clone(),
                        format!(
                            "this year's Flat plan (the pack {} has no approved amount for it in the team's currency)",
                            a.from
                        ),
                    ),
                    (None, None) => (
                        r.flat.clone(),
                        "this year's Flat plan (give --plan to use the approved plan)".to_string(),
                    ),
                };
                notes.push(format!(
                    "resource \"{}\": Q4 not reported, so LY is {said}",
                    r.name.value
                ));
                ly
            }
        };
        r.flat = None;
        r.investment = None;
        r.quarters = Default::default();
    }
    for g in &mut wb.goals {
        g.status = None;
        g.status_note = None;
    }
    (wb, notes)
}
