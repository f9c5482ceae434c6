//! The Resources sheet: budget and headcount by team and track, with the
//! incremental and flat-vs-LY columns as live formulas.

use super::cells::{result, MAX_LINKS};
use super::table::{polars_err, Cols, ColumnKind, Unit, HEADER_ROW};
use super::Pack;
use crate::a1::cell_name;
use crate::model::schema;
use crate::model::HEADS_UNIT;
use crate::plan::SheetKind;
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

impl Pack<'_, '_> {
    pub(super) fn resources(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        self.title(ws, "Resources by team and track", &format!("Budget and other money in {}; headcount in heads. Incremental = Investment − Flat.", self.shared.model.reporting_currency))?;
        let n = self.frame_table(
            ws,
            "Resources",
            &self.shared.model.resources.clone(),
            &[
                (schema::TEAM, "Team", ColumnKind::Text),
                (schema::ORG, "Org", ColumnKind::Text),
                (schema::RESOURCE, "Resource", ColumnKind::Text),
                (schema::UNIT, "Unit", ColumnKind::Text),
                ("LY", "LY", ColumnKind::Num(Unit::OfRow)),
                ("Flat", "Flat", ColumnKind::Num(Unit::OfRow)),
                ("Investment", "Investment", ColumnKind::Num(Unit::OfRow)),
                (schema::INCREMENTAL, "Incremental", ColumnKind::Filled),
                (schema::FLAT_VS_LY, "Flat vs LY", ColumnKind::Filled),
                (schema::TEAM, "Source file", ColumnKind::Filled),
                (schema::SOURCE_COL_LY, "Source LY", ColumnKind::Filled),
            ],
        )?;
        // Incremental and flat-vs-LY as live formulas over the row.
        let cols = Cols::new(&self.shared.model.resources).map_err(polars_err)?;
        for i in 0..n {
            let r = HEADER_ROW + 1 + i as u32;
            let u = cols.text(schema::UNIT, i);
            let f = if u == HEADS_UNIT {
                &self.shared.fmt.count
            } else {
                &self.shared.fmt.money
            };
            let (e, fl, g) = (cell_name(r, 4), cell_name(r, 5), cell_name(r, 6));
            if let Some(v) = cols.float(schema::INCREMENTAL, i) {
                ws.write_formula_with_format(
                    r,
                    7,
                    Formula::new(format!("={g}-{fl}")).set_result(result(v)),
                    f,
                )?;
            }
            if let Some(v) = cols.float(schema::FLAT_VS_LY, i) {
                ws.write_formula_with_format(
                    r,
                    8,
                    Formula::new(format!("={fl}-{e}")).set_result(result(v)),
                    f,
                )?;
            }
            let ly = cols
                .index(schema::SOURCE_ROW, i)
                .zip(cols.index(schema::SOURCE_COL_LY, i))
                .and_then(|(row, col)| {
                    let team = cols.text(schema::TEAM, i);
                    self.shared
                        .model
                        .sources
                        .cell(team, SheetKind::Resources, row, col)
                });
            if let Some(ly) = ly {
                let cell = ly.sheet_cell();
                let target = Some(cell.as_str()).filter(|_| n <= MAX_LINKS);
                self.file_link(ws, r, 9, ly.file, target, "Resources")?;
                ws.write_string(r, 10, cell)?;
            }
        }
        ws.set_column_width(9, 36)?;
        Ok(())
    }
}
