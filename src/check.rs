//! The OP1 checklist: what a good plan contains (3–5 assumptions, 1–2 asks,
//! 1–2 mitigated risks, resources that fit each track, shared goals both
//! owners list the same way) and who on the roster has not submitted.

use crate::finding::{Finding, Rule, Severity, Tally};
use crate::plan::{Better, Metric, Round, SheetKind, TeamWorkbook, Track};
use crate::read::fmt_amount;
use crate::read::parse::normalise;
use crate::settings::Settings;
use std::collections::{BTreeMap, BTreeSet};

/// Runs every checklist rule over the workbooks of a round.
pub fn check_round(round: &Round, settings: &Settings, roster: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    for wb in round.workbooks() {
        counts(wb, &mut out);
        risk_mitigations(wb, &mut out);
        resources(wb, settings, &mut out);
        metrics(wb, &mut out);
        fiscal_year(wb, settings, &mut out);
        out.extend(crate::model::missing_rates(wb, settings));
    }
    shared_goals(round, &mut out);
    missing_teams(round, roster, &mut out);
    out
}

fn counts(wb: &TeamWorkbook, out: &mut Vec<Finding>) {
    let checks = [
        (
            Rule::AssumptionsCount,
            SheetKind::Assumptions,
            wb.assumptions.len(),
            3,
            5,
            "assumptions",
        ),
        (
            Rule::AsksCount,
            SheetKind::Asks,
            wb.asks.len(),
            1,
            2,
            "resource asks",
        ),
        (
            Rule::RisksCount,
            SheetKind::Risks,
            wb.risks.len(),
            1,
            2,
            "risks",
        ),
    ];
    for (rule, sheet, n, min, max, what) in checks {
        // A sheet that could not be read already has its own finding.
        if !wb.columns.contains_key(&sheet) || (min..=max).contains(&n) {
            continue;
        }
        let advice = if n < min {
            "add"
        } else {
            "keep the most important and cut"
        };
        out.push(wb.finding_on(
            rule,
            sheet,
            format!("{min} to {max} {what} expected, found {n}; {advice} to fit"),
        ));
    }
}

fn risk_mitigations(wb: &TeamWorkbook, out: &mut Vec<Finding>) {
    for risk in wb.risks.iter().filter(|r| r.mitigation.is_none()) {
        let pos = wb
            .cell_pos(SheetKind::Risks, risk.risk.pos.row, "Mitigation")
            .unwrap_or(risk.risk.pos);
        out.push(wb.finding_at(
            Rule::RiskMitigation,
            pos,
            format!(
                "risk \"{}\" has no mitigation; say what the team will do about it",
                clip(&risk.risk.value)
            ),
        ));
    }
}

fn resources(wb: &TeamWorkbook, settings: &Settings, out: &mut Vec<Finding>) {
    let tolerance = settings.checks.flat_resources_tolerance;
    for name in ["Headcount", "Budget"] {
        let Some(res) = wb.resource(name) else {
            continue;
        };
        if let (Some(ly), Some(flat)) = (&res.ly, &res.flat) {
            if flat.value > ly.value * (1.0 + tolerance) + 1e-9 {
                out.push(wb.finding_at(
                    Rule::FlatResources,
                    flat.pos,
                    format!(
                        "the flat track uses more {} than last year ({} vs {}); flat means last year's resources",
                        name.to_lowercase(),
                        fmt_amount(flat.value),
                        fmt_amount(ly.value)
                    ),
                ));
            }
        }
    }
    // Budget is what an investment case is funded with: without more of it
    // the investment track cannot be funded.
    if let Some(budget) = wb.resource("Budget") {
        if let (Some(flat), Some(inv)) = (&budget.flat, &budget.investment) {
            if inv.value <= flat.value {
                out.push(wb.finding_at(
                    Rule::InvestmentResources,
                    inv.pos,
                    format!(
                        "the investment track asks for no more budget than flat ({} vs {}); it should show what more investment buys, or it cannot be funded",
                        fmt_amount(inv.value),
                        fmt_amount(flat.value)
                    ),
                ));
            }
        }
    }
}

/// Whether `a` is worse than `b` for a metric whose better direction is `better`.
fn worse(a: f64, b: f64, better: Better) -> bool {
    match better {
        Better::Higher => a < b,
        Better::Lower => a > b,
    }
}

fn metrics(wb: &TeamWorkbook, out: &mut Vec<Finding>) {
    for m in &wb.metrics {
        if let (Some(flat), Some(inv)) = (&m.flat, &m.investment) {
            if worse(inv.value, flat.value, m.better) {
                out.push(wb.finding_at(
                    Rule::InvestmentBelowFlat,
                    inv.pos,
                    format!(
                        "\"{}\" is worse under Investment ({}) than under Flat ({}) although {} is better",
                        m.name.value,
                        fmt_amount(inv.value),
                        fmt_amount(flat.value),
                        m.better.as_str()
                    ),
                ));
            }
        }
        ly_miss(wb, m, out);
    }
}

fn ly_miss(wb: &TeamWorkbook, m: &Metric, out: &mut Vec<Finding>) {
    let (Some(target), Some(actual)) = (m.track(Track::LyTarget), m.track(Track::LyActual)) else {
        return;
    };
    if !worse(actual.value, target.value, m.better) || m.why.is_some() {
        return;
    }
    let pos = wb
        .cell_pos(SheetKind::Plan, m.name.pos.row, "Why")
        .unwrap_or(actual.pos);
    out.push(wb.finding_at(
        Rule::LyMissWhy,
        pos,
        format!(
            "last year's target for \"{}\" was missed ({} actual vs {} target) and \"Why\" is empty; say why",
            m.name.value,
            fmt_amount(actual.value),
            fmt_amount(target.value)
        ),
    ));
}

fn fiscal_year(wb: &TeamWorkbook, settings: &Settings, out: &mut Vec<Finding>) {
    if let (Some(round_fy), Some(fy)) = (settings.fiscal_year, &wb.fiscal_year) {
        if fy.value != round_fy {
            out.push(wb.finding_at(
                Rule::FiscalYear,
                fy.pos,
                format!(
                    "the workbook is for fiscal year {} but the round is {round_fy}",
                    fy.value
                ),
            ));
        }
    }
}

fn shared_goals(round: &Round, out: &mut Vec<Finding>) {
    let teams: BTreeMap<String, &TeamWorkbook> = round
        .workbooks()
        .map(|wb| (normalise(wb.name()), wb))
        .collect();
    // ID → the teams listing it, with their listing.
    let mut listings: BTreeMap<&str, Vec<(&TeamWorkbook, &crate::plan::Goal)>> = BTreeMap::new();
    for wb in round.workbooks() {
        for goal in &wb.goals {
            listings
                .entry(goal.id.value.as_str())
                .or_default()
                .push((wb, goal));
        }
    }
    for (id, listed) in &listings {
        for (wb, goal) in listed {
            let owners_pos = wb
                .cell_pos(SheetKind::Goals, goal.id.pos.row, "Owners")
                .unwrap_or(goal.id.pos);
            let unknown: Vec<&String> = goal
                .owner_list
                .iter()
                .filter(|o| !teams.contains_key(&normalise(o)))
                .collect();
            if goal.owner_list.len() != 2 || !unknown.is_empty() {
                let written = goal.owners.as_ref().map(|o| o.value.as_str()).unwrap_or("");
                let why = if goal.owner_list.len() != 2 {
                    format!("names {} owner(s)", goal.owner_list.len())
                } else {
                    format!(
                        "names {} which {} not a team in the round",
                        quoted(&unknown),
                        if unknown.len() == 1 { "is" } else { "are" }
                    )
                };
                out.push(wb.finding_at(Rule::S2Owners, owners_pos, format!("shared goal {id} (owners \"{written}\") {why}; a shared goal has exactly two owning teams")));
            }
            for owner in &goal.owner_list {
                let Some(owner_wb) = teams.get(&normalise(owner)) else {
                    continue;
                };
                if listed.iter().any(|(w, _)| std::ptr::eq(*w, *owner_wb)) {
                    continue;
                }
                out.push(owner_wb.finding_on(
                    Rule::S2Unlisted,
                    SheetKind::Goals,
                    format!(
                        "shared goal {id} names {} as an owner ({}) but this workbook does not list it; add it with the same ID",
                        owner_wb.name(),
                        wb.source(goal.id.pos)
                    ),
                ));
            }
        }
        mismatches(id, listed, out);
    }
}

fn mismatches(id: &str, listed: &[(&TeamWorkbook, &crate::plan::Goal)], out: &mut Vec<Finding>) {
    // Each listing is compared with the first other owner's, so both sides of a
    // disagreement are told.
    for (i, (wb, goal)) in listed.iter().enumerate() {
        let Some((first_wb, first)) = listed
            .iter()
            .enumerate()
            .find(|(j, (w, _))| *j != i && !std::ptr::eq(*w, *wb))
            .map(|(_, l)| *l)
        else {
            continue;
        };
        let fields = [
            ("Goal", first.goal.as_ref(), goal.goal.as_ref()),
            ("Due", first.due.as_ref(), goal.due.as_ref()),
            ("Target", first.target.as_ref(), goal.target.as_ref()),
        ];
        for (field, a, b) in fields {
            let norm = |v: Option<&crate::plan::Val<String>>| {
                v.map(|v| normalise(&v.value)).unwrap_or_default()
            };
            if norm(a) == norm(b) {
                continue;
            }
            let pos = b
                .map(|v| v.pos)
                .or_else(|| wb.cell_pos(SheetKind::Goals, goal.id.pos.row, field))
                .unwrap_or(goal.id.pos);
            let show = |v: Option<&crate::plan::Val<String>>| {
                v.map(|v| format!("\"{}\"", clip(&v.value)))
                    .unwrap_or_else(|| "blank".into())
            };
            out.push(wb.finding_at(
                Rule::S2Mismatch,
                pos,
                format!("shared goal {id}: \"{field}\" is {} here but {} in {} ({}); the owners must agree", show(b), show(a), first_wb.name(), first_wb.file),
            ));
        }
    }
}

fn missing_teams(round: &Round, roster: &[String], out: &mut Vec<Finding>) {
    let submitted: BTreeSet<String> = round.workbooks().map(|wb| normalise(wb.name())).collect();
    for team in roster {
        if !submitted.contains(&normalise(team)) {
            out.push(
                Finding::new(
                    Rule::MissingTeam,
                    format!("team \"{team}\" is on the roster but has not submitted a workbook"),
                )
                .team(team.clone()),
            );
        }
    }
}

/// Reads the roster from the settings: `[round] teams`, plus the teams of a
/// roster workbook (first column of its first sheet; a `Team` header is skipped).
///
/// # Errors
/// A finding naming the roster file when it cannot be read.
pub fn load_roster(settings: &Settings) -> Result<Vec<String>, Box<Finding>> {
    let mut teams: Vec<String> = settings
        .round
        .teams
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let Some(path) = settings.roster_path() else {
        return Ok(teams);
    };
    let display = crate::discover::display_path(&path);
    let fail = |message: String| {
        Finding::new(Rule::FileUnreadable, format!("roster: {message}")).file(&display)
    };
    let bytes =
        crate::read::grid::read_bytes(&path, &settings.limits).map_err(|e| fail(e.to_string()))?;
    let (mut book, _) =
        crate::read::grid::open(&bytes, &settings.limits).map_err(|e| fail(e.to_string()))?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| fail("the workbook has no sheets".into()))?;
    let grid = book
        .load(&first, &settings.limits)
        .map_err(|e| fail(e.to_string()))?;
    for (_, cells) in grid.rows() {
        if let Some((_, value)) = cells.iter().next() {
            let name = value.display().trim().to_string();
            if !name.is_empty()
                && !matches!(normalise(&name).as_str(), "team" | "teams" | "teamname")
            {
                teams.push(name);
            }
        }
    }
    let mut seen = BTreeSet::new();
    teams.retain(|t| seen.insert(normalise(t)));
    Ok(teams)
}

/// Where a team stands in the round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamStatus {
    Ok,
    Findings { errors: usize, warnings: usize },
    Missing,
}

/// One status line per team: every team that submitted, then roster teams that did not.
pub fn team_statuses(
    round: &Round,
    findings: &[Finding],
    roster: &[String],
) -> Vec<(String, TeamStatus)> {
    let mut out = Vec::new();
    let mut books: Vec<&TeamWorkbook> = round.workbooks().collect();
    books.sort_by_key(|wb| (normalise(wb.name()), wb.file.clone()));
    let names: Vec<&str> = books.iter().map(|wb| wb.name()).collect();
    for wb in &books {
        let name = wb.name();
        let mine = |f: &&Finding| {
            f.file.as_deref() == Some(wb.file.as_str())
                || (f.file.is_none() && f.team.as_deref() == Some(name))
        };
        let t = Tally::of(
            findings
                .iter()
                .filter(mine)
                .filter(|f| f.rule != Rule::MissingTeam),
        );
        let status = if t.errors + t.warnings == 0 {
            TeamStatus::Ok
        } else {
            TeamStatus::Findings {
                errors: t.errors,
                warnings: t.warnings,
            }
        };
        out.push((name.to_string(), status));
    }
    let submitted: BTreeSet<String> = names.iter().map(|n| normalise(n)).collect();
    for team in roster {
        if !submitted.contains(&normalise(team)) {
            out.push((team.clone(), TeamStatus::Missing));
        }
    }
    out
}

impl std::fmt::Display for TeamStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TeamStatus::Ok => f.write_str("ok"),
            TeamStatus::Missing => f.write_str("missing"),
            TeamStatus::Findings { errors, warnings } => {
                let mut parts = Vec::new();
                if *errors > 0 {
                    parts.push(plural(*errors, "error"));
                }
                if *warnings > 0 {
                    parts.push(plural(*warnings, "warning"));
                }
                f.write_str(&parts.join(", "))
            }
        }
    }
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn quoted(names: &[&String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn clip(s: &str) -> String {
    crate::read::table::truncate(s, 60)
}

/// Whether findings include an error, counting warnings as errors when strict.
pub fn has_errors(findings: &[Finding], strict: bool) -> bool {
    findings
        .iter()
        .any(|f| f.severity == Severity::Error || (strict && f.severity == Severity::Warning))
}
