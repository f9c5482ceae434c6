//! The written parts of a plan: 3–5 assumptions, 1–2 resource asks, 1–2
//! risks, and a mitigation for every risk (`assumptions-count`, `asks-count`,
//! `risks-count`, `risk-mitigation`).

use crate::finding::{Finding, Rule};
use crate::plan::{SheetKind, TeamWorkbook};
use crate::text::clip;

/// `assumptions-count`, `asks-count`, `risks-count`: each register within its range.
pub(super) fn counts(wb: &TeamWorkbook, out: &mut Vec<Finding>) {
    let checks = [
        (
            Rule::AssumptionsCount,
            SheetKind::Assumptions,
            wb.assumptions.len(),
            3,
            5,
            "assumptions",
        ),
        (
            Rule::AsksCount,
            SheetKind::Asks,
            wb.asks.len(),
            1,
            2,
            "resource asks",
        ),
        (
            Rule::RisksCount,
            SheetKind::Risks,
            wb.risks.len(),
            1,
            2,
            "risks",
        ),
    ];
    for (rule, sheet, n, min, max, what) in checks {
        // A sheet that could not be read already has its own finding.
        if !wb.columns.contains_key(&sheet) || (min..=max).contains(&n) {
            continue;
        }
        let advice = if n < min {
            "add"
        } else {
            "keep the most important and cut"
        };
        out.push(wb.finding_on(
            rule,
            sheet,
            format!("{min} to {max} {what} expected, found {n}; {advice} to fit"),
        ));
    }
}

/// `risk-mitigation`: every risk says what the team will do about it.
pub(super) fn risk_mitigations(wb: &TeamWorkbook, out: &mut Vec<Finding>) {
    for risk in wb.risks.iter().filter(|r| r.mitigation.is_none()) {
        let pos = wb
            .cell_pos(SheetKind::Risks, risk.risk.pos.row, "Mitigation")
            .unwrap_or(risk.risk.pos);
        out.push(wb.finding_at(
            Rule::RiskMitigation,
            pos,
            format!(
                "risk \"{}\" has no mitigation; say what the team will do about it",
                clip(&risk.risk.value)
            ),
        ));
    }
}
