//! The register sheets: Assumptions, Asks, Risks, Goals (shared S-2 goals)
//! and Ideas (10x). Each is a list of entries read by one generic loop,
//! [`WorkbookReader::read_register`], with a short row-builder per sheet.

use super::parse;
use super::table::{RowKind, Table};
use super::workbook::WorkbookReader;
use crate::finding::{Finding, Rule, Severity};
use crate::plan::layout::{
    ColumnSpec, ASK_COLUMNS, ASSUMPTION_COLUMNS, GOAL_COLUMNS, IDEA_COLUMNS, RISK_COLUMNS,
};
use crate::plan::{Ask, Goal, GoalStatus, Idea, Risk, SheetKind, TeamWorkbook, Val};

impl WorkbookReader<'_, '_> {
    pub(super) fn read_registers(&mut self, wb: &mut TeamWorkbook) {
        wb.assumptions = self.read_register(
            wb,
            SheetKind::Assumptions,
            ASSUMPTION_COLUMNS,
            |r, table, row| table.text(row, "Assumption", r.findings, &r.loc),
        );
        wb.asks = self.read_register(wb, SheetKind::Asks, ASK_COLUMNS, Self::ask);
        wb.risks = self.read_register(wb, SheetKind::Risks, RISK_COLUMNS, Self::risk);
        wb.goals = self.read_register(wb, SheetKind::Goals, GOAL_COLUMNS, Self::goal);
        wb.ideas = self.read_register(wb, SheetKind::Ideas, IDEA_COLUMNS, |r, table, row| {
            let question = table.text(row, "Question", r.findings, &r.loc);
            let answer = table.text(row, "Answer", r.findings, &r.loc);
            question.map(|question| Idea { question, answer })
        });
    }

    /// One register sheet: opens its table, builds an entry from each data
    /// row with `entry` (which reports its own findings and returns `None`
    /// for a row that is no entry), and counts the entries read. A sheet that
    /// is missing or has no header yields no entries and no row count.
    fn read_register<T>(
        &mut self,
        wb: &mut TeamWorkbook,
        kind: SheetKind,
        spec: &'static [ColumnSpec],
        mut entry: impl FnMut(&mut Self, &Table<'_>, u32) -> Option<T>,
    ) -> Vec<T> {
        let entries = self.with_table(kind, spec, |this, table| {
            data_rows(table)
                .into_iter()
                .filter_map(|(row, _)| entry(this, table, row))
                .collect::<Vec<T>>()
        });
        let Some(entries) = entries else {
            return Vec::new();
        };
        wb.rows_read.insert(kind, entries.len());
        entries
    }

    /// A text cell that must be one of `allowed`; anything else is a warning
    /// and the value is kept as written.
    fn choice(
        &mut self,
        table: &Table<'_>,
        row: u32,
        column: &str,
        allowed: &[&str],
    ) -> Option<Val<String>> {
        let v = table.text(row, column, self.findings, &self.loc)?;
        let lower = v.value.trim().to_ascii_lowercase();
        if allowed.contains(&lower.as_str()) {
            return Some(Val {
                value: lower,
                pos: v.pos,
            });
        }
        let f = self.loc.at(
            Finding::new(
                Rule::BadValue,
                format!(
                    "\"{column}\" must be one of {}, found \"{}\"",
                    allowed.join(", "),
                    crate::text::clip(&v.value)
                ),
            ),
            v.pos,
        );
        self.findings.push(Finding {
            severity: Severity::Warning,
            ..f
        });
        Some(v)
    }

    fn ask(&mut self, table: &Table<'_>, row: u32) -> Option<Ask> {
        let kind = self.choice(
            table,
            row,
            "Kind",
            &["headcount", "budget", "capex", "decision", "other"],
        );
        let [ask, needed_by, if_delayed] = self.cells(
            table,
            (row, ["Ask", "Needed by", "If delayed"]),
            Table::text,
        );
        let [amount] = self.cells(table, (row, ["Amount"]), Table::number);
        let ask = self.required(ask, table, (row, "Ask"), || {
            "this row has values but no ask".into()
        })?;
        Some(Ask {
            ask,
            kind,
            amount,
            needed_by,
            if_delayed,
        })
    }

    fn risk(&mut self, table: &Table<'_>, row: u32) -> Option<Risk> {
        let levels = ["high", "medium", "low"];
        let likelihood = self.choice(table, row, "Likelihood", &levels);
        let impact = self.choice(table, row, "Impact", &levels);
        let [risk, mitigation, owner] =
            self.cells(table, (row, ["Risk", "Mitigation", "Owner"]), Table::text);
        let risk = self.required(risk, table, (row, "Risk"), || {
            "this row has values but no risk".into()
        })?;
        Some(Risk {
            risk,
            likelihood,
            impact,
            mitigation,
            owner,
        })
    }

    fn goal(&mut self, table: &Table<'_>, row: u32) -> Option<Goal> {
        let [id, goal, owners, due, metric, target] = self.cells(
            table,
            (row, ["ID", "Goal", "Owners", "Due", "Metric", "Target"]),
            Table::text,
        );
        let id = self.required(id, table, (row, "ID"), || {
            "this shared goal has no ID (e.g. S2-01)".into()
        })?;
        let id = self.capped_name("shared goal's ID", id);
        let owner_list = owners
            .as_ref()
            .map(|o| parse::split_owners(&o.value))
            .unwrap_or_default();
        let [status_raw, status_note] =
            self.cells(table, (row, ["Status", "Status note"]), Table::text);
        let status = status_raw.and_then(|v| match GoalStatus::parse(&v.value) {
            Some(status) => Some(Val {
                value: status,
                pos: v.pos,
            }),
            None => {
                let allowed: Vec<&str> = GoalStatus::ALL.iter().map(|s| s.name()).collect();
                let f = self.loc.at(
                    Finding::new(
                        Rule::BadValue,
                        format!(
                            "\"Status\" must be one of {}, found \"{}\"",
                            allowed.join(", "),
                            crate::text::clip(&v.value)
                        ),
                    ),
                    v.pos,
                );
                self.findings.push(Finding {
                    severity: Severity::Warning,
                    ..f
                });
                None
            }
        });
        Some(Goal {
            id: Val {
                value: id.value.trim().to_ascii_uppercase(),
                pos: id.pos,
            },
            goal,
            owners,
            owner_list,
            due,
            metric,
            target,
            status,
            status_note,
        })
    }
}

/// Data rows of a register sheet: totals and note rows are not entries.
fn data_rows(table: &Table<'_>) -> Vec<(u32, RowKind)> {
    let single_column = table.columns.len() <= 2;
    table
        .rows()
        .into_iter()
        .filter(|(_, kind)| *kind == RowKind::Data || (single_column && *kind == RowKind::Note))
        .collect()
}
