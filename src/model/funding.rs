//! The funded portfolio: investment cases ranked by return on the objective,
//! then funded greedily within the budget envelope.

use super::expr::{better_is, track_value};
use super::{floats, strings, FundingParams};
use crate::finding::{Finding, Rule};
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
            .filter(col("resource_key").eq(lit(key)))
            .group_by([col("team")])
            .agg([(col("Investment").sum() - col("Flat").sum()).alias(alias)])
    };
    let objective_key = params
        .objective
        .as_ref()
        .map(|o| o.key.as_str())
        .unwrap_or_default();
    let uplift = long
        .clone()
        .filter(col("metric_key").eq(lit(objective_key)))
        .group_by([col("team")])
        .agg([
            track_value(Track::Flat).sum().alias("objective_flat"),
            track_value(Track::Investment)
                .sum()
                .alias("objective_investment"),
            col("better").first(),
        ])
        .with_column(
            ((col("objective_investment") - col("objective_flat"))
                * when(better_is(Better::Lower))
                    .then(lit(-1.0))
                    .otherwise(lit(1.0)))
            .alias("uplift"),
        )
        .select([col("team"), col("uplift")]);
    let teams = long.group_by([col("team")]).agg([col("org").first()]);
    let ranked = teams
        .join(
            resource_delta(BUDGET_KEY, "incremental_budget"),
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            resource_delta(HEADCOUNT_KEY, "incremental_headcount"),
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            uplift,
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("incremental_budget").gt(lit(0.0)))
                .then(col("uplift") / col("incremental_budget"))
                .otherwise(lit(Null {}))
                .alias("roi"),
        )
        .sort_by_exprs(
            [col("roi"), col("team")],
            SortMultipleOptions::default()
                .with_order_descending_multi([true, false])
                .with_nulls_last(true),
        )
        .collect()?;
    let decisions = allocate(&ranked, params)?;
    let objective = params.objective.as_ref().map(|o| o.name.as_str());
    let reasons: Vec<String> = decisions.iter().map(|d| d.reason(objective)).collect();
    for ((team, decision), reason) in strings(&ranked, "team")?
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
    out.with_column(Column::new("funded".into(), funded))?;
    out.with_column(Column::new("reason".into(), reasons))?;
    out.with_column(Column::new("rank".into(), (1..=n).collect::<Vec<u32>>()))?;
    out.lazy()
        .with_column(
            when(col("funded"))
                .then(col("incremental_budget"))
                .otherwise(lit(0.0))
                .cum_sum(false)
                .alias("funded_spend"),
        )
        .with_column(
            col("incremental_budget")
                .fill_null(lit(0.0))
                .cum_sum(false)
                .alias("cumulative_budget"),
        )
        .select([
            col("rank"),
            col("team"),
            col("org"),
            col("incremental_budget"),
            col("incremental_headcount"),
            col("uplift"),
            col("roi"),
            col("cumulative_budget"),
            col("funded"),
            col("funded_spend").alias("cumulative_funded"),
            col("reason"),
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
    let budgets = floats(ranked, "incremental_budget")?;
    let uplifts = floats(ranked, "uplift")?;
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
