//! `[checkpoint]`: the status thresholds of a quarterly checkpoint, the
//! delivery below which a funded case is "cut or fix", the fiscal year's
//! first month, and each metric's quarterly phasing.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointSettings {
    /// A projection this far below plan (a fraction of it) is still green.
    #[serde(default = "default_green_within")]
    pub green_within: f64,
    /// … and beyond this it is red.
    #[serde(default = "default_red_beyond")]
    pub red_beyond: f64,
    /// Delivery below this makes a funded case "cut or fix".
    #[serde(default = "default_cut_below")]
    pub cut_below: f64,
    /// The calendar month the fiscal year starts in (1 = January).
    #[serde(default = "default_start_month")]
    pub fiscal_year_start_month: u32,
    /// Metric name → the share of its full-year plan due in each quarter
    /// (four weights summing to 1); default even.
    #[serde(default)]
    pub phasing: BTreeMap<String, [f64; 4]>,
    /// Which projection colours a status before year end: the team's
    /// Forecast where given (the default), or always the pace projection.
    #[serde(default)]
    pub status_basis: StatusBasis,
}

/// The projection a status is judged on before year end (`[checkpoint]
/// status_basis`); both are shown either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusBasis {
    /// The team's Forecast where given, else the pace projection.
    #[default]
    Forecast,
    /// The pace projection from the actuals (`FC_pace`), a Forecast or not.
    Pace,
}

impl Default for CheckpointSettings {
    fn default() -> Self {
        CheckpointSettings {
            green_within: default_green_within(),
            red_beyond: default_red_beyond(),
            cut_below: default_cut_below(),
            fiscal_year_start_month: default_start_month(),
            phasing: BTreeMap::new(),
            status_basis: StatusBasis::default(),
        }
    }
}

fn default_green_within() -> f64 {
    0.02
}
fn default_red_beyond() -> f64 {
    0.10
}
fn default_cut_below() -> f64 {
    0.5
}
fn default_start_month() -> u32 {
    1
}

/// Even phasing: a quarter of the year's plan each quarter.
pub const EVEN: [f64; 4] = [0.25; 4];

impl CheckpointSettings {
    /// The phasing of a metric (matched by its normalised name), else even.
    pub fn phasing_of(&self, metric: &str) -> [f64; 4] {
        let key = crate::names::normalise(metric);
        self.phasing
            .iter()
            .find(|(name, _)| crate::names::normalise(name) == key)
            .map_or(EVEN, |(_, w)| *w)
    }

    /// Checks the values; the offending key and why.
    ///
    /// # Errors
    /// A threshold out of order or range, a month outside 1–12, or a phasing
    /// whose weights are negative or do not sum to 1.
    pub(super) fn validate(&self) -> Result<(), (String, String)> {
        let (g, r, c) = (self.green_within, self.red_beyond, self.cut_below);
        if !(g.is_finite() && r.is_finite() && 0.0 <= g && g < r) {
            return Err((
                "checkpoint".into(),
                format!("green_within ({g}) must be zero or more and below red_beyond ({r})"),
            ));
        }
        if !(c.is_finite() && c >= 0.0) {
            return Err((
                "checkpoint.cut_below".into(),
                format!("must be zero or more, found {c}"),
            ));
        }
        if !(1..=12).contains(&self.fiscal_year_start_month) {
            return Err((
                "checkpoint.fiscal_year_start_month".into(),
                format!(
                    "must be a month, 1 to 12, found {}",
                    self.fiscal_year_start_month
                ),
            ));
        }
        for (metric, w) in &self.phasing {
            let sum: f64 = w.iter().sum();
            if w.iter().any(|x| !x.is_finite() || *x < 0.0) || (sum - 1.0).abs() > 1e-6 {
                return Err((
                    format!("checkpoint.phasing.{metric}"),
                    format!("must be four shares of the year, zero or more, summing to 1; they sum to {sum}"),
                ));
            }
        }
        Ok(())
    }
}
