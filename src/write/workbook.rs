//! The exec pack: one workbook a finance lead can defend. Totals are live
//! formulas over the Teams sheet with their results cached, every team value
//! links back to the cell it came from, and the Sources sheet reconciles
//! what was read with what the pack shows.

use crate::a1::{cell_name, column_letters};
use crate::finding::{Finding, Rule, Severity};
use crate::model::{bools, floats, strings, Model};
use crate::plan::{SheetKind, TeamWorkbook, Track};
use crate::run::Checked;
use polars::prelude::DataFrame;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartSolidFill, ChartType, Color, ConditionalFormatFormula, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Table, TableColumn, Url, Workbook,
    Worksheet, XlsxError,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The pack's sheets, in order.
pub const SHEETS: [&str; 12] = [
    "Summary",
    "Teams",
    "Resources",
    "Funding",
    "Ambition",
    "Goals",
    "Assumptions",
    "Asks",
    "Risks",
    "Ideas",
    "Checks",
    "Sources",
];

/// Excel's limits.
const MAX_CELL_CHARS: usize = 32_767;
const MAX_ROWS: usize = 1_048_576;
const MAX_LINKS: usize = 65_530;

/// Where tables start: a title row, a note row, then the header.
const HEADER_ROW: u32 = 2;

/// Deflate level of the pack: level 2 writes about twice as fast as the
/// default 6 for a file about a fifth larger (1.9 → 2.3 MB at 1,000 teams).
pub const ZIP_LEVEL: u8 = 2;

/// The cached-result text of a number, as Excel writes it.
fn result(n: f64) -> String {
    if n.is_finite() {
        format!("{n}")
    } else {
        String::new()
    }
}

/// An Excel string literal for SUMIFS criteria: exact match, wildcards escaped.
fn criteria(value: &str) -> String {
    let escaped = value
        .replace('~', "~~")
        .replace('*', "~*")
        .replace('?', "~?")
        .replace('"', "\"\"");
    format!("\"={escaped}\"")
}

struct Formats {
    title: Format,
    note: Format,
    header: Format,
    money: Format,
    ratio: Format,
    count: Format,
    decimal: Format,
    multiple: Format,
    bold: Format,
    link: Format,
}

impl Formats {
    /// Every format, in a fixed order.
    fn all(&self) -> [&Format; 10] {
        [
            &self.title,
            &self.note,
            &self.header,
            &self.money,
            &self.ratio,
            &self.count,
            &self.decimal,
            &self.multiple,
            &self.bold,
            &self.link,
        ]
    }

    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x1F3864))
                .set_font_color(Color::White)
                .set_border_bottom(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            money: Format::new().set_num_format("#,##0;[Red]-#,##0"),
            ratio: Format::new().set_num_format("0.0%;[Red]-0.0%"),
            // Excel shows a trailing "." for `#,##0.##` on whole numbers, so
            // whole and fractional counts get formats of their own.
            count: Format::new().set_num_format("#,##0;[Red]-#,##0"),
            decimal: Format::new().set_num_format("#,##0.00;[Red]-#,##0.00"),
            multiple: Format::new().set_num_format("0.00\"×\""),
            bold: Format::new().set_bold(),
            link: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
        }
    }

    /// The format for a value of a unit kind: counts with decimals only when they have them.
    fn num(&self, unit_kind: &str, v: f64) -> &Format {
        match unit_kind {
            "money" | "ratio" => self.for_unit(unit_kind),
            _ if v.fract() != 0.0 => &self.decimal,
            _ => &self.count,
        }
    }

    fn for_unit(&self, unit_kind: &str) -> &Format {
        match unit_kind {
            "money" => &self.money,
            "ratio" => &self.ratio,
            _ => &self.count,
        }
    }
}

/// Writes the pack. Returns findings about the writing itself (truncated
/// cells, reconciliation failures), which also appear on its Checks sheet.
///
/// # Errors
/// [`XlsxError`] when the workbook cannot be built.
pub fn build_pack(
    out_dir: &Path,
    checked: &Checked,
    model: &Model,
) -> Result<(Vec<u8>, Vec<Finding>), XlsxError> {
    build_sheets(out_dir, checked, model)?.save()
}

/// The pack with every sheet filled, not yet zipped.
pub struct BuiltPack {
    workbook: Workbook,
    /// Findings about the writing (truncated cells, reconciliation failures).
    pub findings: Vec<Finding>,
}

impl BuiltPack {
    /// Zips the workbook (one core): the xlsx file's bytes and the findings.
    ///
    /// # Errors
    /// [`XlsxError`] when the workbook cannot be assembled.
    pub fn save(self) -> Result<(Vec<u8>, Vec<Finding>), XlsxError> {
        let mut bytes = Vec::new();
        let findings = self.save_into(&mut bytes)?;
        Ok((bytes, findings))
    }

    /// Zips the workbook (one core) straight into `path`, atomically; returns
    /// the findings.
    ///
    /// # Errors
    /// [`XlsxError`] when the workbook cannot be assembled or written.
    pub fn save_to(self, path: &Path) -> Result<Vec<Finding>, XlsxError> {
        let mut findings = Vec::new();
        super::atomic_write_with(path, |w| {
            findings = self.save_into(w)?;
            Ok::<_, XlsxError>(())
        })?;
        Ok(findings)
    }

    fn save_into(self, out: impl std::io::Write + Send) -> Result<Vec<Finding>, XlsxError> {
        let BuiltPack {
            mut workbook,
            findings,
        } = self;
        workbook.save_to_writer(out)?;
        // Freeing a big workbook's cell tables takes a while; let another thread do it.
        rayon::spawn(move || drop(workbook));
        Ok(findings)
    }
}

/// Fills every sheet of the pack, on all cores; [`BuiltPack::save`] zips it.
///
/// # Errors
/// [`XlsxError`] when a sheet cannot be built.
pub fn build_sheets(
    out_dir: &Path,
    checked: &Checked,
    model: &Model,
) -> Result<BuiltPack, XlsxError> {
    let wide = Cols::new(&model.wide).map_err(polars_err)?;
    let wide_index = (0..model.wide.height()).fold(
        BTreeMap::<String, BTreeMap<String, usize>>::new(),
        |mut index, i| {
            index
                .entry(wide.s("team", i).to_string())
                .or_default()
                .insert(wide.s("metric_key", i).to_string(), i);
            index
        },
    );
    let shared = Shared {
        wide,
        wide_index,
        checked,
        model,
        fmt: Formats::new(),
        links: Links::new(out_dir, checked),
    };
    let teams = TeamsLayout::new(shared.teams_rows());
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(ZIP_LEVEL);
    wb.set_properties(
        &DocProperties::new()
            .set_title("OP1 exec pack")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?),
    );
    // The sheets that grow with the round stream their rows to a temporary
    // file as they are written ("constant memory"), so the pack's memory does
    // not grow with the number of teams: Teams, Sources and the registers.
    let mut big = Vec::new();
    for _ in 0..6 {
        big.push(wb.new_worksheet_with_constant_memory()?);
    }
    // Constant-memory sheets share the workbook's format table, which numbers
    // formats in the order they are first used. Registering every format up
    // front keeps that order fixed however the threads below interleave; the
    // sheets therefore use only the formats in `Formats`.
    for format in shared.fmt.all() {
        wb.register_format(format);
    }
    let [teams_ws, sources_ws, registers @ ..] = big.as_mut_slice() else {
        unreachable!("six sheets made above")
    };
    // Teams on one core; Sources, the registers and the small sheets on the
    // other. Each task keeps its own findings, merged in a fixed order.
    let (first, (second, third)) = rayon::join(
        || -> Result<_, XlsxError> {
            let mut pack = Pack::new(&shared);
            pack.fill(teams_ws, "Teams", Pack::teams)?;
            Ok(pack.findings)
        },
        || {
            rayon::join(
                || -> Result<_, XlsxError> {
                    let mut pack = Pack::new(&shared);
                    pack.fill(sources_ws, "Sources", |p, ws| p.sources(ws, &teams))?;
                    pack.registers(registers)?;
                    Ok(pack.findings)
                },
                || -> Result<_, XlsxError> {
                    let mut pack = Pack::new(&shared);
                    let sheets = vec![
                        pack.sheet("Summary", |p, ws| p.summary(ws, &teams))?,
                        pack.sheet("Resources", Pack::resources)?,
                        pack.sheet("Funding", Pack::funding)?,
                        pack.sheet("Ambition", Pack::ambition)?,
                        pack.sheet("Goals", Pack::goals)?,
                    ];
                    Ok((sheets, pack.findings))
                },
            )
        },
    );
    let mut findings = first?;
    findings.extend(second?);
    let (sheets, more_findings) = third?;
    findings.extend(more_findings);
    findings.extend(shared.reconcile());
    let mut pack = Pack::new(&shared);
    pack.findings = findings;
    let mut all = checked.findings.clone();
    all.extend(pack.findings.iter().cloned());
    crate::finding::sort_findings(&mut all);
    let checks = pack.sheet("Checks", |p, ws| p.checks(ws, &all))?;

    // In SHEETS order: Summary, Teams, Resources … Goals, the registers, Checks, Sources.
    let mut big = big.into_iter();
    let (teams_ws, sources_ws) = (big.next(), big.next());
    let mut ordered: Vec<Worksheet> = sheets;
    ordered.splice(1..1, teams_ws);
    ordered.extend(big);
    ordered.push(checks);
    ordered.extend(sources_ws);
    for ws in ordered {
        wb.push_worksheet(ws);
    }
    wb.worksheet_from_name("Summary")?.set_active(true);
    Ok(BuiltPack {
        workbook: wb,
        findings: pack.findings,
    })
}

/// What every sheet reads: the round, the model and the formats.
struct Shared<'a> {
    /// The model's team × metric table, read once, and its rows by team and metric key.
    wide: Cols,
    wide_index: BTreeMap<String, BTreeMap<String, usize>>,
    checked: &'a Checked,
    model: &'a Model,
    fmt: Formats,
    links: Links,
}

impl<'a> Shared<'a> {
    /// The workbooks in the pack: those without errors.
    fn included(&self) -> Vec<&'a TeamWorkbook> {
        let checked: &'a Checked = self.checked;
        let bad = checked.round.files_with_errors();
        checked
            .round
            .workbooks()
            .filter(|wb| !bad.contains(&wb.file))
            .collect()
    }

    /// The team × metric row of the model for a metric named as read.
    fn wide_row(&self, team: &str, metric: &str) -> Option<usize> {
        let key = crate::read::parse::normalise(metric);
        self.wide_index.get(team)?.get(&key).copied()
    }

    /// Every as-read value must equal what the model carries (in the file's
    /// currency); a difference is an error finding.
    fn reconcile(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for wb in self.included() {
            for m in &wb.metrics {
                let Some(i) = self.wide_row(wb.name(), &m.name.value) else {
                    out.push(wb.finding_at(
                        Rule::Reconcile,
                        m.name.pos,
                        format!(
                            "metric \"{}\" was read but is missing from the pack",
                            m.name.value
                        ),
                    ));
                    continue;
                };
                for track in [
                    Track::LyTarget,
                    Track::LyActual,
                    Track::Baseline,
                    Track::Flat,
                    Track::Investment,
                ] {
                    let Some(v) = m.track(track) else { continue };
                    let shown = self.wide.f(&format!("{} (team currency)", track.name()), i);
                    if shown.is_none_or(|s| (s - v.value).abs() > 1e-9 * v.value.abs().max(1.0)) {
                        out.push(wb.finding_at(
                            Rule::Reconcile,
                            v.pos,
                            format!(
                                "\"{}\" {} reads {} but the pack shows {:?}",
                                m.name.value,
                                track.name(),
                                v.value,
                                shown
                            ),
                        ));
                    }
                }
            }
        }
        out
    }

    /// How many rows the Teams sheet holds (Excel's row limit permitting).
    fn teams_rows(&self) -> usize {
        self.model
            .wide
            .height()
            .min(MAX_ROWS - HEADER_ROW as usize - 2)
    }
}

/// Builds sheets from the shared inputs, collecting findings about the writing.
struct Pack<'s, 'a> {
    shared: &'s Shared<'a>,
    findings: Vec<Finding>,
}

impl<'a> std::ops::Deref for Pack<'_, 'a> {
    type Target = Shared<'a>;
    fn deref(&self) -> &Shared<'a> {
        self.shared
    }
}

/// Where the Teams sheet put things, for the formulas that point at it.
struct TeamsLayout {
    /// First and last data row (0-based); `None` when there are no rows.
    rows: Option<(u32, u32)>,
    /// Column of each header.
    col: BTreeMap<&'static str, u16>,
}

impl TeamsLayout {
    /// The layout of a Teams sheet of `n` data rows.
    fn new(n: usize) -> TeamsLayout {
        TeamsLayout {
            rows: (n > 0).then(|| (HEADER_ROW + 1, HEADER_ROW + n as u32)),
            col: TEAMS_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, h)| (*h, i as u16))
                .collect(),
        }
    }

    /// `Teams!$H$4:$H$80` for a column.
    fn range(&self, header: &str) -> String {
        let (first, last) = self.rows.unwrap_or((HEADER_ROW + 1, HEADER_ROW + 1));
        let c = column_letters(self.col[header] as u32);
        format!("Teams!${c}${}:${c}${}", first + 1, last + 1)
    }
}

const TEAMS_COLUMNS: [&str; 25] = [
    "Team",
    "Org",
    "Metric",
    "Unit",
    "Better",
    "Rollup",
    "LY Target",
    "LY Actual",
    "Baseline",
    "Flat",
    "Investment",
    "Funded",
    "Δ Funded vs LY",
    "Δ % vs LY",
    "Favourable",
    "LY hit",
    "Currency",
    "FX rate",
    "Source file",
    "Source LY Target",
    "Source LY Actual",
    "Source Baseline",
    "Source Flat",
    "Source Investment",
    "Source Funded",
];

impl<'s, 'a> Pack<'s, 'a> {
    fn new(shared: &'s Shared<'a>) -> Self {
        Pack {
            shared,
            findings: Vec::new(),
        }
    }

    /// A new worksheet called `name`, filled by `fill`.
    fn sheet<T>(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut Self, &mut Worksheet) -> Result<T, XlsxError>,
    ) -> Result<Worksheet, XlsxError> {
        let mut ws = Worksheet::new();
        self.fill(&mut ws, name, fill)?;
        Ok(ws)
    }

    /// Names `ws` and fills it with `fill`.
    fn fill<T>(
        &mut self,
        ws: &mut Worksheet,
        name: &str,
        fill: impl FnOnce(&mut Self, &mut Worksheet) -> Result<T, XlsxError>,
    ) -> Result<(), XlsxError> {
        ws.set_name(name)?;
        fill(self, ws)?;
        Ok(())
    }

    fn text(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        value: &str,
        sheet: &str,
    ) -> Result<(), XlsxError> {
        if value.chars().count() > MAX_CELL_CHARS {
            let cut: String = value.chars().take(MAX_CELL_CHARS - 1).collect();
            ws.write_string(row, col, format!("{cut}…"))?;
            self.findings.push(
                Finding::new(
                    Rule::CellTruncated,
                    format!(
                        "a text of {} characters was cut to Excel's 32,767 in the pack",
                        value.chars().count()
                    ),
                )
                .sheet(sheet)
                .cell(cell_name(row, col as u32)),
            );
        } else if !value.is_empty() {
            ws.write_string(row, col, value)?;
        }
        Ok(())
    }

    fn title(&self, ws: &mut Worksheet, title: &str, note: &str) -> Result<(), XlsxError> {
        ws.write_string_with_format(0, 0, title, &self.fmt.title)?;
        ws.write_string_with_format(1, 0, note, &self.fmt.note)?;
        Ok(())
    }

    /// An Excel table over `rows` data rows starting under [`HEADER_ROW`].
    fn table(
        &self,
        ws: &mut Worksheet,
        name: &str,
        headers: &[&str],
        rows: usize,
    ) -> Result<(), XlsxError> {
        self.table_at(ws, HEADER_ROW, name, headers, rows)
    }

    /// An Excel table whose header is in row `top`.
    fn table_at(
        &self,
        ws: &mut Worksheet,
        top: u32,
        name: &str,
        headers: &[&str],
        rows: usize,
    ) -> Result<(), XlsxError> {
        let columns: Vec<TableColumn> = headers
            .iter()
            .map(|h| TableColumn::new().set_header(*h))
            .collect();
        let last_row = top + rows.max(1) as u32;
        ws.add_table(
            top,
            0,
            last_row,
            headers.len() as u16 - 1,
            &Table::new().set_name(name).set_columns(&columns),
        )?;
        ws.set_freeze_panes(top + 1, 0)?;
        ws.set_row_format(top, &self.fmt.header)?;
        Ok(())
    }

    fn teams(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let w = &self.model.wide;
        let n = self.teams_rows();
        if n < w.height() {
            self.findings.push(
                Finding::new(
                    Rule::CellTruncated,
                    format!(
                        "the Teams sheet holds the first {n} of {} rows (Excel's row limit)",
                        w.height()
                    ),
                )
                .sheet("Teams"),
            );
        }
        // One link per row (to the row's first source cell) keeps the sheet
        // within Excel's link limit and the pack small; the Source columns
        // name every value's cell in that file.
        let linked = n <= MAX_LINKS;
        let note = if linked {
            format!(
                "Money in {}. Source file links to the team's workbook; each Source column names the cell its value was read from.",
                self.model.reporting_currency
            )
        } else {
            format!(
                "Money in {}. Excel allows {MAX_LINKS} links per sheet, so Source file is text; each Source column names the cell its value was read from.",
                self.model.reporting_currency
            )
        };
        self.title(ws, "Teams: every metric of every team, by track", &note)?;
        self.table(ws, "Teams", &TEAMS_COLUMNS, n)?;
        let cols = Cols::new(w).map_err(polars_err)?;
        let source_keys = Track::ALL.map(|t| format!("source {}", t.name()));
        for i in 0..n {
            let r = HEADER_ROW + 1 + i as u32;
            let unit_kind = cols.s("unit_kind", i);
            let shared = self.shared;
            let num_fmt = shared.fmt.for_unit(unit_kind);
            for (c, key) in [
                (0, "team"),
                (1, "org"),
                (2, "metric_name"),
                (3, "unit"),
                (4, "better"),
                (5, "rollup"),
            ] {
                self.text(ws, r, c, cols.s(key, i), "Teams")?;
            }
            for (c, track) in Track::ALL.iter().enumerate() {
                if let Some(v) = cols.f(track.name(), i) {
                    ws.write_number_with_format(r, 6 + c as u16, v, self.fmt.num(unit_kind, v))?;
                }
            }
            let (ly, funded) = (cols.f("LY Actual", i), cols.f("Funded", i));
            if let (Some(ly), Some(funded)) = (ly, funded) {
                let (h, l) = (cell_name(r, 7), cell_name(r, 11));
                ws.write_formula_with_format(
                    r,
                    12,
                    Formula::new(format!("={l}-{h}")).set_result(result(funded - ly)),
                    num_fmt,
                )?;
                let pct = if ly != 0.0 {
                    result((funded - ly) / ly.abs())
                } else {
                    String::new()
                };
                ws.write_formula_with_format(
                    r,
                    13,
                    Formula::new(format!("=IF({h}=0,\"\",({l}-{h})/ABS({h}))")).set_result(pct),
                    &self.fmt.ratio,
                )?;
                let better_is_lower = cols.s("better", i) == "lower";
                let favourable = if better_is_lower {
                    funded <= ly
                } else {
                    funded >= ly
                };
                ws.write_string(r, 14, if favourable { "yes" } else { "no" })?;
            }
            match cols.b("ly_hit", i) {
                Some(true) => ws.write_string(r, 15, "hit")?,
                Some(false) => ws.write_string(r, 15, "missed")?,
                None => ws,
            };
            self.text(ws, r, 16, cols.s("currency", i), "Teams")?;
            if let Some(rate) = cols.f("rate", i) {
                ws.write_number(r, 17, rate)?;
            }
            let sources: Vec<&str> = source_keys.iter().map(|k| cols.s(k, i)).collect();
            let file = sources
                .iter()
                .find_map(|s| split_source(s).map(|(_, f, _)| f));
            if let Some(file) = file {
                // Link to the LY Actual cell when there is one, else the first source.
                let cell = [1, 0, 2, 3, 4, 5]
                    .iter()
                    .find_map(|&t| split_source(sources[t]).map(|(_, _, c)| c));
                self.file_link(ws, r, 18, file, cell.filter(|_| linked), "Teams")?;
            }
            for (c, source) in sources.iter().enumerate() {
                let short: std::borrow::Cow<str> = match split_source(source) {
                    Some(("", f, cell)) if Some(f) == file => cell.into(),
                    Some((prefix, f, cell)) if Some(f) == file => format!("{prefix}{cell}").into(),
                    _ => (*source).into(),
                };
                self.text(ws, r, 19 + c as u16, &short, "Teams")?;
            }
        }
        for (c, width) in [
            (0u16, 18.0),
            (1, 22.0),
            (2, 22.0),
            (3, 10.0),
            (4, 8.0),
            (5, 8.0),
        ] {
            ws.set_column_width(c, width)?;
        }
        ws.set_column_range_width(6, 13, 14)?;
        ws.set_column_width(18, 36)?;
        ws.set_column_range_width(19, 24, 16)?;
        if n > 0 {
            let (first, last) = (HEADER_ROW + 1, HEADER_ROW + n as u32);
            let red = Format::new()
                .set_font_color(Color::RGB(0x9C0006))
                .set_background_color(Color::RGB(0xFFC7CE));
            let green = Format::new()
                .set_font_color(Color::RGB(0x006100))
                .set_background_color(Color::RGB(0xC6EFCE));
            let r0 = first + 1;
            let bad =
                format!("=OR(AND($E{r0}=\"higher\",$M{r0}<0),AND($E{r0}=\"lower\",$M{r0}>0))");
            let good =
                format!("=OR(AND($E{r0}=\"higher\",$M{r0}>0),AND($E{r0}=\"lower\",$M{r0}<0))");
            ws.add_conditional_format(
                first,
                12,
                last,
                13,
                &ConditionalFormatFormula::new()
                    .set_rule(bad.as_str())
                    .set_format(red),
            )?;
            ws.add_conditional_format(
                first,
                12,
                last,
                13,
                &ConditionalFormatFormula::new()
                    .set_rule(good.as_str())
                    .set_format(green),
            )?;
        }
        Ok(())
    }

    /// Writes `file` at (r, c), as a link to `cell` of that file when given.
    fn file_link(
        &mut self,
        ws: &mut Worksheet,
        r: u32,
        c: u16,
        file: &str,
        cell: Option<&str>,
        sheet: &str,
    ) -> Result<(), XlsxError> {
        match cell.and_then(|cell| self.links.url(file, cell)) {
            Some(url) => {
                ws.write_url_with_format(r, c, Url::new(url).set_text(file), &self.fmt.link)?;
                Ok(())
            }
            None => self.text(ws, r, c, file, sheet),
        }
    }

    fn summary(&mut self, ws: &mut Worksheet, teams: &TeamsLayout) -> Result<(), XlsxError> {
        let fy = self
            .checked
            .settings
            .fiscal_year
            .map(|y| format!("FY{y} "))
            .unwrap_or_default();
        let included = self
            .model
            .wide
            .column("team")
            .map(|c| c.n_unique().unwrap_or(0))
            .unwrap_or(0);
        self.title(
            ws,
            &format!("OP1 {fy}exec summary"),
            &format!(
                "{included} teams; money in {}. Totals are live formulas over the Teams sheet (SUMIFS / AVERAGEIFS by each metric's roll-up rule).",
                self.model.reporting_currency
            ),
        )?;
        let headers = [
            "Metric",
            "Unit",
            "Rollup",
            "LY Actual",
            "Baseline",
            "Flat",
            "Investment",
            "Funded",
            "Δ Funded vs LY",
            "Δ % vs LY",
        ];
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(HEADER_ROW, c as u16, *h, &self.fmt.header)?;
        }
        let r = &self.model.rollup;
        let (scope, metric, unit, rollup, track, value) = (
            strings(r, "scope").map_err(polars_err)?,
            strings(r, "metric").map_err(polars_err)?,
            strings(r, "unit").map_err(polars_err)?,
            strings(r, "rollup").map_err(polars_err)?,
            strings(r, "track").map_err(polars_err)?,
            floats(r, "value").map_err(polars_err)?,
        );
        let mut order: Vec<String> = Vec::new();
        let mut totals: BTreeMap<(String, String), f64> = BTreeMap::new();
        let mut meta: BTreeMap<String, (String, String)> = BTreeMap::new();
        for i in 0..scope.len() {
            if scope[i] != "All" {
                continue;
            }
            if !order.contains(&metric[i]) {
                order.push(metric[i].clone());
            }
            meta.insert(metric[i].clone(), (unit[i].clone(), rollup[i].clone()));
            if let Some(v) = value[i] {
                totals.insert((metric[i].clone(), track[i].clone()), v);
            }
        }
        let mut row = HEADER_ROW + 1;
        let mut rows_of: BTreeMap<String, u32> = BTreeMap::new();
        for m in &order {
            let (unit, rollup) = &meta[m];
            let num_fmt = self.fmt.for_unit(unit_kind_of(unit)).clone();
            self.text(ws, row, 0, m, "Summary")?;
            ws.write_string(row, 1, unit)?;
            ws.write_string(row, 2, rollup)?;
            let func = if rollup == "mean" {
                "AVERAGEIFS"
            } else {
                "SUMIFS"
            };
            for (c, t) in ["LY Actual", "Baseline", "Flat", "Investment", "Funded"]
                .iter()
                .enumerate()
            {
                let cached = totals.get(&(m.clone(), t.to_string())).copied();
                let f = format!(
                    "={func}({},{},{})",
                    teams.range(t),
                    teams.range("Metric"),
                    criteria(m)
                );
                ws.write_formula_with_format(
                    row,
                    3 + c as u16,
                    Formula::new(f).set_result(cached.map(result).unwrap_or_default()),
                    &num_fmt,
                )?;
            }
            let (ly, funded) = (
                totals.get(&(m.clone(), "LY Actual".into())),
                totals.get(&(m.clone(), "Funded".into())),
            );
            let (d, h) = (cell_name(row, 3), cell_name(row, 7));
            let delta = match (ly, funded) {
                (Some(l), Some(f)) => result(f - l),
                _ => String::new(),
            };
            ws.write_formula_with_format(
                row,
                8,
                Formula::new(format!("={h}-{d}")).set_result(delta),
                &num_fmt,
            )?;
            let pct = match (ly, funded) {
                (Some(l), Some(f)) if *l != 0.0 => result((f - l) / l.abs()),
                _ => String::new(),
            };
            ws.write_formula_with_format(
                row,
                9,
                Formula::new(format!("=IF({d}=0,\"\",({h}-{d})/ABS({d}))")).set_result(pct),
                &self.fmt.ratio,
            )?;
            rows_of.insert(m.clone(), row);
            row += 1;
        }
        if !self.model.conflicts.is_empty() {
            ws.write_string_with_format(row + 1, 0, "Metrics teams disagree on are not totalled: see the Checks sheet (metric-conflict).", &self.fmt.note)?;
        }
        ws.set_column_width(0, 26)?;
        ws.set_column_range_width(1, 2, 9)?;
        ws.set_column_range_width(3, 9, 15)?;
        // Native charts: the main metrics' tracks, then the bridge of the objective.
        let chart_row = row + 3;
        for (k, m) in order.iter().take(4).enumerate() {
            let r = rows_of[m];
            let mut chart = Chart::new(ChartType::Column);
            chart
                .add_series()
                .set_categories(("Summary", HEADER_ROW, 3, HEADER_ROW, 7))
                .set_values(("Summary", r, 3, r, 7))
                .set_name(m.as_str())
                .set_format(
                    ChartFormat::new()
                        .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(0x404040))),
                );
            chart
                .title()
                .set_name(&format!("{m} by track, {}", meta[m].0));
            chart.legend().set_hidden();
            chart.set_width(480).set_height(288);
            ws.insert_chart(chart_row + (k as u32 / 2) * 15, (k as u16 % 2) * 5, &chart)?;
        }
        let bridge_row = chart_row + 31;
        self.bridge(ws, bridge_row, &rows_of, &meta, &totals)?;
        Ok(())
    }

    /// A waterfall as stacked columns: an invisible base with favourable and
    /// unfavourable steps on top, from LY Actual to Funded.
    fn bridge(
        &mut self,
        ws: &mut Worksheet,
        top: u32,
        rows_of: &BTreeMap<String, u32>,
        meta: &BTreeMap<String, (String, String)>,
        totals: &BTreeMap<(String, String), f64>,
    ) -> Result<(), XlsxError> {
        let Some(objective) = &self.model.params.objective else {
            return Ok(());
        };
        let key = crate::read::parse::normalise(objective);
        let Some((name, &src)) = rows_of
            .iter()
            .find(|(m, _)| crate::read::parse::normalise(m) == key)
        else {
            return Ok(());
        };
        let lower = (0..self.model.wide.height())
            .find(|&i| self.wide.s("metric_name", i) == *name)
            .is_some_and(|i| self.wide.s("better", i) == "lower");
        ws.write_string_with_format(
            top,
            0,
            format!("Bridge: {name} ({})", meta[name].0),
            &self.fmt.bold,
        )?;
        for (c, h) in ["Step", "Base", "Total", "Favourable", "Unfavourable"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(top + 1, c as u16, *h, &self.fmt.header)?;
        }
        let value = |c: u16| cell_name(src, c as u32);
        // The cached Summary value of the objective in a column (3 = LY Actual … 7 = Funded).
        let get = |c: u16| -> f64 {
            let track = ["LY Actual", "Baseline", "Flat", "Investment", "Funded"][(c - 3) as usize];
            totals
                .get(&(name.clone(), track.to_string()))
                .copied()
                .unwrap_or(0.0)
        };
        // Steps: LY Actual (total), to Flat, to Investment, back to Funded, Funded (total).
        let steps = [
            ("LY Actual", Step::Total(3)),
            ("Flat", Step::Change(3, 5)),
            ("Investment", Step::Change(5, 6)),
            ("Not funded", Step::Change(6, 7)),
            ("Funded", Step::Total(7)),
        ];
        let money = self.fmt.money.clone();
        for (i, (label, step)) in steps.iter().enumerate() {
            let r = top + 2 + i as u32;
            ws.write_string(r, 0, *label)?;
            if let Step::Total(c) = step {
                let v = get(*c);
                ws.write_formula_with_format(r, 1, Formula::new("=0").set_result("0"), &money)?;
                ws.write_formula_with_format(
                    r,
                    2,
                    Formula::new(format!("=Summary!{}", value(*c))).set_result(result(v)),
                    &money,
                )?;
                ws.write_formula_with_format(r, 3, Formula::new("=0").set_result("0"), &money)?;
                ws.write_formula_with_format(r, 4, Formula::new("=0").set_result("0"), &money)?;
            } else if let Step::Change(a, b) = step {
                let (va, vb) = (get(*a), get(*b));
                let (ca, cb) = (value(*a), value(*b));
                let (up, down) = ((vb - va).max(0.0), (va - vb).max(0.0));
                let (fav, unfav, fav_f, unfav_f) = if lower {
                    (
                        down,
                        up,
                        format!("=MAX({ca}-{cb},0)"),
                        format!("=MAX({cb}-{ca},0)"),
                    )
                } else {
                    (
                        up,
                        down,
                        format!("=MAX({cb}-{ca},0)"),
                        format!("=MAX({ca}-{cb},0)"),
                    )
                };
                ws.write_formula_with_format(
                    r,
                    1,
                    Formula::new(format!("=MIN({ca},{cb})")).set_result(result(va.min(vb))),
                    &money,
                )?;
                ws.write_formula_with_format(r, 2, Formula::new("=0").set_result("0"), &money)?;
                ws.write_formula_with_format(
                    r,
                    3,
                    Formula::new(fav_f).set_result(result(fav)),
                    &money,
                )?;
                ws.write_formula_with_format(
                    r,
                    4,
                    Formula::new(unfav_f).set_result(result(unfav)),
                    &money,
                )?;
            }
        }
        let mut chart = Chart::new(ChartType::ColumnStacked);
        let (first, last) = (top + 2, top + 6);
        let colors = [None, Some(0x404040), Some(0x2E7D32), Some(0xC62828)];
        for (k, color) in colors.iter().enumerate() {
            let c = 1 + k as u16;
            let series = chart
                .add_series()
                .set_categories(("Summary", first, 0, last, 0))
                .set_values(("Summary", first, c, last, c))
                .set_name(("Summary", top + 1, c));
            match color {
                None => series.set_format(ChartFormat::new().set_no_fill().set_no_border()),
                Some(rgb) => series.set_format(
                    ChartFormat::new()
                        .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(*rgb))),
                ),
            };
            series.set_gap(60);
        }
        chart
            .title()
            .set_name(&format!("{name}: LY Actual to Funded, {}", meta[name].0));
        chart
            .legend()
            .set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);
        chart.set_width(720).set_height(320);
        ws.insert_chart(top, 6, &chart)?;
        Ok(())
    }

    fn frame_table(
        &mut self,
        ws: &mut Worksheet,
        name: &str,
        df: &DataFrame,
        columns: &[(&str, &str, Kind)],
    ) -> Result<usize, XlsxError> {
        self.frame_table_at(ws, HEADER_ROW, name, df, columns)
    }

    /// A frame as an Excel table whose header is in row `top`, each column
    /// written as its [`Kind`] says.
    fn frame_table_at(
        &mut self,
        ws: &mut Worksheet,
        top: u32,
        name: &str,
        df: &DataFrame,
        columns: &[(&str, &str, Kind)],
    ) -> Result<usize, XlsxError> {
        let headers: Vec<&str> = columns.iter().map(|(_, h, _)| *h).collect();
        let n = df.height();
        self.table_at(ws, top, name, &headers, n)?;
        let cols = Cols::new(df).map_err(polars_err)?;
        for i in 0..n {
            let r = top + 1 + i as u32;
            for (c, (key, _, kind)) in columns.iter().enumerate() {
                let c = c as u16;
                match kind {
                    Kind::Text => {
                        let v = cols.s(key, i);
                        self.text(ws, r, c, v, name)?;
                    }
                    Kind::Bool => {
                        if let Some(b) = cols.b(key, i) {
                            ws.write_string(r, c, if b { "yes" } else { "no" })?;
                        }
                    }
                    Kind::Num(unit_key) => {
                        if let Some(v) = cols.f(key, i) {
                            let f = match *unit_key {
                                "multiple" => &self.fmt.multiple,
                                "unit" => self.fmt.num(unit_kind_of(cols.s("unit", i)), v),
                                kind => self.fmt.num(kind, v),
                            };
                            ws.write_number_with_format(r, c, v, f)?;
                        }
                    }
                    Kind::Filled => {}
                }
            }
        }
        ws.set_column_range_width(0, headers.len() as u16 - 1, 16)?;
        Ok(n)
    }

    fn resources(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        self.title(ws, "Resources by team and track", &format!("Budget and other money in {}; headcount in heads. Incremental = Investment − Flat.", self.model.reporting_currency))?;
        let n = self.frame_table(
            ws,
            "Resources",
            &self.model.resources.clone(),
            &[
                ("team", "Team", Kind::Text),
                ("org", "Org", Kind::Text),
                ("resource", "Resource", Kind::Text),
                ("unit", "Unit", Kind::Text),
                ("LY", "LY", Kind::Num("unit")),
                ("Flat", "Flat", Kind::Num("unit")),
                ("Investment", "Investment", Kind::Num("unit")),
                ("incremental", "Incremental", Kind::Filled),
                ("flat_vs_ly", "Flat vs LY", Kind::Filled),
                ("source_ly", "Source file", Kind::Filled),
                ("source_ly", "Source LY", Kind::Filled),
            ],
        )?;
        // Incremental and flat-vs-LY as live formulas over the row.
        let cols = Cols::new(&self.model.resources).map_err(polars_err)?;
        for i in 0..n {
            let r = HEADER_ROW + 1 + i as u32;
            let u = cols.s("unit", i);
            let f = if u == "heads" {
                &self.fmt.count
            } else {
                &self.fmt.money
            };
            let (e, fl, g) = (cell_name(r, 4), cell_name(r, 5), cell_name(r, 6));
            if let Some(v) = cols.f("incremental", i) {
                ws.write_formula_with_format(
                    r,
                    7,
                    Formula::new(format!("={g}-{fl}")).set_result(result(v)),
                    f,
                )?;
            }
            if let Some(v) = cols.f("flat_vs_ly", i) {
                ws.write_formula_with_format(
                    r,
                    8,
                    Formula::new(format!("={fl}-{e}")).set_result(result(v)),
                    f,
                )?;
            }
            let source = cols.s("source_ly", i);
            if let Some((prefix, file, cell)) = split_source(source) {
                let target = Some(cell).filter(|_| n <= MAX_LINKS);
                self.file_link(ws, r, 9, file, target, "Resources")?;
                ws.write_string(r, 10, format!("{prefix}{cell}"))?;
            }
        }
        ws.set_column_width(9, 36)?;
        Ok(())
    }

    fn funding(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let p = &self.model.params;
        let objective = p.objective.clone().unwrap_or_else(|| "(none)".into());
        ws.write_string_with_format(
            0,
            0,
            "Funding: investment cases ranked by ROI on the objective",
            &self.fmt.title,
        )?;
        let df = self.model.funding.clone();
        let n = df.height();
        // Three lines above the table: envelope, spend (live), objective.
        ws.write_string_with_format(
            1,
            0,
            format!(
                "Objective: {objective}. Envelope and funded spend in {}.",
                self.model.reporting_currency
            ),
            &self.fmt.note,
        )?;
        let top = 5u32;
        ws.write_string_with_format(2, 0, "Envelope", &self.fmt.bold)?;
        match p.budget {
            Some(b) => ws.write_number_with_format(2, 1, b, &self.fmt.money)?,
            None => ws.write_string(2, 1, "not set")?,
        };
        ws.write_string_with_format(3, 0, "Funded spend", &self.fmt.bold)?;
        let (first, last) = (top + 2, top + 1 + n.max(1) as u32);
        let spend = format!("=SUMIFS($D${first}:$D${last},$J${first}:$J${last},\"yes\")");
        ws.write_formula_with_format(
            3,
            1,
            Formula::new(spend).set_result(result(self.model.spend)),
            &self.fmt.money,
        )?;
        let columns = [
            ("rank", "Rank", Kind::Num("other")),
            ("team", "Team", Kind::Text),
            ("org", "Org", Kind::Text),
            (
                "incremental_budget",
                "Incremental budget",
                Kind::Num("money"),
            ),
            (
                "incremental_headcount",
                "Incremental headcount",
                Kind::Num("other"),
            ),
            ("uplift", "Uplift", Kind::Num("money")),
            ("roi", "ROI", Kind::Num("multiple")),
            ("cumulative_budget", "Cumulative budget", Kind::Num("money")),
            ("cumulative_funded", "Cumulative funded", Kind::Num("money")),
            ("funded", "Funded", Kind::Bool),
            ("reason", "Why", Kind::Text),
        ];
        // The table sits under the three summary lines.
        self.frame_table_at(ws, top, "Funding", &df, &columns)?;
        ws.set_column_range_width(0, 9, 16)?;
        ws.set_column_width(10, 60)?;
        Ok(())
    }

    fn ambition(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let s = &self.checked.settings.ambition;
        let needed = crate::model::needed_yearly_multiple(&self.checked.settings);
        self.title(
            ws,
            &format!("Ambition: the {}× in {} years question", s.multiple, s.years),
            &format!("A {}× in {} years path needs {needed:.2}× a year. Implied = Investment ÷ LY Actual; gap = needed − implied.", s.multiple, s.years),
        )?;
        let df = self.model.ambition.clone();
        let n = self.frame_table(
            ws,
            "Ambition",
            &df,
            &[
                ("team", "Team", Kind::Text),
                ("org", "Org", Kind::Text),
                ("metric", "Metric", Kind::Text),
                ("unit", "Unit", Kind::Text),
                ("ly_actual", "LY Actual", Kind::Num("unit")),
                ("investment", "Investment", Kind::Num("unit")),
                ("implied_multiple", "Implied multiple", Kind::Filled),
                ("needed_multiple", "Needed multiple", Kind::Num("multiple")),
                ("gap", "Gap (needed − implied)", Kind::Filled),
            ],
        )?;
        let cols = Cols::new(&df).map_err(polars_err)?;
        for i in 0..n {
            let r = HEADER_ROW + 1 + i as u32;
            let (e, f, g, h) = (
                cell_name(r, 4),
                cell_name(r, 5),
                cell_name(r, 6),
                cell_name(r, 7),
            );
            if let Some(v) = cols.f("implied_multiple", i) {
                ws.write_formula_with_format(
                    r,
                    6,
                    Formula::new(format!("=IF({e}>0,{f}/{e},\"\")")).set_result(result(v)),
                    &self.fmt.multiple,
                )?;
                if let Some(gap) = cols.f("gap", i) {
                    ws.write_formula_with_format(
                        r,
                        8,
                        Formula::new(format!("={h}-{g}")).set_result(result(gap)),
                        &self.fmt.multiple,
                    )?;
                }
            }
        }
        Ok(())
    }

    fn goals(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        self.title(
            ws,
            "Shared (S-2) goals",
            "One row per goal ID; Listed by names every team whose workbook lists it.",
        )?;
        let mut by_id: BTreeMap<String, (Vec<String>, &crate::plan::Goal)> = BTreeMap::new();
        for wb in self.included() {
            for g in &wb.goals {
                by_id
                    .entry(g.id.value.clone())
                    .or_insert_with(|| (Vec::new(), g))
                    .0
                    .push(wb.name().to_string());
            }
        }
        let headers = [
            "ID",
            "Goal",
            "Owners",
            "Listed by",
            "Due",
            "Metric",
            "Target",
        ];
        self.table(ws, "Goals", &headers, by_id.len())?;
        let rows: Vec<(String, Vec<String>, crate::plan::Goal)> = by_id
            .into_iter()
            .map(|(id, (teams, g))| (id, teams, g.clone()))
            .collect();
        for (i, (id, teams, g)) in rows.iter().enumerate() {
            let r = HEADER_ROW + 1 + i as u32;
            let v = |x: &Option<crate::plan::Val<String>>| {
                x.as_ref().map(|v| v.value.clone()).unwrap_or_default()
            };
            let values = [
                id.clone(),
                v(&g.goal),
                v(&g.owners),
                teams.join(", "),
                v(&g.due),
                v(&g.metric),
                v(&g.target),
            ];
            for (c, value) in values.iter().enumerate() {
                self.text(ws, r, c as u16, value, "Goals")?;
            }
        }
        ws.set_column_range_width(0, 6, 22)?;
        ws.set_column_width(1, 50)?;
        Ok(())
    }

    /// Fills the four register sheets (Assumptions, Asks, Risks, Ideas) into `sheets`.
    fn registers(&mut self, sheets: &mut [Worksheet]) -> Result<(), XlsxError> {
        let v = |x: &'a Option<crate::plan::Val<String>>| {
            Entry::Text(x.as_ref().map_or("", |v| v.value.as_str()).into())
        };
        let t = |x: &'a str| Entry::Text(x.into());
        let mut assumptions = Vec::new();
        let mut asks = Vec::new();
        let mut risks = Vec::new();
        let mut ideas = Vec::new();
        for b in self.included() {
            let source = |pos| Entry::Text(b.source(pos).into());
            for a in &b.assumptions {
                assumptions.push(vec![t(b.name()), t(&a.value), source(a.pos)]);
            }
            for a in &b.asks {
                asks.push(vec![
                    t(b.name()),
                    t(&a.ask.value),
                    v(&a.kind),
                    a.amount.as_ref().map_or(t(""), |x| Entry::Number(x.value)),
                    v(&a.needed_by),
                    v(&a.if_delayed),
                    source(a.ask.pos),
                ]);
            }
            for k in &b.risks {
                risks.push(vec![
                    t(b.name()),
                    t(&k.risk.value),
                    v(&k.likelihood),
                    v(&k.impact),
                    v(&k.mitigation),
                    v(&k.owner),
                    source(k.risk.pos),
                ]);
            }
            for i in &b.ideas {
                ideas.push(vec![
                    t(b.name()),
                    t(&i.question.value),
                    v(&i.answer),
                    source(i.question.pos),
                ]);
            }
        }
        let registers = [
            Register {
                name: "Assumptions",
                title: "Assumptions across teams",
                headers: vec!["Team", "Assumption", "Source"],
                rows: assumptions,
            },
            Register {
                name: "Asks",
                title: "Resource asks across teams",
                headers: vec![
                    "Team",
                    "Ask",
                    "Kind",
                    "Amount",
                    "Needed by",
                    "If delayed",
                    "Source",
                ],
                rows: asks,
            },
            Register {
                name: "Risks",
                title: "Risks and mitigations across teams",
                headers: vec![
                    "Team",
                    "Risk",
                    "Likelihood",
                    "Impact",
                    "Mitigation",
                    "Owner",
                    "Source",
                ],
                rows: risks,
            },
            Register {
                name: "Ideas",
                title: "10× thinking across teams",
                headers: vec!["Team", "Question", "Answer", "Source"],
                rows: ideas,
            },
        ];
        for (
            Register {
                name,
                title,
                headers,
                rows,
            },
            ws,
        ) in registers.into_iter().zip(sheets)
        {
            ws.set_name(name)?;
            self.title(ws, title, "Text exactly as the teams wrote it.")?;
            self.table(ws, name, &headers, rows.len())?;
            for (i, row) in rows.iter().enumerate() {
                let r = HEADER_ROW + 1 + i as u32;
                for (c, entry) in row.iter().enumerate() {
                    match entry {
                        Entry::Number(v) => {
                            ws.write_number_with_format(
                                r,
                                c as u16,
                                *v,
                                self.fmt.num("other", *v),
                            )?;
                        }
                        Entry::Text(text) => self.text(ws, r, c as u16, text, name)?,
                    }
                }
            }
            ws.set_column_range_width(0, headers.len() as u16 - 1, 18)?;
            ws.set_column_width(1, 60)?;
        }
        Ok(())
    }

    fn checks(&mut self, ws: &mut Worksheet, all: &[Finding]) -> Result<(), XlsxError> {
        let t = crate::finding::Tally::of(all);
        self.title(
            ws,
            "Checks: every finding",
            &format!(
                "{}, {}, {}.",
                crate::check::plural(t.errors, "error"),
                crate::check::plural(t.warnings, "warning"),
                crate::check::plural(t.infos, "info")
            ),
        )?;
        let headers = [
            "Severity", "Rule", "Team", "File", "Sheet", "Cell", "Message",
        ];
        self.table(ws, "Checks", &headers, all.len())?;
        let red = Format::new().set_font_color(Color::RGB(0x9C0006));
        for (i, f) in all.iter().enumerate() {
            let r = HEADER_ROW + 1 + i as u32;
            if f.severity == Severity::Error {
                ws.write_string_with_format(r, 0, f.severity.as_str(), &red)?;
            } else {
                ws.write_string(r, 0, f.severity.as_str())?;
            }
            ws.write_string(r, 1, f.rule.id())?;
            let opt = |o: &Option<String>| o.clone().unwrap_or_default();
            for (c, value) in [
                opt(&f.team),
                opt(&f.file),
                opt(&f.sheet),
                opt(&f.cell),
                f.message.clone(),
            ]
            .iter()
            .enumerate()
            {
                self.text(ws, r, 2 + c as u16, value, "Checks")?;
            }
        }
        ws.set_column_range_width(0, 5, 14)?;
        ws.set_column_width(3, 40)?;
        ws.set_column_width(6, 100)?;
        Ok(())
    }

    fn sources(&mut self, ws: &mut Worksheet, teams: &TeamsLayout) -> Result<(), XlsxError> {
        self.title(ws, "Sources: every input, what was read from it, and the control totals", "Control totals: as read from each file, and recomputed from the Teams sheet (live formulas), in the file's currency.")?;
        // Rows read from every sheet but Team, which is a form, not a table.
        let sheets: Vec<SheetKind> = SheetKind::ALL
            .into_iter()
            .filter(|s| *s != SheetKind::Team)
            .collect();
        let mut headers = vec!["Path", "Format", "SHA-256", "Team", "Status", "Bytes"];
        let row_headers: Vec<String> = sheets
            .iter()
            .map(|s| format!("{} rows", s.name()))
            .collect();
        headers.extend(row_headers.iter().map(String::as_str));
        let checked: &'a Checked = self.checked;
        let files = &checked.round.files;
        let bad = self.checked.round.files_with_errors();
        self.table(ws, "Files", &headers, files.len())?;
        for (i, f) in files.iter().enumerate() {
            let r = HEADER_ROW + 1 + i as u32;
            self.text(ws, r, 0, &f.input.display, "Sources")?;
            ws.write_string(r, 1, f.format.map(|x| x.as_str()).unwrap_or("unknown"))?;
            ws.write_string(r, 2, f.sha256.as_deref().unwrap_or(""))?;
            if let Some(wb) = &f.workbook {
                self.text(ws, r, 3, wb.name(), "Sources")?;
                for (c, s) in sheets.iter().enumerate() {
                    ws.write_number(r, 6 + c as u16, *wb.rows_read.get(s).unwrap_or(&0) as f64)?;
                }
            }
            ws.write_string(
                r,
                4,
                if bad.contains(&f.input.display) {
                    "excluded: errors"
                } else {
                    "included"
                },
            )?;
            ws.write_number(r, 5, f.bytes as f64)?;
        }
        // Control totals.
        let mut row = HEADER_ROW + files.len().max(1) as u32 + 3;
        ws.write_string_with_format(row, 0, "Control totals per money metric", &self.fmt.bold)?;
        row += 1;
        let ct_headers = [
            "File",
            "Team",
            "Metric",
            "Currency",
            "Track",
            "As read",
            "Recomputed from Teams",
            "Reconciled",
        ];
        for (c, h) in ct_headers.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &self.fmt.header)?;
        }
        row += 1;
        let (team_range, metric_range) = (teams.range("Team"), teams.range("Metric"));
        let track_ranges = [Track::LyActual, Track::Flat, Track::Investment]
            .map(|track| (track, teams.range(track.name())));
        let shared = self.shared;
        for wb in shared.included() {
            let team_criteria = criteria(wb.name());
            for m in wb
                .metrics
                .iter()
                .filter(|m| m.unit_kind == crate::plan::UnitKind::Money)
            {
                let rate = self.checked.settings.rate(&m.unit.value).unwrap_or(1.0);
                // The round's name for the metric, as the Teams sheet shows it.
                let i = shared.wide_row(wb.name(), &m.name.value);
                let metric = i.map_or(m.name.value.as_str(), |i| shared.wide.s("metric_name", i));
                let metric_criteria = criteria(metric);
                for (track, track_range) in &track_ranges {
                    let track = *track;
                    let Some(v) = m.track(track) else { continue };
                    let recomputed = format!(
                        "=SUMIFS({track_range},{team_range},{team_criteria},{metric_range},{metric_criteria})/{rate}"
                    );
                    let from_model = i
                        .and_then(|i| shared.wide.f(track.name(), i))
                        .map(|x| x / rate);
                    let ok = from_model
                        .is_some_and(|x| (x - v.value).abs() <= 0.005 * v.value.abs().max(1.0));
                    ws.write_string(row, 0, &wb.file)?;
                    self.text(ws, row, 1, wb.name(), "Sources")?;
                    self.text(ws, row, 2, metric, "Sources")?;
                    ws.write_string(row, 3, &m.unit.value)?;
                    ws.write_string(row, 4, track.name())?;
                    ws.write_number_with_format(row, 5, v.value, &self.fmt.money)?;
                    ws.write_formula_with_format(
                        row,
                        6,
                        Formula::new(recomputed)
                            .set_result(from_model.map(result).unwrap_or_default()),
                        &self.fmt.money,
                    )?;
                    let (f, g) = (cell_name(row, 5), cell_name(row, 6));
                    let reconciled =
                        format!("=IF(ABS({g}-{f})<=0.005*MAX(1,ABS({f})),\"yes\",\"no\")");
                    ws.write_formula(
                        row,
                        7,
                        Formula::new(reconciled).set_result(if ok { "yes" } else { "no" }),
                    )?;
                    row += 1;
                }
            }
        }
        // Passed over and left out.
        row += 2;
        ws.write_string_with_format(row, 0, "Files not in the pack", &self.fmt.bold)?;
        row += 1;
        for (c, h) in ["Path", "Why"].iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &self.fmt.header)?;
        }
        row += 1;
        for s in &self.checked.round.skipped {
            self.text(ws, row, 0, &s.display, "Sources")?;
            ws.write_string(row, 1, format!("skipped: {}", s.reason))?;
            row += 1;
        }
        for file in &bad {
            self.text(ws, row, 0, file, "Sources")?;
            let n = self
                .checked
                .findings
                .iter()
                .filter(|f| {
                    f.file.as_deref() == Some(file.as_str()) && f.severity == Severity::Error
                })
                .count();
            ws.write_string(row, 1, format!("excluded: {n} error(s), see Checks"))?;
            row += 1;
        }
        ws.set_column_width(0, 46)?;
        ws.set_column_range_width(1, 12, 14)?;
        ws.set_column_width(2, 30)?;
        Ok(())
    }
}

/// The unit kind a written unit names: `money`, `ratio` or `other`.
fn unit_kind_of(unit: &str) -> &'static str {
    if unit == "%" {
        "ratio"
    } else if crate::currency::is_iso_code(unit) {
        "money"
    } else {
        "other"
    }
}

/// A bar of the bridge, by Summary column: a total, or the change between two.
enum Step {
    Total(u16),
    Change(u16, u16),
}

/// A register sheet: its name, title, headers and rows.
struct Register<'h, 'a> {
    name: &'static str,
    title: &'static str,
    headers: Vec<&'h str>,
    rows: Vec<Vec<Entry<'a>>>,
}

/// One cell of a register: the team's text, or a number (an ask's amount).
enum Entry<'a> {
    Text(std::borrow::Cow<'a, str>),
    Number(f64),
}

/// How a column of a frame is written.
enum Kind {
    Text,
    Bool,
    /// A number, formatted by the unit named: `money`, `ratio`, `other`,
    /// `heads`, `multiple`, or `unit` (read the row's `unit` column).
    Num(&'static str),
    /// Left empty for the caller to fill (live formulas, links).
    Filled,
}

/// A frame's columns, read once.
struct Cols {
    text: BTreeMap<String, Vec<String>>,
    num: BTreeMap<String, Vec<Option<f64>>>,
    flag: BTreeMap<String, Vec<Option<bool>>>,
}

impl Cols {
    fn new(df: &DataFrame) -> polars::prelude::PolarsResult<Cols> {
        use polars::prelude::DataType;
        let mut cols = Cols {
            text: BTreeMap::new(),
            num: BTreeMap::new(),
            flag: BTreeMap::new(),
        };
        for name in df.get_column_names_owned() {
            let name = name.to_string();
            match df.column(&name)?.dtype() {
                DataType::String => {
                    cols.text.insert(name.clone(), strings(df, &name)?);
                }
                DataType::Boolean => {
                    cols.flag.insert(name.clone(), bools(df, &name)?);
                }
                DataType::Null => {}
                _ => {
                    cols.num.insert(name.clone(), floats(df, &name)?);
                }
            }
        }
        Ok(cols)
    }

    fn s(&self, name: &str, i: usize) -> &str {
        self.text
            .get(name)
            .and_then(|c| c.get(i))
            .map_or("", String::as_str)
    }

    fn f(&self, name: &str, i: usize) -> Option<f64> {
        self.num
            .get(name)
            .and_then(|c| c.get(i).copied().flatten())
            .filter(|v| v.is_finite())
    }

    fn b(&self, name: &str, i: usize) -> Option<bool> {
        self.flag
            .get(name)
            .and_then(|c| c.get(i).copied().flatten())
    }
}

fn polars_err(e: polars::prelude::PolarsError) -> XlsxError {
    XlsxError::ParameterError(e.to_string())
}

/// Hyperlinks from the pack back to the input cells, relative to the pack.
struct Links {
    /// Input display path → path relative to the output folder.
    relative: BTreeMap<String, String>,
}

impl Links {
    fn new(out_dir: &Path, checked: &Checked) -> Links {
        let out = std::fs::canonicalize(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
        let relative = checked
            .round
            .files
            .iter()
            .map(|f| {
                let abs =
                    std::fs::canonicalize(&f.input.path).unwrap_or_else(|_| f.input.path.clone());
                (f.input.display.clone(), relative_path(&out, &abs))
            })
            .collect();
        Links { relative }
    }

    /// The link to `cell` (such as `Plan!F7`) of the input shown as `file`.
    fn url(&self, file: &str, cell: &str) -> Option<String> {
        let rel = self.relative.get(file)?;
        Some(format!("file:///{rel}#{cell}"))
    }
}

/// Splits a source such as `teams/a.xlsx › Plan!F7`, or a blank Baseline's
/// `blank; equals LY Actual at teams/a.xlsx › Plan!F7`, into the words before
/// the file, the file and the cell.
fn split_source(source: &str) -> Option<(&str, &str, &str)> {
    // The cell is after the last " › " (op1's sheet names hold none); a file
    // name may hold anything, including " at ".
    let (head, cell) = source.rsplit_once(" › ")?;
    match head.strip_prefix(crate::model::BLANK_BASELINE) {
        Some(file) => Some((crate::model::BLANK_BASELINE, file, cell)),
        None => Some(("", head, cell)),
    }
}

/// `to` relative to the folder `from`, with forward slashes.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for part in &to_parts[common..] {
        rel.push(part);
    }
    rel.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_split_into_words_file_and_cell() {
        for (source, want) in [
            ("a.xlsx › Plan!F7", Some(("", "a.xlsx", "Plan!F7"))),
            (
                "teams/look at this.xlsx › Plan!F7",
                Some(("", "teams/look at this.xlsx", "Plan!F7")),
            ),
            (
                "blank; equals LY Actual at t/a › b.xlsx › Plan!G7",
                Some((crate::model::BLANK_BASELINE, "t/a › b.xlsx", "Plan!G7")),
            ),
            ("no cell here", None),
        ] {
            assert_eq!(split_source(source), want, "{source}");
        }
    }

    #[test]
    fn criteria_match_exactly() {
        assert_eq!(criteria("Revenue"), "\"=Revenue\"");
        assert_eq!(criteria("a*b?c~"), "\"=a~*b~?c~~\"");
        assert_eq!(criteria("say \"hi\""), "\"=say \"\"hi\"\"\"");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/w/out"), Path::new("/w/fixtures/a.xlsx")),
            "../fixtures/a.xlsx"
        );
        assert_eq!(
            relative_path(Path::new("/w"), Path::new("/w/a.xlsx")),
            "a.xlsx"
        );
    }
}
