//! Variances on the long table: Δ vs LY Actual, Δ vs Baseline, favourable and LY hit.

use super::expr::{better_is, track_is};
use crate::model::schema;
use crate::plan::{Better, Track};
use polars::prelude::*;

/// Δ vs LY Actual (absolute and %), Δ vs Baseline, favourable, LY hit.
pub(super) fn variances(long: LazyFrame) -> LazyFrame {
    let per_metric = |track: Track, alias: &str| {
        long.clone().filter(track_is(track)).select([
            col(schema::TEAM),
            col(schema::METRIC_KEY),
            col(schema::VALUE_REPORTING).alias(alias),
        ])
    };
    let keys = [col(schema::TEAM), col(schema::METRIC_KEY)];
    let direction = when(better_is(Better::Lower))
        .then(lit(-1.0))
        .otherwise(lit(1.0));
    long.clone()
        .join(
            per_metric(Track::LyActual, schema::LY_ACTUAL),
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
            (col(schema::VALUE_REPORTING) - col(schema::LY_ACTUAL)).alias(schema::DELTA_VS_LY),
            when(col(schema::LY_ACTUAL).neq(lit(0.0)))
                .then(
                    (col(schema::VALUE_REPORTING) - col(schema::LY_ACTUAL))
                        / col(schema::LY_ACTUAL).abs(),
                )
                .otherwise(lit(Null {}))
                .alias(schema::DELTA_VS_LY_PCT),
            (col(schema::VALUE_REPORTING) - col("baseline")).alias(schema::DELTA_VS_BASELINE),
            ((col(schema::VALUE_REPORTING) - col(schema::LY_ACTUAL)) * direction.clone())
                .gt_eq(lit(0.0))
                .alias(schema::FAVOURABLE),
            ((col(schema::LY_ACTUAL) - col("ly_target")) * direction)
                .gt_eq(lit(0.0))
                .alias(schema::LY_HIT),
        ])
        .drop(cols([schema::LY_ACTUAL, "baseline", "ly_target"]))
}
