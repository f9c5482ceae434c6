//! The wide table: the long table pivoted to one row per team × metric,
//! tracks as columns, with the cell of each value (`source_file`,
//! `source_sheet`, then `source_row <Track>` and `source_col <Track>`;
//! `source_blank` when a blank Baseline was taken from LY Actual).

use super::expr::{reporting_unit, track_is};
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
        col("source_file").first(),
        col("source_sheet").first(),
        col("source_blank")
            .filter(track_is(Track::Baseline))
            .first(),
    ];
    for track in Track::ALL {
        let this = track_is(track);
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
                .alias(team_currency_value(track)),
        );
        aggs.push(
            col("source_row")
                .filter(this.clone())
                .first()
                .alias(source_row(track)),
        );
        aggs.push(
            col("source_col")
                .filter(this)
                .first()
                .alias(source_col(track)),
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

/// The wide table's column holding a track's value in the team's currency.
pub(crate) fn team_currency_value(track: Track) -> String {
    format!("{} (team currency)", track.name())
}
