//! What changed between two versions of a round (`op1 diff OLD NEW`, `op1
//! pack --since`): teams added and withdrawn, every metric × track and
//! resource × track value that changed (with the old and new source cells),
//! metrics added and removed, the envelope, cases that moved above or below
//! the funding line, register rows added, removed and edited, findings new
//! and resolved, and the bridge of the objective's Funded total from OLD to
//! NEW. Each side ([`Version`]) is a round read and modelled as `pack` does, or
//! an earlier pack folder. [`report`] writes the changes as text and JSON.

pub mod report;
mod version;

pub use version::{ObjectiveFunded, Version};

use crate::plan::Track;
use std::collections::BTreeSet;

/// What a compared value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Compared {
    /// A metric of the Plan sheet.
    Metric,
    /// A resource of the Resources sheet (headcount, budget).
    Resource,
}

impl Compared {
    /// The name JSON and the Changes sheet use.
    pub fn as_str(self) -> &'static str {
        match self {
            Compared::Metric => "metric",
            Compared::Resource => "resource",
        }
    }
}

/// Which value: the team, what it is, its normalised name and the track.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ValueKey {
    pub team: String,
    pub what: Compared,
    pub key: String,
    pub track: Track,
}

/// A value with what is needed to show it.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// The metric or resource as the team spells it.
    pub name: String,
    /// The team's unit (its currency for money).
    pub unit: String,
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

/// One value that changed (or appeared, or went).
#[derive(Clone, Debug, PartialEq)]
pub struct ValueChange {
    pub team: String,
    pub what: Compared,
    /// The metric or resource (the new spelling, else the old).
    pub name: String,
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

    /// New − old in the reporting currency, when both exist.
    pub fn delta_reporting(&self) -> Option<f64> {
        Some(self.new.as_ref()?.reporting? - self.old.as_ref()?.reporting?)
    }
}

/// The objective's Funded total from OLD to NEW, team by team (the
/// `changes-bridge` chart): each team's Funded value before and after (0
/// where it had none), in the reporting currency.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangesBridge {
    pub objective: String,
    pub unit_kind: crate::plan::UnitKind,
    /// The unit of a metric that is not money (`customers`).
    pub unit: String,
    pub better: crate::plan::Better,
    pub currency: String,
    pub old_total: f64,
    pub new_total: f64,
    /// (team, old, new), the largest change first; teams that did not change left out.
    pub teams: Vec<(String, f64, f64)>,
}

impl ChangesBridge {
    fn between(
        old: &ObjectiveFunded,
        new: &ObjectiveFunded,
        currency: &str,
    ) -> Option<ChangesBridge> {
        if old.key != new.key {
            return None;
        }
        let names: BTreeSet<&String> = old.funded.keys().chain(new.funded.keys()).collect();
        let mut teams: Vec<(String, f64, f64)> = names
            .into_iter()
            .map(|t| {
                let at = |side: &ObjectiveFunded| side.funded.get(t).copied().unwrap_or(0.0);
                (t.clone(), at(old), at(new))
            })
            .filter(|(_, o, n)| o != n)
            .collect();
        teams.sort_by(|a, b| {
            (b.2 - b.1)
                .abs()
                .total_cmp(&(a.2 - a.1).abs())
                .then(a.0.cmp(&b.0))
        });
        Some(ChangesBridge {
            objective: new.name.clone(),
            unit_kind: new.unit_kind,
            unit: new.unit.clone(),
            better: new.better,
            currency: currency.to_string(),
            old_total: old.funded.values().sum(),
            new_total: new.funded.values().sum(),
            teams,
        })
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
    /// The reporting currency (NEW's).
    pub currency: String,
    pub teams_added: Vec<String>,
    pub teams_withdrawn: Vec<String>,
    /// Teams OLD left out for errors that NEW includes: fixed since.
    pub teams_fixed: Vec<String>,
    /// Teams OLD included that NEW leaves out for errors.
    pub teams_now_excluded: Vec<String>,
    pub values: Vec<ValueChange>,
    /// The envelope (old, new), when it changed.
    pub envelope: Option<(Option<f64>, Option<f64>)>,
    pub funding: Vec<FundingMove>,
    pub findings_new: Vec<FindingKey>,
    pub findings_resolved: Vec<FindingKey>,
    pub findings_unchanged: usize,
    pub registers: Vec<RegisterChange>,
    /// The objective's Funded total, OLD to NEW (both sides fund the same objective).
    pub bridge: Option<ChangesBridge>,
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

/// How alike two texts must be (see [`alike`]) to be one row edited.
const SAME_ROW: f64 = 0.5;

/// Pairs of rows compared in full within one team's register; beyond it
/// (a rewritten narrative, a hostile register) the k-th row removed is
/// compared with the k-th added only, so the work stays linear.
const FULL_MATCH_PAIRS: usize = 400;

fn register_changes(old: &Version, new: &Version, teams: &BTreeSet<&str>) -> Vec<RegisterChange> {
    use std::collections::HashSet;
    let keys: BTreeSet<&(String, String)> =
        old.registers.keys().chain(new.registers.keys()).collect();
    let mut out = Vec::new();
    for key in keys.into_iter().filter(|k| teams.contains(k.0.as_str())) {
        let empty = Vec::new();
        let o = old.registers.get(key).unwrap_or(&empty);
        let n = new.registers.get(key).unwrap_or(&empty);
        let (o_rows, n_rows): (HashSet<&String>, HashSet<&String>) =
            (o.iter().collect(), n.iter().collect());
        // Slots, so that a row matched is taken without moving the others;
        // each row's character pairs are counted once, not once per pair.
        let mut removed: Vec<Option<(&String, Bigrams)>> = o
            .iter()
            .filter(|x| !n_rows.contains(x))
            .map(|x| Some((x, Bigrams::of(x))))
            .collect();
        let added: Vec<&String> = n.iter().filter(|x| !o_rows.contains(x)).collect();
        let full = removed.len() * added.len() <= FULL_MATCH_PAIRS;
        let change = |old: Option<&String>, new: Option<&String>| RegisterChange {
            team: key.0.clone(),
            register: key.1.clone(),
            old: old.cloned(),
            new: new.cloned(),
        };
        for (k, a) in added.into_iter().enumerate() {
            let pairs = Bigrams::of(a);
            // The most alike removed row, if alike enough, is this row edited.
            let candidates = if full {
                0..removed.len()
            } else {
                k.min(removed.len())..(k + 1).min(removed.len())
            };
            let best = candidates
                .filter_map(|i| Some((i, removed[i].as_ref()?.1.same_row(&pairs)?)))
                .max_by(|x, y| x.1.total_cmp(&y.1));
            match best {
                Some((i, _)) => out.push(change(removed[i].take().map(|r| r.0), Some(a))),
                None => out.push(change(None, Some(a))),
            }
        }
        out.extend(
            removed
                .into_iter()
                .flatten()
                .map(|r| change(Some(r.0), None)),
        );
    }
    out
}

/// A text's character pairs, whitespace dropped, sorted — counted once per
/// row so that comparing two rows is a merge. Their Sørensen–Dice
/// coefficient (2·shared / (n + m)) is how alike two rows are: kept words
/// count wherever they moved ("fees stay at 1.9%" → "fees rise to 2.0%"),
/// and it is linear in the rows' length (Levenshtein, quadratic, and
/// `strsim`'s Dice, which hashes both texts again for every pair, made a
/// diff of long narratives take seconds).
struct Bigrams(Vec<u64>);

impl Bigrams {
    fn of(text: &str) -> Bigrams {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        let mut pairs: Vec<u64> = chars
            .windows(2)
            .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1]))
            .collect();
        pairs.sort_unstable();
        Bigrams(pairs)
    }

    /// Sørensen–Dice: 0 (nothing shared) to 1 (the same pairs).
    fn dice(&self, other: &Bigrams) -> f64 {
        let (a, b) = (&self.0, &other.0);
        if a.is_empty() && b.is_empty() {
            return 1.0;
        }
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        2.0 * shared as f64 / (a.len() + b.len()) as f64
    }

    /// How alike, when alike enough to be one row edited. Rows of very
    /// different lengths cannot be (Dice is at most 2·min/(n+m)) and are
    /// not compared.
    fn same_row(&self, other: &Bigrams) -> Option<f64> {
        let (n, m) = (self.0.len() as f64, other.0.len() as f64);
        if 2.0 * n.min(m) < SAME_ROW * (n + m) {
            return None;
        }
        Some(self.dice(other)).filter(|s| *s >= SAME_ROW)
    }
}

/// How alike two texts are, 0 to 1 (see [`Bigrams`]).
#[cfg(test)]
fn alike(a: &str, b: &str) -> f64 {
    Bigrams::of(a).dice(&Bigrams::of(b))
}

#[cfg(test)]
fn same_row(a: &str, b: &str) -> Option<f64> {
    Bigrams::of(a).same_row(&Bigrams::of(b))
}

impl Changes {
    /// Whether nothing changed: no team, value, envelope, funding decision,
    /// register row or finding differs (a finding fixed is a change too —
    /// the workbook was edited).
    pub fn is_empty(&self) -> bool {
        self.teams_added.is_empty()
            && self.teams_withdrawn.is_empty()
            && self.teams_fixed.is_empty()
            && self.teams_now_excluded.is_empty()
            && self.values.is_empty()
            && self.envelope.is_none()
            && self.funding.is_empty()
            && self.findings_new.is_empty()
            && self.findings_resolved.is_empty()
            && self.registers.is_empty()
    }
}

/// Compares two sides; values (and the envelope) within `tolerance`
/// (relative, e.g. 0.001 for 0.1%) are unchanged.
pub fn compare(old: &Version, new: &Version, tolerance: f64) -> Changes {
    let (ot, nt) = (old.teams(), new.teams());
    let was_excluded = |t: &str| old.excluded.contains(t);
    let is_excluded = |t: &str| new.excluded.contains(t);
    let mut changes = Changes {
        old: old.label.clone(),
        new: new.label.clone(),
        currency: new.currency.clone(),
        // A team OLD left out for errors is not new when NEW includes it.
        teams_added: nt
            .difference(&ot)
            .filter(|t| !was_excluded(t))
            .map(|t| t.to_string())
            .collect(),
        teams_withdrawn: ot.difference(&nt).map(|t| t.to_string()).collect(),
        teams_fixed: nt
            .iter()
            .filter(|t| was_excluded(t) && !is_excluded(t))
            .map(|t| t.to_string())
            .collect(),
        teams_now_excluded: nt
            .iter()
            .filter(|t| is_excluded(t) && ot.contains(*t) && !was_excluded(t))
            .map(|t| t.to_string())
            .collect(),
        ..Changes::default()
    };
    let keys: BTreeSet<&ValueKey> = old.values.keys().chain(new.values.keys()).collect();
    for key in keys {
        // A team added or withdrawn is reported as such, not value by value.
        if !ot.contains(key.team.as_str()) || !nt.contains(key.team.as_str()) {
            continue;
        }
        let (o, n) = (old.values.get(key), new.values.get(key));
        let same = match (o, n) {
            (Some(a), Some(b)) => within(a.value, b.value, tolerance),
            _ => false,
        };
        if !same {
            changes.values.push(ValueChange {
                team: key.team.clone(),
                what: key.what,
                name: n.or(o).map(|v| v.name.clone()).unwrap_or_default(),
                track: key.track,
                old: o.cloned(),
                new: n.cloned(),
            });
        }
    }
    let envelope_same = match (old.envelope, new.envelope) {
        (Some(a), Some(b)) => within(a, b, tolerance),
        (a, b) => a == b,
    };
    if !envelope_same {
        changes.envelope = Some((old.envelope, new.envelope));
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
    if let (Some(o), Some(n)) = (&old.objective, &new.objective) {
        changes.bridge = ChangesBridge::between(o, n, &new.currency);
    }
    changes
}

/// Whether two values are the same within `tolerance`, relative to the
/// larger (with a floor for rounding noise near zero).
fn within(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * a.abs().max(b.abs()) + 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_assumption_is_the_same_row_and_another_is_not() {
        let was = "Card network fees stay at the FY26 blended rate of 1.9%.";
        let edited = "Card network fees rise to a blended rate of 2.0% from Q2.";
        assert!(alike(was, edited) >= SAME_ROW, "{}", alike(was, edited));
        for other in [
            "The EU PSD3 changes take effect no earlier than FY28.",
            "Checkout volume grows about 6% a year with the consumer app, without new work.",
            "Risk keeps the fraud-decline rate under 0.8% (shared goal S2-01).",
        ] {
            assert!(
                alike(was, other) < SAME_ROW,
                "{other}: {}",
                alike(was, other)
            );
        }
    }

    #[test]
    fn dice_counts_shared_character_pairs() {
        // "night" and "nacht" share only "ht": 2·1 / (4 + 4).
        assert_eq!(alike("night", "nacht"), 0.25);
        assert_eq!(alike("a b c", "abc"), 1.0, "whitespace is dropped");
        assert_eq!(alike("", ""), 1.0);
        assert_eq!(alike("ab", ""), 0.0);
    }

    #[test]
    fn rows_of_very_different_lengths_are_not_compared() {
        let short = "Hire two engineers.";
        let long = format!("{short} {}", "And then much more besides. ".repeat(20));
        assert_eq!(same_row(short, &long), None);
        assert!(same_row(short, "Hire three engineers.").is_some());
    }
}
