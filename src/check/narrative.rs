//! The written plan: a team without a narrative (`narrative-missing`), a
//! missed last-year target with no Lessons (`lessons-missing`), and a
//! narrative over the round's page budget (`doc-length`).

use crate::finding::{Finding, Rule};
use crate::plan::{Better, Section, SheetKind, TeamWorkbook, Track};
use crate::settings::Settings;

/// The narrative rules for one workbook.
pub(super) fn narrative(wb: &TeamWorkbook, settings: &Settings, out: &mut Vec<Finding>) {
    if wb.narrative.is_empty() {
        let why = if wb.sheet_names.contains_key(&SheetKind::Narrative) {
            "the Narrative sheet has no text"
        } else {
            "the workbook has no Narrative sheet"
        };
        out.push(wb.finding_on(
            Rule::NarrativeMissing,
            SheetKind::Narrative,
            format!("{why}: the round document prints only the generated parts of this plan; write Purpose, Tenets, Last year, Lessons, Plan, 10x and FAQ in a Narrative sheet (op1 template writes one)"),
        ));
    }
    lessons(wb, out);
    length(wb, settings, out);
}

/// `lessons-missing`: a last-year target was missed and the team's narrative
/// has no Lessons. (A team with no narrative at all has `narrative-missing`,
/// which says what to write.)
fn lessons(wb: &TeamWorkbook, out: &mut Vec<Finding>) {
    if wb.narrative.is_empty() {
        return;
    }
    let has_lessons = wb
        .narrative
        .iter()
        .any(|s| s.kind == Some(Section::Lessons));
    if has_lessons {
        return;
    }
    let missed: Vec<&str> = wb
        .metrics
        .iter()
        .filter(|m| {
            let (Some(target), Some(actual)) = (m.track(Track::LyTarget), m.track(Track::LyActual))
            else {
                return false;
            };
            match m.better {
                Better::Higher => actual.value < target.value,
                Better::Lower => actual.value > target.value,
            }
        })
        .map(|m| m.name.value.as_str())
        .collect();
    if missed.is_empty() {
        return;
    }
    out.push(wb.finding_on(
        Rule::LessonsMissing,
        SheetKind::Narrative,
        format!(
            "last year's {} missed ({}) and the narrative has no Lessons; write what the team does differently because of it (a Lessons section)",
            if missed.len() == 1 { "target was" } else { "targets were" },
            missed
                .iter()
                .map(|m| format!("\"{m}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ));
}

/// `doc-length`: the narrative runs over the round's page budget.
fn length(wb: &TeamWorkbook, settings: &Settings, out: &mut Vec<Finding>) {
    let doc = &settings.document;
    let words: usize = wb.narrative.iter().map(|s| s.words()).sum();
    let budget = (doc.pages * doc.words_per_page) as usize;
    if words <= budget {
        return;
    }
    let pages = words as f64 / f64::from(doc.words_per_page);
    out.push(wb.finding_on(
        Rule::DocLength,
        SheetKind::Narrative,
        format!(
            "the narrative runs to {} words, about {pages:.1} pages at {} words a page; the round's budget is {} pages ({} words): cut {} words",
            crate::text::fmt_amount(words as f64),
            doc.words_per_page,
            doc.pages,
            crate::text::fmt_amount(budget as f64),
            crate::text::fmt_amount((words - budget) as f64)
        ),
    ));
}
