//! The wide table: the long table pivoted to one row per team × metric,
//! tracks as columns, with the cell of each value on the team's Plan sheet
//! (`source_row <Track>` and `source_col <Track>`; `source_blank` when a
//! blank Baseline was taken from LY Actual).

use super::expr::{firsts, reporting_unit, track_is, track_value};
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
    let mut aggs = firsts(&[
        "org",
        "unit",
        "unit_kind",
        "better",
        "rollup",
        "weight_key",
        "currency",
        "rate",
        "metric_order",
        "ly_hit",
    ]);
    aggs.push(
        col("source_blank")
            .filter(track_is(Track::Baseline))
            .first(),
    );
    for track in Track::ALL {
        let of_track = |column: &str| col(column).filter(track_is(track)).first();
        aggs.extend([
            track_value(track).first().alias(track.name()),
            of_track("value").alias(team_currency_value(track)),
            of_track("source_row").alias(source_row(track)),
            of_track("source_col").alias(source_col(track)),
            of_track("weight").alias(weight_of(track)),
        ]);
    }
    long.group_by([col("team"), col("metric_key")])
        .agg(aggs)
        .join(
            canonical.clone(),
            [col("metric_key")],
            [col("metric_key")],
            JoinArgs::new(JoinType::Left),
        )
        // A weighted metric names its weighting metric as the round spells it.
        .join(
            canonical.select([
                col("metric_key").alias("weight_key"),
                col("metric_name").alias("weight_name"),
            ]),
            [col("weight_key")],
            [col("weight_key")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(reporting_unit(reporting))
        .sort_by_exprs(
            [col("team"), col("metric_order")],
            SortMultipleOptions::default(),
        )
        .collect()
}

/// The wide table's column holding the row of a track's source cell.
pub(crate) fn source_row(track: Track) -> String {
    format!("source_row {}", track.name())
}

/// The wide table's column holding the column of a track's source cell.
pub(crate) fn source_col(track: Track) -> String {
    format!("source_col {}", track.name())
}

/// The wide table's column holding the weight of a weighted metric's track
/// value (the weighting metric's value for the same team and track).
pub(crate) fn weight_of(track: Track) -> String {
    format!("weight {}", track.name())
}

/// The wide table's column holding a track's value in the team's currency.
pub(crate) fn team_currency_value(track: Track) -> String {
    format!("{} (team currency)", track.name())
}
