//! The funded portfolio: investment cases ranked by return on the objective,
//! then funded greedily within the budget envelope.

use super::{floats, strings, FundingParams};
use crate::finding::{Finding, Rule};
use crate::read::parse::normalise;
use polars::prelude::*;

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
        .as_deref()
        .map(normalise)
        .unwrap_or_default();
    let uplift = long
        .clone()
        .filter(col("metric_key").eq(lit(objective_key.as_str())))
        .group_by([col("team")])
        .agg([
            col("value_reporting")
                .filter(col("track").eq(lit("Flat")))
                .sum()
                .alias("objective_flat"),
            col("value_reporting")
                .filter(col("track").eq(lit("Investment")))
                .sum()
                .alias("objective_investment"),
            col("better").first(),
        ])
        .with_column(
            ((col("objective_investment") - col("objective_flat"))
                * when(col("better").eq(lit("lower")))
                    .then(lit(-1.0))
                    .otherwise(lit(1.0)))
            .alias("uplift"),
        )
        .select([col("team"), col("uplift")]);
    let teams = long.group_by([col("team")]).agg([col("org").first()]);
    let ranked = teams
        .join(
            resource_delta("budget", "incremental_budget"),
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            resource_delta("headcount", "incremental_headcount"),
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
    let (funded, reasons) = allocate(&ranked, params)?;
    for (team, reason) in strings(&ranked, "team")?.iter().zip(&reasons) {
        if reason.starts_with("no incremental budget")
            || reason.starts_with("the team has no objective")
        {
            findings.push(
                Finding::new(
                    Rule::FundingCase,
                    format!("{team} is not a funding case: {reason}"),
                )
                .team(team.clone()),
            );
        }
    }
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

/// The greedy walk down the ranking: each case is funded if it still fits
/// what is left of the envelope, else skipped. It is inherently sequential
/// (each decision depends on the ones before), so it is a loop over the
/// ranked frame's columns rather than an expression.
fn allocate(ranked: &DataFrame, params: &FundingParams) -> PolarsResult<(Vec<bool>, Vec<String>)> {
    let budgets = floats(ranked, "incremental_budget")?;
    let uplifts = floats(ranked, "uplift")?;
    let mut left = params.budget.unwrap_or(0.0);
    let mut funded = Vec::with_capacity(budgets.len());
    let mut reasons = Vec::with_capacity(budgets.len());
    for (budget, uplift) in budgets.iter().zip(&uplifts) {
        let (ok, reason) = match (budget, uplift) {
            (None, _) => (false, "no incremental budget (no Budget row)".to_string()),
            (Some(b), _) if *b <= 0.0 => (
                false,
                "no incremental budget: Investment asks for no more budget than Flat".to_string(),
            ),
            (_, None) if params.objective.is_none() => (
                false,
                "no objective set ([funding] objective or --objective)".to_string(),
            ),
            (_, None) => (
                false,
                format!(
                    "the team has no objective metric \"{}\"",
                    params.objective.as_deref().unwrap_or("")
                ),
            ),
            (_, Some(u)) if *u <= 0.0 => (false, "no uplift on the objective".to_string()),
            _ if params.budget.is_none() => (
                false,
                "no envelope set ([funding] budget or --budget)".to_string(),
            ),
            (Some(b), Some(_)) if *b <= left + 1e-6 => {
                left -= b;
                (true, "funded".to_string())
            }
            _ => (false, "does not fit the remaining envelope".to_string()),
        };
        funded.push(ok);
        reasons.push(reason);
    }
    Ok((funded, reasons))
}
