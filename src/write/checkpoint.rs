//! What `op1 checkpoint` writes into its folder, in what order: the charts
//! (a chart that fails is a finding on the Checks sheet), `checkpoint.xlsx`,
//! the memo `checkpoint.html` / `checkpoint.md`, the tables, then the
//! charts' files in the list.

use super::{charts, document, tables, workbook};
use crate::checkpoint::Checkpoint;
use crate::finding::Findings;
use crate::output::{atomic_write, OutputError};
use crate::outputs::CHECKPOINT_FILE;
use crate::settings::Settings;
use std::path::Path;

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
    let (charts, chart_findings) =
        charts::write_checkpoint_charts(out, cp, &settings.reporting_currency).into_result()?;
    findings.extend(chart_findings);
    let findings = findings.all();
    let path = out.join(CHECKPOINT_FILE);
    let bytes = workbook::checkpoint::workbook(cp, settings, findings)
        .map_err(|source| OutputError::xlsx(&path, source))?;
    atomic_write(&path, &bytes)?;
    let mut written = vec![CHECKPOINT_FILE.to_string()];
    let svg = |file: &str| std::fs::read_to_string(out.join(file)).ok();
    let memo = document::memo::memo(cp, settings, findings, &charts);
    let files = (
        crate::outputs::CHECKPOINT_HTML,
        crate::outputs::CHECKPOINT_MD,
    );
    document::write_files(out, files, &memo, settings.document.paper, &svg)?;
    written.extend([files.0.to_string(), files.1.to_string()]);
    written.extend(tables::write_checkpoint_tables(out, cp)?);
    written.extend(charts);
    Ok(written)
}
