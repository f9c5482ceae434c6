//! `op1.toml` as written ([`RawSettings`], what serde fills) and its
//! validation into the [`Settings`] the pipeline takes: codes upper-cased
//! and checked, amounts and tolerances in range, rule levels and the metric
//! dictionary resolved. A value out of range is an error naming its key.

use super::{
    default_currency, resolve_rule_levels, Ambition, CheckSettings, CheckpointSettings,
    DiffSettings, DocumentSettings, Funding, Limits, RoundSettings, Settings, SettingsError,
    ABSURD_AMOUNT,
};
use crate::dictionary::RawDictionary;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `op1.toml` as written: what serde reads, before anything is checked.
/// Every field has a sensible default, so a round with no settings file
/// still runs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSettings {
    /// The ISO-4217 code all money is reported in.
    #[serde(default = "default_currency")]
    pub(super) reporting_currency: String,
    /// The fiscal year of the round; workbooks that state another are refused.
    pub(super) fiscal_year: Option<i64>,
    /// Exchange rates: one unit of the key currency is this many reporting-currency units.
    #[serde(default)]
    pub(super) fx: BTreeMap<String, f64>,
    #[serde(default)]
    pub(super) funding: Funding,
    #[serde(default, deserialize_with = "super::funding::targets")]
    pub(super) targets: super::Targets,
    #[serde(default)]
    pub(super) ambition: Ambition,
    #[serde(default)]
    pub(super) round: RoundSettings,
    /// Rule id → `error`, `warning`, `info` or `off`.
    #[serde(default)]
    pub(super) rules: BTreeMap<String, String>,
    #[serde(default)]
    pub(super) checks: CheckSettings,
    #[serde(default)]
    pub(super) limits: Limits,
    #[serde(default)]
    pub(super) document: DocumentSettings,
    #[serde(default)]
    pub(super) checkpoint: CheckpointSettings,
    #[serde(default)]
    pub(super) diff: DiffSettings,
    /// `[metrics."NAME"]` as written, in the file's order.
    #[serde(default, deserialize_with = "crate::dictionary::in_file_order")]
    pub(super) metrics: RawDictionary,
}

impl RawSettings {
    /// The settings as written, checked and resolved into [`Settings`]
    /// (relative paths against the current folder until
    /// [`Settings::load`] says whose they are).
    ///
    /// # Errors
    /// [`SettingsError::Invalid`] naming the first key out of range.
    pub(super) fn validate(self) -> Result<Settings, SettingsError> {
        let invalid = |key: &str, message: String| SettingsError::Invalid {
            path: PathBuf::new(),
            key: key.to_string(),
            message,
        };
        let reporting_currency = self.reporting_currency.trim().to_ascii_uppercase();
        if !crate::currency::is_iso_code(&reporting_currency) {
            return Err(invalid(
                "reporting_currency",
                format!("must be an ISO-4217 code, found \"{reporting_currency}\""),
            ));
        }
        let mut fx = BTreeMap::new();
        for (code, rate) in &self.fx {
            let upper = code.trim().to_ascii_uppercase();
            if !crate::currency::is_iso_code(&upper) {
                return Err(invalid(
                    &format!("fx.{code}"),
                    "is not an ISO-4217 currency code".into(),
                ));
            }
            if !rate.is_finite() || *rate <= 0.0 || *rate >= ABSURD_AMOUNT {
                return Err(invalid(
                    &format!("fx.{code}"),
                    format!("must be a positive rate below 1e15, found {rate}"),
                ));
            }
            fx.insert(upper, *rate);
        }
        if let Some(budget) = self.funding.budget {
            if !budget.is_finite() || budget < 0.0 {
                return Err(invalid(
                    "funding.budget",
                    format!("must be zero or more, found {budget}"),
                ));
            }
            if budget >= ABSURD_AMOUNT {
                return Err(invalid(
                    "funding.budget",
                    format!("is {budget:e}, more than any plan's money (a typo?); op1 takes budgets below 1e15"),
                ));
            }
        }
        let amount_ok = |v: f64| v.is_finite() && (0.0..ABSURD_AMOUNT).contains(&v);
        for (org, cap) in &self.funding.caps {
            if !amount_ok(*cap) {
                return Err(invalid(
                    &format!("funding.caps.{org}"),
                    format!("must be an amount from 0 up to 1e15, found {cap}"),
                ));
            }
        }
        if let Some(heads) = self.funding.headcount_cap {
            if !amount_ok(heads) {
                return Err(invalid(
                    "funding.headcount_cap",
                    format!("must be zero or more heads, found {heads}"),
                ));
            }
        }
        for (scope, metrics) in &self.targets {
            for (metric, target) in metrics {
                if !(target.is_finite() && target.abs() < ABSURD_AMOUNT) {
                    return Err(invalid(
                        &format!("targets.{scope}.{metric}"),
                        format!("must be an amount below 1e15, found {target}"),
                    ));
                }
            }
        }
        let tolerance = self.checks.target_tolerance;
        if !(tolerance.is_finite() && (0.0..1.0).contains(&tolerance)) {
            return Err(invalid(
                "checks.target_tolerance",
                format!("must be a fraction from 0 up to 1 (0.02 is 2%), found {tolerance}"),
            ));
        }
        for group in &self.funding.together {
            let distinct: std::collections::BTreeSet<String> =
                group.iter().map(|t| crate::names::normalise(t)).collect();
            if distinct.len() < 2 {
                return Err(invalid(
                    "funding.together",
                    format!(
                        "each group names two teams or more, found {}",
                        crate::text::quoted(group)
                    ),
                ));
            }
        }
        if !(self.ambition.multiple.is_finite() && self.ambition.multiple > 0.0) {
            return Err(invalid(
                "ambition.multiple",
                format!("must be positive, found {}", self.ambition.multiple),
            ));
        }
        if !(self.ambition.years.is_finite() && self.ambition.years > 0.0) {
            return Err(invalid(
                "ambition.years",
                format!("must be positive, found {}", self.ambition.years),
            ));
        }
        for (key, value) in [
            (
                "checks.flat_resources_tolerance",
                self.checks.flat_resources_tolerance,
            ),
            ("checks.totals_tolerance", self.checks.totals_tolerance),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(invalid(key, format!("must be zero or more, found {value}")));
            }
        }
        if !(self.diff.tolerance.is_finite() && (0.0..1.0).contains(&self.diff.tolerance)) {
            return Err(invalid(
                "diff.tolerance",
                format!(
                    "must be a fraction from 0 up to 1 (0.001 is 0.1%), found {}",
                    self.diff.tolerance
                ),
            ));
        }
        self.checkpoint
            .validate()
            .map_err(|(key, message)| invalid(&key, message))?;
        if self.document.pages == 0 || self.document.words_per_page == 0 {
            return Err(invalid(
                "document",
                "pages and words_per_page must be positive".into(),
            ));
        }
        if self.limits.max_rows == 0
            || self.limits.max_cols == 0
            || self.limits.max_file_mib == 0
            || self.limits.max_part_mib == 0
        {
            return Err(invalid("limits", "values must be positive".into()));
        }
        let rule_levels =
            resolve_rule_levels(&self.rules).map_err(|(key, message)| invalid(&key, message))?;
        let dictionary = crate::dictionary::validate(&self.metrics)
            .map_err(|(key, message)| invalid(&key, message))?;
        Ok(Settings {
            reporting_currency,
            fiscal_year: self.fiscal_year,
            fx,
            funding: self.funding,
            targets: self.targets,
            ambition: self.ambition,
            round: self.round,
            rule_levels,
            checks: self.checks,
            limits: self.limits,
            document: self.document,
            checkpoint: self.checkpoint,
            diff: self.diff,
            dictionary,
            base_dir: PathBuf::from("."),
        })
    }
}
