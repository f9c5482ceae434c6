//! The checkpoint memo (`checkpoint.html`, `checkpoint.md`), written with the
//! round document's writer: what got delivered, what is amber or red with
//! the team's commentary, what to cut or double down and where the freed
//! budget could go, who is over-committed, which shared goals are at risk or
//! overdue, and every finding. At Q4 it is the year-end review.

use super::content::{Block, Chapter, Doc, Table};
use super::{amount, document_date};
use crate::checkpoint::{Call, Checkpoint, PlanSource, Status};
use crate::finding::{Finding, Severity};
use crate::model::schema;
use crate::model::{bools, floats, strings, unit_kinds};
use crate::plan::{GoalStatus, Rollup, UnitKind};
use crate::settings::Settings;
use crate::text::{fmt_amount, fmt_percent, fmt_ratio, plural};

/// The memo's content, for the round document's HTML and Markdown writers;
/// `charts` are the chart files written (the status grid and the decisions go in).
pub(crate) fn memo(
    cp: &Checkpoint,
    settings: &Settings,
    findings: &[Finding],
    charts: &[String],
) -> Doc {
    let mut doc = build(cp, settings, findings);
    let figure = |stem: &str, caption: &str| {
        let file = format!("charts/{stem}.svg");
        charts.contains(&file).then(|| Block::Figure {
            file,
            caption: caption.to_string(),
        })
    };
    if let Some(ch) = doc.chapters.first_mut() {
        for part in &mut ch.parts {
            let extra = match part.title.as_str() {
                "What got delivered" => figure("status", "Status by team and metric"),
                "Cut or double down" => figure("decisions", "Funded cases: delivery against spend"),
                _ => None,
            };
            part.blocks.extend(extra);
        }
    }
    doc
}

fn build(cp: &Checkpoint, settings: &Settings, findings: &[Finding]) -> Doc {
    let fy = settings
        .fiscal_year
        .map(|y| format!(" FY{y}"))
        .unwrap_or_default();
    let kind = if cp.quarter == 4 {
        "year-end review"
    } else {
        "checkpoint"
    };
    let source = match &cp.source {
        PlanSource::Pack(dir) => format!("against the approved pack in {}", dir.display()),
        PlanSource::Workbooks => {
            "against the plan as the workbooks hold it now (no approved pack given)".into()
        }
    };
    let mut doc = Doc {
        title: format!("OP1{fy} — Q{} {kind}", cp.quarter),
        meta: vec![
            document_date(settings),
            format!("As of Q{}, {source}", cp.quarter),
        ],
        chapters: Vec::new(),
    };
    let mut ch = Chapter::new("1", "Where the round stands");
    ch.part("The headline", headline(cp, settings));
    ch.part("Without an approved plan", unapproved(cp));
    ch.part("What got delivered", delivered(cp));
    ch.part("Amber and red", off_track(cp));
    ch.part("Cut or double down", calls(cp, settings));
    ch.part("Over-committed", overcommitted(cp));
    ch.part("Shared goals at risk or overdue", goals(cp));
    doc.chapters.push(ch);
    let mut appendix = Chapter::new("A", "Every finding");
    appendix.part("Findings", every_finding(findings));
    doc.chapters.push(appendix);
    doc
}

/// The round's figures first: for the objective and every summed metric,
/// actual against plan to date and the projection against the full-year
/// plan (at year end, the year's actual against its plan), each rolled up as
/// the pack rolls it up — then, at year end, that Forecasts were set aside.
fn headline(cp: &Checkpoint, settings: &Settings) -> Vec<Block> {
    let objective = settings
        .funding
        .objective
        .as_deref()
        .map(crate::names::normalise);
    let currency = &settings.reporting_currency;
    let mut out: Vec<Block> = cp
        .totals
        .iter()
        .filter(|t| t.rollup == Rollup::Sum || objective.as_deref() == Some(t.key.as_str()))
        .filter_map(|t| {
            let figure = |v: f64| match t.unit_kind {
                UnitKind::Money => format!("{} {currency}", fmt_amount(v.round())),
                _ => amount(v, t.unit_kind),
            };
            let against = |a: f64, p: f64| {
                let pct = if p != 0.0 {
                    format!(" ({})", signed_percent((a - p) / p.abs()))
                } else {
                    String::new()
                };
                format!("{} against {} planned{pct}", figure(a), figure(p))
            };
            let (ac, pl) = (t.ac_ytd?, t.pl_ytd?);
            Some(Block::para(if cp.quarter == 4 {
                format!("{} for the year: {}.", t.metric, against(ac, pl))
            } else {
                let projected = match (t.projection, t.plan) {
                    (Some(p), Some(plan)) => {
                        format!("; projected {} against {}", figure(p), figure(plan))
                    }
                    _ => String::new(),
                };
                format!("{} to date: {}{projected}.", t.metric, against(ac, pl))
            }))
        })
        .collect();
    if cp.quarter == 4 {
        let forecasts = floats(&cp.metrics, "forecast")
            .unwrap_or_default()
            .iter()
            .filter(|f| f.is_some())
            .count();
        if forecasts > 0 {
            out.push(Block::para(format!(
                "The year is reported: every projection is the full-year actual, and the {} typed earlier in the year {} set aside.",
                plural(forecasts, "Forecast"),
                if forecasts == 1 { "is" } else { "are" }
            )));
        }
    }
    out
}

/// A signed percentage: `+2.5%`, `−8.1%`.
fn signed_percent(v: f64) -> String {
    let text = fmt_ratio(v.abs());
    if v < 0.0 {
        format!("−{text}")
    } else {
        format!("+{text}")
    }
}

/// The teams the approved pack does not hold: measured against their own
/// workbook's plan, which is said, so that no one reads them as on plan.
fn unapproved(cp: &Checkpoint) -> Vec<Block> {
    if cp.unapproved.is_empty() {
        return Vec::new();
    }
    vec![Block::para(format!(
        "{} not in the approved pack: {}. Their figures are measured against their own workbook's Flat plan, which no one approved (\"Plan from\" in the Metrics sheet says so on every row).",
        if cp.unapproved.len() == 1 {
            "1 team is".to_string()
        } else {
            format!("{} teams are", cp.unapproved.len())
        },
        cp.unapproved.join(", ")
    ))]
}

/// The statuses counted, then each status as a sentence.
fn delivered(cp: &Checkpoint) -> Vec<Block> {
    let status = strings(&cp.metrics, "status").unwrap_or_default();
    let count = |s: Status| status.iter().filter(|x| *x == s.as_str()).count();
    let mut out = vec![Block::para(if cp.quarter == 4 {
        format!(
            "Of {} team metrics with a plan, {} met it and {} missed it.",
            status.len() - count(Status::NotApplicable),
            count(Status::Met),
            count(Status::Missed)
        )
    } else {
        format!(
            "Of {} team metrics, {} are green, {} amber and {} red; {} have no status (no plan, or a quarter not reported).",
            status.len(),
            count(Status::Green),
            count(Status::Amber),
            count(Status::Red),
            count(Status::NotApplicable)
        )
    })];
    let mut t = Table::new(&["Status", "Team metrics#"]);
    for s in Status::ALL {
        let n = count(s);
        if n > 0 {
            t.row(vec![s.as_str().into(), n.to_string()]);
        }
    }
    out.extend(t.block());
    out
}

/// Every amber, red or missed row with the team's commentary, and beside
/// the team's own Forecast the pace projection from its actuals (each in the
/// team's unit, labelled).
fn off_track(cp: &Checkpoint) -> Vec<Block> {
    let df = &cp.metrics;
    let read = || -> polars::prelude::PolarsResult<_> {
        Ok((
            strings(df, schema::TEAM)?,
            strings(df, schema::METRIC)?,
            strings(df, "status")?,
            floats(df, schema::GAP)?,
            strings(df, "commentary")?,
            (floats(df, "forecast")?, floats(df, "fc_pace")?),
            (
                strings(df, schema::UNIT)?,
                unit_kinds(df, schema::UNIT_KIND)?,
            ),
        ))
    };
    let Ok((team, metric, status, gap, note, (forecast, pace), (unit, kind))) = read() else {
        return Vec::new();
    };
    let figure = |v: Option<f64>, i: usize| {
        v.filter(|v| v.is_finite())
            .map(|v| match kind[i] {
                UnitKind::Ratio => fmt_percent(v),
                _ => format!("{} {}", fmt_amount(v.round()), unit[i]),
            })
            .unwrap_or_default()
    };
    let mut t = Table::new(&[
        "Team",
        "Metric",
        "Status",
        "Gap to plan#",
        "Forecast#",
        "FC pace#",
        "Commentary",
    ]);
    for i in 0..team.len() {
        if matches!(status[i].as_str(), "amber" | "red" | "missed") {
            t.row(vec![
                team[i].clone(),
                metric[i].clone(),
                status[i].clone(),
                gap[i].map(fmt_ratio).unwrap_or_default(),
                figure(forecast[i], i),
                figure(pace[i], i),
                if note[i].is_empty() {
                    "(no commentary)".into()
                } else {
                    note[i].clone()
                },
            ]);
        }
    }
    if t.rows.is_empty() {
        return vec![Block::para("Nothing is amber or red.")];
    }
    let mut out = vec![Block::para(format!(
        "{} {} amber, red or missed, with what the team says is behind it:",
        plural(t.rows.len(), "team metric"),
        if t.rows.len() == 1 { "is" } else { "are" }
    ))];
    out.extend(t.block());
    out
}

fn calls(cp: &Checkpoint, settings: &Settings) -> Vec<Block> {
    if cp.decisions.is_empty() {
        return vec![Block::para(
            "No funded case to judge (no objective, or nothing was funded).",
        )];
    }
    let n = |c: Call| cp.decisions.iter().filter(|d| d.call == c).count();
    let currency = &settings.reporting_currency;
    let mut out = vec![Block::para(format!(
        "Of {}: {} to double down on (delivering as planned or better), {} to keep and {} to cut or fix, freeing {} {currency}.",
        plural(cp.decisions.len(), "funded case"),
        n(Call::DoubleDown),
        n(Call::Keep),
        n(Call::CutOrFix),
        fmt_amount(cp.freed_budget)
    ))];
    let mut t = Table::new(&["Team", "Budget#", "Delivery#", "Objective", "Call"]);
    for d in &cp.decisions {
        t.row(vec![
            d.team.clone(),
            amount(d.budget, UnitKind::Money),
            d.delivery.map(fmt_ratio).unwrap_or_default(),
            d.status.as_str().into(),
            d.call.as_str().into(),
        ]);
    }
    out.extend(t.block());
    let fundable: Vec<String> = cp
        .could_fund
        .iter()
        .filter(|c| c.fundable)
        .map(|c| {
            format!(
                "{} ({} {currency}, ROI {:.2})",
                c.team,
                fmt_amount(c.budget),
                c.roi
            )
        })
        .collect();
    if cp.freed_budget > 0.0 {
        out.push(Block::para(if fundable.is_empty() {
            "No case below the line in the round fits the freed budget.".to_string()
        } else {
            format!(
                "The freed budget could fund, by ROI: {}.",
                fundable.join("; ")
            )
        }));
    }
    out
}

fn overcommitted(cp: &Checkpoint) -> Vec<Block> {
    let df = &cp.resources;
    let read = || -> polars::prelude::PolarsResult<_> {
        Ok((
            strings(df, schema::TEAM)?,
            strings(df, schema::RESOURCE)?,
            floats(df, "approved")?,
            floats(df, "projection")?,
            bools(df, "overcommitted")?,
        ))
    };
    let Ok((team, resource, approved, projection, over)) = read() else {
        return Vec::new();
    };
    let mut t = Table::new(&["Team", "Resource", "Approved#", "Projected#"]);
    for i in 0..team.len() {
        if over[i] == Some(true) {
            t.row(vec![
                team[i].clone(),
                resource[i].clone(),
                approved[i].map(fmt_amount).unwrap_or_default(),
                projection[i].map(fmt_amount).unwrap_or_default(),
            ]);
        }
    }
    match t.block() {
        Some(b) => vec![Block::para("Above the approved resources:"), b],
        None => vec![Block::para("No team is over-committed.")],
    }
}

fn goals(cp: &Checkpoint) -> Vec<Block> {
    let mut t = Table::new(&["ID", "Goal", "Due", "Owners' statuses", "Why listed"]);
    for g in &cp.goals {
        let risky = g.owners.iter().any(|(_, s, _)| {
            matches!(
                s,
                Some(GoalStatus::AtRisk | GoalStatus::OffTrack | GoalStatus::Missed)
            )
        });
        if !(risky || g.overdue || g.mismatch) {
            continue;
        }
        let statuses: Vec<String> = g
            .owners
            .iter()
            .map(|(team, s, _)| format!("{team}: {}", s.map_or("no status", |s| s.name())))
            .collect();
        let why: Vec<&str> = [
            (g.overdue, "overdue"),
            (g.mismatch, "owners disagree"),
            (risky, "at risk"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, w)| w)
        .collect();
        t.row(vec![
            g.id.clone(),
            g.goal.clone(),
            g.due.clone().unwrap_or_default(),
            statuses.join("; "),
            why.join(", "),
        ]);
    }
    match t.block() {
        Some(b) => vec![b],
        None => vec![Block::para(
            "Every shared goal is on track, delivered or cut.",
        )],
    }
}

fn every_finding(findings: &[Finding]) -> Vec<Block> {
    let mut t = Table::new(&["Severity", "Rule", "Team", "Where", "Message"]);
    for x in findings.iter().filter(|x| x.severity != Severity::Info) {
        t.row(vec![
            x.severity.to_string(),
            x.rule.id().into(),
            x.team.clone().unwrap_or_default(),
            x.location(),
            x.message.clone(),
        ]);
    }
    match t.block() {
        Some(b) => vec![b],
        None => vec![Block::para("No errors or warnings.")],
    }
}
