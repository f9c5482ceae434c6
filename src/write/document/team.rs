//! One chapter per team, in the six-pager's order: Purpose, Tenets, Last
//! year (a table, then the team's text), Lessons, Plan (tables of the tracks
//! and resources, then the text), 10x, Assumptions, Asks, Risks and
//! mitigations, Shared goals, FAQ, then the team's own sections. Where the
//! team wrote no narrative, the chapter holds the generated parts and says so.

use super::content::{Block, Chapter, Table};
use super::facts::Facts;
use super::{amount, ask_amount, change, resource_unit};
use crate::plan::{NarrativeSection, Section, TeamWorkbook, Track, Val};
use crate::provenance::Source;

pub(super) fn team_chapter(f: &Facts<'_>, number: usize, wb: &TeamWorkbook) -> Chapter {
    let mut ch = Chapter::new(number.to_string(), wb.name());
    let currency = wb.currency_or(&f.input.model.reporting_currency);
    let owner = wb
        .owner
        .as_ref()
        .map_or("no owner named", |o| o.value.as_str());
    ch.intro.push(Block::Note(format!(
        "{} · {} · {}",
        wb.org_path(),
        owner,
        wb.file
    )));
    if wb.narrative.is_empty() {
        ch.intro.push(Block::Note(format!(
            "{} wrote no narrative (a Narrative sheet): this chapter holds the parts op1 generates from the workbook only.",
            wb.name()
        )));
    }
    let text =
        |kind: Section| narrative_blocks(wb, wb.narrative.iter().find(|s| s.kind == Some(kind)));
    ch.part("Purpose", text(Section::Purpose));
    ch.part("Tenets", text(Section::Tenets));
    ch.part(
        "Last year",
        [last_year(wb), text(Section::LastYear)].concat(),
    );
    ch.part("Lessons", text(Section::Lessons));
    ch.part(
        "Plan",
        [plan(wb), resources(wb, currency), text(Section::Plan)].concat(),
    );
    ch.part("10x", [text(Section::TenX), ideas(wb)].concat());
    ch.part("Assumptions", assumptions(wb));
    ch.part("Asks", asks(wb, currency));
    ch.part("Risks and mitigations", risks(wb));
    ch.part("Shared goals", goals(wb));
    ch.part("FAQ", text(Section::Faq));
    for own in wb.narrative.iter().filter(|s| s.kind.is_none()) {
        ch.part(own.title(), narrative_blocks(wb, Some(own)));
    }
    let open: Vec<String> = f
        .findings_of(wb.name())
        .filter(|x| x.severity != crate::finding::Severity::Info)
        .map(|x| format!("{} [{}] {}", x.severity, x.rule, x.message))
        .collect();
    if !open.is_empty() {
        ch.part("Open findings", vec![Block::List(open)]);
    }
    ch
}

/// A section's paragraphs, each with the cell it was read from.
fn narrative_blocks(wb: &TeamWorkbook, section: Option<&NarrativeSection>) -> Vec<Block> {
    let Some(section) = section else {
        return Vec::new();
    };
    section
        .paragraphs
        .iter()
        .map(|p| Block::Para {
            text: p.value.clone(),
            source: Some(source(wb, p)),
        })
        .collect()
}

/// `file › Narrative!B5`: where a team's text was read.
fn source(wb: &TeamWorkbook, v: &Val<String>) -> String {
    Source {
        file: &wb.file,
        sheet: wb.sheet_name(v.pos.sheet),
        row: v.pos.row,
        col: v.pos.col,
    }
    .to_string()
}

fn value(v: Option<&Val<f64>>, kind: crate::plan::UnitKind) -> String {
    v.map(|v| amount(v.value, kind)).unwrap_or_default()
}

fn last_year(wb: &TeamWorkbook) -> Vec<Block> {
    let mut t = Table::new(&["Metric", "Unit", "Target#", "Actual#", "Hit or miss", "Why"]);
    for m in &wb.metrics {
        let (target, actual) = (m.track(Track::LyTarget), m.track(Track::LyActual));
        let hit = match (target, actual) {
            (Some(t), Some(a)) => {
                let missed = match m.better {
                    crate::plan::Better::Higher => a.value < t.value,
                    crate::plan::Better::Lower => a.value > t.value,
                };
                if missed {
                    "missed"
                } else {
                    "hit"
                }
            }
            _ => "",
        };
        t.row(vec![
            m.name.value.clone(),
            m.unit.value.clone(),
            value(target, m.unit_kind),
            value(actual, m.unit_kind),
            hit.into(),
            m.why.as_ref().map(|w| w.value.clone()).unwrap_or_default(),
        ]);
    }
    t.block().into_iter().collect()
}

fn plan(wb: &TeamWorkbook) -> Vec<Block> {
    let mut t = Table::new(&[
        "Metric",
        "Unit",
        "LY Actual#",
        "Flat#",
        "Δ Flat#",
        "Investment#",
        "Δ Investment#",
    ]);
    for m in &wb.metrics {
        let ly = m.track(Track::LyActual).map(|v| v.value);
        let delta = |v: Option<&Val<f64>>| match (ly, v) {
            (Some(l), Some(v)) => change(l, v.value, m.unit_kind),
            _ => String::new(),
        };
        t.row(vec![
            m.name.value.clone(),
            m.unit.value.clone(),
            value(m.track(Track::LyActual), m.unit_kind),
            value(m.track(Track::Flat), m.unit_kind),
            delta(m.track(Track::Flat)),
            value(m.track(Track::Investment), m.unit_kind),
            delta(m.track(Track::Investment)),
        ]);
    }
    t.block().into_iter().collect()
}

fn resources(wb: &TeamWorkbook, currency: &str) -> Vec<Block> {
    let money = crate::plan::UnitKind::Money;
    let mut t = Table::new(&["Resource", "Unit", "LY#", "Flat#", "Investment#"]);
    for r in &wb.resources {
        t.row(vec![
            r.name.value.clone(),
            resource_unit(r, currency),
            value(r.ly.as_ref(), money),
            value(r.flat.as_ref(), money),
            value(r.investment.as_ref(), money),
        ]);
    }
    t.block().into_iter().collect()
}

fn ideas(wb: &TeamWorkbook) -> Vec<Block> {
    wb.ideas
        .iter()
        .filter_map(|i| {
            let answer = i.answer.as_ref()?;
            Some(Block::Para {
                text: format!("{} {}", i.question.value, answer.value),
                source: Some(source(wb, answer)),
            })
        })
        .collect()
}

fn assumptions(wb: &TeamWorkbook) -> Vec<Block> {
    if wb.assumptions.is_empty() {
        return Vec::new();
    }
    vec![Block::List(
        wb.assumptions.iter().map(|a| a.value.clone()).collect(),
    )]
}

fn text(v: &Option<Val<String>>) -> String {
    v.as_ref().map(|v| v.value.clone()).unwrap_or_default()
}

fn asks(wb: &TeamWorkbook, currency: &str) -> Vec<Block> {
    let mut t = Table::new(&["Ask", "Kind", "Amount#", "Needed by", "If it is late"]);
    for a in &wb.asks {
        t.row(vec![
            a.ask.value.clone(),
            text(&a.kind),
            ask_amount(a, currency),
            text(&a.needed_by),
            text(&a.if_delayed),
        ]);
    }
    t.block().into_iter().collect()
}

fn risks(wb: &TeamWorkbook) -> Vec<Block> {
    let mut t = Table::new(&["Risk", "Likelihood", "Impact", "Mitigation", "Owner"]);
    for r in &wb.risks {
        t.row(vec![
            r.risk.value.clone(),
            text(&r.likelihood),
            text(&r.impact),
            text(&r.mitigation),
            text(&r.owner),
        ]);
    }
    t.block().into_iter().collect()
}

fn goals(wb: &TeamWorkbook) -> Vec<Block> {
    let mut t = Table::new(&["ID", "Goal", "Owners", "Due", "Metric", "Target"]);
    for g in &wb.goals {
        t.row(vec![
            g.id.value.clone(),
            text(&g.goal),
            text(&g.owners),
            text(&g.due),
            text(&g.metric),
            text(&g.target),
        ]);
    }
    t.block().into_iter().collect()
}
