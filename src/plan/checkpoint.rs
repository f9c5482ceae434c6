//! The checkpoint columns of the plan of record (contract v2): each
//! quarter's actual of a metric or resource, the team's full-year forecast
//! and commentary, and a shared goal's status.

use super::Val;
use std::fmt;

/// The quarters' column names, Q1 to Q4.
pub const QUARTERS: [&str; 4] = ["Q1", "Q2", "Q3", "Q4"];

/// A row's actual in each quarter (blank = not reported yet).
pub type Quarters = [Option<Val<f64>>; 4];

/// How many quarters are reported, counted to the latest one reported
/// (a blank before it is `actuals-missing`, found when read).
pub fn quarters_reported(q: &Quarters) -> usize {
    q.iter().rposition(Option::is_some).map_or(0, |i| i + 1)
}

/// A shared goal's status at a checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GoalStatus {
    OnTrack,
    AtRisk,
    OffTrack,
    Delivered,
    Missed,
    Cut,
}

impl GoalStatus {
    pub const ALL: [GoalStatus; 6] = [
        GoalStatus::OnTrack,
        GoalStatus::AtRisk,
        GoalStatus::OffTrack,
        GoalStatus::Delivered,
        GoalStatus::Missed,
        GoalStatus::Cut,
    ];

    /// The status as the contract writes it (`on track`, …).
    pub fn name(self) -> &'static str {
        match self {
            GoalStatus::OnTrack => "on track",
            GoalStatus::AtRisk => "at risk",
            GoalStatus::OffTrack => "off track",
            GoalStatus::Delivered => "delivered",
            GoalStatus::Missed => "missed",
            GoalStatus::Cut => "cut",
        }
    }

    /// A status as teams write it: case, spaces, hyphens and underscores
    /// do not matter (`On-track`, `at_risk`).
    pub fn parse(text: &str) -> Option<GoalStatus> {
        let key = crate::names::normalise(text);
        GoalStatus::ALL
            .into_iter()
            .find(|s| crate::names::normalise(s.name()) == key)
    }

    /// Whether the goal is finished with (no longer due).
    pub fn is_closed(self) -> bool {
        matches!(self, GoalStatus::Delivered | GoalStatus::Cut)
    }
}

impl fmt::Display for GoalStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_teams_write_them() {
        assert_eq!(GoalStatus::parse("On-Track"), Some(GoalStatus::OnTrack));
        assert_eq!(GoalStatus::parse("at_risk"), Some(GoalStatus::AtRisk));
        assert_eq!(GoalStatus::parse("done"), None);
    }
}
