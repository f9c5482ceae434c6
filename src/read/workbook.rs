//! The reader of one open workbook: finds each sheet by its name or an
//! alias, loads its grid, locates its table (header row and columns), places
//! findings, and calls each sheet's reader in turn. The sheets' own readers
//! live in `team_sheet.rs`, `plan_sheet.rs`, `resources_sheet.rs` and
//! `registers.rs`.

use super::grid::{self, Book, Grid};
use super::table::{self, ColumnSpec, Locator, Table};
use crate::discover::InputFile;
use crate::finding::{Finding, Rule};
use crate::names::normalise;
use crate::plan::{Pos, SheetKind, TeamWorkbook, Val};
use crate::settings::Settings;
use std::collections::{BTreeMap, BTreeSet};

/// How [`WorkbookReader::cells`] reads one typed cell.
pub(super) type CellReader<'g, T> =
    fn(&Table<'g>, u32, &str, &mut Vec<Finding>, &Locator) -> Option<Val<T>>;

/// Reads the sheets of one open workbook into a [`TeamWorkbook`].
pub(super) struct WorkbookReader<'a, 'b> {
    input: &'a InputFile,
    book: &'a mut Book<'b>,
    pub(super) settings: &'a Settings,
    pub(super) findings: &'a mut Vec<Finding>,
    pub(super) loc: Locator,
    columns: BTreeMap<SheetKind, BTreeMap<&'static str, u32>>,
}

impl<'a, 'b> WorkbookReader<'a, 'b> {
    pub(super) fn new(
        input: &'a InputFile,
        book: &'a mut Book<'b>,
        settings: &'a Settings,
        findings: &'a mut Vec<Finding>,
    ) -> Self {
        let names = book.sheet_names();
        let mut sheet_names = BTreeMap::new();
        for kind in SheetKind::ALL {
            let wanted: BTreeSet<String> = std::iter::once(kind.name())
                .chain(kind.aliases().iter().copied())
                .map(normalise)
                .collect();
            if let Some(name) = names.iter().find(|n| wanted.contains(&normalise(n))) {
                sheet_names.insert(kind, name.clone());
            }
        }
        let loc = Locator {
            file: input.display.clone(),
            sheet_names,
            team: None,
        };
        WorkbookReader {
            input,
            book,
            settings,
            findings,
            loc,
            columns: BTreeMap::new(),
        }
    }

    pub(super) fn push_at(&mut self, rule: Rule, pos: Pos, message: String) {
        let f = self.loc.at(Finding::new(rule, message), pos);
        self.findings.push(f);
    }

    /// The cells of `columns` in `row`, each read by `cell` — `Table::text`
    /// or `Table::number`, which place a finding for a cell of the wrong type.
    pub(super) fn cells<'g, T, const N: usize>(
        &mut self,
        table: &Table<'g>,
        (row, columns): (u32, [&str; N]),
        cell: CellReader<'g, T>,
    ) -> [Option<Val<T>>; N] {
        columns.map(|c| cell(table, row, c, self.findings, &self.loc))
    }

    /// `value`, or — when it is blank — `None` and a `value-missing` finding
    /// at `column` of `row` saying `message`.
    pub(super) fn required<T>(
        &mut self,
        value: Option<T>,
        table: &Table<'_>,
        (row, column): (u32, &str),
        message: impl FnOnce() -> String,
    ) -> Option<T> {
        if value.is_none() {
            self.push_at(Rule::ValueMissing, table.pos_of(row, column), message());
        }
        value
    }

    /// `name` (what the cell holds: "team name", "metric name", …) as read,
    /// or — longer than [`crate::plan::MAX_NAME_CHARS`] — cut to that length
    /// with a `bad-value` error quoting its start, so that no later stage
    /// repeats a page of text in every row, label and message.
    pub(super) fn capped_name(&mut self, what: &str, name: Val<String>) -> Val<String> {
        let max = crate::plan::MAX_NAME_CHARS;
        let chars = name.value.chars().count();
        if chars <= max {
            return name;
        }
        self.push_at(
            Rule::BadValue,
            name.pos,
            format!(
                "the {what} is {} characters long (\"{}\"); op1 takes names of up to {max} characters: shorten it (a description belongs in Commentary or the narrative)",
                crate::text::fmt_amount(chars as f64),
                crate::text::clip(&name.value)
            ),
        );
        Val {
            value: name.value.chars().take(max).collect(),
            pos: name.pos,
        }
    }

    /// Opens a sheet's table and hands it to `read`; `None` when the sheet
    /// is missing or has no header (each already a finding).
    pub(super) fn with_table<R>(
        &mut self,
        kind: SheetKind,
        spec: &'static [ColumnSpec],
        read: impl FnOnce(&mut Self, &Table<'_>) -> R,
    ) -> Option<R> {
        let mut grid = self.grid(kind)?;
        let table = self.table(&mut grid, kind, spec)?;
        Some(read(self, &table))
    }

    pub(super) fn push_on(&mut self, rule: Rule, kind: SheetKind, message: String) {
        let f = self.loc.on(Finding::new(rule, message), kind);
        self.findings.push(f);
    }

    /// Loads a sheet's grid, or reports why it cannot.
    pub(super) fn grid(&mut self, kind: SheetKind) -> Option<Grid> {
        let Some(name) = self.loc.sheet_names.get(&kind).cloned() else {
            if kind.required() {
                let sheets = self.book.sheet_names();
                let hint = crate::names::closest(kind.name(), sheets.iter().map(String::as_str))
                    .map(|near| {
                        format!(
                            "; did you mean \"{near}\"? Rename it to \"{}\"",
                            kind.name()
                        )
                    })
                    .unwrap_or_default();
                let f = Finding::new(
                    Rule::SheetMissing,
                    format!(
                        "the workbook has no \"{}\" sheet (sheets: {}){hint}",
                        kind.name(),
                        sheets.join(", ")
                    ),
                )
                .file(&self.input.display)
                .team_opt(self.loc.team.as_deref());
                self.findings.push(f);
            }
            return None;
        };
        match self.book.load(&name, &self.settings.limits) {
            Ok(grid) => Some(grid),
            Err(e) => {
                let rule = match e {
                    grid::SheetError::TooLarge { .. } => Rule::SheetTooLarge,
                    grid::SheetError::Corrupt(_) | grid::SheetError::Damaged(_) => {
                        Rule::FileUnreadable
                    }
                };
                self.push_on(rule, kind, e.to_string());
                None
            }
        }
    }

    /// Locates a sheet's table, loading merged cells only if the plain
    /// header search fails.
    pub(super) fn table<'g>(
        &mut self,
        grid: &'g mut Grid,
        kind: SheetKind,
        spec: &'static [ColumnSpec],
    ) -> Option<Table<'g>> {
        // Merged cells cost a second pass over the sheet: load them only when
        // the plain search finds no header.
        let mut located = table::locate_header(grid, spec);
        if located.is_err() {
            self.book.load_merges(grid);
            located = table::locate_header(grid, spec);
        }
        let grid: &'g Grid = grid;
        match located.map(|l| Table::at(grid, kind, l)) {
            Ok((table, unknown)) => {
                self.columns.insert(kind, table.columns.clone());
                // A column op1 lacks, under a header it does not know: most
                // likely the same column, renamed.
                let missing: Vec<&str> = spec
                    .iter()
                    .map(|c| c.name)
                    .filter(|name| !table.columns.contains_key(name))
                    .collect();
                for (col, text) in unknown {
                    let pos = Pos {
                        sheet: kind,
                        row: table.header_row,
                        col,
                    };
                    let shown = crate::text::truncate(&text, 60);
                    match crate::names::closest(&text, missing.iter().copied()) {
                        Some(meant) => self.push_at(
                            Rule::ColumnMisnamed,
                            pos,
                            format!(
                                "column \"{shown}\" is not one op1 knows and the {} sheet has no \"{meant}\" column: did you mean \"{meant}\"? Rename the header, or its values are not read",
                                kind.name()
                            ),
                        ),
                        None => self.push_at(
                            Rule::ColumnUnknown,
                            pos,
                            format!(
                                "column \"{shown}\" is not part of the {} sheet and is ignored",
                                kind.name()
                            ),
                        ),
                    }
                }
                Some(table)
            }
            Err(missing) => {
                let message = missing.message();
                match missing.best_row {
                    Some(row) => self.push_at(
                        Rule::HeaderMissing,
                        Pos {
                            sheet: kind,
                            row,
                            col: 0,
                        },
                        message,
                    ),
                    None => self.push_on(Rule::HeaderMissing, kind, message),
                }
                None
            }
        }
    }

    pub(super) fn read(mut self) -> TeamWorkbook {
        let first_finding = self.findings.len();
        let stem = self
            .input
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let team = Val {
            value: stem,
            pos: Pos {
                sheet: SheetKind::Team,
                row: 0,
                col: 1,
            },
        };
        let mut wb = TeamWorkbook::new(self.input.display.clone(), team);
        self.read_team_sheet(&mut wb);
        self.read_plan(&mut wb);
        self.read_resources(&mut wb);
        self.read_registers(&mut wb);
        self.read_narrative(&mut wb);
        self.explain_unsaved_formulas(first_finding);
        wb.sheet_names = self.loc.sheet_names.clone();
        wb.columns = std::mem::take(&mut self.columns);
        wb.shrink_to_fit();
        wb
    }

    /// A required cell that reads blank may hold a formula whose result was
    /// never saved (a file written by a script, or saved without
    /// calculating): its `value-missing` finding says so and how to fix it,
    /// instead of calling the cell blank. Formulas are read only for such cells.
    fn explain_unsaved_formulas(&mut self, from: usize) {
        let book = &mut *self.book;
        for f in self.findings[from..]
            .iter_mut()
            .filter(|f| f.rule == Rule::ValueMissing)
        {
            let (Some(sheet), Some(cell)) = (&f.sheet, &f.cell) else {
                continue;
            };
            let Some((row, col)) = crate::a1::parse_a1(cell) else {
                continue;
            };
            if let Some(formula) = book.formula_at(sheet, row, col) {
                f.message = format!(
                    "{cell} holds a formula whose result was not saved (={}): open the file in Excel or LibreOffice and save it, so that its values are stored",
                    crate::text::clip(&formula)
                );
            }
        }
    }
}
