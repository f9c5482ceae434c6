//! The roster: the teams expected to submit (`[round] teams` or a roster
//! workbook), and a `missing-team` finding for each that has not.

use crate::finding::{Finding, Rule};
use crate::names::normalise;
use crate::plan::TeamWorkbook;
use crate::settings::Settings;
use std::collections::BTreeSet;

pub(super) fn missing_teams(
    workbooks: &[&TeamWorkbook],
    roster: &[String],
    out: &mut Vec<Finding>,
) {
    let submitted: BTreeSet<String> = workbooks.iter().map(|wb| normalise(wb.name())).collect();
    let rostered: BTreeSet<String> = roster.iter().map(|t| normalise(t)).collect();
    // Teams that submitted under a name the roster does not have.
    let unrostered: Vec<&TeamWorkbook> = workbooks
        .iter()
        .copied()
        .filter(|wb| !rostered.contains(&normalise(wb.name())))
        .collect();
    for team in roster {
        if submitted.contains(&normalise(team)) {
            continue;
        }
        let mut message =
            format!("team \"{team}\" is on the roster but has not submitted a workbook");
        let names = unrostered.iter().map(|wb| wb.name());
        if let Some(near) = crate::names::closest(team, names) {
            let file = unrostered
                .iter()
                .find(|wb| wb.name() == near)
                .map_or("", |wb| wb.file.as_str());
            message = format!(
                "{message}; \"{near}\" ({file}) is not on the roster — did you mean \"{team}\"? Use the roster's name in its Team sheet"
            );
        }
        out.push(Finding::new(Rule::MissingTeam, message).team(team.clone()));
    }
}

/// Reads the roster from the settings: `[round] teams`, plus the teams of a
/// roster workbook (first column of its first sheet; a `Team` header is skipped).
///
/// # Errors
/// A finding naming the roster file when it cannot be read.
pub(crate) fn load_roster(settings: &Settings) -> Result<Vec<String>, Box<Finding>> {
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
