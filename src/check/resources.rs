//! Resources that fit each track: flat uses no more headcount or budget than
//! last year (`flat-resources`), investment asks for more budget than flat
//! (`investment-resources`).

use crate::finding::{Finding, Rule};
use crate::plan::TeamWorkbook;
use crate::settings::Settings;
use crate::text::fmt_amount;

pub(super) fn resources(wb: &TeamWorkbook, settings: &Settings, out: &mut Vec<Finding>) {
    let tolerance = settings.checks.flat_resources_tolerance;
    for name in ["Headcount", "Budget"] {
        let Some(res) = wb.resource(name) else {
            continue;
        };
        if let (Some(ly), Some(flat)) = (&res.ly, &res.flat) {
            if flat.value > ly.value * (1.0 + tolerance) + 1e-9 {
                out.push(wb.finding_at(
                    Rule::FlatResources,
                    flat.pos,
                    format!(
                        "the flat track uses more {} than last year ({} vs {}); flat means last year's resources",
                        name.to_lowercase(),
                        fmt_amount(flat.value),
                        fmt_amount(ly.value)
                    ),
                ));
            }
        }
    }
    // Budget is what an investment case is funded with: without more of it
    // the investment track cannot be funded.
    if let Some(budget) = wb.resource("Budget") {
        if let (Some(flat), Some(inv)) = (&budget.flat, &budget.investment) {
            if inv.value <= flat.value {
                out.push(wb.finding_at(
                    Rule::InvestmentResources,
                    inv.pos,
                    format!(
                        "the investment track asks for no more budget than flat ({} vs {}); it should show what more investment buys, or it cannot be funded",
                        fmt_amount(inv.value),
                        fmt_amount(flat.value)
                    ),
                ));
            }
        }
    }
}
