//! Findings: every problem op1 reports — what it is, how bad, and exactly where.
//!
//! A [`Finding`] carries a severity, a stable rule id, the file, sheet, cell and
//! team it concerns, and a message that quotes the offending value. Findings are
//! never fatal on their own: the pipeline collects them all and reports them
//! together, so one bad workbook never hides the problems of another.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is wrong: the plan cannot be used as it stands.
    Error,
    /// The plan is usable but breaks an OP1 expectation.
    Warning,
    /// Worth knowing; nothing to fix.
    Info,
}

impl Severity {
    /// The lower-case name used in text and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every rule op1 knows, with its id and default severity.
///
/// The ids are a public interface: they appear in text and JSON output and are
/// the keys of the settings' `[rules]` table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    // Reading files.
    FileUnreadable,
    FileEncrypted,
    FileTooLarge,
    SheetTooLarge,
    SheetMissing,
    HeaderMissing,
    ColumnUnknown,
    ColumnMisnamed,
    NotANumber,
    ExcelError,
    ValueMissing,
    BadValue,
    PercentWholeNumber,
    AmbiguousNumber,
    CurrencySymbol,
    ActualsMissing,
    ReaderPanic,
    // The OP1 checklist.
    AssumptionsCount,
    AsksCount,
    RisksCount,
    RiskMitigation,
    S2Owners,
    S2Unlisted,
    S2Mismatch,
    FlatResources,
    InvestmentResources,
    InvestmentBelowFlat,
    LyMissWhy,
    TotalsRow,
    FiscalYear,
    DuplicateTeam,
    NameConfusable,
    DuplicateFile,
    MarkerUnverified,
    SettingsIgnored,
    LinkOutside,
    DuplicateMetric,
    MissingTeam,
    MetricMissing,
    MetricUnknown,
    MetricStandardised,
    WeightMissing,
    NarrativeMissing,
    LessonsMissing,
    DocLength,
    // Modelling and output.
    FxMissing,
    RowCurrency,
    MetricConflict,
    FundingCase,
    Reconcile,
    CellTruncated,
    ChartFailed,
    ChartFont,
    PackModified,
    // Checkpoints.
    PlanUnapproved,
    NoApprovedPlan,
    PlanChanged,
    QuartersCumulative,
    ForecastOutlier,
    StatusJump,
    Overcommitted,
    S2StatusMismatch,
    GoalOverdue,
}

impl Rule {
    /// All rules, in the order they are documented.
    pub(crate) const ALL: [Rule; 63] = [
        Rule::FileUnreadable,
        Rule::FileEncrypted,
        Rule::FileTooLarge,
        Rule::SheetTooLarge,
        Rule::SheetMissing,
        Rule::HeaderMissing,
        Rule::ColumnUnknown,
        Rule::ColumnMisnamed,
        Rule::NotANumber,
        Rule::ExcelError,
        Rule::ValueMissing,
        Rule::BadValue,
        Rule::PercentWholeNumber,
        Rule::AmbiguousNumber,
        Rule::CurrencySymbol,
        Rule::ActualsMissing,
        Rule::ReaderPanic,
        Rule::AssumptionsCount,
        Rule::AsksCount,
        Rule::RisksCount,
        Rule::RiskMitigation,
        Rule::S2Owners,
        Rule::S2Unlisted,
        Rule::S2Mismatch,
        Rule::FlatResources,
        Rule::InvestmentResources,
        Rule::InvestmentBelowFlat,
        Rule::LyMissWhy,
        Rule::TotalsRow,
        Rule::FiscalYear,
        Rule::DuplicateTeam,
        Rule::NameConfusable,
        Rule::DuplicateFile,
        Rule::MarkerUnverified,
        Rule::SettingsIgnored,
        Rule::LinkOutside,
        Rule::DuplicateMetric,
        Rule::MissingTeam,
        Rule::MetricMissing,
        Rule::MetricUnknown,
        Rule::MetricStandardised,
        Rule::WeightMissing,
        Rule::NarrativeMissing,
        Rule::LessonsMissing,
        Rule::DocLength,
        Rule::FxMissing,
        Rule::RowCurrency,
        Rule::MetricConflict,
        Rule::FundingCase,
        Rule::Reconcile,
        Rule::CellTruncated,
        Rule::ChartFailed,
        Rule::ChartFont,
        Rule::PackModified,
        Rule::PlanUnapproved,
        Rule::NoApprovedPlan,
        Rule::PlanChanged,
        Rule::QuartersCumulative,
        Rule::ForecastOutlier,
        Rule::StatusJump,
        Rule::Overcommitted,
        Rule::S2StatusMismatch,
        Rule::GoalOverdue,
    ];

    /// The stable, kebab-case id of the rule.
    pub fn id(self) -> &'static str {
        match self {
            Rule::FileUnreadable => "file-unreadable",
            Rule::FileEncrypted => "file-encrypted",
            Rule::FileTooLarge => "file-too-large",
            Rule::SheetTooLarge => "sheet-too-large",
            Rule::SheetMissing => "sheet-missing",
            Rule::HeaderMissing => "header-missing",
            Rule::ColumnUnknown => "column-unknown",
            Rule::ColumnMisnamed => "column-misnamed",
            Rule::NotANumber => "not-a-number",
            Rule::ExcelError => "excel-error",
            Rule::ValueMissing => "value-missing",
            Rule::BadValue => "bad-value",
            Rule::PercentWholeNumber => "percent-whole-number",
            Rule::AmbiguousNumber => "ambiguous-number",
            Rule::CurrencySymbol => "currency-symbol",
            Rule::ActualsMissing => "actuals-missing",
            Rule::ReaderPanic => "reader-panic",
            Rule::AssumptionsCount => "assumptions-count",
            Rule::AsksCount => "asks-count",
            Rule::RisksCount => "risks-count",
            Rule::RiskMitigation => "risk-mitigation",
            Rule::S2Owners => "s2-owners",
            Rule::S2Unlisted => "s2-unlisted",
            Rule::S2Mismatch => "s2-mismatch",
            Rule::FlatResources => "flat-resources",
            Rule::InvestmentResources => "investment-resources",
            Rule::InvestmentBelowFlat => "investment-below-flat",
            Rule::LyMissWhy => "ly-miss-why",
            Rule::TotalsRow => "totals-row",
            Rule::FiscalYear => "fiscal-year",
            Rule::DuplicateTeam => "duplicate-team",
            Rule::NameConfusable => "name-confusable",
            Rule::DuplicateFile => "duplicate-file",
            Rule::MarkerUnverified => "marker-unverified",
            Rule::SettingsIgnored => "settings-ignored",
            Rule::LinkOutside => "link-outside",
            Rule::DuplicateMetric => "duplicate-metric",
            Rule::MissingTeam => "missing-team",
            Rule::MetricMissing => "metric-missing",
            Rule::MetricUnknown => "metric-unknown",
            Rule::MetricStandardised => "metric-standardised",
            Rule::WeightMissing => "weight-missing",
            Rule::NarrativeMissing => "narrative-missing",
            Rule::LessonsMissing => "lessons-missing",
            Rule::DocLength => "doc-length",
            Rule::FxMissing => "fx-missing",
            Rule::RowCurrency => "row-currency",
            Rule::MetricConflict => "metric-conflict",
            Rule::FundingCase => "funding-case",
            Rule::Reconcile => "reconcile",
            Rule::CellTruncated => "cell-truncated",
            Rule::ChartFailed => "chart-failed",
            Rule::ChartFont => "chart-font",
            Rule::PackModified => "pack-modified",
            Rule::PlanUnapproved => "plan-unapproved",
            Rule::NoApprovedPlan => "no-approved-plan",
            Rule::PlanChanged => "plan-changed",
            Rule::QuartersCumulative => "quarters-cumulative",
            Rule::ForecastOutlier => "forecast-outlier",
            Rule::StatusJump => "status-jump",
            Rule::Overcommitted => "overcommitted",
            Rule::S2StatusMismatch => "s2-status-mismatch",
            Rule::GoalOverdue => "goal-overdue",
        }
    }

    /// The severity a finding of this rule has unless the settings say otherwise.
    pub fn default_severity(self) -> Severity {
        use Rule::*;
        match self {
            ColumnUnknown | NarrativeMissing | PlanUnapproved => Severity::Info,
            AssumptionsCount | AsksCount | RisksCount | RiskMitigation | S2Owners | S2Unlisted
            | MetricConflict | S2Mismatch | FlatResources | InvestmentResources
            | InvestmentBelowFlat | LyMissWhy | TotalsRow | MissingTeam | FundingCase
            | DuplicateFile | MarkerUnverified | SettingsIgnored | LinkOutside | NameConfusable
            | ColumnMisnamed | MetricMissing | MetricUnknown | MetricStandardised
            | CellTruncated | ChartFailed | ChartFont | LessonsMissing | ActualsMissing
            | PlanChanged | ForecastOutlier | StatusJump | Overcommitted | S2StatusMismatch
            | GoalOverdue | DocLength | RowCurrency | PackModified | NoApprovedPlan
            | QuartersCumulative | AmbiguousNumber => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// Whether this rule means a cell's value was not read as typed (not a
    /// number, an Excel error, a word op1 does not know, an amount in another
    /// currency): the feedback workbook shows the value as the team typed it.
    pub fn value_not_read_as_typed(self) -> bool {
        matches!(
            self,
            Rule::NotANumber | Rule::ExcelError | Rule::BadValue | Rule::CurrencySymbol
        )
    }

    /// Whether the settings may lower or switch off this rule. Rules that
    /// guard the integrity of the numbers (an unreadable value, a missing
    /// exchange rate, a pack that does not reconcile) cannot be silenced.
    pub fn is_adjustable(self) -> bool {
        !matches!(
            self,
            Rule::FileUnreadable
                | Rule::FileEncrypted
                | Rule::FileTooLarge
                | Rule::SheetTooLarge
                | Rule::NotANumber
                | Rule::ExcelError
                | Rule::ReaderPanic
                | Rule::FxMissing
                | Rule::CurrencySymbol
                | Rule::Reconcile
                | Rule::PackModified
                | Rule::NoApprovedPlan
                | Rule::DuplicateTeam
                | Rule::MarkerUnverified
                | Rule::SettingsIgnored
                | Rule::LinkOutside
                | Rule::DuplicateMetric
                | Rule::WeightMissing
        )
    }

    /// Looks a rule up by its id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One problem, with everything needed to find and fix it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub rule: Rule,
    pub file: Option<String>,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub team: Option<String>,
    pub message: String,
}

impl Finding {
    /// A finding of `rule` at its default severity, located nowhere yet.
    pub fn new(rule: Rule, message: impl Into<String>) -> Finding {
        Finding {
            severity: rule.default_severity(),
            rule,
            file: None,
            sheet: None,
            cell: None,
            team: None,
            message: message.into(),
        }
    }

    pub fn file(mut self, file: impl Into<String>) -> Finding {
        self.file = Some(file.into());
        self
    }

    pub fn sheet(mut self, sheet: impl Into<String>) -> Finding {
        self.sheet = Some(sheet.into());
        self
    }

    pub fn cell(mut self, cell: impl Into<String>) -> Finding {
        self.cell = Some(cell.into());
        self
    }

    pub fn team(mut self, team: impl Into<String>) -> Finding {
        self.team = Some(team.into());
        self
    }

    pub fn team_opt(mut self, team: Option<&str>) -> Finding {
        self.team = team.map(str::to_string);
        self
    }

    /// `file › Sheet!Cell`, as much of it as is known.
    pub fn location(&self) -> String {
        let mut out = self.file.clone().unwrap_or_default();
        if let Some(sheet) = &self.sheet {
            if !out.is_empty() {
                out.push_str(" › ");
            }
            out.push_str(&crate::a1::quote_sheet(sheet));
            if let Some(cell) = &self.cell {
                out.push('!');
                out.push_str(cell);
            }
        }
        out
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}] ", self.severity, self.rule)?;
        let location = self.location();
        if !location.is_empty() {
            write!(f, "{location}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Severity overrides from the settings' `[rules]` table.
#[derive(Clone, Debug, Default)]
pub struct RuleLevels {
    levels: BTreeMap<Rule, Option<Severity>>,
}

impl RuleLevels {
    /// Sets the level of a rule; `None` switches it off.
    pub fn set(&mut self, rule: Rule, level: Option<Severity>) {
        self.levels.insert(rule, level);
    }

    /// Applies the override of the finding's rule: the finding re-graded, or
    /// `None` when its rule is switched off.
    pub fn grade(&self, mut finding: Finding) -> Option<Finding> {
        match self.levels.get(&finding.rule) {
            None => Some(finding),
            Some(None) => None,
            Some(Some(level)) => {
                finding.severity = *level;
                Some(finding)
            }
        }
    }
}

/// Every finding of a run, held in one place. Findings arrive through
/// [`Findings::extend`], which grades them by the settings' rule levels once
/// (re-grades, drops rules switched off) and keeps them in report order, so
/// the report, the JSON and the pack's Checks sheet all show the same list.
#[derive(Clone, Debug, Default)]
pub struct Findings {
    levels: RuleLevels,
    list: Vec<Finding>,
}

impl Findings {
    /// An empty list that grades what it receives by `levels`.
    pub fn new(levels: RuleLevels) -> Findings {
        Findings {
            levels,
            list: Vec::new(),
        }
    }

    /// Adds findings, graded, and restores report order.
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        let levels = &self.levels;
        self.list
            .extend(findings.into_iter().filter_map(|f| levels.grade(f)));
        sort_findings(&mut self.list);
    }

    /// Every finding, in report order.
    pub fn all(&self) -> &[Finding] {
        &self.list
    }

    /// Whether any finding is an error (or a warning, when `strict`).
    pub fn has_errors(&self, strict: bool) -> bool {
        has_errors(&self.list, strict)
    }

    /// The files with at least one error: display name → how many.
    pub fn errors_by_file(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for f in self.list.iter().filter(|f| f.severity == Severity::Error) {
            if let Some(file) = &f.file {
                *out.entry(file.clone()).or_insert(0) += 1;
            }
        }
        out
    }

    /// Whether an error concerns the round as a whole rather than one file
    /// (an unreadable roster, say).
    pub fn has_round_errors(&self) -> bool {
        self.list
            .iter()
            .any(|f| f.severity == Severity::Error && f.file.is_none())
    }
}

/// Whether findings include an error, counting warnings as errors when strict.
pub fn has_errors(findings: &[Finding], strict: bool) -> bool {
    findings
        .iter()
        .any(|f| f.severity == Severity::Error || (strict && f.severity == Severity::Warning))
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Tally {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Tally {
        let mut t = Tally::default();
        for f in findings {
            match f.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Info => t.infos += 1,
            }
        }
        t
    }
}

/// Sorts findings into report order: by file, then errors first, then by
/// sheet and cell position, then message. Deterministic for identical input.
pub(crate) fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.file
            .cmp(&b.file)
            .then(a.severity.cmp(&b.severity))
            .then(a.sheet.cmp(&b.sheet))
            .then_with(|| cell_order(a.cell.as_deref()).cmp(&cell_order(b.cell.as_deref())))
            .then(a.rule.cmp(&b.rule))
            .then(a.message.cmp(&b.message))
    });
}

fn cell_order(cell: Option<&str>) -> (u32, u32) {
    cell.and_then(crate::a1::parse_a1)
        .unwrap_or((u32::MAX, u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for rule in Rule::ALL {
            assert!(seen.insert(rule.id()), "duplicate id {}", rule.id());
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
        }
    }

    #[test]
    fn display_names_file_sheet_and_cell() {
        let f = Finding::new(
            Rule::NotANumber,
            "expected a number in column \"Flat\", found \"TBD\"",
        )
        .file("payments-na.xlsx")
        .sheet("Plan")
        .cell("H3");
        assert_eq!(
            f.to_string(),
            "error[not-a-number] payments-na.xlsx › Plan!H3: expected a number in column \"Flat\", found \"TBD\""
        );
    }

    #[test]
    fn overrides_regrade_and_switch_off() {
        let mut levels = RuleLevels::default();
        levels.set(Rule::AsksCount, Some(Severity::Error));
        levels.set(Rule::TotalsRow, None);
        let mut out = Findings::new(levels);
        out.extend(vec![
            Finding::new(Rule::AsksCount, "a"),
            Finding::new(Rule::TotalsRow, "b"),
            Finding::new(Rule::RisksCount, "c"),
        ]);
        let out = out.all();
        assert_eq!(out.len(), 2);
        assert_eq!(
            (out[0].rule, out[0].severity),
            (Rule::AsksCount, Severity::Error)
        );
        assert_eq!(
            (out[1].rule, out[1].severity),
            (Rule::RisksCount, Severity::Warning)
        );
    }
}
