//! The "What changed" chapter (`op1 pack --since OLD`): what moved since the
//! earlier version — the count, the objective's Funded total team by team
//! (the `changes-bridge` chart), the values, the funding line, the register
//! rows and the new findings. Long lists stop at [`ROWS`] and point at the
//! pack's Changes sheet, which has them all.

use super::content::{Block, Chapter, Table};
use crate::diff::{Changes, Compared};
use crate::text::{fmt_amount, plural};

/// Rows a table of the chapter shows before pointing at the pack.
const ROWS: usize = 40;

pub(super) fn changes_chapter(c: &Changes, number: usize, charts: &[String]) -> Chapter {
    let mut ch = Chapter::new(number.to_string(), format!("What changed since {}", c.old));
    ch.part("In short", summary(c, charts));
    ch.part("Values", values(c));
    ch.part("The funding line", funding(c));
    ch.part("Registers", registers(c));
    ch.part("New findings", findings(c));
    ch
}

fn summary(c: &Changes, charts: &[String]) -> Vec<Block> {
    let mut out = Vec::new();
    if c.is_empty() {
        out.push(Block::para(format!(
            "Nothing changed in the plans since {}.",
            c.old
        )));
    }
    let named = |teams: &[String]| {
        if teams.is_empty() {
            String::new()
        } else {
            format!(" ({})", teams.join(", "))
        }
    };
    let mut text = format!(
        "{} added{}, {} withdrawn{}",
        plural(c.teams_added.len(), "team"),
        named(&c.teams_added),
        plural(c.teams_withdrawn.len(), "team"),
        named(&c.teams_withdrawn),
    );
    if !c.teams_fixed.is_empty() {
        text.push_str(&format!(
            ", {} fixed since (was excluded for errors){}",
            plural(c.teams_fixed.len(), "team"),
            named(&c.teams_fixed)
        ));
    }
    if !c.teams_now_excluded.is_empty() {
        text.push_str(&format!(
            ", {} now excluded for errors{}",
            plural(c.teams_now_excluded.len(), "team"),
            named(&c.teams_now_excluded)
        ));
    }
    text.push_str(&format!("; {} changed", plural(c.values.len(), "value")));
    if let Some((old, new)) = c.envelope {
        let show = |e: Option<f64>| {
            e.map_or("none".to_string(), |e| {
                format!("{} {}", fmt_amount(e), c.currency)
            })
        };
        text.push_str(&format!(
            "; the envelope went from {} to {}",
            show(old),
            show(new)
        ));
    }
    text.push_str(&format!(
        "; {} moved across the funding line; {} changed. Findings: {} new, {} resolved, {} unchanged.",
        plural(c.funding.len(), "case"),
        plural(c.registers.len(), "register row"),
        c.findings_new.len(),
        c.findings_resolved.len(),
        c.findings_unchanged
    ));
    out.push(Block::para(text));
    if let Some(b) = &c.bridge {
        out.push(Block::para(format!(
            "Funded {} went from {} to {} {}.",
            b.objective,
            fmt_amount(b.old_total.round()),
            fmt_amount(b.new_total.round()),
            if b.unit_kind == crate::plan::UnitKind::Money {
                &b.currency
            } else {
                &b.unit
            },
        )));
        if charts.iter().any(|f| f == "charts/changes-bridge.svg") {
            out.push(Block::Figure {
                file: "charts/changes-bridge.svg".into(),
                caption: format!("{} Funded: what changed, team by team", b.objective),
            });
        }
    }
    out
}

/// The table's blocks, with a note when rows were left out.
fn capped(table: Table, total: usize) -> Vec<Block> {
    let mut out: Vec<Block> = table.block().into_iter().collect();
    if total > ROWS {
        out.push(Block::Note(format!(
            "The first {ROWS} of {total}; the exec pack's Changes sheet lists them all."
        )));
    }
    out
}

fn values(c: &Changes) -> Vec<Block> {
    let mut t = Table::new(&["Team", "What", "Track", "Unit", "Old#", "New#", "Δ#", "Δ%#"]);
    for v in c.values.iter().take(ROWS) {
        let show = |x: &Option<crate::diff::Value>| {
            x.as_ref().map_or("—".to_string(), |v| fmt_amount(v.value))
        };
        let what = match v.what {
            Compared::Metric => v.name.clone(),
            Compared::Resource => format!("{} (resource)", v.name),
        };
        t.row(vec![
            v.team.clone(),
            what,
            v.track.name().to_string(),
            // The team's own unit: a EUR team's figures say EUR, not the
            // reporting currency the document's money is otherwise in.
            v.new
                .as_ref()
                .or(v.old.as_ref())
                .map(|x| x.unit.clone())
                .unwrap_or_default(),
            show(&v.old),
            show(&v.new),
            v.delta()
                .map(|d| format!("{}{}", if d >= 0.0 { "+" } else { "" }, fmt_amount(d)))
                .unwrap_or_default(),
            v.delta_pct()
                .map(|p| format!("{:+.1}%", p * 100.0))
                .unwrap_or_default(),
        ]);
    }
    capped(t, c.values.len())
}

fn funding(c: &Changes) -> Vec<Block> {
    let mut t = Table::new(&["Team", "Now", "ROI before#", "ROI after#"]);
    let roi = |r: Option<f64>| r.map_or("—".to_string(), |r| format!("{r:.2}"));
    for m in c.funding.iter().take(ROWS) {
        t.row(vec![
            m.team.clone(),
            if m.now_funded {
                "funded"
            } else {
                "below the line"
            }
            .to_string(),
            roi(m.roi_before),
            roi(m.roi_after),
        ]);
    }
    capped(t, c.funding.len())
}

fn registers(c: &Changes) -> Vec<Block> {
    let mut t = Table::new(&["Team", "Register", "Was", "Now"]);
    for r in c.registers.iter().take(ROWS) {
        t.row(vec![
            r.team.clone(),
            r.register.clone(),
            r.old.clone().unwrap_or_else(|| "(added)".into()),
            r.new.clone().unwrap_or_else(|| "(removed)".into()),
        ]);
    }
    capped(t, c.registers.len())
}

fn findings(c: &Changes) -> Vec<Block> {
    let mut t = Table::new(&["Rule", "Team", "Where", "Message"]);
    for f in c.findings_new.iter().take(ROWS) {
        t.row(vec![
            f.rule.clone(),
            f.team.clone(),
            f.place.clone(),
            f.message.clone(),
        ]);
    }
    capped(t, c.findings_new.len())
}
