//! What changed between two versions of a round (`op1 diff OLD NEW`): teams
//! added and withdrawn, every metric × track value that changed (with the
//! old and new source cells), metrics added and removed, cases that moved
//! above or below the funding line, and findings new and resolved. Each side
//! is a round read and modelled as `pack` does, or an earlier pack folder.
//! [`report`] writes the changes as text and JSON.

pub mod report;

use crate::finding::Finding;
use crate::model::{self, Model};
use crate::plan::Track;
use crate::snapshot::Snapshot;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// One version of the round, as the comparison reads it.
#[derive(Clone, Debug)]
pub struct Side {
    /// Where it came from (the folder or files), for the report.
    pub label: String,
    /// (team, metric key, track) → the value.
    pub values: BTreeMap<(String, String, Track), Value>,
    /// Team → (funded, ROI).
    pub funding: BTreeMap<String, (bool, Option<f64>)>,
    /// Every finding, matched by rule, team and place (messages quote file
    /// paths, which differ between versions of a round).
    pub findings: BTreeMap<(String, String, String), FindingKey>,
    /// (team, register) → its rows' text, in order.
    pub registers: BTreeMap<(String, String), Vec<String>>,
}

fn registers_of(
    rows: impl Iterator<Item = (String, String, String)>,
) -> BTreeMap<(String, String), Vec<String>> {
    let mut out: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (team, register, text) in rows {
        out.entry((team, register)).or_default().push(text);
    }
    out
}

/// A value with what is needed to show it.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub metric: String,
    /// In the team's currency (or unit).
    pub value: f64,
    /// In the reporting currency.
    pub reporting: Option<f64>,
    pub source: String,
}

/// A finding as the comparison matches it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FindingKey {
    pub rule: String,
    pub team: String,
    pub place: String,
    pub message: String,
}

impl FindingKey {
    fn keyed(self) -> ((String, String, String), FindingKey) {
        (
            (self.rule.clone(), self.team.clone(), self.place.clone()),
            self,
        )
    }
}

impl Side {
    /// An earlier pack folder.
    ///
    /// # Errors
    /// A [`PolarsError`] when the pack's tables lack a column op1 writes.
    pub fn from_snapshot(s: &Snapshot) -> PolarsResult<Side> {
        let f = &s.findings;
        let text = |c: &str| model::strings(f, c);
        let (rule, team, file, sheet, cell, message) = (
            text("rule")?,
            text("team")?,
            text("file")?,
            text("sheet")?,
            text("cell")?,
            text("message")?,
        );
        let findings = (0..f.height())
            .map(|i| FindingKey {
                rule: rule[i].clone(),
                team: team[i].clone(),
                place: place(&file[i], &sheet[i], &cell[i]),
                message: message[i].trim_start_matches('\'').to_string(),
            })
            .map(FindingKey::keyed)
            .collect();
        let r = &s.registers;
        let (rteam, register, rtext) = (
            model::strings(r, "team")?,
            model::strings(r, "register")?,
            model::strings(r, "text")?,
        );
        let registers = registers_of((0..r.height()).map(|i| {
            (
                rteam[i].clone(),
                register[i].clone(),
                rtext[i].trim_start_matches('\'').to_string(),
            )
        }));
        Ok(Side {
            label: s.dir.display().to_string(),
            values: values(&s.long)?,
            funding: funding(&s.funding)?,
            findings,
            registers,
        })
    }

    /// A round as modelled now.
    ///
    /// # Errors
    /// A [`PolarsError`] only on an internal inconsistency of the model.
    pub fn from_model(
        label: String,
        m: &Model,
        findings: &[Finding],
        workbooks: &[&crate::plan::TeamWorkbook],
    ) -> PolarsResult<Side> {
        // The long table with each value's cell named, as the pack publishes it.
        let mut long = m.long.clone();
        let (team, row, col) = (
            model::strings(&long, "team")?,
            model::uints(&long, "source_row")?,
            model::uints(&long, "source_col")?,
        );
        let source: Vec<String> = (0..long.height())
            .map(|i| match (row[i], col[i]) {
                (Some(r), Some(c)) => m
                    .sources
                    .cell(&team[i], crate::plan::SheetKind::Plan, r, c)
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .collect();
        long.with_column(Column::new("source".into(), source))?;
        let findings = findings
            .iter()
            .map(|f| FindingKey {
                rule: f.rule.id().to_string(),
                team: f.team.clone().unwrap_or_default(),
                place: place(
                    f.file.as_deref().unwrap_or(""),
                    f.sheet.as_deref().unwrap_or(""),
                    f.cell.as_deref().unwrap_or(""),
                ),
                message: f.message.clone(),
            })
            .map(FindingKey::keyed)
            .collect();
        let registers = registers_of(
            crate::plan::register_rows(workbooks)
                .into_iter()
                .map(|(t, r, x)| (t, r.to_string(), x)),
        );
        Ok(Side {
            label,
            values: values(&long)?,
            funding: funding(&m.funding)?,
            findings,
            registers,
        })
    }

    fn teams(&self) -> BTreeSet<&str> {
        self.values.keys().map(|(t, _, _)| t.as_str()).collect()
    }
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

fn values(long: &DataFrame) -> PolarsResult<BTreeMap<(String, String, Track), Value>> {
    let (team, metric, key) = (
        model::strings(long, "team")?,
        model::strings(long, "metric")?,
        model::strings(long, "metric_key")?,
    );
    let track = model::tracks(long, "track")?;
    let (value, reporting) = (
        model::floats(long, "value")?,
        model::floats(long, "value_reporting")?,
    );
    let source = model::strings(long, "source")?;
    let mut out = BTreeMap::new();
    for i in 0..long.height() {
        // Funded is modelled, not typed: its changes are the funding moves.
        if track[i] == Track::Funded {
            continue;
        }
        if let Some(v) = value[i] {
            out.insert(
                (team[i].clone(), key[i].clone(), track[i]),
                Value {
                    metric: metric[i].clone(),
                    value: v,
                    reporting: reporting[i],
                    source: source[i].clone(),
                },
            );
        }
    }
    Ok(out)
}

fn funding(f: &DataFrame) -> PolarsResult<BTreeMap<String, (bool, Option<f64>)>> {
    let (team, funded, roi) = (
        model::strings(f, "team")?,
        model::bools(f, "funded")?,
        model::floats(f, "roi")?,
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

/// One value that changed (or appeared, or went).
#[derive(Clone, Debug, PartialEq)]
pub struct ValueChange {
    pub team: String,
    pub metric: String,
    pub track: Track,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

impl ValueChange {
    /// New − old in the team's currency, when both exist.
    pub fn delta(&self) -> Option<f64> {
        Some(self.new.as_ref()?.value - self.old.as_ref()?.value)
    }

    /// Δ over |old|, when old is not zero.
    pub fn delta_pct(&self) -> Option<f64> {
        let old = self.old.as_ref()?.value;
        (old != 0.0)
            .then(|| self.delta().map(|d| d / old.abs()))
            .flatten()
    }
}

/// A case that moved across the funding line.
#[derive(Clone, Debug, PartialEq)]
pub struct FundingMove {
    pub team: String,
    pub now_funded: bool,
    pub roi_before: Option<f64>,
    pub roi_after: Option<f64>,
}

/// Everything that changed from OLD to NEW.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    pub old: String,
    pub new: String,
    pub teams_added: Vec<String>,
    pub teams_withdrawn: Vec<String>,
    pub values: Vec<ValueChange>,
    pub funding: Vec<FundingMove>,
    pub findings_new: Vec<FindingKey>,
    pub findings_resolved: Vec<FindingKey>,
    pub findings_unchanged: usize,
    pub registers: Vec<RegisterChange>,
}

/// A register row added, removed, or edited (its text changed but it is
/// still recognisably the same row: both texts shown).
#[derive(Clone, Debug, PartialEq)]
pub struct RegisterChange {
    pub team: String,
    pub register: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// How alike two texts must be (normalised Levenshtein) to be one row edited.
const SAME_ROW: f64 = 0.6;

fn register_changes(old: &Side, new: &Side, teams: &BTreeSet<&str>) -> Vec<RegisterChange> {
    let keys: BTreeSet<&(String, String)> =
        old.registers.keys().chain(new.registers.keys()).collect();
    let mut out = Vec::new();
    for key in keys.into_iter().filter(|k| teams.contains(k.0.as_str())) {
        let empty = Vec::new();
        let o = old.registers.get(key).unwrap_or(&empty);
        let n = new.registers.get(key).unwrap_or(&empty);
        let mut removed: Vec<&String> = o.iter().filter(|x| !n.contains(x)).collect();
        let added: Vec<&String> = n.iter().filter(|x| !o.contains(x)).collect();
        let change = |old: Option<&String>, new: Option<&String>| RegisterChange {
            team: key.0.clone(),
            register: key.1.clone(),
            old: old.cloned(),
            new: new.cloned(),
        };
        for a in added {
            // The most alike removed row, if alike enough, is this row edited.
            let best = removed
                .iter()
                .enumerate()
                .map(|(i, r)| (i, strsim::normalized_levenshtein(r, a)))
                .filter(|(_, s)| *s >= SAME_ROW)
                .max_by(|x, y| x.1.total_cmp(&y.1));
            match best {
                Some((i, _)) => {
                    let was = removed.remove(i);
                    out.push(change(Some(was), Some(a)));
                }
                None => out.push(change(None, Some(a))),
            }
        }
        out.extend(removed.into_iter().map(|r| change(Some(r), None)));
    }
    out
}

impl Changes {
    /// Whether nothing changed (findings aside: fixing a finding is not a
    /// change of the plan).
    pub fn is_empty(&self) -> bool {
        self.teams_added.is_empty()
            && self.teams_withdrawn.is_empty()
            && self.values.is_empty()
            && self.funding.is_empty()
            && self.findings_new.is_empty()
            && self.findings_resolved.is_empty()
            && self.registers.is_empty()
    }
}

/// Compares two sides; values within `tolerance` (relative) are unchanged.
pub fn compare(old: &Side, new: &Side, tolerance: f64) -> Changes {
    let (ot, nt) = (old.teams(), new.teams());
    let mut changes = Changes {
        old: old.label.clone(),
        new: new.label.clone(),
        teams_added: nt.difference(&ot).map(|t| t.to_string()).collect(),
        teams_withdrawn: ot.difference(&nt).map(|t| t.to_string()).collect(),
        ..Changes::default()
    };
    let keys: BTreeSet<&(String, String, Track)> =
        old.values.keys().chain(new.values.keys()).collect();
    for key in keys {
        // A team added or withdrawn is reported as such, not value by value.
        if !ot.contains(key.0.as_str()) || !nt.contains(key.0.as_str()) {
            continue;
        }
        let (o, n) = (old.values.get(key), new.values.get(key));
        let same = match (o, n) {
            (Some(a), Some(b)) => {
                (a.value - b.value).abs()
                    <= tolerance * a.value.abs().max(b.value.abs()).max(1e-12) + 1e-9
            }
            _ => false,
        };
        if !same {
            changes.values.push(ValueChange {
                team: key.0.clone(),
                metric: n.or(o).map(|v| v.metric.clone()).unwrap_or_default(),
                track: key.2,
                old: o.cloned(),
                new: n.cloned(),
            });
        }
    }
    for (team, (now, roi_after)) in &new.funding {
        if let Some((was, roi_before)) = old.funding.get(team) {
            if was != now {
                changes.funding.push(FundingMove {
                    team: team.clone(),
                    now_funded: *now,
                    roi_before: *roi_before,
                    roi_after: *roi_after,
                });
            }
        }
    }
    changes.findings_new = new
        .findings
        .iter()
        .filter(|(k, _)| !old.findings.contains_key(*k))
        .map(|(_, f)| f.clone())
        .collect();
    changes.findings_resolved = old
        .findings
        .iter()
        .filter(|(k, _)| !new.findings.contains_key(*k))
        .map(|(_, f)| f.clone())
        .collect();
    changes.findings_unchanged = new
        .findings
        .keys()
        .filter(|k| old.findings.contains_key(*k))
        .count();
    let both: BTreeSet<&str> = ot.intersection(&nt).copied().collect();
    changes.registers = register_changes(old, new, &both);
    changes
}
