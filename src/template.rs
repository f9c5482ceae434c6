//! `op1 template`: a blank team workbook in exactly the layout op1 reads,
//! with instructions, drop-downs, number formats and frozen headers.

use crate::dictionary::{Dictionary, StandardUnit};
use crate::output::{atomic_write, OutputError};
use crate::plan::layout::{self, ColumnSpec};
use crate::plan::SheetKind;
use crate::plan::{Better, NarrativeSection, Section, TeamWorkbook, Val};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::path::Path;

/// What to pre-fill in the template's Team sheet.
#[derive(Clone, Debug, Default)]
pub struct TemplateOptions {
    pub team: String,
    pub owner: Option<String>,
    pub org: Option<String>,
    pub currency: Option<String>,
    pub fiscal_year: Option<i64>,
    /// The round's metric dictionary: its metrics pre-fill the Plan sheet.
    pub dictionary: Dictionary,
    /// The round's reporting currency: the unit of money metrics when the
    /// team's currency is not given.
    pub reporting_currency: Option<String>,
    /// Add the checkpoint columns (Q1–Q4, Forecast, Commentary; goal
    /// Status): the workbook as the plan of record through the year.
    pub checkpoint: bool,
    /// Protect Plan, Resources and Goals (no password: a guard against
    /// slips, not a lock), leaving only the checkpoint columns open.
    pub lock_plan: bool,
    /// The round's narrative page budget and words a page (`[document]`),
    /// for the Instructions; `None`: the OP1 custom of about six pages.
    pub pages: Option<(u32, u32)>,
}

/// How many rows the drop-downs and formats cover.
const INPUT_ROWS: u32 = 200;

/// The three 10× questions every plan is asked.
pub(crate) const IDEA_QUESTIONS: [&str; 3] = [
    "What would we build to grow 10x in 3 years?",
    "What would we stop doing?",
    "What could a competitor build that would destroy us?",
];

/// Writes the template workbook to `path` (atomically).
///
/// # Errors
/// [`OutputError`] when the workbook cannot be built or written.
///
/// # Examples
/// ```no_run
/// use op1::template::{write_template, TemplateOptions};
/// let opts = TemplateOptions { team: "Payments".into(), ..Default::default() };
/// write_template(std::path::Path::new("payments.xlsx"), &opts).unwrap();
/// ```
pub fn write_template(path: &Path, opts: &TemplateOptions) -> Result<(), OutputError> {
    let bytes = build(opts, true, &[], None)
        .and_then(|mut wb| wb.save_to_buffer())
        .map_err(|source| xlsx_error(path, source))?;
    atomic_write(path, &bytes)
}

fn xlsx_error(path: &Path, source: XlsxError) -> OutputError {
    OutputError::xlsx(path, source)
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x1F3864))
        .set_font_color(Color::White)
        .set_border_bottom(FormatBorder::Thin)
}

/// The workbook in the template's layout; `questions` writes the 10×
/// questions into Ideas, `narrative` the team's written plan.
fn build(
    opts: &TemplateOptions,
    questions: bool,
    narrative: &[NarrativeSection],
    first_sheet: Option<&str>,
) -> Result<Workbook, XlsxError> {
    let mut wb =
        crate::write::workbook::sheet::dated_workbook(&format!("OP1 plan: {}", opts.team))?;
    if let Some(name) = first_sheet {
        wb.add_worksheet().set_name(name)?;
    }
    instructions(wb.add_worksheet(), opts)?;
    team_sheet(wb.add_worksheet(), opts)?;
    plan_sheet(wb.add_worksheet(), opts)?;
    resources_sheet(wb.add_worksheet(), opts)?;
    let simple = wb.add_worksheet();
    simple.set_name(SheetKind::Assumptions.name())?;
    headers(simple, layout::ASSUMPTION_COLUMNS, &[90.0])?;
    asks_sheet(wb.add_worksheet())?;
    risks_sheet(wb.add_worksheet())?;
    let goals = wb.add_worksheet();
    goals.set_name(SheetKind::Goals.name())?;
    headers(
        goals,
        columns(layout::GOAL_COLUMNS, opts.checkpoint),
        &[10.0, 50.0, 26.0, 12.0, 20.0, 14.0, 12.0, 40.0],
    )?;
    if opts.checkpoint {
        open_text(goals, 6, 7)?;
        list(
            goals,
            6,
            &crate::plan::GoalStatus::ALL.map(crate::plan::GoalStatus::name),
            "The goal's status at this checkpoint",
        )?;
    }
    if opts.lock_plan {
        goals.protect();
    }
    let ideas = wb.add_worksheet();
    ideas.set_name(SheetKind::Ideas.name())?;
    headers(ideas, layout::IDEA_COLUMNS, &[55.0, 90.0])?;
    let wrap = Format::new().set_text_wrap();
    for (i, q) in IDEA_QUESTIONS.iter().enumerate().filter(|_| questions) {
        ideas.write_string_with_format(i as u32 + 1, 0, *q, &wrap)?;
    }
    narrative_sheet(wb.add_worksheet(), narrative)?;
    Ok(wb)
}

/// The Narrative sheet: the team's sections and paragraphs (`sections`), then
/// every known section the team has not written, as a heading with one line
/// of guidance beside it.
fn narrative_sheet(ws: &mut Worksheet, sections: &[NarrativeSection]) -> Result<(), XlsxError> {
    ws.set_name(SheetKind::Narrative.name())?;
    headers(ws, layout::NARRATIVE_COLUMNS, &[18.0, 100.0, 60.0])?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top).set_bold();
    let hint = Format::new()
        .set_italic()
        .set_font_color(Color::RGB(0x7F7F7F))
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let mut row = 1;
    for section in sections {
        for p in &section.paragraphs {
            ws.write_string_with_format(
                row,
                0,
                crate::text::fit_for_excel(&section.heading.value),
                &top,
            )?;
            ws.write_string_with_format(row, 1, crate::text::fit_for_excel(&p.value), &wrap)?;
            row += 1;
        }
    }
    for kind in Section::ALL {
        if sections.iter().any(|s| s.kind == Some(kind)) {
            continue;
        }
        ws.write_string_with_format(row, 0, kind.name(), &top)?;
        ws.write_string_with_format(row, 2, kind.guidance(), &hint)?;
        row += 1;
    }
    Ok(())
}

fn headers(ws: &mut Worksheet, spec: &[ColumnSpec], widths: &[f64]) -> Result<(), XlsxError> {
    let fmt = header_format();
    for (i, column) in spec.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, column.name, &fmt)?;
        ws.set_column_width(i as u16, widths.get(i).copied().unwrap_or(14.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn list(ws: &mut Worksheet, col: u16, values: &[&str], message: &str) -> Result<(), XlsxError> {
    let dv = DataValidation::new()
        .allow_list_strings(values)?
        .set_input_message(message)?;
    ws.add_data_validation(1, col, INPUT_ROWS, col, &dv)?;
    Ok(())
}

fn numbers(ws: &mut Worksheet, first_col: u16, last_col: u16) -> Result<(), XlsxError> {
    number_columns(ws, first_col, last_col, Format::new())
}

/// Number columns the team may edit on a protected sheet.
fn open_numbers(ws: &mut Worksheet, first_col: u16, last_col: u16) -> Result<(), XlsxError> {
    number_columns(ws, first_col, last_col, Format::new().set_unlocked())
}

/// Text columns the team may edit on a protected sheet.
fn open_text(ws: &mut Worksheet, first_col: u16, last_col: u16) -> Result<(), XlsxError> {
    let open = Format::new().set_unlocked().set_text_wrap();
    for col in first_col..=last_col {
        ws.set_column_format(col, &open)?;
    }
    Ok(())
}

fn number_columns(
    ws: &mut Worksheet,
    first_col: u16,
    last_col: u16,
    base: Format,
) -> Result<(), XlsxError> {
    let fmt = base.set_num_format("#,##0.##;[Red]-#,##0.##");
    for col in first_col..=last_col {
        ws.set_column_format(col, &fmt)?;
    }
    let dv = DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
        .set_error_message("Enter a number (no text such as TBD).")?;
    ws.add_data_validation(1, first_col, INPUT_ROWS, last_col, &dv)?;
    Ok(())
}

fn instructions(ws: &mut Worksheet, opts: &TemplateOptions) -> Result<(), XlsxError> {
    ws.set_name("Instructions")?;
    // Heading beside its text, each row as tall as its wrapped text: a row
    // left at the default height prints its text over the rows below.
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, TEXT_WIDTH)?;
    ws.set_portrait();
    ws.set_paper_size(9); // A4; Letter users' printers scale it
    ws.set_print_fit_to_pages(1, 0);
    let title = Format::new().set_bold().set_font_size(16);
    let bold = Format::new().set_bold().set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.write_string_with_format(0, 0, "OP1 team workbook — how to fill it in", &title)?;
    ws.set_row_height(0, 24)?;
    let lines: &[(&str, &str)] = &[
        ("Team", "Your team's name (unique in the round), the accountable owner, the org path (e.g. Consumer/Payments), the currency of your money figures (ISO code, e.g. EUR) and the fiscal year."),
        ("Plan", "One row per metric. Unit: a currency code for money, % for ratios, or any other unit (customers, hours). Better: higher or lower. Rollup: sum, mean, weighted by <Metric> (e.g. a margin weighted by Revenue) or none. LY Target / LY Actual: last year. Baseline: where you land doing nothing new (blank = LY Actual). Flat: the plan with last year's resources. Investment: the plan with significantly more investment. Why: why last year's target was hit or missed."),
        ("Resources", "Headcount and Budget (in your currency) for last year, the flat plan and the investment plan. Flat should use last year's resources; Investment should ask for more."),
        ("Assumptions", "3 to 5 assumptions the plan depends on, one per row."),
        ("Asks", "1 or 2 resource asks: what, of which kind, how much, needed by when, and what slips if it is late."),
        ("Risks", "1 or 2 risks, each with likelihood, impact, a mitigation and an owner."),
        ("Goals", "Shared (S-2) goals with exactly two owning teams, e.g. \"Payments + Risk\". Both teams list the goal under the same ID with the same goal, due date and target."),
        ("Ideas", "The 10x questions: answer them honestly."),
        ("Numbers", "Type numbers, not text: 1200000 or 1,200,000. Negative numbers as -300 or (300). Percentages as 12% or 0.12. Never TBD, n/a or an error value: op1 refuses them."),
    ];
    let budget = match opts.pages {
        Some((pages, words)) => format!(
            "the round's page budget is {} ({} words at {words} a page)",
            crate::text::plural(pages as usize, "page"),
            crate::text::fmt_amount(f64::from(pages) * f64::from(words))
        ),
        None => "the round's page budget is about six pages".to_string(),
    };
    let narrative = format!("The written plan the leadership reads: Purpose, Tenets, Last year, Lessons, Plan, 10x, FAQ. One row per paragraph: the section's name in Section, the paragraph in Text (a blank Section continues the section above). Write in sentences; {budget}.");
    let mut lines: Vec<(&str, &str)> = lines.to_vec();
    lines.insert(8, ("Narrative", &narrative));
    if opts.checkpoint {
        lines.push(("Checkpoints", CHECKPOINT_INSTRUCTIONS));
    }
    for (i, (head, text)) in lines.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_string_with_format(row, 0, *head, &bold)?;
        ws.write_string_with_format(row, 1, *text, &wrap)?;
        ws.set_row_height(row, wrapped_height(text))?;
    }
    Ok(())
}

/// What a re-issue for the year's checkpoints adds to the Instructions.
const CHECKPOINT_INSTRUCTIONS: &str = "At each quarter's checkpoint fill that quarter's columns; the plan columns stay as approved (they are protected). Plan Q1–Q4: the quarter's own amount, not the year to date (Q2 is April to June alone), for a summed metric such as revenue; the quarter's level (e.g. 52% margin) for a % or mean metric. Forecast: your estimate of the full year. Commentary: what is behind the numbers. Resources Q1–Q4: Headcount is the heads at the quarter's end; Budget and other money rows are the amount spent in that quarter. Goals: Status (on track, at risk, off track, delivered, missed or cut, from the drop-down) and a Status note.";

/// The width of the Instructions text column, in characters.
const TEXT_WIDTH: f64 = 90.0;

/// The height in points of a row holding `text` wrapped in the text column
/// (about one character per unit of width at the default font), plus a gap.
fn wrapped_height(text: &str) -> f64 {
    let lines = (text.chars().count() as f64 / (TEXT_WIDTH * 0.95))
        .ceil()
        .max(1.0);
    lines * 15.0 + 6.0
}

fn team_sheet(ws: &mut Worksheet, opts: &TemplateOptions) -> Result<(), XlsxError> {
    ws.set_name(SheetKind::Team.name())?;
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 40)?;
    let bold = Format::new().set_bold();
    for (row, field) in layout::TEAM_FIELDS.iter().enumerate() {
        ws.write_string_with_format(row as u32, 0, field.name, &bold)?;
    }
    ws.write_string(0, 1, crate::text::fit_for_excel(&opts.team))?;
    for (row, value) in [(1, &opts.owner), (2, &opts.org), (3, &opts.currency)] {
        if let Some(v) = value {
            ws.write_string(row, 1, v)?;
        }
    }
    if let Some(fy) = opts.fiscal_year {
        ws.write_number(4, 1, fy as f64)?;
    }
    let currency = DataValidation::new()
        .allow_text_length(DataValidationRule::EqualTo(3))
        .set_input_message("ISO-4217 code, e.g. USD, EUR, GBP")?;
    ws.add_data_validation(3, 1, 3, 1, &currency)?;
    let year = DataValidation::new().allow_whole_number(DataValidationRule::Between(2000, 2100));
    ws.add_data_validation(4, 1, 4, 1, &year)?;
    Ok(())
}

fn plan_sheet(ws: &mut Worksheet, opts: &TemplateOptions) -> Result<(), XlsxError> {
    ws.set_name(SheetKind::Plan.name())?;
    headers(
        ws,
        columns(layout::PLAN_COLUMNS, opts.checkpoint),
        &[
            28.0, 12.0, 10.0, 10.0, 14.0, 14.0, 14.0, 14.0, 14.0, 50.0, 12.0, 12.0, 12.0, 12.0,
            14.0, 50.0,
        ],
    )?;
    let unit = DataValidation::new().allow_any_value().set_input_message(
        "A currency code (USD, EUR, …) for money, % for ratios, or a unit such as customers",
    )?;
    ws.add_data_validation(1, 1, INPUT_ROWS, 1, &unit)?;
    list(
        ws,
        2,
        &Better::ALL.map(Better::name),
        "Is a higher or a lower value better?",
    )?;
    // Any `weighted by <Metric>` is allowed: the list suggests, it does not refuse.
    let rollup = DataValidation::new()
        .allow_list_strings(&["sum", "mean", "weighted by Revenue", "none"])?
        .set_error_style(DataValidationErrorStyle::Information)
        .set_input_message(
            "How the metric totals across teams: sum, mean, weighted by <Metric>, or none (default: sum, or mean for %)",
        )?;
    ws.add_data_validation(1, 3, INPUT_ROWS, 3, &rollup)?;
    standard_metrics(ws, opts)?;
    if opts.checkpoint {
        open_numbers(ws, 10, 14)?;
        open_text(ws, 15, 15)?;
    }
    if opts.lock_plan {
        ws.protect();
    }
    numbers(ws, 4, 8)
}

/// A sheet's columns: the planning ones, and the checkpoint ones after them
/// when `checkpoint`.
fn columns(all: &'static [ColumnSpec], checkpoint: bool) -> &'static [ColumnSpec] {
    match checkpoint {
        true => all,
        false => layout::planning(all),
    }
}

/// The round's standard metrics, one row each in the dictionary's order,
/// with unit, direction and roll-up filled in; the numbers are the team's.
fn standard_metrics(ws: &mut Worksheet, opts: &TemplateOptions) -> Result<(), XlsxError> {
    let money = opts
        .currency
        .as_deref()
        .or(opts.reporting_currency.as_deref());
    for (i, m) in opts.dictionary.metrics.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, &m.name)?;
        let unit = match &m.unit {
            StandardUnit::Money => money.unwrap_or_default(),
            StandardUnit::Ratio => "%",
            StandardUnit::Other(u) => u,
        };
        if !unit.is_empty() {
            ws.write_string(r, 1, unit)?;
        }
        ws.write_string(r, 2, m.better.name())?;
        ws.write_string(r, 3, m.rollup.describe(m.weight.as_deref()))?;
    }
    Ok(())
}

fn resources_sheet(ws: &mut Worksheet, opts: &TemplateOptions) -> Result<(), XlsxError> {
    let checkpoint = opts.checkpoint;
    ws.set_name(SheetKind::Resources.name())?;
    headers(
        ws,
        columns(layout::RESOURCE_COLUMNS, checkpoint),
        &[20.0, 14.0, 14.0, 14.0, 12.0, 12.0, 12.0, 12.0],
    )?;
    ws.write_string(1, 0, "Headcount")?;
    ws.write_string(2, 0, "Budget")?;
    if checkpoint {
        open_numbers(ws, 4, 7)?;
    }
    if opts.lock_plan {
        ws.protect();
    }
    numbers(ws, 1, 3)
}

fn asks_sheet(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_name(SheetKind::Asks.name())?;
    headers(ws, layout::ASK_COLUMNS, &[50.0, 12.0, 14.0, 14.0, 50.0])?;
    list(
        ws,
        1,
        &["headcount", "budget", "capex", "decision", "other"],
        "What kind of ask is this?",
    )?;
    numbers(ws, 2, 2)
}

fn risks_sheet(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_name(SheetKind::Risks.name())?;
    headers(ws, layout::RISK_COLUMNS, &[50.0, 12.0, 12.0, 50.0, 20.0])?;
    list(ws, 1, &["high", "medium", "low"], "How likely is it?")?;
    list(ws, 2, &["high", "medium", "low"], "How bad would it be?")
}

/// Writes a team's workbook again in the current template layout, filled
/// with everything that was read from it (`op1 template --from FILE`): a
/// clean start for the next round, and a check that what op1 writes it reads
/// back exactly.
///
/// # Errors
/// [`OutputError`] when the workbook cannot be built or written.
pub fn write_filled(path: &Path, team: &TeamWorkbook) -> Result<(), OutputError> {
    write_reissued(path, team, false)
}

/// [`write_filled`]; `checkpoint` adds the checkpoint columns and protects
/// the plan columns (`op1 template --from FILE --checkpoint`).
///
/// # Errors
/// [`OutputError`] when the workbook cannot be built or written.
pub fn write_reissued(
    path: &Path,
    team: &TeamWorkbook,
    checkpoint: bool,
) -> Result<(), OutputError> {
    let bytes = filled_workbook(team, checkpoint, None)
        .and_then(|mut wb| wb.save_to_buffer())
        .map_err(|source| xlsx_error(path, source))?;
    atomic_write(path, &bytes)
}

/// A team's workbook in the current layout, filled (not yet saved); with
/// `first_sheet`, an empty sheet of that name comes first (the feedback
/// workbook's list of findings).
///
/// # Errors
/// [`XlsxError`] when a sheet cannot be built.
pub(crate) fn filled_workbook(
    team: &TeamWorkbook,
    checkpoint: bool,
    first_sheet: Option<&str>,
) -> Result<Workbook, XlsxError> {
    let opts = TemplateOptions {
        team: team.name().to_string(),
        owner: team.owner.as_ref().map(|v| v.value.clone()),
        org: team.org.as_ref().map(|v| v.value.clone()),
        currency: team.currency.as_ref().map(|v| v.value.clone()),
        fiscal_year: team.fiscal_year.as_ref().map(|v| v.value),
        // A workbook that holds checkpoint data keeps its columns.
        checkpoint: checkpoint || has_checkpoint_data(team),
        lock_plan: checkpoint,
        ..Default::default()
    };
    let mut wb = build(&opts, team.ideas.is_empty(), &team.narrative, first_sheet)?;
    fill(&mut wb, team)?;
    Ok(wb)
}

/// Whether a team's workbook holds anything in the checkpoint columns.
pub fn has_checkpoint_data(team: &TeamWorkbook) -> bool {
    team.metrics.iter().any(|m| {
        m.quarters.iter().any(Option::is_some) || m.forecast.is_some() || m.commentary.is_some()
    }) || team
        .resources
        .iter()
        .any(|r| r.quarters.iter().any(Option::is_some))
        || team
            .goals
            .iter()
            .any(|g| g.status.is_some() || g.status_note.is_some())
}

/// Writes an optional text cell as text (never as a formula).
fn text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<&Val<String>>,
) -> Result<(), XlsxError> {
    if let Some(v) = value {
        // Past Excel's cell limit the text is cut (the reader keeps it whole).
        ws.write_string(row, col, crate::text::fit_for_excel(&v.value))?;
    }
    Ok(())
}

/// Writes an optional date cell: a date the team typed goes back as a date.
fn date_or_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<&Val<String>>,
) -> Result<(), XlsxError> {
    match value {
        Some(v) => crate::excel_date::write_date_or_text(ws, (row, col), &v.value),
        None => Ok(()),
    }
}

fn number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<&Val<f64>>,
) -> Result<(), XlsxError> {
    if let Some(v) = value {
        ws.write_number(row, col, v.value)?;
    }
    Ok(())
}

fn fill(wb: &mut Workbook, team: &TeamWorkbook) -> Result<(), XlsxError> {
    let ws = wb.worksheet_from_name("Plan")?;
    for (i, m) in team.metrics.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, crate::text::fit_for_excel(&m.name.value))?;
        ws.write_string(r, 1, crate::text::fit_for_excel(&m.unit.value))?;
        ws.write_string(r, 2, m.better.name())?;
        ws.write_string(r, 3, m.rollup.describe(m.weight.as_deref()))?;
        for (c, v) in [
            &m.ly_target,
            &m.ly_actual,
            &m.baseline,
            &m.flat,
            &m.investment,
        ]
        .iter()
        .enumerate()
        {
            number(ws, r, 4 + c as u16, v.as_ref())?;
        }
        text(ws, r, 9, m.why.as_ref())?;
        for (c, q) in m.quarters.iter().enumerate() {
            number(ws, r, 10 + c as u16, q.as_ref())?;
        }
        number(ws, r, 14, m.forecast.as_ref())?;
        text(ws, r, 15, m.commentary.as_ref())?;
    }
    let ws = wb.worksheet_from_name("Resources")?;
    for (i, res) in team.resources.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, crate::text::fit_for_excel(&res.name.value))?;
        for (c, v) in [&res.ly, &res.flat, &res.investment]
            .into_iter()
            .chain(&res.quarters)
            .enumerate()
        {
            number(ws, r, 1 + c as u16, v.as_ref())?;
        }
    }
    let ws = wb.worksheet_from_name("Assumptions")?;
    for (i, a) in team.assumptions.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, crate::text::fit_for_excel(&a.value))?;
    }
    let ws = wb.worksheet_from_name("Asks")?;
    for (i, a) in team.asks.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, crate::text::fit_for_excel(&a.ask.value))?;
        text(ws, r, 1, a.kind.as_ref())?;
        number(ws, r, 2, a.amount.as_ref())?;
        date_or_text(ws, r, 3, a.needed_by.as_ref())?;
        text(ws, r, 4, a.if_delayed.as_ref())?;
    }
    let ws = wb.worksheet_from_name("Risks")?;
    for (i, k) in team.risks.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, crate::text::fit_for_excel(&k.risk.value))?;
        for (c, v) in [&k.likelihood, &k.impact, &k.mitigation, &k.owner]
            .iter()
            .enumerate()
        {
            text(ws, r, 1 + c as u16, v.as_ref())?;
        }
    }
    let ws = wb.worksheet_from_name("Goals")?;
    for (i, g) in team.goals.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, crate::text::fit_for_excel(&g.id.value))?;
        text(ws, r, 1, g.goal.as_ref())?;
        text(ws, r, 2, g.owners.as_ref())?;
        date_or_text(ws, r, 3, g.due.as_ref())?;
        text(ws, r, 4, g.metric.as_ref())?;
        text(ws, r, 5, g.target.as_ref())?;
        if let Some(status) = &g.status {
            ws.write_string(r, 6, status.value.name())?;
        }
        text(ws, r, 7, g.status_note.as_ref())?;
    }
    if !team.ideas.is_empty() {
        let ws = wb.worksheet_from_name("Ideas")?;
        for (i, idea) in team.ideas.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, crate::text::fit_for_excel(&idea.question.value))?;
            text(ws, r, 1, idea.answer.as_ref())?;
        }
    }
    Ok(())
}
