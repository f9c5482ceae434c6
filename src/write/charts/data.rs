//! Reading the model for the charts: the metrics and their units, round
//! totals, values per team, the largest rows with the rest folded, and the
//! words and titles several charts share.

use super::numbers::{group, Units};
use crate::model::{self, Model};
use crate::names::normalise;
use crate::plan::Track;
use polars::prelude::*;
use std::collections::BTreeMap;

/// Teams (or orgs) shown by name before the rest are folded into "Others".
pub(super) const TOP_N: usize = 12;

#[derive(Clone, Debug)]
pub(super) struct MetricInfo {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) units: Units,
    pub(super) lower_is_better: bool,
    pub(super) rollup: String,
    pub(super) teams: usize,
    /// Teams disagree on unit kind, direction or roll-up.
    pub(super) conflict: bool,
}

/// A labelled row of up to three values (one per track shown).
#[derive(Clone, Debug)]
pub(super) struct Row {
    pub(super) label: String,
    pub(super) values: Vec<Option<f64>>,
    /// "Others" and totals are set apart.
    pub(super) muted: bool,
}

/// A file-name stem: lower case, anything but `a-z0-9` a single `-`, trimmed.
pub(super) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "metric".to_string()
    } else {
        out
    }
}

/// Text safe to draw: no control characters, trimmed.
pub(super) fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

pub(super) fn text_col(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    model::strings(df, name)
}

pub(super) fn num_col(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(model::floats(df, name)?
        .into_iter()
        .map(|v| v.filter(|x| x.is_finite()))
        .collect())
}

/// Every metric in the long table, in the round's metric order.
pub(super) fn metric_infos(model: &Model) -> PolarsResult<Vec<MetricInfo>> {
    let df = model
        .long
        .clone()
        .lazy()
        .group_by_stable([col("metric_key")])
        .agg([
            col("metric").first(),
            col("unit").first(),
            col("unit_kind").first(),
            col("better").first(),
            col("rollup").first(),
            col("team")
                .n_unique()
                .cast(DataType::Float64)
                .alias("teams"),
            (col("unit_kind").n_unique() + col("better").n_unique() + col("rollup").n_unique())
                .cast(DataType::Float64)
                .alias("kinds"),
        ])
        .collect()?;
    let keys = text_col(&df, "metric_key")?;
    let names = text_col(&df, "metric")?;
    let units = text_col(&df, "unit")?;
    let kinds = text_col(&df, "unit_kind")?;
    let better = text_col(&df, "better")?;
    let rollup = text_col(&df, "rollup")?;
    let teams = num_col(&df, "teams")?;
    let distinct = num_col(&df, "kinds")?;
    // The roll-up lists metrics in the teams' order; metrics it leaves out follow.
    let rolled = text_col(&model.rollup, "metric")?;
    let order: Vec<String> = rolled.iter().map(|m| normalise(m)).collect();
    let mut infos: Vec<(usize, MetricInfo)> = (0..keys.len())
        .map(|i| {
            let units = match kinds[i].as_str() {
                "money" => Units::Money(model.reporting_currency.clone()),
                "ratio" => Units::Ratio,
                _ => Units::Count(clean(&units[i])),
            };
            let rank = order
                .iter()
                .position(|k| k == &keys[i])
                .unwrap_or(order.len() + i);
            (
                rank,
                MetricInfo {
                    key: keys[i].clone(),
                    name: clean(&names[i]),
                    units,
                    lower_is_better: better[i] == "lower",
                    rollup: rollup[i].clone(),
                    teams: teams[i].unwrap_or(0.0) as usize,
                    conflict: distinct[i].unwrap_or(3.0) > 3.0,
                },
            )
        })
        .collect();
    infos.sort_by_key(|(rank, _)| *rank);
    Ok(infos.into_iter().map(|(_, m)| m).collect())
}

/// The round's value of each track of a metric (scope `All`).
pub(super) fn round_totals(
    model: &Model,
    metric: &MetricInfo,
) -> PolarsResult<BTreeMap<String, f64>> {
    let df = model
        .rollup
        .clone()
        .lazy()
        .filter(col("scope").eq(lit("All")))
        .select([col("metric"), col("track"), col("value")])
        .collect()?;
    let names = text_col(&df, "metric")?;
    let tracks = text_col(&df, "track")?;
    let values = num_col(&df, "value")?;
    let mut out = BTreeMap::new();
    for i in 0..names.len() {
        if normalise(&names[i]) == metric.key {
            if let Some(v) = values[i] {
                out.insert(tracks[i].clone(), v);
            }
        }
    }
    Ok(out)
}

/// Values per team for the given tracks of one metric.
pub(super) fn team_values(
    model: &Model,
    key: &str,
    tracks: &[Track],
) -> PolarsResult<BTreeMap<String, Vec<Option<f64>>>> {
    let names: Vec<&str> = tracks.iter().map(|t| t.name()).collect();
    let df = model
        .long
        .clone()
        .lazy()
        .filter(col("metric_key").eq(lit(key)))
        .select([col("team"), col("track"), col("value_reporting")])
        .collect()?;
    let teams = text_col(&df, "team")?;
    let track = text_col(&df, "track")?;
    let values = num_col(&df, "value_reporting")?;
    let mut out: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    for i in 0..teams.len() {
        if let Some(t) = names.iter().position(|n| *n == track[i]) {
            let row = out
                .entry(teams[i].clone())
                .or_insert_with(|| vec![None; names.len()]);
            if row[t].is_none() {
                row[t] = values[i];
            }
        }
    }
    Ok(out)
}

/// The largest `n` rows by the first value (ties by label), and the rest
/// folded into one row by sum or mean.
pub(super) fn top_rows(
    rows: BTreeMap<String, Vec<Option<f64>>>,
    n: usize,
    fold: Option<&str>,
) -> (Vec<Row>, usize) {
    let mut rows: Vec<(String, Vec<Option<f64>>)> = rows.into_iter().collect();
    rows.sort_by(|a, b| {
        let (x, y) = (a.1[0], b.1[0]);
        match (x, y) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.0.cmp(&b.0))
    });
    let width = rows.first().map(|r| r.1.len()).unwrap_or(0);
    let (shown, rest) = if rows.len() > n + 1 {
        let rest = rows.split_off(n);
        (rows, rest)
    } else {
        (rows, Vec::new())
    };
    let folded = rest.len();
    let mut out: Vec<Row> = shown
        .into_iter()
        .map(|(label, values)| Row {
            label: clean(&label),
            values,
            muted: false,
        })
        .collect();
    if let (Some(how), true) = (fold, folded > 0) {
        let values = (0..width)
            .map(|t| {
                let vals: Vec<f64> = rest.iter().filter_map(|r| r.1[t]).collect();
                if vals.is_empty() {
                    None
                } else if how == "mean" {
                    Some(vals.iter().sum::<f64>() / vals.len() as f64)
                } else {
                    Some(vals.iter().sum())
                }
            })
            .collect();
        let what = if how == "mean" { ", mean" } else { "" };
        out.push(Row {
            label: format!(
                "Others ({} {}{what})",
                group(folded as f64, 0),
                teams_word(folded)
            ),
            values,
            muted: true,
        });
    }
    (out, folded)
}

pub(super) fn teams_word(n: usize) -> &'static str {
    if n == 1 {
        "team"
    } else {
        "teams"
    }
}

pub(super) fn title_with_unit(what: &str, units: &Units) -> String {
    let unit = units.label();
    if unit.is_empty() {
        what.to_string()
    } else {
        format!("{what}, {unit}")
    }
}

/// The rule a round total follows, for subtitles.
pub(super) fn rollup_word(metric: &MetricInfo) -> &'static str {
    if metric.rollup == "mean" {
        "mean"
    } else {
        "total"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_slugs() {
        assert_eq!(slug("Revenue"), "revenue");
        assert_eq!(slug("Operating cost"), "operating-cost");
        assert_eq!(slug("  NPS (score) / Q4 "), "nps-score-q4");
        assert_eq!(slug("Umsatz €"), "umsatz");
        assert_eq!(slug("%"), "metric");
    }
}
