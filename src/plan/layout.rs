//! The team workbook as the contract describes it (`op1-format.md`, "The
//! team workbook"), written once: each sheet's name and the names it also
//! goes by, whether a workbook must have it, the Team sheet's fields, and
//! each table sheet's columns — name, aliases, whether required, whether
//! it is a checkpoint column (the year's Q1–Q4, Forecast, Commentary,
//! Status, which a checkpoint re-issue adds) and whether it holds a money
//! row's amounts. The readers, `template`, `feedback` and `reissue` all
//! read the workbook from here.

use super::SheetKind;

/// One column a sheet may have (or, on the Team sheet, one field).
#[derive(Clone, Copy, Debug)]
pub struct ColumnSpec {
    /// The canonical name, used in messages and outputs.
    pub name: &'static str,
    /// Other names it goes by.
    pub aliases: &'static [&'static str],
    /// Whether the sheet's header must have it.
    pub required: bool,
    /// A checkpoint column: filled through the year, not in the round's
    /// template.
    pub checkpoint: bool,
    /// On a money row, it holds an amount in the row's currency.
    pub money: bool,
}

/// An optional planning column named `name`, also known as `aliases`.
const fn col(name: &'static str, aliases: &'static [&'static str]) -> ColumnSpec {
    ColumnSpec {
        name,
        aliases,
        required: false,
        checkpoint: false,
        money: false,
    }
}

impl ColumnSpec {
    const fn required(self) -> ColumnSpec {
        ColumnSpec {
            required: true,
            ..self
        }
    }

    const fn checkpoint(self) -> ColumnSpec {
        ColumnSpec {
            checkpoint: true,
            ..self
        }
    }

    const fn money(self) -> ColumnSpec {
        ColumnSpec {
            money: true,
            ..self
        }
    }
}

/// A quarter's actual column, as the Plan and Resources sheets have it.
const fn quarter(name: &'static str, aliases: &'static [&'static str]) -> ColumnSpec {
    col(name, aliases).checkpoint().money()
}

/// The two tracks both the Plan and the Resources sheet plan.
const FLAT: ColumnSpec = col("Flat", &["Same resources", "Flat resources"])
    .required()
    .money();
const INVESTMENT: ColumnSpec = col("Investment", &["Stretch", "More investment", "Invest"])
    .required()
    .money();

/// The quarters' actuals both the Plan and the Resources sheet take (heads
/// at the quarter's end, or money spent in it).
const QUARTERS: [ColumnSpec; 4] = [
    quarter("Q1", &["Q1 Actual", "Q1 AC", "Actual Q1"]),
    quarter("Q2", &["Q2 Actual", "Q2 AC", "Actual Q2"]),
    quarter("Q3", &["Q3 Actual", "Q3 AC", "Actual Q3"]),
    quarter("Q4", &["Q4 Actual", "Q4 AC", "Actual Q4"]),
];

/// The Team sheet's fields, label in column A and value in column B.
pub static TEAM_FIELDS: &[ColumnSpec] = &[
    col("Team", &["Team name"]).required(),
    col("Owner", &["Leader", "Accountable leader"]),
    col("Org", &["Organisation", "Organization", "Org path"]),
    col("Currency", &["Team currency"]),
    col("Fiscal year", &["FY"]),
];

/// The Plan sheet's columns.
pub static PLAN_COLUMNS: &[ColumnSpec] = &[
    col("Metric", &["KPI", "Measure"]).required(),
    col("Unit", &["Units"]).required(),
    col("Better", &["Direction"]),
    col("Rollup", &["Aggregation", "Roll-up"]),
    col("LY Target", &["Last year target", "PY Target"]).money(),
    col(
        "LY Actual",
        &["Last year actual", "LY", "PY", "Actual", "PY Actual"],
    )
    .required()
    .money(),
    col("Baseline", &["Status quo", "Run rate"]).money(),
    FLAT,
    INVESTMENT,
    col("Why", &["Notes", "Comment", "Comments"]),
    // The checkpoint columns (contract v2): the plan of record stays one file.
    QUARTERS[0],
    QUARTERS[1],
    QUARTERS[2],
    QUARTERS[3],
    col("Forecast", &["FC", "Landing", "Full-year forecast"])
        .checkpoint()
        .money(),
    col("Commentary", &["Variance note", "Checkpoint note"]).checkpoint(),
];

/// The Resources sheet's columns.
pub static RESOURCE_COLUMNS: &[ColumnSpec] = &[
    col("Resource", &["Resources", "Item"]).required(),
    col("LY", &["Last year", "LY Actual", "PY", "Actual"])
        .required()
        .money(),
    FLAT,
    INVESTMENT,
    QUARTERS[0],
    QUARTERS[1],
    QUARTERS[2],
    QUARTERS[3],
];

/// The Assumptions sheet's column.
pub static ASSUMPTION_COLUMNS: &[ColumnSpec] = &[col("Assumption", &["Assumptions"]).required()];

/// The Asks sheet's columns.
pub static ASK_COLUMNS: &[ColumnSpec] = &[
    col("Ask", &["Asks", "Request", "Resource ask"]).required(),
    col("Kind", &["Type"]),
    col("Amount", &["Quantity", "Value"]),
    col("Needed by", &["Need by", "Date needed", "When"]),
    col(
        "If delayed",
        &["Impact if delayed", "If late", "What slips"],
    ),
];

/// The Risks sheet's columns.
pub static RISK_COLUMNS: &[ColumnSpec] = &[
    col("Risk", &["Risks"]).required(),
    col("Likelihood", &["Probability"]),
    col("Impact", &["Severity"]),
    col("Mitigation", &["Mitigations", "Mitigation plan"]),
    col("Owner", &["Risk owner"]),
];

/// The Goals sheet's columns (shared S-2 goals).
pub static GOAL_COLUMNS: &[ColumnSpec] = &[
    col("ID", &["Goal ID", "S2 ID"]).required(),
    col("Goal", &["Shared goal", "Description"]).required(),
    col("Owners", &["Owner", "Owning teams"]).required(),
    col("Due", &["Due date", "By"]),
    col("Metric", &["KPI", "Measure"]),
    col("Target", &[]),
    col("Status", &["Goal status"]).checkpoint(),
    col("Status note", &["Status comment", "Note"]).checkpoint(),
];

/// The Ideas sheet's columns (the 10× questions).
pub static IDEA_COLUMNS: &[ColumnSpec] = &[
    col("Question", &["Prompt"]).required(),
    col("Answer", &["Response", "Idea"]),
];

/// The Narrative sheet's columns (contract v2).
pub static NARRATIVE_COLUMNS: &[ColumnSpec] = &[
    col("Section", &["Heading", "Part"]).required(),
    col("Text", &["Paragraph", "Content", "Narrative"]).required(),
    // The template's one line on what a section holds; never read as text.
    col("Guidance", &["Hint", "What to write"]),
];

impl SheetKind {
    /// The canonical sheet name.
    pub fn name(self) -> &'static str {
        match self {
            SheetKind::Team => "Team",
            SheetKind::Plan => "Plan",
            SheetKind::Resources => "Resources",
            SheetKind::Assumptions => "Assumptions",
            SheetKind::Asks => "Asks",
            SheetKind::Risks => "Risks",
            SheetKind::Goals => "Goals",
            SheetKind::Ideas => "Ideas",
            SheetKind::Narrative => "Narrative",
        }
    }

    /// The names the sheet also goes by, beyond [`SheetKind::name`].
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            SheetKind::Team => &["Team info", "About"],
            SheetKind::Plan => &["Plans", "Metrics", "KPIs"],
            SheetKind::Resources => &["Resource"],
            SheetKind::Assumptions => &["Assumption"],
            SheetKind::Asks => &["Ask", "Resource asks"],
            SheetKind::Risks => &["Risk", "Risks and mitigations"],
            SheetKind::Goals => &["Goal", "Shared goals", "S2 goals", "S-2 goals"],
            SheetKind::Ideas => &["Idea", "10x", "10x ideas", "10x thinking"],
            SheetKind::Narrative => &[
                "Six-pager",
                "Six pager",
                "Written plan",
                "Document",
                "Story",
            ],
        }
    }

    /// Whether every workbook must have this sheet.
    pub fn required(self) -> bool {
        !matches!(
            self,
            SheetKind::Goals | SheetKind::Ideas | SheetKind::Narrative
        )
    }

    /// The sheet's columns (the Team sheet's fields).
    pub fn columns(self) -> &'static [ColumnSpec] {
        match self {
            SheetKind::Team => TEAM_FIELDS,
            SheetKind::Plan => PLAN_COLUMNS,
            SheetKind::Resources => RESOURCE_COLUMNS,
            SheetKind::Assumptions => ASSUMPTION_COLUMNS,
            SheetKind::Asks => ASK_COLUMNS,
            SheetKind::Risks => RISK_COLUMNS,
            SheetKind::Goals => GOAL_COLUMNS,
            SheetKind::Ideas => IDEA_COLUMNS,
            SheetKind::Narrative => NARRATIVE_COLUMNS,
        }
    }
}

/// The planning columns of `spec`: those before its checkpoint columns,
/// which the round's template leaves out.
///
/// # Examples
/// ```
/// use op1::plan::layout::{planning, PLAN_COLUMNS};
///
/// assert_eq!(planning(PLAN_COLUMNS).last().unwrap().name, "Why");
/// ```
pub fn planning(spec: &'static [ColumnSpec]) -> &'static [ColumnSpec] {
    let n = spec.iter().take_while(|c| !c.checkpoint).count();
    &spec[..n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoint_columns_follow_the_planning_columns() {
        for kind in SheetKind::ALL {
            let spec = kind.columns();
            let planning = planning(spec).len();
            assert!(
                spec[planning..].iter().all(|c| c.checkpoint),
                "{kind}: a planning column after a checkpoint column"
            );
        }
        assert_eq!(planning(RESOURCE_COLUMNS).len(), 4);
        assert_eq!(planning(GOAL_COLUMNS).last().unwrap().name, "Target");
    }
}
