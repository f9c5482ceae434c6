//! Stage timings for profiling: with `OP1_TIMINGS` set in the environment,
//! `op1 pack` prints how long each stage took to stderr. Off by default and
//! free when off; BENCHMARKS.md uses it to say where the time goes.

use std::time::Instant;

/// Prints the time since the previous lap, when `OP1_TIMINGS` is set.
pub struct Stopwatch {
    last: Instant,
    on: bool,
}

impl Stopwatch {
    /// Starts timing; reads `OP1_TIMINGS` once.
    #[must_use]
    pub fn start() -> Self {
        Stopwatch {
            last: Instant::now(),
            on: std::env::var_os("OP1_TIMINGS").is_some(),
        }
    }

    /// Ends the stage called `stage` and starts the next one.
    pub fn lap(&mut self, stage: &str) {
        if self.on {
            let now = Instant::now();
            eprintln!(
                "op1 timing: {stage:<12} {:>8.1} ms {}",
                (now - self.last).as_secs_f64() * 1000.0,
                memory()
            );
            self.last = now;
        }
    }
}

/// Resident and peak memory from /proc (Linux), or nothing elsewhere.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kib| kib / 1024)
    };
    // RssFile: pages of the program's own file (and mapped fonts) — code,
    // not data; what the allocator holds is in RssAnon.
    let os = match (field("VmRSS:"), field("RssFile:"), field("VmHWM:")) {
        (Some(rss), Some(file), Some(peak)) => {
            format!("(RSS {rss} MiB of which {file} MiB mapped files, peak {peak} MiB)")
        }
        _ => String::new(),
    };
    format!("{os}{}", heap())
}

/// With `--features dhat-heap`, the heap's live bytes now and at their peak
/// so far: what the program holds, apart from what the allocator keeps.
#[cfg(feature = "dhat-heap")]
fn heap() -> String {
    match std::panic::catch_unwind(dhat::HeapStats::get) {
        Ok(stats) => format!(
            " (heap {} MiB live, peak {} MiB)",
            stats.curr_bytes >> 20,
            stats.max_bytes >> 20
        ),
        Err(_) => String::new(),
    }
}

#[cfg(not(feature = "dhat-heap"))]
fn heap() -> String {
    String::new()
}
