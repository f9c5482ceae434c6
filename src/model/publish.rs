//! The model's tables as they are published (the pack's tables, and what
//! `op1 diff` compares): provenance, carried through the model as parts
//! (each row's team, row and column; the team's file and sheet in
//! [`TeamSources`]), becomes one `file › Sheet!F7` column per value.

use super::TeamSources;
use crate::model::schema;
use crate::plan::SheetKind;
use crate::provenance::describe_into;
use polars::prelude::*;

/// The long table as published: its provenance as one `source` column.
pub(crate) fn long(long: &DataFrame, sources: &TeamSources) -> PolarsResult<DataFrame> {
    let at = (
        SheetKind::Plan,
        schema::SOURCE_COL,
        Some(schema::SOURCE_BLANK),
    );
    let source = source_text(long, sources, "source", at)?;
    replace_sources(
        long,
        vec![source],
        &[schema::SOURCE_ROW, schema::SOURCE_COL, schema::SOURCE_BLANK],
    )
}

/// The resources table as published: one source column per track.
pub(crate) fn resources(resources: &DataFrame, sources: &TeamSources) -> PolarsResult<DataFrame> {
    let columns = [
        ("source_ly", schema::SOURCE_COL_LY),
        ("source_flat", schema::SOURCE_COL_FLAT),
        ("source_investment", schema::SOURCE_COL_INVESTMENT),
    ]
    .into_iter()
    .map(|(name, col)| source_text(resources, sources, name, (SheetKind::Resources, col, None)))
    .collect::<PolarsResult<Vec<Column>>>()?;
    let parts = [
        schema::SOURCE_ROW,
        schema::SOURCE_COL_LY,
        schema::SOURCE_COL_FLAT,
        schema::SOURCE_COL_INVESTMENT,
        schema::UNIT_KIND,
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
    let team = df.column(schema::TEAM)?.str()?;
    let (row, col) = (
        df.column(schema::SOURCE_ROW)?.u32()?,
        df.column(col)?.u32()?,
    );
    let blank = blank.map(|b| df.column(b)?.bool().cloned()).transpose()?;
    let cell = |i: usize| sources.cell(team.get(i)?, sheet, row.get(i)?, col.get(i)?);
    // One reused buffer, not a string per row (10,000 teams: 260,000 rows).
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
        .get_column_index(schema::SOURCE_ROW)
        .ok_or_else(|| polars_err!(ColumnNotFound: schema::SOURCE_ROW))?;
    let mut out = df.drop_many(parts.iter().copied());
    for (i, column) in columns.into_iter().enumerate() {
        out.insert_column(at + i, column)?;
    }
    Ok(out)
}
