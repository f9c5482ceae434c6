//! The Targets sheet (with `[targets]` only): each top-down target beside
//! its scope's LY Actual, Flat, Investment and Funded totals, and the gap of
//! Funded to the target.

use super::table::{ColumnKind, Unit};
use super::Pack;
use crate::model::schema;
use crate::plan::UnitKind;
use rust_xlsxwriter::{Worksheet, XlsxError};

impl Pack<'_, '_> {
    pub(super) fn targets(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let tolerance = self.shared.input.settings.checks.target_tolerance;
        self.title(
            ws,
            "Targets: top-down against the teams' plans",
            &format!(
                "Each target of [targets] against its scope's totals (money in {}). Gap = Funded − target; a funded plan short of its target by more than {:.1}% is a target-gap finding.",
                self.shared.model.reporting_currency,
                100.0 * tolerance
            ),
        )?;
        let df = self.shared.model.targets.clone();
        let value = |name, header| (name, header, ColumnKind::Num(Unit::OfRow));
        self.frame_table(
            ws,
            "Targets",
            &df,
            &[
                (schema::SCOPE, "Scope", ColumnKind::Text),
                (schema::METRIC, "Metric", ColumnKind::Text),
                value(schema::TARGET, "Target"),
                value(schema::LY_ACTUAL, "LY Actual"),
                value(schema::FLAT_TOTAL, "Flat"),
                value(schema::INVESTMENT, "Investment"),
                value(schema::FUNDED, "Funded"),
                value(schema::GAP, "Gap"),
                (
                    schema::GAP_PCT,
                    "Gap %",
                    ColumnKind::Num(Unit::Of(UnitKind::Ratio)),
                ),
            ],
        )?;
        ws.set_column_width(0, 24)?;
        ws.set_column_width(1, 24)?;
        Ok(())
    }
}
