//! Mutation fuzzing of op1's reader on stable Rust: seeded mutations of
//! seed spreadsheets (byte flips and overwrites, truncation; zip members
//! dropped, duplicated, truncated; XML deleted, nested deeply, numbers
//! thousands of digits long, invalid UTF-8, indexes out of range; damaged
//! compound-file headers and sectors), each read as `check` reads a file.
//!
//! ```text
//! cargo run --release --example fuzz -- [--seed S] [--count N] [--limit-ms MS] [--save DIR] [--dump DIR] [SEED_DIR…]
//! ```
//!
//! Defaults: seed 1, 10,000 inputs, 2,000 ms a file, seed files from
//! `fixtures/` and `../shared/corpus/real/`. A failure (a panic past op1's
//! guards, a `reader-panic`, a read over the bound) is printed with its seed
//! and, with `--save`, written there as a regression fixture. Exit 1 when
//! anything failed. Run it under `/usr/bin/time -v` for the peak memory.

#[path = "../tests/op1/common/fuzzing.rs"]
mod fuzzing;
#[path = "../tests/op1/common/mutate.rs"]
mod mutate;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    op1::contain::install_hook();
    let (mut seed, mut count, mut limit_ms, mut save) = (1u64, 10_000usize, 2_000u64, None);
    let mut dump: Option<PathBuf> = None;
    let mut dirs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match a.as_str() {
            "--seed" => seed = value().parse().unwrap_or(seed),
            "--count" => count = value().parse().unwrap_or(count),
            "--limit-ms" => limit_ms = value().parse().unwrap_or(limit_ms),
            "--save" => save = Some(PathBuf::from(value())),
            "--dump" => dump = Some(PathBuf::from(value())),
            dir => dirs.push(PathBuf::from(dir)),
        }
    }
    if dirs.is_empty() {
        dirs = vec!["fixtures".into(), "../shared/corpus/real".into()];
    }
    let seeds = fuzzing::seed_files(&dirs);
    if seeds.is_empty() {
        eprintln!("fuzz: no seed spreadsheets under {dirs:?}");
        return ExitCode::from(2);
    }
    if let Some(dir) = dump {
        return dump_inputs(&seeds, seed, count, &dir);
    }
    let work = match tempfile::tempdir() {
        Ok(w) => w,
        Err(e) => {
            eprintln!("fuzz: no scratch folder: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "{} seed files; seeds {seed}..{}",
        seeds.len(),
        seed + count as u64
    );
    let limit = Duration::from_millis(limit_ms);
    let report = fuzzing::campaign(&seeds, seed, count, limit, work.path());
    for f in &report.failures {
        println!(
            "FAILED seed {} ({} of {}): {}",
            f.seed,
            f.how,
            f.source.display(),
            f.what
        );
        if let Some(dir) = &save {
            let ext = f.source.extension().unwrap_or_default().to_string_lossy();
            let _ = std::fs::create_dir_all(dir);
            let _ = std::fs::write(dir.join(format!("seed-{}.{ext}", f.seed)), &f.bytes);
        }
    }
    println!(
        "{} inputs in {:.1?}: {} read, {} refused with a finding, {} failed; slowest {:?} (seed {})",
        report.inputs,
        report.elapsed,
        report.read,
        report.refused,
        report.failures.len(),
        report.slowest,
        report.slowest_seed
    );
    for (at, n) in &report.contained {
        println!("  contained reader panic ×{n}: {at}");
    }
    ExitCode::from(u8::from(!report.failures.is_empty()))
}

/// `--dump DIR`: writes the inputs of the seeds, without reading them (to
/// keep one as a regression fixture, or to try it on another tool).
fn dump_inputs(seeds: &[PathBuf], first: u64, count: usize, dir: &std::path::Path) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("fuzz: {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    for s in first..first + count as u64 {
        let source = &seeds[(s % seeds.len() as u64) as usize];
        let ext = source
            .extension()
            .unwrap_or_default()
            .to_string_lossy()
            .to_lowercase();
        let Ok(bytes) = std::fs::read(source) else {
            continue;
        };
        let mutant = mutate::mutate(&bytes, &ext, s);
        let name = dir.join(format!("seed-{s}.{ext}"));
        if let Err(e) = std::fs::write(&name, &mutant.bytes) {
            eprintln!("fuzz: {}: {e}", name.display());
            return ExitCode::from(2);
        }
        println!(
            "{} ({} of {})",
            name.display(),
            mutant.how,
            source.display()
        );
    }
    ExitCode::SUCCESS
}
