//! Cut or double down: for every funded investment case, its delivery on the
//! objective — projected uplift over planned uplift — decides `double down`
//! (delivering, objective green), `cut or fix` (below `cut_below`) or
//! `keep`. The incremental budget of the cases to cut is freed, and the
//! cases left below the line in the round are where it could go, by ROI.

use super::status::Status;
use crate::plan::Better;
use std::fmt;

/// What to do with a funded case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Call {
    DoubleDown,
    Keep,
    CutOrFix,
}

impl Call {
    pub fn as_str(self) -> &'static str {
        match self {
            Call::DoubleDown => "double down",
            Call::Keep => "keep",
            Call::CutOrFix => "cut or fix",
        }
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One funded case at the checkpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub team: String,
    /// The case's incremental budget (reporting currency).
    pub budget: f64,
    /// Investment − Flat of the objective (reversed when lower is better).
    pub planned_uplift: f64,
    /// Projection − Flat of the objective (likewise).
    pub projected_uplift: Option<f64>,
    /// Projected over planned uplift.
    pub delivery: Option<f64>,
    /// The objective's status for the team.
    pub status: Status,
    pub call: Call,
}

/// The inputs of one funded case.
pub struct Case<'a> {
    pub team: &'a str,
    pub budget: f64,
    pub flat: f64,
    pub investment: f64,
    pub projection: Option<f64>,
    pub better: Better,
    pub status: Status,
}

/// The call on one funded case.
pub fn decide(case: &Case<'_>, cut_below: f64) -> Decision {
    let sign = if case.better == Better::Lower {
        -1.0
    } else {
        1.0
    };
    let planned = (case.investment - case.flat) * sign;
    let projected = case.projection.map(|p| (p - case.flat) * sign);
    let delivery = projected.filter(|_| planned != 0.0).map(|p| p / planned);
    let call = match delivery {
        Some(d) if d >= 1.0 && case.status.is_good() => Call::DoubleDown,
        Some(d) if d < cut_below => Call::CutOrFix,
        _ => Call::Keep,
    };
    Decision {
        team: case.team.to_string(),
        budget: case.budget,
        planned_uplift: planned,
        projected_uplift: projected,
        delivery,
        status: case.status,
        call,
    }
}

/// A case left below the line in the round, that freed budget could fund.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub team: String,
    pub budget: f64,
    pub roi: f64,
    /// Whether the freed budget reaches it (filled greedily by ROI).
    pub fundable: bool,
}

/// The unfunded cases by ROI (highest first, ties by team), each marked
/// fundable while the freed budget lasts — greedily, as in funding.
pub fn where_it_could_go(freed: f64, mut cases: Vec<(String, f64, f64)>) -> Vec<Candidate> {
    cases.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut left = freed;
    cases
        .into_iter()
        .map(|(team, budget, roi)| {
            let fundable = budget <= left + 1e-9;
            if fundable {
                left -= budget;
            }
            Candidate {
                team,
                budget,
                roi,
                fundable,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(projection: f64, status: Status) -> Decision {
        decide(
            &Case {
                team: "A",
                budget: 100.0,
                flat: 1000.0,
                investment: 1200.0,
                projection: Some(projection),
                better: Better::Higher,
                status,
            },
            0.5,
        )
    }

    #[test]
    fn delivery_decides_the_call() {
        assert_eq!(case(1200.0, Status::Green).delivery, Some(1.0));
        assert_eq!(case(1200.0, Status::Green).call, Call::DoubleDown);
        // Delivering but the objective is not green: keep.
        assert_eq!(case(1200.0, Status::Amber).call, Call::Keep);
        assert_eq!(case(1150.0, Status::Green).call, Call::Keep);
        assert_eq!(case(1080.0, Status::Red).call, Call::CutOrFix);
    }

    #[test]
    fn a_cost_case_delivers_by_coming_in_lower() {
        let d = decide(
            &Case {
                team: "C",
                budget: 50.0,
                flat: 1000.0,
                investment: 800.0,
                projection: Some(800.0),
                better: Better::Lower,
                status: Status::Green,
            },
            0.5,
        );
        assert_eq!(d.delivery, Some(1.0));
    }

    #[test]
    fn freed_budget_goes_greedily_by_roi() {
        let c = where_it_could_go(
            150.0,
            vec![
                ("B".into(), 100.0, 2.0),
                ("C".into(), 80.0, 3.0),
                ("D".into(), 60.0, 1.0),
            ],
        );
        let got: Vec<(&str, bool)> = c.iter().map(|c| (c.team.as_str(), c.fundable)).collect();
        assert_eq!(got, [("C", true), ("B", false), ("D", true)]);
    }
}
