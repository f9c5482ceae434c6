//! The 10× ambition gap: the multiple each team's Investment case implies
//! over LY Actual against the multiple the ambition needs.

use super::expr::{better_is, firsts, reporting_unit, track_value, unit_kind_is};
use super::needed_yearly_multiple;
use crate::model::schema;
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
        .group_by([col(schema::TEAM), col(schema::ORG), col(schema::METRIC_KEY)])
        .agg(
            [
                firsts(&[
                    schema::METRIC,
                    schema::UNIT,
                    schema::UNIT_KIND,
                    schema::METRIC_ORDER,
                ]),
                vec![
                    track_value(Track::LyActual)
                        .first()
                        .alias(schema::LY_ACTUAL),
                    track_value(Track::Investment)
                        .first()
                        .alias(schema::INVESTMENT),
                ],
            ]
            .concat(),
        )
        .with_column(
            when(col(schema::LY_ACTUAL).gt(lit(0.0)))
                .then(col(schema::INVESTMENT) / col(schema::LY_ACTUAL))
                .otherwise(lit(Null {}))
                .alias(schema::IMPLIED_MULTIPLE),
        )
        .with_columns([
            lit(needed).alias(schema::NEEDED_MULTIPLE),
            // One sign convention everywhere (sheet, chart, CSV), as a
            // variance reads: implied − needed, negative = short of the ambition.
            (col(schema::IMPLIED_MULTIPLE) - lit(needed)).alias(schema::GAP),
        ])
        .sort_by_exprs(
            [col(schema::TEAM), col(schema::METRIC_ORDER)],
            SortMultipleOptions::default(),
        )
        .select([
            col(schema::TEAM),
            col(schema::ORG),
            col(schema::METRIC),
            col(schema::UNIT),
            col(schema::LY_ACTUAL),
            col(schema::INVESTMENT),
            col(schema::IMPLIED_MULTIPLE),
            col(schema::NEEDED_MULTIPLE),
            col(schema::GAP),
            // For the writers' number formats (not published).
            col(schema::UNIT_KIND),
        ])
        .collect()
}
