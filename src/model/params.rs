//! The funding question, decided once: the envelope and the objective that
//! investment cases are ranked by, from the command line or the settings,
//! the objective resolved to a metric the included teams report and that
//! adds up across them.

use crate::names::normalise;
use crate::plan::{Rollup, TeamWorkbook};
use crate::settings::{Decided, Method, Settings};
use std::collections::{BTreeMap, BTreeSet};

/// The funding question: how much there is to invest, what cases are
/// ranked by, how the funded set is chosen and what the room decided and
/// constrained.
#[derive(Clone, Debug, Default)]
pub struct FundingParams {
    /// The incremental investment envelope, reporting currency. `None`: no envelope, nothing funded.
    pub budget: Option<f64>,
    /// The metric that investment cases are ranked by.
    pub objective: Option<Objective>,
    pub method: Method,
    /// Team (as the settings name it) → the room's decision.
    pub decisions: BTreeMap<String, Decided>,
    /// Teams funded together or not at all: `[funding] together`, and with
    /// `s2_together` the owners of every shared goal.
    pub together: Vec<Vec<String>>,
    /// Org prefix → the incremental budget it may be funded at most.
    pub caps: BTreeMap<String, f64>,
    /// The incremental heads funded at most.
    pub headcount_cap: Option<f64>,
}

/// Why the objective cannot rank the round's investment cases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectiveError {
    /// The funding objective is no included team's metric.
    #[error(
        "the funding objective \"{objective}\" is not a metric of any team; the metrics are: {}",
        known.join(", ")
    )]
    Unknown {
        objective: String,
        known: Vec<String>,
    },
    /// The funding objective does not add up across teams.
    #[error(
        "the funding objective \"{objective}\" rolls up as \"{rollup}\", not as a sum: an ROI needs an objective you can add up across teams (revenue, customers, …); choose another metric"
    )]
    NotSummable {
        objective: String,
        /// The roll-up as a person reads it (`mean`, `weighted by Revenue`).
        rollup: String,
    },
}

impl FundingParams {
    /// The funding question of a round: `budget` and `objective` from the
    /// command line where given (`None` where not), else the settings'
    /// `[funding]`; the objective resolved against the `included` teams'
    /// metrics.
    ///
    /// # Errors
    /// [`ObjectiveError`] when no included team reports the objective, or
    /// it does not roll up as a sum (an ROI needs an objective that adds up).
    ///
    /// # Examples
    /// ```
    /// use op1::model::FundingParams;
    /// use op1::settings::Settings;
    ///
    /// // No envelope and no objective anywhere: nothing is funded.
    /// let params = FundingParams::decide((None, None), &Settings::default(), &[]).unwrap();
    /// assert_eq!(params.budget, None);
    /// assert!(params.objective.is_none());
    /// ```
    pub fn decide(
        (budget, objective): (Option<f64>, Option<&str>),
        settings: &Settings,
        included: &[&TeamWorkbook],
    ) -> Result<FundingParams, ObjectiveError> {
        let funding = &settings.funding;
        let mut together = funding.together.clone();
        if funding.s2_together {
            together.extend(shared_goal_owners(included));
        }
        let params = FundingParams {
            budget: budget.or(funding.budget),
            objective: None,
            method: funding.method,
            decisions: funding.decisions.clone(),
            together,
            caps: funding.caps.clone(),
            headcount_cap: funding.headcount_cap,
        };
        let Some(objective) = objective
            .map(str::to_string)
            .or_else(|| funding.objective.clone())
        else {
            return Ok(params);
        };
        let known: BTreeSet<&str> = included
            .iter()
            .flat_map(|wb| wb.metrics.iter().map(|m| m.name.value.as_str()))
            .collect();
        let Some(resolved) = Objective::resolve(&objective, known.iter().copied()) else {
            return Err(ObjectiveError::Unknown {
                objective,
                known: known.into_iter().map(str::to_string).collect(),
            });
        };
        // Ranked by uplift per unit of budget, so the objective must add up.
        let not_summed = included
            .iter()
            .flat_map(|wb| &wb.metrics)
            .filter(|m| normalise(&m.name.value) == resolved.key)
            .find(|m| m.rollup != Rollup::Sum)
            .map(|m| m.rollup.describe(m.weight.as_deref()));
        if let Some(rollup) = not_summed {
            return Err(ObjectiveError::NotSummable { objective, rollup });
        }
        Ok(FundingParams {
            objective: Some(resolved),
            ..params
        })
    }
}

/// The owners of every shared goal with two or more, each set once (in the
/// order first met): with `s2_together`, each is funded whole or not at all.
fn shared_goal_owners(included: &[&TeamWorkbook]) -> Vec<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut groups = Vec::new();
    for goal in included.iter().flat_map(|wb| &wb.goals) {
        let mut key: Vec<String> = goal.owner_list.iter().map(|o| normalise(o)).collect();
        key.sort();
        key.dedup();
        if key.len() >= 2 && seen.insert(key) {
            groups.push(goal.owner_list.clone());
        }
    }
    groups
}

/// The metric investment cases are ranked by, resolved once: the name as the
/// user gave it and the key it matches metrics by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Objective {
    /// As given in the settings or on the command line.
    pub name: String,
    /// The normalised name every metric is matched by (`metric_key`).
    pub key: String,
}

impl Objective {
    /// The objective named `name`, whether or not a team reports it.
    pub fn new(name: &str) -> Objective {
        Objective {
            name: name.to_string(),
            key: normalise(name),
        }
    }

    /// The objective named `name` if one of the `metrics` (as teams spell
    /// them) is that metric; `None` otherwise.
    pub fn resolve<'a>(
        name: &str,
        mut metrics: impl Iterator<Item = &'a str>,
    ) -> Option<Objective> {
        let objective = Objective::new(name);
        metrics
            .any(|m| normalise(m) == objective.key)
            .then_some(objective)
    }
}
