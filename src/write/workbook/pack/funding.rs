//! The Funding sheet: investment cases ranked by ROI on the objective, under
//! the envelope and the funded spend (live).

use super::cells::result;
use super::table::{ColumnKind, Unit};
use super::Pack;
use crate::model::schema;
use crate::plan::UnitKind;
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

impl Pack<'_, '_> {
    pub(super) fn funding(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let p = &self.shared.model.params;
        let objective = p.objective.as_ref().map_or("(none)", |o| o.name.as_str());
        ws.write_string_with_format(
            0,
            0,
            "Funding: investment cases ranked by ROI on the objective",
            &self.shared.fmt.title,
        )?;
        let df = self.shared.model.funding.clone();
        let n = df.height();
        // Three lines above the table: envelope, spend (live), objective.
        ws.write_string_with_format(
            1,
            0,
            format!(
                "Objective: {objective}. Envelope and funded spend in {}.",
                self.shared.model.reporting_currency
            ),
            &self.shared.fmt.note,
        )?;
        let top = 5u32;
        ws.write_string_with_format(2, 0, "Envelope", &self.shared.fmt.bold)?;
        match p.budget {
            Some(b) => ws.write_number_with_format(2, 1, b, &self.shared.fmt.money)?,
            None => ws.write_string(2, 1, "not set")?,
        };
        ws.write_string_with_format(3, 0, "Funded spend", &self.shared.fmt.bold)?;
        let (first, last) = (top + 2, top + 1 + n.max(1) as u32);
        let spend = format!("=SUMIFS($D${first}:$D${last},$J${first}:$J${last},\"yes\")");
        ws.write_formula_with_format(
            3,
            1,
            Formula::new(spend).set_result(result(self.shared.model.spend)),
            &self.shared.fmt.money,
        )?;
        let columns = [
            (
                schema::RANK,
                "Rank",
                ColumnKind::Num(Unit::Of(UnitKind::Other)),
            ),
            (schema::TEAM, "Team", ColumnKind::Text),
            (schema::ORG, "Org", ColumnKind::Text),
            (
                schema::INCREMENTAL_BUDGET,
                "Incremental budget",
                ColumnKind::Num(Unit::Of(UnitKind::Money)),
            ),
            (
                schema::INCREMENTAL_HEADCOUNT,
                "Incremental headcount",
                ColumnKind::Num(Unit::Of(UnitKind::Other)),
            ),
            (
                schema::UPLIFT,
                "Uplift",
                ColumnKind::Num(Unit::Of(UnitKind::Money)),
            ),
            (schema::ROI, "ROI", ColumnKind::Num(Unit::Multiple)),
            (
                schema::CUMULATIVE_BUDGET,
                "Cumulative budget",
                ColumnKind::Num(Unit::Of(UnitKind::Money)),
            ),
            (
                schema::CUMULATIVE_FUNDED,
                "Cumulative funded",
                ColumnKind::Num(Unit::Of(UnitKind::Money)),
            ),
            (schema::FUNDED, "Funded", ColumnKind::Bool),
            (schema::REASON, "Why", ColumnKind::Text),
        ];
        // The table sits under the three summary lines.
        self.frame_table_at(ws, top, "Funding", &df, &columns)?;
        // Wide enough for the "Funded spend" label above the table, too.
        ws.set_column_width(0, 14)?;
        ws.set_column_width(10, 60)?;
        Ok(())
    }
}
