//! The Team sheet: a label/value list (Team, Owner, Org, Currency, Fiscal
//! year), read by label whatever row it is in.

use super::grid::CellValue;
use super::parse;
use super::units::normalise_org;
use super::workbook::WorkbookReader;
use crate::finding::Rule;
use crate::names::normalise;
use crate::plan::layout::TEAM_FIELDS;
use crate::plan::MAX_ORG_LEVELS;
use crate::plan::{Pos, SheetKind, TeamWorkbook, Val};
use std::collections::BTreeMap;

/// The Team sheet field a label names (by name or alias), if any.
fn field_named(label: &str) -> Option<&'static str> {
    let label = normalise(label);
    TEAM_FIELDS
        .iter()
        .find(|f| {
            std::iter::once(f.name)
                .chain(f.aliases.iter().copied())
                .any(|n| normalise(n) == label)
        })
        .map(|f| f.name)
}

impl WorkbookReader<'_, '_> {
    pub(super) fn read_team_sheet(&mut self, wb: &mut TeamWorkbook) {
        let Some(grid) = self.grid(SheetKind::Team) else {
            return;
        };
        let mut labels: BTreeMap<&'static str, Val<CellValue>> = BTreeMap::new();
        let mut label_pos: BTreeMap<&'static str, Pos> = BTreeMap::new();
        for (row, cells) in grid.rows() {
            let mut iter = cells.iter();
            let Some((label_col, CellValue::Text(label))) = iter.next() else {
                continue;
            };
            let Some(key) = field_named(label) else {
                continue;
            };
            label_pos.entry(key).or_insert(Pos {
                sheet: SheetKind::Team,
                row,
                col: label_col + 1,
            });
            if let Some((col, value)) = iter.next() {
                labels.entry(key).or_insert(Val {
                    value: value.clone(),
                    pos: Pos {
                        sheet: SheetKind::Team,
                        row,
                        col: *col,
                    },
                });
            }
        }
        wb.rows_read.insert(SheetKind::Team, labels.len());
        let text = |key: &str| {
            labels
                .get(key)
                .map(|v| Val {
                    value: v.value.display().trim().to_string(),
                    pos: v.pos,
                })
                .filter(|v| !v.value.is_empty())
        };
        match text("Team").map(|t| self.capped_name("team name", t)) {
            Some(team) => {
                self.loc.team = Some(team.value.clone());
                wb.team = team;
            }
            None => {
                let pos = label_pos.get("Team").copied().unwrap_or(Pos {
                    sheet: SheetKind::Team,
                    row: 0,
                    col: 1,
                });
                wb.team.pos = pos;
                self.push_at(
                    Rule::ValueMissing,
                    pos,
                    "the team's name is missing (label \"Team\" with the name beside it)".into(),
                );
            }
        }
        wb.owner = text("Owner").map(|o| self.capped_name("owner's name", o));
        if wb.owner.is_none() {
            let pos = label_pos.get("Owner").copied().unwrap_or(Pos {
                sheet: SheetKind::Team,
                row: 1,
                col: 1,
            });
            self.push_at(
                Rule::ValueMissing,
                pos,
                "the accountable owner is missing (label \"Owner\")".into(),
            );
        }
        wb.org = text("Org").map(|v| self.org_path(v));
        if let Some(cur) = text("Currency") {
            let code = cur.value.to_ascii_uppercase();
            if crate::currency::is_iso_code(&code) {
                wb.currency = Some(Val {
                    value: code,
                    pos: cur.pos,
                });
            } else {
                self.push_at(
                    Rule::BadValue,
                    cur.pos,
                    match crate::currency::nearest_code(&cur.value) {
                        Some(near) => format!(
                            "currency must be an ISO-4217 code, found \"{}\"; did you mean {near}?",
                            cur.value
                        ),
                        None => format!(
                            "currency must be a 3-letter ISO-4217 code (USD, EUR, JPY, …), found \"{}\"",
                            cur.value
                        ),
                    },
                );
            }
        }
        if let Some(fy) = labels.get("Fiscal year") {
            let year = match &fy.value {
                CellValue::Number(n) if n.fract() == 0.0 => {
                    parse::parse_fiscal_year(&format!("{n}"))
                }
                CellValue::Text(t) => parse::parse_fiscal_year(t),
                _ => None,
            };
            match year {
                Some(y) => {
                    wb.fiscal_year = Some(Val {
                        value: y,
                        pos: fy.pos,
                    })
                }
                None => self.push_at(
                    Rule::BadValue,
                    fy.pos,
                    format!(
                        "expected a fiscal year such as 2027 or FY27, found \"{}\"",
                        fy.value.display()
                    ),
                ),
            }
        }
    }

    /// The Org cell as a path (`Consumer / Payments` → `Consumer/Payments`),
    /// at most [`MAX_ORG_LEVELS`] levels of at most
    /// [`crate::plan::MAX_NAME_CHARS`] characters each; beyond either, a
    /// `bad-value` error that quotes the start, and the path cut to fit.
    fn org_path(&mut self, org: Val<String>) -> Val<String> {
        let path = normalise_org(&org.value);
        let levels: Vec<&str> = path.split('/').collect();
        if levels.len() > MAX_ORG_LEVELS {
            self.push_at(
                Rule::BadValue,
                org.pos,
                format!(
                    "the org path has {} levels (\"{}\"); op1 rolls up at most {MAX_ORG_LEVELS}: write the path from the top of the org to the team, e.g. Consumer/Payments",
                    crate::text::fmt_amount(levels.len() as f64),
                    crate::text::clip(&path)
                ),
            );
        }
        let mut kept = Vec::with_capacity(levels.len().min(MAX_ORG_LEVELS));
        for level in levels.into_iter().take(MAX_ORG_LEVELS) {
            let level = Val {
                value: level.to_string(),
                pos: org.pos,
            };
            kept.push(self.capped_name("org level name", level).value);
        }
        Val {
            value: kept.join("/"),
            pos: org.pos,
        }
    }
}
