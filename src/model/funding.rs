//! The funded portfolio: investment cases ranked by return on the objective,
//! then funded greedily within the budget envelope.

use super::expr::{better_is, track_value};
use super::portfolio::{self, Why};
use super::{floats, strings, FundingParams};
use crate::finding::{Finding, Rule};
use crate::model::schema;
use crate::plan::{Better, Track};
use crate::settings::Decided;
use polars::prelude::*;

/// The resource rows a case is funded and staffed with (`resource_key`).
const BUDGET_KEY: &str = "budget";
const HEADCOUNT_KEY: &str = "headcount";

/// How much the envelope may be overrun by float noise and still fit.
const ENVELOPE_SLACK: f64 = 1e-6;

/// Ranks the investment cases and funds them greedily within the envelope.
pub(super) fn funding(
    long: LazyFrame,
    resources: LazyFrame,
    params: &FundingParams,
    findings: &mut Vec<Finding>,
) -> PolarsResult<(DataFrame, portfolio::Uplift)> {
    let resource_delta = |key: &str, alias: &str| {
        resources
            .clone()
            .filter(col(schema::RESOURCE_KEY).eq(lit(key)))
            .group_by([col(schema::TEAM)])
            .agg([(col("Investment").sum() - col("Flat").sum()).alias(alias)])
    };
    let objective_key = params
        .objective
        .as_ref()
        .map(|o| o.key.as_str())
        .unwrap_or_default();
    let uplift = long
        .clone()
        .filter(col(schema::METRIC_KEY).eq(lit(objective_key)))
        .group_by([col(schema::TEAM)])
        .agg([
            track_value(Track::Flat).sum().alias("objective_flat"),
            track_value(Track::Investment)
                .sum()
                .alias("objective_investment"),
            col(schema::BETTER).first(),
        ])
        .with_column(
            ((col("objective_investment") - col("objective_flat"))
                * when(better_is(Better::Lower))
                    .then(lit(-1.0))
                    .otherwise(lit(1.0)))
            .alias(schema::UPLIFT),
        )
        .select([col(schema::TEAM), col(schema::UPLIFT)]);
    let teams = long
        .group_by([col(schema::TEAM)])
        .agg([col(schema::ORG).first()]);
    let ranked = teams
        .join(
            resource_delta(BUDGET_KEY, schema::INCREMENTAL_BUDGET),
            [col(schema::TEAM)],
            [col(schema::TEAM)],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            resource_delta(HEADCOUNT_KEY, schema::INCREMENTAL_HEADCOUNT),
            [col(schema::TEAM)],
            [col(schema::TEAM)],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            uplift,
            [col(schema::TEAM)],
            [col(schema::TEAM)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col(schema::INCREMENTAL_BUDGET).gt(lit(0.0)))
                .then(col(schema::UPLIFT) / col(schema::INCREMENTAL_BUDGET))
                .otherwise(lit(Null {}))
                .alias(schema::ROI),
        )
        .sort_by_exprs(
            [col(schema::ROI), col(schema::TEAM)],
            SortMultipleOptions::default()
                .with_order_descending_multi([true, false])
                .with_nulls_last(true),
        )
        .collect()?;
    let (decisions, uplift) = allocate(&ranked, params, findings)?;
    let objective = params.objective.as_ref().map(|o| o.name.as_str());
    let reasons: Vec<String> = decisions.iter().map(|d| d.why(objective)).collect();
    for ((team, decision), reason) in strings(&ranked, schema::TEAM)?
        .iter()
        .zip(&decisions)
        .zip(&reasons)
    {
        if decision.not_a_case() {
            findings.push(
                Finding::new(
                    Rule::FundingCase,
                    format!("{team} is not a funding case: {reason}"),
                )
                .team(team.clone()),
            );
        }
    }
    let funded: Vec<bool> = decisions.iter().map(Decision::is_funded).collect();
    let fraction: Vec<f64> = decisions.iter().map(Decision::fraction).collect();
    let decided: Vec<String> = strings(&ranked, schema::TEAM)?
        .iter()
        .map(|team| decided_for(team, params).map_or(String::new(), Decided::label))
        .collect();
    let n = ranked.height() as u32;
    let mut out = ranked;
    out.with_column(Column::new(schema::FUNDED.into(), funded))?;
    out.with_column(Column::new(schema::DECISION.into(), decided))?;
    out.with_column(Column::new(schema::FRACTION.into(), fraction))?;
    out.with_column(Column::new(schema::WHY.into(), reasons))?;
    out.with_column(Column::new(
        schema::RANK.into(),
        (1..=n).collect::<Vec<u32>>(),
    ))?;
    let frame = out
        .lazy()
        .with_column(
            // A case funded whole spends its budget (× 1, exactly); a
            // share decided in the room, that share of it.
            when(col(schema::FUNDED))
                .then(col(schema::INCREMENTAL_BUDGET) * col(schema::FRACTION))
                .otherwise(lit(0.0))
                .cum_sum(false)
                .alias("funded_spend"),
        )
        .with_column(
            col(schema::INCREMENTAL_BUDGET)
                .fill_null(lit(0.0))
                .cum_sum(false)
                .alias(schema::CUMULATIVE_BUDGET),
        )
        .select([
            col(schema::RANK),
            col(schema::TEAM),
            col(schema::ORG),
            col(schema::INCREMENTAL_BUDGET),
            col(schema::INCREMENTAL_HEADCOUNT),
            col(schema::UPLIFT),
            col(schema::ROI),
            col(schema::CUMULATIVE_BUDGET),
            col(schema::FUNDED),
            col("funded_spend").alias(schema::CUMULATIVE_FUNDED),
            col(schema::DECISION),
            col(schema::FRACTION),
            col(schema::WHY),
            col("funded_spend"),
        ])
        .collect()?;
    Ok((frame, uplift))
}

/// What the allocation decided for one case, and why.
#[derive(Clone, Debug, PartialEq)]
enum Decision {
    NoBudgetRow,
    NoIncrementalBudget,
    NoObjectiveSet,
    NoObjectiveMetric,
    NoUplift,
    NoEnvelope,
    /// A case: funded or not (and what share of it), why, and the teams
    /// it is grouped with.
    Chosen {
        fraction: f64,
        why: Why,
        partners: Vec<String>,
        proven: bool,
    },
}

impl Decision {
    fn is_funded(&self) -> bool {
        self.fraction() > 0.0
    }

    /// The share of the case funded: 1, 0, or a fraction decided in the room.
    fn fraction(&self) -> f64 {
        match self {
            Decision::Chosen { fraction, .. } => *fraction,
            _ => 0.0,
        }
    }

    /// Whether the team cannot be a funding case at all (a `funding-case` finding).
    fn not_a_case(&self) -> bool {
        matches!(
            self,
            Decision::NoBudgetRow | Decision::NoIncrementalBudget | Decision::NoObjectiveMetric
        )
    }

    /// Why, as the Funding table says it.
    fn why(&self, objective: Option<&str>) -> String {
        match self {
            Decision::NoBudgetRow => "no incremental budget (no Budget row)".into(),
            Decision::NoIncrementalBudget => {
                "no incremental budget: Investment asks for no more budget than Flat".into()
            }
            Decision::NoObjectiveSet => {
                "no objective set ([funding] objective or --objective)".into()
            }
            Decision::NoObjectiveMetric => format!(
                "the team has no objective metric \"{}\"",
                objective.unwrap_or("")
            ),
            Decision::NoUplift => "no uplift on the objective".into(),
            Decision::NoEnvelope => "no envelope set ([funding] budget or --budget)".into(),
            Decision::Chosen {
                why,
                partners,
                proven,
                ..
            } => {
                let mut text = match why {
                    Why::RankedFits => "funded".to_string(),
                    Why::InBestSet => "funded: in the set with the most uplift".into(),
                    Why::Decided(Decided::Fund) => "funded: decided in the room".into(),
                    Why::Decided(Decided::Cut) => "cut: decided in the room".into(),
                    Why::Decided(Decided::Fraction(f)) => format!(
                        "{} of the case funded: decided in the room",
                        crate::text::fmt_ratio(*f)
                    ),
                    Why::DoesNotFit => "does not fit the remaining envelope".into(),
                    Why::CapReached(org) => format!("{org}'s budget cap is reached"),
                    Why::HeadcountCap => "the headcount cap is reached".into(),
                    Why::NotInBestSet => {
                        "fits, but the set with the most uplift leaves it out".into()
                    }
                };
                if !partners.is_empty() {
                    text.push_str(&format!(" (together with {})", partners.join(", ")));
                }
                if !proven && matches!(why, Why::InBestSet | Why::NotInBestSet) {
                    text.push_str(
                        "; the search for the best set stopped at its bound: the best found, not proven the best",
                    );
                }
                text
            }
        }
    }
}

/// The room's decision for `team`, if the settings name it.
fn decided_for(team: &str, params: &FundingParams) -> Option<Decided> {
    let key = crate::names::normalise(team);
    params
        .decisions
        .iter()
        .find(|(name, _)| crate::names::normalise(name) == key)
        .map(|(_, d)| *d)
}

/// Why a team is not a case at all, or `None` when it is one.
fn not_a_case(
    budget: Option<f64>,
    uplift: Option<f64>,
    params: &FundingParams,
) -> Option<Decision> {
    Some(match (budget, uplift) {
        (None, _) => Decision::NoBudgetRow,
        (Some(b), _) if b <= 0.0 => Decision::NoIncrementalBudget,
        (_, None) if params.objective.is_none() => Decision::NoObjectiveSet,
        (_, None) => Decision::NoObjectiveMetric,
        (_, Some(u)) if u <= 0.0 => Decision::NoUplift,
        _ if params.budget.is_none() => Decision::NoEnvelope,
        _ => return None,
    })
}

/// Which cases are funded: the teams that are cases handed to the
/// portfolio choice ([`portfolio::choose`]) with the room's decisions,
/// groups and caps; the others say why they are not cases. A name in the
/// settings that is no case is a `funding-unknown` finding, decisions that
/// alone spend past the envelope a `decisions-over-envelope` one.
fn allocate(
    ranked: &DataFrame,
    params: &FundingParams,
    findings: &mut Vec<Finding>,
) -> PolarsResult<(Vec<Decision>, portfolio::Uplift)> {
    let teams = strings(ranked, schema::TEAM)?;
    let orgs = strings(ranked, schema::ORG)?;
    let budgets = floats(ranked, schema::INCREMENTAL_BUDGET)?;
    let heads = floats(ranked, schema::INCREMENTAL_HEADCOUNT)?;
    let uplifts = floats(ranked, schema::UPLIFT)?;
    let mut decisions: Vec<Option<Decision>> = (0..teams.len())
        .map(|i| not_a_case(budgets[i], uplifts[i], params))
        .collect();
    let case_rows: Vec<usize> = (0..teams.len())
        .filter(|&i| decisions[i].is_none())
        .collect();
    let cases: Vec<portfolio::Case> = case_rows
        .iter()
        .map(|&i| portfolio::Case {
            team: teams[i].clone(),
            org: orgs[i].clone(),
            cost: budgets[i].unwrap_or(0.0),
            heads: heads[i].unwrap_or(0.0).max(0.0),
            uplift: uplifts[i].unwrap_or(0.0),
        })
        .collect();
    let limits = limits(&cases, &teams, params, findings);
    let choice = portfolio::choose(&cases, &limits, params.method);
    if choice.forced_excess > ENVELOPE_SLACK {
        findings.push(Finding::new(
            Rule::DecisionsOverEnvelope,
            format!(
                "the cases decided \"fund\" in the room spend {} more than the envelope of {}: raise the envelope, or cut a decided case",
                crate::text::fmt_amount(choice.forced_excess),
                crate::text::fmt_amount(limits.envelope),
            ),
        ));
    }
    for (c, &row) in case_rows.iter().enumerate() {
        decisions[row] = Some(Decision::Chosen {
            fraction: choice.fraction[c],
            why: choice.why[c].clone(),
            partners: choice.partners[c].clone(),
            proven: choice.proven,
        });
    }
    let uplift = portfolio::Uplift {
        chosen: choice.uplift,
        ranked: choice.ranked_uplift,
    };
    Ok((decisions.into_iter().flatten().collect(), uplift))
}

/// The limits of the choice by case index: the envelope, the caps, the
/// headcount cap, the decisions and the groups, each name resolved to a
/// case; a name that is no case is a `funding-unknown` finding.
fn limits(
    cases: &[portfolio::Case],
    teams: &[String],
    params: &FundingParams,
    findings: &mut Vec<Finding>,
) -> portfolio::Limits {
    let index: std::collections::BTreeMap<String, usize> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| (crate::names::normalise(&c.team), i))
        .collect();
    let is_team = |name: &str| {
        teams
            .iter()
            .any(|t| crate::names::normalise(t) == crate::names::normalise(name))
    };
    let mut unknown = |name: &str, what: &str| {
        let is_team = is_team(name);
        let known: Vec<&str> = teams.iter().map(String::as_str).collect();
        let hint = crate::names::closest(name, known)
            .map(|n| format!(" (did you mean {n}?)"))
            .unwrap_or_default();
        let message = match is_team {
            true => format!("{what} names \"{name}\", which is not a funding case (its row in the Funding table says why): it changes nothing"),
            false => format!("{what} names \"{name}\", which is no team of the round{hint}: it changes nothing; write the team's name as its Team sheet has it"),
        };
        findings.push(Finding::new(Rule::FundingUnknown, message));
    };
    let mut decided = std::collections::BTreeMap::new();
    for (name, d) in &params.decisions {
        match index.get(&crate::names::normalise(name)) {
            Some(&i) => {
                decided.insert(i, *d);
            }
            None => unknown(name, "[funding.decisions]"),
        }
    }
    let mut groups = Vec::new();
    for group in &params.together {
        let members: Vec<usize> = group
            .iter()
            .filter_map(|name| match index.get(&crate::names::normalise(name)) {
                Some(&i) => Some(i),
                // A team that is no case constrains nothing; a name that
                // is no team at all is said.
                None => {
                    if !is_team(name) {
                        unknown(name, "a group funded together");
                    }
                    None
                }
            })
            .collect();
        if members.len() >= 2 {
            groups.push(members);
        }
    }
    for org in params.caps.keys() {
        if !cases.iter().any(|c| portfolio::org_under(&c.org, org)) {
            findings.push(Finding::new(
                Rule::FundingUnknown,
                format!("[funding.caps] names \"{org}\", which no funding case's org path starts with: the cap changes nothing; name an org as the Team sheets' Org paths begin"),
            ));
        }
    }
    portfolio::Limits {
        envelope: params.budget.unwrap_or(0.0),
        caps: params.caps.clone(),
        headcount_cap: params.headcount_cap,
        decided,
        groups,
    }
}
