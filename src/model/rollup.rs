//! Roll-ups by org scope (`All` and every level of every org path), and the
//! metrics left out of them because teams disagree on them.

use super::expr::{reporting_unit, rollup_is, track_is};
use super::strings;
use crate::finding::{Finding, Rule};
use crate::model::schema;
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
    let scope_map = df!(schema::TEAM => teams, schema::SCOPE => scopes)?.lazy();
    let conflicted =
        df!(schema::METRIC_KEY => conflicts.to_vec(), "conflict" => vec![true; conflicts.len()])?
            .lazy();
    let reporting = settings.reporting_currency.as_str();
    let rows = long
        .join(
            conflicted,
            [col(schema::METRIC_KEY)],
            [col(schema::METRIC_KEY)],
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
            [col(schema::TEAM)],
            [col(schema::TEAM)],
            JoinArgs::new(JoinType::Inner),
        )
        .group_by([
            col(schema::SCOPE),
            col(schema::METRIC_KEY),
            col(schema::TRACK),
            col(schema::TRACK_ORDER),
        ])
        .agg([
            col("row").first(),
            col(schema::VALUE_REPORTING).sum().alias("sum"),
            col(schema::VALUE_REPORTING).mean().alias("mean"),
            (col(schema::VALUE_REPORTING) * col(schema::WEIGHT))
                .sum()
                .alias("weighted_sum"),
            col(schema::WEIGHT)
                .filter(col(schema::VALUE_REPORTING).is_not_null())
                .sum()
                .alias("weight_sum"),
            col(schema::TEAM).n_unique().alias(schema::TEAMS),
            col(schema::METRIC_ORDER).min().alias(schema::METRIC_ORDER),
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
                .alias(schema::VALUE),
        )
        .with_column(
            when(col(schema::SCOPE).eq(lit(ROUND_SCOPE)))
                .then(lit(0))
                .otherwise(lit(1))
                .alias("scope_order"),
        )
        .sort_by_exprs(
            [
                col("scope_order"),
                col(schema::SCOPE),
                col(schema::METRIC_ORDER),
                col(schema::METRIC_KEY),
                col(schema::TRACK_ORDER),
            ],
            SortMultipleOptions::default(),
        )
        .select([
            col(schema::SCOPE),
            col(schema::METRIC),
            col(schema::UNIT),
            col(schema::ROLLUP_HOW),
            col(schema::TRACK),
            col(schema::VALUE),
            col(schema::TEAMS),
            col(schema::WEIGHT_KEY),
            // What writers need to format and order the totals without guessing.
            col(schema::METRIC_KEY),
            col(schema::UNIT_KIND),
            col(schema::BETTER),
            col(schema::METRIC_ORDER),
        ])
        .collect()
}

/// The columns the totals are computed from: keys and values.
const TOTALLED: [&str; 7] = [
    schema::TEAM,
    schema::METRIC_KEY,
    schema::TRACK,
    schema::TRACK_ORDER,
    schema::METRIC_ORDER,
    schema::VALUE_REPORTING,
    schema::WEIGHT,
];

/// The text of a total, its group's first row's.
const TEXTS: [&str; 6] = [
    schema::METRIC,
    schema::UNIT,
    schema::UNIT_KIND,
    schema::BETTER,
    schema::ROLLUP_HOW,
    schema::WEIGHT_KEY,
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
        .group_by([col(schema::METRIC_KEY)])
        .agg([
            col(schema::METRIC).first(),
            col(schema::UNIT_KIND).n_unique().alias("kinds"),
            col(schema::BETTER).n_unique().alias("betters"),
            (col(schema::ROLLUP_HOW) + lit(" ") + col(schema::WEIGHT_KEY).fill_null(lit("")))
                .n_unique()
                .alias("rollups"),
        ])
        .filter(
            col("kinds")
                .gt(lit(1))
                .or(col("betters").gt(lit(1)))
                .or(col("rollups").gt(lit(1))),
        )
        .sort([schema::METRIC_KEY], SortMultipleOptions::default())
        .collect()?;
    let keys: Vec<String> = strings(&conflicts, schema::METRIC_KEY)?;
    let names = strings(&conflicts, schema::METRIC)?;
    for (key, name) in keys.iter().zip(names) {
        let detail = long
            .clone()
            .lazy()
            .filter(
                col(schema::METRIC_KEY)
                    .eq(lit(key.as_str()))
                    .and(track_is(Track::LyActual)),
            )
            .select([
                col(schema::TEAM),
                col(schema::UNIT_KIND),
                col(schema::BETTER),
                // A weighted roll-up shows what it is weighted by.
                when(col(schema::WEIGHT_KEY).is_null())
                    .then(col(schema::ROLLUP_HOW))
                    .otherwise(lit("weighted by ") + col(schema::WEIGHT_KEY))
                    .alias(schema::ROLLUP_HOW),
            ])
            .sort([schema::TEAM], SortMultipleOptions::default())
            .collect()?;
        let (teams, kinds, betters, rollups) = (
            strings(&detail, schema::TEAM)?,
            strings(&detail, schema::UNIT_KIND)?,
            strings(&detail, schema::BETTER)?,
            strings(&detail, schema::ROLLUP_HOW)?,
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
