//! Choosing the funded set from the investment cases, under what the room
//! decided and constrained (contract v3, "The decision"): cases decided
//! `fund` are taken first and `cut` never; a group is funded whole or not
//! at all; no org prefix is funded past its cap, nor the round past the
//! headcount cap or the envelope. `ranked` walks the cases by ROI and takes
//! each that fits; `optimal` finds the set with the most uplift, exactly, by
//! branch and bound.
//!
//! Plain Rust over plain numbers: the model hands it the cases and maps its
//! choice back onto the Funding frame.

use crate::settings::{Decided, Method};
use std::collections::BTreeMap;

/// How much a limit may be overrun by float noise and still hold.
const SLACK: f64 = 1e-6;

/// The most branch-and-bound nodes one choice may visit: a bound on the
/// work any round can ask for (about 0.3 s at 1,000 cases, BENCHMARKS.md).
/// The envelope alone is proven in a few hundred nodes; with a headcount or
/// org cap, 1,000 cases can need more, and then the best set found is used
/// and the Funding table says it is not proven the best.
const MAX_NODES: u64 = 1_000_000;

/// One investment case: a team's Investment over its Flat.
#[derive(Clone, Debug)]
pub(crate) struct Case {
    pub team: String,
    /// The org path, `/`-separated.
    pub org: String,
    /// Incremental budget, reporting currency (positive).
    pub cost: f64,
    /// Incremental heads.
    pub heads: f64,
    /// Uplift on the objective (positive).
    pub uplift: f64,
}

/// What the choice must respect, by case index.
#[derive(Clone, Debug, Default)]
pub(crate) struct Limits {
    pub envelope: f64,
    /// Org prefix → the incremental budget it may be funded at most.
    pub caps: BTreeMap<String, f64>,
    pub headcount_cap: Option<f64>,
    pub decided: BTreeMap<usize, Decided>,
    /// Cases funded together or not at all (may overlap: merged).
    pub groups: Vec<Vec<usize>>,
}

/// Why a case is funded or not.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Why {
    /// Decided in the room.
    Decided(Decided),
    /// `ranked`: taken in ROI order, it fit.
    RankedFits,
    /// It does not fit what is left of the envelope.
    DoesNotFit,
    /// Its org's cap (the prefix) would be passed.
    CapReached(String),
    /// The headcount cap would be passed.
    HeadcountCap,
    /// `optimal`: in the set with the most uplift.
    InBestSet,
    /// `optimal`: fits, but the best set leaves it out.
    NotInBestSet,
}

/// The choice: per case whether it is funded (and what share of it) and
/// why, the teams it is grouped with, and what the decisions alone spend
/// past the envelope.
#[derive(Clone, Debug)]
pub(crate) struct Choice {
    pub funded: Vec<bool>,
    /// The share of each case funded: 1, 0, or a fraction decided in the room.
    pub fraction: Vec<f64>,
    pub why: Vec<Why>,
    /// Per case, the other teams of its group (empty when alone).
    pub partners: Vec<Vec<String>>,
    /// What the cases decided `fund` spend past the envelope (0 when within).
    pub forced_excess: f64,
    /// `optimal` proved its set the best (false only past [`MAX_NODES`]).
    pub proven: bool,
    /// The uplift the chosen set funds, and what `ranked` would fund.
    pub uplift: f64,
    pub ranked_uplift: f64,
}

/// The uplift on the objective the funded set buys, and what `ranked`
/// would buy with the same envelope: with `optimal`, the difference is what
/// ranking leaves on the table (the regret).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Uplift {
    pub chosen: f64,
    pub ranked: f64,
}

impl Uplift {
    /// What `ranked` leaves on the table against the chosen set (0 when
    /// they fund alike).
    pub fn regret(&self) -> f64 {
        (self.chosen - self.ranked).max(0.0)
    }
}

/// A group of cases as one: funded whole or not at all.
#[derive(Clone, Debug)]
struct Unit {
    members: Vec<usize>,
    cost: f64,
    heads: f64,
    uplift: f64,
    /// Cost per capped org (index into the caps), summed over members.
    capped: Vec<f64>,
    decided: Option<Decided>,
    /// The first member's team: the tie-break.
    name: String,
}

impl Unit {
    fn roi(&self) -> f64 {
        self.uplift / self.cost
    }
}

/// What is left of each limit while cases are taken.
#[derive(Clone, Debug)]
struct Room {
    envelope: f64,
    caps: Vec<f64>,
    heads: Option<f64>,
}

impl Room {
    /// Why `unit` does not fit, or `None` when it does.
    fn refuses(&self, unit: &Unit, cap_names: &[String]) -> Option<Why> {
        if unit.cost > self.envelope + SLACK {
            return Some(Why::DoesNotFit);
        }
        for (i, left) in self.caps.iter().enumerate() {
            if unit.capped[i] > left + SLACK {
                return Some(Why::CapReached(cap_names[i].clone()));
            }
        }
        match self.heads {
            Some(left) if unit.heads > left + SLACK => Some(Why::HeadcountCap),
            _ => None,
        }
    }

    fn take(&mut self, unit: &Unit) {
        self.envelope -= unit.cost;
        for (left, used) in self.caps.iter_mut().zip(&unit.capped) {
            *left -= used;
        }
        if let Some(left) = &mut self.heads {
            *left -= unit.heads;
        }
    }
}

/// Whether the org path `org` lies under the prefix `prefix` (whole
/// segments, compared as names are: `Consumer` holds `consumer/payments`).
pub(crate) fn org_under(org: &str, prefix: &str) -> bool {
    use crate::names::org_segments;
    let (org, prefix) = (org_segments(org), org_segments(prefix));
    !prefix.is_empty() && org.starts_with(&prefix)
}

/// Chooses the funded cases by `method` within `limits`.
pub(crate) fn choose(cases: &[Case], limits: &Limits, method: Method) -> Choice {
    let cap_names: Vec<String> = limits.caps.keys().cloned().collect();
    let units = units(cases, limits, &cap_names);
    let room = Room {
        envelope: limits.envelope,
        caps: limits.caps.values().copied().collect(),
        heads: limits.headcount_cap,
    };
    let (ranked, ranked_why, after_forced) = ranked(&units, room.clone(), &cap_names);
    let ranked_uplift = uplift_of(&units, &ranked);
    let (taken, why, proven) = match method {
        Method::Ranked => (ranked, ranked_why, true),
        Method::Optimal => optimal(&units, &ranked, after_forced.clone(), &cap_names),
    };
    let mut choice = Choice {
        funded: vec![false; cases.len()],
        fraction: vec![0.0; cases.len()],
        why: vec![Why::DoesNotFit; cases.len()],
        partners: vec![Vec::new(); cases.len()],
        forced_excess: (-after_forced.envelope).max(0.0),
        proven,
        uplift: uplift_of(&units, &taken),
        ranked_uplift,
    };
    for (u, unit) in units.iter().enumerate() {
        for &m in &unit.members {
            let own = limits.decided.get(&m).copied();
            choice.funded[m] = taken[u];
            choice.fraction[m] = match taken[u] {
                true => own.map_or(1.0, Decided::share),
                false => 0.0,
            };
            // A member's own decision is its reason; else the group's.
            choice.why[m] = match (own, &why[u]) {
                (Some(d), Why::Decided(_)) => Why::Decided(d),
                _ => why[u].clone(),
            };
            choice.partners[m] = unit
                .members
                .iter()
                .filter(|&&o| o != m)
                .map(|&o| cases[o].team.clone())
                .collect();
        }
    }
    choice
}

fn uplift_of(units: &[Unit], taken: &[bool]) -> f64 {
    units
        .iter()
        .zip(taken)
        .filter(|(_, t)| **t)
        .map(|(u, _)| u.uplift)
        .sum()
}

/// The cases merged into units: overlapping groups are one, every other
/// case a unit of its own; a unit with a member cut is cut, else one with a
/// member decided `fund` (or a share) is funded, each member at its share.
fn units(cases: &[Case], limits: &Limits, cap_names: &[String]) -> Vec<Unit> {
    let mut parent: Vec<usize> = (0..cases.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for group in &limits.groups {
        for pair in group.windows(2) {
            let (a, b) = (root(&mut parent, pair[0]), root(&mut parent, pair[1]));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..cases.len() {
        let r = root(&mut parent, i);
        by_root.entry(r).or_default().push(i);
    }
    by_root
        .into_values()
        .map(|members| {
            let own = |m: &usize| limits.decided.get(m).copied();
            let decided = if members.iter().any(|m| own(m) == Some(Decided::Cut)) {
                Some(Decided::Cut)
            } else if members.iter().any(|m| own(m).is_some()) {
                Some(Decided::Fund)
            } else {
                None
            };
            let share = |m: usize| own(&m).map_or(1.0, Decided::share);
            let name = members
                .iter()
                .map(|&m| cases[m].team.clone())
                .min()
                .unwrap_or_default();
            Unit {
                cost: members.iter().map(|&m| share(m) * cases[m].cost).sum(),
                heads: members.iter().map(|&m| share(m) * cases[m].heads).sum(),
                uplift: members.iter().map(|&m| share(m) * cases[m].uplift).sum(),
                capped: cap_names
                    .iter()
                    .map(|prefix| {
                        members
                            .iter()
                            .filter(|&&m| org_under(&cases[m].org, prefix))
                            .map(|&m| share(m) * cases[m].cost)
                            .sum()
                    })
                    .collect(),
                decided,
                name,
                members,
            }
        })
        .collect()
}

/// The units in the order `ranked` walks them: by ROI, ties by name.
fn by_roi(units: &[Unit]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by(|&a, &b| {
        units[b]
            .roi()
            .total_cmp(&units[a].roi())
            .then_with(|| units[a].name.cmp(&units[b].name))
    });
    order
}

/// `ranked`: the units decided `fund` first, then by ROI, each taken when it
/// fits. Returns what is taken, why, and the room left after the forced
/// units (what `optimal` chooses within).
fn ranked(units: &[Unit], mut room: Room, cap_names: &[String]) -> (Vec<bool>, Vec<Why>, Room) {
    let mut taken = vec![false; units.len()];
    let mut why = vec![Why::DoesNotFit; units.len()];
    for (u, unit) in units.iter().enumerate() {
        if let Some(d) = unit.decided {
            why[u] = Why::Decided(d);
            if d == Decided::Fund {
                taken[u] = true;
                room.take(unit);
            }
        }
    }
    let after_forced = room.clone();
    for u in by_roi(units) {
        if units[u].decided.is_some() {
            continue;
        }
        match room.refuses(&units[u], cap_names) {
            Some(reason) => why[u] = reason,
            None => {
                room.take(&units[u]);
                taken[u] = true;
                why[u] = Why::RankedFits;
            }
        }
    }
    (taken, why, after_forced)
}

/// `optimal`: among the undecided units, the set with the most uplift that
/// fits the room left after the forced ones, by branch and bound. The
/// ranked set is the first incumbent, so where it is already the best (or
/// ties), it is kept.
fn optimal(
    units: &[Unit],
    ranked: &[bool],
    room: Room,
    cap_names: &[String],
) -> (Vec<bool>, Vec<Why>, bool) {
    let free: Vec<usize> = by_roi(units)
        .into_iter()
        .filter(|&u| units[u].decided.is_none())
        .collect();
    let mut search = Search {
        units,
        free: &free,
        cap_names,
        best: ranked.to_vec(),
        best_uplift: free
            .iter()
            .filter(|&&u| ranked[u])
            .map(|&u| units[u].uplift)
            .sum(),
        // The forced units are in every set the search tries.
        current: units
            .iter()
            .map(|u| u.decided == Some(Decided::Fund))
            .collect(),
        nodes: 0,
    };
    search.branch(0, room.clone(), 0.0);
    let proven = search.nodes <= MAX_NODES;
    let taken = search.best;
    let why = (0..units.len())
        .map(|u| match (&units[u].decided, taken[u]) {
            (Some(d), _) => Why::Decided(*d),
            (None, true) => Why::InBestSet,
            // Left out although it fits alone: the best set has better uses.
            (None, false) => room
                .refuses(&units[u], cap_names)
                .unwrap_or(Why::NotInBestSet),
        })
        .collect();
    (taken, why, proven)
}

/// The branch-and-bound search of [`optimal`].
struct Search<'a> {
    units: &'a [Unit],
    /// The undecided units, by ROI.
    free: &'a [usize],
    cap_names: &'a [String],
    best: Vec<bool>,
    best_uplift: f64,
    current: Vec<bool>,
    nodes: u64,
}

impl Search<'_> {
    /// Decides `free[depth..]` given the room left and the uplift so far.
    fn branch(&mut self, depth: usize, room: Room, uplift: f64) {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return;
        }
        if uplift > self.best_uplift * (1.0 + 1e-12) + SLACK {
            self.best_uplift = uplift;
            self.best = self.current.clone();
        }
        if depth == self.free.len() || self.bound(depth, &room, uplift) <= self.best_uplift + SLACK
        {
            return;
        }
        let u = self.free[depth];
        if room.refuses(&self.units[u], self.cap_names).is_none() {
            let mut with = room.clone();
            with.take(&self.units[u]);
            self.current[u] = true;
            self.branch(depth + 1, with, uplift + self.units[u].uplift);
            self.current[u] = false;
        }
        self.branch(depth + 1, room, uplift);
    }

    /// The most uplift any completion could add: the remaining units by
    /// ROI, filling the envelope and the last one in part (the envelope
    /// alone, a relaxation of every limit), skipping units that fit no way.
    fn bound(&self, depth: usize, room: &Room, uplift: f64) -> f64 {
        let mut left = room.envelope;
        let mut bound = uplift;
        for &u in &self.free[depth..] {
            let unit = &self.units[u];
            if room.refuses(unit, self.cap_names).is_some() {
                continue;
            }
            if unit.cost <= left {
                left -= unit.cost;
                bound += unit.uplift;
            } else {
                bound += unit.uplift * (left / unit.cost);
                break;
            }
        }
        bound
    }
}

#[cfg(test)]
#[path = "portfolio_tests.rs"]
mod tests;
