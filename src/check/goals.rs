//! Shared (S-2) goals: exactly two owning teams in the round (`s2-owners`),
//! both of which list the goal (`s2-unlisted`) and agree on its goal, due
//! date and target (`s2-mismatch`).

use crate::finding::{Finding, Rule};
use crate::names::normalise;
use crate::plan::{Goal, SheetKind, TeamWorkbook, Val};
use crate::text::{clip, quoted};
use std::collections::BTreeMap;

/// `whole_round`: the workbooks are the round (not one submission checked on
/// its own), so owners can be looked up among them; otherwise only the
/// number of owners is judged.
pub(super) fn shared_goals(workbooks: &[&TeamWorkbook], whole_round: bool, out: &mut Vec<Finding>) {
    let teams: BTreeMap<String, &TeamWorkbook> = workbooks
        .iter()
        .map(|wb| (normalise(wb.name()), *wb))
        .collect();
    // ID → the teams listing it, with their listing.
    let mut listings: BTreeMap<&str, Vec<(&TeamWorkbook, &Goal)>> = BTreeMap::new();
    for wb in workbooks.iter().copied() {
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
                .filter(|o| whole_round && !teams.contains_key(&normalise(o)))
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
            for owner in goal.owner_list.iter().filter(|_| whole_round) {
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
        if whole_round {
            mismatches(id, listed, out);
        }
    }
}

fn mismatches(id: &str, listed: &[(&TeamWorkbook, &Goal)], out: &mut Vec<Finding>) {
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
            let norm = |v: Option<&Val<String>>| v.map(|v| normalise(&v.value)).unwrap_or_default();
            if norm(a) == norm(b) {
                continue;
            }
            let pos = b
                .map(|v| v.pos)
                .or_else(|| wb.cell_pos(SheetKind::Goals, goal.id.pos.row, field))
                .unwrap_or(goal.id.pos);
            let show = |v: Option<&Val<String>>| {
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
