//! The appendix: A, the charts; B, the roll-ups by org for every metric the
//! round totals; C, every finding of the run.

use super::amount;
use super::content::{Block, Chapter, Table};
use super::facts::Facts;
use crate::model::schema;
use crate::model::{self, ROUND_SCOPE};
use crate::plan::Track;
use std::collections::BTreeMap;

pub(super) fn appendix(f: &Facts<'_>) -> Vec<Chapter> {
    let mut out = Vec::new();
    let svgs: Vec<&String> = f.charts.iter().filter(|c| c.ends_with(".svg")).collect();
    if !svgs.is_empty() {
        let mut ch = Chapter::new("A", "Charts");
        for file in svgs {
            let stem = file.trim_start_matches("charts/").trim_end_matches(".svg");
            ch.part(
                caption(stem),
                vec![Block::Figure {
                    file: file.clone(),
                    caption: caption(stem),
                }],
            );
        }
        out.push(ch);
    }
    let mut ch = Chapter::new(letter(out.len()), "Roll-ups by org");
    for (title, table) in rollups(f) {
        ch.part(title, vec![Block::Table(table)]);
    }
    if !ch.parts.is_empty() {
        out.push(ch);
    }
    let mut ch = Chapter::new(letter(out.len()), "Every finding");
    ch.part("Findings", findings(f));
    out.push(ch);
    out
}

fn letter(i: usize) -> String {
    char::from(b'A' + i as u8).to_string()
}

/// `revenue-tracks` → `Revenue tracks`.
fn caption(stem: &str) -> String {
    let words = stem.replace('-', " ");
    let mut c = words.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Per rolled-up metric: scope × track, from the model's roll-up.
fn rollups(f: &Facts<'_>) -> Vec<(String, Table)> {
    let df = &f.input.model.rollup;
    let read = || -> polars::prelude::PolarsResult<_> {
        Ok((
            model::strings(df, schema::SCOPE)?,
            model::strings(df, schema::METRIC_KEY)?,
            model::tracks(df, schema::TRACK)?,
            model::floats(df, schema::VALUE)?,
        ))
    };
    let Ok((scope, key, track, value)) = read() else {
        return Vec::new();
    };
    let shown = [
        Track::LyActual,
        Track::Flat,
        Track::Investment,
        Track::Funded,
    ];
    // The roll-up's rows by metric, found once (scanning them per metric
    // was quadratic: 1.3 s for one team of 5,000 metrics).
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, k) in key.iter().enumerate() {
        by_key.entry(k.as_str()).or_default().push(i);
    }
    let mut out = Vec::new();
    for total in &f.input.model.totals {
        // Scope → value per shown track, in the roll-up's order (All first).
        let mut rows: BTreeMap<(bool, &str), [Option<f64>; 4]> = BTreeMap::new();
        let indexes = by_key
            .get(total.key.as_str())
            .map_or(&[][..], Vec::as_slice);
        for &i in indexes {
            if let Some(t) = shown.iter().position(|s| *s == track[i]) {
                let row = rows
                    .entry((scope[i] != ROUND_SCOPE, scope[i].as_str()))
                    .or_default();
                row[t] = value[i];
            }
        }
        let mut t = Table::new(&["Org", "LY Actual#", "Flat#", "Investment#", "Funded#"]);
        for ((_, s), values) in rows {
            let mut cells = vec![if s == ROUND_SCOPE {
                "All teams".to_string()
            } else {
                s.to_string()
            }];
            cells.extend(
                values
                    .iter()
                    .map(|v| v.map(|v| amount(v, total.unit_kind)).unwrap_or_default()),
            );
            t.row(cells);
        }
        if !t.rows.is_empty() {
            out.push((
                format!(
                    "{} ({}, {})",
                    total.metric,
                    total.unit,
                    total.rollup_described()
                ),
                t,
            ));
        }
    }
    out
}

fn findings(f: &Facts<'_>) -> Vec<Block> {
    if f.findings.is_empty() {
        return vec![Block::para("The run has no findings.")];
    }
    let mut t = Table::new(&["Severity", "Rule", "Team", "Where", "Message"]);
    for x in f.findings {
        t.row(vec![
            x.severity.to_string(),
            x.rule.id().to_string(),
            x.team.clone().unwrap_or_default(),
            x.location(),
            x.message.clone(),
        ]);
    }
    let counts = crate::finding::Tally::of(f.findings);
    vec![
        Block::para(format!(
            "The run's findings, as on the exec pack's Checks sheet: {}.",
            crate::text::tally(counts.errors, counts.warnings, counts.infos)
        )),
        Block::Table(t),
    ]
}
