//! The sheets of `checkpoint.xlsx`. Summary totals are live formulas over
//! the Metrics sheet (SUMIFS for a sum, AVERAGEIFS for a level, COUNTIFS for
//! the statuses) with the values cached; the Status grid says each status as
//! a letter and a colour, never by colour alone. The sheets that list
//! things (Resources, Goals, Decisions, Checks) are in [`super::lists`].

use super::lists;
use crate::a1::column_letters;
use crate::checkpoint::{Checkpoint, Status};
use crate::finding::Finding;
use crate::model::{bools, floats, strings};
use crate::settings::Settings;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Workbook, Worksheet,
    XlsxError,
};
use std::collections::BTreeMap;

pub(super) use crate::write::sheet::HEADER_ROW;

/// The Metrics sheet's columns: (header, frame column, kind).
const METRICS: [(&str, &str, Kind); 28] = [
    ("Team", "team", Kind::Text),
    ("Org", "org", Kind::Text),
    ("Metric", "metric", Kind::Text),
    ("Metric key", "metric_key", Kind::Text),
    ("Unit", "unit", Kind::Text),
    ("Better", "better", Kind::Text),
    ("Rollup", "rollup", Kind::Text),
    ("Q1", "q1", Kind::Number),
    ("Q2", "q2", Kind::Number),
    ("Q3", "q3", Kind::Number),
    ("Q4", "q4", Kind::Number),
    ("AC ytd", "ac_ytd", Kind::Number),
    ("PL ytd", "pl_ytd", Kind::Number),
    ("Δ ytd", "delta_ytd", Kind::Number),
    ("Δ% ytd", "delta_ytd_pct", Kind::Ratio),
    ("FC linear", "fc_linear", Kind::Number),
    ("FC pace", "fc_pace", Kind::Number),
    ("Forecast", "forecast", Kind::Number),
    ("Projection", "projection", Kind::Number),
    ("PL full year", "plan_full_year", Kind::Number),
    ("Gap", "gap", Kind::Ratio),
    ("Status", "status", Kind::Text),
    ("Commentary", "commentary", Kind::Text),
    ("FX rate", "rate", Kind::Number),
    ("AC ytd (reporting)", "ac_ytd_reporting", Kind::Number),
    ("PL ytd (reporting)", "pl_ytd_reporting", Kind::Number),
    (
        "Projection (reporting)",
        "projection_reporting",
        Kind::Number,
    ),
    ("Source", "source", Kind::Source),
];

#[derive(Clone, Copy)]
enum Kind {
    Text,
    Number,
    Ratio,
    /// The metric's row on the team's Plan sheet (`file › Plan!A7`).
    Source,
}

pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) note: Format,
    pub(super) header: Format,
    pub(super) number: Format,
    pub(super) ratio: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            header: crate::write::sheet::header_format(),
            number: Format::new().set_num_format("#,##0.00;[Red]-#,##0.00"),
            ratio: Format::new().set_num_format("0.0%;[Red]-0.0%"),
        }
    }
}

/// The whole workbook, as bytes.
pub(super) fn workbook(
    cp: &Checkpoint,
    settings: &Settings,
    findings: &[Finding],
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title("OP1 checkpoint")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?),
    );
    let df = with_reporting(cp)?;
    let ws = wb.add_worksheet();
    summary(ws, cp, &df, settings, &f)?;
    let ws = wb.add_worksheet();
    status_grid(ws, &df, &f)?;
    let ws = wb.add_worksheet();
    metrics(ws, &df, &f)?;
    let ws = wb.add_worksheet();
    lists::resources(ws, cp, &f)?;
    let ws = wb.add_worksheet();
    lists::goals(ws, cp, &f)?;
    let ws = wb.add_worksheet();
    lists::decisions(ws, cp, &f)?;
    let ws = wb.add_worksheet();
    lists::checks(ws, findings, &f)?;
    let ws = wb.add_worksheet();
    lists::sources(ws, cp, df.height(), &f)?;
    wb.save_to_buffer()
}

/// The metrics frame with reporting-currency columns for the round totals.
fn with_reporting(cp: &Checkpoint) -> Result<polars::prelude::DataFrame, XlsxError> {
    use polars::prelude::*;
    let rate = col("rate");
    cp.metrics
        .clone()
        .lazy()
        .with_columns([
            (col("ac_ytd") * rate.clone()).alias("ac_ytd_reporting"),
            (col("pl_ytd") * rate.clone()).alias("pl_ytd_reporting"),
            (col("projection") * rate.clone()).alias("projection_reporting"),
            (col("plan_full_year") * rate).alias("plan_reporting"),
        ])
        .collect()
        .map_err(polars_err)
}

pub(super) fn polars_err(e: polars::prelude::PolarsError) -> XlsxError {
    XlsxError::ParameterError(format!("the checkpoint could not be read: {e}"))
}

pub(super) fn title(
    ws: &mut Worksheet,
    f: &Formats,
    title: &str,
    note: &str,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, title, &f.title)?;
    ws.write_string_with_format(1, 0, note, &f.note)?;
    Ok(())
}

pub(super) fn table(
    ws: &mut Worksheet,
    f: &Formats,
    name: &str,
    headers: &[&str],
    rows: usize,
) -> Result<(), XlsxError> {
    crate::write::sheet::add_table(ws, HEADER_ROW, Some(name), headers, rows, &f.header)
}

/// A Metrics column's range, e.g. `Metrics!$L$4:$L$60`.
fn range(header: &str, rows: usize) -> String {
    let c = METRICS.iter().position(|m| m.0 == header).unwrap_or(0);
    let letters = column_letters(c as u32);
    let (first, last) = (HEADER_ROW + 2, HEADER_ROW + 1 + rows.max(1) as u32);
    format!("Metrics!${letters}${first}:${letters}${last}")
}

fn literal(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn cached(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

fn summary(
    ws: &mut Worksheet,
    cp: &Checkpoint,
    df: &polars::prelude::DataFrame,
    settings: &Settings,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("Summary")?;
    // A total no team has a value for is blank (""), as its formula returns.
    ws.set_formula_result_default("");
    let source = match &cp.source {
        crate::checkpoint::PlanSource::Pack(dir) => {
            format!("the approved pack in {}", dir.display())
        }
        crate::checkpoint::PlanSource::Workbooks => {
            "the workbooks as they are now (no approved pack given)".into()
        }
    };
    title(
        ws,
        f,
        &format!("Checkpoint Q{}: actual against plan", cp.quarter),
        &format!(
            "Money in {}. Plan: {source}. Totals are live formulas over the Metrics sheet: a sum metric adds up, a level (mean, weighted, none) is the teams' mean.",
            settings.reporting_currency
        ),
    )?;
    let headers = [
        "Metric",
        "PL full year",
        "PL ytd",
        "AC ytd",
        "Δ ytd",
        "Δ% ytd",
        "Projection",
        "Green",
        "Amber",
        "Red",
        "Met",
        "Missed",
    ];
    let rows = df.height();
    let read = || -> polars::prelude::PolarsResult<_> {
        Ok((
            strings(df, "metric")?,
            strings(df, "metric_key")?,
            bools(df, "level")?,
            floats(df, "plan_reporting")?,
            floats(df, "pl_ytd_reporting")?,
            floats(df, "ac_ytd_reporting")?,
            floats(df, "projection_reporting")?,
            strings(df, "status")?,
        ))
    };
    let (metric, key, level, plan, pl, ac, proj, status) = read().map_err(polars_err)?;
    // Metric key → rows, in first-seen order.
    let mut order: Vec<&str> = Vec::new();
    let mut rows_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, k) in key.iter().enumerate() {
        if !rows_of.contains_key(k.as_str()) {
            order.push(k);
        }
        rows_of.entry(k).or_default().push(i);
    }
    table(ws, f, "CheckpointSummary", &headers, order.len())?;
    for (r, k) in order.iter().enumerate() {
        let row = HEADER_ROW + 1 + r as u32;
        let idx = &rows_of[k];
        let is_level = level[idx[0]].unwrap_or(false);
        ws.write_string(row, 0, &metric[idx[0]])?;
        let total = |values: &[Option<f64>]| -> Option<f64> {
            let vals: Vec<f64> = idx
                .iter()
                .filter_map(|&i| values[i])
                .filter(|v| v.is_finite())
                .collect();
            if vals.is_empty() {
                None
            } else if is_level {
                Some(vals.iter().sum::<f64>() / vals.len() as f64)
            } else {
                Some(vals.iter().sum())
            }
        };
        let func = if is_level { "AVERAGEIFS" } else { "SUMIFS" };
        let crit = literal(k);
        let key_range = range("Metric key", rows);
        // The full-year plan in reporting currency: Σ (or mean of) PL × rate.
        let plan_formula = if is_level {
            format!(
                "=IFERROR(SUMPRODUCT(({key_range}={crit})*{pl}*{fx})/COUNTIFS({key_range},{crit},{pl},\"<>\"),\"\")",
                pl = range("PL full year", rows),
                fx = range("FX rate", rows)
            )
        } else {
            format!(
                "=IF(COUNTIFS({key_range},{crit},{pl},\"<>\")=0,\"\",SUMPRODUCT(({key_range}={crit})*{pl}*{fx}))",
                pl = range("PL full year", rows),
                fx = range("FX rate", rows)
            )
        };
        // Blank, not 0, when no team has a value (as the cached total is).
        let to_date = |header: &str| {
            let values = range(header, rows);
            format!(
                "=IF(COUNTIFS({key_range},{crit},{values},\"<>\")=0,\"\",{func}({values},{key_range},{crit}))"
            )
        };
        for (c, (formula, values)) in [
            (plan_formula, &plan),
            (to_date("PL ytd (reporting)"), &pl),
            (to_date("AC ytd (reporting)"), &ac),
        ]
        .into_iter()
        .enumerate()
        {
            ws.write_formula_with_format(
                row,
                1 + c as u16,
                Formula::new(formula).set_result(cached(total(values))),
                &f.number,
            )?;
        }
        let (d, c) = (crate::a1::cell_name(row, 3), crate::a1::cell_name(row, 2));
        let delta = match (total(&ac), total(&pl)) {
            (Some(a), Some(p)) => Some(a - p),
            _ => None,
        };
        ws.write_formula_with_format(
            row,
            4,
            Formula::new(format!("=IF(OR({d}=\"\",{c}=\"\"),\"\",{d}-{c})"))
                .set_result(cached(delta)),
            &f.number,
        )?;
        let pct = match (delta, total(&pl)) {
            (Some(x), Some(p)) if p != 0.0 => Some(x / p.abs()),
            _ => None,
        };
        let e = crate::a1::cell_name(row, 4);
        ws.write_formula_with_format(
            row,
            5,
            Formula::new(format!(
                "=IF(OR({e}=\"\",{c}=\"\",{c}=0),\"\",{e}/ABS({c}))"
            ))
            .set_result(cached(pct)),
            &f.ratio,
        )?;
        ws.write_formula_with_format(
            row,
            6,
            Formula::new(to_date("Projection (reporting)")).set_result(cached(total(&proj))),
            &f.number,
        )?;
        for (c, s) in [
            Status::Green,
            Status::Amber,
            Status::Red,
            Status::Met,
            Status::Missed,
        ]
        .iter()
        .enumerate()
        {
            let count = idx.iter().filter(|&&i| status[i] == s.as_str()).count();
            ws.write_formula(
                row,
                7 + c as u16,
                Formula::new(format!(
                    "=COUNTIFS({},{crit},{},{})",
                    range("Metric key", rows),
                    range("Status", rows),
                    literal(s.as_str())
                ))
                .set_result(count.to_string()),
            )?;
        }
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_range_width(1, 6, 16)?;
    ws.set_column_range_width(7, 11, 8)?;
    // Decisions in one line under the table.
    let at = HEADER_ROW + order.len() as u32 + 3;
    ws.write_string_with_format(
        at,
        0,
        format!(
            "{} funded cases: {} double down, {} keep, {} cut or fix; {} of budget freed.",
            cp.decisions.len(),
            cp.decisions
                .iter()
                .filter(|d| d.call == crate::checkpoint::Call::DoubleDown)
                .count(),
            cp.decisions
                .iter()
                .filter(|d| d.call == crate::checkpoint::Call::Keep)
                .count(),
            cp.decisions
                .iter()
                .filter(|d| d.call == crate::checkpoint::Call::CutOrFix)
                .count(),
            crate::text::fmt_amount(cp.freed_budget)
        ),
        &f.note,
    )?;
    ws.set_active(true);
    Ok(())
}

fn status_grid(
    ws: &mut Worksheet,
    df: &polars::prelude::DataFrame,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("Status")?;
    title(ws, f, "Status by team and metric", "G green · A amber · R red · M met · X missed · – no plan: the letter says it, the colour repeats it.")?;
    let (team, metric, key, status) = (|| -> polars::prelude::PolarsResult<_> {
        Ok((
            strings(df, "team")?,
            strings(df, "metric")?,
            strings(df, "metric_key")?,
            strings(df, "status")?,
        ))
    })()
    .map_err(polars_err)?;
    let mut teams: Vec<&str> = Vec::new();
    let mut metrics: Vec<(&str, &str)> = Vec::new();
    for i in 0..team.len() {
        if !teams.contains(&team[i].as_str()) {
            teams.push(&team[i]);
        }
        if !metrics.iter().any(|(k, _)| *k == key[i]) {
            metrics.push((&key[i], &metric[i]));
        }
    }
    ws.write_string_with_format(HEADER_ROW, 0, "Team", &f.header)?;
    for (c, (_, name)) in metrics.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, 1 + c as u16, *name, &f.header)?;
    }
    for (r, t) in teams.iter().enumerate() {
        ws.write_string(HEADER_ROW + 1 + r as u32, 0, *t)?;
    }
    for i in 0..team.len() {
        let r = teams.iter().position(|t| *t == team[i]).unwrap_or(0);
        let c = metrics.iter().position(|(k, _)| *k == key[i]).unwrap_or(0);
        let s = Status::parse(&status[i]).unwrap_or(Status::NotApplicable);
        let format = Format::new()
            .set_background_color(Color::RGB(s.colour()))
            .set_font_color(if s == Status::Amber || s == Status::NotApplicable {
                Color::Black
            } else {
                Color::White
            })
            .set_bold()
            .set_align(FormatAlign::Center);
        ws.write_string_with_format(HEADER_ROW + 1 + r as u32, 1 + c as u16, s.letter(), &format)?;
    }
    ws.set_column_width(0, 22)?;
    ws.set_column_range_width(1, metrics.len().max(1) as u16, 12)?;
    Ok(())
}

fn metrics(
    ws: &mut Worksheet,
    df: &polars::prelude::DataFrame,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("Metrics")?;
    title(ws, f, "Every team × metric at the checkpoint", "Values in the team's unit (money in its currency); the reporting columns convert at the round's rates. Projection: the team's Forecast, else FC pace.")?;
    let headers: Vec<&str> = METRICS.iter().map(|m| m.0).collect();
    table(ws, f, "Metrics", &headers, df.height())?;
    for (c, (_, column, kind)) in METRICS.iter().enumerate() {
        let c = c as u16;
        match kind {
            Kind::Source => {
                let (file, row) = (strings(df, "file"), crate::model::uints(df, "row"));
                let (file, row) = (file.map_err(polars_err)?, row.map_err(polars_err)?);
                for i in 0..df.height() {
                    let at = row[i]
                        .map(|r| format!(" › Plan!A{}", r + 1))
                        .unwrap_or_default();
                    ws.write_string(HEADER_ROW + 1 + i as u32, c, format!("{}{at}", file[i]))?;
                }
            }
            Kind::Text => {
                let values = strings(df, column).map_err(polars_err)?;
                for (i, v) in values.iter().enumerate() {
                    if !v.is_empty() {
                        ws.write_string(HEADER_ROW + 1 + i as u32, c, v)?;
                    }
                }
            }
            Kind::Number | Kind::Ratio => {
                let values = floats(df, column).map_err(polars_err)?;
                let format = if matches!(kind, Kind::Ratio) {
                    &f.ratio
                } else {
                    &f.number
                };
                for (i, v) in values.iter().enumerate() {
                    if let Some(v) = v.filter(|v| v.is_finite()) {
                        ws.write_number_with_format(HEADER_ROW + 1 + i as u32, c, v, format)?;
                    }
                }
            }
        }
    }
    ws.set_column_range_width(0, METRICS.len() as u16 - 1, 14)?;
    Ok(())
}
