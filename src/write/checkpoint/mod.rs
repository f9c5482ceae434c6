//! The outputs of `op1 checkpoint`: `checkpoint.xlsx` (Summary, Status,
//! Metrics — [`sheets`]; Resources, Goals, Decisions, Checks — [`lists`]),
//! the memo `checkpoint.html` / `checkpoint.md` ([`memo`]) and the tables
//! `checkpoint.parquet` / `checkpoint.csv` (the Metrics sheet as a long
//! table) and `decisions.csv`. Written atomically, like the pack.

mod lists;
mod memo;
mod sheets;

use crate::checkpoint::Checkpoint;
use crate::finding::Findings;
use crate::output::{atomic_write, OutputError};
use crate::settings::Settings;
use polars::prelude::*;
use std::path::Path;

/// The checkpoint workbook's file name.
pub use crate::outputs::CHECKPOINT_FILE;

/// Writes the checkpoint's outputs into `out` (which exists); returns the
/// file names written.
///
/// # Errors
/// [`OutputError`] naming the first output that could not be written.
pub fn write_checkpoint(
    out: &Path,
    cp: &Checkpoint,
    settings: &Settings,
    findings: &mut Findings,
) -> Result<Vec<String>, OutputError> {
    // The charts first: a chart that fails is a finding on the Checks sheet.
    let charts = super::charts::write_checkpoint_charts(out, cp, &settings.reporting_currency);
    if let Some(e) = charts.write_error {
        return Err(e);
    }
    findings.extend(charts.findings);
    let findings = findings.all();
    let path = out.join(CHECKPOINT_FILE);
    let bytes = sheets::workbook(cp, settings, findings)
        .map_err(|source| OutputError::xlsx(&path, source))?;
    atomic_write(&path, &bytes)?;
    let mut written = vec![CHECKPOINT_FILE.to_string()];
    let svg = |file: &str| std::fs::read_to_string(out.join(file)).ok();
    let memo = memo::memo(cp, settings, findings, &charts.written);
    let files = (
        crate::outputs::CHECKPOINT_HTML,
        crate::outputs::CHECKPOINT_MD,
    );
    super::document::write_files(out, files, &memo, settings.document.paper, &svg)?;
    written.extend([files.0.to_string(), files.1.to_string()]);
    // Through the pack's one table writer: CSV text guarded against running
    // as a formula, with the byte-order mark Excel reads UTF-8 by.
    let table = |name: &str, df: PolarsResult<DataFrame>| -> Result<String, OutputError> {
        let path = out.join(name);
        let error = |source| OutputError::table(&path, source);
        let df = df.map_err(error)?;
        if name.ends_with(".parquet") {
            crate::write::tables::write_parquet(&df, &path).map_err(error)?;
        } else {
            crate::write::tables::write_csv(&df, &path).map_err(error)?;
        }
        Ok(name.to_string())
    };
    let long = published(cp);
    written.push(table(crate::outputs::CHECKPOINT_PARQUET, long.clone())?);
    written.push(table(crate::outputs::CHECKPOINT_CSV, long)?);
    written.push(table(crate::outputs::DECISIONS_CSV, decisions(cp))?);
    written.extend(charts.written);
    Ok(written)
}

/// The Metrics sheet as a table: the model's frame without working columns.
fn published(cp: &Checkpoint) -> PolarsResult<DataFrame> {
    cp.metrics
        .clone()
        .lazy()
        .drop(cols(["level", "w1", "w2", "w3", "w4"]))
        .collect()
}

/// One row per funded case, then the freed budget's candidates.
fn decisions(cp: &Checkpoint) -> PolarsResult<DataFrame> {
    let d = &cp.decisions;
    df!(
        "team" => d.iter().map(|x| x.team.as_str()).collect::<Vec<_>>(),
        "incremental_budget" => d.iter().map(|x| x.budget).collect::<Vec<_>>(),
        "planned_uplift" => d.iter().map(|x| x.planned_uplift).collect::<Vec<_>>(),
        "projected_uplift" => d.iter().map(|x| x.projected_uplift).collect::<Vec<_>>(),
        "delivery" => d.iter().map(|x| x.delivery).collect::<Vec<_>>(),
        "status" => d.iter().map(|x| x.status.as_str()).collect::<Vec<_>>(),
        "call" => d.iter().map(|x| x.call.as_str()).collect::<Vec<_>>(),
    )
}
