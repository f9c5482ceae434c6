//! Roll-ups by org scope (`All` and every level of every org path), and the
//! metrics left out of them because teams disagree on them.

use super::expr::{reporting_unit, rollup_is, track_is};
use super::strings;
use crate::finding::{Finding, Rule};
use crate::plan::{Rollup, TeamWorkbook, Track};
use crate::settings::Settings;
use polars::prelude::*;

/// The scope of the whole round in the roll-up (org scopes are org paths).
pub(crate) const ROUND_SCOPE: &str = "All";

pub(super) fn rollup(
    long: LazyFrame,
    workbooks: &[&TeamWorkbook],
    conflicts: &[String],
    settings: &Settings,
) -> PolarsResult<DataFrame> {
    // Every level of every team's org path: Consumer/Payments → Consumer, Consumer/Payments.
    let (mut teams, mut scopes) = (Vec::new(), Vec::new());
    for wb in workbooks {
        teams.push(wb.name().to_string());
        scopes.push(ROUND_SCOPE.to_string());
        let parts: Vec<&str> = wb.org_path().split('/').collect();
        for n in 1..=parts.len() {
            teams.push(wb.name().to_string());
            scopes.push(parts[..n].join("/"));
        }
    }
    let scope_map = df!("team" => teams, "scope" => scopes)?.lazy();
    let conflicted =
        df!("metric_key" => conflicts.to_vec(), "conflict" => vec![true; conflicts.len()])?.lazy();
    let reporting = settings.reporting_currency.as_str();
    let rows = long
        .join(
            conflicted,
            [col("metric_key")],
            [col("metric_key")],
            JoinArgs::new(JoinType::Left),
        )
        .filter(col("conflict").is_null().and(rollup_is(Rollup::None).not()))
        .with_column(reporting_unit(reporting))
        .select(names(TOTALLED.iter().chain(&TEXTS)))
        .with_row_index("row", None)
        .collect()?;
    // Every row goes into each of its team's scopes (three or four times):
    // only the keys and the values go through that join, and each group's
    // text (metric, unit, …) is its first row's, taken back by index.
    let totals = rows
        .clone()
        .lazy()
        .select(names(["row"].iter().chain(&TOTALLED)))
        .join(
            scope_map,
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Inner),
        )
        .group_by([
            col("scope"),
            col("metric_key"),
            col("track"),
            col("track_order"),
        ])
        .agg([
            col("row").first(),
            col("value_reporting").sum().alias("sum"),
            col("value_reporting").mean().alias("mean"),
            (col("value_reporting") * col("weight"))
                .sum()
                .alias("weighted_sum"),
            col("weight")
                .filter(col("value_reporting").is_not_null())
                .sum()
                .alias("weight_sum"),
            col("team").n_unique().alias("teams"),
            col("metric_order").min().alias("metric_order"),
        ]);
    let texts = rows.lazy().select(names(["row"].iter().chain(&TEXTS)));
    totals
        .join(
            texts,
            [col("row")],
            [col("row")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(rollup_is(Rollup::Mean))
                .then(col("mean"))
                .when(rollup_is(Rollup::Weighted))
                .then(
                    // No weight at all (every weight zero or missing): no total.
                    when(col("weight_sum").eq(lit(0.0)))
                        .then(lit(NULL).cast(DataType::Float64))
                        .otherwise(col("weighted_sum") / col("weight_sum")),
                )
                .otherwise(col("sum"))
                .alias("value"),
        )
        .with_column(
            when(col("scope").eq(lit(ROUND_SCOPE)))
                .then(lit(0))
                .otherwise(lit(1))
                .alias("scope_order"),
        )
        .sort_by_exprs(
            [
                col("scope_order"),
                col("scope"),
                col("metric_order"),
                col("metric_key"),
                col("track_order"),
            ],
            SortMultipleOptions::default(),
        )
        .select([
            col("scope"),
            col("metric"),
            col("unit"),
            col("rollup"),
            col("track"),
            col("value"),
            col("teams"),
            col("weight_key"),
            // What writers need to format and order the totals without guessing.
            col("metric_key"),
            col("unit_kind"),
            col("better"),
            col("metric_order"),
        ])
        .collect()
}

/// The columns the totals are computed from: keys and values.
const TOTALLED: [&str; 7] = [
    "team",
    "metric_key",
    "track",
    "track_order",
    "metric_order",
    "value_reporting",
    "weight",
];

/// The text of a total, its group's first row's.
const TEXTS: [&str; 6] = [
    "metric",
    "unit",
    "unit_kind",
    "better",
    "rollup",
    "weight_key",
];

/// Each named column.
fn names<'a>(names: impl Iterator<Item = &'a &'a str>) -> Vec<Expr> {
    names.map(|n| col(*n)).collect()
}

/// Metrics whose teams disagree on unit kind, direction or roll-up are not
/// rolled up; each gets a finding naming the teams on each side.
pub(super) fn metric_conflicts(
    long: &DataFrame,
    findings: &mut Vec<Finding>,
) -> PolarsResult<Vec<String>> {
    let conflicts = long
        .clone()
        .lazy()
        .group_by([col("metric_key")])
        .agg([
            col("metric").first(),
            col("unit_kind").n_unique().alias("kinds"),
            col("better").n_unique().alias("betters"),
            (col("rollup") + lit(" ") + col("weight_key").fill_null(lit("")))
                .n_unique()
                .alias("rollups"),
        ])
        .filter(
            col("kinds")
                .gt(lit(1))
                .or(col("betters").gt(lit(1)))
                .or(col("rollups").gt(lit(1))),
        )
        .sort(["metric_key"], SortMultipleOptions::default())
        .collect()?;
    let keys: Vec<String> = strings(&conflicts, "metric_key")?;
    let names = strings(&conflicts, "metric")?;
    for (key, name) in keys.iter().zip(names) {
        let detail = long
            .clone()
            .lazy()
            .filter(
                col("metric_key")
                    .eq(lit(key.as_str()))
                    .and(track_is(Track::LyActual)),
            )
            .select([
                col("team"),
                col("unit_kind"),
                col("better"),
                // A weighted roll-up shows what it is weighted by.
                when(col("weight_key").is_null())
                    .then(col("rollup"))
                    .otherwise(lit("weighted by ") + col("weight_key"))
                    .alias("rollup"),
            ])
            .sort(["team"], SortMultipleOptions::default())
            .collect()?;
        let (teams, kinds, betters, rollups) = (
            strings(&detail, "team")?,
            strings(&detail, "unit_kind")?,
            strings(&detail, "better")?,
            strings(&detail, "rollup")?,
        );
        let described: Vec<String> = (0..teams.len())
            .map(|i| {
                format!(
                    "{}: {} / {} / {}",
                    teams[i], kinds[i], betters[i], rollups[i]
                )
            })
            .collect();
        findings.push(
            Finding::new(
                Rule::MetricConflict,
                format!("teams disagree on metric \"{name}\" (unit kind / better / rollup): {}; it is not rolled up", described.join("; ")),
            ),
        );
    }
    Ok(keys)
}
