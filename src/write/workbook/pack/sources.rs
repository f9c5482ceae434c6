//! The Sources sheet (every input, what was read from it, control totals
//! and the files left out) and the reconciliation of what was read with
//! what the pack shows ([`Shared::reconcile`]).

use super::cells::result;
use super::table::HEADER_ROW;
use super::teams::TeamsLayout;
use super::{Pack, Shared};
use crate::a1::cell_name;
use crate::finding::{Finding, Rule};
use crate::model::schema;
use crate::model::{agrees, team_currency_value, MILLIONTH};
use crate::plan::{SheetKind, Track};
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

impl Shared<'_> {
    /// Every as-read value must equal what the model carries (in the file's
    /// currency); a difference is an error finding.
    pub(super) fn reconcile(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for wb in self.input.included.iter().copied() {
            for m in &wb.metrics {
                let Some(i) = self.wide_row(wb.name(), &m.name.value) else {
                    out.push(wb.finding_at(
                        Rule::Reconcile,
                        m.name.pos,
                        format!(
                            "metric \"{}\" was read but is missing from the pack",
                            m.name.value
                        ),
                    ));
                    continue;
                };
                let rate = self.wide.float(schema::RATE, i).unwrap_or(1.0);
                for track in Track::READ {
                    let Some(v) = m.track(track) else { continue };
                    let shown = self.wide.float(&team_currency_value(track), i);
                    if shown.is_none_or(|s| !agrees(v.value, s, rate)) {
                        out.push(wb.finding_at(
                            Rule::Reconcile,
                            v.pos,
                            format!(
                                "\"{}\" {} reads {} but the pack shows {:?}",
                                m.name.value,
                                track.name(),
                                v.value,
                                shown
                            ),
                        ));
                    }
                }
            }
        }
        out
    }
}

impl<'a> Pack<'_, 'a> {
    pub(super) fn sources(
        &mut self,
        ws: &mut Worksheet,
        teams: &TeamsLayout,
    ) -> Result<(), XlsxError> {
        self.title(ws, "Sources: every input, what was read from it, and the control totals", "Control totals: as read from each file, and recomputed from the Teams sheet (live formulas), in the file's currency.")?;
        // Rows read from every sheet but Team, which is a form, not a table.
        let sheets: Vec<SheetKind> = SheetKind::ALL
            .into_iter()
            .filter(|s| *s != SheetKind::Team)
            .collect();
        let mut headers = vec!["Path", "Format", "SHA-256", "Team", "Status", "Bytes"];
        let row_headers: Vec<String> = sheets
            .iter()
            .map(|s| format!("{} rows", s.name()))
            .collect();
        headers.extend(row_headers.iter().map(String::as_str));
        let files = self.shared.input.files;
        let excluded = self.shared.input.excluded;
        self.table(ws, "Files", &headers, files.len())?;
        for (i, f) in files.iter().enumerate() {
            let r = HEADER_ROW + 1 + i as u32;
            self.text(ws, r, 0, &f.input.display, "Sources")?;
            ws.write_string(r, 1, f.format.map(|x| x.as_str()).unwrap_or("unknown"))?;
            ws.write_string(r, 2, f.sha256.as_deref().unwrap_or(""))?;
            if let Some(wb) = &f.workbook {
                self.text(ws, r, 3, wb.name(), "Sources")?;
                for (c, s) in sheets.iter().enumerate() {
                    ws.write_number(r, 6 + c as u16, *wb.rows_read.get(s).unwrap_or(&0) as f64)?;
                }
            }
            ws.write_string(
                r,
                4,
                if excluded.contains_key(&f.input.display) {
                    "excluded: errors"
                } else {
                    "included"
                },
            )?;
            ws.write_number(r, 5, f.bytes as f64)?;
        }
        // Control totals.
        let mut row = HEADER_ROW + files.len().max(1) as u32 + 3;
        ws.write_string_with_format(
            row,
            0,
            "Control totals per money metric",
            &self.shared.fmt.bold,
        )?;
        row += 1;
        let ct_headers = [
            "File",
            "Team",
            "Metric",
            "Currency",
            "Track",
            "As read",
            "Recomputed from Teams",
            "Reconciled",
        ];
        for (c, h) in ct_headers.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &self.shared.fmt.header)?;
        }
        row += 1;
        let (team_range, metric_range) = (teams.range("Team"), teams.range("Metric"));
        let track_ranges = [Track::LyActual, Track::Flat, Track::Investment]
            .map(|track| (track, teams.range(track.name())));
        let shared = self.shared;
        for wb in shared.input.included.iter().copied() {
            for m in wb
                .metrics
                .iter()
                .filter(|m| m.unit_kind == crate::plan::UnitKind::Money)
            {
                // The round's name for the metric, as the Teams sheet shows it.
                let i = shared.wide_row(wb.name(), &m.name.value);
                let rate = i
                    .and_then(|i| shared.wide.float(schema::RATE, i))
                    .unwrap_or(1.0);
                let metric = i.map_or(m.name.value.as_str(), |i| {
                    shared.wide.text(schema::METRIC_NAME, i)
                });
                for (track, track_range) in &track_ranges {
                    let track = *track;
                    let Some(v) = m.track(track) else { continue };
                    // Matched with `=` on this row's own Team and Metric cells:
                    // exact, and no name repeated as a literal.
                    let recomputed = format!(
                        "=SUMPRODUCT(({team_range}=$B${r})*({metric_range}=$C${r})*{track_range})/{rate}",
                        r = row + 1
                    );
                    let from_model = i
                        .and_then(|i| shared.wide.float(track.name(), i))
                        .map(|x| x / rate);
                    let ok = from_model.is_some_and(|x| agrees(v.value, x, rate));
                    ws.write_string(row, 0, &wb.file)?;
                    self.text(ws, row, 1, wb.name(), "Sources")?;
                    self.text(ws, row, 2, metric, "Sources")?;
                    ws.write_string(row, 3, &m.unit.value)?;
                    ws.write_string(row, 4, track.name())?;
                    ws.write_number_with_format(row, 5, v.value, &self.shared.fmt.money)?;
                    ws.write_formula_with_format(
                        row,
                        6,
                        Formula::new(recomputed)
                            .set_result(from_model.map(result).unwrap_or_default()),
                        &self.shared.fmt.money,
                    )?;
                    let (f, g) = (cell_name(row, 5), cell_name(row, 6));
                    // The same tolerance as `agrees`, live.
                    let reconciled = format!(
                        "=IF(ABS({g}-{f})<={MILLIONTH:E}/{rate}+1E-9*ABS({f}),\"yes\",\"no\")"
                    );
                    ws.write_formula(
                        row,
                        7,
                        Formula::new(reconciled).set_result(if ok { "yes" } else { "no" }),
                    )?;
                    row += 1;
                }
            }
        }
        // Passed over and left out.
        row += 2;
        ws.write_string_with_format(row, 0, "Files not in the pack", &self.shared.fmt.bold)?;
        row += 1;
        for (c, h) in ["Path", "Why"].iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &self.shared.fmt.header)?;
        }
        row += 1;
        for s in self.shared.input.skipped {
            self.text(ws, row, 0, &s.display, "Sources")?;
            ws.write_string(row, 1, format!("skipped: {}", s.reason))?;
            row += 1;
        }
        for (file, n) in excluded {
            self.text(ws, row, 0, file, "Sources")?;
            ws.write_string(row, 1, format!("excluded: {n} error(s), see Checks"))?;
            row += 1;
        }
        ws.set_column_width(0, 46)?;
        ws.set_column_range_width(1, 12, 14)?;
        ws.set_column_width(2, 30)?;
        Ok(())
    }
}
