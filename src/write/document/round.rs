//! Chapter 1, the round on one page: the objective from LY Actual to Funded,
//! the 10× gap, who is funded and who is below the line, the decisions
//! needed by date, the largest risks, the shared goals, and which teams
//! still have open findings.

use super::content::{Block, Chapter, Table};
use super::facts::{needed_by_key, risk_score, Facts};
use super::{amount, amount_with_unit, ask_amount, change, count_is};
use crate::plan::Track;
use crate::text::plural;
use std::collections::BTreeMap;

pub(super) fn round_chapter(f: &Facts<'_>) -> Chapter {
    let mut ch = Chapter::new("1", "The round on one page");
    let mut objective = objective(f);
    objective.extend(targets(f));
    ch.part("The objective", objective);
    ch.part("The 10× gap", ambition(f));
    ch.part("Funding: above and below the line", funding(f));
    ch.part("Decisions needed", decisions(f));
    ch.part("The largest risks", risks(f));
    ch.part("Shared goals", goals(f));
    ch.part("Open findings", open_findings(f));
    ch
}

fn objective(f: &Facts<'_>) -> Vec<Block> {
    let Some(total) = f.objective_total() else {
        return vec![Block::Note(
            "No funding objective is set ([funding] objective in the settings, or --objective), so the round has no bridge from last year to the funded plan.".into(),
        )];
    };
    let unit = &total.unit;
    let value = |t: Track| total.value(t);
    let mut out = Vec::new();
    if let (Some(ly), Some(flat), Some(inv), Some(funded)) = (
        value(Track::LyActual),
        value(Track::Flat),
        value(Track::Investment),
        value(Track::Funded),
    ) {
        out.push(Block::para(format!(
            "{} was {} last year. With flat resources the teams plan {} ({}); with every investment case {} ({}). Funding the cases that fit the envelope gives {} ({} on last year).",
            total.metric,
            amount_with_unit(ly, total.unit_kind, unit),
            amount_with_unit(flat, total.unit_kind, unit),
            change(ly, flat, total.unit_kind),
            amount_with_unit(inv, total.unit_kind, unit),
            change(ly, inv, total.unit_kind),
            amount_with_unit(funded, total.unit_kind, unit),
            change(ly, funded, total.unit_kind),
        )));
    }
    let mut t = Table::new(&[
        "Track",
        &format!("{} ({unit})#", total.metric),
        "Δ vs LY Actual#",
    ]);
    let ly = value(Track::LyActual);
    for track in [
        Track::LyActual,
        Track::Baseline,
        Track::Flat,
        Track::Investment,
        Track::Funded,
    ] {
        if let Some(v) = value(track) {
            let delta = match (ly, track) {
                (_, Track::LyActual) | (None, _) => String::new(),
                (Some(l), _) => change(l, v, total.unit_kind),
            };
            t.row(vec![track.name().into(), amount(v, total.unit_kind), delta]);
        }
    }
    out.extend(t.block());
    if total.covered() < f.teams.len() as u32 {
        out.push(Block::Note(format!(
            "The total covers {} of {} teams: the others do not report {}.",
            total.covered(),
            f.teams.len(),
            total.metric
        )));
    }
    out
}

/// One sentence: where the funded plan stands against each top-down
/// target (none without `[targets]`).
fn targets(f: &Facts<'_>) -> Vec<Block> {
    use crate::model::{floats, schema, strings, unit_kinds};
    let df = &f.input.model.targets;
    let read = || -> polars::prelude::PolarsResult<Vec<String>> {
        let scopes = strings(df, schema::SCOPE)?;
        let metrics = strings(df, schema::METRIC)?;
        let targets = floats(df, schema::TARGET)?;
        let funded = floats(df, schema::FUNDED)?;
        let kinds = unit_kinds(df, schema::UNIT_KIND)?;
        Ok((0..df.height())
            .filter_map(|i| {
                let (target, funded) = (targets[i]?, funded[i]?);
                let kind = kinds[i];
                let gap = funded - target;
                let sign = if gap < 0.0 { "−" } else { "+" };
                let pct = match target {
                    0.0 => String::new(),
                    t => format!(", {sign}{:.1}%", 100.0 * gap.abs() / t.abs()),
                };
                Some(format!(
                    "{} in {}: funded {} against {} ({sign}{}{pct})",
                    metrics[i],
                    scopes[i],
                    amount(funded, kind),
                    amount(target, kind),
                    amount(gap.abs(), kind),
                ))
            })
            .collect())
    };
    match read() {
        Ok(parts) if !parts.is_empty() => vec![Block::para(format!(
            "Against the top-down targets — {}.",
            parts.join("; ")
        ))],
        _ => Vec::new(),
    }
}

fn ambition(f: &Facts<'_>) -> Vec<Block> {
    let Some(a) = f.ambition() else {
        return Vec::new();
    };
    let s = &f.input.settings.ambition;
    let mut out = vec![Block::para(format!(
        "A {}× in {} years path needs {:.2}× a year. Under Investment the round's {} grows {:.2}× on last year: a gap of {:+.2}× ({}).",
        s.multiple,
        s.years,
        a.needed,
        a.metric,
        a.round_multiple,
        a.round_multiple - a.needed,
        if a.round_multiple >= a.needed { "on the path" } else { "short of the path" }
    ))];
    let mut t = Table::new(&["Team", "Implied multiple#", "Gap (implied − needed)#"]);
    for (team, implied) in a.furthest_short.iter().take(5) {
        t.row(vec![
            team.clone(),
            format!("{implied:.2}×"),
            format!("{:+.2}×", implied - a.needed),
        ]);
    }
    if !t.rows.is_empty() {
        out.push(Block::para("The teams furthest from the path:"));
        out.extend(t.block());
    }
    out
}

fn funding(f: &Facts<'_>) -> Vec<Block> {
    let cases = f.funding();
    if cases.is_empty() {
        return Vec::new();
    }
    let currency = &f.input.model.reporting_currency;
    let funded: Vec<&str> = cases
        .iter()
        .filter(|c| c.funded)
        .map(|c| c.team.as_str())
        .collect();
    let below: Vec<String> = cases
        .iter()
        .filter(|c| !c.funded)
        .map(|c| {
            format!(
                "{} (asked {} {currency}: {})",
                c.team,
                amount(c.budget, crate::plan::UnitKind::Money),
                c.reason
            )
        })
        .collect();
    let envelope = f
        .input
        .model
        .params
        .budget
        .map(|b| {
            format!(
                "an envelope of {} {currency}",
                amount(b, crate::plan::UnitKind::Money)
            )
        })
        .unwrap_or_else(|| "no envelope".into());
    let mut out = vec![Block::para(format!(
        "With {envelope}, {} funded, spending {} {currency}: {}.",
        count_is(funded.len(), "case"),
        amount(f.input.model.spend, crate::plan::UnitKind::Money),
        if funded.is_empty() {
            "none".to_string()
        } else {
            funded.join(", ")
        }
    ))];
    if !below.is_empty() {
        out.push(Block::para(format!(
            "Below the line: {}.",
            below.join("; ")
        )));
    }
    let uplift = &f.input.model.uplift;
    if f.input.model.params.method == crate::settings::Method::Optimal {
        let (kind, unit) = f
            .objective_total()
            .map(|t| (t.unit_kind, t.unit.clone()))
            .unwrap_or((crate::plan::UnitKind::Money, currency.clone()));
        let shown = |v: f64| amount_with_unit(v, kind, &unit);
        out.push(Block::para(match uplift.regret() > 0.0 {
            true => format!(
                "The funded set is the one with the most uplift within every limit: {} of it, where ranking by ROI would fund {} (regret {}).",
                shown(uplift.chosen),
                shown(uplift.ranked),
                shown(uplift.regret()),
            ),
            false => "The funded set is the one with the most uplift within every limit, and ranking by ROI funds the same.".into(),
        }));
    }
    let mut t = Table::new(&[
        "Rank#",
        "Team",
        &format!("Asked ({currency})#"),
        "Uplift#",
        "ROI#",
        "Funded",
        "Why",
    ]);
    for c in &cases {
        t.row(vec![
            c.rank.to_string(),
            c.team.clone(),
            amount(c.budget, crate::plan::UnitKind::Money),
            c.uplift
                .map(|u| amount(u, crate::plan::UnitKind::Money))
                .unwrap_or_default(),
            c.roi.map(|r| format!("{r:.2}")).unwrap_or_default(),
            if c.funded { "yes" } else { "no" }.into(),
            c.reason.clone(),
        ]);
    }
    out.extend(t.block());
    out
}

fn decisions(f: &Facts<'_>) -> Vec<Block> {
    let reporting = &f.input.model.reporting_currency;
    let mut asks: Vec<(&str, &crate::plan::Ask, &str)> = f
        .teams
        .iter()
        .flat_map(|wb| {
            let currency = wb.currency_or(reporting);
            wb.asks.iter().map(move |a| (wb.name(), a, currency))
        })
        .collect();
    let fy = f.input.settings.fiscal_year;
    asks.sort_by_key(|(team, a, _)| {
        let needed_by = a.needed_by.as_ref().map(|v| v.value.as_str());
        (needed_by_key(needed_by, fy), *team)
    });
    let mut t = Table::new(&[
        "Needed by",
        "Team",
        "Ask",
        "Kind",
        "Amount#",
        "If it is late",
    ]);
    for (team, a, currency) in &asks {
        let text = |v: &Option<crate::plan::Val<String>>| {
            v.as_ref().map(|v| v.value.clone()).unwrap_or_default()
        };
        t.row(vec![
            text(&a.needed_by),
            team.to_string(),
            a.ask.value.clone(),
            text(&a.kind),
            ask_amount(a, currency),
            text(&a.if_delayed),
        ]);
    }
    let mut out = Vec::new();
    if !asks.is_empty() {
        out.push(Block::para(format!(
            "The teams ask for {}, earliest first; each says what slips if the decision is late.",
            plural(asks.len(), "decision")
        )));
    }
    out.extend(t.block());
    out
}

fn risks(f: &Facts<'_>) -> Vec<Block> {
    let mut risks: Vec<(u32, &str, &crate::plan::Risk)> = f
        .teams
        .iter()
        .flat_map(|wb| wb.risks.iter().map(move |r| (risk_score(r), wb.name(), r)))
        .collect();
    risks.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let shown = risks.len().min(10);
    let mut t = Table::new(&["Team", "Risk", "Likelihood", "Impact", "Mitigation"]);
    for (_, team, r) in risks.iter().take(shown) {
        let text = |v: &Option<crate::plan::Val<String>>| {
            v.as_ref().map(|v| v.value.clone()).unwrap_or_default()
        };
        t.row(vec![
            team.to_string(),
            r.risk.value.clone(),
            text(&r.likelihood),
            text(&r.impact),
            text(&r.mitigation),
        ]);
    }
    let mut out = Vec::new();
    if !risks.is_empty() {
        out.push(Block::para(format!(
            "The {} largest of the round's {} by impact × likelihood, with their mitigations:",
            shown,
            plural(risks.len(), "risk")
        )));
    }
    out.extend(t.block());
    out
}

fn goals(f: &Facts<'_>) -> Vec<Block> {
    // Goal ID → (goal, owners as stated, teams that list it).
    let mut by_id: BTreeMap<String, (String, String, Vec<String>)> = BTreeMap::new();
    for wb in &f.teams {
        for g in &wb.goals {
            let e = by_id
                .entry(g.id.value.trim().to_string())
                .or_insert_with(|| {
                    (
                        g.goal.as_ref().map(|v| v.value.clone()).unwrap_or_default(),
                        g.owners
                            .as_ref()
                            .map(|v| v.value.clone())
                            .unwrap_or_default(),
                        Vec::new(),
                    )
                });
            e.2.push(wb.name().to_string());
        }
    }
    let mut t = Table::new(&["ID", "Goal", "Owners", "Listed by", "Both listed"]);
    let mut one_sided = 0;
    for (id, (goal, owners, listed)) in &by_id {
        let both = listed.len() >= 2;
        one_sided += usize::from(!both);
        t.row(vec![
            id.clone(),
            goal.clone(),
            owners.clone(),
            listed.join(", "),
            if both { "yes" } else { "no" }.into(),
        ]);
    }
    let mut out = Vec::new();
    if !by_id.is_empty() {
        out.push(Block::para(format!(
            "{} shared by two teams; of them {} listed by only one of its owners.",
            count_is(by_id.len(), "goal"),
            count_is(one_sided, "goal")
        )));
    }
    out.extend(t.block());
    out
}

fn open_findings(f: &Facts<'_>) -> Vec<Block> {
    let mut t = Table::new(&["Team", "Errors#", "Warnings#"]);
    for (team, (errors, warnings)) in f.open_findings() {
        t.row(vec![team, errors.to_string(), warnings.to_string()]);
    }
    let mut out = Vec::new();
    if t.rows.is_empty() {
        out.push(Block::para("No team has an open error or warning."));
    } else {
        out.push(Block::para(format!(
            "{} still {} open findings (every one is listed in the appendix):",
            plural(t.rows.len(), "team"),
            if t.rows.len() == 1 { "has" } else { "have" }
        )));
    }
    for (file, errors) in f.input.excluded {
        out.push(Block::Note(format!(
            "{file} is left out of the pack: it has {}.",
            plural(*errors, "error")
        )));
    }
    out.extend(t.block());
    out
}
