//! Dates written back as Excel dates: a date a team typed (read as ISO 8601,
//! `2027-03-31`) goes back into a re-issued workbook as a date cell, not as
//! the text of one.

use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet, XlsxError};

/// How op1 shows a date it writes back: unambiguous in every locale.
pub const DATE_FORMAT: &str = "yyyy-mm-dd";

/// The Excel date of an ISO date (`2027-03-31`), or `None` for any other text.
///
/// # Examples
/// ```
/// assert!(op1::excel_date::excel_date("2027-03-31").is_some());
/// assert!(op1::excel_date::excel_date("Q3 FY27").is_none());
/// ```
pub fn excel_date(text: &str) -> Option<ExcelDateTime> {
    let date = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    let year = u16::try_from(chrono::Datelike::year(&date)).ok()?;
    let month = chrono::Datelike::month(&date) as u8;
    let day = chrono::Datelike::day(&date) as u8;
    ExcelDateTime::from_ymd(year, month, day).ok()
}

/// Writes `text` at (row, col): as a date when it is an ISO date, else as text.
///
/// # Errors
/// An [`XlsxError`] from the sheet writer.
pub fn write_date_or_text(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    text: &str,
) -> Result<(), XlsxError> {
    match excel_date(text) {
        Some(date) => ws.write_datetime_with_format(
            row,
            col,
            date,
            &Format::new().set_num_format(DATE_FORMAT),
        ),
        None => ws.write_string(row, col, crate::text::fit_for_excel(text)),
    }
    .map(|_| ())
}
