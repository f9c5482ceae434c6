//! The Checks sheet: every finding of the round and of the writing.

use super::table::HEADER_ROW;
use super::Pack;
use crate::finding::{Finding, Severity};
use rust_xlsxwriter::{Color, Format, Worksheet, XlsxError};

impl Pack<'_, '_> {
    pub(super) fn checks(&mut self, ws: &mut Worksheet, all: &[Finding]) -> Result<(), XlsxError> {
        let t = crate::finding::Tally::of(all);
        self.title(
            ws,
            "Checks: every finding",
            &format!("{}.", crate::text::tally(t.errors, t.warnings, t.infos)),
        )?;
        let headers = [
            "Severity", "Rule", "Team", "File", "Sheet", "Cell", "Message",
        ];
        self.table(ws, "Checks", &headers, all.len())?;
        let red = Format::new().set_font_color(Color::RGB(0x9C0006));
        for (i, f) in all.iter().enumerate() {
            let r = HEADER_ROW + 1 + i as u32;
            if f.severity == Severity::Error {
                ws.write_string_with_format(r, 0, f.severity.as_str(), &red)?;
            } else {
                ws.write_string(r, 0, f.severity.as_str())?;
            }
            ws.write_string(r, 1, f.rule.id())?;
            let opt = |o: &Option<String>| o.clone().unwrap_or_default();
            for (c, value) in [
                opt(&f.team),
                opt(&f.file),
                opt(&f.sheet),
                opt(&f.cell),
                f.message.clone(),
            ]
            .iter()
            .enumerate()
            {
                self.text(ws, r, 2 + c as u16, value, "Checks")?;
            }
        }
        ws.set_column_range_width(0, 5, 14)?;
        ws.set_column_width(3, 40)?;
        ws.set_column_width(6, 100)?;
        Ok(())
    }
}
