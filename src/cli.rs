//! The command line's flags (the binary's own; the library knows no clap):
//! one args struct per command, the flag groups several commands share
//! flattened into them, and `From<…Args>` for each command's config in
//! [`op1::run`]. Each flag is declared once, here.

use clap::{Args, Subcommand, ValueEnum};
use op1::run;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum Command {
    /// Read every team workbook and report what is wrong or missing.
    Check(CheckArgs),
    /// Read, check and model a round; write the exec pack and tables into a folder.
    Pack(PackArgs),
    /// Measure the round against its approved plan at a quarter: actual to
    /// date, projections, statuses, resources, shared goals, and the call on
    /// every funded case (cut or double down).
    Checkpoint(CheckpointArgs),
    /// What changed between two versions of a round (each a round's folder or
    /// files, or a folder op1 pack wrote). Exit 0: no changes; 1: changes.
    Diff(DiffArgs),
    /// Give each team its findings back: its workbook re-issued with every
    /// finding as a note on its cell and a Feedback sheet listing them, a
    /// message to paste into an e-mail, and feedback.csv for the round.
    Feedback(FeedbackArgs),
    /// Check that a folder op1 wrote is one run's whole output, untouched:
    /// every file re-hashed against its manifest.json. Exit 0: whole; 1: not.
    Verify(VerifyArgs),
    /// Write a blank team workbook to hand to a team.
    Template(TemplateArgs),
}

/// `--format`.
#[derive(Clone, Copy, Default, ValueEnum)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}

impl From<OutputFormat> for run::Format {
    fn from(format: OutputFormat) -> Self {
        match format {
            OutputFormat::Text => run::Format::Text,
            OutputFormat::Json => run::Format::Json,
        }
    }
}

/// The round a command reads: its inputs and settings.
#[derive(Args)]
pub struct RoundArgs {
    /// Team workbooks or folders of them (searched recursively).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The round's settings (default: op1.toml in the round's folder, or above it; never one inside a team's folder).
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
    /// Follow links that lead outside the round's folder (by default each is a warning, not followed).
    #[arg(long)]
    follow_links: bool,
}

impl From<RoundArgs> for run::RoundInputs {
    fn from(args: RoundArgs) -> Self {
        run::RoundInputs {
            inputs: args.inputs,
            settings: args.settings,
            follow_links: args.follow_links,
        }
    }
}

/// How a command that reads a round reports it.
#[derive(Args)]
pub struct ReportArgs {
    /// Output format of the report.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Treat warnings as errors for the exit code.
    #[arg(long)]
    strict: bool,
    /// Also list info findings and skipped files.
    #[arg(short, long)]
    verbose: bool,
    /// No progress bar and no list of files written.
    #[arg(short, long)]
    quiet: bool,
}

impl From<ReportArgs> for run::ReportOptions {
    fn from(args: ReportArgs) -> Self {
        run::ReportOptions {
            format: args.format.into(),
            strict: args.strict,
            verbose: args.verbose,
            quiet: args.quiet,
        }
    }
}

/// Where a command writes its folder, and whether it may replace others' files there.
#[derive(Args)]
pub struct OutArgs {
    /// The output folder (created if needed).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replace files in the output folder that op1 did not write (refused
    /// otherwise: only files op1's own manifest there lists are replaced).
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    round: RoundArgs,
    #[command(flatten)]
    report: ReportArgs,
}

impl From<CheckArgs> for run::CheckConfig {
    fn from(args: CheckArgs) -> Self {
        run::CheckConfig {
            round: args.round.into(),
            report: args.report.into(),
        }
    }
}

#[derive(Args)]
pub struct PackArgs {
    #[command(flatten)]
    round: RoundArgs,
    #[command(flatten)]
    out: OutArgs,
    /// The incremental investment envelope, reporting currency (overrides [funding] budget);
    /// 3000000, 3,000,000, 3_000_000 and 3M all work.
    #[arg(long, value_parser = amount)]
    budget: Option<f64>,
    /// The metric investment cases are ranked by (overrides [funding] objective).
    #[arg(long)]
    objective: Option<String>,
    /// Leave out files with errors instead of refusing to pack.
    #[arg(long)]
    allow_partial: bool,
    /// Add what changed since this earlier version (a round, or a folder op1
    /// pack wrote — the output folder itself works) to the pack and the document.
    #[arg(long, value_name = "OLD")]
    since: Option<PathBuf>,
    #[command(flatten)]
    modified: ModifiedArgs,
    /// Do not draw PNG/SVG charts.
    #[arg(long)]
    no_charts: bool,
    #[command(flatten)]
    report: ReportArgs,
}

impl From<PackArgs> for run::PackConfig {
    fn from(args: PackArgs) -> Self {
        run::PackConfig {
            round: args.round.into(),
            out: args.out.out,
            force: args.out.force,
            budget: args.budget,
            objective: args.objective,
            allow_partial: args.allow_partial,
            charts: !args.no_charts,
            since: args.since,
            accept_modified: args.modified.accept_modified,
            report: args.report.into(),
        }
    }
}

/// Whether an earlier pack that changed since op1 wrote it may be used.
#[derive(Args)]
pub struct ModifiedArgs {
    /// Use an earlier pack that has changed since op1 wrote it (refused
    /// otherwise; `op1 verify DIR` lists the changes). Recorded as a warning.
    #[arg(long)]
    accept_modified: bool,
}

#[derive(Args)]
pub struct CheckpointArgs {
    #[command(flatten)]
    round: RoundArgs,
    #[command(flatten)]
    out: OutArgs,
    /// The folder `op1 pack` wrote when the plan was approved (default: the
    /// plan as the workbooks hold it now).
    #[arg(long, value_name = "APPROVED_PACK_DIR")]
    plan: Option<PathBuf>,
    #[command(flatten)]
    modified: ModifiedArgs,
    /// The round's quarter, 1–4 or Q1–Q4 (default: the latest any team reported).
    #[arg(long, value_parser = quarter)]
    as_of: Option<usize>,
    #[command(flatten)]
    report: ReportArgs,
}

impl From<CheckpointArgs> for run::CheckpointConfig {
    fn from(args: CheckpointArgs) -> Self {
        run::CheckpointConfig {
            round: args.round.into(),
            out: args.out.out,
            force: args.out.force,
            plan: args.plan,
            as_of: args.as_of,
            accept_modified: args.modified.accept_modified,
            report: args.report.into(),
        }
    }
}

#[derive(Args)]
pub struct DiffArgs {
    /// The earlier version.
    old: PathBuf,
    /// The later version.
    new: PathBuf,
    /// Also write changes.xlsx and charts/changes-bridge.png/.svg into this folder.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Replace files in the output folder that op1 did not write (refused
    /// otherwise: only files op1's own manifest there lists are replaced).
    #[arg(long)]
    force: bool,
    /// The round's settings (default: op1.toml in each round's folder, or above it).
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
    /// Follow links that lead outside a round's folder (by default each is a warning, not followed).
    #[arg(long)]
    follow_links: bool,
    #[command(flatten)]
    modified: ModifiedArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

impl From<DiffArgs> for run::DiffConfig {
    fn from(args: DiffArgs) -> Self {
        run::DiffConfig {
            old: args.old,
            new: args.new,
            settings: args.settings,
            follow_links: args.follow_links,
            out: args.out,
            accept_modified: args.modified.accept_modified,
            force: args.force,
            format: args.format.into(),
        }
    }
}

#[derive(Args)]
pub struct FeedbackArgs {
    #[command(flatten)]
    round: RoundArgs,
    #[command(flatten)]
    out: OutArgs,
    /// No list of files written.
    #[arg(short, long)]
    quiet: bool,
}

impl From<FeedbackArgs> for run::FeedbackConfig {
    fn from(args: FeedbackArgs) -> Self {
        run::FeedbackConfig {
            round: args.round.into(),
            out: args.out.out,
            force: args.out.force,
            quiet: args.quiet,
        }
    }
}

#[derive(Args)]
pub struct VerifyArgs {
    /// The output folder of op1 pack, checkpoint, diff --out or feedback.
    dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

impl From<VerifyArgs> for run::VerifyConfig {
    fn from(args: VerifyArgs) -> Self {
        run::VerifyConfig {
            dir: args.dir,
            format: args.format.into(),
        }
    }
}

#[derive(Args)]
pub struct TemplateArgs {
    /// The team's name, written into the Team sheet (required unless --from is given).
    #[arg(long, required_unless_present = "from")]
    team: Option<String>,
    /// Re-issue an existing team workbook in the current layout, filled with what it holds.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["team", "owner", "org", "currency", "fiscal_year"])]
    from: Option<PathBuf>,
    /// Where to write the workbook (.xlsx).
    #[arg(long, value_name = "FILE.xlsx")]
    out: PathBuf,
    /// Replace `--out` if it exists (a team may already have filled it in).
    #[arg(long)]
    force: bool,
    /// The accountable owner.
    #[arg(long)]
    owner: Option<String>,
    /// Org path, e.g. Consumer/Payments.
    #[arg(long)]
    org: Option<String>,
    /// ISO-4217 code of the team's money figures.
    #[arg(long)]
    currency: Option<String>,
    /// The fiscal year, e.g. 2027.
    #[arg(long)]
    fiscal_year: Option<i64>,
    /// The round's settings (op1.toml): its metric dictionary pre-fills the
    /// Plan sheet; its fiscal year and reporting currency are the defaults.
    #[arg(long, value_name = "FILE", conflicts_with = "from")]
    settings: Option<PathBuf>,
    /// With --from: add the checkpoint columns (Q1–Q4, Forecast, Commentary,
    /// goal Status) and protect the plan columns (no password) for the year.
    #[arg(long, requires = "from", conflicts_with = "next_year")]
    checkpoint: bool,
    /// With --from: the workbook for the next round (fiscal year + 1; LY from
    /// this year's approved plan and actuals; plan columns blank).
    #[arg(long, requires = "from")]
    next_year: bool,
    /// With --next-year: the approved pack whose Funded plan becomes LY Target.
    #[arg(long, value_name = "APPROVED_PACK_DIR", requires = "next_year")]
    plan: Option<PathBuf>,
    #[command(flatten)]
    modified: ModifiedArgs,
}

impl From<TemplateArgs> for run::TemplateConfig {
    fn from(args: TemplateArgs) -> Self {
        run::TemplateConfig {
            out: args.out,
            from: args.from,
            force: args.force,
            settings: args.settings,
            checkpoint: args.checkpoint,
            next_year: args.next_year,
            plan: args.plan,
            accept_modified: args.modified.accept_modified,
            options: op1::template::TemplateOptions {
                team: args.team.unwrap_or_default(),
                owner: args.owner,
                org: args.org,
                currency: args.currency,
                fiscal_year: args.fiscal_year,
                ..Default::default()
            },
        }
    }
}

/// `--as-of`: `2` or `Q2`.
fn quarter(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let digits = t.strip_prefix(['Q', 'q']).unwrap_or(t);
    match digits.parse::<usize>() {
        Ok(q) if (1..=4).contains(&q) => Ok(q),
        _ => Err(format!(
            "a quarter is 1 to 4 (or Q1 to Q4), found \"{text}\""
        )),
    }
}

/// `--budget`: an amount as finance writes it (see `op1::number::parse_amount`).
fn amount(text: &str) -> Result<f64, String> {
    op1::number::parse_amount(text)
        .ok_or_else(|| format!("\"{text}\" is not an amount; write e.g. 3000000, 3,000,000 or 3M"))
}
