//! The Summary sheet: round totals as live SUMIFS / AVERAGEIFS over the
//! Teams sheet, a chart per main metric, and the objective's bridge from
//! LY Actual to Funded.

use super::cells::result;
use super::table::HEADER_ROW;
use super::teams::TeamsLayout;
use super::Pack;
use crate::a1::cell_name;
use crate::model::schema;
use crate::model::RoundTotal;
use crate::plan::{Better, Rollup, Track, UnitKind};
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartSolidFill, ChartType, Color, Formula, Worksheet, XlsxError,
};

/// The tracks the Summary totals, in its columns D to H: every track from LY Actual on.
fn summary_tracks() -> &'static [Track] {
    &Track::ALL[1..]
}

/// The Summary's column of a track's total.
fn column_of(track: Track) -> u16 {
    3 + summary_tracks()
        .iter()
        .position(|t| *t == track)
        .unwrap_or(0) as u16
}

impl Pack<'_, '_> {
    pub(super) fn summary(
        &mut self,
        ws: &mut Worksheet,
        teams: &TeamsLayout,
    ) -> Result<(), XlsxError> {
        let fy = self
            .shared
            .input
            .settings
            .fiscal_year
            .map(|y| format!("FY{y} "))
            .unwrap_or_default();
        let included = self
            .shared
            .model
            .wide
            .column(schema::TEAM)
            .map(|c| c.n_unique().unwrap_or(0))
            .unwrap_or(0);
        self.title(
            ws,
            &format!("OP1 {fy}exec summary"),
            &format!(
                "{included} teams; money in {}. Totals are live formulas over the Teams sheet by each metric's roll-up rule (SUMIFS, AVERAGEIFS, or SUMPRODUCT over the Weight columns).",
                self.shared.model.reporting_currency
            ),
        )?;
        let mut headers = vec!["Metric", "Unit", "Rollup"];
        headers.extend(summary_tracks().iter().map(|t| t.name()));
        // How many teams each total covers, a number (a metric some teams
        // do not report covers fewer than the round's).
        let round_teams = self.shared.model.sources.len();
        let teams_header = format!("Teams (of {round_teams})");
        headers.extend(["Δ Funded vs LY", "Δ % vs LY", &teams_header]);
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(HEADER_ROW, c as u16, *h, &self.shared.fmt.header)?;
        }
        let totals = &self.shared.model.totals;
        let mut row = HEADER_ROW + 1;
        // Each total with the Summary row it is on.
        let mut rows: Vec<(&RoundTotal, u32)> = Vec::new();
        for total in totals {
            let m = &total.metric;
            let num_fmt = self.shared.fmt.for_unit(total.unit_kind).clone();
            self.text(ws, row, 0, m, "Summary")?;
            ws.write_string(row, 1, &total.unit)?;
            ws.write_string(row, 2, total.rollup_described())?;
            for &track in summary_tracks() {
                let cached = total.value(track);
                let f = total_formula(teams, total, track, &format!("$A${}", row + 1));
                ws.write_formula_with_format(
                    row,
                    column_of(track),
                    Formula::new(f).set_result(cached.map(result).unwrap_or_default()),
                    &num_fmt,
                )?;
            }
            let (ly, funded) = (total.value(Track::LyActual), total.value(Track::Funded));
            let (d, h) = (cell_name(row, 3), cell_name(row, 7));
            self.changes(ws, (row, 8), total.unit_kind, (&d, &h), (ly, funded))?;
            ws.write_number(row, 10, f64::from(total.covered()))?;
            rows.push((total, row));
            row += 1;
        }
        if !self.shared.model.conflicts.is_empty() {
            ws.write_string_with_format(row + 1, 0, "Metrics teams disagree on are not totalled: see the Checks sheet (metric-conflict).", &self.shared.fmt.note)?;
        }
        // Wide enough for every number (the bridge below reuses columns 1–4)
        // and every roll-up rule: a narrow column prints ###.
        let largest = totals
            .iter()
            .flat_map(|t| t.values.values())
            .fold(0.0f64, |m, v| m.max(v.abs()));
        let numbers = number_width(largest);
        let rules = totals
            .iter()
            .map(|t| t.rollup_described().chars().count() as f64 + 2.0)
            .fold(9.0, f64::max);
        ws.set_column_width(0, 26)?;
        ws.set_column_width(1, numbers.max(9.0))?;
        ws.set_column_width(2, rules.max(numbers))?;
        ws.set_column_range_width(3, 9, numbers.max(15.0))?;
        ws.set_column_width(10, 9)?;
        // Native charts: the main metrics' tracks, then the bridge of the objective.
        let chart_row = row + 3;
        for (k, &(total, r)) in rows.iter().take(4).enumerate() {
            let m = &total.metric;
            let mut chart = Chart::new(ChartType::Column);
            chart
                .add_series()
                .set_categories(("Summary", HEADER_ROW, 3, HEADER_ROW, 7))
                .set_values(("Summary", r, 3, r, 7))
                // The series is named by the row's own cell: a name that
                // reads like a formula (`=Foo!A1`) stays text.
                .set_name(("Summary", r, 0))
                .set_format(
                    ChartFormat::new()
                        .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(0x404040))),
                );
            chart
                .title()
                .set_name(&chart_title(&format!("{m} by track, {}", total.unit)));
            chart.legend().set_hidden();
            // Columns start at zero; the axis reads like the sheet (297.1M, 45%).
            let largest = total.values.values().fold(0.0f64, |m, v| m.max(v.abs()));
            chart
                .y_axis()
                .set_min(0)
                .set_num_format(axis_format(total.unit_kind, largest));
            chart.set_width(480).set_height(288);
            ws.insert_chart(chart_row + (k as u32 / 2) * 15, (k as u16 % 2) * 5, &chart)?;
        }
        let bridge_row = chart_row + 31;
        self.bridge(ws, bridge_row, &rows)?;
        Ok(())
    }

    /// A waterfall as stacked columns: an invisible base with favourable and
    /// unfavourable steps on top, from LY Actual to Funded.
    fn bridge(
        &mut self,
        ws: &mut Worksheet,
        top: u32,
        rows: &[(&RoundTotal, u32)],
    ) -> Result<(), XlsxError> {
        let Some(objective) = &self.shared.model.params.objective else {
            return Ok(());
        };
        let Some(&(total, src)) = rows.iter().find(|(t, _)| t.key == objective.key) else {
            return Ok(());
        };
        let name = &total.metric;
        let lower = total.better == Better::Lower;
        ws.write_string_with_format(
            top,
            0,
            format!("Bridge: {name} ({})", total.unit),
            &self.shared.fmt.bold,
        )?;
        for (c, h) in ["Step", "Base", "Total", "Favourable", "Unfavourable"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(top + 1, c as u16, *h, &self.shared.fmt.header)?;
        }
        let value = |c: u16| cell_name(src, c as u32);
        // The cached Summary value of the objective in a column (3 = LY Actual … 7 = Funded).
        let get = |c: u16| -> f64 {
            summary_tracks()
                .get(usize::from(c.saturating_sub(3)))
                .and_then(|&track| total.value(track))
                .unwrap_or(0.0)
        };
        // Steps: LY Actual (total), to Flat, to Investment, back to Funded, Funded (total).
        let (ly, flat, investment, funded) = (
            column_of(Track::LyActual),
            column_of(Track::Flat),
            column_of(Track::Investment),
            column_of(Track::Funded),
        );
        let steps = [
            (Track::LyActual.name(), Step::Total(ly)),
            (Track::Flat.name(), Step::Change(ly, flat)),
            (Track::Investment.name(), Step::Change(flat, investment)),
            ("Not funded", Step::Change(investment, funded)),
            (Track::Funded.name(), Step::Total(funded)),
        ];
        let money = self.shared.fmt.money.clone();
        for (i, (label, step)) in steps.iter().enumerate() {
            let r = top + 2 + i as u32;
            ws.write_string(r, 0, *label)?;
            if let Step::Total(c) = step {
                let v = get(*c);
                ws.write_formula_with_format(r, 1, Formula::new("=0").set_result("0"), &money)?;
                ws.write_formula_with_format(
                    r,
                    2,
                    Formula::new(format!("=Summary!{}", value(*c))).set_result(result(v)),
                    &money,
                )?;
                ws.write_formula_with_format(r, 3, Formula::new("=0").set_result("0"), &money)?;
                ws.write_formula_with_format(r, 4, Formula::new("=0").set_result("0"), &money)?;
            } else if let Step::Change(a, b) = step {
                let (va, vb) = (get(*a), get(*b));
                let (ca, cb) = (value(*a), value(*b));
                let (up, down) = ((vb - va).max(0.0), (va - vb).max(0.0));
                let (fav, unfav, fav_f, unfav_f) = if lower {
                    (
                        down,
                        up,
                        format!("=MAX({ca}-{cb},0)"),
                        format!("=MAX({cb}-{ca},0)"),
                    )
                } else {
                    (
                        up,
                        down,
                        format!("=MAX({cb}-{ca},0)"),
                        format!("=MAX({ca}-{cb},0)"),
                    )
                };
                ws.write_formula_with_format(
                    r,
                    1,
                    Formula::new(format!("=MIN({ca},{cb})")).set_result(result(va.min(vb))),
                    &money,
                )?;
                ws.write_formula_with_format(r, 2, Formula::new("=0").set_result("0"), &money)?;
                ws.write_formula_with_format(
                    r,
                    3,
                    Formula::new(fav_f).set_result(result(fav)),
                    &money,
                )?;
                ws.write_formula_with_format(
                    r,
                    4,
                    Formula::new(unfav_f).set_result(result(unfav)),
                    &money,
                )?;
            }
        }
        let mut chart = Chart::new(ChartType::ColumnStacked);
        let (first, last) = (top + 2, top + 6);
        let colors = [None, Some(0x404040), Some(0x2E7D32), Some(0xC62828)];
        for (k, color) in colors.iter().enumerate() {
            let c = 1 + k as u16;
            let series = chart
                .add_series()
                .set_categories(("Summary", first, 0, last, 0))
                .set_values(("Summary", first, c, last, c))
                .set_name(("Summary", top + 1, c));
            match color {
                None => series.set_format(ChartFormat::new().set_no_fill().set_no_border()),
                Some(rgb) => series.set_format(
                    ChartFormat::new()
                        .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(*rgb))),
                ),
            };
            series.set_gap(60);
        }
        chart.title().set_name(&chart_title(&format!(
            "{name}: LY Actual to Funded, {}",
            total.unit
        )));
        chart
            .legend()
            .set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);
        let largest = total.values.values().fold(0.0f64, |m, v| m.max(v.abs()));
        chart
            .y_axis()
            .set_num_format(axis_format(total.unit_kind, largest));
        chart.set_width(720).set_height(320);
        ws.insert_chart(top, 6, &chart)?;
        Ok(())
    }
}

/// The width (characters) a column needs for numbers up to `largest` in the
/// `#,##0` format, with room for a sign and padding.
fn number_width(largest: f64) -> f64 {
    let digits = largest.abs().max(1.0).log10().floor() as usize + 1;
    (digits + (digits - 1) / 3 + 3) as f64
}

/// An Excel number format for a chart's value axis: short scale for money
/// and counts (297.1M, 350K), percent for ratios.
fn axis_format(kind: UnitKind, largest: f64) -> &'static str {
    match kind {
        UnitKind::Ratio => "0%",
        _ if largest >= 1e9 => "#,##0.0,,,\"B\"",
        _ if largest >= 1e6 => "#,##0.0,,\"M\"",
        _ if largest >= 1e4 => "#,##0,\"K\"",
        _ => "#,##0",
    }
}

/// The live formula of a metric's round total of one track, by its roll-up,
/// over the Teams rows whose Metric equals the name in `name_cell` (this
/// Summary row's own cell): a sum, a mean, or for a weighted metric
/// Σ value × weight / Σ weight (the Teams sheet's Weight columns). Matched
/// with `=` inside SUMPRODUCT, never as SUMIFS criteria: exact (no `*`, `?`,
/// `<` or `=` read as a pattern), and no name repeated as a text literal,
/// which Excel refuses over 255 characters.
fn total_formula(teams: &TeamsLayout, total: &RoundTotal, track: Track, name_cell: &str) -> String {
    let (values, metrics) = (teams.range(track.name()), teams.range("Metric"));
    let matches = format!("({metrics}={name_cell})");
    let count = format!("SUMPRODUCT({matches}*({values}<>\"\"))");
    match total.rollup {
        Rollup::Weighted => {
            let weights = teams.range(&format!("Weight {}", track.name()));
            let weight_sum = format!("SUMPRODUCT({matches}*({values}<>\"\")*{weights})");
            format!(
                "=IF({weight_sum}=0,\"\",SUMPRODUCT({matches}*{values}*{weights})/{weight_sum})"
            )
        }
        Rollup::Mean => format!("=SUMPRODUCT({matches}*{values})/{count}"),
        Rollup::Sum | Rollup::None => format!("=SUMPRODUCT({matches}*{values})"),
    }
}

/// A native chart's title as text: a title that starts with `=` would be
/// read as a formula (a range to take the title from), so it is quoted, and
/// control characters (drawn as `_x000B_`) become spaces.
fn chart_title(title: &str) -> String {
    let clean: String = title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.starts_with('=') {
        format!("“{clean}”")
    } else {
        clean
    }
}

/// A bar of the bridge, by Summary column: a total, or the change between two.
enum Step {
    Total(u16),
    Change(u16, u16),
}
