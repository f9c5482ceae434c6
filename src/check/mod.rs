//! The OP1 checklist: what a good plan contains and who has not submitted.
//! One file per family of rules — the written parts ([`registers`]),
//! [`resources`], the Plan's [`metrics`], shared [`goals`], the [`roster`] —
//! and where each team stands ([`status`]).
//!
//! Checks read the typed workbooks and return findings; they never stop on a
//! bad plan. Their severities are graded once, by [`Findings`].

mod currency;
mod goals;
mod metrics;
mod registers;
mod resources;
mod roster;
mod status;

pub(crate) use roster::load_roster;
pub use status::{team_statuses, TeamStatus};

use crate::finding::{Finding, Findings};
use crate::plan::{Round, TeamWorkbook};
use crate::settings::Settings;
use std::path::PathBuf;

/// A round read and checked: what every later stage starts from.
#[derive(Debug)]
pub struct Checked {
    pub settings: Settings,
    /// The settings file used, if any.
    pub settings_file: Option<PathBuf>,
    pub round: Round,
    /// Teams expected to submit.
    pub roster: Vec<String>,
    /// Every finding of the run so far, graded by the settings, in report order.
    pub findings: Findings,
}

/// Runs every checklist rule over the workbooks of a round.
pub(crate) fn check_round(round: &Round, settings: &Settings, roster: &[String]) -> Vec<Finding> {
    let workbooks: Vec<&TeamWorkbook> = round.workbooks().collect();
    let mut out = Vec::new();
    for wb in &workbooks {
        registers::counts(wb, &mut out);
        registers::risk_mitigations(wb, &mut out);
        resources::resources(wb, settings, &mut out);
        metrics::metrics(wb, settings, &mut out);
        metrics::fiscal_year(wb, settings, &mut out);
        out.extend(currency::missing_rates(wb, settings));
    }
    goals::shared_goals(&workbooks, &mut out);
    roster::missing_teams(&workbooks, roster, &mut out);
    out
}
