//! The round's metric dictionary (`[metrics."NAME"]` in the settings): the
//! standard metrics every team reports, in the round's order, with the unit
//! kind, direction and roll-up that win over what a team typed.

use crate::names::normalise;
use crate::plan::{Better, Rollup, UnitKind};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// The round's standard metrics, in the settings' order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dictionary {
    pub metrics: Vec<StandardMetric>,
}

/// One metric of the dictionary.
#[derive(Clone, Debug, PartialEq)]
pub struct StandardMetric {
    /// As the settings spell it (the name the template writes).
    pub name: String,
    /// The normalised name metrics are matched by.
    pub key: String,
    pub unit: StandardUnit,
    pub better: Better,
    pub rollup: Rollup,
    /// The metric a weighted roll-up is weighted by.
    pub weight: Option<String>,
}

/// What a standard metric is measured in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StandardUnit {
    /// Money, in each team's currency (`unit = "money"` or a currency code).
    Money,
    /// A ratio (`unit = "%"`).
    Ratio,
    /// Anything else, named (`unit = "customers"`).
    Other(String),
}

impl StandardUnit {
    pub fn kind(&self) -> UnitKind {
        match self {
            StandardUnit::Money => UnitKind::Money,
            StandardUnit::Ratio => UnitKind::Ratio,
            StandardUnit::Other(_) => UnitKind::Other,
        }
    }

    /// As a person reads it: `money`, `%`, or the unit.
    pub fn describe(&self) -> &str {
        match self {
            StandardUnit::Money => "money",
            StandardUnit::Ratio => "%",
            StandardUnit::Other(u) => u,
        }
    }
}

impl Dictionary {
    /// The standard metric a team's metric name matches, if any.
    pub fn get(&self, name: &str) -> Option<&StandardMetric> {
        let key = normalise(name);
        self.metrics.iter().find(|m| m.key == key)
    }

    /// Whether the round has a dictionary at all.
    pub fn is_empty(&self) -> bool {
        self.metrics.is_empty()
    }

    /// The position of a metric key in the dictionary.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.metrics.iter().position(|m| m.key == key)
    }
}

/// `[metrics."NAME"]` as written, before validation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStandardMetric {
    pub unit: Option<String>,
    pub better: Option<String>,
    pub rollup: Option<String>,
}

/// The `[metrics]` tables in the order the settings file lists them.
pub type RawDictionary = Vec<(String, RawStandardMetric)>;

/// Deserialises `[metrics]` keeping the file's order (a map would sort it).
pub fn in_file_order<'de, D: Deserializer<'de>>(d: D) -> Result<RawDictionary, D::Error> {
    struct InOrder;
    impl<'de> Visitor<'de> for InOrder {
        type Value = RawDictionary;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("tables [metrics.\"NAME\"] with unit, better and rollup")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDictionary, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry()? {
                out.push(entry);
            }
            Ok(out)
        }
    }
    d.deserialize_map(InOrder)
}

/// Validates the raw `[metrics]` tables into a [`Dictionary`].
///
/// # Errors
/// The settings key (`metrics."Gross margin".rollup`) and what is wrong, for
/// a duplicate or blank name, a missing unit, or a direction or roll-up op1
/// does not know.
pub fn validate(raw: &RawDictionary) -> Result<Dictionary, (String, String)> {
    let mut metrics: Vec<StandardMetric> = Vec::new();
    for (name, entry) in raw {
        let at = |field: &str| format!("metrics.\"{name}\".{field}");
        let key = normalise(name);
        if key.is_empty() {
            return Err((format!("metrics.\"{name}\""), "needs a name".into()));
        }
        if metrics.iter().any(|m| m.key == key) {
            return Err((
                format!("metrics.\"{name}\""),
                "is listed twice (names match ignoring case, spaces and punctuation)".into(),
            ));
        }
        let unit = match entry.unit.as_deref().map(str::trim) {
            None | Some("") => {
                return Err((
                    at("unit"),
                    "is required: money, %, or a unit such as customers".into(),
                ))
            }
            Some(u) if u.eq_ignore_ascii_case("money") => StandardUnit::Money,
            Some(u) if crate::currency::is_iso_code(&u.to_ascii_uppercase()) => StandardUnit::Money,
            Some("%") | Some("percent") => StandardUnit::Ratio,
            Some(u) => StandardUnit::Other(u.to_string()),
        };
        let better = match entry.better.as_deref().map(|b| b.trim().to_lowercase()) {
            None => Better::Higher,
            Some(b) => Better::parse(&b).ok_or_else(|| {
                (
                    at("better"),
                    format!("must be higher or lower, found \"{b}\""),
                )
            })?,
        };
        let default_rollup = if unit == StandardUnit::Ratio {
            Rollup::Mean
        } else {
            Rollup::Sum
        };
        let (rollup, weight) = match entry.rollup.as_deref() {
            None => (default_rollup, None),
            Some(r) => Rollup::read(r).ok_or_else(|| {
                (
                    at("rollup"),
                    format!("must be sum, mean, weighted by <Metric> or none, found \"{r}\""),
                )
            })?,
        };
        metrics.push(StandardMetric {
            name: name.trim().to_string(),
            key,
            unit,
            better,
            rollup,
            weight,
        });
    }
    for m in &metrics {
        if let Some(w) = &m.weight {
            if !metrics
                .iter()
                .any(|x| x.key == normalise(w) && x.key != m.key)
            {
                return Err((
                    format!("metrics.\"{}\".rollup", m.name),
                    format!(
                        "is weighted by \"{w}\", which is not another metric of the dictionary"
                    ),
                ));
            }
        }
    }
    Ok(Dictionary { metrics })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Wrapper {
        #[serde(deserialize_with = "in_file_order")]
        metrics: RawDictionary,
    }

    fn parse(text: &str) -> Result<Dictionary, (String, String)> {
        let w: Wrapper = toml::from_str(text).unwrap();
        validate(&w.metrics)
    }

    #[test]
    fn the_file_order_is_the_rounds_order() {
        let d = parse(
            "[metrics.\"Revenue\"]\nunit = \"money\"\n[metrics.\"Active customers\"]\nunit = \"customers\"\n[metrics.\"Gross margin\"]\nunit = \"%\"\nrollup = \"weighted by Revenue\"\n",
        )
        .unwrap();
        let names: Vec<&str> = d.metrics.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["Revenue", "Active customers", "Gross margin"]);
        assert_eq!(d.metrics[1].unit, StandardUnit::Other("customers".into()));
        assert_eq!(d.metrics[2].rollup, Rollup::Weighted);
        assert_eq!(d.metrics[2].weight.as_deref(), Some("Revenue"));
        assert_eq!(d.get("gross_margin").unwrap().unit, StandardUnit::Ratio);
    }

    #[test]
    fn mistakes_name_the_settings_key() {
        let (key, message) =
            parse("[metrics.\"Margin\"]\nunit = \"%\"\nrollup = \"weighted by Revenue\"\n")
                .unwrap_err();
        assert_eq!(key, "metrics.\"Margin\".rollup");
        assert!(message.contains("\"Revenue\""), "{message}");
        let (key, _) = parse("[metrics.\"Revenue\"]\nbetter = \"up\"\n").unwrap_err();
        assert_eq!(key, "metrics.\"Revenue\".unit");
        let (key, _) =
            parse("[metrics.\"Revenue\"]\nunit = \"USD\"\nbetter = \"upward\"\n").unwrap_err();
        assert_eq!(key, "metrics.\"Revenue\".better");
    }
}
