//! One version of the round as the comparison reads it: an earlier pack
//! folder's tables, or a round modelled now and published the same way
//! (`model::publish`), so that both sides are read by one function.

use super::{Compared, FindingKey, Value, ValueKey};
use crate::finding::Finding;
use crate::model::schema;
use crate::model::{self, publish, Model, Objective};
use crate::plan::{Better, TeamWorkbook, Track, UnitKind};
use crate::snapshot::{PackRecord, Snapshot};
use polars::prelude::*;
use std::collections::BTreeMap;

/// One version of the round.
#[derive(Clone, Debug)]
pub struct Version {
    /// Where it came from (the folder or files), for the report.
    pub label: String,
    /// Every typed plan value and resource, keyed by team, kind, normalised
    /// name and track (Funded is modelled, not typed: its changes are the
    /// funding moves and the bridge).
    pub values: BTreeMap<ValueKey, Value>,
    /// Team → (funded, ROI).
    pub funding: BTreeMap<String, (bool, Option<f64>)>,
    /// Every finding, matched by rule, team and place (messages quote file
    /// paths, which differ between versions of a round).
    pub findings: BTreeMap<(String, String, String), FindingKey>,
    /// (team, register) → its rows' text, in order.
    pub registers: BTreeMap<(String, String), Vec<String>>,
    /// The reporting currency.
    pub currency: String,
    /// The incremental envelope, reporting currency.
    pub envelope: Option<f64>,
    /// The objective and each team's Funded value of it.
    pub objective: Option<ObjectiveFunded>,
    /// Teams left out of this version for errors: a round's hold the values
    /// their workbooks could give; a pack's only say they were there.
    pub excluded: std::collections::BTreeSet<String>,
}

/// The objective as the round funded it: each team's Funded value
/// (reporting currency), and how to show and judge them.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectiveFunded {
    pub name: String,
    pub key: String,
    pub unit_kind: UnitKind,
    /// The unit as teams write it (for money, the reporting currency stands).
    pub unit: String,
    pub better: Better,
    /// Team → its Funded value of the objective.
    pub funded: BTreeMap<String, f64>,
}

/// A side's tables as a pack publishes them.
struct Tables<'a> {
    long: &'a DataFrame,
    resources: &'a DataFrame,
    funding: &'a DataFrame,
    record: &'a PackRecord,
}

impl Version {
    /// An earlier pack folder.
    ///
    /// # Errors
    /// A [`PolarsError`] when the pack's tables lack a column op1 writes.
    pub fn from_snapshot(s: &Snapshot) -> PolarsResult<Version> {
        let f = &s.findings;
        let text = |c: &str| model::strings(f, c);
        let severity = text("severity")?;
        let (rule, team, file, sheet, cell, message) = (
            text("rule")?,
            text(schema::TEAM)?,
            text("file")?,
            text("sheet")?,
            text("cell")?,
            text("message")?,
        );
        let findings = (0..f.height()).map(|i| FindingKey {
            rule: rule[i].clone(),
            team: team[i].clone(),
            place: place(&file[i], &sheet[i], &cell[i]),
            message: message[i].clone(),
        });
        let r = &s.registers;
        let (rteam, register, rtext) = (
            model::strings(r, schema::TEAM)?,
            model::strings(r, "register")?,
            model::strings(r, "text")?,
        );
        let registers =
            (0..r.height()).map(|i| (rteam[i].clone(), register[i].clone(), rtext[i].clone()));
        let tables = Tables {
            long: &s.long,
            resources: &s.resources,
            funding: &s.funding,
            record: &s.record,
        };
        // Named by the round it packed (`fixtures/round-fy27`), else its folder.
        let label = s
            .record
            .round
            .clone()
            .unwrap_or_else(|| s.dir.display().to_string());
        let mut side = from_tables(label, &tables, findings, registers)?;
        // A team with an error the pack has no values of was left out of it.
        let held = side
            .teams()
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>();
        side.excluded = (0..f.height())
            .filter(|&i| severity[i] == "error" && !team[i].is_empty())
            .map(|i| team[i].clone())
            .filter(|t| !held.contains(t))
            .collect();
        Ok(side)
    }

    /// Adds the teams left out of a modelled round for errors: the values
    /// their workbooks hold as read (a value that could not be read is
    /// absent; Baseline blank is LY Actual, as the model takes it; money
    /// resources in the reporting currency where the rate is known), their
    /// registers, and their names in [`Version::excluded`] — so that a
    /// resubmission that fixed them is compared value by value.
    pub fn with_excluded(
        mut self,
        workbooks: &[&TeamWorkbook],
        settings: &crate::settings::Settings,
    ) -> Version {
        for wb in workbooks {
            self.excluded.insert(wb.name().to_string());
            self.values.extend(workbook_values(wb, settings));
        }
        for (team, register, text) in crate::plan::register_rows(workbooks) {
            self.registers
                .entry((team, register.to_string()))
                .or_default()
                .push(text);
        }
        self
    }

    /// A round as modelled now, published as a pack would publish it.
    ///
    /// # Errors
    /// A [`PolarsError`] only on an internal inconsistency of the model.
    pub fn from_model(
        label: String,
        m: &Model,
        findings: &[Finding],
        workbooks: &[&TeamWorkbook],
    ) -> PolarsResult<Version> {
        let long = publish::long(&m.long, &m.sources)?;
        let resources = publish::resources(&m.resources, &m.sources)?;
        let record = PackRecord {
            written_by: String::new(),
            currency: m.reporting_currency.clone(),
            objective: m.params.objective.as_ref().map(|o| o.name.clone()),
            envelope: m.params.budget,
            round: None,
        };
        let findings = findings.iter().map(|f| FindingKey {
            rule: f.rule.id().to_string(),
            team: f.team.clone().unwrap_or_default(),
            place: place(
                f.file.as_deref().unwrap_or(""),
                f.sheet.as_deref().unwrap_or(""),
                f.cell.as_deref().unwrap_or(""),
            ),
            message: f.message.clone(),
        });
        let registers = crate::plan::register_rows(workbooks)
            .into_iter()
            .map(|(t, r, x)| (t, r.to_string(), x));
        let tables = Tables {
            long: &long,
            resources: &resources,
            funding: &m.funding,
            record: &record,
        };
        from_tables(label, &tables, findings, registers)
    }

    /// The teams this side has.
    pub(super) fn teams(&self) -> std::collections::BTreeSet<&str> {
        self.values.keys().map(|k| k.team.as_str()).collect()
    }
}

fn from_tables(
    label: String,
    t: &Tables<'_>,
    findings: impl Iterator<Item = FindingKey>,
    registers: impl Iterator<Item = (String, String, String)>,
) -> PolarsResult<Version> {
    let mut values = metric_values(t.long)?;
    values.extend(resource_values(t.resources)?);
    let mut register_map: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (team, register, text) in registers {
        register_map.entry((team, register)).or_default().push(text);
    }
    let objective = match &t.record.objective {
        Some(name) => objective_funded(t.long, &Objective::new(name))?,
        None => None,
    };
    Ok(Version {
        label,
        values,
        funding: funding(t.funding)?,
        findings: findings
            .map(|f| ((f.rule.clone(), f.team.clone(), f.place.clone()), f))
            .collect(),
        registers: register_map,
        currency: t.record.currency.clone(),
        envelope: t.record.envelope,
        objective,
        excluded: Default::default(),
    })
}

/// A workbook's typed values, keyed as the published tables key them.
fn workbook_values(
    wb: &TeamWorkbook,
    settings: &crate::settings::Settings,
) -> BTreeMap<ValueKey, Value> {
    let source = |pos: crate::plan::Pos| {
        crate::provenance::Source {
            file: &wb.file,
            sheet: wb.sheet_name(pos.sheet),
            row: pos.row,
            col: pos.col,
        }
        .to_string()
    };
    let key = |what, name: &str, track| ValueKey {
        team: wb.name().to_string(),
        what,
        key: crate::names::normalise(name),
        track,
    };
    let mut out = BTreeMap::new();
    for m in &wb.metrics {
        let rate = match m.unit_kind {
            UnitKind::Money => settings.rate(&m.unit.value),
            _ => Some(1.0),
        };
        for track in Track::READ {
            let typed = m.track(track).or(match track {
                Track::Baseline => m.track(Track::LyActual),
                _ => None,
            });
            if let Some(v) = typed {
                let value = Value {
                    name: m.name.value.clone(),
                    unit: m.unit.value.clone(),
                    value: v.value,
                    reporting: rate.map(|r| v.value * r),
                    source: source(v.pos),
                };
                out.insert(key(Compared::Metric, &m.name.value, track), value);
            }
        }
    }
    let currency = wb.currency_or(&settings.reporting_currency);
    for r in &wb.resources {
        let rate = if r.is_headcount() {
            Some(1.0)
        } else {
            settings.rate(currency)
        };
        let unit = if r.is_headcount() {
            crate::model::HEADS_UNIT
        } else if rate.is_some() {
            settings.reporting_currency.as_str()
        } else {
            currency
        };
        for (track, v) in [
            (Track::LyActual, &r.ly),
            (Track::Flat, &r.flat),
            (Track::Investment, &r.investment),
        ] {
            if let Some(v) = v {
                let value = rate.map_or(v.value, |r| v.value * r);
                let value = Value {
                    name: r.name.value.clone(),
                    unit: unit.to_string(),
                    value,
                    reporting: Some(value),
                    source: source(v.pos),
                };
                out.insert(key(Compared::Resource, &r.name.value, track), value);
            }
        }
    }
    out
}

/// `Plan!F7` with the file's name (not its folder, which differs between versions).
fn place(file: &str, sheet: &str, cell: &str) -> String {
    let name = std::path::Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match (sheet.is_empty(), cell.is_empty()) {
        (true, _) => name,
        (false, true) => format!("{name} › {sheet}"),
        (false, false) => format!("{name} › {sheet}!{cell}"),
    }
}

fn metric_values(long: &DataFrame) -> PolarsResult<BTreeMap<ValueKey, Value>> {
    let (team, metric, key, unit) = (
        model::strings(long, schema::TEAM)?,
        model::strings(long, schema::METRIC)?,
        model::strings(long, schema::METRIC_KEY)?,
        model::strings(long, schema::UNIT)?,
    );
    let track = model::tracks(long, schema::TRACK)?;
    let (value, reporting) = (
        model::floats(long, schema::VALUE)?,
        model::floats(long, schema::VALUE_REPORTING)?,
    );
    let source = model::strings(long, "source")?;
    let mut out = BTreeMap::new();
    for i in 0..long.height() {
        if track[i] == Track::Funded {
            continue;
        }
        if let Some(v) = value[i] {
            out.insert(
                ValueKey {
                    team: team[i].clone(),
                    what: Compared::Metric,
                    key: key[i].clone(),
                    track: track[i],
                },
                Value {
                    name: metric[i].clone(),
                    unit: unit[i].clone(),
                    value: v,
                    reporting: reporting[i],
                    source: source[i].clone(),
                },
            );
        }
    }
    Ok(out)
}

/// The resources, one value per track (already in the reporting currency).
fn resource_values(r: &DataFrame) -> PolarsResult<BTreeMap<ValueKey, Value>> {
    let (team, name, key, unit) = (
        model::strings(r, schema::TEAM)?,
        model::strings(r, schema::RESOURCE)?,
        model::strings(r, schema::RESOURCE_KEY)?,
        model::strings(r, schema::UNIT)?,
    );
    let mut out = BTreeMap::new();
    for (track, column, source) in [
        (Track::LyActual, "LY", "source_ly"),
        (Track::Flat, "Flat", "source_flat"),
        (Track::Investment, "Investment", "source_investment"),
    ] {
        let (value, source) = (model::floats(r, column)?, model::strings(r, source)?);
        for i in 0..r.height() {
            if let Some(v) = value[i] {
                out.insert(
                    ValueKey {
                        team: team[i].clone(),
                        what: Compared::Resource,
                        key: key[i].clone(),
                        track,
                    },
                    Value {
                        name: name[i].clone(),
                        unit: unit[i].clone(),
                        value: v,
                        reporting: Some(v),
                        source: source[i].clone(),
                    },
                );
            }
        }
    }
    Ok(out)
}

fn funding(f: &DataFrame) -> PolarsResult<BTreeMap<String, (bool, Option<f64>)>> {
    let (team, funded, roi) = (
        model::strings(f, schema::TEAM)?,
        model::bools(f, schema::FUNDED)?,
        model::floats(f, schema::ROI)?,
    );
    Ok((0..f.height())
        .map(|i| {
            (
                team[i].clone(),
                (funded[i] == Some(true), roi[i].filter(|r| r.is_finite())),
            )
        })
        .collect())
}

/// Each team's Funded value of the objective; `None` when no team reports it.
fn objective_funded(long: &DataFrame, o: &Objective) -> PolarsResult<Option<ObjectiveFunded>> {
    let rows = long
        .clone()
        .lazy()
        .filter(
            col(schema::METRIC_KEY)
                .eq(lit(o.key.clone()))
                .and(col(schema::TRACK).eq(lit(Track::Funded.name()))),
        )
        .collect()?;
    if rows.height() == 0 {
        return Ok(None);
    }
    let (team, value, unit) = (
        model::strings(&rows, schema::TEAM)?,
        model::floats(&rows, schema::VALUE_REPORTING)?,
        model::strings(&rows, schema::UNIT)?,
    );
    let (kinds, better) = (
        model::unit_kinds(&rows, schema::UNIT_KIND)?,
        model::betters(&rows, schema::BETTER)?,
    );
    Ok(Some(ObjectiveFunded {
        name: o.name.clone(),
        key: o.key.clone(),
        unit_kind: kinds[0],
        unit: unit[0].clone(),
        better: better[0],
        funded: (0..rows.height())
            .filter_map(|i| Some((team[i].clone(), value[i]?)))
            .collect(),
    }))
}
