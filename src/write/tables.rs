//! The model's tables as Parquet (typed, for analysts) and CSV (for anyone),
//! written atomically, with provenance as one `file › Sheet!F7` column each
//! (see [`crate::model::publish`]). CSV text is made safe for spreadsheets: a value
//! that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! prefixed with `'` so that a team's text never runs as a formula when the
//! CSV is opened.

use crate::model::schema;
use crate::model::{publish, Model};
use crate::output::{atomic_write_with, OutputError};
use polars::prelude::*;
use polars_io::prelude::{CsvWriter, ParquetWriter, SerWriter};
use std::path::Path;

/// The roll-up's published columns (the model also carries what the pack's
/// writers need: metric key, unit kind, direction, order).
const ROLLUP_COLUMNS: [&str; 7] = [
    schema::SCOPE,
    schema::METRIC,
    schema::UNIT,
    schema::ROLLUP_HOW,
    schema::TRACK,
    schema::VALUE,
    schema::TEAMS,
];

/// Writes every table of the model into `out`; returns their file names.
/// Each published table is built just before it is written and dropped
/// after, so that only one table's rendered sources are held at a time.
///
/// # Errors
/// [`OutputError`] naming the first table that could not be written.
pub(crate) fn write_tables(out: &Path, model: &Model) -> Result<Vec<String>, OutputError> {
    let [parquet, csv, rollup, funding, resources, ambition] = TABLES;
    // Builds one table, writes it under each of `names` and drops it.
    let write = |names: &[&str], df: PolarsResult<DataFrame>| {
        let df = df.map_err(|source| OutputError::table(&out.join(names[0]), source))?;
        names
            .iter()
            .try_for_each(|name| write_table(out, name, &df))
    };
    write(&[parquet, csv], publish::long(&model.long, &model.sources))?;
    write(&[rollup], model.rollup.select(ROLLUP_COLUMNS))?;
    write(&[funding], Ok(model.funding.clone()))?;
    write(
        &[resources],
        publish::resources(&model.resources, &model.sources),
    )?;
    write(&[ambition], model.ambition.drop(schema::UNIT_KIND))?;
    let mut written = TABLES.map(String::from).to_vec();
    // Only a round with `[targets]` has them.
    if model.targets.height() > 0 {
        write(
            &[crate::outputs::TARGETS_CSV],
            model.targets.drop(schema::UNIT_KIND),
        )?;
        written.push(crate::outputs::TARGETS_CSV.to_string());
    }
    Ok(written)
}

use crate::outputs::PACK_TABLES as TABLES;

/// Writes one table as Parquet or CSV, by its file name.
fn write_table(out: &Path, name: &str, df: &DataFrame) -> Result<(), OutputError> {
    let path = out.join(name);
    let written = if name.ends_with(".parquet") {
        write_parquet(df, &path)
    } else {
        write_csv(df, &path)
    };
    written.map_err(|source| OutputError::table(&path, source))
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

fn escape_text_columns(df: &DataFrame) -> PolarsResult<DataFrame> {
    let mut out = df.clone();
    for name in df.get_column_names_owned() {
        let column = df.column(&name)?;
        if column.dtype() != &DataType::String
            || !column
                .str()?
                .iter()
                .flatten()
                .any(|v| matches!(crate::text::formula_safe(v), std::borrow::Cow::Owned(_)))
        {
            continue;
        }
        let escaped: StringChunked = column
            .str()?
            .iter()
            .map(|v| v.map(crate::text::formula_safe))
            .collect();
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
        schema::TEAM => column(|f| f.team.as_deref()),
        "message" => findings.iter().map(|f| f.message.as_str()).collect::<Vec<_>>(),
    );
    let path = out.join(crate::outputs::FINDINGS_CSV);
    let table_error = |source| OutputError::table(&path, source);
    let df = df.map_err(table_error)?;
    write_csv(&df, &path).map_err(table_error)?;
    Ok(crate::outputs::FINDINGS_CSV.to_string())
}

/// The registers of every team as one table (`registers.csv`: team,
/// register, text): what a later `op1 diff` compares row by row.
pub(crate) fn write_registers(
    out: &Path,
    workbooks: &[&crate::plan::TeamWorkbook],
) -> Result<String, OutputError> {
    let rows = crate::plan::register_rows(workbooks);
    let df = df!(
        schema::TEAM => rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        "register" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        "text" => rows.iter().map(|r| r.2.as_str()).collect::<Vec<_>>(),
    );
    let path = out.join(crate::outputs::REGISTERS_CSV);
    let table_error = |source| OutputError::table(&path, source);
    write_csv(&df.map_err(table_error)?, &path).map_err(table_error)?;
    Ok(crate::outputs::REGISTERS_CSV.to_string())
}

/// Writes the checkpoint's tables into `out`: `checkpoint.parquet` and
/// `checkpoint.csv` (the Metrics sheet as a long table) and
/// `decisions.csv`; returns their names.
///
/// # Errors
/// [`OutputError`] naming the first table that could not be written.
pub(crate) fn write_checkpoint_tables(
    out: &Path,
    cp: &crate::checkpoint::Checkpoint,
) -> Result<Vec<String>, OutputError> {
    // Through the pack's one table writer: CSV text guarded against running
    // as a formula, with the byte-order mark Excel reads UTF-8 by.
    let table = |name: &str, df: PolarsResult<DataFrame>| -> Result<String, OutputError> {
        let path = out.join(name);
        let error = |source| OutputError::table(&path, source);
        let df = df.map_err(error)?;
        if name.ends_with(".parquet") {
            write_parquet(&df, &path).map_err(error)?;
        } else {
            write_csv(&df, &path).map_err(error)?;
        }
        Ok(name.to_string())
    };
    let long = published(cp);
    Ok(vec![
        table(crate::outputs::CHECKPOINT_PARQUET, long.clone())?,
        table(crate::outputs::CHECKPOINT_CSV, long)?,
        table(crate::outputs::DECISIONS_CSV, decisions(cp))?,
    ])
}

/// The Metrics sheet as a table: the model's frame without working columns.
fn published(cp: &crate::checkpoint::Checkpoint) -> PolarsResult<DataFrame> {
    cp.metrics
        .clone()
        .lazy()
        .drop(cols(["level", "w1", "w2", "w3", "w4"]))
        .collect()
}

/// One row per funded case, then the freed budget's candidates.
fn decisions(cp: &crate::checkpoint::Checkpoint) -> PolarsResult<DataFrame> {
    let d = &cp.decisions;
    df!(
        schema::TEAM => d.iter().map(|x| x.team.as_str()).collect::<Vec<_>>(),
        schema::INCREMENTAL_BUDGET => d.iter().map(|x| x.budget).collect::<Vec<_>>(),
        "planned_uplift" => d.iter().map(|x| x.planned_uplift).collect::<Vec<_>>(),
        "projected_uplift" => d.iter().map(|x| x.projected_uplift).collect::<Vec<_>>(),
        "delivery" => d.iter().map(|x| x.delivery).collect::<Vec<_>>(),
        "status" => d.iter().map(|x| x.status.as_str()).collect::<Vec<_>>(),
        "call" => d.iter().map(|x| x.call.as_str()).collect::<Vec<_>>(),
    )
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
            ("'=x", "''=x"),
            ("'hello", "'hello"),
        ] {
            assert_eq!(crate::text::formula_safe(raw), safe);
            assert_eq!(crate::text::formula_unsafe(safe), raw, "read back");
        }
    }

    /// Every text of up to four characters from the ones the guard looks at
    /// reads back exactly as it was written.
    #[test]
    fn any_text_reads_back_through_the_guard_exactly() {
        let alphabet = ['\'', '=', '+', '-', '@', '\t', '\r', 'a', '1', ' '];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(
                longer
                    .into_iter()
                    .filter(|t| t.chars().count() == 4 || t.len() < 4),
            );
            texts.sort();
            texts.dedup();
        }
        assert!(texts.len() > 10_000, "{}", texts.len());
        for raw in &texts {
            let safe = crate::text::formula_safe(raw);
            assert!(
                !crate::text::runs_as_formula(&safe),
                "{raw:?} runs as {safe:?}"
            );
            assert_eq!(crate::text::formula_unsafe(&safe), raw, "{raw:?} read back");
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
