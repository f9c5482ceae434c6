//! The Ambition sheet: each team's implied yearly multiple against the one
//! the ambition needs, as live formulas.

use super::cells::result;
use super::table::{polars_err, Cols, ColumnKind, Unit, HEADER_ROW};
use super::Pack;
use crate::a1::cell_name;
use crate::model::schema;
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

impl Pack<'_, '_> {
    pub(super) fn ambition(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let s = &self.shared.input.settings.ambition;
        let needed = crate::model::needed_yearly_multiple(self.shared.input.settings);
        self.title(
            ws,
            &format!("Ambition: the {}× in {} years question", s.multiple, s.years),
            &format!("A {}× in {} years path needs {needed:.2}× a year. Implied = Investment ÷ LY Actual; gap = implied − needed (negative: short of the ambition).", s.multiple, s.years),
        )?;
        let df = self.shared.model.ambition.clone();
        let n = self.frame_table(
            ws,
            "Ambition",
            &df,
            &[
                (schema::TEAM, "Team", ColumnKind::Text),
                (schema::ORG, "Org", ColumnKind::Text),
                (schema::METRIC, "Metric", ColumnKind::Text),
                (schema::UNIT, "Unit", ColumnKind::Text),
                (schema::LY_ACTUAL, "LY Actual", ColumnKind::Num(Unit::OfRow)),
                (
                    schema::INVESTMENT,
                    "Investment",
                    ColumnKind::Num(Unit::OfRow),
                ),
                (
                    schema::IMPLIED_MULTIPLE,
                    "Implied multiple",
                    ColumnKind::Filled,
                ),
                (
                    schema::NEEDED_MULTIPLE,
                    "Needed multiple",
                    ColumnKind::Num(Unit::Multiple),
                ),
                (schema::GAP, "Gap (implied − needed)", ColumnKind::Filled),
            ],
        )?;
        let cols = Cols::new(&df).map_err(polars_err)?;
        for i in 0..n {
            let r = HEADER_ROW + 1 + i as u32;
            let (e, f, g, h) = (
                cell_name(r, 4),
                cell_name(r, 5),
                cell_name(r, 6),
                cell_name(r, 7),
            );
            if let Some(v) = cols.float(schema::IMPLIED_MULTIPLE, i) {
                ws.write_formula_with_format(
                    r,
                    6,
                    Formula::new(format!("=IF({e}>0,{f}/{e},\"\")")).set_result(result(v)),
                    &self.shared.fmt.multiple,
                )?;
                if let Some(gap) = cols.float(schema::GAP, i) {
                    ws.write_formula_with_format(
                        r,
                        8,
                        Formula::new(format!("={g}-{h}")).set_result(result(gap)),
                        &self.shared.fmt.multiple,
                    )?;
                }
            }
        }
        Ok(())
    }
}
