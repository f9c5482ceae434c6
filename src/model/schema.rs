//! The model's frames, column by column: every column name the model hands
//! the writers (and `diff`, `checkpoint` and `snapshot`, which read the same
//! frames back) is one constant here, and each frame's columns, in order,
//! are one list — [`LONG`], [`ROLLUP`], [`FUNDING`], [`RESOURCES`],
//! [`AMBITION`], and [`wide`] (whose value columns repeat per track). A
//! test holds every frame to exactly its list.

use crate::plan::Track;

// The long table (team × metric × track) — and the names other frames share.
pub const TEAM: &str = "team";
pub const ORG: &str = "org";
pub const METRIC: &str = "metric";
/// The metric's normalised name: what metrics are matched and joined by.
pub const METRIC_KEY: &str = "metric_key";
pub const UNIT: &str = "unit";
/// `UnitKind` by its canonical name.
pub const UNIT_KIND: &str = "unit_kind";
/// `Better` by its canonical name.
pub const BETTER: &str = "better";
/// `Rollup` by its canonical name.
pub const ROLLUP_HOW: &str = "rollup";
/// The key of the metric a weighted roll-up weighs by.
pub const WEIGHT_KEY: &str = "weight_key";
/// `Track` by its canonical name.
pub const TRACK: &str = "track";
pub const TRACK_ORDER: &str = "track_order";
/// In the team's currency.
pub const VALUE: &str = "value";
pub const CURRENCY: &str = "currency";
/// The value's cell on the team's sheet (0-based row and column).
pub const SOURCE_ROW: &str = "source_row";
pub const SOURCE_COL: &str = "source_col";
/// A Baseline left blank and taken from LY Actual.
pub const SOURCE_BLANK: &str = "source_blank";
/// In the reporting currency.
pub const VALUE_REPORTING: &str = "value_reporting";
pub const WEIGHT: &str = "weight";
pub const DELTA_VS_LY: &str = "delta_vs_ly";
pub const DELTA_VS_LY_PCT: &str = "delta_vs_ly_pct";
pub const DELTA_VS_BASELINE: &str = "delta_vs_baseline";
pub const FAVOURABLE: &str = "favourable";
pub const LY_HIT: &str = "ly_hit";

// The roll-up (scope × metric × track).
/// `All` or an org path prefix.
pub const SCOPE: &str = "scope";
/// How many teams a total adds up.
pub const TEAMS: &str = "teams";
pub const METRIC_ORDER: &str = "metric_order";

// The funding ranking.
pub const RANK: &str = "rank";
pub const INCREMENTAL_BUDGET: &str = "incremental_budget";
pub const INCREMENTAL_HEADCOUNT: &str = "incremental_headcount";
pub const UPLIFT: &str = "uplift";
pub const ROI: &str = "roi";
pub const CUMULATIVE_BUDGET: &str = "cumulative_budget";
pub const FUNDED: &str = "funded";
pub const CUMULATIVE_FUNDED: &str = "cumulative_funded";
/// What the room decided: `fund`, `cut`, or blank.
pub const DECISION: &str = "decision";
/// How much of the case is funded: 1 or 0.
pub const FRACTION: &str = "fraction";
/// Why a case is funded or not, in words.
pub const WHY: &str = "why";

// The resources (team × resource, tracks as columns).
pub const RESOURCE: &str = "resource";
pub const RESOURCE_KEY: &str = "resource_key";
pub const RESOURCE_ORDER: &str = "resource_order";
pub const LY: &str = "LY";
pub const FLAT: &str = "Flat";
pub const INVESTMENT_AMOUNT: &str = "Investment";
pub const SOURCE_COL_LY: &str = "source_col_ly";
pub const SOURCE_COL_FLAT: &str = "source_col_flat";
pub const SOURCE_COL_INVESTMENT: &str = "source_col_investment";
pub const INCREMENTAL: &str = "incremental";
pub const FLAT_VS_LY: &str = "flat_vs_ly";

// The ambition (10×) gap.
pub const LY_ACTUAL: &str = "ly_actual";
pub const INVESTMENT: &str = "investment";
pub const IMPLIED_MULTIPLE: &str = "implied_multiple";
pub const NEEDED_MULTIPLE: &str = "needed_multiple";
pub const GAP: &str = "gap";

// The targets (scope × metric).
pub const TARGET: &str = "target";
/// A scope's Flat total.
pub const FLAT_TOTAL: &str = "flat";
pub const GAP_PCT: &str = "gap_pct";

// The wide table (team × metric, tracks as columns).
/// Team currency → reporting currency.
pub const RATE: &str = "rate";
/// The round's canonical spelling of the metric.
pub const METRIC_NAME: &str = "metric_name";
pub const ROUND_ORDER: &str = "round_order";
pub const WEIGHT_NAME: &str = "weight_name";

/// The long table's columns, in order.
pub const LONG: [&str; 23] = [
    TEAM,
    ORG,
    METRIC,
    METRIC_KEY,
    UNIT,
    UNIT_KIND,
    BETTER,
    ROLLUP_HOW,
    WEIGHT_KEY,
    TRACK,
    TRACK_ORDER,
    VALUE,
    CURRENCY,
    SOURCE_ROW,
    SOURCE_COL,
    SOURCE_BLANK,
    VALUE_REPORTING,
    WEIGHT,
    DELTA_VS_LY,
    DELTA_VS_LY_PCT,
    DELTA_VS_BASELINE,
    FAVOURABLE,
    LY_HIT,
];

/// The roll-up's columns, in order.
pub const ROLLUP: [&str; 12] = [
    SCOPE,
    METRIC,
    UNIT,
    ROLLUP_HOW,
    TRACK,
    VALUE,
    TEAMS,
    WEIGHT_KEY,
    METRIC_KEY,
    UNIT_KIND,
    BETTER,
    METRIC_ORDER,
];

/// The funding ranking's columns, in order.
pub const FUNDING: [&str; 13] = [
    RANK,
    TEAM,
    ORG,
    INCREMENTAL_BUDGET,
    INCREMENTAL_HEADCOUNT,
    UPLIFT,
    ROI,
    CUMULATIVE_BUDGET,
    FUNDED,
    CUMULATIVE_FUNDED,
    DECISION,
    FRACTION,
    WHY,
];

/// The resources' columns, in order.
pub const RESOURCES: [&str; 16] = [
    TEAM,
    ORG,
    RESOURCE,
    RESOURCE_KEY,
    UNIT,
    RESOURCE_ORDER,
    LY,
    FLAT,
    INVESTMENT_AMOUNT,
    SOURCE_ROW,
    SOURCE_COL_LY,
    SOURCE_COL_FLAT,
    SOURCE_COL_INVESTMENT,
    UNIT_KIND,
    INCREMENTAL,
    FLAT_VS_LY,
];

/// The ambition gap's columns, in order.
pub const AMBITION: [&str; 10] = [
    TEAM,
    ORG,
    METRIC,
    UNIT,
    LY_ACTUAL,
    INVESTMENT,
    IMPLIED_MULTIPLE,
    NEEDED_MULTIPLE,
    GAP,
    UNIT_KIND,
];

/// The targets' columns, in order (`targets.csv`, without the unit kind
/// the pack formats by): the Funded total is [`FUNDED`], the gap Funded −
/// target.
pub const TARGETS: [&str; 10] = [
    SCOPE, METRIC, TARGET, LY_ACTUAL, FLAT_TOTAL, INVESTMENT, FUNDED, GAP, GAP_PCT, UNIT_KIND,
];

/// The wide table's columns before the tracks', in order.
pub const WIDE_KEYS: [&str; 13] = [
    TEAM,
    METRIC_KEY,
    ORG,
    UNIT,
    UNIT_KIND,
    BETTER,
    ROLLUP_HOW,
    WEIGHT_KEY,
    CURRENCY,
    RATE,
    METRIC_ORDER,
    LY_HIT,
    SOURCE_BLANK,
];

/// The wide table's columns, in order: [`WIDE_KEYS`], then per track its
/// value (reporting currency), its value in the team's currency, its cell
/// and its weight, then the names the round spells.
pub fn wide() -> Vec<String> {
    let mut columns: Vec<String> = WIDE_KEYS.iter().map(|c| c.to_string()).collect();
    for track in Track::ALL {
        columns.extend([
            track.name().to_string(),
            team_currency_value(track),
            source_row(track),
            source_col(track),
            weight_of(track),
        ]);
    }
    columns.extend([METRIC_NAME, ROUND_ORDER, WEIGHT_NAME].map(String::from));
    columns
}

/// The wide table's column holding the row of a track's source cell.
pub(crate) fn source_row(track: Track) -> String {
    format!("{SOURCE_ROW} {}", track.name())
}

/// The wide table's column holding the column of a track's source cell.
pub(crate) fn source_col(track: Track) -> String {
    format!("{SOURCE_COL} {}", track.name())
}

/// The wide table's column holding the weight of a weighted metric's track
/// value (the weighting metric's value for the same team and track).
pub(crate) fn weight_of(track: Track) -> String {
    format!("{WEIGHT} {}", track.name())
}

/// The wide table's column holding a track's value in the team's currency.
pub(crate) fn team_currency_value(track: Track) -> String {
    format!("{} (team currency)", track.name())
}
