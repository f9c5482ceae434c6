//! `[funding]`: the investment envelope, what cases are ranked by, and what
//! the room decides and constrains; and `[targets]`, the top-down targets it
//! is measured against — the method (`ranked` or `optimal`), the
//! decisions taken per team, the groups funded together, the budget caps per
//! org and the headcount cap (contract v3, "The decision"). Each value is
//! checked as it is read: an amount as `--budget` takes it, a decision that
//! is `fund` or `cut`.

use serde::Deserialize;
use std::collections::BTreeMap;

/// `[funding]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    /// Incremental investment envelope, in the reporting currency: a number
    /// or an amount as `--budget` takes it (`"2.5M"`, `"750k"`).
    #[serde(default, deserialize_with = "amount")]
    pub budget: Option<f64>,
    /// The metric investment cases are ranked by (e.g. `Revenue`).
    pub objective: Option<String>,
    /// How the funded set is chosen.
    #[serde(default)]
    pub method: Method,
    /// Teams funded together or not at all (each list one group).
    #[serde(default)]
    pub together: Vec<Vec<String>>,
    /// The two owners of every shared goal are a group.
    #[serde(default)]
    pub s2_together: bool,
    /// The incremental heads funded at most.
    #[serde(default, deserialize_with = "amount")]
    pub headcount_cap: Option<f64>,
    /// Org (a prefix of the org path) → the incremental budget it may be funded at most.
    #[serde(default, deserialize_with = "amounts")]
    pub caps: BTreeMap<String, f64>,
    /// Team → what the room decided for its case, taken before the ranking.
    #[serde(default, deserialize_with = "decisions")]
    pub decisions: BTreeMap<String, Decided>,
}

/// `[targets."SCOPE"]`: scope → metric → target, each an amount as
/// `--budget` takes it.
pub type Targets = BTreeMap<String, BTreeMap<String, f64>>;

/// `[targets]` as written: each scope's table of amounts.
pub(super) fn targets<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Targets, D::Error> {
    #[derive(Deserialize)]
    struct Scope(#[serde(deserialize_with = "amounts")] BTreeMap<String, f64>);
    let raw: BTreeMap<String, Scope> = BTreeMap::deserialize(d)?;
    Ok(raw
        .into_iter()
        .map(|(scope, Scope(t))| (scope, t))
        .collect())
}

/// How the funded set is chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Forced cases first, then by ROI, each taken when it fits (easy to
    /// explain; the default).
    #[default]
    Ranked,
    /// The set that funds the most uplift on the objective within the
    /// envelope and every constraint, exactly.
    Optimal,
}

impl Method {
    /// The name the settings and the outputs use.
    pub fn name(self) -> &'static str {
        match self {
            Method::Ranked => "ranked",
            Method::Optimal => "optimal",
        }
    }
}

/// What the room decided for a team's case.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decided {
    /// Funded whatever its rank or the envelope.
    Fund,
    /// Not funded whatever its rank.
    Cut,
    /// This share of the case (strictly between 0 and 1) funded whatever
    /// its rank: its cost, heads and every metric's and resource's
    /// increment over Flat, scaled.
    Fraction(f64),
}

impl Decided {
    /// As the settings and the outputs write it: `fund`, `cut`, `0.5`.
    pub fn label(self) -> String {
        match self {
            Decided::Fund => "fund".into(),
            Decided::Cut => "cut".into(),
            Decided::Fraction(f) => f.to_string(),
        }
    }

    /// The share of the case funded when the decision is taken: 1, 0 or the fraction.
    pub fn share(self) -> f64 {
        match self {
            Decided::Fund => 1.0,
            Decided::Cut => 0.0,
            Decided::Fraction(f) => f,
        }
    }
}

/// An amount: a TOML number, or a text [`crate::number::parse_amount`] reads.
fn amount<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Typed {
        Number(f64),
        Text(String),
    }
    match Typed::deserialize(d) {
        Ok(Typed::Number(n)) => Ok(Some(n)),
        Ok(Typed::Text(text)) => crate::number::parse_amount(&text).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected a number or an amount such as \"2.5M\", found \"{text}\""
            ))
        }),
        Err(_) => Err(serde::de::Error::custom(
            "expected a number or an amount such as \"2.5M\"",
        )),
    }
}

/// A table of amounts (`[funding.caps]`), each as [`amount`] reads it.
fn amounts<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, f64>, D::Error> {
    #[derive(Deserialize)]
    struct One(#[serde(deserialize_with = "amount")] Option<f64>);
    let raw: BTreeMap<String, One> = BTreeMap::deserialize(d)?;
    Ok(raw
        .into_iter()
        .filter_map(|(k, One(v))| v.map(|v| (k, v)))
        .collect())
}

/// `[funding.decisions]`: each `"fund"`, `"cut"` or a share from 0 to 1.
fn decisions<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Decided>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Typed {
        Text(String),
        Number(f64),
    }
    let raw: BTreeMap<String, Typed> = BTreeMap::deserialize(d)?;
    let mut out = BTreeMap::new();
    for (team, typed) in raw {
        let decided = match &typed {
            Typed::Text(t) if t.trim().eq_ignore_ascii_case("fund") => Decided::Fund,
            Typed::Text(t) if t.trim().eq_ignore_ascii_case("cut") => Decided::Cut,
            Typed::Text(t) => {
                return Err(serde::de::Error::custom(format!(
                    "the decision for \"{team}\" is \"{t}\": write \"fund\" or \"cut\""
                )))
            }
            Typed::Number(f) if *f == 0.0 => Decided::Cut,
            Typed::Number(f) if *f == 1.0 => Decided::Fund,
            Typed::Number(f) if *f > 0.0 && *f < 1.0 => Decided::Fraction(*f),
            Typed::Number(f) => {
                return Err(serde::de::Error::custom(format!(
                    "the decision for \"{team}\" is {f}: write \"fund\", \"cut\" or the share of the case to fund, from 0 to 1 (0.5 is half)"
                )))
            }
        };
        out.insert(team, decided);
    }
    Ok(out)
}
