//! The wide table: the long table pivoted to one row per team × metric,
//! tracks as columns.

use crate::plan::Track;
use polars::prelude::*;

/// Pivots the long table to one row per team × metric, tracks as columns.
pub(super) fn wide(long: LazyFrame, reporting: &str) -> PolarsResult<DataFrame> {
    // The canonical name of a metric: its spelling in the first team, by name.
    let canonical = long
        .clone()
        .sort(["team"], SortMultipleOptions::default())
        .group_by([col("metric_key")])
        .agg([
            col("metric").first().alias("metric_name"),
            col("metric_order").min().alias("round_order"),
        ]);
    let mut aggs = vec![
        col("org").first(),
        col("unit").first(),
        col("unit_kind").first(),
        col("better").first(),
        col("rollup").first(),
        col("currency").first(),
        col("rate").first(),
        col("metric_order").first(),
        col("ly_hit").first(),
    ];
    for track in Track::ALL {
        let this = col("track").eq(lit(track.name()));
        aggs.push(
            col("value_reporting")
                .filter(this.clone())
                .first()
                .alias(track.name()),
        );
        aggs.push(
            col("value")
                .filter(this.clone())
                .first()
                .alias(format!("{} (team currency)", track.name())),
        );
        aggs.push(
            col("source")
                .filter(this)
                .first()
                .alias(format!("source {}", track.name())),
        );
    }
    long.group_by([col("team"), col("metric_key")])
        .agg(aggs)
        .join(
            canonical,
            [col("metric_key")],
            [col("metric_key")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("unit_kind").eq(lit("money")))
                .then(lit(reporting))
                .otherwise(col("unit"))
                .alias("unit"),
        )
        .sort_by_exprs(
            [col("team"), col("metric_order")],
            SortMultipleOptions::default(),
        )
        .collect()
}
