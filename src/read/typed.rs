//! Cells as the team typed them, read again for the feedback workbook.
//!
//! A value op1 could not read (`TBD` in a number column, `#REF!`) is not in
//! the [`crate::plan::TeamWorkbook`]; the feedback workbook puts it back in
//! its cell, beside the note that explains it, so that the team sees what
//! it typed and not a blank.

use super::grid::{self, CellValue};
use crate::settings::Limits;
use std::collections::BTreeMap;
use std::path::Path;

/// A cell: the sheet's name as the workbook spells it, row and column (from 0).
pub type CellAt = (String, u32, u32);

/// The values of the `wanted` cells of the workbook at `path`, read within
/// `limits`; a cell that is empty, or a workbook or sheet that no longer
/// opens, is left out (its re-issued cell stays as it was).
pub fn typed_cells(path: &Path, wanted: &[CellAt], limits: &Limits) -> BTreeMap<CellAt, CellValue> {
    let mut out = BTreeMap::new();
    if wanted.is_empty() {
        return out;
    }
    let Ok(bytes) = grid::read_bytes(path, limits) else {
        return out;
    };
    let Ok((mut book, _)) = grid::open(&bytes, limits) else {
        return out;
    };
    let mut sheets: BTreeMap<&str, Vec<(u32, u32)>> = BTreeMap::new();
    for (sheet, row, col) in wanted {
        sheets.entry(sheet.as_str()).or_default().push((*row, *col));
    }
    for (sheet, cells) in sheets {
        let Ok(grid) = book.load(sheet, limits) else {
            continue;
        };
        for (row, col) in cells {
            if let Some(value) = grid.get(row, col) {
                out.insert((sheet.to_string(), row, col), value.clone());
            }
        }
    }
    out
}
