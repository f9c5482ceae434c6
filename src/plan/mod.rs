//! The typed model of a round as read: teams, metrics, resources and the
//! written parts of each plan. Every value keeps where it came from.

mod checkpoint;
pub mod layout;
mod narrative;
mod rows;

pub use checkpoint::{quarters_reported, GoalStatus, Quarters, QUARTERS};
pub use narrative::{in_reading_order, NarrativeSection, Section};
pub use rows::register_rows;

use crate::discover::{Format, InputFile, Skipped};
use crate::finding::Finding;
use std::collections::BTreeMap;
use std::fmt;

/// The sheets of a team workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SheetKind {
    Team,
    Plan,
    Resources,
    Assumptions,
    Asks,
    Risks,
    Goals,
    Ideas,
    Narrative,
}

impl SheetKind {
    pub const ALL: [SheetKind; 9] = [
        SheetKind::Team,
        SheetKind::Plan,
        SheetKind::Resources,
        SheetKind::Assumptions,
        SheetKind::Asks,
        SheetKind::Risks,
        SheetKind::Goals,
        SheetKind::Ideas,
        SheetKind::Narrative,
    ];
}

impl fmt::Display for SheetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A cell inside a team's workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub sheet: SheetKind,
    pub row: u32,
    pub col: u32,
}

impl Pos {
    /// The A1 address, e.g. `F7`.
    pub fn cell(&self) -> String {
        crate::a1::cell_name(self.row, self.col)
    }
}

/// A value and the cell it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Val<T> {
    pub value: T,
    pub pos: Pos,
}

/// What a metric's unit says about its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitKind {
    /// A currency amount; the unit is an ISO-4217 code.
    Money,
    /// A ratio, written `0.12` or `12%`.
    Ratio,
    /// Anything else: counts, hours, points.
    Other,
}

impl UnitKind {
    pub const ALL: [UnitKind; 3] = [UnitKind::Money, UnitKind::Ratio, UnitKind::Other];

    /// The kind named by [`UnitKind::name`].
    pub fn parse(name: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind's name in the model's tables.
    pub fn name(self) -> &'static str {
        match self {
            UnitKind::Money => "money",
            UnitKind::Ratio => "ratio",
            UnitKind::Other => "other",
        }
    }
}

/// Which direction is good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Better {
    Higher,
    Lower,
}

impl Better {
    pub const ALL: [Better; 2] = [Better::Higher, Better::Lower];

    /// The direction named by [`Better::name`].
    pub fn parse(name: &str) -> Option<Better> {
        Better::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The direction's name in the model's tables.
    pub fn name(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
        }
    }
}

/// How a metric totals across teams.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rollup {
    Sum,
    Mean,
    /// Σ vᵢ·wᵢ / Σ wᵢ over the teams, w being another metric of the same team
    /// and track (named by [`Metric::weight`]), e.g. gross margin weighted by
    /// revenue.
    Weighted,
    None,
}

impl Rollup {
    pub const ALL: [Rollup; 4] = [Rollup::Sum, Rollup::Mean, Rollup::Weighted, Rollup::None];

    /// The roll-up named by [`Rollup::name`].
    pub fn parse(name: &str) -> Option<Rollup> {
        Rollup::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The roll-up's name in the model's tables.
    pub fn name(self) -> &'static str {
        match self {
            Rollup::Sum => "sum",
            Rollup::Mean => "mean",
            Rollup::Weighted => "weighted",
            Rollup::None => "none",
        }
    }

    /// Reads a `Rollup` cell or setting as people write it: `sum` (`total`),
    /// `mean` (`average`, `avg`), `weighted by <Metric>` (also `weighted
    /// average by`, `weighted mean by`) or `none` (`n/a`). Returns the roll-up
    /// and, for a weighted one, the weighting metric's name as written.
    pub fn read(text: &str) -> Option<(Rollup, Option<String>)> {
        let trimmed = text.trim();
        for prefix in ["weighted average by", "weighted mean by", "weighted by"] {
            let head = trimmed.get(..prefix.len());
            if head.is_some_and(|h| h.eq_ignore_ascii_case(prefix)) {
                // The metric's name keeps the case it was written in.
                let name = trimmed[prefix.len()..]
                    .trim()
                    .trim_start_matches(':')
                    .trim();
                return (!name.is_empty()).then(|| (Rollup::Weighted, Some(name.to_string())));
            }
        }
        let rollup = match crate::names::normalise(trimmed).as_str() {
            "sum" | "total" => Rollup::Sum,
            "mean" | "average" | "avg" => Rollup::Mean,
            "none" | "n/a" | "na" => Rollup::None,
            _ => return None,
        };
        Some((rollup, None))
    }

    /// The roll-up as a person reads it: `weighted by Revenue` for a weighted one.
    pub fn describe(self, weight: Option<&str>) -> String {
        match (self, weight) {
            (Rollup::Weighted, Some(w)) => format!("weighted by {w}"),
            (r, _) => r.name().to_string(),
        }
    }
}

/// The planning tracks a metric or resource is given in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Track {
    LyTarget,
    LyActual,
    Baseline,
    Flat,
    Investment,
    Funded,
}

impl Track {
    pub const ALL: [Track; 6] = [
        Track::LyTarget,
        Track::LyActual,
        Track::Baseline,
        Track::Flat,
        Track::Investment,
        Track::Funded,
    ];

    /// The tracks read from a workbook, in output order (`Funded` is modelled).
    pub const READ: [Track; 5] = [
        Track::LyTarget,
        Track::LyActual,
        Track::Baseline,
        Track::Flat,
        Track::Investment,
    ];

    /// The track named by [`Track::name`].
    pub fn parse(name: &str) -> Option<Track> {
        Track::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The track's name in every output.
    pub const fn name(self) -> &'static str {
        match self {
            Track::LyTarget => "LY Target",
            Track::LyActual => "LY Actual",
            Track::Baseline => "Baseline",
            Track::Flat => "Flat",
            Track::Investment => "Investment",
            Track::Funded => "Funded",
        }
    }
}

/// One row of the Plan sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    pub name: Val<String>,
    pub unit: Val<String>,
    pub unit_kind: UnitKind,
    pub better: Better,
    pub rollup: Rollup,
    /// The metric a [`Rollup::Weighted`] metric is weighted by, as written.
    pub weight: Option<String>,
    pub ly_target: Option<Val<f64>>,
    pub ly_actual: Option<Val<f64>>,
    /// Blank in the workbook means "equal to LY Actual".
    pub baseline: Option<Val<f64>>,
    pub flat: Option<Val<f64>>,
    pub investment: Option<Val<f64>>,
    pub why: Option<Val<String>>,
    /// Each quarter's actual (checkpoint columns; blank = not reported).
    pub quarters: Quarters,
    /// The team's own estimate of the full-year actual.
    pub forecast: Option<Val<f64>>,
    /// What is behind the numbers at the checkpoint.
    pub commentary: Option<Val<String>>,
}

/// Whether a value of a `%` metric is a percent typed as a whole number
/// (`52` for 52%, which reads as 5,200%): no ratio in a plan is above 10.
pub fn is_whole_percent(value: f64) -> bool {
    value.abs() > 10.0
}

impl Metric {
    /// Whether the metric is a `%` metric holding a percent typed as a whole
    /// number (an error of its own; other rules do not judge its values).
    pub fn has_whole_percent(&self) -> bool {
        self.unit_kind == UnitKind::Ratio
            && Track::READ
                .iter()
                .filter_map(|t| self.track(*t))
                .any(|v| is_whole_percent(v.value))
    }

    /// The value of a read track (not `Funded`, which is modelled).
    pub fn track(&self, track: Track) -> Option<&Val<f64>> {
        match track {
            Track::LyTarget => self.ly_target.as_ref(),
            Track::LyActual => self.ly_actual.as_ref(),
            Track::Baseline => self.baseline.as_ref(),
            Track::Flat => self.flat.as_ref(),
            Track::Investment => self.investment.as_ref(),
            Track::Funded => None,
        }
    }
}

/// The org a team without one rolls up under.
pub const UNASSIGNED_ORG: &str = "Unassigned";

/// The most levels an org path may have (`Group/Division/…/Team`). The
/// roll-up has a row per level of every path, each row naming the path to
/// it, so its size grows with the square of the depth: a path of 16,383
/// levels in one 8 KB workbook once cost 37 s and 4 GB. Real orgs have a
/// handful of levels.
pub const MAX_ORG_LEVELS: usize = 12;

/// The longest name op1 takes, in characters: a team, owner, org level,
/// metric, resource or shared-goal ID. A name is repeated in every row,
/// chart label and message about it; a long one is a mistake (a sentence
/// typed in the wrong cell) or an attack, never a name.
pub const MAX_NAME_CHARS: usize = 300;

/// One row of the Resources sheet (`Headcount`, `Budget`, `Capex`, …).
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub name: Val<String>,
    pub ly: Option<Val<f64>>,
    pub flat: Option<Val<f64>>,
    pub investment: Option<Val<f64>>,
    /// Headcount at each quarter's end, or the money spent in the quarter.
    pub quarters: Quarters,
}

impl Resource {
    /// Whether the resource is counted in heads rather than money.
    pub fn is_headcount(&self) -> bool {
        is_headcount_name(&self.name.value)
    }
}

/// Whether a resource of this name is counted in heads (`Headcount`, `FTE`, …).
pub fn is_headcount_name(name: &str) -> bool {
    matches!(
        crate::names::normalise(name).as_str(),
        "headcount" | "heads" | "fte" | "ftes" | "people"
    )
}

/// One resource ask.
#[derive(Clone, Debug, PartialEq)]
pub struct Ask {
    pub ask: Val<String>,
    pub kind: Option<Val<String>>,
    pub amount: Option<Val<f64>>,
    pub needed_by: Option<Val<String>>,
    pub if_delayed: Option<Val<String>>,
}

/// One risk.
#[derive(Clone, Debug, PartialEq)]
pub struct Risk {
    pub risk: Val<String>,
    pub likelihood: Option<Val<String>>,
    pub impact: Option<Val<String>>,
    pub mitigation: Option<Val<String>>,
    pub owner: Option<Val<String>>,
}

/// One shared (S-2) goal as a team lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    pub id: Val<String>,
    pub goal: Option<Val<String>>,
    /// The owners cell as written, e.g. `Payments + Risk`.
    pub owners: Option<Val<String>>,
    pub owner_list: Vec<String>,
    pub due: Option<Val<String>>,
    pub metric: Option<Val<String>>,
    pub target: Option<Val<String>>,
    /// The goal's status at a checkpoint, and its note.
    pub status: Option<Val<GoalStatus>>,
    pub status_note: Option<Val<String>>,
}

/// One 10× question and its answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Idea {
    pub question: Val<String>,
    pub answer: Option<Val<String>>,
}

/// A totals row as the team wrote it, for the control totals.
#[derive(Clone, Debug, PartialEq)]
pub struct TotalsRow {
    pub sheet: SheetKind,
    pub row: u32,
    /// Column name → (value written, sum of the rows above).
    pub values: Vec<(String, Val<f64>, f64)>,
}

/// One team's workbook, read.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamWorkbook {
    /// The file as shown in findings.
    pub file: String,
    /// The sheet names as the workbook spells them.
    pub sheet_names: BTreeMap<SheetKind, String>,
    pub team: Val<String>,
    pub owner: Option<Val<String>>,
    pub org: Option<Val<String>>,
    /// The team's currency, upper case; `None` means the reporting currency.
    pub currency: Option<Val<String>>,
    pub fiscal_year: Option<Val<i64>>,
    pub metrics: Vec<Metric>,
    pub resources: Vec<Resource>,
    pub assumptions: Vec<Val<String>>,
    pub asks: Vec<Ask>,
    pub risks: Vec<Risk>,
    pub goals: Vec<Goal>,
    pub ideas: Vec<Idea>,
    /// The written plan, in reading order (empty without a Narrative sheet).
    pub narrative: Vec<NarrativeSection>,
    pub totals_rows: Vec<TotalsRow>,
    /// Data rows read per sheet.
    pub rows_read: BTreeMap<SheetKind, usize>,
    /// Where each sheet's columns were found: canonical column name → column index.
    pub columns: BTreeMap<SheetKind, BTreeMap<&'static str, u32>>,
}

impl TeamWorkbook {
    /// A workbook of which nothing is known yet but its file and team name.
    pub fn new(file: impl Into<String>, team: Val<String>) -> TeamWorkbook {
        TeamWorkbook {
            file: file.into(),
            sheet_names: BTreeMap::new(),
            team,
            owner: None,
            org: None,
            currency: None,
            fiscal_year: None,
            metrics: Vec::new(),
            resources: Vec::new(),
            assumptions: Vec::new(),
            asks: Vec::new(),
            risks: Vec::new(),
            goals: Vec::new(),
            ideas: Vec::new(),
            narrative: Vec::new(),
            totals_rows: Vec::new(),
            rows_read: BTreeMap::new(),
            columns: BTreeMap::new(),
        }
    }

    /// Gives back the spare room of the lists the reader filled: they grow by
    /// doubling as rows are read, and the round is held until the last
    /// output is written.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.metrics.shrink_to_fit();
        self.resources.shrink_to_fit();
        self.assumptions.shrink_to_fit();
        self.asks.shrink_to_fit();
        self.risks.shrink_to_fit();
        self.goals.shrink_to_fit();
        self.ideas.shrink_to_fit();
        self.narrative.shrink_to_fit();
        for section in &mut self.narrative {
            section.paragraphs.shrink_to_fit();
        }
        self.totals_rows.shrink_to_fit();
    }

    /// The sheet's name as the workbook spells it (canonical if absent).
    pub fn sheet_name(&self, kind: SheetKind) -> &str {
        self.sheet_names
            .get(&kind)
            .map(String::as_str)
            .unwrap_or(kind.name())
    }

    /// Where a value of this workbook was read from.
    pub fn source(&self, pos: Pos) -> crate::provenance::Source<'_> {
        crate::provenance::Source {
            file: &self.file,
            sheet: self.sheet_name(pos.sheet),
            row: pos.row,
            col: pos.col,
        }
    }

    /// The team's name.
    pub fn name(&self) -> &str {
        &self.team.value
    }

    /// The org path the team rolls up under ([`UNASSIGNED_ORG`] when blank).
    pub fn org_path(&self) -> &str {
        self.org
            .as_ref()
            .map(|o| o.value.as_str())
            .filter(|o| !o.is_empty())
            .unwrap_or(UNASSIGNED_ORG)
    }

    /// The currency the workbook's money is in: its own, else `reporting`.
    pub fn currency_or<'a>(&'a self, reporting: &'a str) -> &'a str {
        self.currency
            .as_ref()
            .map(|c| c.value.as_str())
            .unwrap_or(reporting)
    }

    /// A finding about a cell of this workbook.
    pub fn finding_at(
        &self,
        rule: crate::finding::Rule,
        pos: Pos,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(rule, message)
            .file(&self.file)
            .sheet(self.sheet_name(pos.sheet))
            .cell(pos.cell())
            .team(self.name())
    }

    /// A finding about a sheet of this workbook (no single cell).
    pub fn finding_on(
        &self,
        rule: crate::finding::Rule,
        sheet: SheetKind,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(rule, message)
            .file(&self.file)
            .sheet(self.sheet_name(sheet))
            .team(self.name())
    }

    /// The cell of `column` in `row` of a sheet, when the sheet has that column.
    pub fn cell_pos(&self, sheet: SheetKind, row: u32, column: &str) -> Option<Pos> {
        let col = *self.columns.get(&sheet)?.get(column)?;
        Some(Pos { sheet, row, col })
    }

    /// A resource row by name (`Headcount`, `Budget`), case-insensitively.
    pub fn resource(&self, name: &str) -> Option<&Resource> {
        let key = crate::names::normalise(name);
        self.resources
            .iter()
            .find(|r| crate::names::normalise(&r.name.value) == key)
    }
}

/// The outcome of reading one input file.
#[derive(Clone, Debug)]
pub struct FileRead {
    pub input: InputFile,
    /// The format the content turned out to be.
    pub format: Option<Format>,
    pub bytes: u64,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: Option<String>,
    /// The workbook, when it could be read at all.
    pub workbook: Option<TeamWorkbook>,
}

/// A whole round as read: every file and every file passed over. (The
/// findings of reading it are held with the run's other findings.)
#[derive(Clone, Debug, Default)]
pub struct Round {
    pub files: Vec<FileRead>,
    pub skipped: Vec<Skipped>,
    /// op1's own output folders inside the round, passed over whole, with
    /// how many files each held.
    pub outputs: Vec<(String, usize)>,
}

impl Round {
    /// The workbooks that could be read.
    pub fn workbooks(&self) -> impl Iterator<Item = &TeamWorkbook> {
        self.files.iter().filter_map(|f| f.workbook.as_ref())
    }
}
