//! The sheets of `checkpoint.xlsx` that measure the round: Summary, whose
//! totals are live formulas over the Metrics sheet (SUMIFS for a sum,
//! AVERAGEIFS for a level, COUNTIFS for the statuses) with the values
//! cached; the Status grid, which says each status as a letter and a
//! colour, never by colour alone; and Metrics itself.

use super::{polars_err, table, title, Formats};
use crate::a1::column_letters;
use crate::checkpoint::{Checkpoint, Status};
use crate::model::schema;
use crate::model::{floats, strings};
use crate::plan::Rollup;
use crate::settings::Settings;
use rust_xlsxwriter::{Color, Format, FormatAlign, Formula, Worksheet, XlsxError};

use super::HEADER_ROW;

/// The Metrics sheet's columns: (header, frame column, kind).
const METRICS: [(&str, &str, ColumnKind); 33] = [
    ("Team", schema::TEAM, ColumnKind::Text),
    ("Org", schema::ORG, ColumnKind::Text),
    ("Metric", schema::METRIC, ColumnKind::Text),
    ("Metric key", schema::METRIC_KEY, ColumnKind::Text),
    ("Unit", schema::UNIT, ColumnKind::Text),
    ("Better", schema::BETTER, ColumnKind::Text),
    ("Rollup", schema::ROLLUP_HOW, ColumnKind::Text),
    ("Q1", "q1", ColumnKind::Value),
    ("Q2", "q2", ColumnKind::Value),
    ("Q3", "q3", ColumnKind::Value),
    ("Q4", "q4", ColumnKind::Value),
    ("AC ytd", "ac_ytd", ColumnKind::Value),
    ("PL ytd", "pl_ytd", ColumnKind::Value),
    ("Δ ytd", "delta_ytd", ColumnKind::Value),
    ("Δ% ytd", "delta_ytd_pct", ColumnKind::Ratio),
    ("FC linear", "fc_linear", ColumnKind::Value),
    ("FC pace", "fc_pace", ColumnKind::Value),
    ("Forecast", "forecast", ColumnKind::Value),
    ("Projection", "projection", ColumnKind::Value),
    ("PL full year", "plan_full_year", ColumnKind::Value),
    ("Plan from", "plan_from", ColumnKind::Text),
    ("Gap", schema::GAP, ColumnKind::Ratio),
    ("Status", "status", ColumnKind::Text),
    ("Commentary", "commentary", ColumnKind::Text),
    ("FX rate", schema::RATE, ColumnKind::Number),
    ("AC ytd (reporting)", "ac_ytd_reporting", ColumnKind::Value),
    ("PL ytd (reporting)", "pl_ytd_reporting", ColumnKind::Value),
    (
        "Projection (reporting)",
        "projection_reporting",
        ColumnKind::Value,
    ),
    ("Weight PL", "weight_plan", ColumnKind::Number),
    ("Weight PL ytd", "weight_pl_ytd", ColumnKind::Number),
    ("Weight AC ytd", "weight_ac_ytd", ColumnKind::Number),
    ("Weight projection", "weight_projection", ColumnKind::Number),
    ("Source", "source", ColumnKind::Source),
];

#[derive(Clone, Copy)]
enum ColumnKind {
    Text,
    Number,
    /// In the row's metric's unit: a `%` metric's value as a percentage.
    Value,
    Ratio,
    /// The metric's row on the team's Plan sheet (`file › Plan!A7`).
    Source,
}

/// A Metrics column's range, e.g. `Metrics!$L$4:$L$60`.
fn range(header: &str, rows: usize) -> String {
    let c = METRICS.iter().position(|m| m.0 == header).unwrap_or(0);
    let letters = column_letters(c as u32);
    let (first, last) = (HEADER_ROW + 2, HEADER_ROW + 1 + rows.max(1) as u32);
    format!("Metrics!${letters}${first}:${letters}${last}")
}

/// The Summary's header of the projection: at year end the full-year
/// actual, which a Forecast no longer stands in for.
fn projection_header(quarter: usize) -> &'static str {
    if quarter == 4 {
        "AC full year"
    } else {
        "Projection"
    }
}

/// A metric's total over its teams' Metrics rows, by its roll-up.
struct Rolled {
    rollup: Rollup,
    /// `(Metrics!key range = this row's key cell)`: 1 on the metric's rows.
    matches: String,
}

impl Rolled {
    /// The live total of `values` (a range, or a product of ranges), counting
    /// the rows where `present` is not blank; blank ("") when none is.
    fn formula(&self, values: &str, present: &str, weights: &str) -> String {
        let m = &self.matches;
        let count = format!("SUMPRODUCT({m}*({present}<>\"\"))");
        match self.rollup {
            Rollup::Sum => format!("=IF({count}=0,\"\",SUMPRODUCT({m}*{values}))"),
            Rollup::Weighted => {
                let weight = format!("SUMPRODUCT({m}*({present}<>\"\")*{weights})");
                format!("=IF({weight}=0,\"\",SUMPRODUCT({m}*{values}*{weights})/{weight})")
            }
            Rollup::Mean | Rollup::None => {
                format!("=IF({count}=0,\"\",SUMPRODUCT({m}*{values})/{count})")
            }
        }
    }
}

fn literal(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn cached(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

pub(super) fn summary(
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
            "Money in {}. Plan: {source}. Totals are live formulas over the Metrics sheet by each metric's roll-up, as in the pack: a sum adds up, a weighted metric is Σ value × weight / Σ weight (the Weight columns), a mean or none metric is the teams' mean.",
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
        projection_header(cp.quarter),
        "Green",
        "Amber",
        "Red",
        "Met",
        "Missed",
        "Rollup",
        "Metric key",
    ];
    let rows = df.height();
    let status = strings(df, "status").map_err(polars_err)?;
    let key = strings(df, schema::METRIC_KEY).map_err(polars_err)?;
    table(ws, f, "CheckpointSummary", &headers, cp.totals.len())?;
    let key_range = range("Metric key", rows);
    for (r, total) in cp.totals.iter().enumerate() {
        let row = HEADER_ROW + 1 + r as u32;
        ws.write_string(row, 0, crate::text::fit_for_excel(&total.metric))?;
        ws.write_string(row, 12, total.rollup.name())?;
        ws.write_string(row, 13, crate::text::fit_for_excel(&total.key))?;
        // Every total matches its teams' rows by the key in this row's cell,
        // compared with `=`: exact, where SUMIFS criteria would read `*`,
        // `?`, `<` or `=` in a name as a pattern, and with no text literal
        // that could pass Excel's 255 characters.
        let rolled = Rolled {
            rollup: total.rollup,
            matches: format!("({key_range}=${}${})", column_letters(13), row + 1),
        };
        let plan = rolled.formula(
            &format!("{}*{}", range("PL full year", rows), range("FX rate", rows)),
            &range("PL full year", rows),
            &range("Weight PL", rows),
        );
        let to_date = |header: &str, weight: &str| {
            let values = range(header, rows);
            rolled.formula(&values, &values, &range(weight, rows))
        };
        for (c, (formula, value)) in [
            (plan, total.plan),
            (to_date("PL ytd (reporting)", "Weight PL ytd"), total.pl_ytd),
            (to_date("AC ytd (reporting)", "Weight AC ytd"), total.ac_ytd),
        ]
        .into_iter()
        .enumerate()
        {
            ws.write_formula_with_format(
                row,
                1 + c as u16,
                Formula::new(formula).set_result(cached(value)),
                f.value(total.unit_kind),
            )?;
        }
        let (d, c) = (crate::a1::cell_name(row, 3), crate::a1::cell_name(row, 2));
        let delta = match (total.ac_ytd, total.pl_ytd) {
            (Some(a), Some(p)) => Some(a - p),
            _ => None,
        };
        ws.write_formula_with_format(
            row,
            4,
            Formula::new(format!("=IF(OR({d}=\"\",{c}=\"\"),\"\",{d}-{c})"))
                .set_result(cached(delta)),
            f.value(total.unit_kind),
        )?;
        let pct = match (delta, total.pl_ytd) {
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
            Formula::new(to_date("Projection (reporting)", "Weight projection"))
                .set_result(cached(total.projection)),
            f.value(total.unit_kind),
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
            let count = (0..rows)
                .filter(|&i| key[i] == total.key && status[i] == s.as_str())
                .count();
            ws.write_formula(
                row,
                7 + c as u16,
                Formula::new(format!(
                    "=SUMPRODUCT({}*({}={}))",
                    rolled.matches,
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
    ws.set_column_range_width(12, 13, 12)?;
    // Decisions in one line under the table.
    let at = HEADER_ROW + cp.totals.len() as u32 + 3;
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

pub(super) fn status_grid(
    ws: &mut Worksheet,
    df: &polars::prelude::DataFrame,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("Status")?;
    title(ws, f, "Status by team and metric", "G green · A amber · R red · M met · X missed · – no plan: the letter says it, the colour repeats it.")?;
    let (team, metric, key, status) = (|| -> polars::prelude::PolarsResult<_> {
        Ok((
            strings(df, schema::TEAM)?,
            strings(df, schema::METRIC)?,
            strings(df, schema::METRIC_KEY)?,
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
        ws.write_string(HEADER_ROW + 1 + r as u32, 0, crate::text::fit_for_excel(t))?;
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

pub(super) fn metrics(
    ws: &mut Worksheet,
    df: &polars::prelude::DataFrame,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("Metrics")?;
    title(ws, f, "Every team × metric at the checkpoint", "Values in the team's unit (money in its currency); the reporting columns convert at the round's rates. Projection: before year end the team's Forecast where given, else FC pace ([checkpoint] status_basis = \"pace\": FC pace always); at Q4 the full-year actual, a Forecast set aside. Weights (reporting currency): the same figure of the metric a weighted metric is weighted by.")?;
    let headers: Vec<&str> = METRICS.iter().map(|m| m.0).collect();
    table(ws, f, "Metrics", &headers, df.height())?;
    let unit_kinds = crate::model::unit_kinds(df, schema::UNIT_KIND).map_err(polars_err)?;
    for (c, (_, column, kind)) in METRICS.iter().enumerate() {
        let c = c as u16;
        match kind {
            ColumnKind::Source => {
                let (file, row) = (strings(df, "file"), crate::model::uints(df, "row"));
                let (file, row) = (file.map_err(polars_err)?, row.map_err(polars_err)?);
                for i in 0..df.height() {
                    let at = row[i]
                        .map(|r| format!(" › Plan!A{}", r + 1))
                        .unwrap_or_default();
                    ws.write_string(
                        HEADER_ROW + 1 + i as u32,
                        c,
                        crate::text::fit_for_excel(&format!("{}{at}", file[i])),
                    )?;
                }
            }
            ColumnKind::Text => {
                let values = strings(df, column).map_err(polars_err)?;
                for (i, v) in values.iter().enumerate() {
                    if !v.is_empty() {
                        ws.write_string(
                            HEADER_ROW + 1 + i as u32,
                            c,
                            crate::text::fit_for_excel(v),
                        )?;
                    }
                }
            }
            ColumnKind::Number | ColumnKind::Ratio | ColumnKind::Value => {
                let values = floats(df, column).map_err(polars_err)?;
                for (i, v) in values.iter().enumerate() {
                    let format = match kind {
                        ColumnKind::Ratio => &f.ratio,
                        ColumnKind::Value => f.value(unit_kinds[i]),
                        _ => &f.number,
                    };
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
