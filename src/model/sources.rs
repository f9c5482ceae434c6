//! Where each team's values came from: its file and its sheets as the
//! workbook spells them. The model's tables carry only the row and column of
//! each value (and the team); this small map completes the cell, so no table
//! repeats a file name on every row.

use crate::plan::{SheetKind, TeamWorkbook};
use crate::provenance::Source;
use std::collections::BTreeMap;

/// A team's file and sheet names.
#[derive(Clone, Debug, PartialEq, Eq)]
struct TeamSource {
    file: String,
    sheets: BTreeMap<SheetKind, String>,
}

/// Team name → where its workbook is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TeamSources {
    by_team: BTreeMap<String, TeamSource>,
}

impl TeamSources {
    /// The sources of the workbooks in the model.
    pub(crate) fn of(workbooks: &[&TeamWorkbook]) -> TeamSources {
        let by_team = workbooks
            .iter()
            .map(|wb| {
                let sheets = SheetKind::ALL
                    .into_iter()
                    .map(|kind| (kind, wb.sheet_name(kind).to_string()))
                    .collect();
                let source = TeamSource {
                    file: wb.file.clone(),
                    sheets,
                };
                (wb.name().to_string(), source)
            })
            .collect();
        TeamSources { by_team }
    }

    /// How many teams the model holds.
    pub fn len(&self) -> usize {
        self.by_team.len()
    }

    /// Whether the model holds no team.
    pub fn is_empty(&self) -> bool {
        self.by_team.is_empty()
    }

    /// The file a team's workbook was read from.
    pub fn file(&self, team: &str) -> Option<&str> {
        Some(self.by_team.get(team)?.file.as_str())
    }

    /// The cell at zero-based (`row`, `col`) of a team's `sheet`.
    pub fn cell(&self, team: &str, sheet: SheetKind, row: u32, col: u32) -> Option<Source<'_>> {
        let team = self.by_team.get(team)?;
        Some(Source {
            file: &team.file,
            sheet: team.sheets.get(&sheet)?,
            row,
            col,
        })
    }
}
