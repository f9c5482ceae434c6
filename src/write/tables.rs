//! The model's tables as Parquet (typed, for analysts) and CSV (for anyone),
//! written atomically. Provenance travels through the model as parts (each
//! row's team, row and column; the team's file and sheet in
//! [`TeamSources`]); here, where a person reads it, each becomes one
//! `file › Sheet!F7` column. CSV text is made safe for spreadsheets: a value
//! that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! prefixed with `'` so that a team's text never runs as a formula when the
//! CSV is opened.

use crate::model::{Model, TeamSources};
use crate::output::{atomic_write_with, OutputError};
use crate::plan::SheetKind;
use crate::provenance::describe_into;
use polars::prelude::*;
use std::borrow::Cow;
use std::path::Path;

/// The roll-up's published columns (the model also carries what the pack's
/// writers need: metric key, unit kind, direction, order).
const ROLLUP_COLUMNS: [&str; 7] = [
    "scope", "metric", "unit", "rollup", "track", "value", "teams",
];

/// Writes every table of the model into `out`; returns their file names.
///
/// # Errors
/// [`OutputError`] naming the first table that could not be written.
pub(crate) fn write_tables(out: &Path, model: &Model) -> Result<Vec<String>, OutputError> {
    let long = publish_long(&model.long, &model.sources);
    let resources = publish_resources(&model.resources, &model.sources);
    let rollup = model.rollup.select(ROLLUP_COLUMNS);
    let tables: [(&str, PolarsResult<DataFrame>); 6] = [
        ("consolidated.parquet", long.clone()),
        ("consolidated.csv", long),
        ("rollup.csv", rollup),
        ("funding.csv", Ok(model.funding.clone())),
        ("resources.csv", resources),
        ("ambition.csv", model.ambition.drop("unit_kind")),
    ];
    let mut names = Vec::with_capacity(tables.len());
    for (name, df) in tables {
        let path = out.join(name);
        let table_error = |source| OutputError::Table {
            path: path.clone(),
            source,
        };
        let df = df.map_err(table_error)?;
        let written = if name.ends_with(".parquet") {
            write_parquet(&df, &path)
        } else {
            write_csv(&df, &path)
        };
        written.map_err(table_error)?;
        names.push(name.to_string());
    }
    Ok(names)
}

/// The long table as published: its provenance as one `source` column.
fn publish_long(long: &DataFrame, sources: &TeamSources) -> PolarsResult<DataFrame> {
    let at = (SheetKind::Plan, "source_col", Some("source_blank"));
    let source = source_text(long, sources, "source", at)?;
    replace_sources(
        long,
        vec![source],
        &["source_row", "source_col", "source_blank"],
    )
}

/// The resources table as published: one source column per track.
fn publish_resources(resources: &DataFrame, sources: &TeamSources) -> PolarsResult<DataFrame> {
    let columns = [
        ("source_ly", "source_col_ly"),
        ("source_flat", "source_col_flat"),
        ("source_investment", "source_col_investment"),
    ]
    .into_iter()
    .map(|(name, col)| source_text(resources, sources, name, (SheetKind::Resources, col, None)))
    .collect::<PolarsResult<Vec<Column>>>()?;
    let parts = [
        "source_row",
        "source_col_ly",
        "source_col_flat",
        "source_col_investment",
        "unit_kind",
    ];
    replace_sources(resources, columns, &parts)
}

/// A column `name` of `file › Sheet!F7` texts: each row's team's file and
/// `sheet`, at `source_row` and the column index in `col`; null where there
/// is no cell. With `blank`, a row flagged there says its own cell was blank
/// and the value was taken from the cell named.
fn source_text(
    df: &DataFrame,
    sources: &TeamSources,
    name: &str,
    (sheet, col, blank): (SheetKind, &str, Option<&str>),
) -> PolarsResult<Column> {
    let team = df.column("team")?.str()?;
    let (row, col) = (df.column("source_row")?.u32()?, df.column(col)?.u32()?);
    let blank = blank.map(|b| df.column(b)?.bool().cloned()).transpose()?;
    let cell = |i: usize| sources.cell(team.get(i)?, sheet, row.get(i)?, col.get(i)?);
    // One reused buffer, not a string per row: this runs while the pack zips.
    let mut text = StringChunkedBuilder::new(name.into(), df.height());
    let mut buffer = String::new();
    for i in 0..df.height() {
        match cell(i) {
            Some(source) => {
                buffer.clear();
                let blank = blank.as_ref().and_then(|b| b.get(i)).unwrap_or(false);
                describe_into(&mut buffer, source, blank);
                text.append_value(&buffer);
            }
            None => text.append_null(),
        }
    }
    Ok(text.finish().into_column())
}

/// `df` with the rendered source `columns` where `source_row` was, and the
/// parts (`parts`) dropped.
fn replace_sources(
    df: &DataFrame,
    columns: Vec<Column>,
    parts: &[&str],
) -> PolarsResult<DataFrame> {
    let at = df
        .get_column_index("source_row")
        .ok_or_else(|| polars_err!(ColumnNotFound: "source_row"))?;
    let mut out = df.drop_many(parts.iter().copied());
    for (i, column) in columns.into_iter().enumerate() {
        out.insert_column(at + i, column)?;
    }
    Ok(out)
}

/// Writes a frame as Parquet.
///
/// # Errors
/// A Polars or I/O error.
pub(crate) fn write_parquet(df: &DataFrame, path: &Path) -> PolarsResult<()> {
    let mut df = df.clone();
    atomic_write_with(path, |w| ParquetWriter::new(w).finish(&mut df).map(|_| ()))
}

/// Writes a frame as CSV with formula-injection escaping of text columns.
///
/// # Errors
/// A Polars or I/O error.
pub(crate) fn write_csv(df: &DataFrame, path: &Path) -> PolarsResult<()> {
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
pub(crate) fn escape_cell(s: &str) -> Cow<'_, str> {
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

/// The run's findings as a table (`findings.csv`): what a later `op1 diff`
/// compares, and a list anyone can filter.
pub(crate) fn write_findings(
    out: &Path,
    findings: &[crate::finding::Finding],
) -> Result<String, OutputError> {
    let column = |f: fn(&crate::finding::Finding) -> Option<&str>| -> Vec<Option<String>> {
        findings.iter().map(|x| f(x).map(str::to_string)).collect()
    };
    let df = df!(
        "severity" => findings.iter().map(|f| f.severity.as_str()).collect::<Vec<_>>(),
        "rule" => findings.iter().map(|f| f.rule.id()).collect::<Vec<_>>(),
        "file" => column(|f| f.file.as_deref()),
        "sheet" => column(|f| f.sheet.as_deref()),
        "cell" => column(|f| f.cell.as_deref()),
        "team" => column(|f| f.team.as_deref()),
        "message" => findings.iter().map(|f| f.message.as_str()).collect::<Vec<_>>(),
    );
    let path = out.join("findings.csv");
    let table_error = |source| OutputError::Table {
        path: path.clone(),
        source,
    };
    let df = df.map_err(table_error)?;
    write_csv(&df, &path).map_err(table_error)?;
    Ok("findings.csv".to_string())
}

/// The registers of every team as one table (`registers.csv`: team,
/// register, text): what a later `op1 diff` compares row by row.
pub(crate) fn write_registers(
    out: &Path,
    workbooks: &[&crate::plan::TeamWorkbook],
) -> Result<String, OutputError> {
    let rows = crate::plan::register_rows(workbooks);
    let df = df!(
        "team" => rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        "register" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        "text" => rows.iter().map(|r| r.2.as_str()).collect::<Vec<_>>(),
    );
    let path = out.join("registers.csv");
    let table_error = |source| OutputError::Table {
        path: path.clone(),
        source,
    };
    write_csv(&df.map_err(table_error)?, &path).map_err(table_error)?;
    Ok("registers.csv".to_string())
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
