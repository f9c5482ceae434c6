//! `changes.xlsx` (`op1 diff --out DIR`): the changes between two versions
//! of a round as sheets — Changes (team, what, track, unit, old, new, Δ, Δ%,
//! Δ in the reporting currency, old source, new source), Funding moves,
//! Registers and Findings. The Changes sheet is also the exec pack's under
//! `op1 pack --since`.

use crate::diff::{Changes, Compared};
use crate::output::{atomic_write, OutputError};
use crate::write::workbook::sheet::{add_table, header_format, HEADER_ROW};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// The file's name in the output folder.
use crate::outputs::CHANGES_FILE;

/// Writes `changes.xlsx` into `out` (which exists).
///
/// # Errors
/// [`OutputError`] when the workbook cannot be built or written.
pub fn write_changes(out: &Path, c: &Changes) -> Result<String, OutputError> {
    let path = out.join(CHANGES_FILE);
    let bytes = workbook(c)
        .and_then(|mut wb| wb.save_to_buffer())
        .map_err(|source| OutputError::xlsx(&path, source))?;
    atomic_write(&path, &bytes)?;
    Ok(CHANGES_FILE.to_string())
}

/// A sheet called `name` with a title and an Excel table of `headers` over `rows` rows.
fn sheet(name: &str, title: &str, headers: &[&str], rows: usize) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(name)?;
    ws.write_string_with_format(0, 0, title, &Format::new().set_bold().set_font_size(14))?;
    add_table(&mut ws, HEADER_ROW, None, headers, rows, &header_format())?;
    Ok(ws)
}

/// The Changes sheet (in `changes.xlsx`, and in the exec pack of `op1 pack
/// --since`): the teams added and withdrawn, the envelope, then every value
/// that changed with both its source cells.
///
/// # Errors
/// An [`XlsxError`] from the sheet writer.
pub fn changes_sheet(c: &Changes) -> Result<Worksheet, XlsxError> {
    let number = Format::new().set_num_format("#,##0.##;[Red]-#,##0.##");
    let ratio = Format::new().set_num_format("0.0%;[Red]-0.0%");
    let percent = Format::new().set_num_format(crate::write::workbook::sheet::PERCENT_VALUE);
    let rows = c.teams_added.len()
        + c.teams_withdrawn.len()
        + c.teams_fixed.len()
        + c.teams_now_excluded.len()
        + usize::from(c.envelope.is_some())
        + c.values.len();
    let reporting_delta = format!("Δ {}", c.currency);
    let mut ws = sheet(
        "Changes",
        &format!("What changed: {} → {}", c.old, c.new),
        &[
            "Team",
            "What",
            "Track",
            "Unit",
            "Old",
            "New",
            "Δ",
            "Δ%",
            &reporting_delta,
            "Old source",
            "New source",
        ],
        rows,
    )?;
    let mut r = HEADER_ROW + 1;
    for (teams, what) in [
        (&c.teams_added, "team added"),
        (&c.teams_withdrawn, "team withdrawn"),
        (&c.teams_fixed, "fixed since (was excluded)"),
        (&c.teams_now_excluded, "now excluded (errors)"),
    ] {
        for t in teams {
            ws.write_string(r, 0, crate::text::fit_for_excel(t))?;
            ws.write_string(r, 1, crate::text::fit_for_excel(what))?;
            r += 1;
        }
    }
    if let Some((old, new)) = c.envelope {
        ws.write_string(r, 0, "(round)")?;
        ws.write_string(r, 1, "envelope")?;
        ws.write_string(r, 3, &c.currency)?;
        for (col, v) in [(4, old), (5, new)] {
            if let Some(v) = v {
                ws.write_number_with_format(r, col, v, &number)?;
            }
        }
        if let (Some(o), Some(n)) = (old, new) {
            ws.write_number_with_format(r, 6, n - o, &number)?;
            ws.write_number_with_format(r, 8, n - o, &number)?;
            if o != 0.0 {
                ws.write_number_with_format(r, 7, (n - o) / o.abs(), &ratio)?;
            }
        }
        r += 1;
    }
    for v in &c.values {
        ws.write_string(r, 0, crate::text::fit_for_excel(&v.team))?;
        let what = match v.what {
            Compared::Metric => v.name.clone(),
            Compared::Resource => format!("{} (resource)", v.name),
        };
        ws.write_string(r, 1, crate::text::fit_for_excel(&what))?;
        ws.write_string(r, 2, v.track.name())?;
        let unit = v.new.as_ref().or(v.old.as_ref()).map(|x| x.unit.as_str());
        if let Some(unit) = unit {
            ws.write_string(r, 3, unit)?;
        }
        // A `%` metric's values (and their difference) as percentages.
        let value = if unit == Some("%") { &percent } else { &number };
        if let Some(o) = &v.old {
            ws.write_number_with_format(r, 4, o.value, value)?;
            ws.write_string(r, 9, crate::text::fit_for_excel(&o.source))?;
        }
        if let Some(n) = &v.new {
            ws.write_number_with_format(r, 5, n.value, value)?;
            ws.write_string(r, 10, crate::text::fit_for_excel(&n.source))?;
        }
        if let Some(d) = v.delta() {
            ws.write_number_with_format(r, 6, d, value)?;
        }
        if let Some(p) = v.delta_pct() {
            ws.write_number_with_format(r, 7, p, &ratio)?;
        }
        if let Some(d) = v.delta_reporting() {
            ws.write_number_with_format(r, 8, d, &number)?;
        }
        r += 1;
    }
    ws.set_column_range_width(0, 8, 14)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_range_width(9, 10, 50)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 1)?;
    Ok(ws)
}

fn workbook(c: &Changes) -> Result<Workbook, XlsxError> {
    let mut wb = crate::write::workbook::sheet::dated_workbook("OP1 changes")?;
    let number = Format::new().set_num_format("#,##0.##;[Red]-#,##0.##");
    wb.push_worksheet(changes_sheet(c)?);

    let mut ws = sheet(
        "Funding moves",
        "Cases that moved across the funding line",
        &["Team", "Now", "ROI before", "ROI after"],
        c.funding.len(),
    )?;
    for (i, m) in c.funding.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_string(r, 0, crate::text::fit_for_excel(&m.team))?;
        ws.write_string(
            r,
            1,
            if m.now_funded {
                "funded"
            } else {
                "below the line"
            },
        )?;
        if let Some(x) = m.roi_before {
            ws.write_number_with_format(r, 2, x, &number)?;
        }
        if let Some(x) = m.roi_after {
            ws.write_number_with_format(r, 3, x, &number)?;
        }
    }
    wb.push_worksheet(ws);

    let mut ws = sheet(
        "Registers",
        "Register rows added, removed or edited",
        &["Team", "Register", "Old", "New"],
        c.registers.len(),
    )?;
    for (i, x) in c.registers.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_string(r, 0, crate::text::fit_for_excel(&x.team))?;
        ws.write_string(r, 1, &x.register)?;
        ws.write_string(
            r,
            2,
            crate::text::fit_for_excel(x.old.as_deref().unwrap_or_default()),
        )?;
        ws.write_string(
            r,
            3,
            crate::text::fit_for_excel(x.new.as_deref().unwrap_or_default()),
        )?;
    }
    ws.set_column_range_width(2, 3, 60)?;
    wb.push_worksheet(ws);

    let findings: Vec<(&str, &crate::diff::FindingKey)> = c
        .findings_new
        .iter()
        .map(|f| ("new", f))
        .chain(c.findings_resolved.iter().map(|f| ("resolved", f)))
        .collect();
    let mut ws = sheet(
        "Findings",
        &format!("Findings: {} unchanged", c.findings_unchanged),
        &["Change", "Rule", "Team", "Where", "Message"],
        findings.len(),
    )?;
    for (i, (change, f)) in findings.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        for (col, text) in [*change, &f.rule, &f.team, &f.place, &f.message]
            .into_iter()
            .enumerate()
        {
            ws.write_string(r, col as u16, crate::text::fit_for_excel(text))?;
        }
    }
    ws.set_column_width(4, 100)?;
    wb.push_worksheet(ws);
    Ok(wb)
}
