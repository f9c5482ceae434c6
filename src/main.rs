//! The `op1` command line: parse arguments with clap, call the library, turn
//! the outcome into output and an exit code (0 ok, 1 error findings, 2 usage
//! or I/O failure). Nothing below this file knows about clap.

use clap::{Parser, Subcommand, ValueEnum};
use op1::check::team_statuses;
use op1::finding::has_errors;
use op1::report;
use op1::run::{self, RunError};
use std::path::PathBuf;
use std::process::ExitCode;

/// Prints one line on stderr, team text escaped ([`op1::report::for_terminal`]).
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("{}", op1::report::for_terminal(&format!($($arg)*)))
    };
}

#[derive(Parser)]
#[command(name = "op1", version, about = "Check and consolidate OP1 (annual operating plan) team workbooks", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

/// The round a command reads: its inputs and settings.
#[derive(clap::Args)]
struct RoundArgs {
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

#[derive(Subcommand)]
enum Command {
    /// Read every team workbook and report what is wrong or missing.
    Check {
        #[command(flatten)]
        round: RoundArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// Treat warnings as errors for the exit code.
        #[arg(long)]
        strict: bool,
        /// Also list info findings and skipped files.
        #[arg(short, long)]
        verbose: bool,
        /// No progress bar.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Read, check and model a round; write the exec pack and tables into a folder.
    Pack {
        #[command(flatten)]
        round: RoundArgs,
        /// The output folder (created if needed).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace files in the output folder that op1 did not write (refused
        /// otherwise: only files op1's own manifest there lists are replaced).
        #[arg(long)]
        force: bool,
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
        /// Use an earlier pack that has changed since op1 wrote it (refused
        /// otherwise; `op1 verify DIR` lists the changes). Recorded as a warning.
        #[arg(long)]
        accept_modified: bool,
        /// Output format of the report.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// Treat warnings as errors for the exit code.
        #[arg(long)]
        strict: bool,
        /// Do not draw PNG/SVG charts.
        #[arg(long)]
        no_charts: bool,
        /// Also list info findings and skipped files.
        #[arg(short, long)]
        verbose: bool,
        /// No progress bar and no list of files written.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Measure the round against its approved plan at a quarter: actual to
    /// date, projections, statuses, resources, shared goals, and the call on
    /// every funded case (cut or double down).
    Checkpoint {
        #[command(flatten)]
        round: RoundArgs,
        /// The output folder (created if needed).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace files in the output folder that op1 did not write (refused
        /// otherwise: only files op1's own manifest there lists are replaced).
        #[arg(long)]
        force: bool,
        /// The folder `op1 pack` wrote when the plan was approved (default: the
        /// plan as the workbooks hold it now).
        #[arg(long, value_name = "APPROVED_PACK_DIR")]
        plan: Option<PathBuf>,
        /// Use an earlier pack that has changed since op1 wrote it (refused
        /// otherwise; `op1 verify DIR` lists the changes). Recorded as a warning.
        #[arg(long)]
        accept_modified: bool,
        /// The round's quarter, 1–4 or Q1–Q4 (default: the latest any team reported).
        #[arg(long, value_parser = quarter)]
        as_of: Option<usize>,
        /// Output format of the report.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// Treat warnings as errors for the exit code.
        #[arg(long)]
        strict: bool,
        /// Also list info findings and skipped files.
        #[arg(short, long)]
        verbose: bool,
        /// No list of files written.
        #[arg(short, long)]
        quiet: bool,
    },
    /// What changed between two versions of a round (each a round's folder or
    /// files, or a folder op1 pack wrote). Exit 0: no changes; 1: changes.
    Diff {
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
        /// Use an earlier pack that has changed since op1 wrote it (refused
        /// otherwise; `op1 verify DIR` lists the changes). Recorded as a warning.
        #[arg(long)]
        accept_modified: bool,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Give each team its findings back: its workbook re-issued with every
    /// finding as a note on its cell and a Feedback sheet listing them, a
    /// message to paste into an e-mail, and feedback.csv for the round.
    Feedback {
        #[command(flatten)]
        round: RoundArgs,
        /// The output folder (created if needed).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace files in the output folder that op1 did not write (refused
        /// otherwise: only files op1's own manifest there lists are replaced).
        #[arg(long)]
        force: bool,
        /// No list of files written.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Check that a folder op1 wrote is one run's whole output, untouched:
    /// every file re-hashed against its manifest.json. Exit 0: whole; 1: not.
    Verify {
        /// The output folder of op1 pack, checkpoint, diff --out or feedback.
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Write a blank team workbook to hand to a team.
    Template {
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
        /// Use an earlier pack that has changed since op1 wrote it (refused
        /// otherwise; `op1 verify DIR` lists the changes). Recorded as a warning.
        #[arg(long)]
        accept_modified: bool,
    },
}

fn main() -> ExitCode {
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::new_heap();
    tune_allocator();
    op1::contain::install_hook();
    op1::output::clean_up_on_interrupt();
    let cli = Cli::parse();
    // One thread pool for the whole run: op1's own parallel work (reading,
    // checking, the pack's sheets and charts, the manifest) runs on Polars'
    // pool rather than on a second one, so two threads, not four, hold
    // allocator pages (124 instead of 150 MiB peak at 1,000 teams;
    // BENCHMARKS.md, issue 17).
    let run = || polars_core::runtime::THREAD_POOL.install(|| execute(cli.command));
    // No panic reaches the user: what no inner guard turned into an error
    // or a finding is one line and exit 2.
    match op1::contain::contained(run) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) => {
            say!("op1: {e}");
            ExitCode::from(2)
        }
        Err(panic) => {
            say!("op1: internal error: {panic}; please report it (OP1_BACKTRACE=1 shows where)");
            ExitCode::from(2)
        }
    }
}

/// The text report of a read and checked round: findings, team statuses, counts.
fn round_report(checked: &op1::check::Checked, verbose: bool) -> String {
    let findings = checked.findings.all();
    let roster: &[String] = match checked.scope {
        op1::check::Scope::Round => &checked.roster,
        op1::check::Scope::OneSubmission => &[],
    };
    let statuses = team_statuses(&checked.round, findings, roster);
    let mut text = report::passed_over(&checked.round.outputs);
    text.push_str(&report::text(
        findings,
        checked.round.files.len(),
        &checked.round.skipped,
        &statuses,
        verbose,
    ));
    if checked.scope == op1::check::Scope::OneSubmission {
        text.push_str(&report::one_submission_note());
    }
    text
}

fn execute(command: Command) -> Result<u8, RunError> {
    match command {
        Command::Check {
            round,
            format,
            strict,
            verbose,
            quiet,
        } => {
            let bar = op1::progress::Bar::new(quiet);
            let checked = run::check_round(&round.into(), &bar)?;
            let settings = checked.settings_file.as_deref();
            say!("{}", report::settings_line(settings));
            match format {
                OutputFormat::Json => emit(&format!(
                    "{}\n",
                    report::json(settings, checked.findings.all())
                )),
                OutputFormat::Text => {
                    emit(&round_report(&checked, verbose));
                }
            }
            Ok(u8::from(checked.findings.has_errors(strict)))
        }
        Command::Pack {
            round,
            out,
            force,
            budget,
            objective,
            allow_partial,
            since,
            accept_modified,
            format,
            strict,
            no_charts,
            verbose,
            quiet,
        } => {
            let config = run::PackConfig {
                round: round.into(),
                out,
                force,
                budget,
                objective,
                allow_partial,
                charts: !no_charts,
                since,
                accept_modified,
            };
            let bar = op1::progress::Bar::new(quiet);
            let outcome = run::pack_with(&config, &bar)?;
            let mut clock = op1::timing::Stopwatch::start();
            let checked = &outcome.checked;
            let packed = outcome.model.is_some();
            let settings = checked.settings_file.as_deref();
            say!("{}", report::settings_line(settings));
            match format {
                OutputFormat::Json => emit(&format!(
                    "{}\n",
                    report::pack_json(
                        settings,
                        packed,
                        &outcome.written,
                        &outcome.excluded,
                        checked.findings.all()
                    )
                )),
                OutputFormat::Text => emit(&round_report(checked, verbose)),
            }
            if !packed {
                say!(
                    "op1: pack refused: {} file(s) have errors ({}); fix them or pass --allow-partial to leave them out",
                    outcome.excluded.len(),
                    outcome.excluded.join(", ")
                );
                return Ok(1);
            }
            if !outcome.excluded.is_empty() {
                say!(
                    "op1: left out {} file(s) with errors: {}",
                    outcome.excluded.len(),
                    outcome.excluded.join(", ")
                );
            }
            if !quiet && matches!(format, OutputFormat::Text) {
                for name in &outcome.written {
                    say!("wrote {}", config.out.join(name).display());
                }
            }
            clock.lap("report");
            let code = u8::from(checked.findings.has_errors(strict));
            // The process ends here: freeing a large round piece by piece
            // only costs time (40 ms at 10,000 teams); the OS takes it back.
            std::mem::forget(outcome);
            Ok(code)
        }
        Command::Checkpoint {
            round,
            out,
            force,
            plan,
            accept_modified,
            as_of,
            format,
            strict,
            verbose,
            quiet,
        } => {
            let config = run::CheckpointConfig {
                round: round.into(),
                out,
                force,
                plan,
                as_of,
                accept_modified,
            };
            let outcome = run::checkpoint(&config)?;
            let checked = &outcome.checked;
            let settings = checked.settings_file.as_deref();
            say!("{}", report::settings_line(settings));
            match format {
                OutputFormat::Json => emit(&format!(
                    "{}\n",
                    report::pack_json(
                        settings,
                        outcome.checkpoint.is_some(),
                        &outcome.written,
                        &[],
                        checked.findings.all()
                    )
                )),
                OutputFormat::Text => emit(&round_report(checked, verbose)),
            }
            let Some(cp) = &outcome.checkpoint else {
                say!("op1: checkpoint refused: the round has errors; fix them first");
                return Ok(1);
            };
            if !quiet && matches!(format, OutputFormat::Text) {
                say!("checkpoint as of Q{}", cp.quarter);
                for name in &outcome.written {
                    say!("wrote {}", config.out.join(name).display());
                }
            }
            Ok(u8::from(checked.findings.has_errors(strict)))
        }
        Command::Diff {
            old,
            new,
            out,
            force,
            settings,
            follow_links,
            accept_modified,
            format,
        } => {
            let outcome = run::diff(&run::DiffConfig {
                old,
                new,
                settings,
                follow_links,
                out: out.clone(),
                accept_modified,
                force,
            })?;
            say!("{}", op1::diff::report::settings_line(&outcome.settings));
            if let (Some(dir), OutputFormat::Text) = (&out, format) {
                for name in &outcome.written {
                    say!("wrote {}", dir.join(name).display());
                }
            }
            // A chart that could not be drawn is said, not hidden.
            for f in &outcome.findings {
                say!("op1: warning[{}]: {}", f.rule.id(), f.message);
            }
            match format {
                OutputFormat::Json => emit(&format!(
                    "{}\n",
                    op1::diff::report::json(&outcome.changes, &outcome.settings)
                )),
                OutputFormat::Text => emit(&op1::diff::report::text(
                    &outcome.changes,
                    outcome.objective.as_deref(),
                )),
            }
            Ok(u8::from(!outcome.changes.is_empty()))
        }
        Command::Verify { dir, format } => {
            if !dir.is_dir() {
                return Err(run::RunError::Usage(run::UsageError::NoSuchFolder(dir)));
            }
            let verified = op1::manifest::verify(&dir);
            emit(&match format {
                OutputFormat::Json => format!("{}\n", verified.json()),
                OutputFormat::Text => verified.text(),
            });
            Ok(u8::from(!verified.is_whole()))
        }
        Command::Feedback {
            round,
            out,
            force,
            quiet,
        } => {
            let config = run::FeedbackConfig {
                round: round.into(),
                out,
                force,
            };
            let outcome = run::feedback(&config)?;
            say!(
                "{}",
                report::settings_line(outcome.checked.settings_file.as_deref())
            );
            emit(&round_report(&outcome.checked, false));
            if !quiet {
                for name in &outcome.written {
                    say!("wrote {}", config.out.join(name).display());
                }
            }
            Ok(0)
        }
        Command::Template {
            team,
            from,
            out,
            force,
            owner,
            org,
            currency,
            fiscal_year,
            settings,
            checkpoint,
            next_year,
            plan,
            accept_modified,
        } => {
            let options = op1::template::TemplateOptions {
                team: team.unwrap_or_default(),
                owner,
                org,
                currency,
                fiscal_year,
                ..Default::default()
            };
            say!("{}", report::settings_line(settings.as_deref()));
            let outcome = run::template(&run::TemplateConfig {
                out: out.clone(),
                from,
                force,
                settings,
                checkpoint,
                next_year,
                plan,
                accept_modified,
                options,
            })?;
            for note in &outcome.notes {
                say!("note: {note}");
            }
            if !outcome.findings.is_empty() {
                emit(&report::text(&outcome.findings, 1, &[], &[], false));
            }
            if outcome.written {
                say!("wrote {}", out.display());
            }
            Ok(u8::from(has_errors(&outcome.findings, false)))
        }
    }
}

/// An amount as finance writes it (see `op1::number::parse_amount`).
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

fn amount(text: &str) -> Result<f64, String> {
    op1::number::parse_amount(text)
        .ok_or_else(|| format!("\"{text}\" is not an amount; write e.g. 3000000, 3,000,000 or 3M"))
}

/// Writes to stdout, team text escaped; a closed pipe (`op1 check … | head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let text = op1::report::for_terminal(text);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

// Reading a round allocates many small strings on every core; mimalloc does
// that faster than the system allocator.
#[cfg(not(feature = "dhat-heap"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (its index in mimalloc 2 and 3's option
/// list; `libmimalloc-sys` names the options around it, not this one).
#[cfg(not(feature = "dhat-heap"))]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long (ms) mimalloc keeps memory a stage freed before giving it back
/// to the system (BENCHMARKS.md, issue 17). Its default, 1 s, outlasts a
/// run, so each stage's memory came on top of the last's (206 → 149 MiB
/// peak at 1,000 teams with 0). With 0 a page is given back as soon as it is
/// free, and costs a fault and a clearing when it is used again a moment
/// later; 2 ms spares that churn: 10,000 teams 6.47 → 5.72 s at the same
/// peak, 1,000 teams 0.68 → 0.66 s for 94 → 95 MiB (interleaved; 5 and
/// 10 ms were faster still at 1,000 teams, but 102 and 105 MiB).
#[cfg(not(feature = "dhat-heap"))]
const PURGE_DELAY_MS: std::ffi::c_long = 2;

/// Tunes the allocator for a run that lasts about a second: see
/// [`PURGE_DELAY_MS`]. `MIMALLOC_PURGE_DELAY` in the environment still
/// decides, for measuring.
fn tune_allocator() {
    #[cfg(not(feature = "dhat-heap"))]
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, which it reads where it
        // uses them; no other thread is running yet.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

/// With `--features dhat-heap`: every allocation profiled, written to
/// `dhat-heap.json` when the run ends (BENCHMARKS.md, issue 17).
#[cfg(feature = "dhat-heap")]
#[global_allocator]
static GLOBAL: dhat::Alloc = dhat::Alloc;
