//! Feedback back to the teams (`op1 feedback`): each team with findings gets
//! its workbook re-issued in the current layout (as `template --from` does)
//! with every finding as a note on its cell, the cell highlighted, and a
//! first sheet `Feedback` listing the findings in the order to fix them, each
//! linked to its cell; and a plain-text message to paste into an e-mail.
//! Inputs are never modified; file names are safe stems of the team's name.

use crate::finding::{Finding, Severity};
use crate::output::{atomic_write, OutputError};
use crate::plan::layout::{
    ColumnSpec, ASK_COLUMNS, GOAL_COLUMNS, IDEA_COLUMNS, PLAN_COLUMNS, RESOURCE_COLUMNS,
    RISK_COLUMNS,
};
use crate::plan::{SheetKind, TeamWorkbook};
use crate::read::grid::CellValue;
use crate::read::typed::CellAt;
use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, Format, Note, Url, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeMap;
use std::path::Path;

/// Excel's limit for a cell note's text, in UTF-16 units (a cell's, less the
/// room rust_xlsxwriter keeps for the author).
const NOTE_UNITS: usize = crate::text::EXCEL_CELL_UNITS - 54;

/// The name of the first sheet of a feedback workbook.
pub const FEEDBACK_SHEET: &str = "Feedback";

/// Where a finding's cell is in the re-issued workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub sheet: SheetKind,
    pub row: u32,
    pub col: u16,
}

/// A finding's cell in the re-issued layout: the same value, moved from
/// where the team had it to where the template puts it. `None` for a
/// finding on no cell, or on a cell the re-issue does not carry (a header,
/// an ignored column).
pub fn place(wb: &TeamWorkbook, f: &Finding) -> Option<Placed> {
    let sheet = wb
        .sheet_names
        .iter()
        .find(|(_, name)| Some(name.as_str()) == f.sheet.as_deref())
        .map(|(kind, _)| *kind)?;
    let (row, col) = crate::a1::parse_a1(f.cell.as_deref()?)?;
    if sheet == SheetKind::Team {
        let rows = [
            Some(wb.team.pos.row),
            wb.owner.as_ref().map(|v| v.pos.row),
            wb.org.as_ref().map(|v| v.pos.row),
            wb.currency.as_ref().map(|v| v.pos.row),
            wb.fiscal_year.as_ref().map(|v| v.pos.row),
        ];
        let new_row = rows.iter().position(|r| *r == Some(row))?;
        return Some(Placed {
            sheet,
            row: new_row as u32,
            col: 1,
        });
    }
    let (spec, rows): (&[ColumnSpec], Vec<u32>) = match sheet {
        SheetKind::Plan => (
            PLAN_COLUMNS,
            wb.metrics.iter().map(|m| m.name.pos.row).collect(),
        ),
        SheetKind::Resources => (
            RESOURCE_COLUMNS,
            wb.resources.iter().map(|r| r.name.pos.row).collect(),
        ),
        SheetKind::Assumptions => (&[], wb.assumptions.iter().map(|a| a.pos.row).collect()),
        SheetKind::Asks => (ASK_COLUMNS, wb.asks.iter().map(|a| a.ask.pos.row).collect()),
        SheetKind::Risks => (
            RISK_COLUMNS,
            wb.risks.iter().map(|r| r.risk.pos.row).collect(),
        ),
        SheetKind::Goals => (
            GOAL_COLUMNS,
            wb.goals.iter().map(|g| g.id.pos.row).collect(),
        ),
        SheetKind::Ideas => (
            IDEA_COLUMNS,
            wb.ideas.iter().map(|i| i.question.pos.row).collect(),
        ),
        SheetKind::Team | SheetKind::Narrative => return None,
    };
    let new_row = rows.iter().position(|r| *r == row)? as u32 + 1;
    // The column by its canonical name, where the team had it and where
    // the template has it (an Assumptions sheet has the one column).
    let new_col = if spec.is_empty() {
        0
    } else {
        let columns = wb.columns.get(&sheet)?;
        let name = columns
            .iter()
            .find(|(_, c)| **c == col)
            .map(|(name, _)| *name)?;
        spec.iter().position(|c| c.name == name)? as u16
    };
    Some(Placed {
        sheet,
        row: new_row,
        col: new_col,
    })
}

/// The order to fix findings in: errors first, then warnings, then info;
/// within each, by sheet and cell.
fn fix_order(findings: &mut [&Finding]) {
    findings.sort_by(|a, b| {
        (a.severity, &a.sheet, cell_key(a)).cmp(&(b.severity, &b.sheet, cell_key(b)))
    });
}

fn cell_key(f: &Finding) -> (u32, u32) {
    f.cell
        .as_deref()
        .and_then(crate::a1::parse_a1)
        .unwrap_or((u32::MAX, u32::MAX))
}

/// What `write_feedback` wrote for a team.
#[derive(Clone, Debug)]
pub struct TeamFeedback {
    pub workbook: String,
    pub message: String,
}

/// Writes the feedback workbook and message for one team into `out`, named
/// by `stem`; returns the file names.
///
/// # Errors
/// [`OutputError`] when a file cannot be built or written.
pub fn write_feedback(
    out: &Path,
    stem: &str,
    wb: &TeamWorkbook,
    findings: &[&Finding],
    typed: &BTreeMap<CellAt, CellValue>,
) -> Result<TeamFeedback, OutputError> {
    let mut ordered = findings.to_vec();
    fix_order(&mut ordered);
    let name = format!("{stem}.xlsx");
    let path = out.join(&name);
    let bytes = workbook(wb, &ordered, typed)
        .and_then(|mut book| book.save_to_buffer())
        .map_err(|source| OutputError::xlsx(&path, source))?;
    atomic_write(&path, &bytes)?;
    let text = format!("{stem}.txt");
    atomic_write(&out.join(&text), message(wb, &ordered).as_bytes())?;
    Ok(TeamFeedback {
        workbook: name,
        message: text,
    })
}

/// The cells of `findings` whose value was not read as typed
/// ([`crate::finding::Rule::value_not_read_as_typed`]): what
/// [`crate::read::typed::typed_cells`] reads again for [`write_feedback`].
pub fn cells_to_show_as_typed(findings: &[&Finding]) -> Vec<CellAt> {
    findings.iter().filter_map(|f| typed_cell(f)).collect()
}

/// The cell whose typed value a finding of `f`'s rule puts back, as the
/// team's workbook names it; `None` for any other rule, or no cell.
fn typed_cell(f: &Finding) -> Option<CellAt> {
    if !f.rule.value_not_read_as_typed() {
        return None;
    }
    let (row, col) = crate::a1::parse_a1(f.cell.as_deref()?)?;
    Some((f.sheet.clone()?, row, col))
}

fn workbook(
    wb: &TeamWorkbook,
    findings: &[&Finding],
    typed: &BTreeMap<CellAt, CellValue>,
) -> Result<Workbook, XlsxError> {
    let mut book = crate::template::filled_workbook(wb, false, Some(FEEDBACK_SHEET))?;
    let placed: Vec<Option<Placed>> = findings.iter().map(|f| place(wb, f)).collect();
    list(
        book.worksheet_from_name(FEEDBACK_SHEET)?,
        wb,
        findings,
        &placed,
    )?;
    // Notes on the cells, one per cell (several findings on a cell share it).
    let mut by_cell: BTreeMap<(SheetKind, u32, u16), Vec<&Finding>> = BTreeMap::new();
    for (f, p) in findings.iter().zip(&placed) {
        if let Some(p) = p {
            by_cell.entry((p.sheet, p.row, p.col)).or_default().push(f);
        }
    }
    let highlight = Format::new().set_background_color(Color::RGB(0xFFEB9C));
    for ((sheet, row, col), here) in by_cell {
        let ws = book.worksheet_from_name(sheet.name())?;
        // The value op1 could not read, as typed (not a blank).
        let as_typed = here.iter().find_map(|f| typed.get(&typed_cell(f)?));
        if let Some(value) = as_typed {
            write_as_typed(ws, (row, col), value)?;
        }
        let text: Vec<String> = here
            .iter()
            .map(|f| format!("{} [{}]: {}", f.severity, f.rule, f.message))
            .collect();
        // A note holds less than a cell (Excel keeps room for its author).
        let note = crate::text::truncate_units(&text.join("\n\n"), NOTE_UNITS);
        ws.insert_note(row, col, &Note::new(note).set_author("op1"))?;
        let always = ConditionalFormatFormula::new()
            .set_rule("=TRUE")
            .set_format(&highlight);
        ws.add_conditional_format(row, col, row, col, &always)?;
    }
    Ok(book)
}

/// Writes `value` as the team had it: a number as a number, a date as a
/// date, anything else as its text.
fn write_as_typed(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    value: &CellValue,
) -> Result<(), XlsxError> {
    match value {
        CellValue::Number(n) if n.is_finite() => {
            ws.write_number(row, col, *n)?;
        }
        CellValue::Bool(b) => {
            ws.write_boolean(row, col, *b)?;
        }
        CellValue::Date(iso) => {
            crate::excel_date::write_date_or_text(ws, (row, col), iso)?;
        }
        other => {
            ws.write_string(row, col, crate::text::fit_for_excel(&other.display()))?;
        }
    }
    Ok(())
}

/// The Feedback sheet: every finding, in the order to fix it, linked to its cell.
fn list(
    ws: &mut Worksheet,
    wb: &TeamWorkbook,
    findings: &[&Finding],
    placed: &[Option<Placed>],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x1F3864))
        .set_font_color(Color::White);
    let wrap = Format::new().set_text_wrap();
    ws.write_string_with_format(
        0,
        0,
        format!(
            "What to fix in {} workbook",
            crate::text::possessive(wb.name())
        ),
        &bold,
    )?;
    ws.write_string(
        1,
        0,
        "Each finding is a note on its cell (highlighted). Errors first: the round cannot use the plan until they are fixed.",
    )?;
    for (c, h) in ["#", "Severity", "Where", "Rule", "What to do"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(3, c as u16, *h, &header)?;
    }
    for (i, (f, p)) in findings.iter().zip(placed).enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, f.severity.as_str())?;
        match p {
            Some(p) => {
                let cell = crate::a1::cell_name(p.row, u32::from(p.col));
                let target = format!("internal:'{}'!{cell}", p.sheet.name());
                ws.write_url(
                    r,
                    2,
                    Url::new(target).set_text(format!("{}!{cell}", p.sheet.name())),
                )?;
            }
            None => {
                ws.write_string(r, 2, f.sheet.as_deref().unwrap_or("the workbook"))?;
            }
        }
        ws.write_string(r, 3, f.rule.id())?;
        ws.write_string_with_format(r, 4, crate::text::fit_for_excel(&f.message), &wrap)?;
    }
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 10)?;
    ws.set_column_width(2, 16)?;
    ws.set_column_width(3, 22)?;
    ws.set_column_width(4, 100)?;
    ws.set_active(true);
    Ok(())
}

/// The message to paste into an e-mail to the team.
fn message(wb: &TeamWorkbook, findings: &[&Finding]) -> String {
    let owner = wb.owner.as_ref().map_or("team", |o| o.value.as_str());
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let mut text = format!(
        "Hello {owner},\n\nop1 checked {} OP1 workbook ({}) and found {} to fix before the plan can be used, and {} worth a look.\nThe attached workbook has each one as a note on its cell, listed on its first sheet, Feedback.\n\n",
        crate::text::possessive(wb.name()),
        wb.file,
        crate::text::plural(count(Severity::Error), "error"),
        crate::text::plural(count(Severity::Warning), "warning"),
    );
    for (i, f) in findings.iter().enumerate() {
        let at = match (&f.sheet, &f.cell) {
            (Some(s), Some(c)) => format!("{s}!{c}"),
            (Some(s), None) => s.clone(),
            _ => "the workbook".to_string(),
        };
        text.push_str(&format!(
            "{}. [{}] {at}: {}\n",
            i + 1,
            f.severity,
            f.message
        ));
    }
    text
}
