//! The Resources sheet: one row per resource (Headcount, Budget, …) with its
//! LY, Flat and Investment amounts; Headcount and Budget must be there.

use super::table::{RowKind, Table};
use super::workbook::WorkbookReader;
use crate::finding::Rule;
use crate::plan::layout::RESOURCE_COLUMNS;
use crate::plan::{Resource, SheetKind, TeamWorkbook};
use std::collections::BTreeMap;

impl WorkbookReader<'_, '_> {
    pub(super) fn read_resources(&mut self, wb: &mut TeamWorkbook) {
        self.with_table(SheetKind::Resources, RESOURCE_COLUMNS, |this, table| {
            this.resource_rows(wb, table)
        });
    }

    fn resource_rows(&mut self, wb: &mut TeamWorkbook, table: &Table<'_>) {
        let mut sums: BTreeMap<&'static str, f64> = BTreeMap::new();
        let columns = ["LY", "Flat", "Investment"];
        for (row, kind) in table.rows() {
            if kind == RowKind::Totals {
                self.totals_row(wb, table, row, &columns, &sums);
                sums.clear();
                continue;
            }
            let [name] = self.cells(table, (row, ["Resource"]), Table::text);
            let [ly, flat, investment] = self.cells(table, (row, columns), Table::number);
            let Some(name) = self.required(name, table, (row, "Resource"), || {
                "this row has values but no resource name".into()
            }) else {
                continue;
            };
            let name = self.capped_name("resource name", name);
            for (value, column) in [(&ly, "LY"), (&flat, "Flat"), (&investment, "Investment")] {
                match value {
                    Some(v) => *sums.entry(column).or_default() += v.value,
                    None if table.raw(row, column).is_none() => {
                        self.push_at(
                            Rule::ValueMissing,
                            table.pos_of(row, column),
                            format!("\"{column}\" is blank for resource \"{}\"", name.value),
                        );
                    }
                    None => {}
                }
            }
            let quarters = self.quarters(table, row);
            if !crate::plan::is_headcount_name(&name.value) {
                let currency = wb
                    .currency_or(&self.settings.reporting_currency)
                    .to_string();
                self.currency_marks(table, row, RESOURCE_COLUMNS, &currency);
            }
            wb.resources.push(Resource {
                name,
                ly,
                flat,
                investment,
                quarters,
            });
        }
        wb.rows_read
            .insert(SheetKind::Resources, wb.resources.len());
        for required in ["Headcount", "Budget"] {
            if wb.resource(required).is_none() {
                self.push_on(
                    Rule::ValueMissing,
                    SheetKind::Resources,
                    format!("the Resources sheet has no \"{required}\" row"),
                );
            }
        }
    }
}
