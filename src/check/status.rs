//! Where each team stands in the round: ok, with findings, or missing.

use crate::finding::{Finding, Rule, Tally};
use crate::names::normalise;
use crate::plan::{Round, TeamWorkbook};
use crate::text::plural;
use std::collections::BTreeSet;

/// Where a team stands in the round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamStatus {
    Ok,
    Findings { errors: usize, warnings: usize },
    Missing,
}

/// One status line per team: every team that submitted, then roster teams that did not.
pub fn team_statuses(
    round: &Round,
    findings: &[Finding],
    roster: &[String],
) -> Vec<(String, TeamStatus)> {
    let mut out = Vec::new();
    let mut books: Vec<&TeamWorkbook> = round.workbooks().collect();
    books.sort_by_key(|wb| (normalise(wb.name()), wb.file.clone()));
    let names: Vec<&str> = books.iter().map(|wb| wb.name()).collect();
    for wb in &books {
        let name = wb.name();
        let mine = |f: &&Finding| {
            f.file.as_deref() == Some(wb.file.as_str())
                || (f.file.is_none() && f.team.as_deref() == Some(name))
        };
        let t = Tally::of(
            findings
                .iter()
                .filter(mine)
                .filter(|f| f.rule != Rule::MissingTeam),
        );
        let status = if t.errors + t.warnings == 0 {
            TeamStatus::Ok
        } else {
            TeamStatus::Findings {
                errors: t.errors,
                warnings: t.warnings,
            }
        };
        out.push((name.to_string(), status));
    }
    let submitted: BTreeSet<String> = names.iter().map(|n| normalise(n)).collect();
    for team in roster {
        if !submitted.contains(&normalise(team)) {
            out.push((team.clone(), TeamStatus::Missing));
        }
    }
    out
}

impl std::fmt::Display for TeamStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TeamStatus::Ok => f.write_str("ok"),
            TeamStatus::Missing => f.write_str("missing"),
            TeamStatus::Findings { errors, warnings } => {
                let mut parts = Vec::new();
                if *errors > 0 {
                    parts.push(plural(*errors, "error"));
                }
                if *warnings > 0 {
                    parts.push(plural(*warnings, "warning"));
                }
                f.write_str(&parts.join(", "))
            }
        }
    }
}
