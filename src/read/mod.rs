//! Reading a round: every discovered file, in parallel, into the typed plan
//! model, with a finding for everything that is wrong. One bad file never
//! stops the others; a panic inside a reader library becomes a finding.

pub mod grid;
pub mod parse;
pub mod table;

use crate::discover::{Discovery, InputFile};
use crate::finding::{Finding, Rule, Severity};
use crate::plan::*;
use crate::settings::Settings;
use grid::{Book, CellValue, Grid};
use parse::normalise;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use table::{ColumnSpec, Locator, RowKind, Table};

/// Told how reading goes, for a progress bar. Every method has a silent default.
pub trait Progress: Sync {
    /// Reading of `files` files begins.
    fn start(&self, _files: usize) {}
    /// One more file was read.
    fn file_done(&self) {}
    /// Reading is over.
    fn finish(&self) {}
}

/// No progress reporting.
pub struct Silent;

impl Progress for Silent {}

/// Reads every discovered file. Findings are sorted into report order.
pub fn read_round(discovery: &Discovery, settings: &Settings) -> Round {
    read_round_with(discovery, settings, &Silent)
}

/// [`read_round`], telling `progress` as each file is read.
pub fn read_round_with(
    discovery: &Discovery,
    settings: &Settings,
    progress: &dyn Progress,
) -> Round {
    progress.start(discovery.files.len());
    let results: Vec<(FileRead, Vec<Finding>)> = discovery
        .files
        .par_iter()
        .map(|input| {
            let _done = Done(progress);
            std::panic::catch_unwind(|| read_file(input, settings)).unwrap_or_else(|_| {
                let finding = Finding::new(
                    Rule::ReaderPanic,
                    "the reader crashed on this file; please report it with the file attached",
                )
                .file(&input.display);
                (empty_read(input), vec![finding])
            })
        })
        .collect();
    progress.finish();
    let mut round = Round {
        skipped: discovery.skipped.clone(),
        ..Round::default()
    };
    for (file, findings) in results {
        round.files.push(file);
        round.findings.extend(findings);
    }
    round.findings.extend(duplicate_teams(&round));
    crate::finding::sort_findings(&mut round.findings);
    round
}

/// Tells the progress a file is done when dropped, whatever happened.
struct Done<'a>(&'a dyn Progress);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.0.file_done();
    }
}

fn empty_read(input: &InputFile) -> FileRead {
    FileRead {
        input: input.clone(),
        format: None,
        bytes: 0,
        sha256: None,
        workbook: None,
    }
}

/// Two files claiming one team: an error on each, naming the other.
fn duplicate_teams(round: &Round) -> Vec<Finding> {
    let mut by_team: BTreeMap<String, Vec<&TeamWorkbook>> = BTreeMap::new();
    for wb in round.workbooks() {
        by_team.entry(normalise(wb.name())).or_default().push(wb);
    }
    let mut out = Vec::new();
    for books in by_team.values().filter(|b| b.len() > 1) {
        for wb in books {
            let others: Vec<&str> = books
                .iter()
                .filter(|o| o.file != wb.file)
                .map(|o| o.file.as_str())
                .collect();
            out.push(wb.finding_at(
                Rule::DuplicateTeam,
                wb.team.pos,
                format!(
                    "team \"{}\" is also claimed by {}; team names must be unique across the round",
                    wb.name(),
                    others.join(", ")
                ),
            ));
        }
    }
    out
}

/// Reads one file: opens it within the limits, then reads each sheet.
pub fn read_file(input: &InputFile, settings: &Settings) -> (FileRead, Vec<Finding>) {
    let mut read = empty_read(input);
    let unreadable =
        |rule: Rule, message: String| vec![Finding::new(rule, message).file(&input.display)];
    if input.format.is_none() {
        let ext = input
            .path
            .extension()
            .map(|e| e.to_string_lossy().to_string())
            .unwrap_or_default();
        return (read, unreadable(Rule::FileUnreadable, format!("not a spreadsheet extension (\".{ext}\"); op1 reads xlsx, xlsm, xlsb, xls and ods")));
    }
    let bytes = match grid::read_bytes(&input.path, &settings.limits) {
        Ok(bytes) => bytes,
        Err(e) => return (read, unreadable(rule_for(&e), e.to_string())),
    };
    read.bytes = bytes.len() as u64;
    read.sha256 = Some(hex(&Sha256::digest(&bytes)));
    let (mut book, format) = match grid::open(&bytes, &settings.limits) {
        Ok(opened) => opened,
        Err(e) => return (read, unreadable(rule_for(&e), e.to_string())),
    };
    read.format = Some(format);
    let mut findings = Vec::new();
    read.workbook = Some(WorkbookReader::new(input, &mut book, settings, &mut findings).read());
    (read, findings)
}

fn rule_for(e: &grid::OpenError) -> Rule {
    match e {
        grid::OpenError::Encrypted => Rule::FileEncrypted,
        grid::OpenError::TooLarge { .. } | grid::OpenError::PartTooLarge { .. } => {
            Rule::FileTooLarge
        }
        _ => Rule::FileUnreadable,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sheet-name aliases, beyond the canonical name.
fn sheet_aliases(kind: SheetKind) -> &'static [&'static str] {
    match kind {
        SheetKind::Team => &["Team info", "About"],
        SheetKind::Plan => &["Plans", "Metrics", "KPIs"],
        SheetKind::Resources => &["Resource"],
        SheetKind::Assumptions => &["Assumption"],
        SheetKind::Asks => &["Ask", "Resource asks"],
        SheetKind::Risks => &["Risk", "Risks and mitigations"],
        SheetKind::Goals => &["Goal", "Shared goals", "S2 goals", "S-2 goals"],
        SheetKind::Ideas => &["Idea", "10x", "10x ideas", "10x thinking"],
    }
}

/// Reads the sheets of one open workbook into a [`TeamWorkbook`].
struct WorkbookReader<'a, 'b> {
    input: &'a InputFile,
    book: &'a mut Book<'b>,
    settings: &'a Settings,
    findings: &'a mut Vec<Finding>,
    loc: Locator,
    columns: BTreeMap<SheetKind, BTreeMap<&'static str, u32>>,
}

impl<'a, 'b> WorkbookReader<'a, 'b> {
    fn new(
        input: &'a InputFile,
        book: &'a mut Book<'b>,
        settings: &'a Settings,
        findings: &'a mut Vec<Finding>,
    ) -> Self {
        let names = book.sheet_names();
        let mut sheet_names = BTreeMap::new();
        for kind in SheetKind::ALL {
            let wanted: BTreeSet<String> = std::iter::once(kind.name())
                .chain(sheet_aliases(kind).iter().copied())
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

    fn push_at(&mut self, rule: Rule, pos: Pos, message: String) {
        let f = self.loc.at(Finding::new(rule, message), pos);
        self.findings.push(f);
    }

    fn push_on(&mut self, rule: Rule, kind: SheetKind, message: String) {
        let f = self.loc.on(Finding::new(rule, message), kind);
        self.findings.push(f);
    }

    /// Loads a sheet's grid, or reports why it cannot.
    fn grid(&mut self, kind: SheetKind) -> Option<Grid> {
        let Some(name) = self.loc.sheet_names.get(&kind).cloned() else {
            if kind.required() {
                let f = Finding::new(
                    Rule::SheetMissing,
                    format!(
                        "the workbook has no \"{}\" sheet (sheets: {})",
                        kind.name(),
                        self.book.sheet_names().join(", ")
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
                    grid::SheetError::Corrupt(_) => Rule::FileUnreadable,
                };
                self.push_on(rule, kind, e.to_string());
                None
            }
        }
    }

    /// Locates a sheet's table, loading merged cells only if the plain
    /// header search fails.
    fn table<'g>(
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
                for (col, text) in unknown {
                    let pos = Pos {
                        sheet: kind,
                        row: table.header_row,
                        col,
                    };
                    self.push_at(
                        Rule::ColumnUnknown,
                        pos,
                        format!(
                            "column \"{}\" is not part of the {} sheet and is ignored",
                            table::truncate(&text, 60),
                            kind.name()
                        ),
                    );
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

    fn read(mut self) -> TeamWorkbook {
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
        wb.sheet_names = self.loc.sheet_names.clone();
        wb.columns = std::mem::take(&mut self.columns);
        wb
    }

    fn read_team_sheet(&mut self, wb: &mut TeamWorkbook) {
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
            let key = match normalise(label).as_str() {
                "team" | "teamname" => "Team",
                "owner" | "leader" | "accountableleader" => "Owner",
                "org" | "organisation" | "organization" | "orgpath" => "Org",
                "currency" | "teamcurrency" => "Currency",
                "fiscalyear" | "fy" => "Fiscal year",
                _ => continue,
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
        match text("Team") {
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
        wb.owner = text("Owner");
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
        wb.org = text("Org").map(|v| Val {
            value: normalise_org(&v.value),
            pos: v.pos,
        });
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
                    format!(
                        "currency must be an ISO-4217 code such as USD or EUR, found \"{}\"",
                        cur.value
                    ),
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

    fn read_plan(&mut self, wb: &mut TeamWorkbook) {
        let Some(mut grid) = self.grid(SheetKind::Plan) else {
            return;
        };
        let Some(table) = self.table(&mut grid, SheetKind::Plan, table::PLAN_COLUMNS) else {
            return;
        };
        let mut seen: BTreeMap<String, Pos> = BTreeMap::new();
        let mut sums: BTreeMap<&'static str, f64> = BTreeMap::new();
        let numeric = ["LY Target", "LY Actual", "Baseline", "Flat", "Investment"];
        for (row, kind) in table.rows() {
            match kind {
                RowKind::Note => continue,
                RowKind::Totals => {
                    self.totals_row(wb, &table, row, &numeric, &sums);
                    sums.clear();
                    continue;
                }
                RowKind::Data => {}
            }
            let Some(metric) = self.metric(&table, row) else {
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

    fn totals_row(
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
        let at = &self.loc;
        let f = &mut *self.findings;
        let name = table.text(row, "Metric", f, at);
        let unit = table.text(row, "Unit", f, at);
        let better_raw = table.text(row, "Better", f, at);
        let rollup_raw = table.text(row, "Rollup", f, at);
        let mut metric_numbers = [None, None, None, None, None];
        for (slot, column) in metric_numbers.iter_mut().zip([
            "LY Target",
            "LY Actual",
            "Baseline",
            "Flat",
            "Investment",
        ]) {
            *slot = table.number(row, column, f, at);
        }
        let why = table.text(row, "Why", f, at);
        let Some(name) = name else {
            self.push_at(
                Rule::ValueMissing,
                table.pos_of(row, "Metric"),
                "this row has values but no metric name".into(),
            );
            return None;
        };
        let Some(unit) = unit else {
            self.push_at(Rule::ValueMissing, table.pos_of(row, "Unit"), format!("metric \"{}\" has no unit (a currency code such as USD, %, or a unit such as customers)", name.value));
            return None;
        };
        if let Some(code) = currency_symbol(&unit.value) {
            self.push_at(
                Rule::BadValue,
                unit.pos,
                format!("unit \"{}\" is a currency symbol; write the ISO code (such as {code}) so the amount can be converted", unit.value),
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
        let rollup = match rollup_raw.as_ref().map(|v| normalise(&v.value)) {
            None => default_rollup,
            Some(r) => match r.as_str() {
                "sum" | "total" => Rollup::Sum,
                "mean" | "average" | "avg" => Rollup::Mean,
                "none" | "n/a" | "na" => Rollup::None,
                _ => {
                    let v = rollup_raw.unwrap();
                    self.push_at(
                        Rule::BadValue,
                        v.pos,
                        format!(
                            "\"Rollup\" must be sum, mean or none, found \"{}\"",
                            v.value
                        ),
                    );
                    default_rollup
                }
            },
        };
        let [ly_target, ly_actual, baseline, flat, investment] = metric_numbers;
        if unit_kind == UnitKind::Ratio {
            for v in [&ly_target, &ly_actual, &baseline, &flat, &investment]
                .into_iter()
                .flatten()
            {
                if v.value.abs() > 10.0 {
                    let f = self.loc.at(
                        Finding::new(
                            Rule::BadValue,
                            format!(
                                "\"{}\" is a % metric but holds {}, which reads as {}%; write {}% or {}",
                                name.value,
                                grid::format_number(v.value),
                                grid::format_number(v.value * 100.0),
                                grid::format_number(v.value),
                                grid::format_number(v.value / 100.0)
                            ),
                        ),
                        v.pos,
                    );
                    self.findings.push(Finding {
                        severity: Severity::Warning,
                        ..f
                    });
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
            ly_target,
            ly_actual,
            baseline,
            flat,
            investment,
            why,
        })
    }

    fn read_resources(&mut self, wb: &mut TeamWorkbook) {
        let Some(mut grid) = self.grid(SheetKind::Resources) else {
            return;
        };
        let Some(table) = self.table(&mut grid, SheetKind::Resources, table::RESOURCE_COLUMNS)
        else {
            return;
        };
        let mut sums: BTreeMap<&'static str, f64> = BTreeMap::new();
        let columns = ["LY", "Flat", "Investment"];
        for (row, kind) in table.rows() {
            if kind == RowKind::Totals {
                self.totals_row(wb, &table, row, &columns, &sums);
                sums.clear();
                continue;
            }
            let at = &self.loc;
            let f = &mut *self.findings;
            let name = table.text(row, "Resource", f, at);
            let ly = table.number(row, "LY", f, at);
            let flat = table.number(row, "Flat", f, at);
            let investment = table.number(row, "Investment", f, at);
            let Some(name) = name else {
                self.push_at(
                    Rule::ValueMissing,
                    table.pos_of(row, "Resource"),
                    "this row has values but no resource name".into(),
                );
                continue;
            };
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
            wb.resources.push(Resource {
                name,
                ly,
                flat,
                investment,
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

    fn read_registers(&mut self, wb: &mut TeamWorkbook) {
        if let Some(mut grid) = self.grid(SheetKind::Assumptions) {
            if let Some(table) =
                self.table(&mut grid, SheetKind::Assumptions, table::ASSUMPTION_COLUMNS)
            {
                for (row, _) in data_rows(&table) {
                    if let Some(a) = table.text(row, "Assumption", self.findings, &self.loc) {
                        wb.assumptions.push(a);
                    }
                }
                wb.rows_read
                    .insert(SheetKind::Assumptions, wb.assumptions.len());
            }
        }
        if let Some(mut grid) = self.grid(SheetKind::Asks) {
            if let Some(table) = self.table(&mut grid, SheetKind::Asks, table::ASK_COLUMNS) {
                for (row, _) in data_rows(&table) {
                    if let Some(ask) = self.ask(&table, row) {
                        wb.asks.push(ask);
                    }
                }
                wb.rows_read.insert(SheetKind::Asks, wb.asks.len());
            }
        }
        if let Some(mut grid) = self.grid(SheetKind::Risks) {
            if let Some(table) = self.table(&mut grid, SheetKind::Risks, table::RISK_COLUMNS) {
                for (row, _) in data_rows(&table) {
                    if let Some(risk) = self.risk(&table, row) {
                        wb.risks.push(risk);
                    }
                }
                wb.rows_read.insert(SheetKind::Risks, wb.risks.len());
            }
        }
        if let Some(mut grid) = self.grid(SheetKind::Goals) {
            if let Some(table) = self.table(&mut grid, SheetKind::Goals, table::GOAL_COLUMNS) {
                for (row, _) in data_rows(&table) {
                    if let Some(goal) = self.goal(&table, row) {
                        wb.goals.push(goal);
                    }
                }
                wb.rows_read.insert(SheetKind::Goals, wb.goals.len());
            }
        }
        if let Some(mut grid) = self.grid(SheetKind::Ideas) {
            if let Some(table) = self.table(&mut grid, SheetKind::Ideas, table::IDEA_COLUMNS) {
                for (row, _) in data_rows(&table) {
                    let question = table.text(row, "Question", self.findings, &self.loc);
                    let answer = table.text(row, "Answer", self.findings, &self.loc);
                    if let Some(question) = question {
                        wb.ideas.push(Idea { question, answer });
                    }
                }
                wb.rows_read.insert(SheetKind::Ideas, wb.ideas.len());
            }
        }
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
                    v.value
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
        let at = &self.loc;
        let f = &mut *self.findings;
        let ask = table.text(row, "Ask", f, at);
        let amount = table.number(row, "Amount", f, at);
        let needed_by = table.text(row, "Needed by", f, at);
        let if_delayed = table.text(row, "If delayed", f, at);
        let Some(ask) = ask else {
            self.push_at(
                Rule::ValueMissing,
                table.pos_of(row, "Ask"),
                "this row has values but no ask".into(),
            );
            return None;
        };
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
        let at = &self.loc;
        let f = &mut *self.findings;
        let risk = table.text(row, "Risk", f, at);
        let mitigation = table.text(row, "Mitigation", f, at);
        let owner = table.text(row, "Owner", f, at);
        let Some(risk) = risk else {
            self.push_at(
                Rule::ValueMissing,
                table.pos_of(row, "Risk"),
                "this row has values but no risk".into(),
            );
            return None;
        };
        Some(Risk {
            risk,
            likelihood,
            impact,
            mitigation,
            owner,
        })
    }

    fn goal(&mut self, table: &Table<'_>, row: u32) -> Option<Goal> {
        let at = &self.loc;
        let f = &mut *self.findings;
        let id = table.text(row, "ID", f, at);
        let goal = table.text(row, "Goal", f, at);
        let owners = table.text(row, "Owners", f, at);
        let due = table.text(row, "Due", f, at);
        let metric = table.text(row, "Metric", f, at);
        let target = table.text(row, "Target", f, at);
        let Some(id) = id else {
            self.push_at(
                Rule::ValueMissing,
                table.pos_of(row, "ID"),
                "this shared goal has no ID (e.g. S2-01)".into(),
            );
            return None;
        };
        let owner_list = owners
            .as_ref()
            .map(|o| parse::split_owners(&o.value))
            .unwrap_or_default();
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

fn track_of(column: &str) -> Track {
    match column {
        "LY Target" => Track::LyTarget,
        "LY Actual" => Track::LyActual,
        "Baseline" => Track::Baseline,
        "Flat" => Track::Flat,
        _ => Track::Investment,
    }
}

/// The ISO code a bare currency symbol most likely means, for the message.
fn currency_symbol(unit: &str) -> Option<&'static str> {
    match unit.trim() {
        "$" | "US$" => Some("USD"),
        "€" => Some("EUR"),
        "£" => Some("GBP"),
        "¥" => Some("JPY"),
        "₹" => Some("INR"),
        _ => None,
    }
}

/// Tells money (`USD`), ratios (`%`) and other units apart.
pub fn classify_unit(unit: Val<String>) -> (Val<String>, UnitKind) {
    let trimmed = unit.value.trim();
    let upper = trimmed.to_ascii_uppercase();
    if crate::currency::is_iso_code(&upper) {
        return (
            Val {
                value: upper,
                pos: unit.pos,
            },
            UnitKind::Money,
        );
    }
    if matches!(
        trimmed.to_ascii_lowercase().as_str(),
        "%" | "pct" | "percent" | "percentage" | "ratio"
    ) {
        return (
            Val {
                value: "%".to_string(),
                pos: unit.pos,
            },
            UnitKind::Ratio,
        );
    }
    (
        Val {
            value: trimmed.to_string(),
            pos: unit.pos,
        },
        UnitKind::Other,
    )
}

/// An org path without stray spaces around its slashes: `Consumer / Payments` → `Consumer/Payments`.
pub fn normalise_org(org: &str) -> String {
    org.split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// A number with thousands separators, as finance people write it.
pub fn fmt_amount(n: f64) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let abs = rounded.abs();
    let int = abs.trunc() as u64;
    let frac = ((abs - abs.trunc()) * 100.0).round() as u64;
    let digits = int.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if frac > 0 {
        out.push_str(&format!(".{frac:02}"));
    }
    if negative {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(fmt_amount(1_234_567.0), "1,234,567");
        assert_eq!(fmt_amount(-1200.5), "-1,200.50");
        assert_eq!(fmt_amount(0.0), "0");
        assert_eq!(fmt_amount(999.0), "999");
    }

    #[test]
    fn units() {
        let pos = Pos {
            sheet: SheetKind::Plan,
            row: 0,
            col: 0,
        };
        let kind = |u: &str| {
            classify_unit(Val {
                value: u.to_string(),
                pos,
            })
            .1
        };
        assert_eq!(kind("usd"), UnitKind::Money);
        assert_eq!(kind("EUR"), UnitKind::Money);
        assert_eq!(kind("%"), UnitKind::Ratio);
        assert_eq!(kind("NPS"), UnitKind::Other);
        assert_eq!(kind("customers"), UnitKind::Other);
    }

    #[test]
    fn org_paths() {
        assert_eq!(normalise_org(" Consumer / Payments "), "Consumer/Payments");
        assert_eq!(normalise_org("Platform//Data/"), "Platform/Data");
    }
}
