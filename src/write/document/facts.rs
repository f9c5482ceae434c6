//! What the document reads of the round, typed once: the teams in reading
//! order, the objective's round totals, the funding cases, the 10× gap, the
//! open findings per team; and the orderings it needs (asks by date, risks
//! by impact × likelihood).

use crate::finding::{Finding, Severity};
use crate::model::schema;
use crate::model::{self, RoundTotal};
use crate::plan::{Risk, TeamWorkbook};
use crate::write::PackInput;
use std::collections::BTreeMap;

/// The round as the document reads it.
pub(super) struct Facts<'a> {
    pub(super) input: &'a PackInput<'a>,
    /// The included teams, by org path then name.
    pub(super) teams: Vec<&'a TeamWorkbook>,
    pub(super) findings: &'a [Finding],
    /// The charts written, relative to the output folder.
    pub(super) charts: &'a [String],
}

/// One investment case as ranked.
pub(super) struct Case {
    pub(super) rank: u32,
    pub(super) team: String,
    pub(super) budget: f64,
    pub(super) uplift: Option<f64>,
    pub(super) roi: Option<f64>,
    pub(super) funded: bool,
    pub(super) reason: String,
}

/// The objective's 10× gap for the round.
pub(super) struct Ambition {
    pub(super) metric: String,
    pub(super) needed: f64,
    /// Σ Investment ÷ Σ LY Actual over the teams.
    pub(super) round_multiple: f64,
    /// Teams by implied multiple, lowest first.
    pub(super) furthest_short: Vec<(String, f64)>,
}

impl<'a> Facts<'a> {
    pub(super) fn new(
        input: &'a PackInput<'a>,
        findings: &'a [Finding],
        charts: &'a [String],
    ) -> Facts<'a> {
        let mut teams: Vec<&TeamWorkbook> = input.included.to_vec();
        teams.sort_by(|a, b| (a.org_path(), a.name()).cmp(&(b.org_path(), b.name())));
        Facts {
            input,
            teams,
            findings,
            charts,
        }
    }

    /// The round totals of the funding objective, if there is one.
    pub(super) fn objective_total(&self) -> Option<&'a RoundTotal> {
        let key = &self.input.model.params.objective.as_ref()?.key;
        self.input.model.totals.iter().find(|t| &t.key == key)
    }

    /// The ranked investment cases (empty when the model has none).
    pub(super) fn funding(&self) -> Vec<Case> {
        let df = &self.input.model.funding;
        let read = || -> polars::prelude::PolarsResult<Vec<Case>> {
            let rank = model::uints(df, schema::RANK)?;
            let team = model::strings(df, schema::TEAM)?;
            let budget = model::floats(df, schema::INCREMENTAL_BUDGET)?;
            let uplift = model::floats(df, schema::UPLIFT)?;
            let roi = model::floats(df, schema::ROI)?;
            let funded = model::bools(df, schema::FUNDED)?;
            let reason = model::strings(df, schema::WHY)?;
            Ok((0..df.height())
                .map(|i| Case {
                    rank: rank[i].unwrap_or(0),
                    team: team[i].clone(),
                    budget: budget[i].unwrap_or(0.0),
                    uplift: uplift[i].filter(|v| v.is_finite()),
                    roi: roi[i].filter(|v| v.is_finite()),
                    funded: funded[i].unwrap_or(false),
                    reason: reason[i].clone(),
                })
                .collect())
        };
        read().unwrap_or_default()
    }

    /// The objective's 10× gap (or the first money metric's when there is
    /// no objective), from the model's ambition table.
    pub(super) fn ambition(&self) -> Option<Ambition> {
        let df = &self.input.model.ambition;
        let metric = model::strings(df, schema::METRIC).ok()?;
        let team = model::strings(df, schema::TEAM).ok()?;
        let ly = model::floats(df, schema::LY_ACTUAL).ok()?;
        let inv = model::floats(df, schema::INVESTMENT).ok()?;
        let implied = model::floats(df, schema::IMPLIED_MULTIPLE).ok()?;
        let needed = model::floats(df, schema::NEEDED_MULTIPLE).ok()?;
        let wanted = self.objective_total().map(|t| t.key.clone());
        let chosen = (0..df.height()).find(|&i| match &wanted {
            Some(key) => crate::names::normalise(&metric[i]) == *key,
            None => true,
        })?;
        let name = metric[chosen].clone();
        let rows: Vec<usize> = (0..df.height()).filter(|&i| metric[i] == name).collect();
        let (sum_ly, sum_inv) = rows.iter().fold((0.0, 0.0), |(l, v), &i| {
            (l + ly[i].unwrap_or(0.0), v + inv[i].unwrap_or(0.0))
        });
        let mut short: Vec<(String, f64)> = rows
            .iter()
            .filter_map(|&i| Some((team[i].clone(), implied[i].filter(|v| v.is_finite())?)))
            .collect();
        short.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        Some(Ambition {
            metric: name,
            needed: needed[chosen]?,
            round_multiple: if sum_ly > 0.0 { sum_inv / sum_ly } else { 0.0 },
            furthest_short: short,
        })
    }

    /// Per team with any: (errors, warnings) still open, by team name.
    pub(super) fn open_findings(&self) -> BTreeMap<String, (usize, usize)> {
        let mut out: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for f in self.findings {
            let Some(team) = &f.team else { continue };
            match f.severity {
                Severity::Error => out.entry(team.clone()).or_default().0 += 1,
                Severity::Warning => out.entry(team.clone()).or_default().1 += 1,
                Severity::Info => {}
            }
        }
        out
    }

    /// The findings about one team.
    pub(super) fn findings_of(&self, team: &str) -> impl Iterator<Item = &'a Finding> + '_ {
        let team = team.to_string();
        self.findings
            .iter()
            .filter(move |f| f.team.as_deref() == Some(team.as_str()))
    }
}

/// How a "Needed by" sorts: dates and quarters in time order (a quarter of
/// the round's fiscal year at its last day, calendar quarters assumed),
/// anything else after them in text order, blanks last.
pub(super) fn needed_by_key(text: Option<&str>, fiscal_year: Option<i64>) -> (u8, String) {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return (3, String::new());
    };
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return (0, d.format("%Y-%m-%d").to_string());
    }
    let upper = t.to_ascii_uppercase();
    if let Some(q) = upper
        .strip_prefix('Q')
        .and_then(|q| q.chars().next())
        .and_then(|c| c.to_digit(10))
        .filter(|q| (1..=4).contains(q))
    {
        return match fiscal_year {
            Some(y) => (0, format!("{y}-{:02}-31 Q{q}", q * 3)),
            None => (1, format!("Q{q}")),
        };
    }
    (2, t.to_lowercase())
}

/// A risk's impact × likelihood, each high 3, medium 2, low 1 (unknown 1).
pub(super) fn risk_score(r: &Risk) -> u32 {
    let level = |v: &Option<crate::plan::Val<String>>| match v
        .as_ref()
        .map(|v| v.value.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("high") => 3,
        Some("medium") => 2,
        _ => 1,
    };
    level(&r.impact) * level(&r.likelihood)
}
