//! The Funding sheet: investment cases ranked by ROI on the objective, under
//! the envelope and the funded spend (live).

use super::cells::result;
use super::table::{ColumnKind, Unit};
use super::Pack;
use crate::model::schema;
use crate::model::Uplift;
use crate::plan::UnitKind;
use crate::settings::Method;
use crate::text::fmt_amount;
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
                "Objective: {objective}. Envelope and funded spend in {}. {}",
                self.shared.model.reporting_currency,
                method_note(p.method, &self.shared.model.uplift),
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
        // Each case's budget times the share of it funded (1, 0, or a
        // share decided in the room).
        let spend = format!("=SUMPRODUCT($D${first}:$D${last},$K${first}:$K${last})");
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
            (
                schema::FRACTION,
                "Share funded",
                ColumnKind::Num(Unit::Of(UnitKind::Ratio)),
            ),
            (schema::DECISION, "Decision", ColumnKind::Text),
            (schema::WHY, "Why", ColumnKind::Text),
        ];
        // The table sits under the three summary lines.
        self.frame_table_at(ws, top, "Funding", &df, &columns)?;
        // Wide enough for the "Funded spend" label above the table, too.
        ws.set_column_width(0, 14)?;
        ws.set_column_width(10, 13)?;
        ws.set_column_width(11, 10)?;
        ws.set_column_width(12, 60)?;
        Ok(())
    }
}

/// How the funded set was chosen, and with `optimal` what ranking would
/// have left on the table for the same envelope.
fn method_note(method: Method, uplift: &Uplift) -> String {
    match method {
        Method::Ranked => "Method: ranked (cases decided in the room first, then by ROI while they fit).".into(),
        Method::Optimal if uplift.regret() > 0.0 => format!(
            "Method: optimal (the set with the most uplift within every limit): {} of uplift, where ranking by ROI would fund {} (regret {}).",
            fmt_amount(uplift.chosen),
            fmt_amount(uplift.ranked),
            fmt_amount(uplift.regret()),
        ),
        Method::Optimal => format!(
            "Method: optimal (the set with the most uplift within every limit): {} of uplift, as ranking by ROI funds.",
            fmt_amount(uplift.chosen),
        ),
    }
}
