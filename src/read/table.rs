//! Finding a sheet's header row and walking its data rows: aliases, title
//! rows above the header, merged header cells, blank rows, note rows and
//! totals rows. Cell values are turned into typed values here, with a
//! finding for every cell that is not what its column needs.

use super::grid::{CellValue, Grid};
use crate::finding::{Finding, Rule};
use crate::names::normalise;
use crate::number::parse_number;
use crate::plan::{Pos, SheetKind, Val};
use std::collections::BTreeMap;

pub(crate) use crate::plan::layout::ColumnSpec;

/// How many rows from the top the header row may be in.
pub(crate) const HEADER_SEARCH_ROWS: u32 = 20;

/// A located table: where its header is and which column holds what.
#[derive(Debug)]
pub(crate) struct Table<'g> {
    pub grid: &'g Grid,
    pub kind: SheetKind,
    pub header_row: u32,
    /// Canonical column name → column index.
    pub columns: BTreeMap<&'static str, u32>,
    /// The first row after the header (and any merge hanging below it).
    pub first_data_row: u32,
}

/// Why no header row was found.
#[derive(Debug)]
pub(crate) struct HeaderMissing {
    /// The row that came closest, with the columns it did have.
    pub best_row: Option<u32>,
    pub found: Vec<&'static str>,
    pub missing: Vec<&'static str>,
}

impl HeaderMissing {
    pub(crate) fn message(&self) -> String {
        let missing = crate::text::quoted(&self.missing);
        match self.best_row {
            Some(row) => format!(
                "no header row in the first {HEADER_SEARCH_ROWS} rows has every required column: row {} has {} but not {missing}",
                row + 1,
                crate::text::quoted(&self.found)
            ),
            None => format!(
                "no header row found in the first {HEADER_SEARCH_ROWS} rows; expected columns {missing}"
            ),
        }
    }
}

/// What a row of the header zone holds, merged cells filled in.
fn header_cells(grid: &Grid, row: u32) -> BTreeMap<u32, String> {
    let mut cells: BTreeMap<u32, String> = BTreeMap::new();
    if let Some(row_cells) = grid.row(row) {
        for (c, v) in row_cells {
            if let CellValue::Text(t) = v {
                cells.insert(*c, t.clone());
            }
        }
    }
    for m in &grid.merges {
        if m.start.0 <= row && row <= m.end.0 {
            if let Some(CellValue::Text(t)) = grid.get(m.start.0, m.start.1) {
                for c in m.start.1..=m.end.1.min(m.start.1 + 256) {
                    cells.entry(c).or_insert_with(|| t.clone());
                }
            }
        }
    }
    cells
}

/// Where a header row was found, without borrowing the grid.
#[derive(Debug)]
pub(crate) struct Located {
    pub header_row: u32,
    pub columns: BTreeMap<&'static str, u32>,
    pub first_data_row: u32,
    /// Header cells that name no known column: (column, text).
    pub unknown: Vec<(u32, String)>,
}

/// Every sheet's column names and aliases, normalised once per process.
fn lookup(spec: &'static [ColumnSpec]) -> &'static BTreeMap<String, &'static str> {
    // Keyed by the sheet's first column, which is unique per sheet.
    static LOOKUPS: std::sync::OnceLock<Vec<(&'static str, BTreeMap<String, &'static str>)>> =
        std::sync::OnceLock::new();
    let all = LOOKUPS.get_or_init(|| {
        SheetKind::ALL
            .map(SheetKind::columns)
            .iter()
            .map(|spec| {
                let map = spec
                    .iter()
                    .flat_map(|c| {
                        std::iter::once(c.name)
                            .chain(c.aliases.iter().copied())
                            .map(move |n| (normalise(n), c.name))
                    })
                    .collect();
                (spec[0].name, map)
            })
            .collect()
    });
    static EMPTY: BTreeMap<String, &'static str> = BTreeMap::new();
    let key = spec.first().map(|c| c.name).unwrap_or("");
    all.iter()
        .find(|(first, _)| *first == key)
        .map(|(_, m)| m)
        .unwrap_or(&EMPTY)
}

/// Looks for the header row: the first of the top rows that names every
/// required column (by name or alias).
///
/// # Errors
/// [`HeaderMissing`] with the closest row, for the finding.
pub(crate) fn locate_header(
    grid: &Grid,
    spec: &'static [ColumnSpec],
) -> Result<Located, HeaderMissing> {
    let lookup = lookup(spec);
    let mut best: Option<(usize, u32, Vec<&'static str>)> = None;
    for row in 0..HEADER_SEARCH_ROWS {
        let cells = header_cells(grid, row);
        if cells.is_empty() {
            continue;
        }
        let mut columns: BTreeMap<&'static str, u32> = BTreeMap::new();
        let mut unknown = Vec::new();
        for (c, text) in &cells {
            match lookup.get(&normalise(text)) {
                Some(name) => {
                    columns.entry(name).or_insert(*c);
                }
                None => unknown.push((*c, text.clone())),
            }
        }
        let found: Vec<&'static str> = spec
            .iter()
            .filter(|c| columns.contains_key(c.name))
            .map(|c| c.name)
            .collect();
        let required_found = spec
            .iter()
            .filter(|c| c.required && columns.contains_key(c.name))
            .count();
        if spec
            .iter()
            .all(|c| !c.required || columns.contains_key(c.name))
        {
            let merge_end = grid
                .merges
                .iter()
                .filter(|m| m.start.0 <= row && row <= m.end.0)
                .map(|m| m.end.0)
                .max()
                .unwrap_or(row);
            return Ok(Located {
                header_row: row,
                columns,
                first_data_row: merge_end + 1,
                unknown,
            });
        }
        if required_found > 0 && best.as_ref().is_none_or(|(n, _, _)| required_found > *n) {
            best = Some((required_found, row, found));
        }
    }
    let (best_row, found) = match best {
        Some((_, row, found)) => (Some(row), found),
        None => (None, Vec::new()),
    };
    let missing = spec
        .iter()
        .filter(|c| c.required && !found.contains(&c.name))
        .map(|c| c.name)
        .collect();
    Err(HeaderMissing {
        best_row,
        found,
        missing,
    })
}

/// [`locate_header`], as a [`Table`] over the grid (the tests' shortcut).
///
/// # Errors
/// [`HeaderMissing`] with the closest row, for the finding.
#[cfg(test)]
fn find_header<'g>(
    grid: &'g Grid,
    kind: SheetKind,
    spec: &'static [ColumnSpec],
) -> Result<(Table<'g>, Vec<(u32, String)>), HeaderMissing> {
    let located = locate_header(grid, spec)?;
    Ok(Table::at(grid, kind, located))
}

impl<'g> Table<'g> {
    /// The table a located header describes.
    pub(crate) fn at(
        grid: &'g Grid,
        kind: SheetKind,
        located: Located,
    ) -> (Table<'g>, Vec<(u32, String)>) {
        let table = Table {
            grid,
            kind,
            header_row: located.header_row,
            columns: located.columns,
            first_data_row: located.first_data_row,
        };
        (table, located.unknown)
    }
}

/// What a data row turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RowKind {
    Data,
    /// The first non-blank cell starts with `Total`.
    Totals,
    /// Only the first known column has text: a note under or within the table.
    Note,
}

impl<'g> Table<'g> {
    /// The rows below the header that hold anything in a known column.
    pub(crate) fn rows(&self) -> Vec<(u32, RowKind)> {
        let known: Vec<u32> = self.columns.values().copied().collect();
        let key_col = self.columns.values().copied().min().unwrap_or(0);
        self.grid
            .rows()
            .filter(|(r, _)| *r >= self.first_data_row)
            .filter_map(|(r, cells)| {
                let first = cells.values().next()?;
                if let CellValue::Text(t) = first {
                    if t.trim_start().to_ascii_lowercase().starts_with("total") {
                        return Some((r, RowKind::Totals));
                    }
                }
                let in_known: Vec<u32> = cells
                    .keys()
                    .copied()
                    .filter(|c| known.contains(c))
                    .collect();
                match in_known.as_slice() {
                    [] => None,
                    [only] if *only == key_col && self.columns.len() > 2 => {
                        Some((r, RowKind::Note))
                    }
                    _ => Some((r, RowKind::Data)),
                }
            })
            .collect()
    }

    fn pos(&self, row: u32, col: u32) -> Pos {
        Pos {
            sheet: self.kind,
            row,
            col,
        }
    }

    /// The raw cell under a column, if the column exists and the cell holds anything.
    pub(crate) fn raw(&self, row: u32, column: &str) -> Option<(Pos, &'g CellValue)> {
        let col = *self.columns.get(column)?;
        Some((self.pos(row, col), self.grid.get(row, col)?))
    }

    /// The position of a column's cell in a row (whether or not it holds anything).
    pub(crate) fn pos_of(&self, row: u32, column: &str) -> Pos {
        let col = self.columns.get(column).copied().unwrap_or(0);
        self.pos(row, col)
    }

    /// A text cell. Numbers and dates are taken as the text they show; an
    /// Excel error value is a finding.
    pub(crate) fn text(
        &self,
        row: u32,
        column: &str,
        out: &mut Vec<Finding>,
        at: &Locator,
    ) -> Option<Val<String>> {
        let (pos, value) = self.raw(row, column)?;
        match value {
            CellValue::Error(e) => {
                out.push(at.at(
                    Finding::new(
                        Rule::ExcelError,
                        format!("column \"{column}\" holds the Excel error {e}"),
                    ),
                    pos,
                ));
                None
            }
            other => {
                let text = other.display().trim().to_string();
                (!text.is_empty()).then_some(Val { value: text, pos })
            }
        }
    }

    /// A number cell: numeric cells, cached formula results, or number-like
    /// text. Anything else is a finding that quotes the value.
    pub(crate) fn number(
        &self,
        row: u32,
        column: &str,
        out: &mut Vec<Finding>,
        at: &Locator,
    ) -> Option<Val<f64>> {
        let (pos, value) = self.raw(row, column)?;
        let problem = match value {
            CellValue::Number(n) if n.is_finite() => return Some(Val { value: *n, pos }),
            CellValue::Number(n) => format!("found the non-finite value {n}"),
            CellValue::Text(t) => match parse_number(t) {
                Some(n) => {
                    if crate::number::is_ambiguous(t) {
                        out.push(at.at(
                            Finding::new(
                                Rule::AmbiguousNumber,
                                format!(
                                    "\"{}\" in column \"{column}\" could be {} or {} (the separator means one or the other by country); it was read as {}: type the number without separators, or as a number cell",
                                    crate::text::truncate(t, 80),
                                    crate::text::fmt_amount(n),
                                    crate::text::fmt_amount(other_reading(t, n)),
                                    crate::text::fmt_amount(n)
                                ),
                            ),
                            pos,
                        ));
                    }
                    return Some(Val { value: n, pos });
                }
                None => format!("found \"{}\"", crate::text::truncate(t, 80)),
            },
            CellValue::Error(e) => {
                out.push(at.at(
                    Finding::new(
                        Rule::ExcelError,
                        format!("column \"{column}\" holds the Excel error {e}, not a number"),
                    ),
                    pos,
                ));
                return None;
            }
            CellValue::Date(d) => format!("found the date {d}"),
            CellValue::Duration(d) => format!("found the duration {d}"),
            CellValue::Bool(b) => format!("found {}", if *b { "TRUE" } else { "FALSE" }),
        };
        out.push(at.at(
            Finding::new(
                Rule::NotANumber,
                format!("expected a number in column \"{column}\", {problem}"),
            ),
            pos,
        ));
        None
    }
}

/// The other reading of an ambiguous number read as `n`: `1.200` read as
/// 1.2 could be 1,200; `1,200` read as 1,200 could be 1.2.
fn other_reading(typed: &str, n: f64) -> f64 {
    if typed.contains('.') {
        n * 1000.0
    } else {
        n / 1000.0
    }
}

/// Places findings in a workbook: file, sheet name as spelled, cell, team.
#[derive(Clone, Debug, Default)]
pub(crate) struct Locator {
    pub file: String,
    pub sheet_names: BTreeMap<SheetKind, String>,
    pub team: Option<String>,
}

impl Locator {
    /// The sheet's name as the workbook spells it.
    pub(crate) fn sheet_name(&self, kind: SheetKind) -> String {
        self.sheet_names
            .get(&kind)
            .cloned()
            .unwrap_or_else(|| kind.name().to_string())
    }

    /// Locates a finding at a cell.
    pub(crate) fn at(&self, f: Finding, pos: Pos) -> Finding {
        f.file(&self.file)
            .sheet(self.sheet_name(pos.sheet))
            .cell(pos.cell())
            .team_opt(self.team.as_deref())
    }

    /// Locates a finding on a whole sheet.
    pub(crate) fn on(&self, f: Finding, kind: SheetKind) -> Finding {
        f.file(&self.file)
            .sheet(self.sheet_name(kind))
            .team_opt(self.team.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::layout::PLAN_COLUMNS;
    use calamine::Dimensions;

    fn grid(rows: &[(u32, &[(u32, &str)])]) -> Grid {
        let mut g = Grid::new("Plan");
        for (r, cells) in rows {
            for (c, t) in *cells {
                g.set(*r, *c, CellValue::Text(t.to_string()));
            }
        }
        g
    }

    #[test]
    fn header_detection_table() {
        // (rows, expected header row or None)
        let cases: Vec<(Grid, Option<u32>)> = vec![
            (
                grid(&[(
                    0,
                    &[
                        (0, "Metric"),
                        (1, "Unit"),
                        (2, "LY Actual"),
                        (3, "Flat"),
                        (4, "Investment"),
                    ],
                )]),
                Some(0),
            ),
            (
                grid(&[
                    (0, &[(0, "Payments — OP1 FY27")]),
                    (1, &[(0, "All figures in EUR")]),
                    (
                        3,
                        &[
                            (0, "KPI"),
                            (1, "units"),
                            (2, "PY"),
                            (3, "Same resources"),
                            (4, "Stretch"),
                        ],
                    ),
                ]),
                Some(3),
            ),
            (
                grid(&[(
                    2,
                    &[
                        (1, " ly_actual "),
                        (2, "Flat:"),
                        (3, "INVESTMENT"),
                        (4, "metric"),
                        (5, "Unit"),
                    ],
                )]),
                Some(2),
            ),
            (
                grid(&[(
                    0,
                    &[
                        (0, "Metric"),
                        (1, "Unit"),
                        (2, "LY Actual"),
                        (3, "Investment"),
                    ],
                )]),
                None,
            ),
            (
                grid(&[(
                    25,
                    &[
                        (0, "Metric"),
                        (1, "Unit"),
                        (2, "LY Actual"),
                        (3, "Flat"),
                        (4, "Investment"),
                    ],
                )]),
                None,
            ),
        ];
        for (i, (g, want)) in cases.iter().enumerate() {
            let got = find_header(g, SheetKind::Plan, PLAN_COLUMNS)
                .ok()
                .map(|(t, _)| t.header_row);
            assert_eq!(got, *want, "case {i}");
        }
    }

    #[test]
    fn missing_column_is_named() {
        let g = grid(&[(
            0,
            &[
                (0, "Metric"),
                (1, "Unit"),
                (2, "LY Actual"),
                (3, "Investment"),
            ],
        )]);
        let err = find_header(&g, SheetKind::Plan, PLAN_COLUMNS).unwrap_err();
        assert_eq!(err.missing, ["Flat"]);
        assert!(err.message().contains("row 1 has"), "{}", err.message());
    }

    #[test]
    fn merged_header_cells_count_for_every_column_they_span() {
        // "Plan" spans D1:E1 above "Flat" / "Investment" in row 2; "Metric" is merged A1:A2.
        let mut g = grid(&[
            (
                0,
                &[(0, "Metric"), (1, "Unit"), (2, "LY Actual"), (3, "Plan")],
            ),
            (1, &[(3, "Flat"), (4, "Investment")]),
            (
                2,
                &[(0, "Revenue"), (1, "USD"), (2, "10"), (3, "11"), (4, "12")],
            ),
        ]);
        g.merges = vec![
            Dimensions::new((0, 0), (1, 0)),
            Dimensions::new((0, 1), (1, 1)),
            Dimensions::new((0, 2), (1, 2)),
            Dimensions::new((0, 3), (0, 4)),
        ];
        let (table, _) = find_header(&g, SheetKind::Plan, PLAN_COLUMNS).unwrap();
        assert_eq!(table.header_row, 1);
        assert_eq!(table.columns["Metric"], 0);
        assert_eq!(table.first_data_row, 2);
    }

    #[test]
    fn totals_and_note_rows() {
        let g = grid(&[
            (
                0,
                &[
                    (0, "Metric"),
                    (1, "Unit"),
                    (2, "LY Actual"),
                    (3, "Flat"),
                    (4, "Investment"),
                ],
            ),
            (
                1,
                &[(0, "Revenue"), (1, "USD"), (2, "1"), (3, "2"), (4, "3")],
            ),
            (3, &[(0, "TOTAL"), (2, "1")]),
            (4, &[(0, "* all figures in thousands")]),
            (5, &[(7, "a note far right")]),
        ]);
        let (table, _) = find_header(&g, SheetKind::Plan, PLAN_COLUMNS).unwrap();
        assert_eq!(
            table.rows(),
            vec![(1, RowKind::Data), (3, RowKind::Totals), (4, RowKind::Note)]
        );
    }
}
