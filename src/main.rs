//! The `op1` binary: parse the command line ([`cli`], the only other file
//! that knows clap), run the one command asked for, print what it said and
//! exit with its code (0 ok, 1 error findings, 2 usage or I/O failure).

mod cli;

use clap::Parser;
use cli::Command;
use op1::run::{self, RunError, Said};
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

/// Runs one command; what it says is printed by [`tell`].
fn execute(command: Command) -> Result<u8, RunError> {
    let said = match command {
        Command::Check(args) => run::check::run(&args.into()),
        Command::Pack(args) => run::pack::run(&args.into()),
        Command::Checkpoint(args) => run::checkpoint::run(&args.into()),
        Command::Diff(args) => run::diff::run(&args.into()),
        Command::Feedback(args) => run::feedback::run(&args.into()),
        Command::Verify(args) => run::verify::run(&args.into()),
        Command::Template(args) => run::template::run(&args.into()),
    }?;
    Ok(tell(&said))
}

/// Prints what a command said: its notes on stderr, its report on stdout,
/// then each file it wrote; returns its exit code.
fn tell(said: &Said) -> u8 {
    for note in &said.notes {
        say!("{note}");
    }
    emit(&said.report);
    for path in &said.written {
        say!("wrote {}", path.display());
    }
    said.code
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
