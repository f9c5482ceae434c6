//! What every sheet op1 writes shares — the exec pack's, the checkpoint's,
//! `changes.xlsx`: a title row, a note row, then an Excel table (filters,
//! banding) whose header row is bold white on navy and frozen.

use rust_xlsxwriter::{Color, Format, FormatAlign, Table, TableColumn, Worksheet, XlsxError};

/// Where tables start: a title row, a note row, then the header.
pub(crate) const HEADER_ROW: u32 = 2;

/// A `%` metric's value: the decimals it has, one to three, so that 99.9%
/// and 99.95% never show alike (a computed ratio such as Δ% keeps `0.0%`).
pub(crate) const PERCENT_VALUE: &str = "0.0##%;[Red]-0.0##%";

/// A new workbook titled `title`, dated the same day every run, so that
/// its bytes are a function of its content (a rerun writes the same file,
/// and a manifest's hashes say whether anything changed).
///
/// # Errors
/// Never in practice: the date is valid.
pub(crate) fn dated_workbook(title: &str) -> Result<rust_xlsxwriter::Workbook, XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 1)?),
    );
    Ok(wb)
}

/// A frame the sheet is written from could not be read (an internal
/// inconsistency, never bad input), as the workbook writer's error.
pub(crate) fn polars_err(e: polars::prelude::PolarsError) -> XlsxError {
    XlsxError::ParameterError(format!("the model could not be read: {e}"))
}

/// The header row's format: bold white on navy, wrapped, top-aligned.
pub(crate) fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x1F3864))
        .set_font_color(Color::White)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
}

/// An Excel table of `headers` over `rows` data rows (at least one, so an
/// empty table still shows its header) with its header in row `top`, that
/// row formatted with `header` and frozen. `name` is the table's name in
/// Excel; `None` lets Excel number it.
///
/// # Errors
/// An [`XlsxError`] from the sheet writer (a duplicate table name, say).
pub(crate) fn add_table(
    ws: &mut Worksheet,
    top: u32,
    name: Option<&str>,
    headers: &[&str],
    rows: usize,
    header: &Format,
) -> Result<(), XlsxError> {
    let columns: Vec<TableColumn> = headers
        .iter()
        .map(|h| TableColumn::new().set_header(*h))
        .collect();
    let mut table = Table::new().set_columns(&columns);
    if let Some(name) = name {
        table = table.set_name(name);
    }
    ws.add_table(
        top,
        0,
        top + rows.max(1) as u32,
        headers.len() as u16 - 1,
        &table,
    )?;
    ws.set_freeze_panes(top + 1, 0)?;
    ws.set_row_format(top, header)?;
    Ok(())
}
