//! Resources at a checkpoint: headcount at the quarter's end and money spent
//! to date against the approved plan, with the spend's plan-paced projection
//! and whether the team is over-committed.

use super::metrics::Q;
use crate::model::schema;
use crate::names::normalise;
use crate::plan::TeamWorkbook;
use crate::settings::Settings;
use polars::lazy::dsl;
use polars::prelude::*;

/// One row per team × resource: `approved` (the Funded amount, reporting
/// currency for money), `actual` (heads at quarter `n`'s end, or the money
/// spent to date), `projection` (heads: the latest; money: paced to the
/// approved plan) and `overcommitted`.
pub(super) fn resources(
    workbooks: &[&TeamWorkbook],
    settings: &Settings,
    approved: &DataFrame,
    n: usize,
) -> PolarsResult<DataFrame> {
    let n = n.clamp(1, 4);
    let (mut team, mut resource, mut key, mut heads, mut rate) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut q: [Vec<Option<f64>>; 4] = Default::default();
    for wb in workbooks {
        let currency = wb.currency_or(&settings.reporting_currency);
        for r in &wb.resources {
            team.push(wb.name().to_string());
            resource.push(r.name.value.clone());
            key.push(normalise(&r.name.value));
            heads.push(r.is_headcount());
            rate.push(if r.is_headcount() {
                Some(1.0)
            } else {
                settings.rate(currency)
            });
            for (i, v) in r.quarters.iter().enumerate() {
                q[i].push(v.as_ref().map(|v| v.value));
            }
        }
    }
    let [q1, q2, q3, q4] = q;
    let df = df!(
        schema::TEAM => team, schema::RESOURCE => resource, schema::RESOURCE_KEY => key, "heads" => heads,
        schema::RATE => rate, "q1" => q1, "q2" => q2, "q3" => q3, "q4" => q4,
    )?;
    let to_date: Vec<Expr> = Q[..n].iter().map(|c| col(*c) * col(schema::RATE)).collect();
    let spent = dsl::sum_horizontal(to_date, true)?;
    let share = n as f64 / 4.0;
    let tolerance = 1.0 + settings.checkpoint.green_within;
    df.lazy()
        .join(
            approved.clone().lazy(),
            [col(schema::TEAM), col(schema::RESOURCE_KEY)],
            [col(schema::TEAM), col(schema::RESOURCE_KEY)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("heads"))
                .then(col(Q[n - 1]))
                .otherwise(spent)
                .alias("actual"),
        )
        .with_column(
            when(col("heads"))
                .then(col("actual"))
                .otherwise(col("actual") / lit(share))
                .alias("projection"),
        )
        .with_column(
            when(col("heads"))
                .then(col("actual").gt(col("approved")))
                .otherwise(col("projection").gt(col("approved") * lit(tolerance)))
                .fill_null(lit(false))
                .alias("overcommitted"),
        )
        .collect()
}
