//! The round's totals per metric — the roll-up's round scope read back into
//! Rust once, typed, in the round's metric order — for the writers that show
//! them (the Summary sheet, the charts).

use super::frame::{betters, floats, rollups, strings, tracks, uints, unit_kinds};
use super::ROUND_SCOPE;
use crate::model::schema;
use crate::plan::{Better, Rollup, Track, UnitKind};
use polars::prelude::*;
use std::collections::BTreeMap;

/// One metric's round totals.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundTotal {
    /// The round's name for the metric (its spelling in the first team by name).
    pub metric: String,
    /// The normalised name metrics are matched by.
    pub key: String,
    /// The unit the totals are in (the reporting currency for money).
    pub unit: String,
    pub unit_kind: UnitKind,
    pub better: Better,
    pub rollup: Rollup,
    /// The metric a weighted total is weighted by, as the round names it.
    pub weight: Option<String>,
    /// The total of each track that has one.
    pub values: BTreeMap<Track, f64>,
    /// How many teams each track's total covers.
    pub teams: BTreeMap<Track, u32>,
}

impl RoundTotal {
    /// The total of a track, if any team reports it.
    pub fn value(&self, track: Track) -> Option<f64> {
        self.values.get(&track).copied()
    }

    /// The roll-up as a person reads it: `sum`, `mean`, `weighted by Revenue`.
    pub fn rollup_described(&self) -> String {
        self.rollup.describe(self.weight.as_deref())
    }

    /// How many teams the totals cover (the most of any track).
    pub fn covered(&self) -> u32 {
        self.teams.values().copied().max().unwrap_or(0)
    }
}

/// The round's totals, one per rolled-up metric, in the round's metric order
/// (metrics that are not rolled up have none), read once from the roll-up.
///
/// # Errors
/// A [`PolarsError`] only on an internal inconsistency of the roll-up.
pub(super) fn round_totals(rollup: &DataFrame) -> PolarsResult<Vec<RoundTotal>> {
    let r = rollup;
    let (scope, metric, key, unit) = (
        strings(r, schema::SCOPE)?,
        strings(r, schema::METRIC)?,
        strings(r, schema::METRIC_KEY)?,
        strings(r, schema::UNIT)?,
    );
    let (kind, better, rollup, track) = (
        unit_kinds(r, schema::UNIT_KIND)?,
        betters(r, schema::BETTER)?,
        rollups(r, schema::ROLLUP_HOW)?,
        tracks(r, schema::TRACK)?,
    );
    let (value, teams) = (floats(r, schema::VALUE)?, uints(r, schema::TEAMS)?);
    let weight_key = strings(r, schema::WEIGHT_KEY)?;
    let mut out: Vec<RoundTotal> = Vec::new();
    for i in (0..r.height()).filter(|&i| scope[i] == ROUND_SCOPE) {
        if out.last().is_none_or(|t| t.key != key[i]) {
            out.push(RoundTotal {
                metric: metric[i].clone(),
                key: key[i].clone(),
                unit: unit[i].clone(),
                unit_kind: kind[i],
                better: better[i],
                rollup: rollup[i],
                weight: (!weight_key[i].is_empty()).then(|| weight_key[i].clone()),
                values: BTreeMap::new(),
                teams: BTreeMap::new(),
            });
        }
        let Some(total) = out.last_mut() else {
            continue;
        };
        if let Some(v) = value[i] {
            total.values.insert(track[i], v);
        }
        if let Some(n) = teams[i] {
            total.teams.insert(track[i], n);
        }
    }
    // The weighting metric by the name the round gives it (its key otherwise).
    let names: BTreeMap<String, String> = out
        .iter()
        .map(|t| (t.key.clone(), t.metric.clone()))
        .collect();
    for total in &mut out {
        if let Some(name) = total.weight.as_ref().and_then(|key| names.get(key)) {
            total.weight = Some(name.clone());
        }
    }
    Ok(out)
}
