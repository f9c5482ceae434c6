//! The checkpoint of every team × metric, as contract v2 defines it: actual
//! and plan to date, the linear and plan-paced projections, the projection
//! used (the team's Forecast, else the paced one), the gap to the full-year
//! plan and the status — in Polars expressions over one row per team ×
//! metric, the quarters as columns.

use super::status::{status_of_gap, Status};
use crate::model::expr::better_is;
use crate::model::schema;
use crate::names::normalise;
use crate::plan::{Better, Rollup, TeamWorkbook, UnitKind};
use crate::settings::Settings;
use polars::lazy::dsl;
use polars::prelude::*;

/// The quarter columns of the frame.
pub(crate) const Q: [&str; 4] = ["q1", "q2", "q3", "q4"];
const W: [&str; 4] = ["w1", "w2", "w3", "w4"];

/// What a row's full-year plan is: the approved pack's, or — for a team the
/// pack does not hold — its own workbook's Flat plan.
pub(crate) const PLAN_APPROVED: &str = "approved";
pub(crate) const PLAN_OWN: &str = "own workbook (Flat)";

/// One row per team × metric: what the workbooks report and the approved
/// full-year plan (`plan_full_year`, joined from `full_year`; for a team in
/// `unapproved`, its own Flat plan), with `plan_from` saying which.
pub(super) fn frame(
    workbooks: &[&TeamWorkbook],
    settings: &Settings,
    full_year: &DataFrame,
    unapproved: &[String],
) -> PolarsResult<LazyFrame> {
    let mut c = Columns::default();
    for wb in workbooks {
        for m in &wb.metrics {
            c.team.push(wb.name().to_string());
            c.org.push(wb.org_path().to_string());
            c.metric.push(m.name.value.clone());
            c.metric_key.push(normalise(&m.name.value));
            c.unit.push(m.unit.value.clone());
            c.unit_kind.push(m.unit_kind.name());
            c.better.push(m.better.name());
            c.rollup.push(m.rollup.name());
            c.weight_key.push(
                (m.rollup == Rollup::Weighted)
                    .then(|| m.weight.as_deref().map(normalise))
                    .flatten(),
            );
            // A sum adds its quarters up; a mean, weighted or none metric is a level.
            c.level.push(m.rollup != Rollup::Sum);
            c.rate.push(match m.unit_kind {
                UnitKind::Money => settings.rate(&m.unit.value),
                _ => Some(1.0),
            });
            for (i, q) in m.quarters.iter().enumerate() {
                c.q[i].push(q.as_ref().map(|v| v.value));
            }
            c.forecast.push(m.forecast.as_ref().map(|v| v.value));
            c.commentary
                .push(m.commentary.as_ref().map(|v| v.value.clone()));
            let w = settings.checkpoint.phasing_of(&m.name.value);
            for (i, share) in w.iter().enumerate() {
                c.w[i].push(*share);
            }
            let own = unapproved.iter().any(|t| t == wb.name());
            c.own_plan
                .push(own.then(|| m.flat.as_ref().map(|v| v.value)).flatten());
            c.plan_from.push(if own { PLAN_OWN } else { PLAN_APPROVED });
            c.file.push(wb.file.clone());
            c.row.push(m.name.pos.row);
        }
    }
    let [q1, q2, q3, q4] = c.q;
    let [w1, w2, w3, w4] = c.w;
    let df = df!(
        schema::TEAM => c.team, schema::ORG => c.org, schema::METRIC => c.metric, schema::METRIC_KEY => c.metric_key,
        schema::UNIT => c.unit, schema::UNIT_KIND => c.unit_kind, schema::BETTER => c.better, schema::ROLLUP_HOW => c.rollup,
        schema::WEIGHT_KEY => c.weight_key, "level" => c.level, schema::RATE => c.rate,
        "q1" => q1, "q2" => q2, "q3" => q3, "q4" => q4,
        "w1" => w1, "w2" => w2, "w3" => w3, "w4" => w4,
        "forecast" => c.forecast, "commentary" => c.commentary,
        "own_plan" => c.own_plan, "plan_from" => c.plan_from,
        "file" => c.file, "row" => c.row,
    )?;
    Ok(df
        .lazy()
        .join(
            full_year.clone().lazy(),
            [col(schema::TEAM), col(schema::METRIC_KEY)],
            [col(schema::TEAM), col(schema::METRIC_KEY)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("plan_from").eq(lit(PLAN_OWN)))
                .then(col("own_plan"))
                .otherwise(col("plan_full_year"))
                .alias("plan_full_year"),
        )
        .drop(cols(["own_plan"])))
}

#[derive(Default)]
struct Columns {
    team: Vec<String>,
    org: Vec<String>,
    metric: Vec<String>,
    metric_key: Vec<String>,
    unit: Vec<String>,
    unit_kind: Vec<&'static str>,
    better: Vec<&'static str>,
    rollup: Vec<&'static str>,
    weight_key: Vec<Option<String>>,
    level: Vec<bool>,
    rate: Vec<Option<f64>>,
    q: [Vec<Option<f64>>; 4],
    w: [Vec<f64>; 4],
    forecast: Vec<Option<f64>>,
    commentary: Vec<Option<String>>,
    own_plan: Vec<Option<f64>>,
    plan_from: Vec<&'static str>,
    file: Vec<String>,
    row: Vec<u32>,
}

/// The measures as of quarter `n` (1–4): `ac_ytd`, `pl_ytd`, `delta_ytd`,
/// `delta_ytd_pct`, `fc_linear`, `fc_pace`, `projection` and `gap`;
/// `reported` counts the quarters up to `n` the team filled in — with one
/// missing, the row has no actual to date and no status.
///
/// The projection is the team's Forecast when `forecast` and given, else
/// `fc_pace` — and at year end (`n` = 4) the full-year actual: a Forecast
/// typed earlier in the year is set aside once the year is reported.
pub(super) fn measures(lf: LazyFrame, n: usize, forecast: bool) -> PolarsResult<LazyFrame> {
    let n = n.clamp(1, 4);
    let quarters: Vec<Expr> = Q[..n].iter().map(|q| col(*q)).collect();
    let shares: Vec<Expr> = W[..n].iter().map(|w| col(*w)).collect();
    let reported = dsl::sum_horizontal(
        Q[..n]
            .iter()
            .map(|q| col(*q).is_not_null().cast(DataType::UInt32))
            .collect::<Vec<_>>(),
        true,
    )?;
    let flow_ac = dsl::sum_horizontal(quarters.clone(), true)?;
    let level_ac = dsl::mean_horizontal(quarters, true)?;
    let plan = col("plan_full_year");
    let lf = lf
        .with_column(reported.alias("reported"))
        .with_columns([
            // A quarter to date not reported: no actual to date (not a
            // partial sum that reads as a collapse); `actuals-missing` says why.
            when(col("reported").lt(lit(n as u32)))
                .then(lit(NULL).cast(DataType::Float64))
                .when(col("level"))
                .then(level_ac)
                .otherwise(flow_ac)
                .alias("ac_ytd"),
            when(col("level"))
                .then(plan.clone())
                .otherwise(plan.clone() * dsl::sum_horizontal(shares, true)?)
                .alias("pl_ytd"),
        ])
        .with_columns([
            when(col("level"))
                .then(col("ac_ytd"))
                .otherwise(col("ac_ytd") * lit(4.0) / lit(n as f64))
                .alias("fc_linear"),
            (col("ac_ytd") - col("pl_ytd")).alias("delta_ytd"),
        ])
        .with_columns([
            when(col("level"))
                .then(col("ac_ytd"))
                .when(col("pl_ytd").eq(lit(0.0)))
                .then(col("fc_linear"))
                .otherwise(plan.clone() * col("ac_ytd") / col("pl_ytd"))
                .alias("fc_pace"),
            when(col("pl_ytd").eq(lit(0.0)))
                .then(lit(NULL).cast(DataType::Float64))
                .otherwise(col("delta_ytd") / col("pl_ytd").abs())
                .alias("delta_ytd_pct"),
        ]);
    let projection = if n == 4 {
        col("ac_ytd")
    } else if forecast {
        col("forecast").fill_null(col("fc_pace"))
    } else {
        col("fc_pace")
    };
    // Negated when lower is better, so that a negative gap is unfavourable.
    let sign = when(better_is(Better::Lower))
        .then(lit(-1.0))
        .otherwise(lit(1.0));
    Ok(lf.with_column(projection.alias("projection")).with_column(
        when(plan.clone().eq(lit(0.0)).or(plan.clone().is_null()))
            .then(lit(NULL).cast(DataType::Float64))
            .otherwise((col("projection") - plan.clone()) / plan.abs() * sign)
            .alias(schema::GAP),
    ))
}

/// The status of each row as of quarter `n`: by the gap before year end;
/// met or missed on the full-year actual at it. Computed in Rust from the
/// frame's columns by [`status_of_gap`], the one definition of the thresholds.
pub(super) fn statuses(df: &DataFrame, n: usize, settings: &Settings) -> PolarsResult<Vec<Status>> {
    let cp = &settings.checkpoint;
    let gap = crate::model::floats(df, schema::GAP)?;
    if n < 4 {
        return Ok(gap
            .into_iter()
            .map(|g| status_of_gap(g.filter(|g| g.is_finite()), cp.green_within, cp.red_beyond))
            .collect());
    }
    let ac = crate::model::floats(df, "ac_ytd")?;
    let plan = crate::model::floats(df, "plan_full_year")?;
    let better = crate::model::betters(df, schema::BETTER)?;
    Ok((0..df.height())
        .map(|i| match (ac[i], plan[i]) {
            (Some(a), Some(p)) if p != 0.0 => {
                let met = match better[i] {
                    Better::Higher => a >= p,
                    Better::Lower => a <= p,
                };
                if met {
                    Status::Met
                } else {
                    Status::Missed
                }
            }
            _ => Status::NotApplicable,
        })
        .collect())
}

/// The weights of a metric rolled up `weighted by W`: on its row, the same
/// figure of `W` for the same team in the reporting currency — `weight_plan`
/// (the full-year plan), `weight_pl_ytd`, `weight_ac_ytd` and
/// `weight_projection` — so that a total is Σ v·w / Σ w figure by figure,
/// as the pack rolls it up. Null on every other row.
pub(super) fn with_weights(lf: LazyFrame) -> LazyFrame {
    let weights = lf.clone().select([
        col(schema::TEAM),
        col(schema::METRIC_KEY).alias(schema::WEIGHT_KEY),
        (col("plan_full_year") * col(schema::RATE)).alias("weight_plan"),
        (col("pl_ytd") * col(schema::RATE)).alias("weight_pl_ytd"),
        (col("ac_ytd") * col(schema::RATE)).alias("weight_ac_ytd"),
        (col("projection") * col(schema::RATE)).alias("weight_projection"),
    ]);
    lf.join(
        weights,
        [col(schema::TEAM), col(schema::WEIGHT_KEY)],
        [col(schema::TEAM), col(schema::WEIGHT_KEY)],
        JoinArgs {
            maintain_order: MaintainOrderJoin::Left,
            ..JoinArgs::new(JoinType::Left)
        },
    )
}
