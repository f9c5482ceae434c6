//! The Teams sheet: every metric of every team by track, the layout the
//! other sheets' formulas point at ([`TeamsLayout`], [`TEAMS_COLUMNS`]).

use super::cells::{result, MAX_LINKS, MAX_ROWS};
use super::table::{polars_err, Cols, HEADER_ROW};
use super::{Pack, Shared};
use crate::a1::{cell_name, column_letters};
use crate::finding::{Finding, Rule};
use crate::model::schema;
use crate::model::{betters, rollups, source_col, source_row, unit_kinds, weight_of};
use crate::plan::{Better, Rollup, SheetKind, Track};
use crate::provenance::BLANK_BASELINE;
use rust_xlsxwriter::{Color, ConditionalFormatFormula, Format, Formula, Worksheet, XlsxError};
use std::collections::BTreeMap;

/// Where the Teams sheet put things, for the formulas that point at it.
pub(super) struct TeamsLayout {
    /// First and last data row (0-based); `None` when there are no rows.
    rows: Option<(u32, u32)>,
    /// Column of each header.
    col: BTreeMap<&'static str, u16>,
}

impl TeamsLayout {
    /// The layout of a Teams sheet of `n` data rows.
    pub(super) fn new(n: usize) -> TeamsLayout {
        TeamsLayout {
            rows: (n > 0).then(|| (HEADER_ROW + 1, HEADER_ROW + n as u32)),
            col: TEAMS_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, h)| (*h, i as u16))
                .collect(),
        }
    }

    /// `Teams!$H$4:$H$80` for a column.
    pub(super) fn range(&self, header: &str) -> String {
        let (first, last) = self.rows.unwrap_or((HEADER_ROW + 1, HEADER_ROW + 1));
        let c = column_letters(self.col[header] as u32);
        format!("Teams!${c}${}:${c}${}", first + 1, last + 1)
    }
}

/// The column of a track's value: G (LY Target) to L (Funded), in `Track::ALL` order.
fn track_col(track: Track) -> u16 {
    6 + track as u16
}

/// The Teams sheet's headers; the tracks (and their Source columns) in `Track::ALL` order.
const TEAMS_COLUMNS: [&str; 31] = [
    "Team",
    "Org",
    "Metric",
    "Unit",
    "Better",
    "Rollup",
    Track::LyTarget.name(),
    Track::LyActual.name(),
    Track::Baseline.name(),
    Track::Flat.name(),
    Track::Investment.name(),
    Track::Funded.name(),
    "Δ Funded vs LY",
    "Δ % vs LY",
    "Favourable",
    "LY hit",
    "Currency",
    "FX rate",
    "Source file",
    "Source LY Target",
    "Source LY Actual",
    "Source Baseline",
    "Source Flat",
    "Source Investment",
    "Source Funded",
    // A weighted metric's weights: the weighting metric of the same team and track.
    "Weight LY Target",
    "Weight LY Actual",
    "Weight Baseline",
    "Weight Flat",
    "Weight Investment",
    "Weight Funded",
];

/// The column of a track's weight (weighted metrics only): Z (LY Target) to AE (Funded).
fn weight_col(track: Track) -> u16 {
    25 + track as u16
}

impl Shared<'_> {
    /// How many rows the Teams sheet holds (Excel's row limit permitting).
    pub(super) fn teams_rows(&self) -> usize {
        self.model
            .wide
            .height()
            .min(MAX_ROWS - HEADER_ROW as usize - 2)
    }
}

impl Pack<'_, '_> {
    pub(super) fn teams(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let w = &self.shared.model.wide;
        let n = self.shared.teams_rows();
        if n < w.height() {
            self.findings.push(
                Finding::new(
                    Rule::CellTruncated,
                    format!(
                        "the Teams sheet holds the first {n} of {} rows (Excel's row limit)",
                        w.height()
                    ),
                )
                .sheet("Teams"),
            );
        }
        // One link per row (to the row's first source cell) keeps the sheet
        // within Excel's link limit and the pack small; the Source columns
        // name every value's cell in that file.
        let linked = n <= MAX_LINKS;
        let note = if linked {
            format!(
                "Money in {}. Source file links to the team's workbook; each Source column names the cell its value was read from.",
                self.shared.model.reporting_currency
            )
        } else {
            format!(
                "Money in {}. Excel allows {MAX_LINKS} links per sheet, so Source file is text; each Source column names the cell its value was read from.",
                self.shared.model.reporting_currency
            )
        };
        self.title(ws, "Teams: every metric of every team, by track", &note)?;
        self.table(ws, "Teams", &TEAMS_COLUMNS, n)?;
        let cols = Cols::new(w).map_err(polars_err)?;
        let unit_kinds = unit_kinds(w, schema::UNIT_KIND).map_err(polars_err)?;
        let betters = betters(w, schema::BETTER).map_err(polars_err)?;
        let rollups = rollups(w, schema::ROLLUP_HOW).map_err(polars_err)?;
        // The wide table's source columns of each track, named once.
        let source_columns = Track::ALL.map(|t| (source_row(t), source_col(t)));
        let columns_of = |track: Track| &source_columns[track as usize];
        for i in 0..n {
            let r = HEADER_ROW + 1 + i as u32;
            let unit_kind = unit_kinds[i];
            for (c, key) in [
                (0, schema::TEAM),
                (1, schema::ORG),
                (2, schema::METRIC_NAME),
                (3, schema::UNIT),
                (4, schema::BETTER),
            ] {
                self.text(ws, r, c, cols.text(key, i), "Teams")?;
            }
            let weight_name = cols.text(schema::WEIGHT_NAME, i);
            let rollup = rollups[i].describe(Some(weight_name).filter(|w| !w.is_empty()));
            self.text(ws, r, 5, &rollup, "Teams")?;
            if rollups[i] == Rollup::Weighted {
                let weight_row = self
                    .shared
                    .wide_row(cols.text(schema::TEAM, i), weight_name);
                self.weights(ws, r, weight_row, |t| cols.float(&weight_of(t), i))?;
            }
            for track in Track::ALL {
                if let Some(v) = cols.float(track.name(), i) {
                    let format = self.shared.fmt.num(unit_kind, v);
                    ws.write_number_with_format(r, track_col(track), v, format)?;
                }
            }
            let (ly, funded) = (
                cols.float(Track::LyActual.name(), i),
                cols.float(Track::Funded.name(), i),
            );
            if let (Some(ly), Some(funded)) = (ly, funded) {
                let h = cell_name(r, track_col(Track::LyActual).into());
                let l = cell_name(r, track_col(Track::Funded).into());
                self.changes(ws, (r, 12), unit_kind, (&h, &l), (Some(ly), Some(funded)))?;
                let favourable = if betters[i] == Better::Lower {
                    funded <= ly
                } else {
                    funded >= ly
                };
                ws.write_string(r, 14, if favourable { "yes" } else { "no" })?;
            }
            match cols.flag(schema::LY_HIT, i) {
                Some(true) => ws.write_string(r, 15, "hit")?,
                Some(false) => ws.write_string(r, 15, "missed")?,
                None => ws,
            };
            self.text(ws, r, 16, cols.text(schema::CURRENCY, i), "Teams")?;
            if let Some(rate) = cols.float(schema::RATE, i) {
                ws.write_number(r, 17, rate)?;
            }
            // Every value of a row was read from the team's Plan sheet.
            let team = cols.text(schema::TEAM, i);
            let sources = &self.shared.model.sources;
            let source = |track: Track| {
                let (row, col) = columns_of(track);
                let (row, col) = (cols.index(row, i)?, cols.index(col, i)?);
                sources.cell(team, SheetKind::Plan, row, col)
            };
            if let Some(file) = sources.file(team) {
                // Link to the LY Actual cell when there is one, else the first source.
                let cell = [Track::LyActual]
                    .into_iter()
                    .chain(Track::ALL)
                    .find_map(source)
                    .map(|s| s.sheet_cell());
                self.file_link(ws, r, 18, file, cell.as_deref().filter(|_| linked), "Teams")?;
            }
            let blank_baseline = cols.flag(schema::SOURCE_BLANK, i).unwrap_or(false);
            for (c, track) in Track::ALL.into_iter().enumerate() {
                let cell = match source(track) {
                    Some(s) if track == Track::Baseline && blank_baseline => {
                        format!("{BLANK_BASELINE}{}", s.sheet_cell())
                    }
                    Some(s) => s.sheet_cell(),
                    None => String::new(),
                };
                self.text(ws, r, 19 + c as u16, &cell, "Teams")?;
            }
        }
        for (c, width) in [
            (0u16, 18.0),
            (1, 22.0),
            (2, 22.0),
            (3, 10.0),
            (4, 8.0),
            (5, 8.0),
        ] {
            ws.set_column_width(c, width)?;
        }
        ws.set_column_range_width(6, 13, 14)?;
        ws.set_column_width(18, 36)?;
        ws.set_column_range_width(19, 24, 16)?;
        ws.set_column_range_width(25, 30, 14)?;
        // On paper: the values and their changes (Team … FX rate); the
        // source and weight columns are for the screen and the audit.
        let last = HEADER_ROW + n.max(1) as u32;
        ws.set_print_area(0, 0, last, 17)?;
        if n > 0 {
            let (first, last) = (HEADER_ROW + 1, HEADER_ROW + n as u32);
            let red = Format::new()
                .set_font_color(Color::RGB(0x9C0006))
                .set_background_color(Color::RGB(0xFFC7CE));
            let green = Format::new()
                .set_font_color(Color::RGB(0x006100))
                .set_background_color(Color::RGB(0xC6EFCE));
            let r0 = first + 1;
            let (higher, lower) = (Better::Higher.name(), Better::Lower.name());
            let bad =
                format!("=OR(AND($E{r0}=\"{higher}\",$M{r0}<0),AND($E{r0}=\"{lower}\",$M{r0}>0))");
            let good =
                format!("=OR(AND($E{r0}=\"{higher}\",$M{r0}>0),AND($E{r0}=\"{lower}\",$M{r0}<0))");
            for (rule, format) in [(bad, red), (good, green)] {
                let colour = ConditionalFormatFormula::new()
                    .set_rule(rule.as_str())
                    .set_format(format);
                ws.add_conditional_format(first, 12, last, 13, &colour)?;
            }
        }
        Ok(())
    }
}

impl Pack<'_, '_> {
    /// A weighted metric's weights on its Teams row: per track, a reference
    /// to the weighting metric's value on the same team's row of this sheet
    /// (`weight_row`, a row of the wide table; cached as the model computed
    /// it), so the Summary's SUMPRODUCT can be followed row by row — and no
    /// name is matched as a SUMIFS pattern or repeated as a text literal.
    fn weights(
        &mut self,
        ws: &mut Worksheet,
        r: u32,
        weight_row: Option<usize>,
        weight: impl Fn(Track) -> Option<f64>,
    ) -> Result<(), XlsxError> {
        for track in Track::ALL {
            let Some(w) = weight(track) else {
                continue;
            };
            let Some(at) = weight_row else {
                ws.write_number_with_format(r, weight_col(track), w, &self.shared.fmt.money)?;
                continue;
            };
            let cell = cell_name(HEADER_ROW + 1 + at as u32, u32::from(track_col(track)));
            ws.write_formula_with_format(
                r,
                weight_col(track),
                Formula::new(format!("={cell}")).set_result(result(w)),
                &self.shared.fmt.money,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_track_columns_follow_the_tracks() {
        for track in Track::ALL {
            let c = usize::from(track_col(track));
            assert_eq!(TEAMS_COLUMNS[c], track.name());
            assert_eq!(TEAMS_COLUMNS[c + 13], format!("Source {}", track.name()));
            let w = usize::from(weight_col(track));
            assert_eq!(TEAMS_COLUMNS[w], format!("Weight {}", track.name()));
        }
    }
}
