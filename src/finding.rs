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

/// Declares every rule once — its variant, id, default severity, whether the
/// settings may change it, whether it compares teams, and the file that
/// raises it — and generates [`Rule`] and its tables from that one list.
macro_rules! rules {
    ($($(#[$group:meta])* $variant:ident => $id:literal, $severity:ident, $adjust:ident, $scope:ident, $raised:literal;)*) => {
        /// Every rule op1 knows, with its id and default severity.
        ///
        /// The ids are a public interface: they appear in text and JSON output and are
        /// the keys of the settings' `[rules]` table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// All rules, in the order they are documented.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable id used in output and in the settings' `[rules]` table.
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }

            /// The severity a finding of this rule has unless the settings say otherwise.
            pub fn default_severity(self) -> Severity {
                match self {
                    $(Rule::$variant => Severity::$severity,)*
                }
            }

            /// Whether the settings may lower or switch off this rule. Rules that
            /// guard the integrity of the numbers (an unreadable value, a missing
            /// exchange rate, a pack that does not reconcile) or the round's
            /// trust boundaries (a settings file or link in a team's folder)
            /// cannot be silenced.
            pub fn is_adjustable(self) -> bool {
                match self {
                    $(Rule::$variant => rules!(@adjust $adjust),)*
                }
            }

            /// Whether this rule compares a team with the rest of the round:
            /// not judged when one submission is checked on its own.
            pub fn is_cross_team(self) -> bool {
                match self {
                    $(Rule::$variant => rules!(@scope $scope),)*
                }
            }

            /// The file under `src/` that raises this rule (ARCHITECTURE.md,
            /// "Where each rule is raised", says more).
            pub fn raised_in(self) -> &'static str {
                match self {
                    $(Rule::$variant => $raised,)*
                }
            }
        }
    };
    (@adjust adjustable) => { true };
    (@adjust fixed) => { false };
    (@scope cross_team) => { true };
    (@scope one_team) => { false };
}

// variant => id, default severity, adjustable or fixed, cross_team or one_team, raised in
rules! {
    // Reading files.
    FileUnreadable => "file-unreadable", Error, fixed, one_team, "read/mod.rs";
    FileEncrypted => "file-encrypted", Error, fixed, one_team, "read/mod.rs";
    FileTooLarge => "file-too-large", Error, fixed, one_team, "read/mod.rs";
    SheetTooLarge => "sheet-too-large", Error, fixed, one_team, "read/workbook.rs";
    SheetMissing => "sheet-missing", Error, adjustable, one_team, "read/workbook.rs";
    HeaderMissing => "header-missing", Error, adjustable, one_team, "read/workbook.rs";
    ColumnUnknown => "column-unknown", Info, adjustable, one_team, "read/workbook.rs";
    ColumnMisnamed => "column-misnamed", Warning, adjustable, one_team, "read/workbook.rs";
    NotANumber => "not-a-number", Error, fixed, one_team, "read/table.rs";
    ExcelError => "excel-error", Error, fixed, one_team, "read/table.rs";
    ValueMissing => "value-missing", Error, adjustable, one_team, "read/plan_sheet.rs";
    BadValue => "bad-value", Error, adjustable, one_team, "read/team_sheet.rs";
    PercentWholeNumber => "percent-whole-number", Error, adjustable, one_team, "read/plan_sheet.rs";
    AmbiguousNumber => "ambiguous-number", Warning, adjustable, one_team, "read/table.rs";
    CurrencySymbol => "currency-symbol", Error, fixed, one_team, "read/plan_sheet.rs";
    ActualsMissing => "actuals-missing", Warning, adjustable, one_team, "read/plan_sheet.rs";
    ReaderPanic => "reader-panic", Error, fixed, one_team, "read/mod.rs";
    // The OP1 checklist.
    AssumptionsCount => "assumptions-count", Warning, adjustable, one_team, "check/registers.rs";
    AsksCount => "asks-count", Warning, adjustable, one_team, "check/registers.rs";
    RisksCount => "risks-count", Warning, adjustable, one_team, "check/registers.rs";
    RiskMitigation => "risk-mitigation", Warning, adjustable, one_team, "check/registers.rs";
    S2Owners => "s2-owners", Warning, adjustable, one_team, "check/goals.rs";
    S2Unlisted => "s2-unlisted", Warning, adjustable, cross_team, "check/goals.rs";
    S2Mismatch => "s2-mismatch", Warning, adjustable, cross_team, "check/goals.rs";
    FlatResources => "flat-resources", Warning, adjustable, one_team, "check/resources.rs";
    InvestmentResources => "investment-resources", Warning, adjustable, one_team, "check/resources.rs";
    InvestmentBelowFlat => "investment-below-flat", Warning, adjustable, one_team, "check/metrics.rs";
    LyMissWhy => "ly-miss-why", Warning, adjustable, one_team, "check/metrics.rs";
    TotalsRow => "totals-row", Warning, adjustable, one_team, "read/plan_sheet.rs";
    FiscalYear => "fiscal-year", Error, adjustable, one_team, "check/metrics.rs";
    DuplicateTeam => "duplicate-team", Error, fixed, cross_team, "read/mod.rs";
    NameConfusable => "name-confusable", Warning, adjustable, cross_team, "read/mod.rs";
    DuplicateFile => "duplicate-file", Warning, adjustable, one_team, "read/mod.rs";
    MarkerUnverified => "marker-unverified", Warning, fixed, one_team, "run/round.rs";
    SettingsIgnored => "settings-ignored", Warning, fixed, one_team, "run/round.rs";
    LinkOutside => "link-outside", Warning, fixed, one_team, "run/round.rs";
    DuplicateMetric => "duplicate-metric", Error, fixed, one_team, "read/plan_sheet.rs";
    MissingTeam => "missing-team", Warning, adjustable, cross_team, "check/roster.rs";
    MetricMissing => "metric-missing", Warning, adjustable, cross_team, "check/coverage.rs";
    MetricUnknown => "metric-unknown", Warning, adjustable, one_team, "check/dictionary.rs";
    MetricStandardised => "metric-standardised", Warning, adjustable, one_team, "check/dictionary.rs";
    WeightMissing => "weight-missing", Error, fixed, one_team, "check/weights.rs";
    NarrativeMissing => "narrative-missing", Info, adjustable, one_team, "check/narrative.rs";
    LessonsMissing => "lessons-missing", Warning, adjustable, one_team, "check/narrative.rs";
    DocLength => "doc-length", Warning, adjustable, one_team, "check/narrative.rs";
    // Modelling and output.
    FxMissing => "fx-missing", Error, fixed, one_team, "check/currency.rs";
    RowCurrency => "row-currency", Warning, adjustable, one_team, "check/currency.rs";
    MetricConflict => "metric-conflict", Warning, adjustable, one_team, "model/rollup.rs";
    FundingCase => "funding-case", Warning, adjustable, one_team, "model/funding.rs";
    FundingUnknown => "funding-unknown", Warning, adjustable, cross_team, "model/funding.rs";
    DecisionsOverEnvelope => "decisions-over-envelope", Warning, adjustable, cross_team, "model/funding.rs";
    TargetGap => "target-gap", Warning, adjustable, cross_team, "model/targets.rs";
    TargetUnknown => "target-unknown", Warning, adjustable, cross_team, "model/targets.rs";
    Reconcile => "reconcile", Error, fixed, one_team, "write/workbook/pack/sources.rs";
    CellTruncated => "cell-truncated", Warning, adjustable, one_team, "write/workbook/pack/cells.rs";
    ChartFailed => "chart-failed", Warning, adjustable, one_team, "write/charts/mod.rs";
    ChartFont => "chart-font", Warning, adjustable, one_team, "write/charts/mod.rs";
    PackModified => "pack-modified", Warning, fixed, one_team, "run/mod.rs";
    // Checkpoints.
    PlanUnapproved => "plan-unapproved", Info, adjustable, one_team, "checkpoint/mod.rs";
    NoApprovedPlan => "no-approved-plan", Warning, fixed, one_team, "checkpoint/mod.rs";
    PlanChanged => "plan-changed", Warning, adjustable, one_team, "checkpoint/findings.rs";
    QuartersCumulative => "quarters-cumulative", Warning, adjustable, one_team, "checkpoint/findings.rs";
    ForecastOutlier => "forecast-outlier", Warning, adjustable, one_team, "checkpoint/findings.rs";
    StatusJump => "status-jump", Warning, adjustable, one_team, "checkpoint/findings.rs";
    Overcommitted => "overcommitted", Warning, adjustable, one_team, "checkpoint/findings.rs";
    S2StatusMismatch => "s2-status-mismatch", Warning, adjustable, one_team, "checkpoint/findings.rs";
    GoalOverdue => "goal-overdue", Warning, adjustable, one_team, "checkpoint/findings.rs";
}

impl Rule {
    /// Whether this rule means a cell's value was not read as typed (not a
    /// number, an Excel error, a word op1 does not know, an amount in another
    /// currency): the feedback workbook shows the value as the team typed it.
    pub fn value_not_read_as_typed(self) -> bool {
        matches!(
            self,
            Rule::NotANumber | Rule::ExcelError | Rule::BadValue | Rule::CurrencySymbol
        )
    }

    /// Looks a rule up by its id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
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
            assert_eq!(Rule::from_id(rule.id()), Some(*rule));
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
