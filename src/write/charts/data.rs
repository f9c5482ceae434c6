//! Reading the model for the charts: the metrics and their units, round
//! totals, values per team, the largest rows with the rest folded, and the
//! words and titles several charts share.

use super::kit::numbers::{counted, Units};
use crate::model::expr::firsts;
use crate::model::schema;
use crate::model::{self, Model, ROUND_SCOPE};
use crate::plan::{Better, Rollup, Track, UnitKind};
use polars::prelude::*;
use std::collections::BTreeMap;

/// Teams (or orgs) shown by name before the rest are folded into "Others".
pub(super) const TOP_N: usize = 12;

#[derive(Clone, Debug)]
pub(super) struct MetricInfo {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) units: Units,
    pub(super) better: Better,
    pub(super) rollup: Rollup,
    /// The metric a weighted roll-up is weighted by.
    pub(super) weight: Option<String>,
    pub(super) teams: usize,
    /// How many teams the round has (`teams` may be fewer).
    pub(super) round_teams: usize,
    /// Teams disagree on unit kind, direction or roll-up.
    pub(super) conflict: bool,
}

impl MetricInfo {
    /// `14 teams`, or `3 of 4 teams` when some teams do not report the metric.
    pub(super) fn coverage(&self) -> String {
        if self.teams < self.round_teams {
            format!("{} of {}", self.teams, counted(self.round_teams, "team"))
        } else {
            counted(self.teams, "team")
        }
    }

    pub(super) fn lower_is_better(&self) -> bool {
        self.better == Better::Lower
    }
}

/// A labelled row of up to three values (one per track shown).
#[derive(Clone, Debug)]
pub(super) struct Row {
    pub(super) label: String,
    pub(super) values: Vec<Option<f64>>,
    /// "Others" and totals are set apart.
    pub(super) muted: bool,
}

/// A chart's file-name stem from a metric's name (see [`crate::names::file_stem`]).
pub(super) fn slug(name: &str) -> String {
    crate::names::file_stem(name, "metric")
}

/// Text safe to draw: no control characters, trimmed.
pub(super) fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A float column of the model with NaN and ±∞ read as missing: only finite
/// values can be placed on an axis.
pub(super) fn finite_floats(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(model::floats(df, name)?
        .into_iter()
        .map(|v| v.filter(|x| x.is_finite()))
        .collect())
}

/// Every metric in the long table: those rolled up in the roll-up's metric
/// order, then those it leaves out (not rolled up, or teams disagree on
/// them) in the order teams report them.
pub(super) fn metric_infos(model: &Model) -> PolarsResult<Vec<MetricInfo>> {
    let df = model
        .long
        .clone()
        .lazy()
        .group_by_stable([col(schema::METRIC_KEY)])
        .agg(
            [
                firsts(&[
                    schema::METRIC,
                    schema::UNIT,
                    schema::UNIT_KIND,
                    schema::BETTER,
                    schema::ROLLUP_HOW,
                ]),
                vec![
                    col(schema::TEAM).n_unique().alias(schema::TEAMS),
                    (col(schema::UNIT_KIND).n_unique()
                        + col(schema::BETTER).n_unique()
                        + col(schema::ROLLUP_HOW).n_unique())
                    .alias("kinds"),
                ],
            ]
            .concat(),
        )
        .collect()?;
    let keys = model::strings(&df, schema::METRIC_KEY)?;
    let names = model::strings(&df, schema::METRIC)?;
    let units = model::strings(&df, schema::UNIT)?;
    let kinds = model::unit_kinds(&df, schema::UNIT_KIND)?;
    let better = model::betters(&df, schema::BETTER)?;
    let rollup = model::rollups(&df, schema::ROLLUP_HOW)?;
    let teams = model::uints(&df, schema::TEAMS)?;
    let distinct = model::uints(&df, "kinds")?;
    let order = rollup_order(model)?;
    let mut infos: Vec<(Option<(u32, &String)>, MetricInfo)> = (0..keys.len())
        .map(|i| {
            let units = match kinds[i] {
                UnitKind::Money => Units::Money(model.reporting_currency.clone()),
                UnitKind::Ratio => Units::Ratio,
                UnitKind::Other => Units::Count(clean(&units[i])),
            };
            (
                order.get(&keys[i]).map(|o| (*o, &keys[i])),
                MetricInfo {
                    key: keys[i].clone(),
                    name: clean(&names[i]),
                    units,
                    better: better[i],
                    rollup: rollup[i],
                    weight: model
                        .totals
                        .iter()
                        .find(|t| t.key == keys[i])
                        .and_then(|t| t.weight.clone()),
                    teams: teams[i].unwrap_or(0) as usize,
                    round_teams: model.sources.len(),
                    conflict: distinct[i].unwrap_or(3) > 3,
                },
            )
        })
        .collect();
    // Rolled-up metrics first, by order and key (as the roll-up lists them);
    // the sort is stable, so the others keep the teams' order.
    infos.sort_by_key(|(rank, _)| (rank.is_none(), *rank));
    Ok(infos.into_iter().map(|(_, m)| m).collect())
}

/// The roll-up's order of each metric it rolls up, by metric key.
fn rollup_order(model: &Model) -> PolarsResult<BTreeMap<String, u32>> {
    let df = model
        .rollup
        .clone()
        .lazy()
        .filter(col(schema::SCOPE).eq(lit(ROUND_SCOPE)))
        .select([col(schema::METRIC_KEY), col(schema::METRIC_ORDER)])
        .collect()?;
    let keys = model::strings(&df, schema::METRIC_KEY)?;
    let order = model::uints(&df, schema::METRIC_ORDER)?;
    let mut out = BTreeMap::new();
    for (key, order) in keys.into_iter().zip(order) {
        let order = order.unwrap_or(u32::MAX);
        let at = out.entry(key).or_insert(order);
        *at = (*at).min(order);
    }
    Ok(out)
}

/// The round's value of each track of a metric, from the model's round
/// totals (the roll-up's round scope, read once by the model).
pub(super) fn round_totals(model: &Model, metric: &MetricInfo) -> BTreeMap<Track, f64> {
    model
        .totals
        .iter()
        .find(|t| t.key == metric.key)
        .map(|t| {
            t.values
                .iter()
                .filter(|(_, v)| v.is_finite())
                .map(|(track, v)| (*track, *v))
                .collect()
        })
        .unwrap_or_default()
}

/// Values per team for the given tracks of one metric.
pub(super) fn team_values(model: &Model, key: &str, tracks: &[Track]) -> PolarsResult<ByLabel> {
    team_column(model, key, tracks, schema::VALUE_REPORTING)
}

/// The weights per team of a weighted metric's values, for the given tracks.
pub(super) fn team_weights(model: &Model, key: &str, tracks: &[Track]) -> PolarsResult<ByLabel> {
    team_column(model, key, tracks, schema::WEIGHT)
}

/// A column of the long table per team, for the given tracks of one metric.
fn team_column(model: &Model, key: &str, tracks: &[Track], column: &str) -> PolarsResult<ByLabel> {
    let df = model
        .long
        .clone()
        .lazy()
        .filter(col(schema::METRIC_KEY).eq(lit(key)))
        .select([col(schema::TEAM), col(schema::TRACK), col(column)])
        .collect()?;
    let teams = model::strings(&df, schema::TEAM)?;
    let track = model::tracks(&df, schema::TRACK)?;
    let values = finite_floats(&df, column)?;
    let mut out: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    for i in 0..teams.len() {
        if let Some(t) = tracks.iter().position(|t| *t == track[i]) {
            let row = out
                .entry(teams[i].clone())
                .or_insert_with(|| vec![None; tracks.len()]);
            if row[t].is_none() {
                row[t] = values[i];
            }
        }
    }
    Ok(out)
}

/// Per label, one value (or weight) per track shown.
pub(super) type ByLabel = BTreeMap<String, Vec<Option<f64>>>;

/// The largest `n` rows by the first value (ties by label), and the rest
/// folded into one row "Others (<count> <noun>s)" by the roll-up `fold`:
/// their sum, mean or mean weighted by `weights` (the weight of each label's
/// value, for [`Rollup::Weighted`]); [`Rollup::None`] leaves the rest out.
pub(super) fn top_rows(
    rows: ByLabel,
    n: usize,
    fold: Rollup,
    weights: Option<&ByLabel>,
    noun: &str,
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
    if fold != Rollup::None && folded > 0 {
        let values = (0..width)
            .map(|t| fold_track(&rest, t, fold, weights))
            .collect();
        // Labels are short: a weighted fold drops the noun (the subtitle says it).
        let label = match fold {
            Rollup::Mean => format!("Others ({}, mean)", counted(folded, noun)),
            Rollup::Weighted => format!("Others ({folded}, weighted)"),
            _ => format!("Others ({})", counted(folded, noun)),
        };
        out.push(Row {
            label,
            values,
            muted: true,
        });
    }
    (out, folded)
}

/// The folded rows' value of track `t` by the roll-up.
fn fold_track(
    rest: &[(String, Vec<Option<f64>>)],
    t: usize,
    fold: Rollup,
    weights: Option<&ByLabel>,
) -> Option<f64> {
    let vals: Vec<(&str, f64)> = rest
        .iter()
        .filter_map(|(label, v)| Some((label.as_str(), v[t]?)))
        .collect();
    if vals.is_empty() {
        return None;
    }
    let sum: f64 = vals.iter().map(|(_, v)| v).sum();
    match fold {
        Rollup::Mean => Some(sum / vals.len() as f64),
        Rollup::Weighted => {
            let weight = |label: &str| weights?.get(label)?.get(t).copied().flatten();
            let (mut weighted, mut total) = (0.0, 0.0);
            for (label, v) in vals {
                if let Some(w) = weight(label) {
                    weighted += v * w;
                    total += w;
                }
            }
            (total != 0.0).then(|| weighted / total)
        }
        _ => Some(sum),
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
    match metric.rollup {
        Rollup::Mean => "mean",
        Rollup::Weighted => "weighted mean",
        Rollup::Sum | Rollup::None => "total",
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

    #[test]
    fn the_rest_is_folded_by_the_rollup_and_counted_in_the_noun() {
        let rows: BTreeMap<String, Vec<Option<f64>>> = (0..5)
            .map(|i| (format!("org {i}"), vec![Some(i as f64)]))
            .collect();
        let (out, folded) = top_rows(rows.clone(), 2, Rollup::Sum, None, "org");
        assert_eq!(folded, 3);
        let others = out.last().unwrap();
        assert_eq!(
            (
                others.label.as_str(),
                others.values.as_slice(),
                others.muted
            ),
            ("Others (3 orgs)", [Some(3.0)].as_slice(), true)
        );
        let (out, _) = top_rows(rows.clone(), 2, Rollup::Mean, None, "team");
        let others = out.last().unwrap();
        assert_eq!(others.label, "Others (3 teams, mean)");
        assert_eq!(others.values, [Some(1.0)]);
        let (out, folded) = top_rows(rows, 2, Rollup::None, None, "team");
        assert_eq!((out.len(), folded), (2, 3));
        assert_eq!(out[0].label, "org 4");
    }
}
