//! The model's tables as Parquet (typed, for analysts) and CSV (for anyone),
//! written atomically. CSV text is made safe for spreadsheets: a value that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with
//! `'` so that a team's text never runs as a formula when the CSV is opened.

use super::atomic_write_with;
use polars::prelude::*;
use std::borrow::Cow;
use std::path::Path;

/// Writes a frame as Parquet.
///
/// # Errors
/// A Polars or I/O error.
pub fn write_parquet(df: &DataFrame, path: &Path) -> PolarsResult<()> {
    let mut df = df.clone();
    atomic_write_with(path, |w| ParquetWriter::new(w).finish(&mut df).map(|_| ()))
}

/// Writes a frame as CSV with formula-injection escaping of text columns.
///
/// # Errors
/// A Polars or I/O error.
pub fn write_csv(df: &DataFrame, path: &Path) -> PolarsResult<()> {
    let mut safe = escape_text_columns(df)?;
    // The BOM makes Excel read the file as UTF-8 (team names, "›" in sources).
    atomic_write_with(path, |w| {
        CsvWriter::new(w)
            .include_bom(true)
            .include_header(true)
            .finish(&mut safe)
    })
}

/// A spreadsheet-safe copy of a text value.
pub fn escape_cell(s: &str) -> Cow<'_, str> {
    if needs_escape(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

fn needs_escape(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn escape_text_columns(df: &DataFrame) -> PolarsResult<DataFrame> {
    let mut out = df.clone();
    for name in df.get_column_names_owned() {
        let column = df.column(&name)?;
        if column.dtype() != &DataType::String || !column.str()?.iter().flatten().any(needs_escape)
        {
            continue;
        }
        let escaped: StringChunked = column.str()?.iter().map(|v| v.map(escape_cell)).collect();
        out.with_column(escaped.with_name(name.clone()).into_column())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_escaped() {
        for (raw, safe) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-cmd", "'-cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("Payments", "Payments"),
            ("", ""),
        ] {
            assert_eq!(escape_cell(raw), safe);
        }
    }

    #[test]
    fn csv_escapes_text_but_not_numbers() {
        let df = df!("team" => ["=evil", "ok"], "value" => [-3.0, 4.0]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        write_csv(&df, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "\u{feff}team,value\n'=evil,-3.0\nok,4.0\n");
    }
}
