//! The changes as a person reads them (text: by team, the largest change in
//! the objective first, then a one-line count) and as a program reads them
//! (JSON, stable: documented in README).

use super::{Changes, Compared, ValueChange};
use crate::text::{fmt_amount, plural};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

/// The changes as text.
pub fn text(c: &Changes, objective: Option<&str>) -> String {
    let mut out = format!("op1 diff {} → {}\n", c.old, c.new);
    if c.is_empty() {
        out.push_str("\nno changes\n");
    }
    for t in &c.teams_added {
        let _ = writeln!(out, "\n{t}: new team");
    }
    for t in &c.teams_withdrawn {
        let _ = writeln!(out, "\n{t}: withdrawn");
    }
    for t in &c.teams_fixed {
        let listed = c.values.iter().any(|v| &v.team == t);
        let _ = writeln!(
            out,
            "\n{t}: fixed since (was excluded){}",
            if listed {
                ": its changes against the workbook it handed in below"
            } else {
                ""
            }
        );
    }
    for t in &c.teams_now_excluded {
        let _ = writeln!(
            out,
            "\n{t}: now excluded (errors): its changes against the workbook below"
        );
    }
    for (team, changes) in by_team(c, objective) {
        let _ = writeln!(out, "\n{team}");
        for v in changes {
            let _ = writeln!(out, "  {}", line(v, &c.currency));
        }
    }
    if let Some((old, new)) = c.envelope {
        let show = |e: Option<f64>| {
            e.map_or("none".to_string(), |e| {
                format!("{} {}", fmt_amount(e), c.currency)
            })
        };
        let _ = writeln!(out, "\nenvelope: {} → {}", show(old), show(new));
    }
    if !c.funding.is_empty() {
        out.push_str("\nfunding line\n");
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
    let _ = writeln!(out, "\n{}", count_line(c));
    out
}

/// `1 team added, 1 team withdrawn (, 1 team fixed since excluded), 2 values changed, envelope unchanged, 1
/// case moved across the funding line, 2 register rows changed; findings: 1
/// new, 5 resolved, 9 unchanged`.
pub fn count_line(c: &Changes) -> String {
    let mut teams = format!(
        "{} added, {} withdrawn",
        plural(c.teams_added.len(), "team"),
        plural(c.teams_withdrawn.len(), "team")
    );
    // Said only when it happened: most rounds have neither.
    for (list, what) in [
        (&c.teams_fixed, "fixed since excluded"),
        (&c.teams_now_excluded, "now excluded"),
    ] {
        if !list.is_empty() {
            teams.push_str(&format!(", {} {what}", plural(list.len(), "team")));
        }
    }
    format!(
        "{teams}, {} changed, envelope {}, {} moved across the funding line, {} changed; findings: {} new, {} resolved, {} unchanged",
        plural(c.values.len(), "value"),
        if c.envelope.is_some() { "changed" } else { "unchanged" },
        plural(c.funding.len(), "case"),
        plural(c.registers.len(), "register row"),
        c.findings_new.len(),
        c.findings_resolved.len(),
        c.findings_unchanged
    )
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
                v.what == Compared::Metric
                    && objective.is_some_and(|o| {
                        crate::names::normalise(&v.name) == crate::names::normalise(o)
                    })
            })
            .filter_map(|v| Some(v.delta_reporting()?.abs()))
            .fold(0.0, f64::max)
    };
    let mut out: Vec<(&str, Vec<&ValueChange>)> = teams.into_iter().collect();
    out.sort_by(|a, b| weight(&b.1).total_cmp(&weight(&a.1)).then(a.0.cmp(b.0)));
    out
}

/// `Revenue Investment: 4,100,000 EUR → 4,510,000 EUR (+410,000, +10.0%;
/// +442,800 USD)  [file › Plan!I2]`; resources say so.
fn line(v: &ValueChange, currency: &str) -> String {
    let unit = v
        .new
        .as_ref()
        .or(v.old.as_ref())
        .map_or("", |x| x.unit.as_str());
    let with_unit = |n: f64| match unit {
        "" | "%" => fmt_amount(n),
        u => format!("{} {u}", fmt_amount(n)),
    };
    let show =
        |x: &Option<super::Value>| x.as_ref().map_or("—".to_string(), |v| with_unit(v.value));
    let signed = |d: f64| format!("{}{}", if d >= 0.0 { "+" } else { "" }, fmt_amount(d));
    let mut parts = Vec::new();
    if let Some(d) = v.delta() {
        parts.push(signed(d));
    }
    if let Some(p) = v.delta_pct() {
        parts.push(format!("{:+.1}%", p * 100.0));
    }
    let mut delta = parts.join(", ");
    // Money in another currency: the change as the round adds it up.
    if let Some(d) = v
        .delta_reporting()
        .filter(|_| unit.len() == 3 && unit != currency)
    {
        delta.push_str(&format!("; {} {currency}", signed(d)));
    }
    let delta = if delta.is_empty() {
        delta
    } else {
        format!(" ({delta})")
    };
    let source = v
        .new
        .as_ref()
        .or(v.old.as_ref())
        .map(|x| format!("  [{}]", x.source))
        .unwrap_or_default();
    let kind = match v.what {
        Compared::Metric => "",
        Compared::Resource => " (resource)",
    };
    format!(
        "{}{kind} {}: {} → {}{delta}{source}",
        v.name,
        v.track.name(),
        show(&v.old),
        show(&v.new)
    )
}

/// The settings line of `op1 diff`: the settings file each side was read
/// with (a pack folder is read with none: it holds its own figures).
pub fn settings_line([old, new]: &[Option<PathBuf>; 2]) -> String {
    if old == new {
        return crate::report::settings_line(new.as_deref());
    }
    let shown = |s: &Option<PathBuf>| {
        s.as_deref().map_or(
            "no settings file".to_string(),
            crate::discover::display_path,
        )
    };
    format!("settings: {} (OLD), {} (NEW)", shown(old), shown(new))
}

#[derive(Serialize)]
struct JsonSettings {
    old: Option<String>,
    new: Option<String>,
}

/// The changes as JSON: `old`, `new`, `currency` (the reporting currency),
/// `changed` (whether anything did), `teams_added`, `teams_withdrawn`,
/// `teams_fixed` (left out of OLD for errors, in NEW), `teams_now_excluded`,
/// `values` (team, what — metric or resource —, name, track, unit, old, new,
/// delta, delta_pct, delta_reporting, old_reporting, new_reporting,
/// old_source, new_source), `envelope` (old, new; null when unchanged),
/// `funding` (team, now_funded, roi_before, roi_after), `bridge` (objective,
/// old_total, new_total, teams: team, old, new), `registers` (team,
/// register, old, new) and `findings` (`new`: each in full — rule, team,
/// where, message —; `resolved`: the count, `resolved_findings` in full;
/// `unchanged`: the count), and `settings` (`old`, `new`: the settings file
/// each side was read with; null for a pack folder or the defaults).
pub fn json(c: &Changes, settings: &[Option<PathBuf>; 2]) -> String {
    let shown = |s: &Option<PathBuf>| s.as_deref().map(crate::discover::display_path);
    let doc = JsonChanges {
        settings: JsonSettings {
            old: shown(&settings[0]),
            new: shown(&settings[1]),
        },
        old: &c.old,
        new: &c.new,
        currency: &c.currency,
        changed: !c.is_empty(),
        teams_added: &c.teams_added,
        teams_withdrawn: &c.teams_withdrawn,
        teams_fixed: &c.teams_fixed,
        teams_now_excluded: &c.teams_now_excluded,
        values: c.values.iter().map(JsonValue::of).collect(),
        envelope: c.envelope.map(|(old, new)| JsonEnvelope { old, new }),
        funding: c
            .funding
            .iter()
            .map(|m| JsonMove {
                team: &m.team,
                now_funded: m.now_funded,
                roi_before: m.roi_before,
                roi_after: m.roi_after,
            })
            .collect(),
        bridge: c.bridge.as_ref().map(|b| JsonBridge {
            objective: &b.objective,
            old_total: b.old_total,
            new_total: b.new_total,
            teams: b
                .teams
                .iter()
                .map(|(team, old, new)| JsonStep {
                    team,
                    old: *old,
                    new: *new,
                })
                .collect(),
        }),
        registers: c
            .registers
            .iter()
            .map(|r| JsonRegister {
                team: &r.team,
                register: &r.register,
                old: r.old.as_deref(),
                new: r.new.as_deref(),
            })
            .collect(),
        findings: JsonFindings {
            new: c.findings_new.iter().map(JsonFinding::of).collect(),
            resolved: c.findings_resolved.len(),
            resolved_findings: c.findings_resolved.iter().map(JsonFinding::of).collect(),
            unchanged: c.findings_unchanged,
        },
    };
    // Serialised from borrowed fields: no tree of values beside the text.
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

#[derive(Serialize)]
struct JsonChanges<'a> {
    settings: JsonSettings,
    old: &'a str,
    new: &'a str,
    currency: &'a str,
    changed: bool,
    teams_added: &'a [String],
    teams_withdrawn: &'a [String],
    teams_fixed: &'a [String],
    teams_now_excluded: &'a [String],
    values: Vec<JsonValue<'a>>,
    envelope: Option<JsonEnvelope>,
    funding: Vec<JsonMove<'a>>,
    bridge: Option<JsonBridge<'a>>,
    registers: Vec<JsonRegister<'a>>,
    findings: JsonFindings<'a>,
}

#[derive(Serialize)]
struct JsonValue<'a> {
    team: &'a str,
    what: &'static str,
    name: &'a str,
    track: &'static str,
    unit: Option<&'a str>,
    old: Option<f64>,
    new: Option<f64>,
    delta: Option<f64>,
    delta_pct: Option<f64>,
    delta_reporting: Option<f64>,
    old_reporting: Option<f64>,
    new_reporting: Option<f64>,
    old_source: Option<&'a str>,
    new_source: Option<&'a str>,
}

impl<'a> JsonValue<'a> {
    fn of(v: &'a ValueChange) -> JsonValue<'a> {
        let (old, new) = (v.old.as_ref(), v.new.as_ref());
        JsonValue {
            team: &v.team,
            what: v.what.as_str(),
            name: &v.name,
            track: v.track.name(),
            unit: new.or(old).map(|x| x.unit.as_str()),
            old: old.map(|x| x.value),
            new: new.map(|x| x.value),
            delta: v.delta(),
            delta_pct: v.delta_pct(),
            delta_reporting: v.delta_reporting(),
            old_reporting: old.and_then(|x| x.reporting),
            new_reporting: new.and_then(|x| x.reporting),
            old_source: old.map(|x| x.source.as_str()),
            new_source: new.map(|x| x.source.as_str()),
        }
    }
}

#[derive(Serialize)]
struct JsonEnvelope {
    old: Option<f64>,
    new: Option<f64>,
}

#[derive(Serialize)]
struct JsonMove<'a> {
    team: &'a str,
    now_funded: bool,
    roi_before: Option<f64>,
    roi_after: Option<f64>,
}

#[derive(Serialize)]
struct JsonBridge<'a> {
    objective: &'a str,
    old_total: f64,
    new_total: f64,
    teams: Vec<JsonStep<'a>>,
}

#[derive(Serialize)]
struct JsonStep<'a> {
    team: &'a str,
    old: f64,
    new: f64,
}

#[derive(Serialize)]
struct JsonRegister<'a> {
    team: &'a str,
    register: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFindings<'a> {
    new: Vec<JsonFinding<'a>>,
    resolved: usize,
    resolved_findings: Vec<JsonFinding<'a>>,
    unchanged: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    team: &'a str,
    #[serde(rename = "where")]
    place: &'a str,
    message: &'a str,
}

impl<'a> JsonFinding<'a> {
    fn of(f: &'a super::FindingKey) -> JsonFinding<'a> {
        JsonFinding {
            rule: &f.rule,
            team: &f.team,
            place: &f.place,
            message: &f.message,
        }
    }
}
