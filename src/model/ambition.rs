//! The 10× ambition gap: the multiple each team's Investment case implies
//! over LY Actual against the multiple the ambition needs.

use super::expr::{better_is, firsts, reporting_unit, track_value, unit_kind_is};
use super::needed_yearly_multiple;
use crate::plan::{Better, Track, UnitKind};
use crate::settings::Settings;
use polars::prelude::*;

pub(super) fn ambition(long: LazyFrame, settings: &Settings) -> PolarsResult<DataFrame> {
    let needed = needed_yearly_multiple(settings);
    let reporting = settings.reporting_currency.as_str();
    long.with_column(reporting_unit(reporting))
        .filter(
            better_is(Better::Higher)
                .and(unit_kind_is(UnitKind::Money).or(unit_kind_is(UnitKind::Other))),
        )
        .group_by([col("team"), col("org"), col("metric_key")])
        .agg(
            [
                firsts(&["metric", "unit", "unit_kind", "metric_order"]),
                vec![
                    track_value(Track::LyActual).first().alias("ly_actual"),
                    track_value(Track::Investment).first().alias("investment"),
                ],
            ]
            .concat(),
        )
        .with_column(
            when(col("ly_actual").gt(lit(0.0)))
                .then(col("investment") / col("ly_actual"))
                .otherwise(lit(Null {}))
                .alias("implied_multiple"),
        )
        .with_columns([
            lit(needed).alias("needed_multiple"),
            // One sign convention everywhere (sheet, chart, CSV), as a
            // variance reads: implied − needed, negative = short of the ambition.
            (col("implied_multiple") - lit(needed)).alias("gap"),
        ])
        .sort_by_exprs(
            [col("team"), col("metric_order")],
            SortMultipleOptions::default(),
        )
        .select([
            col("team"),
            col("org"),
            col("metric"),
            col("unit"),
            col("ly_actual"),
            col("investment"),
            col("implied_multiple"),
            col("needed_multiple"),
            col("gap"),
            // For the writers' number formats (not published).
            col("unit_kind"),
        ])
        .collect()
}
