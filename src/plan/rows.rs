//! The written registers as rows of text — (team, register, text) — what a
//! pack keeps (`registers.csv`) and `op1 diff` compares row by row.

use super::{TeamWorkbook, Val};

/// The registers' rows as the snapshot keeps them: (team, register, text),
/// the text of a row with its details joined by " · ": assumptions, asks,
/// risks, goals, ideas, and the narrative's paragraphs (`Section: text`).
pub fn register_rows(workbooks: &[&TeamWorkbook]) -> Vec<(String, &'static str, String)> {
    let join = |parts: &[Option<&String>]| -> String {
        parts
            .iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    fn v(x: &Option<Val<String>>) -> Option<&String> {
        x.as_ref().map(|v| &v.value)
    }
    let mut out = Vec::new();
    for wb in workbooks {
        let team = wb.name().to_string();
        for a in &wb.assumptions {
            out.push((team.clone(), "assumption", a.value.clone()));
        }
        for a in &wb.asks {
            out.push((
                team.clone(),
                "ask",
                join(&[
                    Some(&a.ask.value),
                    v(&a.kind),
                    v(&a.needed_by),
                    v(&a.if_delayed),
                ]),
            ));
        }
        for r in &wb.risks {
            out.push((
                team.clone(),
                "risk",
                join(&[Some(&r.risk.value), v(&r.mitigation)]),
            ));
        }
        for g in &wb.goals {
            out.push((
                team.clone(),
                "goal",
                join(&[Some(&g.id.value), v(&g.goal), v(&g.due), v(&g.target)]),
            ));
        }
        for i in &wb.ideas {
            out.push((
                team.clone(),
                "idea",
                join(&[Some(&i.question.value), v(&i.answer)]),
            ));
        }
        // The narrative paragraph by paragraph, each under its section's title:
        // an edited paragraph is one row edited, not the whole narrative.
        for section in &wb.narrative {
            for p in &section.paragraphs {
                out.push((
                    team.clone(),
                    "narrative",
                    format!("{}: {}", section.title(), p.value.trim()),
                ));
            }
        }
    }
    out
}
