//! Variances on the long table: Δ vs LY Actual, Δ vs Baseline, favourable and LY hit.

use super::expr::{better_is, track_is};
use crate::plan::{Better, Track};
use polars::prelude::*;

/// Δ vs LY Actual (absolute and %), Δ vs Baseline, favourable, LY hit.
pub(super) fn variances(long: LazyFrame) -> LazyFrame {
    let per_metric = |track: Track, alias: &str| {
        long.clone().filter(track_is(track)).select([
            col("team"),
            col("metric_key"),
            col("value_reporting").alias(alias),
        ])
    };
    let keys = [col("team"), col("metric_key")];
    let direction = when(better_is(Better::Lower))
        .then(lit(-1.0))
        .otherwise(lit(1.0));
    long.clone()
        .join(
            per_metric(Track::LyActual, "ly_actual"),
            keys.clone(),
            keys.clone(),
            JoinArgs::new(JoinType::Left),
        )
        .join(
            per_metric(Track::Baseline, "baseline"),
            keys.clone(),
            keys.clone(),
            JoinArgs::new(JoinType::Left),
        )
        .join(
            per_metric(Track::LyTarget, "ly_target"),
            keys.clone(),
            keys,
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            (col("value_reporting") - col("ly_actual")).alias("delta_vs_ly"),
            when(col("ly_actual").neq(lit(0.0)))
                .then((col("value_reporting") - col("ly_actual")) / col("ly_actual").abs())
                .otherwise(lit(Null {}))
                .alias("delta_vs_ly_pct"),
            (col("value_reporting") - col("baseline")).alias("delta_vs_baseline"),
            ((col("value_reporting") - col("ly_actual")) * direction.clone())
                .gt_eq(lit(0.0))
                .alias("favourable"),
            ((col("ly_actual") - col("ly_target")) * direction)
                .gt_eq(lit(0.0))
                .alias("ly_hit"),
        ])
        .drop(cols(["ly_actual", "baseline", "ly_target"]))
}
