//! What `op1 pack` writes into its folder, in what order: the tables, then
//! the exec pack's sheets while the charts are drawn, the pack's marker,
//! the findings table, then the pack zipped while the document is written.

use super::{charts, document, tables, workbook, PackInput, WriteOptions};
use crate::finding::Findings;
use crate::output::OutputError;
use std::path::Path;

/// Writes every output of `op1 pack` into `out` (which exists); returns the
/// file names written, relative to `out`. Findings about the writing (a chart
/// that could not be drawn, a cell cut at Excel's limit, a value that does
/// not reconcile) join `findings` before the pack's Checks sheet is written,
/// so the sheet, the report and the JSON list the same findings.
///
/// # Errors
/// [`OutputError`] naming the first output that could not be written.
pub fn write_pack(
    out: &Path,
    input: &PackInput<'_>,
    options: &WriteOptions,
    findings: &mut Findings,
) -> Result<Vec<String>, OutputError> {
    let mut clock = crate::timing::Stopwatch::start();
    let path = out.join(crate::outputs::PACK_FILE);
    let xlsx_error = |source| OutputError::xlsx(&path, source);
    // First, while nothing else is held: the registers table gathers every
    // team's text (11 MB at 1,000 teams), and the model's tables render every
    // value's source (32 MB at 10,000 teams); both on all cores.
    let (registers_table, tables) = rayon::join(
        || tables::write_registers(out, input.included),
        || tables::write_tables(out, input.model),
    );
    let registers_table = registers_table?;
    let tables = tables?;
    clock.lap("registers+tables");
    // Two phases on all cores: the pack's sheets are filled while the charts
    // are drawn; then the pack is zipped (one core) while the document is written.
    let (sheets, charts) = rayon::join(
        || workbook::pack::build_sheets(out, input),
        || {
            options
                .charts
                .then(|| charts::write_charts(out, input.model, input.since))
        },
    );
    let mut sheets = sheets.map_err(xlsx_error)?;
    findings.extend(std::mem::take(&mut sheets.findings));
    let chart_files = match charts {
        Some(charts) => {
            let (written, chart_findings) = charts.into_result()?;
            findings.extend(chart_findings);
            written
        }
        None => {
            charts::remove_old_charts(out);
            Vec::new()
        }
    };
    let sheets = sheets.with_checks(findings.all()).map_err(xlsx_error)?;
    clock.lap("sheets+charts");
    let record = crate::snapshot::PackRecord {
        round: common_folder(input.files.iter().map(|f| f.input.display.as_str())),
        written_by: format!("op1 {}", env!("CARGO_PKG_VERSION")),
        currency: input.model.reporting_currency.clone(),
        objective: input
            .model
            .params
            .objective
            .as_ref()
            .map(|o| o.name.clone()),
        envelope: input.model.params.budget,
    };
    crate::output::atomic_write(
        &out.join(crate::outputs::PACK_MARKER),
        record.to_text().as_bytes(),
    )?;
    let all_findings = findings.all();
    let findings_table = tables::write_findings(out, all_findings)?;
    let (saved, document) = rayon::join(
        || sheets.save_to(&path),
        || document::write_document(out, input, all_findings, &chart_files),
    );
    clock.lap("zip+document");
    saved?;
    // In the order a person looks for them: the pack, the document, the
    // tables, the charts.
    let mut written = vec![crate::outputs::PACK_FILE.to_string()];
    written.extend(document?);
    written.extend(tables);
    written.push(findings_table);
    written.push(registers_table);
    written.extend(chart_files);
    Ok(written)
}

/// The deepest folder holding every one of `paths` (`fixtures/round-fy27`
/// for the sample round's files); `None` when they share none.
fn common_folder<'a>(paths: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut common: Option<Vec<&str>> = None;
    for path in paths {
        let folders: Vec<&str> = path.split('/').collect();
        let folders = &folders[..folders.len().saturating_sub(1)];
        common = Some(match common {
            None => folders.to_vec(),
            Some(c) => c
                .iter()
                .zip(folders)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    common.map(|c| c.join("/")).filter(|c| !c.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_common_folder_of_a_rounds_files() {
        let f = |p: &[&str]| super::common_folder(p.iter().copied());
        assert_eq!(
            f(&["r/consumer/a.xlsx", "r/platform/b.xlsx"]).as_deref(),
            Some("r")
        );
        assert_eq!(f(&["r/a.xlsx"]).as_deref(), Some("r"));
        assert_eq!(f(&["a.xlsx", "r/b.xlsx"]), None);
    }
}
