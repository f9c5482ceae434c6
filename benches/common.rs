//! Shared by the benchmarks: where the generated rounds are, and timing.

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The generated round of `$OP1_BENCH_TEAMS` teams (else `default`).
pub fn round_from_env(default: usize) -> PathBuf {
    let teams = std::env::var("OP1_BENCH_TEAMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    round(teams)
}

/// The folder of a generated N-team round: `$OP1_BENCH_DIR/round-N`
/// (default `target/bench-rounds/round-N`), made by `benches/run.sh`.
pub fn round(teams: usize) -> PathBuf {
    let base = std::env::var_os("OP1_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-rounds"));
    let dir = base.join(format!("round-{teams}"));
    if !dir.is_dir() {
        eprintln!(
            "missing {}: generate it with\n  cargo run --release --example make_round -- --teams {teams} --out {} --clean\n(or run benches/run.sh)",
            dir.display(),
            dir.display()
        );
        std::process::exit(2);
    }
    dir
}

/// Runs `f` `runs` times (after one warm-up) and returns the median.
pub fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    std::hint::black_box(f());
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
