//! The OP1 checklist: what a good plan contains and who has not submitted.
//! One file per family of rules — the written parts ([`registers`]),
//! [`resources`], the Plan's [`metrics`], shared [`goals`], the [`roster`] —
//! and where each team stands ([`status`]).
//!
//! Checks read the typed workbooks and return findings; they never stop on a
//! bad plan. Their severities are graded once, by [`Findings`].

mod coverage;
mod currency;
mod dictionary;
mod goals;
mod metrics;
mod narrative;
mod registers;
mod resources;
mod roster;
mod status;
mod weights;

pub(crate) use dictionary::standardise;
pub(crate) use roster::load_roster;
pub use status::{team_statuses, TeamStatus};

use crate::finding::{Finding, Findings};
use crate::plan::{Round, TeamWorkbook};
use crate::settings::Settings;
use rayon::prelude::*;
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
    /// Whether a round or one submission on its own was checked.
    pub scope: Scope,
}

/// What a run that models the round takes from it, decided once: the
/// workbooks of the files without errors, and the files left out.
#[derive(Debug)]
pub struct Included<'a> {
    /// The workbooks of files with no error finding.
    pub workbooks: Vec<&'a TeamWorkbook>,
    /// The files with errors: display path → how many.
    pub excluded: std::collections::BTreeMap<String, usize>,
    /// Whether the round itself has an error no file carries (a roster
    /// that cannot be read, two files of one team).
    pub round_errors: bool,
}

impl Included<'_> {
    /// Whether nothing was left out: every file, and the round, without errors.
    pub fn is_whole(&self) -> bool {
        self.excluded.is_empty() && !self.round_errors
    }
}

/// The workbooks of `round` a pack or a checkpoint includes: those of the
/// files `findings` holds no error for.
pub fn included<'a>(round: &'a Round, findings: &Findings) -> Included<'a> {
    let excluded = findings.errors_by_file();
    Included {
        workbooks: round
            .workbooks()
            .filter(|wb| !excluded.contains_key(&wb.file))
            .collect(),
        excluded,
        round_errors: findings.has_round_errors(),
    }
}

/// What a check covers: a whole round, or one submission on its own (a team
/// checking its workbook before it submits), where the rules that compare
/// teams ([`crate::finding::Rule::is_cross_team`], except `metric-missing`
/// for a metric of the settings' dictionary, which needs no other team) and
/// the owners' names of `s2-owners` are not judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Round,
    OneSubmission,
}

/// The rules that look at one workbook on its own.
fn workbook_findings(wb: &TeamWorkbook, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    registers::counts(wb, &mut out);
    registers::risk_mitigations(wb, &mut out);
    resources::resources(wb, settings, &mut out);
    metrics::metrics(wb, settings, &mut out);
    metrics::fiscal_year(wb, settings, &mut out);
    weights::weights(wb, &mut out);
    narrative::narrative(wb, settings, &mut out);
    out.extend(currency::missing_rates(wb, settings));
    out.extend(currency::row_currencies(wb, settings));
    out
}

/// Runs every checklist rule over the workbooks of a round.
pub(crate) fn check_round(
    round: &Round,
    settings: &Settings,
    roster: &[String],
    scope: Scope,
) -> Vec<Finding> {
    let workbooks: Vec<&TeamWorkbook> = round.workbooks().collect();
    // Each workbook's own rules on all cores, their findings kept in the round's order.
    let per_workbook: Vec<Vec<Finding>> = workbooks
        .par_iter()
        .map(|wb| workbook_findings(wb, settings))
        .collect();
    let mut out: Vec<Finding> = per_workbook.into_iter().flatten().collect();
    let whole_round = scope == Scope::Round;
    goals::shared_goals(&workbooks, whole_round, &mut out);
    if whole_round {
        roster::missing_teams(&workbooks, roster, &mut out);
    }
    coverage::missing_metrics(&workbooks, settings, whole_round, &mut out);
    out
}
