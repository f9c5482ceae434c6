//! The wide table: the long table pivoted to one row per team × metric,
//! tracks as columns, with the cell of each value on the team's Plan sheet
//! (`source_row <Track>` and `source_col <Track>`; `source_blank` when a
//! blank Baseline was taken from LY Actual).

use super::expr::{firsts, reporting_unit, track_is, track_value};
use crate::model::schema::{self, source_col, source_row, team_currency_value, weight_of};
use crate::plan::Track;
use polars::prelude::*;

/// Pivots the long table to one row per team × metric, tracks as columns.
pub(super) fn wide(long: LazyFrame, reporting: &str) -> PolarsResult<DataFrame> {
    // The canonical name of a metric: its spelling in the first team, by name.
    let canonical = long
        .clone()
        .sort([schema::TEAM], SortMultipleOptions::default())
        .group_by([col(schema::METRIC_KEY)])
        .agg([
            col(schema::METRIC).first().alias(schema::METRIC_NAME),
            col(schema::METRIC_ORDER).min().alias(schema::ROUND_ORDER),
        ]);
    let mut aggs = firsts(&[
        schema::ORG,
        schema::UNIT,
        schema::UNIT_KIND,
        schema::BETTER,
        schema::ROLLUP_HOW,
        schema::WEIGHT_KEY,
        schema::CURRENCY,
        schema::RATE,
        schema::METRIC_ORDER,
        schema::LY_HIT,
    ]);
    aggs.push(
        col(schema::SOURCE_BLANK)
            .filter(track_is(Track::Baseline))
            .first(),
    );
    for track in Track::ALL {
        let of_track = |column: &str| col(column).filter(track_is(track)).first();
        aggs.extend([
            track_value(track).first().alias(track.name()),
            of_track(schema::VALUE).alias(team_currency_value(track)),
            of_track(schema::SOURCE_ROW).alias(source_row(track)),
            of_track(schema::SOURCE_COL).alias(source_col(track)),
            of_track(schema::WEIGHT).alias(weight_of(track)),
        ]);
    }
    long.group_by([col(schema::TEAM), col(schema::METRIC_KEY)])
        .agg(aggs)
        .join(
            canonical.clone(),
            [col(schema::METRIC_KEY)],
            [col(schema::METRIC_KEY)],
            JoinArgs::new(JoinType::Left),
        )
        // A weighted metric names its weighting metric as the round spells it.
        .join(
            canonical.select([
                col(schema::METRIC_KEY).alias(schema::WEIGHT_KEY),
                col(schema::METRIC_NAME).alias(schema::WEIGHT_NAME),
            ]),
            [col(schema::WEIGHT_KEY)],
            [col(schema::WEIGHT_KEY)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(reporting_unit(reporting))
        .sort_by_exprs(
            [col(schema::TEAM), col(schema::METRIC_ORDER)],
            SortMultipleOptions::default(),
        )
        .collect()
}
