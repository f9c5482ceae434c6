//! The round's total of each metric at a checkpoint, in the reporting
//! currency, rolled up the way the pack rolls it up: a sum adds, `weighted
//! by W` is Σ v·w / Σ w (w the same figure of `W` for the same team), a mean
//! or none metric is the teams' mean. The Summary sheet caches these beside
//! its live formulas, and the memo's headline quotes them.

use crate::model::schema;
use crate::model::{floats, rollups, strings, unit_kinds};
use crate::plan::{Rollup, UnitKind};
use polars::prelude::{DataFrame, PolarsResult};

/// One metric's round total at the checkpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckpointTotal {
    /// The metric key the teams' rows share.
    pub key: String,
    /// The metric's name as the first team that reports it writes it.
    pub metric: String,
    pub unit_kind: UnitKind,
    pub rollup: Rollup,
    /// The full-year plan, the plan and the actual to date, the projection:
    /// each in the reporting currency (money) or the metric's unit.
    pub plan: Option<f64>,
    pub pl_ytd: Option<f64>,
    pub ac_ytd: Option<f64>,
    pub projection: Option<f64>,
}

/// The figures a total is taken of: (value column, weight column).
const FIGURES: [(&str, &str); 4] = [
    ("plan_full_year", "weight_plan"),
    ("pl_ytd", "weight_pl_ytd"),
    ("ac_ytd", "weight_ac_ytd"),
    ("projection", "weight_projection"),
];

/// Every metric's total, in the order the metrics first appear.
///
/// # Errors
/// A [`polars::prelude::PolarsError`] when a column is missing (internal).
pub fn totals(df: &DataFrame) -> PolarsResult<Vec<CheckpointTotal>> {
    let (key, metric) = (
        strings(df, schema::METRIC_KEY)?,
        strings(df, schema::METRIC)?,
    );
    let (kind, rollup, rate) = (
        unit_kinds(df, schema::UNIT_KIND)?,
        rollups(df, schema::ROLLUP_HOW)?,
        floats(df, schema::RATE)?,
    );
    let mut figures = Vec::new();
    for (value, weight) in FIGURES {
        figures.push((floats(df, value)?, floats(df, weight)?));
    }
    let mut order: Vec<(usize, Vec<usize>)> = Vec::new();
    for i in 0..df.height() {
        match order.iter_mut().find(|(first, _)| key[*first] == key[i]) {
            Some((_, rows)) => rows.push(i),
            None => order.push((i, vec![i])),
        }
    }
    Ok(order
        .into_iter()
        .map(|(first, rows)| {
            let total = |(values, weights): &(Vec<Option<f64>>, Vec<Option<f64>>)| {
                let points = rows.iter().filter_map(|&i| {
                    let v = values[i].filter(|v| v.is_finite())? * rate[i].unwrap_or(1.0);
                    Some((v, weights[i].filter(|w| w.is_finite()).unwrap_or(0.0)))
                });
                roll_up(rollup[first], points)
            };
            CheckpointTotal {
                key: key[first].clone(),
                metric: metric[first].clone(),
                unit_kind: kind[first],
                rollup: rollup[first],
                plan: total(&figures[0]),
                pl_ytd: total(&figures[1]),
                ac_ytd: total(&figures[2]),
                projection: total(&figures[3]),
            }
        })
        .collect())
}

/// The total of `(value, weight)` points by the roll-up; `None` without a
/// value (or, weighted, without any weight).
fn roll_up(rollup: Rollup, points: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut n, mut sum, mut weighted, mut weights) = (0usize, 0.0, 0.0, 0.0);
    for (v, w) in points {
        n += 1;
        sum += v;
        weighted += v * w;
        weights += w;
    }
    match rollup {
        _ if n == 0 => None,
        Rollup::Sum => Some(sum),
        Rollup::Weighted => (weights != 0.0).then(|| weighted / weights),
        Rollup::Mean | Rollup::None => Some(sum / n as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weighted_total_weights_each_value_by_its_weight() {
        let points = [(0.5, 300.0), (0.2, 100.0)].into_iter();
        let total = roll_up(Rollup::Weighted, points).unwrap();
        assert!((total - (0.5 * 300.0 + 0.2 * 100.0) / 400.0).abs() < 1e-12);
    }

    #[test]
    fn a_mean_and_a_sum_ignore_the_weights_and_nothing_is_no_total() {
        let points = || [(1.0, 0.0), (3.0, 9.0)].into_iter();
        assert_eq!(roll_up(Rollup::Mean, points()), Some(2.0));
        assert_eq!(roll_up(Rollup::Sum, points()), Some(4.0));
        assert_eq!(roll_up(Rollup::Sum, std::iter::empty()), None);
        assert_eq!(roll_up(Rollup::Weighted, [(1.0, 0.0)].into_iter()), None);
    }
}
