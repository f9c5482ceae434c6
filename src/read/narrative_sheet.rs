//! The Narrative sheet (contract v2): the team's written plan as `Section` /
//! `Text` rows. Rows of one section are its paragraphs in order; a row with
//! a blank Section continues the section above; sections are put in reading
//! order (the known ones first, then the team's own, as they came).

use super::table::Table;
use super::workbook::WorkbookReader;
use crate::names::normalise;
use crate::plan::layout::NARRATIVE_COLUMNS;
use crate::plan::{in_reading_order, NarrativeSection, Section, SheetKind, TeamWorkbook};

impl WorkbookReader<'_, '_> {
    pub(super) fn read_narrative(&mut self, wb: &mut TeamWorkbook) {
        let Some(sections) =
            self.with_table(SheetKind::Narrative, NARRATIVE_COLUMNS, |r, table| {
                r.sections(table)
            })
        else {
            return;
        };
        wb.rows_read.insert(
            SheetKind::Narrative,
            sections.iter().map(|s| s.paragraphs.len()).sum(),
        );
        wb.narrative = in_reading_order(sections);
    }

    /// The sections of the table, in the order they first appear.
    fn sections(&mut self, table: &Table<'_>) -> Vec<NarrativeSection> {
        let mut sections: Vec<NarrativeSection> = Vec::new();
        // Every row is content: a paragraph may begin "Total…" or stand alone.
        for (row, _) in table.rows() {
            let heading = table.text(row, "Section", self.findings, &self.loc);
            let text = table.text(row, "Text", self.findings, &self.loc);
            let at = match &heading {
                Some(h) => {
                    let key = normalise(&h.value);
                    match sections
                        .iter()
                        .position(|s| normalise(&s.heading.value) == key)
                    {
                        Some(at) => at,
                        None => {
                            sections.push(NarrativeSection {
                                heading: h.clone(),
                                kind: Section::parse(&h.value),
                                paragraphs: Vec::new(),
                            });
                            sections.len() - 1
                        }
                    }
                }
                // A blank Section continues the section above.
                None => match sections.len() {
                    0 => continue,
                    n => n - 1,
                },
            };
            if let Some(text) = text.filter(|t| !t.value.trim().is_empty()) {
                sections[at].paragraphs.push(text);
            }
        }
        // A heading the template wrote with nothing under it is no section.
        sections.retain(|s| !s.paragraphs.is_empty());
        sections
    }
}
