//! Where a value came from: the file, the sheet as the workbook spells it and
//! the cell. Provenance travels as these parts — through the model's tables
//! (each row's team, `source_row` and `source_col`; the team's file and
//! sheets in `model::TeamSources`) to the writers, which make links from
//! them — and becomes text (`file › Sheet!F7`) only where a person reads it.

use crate::a1::{cell_name, quote_sheet};
use std::fmt;

/// The cell a value was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source<'a> {
    /// The file as shown in findings (relative to where op1 was run).
    pub file: &'a str,
    /// The sheet as the workbook spells it.
    pub sheet: &'a str,
    /// Zero-based row.
    pub row: u32,
    /// Zero-based column.
    pub col: u32,
}

impl Source<'_> {
    /// The A1 address, e.g. `F7`.
    pub fn cell(&self) -> String {
        cell_name(self.row, self.col)
    }

    /// The cell within its workbook, as Excel writes it: `Plan!F7`, `'My plan'!F7`.
    pub fn sheet_cell(&self) -> String {
        format!("{}!{}", quote_sheet(self.sheet), self.cell())
    }
}

/// `file › Sheet!F7`.
impl fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} › {}", self.file, self.sheet_cell())
    }
}

/// How the source of a blank Baseline reads: it is LY Actual's cell, and says so.
pub(crate) const BLANK_BASELINE: &str = "blank; equals LY Actual at ";

/// Appends a source to `out` as a person reads it, saying when the value was
/// taken from another cell because its own was blank (`blank` is true).
pub(crate) fn describe_into(out: &mut String, source: Source<'_>, blank: bool) {
    use std::fmt::Write;
    if blank {
        out.push_str(BLANK_BASELINE);
    }
    // Writing to a String cannot fail.
    let _ = write!(out, "{source}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_file_sheet_and_cell() {
        let s = Source {
            file: "consumer/payments at home.xlsx",
            sheet: "My plan",
            row: 6,
            col: 5,
        };
        assert_eq!(s.cell(), "F7");
        assert_eq!(s.sheet_cell(), "'My plan'!F7");
        assert_eq!(
            s.to_string(),
            "consumer/payments at home.xlsx › 'My plan'!F7"
        );
        let mut out = String::new();
        describe_into(&mut out, s, true);
        assert_eq!(
            out,
            "blank; equals LY Actual at consumer/payments at home.xlsx › 'My plan'!F7"
        );
    }
}
