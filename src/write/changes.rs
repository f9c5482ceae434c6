//! What `op1 diff --out` writes into its folder, in what order:
//! `changes.xlsx`, then the changes bridge chart.

use super::{charts, workbook};
use crate::diff::Changes;
use crate::finding::Finding;
use crate::output::OutputError;
use std::path::Path;

/// Writes the comparison's outputs into `out` (which exists); returns the
/// file names written and a `chart-failed` finding for a chart that could
/// not be drawn.
///
/// # Errors
/// [`OutputError`] naming the first output that could not be written.
pub fn write_changes(
    out: &Path,
    changes: &Changes,
) -> Result<(Vec<String>, Vec<Finding>), OutputError> {
    let mut written = vec![workbook::changes::write_changes(out, changes)?];
    let (charts, findings) = charts::write_changes_charts(out, changes).into_result()?;
    written.extend(charts);
    Ok((written, findings))
}
