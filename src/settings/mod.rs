//! The round's settings: the optional `op1.toml` (or `--settings FILE`), parsed
//! with serde and validated into plain values the pipeline can trust.

mod checkpoint;
mod document;
mod funding;
mod raw;

pub use checkpoint::{CheckpointSettings, StatusBasis};
pub use document::{DocumentSettings, Paper};
pub use funding::{Decided, Funding, Method, Targets};
use raw::RawSettings;

use crate::dictionary::Dictionary;
use crate::finding::{Rule, RuleLevels, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::discover::SETTINGS_FILE;

/// Everything a round can configure, validated: the settings the pipeline
/// takes. Built only from a checked [`RawSettings`] (or the defaults), so
/// every value is in range, every code upper-case ISO-4217, every rule level
/// and the metric dictionary resolved.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The ISO-4217 code all money is reported in.
    pub reporting_currency: String,
    /// The fiscal year of the round; workbooks that state another are refused.
    pub fiscal_year: Option<i64>,
    /// Exchange rates: one unit of the key currency is this many reporting-currency units.
    pub fx: BTreeMap<String, f64>,
    pub funding: Funding,
    /// `[targets."SCOPE"]`: scope (`All` or an org prefix) → metric → the
    /// top-down target, reporting currency for money.
    pub targets: Targets,
    pub ambition: Ambition,
    pub round: RoundSettings,
    /// `[rules]` resolved into severity overrides; every stage grades its
    /// findings with these.
    pub rule_levels: RuleLevels,
    pub checks: CheckSettings,
    pub limits: Limits,
    pub document: DocumentSettings,
    pub checkpoint: CheckpointSettings,
    pub diff: DiffSettings,
    /// `[metrics."NAME"]` validated: the round's metric dictionary (empty
    /// when the settings have none).
    pub dictionary: Dictionary,
    /// The folder relative paths in the settings are resolved against.
    pub base_dir: PathBuf,
}

/// Money beyond any plan (a quadrillion): a budget or rate this large is a
/// typo, and its sums would lose the precision of the cents.
pub const ABSURD_AMOUNT: f64 = 1e15;

/// `[diff]`: what `op1 diff` and `op1 pack --since` count as a change.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffSettings {
    /// A value that moved by no more than this fraction of itself (0.001 =
    /// 0.1%) is unchanged; 0 (the default): any difference is a change.
    #[serde(default)]
    pub tolerance: f64,
}

/// `[ambition]`: the 10× question — grow `multiple` times in `years` years.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ambition {
    #[serde(default = "default_multiple")]
    pub multiple: f64,
    #[serde(default = "default_years")]
    pub years: f64,
}

impl Default for Ambition {
    fn default() -> Self {
        Ambition {
            multiple: default_multiple(),
            years: default_years(),
        }
    }
}

/// `[round]`: who must submit.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundSettings {
    /// The roster: every team expected to hand in a workbook.
    #[serde(default)]
    pub teams: Vec<String>,
    /// Or a one-column workbook holding the roster (relative to the settings file).
    pub roster: Option<PathBuf>,
}

/// `[checks]`: tolerances of the checklist rules.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSettings {
    /// How much more than last year the flat track may use, as a fraction (0.02 = 2 %).
    #[serde(default)]
    pub flat_resources_tolerance: f64,
    /// Relative difference a totals row may have from the sum above it.
    #[serde(default = "default_totals_tolerance")]
    pub totals_tolerance: f64,
    /// Whether `investment-below-flat` also judges costs (money metrics where
    /// lower is better). Off by default: more investment raises cost, as it
    /// should; a cost is an input, not an outcome.
    #[serde(default)]
    pub investment_below_flat_on_costs: bool,
    /// How far (a fraction of the target, 0.02 = 2 %) the funded plan may
    /// fall short of a top-down target before `target-gap` says so.
    #[serde(default)]
    pub target_tolerance: f64,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            flat_resources_tolerance: 0.0,
            totals_tolerance: default_totals_tolerance(),
            investment_below_flat_on_costs: false,
            target_tolerance: 0.0,
        }
    }
}

/// `[limits]`: what op1 refuses to read, so no input can exhaust the machine.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest input file, in MiB.
    #[serde(default = "default_max_file_mib")]
    pub max_file_mib: u64,
    /// Largest uncompressed part of a zipped workbook (xlsx, xlsm, xlsb, ods), in MiB.
    #[serde(default = "default_max_part_mib")]
    pub max_part_mib: u64,
    /// Most rows op1 reads from one sheet.
    #[serde(default = "default_max_rows")]
    pub max_rows: u32,
    /// Most columns op1 reads from one sheet.
    #[serde(default = "default_max_cols")]
    pub max_cols: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_mib: default_max_file_mib(),
            max_part_mib: default_max_part_mib(),
            max_rows: default_max_rows(),
            max_cols: default_max_cols(),
        }
    }
}

fn default_currency() -> String {
    "USD".to_string()
}
fn default_multiple() -> f64 {
    10.0
}
fn default_years() -> f64 {
    3.0
}
fn default_totals_tolerance() -> f64 {
    0.005
}
fn default_max_file_mib() -> u64 {
    100
}
fn default_max_part_mib() -> u64 {
    200
}
fn default_max_rows() -> u32 {
    10_000
}
fn default_max_cols() -> u32 {
    200
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            reporting_currency: default_currency(),
            fiscal_year: None,
            fx: BTreeMap::new(),
            funding: Funding::default(),
            targets: Targets::default(),
            ambition: Ambition::default(),
            round: RoundSettings::default(),
            rule_levels: RuleLevels::default(),
            checks: CheckSettings::default(),
            limits: Limits::default(),
            document: DocumentSettings::default(),
            checkpoint: CheckpointSettings::default(),
            diff: DiffSettings::default(),
            dictionary: Dictionary::default(),
            base_dir: PathBuf::from("."),
        }
    }
}

/// A TOML error in the user's terms: Rust's type names become words, and an
/// unknown key is followed by the known key it most likely meant.
fn in_plain_words(message: &str) -> String {
    let plain = [
        ("expected f64", "expected a number"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected a boolean", "expected true or false"),
        ("expected a string", "expected text in quotes"),
    ]
    .into_iter()
    .fold(message.to_string(), |m, (rust, plain)| {
        m.replace(rust, plain)
    });
    match unknown_key_hint(&plain) {
        Some(hint) => format!("{}; {hint}", plain.trim_end()),
        None => plain,
    }
}

/// `did you mean `funding`?` for serde's "unknown field `fundng`, expected
/// one of `a`, `b`" (the backquoted names after "expected").
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = &message[message.find("unknown field `")? + "unknown field `".len()..];
    let (unknown, rest) = rest.split_once('`')?;
    let known: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let near = crate::names::closest(unknown, known)?;
    Some(format!("did you mean `{near}`?"))
}

/// Why a settings file could not be used.
#[derive(Debug)]
pub enum SettingsError {
    /// The file could not be read.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown keys.
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    /// A value is out of range; `key` names it.
    Invalid {
        path: PathBuf,
        key: String,
        message: String,
    },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Io { path, source } => {
                write!(f, "{}: cannot read settings: {source}", path.display())
            }
            SettingsError::Parse { path, source } => {
                write!(
                    f,
                    "{}: invalid settings: {}",
                    path.display(),
                    in_plain_words(source.to_string().trim_end())
                )
            }
            SettingsError::Invalid { path, key, message } => {
                write!(f, "{}: invalid settings: `{key}` {message}", path.display())
            }
        }
    }
}

impl std::error::Error for SettingsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SettingsError::Io { source, .. } => Some(source),
            SettingsError::Parse { source, .. } => Some(source),
            SettingsError::Invalid { .. } => None,
        }
    }
}

impl Settings {
    /// Reads and validates a settings file.
    ///
    /// # Errors
    /// [`SettingsError`] when the file cannot be read, is not valid TOML, has
    /// unknown keys or out-of-range values.
    pub fn load(path: &Path) -> Result<Settings, SettingsError> {
        // A settings file is a few KB of text and a regular file: a pipe or
        // a device under its name is refused, not read (or waited on).
        let io = |source| SettingsError::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = crate::regular::read_capped(path, 16 << 20).map_err(|e| match e {
            crate::regular::RegularError::Io(e) => io(e),
            other => io(std::io::Error::other(other.to_string())),
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| io(std::io::Error::other("it is not UTF-8 text")))?;
        let mut settings = Settings::parse(&text).map_err(|e| match e {
            SettingsError::Parse { source, .. } => SettingsError::Parse {
                path: path.to_path_buf(),
                source,
            },
            SettingsError::Invalid { key, message, .. } => SettingsError::Invalid {
                path: path.to_path_buf(),
                key,
                message,
            },
            other => other,
        })?;
        settings.base_dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(settings)
    }

    /// Parses and validates settings from TOML text.
    ///
    /// # Errors
    /// [`SettingsError::Parse`] or [`SettingsError::Invalid`].
    pub fn parse(text: &str) -> Result<Settings, SettingsError> {
        let raw: RawSettings = toml::from_str(text).map_err(|source| SettingsError::Parse {
            path: PathBuf::new(),
            source,
        })?;
        raw.validate()
    }

    /// The rate that converts one unit of `currency` into the reporting
    /// currency, or `None` when the settings give none. The reporting currency
    /// itself converts at 1.
    pub fn rate(&self, currency: &str) -> Option<f64> {
        if currency.eq_ignore_ascii_case(&self.reporting_currency) {
            Some(1.0)
        } else {
            self.fx.get(&currency.to_ascii_uppercase()).copied()
        }
    }

    /// The round's title, as the document and the printed pack show it:
    /// `[document] title`, else "OP1 FY<year>" (or "OP1").
    pub fn round_title(&self) -> String {
        self.document
            .title
            .clone()
            .unwrap_or_else(|| match self.fiscal_year {
                Some(y) => format!("OP1 FY{y}"),
                None => "OP1".to_string(),
            })
    }

    /// The path of the roster workbook, resolved against the settings' folder.
    pub fn roster_path(&self) -> Option<PathBuf> {
        self.round.roster.as_ref().map(|p| self.base_dir.join(p))
    }
}

/// The `[rules]` table as severity overrides.
///
/// # Errors
/// The offending key and why, for an unknown rule id, an unknown level, or
/// an attempt to silence a rule that guards the numbers.
fn resolve_rule_levels(rules: &BTreeMap<String, String>) -> Result<RuleLevels, (String, String)> {
    let mut levels = RuleLevels::default();
    for (id, level) in rules {
        let key = format!("rules.{id}");
        let rule = Rule::from_id(id).ok_or_else(|| {
            let ids = Rule::ALL.iter().map(|r| r.id());
            let hint = crate::names::closest(id, ids)
                .map(|near| format!(" (did you mean `{near}`?)"))
                .unwrap_or_default();
            (key.clone(), format!("is not a rule id{hint}"))
        })?;
        let level = match level.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "off" => None,
            other => {
                return Err((
                    key,
                    format!("must be error, warning, info or off, found \"{other}\""),
                ))
            }
        };
        if !rule.is_adjustable() && level != Some(Severity::Error) {
            return Err((
                key,
                "guards the integrity of the numbers and stays an error".to_string(),
            ));
        }
        levels.set(rule, level);
    }
    Ok(levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_example_parses() {
        let s = Settings::parse(
            r#"
reporting_currency = "USD"
fiscal_year = 2027

[fx]
EUR = 1.08
GBP = 1.27

[funding]
budget = 5_000_000
objective = "Revenue"

[ambition]
multiple = 10
years = 3
"#,
        )
        .unwrap();
        assert_eq!(s.reporting_currency, "USD");
        assert_eq!(s.fiscal_year, Some(2027));
        assert_eq!(s.rate("eur"), Some(1.08));
        assert_eq!(s.rate("USD"), Some(1.0));
        assert_eq!(s.rate("CHF"), None);
        assert_eq!(s.funding.budget, Some(5_000_000.0));
        assert_eq!(s.ambition.multiple, 10.0);
    }

    #[test]
    fn defaults_without_a_file() {
        let s = Settings::parse("").unwrap();
        assert_eq!(s.reporting_currency, "USD");
        assert_eq!(s.ambition.years, 3.0);
        assert_eq!(s.limits.max_rows, 10_000);
    }

    #[test]
    fn refuses_what_is_wrong() {
        for (text, needle) in [
            ("reporting_currency = \"Dollars\"", "reporting_currency"),
            ("[fx]\nEUR = 0", "fx.EUR"),
            ("[fx]\nEUR = -1.1", "fx.EUR"),
            ("[funding]\nbudget = -5", "funding.budget"),
            ("[ambition]\nyears = 0", "ambition.years"),
            ("[rules]\nasks-count = \"loud\"", "rules.asks-count"),
            ("[rules]\nno-such-rule = \"off\"", "rules.no-such-rule"),
            ("[rules]\nnot-a-number = \"off\"", "rules.not-a-number"),
            ("typo_key = 1", "typo_key"),
        ] {
            let err = Settings::parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text:?} gave {err}");
        }
    }

    #[test]
    fn type_errors_are_in_plain_words() {
        let err = Settings::parse("[funding]\nbudget = \"lots\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected a number"), "{err}");
        assert!(err.contains("\"lots\""), "{err}");
        assert!(!err.contains("f64"), "{err}");
    }

    #[test]
    fn a_budget_reads_like_the_command_lines() {
        for (typed, want) in [
            ("2_500_000", 2_500_000.0),
            ("2.5e6", 2_500_000.0),
            ("\"2.5M\"", 2_500_000.0),
            ("\"750k\"", 750_000.0),
            ("\"1,200,000\"", 1_200_000.0),
        ] {
            let s = Settings::parse(&format!("[funding]\nbudget = {typed}")).unwrap();
            assert_eq!(s.funding.budget, Some(want), "{typed}");
        }
    }

    #[test]
    fn rule_overrides() {
        let s = Settings::parse("[rules]\nasks-count = \"error\"\ntotals-row = \"off\"").unwrap();
        let mut findings = crate::finding::Findings::new(s.rule_levels.clone());
        findings.extend([
            crate::finding::Finding::new(Rule::AsksCount, "a"),
            crate::finding::Finding::new(Rule::TotalsRow, "b"),
        ]);
        assert_eq!(findings.all().len(), 1);
        assert_eq!(findings.all()[0].severity, Severity::Error);
    }
}
