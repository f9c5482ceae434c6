//! The changes as a person reads them (text: by team, the largest change in
//! the objective first, then a one-line count) and as a program reads them
//! (JSON, stable: documented in README).

use super::{Changes, ValueChange};
use crate::text::{fmt_amount, plural};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The changes as text.
pub fn text(c: &Changes, objective: Option<&str>) -> String {
    let mut out = format!("op1 diff {} → {}\n", c.old, c.new);
    for t in &c.teams_added {
        let _ = writeln!(out, "\n{t}: new team");
    }
    for t in &c.teams_withdrawn {
        let _ = writeln!(out, "\n{t}: withdrawn");
    }
    for (team, changes) in by_team(c, objective) {
        let _ = writeln!(out, "\n{team}");
        for v in changes {
            let _ = writeln!(out, "  {}", line(v));
        }
    }
    if !c.funding.is_empty() {
        out.push_str("\nfunding\n");
        for m in &c.funding {
            let roi = |r: Option<f64>| r.map_or("none".to_string(), |r| format!("{r:.2}"));
            let _ = writeln!(
                out,
                "  {}: now {} the line (ROI {} → {})",
                m.team,
                if m.now_funded { "above" } else { "below" },
                roi(m.roi_before),
                roi(m.roi_after)
            );
        }
    }
    if !c.registers.is_empty() {
        out.push_str("\nregisters\n");
        for r in &c.registers {
            let _ = match (&r.old, &r.new) {
                (Some(o), Some(n)) => {
                    writeln!(out, "  {} {} edited: \"{o}\" → \"{n}\"", r.team, r.register)
                }
                (None, Some(n)) => writeln!(out, "  {} {} added: \"{n}\"", r.team, r.register),
                (Some(o), None) => writeln!(out, "  {} {} removed: \"{o}\"", r.team, r.register),
                (None, None) => Ok(()),
            };
        }
    }
    if !c.findings_new.is_empty() {
        out.push_str("\nnew findings\n");
        for f in &c.findings_new {
            let _ = writeln!(out, "  [{}] {} {}: {}", f.rule, f.team, f.place, f.message);
        }
    }
    let _ = writeln!(
        out,
        "\n{}, {}, {} changed, {} moved across the funding line, {} changed; findings: {} new, {} resolved, {} unchanged",
        plural(c.teams_added.len(), "team added").replace("team addeds", "teams added"),
        plural(c.teams_withdrawn.len(), "team withdrawn").replace("team withdrawns", "teams withdrawn"),
        plural(c.values.len(), "value"),
        plural(c.funding.len(), "case"),
        plural(c.registers.len(), "register row"),
        c.findings_new.len(),
        c.findings_resolved.len(),
        c.findings_unchanged
    );
    out
}

/// The value changes by team, the team with the largest change in the
/// objective (reporting currency, any track) first, then by name.
fn by_team<'a>(c: &'a Changes, objective: Option<&str>) -> Vec<(&'a str, Vec<&'a ValueChange>)> {
    let mut teams: BTreeMap<&str, Vec<&ValueChange>> = BTreeMap::new();
    for v in &c.values {
        teams.entry(&v.team).or_default().push(v);
    }
    let weight = |changes: &Vec<&ValueChange>| -> f64 {
        changes
            .iter()
            .filter(|v| {
                objective.is_some_and(|o| {
                    crate::names::normalise(&v.metric) == crate::names::normalise(o)
                })
            })
            .filter_map(|v| Some((v.new.as_ref()?.reporting? - v.old.as_ref()?.reporting?).abs()))
            .fold(0.0, f64::max)
    };
    let mut out: Vec<(&str, Vec<&ValueChange>)> = teams.into_iter().collect();
    out.sort_by(|a, b| weight(&b.1).total_cmp(&weight(&a.1)).then(a.0.cmp(b.0)));
    out
}

fn line(v: &ValueChange) -> String {
    let show =
        |x: &Option<super::Value>| x.as_ref().map_or("—".to_string(), |v| fmt_amount(v.value));
    let delta = match (v.delta(), v.delta_pct()) {
        (Some(d), Some(p)) => format!(
            " ({}{}, {:+.1}%)",
            if d >= 0.0 { "+" } else { "" },
            fmt_amount(d),
            p * 100.0
        ),
        (Some(d), None) => format!(" ({}{})", if d >= 0.0 { "+" } else { "" }, fmt_amount(d)),
        _ => String::new(),
    };
    let source = v
        .new
        .as_ref()
        .or(v.old.as_ref())
        .map(|x| format!("  [{}]", x.source))
        .unwrap_or_default();
    format!(
        "{} {}: {} → {}{delta}{source}",
        v.metric,
        v.track.name(),
        show(&v.old),
        show(&v.new)
    )
}

/// The changes as JSON: `old`, `new`, `teams_added`, `teams_withdrawn`,
/// `values` (team, metric, track, old, new, delta, delta_pct, old_reporting,
/// new_reporting, old_source, new_source), `funding` (team, now_funded,
/// roi_before, roi_after), `findings` (new: [...], resolved, unchanged) and
/// `changed` (whether anything did).
pub fn json(c: &Changes) -> String {
    let values: Vec<serde_json::Value> = c
        .values
        .iter()
        .map(|v| {
            serde_json::json!({
                "team": v.team,
                "metric": v.metric,
                "track": v.track.name(),
                "old": v.old.as_ref().map(|x| x.value),
                "new": v.new.as_ref().map(|x| x.value),
                "delta": v.delta(),
                "delta_pct": v.delta_pct(),
                "old_reporting": v.old.as_ref().and_then(|x| x.reporting),
                "new_reporting": v.new.as_ref().and_then(|x| x.reporting),
                "old_source": v.old.as_ref().map(|x| x.source.clone()),
                "new_source": v.new.as_ref().map(|x| x.source.clone()),
            })
        })
        .collect();
    let funding: Vec<serde_json::Value> = c
        .funding
        .iter()
        .map(|m| {
            serde_json::json!({
                "team": m.team,
                "now_funded": m.now_funded,
                "roi_before": m.roi_before,
                "roi_after": m.roi_after,
            })
        })
        .collect();
    let new: Vec<serde_json::Value> = c
        .findings_new
        .iter()
        .map(|f| serde_json::json!({"rule": f.rule, "team": f.team, "where": f.place, "message": f.message}))
        .collect();
    let registers: Vec<serde_json::Value> = c
        .registers
        .iter()
        .map(|r| serde_json::json!({"team": r.team, "register": r.register, "old": r.old, "new": r.new}))
        .collect();
    let doc = serde_json::json!({
        "old": c.old,
        "new": c.new,
        "changed": !c.is_empty(),
        "teams_added": c.teams_added,
        "teams_withdrawn": c.teams_withdrawn,
        "values": values,
        "funding": funding,
        "registers": registers,
        "findings": {
            "new": new,
            "resolved": c.findings_resolved.len(),
            "unchanged": c.findings_unchanged,
        },
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
