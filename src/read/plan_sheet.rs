//! The Plan sheet: one row per metric (unit, direction, roll-up and the five
//! tracks), duplicate metrics, and the totals rows that Plan and Resources
//! may carry.

use super::grid::{self, CellValue};
use super::table::{RowKind, Table};
use super::units::{classify_unit, currency_symbol};
use super::workbook::WorkbookReader;
use crate::finding::{Finding, Rule};
use crate::names::normalise;
use crate::plan::layout::{ColumnSpec, PLAN_COLUMNS};
use crate::plan::{
    quarters_reported, Better, Metric, Pos, Quarters, Rollup, SheetKind, TeamWorkbook, TotalsRow,
    Track, UnitKind, QUARTERS,
};
use crate::text::fmt_amount;
use std::collections::BTreeMap;

impl WorkbookReader<'_, '_> {
    pub(super) fn read_plan(&mut self, wb: &mut TeamWorkbook) {
        self.with_table(SheetKind::Plan, PLAN_COLUMNS, |this, table| {
            this.plan_rows(wb, table)
        });
    }

    fn plan_rows(&mut self, wb: &mut TeamWorkbook, table: &Table<'_>) {
        let mut seen: BTreeMap<String, Pos> = BTreeMap::new();
        let mut sums: BTreeMap<&'static str, f64> = BTreeMap::new();
        // The track columns are named as the tracks are.
        let numeric = Track::READ.map(Track::name);
        for (row, kind) in table.rows() {
            match kind {
                RowKind::Note => continue,
                RowKind::Totals => {
                    self.totals_row(wb, table, row, &numeric, &sums);
                    sums.clear();
                    continue;
                }
                RowKind::Data => {}
            }
            let Some(metric) = self.metric(table, row) else {
                continue;
            };
            for name in numeric {
                if let Some(v) = metric.track(track_of(name)) {
                    *sums.entry(name).or_default() += v.value;
                }
            }
            let key = normalise(&metric.name.value);
            if let Some(first) = seen.get(&key) {
                self.push_at(
                    Rule::DuplicateMetric,
                    metric.name.pos,
                    format!("metric \"{}\" is listed twice (first at {}); metric names must be unique in a workbook", metric.name.value, first.cell()),
                );
                continue;
            }
            seen.insert(key, metric.name.pos);
            wb.metrics.push(metric);
        }
        wb.rows_read.insert(SheetKind::Plan, wb.metrics.len());
        if wb.metrics.is_empty() {
            self.push_on(
                Rule::ValueMissing,
                SheetKind::Plan,
                "the Plan sheet lists no metrics".into(),
            );
        }
    }

    pub(super) fn totals_row(
        &mut self,
        wb: &mut TeamWorkbook,
        table: &Table<'_>,
        row: u32,
        columns: &[&'static str],
        sums: &BTreeMap<&'static str, f64>,
    ) {
        let mut values = Vec::new();
        for name in columns {
            let Some(v) = table.number(row, name, self.findings, &self.loc) else {
                continue;
            };
            let sum = sums.get(name).copied().unwrap_or(0.0);
            let tolerance =
                self.settings.checks.totals_tolerance * sum.abs().max(v.value.abs()).max(1.0);
            if (v.value - sum).abs() > tolerance {
                self.push_at(
                    Rule::TotalsRow,
                    v.pos,
                    format!(
                        "totals row says {} in column \"{name}\" but the rows above add up to {}",
                        fmt_amount(v.value),
                        fmt_amount(sum)
                    ),
                );
            }
            values.push((name.to_string(), v, sum));
        }
        wb.totals_rows.push(TotalsRow {
            sheet: table.kind,
            row,
            values,
        });
    }

    fn metric(&mut self, table: &Table<'_>, row: u32) -> Option<Metric> {
        let [name, unit, better_raw, rollup_raw, why, commentary] = self.cells(
            table,
            (
                row,
                ["Metric", "Unit", "Better", "Rollup", "Why", "Commentary"],
            ),
            Table::text,
        );
        let quarters = self.quarters(table, row);
        let [forecast] = self.cells(table, (row, ["Forecast"]), Table::number);
        let metric_numbers = self.cells(table, (row, Track::READ.map(Track::name)), Table::number);
        let name = self.required(name, table, (row, "Metric"), || {
            "this row has values but no metric name".into()
        })?;
        let name = self.capped_name("metric name", name);
        let unit = self.required(unit, table, (row, "Unit"), || {
            format!("metric \"{}\" has no unit (a currency code such as USD, %, or a unit such as customers)", name.value)
        })?;
        if let Some(code) = currency_symbol(&unit.value) {
            self.push_at(
                Rule::BadValue,
                unit.pos,
                format!("unit \"{}\" is a currency's sign or name; write its ISO code (such as {code}) so the amount can be converted", unit.value),
            );
            return None;
        }
        let (unit, unit_kind) = classify_unit(unit);
        let better = match better_raw.as_ref().map(|v| normalise(&v.value)) {
            None => Better::Higher,
            Some(b) => match b.as_str() {
                "higher" | "high" | "up" | "higherisbetter" | "max" | "increase" => Better::Higher,
                "lower" | "low" | "down" | "lowerisbetter" | "min" | "decrease" => Better::Lower,
                _ => {
                    let v = better_raw.unwrap();
                    self.push_at(
                        Rule::BadValue,
                        v.pos,
                        format!("\"Better\" must be higher or lower, found \"{}\"", v.value),
                    );
                    Better::Higher
                }
            },
        };
        let default_rollup = if unit_kind == UnitKind::Ratio {
            Rollup::Mean
        } else {
            Rollup::Sum
        };
        let (rollup, weight) = match rollup_raw.as_ref() {
            None => (default_rollup, None),
            Some(v) => match Rollup::read(&v.value) {
                Some(read) => read,
                None => {
                    self.push_at(
                        Rule::BadValue,
                        v.pos,
                        format!(
                            "\"Rollup\" must be sum, mean, weighted by <Metric> (e.g. weighted by Revenue) or none, found \"{}\"",
                            v.value
                        ),
                    );
                    (default_rollup, None)
                }
            },
        };
        let [ly_target, ly_actual, baseline, flat, investment] = metric_numbers;
        if unit_kind == UnitKind::Money {
            self.currency_marks(table, row, PLAN_COLUMNS, &unit.value);
        }
        if unit_kind == UnitKind::Ratio {
            for v in [&ly_target, &ly_actual, &baseline, &flat, &investment]
                .into_iter()
                .flatten()
            {
                if crate::plan::is_whole_percent(v.value) {
                    let f = self.loc.at(
                        Finding::new(
                            Rule::PercentWholeNumber,
                            format!(
                                "\"{}\" is a % metric but holds {}, which reads as {}%; write {}% or {}",
                                name.value,
                                grid::format_number(v.value),
                                crate::text::fmt_amount(v.value * 100.0),
                                grid::format_number(v.value),
                                grid::format_number(v.value / 100.0)
                            ),
                        ),
                        v.pos,
                    );
                    self.findings.push(f);
                }
            }
        }
        for (value, column) in [
            (&ly_actual, "LY Actual"),
            (&flat, "Flat"),
            (&investment, "Investment"),
        ] {
            if value.is_none() && table.raw(row, column).is_none() {
                self.push_at(
                    Rule::ValueMissing,
                    table.pos_of(row, column),
                    format!("\"{column}\" is blank for metric \"{}\"", name.value),
                );
            }
        }
        Some(Metric {
            name,
            unit,
            unit_kind,
            better,
            rollup,
            weight,
            ly_target,
            ly_actual,
            baseline,
            flat,
            investment,
            why,
            quarters,
            forecast,
            commentary,
        })
    }

    /// `currency-symbol`: a money cell typed with a sign or code of another
    /// currency than its row's (`¥1,000,000,000` in a USD row) would be read
    /// as that many of the row's currency.
    pub(super) fn currency_marks(
        &mut self,
        table: &Table<'_>,
        row: u32,
        columns: &[ColumnSpec],
        currency: &str,
    ) {
        for column in columns.iter().filter(|c| c.money).map(|c| c.name) {
            let Some((pos, CellValue::Text(typed))) = table.raw(row, column) else {
                continue;
            };
            let Some(means) = crate::number::currencies_typed(typed) else {
                continue;
            };
            if means.contains(&currency) {
                continue;
            }
            let read = crate::number::parse_number(typed).unwrap_or_default();
            self.push_at(
                Rule::CurrencySymbol,
                pos,
                format!(
                    "\"{}\" in column \"{column}\" is typed in another currency than the row's {currency}, and would be read as {} {currency}; type the amount in {currency}, or give the row its own currency",
                    crate::text::truncate(typed, 80),
                    fmt_amount(read)
                ),
            );
        }
    }

    /// A row's quarterly actuals; a quarter reported after a blank one is
    /// `actuals-missing` at the blank.
    pub(super) fn quarters(&mut self, table: &Table<'_>, row: u32) -> Quarters {
        let quarters = self.cells(table, (row, QUARTERS), Table::number);
        let reported = quarters_reported(&quarters);
        for (i, q) in quarters.iter().enumerate().take(reported) {
            if q.is_none() && table.raw(row, QUARTERS[i]).is_none() {
                let later = QUARTERS[reported - 1];
                self.push_at(
                    Rule::ActualsMissing,
                    table.pos_of(row, QUARTERS[i]),
                    format!(
                        "{} is blank but {later} is reported; fill in {} (a quarter with nothing to report is 0)",
                        QUARTERS[i], QUARTERS[i]
                    ),
                );
            }
        }
        quarters
    }
}

fn track_of(column: &str) -> Track {
    Track::parse(column).unwrap_or(Track::Investment)
}
