//! The funded portfolio: investment cases ranked by return on the objective,
//! then funded greedily within the budget envelope.

use super::expr::{better_is, track_value};
use super::{floats, strings, FundingParams};
use crate::finding::{Finding, Rule};
use crate::model::schema;
use crate::plan::{Better, Track};
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
) -> PolarsResult<DataFrame> {
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
    let decisions = allocate(&ranked, params)?;
    let objective = params.objective.as_ref().map(|o| o.name.as_str());
    let reasons: Vec<String> = decisions.iter().map(|d| d.reason(objective)).collect();
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
    let funded: Vec<bool> = decisions.iter().map(|d| *d == Decision::Funded).collect();
    let n = ranked.height() as u32;
    let mut out = ranked;
    out.with_column(Column::new(schema::FUNDED.into(), funded))?;
    out.with_column(Column::new(schema::REASON.into(), reasons))?;
    out.with_column(Column::new(
        schema::RANK.into(),
        (1..=n).collect::<Vec<u32>>(),
    ))?;
    out.lazy()
        .with_column(
            when(col(schema::FUNDED))
                .then(col(schema::INCREMENTAL_BUDGET))
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
            col(schema::REASON),
            col("funded_spend"),
        ])
        .collect()
}

/// What the allocation decided for one case, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decision {
    Funded,
    NoBudgetRow,
    NoIncrementalBudget,
    NoObjectiveSet,
    NoObjectiveMetric,
    NoUplift,
    NoEnvelope,
    DoesNotFit,
}

impl Decision {
    /// Whether the team cannot be a funding case at all (a `funding-case` finding).
    fn not_a_case(self) -> bool {
        matches!(
            self,
            Decision::NoBudgetRow | Decision::NoIncrementalBudget | Decision::NoObjectiveMetric
        )
    }

    /// The reason shown in the Funding table.
    fn reason(self, objective: Option<&str>) -> String {
        match self {
            Decision::Funded => "funded".into(),
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
            Decision::DoesNotFit => "does not fit the remaining envelope".into(),
        }
    }
}

/// The greedy walk down the ranking: each case is funded if it still fits
/// what is left of the envelope, else skipped. It is inherently sequential
/// (each decision depends on the ones before), so it is a loop over the
/// ranked frame's columns rather than an expression.
fn allocate(ranked: &DataFrame, params: &FundingParams) -> PolarsResult<Vec<Decision>> {
    let budgets = floats(ranked, schema::INCREMENTAL_BUDGET)?;
    let uplifts = floats(ranked, schema::UPLIFT)?;
    let mut left = params.budget.unwrap_or(0.0);
    let mut decisions = Vec::with_capacity(budgets.len());
    for (budget, uplift) in budgets.iter().zip(&uplifts) {
        let decision = match (budget, uplift) {
            (None, _) => Decision::NoBudgetRow,
            (Some(b), _) if *b <= 0.0 => Decision::NoIncrementalBudget,
            (_, None) if params.objective.is_none() => Decision::NoObjectiveSet,
            (_, None) => Decision::NoObjectiveMetric,
            (_, Some(u)) if *u <= 0.0 => Decision::NoUplift,
            _ if params.budget.is_none() => Decision::NoEnvelope,
            (Some(b), Some(_)) if *b <= left + ENVELOPE_SLACK => {
                left -= b;
                Decision::Funded
            }
            _ => Decision::DoesNotFit,
        };
        decisions.push(decision);
    }
    Ok(decisions)
}
