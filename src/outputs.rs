//! The name of every file op1 writes into an output folder and reads back
//! from one, in one place: the writers, the readers of an earlier pack
//! (`snapshot.rs`, `discover.rs`, `manifest.rs`), the folder lock and the
//! guard of a user's own files (`replace.rs`) all use these.
//!
//! ```text
//! out/                        op1 pack
//!   exec-pack.xlsx            the exec pack                PACK_FILE
//!   document.html, .md        the round document           HTML_FILE, MARKDOWN_FILE
//!   consolidated.parquet/.csv, rollup.csv, funding.csv,
//!   resources.csv, ambition.csv                            PACK_TABLES
//!   targets.csv               with [targets] only           TARGETS_CSV
//!   findings.csv, registers.csv                            FINDINGS_CSV, REGISTERS_CSV
//!   charts/                   <metric>-tracks, bridge, …   CHARTS_DIR, chart::*
//!     .op1-charts             the charts the last run drew CHARTS_RECORD
//!   .op1-pack                 marks a pack, with its format PACK_MARKER, PACK_FORMAT
//!   manifest.json             every input and output, hashed; written last
//!   .op1-lock                 one writer at a time         LOCK_FILE
//!   .op1-written              what an interrupted run renamed into place  JOURNAL_FILE
//!   .op1-*.tmp                a file being written          TEMP_PREFIX
//!
//! q2/                         op1 checkpoint
//!   checkpoint.xlsx, checkpoint.html/.md, checkpoint.parquet/.csv,
//!   decisions.csv, charts/, manifest.json
//! feedback/                   op1 feedback
//!   <team>-feedback.xlsx, <team>-message.txt, feedback.csv, manifest.json
//! changes/                    op1 diff --out
//!   changes.xlsx, charts/changes-bridge.png/.svg, manifest.json
//! ```

/// The exec pack.
pub const PACK_FILE: &str = "exec-pack.xlsx";
/// The round document, for a browser and for printing.
pub const HTML_FILE: &str = "document.html";
/// The round document as Markdown, for a code host or a wiki.
pub const MARKDOWN_FILE: &str = "document.md";
/// The long table (every value with its source), Parquet.
pub const LONG_PARQUET: &str = "consolidated.parquet";
/// The long table, CSV.
pub const LONG_CSV: &str = "consolidated.csv";
/// The roll-up by org scope.
pub const ROLLUP_CSV: &str = "rollup.csv";
/// The funding ranking.
pub const FUNDING_CSV: &str = "funding.csv";
/// The resources by team and track.
pub const RESOURCES_CSV: &str = "resources.csv";
/// The ambition (10x) table.
pub const AMBITION_CSV: &str = "ambition.csv";
/// The top-down targets against the round's totals (with `[targets]`).
pub const TARGETS_CSV: &str = "targets.csv";
/// Every finding of the run.
pub const FINDINGS_CSV: &str = "findings.csv";
/// The registers (assumptions, asks, risks, ideas) and the narrative.
pub const REGISTERS_CSV: &str = "registers.csv";
/// The pack's model tables, in the order they are written and listed.
pub const PACK_TABLES: [&str; 6] = [
    LONG_PARQUET,
    LONG_CSV,
    ROLLUP_CSV,
    FUNDING_CSV,
    RESOURCES_CSV,
    AMBITION_CSV,
];

/// The checkpoint's workbook.
pub const CHECKPOINT_FILE: &str = "checkpoint.xlsx";
/// The checkpoint's memo, for a browser.
pub const CHECKPOINT_HTML: &str = "checkpoint.html";
/// The checkpoint's memo as Markdown.
pub const CHECKPOINT_MD: &str = "checkpoint.md";
/// The checkpoint's long table, Parquet.
pub const CHECKPOINT_PARQUET: &str = "checkpoint.parquet";
/// The checkpoint's long table, CSV.
pub const CHECKPOINT_CSV: &str = "checkpoint.csv";
/// The call on every funded case.
pub const DECISIONS_CSV: &str = "decisions.csv";

/// `op1 feedback`'s list of every team.
pub const FEEDBACK_CSV: &str = "feedback.csv";
/// `op1 diff --out`'s workbook.
pub const CHANGES_FILE: &str = "changes.xlsx";

/// The manifest every command writes last.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The marker `op1 pack` leaves in its folder.
pub const PACK_MARKER: &str = ".op1-pack";
/// The pack format [`PACK_MARKER`] records: a pack of another format is
/// refused by the commands that read one back (`checkpoint --plan`,
/// `diff`, `pack --since`, `template --plan`). 2: the registers table holds
/// ideas and the narrative, and the marker records the currency, objective
/// and envelope; 3: `funding.csv` says the room's `decision`, the
/// `fraction` funded and `why` (it said `reason`).
pub const PACK_FORMAT: u32 = 3;
/// The folder lock: one run writes into a folder at a time.
pub const LOCK_FILE: &str = ".op1-lock";
/// How the temporary files op1 writes before renaming them into place
/// begin (and end with `.tmp`).
pub const TEMP_PREFIX: &str = ".op1-";
/// The charts the last run drew, in the charts folder: what the next run
/// may remove.
pub const CHARTS_RECORD: &str = ".op1-charts";
/// The record of what the run writing into a folder has renamed into place
/// so far, one path a line: what an interrupted run leaves beside its
/// outputs, so that the next run knows them for op1's (`replace.rs`).
/// Removed once the manifest is written, which lists them.
pub const JOURNAL_FILE: &str = ".op1-written";
/// The folder of the charts.
pub const CHARTS_DIR: &str = "charts";

/// The charts with a fixed name (a stem: each is written as `.png` and `.svg`).
pub mod chart {
    /// The pack's bridge of the objective, flat to funded.
    pub const BRIDGE: &str = "bridge";
    /// The pack's funding curve.
    pub const FUNDING_CURVE: &str = "funding-curve";
    /// The pack's ambition (10x) gap.
    pub const AMBITION_GAP: &str = "ambition-gap";
    /// The pack's resources by track.
    pub const RESOURCES: &str = "resources";
    /// The checkpoint's statuses.
    pub const STATUS: &str = "status";
    /// The checkpoint's calls on funded cases.
    pub const DECISIONS: &str = "decisions";
    /// `op1 diff`'s and `pack --since`'s bridge of what changed.
    pub const CHANGES_BRIDGE: &str = "changes-bridge";
    /// Every fixed name.
    pub const FIXED: [&str; 7] = [
        BRIDGE,
        FUNDING_CURVE,
        AMBITION_GAP,
        RESOURCES,
        STATUS,
        DECISIONS,
        CHANGES_BRIDGE,
    ];
    /// The end of a pack's per-metric chart, `<metric>-tracks`.
    pub const TRACKS_SUFFIX: &str = "-tracks";
    /// The end of a checkpoint's per-metric chart, `<metric>-quarters`.
    pub const QUARTERS_SUFFIX: &str = "-quarters";

    /// Whether `stem` is named as one of op1's charts.
    pub fn is_named_like_a_chart(stem: &str) -> bool {
        FIXED.contains(&stem) || stem.ends_with(TRACKS_SUFFIX) || stem.ends_with(QUARTERS_SUFFIX)
    }
}
